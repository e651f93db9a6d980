"""Recurring duties of the evening talks (computed, never stored):

* ``monthly_talk`` — each village holds at least ``talks_per_month`` talks a month (每月至少
  召开一次, L172): due on the month's last day, done once that many were held in the month.
  From the month of the deployment's first talk on (before it the method was not running).
* ``notice`` — a scheduled or held talk's notice (提前三天, L176): due on the day its notice
  falls due, done once posted by then.
* ``talk`` — a talk on its scheduled day: done once held (不准无故推迟或不召开, L176).
"""

from __future__ import annotations

import datetime as dt

from framework import Duty
from plugins.contrib.yetanhui import rules, tables, talks


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """The duties of ``on_date`` (local date) in ``unit``'s subtree (None: the deployment)."""
    codes = ctx.subtree(unit.code) if unit else list(ctx.units)
    villages = [c for c in codes if ctx.units[c].level == "village" and ctx.takes_part(c)]
    vset = set(villages)
    out: list[Duty] = []
    day = on_date.isoformat()
    lead = max(ctx.settings["notice_days"], ctx.settings["extra_notice_days"]) + 1
    lo = ctx.calendar.end_of_day(on_date - dt.timedelta(days=1)).timestamp()  # the day's bounds, local
    hi = ctx.calendar.end_of_day(on_date + dt.timedelta(days=lead)).timestamp()
    for t in tables.talks(ctx.db, ["status != 'cancelled'", "scheduled_ts > ?", "scheduled_ts <= ?"], [lo, hi]):
        if t["village"] not in vset:
            continue
        title_topics = "；".join(t["topics"])
        if ctx.calendar.local(dt.datetime.fromisoformat(t["notice_due_at"])).date() == on_date:
            out.append(Duty(rules.METHOD, t["village"], "notice", f"第{t['id']}次夜谈会提前三天告知议题：{title_topics}",
                            on_date, done=bool(talks.notice_on_time(t)), subject=str(t["id"])))
        if t["scheduled_at"][:10] == day:
            out.append(Duty(rules.METHOD, t["village"], "talk", f"召开第{t['id']}次夜谈会：{title_topics}",
                            on_date, done=t["status"] == "held", subject=str(t["id"])))
    if (on_date + dt.timedelta(days=1)).day == 1:
        first = ctx.db.query("select min(created_ts) as t from yetanhui_talks")[0]["t"]
        month = on_date.strftime("%Y-%m")
        if first is not None and ctx.calendar.local(
                dt.datetime.fromtimestamp(first, dt.timezone.utc)).strftime("%Y-%m") <= month:
            for v in villages:
                held = [t for t in talks.list_talks(ctx, v, month) if t["status"] == "held"]
                out.append(Duty(rules.METHOD, v, "monthly_talk", f"{month}干群夜谈会（每月至少一次）", on_date,
                                done=len(held) >= ctx.settings["talks_per_month"], subject=month))
    return out
