"""wuxin's own table in the county file (``county_deployment_tables``, docs/hooks.md §3):
``[[wuxin.files]]`` — the left-behind files (L432), one row per child or elder, with its pair's
carer (``carer``: the caring mother or party volunteer). Key (``kind``, ``name``, ``unit``).

Rows load through the same service functions as ``county wuxin file open/update`` and ``county
wuxin pair add``; loading the file again changes nothing (``county init --update``); a changed
carer ends the old pair and starts a new one at the init's instant."""

from __future__ import annotations

from framework import Column, DeploymentTable

from . import service
from .rules import FILE_FIELDS, FILE_KINDS, SIX_KNOWS

FIELDS = ("birthday", "health", "living", "away_where", "away_contact", "keeper", "empty_nest", "card", "one_touch",
          *SIX_KNOWS)


def load_file(ctx, row: dict) -> str:
    """One ``[[wuxin.files]]`` row. Returns "added", "changed" or "unchanged"."""
    fields = {k: row[k] for k in FIELDS if row.get(k) is not None}
    found = [f for f in service.files(ctx, row["unit"], row["kind"])
             if f["name"] == row["name"] and f["unit"] == row["unit"]]
    if not found:
        f = service.open_file(ctx, row["kind"], row["name"], row["unit"], **fields)
        if row.get("carer"):
            service.make_pair(ctx, f["id"], row["carer"])
        return "added"
    before = found[0]
    after = service.update_file(ctx, before["id"], **fields)
    changed = after["updated_at"] != before["updated_at"]
    pair = service.active_pair(ctx, before["id"])
    if (pair["carer"] if pair else None) != (row.get("carer") or None):
        if pair:
            service.end_pair(ctx, pair["id"], "county.toml: carer changed")
        if row.get("carer"):
            service.make_pair(ctx, before["id"], row["carer"])
        changed = True
    return "changed" if changed else "unchanged"


def tables() -> list[DeploymentTable]:
    """The table's declaration."""
    return [DeploymentTable("files", "留守儿童、留守老人档案及结对 (L432)", [
        Column("kind", required=True, choices=tuple(FILE_KINDS), description="child 留守儿童 / elder 留守老人"),
        Column("name", required=True, description="姓名"),
        Column("unit", required=True, unit=True, description="where they live: a building, grid or community"),
        *[Column(k, description=label) for k, label in FILE_FIELDS.items()],
        Column("keeper", description="专人 (a person id) keeping the file up to date"),
        Column("empty_nest", bool, description="空巢老人 (elders; default yes)"),
        Column("card", bool, description="爱心联系卡 issued (elders)"),
        Column("one_touch", description="一键通 phone contact (elders)"),
        *[Column(k, description=f"六知道：{label}") for k, label in SIX_KNOWS.items()],
        Column("carer", description="the caring mother (child) or party volunteer (elder), a person id"),
    ], load_file, key=("kind", "name", "unit"))]
