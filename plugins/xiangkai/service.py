"""The operations behind ``county xiangkai …`` and the demo: meetings, notices, callbacks,
the plan, ratings.

Each function takes the method's ``ctx`` (:class:`framework.MethodContext`) and runs in one
transaction (``ctx.transaction()``, joining an outer one); case changes go through
``ctx.actions`` (``record_event``, ``escalate``, ``confirm``), the plugin's rows through
``ctx.db``; cases are read through ``ctx.cases``. Times: ``ctx.now`` (aware, deployment zone;
fixed when the ctx is made, so make one per operation, or move it with ``ctx.acting_at(when)``);
stored as ISO 8601 with offset plus a Unix ``*_ts``.
Errors: CountyError (bad input, exit 2), Refusal (not allowed now, exit 1), NotFound.
"""

from __future__ import annotations

import datetime as dt

from framework import SATISFACTION, Case, CountyError, MethodContext, NotFound, Refusal, Unit, parse_instant, period_dates
from plugins.xiangkai import rules
from plugins.xiangkai.rules import METHOD, iso
from plugins.xiangkai.tables import agenda, callbacks_of, meeting_row, next_seq, notice_for, waiver_for


def _topic(ctx: MethodContext, case_id: str) -> Case:
    case = ctx.cases.get(case_id, events=False)
    if case.method != METHOD:
        raise CountyError(f"case {case_id} is a {case.method} case, not a xiangkai topic")
    return case


def _village(ctx: MethodContext, code: str) -> Unit:
    u = ctx.unit(code)
    levels = ctx.settings["village_levels"]
    if u.level not in levels:
        raise CountyError(f"--village {code}: unit is a {u.level}, not a {' or '.join(levels)}")
    return u


def _on_agenda_open(ctx: MethodContext, case_id: str) -> str | None:
    rows = ctx.db.query(
        "select m.id from xiangkai_meeting_topics t join xiangkai_meetings m on m.id = t.meeting_id "
        "where t.case_id = ? and m.status = 'planned'", [case_id])
    return rows[0]["id"] if rows else None


# -- meetings ------------------------------------------------------------------------------------
def add_meeting(ctx: MethodContext, *, village: str, at: str | dt.datetime, meeting_type: str | None = None,
                situation: str | None = None, place: str | None = None, title: str | None = None, topics=(),
                invite=(), invitee_names=(), rainy: bool = False, announced_via=()) -> dict:
    """Schedule a meeting (乡会) in a village (L246–250).

    ``at``: ISO text or a datetime (local unless an offset is given). The type comes from
    ``meeting_type`` or the ``situation`` (L250); the invitees are the type's roles (L248) plus ``invite``;
    the place defaults by type (L250). Topics must be open xiangkai cases at the ``topic``
    tier of this village, its subtree or its township, not already on another planned
    meeting. A time outside slack season, rainy days and evenings (L250) is a warning
    (setting ``schedule_check = "warn"``), a refusal (``"refuse"``) or ignored (``"off"``).
    A time before ``now`` is refused (Refusal): a past meeting is recorded only by scheduling
    and holding it with the clock (``--now``) at that time. Returns the meeting dict with
    ``warnings``.
    """
    s = ctx.settings
    u = _village(ctx, village)
    kind = rules.resolve_type(meeting_type, situation)
    when = ctx.calendar.local(parse_instant(at, ctx.calendar.tz, what="--at"))
    place = (place or rules.DEFAULT_PLACES.get(kind) or "").strip()
    if not place:
        raise CountyError(f"--place: a {kind} ({rules.MEETING_TYPES[kind]}) has no default place in L250; give --place")
    roles = rules.invitees_for(kind, invite)
    for a in announced_via:
        if a not in rules.ANNOUNCE_CHANNELS:
            raise CountyError(f"--announce {a}: use one of {', '.join(rules.ANNOUNCE_CHANNELS)}")
    announced = list(dict.fromkeys(announced_via)) or list(rules.ANNOUNCE_CHANNELS)
    warnings = []
    fits, why = rules.schedule_fits(s, when, rainy)
    if not fits and s["schedule_check"] != "off":
        msg = f"会议时间{why}（因时制宜，一般安排在农闲、雨天和晚上，L250）"
        if s["schedule_check"] == "refuse":
            raise Refusal(f"--at {at}: {msg}")
        warnings.append(msg)
    township = ctx.ancestor(u.code, "township")
    allowed = set(ctx.subtree(u.code)) | set(ctx.ancestors(u.code))
    cases = []
    for cid in topics:
        c = _topic(ctx, cid)
        if not c.is_open or c.level != "topic":
            raise Refusal(f"case {cid} is {c.status} at tier {c.level}; only an open topic (tier topic) can go on an agenda")
        if c.unit not in allowed:
            raise CountyError(f"--topic {cid}: its unit {c.unit} is neither {u.code}, inside it, nor above it")
        other = _on_agenda_open(ctx, cid)
        if other:
            raise Refusal(f"case {cid} is already on planned meeting {other}")
        if cid in [x.id for x in cases]:
            raise CountyError(f"--topic {cid}: given twice")
        cases.append(c)
    now = ctx.now
    if when < now:
        raise Refusal(f"--at {at}: {when.isoformat()} is before now ({now.isoformat()}); a meeting is scheduled "
                      f"ahead of time (会前公告, L252). To record a meeting already held, add and hold it "
                      f"with --now set to when it happened")
    with ctx.transaction():
        seq = next_seq(ctx.db, "xiangkai_meetings")
        mid = f"M-{seq:04d}"
        ctx.db.insert("xiangkai_meetings", {
            "id": mid, "seq": seq, "village": u.code, "township": township.code if township else None,
            "type": kind, "situation": situation, "title": (title or "").strip() or None,
            "scheduled_at": iso(when), "scheduled_ts": when.timestamp(), "place": place, "invitees": roles,
            "invitee_names": list(invitee_names), "rainy": int(bool(rainy)), "status": "planned",
            "held_at": None, "held_ts": None, "attended": None, "warnings": warnings, "created_at": iso(now),
            "announced_via": announced,
        }, pk="id")
        for i, c in enumerate(cases, start=1):
            ctx.db.insert("xiangkai_meeting_topics", {"meeting_id": mid, "case_id": c.id, "position": i,
                                                      "outcome": None, "resolution": None})
            ctx.actions.record_event(
                c.id, "scheduled",
                note=f"列入乡会 {mid}（{rules.MEETING_TYPES[kind]}，{when.strftime('%Y-%m-%d %H:%M')}，{place}）",
                data={"meeting": mid}, extra={"meeting_id": mid})
    return show_meeting(ctx, mid)


