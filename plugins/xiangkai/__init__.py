"""xiangkai: Jingning County's township meetings held in villages (景宁“乡会村开”), casebook
L233–264 (methods.md §2.10).

A method built around meetings rather than single requests:

* a **case is a topic** (议题) gathered by linked leaders and resident cadres on visits, by
  hotline, opinion box or online (征集议题, L246); triage sorts it into the three classes and
  gives it a priority by 轻重缓急 (梳理议题, L246);
* **meetings** (乡会) are the plugin's own data: a village, a type chosen by the situation
  (L250), a time preferring slack season, rainy days and evenings (L250), a place (L250),
  invitees by type (L248) and an agenda of topics; held one topic at a time (一事一议, L252);
* every topic settled at a meeting gets a **supervision notice** (督办通知书) with the three
  fixes (三定: responsible person, completion deadline, quality standard, L253): the case moves
  from tier ``topic`` (no due instant) to tier ``supervised`` whose deadline hook returns the
  notice's completion deadline as a ``flag`` milestone, so the kernel's sweep flags misses;
  callback visits (回访) are recorded;
* a **monthly plan** gives every month a theme and every village a meeting a year (L246);
* boards publish the meeting notice before and the resolutions after (L252); appraisal counts
  topics collected, settled and done on time per village and township, and the satisfaction
  ratings of L262.
"""

from __future__ import annotations

import attrs

from framework import (
    Assignment,
    CountyError,
    Deadline,
    IntakeResult,
    MethodInfo,
    Milestone,
    Setting,
    Tier,
    TriageResult,
    hookimpl,
    structure_extra,
)
from plugins.xiangkai import boards, rules, tables

TIERS = [
    Tier("topic", "议题（待乡会研究）", "village",
         "征集、梳理议题，列入乡会研究；源文无时限（确保每村每年安排一次以上乡会）", "L246"),
    Tier("supervised", "督办（三定）", "village",
         "凡经乡会研究过的事项一律下发督办通知书：定责任人、定完成时限、定质量标准；逾期督办", "L253",
         by_command_only=True),  # only `county xiangkai notice issue` moves a topic here
]

SETTINGS = [
    Setting("slack_months", [1, 2, 11, 12],
            "months counted as the farming slack season (农闲, L250); the source names no months — set your county's"),
    Setting("evening_from", "18:00", "a meeting starting at or after this local time is an evening meeting (晚上, L250)"),
    Setting("evening_until", "23:59", "…and at or before this local time"),
    Setting("schedule_check", "warn",
            "a meeting outside slack season, rainy days and evenings (L250): 'warn' (default), 'refuse' (exit 1) or 'off'"),
    Setting("default_urgency", "normal", "urgency (缓急) of a topic taken in without --set urgency: urgent or normal"),
    Setting("default_importance", "minor", "importance (轻重) of a topic taken in without --set importance: major or minor"),
    Setting("village_levels", ["village"],
            "unit levels that count as villages for meetings and the every-village plan check (add 'community' for 开到社区)"),
]

_NOTICE_FIELDS = ("notice_no", "responsible_person", "completion_due_at", "quality_standard", "meeting_id", "resolution")


@attrs.define
class XiangkaiExtra:
    """A topic's own fields (``--set KEY=VALUE``); the notice fields are written by
    ``county xiangkai notice issue``, never at intake."""

    collector: str | None = None  # 收集人: linked leader / resident cadre (person id or name), L246
    platform: str | None = None  # online channel: forum 论坛, qq_group QQ群, weibo 微博 (L246)
    urgency: str | None = None  # 缓急: urgent / normal (L246)
    importance: str | None = None  # 轻重: major / minor (L246)
    meeting_id: str | None = None  # the meeting the topic was put on / settled at
    resolution: str | None = None  # 议定内容
    notice_no: str | None = None  # 督办通知书编号
    responsible_person: str | None = None  # 定责任人 (person id)
    completion_due_at: str | None = None  # 定完成时限 (ISO, +08:00)
    quality_standard: str | None = None  # 定质量标准


