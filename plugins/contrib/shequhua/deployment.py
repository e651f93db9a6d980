"""shequhua's own tables in the county file (``county_deployment_tables``, docs/hooks.md §3),
each row loaded through the same service functions as the commands, idempotently
(``county init --update``):

* ``[[shequhua.centres]]`` — ``village``, ``director``, ``note``: a pilot village's service
  centre (L282), as ``county shequhua centre open``;
* ``[[shequhua.organisations]]`` — ``village``, ``area``, ``leader``, ``name``, ``members``:
  a service organisation (L282), as ``county shequhua org set``;
* ``[[shequhua.pairs]]`` — ``unit``, ``partner``: 帮联对子 (L273), as ``county shequhua pair``.
"""

from __future__ import annotations

from framework import Column, DeploymentTable

from . import service
from .rules import ORG_AREAS


def load_centre(ctx, row: dict) -> str:
    """One ``[[shequhua.centres]]`` row → "added", "changed" or "unchanged" (service.open_centre)."""
    return service.open_centre(ctx, row["village"], row["director"], row.get("note"))[1]


def load_org(ctx, row: dict) -> str:
    """One ``[[shequhua.organisations]]`` row → "added", "changed" or "unchanged" (service.set_org)."""
    return service.set_org(ctx, row["village"], row["area"], row["leader"], row.get("name"),
                           row.get("members") or [])[1]


def load_pair(ctx, row: dict) -> str:
    """One ``[[shequhua.pairs]]`` row → "added" or "unchanged" (service.pair)."""
    return service.pair(ctx, row["unit"], row["partner"])[1]


def tables() -> list[DeploymentTable]:
    """The three tables' declarations (centres first: organisations and village pairs need them)."""
    return [
        DeploymentTable("centres", "试点村社区化管理服务中心 (L282)", [
            Column("village", required=True, unit=True, description="the pilot village"),
            Column("director", required=True, description="its director: a village cadre of the village (person id)"),
            Column("note", description="备注"),
        ], load_centre, key=("village",)),
        DeploymentTable("organisations", "服务类组织 (L282)", [
            Column("village", required=True, unit=True, description="the pilot village"),
            Column("area", required=True, choices=tuple(ORG_AREAS), description="服务领域"),
            Column("leader", required=True, description="负责人 (person id of the village)"),
            Column("name", description="名称 (default 〈area〉服务队)"),
            Column("members", list, default=[], description="成员 (person ids of the village)"),
        ], load_org, key=("village", "area")),
        DeploymentTable("pairs", "帮联对子 (L273)", [
            Column("unit", required=True, unit=True, description="the township or pilot village"),
            Column("partner", required=True, unit=True, description="the urban subdistrict or community"),
        ], load_pair, key=("unit",)),
    ]
