"""zaizhi's appraisal (``county_appraisal``): the three contests (三比三争, L385–397) as figures
beside the kernel's common ones, per unit asked for (per root for the whole deployment).

* 比方法 (member management, L387–389): ``members_registered`` (报到人数; the source reports
  1,031), ``member_grouped_rate`` (members classed into a group / members), ``post_claim_rate``
  (claimed posts / posts);
* 比沟通 (interaction, L391–393): ``forums`` (forums held), ``forum_answer_rate`` (requests
  raised at forums in the period and resolved / raised), ``commendations``;
* 比奉献 (service, L395–397): ``volunteer_person_times`` (人次 of volunteer and post service;
  the source reports 2,000+), ``visit_quota_rate`` (agency cadre-months with 4 visits / cadre-
  months ended), ``schedule_held_rate`` (study and group days held / due so far),
  ``post_service_rate`` (service days served / due so far), ``zone_visit_coverage`` (zones
  visited / zones), ``brand_coverage`` (areas with a 一居一特 brand / areas).

"Due so far" counts the days of the period before ``ctx.now``'s local date: a duty due on day D
(a study or group day, a service day, a month's last day for the visits) is owed once D is over
(conventions §2: a day's limit is 23:59:59), even when already done — the same rule as wuxin and
yijiasi; "cadre-months ended" the months whose last day is over.
"""

from __future__ import annotations

import datetime as dt

from framework import Metric, period_dates, rate

from . import duties as duty_rules
from . import service
from .rules import METHOD


def _days(ctx, period):
    """The local days of ``period`` that are over by ``ctx.now`` (before today)."""
    first, after = period_dates(period)
    today = ctx.calendar.local(ctx.now).date()
    day = first
    while day < after and day < today:
        yield day
        day += dt.timedelta(days=1)


def _ended_months(ctx, period):
    return sorted({(d.year, d.month) for d in _days(ctx, period) if (d + dt.timedelta(days=1)).day == 1})


def figures(ctx, code: str, period: str) -> list[Metric]:
    """The metrics of unit ``code``'s subtree for ``period`` (module docstring)."""
    _, after = period_dates(period)
    end_ts = dt.datetime.combine(after, dt.time(), tzinfo=ctx.calendar.tz).timestamp()
    members = [m for m in service.members(ctx, code) if m["registered_ts"] < end_ts]
    out = [Metric("members_registered", code, value=len(members), label="比方法：在职党员报到人数（L389）"),
           rate("member_grouped_rate", code, sum(bool(m["grp"]) for m in members), len(members),
                label="比方法：分类分组率（L389）")]
    posts = service.posts(ctx, code)
    out.append(rate("post_claim_rate", code, sum(bool(p["member"]) for p in posts), len(posts),
                    label="比方法：服务岗位认领率（L397）"))
    out.append(Metric("forums", code, value=len(service.activities(ctx, "forum", code, period)),
                      label="比沟通：居民区座谈会（L393）"))
    forum_cases = ctx.cases.find(method=METHOD, unit=code, created=period, channel="forum")
    out.append(rate("forum_answer_rate", code, sum(c.resolved_at is not None for c in forum_cases), len(forum_cases),
                    label="比沟通：座谈会诉求答复率（L393）"))
    where, params = ctx.scope(code, period, unit_cols=("unit",), ts_cols=("at_ts",))
    n = ctx.db.query("select count(*) as n from zaizhi_commendations where " + " and ".join(where), params)[0]["n"]
    out.append(Metric("commendations", code, value=n, label="比沟通：表彰优秀在职党员（L393）"))
    served = service.activities(ctx, ["volunteer", "post_service"], code, period)
    out.append(Metric("volunteer_person_times", code, value=sum(a["persons"] for a in served),
                      label="比奉献：志愿服务人次（L389）"))
    cadres = [m for m in service.agency_cadres(ctx) if m["branch"] in set(ctx.subtree(code))]
    months = _ended_months(ctx, period)
    quota = ctx.settings["visits_per_month"]
    met = sum(duty_rules.visits_in_month(ctx, m["id"], y, mo) >= quota for m in cadres for y, mo in months)
    out.append(rate("visit_quota_rate", code, met, len(cadres) * len(months),
                    label=f"比奉献：机关干部每月下居民区{quota}次达标率（L389）"))
    days = list(_days(ctx, period))
    branch_codes = [b for b in duty_rules.branches(ctx) if b in set(ctx.subtree(code))]
    due = held = 0
    for q in sorted({(d.year, (d.month - 1) // 3 + 1) for d in days}):
        for day, kind in duty_rules.schedule(ctx, *q):
            if day in days:
                for b in branch_codes:
                    due += 1
                    held += duty_rules.done_on(ctx, kind, b, day)
    out.append(rate("schedule_held_rate", code, held, due, label="比奉献：集中学习会、党小组活动日按时举行率（L389）"))
    due = done = 0
    for p in posts:
        if not p["member"]:
            continue
        claimed = ctx.calendar.local(dt.datetime.fromisoformat(p["claimed_at"])).date()
        for day in days:
            if day.day == p["service_day"] and day >= claimed:
                due += 1
                done += duty_rules.done_on(ctx, "post_service", p["unit"], day, post=p["id"])
    out.append(rate("post_service_rate", code, done, due, label="比奉献：服务点每月定时服务率（L397）"))
    zones = [c for c in ctx.subtree(code) if ctx.units[c].level == ctx.settings["zone_level"] and ctx.takes_part(c)]
    visited = {a["unit"] for a in service.activities(ctx, "zone_visit", code, period)}
    out.append(rate("zone_visit_coverage", code, len(visited & set(zones)), len(zones),
                    label="比奉献：责任区走访覆盖率（L397）"))
    areas = service.areas(ctx, code)
    branded = {r["unit"] for r in ctx.db.query("select unit from zaizhi_brands")}
    out.append(rate("brand_coverage", code, len(branded & set(areas)), len(areas), label="一居一特品牌覆盖率（L397）"))
    return out


def appraisal(ctx, unit, period) -> list[Metric]:
    """``figures`` for ``unit`` (a ``Unit``), or for each root when None."""
    out = []
    for u in [unit] if unit else ctx.roots():
        out.extend(figures(ctx, u.code, period))
    return out