def show_meeting(ctx: MethodContext, meeting_id: str) -> dict:
    """The meeting (its ``xiangkai_meetings`` row, decoded) with ``type_zh``, ``village_name``,
    ``invitees_zh``, ``announced_via_zh`` and ``topics`` (the agenda: ``case_id``, ``title``,
    ``outcome``, ``resolution``, ``status``). NotFound for an unknown id."""
    m = meeting_row(ctx.db, meeting_id)
    if m is None:
        raise NotFound(f"unknown meeting {meeting_id!r} (see `county xiangkai meeting list`)")
    m["type_zh"] = rules.MEETING_TYPES[m["type"]]
    m["village_name"] = ctx.units[m["village"]].name if m["village"] in ctx.units else m["village"]
    m["invitees_zh"] = [rules.ROLES[r] for r in m["invitees"]] + m["invitee_names"]
    m["announced_via_zh"] = [rules.ANNOUNCE_CHANNELS[a] for a in m["announced_via"]]
    m["topics"] = [{"case_id": t["case_id"], "title": t["title"], "outcome": t["outcome"],
                    "resolution": t["resolution"], "status": t["status"]} for t in agenda(ctx, meeting_id)]
    return m


def list_meetings(ctx: MethodContext, *, unit: str | None = None, period: str | None = None) -> list[dict]:
    """Meetings of ``unit``'s subtree scheduled in ``period`` (both optional), by time, each
    as :func:`show_meeting` gives it."""
    where, params = ctx.scope(unit, period, unit_cols=("village",), ts_cols=("scheduled_ts",))
    sql = "select id from xiangkai_meetings" + (" where " + " and ".join(where) if where else "") + " order by scheduled_ts, seq"
    return [show_meeting(ctx, r["id"]) for r in ctx.db.query(sql, params)]


