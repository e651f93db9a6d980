"""zouqian's boards (宣传反馈, one of the three key links, L331; 直接宣传回应, L333).

* Each 居村 (village or community) in the subtree asked about posts 「走千听万」问题办理反馈: the
  period's problems taken in there, their tier, status, the latest 群众评议 and how often it was
  sent back (重新流转, L331), and the 居村's pairings (结对, L329) with their visits in the period.
* A 街镇 or the district, when batches were opened or solved in the period in its subtree, posts
  共性问题批量解决 (L337): topic, policy, lead problem, how many problems it solved.

Rows are raw (the kernel masks requesters); every row about a case carries ``case_id``.
"""

from __future__ import annotations

from collections import Counter

from framework import STATUS_ZH, Board, BoardSection

from .rules import JUNCUN_LEVELS, NAME, PAIRING_ZH, SCALE, TIER_ZH
from .service import batches, pairings
from .stages import level_ancestor

CASE_COLUMNS = [("case_id", "编号"), ("created_on", "收集日期"), ("title", "问题"), ("requester", "反映人"),
                ("tier", "办理层级"), ("status", "状态"), ("due_on", "办理期限"), ("rating", "群众评议"),
                ("reopened", "重新流转次数"), ("batch", "批量解决")]
PAIR_COLUMNS = [("kind", "结对类型"), ("partner", "结对方"), ("since", "结对日期"), ("visits", "本期走访、联系次数")]
BATCH_COLUMNS = [("batch", "批次"), ("topic", "共性问题"), ("policy", "政策措施"), ("case_id", "牵头问题"),
                 ("linked", "纳入问题数"), ("solved_on", "批量解决日期"), ("solved_count", "解决问题数")]
GATE_NOTE = ("只有经过群众评议并达到“很满意”或“满意”标准的问题，才能退出网上工作平台；评价“一般”、“不满意”"
             "和“很不满意”的，重新流转到问题处置环节（L331）。")


def period_label(period: str) -> str:
    """``2024H2`` → ``2024年下半年`` (docs/hooks.md §12.1), ``2024H1`` → ``2024年上半年``; other
    periods as given."""
    if len(period) == 6 and period[4] in "Hh" and period[5] in "12":
        return f"{period[:4]}年{'上' if period[5] == '1' else '下'}半年"
    return period


def tier_label(ctx, level: str | None) -> str | None:
    """A tier's Chinese name: zouqian's own, else that of the enabled method whose chain has it
    (a deployment binding zouqian's deadline to another method's chain, docs/hooks.md §11)."""
    if level is None or level in TIER_ZH:
        return TIER_ZH.get(level)
    for name in ctx.methods:
        tier = ctx.method_info(name).tier(level)
        if tier is not None:
            return tier.title_zh
    return level


def _partner(ctx, kind: str, a: str) -> str:
    return ctx.people[a].name if kind == "cadre_juncun" and a in ctx.people else a


def publicity(ctx, unit, period, cases) -> list[Board]:
    """The boards for ``unit`` (any level) and ``period``: one per 居村 of the subtree with rows
    (and the 居村 asked about even when empty), then the batch board of the unit asked when it
    has batches in the period. Returns a list of Board."""
    start, end = ctx.calendar.period_bounds(period)
    s_ts, e_ts = start.timestamp(), end.timestamp()
    picked = cases()
    reopened = Counter(e.case_id for e in ctx.events.of([c.id for c in picked], types="reopened")) if picked else {}
    by_home: dict[str, list] = {}
    for c in picked:
        home = level_ancestor(ctx, c.origin_unit, JUNCUN_LEVELS) or c.origin_unit
        by_home.setdefault(home, []).append(c)
    homes = sorted(set(by_home) | ({unit.code} if unit.level in JUNCUN_LEVELS else set()))
    boards = []
    for home in homes:
        rows = [{"case_id": c.id, "created_on": ctx.calendar.local(c.created_at).date().isoformat(),
                 "title": c.title, "requester": c.requester.name, "tier": tier_label(ctx, c.level),
                 "status": STATUS_ZH.get(c.status, c.status),
                 "due_on": ctx.calendar.local(c.due_at).date().isoformat() if c.due_at and c.is_open else None,
                 "rating": SCALE.label(c.satisfaction) if c.satisfaction else None,
                 "reopened": reopened.get(c.id, 0), "batch": (c.extra or {}).get("batch")}
                for c in by_home.get(home, [])]
        sections = [BoardSection("本期问题办理与群众评议", CASE_COLUMNS, rows)]
        if ctx.units[home].level in JUNCUN_LEVELS:
            pair_rows = []
            for p in pairings(ctx, home):
                if p["unit"] != home or p["kind"] not in ("cadre_juncun", "branch_juncun"):
                    continue
                visits = ctx.db.count("zouqian_visits", "cadre = ? and unit = ? and at_ts >= ? and at_ts < ?",
                                      [p["a"], home, s_ts, e_ts]) if p["kind"] == "cadre_juncun" else None
                pair_rows.append({"kind": PAIRING_ZH[p["kind"]], "partner": _partner(ctx, p["kind"], p["a"]),
                                  "since": p["since"][:10], "visits": visits})
            sections.append(BoardSection("结对走访（六个结对，L329）", PAIR_COLUMNS, pair_rows))
        boards.append(Board(NAME, f"{ctx.units[home].name}“走千听万”问题办理反馈（{period_label(period)}）", home, period,
                            sections, notes=[GATE_NOTE]))
    rows = []
    for b in batches(ctx, unit.code):
        opened = s_ts <= b["opened_ts"] < e_ts
        solved = b["solved_ts"] is not None and s_ts <= b["solved_ts"] < e_ts
        if opened or solved:
            rows.append({"batch": b["id"], "topic": b["topic"], "policy": b["policy"], "case_id": b["lead"],
                         "linked": ctx.cases.count(lead=b["lead"]),
                         "solved_on": b["solved_at"][:10] if b["solved_at"] else None,
                         "solved_count": b["solved_count"]})
    if rows and unit.level not in JUNCUN_LEVELS:
        boards.append(Board(NAME, f"{unit.name}共性问题批量解决（{period_label(period)}）", unit.code, period,
                            [BoardSection("集中研究、政策破题、批量解决（L337）", BATCH_COLUMNS, rows)]))
    return boards