@hookimpl
def county_method():
    """Declare 乡会村开 (Jingning, L233–264): four channels, three classes, the tier chain
    topic → supervised, the invitee roles of L248 and the scheduling settings."""
    return MethodInfo(
        name="xiangkai", title_zh="乡会村开", title="Township meetings held in villages",
        source_county="浙江省景宁畲族自治县 Jingning County, Zhejiang", source_lines="L233–264", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, tiers=TIERS, roles=rules.ROLES,
        settings=SETTINGS, extra_type=XiangkaiExtra,
    )


@hookimpl
def county_migrations(migrations):
    """Create the plugin's tables (meetings, agenda, notices, callbacks, plan, ratings)."""
    tables.register(migrations)


@hookimpl
def county_register_commands(cli):
    """Add ``county xiangkai …`` (meeting add/hold/cancel/list/show, notice issue/list, callback,
    month, plan, rating, types)."""
    from plugins.xiangkai.commands import xiangkai

    cli.add_command(xiangkai)


@hookimpl
def county_intake(ctx, case, fields):
    """征集议题 (L246): a topic needs its source channel (visit, hotline, opinion_box, online);
    ``--set collector=`` names who gathered it, ``platform=`` the online platform,
    ``urgency=``/``importance=`` feed triage. Returns IntakeResult at tier ``topic``."""
    if not case.channel:
        raise CountyError(f"--channel: a topic needs its source (use one of: {', '.join(rules.CHANNELS)})")
    early = [k for k in fields if k in _NOTICE_FIELDS]
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


@hookimpl
def county_triage(ctx, case):
    """梳理议题 (L246): the class is one of livelihood 民生民本, economy 经济建设, organisation
    基层组织建设 (the Chinese label is accepted too); priority by 轻重缓急: urgent+major → high,
    one of them → medium, neither → low. Returns TriageResult."""
    category = case.category
    by_label = {v: k for k, v in rules.CATEGORIES.items()}
    if category in by_label:
        category = by_label[category]
    u, i = case.extra["urgency"], case.extra["importance"]
    p = rules.priority_of(u, i)
    return TriageResult(category=category, priority=p,
                        note=f"轻重缓急：{rules.URGENCY[u]}、{rules.IMPORTANCE[i]} → {p}（{rules.PRIORITY_ZH[p]}）")


@hookimpl
def county_assignment(ctx, case, level):
    """The topic stays with the unit that took it in; at tier ``supervised`` the notice's
    responsible person (定责任人, L253) becomes the handler. Returns Assignment."""
    if level == "supervised":
        n = tables.notice_for(ctx.db, case.id)
        if n:
            return Assignment(handler=n["responsible"], note=f"{n['number']}：定责任人")
    return Assignment()


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Tier ``topic``: no due instant (the source sets none). Tier ``supervised``: one
    primary ``flag`` milestone ``completion`` at the notice's completion deadline (定完成时限,
    L253): a date means 23:59:59 local that day, a date-time that instant, ``+Nd`` N calendar
    days and ``+Nwd`` N working days from ``arrived_at`` (the notice's issue), all via
    ``ctx.calendar``. A miss is flagged by the sweep (督办); the case stays."""
    if level != "supervised":
        return Deadline()
    n = tables.notice_for(ctx.db, case.id)
    spec = n["due_spec"] if n else None
    if not spec:
        return Deadline()
    due = rules.due_from_spec(ctx.calendar, spec, arrived_at)
    return Deadline([Milestone("completion", due, "flag", None, True, "督办通知书：定完成时限（L253）")])


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """会前公布 / 会后公布 (L252, L253): the meeting-notice board and the resolutions and
    supervision board for ``unit``'s subtree and ``period``; raw rows, topics carry
    ``case_id``. See :func:`plugins.xiangkai.boards.publicity`."""
    return boards.publicity(ctx, unit, period)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Topics collected, meetings held, topics settled, notices issued and done on time,
    village coverage and satisfaction ratings per village and township (L246, L253, L262).
    See :func:`plugins.xiangkai.boards.appraisal`."""
    return boards.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Meetings scheduled and supervision notices due on ``on_date`` (local date)."""
    return boards.duties(ctx, unit, on_date)
