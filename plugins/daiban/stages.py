"""The case stages: intake (the tracking card's fields), assignment (who carries the errand)
and deadline (the time-limit promise). Casebook: Xupu County, L225–229.

Time rules (L229, conventions §2):

* an errand the township can do (``scope=township``): "24小时必须办结回复" — exactly 24 hours
  by the clock after acceptance (``Calendar.hours``);
* an errand that needs the county seat (``scope=county``): "4天内必须办结回复" — the end
  (23:59:59 Asia/Shanghai, or the deployment's zone) of the 4th calendar day after the local
  day of acceptance (``Calendar.calendar_days``).

The agent promises the requester a time (限时办结承诺, L229) that may be shorter than those
limits and is held to it: ``--set promise=`` at intake (hours ``6h``, calendar days ``2d``, a
date ``2013-03-06`` = its end, or a time ``2013-03-06T17:00``), never beyond the limit of the
errand's scope; the milestone then falls at the promised instant (:func:`deadline`). A promise
made after intake (``county daiban promise``) is recorded on the card (``promised_due_at``) and
is what :func:`due_of` — the plugin's own judgements — holds the card to.

A miss is a ``flag`` milestone: the source has no escalation tier for errands; the monthly card
check (:func:`plugins.daiban.service.check_month`) logs it in the overdue register instead.
"""

from __future__ import annotations

import datetime as dt
import re

from framework import (
    Assignment,
    Case,
    CountyError,
    Deadline,
    IntakeResult,
    MethodContext,
    Milestone,
    Person,
    parse_instant,
    structure_extra,
)
from plugins.daiban.rules import (
    MODES,
    NODES,
    SCOPE_ALIASES,
    SPECIAL_GROUPS,
    SYSTEM_FIELDS,
    TEAM_ROLE,
    is_agent,
    serves_errands,
)

# -- intake ------------------------------------------------------------------------------


def intake(ctx: MethodContext, case: Case, fields: dict) -> IntakeResult:
    """Validate the tracking card's ``--set`` fields (see :class:`plugins.daiban.rules.TrackingCard`)
    and return ``IntakeResult(extra=card fields)`` with ``mode`` (default: the channel, else
    ``fixed_point``) and ``scope`` (default setting ``default_scope``) always filled. Raises
    CountyError naming the ``--set`` key (or ``--channel``) on bad input."""
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
        if not serves_errands(p):
            raise CountyError(f"--set agent: {p.id} ({p.name}) has no role 'agent' (代办员)")
    if extra.get("group"):
        u = ctx.units.get(extra["group"])
        if u is None or u.level != "group":
            raise CountyError(f"--set group: {extra['group']!r} is not a villager group (a unit of level 'group')")
    if extra.get("input_hours") is not None and extra["input_hours"] < 0:
        raise CountyError("--set input_hours: must be 0 or more")
    if extra.get("promise") is not None:
        what = f"--set promise={extra['promise']}"
        kind, value = parse_promise(extra["promise"], what)
        due = check_promise(ctx, scope, kind, value, case.created_at, case.created_at, what)
        extra["promise"] = promise_text(kind, value)
        extra["promised_at"] = ctx.calendar.local(case.created_at).isoformat()
        extra["promised_due_at"] = due.isoformat()
    return IntakeResult(extra=extra)


# -- the promise (限时办结承诺) ---------------------------------------------------------------

_HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:h|hours?|小时|个小时)?", re.IGNORECASE)
_DAYS = re.compile(r"(\d+)\s*(?:d|days?|天|日)", re.IGNORECASE)


def parse_promise(text, what: str) -> tuple[str, object]:
    """A promise as the agent gives it: ``6h`` / ``6小时`` / ``6`` (hours, exact), ``2d`` /
    ``2天`` (calendar days, to the end of the Nth day), ``2013-03-06`` (a date: to its end) or
    ``2013-03-06T17:00`` (an instant; no offset = local). Returns ``(kind, value)``: ``hours``
    float, ``days`` int, ``date`` date, ``at`` the text of the instant. CountyError naming
    ``what`` otherwise."""
    s = str(text).strip()
    if m := _HOURS.fullmatch(s):
        return "hours", float(m.group(1))
    if m := _DAYS.fullmatch(s):
        return "days", int(m.group(1))
    if len(s) == 10:
        try:
            return "date", dt.date.fromisoformat(s)
        except ValueError:
            pass
    elif "T" in s or " " in s:
        return "at", s
    raise CountyError(f"{what}: {text!r} is not a promise (use hours 6h, calendar days 2d, a date 2013-03-06 "
                      f"or a time 2013-03-06T17:00)")


def promise_text(kind: str, value) -> str:
    """The promise as stored on the card (``6h``, ``2d``, ``2013-03-06``, an ISO instant)."""
    if kind == "hours":
        return f"{value:g}h"
    if kind == "days":
        return f"{value}d"
    return value.isoformat() if kind == "date" else str(value)


def promise_due(ctx: MethodContext, kind: str, value, start: dt.datetime, what: str) -> dt.datetime:
    """The promised instant of a promise made at ``start`` (aware): hours exactly after it,
    days to 23:59:59 local of the Nth calendar day after its local day, a date to 23:59:59
    local of that date, an instant as given (CountyError naming ``what`` when it is not one)."""
    cal = ctx.calendar
    if kind == "hours":
        return cal.hours(start, value)
    if kind == "days":
        return cal.calendar_days(start, value)
    if kind == "date":
        return cal.end_of_day(value)
    return cal.local(parse_instant(str(value), cal.tz, what=what))


