"""The records of 三送 beyond the network (L140): the public promise of a completion date, the
96333 hotline's time-limited feedback, the public-opinion diary signed by villagers, the
quarterly consultation meeting and the annual satisfaction rating of each cadre. Commands,
the demo and tests call these with a ``ctx``.
"""

from __future__ import annotations

import datetime as dt

from framework import CountyError, NotFound, Refusal

from . import network
from .rules import NAME


def _own_case(ctx, case_id: str):
    case = ctx.cases.get(case_id, events=False)
    if case.method != NAME:
        raise CountyError(f"case {case_id} is a {case.method} case, not {NAME}")
    return case


def promise(ctx, case_id: str, on: dt.date, note: str | None = None):
    """Promise publicly that open case ``case_id`` is completed by the end of local day ``on``
    (对群众反映的问题明确办结时限，作出公开承诺, L140): the current tier's ``close`` milestone moves
    to 23:59:59 local that day (a ``due_changed`` event) and a ``promised`` event records it
    (``extra.promised_on``). Returns the case. ``CountyError`` when the day is not after the
    arrival at the tier; ``Refusal`` for a closed case."""
    case = _own_case(ctx, case_id)
    if not case.is_open:
        raise Refusal(f"{case_id} is {case.status}: nothing to promise")
    due = ctx.calendar.end_of_day(on)
    with ctx.transaction():
        ctx.actions.record_event(case_id, "promised", note or f"承诺{on.isoformat()}前办结",
                                 {"promised_on": on.isoformat(), "level": case.level},
                                 extra={"promised_on": on.isoformat(), "promise_level": case.level})
        return ctx.actions.set_due(case_id, "close", due, note=f"公开承诺办结时限 {on.isoformat()}")


def feedback(ctx, case_id: str, note: str):
    """Report back to the 96333 caller (限时反馈, L140): a ``fed_back`` event meeting the
    ``feedback`` milestone (met, or missed when past due). Returns the case; ``Refusal`` when
    the case has no pending feedback milestone at its tier."""
    _own_case(ctx, case_id)
    return ctx.actions.record_event(case_id, "fed_back", note, meet="feedback")


# -- 民情日记 (L140: 联系干部记好“民情日记”，由群众签字认可) ---------------------------------------
def diary_add(ctx, person: str, hid: str, text: str, case_id: str | None = None) -> int:
    """A diary entry of cadre ``person`` at household ``hid`` at ``ctx.now``: the cadre must be
    paired with the household then (their contact household, L137); ``case_id`` links a case
    it raised (a ``diary_linked`` event on the case). Returns the entry id."""
    if not text or not text.strip():
        raise CountyError("--text: empty")
    hh = network.household(ctx, hid)
    if hh is None:
        raise CountyError(f"--household {hid}: not registered (see `county {NAME} household add`)")
    today = ctx.calendar.local(ctx.now).date()
    if not any(r["household"] == hid for r in network.links(ctx, on=today, person=person)):
        raise CountyError(f"--cadre {person}: not a contact cadre of household {hid} on {today} "
                          f"(the diary is the contact cadre's, L140)")
    with ctx.transaction():
        if case_id:
            _own_case(ctx, case_id)
        entry = ctx.db.insert("sansong_diary", {"person": person, "household": hid, "unit": hh["unit"],
                                                "text": text.strip(), "case_id": case_id, "at": ctx.now,
                                                "ts": ctx.now.timestamp(), "signed_by": None, "signed_at": None})
        if case_id:
            ctx.actions.record_event(case_id, "diary_linked", f"民情日记第{entry}条", {"diary": entry},
                                     extra={"diary": entry})
    return entry


def diary_sign(ctx, entry: int, by: str) -> dict:
    """The villager ``by`` signs diary entry ``entry`` to confirm it (群众签字认可, L140) at
    ``ctx.now``. ``NotFound`` for an unknown entry; ``Refusal`` when already signed."""
    rows = ctx.db.query("select * from sansong_diary where id = ?", [entry])
    if not rows:
        raise NotFound(f"diary entry {entry}: no such entry (see `county {NAME} diary list`)")
    if rows[0]["signed_by"]:
        raise Refusal(f"diary entry {entry} was signed on {rows[0]['signed_at'][:10]}")
    if not by or not by.strip():
        raise CountyError("--by: the signing villager's name")
    ctx.db.update("sansong_diary", entry, {"signed_by": by.strip(), "signed_at": ctx.now})
    return {**rows[0], "signed_by": by.strip(), "signed_at": ctx.now.isoformat()}


