"""shequ365's four case stages (民情收集 and 民情处置, L381): intake, triage by grid, assignment
by grid and handling form, deadlines of the three forms; and where a case or grid belongs.

Each function takes the method's ``ctx`` and the :class:`Case` the kernel hands the hook.
"""

from __future__ import annotations

from framework import Assignment, CountyError, Deadline, IntakeResult, Milestone, TriageResult, structure_extra
from plugins.shequ365 import tables
from plugins.shequ365.rules import (
    CATEGORY_FORM,
    FIVE_QUESTIONS,
    FIVE_VISITS,
    FOLLOW_UP_BY,
    FORMS,
    parse_date,
)

# -- where things belong --------------------------------------------------------------------------


def community_of(ctx, unit_code: str, grid: dict | None = None) -> str:
    """The community (社区) a case or grid belongs to: the grid's community, else the nearest
    unit of level ``community_level`` up from ``unit_code``, else ``unit_code`` itself."""
    if grid:
        return grid["community"]
    lv = ctx.settings["community_level"]
    cur = ctx.units.get(unit_code)
    while cur is not None:
        if cur.level == lv:
            return cur.code
        cur = ctx.units.get(cur.parent) if cur.parent else None
    return unit_code


def communities_in(ctx, unit) -> list[str]:
    """Communities (unit codes, sorted) in ``unit``'s subtree (a :class:`Unit`; all when None):
    units of the community level plus every unit some grid belongs to."""
    scope = set(ctx.subtree(unit.code)) if unit is not None else set(ctx.units)
    lv = ctx.settings["community_level"]
    out = {c for c in scope if ctx.units[c].level == lv}
    out.update(c for c in tables.grid_communities(ctx) if c in scope)
    return sorted(out)


def form_of(ctx, case, extra: dict) -> str:
    """The handling form: ``--set form=`` if given, else the category's (CATEGORY_FORM), else
    the ``default_form`` setting. CountyError naming ``--set form`` for an unknown form."""
    form = extra.get("form") or CATEGORY_FORM.get(case.category or "") or ctx.settings["default_form"]
    if form not in FORMS:
        raise CountyError(f"--set form: {form!r} is not a handling form (use one of: {', '.join(FORMS)})")
    return form


def person_name(ctx, pid: str | None) -> str | None:
    """The name of person ``pid``; the id itself when unknown; None for no id."""
    p = ctx.people.get(pid) if pid else None
    return p.name if p else pid


# -- the stages -----------------------------------------------------------------------------------


def intake(ctx, case, fields: dict) -> IntakeResult:
    """Intake (民情收集, L381): validate the fields of :class:`Shequ365Extra`.

    * a ``household`` gives the ``grid``; a grid must be a known grid;
    * channel ``mandatory_visit`` needs ``visit_reason`` (one of the five visits), channel
      ``five_questions`` needs ``resident_kind`` (one of the five questions);
    * a ``follow_up`` case (归口办理) needs ``committed_date`` (YYYY-MM-DD, not before the
      local date of intake) and ``follow_up_by`` individual|unit|team (default individual);
      ``lead`` is a person id, or a unit code for ``unit``.
    Returns IntakeResult with the starting tier = the handling form; ``extra.community`` is
    set to the case's community. CountyError naming the ``--set`` field on bad input.
    """
    extra = structure_extra(ctx.method, fields)
    hh = tables.household(ctx, extra.get("household"))
    if extra.get("household") and hh is None:
        raise CountyError(f"--set household: unknown household {extra['household']!r} (see `county shequ365 households list`)")
    if hh:
        if extra.get("grid") and extra["grid"] != hh["grid"]:
            raise CountyError(f"--set grid: household {hh['id']} is in grid {hh['grid']}, not {extra['grid']}")
        extra["grid"] = hh["grid"]
    g = tables.grid(ctx, extra.get("grid"))
    if extra.get("grid") and g is None:
        raise CountyError(f"--set grid: unknown grid {extra['grid']!r} (see `county shequ365 grids list`)")
    if extra.get("visit_reason") and extra["visit_reason"] not in FIVE_VISITS:
        raise CountyError(f"--set visit_reason: {extra['visit_reason']!r} is not one of the five visits ({', '.join(FIVE_VISITS)})")
    if case.channel == "mandatory_visit" and not extra.get("visit_reason"):
        raise CountyError(f"--set visit_reason: a mandatory_visit (五访) case needs one of {', '.join(FIVE_VISITS)}")
    if extra.get("resident_kind") and extra["resident_kind"] not in FIVE_QUESTIONS:
        raise CountyError(f"--set resident_kind: {extra['resident_kind']!r} is not one of the five questions ({', '.join(FIVE_QUESTIONS)})")
    if case.channel == "five_questions" and not extra.get("resident_kind"):
        raise CountyError(f"--set resident_kind: a five_questions (五问) case needs one of {', '.join(FIVE_QUESTIONS)}")
    committed = parse_date(extra.get("committed_date"), "--set committed_date")
    form = form_of(ctx, case, extra)
    if form == "follow_up":
        by = extra.setdefault("follow_up_by", "individual")
        if by not in FOLLOW_UP_BY:
            raise CountyError(f"--set follow_up_by: {by!r} (use individual, unit or team)")
        if committed is None:
            raise CountyError("--set committed_date: a follow-up (归口办理) case needs the date its handler commits to (YYYY-MM-DD)")
        if by == "unit":
            if not extra.get("lead"):
                raise CountyError("--set lead: a unit-undertaken (单位承办) case needs the unit code of the undertaking unit")
            ctx.unit(extra["lead"])
        elif extra.get("lead") and extra["lead"] not in ctx.people:
            raise CountyError(f"--set lead: unknown person {extra['lead']!r} (see `county people list`)")
    if committed is not None and committed < ctx.calendar.local(case.created_at).date():
        raise CountyError(f"--set committed_date: {committed} is before the day the case was taken in")
    extra["form"] = form
    extra["community"] = community_of(ctx, case.unit, g)
    return IntakeResult(extra=extra, level=form)


