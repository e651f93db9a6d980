"""A case's life in the kernel: intake → triage → assignment → deadline, tiers and their
milestones, and the operator's actions (escalate, assign, resolve, confirm, record an event).

Every operation runs in one ``BEGIN IMMEDIATE`` transaction that writes the case row, its
milestones and its appended events together; a hook that raises rolls it all back
(conventions §6). Mixin of :class:`framework.kernel.county.County`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from framework.errors import CountyError, PluginError, Refusal, SourceTaken
from framework.kernel.bulk import (
    DEFAULT_BATCH,
    INSERT_MILESTONE,
    SETTLED_NOTE,
    CaseSpec,
    Taken,
    add_cases,
    source_taken,
)
from framework.kernel.guards import (
    check_order,
    find_request,
    note_nobody,
    refuse_duplicate,
    same_request,
)
from framework.kernel.notes import calendar_note, channel_note, operator_escalated_note
from framework.kernel.stages import (  # noqa: F401  (MAX_TITLE: the kernel's name, here since ever)
    MAX_TITLE,
    check_case_text,
    default_assignment,
    default_intake,
    expect,
)
from framework.models import (
    ANCHORS,
    MISS_ACTIONS,
    OPEN_STATUSES,
    Assignment,
    Case,
    Deadline,
    Event,
    IntakeResult,
    Requester,
    TriageResult,
)
from framework.store.chain import next_seq
from framework.store.db import iso
from framework.store.rows import UPDATE_CASE, Instants, case_to_row

_ISO, _TIMESTAMP = dt.datetime.isoformat, dt.datetime.timestamp  # an instant's text and Unix time



class CaseLifecycle:
    """The writes of a case's life; see the module."""

    # -- intake ----------------------------------------------------------------------------
    def add_case(self, method: str, unit: str, title: str, *, channel: str | None = None,
                 category: str | None = None, description: str | None = None,
                 requester: Requester | None = None, fields: dict[str, str] | None = None,
                 source_id: str | None = None, created_at: dt.datetime | None = None,
                 request_id: str | None = None, duplicate_window: dt.timedelta | None = None) -> Case:
        """Take one case in: intake -> triage -> assignment -> deadline, in one transaction.

        ``created_at`` defaults to now; historical imports pass the real arrival (a naive
        datetime is deployment-local, never the host's zone: docs/hooks.md §6).
        ``request_id`` (issue 14): an idempotency key — when a case was already taken in with
        it, that case is returned and nothing is written (:meth:`find_request`); kept in
        ``extra["request_id"]``. ``duplicate_window`` (e.g. 10 minutes; ``county case add``
        unless ``--allow-duplicate``): a case with the same requester phone, title and unit
        taken in within that long of ``created_at`` is a Refusal naming it (exit 1).
        Raises CountyError (bad input, exit 2), NotFound, PluginError (names plugin and hook).
        Many cases at once: :meth:`add_cases` (:mod:`framework.kernel.bulk`), same stages, batched writes.
        """
        if request_id is not None and not str(request_id).strip():
            raise CountyError("--request-id: empty; give the client's key for this submission, or leave it out")
        self._check_new_case(method, unit, title, requester)
        now = self.now()
        at = self.calendar.local(created_at) if created_at else now
        with self.store.transaction():
            if request_id is not None:
                earlier = self.find_request(request_id)
                if earlier:
                    same_request(self, earlier, request_id, method=method, unit=unit, title=title, category=category)
                    return self.get_case(earlier)
            if source_id is not None and self.store.db.execute(
                    "select 1 from cases where source_id = ?", [source_id]).fetchone():
                raise SourceTaken(source_taken(source_id))
            if duplicate_window is not None and requester and requester.phone:
                refuse_duplicate(self, unit, title, requester.phone, at, duplicate_window)
            seq = next_seq(self.store.db.conn)  # never a deleted top case's number (issue 14)
            case, res = self._take_in(seq, method, unit, title, channel=channel, category=category,
                                      description=description, requester=requester, fields=fields,
                                      source_id=source_id, at=at, now=now, ctx=self.ctx)
            if request_id is not None:
                case.extra["request_id"] = str(request_id).strip()
            self._insert_case(case, seq)
            if res.settled:
                self._write_events(case)
                self._resolve(case, at, res.note or SETTLED_NOTE, now)
            else:
                self._arrive(case, case.level, at, now, first=True)
                self._write_events(case)
        return self.get_case(case.id)

    def find_request(self, request_id: str) -> str | None:
        """The id of the case taken in with idempotency key ``request_id`` (``county case add
        --request-id``; an Open311 client's ``token``), or None (:func:`.guards.find_request`)."""
        return find_request(self, request_id)

    def add_cases(self, specs: Iterable[CaseSpec], *, batch: int = DEFAULT_BATCH) -> Iterator[Taken]:
        """Take many cases in, as :meth:`add_case` (then, for a historical spec, :meth:`resolve`
        and :meth:`confirm`) would one by one — same stages, checks, events, milestones and
        errors — but ``batch`` per transaction with batched writes
        (:mod:`framework.kernel.bulk`). Yields a :class:`~framework.kernel.bulk.Taken` per spec
        (the case, or the error that refused it) once its batch is committed."""
        return add_cases(self, specs, batch=batch)

    def _check_new_case(self, method: str, unit: str, title: str, requester: Requester | None) -> None:
        """The checks before a case is taken in: the method enabled, a title of at most
        MAX_TITLE characters, the requester's phone/ID number, a known unit."""
        self.require_enabled(method)
        check_case_text(title, requester)
        self.unit(unit)

    def _take_in(self, seq: int, method: str, unit: str, title: str, *, channel: str | None,
                 category: str | None, description: str | None, requester: Requester | None,
                 fields: dict[str, str] | None, source_id: str | None, at: dt.datetime, now: dt.datetime,
                 ctx: Callable[[str, dt.datetime], Any], routes: Any = None) -> tuple[Case, IntakeResult]:
        """Intake and triage of a new case numbered ``seq`` (nothing written): the bound
        methods' hooks with ``ctx(method, now)``, the starting tier, the codes checked. Returns
        the case (its ``events`` to write: registered, triaged) and the intake result. A case
        cannot arrive after now (CountyError naming both instants); an empty channel or
        category is not one (CountyError: leave it out and triage chooses). ``routes``: the
        method's stages looked up once (bulk intake's :class:`~framework.kernel.bulk_context.Routes`)."""
        if channel is not None and not str(channel).strip():
            raise CountyError("--channel: empty; leave it out and the method's triage chooses")
        if category is not None and not str(category).strip():
            raise CountyError("--category: empty; leave it out and the method's triage chooses")
        if at > now:
            raise CountyError(f"created_at {at.isoformat()}: after now ({now.isoformat()}); a case cannot arrive "
                              f"in the future (check the time, or --now)")
        case = Case(id=f"{self.deployment.code}-{seq:06d}", method=method, title=title.strip(), unit=unit,
                    channel=channel, category=category, description=description,
                    requester=requester or Requester(), created_at=at, tier_arrived_at=at,
                    source_id=source_id)
        note = routes.note(channel) if routes else channel_note(self.registry, method, channel)
        events: list[Event] = [Event(at, "registered", self.actor, note=note)]
        intake_m = routes.intake if routes else self.deployment.bound(method, "intake")
        res = self.registry.call_one(intake_m, "intake", ctx=ctx(intake_m, now), case=case,
                                     fields=dict(fields or {}))
        if res is None:
            res = default_intake(self.require_method(intake_m), case, fields or {})
        expect(res, IntakeResult, intake_m, "intake")
        case.extra.update(res.extra)
        chain = routes.chain if routes else self.chain_method(method)
        case.level = res.level if res.level and chain.tier(res.level) else (chain.tiers[0].name if chain.tiers else res.level)
        triage_m = routes.triage if routes else self.deployment.bound(method, "triage")
        tri = self.registry.call_one(triage_m, "triage", ctx=ctx(triage_m, now), case=case)
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
        self._validate_codes(case, routes.info if routes else None)
        case.events = events
        return case, res

    def _validate_codes(self, case: Case, info: Any = None) -> None:
        info = info or self.require_method(case.method)
        if case.channel and info.channels and case.channel not in info.channels:
            raise CountyError(f"--channel: {case.channel!r} is not a channel of {info.name} (use one of: {', '.join(info.channels)})")
        if case.category and info.categories and case.category not in info.categories:
            raise CountyError(f"--category: {case.category!r} is not a category of {info.name} (use one of: {', '.join(info.categories)})")

    # -- tiers -----------------------------------------------------------------------------
    def _arrive(self, case: Case, level: str | None, at: dt.datetime, now: dt.datetime, *, first: bool = False,
                assign: bool = True) -> None:
        """The case arrives at tier ``level`` at ``at``: assignment, then deadline milestones."""
        for m in self._arrive_stages(case, level, at, now, self.ctx, first=first, assign=assign):
            self.store.db.execute(INSERT_MILESTONE, m)
        self._save(case, now)

    def _arrive_stages(self, case: Case, level: str | None, at: dt.datetime, now: dt.datetime,
                       ctx: Callable[[str, dt.datetime], Any], *, first: bool = False,
                       assign: bool = True, instants: Instants | None = None, routes: Any = None) -> list[list[Any]]:
        """Assignment and deadline at tier ``level`` (nothing written): updates ``case`` (unit,
        handler, status, tier, due, extra; an ``assigned`` event appended) and returns the
        milestones' rows for :data:`INSERT_MILESTONE`, validated. ``instants``
        (:class:`~framework.store.rows.Instants`, bulk intake's) formats each due instant once
        for the milestone's row and the case's; ``routes`` as for :meth:`_take_in`."""
        chain = routes.chain if routes else self.chain_method(case.method)
        if assign:
            assign_m = routes.assignment if routes else self.deployment.bound(case.method, "assignment")
            owner = assign_m if (first or not chain.tiers or self.require_method(assign_m).tier(level)) else chain.name
            a = self.registry.call_one(owner, "assignment", ctx=ctx(owner, now), case=case, level=level)
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
            # the joint pair (会办) is the hook's each time it runs: escalation drops an unnamed one
            joint = (a.joint_unit or (self.person(a.joint_handler).unit if a.joint_handler else None), a.joint_handler)
            if joint[0]:
                self.unit(joint[0])
            joint_changed = joint != (case.joint_unit, case.joint_handler)
            case.joint_unit, case.joint_handler = joint
            if changed or joint_changed or first and (a.unit or a.handler):
                data = {"unit": case.unit, "handler": case.handler}
                if joint_changed or joint[0]:
                    data.update(joint_unit=joint[0], joint_handler=joint[1])
                case.events.append(Event(at, "assigned", self.actor, level, a.note, data))
            note_nobody(self, case, chain, level, at)
        case.level, case.tier_arrived_at = level, at
        self.calendar.touched.clear()
        d = self.registry.call_one(chain.name, "deadline", ctx=ctx(chain.name, now), case=case, level=level,
                                   arrived_at=at)
        used_years = sorted(self.calendar.touched)
        d = d or Deadline()
        expect(d, Deadline, chain.name, "deadline")
        primaries = [m for m in d.milestones if m.primary]
        if d.milestones and len(primaries) != 1:
            raise PluginError(chain.name, "county_deadline", f"{len(primaries)} primary milestones for tier {level!r} (need exactly one)")
        rows = []
        local, tz, case_due = self.calendar.local, self.calendar.tz, None
        text, stamp = (instants.text, instants.ts) if instants is not None else (_ISO, _TIMESTAMP)
        for m in d.milestones:
            problem = None
            if m.due_at.tzinfo is None:
                problem = f"milestone {m.name!r} has a naive due instant"
            elif m.action not in MISS_ACTIONS:
                problem = f"milestone {m.name!r}: action {m.action!r} is not one of {', '.join(MISS_ACTIONS)}"
            elif m.to_level is not None and chain.tier(m.to_level) is None:
                problem = f"milestone {m.name!r}: to_level {m.to_level!r} is not a tier of the {chain.name} chain"
            elif m.anchor not in ANCHORS:
                problem = f"milestone {m.name!r}: anchor {m.anchor!r} is not one of {', '.join(ANCHORS)}"
            elif m.due_at <= at and m.anchor != "before":  # "before" an event: may be due at once
                problem = (f"milestone {m.name!r} falls due at {self.calendar.local(m.due_at).isoformat()}, not after the "
                           f"case arrived at tier {level!r} ({at.isoformat()}); a milestone timed before an "
                           f"event says anchor='before'")
            if problem:
                raise PluginError(chain.name, "county_deadline", problem)
            due_local = m.due_at if m.due_at.tzinfo is tz else local(m.due_at)  # (local() gives it back as it is)
            if m.primary:
                case_due = due_local
            rows.append([case.id, level, m.name, text(due_local), stamp(due_local), m.action,
                         m.to_level, int(m.primary), "pending", m.note, m.anchor])
        if d.extra:
            case.extra.update({k: (iso(v) if isinstance(v, dt.datetime) else v) for k, v in d.extra.items()})
        case.due_at = case_due
        for year in used_years:  # working days counted in a year without an official holiday schedule
            if self.calendar.year_warning(year):
                case.events.append(Event(at, "warning", self.actor, level, calendar_note(year),
                                         {"kind": "calendar", "year": year}))
        return rows

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
            check_order(self, case_id, now, "escalate")
            self._move(case, nxt.name, now, now, reason or operator_escalated_note(nxt))
        return self.get_case(case_id)

    def assign(self, case_id: str, handler: str | None = None, unit: str | None = None, note: str | None = None) -> Case:
        """Give an open case to a person and/or unit. A unit whose level is a later tier of the
        case's chain moves the case to that tier (e.g. 三账办 hands it to a department) with that
        tier's deadline; when no ``handler`` is named, the tier's assignment hook picks one of
        the unit (the unit itself stays the operator's choice)."""
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
            check_order(self, case_id, now, "assign")
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
                case.joint_unit = case.joint_handler = None  # a later tier: the hook names its own pair
                self._close_milestones(case.id, now, level=case.level)
                case.events = []
                # without a named person, the tier's assignment rule picks one of the unit (e.g. the
                # department's 责任人, casebook Zhongjiang L25); the operator's unit is kept
                self._arrive(case, target.name, now, now, assign=not handler)
                if u and case.unit != u.code:
                    case.unit, case.handler = u.code, None
                    case.events.append(Event(now, "assigned", self.actor, case.level, note,
                                             {"unit": case.unit, "handler": None}))
                    self._save(case, now)
                self._write_events(case)  # the tier's own assignment (and warnings) are events too (issue 14)
            else:
                self._save(case, now)
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
            check_order(self, case_id, now, f"record {type!r} on")
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

    def set_due(self, case_id: str, milestone: str, due_at: dt.datetime, note: str | None = None) -> Case:
        """Move the pending milestone ``milestone`` of the case's current tier to ``due_at``
        (aware; naive = deployment-local), e.g. an agent's promise shorter than the method's
        limit. The case's ``due_at`` follows when it is the primary milestone; a ``due_changed``
        event records both instants; the sweep applies the new one. Refusal when there is no
        such pending milestone or the case is closed; CountyError when ``due_at`` is not after
        the case's arrival at the tier."""
        now = self.now()
        due_at = self.calendar.local(due_at)
        with self.store.transaction():
            case = self._load(case_id)
            self._require_open(case, "re-time")
            db = self.store.db
            row = db.execute("select id, due_at, is_primary, anchor from milestones where case_id = ? and level is ?"
                             " and name = ? and state = 'pending'", [case_id, case.level, milestone]).fetchone()
            if row is None:
                raise Refusal(f"case {case_id} has no pending milestone {milestone!r} "
                              f"{'at tier ' + case.level if case.level else '(it is at no tier)'}")
            arrived = case.tier_arrived_at or case.created_at
            if arrived is not None and due_at <= arrived and row[3] != "before":
                raise CountyError(f"{milestone} due {due_at.isoformat()}: not after the case arrived at its tier "
                                  f"({arrived.isoformat()})")
            check_order(self, case_id, now, "re-time")
            db.execute("update milestones set due_at = ?, due_ts = ? where id = ?", [iso(due_at), due_at.timestamp(), row[0]])
            if row[2]:
                case.due_at = due_at
            case.events = [Event(now, "due_changed", self.actor, case.level, note,
                                 {"milestone": milestone, "from": row[1], "to": iso(due_at)})]
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

    # -- writing ---------------------------------------------------------------------------
    def _insert_case(self, case: Case, seq: int) -> None:
        row = case_to_row(case)
        row["seq"], row["origin_unit"], row["overdue_count"] = seq, case.unit, 0
        self.store.db["cases"].insert(row, pk="id")

    def _save(self, case: Case, now: dt.datetime) -> None:
        values = list(case_to_row(case).values())
        self.store.db.execute(UPDATE_CASE, [*values[1:], iso(now), case.id])

    def _write_events(self, case: Case) -> None:
        for e in case.events:
            self.store.append_event(case.id, e.at, e.type, e.actor, level=e.level, unit=case.unit, note=e.note, data=e.data)
        case.events = []
