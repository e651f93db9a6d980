"""晒账 (L35): the monthly wall board of each village's ledgers.

"对这些问题的‘结账’情况满不满意，当事群众签字确认后，就要公开‘晒账’ … ‘建账’、‘结账’情况要月办月结，
每月上墙公示，接受群众监督" (L35). So, per village (or community) and period:

* 本期建账 — cases the village took in during the period (by ``created_at``);
* 本期结账 — cases whose requester signed the confirmation (``county case confirm``) during the
  period, with the ledger, the tier that settled it, the result and the satisfaction. A resolved
  case the requester has not confirmed is not posted (it appears on the board of the month the
  confirmation is signed).

Rows are raw (requester name included); the kernel masks them (conventions §3).
"""

from __future__ import annotations

import datetime as dt
import json

from framework import SATISFACTION_ZH, STATUS_ZH, Board, BoardSection, hookimpl
from plugins.taizhang.ledgers import (
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
NOTE = "当事群众签字确认后公开晒账；建账、结账月办月结，每月上墙公示，接受群众监督。"


def period_zh(period: str) -> str:
    """``2026-11`` -> 2026年11月; ``2026Q4`` -> 2026年第4季度; ``2026`` -> 2026年;
    ``2026-11-02`` -> 2026年11月2日."""
    p = period.strip()
    if len(p) == 4:
        return f"{p}年"
    if len(p) == 6 and p[4] in "Qq":
        return f"{p[:4]}年第{p[5]}季度"
    if len(p) == 7:
        return f"{p[:4]}年{int(p[5:])}月"
    d = dt.date.fromisoformat(p)
    return f"{d.year}年{d.month}月{d.day}日"


def _villages(ctx, unit) -> list:
    if unit.level in INTAKE_LEVELS:
        return [unit]
    codes = ctx.subtree(unit.code)
    return sorted((ctx.units[c] for c in codes if ctx.units[c].level in INTAKE_LEVELS),
                  key=lambda u: u.code)


def _day(iso: str | None) -> str | None:
    return dt.datetime.fromisoformat(iso).date().isoformat() if iso else None


def board_title(ctx, village, period: str) -> str:
    """``富兴镇柳林沟村“三本台账”晒账公示（2026年11月）`` — the township's name is prefixed when
    the village's parent is a township."""
    parent = ctx.units.get(village.parent) if village.parent else None
    prefix = parent.name if parent is not None and parent.level == "township" else ""
    return f"{prefix}{village.name}“三本台账”晒账公示（{period_zh(period)}）"


def village_board(ctx, village, period: str) -> Board:
    """The board of one village for ``period``: two sections of raw rows, each with ``case_id``."""
    start, end = ctx.calendar.period_bounds(period)
    span = [start.timestamp(), end.timestamp()]
    method = ctx.method.name
    db = ctx.db
    new_rows = []
    counts: dict[str, int] = {}
    for r in db.query("select * from cases where method = ? and origin_unit = ? and created_ts >= ? and created_ts < ?"
                      " order by seq", [method, village.code, *span]):
        extra = json.loads(r["extra"] or "{}")
        channel = CHANNELS.get(r["channel"], r["channel"])
        if r["channel"] == "five_visits" and extra.get("visit_type") in FIVE_VISITS:
            who, question = FIVE_VISITS[extra["visit_type"]]
            channel = f"{channel}（访{who}{question}）"
        counts[r["category"]] = counts.get(r["category"], 0) + 1
        new_rows.append({
            "case_id": r["id"], "created_on": _day(r["created_at"]),
            "ledger": ALL_LEDGERS.get(r["category"], r["category"]), "title": r["title"],
            "requester": r["requester_name"], "channel": channel,
            "level": TIER_ZH.get(r["level"], r["level"]), "status": STATUS_ZH.get(r["status"], r["status"]),
        })
    settled_rows = []
    confirmations = db.query(
        "select e.case_id, e.at, e.note, e.id from events e join cases c on c.id = e.case_id"
        " where e.type = 'confirmed' and c.method = ? and c.origin_unit = ? order by e.id", [method, village.code])
    latest: dict[str, dict] = {}
    for e in confirmations:
        latest[e["case_id"]] = e  # the last signature counts
    for case_id, e in latest.items():
        at = dt.datetime.fromisoformat(e["at"]).timestamp()
        if not (span[0] <= at < span[1]):
            continue
        r = db.query("select * from cases where id = ?", [case_id])[0]
        if r["status"] not in ("confirmed", "closed"):
            continue
        extra = json.loads(r["extra"] or "{}")
        resolved_note = db.query("select note from events where case_id = ? and type = 'resolved' order by id desc limit 1",
                                 [case_id])
        settled_rows.append({
            "case_id": case_id, "ledger": ALL_LEDGERS.get(r["category"], r["category"]), "title": r["title"],
            "requester": r["requester_name"], "settled_tier": TIER_ZH.get(r["resolved_level"], r["resolved_level"]),
            "resolved_on": _day(r["resolved_at"]),
            "result": extra.get("result") or (resolved_note[0]["note"] if resolved_note else None),
            "feedback": extra.get("requester_feedback") or e["note"],
            "satisfaction": SATISFACTION_ZH.get(r["satisfaction"], r["satisfaction"]),
            "confirmed_on": _day(e["at"]), "_at": at,
        })
    settled_rows.sort(key=lambda row: (row.pop("_at"), row["case_id"]))
    by_ledger = "、".join(f"{ALL_LEDGERS.get(k, k)}{n}件" for k, n in sorted(counts.items(), key=lambda kv: list(ALL_LEDGERS).index(kv[0]) if kv[0] in ALL_LEDGERS else 99))
    summary = (f"本期建账{len(new_rows)}件" + (f"（{by_ledger}）" if by_ledger else "")
               + f"，结账并经当事群众签字确认{len(settled_rows)}件。")
    return Board(method=method, title=board_title(ctx, village, period), unit=village.code, period=period,
                 sections=[BoardSection("本期建账（新登记事项）", NEW_COLUMNS, new_rows),
                           BoardSection("本期结账（当事群众已签字确认）", SETTLED_COLUMNS, settled_rows)],
                 notes=[summary, NOTE])


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """晒账 (L35): one board per village/community of ``unit``'s subtree for ``period``.

    ``unit`` a village or community: its board, even when empty (the wall is posted every
    month). A township or the county: the board of each of its villages that has rows. Returns
    a list of :class:`Board` with raw rows (``case_id`` in every row; the kernel masks).
    ``cases`` (the kernel's selection) is not used: the settled section selects by the date of
    the requester's signature, which the kernel's selection does not cover.
    """
    out = []
    for village in _villages(ctx, unit):
        board = village_board(ctx, village, period)
        if village.code == unit.code or any(s.rows for s in board.sections):
            out.append(board)
    return out
