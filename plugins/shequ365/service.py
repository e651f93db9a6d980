"""shequ365's service layer: what its commands and its demo do, on ``ctx``.

The three links (grids, households, members), household events and the five mandatory visits
(五访), visits and patrols (which may take a case in), meetings and assessments. Every
function takes the method's ``ctx``; times are ``ctx.now`` (its local date is the day a visit,
patrol or meeting counts for), so ``with ctx.acting_at(when):`` replays one at ``when``.
Errors: CountyError (bad input, exit 2), NotFound (unknown grid, household, unit; exit 2),
Refusal (not allowed now, exit 1). Rows read from files are dicts of text; ``where`` names the
source in errors (the file), and rows are numbered from line 2 (after a header).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from framework import CountyError, NotFound, Refusal, Requester, parse_instant, period_dates
from plugins.shequ365 import tables
from plugins.shequ365.awards import social_workers
from plugins.shequ365.rules import (
    ASSESS_KINDS,
    FIVE_QUESTIONS,
    FIVE_VISITS,
    FOUR_ROLES,
    MEETINGS,
    MEMBER_KINDS,
    METHOD,
    parse_date,
    split_list,
)

# -- checks ------------------------------------------------------------------------------------


def require_person(ctx, pid: str, where: str):
    """The :class:`Person` ``pid``; CountyError naming ``where`` when unknown."""
    if pid not in ctx.people:
        raise CountyError(f"{where}: unknown person {pid!r} (see `county people list`)")
    return ctx.people[pid]


def require_grid(ctx, code: str) -> dict:
    """The grid row ``code``; NotFound naming ``--grid`` when unknown."""
    g = tables.grid(ctx, code)
    if g is None:
        raise NotFound(f"--grid {code!r}: unknown grid (see `county shequ365 grids list`)")
    return g


def require_household(ctx, hid: str) -> dict:
    """The household row ``hid``; NotFound when unknown."""
    h = tables.household(ctx, hid)
    if h is None:
        raise NotFound(f"household {hid!r}: unknown (see `county shequ365 households list`)")
    return h


def require_community(ctx, code: str, what: str = "unknown community (see `county units list`)") -> None:
    """NotFound naming ``--community`` when ``code`` is not a unit."""
    if code not in ctx.units:
        raise NotFound(f"--community {code!r}: {what}")


def not_before_household(h: dict, now: dt.datetime, what: str) -> None:
    """Refusal (exit 1) when ``now`` is before the household was imported (``created_at``; rows
    from before it was kept have none and are not checked)."""
    if h.get("created_at") and now < dt.datetime.fromisoformat(h["created_at"]):
        raise Refusal(f"household {h['id']} was imported at {h['created_at']}; "
                      f"it cannot be {what} at {now.isoformat()} (check --now)")


def _cell(r: dict, key: str) -> str:
    v = r.get(key)
    return "" if v is None else str(v).strip()


def _created_at(ctx, r: dict, where: str) -> str | None:
    """The optional ``created_at`` cell of an import row (a date or an ISO time, local), as an
    ISO instant; None when the row gives none. CountyError when it is after ``ctx.now``."""
    text = _cell(r, "created_at")
    if not text:
        return None
    at = ctx.calendar.local(parse_instant(text, ctx.calendar.tz, what=f"{where}: created_at"))
    if at > ctx.now:
        raise CountyError(f"{where}: created_at: {text!r} is after the import time {ctx.now.isoformat()}")
    return at.isoformat()


def _kept_created(ctx, table: str, pk: str, key: str) -> str | None:
    rows = ctx.db.query(f"select created_at from {table} where {pk} = ?", [key])
    return rows[0]["created_at"] if rows else None


def _numbered(rows: Iterable[dict]):
    return enumerate(rows, start=2)


# -- grids, households, members (三联, L377) -----------------------------------------------------


def import_grids(ctx, rows: Iterable[dict], where: str) -> int:
    """Load or update grids (columns code, name, community, worker, planned_households,
    created_at — see ``county shequ365 grids import``); all or none. A grid keeps its first
    ``created_at``; a new one without it is created at ``ctx.now``. Returns the count."""
    now = ctx.now
    out = []
    for i, r in _numbered(rows):
        missing = [k for k in ("code", "name", "community") if not _cell(r, k)]
        if missing:
            raise CountyError(f"{where}: line {i}: missing {', '.join(missing)}")
        if _cell(r, "community") not in ctx.units:
            raise CountyError(f"{where}: line {i}: community: {_cell(r, 'community')!r} is not a known unit")
        worker = _cell(r, "worker") or None
        if worker:
            require_person(ctx, worker, f"{where}: line {i}: worker")
        planned = _cell(r, "planned_households")
        try:
            planned_n = int(planned) if planned else None
        except ValueError:
            raise CountyError(f"{where}: line {i}: planned_households: {planned!r} is not a whole number") from None
        created = (_created_at(ctx, r, f"{where}: line {i}")
                   or _kept_created(ctx, "shequ365_grids", "code", _cell(r, "code")) or now.isoformat())
        out.append({"code": _cell(r, "code"), "name": _cell(r, "name"), "community": _cell(r, "community"),
                    "worker": worker, "planned_households": planned_n, "created_at": created})
    with ctx.transaction():
        for row in out:
            ctx.db.upsert("shequ365_grids", row, pk="code")
    return len(out)


def list_grids(ctx, community: str | None = None) -> list[dict]:
    """Grid rows (all columns) with ``households`` (count) and ``standard`` (the
    ``grid_households`` setting), by code; only ``community``'s when given (NotFound if unknown)."""
    if community:
        require_community(ctx, community)
    std = int(ctx.settings["grid_households"])
    return [{**g, "households": tables.households_in_grid(ctx, g["code"]), "standard": std}
            for g in ctx.db.query("select * from shequ365_grids order by code")
            if not community or g["community"] == community]


