"""taizhang in ``county demo``.

The demo's taizhang cases are the real citizen messages the kernel itself imports and replays
(each a case at one of the demo villages, resolved at its reply time, swept nightly), so there
is nothing for the method to seed: :func:`county_demo` only reports on the demo month, through
``ctx.cases``.
"""

from __future__ import annotations

from framework import DONE_STATUSES
from plugins.taizhang.rules import TIER_ZH


def _n(k: int, noun: str) -> str:
    return f"{k} {noun}" + ("" if k == 1 else "s")


def county_demo(ctx, period: str, titles: list[str]) -> str:
    """One summary line for the demo month ``period`` (``YYYY-MM``; any period string works):
    the taizhang cases taken in during it, at how many villages, how many are settled
    (resolved, confirmed or closed) and at which tier, and how many are still open past their
    due instant at ``ctx.now``. ``titles`` is not used (the cases are the real messages). E.g.
    ``"taizhang in 2019-12: 120 ledger cases at 6 villages, 100 settled (村(社区) 90、乡镇 10), 3 open
    past due"`` (villages: the villages and communities that took cases in). Writes nothing."""
    method = ctx.method.name
    taken = ctx.cases.count(by="origin_unit", method=method, created=period)
    cases = sum(taken.values())
    settled = ctx.cases.count(by="resolved_level", method=method, created=period, status=DONE_STATUSES)
    overdue = ctx.cases.count(method=method, created=period, due_before=ctx.now)
    order = list(TIER_ZH)
    ranked = sorted(settled.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    per_tier = "、".join(f"{TIER_ZH.get(t, t or '-')} {n}" for t, n in ranked)
    done = sum(settled.values())
    return (f"taizhang in {period}: {_n(cases, 'ledger case')} at {_n(len(taken), 'village')}, {done} settled"
            + (f" ({per_tier})" if per_tier else "") + f", {overdue} open past due")
