"""jieti's bound stages: intake (the matter's scope), triage (the ladder's starting tier),
assignment (the zone leader with the servant / paired department) and deadline (each tier's
time, then the ladder climbs). Casebook L298, L306.
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

from . import zones
from .rules import (
    NAME,
    SCOPE_ALIASES,
    SCOPE_TIER,
    SCOPES,
    TIER_NAMES,
    TIER_ZH,
    TIER_ZONE,
    TIERS,
    village_levels,
)

DAY_UNITS = {"calendar_days": "天", "working_days": "个工作日"}


# -- the unit tree --------------------------------------------------------------------------
def level_ancestor(ctx, code: str, levels) -> str | None:
    """The nearest unit at one of ``levels`` from ``code`` up (itself included), or None —
    never a unit elsewhere in the tree (``ctx.ancestor`` falls back to the only unit of a level)."""
    for c in ctx.ancestors(code):
        if ctx.units[c].level in levels:
            return c
    return None


def common_unit(ctx, codes: list[str]) -> str:
    """The lowest unit whose subtree holds every code (their lowest common ancestor); the first
    root when they share none."""
    paths = [list(reversed(list(ctx.ancestors(c)))) for c in codes]
    common = None
    for step in zip(*paths):
        if len(set(step)) != 1:
            break
        common = step[0]
    return common or ctx.roots()[0].code


def tier_levels(ctx, tier: str) -> tuple[str, ...]:
    """Unit levels that serve ``tier`` (the village tier: setting ``village_levels``)."""
    if tier in ("household", "group"):
        return ("group",)
    if tier == "village":
        return village_levels(ctx)
    if tier == "township":
        return ("township",)
    return ("county",)


def scope_kind_of_level(ctx, level: str, households: int | None, household: str | None) -> str:
    """The scope a unit of ``level`` covers: a group → household (one household named or
    counted) or group; a village/community → village; a township → township; else county."""
    if level == "group":
        return "household" if households == 1 or household else "group"
    if level in village_levels(ctx):
        return "village"
    if level == "township":
        return "township"
    return "county"


# -- intake ---------------------------------------------------------------------------------
def normalise_scope(value) -> str:
    """``--set scope`` as a code (Chinese words accepted); CountyError naming the choices."""
    v = str(value).strip()
    v = SCOPE_ALIASES.get(v, v)
    if v not in SCOPES:
        raise CountyError(f"--set scope: {value!r} is not a scope; use one of {', '.join(SCOPES)} "
                          f"(or 农户/组/村/乡/县) (L306)")
    return v


def split_units(ctx, text) -> list[str]:
    """``--set affected=a;b,c`` as a list of known unit codes; CountyError naming an unknown one."""
    items = text if isinstance(text, list) else str(text).replace(",", ";").replace("，", ";").split(";")
    codes = [c.strip() for c in items if c and c.strip()]
    for c in codes:
        if c not in ctx.units:
            raise CountyError(f"--set affected: unknown unit {c!r}")
    if not codes:
        raise CountyError("--set affected: name at least one unit code")
    return codes


def intake(ctx, case, fields: dict) -> IntakeResult:
    """Validate jieti's fields (rules.JietiExtra) and record the matter's scope (L306).

    ``scope`` (household/group/village/township/county, or 农户/组/村/乡/县), ``affected`` (unit
    codes), ``households`` (≥ 1), ``group`` (a unit of level ``group`` at or under the intake
    unit's village), ``household`` (a name), ``servant`` (a person id). A household or group
    matter needs its villager group — the intake unit, ``group``, or ``affected`` inside one
    group — since the group's zone leader handles it (L306). Returns IntakeResult(extra);
    CountyError (exit 2) names the bad key; nothing is stored."""
    extra = structure_extra(ctx.method, fields)
    if extra.get("scope") is not None:
        extra["scope"] = normalise_scope(extra["scope"])
    if extra.get("affected") is not None:
        extra["affected"] = split_units(ctx, extra["affected"])
    if extra.get("households") is not None and extra["households"] < 1:
        raise CountyError(f"--set households: {extra['households']} — a matter is raised by at least 1 household")
    if extra.get("group") is not None:
        g = extra["group"]
        if g not in ctx.units or ctx.units[g].level != "group":
            raise CountyError(f"--set group: {g!r} is not a villager group (a unit of level group)")
        village = level_ancestor(ctx, case.unit, tier_levels(ctx, "village")) or case.unit
        if g not in ctx.subtree(village) and case.unit not in ctx.subtree(g):
            raise CountyError(f"--set group: {g} is not a group of {ctx.units[village].name} ({village})")
    if extra.get("servant") is not None and ctx.people.get(extra["servant"]) is None:
        raise CountyError(f"--set servant: no person {extra['servant']!r}")
    if extra.get("scope") in ("household", "group"):
        base = extra.get("group") or (common_unit(ctx, extra["affected"]) if extra.get("affected") else case.unit)
        if level_ancestor(ctx, base, ("group",)) is None:
            raise CountyError(f"--set group: a {extra['scope']} matter at {ctx.units[case.unit].name} ({case.unit}) "
                              f"needs its villager group: the group zone leader handles it (L306)")
    return IntakeResult(extra=extra)


# -- triage ---------------------------------------------------------------------------------
def scope_of(ctx, case) -> tuple[str, str]:
    """``(scope kind, scope unit)`` of a case. jieti's own fields first (``scope``, then
    ``affected``'s lowest common unit); another method's case (a lent triage) by its intake
    unit alone: the lowest tier that covers the unit that raised it."""
    own = case.method == NAME
    extra = case.extra if own else {}
    households, household = extra.get("households"), extra.get("household")
    if extra.get("scope"):
        kind = extra["scope"]
        base = extra.get("group") or (common_unit(ctx, extra["affected"]) if extra.get("affected") else case.unit)
        unit = level_ancestor(ctx, base, tier_levels(ctx, SCOPE_TIER[kind])) or base
        return kind, unit
    if extra.get("affected"):
        unit = common_unit(ctx, extra["affected"])
        if ctx.units[unit].level == "group" and households is None and not household:
            return "group", unit
        return scope_kind_of_level(ctx, ctx.units[unit].level, households, household), unit
    base = extra.get("group") or case.unit
    return scope_kind_of_level(ctx, ctx.units[base].level, households, household), base


def triage(ctx, case) -> TriageResult:
    """The ladder (阶梯式解决民困, L306): the lowest tier whose scope covers the matter —
    household → ``household``, group → ``group``, village → ``village``, township →
    ``township``, county → ``county_office``. Sets ``extra.ladder_scope`` and
    ``extra.ladder_unit`` (the unit whose zone holds it) and a note. In another method's chain
    (a lent triage) a tier name it lacks keeps the chain's first tier (the kernel's rule)."""
    kind, unit = scope_of(ctx, case)
    tier = SCOPE_TIER[kind]
    note = f"阶梯式解决：{SCOPES[kind]}（{ctx.units[unit].name}），由{TIER_ZH[tier]}一级办理（L306）"
    return TriageResult(level=tier, note=note, extra={"ladder_scope": kind, "ladder_unit": unit})


# -- assignment -----------------------------------------------------------------------------
def joint(assignment: Assignment, joint_unit: str | None, joint_handler: str | None) -> Assignment:
    """Name the joint unit/person (会办, docs/hooks.md §12.4) beside the lead on ``assignment``;
    None clears the case's pair (escalation drops it unless the next tier names one again)."""
    assignment.joint_unit = joint_unit
    assignment.joint_handler = joint_handler
    return assignment


