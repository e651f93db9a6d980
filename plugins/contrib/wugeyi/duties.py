"""wugeyi's recurring duties (``county_duties``): computed, never stored.

* ``monthly_talk`` (月月谈, L126: 乡镇、村干部每月…主动上门): on the last day of each month each
  village owes ``talks_per_month`` (1) talks recorded that month;
* ``profile_review`` (民情档案及时更新、定期维护, L124; the source gives no period): on the last
  day of each ``profile_review`` period (a quarter by default) each village whose book was begun
  before the period ended owes an update of its village or household pages in that period.
"""

from __future__ import annotations

import datetime as dt

from framework import Duty

from .rules import NAME

_PERIOD_END_MONTHS = {"month": range(1, 13), "quarter": (3, 6, 9, 12), "half": (6, 12), "year": (12,)}


def _review_period(on_date: dt.date, cadence: str) -> str | None:
    """The period string (``2024-10``, ``2024Q4``, ``2024H2``, ``2024``) ending on ``on_date``
    for ``cadence``, or None when ``on_date`` ends none."""
    if (on_date + dt.timedelta(days=1)).day != 1 or on_date.month not in _PERIOD_END_MONTHS[cadence]:
        return None
    y, m = on_date.year, on_date.month
    return {"month": f"{y}-{m:02d}", "quarter": f"{y}Q{(m - 1) // 3 + 1}", "half": f"{y}H{1 if m <= 6 else 2}",
            "year": f"{y}"}[cadence]


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """The duties due on ``on_date`` (a local date) in ``unit``'s subtree (every unit when
    None), for the villages where the method takes part. Returns a list of ``Duty``."""
    codes = sorted(ctx.subtree(unit.code) if unit else ctx.units)
    villages = [c for c in codes if ctx.units[c].level == "village" and ctx.takes_part(c)]
    out = []
    if (on_date + dt.timedelta(days=1)).day == 1:
        month = on_date.strftime("%Y-%m")
        need = ctx.settings["talks_per_month"]
        for v in villages:
            where, params = ctx.scope(v, month, unit_cols=("unit",), ts_cols=("ts",))
            n = ctx.db.query("select count(*) as n from wugeyi_talks where " + " and ".join(where), params)[0]["n"]
            out.append(Duty(NAME, v, "monthly_talk", f"月月谈：干部每月上门倾听群众（至少{need}次）", on_date,
                            done=n >= need, subject=month))
    period = _review_period(on_date, ctx.settings["profile_review"])
    if period:
        end = ctx.calendar.period_bounds(period)[1].timestamp()
        for v in villages:
            first = ctx.db.query("select min(ts) as ts from wugeyi_profile_log where unit = ?", [v])[0]["ts"]
            if first is None or first >= end:
                continue  # no book yet by the period's end
            where, params = ctx.scope(v, period, unit_cols=("unit",), ts_cols=("ts",))
            n = ctx.db.query("select count(*) as n from wugeyi_profile_log where " + " and ".join(where),
                             params)[0]["n"]
            out.append(Duty(NAME, v, "profile_review", "民情档案定期维护（一村一册、一户一页）", on_date,
                            done=n > 0, subject=period))
    return out
