"""Bulk intake of what a county already has (``county case import``): CSV, XLSX, JSON and
Open311 GeoReport v2 (JSON and XML), through a column mapping, with historical instants.

批量导入：把县里已有的表格（CSV/XLSX/JSON）或 Open311 系统导出的诉求，按列映射转成事项。

The pieces, in the order an import runs them:

1. :func:`~framework.interchange.readers.open_records` opens the file as a stream of
   :class:`~framework.interchange.readers.Record` s (line number + one dict of text/instant
   values per row), checking the whole file first: CSV encodings are detected (strict UTF-8 with
   or without BOM, else strict GB18030, which reads GBK) or given; XLSX skips empty rows and keeps
   Excel datetimes; ids and phone numbers stay text (an integer cell becomes its digits, leading
   zeros in text cells are kept). A file that cannot be read at all is one :class:`CountyError`,
   before any row is taken.
2. :func:`~framework.interchange.mappings.load_mapping` gives the
   :class:`~framework.interchange.mappings.Mapping` (a built-in name such as ``taidi-replied``
   or a TOML file) that says which column feeds which case field.
3. :func:`~framework.interchange.rows.prepare_row` turns a record into an
   :class:`~framework.interchange.rows.ImportRow` or raises
   :class:`~framework.interchange.rows.RowError` naming the field and the reason.
4. The kernel's bulk intake (:meth:`County.add_cases <framework.kernel.bulk.add_cases>`) takes
   the rows in, ``batch`` per transaction: each as ``County.add_case`` with the real arrival as
   ``created_at`` and, when the row already has a reply/close time, ``County.resolve`` at that
   instant — so milestones that fell due before the reply are recorded as missed — with the
   row's ``imported_rows`` record. A batch is written whole or not at all (kill -9 included), a
   refused row leaves nothing behind and the rest of its batch is taken.
5. :func:`import_file` runs the lot, reading the file a batch at a time (memory stays flat
   however long the file): every good row is taken, every bad one is reported with its line and
   reason, rows whose source id was taken before are skipped (re-importing a file takes nothing
   twice; an import killed half way takes the rest when run again).

The ``imported_rows`` table (created on first import) keeps, per source id: the case id, the
file, line, format, mapping, the raw source row (JSON) and the proposed topic, so that
:mod:`framework.interchange.open311` can give an Open311 request back with every GeoReport v2 field
as it came.

``--replay-sweeps`` takes the rows in time order with the nightly sweeps between them
instead (:func:`framework.interchange.replay_sweeps.replay`); it holds the prepared rows to sort them.
"""

from __future__ import annotations

import json
import time
from contextlib import nullcontext
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Callable

import attrs

from framework.errors import CountyError, SourceTaken
from framework.models import DONE_STATUSES
from framework.interchange.mappings import Mapping, check_columns, identity_mapping, load_mapping
from framework.interchange.open311 import store_services
from framework.interchange.open311_routes import ServiceRows, routed_context
from framework.interchange.readers import Record, open_records
from framework.interchange.replay_sweeps import replay
from framework.interchange.rows import ImportRow, RowContext, RowError, prepare_row
from framework.interchange.schema import CASE_FIELDS
from framework.interchange.take import ImportReport, Refused, case_spec, ensure_table
from framework.interchange.triage import default_classifier
from framework.kernel.bulk import DEFAULT_BATCH

#: Progress is reported every this many rows (and at the end).
PROGRESS_EVERY = 250


