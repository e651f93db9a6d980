"""Recurring duties (``county_duties``): each cadre's monthly visit day (每月至少1天走访, casebook
L110) and each two-committee team's yearly satisfaction rating (2012年经测评, L110)."""

from __future__ import annotations

import datetime as dt

from framework import Duty

from . import network
from .rules import INTAKE_LEVELS, NAME


def month_bounds(ctx, month):
    """``(start, end)`` aware local instants of month ``YYYY-MM`` (end exclusive)."""
    return ctx.calendar.period_bounds(month)


def owing(ctx, month, unit=None):
    """``{cadre: [household ids]}``: the cadres who owe ``month``'s visit day — those linked, at the
    month's end (or now, if earlier), to households flagged 困难户、上访户 or 重点人员 (every linked
    household with ``visit_scope = "all"``), L110 — within ``unit``'s subtree when given (the
    cadre's own unit or the household's)."""
    start, end = month_bounds(ctx, month)
    at = min(end - dt.timedelta(seconds=1), ctx.now)
    if at < start:
        return {}
    codes = set(ctx.subtree(unit)) if unit else None
    flagged = {}
    for h in ctx.db.query("select id, flags from sanzhuanbian_households"):
        flagged[h["id"]] = h["flags"] not in (None, "", "[]")
    out = {}
    for r in network.open_links(ctx, at=at):
        if ctx.settings["visit_scope"] == "flagged" and not flagged.get(r["household"]):
            continue
        if codes is not None and r["unit"] not in codes and r["cadre_unit"] not in codes:
            continue
        out.setdefault(r["cadre"], []).append(r["household"])
    return out


def visit_days(ctx, cadre, households, month):
    """The distinct local days of ``month`` on which ``cadre`` visited one of ``households``."""
    start, end = month_bounds(ctx, month)
    if not households:
        return 0
    rows = ctx.db.query(f"select count(distinct day) as n from sanzhuanbian_visits where cadre = ? and at_ts >= ? "
                        f"and at_ts < ? and household in ({ctx.db.placeholders(households)})",
                        [cadre, start.timestamp(), end.timestamp(), *households])
    return rows[0]["n"]


def team_rounds(ctx, village, start, end):
    """The team satisfaction rounds of ``village`` in ``[start, end)`` (aware), oldest first."""
    return ctx.db.query("select * from sanzhuanbian_team_ratings where unit = ? and at_ts >= ? and at_ts < ? "
                        "order by at_ts, id", [village, start.timestamp(), end.timestamp()])


def duties(ctx, unit, on_date):
    """On the last day of each month: ``monthly_visit_day`` per owing cadre (:func:`owing`), done
    once they visited on at least ``visit_days_per_month`` (1) days of that month (L110 每月至少1天);
    ``unit`` the cadre's unit, ``subject`` ``"CADRE YYYY-MM"``. On 31 December: ``team_rating`` per
    village or community of the network (a household there, or a round before), done once its two-committee
    team was rated that year (L110 2012年经测评). Returns a list of ``Duty``."""
    if (on_date + dt.timedelta(days=1)).day != 1:
        return []
    code = unit.code if unit else None
    month = on_date.strftime("%Y-%m")
    need = ctx.settings["visit_days_per_month"]
    out = []
    for cadre, households in sorted(owing(ctx, month, code).items()):
        days = visit_days(ctx, cadre, households, month)
        out.append(Duty(NAME, ctx.people[cadre].unit, "monthly_visit_day",
                        f"每月至少{need}天走访联系的困难户、上访户和重点人员（{ctx.people[cadre].name}）", on_date,
                        done=days >= need, subject=f"{cadre} {month}"))
    if on_date.month == 12:
        start, end = ctx.calendar.period_bounds(str(on_date.year))
        codes = set(ctx.subtree(code)) if code else set(ctx.units)
        used = {r["unit"] for r in ctx.db.query("select unit from sanzhuanbian_households")}
        used |= {r["unit"] for r in ctx.db.query("select unit from sanzhuanbian_team_ratings where at_ts < ?",
                                                  [end.timestamp()])}
        for v in sorted(codes & used):
            if ctx.units[v].level in INTAKE_LEVELS and ctx.takes_part(v):
                out.append(Duty(NAME, v, "team_rating", "“两委”班子群众满意度测评", on_date,
                                done=bool(team_rounds(ctx, v, start, end)), subject=str(on_date.year)))
    return out
