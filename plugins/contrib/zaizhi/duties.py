"""zaizhi's recurring duties (``county_duties``), computed from the register and the activity
log (L389, L397):

* ``study`` — each subdistrict with an agency party branch (a registered member whose
  ``branch`` is it): the concentrated study meeting on day ``study_day`` (10) of the first month
  of each quarter; done when a ``study`` is recorded there that day;
* ``group_day`` — the same subdistricts: the party group activity day on day ``group_day`` (15)
  of the second and third months; done when a ``group_day`` is recorded there that day;
* ``monthly_visits`` — each agency cadre, on the month's last day: ``visits_per_month`` (4)
  visits to the subdistrict's residential areas within working hours that month; ``subject``
  the cadre's id;
* ``post_service`` — each post claimed on that day, on its monthly ``service_day``; done when a
  ``post_service`` is recorded for it that local day; ``subject`` the post id.
"""

from __future__ import annotations

import datetime as dt

from framework import Duty

from . import service
from .rules import ACTIVITIES, METHOD, POST_KINDS, quarter_dates


def _day_bounds(ctx, day: dt.date) -> tuple[float, float]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=ctx.calendar.tz)
    return start.timestamp(), (start + dt.timedelta(days=1)).timestamp()


def done_on(ctx, kind: str, unit: str, day: dt.date, post=None) -> bool:
    """True when an activity of ``kind`` is recorded at ``unit`` (and for ``post`` when given)
    on the local date ``day``."""
    a, b = _day_bounds(ctx, day)
    sql = "select count(*) as n from zaizhi_activities where kind = ? and unit = ? and at_ts >= ? and at_ts < ?"
    params = [kind, unit, a, b]
    if post is not None:
        sql += " and post = ?"
        params.append(post)
    return ctx.db.query(sql, params)[0]["n"] > 0


def schedule(ctx, year: int, quarter: int) -> list[tuple[dt.date, str]]:
    """The quarter's fixed days under the method's settings (rules.quarter_dates)."""
    return quarter_dates(year, quarter, ctx.settings, ctx.calendar)


def branches(ctx, unit=None) -> list[str]:
    """Subdistricts with an agency party branch, in ``unit``'s subtree when given (a ``Unit``
    or None), sorted."""
    sub = set(ctx.subtree(unit.code)) if unit else None
    return sorted({m["branch"] for m in service.agency_cadres(ctx) if sub is None or m["branch"] in sub})


def visits_in_month(ctx, person: str, year: int, month: int) -> int:
    """The number of ``visit`` activities of ``person`` in the local month."""
    where, params = ctx.scope(None, f"{year:04d}-{month:02d}", unit_cols=("unit",), ts_cols=("at_ts",))
    return ctx.db.query("select count(*) as n from zaizhi_activities where kind = 'visit' and person = ? and "
                        + " and ".join(where), [person, *params])[0]["n"]


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """The duties due on ``on_date`` (a local date) in ``unit``'s subtree (None: everywhere), as
    listed in the module docstring. Returns a list of ``Duty``."""
    out = []
    quarter = (on_date.month - 1) // 3 + 1
    days = [(d, k) for d, k in schedule(ctx, on_date.year, quarter) if d == on_date]
    for code in branches(ctx, unit):
        for day, kind in days:
            out.append(Duty(METHOD, code, kind, ACTIVITIES[kind].split("（")[0], day,
                            done=done_on(ctx, kind, code, day), subject=day.isoformat()))
    if (on_date + dt.timedelta(days=1)).day == 1:
        sub = set(ctx.subtree(unit.code)) if unit else None
        quota = ctx.settings["visits_per_month"]
        for m in service.agency_cadres(ctx):
            if sub is not None and m["branch"] not in sub:
                continue
            n = visits_in_month(ctx, m["id"], on_date.year, on_date.month)
            out.append(Duty(METHOD, m["branch"], "monthly_visits", f"机关干部8小时内下居民区{quota}次（{m['name']}，已{n}次）",
                            on_date, done=n >= quota, subject=m["id"]))
    end = dt.datetime.combine(on_date + dt.timedelta(days=1), dt.time(), tzinfo=ctx.calendar.tz)
    for p in service.posts(ctx, unit.code if unit else None):
        if p["service_day"] != on_date.day or not p["member"] or not ctx.takes_part(p["unit"]):
            continue
        if dt.datetime.fromisoformat(p["claimed_at"]) >= end:
            continue
        out.append(Duty(METHOD, p["unit"], "post_service", f"服务点{POST_KINDS[p['kind']]}岗位每月定时服务", on_date,
                        done=done_on(ctx, "post_service", p["unit"], on_date, post=p["id"]), subject=str(p["id"])))
    return out
