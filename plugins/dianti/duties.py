"""The supervision centre's recurring duties (L83): the quarterly service-effect evaluation, the
posting of the 点题服务公开栏 at the end of each board period, and the yearly awards at the year's
end (每年度…评选表彰).

A board not posted by its period's last day stays listed as overdue (逾期未公示) on every day of
the next board period, until ``county dianti post`` records it — as taizhang's monthly wall board
does: L83 says the centre publishes the results 定期 (regularly) and names no grace, so a period
whose board is missing is owed, not forgotten. Nothing is owed for a period that ended before the
deployment's dianti data began (its first dianti case or recorded review)."""

from __future__ import annotations

import datetime as dt

from framework import Duty
from plugins.dianti import tables
from plugins.dianti.rules import villages_in


def period_of(cadence: str, day: dt.date) -> tuple[str, dt.date, dt.date]:
    """The board period (setting ``board_period``: month, quarter or year) holding ``day``:
    ``(label, first day, last day)``, e.g. ``("2026-11", 2026-11-01, 2026-11-30)``,
    ``("2026Q4", 2026-10-01, 2026-12-31)``, ``("2026", 2026-01-01, 2026-12-31)``; an unknown
    cadence counts as month (as :func:`due_reviews` does)."""
    if cadence == "year":
        return str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if cadence == "quarter":
        q = (day.month - 1) // 3 + 1
        first = dt.date(day.year, 3 * q - 2, 1)
        nxt = dt.date(day.year + 1, 1, 1) if q == 4 else dt.date(day.year, 3 * q + 1, 1)
        return f"{day.year}Q{q}", first, nxt - dt.timedelta(days=1)
    first = day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return day.strftime("%Y-%m"), first, nxt - dt.timedelta(days=1)


def data_start(ctx) -> dt.date | None:
    """The first local date with dianti data: its earliest dianti case or recorded review
    (posting, evaluation, awards), whichever is first; None when there is neither."""
    cal = ctx.calendar
    days = []
    first = ctx.cases.find(method=ctx.method.name, created=(None, None), order="created", limit=1)
    if first:
        days.append(cal.local(first[0].created_at).date())
    for row in ctx.db.query("select at from dianti_reviews where at is not null"):
        try:
            days.append(cal.local(dt.datetime.fromisoformat(row["at"])).date())
        except (TypeError, ValueError):
            continue
    return min(days) if days else None


def due_reviews(ctx, on_date: dt.date) -> list[tuple[str, str, str]]:
    """The reviews due on ``on_date`` (a local date): ``(kind, period, Chinese title)`` for the
    quarterly evaluation (last day of a quarter), the board posting (last day of a period of
    the setting ``board_period``) and the yearly awards (31 December)."""
    nxt = on_date + dt.timedelta(days=1)
    due = []
    if nxt.day == 1 and nxt.month in (1, 4, 7, 10):
        q = (on_date.month - 1) // 3 + 1
        due.append(("evaluation", f"{on_date.year}Q{q}", "点题服务季度效果评价"))
    cadence = ctx.settings.get("board_period", "month")
    if nxt.day == 1 and (cadence == "month" or (cadence == "quarter" and nxt.month in (1, 4, 7, 10))
                         or (cadence == "year" and nxt.month == 1)):
        p = {"month": on_date.strftime("%Y-%m"), "quarter": f"{on_date.year}Q{(on_date.month - 1) // 3 + 1}",
             "year": str(on_date.year)}.get(cadence, on_date.strftime("%Y-%m"))
        due.append(("board", p, "更新点题服务公开栏"))
    if on_date.month == 12 and on_date.day == 31:
        due.append(("awards", str(on_date.year), "点题服务年度评选表彰（优质服务小组、优秀服务项目、服务明星）"))
    return due


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """Recurring duties of the supervision centre (L83), per village that has service groups
    (in ``unit``'s subtree, a Unit; all villages when None): on the last day of each quarter
    the service-effect evaluation (``evaluation``, done when ``county dianti evaluate --record``
    was run for that village and quarter); on the last day of each board period (setting
    ``board_period``) the board posting (``board``, done when ``county dianti post`` was run);
    on 31 December the yearly awards (``awards``, done when ``county dianti awards --year Y
    --record`` recorded them as decided). On every day of a board period, the previous period's
    board when it is still not posted: ``更新点题服务公开栏（逾期未公示） P``, due on P's last day,
    not done, listed first (none for a period ending before :func:`data_start`). ``on_date``
    is a local date. Returns a list of Duty."""
    due = due_reviews(ctx, on_date)
    cadence = ctx.settings.get("board_period", "month")
    _, first, _ = period_of(cadence, on_date)
    prev, _, prev_last = period_of(cadence, first - dt.timedelta(days=1))
    out: list[Duty] = []
    villages = [v for v in villages_in(ctx, unit.code if unit else None) if tables.groups(ctx, v)]
    start = data_start(ctx) if villages else None
    owed = start is not None and start <= prev_last
    for v in villages:
        if owed and not tables.reviewed(ctx, v, "board", prev):
            out.append(Duty("dianti", v, "board", f"更新点题服务公开栏（逾期未公示） {prev}", prev_last, False, prev))
        for kind, period, title in due:
            out.append(Duty("dianti", v, kind, f"{title} {period}", on_date, tables.reviewed(ctx, v, kind, period), period))
    return out
