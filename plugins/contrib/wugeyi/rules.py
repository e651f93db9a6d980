"""The source facts of Chengde's 五个一 (five ones) township convenience system as data, and
the small pure rules built on them: the tier chain, roles, channels, categories, matter types,
the four villager segments, the record fields of the public-opinion database, settings and the
``--set`` fields.

Casebook: the Chengde section of the original (``seeds/000_5340bcb6e23e3aa1.txt``), L116–128
(methods.md §2.5). Every table cites the line it encodes. Nothing here touches the database.
"""

from __future__ import annotations

import attrs

from framework import CountyError, Setting, StageRule, Tier

NAME = "wugeyi"
TITLE_ZH = "五个一乡镇便民服务体系"
TITLE = "Five ones: township convenience service system"
SOURCE_COUNTY = "河北省承德市 Chengde City, Hebei"
SOURCE_LINES = "L116–128"

# -- the tier chain (L122: 县级政务服务中心 / 乡镇便民服务中心 / 村便民服务站) ------------------
TIERS = [
    Tier("village_station", "村便民服务站（代办）", "village",
         "村“两委”干部、驻村干部担任代办员，为群众到乡镇代办领取低保、出具证明等事务（限时由本插件设定）", "L122"),
    Tier("township_centre", "乡镇便民服务中心（领办）", "township",
         "实行领办服务、一次告知、限时办结等制度（源文未给时限）", "L122"),
    Tier("county_centre", "县政务服务中心（首席代表）", "county",
         "实行首席代表、一次告知、限时办结、责任追究等制度（源文未给时限）", "L122"),
]
TIER_ZH = {"village_station": "村便民服务站", "township_centre": "乡镇便民服务中心", "county_centre": "县政务服务中心"}
#: The starting tier for the level of the unit taking a matter in (L122: 县、乡镇、村三级).
START_TIER = {"village": "village_station", "group": "village_station", "township": "township_centre",
              "county": "county_centre", "department": "county_centre"}
#: Who leads a matter at each tier (L122): the village's proxy agent (代办员), the township
#: centre's staff (领办服务), the county department's chief representative (首席代表).
LEAD_ROLE = {"village_station": "proxy_agent", "township_centre": "centre_staff",
             "county_centre": "chief_representative"}

ROLES = {
    "proxy_agent": "代办员（村“两委”干部、驻村干部担任, L122）",
    "centre_staff": "乡镇便民服务中心工作人员（领办, 印在连心卡上, L122/L128）",
    "chief_representative": "县政务服务中心部门首席代表（L122）",
    "opinion_liaison": "民情联络员（每个行政村1—2名, L124）",
    "township_party_secretary": "乡镇党委书记（印在连心卡上, L128）",
    "township_head": "乡镇长（印在连心卡上, L128）",
    "two_committee_member": "村“两委”班子成员（印在连心卡上, L128）",
    "village_cadre": "村干部（月月谈, L126）",
    "township_cadre": "乡镇干部（月月谈, L126）",
    "stationed_cadre": "驻村干部（代办员, L122）",
}

# -- intake: how a matter reaches the method ---------------------------------------------------
CHANNELS = {
    "heart_card": "连心卡电话（打给卡上的干部, L128）",
    "hotline_96096": "“96096”便民服务热线（L128）",
    "centre_hotline": "当地便民服务中心服务热线（L128）",
    "monthly_talk": "月月谈上门倾听（L126）",
    "village_station": "村便民服务站（L122）",
    "township_centre": "乡镇便民服务中心窗口（L122）",
    "county_centre": "县政务服务中心窗口（L122）",
}
#: What villagers get by phone: 政策咨询、事务办理、困难帮扶、产业指导、矛盾调解 (L128).
CATEGORIES = {"policy": "政策咨询", "formalities": "事务办理", "hardship": "困难帮扶",
              "industry": "产业指导", "dispute": "矛盾调解"}
