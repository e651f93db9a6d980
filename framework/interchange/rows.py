"""Preparing rows: one source :class:`~framework.interchange.readers.Record` through a
:class:`~framework.interchange.mappings.Mapping` into an :class:`ImportRow` (everything
``County.add_case`` needs, plus the historical resolution), or a :class:`RowError` naming the
field and the reason. Source times are read by :func:`parse_time`; the requester an Open311
request names by :func:`open311_requester`.

逐行准备：按映射把一条来源记录变成待导入的事项，或指出哪个字段为何不行。
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zlib
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from framework.errors import CountyError
from framework.interchange.mappings import Mapping
from framework.interchange.readers import Record
from framework.kernel.stages import check_requester
from framework.models import Requester


class RowError(Exception):
    """One refused row: ``field`` (case field or column) and ``reason`` (one line)."""

    def __init__(self, field: str | None, reason: str):
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}" if field else reason)


_TIME_RE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:[.,](\d+))?秒?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$")


_fromiso = dt.datetime.fromisoformat


def ambiguous(t: dt.datetime) -> bool:
    """True when ``t``'s wall time occurs twice in its zone (the hour repeated when daylight
    saving ends: 01:00–02:00 on 2010-11-07 in America/Los_Angeles)."""
    return t.tzinfo is not None and t.replace(fold=1 - t.fold).utcoffset() != t.utcoffset()


def in_order(created: dt.datetime, resolved: dt.datetime, where: str) -> dt.datetime:
    """The resolution of a row, checked against its arrival (issue 14, docs/importing.md).

    A wall time without an offset that is ambiguous (the repeated hour when daylight saving
    ends) is read as its first occurrence (``fold=0``, :func:`parse_time`) — unless that puts
    the resolution before the arrival and the second occurrence (``fold=1``) does not: then the
    second (created 01:30, updated 01:10 on 2010-11-07 America/Los_Angeles: 01:30 PDT, 01:10 PST,
    40 minutes later). Compared as instants (timestamps), never as wall times. Returns the
    resolution as read; raises :class:`RowError` (``where``) when it is before the arrival,
    naming the ambiguity when there was one."""
    if resolved.timestamp() >= created.timestamp():
        return resolved
    if ambiguous(resolved) and resolved.fold == 0:
        later = resolved.replace(fold=1)
        if later.timestamp() >= created.timestamp():
            return later
        raise RowError(where, f"{resolved.replace(tzinfo=None).isoformat()} is ambiguous in {resolved.tzinfo} (the hour "
                              f"repeated when daylight saving ends) and before the arrival {created.isoformat()} "
                              f"either way ({resolved.isoformat()} or {later.isoformat()})")
    return _before(created, resolved, where)


def _before(created: dt.datetime, resolved: dt.datetime, where: str):
    raise RowError(where, f"{resolved.isoformat()} is before the arrival {created.isoformat()}")


def parse_time(value: Any, tz: ZoneInfo, formats: tuple[str, ...] = ()) -> dt.datetime | None:
    """A source time as an aware datetime, or None for an empty cell.

    Accepts datetime (Excel cells; naive ones are ``tz``), date (00:00 local), and text:
    ``2019/4/25 9:32:09`` (unpadded), ``2019/4/25`` (00:00), ``2010-11-14 19:09:29.08``,
    ``2012-05-23T15:55:28-04:00``, ``2019年4月25日 9:32``; then each of ``formats`` (a
    mapping's ``datetime_formats``: :meth:`datetime.strptime` formats, e.g.
    ``%m/%d/%Y %I:%M:%S %p`` for NYC 311's ``03/08/2019 05:52:00 PM``). Raises ValueError with a
    one-line reason otherwise. A time without an offset is read in ``tz``; an ambiguous one (the hour
    repeated when daylight saving ends) is its first occurrence (``fold=0``; :func:`in_order`
    may take the second to keep a row's resolution after its arrival), a missing one (the hour
    skipped when it starts) is read with the offset before the change (zoneinfo's rule).
    """
    if value is None:
        return None
    if type(value) is str and len(value) == 25 and value[10] == "T" and value[19] in "+-" and value[22] == ":":
        # the shape ISO writers give (2025-01-01T07:04:48+08:00): read in C, the same instant and
        # offset as the pattern below gives; anything it does not read goes the long way
        try:
            return _fromiso(value)
        except ValueError:
            pass
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
                return naive.replace(tzinfo=dt.UTC)
            sign = 1 if off[0] == "+" else -1
            digits = off[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
            return naive.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes)))
        return naive.replace(tzinfo=tz)
    try:
        v = dt.datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
    except ValueError:
        for fmt in formats:
            try:
                v = dt.datetime.strptime(s, fmt)
                break
            except ValueError:
                continue
        else:
            tried = f"; nor of the mapping's datetime_formats {list(formats)}" if formats else ""
            raise ValueError(f"{s!r} is not a date/time (e.g. 2019/4/25 9:32:09 or 2019-04-25T09:32:09+08:00"
                             f"{tried})") from None
    return v if v.tzinfo else v.replace(tzinfo=tz)


# -- preparing rows -----------------------------------------------------------------------------------

#: What a refused time adds when the mapping gives no ``datetime_formats``.
_FORMATS_HINT = '; a mapping\'s datetime_formats reads other spellings, e.g. ["%m/%d/%Y %I:%M:%S %p"]'


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
    if type(v) is str:  # the common case first (a CSV's every cell): the same as str(v) below
        return v.strip() or None
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
        county.require_enabled(self.method)
        self.unit = unit
        if unit:
            county.unit(unit)
        self.tz = ZoneInfo(mapping.timezone) if mapping.timezone else county.calendar.tz
        self.formats = tuple(mapping.datetime_formats)
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
        self._where: dict[str, tuple[list[str] | None, Any]] = {}  # field -> (its columns, or None and its constant)
        self._single: dict[str, str] = {}  # field -> its one column (fields located so far)
        self._own_get = type(self).get is not RowContext.get  # a subclass's get() decides every field
        self._plan: tuple | None = None  # how texts() reads TEXT_FIELDS (made on first use)
        self._extra_cols: dict[tuple, list[str]] = {}  # a record's keys -> its extra.KEY columns
        self._codes: dict[str, str | None] = {}  # satisfaction text -> the method's level code

    def get(self, data: dict, field: str) -> tuple[Any, str | None]:
        """The value of case ``field`` in ``data`` and the column it came from: the first of
        the field's columns with text in it (its first column and None when none has), or the
        mapping's constant and None."""
        c = self._single.get(field)
        if c is not None:  # one column (the usual mapping): its value when it has text
            v = data.get(c)
            if type(v) is str:  # (_text's common case: text once stripped)
                return (v, c) if v.strip() else (None, c)
            return (v, c) if _text(v) is not None else (None, c)
        where = self._where.get(field) or self._locate(field)
        cols, const = where
        if cols is not None:
            for c in cols:
                v = data.get(c)
                if _text(v) is not None:
                    return v, c
            return None, cols[0]
        return const, None

    def text(self, data: dict, field: str) -> str | None:
        """``_text`` of :meth:`get`'s value: the field's text, stripped, or None. (Read
        directly unless a subclass has its own :meth:`get`: Open311's services fill fields.)"""
        if self._own_get:
            return _text(self.get(data, field)[0])
        c = self._single.get(field)
        if c is not None:  # one column (the usual mapping): its text
            return _text(data.get(c))
        where = self._where.get(field) or self._locate(field)
        cols, const = where
        if cols is None:
            return _text(const)
        for c in cols:
            t = _text(data.get(c))
            if t is not None:
                return t
        return None

    def texts(self, data: dict) -> dict[str, str | None]:
        """:meth:`text` of each of :data:`TEXT_FIELDS` in ``data``, in one pass: a field with one
        column reads it directly, a constant's text is worked out once (a subclass's own
        :meth:`get` is asked for each field, as :meth:`text` does)."""
        if self._own_get:
            return {f: _text(self.get(data, f)[0]) for f in TEXT_FIELDS}
        plan = self._plan
        if plan is None:
            singles, fixed, several = [], {}, []
            for f in TEXT_FIELDS:
                cols, const = self._where.get(f) or self._locate(f)
                if cols is None:
                    fixed[f] = _text(const)
                elif len(cols) == 1:
                    singles.append((f, cols[0]))
                else:
                    several.append(f)
            plan = self._plan = (singles, fixed, several)
        singles, fixed, several = plan
        get = data.get
        out = {f: (v.strip() or None) if type(v := get(c)) is str else _text(v) for f, c in singles}
        if fixed:
            out.update(fixed)
        for f in several:
            out[f] = self.text(data, f)
        return out

    def extra_columns(self, data: dict) -> list[str]:
        """The ``extra.KEY`` columns of ``data``, in its order (the identity mapping's method
        fields), worked out once per set of keys in one order."""
        keys = tuple(data)
        cols = self._extra_cols.get(keys)
        if cols is None:
            if len(self._extra_cols) >= 64:
                self._extra_cols.clear()
            cols = self._extra_cols[keys] = [k for k in keys if isinstance(k, str) and k.startswith("extra.")]
        return cols

    def level_code(self, satisfaction: str) -> str | None:
        """The code of ``satisfaction`` in the method's scale (``SatisfactionScale.code``: a
        code or its Chinese label), None when it is not one; remembered per text."""
        codes = self._codes
        if satisfaction in codes:
            return codes[satisfaction]
        code = self.county.require_method(self.method).satisfaction.code(satisfaction)
        if len(codes) < 256:
            codes[satisfaction] = code
        return code

    def _locate(self, field: str) -> tuple[list[str] | None, Any]:
        """Where ``field`` comes from, looked up in the mapping once per field, not once per row."""
        spec = self.mapping.fields.get(field)
        if spec is not None:
            where = ([spec] if isinstance(spec, str) else list(spec), None)
            if len(where[0]) == 1:
                self._single[field] = where[0][0]
        else:
            where = (None, self.mapping.constants.get(field))
        self._where[field] = where
        return where


#: The case fields :func:`prepare_row` reads as text (:meth:`RowContext.texts`).
TEXT_FIELDS = ("source_id", "title", "requester_anonymous", "satisfaction", "resolution_note", "channel", "category",
               "requester_name", "requester_phone", "requester_id_number", "requester_address")


def _col(rc: RowContext, data: dict, field: str) -> str:
    """``field (column C)`` for an error, naming the column the field's value came from."""
    _, c = rc.get(data, field)
    return f"{field} (column {c})" if c else field


def prepare_row(rec: Record, rc: RowContext) -> ImportRow:
    """Turn one :class:`Record` into an :class:`ImportRow`. Raises :class:`RowError`."""
    data = rec.data
    if "__error__" in data:
        raise RowError(None, data["__error__"])
    m = rc.mapping
    t = rc.texts(data)

    sid = t["source_id"]
    if sid is None:
        if isinstance(m.fields.get("source_id"), str) and m.fields["source_id"] != "source_id":
            raise RowError(_col(rc, data, "source_id"), "empty: every row needs its source id (re-imports are keyed by it)")
        # no id column: the row is keyed by a hash of its content, so a re-import still takes nothing twice
        digest = hashlib.sha1(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
        sid = "row:" + digest.hexdigest()[:16]
    title = t["title"]
    if not title:
        raise RowError(_col(rc, data, "title"), "empty: a case needs a title")
    title = " ".join(title.split())
    full_title = None
    if len(title) > 200:  # the kernel's limit: the whole text goes to the description, nothing is lost
        full_title, title = title, title[:199] + "…"
    created_v, _ = rc.get(data, "created_at")
    try:
        created = parse_time(created_v, rc.tz, rc.formats)
    except ValueError as e:
        raise RowError(_col(rc, data, "created_at"), str(e) + _FORMATS_HINT * (not rc.formats)) from None
    if created is None and ("created_at" in m.fields):
        raise RowError(_col(rc, data, "created_at"), "empty: the arrival time is needed for a historical import")
    resolved = None
    closed = True
    if m.closed_column:
        closed = _text(data.get(m.closed_column)) in set(m.closed_values)
    res_v, _ = rc.get(data, "resolved_at")
    if closed:
        try:
            resolved = parse_time(res_v, rc.tz, rc.formats)
        except ValueError as e:
            raise RowError(_col(rc, data, "resolved_at"), str(e) + _FORMATS_HINT * (not rc.formats)) from None
        if resolved is None and m.closed_column and "resolved_at" in m.fields:
            raise RowError(_col(rc, data, "resolved_at"), f"empty although {m.closed_column} says the case is closed")
    if resolved is not None and created is not None and resolved.timestamp() < created.timestamp():
        resolved = in_order(created, resolved, _col(rc, data, "resolved_at"))  # (a resolution after its arrival stands)
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
        raise RowError(_col(rc, data, "unit") if rc.get(data, "unit")[1] else "unit",
                       f"{unit!r} is not a known unit (see `county units list`)")

    anonymous = t["requester_anonymous"]
    satisfaction = t["satisfaction"]
    if satisfaction:  # a level (code or Chinese label) of the method's scale (MethodInfo.satisfaction, issue 18)
        code = rc.level_code(satisfaction)
        if code is None:
            scale = rc.county.require_method(rc.method).satisfaction
            levels = ", ".join(f"{c} {label}" for c, label in scale.levels)
            raise RowError(_col(rc, data, "satisfaction"), f"{satisfaction!r} is not a level of {rc.method} (use {levels})")
        satisfaction = code
    fields: dict[str, str] = {}
    for k, c in m.extra.items():
        v = _text(data.get(c))
        if v is not None:
            fields[k] = v
    for k, v in m.constants.items():
        if k.startswith("extra.") and k[6:] not in fields:
            fields[k[6:]] = str(v)
    if not m.extra and (m.identity or m.fields.get("title") == "title"):  # identity mapping: extra.KEY columns
        for k in rc.extra_columns(data):
            if (v := _text(data[k])) is not None:
                fields[k[6:]] = v
    description = rc.get(data, "description")[0]
    description = description.strip() if isinstance(description, str) else _text(description)
    if full_title:
        description = full_title + ("\n\n" + description if description else "")
    note = t["resolution_note"]
    o311 = open311_requester(data) if m.format == "open311" else {}
    row = ImportRow(
        line=rec.line, source_id=m.source_prefix + sid, method=rc.method, unit=unit, title=title,
        created_at=created, resolved_at=resolved, note=(note.strip() if note else None),
        channel=t["channel"], category=t["category"], description=description or None,
        requester=Requester(t["requester_name"] or o311.get("name"), t["requester_phone"] or o311.get("phone"),
                            t["requester_id_number"], t["requester_address"],
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
