"""wugeyi: Chengde City's "five ones" township convenience system (河北承德“五个一”乡镇便民服务体系),
casebook L116–128 (methods.md §2.5), written only against the public plugin API (the
``framework`` root).

* **Intake**: a matter reaches a village convenience station, a township convenience centre or
  the county government-affairs centre (L122), by the heart-link card's phones, the 96096
  hotline or the centre's own line (L128), or at a monthly door-to-door talk (月月谈, L126);
  its first receiver (首问受理人) is recorded and answers for it to the end (首问受理制, L126);
  what can be solved on the spot is settled on the spot.
* **Triage**: the household's segment from the opinion database (一般村民 / 致富能手 / 贫困户 /
  信访户, L124); county-level approvals go to the county centre (分流承办, L126; L122).
* **Assignment**: the village's proxy agent (代办员), the township centre's staff (领办), the
  county department's chief representative (首席代表) (L122) — with the first receiver as joint
  handler wherever the matter goes (负责到底, L126).
* **Deadline**: 限时办结 (L122) without a number: per-tier settings, calendar days at the
  village, working days (with 调休) at the centres.
* **Publicity**: the matters ledger, the supervision notices (监督奖惩制, L126) and each
  village's heart-link card (L128), masked by the kernel.
* **Appraisal**: completion rate against 98 % (L118), proxy share, first-receiver and feedback
  rates, talk, book, liaison and card coverage, the four segments.
* Own records: village and household pages (一村一册、一户一页, L124), talks, cards, centre
  hotlines, supervision notices; duties: the monthly talk and the books' upkeep.

Layout: this module holds the MethodInfo and every hook, each delegating — ``rules`` (source
facts), ``stages``, ``profiles`` and ``service`` (the logic), ``publicity``, ``appraisal``,
``duties``, ``tables``, ``commands``, ``demo``.
"""

from __future__ import annotations

from framework import MethodInfo, hookimpl
from plugins.contrib.wugeyi import appraisal, commands, demo, duties, publicity, rules, stages, tables


@hookimpl
def county_method():
    """Declare 五个一 (Chengde, Hebei, L116–128): the chain village station → township centre
    → county centre (L122), channels (L122, L126, L128), the five phone services as categories
    (L128), roles, settings, ``--set`` fields and stage rules. Returns a ``MethodInfo``."""
    return MethodInfo(
        name=rules.NAME, title_zh=rules.TITLE_ZH, title=rules.TITLE, source_county=rules.SOURCE_COUNTY,
        source_lines=rules.SOURCE_LINES, version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, tiers=rules.TIERS, roles=rules.ROLES,
        settings=rules.SETTINGS, extra_type=rules.WugeyiExtra, stage_rules=rules.STAGE_RULES,
        event_labels=rules.EVENT_LABELS,
    )


@hookimpl
def county_migrations(migrations):
    """Create the plugin's tables (village and household pages, profile log, talks, cards,
    centre hotlines, supervision notices); ``migrations`` is the method's migration set."""
    tables.register(migrations)


@hookimpl
def county_register_commands(cli):
    """Add ``county wugeyi …`` (village set, book, liaisons, household set/import/list, talk
    add/list, feedback, conduct add, card show/issue, centre) to the root ``cli``."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """Intake: ``fields`` (``--set``) → ``IntakeResult``; the first receiver is required (L126),
    the starting tier follows the unit's level (L122). See
    :func:`plugins.contrib.wugeyi.stages.intake`."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """Triage: segment and priority from the household page (L124), county matters to the
    county centre (L122, L126) → ``TriageResult`` or None. See
    :func:`plugins.contrib.wugeyi.stages.triage`."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """Assignment at tier ``level``: the first receiver, or the tier's lead with the first
    receiver as joint handler (L122, L126) → ``Assignment``. See
    :func:`plugins.contrib.wugeyi.stages.assignment`."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Deadline at tier ``level`` from ``arrived_at`` (aware): 限时办结 (L122), per-tier
    settings → ``Deadline``. See :func:`plugins.contrib.wugeyi.stages.deadline`."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Boards of ``unit`` for ``period``: the matters ledger, the supervision notices, the
    villages' heart-link cards (L126, L128) → ``[Board]``. See
    :func:`plugins.contrib.wugeyi.publicity.publicity`."""
    return publicity.publicity(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Figures of ``unit`` (or each root) for ``period`` (L118, L124, L126, L128) →
    ``[Metric]``. See :func:`plugins.contrib.wugeyi.appraisal.appraisal`."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Duties on ``on_date``: each village's monthly talk (L126) and its book's upkeep (L124)
    → ``[Duty]``. See :func:`plugins.contrib.wugeyi.duties.duties`."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A month of 五个一 at 双峰寺镇 (added to the demo county). Returns the summary line. See
    :func:`plugins.contrib.wugeyi.demo.county_demo`."""
    return demo.county_demo(ctx, period, titles)
