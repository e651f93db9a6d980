"""The common appraisal metrics every method gets (design-notes §6), computed in SQL.

For a period, over cases *taken in* during the period (``created_at`` in it), per unit (the
unit that took the case in, rolled up its ancestors) and method:

* ``cases`` — count; ``resolved`` — resolved, confirmed or closed;
* ``resolution_rate`` (办结率) = resolved / cases;
* ``on_time_rate`` (按期办结率) = resolved with no missed milestone / (resolved + open cases
  with a missed milestone) — a case still open and not yet late counts for neither;
* ``share_settled`` per tier (小事不出村…) = resolved at that tier / resolved;
* ``tier_on_time_rate`` per tier = primary milestones of that tier met / (met + missed);
* ``satisfaction_rate`` (满意率) = (satisfied + basically satisfied) / rated cases.

Every rate has value None ("—") when its denominator is 0.
"""

from __future__ import annotations

from collections import defaultdict

from framework.models import DONE_STATUSES, Metric, rate

_DONE = "(" + ",".join(f"'{s}'" for s in DONE_STATUSES) + ")"


def common_metrics(county, period: str, unit: str | None = None) -> list[Metric]:
    start, end = county.calendar.period_bounds(period)
    span = [start.timestamp(), end.timestamp()]
    roots = [county.unit(unit)] if unit else county.roots()
    keep = set()
    for r in roots:
        keep.update(county.subtree(r.code))
    db = county.store.db

    base: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(float))
    for origin, method, n, done, ontime, late_open, rated, good in db.execute(
            f"""select origin_unit, method, count(*),
                   total(status in {_DONE}),
                   total(status in {_DONE} and overdue_count = 0),
                   total(status not in {_DONE} and status != 'rejected' and overdue_count > 0),
                   total(satisfaction is not null),
                   total(satisfaction in ('satisfied','basically'))
                from cases where created_ts >= ? and created_ts < ? group by origin_unit, method""", span):
        for code in county.ancestors(origin):
            b = base[(code, method)]
            b["cases"] += n
            b["resolved"] += done
            b["on_time"] += ontime
            b["late_open"] += late_open
            b["rated"] += rated
            b["good"] += good
    tiers: dict[tuple[str, str, str], float] = defaultdict(float)
    for origin, method, level, n in db.execute(
            f"""select origin_unit, method, resolved_level, count(*) from cases
                where created_ts >= ? and created_ts < ? and status in {_DONE}
                group by origin_unit, method, resolved_level""", span):
        for code in county.ancestors(origin):
            tiers[(code, method, level)] += n
    tier_ot: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for origin, method, level, state, n in db.execute(
            """select c.origin_unit, c.method, m.level, m.state, count(*) from milestones m
               join cases c on c.id = m.case_id
               where c.created_ts >= ? and c.created_ts < ? and m.is_primary = 1 and m.state in ('met','missed')
               group by c.origin_unit, c.method, m.level, m.state""", span):
        for code in county.ancestors(origin):
            cell = tier_ot[(code, method, level)]
            cell[0 if state == "met" else 1] += n

    out: list[Metric] = []
    for (code, method), b in sorted(base.items()):
        if code not in keep:
            continue
        kw = dict(method=method, period=period)
        out.append(Metric("cases", code, value=b["cases"], label="受理数", **kw))
        out.append(Metric("resolved", code, value=b["resolved"], label="办结数", **kw))
        out.append(rate("resolution_rate", code, b["resolved"], b["cases"], label="办结率", **kw))
        out.append(rate("on_time_rate", code, b["on_time"], b["resolved"] + b["late_open"], label="按期办结率", **kw))
        out.append(rate("satisfaction_rate", code, b["good"], b["rated"], label="满意率", **kw))
        chain = county.chain_method(method)
        levels = [t.name for t in chain.tiers] or sorted({lv for (c, m, lv) in tiers if c == code and m == method and lv})
        for lv in levels:
            title = chain.tier(lv).title_zh if chain.tier(lv) else lv
            out.append(rate("share_settled", code, tiers.get((code, method, lv), 0.0), b["resolved"],
                            label=f"{title}办结占比", tier=lv, **kw))
            met, missed = tier_ot.get((code, method, lv), [0.0, 0.0])
            out.append(rate("tier_on_time_rate", code, met, met + missed, label=f"{title}按期率", tier=lv, **kw))
    return out