def import_file(county, path: str | Path, *, fmt: str | None = None, method: str | None = None,
                mapping: str | Mapping | None = None, encoding: str | None = None, unit: str | None = None,
                constants: dict[str, str] | None = None, all_or_nothing: bool = False, classifier=None,
                taxonomy: str | Path | None = None, replay_sweeps: bool = False,
                progress: Callable[[int, int | None], None] | None = None,
                batch: int = DEFAULT_BATCH) -> ImportReport:
    """Import a file into ``county``. Returns an :class:`ImportReport`.

    ``mapping``: a :class:`Mapping`, a built-in name or a TOML path (default: columns named
    like the case fields, or the ``open311`` mapping for Open311). ``constants``: case field
    (or ``extra.KEY``) -> value for every row, over the mapping's (``--set``). ``all_or_nothing``: take no
    row when any is refused (one transaction for the whole file). ``classifier``: what proposes topics for a mapping with
    ``topic = "classify"`` (default: :func:`framework.interchange.triage.default_classifier`,
    with ``taxonomy``'s names when given, e.g. 附件1.xlsx). ``replay_sweeps``: take the rows in time order with the nightly
    sweeps between them (:func:`~framework.interchange.replay_sweeps.replay`), so escalations before a reply happen too.
    ``batch``: rows per transaction (:data:`~framework.kernel.bulk.DEFAULT_BATCH`).
    ``progress(done, total)`` is called as rows are handled (``total`` None when the file's
    length is not known before reading it: XLSX).
    A file that cannot be read or a bad option raises CountyError; bad rows never do.
    """
    t0 = time.perf_counter()
    if isinstance(mapping, str):
        mapping = load_mapping(mapping)
    source = open_records(path, fmt, encoding=encoding, mapping=mapping)
    mapping = mapping or identity_mapping(source.format)
    if constants:
        for k in constants:
            if k not in CASE_FIELDS and not k.startswith("extra."):
                raise CountyError(f"--set {k}: not a case field (fields: {', '.join(CASE_FIELDS)}, or extra.KEY)")
        fields = {k: v for k, v in mapping.fields.items() if k not in constants}
        mapping = attrs.evolve(mapping, fields=fields, constants={**mapping.constants, **constants})
    if source.kind != "services":
        mapping = check_columns(source, mapping)
    ensure_table(county)
    report = ImportReport(str(path), source.format, source.encoding, mapping.name, method or mapping.method,
                          rows=source.count or 0, all_or_nothing=all_or_nothing)
    if source.kind == "services":
        report.services = store_services(county, [r.data for r in source], str(path))
        report.method = None
        report.seconds = time.perf_counter() - t0
        return report
    if mapping.topic == "classify" and classifier is None:
        classifier = default_classifier(taxonomy)
    rc = routed_context(county, mapping, source.format, method=method, unit=unit, classifier=classifier) or \
        RowContext(county, mapping, method=method, unit=unit, classifier=classifier)  # [open311] services route rows
    report.method = rc.method
    run = _Rows(county, rc, report, batch, resume=replay_sweeps)
    names = {"file": Path(path).name, "fmt": source.format, "mapping": mapping.name}
    try:
        if replay_sweeps:
            prepared = list(run.rows(source))
            if not (all_or_nothing and report.refused):
                replay(county, prepared, **names, report=report, progress=progress, resumed=run.resumed)
        else:
            _take(county, run, source, names, all_or_nothing, batch, progress)
    finally:
        run.close()
    report.rows = run.records
    report.refused.sort(key=lambda r: r.line)
    report.seconds = time.perf_counter() - t0
    return report


def _take(county, run: "_Rows", source, names: dict, all_or_nothing: bool, batch: int, progress) -> None:
    """Take the rows in through the kernel's bulk intake, ``batch`` per transaction (one for
    the whole file with ``all_or_nothing``, rolled back when any row is refused)."""
    report, total = run.report, source.count
    specs = (case_spec(county, row, **names) for row in run.rows(source))
    refused: list[Refused] = []
    try:
        with county.store.transaction() if all_or_nothing else nullcontext():
            for t in county.add_cases(specs, batch=batch):
                row: ImportRow = t.spec.tag
                if isinstance(t.error, SourceTaken):  # another import took it meanwhile: as a re-import
                    report.skipped += 1
                elif t.error is not None:
                    refused.append(Refused(row.line, *kernel_field(run.rc, str(t.error)), row.item))
                else:
                    report.taken += 1
                    report.resolved += t.case.status in ("resolved", "confirmed", "closed")
                    report.first_case = report.first_case or t.case.id
                    report.last_case = t.case.id
                run.handled += 1
                if progress and run.handled % PROGRESS_EVERY == 0:
                    progress(run.handled, total)
            if all_or_nothing and (report.refused or refused):
                raise _Abort()
    except _Abort:
        report.taken = report.resolved = 0
        report.first_case = report.last_case = None
    report.refused += refused  # every refused row, the kernel's too (--all-or-nothing took none of them)
    if progress:
        progress(run.handled, total if total is not None else run.records)


