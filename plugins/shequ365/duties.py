"""shequ365's recurring duties (L377, L381): the two daily patrols, the analysis cadence, the
democratic hearing before a major matter, the five mandatory visits and each linked
household's monthly visit; which are missed; the day and month views of ``county shequ365
duties``.

Days are local dates (``datetime.date``) of the deployment's zone.
"""

from __future__ import annotations

import datetime as dt

from framework import CountyError, Duty, period_dates
from plugins.shequ365 import tables
from plugins.shequ365.rules import FIVE_VISITS, METHOD, SHIFTS, month_bounds, quarter_bounds, week_bounds
from plugins.shequ365.stages import communities_in, person_name

#: What an operator reads for each duty kind (``--json`` keeps the kind).
KIND_ZH = {
    "patrol_morning": "早巡", "patrol_evening": "晚巡", "huddle": "日碰头", "weekly": "周研判", "joint": "月会商",
    "forum": "季恳谈", "review": "季度评议", "assembly": "年底测评", "hearing": "民主听证会",
    "mandatory_visit": "五访", "linked_visit": "联户走访",
}
#: A duty's state as read by an operator: done, missed (not done, due before the day), due.
STATE_ZH = {"done": "已办", "missed": "漏办", "due": "待办"}

#: Statuses in which a major case still needs its hearing.
_BEFORE_HEARING = ("registered", "assigned", "in_progress", "escalated")


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """Recurring duties due on ``on_date`` (local date) for the communities of ``unit`` (a
    :class:`Unit`, or None for all) (L377, L381).

    Per community, from the day its data begins (:func:`tables.community_start`): 早巡/晚巡 of
    each grid by its social worker (from the grid's creation) and of the main roads by the
    community leader (if one has role ``leader_role``); 日碰头 daily; 周研判 on
    ``weekly_weekday``; 月会商 (“两委”联席会) on the last day of the month; 季恳谈 and 季度评议 on
    the last day of the quarter; 年底测评 on 12-31; a 民主听证会 for every major case without
    one; the open 五访 visit tasks; each linked household's monthly visit (due on the month's
    last day — pending, not missed, until the month is over; done once its linked worker
    visited it this month); and, all through the following month, each household linked by
    the end of the previous month that its worker did not visit then (due on that month's last
    day, not done: a miss).
    Returns a list of Duty (``done`` whether it was carried out by ``on_date``); the missed
    ones are those not done with ``due_on`` before ``on_date`` (:func:`missed`).
    """
    out: list[Duty] = []
    for c in communities_in(ctx, unit):
        out.extend(community_duties(ctx, c, on_date))
    return out


def community_duties(ctx, c: str, day: dt.date) -> list[Duty]:
    """The duties of community ``c`` on local date ``day`` (see :func:`duties`)."""
    s, cal = ctx.settings, ctx.calendar
    d = day.isoformat()
    out: list[Duty] = []
    start = tables.community_start(ctx, c)
    if start is None or start > day:
        return out  # no data here yet: nothing is due

    def duty(kind, title, due_on=day, done=False, subject=None):
        out.append(Duty(METHOD, c, kind, title, due_on, bool(done), subject))

    # 一日两巡 (L381)
    patrolled = {(r["area"], r["shift"]) for r in ctx.db.query(
        "select area, shift from shequ365_patrols where community = ? and patrolled_on = ?", [c, d])}
    for g in tables.grids_in(ctx, [c]):
        if tables.grid_start(ctx, g, start) > day:
            continue
        for shift, zh in SHIFTS.items():
            duty(f"patrol_{shift}", f"{zh}：{g['name']}（包片社工 {person_name(ctx, g['worker']) or '未定'}）",
                 done=(g["code"], shift) in patrolled, subject=g["code"])
    if ctx.people.find(unit=c, role=s["leader_role"]):
        for shift, zh in SHIFTS.items():
            duty(f"patrol_{shift}", f"{zh}：主干道和人群集聚区（社区负责人）", done=(c, shift) in patrolled, subject=c)
    # 民情分析 cadence (L381)
    duty("huddle", "日碰头：社区工作者巡访问题碰头会", done=tables.meetings_held(ctx, c, "huddle", day, day))
    if day.isoweekday() == int(s["weekly_weekday"]):
        wk0, _ = week_bounds(day)
        duty("weekly", "周研判：典型案例分析会", done=tables.meetings_held(ctx, c, "weekly", wk0, day))
    m0, m1 = month_bounds(day)
    if day == m1:
        duty("joint", "月会商：月底“两委”联席会", done=tables.meetings_held(ctx, c, "joint", m0, day))
    q0, q1 = quarter_bounds(day)
    if day == q1:
        duty("forum", "季恳谈：党建共建恳谈会", done=tables.meetings_held(ctx, c, "forum", q0, day))
        quarter = f"{day.year}Q{(day.month - 1) // 3 + 1}"
        done = tables.meetings_held(ctx, c, "review", q0, day) or tables.assessed(ctx, c, "quarterly", quarter)
        duty("review", "季度社区工作评议会：通报情况、听取意见", done=done)
    if day.month == 12 and day.day == 31:
        done = (tables.meetings_held(ctx, c, "assembly", dt.date(day.year, 1, 1), day)
                or tables.assessed(ctx, c, "annual", str(day.year)))
        duty("assembly", "年底社区成员代表大会：测评社区整体工作和社工表现", done=done)
    # 民主听证会 before any major matter (L381): major cases of this community taken in by the day's end
    day_end = cal.end_of_day(day) + dt.timedelta(microseconds=1)
    for k in ctx.cases.find(method=METHOD, created=(None, day_end), extra={"major": True, "community": c}):
        held = ctx.db.query(
            "select m.held_on from shequ365_meeting_items i join shequ365_meetings m on m.id = i.meeting_id "
            "where i.case_id = ? and m.kind = 'hearing' and m.held_on <= ? order by m.held_on", [k.id, d])
        if held and held[-1]["held_on"] < d:
            continue
        if not held and k.status not in _BEFORE_HEARING:
            continue
        duty("hearing", f"民主听证会（重大事项实施前）：{k.id}", done=bool(held), subject=k.id)
    # 五访 (L381)
    for t in ctx.db.query("select * from shequ365_visit_tasks where community = ? and triggered_on <= ? "
                          "and (visited_on is null or visited_on >= ?) order by due_on, id", [c, d, d]):
        done = t["visited_on"] is not None and t["visited_on"] <= d
        out.append(Duty(METHOD, c, "mandatory_visit", f"{FIVE_VISITS.get(t['reason'], t['reason'])}：户 {t['household']}",
                        dt.date.fromisoformat(t["due_on"]), done, t["household"]))
    # 联户: monthly visit of each linked household (L377), due by the month's last day
    linked = [(h, tables.linked_on(ctx, h, start)) for h in tables.linked_households(ctx, [c])]
    # last month's misses: linked by its end and not visited by their worker in it (上月未走访)
    p1 = m0 - dt.timedelta(days=1)
    p0 = p1.replace(day=1)
    if start <= p1:
        seen = tables.visited_households(ctx, p0, p1)
        for h, since in linked:
            if since <= p1 and (h["id"], h["worker"]) not in seen:
                out.append(Duty(METHOD, c, "linked_visit",
                                f"联户走访：户 {h['id']}（{person_name(ctx, h['worker'])}）{p1:%Y-%m}未走访", p1,
                                False, h["id"]))
    visited = tables.visited_households(ctx, m0, day)
    for h, since in linked:
        if since <= day:
            out.append(Duty(METHOD, c, "linked_visit",
                            f"联户走访：户 {h['id']}（{person_name(ctx, h['worker'])}）", m1,
                            (h["id"], h["worker"]) in visited, h["id"]))
    return out