def diary(ctx, scope: str | None = None, period: str | None = None) -> list[dict]:
    """Diary entries in ``scope``'s subtree and ``period`` (by the entry's instant), by id."""
    if scope or period:
        where, params = ctx.scope(scope, period, unit_cols=("unit",), ts_cols=("ts",))
    else:
        where, params = ["1 = 1"], []
    return ctx.db.query("select * from sansong_diary where " + " and ".join(where) + " order by id", params)


# -- 民意恳谈会 (L140: 每季度由驻村干部组织召开恳谈会…) ------------------------------------------
def consult(ctx, village: str, convener: str, committee: int, deputies: int, reps: int,
            note: str | None = None) -> dict:
    """A consultation meeting held at ``ctx.now`` in ``village``, convened by ``convener`` — a
    cadre stationed there that day (由驻村干部组织召开, L140) — with ``committee`` two-committee
    members, ``deputies`` of the 两代表一委员 and ``reps`` villager representatives present.
    It counts for the quarter (``valid``) when all three are present (setting
    ``consultation_needs_all``; else when the committee is). Returns the row."""
    unit = ctx.unit(village)
    if unit.level not in network.VILLAGE_LEVELS:
        raise CountyError(f"--village {village}: {unit.name} is a {unit.level}, not a village or community")
    today = ctx.calendar.local(ctx.now).date()
    if not any(r["person"] == convener and r["unit"] == village for r in network.stations(ctx, on=today)):
        raise CountyError(f"--convener {convener}: not a cadre stationed in {unit.name} on {today} "
                          f"(恳谈会由驻村干部组织召开, L140)")
    for what, n in (("--committee", committee), ("--deputies", deputies), ("--reps", reps)):
        if n < 0:
            raise CountyError(f"{what} {n}: a count, 0 or more")
    valid = committee > 0 and (not ctx.settings["consultation_needs_all"] or (deputies > 0 and reps > 0))
    row = {"unit": village, "convener": convener, "committee": committee, "deputies": deputies, "reps": reps,
           "note": note, "at": ctx.now, "ts": ctx.now.timestamp(), "valid": int(valid)}
    row["id"] = ctx.db.insert("sansong_consultations", row)
    return {**row, "at": ctx.now.isoformat()}


def consultations(ctx, scope: str | None = None, period: str | None = None) -> list[dict]:
    """Consultation meetings in ``scope``'s subtree and ``period``, by id."""
    if scope or period:
        where, params = ctx.scope(scope, period, unit_cols=("unit",), ts_cols=("ts",))
    else:
        where, params = ["1 = 1"], []
    return ctx.db.query("select * from sansong_consultations where " + " and ".join(where) + " order by id", params)


def quarter_of(day: dt.date) -> str:
    """``2024Q4`` for a day of October–December 2024."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


# -- 每年度群众工作满意度测评 (L140) ----------------------------------------------------------------
def rate_cadre(ctx, person: str, year: int, satisfied: int, basically: int, unsatisfied: int) -> dict:
    """Record cadre ``person``'s annual mass-work satisfaction rating for ``year`` (votes per
    level), filed to the cadre's personal file (记入干部个人档案, L140); again for the same year
    replaces it. It is counted at the village the cadre is stationed in, else of its first
    contact household, else at the cadre's own unit (考察延伸到驻点村，组织群众参与, L140). Returns the row with ``rate`` = (satisfied + basically) / votes."""
    try:
        p = ctx.person(person)
    except NotFound:
        raise CountyError(f"rating {person}: no such person") from None
    counts = (satisfied, basically, unsatisfied)
    if any(n < 0 for n in counts) or sum(counts) == 0:
        raise CountyError(f"--satisfied/--basically/--unsatisfied {counts}: counts, 0 or more, not all 0")
    today = ctx.calendar.local(ctx.now).date()
    where = [r["unit"] for r in network.stations(ctx, on=today) if r["person"] == person] + [
        r["unit"] for r in network.links(ctx, on=today, person=person)]
    row = {"person": person, "year": int(year), "unit": where[0] if where else p.unit, "satisfied": satisfied,
           "basically": basically,
           "unsatisfied": unsatisfied, "at": ctx.now}
    ctx.db.upsert("sansong_ratings", row, pk=("person", "year"))
    return {**row, "at": ctx.now.isoformat(), "rate": (satisfied + basically) / sum(counts)}


def ratings(ctx, year: int) -> list[dict]:
    """The ratings of ``year``, by person."""
    return ctx.db.query("select * from sansong_ratings where year = ? order by person", [int(year)])
