"""Recurring duties (``county_duties``), per village-level unit where the method takes part,
from the day the village first used it (its first case, disclosure or rating):

* ``disclose`` — each catalogue item due that day (L187): a monthly / quarterly item the
  ``periodic_grace_days``-th day after its month / quarter, a decided matter's item
  ``anytime_days`` after the decision; done once disclosed through ``min_forms`` forms by then;
* ``matter_rating`` — 一事一测评 (L195) ``matter_rating_days`` after a matter was resolved;
  done once rated by then;
* ``half_year_rating`` — 半年初评 (L195) ``rating_grace_days`` after 30 June; ``annual_rating``
  — 年度考评 the same after 31 December; done once a round of that period was recorded at the
  village (for the village or one of its cadres) by then.
"""

from __future__ import annotations

import datetime as dt

from framework import Duty
from plugins.contrib.liuyao import disclosure, service
from plugins.contrib.liuyao.rules import CADENCES, CATALOGUE, METHOD, conf


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """The duties due on ``on_date`` in ``unit``'s subtree (None: everywhere)."""
    s = conf(ctx)
    codes = ctx.subtree(unit.code) if unit else list(ctx.units)
    villages = [c for c in codes if ctx.units[c].level in s["matter_levels"] and ctx.takes_part(c)]
    out = []
    end_of_day = ctx.calendar.end_of_day(on_date).timestamp()
    for v in villages:
        start = disclosure.start_of(ctx, v)
        if start is None or on_date < start:
            continue
        for d in disclosure.required(ctx, v, on_date, on_date):
            out.append(Duty(METHOD, v, "disclose", f"公开{CATALOGUE[d['item']]}（{CADENCES[d['cadence']]}，"
                            f"{s['min_forms']}种以上形式）", on_date, done=d["done"], subject=d["key"]))
        resolved_on = on_date - dt.timedelta(days=s["matter_rating_days"])
        lo, hi = (dt.datetime.combine(resolved_on + dt.timedelta(days=k), dt.time(), tzinfo=ctx.calendar.tz)
                  for k in (0, 1))
        for c in ctx.cases.find(method=METHOD, origin_unit=v, resolved=(lo, hi), extra={"kind": "matter"}):
            done = any(r["rated_ts"] <= end_of_day for r in service.ratings(ctx, v, kind="matter")
                       if r["subject"] == c.id)
            out.append(Duty(METHOD, v, "matter_rating", f"一事一测评：{c.title}", on_date, done=done, subject=c.id))
        grace = dt.timedelta(days=s["rating_grace_days"])
        for kind, period, closes in (("half_year", f"{on_date.year}H1", dt.date(on_date.year, 6, 30)),
                                     ("annual", str(on_date.year - 1), dt.date(on_date.year - 1, 12, 31)),
                                     ("annual", str(on_date.year), dt.date(on_date.year, 12, 31))):
            if closes + grace != on_date or closes < start:
                continue
            done = any(r["period"] == period and r["rated_ts"] <= end_of_day
                       for r in service.ratings(ctx, v, kind=kind))
            title = ("半年初评" if kind == "half_year" else "年度考评") + f" {period}（村干部和村务实施结果）"
            out.append(Duty(METHOD, v, f"{kind}_rating", title, on_date, done=done, subject=period))
    return out
