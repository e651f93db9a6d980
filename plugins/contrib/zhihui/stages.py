"""The four bound stages of zhihui (docs/hooks.md §4): one-stop intake at the community's hall or
in the grid, routing by house (以房管人), the grid's own workers, and the chain grid → community →
subdistrict timed by ``ctx.calendar``."""

from __future__ import annotations

from framework import (
    Assignment,
    CountyError,
    Deadline,
    IntakeResult,
    Milestone,
    NotFound,
    TriageResult,
    structure_extra,
)

from . import register, staffing
from .rules import GRID_WORKER, JOINT_OFFICER, NAME, TIER_ZH


def intake(ctx, case, fields):
    """Take a case in at a community's one-stop hall (一站式服务大厅 in the 党员会客室, L404) or in a
    grid (L406). ``--set resident=身份证号`` finds the person's grid in the population register
    (以房管人, L406); ``--set grid=CODE`` names it for someone not registered; ``--set
    on_the_spot=yes`` settles it in the hall at once (所有工作人员在大厅现场办公, L404);
    ``--set department=CODE`` names a county department for joint handling at the subdistrict.
    A case with a grid starts at tier ``grid`` (事不出格), a hall case without one at the
    community's grid management centre. Returns an ``IntakeResult`` (``extra.grid`` set).

    ``CountyError`` naming the field: a unit that is neither a community nor a grid; a resident
    not in the register, or registered in another grid than the grid taking the case in; a grid
    outside the community; a ``department`` that is not a department; a one-button-caller case
    without a registered resident who has a caller (L404)."""
    unit = ctx.unit(case.unit)
    if unit.level not in ("community", "grid"):
        raise CountyError(f"--unit {case.unit}: a {NAME} case is taken in by a community's hall or a grid, not by "
                          f"{unit.name} ({unit.level}) (L404, L406)")
    extra = structure_extra(ctx.method, fields)
    grid = extra.get("grid")
    if extra.get("resident"):
        try:
            person = register.resident(ctx, extra["resident"])
        except (NotFound, CountyError) as e:
            raise CountyError(f"--set resident: {e}") from None
        extra["resident"] = person["id_number"]
        if grid and grid != person["grid"]:
            raise CountyError(f"--set grid={grid}: the resident is registered in grid {person['grid']} (以房管人, L406)")
        grid = person["grid"]
        if case.channel == "caller" and "caller" not in person["flags"]:
            raise CountyError("--set resident: no one-button caller is registered for this resident (L404)")
    elif case.channel == "caller":
        raise CountyError("--set resident: a one-button-caller case names the registered resident (L404)")
    if unit.level == "grid":
        if grid and grid != unit.code:
            raise CountyError(f"--set grid={grid}: the case is taken in by grid {unit.code}; the resident's grid "
                              f"takes it (以房管人, L406)")
        grid = unit.code
    elif grid:
        g = ctx.units.get(grid)
        if g is None or g.level != "grid" or unit.code not in ctx.ancestors(grid):
            raise CountyError(f"--set grid={grid}: not a grid of {unit.name} ({unit.code})")
    if extra.get("department"):
        d = ctx.units.get(extra["department"])
        if d is None or d.level != "department":
            raise CountyError(f"--set department={extra['department']}: not a department unit")
    extra["grid"] = grid
    settled = bool(extra.get("on_the_spot"))
    if settled and unit.level != "community":
        raise CountyError("--set on_the_spot: settled on the spot in the community's one-stop hall (L404)")
    return IntakeResult(extra=extra, level="grid" if grid else "community", settled=settled,
                        note="一站式服务大厅现场办结" if settled else None)


def triage(ctx, case):
    """A one-button-caller case (一键式呼叫器 of an empty-nest elderly person, L404) is priority
    ``high`` — the plugin's choice, the source only says the caller exists. Returns a
    ``TriageResult`` or None."""
    if case.channel == "caller":
        return TriageResult(priority="high", note="空巢老人一键式呼叫")
    return None


