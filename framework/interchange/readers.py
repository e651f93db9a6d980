"""Reading source files into records: CSV (encodings detected), XLSX (first or named sheet),
JSON lists and Open311 GeoReport v2 (JSON and XML).

读取来源文件：CSV、XLSX、JSON 与 Open311（JSON/XML），逐行成记录。

* :func:`open_records` opens a file as a :class:`RecordStream`: its records are read as they
  are iterated (CSV and JSON streamed in chunks, XLSX row by row through openpyxl's read-only
  mode), after one pass that checks the whole file (encoding, CSV/JSON syntax) and counts its
  records, so that a file that cannot be read fails before any row is used and memory stays
  flat however long the file. :func:`read_records` reads a file into a :class:`Source` of
  :class:`Record` s (line number + one dict of text/instant values per row). CSV encodings are detected
  (:mod:`framework.interchange.encodings`) or given; XLSX skips empty rows and keeps Excel
  datetimes; ids and phone numbers stay text (an integer cell becomes its digits, leading zeros
  in text cells are kept). A file that cannot be read at all is one :class:`CountyError`.
* :func:`read_table` reads a plain table (units, people, plugin tables) the same way, values as
  text.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Iterable
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

import attrs

from framework.errors import CountyError
from framework.interchange.encodings import DETECTED_ENCODINGS, check_plausible, decode_text
from framework.interchange.jsonstream import json_array_items, scan_json, stream_json
from framework.interchange.limits import MAX_FIELD_CHARS, check_columns, field_error, field_message
from framework.interchange.schema import FORMATS

# ``mapping`` parameters below are a framework.interchange.mappings.Mapping (or None): only its
# format, sheet and header_row are read; it is not imported here (mappings imports this module).


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


@attrs.define
class RecordStream:
    """An opened file whose :class:`Record` s are read as they are iterated (each iteration
    reads the file again). Same attributes as :class:`Source` but ``records``; ``count`` is the
    number of records when known before reading them (CSV, JSON), else None (XLSX)."""

    path: str
    format: str
    encoding: str | None
    kind: str
    columns: list[str] | None
    count: int | None
    _records: Callable[[], Iterator[Record]]

    def __iter__(self) -> Iterator[Record]:
        return self._records()


def detect_format(path: str | Path, mapping: Any = None) -> str:
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
        with open(p, "rb") as f:
            head = f.read(4096).decode("utf-8", "replace")
        return "open311" if ("service_request_id" in head or "service_code" in head) else "json"
    raise CountyError(f"{path}: cannot tell the format from the suffix {suffix or '(none)'!r}; "
                      f"give --format {'|'.join(FORMATS)}")


def read_records(path: str | Path, fmt: str | None = None, *, encoding: str | None = None,
                 mapping: Any = None) -> Source:
    """Read ``path`` as ``fmt`` (detected when None). Returns a :class:`Source`.

    Raises :class:`CountyError` (exit 2) naming the file (and line where known) when the file
    is missing, in an unknown encoding, or not well-formed (e.g. malformed XML).
    """
    st = open_records(path, fmt, encoding=encoding, mapping=mapping)
    return Source(st.path, st.format, list(st), st.encoding, st.kind, st.columns)


def open_records(path: str | Path, fmt: str | None = None, *, encoding: str | None = None,
                 mapping: Any = None) -> RecordStream:
    """Open ``path`` as ``fmt`` (detected when None) for reading record by record: the whole
    file is checked first (the same CountyError as :func:`read_records` for a file that cannot
    be read), then iterating the :class:`RecordStream` reads it again, holding one chunk at a
    time. Open311 XML is read whole."""
    p = Path(path)
    if not p.exists():
        raise CountyError(f"{path}: file not found")
    if p.is_dir():
        raise CountyError(f"{path}: is a folder, not a file")
    fmt = fmt or detect_format(p, mapping)
    if fmt not in FORMATS:
        raise CountyError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    where = str(path)
    if fmt == "csv":
        enc = _file_encoding(p, where, encoding)
        delimiter = _csv_delimiter(p, enc)
        header_row = mapping.header_row if mapping else 1
        scan = _csv_rows(p, enc, where, header_row, delimiter, build=False)
        header, count = next(scan), next(scan)
        return RecordStream(where, "csv", enc, "requests", header, count,
                            lambda: _skip_first(_csv_rows(p, enc, where, header_row, delimiter, build=True)))
    if fmt == "xlsx":
        rows = _xlsx_rows(p, mapping)
        header = next(rows)
        rows.close()
        return RecordStream(where, "xlsx", None, "requests", header, None,
                            lambda: _skip_first(_xlsx_rows(p, mapping)))
    if fmt == "open311" and _first_byte(p) == b"<" or p.suffix.lower() == ".xml":
        kind, records = _open311_xml(p.read_bytes(), where)
        return RecordStream(where, "open311", "utf-8", kind, _keys(records), len(records), lambda: iter(records))
    enc = _file_encoding(p, where, encoding)
    stats = scan_json(p, enc, where, _open311_normalise if fmt == "open311" else None)
    convert = _open311_record if fmt == "open311" else _json_record
    return RecordStream(where, fmt, enc, stats.kind, stats.columns, stats.count,
                        lambda: (convert(n, line, item) for n, (line, item)
                                 in enumerate(stream_json(p, enc, stats.key), start=1)))


def _first_byte(p: Path) -> bytes:
    """The file's first byte that is not blank (b"" for a blank file)."""
    with open(p, "rb") as f:
        while chunk := f.read(1 << 16):
            if chunk := chunk.lstrip():
                return chunk[:1]
    return b""


