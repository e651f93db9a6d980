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

from framework import DONE_STATUSES, Case, Metric, chunks, period_dates
from plugins.dianti import tables
from plugins.dianti.rules import villages_in


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


# -- the services of a period, tallied --------------------------------------------------------------
#
# A tally is ``[services, rated, sum of whole scores, other scores (Fractions), good]``: a whole
# score (one rating, a confirmation mapped to 5/3/1, ratings with a whole mean) is an int, summed
# and compared as an int (the same values as Fractions); only a fractional mean is a Fraction.

#: The fields of a resolved service the evaluation reads (``ctx.cases.values``): no Case each.
_FIELDS = ("id", "origin_unit", "extra.group", "category", "handler", "satisfaction")


def _services(ctx, unit: str | None, villages: list[str], period: str) -> dict[str, list[tuple]]:
    """``{village: [(id, origin_unit, extra.group, category, handler, satisfaction), …]}``: the
    dianti services (done status) resolved in ``period`` that each of ``villages`` took in (its
    subtree as origin unit), in intake order. One read for all the villages, each service given
    to the villages above its origin unit (looked up once per origin unit); a ``unit`` below a
    village (``villages`` then holds its village) reads that village's."""
    done = list(DONE_STATUSES)
    if unit is not None and not set(villages) <= set(ctx.subtree(unit)):
        return {v: ctx.cases.values(*_FIELDS, method="dianti", status=done, origin=v, resolved=period)
                for v in villages}
    out: dict[str, list[tuple]] = {v: [] for v in villages}
    if villages:
        lists_of: dict[str | None, list[list[tuple]]] = {}
        for row in ctx.cases.values(*_FIELDS, method="dianti", status=done, origin=unit, resolved=period):
            lists = lists_of.get(row[1])
            if lists is None:
                lists = lists_of[row[1]] = [out[code] for code in ctx.ancestors(row[1]) if code in out]
            for services in lists:
                services.append(row)
    return out


