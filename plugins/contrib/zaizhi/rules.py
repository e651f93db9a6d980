"""The source facts of Baoshan's 在职党员 method (上海市宝山区友谊路街道“三比三争”, casebook
L383–397, methods.md §2.17) as data, and the small pure rules built on them: tiers, settings,
the ``extra`` type, channels, categories, roles, the six 小修小补 post kinds, the 五带头
duties, the three contests, and the quarterly calendar's dates.

Every table cites the line it encodes. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt

import attrs

from framework import CountyError, Setting, StageRule, Tier

METHOD = "zaizhi"
TITLE_ZH = "在职党员组团式联系服务群众（三比三争）"
TITLE = "Employed party members serving where they live (three comparisons, three contests)"
SOURCE_COUNTY = "上海市宝山区友谊路街道 Youyi Road subdistrict, Baoshan District, Shanghai"
SOURCE_LINES = "L383–397"

# -- the source's own figures (kept as reference, asserted by the tests) ----------------------
#: 至今，共有1031名在职党员向居民区报到，参与居民区志愿服务达2000余人次 (L389).
OUTCOME_MEMBERS = 1031
OUTCOME_PERSON_TIMES = 2000  # "2000余": more than 2,000
#: 党工委对36个居民区提出…要求，各居民区包干294个责任区 (L397).
RESIDENTIAL_AREAS = 36
RESPONSIBILITY_ZONES = 294

#: 三比三争 (L385, headings L387, L391, L395): each contest and the metrics that measure it.
CONTESTS = {
    "method": ("比方法，在党员管理上争一流", "L387"),
    "communication": ("比沟通，在互联互动中争先锋", "L391"),
    "dedication": ("比奉献，在服务群众中争优秀", "L395"),
}

#: 五带头 (L389): 带头为小区建设出谋划策、带头创建文明楼组、带头协调邻里关系、带头维护小区平安
#: 和带头弘扬社会公德.
FIVE_LEADS = {
    "ideas": "带头为小区建设出谋划策",
    "civil_building": "带头创建文明楼组",
    "neighbours": "带头协调邻里关系",
    "safety": "带头维护小区平安",
    "morality": "带头弘扬社会公德",
}

#: 双向认识、双向反馈、双向服务 (L393).
TWO_WAY = {"acquaintance": "双向认识", "feedback": "双向反馈", "service": "双向服务"}

# -- the service posts (小修小补, L397: 认领家电维修、修伞修鞋、理发磨刀、健康检查、心理咨询、
#    法律咨询等“小修小补”岗位，每月定时到居民区服务点提供服务) ----------------------------------
POST_KINDS = {
    "appliance": "家电维修",
    "umbrella_shoe": "修伞修鞋",
    "haircut_knife": "理发磨刀",
    "health_check": "健康检查",
    "counselling": "心理咨询",
    "legal": "法律咨询",
}

#: Case categories: the six post kinds, and what the residential area does for its members and
#: what members relay to their employers (双向服务, L393).
CATEGORIES = {
    **POST_KINDS,
    "community_policy": "社区政策类服务",
    "public_activity": "公共活动类服务",
    "tutor_carer": "找家教、找保姆",
    "employer_help": "向所在单位反映居民区诉求（爱心捐助、环境整治）",
    "other": "其他",
}

CHANNELS = {
    "service_point": "居民区服务点（小修小补岗位, L397）",
    "forum": "班子成员座谈会（现场听取需求和建议, L393）",
    "member": "在职党员反映（L393）",
    "visit": "责任区走访（L397）",
}

ROLES = {
    "in_service_party_member": "在职党员（向居民区报到, L389）",
    "agency_cadre": "街道机关干部（机关党支部在职党员, L389）",
    "party_group_leader": "党小组长（负责党小组活动日, L389）",
    "area_party_secretary": "居民区党组织书记（L389）",
    "subdistrict_leader": "街道党工委班子成员（座谈会、明确答复, L393）",
}

#: Activity kinds recorded in ``zaizhi_activities`` (the plugin's own log).
ACTIVITIES = {
    "study": "集中学习会（每季度第一个月10日, L389）",
    "group_day": "党小组活动日（每季度第二、三个月15日, L389）",
    "visit": "机关干部下居民区（8小时内，每月4次, L389）",
    "volunteer": "居住地志愿服务（8小时外, L389）",
    "post_service": "服务点岗位服务（每月定时, L397）",
    "forum": "班子成员居民区座谈会（L393）",
    "zone_visit": "责任区走访辖区单位和在职党员家庭（L397）",
    "home_support": "走访慰问有特殊困难的党员（L393）",
}
#: Awards named in the source (L393): “两优一先”、“感动友谊好市民”; others are free text.
AWARDS = {"two_excellent_one_advanced": "两优一先", "touching_citizen": "感动友谊好市民"}

# -- the tier chain: the source sets no case deadline; the plugin's chain ---------------------
TIERS = [
    Tier("area", "居民区党组织（服务点、在职党员）", "community",
         "居民区党组织受理；认领岗位的在职党员在每月定时服务日提供服务（L397）；其他诉求限时答复（源文无时限）",
         "L393, L397"),
    Tier("subdistrict", "街道党工委", "township",
         "班子成员深入居民区召开座谈会，现场听取需求和建议，并给予明确答复（源文无时限）", "L393"),
]
TIER_ZH = {t.name: t.title_zh for t in TIERS}

SETTINGS = [
    Setting("study_day", 10, "集中学习会: day of the first month of each quarter (每季度第一个月的10日, L389)",
            minimum=1, maximum=28),
    Setting("group_day", 15, "党小组活动日: day of the second and third months of each quarter (第二、三个月的15日, "
                             "L389)", minimum=1, maximum=28),
    Setting("visits_per_month", 4, "an agency cadre's visits to the subdistrict's residential areas each month, "
                                   "within working hours (“8小时内”每月下街道所辖居民区4次, L389)", minimum=1),
    Setting("work_hours", "09:00-17:00", "the “8小时” of a working day (local HH:MM-HH:MM; the source names no "
                                         "hours): a visit must fall inside them on a working day (China's calendar "
                                         "with 调休), volunteer service outside them"),
    Setting("holiday_shift", "keep", "a study or activity day falling on a non-working day: 'keep' (the date the "
                                     "source gives, default) or 'next_working_day'",
            choices=("keep", "next_working_day")),
    Setting("answer_days", 7, "the residential area answers a request not tied to a service post within N days "
                              "(the source gives no number: 给予明确答复, L393), then it goes to the subdistrict"),
    Setting("answer_day_kind", "calendar", "the kind of answer_days: 'calendar' or 'working'",
            choices=("calendar", "working")),
    Setting("subdistrict_days", 10, "the subdistrict party working committee answers within N working days of "
                                    "escalation (no number in the source), then flagged (督办)"),
    Setting("claim_needs_skill", False, "a member may claim only a post whose kind is among their skills (the "
                                        "spec's “matching their skills”; the original L397 does not require it)"),
    Setting("area_levels", ["community", "residential_area"], "unit levels that are residential areas (居民区, "
                                                              "L389, L397)"),
    Setting("zone_level", "responsibility_zone", "unit level of the responsibility zones (责任区, L397)"),
]

EVENT_LABELS = {"served": "服务点岗位服务", "answered": "明确答复"}

STAGE_RULES = {
    "assignment": StageRule("the member who claimed the service post serves it (认领岗位, L397)", keep=True,
                            lend=False),
    "deadline": StageRule("a post request is served on the post's monthly service day (每月定时, L397)", keep=True,
                          lend=False),
}


@attrs.define
class ZaizhiExtra:
    """``--set`` fields of a request: ``post`` (a service post id, ``zaizhi_posts.id``),
    ``member`` (the employed member who relayed it, a person id, L393), ``to_employer``
    (relayed to the member's employer, L393)."""

    post: int | None = None
    member: str | None = None
    to_employer: bool = False


# -- the quarterly calendar (L389) -------------------------------------------------------------
def quarter_dates(year: int, quarter: int, settings: dict, calendar=None) -> list[tuple[dt.date, str]]:
    """The agency branch's fixed days of ``quarter`` (1–4) of ``year`` (L389): ``study`` on day
    ``study_day`` (10) of the quarter's first month, ``group_day`` on day ``group_day`` (15) of
    its second and third months — local calendar dates. With ``holiday_shift`` =
    'next_working_day' (needs ``calendar``, a ``ctx.calendar``), a date that is not a working
    day moves to the next working day (调休 make-up days count as working). Returns
    ``[(date, kind)]`` in date order. CountyError for a quarter outside 1–4."""
    if quarter not in (1, 2, 3, 4):
        raise CountyError(f"quarter {quarter}: 1–4")
    first = 3 * (quarter - 1) + 1
    out = [(dt.date(year, first, settings["study_day"]), "study"),
           (dt.date(year, first + 1, settings["group_day"]), "group_day"),
           (dt.date(year, first + 2, settings["group_day"]), "group_day")]
    if settings.get("holiday_shift") == "next_working_day":
        shifted = []
        for day, kind in out:
            while not calendar.is_working_day(day):
                day += dt.timedelta(days=1)
            shifted.append((day, kind))
        out = shifted
    return out


def work_hours(settings: dict) -> tuple[dt.time, dt.time]:
    """The ``work_hours`` setting ("09:00-17:00") as (start, end) local times; CountyError
    naming ``[plugins.zaizhi] work_hours`` when malformed or empty."""
    text = settings.get("work_hours")
    try:
        a, b = (dt.time.fromisoformat(p.strip()) for p in str(text).split("-"))
    except ValueError:
        raise CountyError(f"[plugins.zaizhi] work_hours={text!r}: give local HH:MM-HH:MM, e.g. \"09:00-17:00\"") \
            from None
    if a >= b:
        raise CountyError(f"[plugins.zaizhi] work_hours={text!r}: the start must come before the end")
    return a, b


def within_work_hours(calendar, settings: dict, at: dt.datetime) -> bool:
    """True when ``at`` (aware) falls on a working day (China's calendar with 调休, via
    ``calendar``) inside ``work_hours`` (start inclusive, end exclusive) — “8小时内” (L389)."""
    local = calendar.local(at)
    start, end = work_hours(settings)
    return calendar.is_working_day(local.date()) and start <= local.time().replace(tzinfo=None) < end
