"""The method's declaration and its four case stages: intake, assignment, deadline (and the
tracking card, 为民代办服务跟踪卡, that is the case). Casebook: Xupu County, L221–231.

Time rules (L229, conventions §2):

* an errand the township can do (``scope=township``): "24小时必须办结回复" — exactly 24 hours
  by the clock after acceptance (``Calendar.hours``);
* an errand that needs the county seat (``scope=county``): "4天内必须办结回复" — the end
  (23:59:59 Asia/Shanghai, or the deployment's zone) of the 4th calendar day after the local
  day of acceptance (``Calendar.calendar_days``).

A miss is a ``flag`` milestone: the source has no escalation tier for errands; the monthly card
check (:mod:`plugins.daiban.register`) logs it in the overdue register instead.
"""

from __future__ import annotations

import attrs

from framework import (
    Assignment,
    Case,
    CountyError,
    Deadline,
    IntakeResult,
    MethodInfo,
    Milestone,
    Person,
    Setting,
    structure_extra,
)

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
ROLES = {
    "agent": "代办员（乡代办中心/村代办室/组代办员，按所在单位层级区分）",
    "centre_director": "乡代办中心主任（乡镇党政领导）",
    "service_team": "流动代办服务团成员（乡镇职能部门抽调）",
}
NODES = {"township": "乡代办中心", "village": "村代办室", "group": "组代办员"}

#: Fields the system fills in; ``--set`` may not give them.
SYSTEM_FIELDS = ("time_limit", "outcome", "signed_by", "signed_at")

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
    * ``input_hours`` — the agent's hours on the errand (投入, for the year-end ranking).

    Filled by the system: ``time_limit`` (办理时限, e.g. 24小时), ``outcome`` (办结情况),
    ``signed_by`` / ``signed_at`` (委托人签字确认).
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
    time_limit: str | None = None
    outcome: str | None = None
    signed_by: str | None = None
    signed_at: str | None = None


def method_info() -> MethodInfo:
    return MethodInfo(
        name=METHOD, title_zh="村民事务代办", title="Villager-affairs proxy service (errand agents)",
        source_county="湖南省溆浦县 Xupu County, Hunan", source_lines="L221–231", version="0.1.0",
        stages=("intake", "assignment", "deadline", "publicity", "appraisal"),
        channels=dict(MODES), categories=dict(CATEGORIES), tiers=[], roles=dict(ROLES),
        settings=list(SETTINGS), extra_type=TrackingCard,
    )


def is_agent(person: Person) -> bool:
    return AGENT_ROLE in person.roles


# -- intake ------------------------------------------------------------------------------


def intake(ctx, case: Case, fields: dict) -> IntakeResult:
    """Validate the tracking card's fields; see :class:`TrackingCard`. Raises CountyError naming
    the ``--set`` key on bad input."""
    for key in SYSTEM_FIELDS:
        if key in fields:
            raise CountyError(f"--set {key}: filled in by the system (办理时限/办结情况/签字), not at intake")
    if case.channel and case.channel not in MODES:
        raise CountyError(f"--channel: {case.channel!r} is not a daiban mode (use one of: {', '.join(MODES)})")
    extra = structure_extra(ctx.method, fields)
    mode = extra.get("mode") or case.channel or "fixed_point"
    if mode not in MODES:
        raise CountyError(f"--set mode: {mode!r} is not a mode (use one of: {', '.join(MODES)})")
    if case.channel and case.channel != mode:
        raise CountyError(f"--set mode={mode} contradicts --channel {case.channel}; give one of them")
    extra["mode"] = mode
    raw_scope = extra.get("scope") or ctx.settings["default_scope"]
    scope = SCOPE_ALIASES.get(str(raw_scope).strip())
    if scope is None:
        raise CountyError(f"--set scope: {raw_scope!r} (use township = 乡镇能办, 24小时; county = 需到县城, 4天)")
    extra["scope"] = scope
    if extra.get("special_group") and extra["special_group"] not in SPECIAL_GROUPS:
        raise CountyError(f"--set special_group: {extra['special_group']!r} (use one of: {', '.join(SPECIAL_GROUPS)})")
    if extra.get("agent"):
        p = ctx.people.get(extra["agent"])
        if p is None:
            raise CountyError(f"--set agent: unknown person {extra['agent']!r} (see `county people list`)")
        if not (is_agent(p) or "service_team" in p.roles):
            raise CountyError(f"--set agent: {p.id} ({p.name}) has no role 'agent' (代办员)")
    if extra.get("group"):
        u = ctx.units.get(extra["group"])
        if u is None or u.level != "group":
            raise CountyError(f"--set group: {extra['group']!r} is not a villager group (a unit of level 'group')")
    if extra.get("input_hours") is not None and extra["input_hours"] < 0:
        raise CountyError("--set input_hours: must be 0 or more")
    return IntakeResult(extra=extra)


# -- assignment --------------------------------------------------------------------------


def requester_group(ctx, case: Case) -> str | None:
    """The requester's villager group: ``--set group`` or the case's unit when it is a group."""
    if case.extra.get("group"):
        return case.extra["group"]
    u = ctx.units.get(case.unit)
    return u.code if u and u.level == "group" else None


