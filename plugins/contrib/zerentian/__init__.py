"""zerentian: Lüyuan District's six haves, one review; responsibility fields; the information
platform with PDA phones (吉林长春绿园区“六有一评”“责任田+党支部+服务团”“信息平台+PDA手机”),
casebook L310–316.

六有一评 (L312): a six-level service platform (区中心 → 镇（街）分中心 → 村（社区）工作站 →
屯（小区）工作室 → 责任田党支部 → 党员中心户), twelve opinion channels, and every June a
district-wide review where party organisations report and are rated by the people. 责任田
(L314): the villages and communities subdivided into responsibility fields, each with its party
branch and service team. 信息平台+PDA手机 (L316): information officers upload photos and video
from the spot; a request registered at its village or community terminal is reported up level
by level to the district civil-affairs handling centre, sorted and transferred to the responsible
department; the completion rate is the platform's measure.

Written only against the public plugin API (the ``framework`` root). Each hook delegates:
:mod:`.rules` (source facts, settings), :mod:`.stages`, :mod:`.service`, :mod:`.publicity`,
:mod:`.appraisal`, :mod:`.duties`, :mod:`.tables`, :mod:`.deployment`, :mod:`.commands`,
:mod:`.demo`. See ``plugins/contrib/zerentian/README.md``.
"""

from __future__ import annotations

from framework import hookimpl

from . import appraisal, commands, demo, deployment, duties, publicity, rules, stages, tables


@hookimpl
def county_method():
    """Declare zerentian: the platform's chain workstation → subcentre → district_centre →
    department (by the centre's transfer only) (L316), channels (L312, L316), roles, settings
    (every time limit: none in the casebook). Returns a ``MethodInfo``."""
    return rules.method_info()


@hookimpl
def county_migrations(migrations):
    """Tables zerentian_fields, _members, _activities (L314), _pledges, _reviews, _ratings
    (L312) (:mod:`.tables`)."""
    tables.migrations(migrations)


@hookimpl
def county_deployment_tables():
    """``[[zerentian.fields]]`` and ``[[zerentian.members]]`` (L314). Returns [DeploymentTable]."""
    return deployment.tables()


@hookimpl
def county_register_commands(cli):
    """``county zerentian field add|list``, ``member add``, ``activity``, ``pda``, ``transfer``,
    ``pledge``, ``fulfil``, ``review hold|rate``, ``facts`` on the root ``cli``."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """Intake at the village/community terminal or by PDA (L316): ``fields`` (``--set``) field,
    officer, hamlet, household → IntakeResult(extra, level=start_tier); CountyError names a bad
    unit or key."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """The platform sorts and classifies (梳理、分类, L316): a category by keyword when none was
    given → TriageResult, or None."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """The terminal of tier ``level`` and its one person; the field's party branch secretary
    jointly at the workstation (L314, L316) → Assignment, or None."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Each level's limit from ``arrived_at`` (working days by default; settings, the casebook
    gives none): workstation and sub-centre report up when missed, the centre and the
    department are flagged (L316) → Deadline."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Each village's or community's 民情信息平台公示 (requests, media as a count, fields) and the
    June review's 述职测评 board (L312, L314, L316) → [Board], rows raw."""
    return publicity.boards(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """completion_rate (办结率, L316), media_share, field figures (L314), pledge_fulfilment_rate
    and review_rating (L312) for ``unit`` or each root → [Metric]."""
    return appraisal.metrics(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """The June review (每年6月, L312) and each field branch's report, due 30 June → [Duty]."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A fixed month at 和平社区 and 新建村: fields, a PDA report, a transfer, a pledge (and the
    review in June). Returns one summary line."""
    return demo.seed(ctx, period, titles)
