"""What the hooks of a bulk intake (:mod:`framework.kernel.bulk`) get as ``ctx``: a
:class:`~framework.kernel.context.MethodContext` made once per method and batch, whose reads of
the kernel's tables first write the batch (and the case being taken in, as ``add_case`` would
have stored it), whose writes first give the case its savepoint, and whose ``people.find`` goes
through an index by unit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from framework.errors import CountyError
from framework.kernel.context import MethodContext, People, PluginTables
from framework.kernel.notes import channel_note

# ``bulk`` parameters below are the BulkIntake (framework.kernel.bulk) that made the context;
# it is not imported here, so the two modules form no import cycle.


class Reads:
    """``ctx.cases`` / ``ctx.events`` / ``ctx.milestones``: the batch is written before any use."""

    __slots__ = ("_inner", "_bulk")

    def __init__(self, inner: Any, bulk: Any):
        self._inner, self._bulk = inner, bulk

    def __getattr__(self, name: str) -> Any:
        self._bulk._before_read()
        return getattr(self._inner, name)


class Acts:
    """``ctx.actions``: the batch is written and the case gets its savepoint before any write."""

    __slots__ = ("_inner", "_bulk")

    def __init__(self, inner: Any, bulk: Any):
        self._inner, self._bulk = inner, bulk

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr
        bulk = self._bulk

        def act(*args, **kwargs):
            bulk._before_write()
            bulk.actions += 1
            try:
                return attr(*args, **kwargs)
            finally:
                bulk._seq = None  # it may have added cases
                bulk.pending_due = None

        return act


_READS_SQL = ("select", "pragma", "explain")  # a WITH may write: it gets the savepoint


class Tables(PluginTables):
    """``ctx.db``: a write gets the case its savepoint first (so a refused case takes its
    plugin rows with it)."""

    def __init__(self, store, method: str, bulk: Any):
        super().__init__(store, method)
        self._bulk = bulk

    def execute(self, sql: str, params: Any = ()):
        if not sql.lstrip().lower().startswith(_READS_SQL):
            self._bulk._open_savepoint()
        return super().execute(sql, params)

    def insert(self, table: str, row: dict, **kw) -> Any:
        self._bulk._open_savepoint()
        return super().insert(table, row, **kw)

    def upsert(self, table: str, row: dict, pk) -> None:
        self._bulk._open_savepoint()
        super().upsert(table, row, pk)

    def update(self, table: str, pk: Any, values: dict) -> None:
        self._bulk._open_savepoint()
        super().update(table, pk, values)


class IndexedPeople(People):
    """``ctx.people`` for one bulk intake: :meth:`find` by unit through an index made once
    (the same people in the same order as the scan of every person)."""

    def __init__(self, people):
        super().__init__(people)
        self._by_unit: dict[str, list] | None = None
        self._found: dict[tuple, tuple] = {}  # (unit, role) -> the people found, in order

    def find(self, unit: str | None = None, role: str | None = None) -> list:
        if unit is None:
            return super().find(unit, role)
        found = self._found.get((unit, role))
        if found is None:
            if self._by_unit is None:
                self._by_unit = {}
                for p in self._people.values():
                    self._by_unit.setdefault(p.unit, []).append(p)
            found = self._found[(unit, role)] = tuple(
                p for p in self._by_unit.get(unit, ()) if role is None or role in p.roles)
        return list(found)


class DayCalendar:
    """``ctx.calendar`` for one bulk intake: the county's :class:`~framework.timerules.Calendar`
    (every attribute its own), whose :meth:`calendar_days` is worked out once per local day of
    the start and count of days — the same due instant, the same object, for every case
    arriving that day (its text and timestamp then formatted once too). Other rules (working
    days, whose years the kernel follows through ``Calendar.touched``; hours) go to the
    calendar each time."""

    __slots__ = ("_calendar", "_days")

    def __init__(self, calendar):
        self._calendar = calendar
        self._days: dict[tuple, Any] = {}

    def calendar_days(self, start, days):
        """:meth:`Calendar.calendar_days`: 23:59:59 local on the ``days``-th calendar day after
        the local date of ``start`` (CountyError for a negative count, as the calendar says)."""
        if not isinstance(start, dt.datetime) or days < 0:
            return self._calendar.calendar_days(start, days)  # its error, as it says it
        cal = self._calendar
        local = start if start.tzinfo is cal.tz else cal.local(start)  # (local() gives such a one back as it is)
        key = (local.date(), days)
        due = self._days.get(key)
        if due is None:
            due = cal.calendar_days(start, days)
            if len(self._days) >= 4096:
                self._days.clear()
            self._days[key] = due
        return due

    def __getattr__(self, name: str) -> Any:
        return getattr(self._calendar, name)


class Routes:
    """Where the stages of a case taken in by one method go, looked up once per method and bulk
    intake (as its contexts are) instead of once or twice per case: ``intake``, ``triage`` and
    ``assignment`` — the methods bound to those stages (``Deployment.bound``) —, ``chain`` (the
    method whose tiers and deadlines govern, :meth:`County.chain_method`) and ``info`` (the
    method's own MethodInfo). :meth:`of` gives None when a look-up raises: the stages then look
    each up where they did, so that an error is the one they raised, where they raised it."""

    __slots__ = ("_method", "_notes", "_registry", "assignment", "chain", "info", "intake", "triage")

    def __init__(self, county: Any, method: str):
        bound = county.deployment.bound
        self.intake, self.triage, self.assignment = (bound(method, "intake"), bound(method, "triage"),
                                                     bound(method, "assignment"))
        self.chain = county.chain_method(method)
        self.info = county.require_method(method)
        self._registry, self._method, self._notes = county.registry, method, {}

    def note(self, channel: str | None) -> str | None:
        """:func:`~framework.kernel.notes.channel_note` of ``channel`` for this method (the
        ``registered`` event's note, 受理渠道 …), worked out once per channel."""
        notes = self._notes
        if channel not in notes:
            if len(notes) >= 64:
                notes.clear()
            notes[channel] = channel_note(self._registry, self._method, channel)
        return notes[channel]

    @classmethod
    def of(cls, county: Any, method: str) -> Routes | None:
        """The routes of ``method``, or None when a look-up raised CountyError."""
        try:
            return cls(county, method)
        except CountyError:
            return None


class BulkContext(MethodContext):
    """The :class:`MethodContext` of one method for one bulk intake."""

    def __init__(self, bulk: Any, method: str, now: dt.datetime):
        county = bulk.county
        super().__init__(county, county.require_method(method), county.settings(method), now, county.actor)
        self._bulk = bulk
        self.cases = Reads(self.cases, bulk)
        self.events = Reads(self.events, bulk)
        self.milestones = Reads(self.milestones, bulk)
        self.actions = Acts(self.actions, bulk)
        self.db = Tables(county.store, method, bulk)
        self._people = IndexedPeople(county.people)
        self._calendar = DayCalendar(county.calendar)

    @property
    def calendar(self) -> DayCalendar:
        if self._calendar._calendar is not self._county.calendar:  # the deployment loaded again meanwhile
            self._calendar = DayCalendar(self._county.calendar)
        return self._calendar

    @property
    def people(self) -> People:
        if self._people._people is not self._county.people:  # people loaded again meanwhile
            self._people = IndexedPeople(self._county.people)
        return self._people

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self._bulk._open_savepoint()
        with super().transaction():
            yield
