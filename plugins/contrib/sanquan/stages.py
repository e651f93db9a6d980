"""The four bound stages of 三全十服务: intake (the service-hours calendar, L359), triage (star
tiers, L363), assignment (24-hour duty, A/B posts, one-to-one contacts and grid teams; L359,
L363, L371) and deadline (限时办结, L367, timed from the service start)."""

from __future__ import annotations

import datetime as dt

from framework import Assignment, CountyError, Deadline, IntakeResult, Milestone, TriageResult, structure_extra
from plugins.contrib.sanquan import service
from plugins.contrib.sanquan.rules import (
    CHANNELS, CATEGORIES, INTAKE_LEVELS, METHOD, TIER_ROLE, TIER_ZH, TIERS, day_hours, duty_date, next_opening,
    setting_list,
)

TIER_LEVEL = {t.name: t.level for t in TIERS}
LIMIT_UNITS = {"working_days": "个工作日", "calendar_days": "天"}
ASSIGNED_AS_ZH = {"duty": "24小时值班", "A": "A岗", "B": "B岗（A岗不在岗）", "contact": "一对一联系人",
                  "grid_team": "网格服务团队", "tier_role": "热线网络值班", "none": "待指定"}


def on_call(ctx, case, extra: dict) -> bool:
    """An on-call matter (24小时随叫随到, L359): ``--set urgent=yes``, a category of
    ``on_call_categories`` (应急服务 by default) or a channel of ``on_call_channels`` (呼叫器)."""
    return (bool(extra.get("urgent")) or case.category in setting_list(ctx, "on_call_categories", CATEGORIES)
            or case.channel in setting_list(ctx, "on_call_channels", CHANNELS))


def timing_start(ctx, instant: dt.datetime, urgent: bool) -> dt.datetime:
    """When handling starts for a matter arriving at ``instant``: the instant itself inside service
    hours or for an on-call matter, else the next opening (错时工作制, L359)."""
    return ctx.calendar.local(instant) if urgent else next_opening(ctx, instant)


def intake(ctx, case, fields) -> IntakeResult:
    """Take a matter in at a community, village or grid (L359, L363). ``fields``: ``household``
    (a registered household, whose community it must belong to), ``line`` (work line, L371),
    ``urgent`` (yes/no). The call device channel needs a household that has one (L363). Adds to
    ``extra``: ``on_call``, ``in_hours`` (inside that day's service window), ``day_kind``
    (``working``/``rest``), ``service_start`` (ISO: the arrival, or the next opening for a
    non-urgent matter out of hours), ``star`` (the household's rating in force on the day of
    arrival) and ``grid`` of the household. Starts at tier
    ``community``. CountyError naming ``--unit`` / ``--set KEY`` / ``--channel``."""
    unit = ctx.unit(case.unit)
    if unit.level not in INTAKE_LEVELS:
        raise CountyError(f"--unit {case.unit}: a {METHOD} matter is taken in by a community (社区), village (村) "
                          f"or grid (网格), and {unit.name} is a {unit.level}")
    extra = structure_extra(ctx.method, fields)
    hh = None
    if extra.get("household"):
        hh = service.household(ctx, extra["household"])
        if hh is None:
            raise CountyError(f"--set household={extra['household']}: no such household "
                              "(register it with county sanquan household add)")
        home = service.community_of(ctx, case.unit)
        if home is None or home.code != hh["unit"]:
            raise CountyError(f"--set household={hh['id']}: the household belongs to {hh['unit']}, "
                              f"not to {home.code if home else case.unit}")
    if case.channel == "call_device" and not (hh and hh["call_device"]):
        raise CountyError("--channel call_device: only a household with a call device (呼叫器, L363) calls in; "
                          "give --set household=ID of such a household")
    if extra.get("line") is not None:
        extra["line"] = str(extra["line"]).strip()
    urgent = on_call(ctx, case, extra)
    received = ctx.calendar.local(case.created_at)
    opening, closing, kind = day_hours(ctx, received.date())
    extra.update(on_call=urgent, in_hours=opening <= received < closing, day_kind=kind,
                 service_start=timing_start(ctx, received, urgent).isoformat())
    if hh is not None:
        rating = service.star_on(service.ratings(ctx, [hh["id"]]).get(hh["id"], []), received.date())
        extra["star"] = rating[1] if rating else hh["star"]
        if hh["grid"]:
            extra["grid"] = hh["grid"]
    elif unit.level == "grid":
        extra["grid"] = unit.code
    return IntakeResult(extra=extra, level=TIERS[0].name)


