"""Source facts, settings and the service-hours calendar of 三全十服务 (Xihu District, Zhejiang,
casebook L353–371; methods.md §2.15).

Every number the casebook gives is a constant or a setting default here with its line; what the
casebook leaves open is a setting whose default is documented in the README ("Ambiguities").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from framework import CountyError, MethodInfo, Setting, StageRule, Tier

METHOD = "sanquan"

#: The ten services as five pairs, each pair for one target group (L355, L361).
SERVICE_PAIRS = [
    (("window", "窗口服务"), ("routine", "常规服务"), "普通居民群众"),
    (("emergency", "应急服务"), ("branded", "品牌服务"), "老人与小孩"),
    (("appointment", "预约服务"), ("special", "特殊服务"), "外来流动人员及残障病患人员"),
    (("group", "组团服务"), ("scheduled", "定期服务"), "志愿者在周末和节假日举行"),
    (("self_help", "自助服务"), ("mutual_help", "互助服务"), "社区居民之间"),
]
CATEGORIES = {code: label for a, b, _ in SERVICE_PAIRS for code, label in (a, b)}
TARGET_GROUP = {code: group for a, b, group in SERVICE_PAIRS for code, _ in (a, b)}

#: How a matter reaches the community: the 一门式公共服务站 window and the 24-hour 民情热线
#: and the 民情联系卡 (L359), a five-star household's 呼叫器 (L363), the grid team's one-to-one
#: contact (网格 "一对一"联系, L363).
CHANNELS = {
    "window": "一门式公共服务站窗口",
    "hotline": "24小时民情热线",
    "contact_card": "民情联系卡",
    "call_device": "呼叫器",
    "grid_team": "网格服务团队",
}

#: The three-level hotline network 区、镇（街道）、社区（村） (L359, L371) as the tier chain.
TIERS = [
    Tier("community", "社区（村）", "community", "社区（村）受理，限时办结（L367，无天数）", "L359, L367"),
    Tier("subdistrict", "镇（街道）", "township", "镇街一级民情热线网络（L359），限时办结", "L359, L371"),
    Tier("district", "区", "county", "区一级民情热线网络（L359），限时办结，逾期督办", "L359, L371"),
]
TIER_ZH = {t.name: t.title_zh for t in TIERS}
#: Unit levels that take a matter in: 社区（村） (L359) and the community's grids (L363).
INTAKE_LEVELS = ("community", "village", "grid")
#: The levels of a community's own unit (社区 or, in the villages, 村; L359 "社区（村）").
COMMUNITY_LEVELS = ("community", "village")

ROLES = {
    "two_committee_member": "社区“两委”班子成员",      # L359: take turns on duty
    "social_worker": "社区工作者（社工）",              # L371: A/B posts, patches
    "community_cadre": "社区干部",                      # L363: grid teams
    "township_cadre": "镇街干部",                       # L363: grid teams
    "party_volunteer": "党员志愿者",                    # L363: grid teams
    "subdistrict_staff": "镇（街道）热线值班人员",      # L359: the hotline network's middle level
    "district_staff": "区民情热线值班人员",             # L359: the hotline network's top level
}
#: Grid team member kinds (网组片: 镇街干部、社区干部和党员志愿者, L363).
TEAM_KINDS = {"township_cadre": "镇街干部", "community_cadre": "社区干部", "party_volunteer": "党员志愿者"}
#: Who handles at the two upper tiers when no A/B post or roster says otherwise.
TIER_ROLE = {"subdistrict": "subdistrict_staff", "district": "district_staff"}

STARS = (1, 2, 3, 4, 5)  # 一星级 … 五星级 (L363)
STAR_ZH = {1: "一星级", 2: "二星级", 3: "三星级", 4: "四星级", 5: "五星级"}

EVENT_LABELS = {"responded": "已响应"}


@attrs.define
class SanquanExtra:
    """The method's ``--set`` fields: ``household`` (a household id of ``sanquan_households``),
    ``line`` (the work line 条线 whose A/B post handles the matter, L371), ``urgent`` (an
    on-call matter: timed from arrival even out of hours, L359)."""

    household: str | None = None
    line: str | None = None
    urgent: bool = False


SETTINGS = [
    Setting("workday_hours", "08:00-21:00",
            "service hours on a working day (调休 make-up days included), HH:MM-HH:MM: 朝八晚九 (L359)"),
    Setting("restday_hours", "09:00-17:00",
            "service hours on weekends and public holidays, HH:MM-HH:MM: 朝九晚五 (L359)"),
    Setting("response_hours", 0.0,
            "an ordinary matter: respond within N hours (exact) of the service start, a miss flagged; 0 = no "
            "response limit (the source sets none; a missed one counts against the kernel's 按期办结率)"),
    Setting("on_call_response_hours", 1.0,
            "an on-call matter: respond within N hours of arrival, at any hour (24小时随叫随到, L359; no number)"),
    Setting("limit_unit", "working_days",
            "unit of the completion limits: working_days or calendar_days (限时办结, L367: no unit given)"),
    Setting("community_days", 3, "community (社区/村) tier: complete within N limit_unit (限时办结, L367: no number)"),
    Setting("subdistrict_days", 5, "subdistrict (镇街) tier: complete within N limit_unit (no number in the source)"),
    Setting("district_days", 10, "district (区) tier: complete within N limit_unit, then flagged (no number)"),
    Setting("miss_action", "escalate",
            "a missed completion limit at the community or subdistrict: escalate (up the hotline network, "
            "L359) or flag (督办 and stay)"),
    Setting("priority_star_min", 4,
            "households of at least N stars get priority high (L363 names 五星级 and 四星级 together)"),
    Setting("visit_every_days_star5", 1, "five-star households: a visit every N days (每天上门服务, L363)"),
    Setting("visit_every_days_star4", 7, "four-star households: a visit every N days (0 = none; not in the source)"),
    Setting("visit_every_days_star3", 30, "three-star households: a visit every N days (0 = none; not in the source)"),
    Setting("visit_every_days_star2", 0, "two-star households: a visit every N days (0 = none; not in the source)"),
    Setting("visit_every_days_star1", 0, "one-star households: a visit every N days (0 = none; not in the source)"),
    Setting("on_call_categories", ["emergency"],
            "service types that are on-call matters (应急服务; the hotline 应对突发事件, L359)"),
    Setting("on_call_channels", ["call_device"],
            "channels whose matters are on-call (a five-star household's 呼叫器, L363)"),
]


def method_info() -> MethodInfo:
    """The declaration: the ten services as categories, five channels, the three-level hotline
    network as tiers, roles, settings, ``SanquanExtra``, stage rules."""
    return MethodInfo(
        name=METHOD, title_zh="三全十服务", title="Three fulls, ten services",
        source_county="浙江省西湖区 Xihu District, Zhejiang", source_lines="L353–371", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=CHANNELS, categories=CATEGORIES, tiers=TIERS, roles=ROLES, settings=SETTINGS,
        extra_type=SanquanExtra, event_labels=EVENT_LABELS,
        stage_rules={
            "intake": StageRule("the service-hours calendar times a matter from the next opening (错时工作制, L359)",
                                keep=True),
            "triage": StageRule("star tiers of the household (五星级服务, L363)", keep=True, lend=False),
            "assignment": StageRule("A/B posts, the 24-hour duty roster and the grid teams (L359, L363, L371)",
                                    keep=True, lend=False),
            "deadline": StageRule("timed from the service start of the staggered hours (L359)", keep=True,
                                  lend=False),
        },
    )


# -- the service-hours calendar (错时工作制, L359) -------------------------------------------

_HOURS = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


def parse_hours(text: Any, key: str) -> tuple[dt.time, dt.time]:
    """``"08:00-21:00"`` → (opening, closing); CountyError naming ``[plugins.sanquan] key``."""
    m = _HOURS.match(str(text).strip())
    if not m:
        raise CountyError(f"[plugins.sanquan] {key} = {text!r}: use HH:MM-HH:MM, e.g. 08:00-21:00")
    h1, m1, h2, m2 = (int(x) for x in m.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) >= (h2, m2):
        raise CountyError(f"[plugins.sanquan] {key} = {text!r}: opening must come before closing, both 00:00–23:59")
    return dt.time(h1, m1), dt.time(h2, m2)


def day_hours(ctx, day: dt.date) -> tuple[dt.datetime, dt.datetime, str]:
    """The service window of the local date ``day``: ``(opening, closing, kind)``, aware,
    deployment-local; ``kind`` is ``working`` (a working day of ``ctx.calendar``, so a 调休
    make-up Saturday too: ``workday_hours``, 08:00–21:00, L359) or ``rest`` (weekends and
    public holidays: ``restday_hours``, 09:00–17:00, L359). Closing is exclusive."""
    working = ctx.calendar.is_working_day(day)
    key = "workday_hours" if working else "restday_hours"
    opening, closing = parse_hours(ctx.settings[key], key)
    tz = ctx.calendar.tz
    return (dt.datetime.combine(day, opening, tz), dt.datetime.combine(day, closing, tz),
            "working" if working else "rest")


def in_service_hours(ctx, instant: dt.datetime) -> bool:
    """Whether ``instant`` (aware) falls inside its local day's service window [opening, closing)."""
    t = ctx.calendar.local(instant)
    opening, closing, _ = day_hours(ctx, t.date())
    return opening <= t < closing


