"""jieti: Mojiang County's three ways (云南墨江“三种方式”), casebook L292–306.

“金字塔式”联系群众 (L298): responsibility zones held by leaders by rank, every salaried employee a
people's servant with contact targets. “聚焦式”收集民意 (L302): four selection bodies with joint
meetings weekly (group), half-monthly (village), monthly (township), quarterly (county), the
liaison cadre's reports, leaders' reception hours. “阶梯式”解决民困 (L306): a matter is handled
at the tier its scope covers — household, group, village (with the paired department, 挂牌办理),
township, the county leading-group office (feasibility report) and the county committee and
government — with a monthly inspection and annual quotas per cadre.

Written only against the public plugin API (the ``framework`` root). Each hook delegates:
:mod:`.rules` (source facts, settings), :mod:`.stages`, :mod:`.zones`, :mod:`.service`,
:mod:`.cadence`, :mod:`.duties`, :mod:`.publicity`, :mod:`.appraisal`, :mod:`.tables`,
:mod:`.commands`, :mod:`.demo`. See ``plugins/contrib/jieti/README.md``.
"""

from __future__ import annotations

from framework import hookimpl

from . import appraisal, commands, demo, duties, publicity, rules, stages, tables


@hookimpl
def county_method():
    """Declare jieti: the ladder household → group → village → township → county_office →
    county_leadership (by command only) (L306), channels, categories, roles (L298), settings
    (tier times: none in the source), stage_rules (its triage and assignment can be lent)."""
    return rules.method_info()


@hookimpl
def county_migrations(migrations):
    """Tables jieti_zones, jieti_area_contacts, jieti_meetings, jieti_inspections,
    jieti_liaison_reports, jieti_quota_log, jieti_receptions (:mod:`.tables`)."""
    tables.migrations(migrations)


@hookimpl
def county_register_commands(cli):
    """``county jieti zone add|contact|list|check``, ``meeting``, ``inspect``, ``liaison``,
    ``report-up``, ``feasibility``, ``quota log|show``, ``reception``."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """The matter's scope (L306): ``--set scope=household|group|village|township|county``,
    ``affected``, ``households``, ``group``, ``household``, ``servant``. Returns
    IntakeResult(extra); CountyError names a bad key."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """The ladder's starting tier: the lowest whose scope covers the matter (L306). Returns
    TriageResult(level, extra ladder_scope / ladder_unit, note). Lendable to other methods."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """The tier's zone leader (责任人), with the servant (household) or paired department
    (village, 挂牌办理) jointly (L298, L306). Returns Assignment, or None off jieti's chain."""
    return stages.assign(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Each tier's time (settings; the source has no day counts, L306) through ctx.calendar:
    missed → the next tier (or 督办); the leading-group office's feasibility report is flagged."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """``〈unit〉阶梯式解决民困公示（P）``: matters, joint meetings; at the county the leaders'
    reception hours (L302) and the inspection's 通报 (L306). Raw rows, masked by the kernel."""
    return publicity.county_publicity(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """The slogan's shares (L302), the meeting and inspection rates (L302, L306), and for a
    year the quotas per person and unit (L306). Returns [Metric]."""
    return appraisal.county_appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Selection-body meetings (weekly / half-monthly / monthly / quarterly, L302), the monthly
    inspection (L306), the liaison reports (L302) and, on 31 December, each person's annual
    quotas (L306) due on ``on_date``. Returns [Duty]."""
    return duties.county_duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A fixed month at 太平镇: zones, meetings, a matter of each scope, the inspection.
    Returns one summary line."""
    return demo.county_demo(ctx, period, titles)
