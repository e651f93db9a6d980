"""sanzhuanbian: Wushi County's "three shifts" (新疆乌什“三个转变”), casebook L105–114
(methods.md §2.4), written only against the public plugin API (the ``framework`` root).

The first shift — from stationing a few people in villages to every cadre keeping contact
(由派人驻村向全员联系的转变, L110) — carries all the method's rules:

* a **contact network** of the plugin's own: households, each with exactly one responsible cadre;
  1–5 contact households per cadre; an agency party cadre's 1 village + 1 urban household;
  each county department paired with one village (``network``);
* a **monthly visit day** per cadre to the needy, petitioner and key-person households linked to
  them (a duty, ``duties``);
* **problems** (kernel cases) found on the visits, sorted by type and 轻重缓急 into the **three
  ledgers** (需解决 / 待解决 / 已解决) with a responsible unit, person and time limit, flagged
  (督办) when late, struck off (销号) by a supervisor (``stages``, ``ledger``, ``publicity``);
* **四比一测评** ballots on cadres by the masses and party organisations, and each village
  two-committee team's satisfaction against the 80 % line (``rating``).

Layout: this module holds the MethodInfo and every hook, each delegating — ``rules``,
``tables``, ``network``, ``deployment`` (the network in the county file), ``stages``, ``ledger``, ``publicity``, ``rating``, ``duties``,
``commands``, ``demo``.
"""

from __future__ import annotations

from framework import MethodInfo, hookimpl

from . import commands, demo, deployment, duties, publicity, rating, rules, stages, tables


@hookimpl
def county_method():
    """Declare 三个转变 (Wushi, Xinjiang, L105–114): no tier chain (the source names none), five
    channels, the plugin's categories, roles, settings with the casebook's numbers, ``--set``
    fields. Returns a ``MethodInfo``."""
    return MethodInfo(
        name=rules.NAME, title_zh=rules.TITLE_ZH, title=rules.TITLE, source_county=rules.SOURCE_COUNTY,
        source_lines=rules.SOURCE_LINES, version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, roles=rules.ROLES, settings=rules.SETTINGS,
        extra_type=rules.Extra, stage_rules=rules.STAGE_RULES, event_labels=rules.EVENT_LABELS,
    )


@hookimpl
def county_migrations(migrations):
    """Create the plugin's tables (``migrations``: the method's sqlite-utils migration set):
    households, links, pairs, visits, strikes, ratings, team ratings."""
    tables.register(migrations)


@hookimpl
def county_deployment_tables():
    """``[[sanzhuanbian.households]]``, ``[[sanzhuanbian.links]]``, ``[[sanzhuanbian.pairs]]``: the
    contact network in the county file (L110) → ``[DeploymentTable]``."""
    return deployment.deployment_tables()


@hookimpl
def county_register_commands(cli):
    """Add ``county sanzhuanbian …`` to the root ``cli`` (household add, link, unlink, pair,
    network, visit, defer, strike, ledger, rate, team-rate)."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """Intake: ``fields`` (``--set`` strings) → ``IntakeResult`` at a village or community;
    ``CountyError`` naming the bad key (L110). See :func:`.stages.intake`."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """Triage: 轻重缓急 → priority high/normal/low, ledger 需解决问题 (L110) → ``TriageResult``."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """Assignment (``level`` is None: no chain): the responsible person — named, else the
    household's cadre — and the related unit jointly (L110) → ``Assignment``."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Deadline: the problem's time limit from ``arrived_at`` (aware), 23:59:59 local, flagged
    (督办) when missed (L110 限时办结) → ``Deadline``. See :func:`.stages.deadline`."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period):
    """Publicity: each village's or community's three ledgers for ``period`` (L110) →
    ``[Board]``, rows raw (the kernel masks)."""
    return publicity.boards(ctx, unit, period)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Appraisal for ``unit`` (None: each root) and ``period``: coverage, visit days,
    strike-offs, the 80 % team line and 四比一测评 per cadre (L110) → ``[Metric]``."""
    return rating.metrics(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Duties on ``on_date`` (a local date): each cadre's monthly visit day, each village
    team's yearly rating (L110) → ``[Duty]``."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """The demo month ``period`` (``YYYY-MM``) in 富兴镇; ``titles`` real message titles. Returns
    the summary line."""
    return demo.seed(ctx, period, titles)
