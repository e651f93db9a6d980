"""jieti's records and actions, taking ``ctx`` (the commands, the demo and the tests call them).

* joint meetings of the four selection bodies (民情联席会议, L302);
* the inspection centre's monthly 督查·汇总·通报 (L306);
* the township liaison cadre's monthly / quarterly reports (L302);
* the annual quotas: days at the grassroots and practical things per person (L306);
* county leaders' reception hours (坐班接待, published in the press, L302);
* a village's report of a matter beyond the departments' powers to the county committee and
  government, and the leading-group office's feasibility report (L306).
"""

from __future__ import annotations

import datetime as dt
import json

from framework import CountyError, NotFound, Refusal, chunks, parse_date, parse_month

from .rules import BODIES, LIAISON_REPORTS, NAME, QUOTA_KINDS
from .stages import level_ancestor, tier_levels


def body_levels(ctx, body: str) -> tuple[str, ...]:
    """Unit levels a selection body sits at (the village body: setting ``village_levels``)."""
    if body not in BODIES:
        raise CountyError(f"--body {body!r}: use one of {', '.join(BODIES)} (L302)")
    return tier_levels(ctx, {"group": "group", "village": "village", "township": "township",
                             "county": "county_office"}[body])


def local_date(ctx, value, what: str) -> dt.date:
    """``value`` (a date, ``YYYY-MM-DD`` text or None = today) as a local date, not after today."""
    today = ctx.calendar.local(ctx.now).date()
    if value is None:
        return today
    d = parse_date(value, what)
    if d > today:
        raise CountyError(f"{what} {d}: after today ({today})")
    return d


def record_meeting(ctx, body: str, unit: str, held_on=None, items=(), note: str | None = None) -> dict:
    """Record a joint meeting of ``body`` (group / village / township / county, L302) at
    ``unit`` on ``held_on`` (local date, default today). ``items``: case ids the meeting
    collected, compiled, selected or studied — each open one gets a ``selection_meeting``
    event. Returns the row (``items`` as a list). CountyError for a wrong level or date,
    NotFound for an unknown unit or case."""
    levels = body_levels(ctx, body)
    u = ctx.unit(unit)
    if u.level not in levels:
        raise CountyError(f"--unit {unit}: the {BODIES[body][0]} sits at a {'/'.join(levels)}, not a {u.level}")
    d = local_date(ctx, held_on, "--date")
    items = list(dict.fromkeys(items))
    found = ctx.cases.get_many(items) if items else {}
    for cid in items:
        if cid not in found:
            raise NotFound(f"case {cid!r}: no such case")
        if found[cid].unit not in ctx.subtree(unit) and found[cid].origin_unit not in ctx.subtree(unit):
            raise CountyError(f"case {cid}: not a matter of {u.name} ({unit})")
    at = ctx.calendar.end_of_day(d) if d < ctx.calendar.local(ctx.now).date() else ctx.now
    row = {"body": body, "unit": unit, "held_on": d.isoformat(), "held_ts": at.timestamp(), "items": items,
           "note": note, "recorded_by": ctx.actor}
    with ctx.transaction():
        row["id"] = ctx.db.insert("jieti_meetings", row)
        for cid in items:
            if found[cid].is_open:
                ctx.actions.record_event(cid, "selection_meeting", f"{u.name}{BODIES[body][0]}联席会议（{d}）",
                                         {"meeting": row["id"], "body": body})
    return row


def meetings(ctx, unit: str | None = None, first: dt.date | None = None, last: dt.date | None = None) -> list[dict]:
    """Meetings at units in ``unit``'s subtree held in ``[first, last]`` (local dates), by date."""
    rows = ctx.db.query("select * from jieti_meetings order by held_on, id")
    inside = set(ctx.subtree(unit)) if unit else None
    out = []
    for r in rows:
        if inside is not None and r["unit"] not in inside:
            continue
        if (first and r["held_on"] < first.isoformat()) or (last and r["held_on"] > last.isoformat()):
            continue
        r["items"] = json.loads(r["items"]) if r["items"] else []
        out.append(r)
    return out


def county_root(ctx, unit: str | None = None) -> str:
    """The county unit above ``unit`` (the first county-level root when None)."""
    if unit:
        c = level_ancestor(ctx, unit, ("county",))
        if c:
            return c
    for u in ctx.roots():
        if u.level == "county":
            return u.code
    return ctx.roots()[0].code


def month_summary(ctx, month: str, unit: str) -> str:
    """The inspection's 汇总 of jieti's matters for ``month`` in ``unit``'s subtree: taken in,
    settled, open past due at the month's end."""
    end = ctx.calendar.period_bounds(month)[1]
    taken = ctx.cases.count(method=NAME, unit=unit, created=month)
    settled = ctx.cases.count(method=NAME, unit=unit, resolved=month)
    late = ctx.cases.count(method=NAME, unit=unit, due_before=min(end, ctx.now))
    return f"{month}：受理{taken}件，办结{settled}件，逾期未办结{late}件"


