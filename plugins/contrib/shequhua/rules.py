"""The source facts of Songshan District's 农村社区化管理 (community-style management of
villages) as data: tiers, settings, channels, categories, roles, the ``--set`` fields, the
inspection kinds and the figures the source states.

Casebook: the Songshan section of the original (``seeds/000_5340bcb6e23e3aa1.txt``), L266–290
(methods.md §2.11). Every table cites the line it encodes; whatever the source leaves open is a
``Setting`` whose description says so. Nothing here touches the database.
"""

from __future__ import annotations

import attrs

from framework import CountyError, Setting, StageRule, Tier

NAME = "shequhua"
TITLE_ZH = "农村社区化管理"
TITLE = "Community-style management of villages"
SOURCE_COUNTY = "内蒙古赤峰市松山区 Songshan District, Inner Mongolia"
SOURCE_LINES = "L266–290"

# -- the chain: L270 农村社区化管理运行机制 "由乡镇党委政府领导、村党组织牵头" — the village's
#    service centre handles a matter; the township party committee and government lead it. The
#    source gives no time limit and no escalation (methods.md §2.11 "Deadline: not described"):
#    both limits are settings, the plugin's choice.
TIERS = [
    Tier("centre", "村社区化管理服务中心办理", "village",
         "试点村建立社区化管理服务中心，由服务类组织承办（源文未规定时限）", "L282"),
    Tier("township", "乡镇党委政府办理", "township",
         "由乡镇党委政府领导、村党组织牵头（源文未规定时限）", "L270"),
]
TIER_ZH = {"centre": "服务中心", "township": "乡镇"}

# -- triage: the service organisations by area (L282: 组建了生产技术、环境卫生、纠纷调解、
#    公益事业、文体活动等不同的服务类组织). The five are the source's list; "等" leaves it open, so
#    the village examples' own bodies are added (L280 就业服务工作站, L284 红白理事会) and `other`.
SERVICE_AREAS = {
    "production": "生产技术",
    "sanitation": "环境卫生",
    "mediation": "纠纷调解",
    "public_welfare": "公益事业",
    "culture_sports": "文体活动",
}
CATEGORIES = {
    **{k: f"{v}服务" for k, v in SERVICE_AREAS.items()},
    "employment": "就业服务（农民就业服务工作站, L280）",
    "ceremony": "红白事务（红白理事会, L284）",
    "other": "其他服务（L282 “等”）",
}
#: The organisations a village's centre can hold: the five of L282 plus the two example bodies.
ORG_AREAS = {**SERVICE_AREAS, "employment": "农民就业服务工作站", "ceremony": "红白理事会"}

# -- intake: how a matter reaches the centre. "not described as a case channel" (methods.md);
#    these are the places the text names.
CHANNELS = {
    "hall": "服务中心办事大厅（L276, L282）",
    "service_org": "服务类组织成员受理（L282）",
    "six_ones": "党员干部“六个一”活动（L282）",
    "employment_station": "农民就业服务工作站（L280）",
}

#: The three kinds of matter the source counts as outcomes (L282: 代办服务事项2.3万多件 …
#: 化解矛盾纠纷736起，解决实际问题4216件).
KINDS = {"errand": "代办服务事项", "dispute": "矛盾纠纷", "problem": "实际问题"}

#: 六个一 (L282, 大兴隆庄村, among party members and cadres): 方针政策讲一讲，邻里纠纷劝一劝，
#: 不良行为管一管，生病住院访一访，别人有难帮一帮，文体活动乐一乐.
SIX_ONES = {
    "policy": "方针政策讲一讲",
    "dispute": "邻里纠纷劝一劝",
    "behaviour": "不良行为管一管",
    "visit": "生病住院访一访",
    "help": "别人有难帮一帮",
    "culture": "文体活动乐一乐",
}
#: The service area each 一 belongs to (the plugin's reading, for triage without a category).
SIX_ONE_AREA = {"policy": "public_welfare", "dispute": "mediation", "behaviour": "mediation",
                "visit": "public_welfare", "help": "public_welfare", "culture": "culture_sports"}

# -- assignment: who staffs the centre (L282: 统筹调配村组干部、农民党员和村级后备干部、入党积极分子力量)
POOL_ROLES = {
    "village_cadre": "村组干部",
    "party_member": "农民党员",
    "reserve_cadre": "村级后备干部",
    "party_activist": "入党积极分子",
}
ROLES = {
    **POOL_ROLES,
    "township_cadre": "乡镇干部（乡镇党委政府领导, L270）",
    "inspector": "区委组织部工作人员（定期督查、随机抽查、年末检查, L273/L276）",
}

