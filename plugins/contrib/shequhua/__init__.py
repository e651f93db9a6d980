"""shequhua: Songshan District's community-style management of villages (内蒙松山“农村社区化管理”),
casebook L266–290 (methods.md §2.11), written only against the public plugin API (the
``framework`` root).

Urban community management applied to villages (L270): each pilot village sets up a
**community management service centre** (社区化管理服务中心) with service organisations by area —
production technology, environmental sanitation, dispute mediation, public welfare, culture and
sport (L282) — staffed by village and group cadres, party members, reserve cadres and activists
(L282). Subdistricts pair with townships and urban communities with pilot villages (帮联对子,
L273); the district organisation department checks regularly, at random and at year end, and
picks model villages from what it finds (L276), which are promoted (L276).

* a **matter** (服务事项) is a kernel case taken in at a village's centre, filed by area,
  handled by that area's organisation, up to the township when not done in time (limits are
  settings: the source has none), the urban partner joining (会办);
* the plugin's own records (``shequhua_…``): centres, organisations, pairs, checks and draws,
  model villages, promotion, the employment station's files and payments (L280).

Layout: this module holds the MethodInfo and every hook, each delegating — ``rules`` (source
facts), ``stages``, ``service``, ``checks``, ``employment`` (the logic), ``publicity``,
``appraisal``, ``duties``, ``tables``, ``deployment``, ``commands``, ``demo``.
"""

from __future__ import annotations

from framework import MethodInfo, hookimpl
from plugins.contrib.shequhua import (
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
    """Declare 农村社区化管理 (Songshan, Inner Mongolia, L266–290): channels, the service areas as
    categories (L282), the chain centre → township (L270, L282), roles (L273, L276, L282),
    settings and ``--set`` fields. Returns a ``MethodInfo``."""
    return MethodInfo(
        name=rules.NAME, title_zh=rules.TITLE_ZH, title=rules.TITLE, source_county=rules.SOURCE_COUNTY,
        source_lines=rules.SOURCE_LINES, version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, tiers=rules.TIERS, roles=rules.ROLES,
        settings=rules.SETTINGS, extra_type=rules.ShequhuaExtra, stage_rules=rules.STAGE_RULES,
        event_labels=rules.EVENT_LABELS,
    )


@hookimpl
def county_migrations(migrations):
    """Create the plugin's tables (``migrations``: the method's migration set). See
    :mod:`plugins.contrib.shequhua.tables`."""
    tables.register(migrations)


@hookimpl
def county_deployment_tables():
    """``[[shequhua.centres]]``, ``[[shequhua.organisations]]``, ``[[shequhua.pairs]]`` in the
    county file. Returns a list of ``DeploymentTable``."""
    return deployment.tables()


@hookimpl
def county_register_commands(cli):
    """Add ``county shequhua …`` (centre, org, pair, pairs, draw, inspect, checks, model,
    promote, file, reimburse, pension, figures) to the root ``cli`` (``click.Group``)."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """Intake at a village's service centre (L282): ``fields`` (``--set`` kind, six_one,
    member) → ``IntakeResult`` at tier ``centre``; ``CountyError`` for another unit level."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """Filed by service area (L282): ``case`` → ``TriageResult`` (category, kind)."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """Tier ``level``: ``centre`` → the area's organisation (L282); ``township`` → the township
    with its paired subdistrict joining (L270, L273). Returns an ``Assignment``."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Tier ``level`` entered at ``arrived_at`` (aware): ``centre_days`` (7) then up,
    ``township_days`` (10) then flagged; calendar or working days ending 23:59:59 local (the
    plugin's limits: the source has none). Returns a ``Deadline`` or None."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Each village's service-centre board and, above it, the special column (L273, L276, L282):
    ``unit`` (``Unit``), ``period`` → ``[Board]``."""
    return publicity.publicity(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Pilot villages, organisations, pairing, models, checks, outcomes, promotion (L273–L282)
    for ``unit`` (or each root) and ``period`` → ``[Metric]``."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Regular, spot and year-end checks of the pilot villages due on ``on_date`` (L276) →
    ``[Duty]``."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """The demo month ``period`` at 石泉村 and 黄石村 (富兴镇). Returns the summary line."""
    return demo.seed(ctx, period, titles)
