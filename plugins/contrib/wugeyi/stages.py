"""The four bound stages of wugeyi: intake, triage, assignment, deadline (docs/hooks.md §4).

Every rule names its casebook line (the Chinese original, L116–128). Due instants come from
``ctx.calendar`` only: calendar days end 23:59:59 local on the Nth day after the local day of
arrival; working days follow China's statutory calendar with its make-up days (调休).
"""

from __future__ import annotations

import datetime as dt

from framework import Assignment, CountyError, Deadline, IntakeResult, Milestone, NotFound, TriageResult, structure_extra

from . import profiles
from .rules import (
    LEAD_ROLE, MATTERS, NAME, ROLES, SEGMENTS, START_TIER, TIER_ZH, TIERS, choice, code_list,
)


def _related(ctx, a: str, b: str) -> bool:
    """Whether unit ``a`` lies in ``b``'s subtree or ``b`` in ``a``'s."""
    return a in ctx.subtree(b) or b in ctx.subtree(a)


def intake(ctx, case, fields):
    """受理 (L122, L126, L128). ``fields`` (``--set``): ``receiver`` (首问受理人, a person id;
    required: whoever first receives a matter answers for it to the end, L126), ``household``
    (its page in the opinion database, L124: a household of the unit's village or below the
    unit), ``matter`` (a matter type, L122), ``department`` (a unit of level department: its
    chief representative at the county centre, L122), ``talk`` (the monthly talk it was raised at,
    L126), ``on_the_spot`` (能当场解决的当场解决, L126: settled at intake, no deadline).

    The starting tier follows the level of the unit taking it in (L122): a village or one of
    its groups → ``village_station``, a township → ``township_centre``, the county or a
    department → ``county_centre``. Returns an ``IntakeResult``. ``CountyError`` naming
    ``--unit`` or the ``--set`` key at fault; nothing is stored then."""
    unit = ctx.unit(case.unit)
    if unit.level not in START_TIER:
        raise CountyError(f"--unit {case.unit}: {unit.name} is a {unit.level}; a {NAME} matter is taken in by a "
                          f"village (or its group), a township or the county (L122: 县、乡镇、村三级)")
    extra = structure_extra(ctx.method, fields)
    receiver = extra.get("receiver")
    if not receiver:
        raise CountyError(f"--set receiver: a {NAME} matter needs its first receiver (首问受理人, L126), a person id")
    try:
        ctx.person(receiver)
    except NotFound:
        raise CountyError(f"--set receiver={receiver}: no such person (see `county people list`)") from None
    if extra.get("household"):
        hh = profiles.household(ctx, extra["household"])
        if hh is None:
            raise CountyError(f"--set household={extra['household']}: no such household page "
                              f"(see `county {NAME} household list`)")
        if not _related(ctx, hh["unit"], case.unit):
            raise CountyError(f"--set household={extra['household']}: the household is in "
                              f"{ctx.units[hh['unit']].name}, outside {unit.name}")
    extra["matter"] = choice(extra.get("matter"), MATTERS, "--set matter")
    if extra.get("department"):
        dep = ctx.units.get(extra["department"])
        if dep is None or dep.level != "department":
            raise CountyError(f"--set department={extra['department']}: not a unit of level department")
    if extra.get("talk") is not None:
        talk = profiles.talk(ctx, extra["talk"])
        if talk is None:
            raise CountyError(f"--set talk={extra['talk']}: no such monthly talk (see `county {NAME} talk list`)")
        if not _related(ctx, talk["unit"], case.unit):
            raise CountyError(f"--set talk={extra['talk']}: that talk was held at {ctx.units[talk['unit']].name}, "
                              f"outside {unit.name}")
    settled = bool(extra.get("on_the_spot"))
    return IntakeResult(extra={k: v for k, v in extra.items() if v is not None}, level=START_TIER[unit.level],
                        settled=settled, note="当场解决（能当场解决的当场解决, L126）" if settled else None)


def triage(ctx, case):
    """分类 (L122, L124, L126). The household's segment (一般村民 / 致富能手 / 贫困户 / 信访户,
    L124) goes into ``extra.segment``; a segment of the setting ``priority_segments`` (poor,
    petitioner) makes the matter priority ``high`` (分类管理和服务: the treatment is this
    plugin's choice). A matter type of ``county_matters`` starts at ``county_centre`` (分流承办,
    L126; the county departments' approvals, L122); one of ``township_matters`` taken in at a
    village is a proxy errand (代办, L122: ``extra.proxy`` true), carried to the township centre
    by the village's proxy agent. Returns a ``TriageResult``, or None when
    nothing changes. ``CountyError`` naming a malformed setting."""
    notes, out = [], {}
    priority = level = None
    hh = profiles.household(ctx, case.extra["household"]) if case.extra.get("household") else None
    if hh and hh["segment"]:
        out["segment"] = hh["segment"]
        if hh["segment"] in code_list(ctx.settings, "priority_segments", SEGMENTS):
            priority = "high"
            notes.append(f"分类服务：{SEGMENTS[hh['segment']]}")
    matter = case.extra.get("matter")
    if matter and matter in code_list(ctx.settings, "county_matters", MATTERS) and case.level != "county_centre":
        level = "county_centre"
        notes.append(f"分流承办：{MATTERS[matter]}属县级审批，转县政务服务中心")
    elif (matter and case.level == "village_station"
          and matter in code_list(ctx.settings, "township_matters", MATTERS)):
        out["proxy"] = True
        notes.append(f"代办：{MATTERS[matter]}由代办员到乡镇便民服务中心办理")
    if not (out or priority or level):
        return None
    return TriageResult(priority=priority, level=level, note="；".join(notes) or None, extra=out)


