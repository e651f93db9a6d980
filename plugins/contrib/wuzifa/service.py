"""wuzifa's logic, shared by the commands, the county file and the demo; every function takes ``ctx``.

Errors: ``CountyError`` (exit 2) for bad input, naming the field and its value; ``NotFound`` for an
unknown case or person; ``Refusal`` (exit 1) for a step the method does not allow now (out of
order, a dispute not open, a household already signed…). Nothing is written on an error.
"""

from __future__ import annotations

import datetime as dt
import math

from framework import CountyError, Refusal, parse_instant

from .rules import (
    CARE_KINDS,
    DIFFICULTIES,
    DRAWN_FROM,
    ESCALATED,
    FIVE,
    NAME,
    RELATION_ZH,
    RELATIONS,
    TECHNIQUE_ZH,
    TECHNIQUES,
)
from .stages import DISPUTE


def when(ctx, value, what="--when") -> dt.datetime:
    """``value`` (None → ``ctx.now``; an aware datetime; or ISO text, no offset = local) as an aware
    instant, not after ``ctx.now``. ``CountyError`` naming ``what`` for bad text; ``Refusal`` for the future."""
    at = ctx.now if value is None else (ctx.calendar.local(value) if isinstance(value, dt.datetime)
                                        else parse_instant(value, ctx.calendar.tz, what=what))
    if at > ctx.now:
        raise Refusal(f"{what} {at.isoformat()}: after now ({ctx.now.isoformat()})")
    return at


def _out(row: dict) -> dict:
    """``row`` with its datetimes as ISO text (what the table gives back when read)."""
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in row.items()}


def dispute(ctx, case_id, *, open_only=True):
    """The wuzifa collective dispute ``case_id`` (``Case``). ``NotFound`` for an unknown case;
    ``CountyError`` for another method's case or a side problem; ``Refusal`` when ``open_only``
    and the case is no longer open."""
    case = ctx.cases.get(case_id, events=False)
    if case.method != NAME or case.category != DISPUTE:
        raise CountyError(f"case {case_id}: not a {NAME} collective dispute (category {case.category})")
    if open_only and not case.is_open:
        raise Refusal(f"case {case_id} is {case.status}: the dispute is no longer open")
    return case


def households(ctx, case_id) -> list[dict]:
    """The households of dispute ``case_id`` as listed (dicts of ``wuzifa_households``), with
    ``signed_at`` (ISO or None) from the kernel's sign-off and ``paid_at`` from the payments."""
    rows = ctx.db.query("select * from wuzifa_households where case_id = ? order by listed_ts, rowid", [case_id])
    so = ctx.signoffs.of(case_id).get(case_id)
    signed = {p.id: p.signed_at for p in so.parties} if so else {}
    paid = {r["household"]: r["at"] for r in ctx.db.query(
        "select household, at from wuzifa_payments where case_id = ?", [case_id])}
    for r in rows:
        at = signed.get(r["household"])
        r["signed_at"] = at.isoformat() if at else None
        r["paid_at"] = paid.get(r["household"])
        r["is_key"] = bool(r["is_key"])
    return rows


def household(ctx, case_id, hid) -> dict:
    """One listed household of ``case_id`` (as :func:`households`); ``CountyError`` naming it when unlisted."""
    for r in households(ctx, case_id):
        if r["household"] == hid:
            return r
    raise CountyError(f"household {hid!r}: not listed on case {case_id} (county {NAME} household add)")


def add_member(ctx, case_id, person, drawn_from, note=None) -> dict:
    """Put ``person`` on the dispute's work group, drawn from ``drawn_from`` (``city``, ``county`` or
    ``township``: L49 市、县、乡及时抽调工作队员). A ``work_group_member`` event. Returns the row.
    ``CountyError``: a bad level; ``NotFound``: unknown person; ``Refusal``: already a member."""
    case = dispute(ctx, case_id)
    p = ctx.person(person)
    if drawn_from not in DRAWN_FROM:
        raise CountyError(f"drawn_from {drawn_from!r}: use one of {', '.join(DRAWN_FROM)} (L49: 市、县、乡)")
    if ctx.db.count("wuzifa_members", "case_id = ? and person = ?", [case_id, person]):
        raise Refusal(f"case {case_id}: {p.name} ({person}) is already in the work group")
    row = {"case_id": case_id, "person": person, "drawn_from": drawn_from, "unit": case.origin_unit,
           "at": ctx.now, "at_ts": ctx.now.timestamp(), "note": note}
    with ctx.transaction():
        row["id"] = ctx.db.insert("wuzifa_members", row)
        ctx.actions.record_event(case_id, "work_group_member", f"{p.name}（{drawn_from}）",
                                 {"person": person, "drawn_from": drawn_from})
    return _out(row)


