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

from framework import (
    DONE_STATUSES,
    CountyError,
    Duty,
    Metric,
    Refusal,
    hookimpl,
    period_dates,
    rate,
)
from framework.kernel.county import row_to_case
from plugins.dianti import registry as reg


def villages_in(county, unit: str | None) -> list[str]:
    """Village (or community) codes of ``unit``'s subtree, or its village when ``unit`` lies
    below one; all villages when ``unit`` is None. Sorted by code."""
    codes = county.subtree(unit) if unit else list(county.units)
    out = sorted(c for c in codes if county.units[c].level in ("village", "community"))
    if not out and unit:
        v = reg.village_of(county, unit)
        if county.units[v].level in ("village", "community"):
            out = [v]
    return out


def dianti_cases(county, village: str, *, resolved_in: str | None = None, created_in: str | None = None) -> list:
    """dianti cases taken in by ``village``'s subtree (origin unit), optionally resolved (done
    status) or created within a period, in intake order."""
    codes = county.subtree(village)
    where = [f"method = 'dianti'", f"origin_unit in ({','.join('?' * len(codes))})"]
    params: list = list(codes)
    if resolved_in:
        s, e = county.calendar.period_bounds(resolved_in)
        where.append(f"status in ({','.join('?' * len(DONE_STATUSES))}) and resolved_ts >= ? and resolved_ts < ?")
        params += [*DONE_STATUSES, s.timestamp(), e.timestamp()]
    if created_in:
        s, e = county.calendar.period_bounds(created_in)
        where.append("created_ts >= ? and created_ts < ?")
        params += [s.timestamp(), e.timestamp()]
    rows = county.store.query("select * from cases where " + " and ".join(where) + " order by seq", params)
    return [row_to_case(r) for r in rows]


def case_scores(county, cases, settings) -> dict[str, tuple[Fraction, int]]:
    """{case id: (score as an exact Fraction, number of ratings)} for the rated ones."""
    out: dict[str, tuple[Fraction, int]] = {}
    if not cases:
        return out
    ids = [c.id for c in cases]
    ratings: dict[str, list[int]] = {}
    for r in county.store.query(f"select case_id, score from dianti_ratings where case_id in ({','.join('?' * len(ids))}) order by id", ids):
        ratings.setdefault(r["case_id"], []).append(r["score"])
    mapping = settings.get("satisfaction_scores") or {}
    for c in cases:
        if c.id in ratings:
            xs = ratings[c.id]
            out[c.id] = (Fraction(sum(xs), len(xs)), len(xs))
        elif c.satisfaction and c.satisfaction in mapping:
            out[c.id] = (Fraction(mapping[c.satisfaction]), 1)
    return out


def dianti_case(county, case_id: str):
    """The case ``case_id``; CountyError when it is not a dianti case."""
    c = county.get_case(case_id)
    if c.method != "dianti":
        raise CountyError(f"case {case_id} is a {c.method} case, not a dianti (点题服务) case")
    return c


def require_taken_in(county, case, what: str) -> None:
    """Refusal (exit 1) when ``county.now()`` is before the case was taken in: nothing is done
    to a request before it existed. ``what``: the action, for the message (e.g. "route")."""
    now = county.now()
    if case.created_at and now < case.created_at:
        raise Refusal(f"case {case.id} was taken in at {case.created_at.isoformat()}; "
                      f"cannot {what} it at {now.isoformat()} (check --now)")


def record_rating(county, case_id: str, score: int, rater: str | None = None, note: str | None = None) -> dict:
    """Record one villager's rating (群众评价, L83) of a resolved service: a whole score 1–5,
    stored in ``dianti_ratings`` with a ``rated`` event on the case, in one transaction, at
    ``county.now()``, which must be at or after the resolution time.
    Returns {"ratings": count so far, "mean": float mean so far}.
    Raises CountyError for a bad score, Refusal for a service not yet resolved (or rated at a
    time before it was resolved)."""
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise CountyError(f"--score {score}: use a whole score from 1 to 5")
    c = dianti_case(county, case_id)
    if c.status not in DONE_STATUSES:
        raise Refusal(f"case {case_id} is {c.status}; only a resolved service can be rated")
    now = county.now()
    require_taken_in(county, c, "rate")
    if c.resolved_at and now < c.resolved_at:
        raise Refusal(f"case {case_id} was resolved at {c.resolved_at.isoformat()}; only a resolved service "
                      f"can be rated, so not at {now.isoformat()} (check --now)")
    with county.store.transaction():
        county.store.insert("dianti_ratings", {"case_id": case_id, "score": score, "rater": rater,
                                               "rated_at": now.isoformat(), "note": note})
        county.record_event(case_id, "rated", note=f"群众评价 {score} 分", data={"score": score})
    n = county.store.query("select count(*) n, avg(score) a from dianti_ratings where case_id = ?", [case_id])[0]
    return {"ratings": n["n"], "mean": n["a"]}


def _mean(xs) -> Fraction | None:
    xs = list(xs)
    return sum(xs, Fraction(0)) / len(xs) if xs else None