def kernel_field(rc: RowContext, message: str) -> tuple[str | None, str]:
    """A kernel refusal of a row as ``(field, reason)`` for its :class:`Refused`: the kernel
    names the option ``case add`` takes (``--category: 'x' is not a category of taizhang …``);
    an import names the field and where its value came from — ``category (column 类别)``, or
    ``category (--set)`` for a constant. Other refusals stay whole (field None)."""
    for field in ("category", "channel"):
        prefix = f"--{field}: "
        if message.startswith(prefix):
            src = rc.mapping.fields.get(field)
            where = ("--set" if field in rc.mapping.constants else f"column {src}" if isinstance(src, str)
                     else f"columns {', '.join(src)}" if src else None)
            return (f"{field} ({where})" if where else field), message[len(prefix):]
    return None, message


class _Rows:
    """The file's records prepared (:func:`prepare_row`), a batch at a time, refused rows and
    repeated or taken source ids sorted out. Source ids met so far are kept in a temporary
    table (with the line that had them first), not in memory."""

    def __init__(self, county, rc: RowContext, report: ImportReport, batch: int, *, resume: bool = False):
        self.county, self.rc, self.report, self.batch = county, rc, report, max(batch, 1)
        self.records = self.handled = 0
        #: with ``resume`` (``--replay-sweeps``): the skipped rows whose case is still open and
        #: whose reply the file gives, with the case's id — an earlier run killed after the
        #: arrival's month was written and before the reply's (:func:`replay` finishes them)
        self.resume = resume
        self.resumed: list[tuple[ImportRow, str]] = []
        self.db = county.store.db.conn
        self.db.execute("create temp table if not exists county_import_seen (source_id text primary key, line integer)")
        self.db.execute("delete from temp.county_import_seen")

    def close(self) -> None:
        self.db.execute("drop table if exists temp.county_import_seen")

    def rows(self, records: Iterable[Record]) -> Iterator[ImportRow]:
        it = iter(records)
        while chunk := list(islice(it, self.batch)):
            self.records += len(chunk)
            prepared = []
            for rec in chunk:
                try:
                    prepared.append(self.rc.prepare(rec) if isinstance(self.rc, ServiceRows) else prepare_row(rec, self.rc))
                except RowError as e:
                    self._refuse(Refused(rec.line, e.field, e.reason, rec.item))
            yield from self._new(prepared)  # all-or-nothing too: every row is tried, so every refusal is told

    def _new(self, rows: list[ImportRow]) -> list[ImportRow]:
        """Rows whose source id neither repeats an earlier line of the file (refused) nor was
        taken before (skipped): one look-up each in the temporary table and in ``cases``."""
        ids = json.dumps([r.source_id for r in rows if r.source_id is not None])
        earlier = dict(self.db.execute("select source_id, line from temp.county_import_seen "
                                       "where source_id in (select value from json_each(?))", [ids]))
        taken = {r[0]: (r[1], r[2]) for r in self.db.execute(
            "select source_id, id, status from cases where source_id in (select value from json_each(?))", [ids])}
        first: dict[str, int] = {}
        out = []
        for row in rows:
            sid = row.source_id
            if sid is not None:
                line = earlier.get(sid) or first.get(sid)
                if line is not None:
                    self._refuse(Refused(row.line, "source_id", f"{sid!r} repeats line {line} of this file; taken once",
                                         row.item))
                    continue
                first[sid] = row.line
                if sid in taken:
                    self.report.skipped += 1
                    self.handled += 1
                    case_id, status = taken[sid]
                    if self.resume and row.resolved_at is not None and status not in (*DONE_STATUSES, "rejected"):
                        self.resumed.append((row, case_id))
                    continue
            out.append(row)
        if first:
            with self.county.store.transaction():
                self.db.executemany("insert or ignore into temp.county_import_seen (source_id, line) values (?, ?)",
                                    first.items())
        return out

    def _refuse(self, r: Refused) -> None:
        self.report.refused.append(r)
        self.handled += 1


class _Abort(Exception):
    pass
