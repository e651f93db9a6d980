"""dianti: Sinan County's "order a service" method (贵州思南“点题服务”), casebook L63–103.

Pipeline (L75): 群众点题申请 villagers pick a topic → 支部组织协调 the party branch coordinates →
党员和能人服务 party members and capable people serve → 群众监督落实 villagers supervise. Three
centres (L77–83) carry it:

* 服务协调中心 coordination centre (L81): takes requests at its window, staffed on a rota of
  village cadres (村干部轮流坐班), decides the service group and the requirement — **intake**
  and **triage**;
* 能人服务中心 skilled-people service centre (L79): the register (能人档案) and its service groups,
  each led by a capable party member — **assignment** to a group and a responsible member;
* 服务监督中心 supervision centre (L83): supervises, posts the 点题服务公开栏 and evaluates the
  effect every quarter; once a year three awards — **publicity** and **appraisal**.

The source names no time limit: a committed service date (``--set service_date=YYYY-MM-DD``)
gives the case its due instant (end of that day, local); otherwise the case has none, and a
deployment may bind the stage to another method (``[bindings] dianti.deadline = "taizhang"``).

This module holds the MethodInfo and every hook, each delegating: ``rules`` (constants,
settings, the village of a unit), ``tables`` (own tables), ``stages``, ``publicity``,
``appraisal``, ``duties``, ``service`` (used by ``commands`` and ``demo``).

Only what loading the plugin, its stages and its appraisal need is imported with it; the modules
of its commands, demo, county-file tables, duties and boards are imported by the hook that
uses them (issue 13: start-up).
"""

from __future__ import annotations

from framework import MethodInfo, StageRule, hookimpl
from plugins.dianti import appraisal, rules, stages, tables
from plugins.dianti.rules import CHANNELS, ROLES, SETTINGS, DiantiExtra


@hookimpl
def county_method():
    """Declare 点题服务 (Sinan, casebook L63–103): six stages, no tier chain of its own."""
    return MethodInfo(
        event_labels=rules.EVENT_LABELS,
        name="dianti", title_zh="点题服务", title="Order-a-service (topic-picking) method",
        source_county="贵州省思南县 Sinan County, Guizhou", source_lines="L63–103", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=CHANNELS, categories={}, tiers=[], roles=ROLES, settings=SETTINGS, extra_type=DiantiExtra,
        stage_rules={  # only the deadline may be bound: to a chain that starts at the village
            "intake": StageRule("点题 is taken in at the coordination centre's window in the village, staffed on "
                                "the village cadres' rota (L75, L81)", keep=True),
            "triage": StageRule("the coordination centre routes each request, by its service and skill, to a "
                                "service group of the village's register (L79, L81)", keep=True, lend=False),
            "assignment": StageRule("the member of the routed service group with the skill is the request's "
                                    "服务责任人 (L79, L81)", keep=True, lend=False),
            "deadline": StageRule("the source names no time limit, so a chain that starts at the village, where "
                                  "the request is taken in, may time it (L75, L81); dianti's own due instant is "
                                  "the committed service date of its own requests", first_level=("village",),
                                  lend=False),
        },
    )


@hookimpl
def county_migrations(migrations):
    """dianti's tables: groups, register, centre members, window rota, ratings, reviews
    (see :mod:`plugins.dianti.tables`). Returns nothing."""
    tables.add_migrations(migrations)


@hookimpl
def county_register_commands(cli):
    """Add the ``county dianti`` group (:mod:`plugins.dianti.commands`). Returns nothing."""
    from plugins.dianti import commands
    cli.add_command(commands.group)


@hookimpl
def county_deployment_tables():
    """dianti's tables in the county file: ``[[dianti.groups]]``, ``[[dianti.members]]``,
    ``[[dianti.centres]]``, ``[[dianti.rota]]`` (L79–83; :mod:`plugins.dianti.deployment`).
    Returns a list of DeploymentTable."""
    from plugins.dianti import deployment
    return deployment.deployment_tables()


@hookimpl
def county_intake(ctx, case, fields):
    """点题 (L75, L81): :func:`plugins.dianti.stages.intake`. Returns IntakeResult."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """协调 (L81): the service group by :func:`plugins.dianti.stages.route`. Returns TriageResult."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """服务责任人 (L81): :func:`plugins.dianti.stages.assignment`. Returns Assignment or None."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """The committed service date, if any: :func:`plugins.dianti.stages.deadline`. Returns Deadline."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """点题服务公开栏 (L83, L93) per village: :func:`plugins.dianti.publicity.boards` (``cases``
    unused: the boards read the method's cases themselves). Returns a list of Board."""
    from plugins.dianti import publicity
    return publicity.boards(ctx, unit, period)


@hookimpl
def county_appraisal(ctx, unit, period):
    """服务效果评价 and yearly awards (L83): :func:`plugins.dianti.appraisal.appraisal`.
    Returns a list of Metric."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Quarterly evaluation and board posting (L83): :func:`plugins.dianti.duties.duties`.
    Returns a list of Duty."""
    from plugins.dianti import duties
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A month of 点题服务 at 观音村 of the demo county: :func:`plugins.dianti.demo.county_demo`.
    Returns the summary line (str) or None."""
    from plugins.dianti import demo
    return demo.county_demo(ctx, period, titles)
