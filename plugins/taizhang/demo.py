"""taizhang in ``county demo``.

The demo's taizhang cases are the real citizen messages the kernel itself imports and replays
(each a case at one of the demo villages, resolved at its reply time, swept nightly). The real
data carry the department's reply but no requester's signature, so the ledger's 结账 section
(settled: the requester signed, L35) would always be empty. :func:`county_demo` therefore
records a **made-up, documented share** of confirmations: every third case resolved in the demo
month (in order of resolution, then id) is confirmed by its requester two hours after the reply,
满意 for two of three and 基本满意 for the third, and the summary line says so.
"""

from __future__ import annotations

import datetime as dt

from framework import DONE_STATUSES
from plugins.taizhang.rules import TIER_ZH


def county_demo(ctx, period: str, titles: list[str]) -> str:
    """One summary line for the demo month ``period`` (``YYYY-MM``; any period string works):
    the taizhang cases taken in during it, at how many villages, how many are settled
    (resolved, confirmed or closed) and at which tier, and how many are still open past their
    due instant at ``ctx.now``. ``titles`` is not used (the cases are the real messages). E.g.
    ``"taizhang 2019-12：台账事项 120 件（6 个村（社区）受理），办结 100 件（村(社区) 90、乡镇 10），
    逾期未办结 3 件；演示播种群众签字确认 34 件（当月每三件答复取一件，虚构）"``
    (村（社区）: the villages and communities that took cases in). Writes only the seeded
    confirmations (``ctx.actions.confirm``, see the module)."""
    method = ctx.method.name
    seeded = seed_confirmations(ctx, period)
    taken = ctx.cases.count(by="origin_unit", method=method, created=period)
    cases = sum(taken.values())
    settled = ctx.cases.count(by="resolved_level", method=method, created=period, status=DONE_STATUSES)
    overdue = ctx.cases.count(method=method, created=period, due_before=ctx.now)
    order = list(TIER_ZH)
    ranked = sorted(settled.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    per_tier = "、".join(f"{TIER_ZH.get(t, t or '-')} {n}" for t, n in ranked)
    done = sum(settled.values())
    return (f"taizhang {period}：台账事项 {cases} 件（{len(taken)} 个村（社区）受理），办结 {done} 件"
            + (f"（{per_tier}）" if per_tier else "") + f"，逾期未办结 {overdue} 件；"
            f"演示播种群众签字确认 {seeded} 件（当月每三件答复取一件，虚构）")


#: The satisfaction of the seeded confirmations, in turn (two 满意, one 基本满意).
SEEDED_SATISFACTION = ("satisfied", "satisfied", "basically")


def seed_confirmations(ctx, period: str) -> int:
    """Every third taizhang case resolved in ``period`` (in order of resolution, then intake: the
    1st, 4th, 7th …) is confirmed by its requester two hours after its resolution, with
    :data:`SEEDED_SATISFACTION` in turn, unless it already is; returns how many are chosen (the
    same on a second call, which confirms nothing more). Made up for the demo: the real data
    have no requester signatures."""
    resolved = ctx.cases.find(method=ctx.method.name, resolved=period, status=("resolved", "confirmed"),
                              order="resolved")
    chosen = resolved[::3]
    for i, case in enumerate(chosen):
        if case.status == "resolved":
            with ctx.acting_at(case.resolved_at + dt.timedelta(hours=2)):
                ctx.actions.confirm(case.id, SEEDED_SATISFACTION[i % 3], note="演示：群众签字确认（虚构）")
    return len(chosen)
