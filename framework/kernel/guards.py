"""Guards of a case's record (issue 14): events in time order, the idempotency key and the
duplicate warning of intake, and the reason a case has nobody at a tier. Functions taking the
:class:`~framework.kernel.county.County` (``county``), called by
:mod:`framework.kernel.lifecycle` and :mod:`framework.kernel.resolution`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from framework.errors import Refusal
from framework.models import Case, Event


def check_order(county: Any, case_id: str, when: dt.datetime, what: str) -> None:
    """Events stay in time order (issue 14, "Time order"): an action at ``when`` (aware)
    dated before the case's latest event is a :class:`Refusal` (exit 1) naming that event's
    id, type and instant — e.g. a resolution at 2024-03-05T09:00 after the sweep's ``overdue``
    at 2024-03-06T01:00. The same instant is allowed. Used by resolve, confirm, escalate,
    assign, record_event, set_due and the sweep (CLI and ``ctx.actions`` alike)."""
    latest = latest_event(county, case_id)
    if latest is not None and when.timestamp() < latest[2].timestamp():  # instants, not wall times
        raise Refusal(f"case {case_id}: its latest event is {latest[1]!r} at "
                      f"{county.calendar.local(latest[2]).isoformat()}; cannot {what} it at "
                      f"{county.calendar.local(when).isoformat()}, before that (event {latest[0]}; events stay in "
                      f"time order: use a --now at or after it, and for a late entry put the real date in the note)")


def latest_event(county: Any, case_id: str) -> tuple[int, str, dt.datetime] | None:
    """The case's latest event as ``(id, type, at)`` (``at`` aware): the latest instant, and of
    events at that instant the one appended last (highest id); None when it has none."""
    latest = None
    for eid, typ, at in county.store.db.execute("select id, type, at from events where case_id = ? order by id",
                                                [case_id]):
        t = dt.datetime.fromisoformat(at)
        if latest is None or t.timestamp() >= latest[2].timestamp():
            latest = (eid, typ, t)
    return latest


def find_request(county: Any, request_id: str) -> str | None:
    """The id of the case taken in with idempotency key ``request_id`` (``county case add
    --request-id``; an Open311 client's ``token``), or None."""
    row = county.store.db.execute("select id from cases where json_extract(extra, '$.request_id') = ? "
                                "order by seq limit 1", [str(request_id).strip()]).fetchone()
    return row[0] if row else None


def same_request(county: Any, case_id: str, request_id: str, *, method: str, unit: str, title: str,
                 category: str | None) -> None:
    """A retry with idempotency key ``request_id`` must carry the submission taken in as
    ``case_id``: a :class:`Refusal` (exit 1) naming that case and each field that differs —
    method, unit, title (stripped), category (when given: triage may have chosen it) —
    otherwise a reused key would silently return another submission's case (issue 14)."""
    row = county.store.db.execute("select method, coalesce(origin_unit, unit), title, category from cases "
                                  "where id = ?", [case_id]).fetchone()
    if row is None:
        return
    # origin_unit: where it was taken in (the unit moves on escalation)
    was = {"method": row[0], "unit": row[1], "title": row[2], "category": row[3]}
    now = {"method": method, "unit": unit, "title": (title or "").strip(), "category": category}
    diff = [f"{k} {was[k]!r} there, {now[k]!r} here" for k in ("method", "unit", "title", "category")
            if now[k] is not None and now[k] != was[k]]
    if diff:
        raise Refusal(f"case add: --request-id {str(request_id).strip()!r} was used for case {case_id}, with other "
                      f"content ({'; '.join(diff)}): give this submission its own request id")


def phone_key(phone: str | None) -> str:
    """A phone number as the duplicate check compares it: digits only, a leading country code
    86 (``+86``, ``0086``) dropped — ``+86 138-1234-5678`` and ``13812345678`` are one phone."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 11:
            return digits[len(prefix):]
    return digits


def refuse_duplicate(county: Any, unit: str, title: str, phone: str, at: dt.datetime, window: dt.timedelta) -> None:
    """Refusal naming the earlier case when one with the same requester phone (compared by
    :func:`phone_key`), title and unit was taken in within ``window`` of ``at`` (issue 14: the
    same submission sent twice)."""
    key = phone_key(phone)
    row = next((r for r in county.store.db.execute(
        "select id, created_at, requester_phone from cases where unit = ? and title = ? and requester_phone is not null"
        " and created_ts between ? and ? order by seq",
        [unit, title.strip(), at.timestamp() - window.total_seconds(), at.timestamp() + window.total_seconds()])
        if key and phone_key(r[2]) == key), None)
    if row:
        minutes = window.total_seconds() / 60
        raise Refusal(f"case add: case {row[0]} (taken in at {row[1]}) has the same requester phone, title and "
                      f"unit, within {minutes:g} minutes: a duplicate? give --allow-duplicate to take it in "
                      f"anyway (or --request-id to make retries safe)")


def note_nobody(county: Any, case: Case, chain, level: str | None, at: dt.datetime) -> None:
    """Issue 14: a case that reaches tier ``level`` and finds no unit of the tier's level on
    its way up (e.g. no 三账办 in the deployment) records why it has nobody: a
    ``no_handler`` event (data ``{"reason", "level"}``; its note, in Chinese, ``v1 以上没有层级为
    ledger_office 的单位承接三账办 ledger_office 层级：事项暂无责任人`` or ``本部署没有…`` when the
    deployment has no unit of that level at all) and ``extra["no_handler_reason"]``
    (what ``county check`` reads); a later assignment with a handler drops the field.
    ``county init`` warns about such tiers beforehand
    (:func:`~framework.kernel.deployment_check.tier_warnings`)."""
    if case.handler:
        case.extra.pop("no_handler_reason", None)
        return
    tier = chain.tier(level)
    if tier is None or county.units[case.unit].level == tier.level:
        return
    where = (f"{case.unit} 以上没有" if any(u.level == tier.level for u in county.units.values())
             else "本部署没有")  # the reason in Chinese (notes.py); events before it keep their English text
    reason = f"{where}层级为 {tier.level} 的单位承接{tier.title_zh or ''} {tier.name} 层级：事项暂无责任人"
    case.extra["no_handler_reason"] = reason
    case.events.append(Event(at, "no_handler", county.actor, level, reason, {"reason": "no_unit", "level": tier.level}))
