"""sansong's boards (``county_publicity``): one per village or community of the unit asked for
(联系公示制度, L140), four sections:

* 问题办理与公开承诺 — the period's cases taken in there, and older ones still open: the contact cadre, the promised
  completion date (明确办结时限，作出公开承诺，接受群众监督), the level of the linkage it is at;
* 联系牌 — each household's contact cadres with their phones (在联系户家中张贴“联系牌”，公布联系干部
  姓名和电话); the household head shows masked (X某), and the kernel masks every phone number;
* 民情日记 — the period's diary entries and whether the villager signed (由群众签字认可);
* 民意恳谈会 — the period's consultation meetings and who attended (每季度, L140).

Rows are raw; the kernel masks requesters before any renderer sees a board.
"""

from __future__ import annotations

import datetime as dt

from framework import STATUS_ZH, Board, BoardSection

from . import network, service
from .rules import MODE_ZH, NAME, TIER_ZH, mask_name

CASE_COLUMNS = [("case_id", "编号"), ("created_on", "受理日期"), ("title", "问题"), ("requester", "反映人"),
                ("cadre", "联系干部"), ("promised", "承诺办结时限"), ("tier", "办理层级"), ("status", "状态")]
PLATE_COLUMNS = [("household", "联系户"), ("cadre", "联系干部"), ("mode", "联系方式"), ("phone", "电话"),
                 ("since", "联系起始")]
DIARY_COLUMNS = [("date", "日期"), ("cadre", "联系干部"), ("household", "联系户"), ("text", "民情记录"),
                 ("signed", "群众签字")]
MEETING_COLUMNS = [("date", "日期"), ("convener", "召集人（驻村干部）"), ("committee", "两委成员"),
                   ("deputies", "两代表一委员"), ("reps", "村民代表"), ("valid", "是否有效")]


def _name(ctx, pid):
    p = ctx.people.get(pid) if pid else None
    return p.name if p else (pid or "")


def publicity(ctx, unit, period, cases):
    """The boards of ``unit`` (a ``Unit``) for ``period``: one per village or community of its
    subtree where the method takes part; the unit asked for always gets its own (even empty),
    the others only with rows. Returns a list of ``Board``."""
    villages = sorted((ctx.units[c] for c in ctx.subtree(unit.code)
                       if ctx.units[c].level in network.VILLAGE_LEVELS and ctx.takes_part(c)), key=lambda u: u.code)
    if not villages:
        return []
    start, end = ctx.calendar.period_bounds(period)
    last_day = ctx.calendar.local(end).date() - dt.timedelta(days=1)
    picked = cases()
    seen = {c.id for c in picked}
    # a promise stays on the board until the case is done (接受群众监督, L140): open older cases too
    picked += [c for c in ctx.cases.find(method=NAME, origin=unit.code, open=True, created=(None, start))
               if c.id not in seen]
    picked.sort(key=lambda c: c.id)  # intake order (ids are zero-padded)
    hh = {r["id"]: r for r in network.households(ctx, unit.code)}
    plates = network.links(ctx, on=last_day)
    entries = service.diary(ctx, unit.code, period)
    meetings = service.consultations(ctx, unit.code, period)
    out = []
    for v in villages:
        in_v = set(ctx.subtree(v.code))
        case_rows = []
        for c in picked:
            if c.origin_unit not in in_v:
                continue
            promised = (c.extra or {}).get("promised_on")
            due = ctx.calendar.local(c.due_at).date().isoformat() if c.due_at else None
            case_rows.append({"case_id": c.id, "created_on": ctx.calendar.local(c.created_at).date().isoformat(),
                              "title": c.title, "requester": c.requester.name,
                              "cadre": _name(ctx, (c.extra or {}).get("cadre")),
                              "promised": f"{promised}（公开承诺）" if promised else (due or "—"),
                              "tier": TIER_ZH.get(c.level, c.level or ""), "status": STATUS_ZH.get(c.status, c.status)})
        plate_rows = []
        for r in plates:
            if r["unit"] != v.code:
                continue
            p = ctx.people.get(r["person"])
            plate_rows.append({"household": mask_name(hh.get(r["household"], {}).get("head")) or r["household"],
                               "cadre": p.name if p else r["person"], "mode": MODE_ZH[r["mode"]],
                               "phone": (p.phone if p else None) or "", "since": r["since"]})
        diary_rows = [{"date": e["at"][:10], "cadre": _name(ctx, e["person"]),
                       "household": mask_name(hh.get(e["household"], {}).get("head")) or e["household"],
                       "text": e["text"], "signed": f"已签字（{mask_name(e['signed_by'])}）" if e["signed_by"] else "未签字"}
                      for e in entries if e["unit"] == v.code]
        meeting_rows = [{"date": m["at"][:10], "convener": _name(ctx, m["convener"]), "committee": m["committee"],
                         "deputies": m["deputies"], "reps": m["reps"], "valid": "有效" if m["valid"] else "人员不齐"}
                        for m in meetings if m["unit"] == v.code]
        if not (case_rows or plate_rows or diary_rows or meeting_rows) and v.code != unit.code:
            continue
        out.append(Board(NAME, f"{v.name}“三送”联系公示（{period}）", v.code, period, [
            BoardSection("问题办理与公开承诺", CASE_COLUMNS, case_rows),
            BoardSection("联系牌", PLATE_COLUMNS, plate_rows),
            BoardSection("民情日记", DIARY_COLUMNS, diary_rows),
            BoardSection("民意恳谈会", MEETING_COLUMNS, meeting_rows),
        ], notes=["直接联系的干部能解决的问题必须及时解决，不能解决的由村乡县市四级联动、统筹解决。",
                  "对群众反映的问题明确办结时限，作出公开承诺，接受群众监督。"]))
    return out
