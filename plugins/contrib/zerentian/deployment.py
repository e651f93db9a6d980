"""zerentian's own tables in the county file (``county_deployment_tables``, docs/hooks.md §3):

* ``[[zerentian.fields]]`` — responsibility fields (责任田+党支部, L314): ``id``, ``name``,
  ``unit`` (the village or community it subdivides), ``branch``, ``secretary``; key ``id``;
* ``[[zerentian.members]]`` — their service teams (服务团, L314): ``field``, ``name``, ``kind``,
  ``person``; key (field, name).

Loaded through the same service functions as ``county zerentian field add`` and ``member add``;
loading the file again changes nothing (``county init --update``).
"""

from __future__ import annotations

from framework import Column, DeploymentTable, row_change

from . import service
from .rules import MEMBER_KINDS
from .stages import field_row

FIELD_KEYS = ("id", "name", "unit", "branch", "secretary")


def load_field(ctx, row: dict) -> str:
    """One ``[[zerentian.fields]]`` row (service.save_field). Returns added/changed/unchanged."""
    before = field_row(ctx, row["id"])
    after = service.save_field(ctx, row["id"], row["name"], row["unit"], row.get("branch"), row.get("secretary"))
    return row_change(pick(before), pick(after))


def pick(row: dict | None) -> dict | None:
    """The columns of a field row that the county file sets."""
    return {k: row[k] for k in FIELD_KEYS} if row else None


def load_member(ctx, row: dict) -> str:
    """One ``[[zerentian.members]]`` row (service.add_member); an active member of that name
    takes the row's kind and person. Returns added/changed/unchanged."""
    found = ctx.db.query("select * from zerentian_members where field = ? and name = ? and left_at is null",
                         [row["field"], row["name"]])
    if not found:
        service.add_member(ctx, row["field"], row["name"], row["kind"], row.get("person"))
        return "added"
    before = found[0]
    if (before["kind"], before["person"]) == (row["kind"], row.get("person")):
        return "unchanged"
    ctx.db.update("zerentian_members", before["id"], {"kind": row["kind"], "person": row.get("person")})
    return "changed"


def tables() -> list[DeploymentTable]:
    """The two tables' declarations."""
    return [
        DeploymentTable("fields", "责任田及其党支部 (L314)", [
            Column("id", required=True, description="责任田编号"),
            Column("name", required=True, description="责任田名称"),
            Column("unit", required=True, unit=True, description="the village or community it subdivides"),
            Column("branch", description="党支部名称 (default 〈name〉党支部)"),
            Column("secretary", description="党支部书记 (a person id)"),
        ], load_field, key=("id",)),
        DeploymentTable("members", "责任田服务团成员 (L314)", [
            Column("field", required=True, description="责任田编号"),
            Column("name", required=True, description="姓名"),
            Column("kind", required=True, choices=tuple(MEMBER_KINDS), description="成员类别"),
            Column("person", description="a person id, when the member is one"),
        ], load_member, key=("field", "name")),
    ]
