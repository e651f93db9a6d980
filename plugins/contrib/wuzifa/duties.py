"""wuzifa's recurring duties (``county_duties``). The casebook states no cadence or quota for this
method; it states two obligations, which the duties carry with settings for their timing:

* ``work_group`` — a collective dispute gets a work group drawn from city, county and township
  (L49: 市、县、乡及时抽调工作队员组成工作组): due on the day the dispute is taken in (done when
  members of every level of ``work_group_levels`` joined by the end of that day), and every later
  day while the group still lacks a level (not done);
* ``contact`` — every household that has not signed is kept in contact (L57: 粘…白天找不着晚上找，
  家里找不着地里找): every ``contact_every_days`` (7) calendar days after the dispute's intake day,
  done when a technique was recorded on the household in the N days ending that day.
"""

from __future__ import annotations

import datetime as dt

from framework import Duty

from . import service
from .rules import NAME
from .stages import DISPUTE


def duties(ctx, unit, on_date):
    """The duties due on ``on_date`` (a local ``date``) in ``unit``'s subtree (None: everywhere),
    for the wuzifa disputes open that day. Returns ``[Duty]`` (unit, kind, title, subject, done)."""
    end = ctx.calendar.end_of_day(on_date)
    out = []
    every = ctx.settings["contact_every_days"]
    for c in ctx.cases.find(method=NAME, category=DISPUTE, unit=unit.code if unit else None, created=(None, end)):
        if c.resolved_at is not None and ctx.calendar.local(c.resolved_at).date() <= on_date:
            continue
        day0 = ctx.calendar.local(c.created_at).date()
        missing = service.missing_levels(ctx, c.id, until=end)
        if on_date == day0 or missing:
            out.append(Duty(NAME, c.origin_unit, "work_group", f"{c.title}：组成市县乡工作组", on_date,
                            done=not missing, subject=c.id))
        gap = (on_date - day0).days
        if gap <= 0 or gap % every:
            continue
        since = ctx.calendar.end_of_day(on_date - dt.timedelta(days=every)).timestamp()
        worked = {s["household"] for s in service.steps(ctx, c.id) if since < s["at_ts"] <= end.timestamp()}
        start = dt.datetime.combine(on_date, dt.time(), ctx.calendar.tz)
        for h in service.households(ctx, c.id):
            if h["listed_ts"] > end.timestamp():
                continue
            if h["signed_at"] and dt.datetime.fromisoformat(h["signed_at"]) < start:
                continue
            out.append(Duty(NAME, h["unit"], "contact", f"{c.title}：{h['name']}保持联系（粘）", on_date,
                            done=h["household"] in worked, subject=f"{c.id}/{h['household']}"))
    return out