#: Matter types by the office that can approve them (L122): the township's delegated items
#: (国土、民政、计生、林业、社会保障 … 委托授权到乡镇) and the county centre's departments
#: (具有行政审批职能的县直部门和新农合、医保、公安等部门).
MATTERS = {
    "land": "国土", "civil_affairs": "民政（低保、救助）", "family_planning": "计生", "forestry": "林业",
    "social_security": "社会保障", "certificate": "出具证明", "county_approval": "县直部门行政审批",
    "rural_medical": "新农合", "medical_insurance": "医保", "public_security": "公安", "other": "其他",
}

# -- the public-opinion database (民情库, L124) --------------------------------------------------
#: The four villager segments: 一般村民、致富能手、贫困户、信访户 (L124).
SEGMENTS = {"ordinary": "一般村民", "wealth_expert": "致富能手", "poor": "贫困户", "petitioner": "信访户"}
#: 村情档案: 村庄基本情况、“两委”班子状况、经济发展、党建、社会稳定 (L124).
VILLAGE_FIELDS = {"basic": "村庄基本情况", "committee": "“两委”班子状况", "economy": "经济发展",
                  "party_building": "党建", "stability": "社会稳定"}
#: 户情档案: 家庭基本信息、就业及收入情况、住房情况、社保情况、计生信息、家庭困难及矛盾纠纷 (L124).
HOUSEHOLD_FIELDS = {"family": "家庭基本信息", "employment_income": "就业及收入情况", "housing": "住房情况",
                    "social_security": "社保情况", "family_planning": "计生信息",
                    "hardship_disputes": "家庭困难及矛盾纠纷"}
#: 每个行政村设民情联络员1—2名 (L124).
LIAISONS_MIN, LIAISONS_MAX = 1, 2

# -- monthly talks, cards, supervision ---------------------------------------------------------
#: 每月通过定期或随机的形式 (L126).
TALK_KINDS = {"scheduled": "定期", "random": "随机"}
#: 监督奖惩制 (L126): 吃拿卡要或推诿扯皮的给予通报批评，对群众反映较好的给予表彰奖励.
CONDUCT = {"bribe": ("criticise", "以各种名义吃拿卡要"), "buck_passing": ("criticise", "推诿扯皮"),
           "praised": ("commend", "群众反映较好")}
CONDUCT_ZH = {"criticise": "通报批评", "commend": "表彰奖励"}
#: The card's services: 政策咨询、事务办理、困难帮扶、产业指导、矛盾调解 (L128).
CARD_SERVICES = "政策咨询、事务办理、困难帮扶、产业指导、矛盾调解"
#: Who is printed on the card, in order (L128).
CARD_ROLES = [("township_party_secretary", "乡镇党委书记", "township"), ("township_head", "乡镇长", "township"),
              ("centre_staff", "便民服务中心工作人员", "township"),
              ("two_committee_member", "村“两委”班子成员", "village")]

EVENT_LABELS = {"fed_back": "结果反馈", "criticised": "通报批评", "commended": "表彰奖励"}

