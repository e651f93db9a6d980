"""shequ365's own tables (the ``county_migrations`` migrations) and the reads over them.

Tables (created by :func:`register_migrations`, all prefixed ``shequ365_``):

* ``grids`` — 包片 grid areas: code, name, community (unit code), worker (person id of the
  grid's social worker), planned_households, created_at;
* ``households`` — id, grid, address, head, phone, kinds (JSON list of 五问 resident kinds),
  worker (the linked social worker, 联户), moved_in (date), created_at, linked_at (when it was
  linked to its present worker);
* ``members`` — the three links (三联): social workers with their line (管线), party members
  (一代四员 roles / 一员双岗 posts), volunteers; created_at;
* ``visits`` — household visits (local date ``visited_on`` and instant ``visited_at``);
* ``visit_tasks`` — the five mandatory visits (五访) raised by a household event, due on a date;
* ``patrols`` — morning and evening patrols (两巡) of a grid or of a community's main roads;
* ``meetings`` and ``meeting_items`` — the analysis cadence (日碰头…民主听证会) and what each
  passed or resolved;
* ``assessments`` — quarterly review and annual rating by member representatives.

Dates are local dates of the deployment's time zone, ISO ``YYYY-MM-DD`` strings; ``created_at``
and ``linked_at`` are ISO instants (the import's ``--now`` unless the file gives one). Rows made
before ``created_at`` was kept have it empty: they count from their community's first recorded
activity.

Every read here takes the method's ``ctx`` and reads the plugin's tables through ``ctx.db``;
only :func:`community_start` (:func:`community_starts`) also reads cases, through ``ctx.cases``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from framework import chunks
from plugins.shequ365.rules import METHOD, NEVER, local_date


def register_migrations(migrations) -> None:
    """Register shequ365's migrations on ``migrations`` (a sqlite-utils Migrations set)."""

    @migrations()
    def m001_shequ365_tables(db):
        db["shequ365_grids"].create({"code": str, "name": str, "community": str, "worker": str,
                                     "planned_households": int}, pk="code")
        db["shequ365_households"].create({"id": str, "grid": str, "address": str, "head": str, "phone": str,
                                          "kinds": str, "worker": str, "moved_in": str}, pk="id")
        db["shequ365_households"].create_index(["grid"])
        db["shequ365_households"].create_index(["worker"])
        db["shequ365_members"].create({"id": str, "name": str, "kind": str, "community": str, "line": str,
                                       "grid": str, "block": str, "roles": str, "work_post": str,
                                       "service_post": str}, pk="id")
        db["shequ365_visits"].create({"id": int, "household": str, "grid": str, "community": str, "worker": str,
                                      "visited_on": str, "visited_at": str, "reason": str, "questions": str,
                                      "note": str, "case_id": str}, pk="id")
        db["shequ365_visits"].create_index(["household", "visited_on"])
        db["shequ365_visits"].create_index(["worker", "visited_on"])
        db["shequ365_visit_tasks"].create({"id": int, "household": str, "grid": str, "community": str,
                                           "reason": str, "triggered_on": str, "due_on": str,
                                           "visited_on": str, "visit_id": int, "note": str}, pk="id")
        db["shequ365_visit_tasks"].create_index(["household"])
        db["shequ365_patrols"].create({"id": int, "area": str, "community": str, "shift": str, "worker": str,
                                       "patrolled_on": str, "patrolled_at": str, "note": str, "case_id": str},
                                      pk="id")
        db["shequ365_patrols"].create_index(["area", "patrolled_on"])
        db["shequ365_meetings"].create({"id": int, "community": str, "kind": str, "held_on": str, "held_at": str,
                                        "title": str, "resolution": str, "note": str}, pk="id")
        db["shequ365_meetings"].create_index(["community", "kind", "held_on"])
        db["shequ365_meeting_items"].create({"id": int, "meeting_id": int, "case_id": str, "title": str,
                                             "passed": int, "note": str}, pk="id")
        db["shequ365_meeting_items"].create_index(["case_id"])
        db["shequ365_assessments"].create({"id": int, "community": str, "kind": str, "period": str,
                                           "subject_kind": str, "subject": str, "satisfied": int,
                                           "basically": int, "unsatisfied": int, "score": float,
                                           "note": str, "held_on": str}, pk="id")

    @migrations()
    def m002_shequ365_created_at(db):
        # When the data began: figures and duties count from here (README "Counting from the data").
        for table in ("shequ365_grids", "shequ365_households", "shequ365_members"):
            if "created_at" not in db[table].columns_dict:
                db[table].add_column("created_at", str)
        if "linked_at" not in db["shequ365_households"].columns_dict:
            db["shequ365_households"].add_column("linked_at", str)


# -- reading ------------------------------------------------------------------------------------


def grid(ctx, code: str | None) -> dict | None:
    """The grid row ``code`` (dict of the ``grids`` columns), or None (also for no code)."""
    if not code:
        return None
    rows = ctx.db.query("select * from shequ365_grids where code = ?", [code])
    return rows[0] if rows else None


def household(ctx, hid: str | None) -> dict | None:
    """The household row ``hid`` with ``kinds`` as a list, or None (also for no id)."""
    if not hid:
        return None
    rows = ctx.db.query("select * from shequ365_households where id = ?", [hid])
    if not rows:
        return None
    r = rows[0]
    r["kinds"] = json.loads(r["kinds"] or "[]")
    return r


def grids_in(ctx, communities: list[str]) -> list[dict]:
    """The grid rows of ``communities`` (unit codes), by code."""
    if not communities:
        return []
    return ctx.db.query(f"select * from shequ365_grids where community in ({ctx.db.placeholders(communities)}) "
                        "order by code", communities)