def hold_meeting(ctx: MethodContext, meeting_id: str, *, resolutions: dict[str, str], deferred=(),
                 attended: int | None = None, rainy: bool | None = None) -> dict:
    """Hold a planned meeting at ``ctx.now`` (一事一议, L252): every agenda topic is either
    settled with a resolution (``resolutions[case_id]``) or deferred. Refusal if the meeting
    was held already or ``now`` is before its scheduled time; CountyError when a topic is
    missing, repeated or not on the agenda. Settled topics get a ``settled_at_meeting`` event
    (status ``in_progress``); deferred ones ``deferred_at_meeting`` and stay on the topic tier.
    Returns the meeting as :func:`show_meeting` gives it."""
    m = meeting_row(ctx.db, meeting_id)
    if m is None:
        raise NotFound(f"unknown meeting {meeting_id!r} (see `county xiangkai meeting list`)")
    if m["status"] != "planned":
        raise Refusal(f"meeting {meeting_id} is {m['status']}; it cannot be held again")
    now = ctx.now
    if now.timestamp() < m["scheduled_ts"]:
        raise Refusal(f"meeting {meeting_id} is scheduled for {m['scheduled_at']}; hold it at or after that time (--now)")
    items = agenda(ctx, meeting_id)
    ids = [t["case_id"] for t in items]
    deferred = list(deferred)
    for cid in list(resolutions) + deferred:
        if cid not in ids:
            raise CountyError(f"--resolution/--defer {cid}: not on the agenda of {meeting_id} ({', '.join(ids) or 'empty'})")
    both = set(resolutions) & set(deferred)
    if both:
        raise CountyError(f"--defer {min(both)}: also given a --resolution")
    missing = [cid for cid in ids if cid not in resolutions and cid not in deferred]
    if missing:
        raise CountyError(f"meeting hold {meeting_id}: give --resolution CASE=TEXT or --defer CASE for {', '.join(missing)} (一事一议)")
    for cid, text in resolutions.items():
        if not (text or "").strip():
            raise CountyError(f"--resolution {cid}=: the resolution text is empty")
    for t in items:
        if t["status"] not in ("registered", "assigned", "in_progress", "escalated"):
            raise Refusal(f"case {t['case_id']} is {t['status']}; take it off the agenda before holding {meeting_id}")
    if attended is not None and attended < 0:
        raise CountyError(f"--attended {attended}: must not be negative")
    with ctx.transaction():
        values = {"status": "held", "held_at": iso(now), "held_ts": now.timestamp(), "attended": attended}
        if rainy is not None:
            values["rainy"] = int(rainy)
        ctx.db.update("xiangkai_meetings", meeting_id, values)
        label = rules.MEETING_TYPES[m["type"]]
        for cid in ids:
            if cid in resolutions:
                text = resolutions[cid].strip()
                ctx.db.update("xiangkai_meeting_topics", (meeting_id, cid), {"outcome": "settled", "resolution": text})
                ctx.actions.record_event(cid, "settled_at_meeting", note=f"{meeting_id}（{label}）议定：{text}",
                                         data={"meeting": meeting_id, "resolution": text},
                                         extra={"meeting_id": meeting_id, "resolution": text}, status="in_progress")
            else:
                ctx.db.update("xiangkai_meeting_topics", (meeting_id, cid), {"outcome": "deferred"})
                ctx.actions.record_event(cid, "deferred_at_meeting", note=f"{meeting_id}（{label}）未议定，另行研究",
                                         data={"meeting": meeting_id})
    return show_meeting(ctx, meeting_id)


def cancel_meeting(ctx: MethodContext, meeting_id: str, *, reason: str) -> dict:
    """Cancel a planned meeting (e.g. rescheduled for rain or the busy season): its topics are
    freed for another meeting (an ``unscheduled`` event each). Refusal when it was held.
    Returns the meeting as :func:`show_meeting` gives it."""
    m = meeting_row(ctx.db, meeting_id)
    if m is None:
        raise NotFound(f"unknown meeting {meeting_id!r} (see `county xiangkai meeting list`)")
    if m["status"] != "planned":
        raise Refusal(f"meeting {meeting_id} is {m['status']}; only a planned meeting can be cancelled")
    if not (reason or "").strip():
        raise CountyError("--reason: say why the meeting is cancelled")
    with ctx.transaction():
        ctx.db.update("xiangkai_meetings", meeting_id, {"status": "cancelled"})
        for t in agenda(ctx, meeting_id):
            ctx.actions.record_event(t["case_id"], "unscheduled", note=f"乡会 {meeting_id} 取消：{reason.strip()}",
                                     data={"meeting": meeting_id})
    return show_meeting(ctx, meeting_id)


