"""The four bound stages of yijiasi (docs/hooks.md §4): a matter of a co-built community, led by
its party organisation and handled jointly by a member of its service team (L449), then
coordinated by the team leader (L457). The casebook gives no case time limits: the two tiers'
days are settings."""

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
from .rules import AREAS, MEMBER_KINDS, NAME, PARTY_SECRETARY, SERVICES


def community_of(ctx, code: str):
    """The community (``Unit``) at or above unit ``code``, or None."""
    return ctx.ancestor(code, "community", strict=True)


def intake(ctx, case, fields):
    """A matter is taken in at a community or a unit below it (a grid): ``--set service`` one of
    SERVICES (default other), ``--set member`` a member of the community's team (optional),
    ``--set post`` the post (L455) of the party member who collected it (optional). The
    community's team (L449) goes into ``extra.team`` (None while the community has no team: the
    party organisation then handles it alone). Returns an ``IntakeResult`` at tier ``team``;
    ``CountyError`` naming ``--unit`` or the ``--set`` key at fault."""
    community = community_of(ctx, case.unit)
    if community is None:
        raise CountyError(f"--unit {case.unit}: a {NAME} matter is taken in by a community (社区, L449) or a unit "
                          f"below one, not by {ctx.unit(case.unit).name} ({ctx.unit(case.unit).level})")
    extra = structure_extra(ctx.method, fields)
    if extra["service"] not in SERVICES:
        raise CountyError(f"--set service={extra['service']}: use one of "
                          + ", ".join(f"{k} {v[0]}" for k, v in SERVICES.items()))
    if extra.get("post") is not None and extra["post"] not in service.post_kinds(ctx):
        raise CountyError(f"--set post={extra['post']}: use one of " + ", ".join(service.post_kinds(ctx)))
    team = service.team_of(ctx, community.code)
    extra["team"] = team["code"] if team else None
    if extra.get("member") is not None:
        today = ctx.calendar.local(case.created_at).date()
        if team is None or extra["member"] not in {m["person"] for m in service.members(ctx, team["code"], today)}:
            raise CountyError(f"--set member={extra['member']}: not an active member of the service team of "
                              f"{community.name}")
    return IntakeResult(extra=extra, level="team")


def triage(ctx, case):
    """A matter without a category gets the setting ``default_area`` (服务社区居民), one of the four
    areas of the annual agreement (L453). Returns a ``TriageResult`` or None."""
    if case.category:
        return None
    area = ctx.settings["default_area"]
    return TriageResult(category=area, note=f"共建协议职责：{AREAS[area]}（默认）")


def pick_member(ctx, case) -> str | None:
    """The member who handles ``case`` jointly: ``extra.member`` when given; else the active
    member of the kind serving ``extra.service`` (SERVICES) with the fewest open cases, held or
    handled jointly in the team (ties: by person id); with no member of that kind, any active member likewise; None without a team."""
    if case.extra.get("member"):
        return case.extra["member"]
    team = case.extra.get("team")
    if not team:
        return None
    active = service.members(ctx, team, ctx.calendar.local(ctx.now).date())
    kind = SERVICES[case.extra.get("service") or "other"][1]
    pool = [m for m in active if m["kind"] == kind] or active
    if not pool:
        return None
    joint = [c.joint_handler for c in ctx.cases.find(method=NAME, open=True, extra={"team": team})]
    return min(pool, key=lambda m: (ctx.open_cases_of(m["person"]) + joint.count(m["person"]), m["person"]))["person"]


def assignment(ctx, case, level):
    """Tier ``team``: the community holds the matter, its party secretary (the one person with
    role party_secretary there) leads (以社区党组织为主体, L449) and a team member handles it
    jointly (会办: :func:`pick_member`). Tier ``leader``: the team leader (服务团团长, L457)
    coordinates; the joint member stays. Returns an ``Assignment``."""
    community = community_of(ctx, case.unit)
    member = case.joint_handler if level == "leader" and case.joint_handler else pick_member(ctx, case)
    if level == "leader":
        team = case.extra.get("team")
        leader = service.team(ctx, team)["leader"] if team else None
        return Assignment(unit=community.code, handler=leader, joint_handler=member,
                          note="服务团团长协调" if leader else None)
    secretaries = ctx.people.find(unit=community.code, role=PARTY_SECRETARY)
    handler = secretaries[0].id if len(secretaries) == 1 else None
    kind = next((m["kind"] for m in service.members(ctx, case.extra["team"]) if m["person"] == member), None) \
        if member and case.extra.get("team") else None
    return Assignment(unit=community.code, handler=handler, joint_handler=member,
                      note=f"{MEMBER_KINDS[kind]}会办" if kind else None)


def deadline(ctx, case, level, arrived_at):
    """Tier ``team``: ``team_days`` (7) calendar days after the day of arrival, 23:59:59 local,
    then up to the team leader; tier ``leader``: ``leader_working_days`` (5) working days (China's
    calendar with its 调休 make-up days), 23:59:59 local, then flagged 督办. Neither number is in
    the casebook (the plugin's choice). Returns a ``Deadline``."""
    if level == "team":
        due = ctx.calendar.calendar_days(arrived_at, ctx.settings["team_days"])
        return Deadline([Milestone("close", due, action="escalate", to_level="leader", primary=True,
                                   note="服务团限时办理")])
    if level == "leader":
        due = ctx.calendar.working_days(arrived_at, ctx.settings["leader_working_days"])
        return Deadline([Milestone("close", due, action="flag", primary=True, note="服务团团长协调，逾期督办")])
    return None
