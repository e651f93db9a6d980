"""zerentian's recurring duties (``county_duties``): the June review (L312: 每年6月召开全区党组织
服务民生述职测评大会). On 30 June of every year:

* ``review`` — the root (the district) holds the meeting; done once ``county zerentian review
  hold`` recorded it in that June (by the end of that day);
* ``report`` — each responsibility field's party branch (责任田党支部, L314) reports and is
  rated (述职、测评); done once its rating was entered for that year. Subject: the field id.

Nothing before the deployment's first field or pledge (the method's records begin there).
"""

from __future__ import annotations

import datetime as dt

from framework import Duty

from . import service
from .rules import NAME, REVIEW_MONTH


def review_day(year: int) -> dt.date:
    """The last day of the review month (June 30)."""
    return dt.date(year, REVIEW_MONTH + 1, 1) - dt.timedelta(days=1)


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """The review duties due on ``on_date`` in ``unit``'s subtree (None: everywhere)."""
    if on_date != review_day(on_date.year):
        return []
    end = ctx.calendar.end_of_day(on_date).timestamp()
    all_fields = [f for f in service.fields(ctx) if f["created_ts"] <= end]
    if not all_fields and not ctx.db.count("zerentian_pledges", "pledged_ts <= ?", [end]):
        return []
    codes = set(ctx.subtree(unit.code)) if unit else set(ctx.units)
    year = on_date.year
    out = []
    held = ctx.db.count("zerentian_reviews", "year = ? and held_ts <= ?", [year, end]) > 0
    for root in ctx.roots():
        if root.code in codes:
            out.append(Duty(NAME, root.code, "review", f"{year}年6月全区党组织服务民生述职测评大会", on_date,
                            done=held, subject=str(year)))
    for f in all_fields:
        if f["unit"] not in codes:
            continue
        rated = ctx.db.count("zerentian_ratings", "year = ? and org = ? and rated_ts <= ?", [year, f["id"], end]) > 0
        out.append(Duty(NAME, f["unit"], "report", f"{f['branch']}述职测评（{year}年6月）", on_date,
                        done=rated, subject=f["id"]))
    return out
