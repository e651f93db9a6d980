"""The method's source facts: declaration, vocabularies, settings and the tracking card.
Casebook: Xupu County (湖南溆浦), L221–231.

* L225: three nodes — township agency centre (乡代办中心: a township leader as director and
  3–4 staff), village agency room (村代办室), group agents (组代办员, at least one per villager
  group). The node an agent serves at follows from the level of the person's unit.
* L227: three modes — fixed point (定点), door to door (上门, for the elderly, disabled and
  seriously ill), mobile (流动, service teams of township department staff).
* L229: the time-limit promise (24 hours at the township, 4 days via the county seat), the
  tracking card (为民代办服务跟踪卡) signed by the requester, the monthly card check, real-name
  complaints (实名投诉) with accountability by severity and a rectification deadline.
* L231: the monthly management ledger, the year-end ranking, the democratic appraisal (民主评议)
  and the 100-point quantitative score (量化考核) over five indicators, three of them named.

Numbers the source does not give (deduction points, weights, rectification days) are
settings; see ``plugins/daiban/README.md``.
"""

from __future__ import annotations

import attrs

from framework import MethodInfo, Person, Setting, StageRule

METHOD = "daiban"

#: The three modes of L227 (三种方式保证"全天候"); declared as the method's channels too.
MODES = {
    "fixed_point": "定点代办",
    "home_visit": "上门代办",
    "mobile": "流动代办",
}
#: Where the errand can be completed (L229): it decides the promised time limit.
SCOPES = {"township": "乡镇能够办理", "county": "需到县城办理"}
SCOPE_ALIASES = {"township": "township", "county": "county", "county_seat": "county",
                 "乡镇": "township", "县城": "county"}
#: Special groups served door to door (L227: 行动不便的老年人、残疾人、重病患者等特殊人群).
SPECIAL_GROUPS = {"elderly": "行动不便的老年人", "disabled": "残疾人", "seriously_ill": "重病患者",
                  "other": "其他特殊人群"}
#: Errand types named in the casebook (L225, L227); ``other`` for everything else.
CATEGORIES = {
    "household_register": "户口簿办理",
    "mail_parcel": "收发邮件包裹",
    "collect_goods": "代领物资",
    "medical_aid": "大病医疗救助申请",
    "other": "其他事务",
}
#: Roles. The node an agent serves at follows from the level of the person's unit:
#: ``township`` → 乡代办中心, ``village`` → 村代办室, ``group`` → 组代办员 (L225).
AGENT_ROLE = "agent"
TEAM_ROLE = "service_team"
DIRECTOR_ROLE = "centre_director"
ROLES = {
    AGENT_ROLE: "代办员（乡代办中心/村代办室/组代办员，按所在单位层级区分）",
    DIRECTOR_ROLE: "乡代办中心主任（乡镇党政领导）",
    TEAM_ROLE: "流动代办服务团成员（乡镇职能部门抽调）",
}
NODES = {"township": "乡代办中心", "village": "村代办室", "group": "组代办员"}

#: Fields the system fills in; ``--set`` may not give them.
SYSTEM_FIELDS = ("time_limit", "time_cap", "promised_at", "promised_due_at", "outcome", "signed_by", "signed_at")

#: Real-name complaints (L229): kinds, severities (按情节轻重), the life of a complaint.
COMPLAINT_KINDS = {"overdue": "逾期未办结", "service": "对代办员服务不满意"}
SEVERITIES = {"minor": "情节轻微", "ordinary": "情节一般", "serious": "情节严重"}
COMPLAINT_STATUS_ZH = {"filed": "已受理", "upheld": "查实", "not_upheld": "未查实",
                       "rectifying": "整改中", "closed": "整改到位，已办结"}
#: Who sits in the democratic appraisal (L231 全体党员和村民代表).
REVIEWER_KINDS = {"party_member": "党员", "villager_rep": "村民代表"}

#: The five indicators of the 100-point score (L231 names the first three).
INDICATORS = (
    ("count", "代办事务件数"),
    ("effectiveness", "代办工作成效"),
    ("satisfaction", "群众满意度"),
    ("timeliness", "办理及时"),
    ("conduct", "服务规范"),
)

SETTINGS = [
    Setting("township_hours", 24, "scope=township: completed and answered within N hours, exact by the clock (L229 24小时)"),
    Setting("county_days", 4, "scope=county: completed and answered by 23:59:59 local of the Nth calendar day after acceptance (L229 4天内)"),
    Setting("default_scope", "township", "scope used when intake gives none (the stricter 24-hour promise)"),
    Setting("overdue_deduction", 2.0, "points deducted from the 100-point score per card in the overdue register (L229 年底考核时扣分; number not in the source)"),
    Setting("rectify_days", 7, "calendar days a complaint's rectification is given (L229 限期整改; period not in the source)"),
    Setting("weight_count", 30.0, "100-point score: weight of 代办事务件数 (errand count, L231)"),
    Setting("weight_effectiveness", 20.0, "100-point score: weight of 代办工作成效 (share of cards completed, L231)"),
    Setting("weight_satisfaction", 20.0, "100-point score: weight of 群众满意度 (share of signed cards rated satisfied or basically satisfied, L231)"),
    Setting("weight_timeliness", 15.0, "100-point score: weight of 办理及时 (on-time rate; indicator not named in the source)"),
    Setting("weight_conduct", 15.0, "100-point score: weight of 服务规范 (upheld complaints; indicator not named in the source)"),
    Setting("count_target", 100, "errands in a year that earn the full count weight (prorated for quarters/months)"),
    Setting("complaint_points", 5.0, "points of the conduct indicator lost per upheld complaint"),
]