def tier_unit(ctx, case, level: str):
    """The unit serving tier ``level`` for ``case``: the village (station), the township
    (centre), or at the county centre the department named by ``--set department``, else the
    county. None when the deployment has no such unit."""
    if level == "county_centre" and case.extra.get("department"):
        return ctx.unit(case.extra["department"])
    return ctx.ancestor(case.unit, ctx.method.tier(level).level)


def assignment(ctx, case, level):
    """交办 (L122, L126). At tier ``level`` the tier's unit (village station, township centre,
    county centre or the named department) and its lead:

    * the first receiver (首问受理人) when they belong to that unit: they close it themselves
      (第一时间办结, L126);
    * else the unit's one person of the tier's lead role — the proxy agent (代办员), the centre
      staff (领办), the chief representative (首席代表) (L122) — with the first receiver as
      **joint handler** (会办): they stay answerable to the end (负责到底, L126), also after
      every escalation;
    * else (none or several of that role) the first receiver keeps it alone.

    Returns an ``Assignment``, or None for a tier outside the chain."""
    tier = ctx.method.tier(level)
    if tier is None:
        return None
    unit = tier_unit(ctx, case, level)
    if unit is None:
        return None
    receiver = case.extra.get("receiver")
    rp = ctx.people.get(receiver) if receiver else None
    if rp is not None and rp.unit == unit.code:
        return Assignment(unit=unit.code, handler=rp.id, note=f"首问受理人{rp.name}在{TIER_ZH[level]}承办")
    leads = ctx.people.find(unit=unit.code, role=LEAD_ROLE[level])
    if len(leads) == 1 and (rp is None or leads[0].id != rp.id):
        role = ROLES[LEAD_ROLE[level]].split("（")[0]
        return Assignment(unit=unit.code, handler=leads[0].id, joint_handler=rp.id if rp else None,
                          note=f"{role}{leads[0].name}承办" + (f"，首问受理人{rp.name}负责到底" if rp else ""))
    return Assignment(unit=unit.code, handler=rp.id if rp else None,
                      note=f"{unit.name}无唯一{ROLES[LEAD_ROLE[level]].split('（')[0]}，首问受理人继续承办")


def due(ctx, arrived_at: dt.datetime, days: int, kind: str) -> dt.datetime:
    """``days`` days after ``arrived_at`` (aware), 23:59:59 local, counted as ``kind`` says:
    ``calendar`` (天) or ``working`` (工作日, China's calendar with 调休). ``CountyError`` for
    another kind."""
    if kind == "calendar":
        return ctx.calendar.calendar_days(arrived_at, days)
    if kind == "working":
        return ctx.calendar.working_days(arrived_at, days)
    raise CountyError(f"[plugins.{NAME}] day kind {kind!r}: use 'calendar' or 'working'")


def deadline(ctx, case, level, arrived_at):
    """限时办结 (L122: 限时办结 at the county and township centres; no number in the source).
    One primary milestone ``close`` per tier, from ``arrived_at``:

    * ``village_station``: ``village_days`` (3) ``village_day_kind`` (calendar) days, then
      ``village_miss`` (escalate to the township centre, which takes the lead, 领办);
    * ``township_centre``: ``township_days`` (5) ``centre_day_kind`` (working) days, then
      ``township_miss`` (flag, 督办 / 责任追究);
    * ``county_centre``: ``county_days`` (10) ``centre_day_kind`` days, then flagged.

    Every number is this plugin's default (a setting). Returns a ``Deadline``, or None for a
    tier outside the chain."""
    s = ctx.settings
    if level == "village_station":
        at = due(ctx, arrived_at, s["village_days"], s["village_day_kind"])
        action = s["village_miss"]
    elif level == "township_centre":
        at = due(ctx, arrived_at, s["township_days"], s["centre_day_kind"])
        action = s["township_miss"]
    elif level == "county_centre":
        at = due(ctx, arrived_at, s["county_days"], s["centre_day_kind"])
        action = "flag"
    else:
        return None
    nxt = ctx.method.next_tier(level)
    to_level = nxt.name if action == "escalate" and nxt else None
    return Deadline([Milestone("close", at, action=action if to_level or action == "flag" else "flag",
                               to_level=to_level, primary=True, note=f"{TIER_ZH[level]}限时办结")])


__all__ = ["intake", "triage", "assignment", "deadline", "due", "tier_unit", "TIERS"]
