"""Duties: the township party committee's monthly card check (L229 每月检查"跟踪卡") and the
year-end democratic appraisal of agents (L231 年底 民主评议)."""

from __future__ import annotations

import datetime as dt

from framework import Duty, MethodContext, Unit
from plugins.daiban.appraisal import agents_of, review_stats
from plugins.daiban.rules import METHOD
from plugins.daiban.service import checks_done


def _townships(ctx: MethodContext, unit: Unit | None) -> list[Unit]:
    """The townships of ``unit``'s subtree (all when None), else the township above ``unit``."""
    if unit is None:
        return [u for u in ctx.units.values() if u.level == "township"]
    towns = [ctx.units[c] for c in ctx.subtree(unit.code) if ctx.units[c].level == "township"]
    if not towns:
        t = ctx.ancestor(unit.code, "township")
        towns = [t] if t else []
    return towns


def duties(ctx: MethodContext, unit: Unit | None, on_date: dt.date) -> list[Duty]:
    """On the 1st of each month, per township, ``card_check`` of the previous month (subject
    ``YYYY-MM``; done once a check covering the township — its own, an ancestor's or the whole
    deployment's — was recorded); on 31 December ``democratic_review`` of the year (done once a
    sheet was entered for one of its agents). ``on_date`` is a local date."""
    towns = sorted(_townships(ctx, unit), key=lambda u: u.code)
    out: list[Duty] = []
    if on_date.day == 1:
        prev = on_date - dt.timedelta(days=1)
        month = f"{prev.year:04d}-{prev.month:02d}"
        checked = checks_done(ctx, month)
        for t in towns:
            path = set(ctx.ancestors(t.code))
            done = any(c["unit"] in ("", None) or c["unit"] in path for c in checked)
            out.append(Duty(METHOD, t.code, "card_check", f"乡镇党委检查{month}为民代办服务跟踪卡，逾期登记在案",
                            on_date, done, month))
    if on_date.month == 12 and on_date.day == 31:
        for t in towns:
            ids = [p.id for p in agents_of(ctx, t.code)]
            done = bool(ids) and bool(review_stats(ctx, on_date.year, ids))
            out.append(Duty(METHOD, t.code, "democratic_review", f"{on_date.year}年代办员民主评议（党员、村民代表）",
                            on_date, done, str(on_date.year)))
    return out
