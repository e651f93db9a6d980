"""Replaying history: taking historical rows in *time order* with the nightly sweeps (督办)
that would have run between them (``county case import --replay-sweeps``, ``county demo``).

按时间顺序重放历史留言，其间照常运行每夜督办。
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

import attrs

from framework.errors import CountyError
from framework.interchange.rows import ImportRow
from framework.interchange.take import DEFAULT_NOTE, ImportReport, Refused, case_spec
from framework.kernel.bulk import BulkIntake


def replay(county, rows: list[ImportRow], *, file: str = "", fmt: str = "", mapping: str = "",
           report: ImportReport | None = None, progress: Callable[[int, int], None] | None = None,
           resumed: list[tuple[ImportRow, str]] = ()) -> dict:
    """Take historical rows in *time order* with the sweeps that would have run between them.

    Every arrival (``created_at``) and every resolution (``resolved_at``) becomes an event on
    one time line; before each, the nightly sweep (督办) runs at 00:00 after every day on which
    a pending milestone of the database fell due — so a case not answered in time is escalated
    along its chain exactly when it would have been, and the reply then resolves it at the tier
    it had reached. Runs one transaction per calendar month (local); arrivals go through the
    kernel's bulk intake (:class:`~framework.kernel.bulk.BulkIntake`), written before each sweep
    and each resolution. A row the kernel refuses
    is added to ``report.refused`` (when given) and its resolution is dropped with it.

    ``resumed``: rows taken in before (re-import) whose case is still open, with the case id:
    only their reply is replayed, at its instant on the same time line — a run killed after the
    month of a case's arrival was written and before its reply's is finished by running the
    import again (the months written stay; the sweeps resume from the pending milestones).

    Returns counts: ``cases`` taken, ``resolved`` (of the rows taken; ``resumed`` apart),
    ``sweeps``, ``escalations``, ``flags``,
    ``months``, ``first_month``/``last_month`` (``YYYY-MM``) and ``years`` (sorted ints).
    The sweeps touch every open case of the database, not only this file's.
    """
    events = []
    for r in rows:
        at = r.created_at or county.now()
        events.append((at, 0, r))
        if r.resolved_at is not None:
            events.append((r.resolved_at, 1, r))
    case_of: dict[int, str] = {}
    for r, case_id in resumed:
        events.append((r.resolved_at, 1, r))
        case_of[r.line] = case_id
    resumed_lines = set(case_of)
    events.sort(key=lambda e: (e[0], e[1], e[2].line))
    cal, store = county.calendar, county.store
    counts = {"cases": 0, "resolved": 0, "resumed": 0, "sweeps": 0, "escalations": 0, "flags": 0}
    months: list[str] = []
    years: set[int] = set()
    names = {"file": file, "fmt": fmt, "mapping": mapping}
    # the earliest pending due instant in the database, known without asking it before every
    # row: "due" is None when it must be asked again (after a sweep, a resolution, a hook's own
    # action); what the bulk intake added since is its pending_due
    state: dict = {"due": None, "actions": 0}

    def next_due(bulk: BulkIntake) -> float | None:
        if state["due"] is None or bulk.actions != state["actions"]:
            bulk.invalidate()  # written: the answer covers it
            row = store.db.execute("select min(due_ts) from milestones where state = 'pending'").fetchone()
            state["due"], state["actions"] = (row[0],), bulk.actions
        dues = [d for d in (state["due"][0], bulk.pending_due) if d is not None]
        return min(dues) if dues else None

    def sweep_until(t: dt.datetime, bulk: BulkIntake) -> None:
        while True:
            due_ts = next_due(bulk)
            if due_ts is None:
                return
            due = dt.datetime.fromtimestamp(due_ts, cal.tz)
            night = dt.datetime.combine(due.date() + dt.timedelta(days=1), dt.time(), tzinfo=cal.tz)
            if night > t:
                return
            bulk.invalidate()
            county.clock.fixed = night
            acts = county.sweep()
            state["due"] = None
            counts["sweeps"] += 1
            counts["escalations"] += sum(a["action"] == "escalate" for a in acts)
            counts["flags"] += sum(a["action"] == "flag" for a in acts)

    saved_clock = county.clock.fixed
    i = done = 0
    try:
        while i < len(events):
            month = cal.local(events[i][0]).strftime("%Y-%m")
            months.append(month)
            end = i
            while end < len(events) and cal.local(events[end][0]).strftime("%Y-%m") == month:
                end += 1
            with BulkIntake(county) as bulk:
                state["due"] = None  # what the last month's intake added is in the database now
                bulk.check_sources(r.source_id for _, what, r in events[i:end] if what == 0)
                for at, what, r in events[i:end]:
                    sweep_until(at, bulk)
                    county.clock.fixed = at
                    try:
                        if what == 0:
                            case = bulk.add(case_spec(county, attrs.evolve(r, resolved_at=None, satisfaction=None),
                                                      **names))
                            case_of[r.line] = case.id
                            counts["cases"] += 1
                            years.add(cal.local(at).year)
                        elif r.line in case_of:
                            bulk.invalidate()
                            state["due"] = None
                            with store.transaction():
                                case = county.resolve(case_of[r.line], r.note or DEFAULT_NOTE, at=at)
                                if r.satisfaction:
                                    county.confirm(case.id, r.satisfaction, "导入：来源数据中的评价", at=at)
                            counts["resumed" if r.line in resumed_lines else "resolved"] += 1
                    except CountyError as e:
                        if report is None:
                            raise
                        report.refused.append(Refused(r.line, None, ("resolution: " if what else "") + str(e), r.item))
                    if what == 0 or r.line in case_of:
                        done += 1
                        if progress:
                            progress(done, len(events))
            i = end
        if events:
            with BulkIntake(county) as bulk:
                state["due"] = None
                sweep_until(cal.local(events[-1][0]) + dt.timedelta(days=1), bulk)
    finally:
        county.clock.fixed = saved_clock
    if report is not None:
        report.taken, report.resolved, report.resumed = counts["cases"], counts["resolved"], counts["resumed"]
        ids = [case_of[line] for line in case_of if line not in resumed_lines]
        report.first_case, report.last_case = (min(ids), max(ids)) if ids else (None, None)
    return {**counts, "months": len(months), "first_month": months[0] if months else None,
            "last_month": months[-1] if months else None, "years": sorted(years)}