def members(ctx, case_id) -> list[dict]:
    """The work group of ``case_id``, in the order they joined."""
    return ctx.db.query("select * from wuzifa_members where case_id = ? order by id", [case_id])


def missing_levels(ctx, case_id, until=None) -> list[str]:
    """The levels of the setting ``work_group_levels`` no member of the work group was drawn from
    (joined by ``until``, an aware instant; None: ever) — L49: 市、县、乡."""
    rows = members(ctx, case_id)
    have = {r["drawn_from"] for r in rows if until is None or r["at_ts"] <= until.timestamp()}
    return [lv for lv in ctx.settings["work_group_levels"] if lv not in have]


def _rank(value, what="rank"):
    if value is None or value == "":
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise CountyError(f"{what} {value!r}: a whole number (1 = the household most others follow)") from None
    if n < 1:
        raise CountyError(f"{what} {n}: at least 1")
    return n


def _area(value, what):
    if value is None or value == "":
        return 0.0
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise CountyError(f"{what} {value!r}: a number of mu") from None
    if not math.isfinite(x) or x < 0:
        raise CountyError(f"{what} {value!r}: a finite number, not negative")
    return x


def add_household(ctx, case_id, hid, name, *, unit=None, group=None, difficulty="ordinary", rank=None,
                  key=False, follows=None, tapped=None, untapped=None) -> dict:
    """List household ``hid`` (``name``, e.g. 张三户) on dispute ``case_id`` as a party who must sign
    (``ctx.actions.require_signoff``; L57, L61: every household signs the agreement), with its own
    record: ``unit`` (a village or group code; default the case's), ``group`` (村民小组 name),
    ``difficulty`` (``ordinary``/``hard``/``key``/``holdout``), ``rank`` (influence, 1 = most
    followed), ``key`` (关键农户), ``follows`` (a listed household it follows, L57), ``tapped`` /
    ``untapped`` (leased mu, L53). Returns the row. ``CountyError`` for bad values; ``Refusal`` for a
    household already listed or a dispute not open."""
    case = dispute(ctx, case_id)
    hid, name = (hid or "").strip(), (name or "").strip()
    if not hid or not name:
        raise CountyError("household: an id and a name are required")
    if difficulty not in DIFFICULTIES:
        raise CountyError(f"difficulty {difficulty!r}: use one of {', '.join(DIFFICULTIES)}")
    unit = unit or case.origin_unit
    ctx.unit(unit)
    if ctx.db.count("wuzifa_households", "case_id = ? and household = ?", [case_id, hid]):
        raise Refusal(f"case {case_id}: household {hid} is already listed")
    if follows and not ctx.db.count("wuzifa_households", "case_id = ? and household = ?", [case_id, follows]):
        raise CountyError(f"follows {follows!r}: not a household listed on case {case_id}")
    row = {"case_id": case_id, "household": hid, "name": name, "unit": unit, "group_name": group,
           "difficulty": difficulty, "influence_rank": _rank(rank), "is_key": int(bool(key) or difficulty == "key"),
           "follows": follows or None, "area_tapped": _area(tapped, "tapped"),
           "area_untapped": _area(untapped, "untapped"), "listed_at": ctx.now, "listed_ts": ctx.now.timestamp()}
    with ctx.transaction():
        ctx.actions.require_signoff(case_id, [(hid, name)], note="签约农户")
        ctx.db.insert("wuzifa_households", row)
    return household(ctx, case_id, hid)


def set_household(ctx, case_id, hid, *, difficulty=None, rank=None, key=None, follows=None) -> dict:
    """Change a listed household's difficulty, influence rank, key flag or the household it follows
    (e.g. the work group's analysis finds the group leader everyone waits for, L57). Returns the row."""
    dispute(ctx, case_id)
    before = household(ctx, case_id, hid)
    values = {}
    if difficulty is not None:
        if difficulty not in DIFFICULTIES:
            raise CountyError(f"difficulty {difficulty!r}: use one of {', '.join(DIFFICULTIES)}")
        values["difficulty"] = difficulty
        if difficulty == "key":
            values["is_key"] = 1
    if rank is not None:
        values["influence_rank"] = _rank(rank)
    if key is not None:
        values["is_key"] = int(bool(key))
    if follows is not None:
        if follows and (follows == hid or not ctx.db.count(
                "wuzifa_households", "case_id = ? and household = ?", [case_id, follows])):
            raise CountyError(f"follows {follows!r}: not another household listed on case {case_id}")
        values["follows"] = follows or None
    if values:
        ctx.db.update("wuzifa_households", (case_id, hid), values)
    return household(ctx, case_id, hid) if values else before


