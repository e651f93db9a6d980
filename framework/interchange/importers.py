"""Bulk intake of what a county already has (``county case import``): CSV, XLSX, JSON and
Open311 GeoReport v2 (JSON and XML), through a column mapping, with historical instants.

批量导入：把县里已有的表格（CSV/XLSX/JSON）或 Open311 系统导出的诉求，按列映射转成事项。

The pieces, in the order an import runs them:

1. :func:`read_records` reads the file into :class:`Record` s (line number + one dict of
   text/instant values per row). CSV encodings are detected (strict UTF-8 with or without BOM,
   else strict GB18030, which reads GBK) or given; XLSX skips empty rows and keeps Excel datetimes;
   ids and phone numbers stay text (an integer cell becomes its digits, leading zeros in text
   cells are kept). A file that cannot be read at all is one :class:`CountyError`.
2. :func:`load_mapping` gives the :class:`Mapping` (a built-in name such as ``taidi-replied``
   or a TOML file) that says which column feeds which case field.
3. :func:`prepare_row` turns a record into an :class:`ImportRow` or raises :class:`RowError`
   naming the field and the reason.
4. :func:`take_row` takes one prepared row in: ``County.add_case`` with the real arrival as
   ``created_at`` and, when the row already has a reply/close time, ``County.resolve`` at that
   instant — so milestones that fell due before the reply are recorded as missed. Both run in
   one transaction with the row's ``imported_rows`` record: a row is taken whole or not at all.
5. :func:`import_file` runs the lot: every good row is taken, every bad one is reported with
   its line and reason, rows whose source id was taken before are skipped (re-importing a file
   takes nothing twice).

The ``imported_rows`` table (created on first import) keeps, per source id: the case id, the
file, line, format, mapping, the raw source row (JSON) and the proposed topic, so that
:mod:`framework.interchange.open311` can give an Open311 request back with every GeoReport v2 field
as it came.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import time
import tomllib
import zlib
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

import attrs

from framework.errors import CountyError
from framework.models import SATISFACTION, Requester

FORMATS = ("csv", "xlsx", "json", "open311")

#: Case fields a mapping may fill (``[fields]`` keys). ``resolved_at``/``resolution_note``
#: make the row historical; ``unit`` may also come from the ``[units]`` rules.
CASE_FIELDS = (
    "source_id", "title", "description", "category", "channel", "created_at", "resolved_at",
    "resolution_note", "unit", "requester_name", "requester_phone", "requester_id_number",
    "requester_address", "requester_anonymous", "satisfaction", "status",
)

#: Every field GeoReport v2 defines for a service request, in the spec's order.
GEOREPORT_REQUEST_FIELDS = (
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
    "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
)
GEOREPORT_SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")

DEFAULT_NOTE = "导入：来源数据中已办结 (closed in the source data)"


class RowError(Exception):
    """One refused row: ``field`` (case field or column) and ``reason`` (one line)."""

    def __init__(self, field: str | None, reason: str):
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}" if field else reason)


# -- records ------------------------------------------------------------------------------------


@attrs.define
class Record:
    """One source row: ``line`` is the 1-based line of the file (CSV physical line, XLSX row,
    JSON line where the object starts, XML request number); ``data`` maps column -> value
    (str, aware/naive datetime, number, bool or None)."""

    line: int
    data: dict[str, Any]
    item: int | None = None  # 1-based record number (JSON/XML), shown beside the line


@attrs.define
class Source:
    """A read file: its records, the detected format and encoding, and what kind of document
    it is (``requests`` or, for Open311, ``services``)."""

    path: str
    format: str
    records: list[Record]
    encoding: str | None = None
    kind: str = "requests"
    columns: list[str] | None = None  # the header (CSV/XLSX) or every key seen (JSON), in order


def detect_format(path: str | Path, mapping: "Mapping | None" = None) -> str:
    """``csv``/``xlsx``/``json``/``open311`` from the mapping's ``format``, else the suffix; a
    ``.json`` file whose objects carry ``service_request_id`` or ``service_code`` is open311."""
    p = Path(path)
    suffix = p.suffix.lower()
    if mapping is not None and mapping.format:
        return mapping.format
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".xml":
        return "open311"
    if suffix == ".json":
        head = p.read_bytes()[:4096].decode("utf-8", "replace")
        return "open311" if ("service_request_id" in head or "service_code" in head) else "json"
    raise CountyError(f"{path}: cannot tell the format from the suffix {suffix or '(none)'!r}; "
                      f"give --format {'|'.join(FORMATS)}")


def read_records(path: str | Path, fmt: str | None = None, *, encoding: str | None = None,
                 mapping: "Mapping | None" = None) -> Source:
    """Read ``path`` as ``fmt`` (detected when None). Returns a :class:`Source`.

    Raises :class:`CountyError` (exit 2) naming the file (and line where known) when the file
    is missing, in an unknown encoding, or not well-formed (e.g. malformed XML).
    """
    p = Path(path)
    if not p.exists():
        raise CountyError(f"{path}: file not found")
    if p.is_dir():
        raise CountyError(f"{path}: is a folder, not a file")
    fmt = fmt or detect_format(p, mapping)
    if fmt not in FORMATS:
        raise CountyError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "csv":
        text, enc = decode_text(p.read_bytes(), str(path), encoding)
        header, records = _csv_records(text, str(path), mapping)
        return Source(str(path), "csv", records, enc, columns=header)
    if fmt == "xlsx":
        header, records = _xlsx_records(p, mapping)
        return Source(str(path), "xlsx", records, columns=header)
    raw = p.read_bytes()
    if fmt == "open311" and raw.lstrip()[:1] == b"<" or p.suffix.lower() == ".xml":
        kind, records = _open311_xml(raw, str(path))
        return Source(str(path), "open311", records, "utf-8", kind, _keys(records))
    text, enc = decode_text(raw, str(path), encoding)
    if fmt == "open311":
        kind, records = _open311_json(text, str(path))
        return Source(str(path), "open311", records, enc, kind, _keys(records))
    records = _json_records(text, str(path))
    return Source(str(path), "json", records, enc, columns=_keys(records))


def _keys(records: list[Record]) -> list[str]:
    """Every key of the records' data, in first-seen order (the "columns" of a JSON file)."""
    seen: dict[str, None] = {}
    for r in records:
        for k in r.data:
            if k != "__error__":
                seen.setdefault(k, None)
    return list(seen)