def _least_loaded(ctx, people: list[Person]) -> Person | None:
    if not people:
        return None
    return min(people, key=lambda p: (ctx.open_cases_of(p.id), p.id))


def _agents_at(ctx, unit: str | None) -> list[Person]:
    return [p for p in ctx.people.find(unit=unit) if is_agent(p)] if unit else []


def assign(ctx, case: Case) -> Assignment:
    """Who carries the errand (L225, L227): the agent named at intake; otherwise for
    ``home_visit`` the requester's group agent (组代办员), falling back to the village office
    (村代办室) and the township centre (乡代办中心) when the group has none; for ``mobile`` a
    service-team member (role ``service_team``) of the township; for ``fixed_point`` an agent of
    the unit where the errand was taken in. Among several, the one with fewest open cases.
    The case keeps its unit (where it was entrusted)."""
    if case.extra.get("agent"):
        return Assignment(handler=case.extra["agent"], note="委托人指定代办员")
    mode = case.extra.get("mode")
    here = ctx.units.get(case.unit)
    village = ctx.ancestor(case.unit, "village")
    township = ctx.ancestor(case.unit, "township")
    if mode == "home_visit":
        group = requester_group(ctx, case)
        if group is None:
            raise CountyError("--set group: a door-to-door errand (上门代办) goes to the requester's group agent; "
                              "give the villager group or take it in at the group's unit")
        village = ctx.ancestor(group, "village") or village
        township = ctx.ancestor(group, "township") or township
        steps = [(group, "组代办员上门受理"), (village and village.code, "本组无代办员，由村代办室上门受理"),
                 (township and township.code, "本组无代办员，由乡代办中心上门受理")]
        for unit, note in steps:
            p = _least_loaded(ctx, _agents_at(ctx, unit))
            if p:
                return Assignment(handler=p.id, note=note)
        return Assignment(note="本组及村、乡均无代办员，待指定")
    if mode == "mobile":
        codes = set(ctx.subtree(township.code)) if township else set()
        team = [p for p in ctx.people.find(role="service_team") if not codes or p.unit in codes]
        p = _least_loaded(ctx, team)
        return Assignment(handler=p.id, note="流动代办服务团受理") if p else Assignment(note="无服务团成员，待指定")
    p = _least_loaded(ctx, _agents_at(ctx, here.code if here else None))
    if p:
        return Assignment(handler=p.id, note=f"{NODES.get(here.level, '代办点')}定点受理")
    return Assignment(note="受理点无代办员，待指定")


# -- deadline ----------------------------------------------------------------------------


def deadline(ctx, case: Case, arrived_at) -> Deadline:
    """The promised time limit (限时办结承诺, L229): one primary ``flag`` milestone."""
    s, cal = ctx.settings, ctx.calendar
    if case.extra.get("scope", s["default_scope"]) == "county":
        days = int(s["county_days"])
        due = cal.calendar_days(arrived_at, days)
        label, note = f"{days}天", f"需到县城办理的事项，{days}天内必须办结回复 (L229)"
    else:
        hours = s["township_hours"]
        due = cal.hours(arrived_at, hours)
        label, note = f"{hours:g}小时", f"在乡镇能够办理的事项，{hours:g}小时必须办结回复 (L229)"
    return Deadline([Milestone("complete_and_reply", due, "flag", None, True, note)], extra={"time_limit": label})


def card_view(county, case: Case) -> dict:
    """The tracking card as the township prints it (L229): 承办人, 代办人及联系方式, 委托人及联系方式,
    代办事项内容, 代办方式, 办理时限 (and the due instant), 办结情况, 委托人签字."""
    agent = county.people.get(case.handler) if case.handler else None
    x = case.extra
    return {
        "case_id": case.id,
        "agent": case.handler, "agent_name": agent.name if agent else None, "agent_phone": agent.phone if agent else None,
        "proxy": x.get("proxy"), "proxy_contact": x.get("proxy_contact"),
        "requester": case.requester.name, "requester_phone": case.requester.phone,
        "errand": case.title, "category": CATEGORIES.get(case.category) if case.category else None,
        "mode": x.get("mode"), "scope": x.get("scope"), "time_limit": x.get("time_limit"),
        "accepted_at": case.created_at.isoformat() if case.created_at else None,
        "due_at": case.due_at.isoformat() if case.due_at else None,
        "completed_at": case.resolved_at.isoformat() if case.resolved_at else None,
        "on_time": (None if case.resolved_at is None or case.due_at is None else case.resolved_at <= case.due_at),
        "outcome": x.get("outcome"), "status": case.status, "satisfaction": case.satisfaction,
        "signed_by": x.get("signed_by"), "signed_at": x.get("signed_at"),
    }


CARD_LABELS = [
    ("case_id", "卡号"), ("agent_name", "承办人"), ("agent_phone", "承办人电话"), ("proxy", "代办人"),
    ("proxy_contact", "代办人联系方式"), ("requester", "委托人"), ("requester_phone", "委托人电话"),
    ("errand", "代办事项内容"), ("category", "类别"), ("mode", "代办方式"), ("time_limit", "办理时限"),
    ("accepted_at", "受理时间"), ("due_at", "承诺办结时间"), ("completed_at", "办结时间"), ("outcome", "办结情况"),
    ("satisfaction", "评价"), ("signed_by", "委托人签字"), ("signed_at", "签字时间"),
]
