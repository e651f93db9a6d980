"""The sweep (督办): every pending milestone past due at now is applied — ``escalate`` (the
case moves up the chain), ``flag`` (an ``overdue`` event, the case stays) or ``none`` (recorded
as missed only). Read by the (state, due) index, so its cost follows the overdue work, not the
history. Mixin of :class:`framework.kernel.county.County`.

Faults and load (issue 14):

* **Bounded transactions.** The due milestones are listed once; they are applied in
  transactions of at most :data:`SWEEP_BATCH` milestones or :data:`SWEEP_SECONDS` seconds,
  with a pause of :data:`SWEEP_PAUSE` seconds between two (longer than SQLite's longest
  busy-handler sleep, 100 ms), so an operator's ``county case add`` meanwhile waits about one
  batch (≈ 0.4 s; about 1 s when another writer took the pause before it), not the whole
  sweep — measured in tests/test_faults.py. Each milestone is re-read in its transaction (a
  case resolved meanwhile is skipped), so a sweep interrupted between batches keeps what it
  committed and the next sweep carries on; the same ``now`` twice is still idempotent.
* **Isolation.** Each milestone is applied as one step that can be undone on its own: a
  plugin raising in a hook (the assignment or deadline hook of the tier the case escalates to)
  undoes that case's step only; the other cases and methods proceed. The failure is recorded
  as a ``sweep_failed`` event on the case (data ``{"plugin", "hook", "milestone", "error"}``,
  naming the plugin and hook that raised — a :class:`~framework.errors.CountyError` it raised on
  purpose too; the milestone stays pending, so the next sweep tries again; the same failure
  at the same ``now`` is recorded once, so a repeated sweep writes nothing new) and returned in
  :attr:`County.sweep_failures`; ``county sweep`` reports each and exits 1. A step's savepoint
  is opened only when something in it may need undoing (:class:`~.sweep_chunk.CaseStep`): an
  escalation's writes before the tier's hooks wait for them unless a hook uses the database;
  a flag writes only the kernel's rows. A step half written outside a savepoint that then
  fails (an error of the database itself, or of the kernel's own code) ends the transaction:
  that batch is rolled back whole, as a database error always did.
* **Time order.** A ``now`` before a case's latest event (:func:`~framework.kernel.guards.check_order`)
  skips that case: nothing is written to it (not even ``sweep_failed``, which would itself be
  out of order) and it is reported in :attr:`County.sweep_failures` (plugin ``kernel``, hook
  ``time order``, the refusal naming the latest event); ``county sweep`` exits 1.

Cost (issue 13): each transaction reads its milestones, their cases and their events once
(:class:`~.sweep_chunk.SweepChunk`), one context per method serves the whole sweep
(:class:`~.sweep_chunk.SweepRun`), and an escalation writes in six statements (and one noting
its case for the seal): the ``overdue`` event, the old tier's milestones closed, the new tier's
milestones, the case row's changed columns with ``overdue_count``, the ``escalated`` and
``assigned`` events (0.18 ms each on the benchmark's 100 k-case database, was 0.36 ms;
``benchmarks/README.md``).
"""

from __future__ import annotations

import functools
import json
import sqlite3
import time

from framework.errors import PluginError, Refusal
from framework.kernel.bulk import INSERT_MILESTONE
from framework.kernel.guards import check_order
from framework.kernel.notes import escalated_note, failed_note, overdue_note
from framework.kernel.sweep_chunk import CaseStep, SweepChunk, SweepRun
from framework.models import Event
from framework.store.chain import chain_rows
from framework.store.db import INSERT_EVENT, iso, json_default
from framework.store.rows import UPDATE_CASE, case_to_row, row_to_case

#: At most this many milestones per sweep transaction.
SWEEP_BATCH = 500
#: At most about this many seconds per sweep transaction.
SWEEP_SECONDS = 0.4
#: The pause between two sweep transactions, in seconds: longer than SQLite's longest
#: busy-handler sleep (100 ms), so a writer waiting for the lock gets it.
SWEEP_PAUSE = 0.15

