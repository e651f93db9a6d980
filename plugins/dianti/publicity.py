"""点题服务公开栏 (L83, L93): the service board — requests, measures, results — per village.

The supervision centre posts it "regularly" (定期, L83); the cadence is the setting
``board_period`` (month by default). Rows are raw, with ``case_id``: the kernel masks the
requester's personal data before any renderer sees them (conventions §3).
"""

from __future__ import annotations

import datetime as dt
import json

from framework import (
    STATUS_ZH,
    Board,
    BoardSection,
    CountyError,
    hookimpl,
    period_dates,
)
from plugins.dianti import registry as reg
from plugins.dianti.evaluation import case_scores, dianti_cases, villages_in

REQUEST_COLUMNS = [("case_id", "编号"), ("date", "点题日期"), ("requester", "点题群众"), ("service", "点题内容"),
                   ("group", "服务小组"), ("requirement", "服务要求"), ("handler", "服务责任人"), ("status", "办理状态")]
MEASURE_COLUMNS = [("case_id", "编号"), ("date", "日期"), ("service", "点题内容"), ("handler", "服务责任人"),
                   ("measure", "服务措施")]
RESULT_COLUMNS = [("case_id", "编号"), ("date", "办结日期"), ("service", "点题内容"), ("group", "服务小组"),
                  ("handler", "服务责任人"), ("result", "服务结果"), ("score", "群众评价（分）"), ("ratings", "评价人数")]
CADENCES = ("month", "quarter", "year")


def period_kind(period: str) -> str:
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


def _day(county, instant) -> str:
    return county.calendar.local(instant).date().isoformat() if instant else ""


def village_board(county, village: str, period: str, settings) -> Board:
    """One village's board for ``period``: requests taken in, measures recorded and results
    (resolved services with their villagers' score) in the period."""
    people = county.people
    name_of = lambda pid: people[pid].name if pid in people else (pid or "")  # noqa: E731
    groups = {g["code"]: g["name"] for g in reg.groups(county.store, village)}
    requests = []
    for c in dianti_cases(county, village, created_in=period):
        requests.append({"case_id": c.id, "date": _day(county, c.created_at),
                         "requester": c.requester.name,  # raw: the kernel masks (and writes 匿名 when asked)
                         "service": c.extra.get("service") or c.title,
                         "group": groups.get(reg.group_of(c), reg.group_of(c) or "待协调"),
                         "requirement": c.extra.get("requirement") or "", "handler": name_of(c.handler),
                         "status": STATUS_ZH.get(c.status, c.status)})
    start, end = county.calendar.period_bounds(period)
    codes = county.subtree(village)
    measures = []
    for r in county.store.query(
            f"""select e.case_id, e.at, e.note, c.title, c.extra, c.handler from events e join cases c on c.id = e.case_id
                where e.type = 'measure' and c.method = 'dianti' and c.origin_unit in ({','.join('?' * len(codes))})
                order by e.at, e.id""", codes):
        at = dt.datetime.fromisoformat(r["at"])
        if start <= at < end:
            extra = json.loads(r["extra"] or "{}")
            measures.append({"case_id": r["case_id"], "date": _day(county, at), "service": extra.get("service") or r["title"],
                             "handler": name_of(r["handler"]), "measure": r["note"]})
    done = dianti_cases(county, village, resolved_in=period)
    scores = case_scores(county, done, settings)
    results = []
    for c in done:
        note = county.store.query("select note from events where case_id = ? and type = 'resolved' order by id desc limit 1", [c.id])
        s = scores.get(c.id)
        results.append({"case_id": c.id, "date": _day(county, c.resolved_at), "service": c.extra.get("service") or c.title,
                        "group": groups.get(reg.group_of(c), reg.group_of(c) or ""), "handler": name_of(c.handler),
                        "result": note[0]["note"] if note else "", "score": round(float(s[0]), 2) if s else None,
                        "ratings": s[1] if s else 0})
    supervisors = [m["name"] for m in reg.centre_members(county.store, village, "supervision")]
    notes = ["由服务监督中心定期公开点题服务项目及措施落实情况，接受群众监督（L83、L93）"]
    if supervisors:
        notes.append("服务监督中心：" + "、".join(supervisors))
    return Board(method="dianti", title=f"{county.units[village].name}点题服务公开栏（{period}）", unit=village,
                 period=period, sections=[BoardSection("群众点题", REQUEST_COLUMNS, requests),
                                          BoardSection("服务措施落实", MEASURE_COLUMNS, measures),
                                          BoardSection("服务结果", RESULT_COLUMNS, results)], notes=notes)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """点题服务公开栏 (L83, L93) for each village of ``unit``'s subtree (or ``unit``'s own village).

    A period of the board cadence (setting ``board_period``, month by default) gives one board
    per village; a longer period one per cadence period inside it (e.g. 12 monthly boards for a
    year), each only when it has rows; a shorter one a board for just that period. Villages with
    neither service groups nor rows get no board. Returns a list of Board with raw rows.
    """
    county = ctx.county
    cadence = ctx.settings.get("board_period", "month")
    if cadence not in CADENCES:
        raise CountyError(f"[plugins.dianti] board_period = {cadence!r}: use month, quarter or year")
    periods = sub_periods(period, cadence)
    out = []
    for v in villages_in(county, unit.code):
        has_groups = bool(reg.groups(county.store, v))
        for p in periods:
            b = village_board(county, v, p, ctx.settings)
            if any(s.rows for s in b.sections) or (has_groups and len(periods) == 1):
                out.append(b)
    return out
