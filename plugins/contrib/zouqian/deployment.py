"""zouqian's own tables in the county file (``county_deployment_tables``, docs/hooks.md §3):

* ``[[zouqian.pairings]]`` — the six pairings (六个结对, L329): ``kind``, ``a``, ``b`` (by the
  kind's sides: a person id, a unit code or a name), ``note``; key (kind, a, b);
* ``[[zouqian.rounds]]`` — the concentrated visiting rounds (集中走访批次, L320): ``no``,
  ``start``, ``end`` (local dates, YYYY-MM-DD), ``title``; key ``no``.

Each row is loaded through the same service functions as ``county zouqian pair add`` and
``county zouqian round add``; loading the file again changes nothing (``county init --update``).
"""

from __future__ import annotations

from framework import Column, DeploymentTable, parse_date, row_change

from . import service
from .rules import PAIRINGS


def load_pairing(ctx, row: dict) -> str:
    """One ``[[zouqian.pairings]]`` row: an active pairing of (kind, a, b) from the init's
    ``ctx.now``; an existing one keeps its start and takes the row's note. Returns "added",
    "changed" or "unchanged"; CountyError / NotFound name a bad side (service.add_pairing)."""
    found = [p for p in service.pairings(ctx, kind=row["kind"]) if p["a"] == row["a"] and p["b"] == row["b"]]
    if not found:
        service.add_pairing(ctx, row["kind"], row["a"], row["b"], row.get("note"))
        return "added"
    before = found[0]
    if before["note"] == row.get("note"):
        return "unchanged"
    ctx.db.update("zouqian_pairings", before["id"], {"note": row.get("note")})
    return "changed"


def load_round(ctx, row: dict) -> str:
    """One ``[[zouqian.rounds]]`` row: round ``no`` from ``start`` to ``end`` (inclusive local
    dates); an existing round takes the row's dates and title. Returns "added", "changed" or
    "unchanged"; CountyError names a bad date or an end before the start."""
    start, end = parse_date(row["start"], "start"), parse_date(row["end"], "end")
    rows = ctx.db.query("select * from zouqian_rounds where no = ?", [row["no"]])
    if not rows:
        service.add_round(ctx, row["no"], start, end, row.get("title"))
        return "added"
    before = rows[0]
    ctx.db.execute("delete from zouqian_rounds where no = ?", [row["no"]])
    after = service.add_round(ctx, row["no"], start, end, row.get("title") or before["title"])
    return row_change({k: before[k] for k in after}, after)


def tables() -> list[DeploymentTable]:
    """The two tables' declarations."""
    return [
        DeploymentTable("pairings", "六个结对：谁与谁结对 (L329)", [
            Column("kind", required=True, choices=tuple(PAIRINGS), description="结对类型"),
            Column("a", required=True, description="side A: a person id, a unit code or a name (by kind)"),
            Column("b", required=True, description="side B: a unit code, a person id or a name (by kind)"),
            Column("note", description="备注"),
        ], load_pairing, key=("kind", "a", "b")),
        DeploymentTable("rounds", "集中走访批次 (L320)", [
            Column("no", int, required=True, description="批次"),
            Column("start", required=True, description="first day, YYYY-MM-DD"),
            Column("end", required=True, description="last day, YYYY-MM-DD"),
            Column("title", description="名称 (default 第N批集中走访)"),
        ], load_round, key=("no",)),
    ]
