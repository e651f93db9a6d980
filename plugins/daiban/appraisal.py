"""Appraisal: the 100-point quantitative score (量化考核) and the democratic appraisal (民主评议),
casebook L229–231.

**The 100-point score of one agent for a period** (over the cards the agent handles that were
taken in during the period; an indicator without evidence scores 0)::

    count         = w_count         × min(1, cards / (count_target × share of a year))
    effectiveness = w_effectiveness × completed / cards                (代办工作成效)
    satisfaction  = w_satisfaction  × (satisfied + basically) / rated  (群众满意度)
    timeliness    = w_timeliness    × on time / (on time + late)       (办理及时; not named in L231)
    conduct       = max(0, w_conduct − complaint_points × upheld complaints filed in the period)
                                                                       (服务规范; not named in L231)
    score         = max(0, sum − overdue_deduction × cards in the overdue register due in the period)

An agent with no card taken in during the period has no evidence for any indicator and scores 0
on each (conduct included: there is no service to judge), so 0 in all.

A card is *on time* when completed by the instant it is held to (the agent's promise, else its
due instant: :func:`plugins.daiban.stages.due_of`) and *late* when completed after it or still
open after it at ``ctx.now``. Weights default to 30/20/20/15/15 (settings ``weight_*``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from operator import itemgetter

from framework import (
    DONE_STATUSES,
    OPEN_STATUSES,
    MethodContext,
    Metric,
    Person,
    Unit,
    chunks,
    rate,
)
from plugins.daiban.network import group_coverage
from plugins.daiban.rules import INDICATORS, METHOD, REVIEWER_KINDS, serves_errands


def year_share(period: str) -> float:
    """The share of a year a period covers: 1 (2013), 1/4 (2013Q1), 1/12 (2013-03), 1/365 (a day)."""
    p = str(period)
    if len(p) == 4:
        return 1.0
    if len(p) == 6:
        return 0.25
    if len(p) == 7:
        return 1 / 12
    return 1 / 365


def agents_of(ctx: MethodContext, unit_code: str | None) -> list[Person]:
    """Agents (role ``agent`` or ``service_team``) whose unit lies in ``unit_code``'s subtree
    (all when None) and where the method takes part (``[where]``), by id."""
    codes = set(ctx.subtree(unit_code)) if unit_code else None
    return sorted((p for p in ctx.people.values() if serves_errands(p) and (codes is None or p.unit in codes)
                   and ctx.takes_part(p.unit)), key=lambda p: p.id)


def _count_by_agent(ctx: MethodContext, sql: str, ids: list[str], params: list) -> dict[str, int]:
    """``{agent: n}`` from ``sql`` (a grouped count over a plugin table with ``{qs}`` standing
    for the agents' placeholders; ``params`` follow the agent ids)."""
    out: dict[str, int] = {}
    for chunk in chunks(ids):
        for r in ctx.db.query(sql.format(qs=ctx.db.placeholders(chunk)), [*chunk, *params]):
            out[r["agent"]] = r["n"]
    return out


def agent_stats(ctx: MethodContext, period: str, unit_code: str | None = None, *,
                hours: bool = True) -> dict[str, dict]:
    """Per agent id of ``unit_code``'s subtree (all when None), for ``period``: cards,
    completed, rated, good, on_time, late, input_hours (the cards' ``input_hours`` summed in
    card order; left at 0 with ``hours=False``, which the appraisal passes: it shows no
    hours), overdue (register entries due in the period), upheld (complaints filed in the
    period), ``points_<indicator>`` for the five indicators, deduction and score (0–100, 2
    decimals). Settings from ``ctx.settings``; lateness of open cards at ``ctx.now``.
    CountyError for a bad period."""
    start, end = ctx.calendar.period_bounds(period)
    span = [start.timestamp(), end.timestamp()]
    settings, now = ctx.settings, ctx.now
    ids = [p.id for p in agents_of(ctx, unit_code)]
    out: dict[str, dict] = {pid: defaultdict(float) for pid in ids}
    if not ids:
        return {}
    # the period's cards, their agents picked here: a handler filter would read every card the
    # agents ever had (the handler index), the period's by the time index follow the period;
    # only the fields counted, not a Case each (ctx.cases.values), in one read (a second one,
    # a count, costs more than it saves when the period's counts are not kept yet). Cards,
    # done, rated and good are counted by (handler, status, satisfaction) at C speed (Counter);
    # only the timing is worked out card by card, the agents on time and late counted likewise.
    # the instants as POSIX seconds (compared as they are: nothing parsed but a promise)
    fields = ("handler", "status", "satisfaction", "due_ts", "resolved_ts", "extra.promised_due_at")
    rows = ctx.cases.values(*fields, *(("extra.input_hours",) if hours else ()), method=METHOD, created=(start, end))
    done_set, open_set, iso = frozenset(DONE_STATUSES), frozenset(OPEN_STATUSES), dt.datetime.fromisoformat
    now_ts = now.timestamp()
    for (handler, status, satisfaction), n in Counter(map(itemgetter(0, 1, 2), rows)).items():
        s = out.get(handler)
        if s is None:
            continue
        s["cards"] += n
        if status in done_set:
            s["completed"] += n
        if satisfaction:
            s["rated"] += n
            if satisfaction in ("satisfied", "basically"):
                s["good"] += n
    on_time: list = []
    late: list = []
    for handler, status, _satisfaction, due, resolved_at, promised in (r[:6] for r in rows) if hours else rows:
        if promised:  # the agent's promise when there is one (L229), else the kernel's due instant: stages.due_of
            due = iso(promised).timestamp()
        if status in done_set:  # done: on time by the instant held to (or with none), else late
            if due is None or (resolved_at is not None and resolved_at <= due):
                on_time.append(handler)
            else:
                late.append(handler)
        elif due is not None and status in open_set and due < now_ts:  # open past the instant held to
            late.append(handler)
    for key, handlers in (("on_time", on_time), ("late", late)):
        for handler, n in Counter(handlers).items():
            s = out.get(handler)
            if s is not None:
                s[key] += n
    if hours:  # added per agent in card order (the same float sums)
        hours_of: dict[str, float] = {}
        for row in rows:
            if row[0] in out:
                hours_of[row[0]] = hours_of.get(row[0], 0.0) + float(row[6] or 0)
        for handler, h in hours_of.items():
            out[handler]["input_hours"] += h
    for agent, n in _count_by_agent(
            ctx, "select agent, count(*) as n from daiban_overdue where agent in ({qs}) and due_ts >= ? and due_ts < ? "
                 "group by agent", ids, span).items():
        out[agent]["overdue"] = n
    for agent, n in _count_by_agent(
            ctx, "select agent, count(*) as n from daiban_complaints where agent in ({qs}) and upheld = 1 "
                 "and filed_ts >= ? and filed_ts < ? group by agent", ids, span).items():
        out[agent]["upheld"] = n
    target = float(settings["count_target"]) * year_share(period)
    w = {k: float(settings[f"weight_{k}"]) for k, _ in INDICATORS}
    for s in out.values():
        s["deduction"] = float(settings["overdue_deduction"]) * s["overdue"]
        if not s["cards"]:
            # no card taken in during the period: no evidence for any indicator, conduct included
            for k, _ in INDICATORS:
                s[f"points_{k}"] = 0.0
            s["score"] = 0.0
            continue
        s["points_count"] = w["count"] * min(1.0, s["cards"] / target) if target > 0 else w["count"]
        s["points_effectiveness"] = w["effectiveness"] * s["completed"] / s["cards"]
        s["points_satisfaction"] = w["satisfaction"] * s["good"] / s["rated"] if s["rated"] else 0.0
        den = s["on_time"] + s["late"]
        s["points_timeliness"] = w["timeliness"] * s["on_time"] / den if den else 0.0
        s["points_conduct"] = max(0.0, w["conduct"] - float(settings["complaint_points"]) * s["upheld"])
        total = sum(s[f"points_{k}"] for k, _ in INDICATORS)
        s["score"] = round(max(0.0, total - s["deduction"]), 2)
    return out


def review_stats(ctx: MethodContext, year: int, ids: list[str]) -> dict[str, dict]:
    """Per agent of ``ids`` with sheets in ``year``: ``{"sheets": [each sheet's mean of
    attitude, efficiency and results], "by_kind": {reviewer_kind: [means]}}``."""
    out: dict[str, dict] = {}
    for chunk in chunks(ids):
        for r in ctx.db.query(f"select * from daiban_reviews where year = ? and agent in ({ctx.db.placeholders(chunk)}) "
                              f"order by id", [year, *chunk]):
            s = out.setdefault(r["agent"], {"sheets": [], "by_kind": defaultdict(list)})
            v = (r["attitude"] + r["efficiency"] + r["results"]) / 3
            s["sheets"].append(v)
            s["by_kind"][r["reviewer_kind"]].append(v)
    return out


def appraisal(ctx: MethodContext, unit: Unit | None, period: str) -> list[Metric]:
    """Metric rows per agent (``subject_kind="person"``): cards, on-time rate (the casebook reports
    96 %, L229), satisfaction rate, overdue-register entries, upheld complaints, each indicator's
    points, the overdue deduction and the 100-point score; for a year also the democratic
    appraisal mean (0–100). Per unit (``unit``, else each root): the share of villager groups
    with an agent."""
    code = unit.code if unit else None
    stats = agent_stats(ctx, period, code, hours=False)
    out: list[Metric] = []
    kw = {"subject_kind": "person", "method": METHOD, "period": period}
    # positional: Metric(metric, subject, subject_kind, method, period, numerator, denominator,
    # value, label); a rate's value as rate() gives it (None when the denominator is 0)
    points = [(f"daiban_points_{k}", f"points_{k}", f"量化考核·{zh}") for k, zh in INDICATORS]
    for pid, s in stats.items():
        on_time, timed, good, rated = s["on_time"], s["on_time"] + s["late"], s["good"], s["rated"]
        out += [
            Metric("daiban_cards", pid, "person", METHOD, period, None, None, s["cards"], "代办件数"),
            Metric("daiban_on_time_rate", pid, "person", METHOD, period, on_time, timed,
                   on_time / timed if timed else None, "按期办结率（溆浦县报告96%）"),
            Metric("daiban_satisfaction_rate", pid, "person", METHOD, period, good, rated,
                   good / rated if rated else None, "群众满意率"),
            Metric("daiban_overdue_registered", pid, "person", METHOD, period, None, None, s["overdue"],
                   "逾期登记在案（张）"),
            Metric("daiban_complaints_upheld", pid, "person", METHOD, period, None, None, s["upheld"], "投诉查实（件）"),
            *[Metric(name, pid, "person", METHOD, period, None, None, round(s[key], 2), label)
              for name, key, label in points],
            Metric("daiban_deduction", pid, "person", METHOD, period, None, None, s["deduction"], "逾期扣分"),
            Metric("daiban_score", pid, "person", METHOD, period, None, None, s["score"], "量化考核得分（百分制）"),
        ]
    if len(str(period)) == 4:
        revs = review_stats(ctx, int(period), list(stats))
        for pid, r in revs.items():
            out.append(Metric("daiban_review_sheets", pid, value=len(r["sheets"]), label="民主评议票数", **kw))
            out.append(Metric("daiban_review_score", pid, value=round(sum(r["sheets"]) / len(r["sheets"]), 2),
                              label="民主评议得分", **kw))
            for kind, vals in sorted(r["by_kind"].items()):
                out.append(Metric(f"daiban_review_score_{kind}", pid, value=round(sum(vals) / len(vals), 2),
                                  label=f"民主评议得分（{REVIEWER_KINDS.get(kind, kind)}）", **kw))
    roots = [code] if code else [u.code for u in ctx.roots()]
    for rc in roots:
        groups, covered = group_coverage(ctx, rc)
        out.append(rate("daiban_group_coverage", rc, covered, groups,
                        label="村民小组代办员覆盖率", method=METHOD, period=period))
    return out


def score_rows(ctx: MethodContext, period: str, unit: str | None = None, agent: str | None = None) -> list[dict]:
    """``county daiban score``: one row per agent of ``unit``'s subtree (or only ``agent``):
    agent, name, cards, the five indicators' points, overdue, deduction, score, and review (the
    democratic-appraisal mean for a year period, else None). NotFound for an unknown unit or
    person; CountyError for a bad period."""
    if unit:
        ctx.unit(unit)
    stats = agent_stats(ctx, period, unit)
    if agent:
        ctx.person(agent)
        stats = {k: v for k, v in stats.items() if k == agent}
    revs = review_stats(ctx, int(period), list(stats)) if len(str(period)) == 4 else {}
    rows = []
    for pid, s in stats.items():
        row = {"agent": pid, "name": ctx.people[pid].name, "cards": int(s["cards"]),
               **{k: round(s[f"points_{k}"], 2) for k, _ in INDICATORS},
               "overdue": int(s["overdue"]), "deduction": s["deduction"], "score": s["score"]}
        r = revs.get(pid)
        row["review"] = round(sum(r["sheets"]) / len(r["sheets"]), 2) if r else None
        rows.append(row)
    return rows
