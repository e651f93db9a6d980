"""shequ365: Ningbo's 365 community service method (宁波“365社区服务工作法”), casebook L373–381.

"三联、六服务、五机制" (L375). What this plugin runs:

* 三联 (L377): social workers with a line (管线), a grid of about 250 households (包片) and 25+
  linked households visited every month (联户); party members in 一代四员 / 一员双岗; volunteers —
  plugin tables, imported from CSV (``county shequ365 grids|households|members import``).
* 民情收集 (L381): 一日两巡 (morning and evening patrol), 五访 (five mandatory visits), 五问 (five
  questions) — channels of intake and recurring duties (``county_duties``).
* 民情处置 (L381): the three handling forms are the tiers of the chain —
  ``time_limited`` (包片社工限时办结) → ``follow_up`` (个人领办/单位承办/组团协办, by a committed
  date) → ``coordination`` (社区事务协调会, no limit).
* 民情分析 (L381): 日碰头、周研判、月会商（月底“两委”联席会）、季恳谈、动态听证 as duties and meetings.
* 民情反馈 (L381): items passed by the joint meeting and hearing resolutions on the board (居务公开栏).
* 民情评议 (L381): quarterly review, year-end rating by member representatives; visit coverage.
"""

from __future__ import annotations

import datetime as dt
import json

from framework import (
    STATUS_ZH,
    Assignment,
    Board,
    BoardSection,
    CountyError,
    Deadline,
    Duty,
    IntakeResult,
    MethodInfo,
    Metric,
    Milestone,
    TriageResult,
    hookimpl,
    period_dates,
    rate,
    structure_extra,
)
from plugins.shequ365 import data
from plugins.shequ365.rules import (
    CATEGORIES,
    CATEGORY_FORM,
    CHANNELS,
    FIVE_QUESTIONS,
    FIVE_VISITS,
    FOLLOW_UP_BY,
    FORMS,
    MEETINGS,
    METHOD,
    ROLES,
    SETTINGS,
    SHIFTS,
    TIERS,
    Shequ365Extra,
)


@hookimpl
def county_method():
    """Declare shequ365 (MethodInfo): channels 两巡/五访/五问/专线, categories mapped to the three
    handling forms, the chain time_limited → follow_up → coordination (L381), settings."""
    return MethodInfo(
        name=METHOD, title_zh="365社区服务工作法", title="365 community service method",
        source_county="浙江省宁波市 Ningbo City, Zhejiang", source_lines="L373–381", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=CHANNELS, categories=CATEGORIES, tiers=TIERS, roles=ROLES, settings=SETTINGS,
        extra_type=Shequ365Extra,
    )


@hookimpl
def county_migrations(migrations):
    """Create shequ365's own tables (grids, households, members, visits, visit tasks, patrols,
    meetings, meeting items, assessments); see :mod:`plugins.shequ365.data`."""
    data.register_migrations(migrations)


@hookimpl
def county_register_commands(cli):
    """Add ``county shequ365 …`` (see :mod:`plugins.shequ365.commands`)."""
    from plugins.shequ365.commands import group

    if "shequ365" not in cli.commands:
        cli.add_command(group)


# -- helpers --------------------------------------------------------------------------------------


def community_of(ctx, unit_code: str, grid: dict | None = None) -> str:
    """The community (社区) a case or grid belongs to: the grid's community, else the nearest
    unit of level ``community_level`` up from ``unit_code``, else ``unit_code`` itself."""
    if grid:
        return grid["community"]
    u = ctx.units.get(unit_code)
    lv = ctx.settings["community_level"]
    if u is not None and u.level == lv:
        return u.code
    cur = u
    while cur is not None:
        if cur.level == lv:
            return cur.code
        cur = ctx.units.get(cur.parent) if cur.parent else None
    return unit_code


def communities_in(ctx, unit) -> list[str]:
    """Communities in ``unit``'s subtree (all when None): units of the community level plus
    every unit some grid belongs to."""
    county = ctx.county
    scope = set(county.subtree(unit.code)) if unit is not None else set(county.units)
    lv = ctx.settings["community_level"]
    out = {c for c in scope if county.units[c].level == lv}
    for r in ctx.db.query("select distinct community from shequ365_grids"):
        if r["community"] in scope:
            out.add(r["community"])
    return sorted(out)


