"""Taking prepared rows in, whole or not at all: one by one (:func:`take_row`) or as the
kernel's bulk intake takes them (:func:`case_spec`); the ``imported_rows`` table that remembers
every source id taken (:func:`ensure_table`, :func:`imported_record`), and what an import
reports (:class:`ImportReport`, :class:`Refused`).

逐行入库（整行成功或整行不入）、已导入来源编号表、导入报告。
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial
from json.encoder import encode_basestring
from typing import Any

import attrs

from framework.interchange.rows import ImportRow
from framework.interchange.schema import IMPORTED_ROWS
from framework.kernel.bulk import CaseSpec
from framework.models import Case
from framework.store.db import json_encoder

DEFAULT_NOTE = "导入：来源数据中已办结 (closed in the source data)"
#: The note of the confirmation a row's satisfaction becomes.
CONFIRM_NOTE = "导入：来源数据中的评价"
_RECORD_SQL = (f"insert or replace into {IMPORTED_ROWS} (source_id, case_id, file, line, format, mapping, raw, topic,"
               f" topic_score, imported_at) values (?,?,?,?,?,?,?,?,?,?)")


def ensure_table(county) -> None:
    """Create the ``imported_rows`` table on first use (source_id -> case, file, line, raw)."""
    db = county.store.db
    if not db[IMPORTED_ROWS].exists():
        db[IMPORTED_ROWS].create(
            {"source_id": str, "case_id": str, "file": str, "line": int, "format": str, "mapping": str,
             "raw": str, "topic": str, "topic_score": float, "imported_at": str},
            pk="source_id", if_not_exists=True)
        db[IMPORTED_ROWS].create_index(["case_id"], if_not_exists=True)


def take_row(county, row: ImportRow, *, file: str = "", fmt: str = "", mapping: str = "") -> Any:
    """Take one prepared row in, whole or not at all: ``add_case`` (arrival = ``created_at``),
    then ``resolve(at=resolved_at)`` for a historical row, then ``confirm`` when the row has a
    satisfaction, and the ``imported_rows`` record — in one transaction. Returns the Case.
    Raises CountyError/Refusal from the kernel (the caller reports them for the row)."""
    with county.store.transaction():
        case = county.add_case(row.method, row.unit, row.title, channel=row.channel, category=row.category,
                               description=row.description, requester=row.requester, fields=row.fields,
                               source_id=row.source_id, created_at=row.created_at)
        if row.resolved_at is not None and case.is_open:
            case = county.resolve(case.id, row.note or DEFAULT_NOTE, at=row.resolved_at)
        if row.satisfaction and case.status == "resolved":
            case = county.confirm(case.id, row.satisfaction, CONFIRM_NOTE, at=row.resolved_at)
        if row.source_id:
            county.store.db.execute(*imported_record(county, row, file=file, fmt=fmt, mapping=mapping)(case))
    return case


def case_spec(county, row: ImportRow, *, file: str = "", fmt: str = "", mapping: str = "") -> CaseSpec:
    """The kernel's :class:`~framework.kernel.bulk.CaseSpec` for a prepared row: what
    :func:`take_row` does (intake at ``created_at``, resolve at ``resolved_at``, confirm with
    the satisfaction) with the ``imported_rows`` record written in the same batch. The row is
    the spec's ``tag``."""
    return CaseSpec(row.method, row.unit, row.title, channel=row.channel, category=row.category,
                    description=row.description, requester=row.requester, fields=row.fields,
                    source_id=row.source_id, created_at=row.created_at, resolved_at=row.resolved_at,
                    resolution_note=row.note or DEFAULT_NOTE, satisfaction=row.satisfaction,
                    confirmation_note=CONFIRM_NOTE,
                    also=imported_record(county, row, file=file, fmt=fmt, mapping=mapping) if row.source_id else None,
                    tag=row)


def imported_record(county, row: ImportRow, *, file: str = "", fmt: str = "",
                    mapping: str = "") -> Callable[[Case, str | None], tuple[str, Sequence[Any]]]:
    """The ``imported_rows`` statement for ``row`` once it is a case (source id, case, file,
    line, format, mapping, the raw source row as JSON, the proposed topic, when: ``now`` as ISO
    text, default the clock's). (A partial of :func:`_record`: two small objects a row, where a
    closure made six for the garbage collector to walk while a batch is held.)"""
    return partial(_record, (county, file, fmt, mapping), row)


def _record(where: tuple, row: ImportRow, case: Case, now: str | None = None) -> tuple[str, Sequence[Any]]:
    county, file, fmt, mapping = where
    return _RECORD_SQL, (row.source_id, case.id, file, row.line, fmt, mapping, encode_raw(row.raw), row.topic,
                         row.topic_score, now or county.now().isoformat())


def _raw_default(v):
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    return str(v)


#: A source row as the JSON ``imported_rows.raw`` keeps (instants as ISO text), encoder made once.
_encode_raw = json_encoder(_raw_default)
_raw_shapes: dict[tuple, str] = {}  # a row's keys (text, in order) -> its JSON with a %s per value


def encode_raw(raw: dict[str, Any]) -> str:
    """A source row as ``imported_rows.raw`` keeps it: ``json.dumps(raw, ensure_ascii=False)``
    (instants as ISO text). A row of text cells (a CSV's) is written into its keys' JSON, made
    once per header: the same text, each cell escaped by the json module's own writer."""
    keys = tuple(raw)
    shape = _raw_shapes.get(keys)
    if shape is None:
        if not all(type(k) is str for k in keys):
            return _encode_raw(raw)
        if len(_raw_shapes) >= 64:
            _raw_shapes.clear()
        shape = _raw_shapes[keys] = "{" + ", ".join(encode_basestring(k).replace("%", "%%") + ": %s"
                                                    for k in keys) + "}"
    try:
        return shape % tuple(map(encode_basestring, raw.values()))
    except TypeError:  # a cell that is not text (XLSX, JSON): the encoder writes it
        return _encode_raw(raw)


@attrs.define
class Refused:
    """One refused row: file line, field (or None for the whole row) and reason."""

    line: int
    field: str | None
    reason: str
    item: int | None = None

    def message(self, file: str) -> str:
        where = f"line {self.line}" + (f" (record {self.item})" if self.item else "")
        return f"{file}: {where}: " + (f"{self.field}: " if self.field else "") + self.reason


@attrs.define
class ImportReport:
    """What an import did. ``taken`` rows became cases (``resolved`` of them historically
    closed); ``skipped`` rows had a source id taken before (re-import) — ``resumed`` of them,
    with ``--replay-sweeps``, were still open and had their reply replayed (an import killed
    before its reply's month was written); ``refused`` rows are listed with line and reason;
    ``services`` counts Open311 services stored (services files)."""

    file: str
    format: str
    encoding: str | None
    mapping: str
    method: str | None
    rows: int = 0
    taken: int = 0
    resolved: int = 0
    skipped: int = 0
    resumed: int = 0
    refused: list[Refused] = attrs.Factory(list)
    services: int = 0
    all_or_nothing: bool = False
    first_case: str | None = None
    last_case: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict:
        d = attrs.asdict(self)
        d["refused"] = [{"line": r.line, "record": r.item, "field": r.field, "reason": r.reason,
                         "message": r.message(self.file)} for r in self.refused]
        return d
