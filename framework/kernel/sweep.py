"""The sweep (督办): every pending milestone past due at now is applied — ``escalate`` (the
case moves up the chain), ``flag`` (an ``overdue`` event, the case stays) or ``none`` (recorded
as missed only). Read by the (state, due) index, so its cost follows the overdue work, not the
history. Mixin of :class:`framework.kernel.county.County`.
"""

from __future__ import annotations

from framework.store.db import iso


class Sweep:
    """``County.sweep()``; see the module."""

    def sweep(self) -> list[dict]:
        """Find pending milestones past due at ``now`` (by index) and apply them: escalate,
        flag (an ``overdue`` event, 督办), or for ``none`` only record the miss. A milestone timed
        ``before`` an event is applied once ``now`` reaches its instant (one due at or before the
        arrival at its tier is due at once); any other once ``now`` is past it. Idempotent for the same ``now``: the second run finds nothing pending and past due.
        Returns one dict per action: case, milestone, action, from, to."""
        now = self.now()
        actions = []
        with self.store.transaction():
            rows = self.store.query(
                "select m.* from milestones m where m.state = 'pending' and m.due_ts <= ?"
                " and (m.due_ts < ? or m.anchor = 'before') order by m.due_ts, m.id",
                [now.timestamp(), now.timestamp()])
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
