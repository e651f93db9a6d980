"""wuzifa's figures (``county_appraisal``): the outcome the casebook measures (L61: 核定土地租赁总面积
7762.36亩，签定合同213份，签定率100%，土地租赁资金兑付率100%) and how the techniques were used
(L53, L57), for a unit's subtree and a period."""

from __future__ import annotations

import datetime as dt

from framework import Metric, rate

from . import service
from .rules import FIVE, NAME, TECHNIQUE_ZH
from .stages import DISPUTE


def metrics(ctx, unit, period):
    """Per unit asked (each root when None), over the collective disputes taken in within its subtree
    before the period's end and not resolved before its start, counted at the period's end:

    * ``signing_rate`` 签定率 = households signed / households listed (L61: 100%);
    * ``contracts_signed`` 签定合同份数 = signatures made in the period (L61: 213);
    * ``payment_rate`` 资金兑付率 = signed households paid / signed households (L61: 100%);
    * ``verified_area`` 核定租赁面积 (mu) = the listed area of the signed households (L61: 7762.36亩);
    * ``five_char_rate`` 五字法做到位率 = households worked through 讲 / households listed (L53);
    * ``escalated_<t>`` (粘/盯/靠): households on which the technique was used (L57);

    and over the side problems taken in during the period: ``on_the_spot_rate`` 小事当场解决率 =
    small matters settled on the spot / small matters (L61). Returns ``[Metric]``."""
    start, end = ctx.calendar.period_bounds(period)
    out = []
    for u in [unit] if unit else ctx.roots():
        code = u.code
        disputes = [c for c in ctx.cases.find(method=NAME, category=DISPUTE, unit=code, created=(None, end))
                    if c.resolved_at is None or c.resolved_at >= start]
        listed = signed = signed_in = paid = 0
        area = 0.0
        five = 0
        used = {t: 0 for t in ("stick", "fix_on", "lean_on")}
        for c in disputes:
            worked = {}
            for s in service.steps(ctx, c.id):
                if s["at_ts"] < end.timestamp():
                    worked.setdefault(s["household"], set()).add(s["technique"])
            for h in service.households(ctx, c.id):
                if h["listed_ts"] >= end.timestamp():
                    continue
                listed += 1
                done = worked.get(h["household"], set())
                five += all(t in done for t in FIVE)
                for t in used:
                    used[t] += t in done
                at = _at(h["signed_at"])
                if at and at < end:
                    signed += 1
                    signed_in += at >= start
                    area += h["area_tapped"] + h["area_untapped"]
                    paid_at = _at(h["paid_at"])
                    paid += bool(paid_at and paid_at < end)
        out += [rate("signing_rate", code, signed, listed, label="签定率"),
                Metric("contracts_signed", code, value=signed_in, label="签定合同份数"),
                rate("payment_rate", code, paid, signed, label="土地租赁资金兑付率"),
                Metric("verified_area", code, value=round(area, 2), label="核定租赁面积（亩）"),
                rate("five_char_rate", code, five, listed, label="“五字法”做到位率")]
        out += [Metric(f"escalated_{t}", code, value=n, label=f"用“{TECHNIQUE_ZH[t]}”的农户数") for t, n in used.items()]
        small = ctx.cases.find(method=NAME, category="small_matter", origin=code, created=period)
        spot = sum(1 for c in small if c.extra.get("on_the_spot"))
        out.append(rate("on_the_spot_rate", code, spot, len(small), label="小事当场解决率"))
    return out


def _at(text):
    """An ISO instant (as the tables and :func:`service.households` hold it) as a datetime, or None."""
    return dt.datetime.fromisoformat(text) if text else None