def form_of(ctx, case, extra: dict) -> str:
    """The handling form: ``--set form=`` if given, else the category's (CATEGORY_FORM), else
    the ``default_form`` setting."""
    form = extra.get("form") or CATEGORY_FORM.get(case.category or "") or ctx.settings["default_form"]
    if form not in FORMS:
        raise CountyError(f"--set form: {form!r} is not a handling form (use one of: {', '.join(FORMS)})")
    return form


def _person_name(ctx, pid: str | None) -> str | None:
    p = ctx.people.get(pid) if pid else None
    return p.name if p else pid


# -- the stages -----------------------------------------------------------------------------------


@hookimpl
def county_intake(ctx, case, fields):
    """Intake (民情收集, L381): validate the fields of :class:`Shequ365Extra`.

    * a ``household`` gives the ``grid``; a grid must be a known grid;
    * channel ``mandatory_visit`` needs ``visit_reason`` (one of the five visits), channel
      ``five_questions`` needs ``resident_kind`` (one of the five questions);
    * a ``follow_up`` case (归口办理) needs ``committed_date`` (YYYY-MM-DD, not before the
      local date of intake) and ``follow_up_by`` individual|unit|team (default individual);
      ``lead`` is a person id, or a unit code for ``unit``.
    Returns IntakeResult with the starting tier = the handling form; ``extra.community`` is
    set to the case's community.
    """
    extra = structure_extra(ctx.method, fields)
    hh = data.household(ctx.db, extra.get("household"))
    if extra.get("household") and hh is None:
        raise CountyError(f"--set household: unknown household {extra['household']!r} (see `county shequ365 households list`)")
    if hh:
        if extra.get("grid") and extra["grid"] != hh["grid"]:
            raise CountyError(f"--set grid: household {hh['id']} is in grid {hh['grid']}, not {extra['grid']}")
        extra["grid"] = hh["grid"]
    g = data.grid(ctx.db, extra.get("grid"))
    if extra.get("grid") and g is None:
        raise CountyError(f"--set grid: unknown grid {extra['grid']!r} (see `county shequ365 grids list`)")
    if extra.get("visit_reason") and extra["visit_reason"] not in FIVE_VISITS:
        raise CountyError(f"--set visit_reason: {extra['visit_reason']!r} is not one of the five visits ({', '.join(FIVE_VISITS)})")
    if case.channel == "mandatory_visit" and not extra.get("visit_reason"):
        raise CountyError(f"--set visit_reason: a mandatory_visit (五访) case needs one of {', '.join(FIVE_VISITS)}")
    if extra.get("resident_kind") and extra["resident_kind"] not in FIVE_QUESTIONS:
        raise CountyError(f"--set resident_kind: {extra['resident_kind']!r} is not one of the five questions ({', '.join(FIVE_QUESTIONS)})")
    if case.channel == "five_questions" and not extra.get("resident_kind"):
        raise CountyError(f"--set resident_kind: a five_questions (五问) case needs one of {', '.join(FIVE_QUESTIONS)}")
    committed = data.parse_date(extra.get("committed_date"), "--set committed_date")
    form = form_of(ctx, case, extra)
    if form == "follow_up":
        by = extra.setdefault("follow_up_by", "individual")
        if by not in FOLLOW_UP_BY:
            raise CountyError(f"--set follow_up_by: {by!r} (use individual, unit or team)")
        if committed is None:
            raise CountyError("--set committed_date: a follow-up (归口办理) case needs the date its handler commits to (YYYY-MM-DD)")
        if by == "unit":
            if not extra.get("lead"):
                raise CountyError("--set lead: a unit-undertaken (单位承办) case needs the unit code of the undertaking unit")
            ctx.unit(extra["lead"])
        elif extra.get("lead") and extra["lead"] not in ctx.people:
            raise CountyError(f"--set lead: unknown person {extra['lead']!r} (see `county people list`)")
    if committed is not None and committed < ctx.calendar.local(case.created_at).date():
        raise CountyError(f"--set committed_date: {committed} is before the day the case was taken in")
    extra["form"] = form
    extra["community"] = community_of(ctx, case.unit, g)
    return IntakeResult(extra=extra, level=form)


