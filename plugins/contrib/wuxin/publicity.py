"""wuxin's board (``county_publicity``): each community's 服务公开屏 (L424: 滚动播放社区服务项目及办理
程序…合不合规、能不能办、办得好不好，都晒在大家眼前) — the service procedure (the tiers and their limits),
the period's cases with whether each was on time, the care pairs' figures (L432, counts only: no
child's or elder's name is posted) and each building's 两长四员 (L418)."""

from __future__ import annotations

import datetime as dt

from framework import SATISFACTION_ZH, STATUS_ZH, Board, BoardSection

from . import appraisal as figures
from . import duties as duty_rules
from . import service
from .rules import BUILDING_ROLES, FILE_KINDS, METHOD, SCOPES, TIER_ZH, TIERS, TITLE_ZH

PROCEDURE = [("tier", "办理层级"), ("body", "办理主体（四级管理）"), ("limit", "办理时限"), ("slogan", "目标")]
CASES = [("case_id", "编号"), ("created_on", "登记日期"), ("title", "事项"), ("requester", "诉求人"),
         ("scope", "事项大小"), ("tier", "当前层级"), ("due_on", "办理期限"), ("status", "状态"),
         ("on_time", "按期"), ("satisfaction", "满意度")]
CARE = [("item", "项目"), ("files", "建档人数"), ("paired", "已结对"), ("done", "本期完成"), ("due", "本期应完成")]
BUILDINGS = [("building", "楼栋"), ("complete", "两长四员"), ("missing", "缺岗")]
SLOGANS = {"grid": "身边事不出格", "community": "小事不出社区", "subdistrict": "大事不出街道、矛盾不上交"}


def procedure(ctx) -> list[dict]:
    """One row per tier: who handles, the limit in words (from the settings), the slogan (L420)."""
    rows = []
    for tier in TIERS:
        kind = "个工作日" if ctx.settings[f"{tier.name}_day_kind"] == "working" else "天"
        rows.append({"tier": TIER_ZH[tier.name], "body": tier.title_zh,
                     "limit": f"{ctx.settings[f'{tier.name}_days']}{kind}内办结", "slogan": SLOGANS[tier.name]})
    return rows


def case_rows(ctx, picked) -> list[dict]:
    """Raw rows of the period's cases (the kernel masks the requesters)."""
    missed = {m.case_id for m in ctx.milestones.of([c.id for c in picked], state="missed")} if picked else set()
    rows = []
    for c in picked:
        done = c.status in ("resolved", "confirmed", "closed")
        on_time = "否" if c.id in missed else ("是" if done else "—")
        rows.append({"case_id": c.id, "created_on": ctx.calendar.local(c.created_at).date().isoformat(),
                     "title": c.title, "requester": c.requester.name,
                     "scope": SCOPES.get(c.extra.get("scope"), ("—",))[0], "tier": TIER_ZH.get(c.level, c.level),
                     "due_on": ctx.calendar.local(c.due_at).date().isoformat() if c.due_at else None,
                     "status": STATUS_ZH.get(c.status, c.status), "on_time": on_time,
                     "satisfaction": SATISFACTION_ZH.get(c.satisfaction, c.satisfaction) if c.satisfaction else None})
    return rows


def care_rows(ctx, code: str, period: str) -> list[dict]:
    """Counts of files, pairs and care duties done / due for community ``code`` (L432): files and
    pairs on the period's last day (or today); the duties due in the period whose day is over (owed
    once D has ended, as the appraisal's ``care_<kind>_rate``)."""
    first, last = figures.bounds(ctx, period)
    today = ctx.calendar.local(ctx.now).date()
    last = min(last, today)
    owed_by = min(last, today - dt.timedelta(days=1))
    open_files = service.files(ctx, code, at=last)
    due = duty_rules.duties_between(ctx, ctx.units[code], first, owed_by) if first <= owed_by else []
    rows = []
    for kind, label in FILE_KINDS.items():
        some = [f for f in open_files if f["kind"] == kind]
        mine = [d for d in due if d.kind in ({"contact", "letter", "teacher", "guardian", "birthday", "festival"}
                                             if kind == "child" else {"greeting", "chat", "activity"})]
        rows.append({"item": f"{label}（{'六个一' if kind == 'child' else '六必须'}）", "files": len(some),
                     "paired": sum(service.active_pair(ctx, f["id"], last) is not None for f in some),
                     "done": sum(d.done for d in mine), "due": len(mine)})
    return rows


def building_rows(ctx, code: str) -> list[dict]:
    """Each building's 两长四员 (L418): complete or the posts missing."""
    return [{"building": b["name"], "complete": "配齐" if b["complete"] else "未配齐",
             "missing": "、".join(BUILDING_ROLES[r] for r in b["missing"]) or "—"}
            for b in service.building_check(ctx, code)]


def publicity(ctx, unit, period: str, cases) -> list:
    """One board per community of ``unit``'s subtree that has wuxin cases in the period, files or
    buildings (a community without any, e.g. one run by another method, posts none). Returns a
    list of ``Board``."""
    picked = cases()
    out = []
    for code in service.units_at(ctx, "community", unit.code):
        sub = set(ctx.subtree(code))
        mine = [c for c in picked if c.origin_unit in sub or c.unit in sub]
        care = care_rows(ctx, code, period)
        buildings = building_rows(ctx, code)
        if not (mine or buildings or any(r["files"] for r in care)):
            continue
        name = ctx.units[code].name
        out.append(Board(METHOD, f"{name}{TITLE_ZH}服务公开屏（{period}）", code, period, [
            BoardSection("社区服务办理程序（身边事不出格、小事不出社区、大事不出街道、矛盾不上交）", PROCEDURE, procedure(ctx)),
            BoardSection("本期事项（合不合规、能不能办、办得好不好）", CASES, case_rows(ctx, mine)),
            BoardSection("留守关爱结对落实情况", CARE, care),
            BoardSection("楼栋“两长四员”配备", BUILDINGS, buildings),
        ], notes=["五心：排忧解难暖民心、转变作风贴民心、志愿服务乐民心、净化环境顺民心、维护稳定安民心。",
                  "社区服务“一线通”热线、触摸屏可查询办理程序。"]))
    return out
