"""taizhang's own actions on cases, for ``county taizhang …`` (and anyone holding a ``ctx``).

Each function takes the method's ``ctx``, checks the casebook rule, writes through
``ctx.actions`` (one transaction, the operator ``ctx.actor``, at the clock's now) and returns the
case as it is afterwards (:class:`~framework.Case`, with its events). Errors: CountyError (bad
input, exit 2), Refusal (not allowed now, exit 1), NotFound (unknown case or unit, exit 2).
"""

from __future__ import annotations

from typing import Any

from framework import (
    DONE_STATUSES,
    SATISFACTION,
    SATISFACTION_ZH,
    Case,
    CountyError,
    Refusal,
)
from plugins.taizhang.rules import SHEET_FIELDS, enabled_ledgers

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
    case = taizhang_case(ctx, case_id)
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
