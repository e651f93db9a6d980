"""Appraisal (L172, L176): the talk figures that enter the township and village party-building
target assessment (列入乡、村党建目标管理考核体系), per village and rolled up per township,
and the award bans:

* ``leader_not_advanced`` (该村主要负责人不能评为先进): a village whose talks were not held
  every month (坚持不够), a matter's promise or reply missed (问题解决不及时), or a finding
  other than ``ok`` in the inspection book (效果不好) in the period → 1, else 0;
* ``award_barred`` (该村和乡镇包村干部不得评优评先): a ``perfunctory`` finding (走过场、敷衍了事)
  → 1 for the village and for its contact cadre (subject_kind ``person``);
* ``correction_required`` (乡镇要及时纠正): per township, the number of its villages barred.

Months count from the deployment's first talk and only once ended (by ``ctx.now``).
"""

from __future__ import annotations

import datetime as dt

from framework import Metric, rate
from plugins.contrib.yetanhui import rules, talks

RATES = {  # metric: label
    "talk_month_rate": "按月召开率（每月至少一次）",
    "notice_on_time_rate": "提前三天告知率",
    "ordinary_share_rate": "普通群众不低于40%的会次占比",
    "contact_attendance_rate": "包村干部参会率",
    "leader_attendance_rate": "联系村的乡镇班子成员参会率",
    "spot_share": "当场解决占比",
    "promise_kept_rate": "承诺时限内办结率",
    "reply_on_time_rate": "乡镇10天内答复率",
}


def months_due(ctx, period: str, first_ts: float | None) -> list[tuple[float, float]]:
    """The calendar months of ``period`` (as ``(start_ts, end_ts)``) that have ended by
    ``ctx.now`` and do not end before the month of the deployment's first talk (``first_ts``;
    None: no month)."""
    if first_ts is None:
        return []
    start, end = ctx.calendar.period_bounds(period)
    first = ctx.calendar.local(dt.datetime.fromtimestamp(first_ts, dt.timezone.utc)).date().replace(day=1)
    out, d = [], start.date().replace(day=1)
    while True:
        nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        lo = dt.datetime.combine(d, dt.time(), ctx.calendar.tz)
        hi = dt.datetime.combine(nxt, dt.time(), ctx.calendar.tz)
        if lo >= end:
            break
        if hi <= ctx.now and d >= first:
            out.append((lo.timestamp(), hi.timestamp()))
        d = nxt
    return out


def village_counts(ctx, village: str, period: str, months: list, created: list, history: list) -> dict:
    """Raw numerators and denominators for one village: its talks held in ``period``, its
    matters taken in during it (``created``), the promise and reply milestones of any of its
    matters (``history``) closed during it, and its inspection findings."""
    held = [t for t in talks.list_talks(ctx, village, period) if t["status"] == "held"]
    per_month = ctx.settings["talks_per_month"]
    months_ok = sum(1 for lo, hi in months if sum(lo <= t["held_ts"] < hi for t in held) >= per_month)
    need = float(ctx.settings["ordinary_share_min"])
    mine = [c for c in created if c.origin_unit == village]
    ids = [c.id for c in history if c.origin_unit == village]
    start, end = ctx.calendar.period_bounds(period)
    closed = [m for m in (ctx.milestones.of(ids, state=["met", "missed"], name=["promise", "reply"]) if ids else [])
              if start <= m.closed_at < end]
    where, params = ctx.scope(village, period, unit_cols=("village",), ts_cols=("ts",))
    findings = [r["finding"] for r in ctx.db.query(
        "select finding from yetanhui_inspections where " + " and ".join(where), params)]
    return {
        "talks": len(held),
        "talk_month_rate": (months_ok, len(months)),
        "notice_on_time_rate": (sum(bool(talks.notice_on_time(t)) for t in held), len(held)),
        "ordinary_share_rate": (sum(t["ordinary"] >= need * t["attendees"] - 1e-9 for t in held), len(held)),
        "contact_attendance_rate": (sum(not t["contact_absent"] for t in held), len(held)),
        "leader_attendance_rate": (sum(bool(t["leader"]) and not t["leader_absent"] for t in held),
                                   sum(bool(t["leader"]) for t in held)),
        "matters": len(mine),
        "spot_share": (sum(c.extra.get("outcome") == "spot" for c in mine), len(mine)),
        "promise_kept_rate": (sum(m.state == "met" for m in closed if m.name == "promise"),
                              sum(m.name == "promise" for m in closed)),
        "reply_on_time_rate": (sum(m.state == "met" for m in closed if m.name == "reply"),
                               sum(m.name == "reply" for m in closed)),
        "missed": sum(m.state == "missed" for m in closed),
        "findings": findings,
        "contacts": sorted({t["contact_cadre"] for t in held} | ({c} if (c := contact_of(ctx, village)) else set())),
    }


