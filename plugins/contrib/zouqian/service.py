"""zouqian's records and actions, shared by the commands, the demo and the tests (each takes ``ctx``).

* pairings (六个结对, L329): :func:`add_pairing`, :func:`end_pairing`, :func:`pairings`;
* visiting rounds and visits (五批集中走访 L320, 走访日记 L329, 日常联系 L337): :func:`add_round`,
  :func:`record_visit`;
* common problems solved in bulk (批量解决, L337): :func:`open_batch`, :func:`add_to_batch`,
  :func:`solve_batch` — through the kernel's linked cases and cascade resolve;
* the satisfaction gate (群众满意度评议, L331): :func:`rate_case`.

Errors: CountyError (exit 2) names the bad option; Refusal (exit 1) when the record's state
forbids the action; NotFound for an unknown case, unit or person.
"""

from __future__ import annotations

import datetime as dt

from framework import CountyError, NotFound, Refusal

from .rules import LEVEL_ALIASES, NAME, PAIRINGS, RATERS, SCALE, VISIT_KINDS

# -- pairings -------------------------------------------------------------------------------


def _side(ctx, kind: str, which: str, spec: str, value: str) -> str:
    """Check one side of a pairing against its spec (``person``, ``unit:LEVELS``, ``text``)."""
    value = (value or "").strip()
    if not value:
        raise CountyError(f"--{which}: empty (a {kind} pairing's side {which.upper()} is a {spec})")
    if spec == "person":
        ctx.person(value)
    elif spec.startswith("unit:"):
        levels = spec[5:].split(",")
        if ctx.unit(value).level not in levels:
            raise CountyError(f"--{which} {value}: a {kind} pairing needs a unit of level "
                              f"{' or '.join(levels)}, not {ctx.units[value].level} (L329)")
    return value


def add_pairing(ctx, kind: str, a: str, b: str, note: str | None = None) -> dict:
    """Record one of the six pairings (L329) from ``ctx.now``.

    ``kind`` one of rules.PAIRINGS; ``a`` / ``b`` by the kind's sides (a person id, a unit code
    of the right level, or a name). The row's ``unit`` is the 居村 / 街镇 side, else the person's
    unit. Returns the row. CountyError for an unknown kind or a side of the wrong kind; NotFound
    for an unknown person or unit; Refusal when the same pairing is already active."""
    if kind not in PAIRINGS:
        raise CountyError(f"--kind {kind!r}: use one of {', '.join(PAIRINGS)} (六个结对, L329)")
    _label, sa, sb = PAIRINGS[kind]
    a, b = _side(ctx, kind, "a", sa, a), _side(ctx, kind, "b", sb, b)
    if ctx.db.query("select id from zouqian_pairings where kind = ? and a = ? and b = ? and ended is null",
                    [kind, a, b]):
        raise Refusal(f"{kind} {a} ↔ {b}: already paired")
    unit = b if sb.startswith("unit:") else a if sa.startswith("unit:") else ctx.people[a].unit
    row = {"kind": kind, "a": a, "b": b, "unit": unit, "since": ctx.now.isoformat(),
           "since_ts": ctx.now.timestamp(), "ended": None, "note": note}
    row["id"] = ctx.db.insert("zouqian_pairings", row)
    return row


def end_pairing(ctx, pairing_id: int) -> dict:
    """End pairing ``pairing_id`` at ``ctx.now``; Refusal when already ended, NotFound when unknown."""
    rows = ctx.db.query("select * from zouqian_pairings where id = ?", [pairing_id])
    if not rows:
        raise NotFound(f"pairing {pairing_id}: not found")
    if rows[0]["ended"]:
        raise Refusal(f"pairing {pairing_id}: ended on {rows[0]['ended'][:10]}")
    ctx.db.update("zouqian_pairings", pairing_id, {"ended": ctx.now.isoformat()})
    return {**rows[0], "ended": ctx.now.isoformat()}


def pairings(ctx, unit: str | None = None, kind: str | None = None, active: bool = True) -> list[dict]:
    """Pairings (oldest first) whose ``unit`` lies in ``unit``'s subtree, of ``kind``."""
    where, params = [], []
    if unit:
        sub = ctx.subtree(ctx.unit(unit).code)
        where.append(f"unit in ({ctx.db.placeholders(sub)})")
        params += sub
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if active:
        where.append("ended is null")
    sql = "select * from zouqian_pairings" + (" where " + " and ".join(where) if where else "")
    return ctx.db.query(sql + " order by id", params)


# -- rounds and visits ------------------------------------------------------------------------


