"""The taizhang rules: ledgers, channels, the five visits, the tier chain, the ledger sheet, the
settings.

Everything here is data taken from the casebook (Zhongjiang, L1–45); the stages
(:mod:`plugins.taizhang.stages`), the board, the appraisal and the service use it.
"""

from __future__ import annotations

from typing import Any

import attrs

from framework import Setting, Tier

#: 三本台账 (L9, L19): every village and community of the county keeps these three books.
LEDGERS = {
    "livelihood": "民生台账",
    "needy": "困难群众台账",
    "stability": "稳定工作台账",
}
#: 留守人群台账 (L45): some villages added these; a deployment switches them on with the
#: setting ``left_behind_ledgers`` (true for all three, or a list of codes).
LEFT_BEHIND = {
    "left_behind_children": "留守儿童台账",
    "left_behind_women": "留守妇女台账",
    "left_behind_elderly": "留守老人台账",
}
ALL_LEDGERS = {**LEDGERS, **LEFT_BEHIND}

#: Collection channels (L25): 发放联系卡，设立民情电话、民生信箱和信息栏，来信来访…开展“五访五问”.
CHANNELS = {
    "contact_card": "联系卡",
    "hotline": "民情电话",
    "mailbox": "民生信箱",
    "info_board": "信息栏",
    "letters_visits": "来信来访",
    "five_visits": "五访五问",
}

#: 五访五问 (L25): who is visited -> (Chinese, the question asked).
#: 访能人问发展、访老党员老干部问良策、访上访户问情由、访贫困户问所难、访群众问民需.
FIVE_VISITS = {
    "capable_person": ("能人", "问发展"),
    "veteran": ("老党员老干部", "问良策"),
    "petitioner": ("上访户", "问情由"),
    "poor_household": ("贫困户", "问所难"),
    "villager": ("群众", "问民需"),
}

#: 议账 topic labels -> ledger. The labels are the categories one village's books list (L35,
#: methods.md WE-03); the entries marked "assumption" are not assigned to a ledger by the text
#: (L9, methods.md §6 item 5) and follow WE-03's suggested defaults.
TOPICS: dict[str, str] = {
    # 民生台账 (L35): 经济发展、土地流转、产业结构调整、危房改造、养老保险、医疗保险、农电改造、基础设施建设
    "经济发展": "livelihood", "economic_development": "livelihood",
    "土地流转": "livelihood", "land_transfer": "livelihood",
    "产业结构调整": "livelihood", "industry_adjustment": "livelihood",
    "危房改造": "livelihood", "dilapidated_housing": "livelihood",
    "养老保险": "livelihood", "pension_insurance": "livelihood",
    "医疗保险": "livelihood", "medical_insurance": "livelihood",
    "农电改造": "livelihood", "power_grid": "livelihood",
    "基础设施建设": "livelihood", "infrastructure": "livelihood",
    # L9 修路引水架桥: infrastructure (assumption of WE-03: infrastructure -> livelihood)
    "修路": "livelihood", "引水": "livelihood", "架桥": "livelihood",
    "土地撂荒": "livelihood",  # WE-01 (L27): entered in the 民生台账
    # 困难群众台账 (L35): 低保、五保、重度残疾人、其他低收入困难户
    "低保": "needy", "min_living_allowance": "needy",
    "五保": "needy", "five_guarantees": "needy",
    "重度残疾人": "needy", "severe_disability": "needy",
    "其他低收入困难户": "needy", "low_income": "needy",
    # 稳定工作台账 (L35): 劳教释放人员、因迁移引发纠纷
    "劳教释放人员": "stability", "released_from_reeducation": "stability",
    "因迁移引发纠纷": "stability", "relocation_dispute": "stability",
    # assumptions (WE-03): a dispute (the cow that ate the neighbour's maize, L9) and a repeated
    # petitioner (老上访, L9) go to the stability ledger
    "纠纷": "stability", "dispute": "stability",
    "邻里纠纷": "stability", "neighbour_dispute": "stability",
    "上访": "stability", "老上访": "stability", "repeated_petition": "stability",
    # 留守人群 (L45), only when those ledgers are switched on
    "留守儿童": "left_behind_children", "留守妇女": "left_behind_women", "留守老人": "left_behind_elderly",
}

#: The escalation chain (L29), lowest first. Tier names are stable identifiers; ``level`` is the
#: unit level that serves the tier.
TIERS = [
    Tier("village", "村(社区)", "village",
         "能现场处理的立即处理，不能现场处理的，5天内办结；解决不了的，上报给乡镇", "L29", holder="village_party_secretary"),
    Tier("township", "乡镇", "township", "10天内答复，解决不了的，15日内上报县三账办", "L29", holder="township_cadre"),
    Tier("ledger_office", "县三账办", "ledger_office", "5日内完成登记，并向相关部门交办", "L29",
         holder="ledger_office_staff"),
    Tier("department", "相关部门", "department",
         "接件后15日内办理完毕；不能处理的，18日内书面报县三账办，提交联席会议", "L29", holder="department_staff"),
    Tier("joint_meeting", "联席会议", "joint_meeting", "联席会议研究处理（无时限）", "L29"),
    Tier("county_leadership", "县委县政府", "county", "报县委、县政府研究处理（无时限）", "L29"),
]
TIER_ZH = {t.name: t.title_zh for t in TIERS}
#: 小事不出村、大事不出镇、难事不出县 (L37): which tiers count as "county" for the slogan shares.
COUNTY_TIERS = ("ledger_office", "department", "joint_meeting", "county_leadership")

