"""每月上墙公示 (L35) as a recurring duty: each village's monthly wall board.

"‘建账’、‘结账’情况要月办月结，每月上墙公示，接受群众监督" (L35): a month's ledger building and
closing are done within the month (月办月结), and the month's board goes on the wall every month.
So, for each village and community (the units that keep the books, L9, L19):

* on the **last day of a month** the board of that month is due (kind ``board``, subject the
  month ``YYYY-MM``); it is ``done`` once ``county taizhang post --unit V --month M`` recorded it
  by the end of that day (:mod:`plugins.taizhang.tables`);
* on **every day of the following month** a board of the previous month that is still not
  posted is listed again, due on that month's last day and not done (逾期未公示): it stays on
  the list until it is posted or the month after begins.

Nothing is due before the deployment's taizhang data begin (its first case or posting,
:func:`plugins.taizhang.tables.data_start`): a month ending before that day owes no board.
Days are the deployment's local dates. Duties are computed, not stored.
"""

from __future__ import annotations

import datetime as dt

from framework import Duty, Unit
from plugins.taizhang import tables
from plugins.taizhang.publicity import board_title
from plugins.taizhang.rules import INTAKE_LEVELS


def month_last_day(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    nxt = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def villages_in(ctx, unit: Unit | None) -> list[Unit]:
    """The villages and communities of ``unit``'s subtree (every one when None), by code."""
    codes = ctx.subtree(unit.code) if unit is not None else list(ctx.units)
    return sorted((ctx.units[c] for c in codes if ctx.units[c].level in INTAKE_LEVELS), key=lambda u: u.code)


def duties(ctx, unit: Unit | None, on_date: dt.date) -> list[Duty]:
    """The wall-board duties of ``on_date`` (local date) for the villages and communities of
    ``unit``'s subtree (all when None): this month's board on its last day (done when posted by
    the end of the day), and, any day, last month's board when it is still not posted by then;
    nothing for a month that ended before the data began.
    Returns a list of :class:`Duty` (kind ``board``, subject the month), by village code."""
    villages = villages_in(ctx, unit)
    start = tables.data_start(ctx)
    if not villages or start is None or start > on_date:
        return []
    method = ctx.method.name
    until = ctx.calendar.end_of_day(on_date) + dt.timedelta(seconds=1)
    codes = [v.code for v in villages]
    out: list[Duty] = []
    first = on_date.replace(day=1)
    prev_last = first - dt.timedelta(days=1)
    prev = prev_last.strftime("%Y-%m")
    done_prev = tables.posted_by(ctx, codes, prev, until) if start <= prev_last else set(codes)
    for v in villages:
        if v.code not in done_prev:
            out.append(Duty(method, v.code, "board", f"每月上墙公示（逾期未公示）：{board_title(ctx, v, prev)}",
                            prev_last, False, prev))
    if on_date == month_last_day(on_date):
        month = on_date.strftime("%Y-%m")
        done = tables.posted_by(ctx, codes, month, until)
        out.extend(Duty(method, v.code, "board", f"每月上墙公示：{board_title(ctx, v, month)}", on_date,
                        v.code in done, month) for v in villages)
    return out
