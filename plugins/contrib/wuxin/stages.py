"""Intake, triage, assignment and deadline of wuxin (docs/hooks.md §4).

The chain follows the slogan 身边事不出格、小事不出社区、大事不出街道、矛盾不上交 (L420) over the
four-level structure (四级管理, L418): ``grid`` (网格党支部, with the building's 两长四员) →
``community`` (社区党支部) → ``subdistrict`` (街道党工委), where it stops — nothing is passed further
up. The casebook gives no time limit (methods.md §5): each tier's is a setting, counted only
through ``ctx.calendar`` (calendar days end 23:59:59 local; working days follow China's calendar
with 调休).
"""

from __future__ import annotations

from framework import (
    Assignment,
    CountyError,
    Deadline,
    IntakeResult,
    Milestone,
    TriageResult,
    structure_extra,
)

from . import service
from .rules import BUILDING_ROLES, METHOD, SCOPES, START_TIER, TIER_ZH


def intake(ctx, case, fields):
    """Fields (``rules.WuxinExtra``): ``scope`` (nearby 身边事 / small 小事 / big 大事 / dispute 矛盾,
    L420) and ``file`` (a left-behind file of the same community, L432). The unit taking the case in
    is a building or grid (starting tier ``grid``), a community (``community``) or a subdistrict
    (``subdistrict``). Returns an ``IntakeResult``. CountyError naming ``--unit`` or ``--set KEY``."""
    unit = ctx.unit(case.unit)
    start = START_TIER.get(unit.level)
    if start is None or (start != "subdistrict" and service.community_of(ctx, case.unit) is None):
        raise CountyError(f"--unit {case.unit}: a {METHOD} case is taken in by a building, grid or community "
                          f"(四级管理, L418) or a subdistrict, not by {unit.name} ({unit.level})")
    extra = structure_extra(ctx.method, fields)
    scope = extra.get("scope")
    if scope is not None and scope not in SCOPES:
        raise CountyError(f"--set scope={scope}: one of {', '.join(SCOPES)} (身边事、小事、大事、矛盾, L420)")
    if extra.get("file") is not None:
        row = service.file(ctx, extra["file"])
        home = service.community_of(ctx, row["unit"])
        if start != "subdistrict" and home.code != service.community_of(ctx, case.unit).code:
            raise CountyError(f"--set file={row['id']}: that file lives in {home.name}, not where this case is "
                              f"taken in")
    return IntakeResult(extra=extra, level=start)


def triage(ctx, case):
    """The scope (L420) when not given: ``dispute`` for the categories dispute and petition
    (矛盾不上交), else by the starting tier (grid → nearby, community → small, subdistrict → big).
    Records ``extra.target_tier``, the tier the slogan says the case must be closed within. A case
    about a left-behind child or elder (category ``left_behind`` or ``--set file``; L432's target
    groups) gets priority ``high`` (the plugin's choice: the source ranks nothing). Returns a
    ``TriageResult``."""
    scope = case.extra.get("scope")
    if scope is None:
        if case.category in ("dispute", "petition"):
            scope = "dispute"
        else:
            scope = {"grid": "nearby", "community": "small", "subdistrict": "big"}.get(case.level, "small")
    label, target = SCOPES[scope]
    high = case.category == "left_behind" or case.extra.get("file") is not None
    return TriageResult(extra={"scope": scope, "target_tier": target}, priority="high" if high else None,
                        note=f"{label}：不出{TIER_ZH[target]}（L420）" + ("；留守对象优先" if high else ""))


def officer_role(ctx, category: str | None) -> str:
    """The building officer's role for ``category`` (setting ``officer_by_category``; default
    the building head). CountyError naming the setting when it maps to a role not of 两长四员."""
    table = ctx.settings["officer_by_category"]
    if not isinstance(table, dict):
        raise CountyError(f"[plugins.{METHOD}] officer_by_category: a table category = role")
    role = table.get(category or "", "building_head")
    if role not in BUILDING_ROLES:
        raise CountyError(f"[plugins.{METHOD}] officer_by_category.{category} = {role!r}: one of "
                          f"{', '.join(BUILDING_ROLES)} (两长四员, L418)")
    return role


def _one(ctx, unit: str, role: str):
    people = ctx.people.find(unit=unit, role=role)
    return people[0].id if len(people) == 1 else None


def assignment(ctx, case, level):
    """Tier ``grid``: the grid (from a building: its grid), its one ``grid_branch_secretary`` (网格
    党支部, L418) else its one ``grid_head`` (网格长, L443); a case taken in at a building is handled
    jointly (会办) by that building and its one officer of the category's role (两长四员, L418).
    Tier ``community``: the community and its one ``community_branch_secretary``. Tier
    ``subdistrict``: the subdistrict above and its one ``subdistrict_cadre``. None or several
    holders: no handler (the operator assigns). Returns an ``Assignment``."""
    if level == "grid":
        grid = ctx.ancestor(case.origin_unit or case.unit, "grid", strict=True)
        if grid is None:
            return None
        handler = _one(ctx, grid.code, "grid_branch_secretary") or _one(ctx, grid.code, "grid_head")
        origin = ctx.units[case.origin_unit or case.unit]
        if origin.level == "building":
            return Assignment(unit=grid.code, handler=handler, joint_unit=origin.code,
                              joint_handler=_one(ctx, origin.code, officer_role(ctx, case.category)))
        return Assignment(unit=grid.code, handler=handler)
    if level == "community":
        unit = service.community_of(ctx, case.origin_unit or case.unit)
        role = "community_branch_secretary"
    else:
        unit = ctx.ancestor(case.origin_unit or case.unit, "township", strict=True)
        role = "subdistrict_cadre"
    if unit is None:
        return None
    return Assignment(unit=unit.code, handler=_one(ctx, unit.code, role))


def limit(ctx, arrived_at, tier: str):
    """The due instant of ``tier`` for a case arriving at ``arrived_at``: ``<tier>_days`` counted
    as ``<tier>_day_kind`` says (calendar: 23:59:59 local on the Nth day after; working: on the
    Nth working day after, China's calendar with 调休)."""
    s = ctx.settings
    unit = "working_days" if s[f"{tier}_day_kind"] == "working" else "calendar_days"
    return ctx.calendar.due(arrived_at, s[f"{tier}_days"], unit)


def deadline(ctx, case, level, arrived_at):
    """``grid``: ``grid_days`` (3 calendar days) then up to the community; ``community``:
    ``community_days`` (5 working days) then up to the subdistrict; ``subdistrict``:
    ``subdistrict_days`` (10 working days) then flagged (督办) — 矛盾不上交 (L420): the chain ends
    there. One primary milestone ``close``. Returns a ``Deadline``."""
    if level not in TIER_ZH:
        return None
    due = limit(ctx, arrived_at, level)
    if level == "subdistrict":
        return Deadline([Milestone("close", due, action="flag", primary=True, note="大事不出街道、矛盾不上交")])
    nxt = {"grid": "community", "community": "subdistrict"}[level]
    note = {"grid": "身边事不出格", "community": "小事不出社区"}[level]
    return Deadline([Milestone("close", due, action="escalate", to_level=nxt, primary=True, note=note)])