def _least_loaded(ctx, people: list[str]) -> str | None:
    if not people:
        return None
    return min(people, key=lambda pid: (ctx.open_cases_of(pid), pid))


def assignment(ctx, case, level):
    """Who handles the case at tier ``level``:

    * ``grid``: the grid itself and its full-time grid worker (专职网格员, 4+4+1+6) holding the
      fewest open cases (ties by id) — people posted by ``county zhihui staff add``, else people
      of the grid with the role ``grid_worker``; a case of a category in ``JOINT_OFFICER``
      (矛盾纠纷, 环境卫生, 计生, 政策法规) is handled jointly (协同办事, L404) with the grid's officer
      of that field among the “6员” (L406);
    * ``community``: the community and its 网格管理员 (the grid management centre, L406);
    * ``subdistrict``: the subdistrict and the community's 网格督导员 (a subdistrict cadre, L406),
      jointly with ``extra.department`` when given (三级互联互通, L402).

    Returns an ``Assignment``; None for a level outside the chain."""
    grid = case.extra.get("grid")
    if level == "grid" and grid:
        workers = staffing.holders(ctx, grid, GRID_WORKER) or [p.id for p in ctx.people.find(unit=grid, role=GRID_WORKER)]
        officer = JOINT_OFFICER.get(case.category)
        joint = None
        if officer:
            where = staffing.post_unit(ctx, grid, officer)
            joint = (staffing.holders(ctx, where, officer) or [p.id for p in ctx.people.find(unit=grid, role=officer)]
                     or [None])[0]
        return Assignment(unit=grid, handler=_least_loaded(ctx, workers), joint_handler=joint,
                          note=f"{TIER_ZH['grid']}：专职网格员办理")
    community = ctx.ancestor(grid or case.unit, "community", strict=True)
    if level == "community" and community:
        where = staffing.post_unit(ctx, grid, "grid_manager") if grid else community.code
        managers = staffing.holders(ctx, where, "grid_manager") or [
            p.id for p in ctx.people.find(unit=community.code, role="grid_manager")]
        return Assignment(unit=community.code, handler=managers[0] if managers else None,
                          note=f"{TIER_ZH['community']}：网格管理员办理")
    sub = ctx.ancestor(case.unit, "township", strict=True)
    if level == "subdistrict" and sub:
        where = (staffing.post_unit(ctx, grid, "grid_supervisor") if grid else
                 community.code if community else None)
        supervisors = staffing.holders(ctx, where, "grid_supervisor") or [
            p.id for p in ctx.people.find(unit=sub.code, role="grid_supervisor")]
        return Assignment(unit=sub.code, handler=supervisors[0] if supervisors else None,
                          joint_unit=case.extra.get("department"), note=f"{TIER_ZH['subdistrict']}：督导员督办")
    return None


def due(ctx, arrived_at, days: int):
    """``days`` days after ``arrived_at`` (aware), ending 23:59:59 local, as the setting
    ``day_kind`` says: ``calendar`` or ``working`` (China's calendar with 调休)."""
    if ctx.settings["day_kind"] == "working":
        return ctx.calendar.working_days(arrived_at, days)
    return ctx.calendar.calendar_days(arrived_at, days)


def deadline(ctx, case, level, arrived_at):
    """Grid: ``grid_days`` (3) days, then up to the community's grid management centre at the
    next sweep; community: ``community_days`` (5), then up to the subdistrict; subdistrict:
    ``subdistrict_days`` (10), then flagged 督办. Each counted from the arrival at the tier, in
    calendar days unless ``day_kind = "working"``; the source states no limit (L399–410), so all
    are settings. Returns a ``Deadline`` with one primary milestone ``close``."""
    days = {"grid": "grid_days", "community": "community_days", "subdistrict": "subdistrict_days"}.get(level)
    if days is None:
        return None
    at = due(ctx, arrived_at, ctx.settings[days])
    action = "flag" if level == "subdistrict" else "escalate"
    return Deadline([Milestone("close", at, action=action, primary=True, note=f"{TIER_ZH[level]}限时办结")])
