"""Follow-up of what a meeting studied (高频高效跟踪督查, casebook: Jingning L253):

    凡是经“乡会村开”研究过的事项，一律下发督办通知书，实行“三定”管理……组织专门人员有针对性地
    开展回访工作，对问题落实情况定期进行反馈，并进一步征求意见。

* **Notice or reason.** A topic *studied* is one settled (议定) at a held meeting; a deferred
  one (另行研究) goes back to the topic tier to be studied again. Every studied topic gets its
  supervision notice (``county xiangkai notice issue``) or, where none is issued, a recorded
  reason (:func:`waive`, ``county xiangkai notice waive``). :func:`check` lists the studied
  topics with neither; the duty ``notice_or_reason`` falls ``notice_due_days`` after the
  meeting's day (:func:`notice_duties`).
* **Return visits on a cadence.** The source says 定期 (regularly) and names no interval: a
  supervised topic is due a return visit every ``callback_every_days`` calendar days counted
  from the local day its notice was issued (D1 = issue day + N, D2 = + 2N, …) for as long as it
  is open, and at the first such day on or after the day it is resolved (the closing visit).
  The duty of Dk is done once a callback was recorded after D(k-1) (for D1: from the issue day)
  and on or before Dk (:func:`callback_duties`).
"""

from __future__ import annotations

import datetime as dt

from framework import DONE_STATUSES, CountyError, Duty, MethodContext, Refusal
from plugins.xiangkai import rules
from plugins.xiangkai.rules import METHOD, iso
from plugins.xiangkai.tables import notice_for, waiver_for, with_cases


def settled_meeting(ctx: MethodContext, case_id: str) -> str | None:
    """The held meeting at which ``case_id`` was last settled, or None (not studied)."""
    rows = ctx.db.query(
        "select t.meeting_id from xiangkai_meeting_topics t join xiangkai_meetings m on m.id = t.meeting_id "
        "where t.case_id = ? and t.outcome = 'settled' and m.status = 'held' order by m.held_ts desc", [case_id])
    return rows[0]["meeting_id"] if rows else None


def waive(ctx: MethodContext, case_id: str, *, reason: str) -> dict:
    """Record why topic ``case_id``, settled at a held meeting, gets no supervision notice
    (e.g. settled on the spot at the meeting). Also on a resolved topic. A ``notice_waived``
    event is appended. Refusal when the topic was not settled at a held meeting, already has
    a notice or a recorded reason. Returns the waiver row."""
    case = ctx.cases.get(case_id, events=False)
    if case.method != METHOD:
        raise CountyError(f"case {case_id} is a {case.method} case, not a xiangkai topic")
    reason = (reason or "").strip()
    if not reason:
        raise CountyError("--reason: say why this topic gets no supervision notice")
    meeting = settled_meeting(ctx, case_id)
    if meeting is None:
        raise Refusal(f"case {case_id} was not settled at a held meeting; only a studied topic needs a notice "
                      f"or a reason (L253)")
    n = notice_for(ctx.db, case_id)
    if n is not None:
        raise Refusal(f"case {case_id} already has supervision notice {n['number']}")
    w = waiver_for(ctx.db, case_id)
    if w is not None:
        raise Refusal(f"case {case_id} already has a recorded reason: {w['reason']}")
    now = ctx.now
    with ctx.transaction():
        ctx.db.insert("xiangkai_notice_waivers", {"case_id": case_id, "meeting_id": meeting, "reason": reason,
                                                  "recorded_at": iso(now), "recorded_ts": now.timestamp(),
                                                  "actor": ctx.actor}, pk="case_id")
        ctx.actions.record_event(case_id, "notice_waived", note=f"不下发督办通知书：{reason}",
                                 data={"meeting": meeting, "reason": reason})
    return waiver_for(ctx.db, case_id)


def studied(ctx: MethodContext, codes: list[str] | None = None, held: tuple[float, float] | None = None) -> list[dict]:
    """Topics settled at held meetings (of villages in ``codes``; held within the Unix-time
    span ``held``), each ``{case_id, title, status, meeting_id, village, held_at, notice, reason}``
    (``notice``: its number or None; ``reason``: the recorded reason or None), by meeting time
    and agenda order. A topic settled at two meetings appears once, with the later one."""
    where, params = ["t.outcome = 'settled'", "m.status = 'held'"], []
    if codes is not None:
        where.append(f"m.village in ({ctx.db.placeholders(codes)})")
        params += codes
    if held is not None:
        where.append("m.held_ts >= ? and m.held_ts < ?")
        params += list(held)
    rows = with_cases(ctx, ctx.db.query(
        "select t.case_id, t.meeting_id, m.village, m.held_at, n.number as notice, w.reason "
        "from xiangkai_meeting_topics t join xiangkai_meetings m on m.id = t.meeting_id "
        "left join xiangkai_notices n on n.case_id = t.case_id "
        "left join xiangkai_notice_waivers w on w.case_id = t.case_id "
        f"where {' and '.join(where)} order by m.held_ts, m.seq, t.position", params))
    last = {r["case_id"]: r for r in rows}
    return [r for r in rows if last[r["case_id"]] is r]


