"""daiban's table in the county file (``county_deployment_tables``, docs/deployment.md §daiban).

``[[daiban.agents]]`` — the three-node network of L225 (乡代办中心+村代办室+组代办员): each row one
person of it, loaded as the ``county people import`` of a daiban county does (the method keeps
its network in the people's roles; ``county daiban coverage`` reads it):

* ``role = "agent"`` (代办员) — at a township: a staff agent of the 乡代办中心 (3–4 of them); at a
  village: the 村代办室's agent; at a villager group: the 组代办员 (at least one per group);
* ``role = "centre_director"`` — the 乡代办中心主任, a township leader (安排1名乡镇党政领导担任主任);
* ``role = "service_team"`` — a member of the mobile service team (流动代办, L227: 乡镇职能部门抽调).

The node follows from the level of the person's unit (:data:`~plugins.daiban.rules.NODES`); a
director or a service-team member sits at a township. A person already in the county keeps
their other roles.
"""

from __future__ import annotations

from framework import Column, CountyError, DeploymentTable, row_change
from plugins.daiban.rules import AGENT_ROLE, DIRECTOR_ROLE, NODES, ROLES, TEAM_ROLE


def _state(ctx, pid: str):
    p = ctx.people.get(pid)
    return None if p is None else (p.name, p.unit, p.phone, tuple(p.roles))


def load_agent(ctx, row: dict) -> str:
    """One ``[[daiban.agents]]`` row (id, name, unit, role, phone) → ``added``/``changed``/
    ``unchanged``. CountyError when the unit's level has no node for the role (L225)."""
    role, unit = row["role"], ctx.unit(row["unit"])
    levels = ("township",) if role in (DIRECTOR_ROLE, TEAM_ROLE) else tuple(NODES)
    if unit.level not in levels:
        raise CountyError(f"unit {unit.code!r} ({unit.name}) is a {unit.level}; a {role} ({ROLES[role]}) serves at a "
                          f"{' or '.join(levels)} (L225: 乡代办中心+村代办室+组代办员)")
    before = _state(ctx, row["id"])
    old = ctx.people.get(row["id"])
    roles = list(old.roles) if old else []
    if role not in roles:
        roles.append(role)
    person = {"id": row["id"], "name": row["name"], "unit": unit.code, "roles": roles}
    if row.get("phone"):
        person["phone"] = row["phone"]
    ctx.actions.import_people([person], "[[daiban.agents]]")
    return row_change(before, _state(ctx, row["id"]))


def deployment_tables() -> list[DeploymentTable]:
    """daiban's one table, ``[[daiban.agents]]``."""
    return [DeploymentTable("agents", "代办网络: a person of the three-node agent network — township centre "
                            "director and staff, village room agent, group agent, mobile team (L225, L227)", [
                                Column("id", required=True, description="person id"),
                                Column("name", required=True, description="姓名"),
                                Column("unit", required=True, unit=True, description="where the person serves: a "
                                       "township (乡代办中心), village (村代办室) or villager group (组代办员)"),
                                Column("role", default=AGENT_ROLE, description="agent 代办员, centre_director 乡代办中心主任 "
                                       "or service_team 流动代办服务团成员", choices=tuple(ROLES)),
                                Column("phone", description="mobile number (the tracking card shows it, masked on boards)"),
                            ], load_agent, key=("id",))]
