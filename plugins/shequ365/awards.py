"""民情评议 (L381): the year-end rating linked to the social workers' awards (评优评先).

"年底召开社区成员代表大会对社区整体工作和社工表现进行测评，测评结果与社工评优评先挂钩，作为社区改进工作的
重要依据" (L381). So, per community and year:

* the 社区成员代表大会 rates the community's overall work and each social worker (recorded with
  ``county shequ365 assess --kind annual --period YYYY [--subject W]``: the representatives'
  满意 / 基本满意 / 不满意 votes, and a score if the assembly gives one);
* each social worker's **rating** = (满意 + 基本满意) / votes of the latest year-end assessment
  of that worker (a re-recorded assessment replaces the earlier one);
* the **ranking** among the community's rated social workers: rating, then 满意 / votes, then
  the score (none last), all higher first; equal workers share a rank (1, 1, 3…);
* **评优评先**, linked to the result: a rated worker whose rating reaches ``award_min_rating``
  and whose rank is within ``award_places`` is recommended (推荐评优评先) — a tie at the last
  place takes everyone tied; a worker without a year-end rating (未测评) or below the floor is
  not. The source gives neither a number of places nor a floor: both are settings (defaults 1
  place, no floor);
* the community's own rating is shown beside it: the basis for improving its work.

The social workers of a community: the members of kind ``social_worker`` there, the workers of
its grids, and the people of the community unit with role ``social_worker``.
"""

from __future__ import annotations

from fractions import Fraction

from framework import CountyError, Metric, chunks, rate
from plugins.shequ365 import tables
from plugins.shequ365.stages import person_name

#: The award status of a social worker (JSON code -> what an operator reads).
STATUS_ZH = {
    "recommended": "推荐评优评先",
    "not_placed": "未进入评优名额",
    "below_floor": "测评满意率低于评优线",
    "not_rated": "未测评（不参加评优评先）",
}


def social_workers(ctx, community: str) -> list[str]:
    """Person ids of the social workers of ``community`` (sorted): members of kind
    ``social_worker`` there, the workers of its grids, people of the unit with that role."""
    ids = {r["id"] for r in ctx.db.query(
        "select id from shequ365_members where community = ? and kind = 'social_worker'", [community])}
    ids.update(g["worker"] for g in tables.grids_in(ctx, [community]) if g.get("worker"))
    ids.update(p.id for p in ctx.people.find(unit=community, role="social_worker"))
    return sorted(ids)


def _workers_and_latest(ctx, communities: list[str], year: int) -> tuple[dict[str, list[str]], dict[str, dict]]:
    """``({community: social_workers(ctx, community)}, {community: _latest(ctx, community, year)})``
    for ``communities``, each table read once for all of them and the people looked at once."""
    workers: dict[str, set] = {c: set() for c in communities}
    latest: dict[str, dict] = {c: {} for c in communities}
    for chunk in chunks(communities):
        qs = ctx.db.placeholders(chunk)
        for r in ctx.db.query(f"select id, community from shequ365_members where community in ({qs}) "
                              f"and kind = 'social_worker'", chunk):
            workers[r["community"]].add(r["id"])
        for r in ctx.db.query(f"select * from shequ365_assessments where community in ({qs}) and kind = 'annual' "
                              f"and period = ? order by id", [*chunk, str(year)]):
            latest[r["community"]][r["subject"]] = r
    for g in tables.grids_in(ctx, communities):
        if g.get("worker"):
            workers[g["community"]].add(g["worker"])
    for p in ctx.people.values():
        if p.unit in workers and "social_worker" in p.roles:
            workers[p.unit].add(p.id)
    return {c: sorted(ids) for c, ids in workers.items()}, latest


def _floor(ctx) -> Fraction:
    value = ctx.settings.get("award_min_rating", 0.0)
    if not 0 <= float(value) <= 1:
        raise CountyError(f"[plugins.shequ365] award_min_rating = {value!r}: a share of votes between 0 and 1")
    return Fraction(str(value))


def _latest(ctx, community: str, year: int) -> dict[str, dict]:
    """The latest year-end assessment row of ``year`` per subject of ``community``."""
    rows = ctx.db.query("select * from shequ365_assessments where community = ? and kind = 'annual' "
                        "and period = ? order by id", [community, str(year)])
    return {r["subject"]: r for r in rows}


