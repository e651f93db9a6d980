"""shequhua's figures (``county_appraisal``) beside the kernel's common ones, per unit asked for
(each root for the whole deployment): the centres and their organisations (L282), pairing
(L273), model villages (L276), the organisation department's checks (L276), the outcome counts
the source reports (L282) and promotion (L276). Rates are made with ``rate`` (numerator and
denominator kept, no value without a denominator).
"""

from __future__ import annotations

import datetime as dt

from framework import Metric, period_dates, rate

from . import checks, employment, service
from .duties import last_day, period_of
from .rules import NAME, PROMOTIONS, SERVICE_AREAS

OUTCOME_METRICS = {"errand": ("errands_done", "代办服务事项（件）"), "dispute": ("disputes_resolved", "化解矛盾纠纷（起）"),
                   "problem": ("problems_solved", "解决实际问题（件）")}
PROMOTION_METRICS = {"column": "column_reports", "observation": "observation_meetings", "exchange": "exchange_meetings",
                     "study_tour": "study_tours"}


def count(metric: str, subject: str, n, label: str) -> Metric:
    """A count (or an amount) for ``subject``: ``value`` = ``n``, no denominator."""
    return Metric(metric, subject, value=n, label=label)


def appraisal(ctx, unit, period: str) -> list[Metric]:
    """For ``unit`` (``Unit``; None: each root) and ``period``:

    * ``pilot_villages`` — villages with a service centre opened before the period ended (L282);
    * ``org_coverage`` — of them, those with all five service organisations (L282);
    * ``pairing_coverage`` — pilot villages paired with an urban community (L273: 30 and 30);
    * ``township_pairing_coverage`` — townships holding a pilot village that are paired with a
      subdistrict (L273: 14 townships with 7 subdistricts);
    * ``model_villages`` — model villages designated by the period's end (L276); at a root also
      ``model_target_rate`` — min(models, ``model_villages_target`` 15) / 15 (L276);
    * ``regular_check_coverage`` 定期督查覆盖率 — per check period of ``inspection_every`` (a
      quarter by default; L273 定期深入试点村进行指导检查, L276 定期督查) that ends within the
      period: pilots (centre opened by its last day) × those check periods, done when a regular
      check of the village fell in that check period. A check period ending on day D is owed
      once D is over (before today); on D itself it counts only when already done. A month
      asked for inside a quarter owes none (no value);
    * ``spot_check_rate`` — villages drawn for the quarters of the period ended by now (owed once
      the quarter's last day is over) that had their spot check in that quarter (L276);
    * ``year_end_check_rate`` — when the period holds the year-end month and that month has
      ended by now: pilot villages with their year-end check (L276);
    * ``check_good_rate`` — the period's checks rated 好;
    * ``errands_done``, ``disputes_resolved``, ``problems_solved`` — matters resolved in the
      period by kind (L282's outcome counts); ``six_ones_services`` — matters of the period
      from the 六个一 activity (L282);
    * ``column_reports``, ``observation_meetings``, ``exchange_meetings``, ``study_tours`` —
      promotions in the period (L273, L276);
    * ``training_reimbursed_yuan``, ``pension_village_yuan`` — what the village paid (L280).

    Returns a list of ``Metric``."""
    first, after = period_dates(period)
    end_ts = ctx.calendar.end_of_day(after - dt.timedelta(days=1)).timestamp()
    come = ctx.calendar.local(ctx.now).date()  # a quarter or month is owed once its last day is over (conventions §8)
    out = []
    for u in [unit] if unit else ctx.roots():
        s = u.code
        pilots = [r["village"] for r in service.centres(ctx, s) if r["opened_ts"] <= end_ts and ctx.takes_part(r["village"])]
        n = len(pilots)
        out.append(count("pilot_villages", s, n, "农村社区化管理试点村（个）"))
        full = sum(all(service.org(ctx, v, a) for a in SERVICE_AREAS) for v in pilots)
        out.append(rate("org_coverage", s, full, n, label="五类服务组织齐全的试点村占比"))
        paired = {r["unit"] for r in service.pairs(ctx) if r["kind"] == "village"}
        out.append(rate("pairing_coverage", s, sum(v in paired for v in pilots), n, label="与城市社区结对的试点村占比"))
        townships = sorted({t.code for v in pilots if (t := ctx.ancestor(v, "township")) is not None})
        paired_t = {r["unit"] for r in service.pairs(ctx) if r["kind"] == "township"}
        out.append(rate("township_pairing_coverage", s, sum(t in paired_t for t in townships), len(townships),
                        label="与街道结对的乡镇占比"))
        models = [r for r in service.models(ctx, s) if r["designated_ts"] <= end_ts]
        out.append(count("model_villages", s, len(models), "示范村（个）"))
        if u.parent is None:
            target = ctx.settings["model_villages_target"]
            out.append(rate("model_target_rate", s, min(len(models), target), target,
                            label=f"示范村目标完成率（目标{target}个）"))
        owed, checked = regular_checks(ctx, s, first, after)
        out.append(rate("regular_check_coverage", s, checked, owed, label="定期督查覆盖率"))
        drawn = done = 0
        for q in sorted({r["quarter"] for r in checks.draws(ctx, None, s)}):
            if first < period_dates(q)[1] <= min(after, come):  # the quarter ends in the period, by now
                spot = {r["village"] for r in checks.inspections(ctx, s, q, "spot")}
                rows = [r["village"] for r in checks.draws(ctx, q, s)]
                drawn += len(rows)
                done += sum(v in spot for v in rows)
        out.append(rate("spot_check_rate", s, done, drawn, label="随机抽查完成率"))
        month = f"{first.year}-{ctx.settings['year_end_month']:02d}"
        if first <= period_dates(month)[0] and period_dates(month)[1] <= min(after, come):
            ye = {r["village"] for r in checks.inspections(ctx, s, month, "year_end")}
            out.append(rate("year_end_check_rate", s, sum(v in ye for v in pilots), n, label="年末检查完成率"))
        all_checks = checks.inspections(ctx, s, period)
        out.append(rate("check_good_rate", s, sum(r["result"] == "good" for r in all_checks), len(all_checks),
                        label="检查评为“好”的占比"))
        resolved = ctx.cases.find(method=NAME, origin=s, resolved=period)
        for kind, (metric, label) in OUTCOME_METRICS.items():
            out.append(count(metric, s, sum(c.extra.get("kind") == kind for c in resolved), label))
        created = ctx.cases.find(method=NAME, origin=s, created=period)
        out.append(count("six_ones_services", s, sum(bool(c.extra.get("six_one")) for c in created),
                         "党员干部“六个一”服务（件）"))
        where, params = ctx.scope(s, period, unit_cols=("unit", "village"), ts_cols=("at_ts",))
        kinds = [r["kind"] for r in ctx.db.query("select kind from shequhua_promotions where " + " and ".join(where),
                                                 params)]
        for kind, metric in PROMOTION_METRICS.items():
            out.append(count(metric, s, kinds.count(kind), PROMOTIONS[kind]))
        for kind, metric, label in (("training", "training_reimbursed_yuan", "培训费用实报实销（元）"),
                                    ("pension", "pension_village_yuan", "村负担失地农民养老保险（元）")):
            out.append(count(metric, s, round(sum(r["village_part"] for r in employment.support(ctx, s, period, kind)), 2),
                             label))
    return out