def evaluate(county, unit: str | None, period: str, settings) -> list[dict]:
    """The service-effect evaluation of ``period`` (L83, quarterly by the source; any period
    works). One row per subject: kind (village / group / member), subject, name, village,
    services (done), rated, score (Fraction or None), good (rated ≥ good_score). Villages in code
    order, then their groups and members in register order."""
    good_at = settings.get("good_score", 4)
    rows = []
    for v in villages_in(county, unit):
        cases = dianti_cases(county, v, resolved_in=period)
        scores = case_scores(county, cases, settings)
        vname = county.units[v].name

        def row(kind, subject, name, cs):
            sc = [scores[c.id][0] for c in cs if c.id in scores]
            return {"kind": kind, "subject": subject, "name": name, "village": v, "services": len(cs),
                    "rated": len(sc), "score": _mean(sc), "good": sum(1 for s in sc if s >= good_at)}

        rows.append(row("village", v, vname, cases))
        for g in reg.groups(county.store, v):
            rows.append(row("group", g["id"], g["name"], [c for c in cases if reg.group_of(c) == g["code"]]))
        for m in reg.members(county.store, v):
            rows.append(row("member", m["person"], m["name"], [c for c in cases if c.handler == m["person"]]))
    return rows


def quarters(year: int) -> list[str]:
    return [f"{year}Q{q}" for q in range(1, 5)]


def awards(county, unit: str | None, year: int, settings) -> list[dict]:
    """The three yearly awards per village (rule in the module docstring). One dict per award
    and village: award, title_zh, village, subject, name, score (Fraction), services, rated,
    candidates (how many qualified); subject None when nobody qualified."""
    out = []
    per_q = {q: {r["subject"]: r for r in evaluate(county, unit, q, settings)} for q in quarters(year)}
    year_rows = {r["subject"]: r for r in evaluate(county, unit, str(year), settings)}
    for v in villages_in(county, unit):
        vname = county.units[v].name
        for award, title, kind, min_key, order in (
                ("best_group", "优质服务小组", "group", "award_min_group_services",
                 [g["id"] for g in reg.groups(county.store, v)]),
                ("service_star", "服务明星", "member", "award_min_star_services",
                 [m["person"] for m in reg.members(county.store, v)])):
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
        cases = dianti_cases(county, v, resolved_in=str(year))
        scores = case_scores(county, cases, settings)
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


@hookimpl
def county_appraisal(ctx, unit, period):
    """服务效果评价 (L83) for ``unit``'s subtree (all villages when None) and ``period``.

    Per village, group (subject ``village:code``) and member (person id): ``services_done``
    (count), ``rated_services`` (count), ``service_score`` (mean score 1–5, no denominator;
    None when nothing was rated), ``good_rate`` (rated services scoring ≥ good_score / rated).
    For a year period also the three awards (``award_best_group``, ``award_best_project``,
    ``award_service_star``: subject the winner, value its score). Returns a list of Metric.
    """
    county = ctx.county
    code = unit.code if unit else None
    out: list[Metric] = []
    for r in evaluate(county, code, period, ctx.settings):
        kind = {"village": "unit", "group": "group", "member": "person"}[r["kind"]]
        kw = dict(subject_kind=kind, method="dianti", period=period)
        out.append(Metric("services_done", r["subject"], value=r["services"], label=f"服务完成数（{r['name']}）", **kw))
        out.append(Metric("rated_services", r["subject"], value=r["rated"], label=f"群众评价数（{r['name']}）", **kw))
        out.append(Metric("service_score", r["subject"], value=_f(r["score"]), label=f"服务效果评分（{r['name']}）", **kw))
        out.append(rate("good_rate", r["subject"], r["good"], r["rated"], label=f"好评率（{r['name']}）", **kw))
    start, end = period_dates(period)
    if start.month == 1 and start.day == 1 and end == dt.date(start.year + 1, 1, 1):
        for a in awards(county, code, start.year, ctx.settings):
            if a["subject"] is None:
                continue
            kind = {"best_group": "group", "service_star": "person", "best_project": "case"}[a["award"]]
            out.append(Metric(f"award_{a['award']}", a["subject"], subject_kind=kind, method="dianti", period=period,
                              value=_f(a["score"]), label=f"{a['title_zh']}（{a['village_name']}：{a['name']}）"))
    return out


def review_id(unit: str, kind: str, period: str) -> str:
    return f"{unit}:{kind}:{period}"


@hookimpl
def county_duties(ctx, unit, on_date):
    """Recurring duties of the supervision centre (L83), per village that has service groups:
    on the last day of each quarter the service-effect evaluation (``evaluation``, done when
    ``county dianti evaluate --record`` was run for that village and quarter); on the last day
    of each board period (setting ``board_period``) the board posting (``board``, done when
    ``county dianti post`` was run). ``on_date`` is a local date. Returns a list of Duty."""
    county = ctx.county
    nxt = on_date + dt.timedelta(days=1)
    due = []
    if nxt.day == 1 and nxt.month in (1, 4, 7, 10):
        q = (on_date.month - 1) // 3 + 1
        due.append(("evaluation", f"{on_date.year}Q{q}", "点题服务季度效果评价"))
    cadence = ctx.settings.get("board_period", "month")
    if nxt.day == 1 and (cadence == "month" or (cadence == "quarter" and nxt.month in (1, 4, 7, 10))
                         or (cadence == "year" and nxt.month == 1)):
        p = {"month": on_date.strftime("%Y-%m"), "quarter": f"{on_date.year}Q{(on_date.month - 1) // 3 + 1}",
             "year": str(on_date.year)}.get(cadence, on_date.strftime("%Y-%m"))
        due.append(("board", p, "更新点题服务公开栏"))
    out = []
    if not due:
        return out
    for v in villages_in(county, unit.code if unit else None):
        if not reg.groups(county.store, v):
            continue
        for kind, period, title in due:
            done = bool(county.store.query("select 1 from dianti_reviews where id = ?", [review_id(v, kind, period)]))
            out.append(Duty("dianti", v, kind, f"{title} {period}", on_date, done, period))
    return out
