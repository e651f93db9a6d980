"""The method's operations, used by the commands and the demo: signing the tracking card, the
monthly card check and its overdue register (L229 乡镇党委每月检查"跟踪卡"，将超过办理期限的
登记在案), real-name complaints (L229 实名投诉 … 一经查实，按情节轻重追究责任并限期整改), the
year-end democratic appraisal sheets (L231 民主评议); the network's coverage (L225) is
:mod:`plugins.daiban.network`.

Every function takes the method's ``ctx`` (:class:`framework.MethodContext`). Cases are read
through ``ctx.cases`` / ``ctx.events`` and changed through ``ctx.actions``; the plugin's own
tables through ``ctx.db``. A function that writes does so in one ``ctx.transaction()`` at the
clock's instant ``ctx.clock()`` (what ``ctx.actions`` stamps its events with; inside
``ctx.acting_at(when)`` that is ``when``). Times returned are ISO 8601 text with offset.
Errors: CountyError (bad input, exit 2, naming the option), Refusal (not allowed now, exit 1),
NotFound (unknown case, complaint, person or unit, exit 2).
"""

from __future__ import annotations

import datetime as dt

from framework import (
    DONE_STATUSES,
    OPEN_STATUSES,
    SATISFACTION,
    Case,
    CountyError,
    MethodContext,
    NotFound,
    Refusal,
    chunks,
    period_dates,
)
from plugins.daiban.rules import (
    CATEGORIES,
    COMPLAINT_KINDS,
    COMPLAINT_STATUS_ZH,
    METHOD,
    REVIEWER_KINDS,
    SEVERITIES,
    serves_errands,
)
from plugins.daiban.stages import cap, check_promise, due_of, parse_promise, promise_label, promise_text


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# -- the tracking card --------------------------------------------------------------------------


def get_card(ctx: MethodContext, case_id: str, *, events: bool = True) -> Case:
    """The daiban case ``case_id`` (with its events unless ``events=False``). NotFound when
    unknown; CountyError when it belongs to another method."""
    case = ctx.cases.get(case_id, events=events)
    if case.method != METHOD:
        raise CountyError(f"{case_id}: a {case.method} case, not a daiban tracking card")
    return case


def sign(ctx: MethodContext, case_id: str, *, satisfaction: str, outcome: str | None = None,
         signed_by: str | None = None, hours: float | None = None) -> Case:
    """The requester signs the tracking card on completion (办结时由委托人签字确认, L229).

    An open card is completed now first (``ctx.actions.resolve`` with ``outcome``, then
    required); a completed card keeps the note of its ``resolved`` event as outcome unless one
    is given. Then the rating is confirmed (``ctx.actions.confirm``; ``satisfaction`` one of
    satisfied / basically / unsatisfied) and a ``card_signed`` event records ``outcome``,
    ``signed_by`` (default: the requester's name), ``signed_at`` and optionally
    ``input_hours`` = ``hours`` (≥ 0) on the card. Returns the card afterwards. Refusal when the
    card is already confirmed or a step would be dated before the one it follows."""
    case = get_card(ctx, case_id)
    if satisfaction not in SATISFACTION:
        raise CountyError(f"--satisfaction: {satisfaction!r} (use one of: {', '.join(SATISFACTION)})")
    signer = (signed_by or case.requester.name or "").strip()
    if not signer:
        raise CountyError("--signed-by: the card has no requester name; say who signs")
    if hours is not None and hours < 0:
        raise CountyError("--hours: must be 0 or more")
    with ctx.transaction():
        if case.status in OPEN_STATUSES:
            if not (outcome or "").strip():
                raise CountyError("--outcome: the card is still open; say how the errand was completed")
            ctx.actions.resolve(case_id, outcome)
        elif case.status != "resolved":
            raise Refusal(f"case {case_id} is {case.status}; only an open or completed card can be signed")
        elif not outcome:
            outcome = next((e.note for e in reversed(case.events) if e.type == "resolved"), None)
        ctx.actions.confirm(case_id, satisfaction, note=f"委托人签字确认：{signer}")
        extra = {"outcome": outcome, "signed_by": signer, "signed_at": _iso(ctx.clock())}
        if hours is not None:
            extra["input_hours"] = hours
        return ctx.actions.record_event(case_id, "card_signed", note="跟踪卡签字存档", extra=extra)


