"""The four bound stages of sanzhuanbian (docs/hooks.md §4): a problem found by visiting the
households (调查走访) is filed with its responsible unit, person and time limit (L110)."""

from __future__ import annotations

import datetime as dt
import re

from framework import (
    Assignment, CountyError, Deadline, IntakeResult, Milestone, NotFound, TriageResult, structure_extra,
)

from . import network
from .rules import INTAKE_LEVELS, NAME, URGENCIES, WEIGHTS

_LIMIT = re.compile(r"^\+(\d+)(d|wd)$")


def intake(ctx, case, fields):
    """Only a village or a community takes a problem in (农户/居民, L110). ``fields`` are
    :class:`~.rules.Extra`'s: ``household`` must be a household of the network in the case's
    unit; ``responsible`` a person; ``responsible_unit`` a unit; ``limit`` ``+Nd``, ``+Nwd`` or
    ``YYYY-MM-DD``; ``weight`` heavy/light; ``urgency`` urgent/normal. Returns an ``IntakeResult``
    (no tier: the method has no chain). ``CountyError`` naming ``--unit`` or ``--set KEY``."""
    unit = ctx.unit(case.unit)
    if unit.level not in INTAKE_LEVELS:
        raise CountyError(f"--unit {case.unit}: a {NAME} problem is taken in by a village or a community, "
                          f"not by {unit.name} ({unit.level}) (L110 分析各村情况)")
    extra = structure_extra(ctx.method, fields)
    if extra["weight"] not in WEIGHTS:
        raise CountyError(f"--set weight={extra['weight']}: use heavy (重) or light (轻) (L110 轻重缓急)")
    if extra["urgency"] not in URGENCIES:
        raise CountyError(f"--set urgency={extra['urgency']}: use urgent (急) or normal (缓) (L110 轻重缓急)")
    hid = extra.get("household")
    if hid:
        try:
            h = network.household(ctx, hid)
        except NotFound as e:
            raise CountyError(f"--set household={hid}: {e}") from None
        if h["unit"] != case.unit:
            raise CountyError(f"--set household={hid}: a household of {h['unit']}, not of {case.unit}")
    if extra.get("responsible"):
        try:
            ctx.person(extra["responsible"])
        except NotFound:
            raise CountyError(f"--set responsible={extra['responsible']}: no such person") from None
    if extra.get("responsible_unit") and extra["responsible_unit"] not in ctx.units:
        raise CountyError(f"--set responsible_unit={extra['responsible_unit']}: no such unit")
    if extra.get("limit"):
        parse_limit(ctx, extra["limit"], case.created_at)  # checked now, used by the deadline
    return IntakeResult(extra=extra)


def triage(ctx, case):
    """Sort by 轻重缓急 (L110): priority ``high`` for a heavy and urgent problem, ``normal`` for one
    of the two, ``low`` for neither; the case starts in the ledger 需解决问题. Returns a
    ``TriageResult`` with a note."""
    heavy, urgent = case.extra.get("weight") == "heavy", case.extra.get("urgency") == "urgent"
    priority = "high" if heavy and urgent else "normal" if heavy or urgent else "low"
    note = f"{WEIGHTS[case.extra.get('weight', 'light')]}·{URGENCIES[case.extra.get('urgency', 'normal')]}，列入需解决问题台账"
    return TriageResult(priority=priority, note=note, extra={"ledger": "to_solve"})


def assignment(ctx, case, level):
    """The responsible person and unit (明确相关单位和责任人, L110): the person is ``responsible``,
    else the household's cadre (每户群众都有1名党员干部联系负责), else the unit's one
    ``village_cadre`` (none or several: no handler). The unit stays the village; the related unit
    (``responsible_unit``, else the village's paired department, 县直单位对口帮扶) handles jointly
    (会办). Returns an ``Assignment``."""
    extra = case.extra
    handler = extra.get("responsible")
    if not handler and extra.get("household"):
        handler = network.responsible_of(ctx, extra["household"])
    if not handler:
        own = ctx.people.find(unit=case.unit, role="village_cadre")
        handler = own[0].id if len(own) == 1 else None
    joint = extra.get("responsible_unit") or network.paired_department(ctx, case.unit)
    return Assignment(handler=handler, joint_unit=joint, note="明确相关单位和责任人",
                      extra={"responsible": handler} if handler else {})


def parse_limit(ctx, text, start):
    """The due instant of limit ``text`` counted from ``start`` (aware): ``+Nd`` — N calendar days,
    ``+Nwd`` — N working days (China's calendar with 调休), ``YYYY-MM-DD`` — that day; each ending
    23:59:59 local (conventions §2). ``CountyError`` naming ``--set limit`` for anything else or
    a day not after ``start``'s day."""
    m = _LIMIT.match(text.strip())
    if m:
        n = int(m.group(1))
        if n < 1:
            raise CountyError(f"--set limit={text}: at least one day")
        return (ctx.calendar.calendar_days if m.group(2) == "d" else ctx.calendar.working_days)(start, n)
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CountyError(f"--set limit={text}: use +Nd (calendar days), +Nwd (working days) or YYYY-MM-DD") from None
    if day <= ctx.calendar.local(start).date():
        raise CountyError(f"--set limit={text}: must be after the day the problem was taken in "
                          f"({ctx.calendar.local(start).date()})")
    return ctx.calendar.end_of_day(day)


def deadline(ctx, case, level, arrived_at):
    """限时办结 (L110 明确解决时限…严格落实限时办结和督办销号制度): one primary milestone ``close``
    at the problem's ``limit`` (see :func:`parse_limit`), else ``limit_days`` (15, the source
    gives no number) calendar or working days (``day_kind``) after ``arrived_at``; missed, it is
    flagged (督办). A dated limit already past when the problem arrives again (reopened after an
    unsatisfied rating) gives way to ``limit_days``. ``extra.limit_due_at`` keeps the instant. Returns a ``Deadline``;
    ``CountyError`` for a bad ``day_kind``."""
    text, due = case.extra.get("limit"), None
    if text:
        try:
            due = parse_limit(ctx, text, arrived_at)
        except CountyError:  # a reopened problem (§12.2) past its dated limit: the default from now on
            due = None
    if due is None:
        kind = ctx.settings["day_kind"]
        if kind not in ("calendar", "working"):
            raise CountyError(f"[plugins.{NAME}] day_kind = {kind!r}: use 'calendar' or 'working'")
        count = ctx.calendar.calendar_days if kind == "calendar" else ctx.calendar.working_days
        due = count(arrived_at, ctx.settings["limit_days"])
    return Deadline([Milestone("close", due, action="flag", primary=True, note="限时办结，逾期督办")],
                    extra={"limit_due_at": due})
