"""zerentian's boards (``county_publicity``). The casebook posts no board for single requests; it
credits the platform with 工作透明度 (L316) and makes the people's rating public at the June
review (民生好不好群众测评，工作实不实百姓评说, L312). So:

* ``〈村/社区〉民情信息平台公示（P）`` per village or community of the subtree that has requests or
  fields: **本期诉求** (each request: channel, category, level, status, field, media as a count
  ``附件 N 件`` — never a URL, path or checksum, the kernel renders the count) and
  **责任田与服务团** (each field, its branch and team, L314);
* ``〈区〉服务民生述职测评（YYYY年）`` for a period that contains a held June review, at the root
  (or any unit with rated organisations below it): **述职测评** (each organisation's pledges,
  fulfilled, votes and rate, L312).

Rows are raw: the kernel masks requesters' names and numbers.
"""

from __future__ import annotations

from framework import Board, BoardSection, STATUS_ZH, chunks

from . import service
from .rules import BACKBONE_KINDS, CHANNELS, NAME, TIER_ZH, WORKSTATION_LEVELS

CASE_COLUMNS = [("case_id", "编号"), ("created_on", "登记日期"), ("title", "诉求"), ("requester", "诉求人"),
                ("channel", "渠道"), ("category", "分类"), ("tier", "所在层级"), ("status", "状态"),
                ("field", "责任田"), ("media", "图像视频"), ("due_on", "办理期限")]
FIELD_COLUMNS = [("field", "责任田"), ("branch", "党支部"), ("team", "服务团人数"), ("backbone", "骨干（老党员、志愿者）")]
REVIEW_COLUMNS = [("org", "党组织"), ("pledges", "承诺事项"), ("fulfilled", "已践诺"), ("votes", "测评票数"),
                  ("good", "满意和基本满意"), ("rate", "满意率")]


def boards(ctx, unit, period: str, cases) -> list[Board]:
    """The boards for ``unit`` (a Unit) and ``period`` (see the module doc)."""
    out = workstation_boards(ctx, unit, period, cases())
    review = review_board(ctx, unit, period)
    if review:
        out.append(review)
    return out


def attachments_of(ctx, ids: list[str]) -> dict:
    """``{case_id: [Attachment…]}`` in chunks."""
    out = {}
    for chunk in chunks(ids):
        out.update(ctx.attachments.of(chunk))
    return out


def workstation_boards(ctx, unit, period: str, picked) -> list[Board]:
    """One board per village or community of ``unit``'s subtree with requests or fields."""
    stations = sorted(c for c in ctx.subtree(unit.code) if ctx.units[c].level in WORKSTATION_LEVELS)
    media = attachments_of(ctx, [c.id for c in picked])
    names = {r["id"]: r for r in service.fields(ctx)}
    end = ctx.calendar.period_bounds(period)[1]
    out = []
    for code in stations:
        rows = [{"case_id": c.id, "created_on": c.created_at.date().isoformat(), "title": c.title,
                 "requester": c.requester.name, "channel": CHANNELS.get(c.channel, c.channel or ""),
                 "category": ctx.method.categories.get(c.category, c.category or ""),
                 "tier": TIER_ZH.get(c.level, c.level or ""), "status": STATUS_ZH.get(c.status, c.status),
                 "field": names[c.extra["field"]]["name"] if c.extra.get("field") in names else "",
                 "media": media.get(c.id) or None,
                 "due_on": c.due_at.date().isoformat() if c.due_at and c.is_open else ""}
                for c in picked if c.extra.get("workstation") == code]
        frows = []
        for f in [r for r in names.values() if r["unit"] == code]:
            team = service.members(ctx, f["id"], on=end)
            frows.append({"field": f["name"], "branch": f["branch"], "team": len(team),
                          "backbone": sum(m["kind"] in BACKBONE_KINDS for m in team)})
        if not rows and not frows:
            continue
        out.append(Board(NAME, f"{ctx.units[code].name}民情信息平台公示（{period}）", code, period,
                         [BoardSection("本期诉求", CASE_COLUMNS, rows),
                          BoardSection("责任田与服务团", FIELD_COLUMNS, frows)],
                         notes=["诉求在村（社区）终端登记，层层上报直至区民事办理中心，梳理、分类、汇总后交转职能部门办理（L316）。",
                                "图像视频只公示件数。"]))
    return out


def review_board(ctx, unit, period: str) -> Board | None:
    """The June review's board for ``unit``'s subtree when a review held in ``period`` rated
    organisations there; None otherwise."""
    start, end = ctx.calendar.period_bounds(period)
    held = ctx.db.query("select * from zerentian_reviews where held_ts >= ? and held_ts < ?",
                        [start.timestamp(), end.timestamp()])
    if not held:
        return None
    codes = set(ctx.subtree(unit.code))
    rows = []
    for review in held:
        for r in ctx.db.query("select * from zerentian_ratings where year = ? order by id", [review["year"]]):
            if r["unit"] not in codes:
                continue
            pledges = ctx.db.query("select fulfilled_ts from zerentian_pledges where year = ? and org = ?",
                                   [review["year"], r["org"]])
            votes = r["satisfied"] + r["basically"] + r["unsatisfied"]
            good = r["satisfied"] + r["basically"]
            rows.append({"org": service.org_name(ctx, r["org"]), "pledges": len(pledges),
                         "fulfilled": sum(p["fulfilled_ts"] is not None and p["fulfilled_ts"] < end.timestamp()
                                          for p in pledges),
                         "votes": votes, "good": good, "rate": f"{good / votes:.1%}"})
    if not rows:
        return None
    years = "、".join(str(r["year"]) for r in held)
    return Board(NAME, f"{unit.name}服务民生述职测评（{years}年）", unit.code, period,
                 [BoardSection("述职测评", REVIEW_COLUMNS, rows)],
                 notes=[("每年6月召开全区党组织服务民生述职测评大会：承诺、践诺、述职、测评；"
                         "民生好不好群众测评，工作实不实百姓评说（L312）。")])
