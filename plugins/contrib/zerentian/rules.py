"""zerentian's source facts: Lüyuan District's six haves, one review; responsibility fields; the
information platform with PDA phones (吉林长春绿园区“六有一评”“责任田+党支部+服务团”“信息平台+PDA
手机”), casebook L310–316 (the Chinese original ``seeds/000_5340bcb6e23e3aa1.txt``).

Every number here is the casebook's, with its line; whatever the casebook leaves open (every
time limit, the categories, the request's path through the levels) is a :class:`Setting` with
a documented default (README "Settings"). Nothing here reads a deployment.
"""

from __future__ import annotations

import attrs

from framework import MethodInfo, SatisfactionScale, Setting, StageRule, Tier

NAME = "zerentian"
TITLE_ZH = "六有一评·责任田·信息平台+PDA手机"
TITLE = "Six haves, one review; responsibility fields; the platform and PDA phones"
SOURCE_COUNTY = "吉林省长春市绿园区"
SOURCE_LINES = "L310–316"

# -- the six haves, one review (六有一评, L312) -----------------------------------------------
#: 六有 (L312), in the casebook's order.
SIX_HAVES = ("工作有目标", "组织有网络", "办事有平台", "民情有渠道", "服务有载体", "资金有保障")
#: 一评 (L312).
ONE_REVIEW = "百姓来评说"

#: The six-level service platform (六级服务平台, L312), highest first.
PLATFORM_LEVELS = ("区中心", "镇（街）分中心", "村（社区）工作站", "屯（小区）工作室", "责任田党支部", "党员中心户")

#: The June review (服务民生述职测评大会, L312): every year in June (每年6月), a district-wide
#: meeting; its cycle is pledge → fulfil → report → rating (承诺、践诺、述职、测评).
REVIEW_MONTH = 6
REVIEW_CYCLE = {"pledge": "承诺", "fulfil": "践诺", "report": "述职", "rating": "测评"}

# -- the platform's routing (L316) -------------------------------------------------------------
#: The tier chain, lowest first: a request registered at the terminal of its village or community
#: (村或社区的终端进行登记) is reported up level by level (层层上报) to the district civil-affairs
#: handling centre (区民事办理中心终端), which sorts, classifies and aggregates it (梳理、分类、汇总)
#: and transfers it to the terminal of the responsible department (交转到职能部门终端办理解决).
#: The department tier is entered only by that transfer (``county zerentian transfer``).
TIERS = [
    Tier("workstation", "村（社区）工作站", "village",
         "群众的诉求信息可在其所在村或社区的终端进行登记", "L316"),
    Tier("subcentre", "镇（街）分中心", "township", "层层上报", "L312, L316"),
    Tier("district_centre", "区民事办理中心", "county",
         "层层上报直至区民事办理中心终端；平台对诉求信息进行梳理、分类、汇总", "L316"),
    Tier("department", "职能部门", "department", "交转到职能部门终端办理解决", "L316", by_command_only=True),
]
TIER_NAMES = tuple(t.name for t in TIERS)
TIER_ZH = {t.name: t.title_zh for t in TIERS}
#: Unit levels a workstation serves (村（社区）, L316): a village or an urban community.
WORKSTATION_LEVELS = ("village", "community")
#: The person who answers at each tier: the one person of the tier's unit holding this role.
ROLE_OF_TIER = {"workstation": "workstation_staff", "subcentre": "subcentre_staff",
                "district_centre": "centre_staff", "department": "department_staff"}

#: Platform coverage (L316): 48 district departments, 11 towns/subdistricts/development zones,
#: 75 villages and communities. Outcome: 4,586 requests reported, 4,369 handled, 办结率 95.3%.
COVERAGE = {"department": 48, "township": 11, "village_community": 75}
PLATFORM_REPORTED, PLATFORM_HANDLED, PLATFORM_RATE_PCT = 4586, 4369, 95.3

# -- responsibility fields (责任田+党支部+服务团, L314) ------------------------------------------
#: 75 villages/communities subdivided into 554 fields, each with a party branch and a service team.
FIELDS_TOTAL, FIELD_VILLAGES = 554, 75
#: Service-team member kinds (L314): 社会志愿者、在职党员、驻区单位党员 form the team; 离退休老党员
#: and volunteers are its backbone (骨干). The participation figures name 老党员, 在职党员,
#: 党建志愿者 and 社会热心人士.
MEMBER_KINDS = {
    "veteran_party_member": "离退休老党员",
    "in_service_party_member": "在职党员",
    "unit_party_member": "驻区单位党员",
    "volunteer": "志愿者（社会志愿者、党建志愿者）",
    "helper": "社会热心人士",
}
#: Backbone kinds (骨干, L314): retired veteran party members and volunteers.
BACKBONE_KINDS = ("veteran_party_member", "volunteer")
#: The responsibility-field outcome (L314): participants by kind; 3,800+ problems solved, 416
#: disputes resolved, 235 cultural and sport events.
FIELD_PARTICIPANTS = {"veteran_party_member": 3012, "in_service_party_member": 1159, "volunteer": 820,
                      "helper": 4658}
FIELD_SOLVED_MIN, FIELD_DISPUTES, FIELD_EVENTS = 3800, 416, 235
#: Field activities (L314: 开展文体活动235场): the kinds a field records.
ACTIVITY_KINDS = {"culture_sport": "文体活动", "service": "志愿服务", "other": "其他活动"}

# -- organisation growth and support (L312), for the README and `county zerentian facts` -------
ORG_GROWTH = {"building_branches": 195, "enterprise_branches": 704, "orgs_before": 585, "orgs_after": 1617,
              "years": 2}
