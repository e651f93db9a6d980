"""Reading source files into records: CSV (encodings detected), XLSX (first or named sheet),
JSON lists and Open311 GeoReport v2 (JSON and XML).

读取来源文件：CSV、XLSX、JSON 与 Open311（JSON/XML），逐行成记录。

* :func:`read_records` reads a file into a :class:`Source` of :class:`Record` s (line number +
  one dict of text/instant values per row). CSV encodings are detected
  (:mod:`framework.interchange.encodings`) or given; XLSX skips empty rows and keeps Excel
  datetimes; ids and phone numbers stay text (an integer cell becomes its digits, leading zeros
  in text cells are kept). A file that cannot be read at all is one :class:`CountyError`.
* :func:`read_table` reads a plain table (units, people, plugin tables) the same way, values as
  text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

import attrs
from defusedxml import ElementTree as DET
from defusedxml.common import DefusedXmlException

from framework.errors import CountyError
from framework.interchange.encodings import decode_text
from framework.interchange.schema import FORMATS

if TYPE_CHECKING:
    from framework.interchange.mappings import Mapping


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
        raise CountyError(f"{path}: no column {', '.join(missing)} (columns: {show_columns(source.columns or [])})")
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
    from openpyxl import load_workbook  # optional heavy dependency: loaded when an .xlsx is read
    from openpyxl.utils.exceptions import InvalidFileException

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


def show_columns(columns: list[str], limit: int = 12) -> str:
    """The first ``limit`` column names, for messages (``a, b, … (30 in all)``)."""
    shown = ", ".join(columns[:limit]) or "none"
    return shown + (f", … ({len(columns)} in all)" if len(columns) > limit else "")
