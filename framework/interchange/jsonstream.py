"""JSON documents read in chunks: a list of records (or an object holding one under
``requests``, ``records``…) decoded one record at a time, so a file of any length is never held
whole (:func:`scan_json` checks and counts, :func:`stream_json` yields); and the whole-text
reader (:func:`json_array_items`) that plain tables use and whose messages name the line of a
malformed document.

JSON 分块读取：逐条解码记录，不整体载入文件。
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from framework.errors import CountyError
from framework.interchange.limits import MAX_JSON_DEPTH, check_columns, depth_message, too_deep


def pairs_first(pairs):
    """object_pairs_hook that keeps the FIRST value of a repeated key (SF's dump repeats
    ``updated_datetime``/``expected_datetime``; the first holds the real value)."""
    out = {}
    for k, v in pairs:
        if k not in out:
            out[k] = v
    return out


def json_array_items(text: str, where: str, key: str | None = None) -> list[tuple[int, Any]]:
    """Parse a JSON document whose records are a top-level array (or the array under
    ``key``/``requests``/``service_requests``/``services``) and return ``(line, item)`` pairs,
    the line being where each item starts."""
    dec = json.JSONDecoder(object_pairs_hook=pairs_first)
    try:
        doc = dec.decode(text.lstrip("\ufeff"))
    except json.JSONDecodeError as e:
        raise CountyError(f"{where}: line {e.lineno}: malformed JSON: {e.msg}") from None
    except RecursionError:
        raise CountyError(depth_message(where, None)) from None
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
    if any(too_deep(item) for item in items):
        raise CountyError(depth_message(where, None))
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


_JSON_WS = re.compile(r"[ \t\n\r]*")
_RECORD_KEYS = ("requests", "service_requests", "services", "records", "rows", "data")


class _Bad(Exception):
    """Not well-formed JSON (the whole file is then parsed for the decoder's own message)."""


class _Deep(Exception):
    """A value nested deeper than MAX_JSON_DEPTH (or than the decoder can recurse): ``line``."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class JsonText:
    """A JSON file read in 1 MB chunks: values are decoded one at a time with
    ``raw_decode``; the line of a position is counted as the reading goes."""

    def __init__(self, f):
        self.f, self.buf, self.pos, self.eof = f, "", 0, False
        self.line, self.counted = 1, 0
        self.dec = json.JSONDecoder(object_pairs_hook=pairs_first)

    def more(self) -> bool:
        data = self.f.read(1 << 20)
        if not data:
            self.eof = True
            return False
        if self.pos:  # drop what was read
            self.line += self.buf.count("\n", self.counted, self.pos)
            self.buf, self.counted, self.pos = self.buf[self.pos:], 0, 0
        self.buf += data
        return True

    def peek(self) -> str:
        """The next character that is not JSON whitespace ("" at the end)."""
        while True:
            self.pos = _JSON_WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos:self.pos + 1]

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise _Bad()
        self.pos += 1

    def here(self) -> int:
        """The line of the next value (whitespace skipped)."""
        self.peek()
        self.line += self.buf.count("\n", self.counted, self.pos)
        self.counted = self.pos
        return self.line

    def value(self) -> Any:
        """The next value. Raises _Bad (not well-formed) or _Deep (nested more than
        MAX_JSON_DEPTH levels, or too deep for the decoder to recurse)."""
        self.peek()
        while True:
            try:
                v, end = self.dec.raw_decode(self.buf, self.pos)
                if end < len(self.buf) or self.eof:
                    start, self.pos = self.pos, end
                    # only a value with more brackets than the limit can be nested deeper
                    if (self.buf.count("[", start, end) + self.buf.count("{", start, end) > MAX_JSON_DEPTH
                            and too_deep(v)):
                        self.pos = start
                        raise _Deep(self.here())
                    return v
            except json.JSONDecodeError:
                if self.eof:
                    raise _Bad() from None
            except RecursionError:
                raise _Deep(self.here()) from None
            self.more()

    def items(self) -> Iterator[tuple[int, Any]]:
        """``(line, value)`` of the array at the position, to its closing bracket."""
        self.take("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.here(), self.value()
            c = self.peek()
            self.pos += 1
            if c == "]":
                return
            if c != ",":
                raise _Bad()

    def members(self) -> Iterator[str]:
        """The keys of the object at the position; the caller reads each value."""
        self.take("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                raise _Bad()
            key = self.value()
            self.take(":")
            yield key
            c = self.peek()
            self.pos += 1
            if c == "}":
                return
            if c != ",":
                raise _Bad()

    def start(self) -> str:
        """Past a leading BOM and whitespace: the first character of the document."""
        self.peek()
        while self.buf[self.pos:self.pos + 1] == "\ufeff":
            self.pos += 1
        return self.peek()


@attrs.define
class JsonStats:
    key: str | None  # the top-level key holding the records (None: the document is the list)
    count: int
    columns: list[str]
    kind: str


def scan_json(p: Path, enc: str, where: str, normalise: Callable[[dict], dict] | None = None) -> JsonStats:
    """Check the whole document, find its records (the top-level list, or the list under one
    of :data:`_RECORD_KEYS`) and count them, collect their keys (the columns) and, for
    Open311 (``normalise`` given: each object as the reader will give it), tell requests from
    services — holding one record at a time. CountyError (the decoder's own message and line)
    for a document that is not well-formed, a record nested more than
    :data:`~framework.interchange.limits.MAX_JSON_DEPTH` levels (its line), or records using more
    than :data:`~framework.interchange.limits.MAX_COLUMNS` distinct keys."""
    lists: dict[str, list] = {}  # key -> [count, keys, has service_request_id, all services]

    def scan(items) -> list:
        count, keys, requests, services, dicts = 0, {}, False, True, 0
        for _line, item in items:
            count += 1
            if isinstance(item, dict):
                dicts += 1
                requests = requests or "service_request_id" in item
                services = services and "service_code" in item and "service_name" in item
                for k in (normalise(item) if normalise else item):
                    if k != "__error__":
                        keys.setdefault(str(k), None)
        return [count, list(keys), requests, services and dicts > 0, dicts]

    with open(p, encoding=enc, newline="") as f:
        t = JsonText(f)
        try:
            first = t.start()
            if first == "[":
                stats, key = scan(t.items()), None
            elif first == "{":
                keys = []
                for k in t.members():
                    keys.append(k)
                    if t.peek() == "[" and k not in lists:
                        lists[k] = scan(t.items())
                    elif t.peek() == "[":
                        scan(t.items())
                    else:
                        t.value()
                key = next((k for k in _RECORD_KEYS if k in lists), None)
                if key is None:
                    raise CountyError(f"{where}: expected a JSON list of objects (or an object holding one under "
                                      f"\"requests\"), found an object with keys {', '.join(list(dict.fromkeys(keys))[:6])}")
                stats = lists[key]
            else:
                doc = t.value()
                raise CountyError(f"{where}: expected a JSON list of objects, found {type(doc).__name__}")
            if t.peek():
                raise _Bad()
        except _Deep as e:
            raise CountyError(depth_message(where, e.line)) from None
        except _Bad:
            f.seek(0)
            json_array_items(f.read(), where)  # raises the decoder's own message and line
            raise CountyError(f"{where}: malformed JSON") from None
    count, columns, requests, services, dicts = stats
    check_columns(len(columns), where, "the records use")
    kind = "requests"
    if normalise is not None:  # Open311
        if not requests and dicts and not services:
            raise CountyError(f"{where}: not a GeoReport v2 document: its objects have neither "
                              f"service_request_id (requests) nor service_code and service_name (services)")
        kind = "services" if not requests and services else "requests"
    return JsonStats(key, count, columns, kind)


def stream_json(p: Path, enc: str, key: str | None) -> Iterator[tuple[int, Any]]:
    """``(line, item)`` of the records :func:`scan_json` found under ``key`` (None: the
    document is the list), read in chunks; the file was checked by the scan."""
    with open(p, encoding=enc, newline="") as f:
        t = JsonText(f)
        if key is None:
            t.start()
            yield from t.items()
            return
        t.start()
        for k in t.members():
            if k == key:
                yield from t.items()
                return
            t.value() if t.peek() != "[" else sum(1 for _ in t.items())
