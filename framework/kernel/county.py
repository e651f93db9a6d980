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

import datetime as dt
import getpass
import json
import os
from typing import Any, Iterable

import attrs

from framework.kernel.config import Deployment
from framework.errors import CountyError, NotFound, Refusal
from framework.publish.masking import mask_value, requester_secrets
from framework.models import (
    MISS_ACTIONS, OPEN_STATUSES, SATISFACTION, Assignment, Board, Case, Deadline, Event,
    IntakeResult, MethodInfo, Metric, Person, Requester, TriageResult, Unit, converter,
)
from framework.kernel.context import MethodContext, Queries
from framework.kernel.registry import Registry
from framework.kernel.stages import (
    check_requester, check_settings, default_assignment, default_intake, expect, plugin_migrations, require_method,
)
from framework.store.db import Store, iso
from framework.store.rows import case_to_row, placeholders, row_to_case
from framework.timerules import Calendar, Clock, period_dates


#: The longest case title, in characters (a board cell, a list line); the rest goes in the description.
MAX_TITLE = 200


class County:
    """A deployment opened on its database."""

    def __init__(self, store: Store, registry: Registry | None = None, *, now: dt.datetime | None = None,
                 actor: str | None = None):
        self.store = store
        self._queries: Queries | None = None
        self.registry = registry or Registry()
        if not store.initialised or store.get_meta("deployment") is None:
            raise CountyError(f"--db {store.path}: no deployment here yet; run `county init --config county.toml` first")
        self.deployment: Deployment = converter.structure(store.get_meta("deployment"), Deployment)
        self.calendar = Calendar(self.deployment.timezone, self.deployment.extra_holidays,
                                 self.deployment.extra_workdays)
        self.clock = Clock(now, self.deployment.timezone)
        self.actor = actor or os.environ.get("COUNTY_ACTOR") or self.deployment.actor or _whoami()
        for m in self.deployment.methods:
            self.require_method(m)
        # a newer kernel or plugin version brings its pending migrations with it (as llm does)
        store.migrate(plugin_migrations(self.registry, self.deployment.methods))
        self._load_tree()

    # -- set-up --------------------------------------------------------------------------
    @classmethod
    def init(cls, store: Store, deployment: Deployment, registry: Registry | None = None, **kw) -> "County":
        """Create or update the database from a deployment (``county init``). Validates that
        every enabled method is installed and every binding names an enabled method."""
        registry = registry or Registry()
        for m in deployment.methods:
            require_method(registry, m)
        for key, target in deployment.bindings.items():
            src = key.split(".")[0]
            for name, what in ((src, "bound method"), (target, "binding target")):
                if name not in deployment.methods:
                    raise CountyError(f"[bindings] {key} = {target!r}: {what} {name!r} is not enabled in [deployment] methods")
        for m in deployment.methods:
            check_settings(registry.methods[m], deployment.plugins.get(m, {}))
        codes = {u.code for u in deployment.units}
        for u in deployment.units:
            if u.parent and u.parent not in codes:
                raise CountyError(f"[[units]] {u.code}: parent {u.parent!r} is not a unit of this file")
        for p in deployment.people:
            if p.unit not in codes:
                raise CountyError(f"[[people]] {p.id}: unit {p.unit!r} is not a unit of this file")
        store.migrate(plugin_migrations(registry, deployment.methods))
        with store.transaction():
            store.set_meta("deployment", converter.unstructure(attrs.evolve(deployment, units=[], people=[])))
            for u in deployment.units:
                store.upsert("units", converter.unstructure(u), pk="code")
            for p in deployment.people:
                store.upsert("people", converter.unstructure(p), pk="id")
        return cls(store, registry, **kw)

    def require_method(self, name: str) -> MethodInfo:
        """The MethodInfo of an installed method; CountyError when missing or broken."""
        return require_method(self.registry, name)

    def _load_tree(self) -> None:
        self.units: dict[str, Unit] = {
            r["code"]: Unit(r["code"], r["name"], r["level"], r["parent"]) for r in self.store.query("select * from units")
        }
        self.people: dict[str, Person] = {
            r["id"]: Person(r["id"], r["name"], r["unit"], json.loads(r["roles"] or "[]"),
                            json.loads(r["skills"] or "[]"), r["phone"])
            for r in self.store.query("select * from people")
        }
        self._children: dict[str | None, list[str]] = {}
        for u in self.units.values():
            self._children.setdefault(u.parent, []).append(u.code)

    def import_units(self, rows: Iterable[dict], where: str, lines: list[int] | None = None) -> int:
        """Load units (code, name, level, parent). All rows or none. Returns the count.
        ``lines``: each row's line in the file, for errors (default: 2, 3, …)."""
        rows = list(rows)
        lines = list(lines) if lines is not None else list(range(2, len(rows) + 2))
        units = []
        for i, r in zip(lines, rows):
            missing = [k for k in ("code", "name", "level") if not (r.get(k) or "").strip()]
            if missing:
                raise CountyError(f"{where}: line {i}: missing {', '.join(missing)}")
            code = r["code"].strip()
            if any(c.isspace() for c in code):
                raise CountyError(f"{where}: line {i}: code {code!r} contains a space (use e.g. zj.fx.llg)")
            units.append(Unit(code, r["name"].strip(), r["level"].strip(), (r.get("parent") or "").strip() or None))
        known = set(self.units) | {u.code for u in units}
        for i, u in zip(lines, units):
            if u.parent and u.parent not in known:
                raise CountyError(f"{where}: line {i}: parent {u.parent!r} of {u.code!r} is not a known unit")
        with self.store.transaction():
            for u in units:
                self.store.upsert("units", converter.unstructure(u), pk="code")
        self._load_tree()
        return len(units)

    def import_people(self, rows: Iterable[dict], where: str, lines: list[int] | None = None) -> int:
        """Load people (id, name, unit, roles, skills, phone; lists separated by ; or ,).
        All rows or none. ``lines``: each row's line in the file, for errors (default: 2, 3, …)."""
        rows = list(rows)
        lines = list(lines) if lines is not None else list(range(2, len(rows) + 2))
        people = []
        for i, r in zip(lines, rows):
            missing = [k for k in ("id", "name", "unit") if not str(r.get(k) or "").strip()]
            if missing:
                raise CountyError(f"{where}: line {i}: missing {', '.join(missing)}")
            if r["unit"] not in self.units:
                raise CountyError(f"{where}: line {i}: unit {r['unit']!r} is not a known unit")
            people.append(Person(str(r["id"]).strip(), r["name"].strip(), r["unit"], _split(r.get("roles")),
                                 _split(r.get("skills")), (str(r.get("phone") or "").strip() or None)))
        with self.store.transaction():
            for p in people:
                self.store.upsert("people", converter.unstructure(p), pk="id")
        self._load_tree()
        return len(people)

    # -- lookups -------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        """The injected clock's instant in the deployment's zone."""
        return self.calendar.local(self.clock.now())

    def unit(self, code: str) -> Unit:
        """The unit ``code``; NotFound (exit 2) when there is none."""
        try:
            return self.units[code]
        except KeyError:
            raise NotFound(f"unknown unit {code!r} (see `county units list`)") from None

    def person(self, pid: str) -> Person:
        """The person ``pid``; NotFound (exit 2) when there is none."""
        try:
            return self.people[pid]
        except KeyError:
            raise NotFound(f"unknown person {pid!r} (see `county people list`)") from None

    def ancestor(self, code: str, level: str) -> Unit | None:
        cur = self.units.get(code)
        while cur is not None:
            if cur.level == level:
                return cur
            cur = self.units.get(cur.parent) if cur.parent else None
        only = [u for u in self.units.values() if u.level == level]
        return only[0] if len(only) == 1 else None

    def ancestors(self, code: str | None):
        """Yield ``code`` and then each unit above it up to the root (unknown codes yield
        themselves only)."""
        seen = set()
        while code and code not in seen:
            seen.add(code)
            yield code
            u = self.units.get(code)
            code = u.parent if u else None

    def subtree(self, code: str) -> list[str]:
        out, stack = [], [code]
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(self._children.get(c, []))
        return out

    def children(self, code: str | None) -> list[str]:
        """Codes of the units directly below ``code`` (None: the roots)."""
        return list(self._children.get(code, []))

    def roots(self) -> list[Unit]:
        return [self.units[c] for c in self._children.get(None, [])]

    def settings(self, method: str) -> dict[str, Any]:
        """``method``'s settings: its declared defaults overlaid by ``[plugins.METHOD]``."""
        info = self.require_method(method)
        merged = info.defaults()
        merged.update(self.deployment.plugins.get(method, {}))
        return merged

    def ctx(self, method: str, now: dt.datetime | None = None) -> MethodContext:
        """The :class:`MethodContext` handed to ``method``'s hooks and commands (``now``
        defaults to the clock)."""
        return MethodContext(self, self.require_method(method), self.settings(method), now or self.now(), self.actor)

    def context_queries(self) -> Queries:
        """The read/write API objects every context of this County shares."""
        if self._queries is None:
            self._queries = Queries.of(self)
        return self._queries

    def chain_method(self, case_method: str) -> MethodInfo:
        """The method whose tier chain and deadlines govern cases taken in by ``case_method``
        (its own, or the one ``[bindings] METHOD.deadline`` names)."""
        return self.require_method(self.deployment.bound(case_method, "deadline"))

    # -- intake ----------------------------------------------------------------------------
    def add_case(self, method: str, unit: str, title: str, *, channel: str | None = None,
                 category: str | None = None, description: str | None = None,
                 requester: Requester | None = None, fields: dict[str, str] | None = None,
                 source_id: str | None = None, created_at: dt.datetime | None = None) -> Case:
        """Take one case in: intake -> triage -> assignment -> deadline, in one transaction.

        ``created_at`` (aware) defaults to now; historical imports pass the real arrival.
        Raises CountyError (bad input, exit 2), NotFound, PluginError (names plugin and hook).
        """
        if method not in self.deployment.methods:
            raise CountyError(f"--method: {method!r} is not enabled in this deployment (enabled: {', '.join(self.deployment.methods) or 'none'})")
        if not (title or "").strip():
            raise CountyError("--title: a case needs a title")
        if len(title.strip()) > MAX_TITLE:
            raise CountyError(f"--title: {len(title.strip())} characters; a title is at most {MAX_TITLE} "
                              f"(put the rest in --description)")
        check_requester(requester)
        self.unit(unit)
        now = self.now()
        at = self.calendar.local(created_at) if created_at else now
        with self.store.transaction():
            if source_id is not None and self.store.db.execute(
                    "select 1 from cases where source_id = ?", [source_id]).fetchone():
                raise Refusal(f"source id {source_id!r} was already taken in")
            seq = (self.store.db.execute("select max(seq) from cases").fetchone()[0] or 0) + 1
            case = Case(id=f"{self.deployment.code}-{seq:06d}", method=method, title=title.strip(), unit=unit,
                        channel=channel, category=category, description=description,
                        requester=requester or Requester(), created_at=at, tier_arrived_at=at,
                        source_id=source_id)
            events: list[Event] = [Event(at, "registered", self.actor, note=f"channel={channel}" if channel else None)]
            intake_m = self.deployment.bound(method, "intake")
            res = self.registry.call_one(intake_m, "intake", ctx=self.ctx(intake_m, now), case=case,
                                         fields=dict(fields or {}))
            if res is None:
                res = default_intake(self.require_method(intake_m), case, fields or {})
            expect(res, IntakeResult, intake_m, "intake")
            case.extra.update(res.extra)
            chain = self.chain_method(method)
            case.level = res.level if res.level and chain.tier(res.level) else (chain.tiers[0].name if chain.tiers else res.level)
            triage_m = self.deployment.bound(method, "triage")
            tri = self.registry.call_one(triage_m, "triage", ctx=self.ctx(triage_m, now), case=case)
            if tri is not None:
                expect(tri, TriageResult, triage_m, "triage")
                case.category = tri.category or case.category
                case.priority = tri.priority or case.priority
                if tri.level and chain.tier(tri.level):
                    case.level = tri.level
                case.extra.update(tri.extra)
                if tri.note or tri.category:
                    events.append(Event(at, "triaged", self.actor, case.level, tri.note,
                                        {"category": case.category, "priority": case.priority}))
            self._validate_codes(case)
            case.events = events
            self._insert_case(case, seq)
            if res.settled:
                self._write_events(case)
                self._resolve(case, at, res.note or "当场办结 settled on the spot", now)
            else:
                self._arrive(case, case.level, at, now, first=True)
                self._write_events(case)
        return self.get_case(case.id)

    def _validate_codes(self, case: Case) -> None:
        info = self.require_method(case.method)
        if case.channel and info.channels and case.channel not in info.channels:
            raise CountyError(f"--channel: {case.channel!r} is not a channel of {info.name} (use one of: {', '.join(info.channels)})")
        if case.category and info.categories and case.category not in info.categories:
            raise CountyError(f"--category: {case.category!r} is not a category of {info.name} (use one of: {', '.join(info.categories)})")

    # -- tiers -----------------------------------------------------------------------------
    def _arrive(self, case: Case, level: str | None, at: dt.datetime, now: dt.datetime, *, first: bool = False,
                assign: bool = True) -> None:
        """The case arrives at tier ``level`` at ``at``: assignment, then deadline milestones."""
        chain = self.chain_method(case.method)
        if assign:
            assign_m = self.deployment.bound(case.method, "assignment")
            owner = assign_m if (first or not chain.tiers or self.require_method(assign_m).tier(level)) else chain.name
            a = self.registry.call_one(owner, "assignment", ctx=self.ctx(owner, now), case=case, level=level)
            if a is None:
                a = default_assignment(self, chain, case, level)
            expect(a, Assignment, owner, "assignment")
            case.extra.update(a.extra)
            changed = (a.unit and a.unit != case.unit) or (a.handler and a.handler != case.handler)
            if a.unit:
                self.unit(a.unit)
                if a.unit != case.unit and not a.handler:
                    case.handler = None  # the lower tier's person does not follow the case up
                case.unit = a.unit
            if a.handler:
                self.person(a.handler)
                case.handler = a.handler
            if case.handler and case.status == "registered":
                case.status = "assigned"
            if changed or first and (a.unit or a.handler):
                case.events.append(Event(at, "assigned", self.actor, level, a.note,
                                         {"unit": case.unit, "handler": case.handler}))
        case.level, case.tier_arrived_at = level, at
        d = self.registry.call_one(chain.name, "deadline", ctx=self.ctx(chain.name, now), case=case, level=level,
                                   arrived_at=at)
        d = d or Deadline()
        expect(d, Deadline, chain.name, "deadline")
        primaries = [m for m in d.milestones if m.primary]
        if d.milestones and len(primaries) != 1:
            from framework.errors import PluginError
            raise PluginError(chain.name, "county_deadline", f"{len(primaries)} primary milestones for tier {level!r} (need exactly one)")
        for m in d.milestones:
            problem = None
            if m.due_at.tzinfo is None:
                problem = f"milestone {m.name!r} has a naive due instant"
            elif m.action not in MISS_ACTIONS:
                problem = f"milestone {m.name!r}: action {m.action!r} is not one of {', '.join(MISS_ACTIONS)}"
            elif m.to_level is not None and chain.tier(m.to_level) is None:
                problem = f"milestone {m.name!r}: to_level {m.to_level!r} is not a tier of the {chain.name} chain"
            if problem:
                from framework.errors import PluginError
                raise PluginError(chain.name, "county_deadline", problem)
            self.store.db.execute(
                "insert into milestones (case_id, level, name, due_at, due_ts, action, to_level, is_primary, state, note)"
                " values (?,?,?,?,?,?,?,?,?,?)",
                [case.id, level, m.name, iso(self.calendar.local(m.due_at)), m.due_at.timestamp(), m.action,
                 m.to_level, int(m.primary), "pending", m.note])
        case.extra.update({k: (iso(v) if isinstance(v, dt.datetime) else v) for k, v in d.extra.items()})
        case.due_at = self.calendar.local(primaries[0].due_at) if primaries else None
        self._save(case, now)

    def _close_milestones(self, case_id: str, at: dt.datetime, *, level: str | None = None) -> None:
        """Leaving a tier (or resolving) at ``at``: pending milestones due by then were missed
        (late), the rest were met."""
        # +state: keep SQLite on the (case_id, state) index; the (state, due_ts) one scans every
        # pending milestone of the database (quadratic over a bulk historical import)
        where = "case_id = ? and +state = 'pending'" + (" and level = ?" if level else "")
        params = [case_id] + ([level] if level else [])
        db = self.store.db
        late = db.execute(f"select count(*) from milestones where {where} and due_ts < ?", params + [at.timestamp()]).fetchone()[0]
        db.execute(f"update milestones set state = 'missed', closed_at = ? where {where} and due_ts < ?", [iso(at)] + params + [at.timestamp()])
        db.execute(f"update milestones set state = 'met', closed_at = ? where {where}", [iso(at)] + params)
        if late:
            db.execute("update cases set overdue_count = overdue_count + ? where id = ?", [late, case_id])

    def _move(self, case: Case, to_level: str, at: dt.datetime, now: dt.datetime, note: str | None,
              *, assign: bool = True) -> None:
        old = case.level
        self._close_milestones(case.id, at, level=old)
        case.status = "escalated"
        case.events = [Event(at, "escalated", self.actor, to_level, note, {"from": old, "to": to_level})]
        self._arrive(case, to_level, at, now, assign=assign)
        self._write_events(case)

    # -- operator actions ------------------------------------------------------------------
    def escalate(self, case_id: str, reason: str | None = None, to_level: str | None = None) -> Case:
        """Move an open case to the next tier of its chain now (上报). Refusal at the chain's end."""
        now = self.now()
        with self.store.transaction():
            case = self._load(case_id)
            self._require_open(case, "escalate")
            chain = self.chain_method(case.method)
            nxt = chain.tier(to_level) if to_level else chain.next_tier(case.level)
            if nxt is not None and nxt.by_command_only and not to_level:
                raise Refusal(f"case {case_id}: the {chain.name} tier {nxt.name} ({nxt.title_zh}) is reached only "
                              f"through {chain.name}'s own command, not by escalation")
            names = [t.name for t in chain.tiers]
            if nxt is not None and case.level in names and names.index(nxt.name) <= names.index(case.level):
                raise Refusal(f"case {case_id} is at {case.level}; escalation goes up the chain, not to {nxt.name}")
            if nxt is None:
                if not chain.tiers:
                    raise Refusal(f"{chain.name} has no escalation chain; case {case_id} cannot be escalated")
                if to_level:
                    raise CountyError(f"tier {to_level!r} is not a tier of the {chain.name} chain "
                                      f"(tiers: {', '.join(t.name for t in chain.tiers)})")
                if chain.tier(case.level) is None:
                    raise Refusal(f"case {case_id} is at {'tier ' + repr(case.level) if case.level else 'no tier'}, "
                                  f"which is not in the {chain.name} chain ({', '.join(t.name for t in chain.tiers)}); "
                                  f"it cannot be escalated")
                raise Refusal(f"case {case_id} is at the last tier of the {chain.name} chain ({case.level}); "
                              f"it cannot be escalated further")
            self._move(case, nxt.name, now, now, reason or "escalated by operator")
        return self.get_case(case_id)

    def assign(self, case_id: str, handler: str | None = None, unit: str | None = None, note: str | None = None) -> Case:
        """Give an open case to a person and/or unit. A unit whose level is a later tier of the
        case's chain moves the case to that tier (e.g. 三账办 hands it to a department)."""
        if not handler and not unit:
            raise CountyError("case assign: give --handler PERSON or --unit UNIT")
        now = self.now()
        with self.store.transaction():
            case = self._load(case_id)
            self._require_open(case, "assign")
            if handler:
                p = self.person(handler)
                unit = unit or p.unit
            u = self.unit(unit) if unit else None
            chain = self.chain_method(case.method)
            names = [t.name for t in chain.tiers]
            target = next((t for t in chain.tiers if u and t.level == u.level), None)
            moved = (target is not None and case.level in names and names.index(target.name) > names.index(case.level))
            if u:
                case.unit = u.code
            if handler:
                case.handler = handler
            elif u:
                case.handler = None
            case.events = [Event(now, "assigned", self.actor, target.name if moved else case.level, note,
                                 {"unit": case.unit, "handler": case.handler})]
            if case.status in ("registered", "escalated"):
                case.status = "assigned"
            self._write_events(case)
            if moved:
                self._close_milestones(case.id, now, level=case.level)
                case.events = []
                self._arrive(case, target.name, now, now, assign=False)
            else:
                self._save(case, now)
        return self.get_case(case_id)

    def resolve(self, case_id: str, note: str, at: dt.datetime | None = None) -> Case:
        """Mark an open case resolved (办结) at ``at`` (default now) at its current tier."""
        if not (note or "").strip():
            raise CountyError("case resolve: --note is required (what was done)")
        now = self.now()
        with self.store.transaction():
            case = self._load(case_id)
            self._require_open(case, "resolve")
            when = self.calendar.local(at) if at else now
            if case.created_at and when < case.created_at:
                raise Refusal(f"case {case_id} was taken in at {case.created_at.isoformat()}; "
                              f"it cannot be resolved earlier ({when.isoformat()})")
            if case.tier_arrived_at and when < case.tier_arrived_at:
                raise Refusal(f"case {case_id} reached tier {case.level} at {case.tier_arrived_at.isoformat()}; "
                              f"it cannot be resolved there earlier ({when.isoformat()})")
            if when > now:
                raise Refusal(f"case {case_id}: resolution time {when.isoformat()} is after now ({now.isoformat()})")
            self._resolve(case, when, note, now)
        return self.get_case(case_id)

    def _resolve(self, case: Case, at: dt.datetime, note: str, now: dt.datetime) -> None:
        self._close_milestones(case.id, at)
        case.status, case.resolved_at, case.resolved_level = "resolved", at, case.level
        case.events = [Event(at, "resolved", self.actor, case.level, note)]
        self._save(case, now)
        self._write_events(case)

    def confirm(self, case_id: str, satisfaction: str, note: str | None = None, at: dt.datetime | None = None) -> Case:
        """The requester confirms the result and rates it (签字确认): satisfied / basically /
        unsatisfied. Only a resolved case can be confirmed (else exit 1)."""
        if satisfaction not in SATISFACTION:
            raise CountyError(f"--satisfaction: {satisfaction!r} (use {', '.join(SATISFACTION)})")
        now = self.now()
        with self.store.transaction():
            case = self._load(case_id)
            if case.status != "resolved":
                raise Refusal(f"case {case_id} is {case.status}; only a resolved case can be confirmed")
            when = self.calendar.local(at) if at else now
            if case.resolved_at and when < case.resolved_at:
                raise Refusal(f"case {case_id} was resolved at {case.resolved_at.isoformat()}; "
                              f"it cannot be confirmed earlier ({when.isoformat()})")
            case.status, case.satisfaction = "confirmed", satisfaction
            case.events = [Event(when, "confirmed", self.actor, case.level, note, {"satisfaction": satisfaction})]
            self._save(case, now)
            self._write_events(case)
        return self.get_case(case_id)

    def record_event(self, case_id: str, type: str, note: str | None = None, data: dict | None = None,
                     *, extra: dict | None = None, status: str | None = None, meet: str | None = None) -> Case:
        """Append a method-specific event (e.g. taizhang ``deliberated``), optionally updating
        ``extra`` fields and the status, in one transaction. For plugins' own commands.

        ``meet`` names a pending milestone of the case's current tier that this event fulfils
        (e.g. taizhang's township ``reply``): it is closed now — met, or missed if already past
        due — so the sweep no longer flags it. Refusal when no such milestone is pending."""
        if status is not None and status not in OPEN_STATUSES:
            raise CountyError(f"record_event: status {status!r} must be an open status ({', '.join(OPEN_STATUSES)}); "
                              f"resolve and confirm have their own commands")
        now = self.now()
        with self.store.transaction():
            case = self._load(case_id)
            if case.created_at and now < case.created_at:
                raise Refusal(f"case {case_id} was taken in at {case.created_at.isoformat()}; "
                              f"cannot record {type!r} at {now.isoformat()} (check --now)")
            if status is not None:  # events (回访, checks) may follow a closed case; status changes may not
                self._require_open(case, "set the status of")
            if meet:
                row = self.store.db.execute(
                    "select id, due_ts from milestones where case_id = ? and level is ? and name = ? and state = 'pending'",
                    [case_id, case.level, meet]).fetchone()
                if row is None:
                    raise Refusal(f"case {case_id} has no pending milestone {meet!r} "
                                  f"{'at tier ' + case.level if case.level else '(it is at no tier)'}")
                late = row[1] < now.timestamp()
                self.store.db.execute("update milestones set state = ?, closed_at = ? where id = ?",
                                      ["missed" if late else "met", iso(now), row[0]])
                if late:
                    self.store.db.execute("update cases set overdue_count = overdue_count + 1 where id = ?", [case_id])
            if extra:
                case.extra.update(extra)
            if status:
                case.status = status
            case.events = [Event(now, type, self.actor, case.level, note, data or {})]
            self._save(case, now)
            self._write_events(case)
        return self.get_case(case_id)

    def _require_open(self, case: Case, what: str) -> None:
        if not case.is_open:
            raise Refusal(f"case {case.id} is {case.status}; cannot {what} it")
        now = self.now()
        if case.created_at and now < case.created_at:
            raise Refusal(f"case {case.id} was taken in at {case.created_at.isoformat()}; "
                          f"cannot {what} it at {now.isoformat()} (check --now)")

    # -- the sweep ---------------------------------------------------------------------------
    def sweep(self) -> list[dict]:
        """Find pending milestones past due at ``now`` (by index) and apply them: escalate,
        flag (an ``overdue`` event, 督办), or for ``none`` only record the miss. Idempotent for the same ``now``: the second run finds nothing pending and past due.
        Returns one dict per action: case, milestone, action, from, to."""
        now = self.now()
        actions = []
        with self.store.transaction():
            rows = self.store.query(
                "select m.* from milestones m where m.state = 'pending' and m.due_ts < ? order by m.due_ts, m.id",
                [now.timestamp()])
            for m in rows:
                cur = self.store.db.execute("select state from milestones where id = ?", [m["id"]]).fetchone()
                if cur[0] != "pending":
                    continue  # closed by an earlier escalation in this run
                case = self._load(m["case_id"])
                if not case.is_open:
                    continue
                self.store.db.execute("update milestones set state = 'missed', closed_at = ? where id = ?",
                                      [iso(now), m["id"]])
                self.store.db.execute("update cases set overdue_count = overdue_count + 1 where id = ?", [case.id])
                chain = self.chain_method(case.method)
                target = chain.tier(m["to_level"]) if m["to_level"] else chain.next_tier(case.level)
                action = m["action"]
                if action == "escalate" and (target is None or (target.by_command_only and not m["to_level"])):
                    action = "flag"
                if action == "none":
                    continue  # recorded as missed (it counts against on-time), no 督办 event
                due = m["due_at"]
                note = f"{m['name']} due {due} missed"
                self.store.append_event(case.id, now, "overdue", self.actor, level=case.level, unit=case.unit,
                                        note=note, data={"milestone": m["name"], "due_at": due, "action": action})
                act = {"case": case.id, "milestone": m["name"], "due_at": due, "action": action,
                       "from": case.level, "to": case.level}
                if action == "escalate":
                    self._move(case, target.name, now, now, f"{m['name']} missed: escalated by sweep")
                    act["to"] = target.name
                actions.append(act)
        return actions

    # -- reading ---------------------------------------------------------------------------
    def _load(self, case_id: str) -> Case:
        row = self.store.db.execute("select * from cases where id = ?", [case_id]).fetchone()
        if row is None:
            raise NotFound(f"unknown case {case_id!r} (see `county case list`)")
        cols = [d[0] for d in self.store.db.execute("select * from cases limit 0").description]
        return row_to_case(dict(zip(cols, row)))

    def get_case(self, case_id: str) -> Case:
        case = self._load(case_id)
        case.events = [
            Event(dt.datetime.fromisoformat(r["at"]), r["type"], r["actor"], r["level"], r["note"], json.loads(r["data"] or "{}"))
            for r in self.store.query("select * from events where case_id = ? order by id", [case_id])
        ]
        return case

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
                   overdue: bool = False, limit: int | None = None) -> list[Case]:
        """Cases by status, unit subtree (taken in there or held there now), method, and
        ``overdue`` (open and past due at now), in intake order."""
        where, params = self.scope_sql(unit, unit_cols=("unit", "origin_unit"))
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
        rows = self.store.query("select * from cases where " + " and ".join(where) + " order by seq", params)
        return [row_to_case(r) for r in rows]

    # -- writing ---------------------------------------------------------------------------
    def _insert_case(self, case: Case, seq: int) -> None:
        row = case_to_row(case)
        row["seq"], row["origin_unit"], row["overdue_count"] = seq, case.unit, 0
        self.store.db["cases"].insert(row, pk="id")

    def _save(self, case: Case, now: dt.datetime) -> None:
        row = case_to_row(case)
        row["updated_at"] = iso(now)
        row.pop("id")
        self.store.db["cases"].update(case.id, row)

    def _write_events(self, case: Case) -> None:
        for e in case.events:
            self.store.append_event(case.id, e.at, e.type, e.actor, level=e.level, unit=case.unit, note=e.note, data=e.data)
        case.events = []

    # -- publicity and appraisal -------------------------------------------------------------
    def boards(self, unit: str, period: str) -> list[Board]:
        """Every enabled method's boards for ``unit`` and ``period``, masked (conventions §3).
        This is the one place public rows leave the kernel."""
        u = self.unit(unit)
        period_dates(period)
        out: list[Board] = []
        for _name, b in self.registry.collect(
                self.deployment.methods, "publicity", Board, unit=u, period=period,
                per_plugin=lambda name: {"ctx": self.ctx(name),
                                         "cases": lambda method=name: self.cases_in(unit, period, method)}):
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
        from framework.publish.masking import SecretMap, mask_record, mask_text

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
        own (``county_appraisal``)."""
        from framework.publish.appraisal import common_metrics

        metrics = common_metrics(self, period, unit)
        u = self.unit(unit) if unit else None
        for _name, m in self.registry.collect(self.deployment.methods, "appraisal", Metric, unit=u, period=period,
                                              per_plugin=lambda name: {"ctx": self.ctx(name)}):
            m.period = m.period or period
            metrics.append(m)
        return metrics

    def duties(self, on_date: dt.date, unit: str | None = None):
        u = self.unit(unit) if unit else None
        from framework.models import Duty

        return [d for _name, d in self.registry.collect(self.deployment.methods, "duties", Duty, unit=u, on_date=on_date,
                                                        per_plugin=lambda name: {"ctx": self.ctx(name)})]


def case_json(case: Case, *, events: bool = True, public: bool = False) -> dict:
    """The case JSON shape of conventions §5. ``public`` masks the requester."""
    d = converter.unstructure(case)
    if not events:
        d.pop("events")
    if public:
        from framework.publish.masking import mask_case_json

        d = mask_case_json(d, case.requester)
    return d


def _split(v) -> list[str]:
    if isinstance(v, list):
        return [str(x).strip() for x in v if str(x).strip()]
    return [x.strip() for x in str(v or "").replace(";", ",").split(",") if x.strip()]


def _whoami() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "operator"
