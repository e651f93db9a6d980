"""zaizhi: Baoshan's employed party members serving where they live (上海宝山友谊路街道“三比三争”,
组团式联系服务群众), casebook L383–397 (methods.md §2.17), written only against the public plugin
API (the ``framework`` root).

A volunteer-resource and schedule method with a thin case pipeline:

* the **register** (《在职党员登记台帐》, L389): members by occupation, skills, habits, group,
  economic situation and needs (L397); agency cadres of the subdistrict's party branch;
* **service posts** (小修小补, L397) that members **claim** (认领) and serve monthly at fixed times;
* the agency branch's **quarterly calendar** (study on the 10th of a quarter's first month,
  group activity days on the 15th of its second and third months) and **4 visits a month**
  within working hours (L389), as duties;
* **requests** (诉求): a post request is due on the post's service day; others get the
  residential area's answer, then the subdistrict's (L393);
* **三比三争** (L385) as appraisal figures; commendations and posts on boards (L393, L397).

Layout: this module holds the MethodInfo and every hook, each delegating — ``rules``,
``tables``, ``service``, ``stages``, ``duties``, ``publicity``, ``appraisal``, ``deployment``,
``commands``, ``demo``.
"""

from __future__ import annotations

from framework import MethodInfo, hookimpl
from plugins.contrib.zaizhi import appraisal, commands, demo, deployment, duties, publicity, rules, stages, tables


@hookimpl
def county_method():
    """Declare zaizhi (Youyi Road, Baoshan, Shanghai, L383–397): tiers area → subdistrict,
    channels, categories (the six post kinds and 双向服务), roles, settings. Returns a
    ``MethodInfo``."""
    return MethodInfo(
        name=rules.METHOD, title_zh=rules.TITLE_ZH, title=rules.TITLE, source_county=rules.SOURCE_COUNTY,
        source_lines=rules.SOURCE_LINES, version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, tiers=rules.TIERS, roles=rules.ROLES,
        settings=rules.SETTINGS, extra_type=rules.ZaizhiExtra, stage_rules=rules.STAGE_RULES,
        event_labels=rules.EVENT_LABELS,
    )


@hookimpl
def county_migrations(migrations):
    """Create the plugin's tables (members, posts, claims, activities, commendations, brands)."""
    tables.register(migrations)


@hookimpl
def county_deployment_tables():
    """``[[zaizhi.members]]`` and ``[[zaizhi.posts]]`` in the county file. Returns a list of
    ``DeploymentTable``."""
    return deployment.tables()


@hookimpl
def county_register_commands(cli):
    """Add ``county zaizhi …`` (member, post, record, commend, brand, calendar)."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """A request at a residential area (or its zone): post, member, to_employer (L393, L397).
    See :func:`plugins.contrib.zaizhi.stages.intake`."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """A post request takes the post's kind; a post-kind request finds the area's claimed post
    (L397). See :func:`plugins.contrib.zaizhi.stages.triage`."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """Area: the post's claimant, else the area's party secretary; subdistrict: its leader
    (L393, L397). See :func:`plugins.contrib.zaizhi.stages.assignment`."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Area: the post's next service day (flag) or ``answer_days`` (escalate); subdistrict:
    ``subdistrict_days`` working days (flag). See :func:`plugins.contrib.zaizhi.stages.deadline`."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Each subdistrict's commendations and calendar days, each area's posts and requests
    (L389, L393, L397). See :func:`plugins.contrib.zaizhi.publicity.publicity`."""
    return publicity.publicity(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """三比三争 figures for ``unit`` (or each root) and ``period`` (L385–397). See
    :func:`plugins.contrib.zaizhi.appraisal.appraisal`."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Study and group activity days, monthly visits, post service days due on ``on_date``
    (L389, L397). See :func:`plugins.contrib.zaizhi.duties.duties`."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A month at 友谊路街道 on the demo county. Returns the summary line. See
    :func:`plugins.contrib.zaizhi.demo.county_demo`."""
    return demo.county_demo(ctx, period, titles)
