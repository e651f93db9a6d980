"""yijiasi's tables in the county file (``county_deployment_tables``, docs/hooks.md §3):
``[[yijiasi.teams]]`` (服务团, L449/L457) and ``[[yijiasi.members]]`` (the "4", L449), loaded by
``county init`` through the same service functions as ``county yijiasi team add`` and ``county
yijiasi member add``; loading the file again changes nothing (``county init --update``)."""

from __future__ import annotations

from framework import Column, DeploymentTable, NotFound

from . import service
from .rules import MEMBER_KINDS


def load_team(ctx, row: dict) -> str:
    """One ``[[yijiasi.teams]]`` row. Returns "added", "changed" or "unchanged"."""
    try:
        before = service.team(ctx, row["code"])
    except NotFound:
        before = None
    after = service.save_team(ctx, row["code"], row["name"], row["leader"], row["home"], row.get("communities") or (),
                              row.get("formed_on") or (before["formed_on"] if before else None))
    if before is None:
        return "added"
    return "unchanged" if before == after else "changed"


def load_member(ctx, row: dict) -> str:
    """One ``[[yijiasi.members]]`` row (a member of the team). Returns "added", "changed" (the
    kind or partner) or "unchanged". A membership the file describes that was ended since
    (``county yijiasi member remove``: 及时调整, L457) stays ended — "unchanged": the file does not
    undo a later record; a row with a ``joined_on`` after that end starts a new membership."""
    mine = [m for m in service.members(ctx, row["team"]) if m["person"] == row["person"]]
    active = [m for m in mine if m["left_on"] is None]
    if not active and any(m["left_on"] >= (row.get("joined_on") or m["left_on"]) for m in mine):
        return "unchanged"
    if not active:
        service.add_member(ctx, row["person"], row["team"], row["kind"], row.get("partner"), row.get("joined_on"))
        return "added"
    if active[0]["kind"] == row["kind"] and (active[0]["partner"] or None) == (row.get("partner") or None):
        return "unchanged"
    ctx.db.update("yijiasi_members", active[0]["id"], {"kind": row["kind"], "partner": row.get("partner")})
    return "changed"


def tables() -> list[DeploymentTable]:
    """The two tables' declarations."""
    return [
        DeploymentTable("teams", "服务团 (L449, L457)", [
            Column("code", required=True, description="the team's code"),
            Column("name", required=True, description="服务团名称"),
            Column("leader", required=True, description="服务团团长, a person id (L457)"),
            Column("home", required=True, unit=True, description="团长所在社区: the leader's community (L457)"),
            Column("communities", list, description="other co-built communities (结对社区), unit codes"),
            Column("formed_on", description="YYYY-MM-DD the team was formed (default: the init's day)"),
        ], load_team, key=("code",)),
        DeploymentTable("members", "服务团成员：市直部门、党建工作指导员、大学生党员义工、律师党员志愿者 (L449)", [
            Column("person", required=True, description="a person id"),
            Column("team", required=True, description="the team's code"),
            Column("kind", required=True, choices=tuple(MEMBER_KINDS), description="department, instructor, "
                                                                                   "student or lawyer"),
            Column("partner", description="the sending unit: 市直部门, 高校 or 律师事务所"),
            Column("joined_on", description="YYYY-MM-DD (default: the init's day)"),
        ], load_member, key=("person", "team")),
    ]
