"""The “4+4+1+6” grid staffing (L406): who fills which post, the quotas checked when a post is
filled, and the check naming every grid that misses the model.

* the first **4** — 网格督导员、指导员、管理员、社区警员, one each, in the community's large grid
  (``four_roles_per`` = ``community``, or in each grid), filled by subdistrict cadres assigned to
  the community (由街道包居干部担任): role ``subdistrict_cadre``, their unit the subdistrict above;
* **4** full-time grid workers (专职网格员) per grid, never a fifth;
* **1** grid assistant (网格助理员) per grid, who is a residents' group leader (居民小组长担任):
  role ``residents_group_leader``;
* the **6** officers (“6员”): each of the six posts at least ``six_minimum`` people, per grid
  (``six_per`` = ``grid``) or per community.
"""

from __future__ import annotations

from framework import CountyError, Refusal

from .rules import (
    COMMUNITY_POSTS,
    GRID_ASSISTANT,
    GRID_ASSISTANTS_PER_GRID,
    GRID_WORKER,
    GRID_WORKERS_PER_GRID,
    GROUP_LEADER,
    POSTS,
    SIX_POSTS,
    SUBDISTRICT_CADRE,
)

#: Posts with a fixed count per unit (L406): a further person is refused.
QUOTA = {**{p: 1 for p in COMMUNITY_POSTS}, GRID_WORKER: GRID_WORKERS_PER_GRID, GRID_ASSISTANT: GRID_ASSISTANTS_PER_GRID}


def post_level(ctx, post: str) -> str:
    """The unit level a post is filled at: ``grid`` or ``community`` (settings ``four_roles_per``
    and ``six_per`` for the first 4 and the 6)."""
    if post in COMMUNITY_POSTS:
        return ctx.settings["four_roles_per"]
    if post in SIX_POSTS:
        return ctx.settings["six_per"]
    return "grid"


def post_unit(ctx, grid: str, post: str) -> str | None:
    """The unit where ``post`` is filled for grid ``grid`` (the grid itself or its community)."""
    if post_level(ctx, post) == "grid":
        return grid
    community = ctx.ancestor(grid, "community", strict=True)
    return community.code if community else None


def holders(ctx, unit: str | None, post: str) -> list[str]:
    """Person ids filling ``post`` at unit ``unit``, in the order they were posted."""
    if unit is None:
        return []
    return [r["person"] for r in ctx.db.query(
        "select person from zhihui_staff where unit = ? and post = ? order by id", [unit, post])]


def add(ctx, unit, post, person) -> dict:
    """Post ``person`` (a person id) to ``post`` (a key of ``POSTS``) at ``unit`` (a unit code)
    at ``ctx.now``. Returns ``{"id", "unit", "post", "person", "since", "added"}`` — ``added``
    False when that person already holds that post there (nothing written).

    ``CountyError`` naming the field: an unknown post; a unit of the wrong level (a grid for
    专职网格员, 网格助理员; the ``four_roles_per`` / ``six_per`` level for the others); one of the
    first four who is not a subdistrict cadre (role ``subdistrict_cadre``) of the subdistrict
    above the unit (L406: 由街道包居干部担任); an assistant who is not a residents' group leader
    (role ``residents_group_leader``, L406). ``Refusal`` past the quota: a fifth 专职网格员, a
    second 网格助理员, a second holder of one of the first four (L406). ``NotFound`` for an
    unknown unit or person."""
    if post not in POSTS:
        raise CountyError(f"post {post!r}: one of " + ", ".join(f"{k} {v}" for k, v in POSTS.items()))
    u = ctx.unit(unit)
    p = ctx.person(person)
    level = post_level(ctx, post)
    if u.level != level:
        raise CountyError(f"unit {u.code!r}: a {POSTS[post]} is posted to a {level}, not to {u.name} ({u.level})")
    if post in COMMUNITY_POSTS:
        sub = ctx.ancestor(u.code, "township", strict=True)
        if SUBDISTRICT_CADRE not in p.roles or sub is None or p.unit != sub.code:
            where = sub.name if sub else "the subdistrict"
            raise CountyError(f"person {p.id!r}: the {POSTS[post]} is a cadre of {where} assigned to the community "
                              f"(role {SUBDISTRICT_CADRE}, unit {sub.code if sub else '?'}; L406 由街道包居干部担任)")
    if post == GRID_ASSISTANT and GROUP_LEADER not in p.roles:
        raise CountyError(f"person {p.id!r}: the 网格助理员 is a residents' group leader (role {GROUP_LEADER}; "
                          f"L406 居民小组长担任)")
    with ctx.transaction():
        current = holders(ctx, u.code, post)
        if p.id in current:
            row = ctx.db.query("select * from zhihui_staff where unit = ? and post = ? and person = ?",
                               [u.code, post, p.id])[0]
            return {**row, "added": False}
        if post in QUOTA and len(current) >= QUOTA[post]:
            raise Refusal(f"unit {u.code!r}: {u.name} already has {len(current)} {POSTS[post]} "
                          f"({', '.join(current)}); 4+4+1+6 allows {QUOTA[post]} (L406)")
        new = ctx.db.insert("zhihui_staff", {"unit": u.code, "post": post, "person": p.id,
                                             "since": ctx.now.isoformat(), "since_ts": ctx.now.timestamp()})
    return {"id": new, "unit": u.code, "post": post, "person": p.id, "since": ctx.now.isoformat(), "added": True}


