"""The three ledgers (三本台账, casebook L110) and their two actions: a problem that cannot be
solved at once goes to 待解决问题 with the explanation given to the masses, and a solved one is
struck off under supervision (督办销号)."""

from __future__ import annotations


from framework import CountyError, Refusal, chunks

from .rules import LEDGER_OF_STATUS, LEDGERS, NAME


def _own(ctx, case_id):
    case = ctx.cases.get(case_id, events=False)
    if case.method != NAME:
        raise CountyError(f"case {case_id} is a {case.method} case, not {NAME}")
    return case


def defer(ctx, case_id, reason, until=None):
    """Move an open problem to 待解决问题 (status ``in_progress``) at ``ctx.now`` with the
    ``reason`` explained to the masses (L110 对一时解决不了的问题，积极向群众做好解释工作); ``until``
    (a ``date``) moves its time limit to that day, 23:59:59 local (明确解决时限) — only while the limit
    is pending: once missed and flagged (督办) it stays missed. Returns the case. ``CountyError``
    without a reason; ``Refusal`` for a problem not open, or ``until`` after the limit was missed."""
    if not reason or not reason.strip():
        raise CountyError("--reason: say what was explained to the masses (L110 做好解释工作)")
    case = _own(ctx, case_id)
    if until is not None and case.is_open and not ctx.milestones.of(case_id, state="pending", name="close"):
        raise Refusal(f"case {case_id} is past its limit ({ctx.calendar.local(case.due_at).isoformat()}, flagged "
                      f"督办): the limit can no longer be moved; defer it without --until")
    with ctx.transaction():
        out = ctx.actions.record_event(case_id, "deferred", reason.strip(), {"explained": True},
                                       extra={"ledger": "pending", "explained": reason.strip()},
                                       status="in_progress")
        if until is not None:
            out = ctx.actions.set_due(case.id, "close", ctx.calendar.end_of_day(until), note="重新明确解决时限")
    return out


def strike_off(ctx, case_id, by, note=None):
    """Strike a solved problem off (销号) at ``ctx.now``, by supervisor ``by`` (L110 督办销号制度):
    the person holds the role ``strike_role`` and is not the problem's responsible person; a row
    in ``sanzhuanbian_strikes`` and a ``struck_off`` event. Returns the case. ``Refusal`` for a
    problem not solved yet or already struck off; ``CountyError`` for the wrong person."""
    case = _own(ctx, case_id)
    person = ctx.person(by)
    role = ctx.settings["strike_role"]
    if role not in person.roles:
        raise CountyError(f"--by {by}: {person.name} does not hold the role {role} (督办销号, L110)")
    if by in (case.handler, case.extra.get("responsible")):
        raise CountyError(f"--by {by}: {person.name} is the problem's responsible person; another strikes it off "
                          f"(督办销号, L110)")
    if LEDGER_OF_STATUS.get(case.status) != "solved":
        raise Refusal(f"case {case_id} is {case.status}, not solved: only a solved problem is struck off (L110)")
    if ctx.db.count("sanzhuanbian_strikes", "case_id = ?", [case_id]):
        raise Refusal(f"case {case_id} is already struck off")
    with ctx.transaction():
        ctx.db.insert("sanzhuanbian_strikes", {"case_id": case_id, "unit": case.origin_unit, "by": by, "note": note,
                                               "at": ctx.now, "at_ts": ctx.now.timestamp()})
        return ctx.actions.record_event(case_id, "struck_off", note or "督办销号", {"by": by},
                                        extra={"struck_off_at": ctx.now, "struck_off_by": by})


def strikes(ctx, case_ids):
    """``{case_id: strike row}`` for those of ``case_ids`` struck off."""
    out = {}
    for chunk in chunks(list(case_ids)):
        for r in ctx.db.query(f"select * from sanzhuanbian_strikes where case_id in ({ctx.db.placeholders(chunk)})",
                              chunk):
            out[r["case_id"]] = r
    return out


def ledgers(ctx, unit=None, period=None):
    """The three ledgers now (L110 三本台账): ``{ledger code: [row…]}`` for ``to_solve`` 需解决问题,
    ``pending`` 待解决问题, ``solved`` 已解决问题, of the method's problems taken in within ``unit``'s
    subtree (None: everywhere) — every open one, and the solved ones resolved in ``period``
    (None: all). Each row: ``case_id``, ``title``, ``unit``, ``priority``, ``handler``, ``joint_unit``,
    ``due_at`` (aware or None), ``overdue`` (open past due at ``ctx.now``), ``explained`` (the reason
    given), ``struck_off`` (bool), ``resolved_at``, ``created_at``."""
    filters = {"origin": unit} if unit else {}
    picked = ctx.cases.find(method=NAME, open=True, **filters)
    picked += ctx.cases.find(method=NAME, open=False, **({"resolved": period} if period else {}), **filters)
    struck = strikes(ctx, [c.id for c in picked])
    out = {k: [] for k in LEDGERS}
    for c in sorted(picked, key=lambda c: c.id):
        ledger = LEDGER_OF_STATUS.get(c.status)
        if ledger is None:
            continue
        out[ledger].append({"case_id": c.id, "title": c.title, "unit": c.origin_unit, "priority": c.priority,
                            "handler": c.handler, "joint_unit": c.joint_unit, "due_at": c.due_at,
                            "overdue": bool(c.is_open and c.due_at and c.due_at < ctx.now),
                            "explained": c.extra.get("explained"), "struck_off": c.id in struck,
                            "resolved_at": c.resolved_at, "created_at": c.created_at})
    return out
