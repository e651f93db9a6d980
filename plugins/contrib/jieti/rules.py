"""jieti's source facts: Mojiang's three ways (墨江“三种方式”), casebook L292–306.

Every number here is the casebook's, with its line; whatever the casebook leaves open is a
:class:`Setting` with a documented default (README "Settings"). Nothing here reads a
deployment: the stages, services and duties take these constants and ``ctx.settings``.
"""

from __future__ import annotations

import attrs

from framework import CountyError, MethodInfo, Setting, StageRule, Tier

NAME = "jieti"

# -- the ladder (阶梯式解决民困, L306) ------------------------------------------------------------
#: The tier chain, lowest first. A matter starts at the lowest tier whose scope covers it
#: (triage) and climbs to the next one when it is not settled in that tier's time (deadline;
#: the casebook gives no day counts, L306 — the times are settings). ``county_leadership`` is
#: entered only by command: the leading-group office's feasibility report (L306) or a village
#: reporting a matter beyond the departments' powers (L306).
TIERS = [
    Tier("household", "农户（组级责任人和勤务员）", "group",
         "对个别农户的困难问题，由组级责任人和勤务员协调解决", "L306"),
    Tier("group", "村民小组（组级责任人）", "group",
         "对村民小组或一个小组多个群众反映事项，由组级区责任人直接帮助解决或协调相关部门帮助解决", "L306"),
    Tier("village", "村（挂牌办理）", "village",
         "对一个村或一个村多个村民小组的事项，由村级责任人和挂钩联系部门挂牌办理", "L306"),
    Tier("township", "乡（镇）", "township",
         "对一个乡（镇）或一个乡（镇）多个村的事项，乡（镇）级责任人协调、督促相关部门帮助解决", "L306"),
    Tier("county_office", "县群众工作领导小组办公室", "county",
         "对涉及全县改革、发展、稳定大局的事项，县群众工作领导小组办公室组织开展调研，形成可行性调查报告", "L306"),
    Tier("county_leadership", "县委、政府", "county",
         "提交县委、政府研究解决；超出部门权限或短期难以解决的事项，及时向县委、政府报告", "L306",
         by_command_only=True),
]
TIER_NAMES = [t.name for t in TIERS]
TIER_ZH = {"household": "农户", "group": "村民小组", "village": "村", "township": "乡（镇）",
           "county_office": "县群众工作领导小组办公室", "county_leadership": "县委、政府"}

#: The scope of a matter (事项范围, L306) and the tier it starts at.
SCOPES = {
    "household": "个别农户的困难问题",
    "group": "村民小组或一个小组多个群众反映事项",
    "village": "一个村或一个村多个村民小组的事项",
    "township": "一个乡（镇）或一个乡（镇）多个村的事项",
    "county": "涉及全县改革、发展、稳定大局的事项",
}
SCOPE_TIER = {"household": "household", "group": "group", "village": "village", "township": "township",
              "county": "county_office"}
#: Chinese words accepted for ``--set scope`` beside the codes.
SCOPE_ALIASES = {"农户": "household", "户": "household", "组": "group", "村民小组": "group", "村": "village",
                 "乡": "township", "镇": "township", "乡镇": "township", "县": "county", "全县": "county"}

#: The zone kinds (民情责任区, L298): county and township zones drawn by unit (机关、站所、学校、
#: 医院、企业、街道、小区、楼院), village and group zones by administrative boundary.
ZONE_KINDS = {
    "county": "县级责任区",
    "county_department": "县级部门责任区",
    "township": "乡（镇）责任区",
    "village": "村级责任区",
    "group": "村民小组级责任区",
}
#: The ladder tier → the zone kind whose leader (责任人) handles it (L306).
TIER_ZONE = {"household": "group", "group": "group", "village": "village", "township": "township"}

