"""shequhua's recurring duties (``county_duties``): the district organisation department's
regular check of each pilot village (定期督查, L276; 定期深入试点村进行指导检查, L273), the spot
check of each village drawn (随机抽查, L276) and the year-end check (年末检查, L276). Computed,
never stored: ``done`` is read from ``shequhua_inspections``.
"""

from __future__ import annotations

import datetime as dt

from framework import Duty, period_dates

from . import checks, service
from .rules import NAME

DUTY_TITLES = {
    "regular_check": "区委组织部定期督查（L273, L276）",
    "spot_check": "区委组织部随机抽查（L276）",
    "year_end_check": "区委组织部年末检查（L276）",
}


def period_of(day: dt.date, every: str) -> str:
    """The period of cadence ``every`` (month, quarter, half, year) holding ``day``: ``2024-10``,
    ``2024Q4``, ``2024H2`` or ``2024``."""
    if every == "month":
        return f"{day.year}-{day.month:02d}"
    if every == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    if every == "half":
        return f"{day.year}H{1 if day.month <= 6 else 2}"
    return str(day.year)


def last_day(period: str) -> dt.date:
    """The last local date of ``period``."""
    return period_dates(period)[1] - dt.timedelta(days=1)


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """The duties due on ``on_date`` in ``unit``'s subtree (``Unit``, None: everywhere), one per
    pilot village whose centre opened by that day:

    * ``regular_check`` on the last day of each ``inspection_every`` period (a quarter by
      default), done once a regular check of the village was recorded in that period;
    * ``spot_check`` on the last day of a quarter for each village drawn for it, done once its
      spot check was recorded in the quarter;
    * ``year_end_check`` on the last day of ``year_end_month`` (12-31 by default), done once a
      year-end check was recorded that month.

    ``subject`` is the period. Returns a list of ``Duty``."""
    code = unit.code if unit else None
    end_ts = ctx.calendar.end_of_day(on_date).timestamp()
    pilots = [r["village"] for r in service.centres(ctx, code)
              if r["opened_ts"] <= end_ts and ctx.takes_part(r["village"])]
    out = []
    period = period_of(on_date, ctx.settings["inspection_every"])
    if on_date == last_day(period):
        done = {r["village"] for r in checks.inspections(ctx, code, period, "regular")}
        out += [Duty(NAME, v, "regular_check", DUTY_TITLES["regular_check"], on_date, v in done, period) for v in pilots]
    quarter = period_of(on_date, "quarter")
    if on_date == last_day(quarter):
        done = {r["village"] for r in checks.inspections(ctx, code, quarter, "spot")}
        out += [Duty(NAME, r["village"], "spot_check", DUTY_TITLES["spot_check"], on_date, r["village"] in done, quarter)
                for r in checks.draws(ctx, quarter, code) if ctx.takes_part(r["village"])]
    month = f"{on_date.year}-{ctx.settings['year_end_month']:02d}"
    if on_date == last_day(month):
        done = {r["village"] for r in checks.inspections(ctx, code, month, "year_end")}
        out += [Duty(NAME, v, "year_end_check", DUTY_TITLES["year_end_check"], on_date, v in done, str(on_date.year))
                for v in pilots]
    return out
