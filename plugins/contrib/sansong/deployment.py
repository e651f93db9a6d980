"""sansong's tables in the county file (``county_deployment_tables``, docs/deployment.md): the
contact network, so one ``county.toml`` describes it — ``[[sansong.households]]``,
``[[sansong.points]]``, ``[[sansong.links]]``, ``[[sansong.stations]]``. Each row is loaded by
``county init`` (and re-applied by ``county init --update``) through the same service functions
the commands use; a bad row is a ``CountyError`` / ``Refusal`` the kernel reports with its line.
"""

from __future__ import annotations

from framework import Column, DeploymentTable, parse_date

from . import network
from .rules import MODES, PRIORITY_GROUPS, STATION_KINDS


def load_household(ctx, row) -> str:
    """One household (群众信息库, L140) → added / changed / unchanged."""
    return network.add_household(ctx, row["id"], row["village"], row["head"], row.get("group"), row.get("kind"))


def load_point(ctx, row) -> str:
    """One agency unit's paired village (挂点联系, L137) → added / changed / unchanged."""
    return network.set_point(ctx, row["agency"], row["village"], parse_date(row["since"], "since"),
                             row.get("reason"))


def load_link(ctx, row) -> str:
    """One cadre's households in one mode (L137) → added (some new) / unchanged."""
    done = network.link(ctx, row["cadre"], list(row["households"]), row["mode"], parse_date(row["since"], "since"))
    return "added" if done["added"] else "unchanged"


def load_station(ctx, row) -> str:
    """One stationed cadre (驻村联系, L137; 1 year for the mandatory kinds, L142) → added / unchanged."""
    return network.station(ctx, row["cadre"], row["agency"], row["village"], row["kind"],
                           parse_date(row["since"], "since"))


def tables() -> list[DeploymentTable]:
    """The four tables, in load order (households before the links naming them)."""
    return [
        DeploymentTable("households", "联系户: a household of the opinion database (群众信息库, L140)", [
            Column("id", required=True, description="household id"),
            Column("village", required=True, unit=True, description="its village or community"),
            Column("head", required=True, description="the household head (masked on boards)"),
            Column("group", unit=True, description="its villager group (分片联系 counts groups, L137)"),
            Column("kind", choices=tuple(PRIORITY_GROUPS), description="priority group (L137)"),
        ], load_household, key=("id",)),
        DeploymentTable("points", "挂点联系: an agency unit's one village (L137), 5 years (L142)", [
            Column("agency", required=True, unit=True, description="the city or county agency unit"),
            Column("village", required=True, unit=True, description="its paired village"),
            Column("since", required=True, description="YYYY-MM-DD"),
            Column("reason", description="why it changed within 5 years"),
        ], load_point, key=("agency",)),
        DeploymentTable("links", "干部联系户: a cadre's households in one contact mode (L137)", [
            Column("cadre", required=True, description="person id"),
            Column("mode", required=True, choices=tuple(MODES), description="point 挂点 / area 分片 / stationed 驻村"),
            Column("households", list, required=True, description="household ids"),
            Column("since", required=True, description="YYYY-MM-DD"),
        ], load_link, key=("cadre", "mode")),
        DeploymentTable("stations", "驻村联系: a cadre stationed in a village (L137, L142)", [
            Column("cadre", required=True, description="person id (role stationed_cadre)"),
            Column("agency", required=True, unit=True, description="the sending unit"),
            Column("village", required=True, unit=True, description="the village or community"),
            Column("kind", default="other", choices=tuple(STATION_KINDS),
                   description="new_staff / long_away / reserve (1 year at least, L142) or other"),
            Column("since", required=True, description="YYYY-MM-DD"),
        ], load_station, key=("cadre",)),
    ]
