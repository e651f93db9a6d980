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

The names other packages use are importable from here, each module loaded when one of its
names is first asked for (:data:`LAZY_INTERCHANGE`). Modules inside this package import each
other by module, never through this file.
"""

import importlib

#: Every name this package offers -> the module that defines it, imported on first use (PEP 562):
#: ``from framework.interchange import read_table`` loads the readers, not the importer, the
#: Open311 exports and the bulk intake behind them (~150 ms a command that needs none of them).
LAZY_INTERCHANGE: dict[str, str] = {
    "DETECTED_ENCODINGS": "framework.interchange.encodings", "decode_text": "framework.interchange.encodings",
    "import_file": "framework.interchange.importer",
    "Mapping": "framework.interchange.mappings", "UnitRule": "framework.interchange.mappings",
    "builtin_mappings": "framework.interchange.mappings", "identity_mapping": "framework.interchange.mappings",
    "load_mapping": "framework.interchange.mappings",
    "CSV_COLUMNS": "framework.interchange.open311", "export_csv": "framework.interchange.open311",
    "export_open311": "framework.interchange.open311", "export_services": "framework.interchange.open311",
    "store_services": "framework.interchange.open311",
    "Record": "framework.interchange.readers", "Source": "framework.interchange.readers",
    "detect_format": "framework.interchange.readers", "read_records": "framework.interchange.readers",
    "read_table": "framework.interchange.readers",
    "replay": "framework.interchange.replay_sweeps",
    "ImportRow": "framework.interchange.rows", "RowContext": "framework.interchange.rows",
    "RowError": "framework.interchange.rows", "open311_requester": "framework.interchange.rows",
    "parse_time": "framework.interchange.rows", "prepare_row": "framework.interchange.rows",
    "CASE_FIELDS": "framework.interchange.schema", "FORMATS": "framework.interchange.schema",
    "GEOREPORT_REQUEST_FIELDS": "framework.interchange.schema",
    "GEOREPORT_SERVICE_FIELDS": "framework.interchange.schema", "IMPORTED_ROWS": "framework.interchange.schema",
    "SERVICES_TABLE": "framework.interchange.schema",
    "DEFAULT_NOTE": "framework.interchange.take", "ImportReport": "framework.interchange.take",
    "Refused": "framework.interchange.take", "ensure_table": "framework.interchange.take",
    "take_row": "framework.interchange.take",
    "CategoryTree": "framework.interchange.triage", "KeywordRule": "framework.interchange.triage",
    "Proposal": "framework.interchange.triage", "TextClassifier": "framework.interchange.triage",
    "default_classifier": "framework.interchange.triage", "load_labelled": "framework.interchange.triage",
    "load_taxonomy": "framework.interchange.triage",
}

__all__ = [
    "CASE_FIELDS", "CSV_COLUMNS", "DEFAULT_NOTE", "DETECTED_ENCODINGS", "FORMATS", "GEOREPORT_REQUEST_FIELDS",
    "GEOREPORT_SERVICE_FIELDS", "IMPORTED_ROWS", "SERVICES_TABLE", "CategoryTree", "ImportReport", "ImportRow",
    "KeywordRule", "Mapping", "Proposal", "Record", "Refused", "RowContext", "RowError", "Source",
    "TextClassifier", "UnitRule", "builtin_mappings", "decode_text", "default_classifier", "detect_format",
    "ensure_table", "export_csv", "export_open311", "export_services", "identity_mapping", "import_file",
    "load_labelled", "load_mapping", "load_taxonomy", "open311_requester", "parse_time", "prepare_row",
    "read_records", "read_table", "replay", "store_services", "take_row",
]


def __getattr__(name: str):
    """Import the module of ``name`` (:data:`LAZY_INTERCHANGE`) and return the name;
    AttributeError for any other name."""
    module = LAZY_INTERCHANGE.get(name)
    if module is None:
        raise AttributeError(f"module 'framework.interchange' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(LAZY_INTERCHANGE))
