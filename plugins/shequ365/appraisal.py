"""shequ365's own appraisal figures (民情评议, L377, L381): visit coverage, patrols, the
analysis cadence, mandatory visits on time, and the representatives' ratings."""

from __future__ import annotations

import bisect
import datetime as dt

from framework import Metric, chunks, period_dates, rate
from plugins.shequ365 import awards, tables
from plugins.shequ365.rules import (
    MEETINGS,
    METHOD,
    month_bounds,
    quarter_bounds,
    week_bounds,
)
from plugins.shequ365.stages import communities_in


def appraisal(ctx, unit, period: str) -> list[Metric]:
    """shequ365's own figures for ``unit``'s subtree (a :class:`Unit`, or None for all) and
    ``period`` (L377, L381), counted over the local dates of the period up to ``ctx.now``'s
    date, and only from the day the data they count began (README "Counting from the data"):

    * per social worker (subject_kind ``person``): ``linked_households`` (联户数, standard ≥
      ``linked_households_min``); ``visit_coverage`` = household-months visited by the linked
      worker / household-months due, over the period's months, counting a household from the
      month it was linked, and a month once it has ended (or once the household was visited
      in it — an unvisited household is not missed before its month is over);
      ``patrol_rate`` = (grid, day, shift) patrols done / 2 × days, each grid of the worker
      counted from the day it was created (or first patrolled) to yesterday (a day's two
      patrols are owed once the day is over, conventions §8);
    * per community: ``mandatory_visit_on_time`` (五访 visited by the due date / tasks due);
      ``cadence_<kind>`` for huddle, weekly, joint, forum (meetings held / due, each owed once
      its due day is over), from the day the community's data begins;
    * assessments: ``representative_rating`` (annual) and ``quarterly_review_rating`` =
      (satisfied + basically) / votes, and ``assessment_score`` when a score was given;
    * for a year period, the year-end rating's link to awards (评优评先, :mod:`.awards`):
      ``year_end_rank`` per rated social worker and ``award_recommended`` per recommended one.
    Returns a list of Metric (rates with numerator and denominator).
    """
    start, end = period_dates(period)
    today = ctx.calendar.local(ctx.now).date()
    last = min(end - dt.timedelta(days=1), today)
    owed = min(end, today) - dt.timedelta(days=1)  # daily patrols and meetings: owed once their day is over (conventions §8)
    comms = communities_in(ctx, unit)
    out: list[Metric] = []
    if not comms:
        return out
    s = ctx.settings
    linked = tables.linked_households(ctx, comms)
    by_worker: dict[str, list[dict]] = {}
    for h in linked:
        by_worker.setdefault(h["worker"], []).append(h)
    months = []  # (first day, last day, last day counted, ended)
    m = start
    while m <= last:
        m0, m1 = month_bounds(m)
        months.append((m0, m1, min(m1, last), m1 < today))
        m = m1 + dt.timedelta(days=1)
    visited_by_month = [tables.visited_households(ctx, a, b) for a, _, b, _ in months]
    grids = tables.grids_in(ctx, comms)
    workers = sorted(set(by_worker) | {g["worker"] for g in grids if g.get("worker")})
    starts = tables.community_starts(ctx, comms)
    grid_starts = tables.grid_starts(ctx, grids, {g["code"]: starts[g["community"]] for g in grids})
    patrolled = _patrol_slots(ctx, [(g["code"], max(start, grid_starts[g["code"]])) for g in grids if g.get("worker")
                                    and max(start, grid_starts[g["code"]]) <= owed], owed)
    for w in workers:
        hs = by_worker.get(w, [])
        out.append(Metric("linked_households", w, "person", value=float(len(hs)),
                          label=f"联户数（标准≥{s['linked_households_min']}户）"))
        num = den = 0
        for (_, m1, _, ended), seen in zip(months, visited_by_month):
            for h in hs:
                if tables.linked_on(ctx, h, starts[h["community"]]) > m1:
                    continue  # linked after this month
                visited = (h["id"], w) in seen
                if ended or visited:
                    den += 1
                    num += visited
        out.append(rate("visit_coverage", w, num, den, subject_kind="person",
                        label="联户走访覆盖率（已访户/应访户，按月）"))
        done = due = 0
        for g in grids:
            if g.get("worker") != w:
                continue
            g0 = max(start, grid_starts[g["code"]])
            if g0 > owed:
                continue
            due += 2 * ((owed - g0).days + 1)
            done += patrolled[g["code"]]
        out.append(rate("patrol_rate", w, done, due, subject_kind="person",
                        label="两巡完成率（早巡+晚巡/应巡）"))
    tasks_of: dict[str, list[dict]] = {c: [] for c in comms}  # the period's 五访 tasks, read once for all
    for chunk in chunks(list(tasks_of)):
        for t in ctx.db.query(
                f"select community, due_on, visited_on from shequ365_visit_tasks where community in "
                f"({ctx.db.placeholders(chunk)}) and due_on >= ? and due_on <= ?",
                [*chunk, start.isoformat(), (end - dt.timedelta(days=1)).isoformat()]):
            tasks_of[t["community"]].append(t)
    meetings = _meetings(ctx, comms, [max(start, starts[c]) for c in comms if starts[c]], owed)
    for c in comms:
        tasks = tasks_of[c]
        due = [t for t in tasks if t["due_on"] < today.isoformat() or t["visited_on"]]
        ok = [t for t in due if t["visited_on"] and t["visited_on"] <= t["due_on"]]
        out.append(rate("mandatory_visit_on_time", c, len(ok), len(due), label="五访按期率"))
        c0 = starts[c]
        for kind, (n, d) in cadence(ctx, c, max(start, c0) if c0 else owed + dt.timedelta(days=1), owed,
                                    meetings=meetings.get(c, [])).items():
            out.append(rate(f"cadence_{kind}", c, n, d, label=f"{MEETINGS[kind][0]}（{MEETINGS[kind][1]}）召开率"))
    out.extend(assessment_metrics(ctx, comms, start, end))
    if start.month == 1 and start.day == 1 and end == dt.date(start.year + 1, 1, 1):
        out.extend(awards.award_metrics(ctx, comms, start.year, period))
    return out