def households_in_grid(ctx, code: str) -> int:
    """How many households grid ``code`` has."""
    return ctx.db.count("shequ365_households", "grid = ?", [code])


def grid_communities(ctx) -> list[str]:
    """Every community some grid belongs to (sorted)."""
    return sorted(r["community"] for r in ctx.db.query("select distinct community from shequ365_grids"))


def linked_households(ctx, communities: list[str], worker: str | None = None) -> list[dict]:
    """Households of grids in ``communities`` that have a linked worker (联户), each with its
    grid's ``community``; by worker, then id. ``worker``: only that worker's."""
    if not communities:
        return []
    sql = (f"select h.*, g.community from shequ365_households h join shequ365_grids g on g.code = h.grid "
           f"where g.community in ({ctx.db.placeholders(communities)}) and coalesce(h.worker, '') != ''")
    params: list[Any] = list(communities)
    if worker:
        sql += " and h.worker = ?"
        params.append(worker)
    return ctx.db.query(sql + " order by h.worker, h.id", params)


def visited_households(ctx, start: dt.date, end: dt.date) -> set[tuple[str, str]]:
    """(household, worker) pairs with a visit on a local date in [start, end]."""
    rows = ctx.db.query("select distinct household, worker from shequ365_visits where visited_on >= ? and visited_on <= ?",
                        [start.isoformat(), end.isoformat()])
    return {(r["household"], r["worker"]) for r in rows}


def meetings_held(ctx, community: str, kind: str, start: dt.date, end: dt.date) -> list[dict]:
    """Meetings of ``kind`` held at ``community`` on local dates in [start, end]."""
    return ctx.db.query("select * from shequ365_meetings where community = ? and kind = ? and held_on >= ? "
                        "and held_on <= ? order by held_on, id", [community, kind, start.isoformat(), end.isoformat()])


def assessed(ctx, community: str, kind: str, period: str) -> bool:
    """Whether an assessment of ``kind`` (quarterly / annual) for ``period`` is recorded."""
    return bool(ctx.db.query("select 1 from shequ365_assessments where community = ? and kind = ? and period = ?",
                             [community, kind, period]))


# -- when the data began ------------------------------------------------------------------------


def linked_on(ctx, h: dict, fallback: dt.date | None) -> dt.date | None:
    """The local date household ``h`` was linked to its present worker (None: not linked). A
    link made before ``linked_at`` was kept dates from ``fallback`` (its community's start)."""
    if not h.get("worker"):
        return None
    return local_date(ctx.calendar, h.get("linked_at")) or fallback or NEVER


def grid_start(ctx, g: dict, fallback: dt.date | None) -> dt.date:
    """The first local date grid ``g`` counts for: the day it was created (``fallback``, its
    community's start, for a grid made before ``created_at`` was kept), or its first recorded
    patrol if that is earlier."""
    return grid_starts(ctx, [g], {g["code"]: fallback})[g["code"]]


def grid_starts(ctx, grids: list[dict], fallbacks: dict[str, dt.date | None]) -> dict[str, dt.date]:
    """``{grid code: grid_start(ctx, g, fallbacks[code])}`` for ``grids`` (rows as
    :func:`grids_in` gives them), the first patrols read once for all of them."""
    first: dict[str, str] = {}
    for chunk in chunks([g["code"] for g in grids]):
        for r in ctx.db.query(f"select area, min(patrolled_on) d from shequ365_patrols where area in "
                              f"({ctx.db.placeholders(chunk)}) group by area", chunk):
            if r["d"]:
                first[r["area"]] = r["d"]
    out = {}
    for g in grids:
        start = local_date(ctx.calendar, g.get("created_at")) or fallbacks.get(g["code"]) or NEVER
        d = first.get(g["code"])
        out[g["code"]] = min(start, dt.date.fromisoformat(d)) if d else start
    return out


def community_start(ctx, community: str) -> dt.date | None:
    """The first local date community ``community`` has shequ365 data: the earliest created
    grid, household or member, or recorded visit, 五访 task, patrol, meeting, assessment or
    shequ365 case of it (``extra.community``, read through ``ctx.cases``). None: no data at all
    (nothing is due there yet)."""
    return community_starts(ctx, [community])[community]


def community_starts(ctx, communities: list[str]) -> dict[str, dt.date | None]:
    """``{community: community_start(ctx, community)}`` for ``communities``, each table read
    once for all of them (grouped by community), the first case still one read each."""
    cal = ctx.calendar
    days: dict[str, list[dt.date]] = {c: [] for c in communities}
    for chunk in chunks(list(days)):
        qs = ctx.db.placeholders(chunk)
        for sql in (f"select community c, created_at from shequ365_grids where community in ({qs})",
                    f"select community c, created_at from shequ365_members where community in ({qs})",
                    f"select g.community c, h.created_at from shequ365_households h join shequ365_grids g "
                    f"on g.code = h.grid where g.community in ({qs})"):
            for r in ctx.db.query(sql, chunk):
                d = local_date(cal, r["created_at"])
                if d:
                    days[r["c"]].append(d)
        for table, day_col in (("shequ365_visits", "visited_on"), ("shequ365_visit_tasks", "triggered_on"),
                               ("shequ365_patrols", "patrolled_on"), ("shequ365_meetings", "held_on"),
                               ("shequ365_assessments", "held_on")):
            for r in ctx.db.query(f"select community c, min({day_col}) d from {table} where community in ({qs}) "
                                  f"group by community", chunk):
                if r["d"]:
                    days[r["c"]].append(dt.date.fromisoformat(r["d"]))
    for community, found in days.items():
        first = ctx.cases.find(method=METHOD, extra={"community": community}, created=(None, None),
                               order="created", limit=1)
        if first:
            found.append(cal.local(first[0].created_at).date())
    return {c: min(found) if found else None for c, found in days.items()}