def add_relation(ctx, case_id, hid, person, kind, note=None) -> dict:
    """Record that ``person`` (a cadre or helper) is the household's ``kind`` (``kin`` 亲戚, ``friend``
    朋友, ``classmate`` 同学, ``colleague`` 同事; L57) — whom 靠 may send. Returns the row."""
    dispute(ctx, case_id)
    household(ctx, case_id, hid)
    p = ctx.person(person)
    if kind not in RELATIONS:
        raise CountyError(f"kind {kind!r}: use one of {', '.join(RELATIONS)} (L57: 亲戚、朋友、同学、同事)")
    if ctx.db.count("wuzifa_relations", "case_id = ? and household = ? and person = ? and kind = ?",
                    [case_id, hid, person, kind]):
        raise Refusal(f"case {case_id}: {p.name} is already recorded as {hid}'s {kind}")
    row = {"case_id": case_id, "household": hid, "person": person, "kind": kind, "note": note,
           "at": ctx.now, "at_ts": ctx.now.timestamp()}
    row["id"] = ctx.db.insert("wuzifa_relations", row)
    return _out(row)


def relations(ctx, case_id, hid=None) -> list[dict]:
    """The relationships recorded on ``case_id`` (of household ``hid`` when given)."""
    sql = "select * from wuzifa_relations where case_id = ?" + (" and household = ?" if hid else "") + " order by id"
    return ctx.db.query(sql, [case_id, hid] if hid else [case_id])


def steps(ctx, case_id, hid=None) -> list[dict]:
    """The techniques worked on ``case_id`` (on household ``hid`` when given), in time order."""
    sql = "select * from wuzifa_steps where case_id = ?" + (" and household = ?" if hid else "") + " order by at_ts, id"
    return ctx.db.query(sql, [case_id, hid] if hid else [case_id])


def next_five(done: set[str]) -> str | None:
    """The first of 笑问听析讲 (L53) not in ``done``, or None when all five were worked."""
    return next((t for t in FIVE if t not in done), None)