def card_view(ctx: MethodContext, case: Case) -> dict:
    """The tracking card as the township prints it (L229): 承办人, 代办人及联系方式, 委托人及联系方式,
    代办事项内容, 代办方式, 办理时限 (the promise, else the scope's limit) and 规定时限 (the limit),
    the instant the card is held to (:func:`~plugins.daiban.stages.due_of`), 办结情况, 委托人签字.
    An operator's view: contacts unmasked. Keys: see :data:`plugins.daiban.rules.CARD_LABELS`,
    plus ``scope``, ``promise``, ``status``, ``on_time`` (bool, None while not completed)."""
    agent = ctx.people.get(case.handler) if case.handler else None
    x = case.extra
    due = due_of(case)
    return {
        "case_id": case.id,
        "agent": case.handler, "agent_name": agent.name if agent else None, "agent_phone": agent.phone if agent else None,
        "proxy": x.get("proxy"), "proxy_contact": x.get("proxy_contact"),
        "requester": case.requester.name, "requester_phone": case.requester.phone,
        "errand": case.title, "category": CATEGORIES.get(case.category) if case.category else None,
        "mode": x.get("mode"), "scope": x.get("scope"), "time_limit": x.get("time_limit"),
        "time_cap": x.get("time_cap") or x.get("time_limit"), "promise": x.get("promise"),
        "accepted_at": _iso(case.created_at), "due_at": _iso(due), "completed_at": _iso(case.resolved_at),
        "on_time": (None if case.resolved_at is None or due is None else case.resolved_at <= due),
        "outcome": x.get("outcome"), "status": case.status, "satisfaction": case.satisfaction,
        "signed_by": x.get("signed_by"), "signed_at": x.get("signed_at"),
    }


def promise(ctx: MethodContext, case_id: str, text: str) -> Case:
    """The agent's time-limit promise (限时办结承诺, L229) made after intake, at the clock's
    instant: ``text`` as :func:`~plugins.daiban.stages.parse_promise` reads it (hours and days
    count from now). It must fall after now and not beyond the limit of the card's scope
    counted from acceptance (24 hours / 4 days), else CountyError naming ``--time``. A card
    carries one promise: Refusal when it already has one (at intake or before), or is closed.
    A ``promised`` event records it and sets ``promise``, ``promised_at``,
    ``promised_due_at`` and ``time_limit`` on the card; daiban's ledger, card check, overdue
    complaints and score hold the card to it (:func:`~plugins.daiban.stages.due_of`), and so do
    the kernel's due instant and sweep (``ctx.actions.set_due`` moves the pending
    ``complete_and_reply`` milestone to the promised instant). Returns the card afterwards."""
    case = get_card(ctx, case_id, events=False)
    now = ctx.clock()
    if case.status not in OPEN_STATUSES:
        raise Refusal(f"case {case_id} is {case.status}; a promise is made on an open card")
    _not_before(now, case.created_at, f"case {case_id} was taken in", "no promise can be made on it")
    if case.extra.get("promised_due_at"):
        raise Refusal(f"case {case_id} already carries the promise {case.extra.get('time_limit')} (due "
                      f"{case.extra['promised_due_at']}); the agent is held to it")
    what = f"--time {text}"
    kind, value = parse_promise(text, what)
    scope = case.extra.get("scope", ctx.settings["default_scope"])
    due = check_promise(ctx, scope, kind, value, now, case.created_at, what)
    label = promise_label(kind, value, due)
    with ctx.transaction():  # the promise and the kernel's due instant move together
        ctx.actions.record_event(
            case_id, "promised", note=f"代办员承诺{label}办结回复（至{due.isoformat()}）",
            data={"promise": promise_text(kind, value), "promised_due_at": due.isoformat()},
            extra={"promise": promise_text(kind, value), "promised_at": _iso(now), "promised_due_at": due.isoformat(),
                   "time_limit": label, "time_cap": case.extra.get("time_cap") or cap(ctx, scope, case.created_at)[1]})
        return ctx.actions.set_due(case_id, "complete_and_reply", due, note=f"代办员承诺{label}办结回复")


