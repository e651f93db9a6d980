"""Duties of 乡会村开 (casebook: Jingning L246, L253): the meetings scheduled on a day and the
supervision notices falling due that day, each with whether it was carried out.
"""

from __future__ import annotations

import datetime as dt

from framework import DONE_STATUSES, Duty, MethodContext, Unit
from plugins.xiangkai import rules
from plugins.xiangkai.tables import with_cases


def duties(ctx: MethodContext, unit: Unit | None, on_date: dt.date) -> list[Duty]:
    """Meetings (not cancelled) scheduled on ``on_date`` (a local date) in ``unit``'s subtree
    (None: everywhere), done once held; and supervision notices due that day whose topic is
    held now by a unit of the subtree, done once the topic is resolved. Returns a list of
    :class:`Duty` (meetings by time, then notices by number)."""
    codes = ctx.subtree(unit.code) if unit else list(ctx.units)
    start, end = ctx.calendar.period_bounds(on_date.isoformat())
    span = [start.timestamp(), end.timestamp()]
    out = []
    for m in ctx.db.query(f"select * from xiangkai_meetings where village in ({ctx.db.placeholders(codes)}) "
                          f"and scheduled_ts >= ? and scheduled_ts < ? and status != 'cancelled' order by scheduled_ts",
                          [*codes, *span]):
        out.append(Duty(rules.METHOD, m["village"], "meeting",
                        f"{rules.MEETING_TYPES[m['type']]} {m['id']} {rules.minutes(m['scheduled_at'])} @ {m['place']}",
                        on_date, m["status"] == "held", m["id"]))
    inside = set(codes)
    notices = with_cases(ctx, ctx.db.query(
        "select * from xiangkai_notices where due_ts >= ? and due_ts < ? order by seq", span))
    for n in notices:
        if n["unit"] not in inside:
            continue
        out.append(Duty(rules.METHOD, n["unit"], "supervision_due", f"督办到期 {n['number']}（{n['case_id']}）",
                        on_date, n["status"] in DONE_STATUSES, n["case_id"]))
    return out