def _skip_first(it: Iterator) -> Iterator:
    next(it)
    return it


def _file_encoding(p: Path, where: str, encoding: str | None) -> str:
    """:func:`decode_text`'s choice of encoding, read in chunks (the file is never held):
    ``encoding`` when given, UTF-8 with a BOM, else strict UTF-8, else strict GB18030; a detected
    one must give plausible text in the first MB (:func:`check_plausible`: Big5 is refused). A
    file that decodes in none of them gets decode_text's error (the file read whole, to name the line)."""
    if encoding:
        decode_text(b"", where, encoding)  # an unknown encoding's error
        candidates = [encoding]
    else:
        with open(p, "rb") as f:
            head = f.read(3)
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))  # Excel's "Unicode text"
        candidates = ["utf-16"] if utf16 else ["utf-8-sig"] if head == codecs.BOM_UTF8 else list(DETECTED_ENCODINGS)
    for enc in candidates:
        dec = codecs.getincrementaldecoder(enc)("strict")
        sample = []
        try:
            with open(p, "rb") as f:
                while chunk := f.read(1 << 20):
                    text = dec.decode(chunk)
                    if not encoding and not sample:
                        sample.append(text)
            sample.append(dec.decode(b"", final=True))
        except UnicodeDecodeError:
            continue
        if not encoding:
            check_plausible("".join(sample), where, enc)  # the first MB: Big5 read as GB18030 is refused
        return enc
    decode_text(p.read_bytes(), where, encoding)  # raises the error naming the line
    raise CountyError(f"{where}: cannot decode the file")  # not reached


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
        items = json_array_items(text, str(path))
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


def _clean_header(names: list[Any] | tuple, where: str) -> list[str]:
    """The header's column names (blank -> ``columnN``). CountyError for more than
    :data:`~framework.interchange.limits.MAX_COLUMNS` columns, a name over the field limit, or a
    repeated name (found in one pass: linear in the number of columns)."""
    check_columns(len(names), where)
    out: list[str] = []
    seen: set[str] = set()
    for i, n in enumerate(names, start=1):
        name = "" if n is None else str(n).strip().lstrip("\ufeff")
        name = name or f"column{i}"
        if len(name) > MAX_FIELD_CHARS:
            raise CountyError(f"{where}: header column {i}: the name holds {len(name):,} characters, over the limit "
                              f"of {MAX_FIELD_CHARS:,} characters per field")
        if name in seen:
            raise CountyError(f"{where}: the header repeats column {name!r}; give each column its own name")
        seen.add(name)
        out.append(name)
    return out


#: The csv module's own field limit while a file is read: far above MAX_FIELD_CHARS, so that an
#: oversized field is refused for its row (naming the column) rather than failing the file.
_CSV_READ_LIMIT = 1 << 30


def _csv_delimiter(p: Path, enc: str) -> str:
    with open(p, encoding=enc, newline="") as f:
        sample = f.read(8192)
    first = sample.splitlines()[0] if sample else ""
    return "\t" if "\t" in first and first.count("\t") > first.count(",") else ","


