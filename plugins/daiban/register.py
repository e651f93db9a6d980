"""The plugin's own tables and the operations on them: the monthly card check and its overdue
register (L229 乡镇党委每月检查"跟踪卡"，将超过办理期限的登记在案), real-name complaints
(L229 实名投诉 … 一经查实，按情节轻重追究责任并限期整改) and the year-end democratic
appraisal (L231 民主评议).

Every function takes the :class:`framework.kernel.county.County` and writes inside one
``county.store.transaction()``; times are the county's ``now`` (aware, deployment zone).
"""

from __future__ import annotations

import datetime as dt

from framework import (
    DONE_STATUSES,
    OPEN_STATUSES,
    CountyError,
    NotFound,
    Refusal,
    period_dates,
)
from framework.store.db import iso
from plugins.daiban.card import METHOD, is_agent

COMPLAINT_KINDS = {"overdue": "逾期未办结", "service": "对代办员服务不满意"}
SEVERITIES = {"minor": "情节轻微", "ordinary": "情节一般", "serious": "情节严重"}
COMPLAINT_STATUS_ZH = {"filed": "已受理", "upheld": "查实", "not_upheld": "未查实",
                       "rectifying": "整改中", "closed": "整改到位，已办结"}
REVIEWER_KINDS = {"party_member": "党员", "villager_rep": "村民代表"}


def migrations(m):
    """Register the plugin's tables on the ``sqlite_utils`` Migrations set ``m``."""

    @m()
    def m001_tables(db):
        db["daiban_overdue"].create({
            "id": int, "case_id": str, "agent": str, "unit": str, "month": str, "due_at": str,
            "due_ts": float, "state": str, "resolved_at": str, "swept": int, "found_at": str,
            "checked_by": str,
        }, pk="id")
        db["daiban_overdue"].create_index(["case_id"], unique=True)
        db["daiban_overdue"].create_index(["agent", "due_ts"])
        db["daiban_checks"].create({
            "id": int, "month": str, "unit": str, "checked_at": str, "actor": str, "cards": int,
            "overdue": int, "new": int,
        }, pk="id")
        db["daiban_complaints"].create({
            "id": int, "case_id": str, "agent": str, "unit": str, "kind": str, "complainant": str,
            "complainant_phone": str, "text": str, "filed_at": str, "filed_ts": float, "status": str,
            "finding": str, "upheld": int, "severity": str, "accountability": str, "investigated_at": str,
            "measure": str, "rectify_due_at": str, "rectified_at": str, "result": str, "closed_at": str,
            "on_time": int,
        }, pk="id")
        db["daiban_complaints"].create_index(["agent", "filed_ts"])
        db["daiban_reviews"].create({
            "id": int, "agent": str, "year": int, "reviewer_kind": str, "reviewer": str,
            "attitude": float, "efficiency": float, "results": float, "entered_at": str, "actor": str,
        }, pk="id")
        db["daiban_reviews"].create_index(["agent", "year"])


def _qs(items) -> str:
    return ",".join("?" * len(items))


# -- the monthly card check -----------------------------------------------------------------


def _month(text: str) -> tuple[dt.date, dt.date]:
    s = str(text).strip()
    try:
        if len(s) != 7 or s[4] != "-":
            raise CountyError(s)
        return period_dates(s)
    except CountyError:
        raise CountyError(f"--month: {text!r} is not a month (use YYYY-MM, e.g. 2013-03)") from None