def import_households(ctx, rows: Iterable[dict], where: str) -> dict:
    """Load or update households (columns id, grid, address, head, phone, kinds, worker,
    moved_in, created_at — see ``county shequ365 households import``); all or none. A household
    imported with a worker is linked from its created_at; one whose worker changes, from
    ``ctx.now``. A ``moved_in`` date raises a 新迁入家庭必访 task. Returns ``{"imported": n,
    "visit_tasks": n}``."""
    now = ctx.now
    known = {g["code"] for g in ctx.db.query("select code from shequ365_grids")}
    out, tasks = [], []
    for i, r in _numbered(rows):
        missing = [k for k in ("id", "grid") if not _cell(r, k)]
        if missing:
            raise CountyError(f"{where}: line {i}: missing {', '.join(missing)}")
        if _cell(r, "grid") not in known:
            raise CountyError(f"{where}: line {i}: grid: {_cell(r, 'grid')!r} is not a known grid (import grids first)")
        kinds = split_list(r.get("kinds"))
        bad = [k for k in kinds if k not in FIVE_QUESTIONS]
        if bad:
            raise CountyError(f"{where}: line {i}: kinds: {bad[0]!r} is not one of {', '.join(FIVE_QUESTIONS)}")
        worker = _cell(r, "worker") or None
        if worker:
            require_person(ctx, worker, f"{where}: line {i}: worker")
        moved_in = parse_date(_cell(r, "moved_in"), f"{where}: line {i}: moved_in")
        given = _created_at(ctx, r, f"{where}: line {i}")
        old = ctx.db.query("select worker, created_at, linked_at from shequ365_households where id = ?", [_cell(r, "id")])
        if old:
            created = given or old[0]["created_at"]
            linked = old[0]["linked_at"] if worker == old[0]["worker"] else now.isoformat() if worker else None
        else:
            created = given or now.isoformat()
            linked = created if worker else None
        out.append({"id": _cell(r, "id"), "grid": _cell(r, "grid"), "address": _cell(r, "address") or None,
                    "head": _cell(r, "head") or None, "phone": _cell(r, "phone") or None, "kinds": kinds,
                    "worker": worker, "moved_in": moved_in.isoformat() if moved_in else None,
                    "created_at": created, "linked_at": linked})
        if moved_in:
            tasks.append((out[-1]["id"], moved_in))
    with ctx.transaction():
        for row in out:
            ctx.db.upsert("shequ365_households", row, pk="id")
        for hid, day in tasks:
            add_visit_task(ctx, hid, "moved_in", day, "导入：新迁入")
    return {"imported": len(out), "visit_tasks": len(tasks)}


