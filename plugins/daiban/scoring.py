"""Appraisal, publicity and duties: the 100-point quantitative score (量化考核), the democratic
appraisal (民主评议), the monthly management ledger (管理台账) and the year-end ranking
(统计排名，张榜公布), casebook L229–231.

**The 100-point score of one agent for a period** (over the cards the agent handles that were
taken in during the period; an indicator without evidence scores 0)::

    count         = w_count         × min(1, cards / (count_target × share of a year))
    effectiveness = w_effectiveness × completed / cards                (代办工作成效)
    satisfaction  = w_satisfaction  × (satisfied + basically) / rated  (群众满意度)
    timeliness    = w_timeliness    × on time / (on time + late)       (办理及时; not named in L231)
    conduct       = max(0, w_conduct − complaint_points × upheld complaints filed in the period)
                                                                       (服务规范; not named in L231)
    score         = max(0, sum − overdue_deduction × cards in the overdue register due in the period)

An agent with no card taken in during the period has no evidence for any indicator and scores 0
on each (conduct included: there is no service to judge), so 0 in all.

A card is *on time* when completed by its due instant and *late* when completed after it or
still open after it at ``now``. Weights default to 30/20/20/15/15 (settings ``weight_*``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from framework import (
    DONE_STATUSES,
    OPEN_STATUSES,
    STATUS_ZH,
    Board,
    BoardSection,
    Duty,
    Metric,
    rate,
)
from plugins.daiban.card import METHOD, MODES, NODES, is_agent
from plugins.daiban.register import REVIEWER_KINDS, checks_done, coverage

INDICATORS = (
    ("count", "代办事务件数"),
    ("effectiveness", "代办工作成效"),
    ("satisfaction", "群众满意度"),
    ("timeliness", "办理及时"),
    ("conduct", "服务规范"),
)


def year_share(period: str) -> float:
    """The share of a year a period covers: 1 (2013), 1/4 (2013Q1), 1/12 (2013-03), 1/365 (a day)."""
    p = str(period)
    if len(p) == 4:
        return 1.0
    if len(p) == 6:
        return 0.25
    if len(p) == 7:
        return 1 / 12
    return 1 / 365


def agents_of(county, unit_code: str | None) -> list:
    """Agents (role ``agent`` or ``service_team``) whose unit lies in ``unit_code``'s subtree."""
    codes = set(county.subtree(unit_code)) if unit_code else None
    return sorted((p for p in county.people.values()
                   if (is_agent(p) or "service_team" in p.roles) and (codes is None or p.unit in codes)),
                  key=lambda p: p.id)