def check_month(county, month: str, unit: str | None = None) -> dict:
    """The township party committee's monthly check of the tracking cards (L229).

    Every daiban card of ``unit``'s subtree (default: the whole deployment) whose promised due
    instant falls in ``month`` (``YYYY-MM``, local) and has passed at ``now`` is looked at; a
    card still open after its due instant, or completed after it, is logged once in the overdue
    register (``daiban_overdue``, one row per card; running the check again adds nothing).
    Returns ``{"month", "unit", "checked_at", "cards", "overdue", "new", "entries": [...]}``.
    Refusal when the month has not begun."""
    _month(month)
    t0, t1 = county.calendar.period_bounds(month)
    now = county.now()
    if now < t0:
        raise Refusal(f"--month {month}: the month has not begun at {now.isoformat()}")
    where = ["method = ?", "due_ts >= ?", "due_ts < ?", "due_ts < ?"]
    params: list = [METHOD, t0.timestamp(), t1.timestamp(), now.timestamp()]
    if unit:
        codes = county.subtree(county.unit(unit).code)
        where.append(f"(origin_unit in ({_qs(codes)}) or unit in ({_qs(codes)}))")
        params += codes + codes
    new = 0
    with county.store.transaction():
        cards = county.store.query("select * from cases where " + " and ".join(where) + " order by seq", params)
        for c in cards:
            if c["status"] in OPEN_STATUSES:
                state = "open"
            elif c["status"] in DONE_STATUSES and c["resolved_ts"] is not None and c["resolved_ts"] > c["due_ts"]:
                state = "completed_late"
            else:
                continue
            if county.store.query("select 1 from daiban_overdue where case_id = ?", [c["id"]]):
                continue
            swept = bool(county.store.query("select 1 from events where case_id = ? and type = 'overdue'", [c["id"]]))
            county.store.insert("daiban_overdue", {
                "case_id": c["id"], "agent": c["handler"], "unit": c["origin_unit"], "month": month,
                "due_at": c["due_at"], "due_ts": c["due_ts"], "state": state, "resolved_at": c["resolved_at"],
                "swept": int(swept), "found_at": iso(now), "checked_by": county.actor})
            county.record_event(c["id"], "overdue_registered", note=f"{month}跟踪卡检查：超过办理期限，登记在案",
                                data={"month": month, "state": state})
            new += 1
        entries = overdue_entries(county, month=month, unit=unit)
        county.store.insert("daiban_checks", {
            "month": month, "unit": unit or "", "checked_at": iso(now), "actor": county.actor,
            "cards": len(cards), "overdue": len(entries), "new": new})
    return {"month": month, "unit": unit, "checked_at": now.isoformat(), "cards": len(cards),
            "overdue": len(entries), "new": new, "entries": entries}


def overdue_entries(county, *, month: str | None = None, year: str | None = None, unit: str | None = None,
                    agent: str | None = None) -> list[dict]:
    """Rows of the overdue register, oldest due first: case_id, agent, unit, month, due_at,
    state (``open`` / ``completed_late`` at the check), resolved_at, swept, found_at."""
    where, params = ["1=1"], []
    if month:
        where.append("month = ?")
        params.append(month)
    if year:
        where.append("substr(month, 1, 4) = ?")
        params.append(str(year))
    if unit:
        codes = county.subtree(county.unit(unit).code)
        where.append(f"unit in ({_qs(codes)})")
        params += codes
    if agent:
        where.append("agent = ?")
        params.append(agent)
    rows = county.store.query("select * from daiban_overdue where " + " and ".join(where) + " order by due_ts, id", params)
    for r in rows:
        r["swept"] = bool(r["swept"])
    return rows


def checks_done(county, month: str) -> list[dict]:
    return county.store.query("select * from daiban_checks where month = ? order by id", [month])


# -- complaints ---------------------------------------------------------------------------------


def _not_before(now: dt.datetime, since: str | dt.datetime | None, what: str, action: str) -> None:
    """Refusal (exit 1) when ``now`` is before ``since`` (an ISO instant or aware datetime; None:
    unknown, no check). ``what`` says what happened then ("case X was taken in"), ``action`` what
    cannot be done earlier."""
    if not since:
        return
    at = dt.datetime.fromisoformat(since) if isinstance(since, str) else since
    if now < at:
        raise Refusal(f"{what} at {at.isoformat()}; {action} at {now.isoformat()} (check --now)")


def get_complaint(county, cid: int) -> dict:
    rows = county.store.query("select * from daiban_complaints where id = ?", [int(cid)])
    if not rows:
        raise NotFound(f"unknown complaint {cid} (see `county daiban complaint list`)")
    return rows[0]