def record_inspection(ctx, month: str, unit: str | None = None, summary: str | None = None,
                      circulated: bool = True, note: str | None = None) -> dict:
    """The inspection centre's monthly 督查、汇总、通报 (一月一督查、一汇总、一通报, L306) for
    ``month`` (``YYYY-MM``) at the county ``unit`` (default the county root). ``summary``
    defaults to the month's figures (:func:`month_summary`). Refusal when the month has not
    begun, or was inspected already (once a month); CountyError for a bad month."""
    y, m = parse_month(month, "--month")
    month = f"{y:04d}-{m:02d}"
    start = ctx.calendar.period_bounds(month)[0]
    if ctx.now < start:
        raise Refusal(f"--month {month}: has not begun")
    unit = county_root(ctx, unit)
    if ctx.db.count("jieti_inspections", "month = ? and unit = ?", [month, unit]):
        raise Refusal(f"{month} was inspected already at {ctx.units[unit].name} (一月一督查)")
    row = {"month": month, "unit": unit, "inspected_on": ctx.calendar.local(ctx.now).date().isoformat(),
           "inspected_ts": ctx.now.timestamp(), "summary": summary or month_summary(ctx, month, unit),
           "circulated": int(bool(circulated)), "note": note, "recorded_by": ctx.actor}
    ctx.db.insert("jieti_inspections", row)
    return row


def record_liaison_report(ctx, unit: str, kind: str, period: str, to: str, note: str | None = None) -> dict:
    """The township liaison cadre's report (L302): ``kind`` ``monthly`` (period ``YYYY-MM``, to
    the paired city/county units) or ``quarterly`` (``YYYYQn``, to the paired leaders), by
    township ``unit``. CountyError for a bad kind, period or unit; Refusal before the period began."""
    if kind not in LIAISON_REPORTS:
        raise CountyError(f"--kind {kind!r}: use monthly or quarterly (L302)")
    if ctx.unit(unit).level != "township":
        raise CountyError(f"--unit {unit}: the liaison cadre reports for a township (L302)")
    ok = (len(period) == 7 and period[4] == "-") if kind == "monthly" else ("Q" in period and len(period) == 6)
    if not ok:
        raise CountyError(f"--period {period!r}: a {'month YYYY-MM' if kind == 'monthly' else 'quarter YYYYQn'}")
    start, _ = ctx.calendar.period_bounds(period)
    if ctx.now < start:
        raise Refusal(f"--period {period}: has not begun")
    row = {"unit": unit, "kind": kind, "period": period,
           "reported_on": ctx.calendar.local(ctx.now).date().isoformat(), "reported_ts": ctx.now.timestamp(),
           "reported_to": to, "note": note, "recorded_by": ctx.actor}
    row["id"] = ctx.db.insert("jieti_liaison_reports", row)
    return row


def log_quota(ctx, person: str, kind: str, amount: float = 1, on_date=None, case_id: str | None = None,
              note: str | None = None) -> dict:
    """Log days at the grassroots (``grassroots_days``, ``amount`` days, 0 < amount ≤ 31 per
    entry) or a practical thing done (``deed``, amount 1, optionally a resolved case) for
    ``person`` on ``on_date`` (default today) (L306). CountyError for bad input."""
    p = ctx.person(person)
    if kind not in QUOTA_KINDS:
        raise CountyError(f"--kind {kind!r}: use {' or '.join(QUOTA_KINDS)} (L306)")
    if kind == "deed":
        amount = 1
    elif not 0 < float(amount) <= 31:
        raise CountyError(f"--days {amount}: between 0 and 31 days per entry")
    if case_id is not None:
        c = ctx.cases.get(case_id, events=False)
        if c.is_open:
            raise CountyError(f"--case {case_id}: still open; a practical thing is counted once done")
    d = local_date(ctx, on_date, "--date")
    row = {"person": person, "unit": p.unit, "kind": kind, "amount": float(amount), "on_date": d.isoformat(),
           "on_ts": ctx.calendar.end_of_day(d).timestamp(), "case_id": case_id, "note": note,
           "recorded_by": ctx.actor}
    row["id"] = ctx.db.insert("jieti_quota_log", row)
    return row


def quota_class(ctx, person) -> tuple[str | None, str | None]:
    """``(servant class, deed class)`` of a person (L306): servant class ``county`` (a
    county-level unit: the county or a department) or ``township`` (a township unit), None for
    village and group people (not 财政供养) or without role ``people_servant``; deed class
    ``leader`` (role ``section_leader``), ``cadre`` (role ``agency_cadre``) or None."""
    servant = None
    if "people_servant" in person.roles:
        level = ctx.units[person.unit].level
        if level == "township":
            servant = "township"
        elif level in ("county", "department") or level_ancestor(ctx, person.unit, ("township",)) is None:
            servant = "county"
    deeds = "leader" if "section_leader" in person.roles else "cadre" if "agency_cadre" in person.roles else None
    return servant, deeds