def contact_of(ctx, village: str) -> str | None:
    """The village's linked contact cadre (yetanhui_contacts), or None."""
    rows = ctx.db.query("select person from yetanhui_contacts where village = ? and kind = 'contact_cadre'", [village])
    return rows[0]["person"] if rows else None


def metrics_for(subject: str, c: dict) -> list[Metric]:
    """The counts and rates of one subject (a village, or a township's sums)."""
    out = [Metric("talks_held", subject, value=float(c["talks"]), label="夜谈会召开次数"),
           Metric("matters_raised", subject, value=float(c["matters"]), label="群众提出问题数")]
    out += [rate(m, subject, *c[m], label=label) for m, label in RATES.items()]
    return out


def appraisal(ctx, unit, period: str) -> list[Metric]:
    """Per village of ``unit``'s subtree (the deployment when None) where yetanhui takes part,
    and per township: the counts, rates and award bans of the module doc, for ``period``."""
    codes = ctx.subtree(unit.code) if unit else list(ctx.units)
    villages = [c for c in codes if ctx.units[c].level == "village" and ctx.takes_part(c)]
    first = ctx.db.query("select min(scheduled_ts) as t from yetanhui_talks where status = 'held'")[0]["t"]
    months = months_due(ctx, period, first)
    scope = {"unit": unit.code} if unit else {}
    history = ctx.cases.find(method=rules.METHOD, **scope)
    start, end = ctx.calendar.period_bounds(period)
    created = [c for c in history if start <= c.created_at < end]
    out: list[Metric] = []
    towns: dict[str, dict] = {}
    for v in villages:
        c = village_counts(ctx, v, period, months, created, history)
        out += metrics_for(v, c)
        bad_finding = any(f != "ok" for f in c["findings"])
        not_regular = c["talk_month_rate"][0] < c["talk_month_rate"][1]
        out.append(Metric("leader_not_advanced", v, value=float(not_regular or c["missed"] > 0 or bad_finding),
                          label="该村主要负责人不能评为先进（坚持不够、解决不及时或效果不好）"))
        barred = "perfunctory" in c["findings"]
        out.append(Metric("award_barred", v, value=float(barred), label="该村不得评优评先（走过场、敷衍了事）"))
        if barred:
            out += [Metric("award_barred", p, subject_kind="person", value=1.0,
                           label="包村干部不得评优评先（走过场、敷衍了事）") for p in c["contacts"]]
        t = ctx.ancestor(v, "township")
        if t is not None and t.code in codes:
            agg = towns.setdefault(t.code, {"talks": 0, "matters": 0, "barred": 0, **{m: (0, 0) for m in RATES}})
            agg["talks"] += c["talks"]
            agg["matters"] += c["matters"]
            agg["barred"] += barred
            for m in RATES:
                agg[m] = (agg[m][0] + c[m][0], agg[m][1] + c[m][1])
    for code, agg in sorted(towns.items()):
        out += metrics_for(code, agg)
        out.append(Metric("correction_required", code, value=float(agg["barred"]),
                          label="走过场的村数（乡镇要及时纠正）"))
    return out
