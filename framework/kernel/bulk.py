"""Bulk intake: many cases through the same stages as :meth:`County.add_case`, written in
batches (``county case import``, ``--replay-sweeps``, the demo's replay).

Each case still runs intake → triage → assignment → deadline through the registry, in Python,
with the same checks, results, events, milestones and errors as ``add_case``; what changes is
how the results reach SQLite:

* one :class:`BulkIntake` is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``, a savepoint
  inside an outer transaction): its cases, events, milestones and the caller's own rows (e.g.
  ``imported_rows``) are written with ``executemany`` on prepared statements whose column lists
  are built once; a batch commits whole or not at all;
* no per-row SELECT: the case numbers (``seq``) are counted in memory from one ``max(seq)``,
  and the batch's source ids are checked against the database once (:meth:`BulkIntake.check_sources`);
* no read-back: the case handed back is the one the stages built;
* the contexts handed to the hooks are made once per method and batch (settings merged once),
  only ``ctx.now`` moves with each case.

A hook that reads the kernel's tables (``ctx.cases``, ``ctx.events``, ``ctx.milestones``, e.g.
a least-loaded handler counting open cases) first gets the batch written so far — and, from
assignment on, the case being taken in as ``add_case`` would have stored it — so it sees what
it would see case by case. A hook that writes (its own tables through ``ctx.db``, or
``ctx.actions``) opens a savepoint for its case first, so a refused case leaves nothing
behind. A case the kernel refuses raises :class:`CountyError` from :meth:`BulkIntake.add` and
is not written; the rest of the batch is.

:func:`add_cases` (``County.add_cases``) runs an iterable of :class:`CaseSpec` in batches and
yields a :class:`Taken` per spec once its batch is committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import attrs

from framework.errors import CountyError, Refusal, SourceTaken
from framework.kernel.bulk_context import BulkContext, Routes
from framework.kernel.bulk_gc import GcRest
from framework.kernel.bulk_rows import Instants, case_values, event_rows
from framework.kernel.bulk_seal import Sealer, head_hashes
from framework.kernel.bulk_sqlite import (  # noqa: F401  (INSERT_MILESTONE, bulk_pragmas: the kernel's names)
    _AT_SEQ,
    _CASE_INSERTED,
    _INSERT_CASE,
    _INSERT_CASE_SEALED,
    _INSERT_MILESTONE_CLOSED,
    _UPDATE_CASE,
    BULK_CACHE_KIB,
    BULK_CHECKPOINT_PAGES,
    INSERT_MILESTONE,
    bulk_pragmas,
    insert_events,
)
from framework.kernel.stages import (
    check_case_text,
    check_confirmation,
    check_resolution,
    check_satisfaction,
    rate_case,
    require_note,
)
from framework.models import Case, Event, Requester
from framework.store.chain import GENESIS, NOTE_DIRTY, chain_rows, next_seq
from framework.store.db import append_events, iso
from framework.store.rows import case_to_row
from framework.store.tallies import forget_all

# ``county`` parameters below are the County facade (framework.kernel.county), handed in by it;
# it is not imported here, so the kernel's modules form no import cycle.

#: The resolution note of a case its intake settles on the spot when the hook gives none.
SETTLED_NOTE = "当场办结 settled on the spot"
_SAVEPOINT = "county_bulk_case"


def source_taken(source_id: str) -> str:
    """The refusal of a case whose source id was taken in before."""
    return f"source id {source_id!r} was already taken in"


@attrs.define
class CaseSpec:
    """One case to take in: :meth:`County.add_case`'s arguments, then optionally a historical
    resolution — ``resolved_at`` resolves it there (as :meth:`County.resolve` with
    ``resolution_note``) unless intake settled it, and ``satisfaction`` then confirms it (as
    :meth:`County.confirm` at ``resolved_at``, else now, with ``confirmation_note``).

    ``also(case, now)`` returns one ``(sql, params)`` statement written with the case in its
    batch (``now``: the intake's instant, ISO text), or is None (the importer's
    ``imported_rows`` record). ``tag`` is the caller's, untouched."""

    method: str
    unit: str
    title: str
    channel: str | None = None
    category: str | None = None
    description: str | None = None
    requester: Requester | None = None
    fields: dict[str, Any] | None = None
    source_id: str | None = None
    created_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    resolution_note: str | None = None
    satisfaction: str | None = None
    confirmation_note: str | None = None
    also: Callable[[Case, str], tuple[str, Sequence[Any]]] | None = None
    tag: Any = None