def add_round(ctx, no: int, start: dt.date, end: dt.date, title: str | None = None) -> dict:
    """A concentrated visiting round (集中走访批次, L320) from ``start`` to ``end`` (local dates,
    inclusive). CountyError when end < start; Refusal when round ``no`` exists."""
    if end < start:
        raise CountyError(f"--end {end}: before --start {start}")
    if ctx.db.query("select no from zouqian_rounds where no = ?", [no]):
        raise Refusal(f"round {no}: already recorded")
    tz = ctx.calendar.tz
    row = {"no": no, "title": title or f"第{no}批集中走访", "start_on": start.isoformat(), "end_on": end.isoformat(),
           "start_ts": dt.datetime.combine(start, dt.time(), tzinfo=tz).timestamp(),
           "end_ts": dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz).timestamp()}
    ctx.db.insert("zouqian_rounds", row)
    return row


def round_of(ctx, no: int) -> dict:
    """Round ``no``'s row; NotFound when unknown."""
    rows = ctx.db.query("select * from zouqian_rounds where no = ?", [no])
    if not rows:
        raise NotFound(f"round {no}: not found (county zouqian round add)")
    return rows[0]


def record_visit(ctx, cadre: str, unit: str, kind: str = "visit", round_no: int | None = None,
                 problems: int = 0, diary: str | None = None) -> dict:
    """A visit (集中走访) or a daily contact (日常联系, L337) by ``cadre`` to the 居村 ``unit``
    at ``ctx.now``, with the visit diary (走访日记, L329). A visit of round ``round_no`` must fall
    within it. Returns the row (with ``id``, usable as ``--set visit=ID`` on the problems it
    found). CountyError for a bad kind, a unit that is not a 居村, a negative count or a visit
    outside its round; NotFound for an unknown person, unit or round."""
    if kind not in VISIT_KINDS:
        raise CountyError(f"--kind {kind!r}: use visit (集中走访) or contact (日常联系)")
    ctx.person(cadre)
    if ctx.unit(unit).level not in ("village", "community"):
        raise CountyError(f"--unit {unit}: visits go to a 居村 (village or community), not a {ctx.units[unit].level}")
    if problems < 0:
        raise CountyError(f"--problems {problems}: not negative")
    if round_no is not None:
        r = round_of(ctx, round_no)
        if not r["start_ts"] <= ctx.now.timestamp() < r["end_ts"]:
            raise CountyError(f"--round {round_no}: runs {r['start_on']}..{r['end_on']}, "
                              f"not on {ctx.calendar.local(ctx.now).date()}")
    row = {"cadre": cadre, "unit": unit, "kind": kind, "round": round_no, "at": ctx.now.isoformat(),
           "at_ts": ctx.now.timestamp(), "problems": problems, "diary": diary, "recorded_by": ctx.actor}
    row["id"] = ctx.db.insert("zouqian_visits", row)
    return row


# -- batch solving ------------------------------------------------------------------------------


def _own_case(ctx, case_id: str):
    case = ctx.cases.get(case_id, events=False)
    if case.method != NAME:
        raise CountyError(f"case {case_id} is a {case.method} case, not {NAME}")
    return case


def batch_of(ctx, batch_id: int) -> dict:
    """Batch ``batch_id``'s row; NotFound when unknown."""
    rows = ctx.db.query("select * from zouqian_batches where id = ?", [batch_id])
    if not rows:
        raise NotFound(f"batch {batch_id}: not found")
    return rows[0]


def open_batch(ctx, lead: str, topic: str | None = None, policy: str | None = None) -> dict:
    """Open a batch (集中研究、政策破题、批量解决, L337) led by the open zouqian case ``lead``;
    ``topic`` defaults to the lead's ``--set topic``; ``policy`` names the policy that solves it.
    Returns the row. CountyError without a topic; Refusal when the lead is closed or already
    leads a batch."""
    case = _own_case(ctx, lead)
    if not case.is_open:
        raise Refusal(f"{lead}: not open ({case.status}); a batch is led by an open problem")
    if ctx.db.query("select id from zouqian_batches where lead = ?", [lead]):
        raise Refusal(f"{lead}: already leads a batch")
    topic = topic or case.extra.get("topic")
    if not topic:
        raise CountyError(f"--topic: {lead} has no --set topic; name the common problem")
    row = {"lead": lead, "unit": case.origin_unit, "topic": topic, "policy": policy,
           "opened_at": ctx.now.isoformat(), "opened_ts": ctx.now.timestamp(), "solved_at": None,
           "solved_ts": None, "solved_count": None, "note": None}
    with ctx.transaction():
        row["id"] = ctx.db.insert("zouqian_batches", row)
        ctx.actions.record_event(lead, "batched", f"批量解决批次{row['id']}：{topic}",
                                 {"batch": row["id"], "lead": True}, extra={"batch": row["id"]})
    return row


