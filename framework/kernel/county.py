"""The kernel: runs cases through the six stages under the deployment's bindings.

:class:`County` is the one entry point the CLI, importers, plugins' commands and tests use.
Every operation that changes a case runs in one ``BEGIN IMMEDIATE`` transaction that writes
the case row, its milestones and its appended events together; a hook that raises rolls it
all back (conventions §6).

Tier rules (design-notes §2): a case's tier chain is the ``tiers`` of the method bound to its
``deadline`` stage. The deadline hook answers milestones; the sweep applies them:

* ``escalate`` — the milestone is marked missed, an ``overdue`` event is appended, the case
  moves to the next tier at the sweep's ``now``, is assigned again and gets that tier's
  deadline;
* ``flag`` — marked missed, an ``overdue`` (督办) event, the case stays;
* leaving a tier before a milestone (resolution, escalation, assignment up) marks it met.

Assignment at a tier is asked of the method bound to the case's ``assignment`` stage when that
method's chain has the tier (or the case has no chain), else of the chain's own method.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
from typing import Any

import attrs

from framework.errors import CountyError, NotFound, PluginError, Refusal
from framework.kernel.casework import CaseCasework
from framework.kernel.config import Deployment, area_of, reach_of
from framework.kernel.config_check import ConfigError
from framework.kernel.context import CountyContext, MethodContext, Queries
from framework.kernel.deployment_check import check_deployment, deployment_changes
from framework.kernel.deployment_tables import load_tables
from framework.kernel.lifecycle import MAX_TITLE, CaseLifecycle  # noqa: F401  (MAX_TITLE: public)
from framework.kernel.registry import Registry
from framework.kernel.resolution import CaseResolution
from framework.kernel.stages import (
    plugin_migrations,
    require_method,
)
from framework.kernel.sweep import Sweep
from framework.kernel.tree import UnitTree
from framework.models import (
    OPEN_STATUSES,
    Board,
    Case,
    Duty,
    Event,
    MethodInfo,
    Metric,
    converter,
)
from framework.publish.appraisal import common_metrics
from framework.publish.masking import (
    SecretMap,
    mask_case_json,
    mask_record,
    mask_text,
    mask_value,
    requester_secrets,
)
from framework.store.db import Store
from framework.store.rows import placeholders, row_to_case
from framework.timerules import Calendar, Clock, period_dates


#: The last line of ``init --update``'s refusal of changes existing cases cannot follow.
FORCE_HINT = "(nothing written; give --force to apply the file anyway)"

class County(UnitTree, CaseLifecycle, CaseResolution, CaseCasework, Sweep):
    """A deployment opened on its database: the facade the CLI, importers, the demo and tests
    use (plugins get a :class:`MethodContext` instead). The tree (:mod:`.tree`), a case's life
    (:mod:`.lifecycle`), its resolution, confirmation and links (:mod:`.resolution`) and the
    sweep (:mod:`.sweep`) are its mixins."""

    def __init__(self, store: Store, registry: Registry | None = None, *, now: dt.datetime | None = None,
                 actor: str | None = None):
        self.store = store
        self._queries: Queries | None = None
        self.board_failures: list[dict] = []  # publicity hooks that failed (:meth:`boards`, issue 14)
        self.registry = registry or Registry()
        if not store.initialised or store.get_meta("deployment") is None:
            raise CountyError(f"--db {store.path}: no deployment here yet; run `county init --config county.toml` first")
        self.deployment: Deployment = converter.structure(store.get_meta("deployment"), Deployment)
        self.calendar = Calendar(self.deployment.timezone, self.deployment.extra_holidays,
                                 self.deployment.extra_workdays)
        self.clock = Clock(now, self.deployment.timezone)
        self._actor_asked, self._actor = actor, None  # resolved on first use (:attr:`actor`)
        for m in self.deployment.methods:
            self.require_method(m)
        # a newer kernel or plugin version brings its pending migrations with it (as llm does)
        store.migrate(plugin_migrations(self.registry, self.deployment.methods))
        self._load_tree()

    @property
    def actor(self) -> str:
        """Who acts: the identity every event written through this County carries (issue 14).

        With an operator list (``[operators]``): the ``actor`` handed to the constructor, else
        ``COUNTY_ACTOR``, else ``[deployment] actor`` — and it must be an operator's id; otherwise
        a :class:`~framework.errors.Refusal` (exit 1, one line naming the known operators) at the
        first write. Without one (deployments from before issue 14): the same order, any text,
        then the login name — and ``county init`` warns. Read-only commands never ask."""
        if self._actor is None:
            self._actor = resolve_actor(self.deployment, self._actor_asked)
        return self._actor

    @actor.setter
    def actor(self, value: str) -> None:
        self._actor = value

    @contextlib.contextmanager
    def acting_as(self, actor: str):
        """``with county.acting_as("key:app"): …`` — the writes inside carry ``actor`` (an API
        key's name for the Open311 endpoint), whatever the operator identity would resolve to;
        the identity is restored after, unresolved if it was (an operator list is then still
        asked at the next write)."""
        saved, self._actor = self._actor, actor
        try:
            yield self
        finally:
            self._actor = saved

    # -- set-up --------------------------------------------------------------------------
    @classmethod
    def init(cls, store: Store, deployment: Deployment, registry: Registry | None = None, *,
             source: str = "", force: bool = False, **kw) -> "County":
        """Create or update the database from a deployment (``county init``). Checks it whole
        first (:func:`~framework.kernel.deployment_check.check_deployment`: methods installed,
        units, people, settings, bindings, where) and raises
        :class:`~framework.kernel.config_check.ConfigError` naming every problem (``source``:
        the file, for the messages) before anything is written. Then, in the same transaction,
        loads each enabled method's ``[[METHOD.TABLE]]`` rows
        (:func:`~framework.kernel.deployment_tables.load_tables`); ``county.loaded`` says per
        method and table how many rows were added, changed, unchanged.

        Over an existing database, ``county.deployment_changes`` lists what the file changes in
        ``[deployment]``, settings, bindings…
        (:func:`~framework.kernel.deployment_check.deployment_changes`); a change the existing
        cases cannot follow (the id prefix or the time zone while cases exist, a method dropped
        with open cases) is a :class:`~framework.errors.Refusal` (exit 1) naming each, unless
        ``force``."""
        registry = registry or Registry()
        changes, refusals = deployment_changes(store.get_meta("deployment"), deployment, store)
        if refusals and not force:
            raise Refusal("\n".join(refusals + [FORCE_HINT]))
        known = {}
        if store.db["units"].exists():  # units loaded before (`county units import`) count too
            known = {r["code"]: (r["level"], r["parent"]) for r in store.query("select code, level, parent from units")}
        problems = check_deployment(deployment, registry, known_units=known)
        if problems:
            raise ConfigError(source, problems)
        store.migrate(plugin_migrations(registry, deployment.methods))
        with store.transaction():
            store.set_meta("deployment", converter.unstructure(
                attrs.evolve(deployment, units=[], people=[], tables={}, table_lines={}, unparsed_units=[])))
            for u in deployment.units:
                store.upsert("units", converter.unstructure(u), pk="code")
            for p in deployment.people:
                store.upsert("people", converter.unstructure(p), pk="id")
            county = cls(store, registry, **kw)
            # the methods' own tables ([[METHOD.TABLE]]) through their service functions, in this transaction
            county.loaded = load_tables(county, deployment, source)
        county.deployment_changes = changes
        return county

    def require_method(self, name: str) -> MethodInfo:
        """The MethodInfo of an installed method; CountyError when missing or broken."""
        return require_method(self.registry, name)

    def require_listed(self, method: str) -> str:
        """``method`` when a listing may filter by it: enabled, or with cases in the database (a
        method since removed from the deployment); else :meth:`require_enabled`'s CountyError."""
        if self.store.db.execute("select 1 from cases where method = ? limit 1", [method]).fetchone():
            return method
        return self.require_enabled(method)

    def require_enabled(self, method: str) -> str:
        """``method`` when ``[deployment] methods`` enables it; else CountyError (exit 2) naming
        ``--method`` and the enabled ones — what ``case add``, ``case import`` and the listings'
        filters say alike."""
        if method not in self.deployment.methods:
            raise CountyError(f"--method: {method!r} is not enabled in this deployment "
                              f"(enabled: {', '.join(self.deployment.methods) or 'none'})")
        return method

    # -- lookups -------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        """The injected clock's instant in the deployment's zone."""
        return self.calendar.local(self.clock.now())

    def settings(self, method: str) -> dict[str, Any]:
        """``method``'s settings: its declared defaults overlaid by ``[plugins.METHOD]``."""
        info = self.require_method(method)
        merged = info.defaults()
        merged.update(self.deployment.plugins.get(method, {}))
        return merged

    def ctx(self, method: str, now: dt.datetime | None = None) -> MethodContext:
        """The :class:`MethodContext` handed to ``method``'s hooks and commands (``now``
        defaults to the clock)."""
        return CountyContext(self, self.require_method(method), self.settings(method), now or self.now(), None)

    def context_queries(self) -> Queries:
        """The read/write API objects every context of this County shares."""
        if self._queries is None:
            self._queries = Queries.of(self)
        return self._queries

    def chain_method(self, case_method: str) -> MethodInfo:
        """The method whose tier chain and deadlines govern cases taken in by ``case_method``
        (its own, or the one ``[bindings] METHOD.deadline`` names)."""
        return self.require_method(self.deployment.bound(case_method, "deadline"))

    def chain_or_none(self, case_method: str) -> MethodInfo | None:
        """:meth:`chain_method`, or None when that method is not installed (cases of a method
        since uninstalled remain): what reports and exports read, which still show such cases."""
        try:
            return self.chain_method(case_method)
        except CountyError:
            return None

    # -- reading ---------------------------------------------------------------------------
    def _load(self, case_id: str) -> Case:
        cur = self.store.db.execute("select * from cases where id = ?", [case_id])
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"unknown case {case_id!r} (see `county case list`)")
        cols = [d[0] for d in cur.description]  # the columns from the same statement, not a second one
        return row_to_case(dict(zip(cols, row)))

    def get_case(self, case_id: str) -> Case:
        case = self._load(case_id)
        case.events = [
            Event(dt.datetime.fromisoformat(r["at"]), r["type"], r["actor"], r["level"], r["note"], json.loads(r["data"] or "{}"))
            for r in self.store.query("select * from events where case_id = ? order by id", [case_id])
        ]
        return self._with_casework(case)

    def scope_sql(self, unit: str | None = None, period: str | None = None, *,
                  unit_cols: tuple[str, ...] = ("unit",), ts_cols: tuple[str, ...] = ("created_ts",)
                  ) -> tuple[list[str], list[Any]]:
        """SQL conditions (to join with ``and``) and their parameters for "in ``unit``'s subtree"
        (any of ``unit_cols`` holds one of its codes) and "in ``period``" (any of ``ts_cols``, Unix
        timestamps, falls in it). For the kernel's queries and plugins' queries of their own
        tables alike. Raises NotFound for an unknown unit, CountyError for a bad period."""
        where: list[str] = []
        params: list[Any] = []
        if unit:
            codes = self.subtree(self.unit(unit).code)
            where.append("(" + " or ".join(f"{c} in ({placeholders(codes)})" for c in unit_cols) + ")")
            params += codes * len(unit_cols)
        if period:
            start, end = self.calendar.period_bounds(period)
            where.append("(" + " or ".join(f"({c} >= ? and {c} < ?)" for c in ts_cols) + ")")
            params += [start.timestamp(), end.timestamp()] * len(ts_cols)
        return where, params

    def list_cases(self, *, status: str | None = None, unit: str | None = None, method: str | None = None,
                   overdue: bool = False, limit: int | None = None, lead: str | None = None) -> list[Case]:
        """Cases by status, unit subtree (taken in there, held there now, or handled there
        jointly: ``joint_unit``, 会办), method, ``overdue`` (open and past due at now) and
        ``lead`` (linked to that lead case), in intake order."""
        where, params = self.scope_sql(unit, unit_cols=("unit", "origin_unit", "joint_unit"))
        if lead:
            where.append("lead_id = ?")
            params.append(lead)
        if status:
            where.append("status = ?")
            params.append(status)
        if method:
            where.append("method = ?")
            params.append(method)
        if overdue:
            where.append(f"status in ({placeholders(OPEN_STATUSES)}) and due_ts < ?")
            params += [*OPEN_STATUSES, self.now().timestamp()]
        sql = "select * from cases" + (" where " + " and ".join(where) if where else "") + " order by seq"
        if limit:
            sql += f" limit {int(limit)}"
        return [row_to_case(r) for r in self.store.query(sql, params)]

    def cases_in(self, unit: str | None, period: str, method: str | None = None) -> list[Case]:
        """Cases of ``unit``'s subtree (by the unit that took them in, or now holds them)
        created, resolved or confirmed in ``period``."""
        where, params = self.scope_sql(unit, period, unit_cols=("origin_unit", "unit"),
                                       ts_cols=("created_ts", "resolved_ts"))
        if method:
            where.append("method = ?")
            params.append(method)
        # The candidates follow the period, never the unit's whole history: the cases created in it
        # (created_ts index) and those with a ``resolved`` event in it ((type, at) index; every
        # resolution writes one at resolved_at); the conditions above keep exactly the same rows.
        start, end = self.calendar.period_bounds(period)
        day = dt.timedelta(days=1)
        where.append("id in (select id from cases where created_ts >= ? and created_ts < ? union "
                     "select case_id from events where type = 'resolved' and at >= ? and at < ?)")
        params += [start.timestamp(), end.timestamp(), (start - day).isoformat(), (end + day).isoformat()]
        rows = self.store.query("select * from cases where " + " and ".join(where) + " order by seq", params)
        return [row_to_case(r) for r in rows]

    # -- where each method applies ([where]) -------------------------------------------------
    def _where(self, method: str) -> tuple[set[str], set[str]] | None:
        """``(area, reach)`` of ``method`` (:func:`~framework.kernel.config.area_of`,
        :func:`~framework.kernel.config.reach_of`), or None when it applies everywhere. Cached
        until the unit tree is reloaded."""
        w = self.deployment.where.get(method)
        if w is None:
            return None
        cache = getattr(self, "_where_cache", None)
        if cache is None or cache[0] is not self.units:
            cache = self._where_cache = (self.units, {})
        if method not in cache[1]:
            tiers = self.chain_method(method).tiers
            later = {t.level for t in tiers[1:]} - {tiers[0].level} if tiers else set()
            area = area_of(w, self.units)
            cache[1][method] = (area, reach_of(area, self.units, later))
        return cache[1][method]

    def applies_at(self, method: str, unit: str) -> bool:
        """Whether ``[where]`` lets ``method`` take a case in at ``unit`` (True when the
        deployment says nothing about the method)."""
        sets = self._where(method)
        return sets is None or unit in sets[0]

    def takes_part(self, method: str, unit: str | None) -> bool:
        """Whether ``method`` takes part in ``unit`` (None: the whole deployment): it applies
        somewhere in the unit's subtree, or the unit serves a later tier of its chain. Boards,
        duties and appraisal of a unit follow this."""
        sets = self._where(method)
        return sets is None or unit is None or unit in sets[1] or unit not in self.units

    def require_applies(self, method: str, unit: str) -> None:
        """CountyError (one line naming the method and the unit) when ``[where]`` says
        ``method`` does not apply at ``unit``. Every intake path calls it."""
        if method in self.deployment.methods and unit in self.units and not self.applies_at(method, unit):
            raise CountyError(f"--unit {unit}: {method} does not apply at {self.units[unit].name} ({unit}); "
                              f"[where] {method} = {self.deployment.where[method].describe()}")

    def _check_new_case(self, method: str, unit: str, *args, **kw) -> None:
        """The lifecycle's checks before a case is taken in (``add_case``, and ``add_cases`` in
        bulk), then ``[where]`` (:meth:`require_applies`)."""
        super()._check_new_case(method, unit, *args, **kw)
        self.require_applies(method, unit)

    # -- publicity and appraisal -------------------------------------------------------------
    def recorded_after_now(self) -> tuple[int, int]:
        """How many cases were taken in, and how many resolved, after the clock's now (read by
        the ``created_ts`` and ``resolved_ts`` indexes): a board or appraisal counts what the
        database holds, so with a ``--now`` in the past these are in its figures too (the CLI
        says so). Returns ``(taken, resolved)``."""
        ts = self.now().timestamp()
        conn = self.store.db.conn
        return (conn.execute("select count(*) from cases where created_ts > ?", [ts]).fetchone()[0],
                conn.execute("select count(*) from cases where resolved_ts > ?", [ts]).fetchone()[0])

    def boards(self, unit: str, period: str) -> list[Board]:
        """Every enabled method's boards for ``unit`` and ``period``, masked (conventions §3).
        This is the one place public rows leave the kernel. A method that takes no part in the
        unit (``[where]``) is not asked, and a board it posts for a unit it takes no part in is
        dropped.

        Isolation per plugin (issue 14): a method whose publicity hook raises (or returns a bad
        board) posts nothing; the others' boards are still returned, and the failure — plugin,
        hook, unit, period, error — is appended to :attr:`board_failures` (``county board``
        prints each and exits 1)."""
        u = self.unit(unit)
        period_dates(period)
        methods = [m for m in self.deployment.methods if self.takes_part(m, unit)]
        out: list[Board] = []

        def failed(e: PluginError) -> None:
            self.board_failures.append({"unit": unit, "period": period, "plugin": e.plugin, "hook": e.hook,
                                        "error": str(e)})

        for name, b in self.registry.collect(
                methods, "publicity", Board, unit=u, period=period, on_error=failed,
                per_plugin=lambda name: {"ctx": self.ctx(name),
                                         "cases": lambda method=name: self.cases_in(unit, period, method)}):
            if self.takes_part(name, b.unit):
                out.append(self.mask_board(b))
        return out

    def mask_board(self, board: Board) -> Board:
        """Return a copy of ``board`` with personal data masked (conventions §3).

        Each row's ``case_id`` finds its requester's stored name, phone, ID number and address;
        occurrences of those in that row's cells (nested lists and dicts too) are replaced by
        their masked form — one case's requester never touches another case's row. Board-level
        text (title, notes, section titles) and rows without a known ``case_id`` get the
        requesters of every case on the board. Requester fields are masked by field rule (a
        requester who asked not to be named shows as 匿名), phone and ID numbers inside free
        text are masked too, and a short phone/ID (under 7 characters) or a one-character
        name/address is never replaced inside other text (:func:`framework.publish.masking.requester_secrets`).
        """
        ids = {str(r.get("case_id")) for s in board.sections for r in s.rows if r.get("case_id")}
        by_case: dict[str, SecretMap] = {}
        anonymous: set[str] = set()
        ids = sorted(ids)
        for chunk in (ids[i:i + 900] for i in range(0, len(ids), 900)):  # SQLite's variable limit
            for r in self.store.query(
                    f"select id, requester_name, requester_phone, requester_id_number, requester_address, requester_anonymous "
                    f"from cases where id in ({placeholders(chunk)})", chunk):
                by_case[r["id"]] = requester_secrets(r["requester_name"], r["requester_phone"],
                                                     r["requester_id_number"], r["requester_address"],
                                                     bool(r["requester_anonymous"]))
                if r["requester_anonymous"]:
                    anonymous.add(r["id"])
        all_secrets = SecretMap.union(by_case.values())
        sections = []
        for s in board.sections:
            rows = []
            for r in s.rows:
                cid = str(r.get("case_id")) if r.get("case_id") else None
                rows.append(mask_record(r, by_case.get(cid, all_secrets) if cid else all_secrets,
                                        anonymous=cid in anonymous))
            sections.append(attrs.evolve(s, title=mask_value(s.title, all_secrets),
                                         columns=[(k, mask_text(label)) for k, label in s.columns], rows=rows))
        return attrs.evolve(board, title=mask_value(board.title, all_secrets), sections=sections,
                            notes=[mask_value(n, all_secrets) for n in board.notes])

    def appraise(self, period: str, unit: str | None = None) -> list[Metric]:
        """Common metrics per unit and method (framework.publish.appraisal) plus each enabled method's
        own (``county_appraisal``). A method that takes no part in ``unit`` (``[where]``) is not
        asked, and its metrics about a unit it takes no part in (or a person of one) are dropped."""
        u = self.unit(unit) if unit else None
        metrics = [m for m in common_metrics(self, period, unit) if self._metric_counts(m.method, m)]
        methods = [m for m in self.deployment.methods if self.takes_part(m, unit)]
        for name, m in self.registry.collect(methods, "appraisal", Metric, unit=u, period=period,
                                             per_plugin=lambda name: {"ctx": self.ctx(name)}):
            m.period = m.period or period
            if self._metric_counts(name, m):
                metrics.append(m)
        return metrics

    def _metric_counts(self, method: str | None, m: Metric) -> bool:
        if method is None or method not in self.deployment.where:
            return True
        if m.subject_kind == "unit":
            return self.takes_part(method, m.subject)
        if m.subject_kind == "person" and m.subject in self.people:
            return self.takes_part(method, self.people[m.subject].unit)
        return True

    def duties(self, on_date: dt.date, unit: str | None = None):
        """Every enabled method's duties due on ``on_date`` in ``unit``'s subtree (None: all). A
        method that takes no part in ``unit`` (``[where]``) is not asked, and its duties of a
        unit it takes no part in are dropped."""
        u = self.unit(unit) if unit else None
        methods = [m for m in self.deployment.methods if self.takes_part(m, unit)]
        return [d for name, d in self.registry.collect(methods, "duties", Duty, unit=u, on_date=on_date,
                                                       per_plugin=lambda name: {"ctx": self.ctx(name)})
                if self.takes_part(name, d.unit)]


