"""三个转变 (sanzhuanbian): Wushi County's "three shifts" (新疆乌什, casebook L105–114,
methods.md §2.4): the declaration's parts, each with its source line in the Chinese original
(``seeds/000_5340bcb6e23e3aa1.txt``; where methods.md differs, the original wins).

What the casebook states (L110) and where it goes:

* 每名干部联系1-5户农户 — ``households_min`` 1 / ``households_max`` 5 contact households per cadre
  (``network.link`` refuses the 6th; ``network.gaps`` lists a cadre with none);
* 3356名机关党员干部各直接联系1户村民和1户居民 — an agency party cadre (``agency_party_cadre``)
  keeps ``agency_rural`` 1 village household and ``agency_urban`` 1 urban household (城乡互帮互助);
* 确保每户群众都有1名党员干部联系负责 — every household exactly one responsible cadre (a second
  link is refused; a household without one is a gap);
* 县直单位对口帮扶1个行政村 — each county department is paired with exactly one village;
* 每月至少1天走访联系的困难户、上访户和重点人员 — ``visit_days_per_month`` 1: a monthly duty per
  cadre linked to a needy household, a petitioner household or a key person;
* 三本台账（需解决问题、已解决问题、待解决问题）, 明确相关单位和责任人, 明确解决时限 — the case's
  status puts it in a ledger; intake names the responsible unit, person and time limit;
* 对一时解决不了的问题，积极向群众做好解释工作 — ``defer`` needs the explanation given;
* 限时办结和督办销号制度 — the limit is flagged (督办) when missed; a solved problem is struck
  off (销号) by a supervisor;
* 四比一测评, 考核权交给群众和基层党组织 — ratings of a cadre by the masses or a grassroots party
  organisation only: 比感情、比立场、比发展、比贡献 and the one rating (成效, 满意度);
* 群众对“两委”班子满意度达80%以上的46个，占40.71% — ``team_threshold`` 0.80 per village team.
"""

from __future__ import annotations

import attrs

from framework import Setting, StageRule

NAME = "sanzhuanbian"
TITLE_ZH = "三个转变"
TITLE = "Three shifts: every cadre keeps contact with households"
SOURCE_COUNTY = "新疆维吾尔自治区乌什县 Wushi County, Xinjiang"
SOURCE_LINES = "L105–114 (rules L110)"

#: The unit levels that take problems in: villages (农户) and urban communities (居民),
#: L110 城乡党组织…1户村民和1户居民.
INTAKE_LEVELS = ("village", "community")

ROLES = {
    "contact_cadre": "联系干部",              # L110 每名干部联系1-5户农户
    "agency_party_cadre": "机关党员干部",     # L110 各直接联系1户村民和1户居民
    "supervisor": "督办人",                   # L110 督办销号 (who strikes off: the plugin's reading)
    "village_cadre": "村干部",                # the village's own person when no one else is named
}

CHANNELS = {
    "visit": "走访",                  # L110 调查走访
    "home_stay": "住农家",            # L110 住农家屋、喝农家水、吃农家饭
    "screening": "矛盾纠纷大排查",    # L110 开展矛盾纠纷大排查、大化解活动
    "lecture": "宣讲入户",            # L110 “党的十八大精神进村入户”宣讲活动
    "petition": "来信来访",           # L110 上访户
}

#: The source sorts problems "by type" (梳理分类, L110) without naming the types: the plugin's list.
CATEGORIES = {
    "dispute": "矛盾纠纷", "hardship": "困难帮扶", "livelihood": "民生保障", "production": "生产发展",
    "infrastructure": "基础设施", "policy": "政策咨询", "other": "其他",
}

#: Household flags of the monthly visit day (L110 困难户、上访户和重点人员).
FLAGS = {"needy": "困难户", "petitioner": "上访户", "key_person": "重点人员"}

#: The three ledgers (L110 三本台账), by the case's status (methods.md §2.4's mapping).
LEDGERS = {"to_solve": "需解决问题", "pending": "待解决问题", "solved": "已解决问题"}
LEDGER_OF_STATUS = {"registered": "to_solve", "assigned": "to_solve", "escalated": "to_solve",
                    "in_progress": "pending", "resolved": "solved", "confirmed": "solved", "closed": "solved"}

#: 轻重 (weight) and 缓急 (urgency), L110 根据事项轻重缓急建立“三本台账”.
WEIGHTS = {"heavy": "重", "light": "轻"}
URGENCIES = {"urgent": "急", "normal": "缓"}

