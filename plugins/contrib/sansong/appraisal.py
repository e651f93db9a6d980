"""sansong's own figures (``county_appraisal``), beside the kernel's common ones (cases,
resolution and on-time rates, per-tier shares). Per unit asked for (per root for the whole
deployment), over ``period`` as far as it has come (its last day, or today — ``ctx.now``, the
deployment's local date — when that is earlier):

* ``cadre_solved_share`` 联系干部直接解决率 — cases resolved in the period at tier ``cadre`` /
  all resolved (直接联系的干部能解决的问题必须及时解决, L140);
* ``feedback_rate`` 96333限时反馈率 — hotline cases taken in during the period whose
  ``feedback`` milestone was met / those with one (限时反馈, L140);
* ``household_coverage`` 联系户覆盖率 — households with a contact cadre on the period's last
  day (today, while the period runs) / households (群众一户不漏, L142);
* ``cadre_quota_rate`` 干部联系户数达标率 — point cadres with 10+ households and area cadres
  with 2–3 groups and 30–50 households / such cadres (L137);
* ``team_size_rate`` 驻村工作队人数达标率 — teams of 2–3 cadres / teams (L137);
* ``presence_rate`` 驻村天数达标率 — stationed cadre-months with 20+ days recorded / cadre-months
  stationed on each month's last day within the period, once that day is over: a running year
  counts only the months that have ended (L142);
* ``diary_signed_rate`` 民情日记签字认可率 — entries signed by the villager / entries (L140);
* ``consultation_rate`` 民意恳谈会按季召开率 — (village, quarter) pairs with a valid meeting /
  villages with a work team on the last day of each quarter ending in the period before today (L140);
* ``mass_work_satisfaction`` 群众工作满意度 — (satisfied + basically) / votes of the annual
  ratings whose year ends in the period, per unit and per cadre (subject_kind ``person``)
  (每年度群众工作满意度测评, L140).
"""

from __future__ import annotations

import datetime as dt

from framework import rate

from . import network, service
from .rules import NAME, PRESENCE_DAYS_MIN


def _month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last days of the months whose last day lies in [start, end)."""
    out, y, m = [], start.year, start.month
    while True:
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        last = nxt - dt.timedelta(days=1)
        if last >= end:
            return out
        if last >= start:
            out.append(last)
        y, m = nxt.year, nxt.month


def appraisal(ctx, unit, period):
    """The figures of ``unit`` (or each root when None) for ``period``. Returns ``[Metric]``."""
    out = []
    start_dt, end_dt = ctx.calendar.period_bounds(period)
    start, end = ctx.calendar.local(start_dt).date(), ctx.calendar.local(end_dt).date()
    # the period as far as it has come: the network on today's date; a month (a quarter) owed
    # once its last day is over (conventions §2: a day's limit is its 23:59:59)
    today = ctx.calendar.local(ctx.now).date()
    last_day = min(end - dt.timedelta(days=1), today)
    due_end = max(min(end, today), start)
    for u in [unit] if unit else ctx.roots():
        code = u.code
        resolved = ctx.cases.find(method=NAME, origin=code, resolved=period)
        out.append(rate("cadre_solved_share", code, sum(c.resolved_level == "cadre" for c in resolved), len(resolved),
                        label="联系干部直接解决率"))
        hot = ctx.cases.find(method=NAME, origin=code, created=period, channel="hotline_96333")
        fb = ctx.milestones.of([c.id for c in hot], name="feedback") if hot else []
        out.append(rate("feedback_rate", code, sum(m.state == "met" for m in fb), len(fb), label="96333限时反馈率"))
        hhs = [h for h in network.households(ctx, code) if h["created_at"][:10] <= last_day.isoformat()]
        covered = {r["household"] for r in network.links(ctx, on=last_day)}
        out.append(rate("household_coverage", code, sum(h["id"] in covered for h in hhs), len(hhs),
                        label="联系户覆盖率"))
        loads = [(mode, load) for (person, mode), load in network.cadre_loads(ctx, last_day).items()
                 if mode in ("point", "area") and any(network.in_scope(ctx, x, code) for x in load["units"])]
        out.append(rate("cadre_quota_rate", code, sum(network.quota_ok(m, ld) for m, ld in loads), len(loads),
                        label="干部联系户数达标率"))
        teams = [p for (agency, v), p in network.teams(ctx, last_day).items() if network.in_scope(ctx, v, code)]
        out.append(rate("team_size_rate", code, sum(2 <= len(p) <= 3 for p in teams), len(teams),
                        label="驻村工作队人数达标率"))
        presence = {(r["person"], r["month"]): r["days"] for r in ctx.db.query("select * from sansong_presence")}
        months = [(r["person"], day.strftime("%Y-%m")) for day in _month_ends(start, due_end)
                  for r in network.stations(ctx, on=day) if network.in_scope(ctx, r["unit"], code)]
        out.append(rate("presence_rate", code, sum(presence.get(k, 0) >= PRESENCE_DAYS_MIN for k in months),
                        len(months), label="驻村天数达标率（每月20天以上）"))
        entries = service.diary(ctx, code, period)
        out.append(rate("diary_signed_rate", code, sum(bool(e["signed_by"]) for e in entries), len(entries),
                        label="民情日记签字认可率"))
        held = {(m["unit"], service.quarter_of(ctx.calendar.local(dt.datetime.fromisoformat(m["at"])).date()))
                for m in service.consultations(ctx, code) if m["valid"]}
        due = [(r["unit"], service.quarter_of(day)) for day in _month_ends(start, due_end) if day.month % 3 == 0
               for r in {s["unit"]: s for s in network.stations(ctx, on=day)}.values()
               if network.in_scope(ctx, r["unit"], code)]
        out.append(rate("consultation_rate", code, sum(k in held for k in due), len(due),
                        label="民意恳谈会按季召开率"))
        years = [y for y in range(start.year, end.year + 1) if start <= dt.date(y, 12, 31) < end]
        votes = [r for y in years for r in service.ratings(ctx, y)
                 if network.in_scope(ctx, r["unit"], code) and ctx.takes_part(r["unit"])]
        good = sum(r["satisfied"] + r["basically"] for r in votes)
        total = sum(r["satisfied"] + r["basically"] + r["unsatisfied"] for r in votes)
        out.append(rate("mass_work_satisfaction", code, good, total, label="群众工作满意度"))
        for r in votes:
            n = r["satisfied"] + r["basically"] + r["unsatisfied"]
            out.append(rate("mass_work_satisfaction", r["person"], r["satisfied"] + r["basically"], n,
                            label=f"群众工作满意度（{r['year']}年，记入个人档案）", subject_kind="person"))
    return out
