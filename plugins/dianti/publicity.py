"""点题服务公开栏 (L83, L93): the service board — requests, measures, results — per village.

The supervision centre posts it "regularly" (定期, L83); the cadence is the setting
``board_period`` (month by default). Rows are raw, with ``case_id``: the kernel masks the
requester's personal data before any renderer sees them (conventions §3).
"""

from __future__ import annotations

import datetime as dt

from framework import STATUS_ZH, Board, BoardSection, CountyError, period_dates
from plugins.dianti import tables
from plugins.dianti.appraisal import case_scores, dianti_cases
from plugins.dianti.rules import CADENCES, group_of, villages_in

REQUEST_COLUMNS = [("case_id", "编号"), ("date", "点题日期"), ("requester", "点题群众"), ("service", "点题内容"),
                   ("group", "服务小组"), ("requirement", "服务要求"), ("handler", "服务责任人"), ("status", "办理状态")]
MEASURE_COLUMNS = [("case_id", "编号"), ("date", "日期"), ("service", "点题内容"), ("handler", "服务责任人"),
                   ("measure", "服务措施")]
RESULT_COLUMNS = [("case_id", "编号"), ("date", "办结日期"), ("service", "点题内容"), ("group", "服务小组"),
                  ("handler", "服务责任人"), ("result", "服务结果"), ("score", "群众评价（分）"), ("ratings", "评价人数")]


def period_kind(period: str) -> str:
    """``year`` (2026), ``quarter`` (2026Q1), ``month`` (2026-11) or ``day`` by a period's form."""
    p = str(period).strip()
    if len(p) == 4:
        return "year"
    if len(p) == 6:
        return "quarter"
    if len(p) == 7:
        return "month"
    return "day"


def sub_periods(period: str, cadence: str) -> list[str]:
    """Split ``period`` into the board cadence's periods (a year into 12 months…); a period
    no longer than the cadence is returned as it is."""
    order = ["day", "month", "quarter", "year"]
    kind = period_kind(period)
    if order.index(kind) <= order.index(cadence):
        return [period]
    start, end = period_dates(period)
    out, d = [], start
    while d < end:
        if cadence == "month":
            out.append(d.strftime("%Y-%m"))
            d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        else:  # quarter
            out.append(f"{d.year}Q{(d.month - 1) // 3 + 1}")
            d = dt.date(d.year + (d.month >= 10), (d.month + 2) % 12 + 1, 1)
    return out


def _day(ctx, instant) -> str:
    return ctx.calendar.local(instant).date().isoformat() if instant else ""


def measures(ctx, village: str, period: str) -> list[dict]:
    """The 服务措施落实 rows: ``measure`` events of ``village``'s dianti cases (origin unit in
    its subtree) that happened in ``period``, by time then log order, with the case's service
    and current responsible member."""
    events = sorted(ctx.events.find("measure", at=period, method="dianti", origin=village),
                    key=lambda e: (e.at, e.seq))
    cases = ctx.cases.get_many(e.case_id for e in events)
    rows = []
    for e in events:
        c = cases[e.case_id]
        rows.append({"case_id": e.case_id, "date": _day(ctx, e.at), "service": c.extra.get("service") or c.title,
                     "handler": _name(ctx, c.handler), "measure": e.note})
    return rows


def _name(ctx, pid: str | None) -> str:
    p = ctx.people.get(pid) if pid else None
    return p.name if p is not None else (pid or "")


def village_board(ctx, village: str, period: str) -> Board:
    """One village's board for ``period``: requests taken in, measures recorded and results
    (resolved services with their villagers' score) in the period. Rows are raw (the kernel
    masks requesters)."""
    groups = {g["code"]: g["name"] for g in tables.groups(ctx, village)}
    requests = []
    for c in dianti_cases(ctx, village, created_in=period):
        requests.append({"case_id": c.id, "date": _day(ctx, c.created_at),
                         "requester": c.requester.name,  # raw: the kernel masks (and writes 匿名 when asked)
                         "service": c.extra.get("service") or c.title,
                         "group": groups.get(group_of(c), group_of(c) or "待协调"),
                         "requirement": c.extra.get("requirement") or "", "handler": _name(ctx, c.handler),
                         "status": STATUS_ZH.get(c.status, c.status)})
    done = dianti_cases(ctx, village, resolved_in=period)
    scores = case_scores(ctx, done)
    notes_of = ctx.events.latest([c.id for c in done], "resolved")
    results = []
    for c in done:
        e = notes_of.get(c.id)
        s = scores.get(c.id)
        results.append({"case_id": c.id, "date": _day(ctx, c.resolved_at), "service": c.extra.get("service") or c.title,
                        "group": groups.get(group_of(c), group_of(c) or ""), "handler": _name(ctx, c.handler),
                        "result": e.note if e else "", "score": round(float(s[0]), 2) if s else None,
                        "ratings": s[1] if s else 0})
    supervisors = [m["name"] for m in tables.centre_members(ctx, village, "supervision")]
    # no casebook line numbers on a public board (they are in the README and the code)
    notes = ["由服务监督中心定期公开点题服务项目及措施落实情况，接受群众监督"]
    if supervisors:
        notes.append("服务监督中心：" + "、".join(supervisors))
    return Board(method="dianti", title=f"{ctx.units[village].name}点题服务公开栏（{period}）", unit=village,
                 period=period, sections=[BoardSection("群众点题", REQUEST_COLUMNS, requests),
                                          BoardSection("服务措施落实", MEASURE_COLUMNS, measures(ctx, village, period)),
                                          BoardSection("服务结果", RESULT_COLUMNS, results)], notes=notes)


def boards(ctx, unit, period: str) -> list[Board]:
    """点题服务公开栏 (L83, L93) for each village of ``unit``'s subtree (a Unit), or ``unit``'s
    own village.

    A period of the board cadence (setting ``board_period``, month by default) gives one board
    per village; a longer period one per cadence period inside it (e.g. 12 monthly boards for a
    year), each only when it has rows; a shorter one a board for just that period. Villages with
    neither service groups nor rows get no board. Returns a list of Board with raw rows.
    CountyError for a bad ``board_period``.
    """
    cadence = ctx.settings.get("board_period", "month")
    if cadence not in CADENCES:
        raise CountyError(f"[plugins.dianti] board_period = {cadence!r}: use month, quarter or year")
    periods = sub_periods(period, cadence)
    out = []
    for v in villages_in(ctx, unit.code):
        has_groups = bool(tables.groups(ctx, v))
        for p in periods:
            b = village_board(ctx, v, p)
            if any(s.rows for s in b.sections) or (has_groups and len(periods) == 1):
                out.append(b)
    return out