def missed(duties_: list[Duty], day: dt.date) -> list[Duty]:
    """The missed ones among ``duties_`` (as listed for ``day``): those not done whose due
    date is before ``day`` — a linked household its worker did not visit in a month that has
    ended (the previous month's, listed all through the current month; this month's visits
    are due by its last day and are not missed yet), and a mandatory visit (五访) past its due
    date and still not made."""
    return [x for x in duties_ if not x.done and x.due_on < day and x.kind in ("linked_visit", "mandatory_visit")]


def missed_text(x: Duty) -> str:
    """One line, in Chinese, saying what a missed duty was: a linked household's month (its
    title names the household, the worker and the month), or a 五访 and the day it was due by."""
    if x.kind == "linked_visit":
        return x.title
    return f"{x.title}（应于{x.due_on}前走访）"


# -- the views of `county shequ365 duties` --------------------------------------------------------


def day_report(ctx, unit, day: dt.date) -> dict:
    """The duties of local date ``day`` for ``unit`` (Unit or None) and the missed ones:
    ``{"date": "YYYY-MM-DD", "duties": [Duty], "missed": [Duty]}``."""
    ds = duties(ctx, unit, day)
    return {"date": day.isoformat(), "duties": ds, "missed": missed(ds, day)}


def month_report(ctx, unit, month: str) -> dict:
    """Each day of ``month`` (``YYYY-MM``) with its own duties counted (``due``, ``done``,
    ``by_kind``; last month's missed visits are not duties of these days), and the missed list
    as on the day after the month — or on ``ctx.now``'s date while the month is not over — of
    this month's visits and of mandatory visits due by its end.

    Returns ``{"month", "days": [{"date", "due", "done", "by_kind": {kind: {"due", "done"}}}],
    "ended": bool, "missed": [Duty], "as_of": date}`` (``as_of``: the local date the missed list
    is taken on; the command prints it and leaves it out of ``--json``). CountyError for a ``month`` that is not ``YYYY-MM``."""
    try:
        start, end = period_dates(month)
    except CountyError:
        raise CountyError(f"--month: {month!r} is not a month (YYYY-MM)") from None
    if len(month.strip()) != 7:
        raise CountyError(f"--month: {month!r} is not a month (YYYY-MM)")
    days, day = [], start
    while day < end:
        ds = [x for x in duties(ctx, unit, day) if not (x.kind == "linked_visit" and x.due_on < start)]
        kinds: dict[str, list[int]] = {}
        for x in ds:
            k = kinds.setdefault(x.kind, [0, 0])
            k[0] += 1
            k[1] += int(x.done)
        days.append({"date": day.isoformat(), "due": len(ds), "done": sum(x.done for x in ds),
                     "by_kind": {k: {"due": v[0], "done": v[1]} for k, v in sorted(kinds.items())}})
        day += dt.timedelta(days=1)
    today = ctx.calendar.local(ctx.now).date()
    ended = end <= today
    as_of = end if ended else max(start, today)
    gone = [x for x in missed(duties(ctx, unit, as_of), as_of)
            if x.due_on < end and not (x.kind == "linked_visit" and x.due_on < start)]
    return {"month": month, "days": days, "ended": ended, "missed": gone, "as_of": as_of}
