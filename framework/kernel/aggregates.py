"""Aggregate reads of the read API (issue 13): ``ctx.cases.count(by=…)``,
``ctx.events.count(…)`` and ``ctx.milestones.count(…)`` count in SQL what a method would
otherwise read record by record only to count (a year's appraisal: a hundred thousand cases,
half a million events), with the same filters as the record reads, and return plain ints and
dicts keyed by values or tuples of values.

Grouping keys (``by``: one key as a string gives ``{value: n}``, a tuple of keys gives
``{(v1, v2, …): n}``; a value is None where the field is empty):

* of a case (:data:`CASE_KEYS`; for events and milestones prefixed ``case.``, e.g.
  ``case.origin_unit``): the case's columns, and ``extra.<field>`` (a field of ``Case.extra``);
* of an event (:data:`EVENT_KEYS`): ``type``, ``level``, ``unit``, ``actor``, ``case_id`` and
  ``data.<field>`` (a field of ``LoggedEvent.data``);
* of a milestone (:data:`MILESTONE_KEYS`): ``state``, ``level``, ``name``, ``action``,
  ``to_level``, ``anchor``, ``case_id``.

A JSON field (``extra.…``, ``data.…``) comes back as SQLite's ``json_extract`` gives it: text,
numbers, 1/0 for true/false, an object or list as its JSON text.

A count or read bounded by a ``created`` (else ``resolved``) period with both ends is kept in
the database once counted and read from there while none of its cases changes
(:mod:`framework.store.tallies`: a closed period's appraisal as fast as a count). Nothing else
is written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from framework.errors import CountyError
from framework.store.rows import placeholders
from framework.store.tallies import kept_rows

#: Case fields a count can be grouped by (``ctx.cases.count(by=…)``; ``case.<key>`` elsewhere).
CASE_KEYS = ("method", "unit", "origin_unit", "level", "resolved_level", "status", "handler", "category",
             "channel", "satisfaction", "priority", "joint_unit", "joint_handler", "lead_id")
#: Event fields ``ctx.events.count`` groups by (besides ``data.<field>`` and ``case.<key>``).
EVENT_KEYS = ("type", "level", "unit", "actor", "case_id")
#: Milestone fields ``ctx.milestones.count`` groups by (besides ``case.<key>``).
MILESTONE_KEYS = ("state", "level", "name", "action", "to_level", "anchor", "case_id")

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: At most this many events of the asked types (in the asked time) in the whole log: they drive
#: ``ctx.events.count`` rather than the filtered cases' events.
FEW_EVENTS = 20_000


def _json_field(col: str, field: str, where: str, key: str) -> str:
    if not _IDENT.fullmatch(field):
        raise CountyError(f"{where}: {key!r}: a JSON field name must be an identifier")
    return f"json_extract({col}, '$.{field}')"


def _keys(by: str | tuple[str, ...] | list[str] | None, where: str, own: dict[str, str],
          allowed: str, data: str | None = None) -> tuple[list[str], list[str]]:
    """``by`` as SQL expressions (over ``own``'s columns, the JSON column ``data`` and the case
    subquery ``c``), and the case columns the subquery must carry. CountyError for a bad key."""
    keys = [by] if isinstance(by, str) else list(by or ())
    exprs, case_cols = [], []
    for key in keys:
        if not isinstance(key, str):
            raise CountyError(f"{where}: cannot count by {key!r} (keys: {allowed})")
        if key in own:
            exprs.append(own[key])
            continue
        if key.startswith("data.") and data:
            exprs.append(_json_field(data, key[5:], where, key))
            continue
        case_key = key[5:] if key.startswith("case.") and own else (key if not own else None)
        if case_key in CASE_KEYS:
            exprs.append(f"c.{case_key}" if own else f"+c.{case_key}")
            case_cols.append(case_key)
        elif case_key is not None and case_key.startswith("extra."):
            exprs.append(_json_field("c.extra", case_key[6:], where, key))
            case_cols.append("extra")
        else:
            raise CountyError(f"{where}: cannot count by {key!r} (keys: {allowed})")
    return exprs, case_cols


def _runner(cases, filters: dict):
    """``run(sql, params) -> rows`` for a statement over the cases ``filters`` select: through the
    kept counts (:func:`framework.store.tallies.kept_rows`) when a ``created`` (else
    ``resolved``) period bounds them at both ends — the statement's rows then depend on those
    cases alone — and no ``due_before`` instant (the clock) is among the filters, else straight
    from SQLite."""
    store = cases._county.store
    if filters.get("due_before") is not None:  # the clock (ctx.now, mostly) is never kept
        return lambda sql, params: store.db.execute(sql, params).fetchall()
    for dim, key in (("c", "created"), ("r", "resolved")):
        value = filters.get(key)
        if value is not None:
            start, end = cases._bounds(value)
            if start is None or end is None:
                break
            span = (dim, start.timestamp(), end.timestamp())
            return lambda sql, params: kept_rows(store, sql, params, *span)
    return lambda sql, params: store.db.execute(sql, params).fetchall()


def _result(rows, by) -> int | dict[Any, int]:
    if by is None:
        return rows[0][0] if rows else 0
    if isinstance(by, str):
        return {r[0]: r[1] for r in rows}
    return {tuple(r[:-1]): r[-1] for r in rows}


#: The keys the (origin_unit, method, created_ts) index answers alone (:func:`_count_by_origin`).
_ORIGIN_INDEX_KEYS = ("origin_unit", "method")
#: Every origin unit the case table holds, by the (origin_unit, …) index: one seek a unit (a
#: "loose index scan"), not a step per case.
_ORIGINS = ("with recursive o(code) as (select (select min(origin_unit) from cases) union all "
            "select (select min(origin_unit) from cases where origin_unit > code) from o where code is not null)")


def _count_by_origin(cases, by, filters: dict, exprs: list[str]) -> int | dict[Any, int] | None:
    """A count over one or more methods' cases created in a period, grouped by nothing, the
    origin unit and/or the method, answered by the (origin_unit, method, created_ts) index
    alone: each origin unit the table holds (:data:`_ORIGINS`) sought with the methods and the
    period, its index entries counted without reading a case row — a method's share of the
    period's cases costs that share, not a read of every case of the period. The cases without
    an origin unit are counted by the same index. None when the count is not of that form
    (other filters, other keys, no method or no created period)."""
    keys = [by] if isinstance(by, str) else list(by or ())
    if (set(filters) - {"method", "created"} or filters.get("method") is None or filters.get("created") is None
            or any(k not in _ORIGIN_INDEX_KEYS for k in keys)):
        return None
    where, params = cases._where(**filters)  # plain columns: the index's own
    cond = " and ".join(f"({w})" for w in where)
    cols = ", ".join([*(f"c.{k}" for k in keys), "count(*)"])
    group = (" group by " + ", ".join(str(i + 1) for i in range(len(keys)))) if keys else ""
    run = _runner(cases, filters)
    rows = run(f"{_ORIGINS} select {cols} from o cross join cases c on c.origin_unit = o.code "
               f"where o.code is not null and {cond}{group}", params)
    rows += run(f"select {cols} from cases c where c.origin_unit is null and {cond}{group}", params)
    if not keys:
        return sum(r[0] for r in rows)
    out: dict[Any, int] = {}
    for r in rows:
        key = r[0] if isinstance(by, str) else tuple(r[:-1])
        if r[-1]:
            out[key] = out.get(key, 0) + r[-1]
    return out


def count_cases(cases, by, filters: dict) -> int | dict[Any, int]:
    """``ctx.cases.count``: see :meth:`framework.kernel.queries.CaseQuery.count`."""
    allowed = " ".join(CASE_KEYS) + " extra.<field>"
    exprs, _ = _keys(by, "ctx.cases.count", {}, allowed)
    by_origin = _count_by_origin(cases, by, filters, exprs)
    if by_origin is not None:
        return by_origin
    where, params = cases._where(**filters, _period_first=True)
    sql = (f"select {', '.join(exprs + ['count(*)'])} from cases c"
           + (" where " + " and ".join(where) if where else ""))
    if exprs:
        sql += " group by " + ", ".join(str(i + 1) for i in range(len(exprs)))
    return _result(_runner(cases, filters)(sql, params), by)


def _from_cases(cases, filters: dict, case_cols: list[str], table: str, alias: str,
                rows_first: bool = False) -> tuple[str, list[Any]]:
    """The FROM clause joining the matching cases (subquery ``c``) to ``table``'s rows, driven
    from the cases when any filter is given (the cost follows the filtered cases, through the
    table's ``case_id`` index) — or, ``rows_first``, from ``table``'s rows, each case looked up
    by id —, else from ``table`` alone (every case of every method)."""
    where, params = cases._where(**filters, _period_first=True)
    # "+col": a grouping column must not tempt SQLite into scanning an index in its order
    cols = ", ".join(["id as cid", *(f"+{col} as {col}" for col in dict.fromkeys(case_cols))])
    if where and rows_first:
        return (f"{table} {alias} cross join (select {cols} from cases where {' and '.join(where)}) c "
                f"on c.cid = {alias}.case_id"), params
    if where:
        return (f"(select {cols} from cases where {' and '.join(where)}) c "
                f"cross join {table} {alias} on {alias}.case_id = c.cid"), params
    if case_cols:
        return f"{table} {alias} join (select {cols} from cases) c on c.cid = {alias}.case_id", []
    return f"{table} {alias}", []


def _any_of(col: str, values, conds: list[str], params: list[Any]) -> None:
    if values is None:
        return
    values = [values] if isinstance(values, str) else list(values)
    conds.append(f"{col} in ({placeholders(values)})" if values else "0")
    params.extend(values)


def count_events(events, types=None, *, by=None, at=None, level=None, unit=None, latest: bool = False,
                 distinct_cases: bool = False, **case_filters) -> int | dict[Any, int]:
    """``ctx.events.count``: see :meth:`framework.kernel.queries.EventQuery.count`."""
    cases = events._cases
    allowed = (" ".join(EVENT_KEYS) + " data.<field> " + " ".join(f"case.{k}" for k in CASE_KEYS)
               + " case.extra.<field>")
    own = {k: f"e.{k}" for k in EVENT_KEYS}
    exprs, case_cols = _keys(by, "ctx.events.count", own, allowed, data="e.data")
    at_conds: list[str] = []
    at_params: list[Any] = []
    if at is not None:
        start, end = cases._bounds(at)
        day = dt.timedelta(days=1)  # stored texts carry their offset: widen for the index, compare instants
        if start is not None:
            at_conds.append("e.at >= ? and julianday(e.at) >= julianday(?)")
            at_params += [(start - day).isoformat(), start.isoformat()]
        if end is not None:
            at_conds.append("e.at < ? and julianday(e.at) < julianday(?)")
            at_params += [(end + day).isoformat(), end.isoformat()]
    db = cases._county.store.db
    rows_first = False
    if types is not None and case_filters:
        # With case filters the cases drive and their events come by (case_id, id), the cost
        # following the cases' events — unless the (type, at) index holds few events of these
        # types in all (a type the method rarely writes, e.g. a callback): then those drive,
        # each case looked up by id. The same rows either way.
        tconds: list[str] = []
        tparams: list[Any] = []
        _any_of("e.type", types, tconds, tparams)
        few = db.execute(f"select count(*) from (select 1 from events e where {' and '.join(tconds + at_conds)} "
                         f"limit {FEW_EVENTS + 1})", tparams + at_params).fetchone()[0]
        if few == 0:
            return {} if by is not None else 0
        rows_first = few <= FEW_EVENTS
    source, params = _from_cases(cases, case_filters, case_cols, "events", "e", rows_first=rows_first)
    conds: list[str] = []
    # driven from the cases, "+" keeps SQLite off the (type, at) index (the type over all history)
    _any_of("+e.type" if case_filters and not rows_first else "e.type", types, conds, params)
    # driven from the cases, several levels: "+" has each case's (case_id, level) index entries
    # stepped through once rather than sought once per level (the same rows, fewer seeks)
    several = level is not None and not isinstance(level, str) and len(level) > 1
    _any_of("+e.level" if case_filters and not rows_first and several else "e.level", level, conds, params)
    _any_of("e.unit", unit, conds, params)
    conds += at_conds
    params += at_params
    where = (" where " + " and ".join(conds)) if conds else ""
    n = "count(distinct e.case_id)" if distinct_cases else "count(*)"
    if latest:  # each case's latest matching event: SQLite takes the bare columns from the max(id) row
        cols = [f"{x} as k{i}" for i, x in enumerate(exprs)]
        inner = f"select {', '.join(cols + ['e.case_id as case_id', 'max(e.id)'])} from {source}{where} group by e.case_id"
        keys = [f"k{i}" for i in range(len(exprs))]
        n = "count(distinct case_id)" if distinct_cases else "count(*)"
        sql = f"select {', '.join(keys + [n])} from ({inner})"
        if keys:
            sql += " group by " + ", ".join(keys)
    else:
        sql = f"select {', '.join(exprs + [n])} from {source}{where}"
        if exprs:
            sql += " group by " + ", ".join(str(i + 1) for i in range(len(exprs)))
    return _result(_runner(cases, case_filters)(sql, params), by)


def count_milestones(milestones, cases, *, by=None, state=None, level=None, name=None, primary: bool | None = None,
                     **case_filters) -> int | dict[Any, int]:
    """``ctx.milestones.count``: see :meth:`framework.kernel.queries.MilestoneQuery.count`."""
    allowed = " ".join(MILESTONE_KEYS) + " " + " ".join(f"case.{k}" for k in CASE_KEYS) + " case.extra.<field>"
    own = {k: f"m.{k}" for k in MILESTONE_KEYS}
    exprs, case_cols = _keys(by, "ctx.milestones.count", own, allowed)
    source, params = _from_cases(cases, case_filters, case_cols, "milestones", "m")
    conds: list[str] = []
    # with case filters, "+" keeps SQLite on the (case_id, state) index, off (state, due_ts) over all history
    _any_of("+m.state" if case_filters else "m.state", state, conds, params)
    _any_of("m.level", level, conds, params)
    _any_of("m.name", name, conds, params)
    if primary is not None:
        conds.append("m.is_primary = ?")
        params.append(1 if primary else 0)
    sql = f"select {', '.join(exprs + ['count(*)'])} from {source}" + (" where " + " and ".join(conds) if conds else "")
    if exprs:
        sql += " group by " + ", ".join(str(i + 1) for i in range(len(exprs)))
    return _result(_runner(cases, case_filters)(sql, params), by)


#: Instants :func:`case_values` returns as aware datetimes (as ``Case`` has them).
CASE_INSTANTS = ("created_at", "tier_arrived_at", "due_at", "resolved_at")
#: The instants :func:`case_values` also gives as POSIX seconds (float, None when unset): compared
#: as they are, with nothing parsed (a year's cards: 36 k instants, ~20 ms of parsing).
CASE_SECONDS = ("created_ts", "due_ts", "resolved_ts")
#: Fields :func:`case_values` reads (besides ``extra.<field>``).
VALUE_FIELDS = ("id", "title", *CASE_KEYS, *CASE_INSTANTS, *CASE_SECONDS)


def case_values(cases, fields: tuple[str, ...], order: str, filters: dict) -> list[tuple]:
    """``ctx.cases.values``: see :meth:`framework.kernel.queries.CaseQuery.values`."""
    if not fields:
        raise CountyError("ctx.cases.values: name at least one field")
    exprs, parse = [], []
    for f in fields:
        if not isinstance(f, str):
            raise CountyError(f"ctx.cases.values: no field {f!r} (fields: {' '.join(VALUE_FIELDS)} extra.<field>)")
        if f in VALUE_FIELDS:
            exprs.append(f)
        elif f.startswith("extra."):
            exprs.append(_json_field("extra", f[6:], "ctx.cases.values", f))
        else:
            raise CountyError(f"ctx.cases.values: no field {f!r} (fields: {' '.join(VALUE_FIELDS)} extra.<field>)")
        parse.append(f in CASE_INSTANTS)
    orders = {"seq": "seq", "created": "created_ts, seq", "resolved": "resolved_ts, seq", "due": "due_ts, seq"}
    if order not in orders:
        raise CountyError(f"ctx.cases.values: order {order!r} is not seq, created, resolved or due")
    where, params = cases._where(**filters, _period_first=True)
    sql = (f"select {', '.join(exprs)} from cases" + (" where " + " and ".join(where) if where else "")
           + f" order by {orders[order]}")
    rows = _runner(cases, filters)(sql, params)
    if not rows or not any(parse):
        return rows
    # the instants as a Case has them (row_to_case: aware datetime, or None), converted a column
    # at a time (the rows transposed and back: no Python step per row and field)
    iso = dt.datetime.fromisoformat
    columns = list(zip(*rows))
    for i, p in enumerate(parse):
        if p:
            columns[i] = [iso(x) if x else None for x in columns[i]]
    return list(zip(*columns))
