"""服务效果评价 (L83): the quarterly service-effect evaluation, the yearly awards, duties.

Scores (villagers' ratings, 群众评价):

* a **rating** is a whole score 1–5 recorded with ``county dianti rate ID --score N`` on a
  resolved service; a service may be rated by several villagers;
* a service's **score** is the mean of its ratings; a service with no rating but a kernel
  confirmation (``county case confirm --satisfaction``) counts as one rating worth
  ``satisfaction_scores`` (满意 5, 基本满意 3, 不满意 1 by default); otherwise it is unrated;
* a service belongs to the period in which it was **resolved** (办结), whenever it was rated;
* a subject's (village, group, member) **period score** is the mean of its rated services'
  scores; ``good_rate`` is the share of its rated services scoring at least ``good_score``.

Yearly awards (L83: 优质服务小组、优秀服务项目、服务明星, chosen once a year "with villagers'
evaluations as an important input"), per village, over services resolved in the year:

* **annual score** of a group or member = the mean of its quarterly scores, over the quarters in
  which it had at least one rated service (each quarterly evaluation weighs the same);
* 优质服务小组 best group: highest annual score among groups with at least
  ``award_min_group_services`` rated services in the year; ties: more services done in the year,
  then register order;
* 服务明星 service star: the same over members (``award_min_star_services``); ties: more services
  done, then register order;
* 优秀服务项目 best project: the service with the highest score among those with at least
  ``award_min_project_ratings`` ratings; ties: more ratings, then resolved earlier, then case id.

A service is credited to the group it was routed to (the case's category) and to the member
who handled it when it was resolved (the case's handler).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from fractions import Fraction
from typing import NamedTuple

from framework import DONE_STATUSES, Case, Metric, period_dates, rate
from plugins.dianti import tables
from plugins.dianti.rules import group_of, villages_in


def dianti_cases(ctx, village: str, *, resolved_in: str | None = None, created_in: str | None = None) -> list[Case]:
    """dianti cases taken in by ``village``'s subtree (origin unit), optionally resolved (done
    status, resolved within the period) or created within a period (period strings), in
    intake order. Returns Case records without events."""
    filters: dict = {}
    if resolved_in:
        filters.update(status=list(DONE_STATUSES), resolved=resolved_in)
    if created_in:
        filters["created"] = created_in
    return ctx.cases.find(method="dianti", origin=village, **filters)


def case_scores(ctx, cases: list[Case]) -> dict[str, tuple[Fraction, int]]:
    """{case id: (score as an exact Fraction, number of ratings)} for the rated ones of
    ``cases``: the mean of its ratings, else its kernel confirmation mapped by the setting
    ``satisfaction_scores`` (one rating), else unrated (left out)."""
    out: dict[str, tuple[Fraction, int]] = {}
    if not cases:
        return out
    ratings = tables.ratings_of(ctx, [c.id for c in cases])
    # one (score, 1) per confirmation value, shared by the cases confirmed with it
    mapped = {k: (Fraction(v), 1) for k, v in (ctx.settings.get("satisfaction_scores") or {}).items()}
    for c in cases:
        if c.id in ratings:
            xs = ratings[c.id]
            out[c.id] = (Fraction(sum(xs), len(xs)), len(xs))
        elif c.satisfaction and c.satisfaction in mapped:
            out[c.id] = mapped[c.satisfaction]
    return out


def _mean(xs) -> Fraction | None:
    """The exact mean of Fractions (None for none); whole scores (the usual case: one rating, or
    a confirmation mapped to 5/3/1) are summed as integers, the same value without a Fraction
    addition each."""
    xs = list(xs)
    if not xs:
        return None
    if all(x.denominator == 1 for x in xs):
        return Fraction(sum(x.numerator for x in xs), len(xs))
    return sum(xs, Fraction(0)) / len(xs)


class Service(NamedTuple):
    """A resolved service as the appraisal reads it (:func:`resolved_by_village`): the fields of
    its :class:`Case` the evaluation and the awards use — ``extra`` holds only ``group`` —, and
    ``resolved_ts`` (``resolved_at``'s timestamp, computed once)."""

    id: str
    title: str
    origin_unit: str | None
    handler: str | None
    category: str | None
    satisfaction: str | None
    resolved_at: dt.datetime | None
    extra: dict
    resolved_ts: float | None


_SERVICE_FIELDS = ("id", "title", "origin_unit", "handler", "category", "satisfaction", "resolved_at", "extra.group")


def _services(ctx, **filters) -> list[Service]:
    """The resolved dianti services matching ``filters`` (``ctx.cases`` filters) as
    :class:`Service` records, in intake order: ``ctx.cases.values``, not a Case each."""
    return [Service(i, title, origin, handler, category, sat, at, {} if group is None else {"group": group},
                    at.timestamp() if at is not None else None)
            for i, title, origin, handler, category, sat, at, group in ctx.cases.values(
                *_SERVICE_FIELDS, method="dianti", status=list(DONE_STATUSES), **filters)]


def resolved_by_village(ctx, unit: str | None, period: str) -> dict[str, list[Service]]:
    """``{village: the services of dianti_cases(ctx, village, resolved_in=period)}`` for the
    villages of ``unit`` (None: all), as :class:`Service` records in intake order, which
    :func:`evaluate` and :func:`awards` then share for the period and its quarters. One read for
    all the villages (the scope's resolved cases, each given to the village above its origin
    unit, looked up once per origin unit), not one per village."""
    villages = villages_in(ctx, unit)
    out: dict[str, list[Service]] = {v: [] for v in villages}
    if unit is not None and not set(villages) <= set(ctx.subtree(unit)):  # unit below a village: its village's
        return {v: _services(ctx, origin=v, resolved=period) for v in villages}
    if villages:
        lists_of: dict[str | None, list[list[Service]]] = {}
        for c in _services(ctx, origin=unit, resolved=period):
            lists = lists_of.get(c.origin_unit)
            if lists is None:
                lists = lists_of[c.origin_unit] = [out[code] for code in ctx.ancestors(c.origin_unit) if code in out]
            for services in lists:
                services.append(c)
    return out


def _register(ctx, villages: list[str]) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """``({village: its groups}, {village: its members})`` in register order, as
    ``tables.groups(ctx, v)`` / ``tables.members(ctx, v)`` give them, read once for all."""
    groups: dict[str, list[dict]] = {v: [] for v in villages}
    members: dict[str, list[dict]] = {v: [] for v in villages}
    for g in tables.groups(ctx):
        if g["unit"] in groups:
            groups[g["unit"]].append(g)
    for m in tables.members(ctx):
        if m["unit"] in members:
            members[m["unit"]].append(m)
    return groups, members


def _add(into: list, tally: list) -> None:
    """Adds ``tally`` ([services, rated, sum of whole scores, other scores, good]) into ``into``."""
    into[0] += tally[0]
    into[1] += tally[1]
    into[2] += tally[2]
    into[3] += tally[3]
    into[4] += tally[4]


def _score(tally: list) -> Fraction | None:
    """The exact mean score of a tally ``[services, rated, sum of whole scores, other scores
    (Fractions), good]`` (None when nothing was rated): the value :func:`_mean` gives over the
    same scores, summed as integers where they are whole."""
    rated, whole, parts = tally[1], tally[2], tally[3]
    if not rated:
        return None
    if not parts:
        return Fraction(whole, rated)
    return sum(parts, Fraction(whole)) / rated


def _evaluations(ctx, villages: list[str], periods: list[str], resolved: dict[str, list],
                 shared: tuple) -> dict[str, list[dict]]:
    """``{period: the rows of evaluate(ctx, …, period)}`` for each of ``periods`` (each within the
    period ``resolved`` was read for), in one pass over each village's services: a service is
    tallied under its (group, handler) pair (:func:`group_of`, the case's handler) in each period
    that holds its resolution (``resolved_in`` as SQL reads it: the stored instant's timestamp,
    start inclusive, end exclusive), its score and good flag looked up once; the village's,
    each group's and each member's tallies are then the sums of those pairs. ``shared``:
    ``(groups, members, scores)`` of :func:`_register` and :func:`case_scores`."""
    good_at = ctx.settings.get("good_score", 4)
    groups, members, scores = shared
    bounds = []
    for p in periods:
        a, b = ctx.calendar.period_bounds(p)
        bounds.append((a.timestamp(), b.timestamp()))
    # the periods cut the time line into spans, each covered by the same periods: a service's
    # periods are its span's, found by bisection
    cuts = sorted({x for ab in bounds for x in ab})
    cover = [[i for i, (a, b) in enumerate(bounds) if a <= lo < b] for lo in cuts]
    out: dict[str, list[dict]] = {p: [] for p in periods}
    for v in villages:
        pairs: list[dict[tuple, list]] = [{} for _ in periods]  # per period: {(group, handler): tally}
        for c in resolved.get(v, ()):
            if c.resolved_at is None:
                continue
            span = bisect_right(cuts, c.resolved_ts if isinstance(c, Service) else c.resolved_at.timestamp()) - 1
            if span < 0 or not cover[span]:
                continue
            key = (group_of(c), c.handler)
            sc = scores.get(c.id)
            score = sc[0] if sc is not None else None
            for i in cover[span]:
                t = pairs[i].get(key)
                if t is None:
                    t = pairs[i][key] = [0, 0, 0, [], 0]
                t[0] += 1
                if score is not None:
                    t[1] += 1
                    if score.denominator == 1:  # whole: compared and summed as an int (the same values)
                        t[2] += score.numerator
                        t[4] += score.numerator >= good_at
                    else:
                        t[3].append(score)
                        t[4] += score >= good_at
        name = ctx.units[v].name
        for p, tallies in zip(periods, pairs):
            village = [0, 0, 0, [], 0]
            by_group: dict[str | None, list] = {}
            by_handler: dict[str | None, list] = {}
            for (g, h), t in tallies.items():
                _add(village, t)
                _add(by_group.setdefault(g, [0, 0, 0, [], 0]), t)
                _add(by_handler.setdefault(h, [0, 0, 0, [], 0]), t)
            subjects = [("village", v, name, village)]
            subjects += [("group", g["id"], g["name"], by_group.get(g["code"])) for g in groups[v]]
            subjects += [("member", m["person"], m["name"], by_handler.get(m["person"])) for m in members[v]]
            rows = out[p]
            for kind, subject, sname, t in subjects:
                if t is None:
                    rows.append({"kind": kind, "subject": subject, "name": sname, "village": v, "services": 0,
                                 "rated": 0, "score": None, "good": 0})
                else:
                    rows.append({"kind": kind, "subject": subject, "name": sname, "village": v, "services": t[0],
                                 "rated": t[1], "score": _score(t), "good": t[4]})
    return out


def evaluate(ctx, unit: str | None, period: str, *, resolved: dict[str, list[Case]] | None = None,
             _shared: tuple | None = None) -> list[dict]:
    """The service-effect evaluation of ``period`` (L83, quarterly by the source; any period
    works). One row per subject: kind (village / group / member), subject, name, village,
    services (done), rated, score (Fraction or None), good (rated ≥ good_score). Villages in code
    order, then their groups and members in register order. ``unit``: a unit code (its
    villages) or None (all); ``period``: a period string (``2026Q1``, ``2026-11``, ``2026``).
    Settings from ``ctx.settings``. ``resolved``: the villages' cases resolved in a period
    that covers ``period`` (:func:`resolved_by_village`), read (once, for all the villages)
    when not given. (``_shared``: the register and scores :func:`appraisal` read once.)"""
    villages = villages_in(ctx, unit)
    if resolved is None:
        resolved = resolved_by_village(ctx, unit, period)
    if _shared is None:
        _shared = (*_register(ctx, villages), case_scores(ctx, [c for cs in resolved.values() for c in cs]))
    return _evaluations(ctx, villages, [period], resolved, _shared)[period]


def quarters(year: int) -> list[str]:
    """The four quarter periods of ``year`` (``2026Q1`` …)."""
    return [f"{year}Q{q}" for q in range(1, 5)]


def awards(ctx, unit: str | None, year: int, *, resolved: dict[str, list[Case]] | None = None,
           year_rows: list[dict] | None = None, _shared: tuple | None = None,
           _quarters: dict[str, list[dict]] | None = None) -> list[dict]:
    """The three yearly awards per village (rule in the module docstring). One dict per award
    and village: award, title_zh, village, subject, name, score (Fraction), services, rated,
    candidates (how many qualified); subject None when nobody qualified. Settings (minimums)
    from ``ctx.settings``. ``resolved``: the villages' cases resolved in ``year``
    (:func:`resolved_by_village`) and ``year_rows`` the year's :func:`evaluate`, when the caller
    has them (computed here otherwise, with the four quarters in the same pass). (``_quarters``:
    the quarters' :func:`evaluate` rows, when :func:`appraisal` has them from its one pass.)"""
    settings = ctx.settings
    out = []
    if resolved is None:
        resolved = resolved_by_village(ctx, unit, str(year))
    villages = villages_in(ctx, unit)
    if _shared is None:  # the register and the services' scores, read once for the five evaluations
        _shared = (*_register(ctx, villages), case_scores(ctx, [c for cs in resolved.values() for c in cs]))
    groups, members, all_scores = _shared
    periods = [q for q in quarters(year) if _quarters is None or q not in _quarters]
    periods += [] if year_rows is not None else [str(year)]
    evaluations = {**(_quarters or {}), **(_evaluations(ctx, villages, periods, resolved, _shared) if periods else {})}
    per_q = {q: {r["subject"]: r for r in evaluations[q]} for q in quarters(year)}
    year_rows = {r["subject"]: r for r in (year_rows if year_rows is not None else evaluations[str(year)])}
    for v in villages:
        vname = ctx.units[v].name
        for award, title, kind, min_key, order in (
                ("best_group", "优质服务小组", "group", "award_min_group_services",
                 [g["id"] for g in groups[v]]),
                ("service_star", "服务明星", "member", "award_min_star_services",
                 [m["person"] for m in members[v]])):
            least = settings.get(min_key, 3)
            ranked = []
            for i, subj in enumerate(order):
                yr = year_rows.get(subj)
                if yr is None or yr["rated"] < least:
                    continue
                annual = _mean(per_q[q][subj]["score"] for q in per_q
                               if subj in per_q[q] and per_q[q][subj]["score"] is not None)
                if annual is not None:
                    ranked.append((-annual, -yr["services"], i, subj, annual, yr))
            ranked.sort(key=lambda t: t[:3])
            win = ranked[0] if ranked else None
            out.append({"award": award, "title_zh": title, "village": v, "village_name": vname,
                        "subject": win[3] if win else None, "name": win[5]["name"] if win else None,
                        "score": win[4] if win else None, "services": win[5]["services"] if win else None,
                        "rated": win[5]["rated"] if win else None, "candidates": len(ranked)})
        cases = resolved.get(v, [])
        scores = all_scores
        least = settings.get("award_min_project_ratings", 3)
        ranked = sorted(((-s, -n, c.resolved_at, c.id, c, s, n) for c in cases if c.id in scores
                         for s, n in [scores[c.id]] if n >= least), key=lambda t: t[:4])
        win = ranked[0] if ranked else None
        out.append({"award": "best_project", "title_zh": "优秀服务项目", "village": v, "village_name": vname,
                    "subject": win[4].id if win else None, "name": win[4].title if win else None,
                    "score": win[5] if win else None, "services": 1 if win else None,
                    "rated": win[6] if win else None, "candidates": len(ranked)})
    return out


def _f(x: Fraction | None) -> float | None:
    return float(x) if x is not None else None


def appraisal(ctx, unit, period: str) -> list[Metric]:
    """服务效果评价 (L83) for ``unit``'s subtree (a Unit; all villages when None) and ``period``.

    Per village, group (subject ``village:code``) and member (person id): ``services_done``
    (count), ``rated_services`` (count), ``service_score`` (mean score 1–5, no denominator;
    None when nothing was rated), ``good_rate`` (rated services scoring ≥ good_score / rated).
    For a year period also the three awards (``award_best_group``, ``award_best_project``,
    ``award_service_star``: subject the winner, value its score). Returns a list of Metric.
    """
    code = unit.code if unit else None
    out: list[Metric] = []
    start, end = period_dates(period)
    year = start.month == 1 and start.day == 1 and end == dt.date(start.year + 1, 1, 1)
    resolved = resolved_by_village(ctx, code, period)  # read once: the period (and, for a year, its quarters)
    villages = villages_in(ctx, code)
    # the register and the scores, read once; the period's evaluation and a year's four quarters
    # tallied in one pass over the services
    shared = (*_register(ctx, villages), case_scores(ctx, [c for cs in resolved.values() for c in cs]))
    evaluations = _evaluations(ctx, villages, [period, *(quarters(start.year) if year else [])], resolved, shared)
    rows = evaluations.pop(period)
    for r in rows:
        kind = {"village": "unit", "group": "group", "member": "person"}[r["kind"]]
        kw = {"subject_kind": kind, "method": "dianti", "period": period}
        out.append(Metric("services_done", r["subject"], value=r["services"], label=f"服务完成数（{r['name']}）", **kw))
        out.append(Metric("rated_services", r["subject"], value=r["rated"], label=f"群众评价数（{r['name']}）", **kw))
        out.append(Metric("service_score", r["subject"], value=_f(r["score"]), label=f"服务效果评分（{r['name']}）", **kw))
        out.append(rate("good_rate", r["subject"], r["good"], r["rated"], label=f"好评率（{r['name']}）", **kw))
    if year:
        for a in awards(ctx, code, start.year, resolved=resolved, year_rows=rows, _shared=shared,
                        _quarters=evaluations):
            if a["subject"] is None:
                continue
            kind = {"best_group": "group", "service_star": "person", "best_project": "case"}[a["award"]]
            out.append(Metric(f"award_{a['award']}", a["subject"], subject_kind=kind, method="dianti", period=period,
                              value=_f(a["score"]), label=f"{a['title_zh']}（{a['village_name']}：{a['name']}）"))
    return out
