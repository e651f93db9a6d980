"""zhihui's table in the county file (``county_deployment_tables``, docs/hooks.md §3):
``[[zhihui.staff]]`` — the 4+4+1+6 posts (L406): ``unit``, ``post``, ``person``; key all three.
Rows load through the same service function as ``county zhihui staff add`` (so a fifth 专职网格员
or a non-cadre 督导员 is refused with the file's line); loading again changes nothing."""

from __future__ import annotations

from framework import Column, DeploymentTable

from . import staffing
from .rules import POSTS


def load_staff(ctx, row: dict) -> str:
    """One ``[[zhihui.staff]]`` row. Returns "added" or "unchanged"."""
    return "added" if staffing.add(ctx, row["unit"], row["post"], row["person"])["added"] else "unchanged"


def tables() -> list[DeploymentTable]:
    """The declared tables: ``staff``."""
    return [DeploymentTable("staff", "网格“4+4+1+6”配备 (L406): who fills which post where", [
        Column("unit", required=True, unit=True, description="the grid (or community, for the first 4) posted to"),
        Column("post", required=True, choices=tuple(POSTS), description="the post: " + ", ".join(
            f"{k} {v}" for k, v in POSTS.items())),
        Column("person", required=True, description="a person id of [[people]]"),
    ], load_staff, key=("unit", "post", "person"))]
