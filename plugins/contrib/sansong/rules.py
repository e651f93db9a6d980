"""The source facts of Ganzhou's 三送 (送政策、送温暖、送服务) as data, and the small pure rules
built on them: the four-level tier chain, the three contact modes and their quotas, the five
task areas, the priority contact groups, roles, channels, settings and the ``--set`` fields.

Casebook: the Ganzhou section of the original (``seeds/000_5340bcb6e23e3aa1.txt``), L130–155
(methods.md §2.6). Every table cites the line it encodes; where methods.md and the original
differ, the original wins (README "Spec vs original"). Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt

import attrs

from framework import CountyError, Setting, StageRule, Tier

NAME = "sansong"
TITLE_ZH = "三送工作法（送政策、送温暖、送服务）"
TITLE = "Three deliveries: policy, warmth and services"
SOURCE_COUNTY = "江西省赣州市 Ganzhou City, Jiangxi"
SOURCE_LINES = "L130–165"

# -- the tier chain (L140: 直接联系的干部能解决的问题必须及时解决，不能解决的由村乡县市四级联动、统筹解决) --
TIERS = [
    Tier("cadre", "联系干部直接解决", "village", "直接联系的干部能解决的问题必须及时解决", "L140"),
    Tier("village", "村级联动", "village", "不能解决的由村乡县市四级联动、统筹解决（村）", "L140"),
    Tier("township", "乡镇级联动", "township", "四级联动（乡）", "L140"),
    Tier("county", "县级联动", "county", "四级联动（县）", "L140"),
    Tier("city", "市级联动", "city_linkage", "四级联动（市）：链条终点，逾期督办", "L140"),
]
#: The unit level serving tier ``city``: a city-level linkage desk (市级联动), a method level like
#: taizhang's ledger_office, so that a county deployment can hold it (the kernel refuses a unit of
#: level ``city`` under a county). A case goes to a real ``city`` unit above it when there is one.
CITY_LEVEL = "city_linkage"
TIER_NAMES = [t.name for t in TIERS]
TIER_ZH = {"cadre": "联系干部", "village": "村", "township": "乡镇", "county": "县", "city": "市"}
#: The 96333 hotline's graded handling (分级承办, L140): the grades are the four levels.
GRADES = ("village", "township", "county", "city")
#: A hotline case's grade by the level of the unit taking it in (the default of ``grade``).
GRADE_OF_LEVEL = {"group": "village", "village": "village", "grid": "village", "community": "village",
                  "township": "township", "county": "county", "department": "county", "city": "city",
                  "city_linkage": "city"}
#: Who handles a case at each linkage tier: the one person of the tier's unit with this role
#: (the source names no office; the roles are this plugin's choice, settings can't change them).
LEAD_ROLE = {"village": "two_committees", "township": "township_cadre", "county": "linkage_staff",
             "city": "linkage_staff"}

# -- the three contact modes (三联系, L137) -------------------------------------------------------
MODES = {
    "point": "挂点联系（市、县机关单位挂点联系1个村，每名干部联系10户以上群众）",
    "area": "分片联系（每名乡镇干部按片区联系2—3个村民小组、30—50户群众）",
    "stationed": "驻村联系（市、县机关单位选派2—3名干部组建工作队常驻挂点村）",
}
MODE_ZH = {"point": "挂点联系", "area": "分片联系", "stationed": "驻村联系"}
#: L137: 市、县机关单位挂点联系1个村.
POINT_VILLAGES_PER_UNIT = 1
#: L137: 每名干部联系10户以上群众 (以上: 10 included).
POINT_HOUSEHOLDS_MIN = 10
#: L137: 每名乡镇干部按片区联系2—3个村民小组、30—50户群众.
AREA_GROUPS_MIN, AREA_GROUPS_MAX = 2, 3
AREA_HOUSEHOLDS_MIN, AREA_HOUSEHOLDS_MAX = 30, 50
#: L137: 市、县机关单位选派2—3名干部组建工作队常驻挂点村.
TEAM_MIN, TEAM_MAX = 2, 3
#: L142: 单位联系点、干部联系户原则上5年不变.
STABLE_YEARS = 5
#: L142: 新进机关等没有基层工作经历的干部、长期离开农村基层的干部及后备干部，必须驻村(社区)1年以上.
MANDATORY_STATION_YEARS = 1
MANDATORY_KINDS = {"new_staff": "新进机关等没有基层工作经历的干部", "long_away": "长期离开农村基层的干部",
                   "reserve": "后备干部"}
STATION_KINDS = {**MANDATORY_KINDS, "other": "其他机关干部（集中安排、自行前往）"}
#: L142: 驻村(社区)干部每月与群众同吃、同住、同劳动20天以上.
PRESENCE_DAYS_MIN = 20

# -- triage: the five promotion tasks (五促进, L138) and the priority groups (L137) ---------------
CATEGORIES = {
    "prosperity": "促进创业致富", "environment": "促进环境提升", "livelihood": "促进民生改善",
    "harmony": "促进社会和谐", "party_building": "促进基层党建",
}
#: Words that file a case without ``--category`` under a task area (L138's own wording: 产业、
#: 村镇整治、扶贫、矛盾纠纷、信访、党员…; the word lists are this plugin's reading), first match wins.
CATEGORY_WORDS = [
    ("harmony", ("纠纷", "矛盾", "信访", "上访", "调解", "平安", "治安")),
    ("party_building", ("党员", "党组织", "支部", "两委", "班子")),
    ("prosperity", ("致富", "创业", "产业", "种植", "养殖", "销售", "合作社")),
    ("environment", ("环境", "道路", "路灯", "垃圾", "水渠", "整治", "卫生", "污水")),
]
#: 重点为在乡老红军、红军失散人员、贫困户、信访户、产业大户等 (L137).
PRIORITY_GROUPS = {"red_army_veteran": "在乡老红军", "red_army_dispersed": "红军失散人员", "poor": "贫困户",
                   "petitioner": "信访户", "large_producer": "产业大户"}

ROLES = {
    "agency_cadre": "机关干部（挂点联系, L137）",
    "township_cadre": "乡镇干部（分片联系、乡镇级联动, L137/L140）",
    "stationed_cadre": "驻村干部（工作队, L137）",
    "two_committees": "村（社区）“两委”成员（村级联动、恳谈会, L140）",
    "linkage_staff": "县、市级联动承办人员（四级联动, L140；承办机构源文未写）",
    "two_deputies_one_member": "“两代表一委员”（恳谈会, L140）",
    "villager_rep": "村民代表（恳谈会, L140）",
}
CHANNELS = {
    "hotline_96333": "“96333群信通”（集中受理、分级承办、限时反馈, L140）",
    "cadre_contact": "联系干部直接联系（民情日记, L137/L140）",
    "contact_plate": "联系牌上的干部电话（L140）",
    "consultation": "民意恳谈会（每季度, L140）",
}
#: Channels that start at tier ``cadre``: the contact cadre hears it directly (L140).
CADRE_CHANNELS = ("cadre_contact", "contact_plate")

EVENT_LABELS = {"promised": "公开承诺办结时限", "fed_back": "限时反馈", "diary_linked": "记入民情日记"}

SETTINGS = [
    Setting("cadre_days", 7, "tier cadre: the contact cadre solves it within N days of intake unless a "
                             "promise says otherwise (必须及时解决, L140 gives no number)", minimum=1, maximum=365),
    Setting("village_days", 7, "tier village: N days (四级联动, L140 gives no number)", minimum=1, maximum=365),
    Setting("township_days", 15, "tier township: N days (L140 gives no number)", minimum=1, maximum=365),
    Setting("county_days", 30, "tier county: N days (L140 gives no number)", minimum=1, maximum=365),
    Setting("city_days", 30, "tier city: N days, then flagged 督办 (end of the chain; L140 gives no number)",
            minimum=1, maximum=365),
    Setting("day_kind", "calendar", "how the tier days count: calendar (天, conventions §2) or working "
                                    "(工作日 on China's calendar with 调休)", choices=("calendar", "working")),
    Setting("miss_action", "escalate", "a tier's limit missed below the city: 'escalate' to the next level "
                                       "(四级联动, L140) or 'flag' (督办, the case stays)",
            choices=("escalate", "flag")),
    Setting("feedback_hours", 24, "96333 hotline: report back to the caller within N hours of intake "
                                  "(限时反馈, L140 gives no number), else flagged", minimum=1, maximum=720),
    Setting("promise_required", False, "refuse a case without a publicly promised completion date "
                                       "(--set promised_on; 明确办结时限，作出公开承诺, L140)"),
    Setting("priority_groups", ["red_army_veteran", "red_army_dispersed", "poor", "petitioner", "large_producer"],
            "household kinds whose cases are priority high (L137 names the groups contacted first: "
            "老红军、红军失散人员、贫困户、信访户、产业大户; which get priority is this plugin's choice)"),
    Setting("consultation_needs_all", True, "a quarterly consultation counts only with two-committee members, "
                                            "两代表一委员 and villager representatives all present (L140: 请…参加)"),
    Setting("rating_month", 12, "the month of the annual satisfaction rating's duty (每年度, L140)",
            minimum=1, maximum=12),
]

STAGE_RULES = {
    "intake": StageRule("the contact cadre or the 96333 hotline takes the request in, graded by level "
                        "(集中受理、分级承办, L140)", keep=True),
    "assignment": StageRule("the household's own contact cadre solves first (直接联系的干部能解决的问题必须及时解决, "
                            "L140; pairing L137)", keep=True, lend=False),
    "deadline": StageRule("the chain is the four-level linkage 村乡县市 after the contact cadre, timed by the public "
                          "promise (L140)", keep=True, lend=False),
}


@attrs.define
class SansongExtra:
    """A case's own fields (``--set KEY=VALUE``)."""

    household: str | None = None  # the household (sansong_households.id) raising it (群众信息库, L140)
    cadre: str | None = None  # its contact cadre (a person id); default: the household's cadre (L137)
    grade: str | None = None  # 96333 分级承办: village / township / county / city (L140)
    promised_on: str | None = None  # 明确办结时限，作出公开承诺: a date (L140)
    diary: int | None = None  # the 民情日记 entry it was heard in (sansong_diary.id, L140)



def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus ``years`` calendar years (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def code_list(settings: dict, key: str, allowed: dict) -> list[str]:
    """The list setting ``key`` (codes of ``allowed``); ``CountyError`` naming
    ``[plugins.sansong] KEY`` for a value that is not a list of known codes."""
    value = settings.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
        raise CountyError(f"[plugins.{NAME}] {key} = {value!r}: a list of codes among {', '.join(allowed)}")
    return value


def mask_name(name: str | None) -> str | None:
    """A person's name as public outputs show it (conventions §3): the kernel's rule,
    ``framework.mask_name`` — the surname plus 某, a compound surname (复姓) kept whole
    (``张三丰`` → ``张某``, ``欧阳娜娜`` → ``欧阳某``, ``欧阳`` → ``欧某``; a non-Chinese name: its first
    character plus ``***``); None/empty unchanged."""
    from framework import mask_name as kernel_mask_name  # on first use: importing the plugin stays light

    return kernel_mask_name(name)
