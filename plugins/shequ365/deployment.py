"""shequ365's tables in the county file (``county_deployment_tables``, docs/deployment.md §shequ365).

The three links of L377 (社工联勤、党员联动、志愿联盟) and what they hold, loaded by ``county
init`` in this order through the very functions of ``county shequ365 grids|members|households
import`` (:func:`~plugins.shequ365.service.import_grids`, :func:`~plugins.shequ365.service.import_members`,
:func:`~plugins.shequ365.service.import_households`), one row at a time:

* ``[[shequ365.grids]]`` — 包片 grid areas (standard 250 households, L377);
* ``[[shequ365.members]]`` — social workers (管线), registered party members (一代四员), employed
  party members (一员双岗), volunteers;
* ``[[shequ365.households]]`` — households of the grids, their 五问 kinds and linked social
  worker (联户, L377); a ``moved_in`` date raises the 新迁入家庭必访 task (五访, L381) once.

A row keeps its first ``created_at`` (default: the init's ``--now``) when the file is applied
again (``county init --update``).
"""

from __future__ import annotations

from framework import Column, CountyError, DeploymentTable, row_change
from plugins.shequ365 import service, tables
from plugins.shequ365.rules import FIVE_QUESTIONS, FOUR_ROLES, MEMBER_KINDS

_TAG = "§row"  # the importers' "FILE: line N:" prefix, dropped: the kernel names file, line and table


def _one(fn, ctx, row: dict):
    """``fn(ctx, [row], …)`` with the importer's CSV line prefix taken off its errors."""
    try:
        return fn(ctx, [row], _TAG)
    except CountyError as e:
        raise type(e)(str(e).replace(f"{_TAG}: line 2: ", "")) from None


def _member(ctx, mid: str):
    rows = ctx.db.query("select * from shequ365_members where id = ?", [mid])
    return rows[0] if rows else None


def load_grid(ctx, row: dict) -> str:
    """One ``[[shequ365.grids]]`` row (code, name, community, worker, planned_households,
    created_at) → ``added``/``changed``/``unchanged``."""
    before = tables.grid(ctx, row["code"])
    _one(service.import_grids, ctx, row)
    return row_change(before, tables.grid(ctx, row["code"]))


def load_member(ctx, row: dict) -> str:
    """One ``[[shequ365.members]]`` row (id, name, kind, community, line, grid, block, roles,
    work_post, service_post, created_at) → ``added``/``changed``/``unchanged``."""
    before = _member(ctx, row["id"])
    _one(service.import_members, ctx, row)
    return row_change(before, _member(ctx, row["id"]))


def load_household(ctx, row: dict) -> str:
    """One ``[[shequ365.households]]`` row (id, grid, address, head, phone, kinds, worker,
    moved_in, created_at) → ``added``/``changed``/``unchanged``."""
    before = tables.household(ctx, row["id"])
    _one(service.import_households, ctx, row)
    return row_change(before, tables.household(ctx, row["id"]))


_CREATED = Column("created_at", description="date or local time it was set up (default: the init's --now; "
                  "kept when the file is applied again)")


def deployment_tables() -> list[DeploymentTable]:
    """shequ365's three tables, in load order."""
    return [
        DeploymentTable("grids", "包片: a grid area of a community, with its social worker (L377: 250 households "
                        "a grid)", [
                            Column("code", required=True, description="grid code"),
                            Column("name", required=True, description="grid name (第一网格)"),
                            Column("community", required=True, unit=True, description="the community (社区) unit"),
                            Column("worker", description="person id of the grid's social worker"),
                            Column("planned_households", int, description="households planned for the grid"),
                            _CREATED,
                        ], load_grid, key=("code",)),
        DeploymentTable("members", "三联: a member of the three links — social worker (社工联勤：管线包片联户), "
                        "registered party member (一代四员), employed party member (一员双岗), volunteer (L377)", [
                            Column("id", required=True, description="member id (a social worker's is a person id)"),
                            Column("name", required=True, description="姓名"),
                            Column("kind", required=True, description=", ".join(MEMBER_KINDS),
                                   choices=tuple(MEMBER_KINDS)),
                            Column("community", required=True, unit=True, description="the community"),
                            Column("line", description="管线: a social worker's line of business (required for them)"),
                            Column("grid", description="grid code"),
                            Column("block", description="墙门/楼道"),
                            Column("roles", list, description="一代四员: block_representative first, then publicity, "
                                   "sanitation, safety, mediator", choices=tuple(FOUR_ROLES)),
                            Column("work_post", description="一员双岗: 本职敬业岗"),
                            Column("service_post", description="一员双岗: 为民奉献岗 (required for an employed party member)"),
                            _CREATED,
                        ], load_member, key=("id",)),
        DeploymentTable("households", "联户: a household of a grid, its 五问 kinds and linked social worker "
                        "(L377, L381)", [
                            Column("id", required=True, description="household id"),
                            Column("grid", required=True, description="grid code ([[shequ365.grids]])"),
                            Column("address", description="address (masked on every output)"),
                            Column("head", description="householder (masked)"),
                            Column("phone", description="phone (masked)"),
                            Column("kinds", list, description="五问 kinds: " + ", ".join(FIVE_QUESTIONS),
                                   choices=tuple(FIVE_QUESTIONS)),
                            Column("worker", description="person id of the linked social worker (联户)"),
                            Column("moved_in", description="YYYY-MM-DD: moved in (raises a 新迁入家庭必访 task once)"),
                            _CREATED,
                        ], load_household, key=("id",)),
    ]
