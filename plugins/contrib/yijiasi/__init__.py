"""社区“1+4”组团服务 (yijiasi): Huai'an's team service for urban communities (江苏淮安, casebook
L447–457), written against the public plugin API (the ``framework`` root) only.

The community party organisation (the "1") and four partners — city departments, party-building
instructors, student party-member volunteers, lawyer party-member volunteers (the "4") — form a
service team (服务团) per co-built community (L449). They sign an agreement at the start of each
year (L453); every member contacts the community weekly and works there one day a fortnight, and
the team holds a concentrated event every quarter (L455); the appraisal is layered, and the
community is consulted before any member is assessed or commended (L457).

Every hook is here, each delegating: ``rules`` (the declaration's parts), ``tables``,
``stages``, ``publicity``, ``appraisal``, ``duties``, ``service`` / ``layered`` (the records),
``deployment`` (``[[yijiasi.teams]]``, ``[[yijiasi.members]]``), ``commands``, ``demo``.
"""

from __future__ import annotations

from framework import MethodInfo, hookimpl

from . import (
    appraisal,
    commands,
    demo,
    deployment,
    duties,
    publicity,
    rules,
    stages,
    tables,
)


@hookimpl
def county_method():
    """Declare yijiasi: tiers team → leader (both at the community), the four agreement areas as
    categories (L453), the "1+4" roles (L449, L457), settings for what the casebook leaves open.
    Returns a ``MethodInfo``."""
    return MethodInfo(
        name=rules.NAME, title_zh=rules.TITLE_ZH, title=rules.TITLE, source_county=rules.SOURCE_COUNTY,
        source_lines=rules.SOURCE_LINES, version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, tiers=rules.TIERS, roles=rules.ROLES,
        settings=rules.SETTINGS, extra_type=rules.Extra, stage_rules=rules.STAGE_RULES,
    )


@hookimpl
def county_migrations(migrations):
    """The method's own tables (``migrations``: its migration set): teams, members, agreements,
    participation, events, posts, opinions, appraisals, checks."""
    tables.register(migrations)


@hookimpl
def county_deployment_tables():
    """``[[yijiasi.teams]]`` and ``[[yijiasi.members]]`` in the county file → ``[DeploymentTable]``."""
    return deployment.tables()


@hookimpl
def county_intake(ctx, case, fields):
    """Intake: a community's matter (``fields``: ``--set service/member/post``) → ``IntakeResult``
    at tier team, with the community's team in ``extra.team`` (L449)."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """Triage: a missing category becomes ``default_area``, an agreement area (L453) →
    ``TriageResult`` or None."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """Assignment: tier ``level`` → ``Assignment``: the community's party secretary leads and a
    team member handles jointly (L449); at tier leader the team leader (L457)."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Deadline: ``arrived_at`` (aware) → ``Deadline``: team ``team_days`` calendar days then up;
    leader ``leader_working_days`` working days then flagged (settings; none in the casebook)."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Publicity: per community of ``unit``'s subtree, the team, the period's events and matters
    → ``[Board]`` (the plugin's choice: the casebook describes no board)."""
    return publicity.boards(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Appraisal: the cadence rates (L453, L455, L457) and counts for ``unit`` (or each root) over
    ``period`` → ``[Metric]``."""
    return appraisal.metrics(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Duties on ``on_date`` (a local ``date``): agreement, weekly contact, fortnightly work day,
    quarterly event, the leader's community first, annual assessment → ``[Duty]``."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_register_commands(cli):
    """Add ``county yijiasi …`` to the root ``cli`` (``click.Group``)."""
    cli.add_command(commands.group)


@hookimpl
def county_demo(ctx, period, titles):
    """The demo month ``period`` (``YYYY-MM``) at 清河街道's two communities; ``titles`` the
    month's real message titles. Returns the summary line."""
    return demo.seed(ctx, period, titles)
