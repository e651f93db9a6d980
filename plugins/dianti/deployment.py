"""dianti's tables in the county file (``county_deployment_tables``, docs/deployment.md §dianti).

Four tables, loaded by ``county init`` in this order through the service functions the
``county dianti group add / member import / centre add / rota`` commands use:

* ``[[dianti.groups]]`` — the service groups of a village's 能人服务中心 (L79, L97):
  :func:`~plugins.dianti.service.save_group`;
* ``[[dianti.members]]`` — the skilled-people register (能人档案, L79) with the three
  cultivations; ``leader = true`` makes the member the group's leader (能人党员担任组长):
  :func:`~plugins.dianti.service.save_member`;
* ``[[dianti.centres]]`` — the coordination (服务协调中心, L81) and supervision (服务监督中心, L83)
  centres' members: :func:`~plugins.dianti.service.save_centre_member`;
* ``[[dianti.rota]]`` — the window rota of village cadres (村干部轮流坐班, L81):
  :func:`~plugins.dianti.service.set_rota`.

Each ``load`` reads the record before and after writing it and says ``added``, ``changed`` or
``unchanged`` (``county init --update``).
"""

from __future__ import annotations

from framework import Column, DeploymentTable, row_change
from plugins.dianti import service, tables
from plugins.dianti.rules import CULTIVATION_STATUSES, CULTIVATIONS, STANDARD_GROUPS, parse_weekday

WEEKDAY_HELP = "mon..sun, 周一..周日 or 1..7"


def _group_state(ctx, unit: str, code: str):
    g = tables.group(ctx, unit, code)
    return None if g is None else (g["name"], g["skills"], g["leader"])


def load_group(ctx, row: dict) -> str:
    """One ``[[dianti.groups]]`` row (unit, code, name, skills) → ``added``/``changed``/``unchanged``."""
    before = _group_state(ctx, row["unit"], row["code"])
    service.save_group(ctx, row["unit"], row["code"], row.get("name"), row.get("skills"),
                       where=f"group {row['code']}", name_from="name")
    return row_change(before, _group_state(ctx, row["unit"], row["code"]))


def _member_state(ctx, pid: str):
    m = tables.member(ctx, pid)
    if m is None:
        return None
    p = ctx.people.get(pid)
    leads = sorted(g["id"] for g in tables.groups(ctx, m["unit"]) if g["leader"] == pid)
    return ({k: m[k] for k in ("unit", "group_code", "skills", "party_member", "cultivation",
                               "cultivation_status", "active")},
            (p.name, p.phone, tuple(p.roles)) if p else None, leads)


def load_member(ctx, row: dict) -> str:
    """One ``[[dianti.members]]`` row (as a ``county dianti member import`` row) →
    ``added``/``changed``/``unchanged``. Also loads the person (roles gain ``skilled_member``)."""
    before = _member_state(ctx, row["id"])
    cells = {k: v for k, v in row.items() if v is not None}
    for key in ("party_member", "active", "leader"):
        if isinstance(cells.get(key), bool):
            cells[key] = "yes" if cells[key] else "no"
    service.save_member(ctx, cells, where=f"member {row['id']}", group_name_from="group_name")
    return row_change(before, _member_state(ctx, row["id"]))


def load_centre(ctx, row: dict) -> str:
    """One ``[[dianti.centres]]`` row (unit, centre, person, role) → ``added``/``changed``/``unchanged``."""
    rid = f"{row['unit']}:{row['centre']}:{row['person']}"
    before = tables.centre_member_row(ctx, rid)
    service.save_centre_member(ctx, row["unit"], row["centre"], row["person"], row["role"])
    return row_change(before, tables.centre_member_row(ctx, rid))


def load_rota(ctx, row: dict) -> str:
    """One ``[[dianti.rota]]`` row (unit, weekday, person) → ``added``/``changed``/``unchanged``."""
    wd = parse_weekday(row["weekday"])

    def person():
        return tables.on_duty(ctx, row["unit"], wd)

    before = person()
    service.set_rota(ctx, row["unit"], wd, row["person"])
    return row_change(before, person())


def deployment_tables() -> list[DeploymentTable]:
    """dianti's four tables, in load order (groups before the members placed in them; the
    centres and the rota after the people they name)."""
    return [
        DeploymentTable("groups", "服务小组: a service group of a village's 能人服务中心 (L79; village-defined "
                        "groups such as 畜牧技术服务小组, L97)", [
                            Column("unit", required=True, unit=True, description="the village (村) or community"),
                            Column("code", required=True, description=f"group code: {', '.join(STANDARD_GROUPS)} "
                                   "or the village's own"),
                            Column("name", description="Chinese name; needed for a code that is not standard"),
                            Column("skills", list, description="skill keywords the group covers (畜牧, 生猪)"),
                        ], load_group, key=("unit", "code")),
        DeploymentTable("members", "能人档案: one skilled person of the register, placed in a service group "
                        "(L79); also a person of the county", [
                            Column("id", required=True, description="person id (also the kernel person)"),
                            Column("name", required=True, description="姓名"),
                            Column("unit", required=True, unit=True, description="the member's village"),
                            Column("group", required=True, description="service group code (created when new)"),
                            Column("group_name", description="Chinese name of a new group that is not standard"),
                            Column("skills", list, description="the member's skills (生猪养殖, 兽医)"),
                            Column("party_member", bool, description="党员? (default: false, or as stored)"),
                            Column("cultivation", description="三个培养 track: activist (non-party), capable or "
                                   "reserve_cadre (party members); empty: none",
                                   choices=("", *CULTIVATIONS)),
                            Column("cultivation_status", description="in_training by default",
                                   choices=tuple(CULTIVATION_STATUSES)),
                            Column("phone", description="mobile number (masked on every output)"),
                            Column("leader", bool, description="true: the member leads the group (a party member, L79)"),
                            Column("active", bool, description="takes services (default: true, or as stored)"),
                        ], load_member, key=("id",)),
        DeploymentTable("centres", "a member of the coordination (服务协调中心, L81) or supervision (服务监督中心: "
                        "村监事会成员 and 知名人士, L83) centre of a village", [
                            Column("unit", required=True, unit=True, description="the village"),
                            Column("centre", required=True, description="coordination or supervision",
                                   choices=("coordination", "supervision")),
                            Column("person", required=True, description="person id ([[people]] or a member)"),
                            Column("role", default="member", description="leader or member",
                                   choices=("leader", "member")),
                        ], load_centre, key=("unit", "centre", "person")),
        DeploymentTable("rota", "坐班: the village cadre at the coordination centre's window on a weekday (L81)", [
                            Column("unit", required=True, unit=True, description="the village"),
                            Column("weekday", required=True, description=WEEKDAY_HELP),
                            Column("person", required=True, description="person id of a cadre of that village "
                                   "(role village_cadre or village_party_secretary)"),
                        ], load_rota, key=("unit", "weekday")),
    ]
