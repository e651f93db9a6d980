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
"""

from __future__ import annotations

import datetime as dt

import attrs

from framework import hookimpl
from framework.errors import CountyError
from framework.models import Deadline, IntakeResult, MethodInfo, Milestone, Setting, Tier
from framework.engine import structure_extra

LEDGERS = {
    "livelihood": "民生台账",
    "needy": "困难群众台账",
    "stability": "稳定工作台账",
}
LEFT_BEHIND = {
    "left_behind_children": "留守儿童台账",
    "left_behind_women": "留守妇女台账",
    "left_behind_elderly": "留守老人台账",
}
CHANNELS = {
    "contact_card": "联系卡",
    "hotline": "民情电话",
    "mailbox": "民生信箱",
    "info_board": "信息栏",
    "letters_visits": "来信来访",
    "five_visits": "五访五问",
}
FIVE_VISITS = {
    "capable_person": ("能人", "问发展"),
    "veteran": ("老党员老干部", "问良策"),
    "petitioner": ("上访户", "问情由"),
    "poor_household": ("贫困户", "问所难"),
    "villager": ("群众", "问民需"),
}
TIERS = [
    Tier("village", "村(社区)", "village", "能现场处理的立即处理，不能现场处理的，5天内办结；解决不了的，上报给乡镇", "L29"),
    Tier("township", "乡镇", "township", "10天内答复，解决不了的，15日内上报县三账办", "L29"),
    Tier("ledger_office", "县三账办", "ledger_office", "5日内完成登记，并向相关部门交办", "L29"),
    Tier("department", "相关部门", "department", "接件后15日内办理完毕；不能处理的，18日内书面报县三账办，提交联席会议", "L29"),
    Tier("joint_meeting", "联席会议", "joint_meeting", "联席会议研究处理（无时限）", "L29"),
    Tier("county_leadership", "县委县政府", "county", "报县委、县政府研究处理（无时限）", "L29"),
]


@attrs.define
class TaizhangExtra:
    """One ledger sheet (一事一记一档, L25). All optional text."""

    requester_profile: str | None = None  # 诉求人基本情况
    request_and_cause: str | None = None  # 主要诉求及原因
    handling_opinion: str | None = None  # 处理意见
    work_measures: str | None = None  # 工作措施
    result: str | None = None  # 处理结果
    requester_feedback: str | None = None  # 当事人对处理结果的意见
    responsible_person: str | None = None  # 责任人
    visit_type: str | None = None  # 五访五问: capable_person, veteran, petitioner, poor_household, villager
    on_the_spot: bool = False  # 能现场处理的立即处理
    reply_due_at: str | None = None  # township tier: 10-day reply
    report_due_at: str | None = None  # department tier: 18-day written report


SETTINGS = [
    Setting("village_days", 5, "village/community: close within N calendar days (L29)"),
    Setting("township_reply_days", 10, "township: reply within N days (L29); a miss is flagged"),
    Setting("township_days", 15, "township: resolve or report up within N days (L29)"),
    Setting("office_days", 5, "county ledger office: register and hand to a department within N days (L29)"),
    Setting("department_days", 15, "department: finish within N days (L29); a miss is flagged"),
    Setting("department_report_days", 18, "department: written report within N days (L29); a miss goes to the joint meeting"),
    Setting("township_clock", "arrival", "'arrival' (reading A, default) or 'after_reply' (reading B)"),
    Setting("left_behind_ledgers", False, "switch on the left-behind children/women/elderly ledgers (L45)"),
]


@hookimpl
def county_method():
    return MethodInfo(
        name="taizhang", title_zh="台账工作法", title="Three-ledger work method",
        source_county="四川省中江县 Zhongjiang County, Sichuan", source_lines="L1–45", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=CHANNELS, categories={**LEDGERS, **LEFT_BEHIND}, tiers=TIERS,
        roles={"village_cadre": "村干部", "village_party_secretary": "村支书", "township_cadre": "乡镇干部",
               "ledger_office_staff": "三账办工作人员", "department_staff": "部门承办人"},
        settings=SETTINGS, extra_type=TaizhangExtra,
    )


@hookimpl
def county_intake(ctx, case, fields):
    """建账: ledger (category) must be one of the three (or the left-behind ones when switched
    on); ``--set on_the_spot=yes`` settles the case at intake (能现场处理的立即处理)."""
    extra = structure_extra(ctx.method, fields)
    if case.category in LEFT_BEHIND and not ctx.settings.get("left_behind_ledgers"):
        raise CountyError(f"--category {case.category}: the left-behind ledgers are off; set "
                          f"[plugins.taizhang] left_behind_ledgers = true")
    if case.channel == "five_visits" and extra.get("visit_type") not in FIVE_VISITS:
        raise CountyError(f"--set visit_type: five_visits cases need one of {', '.join(FIVE_VISITS)}")
    return IntakeResult(extra=extra, level="village", settled=bool(extra.get("on_the_spot")),
                        note="当场办结 settled on the spot" if extra.get("on_the_spot") else None)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """结账 time limits (L29), calendar days from arrival at the tier (conventions §2)."""
    s, cal = ctx.settings, ctx.calendar
    if level == "village":
        return Deadline([Milestone("close", cal.calendar_days(arrived_at, s["village_days"]), "escalate", "township", True,
                                   "5天内办结，解决不了的上报乡镇")])
    if level == "township":
        reply = cal.calendar_days(arrived_at, s["township_reply_days"])
        start = reply if s["township_clock"] == "after_reply" else arrived_at
        report = cal.calendar_days(start, s["township_days"])
        return Deadline([Milestone("reply", reply, "flag", None, False, "10天内答复"),
                         Milestone("report_up", report, "escalate", "ledger_office", True, "15日内上报县三账办")],
                        extra={"reply_due_at": reply})
    if level == "ledger_office":
        return Deadline([Milestone("register_and_assign", cal.calendar_days(arrived_at, s["office_days"]), "flag", None, True,
                                   "5日内完成登记并向相关部门交办")])
    if level == "department":
        finish = cal.calendar_days(arrived_at, s["department_days"])
        report = cal.calendar_days(arrived_at, s["department_report_days"])
        return Deadline([Milestone("finish", finish, "flag", None, True, "接件后15日内办理完毕"),
                         Milestone("written_report", report, "escalate", "joint_meeting", False,
                                   "18日内书面报县三账办，提交联席会议")],
                        extra={"report_due_at": report})
    return Deadline()  # joint meeting, county leadership: no limit in the source