def add_to_batch(ctx, batch_id: int, case_ids: list[str], note: str | None = None) -> list:
    """Link open zouqian problems to the batch's lead (the kernel's ``ctx.actions.link``; all or
    none). Returns the linked cases. Refusal when the batch is solved (and the kernel's
    refusals: a closed case, one linked elsewhere…)."""
    batch = batch_of(ctx, batch_id)
    if batch["solved_at"]:
        raise Refusal(f"batch {batch_id}: solved on {batch['solved_at'][:10]}")
    for cid in case_ids:
        _own_case(ctx, cid)
    with ctx.transaction():
        linked = ctx.actions.link(case_ids, batch["lead"], note=note or f"批量解决：{batch['topic']}")
        for cid in case_ids:
            ctx.actions.record_event(cid, "batched", f"纳入批量解决批次{batch_id}", {"batch": batch_id},
                                     extra={"batch": batch_id})
    return linked


def solve_batch(ctx, batch_id: int, note: str) -> dict:
    """Solve the batch at ``ctx.now``: resolve its lead with ``cascade=True`` (every still-open
    linked problem resolved at the same instant, 批量解决). Each still needs its own 群众评议
    (L331) to leave the platform. Returns the row with ``solved_count`` (the lead and the linked
    problems resolved now). Refusal when solved already or the lead is closed."""
    batch = batch_of(ctx, batch_id)
    if batch["solved_at"]:
        raise Refusal(f"batch {batch_id}: solved on {batch['solved_at'][:10]}")
    open_linked = ctx.cases.count(lead=batch["lead"], open=True)
    text = note if not batch["policy"] else f"{note}（{batch['policy']}）"
    with ctx.transaction():
        ctx.actions.resolve(batch["lead"], text, cascade=True)
        values = {"solved_at": ctx.now.isoformat(), "solved_ts": ctx.now.timestamp(),
                  "solved_count": open_linked + 1, "note": note}
        ctx.db.update("zouqian_batches", batch_id, values)
    return {**batch, **values}


def batches(ctx, unit: str | None = None) -> list[dict]:
    """Batches (oldest first) whose lead was taken in within ``unit``'s subtree."""
    if not unit:
        return ctx.db.query("select * from zouqian_batches order by id")
    sub = ctx.subtree(ctx.unit(unit).code)
    return ctx.db.query(f"select * from zouqian_batches where unit in ({ctx.db.placeholders(sub)}) order by id", sub)


# -- the satisfaction gate ------------------------------------------------------------------------


def level_code(value: str) -> str:
    """A rating as the scale's code: a code, the original's label (很满意…) or an alias
    (非常满意, 基本满意…, rules.LEVEL_ALIASES). CountyError naming the five levels."""
    v = str(value).strip()
    code = SCALE.code(v) or LEVEL_ALIASES.get(v)
    if code is None:
        levels = ", ".join(f"{c} {SCALE.label(c)}" for c in SCALE.codes)
        raise CountyError(f"--level: {value!r} is not a level of {NAME} (use {levels})")
    return code


def rate_case(ctx, case_id: str, level: str, rater: str = "resident", note: str | None = None):
    """群众评议 of a solved problem (L331) at ``ctx.now``: 很满意 or 满意 let it leave the platform
    (confirmed); 一般, 不满意, 很不满意 send it back to handling (the kernel reopens it at the tier
    that solved it, with a new time limit). Recorded in ``zouqian_ratings`` with the rater
    (群众 / 基层党员 / 基层干部, L335). Returns ``(case, outcome)`` with outcome ``closes`` or
    ``reopens``. CountyError for a bad level or rater or another method's case; Refusal when the
    case is not resolved (the kernel's)."""
    code = level_code(level)
    if rater not in RATERS:
        raise CountyError(f"--rater {rater!r}: use one of {', '.join(RATERS)}")
    case = _own_case(ctx, case_id)
    outcome = "closes" if SCALE.closing(code) else "reopens"
    with ctx.transaction():
        after = ctx.actions.confirm(case_id, code, note=note or f"{RATERS[rater]}评议：{SCALE.label(code)}")
        ctx.db.insert("zouqian_ratings", {"case_id": case_id, "unit": case.origin_unit, "level": code,
                                          "rater": rater, "outcome": outcome, "note": note,
                                          "at": ctx.now.isoformat(), "at_ts": ctx.now.timestamp(),
                                          "recorded_by": ctx.actor})
    return after, outcome
