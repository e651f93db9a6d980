"""Publicity of 乡会村开 (会前公布 / 会后公布, casebook: Jingning L252, L253): the meeting-notice
board and the resolutions-and-supervision board, from the plugin's tables and the topics'
cases (read through ``ctx.cases``).

Boards carry RAW rows; every row that is a topic carries ``case_id`` so that the kernel masks
the requester's personal data in it (conventions §3).
"""

from __future__ import annotations

import datetime as dt

from framework import Board, BoardSection, MethodContext, Unit
from plugins.xiangkai import rules
from plugins.xiangkai.tables import agenda, callbacks_of, decode_meeting, with_cases


def _supervision(r: dict) -> str:
    """What became of a topic after the meeting (L253): its notice's number, the recorded
    reason for none, 待下发督办通知书 — or nothing for a deferred topic."""
    if r["outcome"] != "settled":
        return ""
    if r["notice"]:
        return r["notice"]
    if r["reason"]:
        return f"不下发督办通知书：{r['reason']}"
    return "待下发督办通知书"


def publicity(ctx: MethodContext, unit: Unit, period: str) -> list[Board]:
    """Two boards for ``unit``'s subtree and ``period`` (``2026-11``, ``2026Q4``, ``2026``):

    * 会议预告 — meetings (not cancelled) scheduled in the period, by the meeting's village:
      time, place, type, invitees, how announced and one row per topic (``case_id``, title),
      the notice published before the meeting (L252);
    * 议定事项与督办 — for meetings held in the period, each topic's outcome, resolution and
      supervision (notice number, the reason for none, or 待下发督办通知书); and
      the supervision notices issued in the period for meetings in the subtree, with the three
      fixes, their state at ``ctx.now`` (:func:`rules.notice_state`) and callbacks (L253).

    Returns [] when the subtree has no meeting and no notice in the period."""
    codes = ctx.subtree(unit.code)
    start, end = ctx.calendar.period_bounds(period)
    span = [start.timestamp(), end.timestamp()]
    in_codes = ctx.db.placeholders(codes)

    def name(code: str) -> str:
        return ctx.units[code].name if code in ctx.units else code

    meetings = ctx.db.query(
        f"select * from xiangkai_meetings where village in ({in_codes}) and scheduled_ts >= ? and scheduled_ts < ? "
        f"and status != 'cancelled' order by scheduled_ts, seq", [*codes, *span])
    notice_rows = []
    for m in meetings:
        md = decode_meeting(m)
        base = {"meeting": md["id"], "village": name(md["village"]), "type": rules.MEETING_TYPES[md["type"]],
                "time": rules.minutes(md["scheduled_at"]), "place": md["place"],
                "invitees": "、".join([rules.ROLES[r] for r in md["invitees"]] + md["invitee_names"]),
                "announced_via": "、".join(rules.ANNOUNCE_CHANNELS[a] for a in md["announced_via"])}
        topics = agenda(ctx, md["id"])
        if not topics:
            notice_rows.append({**base, "case_id": None, "topic": "（主题：" + (md["title"] or "未定") + "）"})
        for t in topics:
            notice_rows.append({**base, "case_id": t["case_id"], "topic": t["title"]})

    held = with_cases(ctx, ctx.db.query(
        f"select m.id, m.held_at, m.type, t.case_id, t.outcome, t.resolution, n.number as notice, w.reason "
        f"from xiangkai_meetings m join xiangkai_meeting_topics t on t.meeting_id = m.id "
        f"left join xiangkai_notices n on n.case_id = t.case_id "
        f"left join xiangkai_notice_waivers w on w.case_id = t.case_id "
        f"where m.village in ({in_codes}) and m.status = 'held' and m.held_ts >= ? and m.held_ts < ? "
        f"order by m.held_ts, m.seq, t.position", [*codes, *span]))
    result_rows = [{"meeting": r["id"], "held_at": rules.minutes(r["held_at"]), "type": rules.MEETING_TYPES[r["type"]],
                    "case_id": r["case_id"], "topic": r["title"],
                    "outcome": rules.OUTCOME_ZH.get(r["outcome"], r["outcome"]), "resolution": r["resolution"] or "",
                    "supervision": _supervision(r)}
                   for r in held]

    notices = with_cases(ctx, ctx.db.query(
        f"select n.* from xiangkai_notices n join xiangkai_meetings m on m.id = n.meeting_id "
        f"where m.village in ({in_codes}) and n.issued_ts >= ? and n.issued_ts < ? order by n.seq", [*codes, *span]))
    notice_board_rows = []
    for n in notices:
        p = ctx.people.get(n["responsible"])
        due = dt.datetime.fromisoformat(n["due_at"]) if n["due_at"] else None
        notice_board_rows.append({
            "number": n["number"], "case_id": n["case_id"], "topic": n["title"],
            "responsible": p.name if p else n["responsible"], "due_at": n["due_at"],
            "standard": n["quality_standard"], "state": rules.notice_state(n["status"], n["resolved_at"], due, ctx.now),
            "callbacks": callbacks_of(ctx.db, n["case_id"])})
    if not notice_rows and not result_rows and not notice_board_rows:
        return []
    return [
        Board("xiangkai", f"{unit.name} 乡会村开 会议预告（{period}）", unit.code, period, [
            BoardSection("会前公布：会议时间、地点和议题", [
                ("meeting", "会议"), ("village", "村"), ("type", "类型"), ("time", "时间"), ("place", "地点"),
                ("invitees", "参会人员"), ("announced_via", "发布方式"), ("case_id", "议题编号"), ("topic", "议题")],
                notice_rows)],
            notes=["会前利用广播、宣传栏、公开栏等方式发布会议时间、地点和议题"]),
        Board("xiangkai", f"{unit.name} 乡会村开 议定事项与督办（{period}）", unit.code, period, [
            BoardSection("会后公布：议定事项", [
                ("meeting", "会议"), ("held_at", "召开时间"), ("type", "类型"), ("case_id", "议题编号"),
                ("topic", "议题"), ("outcome", "结果"), ("resolution", "议定内容"), ("supervision", "督办")],
                result_rows),
            BoardSection("督办通知书（三定：定责任人、定完成时限、定质量标准）", [
                ("number", "通知书编号"), ("case_id", "议题编号"), ("topic", "议题"), ("responsible", "责任人"),
                ("due_at", "完成时限"), ("standard", "质量标准"), ("state", "落实情况"), ("callbacks", "回访次数")],
                notice_board_rows)],
            notes=["凡是经“乡会村开”研究过的事项，一律下发督办通知书，实行“三定”管理；未下发的，记明理由",
                   "组织专门人员开展回访，对问题落实情况定期进行反馈，并进一步征求意见"]),
    ]
