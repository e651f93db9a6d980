"""Publicity, appraisal and duties of 乡会村开, computed from the plugin's tables and the
kernel's ``cases`` table (read only).

Boards carry RAW rows; every row that is a topic carries ``case_id`` so that the kernel masks
the requester's personal data in it (conventions §3).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from framework import Board, BoardSection, Duty, Metric, rate
from plugins.xiangkai import rules
from plugins.xiangkai.tables import agenda, decode_meeting

_DONE = ("resolved", "confirmed", "closed")
_DONE_SQL = "('resolved','confirmed','closed')"
_OUTCOME_ZH = {"settled": "议定", "deferred": "另行研究", None: "待议"}


def _in(codes) -> str:
    return ",".join("?" * len(codes))


def _hm(iso_text: str | None) -> str:
    return dt.datetime.fromisoformat(iso_text).strftime("%Y-%m-%d %H:%M") if iso_text else ""


def notice_state(status: str, resolved_ts: float | None, due_ts: float | None, now_ts: float) -> str:
    """Chinese state of a supervised topic: 按期办结 / 逾期办结 / 逾期未办结 / 办理中."""
    if status in _DONE:
        return "按期办结" if (due_ts is None or (resolved_ts or 0) <= due_ts) else "逾期办结"
    if due_ts is not None and now_ts > due_ts:
        return "逾期未办结"
    return "办理中"


def publicity(ctx, unit, period) -> list[Board]:
    """Two boards for ``unit``'s subtree and ``period`` (L252, L253):

    * 会议预告 — meetings scheduled in the period: time, place, type, invitees and one row per
      topic (``case_id``, title): the notice published before the meeting;
    * 议定事项与督办 — for meetings held in the period, each topic's outcome and resolution;
      and the supervision notices issued in the period with the three fixes and their state.
    Returns [] when the subtree has no meeting and no notice in the period."""
    county, store = ctx.county, ctx.db
    codes = county.subtree(unit.code)
    start, end = ctx.calendar.period_bounds(period)
    span = [start.timestamp(), end.timestamp()]
    name = lambda c: county.units[c].name if c in county.units else c  # noqa: E731
    meetings = store.query(
        f"select * from xiangkai_meetings where village in ({_in(codes)}) and scheduled_ts >= ? and scheduled_ts < ? "
        f"and status != 'cancelled' order by scheduled_ts, seq", [*codes, *span])
    notice_rows = []
    for m in meetings:
        md = decode_meeting(m)
        base = {"meeting": md["id"], "village": name(md["village"]), "type": rules.MEETING_TYPES[md["type"]],
                "time": _hm(md["scheduled_at"]), "place": md["place"],
                "invitees": "、".join([rules.ROLES[r] for r in md["invitees"]] + md["invitee_names"]),
                "announced_via": "、".join(rules.ANNOUNCE_CHANNELS[a] for a in md["announced_via"])}
        topics = agenda(store, md["id"])
        if not topics:
            notice_rows.append({**base, "case_id": None, "topic": "（主题：" + (md["title"] or "未定") + "）"})
        for t in topics:
            notice_rows.append({**base, "case_id": t["case_id"], "topic": t["title"]})
    held = store.query(
        f"select m.id, m.held_at, m.type, t.case_id, t.outcome, t.resolution, c.title from xiangkai_meetings m "
        f"join xiangkai_meeting_topics t on t.meeting_id = m.id join cases c on c.id = t.case_id "
        f"where m.village in ({_in(codes)}) and m.status = 'held' and m.held_ts >= ? and m.held_ts < ? "
        f"order by m.held_ts, m.seq, t.position", [*codes, *span])
    result_rows = [{"meeting": r["id"], "held_at": _hm(r["held_at"]), "type": rules.MEETING_TYPES[r["type"]],
                    "case_id": r["case_id"], "topic": r["title"], "outcome": _OUTCOME_ZH.get(r["outcome"], r["outcome"]),
                    "resolution": r["resolution"] or ""} for r in held]
    now_ts = ctx.now.timestamp()
    notices = store.query(
        f"select n.*, c.title, c.status, c.resolved_ts, c.resolved_at from xiangkai_notices n "
        f"join xiangkai_meetings m on m.id = n.meeting_id join cases c on c.id = n.case_id "
        f"where m.village in ({_in(codes)}) and n.issued_ts >= ? and n.issued_ts < ? order by n.seq", [*codes, *span])
    notice_board_rows = []
    for n in notices:
        p = county.people.get(n["responsible"])
        callbacks = store.db.execute("select count(*) from xiangkai_callbacks where case_id = ?", [n["case_id"]]).fetchone()[0]
        notice_board_rows.append({
            "number": n["number"], "case_id": n["case_id"], "topic": n["title"],
            "responsible": p.name if p else n["responsible"], "due_at": n["due_at"],
            "standard": n["quality_standard"], "state": notice_state(n["status"], n["resolved_ts"], n["due_ts"], now_ts),
            "callbacks": callbacks})
    if not notice_rows and not result_rows and not notice_board_rows:
        return []
    return [
        Board("xiangkai", f"{unit.name} 乡会村开 会议预告（{period}）", unit.code, period, [
            BoardSection("会前公布：会议时间、地点和议题", [
                ("meeting", "会议"), ("village", "村"), ("type", "类型"), ("time", "时间"), ("place", "地点"),
                ("invitees", "参会人员"), ("announced_via", "发布方式"), ("case_id", "议题编号"), ("topic", "议题")],
                notice_rows)],
            notes=["会前利用广播、宣传栏、公开栏等方式发布会议时间、地点和议题（景宁 L252）"]),
        Board("xiangkai", f"{unit.name} 乡会村开 议定事项与督办（{period}）", unit.code, period, [
            BoardSection("会后公布：议定事项", [
                ("meeting", "会议"), ("held_at", "召开时间"), ("type", "类型"), ("case_id", "议题编号"),
                ("topic", "议题"), ("outcome", "结果"), ("resolution", "议定内容")], result_rows),
            BoardSection("督办通知书（三定：定责任人、定完成时限、定质量标准）", [
                ("number", "通知书编号"), ("case_id", "议题编号"), ("topic", "议题"), ("responsible", "责任人"),
                ("due_at", "完成时限"), ("standard", "质量标准"), ("state", "落实情况"), ("callbacks", "回访次数")],
                notice_board_rows)],
            notes=["凡是经“乡会村开”研究过的事项，一律下发督办通知书，实行“三定”管理（景宁 L253）"]),
    ]



def appraisal(ctx, unit, period) -> list[Metric]:
    """Per village, township and the scope's root(s), for ``period`` (casebook: Jingning
    L246, L253, L262). Counts roll up the unit tree.

    * ``topics_collected`` 议题征集数 — xiangkai cases taken in during the period (by the unit
      that took them in);
    * ``meetings_held`` 召开乡会数, ``topics_settled`` 会议议定议题数 — meetings held in the
      period and the topics settled at them (by the meeting's village);
    * ``notices_issued`` 下发督办通知书数 — notices issued in the period;
    * ``notice_on_time_rate`` 督办按期办结率 — of those notices: resolved by the due instant /
      (resolved + open and past due at ``ctx.now``); a notice still open and not yet due counts
      for neither;
    * ``village_coverage`` 乡会覆盖率 — villages with a meeting held in the period / villages;
    * ``rating_<subject>`` 满意度 — (满意 + 基本满意) / votes, over ratings whose period lies
      inside ``period`` (only where votes exist).
    """
    county, store = ctx.county, ctx.db
    levels = set(ctx.settings["village_levels"])
    roots = [unit] if unit else county.roots()
    scope: set[str] = set()
    for r in roots:
        scope.update(county.subtree(r.code))
    subjects = [c for c in sorted(scope) if county.units[c].level in levels or county.units[c].level == "township"]
    subjects += [r.code for r in roots if r.code not in subjects]
    start, end = ctx.calendar.period_bounds(period)
    span = [start.timestamp(), end.timestamp()]
    now_ts = ctx.now.timestamp()
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def add(code, key, n=1.0):
        for c in county.ancestors(code):
            counts[c][key] += n

    for origin, n in store.db.execute(
            "select origin_unit, count(*) from cases where method = 'xiangkai' and created_ts >= ? and created_ts < ? "
            "group by origin_unit", span):
        add(origin, "collected", n)
    for village, n in store.db.execute(
            "select village, count(*) from xiangkai_meetings where status = 'held' and held_ts >= ? and held_ts < ? "
            "group by village", span):
        add(village, "held", n)
        counts[village]["has_meeting"] = 1
    for village, n in store.db.execute(
            "select m.village, count(*) from xiangkai_meeting_topics t join xiangkai_meetings m on m.id = t.meeting_id "
            "where m.status = 'held' and m.held_ts >= ? and m.held_ts < ? and t.outcome = 'settled' group by m.village", span):
        add(village, "settled", n)
    for village, status, resolved_ts, due_ts in store.db.execute(
            "select m.village, c.status, c.resolved_ts, n.due_ts from xiangkai_notices n "
            "join xiangkai_meetings m on m.id = n.meeting_id join cases c on c.id = n.case_id "
            "where n.issued_ts >= ? and n.issued_ts < ?", span):
        add(village, "issued")
        if status in _DONE:
            add(village, "done")
            if due_ts is None or (resolved_ts or 0) <= due_ts:
                add(village, "on_time")
        elif status != "rejected" and due_ts is not None and now_ts > due_ts:
            add(village, "late_open")
    ratings: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for u, subject, s, b, x in store.db.execute(
            "select unit, subject, satisfied, basically, unsatisfied from xiangkai_ratings "
            "where start_ts >= ? and end_ts <= ?", span):
        for c in county.ancestors(u):
            cell = ratings[(c, subject)]
            cell[0] += s + b
            cell[1] += s + b + x

    out: list[Metric] = []
    for code in subjects:
        b = counts.get(code, {})
        kw = dict(method="xiangkai", period=period)
        out.append(Metric("topics_collected", code, value=b.get("collected", 0.0), label="议题征集数", **kw))
        out.append(Metric("meetings_held", code, value=b.get("held", 0.0), label="召开乡会数", **kw))
        out.append(Metric("topics_settled", code, value=b.get("settled", 0.0), label="会议议定议题数", **kw))
        out.append(Metric("notices_issued", code, value=b.get("issued", 0.0), label="下发督办通知书数", **kw))
        out.append(rate("notice_on_time_rate", code, b.get("on_time", 0.0), b.get("done", 0.0) + b.get("late_open", 0.0),
                        label="督办按期办结率", **kw))
        villages = [c for c in county.subtree(code) if county.units[c].level in levels]
        covered = sum(1 for c in villages if counts.get(c, {}).get("has_meeting"))
        out.append(rate("village_coverage", code, covered, len(villages), label="乡会覆盖率（村村有安排）", **kw))
        for subject, (label, _levels, _ref) in rules.RATING_SUBJECTS.items():
            good, total = ratings.get((code, subject), (0.0, 0.0))
            if total:
                out.append(rate(f"rating_{subject}", code, good, total, label=f"{label}满意度", **kw))
    return out


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """Meetings scheduled on ``on_date`` (local) and supervision notices due that day, for
    ``unit``'s subtree (or everywhere). A meeting is done once held; a notice once its topic
    is resolved."""
    county, store = ctx.county, ctx.db
    codes = county.subtree(unit.code) if unit else list(county.units)
    start, end = ctx.calendar.period_bounds(on_date.isoformat())
    span = [start.timestamp(), end.timestamp()]
    out = []
    for m in store.query(f"select * from xiangkai_meetings where village in ({_in(codes)}) and scheduled_ts >= ? "
                         f"and scheduled_ts < ? and status != 'cancelled' order by scheduled_ts", [*codes, *span]):
        out.append(Duty("xiangkai", m["village"], "meeting",
                        f"{rules.MEETING_TYPES[m['type']]} {m['id']} {_hm(m['scheduled_at'])} @ {m['place']}",
                        on_date, m["status"] == "held", m["id"]))
    for n in store.query(f"select n.*, c.status, c.unit from xiangkai_notices n join cases c on c.id = n.case_id "
                         f"where c.unit in ({_in(codes)}) and n.due_ts >= ? and n.due_ts < ? order by n.seq",
                         [*codes, *span]):
        out.append(Duty("xiangkai", n["unit"], "supervision_due", f"督办到期 {n['number']}（{n['case_id']}）",
                        on_date, n["status"] in _DONE, n["case_id"]))
    return out