#: Unit levels a taizhang case can be taken in at: 村(社区) (L29 "村或社区收到信息后").
INTAKE_LEVELS = ("village", "community")

#: The requester's ratings a return visit (回访, L41) counts as good.
GOOD = ("satisfied", "basically")

#: Roles; at each tier the one person holding the tier's role (if exactly one) becomes the handler.
ROLES = {
    "village_party_secretary": "村支书",
    "village_cadre": "村干部",
    "township_cadre": "乡镇干部",
    "ledger_office_staff": "三账办工作人员",
    "department_staff": "部门承办人",
}
TIER_ROLES = {t.name: t.holder for t in TIERS if t.holder}


@attrs.define
class TaizhangExtra:
    """One ledger sheet (一事、一记、一档活页式管理, L25). Set with ``--set KEY=VALUE``.

    The requester (诉求人) and the contact (联系方式) are the kernel's ``--requester-name`` /
    ``--requester-phone`` / ``--requester-address`` (stored in full, masked on every public
    output); everything else of the sheet is here. All optional text unless stated.
    """

    requester_profile: str | None = None  # 诉求人基本情况
    request_and_cause: str | None = None  # 主要诉求及原因
    handling_opinion: str | None = None  # 处理意见 (议账 sets it from the decision)
    work_measures: str | None = None  # 工作措施
    result: str | None = None  # 处理结果
    requester_feedback: str | None = None  # 当事人对处理结果的意见 (confirm --note also lands here)
    responsible_person: str | None = None  # 责任人: a person id of the deployment, or a name
    topic: str | None = None  # 问题类别, e.g. 低保 / 土地流转: 议账 files the case in its ledger (L35)
    visit_type: str | None = None  # 五访五问: capable_person, veteran, petitioner, poor_household, villager
    visit_question: str | None = None  # set by intake from visit_type: 问发展 / 问良策 / …
    on_the_spot: bool = False  # 能现场处理的立即处理 (L29): settled at intake, no deadline
    reply_due_at: str | None = None  # set at the township tier: the 10-day reply (ISO)
    report_due_at: str | None = None  # set at the department tier: the 18-day written report (ISO)


#: ``[plugins.taizhang]`` settings: the day counts of L29, the township clock reading, the
#: left-behind ledgers of L45.
SETTINGS = [
    Setting("village_days", 5, "village/community: close within N calendar days (L29)"),
    Setting("township_reply_days", 10, "township: reply within N days (L29); a miss is flagged"),
    Setting("township_days", 15, "township: resolve or report up within N days (L29)"),
    Setting("office_days", 5, "county ledger office: register and hand to a department within N days (L29)"),
    Setting("department_days", 15, "department: finish within N days (L29); a miss is flagged"),
    Setting("department_report_days", 18, "department: written report within N days (L29); a miss goes to the joint meeting"),
    Setting("township_clock", "arrival", "'arrival' (reading A, default) or 'after_reply' (reading B: the 15 days start after the 10-day reply window)",
            choices=("arrival", "after_reply")),
    Setting("left_behind_ledgers", False, "switch on the left-behind children/women/elderly ledgers (L45): true for all three, or a list of codes",
            types=(bool, list)),
]
#: The township clock readings (methods.md §2.1): A counts the 15 days from arrival, B from the
#: end of the 10-day reply window.
TOWNSHIP_CLOCKS = ("arrival", "after_reply")

#: Fields of the sheet an operator may fill in or change later (专账管理、动态更新, L25).
SHEET_FIELDS = ("requester_profile", "request_and_cause", "handling_opinion", "work_measures", "result",
                "requester_feedback", "responsible_person", "topic")


def enabled_ledgers(settings: dict[str, Any]) -> dict[str, str]:
    """The ledgers a deployment uses: the three books plus the left-behind ones switched on by
    ``left_behind_ledgers`` (``true`` = all three, ``false`` = none, or a list of codes)."""
    on = settings.get("left_behind_ledgers", False)
    if on is True:
        extra = dict(LEFT_BEHIND)
    elif isinstance(on, (list, tuple)):
        extra = {k: LEFT_BEHIND[k] for k in on if k in LEFT_BEHIND}
    else:
        extra = {}
    return {**LEDGERS, **extra}


def ledger_for_topic(topic: str | None) -> str | None:
    """The ledger a topic label files into (:data:`TOPICS`), or None when unknown."""
    if not topic:
        return None
    t = topic.strip()
    return TOPICS.get(t) or TOPICS.get(t.lower())


#: Chinese names of this method's own event types (``county case show``).
EVENT_LABELS = {"deliberated": "议账", "replied": "乡镇答复", "callback": "回访", "ledger_updated": "台账更新"}
