"""The source facts of Jingning's 乡会村开 as data, and the small pure rules built on them:
the method's tier chain, settings and ``extra`` type (declared in ``__init__.py``), channels,
classes, meeting types, invitees, places, ratings, the schedule preference and the notice
deadlines.

Every table below cites the casebook line it encodes (Jingning section, L233–264 of the
original; methods.md §2.10). Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from framework import DONE_STATUSES, Calendar, CountyError, Setting, Tier, parse_instant

METHOD = "xiangkai"

# -- the tier chain and settings (declared by county_method) ---------------------------------
TIERS = [
    Tier("topic", "议题（待乡会研究）", "village",
         "征集、梳理议题，列入乡会研究；源文无时限（确保每村每年安排一次以上乡会）", "L246"),
    Tier("supervised", "督办（三定）", "village",
         "凡经乡会研究过的事项一律下发督办通知书：定责任人、定完成时限、定质量标准；逾期督办", "L253",
         by_command_only=True),  # only `county xiangkai notice issue` moves a topic here
]

SETTINGS = [
    Setting("slack_months", [1, 2, 11, 12],
            "months counted as the farming slack season (农闲, L250); the source names no months — set your county's"),
    Setting("evening_from", "18:00", "a meeting starting at or after this local time is an evening meeting (晚上, L250)"),
    Setting("evening_until", "23:59", "…and at or before this local time"),
    Setting("schedule_check", "warn",
            "a meeting outside slack season, rainy days and evenings (L250): 'warn' (default), 'refuse' (exit 1) or 'off'",
            choices=("warn", "refuse", "off")),
    Setting("default_urgency", "normal", "urgency (缓急) of a topic taken in without --set urgency: urgent or normal",
            choices=("urgent", "normal")),
    Setting("default_importance", "minor", "importance (轻重) of a topic taken in without --set importance: major or minor",
            choices=("major", "minor")),
    Setting("village_levels", ["village"],
            "unit levels that count as villages for meetings and the every-village plan check (add 'community' for 开到社区)"),
    Setting("notice_due_days", 1,
            "the duty to issue a settled topic's supervision notice, or record why not (L253), falls this many calendar "
            "days after the day of the meeting; the source names no time"),
    Setting("callback_every_days", 7,
            "a supervised topic gets a return visit (回访, L253 定期反馈) every N calendar days from its notice while "
            "open, and one more after it is resolved; the source says 定期/高频 and names no interval"),
]

#: ``extra`` fields written by ``meeting hold`` / ``notice issue``, refused at intake.
NOTICE_FIELDS = ("notice_no", "responsible_person", "completion_due_at", "quality_standard", "meeting_id", "resolution")


@attrs.define
class XiangkaiExtra:
    """A topic's own fields (``--set KEY=VALUE``); the notice fields are written by
    ``county xiangkai notice issue``, never at intake."""

    collector: str | None = None  # 收集人: linked leader / resident cadre (person id or name), L246
    platform: str | None = None  # online channel: forum 论坛, qq_group QQ群, weibo 微博 (L246)
    urgency: str | None = None  # 缓急: urgent / normal (L246)
    importance: str | None = None  # 轻重: major / minor (L246)
    meeting_id: str | None = None  # the meeting the topic was put on / settled at
    resolution: str | None = None  # 议定内容
    notice_no: str | None = None  # 督办通知书编号
    responsible_person: str | None = None  # 定责任人 (person id)
    completion_due_at: str | None = None  # 定完成时限 (ISO, +08:00)
    quality_standard: str | None = None  # 定质量标准


# -- intake: where topics come from (征集议题, casebook: Jingning L246) --------------------
CHANNELS = {
    "visit": "联系走访（乡镇班子成员联系村、驻村干部、干部联系困难群众）",
    "hotline": "热线电话",
    "opinion_box": "民意箱",
    "online": "网上民声（论坛、QQ群、微博）",
}
ONLINE_PLATFORMS = {"forum": "论坛", "qq_group": "QQ群", "weibo": "微博"}

# -- triage: the three classes (梳理议题, casebook: Jingning L246) --------------------------
CATEGORIES = {
    "livelihood": "民生民本",
    "economy": "经济建设",
    "organisation": "基层组织建设",
}

# 轻重缓急 (L246): two yes/no judgements give the priority.
URGENCY = {"urgent": "急", "normal": "缓"}
IMPORTANCE = {"major": "重", "minor": "轻"}
_URGENCY_ALIASES = {"urgent": "urgent", "急": "urgent", "yes": "urgent",
                    "normal": "normal", "缓": "normal", "not_urgent": "normal", "no": "normal"}
_IMPORTANCE_ALIASES = {"major": "major", "important": "major", "重": "major", "yes": "major",
                       "minor": "minor", "normal": "minor", "轻": "minor", "no": "minor"}
PRIORITY = {
    ("urgent", "major"): "high",    # 重且急
    ("urgent", "minor"): "medium",  # 急而轻
    ("normal", "major"): "medium",  # 重而缓
    ("normal", "minor"): "low",     # 轻且缓
}
PRIORITY_ZH = {"high": "重且急", "medium": "或重或急", "low": "轻且缓"}


def normalise_urgency(value: str) -> str:
    """``urgent``/``急`` or ``normal``/``缓`` → ``urgent``/``normal``; CountyError otherwise."""
    v = _URGENCY_ALIASES.get(str(value).strip().lower())
    if v is None:
        raise CountyError(f"--set urgency={value}: use urgent (急) or normal (缓)")
    return v


def normalise_importance(value: str) -> str:
    """``major``/``重`` or ``minor``/``轻`` → ``major``/``minor``; CountyError otherwise."""
    v = _IMPORTANCE_ALIASES.get(str(value).strip().lower())
    if v is None:
        raise CountyError(f"--set importance={value}: use major (重) or minor (轻)")
    return v


def priority_of(urgency: str, importance: str) -> str:
    """轻重缓急 → ``high`` (urgent and major), ``medium`` (one of them), ``low`` (neither)."""
    return PRIORITY[(urgency, importance)]


# -- meetings: type by situation (因需制宜定类型, casebook: Jingning L250) -------------------
MEETING_TYPES = {
    "theme_briefing": "主题宣讲会",
    "consultation": "民主恳谈会",
    "situation_analysis": "形势分析会",
    "development_planning": "发展谋划会",
    "project_promotion": "项目推进会",
    "relationship_coordination": "关系协调会",
}
SITUATIONS = {
    "major_decision": ("重要决策制定前", "consultation"),
    "major_policy": ("重大政策出台后", "situation_analysis"),
    "industry_difficulty": ("重点产业发展遇到困难时", "development_planning"),
    "project_resistance": ("具体项目实施遇到阻力时", "project_promotion"),
    "dispute": ("出现矛盾纠纷时", "relationship_coordination"),
}

# -- invitees (开放邀请参会人员, casebook: Jingning L248) ---------------------------------------
ROLES = {
    "township_leadership": "乡镇班子",
    "township_cadre": "乡镇干部",
    "resident_cadre": "驻村干部",
    "village_two_committees": "村“两委”成员",
    "party_member": "党员",
    "villager_representative": "村民代表",
    "villager_at_home": "在家群众",
    "npc_deputy": "人大代表",
    "party_congress_deputy": "党代表",
    "group_leader": "村民小组长",
    "stakeholder": "利益相关人",
    "contractor": "施工方",
    "respected_villager": "村中有威望的群众",
    "expert": "专家",
    "large_grower": "种植大户",
    "relative": "当事人亲属",
    "organisation_department": "组织部门",
    "veteran_cadre": "老干部",
    "supervision_staff": "专门回访人员",
}
# "除乡镇班子和干部外" — every meeting has the township leadership and cadres (L248).
BASE_INVITEES = ["township_leadership", "township_cadre"]
TYPE_INVITEES = {
    "theme_briefing": ["village_two_committees", "party_member", "villager_representative", "villager_at_home"],
    "consultation": ["npc_deputy", "party_congress_deputy", "villager_representative", "group_leader"],
    "project_promotion": ["village_two_committees", "stakeholder", "contractor", "respected_villager"],
    # L248 lists no extra invitees for these three; the operator adds them (--invite).
    "situation_analysis": [],
    "development_planning": [],
    "relationship_coordination": [],
}
# Casebook examples, shown as suggestions only (not default invitees):
SUGGESTED_INVITEES = {
    "development_planning": ["expert", "large_grower"],  # 渤海镇安亭村 bamboo, L264
    "relationship_coordination": ["relative", "organisation_department", "veteran_cadre"],  # 鹤溪镇 petitioner, L248
}

# -- place (因地制宜定地点, casebook: Jingning L250) ----------------------------------------------
DEFAULT_PLACES = {
    "project_promotion": "项目一线现场",         # 项目推进会在一线现场开
    "relationship_coordination": "村级办公楼",   # 矛盾调解会在村级办公楼开 (read as 关系协调会)
    "theme_briefing": "农户庭院",                # 政策宣讲会在农户庭院开 (read as 主题宣讲会)
}

# -- publicity: how the meeting is announced (会前发布, casebook: Jingning L252) ----------------
ANNOUNCE_CHANNELS = {"broadcast": "广播", "publicity_column": "宣传栏", "notice_board": "公开栏"}

# -- appraisal: satisfaction ratings (casebook: Jingning L262) ------------------------------------
RATING_SUBJECTS = {
    "party_org": ("村乡党组织", ("village", "community", "township"), 0.90),
    "villager_committee": ("村民委员会", ("village", "community"), 0.86),
    "township_leadership": ("乡镇班子", ("township",), 0.95),
}


def resolve_type(meeting_type: str | None, situation: str | None) -> str:
    """The meeting type from ``--type`` and/or ``--situation`` (L250). CountyError when
    neither is given, either is unknown, or they disagree."""
    if situation is not None and situation not in SITUATIONS:
        raise CountyError(f"--situation {situation}: use one of {', '.join(SITUATIONS)}")
    if meeting_type is not None and meeting_type not in MEETING_TYPES:
        raise CountyError(f"--type {meeting_type}: use one of {', '.join(MEETING_TYPES)}")
    if meeting_type is None and situation is None:
        raise CountyError("meeting add: give --type TYPE or --situation SITUATION (因需制宜定类型)")
    if situation is not None:
        implied = SITUATIONS[situation][1]
        if meeting_type is not None and meeting_type != implied:
            raise CountyError(f"--type {meeting_type} disagrees with --situation {situation}, "
                              f"which calls for {implied} ({MEETING_TYPES[implied]}, L250)")
        return implied
    return meeting_type


def invitees_for(meeting_type: str, extra_roles=()) -> list[str]:
    """Invitee roles of a meeting: the township leadership and cadres, the type's roles as
    L248 lists them, then any ``extra_roles`` (codes of :data:`ROLES`), without repeats."""
    out: list[str] = []
    for r in [*BASE_INVITEES, *TYPE_INVITEES[meeting_type], *extra_roles]:
        if r not in ROLES:
            raise CountyError(f"--invite {r}: not a role (use one of {', '.join(ROLES)})")
        if r not in out:
            out.append(r)
    return out


def _hhmm(value: str, what: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        raise CountyError(f"[plugins.xiangkai] {what}: {value!r} is not a time (HH:MM)") from None


def schedule_fits(settings: dict, at_local: dt.datetime, rainy: bool) -> tuple[bool, str]:
    """因时制宜定时间 (L250): a meeting should fall in the slack season (``slack_months``), on a
    rainy day, or in the evening (local start time within ``evening_from``–``evening_until``).
    Returns (fits, reason in Chinese)."""
    if rainy:
        return True, "雨天"
    if at_local.month in set(settings["slack_months"]):
        return True, "农闲"
    start, end = _hhmm(settings["evening_from"], "evening_from"), _hhmm(settings["evening_until"], "evening_until")
    t = at_local.time()
    if start <= t <= end:
        return True, "晚上"
    return False, (f"{at_local.strftime('%Y-%m-%d %H:%M')} 不在农闲（{','.join(str(m) for m in settings['slack_months'])}月）、"
                   f"雨天或晚上（{settings['evening_from']}–{settings['evening_until']}）")


# -- the completion deadline of a supervision notice (定完成时限, L253) ------------------------
_SPEC_DAYS = re.compile(r"^\+(\d+)(d|wd)$")


def due_spec(due: str | None, within_days: int | None, within_working_days: int | None) -> str:
    """Turn the notice command's options into one stored spec: an ISO date (end of that
    local day), an ISO date-time (that instant), ``+Nd`` (N calendar days) or ``+Nwd``
    (N working days). Exactly one option must be given."""
    given = [x for x in (due, within_days, within_working_days) if x is not None]
    if len(given) != 1:
        raise CountyError("notice issue: give exactly one of --due DATE[THH:MM], --within-days N, --within-working-days N")
    if within_days is not None:
        if within_days < 1:
            raise CountyError(f"--within-days {within_days}: must be at least 1")
        return f"+{within_days}d"
    if within_working_days is not None:
        if within_working_days < 1:
            raise CountyError(f"--within-working-days {within_working_days}: must be at least 1")
        return f"+{within_working_days}wd"
    return str(due).strip()


def due_from_spec(calendar: Calendar, spec: str, start: dt.datetime, what: str = "--due") -> dt.datetime:
    """The completion due instant of a notice issued at ``start`` (aware).

    * ``2026-12-15`` → 2026-12-15T23:59:59 local (end of the given day);
    * ``2026-12-15T17:00`` → that instant (local unless an offset is given);
    * ``+30d`` → ``calendar.calendar_days(start, 30)``; ``+10wd`` → ``calendar.working_days(start, 10)``.
    """
    m = _SPEC_DAYS.match(spec)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        return calendar.calendar_days(start, n) if unit == "d" else calendar.working_days(start, n)
    if len(spec) == 10:
        try:
            day = dt.date.fromisoformat(spec)
        except ValueError:
            raise CountyError(f"{what} {spec}: not a date (YYYY-MM-DD)") from None
        return calendar.end_of_day(day)
    return calendar.local(parse_instant(spec, calendar.tz, what=what))


# -- how boards and commands word a meeting's outcome and a notice's state (L252, L253) --------
OUTCOME_ZH = {"settled": "议定", "deferred": "另行研究", None: "待议"}
MEETING_STATUS_ZH = {"planned": "待召开", "held": "已召开", "cancelled": "已取消"}
NOTICE_STATE_ZH = {"on_time": "按期办结", "late": "逾期办结", "overdue": "逾期未办结", "in_progress": "办理中"}


def notice_state_code(status: str, resolved_at: dt.datetime | None, due_at: dt.datetime | None,
                      now: dt.datetime) -> str:
    """State of a supervised topic from its case's ``status`` and ``resolved_at`` and the
    notice's ``due_at`` (aware datetimes) at ``now``: ``on_time`` / ``late`` (resolved by / after
    the due instant), ``overdue`` (open past it) or ``in_progress``."""
    if status in DONE_STATUSES:
        return "on_time" if (due_at is None or resolved_at is None or resolved_at <= due_at) else "late"
    if due_at is not None and now > due_at:
        return "overdue"
    return "in_progress"


def notice_state(status: str, resolved_at: dt.datetime | None, due_at: dt.datetime | None,
                 now: dt.datetime) -> str:
    """:func:`notice_state_code` in Chinese: 按期办结 / 逾期办结 / 逾期未办结 / 办理中."""
    return NOTICE_STATE_ZH[notice_state_code(status, resolved_at, due_at, now)]


# -- the contact network for collecting topics (联系网络, casebook: Jingning L246) -----------------
# 每个乡镇班子成员联系1个村、1个基层党组织和1名书记，每个村确定1名驻村干部，每位乡镇干部联系1名以上困难群众
LINK_KINDS = {
    "village": "联系村",
    "party_org": "联系基层党组织",
    "secretary": "联系书记",
    "stationed": "驻村",
    "needy": "联系困难群众",
}
#: the three links every township leadership member holds, exactly one of each (L246)
LEADER_LINKS = ("village", "party_org", "secretary")
LEADER_ROLE = "township_leadership"
#: who counts as a township cadre (乡镇干部): the leadership members are cadres too, and so are
#: the cadres stationed in villages (a reading; L246 names no roles)
CADRE_ROLES = ("township_leadership", "township_cadre", "resident_cadre")
#: codes of the gaps the network check reports, with their Chinese heading
GAP_KINDS = {
    "village_without_stationed_cadre": "没有驻村干部的村",
    "leader_without_village": "未联系村的班子成员",
    "leader_without_party_org": "未联系基层党组织的班子成员",
    "leader_without_secretary": "未联系书记的班子成员",
    "cadre_without_needy": "未联系困难群众的乡镇干部",
}


def minutes(iso_text: str | None) -> str:
    """``2026-11-05T19:30:00+08:00`` → ``2026-11-05 19:30`` (the wall time as stored); '' for None."""
    return dt.datetime.fromisoformat(iso_text).strftime("%Y-%m-%d %H:%M") if iso_text else ""


def iso(value: dt.datetime | None) -> str | None:
    """An aware datetime as ISO 8601 text with its offset (how the plugin's tables store
    instants); None stays None."""
    return value.isoformat() if value is not None else None


#: Chinese names of this method's own event types (``county case show``).
EVENT_LABELS = {"scheduled": "列入议程", "unscheduled": "撤出议程", "settled_at_meeting": "乡会议定", "deferred_at_meeting": "另行研究",
                  "supervision_notice": "督办通知书", "notice_waived": "不下发督办（说明理由）", "callback": "回访"}
