"""yijiasi's recurring obligations, computed (never stored) from its own tables, each on an exact
local day (``county_duties``; the appraisal's rates count the same obligations over a period):

| kind | who | due on | done when | source |
|---|---|---|---|---|
| ``agreement`` | each co-built community of a team | ``agreement_by`` (01-31) each year | the year's 《共建协议书》 signed on or before that day | L453 每年初 |
| ``contact`` | each member | every Sunday (weeks Monday–Sunday) | ≥ 1 contact that week | L455 每周不少于一次 |
| ``workday`` | each member | the last day of each 14-day window counted from ``fortnight_start`` (before and after it) | ≥ 1 work day in it | L455 每两周不少于一天 |
| ``event`` | each team | 03-31, 06-30, 09-30, 12-31 | ≥ 1 concentrated event in the quarter | L455 每季度至少一次 |
| ``lead_event`` | each team | ``lead_event_by`` (03-31) each year | the team's first event of the year was at the leader's community, by that day | L457 率先开展 |
| ``assessment`` | each student and lawyer member | 12-31 | the year's assessment recorded | L457 年度考核 |

A member owes a week or fortnight only when a member for all of it; a team owes a quarter only
when formed by its first day, an agreement when formed by its due day, the lead event when
formed by 1 January.
"""

from __future__ import annotations

import datetime as dt

from framework import CountyError, Duty

from . import service
from .rules import (
    ANNUAL_ASSESSED,
    CONTACTS_PER_WEEK,
    EVENTS_PER_QUARTER,
    FORTNIGHT_DAYS,
    MEMBER_KINDS,
    NAME,
    WORKDAYS_PER_FORTNIGHT,
)

KINDS = ("agreement", "contact", "workday", "event", "lead_event", "assessment")


def month_day(ctx, key: str, year: int) -> dt.date:
    """The setting ``key`` (``MM-DD``) in ``year``; ``CountyError`` naming the setting when it is
    not a day of that year."""
    value = ctx.settings[key]
    try:
        month, mday = (int(x) for x in str(value).split("-"))
        return dt.date(year, month, mday)
    except ValueError:
        raise CountyError(f"[plugins.{NAME}] {key} = {value!r}: a day MM-DD of every year (e.g. 01-31)") from None


def fortnight_start(ctx) -> dt.date:
    """The setting ``fortnight_start`` as a date; ``CountyError`` naming it when it is not one."""
    value = ctx.settings["fortnight_start"]
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CountyError(f"[plugins.{NAME}] fortnight_start = {value!r}: a date YYYY-MM-DD") from None


def _days(first: dt.date, last: dt.date):
    d = first
    while d <= last:
        yield d
        d += dt.timedelta(days=1)


def _count(ctx, kind: str, person: str, first: dt.date, last: dt.date) -> int:
    what = "count(*)" if kind == "contact" else "count(distinct on_date)"
    return ctx.db.query(f"select {what} as n from yijiasi_participation where kind = ? and person = ? "
                        "and on_date between ? and ?", [kind, person, first.isoformat(), last.isoformat()])[0]["n"]