def add_complaint(county, *, complainant: str, kind: str, text: str, agent: str | None = None,
                  case_id: str | None = None, phone: str | None = None) -> dict:
    """File a real-name complaint (实名投诉) with the township government (L229).

    ``complainant`` (the villager's real name) is required; ``kind`` is ``overdue`` (逾期未办结,
    needs ``case_id`` of a card past its due instant at ``now``) or ``service`` (服务不满意).
    The agent defaults to the card's handler. Returns the complaint row."""
    if not (complainant or "").strip():
        raise CountyError("--complainant: a real-name complaint (实名投诉) needs the villager's name")
    if kind not in COMPLAINT_KINDS:
        raise CountyError(f"--kind: {kind!r} (use one of: {', '.join(COMPLAINT_KINDS)})")
    if not (text or "").strip():
        raise CountyError("--text: say what the complaint is about")
    now = county.now()
    case = county.get_case(case_id) if case_id else None
    if case is not None and case.method != METHOD:
        raise CountyError(f"--case {case_id}: a {case.method} case, not a daiban tracking card")
    if case is not None:
        _not_before(now, case.created_at, f"case {case.id} was taken in", "a complaint about it cannot be filed")
    if kind == "overdue":
        if case is None:
            raise CountyError("--case: a complaint about an overdue errand names its tracking card")
        late_done = case.resolved_at is not None and case.due_at is not None and case.resolved_at > case.due_at
        late_open = case.is_open and case.due_at is not None and now > case.due_at
        if not (late_done or late_open):
            raise Refusal(f"case {case.id} is not overdue (due {case.due_at.isoformat() if case.due_at else '-'}); "
                          f"file it as --kind service if the service was unsatisfactory")
    agent = agent or (case.handler if case else None)
    if not agent:
        raise CountyError("--agent: name the agent the complaint is about (the card has no handler)")
    person = county.person(agent)
    if not is_agent(person) and "service_team" not in person.roles:
        raise CountyError(f"--agent: {agent} ({person.name}) is not an agent (代办员)")
    township = county.ancestor(person.unit, "township")
    with county.store.transaction():
        cid = county.store.insert("daiban_complaints", {
            "case_id": case.id if case else None, "agent": agent, "unit": township.code if township else person.unit,
            "kind": kind, "complainant": complainant.strip(), "complainant_phone": phone, "text": text.strip(),
            "filed_at": iso(now), "filed_ts": now.timestamp(), "status": "filed"})
        if case is not None:
            county.record_event(case.id, "complaint_filed", note=f"实名投诉（{COMPLAINT_KINDS[kind]}）",
                                data={"complaint": cid, "agent": agent, "kind": kind})
    return get_complaint(county, cid)


def investigate(county, cid: int, *, upheld: bool, finding: str, severity: str | None = None,
                accountability: str | None = None) -> dict:
    """Record the investigation (查实与否). An upheld complaint needs ``severity`` (minor /
    ordinary / serious: 按情节轻重追究责任) and then a rectification; one not upheld ends here."""
    c = get_complaint(county, cid)
    if c["status"] != "filed":
        raise Refusal(f"complaint {cid} is {c['status']}; it was already investigated")
    if not (finding or "").strip():
        raise CountyError("--finding: say what the investigation found")
    if upheld and severity not in SEVERITIES:
        raise CountyError(f"--severity: an upheld complaint needs one of {', '.join(SEVERITIES)}")
    now = county.now()
    _not_before(now, c["filed_at"], f"complaint {cid} was filed", "it cannot be investigated")
    status = "upheld" if upheld else "not_upheld"
    with county.store.transaction():
        county.store.update("daiban_complaints", c["id"], {
            "status": status, "upheld": int(upheld), "finding": finding.strip(), "severity": severity if upheld else None,
            "accountability": accountability, "investigated_at": iso(now)})
        if c["case_id"]:
            county.record_event(c["case_id"], "complaint_investigated", note=f"投诉{COMPLAINT_STATUS_ZH[status]}：{finding.strip()}",
                                data={"complaint": c["id"], "upheld": upheld, "severity": severity})
    return get_complaint(county, cid)


