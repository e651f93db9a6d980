"""晒账 (L35): the monthly wall board of each village's ledgers.

"对这些问题的‘结账’情况满不满意，当事群众签字确认后，就要公开‘晒账’ … ‘建账’、‘结账’情况要月办月结，
每月上墙公示，接受群众监督" (L35). So, per village (or community) and period:

* 本期建账 — cases the village took in during the period (by ``created_at``);
* 本期结账 — cases whose requester signed the confirmation (``county case confirm``) during the
  period, with the ledger, the tier that settled it, the result and the satisfaction. A resolved
  case the requester has not confirmed is not posted (it appears on the board of the month the
  confirmation is signed).

Rows are raw (requester name included); the kernel masks them (conventions §3).

Reads go through ``ctx.cases`` and ``ctx.events`` only, each bounded by the period: the cases
the village took in during it, and the confirmations signed during it (with, for those cases
only, their latest confirmation and resolution).
"""

from __future__ import annotations

import datetime as dt

from framework import (
    SATISFACTION_ZH,
    STATUS_ZH,
    Board,
    BoardSection,
    Case,
    LoggedEvent,
    Unit,
)
from plugins.taizhang.rules import (
    ALL_LEDGERS,
    CHANNELS,
    FIVE_VISITS,
    INTAKE_LEVELS,
    TIER_ZH,
)

NEW_COLUMNS = [
    ("case_id", "编号"), ("created_on", "登记日期"), ("ledger", "台账"), ("title", "事项"),
    ("requester", "诉求人"), ("channel", "收集渠道"), ("level", "当前办理层级"), ("status", "进展"),
]
SETTLED_COLUMNS = [
    ("case_id", "编号"), ("ledger", "台账"), ("title", "事项"), ("requester", "诉求人"),
    ("settled_tier", "办结层级"), ("resolved_on", "办结日期"), ("result", "处理结果"),
    ("feedback", "当事人意见"), ("satisfaction", "满意度"), ("confirmed_on", "签字确认日期"),
]
#: Statuses of a case posted as settled: signed for (and possibly closed since).
POSTED = ("confirmed", "closed")
NOTE = "当事群众签字确认后公开晒账；建账、结账月办月结，每月上墙公示，接受群众监督。"


def period_zh(period: str) -> str:
    """``2026-11`` -> 2026年11月; ``2026Q4`` -> 2026年第4季度; ``2026H1`` -> 2026年上半年;
    ``2026`` -> 2026年; ``2026-11-02`` -> 2026年11月2日."""
    p = period.strip()
    if len(p) == 4:
        return f"{p}年"
    if len(p) == 6 and p[4] in "Qq":
        return f"{p[:4]}年第{p[5]}季度"
    if len(p) == 6 and p[4] in "Hh":  # half-years (issue 18)
        return f"{p[:4]}年{'上下'[int(p[5]) - 1]}半年"
    if len(p) == 7:
        return f"{p[:4]}年{int(p[5:])}月"
    d = dt.date.fromisoformat(p)
    return f"{d.year}年{d.month}月{d.day}日"


def _villages(ctx, unit: Unit) -> list[Unit]:
    if unit.level in INTAKE_LEVELS:
        return [unit]
    codes = ctx.subtree(unit.code)
    return sorted((ctx.units[c] for c in codes if ctx.units[c].level in INTAKE_LEVELS),
                  key=lambda u: u.code)


def _day(when: dt.datetime | None) -> str | None:
    return when.date().isoformat() if when else None


def board_title(ctx, village: Unit, period: str) -> str:
    """``富兴镇柳林沟村“三本台账”晒账公示（2026年11月）`` — the township's name is prefixed when
    the village's parent is a township."""
    parent = ctx.units.get(village.parent) if village.parent else None
    prefix = parent.name if parent is not None and parent.level == "township" else ""
    return f"{prefix}{village.name}“三本台账”晒账公示（{period_zh(period)}）"


def _channel(case: Case) -> str | None:
    channel = CHANNELS.get(case.channel, case.channel)
    if case.channel == "five_visits" and case.extra.get("visit_type") in FIVE_VISITS:
        who, question = FIVE_VISITS[case.extra["visit_type"]]
        channel = f"{channel}（访{who}{question}）"
    return channel