#: The pending milestones past due at an instant (both parameters: its Unix time), by the
#: ``(state, due_ts)`` index.
DUE_SQL = ("select m.id from milestones m where m.state = 'pending' and m.due_ts <= ?"
           " and (m.due_ts < ? or m.anchor = 'before') order by m.due_ts, m.id")


class Sweep:
    """``County.sweep()``; see the module."""

    #: The failures of the last :meth:`sweep` (one dict per failed milestone: case, milestone,
    #: plugin, hook, error).
    sweep_failures: list[dict]

    def sweep(self, *, batch: int = SWEEP_BATCH, seconds: float = SWEEP_SECONDS) -> list[dict]:
        """Find pending milestones past due at ``now`` (by index) and apply them: escalate,
        flag (an ``overdue`` event, 督办), or for ``none`` only record the miss. A milestone timed
        ``before`` an event is applied once ``now`` reaches its instant (one due at or before the
        arrival at its tier is due at once); any other once ``now`` is past it. Idempotent for
        the same ``now``: the second run finds nothing pending and past due.

        ``batch`` (milestones) and ``seconds`` bound each transaction (module docstring). Returns
        one dict per action: case, milestone, due_at, action, from, to. A plugin failing on a
        case does not stop the others: see :attr:`sweep_failures` (plugin, hook, case) and the
        case's ``sweep_failed`` event. Each transaction reads its milestones, their cases and
        their latest events' instants at its start (:class:`~.sweep_chunk.SweepChunk`); the
        hooks of one method share one context for the whole sweep (:class:`~.sweep_chunk.SweepRun`)."""
        now = self.now()
        actions: list[dict] = []
        self.sweep_failures = []
        conn = self.store.db.conn
        rows = [r[0] for r in conn.execute(DUE_SQL, [now.timestamp(), now.timestamp()])]
        failed_cases: set[str] = set()
        run = SweepRun(self, now)
        size = max(1, batch)
        i = 0
        while i < len(rows):
            if i and not conn.in_transaction:  # inside a caller's transaction a pause frees nothing
                time.sleep(SWEEP_PAUSE)  # let a waiting writer in (module docstring)
            with self.store.transaction():
                chunk = SweepChunk(conn, rows[i:i + size])
                started, n = time.monotonic(), 0
                while i < len(rows) and n < size and (n == 0 or time.monotonic() - started < seconds):
                    mid = rows[i]
                    i, n = i + 1, n + 1
                    self._sweep_one(mid, run, chunk, actions, failed_cases)
        return actions

    def _sweep_one(self, mid: int, run: SweepRun, chunk: SweepChunk, actions: list[dict],
                   failed_cases: set[str]) -> None:
        """Apply milestone ``mid`` as one step, undone on a failure, which is recorded (module
        docstring); its savepoint opened only when needed (:class:`~.sweep_chunk.CaseStep`)."""
        m, row, latest, head = chunk.get(mid)
        if m is None:
            return
        if m["state"] != "pending" or m["case_id"] in failed_cases:
            return  # closed by an earlier escalation or elsewhere meanwhile; or its case failed this run
        step = run.step = CaseStep(self.store.db.conn)
        try:
            act = self._apply_milestone(m, row, latest, head, run, chunk, step)
        except BaseException as e:
            run.step = None
            chunk.written(m["case_id"])
            undone = step.undo()
            if not undone or isinstance(e, sqlite3.Error) or not isinstance(e, Exception):
                raise  # the database's own error (exit 75 on a lock), an interrupt, or a step half written
            self._record_failure(e, m, run.now, failed_cases)
            return
        run.step = None
        step.release()
        if act is not None:
            actions.append(act)

    def _record_failure(self, e: Exception, m: dict, now, failed_cases: set[str]) -> None:
        """A step that raised: a Refusal (a ``now`` before the case's latest event) is skipped
        and reported, nothing written; a plugin's fault is recorded on the case as a
        ``sweep_failed`` event (module docstring)."""
        failed_cases.add(m["case_id"])
        if isinstance(e, Refusal) and getattr(e, "plugin", None) is None:
            self.sweep_failures.append({"case": m["case_id"], "milestone": m["name"], "plugin": "kernel",
                                        "hook": "time order", "error": str(e)})
            return
        plugin = getattr(e, "plugin", None) or "kernel"
        hook = getattr(e, "hook", None) or "sweep"
        error = e.error if isinstance(e, PluginError) else e
        detail = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        failure = {"case": m["case_id"], "milestone": m["name"], "plugin": plugin, "hook": hook,
                   "error": str(detail)}
        self.sweep_failures.append(failure)
        db = self.store.db
        level, unit = db.execute("select level, unit from cases where id = ?", [m["case_id"]]).fetchone()
        data = {k: failure[k] for k in ("plugin", "hook", "milestone", "error")}
        last = db.execute("select at, type, data from events where case_id = ? order by id desc limit 1",
                          [m["case_id"]]).fetchone()
        if last is not None and last[:2] == (iso(now), "sweep_failed") and json.loads(last[2] or "{}") == data:
            return  # the same failure at the same now already recorded: a sweep is idempotent for one now
        self.store.append_event(m["case_id"], now, "sweep_failed", self.actor, level=level, unit=unit,
                                note=failed_note(plugin, hook, detail), data=data)

    def _apply_milestone(self, m: dict, row: dict | None, latest: float | None, head: str, run: SweepRun,
                         chunk: SweepChunk, step: CaseStep) -> dict | None:
        """The missed milestone ``m`` (a row) of the case ``row`` (whose latest event is at
        ``latest``, Unix seconds, and its last event's hash ``head``) applied at the sweep's
        now as ``step``; returns the action or None."""
        if row is None:
            self._load(m["case_id"])  # raises NotFound, as a milestone whose case is gone always did
        now = run.now
        case = row_to_case(row)
        if not case.is_open:
            return None
        if latest is not None and now.timestamp() < latest:
            check_order(self, case.id, now, "sweep")  # events stay in time order (issue 14): raises
        chunk.written(case.id)
        conn = self.store.db.conn
        chain = run.chain(case.method)
        target = chain.tier(m["to_level"]) if m["to_level"] else chain.next_tier(case.level)
        action = m["action"]
        if action == "escalate" and (target is None or (target.by_command_only and not m["to_level"])):
            action = "flag"
        if action == "escalate" and (case.level is None or m["level"] == case.level):
            return self._escalate_swept(m, row, head, case, target, run, chunk, step)
        overdue, act = self._overdue_event(m, case, action, now) if action != "none" else (None, None)
        if action == "escalate":  # a milestone of another tier than the case's: the general path,
            step.open()  # hooks and all, through the County's own contexts: whatever they write,
            chunk.hooks_wrote()  # the later cases are read again
        else:
            step.written = True  # flag or none: the kernel's writes only, nothing a plugin can make fail
        conn.execute("update milestones set state = 'missed', closed_at = ? where id = ?", [iso(now), m["id"]])
        conn.execute("update cases set overdue_count = overdue_count + 1 where id = ?", [case.id])
        if action == "none":
            return None  # recorded as missed (it counts against on-time), no 督办 event
        conn.executemany(INSERT_EVENT, chain_rows(conn, [overdue], known={case.id: head}))
        if action == "escalate":  # pushed up for a miss: the tier it leaves missed its primary limit too
            forced = conn.execute("update milestones set state = 'missed', closed_at = ? where case_id = ? and "
                                  "+state = 'pending' and level is ? and is_primary = 1",
                                  [iso(now), case.id, case.level]).rowcount
            if forced:
                conn.execute("update cases set overdue_count = overdue_count + ? where id = ?", [forced, case.id])
            self._move(case, target.name, now, now, escalated_note(m["name"], m["note"], target))
            act["to"] = target.name
        return act

    def _overdue_event(self, m: dict, case, action: str, now) -> tuple[tuple, dict]:
        """The ``overdue`` (督办) event of milestone ``m`` (its row, unchained) and the action's dict."""
        due = m["due_at"]
        return ((case.id, iso(now), "overdue", self.actor, case.level, case.unit, overdue_note(m["name"], m["note"], due),
                 _data({"milestone": m["name"], "due_at": due, "action": action})),
                {"case": case.id, "milestone": m["name"], "due_at": due, "action": action,
                 "from": case.level, "to": case.level})

    def _escalate_swept(self, m: dict, row: dict, head: str, case, target, run: SweepRun,
                        chunk: SweepChunk, step: CaseStep) -> dict:
        """Escalation by the sweep of ``case`` (read as ``row``) whose milestone ``m`` of its
        tier was missed: what ``_move`` after the miss writes — the same rows, events, hashes —
        in fewer statements: ``m`` and the tier's other pending milestones closed in one UPDATE
        (missed if due before now or primary — a tier pushed up for a miss did not settle the
        case in its limit —, else met), ``overdue_count`` raised
        with the case row's own UPDATE of the columns that changed, the new tier's events
        appended together. The ``overdue`` event and the closing wait for the tier's hooks
        unless a hook uses the database (:class:`~.sweep_chunk.CaseStep`). When a hook wrote,
        the case row is written whole (as ``_save``) and later cases are read again
        (:meth:`SweepChunk.hooks_wrote`)."""
        now, to_level = run.now, target.name
        conn = self.store.db.conn
        overdue, act = self._overdue_event(m, case, "escalate", now)
        old, at = case.level, iso(now)
        where = "case_id = ? and +state = 'pending'" + (" and level = ?" if old else "")
        params = [m["id"], now.timestamp(), at, case.id] + ([old] if old else [])
        done: dict = {}

        def before_hooks() -> None:  # the overdue event, then the tier's milestones closed
            changes = conn.total_changes
            rows = chain_rows(conn, [overdue], known={case.id: head})
            conn.executemany(INSERT_EVENT, rows)
            closed = conn.execute(f"update milestones set state = case when id = ? or due_ts < ? or is_primary = 1 "
                                  f"then 'missed' else 'met' end, closed_at = ? where {where} returning state",
                                  params).fetchall()
            done.update(head=rows[-1][-1], changes=conn.total_changes - changes,
                        missed=sum(s == "missed" for (s,) in closed))  # m itself and the tier's others due before now

        step.pending = before_hooks
        case.status = "escalated"
        case.events = [Event(now, "escalated", self.actor, to_level, escalated_note(m["name"], m["note"], target),
                             {"from": old, "to": to_level})]
        changes = conn.total_changes
        milestones = self._arrive_stages(case, to_level, now, now, run.ctx)
        hooks_wrote = step.hook_wrote or conn.total_changes - changes != done.get("changes", 0)
        step.flush()
        if hooks_wrote:
            chunk.hooks_wrote()
        conn.executemany(INSERT_MILESTONE, milestones)
        values = case_to_row(case)
        if hooks_wrote:  # the row whole, as _save: what a hook wrote to it is overwritten as it always was
            conn.execute("update cases set overdue_count = overdue_count + ? where id = ?", [done["missed"], case.id])
            conn.execute(UPDATE_CASE, [*list(values.values())[1:], at, case.id])
        else:
            changed = [k for k, v in values.items() if type(v) is not type(row[k]) or v != row[k]]
            conn.execute(_update_sql(tuple(changed)), [*(values[k] for k in changed), done["missed"], at, case.id])
        # chained to the overdue event above, unless a hook wrote (then read, and noted, again)
        conn.executemany(INSERT_EVENT, chain_rows(
            conn, [(case.id, iso(e.at), e.type, e.actor, e.level, case.unit, e.note, _data(e.data)) for e in case.events],
            known=None if hooks_wrote else {case.id: done["head"]}, note=hooks_wrote))
        case.events = []
        act["to"] = to_level
        return act


@functools.lru_cache(maxsize=256)
def _update_sql(columns: tuple[str, ...]) -> str:
    """The UPDATE of a case row's ``columns`` (their values, then the missed milestones to add
    to ``overdue_count``, ``updated_at`` and the id as parameters)."""
    return (f"update cases set {''.join(f'{c} = ?, ' for c in columns)}overdue_count = overdue_count + ?, "
            f"updated_at = ? where id = ?")


def _data(data: dict | None) -> str:
    """An event's ``data`` as ``Store.append_event`` stores it."""
    return json.dumps(data or {}, ensure_ascii=False, default=json_default)
