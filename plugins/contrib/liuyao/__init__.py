"""liuyao: Nanping City's "six musts" (福建南平 “六要”群众工作法), casebook L178–219.

On village matters the party organisation must lead (要引领); villagers must know (要知道),
take part (要参与), decide (要作主), supervise (要监督) and be satisfied (要满意) (L181). A case
is a major village matter (重大村务事项), routed to its decision body by type (L191), or a
report by a party member or villager, answered within 15 working days (L193). Villages keep a
disclosure catalogue (each item through at least two forms, at any time, monthly or
quarterly, L187) and hold per-matter, half-year and annual ratings (L195).

Written as a contrib plugin against the public plugin API only (``framework``'s root). This
module holds the declaration and every hook, each delegating: :mod:`.rules` (source facts,
routing, catalogue, settings), :mod:`.stages`, :mod:`.tables`, :mod:`.disclosure`,
:mod:`.service`, :mod:`.publicity`, :mod:`.appraisal`, :mod:`.duties`, :mod:`.commands`
(``county liuyao …``), :mod:`.demo`. See ``plugins/contrib/liuyao/README.md``.
"""

from __future__ import annotations

from framework import hookimpl
from plugins.contrib.liuyao import appraisal, commands, demo, duties, publicity, rules, stages, tables


@hookimpl
def county_method():
    """Declare 六要: intake channels (L189, L193), the matter types of L191 as categories, no
    tier chain (a missed reply is flagged, never escalated), roles, settings with defaults
    (README), ``extra_type`` = LiuyaoExtra."""
    return rules.method_info()


@hookimpl
def county_migrations(migrations):
    """Tables ``liuyao_decisions`` (L191), ``liuyao_disclosures`` (L187) and ``liuyao_ratings`` (L195)."""
    tables.migrations(migrations)


@hookimpl
def county_register_commands(cli):
    """``county liuyao route|catalogue|procedure|decide|reply|supervise|disclose|disclosures|rate|ratings``."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """``--set kind=matter|report`` (default setting ``default_kind``), ``reporter``,
    ``supervisor``, ``item``, ``meeting_kind``; a matter only at a village (``matter_levels``).
    Returns IntakeResult(extra); CountyError names the bad key."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """A matter's decision body by type (L191): two committees / representative meeting /
    villager assembly (票决). Returns TriageResult(category, extra) or None for a report."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """A matter: the village party secretary organises it and a supervisor is named (L185,
    L193); a report: the one person of the body it was made to. Returns Assignment."""
    return stages.assign(ctx, case)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """A report: reply due 23:59:59 local on the 15th working day after arrival (L193; China's
    calendar with 调休), flagged when missed. A matter: None (no limit in the source)."""
    return stages.deadline(ctx, case, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Per village: 党务村务公开栏 — decisions, replies to reports, the catalogue's disclosures
    with their forms, supervision results and ratings (L187, L191, L193, L195). Raw rows."""
    return publicity.publicity(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Per village and the unit asked: reply on-time rate (15 working days), disclosure rate
    (≥2 forms, on time), decisions per body, per-matter, half-year and annual rating shares."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Per village: catalogue disclosures due (monthly, quarterly, after a decision), the
    per-matter rating, the half-year and annual ratings (L187, L195). Duty rows with ``done``."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A fixed month at 西芹镇坑布村 (L205): matters routed and decided, a forest tender, reports
    answered, disclosures, supervision and ratings. Returns the summary line."""
    return demo.county_demo(ctx, period, titles)
