"""The source facts of Luoyang's 五心工程 (河南省洛阳市杨文办事处杨文社区, casebook L412–445,
methods.md §2.19) as data, and the small pure rules built on them: the four-level structure
and its tiers, the building's 两长四员, the left-behind files' fields and 六知道, the care
schedules 六个一 / 六必须 and their periods, the environment cadence, settings and ``--set``
fields. Every table cites the line of the Chinese original (``seeds/000_5340bcb6e23e3aa1.txt``)
it encodes. Nothing here touches the database.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt

import attrs

from framework import CountyError, Setting, StageRule, Tier

METHOD = "wuxin"
TITLE_ZH = "“五心”工程（杨文社区）"
TITLE = "Five hearts programme (Yangwen community)"
SOURCE_COUNTY = "河南省洛阳市杨文办事处杨文社区 Yangwen community, Luoyang, Henan"
SOURCE_LINES = "L412–445"

#: 五心 (L414): 排忧解难暖民心、转变作风贴民心、志愿服务乐民心、净化环境顺民心、维护稳定安民心.
FIVE_HEARTS = ("排忧解难暖民心", "转变作风贴民心", "志愿服务乐民心", "净化环境顺民心", "维护稳定安民心")

# -- the source's own figures (reference; asserted by the tests) -------------------------------
LEFT_BEHIND_PEOPLE = 10_000      # 留守在家中的妇女、儿童、老人有近万人 (L432: "近万", nearly)
LEFT_BEHIND_SHARE = (2, 3)       # 占社区总人口2/3 (L432)
CARING_MOTHER_FOUNDERS = 10      # 在党支部10名女性党员的倡导下成立了“爱心妈妈”志愿者队伍 (L432)
CENTRE_M2 = 500                  # 办公面积500余平方米 (L424: "余", more than)
CENTRE_SINCE = 2009              # 自2009年以来 (L424)
SERVICE_CIRCLE_MINUTES = 10      # “十分钟便民服务圈” (L418)
ROOMS = (18, 1, 1)               # “十八室一厅一站” (L426)
GREENING_PEOPLE = 200            # 动员党员群众200余人见空植绿 (L439: "余")
TECH_SECURITY_COVERAGE = 0.99    # 技防覆盖率现已达到了99% (L445)
DUTY_HOURS = 24                  # 24小时有人值班 (L445)

#: 四级管理 (L418): 杨文街道党工委 - 社区党支部 - 网格党支部 - 楼栋党小组, top first; unit level
#: of each body.
FOUR_LEVELS = (("subdistrict_party_committee", "街道党工委", "township"),
               ("community_party_branch", "社区党支部", "community"),
               ("grid_party_branch", "网格党支部", "grid"),
               ("building_party_group", "楼栋党小组", "building"))

#: 两长四员 (L418): every building has these six posts (roles of people of the building unit).
BUILDING_ROLES = {
    "party_group_leader": "党小组长",
    "building_head": "楼栋长",
    "sanitation_officer": "卫生员",
    "security_officer": "治安员",
    "proxy_agent": "代办员",
    "property_officer": "物管员",
}
#: Their tasks (L418): 信息采集、日常巡查、居民服务、隐患排除和工作反馈.
BUILDING_TASKS = ("信息采集", "日常巡查", "居民服务", "隐患排除", "工作反馈")

ROLES = {
    **BUILDING_ROLES,
    "grid_branch_secretary": "网格党支部书记（网格有支部, L418, L420）",
    "grid_head": "网格长（L443）",
    "community_branch_secretary": "社区党支部书记（L418）",
    "subdistrict_cadre": "街道党工委干部（L418）",
    "caring_mother": "爱心妈妈（巾帼党支部志愿者, L432）",
    "party_volunteer": "党员志愿者（与留守老人结对, L432）",
    "file_keeper": "留守档案专人（落实专人对信息进行动态管理, L432）",
}

# -- the slogan (L420) and the tier chain ------------------------------------------------------
#: 身边事不出格、小事不出社区、大事不出街道、矛盾不上交 (L420): the tier each kind of matter
#: must be closed within.
SCOPES = {
    "nearby": ("身边事", "grid"),
    "small": ("小事", "community"),
    "big": ("大事", "subdistrict"),
    "dispute": ("矛盾", "subdistrict"),
}
TIERS = [
    Tier("grid", "网格（网格党支部、楼栋两长四员）", "grid", "身边事不出格（L420）；时限源文未给", "L418, L420"),
    Tier("community", "社区（社区党支部、服务大厅）", "community", "小事不出社区（L420）；时限源文未给",
         "L418, L420, L424"),
    Tier("subdistrict", "街道（街道党工委）", "township", "大事不出街道、矛盾不上交（L420）：链止于街道，逾期督办",
         "L418, L420"),
]
TIER_ZH = {"grid": "网格", "community": "社区", "subdistrict": "街道"}
TIER_RANK = {"grid": 0, "community": 1, "subdistrict": 2}
#: The unit level that starts a case at each tier (a building's case starts at its grid).
START_TIER = {"building": "grid", "grid": "grid", "community": "community", "township": "subdistrict"}

CHANNELS = {
    "building_officer": "楼栋两长四员信息采集（L418）",
    "home_visit": "党员干部串门走访（串门、知情、管事、解难、暖心, L420）",
    "service_hall": "社区服务大厅（L418, L426）",
    "hotline": "“一线通”热线电话（L424）",
    "touch_screen": "服务触摸屏（L424）",
    "whisper_room": "悄悄话室（L426）",
    "care_pair": "关爱结对走访（L432）",
    "patrol": "日常巡查（L418, L445）",
}
CATEGORIES = {
    "hardship": "排忧解难（L418）",
    "consultation": "政策咨询（L418）",
    "social_affairs": "社会事务（L418）",
    "health": "医疗卫生（L418）",
    "errand": "代办事项（代办员, L418）",
    "property": "物业管理（物管员, L418）",
    "environment": "环境卫生（L437）",
    "hazard": "隐患排除（L418）",
    "security": "治安防范（L443, L445）",
    "left_behind": "留守关爱（L432）",
    "dispute": "矛盾纠纷（家庭矛盾、邻里纠纷, L443）",
    "petition": "信访（L443）",
    "other": "其他",
}
#: Which building officer handles a category jointly (会办) with the grid: the plugin's reading of
#: L418's tasks (the source maps none); setting ``officer_by_category``.
OFFICER_BY_CATEGORY = {
    "environment": "sanitation_officer", "hazard": "security_officer", "security": "security_officer",
    "errand": "proxy_agent", "social_affairs": "proxy_agent", "property": "property_officer",
    "dispute": "party_group_leader", "petition": "party_group_leader",
}

# -- left-behind files (L432) ------------------------------------------------------------------
FILE_KINDS = {"child": "留守儿童", "elder": "留守老人"}
#: 生日、年龄、健康情况、家庭生活状况、父母或子女在外地打工的去向和联系方式 (L432); 年龄 comes
#: from the birthday.
FILE_FIELDS = {"birthday": "生日", "health": "健康情况", "living": "家庭生活状况",
               "away_where": "父母或子女在外地打工的去向", "away_contact": "联系方式"}
#: 六知道 (L432): 有什么病、平常吃什么药、对什么药物过敏、平常喜欢去哪些地方活动、爱好、家属的电话.
SIX_KNOWS = {"illnesses": "有什么病", "medicines": "平常吃什么药", "allergies": "对什么药物过敏",
             "haunts": "平常喜欢去哪些地方活动", "hobbies": "爱好", "family_phone": "家属的电话"}

# -- care schedules (L432) ---------------------------------------------------------------------
#: 六个一 of a caring mother: kind → (label, period). ``None``: the setting of that name decides
#: (the source gives no period; default "month", reading 每月至少 as governing the three).
SIX_ONES = {
    "contact": ("每月至少与留守儿童联系一次", "month"),
    "letter": ("指导孩子给父母写一封信", None),
    "teacher": ("与学校班主任沟通一次", None),
    "guardian": ("向家中临时监护人了解一次孩子的近况", None),
    "birthday": ("给孩子过一次生日", "birthday"),
    "festival": ("每半年至少陪孩子过一次节日", "half"),
}
#: 六必须 of a volunteer and an empty-nest elder. The first three are standing (checked on the
#: file); the last three are scheduled.
SIX_MUSTS_STANDING = {"pair": "必须有一个志愿关爱对子", "card": "必须有一张爱心联系卡",
                      "one_touch": "必须有一个一键通的电话联系人"}
SIX_MUSTS = {
    "greeting": ("志愿者必须每天问候一次", "day"),
    "chat": ("必须每周有两小时的聊天谈心", "week"),
    "activity": ("必须每月有一次爱心活动", "month"),
}
CHAT_MINUTES_PER_WEEK = 120      # 每周有两小时的聊天谈心 (L432)
CARE_KINDS = {"child": SIX_ONES, "elder": SIX_MUSTS}
PAIR_KINDS = {"child": ("caring_mother", "爱心妈妈"), "elder": ("party_volunteer", "党员志愿者")}
PERIODS = ("day", "week", "month", "quarter", "half", "year")

#: 周检查、月评比、年考核 (L437): environment kinds and their periods, per community.
ENVIRONMENT = {"inspection": ("环境卫生周检查", "week"), "ranking": ("环境卫生月评比", "month"),
               "assessment": ("环境卫生年考核", "year")}
#: 24小时有人值班…重大节日、重要时期实行领导带班 (L445): a community's watch every day, and a leader on
#: duty on each day of a statutory holiday (and each ``sensitive_dates`` day).
SECURITY = {"watch": ("24小时有人值班", "day"), "leader_watch": ("重大节日、重要时期领导带班", "holiday")}
WORK = {**ENVIRONMENT, **SECURITY}

SETTINGS = [
    Setting("grid_days", 3, "grid tier (身边事不出格, L420): resolve within N days, else up to the community "
                            "(the source gives no number)", minimum=1, maximum=365),
    Setting("grid_day_kind", "calendar", "how grid_days count: 'calendar' (天) or 'working' (工作日, with 调休)",
            choices=("calendar", "working")),
    Setting("community_days", 5, "community tier (小事不出社区, L420): resolve within N days, else up to the "
                                 "subdistrict (no number in the source)", minimum=1, maximum=365),
    Setting("community_day_kind", "working", "how community_days count: 'calendar' or 'working'",
            choices=("calendar", "working")),
    Setting("subdistrict_days", 10, "subdistrict tier (大事不出街道、矛盾不上交, L420): resolve within N days, "
                                    "else flagged 督办 — never passed further up (no number in the source)",
            minimum=1, maximum=365),
    Setting("subdistrict_day_kind", "working", "how subdistrict_days count: 'calendar' or 'working'",
            choices=("calendar", "working")),
    Setting("letter_period", "month", "六个一: how often the caring mother helps the child write to the parents "
                                      "(L432 gives no period; read under 每月至少)", choices=PERIODS[2:]),
    Setting("teacher_period", "month", "六个一: how often she talks with the class teacher (L432: no period)",
            choices=PERIODS[2:]),
    Setting("guardian_period", "month", "六个一: how often she asks the temporary guardian (临时监护人; the text's "
                                        "临时艰苦人 is read as a typo) about the child (L432: no period)",
            choices=PERIODS[2:]),
    Setting("birthday_window_days", 7, "六个一 给孩子过一次生日: a birthday record within N calendar days either "
                                       "side of the birthday counts (the source gives none)", maximum=31),
    Setting("six_musts_for", "empty_nest", "六必须 apply to 'empty_nest' elders (the words of L432: 空巢老人必须…) "
                                           "or to 'all' left-behind elders with a pair",
            choices=("empty_nest", "all")),
    Setting("week_ends_on", 7, "the ISO weekday a care week and an inspection week end on (7 = Sunday)",
            minimum=1, maximum=7),
    Setting("sensitive_dates", [], "重要时期 (L445 names none): local dates YYYY-MM-DD on which, as on every day "
                                   "of a statutory holiday, a leader must be on duty (领导带班)"),
    Setting("officer_by_category", dict(OFFICER_BY_CATEGORY),
            "the building officer (两长四员 role) who handles a category jointly with the grid (会办); the "
            "source (L418) lists the posts' tasks but maps none; a category left out: the building head"),
]

EVENT_LABELS = {"fed_back": "工作反馈（L418）"}

STAGE_RULES = {
    "triage": StageRule("the scope's target tier is a tier of wuxin's own chain: 身边事不出格、小事不出社区、"
                        "大事不出街道 (L420)", lend=False),
    "deadline": StageRule("a wuxin case climbs the slogan's tiers grid → community → subdistrict and stops there: "
                          "矛盾不上交 (L420)", tiers=("grid", "community", "subdistrict")),
}


@attrs.define
class WuxinExtra:
    """``--set`` fields of a case: ``scope`` (nearby 身边事 / small 小事 / big 大事 / dispute 矛盾, L420;
    default: by the unit taking it in, dispute for the dispute category), ``file`` (a left-behind
    file id the matter concerns, L432)."""

    scope: str | None = None
    file: int | None = None


# -- pure date rules ---------------------------------------------------------------------------
def period_of(kind: str, day: dt.date, week_ends_on: int = 7) -> tuple[dt.date, dt.date]:
    """The local period of ``kind`` (``day week month quarter half year``) holding ``day``:
    (first day, last day), both inclusive. A week ends on ISO weekday ``week_ends_on``
    (7 = Sunday: Monday–Sunday). CountyError for another kind."""
    if kind == "day":
        return day, day
    if kind == "week":
        last = day + dt.timedelta(days=(week_ends_on - day.isoweekday()) % 7)
        return last - dt.timedelta(days=6), last
    if kind in ("month", "quarter", "half", "year"):
        months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
        first_month = (day.month - 1) // months * months + 1
        last_month = first_month + months - 1
        return (dt.date(day.year, first_month, 1),
                dt.date(day.year, last_month, _cal.monthrange(day.year, last_month)[1]))
    raise CountyError(f"period {kind!r}: one of {', '.join(PERIODS)}")


def birthday_in(birthday: dt.date, year: int) -> dt.date:
    """The birthday's date in ``year``; 29 February is kept on 28 February in a common year."""
    if birthday.month == 2 and birthday.day == 29 and not _cal.isleap(year):
        return dt.date(year, 2, 28)
    return birthday.replace(year=year)


