"""zerentian's bound stages (docs/hooks.md §4): intake (the village/community terminal or a PDA,
L316), triage (the platform sorts and classifies, L316), assignment (the platform's terminals
with the field's party branch beside the workstation, L314, L316) and deadline (each level's
time, then 层层上报; the centre and the department are flagged). Casebook L312–L316.
"""

from __future__ import annotations

import datetime as dt

from framework import Assignment, CountyError, Deadline, IntakeResult, Milestone, TriageResult, structure_extra

from .rules import KEYWORDS, NAME, ROLE_OF_TIER, TIER_ZH, WORKSTATION_LEVELS


def workstation_of(ctx, code: str) -> str | None:
    """The village or community (村（社区）工作站, L316) at or above unit ``code``, else None."""
    for c in ctx.ancestors(code):
        if ctx.units[c].level in WORKSTATION_LEVELS:
            return c
    return None


def field_row(ctx, field_id: str) -> dict | None:
    """The ``zerentian_fields`` row of ``field_id``, else None."""
    rows = ctx.db.query("select * from zerentian_fields where id = ?", [field_id])
    return rows[0] if rows else None


def one_person(ctx, unit: str | None, role: str) -> str | None:
    """The id of the one person of ``unit`` holding ``role``; None when there are none or several
    (the operator assigns with ``county case assign``)."""
    if unit is None:
        return None
    people = ctx.people.find(unit=unit, role=role)
    return people[0].id if len(people) == 1 else None


# -- intake ---------------------------------------------------------------------------------
def intake(ctx, case, fields: dict) -> IntakeResult:
    """A request is registered at the terminal of the requester's village or community (L316):
    ``case.unit`` is a village or community, or a unit below one (a group, grid, hamlet).

    Fields (rules.ZerentianExtra): ``field`` (a responsibility field of that village or
    community, L314), ``officer`` (the 民情信息员, a person with role ``opinion_info_officer``;
    required for channel ``pda``, L316), ``hamlet``, ``household``. Starting tier: the setting
    ``start_tier`` (``workstation``; ``district_centre`` when every request goes straight up).
    Returns IntakeResult(extra, level). CountyError (exit 2) names ``--unit`` or ``--set KEY``."""
    extra = structure_extra(ctx.method, fields)
    station = workstation_of(ctx, case.unit)
    if station is None:
        raise CountyError(f"--unit {case.unit}: a {NAME} request is registered at the terminal of a village or "
                          f"community (L316), not at {ctx.unit(case.unit).name} ({ctx.unit(case.unit).level})")
    if extra.get("field"):
        row = field_row(ctx, extra["field"])
        if row is None:
            raise CountyError(f"--set field={extra['field']}: no such responsibility field "
                              f"(county zerentian field add)")
        if row["unit"] != station:
            raise CountyError(f"--set field={extra['field']}: the field belongs to {ctx.unit(row['unit']).name}, "
                              f"not to {ctx.unit(station).name}")
    officer = extra.get("officer")
    if officer:
        person = ctx.people.get(officer)
        if person is None or "opinion_info_officer" not in person.roles:
            raise CountyError(f"--set officer={officer}: not a person with role opinion_info_officer (民情信息员)")
    elif case.channel == "pda":
        raise CountyError("--set officer: a PDA report names its 民情信息员 (L316)")
    extra["workstation"] = station
    return IntakeResult(extra=extra, level=ctx.settings["start_tier"])


# -- triage ---------------------------------------------------------------------------------
def keywords(ctx) -> dict[str, list[str]]:
    """The triage keywords: the setting ``keywords`` when given (checked: each key a declared
    category, each value a list of text), else rules.KEYWORDS. CountyError names the setting."""
    given = ctx.settings["keywords"]
    if not given:
        return KEYWORDS
    for cat, words in given.items():
        if cat not in ctx.method.categories:
            raise CountyError(f"[plugins.{NAME}] keywords: {cat!r} is not a category "
                              f"({', '.join(ctx.method.categories)})")
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise CountyError(f"[plugins.{NAME}] keywords.{cat}: a list of words")
    return given


