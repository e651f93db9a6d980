"""sanquan: Xihu District's three fulls, ten services (浙江西湖 三全十服务), casebook L353–371.

Service at all hours (全天候), of every kind (全方位), for everyone (全覆盖) (L355): staggered
office hours 08:00–21:00 on working days and 09:00–17:00 on weekends and holidays with a
24-hour duty and hotline beyond them (L359); ten services in five pairs for five target groups
(L355, L361); grid teams (网组片) and one-to-five-star households visited daily at five stars
(L363); time-limited completion and residents' ratings in appraisal (L367); A/B posts (L371).

Written only against the public plugin API (the ``framework`` root). This module holds the
declaration and every hook, each delegating: :mod:`.rules` (source facts, settings, the
service-hours calendar), :mod:`.stages`, :mod:`.tables`, :mod:`.service` (households, teams,
posts, leave, roster, visits), :mod:`.publicity`, :mod:`.appraisal`, :mod:`.duties`,
:mod:`.commands` (``county sanquan …``), :mod:`.demo`. See ``README.md`` beside it.
"""

from __future__ import annotations

from framework import hookimpl
from plugins.contrib.sanquan import appraisal, commands, demo, duties, publicity, rules, stages, tables


@hookimpl
def county_method():
    """Declare 三全十服务: the ten services as categories (L355), five channels (L359, L363),
    the three-level hotline network community → subdistrict → district as tiers (L359), roles,
    settings with documented defaults, ``extra_type`` = SanquanExtra (household, line, urgent)."""
    return rules.method_info()


@hookimpl
def county_migrations(migrations):
    """Tables ``sanquan_households``, ``sanquan_star_changes``, ``sanquan_team_members``,
    ``sanquan_posts``, ``sanquan_leave``, ``sanquan_roster``, ``sanquan_visits``."""
    tables.migrations(migrations)


@hookimpl
def county_register_commands(cli):
    """``county sanquan hours|respond|visit`` and the ``household``, ``team``, ``post``,
    ``leave``, ``roster`` sub-groups."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """At a community, village or grid; ``--set household=ID line=L urgent=yes``. Records
    whether the matter came in service hours (L359) and the instant it is timed from (the next
    opening when out of hours, unless on-call). Returns IntakeResult(level="community")."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """Priority ``urgent`` for on-call matters (L359), ``high`` for 4- and 5-star households
    (L363, setting ``priority_star_min``). Returns TriageResult or None."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """The duty person out of hours for an on-call matter (L359); the line's A post, or its B
    post when A is on leave (L371); the household's contact or grid team (L363); at the upper
    tiers the township's / county's hotline staff. Returns Assignment."""
    return stages.assign(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """``respond`` (2 h, on-call 1 h; flag) and ``complete`` (primary: 3 / 5 / 10 working days
    per tier, 限时办结 L367; escalate, flag at the district), both from the service start
    (L359). Returns Deadline."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Per community or village: 服务时间 (L359), 民情联系卡·AB岗 (L359, L371) and 本期服务事项.
    Raw rows; the kernel masks them."""
    return publicity.publicity(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Per community and the unit asked: star-visit completion, response on time, out-of-hours
    and on-call intake, B-post cover (L359, L363, L367, L371). Returns Metric rows."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Star-household visits by cadence (five stars: daily, L363) and each community's 24-hour
    duty roster (L359). Returns Duty rows with ``done``."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A fixed month at 和平社区 (:mod:`.demo`). Returns the summary line."""
    return demo.county_demo(ctx, period, titles)