def record_step(ctx, case_id, hid, technique, *, by=None, via=None, note=None, at=None) -> dict:
    """Record ``technique`` worked on household ``hid`` at ``at`` (default now), by ``by`` (a work-group
    member when the group has members), and for 靠 through ``via`` (a person with a recorded
    relationship to the household). The casebook's order is enforced (Refusal, nothing written):

    * 笑→问→听→析→讲 (L53): a character before the earlier ones were worked on that household
      (setting ``five_in_order``);
    * 粘、盯、靠 only after the five characters reached 讲 (L57: 即使采用“五字法”也不见成效…又采用了新的
      工作方法; setting ``escalate_after_five``);
    * 盯 only on a key household (L57: 找出…关键农户展开重点宣传);
    * 靠 only through a relation recorded for the household (L57: 请工作对象的亲戚、朋友、同学、同事);
    * nothing after the household signed.

    A ``technique`` event on the case. Returns the row."""
    case = dispute(ctx, case_id)
    if technique not in TECHNIQUES:
        raise CountyError(f"technique {technique!r}: use one of {', '.join(TECHNIQUES)} "
                          f"({'、'.join(TECHNIQUE_ZH[t] for t in TECHNIQUES)})")
    h = household(ctx, case_id, hid)
    at = when(ctx, at)
    if at < case.created_at:
        raise Refusal(f"--when {at.isoformat()}: before case {case_id} was taken in")
    if h["signed_at"] and dt.datetime.fromisoformat(h["signed_at"]) <= at:
        raise Refusal(f"household {hid} {h['name']} already signed at {h['signed_at']}: no more work needed")
    if by is not None:
        p = ctx.person(by)
        team = {m["person"] for m in members(ctx, case_id)}
        if team and by not in team:
            raise Refusal(f"by {by}: {p.name} is not in the work group of case {case_id} (L49)")
    done = {s["technique"] for s in steps(ctx, case_id, hid) if s["at_ts"] <= at.timestamp()}
    zh = TECHNIQUE_ZH[technique]
    if technique in FIVE and ctx.settings["five_in_order"]:
        missing = [t for t in FIVE[:FIVE.index(technique)] if t not in done]
        if missing:
            raise Refusal(f"household {hid}: “{zh}” before “{TECHNIQUE_ZH[missing[0]]}” — the five characters go "
                          f"笑→问→听→析→讲 (L53)")
    if technique in ESCALATED and ctx.settings["escalate_after_five"] and "explain" not in done:
        step = TECHNIQUE_ZH[next_five(done)]
        raise Refusal(f"household {hid}: “{zh}” is for those the five characters did not move; work “{step}” "
                      f"first (L57)")
    if technique == "fix_on" and not h["is_key"]:
        raise Refusal(f"household {hid} {h['name']} is not a key household: “盯” is for the household the others "
                      f"follow (L57); mark it first (county {NAME} household set {case_id} {hid} --key)")
    if technique == "lean_on":
        if not via:
            raise CountyError("via: “靠” names the relative, friend, classmate or colleague sent (L57)")
        kinds = [r["kind"] for r in relations(ctx, case_id, hid) if r["person"] == via]
        if not kinds:
            raise Refusal(f"via {via}: no relationship recorded between {ctx.person(via).name} and household "
                          f"{hid} (county {NAME} relation add)")
    elif via:
        raise CountyError(f"via {via}: only “靠” (lean_on) works through another person")
    row = {"case_id": case_id, "household": hid, "technique": technique, "by_person": by, "via_person": via,
           "unit": h["unit"], "at": at, "at_ts": at.timestamp(), "note": note, "recorded_by": ctx.actor}
    with ctx.transaction():
        row["id"] = ctx.db.insert("wuzifa_steps", row)
        ctx.actions.record_event(case_id, "technique", f"{h['name']}：{zh}" + (f"（{note}）" if note else ""),
                                 {"household": hid, "technique": technique, "by": by, "via": via,
                                  "at": at.isoformat()})
    return _out(row)


def sign(ctx, case_id, hid, at=None, note=None) -> dict:
    """Household ``hid`` signs the agreement (签订协议, L57) at ``at`` (default now), through the
    kernel's sign-off (``ctx.actions.sign``: Refusal for a second signature or a case not open).
    Returns ``{"case", "household", "name", "signed_at", "signed", "required", "followers"}`` —
    ``followers``: the still unsigned households that follow this one (L57: 组长带头签定了协议书，
    其余农户也纷纷…签下了自己的名字)."""
    dispute(ctx, case_id)
    h = household(ctx, case_id, hid)
    at = when(ctx, at)
    case = ctx.actions.sign(case_id, hid, at=at, note=note or "签订土地租赁协议")
    so = case.signoff
    rows = households(ctx, case_id)
    followers = [r["household"] for r in rows if r["follows"] == hid and not r["signed_at"]]
    return {"case": case_id, "household": hid, "name": h["name"], "signed_at": at.isoformat(),
            "signed": so.signed, "required": so.required, "followers": followers}


def pay(ctx, case_id, hid, amount=None, at=None) -> dict:
    """Record the lease money paid to household ``hid`` (土地租赁资金兑付, L61) at ``at``; ``amount``
    yuan (default: a year's rent of its listed area, :func:`rent`). Only a signed household is paid
    (Refusal otherwise, or when already paid). A ``paid`` event. Returns the row."""
    case = dispute(ctx, case_id, open_only=False)
    h = household(ctx, case_id, hid)
    at = when(ctx, at)
    if not h["signed_at"] or dt.datetime.fromisoformat(h["signed_at"]) > at:
        raise Refusal(f"household {hid} {h['name']} has not signed: the lease money follows the agreement (L61)")
    if h["paid_at"]:
        raise Refusal(f"household {hid} {h['name']} was already paid at {h['paid_at']}")
    if amount is None:
        amount = rent(ctx, h["area_tapped"], h["area_untapped"])["rent"]
    amount = _area(amount, "amount")
    row = {"case_id": case_id, "household": hid, "unit": h["unit"], "amount": amount, "at": at,
           "at_ts": at.timestamp()}
    with ctx.transaction():
        ctx.db.insert("wuzifa_payments", row)
        ctx.actions.record_event(case.id, "paid", f"{h['name']}：{amount:g}元", {"household": hid, "amount": amount})
    return _out(row)