def agent_stats(county, settings: dict, period: str, now: dt.datetime, unit_code: str | None = None) -> dict[str, dict]:
    """Per agent id: cards, completed, rated, good, on_time, late, input_hours, overdue
    (register entries due in the period), upheld (complaints filed in the period), the five
    indicator points, deduction and score. Agents of ``unit_code``'s subtree (all when None)."""
    start, end = county.calendar.period_bounds(period)
    span = [start.timestamp(), end.timestamp()]
    agents = agents_of(county, unit_code)
    ids = [p.id for p in agents]
    out: dict[str, dict] = {pid: defaultdict(float) for pid in ids}
    if not ids:
        return {}
    qs = ",".join("?" * len(ids))
    for r in county.store.query(
            f"select * from cases where method = ? and handler in ({qs}) and created_ts >= ? and created_ts < ?",
            [METHOD, *ids, *span]):
        s = out[r["handler"]]
        s["cards"] += 1
        done = r["status"] in DONE_STATUSES
        s["completed"] += done
        if r["satisfaction"]:
            s["rated"] += 1
            s["good"] += r["satisfaction"] in ("satisfied", "basically")
        if done and (r["due_ts"] is None or (r["resolved_ts"] is not None and r["resolved_ts"] <= r["due_ts"])):
            s["on_time"] += 1
        elif (done and r["due_ts"] is not None) or (r["status"] in OPEN_STATUSES and r["due_ts"] is not None
                                                     and r["due_ts"] < now.timestamp()):
            s["late"] += 1
        hours = json.loads(r["extra"] or "{}").get("input_hours")
        s["input_hours"] += float(hours or 0)
    for agent, n in county.store.db.execute(
            f"select agent, count(*) from daiban_overdue where agent in ({qs}) and due_ts >= ? and due_ts < ? group by agent",
            [*ids, *span]):
        out[agent]["overdue"] = n
    for agent, n in county.store.db.execute(
            f"select agent, count(*) from daiban_complaints where agent in ({qs}) and upheld = 1 "
            f"and filed_ts >= ? and filed_ts < ? group by agent", [*ids, *span]):
        out[agent]["upheld"] = n
    target = float(settings["count_target"]) * year_share(period)
    for pid, s in out.items():
        w = {k: float(settings[f"weight_{k}"]) for k, _ in INDICATORS}
        if not s["cards"]:
            # no card taken in during the period: no evidence for any indicator, conduct included
            for k, _ in INDICATORS:
                s[f"points_{k}"] = 0.0
            s["deduction"] = float(settings["overdue_deduction"]) * s["overdue"]
            s["score"] = 0.0
            continue
        s["points_count"] = w["count"] * min(1.0, s["cards"] / target) if target > 0 else w["count"]
        s["points_effectiveness"] = w["effectiveness"] * s["completed"] / s["cards"] if s["cards"] else 0.0
        s["points_satisfaction"] = w["satisfaction"] * s["good"] / s["rated"] if s["rated"] else 0.0
        den = s["on_time"] + s["late"]
        s["points_timeliness"] = w["timeliness"] * s["on_time"] / den if den else 0.0
        s["points_conduct"] = max(0.0, w["conduct"] - float(settings["complaint_points"]) * s["upheld"])
        s["deduction"] = float(settings["overdue_deduction"]) * s["overdue"]
        total = sum(s[f"points_{k}"] for k, _ in INDICATORS)
        s["score"] = round(max(0.0, total - s["deduction"]), 2)
    return out


def review_stats(county, year: int, ids: list[str]) -> dict[str, dict]:
    """Per agent: number of democratic-appraisal sheets and mean score (each sheet's mean of
    attitude, efficiency and results), overall and per reviewer kind."""
    out: dict[str, dict] = {}
    if not ids:
        return out
    qs = ",".join("?" * len(ids))
    for r in county.store.query(f"select * from daiban_reviews where year = ? and agent in ({qs}) order by id", [year, *ids]):
        s = out.setdefault(r["agent"], {"sheets": [], "by_kind": defaultdict(list)})
        v = (r["attitude"] + r["efficiency"] + r["results"]) / 3
        s["sheets"].append(v)
        s["by_kind"][r["reviewer_kind"]].append(v)
    return out


def appraisal(ctx, unit, period: str) -> list[Metric]:
    """Metric rows per agent (``subject_kind="person"``): cards, on-time rate (the casebook reports
    96 %, L229), satisfaction rate, overdue-register entries, upheld complaints, each indicator's
    points, the overdue deduction and the 100-point score; for a year also the democratic
    appraisal mean (0–100). Per unit: the share of villager groups with an agent."""
    county = ctx.county
    code = unit.code if unit else None
    stats = agent_stats(county, ctx.settings, period, ctx.now, code)
    out: list[Metric] = []
    kw = dict(subject_kind="person", method=METHOD, period=period)
    for pid, s in stats.items():
        out.append(Metric("daiban_cards", pid, value=s["cards"], label="代办件数", **kw))
        out.append(rate("daiban_on_time_rate", pid, s["on_time"], s["on_time"] + s["late"],
                        label="按期办结率（溆浦县报告96%）", **kw))
        out.append(rate("daiban_satisfaction_rate", pid, s["good"], s["rated"], label="群众满意率", **kw))
        out.append(Metric("daiban_overdue_registered", pid, value=s["overdue"], label="逾期登记在案（张）", **kw))
        out.append(Metric("daiban_complaints_upheld", pid, value=s["upheld"], label="投诉查实（件）", **kw))
        for k, zh in INDICATORS:
            out.append(Metric(f"daiban_points_{k}", pid, value=round(s[f"points_{k}"], 2), label=f"量化考核·{zh}", **kw))
        out.append(Metric("daiban_deduction", pid, value=s["deduction"], label="逾期扣分", **kw))
        out.append(Metric("daiban_score", pid, value=s["score"], label="量化考核得分（百分制）", **kw))
    if len(str(period)) == 4:
        revs = review_stats(county, int(period), list(stats))
        for pid, r in revs.items():
            out.append(Metric("daiban_review_sheets", pid, value=len(r["sheets"]), label="民主评议票数", **kw))
            out.append(Metric("daiban_review_score", pid, value=round(sum(r["sheets"]) / len(r["sheets"]), 2),
                              label="民主评议得分", **kw))
            for kind, vals in sorted(r["by_kind"].items()):
                out.append(Metric(f"daiban_review_score_{kind}", pid, value=round(sum(vals) / len(vals), 2),
                                  label=f"民主评议得分（{REVIEWER_KINDS.get(kind, kind)}）", **kw))
    roots = [code] if code else [u.code for u in county.roots()]
    for rc in roots:
        cov = coverage(county, rc)
        out.append(rate("daiban_group_coverage", rc, cov["groups_covered"], cov["groups"],
                        label="村民小组代办员覆盖率", method=METHOD, period=period))
    return out


