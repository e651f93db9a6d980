"""Publicity: the monthly management ledger (村民事务代办管理台账, L231 按月进行登记) with the
overdue register, and the year-end ranking of agents (统计排名，张榜公布, L231).

Rows are raw: card rows carry ``case_id`` so the kernel masks each requester (conventions §3);
the plugin never masks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from framework import (
    DONE_STATUSES,
    OPEN_STATUSES,
    STATUS_ZH,
    Board,
    BoardSection,
    Case,
    MethodContext,
    Unit,
)
from plugins.daiban.appraisal import agent_stats
from plugins.daiban.rules import METHOD, MODES, NODES
from plugins.daiban.service import overdue_entries
from plugins.daiban.stages import due_of

LEDGER_COLUMNS = [("case_id", "跟踪卡号"), ("created_at", "受理时间"), ("requester", "委托人"), ("errand", "代办事项"),
                  ("mode", "代办方式"), ("agent", "承办人"), ("time_limit", "办理时限"), ("due_at", "承诺办结时间"),
                  ("resolved_at", "办结时间"), ("status", "办结情况"), ("on_time", "按期"), ("signed", "委托人签字")]
REGISTER_COLUMNS = [("case_id", "跟踪卡号"), ("agent", "承办人"), ("due_at", "承诺办结时间"), ("state", "情况"),
                    ("month", "检查月份")]
RANKING_COLUMNS = [("rank", "名次"), ("agent", "代办员"), ("node", "节点"), ("unit", "单位"), ("cards", "件数"),
                   ("quality", "质量（群众满意率）"), ("on_time", "按期办结率"), ("input_hours", "投入（工时）"),
                   ("score", "量化考核得分")]


def _pct(num: float, den: float) -> str:
    return "—" if not den else f"{100 * num / den:.1f}%"


def on_time_label(c: Case, now: dt.datetime) -> str:
    """The ledger's 按期 cell: 是 completed by the instant the card is held to (the promise,
    else the due instant: :func:`~plugins.daiban.stages.due_of`); 否（逾期） completed after it;
    否（逾期未办结） still open after it at ``now`` (late by the scoring rule); — not due yet or
    no due instant."""
    due = due_of(c)
    if due is None:
        return "—"
    if c.resolved_at is not None:
        return "是" if c.resolved_at <= due else "否（逾期）"
    if c.status in OPEN_STATUSES and due < now:
        return "否（逾期未办结）"
    return "—"


def ledger_rows(ctx: MethodContext, cards: list[Case], now: dt.datetime) -> list[dict]:
    """One raw ledger row per card (keys of :data:`LEDGER_COLUMNS`), 按期 judged at ``now``."""
    rows = []
    for c in cards:
        agent = ctx.people.get(c.handler) if c.handler else None
        rows.append({
            "case_id": c.id, "created_at": c.created_at.isoformat() if c.created_at else None,
            "requester": c.requester.name, "errand": c.title,
            "mode": MODES.get(c.extra.get("mode"), c.extra.get("mode")),
            "agent": agent.name if agent else None, "time_limit": c.extra.get("time_limit"),
            "due_at": due_of(c).isoformat() if due_of(c) else None,
            "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
            "status": STATUS_ZH.get(c.status, c.status), "on_time": on_time_label(c, now),
            "signed": "已签字" if c.extra.get("signed_at") or c.status == "confirmed" else "未签字",
        })
    return rows


def publicity(ctx: MethodContext, unit: Unit, period: str, cases: Callable[[], list[Case]]) -> list[Board]:
    """The management ledger of ``unit`` for ``period`` — one row per card taken in during the
    period, with the overdue register's entries due in the period — and, for a year period,
    the ranking of agents by count, then quality (satisfaction rate), then input (hours).
    ``cases()`` gives the method's cases of the unit's subtree active in the period."""
    start, end = ctx.calendar.period_bounds(period)
    cards = [c for c in cases() if c.created_at and start <= c.created_at < end]
    reg = [e for e in overdue_entries(ctx, unit=unit.code) if start.timestamp() <= e["due_ts"] < end.timestamp()]
    reg_rows = [{"case_id": e["case_id"], "agent": ctx.people[e["agent"]].name if e["agent"] in ctx.people else e["agent"],
                 "due_at": e["due_at"], "state": "未办结" if e["state"] == "open" else "逾期办结", "month": e["month"]}
                for e in reg]
    boards = [Board(METHOD, f"{unit.name}村民事务代办管理台账（{period}）", unit.code, period, sections=[
        BoardSection("代办事项登记", LEDGER_COLUMNS, ledger_rows(ctx, cards, ctx.now)),
        BoardSection("超过办理期限登记（跟踪卡检查）", REGISTER_COLUMNS, reg_rows),
    ], notes=[(f"本期受理{len(cards)}件，办结{sum(c.status in DONE_STATUSES for c in cards)}件；"
               f"乡镇能办的事项{ctx.settings['township_hours']}小时办结回复，"
               f"需到县城办理的{ctx.settings['county_days']}天内办结回复。")])]
    if len(str(period)) == 4:
        boards.append(_ranking(ctx, unit, period))
    return boards


def _ranking(ctx: MethodContext, unit: Unit, period: str) -> Board:
    stats = agent_stats(ctx, period, unit.code)
    ranked = sorted(stats.items(), key=lambda kv: (-kv[1]["cards"], -(kv[1]["good"] / kv[1]["rated"] if kv[1]["rated"] else -1),
                                                   -kv[1]["input_hours"], kv[0]))
    rows = []
    for i, (pid, s) in enumerate(ranked, start=1):
        p = ctx.people[pid]
        u = ctx.units.get(p.unit)
        rows.append({"rank": i, "agent": p.name, "node": NODES.get(u.level, "") if u else "",
                     "unit": u.name if u else p.unit, "cards": int(s["cards"]),
                     "quality": _pct(s["good"], s["rated"]), "on_time": _pct(s["on_time"], s["on_time"] + s["late"]),
                     "input_hours": round(s["input_hours"], 1), "score": s["score"]})
    return Board(METHOD, f"{unit.name}{period}年代办员代办事务统计排名", unit.code, period,
                 sections=[BoardSection("按件数、质量、投入排名", RANKING_COLUMNS, rows)],
                 notes=["排名依次按代办件数、质量（群众满意率）、投入（工时）。"])