def list_households(ctx, grid: str | None = None, worker: str | None = None) -> list[dict]:
    """Households without personal data (id, grid, kinds, worker, moved_in), by id; only
    those of ``grid`` / linked to ``worker`` when given (an unknown one is an error)."""
    if grid:
        require_grid(ctx, grid)
    if worker:
        require_person(ctx, worker, "--worker")
    out = []
    for h in ctx.db.query("select id, grid, kinds, worker, moved_in from shequ365_households order by id"):
        if (grid and h["grid"] != grid) or (worker and h["worker"] != worker):
            continue
        out.append({**h, "kinds": json.loads(h["kinds"] or "[]")})
    return out


def link_households(ctx, worker: str, household_ids: Iterable[str]) -> dict:
    """Link households to social worker ``worker`` (联户, L377). A household newly linked to
    this worker counts from ``ctx.now``'s month on; one already linked keeps its date.
    Returns ``{"worker", "linked": n, "minimum": n, "meets_standard": bool}``."""
    household_ids = list(household_ids)
    require_person(ctx, worker, "--worker")
    for hid in household_ids:
        if tables.household(ctx, hid) is None:
            raise CountyError(f"household {hid!r}: unknown (see `county shequ365 households list`)")
    for hid in household_ids:
        not_before_household(tables.household(ctx, hid), ctx.now, "linked")
    now = ctx.now.isoformat()
    with ctx.transaction():
        for hid in household_ids:
            if tables.household(ctx, hid)["worker"] != worker:
                ctx.db.update("shequ365_households", hid, {"worker": worker, "linked_at": now})
    n = len(tables.linked_households(ctx, tables.grid_communities(ctx), worker))
    minimum = int(ctx.settings["linked_households_min"])
    return {"worker": worker, "linked": n, "minimum": minimum, "meets_standard": n >= minimum}


def add_visit_task(ctx, hid: str, reason: str, day: dt.date, note: str | None) -> int | None:
    """Raise a 五访 task for household ``hid`` triggered on local date ``day``, due
    ``mandatory_visit_days`` calendar days later; returns its id, or None if the same one
    already exists."""
    h = tables.household(ctx, hid)
    if ctx.db.query("select 1 from shequ365_visit_tasks where household = ? and reason = ? and triggered_on = ?",
                    [hid, reason, day.isoformat()]):
        return None
    g = tables.grid(ctx, h["grid"])
    due = day + dt.timedelta(days=int(ctx.settings["mandatory_visit_days"]))
    return ctx.db.insert("shequ365_visit_tasks", {
        "household": hid, "grid": h["grid"], "community": g["community"], "reason": reason,
        "triggered_on": day.isoformat(), "due_on": due.isoformat(), "visited_on": None, "visit_id": None,
        "note": note})


def household_event(ctx, household_id: str, reason: str, day: dt.date | None = None,
                    note: str | None = None) -> dict:
    """Record a household event that makes a visit mandatory (五访, L381) on local date ``day``
    (default ``ctx.now``'s). Returns the task row; Refusal when the same task exists."""
    require_household(ctx, household_id)
    day = day or ctx.now.date()
    with ctx.transaction():
        tid = add_visit_task(ctx, household_id, reason, day, note)
    if tid is None:
        raise Refusal(f"household {household_id} already has a {reason} visit task from {day}")
    return ctx.db.query("select * from shequ365_visit_tasks where id = ?", [tid])[0]


