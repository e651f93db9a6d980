"""daiban: Xupu County's villager-affairs proxy service (湖南溆浦 村民事务代办), casebook L221–231.

Free, end-to-end proxy handling of villagers' errands (全程代办、无偿服务, L223) by a three-node
network — township agency centre (乡代办中心), village agency room (村代办室), group agents
(组代办员) (L225) — in three modes (定点/上门/流动, L227), under three rules: a time-limit
promise (24 hours at the township, 4 days when the county seat is needed), the tracking card
(为民代办服务跟踪卡) and real-name complaints (L229), and three long-term measures: the monthly
management ledger, the year-end democratic appraisal and the 100-point quantitative score (L231).

The case is the tracking card. This module holds the declaration and every hook, each
delegating: :mod:`.rules` (source facts, settings), :mod:`.stages` (intake, assignment,
deadline, the agent's promise), :mod:`.tables` (own tables), :mod:`.service` (signing, the
promise by command, card check, complaints, appraisal sheets), :mod:`.network` (coverage and
the township centre's staffing), :mod:`.publicity`, :mod:`.appraisal`, :mod:`.duties`,
:mod:`.commands` (``county daiban …``), :mod:`.demo`. See ``plugins/daiban/README.md``.

Only what loading the plugin, its stages and its appraisal need is imported with it; the modules
of its commands, demo, county-file tables, duties and boards are imported by the hook that
uses them (issue 13: start-up).
"""

from __future__ import annotations

from framework import hookimpl
from plugins.daiban import appraisal, rules, stages, tables


@hookimpl
def county_method():
    """Declare 村民事务代办: modes as channels, errand types as categories, no tier chain
    (the source has no escalation for errands), roles ``agent``/``centre_director``/
    ``service_team``, settings with defaults (README), ``extra_type`` = TrackingCard."""
    return rules.method_info()


@hookimpl
def county_migrations(migrations):
    """Tables ``daiban_overdue`` (overdue register), ``daiban_checks`` (monthly card checks),
    ``daiban_complaints`` (real-name complaints) and ``daiban_reviews`` (democratic appraisal)."""
    tables.migrations(migrations)


@hookimpl
def county_register_commands(cli):
    """``county daiban coverage|promise|sign|card|check|overdue|score`` and the ``complaint`` and
    ``review`` sub-groups."""
    from plugins.daiban import commands
    cli.add_command(commands.group)


@hookimpl
def county_deployment_tables():
    """``[[daiban.agents]]``: the three-node agent network of L225 in the county file
    (:mod:`plugins.daiban.deployment`). Returns a list of DeploymentTable."""
    from plugins.daiban import deployment
    return deployment.deployment_tables()


@hookimpl
def county_intake(ctx, case, fields):
    """The tracking card (L229): ``--set mode=fixed_point|home_visit|mobile`` (default: the
    channel, else fixed_point), ``--set scope=township|county`` (default setting
    ``default_scope`` = township), optional agent, proxy, group, special_group, team,
    input_hours. Returns IntakeResult(extra=card fields); CountyError names a bad key."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_assignment(ctx, case, level):
    """The agent who carries the errand (L225, L227): the named agent; for door-to-door the
    requester's group agent (fallback village room, township centre); for mobile a service-team
    member; for fixed-point an agent of the intake unit. Returns Assignment(handler=person id)."""
    return stages.assign(ctx, case)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """The promised time limit (L229) from ``arrived_at`` (aware): scope township → exactly
    ``township_hours`` (24) hours later; scope county → 23:59:59 local of the
    ``county_days``-th (4th) calendar day after; the agent's promise at intake (``promise``,
    never beyond that limit) → the promised instant. One primary ``flag`` milestone; extra
    ``time_limit`` (the promise, else "24小时" / "4天") and ``time_cap``."""
    return stages.deadline(ctx, case, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Boards: the management ledger (管理台账) of the period's cards with the overdue register,
    and for a year the agents' ranking by count, quality and input (张榜公布, L231). Raw rows."""
    from plugins.daiban import publicity
    return publicity.publicity(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Per-agent Metric rows (subject_kind="person"): the 100-point score and its parts, on-time
    and satisfaction rates, overdue entries, upheld complaints, democratic appraisal (year)."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """The monthly card check on the 1st (for the previous month) per township, and the
    democratic appraisal on 31 December (L229, L231). Returns Duty rows with ``done``."""
    from plugins.daiban import duties
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A fixed month at 新建村: ten tracking cards, signing, the card check, a complaint
    rectified (:mod:`plugins.daiban.demo`). Returns the summary line."""
    from plugins.daiban import demo
    return demo.county_demo(ctx, period, titles)
