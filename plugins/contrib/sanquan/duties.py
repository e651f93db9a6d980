"""Recurring duties of 三全十服务 (``county_duties``), computed, never stored:

* ``star_visit`` — each star household's visit cadence (五星级: 每天安排党员干部上门服务, L363;
  the other tiers from settings ``visit_every_days_starN``, 0 = none). The cadence counts from
  the date of the rating in force (``sanquan_star_changes``): windows of N days, the duty due on
  each window's last day and done when a visit falls inside the window (five stars: every day,
  done by that day's visit); a re-rating starts new windows on its date;
* ``on_call_duty`` — every day, each community or village with sanquan records has a person on
  the 24-hour duty roster (24小时值班制, L359), done when the roster names one who is not on
  leave at that day's opening. Nothing before the community's records begin.
"""

from __future__ import annotations

import datetime as dt

from framework import Duty
from plugins.contrib.sanquan import service
from plugins.contrib.sanquan.rules import COMMUNITY_LEVELS, METHOD, day_hours, visit_every


def windows(ctx, history: list[tuple[dt.date, int]], first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The visit windows ``(start, end)`` of a household whose end day falls in [first, last]:
    each rating of its ``history`` (``[(since, star)]``) runs N-day windows from its date (N =
    the star's cadence; none when N is 0) until the next rating begins (a window the next
    rating cuts is not due)."""
    out = []
    for i, (since, star) in enumerate(history):
        stop = history[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(history) else last
        out += _windows(visit_every(ctx, star), since, first, min(last, stop))
    return out


def _windows(n: int, since: dt.date, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    if n <= 0 or last < since or last < first:
        return []
    out = []
    # the first window end on or after max(first, since)
    begin = max(first, since)
    k = -(-((begin - since).days + 1) // n)  # windows completed by `begin`, rounded up
    end = since + dt.timedelta(days=k * n - 1)
    while end <= last:
        out.append((end - dt.timedelta(days=n - 1), end))
        end += dt.timedelta(days=n)
    return out


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """The duties due on ``on_date`` in ``unit``'s subtree (None: everywhere the method takes
    part): ``star_visit`` per household (subject: the household id) and ``on_call_duty`` per
    community (subject: the ISO date). ``done`` from ``sanquan_visits`` / ``sanquan_roster`` /
    ``sanquan_leave``."""
    codes = set(ctx.subtree(unit.code)) if unit else set(ctx.units)
    out: list[Duty] = []
    hhs = [h for h in service.households(ctx) if h["unit"] in codes or (h["grid"] or "") in codes]
    seen = service.visit_days(ctx, [h["id"] for h in hhs], on_date - dt.timedelta(days=400), on_date)
    history = service.ratings(ctx, [h["id"] for h in hhs])
    begins: dict[str, str] = {}
    for h in hhs:
        first = history[h["id"]][0][0].isoformat() if history.get(h["id"]) else h["star_since"]
        begins[h["unit"]] = min(begins.get(h["unit"], first), first)
        rating = service.star_on(history.get(h["id"], []), on_date)
        for start, end in windows(ctx, history.get(h["id"], []), on_date, on_date):
            n = (end - start).days + 1
            done = any(start.isoformat() <= d <= end.isoformat() for d in seen[h["id"]])
            every = "每天" if n == 1 else f"每{n}天"
            out.append(Duty(METHOD, h["grid"] or h["unit"], "star_visit",
                            f"{service.star_label(rating[1])}服务户{every}上门服务", on_date, done, h["id"]))
    for r in service.roster(ctx):
        begins[r["unit"]] = min(begins.get(r["unit"], r["date"]), r["date"])
    opening = day_hours(ctx, on_date)[0]
    for code in sorted(begins):
        if code not in codes or ctx.units[code].level not in COMMUNITY_LEVELS or on_date.isoformat() < begins[code]:
            continue
        person = service.on_duty(ctx, code, on_date)
        done = person is not None and not service.on_leave(ctx, person, opening)
        out.append(Duty(METHOD, code, "on_call_duty", "24小时值班（民情热线）", on_date, done, on_date.isoformat()))
    return [d for d in out if ctx.takes_part(d.unit)]