def _votes(r: dict) -> tuple[int, int, int]:
    return (r["satisfied"] or 0, r["basically"] or 0, r["unsatisfied"] or 0)


def community_awards(ctx, community: str, year: int, *, _read: tuple | None = None) -> dict:
    """The year-end rating and 评优评先 of ``community`` for ``year`` (rules in the module
    docstring): ``{"community", "name", "year", "places", "min_rating" (float), "community_rating":
    {"satisfied", "basically", "unsatisfied", "votes", "rating" (Fraction or None), "score"} or
    None, "workers": [{"worker", "name", "satisfied", "basically", "unsatisfied", "votes",
    "rating" (Fraction or None), "satisfied_share" (Fraction or None), "score", "rank" (int or
    None), "status"}]}`` — workers ranked first (by rank, then id), then the unrated by id.
    (``_read``: the social workers and latest assessments :func:`awards` read for all.)"""
    places = int(ctx.settings.get("award_places", 1))
    floor = _floor(ctx)
    latest = _latest(ctx, community, year) if _read is None else _read[1][community]
    social = social_workers(ctx, community) if _read is None else _read[0][community]
    own = latest.get(community)
    crow = None
    if own is not None and own["subject_kind"] == "unit":
        s, b, u = _votes(own)
        crow = {"satisfied": s, "basically": b, "unsatisfied": u, "votes": s + b + u,
                "rating": Fraction(s + b, s + b + u) if s + b + u else None, "score": own["score"]}
    workers = []
    for w in sorted(set(social) | {k for k, r in latest.items() if r["subject_kind"] == "person"}):
        r = latest.get(w)
        s, b, u = _votes(r) if r else (0, 0, 0)
        n = s + b + u
        workers.append({"worker": w, "name": person_name(ctx, w), "satisfied": s, "basically": b, "unsatisfied": u,
                        "votes": n, "rating": Fraction(s + b, n) if n else None,
                        "satisfied_share": Fraction(s, n) if n else None, "score": r["score"] if r else None,
                        "rank": None, "status": "not_rated"})
    rated = [w for w in workers if w["rating"] is not None]

    def key(w):
        return (w["rating"], w["satisfied_share"], w["score"] if w["score"] is not None else float("-inf"))

    for w in rated:
        w["rank"] = 1 + sum(key(o) > key(w) for o in rated)
        if w["rating"] < floor:
            w["status"] = "below_floor"
        else:
            w["status"] = "recommended" if w["rank"] <= places else "not_placed"
    workers.sort(key=lambda w: (w["rank"] is None, w["rank"] or 0, w["worker"]))
    unit = ctx.units.get(community)
    return {"community": community, "name": unit.name if unit else community, "year": year, "places": places,
            "min_rating": float(floor), "community_rating": crow, "workers": workers}


def awards(ctx, communities: list[str], year: int) -> list[dict]:
    """:func:`community_awards` for each of ``communities`` that had a year-end assessment in
    ``year`` or has social workers."""
    out = []
    read = _workers_and_latest(ctx, communities, year)  # read once for all the communities
    for c in communities:
        a = community_awards(ctx, c, year, _read=read)
        if a["community_rating"] is not None or a["workers"]:
            out.append(a)
    return out


def award_metrics(ctx, communities: list[str], year: int, period: str) -> list[Metric]:
    """The year's 评优评先 as Metrics of ``period`` (a year): per rated social worker
    ``year_end_rank`` (名次 in the community, a count), and for each recommended one
    ``award_recommended`` (subject the worker, a rate: 满意 + 基本满意 over votes)."""
    out: list[Metric] = []
    for a in awards(ctx, communities, year):
        for w in a["workers"]:
            if w["rank"] is None:
                continue
            out.append(Metric("year_end_rank", w["worker"], "person", value=float(w["rank"]), period=period,
                              label=f"年底测评名次（{a['name']}，共{sum(x['rank'] is not None for x in a['workers'])}名社工参评）"))
            if w["status"] == "recommended":
                out.append(rate("award_recommended", w["worker"], w["satisfied"] + w["basically"], w["votes"],
                                subject_kind="person", period=period,
                                label=f"评优评先推荐（{a['name']}年底测评第{w['rank']}名，满意率）"))
    return out
