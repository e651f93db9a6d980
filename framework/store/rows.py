"""Case records <-> rows of the kernel's ``cases`` table. Kernel-internal: plugins get records
through ``ctx.cases``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from framework.models import Case, Requester
from framework.store.db import iso, json_default


def placeholders(items: Iterable[Any]) -> str:
    """``?,?,?`` for an SQL ``in (…)`` list of ``items``."""
    return ",".join("?" * len(list(items)))


def case_to_row(case: Case) -> dict:
    r = case.requester
    return {
        "id": case.id, "method": case.method, "channel": case.channel, "category": case.category,
        "title": case.title, "description": case.description, "unit": case.unit, "level": case.level,
        "status": case.status, "handler": case.handler, "priority": case.priority,
        "created_at": iso(case.created_at), "created_ts": case.created_at.timestamp() if case.created_at else None,
        "tier_arrived_at": iso(case.tier_arrived_at), "due_at": iso(case.due_at),
        "due_ts": case.due_at.timestamp() if case.due_at else None,
        "resolved_at": iso(case.resolved_at), "resolved_ts": case.resolved_at.timestamp() if case.resolved_at else None,
        "resolved_level": case.resolved_level, "satisfaction": case.satisfaction,
        "requester_name": r.name, "requester_phone": r.phone, "requester_id_number": r.id_number,
        "requester_address": r.address, "requester_anonymous": int(bool(r.anonymous)),
        "source_id": case.source_id, "extra": json.dumps(case.extra, ensure_ascii=False, default=json_default),
        "lead_id": case.lead_id, "joint_unit": case.joint_unit, "joint_handler": case.joint_handler,
    }


def row_to_case(r: dict) -> Case:
    def t(v):
        return dt.datetime.fromisoformat(v) if v else None

    return Case(
        id=r["id"], method=r["method"], title=r["title"], unit=r["unit"], level=r["level"], status=r["status"],
        channel=r["channel"], category=r["category"], description=r["description"], handler=r["handler"],
        priority=r["priority"], created_at=t(r["created_at"]), tier_arrived_at=t(r["tier_arrived_at"]),
        due_at=t(r["due_at"]), resolved_at=t(r["resolved_at"]), resolved_level=r["resolved_level"],
        satisfaction=r["satisfaction"],
        requester=Requester(r["requester_name"], r["requester_phone"], r["requester_id_number"],
                            r["requester_address"], bool(r["requester_anonymous"])),
        source_id=r["source_id"], extra=json.loads(r["extra"] or "{}"), origin_unit=r.get("origin_unit"),
        lead_id=r.get("lead_id"), joint_unit=r.get("joint_unit"), joint_handler=r.get("joint_handler"),
    )


#: The columns of a case row as :func:`case_to_row` gives them (``id`` first).
CASE_COLUMNS = tuple(case_to_row(Case(id="", method="", title="", unit="")))
#: Rewrite a case's row from :func:`case_to_row`'s values (``id`` last) and ``updated_at``: one
#: prepared statement, no schema lookups.
UPDATE_CASE = (f"update cases set {', '.join(f'{c} = ?' for c in CASE_COLUMNS[1:])}, updated_at = ? where id = ?")
