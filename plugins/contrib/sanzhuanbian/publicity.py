"""The three ledgers as a board (``county_publicity``): one per village or community, its problems
by ledger (三本台账, casebook L110). The source does not say the ledgers are posted: the
setting ``publish_ledgers`` (default true) turns the board off."""

from __future__ import annotations

from framework import Board, BoardSection

from . import ledger
from .rules import INTAKE_LEVELS, LEDGERS, NAME

NOTE = ("对存在的问题梳理分类，根据事项轻重缓急建立“三本台账”，明确相关单位和责任人，明确解决时限；"
        "严格落实限时办结和督办销号制度。（L110）")
PRIORITY_ZH = {"high": "重·急", "normal": "一般", "low": "轻·缓"}
COLUMNS = {
    "to_solve": [("case_id", "编号"), ("title", "问题"), ("priority", "轻重缓急"), ("handler", "责任人"),
                 ("joint_unit", "相关单位"), ("due_on", "解决时限"), ("state", "办理情况")],
    "pending": [("case_id", "编号"), ("title", "问题"), ("handler", "责任人"), ("joint_unit", "相关单位"),
                ("due_on", "解决时限"), ("explained", "向群众解释情况")],
    "solved": [("case_id", "编号"), ("title", "问题"), ("handler", "责任人"), ("resolved_on", "解决日期"),
               ("struck_off", "督办销号")],
}


def boards(ctx, unit, period):
    """For ``unit`` (``Unit``) and ``period``: one board per village/community of its subtree with
    rows (the unit asked for always, when it is one), ``〈村〉“三本台账”（P）`` with the sections
    需解决问题, 待解决问题, 已解决问题 — the problems open now that were taken in before the
    period's end, and those solved in the period. Rows are raw (the kernel masks). Returns
    ``[Board]`` (empty with ``publish_ledgers = false``)."""
    if not ctx.settings["publish_ledgers"]:
        return []
    end = ctx.calendar.period_bounds(period)[1]
    books = ledger.ledgers(ctx, unit.code, period)
    people = ctx.people
    out = []
    homes = sorted(c for c in ctx.subtree(unit.code) if ctx.units[c].level in INTAKE_LEVELS)
    for home in homes:
        sections = []
        for key, title in LEDGERS.items():
            rows = []
            for r in books[key]:
                if r["unit"] != home or (key != "solved" and r["created_at"] >= end):
                    continue
                handler = people[r["handler"]].name if r["handler"] in people else "待明确"
                rows.append({"case_id": r["case_id"], "title": r["title"],
                             "priority": PRIORITY_ZH.get(r["priority"], r["priority"]), "handler": handler,
                             "joint_unit": ctx.units[r["joint_unit"]].name if r["joint_unit"] else "",
                             "due_on": ctx.calendar.local(r["due_at"]).date().isoformat() if r["due_at"] else "",
                             "state": "逾期督办" if r["overdue"] else "办理中", "explained": r["explained"] or "",
                             "resolved_on": ctx.calendar.local(r["resolved_at"]).date().isoformat()
                             if r["resolved_at"] else "",
                             "struck_off": "已销号" if r["struck_off"] else "待销号"})
            sections.append(BoardSection(title, COLUMNS[key], rows))
        if any(s.rows for s in sections) or home == unit.code:
            out.append(Board(NAME, f"{ctx.units[home].name}“三本台账”（{period}）", home, period, sections,
                             notes=[NOTE]))
    return out
