"""shequ365's board: the community affairs board (居务公开栏) of 民情反馈 (L381)."""

from __future__ import annotations

import datetime as dt

from framework import STATUS_ZH, Board, BoardSection, period_dates
from plugins.shequ365 import tables
from plugins.shequ365.rules import FORMS, METHOD
from plugins.shequ365.stages import communities_in, community_of, person_name


def boards(ctx, unit, period: str, cases) -> list[Board]:
    """The community affairs board (居务公开栏, L381), one per community of ``unit``'s subtree
    (``unit``: a :class:`Unit` or None) for ``period`` (``2026-11``, ``2026Q4``, ``2026``).

    Sections: items passed by the two-committee joint meeting in ``period`` (实时公示, posted
    the day they passed); democratic hearing resolutions (全程公开); the cases handled
    (``cases()``: the kernel's callable returning this method's cases of the unit and period),
    with their handling form. Rows are raw; case rows carry ``case_id`` so the kernel masks
    them. A community with no grid and nothing to show gets no board.
    """
    start, end = period_dates(period)
    last = (end - dt.timedelta(days=1)).isoformat()
    all_cases = cases()
    out = []
    for c in communities_in(ctx, unit):
        passed = ctx.db.query(
            "select m.held_on, i.title, i.case_id, i.note from shequ365_meeting_items i "
            "join shequ365_meetings m on m.id = i.meeting_id where m.community = ? and m.kind = 'joint' "
            "and i.passed = 1 and m.held_on >= ? and m.held_on <= ? order by m.held_on, i.id",
            [c, start.isoformat(), last])
        hearings = ctx.db.query(
            "select m.id, m.held_on, m.title, m.resolution from shequ365_meetings m where m.community = ? "
            "and m.kind = 'hearing' and m.held_on >= ? and m.held_on <= ? order by m.held_on, m.id",
            [c, start.isoformat(), last])
        hearing_rows = []
        for h in hearings:
            ids = [r["case_id"] for r in ctx.db.query(
                "select case_id from shequ365_meeting_items where meeting_id = ? and case_id is not null order by id",
                [h["id"]])]
            hearing_rows.append({"held_on": h["held_on"], "title": h["title"], "resolution": h["resolution"],
                                 "case_id": ids[0] if len(ids) == 1 else None,
                                 "cases": "、".join(ids) if len(ids) > 1 else None})
        case_rows = []
        for k in all_cases:
            if (k.extra.get("community") or community_of(ctx, k.unit)) != c:
                continue
            g = tables.grid(ctx, k.extra.get("grid"))
            case_rows.append({
                "case_id": k.id, "title": k.title, "form": FORMS.get(k.level, k.level),
                "grid": g["name"] if g else None, "handler": person_name(ctx, k.handler),
                "status": STATUS_ZH.get(k.status, k.status), "due_at": k.due_at.isoformat() if k.due_at else None,
                "resolved_at": k.resolved_at.isoformat() if k.resolved_at else None,
            })
        if not (passed or hearing_rows or case_rows or tables.grids_in(ctx, [c])):
            continue
        name = ctx.units[c].name if c in ctx.units else c
        # the casebook line (L381) is for the README, not for residents
        notes = ["依据宁波“365社区服务工作法”民情反馈机制：“两委”联席会通过的事项实时公示，"
                 "民主听证会通过的决议事项全程公开。"]
        if ctx.settings.get("spokesperson"):
            notes.append(f"社区网络发言人：{ctx.settings['spokesperson']}")
        out.append(Board(METHOD, f"{name}居务公开栏（{period}）", c, period, [
            BoardSection("“两委”联席会通过事项（实时公示）",
                         [("held_on", "通过日期"), ("title", "事项"), ("case_id", "编号"), ("note", "说明")],
                         [dict(r) for r in passed]),
            BoardSection("民主听证会决议（全程公开）",
                         [("held_on", "听证日期"), ("title", "事项"), ("resolution", "决议"), ("case_id", "编号"),
                          ("cases", "相关事项")], hearing_rows),
            BoardSection("民情处置（限时办结·归口办理·多方协调）",
                         [("case_id", "编号"), ("title", "事项"), ("form", "处置形式"), ("grid", "网格"),
                          ("handler", "承办人"), ("status", "状态"), ("due_at", "时限"), ("resolved_at", "办结时间")],
                         case_rows),
        ], notes))
    return out
