"""普洱情感攻势·五字法与粘、盯、靠 (wuzifa): the rules and declarations, each with its casebook line.

Source: the casebook ``seeds/000_5340bcb6e23e3aa1.txt`` L47–61 (methods.md §2.2; where the two
differ the Chinese original wins, README "Spec vs original"). Jiahe township (嘉禾乡), Jiangcheng
County (江城县), Pu'er (普洱), Yunnan: in March 2009 a land-lease dispute between farm households
and a rubber company's branch threatened a mass incident (L49); city, county and township drew
staff into a work group (工作组, L49) that worked every household with the five characters
笑、问、听、析、讲 (L53), then, where those failed, with 粘、盯、靠 (L57), until the last household
signed (L57); it also collected the villagers' other problems — small ones solved on the spot,
project and large-sum ones passed up to higher levels and departments (L61).

The casebook gives **no** day count, cadence or quota for this method ("数月", L61): every time
limit below is a setting with a documented default (the plugin's choice, said so).
"""

from __future__ import annotations

import attrs

from framework import Setting, StageRule, Tier

NAME = "wuzifa"
TITLE_ZH = "情感攻势·“五字法”与“粘、盯、靠”"
TITLE = "Emotional engagement: the five-character method and stick / fix on / lean on"
SOURCE_COUNTY = "云南省普洱市江城县嘉禾乡"
SOURCE_LINES = "L47–61"

# -- the chain ---------------------------------------------------------------------------------
#: The work group (工作组) at the township handles the dispute and collects the side problems
#: (L49, L61); what it cannot settle goes to the higher levels and the relevant departments
#: (L61: 及时将群众的想法和困难反馈给上级和各相关部门).
TIERS = [
    Tier("work_group", "工作组", "township", "市县乡抽调工作队员组成工作组，深入一线化解矛盾纠纷", "L49"),
    Tier("higher_level", "上级和相关部门", "department",
         "群众的想法和困难反馈给上级和各相关部门；涉及项目和大额资金的争取项目落实资金", "L61"),
]
TIER_ZH = {"work_group": "工作组", "higher_level": "上级和相关部门"}

# -- categories and channels -------------------------------------------------------------------
#: The collective dispute itself (L49) and the two kinds of side problem (L61).
CATEGORIES = {
    "collective_dispute": "群体性矛盾纠纷",   # L49: 土地租赁纠纷，“还我土地”
    "small_matter": "群众小事",              # L61: 对一些小事，能帮就帮，能当场解决就立马解决
    "project_funding": "项目和大额资金",      # L61: 对涉及项目和大额资金的，…争取项目落实资金
}
CHANNELS = {
    "work_group": "工作组进村",        # L49: 深入一线
    "mediation": "调解中收集",         # L61: 在做群众思想和矛盾调解工作的同时…收集整理
    "household_visit": "入户访贫问苦",  # L61: 走进农户家中…访贫问苦
}

ROLES = {
    "work_group_leader": "工作组组长",      # L49 (the group is formed; its lead is the plugin's handler)
    "work_group_member": "工作队员",        # L49: 抽调工作队员组成工作组
    "department_staff": "相关部门工作人员",  # L61: 上级和各相关部门
}

# -- the techniques ------------------------------------------------------------------------------
#: The five characters, in the order the casebook works them (L53): 笑 lowers the guard, 问 starts
#: from daily life, 听 comes once people are willing to talk (“群众愿意和工作组对话”), 析 "通过问和听",
#: 讲 once the platform is built (“与群众沟通交流的平台建起后”).
FIVE = ("smile", "ask", "listen", "analyse", "explain")
#: The escalated techniques for those the five characters did not move (L57: 即使采用“五字法”也不见成效).
ESCALATED = ("stick", "fix_on", "lean_on")
TECHNIQUES = FIVE + ESCALATED
TECHNIQUE_ZH = {"smile": "笑", "ask": "问", "listen": "听", "analyse": "析", "explain": "讲",
                "stick": "粘", "fix_on": "盯", "lean_on": "靠"}

#: How hard a household is to persuade (methods.md §2.2 triage, read from L57: 很难沟通、很不配合的
#: 群众; 关键农户; 钉子户). The order is the spec's; the original names the kinds, not a scale.
DIFFICULTIES = ("ordinary", "hard", "key", "holdout")
DIFFICULTY_ZH = {"ordinary": "一般农户", "hard": "难沟通户", "key": "关键农户", "holdout": "钉子户"}

#: Whom 靠 recruits (L57: 请工作对象的亲戚、朋友、同学、同事等出马劝说).
RELATIONS = ("kin", "friend", "classmate", "colleague")
RELATION_ZH = {"kin": "亲戚", "friend": "朋友", "classmate": "同学", "colleague": "同事"}

#: Where the work-group members were drawn from (L49: 市、县、乡及时抽调工作队员).
DRAWN_FROM = ("city", "county", "township")
DRAWN_ZH = {"city": "市", "county": "县", "township": "乡"}

