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
    mapping = ctx.settings.get("satisfaction_scores") or {}
    for c in cases:
        if c.id in ratings:
            xs = ratings[c.id]
            out[c.id] = (Fraction(sum(xs), len(xs)), len(xs))
        elif c.satisfaction and c.satisfaction in mapping:
            out[c.id] = (Fraction(mapping[c.satisfaction]), 1)
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


def _within(cases: list, start: dt.datetime, end: dt.datetime) -> list:
    """The ones of ``cases`` (Case or :class:`Service` records) resolved in [start, end) (aware
    instants), as ``resolved_in`` reads them (by the stored instant's timestamp)."""
    a, b = start.timestamp(), end.timestamp()
    return [c for c in cases if c.resolved_at is not None
            and a <= (c.resolved_ts if isinstance(c, Service) else c.resolved_at.timestamp()) < b]


def resolved_by_village(ctx, unit: str | None, period: str) -> dict[str, list[Service]]:
    """``{village: the services of dianti_cases(ctx, village, resolved_in=period)}`` for the
    villages of ``unit`` (None: all), as :class:`Service` records in intake order, which
    :func:`evaluate` and :func:`awards` then share for the period and its quarters. One read for
    all the villages (the scope's resolved cases, each given to the village above its origin
    unit), not one per village."""
    villages = villages_in(ctx, unit)
    out: dict[str, list[Service]] = {v: [] for v in villages}
    if unit is not None and not set(villages) <= set(ctx.subtree(unit)):  # unit below a village: its village's
        return {v: _services(ctx, origin=v, resolved=period) for v in villages}
    if villages:
        for c in _services(ctx, origin=unit, resolved=period):
            for code in ctx.ancestors(c.origin_unit):
                if code in out:
                    out[code].append(c)
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


def evaluate(ctx, unit: str | None, period: str, *, resolved: dict[str, list[Case]] | None = None,
             _shared: tuple | None = None) -> list[dict]:
    """The service-effect evaluation of ``period`` (L83, quarterly by the source; any period
    works). One row per subject: kind (village / group / member), subject, name, village,
    services (done), rated, score (Fraction or None), good (rated ≥ good_score). Villages in code
    order, then their groups and members in register order. ``unit``: a unit code (its
    villages) or None (all); ``period``: a period string (``2026Q1``, ``2026-11``, ``2026``).
    Settings from ``ctx.settings``. ``resolved``: the villages' cases resolved in a period
    that covers ``period`` (:func:`resolved_by_village`), read again when not given.
    (``_shared``: the register and scores :func:`appraisal` read once for its five calls.)"""
    settings = ctx.settings
    good_at = settings.get("good_score", 4)
    rows = []
    bounds = ctx.calendar.period_bounds(period) if resolved is not None else None
    villages = villages_in(ctx, unit)
    groups, members, all_scores = _shared if _shared is not None else (*_register(ctx, villages), None)
    for v in villages:
        cases = (_within(resolved.get(v, []), *bounds) if resolved is not None
                 else dianti_cases(ctx, v, resolved_in=period))
        scores = all_scores if all_scores is not None else case_scores(ctx, cases)
        # the village's services split by group and by handler once (intake order kept), each
        # rated one's score and whether it is good looked up once, not once per subject
        by_group: dict[str | None, list] = {}
        by_handler: dict[str | None, list] = {}
        for c in cases:
            by_group.setdefault(group_of(c), []).append(c)
            by_handler.setdefault(c.handler, []).append(c)
        score_of = {c.id: scores[c.id][0] for c in cases if c.id in scores}
        good_ids = {cid for cid, s in score_of.items() if s >= good_at}
        subjects = [("village", v, ctx.units[v].name, cases)]
        subjects += [("group", g["id"], g["name"], by_group.get(g["code"], [])) for g in groups[v]]
        subjects += [("member", m["person"], m["name"], by_handler.get(m["person"], [])) for m in members[v]]
        for kind, subject, name, cs in subjects:
            sc = [score_of[c.id] for c in cs if c.id in score_of]
            rows.append({"kind": kind, "subject": subject, "name": name, "village": v, "services": len(cs),
                         "rated": len(sc), "score": _mean(sc), "good": sum(1 for c in cs if c.id in good_ids)})
    return rows


def quarters(year: int) -> list[str]:
    """The four quarter periods of ``year`` (``2026Q1`` …)."""
    return [f"{year}Q{q}" for q in range(1, 5)]


def awards(ctx, unit: str | None, year: int, *, resolved: dict[str, list[Case]] | None = None,
           year_rows: list[dict] | None = None, _shared: tuple | None = None) -> list[dict]:
    """The three yearly awards per village (rule in the module docstring). One dict per award
    and village: award, title_zh, village, subject, name, score (Fraction), services, rated,
    candidates (how many qualified); subject None when nobody qualified. Settings (minimums)
    from ``ctx.settings``. ``resolved``: the villages' cases resolved in ``year``
    (:func:`resolved_by_village`) and ``year_rows`` the year's :func:`evaluate`, when the caller
    has them (computed here otherwise)."""
    settings = ctx.settings
    out = []
    if resolved is None:
        resolved = resolved_by_village(ctx, unit, str(year))
    villages = villages_in(ctx, unit)
    if _shared is None:  # the register and the services' scores, read once for the five evaluations
        _shared = (*_register(ctx, villages), case_scores(ctx, [c for cs in resolved.values() for c in cs]))
    groups, members, all_scores = _shared
    per_q = {q: {r["subject"]: r for r in evaluate(ctx, unit, q, resolved=resolved, _shared=_shared)}
             for q in quarters(year)}
    year_rows = {r["subject"]: r for r in (year_rows if year_rows is not None
                                           else evaluate(ctx, unit, str(year), resolved=resolved, _shared=_shared))}
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
    # the register and the scores, read once for the period's evaluation and the year's four quarters
    shared = (*_register(ctx, villages_in(ctx, code)), case_scores(ctx, [c for cs in resolved.values() for c in cs]))
    rows = evaluate(ctx, code, period, resolved=resolved, _shared=shared)
    for r in rows:
        kind = {"village": "unit", "group": "group", "member": "person"}[r["kind"]]
        kw = {"subject_kind": kind, "method": "dianti", "period": period}
        out.append(Metric("services_done", r["subject"], value=r["services"], label=f"服务完成数（{r['name']}）", **kw))
        out.append(Metric("rated_services", r["subject"], value=r["rated"], label=f"群众评价数（{r['name']}）", **kw))
        out.append(Metric("service_score", r["subject"], value=_f(r["score"]), label=f"服务效果评分（{r['name']}）", **kw))
        out.append(rate("good_rate", r["subject"], r["good"], r["rated"], label=f"好评率（{r['name']}）", **kw))
    if year:
        for a in awards(ctx, code, start.year, resolved=resolved, year_rows=rows, _shared=shared):
            if a["subject"] is None:
                continue
            kind = {"best_group": "group", "service_star": "person", "best_project": "case"}[a["award"]]
            out.append(Metric(f"award_{a['award']}", a["subject"], subject_kind=kind, method="dianti", period=period,
                              value=_f(a["score"]), label=f"{a['title_zh']}（{a['village_name']}：{a['name']}）"))
    return out