def import_members(ctx, rows: Iterable[dict], where: str) -> int:
    """Load or update the three links' members (columns id, name, kind, community, line, grid,
    block, roles, work_post, service_post, created_at — see ``county shequ365 members
    import``); all or none; a social worker must be a person with a line (管线). Returns the
    count."""
    now = ctx.now
    known = {g["code"] for g in ctx.db.query("select code from shequ365_grids")}
    out = []
    for i, r in _numbered(rows):
        missing = [k for k in ("id", "name", "kind", "community") if not _cell(r, k)]
        if missing:
            raise CountyError(f"{where}: line {i}: missing {', '.join(missing)}")
        kind = _cell(r, "kind")
        if kind not in MEMBER_KINDS:
            raise CountyError(f"{where}: line {i}: kind: {kind!r} is not one of {', '.join(MEMBER_KINDS)}")
        if _cell(r, "community") not in ctx.units:
            raise CountyError(f"{where}: line {i}: community: {_cell(r, 'community')!r} is not a known unit")
        if _cell(r, "grid") and _cell(r, "grid") not in known:
            raise CountyError(f"{where}: line {i}: grid: {_cell(r, 'grid')!r} is not a known grid")
        roles = split_list(r.get("roles"))
        bad = [x for x in roles if x not in FOUR_ROLES]
        if bad:
            raise CountyError(f"{where}: line {i}: roles: {bad[0]!r} is not one of {', '.join(FOUR_ROLES)}")
        if kind == "social_worker":
            require_person(ctx, _cell(r, "id"), f"{where}: line {i}: id (a social worker handles cases)")
            if not _cell(r, "line"):
                raise CountyError(f"{where}: line {i}: line: a social worker needs a line of business (管线)")
        if kind == "registered_party_member" and roles and "block_representative" not in roles:
            raise CountyError(f"{where}: line {i}: roles: 一代四员 starts with block_representative (墙门代表)")
        if kind == "employed_party_member" and not _cell(r, "service_post"):
            raise CountyError(f"{where}: line {i}: service_post: an employed party member reports a 为民奉献岗 (一员双岗)")
        out.append({"id": _cell(r, "id"), "name": _cell(r, "name"), "kind": kind, "community": _cell(r, "community"),
                    "line": _cell(r, "line") or None, "grid": _cell(r, "grid") or None,
                    "block": _cell(r, "block") or None, "roles": roles,
                    "work_post": _cell(r, "work_post") or None, "service_post": _cell(r, "service_post") or None,
                    "created_at": _created_at(ctx, r, f"{where}: line {i}")
                    or _kept_created(ctx, "shequ365_members", "id", _cell(r, "id")) or now.isoformat()})
    with ctx.transaction():
        for row in out:
            ctx.db.upsert("shequ365_members", row, pk="id")
    return len(out)


def links(ctx, community: str | None = None) -> list[dict]:
    """The three links per community (all communities with grids or members, or only
    ``community``), with the standards of L377 checked: each social worker's line (管线), grids
    (包片, households per grid) and linked households (联户, ≥ ``linked_households_min``),
    ``problems`` listing what falls short (``problems_zh``: the same in Chinese, as the command
    prints them); party members and volunteers counted per kind."""
    if community:
        require_community(ctx, community)
    s = ctx.settings
    comms = [community] if community else sorted({r["community"] for r in ctx.db.query(
        "select community from shequ365_grids union select community from shequ365_members")})
    out = []
    for c in comms:
        workers = {}
        for m in ctx.db.query("select * from shequ365_members where community = ? and kind = 'social_worker'", [c]):
            workers[m["id"]] = {"id": m["id"], "name": m["name"], "line": m["line"], "grids": [], "linked": 0}
        for g in tables.grids_in(ctx, [c]):
            if g["worker"]:
                w = workers.setdefault(g["worker"], {"id": g["worker"], "name": ctx.people[g["worker"]].name,
                                                     "line": None, "grids": [], "linked": 0})
                w["grids"].append({"code": g["code"], "households": tables.households_in_grid(ctx, g["code"])})
        for h in tables.linked_households(ctx, [c]):
            workers.setdefault(h["worker"], {"id": h["worker"], "name": ctx.people[h["worker"]].name,
                                             "line": None, "grids": [], "linked": 0})["linked"] += 1
        for w in workers.values():
            problems, zh = [], []
            if not w["line"]:
                problems.append("no line of business (管线)")
                zh.append("未明确管线")
            if not w["grids"]:
                problems.append("no grid (包片)")
                zh.append("未包片")
            if w["linked"] < int(s["linked_households_min"]):
                problems.append(f"{w['linked']} linked households < {s['linked_households_min']} (联户)")
                zh.append(f"联户{w['linked']}户，不足{s['linked_households_min']}户")
            w["problems"], w["problems_zh"] = problems, zh
        counts = {k: ctx.db.count("shequ365_members", "community = ? and kind = ?", [c, k])
                  for k in MEMBER_KINDS if k != "social_worker"}
        out.append({"community": c, "social_workers": list(workers.values()), **counts})
    return out


# -- visits, patrols, meetings, assessments (民情收集, 民情分析, 民情评议, L381) --------------------


def take_in(ctx, unit: str, title: str, channel: str, category: str | None, fields: dict,
            household: dict | None = None):
    """Take a case in at ``ctx.now`` from a visit or patrol (through ``ctx.actions.add_case``);
    a visited household's head is the requester (so public boards mask the head's name, phone
    and address). Returns the Case."""
    req = (Requester(household.get("head"), household.get("phone"), None, household.get("address"))
           if household else None)
    return ctx.actions.add_case(METHOD, unit, title, channel=channel, category=category, fields=fields,
                                created_at=ctx.now, requester=req)