# -- supervision notices (督办通知书, 三定, L253) -------------------------------------------------
def issue_notice(ctx: MethodContext, case_id: str, *, responsible: str, standard: str, due: str | None = None,
                 within_days: int | None = None, within_working_days: int | None = None) -> dict:
    """Issue the supervision notice of a topic settled at a held meeting (L253): 定责任人
    (``responsible``, a person id; becomes the handler), 定完成时限 (the due instant, see
    :func:`rules.due_from_spec`; becomes the case's ``due_at`` through the deadline hook, a
    ``flag`` milestone the sweep marks overdue), 定质量标准 (``standard``, text).

    The case moves to the ``supervised`` tier (``ctx.actions.escalate(..., to_level="supervised")``),
    then a ``supervision_notice`` event sets its status to ``in_progress``. Refusal when the
    topic was not settled at a held meeting or already has a notice. Returns the notice dict
    (:func:`show_notice`).
    """
    case = _topic(ctx, case_id)
    person = ctx.person(responsible)
    if not (standard or "").strip():
        raise CountyError("--standard: the notice needs a quality standard (定质量标准)")
    existing = notice_for(ctx.db, case_id)
    if existing:
        raise Refusal(f"case {case_id} already has supervision notice {existing['number']}")
    waived = waiver_for(ctx.db, case_id)
    if waived:
        raise Refusal(f"case {case_id} has a recorded reason for no supervision notice: {waived['reason']}")
    if not case.is_open:
        raise Refusal(f"case {case_id} is {case.status}; cannot issue a notice for it")
    settled = ctx.db.query(
        "select t.meeting_id from xiangkai_meeting_topics t join xiangkai_meetings m on m.id = t.meeting_id "
        "where t.case_id = ? and t.outcome = 'settled' and m.status = 'held' order by m.held_ts desc", [case_id])
    if not settled:
        raise Refusal(f"case {case_id} was not settled at a held meeting; hold the meeting first "
                      f"(凡是经“乡会村开”研究过的事项，一律下发督办通知书, L253)")
    spec = rules.due_spec(due, within_days, within_working_days)
    now = ctx.now
    due_at = rules.due_from_spec(ctx.calendar, spec, now)
    if due_at <= now:
        raise CountyError(f"--due {spec}: {due_at.isoformat()} is not after now ({now.isoformat()})")
    with ctx.transaction():
        seq = next_seq(ctx.db, "xiangkai_notices")
        nid = f"N-{seq:04d}"
        number = f"{ctx.deployment_name}乡会村开督办〔{now.year}〕{seq}号"
        ctx.db.insert("xiangkai_notices", {
            "id": nid, "seq": seq, "number": number, "case_id": case_id, "meeting_id": settled[0]["meeting_id"],
            "responsible": person.id, "quality_standard": standard.strip(), "due_spec": spec, "due_at": None,
            "due_ts": None, "issued_at": iso(now), "issued_ts": now.timestamp(),
        }, pk="id")
        moved = ctx.actions.escalate(case_id, f"督办通知书 {number}：转入督办", to_level="supervised")
        ctx.db.update("xiangkai_notices", nid, {"due_at": iso(moved.due_at), "due_ts": moved.due_at.timestamp()})
        ctx.actions.record_event(
            case_id, "supervision_notice",
            note=f"{number}：责任人 {person.name}，完成时限 {moved.due_at.isoformat()}，质量标准 {standard.strip()}",
            data={"notice": nid, "number": number, "responsible": person.id,
                  "due_at": iso(moved.due_at), "quality_standard": standard.strip()},
            extra={"notice_no": number, "responsible_person": person.id,
                   "completion_due_at": iso(moved.due_at), "quality_standard": standard.strip()},
            status="in_progress")
    return show_notice(ctx, case_id)


def show_notice(ctx: MethodContext, case_id: str) -> dict:
    """The notice of ``case_id`` (its ``xiangkai_notices`` row) with the case's ``title``,
    ``status``, ``unit`` and ``resolved_at`` (ISO or None), the ``responsible_name``, the
    number of ``callbacks`` and the ``state`` at ``ctx.now`` (code of
    :func:`rules.notice_state_code`, ``state_zh`` its Chinese). NotFound when the case has no
    notice."""
    n = notice_for(ctx.db, case_id)
    if n is None:
        raise NotFound(f"case {case_id} has no supervision notice (see `county xiangkai notice list`)")
    case = ctx.cases.get(case_id, events=False)
    p = ctx.people.get(n["responsible"])
    n = dict(n)
    due = dt.datetime.fromisoformat(n["due_at"]) if n["due_at"] else None
    state = rules.notice_state_code(case.status, case.resolved_at, due, ctx.now)
    n.update({"title": case.title, "status": case.status, "unit": case.unit,
              "responsible_name": p.name if p else n["responsible"],
              "resolved_at": iso(case.resolved_at),
              "callbacks": callbacks_of(ctx.db, case_id),
              "state": state, "state_zh": rules.NOTICE_STATE_ZH[state]})
    return n


