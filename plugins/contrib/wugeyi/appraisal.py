"""wugeyi's figures (``county_appraisal``), each from a casebook rule (L118, L124, L126, L128).
The kernel adds its common ones (cases, resolution, on-time and satisfaction rates, per tier).
"""

from __future__ import annotations

import datetime as dt

from framework import DONE_STATUSES, Metric, rate

from . import profiles, service
from .rules import LIAISONS_MAX, LIAISONS_MIN, NAME, SEGMENTS


def _villages(ctx, code: str) -> list[str]:
    return [c for c in ctx.subtree(code) if ctx.units[c].level == "village" and ctx.takes_part(c)]


def _due_months(ctx, period: str) -> list[str]:
    """The months (``2026-10``) whose last day lies in ``period`` and is over by ``ctx.now``
    (before its local date): the months whose 月月谈 is owed — a running period counts the months
    that have ended (conventions §2: a day's limit is its 23:59:59), a day period at most the
    month its day ends."""
    start_dt, end_dt = ctx.calendar.period_bounds(period)
    start, end = ctx.calendar.local(start_dt).date(), ctx.calendar.local(end_dt).date()
    today = ctx.calendar.local(ctx.now).date()
    out, y, m = [], start.year, start.month
    while dt.date(y, m, 1) < end:
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        last = nxt - dt.timedelta(days=1)
        if start <= last < end and last < today:
            out.append(f"{y:04d}-{m:02d}")
        y, m = nxt.year, nxt.month
    return out


def unit_metrics(ctx, code: str, period: str) -> list[Metric]:
    """The figures of unit ``code``'s subtree for ``period``:

    * ``completion_rate`` 办结率: matters taken in during the period and resolved by now; and
      ``completion_target`` (the setting, 0.98) with ``completion_target_met`` 1 or 0 (L118:
      办结率保持在98％以上);
    * ``proxy_share`` 代办占比: of the matters resolved in the period, the proxy errands
      (``extra.proxy``: a township matter taken in at a village) resolved at the village station
      (L118: 其中代办服务15.2万余件次);
    * ``first_receiver_rate`` 首问办结率: of those (not settled on the spot), the ones whose
      handler at resolution was the first receiver (第一时间办结, L126);
    * ``feedback_rate`` 结果反馈率: of those, the ones fed back to the requester (结果反馈制, L126);
    * ``talk_coverage`` 月月谈覆盖率: village-months with a talk / village-months due — each
      village taking part, each month of the period that has ended by now (L126: 每月…主动上门倾听;
      a year on 30 November: January–October);
    * ``book_coverage`` 村情建档率 (一村一册) and ``liaison_rate`` 民情联络员配备达标率
      (1—2 per village) over the villages; ``card_coverage`` 连心卡发放率 over the household
      pages (L124, L128);
    * ``households_<segment>`` the household pages of each of the four segments (L124);
      ``criticised`` / ``commended`` the supervision notices in the period (L126)."""
    out = []
    taken = ctx.cases.find(method=NAME, origin=code, created=period)
    done = [c for c in taken if c.status in DONE_STATUSES]
    out.append(rate("completion_rate", code, len(done), len(taken), label="办结率"))
    target = ctx.settings["completion_target"]
    out.append(Metric("completion_target", code, value=float(target), label="办结率目标（98％以上, L118）"))
    if taken:
        out.append(Metric("completion_target_met", code, value=1.0 if len(done) / len(taken) >= target else 0.0,
                          label="办结率达标"))
    resolved = ctx.cases.find(method=NAME, origin=code, resolved=period)
    out.append(rate("proxy_share", code, sum(c.resolved_level == "village_station" and bool(c.extra.get("proxy"))
                                             for c in resolved),
                    len(resolved), label="代办占比"))
    worked = [c for c in resolved if not c.extra.get("on_the_spot")]
    out.append(rate("first_receiver_rate", code, sum(c.handler == c.extra.get("receiver") for c in worked),
                    len(worked), label="首问办结率"))
    fed = ctx.events.latest([c.id for c in worked], "fed_back") if worked else {}
    out.append(rate("feedback_rate", code, len(fed), len(worked), label="结果反馈率"))
    villages = _villages(ctx, code)
    months = _due_months(ctx, period)
    talked = {(t["unit"], ctx.calendar.local(dt.datetime.fromtimestamp(t["ts"], dt.timezone.utc)).strftime("%Y-%m"))
              for t in service.talks(ctx, code, period)}
    due = [(v, mo) for v in villages for mo in months]
    out.append(rate("talk_coverage", code, sum(k in talked for k in due), len(due), label="月月谈覆盖率"))
    booked = {r["unit"] for r in ctx.db.query("select unit from wugeyi_villages")}
    out.append(rate("book_coverage", code, len(booked & set(villages)), len(villages), label="村情建档率"))
    ok = sum(LIAISONS_MIN <= len(ctx.people.find(unit=v, role="opinion_liaison")) <= LIAISONS_MAX
             for v in villages)
    out.append(rate("liaison_rate", code, ok, len(villages), label="民情联络员配备达标率"))
    pages = [p for p in profiles.households(ctx, code) if ctx.takes_part(p["unit"])]
    carded = {r["household"] for r in ctx.db.query("select household from wugeyi_cards")}
    out.append(rate("card_coverage", code, sum(p["id"] in carded for p in pages), len(pages), label="连心卡发放率"))
    for seg, label in SEGMENTS.items():
        out.append(Metric(f"households_{seg}", code, value=float(sum(p["segment"] == seg for p in pages)),
                          label=f"{label}户数"))
    notes = service.conduct(ctx, code, period)
    out.append(Metric("criticised", code, value=float(sum(r["kind"] == "criticise" for r in notes)),
                      label="通报批评"))
    out.append(Metric("commended", code, value=float(sum(r["kind"] == "commend" for r in notes)), label="表彰奖励"))
    return out


def appraisal(ctx, unit, period) -> list[Metric]:
    """The figures of :func:`unit_metrics` for ``unit`` (a ``Unit``), or for each root when None.
    Returns a list of ``Metric``."""
    out = []
    for u in [unit] if unit else ctx.roots():
        out += unit_metrics(ctx, u.code, period)
    return out
