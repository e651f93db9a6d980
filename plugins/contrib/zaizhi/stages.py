"""Intake, triage, assignment and deadline of zaizhi (docs/hooks.md §4). The source sets no case
deadline (methods.md §2.17): a request for a service post is due on the post's monthly service
day (每月定时, L397); any other request gets the residential area's answer within
``answer_days``, then goes to the subdistrict party working committee (明确答复, L393), whose
``subdistrict_days`` working days end in a flag. Due instants come only from ``ctx.calendar``."""

from __future__ import annotations

import datetime as dt

from framework import Assignment, CountyError, Deadline, IntakeResult, Milestone, TriageResult, structure_extra

from . import service
from .rules import METHOD, POST_KINDS


def intake(ctx, case, fields):
    """Fields (``rules.ZaizhiExtra``): ``post`` (a service post of the case's residential area),
    ``member`` (the registered member who relayed the request, L393), ``to_employer``. The case's
    unit must be a residential area or lie inside one (a responsibility zone). Returns an
    ``IntakeResult`` starting at tier ``area``. CountyError naming ``--unit`` / ``--set KEY``."""
    if service.area_of(ctx, case.unit) is None:
        raise CountyError(f"--unit {case.unit}: a {METHOD} request is taken in at a residential area (居民区, "
                          f"levels {', '.join(service.area_levels(ctx.settings))}) or one of its zones")
    extra = structure_extra(ctx.method, fields)
    if extra.get("post") is not None:
        p = service.post(ctx, extra["post"])
        if p["unit"] != service.area_of(ctx, case.unit).code:
            raise CountyError(f"--set post={p['id']}: that post is at {ctx.units[p['unit']].name}, not at this "
                              f"request's residential area")
    if extra.get("member"):
        service.member(ctx, extra["member"])
    if extra.get("to_employer") and not extra.get("member"):
        raise CountyError("--set to_employer: name the --set member who relays it to their employer (L393)")
    return IntakeResult(extra=extra, level="area")


def triage(ctx, case):
    """A request for a post takes the post's kind as its category; a request whose category is a
    post kind and names no post goes to the area's claimed post of that kind (the lowest id)
    when there is one (L397). Returns a ``TriageResult`` or None."""
    area = service.area_of(ctx, case.unit).code
    if case.extra.get("post") is not None:
        p = service.post(ctx, case.extra["post"])
        return TriageResult(category=p["kind"], note=f"服务岗位 {p['id']}：{p['title']}")
    if case.category in POST_KINDS:
        claimed = [p for p in service.posts(ctx, area, kind=case.category) if p["member"]]
        if claimed:
            return TriageResult(extra={"post": claimed[0]["id"]}, note=f"转服务岗位 {claimed[0]['id']}："
                                                                        f"{claimed[0]['title']}")
    return None


def assignment(ctx, case, level):
    """Tier ``area``: the residential area; the handler is the claimant of the request's post
    (认领, L397), else the area's one ``area_party_secretary``. Tier ``subdistrict``: the
    subdistrict above and its one ``subdistrict_leader`` (班子成员, L393). Returns an
    ``Assignment``."""
    if level == "subdistrict":
        unit = ctx.ancestor(case.unit, "township")
        if unit is None:
            return None
        leaders = ctx.people.find(unit=unit.code, role="subdistrict_leader")
        return Assignment(unit=unit.code, handler=leaders[0].id if len(leaders) == 1 else None)
    area = service.area_of(ctx, case.unit)
    handler = None
    if case.extra.get("post") is not None:
        handler = service.post(ctx, case.extra["post"])["member"]
    if handler is None:
        secretaries = ctx.people.find(unit=area.code, role="area_party_secretary")
        handler = secretaries[0].id if len(secretaries) == 1 else None
    return Assignment(unit=area.code, handler=handler)


def next_service_day(ctx, arrived_at: dt.datetime, service_day: int) -> dt.datetime:
    """23:59:59 local on the first ``service_day`` of a month on or after ``arrived_at``'s local
    date (每月定时, L397), through ``ctx.calendar.end_of_day``: arriving 2024-10-26 for day 25 →
    2024-11-25T23:59:59+08:00; arriving 2024-10-25 10:00 → that same day."""
    local = ctx.calendar.local(arrived_at).date()
    day = local.replace(day=service_day)
    if day < local:
        year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
        day = dt.date(year, month, service_day)
    due = ctx.calendar.end_of_day(day)
    if due <= arrived_at:  # arrived in the last second of the service day
        return next_service_day(ctx, arrived_at + dt.timedelta(days=1), service_day)
    return due


def deadline(ctx, case, level, arrived_at):
    """Tier ``area``: a request for a claimed post → milestone ``serve`` due at the end of the
    post's next service day (L397), flagged (督办) when missed; any other request → ``answer``
    due ``answer_days`` (7) calendar (or working, ``answer_day_kind``) days after arrival, then
    escalated to ``subdistrict``. Tier ``subdistrict``: ``answer`` due ``subdistrict_days`` (10)
    working days after arrival (China's calendar with 调休), flagged. Days end 23:59:59 local.
    Returns a ``Deadline``."""
    s = ctx.settings
    if level == "subdistrict":
        due = ctx.calendar.working_days(arrived_at, s["subdistrict_days"])
        return Deadline([Milestone("answer", due, action="flag", primary=True, note="街道党工委明确答复")])
    post_id = case.extra.get("post")
    if post_id is not None:
        p = service.post(ctx, post_id)
        if p["member"]:
            due = next_service_day(ctx, arrived_at, p["service_day"])
            return Deadline([Milestone("serve", due, action="flag", primary=True, note="服务点每月定时服务")],
                            extra={"service_day": p["service_day"]})
    unit = "working_days" if s["answer_day_kind"] == "working" else "calendar_days"
    due = ctx.calendar.due(arrived_at, s["answer_days"], unit)
    return Deadline([Milestone("answer", due, action="escalate", to_level="subdistrict", primary=True,
                               note="居民区明确答复")])
