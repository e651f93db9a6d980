"""The source facts of Ningbo's 365 community service method (365社区服务工作法), as data,
and the small date rules every part of the plugin shares.

Casebook (seed original) lines L373–381; methods.md §2.16 and scenario S-08. Every table here
names the line it comes from. Nothing in this module touches the database.
"""

from __future__ import annotations

import datetime as dt

import attrs

from framework import CountyError, Setting, Tier

METHOD = "shequ365"

# -- 三联 the three links (L377) ------------------------------------------------------------
MEMBER_KINDS = {
    "social_worker": "社工（社工联勤：管线包片联户）",
    "registered_party_member": "在册党员（一代四员）",
    "employed_party_member": "在职党员（一员双岗）",
    "volunteer": "志愿者（志愿联盟）",
}
# 一代四员: 墙门代表 + 宣传员、卫生员、安全员、调解员 (L377)
FOUR_ROLES = {
    "block_representative": "墙门代表",
    "publicity": "宣传员",
    "sanitation": "卫生员",
    "safety": "安全员",
    "mediator": "调解员",
}
# 一员双岗: 本职敬业岗 + 为民奉献岗 (L377)
TWO_POSTS = {"work_post": "本职敬业岗", "service_post": "为民奉献岗"}

# -- 五机制 一: 民情收集 (L381) ---------------------------------------------------------------
SHIFTS = {"morning": "早巡", "evening": "晚巡"}
FIVE_VISITS = {  # 五访: 必访
    "moved_in": "新迁入家庭必访",
    "major_change": "重大变故家庭必访",
    "petitioner": "上访群众家庭必访",
    "unemployed": "新近失业居民必访",
    "hospitalised": "生病住院居民必访",
}
FIVE_QUESTIONS = {  # 五问: resident kind -> (label, what must be asked)
    "needy": ("困难居民", "必问生活情况"),
    "elderly_alone": ("独居老人", "必问身体情况"),
    "unemployed": ("失业人员", "必问再就业情况"),
    "retiree": ("退休人员", "必问适应情况"),
    "correction": ("矫正人员", "必问思想情况"),
}

CHANNELS = {
    "morning_patrol": "早巡（一日两巡）",
    "evening_patrol": "晚巡（一日两巡）",
    "linked_visit": "联户走访（每月）",
    "mandatory_visit": "五访（必访）",
    "five_questions": "五问（必问）",
    "hotline": "87680000服务专线",  # 一库一线一系统 (L379)
    "service_station": "社区便民服务站",  # 综合便民服务 (L379)
}

# -- 五机制 三: 民情处置 — three handling forms (L381) ---------------------------------------
FORMS = {
    "time_limited": "限时办结",
    "follow_up": "归口办理",
    "coordination": "多方协调（社区事务协调会）",
}
FOLLOW_UP_BY = {"individual": "个人领办", "unit": "单位承办", "team": "组团协办"}

# Category -> handling form. The source sorts by the nature of the matter (can be closed at
# once / needs follow-up / civil dispute needing coordination, L381); the categories below and
# their mapping are a deployment's reading of S-08 (leaking pipe -> time-limited, job-seeker
# -> follow-up, neighbour dispute -> coordination). The first category must stay a
# time-limited one (it is the default).
CATEGORIES = {
    "repair": "维修（可马上办结）",
    "environment": "环境卫生",
    "safety": "安全隐患",
    "consultation": "政策咨询",
    "living_difficulty": "生活困难",
    "employment": "就业再就业",
    "health_care": "看病就医与照护",
    "civil_dispute": "民事纠纷",
    "other": "其他",
}
CATEGORY_FORM = {
    "repair": "time_limited",
    "environment": "time_limited",
    "safety": "time_limited",
    "consultation": "time_limited",
    "living_difficulty": "follow_up",
    "employment": "follow_up",
    "health_care": "follow_up",
    "civil_dispute": "coordination",
}

# The chain (methods.md §5: "area social worker -> individual / unit / team -> community
# affairs coordination meeting"). Tiers are the three handling forms; a case starts at the
# form its matter calls for. All three are served inside the community.
TIERS = [
    Tier("time_limited", "包片社工限时办结", "community",
         "对可马上办结的事项由包片社工限时办结（时限未给出数字，部署设定）", "L381"),
    Tier("follow_up", "归口办理（个人领办/单位承办/组团协办）", "community",
         "对需跟进办理的事项通过个人领办、单位承办、组团协办进行处置（承诺办结日期）", "L381"),
    Tier("coordination", "社区事务协调会", "community",
         "对需协调解决的民事纠纷通过社区事务协调会研究解决（无时限）", "L381"),
]

# -- 五机制 二: 民情分析 — analysis cadence (L381); 五: 民情评议 (L381) -----------------------
MEETINGS = {
    "huddle": ("日碰头", "社区工作者巡访问题碰头会", "daily"),
    "weekly": ("周研判", "典型案例分析会", "weekly"),
    "joint": ("月会商", "“两委”联席会", "monthly"),
    "forum": ("季恳谈", "党建共建恳谈会", "quarterly"),
    "hearing": ("动态听证", "民主听证会", "before_major"),
    "coordination": ("多方协调", "社区事务协调会", "per_case"),
    "review": ("季度评议", "社区工作评议会", "quarterly"),
    "assembly": ("年底测评", "社区成员代表大会", "yearly"),
}
ASSESS_KINDS = {"quarterly": "季度社区工作评议会", "annual": "年底社区成员代表大会测评"}

