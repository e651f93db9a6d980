"""The three-node agent network (L225: "乡代办中心+村代办室+组代办员"), checked: every villager
group has an agent, every village an agency-room agent, and every township centre exactly one
director and 3–4 staff agents (both ways). Used by ``county daiban coverage`` and the
``daiban_group_coverage`` metric. Reads only ``ctx.units`` and ``ctx.people``.
"""

from __future__ import annotations

from framework import MethodContext
from plugins.daiban.rules import DIRECTOR_ROLE, is_agent


def _centre_findings(ctx: MethodContext, directors: list[str], staff: list[str]) -> dict:
    """``{"ok", "findings"}`` of a township centre against L225 (1 leader as director, 3–4
    staff agents), both ways: none or several directors, fewer than 3 or more than 4 staff."""
    findings = []
    if not directors:
        findings.append({"code": "no_director", "message": "未设乡代办中心主任（应由1名乡镇党政领导担任）"})
    elif len(directors) > 1:
        names = "、".join(f"{ctx.people[d].name}（{d}）" for d in directors)
        findings.append({"code": "several_directors",
                         "message": f"乡代办中心主任{len(directors)}名（{names}），应为1名"})
    if len(staff) < 3:
        findings.append({"code": "too_few_agents",
                         "message": f"代办员{len(staff)}名，少于3名（应抽调3—4名乡镇工作人员）"})
    elif len(staff) > 4:
        findings.append({"code": "too_many_agents",
                         "message": f"代办员{len(staff)}名，多于4名（应抽调3—4名乡镇工作人员）"})
    return {"ok": not findings, "findings": findings}


def coverage(ctx: MethodContext, unit: str | None = None) -> dict:
    """The three-node network (L225) of ``unit``'s subtree (default: the deployment): every
    villager group needs at least 1 agent (组代办员); every village an agency room with an agent;
    every township a centre with exactly one director (role ``centre_director``: 安排1名乡镇党政
    领导担任主任) and 3–4 staff agents (role ``agent`` at the township, the director not counted:
    抽调3—4名乡镇工作人员担任代办员), checked both ways. Returns ``{"groups", "groups_covered",
    "uncovered_groups": [group dicts], "villages", "villages_without_office_agent": [...],
    "townships": [{code, name, director (ids), agents (ids), ok, findings}]}``; each finding is
    ``{"code", "message"}`` with codes ``no_director``, ``several_directors``,
    ``too_few_agents``, ``too_many_agents`` and the message in Chinese. NotFound for an unknown
    unit."""
    codes = set(ctx.subtree(ctx.unit(unit).code)) if unit else set(ctx.units)
    people = list(ctx.people.values())
    agents_by_unit: dict[str, list[str]] = {}  # each unit's agents, people read once
    for p in people:
        if is_agent(p):
            agents_by_unit.setdefault(p.unit, []).append(p.id)

    def agents_at(code):
        return sorted(agents_by_unit.get(code, ()))

    def path(code):
        v = ctx.ancestor(code, "village")
        t = ctx.ancestor(code, "township")
        return {"village": v.code if v else None, "village_name": v.name if v else None,
                "township": t.code if t else None, "township_name": t.name if t else None}

    groups, villages, townships = [], [], []
    for u in sorted(ctx.units.values(), key=lambda u: u.code):
        if u.code not in codes:
            continue
        if u.level == "group":
            groups.append({"code": u.code, "name": u.name, **path(u.code), "agents": agents_at(u.code)})
        elif u.level == "village":
            villages.append({"code": u.code, "name": u.name, "agents": agents_at(u.code)})
        elif u.level == "township":
            directors = sorted(p.id for p in people if p.unit == u.code and DIRECTOR_ROLE in p.roles)
            staff = [a for a in agents_at(u.code) if a not in directors]
            townships.append({"code": u.code, "name": u.name, "director": directors, "agents": staff,
                              **_centre_findings(ctx, directors, staff)})
    uncovered = [g for g in groups if not g["agents"]]
    return {
        "groups": len(groups), "groups_covered": len(groups) - len(uncovered),
        "uncovered_groups": uncovered,
        "villages": len(villages), "villages_without_office_agent": [v for v in villages if not v["agents"]],
        "townships": townships,
    }


def group_coverage(ctx: MethodContext, unit: str | None = None) -> tuple[int, int]:
    """``(groups, groups_covered)`` of :func:`coverage` alone (the ``daiban_group_coverage``
    metric): the villager groups (level ``group``) of ``unit``'s subtree (default: the
    deployment) and how many have at least one agent (L225: 组代办员). NotFound for an unknown
    unit."""
    codes = set(ctx.subtree(ctx.unit(unit).code)) if unit else None
    with_agent = {p.unit for p in ctx.people.values() if is_agent(p)}
    groups = [u.code for u in ctx.units.values() if u.level == "group" and (codes is None or u.code in codes)]
    return len(groups), sum(code in with_agent for code in groups)