@hookimpl
def county_triage(ctx, case):
    """Triage by grid (L381): the handling form chosen at intake is the starting tier; the note
    names the grid and the form. A major matter (``major``) gets priority ``high`` — a
    democratic hearing is due before it is carried out."""
    form = case.extra.get("form") or form_of(ctx, case, case.extra)
    g = data.grid(ctx.db, case.extra.get("grid"))
    where = f"网格 {g['name']}" if g else "未定网格"
    return TriageResult(level=form, priority="high" if case.extra.get("major") else None,
                        note=f"{where}：{FORMS[form]}")


@hookimpl
def county_assignment(ctx, case, level):
    """Assignment by grid and form (L381).

    * ``time_limited``: the grid's social worker (包片社工); without a grid, the only person of
      role ``social_worker`` in the case's unit, if there is exactly one;
    * ``follow_up``: individual (个人领办) → ``lead`` or the grid's worker; unit (单位承办) → the
      case moves to unit ``lead``; team (组团协办) → ``lead`` heads the team ``team``;
    * ``coordination``: the community leader (role ``leader_role``) convenes the 社区事务协调会.
    Returns Assignment or None (keep).
    """
    g = data.grid(ctx.db, case.extra.get("grid"))
    worker = g["worker"] if g and g.get("worker") else None
    if worker is None:
        workers = ctx.people.find(unit=case.unit, role="social_worker")
        worker = workers[0].id if len(workers) == 1 else None
    if level == "time_limited":
        return Assignment(handler=worker, note="包片社工限时办结")
    if level == "follow_up":
        by = case.extra.get("follow_up_by") or "individual"
        lead = case.extra.get("lead")
        if by == "unit" and lead:
            return Assignment(unit=lead, note=f"单位承办：{ctx.unit(lead).name}",
                              extra={"follow_up_by": by})
        team = f"（团队：{case.extra['team']}）" if by == "team" and case.extra.get("team") else ""
        return Assignment(handler=lead or worker, note=f"{FOLLOW_UP_BY.get(by, by)}{team}",
                          extra={"follow_up_by": by})
    if level == "coordination":
        community = case.extra.get("community") or community_of(ctx, case.unit)
        leaders = ctx.people.find(unit=community, role=ctx.settings["leader_role"])
        return Assignment(unit=community if community in ctx.units else None,
                          handler=leaders[0].id if leaders else None, note="提交社区事务协调会研究解决")
    return None


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Deadlines (L381 gives none in numbers; the choices are settings).

    * ``time_limited``: ``time_limited_days`` calendar days (default 3) from arrival, i.e.
      23:59:59 local on the Nth day; on a miss ``miss_action`` (default flag 督办; ``escalate``
      moves it to follow_up);
    * ``follow_up``: 23:59:59 local on ``committed_date``; without one (a case escalated
      here), no due instant; a miss flags (or escalates to coordination);
    * ``coordination``: no limit (the meeting decides).
    """
    s, cal = ctx.settings, ctx.calendar
    escalate = s["miss_action"] == "escalate"
    if level == "time_limited":
        days = int(s["time_limited_days"])
        return Deadline([Milestone("time_limited", cal.calendar_days(arrived_at, days),
                                   "escalate" if escalate else "flag", "follow_up" if escalate else None, True,
                                   f"包片社工限时办结（{days}天，部署设定）")])
    if level == "follow_up":
        committed = data.parse_date(case.extra.get("committed_date"), "committed_date")
        if committed is None or cal.end_of_day(committed) <= arrived_at:
            return Deadline()
        return Deadline([Milestone("committed", cal.end_of_day(committed), "escalate" if escalate else "flag",
                                   "coordination" if escalate else None, True, "归口办理承诺办结日期")])
    return Deadline()


# -- duties ---------------------------------------------------------------------------------------


@hookimpl
def county_duties(ctx, unit, on_date):
    """Recurring duties due on ``on_date`` (local date) for ``unit``'s communities (L377, L381).

    Per community, from the day its data begins (:func:`data.community_start`): 早巡/晚巡 of
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
    store, s, cal = ctx.db, ctx.settings, ctx.calendar
    d = day.isoformat()
    out: list[Duty] = []
    start = data.community_start(store, cal, c)
    if start is None or start > day:
        return out  # no data here yet: nothing is due

    def duty(kind, title, due_on=day, done=False, subject=None):
        out.append(Duty(METHOD, c, kind, title, due_on, bool(done), subject))

    # 一日两巡 (L381)
    patrolled = {(r["area"], r["shift"]) for r in store.query(
        "select area, shift from shequ365_patrols where community = ? and patrolled_on = ?", [c, d])}
    for g in data.grids_in(store, [c]):
        if data.grid_start(store, cal, g, start) > day:
            continue
        for shift, zh in SHIFTS.items():
            duty(f"patrol_{shift}", f"{zh}：{g['name']}（包片社工 {_person_name(ctx, g['worker']) or '未定'}）",
                 done=(g["code"], shift) in patrolled, subject=g["code"])
    if ctx.people.find(unit=c, role=s["leader_role"]):
        for shift, zh in SHIFTS.items():
            duty(f"patrol_{shift}", f"{zh}：主干道和人群集聚区（社区负责人）", done=(c, shift) in patrolled, subject=c)
    # 民情分析 cadence (L381)
    duty("huddle", "日碰头：社区工作者巡访问题碰头会", done=data.meetings_held(store, c, "huddle", day, day))
    if day.isoweekday() == int(s["weekly_weekday"]):
        wk0, _ = data.week_bounds(day)
        duty("weekly", "周研判：典型案例分析会", done=data.meetings_held(store, c, "weekly", wk0, day))
    m0, m1 = data.month_bounds(day)
    if day == m1:
        duty("joint", "月会商：月底“两委”联席会", done=data.meetings_held(store, c, "joint", m0, day))
    q0, q1 = data.quarter_bounds(day)
    if day == q1:
        duty("forum", "季恳谈：党建共建恳谈会", done=data.meetings_held(store, c, "forum", q0, day))
        quarter = f"{day.year}Q{(day.month - 1) // 3 + 1}"
        done = data.meetings_held(store, c, "review", q0, day) or store.query(
            "select 1 from shequ365_assessments where community = ? and kind = 'quarterly' and period = ?", [c, quarter])
        duty("review", "季度社区工作评议会：通报情况、听取意见", done=done)
    if day.month == 12 and day.day == 31:
        done = data.meetings_held(store, c, "assembly", dt.date(day.year, 1, 1), day) or store.query(
            "select 1 from shequ365_assessments where community = ? and kind = 'annual' and period = ?",
            [c, str(day.year)])
        duty("assembly", "年底社区成员代表大会：测评社区整体工作和社工表现", done=done)
    # 民主听证会 before any major matter (L381)
    end_ts = ctx.calendar.end_of_day(day).timestamp()
    for r in store.query("select id, title, extra, status from cases where method = ? and created_ts <= ? order by seq",
                         [METHOD, end_ts]):
        extra = json.loads(r["extra"] or "{}")
        if not extra.get("major") or extra.get("community") != c:
            continue
        held = store.query(
            "select m.held_on from shequ365_meeting_items i join shequ365_meetings m on m.id = i.meeting_id "
            "where i.case_id = ? and m.kind = 'hearing' and m.held_on <= ? order by m.held_on", [r["id"], d])
        if held and held[-1]["held_on"] < d:
            continue
        if not held and r["status"] not in ("registered", "assigned", "in_progress", "escalated"):
            continue
        duty("hearing", f"民主听证会（重大事项实施前）：{r['id']}", done=bool(held), subject=r["id"])
    # 五访 (L381)
    for t in store.query("select * from shequ365_visit_tasks where community = ? and triggered_on <= ? "
                         "and (visited_on is null or visited_on >= ?) order by due_on, id", [c, d, d]):
        done = t["visited_on"] is not None and t["visited_on"] <= d
        out.append(Duty(METHOD, c, "mandatory_visit", f"{FIVE_VISITS.get(t['reason'], t['reason'])}：户 {t['household']}",
                        dt.date.fromisoformat(t["due_on"]), done, t["household"]))
    # 联户: monthly visit of each linked household (L377), due by the month's last day
    linked = [(h, data.linked_on(cal, h, start)) for h in data.linked_households(store, [c])]
    # last month's misses: linked by its end and not visited by their worker in it (上月未走访)
    p1 = m0 - dt.timedelta(days=1)
    p0 = p1.replace(day=1)
    if start <= p1:
        seen = data.visited_households(store, p0, p1)
        for h, since in linked:
            if since <= p1 and (h["id"], h["worker"]) not in seen:
                out.append(Duty(METHOD, c, "linked_visit",
                                f"联户走访：户 {h['id']}（{_person_name(ctx, h['worker'])}）{p1:%Y-%m}未走访", p1,
                                False, h["id"]))
    visited = data.visited_households(store, m0, day)
    for h, since in linked:
        if since <= day:
            out.append(Duty(METHOD, c, "linked_visit",
                            f"联户走访：户 {h['id']}（{_person_name(ctx, h['worker'])}）", m1,
                            (h["id"], h["worker"]) in visited, h["id"]))
    return out


