"""jieti's recurring duties (``county_duties``), computed from its own tables (L302, L306).

* ``meeting_group`` / ``meeting_village`` / ``meeting_township`` / ``meeting_county`` — each
  selection body's joint meeting (民情联席会议, L302): weekly at every villager group,
  half-monthly at every village, monthly at every township, quarterly at the county
  (occurrences in :mod:`.cadence`); done once a meeting of that body at that unit is recorded
  in the occurrence's window.
* ``inspection`` — the inspection centre's monthly 督查·汇总·通报 (L306), at the county, on the
  month's last day; done once ``county jieti inspect`` recorded the month.
* ``liaison_monthly`` / ``liaison_quarterly`` — each township's liaison report (L302) on the
  month's / quarter's last day; done once recorded for that period.
* ``quota_days`` / ``quota_deeds`` — on 31 December, each person's annual quotas (L306), done
  once the year's log meets them (:func:`.service.quota_status`).

Nothing falls due before jieti is in use: the first day a zone was registered or a meeting held.
"""

from __future__ import annotations

import datetime as dt

from framework import CountyError, Duty

from . import cadence
from .rules import BODIES, CADENCE_ZH, LIAISON_REPORTS, NAME
from .service import body_levels, quota_status


def since(ctx) -> dt.date | None:
    """The first local day jieti was in use (a zone registered or a meeting held), or None."""
    days = []
    for sql in ("select min(created_ts) as t from jieti_zones", "select min(held_ts) as t from jieti_meetings"):
        t = ctx.db.query(sql)[0]["t"]
        if t is not None:
            days.append(dt.datetime.fromtimestamp(t, ctx.calendar.tz).date())
    return min(days) if days else None


def held(ctx, body: str, unit: str, first: dt.date, last: dt.date) -> bool:
    """A meeting of ``body`` at ``unit`` was held on a day of ``[first, last]``."""
    return ctx.db.count("jieti_meetings", "body = ? and unit = ? and held_on between ? and ?",
                        [body, unit, first.isoformat(), last.isoformat()]) > 0


def units_at(ctx, unit, levels) -> list[str]:
    """Codes of ``unit``'s subtree (all when None) at ``levels`` where jieti takes part."""
    codes = ctx.subtree(unit.code) if unit else list(ctx.units)
    return sorted(c for c in codes if ctx.units[c].level in levels and ctx.takes_part(c))


def weekday(ctx) -> int:
    """Setting ``group_meeting_weekday`` (1 = Monday … 7 = Sunday); CountyError naming it otherwise."""
    w = ctx.settings["group_meeting_weekday"]
    if not isinstance(w, int) or isinstance(w, bool) or not 1 <= w <= 7:
        raise CountyError(f"[plugins.jieti] group_meeting_weekday: {w!r}; 1 (Monday) … 7 (Sunday)")
    return w


def meeting_duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """The selection bodies' meetings falling due on ``on_date`` (L302)."""
    out = []
    for body, (title, cad, rule) in BODIES.items():
        occ = cadence.occurrence(cad, on_date, weekday(ctx))
        if not occ:
            continue
        due, first = occ
        for code in units_at(ctx, unit, body_levels(ctx, body)):
            out.append(Duty(NAME, code, f"meeting_{body}", f"{title}联席会议（{CADENCE_ZH[cad]}：{rule}）", due,
                            done=held(ctx, body, code, first, due), subject=cadence.period_label(cad, due)))
    return out


def county_duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """Every jieti duty due on ``on_date`` under ``unit`` (None: the deployment); [] before jieti
    is in use."""
    start = since(ctx)
    if start is None or on_date < start:
        return []
    out = meeting_duties(ctx, unit, on_date)
    month = on_date.strftime("%Y-%m")
    if cadence.occurrence("month", on_date):
        for code in units_at(ctx, unit, ("county",)):
            done = ctx.db.count("jieti_inspections", "month = ? and unit = ?", [month, code]) > 0
            out.append(Duty(NAME, code, "inspection", "县委工作督查中心一月一督查、一汇总、一通报", on_date, done=done,
                            subject=month))
    for kind, (title, cad) in LIAISON_REPORTS.items():
        occ = cadence.occurrence(cad, on_date)
        if not occ:
            continue
        period = cadence.period_label(cad, on_date)
        for code in units_at(ctx, unit, ("township",)):
            done = ctx.db.count("jieti_liaison_reports", "unit = ? and kind = ? and period = ?",
                                [code, kind, period]) > 0
            out.append(Duty(NAME, code, f"liaison_{kind}", f"联系工作副科级领导干部{title}", on_date, done=done,
                            subject=period))
    if (on_date.month, on_date.day) == (12, 31):
        out += quota_duties(ctx, unit, on_date)
    return out


def quota_duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """On 31 December, each person's annual quotas (L306): ``quota_days`` (days at the
    grassroots) and ``quota_deeds`` (practical things), done once met; subject the person."""
    out = []
    for r in quota_status(ctx, str(on_date.year), unit.code if unit else None):
        if r["days_required"] is not None:
            out.append(Duty(NAME, r["unit"], "quota_days", f"{r['name']}下基层不少于{r['days_required']}天", on_date,
                            done=bool(r["days_met"]), subject=r["person"]))
        if r["deeds_required"] is not None:
            out.append(Duty(NAME, r["unit"], "quota_deeds", f"{r['name']}为群众办实事至少{r['deeds_required']}件",
                            on_date, done=bool(r["deeds_met"]), subject=r["person"]))
    return out