def remove(ctx, unit, post, person) -> bool:
    """Take ``person`` off ``post`` at ``unit``. Returns True when a row went, False when the
    person did not hold it."""
    with ctx.transaction():
        return ctx.db.execute("delete from zhihui_staff where unit = ? and post = ? and person = ?",
                              [unit, post, person]).rowcount > 0


def grids_of(ctx, unit=None) -> list[str]:
    """The grid codes of ``unit``'s subtree (None: all) the method takes part in, in code order."""
    codes = ctx.subtree(ctx.unit(unit).code) if unit else list(ctx.units)
    return sorted(c for c in codes if ctx.units[c].level == "grid" and ctx.takes_part(c))


def check(ctx, unit=None) -> list[dict]:
    """The 4+4+1+6 check of every grid of ``unit``'s subtree (None: all), in code order, one dict
    each: ``grid``, ``name``, ``community`` (code or None), ``posts`` (``{post: [person ids]}`` for
    all 16 posts, looked up where each is filled), ``missing`` (Chinese, e.g. ``专职网格员 2/4``,
    ``网格督导员 0/1``, ``矛盾纠纷调解员 0/1``) and ``complete`` (nothing missing)."""
    out = []
    need = {**QUOTA, **{p: ctx.settings["six_minimum"] for p in SIX_POSTS}}
    for grid in grids_of(ctx, unit):
        community = ctx.ancestor(grid, "community", strict=True)
        posts = {p: holders(ctx, post_unit(ctx, grid, p), p) for p in POSTS}
        missing = [f"{POSTS[p]} {len(posts[p])}/{need[p]}" for p in POSTS if len(posts[p]) < need[p]]
        out.append({"grid": grid, "name": ctx.units[grid].name, "community": community.code if community else None,
                    "posts": posts, "missing": missing, "complete": not missing})
    return out


def division(ctx, unit=None) -> dict:
    """Grids and communities of ``unit``'s subtree (None: all) against the casebook's plan:
    ``{"grids", "planned_grids", "communities", "planned_communities"}`` (L406: 92个网格; L402: 8个社区;
    the settings ``planned_grids`` and ``planned_communities``)."""
    codes = ctx.subtree(ctx.unit(unit).code) if unit else list(ctx.units)
    communities = [c for c in codes if ctx.units[c].level == "community" and ctx.takes_part(c)]
    return {"grids": len(grids_of(ctx, unit)), "planned_grids": ctx.settings["planned_grids"],
            "communities": len(communities), "planned_communities": ctx.settings["planned_communities"]}
