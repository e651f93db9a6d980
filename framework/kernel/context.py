"""``ctx``: everything a hook or a plugin command may use, and nothing else.

A plugin never sees the :class:`~framework.kernel.county.County`. It gets a
:class:`MethodContext` bound to its own method, with:

* the clock and calendar (``ctx.now``, ``ctx.calendar``), its settings (``ctx.settings``), its
  MethodInfo (``ctx.method``), the operator (``ctx.actor``);
* the deployment's tree: ``ctx.units`` / ``ctx.unit()`` / ``ctx.subtree()`` /
  ``ctx.ancestor()``…, and ``ctx.people`` (a read-only mapping with ``.find(unit, role)``);
* the **read API** on the kernel's tables: ``ctx.cases`` (:class:`CaseQuery`),
  ``ctx.events`` (:class:`EventQuery`), ``ctx.milestones`` (:class:`MilestoneQuery`);
* the **write API**: ``ctx.actions`` (:class:`Actions`): add a case, record an event, assign,
  escalate, resolve, confirm, load people;
* ``ctx.db`` (:class:`PluginTables`): the plugin's *own* tables, refusing SQL that names a
  kernel table, and ``ctx.transaction()`` to make several writes one.

The read API lives in :mod:`framework.kernel.queries`; all of it is re-exported from the
``framework`` package root, which is what plugins import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from framework.errors import CountyError
from framework.kernel import amend
from framework.kernel.queries import (
    CaseQuery,
    EventQuery,
    MilestoneQuery,
)
from framework.models import Attachment, Case, MethodInfo, Milestone, Person, Requester, SignOff, Unit
from framework.store import Store
from framework.store.guard import own_tables_only, plugin_owns
from framework.store.rows import placeholders
from framework.timerules import Calendar

# ``county`` parameters below are the County facade (framework.kernel.county), handed in by it;
# it is not imported here, so the kernel's modules form no import cycle.


# -- writes a plugin may make ---------------------------------------------------------------


class Actions:
    """``ctx.actions``: the changes a plugin may make to cases and people. Each runs in one
    transaction (joining an outer ``ctx.transaction()``), appends its events with the operator
    ``ctx.actor`` at the clock's now, and returns the case as it is afterwards. Errors:
    CountyError (bad input, exit 2), Refusal (not allowed now, exit 1), NotFound."""

    def __init__(self, county: Any):
        self._county = county

    def add_case(self, method: str, unit: str, title: str, *, channel: str | None = None,
                 category: str | None = None, description: str | None = None,
                 requester: Requester | None = None, fields: dict[str, Any] | None = None,
                 source_id: str | None = None, created_at: dt.datetime | None = None,
                 request_id: str | None = None) -> Case:
        """Take a case in through intake → triage → assignment → deadline (as ``county case
        add``). ``created_at``: default now; a naive one is deployment-local (docs/hooks.md
        §6.4). ``fields``: the method's ``--set`` fields. ``request_id``: an idempotency key —
        the case already taken in with it is returned and nothing is written (issue 14)."""
        return self._county.add_case(method, unit, title, channel=channel, category=category,
                                     description=description, requester=requester, fields=fields,
                                     source_id=source_id, created_at=created_at, request_id=request_id)

    def record_event(self, case_id: str, type: str, note: str | None = None, data: dict | None = None, *,
                     extra: dict | None = None, status: str | None = None, meet: str | None = None) -> Case:
        """Append an event of the plugin's own ``type`` (e.g. ``deliberated``); optionally
        update ``extra`` fields, set an open ``status``, and ``meet`` a pending milestone of the
        current tier by name (met, or missed when already past due)."""
        return self._county.record_event(case_id, type, note, data, extra=extra, status=status, meet=meet)

    def set_due(self, case_id: str, milestone: str, due_at: dt.datetime, note: str | None = None) -> Case:
        """Move the pending milestone ``milestone`` of the current tier to ``due_at`` (aware),
        e.g. a promise shorter than the method's limit; the case's ``due_at`` follows for the
        primary milestone, a ``due_changed`` event records both instants, the sweep applies
        the new one. Refusal when there is no such pending milestone; CountyError when
        ``due_at`` is not after the arrival at the tier."""
        return self._county.set_due(case_id, milestone, due_at, note)

    def add_milestone(self, case_id: str, milestone: Milestone, note: str | None = None) -> Case:
        """Add a fresh pending ``milestone`` at the case's **current** tier, without escalating
        (a new limit after a missed one, a second check): ``milestone_added`` event; a primary
        one becomes ``Case.due_at``. Refusal / CountyError as
        :func:`framework.kernel.amend.add_milestone` says (docs/hooks.md §6.6)."""
        return amend.add_milestone(self._county, case_id, milestone, note)

    def assign(self, case_id: str, handler: str | None = None, unit: str | None = None,
               note: str | None = None) -> Case:
        """Give the case to ``handler`` (person id) and/or ``unit`` (code); a unit at a later
        tier's level moves the case up to that tier with its deadline."""
        return self._county.assign(case_id, handler=handler, unit=unit, note=note)

    def escalate(self, case_id: str, reason: str | None = None, to_level: str | None = None) -> Case:
        """Move the case up its chain (to the next tier, or ``to_level``)."""
        return self._county.escalate(case_id, reason=reason, to_level=to_level)

    def resolve(self, case_id: str, note: str, at: dt.datetime | None = None, cascade: bool = False) -> Case:
        """Mark the case resolved (办结) at ``at`` (aware, default now). ``cascade=True``: every
        still-open case linked to it (:meth:`link`) is resolved too, at the same instant, each
        with its own ``resolved`` event naming the lead (data ``{"lead": case_id}``)."""
        return self._county.resolve(case_id, note, at=at, cascade=cascade)

    def confirm(self, case_id: str, satisfaction: str, note: str | None = None,
                at: dt.datetime | None = None) -> Case:
        """Record the requester's confirmation rated ``satisfaction``: a level code or Chinese
        label of the case's method's ``SatisfactionScale`` (default conventions §1's three). A
        level in ``closes`` confirms the case; any other reopens it at the tier, unit and
        handler that resolved it with a new deadline (a ``reopened`` event). CountyError for an
        unknown level (listing the method's), Refusal when the case is not resolved."""
        return self._county.confirm(case_id, satisfaction, note=note, at=at)

    def close(self, case_id: str, note: str) -> Case:
        """Close (关闭/销号) a resolved or confirmed case: status ``closed``, a ``closed`` event
        (data ``{"from": status}``). CountyError without a note, Refusal for any other status
        (:func:`framework.kernel.amend.close`, docs/hooks.md §6.6)."""
        return amend.close(self._county, case_id, note)

    def link(self, case_ids: str | Iterable[str], lead_id: str, note: str | None = None) -> list[Case]:
        """Link one case or many (open) to the open lead case ``lead_id`` (批量办理), in one
        transaction: ``Case.lead_id`` set, a ``linked`` event on each case (data ``{"lead"}``)
        and one on the lead per case (data ``{"case"}``). Returns the linked cases afterwards.
        Refusal for a case linked to itself, a lead or case not open, a chain of leads, a case
        already linked to another lead; NotFound for an unknown id."""
        return self._county.link(case_ids, lead_id, note=note)

    def require_signoff(self, case_id: str, parties: Iterable, note: str | None = None) -> Case:
        """List the parties who must sign the open case (签字进度, docs/hooks.md §12.6):
        ``parties`` ``[(id, name), …]`` (or SignOffParty), added to any listed before; one
        ``signoff_required`` event. CountyError for an empty list or a bad/repeated id or name;
        Refusal when the case is not open or an id is already listed."""
        return self._county.require_signoff(case_id, list(parties), note=note)

    def sign(self, case_id: str, party_id: str, at: dt.datetime | None = None, note: str | None = None) -> Case:
        """Party ``party_id`` signs the open case at ``at`` (aware, default now); one ``signed``
        event (data ``{"party", "name"}``). Refusal when the case is not open, has no sign-off,
        the party is unknown or already signed, or ``at`` is before intake or after now."""
        return self._county.sign(case_id, party_id, at=at, note=note)

    def attach(self, case_id: str, uri: str, sha256: str | None = None, media_type: str | None = None,
               size: int | None = None, caption: str | None = None, at: dt.datetime | None = None) -> Case:
        """Attach a media reference (附件, docs/hooks.md §12.7): ``uri`` an http(s) URL or an
        absolute path, ``sha256`` 64 hex digits or None, ``media_type`` ``type/subtype`` or None,
        ``size`` bytes or None, ``caption`` ≤ 200 characters. Metadata only, never the file;
        one ``attached`` event (never the uri). CountyError for bad fields, Refusal for a uri
        already attached to the case."""
        return self._county.attach(case_id, uri, sha256=sha256, media_type=media_type, size=size,
                                   caption=caption, at=at)

    def sweep(self) -> list[dict]:
        """Run the kernel's sweep (督办) at the clock's now, as ``county sweep`` does: every
        pending milestone past due is applied (escalate / flag / none). Idempotent for one now.
        Returns one dict per action (``case``, ``milestone``, ``due_at``, ``action``, ``from``,
        ``to``). For plugin steps that follow the nightly sweep (a month-end check, a demo)."""
        return self._county.sweep()

    def import_people(self, rows: Iterable[dict], where: str, lines: list[int] | None = None) -> int:
        """Load or update people (``id, name, unit, roles, skills, phone``); all or none.
        ``where`` names the source in errors. Returns the count."""
        return self._county.import_people(rows, where, lines)

    def import_units(self, rows: Iterable[dict], where: str, lines: list[int] | None = None) -> int:
        """Load or update units (``code, name, level, parent``); all or none. Returns the count."""
        return self._county.import_units(rows, where, lines)


