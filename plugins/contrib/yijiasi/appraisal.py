"""yijiasi's appraisal figures (``county_appraisal``), per unit asked for (each root for the whole
deployment), over the teams with a co-built community in its subtree:

* the cadence rates, from the obligations of ``duties.py`` due in the period before today (a running
  period owes only what has fallen due: an obligation due on day D is owed once D is over, even
  when already done — the same rule as wuxin and zaizhi) — ``agreement_rate``
  (共建协议按时签订率, L453), ``weekly_contact_rate`` (每周联系社区达标率, L455),
  ``fortnight_workday_rate`` (每两周参与社区工作达标率, L455), ``quarterly_event_rate`` (每季度集中
  服务活动达标率, L455), ``lead_event_rate`` (团长所在社区率先开展率, L457),
  ``annual_assessment_rate`` (年度考核完成率, L457);
* counts in the period: ``service_events`` (集中服务活动场次, L451/L455), ``checks`` (市委组织部
  督查次数, L457), ``posts_claimed`` (党员认领岗位人次, L455), ``commendations`` (表彰人次, of the
  years ending in the period, L457).
"""

from __future__ import annotations

import datetime as dt

from framework import Metric, period_dates, rate

from . import duties, service

RATES = {"agreement": ("agreement_rate", "共建协议按时签订率"),
         "contact": ("weekly_contact_rate", "每周联系社区达标率"),
         "workday": ("fortnight_workday_rate", "每两周参与社区工作达标率"),
         "event": ("quarterly_event_rate", "每季度集中服务活动达标率"),
         "lead_event": ("lead_event_rate", "团长所在社区率先开展率"),
         "assessment": ("annual_assessment_rate", "年度考核完成率")}


def _count(ctx, table: str, col: str, communities: list[str], first: dt.date, last: dt.date) -> int:
    if not communities:
        return 0
    marks = ", ".join("?" for _ in communities)
    return ctx.db.query(f"select count(*) as n from {table} where community in ({marks}) and {col} between ? and ?",
                        [*communities, first.isoformat(), last.isoformat()])[0]["n"]


def metrics(ctx, unit, period: str) -> list[Metric]:
    """The figures above for ``unit`` (``Unit`` or None) and ``period``."""
    start, end = period_dates(period)
    first, last = start, end - dt.timedelta(days=1)
    # an obligation due on day D is owed once D is over (conventions §2: 23:59:59), done or not
    owed_by = min(last, ctx.calendar.local(ctx.now).date() - dt.timedelta(days=1))
    out = []
    for u in [unit] if unit else ctx.roots():
        obligations = duties.obligations(ctx, u.code, first, owed_by) if owed_by >= first else []
        for kind, (metric, label) in RATES.items():
            mine = [o for o in obligations if o["kind"] == kind]
            out.append(rate(metric, u.code, sum(o["done"] for o in mine), len(mine), label=label))
        inside = set(ctx.subtree(u.code))
        communities = sorted({c for t in service.teams(ctx, u.code) for c in t["communities"] if c in inside})
        all_communities = sorted(c for c in inside if ctx.units[c].level == "community")
        out.append(Metric("service_events", u.code, value=_count(ctx, "yijiasi_activities", "on_date", communities,
                                                                 first, last), label="集中服务活动场次"))
        out.append(Metric("checks", u.code, value=_count(ctx, "yijiasi_checks", "on_date", communities, first, last),
                          label="市委组织部督查次数"))
        out.append(Metric("posts_claimed", u.code, value=_count(ctx, "yijiasi_posts", "claimed_on", all_communities,
                                                                first, last), label="党员认领岗位人次"))
        people = {m["person"] for t in service.teams(ctx, u.code) for m in service.members(ctx, t["code"])}
        years = [y for y in range(first.year, last.year + 1) if first <= dt.date(y, 12, 31) <= last]
        commended = [r for y in years for r in ctx.db.query(
            "select person from yijiasi_appraisals where year = ? and purpose = 'commendation'", [y])
            if r["person"] in people]
        out.append(Metric("commendations", u.code, value=len(commended), label="表彰人次"))
    return out
