"""The method's own records and actions, taking ``ctx``: star households (L363), grid teams
(L363), A/B posts (L371), leave, the 24-hour duty roster (L359) and visits. Commands, the demo
and the stage hooks share them. Bad input is a ``CountyError`` naming the option; nothing is
written then."""

from __future__ import annotations

import datetime as dt
from typing import Any

from framework import CountyError, parse_date, parse_instant
from plugins.contrib.sanquan.rules import COMMUNITY_LEVELS, METHOD, STAR_ZH, STARS, TEAM_KINDS


def community_of(ctx, code: str):
    """The community (社区) or village (村) at or above unit ``code``, or None."""
    for c in ctx.ancestors(code):
        if ctx.units[c].level in COMMUNITY_LEVELS:
            return ctx.units[c]
    return None


def _person(ctx, pid: str, option: str):
    if pid not in ctx.people:
        raise CountyError(f"{option} {pid}: no such person in the deployment")
    return ctx.people[pid]


def _unit(ctx, code: str, option: str):
    if code not in ctx.units:
        raise CountyError(f"{option} {code}: no such unit in the deployment")
    return ctx.units[code]



def _star(value: Any, option: str = "--star") -> int:
    try:
        star = int(value)
    except (TypeError, ValueError):
        star = 0
    if star not in STARS:
        raise CountyError(f"{option} {value!r}: a star tier 1–5 (一星级…五星级, L363)")
    return star


# -- households and their star tiers (五星级服务, L363) ----------------------------------------

def household(ctx, hid: str) -> dict | None:
    """The ``sanquan_households`` row of ``hid``, or None."""
    rows = ctx.db.query("select * from sanquan_households where id = ?", [hid])
    return rows[0] if rows else None


def add_household(ctx, hid: str, unit: str, name: str, star: Any, *, grid: str | None = None,
                  contact: str | None = None, call_device: bool | None = None, address: str | None = None,
                  kinds: str | None = None, since: Any = None) -> dict:
    """Register a service household at community/village ``unit`` (or at one of its grids:
    ``grid``) with its star tier 1–5 from ``since`` (a date, default today). A five-star household
    has a call device (统一安装呼叫器, L363) unless ``call_device`` says otherwise. ``contact`` is
    its one-to-one contact (一对一联系, L363). Returns the row. CountyError for an unknown unit,
    grid or person, a grid outside the unit, a bad star, or an id already taken."""
    if not hid or household(ctx, hid):
        raise CountyError(f"household {hid!r}: give a new household id (that one exists)" if hid
                          else "household: give an id")
    u = _unit(ctx, unit, "--unit")
    if u.level not in COMMUNITY_LEVELS:
        raise CountyError(f"--unit {unit}: a household belongs to a community (社区) or village (村), not a {u.level}")
    if grid is not None:
        g = _unit(ctx, grid, "--grid")
        if g.level != "grid" or community_of(ctx, grid) is None or community_of(ctx, grid).code != unit:
            raise CountyError(f"--grid {grid}: not a grid (网格) of {u.name} ({unit})")
    if contact is not None:
        _person(ctx, contact, "--contact")
    s = _star(star)
    since_d = parse_date(since, "--since") if since is not None else ctx.calendar.local(ctx.now).date()
    row = {"id": hid, "unit": unit, "grid": grid, "name": name, "address": address, "kinds": kinds, "star": s,
           "star_since": since_d.isoformat(), "contact": contact,
           "call_device": int(s == 5 if call_device is None else bool(call_device)),
           "created_at": ctx.now.isoformat()}
    with ctx.transaction():
        ctx.db.insert("sanquan_households", row)
        ctx.db.insert("sanquan_star_changes", {"household": hid, "star": s, "since": row["star_since"],
                                               "reason": "建档", "actor": ctx.actor, "at": ctx.now.isoformat()})
    return row


def rate_household(ctx, hid: str, star: Any, *, reason: str | None = None, since: Any = None) -> dict:
    """Re-rate household ``hid`` to ``star`` from ``since`` (default today): its visit cadence
    restarts that day; the rating is logged in ``sanquan_star_changes``. Returns the row.
    NotFound-like CountyError for an unknown household."""
    row = household(ctx, hid)
    if row is None:
        raise CountyError(f"household {hid}: no such household (county sanquan household add)")
    s = _star(star)
    since_d = parse_date(since, "--since") if since is not None else ctx.calendar.local(ctx.now).date()
    with ctx.transaction():
        ctx.db.update("sanquan_households", hid, {"star": s, "star_since": since_d.isoformat(),
                                                  "call_device": int(row["call_device"] or s == 5)})
        ctx.db.insert("sanquan_star_changes", {"household": hid, "star": s, "since": since_d.isoformat(),
                                               "reason": reason, "actor": ctx.actor, "at": ctx.now.isoformat()})
    return household(ctx, hid)