#: Care alongside the mediation (L61): 送温暖、送爱心、送医疗、送文艺; 义诊; 民房改造; 水、电、路通达工程.
CARE_KINDS = {"warmth": "送温暖", "goodwill": "送爱心", "medical": "送医疗", "culture": "送文艺",
              "free_clinic": "义诊", "home_repair": "民房改造", "infrastructure": "水电路通达工程"}

# -- the settlement (L53) and the outcome (L61) -------------------------------------------------
#: L53: 土地租期从80年改为50年，橡胶未开割的每亩租金30元；开割的每亩50元，并以5%的比例参与分红.
LEASE_YEARS_BEFORE = 80
#: L61 outcome of the Jiahe dispute, for the README and the tests: 核定土地租赁总面积7762.36亩，签定合同
#: 213份，签定率100%，土地租赁资金兑付率100%.
OUTCOME = {"area_mu": 7762.36, "contracts": 213, "signing_rate": 1.0, "payment_rate": 1.0}

SETTINGS = [
    Setting("dispute_days", 90, "collective dispute: the work group's limit in calendar days from intake, then "
            "flagged 督办 (the casebook gives none: 数月, L61; default three months)", minimum=1),
    Setting("small_matter_days", 3, "small matter not settled on the spot: calendar days at the work group, then "
            "passed up to the higher level (L61 gives no number: 能帮就帮，能当场解决就立马解决)", minimum=1),
    Setting("feedback_working_days", 5, "project / large-sum matter: working days for the work group to pass it "
            "to the higher levels and departments, else escalated by the sweep (L61: 及时…反馈; no number)",
            minimum=1),
    Setting("higher_level_working_days", 15, "higher level / department: working days to answer, then flagged "
            "督办 (L61 gives no number)", minimum=1),
    Setting("large_sum_yuan", 10000, "triage: a side problem whose --set amount (yuan) is at least this is a "
            "project_funding matter (L61: 大额资金; the casebook gives no figure)"),
    Setting("contact_every_days", 7, "duty: each unsigned household of an open dispute is contacted (a recorded "
            "step) at least once every N calendar days (L57: 白天找不着晚上找; no number)", minimum=1),
    Setting("work_group_levels", ["city", "county", "township"], "duty and check: the levels a dispute's work "
            "group draws its members from (L49: 市、县、乡)"),
    Setting("five_in_order", True, "refuse a five-character step before the earlier ones for that household "
            "(L53 works them 笑→问→听→析→讲)"),
    Setting("escalate_after_five", True, "refuse 粘/盯/靠 before the five characters were worked through to 讲 "
            "(L57: 即使采用“五字法”也不见成效…又采用了新的工作方法)"),
    Setting("lease_years", 50, "settlement: lease term in years (L53: 从80年改为50年)", minimum=1),
    Setting("rent_untapped", 30, "settlement: yearly rent in yuan per mu where rubber is not yet tapped "
            "(L53: 橡胶未开割的每亩租金30元)"),
    Setting("rent_tapped", 50, "settlement: yearly rent in yuan per mu where rubber is tapped (L53: 开割的每亩50元)"),
    Setting("dividend_share", 0.05, "settlement: share of dividends (L53: 以5%的比例参与分红)", maximum=1),
    Setting("dividend_on_untapped", False, "settlement: whether untapped land shares the dividend too "
            "(L53 attaches the 5% to the tapped-land clause; methods.md §6 #11)"),
]

#: How ``[bindings]`` may compose the stages (docs/hooks.md §11.1).
STAGE_RULES = {
    "intake": StageRule("the work group takes in the dispute and the problems it collects (L49, L61)", keep=True),
    "triage": StageRule("side problems split into small matters and project / large-sum ones (L61)",
                        keep=True, lend=False),
    "assignment": StageRule("the work group, then the higher level or department named (L49, L61)",
                            keep=True, lend=False),
    "deadline": StageRule("no limit in the casebook (数月, L61): the settings time the work group and the "
                          "higher level", keep=True, lend=False),
}

EVENT_LABELS = {
    "technique": "做工作（五字法/粘盯靠）",
    "household_listed": "列入签约农户",
    "work_group_member": "工作队员加入",
    "relation_recorded": "登记关系",
    "paid": "租赁资金兑付",
    "care": "访贫问苦",
    "fed_back": "反馈上级和相关部门",
}


@attrs.define
class Extra:
    """The ``--set`` fields of a wuzifa case (``MethodInfo.extra_type``).

    * ``on_the_spot`` (bool): a small matter solved there and then (L61: 能当场解决就立马解决);
      the case is settled at intake.
    * ``amount`` (float, yuan): the money a side problem involves; at least the setting
      ``large_sum_yuan`` makes it a project / large-sum matter (L61).
    * ``project`` (bool): the matter involves a project (L61: 涉及项目).
    * ``department`` (unit code): the department the matter goes to at the higher level (L61).
    * ``dispute`` (case id): the collective dispute during whose mediation the problem was
      collected (L61: 在做群众思想和矛盾调解工作的同时).
    """

    on_the_spot: bool = False
    amount: float | None = None
    project: bool = False
    department: str | None = None
    dispute: str | None = None
