"""dianti's own data: the three centres (三个中心) of each village, as tables, and reading them.

* ``dianti_groups`` — the service groups (服务小组) of a village's skilled-people service centre
  (能人服务中心, casebook L79): code, Chinese name, skill keywords, leader (a party member,
  能人党员担任组长 L79/L97) and registry order.
* ``dianti_members`` — the skilled-people register (能人档案, L79): one row per member with
  skills, group, party membership and the "three cultivations" track (三个培养, L79/L87).
  Every member is also a kernel person (``ctx.people``), so the kernel can make them the handler.
* ``dianti_centre_members`` — members of the coordination centre (服务协调中心, L81) and the
  supervision centre (服务监督中心, L83).
* ``dianti_rota`` — the coordination centre's window rota (村干部轮流坐班, L81): weekday → cadre.
* ``dianti_ratings`` — villagers' ratings of a service (群众评价, L83), score 1–5.
* ``dianti_reviews`` — postings of the board, held quarterly evaluations and the yearly awards
  recorded as decided (kind ``awards``, the winners as JSON in ``note``) (for duties).

Everything here reads or writes only these tables (``ctx.db``); people's names come from
``ctx.people``.
"""

from __future__ import annotations

import json
from typing import Any

from framework import chunks


def add_migrations(migrations) -> None:
    """Register dianti's tables on the ``migrations`` set (sqlite_utils Migrations)."""

    @migrations()
    def m001_dianti_tables(db):
        db["dianti_groups"].create(
            {"id": str, "unit": str, "code": str, "name": str, "skills": str, "leader": str, "seq": int},
            pk="id")
        db["dianti_groups"].create_index(["unit", "seq"])
        db["dianti_members"].create(
            {"person": str, "unit": str, "group_code": str, "skills": str, "party_member": int,
             "cultivation": str, "cultivation_status": str, "active": int, "seq": int, "note": str},
            pk="person")
        db["dianti_members"].create_index(["unit", "group_code", "seq"])
        db["dianti_centre_members"].create(
            {"id": str, "unit": str, "centre": str, "person": str, "role": str, "seq": int}, pk="id")
        db["dianti_rota"].create({"id": str, "unit": str, "weekday": int, "person": str}, pk="id")
        db["dianti_ratings"].create(
            {"id": int, "case_id": str, "score": int, "rater": str, "rated_at": str, "note": str}, pk="id")
        db["dianti_ratings"].create_index(["case_id"])
        db["dianti_reviews"].create(
            {"id": str, "unit": str, "kind": str, "period": str, "at": str, "actor": str, "note": str}, pk="id")


def _named(ctx, rows: list[dict]) -> list[dict]:
    """Each row with ``name``: the name of its ``person`` in ``ctx.people`` (None when unknown)."""
    people = ctx.people
    for r in rows:
        p = people.get(r["person"])
        r["name"] = p.name if p is not None else None
    return rows


def next_seq(ctx, table: str, where: str = "", params=()) -> int:
    """1 + the highest ``seq`` of the plugin's ``table`` (optionally among rows matching ``where``)."""
    row = ctx.db.query(f"select max(seq) as m from {table}" + (f" where {where}" if where else ""), list(params))
    return (row[0]["m"] or 0) + 1


# -- the register and its groups ---------------------------------------------------------------


def groups(ctx, unit: str | None = None) -> list[dict]:
    """Service groups (rows ``id, unit, code, name, skills, leader, seq``), in registry order
    (unit, seq); ``skills`` decoded to a list; ``unit`` None: every village's."""
    sql = "select * from dianti_groups" + (" where unit = ?" if unit else "") + " order by unit, seq"
    rows = ctx.db.query(sql, [unit] if unit else [])
    for r in rows:
        r["skills"] = json.loads(r["skills"] or "[]")
    return rows


def group(ctx, unit: str, code: str) -> dict | None:
    """The group ``code`` of village ``unit`` (as :func:`groups` gives it), or None."""
    return next((g for g in groups(ctx, unit) if g["code"] == code), None)


def members(ctx, unit: str | None = None, group_code: str | None = None, *, active_only: bool = False) -> list[dict]:
    """Register rows (``person, unit, group_code, skills, party_member, cultivation,
    cultivation_status, active, seq, note``) in registry order (seq), ``skills`` decoded, with
    the person's ``name`` from ``ctx.people``."""
    where, params = [], []
    if unit:
        where.append("unit = ?")
        params.append(unit)
    if group_code:
        where.append("group_code = ?")
        params.append(group_code)
    if active_only:
        where.append("active = 1")
    sql = "select * from dianti_members" + (" where " + " and ".join(where) if where else "") + " order by seq"
    rows = ctx.db.query(sql, params)
    for r in rows:
        r["skills"] = json.loads(r["skills"] or "[]")
    return _named(ctx, rows)


