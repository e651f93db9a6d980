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
* **Isolation.** Each milestone is applied in its own savepoint: a plugin raising in a hook
  (the assignment or deadline hook of the tier the case escalates to) rolls back that case's
  step only; the other cases and methods proceed. The failure is recorded as a
  ``sweep_failed`` event on the case (data ``{"plugin", "hook", "milestone", "error"}``; the
  milestone stays pending, so the next sweep tries again) and returned in
  :attr:`County.sweep_failures`; ``county sweep`` reports each and exits 1.
* **Time order.** A ``now`` before a case's latest event (:func:`~framework.kernel.guards.check_order`)
  skips that case: nothing is written to it (not even ``sweep_failed``, which would itself be
  out of order) and it is reported in :attr:`County.sweep_failures` (plugin ``kernel``, hook
  ``time order``, the refusal naming the latest event); ``county sweep`` exits 1.
"""

from __future__ import annotations

import sqlite3
import time

from framework.errors import PluginError, Refusal
from framework.kernel.guards import check_order
from framework.store.db import iso

#: At most this many milestones per sweep transaction.
SWEEP_BATCH = 500
#: At most about this many seconds per sweep transaction.
SWEEP_SECONDS = 0.4
#: The pause between two sweep transactions, in seconds: longer than SQLite's longest
#: busy-handler sleep (100 ms), so a writer waiting for the lock gets it.
SWEEP_PAUSE = 0.15


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
        case's ``sweep_failed`` event."""
        now = self.now()
        actions: list[dict] = []
        self.sweep_failures = []
        rows = [r[0] for r in self.store.db.execute(
            "select m.id from milestones m where m.state = 'pending' and m.due_ts <= ?"
            " and (m.due_ts < ? or m.anchor = 'before') order by m.due_ts, m.id",
            [now.timestamp(), now.timestamp()])]
        failed_cases: set[str] = set()
        i = 0
        while i < len(rows):
            if i and not self.store.db.conn.in_transaction:  # inside a caller's transaction a pause frees nothing
                time.sleep(SWEEP_PAUSE)  # let a waiting writer in (module docstring)
            with self.store.transaction():
                started, n = time.monotonic(), 0
                while i < len(rows) and n < max(1, batch) and (n == 0 or time.monotonic() - started < seconds):
                    mid = rows[i]
                    i, n = i + 1, n + 1
                    self._sweep_one(mid, now, actions, failed_cases)
        return actions

    def _sweep_one(self, mid: int, now, actions: list[dict], failed_cases: set[str]) -> None:
        """Apply milestone ``mid`` in a savepoint; a failure is recorded (module docstring)."""
        db = self.store.db
        cur = db.execute("select * from milestones where id = ?", [mid])
        cols = [d[0] for d in cur.description]
        row = cur.fetchone()
        if row is None:
            return
        m = dict(zip(cols, row))
        if m["state"] != "pending" or m["case_id"] in failed_cases:
            return  # closed by an earlier escalation or elsewhere meanwhile; or its case failed this run
        try:
            with self.store.transaction():  # a savepoint inside the batch's transaction
                act = self._apply_milestone(m, now)
        except sqlite3.Error:
            raise
        except Refusal as e:  # a now before the case's latest event: skipped, reported, nothing written
            failed_cases.add(m["case_id"])
            self.sweep_failures.append({"case": m["case_id"], "milestone": m["name"], "plugin": "kernel",
                                        "hook": "time order", "error": str(e)})
            return
        except Exception as e:  # noqa: BLE001 — a plugin's fault, isolated per case (module docstring)
            failed_cases.add(m["case_id"])
            plugin = getattr(e, "plugin", None) or "kernel"
            hook = getattr(e, "hook", None) or "sweep"
            error = e.error if isinstance(e, PluginError) else e
            detail = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
            failure = {"case": m["case_id"], "milestone": m["name"], "plugin": plugin, "hook": hook,
                       "error": str(detail)}
            self.sweep_failures.append(failure)
            level, unit = db.execute("select level, unit from cases where id = ?", [m["case_id"]]).fetchone()
            self.store.append_event(m["case_id"], now, "sweep_failed", self.actor, level=level, unit=unit,
                                    note=f"plugin {plugin!r} failed in {hook}: {detail}",
                                    data={k: failure[k] for k in ("plugin", "hook", "milestone", "error")})
            return
        if act is not None:
            actions.append(act)

    def _apply_milestone(self, m: dict, now) -> dict | None:
        """The missed milestone ``m`` (a row) applied at ``now``; returns the action or None."""
        case = self._load(m["case_id"])
        if not case.is_open:
            return None
        check_order(self, case.id, now, "sweep")  # events stay in time order (issue 14)
        self.store.db.execute("update milestones set state = 'missed', closed_at = ? where id = ?", [iso(now), m["id"]])
        self.store.db.execute("update cases set overdue_count = overdue_count + 1 where id = ?", [case.id])
        chain = self.chain_method(case.method)
        target = chain.tier(m["to_level"]) if m["to_level"] else chain.next_tier(case.level)
        action = m["action"]
        if action == "escalate" and (target is None or (target.by_command_only and not m["to_level"])):
            action = "flag"
        if action == "none":
            return None  # recorded as missed (it counts against on-time), no 督办 event
        due = m["due_at"]
        self.store.append_event(case.id, now, "overdue", self.actor, level=case.level, unit=case.unit,
                                note=f"{m['name']} due {due} missed",
                                data={"milestone": m["name"], "due_at": due, "action": action})
        act = {"case": case.id, "milestone": m["name"], "due_at": due, "action": action,
               "from": case.level, "to": case.level}
        if action == "escalate":
            self._move(case, target.name, now, now, f"{m['name']} missed: escalated by sweep")
            act["to"] = target.name
        return act