def case_json(case: Case, *, events: bool = True, public: bool = False) -> dict:
    """The case JSON shape of conventions §5. ``public`` masks the requester."""
    d = converter.unstructure(case)
    if not events:
        d.pop("events")
    if public:
        d = mask_case_json(d, case.requester)
    return d


def resolve_actor(dep: Deployment, asked: str | None = None) -> str:
    """The actor for ``dep`` (see :attr:`County.actor`): ``asked``, else env ``COUNTY_ACTOR``,
    else ``[deployment] actor``; with ``[operators]`` it must be one of their ids (Refusal
    naming them otherwise), without it any text (the login name when all are empty)."""
    env = os.environ.get("COUNTY_ACTOR")
    name = asked or env or dep.actor
    if not dep.operators:
        return name or _whoami()
    if name in {o.id for o in dep.operators}:
        return name
    known = ", ".join(f"{o.id} ({o.name})" for o in dep.operators)
    if not asked and not env:  # the config check holds an explicit [deployment] actor to the list
        raise Refusal(f"no operator named: set COUNTY_ACTOR to one of this deployment's operators: {known}")
    source = f"actor {asked!r}" if asked else f"COUNTY_ACTOR={env!r}"
    raise Refusal(f"{source} is not an operator of this deployment; set COUNTY_ACTOR to one of: {known}")


def _whoami() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "operator"