def read_table(path: str | Path, *, encoding: str | None = None,
               required: Iterable[str] = ()) -> list[Record]:
    """Rows of a plain table (``county units import``, ``county people import``): CSV, XLSX
    (first sheet) or a JSON list of objects, read by :func:`read_records` — the same encoding
    detection and CSV/XLSX/JSON rules as ``county case import``. Values are text (an empty cell
    is ``""``; a JSON list, e.g. roles, stays a list). A ``required`` column missing from the
    file, or a malformed row, is one CountyError naming the file (and line)."""
    p = Path(path)
    if not p.exists():
        raise CountyError(f"{path}: file not found")
    suffix = p.suffix.lower()
    fmt = "json" if suffix == ".json" else detect_format(p)
    if fmt not in ("csv", "xlsx", "json"):
        raise CountyError(f"{path}: give a .csv, .xlsx or .json file")
    if fmt == "json":
        text, enc = decode_text(p.read_bytes(), str(path), encoding)
        items = _json_array_items(text, str(path))
        source = Source(str(path), "json", [Record(line, item if isinstance(item, dict) else
                                                   {"__error__": f"expected an object, found {type(item).__name__}"}, n)
                                            for n, (line, item) in enumerate(items, start=1)], enc)
        source.columns = _keys(source.records)
    else:
        source = read_records(p, fmt, encoding=encoding)
    missing = [c for c in required if c not in (source.columns or [])]
    if missing and (source.records or fmt != "json"):
        raise CountyError(f"{path}: no column {', '.join(missing)} (columns: {_show_columns(source.columns or [])})")
    out = []
    for r in source.records:
        if "__error__" in r.data:
            where = f"line {r.line}" + (f" (record {r.item})" if r.item else "")
            raise CountyError(f"{path}: {where}: {r.data['__error__']}")
        out.append(Record(r.line, {str(k): _table_value(v) for k, v in r.data.items()}, r.item))
    return out


def _table_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, list):
        return [_table_value(x) for x in v]
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v)


# -- encodings ------------------------------------------------------------------------------------

#: What detection tries, in order (``--encoding`` reads any other). GB18030 is a superset of
#: GBK and GB2312, so a GBK file is read exactly; nothing else is guessed (a guesser once took a
#: short GBK file for Korean cp949 and stored garbage).
DETECTED_ENCODINGS = ("utf-8", "gb18030")