# -- the monthly card check -----------------------------------------------------------------


def _month(text: str) -> tuple[dt.date, dt.date]:
    s = str(text).strip()
    try:
        if len(s) != 7 or s[4] != "-":
            raise CountyError(s)
        return period_dates(s)
    except CountyError:
        raise CountyError(f"--month: {text!r} is not a month (use YYYY-MM, e.g. 2013-03)") from None


def check_month(ctx: MethodContext, month: str, unit: str | None = None) -> dict:
    """The township party committee's monthly check of the tracking cards (L229).

    Every daiban card of ``unit``'s subtree (taken in or held there; default: the whole
    deployment) whose promised due instant falls in ``month`` (``YYYY-MM``, local) and has
    passed at now is looked at; a card still open after its due instant, or completed after
    it, is logged once in the overdue register (``daiban_overdue``, one row per card; running
    the check again adds nothing) with an ``overdue_registered`` event on the card. The check
    itself is recorded in ``daiban_checks``. Returns ``{"month", "unit", "checked_at", "cards"
    (past due, looked at), "overdue" (register entries of the month), "new", "entries"}``.
    CountyError for a bad month (naming ``--month``); Refusal when the month has not begun."""
    _month(month)
    t0, t1 = ctx.calendar.period_bounds(month)
    now = ctx.clock()
    if now < t0:
        raise Refusal(f"--month {month}: the month has not begun at {now.isoformat()}")
    new = 0
    with ctx.transaction():
        # due in the month means taken in before its end (a due instant never precedes intake)
        found = ctx.cases.find(method=METHOD, unit=unit, created=(None, t1))
        dues = {c.id: due_of(c) for c in found}
        cards = [c for c in found if dues[c.id] is not None and t0 <= dues[c.id] < t1 and dues[c.id] < now]
        registered = _registered(ctx, [c.id for c in cards])
        for c in cards:
            due = dues[c.id]
            if c.status in OPEN_STATUSES:
                state = "open"
            elif c.status in DONE_STATUSES and c.resolved_at is not None and c.resolved_at > due:
                state = "completed_late"
            else:
                continue
            if c.id in registered:
                continue
            ctx.db.insert("daiban_overdue", {
                "case_id": c.id, "agent": c.handler, "unit": c.origin_unit, "month": month,
                "due_at": _iso(due), "due_ts": due.timestamp(), "state": state,
                "resolved_at": _iso(c.resolved_at), "swept": int(ctx.events.exists(c.id, "overdue")),
                "found_at": _iso(now), "checked_by": ctx.actor})
            ctx.actions.record_event(c.id, "overdue_registered", note=f"{month}跟踪卡检查：超过办理期限，登记在案",
                                     data={"month": month, "state": state})
            new += 1
        entries = overdue_entries(ctx, month=month, unit=unit)
        ctx.db.insert("daiban_checks", {
            "month": month, "unit": unit or "", "checked_at": _iso(now), "actor": ctx.actor,
            "cards": len(cards), "overdue": len(entries), "new": new})
    return {"month": month, "unit": unit, "checked_at": now.isoformat(), "cards": len(cards),
            "overdue": len(entries), "new": new, "entries": entries}


def _registered(ctx: MethodContext, case_ids: list[str]) -> set[str]:
    """Which of ``case_ids`` are already in the overdue register."""
    out: set[str] = set()
    for chunk in chunks(case_ids):
        out.update(r["case_id"] for r in ctx.db.query(
            f"select case_id from daiban_overdue where case_id in ({ctx.db.placeholders(chunk)})", chunk))
    return out