@attrs.define
class Taken:
    """What became of one :class:`CaseSpec`: the ``case`` taken in (committed), or the
    ``error`` that refused it (nothing of it written)."""

    spec: CaseSpec
    case: Case | None = None
    error: CountyError | None = None


#: Cases per transaction of bulk intake by default. Each batch commits the index pages it dirtied (the cases' indexes
#: by origin unit and by handler touch a few hundred pages whatever the batch's size): 4,000 rather than 2,000 writes
#: them half as often (a 100 k import: COMMIT 0.94 → ~0.6 s CPU) for ~15 MB more held (peak RSS 91 → 105 MB) and a
#: lock held ~0.5 s per batch (8,000: no faster on 30 k rows); a batch is still committed whole or not at all.
DEFAULT_BATCH = 4000


def add_cases(county: Any, specs: Iterable[CaseSpec], *, batch: int = DEFAULT_BATCH) -> Iterator[Taken]:
    """Take ``specs`` in, ``batch`` per transaction (:class:`BulkIntake`): yields one
    :class:`Taken` per spec, in order, once its batch is committed. Specs are read from the
    iterable a batch at a time, so a stream of any length is held ``batch`` at a time. SQLite
    runs with a larger page cache and fewer WAL checkpoints meanwhile (:func:`bulk_pragmas`)."""
    with bulk_pragmas(county.store.db.conn):
        yield from _add_cases(county, specs, batch)


def _add_cases(county: Any, specs: Iterable[CaseSpec], batch: int) -> Iterator[Taken]:
    it = iter(specs)
    rest = GcRest()  # the garbage collector rests while a batch is read and taken (framework.kernel.bulk_gc)
    try:
        while True:
            rest.start()
            refused = False
            try:
                chunk = list(islice(it, max(batch, 1)))
                if not chunk:
                    return
                out = []
                with BulkIntake(county) as bulk:
                    bulk.check_sources(s.source_id for s in chunk)
                    for s in chunk:
                        try:
                            out.append(Taken(s, bulk.add(s)))
                        except CountyError as e:
                            out.append(Taken(s, None, e))
                            refused = True
            finally:
                rest.end(refused)
            yield from out
    finally:
        rest.close()


class _Case:
    """The case being taken in: whether (and how) it is in the database already."""

    __slots__ = ("case", "seq", "snapshot", "stored")

    def __init__(self, seq: int):
        self.seq, self.case, self.snapshot, self.stored = seq, None, None, False


