"""The source facts of Julu County's 干群夜谈会 (cadre–villager evening talks) as data, and the
small pure rules built on them: the tier chain, settings, ``extra`` type, channels,
categories, roles, talk formats, the five prohibitions (五个不准) and the promised-date parser.

Casebook: the Julu section of the original, L167–176 (methods.md §2.7). Every table cites the
line it encodes. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from framework import CountyError, Setting, Tier

METHOD = "yetanhui"

# -- the tier chain (casebook L176: 能解决的当场解决；当场解决不了的，承诺答复或解决问题的时间 …
#    对需要由乡镇解决的问题，由乡镇党委集中研究后，10天内给予答复) -------------------------------
TIERS = [
    Tier("agenda", "列入夜谈会议题（会前调查摸底）", "village",
         "会前深入农户调查摸底，研究出初步的解决方案；各村提前三天将有关议题告知群众；会上现场解答", "L176"),
    Tier("village", "乡村干部承诺办理", "village",
         "当场解决不了的，承诺答复或解决问题的时间；明确具体承办人和办理时限", "L176",
         by_command_only=True),  # entered at intake with a promise, or by `county yetanhui decide`
    Tier("township", "报乡镇党委集中研究", "township",
         "需要由乡镇解决的问题，由乡镇党委集中研究（源文未规定研究时限）", "L176"),
    Tier("township_reply", "乡镇答复（集中研究后10天内）", "township",
         "乡镇党委集中研究后，10天内给予答复", "L176", by_command_only=True),  # `county yetanhui study`
]

SETTINGS = [
    Setting("talks_per_month", 1, "talks each village holds at least per month (每月至少召开一次, L172)"),
    Setting("notice_days", 3, "a regular talk's topics and time are announced this many calendar days ahead "
                              "(提前三天, L176): the notice is due by 23:59:59 local on the talk's date minus N"),
    Setting("extra_notice_days", 0, "the same for an extra talk on a major matter (遇有重大事项，随时召开, L172): "
                                    "the source gives no lead time; 0 = any time before the talk starts"),
    Setting("ordinary_share_min", 0.4, "ordinary villagers' share of the attendees (普通群众所占比例一般不低于40％, "
                                       "L176); a lower share is refused unless a reason is recorded (一般)"),
    Setting("township_reply_days", 10, "the township replies within N calendar days of its collective study "
                                       "(集中研究后，10天内给予答复, L176)"),
    Setting("study_days", 0, "calendar days the township party committee has to study a matter collectively; the "
                             "source sets none (methods.md §6 item 14): 0 = no limit, N > 0 = flagged when missed"),
    Setting("promise_miss", "flag", "a promised date missed at the village: 'flag' (督办, default; the source names "
                                    "no consequence) or 'escalate' (to the township party committee)"),
    Setting("evening_from", "17:00", "a talk starts at or after this local time (利用晚上农民闲暇时间, L168, L172); "
                                     "the source names no hour"),
    Setting("levy_words", ["集资", "摊派", "筹资", "募捐"],
            "words refused in a talk's topics: a talk may not launch fund-raising that adds to farmers' burden "
            "(五个不准之五, L176)"),
]

# -- intake: how a matter reaches the method (L176) ------------------------------------------
CHANNELS = {
    "survey": "会前入户调查摸底",
    "talk": "夜谈会上提出（口头或书面）",
    "service_centre": "乡镇便民服务中心",
    "voice_phone": "民声服务电话",
}
#: How a matter was raised at a talk: 以口头或书面形式提出意见 (L176).
FORMS = {"oral": "口头", "written": "书面"}
#: What the cadres at the talk decided (L176): 能解决的当场解决；当场解决不了的，承诺答复或解决
#: 问题的时间；需要由乡镇解决的问题，由乡镇党委集中研究.
OUTCOMES = {"spot": "当场解决（答复）", "promised": "承诺时间办理", "township": "报乡镇党委研究"}

# -- triage: the five linked purposes of a talk (五个结合, L172) ------------------------------
CATEGORIES = {
    "policy": "宣传政策（科学发展观、党的方针政策）",
    "opinion": "体察民情",
    "stability": "维护稳定（热点难点、矛盾隐患）",
    "development": "经济发展（谈发展、议项目）",
    "knowledge": "提高素质（法律、经济、科技知识）",
}
#: Talk formats: 通过漫谈、座谈、辩论、授课等形式 (L172).
FORMATS = {"chat": "漫谈", "forum": "座谈", "debate": "辩论", "lecture": "授课"}
#: Talk kinds: 每月至少召开一次 … 遇有重大事项，随时召开 (L172).
KINDS = {"regular": "例会", "extra": "重大事项随时召开"}
#: How the notice reaches the villagers: 用广播、板报、公开栏等形式告知群众 (L176).
NOTICE_CHANNELS = {"broadcast": "广播", "blackboard": "板报", "board": "公开栏"}
#: How handling results are fed back: 将落实情况向群众反馈 (L176).
FEEDBACK = {"talk": "下次夜谈会通报", "board": "公示簿公示", "visit": "上门反馈", "broadcast": "广播"}

ROLES = {
    "village_contact_cadre": "乡镇包村干部（召集、必须参加、可主持, L172/L176）",
    "village_party_secretary": "村支部书记（可主持, L176）",
    "village_cadre": "村“两委”干部",
    "township_leader": "乡镇班子成员（联系一个村、参加夜谈会, L176）",
    "deputy_secretary": "乡镇党委副书记（牵头负责, L176）",
    "inspector": "督查人员（L176）",
}

#: 五个不准 (L176), the codes an inspection finding names.
PROHIBITIONS = {
    "postpone": "不准无故推迟或不召开夜谈会",
    "interrupt": "不准中途打断群众提出的尖锐问题和意见",
    "talk_back": "不准顶撞群众的指责和抱怨",
    "evade": "不准推托不解决或不回复群众提出的疑难问题",
    "replace_assembly": "不准以夜谈会取代村民代表大会、借机出台集资等项目，增加农民负担",
}
#: Other inspection findings: 走过场、敷衍了事 (perfunctory) bars the village and its contact
#: cadre from awards (L176).
FINDINGS = {**PROHIBITIONS, "perfunctory": "走过场、敷衍了事", "ok": "符合要求"}

EVENT_LABELS = {
    "noticed": "夜谈会议题已告知",
    "decided": "夜谈会上研究确定",
    "studied": "乡镇党委集中研究",
    "reported": "问题办理结果报告",
    "inspected": "督查",
}


@attrs.define
class YetanhuiExtra:
    """A matter's own fields (``--set KEY=VALUE``)."""

    talk: int | None = None  # the talk it was raised at (or surveyed for), yetanhui_talks.id
    form: str | None = None  # oral / written (L176)
    outcome: str | None = None  # spot / promised / township (L176)
    handler: str | None = None  # 承办人 (person id), required for promised (L176)
    joint_handler: str | None = None  # a second cadre of the other level (乡镇、村干部共同研究, L176)
    promised: str | None = None  # 承诺时间: a date, a date-time, +Nd or +Nwd (L176)
    answer: str | None = None  # the answer given on the spot (outcome spot)
    major: bool = False  # 重大事项 (村镇规划、新上项目): majority consent before implementation (L176)