def decode_text(data: bytes, where: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode file bytes. With ``encoding`` given, use it (an error names the byte offset and
    line). Otherwise strict UTF-8 (``utf-8-sig`` when the file starts with a BOM), else strict
    GB18030 (which reads GBK and GB2312 too); nothing else is guessed.
    Returns ``(text, encoding name)``; raises CountyError naming the file when nothing fits."""
    if encoding:
        try:
            import codecs

            codecs.lookup(encoding)
        except LookupError:
            raise CountyError(f"--encoding {encoding!r}: unknown encoding (try utf-8, gbk, gb18030)") from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise CountyError(f"{where}: line {line}: not valid {encoding} (byte {e.start}); "
                              f"check --encoding") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise CountyError(f"{where}: line {line}: starts with a UTF-8 BOM but is not valid UTF-8; "
                              f"give --encoding") from None
    first_error = None
    for enc in DETECTED_ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as e:
            first_error = first_error or e
    line = data[: first_error.start].count(b"\n") + 1
    raise CountyError(f"{where}: line {line}: neither UTF-8 nor GB18030/GBK text (byte {first_error.start}); "
                      f"give --encoding with the file's encoding (e.g. --encoding big5)")


# -- readers ---------------------------------------------------------------------------------------


def _clean_header(names: Iterable[Any], where: str) -> list[str]:
    out = []
    for i, n in enumerate(names, start=1):
        name = "" if n is None else str(n).strip().lstrip("\ufeff")
        out.append(name or f"column{i}")
    dupes = sorted({n for n in out if out.count(n) > 1})
    if dupes:
        raise CountyError(f"{where}: the header repeats column {dupes[0]!r}; give each column its own name")
    return out


def _csv_records(text: str, where: str, mapping: "Mapping | None") -> tuple[list[str], list[Record]]:
    sample = text[:8192]
    delimiter = ","
    first = sample.splitlines()[0] if sample else ""
    if "\t" in first and first.count("\t") > first.count(","):
        delimiter = "\t"
    # strict: a stray or unclosed quote is a syntax error, not a field that swallows the rest
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header_row = mapping.header_row if mapping else 1
    header: list[str] | None = None
    out = []
    start = 1
    try:
        for row in reader:
            line = start
            start = reader.line_num + 1
            if header is None:
                if reader.line_num < header_row:
                    continue
                if not any(c.strip() for c in row):
                    continue
                header = _clean_header(row, where)
                continue
            if not any(c.strip() for c in row):
                continue
            if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
                out.append(Record(line, {"__error__": f"{len(row)} cells but the header has {len(header)} columns"}))
                continue
            out.append(Record(line, {h: (row[i] if i < len(row) else "") for i, h in enumerate(header)}))
    except csv.Error as e:
        if "unexpected end of data" in str(e):
            raise CountyError(f"{where}: line {start}: CSV syntax error: a quoted field opened on this line is "
                              f"never closed (a missing '\"')") from None
        raise CountyError(f"{where}: line {reader.line_num}: CSV syntax error: {e}") from None
    if header is None:
        raise CountyError(f"{where}: no header row (the file is empty)")
    return header, out


def _xlsx_cell(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return str(v)  # ids and phone numbers stay text
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if isinstance(v, dt.time):
        return v.isoformat()
    return v


def _xlsx_records(path: Path, mapping: "Mapping | None") -> tuple[list[str], list[Record]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    from zipfile import BadZipFile

    where = str(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as e:
        raise CountyError(f"{where}: not a readable .xlsx workbook ({type(e).__name__}: {e})") from None
    try:
        sheet = mapping.sheet if mapping else None
        if sheet:
            if sheet not in wb.sheetnames:
                raise CountyError(f"{where}: no sheet {sheet!r} (sheets: {', '.join(wb.sheetnames)})")
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        header_row = mapping.header_row if mapping else 1
        header: list[str] | None = None
        out = []
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if n < header_row:
                continue
            if row is None or all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
                continue  # e.g. 附件2 declares 65,203 rows and fills 496
            if header is None:
                header = _clean_header(row, where)
                continue
            cells = [_xlsx_cell(c) for c in row]
            out.append(Record(n, {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(header)}))
        if header is None:
            raise CountyError(f"{where}: the sheet {ws.title!r} is empty (no header row)")
        return header, out
    finally:
        wb.close()


def _pairs_first(pairs):
    """object_pairs_hook that keeps the FIRST value of a repeated key (SF's dump repeats
    ``updated_datetime``/``expected_datetime``; the first holds the real value)."""
    out = {}
    for k, v in pairs:
        if k not in out:
            out[k] = v
    return out


def _json_array_items(text: str, where: str, key: str | None = None) -> list[tuple[int, Any]]:
    """Parse a JSON document whose records are a top-level array (or the array under
    ``key``/``requests``/``service_requests``/``services``) and return ``(line, item)`` pairs,
    the line being where each item starts."""
    dec = json.JSONDecoder(object_pairs_hook=_pairs_first)
    try:
        doc = dec.decode(text.lstrip("\ufeff"))
    except json.JSONDecodeError as e:
        raise CountyError(f"{where}: line {e.lineno}: malformed JSON: {e.msg}") from None
    if isinstance(doc, dict):
        for k in ([key] if key else []) + ["requests", "service_requests", "services", "records", "rows", "data"]:
            if isinstance(doc.get(k), list):
                arr_key = k
                break
        else:
            raise CountyError(f"{where}: expected a JSON list of objects (or an object holding one under "
                              f"\"requests\"), found an object with keys {', '.join(list(doc)[:6])}")
        m = re.search(r'"%s"\s*:\s*\[' % re.escape(arr_key), text)
        pos = m.end() - 1 if m else None
        items = doc[arr_key]
    elif isinstance(doc, list):
        pos = text.index("[")
        items = doc
    else:
        raise CountyError(f"{where}: expected a JSON list of objects, found {type(doc).__name__}")
    # find where each item starts, for line numbers
    lines: list[int] = []
    if pos is not None:
        idx = pos + 1
        ws = re.compile(r"[\s,]*")
        for _ in items:
            idx = ws.match(text, idx).end()
            lines.append(text.count("\n", 0, idx) + 1)
            try:
                _, idx = dec.raw_decode(text, idx)
            except json.JSONDecodeError:
                break
    while len(lines) < len(items):
        lines.append(lines[-1] if lines else 1)
    return list(zip(lines, items))


def _json_records(text: str, where: str) -> list[Record]:
    out = []
    for n, (line, item) in enumerate(_json_array_items(text, where), start=1):
        if not isinstance(item, dict):
            out.append(Record(line, {"__error__": f"expected an object, found {type(item).__name__}"}, n))
            continue
        out.append(Record(line, {str(k): _json_value(v) for k, v in item.items()}, n))
    return out


def _json_value(v: Any) -> Any:
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return v


def _open311_json(text: str, where: str) -> tuple[str, list[Record]]:
    items = _json_array_items(text, where)
    kind = _open311_kind([it for _, it in items if isinstance(it, dict)], where)
    out = []
    for n, (line, item) in enumerate(items, start=1):
        if not isinstance(item, dict):
            out.append(Record(line, {"__error__": f"expected an object, found {type(item).__name__}"}, n))
            continue
        out.append(Record(line, _open311_normalise(item), n))
    return kind, out


def _open311_kind(items: list[dict], where: str) -> str:
    if any("service_request_id" in it for it in items):
        return "requests"
    if items and all("service_code" in it and "service_name" in it for it in items):
        return "services"
    if not items:
        return "requests"
    raise CountyError(f"{where}: not a GeoReport v2 document: its objects have neither "
                      f"service_request_id (requests) nor service_code and service_name (services)")


def _open311_normalise(item: dict) -> dict:
    """Open311-ish quirks seen in real dumps: ``"null"`` strings are null, ``lon`` is ``long``."""
    out = {}
    for k, v in item.items():
        if isinstance(v, str) and v.strip().lower() == "null":
            v = None
        key = "long" if k == "lon" and "long" not in item else k
        out[key] = v
    return out


def _open311_xml(raw: bytes, where: str) -> tuple[str, list[Record]]:
    """GeoReport v2 XML: ``<service_requests><request>…`` or ``<services><service>…``.

    Strict on well-formedness (a clear one-line error naming line and column); an element
    with ``xsi:nil="true"`` or no text is null."""
    from defusedxml import ElementTree as DET
    from defusedxml.common import DefusedXmlException
    from xml.etree.ElementTree import ParseError

    if raw[:1].isspace() and raw.lstrip()[:5] == b"<?xml":
        lead = raw[: len(raw) - len(raw.lstrip())]
        line = lead.count(b"\n") + 1
        raise CountyError(f"{where}: line {line}: malformed XML: the XML declaration <?xml …?> must be the very "
                          f"first thing in the file, but {len(lead)} blank character(s) come before it; "
                          f"delete them and import again")
    try:
        root = DET.fromstring(raw)
    except ParseError as e:
        line, col = getattr(e, "position", (None, None))
        msg = str(e).split(":")[0]
        hint = ""
        if msg.startswith("mismatched tag"):
            hint = " (an element opened before this point, e.g. a stray <request>, is never closed)"
        raise CountyError(f"{where}: line {line}, column {col}: malformed XML: {msg}{hint}") from None
    except DefusedXmlException as e:
        raise CountyError(f"{where}: refused XML: {type(e).__name__} (entities or DTDs are not allowed)") from None
    tag = _local(root.tag)
    if tag in ("service_requests", "requests"):
        kind, child = "requests", "request"
    elif tag == "services":
        kind, child = "services", "service"
    else:
        raise CountyError(f"{where}: line 1: not a GeoReport v2 document: the root element is <{tag}>, "
                          f"expected <service_requests> or <services>")
    starts = [raw.count(b"\n", 0, m.start()) + 1
              for m in re.finditer(rb"<(?:[\w.-]+:)?%s[\s>/]" % child.encode(), raw)]
    out = []
    n = 0
    for el in root:
        if _local(el.tag) != child:
            continue
        n += 1
        data = {}
        for f in el:
            key = _local(f.tag)
            nil = any(_local(a) == "nil" and v == "true" for a, v in f.attrib.items())
            text = None if nil else (f.text if f.text is not None and (f.text.strip() or len(f) == 0) else None)
            if len(f):  # e.g. <keywords><keyword>…</keyword></keywords>
                text = ",".join((c.text or "").strip() for c in f)
            data[key] = text if text is None else text.strip() if key not in ("description",) else text
        out.append(Record(starts[n - 1] if n <= len(starts) else 1, _open311_normalise(data), n))
    return kind, out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else str(tag)


# -- mappings --------------------------------------------------------------------------------------


@attrs.define
class UnitRule:
    """How a row finds its unit. Tried in order: ``column`` looked up in ``map`` (source value
    -> unit code; a value that is itself a unit code is taken as is), then ``spread`` (a list
    of unit codes, or a unit level such as ``"village"``: rows are spread over those units by a
    stable hash of the source id), then ``default`` (``--unit`` overrides it)."""

    column: str | None = None
    map: dict[str, str] = attrs.Factory(dict)
    spread: list[str] | str | None = None
    default: str | None = None


@attrs.define
class Mapping:
    """A column mapping (``--mapping``). See ``docs/importing.md`` for the TOML shape.

    ``fields``: case field -> column name, or a list of columns (the first non-empty one wins);
    ``constants``: case field -> fixed value; ``extra``: method field -> column (lands in the
    case's ``extra`` through the method's intake); ``closed_column``/``closed_values``: when
    given, ``resolved_at`` is used only on rows whose column holds one of the values;
    ``timezone``: the zone of times without an offset (default: the deployment's);
    ``source_prefix`` is put before every source id so two sources never collide;
    ``topic``: ``"classify"`` proposes a level-1 topic from title and body (framework.interchange.triage).
    """

    name: str
    description: str = ""
    format: str | None = None
    method: str | None = None
    timezone: str | None = None
    source_prefix: str = ""
    sheet: str | None = None
    header_row: int = 1
    fields: dict[str, Any] = attrs.Factory(dict)
    constants: dict[str, Any] = attrs.Factory(dict)
    extra: dict[str, str] = attrs.Factory(dict)
    closed_column: str | None = None
    closed_values: list[str] = attrs.Factory(list)
    units: UnitRule = attrs.Factory(UnitRule)
    topic: str | None = None
    path: str | None = None
    identity: bool = False  # the default mapping: columns named like the case fields


def builtin_mappings() -> dict[str, Path]:
    """Built-in mapping files (``framework/interchange/data/mapping-NAME.toml``): name -> path."""
    base = resources.files("framework.interchange") / "data"
    out = {}
    for entry in base.iterdir():
        n = entry.name
        if n.startswith("mapping-") and n.endswith(".toml"):
            out[n[len("mapping-"):-len(".toml")]] = Path(str(entry))
    return dict(sorted(out.items()))


def identity_mapping(fmt: str) -> Mapping:
    """The mapping used without ``--mapping``: columns named like the case fields (``title``,
    ``unit``, ``created_at``…, ``extra.KEY`` for method fields); Open311 gets ``open311``."""
    if fmt == "open311":
        return load_mapping("open311")
    return Mapping(name="(columns named like case fields)", fields={f: f for f in CASE_FIELDS}, identity=True)


def _show_columns(columns: list[str], limit: int = 12) -> str:
    shown = ", ".join(columns[:limit]) or "none"
    return shown + (f", … ({len(columns)} in all)" if len(columns) > limit else "")


def check_columns(source: Source, mapping: Mapping) -> Mapping:
    """Check the file's columns against the mapping before any row is read.

    A field every row needs (``title``; with a mapping file also ``created_at``, an id column
    and ``closed_column``) whose column is missing from the file is one CountyError naming the
    file, the field and the columns there are — not the same "empty" error on every line. With
    the default mapping, fields whose column is absent are dropped (e.g. no ``created_at``
    column: the cases arrive now). Returns the mapping to use."""
    cols = source.columns
    if cols is None or (not cols and source.format in ("json", "open311")):
        return mapping  # nothing to check against (e.g. an empty JSON list)
    have = set(cols)
    if mapping.identity:
        mapping = attrs.evolve(mapping, fields={f: c for f, c in mapping.fields.items()
                                                if f == "title" or c in have})
    required = ["title"]
    if not mapping.identity:
        required.append("created_at")
        if isinstance(mapping.fields.get("source_id"), str) and mapping.fields["source_id"] != "source_id":
            required.append("source_id")
    for field in required:
        spec = mapping.fields.get(field)
        if spec is None:
            continue
        names = [spec] if isinstance(spec, str) else list(spec)
        if any(n in have for n in names):
            continue
        if mapping.identity:
            raise CountyError(f"{source.path}: no column for {field} (columns: {_show_columns(cols)}); "
                              f"give a --mapping, or --set {field}=VALUE")
        wanted = " or ".join(names)
        raise CountyError(f"{source.path}: no column for {field}: mapping {mapping.name} reads {wanted} "
                          f"(columns: {_show_columns(cols)})")
    if mapping.closed_column and mapping.closed_column not in have:
        raise CountyError(f"{source.path}: no column {mapping.closed_column} (mapping {mapping.name}, "
                          f"closed_column) (columns: {_show_columns(cols)})")
    return mapping


def load_mapping(name_or_path: str) -> Mapping:
    """A built-in mapping by name (see :func:`builtin_mappings`) or a TOML file path.
    Raises CountyError naming the file and key on a bad mapping."""
    p = Path(name_or_path)
    builtins = builtin_mappings()
    if not p.exists() and name_or_path in builtins:
        p = builtins[name_or_path]
    if not p.exists():
        raise CountyError(f"--mapping {name_or_path}: no such file or built-in mapping "
                          f"(built-in: {', '.join(builtins)})")
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CountyError(f"{p}: not UTF-8 text; save the mapping as UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise CountyError(f"{p}: malformed TOML: {e}") from None
    return mapping_from_dict(raw, str(p))


def mapping_from_dict(raw: dict, where: str) -> Mapping:
    """Validate a parsed mapping TOML. Raises CountyError naming ``where`` and the key."""
    known = {"mapping", "fields", "constants", "extra", "units"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise CountyError(f"{where}: unknown table [{unknown[0]}] (tables: {', '.join(sorted(known))})")
    m = dict(raw.get("mapping", {}) or {})
    head_keys = {"name", "description", "format", "method", "timezone", "source_prefix", "sheet", "header_row",
                 "closed_column", "closed_values", "topic"}
    bad = sorted(set(m) - head_keys)
    if bad:
        raise CountyError(f"{where}: [mapping] {bad[0]}: unknown key (keys: {', '.join(sorted(head_keys))})")
    if m.get("format") and m["format"] not in FORMATS:
        raise CountyError(f"{where}: [mapping] format = {m['format']!r}: use one of {', '.join(FORMATS)}")
    if m.get("timezone"):
        try:
            ZoneInfo(m["timezone"])
        except Exception:
            raise CountyError(f"{where}: [mapping] timezone = {m['timezone']!r}: unknown time zone") from None
    if m.get("topic") not in (None, "classify"):
        raise CountyError(f"{where}: [mapping] topic = {m['topic']!r}: the only value is \"classify\"")
    fields = raw.get("fields", {}) or {}
    for k, v in fields.items():
        if k not in CASE_FIELDS:
            raise CountyError(f"{where}: [fields] {k}: not a case field (fields: {', '.join(CASE_FIELDS)})")
        if not (isinstance(v, str) or (isinstance(v, list) and v and all(isinstance(x, str) for x in v))):
            raise CountyError(f"{where}: [fields] {k}: give a column name or a list of column names")
    constants = raw.get("constants", {}) or {}
    for k in constants:
        if k not in CASE_FIELDS and not k.startswith("extra."):
            raise CountyError(f"{where}: [constants] {k}: not a case field")
    extra = raw.get("extra", {}) or {}
    for k, v in extra.items():
        if not isinstance(v, str):
            raise CountyError(f"{where}: [extra] {k}: give a column name")
    u = raw.get("units", {}) or {}
    bad = sorted(set(u) - {"column", "map", "spread", "default"})
    if bad:
        raise CountyError(f"{where}: [units] {bad[0]}: unknown key (keys: column, map, spread, default)")
    try:
        header_row = int(m.get("header_row", 1))
    except (TypeError, ValueError):
        raise CountyError(f"{where}: [mapping] header_row must be a row number") from None
    return Mapping(
        name=str(m.get("name") or Path(where).stem), description=str(m.get("description", "")),
        format=m.get("format"), method=m.get("method"), timezone=m.get("timezone"),
        source_prefix=str(m.get("source_prefix", "")), sheet=m.get("sheet"), header_row=header_row,
        fields=dict(fields), constants=dict(constants), extra={str(k): v for k, v in extra.items()},
        closed_column=m.get("closed_column"), closed_values=[str(x) for x in m.get("closed_values", [])],
        units=UnitRule(u.get("column"), {str(k): str(v) for k, v in (u.get("map") or {}).items()},
                       u.get("spread"), u.get("default")),
        topic=m.get("topic"), path=where,
    )


# -- times -------------------------------------------------------------------------------------------

_TIME_RE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:[.,](\d+))?秒?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$")


def parse_time(value: Any, tz: ZoneInfo) -> dt.datetime | None:
    """A source time as an aware datetime, or None for an empty cell.

    Accepts datetime (Excel cells; naive ones are ``tz``), date (00:00 local), and text:
    ``2019/4/25 9:32:09`` (unpadded), ``2019/4/25`` (00:00), ``2010-11-14 19:09:29.08``,
    ``2012-05-23T15:55:28-04:00``, ``2019年4月25日 9:32``. Raises ValueError with a one-line
    reason otherwise.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=tz)
    s = str(value).strip()
    if not s:
        return None
    m = _TIME_RE.match(s)
    if m:
        y, mo, d, h, mi, sec, frac, off = m.groups()
        try:
            micro = int((frac or "0")[:6].ljust(6, "0"))
            naive = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0), micro)
        except ValueError as e:
            raise ValueError(f"{s!r} is not a real date/time ({e})") from None
        if off:
            if off == "Z":
                return naive.replace(tzinfo=dt.timezone.utc)
            sign = 1 if off[0] == "+" else -1
            digits = off[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
            return naive.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes)))
        return naive.replace(tzinfo=tz)
    try:
        v = dt.datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
    except ValueError:
        raise ValueError(f"{s!r} is not a date/time (e.g. 2019/4/25 9:32:09 or 2019-04-25T09:32:09+08:00)") from None
    return v if v.tzinfo else v.replace(tzinfo=tz)