@attrs.define
class TrackingCard:
    """为民代办服务跟踪卡 (L229): one per errand. The case's title is the errand (代办事项内容);
    the requester (委托人) and contact are the case's requester; the handler is the agent
    (承办人). Fields given with ``--set KEY=VALUE``:

    * ``mode`` — ``fixed_point`` 定点 / ``home_visit`` 上门 / ``mobile`` 流动 (L227);
    * ``scope`` — ``township`` (24 hours) or ``county`` (4 days) (L229);
    * ``agent`` — person id of the agent the requester went to or phoned (承办人);
    * ``proxy`` / ``proxy_contact`` — 代办人姓名及联系方式 (who carries it at the office, if not the agent);
    * ``group`` — the requester's villager group (unit code) when taken in at a village or township;
    * ``special_group`` — elderly / disabled / seriously_ill / other (door-to-door);
    * ``team`` — the mobile service team (服务团) for ``mobile``;
    * ``input_hours`` — the agent's hours on the errand (投入, for the year-end ranking);
    * ``promise`` — the time the agent promises (限时办结承诺, L229), at most the scope's limit:
      hours ``6h``, calendar days ``2d``, a date ``2013-03-06`` (to its end) or a time
      ``2013-03-06T17:00``; also later with ``county daiban promise``.

    Filled by the system: ``time_limit`` (办理时限: the promise, else 24小时 / 4天), ``time_cap``
    (the scope's limit), ``promised_at`` / ``promised_due_at`` (when the promise was made and
    the instant it promises), ``outcome`` (办结情况), ``signed_by`` / ``signed_at`` (委托人签字确认).
    """

    mode: str | None = None
    scope: str | None = None
    agent: str | None = None
    proxy: str | None = None
    proxy_contact: str | None = None
    group: str | None = None
    special_group: str | None = None
    team: str | None = None
    input_hours: float | None = None
    promise: str | None = None
    time_limit: str | None = None
    time_cap: str | None = None
    promised_at: str | None = None
    promised_due_at: str | None = None
    outcome: str | None = None
    signed_by: str | None = None
    signed_at: str | None = None


#: The printed tracking card's fields and labels (``county daiban card``).
CARD_LABELS = [
    ("case_id", "卡号"), ("agent_name", "承办人"), ("agent_phone", "承办人电话"), ("proxy", "代办人"),
    ("proxy_contact", "代办人联系方式"), ("requester", "委托人"), ("requester_phone", "委托人电话"),
    ("errand", "代办事项内容"), ("category", "类别"), ("mode", "代办方式"), ("time_limit", "办理时限"),
    ("time_cap", "规定时限"),
    ("accepted_at", "受理时间"), ("due_at", "承诺办结时间"), ("completed_at", "办结时间"), ("outcome", "办结情况"),
    ("satisfaction", "评价"), ("signed_by", "委托人签字"), ("signed_at", "签字时间"),
]


def method_info() -> MethodInfo:
    """The :class:`MethodInfo` of 村民事务代办: modes as channels, errand types as categories,
    no tier chain (the source has no escalation for errands), the roles above, ``SETTINGS``,
    ``extra_type`` = :class:`TrackingCard`."""
    return MethodInfo(
        event_labels=EVENT_LABELS,
        name=METHOD, title_zh="村民事务代办", title="Villager-affairs proxy service (errand agents)",
        source_county="湖南省溆浦县 Xupu County, Hunan", source_lines="L221–231", version="0.1.0",
        stages=("intake", "assignment", "deadline", "publicity", "appraisal"),
        channels=dict(MODES), categories=dict(CATEGORIES), tiers=[], roles=dict(ROLES),
        settings=list(SETTINGS), extra_type=TrackingCard,
        stage_rules={  # [bindings] may give none of its stages away, nor bind another method's to it
            "intake": StageRule("an errand is taken in on its tracking card (为民代办服务跟踪卡) with its mode "
                                "and scope (L227, L229)", keep=True),
            "triage": StageRule("an errand is entrusted as it is, with no sorting step: its mode and scope "
                                "decide who carries it and its time limit (L225–L229)", keep=True),
            "assignment": StageRule("the card's mode decides the agent: the requester's group agent at the door, "
                                    "the mobile service team, or an agent of the place (L225, L227)",
                                    keep=True, lend=False),
            "deadline": StageRule("the agent promises 24 hours for an errand the township can do and 4 days for "
                                  "one that needs the county seat (L229)", keep=True, lend=False),
        },
    )


def is_agent(person: Person) -> bool:
    """Whether ``person`` has the role ``agent`` (代办员 at any node)."""
    return AGENT_ROLE in person.roles


def serves_errands(person: Person) -> bool:
    """Whether ``person`` carries errands: an agent or a mobile service-team member. Only they
    are scored, complained about and appraised."""
    return is_agent(person) or TEAM_ROLE in person.roles


#: Chinese names of this method's own event types (``county case show``).
EVENT_LABELS = {"card_signed": "签字确认", "promised": "限时承诺", "overdue_registered": "超期登记", "complaint_filed": "投诉受理",
                "complaint_investigated": "投诉调查", "complaint_rectification": "限期整改", "complaint_closed": "投诉办结"}