def ratings(ctx, hids: list[str] | None = None) -> dict[str, list[tuple[dt.date, int]]]:
    """``{household: [(since, star), …]}`` from ``sanquan_star_changes``, by date (for one date
    the last rating entered wins)."""
    out: dict[str, dict[dt.date, int]] = {}
    for r in ctx.db.query("select household, star, since from sanquan_star_changes order by id"):
        if hids is None or r["household"] in hids:
            out.setdefault(r["household"], {})[dt.date.fromisoformat(r["since"])] = int(r["star"])
    return {h: sorted(v.items()) for h, v in out.items()}


def star_on(history: list[tuple[dt.date, int]], day: dt.date) -> tuple[dt.date, int] | None:
    """The rating ``(since, star)`` of a household's ``history`` in force on ``day``, or None."""
    current = None
    for since, star in history:
        if since <= day:
            current = (since, star)
    return current


def households(ctx, unit: str | None = None, star: int | None = None) -> list[dict]:
    """Households in ``unit``'s subtree (None: all), optionally of one star tier, by id."""
    rows = ctx.db.query("select * from sanquan_households order by id")
    codes = set(ctx.subtree(unit)) if unit else None
    return [r for r in rows if (codes is None or r["unit"] in codes) and (star is None or r["star"] == star)]


# -- grid teams (网组片, L363) ---------------------------------------------------------------

def add_team_member(ctx, grid: str, person: str, kind: str, leader: bool = False) -> dict:
    """Put ``person`` on the service team of ``grid`` as ``kind`` (镇街干部 township_cadre, 社区干部
    community_cadre, 党员志愿者 party_volunteer: L363); ``leader`` makes them the team's leader
    (one per grid: the previous leader stays a member). Returns the row."""
    g = _unit(ctx, grid, "--grid")
    if g.level != "grid":
        raise CountyError(f"--grid {grid}: {g.name} is a {g.level}, not a grid (网格)")
    _person(ctx, person, "--person")
    if kind not in TEAM_KINDS:
        raise CountyError(f"--kind {kind!r}: one of {', '.join(TEAM_KINDS)} (L363)")
    row = {"grid": grid, "person": person, "kind": kind, "leader": int(bool(leader)), "since": ctx.now.isoformat()}
    with ctx.transaction():
        if leader:
            ctx.db.execute("update sanquan_team_members set leader = 0 where grid = ?", [grid])
        ctx.db.upsert("sanquan_team_members", row, pk=("grid", "person"))
    return row


def team(ctx, grid: str) -> list[dict]:
    """The team of ``grid``: leader first, then by person id."""
    return ctx.db.query("select * from sanquan_team_members where grid = ? order by leader desc, person", [grid])


# -- A/B posts (AB岗兼容制, L371) -------------------------------------------------------------

def set_post(ctx, unit: str, line: str, a_person: str, b_person: str) -> dict:
    """Work line ``line`` (条线) of ``unit``: ``a_person`` holds it as A (primary), ``b_person``
    as B (backup) — every worker is A of their own line and B of others' (L371). A and B must
    differ. Replaces the line's previous post. Returns the row."""
    _unit(ctx, unit, "--unit")
    if not line or not str(line).strip():
        raise CountyError("--line: name the work line (条线), e.g. 社保")
    _person(ctx, a_person, "--a")
    _person(ctx, b_person, "--b")
    if a_person == b_person:
        raise CountyError(f"--b {b_person}: the B holder must be another worker than the A holder (L371)")
    row = {"unit": unit, "line": str(line).strip(), "a_person": a_person, "b_person": b_person,
           "set_at": ctx.now.isoformat()}
    ctx.db.upsert("sanquan_posts", row, pk=("unit", "line"))
    return row


def post(ctx, unit: str, line: str) -> dict | None:
    """The A/B post of ``line`` at ``unit``, or None."""
    rows = ctx.db.query("select * from sanquan_posts where unit = ? and line = ?", [unit, line])
    return rows[0] if rows else None


def posts(ctx, unit: str | None = None) -> list[dict]:
    """A/B posts in ``unit``'s subtree (None: all), by unit and line."""
    rows = ctx.db.query("select * from sanquan_posts order by unit, line")
    codes = set(ctx.subtree(unit)) if unit else None
    return [r for r in rows if codes is None or r["unit"] in codes]


# -- leave and the duty roster (24小时值班制, L359) -------------------------------------------

def add_leave(ctx, person: str, start: Any, until: Any, reason: str | None = None) -> dict:
    """``person`` is off duty from ``start`` until ``until`` (instants, or ISO text: no offset =
    local, a bare date = 00:00; ``until`` exclusive). Returns the row. CountyError when ``until``
    is not after ``start``."""
    _person(ctx, person, "--person")
    s = start if isinstance(start, dt.datetime) else parse_instant(str(start), ctx.calendar.tz, what="--from")
    u = until if isinstance(until, dt.datetime) else parse_instant(str(until), ctx.calendar.tz, what="--until")
    s, u = ctx.calendar.local(s), ctx.calendar.local(u)
    if u <= s:
        raise CountyError(f"--until {u.isoformat()}: must be after --from {s.isoformat()}")
    row = {"person": person, "start": s.isoformat(), "start_ts": s.timestamp(), "until": u.isoformat(),
           "until_ts": u.timestamp(), "reason": reason, "actor": ctx.actor}
    row["id"] = ctx.db.insert("sanquan_leave", row)
    return row


