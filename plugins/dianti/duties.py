"""The supervision centre's recurring duties (L83): the quarterly service-effect evaluation, the
posting of the 点题服务公开栏 at the end of each board period, and the yearly awards at the year's
end (每年度…评选表彰)."""

from __future__ import annotations

import datetime as dt

from framework import Duty
from plugins.dianti import tables
from plugins.dianti.rules import villages_in


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
    --record`` recorded them as decided). ``on_date`` is a local date. Returns a list of Duty."""
    due = due_reviews(ctx, on_date)
    out: list[Duty] = []
    if not due:
        return out
    for v in villages_in(ctx, unit.code if unit else None):
        if not tables.groups(ctx, v):
            continue
        for kind, period, title in due:
            out.append(Duty("dianti", v, kind, f"{title} {period}", on_date, tables.reviewed(ctx, v, kind, period), period))
    return out
