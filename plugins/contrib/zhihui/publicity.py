"""What zhihui posts: each community's resident-affairs board (居务公开, on the community's website,
L404) with the period's matters, its grids' 4+4+1+6 roll (L406) and the service station's profit
share (L410)."""

from __future__ import annotations

from framework import STATUS_ZH, Board, BoardSection

from . import service, staffing
from .rules import NAME, POSTS, SIX_POSTS, TIER_ZH

CASE_COLUMNS = [("case_id", "编号"), ("created_on", "登记日期"), ("grid", "网格"), ("title", "事项"),
                ("requester", "诉求人"), ("tier", "办理层级"), ("due_on", "办理期限"), ("status", "状态")]
STAFF_COLUMNS = [("grid", "网格"), ("grid_workers", "专职网格员"), ("grid_assistant", "网格助理员"),
                 ("six", "“6员”"), ("four", "督导员/指导员/管理员/社区警员"), ("complete", "4+4+1+6")]
REVENUE_COLUMNS = [("provider", "服务商"), ("month", "月份"), ("profit", "盈利（元）"), ("returned", "返还社区（元）")]


def _names(ctx, ids):
    return "、".join(ctx.people[i].name if i in ctx.people else i for i in ids) or "—"


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def communities_for(ctx, unit) -> list[str]:
    """The communities whose boards answer for ``unit`` (a ``Unit``): its own community when it is
    a grid or a community, else every community of its subtree the method takes part in."""
    if unit.level in ("grid", "community"):
        c = ctx.ancestor(unit.code, "community", strict=True)
        return [c.code] if c else []
    return sorted(c for c in ctx.subtree(unit.code) if ctx.units[c].level == "community" and ctx.takes_part(c))


def publicity(ctx, unit, period, cases):
    """One board per community answering for ``unit`` and ``period`` (``2024-10``…): section
    本期事项 (the matters taken in or resolved in the period, requesters raw — the kernel masks),
    section 网格“4+4+1+6”配备 (per grid, the names posted and whether it is complete) and, when
    any, section 盈利返还 (L410). A community asked for directly always gets its board; above it,
    the communities with a matter or a posted person. Returns a list of ``Board``."""
    picked = cases()
    out = []
    for code in communities_for(ctx, unit):
        community = ctx.units[code]
        inside = set(ctx.subtree(code))
        rows = [{"case_id": c.id, "created_on": ctx.calendar.local(c.created_at).date().isoformat(),
                 "grid": ctx.units[c.extra["grid"]].name if c.extra.get("grid") in ctx.units else "—",
                 "title": c.title, "requester": c.requester.name, "tier": TIER_ZH.get(c.level, c.level),
                 "due_on": ctx.calendar.local(c.due_at).date().isoformat() if c.due_at else None,
                 "status": STATUS_ZH.get(c.status, c.status)}
                for c in picked if c.origin_unit in inside or c.unit in inside]
        staff = []
        for g in staffing.check(ctx, code):
            posts = g["posts"]
            staff.append({"grid": g["name"], "grid_workers": _names(ctx, posts["grid_worker"]),
                          "grid_assistant": _names(ctx, posts["grid_assistant"]),
                          "six": f"{sum(1 for p in SIX_POSTS if posts[p])}/6",
                          "four": _names(ctx, [i for p in ("grid_supervisor", "grid_instructor", "grid_manager",
                                                            "community_police") for i in posts[p]]),
                          "complete": "达标" if g["complete"] else "缺：" + "、".join(g["missing"])})
        money = service.revenue(ctx, code, period)["rows"]
        if not (rows or any(s["grid_workers"] != "—" for s in staff) or money) and code != unit.code:
            continue
        sections = [BoardSection("本期事项", CASE_COLUMNS, rows), BoardSection("网格“4+4+1+6”配备", STAFF_COLUMNS, staff)]
        if money:
            sections.append(BoardSection("盈利返还社区", REVENUE_COLUMNS, [
                {"provider": r["provider"], "month": r["month"], "profit": _yuan(r["profit_fen"]),
                 "returned": _yuan(r["returned_fen"])} for r in money]))
        out.append(Board(NAME, f"{community.name}居务公开（{period}）", code, period, sections,
                         notes=["人在格中、事在网中、事不出格。", f"“4+4+1+6”：{'、'.join(POSTS[p] for p in POSTS)}。"]))
    return out