def promise_label(kind: str, value, due: dt.datetime) -> str:
    """办理时限 of a promise, as the card and the ledger show it: 6小时, 2天, 2013-03-06前,
    2013-03-06 17:00前."""
    if kind == "hours":
        return f"{value:g}小时"
    if kind == "days":
        return f"{value}天"
    if kind == "date":
        return f"{value.isoformat()}前"
    return f"{due:%Y-%m-%d %H:%M}前"


def cap(ctx: MethodContext, scope: str, accepted: dt.datetime) -> tuple[dt.datetime, str, str]:
    """The limit of L229 for an errand of ``scope`` accepted at ``accepted``: ``(due, label,
    rule)`` — township: exactly ``township_hours`` (24) hours; county: 23:59:59 local of the
    ``county_days``-th (4th) calendar day after."""
    s, cal = ctx.settings, ctx.calendar
    if scope == "county":
        days = int(s["county_days"])
        return cal.calendar_days(accepted, days), f"{days}天", f"需到县城办理的事项，{days}天内必须办结回复"
    hours = s["township_hours"]
    return cal.hours(accepted, hours), f"{hours:g}小时", f"在乡镇能够办理的事项，{hours:g}小时必须办结回复"


def check_promise(ctx: MethodContext, scope: str, kind: str, value, made_at: dt.datetime, accepted: dt.datetime,
                  what: str) -> dt.datetime:
    """The promised instant of a promise made at ``made_at`` for an errand of ``scope`` accepted
    at ``accepted``, checked: after ``made_at`` and not beyond the scope's limit (L229: the
    agent may promise less, never more). Returns it; CountyError naming ``what`` otherwise."""
    due = promise_due(ctx, kind, value, made_at, what)
    limit, label, _ = cap(ctx, scope, accepted)
    if due <= made_at:
        raise CountyError(f"{what}: due {due.isoformat()}, not after the promise is made ({made_at.isoformat()})")
    if due > limit:
        errand = "the township can do" if scope != "county" else "that needs the county seat"
        raise CountyError(f"{what}: due {due.isoformat()}, beyond the {label} limit of an errand {errand} "
                          f"(due by {limit.isoformat()})")
    return due


def due_of(case: Case) -> dt.datetime | None:
    """The instant a card is held to: the agent's promise (``extra.promised_due_at``, at intake
    or later by ``county daiban promise``) when there is one, else the kernel's due instant."""
    promised = case.extra.get("promised_due_at")
    if promised:
        return dt.datetime.fromisoformat(promised)
    return case.due_at


# -- assignment --------------------------------------------------------------------------


def requester_group(ctx: MethodContext, case: Case) -> str | None:
    """The requester's villager group (unit code): ``--set group`` or the case's unit when it
    is a group; None when neither."""
    if case.extra.get("group"):
        return case.extra["group"]
    u = ctx.units.get(case.unit)
    return u.code if u and u.level == "group" else None


def _least_loaded(ctx: MethodContext, people: list[Person]) -> Person | None:
    if not people:
        return None
    return min(people, key=lambda p: (ctx.open_cases_of(p.id), p.id))


def _agents_at(ctx: MethodContext, unit: str | None) -> list[Person]:
    return [p for p in ctx.people.find(unit=unit) if is_agent(p)] if unit else []


def assign(ctx: MethodContext, case: Case) -> Assignment:
    """Who carries the errand (L225, L227): the agent named at intake; otherwise for
    ``home_visit`` the requester's group agent (组代办员), falling back to the village office
    (村代办室) and the township centre (乡代办中心) when the group has none; for ``mobile`` a
    service-team member (role ``service_team``) of the township; for ``fixed_point`` an agent of
    the unit where the errand was taken in. Among several, the one with fewest open cases, then
    by id. Returns ``Assignment(handler=person id, note=…)``; the case keeps its unit (where it
    was entrusted). CountyError when a door-to-door card has no villager group."""
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
        team = [p for p in ctx.people.find(role=TEAM_ROLE) if not codes or p.unit in codes]
        p = _least_loaded(ctx, team)
        return Assignment(handler=p.id, note="流动代办服务团受理") if p else Assignment(note="无服务团成员，待指定")
    p = _least_loaded(ctx, _agents_at(ctx, here.code if here else None))
    if p:
        return Assignment(handler=p.id, note=f"{NODES.get(here.level, '代办点')}定点受理")
    return Assignment(note="受理点无代办员，待指定")


# -- deadline ----------------------------------------------------------------------------


def deadline(ctx: MethodContext, case: Case, arrived_at: dt.datetime) -> Deadline:
    """The time limit (限时办结承诺, L229) from ``arrived_at`` (aware): scope township → exactly
    ``township_hours`` hours later; scope county → 23:59:59 local of the ``county_days``-th
    calendar day after; a promise given at intake (``extra.promise``, checked there not to go
    beyond that limit) → the promised instant instead. One primary ``flag`` milestone
    ``complete_and_reply``; ``extra.time_limit`` = the promise's label or "24小时" / "4天",
    ``extra.time_cap`` = the scope's limit."""
    scope = case.extra.get("scope", ctx.settings["default_scope"])
    due, label, rule = cap(ctx, scope, arrived_at)
    extra = {"time_limit": label, "time_cap": label}
    note = rule
    if case.extra.get("promise") is not None:
        what = f"--set promise={case.extra['promise']}"
        kind, value = parse_promise(case.extra["promise"], what)
        due = check_promise(ctx, scope, kind, value, arrived_at, arrived_at, what)
        extra.update(time_limit=promise_label(kind, value, due), promised_due_at=due.isoformat())
        note = f"代办员承诺{extra['time_limit']}办结回复（{rule}）"
    return Deadline([Milestone("complete_and_reply", due, "flag", None, True, note)], extra=extra)