def register_names(ctx) -> tuple[list[tuple], list[tuple]]:
    """The register as the appraisal reads it: ``([(unit, group id, code, name), …] in
    :func:`groups` order, [(unit, person, name), …] in :func:`members` order)``, the person's
    name from ``ctx.people`` (None when unknown); no skills decoded."""
    groups_ = [(r["unit"], r["id"], r["code"], r["name"])
               for r in ctx.db.query("select unit, id, code, name from dianti_groups order by unit, seq")]
    people = ctx.people
    members_ = []
    for r in ctx.db.query("select unit, person from dianti_members order by seq"):
        p = people.get(r["person"])
        members_.append((r["unit"], r["person"], p.name if p is not None else None))
    return groups_, members_


def member(ctx, person: str) -> dict | None:
    """The register row of ``person`` (as :func:`members` gives it), or None."""
    rows = [m for m in members(ctx) if m["person"] == person]
    return rows[0] if rows else None


# -- the coordination and supervision centres ----------------------------------------------------


def centre_members(ctx, unit: str, centre: str | None = None) -> list[dict]:
    """Members (``id, unit, centre, person, role, seq, name``) of ``unit``'s coordination and
    supervision centres (or only ``centre``), by centre then seq."""
    sql = "select * from dianti_centre_members where unit = ?" + (" and centre = ?" if centre else "") + " order by centre, seq"
    return _named(ctx, ctx.db.query(sql, [unit, centre] if centre else [unit]))


def centre_member_row(ctx, rid: str) -> dict | None:
    """The centre membership with id ``unit:centre:person``, or None."""
    rows = ctx.db.query("select * from dianti_centre_members where id = ?", [rid])
    return rows[0] if rows else None


def rota(ctx, unit: str) -> list[dict]:
    """The window rota of ``unit`` (``id, unit, weekday, person, name``), Monday first."""
    return _named(ctx, ctx.db.query("select * from dianti_rota where unit = ? order by weekday", [unit]))


def on_duty(ctx, unit: str, weekday: int) -> str | None:
    """The cadre on window duty (坐班) at ``unit`` on ``weekday`` (0 = Monday), or None."""
    rows = ctx.db.query("select person from dianti_rota where unit = ? and weekday = ?", [unit, weekday])
    return rows[0]["person"] if rows else None


# -- ratings and reviews ------------------------------------------------------------------------------


def ratings_of(ctx, case_ids) -> dict[str, list[int]]:
    """``{case id: [score, …]}`` (in the order recorded) for the cases that have ratings. When
    the table holds no more ratings than there are ids (e.g. none: the cost of a year's
    appraisal of thousands of services, issue 13), it is read whole and kept to ``case_ids``;
    else the ids are looked up a chunk at a time."""
    out: dict[str, list[int]] = {}
    case_ids = list(dict.fromkeys(case_ids))  # each id once: a rating is never counted twice
    held = ctx.db.query("select count(*) as n from (select 1 from dianti_ratings limit ?)", [len(case_ids) + 1])
    if held[0]["n"] <= len(case_ids):
        wanted = set(case_ids)
        for r in ctx.db.query("select case_id, score from dianti_ratings order by id"):
            if r["case_id"] in wanted:
                out.setdefault(r["case_id"], []).append(r["score"])
        return out
    for chunk in chunks(case_ids):
        for r in ctx.db.query(f"select case_id, score from dianti_ratings where case_id in "
                              f"({ctx.db.placeholders(chunk)}) order by id", chunk):
            out.setdefault(r["case_id"], []).append(r["score"])
    return out


def rating_summary(ctx, case_id: str) -> dict[str, Any]:
    """``{"ratings": count, "mean": float mean or None}`` of one service's ratings."""
    r = ctx.db.query("select count(*) n, avg(score) a from dianti_ratings where case_id = ?", [case_id])[0]
    return {"ratings": r["n"], "mean": r["a"]}


def review_id(unit: str, kind: str, period: str) -> str:
    """Id of a review row: ``unit:kind:period`` (kind ``evaluation``, ``board`` or ``awards``)."""
    return f"{unit}:{kind}:{period}"


def reviewed(ctx, unit: str, kind: str, period: str) -> bool:
    """Whether the review ``kind`` of ``unit`` for ``period`` was recorded."""
    return bool(ctx.db.query("select 1 from dianti_reviews where id = ?", [review_id(unit, kind, period)]))