def overdue_entries(ctx: MethodContext, *, month: str | None = None, year: str | int | None = None,
                    unit: str | None = None, agent: str | None = None) -> list[dict]:
    """Rows of the overdue register, oldest due first, optionally of one ``month`` (YYYY-MM of
    the check), ``year``, ``unit``'s subtree (the unit that took the card in) or ``agent``:
    dicts with id, case_id, agent, unit, month, due_at, due_ts, state (``open`` /
    ``completed_late`` at the check), resolved_at, swept (bool: the kernel sweep had flagged
    it), found_at, checked_by."""
    where, params = ctx.scope(unit, unit_cols=("unit",))
    if month:
        where.append("month = ?")
        params.append(month)
    if year:
        where.append("substr(month, 1, 4) = ?")
        params.append(str(year))
    if agent:
        where.append("agent = ?")
        params.append(agent)
    rows = ctx.db.query("select * from daiban_overdue where " + " and ".join(["1=1", *where]) + " order by due_ts, id",
                        params)
    for r in rows:
        r["swept"] = bool(r["swept"])
    return rows


def checks_done(ctx: MethodContext, month: str) -> list[dict]:
    """The card checks recorded for ``month`` (rows of ``daiban_checks``; ``unit`` "" = all)."""
    return ctx.db.query("select * from daiban_checks where month = ? order by id", [month])


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


def _require_agent(ctx: MethodContext, agent: str):
    person = ctx.person(agent)
    if not serves_errands(person):
        raise CountyError(f"--agent: {agent} ({person.name}) is not an agent (代办员)")
    return person


def get_complaint(ctx: MethodContext, cid: int) -> dict:
    """One complaint (a row of ``daiban_complaints``); NotFound when unknown."""
    rows = ctx.db.query("select * from daiban_complaints where id = ?", [int(cid)])
    if not rows:
        raise NotFound(f"unknown complaint {cid} (see `county daiban complaint list`)")
    return rows[0]


def add_complaint(ctx: MethodContext, *, complainant: str, kind: str, text: str, agent: str | None = None,
                  case_id: str | None = None, phone: str | None = None) -> dict:
    """File a real-name complaint (实名投诉) with the township government (L229).

    ``complainant`` (the villager's real name) is required; ``kind`` is ``overdue`` (逾期未办结,
    needs ``case_id`` of a card past its due instant at now) or ``service`` (服务不满意).
    The agent defaults to the card's handler; the complaint's unit is the agent's township.
    A card gets a ``complaint_filed`` event. Returns the complaint row (status ``filed``)."""
    if not (complainant or "").strip():
        raise CountyError("--complainant: a real-name complaint (实名投诉) needs the villager's name")
    if kind not in COMPLAINT_KINDS:
        raise CountyError(f"--kind: {kind!r} (use one of: {', '.join(COMPLAINT_KINDS)})")
    if not (text or "").strip():
        raise CountyError("--text: say what the complaint is about")
    now = ctx.clock()
    case = ctx.cases.get(case_id, events=False) if case_id else None
    if case is not None and case.method != METHOD:
        raise CountyError(f"--case {case_id}: a {case.method} case, not a daiban tracking card")
    if case is not None:
        _not_before(now, case.created_at, f"case {case.id} was taken in", "a complaint about it cannot be filed")
    if kind == "overdue":
        if case is None:
            raise CountyError("--case: a complaint about an overdue errand names its tracking card")
        due = due_of(case)
        late_done = case.resolved_at is not None and due is not None and case.resolved_at > due
        late_open = case.status in OPEN_STATUSES and due is not None and now > due
        if not (late_done or late_open):
            raise Refusal(f"case {case.id} is not overdue (due {due.isoformat() if due else '-'}); "
                          f"file it as --kind service if the service was unsatisfactory")
    agent = agent or (case.handler if case else None)
    if not agent:
        raise CountyError("--agent: name the agent the complaint is about (the card has no handler)")
    person = _require_agent(ctx, agent)
    township = ctx.ancestor(person.unit, "township")
    with ctx.transaction():
        cid = ctx.db.insert("daiban_complaints", {
            "case_id": case.id if case else None, "agent": agent, "unit": township.code if township else person.unit,
            "kind": kind, "complainant": complainant.strip(), "complainant_phone": phone, "text": text.strip(),
            "filed_at": _iso(now), "filed_ts": now.timestamp(), "status": "filed"})
        if case is not None:
            ctx.actions.record_event(case.id, "complaint_filed", note=f"实名投诉（{COMPLAINT_KINDS[kind]}）",
                                     data={"complaint": cid, "agent": agent, "kind": kind})
    return get_complaint(ctx, cid)