SETTINGS = [
    Setting("village_days", 3, "village station (代办): the proxy agent completes the errand within N days of "
                               "arrival (限时办结 has no number in L122; 3 is this plugin's choice)",
            minimum=1, maximum=365),
    Setting("village_day_kind", "calendar", "how village_days count: calendar (天, conventions §2) or working "
                                            "(工作日 with 调休)", choices=("calendar", "working")),
    Setting("village_miss", "escalate", "a proxy errand past village_days: 'escalate' to the township centre, "
                                        "which takes the lead (领办, L122), or 'flag' (督办)",
            choices=("escalate", "flag")),
    Setting("township_days", 5, "township centre: 限时办结 within N days (L122 gives no number; 5 is this "
                                "plugin's choice)", minimum=1, maximum=365),
    Setting("county_days", 10, "county centre: 限时办结 within N days (L122 gives no number; 10 is this "
                               "plugin's choice)", minimum=1, maximum=365),
    Setting("centre_day_kind", "working", "how township_days and county_days count: working (工作日 on China's "
                                          "calendar with 调休, the government service centres' practice) or "
                                          "calendar", choices=("calendar", "working")),
    Setting("township_miss", "flag", "a township-centre matter past township_days: 'flag' (督办, 责任追究) or "
                                     "'escalate' to the county centre", choices=("flag", "escalate")),
    Setting("township_matters", ["land", "civil_affairs", "family_planning", "forestry", "social_security",
                                 "certificate"],
            "matter types approved at the township (委托授权到乡镇, L122: 国土、民政、计生、林业、社会保障; "
            "出具证明 from the proxy examples): taken in at a village, they are proxy errands (代办) the "
            "village's proxy agent carries to the township centre, counted by proxy_share"),
    Setting("county_matters", ["county_approval", "rural_medical", "medical_insurance", "public_security"],
            "matter types only the county centre approves (L122: 具有行政审批职能的县直部门和新农合、医保、公安); "
            "triage starts them at tier county_centre (分流承办, L126)"),
    Setting("priority_segments", ["poor", "petitioner"],
            "segments whose matters are priority high (分类管理和服务, L124: the source names the classes, not "
            "the treatment; this is the plugin's choice)"),
    Setting("talks_per_month", 1, "talks each village owes per month (月月谈: 每月, L126)", minimum=1, maximum=31),
    Setting("profile_review", "quarter", "how often each village's book must be updated (定期维护, L124 gives "
                                         "no period): month, quarter, half or year",
            choices=("month", "quarter", "half", "year")),
    Setting("hotline", "96096", "the city convenience hotline printed on every card (L128)"),
    Setting("completion_target", 0.98, "办结率 kept above this share (L118: 办结率保持在98％以上)",
            minimum=0, maximum=1),
    Setting("post_matters", True, "post each village's matters ledger (记录、办理、跟踪) as a board; the source "
                                  "describes no public posting (L126), so a county may switch it off"),
]

STAGE_RULES = {
    "intake": StageRule("the first receiver of a matter is recorded and answers for it to the end "
                        "(首问受理制, L126)", keep=True),
    "assignment": StageRule("the first receiver handles the matter, and stays answerable as joint handler "
                            "when it goes up (首问受理制: 第一时间办结，并负责到底, L126)", keep=True, lend=False),
}


@attrs.define
class WugeyiExtra:
    """A matter's own fields (``--set KEY=VALUE``)."""

    receiver: str | None = None  # 首问受理人: the person who first received it (required, L126)
    household: str | None = None  # the household's page in the opinion database (L124)
    matter: str | None = None  # matter type (MATTERS, L122)
    department: str | None = None  # the county department whose chief representative handles it (L122)
    talk: int | None = None  # the monthly talk it was raised at (wugeyi_talks.id, L126)
    on_the_spot: bool = False  # 能当场解决的当场解决 (L126)


def code_list(settings: dict, key: str, allowed: dict) -> list[str]:
    """The list setting ``key`` (codes of ``allowed``); ``CountyError`` naming
    ``[plugins.wugeyi] KEY`` for a value that is not a list of known codes."""
    value = settings.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
        raise CountyError(f"[plugins.{NAME}] {key} = {value!r}: a list of codes among {', '.join(allowed)}")
    return value


def choice(value: str | None, allowed: dict, what: str) -> str | None:
    """``value`` when it is a code (or Chinese label) of ``allowed``, the code; None stays None.
    ``CountyError`` naming ``what`` otherwise."""
    if value is None or value == "":
        return None
    if value in allowed:
        return value
    for code, label in allowed.items():
        if value == label or (isinstance(label, str) and label.split("（")[0] == value):
            return code
    raise CountyError(f"{what}={value!r}: use one of {', '.join(allowed)}")


def mask_name(name: str | None) -> str | None:
    """A person's name as public outputs show it (conventions §3): the kernel's rule,
    ``framework.mask_name`` — the surname plus 某, a compound surname (复姓) kept whole
    (``张三丰`` → ``张某``, ``欧阳娜娜`` → ``欧阳某``, ``欧阳`` → ``欧某``; a non-Chinese name: its first
    character plus ``***``); None/empty unchanged."""
    from framework import mask_name as kernel_mask_name  # on first use: importing the plugin stays light

    return kernel_mask_name(name)
