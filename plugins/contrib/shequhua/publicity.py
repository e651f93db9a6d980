"""shequhua's boards (``county_publicity``): each pilot village's service-centre board (its
service organisations, the period's matters, the checks; L282, L276) and, above the village,
the special column on community-style management (示范村, 帮联对子, 宣传推广; L273, L276).
Rows are raw; the kernel masks them.
"""

from __future__ import annotations

import datetime as dt

from framework import STATUS_ZH, Board, BoardSection

from . import checks, service
from .rules import (
    CATEGORIES,
    INSPECTION_KINDS,
    KINDS,
    NAME,
    ORG_AREAS,
    OUTLETS,
    PROMOTIONS,
    RESULTS,
    TIER_ZH,
)

ORG_COLUMNS = [("area", "服务领域"), ("name", "服务组织"), ("leader", "负责人"), ("members", "成员数")]
CASE_COLUMNS = [("case_id", "编号"), ("created_on", "登记日期"), ("title", "服务事项"), ("requester", "服务对象"),
                ("area", "服务领域"), ("kind", "类型"), ("tier", "办理层级"), ("joint", "会办单位"),
                ("due_on", "办理期限"), ("status", "状态")]
CHECK_COLUMNS = [("on", "日期"), ("kind", "检查方式"), ("result", "结果")]


def local_date(ctx, text: str) -> str:
    """An ISO instant read back from our tables as its local date (``YYYY-MM-DD``)."""
    return ctx.calendar.local(dt.datetime.fromisoformat(text)).date().isoformat()


def _name(ctx, pid):
    p = ctx.people.get(pid) if pid else None
    return p.name if p else (pid or "")


def village_board(ctx, village, period, picked) -> Board | None:
    """The board of one village (``Unit``) for ``period``, or None when it has no centre and no
    matter: 服务组织 (L282), 本期服务事项 (its matters taken in or resolved in the period), 检查情况
    (the organisation department's checks of the period, L276)."""
    row = service.centre(ctx, village.code)
    rows = []
    for c in picked:
        if c.origin_unit != village.code:
            continue
        rows.append({"case_id": c.id, "created_on": ctx.calendar.local(c.created_at).date().isoformat(),
                     "title": c.title, "requester": c.requester.name, "area": CATEGORIES.get(c.category, c.category),
                     "kind": KINDS.get(c.extra.get("kind"), ""), "tier": TIER_ZH.get(c.level, c.level),
                     "joint": ctx.units[c.joint_unit].name if c.joint_unit else "",
                     "due_on": ctx.calendar.local(c.due_at).date().isoformat() if c.due_at else "",
                     "status": STATUS_ZH.get(c.status, c.status)})
    if row is None and not rows:
        return None
    orgs = [{"area": ORG_AREAS[o["area"]], "name": o["name"], "leader": _name(ctx, o["leader"]),
             "members": len(o["members"])} for o in service.orgs(ctx, village.code)]
    checked = [{"on": local_date(ctx, r["at"]),
                "kind": INSPECTION_KINDS[r["kind"]], "result": RESULTS[r["result"]]}
               for r in checks.inspections(ctx, village.code, period)]
    notes = []
    if row is not None:
        notes.append(f"服务中心负责人：{_name(ctx, row['director'])}")
        partner = service.partner_of(ctx, village.code)
        if partner:
            notes.append(f"帮联城市社区：{ctx.units[partner].name}")
    else:
        notes.append("本村尚未建立社区化管理服务中心")
    return Board(NAME, f"{village.name}农村社区化管理服务中心公开栏（{period}）", village.code, period,
                 [BoardSection("服务组织", ORG_COLUMNS, orgs), BoardSection("本期服务事项", CASE_COLUMNS, rows),
                  BoardSection("检查情况", CHECK_COLUMNS, checked)], notes=notes)


def column_board(ctx, unit, period) -> Board | None:
    """The special column (专题专栏, L276) of ``unit`` (above the village) for ``period``: 示范村
    (the models of its subtree designated before the period's end), 帮联对子 (its pairs, L273) and 宣传推广 (the period's column
    reports, meetings and study tours); None when all three are empty."""
    end = ctx.calendar.period_bounds(period)[1]  # a model designated after the period is not on its board
    models = [{"village": ctx.units[r["village"]].name,
               "township": (t.name if (t := ctx.ancestor(r["village"], "township")) else ""),
               "on": local_date(ctx, r["designated_at"])} for r in service.models(ctx, unit.code)
              if dt.datetime.fromisoformat(r["designated_at"]) < end]
    pairs = [{"kind": "街道—乡镇" if r["kind"] == "township" else "城市社区—试点村",
              "partner": ctx.units[r["partner"]].name, "unit": ctx.units[r["unit"]].name}
             for r in service.pairs(ctx, unit.code)]
    where, params = ctx.scope(unit.code, period, unit_cols=("unit", "village"), ts_cols=("at_ts",))
    promos = [{"on": local_date(ctx, r["at"]), "kind": PROMOTIONS[r["kind"]],
               "outlet": OUTLETS.get(r["outlet"], ""), "title": r["title"],
               "village": ctx.units[r["village"]].name if r["village"] else ""}
              for r in ctx.db.query("select * from shequhua_promotions where " + " and ".join(where)
                                    + " order by at_ts, id", params)]
    if not (models or pairs or promos):
        return None
    return Board(NAME, f"{unit.name}农村社区化管理专题专栏（{period}）", unit.code, period, [
        BoardSection("示范村", [("village", "示范村"), ("township", "乡镇"), ("on", "确定日期")], models),
        BoardSection("帮联对子", [("kind", "结对类型"), ("partner", "城市一方"), ("unit", "农村一方")], pairs),
        BoardSection("宣传推广", [("on", "日期"), ("kind", "形式"), ("outlet", "媒体"), ("title", "题目"),
                               ("village", "示范村")], promos)],
        notes=["抓好一个点、辐射一条线、带好一大片（L276）"])


def publicity(ctx, unit, period, cases) -> list[Board]:
    """The boards for ``unit`` (``Unit``) and ``period``: for a village, its centre board; above
    it, its special column (when not empty) and the board of each village of its subtree that
    has a centre or a matter. Returns a list of ``Board``."""
    picked = cases()
    villages = sorted((ctx.units[c] for c in ctx.subtree(unit.code) if ctx.units[c].level == "village"),
                      key=lambda u: u.code)
    out = []
    if unit.level != "village":
        board = column_board(ctx, unit, period)
        if board:
            out.append(board)
    for v in villages:
        board = village_board(ctx, v, period, picked)
        if board:
            out.append(board)
    return out
