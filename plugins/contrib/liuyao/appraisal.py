"""Appraisal (``county_appraisal``): 六要's own figures for a period, per village (each
village-level unit of the subtree where the method takes part) and for the unit asked (each
root for the whole deployment), beside the kernel's common metrics:

* ``reply_on_time_rate`` 15个工作日答复率 (L193): of the reports taken in during the period
  whose reply is settled — answered, or due before now — the share answered by the due instant;
* ``disclosure_rate`` 公开目录按期公开率 (L187): of the disclosures due in the period (due day
  before today), the share made through at least ``min_forms`` forms by the due day;
* ``matters_decided`` (tier = body) 重大事项决策数 (L191): decisions in the period per body,
  labelled with the body's name (``重大事项决策数：村“两委”讨论决策``);
* ``matter_rating_rate`` 一事一测评满意率 (L195): (满意 + 基本满意) / votes of the period's
  per-matter ratings; ``matter_rated_share``: matters resolved in the period that were rated;
* ``half_year_rating_rate`` 半年初评满意率 and ``annual_rating_rate`` 年度考评满意率 (L195): per
  rated subject (a village's results: the unit; a cadre: ``subject_kind="person"``), for a
  period that contains the half-year / year rated; ``tier`` carries the grade (reward / pass /
  adjust, settings ``reward_rate`` / ``adjust_rate``), the label its name
  (``半年初评满意率：称职``).
"""

from __future__ import annotations

import datetime as dt

from framework import Metric, rate
from plugins.contrib.liuyao import disclosure, service
from plugins.contrib.liuyao.rules import BODIES, GRADES, METHOD, conf, period_span


def _subjects(ctx, unit) -> list[str]:
    s = conf(ctx)
    roots = [unit.code] if unit else [u.code for u in ctx.roots()]
    out = list(roots)
    for r in roots:
        out += [c for c in ctx.subtree(r) if c not in out and ctx.units[c].level in s["matter_levels"]
                and ctx.takes_part(c)]
    return out


def _reply_counts(ctx, code, period, now) -> tuple[int, int]:
    reports = ctx.cases.find(method=METHOD, origin=code, created=period_bounds(ctx, period),
                             extra={"kind": "report"})
    ms = ctx.milestones.of([c.id for c in reports], name="reply") if reports else []
    on_time = settled = 0
    for m in ms:
        if m.state == "met":
            settled += 1
            on_time += m.closed_at <= m.due_at
        elif m.state == "missed" or m.due_at < now:
            settled += 1
    return on_time, settled


def period_bounds(ctx, period):
    """``(start, end)`` aware instants of ``period`` (half-years included), for ``ctx.cases``."""
    first, end = period_span(period)
    return tuple(dt.datetime.combine(d, dt.time(), tzinfo=ctx.calendar.tz) for d in (first, end))


def appraisal(ctx, unit, period) -> list[Metric]:
    """The metrics of the module doc for ``unit`` (None: each root) and its villages."""
    s = conf(ctx)
    now = ctx.now
    first, end = period_span(period)
    today = ctx.calendar.local(now).date()
    last_due = min(end - dt.timedelta(days=1), today - dt.timedelta(days=1))
    start_ts, end_ts = (b.timestamp() for b in period_bounds(ctx, period))
    out: list[Metric] = []
    for code in _subjects(ctx, unit):
        on_time, settled = _reply_counts(ctx, code, period, now)
        out.append(rate("reply_on_time_rate", code, on_time, settled, label="15个工作日内答复率"))
        villages = [c for c in ctx.subtree(code) if ctx.units[c].level in s["matter_levels"] and ctx.takes_part(c)]
        due = [d for v in villages for d in disclosure.required(ctx, v, first, last_due)] if last_due >= first else []
        out.append(rate("disclosure_rate", code, sum(d["done"] for d in due), len(due),
                        label=f"公开目录按期公开率（{s['min_forms']}种以上形式）"))
        decided = [d for d in service.decisions(ctx, code) if start_ts <= d["decided_ts"] < end_ts]
        for body, body_zh in BODIES.items():  # the label names the body: the report shows no code
            out.append(Metric("matters_decided", code, value=sum(d["body"] == body for d in decided),
                              label=f"重大事项决策数：{body_zh}", tier=body))
        rounds = service.ratings(ctx, code, kind="matter", period=period)
        good = sum(r["satisfied"] + r["basically"] for r in rounds)
        out.append(rate("matter_rating_rate", code, good, sum(r["votes"] for r in rounds), label="一事一测评满意率"))
        resolved = ctx.cases.find(method=METHOD, origin=code, resolved=period_bounds(ctx, period),
                                  extra={"kind": "matter"})
        rated = {r["subject"] for r in service.ratings(ctx, code, kind="matter")}
        out.append(rate("matter_rated_share", code, sum(c.id in rated for c in resolved), len(resolved),
                        label="一事一测评覆盖率"))
    # half-year and annual rounds: per rated subject, when the period holds the half-year / year
    seen = set()
    for root in ([unit.code] if unit else [u.code for u in ctx.roots()]):
        for r in service.ratings(ctx, root):
            if r["kind"] == "matter" or r["id"] in seen:
                continue
            rf, re_ = period_span(r["period"])
            if not (first <= rf and re_ <= end):
                continue
            seen.add(r["id"])
            name = "half_year_rating_rate" if r["kind"] == "half_year" else "annual_rating_rate"
            label = "半年初评满意率" if r["kind"] == "half_year" else "年度考评满意率"
            label = f"{label}：{GRADES.get(r['grade'], r['grade'])}"  # the grade by name, as the tier's code
            out.append(rate(name, r["subject"], r["satisfied"] + r["basically"], r["votes"], label=label,
                            subject_kind=r["subject_kind"], tier=r["grade"]))
    return out