def regular_checks(ctx, code: str, first: dt.date, after: dt.date) -> tuple[int, int]:
    """``(owed, done)`` regular checks (定期督查, L273/L276) of the pilot villages in ``code``'s
    subtree for the appraisal period ``[first, after)`` (local dates, ``after`` exclusive): each
    check period of the setting ``inspection_every`` (month, quarter, half, year) whose last day
    D falls in the period owes one check per pilot whose centre opened by the end of D, once D
    is over (D before today's local date; on D itself only a check already made counts, as done
    and owed); done when a regular check of the village was recorded in that check period (the
    ``regular_check`` duty of duties.py)."""
    today = ctx.calendar.local(ctx.now).date()
    centres = service.centres(ctx, code)
    owed = done = 0
    cp = period_of(first, ctx.settings["inspection_every"])
    while (end := last_day(cp)) < after:
        if first <= end <= today:
            end_ts = ctx.calendar.end_of_day(end).timestamp()
            pilots = [r["village"] for r in centres if r["opened_ts"] <= end_ts and ctx.takes_part(r["village"])]
            checked = {r["village"] for r in checks.inspections(ctx, code, cp, "regular")}
            for v in pilots:
                if end < today or v in checked:
                    owed += 1
                    done += v in checked
        cp = period_of(end + dt.timedelta(days=1), ctx.settings["inspection_every"])
    return owed, done