def new_cases(ctx, village: Unit, period: str) -> list[Case]:
    """本期建账: the taizhang cases ``village`` itself took in during ``period``, in intake order."""
    method = ctx.method.name
    return [c for c in ctx.cases.find(method=method, origin=village.code, created=period)
            if c.origin_unit == village.code]


def signed_cases(ctx, village: Unit, period: str) -> list[tuple[Case, LoggedEvent]]:
    """本期结账: ``(case, confirmation)`` for the taizhang cases ``village`` took in whose
    requester's latest signature (``confirmed`` event) falls in ``period`` and that are still
    confirmed or closed; ordered by the signature's instant, then case id."""
    method = ctx.method.name
    signed = ctx.events.find("confirmed", at=period, method=method, origin=village.code, status=POSTED)
    ids = list(dict.fromkeys(e.case_id for e in signed))
    if not ids:
        return []
    start, end = ctx.calendar.period_bounds(period)
    latest = ctx.events.latest(ids, "confirmed")  # the last signature counts
    cases = ctx.cases.get_many(ids)
    out = []
    for case_id in ids:
        e, case = latest[case_id], cases[case_id]
        if not (start <= e.at < end) or case.origin_unit != village.code:
            continue
        if case.status not in POSTED:
            continue
        out.append((case, e))
    out.sort(key=lambda ce: (ce[1].at.timestamp(), ce[0].id))
    return out


def village_board(ctx, village: Unit, period: str) -> Board:
    """The board of one village for ``period`` (``2026-11``, ``2026Q4``, ``2026``…): two
    sections of raw rows, each with ``case_id``; dates are deployment-local ``YYYY-MM-DD``."""
    method = ctx.method.name
    new_rows = []
    counts: dict[str, int] = {}
    for c in new_cases(ctx, village, period):
        counts[c.category] = counts.get(c.category, 0) + 1
        new_rows.append({
            "case_id": c.id, "created_on": _day(c.created_at),
            "ledger": ALL_LEDGERS.get(c.category, c.category), "title": c.title,
            "requester": c.requester.name, "channel": _channel(c),
            "level": TIER_ZH.get(c.level, c.level), "status": STATUS_ZH.get(c.status, c.status),
        })
    signed = signed_cases(ctx, village, period)
    resolved = ctx.events.latest([c.id for c, _ in signed], "resolved") if signed else {}
    settled_rows = []
    for c, e in signed:
        note = resolved[c.id].note if c.id in resolved else None
        settled_rows.append({
            "case_id": c.id, "ledger": ALL_LEDGERS.get(c.category, c.category), "title": c.title,
            "requester": c.requester.name, "settled_tier": TIER_ZH.get(c.resolved_level, c.resolved_level),
            "resolved_on": _day(c.resolved_at),
            "result": c.extra.get("result") or note,
            "feedback": c.extra.get("requester_feedback") or e.note,
            "satisfaction": SATISFACTION_ZH.get(c.satisfaction, c.satisfaction),
            "confirmed_on": _day(e.at),
        })
    order = list(ALL_LEDGERS)
    by_ledger = "、".join(f"{ALL_LEDGERS.get(k, k)}{n}件" for k, n in
                         sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in ALL_LEDGERS else 99))
    summary = (f"本期建账{len(new_rows)}件" + (f"（{by_ledger}）" if by_ledger else "")
               + f"，结账并经当事群众签字确认{len(settled_rows)}件。")
    return Board(method=method, title=board_title(ctx, village, period), unit=village.code, period=period,
                 sections=[BoardSection("本期建账（新登记事项）", NEW_COLUMNS, new_rows),
                           BoardSection("本期结账（当事群众已签字确认）", SETTLED_COLUMNS, settled_rows)],
                 notes=[summary, NOTE])


def boards(ctx, unit: Unit, period: str) -> list[Board]:
    """晒账 (L35): one board per village/community of ``unit``'s subtree for ``period``.

    ``unit`` a village or community: its board, even when empty (the wall is posted every
    month). A township or the county: the board of each of its villages that has rows, in
    unit-code order. Returns a list of :class:`Board` with raw rows (``case_id`` in every row;
    the kernel masks). The settled section selects by the date of the requester's signature,
    which the kernel's own selection of the period's cases does not cover, so the kernel's
    ``cases`` are not used.
    """
    out = []
    for village in _villages(ctx, unit):
        board = village_board(ctx, village, period)
        if village.code == unit.code or any(s.rows for s in board.sections):
            out.append(board)
    return out