def list_notices(ctx: MethodContext, *, unit: str | None = None, period: str | None = None) -> list[dict]:
    """Notices issued in ``period`` for meetings in ``unit``'s subtree (both optional), by
    number, each as :func:`show_notice` gives it."""
    where, params = ctx.scope(unit, period, unit_cols=("m.village",), ts_cols=("n.issued_ts",))
    sql = ("select n.case_id from xiangkai_notices n join xiangkai_meetings m on m.id = n.meeting_id"
           + (" where " + " and ".join(where) if where else "") + " order by n.seq")
    return [show_notice(ctx, r["case_id"]) for r in ctx.db.query(sql, params)]


def callback(ctx: MethodContext, case_id: str, *, note: str, visitor: str | None = None,
             satisfaction: str | None = None) -> dict:
    """Record a callback visit (回访, L253) on a supervised topic at ``ctx.now``.

    ``visitor``: a person id (optional); ``satisfaction``: satisfied / basically /
    unsatisfied (optional) — when the case is resolved it is also the requester's
    confirmation (``ctx.actions.confirm``). Refusal when the topic has no supervision notice.
    Returns the callback row with ``case_status``, the case's status after it."""
    case = _topic(ctx, case_id)
    if not (note or "").strip():
        raise CountyError("--note: what the callback found (落实情况、意见)")
    if satisfaction is not None and satisfaction not in SATISFACTION:
        raise CountyError(f"--satisfaction {satisfaction}: use {', '.join(SATISFACTION)}")
    if visitor:
        ctx.person(visitor)
    if notice_for(ctx.db, case_id) is None:
        raise Refusal(f"case {case_id} has no supervision notice; callbacks follow up supervised topics (L253)")
    now = ctx.now
    with ctx.transaction():
        cid = ctx.db.insert("xiangkai_callbacks", {"case_id": case_id, "at": iso(now), "ts": now.timestamp(),
                                                   "visitor": visitor, "note": note.strip(),
                                                   "satisfaction": satisfaction}, pk="id")
        ctx.actions.record_event(case_id, "callback", note=f"回访：{note.strip()}",
                                 data={"callback": cid, "visitor": visitor, "satisfaction": satisfaction})
        if satisfaction and case.status == "resolved":
            ctx.actions.confirm(case_id, satisfaction, note=f"回访确认：{note.strip()}")
    out = ctx.db.query("select * from xiangkai_callbacks where id = ?", [cid])[0]
    out["case_status"] = ctx.cases.get(case_id, events=False).status
    return out


# -- the monthly plan (按月、按村、按项目安排主题, L246) ---------------------------------------------
def year_month(value: str) -> tuple[int, int]:
    """``YYYY-MM`` → ``(year, month)``; CountyError naming MONTH otherwise."""
    try:
        if len(value.strip()) != 7:
            raise CountyError(value)
        start, _ = period_dates(value)
    except CountyError:
        raise CountyError(f"MONTH {value}: not a month (give YYYY-MM, e.g. 2026-11)") from None
    return start.year, start.month


def set_month(ctx: MethodContext, month: str, *, theme: str, villages=()) -> dict:
    """Set the plan of one month (``YYYY-MM``): its theme (月月有主题) and the villages to visit
    (unit codes; replaces the month's village list when ``villages`` are given). Returns
    ``{year, month, theme, villages}``."""
    year, mon = year_month(month)
    if not (theme or "").strip():
        raise CountyError("--theme: every month needs a theme (月月有主题)")
    codes = [_village(ctx, v).code for v in villages]
    with ctx.transaction():
        ctx.db.upsert("xiangkai_plan", {"year": year, "month": mon, "theme": theme.strip()}, pk=("year", "month"))
        if codes:
            ctx.db.execute("delete from xiangkai_plan_villages where year = ? and month = ?", [year, mon])
            for c in codes:
                ctx.db.upsert("xiangkai_plan_villages", {"year": year, "month": mon, "village": c},
                              pk=("year", "month", "village"))
    return {"year": year, "month": mon, "theme": theme.strip(),
            "villages": [r["village"] for r in ctx.db.query(
                "select village from xiangkai_plan_villages where year = ? and month = ? order by village", [year, mon])]}


