"""The method's own figures (``county_appraisal``), beside the kernel's common metrics (cases,
resolution, on-time and satisfaction rates). The casebook makes the implementation of 三全十服务
and the residents' ratings a basis for assessing departments, subdistricts and communities
(L367); it gives no formula, so these figures measure its own mechanisms:

* ``star_visit_rate`` 星级户上门服务完成率 — visit windows ending in the period with a visit, over
  those owed (L363): a window ending on day D is owed once D is over (D before today, conventions
  §2: a day's limit is 23:59:59); one ending today counts only when already visited (done);
* ``respond_on_time_rate`` 响应及时率 — per matter: matters taken in during the period whose
  response limit (one per matter, set at its first arrival, L359) was met, over those whose limit
  is closed (met or missed); a matter's earliest ``respond`` milestone decides (records written
  before the one-limit rule may hold one per tier);
* ``out_of_hours_share`` 错时以外受理占比 — matters taken in outside the service hours (L359);
* ``on_call_cases`` 值班随叫随到事项 — a count: on-call matters (L359);
* ``backup_share`` B岗补位率 — matters given to a B post over those given to an A or B post (L371).

Subjects: each community or village of the subtree where the method takes part and that has
matters in the period or keeps sanquan records, and the unit asked (each root when none), rolled
up.
"""

from __future__ import annotations

import datetime as dt

from framework import Metric, period_dates, rate
from plugins.contrib.sanquan import service
from plugins.contrib.sanquan.duties import windows
from plugins.contrib.sanquan.rules import COMMUNITY_LEVELS, METHOD


def figures(ctx, code: str, period: str) -> list[Metric]:
    """The five figures for unit ``code``'s subtree and ``period``."""
    cases = ctx.cases.find(method=METHOD, origin=code, created=period)
    ids = [c.id for c in cases]
    limit: dict[str, object] = {}  # each matter's first response limit
    for m in ctx.milestones.of(ids, name="respond") if ids else []:
        if m.case_id not in limit or m.due_at < limit[m.case_id].due_at:
            limit[m.case_id] = m
    ms = [m for m in limit.values() if m.state in ("met", "missed")]
    met = sum(m.state == "met" for m in ms)
    posted = [c for c in cases if _post(c) in ("A", "B")]
    first, end = period_dates(period)
    today = ctx.calendar.local(ctx.now).date()
    last = min(end - dt.timedelta(days=1), today)
    codes = set(ctx.subtree(code))
    hhs = [h for h in service.households(ctx) if h["unit"] in codes]
    seen = service.visit_days(ctx, [h["id"] for h in hhs], first - dt.timedelta(days=400), last)
    history = service.ratings(ctx, [h["id"] for h in hhs])
    due = done = 0
    for h in hhs:
        for start, stop in windows(ctx, history.get(h["id"], []), first, last):
            visited = any(start.isoformat() <= d <= stop.isoformat() for d in seen[h["id"]])
            if stop < today or visited:  # due on D: owed once D is over; done on D counts that day
                due += 1
                done += visited
    return [
        rate("star_visit_rate", code, done, due, label="星级户上门服务完成率"),
        rate("respond_on_time_rate", code, met, len(ms), label="响应及时率"),
        rate("out_of_hours_share", code, sum(not c.extra.get("in_hours", True) for c in cases), len(cases),
             label="错时以外受理占比"),
        Metric("on_call_cases", code, value=sum(bool(c.extra.get("on_call")) for c in cases), label="值班随叫随到事项"),
        rate("backup_share", code, sum(_post(c) == "B" for c in posted), len(posted),
             label="B岗补位率"),
    ]



def _post(case) -> str | None:
    """The A/B post that first took the matter (``extra.post_assigned_as``; an escalation changes
    ``assigned_as`` but not this), else its current assignment kind."""
    return case.extra.get("post_assigned_as") or case.extra.get("assigned_as")

def appraisal(ctx, unit, period: str) -> list[Metric]:
    """Figures per community/village of ``unit``'s subtree (where the method takes part and that
    has matters in the period or keeps sanquan records) and for ``unit`` itself (each root when
    None)."""
    tops = [unit] if unit else ctx.roots()
    out: list[Metric] = []
    subjects: list[str] = []
    for top in tops:
        subjects.append(top.code)
        served = {getattr(service.community_of(ctx, c.origin_unit), "code", None)
                  for c in ctx.cases.find(method=METHOD, origin=top.code, created=period)}
        subjects += [c for c in ctx.subtree(top.code)
                     if c != top.code and ctx.units[c].level in COMMUNITY_LEVELS and ctx.takes_part(c)
                     and (c in served or service.has_records(ctx, c))]
    for code in dict.fromkeys(subjects):
        out += figures(ctx, code, period)
    return out