# -- preparing rows -----------------------------------------------------------------------------------


@attrs.define
class ImportRow:
    """A row ready to take: everything :meth:`County.add_case` needs plus the historical
    resolution (``resolved_at``, ``note``) and what ``imported_rows`` keeps."""

    line: int
    source_id: str
    method: str
    unit: str
    title: str
    created_at: dt.datetime | None
    resolved_at: dt.datetime | None = None
    note: str | None = None
    channel: str | None = None
    category: str | None = None
    description: str | None = None
    requester: Requester = attrs.Factory(Requester)
    fields: dict[str, str] = attrs.Factory(dict)
    satisfaction: str | None = None
    raw: dict[str, Any] = attrs.Factory(dict)
    topic: str | None = None
    topic_score: float | None = None
    item: int | None = None


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    s = str(v)
    return s.strip() or None


class RowContext:
    """What :func:`prepare_row` needs about the deployment and the options: the county (units,
    calendar), the mapping, ``method``/``unit`` from the command line, and the classifier."""

    def __init__(self, county, mapping: Mapping, *, method: str | None = None, unit: str | None = None,
                 classifier=None):
        self.county, self.mapping = county, mapping
        self.method = method or mapping.method
        if not self.method:
            raise CountyError("--method: give the method that takes these cases in (e.g. --method taizhang)")
        if self.method not in county.deployment.methods:
            raise CountyError(f"--method: {self.method!r} is not enabled in this deployment "
                              f"(enabled: {', '.join(county.deployment.methods) or 'none'})")
        self.unit = unit
        if unit:
            county.unit(unit)
        self.tz = ZoneInfo(mapping.timezone) if mapping.timezone else county.calendar.tz
        spread = mapping.units.spread
        if isinstance(spread, str):
            codes = sorted(c for c, u in county.units.items() if u.level == spread)
            if not codes and not unit:
                raise CountyError(f"{mapping.path or mapping.name}: [units] spread = {spread!r}: no unit of that "
                                  f"level in this deployment")
            self.spread = codes
        elif isinstance(spread, list):
            for c in spread:
                if c not in county.units:
                    raise CountyError(f"{mapping.path or mapping.name}: [units] spread: unknown unit {c!r}")
            self.spread = list(spread)
        else:
            self.spread = []
        self.classifier = classifier

    def get(self, data: dict, field: str) -> tuple[Any, str | None]:
        """The value of case ``field`` in ``data`` and the column it came from."""
        spec = self.mapping.fields.get(field)
        if spec is not None:
            cols = [spec] if isinstance(spec, str) else spec
            for c in cols:
                v = data.get(c)
                if _text(v) is not None:
                    return v, c
            return None, cols[0]
        if field in self.mapping.constants:
            return self.mapping.constants[field], None
        return None, None