def missing_message(r: dict) -> str:
    """The line naming a studied topic without notice or reason."""
    return (f"{r['case_id']}（{r['meeting_id']}，{rules.minutes(r['held_at'])}议定）"
            f"未下发督办通知书，也未记录不下发的理由")


def check(ctx: MethodContext, unit: str | None = None) -> dict:
    """Every studied topic (meetings in ``unit``'s subtree) with neither a supervision notice
    nor a recorded reason. Returns ``{unit, ok, studied, with_notice, with_reason, missing:
    [{case_id, title, meeting_id, village, held_at, message}]}``."""
    codes = ctx.subtree(ctx.unit(unit).code) if unit else None
    rows = studied(ctx, codes)
    missing = [{"case_id": r["case_id"], "title": r["title"], "meeting_id": r["meeting_id"], "village": r["village"],
                "held_at": r["held_at"], "message": missing_message(r)}
               for r in rows if not r["notice"] and not r["reason"]]
    return {"unit": unit, "ok": not missing, "studied": len(rows), "with_notice": sum(bool(r["notice"]) for r in rows),
            "with_reason": sum(bool(r["reason"]) and not r["notice"] for r in rows), "missing": missing}


def notice_duties(ctx: MethodContext, codes: list[str], on_date: dt.date) -> list[Duty]:
    """``notice_or_reason``: on the day ``notice_due_days`` after a meeting (of a village in
    ``codes``) was held, one duty per topic settled there; done once it has a notice or a
    recorded reason."""
    day = on_date - dt.timedelta(days=int(ctx.settings["notice_due_days"]))
    start, end = ctx.calendar.period_bounds(day.isoformat())
    out = []
    for r in studied(ctx, codes, (start.timestamp(), end.timestamp())):
        out.append(Duty(METHOD, r["village"], "notice_or_reason",
                        f"{r['meeting_id']}议定事项{r['case_id']}：下发督办通知书（定责任人、定完成时限、定质量标准）"
                        f"或记录不下发的理由", on_date, bool(r["notice"] or r["reason"]), r["case_id"]))
    return out


def callback_dates(issued: dt.date, every: int, resolved: dt.date | None, until: dt.date) -> list[dt.date]:
    """The cadence dates D1, D2, … up to ``until``: ``issued + k·every`` while the topic is
    open at D(k-1), i.e. not resolved before D(k-1) (D0 = ``issued``)."""
    out, k = [], 1
    while True:
        d = issued + dt.timedelta(days=k * every)
        if d > until:
            return out
        if resolved is not None and resolved < d - dt.timedelta(days=every):
            return out
        out.append(d)
        k += 1


def callback_duties(ctx: MethodContext, codes: list[str], on_date: dt.date) -> list[Duty]:
    """``callback``: supervised topics held by a unit in ``codes`` whose cadence (see the
    module) falls on ``on_date``; done once a callback was recorded in the window."""
    every = int(ctx.settings["callback_every_days"])
    if every < 1:
        raise CountyError(f"[plugins.xiangkai] callback_every_days = {every}: must be at least 1")
    inside = set(codes)
    _, end = ctx.calendar.period_bounds(on_date.isoformat())
    notices = with_cases(ctx, ctx.db.query("select * from xiangkai_notices where issued_ts < ? order by seq",
                                           [end.timestamp()]))
    out = []
    for n in notices:
        if n["unit"] not in inside:
            continue
        issued = dt.datetime.fromisoformat(n["issued_at"]).date()
        if (on_date - issued).days <= 0 or (on_date - issued).days % every:
            continue
        if n["status"] not in DONE_STATUSES and n["status"] != "rejected":
            resolved = None
        elif n["resolved_at"] is not None:
            resolved = ctx.calendar.local(n["resolved_at"]).date()
        else:
            continue
        if on_date not in callback_dates(issued, every, resolved, on_date):
            continue
        k = (on_date - issued).days // every
        lo = issued if k == 1 else on_date - dt.timedelta(days=every)
        days = [ctx.calendar.local(dt.datetime.fromisoformat(c["at"])).date() for c in
                ctx.db.query("select at from xiangkai_callbacks where case_id = ?", [n["case_id"]])]
        done = any((lo <= d if k == 1 else lo < d) and d <= on_date for d in days)
        out.append(Duty(METHOD, n["unit"], "callback",
                        f"回访{n['case_id']}（{n['number']}，第{k}次，每{every}天）：反馈落实情况，征求意见",
                        on_date, done, n["case_id"]))
    return out
