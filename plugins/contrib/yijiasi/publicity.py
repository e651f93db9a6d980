"""yijiasi's board (``county_publicity``). The casebook describes no publicity for the method
(methods.md §2.20): this board is the plugin's choice, one per co-built community with rows —
the team as "1+4" (members' names masked 张某: student volunteers are not officials), the
period's concentrated events (L455) and the period's matters (raw rows; the kernel masks the
requesters)."""

from __future__ import annotations

import datetime as dt

from framework import STATUS_ZH, Board, BoardSection, mask_name, period_dates

from . import service
from .rules import MEMBER_KINDS, NAME, SERVICES, TIER_ZH

MEMBER_COLUMNS = [("kind", "类别"), ("partner", "共建单位"), ("name", "成员")]
EVENT_COLUMNS = [("on_date", "日期"), ("title", "集中服务活动"), ("participants", "参与人数")]
CASE_COLUMNS = [("case_id", "编号"), ("created_on", "登记日期"), ("title", "事项"), ("requester", "诉求人"),
                ("service", "服务类别"), ("tier", "办理层级"), ("status", "状态")]


def boards(ctx, unit, period: str, cases) -> list[Board]:
    """One board per community in ``unit``'s subtree that has a team or matters of ``period``:
    ``〈社区〉“1+4”组团服务公示（P）`` — sections 服务团成员 and 集中服务活动 (with a team), 本期事项."""
    start, end = period_dates(period)
    last = end - dt.timedelta(days=1)
    inside = set(ctx.subtree(unit.code))
    picked = cases()
    out = []
    team_of = {c: t for t in service.teams(ctx, unit.code) for c in t["communities"] if c in inside}
    with_cases = {ctx.ancestor(k.origin_unit, "community", strict=True) for k in picked}
    for c in sorted(set(team_of) | {u.code for u in with_cases if u is not None and u.code in inside}):
        t = team_of.get(c)
        subtree = set(ctx.subtree(c))
        rows_c = [{"case_id": k.id, "created_on": ctx.calendar.local(k.created_at).date().isoformat(),
                   "title": k.title, "requester": k.requester.name,
                   "service": SERVICES.get(k.extra.get("service") or "other", ("其他",))[0],
                   "tier": TIER_ZH.get(k.level, k.level), "status": STATUS_ZH.get(k.status, k.status)}
                  for k in picked if k.origin_unit in subtree]
        sections, notes = [], []
        if t:
            members = [m for m in service.members(ctx, t["code"]) if m["joined_on"] <= last.isoformat()
                       and (m["left_on"] is None or m["left_on"] > start.isoformat())]
            rows_m = [{"kind": MEMBER_KINDS[m["kind"]], "partner": m["partner"],
                       "name": mask_name(ctx.people[m["person"]].name) if m["person"] in ctx.people else None}
                      for m in members]
            rows_e = [{"on_date": a["on_date"], "title": a["title"], "participants": a["participants"]}
                      for a in service.activities(ctx, t["code"], start, last) if a["community"] == c]
            leader = ctx.people.get(t["leader"])
            sections = [BoardSection("服务团成员", MEMBER_COLUMNS, rows_m),
                        BoardSection("集中服务活动", EVENT_COLUMNS, rows_e)]
            notes = [f"服务团：{t['name']}；团长：{mask_name(leader.name) if leader else t['leader']}"]
        notes.append("以社区党组织为主体，市直部门、社区党建工作指导员、大学生党员义工、律师党员志愿者结对共建。")
        sections.append(BoardSection("本期事项", CASE_COLUMNS, rows_c))
        out.append(Board(NAME, f"{ctx.units[c].name}“1+4”组团服务公示（{period}）", c, period, sections, notes=notes))
    return out
