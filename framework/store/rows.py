"""Case records <-> rows of the kernel's ``cases`` table. Kernel-internal: plugins get records
through ``ctx.cases``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from framework.models import Case, Requester
from framework.store.db import encode_json


def placeholders(items: Iterable[Any]) -> str:
    """``?,?,?`` for an SQL ``in (…)`` list of ``items``."""
    return ",".join("?" * len(list(items)))


#: The ``cases`` table's columns that :func:`case_values` fills, in its order (``origin_unit``,
#: ``overdue_count`` and the audit columns are the kernel's bookkeeping, written apart).
CASE_COLUMNS = ("id", "method", "channel", "category", "title", "description", "unit", "level", "status", "handler",
                "priority", "created_at", "created_ts", "tier_arrived_at", "due_at", "due_ts", "resolved_at",
                "resolved_ts", "resolved_level", "satisfaction", "requester_name", "requester_phone",
                "requester_id_number", "requester_address", "requester_anonymous", "source_id", "extra", "lead_id",
                "joint_unit", "joint_handler")


class Instants:
    """ISO text and timestamps of instants, each worked out once per datetime object while it is
    among the last :data:`INSTANTS_KEPT` met (a case's arrival is its creation, its tier's arrival
    and its first events' time; its due instant is its milestone's and its row's; its resolution
    its event's, its milestones' closing and its row's). Objects are told apart by identity, never
    by equality: two equal aware datetimes of different zones are one instant but two texts."""

    __slots__ = ("_seen",)

    def __init__(self):
        self._seen: dict[int, list] = {}  # id(at) -> [at, its text or None, its timestamp or None]

    def _entry(self, at: dt.datetime) -> list:
        """``at``'s entry, made when ``at`` is not among the objects remembered."""
        if len(self._seen) >= INSTANTS_KEPT:
            self._seen.clear()
        e = self._seen[id(at)] = [at, None, None]  # (the entry holds ``at``: its id is not reused meanwhile)
        return e

    def text(self, at: dt.datetime | None) -> str | None:
        """``at.isoformat()`` (None for None)."""
        if at is None:
            return None
        e = self._seen.get(id(at))
        if e is None or e[0] is not at:
            e = self._entry(at)
        text = e[1]
        if text is None:
            text = e[1] = at.isoformat()
        return text

    def ts(self, at: dt.datetime | None) -> float | None:
        """``at.timestamp()`` (None for None)."""
        if at is None:
            return None
        e = self._seen.get(id(at))
        if e is None or e[0] is not at:
            e = self._entry(at)
        ts = e[2]
        if ts is None:
            ts = e[2] = at.timestamp()
        return ts


#: How many datetime objects an :class:`Instants` remembers (then it starts again).
INSTANTS_KEPT = 64


def case_values(case: Case, instants: Instants | None = None) -> list[Any]:
    """A case's row values in :data:`CASE_COLUMNS` order: instants as ISO text and timestamps,
    the requester's fields, ``extra`` as JSON (``ensure_ascii=False``, :func:`~framework.store.db.json_default`).
    ``instants`` (an :class:`Instants`) lets a writer of many rows format each shared instant once
    (bulk intake); without it a fresh one is used."""
    r = case.requester
    instants = instants or Instants()
    iso_, ts = instants.text, instants.ts
    created, arrived, due, resolved = case.created_at, case.tier_arrived_at, case.due_at, case.resolved_at
    return [case.id, case.method, case.channel, case.category, case.title, case.description, case.unit, case.level,
            case.status, case.handler, case.priority, iso_(created), ts(created), iso_(arrived), iso_(due), ts(due),
            iso_(resolved), ts(resolved), case.resolved_level, case.satisfaction, r.name, r.phone, r.id_number,
            r.address, int(bool(r.anonymous)), case.source_id, encode_json(case.extra), case.lead_id,
            case.joint_unit, case.joint_handler]


def case_to_row(case: Case) -> dict:
    """A case's row as a dict, column -> value (:func:`case_values`)."""
    return dict(zip(CASE_COLUMNS, case_values(case)))


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
#: Rewrite a case's row from :func:`case_to_row`'s values (``id`` last) and ``updated_at``: one
#: prepared statement, no schema lookups.
UPDATE_CASE = (f"update cases set {', '.join(f'{c} = ?' for c in CASE_COLUMNS[1:])}, updated_at = ? where id = ?")
