"""taizhang: Zhongjiang County's ledger work method (中江县台账工作法), casebook L1–45.

Four steps (L23): 建账 build the ledger → 议账 deliberate → 结账 close within the limit →
晒账 display. The escalation chain (L29) is the longest in the casebook:

========================  ============================================  =======================
tier                      rule (casebook L29)                           on miss
========================  ============================================  =======================
village  村/社区           on the spot, else close within 5 days          escalate to township
township 乡镇              reply within 10 days (flag); report up in 15   escalate to ledger office
ledger_office 县三账办      register and hand to a department in 5 days    flag (督办), stays
department 相关部门         finish in 15 days (flag); report in writing    escalate to joint meeting
                          within 18 days
joint_meeting 联席会议      no limit                                        operator escalates
county_leadership 县委县政府 no limit                                        end of chain
========================  ============================================  =======================

Days are calendar days (conventions §2). Each tier's clock starts when the case reaches it
(reading A); setting ``township_clock = "after_reply"`` gives reading B (the township's 15
days start at the end of its 10-day reply window, methods.md §2.1).

This module holds the MethodInfo and every hook, each delegating to: :mod:`.rules`
(vocabulary, tiers, the ledger sheet, settings), :mod:`.stages` (intake, triage, assignment,
deadline), :mod:`.publicity` (the monthly village board), :mod:`.duties` (the monthly wall
posting, 每月上墙公示, L35), :mod:`.tables` (the postings), :mod:`.appraisal` (slogan shares,
callbacks, departments), :mod:`.service` (deliberate, reply, handover, callback, sheet update,
the books, posting), :mod:`.commands` (``county taizhang …``), :mod:`.demo` (the demo's summary
line).
See README.md beside this file.

Only what loading the plugin, its stages and its appraisal need is imported with it; the modules
of its commands, demo, county-file tables, duties and boards are imported by the hook that
uses them (issue 13: start-up).
"""

from __future__ import annotations

from framework import MethodInfo, StageRule, hookimpl
from plugins.taizhang import appraisal, rules, stages, tables
from plugins.taizhang.rules import (
    ALL_LEDGERS,
    CHANNELS,
    ROLES,
    SETTINGS,
    TIERS,
    TaizhangExtra,
)


@hookimpl
def county_method():
    """Declare the taizhang method: three ledgers (+3 optional), six channels, the six-tier chain."""
    return MethodInfo(
        event_labels=rules.EVENT_LABELS,
        name="taizhang", title_zh="台账工作法", title="Three-ledger work method",
        source_county="四川省中江县 Zhongjiang County, Sichuan", source_lines="L1–45", version="0.2.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=CHANNELS, categories=ALL_LEDGERS, tiers=TIERS, roles=ROLES,
        settings=SETTINGS, extra_type=TaizhangExtra,
        stage_rules={  # [bindings] may give none of its stages away; its chain serves other methods' cases
            "intake": StageRule("建账 is the ledger sheet (一事、一记、一档) kept by the village or community "
                                "that collected the matter (L25, L29)", keep=True),
            "triage": StageRule("议账 files each matter in one of the three ledgers by the topic on its "
                                "ledger sheet (L35)", keep=True, lend=False),
            "assignment": StageRule("each tier of 村、乡、县三级分层处置 has its responsible person: the village "
                                    "party secretary, a township cadre, the 三账办, the department (L25, L29)", keep=True),
            "deadline": StageRule("限时结账: the village 5 days, the township 10 days to reply and 15 to report "
                                  "up, the 三账办 5 days, the department 15 and 18 days (L29)", keep=True),
        },
    )


@hookimpl
def county_migrations(migrations):
    """Create taizhang's own table, the wall postings (:mod:`plugins.taizhang.tables`)."""
    tables.register_migrations(migrations)


@hookimpl
def county_register_commands(cli):
    """Add ``county taizhang`` (deliberate, reply, handover, callback, update, ledger, post)."""
    from plugins.taizhang import commands
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """建账: validate one ledger sheet (:func:`.stages.intake`)."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """议账 filing by topic (:func:`.stages.triage`)."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """Who handles the case at each tier (:func:`.stages.assignment`)."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """结账 time limits (:func:`.stages.deadline`)."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period):
    """晒账: one board per village (:func:`.publicity.boards`)."""
    from plugins.taizhang import publicity
    return publicity.boards(ctx, unit, period)


@hookimpl
def county_appraisal(ctx, unit, period):
    """考评: slogan shares, callbacks, departments (:func:`.appraisal.metrics`)."""
    return appraisal.metrics(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """每月上墙公示: each village's monthly wall board (:func:`.duties.duties`)."""
    from plugins.taizhang import duties
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """The demo month's summary line (:func:`.demo.county_demo`)."""
    from plugins.taizhang import demo
    return demo.county_demo(ctx, period, titles)