class PluginTables:
    """``ctx.db``: the plugin's own tables, the ones named ``<method>_…`` that its
    ``county_migrations`` created.

    Every statement is checked by SQLite itself (its authorizer), table by table: a statement
    that reads or writes any other table — the kernel's (``cases``, ``events``,
    ``milestones``, ``units``, ``people``, ``meta``…) or another plugin's — is refused with a
    CountyError naming the table, however the SQL spells it. Read the kernel's data through
    ``ctx.cases``, ``ctx.events``, ``ctx.milestones``, ``ctx.units`` and ``ctx.people``.
    Writes join the current transaction (open one with ``ctx.transaction()`` to make several
    writes one)."""

    def __init__(self, store: Store, method: str):
        self._store = store
        self._method = method
        self._owns = plugin_owns(method)

    def _own(self, table: str) -> str:
        """``table`` when it is the plugin's; CountyError naming it otherwise."""
        if not self._owns(table.strip("[]\"'`")):
            raise CountyError(f"plugin {self._method} may use only its own tables ({self._method}_…); "
                              f"{table!r} is not one of them (read the kernel's data through ctx.cases, "
                              f"ctx.events, ctx.milestones, ctx.units and ctx.people)")
        return table

    def _guard(self):
        """Raw SQL is checked statement by statement by SQLite's authorizer (the named-table
        writes check the name: sqlite-utils then touches that table only, and a plugin may
        create no trigger that could carry a write elsewhere)."""
        return own_tables_only(self._store.db.conn, self._owns, f"plugin {self._method}", f"{self._method}_",
                               names=self._store.table_names)

    def query(self, sql: str, params: Any = ()) -> list[dict]:
        """Rows of a SELECT on the plugin's tables, as dicts."""
        with self._guard():
            return self._store.query(sql, params)

    def execute(self, sql: str, params: Any = ()):
        """Run one statement on the plugin's tables; returns the sqlite3 cursor (checked when
        the statement is prepared, so fetching from it later is fine)."""
        with self._guard():
            return self._store.db.execute(sql, params)

    def insert(self, table: str, row: dict, **kw) -> Any:
        """Insert one row (dicts and lists stored as JSON); returns its primary key.
        Keyword arguments go to ``sqlite_utils`` ``Table.insert`` (``pk``, ``replace``…)."""
        return self._store.insert(self._own(table), row, **kw)

    def upsert(self, table: str, row: dict, pk) -> None:
        """Insert or update one row by primary key ``pk`` (a column name or a tuple)."""
        self._store.upsert(self._own(table), row, pk)

    def update(self, table: str, pk: Any, values: dict) -> None:
        """Update the row with primary key ``pk``."""
        self._store.update(self._own(table), pk, values)

    def exists(self, table: str) -> bool:
        """Whether the plugin's table ``table`` exists."""
        return self._store.db[self._own(table)].exists()

    def count(self, table: str, where: str | None = None, params: Any = ()) -> int:
        """Rows of ``table`` (optionally only those matching ``where``)."""
        sql = f"select count(*) from [{self._own(table)}]" + (f" where {where}" if where else "")
        with self._guard():
            return self._store.db.execute(sql, params).fetchone()[0]

    @staticmethod
    def placeholders(items: Iterable[Any]) -> str:
        """``?,?,?`` for an ``in (…)`` list of ``items``."""
        return placeholders(items)