def quota_status(ctx, year: str, unit: str | None = None) -> list[dict]:
    """Each person with an annual quota in ``unit``'s subtree (L306), for ``year`` (``YYYY``):
    ``days`` logged against ``days_required`` (settings ``county_servant_days`` 30 /
    ``township_servant_days`` 90), ``deeds`` against ``deeds_required`` (``leader_deeds`` 3 /
    ``cadre_deeds`` 1), and whether each is met (None: no quota of that kind). By person id."""
    if len(year) != 4 or not year.isdigit():
        raise CountyError(f"--year {year!r}: a year YYYY")
    where, params = ctx.scope(unit, year, unit_cols=("unit",), ts_cols=("on_ts",))
    where = where or ["1"]
    logged: dict = {}
    for r in ctx.db.query("select person, kind, sum(amount) as n from jieti_quota_log where " + " and ".join(where)
                          + " group by person, kind", params):
        logged[(r["person"], r["kind"])] = r["n"]
    inside = set(ctx.subtree(unit)) if unit else None
    out = []
    for p in sorted(ctx.people.values(), key=lambda p: p.id):
        if (inside is not None and p.unit not in inside) or not ctx.takes_part(p.unit):
            continue
        servant, deeds = quota_class(ctx, p)
        if servant is None and deeds is None:
            continue
        need_days = ctx.settings[f"{servant}_servant_days"] if servant else None
        need_deeds = ctx.settings[f"{deeds}_deeds"] if deeds else None
        days, done = logged.get((p.id, "grassroots_days"), 0), logged.get((p.id, "deed"), 0)
        out.append({"person": p.id, "name": p.name, "unit": p.unit, "servant_class": servant, "deed_class": deeds,
                    "days": days, "days_required": need_days,
                    "days_met": None if need_days is None else days >= need_days,
                    "deeds": int(done), "deeds_required": need_deeds,
                    "deeds_met": None if need_deeds is None else done >= need_deeds})
    return out


def add_reception(ctx, leader: str, place: str, schedule: str, published_in: str | None = None) -> dict:
    """A county-level leader's fixed reception place and hours (定点定时坐班接待, L302), published
    in the press (``published_in``). CountyError when the person is not a ``county_leader``."""
    p = ctx.person(leader)
    if "county_leader" not in p.roles:
        raise CountyError(f"--leader {leader}: {p.name} is not a county-level leader (role county_leader, L302)")
    row = {"leader": leader, "place": place, "schedule": schedule, "published_in": published_in,
           "created_at": ctx.now.isoformat()}
    row["id"] = ctx.db.insert("jieti_receptions", row)
    return row


def receptions(ctx) -> list[dict]:
    """Every reception schedule, by id."""
    return ctx.db.query("select * from jieti_receptions order by id")


def _open_at(ctx, case_id: str, level: str, what: str):
    case = ctx.cases.get(case_id, events=False)
    if not case.is_open:
        raise Refusal(f"case {case_id} is {case.status}: {what} needs an open matter")
    if case.level != level:
        raise Refusal(f"case {case_id} is at tier {case.level}, not {level}: {what}")
    return case


def report_up(ctx, case_id: str, reason: str):
    """A listed case beyond the departments' powers or not solvable soon (L306): the reason is
    explained to the villagers and the matter reported to the county committee and government
    (a ``reported_up`` event), which takes it up (tier ``county_leadership``). Refusal unless
    the case is open at the village tier. Returns the case."""
    if not reason or not reason.strip():
        raise CountyError("--reason: say why the matter is beyond the departments' powers (L306)")
    _open_at(ctx, case_id, "village", "only a village's listed case is reported up")
    with ctx.transaction():
        ctx.actions.record_event(case_id, "reported_up", f"向群众说明原因：{reason}", {"reason": reason},
                                 extra={"reported_up": True})
        return ctx.actions.escalate(case_id, f"超出部门权限或短期难以解决，报告县委、政府：{reason}",
                                    to_level="county_leadership")


def feasibility(ctx, case_id: str, report: str):
    """The leading-group office's feasibility report (可行性调查报告, L306) on a county-wide
    matter: meets the ``feasibility_report`` milestone and submits the matter to the county
    committee and government (tier ``county_leadership``); a report after the milestone was
    missed (flagged) leaves it missed. Refusal unless open at
    ``county_office``. Returns the case."""
    if not report or not report.strip():
        raise CountyError("--report: the feasibility report's conclusion")
    _open_at(ctx, case_id, "county_office", "only the leading-group office writes the feasibility report")
    pending = ctx.milestones.of(case_id, state="pending", level="county_office", name="feasibility_report")
    with ctx.transaction():
        ctx.actions.record_event(case_id, "feasibility_report", report, {"report": report},
                                 extra={"feasibility_report": report},
                                 meet="feasibility_report" if pending else None)
        return ctx.actions.escalate(case_id, "可行性调查报告提交县委、政府研究解决", to_level="county_leadership")


def cases_by_id(ctx, ids: list[str]) -> dict:
    """``{id: Case}`` read in chunks under SQLite's limit."""
    out = {}
    for chunk in chunks(ids):
        out.update(ctx.cases.get_many(chunk))
    return out