PROGRAMMES, MECHANISMS, CHANNELS_TOTAL = 15, 8, 12

# -- intake (L312, L316) ---------------------------------------------------------------------
#: 十二个民情民意收集渠道 (L312): four are named; the other eight are not (``other``). PDA uploads
#: by the information officers (L316) and registration at the village/community terminal (L316).
CHANNELS = {
    "terminal": "村（社区）终端登记",
    "pda": "民情信息员PDA上报",
    "talk_day": "民情恳谈日",
    "hotline_110": "区委书记“民生110”热线",
    "qq_group": "服务民生QQ群",
    "talk_point": "群众说事点",
    "other": "其他收集渠道",
}
#: The casebook lists no categories (L316: 梳理、分类、汇总); these are the plugin's, with the
#: keywords its triage files a request by (setting ``keywords`` replaces them).
CATEGORIES = {
    "livelihood": "民生保障", "infrastructure": "基础设施", "environment": "环境卫生", "safety": "安全隐患",
    "dispute": "矛盾纠纷", "employment": "就业创业", "other": "其他",
}
KEYWORDS = {
    "livelihood": ["低保", "救助", "医保", "养老", "困难"],
    "infrastructure": ["道路", "路面", "路灯", "塌陷", "供水", "停水", "排水", "管道", "供暖", "暖气"],
    "environment": ["垃圾", "卫生", "污水", "噪音"],
    "safety": ["隐患", "消防", "危房", "井盖"],
    "dispute": ["纠纷", "矛盾", "邻里"],
    "employment": ["就业", "招聘", "创业"],
}

ROLES = {
    "opinion_info_officer": "民情信息员",
    "workstation_staff": "村（社区）工作站人员",
    "subcentre_staff": "镇（街）分中心人员",
    "centre_staff": "区民事办理中心人员",
    "department_staff": "职能部门人员",
    "field_secretary": "责任田党支部书记",
    "hub_household": "党员中心户",
}

#: 民生好不好群众测评 (L312): the people's rating scale at the June review (the kernel's default
#: three levels); 满意 and 基本满意 count as good.
RATING_LEVELS = {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"}
GOOD_RATINGS = ("satisfied", "basically")

SETTINGS = [
    Setting("start_tier", "workstation",
            "where a request starts: workstation (the village/community terminal solves what it can on the "
            "front line, L316 一线解决, and reports up the rest) or district_centre (every request is reported "
            "up at once to the centre, L316 层层上报直至区民事办理中心); the casebook does not say which",
            choices=("workstation", "district_centre")),
    Setting("day_kind", "working", "how every limit counts: working (工作日, China's calendar with 调休) or "
                                   "calendar (天); the casebook gives no limit at all (L316: 实时)",
            choices=("working", "calendar")),
    Setting("workstation_days", 3, "workstation: solve within N days of registration, else reported up to the "
                                   "sub-centre (层层上报, L316; no number in the casebook)", minimum=1),
    Setting("subcentre_days", 3, "sub-centre: solve within N days, else reported up to the district centre "
                                 "(L316; no number in the casebook)", minimum=1),
    Setting("centre_days", 2, "district centre: sort, classify and transfer to a department within N days, "
                              "else flagged 督办 (L316 梳理、分类、汇总、交转; no number)", minimum=1),
    Setting("department_days", 10, "department: solve within N days of the transfer, else flagged 督办 "
                                   "(L316; no number in the casebook)", minimum=1),
    Setting("keywords", {}, "triage: {category: [keyword, …]} replacing the plugin's own list (the casebook "
                            "lists no categories, L316)", types=(dict,)),
    Setting("category_departments", {}, "transfer: {category: department unit code} used when "
                                        "`transfer` names no --department (not in the casebook)", types=(dict,)),
    Setting("completion_basis", "cumulative",
            "completion_rate (办结率, L316): cumulative (every request reported up to the period's end, as "
            "L316's 目前…已办理) or period (requests taken in during the period)",
            choices=("cumulative", "period")),
]

STAGE_RULES = {
    "intake": StageRule("the request is registered at its village or community terminal, or uploaded by a PDA "
                        "with photos and video (L316)", keep=True),
    "assignment": StageRule("the platform's terminals: workstation, sub-centre, district centre, the department "
                            "the centre transfers to; the field's party branch beside the workstation (L314, L316)",
                            keep=True, lend=False),
    "deadline": StageRule("the platform's routing up to the district centre and then to a department (L316)",
                          keep=True, lend=False),
}
EVENT_LABELS = {"transferred": "交转职能部门"}


@attrs.define
class ZerentianExtra:
    """``--set`` fields: ``field`` (the responsibility field 责任田 id, ``county zerentian field
    add``), ``officer`` (the 民情信息员 who reported it, a person id; required for channel pda),
    ``hamlet`` (屯/小区, free text), ``household`` (the party-member hub household or the
    requester's household, free text)."""

    field: str | None = None
    officer: str | None = None
    hamlet: str | None = None
    household: str | None = None


def method_info() -> MethodInfo:
    """The declaration (``county_method``)."""
    return MethodInfo(
        name=NAME, title_zh=TITLE_ZH, title=TITLE, source_county=SOURCE_COUNTY, source_lines=SOURCE_LINES,
        version="0.1.0", stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=CHANNELS, categories=CATEGORIES, tiers=TIERS, roles=ROLES, settings=SETTINGS,
        extra_type=ZerentianExtra, stage_rules=STAGE_RULES, event_labels=EVENT_LABELS,
        satisfaction=SatisfactionScale(levels=tuple(RATING_LEVELS.items()), good=GOOD_RATINGS),
    )
