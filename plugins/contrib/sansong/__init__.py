"""sansong: Ganzhou City's "three deliveries" (江西赣州“三送”：送政策、送温暖、送服务), casebook
L130–165 (methods.md §2.6), written only against the public plugin API (the ``framework`` root).

* **Intake**: the household's contact cadre hears it directly or by the contact plate's phone
  (L137, L140); the 96333 群信通 hotline takes requests in centrally and grades them by level
  (集中受理、分级承办、限时反馈, L140); the quarterly consultation meeting (L140).
* **Triage**: the five promotion tasks as categories (五促进, L138); priority for the contact
  groups named first (老红军、红军失散人员、贫困户、信访户, L137).
* **Assignment**: the contact cadre, then the four-level linkage village → township → county
  → city (村乡县市四级联动, L140), the village committee leading with the work team joint
  (驻村不取代, L155).
* **Deadline**: no day counts in the source: per-tier settings, replaced by the publicly
  promised completion date (明确办结时限，作出公开承诺, L140); the hotline's feedback in hours.
* **Publicity**: each village's board — cases with their promises, contact plates (联系牌),
  signed diary entries (民情日记), consultation meetings (L140).
* **Appraisal**: direct-solve share, hotline feedback, coverage (双向全覆盖, L142), the quotas of
  the three contact modes (L137), 20 days a month in the village (L142), diary signatures,
  quarterly meetings, the annual satisfaction rating per cadre (L140).
* Own records: households, point pairings, links, stationings, presence, diary, meetings,
  ratings; duties: the quarterly meeting, monthly presence, the annual rating.

Layout: this module holds the MethodInfo and every hook, each delegating — ``rules`` (source
facts), ``stages``, ``network`` and ``service`` (the logic), ``publicity``, ``appraisal``,
``duties``, ``tables``, ``deployment`` (the county file's tables), ``commands``, ``demo``.
"""

from __future__ import annotations

from framework import MethodInfo, hookimpl
from plugins.contrib.sansong import appraisal, commands, demo, deployment, duties, publicity, rules, stages, tables


@hookimpl
def county_method():
    """Declare 三送 (Ganzhou, Jiangxi, L130–165): the chain contact cadre → village → township
    → county → city (L140), channels (L137, L140), the five tasks as categories (L138), roles,
    settings, ``--set`` fields and stage rules. Returns a ``MethodInfo``."""
    return MethodInfo(
        name=rules.NAME, title_zh=rules.TITLE_ZH, title=rules.TITLE, source_county=rules.SOURCE_COUNTY,
        source_lines=rules.SOURCE_LINES, version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, tiers=rules.TIERS, roles=rules.ROLES,
        settings=rules.SETTINGS, extra_type=rules.SansongExtra, stage_rules=rules.STAGE_RULES,
        event_labels=rules.EVENT_LABELS,
    )


@hookimpl
def county_migrations(migrations):
    """Create the plugin's tables (households, points, links, stations, presence, diary,
    consultations, ratings); ``migrations`` is the method's sqlite-utils migration set."""
    tables.register(migrations)


@hookimpl
def county_register_commands(cli):
    """Add ``county sansong …`` (household, point, link, station, presence, check, diary,
    consult, rating, promise, feedback) to the root ``cli`` (a click group)."""
    cli.add_command(commands.group)


@hookimpl
def county_deployment_tables():
    """The contact network in the county file: ``[[sansong.households]]``, ``points``,
    ``links``, ``stations`` (L137, L140, L142) → ``[DeploymentTable]``. See
    :mod:`plugins.contrib.sansong.deployment`."""
    return deployment.tables()


@hookimpl
def county_intake(ctx, case, fields):
    """Intake: ``fields`` (``--set``) → ``IntakeResult``; the starting tier is the contact
    cadre or the hotline's grade (L137, L140). See :func:`plugins.contrib.sansong.stages.intake`."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """Triage: the five tasks (L138) and the priority groups (L137) → ``TriageResult`` or
    None. See :func:`plugins.contrib.sansong.stages.triage`."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """Assignment at tier ``level``: the contact cadre, then each linkage level's unit and
    person (L140, L155) → ``Assignment``. See :func:`plugins.contrib.sansong.stages.assignment`."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Deadline at tier ``level`` from ``arrived_at`` (aware): the promise or the tier's days,
    the hotline's feedback hours (L140) → ``Deadline``. See
    :func:`plugins.contrib.sansong.stages.deadline`."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Boards of ``unit`` for ``period``: per village the cases and promises, contact plates,
    diary, meetings (L140) → ``[Board]``. See :func:`plugins.contrib.sansong.publicity.publicity`."""
    return publicity.publicity(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Figures of ``unit`` (or each root) for ``period`` (L137, L140, L142) → ``[Metric]``.
    See :func:`plugins.contrib.sansong.appraisal.appraisal`."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Duties on ``on_date``: quarterly consultation (L140), monthly 20 days in the village
    (L142), the annual rating (L140) → ``[Duty]``. See :func:`plugins.contrib.sansong.duties.duties`."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A month of 三送 at 禾坑村 (added to the demo county). Returns the summary line. See
    :func:`plugins.contrib.sansong.demo.county_demo`."""
    return demo.county_demo(ctx, period, titles)