def _is_day(text: str) -> bool:
    """Whether ``text`` is a local date as stored (``YYYY-MM-DD``, the date's own isoformat)."""
    try:
        return dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _patrol_slots(ctx, areas: list[tuple[str, dt.date]], last: dt.date) -> dict[str, int]:
    """``{grid code: distinct (day, shift) patrols of it on local dates in [its first day,
    last]}`` for ``areas`` (``(code, first day)`` pairs), one query for all the grids (each
    grid's count a sub-query of the same statement; a pair as its JSON array, NULLs kept apart)."""
    out: dict[str, int] = {}
    for chunk in chunks(areas, 400):
        values = ", ".join("(?, ?)" for _ in chunk)
        for r in ctx.db.query(
                "select v.column1 area, (select count(distinct json_array(p.patrolled_on, p.shift)) from shequ365_patrols p "
                "where p.area = v.column1 and p.patrolled_on >= v.column2 and p.patrolled_on <= ?) n "
                f"from (values {values}) v", [last.isoformat(), *(x for a, d in chunk for x in (a, d.isoformat()))]):
            out[r["area"]] = r["n"]
    return out


def _meetings(ctx, comms: list[str], firsts: list[dt.date], last: dt.date) -> dict[str, list[dict]]:
    """The meetings (``kind``, ``held_on``) of ``comms`` held on local dates from the earliest
    window :func:`cadence` opens for any of ``firsts`` (their counting starts) to ``last``, read
    once for all, ``{community: rows}``; :func:`cadence` keeps its own community's window."""
    if not firsts:
        return {}
    lo = min(min(week_bounds(d)[0], quarter_bounds(d)[0]) for d in firsts)
    out: dict[str, list[dict]] = {}
    for chunk in chunks(comms):
        for r in ctx.db.query(f"select community, kind, held_on from shequ365_meetings where community in "
                              f"({ctx.db.placeholders(chunk)}) and held_on >= ? and held_on <= ?",
                              [*chunk, lo.isoformat(), last.isoformat()]):
            out.setdefault(r["community"], []).append(r)
    return out