# -- people ---------------------------------------------------------------------------------
ROLES = {
    "county_leader": "县级领导干部",
    "department_head": "县级部门负责人",
    "township_leader": "乡（镇）党政领导班子成员",
    "station_head": "乡镇站所、院校负责人",
    "people_servant": "人民勤务员",
    "opinion_liaison": "民情联络员",
    "liaison_cadre": "乡（镇）负责联系工作的副科级领导干部",
    "mass_work_office": "县群众工作领导小组办公室",
    "inspection_centre": "县委工作督查中心",
    "section_leader": "副科级以上领导干部",
    "agency_cadre": "普通机关干部",
}

#: Zone-holding rules (“坚实塔顶”领导分级包干责任制, L298): role → {zone kind: how many zones}.
#: The station head also contacts 3–5 group zones by area (分片联系3—5个组级责任区).
HOLDING = {
    "county_leader": {"township": 1, "county_department": 1},
    "department_head": {"county": 1, "village": 1},
    "township_leader": {"township": 1, "village": 1},
    "station_head": {"group": 1},
}
AREA_CONTACT_MIN, AREA_CONTACT_MAX = 3, 5      # L298: 分片联系3—5个组级责任区

# -- the four selection bodies and their joint meetings (民情遴选机构, 民情联席会议, L302) ------------
BODIES = {
    "group": ("组级民情遴选机构", "week", "每周召开一次联席会议，收集整理民情民意"),
    "village": ("村级民情遴选机构", "half_month", "每半个月召开一次联席会议，汇总报送民情民意"),
    "township": ("乡级遴选机构", "month", "每个月召开一次联席会议，分析遴选民情民意"),
    "county": ("县级遴选机构", "quarter", "每季度召开一次联席会议，研究解决民情事项"),
}
BODY_LEVELS = {"group": ("group",), "township": ("township",), "county": ("county",)}   # village: setting
CADENCE_ZH = {"week": "每周", "half_month": "每半个月", "month": "每月", "quarter": "每季度"}

#: The township liaison cadre's reports (L302): monthly to the paired city/county units on the
#: opinions of the zones they are paired with, quarterly to the paired leaders on the township's
#: progress ("基层倒逼挂钩部门").
LIAISON_REPORTS = {"monthly": ("向市、县挂钩单位报告责任区民情民意收集梳理情况", "month"),
                   "quarterly": ("向市、县挂钩领导报告全乡工作推进落实情况", "quarter")}

# -- annual quotas (L306) ---------------------------------------------------------------------
QUOTA_KINDS = {"grassroots_days": "下基层天数", "deed": "为群众办实事"}

# -- the slogan (L302) ------------------------------------------------------------------------
SLOGAN = "小事不出村、大事不出乡、矛盾不上交"
VILLAGE_TIERS = ("household", "group", "village")
TOWNSHIP_TIERS = VILLAGE_TIERS + ("township",)

CHANNELS = {
    "contact_card": "民情联系卡",          # 发放民情联系卡23620张 (L298)
    "servant_visit": "人民勤务员联系走访",  # L298
    "reception": "县级领导定点定时坐班接待",  # L302
    "selection_meeting": "民情联席会议",     # L302
    "down_visit": "干部下访",              # 变群众上访为干部下访 (L302)
    "petition": "信访",                   # L302
}
CATEGORIES = {
    "reform_development": "改革发展中的问题",   # 4个80% (L302)
    "hardship": "实际困难",
    "dispute": "矛盾纠纷",
    "other": "其他",
}
EVENT_LABELS = {
    "reported_up": "超出部门权限，向群众说明原因并报告县委、政府",
    "feasibility_report": "可行性调查报告提交县委、政府",
    "selection_meeting": "民情联席会议遴选",
}


@attrs.define
class JietiExtra:
    """jieti's case fields (``--set KEY=VALUE``).

    ``scope``: household / group / village / township / county (or 农户/组/村/乡/县) — the
    matter's reach (L306); ``affected``: unit codes the matter touches (``;`` or ``,``), their
    lowest common unit gives the scope when ``scope`` is not given; ``households``: how many
    households raised it (1 = a household matter); ``group``: the villager group of a household
    matter taken in at a village; ``household``: the household's name (masked on boards);
    ``servant``: the people's servant (人民勤务员) who contacts the household (a person id)."""

    scope: str | None = None
    affected: str | None = None
    households: int | None = None
    group: str | None = None
    household: str | None = None
    servant: str | None = None