def triage(ctx, case) -> TriageResult | None:
    """The platform sorts and classifies the request (梳理、分类, L316): without ``--category``,
    the first category (in declaration order) one of whose keywords is in the title or the
    description, else ``other``. Returns TriageResult(category, note), or None when the
    operator gave a category."""
    if case.category:
        return None
    text = (case.title or "") + (case.description or "")
    words = keywords(ctx)
    for cat in ctx.method.categories:
        hit = next((w for w in words.get(cat, ()) if w in text), None)
        if hit:
            return TriageResult(category=cat, note=f"平台分类：{ctx.method.categories[cat]}（“{hit}”）")
    return TriageResult(category="other", note="平台分类：其他")


# -- assignment -----------------------------------------------------------------------------
def assignment(ctx, case, level: str) -> Assignment | None:
    """The terminal of tier ``level`` (L316) and its one person of rules.ROLE_OF_TIER:

    * ``workstation``: the village or community; beside it (会办, §12.4) the field's party
      branch secretary when the request names a field (责任田党支部, L314);
    * ``subcentre``: the township (镇/街) above it; ``district_centre``: the root of the tree
      (the district, 区民事办理中心);
    * ``department``: the department the centre transferred it to (``case.unit``, set by
      ``county zerentian transfer``).

    Returns an Assignment; None (the kernel keeps the case) when no unit serves the tier."""
    role = ROLE_OF_TIER[level]
    if level == "workstation":
        unit = case.extra.get("workstation") or workstation_of(ctx, case.unit)
        row = field_row(ctx, case.extra["field"]) if case.extra.get("field") else None
        secretary = row["secretary"] if row and row["secretary"] in ctx.people else None
        return Assignment(unit=unit, handler=one_person(ctx, unit, role), joint_handler=secretary,
                          note=f"责任田{row['name']}党支部会办" if secretary else None)
    if level == "subcentre":
        unit = ctx.ancestor(case.unit, "township", strict=True)
    elif level == "district_centre":
        unit = ctx.unit(list(ctx.ancestors(case.unit))[-1])
    else:
        unit = ctx.unit(case.unit) if ctx.unit(case.unit).level == "department" else None
    if unit is None:
        return None
    return Assignment(unit=unit.code, handler=one_person(ctx, unit.code, role),
                      note=f"{TIER_ZH[level]}：{unit.name}")


# -- deadline -------------------------------------------------------------------------------
def due(ctx, arrived_at: dt.datetime, days: int) -> dt.datetime:
    """``days`` days after ``arrived_at`` (aware), ending 23:59:59 local, as ``day_kind`` says:
    ``working`` (工作日, China's calendar with 调休) or ``calendar`` (天)."""
    if ctx.settings["day_kind"] == "working":
        return ctx.calendar.working_days(arrived_at, days)
    return ctx.calendar.calendar_days(arrived_at, days)


def deadline(ctx, case, level: str, arrived_at: dt.datetime) -> Deadline | None:
    """Each level's limit (settings; the casebook gives none, L316 says only 实时), counted from
    the arrival at the level through ``ctx.calendar``:

    * ``workstation``: ``workstation_days`` (3) → missed: reported up to the sub-centre (层层上报);
    * ``subcentre``: ``subcentre_days`` (3) → missed: up to the district centre;
    * ``district_centre``: ``centre_days`` (2) to sort and transfer (梳理、分类、汇总、交转) →
      missed: flagged 督办 (the centre picks the department; nothing goes there by itself);
    * ``department``: ``department_days`` (10) to solve → missed: flagged 督办.

    Returns a Deadline with one primary milestone; ``extra.platform_due_at`` is its instant."""
    days = {"workstation": "workstation_days", "subcentre": "subcentre_days", "district_centre": "centre_days",
            "department": "department_days"}[level]
    at = due(ctx, arrived_at, ctx.settings[days])
    unit = "个工作日" if ctx.settings["day_kind"] == "working" else "天"
    if level in ("workstation", "subcentre"):
        ms = Milestone("solve", at, action="escalate", primary=True,
                       note=f"{TIER_ZH[level]}{ctx.settings[days]}{unit}内办结，否则层层上报")
    elif level == "district_centre":
        ms = Milestone("transfer", at, action="flag", primary=True,
                       note=f"区民事办理中心{ctx.settings[days]}{unit}内梳理、分类并交转职能部门")
    else:
        ms = Milestone("solve", at, action="flag", primary=True,
                       note=f"职能部门{ctx.settings[days]}{unit}内办结")
    return Deadline([ms], extra={"platform_due_at": at})