def rectify(county, cid: int, *, measure: str, days: int | None = None) -> dict:
    """Order the rectification (限期整改) of an upheld complaint: ``measure`` and a due instant
    at the end of the ``days``-th calendar day after today (default setting ``rectify_days``)."""
    c = get_complaint(county, cid)
    if c["status"] != "upheld":
        raise Refusal(f"complaint {cid} is {c['status']}; only an upheld complaint is rectified")
    if not (measure or "").strip():
        raise CountyError("--measure: say what is to be rectified")
    days = int(days if days is not None else county.settings(METHOD)["rectify_days"])
    if days < 1:
        raise CountyError("--days: at least 1 calendar day")
    now = county.now()
    _not_before(now, c["investigated_at"], f"complaint {cid} was investigated", "its rectification cannot be ordered")
    due = county.calendar.calendar_days(now, days)
    with county.store.transaction():
        county.store.update("daiban_complaints", c["id"], {
            "status": "rectifying", "measure": measure.strip(), "rectify_due_at": iso(due)})
        if c["case_id"]:
            county.record_event(c["case_id"], "complaint_rectification", note=f"限期整改至{due.isoformat()}：{measure.strip()}",
                                data={"complaint": c["id"], "rectify_due_at": due.isoformat()})
    return get_complaint(county, cid)


def close(county, cid: int, *, result: str) -> dict:
    """Close a complaint once its rectification is done (整改到位). Refusal (exit 1) unless a
    rectification was ordered; records whether it was done by its due instant."""
    c = get_complaint(county, cid)
    if c["status"] == "closed":
        raise Refusal(f"complaint {cid} is already closed")
    if c["status"] != "rectifying" or not c["measure"]:
        why = {"filed": "it has not been investigated", "not_upheld": "it was not upheld (nothing to rectify)",
               "upheld": "no rectification has been ordered (run `county daiban complaint rectify`)"}.get(c["status"], c["status"])
        raise Refusal(f"complaint {cid} cannot be closed without a rectification: {why}")
    if not (result or "").strip():
        raise CountyError("--result: say how the rectification was carried out")
    now = county.now()
    _not_before(now, _rectification_ordered_at(county, c), f"the rectification of complaint {cid} was ordered",
                "it cannot be closed")
    on_time = now <= dt.datetime.fromisoformat(c["rectify_due_at"])
    with county.store.transaction():
        county.store.update("daiban_complaints", c["id"], {
            "status": "closed", "result": result.strip(), "rectified_at": iso(now), "closed_at": iso(now),
            "on_time": int(on_time)})
        if c["case_id"]:
            county.record_event(c["case_id"], "complaint_closed", note=f"整改到位：{result.strip()}",
                                data={"complaint": c["id"], "on_time": on_time})
    return get_complaint(county, cid)


def _rectification_ordered_at(county, c: dict) -> str | None:
    """When the rectification of complaint ``c`` was ordered: its ``complaint_rectification``
    event on the card, else (no card) the investigation time."""
    if c["case_id"]:
        for e in reversed(county.get_case(c["case_id"]).events):
            if e.type == "complaint_rectification" and (e.data or {}).get("complaint") == c["id"]:
                return e.at.isoformat()
    return c["investigated_at"]


def complaints(county, *, agent: str | None = None, status: str | None = None, overdue: bool = False) -> list[dict]:
    """Complaints, oldest first; ``overdue`` keeps those whose rectification is past its due
    instant at ``now`` and not yet closed."""
    where, params = ["1=1"], []
    if overdue:
        where.append("status = 'rectifying'")
    if agent:
        where.append("agent = ?")
        params.append(agent)
    if status:
        where.append("status = ?")
        params.append(status)
    rows = county.store.query("select * from daiban_complaints where " + " and ".join(where) + " order by id", params)
    if overdue:
        now = county.now()
        rows = [r for r in rows if dt.datetime.fromisoformat(r["rectify_due_at"]) < now]
    return rows


