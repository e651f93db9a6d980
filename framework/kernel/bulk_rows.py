"""The rows bulk intake writes, built the short way (issue 13): a case's values as
:func:`framework.store.rows.case_to_row` gives them (in :data:`~framework.store.rows.CASE_COLUMNS`
order) and its events' rows, with each instant formatted once however many columns or events
share it, and each JSON value encoded by one encoder made once.

:func:`case_values` falls back to ``case_to_row`` itself if the case row's columns ever differ
from the ones it knows (``tests/test_bulk_prepare.py`` compares the two on varied cases).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from framework.models import Case
from framework.store.db import json_default
from framework.store.rows import CASE_COLUMNS, case_to_row

def json_encoder(default) -> Any:
    """``json.JSONEncoder(ensure_ascii=False, default=default).encode``, its C encoder made once
    (``JSONEncoder.encode`` makes a new one, and a new circular-reference dict, on every call:
    ~40 % of the time for a small dict). Same text, same errors: after an error the
    circular-reference dict is emptied, so a later value is never taken for a cycle. Falls
    back to ``JSONEncoder.encode`` where the json module has no C encoder."""
    plain = json.JSONEncoder(ensure_ascii=False, default=default).encode
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return plain
    markers: dict[int, Any] = {}
    encode = make(markers, default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    string = json.encoder.encode_basestring

    def dumps(value: Any) -> str:
        if isinstance(value, str):
            return string(value)
        try:
            return "".join(encode(value, 0))
        except BaseException:
            markers.clear()
            raise

    return dumps


#: ``json.dumps(…, ensure_ascii=False, default=json_default)``, its encoder made once (:func:`json_encoder`).
encode_json = json_encoder(json_default)

#: The columns :func:`case_values` writes, in its order.
KNOWN_COLUMNS = ("id", "method", "channel", "category", "title", "description", "unit", "level", "status", "handler",
                 "priority", "created_at", "created_ts", "tier_arrived_at", "due_at", "due_ts", "resolved_at",
                 "resolved_ts", "resolved_level", "satisfaction", "requester_name", "requester_phone",
                 "requester_id_number", "requester_address", "requester_anonymous", "source_id", "extra", "lead_id",
                 "joint_unit", "joint_handler")
_SHORT = KNOWN_COLUMNS == CASE_COLUMNS


class Instants:
    """ISO text and timestamps of instants, each worked out once while the same datetime object
    comes again (a case's arrival is its creation, its tier's arrival and its first events' time)."""

    __slots__ = ("_at", "_text", "_ts")

    def __init__(self):
        self._at = self._text = self._ts = None

    def text(self, at: dt.datetime | None) -> str | None:
        """``at.isoformat()`` (None for None)."""
        if at is None:
            return None
        if at is not self._at:
            self._at, self._text, self._ts = at, at.isoformat(), None
        return self._text

    def ts(self, at: dt.datetime | None) -> float | None:
        """``at.timestamp()`` (None for None)."""
        if at is None:
            return None
        if at is not self._at:
            self._at, self._text, self._ts = at, at.isoformat(), None
        if self._ts is None:
            self._ts = at.timestamp()
        return self._ts


def case_values(case: Case, instants: Instants) -> list[Any]:
    """The values of ``case_to_row(case)``, in :data:`CASE_COLUMNS` order."""
    if not _SHORT:
        return [*case_to_row(case).values()]
    r, iso, ts = case.requester, instants.text, instants.ts
    created, arrived, due, resolved = case.created_at, case.tier_arrived_at, case.due_at, case.resolved_at
    return [case.id, case.method, case.channel, case.category, case.title, case.description, case.unit, case.level,
            case.status, case.handler, case.priority, iso(created), ts(created), iso(arrived), iso(due), ts(due),
            iso(resolved), ts(resolved), case.resolved_level, case.satisfaction, r.name, r.phone, r.id_number,
            r.address, int(bool(r.anonymous)), case.source_id, encode_json(case.extra), case.lead_id,
            case.joint_unit, case.joint_handler]


def event_rows(case: Case, out: list, instants: Instants) -> None:
    """``_write_events``: the case's pending events appended to ``out`` as rows (the 8 values of
    :data:`framework.store.chain.EVENT_FIELDS`, JSON encoded once); ``case.events`` emptied."""
    iso = instants.text
    for e in case.events:
        out.append((case.id, iso(e.at), e.type, e.actor, e.level, case.unit, e.note,
                    encode_json(e.data) if e.data else "{}"))
    case.events = []
