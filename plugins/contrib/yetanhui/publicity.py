"""Boards (L172, L176): each village's talk notice board (会前预告：会议时间、议题) and the
township's "一单三簿" — the problem-handling result report form (问题办理结果报告单), the
meeting minutes book (会议记录簿), the problem-resolution public-notice book (问题解决公示簿)
and the inspection record book (督查记录簿).

Rows are raw: the kernel masks requesters by ``case_id`` before any renderer sees them.
"""

from __future__ import annotations

from framework import STATUS_ZH, Board, BoardSection
from plugins.contrib.yetanhui import rules, talks

NOTICE_COLUMNS = [("talk", "会次"), ("time", "时间"), ("kind", "类别"), ("format", "形式"), ("topics", "议题"),
                  ("notice", "告知（提前三天）"), ("status", "状态")]
REPORT_COLUMNS = [("case_id", "编号"), ("village", "村"), ("title", "问题"), ("handler", "承办人"),
                  ("tier", "办理层级"), ("due_on", "办理时限"), ("reported_on", "报告日期"), ("result", "办理结果"),
                  ("on_time", "按期"), ("feedback", "反馈方式")]
MINUTES_COLUMNS = [("talk", "会次"), ("village", "村"), ("time", "时间"), ("format", "形式"), ("topics", "议题"),
                   ("chair", "主持人"), ("contact", "包村干部"), ("leader", "联系村班子成员"),
                   ("attendance", "参会（普通群众占比）"),
                   ("notice", "会前告知"), ("minutes", "会议记录")]
MATTER_COLUMNS = [("case_id", "编号"), ("village", "村"), ("talk", "会次"), ("title", "问题"), ("requester", "提出人"),
                  ("outcome", "处理方式"), ("handler", "承办人"), ("due_on", "时限"), ("status", "办理情况")]
INSPECTION_COLUMNS = [("date", "日期"), ("village", "村"), ("object", "督查对象"), ("finding", "督查结果"),
                      ("note", "情况")]
TIER_ZH = {"agenda": "列入夜谈会议题", "village": "村（承诺办理）", "township": "乡镇（待集中研究）", "township_reply": "乡镇（集中研究后答复）"}
STATUS_TALK = {"scheduled": "待召开", "held": "已召开", "cancelled": "已取消"}


def _day(text: str | None) -> str | None:
    return text[:10] if text else None


def _name(ctx, pid: str | None) -> str | None:
    if not pid:
        return None
    p = ctx.people.get(pid)
    return p.name if p else pid


def notice_rows(ctx, rows: list[dict]) -> list[dict]:
    """The notice board's rows for talk rows (会前预告, L172/L176)."""
    out = []
    for t in rows:
        notice = "未告知"
        if t["notice_at"]:
            notice = f"{_day(t['notice_at'])} {rules.NOTICE_CHANNELS.get(t['notice_channel'], t['notice_channel'])}"
            if not talks.notice_on_time(t):
                notice += "（逾期）"
        out.append({"talk": t["id"], "time": t["scheduled_at"][:16].replace("T", " "),
                    "kind": rules.KINDS.get(t["kind"]), "format": rules.FORMATS.get(t["format"]),
                    "topics": "；".join(t["topics"]), "notice": notice, "status": STATUS_TALK[t["status"]]})
    return out


def minutes_rows(ctx, rows: list[dict]) -> list[dict]:
    """The minutes book's rows for held talks (会议记录簿, L176)."""
    out = []
    for t in rows:
        share = t["ordinary"] / t["attendees"] if t["attendees"] else 0.0
        attendance = f"{t['attendees']}人（普通群众{t['ordinary']}人，{share:.0%}）"
        if t["share_reason"]:
            attendance += f"；不足40%：{t['share_reason']}"
        contact = _name(ctx, t["contact_cadre"]) + (f"（缺席：{t['contact_absent']}）" if t["contact_absent"] else "")
        leader = (_name(ctx, t["leader"]) or "") + (f"（缺席：{t['leader_absent']}）" if t["leader_absent"] else "")
        notice = (_day(t["notice_at"]) or "未告知") + ("" if talks.notice_on_time(t) else "（未提前三天）")
        out.append({"talk": t["id"], "village": ctx.units[t["village"]].name,
                    "time": t["scheduled_at"][:16].replace("T", " "), "format": rules.FORMATS.get(t["format"]),
                    "topics": "；".join(t["topics"]), "chair": _name(ctx, t["chair"]), "contact": contact, "leader": leader or None,
                    "attendance": attendance, "notice": notice, "minutes": t["minutes"]})
    return out