class People(Mapping):
    """``ctx.people``: the deployment's people by id (read-only), with :meth:`find`."""

    def __init__(self, people: Mapping[str, Person]):
        self._people = people

    def __getitem__(self, pid: str) -> Person:
        return self._people[pid]

    def __iter__(self):
        return iter(self._people)

    def __len__(self) -> int:
        return len(self._people)

    def find(self, unit: str | None = None, role: str | None = None) -> list[Person]:
        """People of ``unit`` (exactly that unit) having ``role``; either filter optional."""
        return [p for p in self._people.values()
                if (unit is None or p.unit == unit) and (role is None or role in p.roles)]


class SignOffQuery:
    """``ctx.signoffs``: the sign-off progress of cases (docs/hooks.md §12.6)."""

    def __init__(self, county: Any):
        self._county = county

    def of(self, case_ids: str | Iterable[str]) -> dict[str, SignOff]:
        """``{case_id: SignOff}`` for the cases among ``case_ids`` (one id or many) that list
        parties; cases without a sign-off are left out."""
        return self._county.signoffs_of(case_ids)


class AttachmentQuery:
    """``ctx.attachments``: the media attachments of cases (docs/hooks.md §12.7)."""

    def __init__(self, county: Any):
        self._county = county

    def of(self, case_ids: str | Iterable[str]) -> dict[str, list[Attachment]]:
        """``{case_id: [Attachment, …]}`` (numbered order) for the cases among ``case_ids`` (one
        id or many) that have any."""
        return self._county.attachments_of(case_ids)