# -- democratic appraisal -------------------------------------------------------------------


def add_review(county, *, agent: str, year: int, reviewer_kind: str, attitude: float, efficiency: float,
               results: float, reviewer: str | None = None) -> dict:
    """One year-end democratic appraisal sheet (民主评议, L231): a party member or villager
    representative scores an agent's attitude (服务态度), efficiency (办事效率) and results
    (效果), each 0–100. ``year`` may not be after the current year (CountyError naming --year)."""
    person = county.person(agent)
    if not is_agent(person) and "service_team" not in person.roles:
        raise CountyError(f"--agent: {agent} ({person.name}) is not an agent (代办员)")
    if reviewer_kind not in REVIEWER_KINDS:
        raise CountyError(f"--reviewer-kind: {reviewer_kind!r} (use party_member or villager_rep)")
    for name, v in (("attitude", attitude), ("efficiency", efficiency), ("results", results)):
        if not 0 <= v <= 100:
            raise CountyError(f"--{name}: {v:g} is not a score from 0 to 100")
    if not 1900 <= int(year) <= 2200:
        raise CountyError(f"--year: {year} is not a year")
    now = county.now()
    if int(year) > now.year:
        raise CountyError(f"--year: {year} is after the current year ({now.year}); "
                          f"a year is appraised at its end or later")
    with county.store.transaction():
        rid = county.store.insert("daiban_reviews", {
            "agent": agent, "year": int(year), "reviewer_kind": reviewer_kind, "reviewer": reviewer,
            "attitude": float(attitude), "efficiency": float(efficiency), "results": float(results),
            "entered_at": iso(now), "actor": county.actor})
    return county.store.query("select * from daiban_reviews where id = ?", [rid])[0]


def reviews(county, *, year: int | None = None, agent: str | None = None) -> list[dict]:
    where, params = ["1=1"], []
    if year is not None:
        where.append("year = ?")
        params.append(int(year))
    if agent:
        where.append("agent = ?")
        params.append(agent)
    return county.store.query("select * from daiban_reviews where " + " and ".join(where) + " order by id", params)


# -- the network -------------------------------------------------------------------------------


def coverage(county, unit: str | None = None) -> dict:
    """The three-node network (L225): every villager group needs at least 1 agent (组代办员);
    every village an agency room with an agent; every township a centre with a director and
    3–4 staff agents. Returns counts and the gaps."""
    codes = set(county.subtree(county.unit(unit).code)) if unit else set(county.units)
    people = list(county.people.values())

    def agents_at(code):
        return sorted(p.id for p in people if p.unit == code and is_agent(p))

    def path(code):
        v = county.ancestor(code, "village")
        t = county.ancestor(code, "township")
        return {"village": v.code if v else None, "village_name": v.name if v else None,
                "township": t.code if t else None, "township_name": t.name if t else None}

    groups, villages, townships = [], [], []
    for u in sorted(county.units.values(), key=lambda u: u.code):
        if u.code not in codes:
            continue
        if u.level == "group":
            groups.append({"code": u.code, "name": u.name, **path(u.code), "agents": agents_at(u.code)})
        elif u.level == "village":
            villages.append({"code": u.code, "name": u.name, "agents": agents_at(u.code)})
        elif u.level == "township":
            directors = sorted(p.id for p in people if p.unit == u.code and "centre_director" in p.roles)
            staff = agents_at(u.code)
            problems = []
            if not directors:
                problems.append("no centre director (乡代办中心主任)")
            if len(staff) < 3:
                problems.append(f"{len(staff)} staff agents (need 3–4)")
            townships.append({"code": u.code, "name": u.name, "director": directors, "agents": staff,
                              "ok": not problems, "problems": problems})
    uncovered = [g for g in groups if not g["agents"]]
    return {
        "groups": len(groups), "groups_covered": len(groups) - len(uncovered),
        "uncovered_groups": uncovered,
        "villages": len(villages), "villages_without_office_agent": [v for v in villages if not v["agents"]],
        "townships": townships,
    }