_REL = re.compile(r"^\+(\d+)(d|wd)$")


def promised_due(calendar, arrived_at: dt.datetime, spec: str, what: str = "--set promised") -> dt.datetime:
    """The due instant of a promise (承诺答复或解决问题的时间, L176), aware, deployment-local:
    ``2024-10-15`` → 23:59:59 local on that day; ``2024-10-15T18:00`` → that instant;
    ``+Nd`` → 23:59:59 on the Nth calendar day after ``arrived_at``'s local date; ``+Nwd`` →
    the Nth working day (China's calendar with 调休). All through ``calendar`` (ctx.calendar).
    CountyError naming ``what`` for a bad text or an instant not after ``arrived_at``."""
    text = (spec or "").strip()
    m = _REL.match(text)
    if m:
        n = int(m.group(1))
        if n < 1:
            raise CountyError(f"{what}={spec!r}: at least +1d")
        return calendar.calendar_days(arrived_at, n) if m.group(2) == "d" else calendar.working_days(arrived_at, n)
    try:
        if len(text) == 10:
            due = calendar.end_of_day(dt.date.fromisoformat(text))
        else:
            due = calendar.local(dt.datetime.fromisoformat(text))
    except ValueError:
        raise CountyError(f"{what}={spec!r}: give a date (2024-10-15), a date-time (2024-10-15T18:00), "
                          f"+Nd (calendar days) or +Nwd (working days)") from None
    if due <= arrived_at:
        raise CountyError(f"{what}={spec!r}: the promised time must fall after "
                          f"{calendar.local(arrived_at).isoformat()}")
    return due


def notice_due(calendar, scheduled_at: dt.datetime, days: int) -> dt.datetime:
    """When a talk's notice is due (提前三天, L176): 23:59:59 local on the talk's local date
    minus ``days`` calendar days; with ``days`` 0, the talk's start itself (an extra talk,
    L172). ``scheduled_at`` aware; returns aware, deployment-local."""
    local = calendar.local(scheduled_at)
    if days <= 0:
        return local
    return calendar.end_of_day(local.date() - dt.timedelta(days=days))


def levy_words(settings: dict) -> list[str]:
    """The ``levy_words`` setting as a list of str; CountyError naming it when malformed."""
    words = settings.get("levy_words")
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise CountyError("[plugins.yetanhui] levy_words: a list of words, e.g. [\"集资\", \"摊派\"]")
    return words


def evening_from(settings: dict) -> dt.time:
    """The ``evening_from`` setting as a time; CountyError naming it when malformed."""
    try:
        return dt.time.fromisoformat(settings["evening_from"])
    except (ValueError, TypeError):
        raise CountyError(f"[plugins.yetanhui] evening_from={settings.get('evening_from')!r}: a local time "
                          f"such as \"17:00\"") from None
