"""The read API on the kernel's tables: ``ctx.cases`` (:class:`CaseQuery`), ``ctx.events``
(:class:`EventQuery`), ``ctx.milestones`` (:class:`MilestoneQuery`), and the records they return.

All reads return records (:class:`~framework.models.Case`, :class:`LoggedEvent`,
:class:`MilestoneRecord`), never rows of the kernel's schema, so the schema can change freely.
Long id lists are read in chunks under SQLite's variable limit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from framework.errors import CountyError
from framework.models import OPEN_STATUSES, Case
from framework.kernel.aggregates import case_values, count_cases, count_events, count_milestones
from framework.store.rows import placeholders, row_to_case

# ``county`` parameters below are the County facade (framework.kernel.county), handed in by it;
# it is not imported here, so the kernel's modules form no import cycle.


#: Tables the kernel owns. Plugins read them through ``ctx.cases`` / ``ctx.events`` /
#: ``ctx.milestones`` / ``ctx.units`` / ``ctx.people`` and write them through ``ctx.actions``.
KERNEL_TABLES = ("cases", "events", "milestones", "units", "people", "meta", "_sqlite_migrations", "signoffs",
                 "attachments")
_KERNEL_SQL = re.compile(
    r"\b(?:from|join|into|update|table|exists)\s+[\"'`\[]?(" + "|".join(KERNEL_TABLES) + r")\b",
    re.IGNORECASE)
#: Ids per ``in (…)`` list: below SQLite's default limit of 999 variables.
CHUNK = 900

_SQL_VERB = re.compile(r"\b(select|insert|update|delete|replace|create|drop|alter|with)\b", re.IGNORECASE)


def names_kernel_table(sql: str) -> str | None:
    """The kernel table a SQL text reads or writes (``select … from cases``, ``join events``,
    ``update milestones`` …), or None; text without an SQL verb is not SQL. Used by
    :class:`PluginTables` and by the checks that scan plugins' source."""
    if not _SQL_VERB.search(sql):
        return None
    m = _KERNEL_SQL.search(sql)
    return m.group(1).lower() if m else None


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """``items`` in lists of at most ``size`` (default 900: under SQLite's variable limit)."""
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


# -- records ------------------------------------------------------------------------------


@attrs.frozen
class LoggedEvent:
    """One event of a case's log as ``ctx.events`` returns it.

    ``seq``: its place in the whole log (ascending = the order it was appended); ``at``: aware
    datetime, deployment-local; ``level``/``unit``: the case's tier and unit when it happened;
    ``data``: the event's JSON data (dict).
    """

    case_id: str
    seq: int
    at: dt.datetime
    type: str
    actor: str
    level: str | None = None
    unit: str | None = None
    note: str | None = None
    data: dict[str, Any] = attrs.Factory(dict)


@attrs.frozen
class MilestoneRecord:
    """One due instant a case met at a tier, as ``ctx.milestones`` returns it.

    ``state``: ``pending`` / ``met`` / ``missed``; ``closed_at``: when it stopped being pending
    (aware datetime) or None; ``action``: ``escalate`` / ``flag`` / ``none``; ``anchor``:
    ``arrival`` or ``before`` (:class:`~framework.models.Milestone`).
    """

    case_id: str
    level: str | None
    name: str
    due_at: dt.datetime
    action: str
    state: str
    primary: bool = False
    to_level: str | None = None
    closed_at: dt.datetime | None = None
    note: str | None = None
    anchor: str = "arrival"