def obligations(ctx, unit: str | None, first: dt.date, last: dt.date) -> list[dict]:
    """Every obligation due from ``first`` to ``last`` (local days, both included) of the teams
    with a community in ``unit``'s subtree (all when None): dicts ``kind``, ``unit`` (a
    community), ``subject`` (person id, team code), ``title``, ``due_on``, ``done``, ``team``."""
    out = []
    years = range(first.year, last.year + 1)
    anchor = fortnight_start(ctx)
    for t in service.teams(ctx, unit):
        formed = dt.date.fromisoformat(t["formed_on"])
        home = t["home"]
        inside = set(ctx.subtree(unit)) if unit else None
        for y in years:
            by = month_day(ctx, "agreement_by", y)
            if first <= by <= last and formed <= by:
                signed = {a["community"]: a["signed_on"] for a in service.agreements(ctx, t["code"], y)}
                for c in t["communities"]:
                    if inside is None or c in inside:
                        out.append({"kind": "agreement", "unit": c, "subject": f"{t['code']}:{y}", "team": t["code"],
                                    "title": f"{t['name']}与{ctx.units[c].name}签订{y}年《共建协议书》",
                                    "due_on": by, "done": c in signed and signed[c] <= by.isoformat()})
            lead_by = month_day(ctx, "lead_event_by", y)
            if first <= lead_by <= last and formed <= dt.date(y, 1, 1):
                held = service.activities(ctx, t["code"], dt.date(y, 1, 1), dt.date(y, 12, 31))
                done = bool(held) and held[0]["community"] == home and held[0]["on_date"] <= lead_by.isoformat()
                out.append({"kind": "lead_event", "unit": home, "subject": t["code"], "team": t["code"],
                            "title": f"{t['name']}：团长所在社区{ctx.units[home].name}率先开展{y}年组团服务活动",
                            "due_on": lead_by, "done": done})
        members = service.members(ctx, t["code"])
        for d in _days(first, last):
            if d.weekday() == 6:
                week = d - dt.timedelta(days=6)
                for m in members:
                    if service.active_over(m, week, d):
                        name = ctx.people[m["person"]].name if m["person"] in ctx.people else m["person"]
                        out.append({"kind": "contact", "unit": home, "subject": m["person"], "team": t["code"],
                                    "title": f"{name}（{MEMBER_KINDS[m['kind']]}）每周联系社区（{week}起）",
                                    "due_on": d,
                                    "done": _count(ctx, "contact", m["person"], week, d) >= CONTACTS_PER_WEEK})
            if (d - anchor).days % FORTNIGHT_DAYS == FORTNIGHT_DAYS - 1:
                start = d - dt.timedelta(days=FORTNIGHT_DAYS - 1)
                for m in members:
                    if service.active_over(m, start, d):
                        name = ctx.people[m["person"]].name if m["person"] in ctx.people else m["person"]
                        out.append({"kind": "workday", "unit": home, "subject": m["person"], "team": t["code"],
                                    "title": f"{name}（{MEMBER_KINDS[m['kind']]}）两周参与社区工作一天（{start}起）",
                                    "due_on": d, "done": _count(ctx, "workday", m["person"], start, d)
                                    >= WORKDAYS_PER_FORTNIGHT})
            if (d + dt.timedelta(days=1)).day == 1 and d.month in (3, 6, 9, 12):
                q_first = dt.date(d.year, d.month - 2, 1)
                if formed <= q_first:
                    n = len(service.activities(ctx, t["code"], q_first, d))
                    out.append({"kind": "event", "unit": home, "subject": t["code"], "team": t["code"],
                                "title": f"{t['name']}{d.year}年第{(d.month + 2) // 3}季度集中服务活动",
                                "due_on": d, "done": n >= EVENTS_PER_QUARTER})
            if (d.month, d.day) == (12, 31):
                assessed = {r["person"] for r in ctx.db.query(
                    "select person from yijiasi_appraisals where year = ? and purpose = 'assessment'", [d.year])}
                for m in members:
                    if m["kind"] in ANNUAL_ASSESSED and service.active_over(m, d, d):
                        name = ctx.people[m["person"]].name if m["person"] in ctx.people else m["person"]
                        out.append({"kind": "assessment", "unit": home, "subject": m["person"], "team": t["code"],
                                    "title": f"{name}（{MEMBER_KINDS[m['kind']]}）{d.year}年度考核",
                                    "due_on": d, "done": m["person"] in assessed})
    return out


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """The obligations due on ``on_date`` in ``unit``'s subtree (``Unit`` or None) as ``Duty``
    records (see the module's table)."""
    return [Duty(NAME, o["unit"], o["kind"], o["title"], o["due_on"], done=o["done"], subject=o["subject"])
            for o in obligations(ctx, unit.code if unit else None, on_date, on_date)]