def record_visit(ctx, household_id: str, worker: str, *, reason: str | None = None, note: str | None = None,
                 issue: str | None = None, category: str | None = None, fields: dict | None = None) -> dict:
    """Record a visit of ``worker`` to ``household_id`` at ``ctx.now``. It fulfils every open
    mandatory visit task of the household triggered on or before that day; the five questions
    due for the household's kinds are recorded as asked (五问). ``issue`` takes a case in from
    the visit (title; ``category``; ``fields`` the case's ``--set`` fields): channel
    ``mandatory_visit`` with a ``reason``, ``five_questions`` with ``resident_kind``, else
    ``linked_visit``. Returns ``{"visit": id, "household", "worker", "visited_on",
    "questions": [str], "tasks_fulfilled": [task id], "case": Case | None}``."""
    require_person(ctx, worker, "--worker")
    h = require_household(ctx, household_id)
    g = tables.grid(ctx, h["grid"])
    now = ctx.now
    not_before_household(h, now, "visited")
    day = now.date().isoformat()
    questions = [FIVE_QUESTIONS[k][1] for k in h["kinds"]]
    case = None
    with ctx.transaction():
        vid = ctx.db.insert("shequ365_visits", {
            "household": household_id, "grid": h["grid"], "community": g["community"], "worker": worker,
            "visited_on": day, "visited_at": now.isoformat(), "reason": reason, "questions": questions,
            "note": note, "case_id": None})
        fulfilled = [t["id"] for t in ctx.db.query(
            "select id from shequ365_visit_tasks where household = ? and visited_on is null and triggered_on <= ?",
            [household_id, day])]
        for tid in fulfilled:
            ctx.db.update("shequ365_visit_tasks", tid, {"visited_on": day, "visit_id": vid})
        if issue:
            fields = {"household": household_id, "visit_id": str(vid), **(fields or {})}
            if reason:
                fields.setdefault("visit_reason", reason)
            channel = ("mandatory_visit" if reason else "five_questions" if fields.get("resident_kind")
                       else "linked_visit")
            case = take_in(ctx, g["community"], issue, channel, category, fields, household=h)
            ctx.db.update("shequ365_visits", vid, {"case_id": case.id})
    return {"visit": vid, "household": household_id, "worker": worker, "visited_on": day,
            "questions": questions, "tasks_fulfilled": fulfilled, "case": case}


def record_patrol(ctx, area: str, shift: str, worker: str, *, note: str | None = None, issue: str | None = None,
                  category: str | None = None, fields: dict | None = None) -> dict:
    """Record a ``shift`` (morning/evening) patrol of ``area`` by ``worker`` at ``ctx.now``:
    a grid code (the grid's social worker, 包片区域必巡) or a community unit code (the
    community leader's main roads and crowded places). ``issue`` takes a case in (channel
    ``<shift>_patrol``). Returns ``{"patrol": id, "area", "shift", "worker", "patrolled_on",
    "case": Case | None}``."""
    require_person(ctx, worker, "--worker")
    g = tables.grid(ctx, area)
    if g is None and area not in ctx.units:
        raise NotFound(f"patrol area {area!r}: neither a grid nor a unit (see `county shequ365 grids list`)")
    community = g["community"] if g else area
    now = ctx.now
    day = now.date().isoformat()
    case = None
    with ctx.transaction():
        pid = ctx.db.insert("shequ365_patrols", {
            "area": area, "community": community, "shift": shift, "worker": worker, "patrolled_on": day,
            "patrolled_at": now.isoformat(), "note": note, "case_id": None})
        if issue:
            fields = {"patrol_id": str(pid), **({"grid": area} if g else {}), **(fields or {})}
            case = take_in(ctx, community, issue, f"{shift}_patrol", category, fields)
            ctx.db.update("shequ365_patrols", pid, {"case_id": case.id})
    return {"patrol": pid, "area": area, "shift": shift, "worker": worker, "patrolled_on": day, "case": case}