def _t(v: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(v) if v else None


def _as_list(v: str | Iterable[str] | None) -> list[str] | None:
    if v is None:
        return None
    return [v] if isinstance(v, str) else list(v)


# -- the read API -------------------------------------------------------------------------


#: The filters of :class:`CaseQuery` (and of ``ctx.events.find``'s case filters).
FILTERS = ("method", "ids", "unit", "origin", "holder", "origin_unit", "current_unit", "handler", "status", "open",
           "created", "resolved", "active", "due", "due_before", "extra", "level", "category", "channel", "lead",
           "handling_unit")


class CaseQuery:
    """``ctx.cases``: find, get and count cases (records of :class:`~framework.models.Case`).

    Filters shared by :meth:`find`, :meth:`ids` and :meth:`count` (all optional, combined with
    *and*; a list means *any of*):

    * ``method``: method name(s) that took the case in;
    * ``unit``: a unit code; cases taken in **or** held now anywhere in its subtree;
      ``origin``: taken in within that subtree; ``holder``: held now within that subtree;
    * ``handler``: person id(s); ``status``: status(es); ``open``: True = open statuses
      (registered/assigned/in_progress), False = done;
    * ``created`` / ``resolved``: a period string (``2026-11-05``, ``2026-11``, ``2026Q4``,
      ``2026``; deployment-local) or a ``(start, end)`` pair of aware datetimes, end exclusive,
      either side None for open-ended; ``active``: a period in which the case was created or
      resolved (what boards show);
    * ``due``: a period or pair in which the primary due instant falls (any status);
      ``due_before``: open and due before this aware datetime (overdue at that instant);
    * ``ids``: case id(s); ``origin_unit`` / ``current_unit``: exactly these unit code(s) (no
      subtree); ``category`` / ``channel``: code(s);
    * ``extra``: ``{field: value}`` equality on the case's ``extra`` fields (value None = absent);
    * ``level``: current tier name(s);
    * ``lead``: lead case id(s): the cases linked to it (``Case.lead_id``);
    * ``handling_unit``: a unit code; cases held now (``unit``) or handled jointly
      (``joint_unit``) anywhere in its subtree ("the cases this unit handles, lead or joint").

    Periods take every form of :func:`framework.timerules.period_dates` (``2026H2`` too).
    Raises NotFound for an unknown unit, CountyError for a bad period or filter.
    """

    def __init__(self, county: Any):
        self._county = county

    # filters -> SQL
    def _where(self, method=None, unit=None, origin=None, holder=None, handler=None, status=None,
               open=None, created=None, resolved=None, active=None, due=None, due_before=None, extra=None,
               level=None, ids=None, origin_unit=None, current_unit=None, category=None, channel=None,
               lead=None, handling_unit=None, _period_first: bool = False,
               **unknown) -> tuple[list[str], list[Any]]:
        # _period_first (the aggregate reads): with a ``created`` period, "+col" keeps SQLite off the
        # other columns' indexes ((status, due_ts), (origin_unit, method, created_ts) …, read over all
        # history) so that the period's cases drive by the created_ts index
        if unknown:
            raise CountyError(f"ctx.cases: no filter {sorted(unknown)[0]!r} (filters: {', '.join(FILTERS)})")
        c = self._county
        where: list[str] = []
        params: list[Any] = []

        # (with only a ``resolved`` period, the period's cases come from the (resolved_ts, method)
        # index, migration m007)
        by_resolution = _period_first and created is None and resolved is not None
        plus = "+" if _period_first and (created is not None or by_resolution) else ""

        def any_of(col: str, values, hint: bool = False) -> None:
            # "+" (no index, and no column affinity: kept to the kernel's own codes) only where a
            # (status, …) or (origin_unit, method, …) index could lure SQLite over all history
            col = (plus if hint else "") + col
            values = _as_list(values)
            if values is not None:
                where.append(f"{col} in ({placeholders(values)})" if values else "0")
                params.extend(values)

        def subtree(cols: tuple[str, ...], code: str) -> None:
            codes = c.subtree(c.unit(code).code)
            where.append("(" + " or ".join(f"{plus}{col} in ({placeholders(codes)})" for col in cols) + ")")
            params.extend(codes * len(cols))

        def period(cols: tuple[str, ...], value) -> None:
            start, end = self._bounds(value)
            parts = []
            for col in cols:
                # open start: "> -inf" rather than "is not null" (the same rows), a range SQLite
                # reads by index, so an open-ended period ordered by creation stops at its first rows
                cond = [f"{col} >= ?" if start is not None else f"{col} > ?"]
                params.append(start.timestamp() if start is not None else float("-inf"))
                if end is not None:
                    cond.append(f"{col} < ?")
                    params.append(end.timestamp())
                parts.append("(" + " and ".join(cond) + ")")
            where.append("(" + " or ".join(parts) + ")")

        any_of("method", method, hint=True)
        any_of("id", ids)
        any_of("origin_unit", origin_unit, hint=True)
        any_of("unit", current_unit, hint=True)
        any_of("category", category)
        any_of("channel", channel)
        if unit:
            subtree(("origin_unit", "unit"), unit)
        if origin:
            subtree(("origin_unit",), origin)
        if holder:
            subtree(("unit",), holder)
        if handling_unit:
            subtree(("unit", "joint_unit"), handling_unit)
        any_of("lead_id", lead)
        any_of("handler", handler)
        any_of("status", status, hint=True)
        any_of("level", level)
        if open is not None:
            where.append(f"{plus}status {'in' if open else 'not in'} ({placeholders(OPEN_STATUSES)})")
            params.extend(OPEN_STATUSES)
        if created is not None:
            period(("created_ts",), created)
        if resolved is not None:
            period(("resolved_ts",), resolved)
        if active is not None:
            period(("created_ts", "resolved_ts"), active)
        if due is not None:
            period(("due_ts",), due)
        if due_before is not None:
            where.append(f"status in ({placeholders(OPEN_STATUSES)}) and due_ts < ?")
            params.extend([*OPEN_STATUSES, c.calendar.local(due_before).timestamp()])
        for key, value in (extra or {}).items():
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                raise CountyError(f"ctx.cases: extra field name {key!r} must be an identifier")
            if value is None:
                where.append(f"json_extract(extra, '$.{key}') is null")
            else:
                where.append(f"json_extract(extra, '$.{key}') = ?")
                params.append(json.dumps(value) if isinstance(value, (dict, list)) else
                              (int(value) if isinstance(value, bool) else value))
        return where, params

    def _bounds(self, value) -> tuple[dt.datetime | None, dt.datetime | None]:
        if isinstance(value, str):
            try:
                return self._county.calendar.period_bounds(value)
            except CountyError as e:
                raise CountyError(f"ctx.cases: bad period {value!r} (use 2026-11-05, 2026-11, 2026Q4, 2026H2 or 2026, "
                                  f"or a (start, end) pair of aware datetimes)") from e
        try:
            start, end = value
        except (TypeError, ValueError):
            raise CountyError(f"ctx.cases: a period is a string like 2026-11 or a (start, end) pair, not {value!r}") from None
        cal = self._county.calendar
        return (cal.local(start) if start else None, cal.local(end) if end else None)

    def _select(self, cols: str, filters: dict, order: str = "seq", limit: int | None = None) -> list[dict]:
        where, params = self._where(**filters)
        sql = f"select {cols} from cases" + (" where " + " and ".join(where) if where else "")
        if order:
            sql += {"seq": " order by seq", "created": " order by created_ts, seq",
                    "resolved": " order by resolved_ts, seq", "due": " order by due_ts, seq"}[order]
        if limit is not None:
            sql += f" limit {int(limit)}"
        return self._county.store.query(sql, params)

    def find(self, *, order: str = "seq", limit: int | None = None, **filters) -> list[Case]:
        """Cases matching ``filters`` (see the class), without their events.

        ``order``: ``seq`` (intake order, default), ``created``, ``resolved`` or ``due``;
        ``limit``: at most this many. Returns a list of :class:`Case`."""
        if order not in ("seq", "created", "resolved", "due"):
            raise CountyError(f"ctx.cases.find: order {order!r} is not seq, created, resolved or due")
        return [row_to_case(r) for r in self._select("*", filters, order, limit)]

    def ids(self, **filters) -> list[str]:
        """The ids of the cases :meth:`find` would return, in intake order."""
        return [r["id"] for r in self._select("id", filters)]

    def count(self, by: str | tuple[str, ...] | None = None, **filters) -> int | dict[Any, int]:
        """How many cases match ``filters``, counted in SQL. ``by``: None gives an ``int``; one
        key (``method``, ``unit``, ``origin_unit``, ``level``, ``resolved_level``, ``status``,
        ``handler``, ``category``, ``channel``, ``satisfaction``, ``priority``, ``joint_unit``,
        ``joint_handler``, ``lead_id``, or ``extra.<field>``) gives ``{value: count}``; a tuple
        of keys gives ``{(value, …): count}`` (e.g. ``by=("origin_unit", "status")``). Groups
        without cases are absent. CountyError for a bad key or filter
        (:mod:`framework.kernel.aggregates`)."""
        return count_cases(self, by, filters)

    def values(self, *fields: str, order: str = "seq", **filters) -> list[tuple]:
        """The ``fields`` of the cases matching ``filters``, one tuple a case (in ``fields``'
        order), ordered as :meth:`find` (``seq``, ``created``, ``resolved``, ``due``): the lean
        read for a method that needs a few fields of many cases (an appraisal), without building
        a :class:`Case` each. Fields: ``id``, ``title``, the keys of :meth:`count`
        (``handler``, ``status`` …), the instants ``created_at``, ``tier_arrived_at``,
        ``due_at``, ``resolved_at`` (aware datetimes, as on a Case), the same instants as POSIX
        seconds ``created_ts``, ``due_ts``, ``resolved_ts`` (float, None when unset: compared
        without parsing — many cases' instants cost more to parse than to read) and
        ``extra.<field>`` (as ``json_extract`` gives it: text, numbers, 1/0 for true/false). CountyError for an
        unknown field, order or filter (:mod:`framework.kernel.aggregates`)."""
        return case_values(self, fields, order, filters)

    def get(self, case_id: str, *, events: bool = True) -> Case:
        """One case by id, with its events (``events=False``: without). NotFound when unknown."""
        return self._county.get_case(case_id) if events else self._county._load(case_id)

    def get_many(self, case_ids: Iterable[str]) -> dict[str, Case]:
        """``{id: Case}`` (without events) for the ids that exist; unknown ids are left out."""
        out: dict[str, Case] = {}
        for chunk in chunks(dict.fromkeys(case_ids)):
            for r in self._county.store.query(f"select * from cases where id in ({placeholders(chunk)})", chunk):
                out[r["id"]] = row_to_case(r)
        return out


class EventQuery:
    """``ctx.events``: the appended event log (records of :class:`LoggedEvent`, in log order)."""

    def __init__(self, county: Any, cases: CaseQuery):
        self._county = county
        self._cases = cases

    def _rows(self, where: str, params: list[Any]) -> list[LoggedEvent]:
        # the cursor's tuples (no dict per row), and no JSON parse for the many events without data
        cur = self._county.store.db.execute(
            f"select case_id, id, at, type, actor, level, unit, note, data from events where {where} order by id", params)
        iso, loads = dt.datetime.fromisoformat, json.loads
        return [LoggedEvent(case_id, seq, iso(at), type_, actor, level, unit, note,
                            loads(data) if data and data != "{}" else {})
                for case_id, seq, at, type_, actor, level, unit, note, data in cur]

    def of(self, case_ids: str | Iterable[str], types: str | Iterable[str] | None = None) -> list[LoggedEvent]:
        """The events of ``case_ids`` (one id or many), optionally only of ``types``, in the
        order they were appended."""
        ids = _as_list(case_ids) or []
        types = _as_list(types)
        out: list[LoggedEvent] = []
        for chunk in chunks(dict.fromkeys(ids)):
            where, params = f"case_id in ({placeholders(chunk)})", list(chunk)
            if types is not None:  # "+type": read by the (case_id, id) index, never by type over all history
                where += f" and +type in ({placeholders(types)})"
                params += types
            out.extend(self._rows(where, params))
        out.sort(key=lambda e: e.seq)
        return out

    def latest(self, case_ids: str | Iterable[str], type: str) -> dict[str, LoggedEvent]:
        """``{case_id: its latest event of type}`` for the cases that have one."""
        out: dict[str, LoggedEvent] = {}
        for e in self.of(case_ids, type):
            out[e.case_id] = e
        return out

    def exists(self, case_id: str, type: str) -> bool:
        """Whether case ``case_id`` has at least one event of ``type``."""
        return self._county.store.db.execute(
            "select 1 from events where case_id = ? and +type = ? limit 1", [case_id, type]).fetchone() is not None

    def find(self, types: str | Iterable[str], *, at=None, **case_filters) -> list[LoggedEvent]:
        """Events of ``types`` that happened in ``at`` (a period string or ``(start, end)``
        pair, as :class:`CaseQuery`'s ``created``) on the cases matching ``case_filters``
        (the :class:`CaseQuery` filters), in log order. Read by the (type, time) index, so the
        cost follows the period's events, not the whole history."""
        types = _as_list(types) or []
        where, params = [f"type in ({placeholders(types)})"], list(types)
        if at is not None:
            start, end = self._cases._bounds(at)
            day = dt.timedelta(days=1)  # stored texts carry their offset: widen for the index, then compare instants
            if start is not None:
                where.append("at >= ? and julianday(at) >= julianday(?)")
                params += [(start - day).isoformat(), start.isoformat()]
            if end is not None:
                where.append("at < ? and julianday(at) < julianday(?)")
                params += [(end + day).isoformat(), end.isoformat()]
        if case_filters:
            cw, cp = self._cases._where(**case_filters)
            where.append("case_id in (select id from cases" + (" where " + " and ".join(cw) if cw else "") + ")")
            params += cp
        return self._rows(" and ".join(where), params)

    def count(self, types: str | Iterable[str] | None = None, *, by=None, at=None, level=None, unit=None,
              latest: bool = False, distinct_cases: bool = False, **case_filters) -> int | dict[Any, int]:
        """How many events of ``types`` (one or several; None: any), at tier(s) ``level``, by
        unit(s) ``unit``, that happened in ``at`` (as :meth:`find`), on the cases matching
        ``case_filters`` (the :class:`CaseQuery` filters; none: every case of every method),
        counted in SQL. ``latest=True``: only each case's latest such event (by log order);
        ``distinct_cases=True``: count cases, not events. ``by``: None gives an ``int``; a key
        (``type``, ``level``, ``unit``, ``actor``, ``case_id``, ``data.<field>``, or a case
        key prefixed ``case.``: ``case.origin_unit``, ``case.extra.<field>`` …) gives
        ``{value: count}``; a tuple of keys ``{(value, …): count}``. With case filters the
        cost follows the matching cases' events. CountyError for a bad key, period or filter
        (:mod:`framework.kernel.aggregates`)."""
        return count_events(self, types, by=by, at=at, level=level, unit=unit, latest=latest,
                            distinct_cases=distinct_cases, **case_filters)


class MilestoneQuery:
    """``ctx.milestones``: every due instant of every tier a case visited (records of
    :class:`MilestoneRecord`, in the order they were set)."""

    def __init__(self, county: Any):
        self._county = county

    def of(self, case_ids: str | Iterable[str], *, state: str | Iterable[str] | None = None,
           level: str | None = None, name: str | Iterable[str] | None = None) -> list[MilestoneRecord]:
        """The milestones of ``case_ids``, optionally only in ``state`` (``pending`` / ``met`` /
        ``missed``), of tier ``level``, or named ``name`` (one or several)."""
        names = _as_list(name)
        states = _as_list(state)
        out = []
        for chunk in chunks(dict.fromkeys(_as_list(case_ids) or [])):
            where, params = f"case_id in ({placeholders(chunk)})", list(chunk)
            if states is not None:
                where += f" and state in ({placeholders(states)})"
                params += states
            if level is not None:
                where += " and level = ?"
                params.append(level)
            if names is not None:
                where += f" and name in ({placeholders(names)})"
                params += names
            for r in self._county.store.query(f"select * from milestones where {where} order by id", params):
                out.append(MilestoneRecord(r["case_id"], r["level"], r["name"], _t(r["due_at"]), r["action"],
                                           r["state"], bool(r["is_primary"]), r["to_level"], _t(r["closed_at"]),
                                           r["note"], r.get("anchor") or "arrival"))
        return out

    def count(self, *, by=None, state=None, level=None, name=None, primary: bool | None = None,
              **case_filters) -> int | dict[Any, int]:
        """How many milestones in ``state`` (``pending`` / ``met`` / ``missed``, one or
        several), of tier(s) ``level``, named ``name`` (one or several), primary or not
        (``primary``), on the cases matching ``case_filters`` (the :class:`CaseQuery` filters;
        none: every case), counted in SQL: a met/missed tally by unit is
        ``count(by=("case.origin_unit", "state"), state=("met", "missed"), …)``. ``by``: None
        gives an ``int``; a key (``state``, ``level``, ``name``, ``action``, ``to_level``,
        ``anchor``, ``case_id``, or a case key prefixed ``case.``) ``{value: count}``; a tuple
        of keys ``{(value, …): count}``. CountyError for a bad key or filter
        (:mod:`framework.kernel.aggregates`)."""
        return count_milestones(self, CaseQuery(self._county), by=by, state=state, level=level, name=name,
                                primary=primary, **case_filters)