def prepare_row(rec: Record, rc: RowContext) -> ImportRow:
    """Turn one :class:`Record` into an :class:`ImportRow`. Raises :class:`RowError`."""
    data = rec.data
    if "__error__" in data:
        raise RowError(None, data["__error__"])
    m = rc.mapping

    def col(field: str, what: str | None = None) -> str:
        _, c = rc.get(data, field)
        return f"{field} (column {c})" if c else field

    sid_v, _ = rc.get(data, "source_id")
    sid = _text(sid_v)
    if sid is None:
        if isinstance(m.fields.get("source_id"), str) and m.fields["source_id"] != "source_id":
            raise RowError(col("source_id"), "empty: every row needs its source id (re-imports are keyed by it)")
        # no id column: the row is keyed by a hash of its content, so a re-import still takes nothing twice
        digest = hashlib.sha1(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
        sid = "row:" + digest.hexdigest()[:16]
    title_v, _ = rc.get(data, "title")
    title = _text(title_v)
    if not title:
        raise RowError(col("title"), "empty: a case needs a title")
    title = " ".join(title.split())
    full_title = None
    if len(title) > 200:  # the kernel's limit: the whole text goes to the description, nothing is lost
        full_title, title = title, title[:199] + "…"
    created_v, _ = rc.get(data, "created_at")
    try:
        created = parse_time(created_v, rc.tz)
    except ValueError as e:
        raise RowError(col("created_at"), str(e)) from None
    if created is None and ("created_at" in m.fields):
        raise RowError(col("created_at"), "empty: the arrival time is needed for a historical import")
    resolved = None
    closed = True
    if m.closed_column:
        closed = _text(data.get(m.closed_column)) in set(m.closed_values)
    res_v, _ = rc.get(data, "resolved_at")
    if closed:
        try:
            resolved = parse_time(res_v, rc.tz)
        except ValueError as e:
            raise RowError(col("resolved_at"), str(e)) from None
        if resolved is None and m.closed_column and "resolved_at" in m.fields:
            raise RowError(col("resolved_at"), f"empty although {m.closed_column} says the case is closed")
    if resolved is not None and created is not None and resolved < created:
        raise RowError(col("resolved_at"), f"{resolved.isoformat()} is before the arrival {created.isoformat()}")
    # unit
    unit = rc.unit
    if not unit and m.units.column:
        v = _text(data.get(m.units.column))
        if v is not None:
            unit = m.units.map.get(v) or (v if v in rc.county.units else None)
    if not unit and rc.spread:
        key = sid or f"{rec.line}"
        unit = rc.spread[zlib.crc32(key.encode("utf-8")) % len(rc.spread)]
    if not unit:
        unit_v, _ = rc.get(data, "unit")
        unit = _text(unit_v) or m.units.default
    if not unit:
        raise RowError("unit", "no unit for this row: give --unit, a unit column or a [units] rule in the mapping")
    if unit not in rc.county.units:
        raise RowError(col("unit") if rc.get(data, "unit")[1] else "unit", f"{unit!r} is not a known unit (see `county units list`)")

    def txt(field):
        return _text(rc.get(data, field)[0])

    anonymous = txt("requester_anonymous")
    satisfaction = txt("satisfaction")
    if satisfaction and satisfaction not in SATISFACTION:
        zh = {"满意": "satisfied", "基本满意": "basically", "不满意": "unsatisfied"}
        if satisfaction not in zh:
            raise RowError(col("satisfaction"), f"{satisfaction!r}: use satisfied, basically or unsatisfied")
        satisfaction = zh[satisfaction]
    fields: dict[str, str] = {}
    for k, c in m.extra.items():
        v = _text(data.get(c))
        if v is not None:
            fields[k] = v
    for k, v in m.constants.items():
        if k.startswith("extra.") and k[6:] not in fields:
            fields[k[6:]] = str(v)
    if not m.extra and (m.identity or m.fields.get("title") == "title"):  # identity mapping: extra.KEY columns
        for k, v in data.items():
            if isinstance(k, str) and k.startswith("extra.") and _text(v) is not None:
                fields[k[6:]] = _text(v)
    description = rc.get(data, "description")[0]
    description = description.strip() if isinstance(description, str) else _text(description)
    if full_title:
        description = full_title + ("\n\n" + description if description else "")
    note = txt("resolution_note")
    o311 = open311_requester(data) if m.format == "open311" else {}
    row = ImportRow(
        line=rec.line, source_id=m.source_prefix + sid, method=rc.method, unit=unit, title=title,
        created_at=created, resolved_at=resolved, note=(note.strip() if note else None),
        channel=txt("channel"), category=txt("category"), description=description or None,
        requester=Requester(txt("requester_name") or o311.get("name"), txt("requester_phone") or o311.get("phone"),
                            txt("requester_id_number"), txt("requester_address"),
                            bool(anonymous and anonymous.lower() in ("1", "true", "yes", "y", "是"))),
        fields=fields, satisfaction=satisfaction, raw=data, item=rec.item,
    )
    if rc.classifier is not None:
        p = rc.classifier.propose(title, description or "")
        row.topic, row.topic_score = p.label, p.score
    return row


def open311_requester(data: dict) -> dict[str, str]:
    """The requester an Open311 request names (the POST fields ``first_name``, ``last_name``,
    ``phone``, ``email`` that some cities' dumps carry): ``name`` (``first last``; a Chinese name
    as ``last`` + ``first``, ``张`` + ``三丰`` -> ``张三丰``), ``phone`` (as written when intake
    takes it, else its digits when there are 7–15 of them, else left out) and ``email``. Keys
    whose source field is empty are left out. Used for the case's Requester when the mapping
    names no requester column, so public output knows what to mask."""
    out: dict[str, str] = {}
    first, last = _text(data.get("first_name")), _text(data.get("last_name"))
    if first and last:
        han = re.compile(r"^[\u4e00-\u9fff]+$")
        out["name"] = last + first if han.match(first) and han.match(last) else f"{first} {last}"
    elif first or last:
        out["name"] = first or last
    phone = _text(data.get("phone"))
    if phone:
        from framework.kernel.stages import check_requester

        try:
            check_requester(Requester(phone=phone))
            out["phone"] = phone
        except CountyError:
            digits = re.sub(r"\D", "", phone)
            if 7 <= len(digits) <= 15:
                out["phone"] = digits
    email = _text(data.get("email"))
    if email:
        out["email"] = email
    return out


# -- taking rows --------------------------------------------------------------------------------------

IMPORTED_ROWS = "imported_rows"


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
            case = county.confirm(case.id, row.satisfaction, "导入：来源数据中的评价", at=row.resolved_at)
        if row.source_id:
            county.store.db.execute(
                f"insert or replace into {IMPORTED_ROWS} (source_id, case_id, file, line, format, mapping, raw, topic,"
                f" topic_score, imported_at) values (?,?,?,?,?,?,?,?,?,?)",
                [row.source_id, case.id, file, row.line, fmt, mapping,
                 json.dumps(row.raw, ensure_ascii=False, default=_raw_default), row.topic, row.topic_score,
                 county.now().isoformat()])
    return case


def replay(county, rows: list[ImportRow], *, file: str = "", fmt: str = "", mapping: str = "",
           report: "ImportReport | None" = None, progress: Callable[[int, int], None] | None = None) -> dict:
    """Take historical rows in *time order* with the sweeps that would have run between them.

    Every arrival (``created_at``) and every resolution (``resolved_at``) becomes an event on
    one time line; before each, the nightly sweep (督办) runs at 00:00 after every day on which
    a pending milestone of the database fell due — so a case not answered in time is escalated
    along its chain exactly when it would have been, and the reply then resolves it at the tier
    it had reached. Runs one transaction per calendar month (local). A row the kernel refuses
    is added to ``report.refused`` (when given) and its resolution is dropped with it.

    Returns counts: ``cases`` taken, ``resolved``, ``sweeps``, ``escalations``, ``flags``,
    ``months``, ``first_month``/``last_month`` (``YYYY-MM``) and ``years`` (sorted ints).
    The sweeps touch every open case of the database, not only this file's.
    """
    events = []
    for r in rows:
        at = r.created_at or county.now()
        events.append((at, 0, r))
        if r.resolved_at is not None:
            events.append((r.resolved_at, 1, r))
    events.sort(key=lambda e: (e[0], e[1], e[2].line))
    cal, store = county.calendar, county.store
    case_of: dict[int, str] = {}
    counts = {"cases": 0, "resolved": 0, "sweeps": 0, "escalations": 0, "flags": 0}
    months: list[str] = []
    years: set[int] = set()

    def sweep_until(t: dt.datetime) -> None:
        while True:
            row = store.db.execute("select min(due_ts) from milestones where state = 'pending'").fetchone()
            if row[0] is None:
                return
            due = dt.datetime.fromtimestamp(row[0], cal.tz)
            night = dt.datetime.combine(due.date() + dt.timedelta(days=1), dt.time(), tzinfo=cal.tz)
            if night > t:
                return
            county.clock.fixed = night
            acts = county.sweep()
            counts["sweeps"] += 1
            counts["escalations"] += sum(a["action"] == "escalate" for a in acts)
            counts["flags"] += sum(a["action"] == "flag" for a in acts)

    saved_clock = county.clock.fixed
    i = done = 0
    try:
        while i < len(events):
            month = cal.local(events[i][0]).strftime("%Y-%m")
            months.append(month)
            with store.transaction():
                while i < len(events) and cal.local(events[i][0]).strftime("%Y-%m") == month:
                    at, what, r = events[i]
                    i += 1
                    sweep_until(at)
                    county.clock.fixed = at
                    try:
                        with store.transaction():
                            if what == 0:
                                case = take_row(county, attrs.evolve(r, resolved_at=None, satisfaction=None),
                                                file=file, fmt=fmt, mapping=mapping)
                                case_of[r.line] = case.id
                                counts["cases"] += 1
                                years.add(cal.local(at).year)
                            elif r.line in case_of:
                                case = county.resolve(case_of[r.line], r.note or DEFAULT_NOTE, at=at)
                                if r.satisfaction:
                                    county.confirm(case.id, r.satisfaction, "导入：来源数据中的评价", at=at)
                                counts["resolved"] += 1
                    except CountyError as e:
                        if report is None:
                            raise
                        report.refused.append(Refused(r.line, None, ("resolution: " if what else "") + str(e), r.item))
                    if what == 0 or r.line in case_of:
                        done += 1
                        if progress:
                            progress(done, len(events))
        if events:
            with store.transaction():
                sweep_until(cal.local(events[-1][0]) + dt.timedelta(days=1))
    finally:
        county.clock.fixed = saved_clock
    if report is not None:
        report.taken, report.resolved = counts["cases"], counts["resolved"]
        ids = list(case_of.values())
        report.first_case, report.last_case = (min(ids), max(ids)) if ids else (None, None)
    return {**counts, "months": len(months), "first_month": months[0] if months else None,
            "last_month": months[-1] if months else None, "years": sorted(years)}


def _raw_default(v):
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    return str(v)


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
    closed); ``skipped`` rows had a source id taken before (re-import); ``refused`` rows are
    listed with line and reason; ``services`` counts Open311 services stored (services files)."""

    file: str
    format: str
    encoding: str | None
    mapping: str
    method: str | None
    rows: int = 0
    taken: int = 0
    resolved: int = 0
    skipped: int = 0
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


def import_file(county, path: str | Path, *, fmt: str | None = None, method: str | None = None,
                mapping: str | Mapping | None = None, encoding: str | None = None, unit: str | None = None,
                constants: dict[str, str] | None = None, all_or_nothing: bool = False, classifier=None,
                replay_sweeps: bool = False,
                progress: Callable[[int, int], None] | None = None, batch: int = 500) -> ImportReport:
    """Import a file into ``county``. Returns an :class:`ImportReport`.

    ``mapping``: a :class:`Mapping`, a built-in name or a TOML path (default: columns named
    like the case fields, or the ``open311`` mapping for Open311). ``constants``: case field
    (or ``extra.KEY``) -> value for every row, over the mapping's (``--set``). ``all_or_nothing``: take no
    row when any is refused. ``replay_sweeps``: take the rows in time order with the nightly
    sweeps between them (:func:`replay`), so escalations before a reply happen too.
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
        from framework.interchange.open311 import store_services

        report.services = store_services(county, [r.data for r in source.records], str(path))
        report.method = None
        report.seconds = time.perf_counter() - t0
        return report
    if mapping.topic == "classify" and classifier is None:
        from framework.interchange.triage import default_classifier

        classifier = default_classifier()
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
