"""zhihui's recurring duties: the monthly 4+4+1+6 check of every grid (L406; the cadence is the
plugin's choice) and the qualification goal of every community (L408: 3-5年 大专以上)."""

from __future__ import annotations

from framework import Duty

from . import service, staffing
from .rules import NAME


def duties(ctx, unit, on_date):
    """Duties due on ``on_date`` (a ``datetime.date``) in ``unit``'s subtree (a ``Unit``; None: all):

    * ``staffing`` (网格“4+4+1+6”配备核查), on day ``staffing_check_day`` (1) of each month, per grid:
      done when the grid meets 4+4+1+6 (L406); subject the grid's missing posts, or None;
    * ``qualification`` (社区工作人员大专以上), on the goal day (``qualification_start`` + 3–5
      ``qualification_years``, less a day; L408), per community: done when it has community
      workers and every one is recorded at 大专 or above.

    Returns a list of ``Duty``."""
    code = unit.code if unit else None
    out = []
    day = ctx.settings["staffing_check_day"]
    if day and on_date.day == day:
        for g in staffing.check(ctx, code):
            out.append(Duty(NAME, g["grid"], "staffing", f"{g['name']}“4+4+1+6”配备核查", on_date,
                            done=g["complete"], subject="、".join(g["missing"]) or None))
    if on_date == service.qualification_due(ctx):
        codes = ctx.subtree(code) if code else sorted(ctx.units)
        for c in sorted(c for c in codes if ctx.units[c].level == "community" and ctx.takes_part(c)):
            staff = service.community_staff(ctx, c)
            ok = bool(staff) and len(service.qualified(ctx, staff)) == len(staff)
            out.append(Duty(NAME, c, "qualification", f"{ctx.units[c].name}社区工作人员达到大专以上文化水平",
                            on_date, done=ok, subject=f"{len(service.qualified(ctx, staff))}/{len(staff)}"))
    return out
