"""wuxin: Luoyang's “five hearts” programme (河南洛阳杨文社区“五心”工程), casebook L412–445
(methods.md §2.19), written only against the public plugin API (the ``framework`` root).

A community method whose hard facts are structures and schedules rather than case deadlines:

* the **four-level structure** (四级管理, L418) — subdistrict party working committee → community
  party branch → grid party branch → building party group — as the tier chain grid → community →
  subdistrict, after the slogan 身边事不出格、小事不出社区、大事不出街道、矛盾不上交 (L420);
* each **building's 两长四员** (L418), checked per building and handling a building's matter jointly
  (会办) with the grid;
* **left-behind files** (留守儿童、留守老人档案, L432) with their fields and the elders' 六知道;
* **care pairs** — a caring mother (爱心妈妈) per left-behind child, a party volunteer per elder —
  and their schedules (六个一: monthly, yearly on the birthday, half-yearly; 六必须: daily, weekly,
  monthly) as duties with exact dates (L432);
* the environment's 周检查、月评比、年考核 (L437) as duties; the community's service screen as its
  board (L424).

Layout: this module holds the MethodInfo and every hook, each delegating — ``rules``, ``tables``,
``service``, ``stages``, ``duties``, ``publicity``, ``appraisal``, ``deployment``, ``commands``,
``demo``.
"""

from __future__ import annotations

from framework import MethodInfo, hookimpl
from plugins.contrib.wuxin import (
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
    """Declare wuxin (Yangwen community, Luoyang, L412–445): tiers grid → community → subdistrict
    (L418, L420), channels, categories, roles (两长四员 and the carers), settings. Returns a
    ``MethodInfo``."""
    return MethodInfo(
        name=rules.METHOD, title_zh=rules.TITLE_ZH, title=rules.TITLE, source_county=rules.SOURCE_COUNTY,
        source_lines=rules.SOURCE_LINES, version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, tiers=rules.TIERS, roles=rules.ROLES,
        settings=rules.SETTINGS, extra_type=rules.WuxinExtra, stage_rules=rules.STAGE_RULES,
        event_labels=rules.EVENT_LABELS,
    )


@hookimpl
def county_migrations(migrations):
    """Create the plugin's tables (files, file log, pairs, care log, work log) on ``migrations``."""
    tables.register(migrations)


@hookimpl
def county_deployment_tables():
    """``[[wuxin.files]]`` and ``[[wuxin.pairs]]`` in the county file. Returns a list of
    ``DeploymentTable``."""
    return deployment.tables()


@hookimpl
def county_register_commands(cli):
    """Add ``county wuxin …`` (file, pair, care, work, buildings) to the root ``cli``."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """A case at a building, grid, community or subdistrict; ``--set scope``, ``--set file`` (L418,
    L420, L432). Returns an ``IntakeResult``. See :func:`plugins.contrib.wuxin.stages.intake`."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """The slogan's scope and target tier (L420). Returns a ``TriageResult``. See
    :func:`plugins.contrib.wuxin.stages.triage`."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """Grid (with the building's officer, 会办), community or subdistrict party body (L418, L443).
    Returns an ``Assignment``. See :func:`plugins.contrib.wuxin.stages.assignment`."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Grid 3 calendar days → community 5 working days → subdistrict 10 working days, flagged (the
    settings' defaults; the casebook gives no limit). Returns a ``Deadline``. See
    :func:`plugins.contrib.wuxin.stages.deadline`."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Each community's service screen (L424): procedure, cases, care figures, buildings. Returns a
    list of ``Board``. See :func:`plugins.contrib.wuxin.publicity.publicity`."""
    return publicity.publicity(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Slogan, structure, file, pair and duty figures for ``unit`` (or each root) and ``period``
    (L418–L437). Returns a list of ``Metric``. See :func:`plugins.contrib.wuxin.appraisal.appraisal`."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Care duties (六个一 / 六必须, L432) and environment duties (L437) due on ``on_date`` in
    ``unit``'s subtree. Returns a list of ``Duty``. See :func:`plugins.contrib.wuxin.duties.duties`."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A month at a demo community (杨文社区) of the demo county. Returns the summary line. See
    :func:`plugins.contrib.wuxin.demo.county_demo`."""
    return demo.county_demo(ctx, period, titles)