def missed(duties: list[Duty], day: dt.date) -> list[Duty]:
    """The missed ones among ``duties`` (as listed for ``day``): those not done whose due
    date is before ``day`` — a linked household its worker did not visit in a month that has
    ended (the previous month's, listed all through the current month; this month's visits
    are due by its last day and are not missed yet), and a mandatory visit (五访) past its due
    date and still not made."""
    return [x for x in duties if not x.done and x.due_on < day and x.kind in ("linked_visit", "mandatory_visit")]


# -- publicity ------------------------------------------------------------------------------------


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """The community affairs board (居务公开栏, L381), one per community of ``unit``'s subtree.

    Sections: items passed by the two-committee joint meeting in ``period`` (实时公示, posted
    the day they passed); democratic hearing resolutions (全程公开); the cases handled, with
    their handling form. Rows are raw; case rows carry ``case_id`` so the kernel masks them.
    """
    start, end = period_dates(period)
    last = (end - dt.timedelta(days=1)).isoformat()
    all_cases = cases()
    boards = []
    for c in communities_in(ctx, unit):
        passed = ctx.db.query(
            "select m.held_on, i.title, i.case_id, i.note from shequ365_meeting_items i "
            "join shequ365_meetings m on m.id = i.meeting_id where m.community = ? and m.kind = 'joint' "
            "and i.passed = 1 and m.held_on >= ? and m.held_on <= ? order by m.held_on, i.id",
            [c, start.isoformat(), last])
        hearings = ctx.db.query(
            "select m.id, m.held_on, m.title, m.resolution from shequ365_meetings m where m.community = ? "
            "and m.kind = 'hearing' and m.held_on >= ? and m.held_on <= ? order by m.held_on, m.id",
            [c, start.isoformat(), last])
        hearing_rows = []
        for h in hearings:
            ids = [r["case_id"] for r in ctx.db.query(
                "select case_id from shequ365_meeting_items where meeting_id = ? and case_id is not null order by id",
                [h["id"]])]
            hearing_rows.append({"held_on": h["held_on"], "title": h["title"], "resolution": h["resolution"],
                                 "case_id": ids[0] if len(ids) == 1 else None,
                                 "cases": "、".join(ids) if len(ids) > 1 else None})
        case_rows = []
        for k in all_cases:
            if (k.extra.get("community") or community_of(ctx, k.unit)) != c:
                continue
            g = data.grid(ctx.db, k.extra.get("grid"))
            case_rows.append({
                "case_id": k.id, "title": k.title, "form": FORMS.get(k.level, k.level),
                "grid": g["name"] if g else None, "handler": _person_name(ctx, k.handler),
                "status": STATUS_ZH.get(k.status, k.status), "due_at": k.due_at.isoformat() if k.due_at else None,
                "resolved_at": k.resolved_at.isoformat() if k.resolved_at else None,
            })
        if not (passed or hearing_rows or case_rows or data.grids_in(ctx.db, [c])):
            continue
        name = ctx.units[c].name if c in ctx.units else c
        notes = ["依据宁波“365社区服务工作法”民情反馈机制（casebook L381）：“两委”联席会通过的事项实时公示，"
                 "民主听证会通过的决议事项全程公开。"]
        if ctx.settings.get("spokesperson"):
            notes.append(f"社区网络发言人：{ctx.settings['spokesperson']}")
        boards.append(Board(METHOD, f"{name}居务公开栏（{period}）", c, period, [
            BoardSection("“两委”联席会通过事项（实时公示）",
                         [("held_on", "通过日期"), ("title", "事项"), ("case_id", "编号"), ("note", "说明")],
                         [dict(r) for r in passed]),
            BoardSection("民主听证会决议（全程公开）",
                         [("held_on", "听证日期"), ("title", "事项"), ("resolution", "决议"), ("case_id", "编号"),
                          ("cases", "相关事项")], hearing_rows),
            BoardSection("民情处置（限时办结·归口办理·多方协调）",
                         [("case_id", "编号"), ("title", "事项"), ("form", "处置形式"), ("grid", "网格"),
                          ("handler", "承办人"), ("status", "状态"), ("due_at", "时限"), ("resolved_at", "办结时间")],
                         case_rows),
        ], notes))
    return boards


