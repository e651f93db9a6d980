"""Transitional alias: the names of the former ``framework.interchange.importers`` module, which
is now split (see :mod:`framework.interchange`). Import them from :mod:`framework.interchange`
instead; this module goes once nothing imports it (framework/demo/run.py still does).
"""

from framework.interchange import (  # noqa: F401
    CASE_FIELDS, DEFAULT_NOTE, DETECTED_ENCODINGS, FORMATS, GEOREPORT_REQUEST_FIELDS, GEOREPORT_SERVICE_FIELDS,
    IMPORTED_ROWS, ImportReport, ImportRow, Mapping, Record, Refused, RowContext, RowError, Source, UnitRule,
    builtin_mappings, decode_text, detect_format, ensure_table, identity_mapping, import_file, load_mapping,
    open311_requester, parse_time, prepare_row, read_records, read_table, replay, take_row,
)
