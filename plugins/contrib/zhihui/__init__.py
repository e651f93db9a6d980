"""zhihui: Yongning's smart community around the party members' reception room (宁夏永宁县
“智慧社区”, 以“党员会客室”为平台), casebook L399–410 (methods.md §2.18), written only against the
public plugin API (the ``framework`` root).

* **one-stop intake** (一站式服务大厅 in the 党员会客室, L404) at a community, or in a grid;
* the **population register** (社区人口资源数据库, L404): each person entered once, at a house of a
  grid (以房管人, L406), markers 民政、计生、低保 summed per grid;
* the **grids** and their **4+4+1+6** staffing (L406), checked when a post is filled and reported
  grid by grid; cases stay in the grid (事不出格), then go to the community's grid management
  centre and the subdistrict (L402, L406) on limits that are settings;
* the service station's **20% profit share** (L410) and the workers' **大专 within 3–5 years**
  (L408).

Layout: this module holds the MethodInfo and every hook, each delegating — ``rules``, ``tables``,
``register``, ``staffing``, ``service``, ``stages``, ``publicity``, ``appraisal``, ``duties``,
``deployment``, ``commands``, ``demo``.
"""

from __future__ import annotations

from framework import MethodInfo, hookimpl
from plugins.contrib.zhihui import (
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
    """Declare zhihui (Yanghe subdistrict, Yongning, L399–410): tiers grid → community →
    subdistrict, channels, categories, the 4+4+1+6 roles, settings. Returns a ``MethodInfo``."""
    return MethodInfo(
        name=rules.NAME, title_zh=rules.TITLE_ZH, title=rules.TITLE, source_county=rules.SOURCE_COUNTY,
        source_lines=rules.SOURCE_LINES, version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, tiers=rules.TIERS, roles=rules.ROLES,
        settings=rules.SETTINGS, extra_type=rules.Extra, stage_rules=rules.STAGE_RULES,
        event_labels=rules.EVENT_LABELS,
    )


@hookimpl
def county_migrations(migrations):
    """Create the plugin's tables (residents, houses, staff, education, revenue) on ``migrations``."""
    tables.register(migrations)


@hookimpl
def county_deployment_tables():
    """``[[zhihui.staff]]`` in the county file (the 4+4+1+6 posts). Returns a list of
    ``DeploymentTable``."""
    return deployment.tables()


@hookimpl
def county_register_commands(cli):
    """Add ``county zhihui …`` (resident add, summary, staff add/remove, staffing, revenue,
    education) to the root ``cli``."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """One-stop intake at a community hall or in a grid; the resident's grid from the register
    (L404, L406) → ``IntakeResult``. See :func:`plugins.contrib.zhihui.stages.intake`."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """A one-button call of an empty-nest elderly person is priority high (L404) →
    ``TriageResult`` or None. See :func:`plugins.contrib.zhihui.stages.triage`."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """Grid: a full-time grid worker (with the field's officer jointly); community: the 网格管理员;
    subdistrict: the 督导员 (L406) → ``Assignment``. See :func:`plugins.contrib.zhihui.stages.assignment`."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """``grid_days`` / ``community_days`` (escalate) / ``subdistrict_days`` (flag) from
    ``arrived_at`` (aware), calendar or working days (settings) → ``Deadline``. See
    :func:`plugins.contrib.zhihui.stages.deadline`."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Each community's 居务公开 board for ``unit`` and ``period``: matters, 4+4+1+6 roll, profit
    share (L404, L406, L410) → ``[Board]``. See :func:`plugins.contrib.zhihui.publicity.publicity`."""
    return publicity.publicity(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """事不出格率, 4+4+1+6 达标率, 大专以上占比, register and grid counts, profit share for ``unit``
    (or each root) and ``period`` → ``[Metric]``. See :func:`plugins.contrib.zhihui.appraisal.appraisal`."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """The monthly 4+4+1+6 check per grid and the 大专 goal per community due on ``on_date`` →
    ``[Duty]``. See :func:`plugins.contrib.zhihui.duties.duties`."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A month at 杨和街道 on the demo county (``period`` YYYY-MM, ``titles`` real message titles).
    Returns the summary line. See :func:`plugins.contrib.zhihui.demo.county_demo`."""
    return demo.county_demo(ctx, period, titles)
