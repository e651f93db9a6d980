"""wugeyi's boards (``county_publicity``). The source describes no public posting of matters
(L126 has result feedback to the requester instead); it does name two public things, which are
boards here: the supervision notices (通报批评 / 表彰奖励, 监督奖惩制, L126) and the heart-link card
(连心卡, L128). The matters ledger (记录、办理、跟踪、监督、问责, L126) is posted too unless the
setting ``post_matters`` is false. Rows are raw: the kernel masks every board (conventions §3).
"""

from __future__ import annotations

from framework import STATUS_ZH, Board, BoardSection

from . import profiles, service
from .rules import CHANNELS, CONDUCT, CONDUCT_ZH, NAME, SEGMENTS, TIER_ZH, TITLE_ZH

MATTER_COLUMNS = [("case_id", "编号"), ("created_on", "受理日期"), ("title", "事项"), ("requester", "诉求人"),
                  ("channel", "渠道"), ("segment", "户类"), ("receiver", "首问受理人"), ("tier", "办理层级"),
                  ("handler", "承办人"), ("due_on", "限办日期"), ("status", "状态"), ("feedback", "结果反馈")]
CONDUCT_COLUMNS = [("at", "日期"), ("person", "干部"), ("unit", "单位"), ("kind", "奖惩"), ("reason", "事由"),
                   ("case_id", "事项编号"), ("note", "说明")]
CARD_COLUMNS = [("post", "职务"), ("name", "姓名"), ("contact", "联系方式")]
ISSUE_COLUMNS = [("household", "户号"), ("requester_name", "户主"), ("issued_on", "发卡日期")]


def _name(ctx, pid):
    p = ctx.people.get(pid) if pid else None
    return p.name if p else pid


def _tier_label(c) -> str:
    """The ledger's tier cell: the tier's name, and for a proxy errand (``extra.proxy``, L122) the
    way that tier handles it — 代办 at the village station, 领办 at the township centre it went up
    to (L122: 乡镇便民服务中心实行领办服务), nothing at the county centre."""
    label = TIER_ZH.get(c.level, c.level)
    if c.extra.get("proxy"):
        label += {"village_station": "（代办）", "township_centre": "（领办）"}.get(c.level, "")
    return label


def matters_board(ctx, unit, period, cases) -> Board:
    """The matters ledger of ``unit`` for ``period``: every matter taken in or held in its
    subtree and created or resolved in the period (``cases()``), one row each: first receiver
    (首问受理人), tier, handler (with the first receiver as 会办 when they are joint), limit,
    status, and whether the result was fed back (结果反馈制, L126)."""
    picked = cases()
    fed = ctx.events.latest([c.id for c in picked], "fed_back") if picked else {}
    rows = []
    for c in picked:
        spot = bool(c.extra.get("on_the_spot"))
        handler = _name(ctx, c.handler or (c.extra.get("receiver") if spot else None)) or "—"
        if c.joint_handler:
            handler += f"（会办：{_name(ctx, c.joint_handler)}）"
        rows.append({
            "case_id": c.id, "created_on": ctx.calendar.local(c.created_at).date().isoformat(), "title": c.title,
            "requester": c.requester.name, "channel": CHANNELS.get(c.channel, c.channel or "").split("（")[0],
            "segment": SEGMENTS.get(c.extra.get("segment"), "—"), "receiver": _name(ctx, c.extra.get("receiver")),
            "tier": _tier_label(c), "handler": handler,
            "due_on": ctx.calendar.local(c.due_at).date().isoformat() if c.due_at else "—",
            "status": STATUS_ZH.get(c.status, c.status),
            "feedback": "当场解决" if spot else ("已反馈" if c.id in fed else "未反馈") if not c.is_open else "—"})
    return Board(NAME, f"{unit.name}{TITLE_ZH}事项办理台账（{period}）", unit.code, period,
                 [BoardSection("记录、办理、跟踪", MATTER_COLUMNS, rows)],
                 notes=["首问受理制：第一时间接到受理事项的，第一时间办结，并负责到底。",
                        "结果反馈制：处理办法和结果及时反馈给群众。"])


def conduct_board(ctx, unit, period) -> Board | None:
    """The supervision notices (监督奖惩制, L126) of people of ``unit``'s subtree in ``period``:
    criticism (吃拿卡要、推诿扯皮) and commendation. None when there are none."""
    rows = [{"at": r["at"][:10], "person": _name(ctx, r["person"]), "unit": ctx.units[r["unit"]].name,
             "kind": CONDUCT_ZH[r["kind"]], "reason": CONDUCT[r["reason"]][1], "case_id": r["case_id"] or "—",
             "note": r["note"] or ""} for r in service.conduct(ctx, unit.code, period)]
    if not rows:
        return None
    return Board(NAME, f"{unit.name}监督奖惩通报（{period}）", unit.code, period,
                 [BoardSection("通报批评与表彰奖励", CONDUCT_COLUMNS, rows)],
                 notes=["对以各种名义吃拿卡要或推诿扯皮的给予通报批评，对群众反映较好的给予表彰奖励。"])


def card_boards(ctx, unit, period) -> list[Board]:
    """One heart-link card board per village of ``unit``'s subtree that has household pages
    (连心卡, L128): the card's face (posts, names, contacts, the 96096 hotline and the centre's)
    and the register of cards issued (household head masked by the kernel)."""
    out = []
    by_village: dict[str, list[dict]] = {}
    for page in profiles.households(ctx, unit.code):  # one read for the whole subtree
        by_village.setdefault(page["unit"], []).append(page)
    for code in sorted(by_village):
        village = ctx.units[code]
        if village.level != "village" or not ctx.takes_part(code):
            continue
        pages = by_village[code]
        if not pages:
            continue
        face = profiles.card(ctx, pages[0]["id"])
        rows = [{"post": c["post"], "name": c["name"], "contact": c["phone"] or "—"} for c in face["contacts"]]
        rows.append({"post": "便民服务热线", "name": "—", "contact": face["hotline"]})
        rows.append({"post": f"{face['township'] or ''}便民服务中心服务热线", "name": "—",
                     "contact": face["centre_hotline"] or "—"})
        issued = {r["household"]: r["issued_at"][:10]
                  for r in ctx.db.query("select household, issued_at from wugeyi_cards where unit = ?", [code])}
        reg = [{"household": p["id"], "requester_name": p["head"], "issued_on": issued.get(p["id"], "未发")}
               for p in pages]
        out.append(Board(NAME, f"{village.name}连心卡", code, period,
                         [BoardSection("卡面", CARD_COLUMNS, rows), BoardSection("发卡登记", ISSUE_COLUMNS, reg)],
                         notes=[f"拿起电话即可享受：{face['services']}等服务和帮助。"]))
    return out


def publicity(ctx, unit, period, cases) -> list[Board]:
    """Boards for ``unit`` (a ``Unit``) and ``period``: the matters ledger (unless
    ``post_matters`` is false), the supervision notices when there are any, and the heart-link
    card of each village below with household pages. Returns a list of ``Board``."""
    out = []
    if ctx.settings["post_matters"]:
        out.append(matters_board(ctx, unit, period, cases))
    notices = conduct_board(ctx, unit, period)
    if notices:
        out.append(notices)
    return out + card_boards(ctx, unit, period)
