"""The common appraisal metrics every method gets (design-notes §6), computed in SQL.

For a period, over cases *taken in* during the period (``created_at`` in it), per unit (the
unit that took the case in, rolled up its ancestors) and method:

* ``cases`` — count; ``resolved`` — resolved, confirmed or closed;
* ``resolution_rate`` (办结率) = resolved / cases;
* ``on_time_rate`` (按期办结率) = resolved with no missed milestone / (resolved + open cases
  with a missed milestone) — a case still open and not yet late counts for neither; an open case
  whose due instant has passed at the appraisal's clock (``--now``) is late whether or not a
  sweep has flagged it yet (the figure never depends on when the sweep last ran);
* ``share_settled`` per tier (小事不出村…) = resolved at that tier / resolved (labelled by the
  tier's Chinese title; for a method without a chain, by the unit level's Chinese name, 村);
* ``tier_on_time_rate`` per tier = primary milestones of that tier met / (met + missed), a
  pending one past its due instant at the clock counting as missed;
* ``satisfaction_rate`` (满意率) = cases rated with a ``good`` level of their method's
  ``SatisfactionScale`` / rated cases (default scale: (satisfied + basically satisfied) / rated;
  a case's rating is its latest);
* for a method whose scale reopens cases (``SatisfactionScale.reopens``, docs/hooks.md §12.2),
  by the instant of the ``reopened`` events in the period (whenever the case was taken in):
  ``reopened`` (重办次数) = reopen events, ``reopened_cases`` (重办事项数) = distinct cases.

Every rate has value None ("—") when its denominator is 0. Periods: every form of
:func:`framework.timerules.period_dates` (``2026H2`` too).

The two passes over the period's cases (counts, ratings and settling tiers; primary milestones
met or missed) are kept counts (:mod:`framework.store.tallies`): counted once, read back while
none of the period's cases changes. What depends on the clock — open cases and pending primary
milestones past due at ``--now`` — is counted each time, from the ``(status, due_ts)`` and
``(state, due_ts)`` indexes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from framework.models import DONE_STATUSES, OPEN_STATUSES, Metric, SatisfactionScale, rate
from framework.publish.report_labels import level_title
from framework.store.tallies import kept_rows

_DONE = "(" + ",".join(f"'{s}'" for s in DONE_STATUSES) + ")"
_OPEN = "(" + ",".join(f"'{s}'" for s in OPEN_STATUSES) + ")"


class _NoChain:
    """The chain of a method whose cases remain but whose plugin is no longer installed: no
    tiers (its settling levels are then named by the unit levels seen)."""

    tiers: tuple = ()

    @staticmethod
    def tier(name):
        return None


def _scale(county, method: str) -> SatisfactionScale:
    """The satisfaction scale of ``method`` (loaded now when the registry left it out — a
    method since removed from the deployment; the default scale when it is not installed)."""
    if method not in county.registry.methods:
        county.registry.load(method)
    info = county.registry.methods.get(method)
    return info.satisfaction if info is not None else SatisfactionScale()



def common_metrics(county, period: str, unit: str | None = None) -> list[Metric]:
    """The common metrics (see the module) of cases taken in by ``unit``'s subtree (None: every
    root) during ``period``, one per unit and method (and tier), as :class:`Metric` records.
    ``county`` is the County facade. CountyError for a bad period, NotFound for an unknown unit."""
    start, end = county.calendar.period_bounds(period)
    span = [start.timestamp(), end.timestamp()]
    now = county.now().timestamp()  # past due at the clock = late, swept or not
    roots = [county.unit(unit)] if unit else county.roots()
    keep = set()
    for r in roots:
        keep.update(county.subtree(r.code))
    db = county.store.db
    # Every query starts from the period's cases (the created_ts index: "+status" keeps SQLite off
    # the (status, due_ts) index, "cross join" keeps cases the outer loop, "+origin_unit" in the
    # grouping keeps it from scanning the (origin_unit, method, created_ts) index in its order, all
    # history, to save a sort), so the cost follows the period's cases, never all history.

    # Each query's rows are summed per origin unit first and every origin's sums then rolled up
    # its path once (was: every grouped row up its path, 40 k walks a year of 1 M cases). The
    # sums are counts, whole floats well below 2**53: exact in any order.
    paths: dict[str, tuple[str, ...]] = {}

    def up(origin: str) -> tuple[str, ...]:
        path = paths.get(origin)
        if path is None:
            path = paths[origin] = tuple(county.ancestors(origin))
        return path

    base: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(float))
    tiers: dict[tuple[str, str, str], float] = defaultdict(float)
    # one pass over the period's cases for the counts, the ratings and the settling tiers (three
    # GROUP BYs before, each as costly as the pass): grouped by rating and settling tier too
    good_of = {}
    own: dict[tuple[str, str], list[float]] = {}  # (origin, method) -> [cases, resolved, on time, late open, rated, good]
    own_tiers: dict[tuple[str, str, str], float] = defaultdict(float)
    # The period's counts that do not depend on the clock are kept once counted (framework.store.
    # tallies: a closed period's appraisal reads them back); what does — open cases and pending
    # milestones past due at --now, the sweep not having flagged them — is counted from the
    # (status, due_ts) and (state, due_ts) indexes each time: the cost follows the overdue work.
    def kept(sql: str, params: list) -> list[tuple]:
        return kept_rows(county.store, sql, params, "c", *span)

    for origin, method, level, settled, n, done, ontime, late_open in kept(
            f"""select origin_unit, method, satisfaction, resolved_level, count(*),
                   total(status in {_DONE}),
                   total(status in {_DONE} and overdue_count = 0),
                   total(status in {_OPEN} and overdue_count > 0)
                from cases where created_ts >= ? and created_ts < ?
                group by origin_unit, method, satisfaction, resolved_level""", span):
        o = own.get((origin, method))
        if o is None:
            o = own[(origin, method)] = [0.0] * 6
        o[0] += n
        o[1] += done
        o[2] += ontime
        o[3] += late_open
        if level is not None:
            if method not in good_of:
                good_of[method] = _scale(county, method).good
            o[4] += n
            if level in good_of[method]:
                o[5] += n
        if done:
            own_tiers[(origin, method, settled)] += done
    for origin, method, late_open in db.execute(  # open, not flagged, past due at the clock
            f"""select origin_unit, method, count(*) from cases
                where status in {_OPEN} and overdue_count = 0 and due_ts < ? and +created_ts >= ? and +created_ts < ?
                group by origin_unit, method""", [now, *span]):
        o = own.get((origin, method))
        if o is None:
            o = own[(origin, method)] = [0.0] * 6
        o[3] += late_open
    for (origin, method), (n, done, ontime, late_open, rated, good) in own.items():
        for code in up(origin):
            b = base[(code, method)]
            b["cases"] += n
            b["resolved"] += done
            b["on_time"] += ontime
            b["late_open"] += late_open
            if rated:
                b["rated"] += rated
                b["good"] += good
    for (origin, method, settled), done in own_tiers.items():
        for code in up(origin):
            tiers[(code, method, settled)] += done
    day = dt.timedelta(days=1)  # events' instants are texts with their offset: widen for the index, compare instants
    for origin, method, n, distinct in db.execute(
            """select c.origin_unit, c.method, count(*), count(distinct e.case_id) from events e
               join cases c on c.id = e.case_id
               where e.type = 'reopened' and e.at >= ? and e.at < ?
                 and julianday(e.at) >= julianday(?) and julianday(e.at) < julianday(?)
               group by c.origin_unit, c.method""",
            [(start - day).isoformat(), (end + day).isoformat(), start.isoformat(), end.isoformat()]):
        for code in up(origin):
            base[(code, method)]["reopened"] += n
            base[(code, method)]["reopened_cases"] += distinct
    own_ot: dict[tuple[str, str, str], list[float]] = {}
    settled_ot = kept("""select +c.origin_unit, +c.method, m.level, m.state, count(*)
               from cases c cross join milestones m on m.case_id = c.id
               where c.created_ts >= ? and c.created_ts < ? and m.is_primary = 1 and m.state in ('met', 'missed')
               group by 1, 2, 3, 4""", span)
    late_ot = db.execute("""select c.origin_unit, c.method, m.level, 'missed', count(*)
               from milestones m join cases c on c.id = m.case_id
               where m.state = 'pending' and m.due_ts < ? and m.is_primary = 1
                 and +c.created_ts >= ? and +c.created_ts < ?
               group by 1, 2, 3""", [now, *span]).fetchall()
    for origin, method, level, state, n in settled_ot + late_ot:
        cell = own_ot.get((origin, method, level))
        if cell is None:
            cell = own_ot[(origin, method, level)] = [0.0, 0.0]
        cell[0 if state == "met" else 1] += n
    tier_ot: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (origin, method, level), (met, missed) in own_ot.items():
        for code in up(origin):
            cell = tier_ot[(code, method, level)]
            cell[0] += met
            cell[1] += missed

    settled_levels: dict[tuple[str, str], set[str]] = defaultdict(set)  # for a chain without tiers
    for c, m, lv in tiers:
        if lv:
            settled_levels[(c, m)].add(lv)
    scales: dict[str, SatisfactionScale] = {}
    chains: dict[str, object] = {}
    out: list[Metric] = []
    for (code, method), b in sorted(base.items()):
        if code not in keep:
            continue
        if method not in scales:
            scales[method], chains[method] = _scale(county, method), county.chain_or_none(method) or _NoChain()
        kw = dict(method=method, period=period)
        out.append(Metric("cases", code, value=b["cases"], label="受理数", **kw))
        out.append(Metric("resolved", code, value=b["resolved"], label="办结数", **kw))
        out.append(rate("resolution_rate", code, b["resolved"], b["cases"], label="办结率", **kw))
        out.append(rate("on_time_rate", code, b["on_time"], b["resolved"] + b["late_open"], label="按期办结率", **kw))
        out.append(rate("satisfaction_rate", code, b["good"], b["rated"], label="满意率", **kw))
        if scales[method].reopens:
            out.append(Metric("reopened", code, value=b["reopened"], label="重办次数", **kw))
            out.append(Metric("reopened_cases", code, value=b["reopened_cases"], label="重办事项数", **kw))
        chain = chains[method]
        levels = [t.name for t in chain.tiers] or sorted(settled_levels.get((code, method), ()))
        for lv in levels:
            tier = chain.tier(lv)
            title = tier.title_zh if tier is not None and tier.title_zh else level_title(lv)
            out.append(rate("share_settled", code, tiers.get((code, method, lv), 0.0), b["resolved"],
                            label=f"{title}办结占比", tier=lv, **kw))
            met, missed = tier_ot.get((code, method, lv), [0.0, 0.0])
            out.append(rate("tier_on_time_rate", code, met, met + missed, label=f"{title}按期率", tier=lv, **kw))
    return out



def on_time_by_month(county, months: list[str], unit: str) -> dict[str, dict[str, float | None]]:
    """The ``on_time_rate`` (按期办结率) of unit ``unit`` per month and method, as
    :func:`common_metrics` (``month``, ``unit``) computes it, in one query over the months'
    cases (the report's monthly trend). ``months``: period strings (``2026-11``), each
    deployment-local. Returns ``{month: {method: rate or None}}`` (None: denominator 0; a
    method without cases that month is absent). CountyError for a bad month."""
    bounds = [county.calendar.period_bounds(m) for m in months]
    out: dict[str, dict[str, float | None]] = {m: {} for m in months}
    if not months:
        return out
    params = [x for i, (a, b) in enumerate(bounds) for x in (i, a.timestamp(), b.timestamp())]
    counts: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for i, origin, method, ontime, den in county.store.db.execute(
            f"""with b(i, s, e) as (values {", ".join("(?, ?, ?)" for _ in months)})
                select b.i, c.origin_unit, c.method,
                       total(c.status in {_DONE} and c.overdue_count = 0),
                       total(c.status in {_DONE})
                       + total(c.status not in {_DONE} and c.status != 'rejected'
                               and (c.overdue_count > 0 or c.due_ts < ?))
                from b cross join cases c on c.created_ts >= b.s and c.created_ts < b.e
                group by b.i, c.origin_unit, c.method""", [*params, county.now().timestamp()]):
        if unit in county.ancestors(origin):
            cell = counts[(i, method)]
            cell[0] += ontime
            cell[1] += den
    for (i, method), (num, den) in counts.items():
        out[months[i]][method] = num / den if den else None
    return out
