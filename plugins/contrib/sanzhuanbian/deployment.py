"""sanzhuanbian's tables in the county file (``county_deployment_tables``, docs/hooks.md §3): the
contact network of L110 described in ``county.toml`` and loaded by ``county init`` through the
same functions as ``county sanzhuanbian household add | link | pair``, at the init's ``--now``.

* ``[[sanzhuanbian.households]]`` — ``id``, ``unit`` (a village: 农户, or a community: 居民),
  ``label``, ``flags`` (``needy``, ``petitioner``, ``key_person``: 困难户、上访户、重点人员);
* ``[[sanzhuanbian.links]]`` — ``household``, ``cadre``, ``kind`` (``contact``: 每名干部联系1-5户农户;
  ``mutual_aid``: 机关党员干部各直接联系1户村民和1户居民) — the quotas and the one cadre per
  household (每户群众都有1名党员干部联系负责) are checked row by row;
* ``[[sanzhuanbian.pairs]]`` — ``department``, ``village`` (县直单位对口帮扶1个行政村).

Applied again (``county init --update``): a household with the same unit, label and flags, a
household already linked to the same cadre in the same way, a department already paired with the
same village are unchanged; a household's new label or flags, a household linked to another cadre
(the old link ends at ``--now``), a department paired anew are changed. Rows left out of the file
are left as they are (``county sanzhuanbian unlink`` ends a link).
"""

from __future__ import annotations

from framework import Column, DeploymentTable, row_change

from . import network


def _household_view(ctx, hid):
    rows = ctx.db.query("select id, unit, label, flags from sanzhuanbian_households where id = ?", [hid])
    return rows[0] if rows else None


def load_household(ctx, row):
    """One ``[[sanzhuanbian.households]]`` row → ``added``/``changed``/``unchanged``
    (:func:`network.add_household`)."""
    before = _household_view(ctx, row["id"])
    network.add_household(ctx, row["id"], row["unit"], row.get("label"), row.get("flags") or ())
    return row_change(before, _household_view(ctx, row["id"]))


def load_link(ctx, row):
    """One ``[[sanzhuanbian.links]]`` row → ``added``/``changed``/``unchanged``
    (:func:`network.link`, after :func:`network.unlink` when another cadre held the household)."""
    kind = row.get("kind") or "contact"
    old = network.open_links(ctx, household_id=row["household"])
    if old and old[0]["cadre"] == row["cadre"] and old[0]["kind"] == kind:
        return "unchanged"
    if old:
        network.unlink(ctx, row["household"])
    network.link(ctx, row["cadre"], row["household"], kind)
    return "changed" if old else "added"


def load_pair(ctx, row):
    """One ``[[sanzhuanbian.pairs]]`` row → ``added``/``changed``/``unchanged`` (:func:`network.pair`)."""
    old = ctx.db.query("select village from sanzhuanbian_pairs where department = ?", [row["department"]])
    if old and old[0]["village"] == row["village"]:
        return "unchanged"
    if old:
        ctx.db.execute("delete from sanzhuanbian_pairs where department = ?", [row["department"]])
    network.pair(ctx, row["department"], row["village"])
    return "changed" if old else "added"


def deployment_tables():
    """The three tables of the contact network, in load order: households, links, pairs."""
    return [
        DeploymentTable("households", "户: a household of the contact network (L110 每户群众)", [
            Column("id", required=True, description="household id"),
            Column("unit", required=True, unit=True, description="its village (农户) or community (居民)"),
            Column("label", description="a door number or description, never a name"),
            Column("flags", type=list, description="needy 困难户, petitioner 上访户, key_person 重点人员 (L110)"),
        ], load_household, key=("id",)),
        DeploymentTable("links", "联系负责: the household's one responsible cadre (L110)", [
            Column("household", required=True, description="household id (of [[sanzhuanbian.households]])"),
            Column("cadre", required=True, description="person id: a contact_cadre, or an agency_party_cadre"),
            Column("kind", default="contact", choices=tuple(network.KINDS),
                   description="contact 干部联系农户 (1-5户) or mutual_aid 城乡互帮互助 (1户村民和1户居民)"),
        ], load_link, key=("household",)),
        DeploymentTable("pairs", "对口帮扶: a county department's one village (L110)", [
            Column("department", required=True, unit=True, description="the county department (县直单位)"),
            Column("village", required=True, unit=True, description="its administrative village (行政村)"),
        ], load_pair, key=("department",)),
    ]