def next_opening(ctx, instant: dt.datetime) -> dt.datetime:
    """``instant`` itself when inside service hours, else the next opening (that day's if
    before it, else the next day's, whatever kind of day it is): the instant a matter arriving
    out of hours is timed from (L359). Aware, deployment-local."""
    t = ctx.calendar.local(instant)
    opening, closing, _ = day_hours(ctx, t.date())
    if t < opening:
        return opening
    if t < closing:
        return t
    return day_hours(ctx, t.date() + dt.timedelta(days=1))[0]


def duty_date(ctx, instant: dt.datetime) -> dt.date:
    """The roster date whose 24-hour duty covers ``instant``: its local date, or the day before
    when it falls before that day's opening (the night belongs to the evening's duty, L359)."""
    t = ctx.calendar.local(instant)
    opening, _, _ = day_hours(ctx, t.date())
    return t.date() if t >= opening else t.date() - dt.timedelta(days=1)


def setting_list(ctx, key: str, allowed: dict) -> list[str]:
    """A list setting checked against ``allowed`` codes; CountyError naming the setting."""
    value = ctx.settings[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or any(v not in allowed for v in value):
        raise CountyError(f"[plugins.sanquan] {key} = {value!r}: a list of {', '.join(allowed)}")
    return value


def visit_every(ctx, star: int) -> int:
    """Days between two visits a household of ``star`` stars is due (0: no visit duty);
    five stars: 1, 每天上门服务 (L363)."""
    return int(ctx.settings[f"visit_every_days_star{star}"])
