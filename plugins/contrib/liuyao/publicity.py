"""Boards (``county_publicity``): each village's 党务村务公开栏 for a period — the matters and
their decisions (要作主, L191), the answers to reports (L193), the catalogue's disclosures with
their forms (要知道, L187), supervision results (L193 在公开栏和信息栏公布监督结果) and ratings
(要满意, L195). Rows are raw (the kernel masks them); every row about a case carries
``case_id``. Boards carry no casebook line numbers."""

from __future__ import annotations

import datetime as dt

from framework import STATUS_ZH, Board, BoardSection
from plugins.contrib.liuyao import disclosure, service
from plugins.contrib.liuyao.rules import (
    BODIES, CADENCES, CATALOGUE, CATEGORIES, FORMS, MEETING_KINDS, METHOD, RATING_KINDS, conf, period_span,
)

MATTER_COLUMNS = [("case_id", "编号"), ("created_on", "提出日期"), ("title", "事项"), ("category", "类别"),
                  ("route", "决策形式"), ("decision", "决策情况"), ("supervisor", "监督责任人"), ("status", "状态")]
REPORT_COLUMNS = [("case_id", "编号"), ("created_on", "反映日期"), ("title", "反映问题"), ("requester", "反映人"),
                  ("due_on", "答复期限"), ("replied_on", "答复日期"), ("on_time", "按期答复")]
DISCLOSURE_COLUMNS = [("item", "公开事项"), ("cadence", "公开时间"), ("key", "所属期/事项"), ("forms", "公开形式"),
                      ("due_on", "应公开日期"), ("state", "情况")]
SUPERVISION_COLUMNS = [("case_id", "编号"), ("title", "事项"), ("at", "日期"), ("by", "监督人"), ("result", "监督结果")]
RATING_COLUMNS = [("kind", "形式"), ("subject", "测评对象"), ("meeting", "会议"), ("votes", "满意/基本满意/不满意"),
                  ("share", "满意率"), ("grade", "等次")]


def _day(x) -> str | None:
    if x is None:
        return None
    if isinstance(x, str):
        x = dt.datetime.fromisoformat(x)
    return x.date().isoformat() if isinstance(x, dt.datetime) else x.isoformat()


def _person(ctx, pid):
    if not pid:
        return "未指定"
    p = ctx.people.get(pid)
    return p.name if p else pid


def _decision_text(dec: dict | None) -> str:
    if dec is None:
        return "待决策"
    text = BODIES[dec["body"]].split("（")[0] + (f"（{MEETING_KINDS[dec['meeting_kind']]}）" if dec["meeting_kind"] else "")
    if dec["votes_for"] is not None:
        text += f" 赞成{dec['votes_for']}/反对{dec['votes_against']}/弃权{dec['votes_abstain']}"
    return f"{_day(dec['decided_at'])} {text}，{'通过' if dec['outcome'] == 'adopted' else '未通过'}"


def _reply_state(ctx, m) -> str:
    if m is None:
        return "—"
    if m.state == "met":
        return "是"
    if m.state == "missed":
        return "否（逾期）"
    return "否（逾期未答复）" if m.due_at < ctx.now else "办理中"


