"""wuzifa's board (``county_publicity``). The casebook describes no public posting for this method
(methods.md §2.2 "Publicity: not described"); the board is the plugin's choice: the signing
progress the outcome is measured by (L61: 签定合同213份，签定率100%，兑付率100%) and the problems
the work group collected (L61). No household is named on it: the progress is counted per
dispute and per villager group; rows about a case carry its ``case_id`` so the kernel masks the
requester.
"""

from __future__ import annotations

from framework import STATUS_ZH, Board, BoardSection

from . import service
from .rules import CATEGORIES, NAME, TIER_ZH
from .stages import DISPUTE

DISPUTE_COLUMNS = [("case_id", "编号"), ("title", "矛盾纠纷"), ("unit", "工作组所在"), ("signoff", "签约进度"),
                   ("signing_rate", "签定率"), ("paid", "资金兑付"), ("status", "状态")]
GROUP_COLUMNS = [("case_id", "编号"), ("group", "村民小组"), ("households", "农户数"), ("signed", "已签协议"),
                 ("key_signed", "关键农户已签")]
PROBLEM_COLUMNS = [("case_id", "编号"), ("created_on", "反映日期"), ("title", "问题"), ("category", "类别"),
                   ("requester", "反映人"), ("tier", "办理层级"), ("due_on", "办理期限"), ("status", "状态")]
NOTES = ["“五字法”：笑、问、听、析、讲；难做工作的群众：粘、盯、靠（普洱江城嘉禾乡，L53、L57）。",
         "群众反映的问题：小事能当场解决就立马解决；涉及项目和大额资金的，反馈上级和相关部门争取项目资金（L61）。"]


def _pct(num, den):
    return f"{num / den:.0%}" if den else "—"


def boards(ctx, unit, period, cases):
    """One board for ``unit`` (any level) and ``period`` when its subtree has wuzifa cases taken in
    or resolved in the period: 矛盾纠纷签约进度 (per dispute: 签字 N/M, 签定率, 兑付), 分组签约进度
    (per villager group: households, signed, key households signed), 群众反映问题办理 (the side
    problems). Returns ``[Board]`` (raw rows) or ``[]``."""
    picked = cases()
    if not picked:
        return []
    disputes = [c for c in picked if c.category == DISPUTE]
    problems = [c for c in picked if c.category != DISPUTE]
    signoffs = ctx.signoffs.of([c.id for c in disputes]) if disputes else {}
    d_rows, g_rows = [], []
    for c in disputes:
        hs = service.households(ctx, c.id)
        signed = sum(1 for h in hs if h["signed_at"])
        paid = sum(1 for h in hs if h["paid_at"])
        d_rows.append({"case_id": c.id, "title": c.title, "unit": ctx.units[c.unit].name,
                       "signoff": signoffs.get(c.id), "signing_rate": _pct(signed, len(hs)),
                       "paid": f"{paid}/{signed}", "status": STATUS_ZH.get(c.status, c.status)})
        groups = {}
        for h in hs:
            g = groups.setdefault(h["group_name"] or ctx.units[h["unit"]].name, [0, 0, 0])
            g[0] += 1
            g[1] += bool(h["signed_at"])
            g[2] += bool(h["signed_at"] and h["is_key"])
        g_rows += [{"case_id": c.id, "group": name, "households": n, "signed": s, "key_signed": k}
                   for name, (n, s, k) in groups.items()]
    p_rows = [{"case_id": c.id, "created_on": ctx.calendar.local(c.created_at).date().isoformat(), "title": c.title,
               "category": CATEGORIES.get(c.category, c.category), "requester": c.requester.name,
               "tier": TIER_ZH.get(c.level, c.level),
               "due_on": ctx.calendar.local(c.due_at).date().isoformat() if c.due_at else None,
               "status": STATUS_ZH.get(c.status, c.status)} for c in problems]
    sections = []
    if d_rows:
        sections += [BoardSection("矛盾纠纷签约进度", DISPUTE_COLUMNS, d_rows),
                     BoardSection("分组签约进度", GROUP_COLUMNS, g_rows)]
    if p_rows:
        sections.append(BoardSection("群众反映问题办理", PROBLEM_COLUMNS, p_rows))
    return [Board(NAME, f"{unit.name}情感攻势化解矛盾纠纷公示（{period}）", unit.code, period, sections, notes=NOTES)]
