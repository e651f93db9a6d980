"""zouqian's own appraisal figures (beside the kernel's common ones, which for this method
include ``satisfaction_rate`` by 很满意 + 满意 and, since its scale reopens cases, ``reopened``
and ``reopened_cases``):

* ``visit_coverage`` 走访居村覆盖率 — 居村 of the subtree visited (集中走访) in the period / 居村
  the method takes part in (走访居村全覆盖, L329);
* ``cadre_participation`` 走访干部参与率 — cadres paired with a 居村 of the subtree (区级机关干部
  与居村结对) who visited or contacted it in the period / those cadres (走访干部全参与, L329);
* ``rating_pass_rate`` 群众评议通过率 — 群众评议 in the period (the kernel's ``confirmed`` and
  ``reopened`` events of zouqian problems taken in or held in the subtree, whether rated with
  ``county zouqian rate`` or ``county case confirm``) that let the problem leave the platform
  (很满意, 满意) / every 评议 in the period (L331);
* ``rating_<level>`` — the count of each of the five levels in the period (评议分布, L331);
* ``batch_solved`` 批量解决问题数 — problems resolved by batches solved in the period (L337);
* ``reopened_by_handler`` (subject_kind ``person``) — per person, how often a problem they had
  solved was sent back in the period (the ``reopened`` event's handler, 重新流转, L331).
"""

from __future__ import annotations

from collections import Counter

from framework import Metric, rate

from .rules import JUNCUN_LEVELS, SCALE


def _where(ctx, code, period, ts):
    where, params = ctx.scope(code, period, unit_cols=("unit",), ts_cols=(ts,))
    return " and ".join(where), params


def appraisal(ctx, unit, period) -> list[Metric]:
    """Metrics for ``unit``'s subtree (each root for the whole deployment) and ``period``."""
    out = []
    for u in [unit] if unit else ctx.roots():
        code = u.code
        juncun = [c for c in ctx.subtree(code) if ctx.units[c].level in JUNCUN_LEVELS and ctx.takes_part(c)]
        where, params = _where(ctx, code, period, "at_ts")
        visited = {r["unit"] for r in ctx.db.query(f"select distinct unit from zouqian_visits where {where} "
                                                   "and kind = 'visit'", params)}
        out.append(rate("visit_coverage", code, len(visited & set(juncun)), len(juncun), label="走访居村覆盖率"))
        sub = ctx.subtree(code)
        cadres = {r["a"] for r in ctx.db.query(
            f"select a from zouqian_pairings where kind = 'cadre_juncun' and ended is null "
            f"and unit in ({ctx.db.placeholders(sub)})", sub)}
        active = {r["cadre"] for r in ctx.db.query(f"select distinct cadre from zouqian_visits where {where}", params)}
        out.append(rate("cadre_participation", code, len(cadres & active), len(cadres), label="走访干部参与率"))
        rated = ctx.events.find(["confirmed", "reopened"], at=period, method=ctx.method.name, unit=code)
        levels = [e.data.get("satisfaction") for e in rated if e.data.get("satisfaction") in SCALE.codes]
        back = Counter(e.data.get("handler") for e in rated if e.type == "reopened" and e.data.get("handler"))
        passed = sum(SCALE.closing(lv) for lv in levels)
        out.append(rate("rating_pass_rate", code, passed, len(levels), label="群众评议通过率（很满意、满意）"))
        for lv in SCALE.codes:
            out.append(Metric("rating_" + lv, code, value=levels.count(lv), label=f"群众评议“{SCALE.label(lv)}”次数"))
        bw, bp = _where(ctx, code, period, "solved_ts")
        solved = ctx.db.query(f"select coalesce(sum(solved_count), 0) as n from zouqian_batches where {bw}", bp)
        out.append(Metric("batch_solved", code, value=solved[0]["n"], label="批量解决问题数"))
        for pid in sorted(back):
            out.append(Metric("reopened_by_handler", pid, subject_kind="person", value=back[pid],
                              label="经办问题被重新流转次数"))
    return out