def triage(ctx, case) -> TriageResult:
    """Triage by grid (L381): the handling form chosen at intake is the starting tier; the note
    names the grid and the form. A major matter (``major``) gets priority ``high`` — a
    democratic hearing is due before it is carried out."""
    form = case.extra.get("form") or form_of(ctx, case, case.extra)
    g = tables.grid(ctx, case.extra.get("grid"))
    where = f"网格 {g['name']}" if g else "未定网格"
    return TriageResult(level=form, priority="high" if case.extra.get("major") else None,
                        note=f"{where}：{FORMS[form]}")


def assignment(ctx, case, level: str) -> Assignment | None:
    """Assignment by grid and form (L381).

    * ``time_limited``: the grid's social worker (包片社工); without a grid, the only person of
      role ``social_worker`` in the case's unit, if there is exactly one;
    * ``follow_up``: individual (个人领办) → ``lead`` or the grid's worker; unit (单位承办) → the
      case moves to unit ``lead``; team (组团协办) → ``lead`` heads the team ``team``;
    * ``coordination``: the community leader (role ``leader_role``) convenes the 社区事务协调会.
    Returns Assignment or None (keep).
    """
    g = tables.grid(ctx, case.extra.get("grid"))
    worker = g["worker"] if g and g.get("worker") else None
    if worker is None:
        workers = ctx.people.find(unit=case.unit, role="social_worker")
        worker = workers[0].id if len(workers) == 1 else None
    if level == "time_limited":
        return Assignment(handler=worker, note="包片社工限时办结")
    if level == "follow_up":
        by = case.extra.get("follow_up_by") or "individual"
        lead = case.extra.get("lead")
        if by == "unit" and lead:
            return Assignment(unit=lead, note=f"单位承办：{ctx.unit(lead).name}",
                              extra={"follow_up_by": by})
        team = f"（团队：{case.extra['team']}）" if by == "team" and case.extra.get("team") else ""
        return Assignment(handler=lead or worker, note=f"{FOLLOW_UP_BY.get(by, by)}{team}",
                          extra={"follow_up_by": by})
    if level == "coordination":
        community = case.extra.get("community") or community_of(ctx, case.unit)
        leaders = ctx.people.find(unit=community, role=ctx.settings["leader_role"])
        return Assignment(unit=community if community in ctx.units else None,
                          handler=leaders[0].id if leaders else None, note="提交社区事务协调会研究解决")
    return None


def deadline(ctx, case, level: str, arrived_at) -> Deadline:
    """Deadlines (L381 gives none in numbers; the choices are settings). ``arrived_at``: aware.

    * ``time_limited``: ``time_limited_days`` calendar days (default 3) from arrival, i.e.
      23:59:59 local on the Nth day; on a miss ``miss_action`` (default flag 督办; ``escalate``
      moves it to follow_up);
    * ``follow_up``: 23:59:59 local on ``committed_date``; without one (a case escalated
      here), no due instant; a miss flags (or escalates to coordination);
    * ``coordination``: no limit (the meeting decides).
    """
    s, cal = ctx.settings, ctx.calendar
    escalate = s["miss_action"] == "escalate"
    if level == "time_limited":
        days = int(s["time_limited_days"])
        return Deadline([Milestone("time_limited", cal.calendar_days(arrived_at, days),
                                   "escalate" if escalate else "flag", "follow_up" if escalate else None, True,
                                   f"包片社工限时办结（{days}天，部署设定）")])
    if level == "follow_up":
        committed = parse_date(case.extra.get("committed_date"), "committed_date")
        if committed is None or cal.end_of_day(committed) <= arrived_at:
            return Deadline()
        return Deadline([Milestone("committed", cal.end_of_day(committed), "escalate" if escalate else "flag",
                                   "coordination" if escalate else None, True, "归口办理承诺办结日期")])
    return Deadline()
