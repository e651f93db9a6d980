"""Boards of 三全十服务 (``county_publicity``). The casebook describes no board (methods.md
§2.15 "Publicity: not described"); the original has the contact card with the two committees'
names, posts and numbers (民情联系卡, L359) and party members showing who they are and what they
pledge (亮明身份，作出承诺, L361). So one board per community or village:

* **服务时间** — the staggered hours and the 24-hour duty (L359), as configured;
* **民情联系卡·“两委”班子成员** — the community's two-committee members (L359);
* **民情联系卡·AB岗** — each work line's A and B holder (L359, L371);
* **本期服务事项** — the period's matters: arrival, service type, in or out of hours, the
  instant handling was timed from, the completion limit, who handles it (A/B post, duty…);
* **本月24小时值班安排** — for a month, the duty roster (24小时值班制, L359).

Raw rows with ``case_id``; the kernel masks requesters. No casebook line numbers on boards.
"""

from __future__ import annotations

from framework import STATUS_ZH, Board, BoardSection
from plugins.contrib.sanquan import service
from plugins.contrib.sanquan.rules import CATEGORIES, COMMUNITY_LEVELS, METHOD, ROLES, parse_hours
from plugins.contrib.sanquan.stages import ASSIGNED_AS_ZH

HOURS_COLUMNS = [("days", "日期"), ("hours", "服务时间"), ("form", "工作制")]
POST_COLUMNS = [("line", "条线"), ("a", "A岗"), ("b", "B岗")]
MEMBER_COLUMNS = [("name", "姓名"), ("post", "职务")]
ROSTER_COLUMNS = [("date", "日期"), ("person", "值班人员")]
CASE_COLUMNS = [("case_id", "编号"), ("received", "受理时间"), ("service", "服务类型"), ("title", "事项"),
                ("requester", "服务对象"), ("intake", "受理方式"), ("timed_from", "计时起点"),
                ("due_on", "办结期限"), ("handled_by", "承办"), ("status", "状态")]


def _span(ctx, key: str) -> str:
    a, b = parse_hours(ctx.settings[key], key)
    return f"{a:%H:%M}—{b:%H:%M}"


def _intake_label(extra: dict) -> str:
    if extra.get("in_hours"):
        return "服务时间内受理"
    return "错时以外·值班即办" if extra.get("on_call") else "错时以外·次日开门计时"


def publicity(ctx, unit, period: str, cases) -> list[Board]:
    """One board per community or village in ``unit``'s subtree that has matters in ``period``;
    the community asked for gets its board also without matters when it keeps sanquan records
    (posts, households, roster). Returns a list of Board."""
    comms = [ctx.units[c] for c in ctx.subtree(unit.code) if ctx.units[c].level in COMMUNITY_LEVELS]
    if not comms:
        return []
    hours_rows = [
        {"days": "工作日（含调休上班日）", "hours": _span(ctx, "workday_hours"), "form": "朝八晚九"},
        {"days": "双休日和节假日", "hours": _span(ctx, "restday_hours"), "form": "朝九晚五"},
        {"days": "其余时间", "hours": "24小时值班、民情热线", "form": "随叫随到"},
    ]
    picked = cases()
    boards = []
    for comm in sorted(comms, key=lambda u: u.code):
        rows = []
        for c in picked:
            home = service.community_of(ctx, c.origin_unit)
            if home is None or home.code != comm.code:
                continue
            handler = ctx.people[c.handler].name if c.handler in ctx.people else "—"
            rows.append({
                "case_id": c.id, "received": ctx.calendar.local(c.created_at).strftime("%Y-%m-%d %H:%M"),
                "service": CATEGORIES.get(c.category, c.category or "—"), "title": c.title,
                "requester": c.requester.name, "intake": _intake_label(c.extra),
                "timed_from": (c.extra.get("timed_from") or c.extra.get("service_start") or "")[:16].replace("T", " "),
                "due_on": ctx.calendar.local(c.due_at).date().isoformat() if c.due_at else "—",
                "handled_by": f"{handler}（{ASSIGNED_AS_ZH.get(c.extra.get('assigned_as'), '—')}）",
                "status": STATUS_ZH.get(c.status, c.status)})
        post_rows = [{"line": p["line"], "a": _name(ctx, p["a_person"]), "b": _name(ctx, p["b_person"])}
                     for p in service.posts(ctx, comm.code)]
        if not rows and not (comm.code == unit.code and (post_rows or service.has_records(ctx, comm.code))):
            continue
        members = [{"name": p.name, "post": ROLES["two_committee_member"]}
                   for p in sorted(ctx.people.find(unit=comm.code, role="two_committee_member"), key=lambda p: p.id)]
        sections = [BoardSection("服务时间（错时工作制）", HOURS_COLUMNS, hours_rows),
                    BoardSection("民情联系卡·“两委”班子成员", MEMBER_COLUMNS, members),
                    BoardSection("民情联系卡·AB岗", POST_COLUMNS, post_rows),
                    BoardSection("本期服务事项", CASE_COLUMNS, rows)]
        if len(period) == 7:  # a month: its duty roster
            duty = [{"date": r["date"], "person": _name(ctx, r["person"])}
                    for r in service.roster(ctx, comm.code, period) if r["unit"] == comm.code]
            sections.append(BoardSection("本月24小时值班安排", ROSTER_COLUMNS, duty))
        boards.append(Board(METHOD, f"{comm.name}“三全十服务”公示（{period}）", comm.code, period, sections,
                            notes=["错时以外的事项自下一个服务时间开始计时；应急事项由值班人员随叫随到。"]))
    return boards


def _name(ctx, pid: str | None) -> str:
    return ctx.people[pid].name if pid in ctx.people else (pid or "—")
