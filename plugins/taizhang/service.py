"""taizhang's own actions on cases, for ``county taizhang …`` (and anyone holding a ``ctx``).

Each function takes the method's ``ctx``, checks the casebook rule, writes through
``ctx.actions`` (one transaction, the operator ``ctx.actor``, at the clock's now) and returns the
case as it is afterwards (:class:`~framework.Case`, with its events). Errors: CountyError (bad
input, exit 2), Refusal (not allowed now, exit 1), NotFound (unknown case or unit, exit 2).
"""

from __future__ import annotations

from typing import Any

import datetime as dt

from framework import (
    DONE_STATUSES,
    SATISFACTION,
    SATISFACTION_ZH,
    Case,
    CountyError,
    Refusal,
    period_dates,
)
from plugins.taizhang import tables
from plugins.taizhang.duties import villages_in
from plugins.taizhang.publicity import village_board
from plugins.taizhang.rules import INTAKE_LEVELS, SHEET_FIELDS, TIER_ROLES, TIER_ZH, enabled_ledgers
from plugins.taizhang.stages import department_person

METHOD = "taizhang"
#: Who deliberates by default (L27: the two committees with party members and villager
#: representatives).
PARTICIPANTS = "村两委、党员、村民代表"


def taizhang_case(ctx, case_id: str) -> Case:
    """The case ``case_id`` (without events); Refusal when it is not a taizhang case."""
    case = ctx.cases.get(case_id, events=False)
    if case.method != METHOD:
        raise Refusal(f"case {case_id} is a {case.method} case, not a taizhang (台账) case")
    return case


def chain_case(ctx, case_id: str) -> Case:
    """The case ``case_id`` (without events) when taizhang's tier chain times it — a taizhang
    case, or another method's whose ``[bindings] METHOD.deadline = "taizhang"`` (a dianti request
    at the township owes taizhang's 10-day reply as much as a ledger case does, L29); Refusal
    otherwise."""
    case = ctx.cases.get(case_id, events=False)
    if ctx.chain_of(case).name != METHOD:
        raise Refusal(f"case {case_id} is a {case.method} case on {ctx.chain_of(case).name}'s chain, not on "
                      f"taizhang's (台账) chain")
    return case


def deliberate(ctx, case_id: str, decision: str, participants: str = PARTICIPANTS,
               measures: str | None = None) -> Case:
    """议账 (L27): the village two committees' collective decision on an open case: a
    ``deliberated`` event (data: decision, participants, measures), status ``in_progress``, the
    decision becomes the sheet's ``handling_opinion`` (and ``measures`` its ``work_measures``)."""
    if not decision.strip():
        raise CountyError("--decision: say what was decided")
    case = taizhang_case(ctx, case_id)
    if not case.is_open:
        raise Refusal(f"case {case_id} is {case.status}; only an open case is deliberated")
    extra = {"handling_opinion": decision.strip()}
    if measures:
        extra["work_measures"] = measures.strip()
    return ctx.actions.record_event(case_id, "deliberated", note=decision.strip(),
                                    data={"decision": decision.strip(), "participants": participants,
                                          **({"measures": measures.strip()} if measures else {})},
                                    extra=extra, status="in_progress")


def reply(ctx, case_id: str, note: str) -> Case:
    """The township's reply (乡镇10天内答复, L29) to an open case at the township tier: a
    ``replied`` event that meets the tier's ``reply`` milestone (missed when already past due),
    status ``in_progress``."""
    if not note.strip():
        raise CountyError("--note: give the reply")
    case = chain_case(ctx, case_id)
    if case.level != "township" or not case.is_open:
        raise Refusal(f"case {case_id} is {case.status} at tier {case.level}; only an open case at the "
                      f"township tier owes a reply")
    return ctx.actions.record_event(case_id, "replied", note=note.strip(), meet="reply", status="in_progress")


def callback(ctx, case_id: str, satisfaction: str, note: str | None = None) -> Case:
    """回访 (L41): a return visit to the requester of a settled case, rated ``satisfaction``
    (``satisfied`` / ``basically`` / ``unsatisfied``): a ``callback`` event (data: satisfaction)
    that feeds the callback satisfaction rate."""
    if satisfaction not in SATISFACTION:
        raise CountyError(f"--satisfaction: {satisfaction!r} (use {', '.join(SATISFACTION)})")
    case = taizhang_case(ctx, case_id)
    if case.status not in DONE_STATUSES:
        raise Refusal(f"case {case_id} is {case.status}; a return visit (回访) follows a settled case")
    return ctx.actions.record_event(case_id, "callback", note=note or SATISFACTION_ZH[satisfaction],
                                    data={"satisfaction": satisfaction})