#: 四比一测评 (L110): the four comparisons and the one rating's two parts.
COMPARISONS = {"feeling": "比感情", "stance": "比立场", "development": "比发展", "contribution": "比贡献"}
ONE_RATING = {"effect": "联系农户工作成效", "satisfaction": "满意度"}
#: The grades of a comparison and of the effect (the source gives none: the plugin's scale).
GRADES = {"good": "好", "fair": "较好", "average": "一般", "poor": "差"}
#: The satisfaction levels (conventions §1).
LEVELS = {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"}
#: Who may rate (L110 考核权交给群众和基层党组织).
RATERS = {"masses": "群众", "party_org": "基层党组织"}

SETTINGS = [
    Setting("households_min", 1, "每名干部联系1-5户农户 (L110): a contact cadre with fewer contact households is a "
                                 "gap of the network", minimum=0, maximum=100),
    Setting("households_max", 5, "每名干部联系1-5户农户 (L110): linking a cadre's next household beyond this is "
                                 "refused", minimum=1, maximum=100),
    Setting("agency_rural", 1, "机关党员干部各直接联系1户村民 (L110): village households per agency party cadre "
                               "(城乡互帮互助)", minimum=0, maximum=100),
    Setting("agency_urban", 1, "…和1户居民 (L110): urban households per agency party cadre", minimum=0, maximum=100),
    Setting("visit_days_per_month", 1, "每月至少1天走访 (L110): distinct local days a month a cadre visits the "
                                       "needy, petitioner and key-person households linked to them",
            minimum=1, maximum=31),
    Setting("visit_scope", "flagged", "which linked households owe the monthly visit day: 'flagged' (困难户、上访户、"
                                      "重点人员, L110) or 'all' linked households (the plugin's alternative)",
            choices=("flagged", "all")),
    Setting("team_threshold", 0.8, "群众对“两委”班子满意度达80%以上 (L110): a village's or community's two-committee "
                                   "team reaches it at this rate or more (以上 read as inclusive)", types=(float, int), minimum=0, maximum=1),
    Setting("basically_counts", True, "满意度: 基本满意 counts as satisfied in the team and cadre ratings "
                                      "(conventions §1's 满意率; the source does not say)"),
    Setting("team_round", "latest", "a team rated more than once in a period: its 'latest' round counts, or all "
                                    "its rounds 'pooled' (the source does not say)", choices=("latest", "pooled")),
    Setting("good_grades", ["good", "fair"], "四比 and 成效 (L110 give no scale): the grades of good/fair/average/poor "
                                             "(好/较好/一般/差) counted as good", types=(list,)),
    Setting("limit_days", 15, "明确解决时限 (L110) gives no number: a problem without --set limit gets this many "
                              "days (the plugin's choice)", minimum=1, maximum=3650),
    Setting("day_kind", "calendar", "how limit_days count: 'calendar' (天, conventions §2) or 'working' (工作日 with "
                                    "调休); the source does not say", choices=("calendar", "working")),
    Setting("strike_role", "supervisor", "督办销号 (L110): the role a person needs to strike a solved problem off; "
                                         "never the problem's own responsible person", types=(str,)),
    Setting("publish_ledgers", True, "post each village's and community's three ledgers as a board (the source does not say they "
                                     "are posted: the plugin's choice)"),
]

STAGE_RULES = {
    "assignment": StageRule("each problem has a named responsible unit and person, from the contact network "
                            "(L110 明确相关单位和责任人; 每户群众都有1名党员干部联系负责)", keep=True, lend=False),
    "deadline": StageRule("the time limit fixed for each problem (L110 明确解决时限), read from its own fields",
                          lend=False),
    "triage": StageRule("sorted by 轻重缓急 from its own fields (L110)", lend=False),
}

EVENT_LABELS = {"deferred": "列入待解决（已解释）", "struck_off": "督办销号"}


@attrs.define
class Extra:
    """``--set`` fields of a problem (问题), L110: ``household`` (the household it came from, an id of
    the contact network), ``responsible`` (责任人, a person id; default the household's cadre),
    ``responsible_unit`` (相关单位, a unit code; default the village's paired county department),
    ``limit`` (解决时限: ``+Nd`` calendar days, ``+Nwd`` working days, or a date ``YYYY-MM-DD``;
    default ``limit_days``), ``weight`` (轻重: heavy/light) and ``urgency`` (缓急: urgent/normal)."""

    household: str | None = None
    responsible: str | None = None
    responsible_unit: str | None = None
    limit: str | None = None
    weight: str = "light"
    urgency: str = "normal"