# -- appraisal ------------------------------------------------------------------------------------


@hookimpl
def county_appraisal(ctx, unit, period):
    """shequ365's own figures for ``period`` (L377, L381), counted over the local dates of the
    period up to ``ctx.now``'s date, and only from the day the data they count began (README
    "Counting from the data"):

    * per social worker (subject_kind ``person``): ``linked_households`` (联户数, standard ≥
      ``linked_households_min``); ``visit_coverage`` = household-months visited by the linked
      worker / household-months due, over the period's months, counting a household from the
      month it was linked, and a month once it has ended (or once the household was visited
      in it — an unvisited household is not missed before its month is over);
      ``patrol_rate`` = (grid, day, shift) patrols done / 2 × days, each grid of the worker
      counted from the day it was created (or first patrolled);
    * per community: ``mandatory_visit_on_time`` (五访 visited by the due date / tasks due);
      ``cadence_<kind>`` for huddle, weekly, joint, forum (meetings held / due), from the day
      the community's data begins;
    * assessments: ``representative_rating`` (annual) and ``quarterly_review_rating`` =
      (satisfied + basically) / votes, and ``assessment_score`` when a score was given.
    """
    start, end = period_dates(period)
    today = ctx.calendar.local(ctx.now).date()
    last = min(end - dt.timedelta(days=1), today)
    comms = communities_in(ctx, unit)
    out: list[Metric] = []
    if not comms:
        return out
    s = ctx.settings
    linked = data.linked_households(ctx.db, comms)
    by_worker: dict[str, list[dict]] = {}
    for h in linked:
        by_worker.setdefault(h["worker"], []).append(h)
    cal = ctx.calendar
    months = []  # (first day, last day, last day counted, ended)
    m = start
    while m <= last:
        m0, m1 = data.month_bounds(m)
        months.append((m0, m1, min(m1, last), m1 < today))
        m = m1 + dt.timedelta(days=1)
    visited_by_month = [data.visited_households(ctx.db, a, b) for a, _, b, _ in months]
    grids = data.grids_in(ctx.db, comms)
    workers = sorted(set(by_worker) | {g["worker"] for g in grids if g.get("worker")})
    starts = {c: data.community_start(ctx.db, cal, c) for c in comms}
    for w in workers:
        hs = by_worker.get(w, [])
        out.append(Metric("linked_households", w, "person", value=float(len(hs)),
                          label=f"联户数（标准≥{s['linked_households_min']}户）"))
        num = den = 0
        for (_, m1, _, ended), seen in zip(months, visited_by_month):
            for h in hs:
                if data.linked_on(cal, h, starts[h["community"]]) > m1:
                    continue  # linked after this month
                visited = (h["id"], w) in seen
                if ended or visited:
                    den += 1
                    num += visited
        out.append(rate("visit_coverage", w, num, den, subject_kind="person",
                        label="联户走访覆盖率（已访户/应访户，按月）"))
        done = due = 0
        for g in grids:
            if g.get("worker") != w:
                continue
            g0 = max(start, data.grid_start(ctx.db, cal, g, starts[g["community"]]))
            if g0 > last:
                continue
            due += 2 * ((last - g0).days + 1)
            done += ctx.db.query(
                "select count(*) n from (select distinct patrolled_on, shift from shequ365_patrols "
                "where area = ? and patrolled_on >= ? and patrolled_on <= ?)",
                [g["code"], g0.isoformat(), last.isoformat()])[0]["n"]
        out.append(rate("patrol_rate", w, done, due, subject_kind="person",
                        label="两巡完成率（早巡+晚巡/应巡）"))
    for c in comms:
        tasks = ctx.db.query(
            "select due_on, visited_on from shequ365_visit_tasks where community = ? and due_on >= ? and due_on <= ?",
            [c, start.isoformat(), (end - dt.timedelta(days=1)).isoformat()])
        due = [t for t in tasks if t["due_on"] < today.isoformat() or t["visited_on"]]
        ok = [t for t in due if t["visited_on"] and t["visited_on"] <= t["due_on"]]
        out.append(rate("mandatory_visit_on_time", c, len(ok), len(due), label="五访按期率"))
        c0 = starts[c]
        for kind, (n, d) in cadence(ctx, c, max(start, c0) if c0 else last + dt.timedelta(days=1), last).items():
            out.append(rate(f"cadence_{kind}", c, n, d, label=f"{MEETINGS[kind][0]}（{MEETINGS[kind][1]}）召开率"))
    out.extend(assessment_metrics(ctx, comms, start, end))
    return out


