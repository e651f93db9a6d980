"""Appraisal of 乡会村开 (casebook: Jingning L246, L253, L262): topics collected, meetings held,
topics settled, notices issued and done on time, village coverage and the satisfaction
ratings, per village, township and the scope's root(s). Cases are read through
``ctx.cases``; meetings, notices and ratings are the plugin's own tables.
"""

from __future__ import annotations

from collections import defaultdict

from framework import DONE_STATUSES, MethodContext, Metric, Unit, rate
from plugins.xiangkai import rules
from plugins.xiangkai.tables import with_cases


def appraisal(ctx: MethodContext, unit: Unit | None, period: str) -> list[Metric]:
    """Per village (units of the ``village_levels`` setting), township and the scope's root(s)
    in ``unit``'s subtree (None: the whole deployment), for ``period``. Counts roll up the
    unit tree.

    * ``topics_collected`` 议题征集数 — xiangkai cases taken in during the period (by the unit
      that took them in);
    * ``meetings_held`` 召开乡会数, ``topics_settled`` 会议议定议题数 — meetings held in the
      period and the topics settled at them (by the meeting's village);
    * ``notices_issued`` 下发督办通知书数 — notices issued in the period;
    * ``notice_on_time_rate`` 督办按期办结率 — of those notices: resolved by the due instant /
      (resolved + open and past due at ``ctx.now``); a notice still open and not yet due counts
      for neither;
    * ``village_coverage`` 乡会覆盖率 — villages with a meeting held in the period / villages;
    * ``rating_<subject>`` 满意度 — (满意 + 基本满意) / votes, over ratings whose period lies
      inside ``period`` (only where votes exist).

    Returns a list of :class:`Metric` (rates with numerator and denominator)."""
    levels = set(ctx.settings["village_levels"])
    roots = [unit] if unit else ctx.roots()
    scope: set[str] = set()
    for r in roots:
        scope.update(ctx.subtree(r.code))
    subjects = [c for c in sorted(scope) if ctx.units[c].level in levels or ctx.units[c].level == "township"]
    subjects += [r.code for r in roots if r.code not in subjects]
    start, end = ctx.calendar.period_bounds(period)
    span = [start.timestamp(), end.timestamp()]
    now_ts = ctx.now.timestamp()
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def add(code, key, n=1.0):
        for c in ctx.ancestors(code):
            counts[c][key] += n

    for origin, n in ctx.cases.count(by="origin_unit", method=rules.METHOD, created=(start, end)).items():
        add(origin, "collected", n)
    for r in ctx.db.query(
            "select village, count(*) as n from xiangkai_meetings where status = 'held' and held_ts >= ? and held_ts < ? "
            "group by village", span):
        add(r["village"], "held", r["n"])
        counts[r["village"]]["has_meeting"] = 1
    for r in ctx.db.query(
            "select m.village, count(*) as n from xiangkai_meeting_topics t join xiangkai_meetings m on m.id = t.meeting_id "
            "where m.status = 'held' and m.held_ts >= ? and m.held_ts < ? and t.outcome = 'settled' group by m.village", span):
        add(r["village"], "settled", r["n"])
    for r in with_cases(ctx, ctx.db.query(
            "select m.village, n.case_id, n.due_ts from xiangkai_notices n join xiangkai_meetings m on m.id = n.meeting_id "
            "where n.issued_ts >= ? and n.issued_ts < ?", span)):
        village, status, due_ts = r["village"], r["status"], r["due_ts"]
        resolved_ts = r["resolved_at"].timestamp() if r["resolved_at"] else None
        add(village, "issued")
        if status in DONE_STATUSES:
            add(village, "done")
            if due_ts is None or (resolved_ts or 0) <= due_ts:
                add(village, "on_time")
        elif status != "rejected" and due_ts is not None and now_ts > due_ts:
            add(village, "late_open")
    ratings: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in ctx.db.query(
            "select unit, subject, satisfied, basically, unsatisfied from xiangkai_ratings "
            "where start_ts >= ? and end_ts <= ?", span):
        for c in ctx.ancestors(r["unit"]):
            cell = ratings[(c, r["subject"])]
            cell[0] += r["satisfied"] + r["basically"]
            cell[1] += r["satisfied"] + r["basically"] + r["unsatisfied"]

    out: list[Metric] = []
    for code in subjects:
        b = counts.get(code, {})
        kw = {"method": rules.METHOD, "period": period}
        out.append(Metric("topics_collected", code, value=b.get("collected", 0.0), label="议题征集数", **kw))
        out.append(Metric("meetings_held", code, value=b.get("held", 0.0), label="召开乡会数", **kw))
        out.append(Metric("topics_settled", code, value=b.get("settled", 0.0), label="会议议定议题数", **kw))
        out.append(Metric("notices_issued", code, value=b.get("issued", 0.0), label="下发督办通知书数", **kw))
        out.append(rate("notice_on_time_rate", code, b.get("on_time", 0.0), b.get("done", 0.0) + b.get("late_open", 0.0),
                        label="督办按期办结率", **kw))
        villages = [c for c in ctx.subtree(code) if ctx.units[c].level in levels]
        covered = sum(1 for c in villages if counts.get(c, {}).get("has_meeting"))
        out.append(rate("village_coverage", code, covered, len(villages), label="乡会覆盖率（村村有安排）", **kw))
        for subject, (label, _levels, _ref) in rules.RATING_SUBJECTS.items():
            good, total = ratings.get((code, subject), (0.0, 0.0))
            if total:
                out.append(rate(f"rating_{subject}", code, good, total, label=f"{label}满意度", **kw))
    return out