def publicity(ctx, unit, period, cases) -> list[Board]:
    """One board per village-level unit (setting ``matter_levels``) of ``unit``'s subtree where
    liuyao takes part: always for the unit asked, else only when it has rows. Sections as in
    the module doc. Returns a list of Board."""
    s = conf(ctx)
    first, end = period_span(period)
    picked = cases()
    decisions = {d["case_id"]: d for d in service.decisions(ctx, unit.code)}
    register = disclosure.register(ctx, unit.code)
    rated = service.ratings(ctx, unit.code, period=period)
    units = [c for c in ctx.subtree(unit.code) if ctx.units[c].level in s["matter_levels"] and ctx.takes_part(c)]
    units += sorted({c.origin_unit for c in picked} - set(units))
    start_ts, end_ts = (dt.datetime.combine(d, dt.time(), tzinfo=ctx.calendar.tz) for d in (first, end))
    sup_events = ctx.events.find("supervised", at=(start_ts, end_ts), method=METHOD, unit=unit.code)
    titles = {c.id: c.title for c in picked}
    missing_titles = [e.case_id for e in sup_events if e.case_id not in titles]
    titles.update({k: v.title for k, v in ctx.cases.get_many(missing_titles).items()})
    origin = {c.id: c.origin_unit for c in picked}
    origin.update({k: v.origin_unit for k, v in ctx.cases.get_many(missing_titles).items()})
    report_ids = [c.id for c in picked if c.extra.get("kind") == "report"]
    replies = {m.case_id: m for m in ctx.milestones.of(report_ids, name="reply")} if report_ids else {}
    boards = []
    for code in units:
        u = ctx.units[code]
        mine = [c for c in picked if c.origin_unit == code]
        matters = [{"case_id": c.id, "created_on": _day(c.created_at), "title": c.title,
                    "category": CATEGORIES.get(c.category, c.category or "—"),
                    "route": BODIES.get(c.extra.get("decision_body"), "由村“两委”确定").split("（")[0],
                    "decision": _decision_text(decisions.get(c.id)),
                    "supervisor": _person(ctx, c.extra.get("supervisor")), "status": STATUS_ZH.get(c.status, c.status)}
                   for c in mine if c.extra.get("kind") == "matter"]
        reports = [{"case_id": c.id, "created_on": _day(c.created_at), "title": c.title,
                    "requester": c.requester.name, "due_on": _day(c.due_at),
                    "replied_on": _day(c.extra.get("replied_at")), "on_time": _reply_state(ctx, replies.get(c.id))}
                   for c in mine if c.extra.get("kind") == "report"]
        due = disclosure.required(ctx, code, first, end - dt.timedelta(days=1)) if code in ctx.units else []
        shown = set()
        disc = []
        for r in register:
            in_period = start_ts.timestamp() <= r["first_ts"] < end_ts.timestamp()
            if r["unit"] != code or not in_period:
                continue
            shown.add((r["item"], r["key"]))
            disc.append({"case_id": r["case_id"], "item": CATALOGUE[r["item"]], "cadence": CADENCES[r["cadence"]],
                         "key": r["key"], "forms": "、".join(FORMS[f] for f in r["forms"]),
                         "due_on": r["due_on"],
                         "state": ("已公开" if r["on_time"] or r["on_time"] is None else "逾期公开")
                         if r["complete"] else f"形式不足（{len(r['forms'])}种，应{s['min_forms']}种以上）"})
        for d in due:
            if (d["item"], d["key"]) in shown or d["done"]:
                continue
            disc.append({"case_id": d["case_id"], "item": CATALOGUE[d["item"]], "cadence": CADENCES[d["cadence"]],
                         "key": d["key"], "forms": "、".join(FORMS[f] for f in d["forms"]) or "—",
                         "due_on": d["due_on"].isoformat(),
                         "state": "待公开（未到期）" if d["state"] == "pending"
                         else "未公开" if not d["forms"] else f"形式不足（{len(d['forms'])}种）"})
        sup = [{"case_id": e.case_id, "title": titles.get(e.case_id), "at": _day(e.at),
                "by": _person(ctx, e.data.get("by")), "result": e.note}
               for e in sup_events if origin.get(e.case_id) == code]
        rates = [{"case_id": r["subject"] if r["subject_kind"] == "case" else None,
                  "kind": RATING_KINDS[r["kind"]] + (f" {r['period']}" if r["period"] else ""),
                  "subject": (titles.get(r["subject"]) or ctx.cases.get(r["subject"], events=False).title)
                  if r["subject_kind"] == "case" else
                  (ctx.units[r["subject"]].name + "村务实施结果" if r["subject_kind"] == "unit"
                   else _person(ctx, r["subject"])),
                  "meeting": MEETING_KINDS[r["meeting_kind"]],
                  "votes": f"{r['satisfied']}/{r['basically']}/{r['unsatisfied']}",
                  "share": f"{r['share']:.1%}", "grade": r["grade_zh"]}
                 for r in rated if r["unit"] == code]
        if not (matters or reports or disc or sup or rates) and code != unit.code:
            continue
        boards.append(Board(METHOD, f"{u.name}党务村务公开栏（{period}）", code, period, [
            BoardSection("重大事项决策（村里的事村民作主）", MATTER_COLUMNS, matters),
            BoardSection(f"党员群众反映问题答复（{s['reply_working_days']}个工作日内答复）", REPORT_COLUMNS, reports),
            BoardSection(f"党务村务公开目录（每件事务{s['min_forms']}种以上形式公开）", DISCLOSURE_COLUMNS, disc),
            BoardSection("监督结果公布", SUPERVISION_COLUMNS, sup),
            BoardSection("测评考评结果（一事一测评、半年初评、年度考评）", RATING_COLUMNS, rates),
        ], notes=["党建、计划生育、社会治安、评先评优由村“两委”讨论决策；新村规划、基础设施、集体财产处置及村民反映强烈的事项"
                  "提请村民代表会议（联户代表会议、户代表会议）讨论决策；村委会换届选举等重大事项提请村民会议票决。",
                  f"党员群众反映的问题在{s['reply_working_days']}个工作日内予以答复。"]))
    return boards