def _csv_rows(p: Path, enc: str, where: str, header_row: int, delimiter: str, *, build: bool) -> Iterator:
    """The header (a list), then a :class:`Record` per non-empty row — or, when not ``build``
    (the checking pass), how many there are. CountyError for a CSV syntax error or no header."""
    header: list[str] | None = None
    start = 1
    count = 0
    previous_limit = csv.field_size_limit(_CSV_READ_LIMIT)  # fields over ours are refused per row, below
    with open(p, encoding=enc, newline="") as f:
        # strict: a stray or unclosed quote is a syntax error, not a field that swallows the rest
        reader = csv.reader(f, delimiter=delimiter, strict=True)
        try:
            for row in reader:
                line = start
                start = reader.line_num + 1
                if header is None:
                    if reader.line_num < header_row:
                        continue
                    if not "".join(row).strip():  # blank cells only (as any(c.strip() …), one call)
                        continue
                    header = _clean_header(row, where)
                    yield header
                    continue
                text = "".join(row)
                if not text.strip():  # a row of blank cells is no record
                    continue
                if not build:
                    count += 1
                elif len(row) > len(header) and any(c.strip() for c in row[len(header):]):
                    yield Record(line, {"__error__": f"{len(row)} cells but the header has {len(header)} columns"})
                elif len(text) > MAX_FIELD_CHARS and max(map(len, row)) > MAX_FIELD_CHARS:  # (no cell longer than all)
                    i = next(i for i, c in enumerate(row) if len(c) > MAX_FIELD_CHARS)
                    yield Record(line, {"__error__": field_message(header[i], len(row[i]))})
                elif len(row) >= len(header):  # (cells past the header are empty: checked above)
                    yield Record(line, dict(zip(header, row)))
                else:
                    yield Record(line, {h: (row[i] if i < len(row) else "") for i, h in enumerate(header)})
        except csv.Error as e:
            if "unexpected end of data" in str(e):
                raise CountyError(f"{where}: line {start}: CSV syntax error: a quoted field opened on this line is "
                                  f"never closed (a missing '\"')") from None
            raise CountyError(f"{where}: line {reader.line_num}: CSV syntax error: {e}") from None
        finally:
            csv.field_size_limit(previous_limit)
    if header is None:
        raise CountyError(f"{where}: no header row (the file is empty)")
    if not build:
        yield count


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


def _xlsx_rows(path: Path, mapping: Any) -> Iterator:
    """The header (a list), then a :class:`Record` per non-empty row, read through openpyxl's
    read-only mode (one row at a time). CountyError for an unreadable workbook or sheet."""
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
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if n < header_row:
                continue
            if row is None or all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
                continue  # e.g. 附件2 declares 65,203 rows and fills 496
            if header is None:
                header = _clean_header(row, where)
                yield header
                continue
            cells = [_xlsx_cell(c) for c in row]
            data = {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(header)}
            error = field_error(data)
            yield Record(n, {"__error__": error} if error else data)
        if header is None:
            raise CountyError(f"{where}: the sheet {ws.title!r} is empty (no header row)")
    finally:
        wb.close()


def _json_record(n: int, line: int, item: Any) -> Record:
    if not isinstance(item, dict):
        return Record(line, {"__error__": f"expected an object, found {type(item).__name__}"}, n)
    data = {str(k): _json_value(v) for k, v in item.items()}
    error = field_error(data)
    return Record(line, {"__error__": error} if error else data, n)


def _open311_record(n: int, line: int, item: Any) -> Record:
    if not isinstance(item, dict):
        return Record(line, {"__error__": f"expected an object, found {type(item).__name__}"}, n)
    data = _open311_normalise(item)
    error = field_error({k: _json_value(v) for k, v in data.items()})
    return Record(line, {"__error__": error} if error else data, n)


def _json_value(v: Any) -> Any:
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return v


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
    with ``xsi:nil="true"`` or no text is null. A document with a ``<!DOCTYPE …>`` (any: an
    internal subset, ``SYSTEM "http://…"``), entities or external references is refused
    (defusedxml with ``forbid_dtd=True``); so is a field over
    :data:`framework.interchange.limits.MAX_FIELD_CHARS` characters (that request only)."""
    if raw[:1].isspace() and raw.lstrip()[:5] == b"<?xml":
        lead = raw[: len(raw) - len(raw.lstrip())]
        line = lead.count(b"\n") + 1
        raise CountyError(f"{where}: line {line}: malformed XML: the XML declaration <?xml …?> must be the very "
                          f"first thing in the file, but {len(lead)} blank character(s) come before it; "
                          f"delete them and import again")
    from defusedxml import ElementTree as DET  # only this reader needs it
    from defusedxml.common import DefusedXmlException, DTDForbidden

    try:
        root = DET.fromstring(raw, forbid_dtd=True)
    except ParseError as e:
        line, col = getattr(e, "position", (None, None))
        msg = str(e).split(":")[0]
        hint = ""
        if msg.startswith("mismatched tag"):
            hint = " (an element opened before this point, e.g. a stray <request>, is never closed)"
        raise CountyError(f"{where}: line {line}, column {col}: malformed XML: {msg}{hint}") from None
    except DTDForbidden as e:
        raise CountyError(f"{where}: refused XML: a <!DOCTYPE {e.name or ''}…> declaration is not allowed "
                          f"(GeoReport v2 needs none); delete it and import again") from None
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
        error = field_error(data)
        out.append(Record(starts[n - 1] if n <= len(starts) else 1,
                          {"__error__": error} if error else _open311_normalise(data), n))
    return kind, out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else str(tag)


def show_columns(columns: list[str], limit: int = 12) -> str:
    """The first ``limit`` column names, for messages (``a, b, … (30 in all)``)."""
    shown = ", ".join(columns[:limit]) or "none"
    return shown + (f", … ({len(columns)} in all)" if len(columns) > limit else "")
