"""Monthly talks (月月谈), result feedback (结果反馈制) and supervision with rewards and
penalties (监督奖惩制), casebook L126. Service functions taking ``ctx``; the commands, the demo
and the tests call them alike.
"""

from __future__ import annotations

from framework import CountyError, Refusal

from . import profiles
from .rules import CONDUCT, CONDUCT_ZH, NAME, TALK_KINDS, choice


def record_talk(ctx, unit: str, cadre: str, household: str | None = None, kind: str = "scheduled",
                note: str | None = None) -> dict:
    """Record a monthly talk held at ``ctx.now`` (月月谈: 乡镇、村干部每月通过定期或随机的形式，主动
    上门倾听群众反映问题和困难, L126): village ``unit``, person ``cadre`` (a township or village
    cadre: any person of the village or of a unit above it), optionally at ``household`` (a
    household page of that village), ``kind`` scheduled (定期) or random (随机). Returns the row.
    ``NotFound`` for an unknown unit or person; ``CountyError`` for a unit that is not a village, a
    cadre from elsewhere, a household of another village or a bad kind."""
    u = ctx.unit(unit)
    if u.level != "village":
        raise CountyError(f"--unit {unit}: {u.name} is a {u.level}; monthly talks go door to door in villages (L126)")
    person = ctx.person(cadre)
    if person.unit not in list(ctx.ancestors(unit)):
        raise CountyError(f"--cadre {cadre}: {person.name} belongs to {ctx.units[person.unit].name}, not to "
                          f"{u.name} or a unit above it (乡镇、村干部, L126)")
    if household:
        hh = profiles.household(ctx, household)
        if hh is None or hh["unit"] != unit:
            raise CountyError(f"--household {household}: no household page of {u.name}")
    kind = choice(kind, TALK_KINDS, "--kind")
    with ctx.transaction():
        tid = ctx.db.insert("wugeyi_talks", {"unit": unit, "cadre": cadre, "household": household, "kind": kind,
                                             "note": note, "at": ctx.now.isoformat(), "ts": ctx.now.timestamp(),
                                             "actor": ctx.actor})
    return profiles.talk(ctx, tid)


def talks(ctx, unit: str | None = None, period: str | None = None) -> list[dict]:
    """The talks within ``unit``'s subtree and ``period`` (either optional), in time order, each
    with ``matters``: the ids of the matters raised at it."""
    where, params = ctx.scope(unit, period, unit_cols=("unit",), ts_cols=("ts",))
    rows = ctx.db.query("select * from wugeyi_talks" + (" where " + " and ".join(where) if where else "")
                        + " order by ts, id", params)
    for r in rows:
        r["matters"] = ctx.cases.ids(method=NAME, extra={"talk": r["id"]})
    return rows


def _own_case(ctx, case_id: str):
    case = ctx.cases.get(case_id, events=False)
    if case.method != NAME:
        raise CountyError(f"case {case_id} is a {case.method} case, not {NAME}")
    return case


def feed_back(ctx, case_id: str, text: str):
    """结果反馈制 (L126): how the matter was handled and its result, told back to the requester; a
    ``fed_back`` event at ``ctx.now``. Returns the case. ``CountyError`` for another method's case
    or an empty text; ``Refusal`` (exit 1) while the matter is still open."""
    case = _own_case(ctx, case_id)
    if not (text or "").strip():
        raise CountyError("--text: what the requester was told (处理办法和结果)")
    if case.is_open:
        raise Refusal(f"case {case_id} is still {case.status}: feed the result back once it is resolved")
    return ctx.actions.record_event(case_id, "fed_back", text.strip())


def record_conduct(ctx, person: str, reason: str, case_id: str | None = None, note: str | None = None) -> dict:
    """监督奖惩制 (L126): cadre ``person`` is criticised by public notice (通报批评) for ``reason``
    ``bribe`` (吃拿卡要) or ``buck_passing`` (推诿扯皮), or commended (表彰奖励) for ``praised``
    (群众反映较好), optionally about matter ``case_id`` (then a ``criticised`` / ``commended``
    event on it too). Returns the row. ``NotFound`` / ``CountyError`` for bad input."""
    p = ctx.person(person)
    reason = choice(reason, {k: v[1] for k, v in CONDUCT.items()}, "--reason")
    if reason is None:
        raise CountyError(f"--reason: one of {', '.join(CONDUCT)}")
    kind = CONDUCT[reason][0]
    if case_id:
        _own_case(ctx, case_id)
    with ctx.transaction():
        rid = ctx.db.insert("wugeyi_conduct", {"person": person, "unit": p.unit, "kind": kind, "reason": reason,
                                               "case_id": case_id, "note": note, "at": ctx.now.isoformat(),
                                               "ts": ctx.now.timestamp(), "actor": ctx.actor})
        if case_id:
            ctx.actions.record_event(case_id, "criticised" if kind == "criticise" else "commended",
                                     f"{CONDUCT_ZH[kind]}：{p.name}（{CONDUCT[reason][1]}）",
                                     data={"person": person, "reason": reason})
    return ctx.db.query("select * from wugeyi_conduct where id = ?", [rid])[0]


def conduct(ctx, unit: str | None = None, period: str | None = None) -> list[dict]:
    """The conduct records of people of ``unit``'s subtree in ``period`` (either optional), in
    time order."""
    where, params = ctx.scope(unit, period, unit_cols=("unit",), ts_cols=("ts",))
    return ctx.db.query("select * from wugeyi_conduct" + (" where " + " and ".join(where) if where else "")
                        + " order by ts, id", params)