def assign(ctx, case, level) -> Assignment | None:
    """Who holds the matter at tier ``level`` (L298, L306).

    The tier's unit is the nearest unit serving it from ``extra.ladder_unit`` (else the intake
    unit) up. The handler is the zone leader (责任人) of that unit's zone of the tier's kind
    (``county jieti zone add``); at ``household`` the people's servant (``--set servant``, else
    the group's one ``people_servant``) handles it jointly; at ``village`` the zone's paired
    department (挂钩联系部门) does, as a listed case (挂牌办理, ``extra.listed``). At
    ``county_office`` the county's one ``mass_work_office`` person; ``county_leadership`` names
    no new handler (县委、政府; on the same county unit the kernel keeps the office's person). A tier not of jieti's chain (a lent assignment): None."""
    if level not in TIER_NAMES:
        return None
    base = case.extra.get("ladder_unit") or case.origin_unit
    if base not in ctx.units:
        base = case.origin_unit
    unit = level_ancestor(ctx, base, tier_levels(ctx, level))
    if unit is None:
        return Assignment(note=f"{ctx.units[base].name}之上没有{TIER_ZH[level]}一级的单位：保留原承办单位")
    uname = ctx.units[unit].name
    if level in TIER_ZONE:
        zone = zones.zone_of(ctx, TIER_ZONE[level], unit)
        handler = zone["leader"] if zone else None
        note = (f"{zone['name']}责任人{ctx.people[handler].name if handler in ctx.people else handler}" if zone else
                f"{uname}未设{zones.ZONE_KINDS[TIER_ZONE[level]]}责任人（county jieti zone add）")
        a = Assignment(unit=unit, handler=handler, note=note, extra={"zone": zone["id"] if zone else None})
        if level == "household":
            servant = case.extra.get("servant") if case.method == NAME else None
            if servant is None:
                found = ctx.people.find(unit=unit, role="people_servant")
                servant = found[0].id if len(found) == 1 else None
            a.note += f"，勤务员{ctx.people[servant].name}协调" if servant else "，未指定勤务员"
            return joint(a, None, servant)
        if level == "village":
            paired = zone["paired_unit"] if zone else None
            a.extra["listed"] = True
            a.note += f"，挂钩联系部门{ctx.units[paired].name}挂牌办理" if paired else "，挂牌办理（未设挂钩部门）"
            return joint(a, paired, None)
        return joint(a, None, None)
    if level == "county_office":
        office = ctx.people.find(unit=unit, role="mass_work_office")
        handler = office[0].id if len(office) == 1 else None
        return joint(Assignment(unit=unit, handler=handler, note="县群众工作领导小组办公室组织调研"), None, None)
    return joint(Assignment(unit=unit, note="提交县委、政府研究解决"), None, None)