# -- publicity ---------------------------------------------------------------------------------


def _pct(num: float, den: float) -> str:
    return "—" if not den else f"{100 * num / den:.1f}%"


def on_time_label(c, now: dt.datetime) -> str:
    """The ledger's 按期 cell: 是 completed by the due instant; 否（逾期） completed after it;
    否（逾期未办结） still open after it at ``now`` (late by the scoring rule); — not due yet or
    no due instant."""
    if c.due_at is None:
        return "—"
    if c.resolved_at is not None:
        return "是" if c.resolved_at <= c.due_at else "否（逾期）"
    if c.status in OPEN_STATUSES and c.due_at < now:
        return "否（逾期未办结）"
    return "—"


def ledger_rows(county, cards, now: dt.datetime) -> list[dict]:
    rows = []
    for c in cards:
        agent = county.people.get(c.handler) if c.handler else None
        on_time = on_time_label(c, now)
        rows.append({
            "case_id": c.id, "created_at": c.created_at.isoformat() if c.created_at else None,
            "requester": c.requester.name, "errand": c.title,
            "mode": MODES.get(c.extra.get("mode"), c.extra.get("mode")),
            "agent": agent.name if agent else None, "time_limit": c.extra.get("time_limit"),
            "due_at": c.due_at.isoformat() if c.due_at else None,
            "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
            "status": STATUS_ZH.get(c.status, c.status), "on_time": on_time,
            "signed": "已签字" if c.extra.get("signed_at") or c.status == "confirmed" else "未签字",
        })
    return rows


LEDGER_COLUMNS = [("case_id", "跟踪卡号"), ("created_at", "受理时间"), ("requester", "委托人"), ("errand", "代办事项"),
                  ("mode", "代办方式"), ("agent", "承办人"), ("time_limit", "办理时限"), ("due_at", "承诺办结时间"),
                  ("resolved_at", "办结时间"), ("status", "办结情况"), ("on_time", "按期"), ("signed", "委托人签字")]