# -- the context ------------------------------------------------------------------------------


class MethodContext:
    """What every hook, plugin command and demo receives as ``ctx``, bound to one method.

    Attributes: ``method`` (:class:`MethodInfo`), ``settings`` (dict: defaults overlaid by
    ``[plugins.NAME]``), ``now`` (aware datetime, deployment-local), ``actor`` (operator id),
    ``calendar`` (:class:`Calendar`: the only source of due instants), ``deployment_name`` and
    ``deployment_code``, ``methods`` (enabled method names), ``units`` (read-only
    ``{code: Unit}``), ``people`` (:class:`People`), ``cases`` / ``events`` / ``milestones``
    (the read API), ``signoffs`` / ``attachments`` (§12.6/§12.7), ``actions`` (the write API),
    ``db`` (:class:`PluginTables`).
    """

    def __init__(self, county: Any, method: MethodInfo, settings: dict[str, Any], now: dt.datetime,
                 actor: str):
        self._county = county
        self.method = method
        self.settings = settings
        self.now = now
        self.actor = actor
        q = county.context_queries()
        self.cases: CaseQuery = q.cases
        self.events: EventQuery = q.events
        self.milestones: MilestoneQuery = q.milestones
        self.actions: Actions = q.actions
        self.signoffs: SignOffQuery = q.signoffs
        self.attachments: AttachmentQuery = q.attachments
        self.db = PluginTables(county.store, method.name)

    # deployment
    @property
    def calendar(self) -> Calendar:
        return self._county.calendar

    @property
    def deployment_name(self) -> str:
        """The deployment's display name (e.g. 中江县)."""
        return self._county.deployment.name

    @property
    def deployment_code(self) -> str:
        """The deployment's code, the prefix of case ids (e.g. ``zj``)."""
        return self._county.deployment.code

    @property
    def methods(self) -> tuple[str, ...]:
        """The methods enabled in this deployment, in its order."""
        return tuple(self._county.deployment.methods)

    def settings_of(self, method: str) -> dict[str, Any]:
        """Another enabled method's settings (e.g. a bound stage reading its chain's limits)."""
        return dict(self._county.settings(method))

    def method_info(self, name: str) -> MethodInfo:
        """The :class:`MethodInfo` of installed method ``name``; CountyError when missing."""
        return self._county.require_method(name)

    def clock(self) -> dt.datetime:
        """The clock's instant now (``ctx.now`` is fixed when the context is made)."""
        return self._county.now()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One ``BEGIN IMMEDIATE`` transaction around several writes (plugin tables and
        ``ctx.actions`` alike); rolled back whole on any exception. Nested calls join it."""
        with self._county.store.transaction():
            yield

    @contextlib.contextmanager
    def acting_at(self, when: dt.datetime) -> Iterator["MethodContext"]:
        """Inside the block, ``ctx.now`` and the kernel's clock read ``when`` (aware; a naive
        one is deployment-local), so writes through ``ctx.actions`` and the plugin's own
        service happen at that instant: for replays of history and ``county_demo``. Both are
        restored afterwards. Yields ``ctx``."""
        when = self.calendar.local(when)
        clock = self._county.clock
        saved = (clock.fixed, self.now)
        clock.fixed, self.now = when, when
        try:
            yield self
        finally:
            clock.fixed, self.now = saved

    # the tree
    @property
    def units(self) -> Mapping[str, Unit]:
        return MappingProxyType(self._county.units)

    @property
    def people(self) -> People:
        return People(self._county.people)

    def unit(self, code: str) -> Unit:
        """The unit ``code``; NotFound (exit 2) when there is none."""
        return self._county.unit(code)

    def person(self, pid: str) -> Person:
        """The person ``pid``; NotFound (exit 2) when there is none."""
        return self._county.person(pid)

    def subtree(self, code: str) -> list[str]:
        """Codes of ``code`` and every unit below it."""
        return self._county.subtree(code)

    def children(self, code: str | None) -> list[str]:
        """Codes of the units directly below ``code`` (None: the roots)."""
        return self._county.children(code)

    def roots(self) -> list[Unit]:
        """The units without a parent."""
        return self._county.roots()

    def ancestors(self, code: str | None) -> Iterator[str]:
        """``code``, then each unit code above it up to the root."""
        return self._county.ancestors(code)

    def ancestor(self, code: str, level: str, *, strict: bool = False) -> Unit | None:
        """The nearest unit at ``level`` on the path from ``code`` up to the root (itself
        included). When there is none: with ``strict=False`` (the default, what the kernel's
        default assignment uses) the **only** unit at that level in the whole deployment, which
        may lie in another subtree (e.g. the one department of the county); with
        ``strict=True`` None. None when nothing fits (an unknown ``code`` included)."""
        if not strict:
            return self._county.ancestor(code, level)
        units = self._county.units
        return next((units[c] for c in self._county.ancestors(code) if c in units and units[c].level == level), None)

    def chain_of(self, case: Case | str) -> MethodInfo:
        """The :class:`MethodInfo` whose ``tiers`` (and deadline hook) govern ``case`` — a
        ``Case`` or a method name: the case's own method, or the method its ``[bindings]
        METHOD.deadline`` names. For a stage lent to other methods' cases (a bound assignment)
        to read the case's tier: ``ctx.chain_of(case).tier(level)``."""
        return self._county.chain_method(case if isinstance(case, str) else case.method)

    def applies_at(self, code: str) -> bool:
        """Whether this method takes cases in at unit ``code`` (``[where]``; True everywhere when
        the deployment does not restrict the method)."""
        return self._county.applies_at(self.method.name, code)

    def takes_part(self, code: str | None) -> bool:
        """Whether this method takes part in unit ``code``: it applies somewhere in the unit's
        subtree, or the unit serves a later tier of its chain (``[where]``). The kernel posts
        boards, duties and metrics only where a method takes part; a plugin counting units or
        people of a subtree (coverage, rankings) should count only those it takes part in."""
        return self._county.takes_part(self.method.name, code)

    def open_cases_of(self, handler: str) -> int:
        """How many open cases person ``handler`` holds now (for load balancing)."""
        return self.cases.count(handler=handler, open=True)

    def scope(self, unit: str | None = None, period: str | None = None, *,
              unit_cols: tuple[str, ...] = ("unit",), ts_cols: tuple[str, ...] = ("created_ts",)
              ) -> tuple[list[str], list[Any]]:
        """SQL conditions (join with ``and``) and parameters for the plugin's **own** tables:
        "any of ``unit_cols`` is in ``unit``'s subtree" and "any of ``ts_cols`` (Unix
        timestamps) falls in ``period``". NotFound for an unknown unit, CountyError for a bad
        period."""
        return self._county.scope_sql(unit, period, unit_cols=unit_cols, ts_cols=ts_cols)


@attrs.define
class Queries:
    """The read and write API objects of one County, shared by every context made from it."""

    cases: CaseQuery
    events: EventQuery
    milestones: MilestoneQuery
    actions: Actions
    signoffs: SignOffQuery
    attachments: AttachmentQuery

    @classmethod
    def of(cls, county: Any) -> "Queries":
        cases = CaseQuery(county)
        return cls(cases, EventQuery(county, cases), MilestoneQuery(county), Actions(county),
                   SignOffQuery(county), AttachmentQuery(county))


class CountyContext(MethodContext):
    """A MethodContext whose ``ctx.actor`` is the County's, read when used
    (:attr:`framework.kernel.county.County.actor`): a read-only hook never needs an operator
    identity; a write without one is refused. What ``County.ctx`` and the sweep hand to hooks."""

    @property
    def actor(self) -> str:
        return self._county.actor

    @actor.setter
    def actor(self, value: str | None) -> None:
        if value is not None:
            self._county.actor = value
