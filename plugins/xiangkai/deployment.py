"""xiangkai's table in the county file (``county_deployment_tables``, docs/deployment.md §xiangkai).

``[[xiangkai.contacts]]`` — the contact network through which topics are collected (征集议题,
L246: 每个乡镇班子成员联系1个村、1个基层党组织和1名书记，每个村确定1名驻村干部，每位乡镇干部联系1名以上
困难群众), one link a row, loaded through :func:`~plugins.xiangkai.network.link` (``county xiangkai
network link``), active from the init's ``--now``.

Applied again (``county init --update``), a row whose link is active already is unchanged (a
changed ``note`` is written in place); a leader's village, party organisation or secretary, or a
village's stationed cadre, that the file now names differently ends the old link and starts the
new one at ``--now`` (:func:`~plugins.xiangkai.network.unlink`, then ``link``): changed. Links the
file no longer names are left as they are (end them with ``county xiangkai network unlink``).
"""

from __future__ import annotations

from framework import Column, DeploymentTable
from plugins.xiangkai import network, rules

_ACTIVE = "linked_ts <= ? and (unlinked_ts is null or unlinked_ts > ?)"


def _slot(ctx, row: dict) -> dict | None:
    """The active link holding the row's place: the leader's link of that kind, the village's
    stationed cadre, or the same needy person of the same cadre."""
    now = ctx.now.timestamp()
    kind, target = row["kind"], row["target"].strip()
    if kind in rules.LEADER_LINKS:
        sql, params = "person = ? and kind = ?", [row["person"], kind]
    elif kind == "stationed":
        sql, params = "kind = 'stationed' and village = ?", [target]
    else:
        sql, params = "person = ? and kind = ? and target = ?", [row["person"], kind, target]
    rows = ctx.db.query(f"select * from xiangkai_links where {sql} and {_ACTIVE} order by id", [*params, now, now])
    return rows[0] if rows else None


def load_contact(ctx, row: dict) -> str:
    """One ``[[xiangkai.contacts]]`` row (person, kind, target, village, note) →
    ``added``/``changed``/``unchanged`` (see the module)."""
    old = _slot(ctx, row)
    note = (row.get("note") or "").strip() or None
    if old is not None and old["person"] == row["person"] and old["target"] == row["target"].strip():
        if old["note"] == note:
            return "unchanged"
        ctx.db.update("xiangkai_links", old["id"], {"note": note})
        return "changed"
    if old is not None:
        network.unlink(ctx, old["id"])
    network.link(ctx, row["person"], row["kind"], row["target"], village=row.get("village"), note=note)
    return "added" if old is None else "changed"


def deployment_tables() -> list[DeploymentTable]:
    """xiangkai's one table, ``[[xiangkai.contacts]]``."""
    return [DeploymentTable("contacts", "联系网络: one link of the contact network that collects topics (L246)", [
        Column("person", required=True, description="person id: a township leadership member (role "
               "township_leadership) for village, party_org, secretary; a township cadre for stationed, needy"),
        Column("kind", required=True, description="village 联系村, party_org 联系基层党组织, secretary 联系书记, "
               "stationed 驻村, needy 联系困难群众", choices=tuple(rules.LINK_KINDS)),
        Column("target", required=True, description="a village code (village, stationed), the organisation's "
               "name (party_org), a person id or name (secretary), a name (needy)"),
        Column("village", unit=True, description="the village a party_org, secretary or needy link concerns"),
        Column("note", description="free text"),
    ], load_contact, key=("person", "kind", "target"))]