def publicity(ctx, unit, period: str, cases) -> list[Board]:
    """The monthly management ledger (村民事务代办管理台账, L231: 按月进行登记) — one row per
    card taken in during the period, with the overdue register for the period — and, for a
    year period, the ranking of agents by count, quality and input (统计排名，张榜公布, L231).
    Rows are raw; card rows carry ``case_id`` so the kernel masks the requester."""
    county = ctx.county
    start, end = county.calendar.period_bounds(period)
    cards = [c for c in cases() if c.created_at and start <= c.created_at < end]
    from plugins.daiban.register import overdue_entries

    reg = [e for e in overdue_entries(county, unit=unit.code)
           if start.timestamp() <= e["due_ts"] < end.timestamp()]
    reg_rows = [{"case_id": e["case_id"], "agent": (county.people[e["agent"]].name if e["agent"] in county.people else e["agent"]),
                 "due_at": e["due_at"], "state": "未办结" if e["state"] == "open" else "逾期办结", "month": e["month"]}
                for e in reg]
    boards = [Board(METHOD, f"{unit.name}村民事务代办管理台账（{period}）", unit.code, period, sections=[
        BoardSection("代办事项登记", LEDGER_COLUMNS, ledger_rows(county, cards, ctx.now)),
        BoardSection("超过办理期限登记（跟踪卡检查）",
                     [("case_id", "跟踪卡号"), ("agent", "承办人"), ("due_at", "承诺办结时间"), ("state", "情况"), ("month", "检查月份")],
                     reg_rows),
    ], notes=[f"本期受理{len(cards)}件，办结{sum(c.status in DONE_STATUSES for c in cards)}件；"
              f"乡镇能办的事项{ctx.settings['township_hours']}小时办结回复，"
              f"需到县城办理的{ctx.settings['county_days']}天内办结回复。"])]
    if len(str(period)) == 4:
        stats = agent_stats(county, ctx.settings, period, ctx.now, unit.code)
        ranked = sorted(stats.items(), key=lambda kv: (-kv[1]["cards"], -(kv[1]["good"] / kv[1]["rated"] if kv[1]["rated"] else -1),
                                                       -kv[1]["input_hours"], kv[0]))
        rows = []
        for i, (pid, s) in enumerate(ranked, start=1):
            p = county.people[pid]
            u = county.units.get(p.unit)
            rows.append({"rank": i, "agent": p.name, "node": NODES.get(u.level, "") if u else "",
                         "unit": u.name if u else p.unit, "cards": int(s["cards"]),
                         "quality": _pct(s["good"], s["rated"]), "on_time": _pct(s["on_time"], s["on_time"] + s["late"]),
                         "input_hours": round(s["input_hours"], 1), "score": s["score"]})
        boards.append(Board(METHOD, f"{unit.name}{period}年代办员代办事务统计排名", unit.code, period, sections=[
            BoardSection("按件数、质量、投入排名", [("rank", "名次"), ("agent", "代办员"), ("node", "节点"), ("unit", "单位"),
                                            ("cards", "件数"), ("quality", "质量（群众满意率）"), ("on_time", "按期办结率"),
                                            ("input_hours", "投入（工时）"), ("score", "量化考核得分")], rows)],
            notes=["排名依次按代办件数、质量（群众满意率）、投入（工时）。"]))
    return boards


# -- duties --------------------------------------------------------------------------------------


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """On the 1st of each month every township's party committee checks the previous month's
    tracking cards (L229 每月检查); on 31 December the democratic appraisal of agents (L231 年底)
    is due. ``done`` when a check covering the township was recorded / a review sheet was entered
    for one of its agents that year."""
    county = ctx.county
    if unit is None:
        towns = [u for u in county.units.values() if u.level == "township"]
    else:
        towns = [county.units[c] for c in county.subtree(unit.code) if county.units[c].level == "township"]
        if not towns:
            t = county.ancestor(unit.code, "township")
            towns = [t] if t else []
    out: list[Duty] = []
    if on_date.day == 1:
        prev = on_date - dt.timedelta(days=1)
        month = f"{prev.year:04d}-{prev.month:02d}"
        checked = checks_done(county, month)
        for t in sorted(towns, key=lambda u: u.code):
            path = set()
            cur = t
            while cur is not None:
                path.add(cur.code)
                cur = county.units.get(cur.parent) if cur.parent else None
            done = any(c["unit"] in ("", None) or c["unit"] in path for c in checked)
            out.append(Duty(METHOD, t.code, "card_check", f"乡镇党委检查{month}为民代办服务跟踪卡，逾期登记在案",
                            on_date, done, month))
    if on_date.month == 12 and on_date.day == 31:
        for t in sorted(towns, key=lambda u: u.code):
            ids = [p.id for p in agents_of(county, t.code)]
            done = bool(ids) and bool(review_stats(county, on_date.year, ids))
            out.append(Duty(METHOD, t.code, "democratic_review", f"{on_date.year}年代办员民主评议（党员、村民代表）",
                            on_date, done, str(on_date.year)))
    return out