def triage(ctx, case) -> TriageResult | None:
    """Priority: ``urgent`` for an on-call matter (L359), ``high`` for a household of at least
    ``priority_star_min`` stars (4: 五星级 and 四星级, L363); else nothing changes."""
    star = case.extra.get("star")
    if case.extra.get("on_call"):
        return TriageResult(priority="urgent", note="24小时值班随叫随到事项（L359）")
    if star is not None and int(star) >= int(ctx.settings["priority_star_min"]):
        return TriageResult(priority="high", note=f"{service.star_label(int(star))}服务对象（L363）")
    return None


def _available(ctx, pid: str | None, at: dt.datetime) -> bool:
    return bool(pid) and pid in ctx.people and not service.on_leave(ctx, pid, at)


def pick(ctx, case, level: str, unit_code: str, at: dt.datetime) -> tuple[str | None, str, str | None]:
    """Who handles the case at tier ``level`` in unit ``unit_code`` from instant ``at``:
    ``(person or None, how, note)``. In order: out of hours, an on-call matter goes to the
    roster's duty person (24小时值班制, L359); a ``line`` with an A/B post goes to A, or to B when
    A is on leave at ``at`` (AB岗兼容制, L371); at the community, the household's one-to-one
    contact, then its grid team, leader first (网组片, L363); at the upper tiers a person of the
    tier's role. Everyone picked is off leave at ``at``."""
    urgent = bool(case.extra.get("on_call"))
    roster_unit = service.community_of(ctx, unit_code).code if level == "community" else unit_code
    if urgent and not _in_hours(ctx, at):
        duty = service.on_duty(ctx, roster_unit, duty_date(ctx, at))
        if _available(ctx, duty, at):
            return duty, "duty", f"错时以外，由值班人员{ctx.people[duty].name}受理（24小时值班制, L359）"
    line = case.extra.get("line")
    note = None
    if line:
        p = service.post(ctx, roster_unit, line)
        if p:
            if _available(ctx, p["a_person"], at):
                return p["a_person"], "A", f"{line}条线A岗{ctx.people[p['a_person']].name}（L371）"
            a_name = ctx.people[p["a_person"]].name if p["a_person"] in ctx.people else p["a_person"]
            if _available(ctx, p["b_person"], at):
                return p["b_person"], "B", (f"{line}条线A岗{a_name}不在岗，由B岗{ctx.people[p['b_person']].name}"
                                            "办理（AB岗兼容制, L371）")
            note = f"{line}条线A、B岗均不在岗"
    if level == "community":
        hid = case.extra.get("household")
        hh = service.household(ctx, hid) if hid else None
        if hh and _available(ctx, hh["contact"], at):
            return hh["contact"], "contact", f"一对一联系人{ctx.people[hh['contact']].name}（L363）"
        grid = case.extra.get("grid")
        for m in service.team(ctx, grid) if grid else []:
            if _available(ctx, m["person"], at):
                return m["person"], "grid_team", f"{ctx.units[grid].name}服务团队{ctx.people[m['person']].name}（L363）"
    else:
        for person in sorted(ctx.people.find(unit=unit_code, role=TIER_ROLE[level]), key=lambda p: p.id):
            if _available(ctx, person.id, at):
                return person.id, "tier_role", f"{TIER_ZH[level]}热线网络{person.name}（L359）"
    return None, "none", note


def _in_hours(ctx, at: dt.datetime) -> bool:
    opening, closing, _ = day_hours(ctx, ctx.calendar.local(at).date())
    return opening <= ctx.calendar.local(at) < closing


def assign(ctx, case, level: str | None) -> Assignment | None:
    """The unit and person of tier ``level``: the community tier keeps the intake unit (a
    community, village or grid); 镇（街道） and 区 take the nearest township and county above
    it (the hotline network, L359). The person is :func:`pick`'s, judged at the service start
    (intake) or at the instant of arrival at the tier (escalation, timed the same way). A matter
    for a grid's contact or team gets the team's township cadre as joint handler (会办,
    :func:`team_cadre`; the kernel's joint handling, hooks.md §12.4; escalation drops it). Sets
    ``extra.assigned_as`` (duty, A, B, contact, grid_team, tier_role, none) and, the first time an
    A/B post takes the matter, ``extra.post_assigned_as`` (kept on escalation). None (the kernel's
    default) when no unit of the tier's level exists."""
    level = level or TIERS[0].name
    urgent = bool(case.extra.get("on_call"))
    if level == case.level and case.extra.get("service_start") and not case.handler:
        at = dt.datetime.fromisoformat(case.extra["service_start"])
    else:
        at = timing_start(ctx, ctx.now, urgent)
    if level == "community":
        unit_code, target = case.unit, None
    else:
        found = ctx.ancestor(case.origin_unit or case.unit, TIER_LEVEL[level])
        if found is None:
            return None
        unit_code = target = found.code
    person, how, note = pick(ctx, case, level, unit_code, at)
    joint = team_cadre(ctx, case.extra.get("grid"), person, at) if how in ("grid_team", "contact") else None
    if joint:
        note = f"{note}；镇街干部{ctx.people[joint].name}组团服务（会办）"
    extra = {"assigned_as": how}
    if how in ("A", "B") and not case.extra.get("post_assigned_as"):
        extra["post_assigned_as"] = how  # the work line's first post: kept when the matter later escalates
    return Assignment(unit=target, handler=person, note=note, extra=extra, joint_handler=joint)