def record_meeting(ctx, community: str, kind: str, *, title: str | None = None, resolution: str | None = None,
                   case_ids: Iterable[str] = (), items: Iterable[str] = (), note: str | None = None) -> dict:
    """Record a meeting of ``kind`` (see MEETINGS) held at ``ctx.now`` in ``community``. Each
    case discussed gets an event ``shequ365_<kind>`` (through ``ctx.actions.record_event``);
    items and cases passed by a joint meeting, and hearing resolutions, go on the community
    board. Returns ``{"meeting": id, "community", "kind", "held_on", "cases": [id], "items":
    [str]}``."""
    require_community(ctx, community, "unknown unit (see `county units list`)")
    if kind == "hearing" and not (resolution or "").strip():
        raise CountyError("--resolution: a democratic hearing (民主听证会) records its resolution")
    items = list(items)
    cases = []
    now = ctx.now
    for cid in case_ids:
        c = ctx.cases.get(cid, events=False)
        if c.method != METHOD:
            raise CountyError(f"--case {cid}: a {c.method} case, not {METHOD}")
        if c.created_at and now < c.created_at:
            raise Refusal(f"--case {cid}: case {cid} was taken in at {c.created_at.isoformat()}; "
                          f"a meeting at {now.isoformat()} cannot discuss it (check --now)")
        cases.append(c)
    zh = MEETINGS[kind][1]
    with ctx.transaction():
        mid = ctx.db.insert("shequ365_meetings", {
            "community": community, "kind": kind, "held_on": now.date().isoformat(), "held_at": now.isoformat(),
            "title": title or zh, "resolution": resolution, "note": note})
        passed = 1 if kind in ("joint", "hearing") else 0
        for c in cases:
            ctx.db.insert("shequ365_meeting_items", {"meeting_id": mid, "case_id": c.id, "title": c.title,
                                                     "passed": passed, "note": resolution})
            ctx.actions.record_event(c.id, f"shequ365_{kind}", note=f"{zh}{'通过' if passed else ''}" +
                                     (f"：{resolution}" if resolution else ""), data={"meeting": mid})
        for text in items:
            ctx.db.insert("shequ365_meeting_items", {"meeting_id": mid, "case_id": None, "title": text,
                                                     "passed": passed, "note": None})
    return {"meeting": mid, "community": community, "kind": kind, "held_on": now.date().isoformat(),
            "cases": [c.id for c in cases], "items": items}


def record_assessment(ctx, community: str, kind: str, period: str, *, subject: str | None = None,
                      satisfied: int = 0, basically: int = 0, unsatisfied: int = 0, score: float | None = None,
                      note: str | None = None) -> dict:
    """Record the quarterly review (``kind`` quarterly, ``period`` like 2026Q4) or the year-end
    assessment (annual, 2026) by member representatives of ``community`` or of one social
    worker ``subject``, held on ``ctx.now``'s date (L381). Needs votes or a score. Returns
    ``{"assessment": id, <the row>, "rating": (satisfied + basically) / votes or None}``."""
    require_community(ctx, community, "unknown unit (see `county units list`)")
    p = period.strip()
    period_dates(p)
    if kind == "annual" and not (len(p) == 4 and p.isdigit()):
        raise CountyError(f"--period: the annual assessment takes a year (e.g. 2026), not {period!r}")
    if kind == "quarterly" and not (len(p) == 6 and p[4] in "Qq"):
        raise CountyError(f"--period: the quarterly review takes a quarter (e.g. 2026Q4), not {period!r}")
    if kind not in ASSESS_KINDS:
        raise CountyError(f"--kind: {kind!r} is not one of {', '.join(ASSESS_KINDS)}")
    p = p.upper()
    if subject:
        require_person(ctx, subject, "--subject")
        if subject not in social_workers(ctx, community):
            raise CountyError(f"--subject {subject}: not a social worker of {community} (the representatives rate "
                              f"the community's work and its social workers, L381)")
    if satisfied + basically + unsatisfied == 0 and score is None:
        raise CountyError("assess: give the representatives' votes (--satisfied/--basically/--unsatisfied) or --score")
    row = {"community": community, "kind": kind, "period": p, "subject_kind": "person" if subject else "unit",
           "subject": subject or community, "satisfied": satisfied, "basically": basically,
           "unsatisfied": unsatisfied, "score": score, "note": note, "held_on": ctx.now.date().isoformat()}
    with ctx.transaction():
        aid = ctx.db.insert("shequ365_assessments", row)
    votes = satisfied + basically + unsatisfied
    return {"assessment": aid, **row, "rating": ((satisfied + basically) / votes) if votes else None}