# -- deadline -------------------------------------------------------------------------------
def tier_time(ctx, level: str) -> tuple[int, str]:
    """``(days, day unit)`` of a tier from the settings; CountyError naming a bad setting."""
    unit = ctx.settings["day_unit"]
    if unit not in DAY_UNITS:
        raise CountyError(f"[plugins.jieti] day_unit: {unit!r}; use calendar_days or working_days")
    days = ctx.settings[f"{level}_days"]
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise CountyError(f"[plugins.jieti] {level}_days: {days!r}; a whole number of days, at least 1")
    return days, unit


def deadline(ctx, case, level, arrived_at) -> Deadline | None:
    """Each tier's time, from ``arrived_at`` through ``ctx.calendar`` (settings ``*_days`` in
    ``day_unit``: calendar days end 23:59:59 local on the Nth day after the local arrival day;
    working days follow China's calendar with 调休). The casebook gives no day counts (L306):
    the defaults follow each tier's selection body's meeting cadence (L302).

    household / group / village / township: milestone ``settle`` (primary); missed → ``flag``
    (督办, the default: L306 routes by scope, nothing climbs by time), or escalate to the next
    tier with ``miss_action = "escalate"`` (the spec's reading).
    county_office: ``feasibility_report`` (primary, flag: 督办). county_leadership and a tier
    not of jieti's chain: None (no due instant). Sets ``extra.tier_due_at``."""
    if level not in TIER_NAMES or level == "county_leadership":
        return None
    days, unit = tier_time(ctx, level)
    due = ctx.calendar.due(arrived_at, days, unit)
    label = f"{days}{DAY_UNITS[unit]}"
    if level == "county_office":
        m = Milestone("feasibility_report", due, action="flag", primary=True,
                      note=f"{label}内形成可行性调查报告，提交县委、政府")
        return Deadline([m], extra={"tier_due_at": due})
    action = ctx.settings["miss_action"]
    if action not in ("escalate", "flag"):
        raise CountyError(f"[plugins.jieti] miss_action: {action!r}; use escalate or flag")
    nxt = TIERS[TIER_NAMES.index(level) + 1].name
    m = Milestone("settle", due, action=action, to_level=nxt if action == "escalate" else None, primary=True,
                  note=f"{label}内未解决的上一阶梯（{TIER_ZH[nxt]}）" if action == "escalate" else f"{label}内解决，逾期督办")
    return Deadline([m], extra={"tier_due_at": due})
