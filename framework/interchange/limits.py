"""The size limits of imported files, one set for every format (csv, xlsx, json, Open311 JSON
and XML), so that a hostile or broken file is refused quickly with a clear error instead of
hanging, exhausting memory or crashing (issue 15).

导入文件的大小限制（所有格式相同）：列数、单个字段长度、JSON 嵌套层数。

* :data:`MAX_COLUMNS` — a header (or the keys of a JSON/Open311 file) with more columns is
  refused whole: no real case file has that many, and a header of a million columns is an
  attack or an accident.
* :data:`MAX_FIELD_CHARS` — one field (a cell, a JSON value; a nested JSON value counted as
  its JSON text) longer than this is refused: that row only, with an error naming the line,
  the column and the limit; the other rows are taken as usual.
* :data:`MAX_JSON_DEPTH` — a JSON record nested deeper is refused whole (the file cannot be
  trusted), with the line; a record is depth 1, an object or list inside it depth 2, and so on.
"""

from __future__ import annotations

from typing import Any

from framework.errors import CountyError

#: Columns a header may have (CSV, XLSX) and distinct keys a JSON/Open311 file's records may use.
MAX_COLUMNS = 1_000

#: Characters one field may hold, in every format (the CSV module's own default limit, now the
#: same for all). 131,072 characters is some 40 pages of Chinese text.
MAX_FIELD_CHARS = 131_072

#: Levels of nesting a JSON record may have (the record itself is level 1).
MAX_JSON_DEPTH = 32


def check_columns(count: int, where: str, what: str = "the header has") -> None:
    """CountyError (one line naming ``where``, the count and the limit) when ``count`` columns
    exceed :data:`MAX_COLUMNS`; ``what`` words the message (``the header has``, ``the records
    use``)."""
    if count > MAX_COLUMNS:
        raise CountyError(f"{where}: {what} {count:,} columns, more than the {MAX_COLUMNS:,} an import reads; "
                          f"remove the extra columns")


def field_error(data: dict[str, Any]) -> str | None:
    """The reason a record is refused for an oversized field — ``column 'X' holds N characters,
    over the limit of 131,072 per field`` — naming the first such column, or None when every
    text value of ``data`` (column -> value) is within :data:`MAX_FIELD_CHARS`."""
    for k, v in data.items():
        if isinstance(v, str) and len(v) > MAX_FIELD_CHARS:
            return field_message(k, len(v))
    return None


def field_message(column: str, length: int) -> str:
    """The one-line reason for a field of ``length`` characters in ``column``."""
    return (f"column {column!r} holds {length:,} characters, over the limit of {MAX_FIELD_CHARS:,} "
            f"characters per field")


def too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a decoded JSON value nests more than ``limit`` levels (a scalar is level 0, an
    object or list holding only scalars level 1). Iterative: any depth is safe to check."""
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, dict):
            children = v.values()
        elif isinstance(v, list):
            children = v
        else:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


def depth_message(where: str, line: int | None) -> str:
    """The one-line error for JSON nested deeper than :data:`MAX_JSON_DEPTH`."""
    at = f"line {line}: " if line else ""
    return (f"{where}: {at}JSON nested more than {MAX_JSON_DEPTH} levels deep; an import reads records of at "
            f"most {MAX_JSON_DEPTH} levels (flatten the record)")
