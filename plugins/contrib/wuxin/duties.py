"""wuxin's recurring duties (``county_duties``), computed from the pairs, the care log and the work
log — never stored:

* a caring mother's 六个一 (L432), per child pair: ``contact`` on the last day of each month (每月至少
  联系一次); ``letter``, ``teacher``, ``guardian`` on the last day of each ``<kind>_period`` (default
  month); ``birthday`` (过一次生日) on the last day of its window, the child's birthday plus
  ``birthday_window_days`` (7) — done by a birthday record within that many days either side of the
  birthday, so it is not missed before the window has closed (a birthday of 12-28 is due 01-04 of
  the next year); ``festival`` on 30 June and 31 December (每半年至少一次);
* a volunteer's 六必须 (L432), per elder pair the musts apply to: ``greeting`` every day (每天问候
  一次), ``chat`` on the last day of each week (每周两小时: done at 120 minutes), ``activity`` on
  the last day of each month (每月一次爱心活动);
* a community's environment (L437): ``inspection`` on the last day of each week (周检查),
  ``ranking`` on the last day of each month (月评比), ``assessment`` on 31 December (年考核);
* a community's watch (L445): ``watch`` every day (24小时有人值班), ``leader_watch`` on every day off of
  a statutory holiday (重大节日: a run of days off holding a weekday, on China's calendar) and on each
  ``sensitive_dates`` day (重要时期), done by a work step of that kind that day.

A pair owes a period's duty when it was formed on or before the period's first day and had not
ended by its last day (every whole period it exists); a birthday when formed on or before it. A
community owes its environment duties from the period holding its first wuxin record (a file
opened or a work step) on. Weeks end on ``week_ends_on`` (7, Sunday).
"""

from __future__ import annotations

import datetime as dt

from framework import Duty

from . import service
from .rules import (
    CARE_KINDS,
    CHAT_MINUTES_PER_WEEK,
    METHOD,
    WORK,
    birthday_in,
    care_period,
    is_major_holiday,
    period_of,
    sensitive_dates,
)


def pair_owes(ctx, pair: dict, first: dt.date, last: dt.date) -> bool:
    """True when ``pair`` exists through the whole of ``first``..``last``."""
    start, end = service.local_day(ctx, pair["started_at"]), service.local_day(ctx, pair["ended_at"])
    return start <= first and (end is None or end > last)


def care_done(ctx, pair: dict, kind: str, first: dt.date, last: dt.date) -> bool:
    """Whether the care duty ``kind`` of ``pair`` for the period ``first``..``last`` was done: a
    record of that kind in it (a chat: 120 minutes in all, L432)."""
    rows = service.care_between(ctx, pair["id"], kind, first, last)
    if kind == "chat":
        return sum(r["minutes"] or 0 for r in rows) >= CHAT_MINUTES_PER_WEEK
    return bool(rows)


def pair_duties(ctx, pair: dict, file: dict, first: dt.date, last: dt.date) -> list[Duty]:
    """The care duties of ``pair`` (for ``file``) due on local dates ``first``..``last``, in date
    order, each with ``done``."""
    s = ctx.settings
    if pair["kind"] == "elder" and not service.musts_apply(ctx, file):
        return []
    carer = ctx.people.get(pair["carer"])
    who = carer.name if carer else pair["carer"]
    out = []
    day = first
    while day <= last:
        for kind, (label, _) in CARE_KINDS[pair["kind"]].items():
            if kind == "birthday":
                if not file["birthday"]:
                    continue
                w = dt.timedelta(days=s["birthday_window_days"])
                b = birthday_in(dt.date.fromisoformat(file["birthday"]), (day - w).year)
                if b + w != day or not pair_owes(ctx, pair, b, b - dt.timedelta(days=1)):
                    continue
                done = bool(service.care_between(ctx, pair["id"], "birthday", b - w, b + w))
                out.append(Duty(METHOD, pair["unit"], kind,
                                f"{label}（生日{b.isoformat()}前后{w.days}天内；{who}，档案{file['id']}）", day,
                                done=done, subject=f"pair {pair['id']}"))
                continue
            p_first, p_last = period_of(care_period(kind, pair["kind"], s), day, s["week_ends_on"])
            if p_last != day or not pair_owes(ctx, pair, p_first, p_last):
                continue
            out.append(Duty(METHOD, pair["unit"], kind, f"{label}（{who}，档案{file['id']}）", day,
                            done=care_done(ctx, pair, kind, p_first, p_last), subject=f"pair {pair['id']}"))
        day += dt.timedelta(days=1)
    return out


def community_start(ctx, code: str) -> dt.date | None:
    """The local date of a community's first wuxin record (a file opened in it, a work step)."""
    sub = ctx.subtree(code)
    rows = ctx.db.query(f"select min(opened_ts) as t from wuxin_files where unit in ({ctx.db.placeholders(sub)})", sub)
    work = ctx.db.query("select min(at_ts) as t from wuxin_work where unit = ?", [code])
    times = [r["t"] for r in rows + work if r["t"] is not None]
    if not times:
        return None
    return dt.datetime.fromtimestamp(min(times), ctx.calendar.tz).date()


def environment_duties(ctx, code: str, first: dt.date, last: dt.date) -> list[Duty]:
    """The environment (L437) and watch (L445) duties of community ``code`` due on ``first``..``last``."""
    start = community_start(ctx, code)
    if start is None:
        return []
    extra = sensitive_dates(ctx.settings)
    out = []
    day = first
    while day <= last:
        for kind, (label, period) in WORK.items():
            if period == "holiday":
                if day < start or not (is_major_holiday(ctx.calendar, day) or day in extra):
                    continue
                p_first = p_last = day
            else:
                p_first, p_last = period_of(period, day, ctx.settings["week_ends_on"])
            if p_last != day or p_last < start:
                continue
            out.append(Duty(METHOD, code, kind, label, day, done=service.work_between(ctx, kind, code, p_first, p_last)
                            > 0, subject=f"{p_first.isoformat()}..{p_last.isoformat()}"))
        day += dt.timedelta(days=1)
    return out


def duties_between(ctx, unit, first: dt.date, last: dt.date) -> list[Duty]:
    """Every duty due on local dates ``first``..``last`` in ``unit``'s subtree (a ``Unit`` or None)."""
    code = unit.code if unit else None
    out = []
    for pair in service.pairs(ctx, code):
        out.extend(pair_duties(ctx, pair, service.file(ctx, pair["file"]), first, last))
    for community in service.units_at(ctx, "community", code):
        out.extend(environment_duties(ctx, community, first, last))
    return sorted(out, key=lambda d: (d.due_on, d.unit, d.kind, d.subject or ""))


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """The duties due on ``on_date`` (a local date), as the module docstring lists."""
    return duties_between(ctx, unit, on_date, on_date)

