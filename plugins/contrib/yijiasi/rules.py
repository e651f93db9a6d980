"""“1+4”组团服务 (yijiasi): Huai'an's team service for urban communities (江苏淮安：大力实施社区
“1+4”组团服务), casebook L447–457 (methods.md §2.20; the Chinese original
``seeds/000_5340bcb6e23e3aa1.txt`` wins where methods.md differs).

Every number here is the casebook's, with its line; whatever the casebook leaves open is a
``Setting`` whose default is this plugin's choice, said so in its description and the README.
"""

from __future__ import annotations

import attrs

from framework import Setting, StageRule, Tier

NAME = "yijiasi"
TITLE_ZH = "社区“1+4”组团服务"
TITLE = "“1+4” team service for urban communities"
SOURCE_COUNTY = "江苏省淮安市"
SOURCE_LINES = "L447–457"

# --- the team: "1+4" (L449) ------------------------------------------------------------------
#: The "1": the community party organisation is the main body (以社区党组织为主体, L449); its
#: secretary (社区党组织书记) leads each case of the community.
PARTY_SECRETARY = "party_secretary"
#: The "4" (L449): 市直部门、社区党建工作指导员、大学生党员义工、律师党员志愿者.
MEMBER_KINDS = {"department": "市直部门", "instructor": "社区党建工作指导员",
                "student": "大学生党员义工", "lawyer": "律师党员志愿者"}
#: 服务团团长 (L457): leads the daily coordination and is supervised by all members.
TEAM_LEADER = "team_leader"
ROLES = {PARTY_SECRETARY: "社区党组织书记", TEAM_LEADER: "服务团团长",
         **{f"{k}_member": v for k, v in MEMBER_KINDS.items()}}

# --- participation cadence (L455: 常态化锻炼) ---------------------------------------------------
#: 服务团每季度至少开展一次集中服务活动 (L455).
EVENTS_PER_QUARTER = 1
#: 各成员每周主动与社区联系不少于一次 (L455). A week runs Monday to Sunday (the plugin's reading).
CONTACTS_PER_WEEK = 1
#: 每两周参与社区工作不少于一天 (L455): at least one day in every window of 14 days.
WORKDAYS_PER_FORTNIGHT = 1
FORTNIGHT_DAYS = 14

# --- the annual co-construction agreement (L453: 契约式运作) -----------------------------------
#: 每年初…签订《共建协议书》，进一步明确共建双方在服务社区居民、加快社区发展、推动基层民主、
#: 帮扶弱势群体等方面的职责 (L453): the four areas are the method's categories too.
AREAS = {"residents": "服务社区居民", "development": "加快社区发展", "democracy": "推动基层民主",
         "vulnerable": "帮扶弱势群体"}

# --- posts claimed by community party members (L455) ------------------------------------------
#: 主动认领民情收集、文化娱乐、矛盾调解、财务监督等12种岗位 (L455): 12 kinds, only 4 named.
POST_KINDS_TOTAL = 12
NAMED_POSTS = {"opinion_collection": "民情收集", "culture": "文化娱乐", "mediation": "矛盾调解",
               "finance_oversight": "财务监督"}

# --- services (L451, L453) -> which partner serves them -----------------------------------------
#: 法律援助、健康咨询、文艺演出、义务家教 (L451); 心理咨询、劳资调解、卫生保健 in the partner units'
#: workrooms (专项工作室, L453); 党建 guidance by the instructors (L449). Which kind of member takes
#: which service is the plugin's reading (the casebook names the services, not who gives them).
SERVICES = {"legal_aid": ("法律援助", "lawyer"), "labour_mediation": ("劳资调解", "lawyer"),
            "health": ("健康咨询", "department"), "counselling": ("心理咨询", "department"),
            "health_care": ("卫生保健", "department"), "tutoring": ("义务家教", "student"),
            "performance": ("文艺演出", "student"), "party_building": ("党建指导", "instructor"),
            "other": ("其他", "department")}

# --- layered appraisal (L457: 分层化考评) -------------------------------------------------------
APPRAISERS = {"org_dept": "市委组织部", "university": "高校", "justice_bureau": "市司法局",
              "partner_unit": "共建单位", "team_leader": "服务团团长"}
