"""jieti's own figures (``county_appraisal``), beside the kernel's common metrics.

Per unit asked (each root for the deployment):

* ``settled_in_village_rate`` (小事不出村, L302) — of jieti matters resolved in the period,
  the share resolved at the household, group or village tier; ``settled_in_township_rate``
  (大事不出乡) — at the township tier or below; ``reported_up`` (a count) — matters a village
  reported to the county committee and government as beyond the departments' powers (L306);
  ``climbed_rate`` — of the resolved matters, those resolved above the tier their scope started at.
* ``meeting_rate_group`` / ``_village`` / ``_township`` / ``_county`` — the selection bodies'
  joint meetings held over those due in the period up to today (weekly, half-monthly, monthly,
  quarterly, L302); ``inspection_rate`` — months inspected over months due (一月一督查, L306).
* For a year: ``grassroots_days`` and ``deeds_done`` per person (counts, subject_kind
  ``person``), and per unit ``grassroots_quota_rate`` / ``deeds_quota_rate`` — the people
  meeting their annual quota (L306: 1 month / 3 months at the grassroots; 3 / 1 practical things).
"""

from __future__ import annotations

import datetime as dt

from framework import Metric, period_dates, rate

from . import cadence
from .duties import held, since, weekday
from .rules import BODIES, NAME, SCOPE_TIER, TIER_NAMES, TOWNSHIP_TIERS, VILLAGE_TIERS
from .service import body_levels, quota_status


def ladder_metrics(ctx, subject: str, period: str) -> list[Metric]:
    """The slogan's shares (L302) and the climb, over matters resolved in ``period``."""
    done = ctx.cases.find(method=NAME, unit=subject, resolved=period)
    done = [c for c in done if c.resolved_level in TIER_NAMES]
    village = sum(c.resolved_level in VILLAGE_TIERS for c in done)
    township = sum(c.resolved_level in TOWNSHIP_TIERS for c in done)
    climbed = 0
    for c in done:
        start = SCOPE_TIER.get(c.extra.get("ladder_scope"), c.resolved_level)
        climbed += TIER_NAMES.index(c.resolved_level) > TIER_NAMES.index(start)
    reported = len(ctx.events.find("reported_up", at=period, method=NAME, unit=subject))
    return [rate("settled_in_village_rate", subject, village, len(done), label="小事不出村（村及以下办结占比）",
                 tier="village"),
            rate("settled_in_township_rate", subject, township, len(done), label="大事不出乡（乡及以下办结占比）",
                 tier="township"),
            Metric("reported_up", subject, numerator=None, value=reported, label="超出部门权限报告县委、政府（件）"),
            rate("climbed_rate", subject, climbed, len(done), label="逐级上移后办结占比")]


def cadence_metrics(ctx, subject: str, period: str) -> list[Metric]:
    """Meetings held / due per body, and months inspected / due, from jieti's first day of use
    to the period's end or yesterday, whichever is earlier (a meeting or inspection due on day D
    is owed once D is over, conventions §8)."""
    first, after = period_dates(period)
    start = since(ctx)
    today = ctx.calendar.local(ctx.now).date()
    last = min(after, today) - dt.timedelta(days=1)
    if start is not None:
        first = max(first, start)
    out = []
    inside = [c for c in ctx.subtree(subject) if ctx.takes_part(c)]
    for body, (title, cad, _) in BODIES.items():
        due = held_n = 0
        if start is not None:
            occ = cadence.occurrences(cad, first, last, weekday(ctx))
            for code in inside:
                if ctx.units[code].level not in body_levels(ctx, body):
                    continue
                for d, w in occ:
                    due += 1
                    held_n += held(ctx, body, code, w, d)
        out.append(rate(f"meeting_rate_{body}", subject, held_n, due, label=f"{title}联席会议按期召开率"))
    due = done = 0
    if start is not None:
        for d, _ in cadence.occurrences("month", first, last):
            for code in inside:
                if ctx.units[code].level == "county":
                    due += 1
                    done += ctx.db.count("jieti_inspections", "month = ? and unit = ?", [f"{d:%Y-%m}", code]) > 0
    out.append(rate("inspection_rate", subject, done, due, label="一月一督查完成率"))
    return out


def quota_metrics(ctx, subject: str, period: str) -> list[Metric]:
    """For a year period: per person counts and per unit shares meeting the quotas (L306)."""
    if not (len(period) == 4 and period.isdigit()):
        return []
    rows = quota_status(ctx, period, subject)
    out = []
    for r in rows:
        if r["days_required"] is not None:
            out.append(Metric("grassroots_days", r["person"], subject_kind="person", value=r["days"],
                              label=f"下基层天数（应不少于{r['days_required']}天）"))
        if r["deeds_required"] is not None:
            out.append(Metric("deeds_done", r["person"], subject_kind="person", value=r["deeds"],
                              label=f"为群众办实事（应至少{r['deeds_required']}件）"))
    days = [r for r in rows if r["days_met"] is not None]
    deeds = [r for r in rows if r["deeds_met"] is not None]
    out.append(rate("grassroots_quota_rate", subject, sum(r["days_met"] for r in days), len(days),
                    label="人民勤务员下基层时间达标率"))
    out.append(rate("deeds_quota_rate", subject, sum(r["deeds_met"] for r in deeds), len(deeds),
                    label="干部为群众办实事达标率"))
    return out


def county_appraisal(ctx, unit, period: str) -> list[Metric]:
    """Every jieti figure for ``unit`` (each root when None) and ``period``."""
    out = []
    for u in [unit] if unit else ctx.roots():
        out += ladder_metrics(ctx, u.code, period)
        out += cadence_metrics(ctx, u.code, period)
        out += quota_metrics(ctx, u.code, period)
    return out