def investigate(ctx: MethodContext, cid: int, *, upheld: bool, finding: str, severity: str | None = None,
                accountability: str | None = None) -> dict:
    """Record the investigation (查实与否) of a filed complaint. An upheld complaint needs
    ``severity`` (minor / ordinary / serious: 按情节轻重追究责任) and then a rectification; one
    not upheld ends here. Returns the complaint row (status ``upheld`` / ``not_upheld``)."""
    c = get_complaint(ctx, cid)
    if c["status"] != "filed":
        raise Refusal(f"complaint {cid} is {c['status']}; it was already investigated")
    if not (finding or "").strip():
        raise CountyError("--finding: say what the investigation found")
    if upheld and severity not in SEVERITIES:
        raise CountyError(f"--severity: an upheld complaint needs one of {', '.join(SEVERITIES)}")
    now = ctx.clock()
    _not_before(now, c["filed_at"], f"complaint {cid} was filed", "it cannot be investigated")
    status = "upheld" if upheld else "not_upheld"
    with ctx.transaction():
        ctx.db.update("daiban_complaints", c["id"], {
            "status": status, "upheld": int(upheld), "finding": finding.strip(), "severity": severity if upheld else None,
            "accountability": accountability, "investigated_at": _iso(now)})
        if c["case_id"]:
            ctx.actions.record_event(c["case_id"], "complaint_investigated",
                                     note=f"投诉{COMPLAINT_STATUS_ZH[status]}：{finding.strip()}",
                                     data={"complaint": c["id"], "upheld": upheld, "severity": severity})
    return get_complaint(ctx, cid)


def rectify(ctx: MethodContext, cid: int, *, measure: str, days: int | None = None) -> dict:
    """Order the rectification (限期整改) of an upheld complaint: ``measure`` and a due instant
    at the end (23:59:59 local) of the ``days``-th calendar day after today (default setting
    ``rectify_days``). Returns the complaint row (status ``rectifying``)."""
    c = get_complaint(ctx, cid)
    if c["status"] != "upheld":
        raise Refusal(f"complaint {cid} is {c['status']}; only an upheld complaint is rectified")
    if not (measure or "").strip():
        raise CountyError("--measure: say what is to be rectified")
    days = int(days if days is not None else ctx.settings["rectify_days"])
    if days < 1:
        raise CountyError("--days: at least 1 calendar day")
    now = ctx.clock()
    _not_before(now, c["investigated_at"], f"complaint {cid} was investigated", "its rectification cannot be ordered")
    due = ctx.calendar.calendar_days(now, days)
    with ctx.transaction():
        ctx.db.update("daiban_complaints", c["id"], {
            "status": "rectifying", "measure": measure.strip(), "rectify_due_at": _iso(due)})
        if c["case_id"]:
            ctx.actions.record_event(c["case_id"], "complaint_rectification",
                                     note=f"限期整改至{due.isoformat()}：{measure.strip()}",
                                     data={"complaint": c["id"], "rectify_due_at": due.isoformat()})
    return get_complaint(ctx, cid)


def close(ctx: MethodContext, cid: int, *, result: str) -> dict:
    """Close a complaint once its rectification is done (整改到位). Refusal (exit 1) unless a
    rectification was ordered; records ``on_time`` (1/0) against its due instant. Returns the
    complaint row (status ``closed``)."""
    c = get_complaint(ctx, cid)
    if c["status"] == "closed":
        raise Refusal(f"complaint {cid} is already closed")
    if c["status"] != "rectifying" or not c["measure"]:
        why = {"filed": "it has not been investigated", "not_upheld": "it was not upheld (nothing to rectify)",
               "upheld": "no rectification has been ordered (run `county daiban complaint rectify`)"}.get(c["status"], c["status"])
        raise Refusal(f"complaint {cid} cannot be closed without a rectification: {why}")
    if not (result or "").strip():
        raise CountyError("--result: say how the rectification was carried out")
    now = ctx.clock()
    _not_before(now, _rectification_ordered_at(ctx, c), f"the rectification of complaint {cid} was ordered",
                "it cannot be closed")
    on_time = now <= dt.datetime.fromisoformat(c["rectify_due_at"])
    with ctx.transaction():
        ctx.db.update("daiban_complaints", c["id"], {
            "status": "closed", "result": result.strip(), "rectified_at": _iso(now), "closed_at": _iso(now),
            "on_time": int(on_time)})
        if c["case_id"]:
            ctx.actions.record_event(c["case_id"], "complaint_closed", note=f"整改到位：{result.strip()}",
                                     data={"complaint": c["id"], "on_time": on_time})
    return get_complaint(ctx, cid)


