"""Column mappings (``--mapping``): which column of a source file feeds which case field.

列映射：来源文件的哪一列填事项的哪个字段（内置映射或 TOML 文件）。

A :class:`Mapping` is a built-in name (``framework/interchange/data/mapping-NAME.toml``, see
:func:`builtin_mappings`) or a TOML file (``docs/importing.md``), validated by
:func:`mapping_from_dict`; :func:`check_columns` checks a file's columns against it before any
row is read.
"""

from __future__ import annotations

import datetime as dt

import difflib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from framework.errors import CountyError
from framework.interchange.readers import Source, show_columns
from framework.interchange.schema import CASE_FIELDS, FORMATS


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
    ``topic``: ``"classify"`` proposes a level-1 topic from title and body (framework.interchange.triage);
    ``datetime_formats``: strptime formats tried for a time the built-in spellings do not read.
    ``identity`` (the default mapping, or a mapping file without ``[fields]``): columns are named
    like the case fields, and any other column is refused (a misspelt ``catgory`` is not silently
    dropped) unless ``ignore_columns`` names it.
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
    datetime_formats: list[str] = attrs.Factory(list)
    identity: bool = False  # the default mapping: columns named like the case fields
    ignore_columns: list[str] = attrs.Factory(list)  # identity: columns that are not case fields, skipped


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
            close = difflib.get_close_matches(field, [c for c in cols if c], n=1)  # titel -> title
            hint = f"; did you mean to name {close[0]!r} {field}?" if close else ""
            raise CountyError(f"{source.path}: no column for {field} (columns: {show_columns(cols)}){hint}; "
                              f"give a --mapping, or --set {field}=VALUE")
        wanted = " or ".join(names)
        raise CountyError(f"{source.path}: no column for {field}: mapping {mapping.name} reads {wanted} "
                          f"(columns: {show_columns(cols)})")
    if mapping.identity:  # after the title: a file without one gets that error first
        unknown = [c for c in cols if c and c not in CASE_FIELDS and not c.startswith("extra.")
                   and c not in mapping.ignore_columns]
        if unknown:
            hints = [f"{c} (did you mean {m[0]}?)" if (m := difflib.get_close_matches(c, CASE_FIELDS, n=1)) else c
                     for c in unknown]
            raise CountyError(f"{source.path}: unknown column(s) {', '.join(hints)}; the columns are the case "
                              f"fields ({', '.join(CASE_FIELDS)}) and extra.KEY — rename them, or give a "
                              f"--mapping file whose [mapping] ignore_columns lists the ones to skip")
    if mapping.closed_column and mapping.closed_column not in have:
        raise CountyError(f"{source.path}: no column {mapping.closed_column} (mapping {mapping.name}, "
                          f"closed_column) (columns: {show_columns(cols)})")
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


def _check_time_format(fmt: str, where: str) -> None:
    """A mapping's ``datetime_formats`` entry must read a whole date: Python ``strptime``
    directives only, a year (``%Y``/``%y``: without one every row would land in 1900), a month
    and a day. CountyError naming the entry otherwise."""
    say = f"{where}: [mapping] datetime_formats: {fmt!r}"
    if "%" not in fmt:
        raise CountyError(f"{say} has no % directive (strptime formats: %Y year, %m month, %d day, %H:%M:%S …)")
    try:
        dt.datetime.strptime(dt.datetime(2019, 3, 8, 17, 52, 9).strftime(fmt), fmt)
    except ValueError as e:
        raise CountyError(f"{say}: {e}") from None
    for directive, what in (("Yy", "year"), ("mbB", "month"), ("dj", "day")):
        if not any(f"%{c}" in fmt for c in directive) and not (what != "year" and "%j" in fmt):
            raise CountyError(f"{say} reads no {what} (%{' %'.join(directive)}); every row would get a made-up one")


def mapping_from_dict(raw: dict, where: str) -> Mapping:
    """Validate a parsed mapping TOML. Raises CountyError naming ``where`` and the key."""
    known = {"mapping", "fields", "constants", "extra", "units"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise CountyError(f"{where}: unknown table [{unknown[0]}] (tables: {', '.join(sorted(known))})")
    m = dict(raw.get("mapping", {}) or {})
    head_keys = {"name", "description", "format", "method", "timezone", "source_prefix", "sheet", "header_row",
                 "closed_column", "closed_values", "topic", "ignore_columns", "datetime_formats"}
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
    ignore = m.get("ignore_columns", [])
    if not isinstance(ignore, list) or not all(isinstance(x, str) for x in ignore):
        raise CountyError(f"{where}: [mapping] ignore_columns: give a list of column names")
    formats = m.get("datetime_formats", [])
    if not isinstance(formats, list) or not all(isinstance(x, str) for x in formats):
        raise CountyError(f"{where}: [mapping] datetime_formats: give a list of strptime formats, "
                          f"e.g. [\"%m/%d/%Y %I:%M:%S %p\"]")
    for fmt in formats:
        _check_time_format(fmt, where)
    identity = "fields" not in raw
    if identity:  # columns named like the case fields, as without --mapping
        fields = {f: f for f in CASE_FIELDS}
    return Mapping(
        identity=identity, ignore_columns=list(ignore),
        name=str(m.get("name") or Path(where).stem), description=str(m.get("description", "")),
        format=m.get("format"), method=m.get("method"), timezone=m.get("timezone"),
        source_prefix=str(m.get("source_prefix", "")), sheet=m.get("sheet"), header_row=header_row,
        fields=dict(fields), constants=dict(constants), extra={str(k): v for k, v in extra.items()},
        closed_column=m.get("closed_column"), closed_values=[str(x) for x in m.get("closed_values", [])],
        units=UnitRule(u.get("column"), {str(k): str(v) for k, v in (u.get("map") or {}).items()},
                       u.get("spread"), u.get("default")),
        topic=m.get("topic"), path=where, datetime_formats=list(formats),
    )
