"""The four bound stages of 六要: intake (a matter or a report, L187–L193), triage (the decision
routing of L191), assignment (the party organisation leads, a named supervisor follows, L185,
L193; a report goes to the body it was made to) and deadline (a report answered within 15
working days, L193)."""

from __future__ import annotations

import datetime as dt

from framework import (
    Assignment, CountyError, Deadline, IntakeResult, Milestone, TriageResult, structure_extra,
)
from plugins.contrib.liuyao.rules import (
    BODIES, CATALOGUE, DEFAULT_RECEIVER_ROLES, ITEM_OF_CATEGORY, KINDS, MEETING_KINDS, METHOD, RECEIVER_ROLES,
    REPORTERS, conf, route,
)

MATTER_ONLY = ("item", "meeting_kind")


def intake(ctx, case, fields) -> IntakeResult:
    """Validate the case fields (:class:`~plugins.contrib.liuyao.rules.LiuyaoExtra`).

    ``kind`` defaults to setting ``default_kind`` (``report``). A matter is taken in only at a
    unit of ``matter_levels`` (村里的事, L185) and takes ``item``, ``meeting_kind`` and
    ``supervisor``; a report takes ``reporter`` (党员/群众, L193) and ``supervisor``. Returns
    ``IntakeResult(extra)``; CountyError naming the ``--set`` key or ``--unit`` at fault."""
    s = conf(ctx)
    extra = structure_extra(ctx.method, fields)
    kind = extra.get("kind") or s["default_kind"]
    if kind not in KINDS:
        raise CountyError(f"--set kind={kind!r}: use one of {', '.join(KINDS)} ({METHOD})")
    extra["kind"] = kind
    if extra.get("supervisor") is not None:
        ctx.person(extra["supervisor"])  # NotFound names the person
    if kind == "report":
        for key in MATTER_ONLY:
            if extra.get(key) is not None:
                raise CountyError(f"--set {key}: only a matter (--set kind=matter) has it, not a report ({METHOD})")
        if extra.get("reporter") is not None and extra["reporter"] not in REPORTERS:
            raise CountyError(f"--set reporter={extra['reporter']!r}: use one of {', '.join(REPORTERS)} (L193 党员群众)")
        return IntakeResult(extra=extra)
    unit = ctx.unit(case.unit)
    if unit.level not in s["matter_levels"]:
        raise CountyError(f"--unit {case.unit}: a {METHOD} matter is a village's (村里的重大事项, L185); "
                          f"{unit.name} is a {unit.level} ([plugins.{METHOD}] matter_levels = {s['matter_levels']})")
    if extra.get("reporter") is not None:
        raise CountyError(f"--set reporter: only a report (--set kind=report) has a reporter ({METHOD})")
    if extra.get("item") is not None and extra["item"] not in CATALOGUE:
        raise CountyError(f"--set item={extra['item']!r}: not a catalogue item ({', '.join(CATALOGUE)})")
    if extra.get("meeting_kind") is not None and extra["meeting_kind"] not in MEETING_KINDS:
        raise CountyError(f"--set meeting_kind={extra['meeting_kind']!r}: use one of {', '.join(MEETING_KINDS)}")
    return IntakeResult(extra=extra)


def triage(ctx, case) -> TriageResult | None:
    """Decision routing by matter type (L191), for matters only (a report: None).

    The category (code or Chinese label), else a keyword of the title, gives the body:
    ``two_committees`` (党建、计划生育、社会治安、评先评优), ``rep_meeting`` (新村规划、基础设施、集体
    财产处置、村民反映强烈的事项; meeting kind ``meeting_kind`` or setting ``rep_meeting_kind``) or
    ``villager_assembly`` (换届选举、切身利益重大事项; ``vote_required``). An unfiled matter gets
    no body: the two committees choose the form when deciding (L191 根据村务性质). Extra
    ``decision_body``, ``vote_required``, ``routed_by``, ``meeting_kind``, ``item``."""
    if case.extra.get("kind") != "matter":
        return None
    category, body, how = route(case.category, case.title)
    extra = {"decision_body": body, "vote_required": body == "villager_assembly", "routed_by": how,
             "item": case.extra.get("item") or ITEM_OF_CATEGORY.get(category, "major_matter")}
    if body == "rep_meeting":
        extra["meeting_kind"] = case.extra.get("meeting_kind") or conf(ctx)["rep_meeting_kind"]
    if body is None:
        note = "未能按事项性质归类：由村“两委”根据村务性质确定决策形式（决策时指定）"
    else:
        note = f"决策形式：{BODIES[body]}"
    return TriageResult(category=category, note=note, extra=extra)


def _one(ctx, unit: str, roles) -> str | None:
    for role in roles:
        people = ctx.people.find(unit=unit, role=role)
        if len(people) == 1:
            return people[0].id
        if people:
            return None  # several: the operator chooses (county case assign)
    return None


def assign(ctx, case) -> Assignment:
    """A matter: the unit's one 村党组织书记 (else its one 村干部) organises it — the party
    organisation leads (L185) — and ``extra.supervisor`` is the named supervision responsible
    person (``--set supervisor``, else the unit's one ``supervision_member``, L193). A report:
    the one person of the receiving unit for the body it was made to (L193: party org →
    secretary, supervisory committee → its member, higher department → staff). None or several
    such people: no handler (``county case assign``)."""
    if case.extra.get("kind") == "matter":
        handler = _one(ctx, case.unit, ("village_party_secretary", "village_cadre"))
        supervisor = case.extra.get("supervisor") or _one(ctx, case.unit, ("supervision_member",))
        note = "村党组织引领，指定监督责任人" if supervisor else "村党组织引领；未指定监督责任人"
        return Assignment(handler=handler, note=note, extra={"supervisor": supervisor})
    roles = RECEIVER_ROLES.get(case.channel, DEFAULT_RECEIVER_ROLES)
    return Assignment(handler=_one(ctx, case.unit, roles))


def deadline(ctx, case, arrived_at: dt.datetime) -> Deadline | None:
    """A report: one primary ``flag`` milestone ``reply`` at 23:59:59 local on the
    ``reply_working_days``-th (15th) working day after the local day ``arrived_at`` (L193
    15个工作日内予以答复; China's calendar: holidays off, 调休 make-up days worked); extra
    ``reply_due_at``. A matter: no due instant (the source sets none)."""
    if case.extra.get("kind") != "report":
        return None
    n = ctx.settings["reply_working_days"]
    due = ctx.calendar.working_days(arrived_at, n)
    return Deadline([Milestone("reply", due, action="flag", primary=True, note=f"{n}个工作日内予以答复")],
                    extra={"reply_due_at": due})
