"""Bulk intake of what a county already has (``county case import``): CSV, XLSX, JSON and
Open311 GeoReport v2 (JSON and XML), through a column mapping, with historical instants.

批量导入：把县里已有的表格（CSV/XLSX/JSON）或 Open311 系统导出的诉求，按列映射转成事项。

The pieces, in the order an import runs them:

1. :func:`~framework.interchange.readers.read_records` reads the file into
   :class:`~framework.interchange.readers.Record` s (line number + one dict of
   text/instant values per row). CSV encodings are detected (strict UTF-8 with or without BOM,
   else strict GB18030, which reads GBK) or given; XLSX skips empty rows and keeps Excel datetimes;
   ids and phone numbers stay text (an integer cell becomes its digits, leading zeros in text
   cells are kept). A file that cannot be read at all is one :class:`CountyError`.
2. :func:`~framework.interchange.mappings.load_mapping` gives the
   :class:`~framework.interchange.mappings.Mapping` (a built-in name such as ``taidi-replied``
   or a TOML file) that says which column feeds which case field.
3. :func:`~framework.interchange.rows.prepare_row` turns a record into an
   :class:`~framework.interchange.rows.ImportRow` or raises
   :class:`~framework.interchange.rows.RowError` naming the field and the reason.
4. :func:`~framework.interchange.take.take_row` takes one prepared row in: ``County.add_case``
   with the real arrival as ``created_at`` and, when the row already has a reply/close time, ``County.resolve`` at that
   instant — so milestones that fell due before the reply are recorded as missed. Both run in
   one transaction with the row's ``imported_rows`` record: a row is taken whole or not at all.
5. :func:`import_file` runs the lot: every good row is taken, every bad one is reported with
   its line and reason, rows whose source id was taken before are skipped (re-importing a file
   takes nothing twice).

The ``imported_rows`` table (created on first import) keeps, per source id: the case id, the
file, line, format, mapping, the raw source row (JSON) and the proposed topic, so that
:mod:`framework.interchange.open311` can give an Open311 request back with every GeoReport v2 field
as it came.

``--replay-sweeps`` takes the rows in time order with the nightly sweeps between them
instead (:func:`framework.interchange.replay_sweeps.replay`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import attrs

from framework.errors import CountyError
from framework.interchange.mappings import Mapping, check_columns, identity_mapping, load_mapping
from framework.interchange.open311 import store_services
from framework.interchange.readers import read_records
from framework.interchange.replay_sweeps import replay
from framework.interchange.rows import ImportRow, RowContext, RowError, prepare_row
from framework.interchange.schema import CASE_FIELDS
from framework.interchange.take import ImportReport, Refused, ensure_table, take_row
from framework.interchange.triage import default_classifier


def import_file(county, path: str | Path, *, fmt: str | None = None, method: str | None = None,
                mapping: str | Mapping | None = None, encoding: str | None = None, unit: str | None = None,
                constants: dict[str, str] | None = None, all_or_nothing: bool = False, classifier=None,
                taxonomy: str | Path | None = None, replay_sweeps: bool = False,
                progress: Callable[[int, int], None] | None = None, batch: int = 500) -> ImportReport:
    """Import a file into ``county``. Returns an :class:`ImportReport`.

    ``mapping``: a :class:`Mapping`, a built-in name or a TOML path (default: columns named
    like the case fields, or the ``open311`` mapping for Open311). ``constants``: case field
    (or ``extra.KEY``) -> value for every row, over the mapping's (``--set``). ``all_or_nothing``: take no
    row when any is refused. ``classifier``: what proposes topics for a mapping with
    ``topic = "classify"`` (default: :func:`framework.interchange.triage.default_classifier`,
    with ``taxonomy``'s names when given, e.g. 附件1.xlsx). ``replay_sweeps``: take the rows in time order with the nightly
    sweeps between them (:func:`~framework.interchange.replay_sweeps.replay`), so escalations before a reply happen too.
    ``progress(done, total)`` is called as rows are taken.
    A file that cannot be read or a bad option raises CountyError; bad rows never do.
    """
    t0 = time.perf_counter()
    if isinstance(mapping, str):
        mapping = load_mapping(mapping)
    source = read_records(path, fmt, encoding=encoding, mapping=mapping)
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
                          rows=len(source.records), all_or_nothing=all_or_nothing)
    if source.kind == "services":
        report.services = store_services(county, [r.data for r in source.records], str(path))
        report.method = None
        report.seconds = time.perf_counter() - t0
        return report
    if mapping.topic == "classify" and classifier is None:
        classifier = default_classifier(taxonomy)
    rc = RowContext(county, mapping, method=method, unit=unit, classifier=classifier)
    report.method = rc.method
    taken_before = {r[0] for r in county.store.db.execute("select source_id from cases where source_id is not null")}
    seen: dict[str, int] = {}
    prepared: list[ImportRow] = []
    for rec in source.records:
        try:
            row = prepare_row(rec, rc)
        except RowError as e:
            report.refused.append(Refused(rec.line, e.field, e.reason, rec.item))
            continue
        if row.source_id is not None:
            if row.source_id in seen:
                report.refused.append(Refused(rec.line, "source_id", f"{row.source_id!r} repeats line {seen[row.source_id]} "
                                                                     f"of this file; taken once", rec.item))
                continue
            seen[row.source_id] = rec.line
            if row.source_id in taken_before:
                report.skipped += 1
                continue
        prepared.append(row)
    if all_or_nothing and report.refused:
        report.seconds = time.perf_counter() - t0
        return report
    if replay_sweeps:
        if all_or_nothing and report.refused:
            report.seconds = time.perf_counter() - t0
            return report
        replay(county, prepared, file=Path(path).name, fmt=source.format, mapping=mapping.name, report=report,
               progress=progress)
        report.refused.sort(key=lambda r: r.line)
        report.seconds = time.perf_counter() - t0
        return report
    total = len(prepared)
    if all_or_nothing:
        batch = max(total, 1)  # one transaction: a refusal rolls back every row
    done = 0
    store = county.store
    for start in range(0, total, batch):
        chunk = prepared[start:start + batch]
        try:
            with store.transaction():
                for row in chunk:
                    try:
                        case = take_row(county, row, file=Path(path).name, fmt=source.format, mapping=mapping.name)
                    except CountyError as e:  # Refusal included
                        report.refused.append(Refused(row.line, None, str(e), row.item))
                    else:
                        report.taken += 1
                        report.resolved += case.status in ("resolved", "confirmed", "closed")
                        report.first_case = report.first_case or case.id
                        report.last_case = case.id
                    done += 1
                    if progress:
                        progress(done, total)
                if all_or_nothing and report.refused:
                    raise _Abort()
        except _Abort:
            report.taken = report.resolved = 0
            report.first_case = report.last_case = None
            break
    report.refused.sort(key=lambda r: r.line)
    report.seconds = time.perf_counter() - t0
    return report


class _Abort(Exception):
    pass
