"""The disclosure catalogue (党务、村务公开目录, L187): recording a disclosure with its forms, and
what a village must have disclosed by when.

* Each item is disclosed through at least ``min_forms`` (2) forms — 公开栏、议事点、联户代表、
  户代表 (L187), 信息栏 (L193) — "每件事务以2种以上形式".
* Cadence per item (``catalogue`` setting): ``anytime`` (随时公开: a decided matter within
  ``anytime_days`` calendar days of its decision — the matter is disclosed "经村“两委”确定后",
  L187), ``monthly`` / ``quarterly`` (the month's or quarter's disclosure by the
  ``periodic_grace_days``-th calendar day after it ends).
* A disclosure is keyed by village, item and key (the month, the quarter, the matter's case id,
  or the day for an item disclosed at any time without a matter). Recording it again adds
  forms; the item is complete the first time it reaches ``min_forms`` forms. A disclosure with
  one form is kept (nothing is lost) but does not count (methods.md S-04).
"""

from __future__ import annotations

import datetime as dt
import json

from framework import CountyError, Refusal, period_dates
from plugins.contrib.liuyao.rules import (
    CADENCES, CATALOGUE, DEFAULT_CATALOGUE, FORMS, METHOD, cadence_of, conf,
)


def _month_key(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _quarter_key(d: dt.date) -> str:
    return f"{d.year:04d}Q{(d.month - 1) // 3 + 1}"


def periodic_due(ctx, cadence: str, key: str) -> dt.date:
    """The last day a ``monthly`` (key ``2026-11``) or ``quarterly`` (``2026Q4``) disclosure
    may be made on time: the period's last day + ``periodic_grace_days`` calendar days."""
    _first, end = period_dates(key)
    return end - dt.timedelta(days=1) + dt.timedelta(days=conf(ctx)["periodic_grace_days"])


def village_unit(ctx, code: str):
    """The unit ``code`` if a matter can be taken in there (setting ``matter_levels``), else
    CountyError naming ``--unit``."""
    unit = ctx.unit(code)
    if unit.level not in conf(ctx)["matter_levels"]:
        raise CountyError(f"--unit {code}: {unit.name} is a {unit.level}; a village discloses its affairs (L187) "
                          f"([plugins.{METHOD}] matter_levels = {conf(ctx)['matter_levels']})")
    return unit


def _decision(ctx, case_id: str) -> dict | None:
    rows = ctx.db.query("select * from liuyao_decisions where case_id = ?", [case_id])
    return rows[0] if rows else None


def disclose(ctx, unit: str, item: str, forms, *, period: str | None = None, case_id: str | None = None,
             title: str | None = None, content: str | None = None) -> dict:
    """Record that ``unit`` disclosed catalogue ``item`` through ``forms`` (codes of
    :data:`FORMS`) at ``ctx.now``. ``period`` (``2026-11`` / ``2026Q4``) is required for a
    monthly / quarterly item; ``case_id`` names the decided matter of an item disclosed at any
    time (else the key is today's date). Adds the forms to an earlier record of the same key.
    Returns the row (``forms`` a list, ``complete`` bool). CountyError for a bad unit, item,
    form or period; Refusal for a period not begun or a matter not yet decided (L187:
    disclosed 经村“两委”确定后)."""
    s = conf(ctx)
    village = village_unit(ctx, unit)
    if item not in CATALOGUE:
        raise CountyError(f"--item {item!r}: not a catalogue item ({', '.join(CATALOGUE)})")
    forms = list(dict.fromkeys(forms or []))
    if not forms:
        raise CountyError("--form: name at least one form (" + ", ".join(FORMS) + ")")
    for f in forms:
        if f not in FORMS:
            raise CountyError(f"--form {f!r}: use {', '.join(f'{k} ({v})' for k, v in FORMS.items())}")
    cadence = cadence_of(ctx, item)
    today = ctx.calendar.local(ctx.now).date()
    due_on = None
    if case_id is not None:
        case = ctx.cases.get(case_id, events=False)
        if case.method != METHOD or case.extra.get("kind") != "matter":
            raise CountyError(f"--case {case_id}: not a {METHOD} matter")
        if case.origin_unit != village.code:
            raise CountyError(f"--case {case_id}: a matter of {case.origin_unit}, not of {village.code}")
        decision = _decision(ctx, case_id)
        if decision is None:
            raise Refusal(f"{case_id}: not decided yet — a matter is disclosed once decided (经村“两委”确定后向村民公开)")
    if cadence == "anytime":
        if period is not None:
            raise CountyError(f"--period: {CATALOGUE[item]} is disclosed at any time (随时公开); name the matter "
                              f"with --case instead")
        key = case_id or today.isoformat()
        if case_id is not None:
            decided = ctx.calendar.local(dt.datetime.fromisoformat(decision["decided_at"])).date()
            due_on = decided + dt.timedelta(days=s["anytime_days"])
        else:
            due_on = today
    else:
        if period is None:
            raise CountyError(f"--period: {CATALOGUE[item]} is disclosed {CADENCES[cadence]}; give the "
                              f"{'month (2026-11)' if cadence == 'monthly' else 'quarter (2026Q4)'} it covers")
        first, _end = period_dates(period)
        key = _month_key(first) if cadence == "monthly" else _quarter_key(first)
        if key != str(period).strip().upper():
            raise CountyError(f"--period {period!r}: {CATALOGUE[item]} is disclosed {CADENCES[cadence]}: "
                              f"give {'a month like 2026-11' if cadence == 'monthly' else 'a quarter like 2026Q4'}")
        if first > today:
            raise Refusal(f"--period {period}: not begun on {today.isoformat()}")
        due_on = periodic_due(ctx, cadence, key)
    now = ctx.now
    with ctx.transaction():
        rows = ctx.db.query("select * from liuyao_disclosures where unit = ? and item = ? and key = ?",
                            [village.code, item, key])
        if rows:
            row = rows[0]
            have = json.loads(row["forms"])
            merged = have + [f for f in forms if f not in have]
            values = {"forms": merged}
            if title:
                values["title"] = title
            if content:
                values["content"] = content
            if not row["complete_at"] and len(merged) >= s["min_forms"]:
                values.update(complete_at=now, complete_ts=now.timestamp())
            ctx.db.update("liuyao_disclosures", row["id"], values)
            rid = row["id"]
        else:
            complete = len(forms) >= s["min_forms"]
            rid = ctx.db.insert("liuyao_disclosures", {
                "unit": village.code, "item": item, "cadence": cadence, "key": key, "case_id": case_id,
                "title": title or CATALOGUE[item], "content": content, "forms": forms, "first_at": now,
                "first_ts": now.timestamp(), "complete_at": now if complete else None,
                "complete_ts": now.timestamp() if complete else None, "due_on": due_on, "actor": ctx.actor})
        if case_id is not None:
            ctx.actions.record_event(case_id, "disclosed", f"{CATALOGUE[item]}：" + "、".join(FORMS[f] for f in forms),
                                     data={"item": item, "forms": forms})
    return row_out(ctx, ctx.db.query("select * from liuyao_disclosures where id = ?", [rid])[0])


def row_out(ctx, row: dict) -> dict:
    """A register row as returned to commands: ``forms`` a list, ``complete`` (reached
    ``min_forms``) and ``on_time`` (complete by the end of ``due_on``; None without one)."""
    out = dict(row)
    out["forms"] = json.loads(row["forms"]) if isinstance(row["forms"], str) else row["forms"]
    out["complete"] = row["complete_at"] is not None
    if row["due_on"] and row["complete_at"]:
        done = ctx.calendar.local(dt.datetime.fromisoformat(row["complete_at"])).date()
        out["on_time"] = done <= dt.date.fromisoformat(row["due_on"])
    else:
        out["on_time"] = None if not row["due_on"] else False
    return out


def register(ctx, unit: str | None = None, first: dt.date | None = None, end: dt.date | None = None) -> list[dict]:
    """The disclosure register of ``unit``'s subtree (all when None), first recorded in
    ``[first, end)`` when given, by village then time (see :func:`row_out`)."""
    where, params = [], []
    if unit:
        codes = ctx.subtree(unit)
        where.append(f"unit in ({ctx.db.placeholders(codes)})")
        params += codes
    if first:
        where.append("first_ts >= ?")
        params.append(dt.datetime.combine(first, dt.time(), tzinfo=ctx.calendar.tz).timestamp())
    if end:
        where.append("first_ts < ?")
        params.append(dt.datetime.combine(end, dt.time(), tzinfo=ctx.calendar.tz).timestamp())
    sql = "select * from liuyao_disclosures" + (" where " + " and ".join(where) if where else "")
    return [row_out(ctx, r) for r in ctx.db.query(sql + " order by unit, first_ts, id", params)]


def start_of(ctx, village: str) -> dt.date | None:
    """The first day the village used the method (its first liuyao case, disclosure or
    rating): no obligation is counted before it. None when it never did."""
    days = []
    first = ctx.cases.find(method=METHOD, origin_unit=village, order="created", limit=1)
    if first:
        days.append(ctx.calendar.local(first[0].created_at).date())
    for table, col in (("liuyao_disclosures", "first_at"), ("liuyao_ratings", "rated_at")):
        r = ctx.db.query(f"select min({col}) as t from {table} where unit = ?", [village])
        if r and r[0]["t"]:
            days.append(ctx.calendar.local(dt.datetime.fromisoformat(r[0]["t"])).date())
    return min(days) if days else None


def required(ctx, village: str, first: dt.date, last: dt.date) -> list[dict]:
    """What ``village`` had to disclose with a due day in ``[first, last]`` (dates, inclusive):
    each monthly / quarterly item for every month / quarter from the village's start, and each
    decided matter at any time (its ``anytime_days``). One dict per obligation: ``item``,
    ``cadence``, ``key``, ``due_on``, ``case_id``, ``forms`` (recorded so far), ``done``
    (reached ``min_forms`` forms by the end of ``due_on``) and ``state``: ``done``; ``pending``
    (待公开（未到期）: not done and ``due_on`` not yet over — due on D, owed once D is over,
    conventions §2: a day's limit is 23:59:59, judged on ``ctx.now``'s local date); ``missed``
    (未按要求公开: not done and ``due_on`` before today)."""
    s = conf(ctx)
    start = start_of(ctx, village)
    if start is None or last < start:
        return []
    catalogue = {**DEFAULT_CATALOGUE, **s["catalogue"]}
    have = {(r["item"], r["key"]): r for r in register(ctx, village)}
    today = ctx.calendar.local(ctx.now).date()
    out = []

    def add(item, cadence, key, due_on, case_id=None):
        r = have.get((item, key))
        done = bool(r and r["complete_at"] and
                    ctx.calendar.local(dt.datetime.fromisoformat(r["complete_at"])).date() <= due_on)
        out.append({"unit": village, "item": item, "cadence": cadence, "key": key, "due_on": due_on,
                    "case_id": case_id, "forms": r["forms"] if r else [], "done": done,
                    "state": "done" if done else "pending" if due_on >= today else "missed"})

    grace = dt.timedelta(days=s["periodic_grace_days"])
    d = dt.date(start.year, start.month, 1)
    while d <= last:
        nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        month_due = nxt - dt.timedelta(days=1) + grace
        for item, cadence in catalogue.items():
            if cadence == "monthly" and first <= month_due <= last:
                add(item, cadence, _month_key(d), month_due)
            if cadence == "quarterly" and d.month % 3 == 0 and first <= month_due <= last:
                add(item, cadence, _quarter_key(d), month_due)
        d = nxt
    for dec in ctx.db.query("select * from liuyao_decisions where unit = ? order by decided_ts, case_id", [village]):
        item = dec_item(ctx, dec["case_id"])
        if catalogue.get(item) != "anytime":
            continue
        decided = ctx.calendar.local(dt.datetime.fromisoformat(dec["decided_at"])).date()
        due_on = decided + dt.timedelta(days=s["anytime_days"])
        if first <= due_on <= last:
            add(item, "anytime", dec["case_id"], due_on, dec["case_id"])
    return sorted(out, key=lambda o: (o["due_on"], o["item"], o["key"]))


def dec_item(ctx, case_id: str) -> str:
    """The catalogue item of a decided matter (triage's ``item``; ``major_matter`` by default)."""
    case = ctx.cases.get_many([case_id]).get(case_id)
    return (case.extra.get("item") if case else None) or "major_matter"