class BulkIntake:
    """One transaction of bulk intake (a context manager). :meth:`add` takes one
    :class:`CaseSpec` in (the stages run at once; the writes wait for :meth:`flush`, which the
    end of the block does before it commits). :meth:`flush` before reading or changing the
    kernel's tables by other means (a sweep, an operator action), :meth:`invalidate` after
    something else may have added cases."""

    def __init__(self, county: Any):
        self.county, self.store, self.conn = county, county.store, county.store.db.conn
        self._cases: list[tuple[Any, ...]] = []  # rows held until the batch is written: cases, milestones, events
        self._milestones: list[tuple[Any, ...]] = []
        self._events: list[tuple[Any, ...]] = []
        self._also: dict[str, list[Sequence[Any]]] = {}
        self._seq: int | None = None
        self._free: set[str] = set()  # source ids the database did not hold when checked
        self._taken: set[str] = set()  # source ids taken in this transaction
        self._contexts: dict[str, BulkContext] = {}
        self._routes: dict[str, Routes | None] = {}  # method -> its stages' routes (Routes.of), once
        self._instants = Instants()  # each instant formatted once
        self._local_of: tuple[Any, Any] = (None, None)  # the last instant made local, and its local one
        self._checked: set[tuple[str, str]] = set()  # (method, unit) pairs _check_new_case passed
        self._codes: dict[tuple[str, str], str] = {}  # (method, satisfaction) -> its level code
        self._seal: Sealer | bool | None = None  # made at the first write (False: no seal running)
        self._row: _Case | None = None
        self._savepoint = False  # a savepoint is open for the case being taken in
        self._tx: contextlib.AbstractContextManager | None = None
        self._now: dt.datetime | None = None  # the last case's now, and its text
        self._now_text: str | None = None
        #: The earliest due instant (a timestamp) of pending milestones written or held (:meth:`invalidate` forgets it)
        self.pending_due: float | None = None
        #: How many ``ctx.actions`` calls hooks made (writes this intake did not make itself).
        self.actions = 0

    # -- the transaction -------------------------------------------------------------------
    def __enter__(self) -> "BulkIntake":
        self._tx = self.store.transaction()
        self._tx.__enter__()
        # a bulk intake's writes would drop most kept counts anyway, one trigger per row: all
        # dropped at once, the triggers then do nothing (framework.store.tallies)
        forget_all(self.conn)
        return self

    def __exit__(self, exc_type, exc, tb) -> bool | None:
        tx, self._tx = self._tx, None
        try:
            if exc_type is None:
                try:
                    self.flush()
                except BaseException as e:
                    tx.__exit__(type(e), e, e.__traceback__)  # rolls the batch back
                    raise
            return tx.__exit__(exc_type, exc, tb)
        finally:  # the contexts point back at this intake: dropped, the two are freed by reference counting
            self._contexts.clear()  # (not left as a cycle for the collector, which bulk_gc keeps frozen)

    def check_sources(self, source_ids: Iterable[str | None]) -> None:
        """Check these source ids against the database in one query (instead of one per case)."""
        ids = sorted({s for s in source_ids if s is not None} - self._free - self._taken)
        if not ids:
            return
        taken = {r[0] for r in self.conn.execute(
            "select source_id from cases where source_id in (select value from json_each(?))", [json.dumps(ids)])}
        self._free.update(s for s in ids if s not in taken)
        self._taken.update(taken)

    def invalidate(self) -> None:
        """Forget what this intake knows of the database (the last case number, the pending
        due instants): after something else wrote it (a sweep, an operator action)."""
        self.flush()
        self._seq = None
        self.pending_due = None

    # -- one case --------------------------------------------------------------------------
    def add(self, spec: CaseSpec) -> Case:
        """Take one case in (see :class:`CaseSpec`), as :meth:`County.add_case` would and, for
        a historical spec, :meth:`County.resolve` and :meth:`County.confirm` after it. Returns
        the case (its events are not loaded). Raises what they raise; nothing of a refused case
        is written."""
        c = self.county
        if (spec.method, spec.unit) in self._checked:  # method enabled, unit known and [where] checked this batch
            check_case_text(spec.title, spec.requester)
        else:
            c._check_new_case(spec.method, spec.unit, spec.title, spec.requester)
            self._checked.add((spec.method, spec.unit))
        now = c.now()
        if self._now is not None and now == self._now and now.tzinfo is self._now.tzinfo and now.fold == self._now.fold:
            now = self._now  # the same instant as the last case's (a fixed clock): formatted once
        at = c.calendar.local(spec.created_at) if spec.created_at else now
        sid = spec.source_id
        if sid is not None:
            if sid not in self._free:
                self.check_sources([sid])
            if sid in self._taken:
                raise SourceTaken(source_taken(sid))
        if self._seq is None:
            self._seq = next_seq(self.conn) - 1  # never a deleted top case's number (issue 14)
        row = self._row = _Case(self._seq + 1)
        try:
            case, milestones, events, late = self._stages(spec, row, at, now)
            values = case_values(case, self._instants)
            if now is not self._now:
                self._now, self._now_text = now, iso(now)
            # rows held until the batch is written are tuples of plain values: the collector does not track them
            if row.stored:
                self.conn.execute(_UPDATE_CASE, [*values[1:], self._now_text, late, case.id])
            else:
                self._cases.append((*values, row.seq, case.origin_unit, late, self._now_text))
            for m in milestones:
                if m[8] == "pending":
                    m.append(None)  # closed_at
                    if self.pending_due is None or m[4] < self.pending_due:
                        self.pending_due = m[4]
                self._milestones.append(tuple(m))
            self._events += events
            if spec.also is not None:
                sql, params = spec.also(case, self._now_text)
                self._also.setdefault(sql, []).append(params)
            if self._savepoint:
                self._write()
                self.conn.execute(f"release {_SAVEPOINT}")
                self._savepoint = False
        except Exception:
            if self._savepoint:
                self.conn.execute(f"rollback to {_SAVEPOINT}")
                self.conn.execute(f"release {_SAVEPOINT}")
                self._savepoint = False
                self._seq = None  # a hook's own actions were rolled back with it
            raise
        finally:
            self._row = None
        self._seq = row.seq
        if sid is not None:
            self._taken.add(sid)
        return case

    def _stages(self, spec: CaseSpec, row: _Case, at: dt.datetime, now: dt.datetime):
        """The stages of ``add_case`` (and the historical resolve/confirm), nothing written:
        returns the case, its milestone rows, its event rows and its missed milestones."""
        c, routes = self.county, self._route(spec.method)
        case, res = c._take_in(row.seq, spec.method, spec.unit, spec.title, channel=spec.channel,
                               category=spec.category, description=spec.description, requester=spec.requester,
                               fields=spec.fields, source_id=spec.source_id, at=at, now=now, ctx=self._ctx,
                               routes=routes)
        # add_case stores the case here; a hook reading the database from now on finds it so
        row.snapshot = (case.unit, case.handler, case.status, case.level, case.tier_arrived_at, case.due_at,
                        dict(case.extra))
        row.case = case
        milestones: list[list[Any]] = []
        events: list[tuple[Any, ...]] = []
        late = 0
        if res.settled:
            self._event_rows(case, events)
            late = self._resolve(case, at, res.note or SETTLED_NOTE, milestones, events)
        else:
            milestones = c._arrive_stages(case, case.level, at, now, self._ctx, first=True, instants=self._instants,
                                          routes=routes)
            self._event_rows(case, events)
        if spec.resolved_at is not None and case.is_open:
            late += self._resolve_at(case, spec.resolved_at, spec.resolution_note, now, milestones, events)
        if spec.satisfaction and case.status == "resolved":
            self._confirm(case, spec.satisfaction, spec.confirmation_note, spec.resolved_at, now, milestones, events)
        case.origin_unit = row.snapshot[0]
        return case, milestones, events, late

    def _resolve_at(self, case: Case, at: dt.datetime, note: str | None, now: dt.datetime,
                    milestones: list[list[Any]], events: list) -> int:
        """:meth:`County.resolve`'s checks and resolution, on the case in hand."""
        require_note(note)
        if now < case.created_at:
            raise Refusal(f"case {case.id} was taken in at {case.created_at.isoformat()}; "
                          f"cannot resolve it at {now.isoformat()} (check --now)")
        when = self._local(at)
        check_resolution(case, when, now, self._instants.ts)
        return self._resolve(case, when, note, milestones, events)

    def _resolve(self, case: Case, at: dt.datetime, note: str, milestones: list[list[Any]], events: list) -> int:
        """``_resolve``: pending milestones closed at ``at`` (missed when due before it), the
        case resolved at its tier, a ``resolved`` event. Returns how many were missed."""
        ts, closed, late = self._instants.ts(at), self._instants.text(at), 0
        for m in milestones:
            if m[8] == "pending":
                missed = m[4] < ts
                late += missed
                m[8] = "missed" if missed else "met"
                m.append(closed)
        case.status, case.resolved_at, case.resolved_level = "resolved", at, case.level
        case.events = [Event(at, "resolved", self.county.actor, case.level, note)]
        self._event_rows(case, events)
        return late

    def _confirm(self, case: Case, satisfaction: str, note: str | None, at: dt.datetime | None,
                 now: dt.datetime, milestones: list[list[Any]], events: list) -> None:
        """:meth:`County.confirm`'s checks and its one writer (:func:`rate_case`), on the case in
        hand: a rating the method's scale does not close reopens the case with the deadline of
        its tier from the confirmation instant (the milestones join the batch)."""
        c, routes = self.county, self._route(case.method)
        info = routes.info if routes else c.require_method(case.method)
        key = (case.method, satisfaction) if type(satisfaction) is str else None
        code = self._codes.get(key)
        if code is None:
            code = check_satisfaction(info, satisfaction)
            if key is not None:
                self._codes[key] = code
        when = self._local(at) if at else now
        check_confirmation(case, when, self._instants.ts)
        if rate_case(case, code, info.satisfaction, when, c.actor, note):
            milestones += c._arrive_stages(case, case.level, when, now, self._ctx, assign=False,
                                           instants=self._instants, routes=routes)
        self._event_rows(case, events)

    def _local(self, at: dt.datetime) -> dt.datetime:
        """``calendar.local(at)``, the same object again for the same ``at`` (a historical row's
        resolution is also its confirmation's instant: one object, formatted once)."""
        if at is not self._local_of[0]:
            self._local_of = (at, self.county.calendar.local(at))
        return self._local_of[1]

    def _event_rows(self, case: Case, out: list) -> None:
        """``_write_events``: the case's pending events as rows (:func:`.bulk_rows.event_rows`)."""
        event_rows(case, out, self._instants)

    # -- writing ---------------------------------------------------------------------------
    def flush(self) -> None:
        """Write what the intake holds (inside its transaction)."""
        if self._savepoint:
            return  # a case's savepoint is open: everything before it is written already
        self._write()

    def _write(self) -> None:
        conn = self.conn
        sealer = self._sealer() if self._cases else None
        if sealer is not None:
            self._write_sealed(sealer)
        elif self._cases:
            conn.executemany(_INSERT_CASE, self._cases)
            self._cases = []
        if self._milestones:
            conn.executemany(_INSERT_MILESTONE_CLOSED, self._milestones)
            self._milestones = []
        if self._events:  # the store's one writer: chained to each case's last event (issue 14)
            append_events(conn, self._events)
            self._events = []
        for sql, params in self._also.items():
            conn.executemany(sql, params)
        self._also = {}

    def _sealer(self) -> Sealer | None:
        """What seals this intake's new case rows from the values in hand, or None (the
        generic seal does it all: a ``cases`` table it does not know, no seal running)."""
        if self._seal is None:
            self._seal = Sealer(self.conn, _CASE_INSERTED) if getattr(self.store, "_sealing", False) else False
        return self._seal if self._seal and self._seal.usable else None

    def _write_sealed(self, sealer: Sealer) -> None:
        """Write the new case rows sealed (:mod:`framework.kernel.bulk_seal`), their milestones
        and events (chained first: a row's ``head_hash`` is its last event's hash), and note for
        the transaction's seal only the cases of these events it did not seal — among them the
        highest-numbered, which the generic seal re-seals to the same values as it raises the
        case counter and the fold."""
        conn = self.conn
        chained = chain_rows(conn, self._events, note=False) if self._events else []
        heads = head_hashes(chained)
        rows, done = [], set()
        top = max(self._cases, key=lambda r: r[_AT_SEQ])[0]
        for r in self._cases:
            state = sealer.state_hash(r, heads.get(r[0], GENESIS))
            if state is None:
                rows.append((*r, None, None))
            else:
                rows.append((*r, heads.get(r[0], GENESIS), state))
                if r[0] != top:
                    done.add(r[0])
        conn.executemany(_INSERT_CASE_SEALED, rows)
        self._cases = []
        if self._milestones:
            conn.executemany(_INSERT_MILESTONE_CLOSED, self._milestones)
            self._milestones = []
        if chained:
            insert_events(conn, chained)  # (the fold extended over their hashes in hand)
            self._events = []
            # the cases to seal at commit: those of these events but the ones sealed here
            # (what chain_rows notes, less what the generic seal need not do again)
            with contextlib.suppress(sqlite3.OperationalError):  # no bookkeeping: nothing to note
                conn.executemany(NOTE_DIRTY, [(cid,) for cid in {r[0] for r in chained} - done])

    def _open_savepoint(self) -> None:
        """A savepoint for the case being taken in, the batch before it written first."""
        if self._row is None or self._savepoint:
            return
        self._write()
        self.conn.execute(f"savepoint {_SAVEPOINT}")
        self._savepoint = True

    def _before_read(self) -> None:
        """A hook reads the kernel's tables: write the batch so far and, once ``add_case``
        would have stored it, the case being taken in (as it stood then)."""
        row = self._row
        if row is not None and row.case is not None and not row.stored:
            self._open_savepoint()
            unit, handler, status, level, arrived, due, extra = row.snapshot
            then = attrs.evolve(row.case, unit=unit, handler=handler, status=status, level=level,
                                tier_arrived_at=arrived, due_at=due, extra=extra)
            self.conn.execute(_INSERT_CASE, [*case_to_row(then).values(), row.seq, unit, 0, None])
            row.stored = True
        elif not self._savepoint:
            self._write()

    def _before_write(self) -> None:
        self._before_read()
        self._open_savepoint()

    def _route(self, method: str) -> Routes | None:
        """:class:`Routes` of ``method``, looked up once per intake (None: each looked up as before)."""
        routes = self._routes
        return routes[method] if method in routes else routes.setdefault(method, Routes.of(self.county, method))

    def _ctx(self, method: str, now: dt.datetime) -> "BulkContext":
        """``County.ctx(method, now)``, made once per method for this intake."""
        ctx = self._contexts.get(method)
        if ctx is None:
            ctx = self._contexts[method] = BulkContext(self, method, now)
        ctx.now = now
        return ctx
