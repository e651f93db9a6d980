"""The rows bulk intake writes (issue 13): a case's values are the store's own
(:func:`framework.store.rows.case_values`, the function ``case_to_row`` uses, with an
:class:`~framework.store.rows.Instants` so each instant is formatted once however many columns
or events share it); its events' rows here, each JSON value encoded by the one encoder
(:data:`framework.store.db.encode_json`).
"""

from __future__ import annotations

from framework.models import Case
from framework.store.db import encode_json
from framework.store.rows import Instants, case_values  # noqa: F401  (bulk intake's row writers)


def event_rows(case: Case, out: list, instants: Instants) -> None:
    """``_write_events``: the case's pending events appended to ``out`` as rows (the 8 values of
    :data:`framework.store.chain.EVENT_FIELDS`, JSON encoded once); ``case.events`` emptied."""
    iso, cid, unit = instants.text, case.id, case.unit
    last = text = None  # a case's events mostly share one instant (its arrival's): its text asked for once
    for e in case.events:
        if e.at is not last:
            last = e.at
            text = iso(last)
        out.append((cid, text, e.type, e.actor, e.level, unit, e.note, encode_json(e.data) if e.data else "{}"))
    case.events = []