class _Scores:
    """How a service scores (module docstring): ``rated`` ``{case id: (mean rating, number)}``
    of the services rated with ``county dianti rate`` (:func:`tables.ratings_of`), else
    ``mapped`` ``{confirmation: score}`` (setting ``satisfaction_scores``, one rating); a whole
    score as an int, a fractional mean as a Fraction. ``good_at``: setting ``good_score``."""

    __slots__ = ("good_at", "mapped", "rated")

    def __init__(self, ctx, ids: list[str]):
        self.rated: dict[str, tuple] = {}
        for cid, xs in tables.ratings_of(ctx, ids).items():
            s, n = sum(xs), len(xs)
            self.rated[cid] = (s // n if s % n == 0 else Fraction(s, n), n)
        self.mapped: dict[str, int | Fraction] = {}
        for k, v in (ctx.settings.get("satisfaction_scores") or {}).items():
            if k:  # an empty confirmation is no confirmation
                f = Fraction(v)
                self.mapped[k] = f.numerator if f.denominator == 1 else f
        self.good_at = ctx.settings.get("good_score", 4)

    def of(self, row: tuple) -> tuple | None:
        """``(score, number of ratings)`` of a service row of :func:`_services`, or None (unrated)."""
        sc = self.rated.get(row[0])
        if sc is not None:
            return sc
        score = self.mapped.get(row[5])
        return None if score is None else (score, 1)


def _add(into: list, tally: list) -> None:
    """Adds ``tally`` into ``into`` (both tallies)."""
    into[0] += tally[0]
    into[1] += tally[1]
    into[2] += tally[2]
    into[3] += tally[3]
    into[4] += tally[4]


def _subjects(rows: list[tuple], scores: _Scores, group_at: dict, member_at: dict) -> tuple:
    """One village's subjects for a period, from its service ``rows`` (:func:`_services`):
    ``(village tally, [group tally or None, …], [member tally or None, …])``, groups and members
    in register order — ``group_at`` ``{code: index}``, ``member_at`` ``{person: index}``. A
    service counts for its village, for the group it was routed to (``extra.group``, else its
    category: :func:`plugins.dianti.rules.group_of`) and for the member who handled it; each
    score looked up once."""
    rated, mapped, good_at = scores.rated, scores.mapped, scores.good_at
    village = [0, 0, 0, [], 0]
    groups: list = [None] * len(group_at)
    members: list = [None] * len(member_at)
    for cid, _origin, group, category, handler, satisfaction in rows:
        targets = [village]
        i = group_at.get(group or category)
        if i is not None:
            t = groups[i]
            if t is None:
                t = groups[i] = [0, 0, 0, [], 0]
            targets.append(t)
        i = member_at.get(handler)
        if i is not None:
            t = members[i]
            if t is None:
                t = members[i] = [0, 0, 0, [], 0]
            targets.append(t)
        sc = rated.get(cid) if rated else None
        score = sc[0] if sc is not None else mapped.get(satisfaction)
        if score is None:
            for t in targets:
                t[0] += 1
        elif type(score) is int:
            good = score >= good_at
            for t in targets:
                t[0] += 1
                t[1] += 1
                t[2] += score
                t[4] += good
        else:
            good = score >= good_at
            for t in targets:
                t[0] += 1
                t[1] += 1
                t[3].append(score)
                t[4] += good
    return village, groups, members


def _summed(parts: list[tuple]) -> tuple:
    """The subjects of :func:`_subjects` of several periods summed, subject by subject (a year
    from its quarters)."""
    def total(tallies):
        out = None
        for t in tallies:
            if t is not None:
                if out is None:
                    out = [t[0], t[1], t[2], list(t[3]), t[4]]
                else:
                    _add(out, t)
        return out

    village = total(p[0] for p in parts) or [0, 0, 0, [], 0]
    return (village, [total(ts) for ts in zip(*(p[1] for p in parts))],
            [total(ts) for ts in zip(*(p[2] for p in parts))])


def _score(tally: list | None) -> Fraction | None:
    """The exact mean score of a tally (None when nothing was rated)."""
    if not tally or not tally[1]:
        return None
    rated, whole, parts = tally[1], tally[2], tally[3]
    if not parts:
        return Fraction(whole, rated)
    return sum(parts, Fraction(whole)) / rated


def _float_score(tally: list | None) -> float | None:
    """``float(_score(tally))`` (None when nothing was rated); whole scores as one integer division
    (correctly rounded, as the reduced Fraction's is: the same float)."""
    if not tally or not tally[1]:
        return None
    if not tally[3]:
        return tally[2] / tally[1]
    return float(_score(tally))


def _register(ctx, villages: list[str]) -> tuple[dict[str, list[tuple]], dict[str, list[tuple]]]:
    """``({village: [(group id, code, name), …]}, {village: [(person, name), …]})`` in register
    order (:func:`tables.register_names`), read once for all the villages."""
    groups: dict[str, list[tuple]] = {v: [] for v in villages}
    members: dict[str, list[tuple]] = {v: [] for v in villages}
    group_rows, member_rows = tables.register_names(ctx)
    for unit, gid, code, name in group_rows:
        if unit in groups:
            groups[unit].append((gid, code, name))
    for unit, person, name in member_rows:
        if unit in members:
            members[unit].append((person, name))
    return groups, members


class _Evaluation:
    """What :func:`evaluate`, :func:`awards` and :func:`appraisal` share for ``unit`` and
    ``period`` (a year: read by its quarters, the year their sum): the villages, the register,
    each village's services (``services``: the whole period) and ``subjects[p][village]``
    (:func:`_subjects`) for each evaluated period ``p``."""

    def __init__(self, ctx, unit: str | None, period: str, *, by_quarter: bool):
        self.ctx = ctx
        self.villages = villages_in(ctx, unit)
        self.groups, self.members = _register(ctx, self.villages)
        parts = quarters(period_dates(period)[0].year) if by_quarter else [period]
        read = {p: _services(ctx, unit, self.villages, p) for p in parts}
        self.services = {v: [row for p in parts for row in read[p][v]] for v in self.villages}
        self.scores = _Scores(ctx, [row[0] for rows in self.services.values() for row in rows])
        group_at = {v: {code: i for i, (_gid, code, _name) in enumerate(self.groups[v])} for v in self.villages}
        member_at = {v: {person: i for i, (person, _name) in enumerate(self.members[v])} for v in self.villages}
        self.subjects = {p: {v: _subjects(read[p][v], self.scores, group_at[v], member_at[v]) for v in self.villages}
                         for p in parts}
        if by_quarter:
            self.subjects[period] = {v: _summed([self.subjects[q][v] for q in parts]) for v in self.villages}

    def rows(self, period: str):
        """``(kind, subject, name, village, tally or None)`` per subject of ``period``: villages in
        code order, then their groups and members in register order."""
        units = self.ctx.units
        for v in self.villages:
            village, groups, members = self.subjects[period][v]
            yield "village", v, units[v].name, v, village
            for (gid, _code, name), t in zip(self.groups[v], groups):
                yield "group", gid, name, v, t
            for (person, name), t in zip(self.members[v], members):
                yield "member", person, name, v, t


def evaluate(ctx, unit: str | None, period: str) -> list[dict]:
    """The service-effect evaluation of ``period`` (L83, quarterly by the source; any period
    works). One row per subject: kind (village / group / member), subject, name, village,
    services (done), rated, score (Fraction or None), good (rated ≥ good_score). Villages in code
    order, then their groups and members in register order. ``unit``: a unit code (its
    villages) or None (all); ``period``: a period string (``2026Q1``, ``2026-11``, ``2026``).
    Settings from ``ctx.settings``. CountyError for a bad period."""
    ev = _Evaluation(ctx, unit, period, by_quarter=False)
    return [{"kind": kind, "subject": subject, "name": name, "village": v, "services": t[0] if t else 0,
             "rated": t[1] if t else 0, "score": _score(t), "good": t[4] if t else 0}
            for kind, subject, name, v, t in ev.rows(period)]


def quarters(year: int) -> list[str]:
    """The four quarter periods of ``year`` (``2026Q1`` …)."""
    return [f"{year}Q{q}" for q in range(1, 5)]


def _annual(tallies) -> Fraction | None:
    """The annual score of a group or member: the exact mean of its quarterly scores over the
    quarters in which it had a rated service (``tallies``: its quarters' tallies, None for none);
    None when it had none. Whole scores summed over a common denominator (one Fraction, the
    same value as the mean of the quarters' Fractions)."""
    rated = [t for t in tallies if t is not None and t[1]]
    if not rated:
        return None
    if any(t[3] for t in rated):
        return sum((_score(t) for t in rated), Fraction(0)) / len(rated)
    n, d = 0, 1
    for t in rated:
        n, d = n * t[1] + t[2] * d, d * t[1]
    return Fraction(n, d * len(rated))


def _awards(ev: _Evaluation, year: int) -> list[dict]:
    """The awards rows of :func:`awards` from an evaluation of ``year`` read by quarters."""
    ctx, settings, scores = ev.ctx, ev.ctx.settings, ev.scores
    qs = quarters(year)
    least_project = settings.get("award_min_project_ratings", 3)
    out, projects = [], []
    for v in ev.villages:
        vname = ctx.units[v].name
        _village, year_groups, year_members = ev.subjects[str(year)][v]
        for award, title, min_key, names, year_tallies, at in (
                ("best_group", "优质服务小组", "award_min_group_services",
                 [(gid, name) for gid, _code, name in ev.groups[v]], year_groups, 1),
                ("service_star", "服务明星", "award_min_star_services", ev.members[v], year_members, 2)):
            least = settings.get(min_key, 3)
            ranked = []
            for i, ((subj, name), yt) in enumerate(zip(names, year_tallies)):
                if yt is None or yt[1] < least:
                    continue
                annual = _annual(ev.subjects[q][v][at][i] for q in qs)
                if annual is not None:
                    ranked.append((-annual, -yt[0], i, subj, annual, name, yt))
            win = min(ranked, key=lambda t: t[:3]) if ranked else None
            out.append({"award": award, "title_zh": title, "village": v, "village_name": vname,
                        "subject": win[3] if win else None, "name": win[5] if win else None,
                        "score": win[4] if win else None, "services": win[6][0] if win else None,
                        "rated": win[6][1] if win else None, "candidates": len(ranked)})
        # 优秀服务项目: only a service rated with `dianti rate` can have several ratings
        cands = []
        if scores.rated or least_project <= 1:
            for row in ev.services[v]:
                sc = scores.of(row)
                if sc is not None and sc[1] >= least_project:
                    cands.append((row[0], *sc))
        top = max((s, n) for _cid, s, n in cands) if cands else None
        projects.append([cid for cid, s, n in cands if (s, n) == top])
        out.append({"award": "best_project", "title_zh": "优秀服务项目", "village": v, "village_name": vname,
                    "subject": None, "name": None, "score": Fraction(top[0]) if top else None, "services": 1 if top else None,
                    "rated": top[1] if top else None, "candidates": len(cands)})
    # the best project's ties (resolved earlier, then case id) and its title: read for the
    # tied services only
    tied = [cid for ids in projects for cid in ids]
    found: dict[str, tuple] = {}
    for chunk in chunks(tied):
        for cid, title, resolved_at in ctx.cases.values("id", "title", "resolved_at", method="dianti", ids=chunk):
            found[cid] = (resolved_at, title)
    rows = iter(a for a in out if a["award"] == "best_project")
    for ids in projects:
        a = next(rows)
        if ids:
            cid = min(ids, key=lambda i: (found[i][0], i))
            a["subject"], a["name"] = cid, found[cid][1]
    return out


def awards(ctx, unit: str | None, year: int) -> list[dict]:
    """The three yearly awards per village (rule in the module docstring). One dict per award
    and village: award, title_zh, village, village_name, subject, name, score (Fraction),
    services, rated, candidates (how many qualified); subject None when nobody qualified.
    Settings (minimums) from ``ctx.settings``; the year's services read by its quarters."""
    return _awards(_Evaluation(ctx, unit, str(year), by_quarter=True), year)


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
    ev = _Evaluation(ctx, code, period, by_quarter=year)
    kinds = {"village": "unit", "group": "group", "member": "person"}
    # positional: Metric(metric, subject, subject_kind, method, period, numerator, denominator,
    # value, label); good_rate's value as rate() gives it (None when nothing was rated)
    for kind, subject, name, _v, t in ev.rows(period):
        sk = kinds[kind]
        services, rated, good = (t[0], t[1], t[4]) if t else (0, 0, 0)
        out += [
            Metric("services_done", subject, sk, "dianti", period, None, None, services, f"服务完成数（{name}）"),
            Metric("rated_services", subject, sk, "dianti", period, None, None, rated, f"群众评价数（{name}）"),
            Metric("service_score", subject, sk, "dianti", period, None, None, _float_score(t), f"服务效果评分（{name}）"),
            Metric("good_rate", subject, sk, "dianti", period, good, rated, good / rated if rated else None,
                   f"好评率（{name}）"),
        ]
    if year:
        for a in _awards(ev, start.year):
            if a["subject"] is None:
                continue
            kind = {"best_group": "group", "service_star": "person", "best_project": "case"}[a["award"]]
            out.append(Metric(f"award_{a['award']}", a["subject"], subject_kind=kind, method="dianti", period=period,
                              value=float(a["score"]), label=f"{a['title_zh']}（{a['village_name']}：{a['name']}）"))
    return out
