"""shequ365: Ningbo's 365 community service method (宁波“365社区服务工作法”), casebook L373–381.

"三联、六服务、五机制" (L375). What this plugin runs:

* 三联 (L377): social workers with a line (管线), a grid of about 250 households (包片) and 25+
  linked households visited every month (联户); party members in 一代四员 / 一员双岗; volunteers —
  plugin tables, imported from CSV (``county shequ365 grids|households|members import``).
* 民情收集 (L381): 一日两巡 (morning and evening patrol), 五访 (five mandatory visits), 五问 (five
  questions) — channels of intake and recurring duties (``county_duties``).
* 民情处置 (L381): the three handling forms are the tiers of the chain —
  ``time_limited`` (包片社工限时办结) → ``follow_up`` (个人领办/单位承办/组团协办, by a committed
  date) → ``coordination`` (社区事务协调会, no limit).
* 民情分析 (L381): 日碰头、周研判、月会商（月底“两委”联席会）、季恳谈、动态听证 as duties and meetings.
* 民情反馈 (L381): items passed by the joint meeting and hearing resolutions on the board (居务公开栏).
* 民情评议 (L381): quarterly review, year-end rating by member representatives; visit coverage.

This module declares the method and its hooks, each delegating to a module: ``rules`` (source
facts, settings), ``tables`` (own tables), ``stages``, ``duties``, ``publicity``,
``appraisal``, ``service`` (what the commands and the demo do), ``commands``, ``demo``.

Only what loading the plugin, its stages and its appraisal need is imported with it; the modules
of its commands, demo, county-file tables, duties and boards are imported by the hook that
uses them (issue 13: start-up).
"""

from __future__ import annotations

from framework import MethodInfo, StageRule, hookimpl
from plugins.shequ365 import appraisal, rules, stages, tables
from plugins.shequ365.rules import (
    CATEGORIES,
    CHANNELS,
    METHOD,
    ROLES,
    SETTINGS,
    TIERS,
    Shequ365Extra,
)


@hookimpl
def county_method():
    """Declare shequ365 (MethodInfo): channels 两巡/五访/五问/专线, categories mapped to the three
    handling forms, the chain time_limited → follow_up → coordination (L381), settings."""
    return MethodInfo(
        event_labels=rules.EVENT_LABELS,
        name=METHOD, title_zh="365社区服务工作法", title="365 community service method",
        source_county="浙江省宁波市 Ningbo City, Zhejiang", source_lines="L373–381", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=CHANNELS, categories=CATEGORIES, tiers=TIERS, roles=ROLES, settings=SETTINGS,
        extra_type=Shequ365Extra,
        stage_rules={  # [bindings] may give none of its stages away, nor bind another method's to them
            "intake": StageRule("民情收集: a matter comes from the grid's two patrols, the five visits and the "
                                "five questions, by household and grid (L381)", keep=True),
            "triage": StageRule("民情处置 by the nature of the matter: 限时办结, 归口办理 or 多方协调 is the tier "
                                "it starts at (L381)", keep=True, lend=False),
            "assignment": StageRule("by handling form: the grid's social worker, the individual, unit or team "
                                    "that takes it up, or the community's coordination meeting (L377, L381)",
                                    keep=True, lend=False),
            "deadline": StageRule("the three handling forms are its own tiers: 限时办结 within the deployment's "
                                  "limit, 归口办理 by the committed date, 多方协调 at the community's meeting "
                                  "(L381)", keep=True, lend=False),
        },
    )


@hookimpl
def county_migrations(migrations):
    """Create shequ365's own tables (see :mod:`plugins.shequ365.tables`)."""
    tables.register_migrations(migrations)


@hookimpl
def county_register_commands(cli):
    """Add ``county shequ365 …`` (see :mod:`plugins.shequ365.commands`)."""
    from plugins.shequ365 import commands
    cli.add_command(commands.group)


@hookimpl
def county_deployment_tables():
    """``[[shequ365.grids]]``, ``[[shequ365.members]]``, ``[[shequ365.households]]``: the three
    links of L377 in the county file (:mod:`plugins.shequ365.deployment`). Returns a list of
    DeploymentTable."""
    from plugins.shequ365 import deployment
    return deployment.deployment_tables()


@hookimpl
def county_intake(ctx, case, fields):
    """Intake: validate the method's fields; the starting tier is the handling form
    (:func:`plugins.shequ365.stages.intake`)."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """Triage by grid and form (:func:`plugins.shequ365.stages.triage`)."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """Assignment by grid and form (:func:`plugins.shequ365.stages.assignment`)."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Deadlines of the three forms (:func:`plugins.shequ365.stages.deadline`)."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Patrols, cadence meetings, hearings and visits due on ``on_date``
    (:func:`plugins.shequ365.duties.duties`)."""
    from plugins.shequ365 import duties
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """The community affairs board (:func:`plugins.shequ365.publicity.boards`)."""
    from plugins.shequ365 import publicity
    return publicity.boards(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """shequ365's own figures (:func:`plugins.shequ365.appraisal.appraisal`)."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_demo(ctx, period, titles):
    """A month of 和平社区's work for ``county demo`` (:func:`plugins.shequ365.demo.seed`)."""
    from plugins.shequ365 import demo
    return demo.seed(ctx, period, titles)
