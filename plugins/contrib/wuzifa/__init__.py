"""wuzifa: Pu'er's emotional engagement (情感攻势), the five-character method (五字法: 笑、问、听、析、讲)
and stick / fix on / lean on (粘、盯、靠), casebook L47–61 (methods.md §2.2).

A collective dispute (Jiahe township's land-lease dispute, L49) is worked by a work group drawn
from city, county and township (L49): every household with the five characters in order (L53),
the hard ones with 粘、盯、靠 (L57) — the key household the others follow, relatives, friends,
classmates and colleagues — until every household has signed (the kernel's sign-off: the case
closes only then). The problems the villagers raise meanwhile are solved on the spot when small,
or passed to the higher levels and departments (L61).

Written only against the public plugin API (the ``framework`` root). This module holds the
declaration and every hook, each delegating: :mod:`.rules` (source facts, settings),
:mod:`.stages`, :mod:`.tables`, :mod:`.service`, :mod:`.publicity`, :mod:`.appraisal`,
:mod:`.duties`, :mod:`.commands` (``county wuzifa …``), :mod:`.demo`. See
``plugins/contrib/wuzifa/README.md``.
"""

from __future__ import annotations

from framework import MethodInfo, hookimpl

from . import appraisal, commands, demo, duties, publicity, rules, stages, tables


@hookimpl
def county_method():
    """Declare wuzifa: tiers 工作组 → 上级和相关部门 (L49, L61), the dispute and the two kinds of side
    problem (L61), roles, settings with their defaults (no number in the casebook: README). Returns
    a ``MethodInfo`` (the sign-off gate on: a dispute closes only when every household signed)."""
    return MethodInfo(
        name=rules.NAME, title_zh=rules.TITLE_ZH, title=rules.TITLE, source_county=rules.SOURCE_COUNTY,
        source_lines=rules.SOURCE_LINES, version="1.0.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, tiers=rules.TIERS, roles=rules.ROLES,
        settings=rules.SETTINGS, extra_type=rules.Extra, stage_rules=rules.STAGE_RULES,
        event_labels=rules.EVENT_LABELS, signoff_gate=True,
    )


@hookimpl
def county_migrations(migrations):
    """Tables ``wuzifa_members``, ``wuzifa_households``, ``wuzifa_relations``, ``wuzifa_steps``,
    ``wuzifa_payments``, ``wuzifa_care`` (see :mod:`.tables`)."""
    tables.migrations(migrations)


@hookimpl
def county_register_commands(cli):
    """``county wuzifa team|household|relation|step|sign|pay|care|feedback|progress|rent``."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """Intake under a township (the work group, L49); ``--set on_the_spot=yes`` settles a small
    matter (L61). ``case`` not stored yet, ``fields`` the ``--set`` strings → ``IntakeResult`` at
    tier ``work_group``; ``CountyError`` naming ``--unit`` or ``--set KEY``."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """A collective dispute is priority high (L49); a side problem is a small matter or a project /
    large-sum one (``large_sum_yuan``, L61). Returns ``TriageResult`` or None."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """The work group at the case's township and its leader (L49); at ``higher_level`` the named
    department or the county and its staff (L61). Returns ``Assignment`` or None."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Settings' limits from ``arrived_at`` (aware): dispute 90 calendar days flagged; small matter 3
    calendar days then up; project 5 working days then up; higher level 15 working days flagged
    (the casebook gives none: 数月, L61). Returns ``Deadline``."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """The unit's 情感攻势化解矛盾纠纷公示 for ``period``: signing progress per dispute and villager
    group (签字 N/M, 签定率, 兑付; no household named) and the collected problems (L61). ``[Board]``."""
    return publicity.boards(ctx, unit, period, cases)


@hookimpl
def county_appraisal(ctx, unit, period):
    """``signing_rate``, ``contracts_signed``, ``payment_rate``, ``verified_area`` (L61),
    ``five_char_rate`` (L53), ``escalated_stick|fix_on|lean_on`` (L57), ``on_the_spot_rate`` (L61)
    for ``unit``'s subtree (each root when None) and ``period``. ``[Metric]``."""
    return appraisal.metrics(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """``work_group`` (市县乡工作组, L49) and ``contact`` (each unsigned household every
    ``contact_every_days``, L57) on ``on_date`` (local date). ``[Duty]`` with ``done``."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A fixed land-lease dispute at 柳林沟村 in ``period`` (:mod:`.demo`). Returns the summary line."""
    return demo.seed(ctx, period, titles)