ROLES = {
    "social_worker": "社工（包片社工）",
    "community_leader": "社区负责人",
    "party_member": "党员",
    "volunteer": "志愿者",
    "unit_contact": "承办单位联系人",
}

SETTINGS = [
    Setting("time_limited_days", 3,
            "限时办结: calendar days the grid's social worker has (the source gives no number, L381; "
            "3 is a deployment choice)"),
    Setting("miss_action", "flag",
            "what a missed limit does: 'flag' (督办, stay; default — the source has no escalation rule) "
            "or 'escalate' (time-limited -> follow-up -> coordination meeting)", choices=("flag", "escalate")),
    Setting("default_form", "time_limited", "handling form for a category without a mapped form", choices=tuple(FORMS)),
    Setting("mandatory_visit_days", 7,
            "五访: calendar days after the trigger (moved in, hospitalised…) within which the visit is "
            "due (the source says 必访 without a number; deployment choice)"),
    Setting("linked_households_min", 25, "联户: each social worker links at least N households (L377)"),
    Setting("grid_households", 250, "包片: the standard grid size in households (L377)"),
    Setting("weekly_weekday", 5, "周研判: ISO weekday of the weekly case analysis (1=Mon … 7=Sun; deployment choice)",
            minimum=1, maximum=7),
    Setting("community_level", "community", "unit level of a community (社区)"),
    Setting("leader_role", "community_leader", "role of the community leader who patrols main roads "
            "and crowded places and chairs the coordination meeting (L381)"),
    Setting("spokesperson", "", "社区网络发言人 named on the board (L381); empty = not shown"),
    Setting("award_places", 1,
            "评优评先: social workers per community recommended each year from the year-end rating (L381 links "
            "the rating to awards without a number; deployment choice)"),
    Setting("award_min_rating", 0.0,
            "评优评先: the least year-end rating ((满意+基本满意)/votes, 0–1) a recommended social worker needs "
            "(none in the source; 0 = no floor)"),
]


@attrs.define
class Shequ365Extra:
    """Method fields of one case (``--set KEY=VALUE``).

    ``form``: time_limited | follow_up | coordination (default: from the category);
    ``grid``/``household``: where it came from (the household gives the grid);
    ``visit_reason``: one of the five visits; ``resident_kind``: one of the five questions;
    ``follow_up_by``: individual | unit | team; ``lead``: person id (individual/team) or unit
    code (unit); ``team``: team members in words; ``committed_date``: YYYY-MM-DD the
    follow-up handler commits to (due at 23:59:59 local that day); ``major``: a major
    community matter (a democratic hearing is due before it is carried out).
    """

    form: str | None = None
    grid: str | None = None
    household: str | None = None
    visit_reason: str | None = None
    resident_kind: str | None = None
    follow_up_by: str | None = None
    lead: str | None = None
    team: str | None = None
    committed_date: str | None = None
    major: bool = False
    visit_id: int | None = None
    patrol_id: int | None = None


# -- dates and small parsing rules -----------------------------------------------------------------
# Dates of the plugin's tables are local dates of the deployment's zone (ISO ``YYYY-MM-DD``);
# instants are ISO strings with their offset.

#: A date after every other: "never" for a row that has no start at all.
NEVER = dt.date.max


def local_date(cal, instant: str | None) -> dt.date | None:
    """The local date (``cal``: the deployment's Calendar) of a stored ISO instant; None stays None."""
    if not instant:
        return None
    return cal.local(dt.datetime.fromisoformat(instant)).date()


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last local date of ``day``'s month."""
    first = day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


def quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last local date of ``day``'s quarter."""
    q0 = (day.month - 1) // 3 * 3 + 1
    first = dt.date(day.year, q0, 1)
    last = dt.date(day.year, 12, 31) if q0 == 10 else dt.date(day.year, q0 + 3, 1) - dt.timedelta(days=1)
    return first, last


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of ``day``'s ISO week."""
    first = day - dt.timedelta(days=day.isoweekday() - 1)
    return first, first + dt.timedelta(days=6)


def parse_date(text: str | None, what: str) -> dt.date | None:
    """``YYYY-MM-DD`` as a date (empty: None); CountyError naming ``what`` otherwise."""
    if text is None or str(text).strip() == "":
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise CountyError(f"{what}: {text!r} is not a date (YYYY-MM-DD)") from None


def split_list(value) -> list[str]:
    """A list cell: a list as is, or text split on ``;``, ``；`` or ``,`` (blanks dropped)."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [x.strip() for x in str(value or "").replace("；", ";").replace(",", ";").split(";") if x.strip()]


#: Chinese names of this method's own event types (``county case show``): a case discussed at a
#: meeting gets ``shequ365_<kind>``.
EVENT_LABELS = {f"shequ365_{kind}": name for kind, (_, name, _) in MEETINGS.items()}
