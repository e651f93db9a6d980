"""Duties of 乡会村开 (casebook: Jingning L246, L253): the meetings scheduled on a day, the
supervision notices falling due that day, the notice-or-reason duty after a meeting, the
return visits on their cadence and, on the first of every month, the contact network's gaps;
each with whether it was carried out.
"""

from __future__ import annotations

import datetime as dt

from framework import DONE_STATUSES, Duty, MethodContext, Unit
from plugins.xiangkai import followup, network, rules
from plugins.xiangkai.tables import with_cases


def duties(ctx: MethodContext, unit: Unit | None, on_date: dt.date) -> list[Duty]:
    """For ``on_date`` (a local date) and ``unit``'s subtree (None: everywhere), in this order:

    * ``meeting`` — meetings (not cancelled) scheduled that day, done once held;
    * ``supervision_due`` — notices due that day whose topic is held now by a unit of the
      subtree, done once the topic is resolved;
    * ``notice_or_reason`` — topics settled at a meeting held ``notice_due_days`` before, done
      once they have a notice or a recorded reason (L253, :func:`followup.notice_duties`);
    * ``callback`` — supervised topics whose return visit falls due that day
      (``callback_every_days``, L253, :func:`followup.callback_duties`);
    * ``contact_network`` — on the 1st of each month (the month's topics are collected through
      the network, L246): one duty per gap of :func:`network.check` at the end of that day
      (not done, titled with the gap's message), and one done duty per township of the subtree
      without a gap.

    Returns a list of :class:`Duty`."""
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
    out += followup.notice_duties(ctx, codes, on_date)
    out += followup.callback_duties(ctx, codes, on_date)
    if on_date.day == 1:
        out += network_duties(ctx, unit, on_date)
    return out


def network_duties(ctx: MethodContext, unit: Unit | None, on_date: dt.date) -> list[Duty]:
    """``contact_network`` duties of ``on_date`` (see :func:`duties`)."""
    report = network.check(ctx, unit.code if unit else None, at=ctx.calendar.end_of_day(on_date))
    out = [Duty(rules.METHOD, p["unit"], "contact_network", p["message"], on_date, False, p["subject"])
           for p in report["problems"]]
    gaps = {c for p in report["problems"] for c in ctx.ancestors(p["unit"])}
    codes = ctx.subtree(unit.code) if unit else list(ctx.units)
    for t in sorted(c for c in codes if ctx.units[c].level == "township" and c not in gaps):
        out.append(Duty(rules.METHOD, t, "contact_network",
                        f"{ctx.units[t].name}联系网络齐全：班子成员各联系1个村、1个基层党组织和1名书记，"
                        f"每村1名驻村干部，每位乡镇干部联系1名以上困难群众", on_date, True, t))
    return out