def _rectification_ordered_at(ctx: MethodContext, c: dict) -> str | dt.datetime | None:
    """When the rectification of complaint ``c`` was ordered: its ``complaint_rectification``
    event on the card, else (no card) the investigation time."""
    if c["case_id"]:
        for e in reversed(ctx.events.of(c["case_id"], "complaint_rectification")):
            if (e.data or {}).get("complaint") == c["id"]:
                return e.at
    return c["investigated_at"]


def complaints(ctx: MethodContext, *, agent: str | None = None, status: str | None = None,
               overdue: bool = False) -> list[dict]:
    """Complaints (rows of ``daiban_complaints``), oldest first; ``overdue`` keeps those whose
    rectification is past its due instant at now and not yet closed."""
    where, params = ["1=1"], []
    if overdue:
        where.append("status = 'rectifying'")
    if agent:
        where.append("agent = ?")
        params.append(agent)
    if status:
        where.append("status = ?")
        params.append(status)
    rows = ctx.db.query("select * from daiban_complaints where " + " and ".join(where) + " order by id", params)
    if overdue:
        now = ctx.clock()
        rows = [r for r in rows if dt.datetime.fromisoformat(r["rectify_due_at"]) < now]
    return rows


# -- democratic appraisal -------------------------------------------------------------------


def add_review(ctx: MethodContext, *, agent: str, year: int, reviewer_kind: str, attitude: float,
               efficiency: float, results: float, reviewer: str | None = None) -> dict:
    """One year-end democratic appraisal sheet (民主评议, L231): a party member or villager
    representative scores an agent's attitude (服务态度), efficiency (办事效率) and results
    (效果), each 0–100. ``year`` may not be after the current year (CountyError naming --year).
    Returns the sheet (a row of ``daiban_reviews``)."""
    _require_agent(ctx, agent)
    if reviewer_kind not in REVIEWER_KINDS:
        raise CountyError(f"--reviewer-kind: {reviewer_kind!r} (use party_member or villager_rep)")
    for name, v in (("attitude", attitude), ("efficiency", efficiency), ("results", results)):
        if not 0 <= v <= 100:
            raise CountyError(f"--{name}: {v:g} is not a score from 0 to 100")
    if not 1900 <= int(year) <= 2200:
        raise CountyError(f"--year: {year} is not a year")
    now = ctx.clock()
    if int(year) > now.year:
        raise CountyError(f"--year: {year} is after the current year ({now.year}); "
                          f"a year is appraised at its end or later")
    with ctx.transaction():
        rid = ctx.db.insert("daiban_reviews", {
            "agent": agent, "year": int(year), "reviewer_kind": reviewer_kind, "reviewer": reviewer,
            "attitude": float(attitude), "efficiency": float(efficiency), "results": float(results),
            "entered_at": _iso(now), "actor": ctx.actor})
    return ctx.db.query("select * from daiban_reviews where id = ?", [rid])[0]


def reviews(ctx: MethodContext, *, year: int | None = None, agent: str | None = None) -> list[dict]:
    """Democratic-appraisal sheets entered, in entry order, optionally of one ``year`` / ``agent``."""
    where, params = ["1=1"], []
    if year is not None:
        where.append("year = ?")
        params.append(int(year))
    if agent:
        where.append("agent = ?")
        params.append(agent)
    return ctx.db.query("select * from daiban_reviews where " + " and ".join(where) + " order by id", params)