def rent(ctx, tapped, untapped) -> dict:
    """The yearly rent of ``tapped`` and ``untapped`` mu under the settlement (L53): tapped ×
    ``rent_tapped`` (50) + untapped × ``rent_untapped`` (30) yuan a year, over ``lease_years`` (50,
    was 80), plus the ``dividend_share`` (5%) on the tapped land (and on the untapped land too when
    ``dividend_on_untapped``). 10 tapped + 4 untapped → 620 yuan. Returns a dict."""
    s = ctx.settings
    t, u = _area(tapped, "tapped"), _area(untapped, "untapped")
    value = round(t * s["rent_tapped"] + u * s["rent_untapped"], 2)
    shares = t + (u if s["dividend_on_untapped"] else 0.0)
    return {"tapped": t, "untapped": u, "rent": value, "lease_years": s["lease_years"],
            "dividend_share": s["dividend_share"], "dividend_area": shares}


def add_care(ctx, case_id, kind, hid=None, note=None, at=None) -> dict:
    """A care visit beside the mediation (L61: 送温暖、送爱心、送医疗、送文艺, 义诊, 民房改造, 水电路):
    ``kind`` among rules.CARE_KINDS, to household ``hid`` (optional). A ``care`` event. Returns the row."""
    case = dispute(ctx, case_id, open_only=False)
    if kind not in CARE_KINDS:
        raise CountyError(f"kind {kind!r}: use one of {', '.join(CARE_KINDS)}")
    unit = household(ctx, case_id, hid)["unit"] if hid else case.origin_unit
    at = when(ctx, at)
    row = {"case_id": case_id, "household": hid, "kind": kind, "unit": unit, "at": at, "at_ts": at.timestamp(),
           "note": note}
    with ctx.transaction():
        row["id"] = ctx.db.insert("wuzifa_care", row)
        ctx.actions.record_event(case_id, "care", CARE_KINDS[kind] + (f"：{note}" if note else ""),
                                 {"kind": kind, "household": hid})
    return _out(row)


def feed_back(ctx, case_id, note, department=None):
    """Pass a side problem to the higher levels and departments (L61: 及时将群众的想法和困难反馈给上级
    和各相关部门): a ``fed_back`` event (with ``extra.department`` when ``department`` is given,
    a department unit), then escalation to tier ``higher_level`` (the ``feedback``/``help``
    milestone is met when still before its instant). Returns the case. ``CountyError`` for a
    dispute or a bad department; ``Refusal`` when it is not at the work group or not open."""
    case = ctx.cases.get(case_id, events=False)
    if case.method != NAME or case.category == DISPUTE:
        raise CountyError(f"case {case_id}: not a {NAME} side problem (a dispute stays with its work group, L49)")
    if not case.is_open or case.level != "work_group":
        raise Refusal(f"case {case_id} is {case.status} at {case.level}: only an open problem at the work group "
                      f"is fed back")
    if not (note or "").strip():
        raise CountyError("note: say what is passed up")
    if department is not None and (department not in ctx.units or ctx.units[department].level != "department"):
        raise CountyError(f"department {department!r}: not a department unit of this deployment")
    with ctx.transaction():
        ctx.actions.record_event(case_id, "fed_back", note, {"department": department},
                                 extra={"department": department} if department else None)
        return ctx.actions.escalate(case_id, reason=note, to_level="higher_level")


def progress(ctx, case_id) -> dict:
    """Where dispute ``case_id`` stands: each household with its difficulty, rank, key flag, the
    techniques worked (in order), the next five-character step (None once 讲 was worked), signed
    and paid instants; and the totals (signed / required, paid, the work group's missing levels)."""
    case = dispute(ctx, case_id, open_only=False)
    rows = households(ctx, case_id)
    worked = {}
    for s in steps(ctx, case_id):
        worked.setdefault(s["household"], []).append(s["technique"])
    for r in rows:
        r["techniques"] = worked.get(r["household"], [])
        r["next"] = None if r["signed_at"] else next_five(set(r["techniques"]))
    signed = sum(1 for r in rows if r["signed_at"])
    return {"case": case.id, "title": case.title, "status": case.status, "households": rows,
            "required": len(rows), "signed": signed, "paid": sum(1 for r in rows if r["paid_at"]),
            "relations": {r["household"]: [(x["person"], RELATION_ZH[x["kind"]]) for x in relations(ctx, case_id,
                                                                                                   r["household"])]
                          for r in rows},
            "missing_levels": missing_levels(ctx, case_id)}