SETTINGS = [
    Setting("day_unit", "calendar_days",
            "unit of every tier's time: calendar_days (due 23:59:59 local on the Nth day) or working_days "
            "(China's calendar with 调休); the casebook states no day counts for cases (L306)"),
    Setting("household_days", 7, "household tier: days to settle before the matter climbs to the group "
            "(no number in L306; default = the group body's weekly meeting, L302)"),
    Setting("group_days", 7, "group tier: days before the matter climbs to the village (default = the "
            "group body's weekly meeting, L302)"),
    Setting("village_days", 15, "village tier: days before the matter climbs to the township (default = the "
            "village body's half-monthly meeting, L302)"),
    Setting("township_days", 30, "township tier: days before the matter climbs to the county leading-group "
            "office (default = the township body's monthly meeting, L302)"),
    Setting("county_office_days", 90, "county leading-group office: days to submit the feasibility report, "
            "then flagged (督办) (default = the county body's quarterly meeting, L302, L306)"),
    Setting("miss_action", "flag", "what a missed tier time does below the county: flag (督办, the matter "
            "stays at the tier its scope gave it, default: L306 routes by scope and sends what a village cannot "
            "solve to the county committee and government by report, not up the ladder by time) or escalate "
            "(the ladder climbs: the spec's reading)", choices=("flag", "escalate")),
    Setting("village_levels", ["village", "community"], "unit levels that serve the village tier and hold "
            "village zones (a community is ranked as a village)"),
    Setting("county_servant_days", 30, "days per year at the grassroots a county-unit servant owes "
            "(L306: 不少于1个月; 1 month read as 30 days)"),
    Setting("township_servant_days", 90, "days per year at the grassroots a township-unit servant owes "
            "(L306: 不少于3个月; read as 90 days)"),
    Setting("leader_deeds", 3, "practical things per year a leader at deputy section level or above owes "
            "(L306: 至少3—5件; the floor 3)"),
    Setting("cadre_deeds", 1, "practical things per year an ordinary agency cadre owes (L306: 至少1—2件; the floor 1)"),
    Setting("group_meeting_weekday", 7, "weekday (1 = Monday … 7 = Sunday) the group body's weekly meeting "
            "is due by (L302 says weekly, not which day)"),
]

STAGE_RULES = {
    "triage": StageRule("阶梯式解决民困: a matter starts at the tier its scope covers — household, group, "
                        "village, township or county (L306)", keep=True),
    "assignment": StageRule("the zone leader (责任人) of the tier's zone handles it, with the people's servant "
                            "for a household and the paired department for a village (L298, L306)", keep=True),
    "deadline": StageRule("no day counts in the source (L306): a chain may time jieti's matters if it climbs "
                          "through the village and the township", tiers=("village", "township")),
}


def method_info() -> MethodInfo:
    """jieti's declaration (L292–306)."""
    return MethodInfo(
        name=NAME, title_zh="“三种方式”：金字塔式联系、聚焦式收集、阶梯式解决",
        title="Three ways: pyramid contact, focused collection, ladder resolution",
        source_county="云南省墨江县 Mojiang County, Yunnan", source_lines="L292–306", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=dict(CHANNELS), categories=dict(CATEGORIES), tiers=list(TIERS), roles=dict(ROLES),
        settings=list(SETTINGS), extra_type=JietiExtra, stage_rules=dict(STAGE_RULES),
        event_labels=dict(EVENT_LABELS),
    )


def village_levels(ctx) -> tuple[str, ...]:
    """Setting ``village_levels`` (a list of unit levels); CountyError naming it when malformed."""
    levels = ctx.settings["village_levels"]
    if not isinstance(levels, list) or not levels or not all(isinstance(x, str) and x for x in levels):
        raise CountyError(f"[plugins.jieti] village_levels: {levels!r}; a list of unit levels, e.g. [\"village\"]")
    return tuple(levels)