def check_plan(ctx: MethodContext, year: int, unit: str | None = None) -> dict:
    """The year's plan check (L246): every month has a theme (月月有主题) and every village
    (units of the ``village_levels`` setting in ``unit``'s subtree) has at least one meeting
    arranged that year (确保每村每年安排一次以上乡会) — listed in a month's plan or with a
    meeting (planned or held, not cancelled) scheduled in the year. Returns the report; ``ok`` is False
    when a month lacks a theme or a village has no meeting."""
    if not (1900 <= year <= 2999):
        raise CountyError(f"--year {year}: not a year")
    levels = ctx.settings["village_levels"]
    scope = ctx.subtree(ctx.unit(unit).code) if unit else list(ctx.units)
    villages = sorted(c for c in scope if ctx.units[c].level in levels)
    start, end = ctx.calendar.period_bounds(str(year))
    months = []
    themes = {r["month"]: r["theme"] for r in ctx.db.query("select month, theme from xiangkai_plan where year = ?", [year])}
    planned: dict[str, list[int]] = {}
    for r in ctx.db.query("select month, village from xiangkai_plan_villages where year = ? order by month", [year]):
        planned.setdefault(r["village"], []).append(r["month"])
    meetings: dict[str, list[str]] = {}
    for r in ctx.db.query("select id, village from xiangkai_meetings where scheduled_ts >= ? and scheduled_ts < ? "
                          "and status != 'cancelled' order by scheduled_ts", [start.timestamp(), end.timestamp()]):
        meetings.setdefault(r["village"], []).append(r["id"])
    for mon in range(1, 13):
        months.append({"month": mon, "theme": themes.get(mon),
                       "villages": sorted(v for v, ms in planned.items() if mon in ms and v in villages)})
    rows = [{"village": v, "name": ctx.units[v].name, "planned_months": planned.get(v, []),
             "meetings": meetings.get(v, [])} for v in villages]
    zero = [r["village"] for r in rows if not r["planned_months"] and not r["meetings"]]
    no_theme = [m["month"] for m in months if not m["theme"]]
    return {"year": year, "unit": unit, "ok": not zero and not no_theme, "villages": rows,
            "villages_without_meeting": zero, "months_without_theme": no_theme, "months": months}


# -- ratings (满意度评议, L262) ---------------------------------------------------------------------
def record_rating(ctx: MethodContext, *, unit: str, subject: str, satisfied: int, basically: int, unsatisfied: int,
                  period: str, note: str | None = None) -> dict:
    """Record one satisfaction evaluation (评议) of ``subject`` (party_org 村乡党组织,
    villager_committee 村民委员会, township_leadership 乡镇班子) in ``unit`` for ``period``
    (``2026``, ``2026Q4``, ``2026-12``): counts of 满意 / 基本满意 / 不满意 votes.
    Rate = (satisfied + basically) / all votes. Returns the row with ``rate`` and the
    casebook ``reference`` (90% / 86% / 95%, Jingning 2011, L262)."""
    if subject not in rules.RATING_SUBJECTS:
        raise CountyError(f"--subject {subject}: use one of {', '.join(rules.RATING_SUBJECTS)}")
    label, levels, ref = rules.RATING_SUBJECTS[subject]
    u = ctx.unit(unit)
    if u.level not in levels:
        raise CountyError(f"--unit {unit}: {label} is rated at a {' or '.join(levels)}, not a {u.level}")
    for name, n in (("--satisfied", satisfied), ("--basically", basically), ("--unsatisfied", unsatisfied)):
        if n < 0:
            raise CountyError(f"{name} {n}: must not be negative")
    if satisfied + basically + unsatisfied == 0:
        raise CountyError("rating: no votes (give --satisfied/--basically/--unsatisfied counts)")
    start, end = ctx.calendar.period_bounds(period)
    with ctx.transaction():
        rid = ctx.db.insert("xiangkai_ratings", {
            "unit": u.code, "subject": subject, "period": period, "start_ts": start.timestamp(), "end_ts": end.timestamp(),
            "satisfied": satisfied, "basically": basically, "unsatisfied": unsatisfied, "note": note,
            "recorded_at": iso(ctx.now)}, pk="id")
    row = ctx.db.query("select * from xiangkai_ratings where id = ?", [rid])[0]
    total = satisfied + basically + unsatisfied
    row.update({"label": label, "rate": (satisfied + basically) / total, "reference": ref})
    return row