#: 高校和市司法局分别负责大学生党员义工、党员律师志愿者的日常管理和年度考核工作 (L457).
APPRAISER_OF = {"student": "university", "lawyer": "justice_bureau"}
ANNUAL_ASSESSED = ("student", "lawyer")
RESULTS = {"excellent": "优秀", "competent": "称职", "basic": "基本称职", "incompetent": "不称职"}
OPINIONS = {"agree": "同意", "disagree": "不同意"}
PURPOSES = {"assessment": "考核", "commendation": "表彰"}
#: 市委组织部…通过现场观摩、临时抽查等方式对组团服务工作进行督查 (L457).
CHECK_MODES = {"observation": "现场观摩", "spot_check": "临时抽查"}

# --- cases: the chain is the plugin's (the casebook gives no case limits) -----------------------
TIERS = [
    Tier("team", "服务团办理", "community", "社区党组织牵头、服务团成员会办（以社区党组织为主体）", "L449"),
    Tier("leader", "服务团团长协调", "community", "服务团团长牵头负责日常组织协调（逾期督办）", "L457"),
]
TIER_ZH = {t.name: t.title_zh for t in TIERS}
CHANNELS = {"contact": "成员联系社区", "post": "党员岗位（民情收集）", "visit": "面对面互动交流",
            "workroom": "专项工作室"}
CATEGORIES = AREAS

SETTINGS = [
    Setting("team_days", 7, "tier team: close within N calendar days of arrival, else up to the team leader "
                            "(the casebook gives no case limit: the plugin's choice)", minimum=1, maximum=365),
    Setting("leader_working_days", 5, "tier leader: close within N working days (调休 counted) of arrival, else "
                                      "flagged 督办 (no limit in the casebook: the plugin's choice)",
            minimum=1, maximum=365),
    Setting("agreement_by", "01-31", "每年初签订《共建协议书》(L453): the agreement is due by this MM-DD of each "
                                     "year (年初 has no date: end of January is the plugin's choice)"),
    Setting("lead_event_by", "03-31", "团长所在社区每年率先开展组团服务活动 (L457): the leader's community must hold "
                                      "the team's first event of the year by this MM-DD (the plugin's choice: "
                                      "the end of the first quarter, when the quarterly event is due anyway)"),
    Setting("fortnight_start", "2024-01-01", "每两周参与社区工作不少于一天 (L455): the fortnights are the 14-day "
                                             "windows counted from this date (a Monday; the plugin's choice)"),
    Setting("community_veto", "commendation",
            "服务团所有成员的考核及表彰需征求共建社区的意见 (L457): the opinion must be asked before either; a "
            "'disagree' stops: commendation (default), both, or none (consulted only)",
            choices=("commendation", "both", "none")),
    Setting("instructor_appraiser", "org_dept", "who assesses the 党建工作指导员 each year (L457 names only the "
                                                "students' and lawyers' appraisers): org_dept 市委组织部 by default",
            choices=tuple(APPRAISERS)),
    Setting("department_appraiser", "partner_unit", "who assesses the 市直部门 members (L457: 共建单位 lead the "
                                                    "appraisal beside 市委组织部): partner_unit by default",
            choices=tuple(APPRAISERS)),
    Setting("other_posts", [], "the 8 post kinds of the 12 (L455) the casebook leaves unnamed: their Chinese "
                               "names, at most 8 (none by default)"),
    Setting("default_area", "residents", "triage: the agreement area (L453) of a matter taken in without a "
                                         "category", choices=tuple(AREAS)),
]

STAGE_RULES = {
    "intake": StageRule("a matter belongs to the co-built community of a service team (L449: 与社区结对)",
                        keep=True),
    "assignment": StageRule("the community party organisation leads, a team member handles jointly (L449: "
                            "以社区党组织为主体)", keep=True, lend=False),
    "deadline": StageRule("the team's chain: 服务团 then 服务团团长 (L457)", keep=True, lend=False),
}
EVENT_LABELS = {}


@attrs.define
class Extra:
    """``--set`` fields: ``service`` (the kind of service asked for, one of SERVICES; default
    other), ``member`` (a team member's person id to handle it jointly; default: chosen),
    ``post`` (the post of the party member who collected it, L455), ``team`` (the team's code,
    filled by intake)."""

    service: str = "other"
    member: str | None = None
    post: str | None = None
    team: str | None = None
