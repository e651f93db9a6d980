"""zouqian: Pudong New Area's 走千个居村、听万户心声 (走千听万), casebook L318–351 (methods.md §2.14).

District agency cadres visit all 1,000+ 居村 in rounds (L320) under six pairings (六个结对,
L329); problems go onto a three-level online platform — district, 街镇, 居村 — that collects,
dispatches, supervises, feeds back and counts them (L335); a solved problem leaves the
platform only when the public rates it 很满意 or 满意, any other rating sends it back into
handling (L331); recurring problems are studied together and solved in bulk through policy
(L337).

Written only against the public plugin API (the ``framework`` root). This module holds the
declaration and every hook, each delegating: :mod:`.rules` (source facts, settings, the
five-level scale), :mod:`.stages` (intake, triage, assignment, deadline), :mod:`.tables`,
:mod:`.service` (pairings, rounds, visits, batches, ratings), :mod:`.publicity`,
:mod:`.appraisal`, :mod:`.duties`, :mod:`.commands` (``county zouqian …``), :mod:`.demo`.
See ``plugins/contrib/zouqian/README.md``.
"""

from __future__ import annotations

from framework import hookimpl

from . import appraisal, commands, demo, deployment, duties, publicity, rules, stages, tables


@hookimpl
def county_method():
    """Declare 走千听万: tiers 居村 → 街镇 → 区 (L335), the five-level satisfaction scale where
    only 很满意/满意 close (L331), channels, categories, roles, settings with defaults (README)."""
    return rules.method_info()


@hookimpl
def county_migrations(migrations):
    """Tables ``zouqian_pairings``, ``zouqian_rounds``, ``zouqian_visits``, ``zouqian_batches``,
    ``zouqian_ratings`` (see :mod:`.tables`)."""
    tables.migrations(migrations)


@hookimpl
def county_register_commands(cli):
    """``county zouqian pair|round|visit|batch|rate``."""
    cli.add_command(commands.group)


@hookimpl
def county_deployment_tables():
    """``[[zouqian.pairings]]`` (六个结对, L329) and ``[[zouqian.rounds]]`` (集中走访批次, L320) in
    the county file, loaded through the pairing and round services (:mod:`.deployment`)."""
    return deployment.tables()


@hookimpl
def county_intake(ctx, case, fields):
    """The platform takes a problem at any hour (L335): ``--set topic=…``, ``--set visit=ID``;
    the starting tier by the intake unit's level. Returns IntakeResult; CountyError names the key."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """个别解决与批量解决相结合 (L337): a topic shared by ≥ ``batch_threshold`` open problems is a
    common problem (extra ``common``), an open batch of that topic is named (extra ``batch``).
    Returns TriageResult or None."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """The tier's unit and person, with the paired cadre / bureau jointly (会办) or the paired
    district leader (六个结对, L329). Returns Assignment or None (not a zouqian tier)."""
    return stages.assign(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Each tier's time from ``arrived_at`` (settings; no day counts in the casebook): 居村 5 and
    街镇 10 working days then 上报 (escalate), the district 15 then 督办 (flag). Returns Deadline."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Each 居村's 问题办理反馈 board (problems, ratings, reopen counts, pairings) and the
    共性问题批量解决 board of a 街镇 / district (L331, L333, L337). Raw rows."""
    return publicity.publicity(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """visit_coverage, cadre_participation, rating_pass_rate, rating_<level> counts and
    batch_solved for the unit's subtree (L329, L331, L337); list of Metric."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Each visiting round's visit per paired cadre (L320, L329) and the monthly 日常联系 (L337).
    Returns Duty rows with ``done``."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A fixed month at 和平社区 and 新建村 (:mod:`.demo`). Returns the summary line."""
    return demo.county_demo(ctx, period, titles)
