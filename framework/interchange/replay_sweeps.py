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
from framework.interchange.take import DEFAULT_NOTE, ImportReport, Refused, take_row


def replay(county, rows: list[ImportRow], *, file: str = "", fmt: str = "", mapping: str = "",
           report: ImportReport | None = None, progress: Callable[[int, int], None] | None = None) -> dict:
    """Take historical rows in *time order* with the sweeps that would have run between them.

    Every arrival (``created_at``) and every resolution (``resolved_at``) becomes an event on
    one time line; before each, the nightly sweep (督办) runs at 00:00 after every day on which
    a pending milestone of the database fell due — so a case not answered in time is escalated
    along its chain exactly when it would have been, and the reply then resolves it at the tier
    it had reached. Runs one transaction per calendar month (local). A row the kernel refuses
    is added to ``report.refused`` (when given) and its resolution is dropped with it.

    Returns counts: ``cases`` taken, ``resolved``, ``sweeps``, ``escalations``, ``flags``,
    ``months``, ``first_month``/``last_month`` (``YYYY-MM``) and ``years`` (sorted ints).
    The sweeps touch every open case of the database, not only this file's.
    """
    events = []
    for r in rows:
        at = r.created_at or county.now()
        events.append((at, 0, r))
        if r.resolved_at is not None:
            events.append((r.resolved_at, 1, r))
    events.sort(key=lambda e: (e[0], e[1], e[2].line))
    cal, store = county.calendar, county.store
    case_of: dict[int, str] = {}
    counts = {"cases": 0, "resolved": 0, "sweeps": 0, "escalations": 0, "flags": 0}
    months: list[str] = []
    years: set[int] = set()

    def sweep_until(t: dt.datetime) -> None:
        while True:
            row = store.db.execute("select min(due_ts) from milestones where state = 'pending'").fetchone()
            if row[0] is None:
                return
            due = dt.datetime.fromtimestamp(row[0], cal.tz)
            night = dt.datetime.combine(due.date() + dt.timedelta(days=1), dt.time(), tzinfo=cal.tz)
            if night > t:
                return
            county.clock.fixed = night
            acts = county.sweep()
            counts["sweeps"] += 1
            counts["escalations"] += sum(a["action"] == "escalate" for a in acts)
            counts["flags"] += sum(a["action"] == "flag" for a in acts)

    saved_clock = county.clock.fixed
    i = done = 0
    try:
        while i < len(events):
            month = cal.local(events[i][0]).strftime("%Y-%m")
            months.append(month)
            with store.transaction():
                while i < len(events) and cal.local(events[i][0]).strftime("%Y-%m") == month:
                    at, what, r = events[i]
                    i += 1
                    sweep_until(at)
                    county.clock.fixed = at
                    try:
                        with store.transaction():
                            if what == 0:
                                case = take_row(county, attrs.evolve(r, resolved_at=None, satisfaction=None),
                                                file=file, fmt=fmt, mapping=mapping)
                                case_of[r.line] = case.id
                                counts["cases"] += 1
                                years.add(cal.local(at).year)
                            elif r.line in case_of:
                                case = county.resolve(case_of[r.line], r.note or DEFAULT_NOTE, at=at)
                                if r.satisfaction:
                                    county.confirm(case.id, r.satisfaction, "导入：来源数据中的评价", at=at)
                                counts["resolved"] += 1
                    except CountyError as e:
                        if report is None:
                            raise
                        report.refused.append(Refused(r.line, None, ("resolution: " if what else "") + str(e), r.item))
                    if what == 0 or r.line in case_of:
                        done += 1
                        if progress:
                            progress(done, len(events))
        if events:
            with store.transaction():
                sweep_until(cal.local(events[-1][0]) + dt.timedelta(days=1))
    finally:
        county.clock.fixed = saved_clock
    if report is not None:
        report.taken, report.resolved = counts["cases"], counts["resolved"]
        ids = list(case_of.values())
        report.first_case, report.last_case = (min(ids), max(ids)) if ids else (None, None)
    return {**counts, "months": len(months), "first_month": months[0] if months else None,
            "last_month": months[-1] if months else None, "years": sorted(years)}
