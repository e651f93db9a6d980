"""Two changes a plugin makes to a case beyond the stages (issue 19, docs/hooks.md §6.6):
adding a fresh milestone at the current tier (再限时 after a missed limit, without escalating)
and closing a resolved or confirmed case (关闭/销号, the last status of the lifecycle).

Each is one ``BEGIN IMMEDIATE`` transaction writing the case row, its milestone and one
appended event, like :mod:`framework.kernel.lifecycle`; ``county`` is the County facade
(framework.kernel.county), handed in by ``ctx.actions``, not imported (no import cycle).
"""

from __future__ import annotations

from typing import Any

from framework.errors import CountyError, Refusal
from framework.kernel.guards import check_order
from framework.models import ANCHORS, MISS_ACTIONS, Case, Event, Milestone
from framework.store.db import iso

#: The statuses :func:`close` takes a case from.
CLOSABLE = ("resolved", "confirmed")
_INSERT = ("insert into milestones (case_id, level, name, due_at, due_ts, action, to_level, is_primary, state, note,"
           " anchor) values (?,?,?,?,?,?,?,?,'pending',?,?)")


def add_milestone(county: Any, case_id: str, milestone: Milestone, note: str | None = None) -> Case:
    """Add ``milestone`` (a :class:`~framework.models.Milestone`) as a new **pending** milestone
    of the case's current tier, without leaving the tier. ``due_at``: aware (naive = deployment-
    local), after the case's arrival at the tier unless ``anchor="before"``; ``action``,
    ``to_level`` and ``anchor`` as in ``county_deadline``. A ``primary`` milestone becomes
    ``Case.due_at``. One ``milestone_added`` event (the ``note``; data ``{"milestone", "due_at",
    "action", "primary"}``) at the clock's now; the sweep applies the milestone like any other.

    Refusal (nothing written): the case is not open; now is before the case's latest event
    (events stay in time order); a milestone of that name is still pending
    at the tier (move it with ``set_due``); ``primary`` while another primary is pending there.
    CountyError: not a Milestone, an unknown action or anchor, a ``to_level`` outside the case's
    chain, a ``due_at`` not after the arrival. Returns the case afterwards (with events)."""
    if not isinstance(milestone, Milestone):
        raise CountyError(f"add_milestone: milestone must be a framework.Milestone, not {type(milestone).__name__}")
    m = milestone
    if m.action not in MISS_ACTIONS:
        raise CountyError(f"add_milestone {m.name!r}: action {m.action!r} is not one of {', '.join(MISS_ACTIONS)}")
    if m.anchor not in ANCHORS:
        raise CountyError(f"add_milestone {m.name!r}: anchor {m.anchor!r} is not one of {', '.join(ANCHORS)}")
    now = county.now()
    due = county.calendar.local(m.due_at)
    with county.store.transaction():
        case = county._load(case_id)
        county._require_open(case, "add a milestone to")
        check_order(county, case_id, now, "add a milestone to")
        chain = county.chain_method(case.method)
        if m.to_level is not None and chain.tier(m.to_level) is None:
            raise CountyError(f"add_milestone {m.name!r}: to_level {m.to_level!r} is not a tier of the {chain.name} chain")
        db = county.store.db
        pending = db.execute("select name, is_primary from milestones where case_id = ? and level is ? "
                             "and state = 'pending'", [case_id, case.level]).fetchall()
        where = f"at tier {case.level}" if case.level else "(it is at no tier)"
        if any(name == m.name for name, _ in pending):
            raise Refusal(f"case {case_id} already has a pending milestone {m.name!r} {where}; move it with set_due")
        if m.primary and any(primary for _, primary in pending):
            raise Refusal(f"case {case_id} already has a pending primary milestone {where}; "
                          f"add this one with primary=False, or move that one with set_due")
        arrived = case.tier_arrived_at or case.created_at
        if arrived is not None and due <= arrived and m.anchor != "before":
            raise CountyError(f"add_milestone {m.name!r} due {due.isoformat()}: not after the case arrived at its "
                              f"tier ({arrived.isoformat()})")
        db.execute(_INSERT, [case.id, case.level, m.name, iso(due), due.timestamp(), m.action, m.to_level,
                             int(m.primary), m.note, m.anchor])
        if m.primary:
            case.due_at = due
        case.events = [Event(now, "milestone_added", county.actor, case.level, note,
                             {"milestone": m.name, "due_at": iso(due), "action": m.action, "primary": bool(m.primary)})]
        county._save(case, now)
        county._write_events(case)
    return county.get_case(case_id)


def close(county: Any, case_id: str, note: str) -> Case:
    """Close (关闭/销号) a ``resolved`` or ``confirmed`` case at the clock's now: status
    ``closed``, one ``closed`` event (the ``note``; data ``{"from": the status before}``). A
    closed case is done for good: it takes no confirmation, resolution, assignment or status
    change (events such as 回访 may still be recorded). CountyError without a note; Refusal for
    any other status (an open case is resolved first; a closed one stays closed) or a now
    before the case's latest event (events stay in time order). Returns the case afterwards (with events)."""
    if not note or not str(note).strip():
        raise CountyError("close: a note is required (why the case is closed, e.g. 督办销号)")
    now = county.now()
    with county.store.transaction():
        case = county._load(case_id)
        if case.status not in CLOSABLE:
            raise Refusal(f"case {case_id} is {case.status}; only a resolved or confirmed case can be closed")
        check_order(county, case_id, now, "close")  # events stay in time order (issue 14)
        before, case.status = case.status, "closed"
        case.events = [Event(now, "closed", county.actor, case.level, note, {"from": before})]
        county._save(case, now)
        county._write_events(case)
    return county.get_case(case_id)