def books(ctx, unit, period: str, villages: list[str]) -> list[BoardSection]:
    """The four sections of 一单三簿 for ``villages`` and ``period`` (L176)."""
    name = {v: ctx.units[v].name for v in villages}
    vset = set(villages)
    where, params = ctx.scope(None, period, ts_cols=("reported_ts",))
    reports = {r["case_id"]: r for r in ctx.db.query(
        "select * from yetanhui_reports" + (" where " + " and ".join(where) if where else ""), params)
        if r["village"] in vset}
    spot = [c for c in ctx.cases.find(method=rules.METHOD, unit=unit.code, resolved=period)
            if c.extra.get("outcome") == "spot" and c.origin_unit in vset]
    cases = ctx.cases.get_many(list(reports))
    report_rows = []
    for cid, r in sorted(reports.items(), key=lambda kv: kv[1]["reported_ts"]):
        c = cases[cid]
        report_rows.append({"case_id": cid, "village": name[r["village"]], "title": c.title,
                            "handler": _name(ctx, c.handler), "tier": TIER_ZH.get(r["level"], r["level"]),
                            "due_on": c.extra.get("reply_due_at", c.extra.get("promised_due_at", ""))[:10] or None,
                            "reported_on": _day(r["reported_at"]), "result": r["result"],
                            "on_time": {1: "是", 0: "否"}.get(r["on_time"], "—"),
                            "feedback": rules.FEEDBACK.get(r["feedback"], r["feedback"])})
    for c in spot:
        report_rows.append({"case_id": c.id, "village": name[c.origin_unit], "title": c.title, "handler": None,
                            "tier": "当场解决", "due_on": None, "reported_on": c.resolved_at.date().isoformat(),
                            "result": c.extra.get("answer"), "on_time": "是", "feedback": "夜谈会现场答复"})
    held = [t for t in talks.list_talks(ctx, unit.code, period) if t["status"] == "held" and t["village"] in vset]
    matter_rows = []
    start, end = ctx.calendar.period_bounds(period)
    shown = {c.id: c for c in ctx.cases.find(method=rules.METHOD, unit=unit.code, active=period)}
    shown.update({c.id: c for c in ctx.cases.find(method=rules.METHOD, unit=unit.code, open=True, created=(None, end))
                  if c.id not in shown})
    for c in sorted(shown.values(), key=lambda c: c.id):
        if c.origin_unit not in vset:
            continue
        matter_rows.append({"case_id": c.id, "village": name[c.origin_unit], "talk": c.extra.get("talk"),
                            "title": c.title, "requester": c.requester.name,
                            "outcome": rules.OUTCOMES.get(c.extra.get("outcome")), "handler": _name(ctx, c.handler),
                            "due_on": c.due_at.date().isoformat() if c.due_at else None,
                            "status": STATUS_ZH.get(c.status, c.status)})
    return [BoardSection("问题办理结果报告单", REPORT_COLUMNS, report_rows),
            BoardSection("会议记录簿", MINUTES_COLUMNS, minutes_rows(ctx, held)),
            BoardSection("问题解决公示簿", MATTER_COLUMNS, matter_rows),
            BoardSection("督查记录簿", INSPECTION_COLUMNS, inspection_rows(ctx, unit, period, vset, name))]


def inspection_rows(ctx, unit, period: str, vset: set, name: dict) -> list[dict]:
    """The inspection record book (督查记录簿, L176): the period's inspections and the sweep's
    督办 of the villages' matters (a promise or reply missed), by date."""
    where, params = ctx.scope(unit.code, period, unit_cols=("village",), ts_cols=("ts",))
    rows = []
    for r in ctx.db.query("select * from yetanhui_inspections where " + " and ".join(where) + " order by ts, id",
                          params):
        if r["village"] not in vset:
            continue
        obj = f"第{r['talk_id']}次夜谈会" if r["talk_id"] else (r["case_id"] or "夜谈会制度执行")
        rows.append((r["ts"], {"date": _day(r["at"]), "village": name[r["village"]], "object": obj,
                               "finding": rules.FINDINGS[r["finding"]], "note": r["note"], "case_id": r["case_id"]}))
    for e in ctx.events.find("overdue", at=period, method=rules.METHOD, unit=unit.code):
        c = ctx.cases.get_many([e.case_id]).get(e.case_id)
        if c is None or c.origin_unit not in vset:
            continue
        what = {"promise": "承诺时间已过未办结", "reply": "集中研究后10天内未答复", "study": "乡镇未按期集中研究",
                "notice": "议题未提前三天告知群众", "talk": "夜谈会当日未研究答复"}
        rows.append((e.at.timestamp(), {"date": e.at.date().isoformat(), "village": name[c.origin_unit],
                                        "object": e.case_id, "finding": "督办",
                                        "note": what.get(e.data.get("milestone"), "逾期"), "case_id": e.case_id}))
    return [r for _, r in sorted(rows, key=lambda x: x[0])]


def publicity(ctx, unit, period: str) -> list[Board]:
    """Boards for ``unit`` and ``period``: a notice board per village of the subtree with talks
    scheduled in the period, and the 一单三簿 board — of the village when a village is asked,
    else one per township of the subtree — when it has rows. Nothing where no talk or matter
    happened."""
    villages = [c for c in ctx.subtree(unit.code) if ctx.units[c].level == "village" and ctx.takes_part(c)]
    if unit.level == "village":
        villages = [unit.code]
    boards = []
    by_village: dict[str, list] = {}
    for t in talks.list_talks(ctx, unit.code, period):
        by_village.setdefault(t["village"], []).append(t)
    for v in sorted(villages):
        if by_village.get(v):
            boards.append(Board(rules.METHOD, f"{ctx.units[v].name}干群夜谈会预告（{period}）", v, period,
                                [BoardSection("会前预告：会议时间、议题", NOTICE_COLUMNS,
                                              notice_rows(ctx, by_village.get(v, [])))],
                                notes=["各村提前三天将议题用广播、板报、公开栏等形式告知群众。"
                                       "无论什么事，群众都可以说；无论多难听的话，干部都要听；"
                                       "无论多难解决的问题，都要认真研究解决或给予明确答复。"]))
    if unit.level == "village":
        groups = {unit.code: [unit.code]}
    else:
        groups = {}
        for v in villages:
            t = ctx.ancestor(v, "township")
            groups.setdefault(t.code if t else unit.code, []).append(v)
    for code, vs in sorted(groups.items()):
        sections = books(ctx, unit if unit.level == "village" else ctx.unit(code), period, vs)
        if any(s.rows for s in sections):
            boards.append(Board(rules.METHOD, f"{ctx.units[code].name}干群夜谈会“一单三簿”（{period}）", code, period,
                                sections, notes=["问题办理结果报告单、会议记录簿、问题解决公示簿、督查记录簿。"]))
    return boards