# -- appraisal: the district organisation department's checks (L276: 结合定期督查、随机抽查和
#    年末检查情况; L273: 区委组织部工作人员定期深入试点村进行指导检查)
INSPECTION_KINDS = {"regular": "定期督查", "spot": "随机抽查", "year_end": "年末检查"}
#: The result of a check: the source grades nothing, so this scale is the plugin's.
RESULTS = {"good": "好", "pass": "合格", "improve": "需整改"}

# -- publicity: L276 在区内媒体和松山党建网站开辟了农村社区化管理专题专栏 …采取召开现场观摩会、
#    经验交流会等形式; L273 到区内特色示范社区就推进农村社区化管理工作进行专题考察学习
PROMOTIONS = {
    "column": "专题专栏报道（区内媒体、党建网站）",
    "observation": "现场观摩会",
    "exchange": "经验交流会",
    "study_tour": "专题考察学习（到特色示范社区）",
}
OUTLETS = {"media": "区内媒体", "website": "松山党建网站"}

#: Figures the source states (for the README, `county shequhua figures` and the tests).
SOURCE_FIGURES = {
    "paired_subdistricts": (7, "L273", "7个街道与14个乡镇结成帮联对子"),
    "paired_townships": (14, "L273", "7个街道与14个乡镇结成帮联对子"),
    "paired_communities": (30, "L273", "30个城市社区与30个试点村结成帮联对子"),
    "paired_pilot_villages": (30, "L273", "30个城市社区与30个试点村结成帮联对子"),
    "model_villages": (15, "L276", "全区已确定农村社区化管理示范村15个"),
    "service_areas": (5, "L282", "生产技术、环境卫生、纠纷调解、公益事业、文体活动"),
    "six_ones": (6, "L282", "“六个一”活动"),
    "errands_done": (23000, "L282", "代办服务事项2.3万多件"),
    "labour_moved": (50000, "L282", "转移剩余劳动力5万多人"),
    "reemployment_posts": (800, "L282", "提供再就业岗位800多个"),
    "disputes_resolved": (736, "L282", "化解矛盾纠纷736起"),
    "problems_solved": (4216, "L282", "解决实际问题4216件"),
    "pilot_cooperatives": (12, "L286", "试点村成立专业合作社12个"),
    "pilot_associations": (8, "L286", "组建专业协会8个"),
    "specialised_villages": (18, "L286", "种养植专业村达到18个"),
    "district_cooperatives": (290, "L286", "全区共成立专业合作社290个"),
    "district_associations": (236, "L286", "组建专业协会236个"),
    "protected_agriculture_mu": (170000, "L286", "设施农业总面积发展到17万亩"),
    "pigs_per_year": (930000, "L286", "年生猪饲养量达到93万口"),
    "beef_cattle": (250000, "L286", "肉牛饲养量达到25万头"),
    "dairy_cows": (30000, "L286", "奶牛存栏3万头"),
    "laying_hens": (10000000, "L286", "蛋鸡达到1000万只"),
    "income_per_head_2010_yuan": (6335, "L286", "2010年全区农民人均收入达到了6335元"),
    "training_cap_yuan": (2000, "L280", "采取2000元以内费用实报实销的办法鼓励农民加强就业技能培训"),
}

