"""zouqian's recurring duties (``county_duties``), computed from its own tables:

* ``round_visit`` 集中走访 — on the last day of each visiting round (L320: 五批集中走访), every
  active 区级机关干部与居村结对 pairing (L329) owes a visit of that round to its 居村 (走访居村
  全覆盖); done when ``county zouqian visit --round N`` recorded one;
* ``contact`` 日常联系 — 注重集中走访与日常联系相结合…保持密切联系 (L337, no cadence in the
  casebook): on the last day of each month (setting ``contact_cadence`` = month, or of each
  quarter), every such pairing owes at least one visit or contact in that month (quarter).
"""

from __future__ import annotations

import datetime as dt

from framework import Duty, period_dates

from .rules import NAME


def _last_day(on_date: dt.date, cadence: str) -> str | None:
    """The period ending on ``on_date`` (``2026-11`` / ``2026Q4``), else None."""
    if (on_date + dt.timedelta(days=1)).day != 1:
        return None
    if cadence == "quarter":
        return f"{on_date.year}Q{(on_date.month - 1) // 3 + 1}" if on_date.month % 3 == 0 else None
    return on_date.strftime("%Y-%m")


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """Duties due on ``on_date`` in ``unit``'s subtree (None: the deployment), with ``done``."""
    codes = set(ctx.subtree(unit.code)) if unit else set(ctx.units)
    pairs = [p for p in ctx.db.query("select * from zouqian_pairings where kind = 'cadre_juncun' and ended is null "
                                     "order by id") if p["unit"] in codes]
    tz = ctx.calendar.tz
    day_end = dt.datetime.combine(on_date + dt.timedelta(days=1), dt.time(), tzinfo=tz).timestamp()
    pairs = [p for p in pairs if p["since_ts"] < day_end]
    out = []
    for r in ctx.db.query("select * from zouqian_rounds where end_on = ? order by no", [on_date.isoformat()]):
        for p in pairs:
            done = ctx.db.count("zouqian_visits", "cadre = ? and unit = ? and kind = 'visit' and round = ?",
                                [p["a"], p["unit"], r["no"]]) > 0
            out.append(Duty(NAME, p["unit"], "round_visit",
                            f"{r['title']}：{ctx.people[p['a']].name}走访{ctx.units[p['unit']].name}", on_date,
                            done=done, subject=p["a"]))
    period = _last_day(on_date, ctx.settings["contact_cadence"])
    if period:
        first, after = period_dates(period)
        s = dt.datetime.combine(first, dt.time(), tzinfo=tz).timestamp()
        e = dt.datetime.combine(after, dt.time(), tzinfo=tz).timestamp()
        for p in pairs:
            done = ctx.db.count("zouqian_visits", "cadre = ? and unit = ? and at_ts >= ? and at_ts < ?",
                                [p["a"], p["unit"], s, e]) > 0
            out.append(Duty(NAME, p["unit"], "contact",
                            f"日常联系（{period}）：{ctx.people[p['a']].name}—{ctx.units[p['unit']].name}", on_date,
                            done=done, subject=p["a"]))
    return out