def team_cadre(ctx, grid: str | None, handler: str | None, at: dt.datetime) -> str | None:
    """The grid team's township cadre (镇街干部) who serves a matter beside its handler (组团式服务:
    each grid's team joins 镇街干部、社区干部和党员志愿者, L363), the first off leave at ``at``
    by person id; None without a grid or such a member."""
    for m in sorted(service.team(ctx, grid) if grid else [], key=lambda r: r["person"]):
        if m["kind"] == "township_cadre" and m["person"] != handler and _available(ctx, m["person"], at):
            return m["person"]
    return None


def deadline(ctx, case, level: str | None, arrived_at: dt.datetime) -> Deadline:
    """Milestones from the service start (``arrived_at`` inside service hours or for an
    on-call matter, else the next opening, L359):

    * ``respond`` (响应): once per matter, at its first arrival only (the community tier at the
      instant it was taken in, ``arrived_at == case.created_at``; an escalation sets no new one,
      as sansong's 96333 feedback): for an on-call matter exactly ``on_call_response_hours`` (1)
      hours after arrival (24小时随叫随到, L359: no number); for an ordinary one ``response_hours``
      after the start, none at the default 0 (the source sets no response limit); flagged when
      missed;
    * ``complete`` (限时办结, L367; primary): 23:59:59 local on the Nth ``limit_unit`` day after the
      service start's local date (working days on ``ctx.calendar``: 调休 make-up days count,
      holidays do not), N = ``community_days`` 3 / ``subdistrict_days`` 5 / ``district_days`` 10;
      a miss escalates to the next tier of the hotline network (``miss_action``), at the district
      it is flagged (督办).

    ``extra``: ``timed_from``, ``complete_due_at``, ``respond_due_at`` (ISO, or None without a
    response limit; set at the first arrival only, kept on escalation). CountyError naming a bad
    setting."""
    level = level or TIERS[0].name
    urgent = bool(case.extra.get("on_call"))
    start = timing_start(ctx, arrived_at, urgent)
    key = "on_call_response_hours" if urgent else "response_hours"
    hours = float(ctx.settings[key])
    if hours < 0 or (urgent and hours == 0):
        raise CountyError(f"[plugins.sanquan] {key} = {ctx.settings[key]!r}: must be more than 0 hours"
                          + ("" if urgent else " (or 0: no response limit)"))
    unit = ctx.settings["limit_unit"]
    if unit not in LIMIT_UNITS:
        raise CountyError(f"[plugins.sanquan] limit_unit = {unit!r}: working_days or calendar_days")
    days = int(ctx.settings[f"{level}_days"])
    if days < 1:
        raise CountyError(f"[plugins.sanquan] {level}_days = {days}: at least 1")
    action = ctx.settings["miss_action"]
    if action not in ("escalate", "flag"):
        raise CountyError(f"[plugins.sanquan] miss_action = {action!r}: escalate or flag")
    nxt = ctx.method.next_tier(level)
    complete = ctx.calendar.due(start, days, unit)
    if nxt is not None and action == "escalate":
        close = Milestone("complete", complete, action="escalate", to_level=nxt.name, primary=True,
                          note=f"{TIER_ZH[level]}{days}{LIMIT_UNITS[unit]}内办结，逾期转{TIER_ZH[nxt.name]}")
    else:
        close = Milestone("complete", complete, action="flag", primary=True,
                          note=f"{TIER_ZH[level]}{days}{LIMIT_UNITS[unit]}内办结，逾期督办")
    extra = {"timed_from": start.isoformat(), "complete_due_at": complete.isoformat()}
    if not (level == TIERS[0].name and arrived_at == case.created_at):
        return Deadline([close], extra=extra)  # answered once per matter: no new limit per tier (L359)
    extra["respond_due_at"] = None
    if hours == 0:
        return Deadline([close], extra=extra)
    respond = ctx.calendar.hours(start, hours)
    extra["respond_due_at"] = respond.isoformat()
    return Deadline([Milestone("respond", respond, action="flag", note=f"{hours:g}小时内响应"), close], extra=extra)
