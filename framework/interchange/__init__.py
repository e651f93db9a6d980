"""Interchange: files in (``county case import``) and out (``county export``), and category
triage on message text.

对外交换：批量导入、Open311/CSV 导出、留言分类。

Modules, in the order an import uses them:

* :mod:`~framework.interchange.schema` — the names importer and exporters share (formats,
  case fields, GeoReport v2 field lists, the ``imported_rows``/``open311_services`` tables).
* :mod:`~framework.interchange.encodings` — text encodings (UTF-8, GB18030/GBK, or given).
* :mod:`~framework.interchange.readers` — CSV/XLSX/JSON/Open311 files into records;
  plain tables (:func:`read_table`).
* :mod:`~framework.interchange.mappings` — column mappings (built-in or TOML).
* :mod:`~framework.interchange.rows` — a record through a mapping into an :class:`ImportRow`.
* :mod:`~framework.interchange.take` — taking rows in, the ``imported_rows`` table, reports.
* :mod:`~framework.interchange.replay_sweeps` — historical rows in time order with the sweeps.
* :mod:`~framework.interchange.importer` — :func:`import_file`, the whole import.
* :mod:`~framework.interchange.open311` — Open311 services and the Open311/CSV exports.
* :mod:`~framework.interchange.triage` — the taxonomy and level-1 topic proposals.

The names other packages use are importable from here. Modules inside this package import
each other by module, never through this file.
"""

from framework.interchange.encodings import DETECTED_ENCODINGS, decode_text
from framework.interchange.importer import import_file
from framework.interchange.mappings import Mapping, UnitRule, builtin_mappings, identity_mapping, load_mapping
from framework.interchange.open311 import CSV_COLUMNS, export_csv, export_open311, export_services, store_services
from framework.interchange.readers import Record, Source, detect_format, read_records, read_table
from framework.interchange.replay_sweeps import replay
from framework.interchange.rows import ImportRow, RowContext, RowError, open311_requester, parse_time, prepare_row
from framework.interchange.schema import (
    CASE_FIELDS, FORMATS, GEOREPORT_REQUEST_FIELDS, GEOREPORT_SERVICE_FIELDS, IMPORTED_ROWS, SERVICES_TABLE,
)
from framework.interchange.take import DEFAULT_NOTE, ImportReport, Refused, ensure_table, take_row
from framework.interchange.triage import (
    CategoryTree, KeywordRule, Proposal, TextClassifier, default_classifier, load_labelled, load_taxonomy,
)

__all__ = [
    "CASE_FIELDS", "CSV_COLUMNS", "DEFAULT_NOTE", "DETECTED_ENCODINGS", "FORMATS", "GEOREPORT_REQUEST_FIELDS",
    "GEOREPORT_SERVICE_FIELDS", "IMPORTED_ROWS", "SERVICES_TABLE", "CategoryTree", "ImportReport", "ImportRow",
    "KeywordRule", "Mapping", "Proposal", "Record", "Refused", "RowContext", "RowError", "Source",
    "TextClassifier", "UnitRule", "builtin_mappings", "decode_text", "default_classifier", "detect_format",
    "ensure_table", "export_csv", "export_open311", "export_services", "identity_mapping", "import_file",
    "load_labelled", "load_mapping", "load_taxonomy", "open311_requester", "parse_time", "prepare_row",
    "read_records", "read_table", "replay", "store_services", "take_row",
]