def age_on(birthday: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day`` (年龄, L432, from the file's 生日)."""
    return day.year - birthday.year - ((day.month, day.day) < (birthday.month, birthday.day))


def care_period(kind: str, pair_kind: str, settings: dict) -> str:
    """The period of care duty ``kind`` for a pair of ``pair_kind`` (child, elder): from
    SIX_ONES / SIX_MUSTS, or the ``<kind>_period`` setting where the source gives none."""
    _label, period = CARE_KINDS[pair_kind][kind]
    return period or settings[f"{kind}_period"]


def is_major_holiday(calendar, day: dt.date) -> bool:
    """True when ``day`` is a day off of a statutory holiday (重大节日, L445) on ``calendar`` (a
    ``ctx.calendar``): a non-working day whose run of consecutive non-working days holds a weekday
    (Monday–Friday) — so a plain weekend is not one, the weekend inside National Day is, and a
    调休 make-up Saturday (a working day) is not."""
    if calendar.is_working_day(day):
        return False
    for step in (1, -1):
        d = day
        while not calendar.is_working_day(d) and abs((d - day).days) < 15:
            if d.weekday() < 5:
                return True
            d += dt.timedelta(days=step)
    return False


def sensitive_dates(settings: dict) -> set[dt.date]:
    """The ``sensitive_dates`` setting as dates; CountyError naming ``[plugins.wuxin] sensitive_dates``."""
    values = settings.get("sensitive_dates") or []
    try:
        return {dt.date.fromisoformat(str(v)) for v in values}
    except (TypeError, ValueError):
        raise CountyError(f"[plugins.{METHOD}] sensitive_dates = {values!r}: a list of dates \"YYYY-MM-DD\"") from None