def cadence(ctx, c: str, start: dt.date, last: dt.date) -> dict[str, tuple[int, int]]:
    """For each periodic meeting kind, (due occasions with the meeting held, due occasions)
    whose due date lies in [start, last]."""
    res = {k: [0, 0] for k in ("huddle", "weekly", "joint", "forum")}
    day = start
    wd = int(ctx.settings["weekly_weekday"])
    while day <= last:
        checks = [("huddle", day, day)]
        if day.isoweekday() == wd:
            checks.append(("weekly", data.week_bounds(day)[0], day))
        m0, m1 = data.month_bounds(day)
        if day == m1:
            checks.append(("joint", m0, day))
        q0, q1 = data.quarter_bounds(day)
        if day == q1:
            checks.append(("forum", q0, day))
        for kind, a, b in checks:
            res[kind][1] += 1
            if data.meetings_held(ctx.db, c, kind, a, b):
                res[kind][0] += 1
        day += dt.timedelta(days=1)
    return {k: (v[0], v[1]) for k, v in res.items()}


def assessment_metrics(ctx, comms: list[str], start: dt.date, end: dt.date) -> list[Metric]:
    out = []
    rows = ctx.db.query(
        f"select * from shequ365_assessments where community in ({','.join('?' * len(comms))}) order by id", comms)
    for r in rows:
        a, b = period_dates(r["period"])
        if a < start or b > end:
            continue
        kind = "representative_rating" if r["kind"] == "annual" else "quarterly_review_rating"
        label = "成员代表测评满意率（年底）" if r["kind"] == "annual" else "季度评议满意率"
        votes = (r["satisfied"] or 0) + (r["basically"] or 0) + (r["unsatisfied"] or 0)
        if votes:
            out.append(rate(kind, r["subject"], (r["satisfied"] or 0) + (r["basically"] or 0), votes,
                            subject_kind=r["subject_kind"], label=label, period=r["period"]))
        if r["score"] is not None:
            out.append(Metric("assessment_score", r["subject"], r["subject_kind"], value=r["score"],
                              label=f"{'年底测评' if r['kind'] == 'annual' else '季度评议'}得分", period=r["period"]))
    return out