def on_leave(ctx, person: str, instant: dt.datetime) -> bool:
    """Whether ``person`` is on leave at ``instant`` (a leave row with from ≤ instant < until)."""
    ts = instant.timestamp()
    return ctx.db.count("sanquan_leave", "person = ? and start_ts <= ? and until_ts > ?", [person, ts, ts]) > 0


def leaves(ctx, person: str | None = None) -> list[dict]:
    """Leave rows (of one person), by start."""
    if person:
        return ctx.db.query("select * from sanquan_leave where person = ? order by start_ts, id", [person])
    return ctx.db.query("select * from sanquan_leave order by start_ts, id")


def set_roster(ctx, unit: str, day: Any, person: str) -> dict:
    """``person`` holds the 24-hour duty (值班) of ``unit`` on ``day`` (from that day's opening to
    the next day's, L359); replaces the day's entry. Returns the row."""
    _unit(ctx, unit, "--unit")
    _person(ctx, person, "--person")
    d = parse_date(day, "--date")
    row = {"unit": unit, "date": d.isoformat(), "person": person, "set_at": ctx.now.isoformat()}
    ctx.db.upsert("sanquan_roster", row, pk=("unit", "date"))
    return row


def on_duty(ctx, unit: str, day: dt.date) -> str | None:
    """The person on the duty roster of ``unit`` for ``day``, or None."""
    rows = ctx.db.query("select person from sanquan_roster where unit = ? and date = ?", [unit, day.isoformat()])
    return rows[0]["person"] if rows else None


def roster(ctx, unit: str | None = None, month: str | None = None) -> list[dict]:
    """Roster rows in ``unit``'s subtree, optionally of one month (``YYYY-MM``), by date."""
    rows = ctx.db.query("select * from sanquan_roster order by date, unit")
    codes = set(ctx.subtree(unit)) if unit else None
    return [r for r in rows if (codes is None or r["unit"] in codes) and (not month or r["date"].startswith(month))]


# -- visits (每天上门服务, L363) ---------------------------------------------------------------

def record_visit(ctx, hid: str, person: str, note: str | None = None) -> dict:
    """A visit to household ``hid`` by ``person`` at ``ctx.now``; it fulfils the household's visit
    duty for the window holding that day. Returns the row (``unit``: the household's grid, else
    its community)."""
    row = household(ctx, hid)
    if row is None:
        raise CountyError(f"household {hid}: no such household (county sanquan household add)")
    _person(ctx, person, "--person")
    at = ctx.calendar.local(ctx.now)
    v = {"household": hid, "unit": row["grid"] or row["unit"], "person": person, "at": at.isoformat(),
         "at_ts": at.timestamp(), "day": at.date().isoformat(), "note": note, "actor": ctx.actor}
    v["id"] = ctx.db.insert("sanquan_visits", v)
    return v


def visit_days(ctx, hids: list[str], first: dt.date, last: dt.date) -> dict[str, set[str]]:
    """``{household: {ISO day visited}}`` for days in [first, last]."""
    out: dict[str, set[str]] = {h: set() for h in hids}
    for r in ctx.db.query("select household, day from sanquan_visits where day >= ? and day <= ?",
                          [first.isoformat(), last.isoformat()]):
        if r["household"] in out:
            out[r["household"]].add(r["day"])
    return out


def has_records(ctx, code: str) -> bool:
    """Whether community ``code`` keeps any sanquan records (households, A/B posts, roster)."""
    return any(ctx.db.count(t, "unit = ?", [code]) for t in ("sanquan_households", "sanquan_posts", "sanquan_roster"))


def star_label(star: int) -> str:
    """``五星级`` for 5 …"""
    return STAR_ZH.get(star, str(star))


def respond(ctx, case_id: str, note: str):
    """The first response to sanquan matter ``case_id`` (a ``responded`` event, status
    in_progress), closing its pending ``respond`` milestone of the current tier if it has one.
    Returns the case. CountyError for another method's case; Refusal for a closed one."""
    c = method_case(ctx, case_id)
    pending = ctx.milestones.of(case_id, state="pending", level=c.level, name="respond")
    return ctx.actions.record_event(case_id, "responded", note, status="in_progress",
                                    meet="respond" if pending else None)


def method_case(ctx, case_id: str):
    """The case ``case_id`` if it is a sanquan case, else CountyError."""
    c = ctx.cases.get(case_id, events=False)
    if c.method != METHOD:
        raise CountyError(f"case {case_id} is a {c.method} case, not {METHOD}")
    return c
