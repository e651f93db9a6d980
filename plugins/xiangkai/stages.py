"""The four case stages of 乡会村开: intake (征集议题), triage (梳理议题), assignment and
deadline (督办通知书, 三定). Called from the hooks in ``__init__.py``; each takes the hook's
``ctx`` (:class:`framework.MethodContext`) and returns the kernel's record for the stage.
"""

from __future__ import annotations

import datetime as dt

from framework import (
    Assignment, Case, CountyError, Deadline, IntakeResult, MethodContext, Milestone, TriageResult, structure_extra,
)
from plugins.xiangkai import rules
from plugins.xiangkai.tables import notice_for


def intake(ctx: MethodContext, case: Case, fields: dict[str, str]) -> IntakeResult:
    """征集议题 (L246): a topic needs its source channel (visit, hotline, opinion_box, online);
    ``fields`` (the raw ``--set`` strings) may give ``collector``, ``platform`` (online only:
    forum, qq_group, weibo), ``urgency`` and ``importance`` (defaults from the settings); the
    notice fields are refused here. Returns IntakeResult at tier ``topic``; CountyError
    naming the option for bad input."""
    if not case.channel:
        raise CountyError(f"--channel: a topic needs its source (use one of: {', '.join(rules.CHANNELS)})")
    early = [k for k in fields if k in rules.NOTICE_FIELDS]
    if early:
        raise CountyError(f"--set {early[0]}: set by `county xiangkai meeting hold` / `notice issue`, not at intake")
    extra = structure_extra(ctx.method, fields)
    if "platform" in extra:
        if case.channel != "online":
            raise CountyError(f"--set platform: only for --channel online (this topic came by {case.channel})")
        if extra["platform"] not in rules.ONLINE_PLATFORMS:
            raise CountyError(f"--set platform={extra['platform']}: use one of {', '.join(rules.ONLINE_PLATFORMS)}")
    extra["urgency"] = rules.normalise_urgency(extra.get("urgency") or ctx.settings["default_urgency"])
    extra["importance"] = rules.normalise_importance(extra.get("importance") or ctx.settings["default_importance"])
    return IntakeResult(extra=extra, level="topic")


def triage(ctx: MethodContext, case: Case) -> TriageResult:
    """梳理议题 (L246): the class (a code of :data:`rules.CATEGORIES` or its Chinese label) and
    the priority by 轻重缓急 (:func:`rules.priority_of`). Returns TriageResult."""
    category = case.category
    by_label = {v: k for k, v in rules.CATEGORIES.items()}
    if category in by_label:
        category = by_label[category]
    u, i = case.extra["urgency"], case.extra["importance"]
    p = rules.priority_of(u, i)
    return TriageResult(category=category, priority=p,
                        note=f"轻重缓急：{rules.URGENCY[u]}、{rules.IMPORTANCE[i]} → {p}（{rules.PRIORITY_ZH[p]}）")


def assignment(ctx: MethodContext, case: Case, level: str) -> Assignment:
    """The topic stays with the unit that took it in; at tier ``supervised`` the notice's
    responsible person (定责任人, L253) becomes the handler. Returns Assignment."""
    if level == "supervised":
        n = notice_for(ctx.db, case.id)
        if n:
            return Assignment(handler=n["responsible"], note=f"{n['number']}：定责任人")
    return Assignment()


def deadline(ctx: MethodContext, case: Case, level: str, arrived_at: dt.datetime) -> Deadline:
    """Tier ``topic``: no due instant (the source sets none). Tier ``supervised``: one primary
    ``flag`` milestone ``completion`` at the notice's completion deadline (定完成时限, L253),
    computed from the notice's stored spec and ``arrived_at`` (aware; the notice's issue) by
    :func:`rules.due_from_spec` with ``ctx.calendar``. A miss is flagged by the sweep (督办);
    the case stays."""
    if level != "supervised":
        return Deadline()
    n = notice_for(ctx.db, case.id)
    spec = n["due_spec"] if n else None
    if not spec:
        return Deadline()
    due = rules.due_from_spec(ctx.calendar, spec, arrived_at)
    return Deadline([Milestone("completion", due, "flag", None, True, "督办通知书：定完成时限")])