def cadence(ctx, c: str, start: dt.date, last: dt.date, *, meetings: list[dict] | None = None) -> dict[str, tuple[int, int]]:
    """For each periodic meeting kind of community ``c``: (due occasions with the meeting
    held, due occasions) whose due date lies in [start, last] (local dates). The meetings are
    read once (every window lies within [the first week's or quarter's first day, last]), each
    occasion looked up in them, as :func:`tables.meetings_held` would answer it. ``meetings``:
    rows (``kind``, ``held_on``) of ``c`` read by the caller over a span that holds that one
    (:func:`_meetings`), read here when not given."""
    res = {k: [0, 0] for k in ("huddle", "weekly", "joint", "forum")}
    if start > last:
        return {k: (0, 0) for k in res}
    lo = min(week_bounds(start)[0], quarter_bounds(start)[0]).isoformat()
    held: dict[str, list[str]] = {k: [] for k in res}
    if meetings is None:
        meetings = ctx.db.query("select kind, held_on from shequ365_meetings where community = ? and held_on >= ? "
                                "and held_on <= ?", [c, lo, last.isoformat()])
    for r in meetings:
        if r["kind"] in held and isinstance(r["held_on"], str) and lo <= r["held_on"] <= last.isoformat():
            held[r["kind"]].append(r["held_on"])
    for dates in held.values():
        dates.sort()
    wd = int(ctx.settings["weekly_weekday"])
    one = dt.timedelta(days=1)
    # a huddle's window is its day: the days of [start, last] with one held
    first, final = start.isoformat(), last.isoformat()
    res["huddle"] = [sum(1 for d in set(held["huddle"]) if first <= d <= final and _is_day(d)), (last - start).days + 1]
    checks = []  # the other kinds' due occasions in [start, last]: (kind, window start, due day)
    if 1 <= wd <= 7:
        day = start + dt.timedelta(days=(wd - start.isoweekday()) % 7)
        while day <= last:
            checks.append(("weekly", week_bounds(day)[0], day))
            day += dt.timedelta(days=7)
    month = start.replace(day=1)
    while month <= last:  # each month's last day (month_bounds), and a quarter's (quarter_bounds)
        nxt = (month + dt.timedelta(days=31)).replace(day=1)
        day = nxt - one
        if start <= day <= last:
            checks.append(("joint", month, day))
            if day.month % 3 == 0:
                checks.append(("forum", dt.date(day.year, day.month - 2, 1), day))
        month = nxt
    for kind, a, b in checks:
        res[kind][1] += 1
        dates = held[kind]
        i = bisect.bisect_left(dates, a.isoformat())
        if i < len(dates) and dates[i] <= b.isoformat():
            res[kind][0] += 1
    return {k: (v[0], v[1]) for k, v in res.items()}


def assessment_metrics(ctx, comms: list[str], start: dt.date, end: dt.date) -> list[Metric]:
    """The recorded assessments of ``comms`` whose period lies within [start, end) as
    Metrics: ``representative_rating`` / ``quarterly_review_rating`` (satisfied + basically
    over votes) and ``assessment_score``."""
    out = []
    rows = ctx.db.query(
        f"select * from shequ365_assessments where community in ({ctx.db.placeholders(comms)}) order by id", comms)
    for r in rows:
        a, b = period_dates(r["period"])
        if a < start or b > end:
            continue
        kind = "representative_rating" if r["kind"] == "annual" else "quarterly_review_rating"
        label = "成员代表测评满意率（年底）" if r["kind"] == "annual" else "季度评议满意率"
        votes = (r["satisfied"] or 0) + (r["basically"] or 0) + (r["unsatisfied"] or 0)
        if votes:
            out.append(rate(kind, r["subject"], (r["satisfied"] or 0) + (r["basically"] or 0), votes,
                            subject_kind=r["subject_kind"], label=label, period=r["period"]))
        if r["score"] is not None:
            out.append(Metric("assessment_score", r["subject"], r["subject_kind"], value=r["score"],
                              label=f"{'年底测评' if r['kind'] == 'annual' else '季度评议'}得分", period=r["period"]))
    return out


def figures(ctx, unit_code: str | None, period: str) -> list[Metric]:
    """:func:`appraisal` for ``unit_code`` (None: everywhere) with each Metric's ``method``
    and ``period`` filled in, as ``county appraise`` shows them (``county shequ365 figures``)."""
    ms = appraisal(ctx, ctx.unit(unit_code) if unit_code else None, period)
    for m in ms:
        m.method, m.period = METHOD, m.period or period
    return ms
