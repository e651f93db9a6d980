"""jieti's boards (``county_publicity``).

The casebook's only publicity is the county leaders' reception schedule, published in the
press (L302); the rest of this board is the plugin's choice (README): each village, township
or county posts ``〈unit〉阶梯式解决民困公示（P）`` with

* **本期民情事项（阶梯式解决）** — the period's matters: scope, tier, the zone and its leader,
  the servant or paired department handling it jointly (挂牌办理 at the village), due date, status;
* **民情联席会议** — the selection bodies' meetings held in the period (L302);
* the county's board adds **县级领导干部定点定时坐班接待** (L302) and **督查通报** (the monthly
  inspection's 汇总 and 通报, L306).
"""

from __future__ import annotations

from framework import STATUS_ZH, Board, BoardSection

from .rules import BODIES, NAME, SCOPES, TIER_ZH, village_levels
from .service import meetings, receptions

CASE_COLUMNS = [("case_id", "编号"), ("created_on", "登记日期"), ("title", "事项"), ("requester", "反映人"),
                ("scope", "事项范围"), ("tier", "办理层级"), ("holder", "责任区"), ("handler", "责任人"),
                ("joint", "协同办理"), ("due_on", "期限"), ("status", "状态")]
MEETING_COLUMNS = [("held_on", "日期"), ("body", "遴选机构"), ("unit", "单位"), ("items", "遴选事项数")]
RECEPTION_COLUMNS = [("leader", "县级领导"), ("place", "接待地点"), ("schedule", "接待时间"), ("published_in", "公示媒体")]
INSPECTION_COLUMNS = [("month", "月份"), ("inspected_on", "督查日期"), ("summary", "汇总"), ("circulated", "通报")]


def name_of(ctx, pid):
    """A person's name, or 未定."""
    p = ctx.people.get(pid) if pid else None
    return p.name if p else "未定"


def case_rows(ctx, cases) -> list[dict]:
    """One raw row per case (masked by the kernel)."""
    rows = []
    for c in cases:
        joint = []
        if c.joint_handler:
            joint.append(f"勤务员{name_of(ctx, c.joint_handler)}")
        if c.joint_unit and c.joint_unit in ctx.units and c.joint_unit != (ctx.people[c.joint_handler].unit
                                                                          if c.joint_handler in ctx.people else None):
            joint.append(f"{ctx.units[c.joint_unit].name}（挂牌办理）" if c.extra.get("listed") and c.level == "village"
                         else ctx.units[c.joint_unit].name)
        scope = c.extra.get("ladder_scope")
        rows.append({"case_id": c.id, "created_on": c.created_at.date().isoformat(), "title": c.title,
                     "requester": c.requester.name, "scope": SCOPES.get(scope, "—"),
                     "tier": TIER_ZH.get(c.level, c.level or "—"),
                     "holder": ctx.units[c.unit].name if c.unit in ctx.units else c.unit,
                     "handler": name_of(ctx, c.handler), "joint": "、".join(joint) or "—",
                     "due_on": c.due_at.date().isoformat() if c.due_at else "—",
                     "status": STATUS_ZH.get(c.status, c.status)})
    return rows


def county_publicity(ctx, unit, period: str, cases) -> list[Board]:
    """The board of ``unit`` for ``period`` (see the module doc); none for a unit below the
    village (a group's matters are on its village's board) or a department without matters."""
    picked = cases()
    first, after = (d.date() for d in ctx.calendar.period_bounds(period))
    held = [m for m in meetings(ctx, unit.code) if first.isoformat() <= m["held_on"] < after.isoformat()]
    is_county = unit.level == "county"
    if unit.level in ("group", "grid") or (not picked and not held and unit.level not in (
            "county", "township", *village_levels(ctx))):
        return []
    sections = [BoardSection("本期民情事项（阶梯式解决）", CASE_COLUMNS, case_rows(ctx, picked))]
    sections.append(BoardSection("民情联席会议", MEETING_COLUMNS, [
        {"held_on": m["held_on"], "body": BODIES[m["body"]][0], "unit": ctx.units[m["unit"]].name,
         "items": len(m["items"])} for m in held]))
    if is_county:
        sections.append(BoardSection("县级领导干部定点定时坐班接待", RECEPTION_COLUMNS, [
            {"leader": name_of(ctx, r["leader"]), "place": r["place"], "schedule": r["schedule"],
             "published_in": r["published_in"] or "—"} for r in receptions(ctx)]))
        rows = ctx.db.query("select * from jieti_inspections where unit = ? and month >= ? and month < ? "
                            "order by month", [unit.code, first.strftime("%Y-%m"), after.strftime("%Y-%m")])
        sections.append(BoardSection("督查通报（一月一督查、一汇总、一通报）", INSPECTION_COLUMNS, [
            {"month": r["month"], "inspected_on": r["inspected_on"], "summary": r["summary"],
             "circulated": "已通报" if r["circulated"] else "未通报"} for r in rows]))
    notes = ["小事不出村、大事不出乡、矛盾不上交",
             ("个别农户的困难由组级责任人和勤务员协调解决；村民小组的事项由组级责任人解决；一个村的事项由村级责任人和"
             "挂钩联系部门挂牌办理；一个乡（镇）的事项由乡级责任人协调、督促相关部门解决；全县大局事项由县群众工作"
             "领导小组办公室调研，提交县委、政府研究解决。")]
    return [Board(NAME, f"{unit.name}阶梯式解决民困公示（{period}）", unit.code, period, sections, notes)]
