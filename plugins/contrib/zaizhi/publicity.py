"""zaizhi's boards (``county_publicity``). The source describes only commendations of
outstanding members (L393); the rest is the plugin's choice, said so on the boards:

* each residential area of the unit asked for: 服务岗位 (the posts, their kind, claimant and
  monthly service day, L397) and 本期诉求 (the period's requests, requesters raw — the kernel
  masks every board);
* each subdistrict with an agency party branch (or the one asked for): 表彰 (commendations in
  the period, L393) and 学习与活动日 (the quarterly calendar's days in the period, held or not,
  L389).
"""

from __future__ import annotations

import datetime as dt

from framework import STATUS_ZH, Board, BoardSection, period_dates

from . import duties as duty_rules
from . import service
from .rules import ACTIVITIES, CATEGORIES, METHOD, POST_KINDS, TIER_ZH

POST_COLUMNS = [("post", "岗位"), ("kind", "类别"), ("member", "认领党员"), ("service", "每月服务时间")]
CASE_COLUMNS = [("case_id", "编号"), ("created_on", "登记日期"), ("title", "诉求"), ("requester", "诉求人"),
                ("category", "类别"), ("tier", "办理层级"), ("due_on", "期限"), ("status", "状态")]


def area_board(ctx, code: str, period: str, cases) -> Board:
    """The board of residential area ``code`` for ``period``: its posts and the requests taken in
    or held within it (``cases``: Case list)."""
    posts = []
    for p in service.posts(ctx, code):
        name = ctx.people[p["member"]].name if p["member"] in ctx.people else "（待认领）"
        posts.append({"post": p["title"], "kind": POST_KINDS[p["kind"]], "member": name,
                      "service": f"每月{p['service_day']}日 {p['service_time'] or ''}".strip()})
    sub = set(ctx.subtree(code))
    rows = [{"case_id": c.id, "created_on": ctx.calendar.local(c.created_at).date().isoformat(), "title": c.title,
             "requester": c.requester.name, "category": CATEGORIES.get(c.category, c.category),
             "tier": TIER_ZH.get(c.level, c.level),
             "due_on": ctx.calendar.local(c.due_at).date().isoformat() if c.due_at else None,
             "status": STATUS_ZH.get(c.status, c.status)}
            for c in cases if c.origin_unit in sub]
    return Board(METHOD, f"{ctx.units[code].name}在职党员服务公示（{period}）", code, period,
                 [BoardSection("服务岗位（小修小补）", POST_COLUMNS, posts), BoardSection("本期诉求", CASE_COLUMNS, rows)],
                 notes=["在职党员认领“小修小补”岗位，每月定时到居民区服务点提供服务（L397）。"])


def branch_board(ctx, code: str, period: str) -> Board:
    """The board of subdistrict ``code`` for ``period``: commendations (L393) and the quarterly
    calendar's days falling in the period (L389)."""
    where, params = ctx.scope(code, period, unit_cols=("unit",), ts_cols=("at_ts",))
    honours = [{"member": ctx.people[r["member"]].name if r["member"] in ctx.people else r["member"],
                "area": ctx.units[r["unit"]].name, "award": r["award"],
                "on": ctx.calendar.local(dt.datetime.fromisoformat(r["at"])).date().isoformat()}
               for r in ctx.db.query("select * from zaizhi_commendations where " + " and ".join(where)
                                     + " order by at_ts, id", params)]
    first, after = period_dates(period)
    days = []
    for year in range(first.year, after.year + 1):
        for q in (1, 2, 3, 4):
            for day, kind in duty_rules.schedule(ctx, year, q):
                if first <= day < after:
                    days.append({"on": day.isoformat(), "kind": ACTIVITIES[kind].split("（")[0],
                                 "held": "已举行" if duty_rules.done_on(ctx, kind, code, day) else "未记录"})
    return Board(METHOD, f"{ctx.units[code].name}在职党员“三比三争”（{period}）", code, period,
                 [BoardSection("表彰优秀在职党员", [("member", "党员"), ("area", "居民区"), ("award", "表彰"),
                                                    ("on", "日期")], honours),
                  BoardSection("学习与活动日", [("on", "日期"), ("kind", "安排"), ("held", "情况")], days)],
                 notes=["每季度第一个月10日集中学习会，第二、三个月15日党小组活动日（L389）。"])


def publicity(ctx, unit, period, cases) -> list[Board]:
    """The boards for ``unit`` (a ``Unit``) and ``period``: each subdistrict with an agency
    branch in its subtree, then each residential area with posts or requests (the area asked
    for always). Returns a list of ``Board``."""
    picked = cases()
    out = [branch_board(ctx, b, period) for b in duty_rules.branches(ctx, unit)]
    for code in service.areas(ctx, unit.code):
        board = area_board(ctx, code, period, picked)
        if code == unit.code or any(sec.rows for sec in board.sections):
            out.append(board)
    return out