SETTINGS = [
    Setting("centre_days", 7, "the service centre resolves a matter within N days of arrival, else it goes up to "
                              "the township at the next sweep; the source gives no limit (methods.md §2.11 "
                              "'Deadline: not described'): 7 is the plugin's choice; 0 = no limit at the centre"),
    Setting("township_days", 10, "the township (乡镇党委政府领导, L270) resolves an escalated matter within N days, "
                                 "else flagged 督办; the source gives no limit: 10 is the plugin's choice; "
                                 "0 = no limit"),
    Setting("day_kind", "calendar", "how the days count: 'calendar' (天, conventions §2) or 'working' (工作日 on "
                                    "China's calendar with 调休); the source does not say",
            choices=("calendar", "working")),
    Setting("pair_joint", "escalated", "when the urban partner (帮联对子, L273) handles a matter jointly (会办): "
                                       "'escalated' = at the township tier the township's paired subdistrict; "
                                       "'always' = also the village's paired community at the centre; 'never'. "
                                       "The source pairs them for guidance (有效整合辖区内的各种资源向结对乡、村倾斜) "
                                       "and says nothing of single matters",
            choices=("escalated", "always", "never")),
    Setting("centre_required", False, "take matters in only at a village with a registered service centre (L282: "
                                      "各试点村都建立了社区化管理服务中心); default false: the deployment's [where] "
                                      "says where the method applies, and a village without a centre gets its "
                                      "village cadre"),
    Setting("townships_per_subdistrict", 2, "townships one urban subdistrict may pair with (L273: 7个街道与14个乡镇 "
                                            "= 2 each)", minimum=1),
    Setting("villages_per_community", 1, "pilot villages one urban community may pair with (L273: 30个城市社区与30个"
                                         "试点村 = 1 each)", minimum=1),
    Setting("model_villages_target", 15, "model villages the district designates (L276: 已确定示范村15个); appraisal's "
                                         "model_target_rate", minimum=1),
    Setting("model_needs_good_inspection", True, "a village is designated a model only after a check rated 好 (L276: "
                                                 "结合定期督查、随机抽查和年末检查情况…发现和掌握创新举措); the "
                                                 "grading is the plugin's"),
    Setting("inspection_every", "quarter", "the cadence of the regular check (定期督查, L276; 定期深入试点村进行指导"
                                           "检查, L273): 'month', 'quarter', 'half' or 'year'; the source says only "
                                           "定期", choices=("month", "quarter", "half", "year")),
    Setting("spot_check_share", 0.2, "the share of pilot villages drawn at random for the spot check (随机抽查, L276) "
                                     "each quarter, rounded up (at least one); the source gives no number",
            minimum=0.0, maximum=1.0),
    Setting("year_end_month", 12, "the month in which the year-end check (年末检查, L276) is carried out",
            minimum=1, maximum=12),
    Setting("training_cap_yuan", 2000, "employment-skills training is reimbursed at actual cost up to this amount "
                                       "(L280: 2000元以内费用实报实销)"),
    Setting("training_over_cap", "cap", "a cost above the cap: 'cap' = reimburse the cap, 'refuse' = not covered; "
                                        "the source says only 2000元以内实报实销", choices=("cap", "refuse")),
    Setting("pension_village_share", 0.5, "the village's share of a land-lost farmer's pension contribution (L280: "
                                          "按照村里、个人各负担一半)", minimum=0.0, maximum=1.0),
    Setting("keywords", {
        "production": ["种植", "养殖", "技术", "大棚", "农机", "病虫"],
        "sanitation": ["垃圾", "卫生", "污水", "厕所", "环境"],
        "mediation": ["纠纷", "矛盾", "吵", "调解", "邻里"],
        "public_welfare": ["修路", "路灯", "饮水", "公益", "五保", "低保", "困难"],
        "culture_sports": ["文艺", "广场舞", "篮球", "文体", "图书"],
        "employment": ["就业", "培训", "务工", "失地"],
        "ceremony": ["婚", "丧", "红白"],
    }, "triage: the first area whose word is in the title files a matter taken in without a category; none: "
       "`other`. The source sorts nothing: the words are the plugin's"),
]

STAGE_RULES = {
    "triage": StageRule("a matter is filed by the service organisation of its area (L282)", keep=True, lend=False),
    "assignment": StageRule("the village's service organisation of the area handles it, drawing on its cadres, "
                            "party members, reserve cadres and activists (L282)", keep=True, lend=False),
    "deadline": StageRule("its chain starts at the village's service centre (L282)", first_level=("village",),
                          lend=False),
}

EVENT_LABELS: dict[str, str] = {}  # the method records no event type of its own


@attrs.define
class ShequhuaExtra:
    """A matter's own fields (``--set KEY=VALUE``): ``kind`` (errand 代办服务事项 / dispute 矛盾纠纷
    / problem 实际问题, L282; default by category), ``six_one`` (which of the 六个一 a party
    member's service is, L282), ``member`` (a person id: the centre's member who takes it on)."""

    kind: str | None = None
    six_one: str | None = None
    member: str | None = None


def day_due(ctx, arrived_at, days: int):
    """``days`` days after ``arrived_at`` (aware) through ``ctx.calendar``, ending 23:59:59 local
    on the Nth day after the local day of arrival: calendar days or working days (调休 included)
    as the setting ``day_kind`` says. CountyError naming the setting for another value."""
    kind = ctx.settings["day_kind"]
    if kind == "calendar":
        return ctx.calendar.calendar_days(arrived_at, days)
    if kind == "working":
        return ctx.calendar.working_days(arrived_at, days)
    raise CountyError(f"[plugins.{NAME}] day_kind = {kind!r}: use 'calendar' or 'working'")


def keywords(settings: dict) -> dict[str, list[str]]:
    """The ``keywords`` setting checked: ``{area: [word, …]}`` with areas among the categories.
    CountyError naming ``[plugins.shequhua] keywords`` when malformed."""
    table = settings.get("keywords")
    if not isinstance(table, dict) or not all(
            k in CATEGORIES and isinstance(v, list) and all(isinstance(w, str) and w for w in v)
            for k, v in table.items()):
        raise CountyError(f"[plugins.{NAME}] keywords: a table of area = [words], areas among "
                          f"{', '.join(CATEGORIES)}")
    return table