def parse_sheet(sets: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``KEY=VALUE`` strings -> ``{field: value}`` of the ledger sheet (:data:`SHEET_FIELDS`);
    CountyError naming the bad one."""
    changes = {}
    for p in sets:
        if "=" not in p:
            raise CountyError(f"--set {p!r}: use KEY=VALUE")
        k, v = (x.strip() for x in p.split("=", 1))
        if k not in SHEET_FIELDS:
            raise CountyError(f"--set {k}: not a ledger sheet field (fields: {', '.join(SHEET_FIELDS)})")
        changes[k] = v
    return changes


def update_sheet(ctx, case_id: str, changes: dict[str, str]) -> Case:
    """动态更新 (L25): fill in or change fields of the ledger sheet (``{field: text}``): one
    ``ledger_updated`` event (data: the changes), the fields written into ``extra``."""
    taizhang_case(ctx, case_id)
    return ctx.actions.record_event(case_id, "ledger_updated", note="更新台账：" + "、".join(changes),
                                    data=changes, extra=changes)


def books(ctx, unit: str, ledger: str | None = None, only_open: bool = False) -> dict[str, Any]:
    """The books (三本台账) of the taizhang cases taken in anywhere in ``unit``'s subtree:
    ``{"unit": unit, "ledgers": [{"ledger", "title_zh", "count", "cases": [{"id", "title",
    "unit" (the unit that took it in), "status", "level", "due_at", "created_at"}]}]}``, one
    entry per ledger the deployment uses (or only ``ledger``), cases in intake order;
    ``only_open``: open cases only. CountyError for a ledger the deployment does not use,
    NotFound for an unknown unit."""
    enabled = enabled_ledgers(ctx.settings)
    if ledger and ledger not in enabled:
        raise CountyError(f"--category {ledger!r}: not a ledger of this deployment ({', '.join(enabled)})")
    out = {code: {"ledger": code, "title_zh": title, "count": 0, "cases": []}
           for code, title in enabled.items() if not ledger or code == ledger}
    for c in ctx.cases.find(method=METHOD, origin=unit, open=True if only_open else None):
        if c.category not in out:
            continue
        book = out[c.category]
        book["count"] += 1
        book["cases"].append({"id": c.id, "title": c.title, "unit": c.origin_unit, "status": c.status,
                              "level": c.level, "due_at": c.due_at, "created_at": c.created_at})
    return {"unit": unit, "ledgers": list(out.values())}


def handover(ctx, case_id: str, department: str, handler: str | None = None, note: str | None = None) -> Case:
    """三账办交办 (L29 "县“三账办”5日内完成登记，并向相关部门交办"): hand an open case at the 三账办
    (tier ``ledger_office``, or ``department`` while still held there) to the department unit
    ``department``, with its responsible person (责任人, L25): ``handler`` when given (a person
    of that department), else the assignment rule's (:func:`~plugins.taizhang.stages.
    department_person`: the sheet's ``responsible_person`` of that department, else its one
    ``department_staff``). The case moves to the department tier (its 15/18-day clock starts
    now) through ``ctx.actions.assign``, with an ``assigned`` event. CountyError when the unit is
    not a department or no single responsible person can be found (name one with ``handler``);
    Refusal for a closed case or one not at the 三账办."""
    case = chain_case(ctx, case_id)
    if not case.is_open:
        raise Refusal(f"case {case_id} is {case.status}; only an open case is handed to a department")
    if case.level not in ("ledger_office", "department"):
        raise Refusal(f"case {case_id} is at tier {TIER_ZH.get(case.level, case.level)} ({case.level}); the 三账办 "
                      f"hands a case to a department (交办) once the case has reached it")
    dept = ctx.unit(department)
    if dept.level != "department":
        raise CountyError(f"--department {department}: {dept.name} is a {dept.level}, not a department (相关部门)")
    if handler:
        person = ctx.person(handler)
        if person.unit != dept.code:
            raise CountyError(f"--handler {handler}: {person.name} is a person of {person.unit}, not of {dept.name}")
        pid = handler
    else:
        pid = department_person(ctx, case, dept.code)
        if pid is None:
            staff = [p.id for p in ctx.people.find(unit=dept.code, role=TIER_ROLES["department"])]
            raise CountyError(f"--handler: {dept.name} has {len(staff)} {TIER_ROLES['department']} "
                              f"({', '.join(staff) or 'none'}); name its responsible person (责任人) with --handler")
    text = f"三账办交办{dept.name}，责任人{ctx.people[pid].name}" + (f"：{note.strip()}" if note and note.strip() else "")
    return ctx.actions.assign(case_id, handler=pid, unit=dept.code, note=text)


def post_board(ctx, unit: str, month: str, note: str | None = None) -> list[dict]:
    """每月上墙公示 (L35): record that the board of ``month`` (``YYYY-MM``) was put on the wall at
    ``ctx.now`` in the village or community ``unit`` — or in each village and community below
    ``unit`` (a township, the county) — with the counts of its two sections as posted (本期建账,
    本期结账). The month is closed first (月办月结): a board is posted from the month's last day
    on. A board already posted keeps its first posting. Returns one dict per village: the
    posting row plus ``already`` (True when it had been posted before). CountyError for a bad
    month or a unit without villages, NotFound for an unknown unit, Refusal before the month's
    last day."""
    m = (month or "").strip()
    try:
        start, end = period_dates(m)
    except CountyError:
        raise CountyError(f"--month: {month!r} is not a month (YYYY-MM)") from None
    if len(m) != 7:
        raise CountyError(f"--month: {month!r} is not a month (YYYY-MM)")
    u = ctx.unit(unit)
    villages = [u] if u.level in INTAKE_LEVELS else villages_in(ctx, u)
    if not villages:
        raise CountyError(f"--unit {unit}: {u.name} has no village or community (the units that post the board)")
    last = end - dt.timedelta(days=1)
    today = ctx.calendar.local(ctx.now).date()
    if today < last:
        raise Refusal(f"--month {m}: the board of {m} is posted once the month is closed (月办月结), from {last} on; "
                      f"now is {today}")
    out = []
    with ctx.transaction():
        for v in villages:
            row = tables.posting(ctx, v.code, m)
            if row is not None:
                out.append({**row, "already": True})
                continue
            board = village_board(ctx, v, m)
            row = {"id": tables.post_id(v.code, m), "unit": v.code, "month": m, "posted_at": ctx.now.isoformat(),
                   "posted_ts": ctx.now.timestamp(), "posted_by": ctx.actor, "new_cases": len(board.sections[0].rows),
                   "settled_cases": len(board.sections[1].rows), "note": note}
            ctx.db.insert("taizhang_posts", row)
            out.append({**row, "already": False})
    return out
