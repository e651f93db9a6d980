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

Modules: :mod:`.ledgers` (vocabulary and the ledger sheet), :mod:`.stages` (intake, triage,
assignment, deadline), :mod:`.publicity` (the monthly village board), :mod:`.appraisal`
(slogan shares, callbacks, departments), :mod:`.commands` (``county taizhang …``).
See README.md beside this file.
"""

from __future__ import annotations

from framework import MethodInfo, Setting, hookimpl
from plugins.taizhang.appraisal import county_appraisal  # noqa: F401  (hook)
from plugins.taizhang.ledgers import (  # noqa: F401  (re-exported vocabulary)
    ALL_LEDGERS,
    CHANNELS,
    FIVE_VISITS,
    LEDGERS,
    LEFT_BEHIND,
    ROLES,
    TIERS,
    TOPICS,
    TaizhangExtra,
)
from plugins.taizhang.publicity import county_publicity  # noqa: F401  (hook)
from plugins.taizhang.stages import (  # noqa: F401  (hooks)
    county_assignment,
    county_deadline,
    county_intake,
    county_triage,
)

SETTINGS = [
    Setting("village_days", 5, "village/community: close within N calendar days (L29)"),
    Setting("township_reply_days", 10, "township: reply within N days (L29); a miss is flagged"),
    Setting("township_days", 15, "township: resolve or report up within N days (L29)"),
    Setting("office_days", 5, "county ledger office: register and hand to a department within N days (L29)"),
    Setting("department_days", 15, "department: finish within N days (L29); a miss is flagged"),
    Setting("department_report_days", 18, "department: written report within N days (L29); a miss goes to the joint meeting"),
    Setting("township_clock", "arrival", "'arrival' (reading A, default) or 'after_reply' (reading B: the 15 days start after the 10-day reply window)"),
    Setting("left_behind_ledgers", False, "switch on the left-behind children/women/elderly ledgers (L45): true for all three, or a list of codes"),
]


@hookimpl
def county_method():
    """Declare the taizhang method: three ledgers (+3 optional), six channels, the six-tier chain."""
    return MethodInfo(
        name="taizhang", title_zh="台账工作法", title="Three-ledger work method",
        source_county="四川省中江县 Zhongjiang County, Sichuan", source_lines="L1–45", version="0.2.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=CHANNELS, categories=ALL_LEDGERS, tiers=TIERS, roles=ROLES,
        settings=SETTINGS, extra_type=TaizhangExtra,
    )


@hookimpl
def county_register_commands(cli):
    """Add ``county taizhang`` (deliberate, reply, callback, update, ledger)."""
    from plugins.taizhang.commands import register

    register(cli)
