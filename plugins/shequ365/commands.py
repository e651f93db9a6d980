"""``county shequ365 …``: the three links, visits, patrols, meetings, duties and assessment.

Every command takes ``--db``, ``--now`` (the instant of a visit, patrol or meeting: its local
date is the day it counts for), ``--json``. Imports take all rows or none and name file, line
and column on bad input.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from framework import (
    CountyError,
    NotFound,
    Refusal,
    case_json,
    county_command,
    emit,
    parse_sets,
    period_dates,
    read_table,
)
from plugins.shequ365 import data
from plugins.shequ365.rules import (
    ASSESS_KINDS,
    FIVE_QUESTIONS,
    FIVE_VISITS,
    FOUR_ROLES,
    MEETINGS,
    MEMBER_KINDS,
    METHOD,
    SHIFTS,
)


@click.group(name="shequ365")
def group():
    """宁波“365社区服务工作法”: grids, households, visits, patrols, meetings, duties (L373–381)."""


def _ctx(county):
    county.require_method(METHOD)
    if METHOD not in county.deployment.methods:
        raise CountyError(f"method {METHOD!r} is not enabled in this deployment; add it to [deployment] methods")
    return county.ctx(METHOD)


def _person(county, pid, where):
    if pid not in county.people:
        raise CountyError(f"{where}: unknown person {pid!r} (see `county people list`)")
    return county.people[pid]


def _cell(r, key) -> str:
    v = r.get(key)
    return "" if v is None else str(v).strip()


def _created_at(county, r, where: str, now: dt.datetime) -> str | None:
    """The optional ``created_at`` column of an import row (a date or an ISO time, local),
    as an ISO instant; None when the row gives none."""
    from framework.timerules import parse_instant

    text = _cell(r, "created_at")
    if not text:
        return None
    at = county.calendar.local(parse_instant(text, county.calendar.tz, what=f"{where}: created_at"))
    if at > now:
        raise CountyError(f"{where}: created_at: {text!r} is after the import time {now.isoformat()}")
    return at.isoformat()


def _kept_created(county, table: str, pk: str, key: str) -> str | None:
    rows = county.store.query(f"select created_at from {table} where {pk} = ?", [key])
    return rows[0]["created_at"] if rows else None


def _unknown_grid(county, code: str) -> None:
    if data.grid(county.store, code) is None:
        raise NotFound(f"--grid {code!r}: unknown grid (see `county shequ365 grids list`)")


def _unknown_community(county, code: str) -> None:
    if code not in county.units:
        raise NotFound(f"--community {code!r}: unknown community (see `county units list`)")


# -- grids ------------------------------------------------------------------------------------------


@group.group("grids")
def grids():
    """包片 grid areas (standard 250 households, L377)."""


@grids.command("import")
@click.argument("file")
@county_command()
def grids_import(county, as_json, file):
    """Load grids from CSV/JSON: code, name, community (unit code), worker (person id of the
    grid's social worker), planned_households (optional), created_at (optional date or time
    the grid was set up; default the import's --now; a re-import keeps the first one)."""
    _ctx(county)
    now = county.now()
    rows = []
    for i, r in enumerate(read_table(file), start=2):
        missing = [k for k in ("code", "name", "community") if not _cell(r, k)]
        if missing:
            raise CountyError(f"{file}: line {i}: missing {', '.join(missing)}")
        if _cell(r, "community") not in county.units:
            raise CountyError(f"{file}: line {i}: community: {_cell(r, 'community')!r} is not a known unit")
        worker = _cell(r, "worker") or None
        if worker:
            _person(county, worker, f"{file}: line {i}: worker")
        planned = _cell(r, "planned_households")
        try:
            planned_n = int(planned) if planned else None
        except ValueError:
            raise CountyError(f"{file}: line {i}: planned_households: {planned!r} is not a whole number") from None
        created = (_created_at(county, r, f"{file}: line {i}", now)
                   or _kept_created(county, "shequ365_grids", "code", _cell(r, "code")) or now.isoformat())
        rows.append({"code": _cell(r, "code"), "name": _cell(r, "name"), "community": _cell(r, "community"),
                     "worker": worker, "planned_households": planned_n, "created_at": created})
    with county.store.transaction():
        for row in rows:
            county.store.upsert("shequ365_grids", row, pk="code")
    emit({"imported": len(rows)}, as_json, lambda d: click.echo(f"{len(rows)} grids imported"))


@grids.command("list")
@click.option("--community")
@county_command()
def grids_list(county, as_json, community):
    """Grids with their worker and household count against the 250-household standard."""
    ctx = _ctx(county)
    if community:
        _unknown_community(county, community)
    std = int(ctx.settings["grid_households"])
    rows = []
    for g in county.store.query("select * from shequ365_grids order by code"):
        if community and g["community"] != community:
            continue
        n = county.store.query("select count(*) n from shequ365_households where grid = ?", [g["code"]])[0]["n"]
        rows.append({**g, "households": n, "standard": std})
    emit(rows, as_json, lambda rs: [click.echo(
        f"{r['code']:<12} {r['name']:<10} {r['community']:<14} {r['worker'] or '-':<10} {r['households']}/{std}户")
        for r in rs])


# -- households -------------------------------------------------------------------------------------


@group.group("households")
def households():
    """Households of the grids, their 五问 kinds and linked social worker (联户)."""


@households.command("import")
@click.argument("file")
@county_command()
def households_import(county, as_json, file):
    """Load households from CSV/JSON: id, grid, address, head, phone, kinds (五问 kinds separated
    by ';': needy, elderly_alone, unemployed, retiree, correction), worker (linked social
    worker), moved_in (YYYY-MM-DD; raises a 新迁入家庭必访 task from that date), created_at
    (optional; default the import's --now; a re-import keeps the first one). A household
    imported with a worker is linked from its created_at; one whose worker changes, from --now."""
    ctx = _ctx(county)
    now = county.now()
    known = {g["code"] for g in county.store.query("select code from shequ365_grids")}
    rows, tasks = [], []
    for i, r in enumerate(read_table(file), start=2):
        missing = [k for k in ("id", "grid") if not _cell(r, k)]
        if missing:
            raise CountyError(f"{file}: line {i}: missing {', '.join(missing)}")
        if _cell(r, "grid") not in known:
            raise CountyError(f"{file}: line {i}: grid: {_cell(r, 'grid')!r} is not a known grid (import grids first)")
        kinds = data.split_list(r.get("kinds"))
        bad = [k for k in kinds if k not in FIVE_QUESTIONS]
        if bad:
            raise CountyError(f"{file}: line {i}: kinds: {bad[0]!r} is not one of {', '.join(FIVE_QUESTIONS)}")
        worker = _cell(r, "worker") or None
        if worker:
            _person(county, worker, f"{file}: line {i}: worker")
        moved_in = data.parse_date(_cell(r, "moved_in"), f"{file}: line {i}: moved_in")
        given = _created_at(county, r, f"{file}: line {i}", now)
        old = county.store.query("select worker, created_at, linked_at from shequ365_households where id = ?",
                                 [_cell(r, "id")])
        if old:
            created = given or old[0]["created_at"]
            linked = old[0]["linked_at"] if worker == old[0]["worker"] else now.isoformat() if worker else None
        else:
            created = given or now.isoformat()
            linked = created if worker else None
        rows.append({"id": _cell(r, "id"), "grid": _cell(r, "grid"), "address": _cell(r, "address") or None,
                     "head": _cell(r, "head") or None, "phone": _cell(r, "phone") or None, "kinds": kinds,
                     "worker": worker, "moved_in": moved_in.isoformat() if moved_in else None,
                     "created_at": created, "linked_at": linked})
        if moved_in:
            tasks.append((rows[-1]["id"], moved_in))
    with county.store.transaction():
        for row in rows:
            county.store.upsert("shequ365_households", row, pk="id")
        for hid, day in tasks:
            add_visit_task(ctx, hid, "moved_in", day, "导入：新迁入")
    emit({"imported": len(rows), "visit_tasks": len(tasks)}, as_json,
         lambda d: click.echo(f"{len(rows)} households imported, {len(tasks)} mandatory visit task(s)"))


def add_visit_task(ctx, hid: str, reason: str, day: dt.date, note: str | None) -> int | None:
    """Raise a 五访 task for household ``hid`` triggered on local date ``day``, due
    ``mandatory_visit_days`` calendar days later; none if the same one already exists."""
    h = data.household(ctx.db, hid)
    if ctx.db.query("select 1 from shequ365_visit_tasks where household = ? and reason = ? and triggered_on = ?",
                    [hid, reason, day.isoformat()]):
        return None
    g = data.grid(ctx.db, h["grid"])
    due = day + dt.timedelta(days=int(ctx.settings["mandatory_visit_days"]))
    return ctx.db.insert("shequ365_visit_tasks", {
        "household": hid, "grid": h["grid"], "community": g["community"], "reason": reason,
        "triggered_on": day.isoformat(), "due_on": due.isoformat(), "visited_on": None, "visit_id": None,
        "note": note})


@households.command("link")
@click.option("--worker", required=True, help="The social worker's person id.")
@click.argument("household_ids", nargs=-1, required=True)
@county_command()
def households_link(county, as_json, worker, household_ids):
    """Link households to a social worker (联户, L377: each worker links 25+ households). A
    household newly linked to this worker counts for the worker's monthly visits from --now's
    month on; one already linked to the worker keeps its date."""
    ctx = _ctx(county)
    _person(county, worker, "--worker")
    for hid in household_ids:
        if data.household(county.store, hid) is None:
            raise CountyError(f"household {hid!r}: unknown (see `county shequ365 households list`)")
    for hid in household_ids:
        _not_before_household(data.household(county.store, hid), county.now(), "linked")
    now = county.now().isoformat()
    with county.store.transaction():
        for hid in household_ids:
            if data.household(county.store, hid)["worker"] != worker:
                county.store.update("shequ365_households", hid, {"worker": worker, "linked_at": now})
    n = len(data.linked_households(county.store, [g["community"] for g in county.store.query(
        "select distinct community from shequ365_grids")], worker))
    minimum = int(ctx.settings["linked_households_min"])
    res = {"worker": worker, "linked": n, "minimum": minimum, "meets_standard": n >= minimum}
    emit(res, as_json, lambda d: click.echo(
        f"{worker}: {n} linked households ({'meets' if n >= minimum else 'below'} the {minimum}-household standard)"))


@households.command("event")
@click.argument("household_id")
@click.option("--reason", required=True, type=click.Choice(list(FIVE_VISITS)),
              help="moved_in, major_change, petitioner, unemployed, hospitalised")
@click.option("--date", "on_date", help="Local date it happened (default: --now's date).")
@click.option("--note")
@county_command()
def households_event(county, as_json, household_id, reason, on_date, note):
    """Record a household event that makes a visit mandatory (五访, L381)."""
    ctx = _ctx(county)
    if data.household(county.store, household_id) is None:
        raise NotFound(f"household {household_id!r}: unknown (see `county shequ365 households list`)")
    day = data.parse_date(on_date, "--date") or county.now().date()
    with county.store.transaction():
        tid = add_visit_task(ctx, household_id, reason, day, note)
    if tid is None:
        raise Refusal(f"household {household_id} already has a {reason} visit task from {day}")
    task = county.store.query("select * from shequ365_visit_tasks where id = ?", [tid])[0]
    emit(task, as_json, lambda t: click.echo(
        f"{FIVE_VISITS[reason]}: household {household_id}, due {t['due_on']}"))


@households.command("list")
@click.option("--grid")
@click.option("--worker")
@county_command()
def households_list(county, as_json, grid, worker):
    """Households (no personal data: id, grid, kinds, linked worker)."""
    _ctx(county)
    if grid:
        _unknown_grid(county, grid)
    if worker:
        _person(county, worker, "--worker")
    rows = []
    for h in county.store.query("select id, grid, kinds, worker, moved_in from shequ365_households order by id"):
        if (grid and h["grid"] != grid) or (worker and h["worker"] != worker):
            continue
        rows.append({**h, "kinds": json.loads(h["kinds"] or "[]")})
    emit(rows, as_json, lambda rs: [click.echo(
        f"{r['id']:<10} {r['grid']:<10} {r['worker'] or '-':<10} {','.join(r['kinds'])}") for r in rs])


# -- the three links ---------------------------------------------------------------------------------


@group.group("members")
def members():
    """The three links (三联, L377): social workers, party members, volunteers."""


@members.command("import")
@click.argument("file")
@county_command()
def members_import(county, as_json, file):
    """Load members from CSV/JSON: id, name, kind (social_worker | registered_party_member |
    employed_party_member | volunteer), community, line (管线, social workers), grid, block
    (墙门/楼道), roles (一代四员: block_representative;publicity;sanitation;safety;mediator),
    work_post and service_post (一员双岗), created_at (optional; default the import's --now; a
    re-import keeps the first one)."""
    _ctx(county)
    now = county.now()
    known = {g["code"] for g in county.store.query("select code from shequ365_grids")}
    rows = []
    for i, r in enumerate(read_table(file), start=2):
        missing = [k for k in ("id", "name", "kind", "community") if not _cell(r, k)]
        if missing:
            raise CountyError(f"{file}: line {i}: missing {', '.join(missing)}")
        kind = _cell(r, "kind")
        if kind not in MEMBER_KINDS:
            raise CountyError(f"{file}: line {i}: kind: {kind!r} is not one of {', '.join(MEMBER_KINDS)}")
        if _cell(r, "community") not in county.units:
            raise CountyError(f"{file}: line {i}: community: {_cell(r, 'community')!r} is not a known unit")
        if _cell(r, "grid") and _cell(r, "grid") not in known:
            raise CountyError(f"{file}: line {i}: grid: {_cell(r, 'grid')!r} is not a known grid")
        roles = data.split_list(r.get("roles"))
        bad = [x for x in roles if x not in FOUR_ROLES]
        if bad:
            raise CountyError(f"{file}: line {i}: roles: {bad[0]!r} is not one of {', '.join(FOUR_ROLES)}")
        if kind == "social_worker":
            _person(county, _cell(r, "id"), f"{file}: line {i}: id (a social worker handles cases)")
            if not _cell(r, "line"):
                raise CountyError(f"{file}: line {i}: line: a social worker needs a line of business (管线)")
        if kind == "registered_party_member" and roles and "block_representative" not in roles:
            raise CountyError(f"{file}: line {i}: roles: 一代四员 starts with block_representative (墙门代表)")
        if kind == "employed_party_member" and not _cell(r, "service_post"):
            raise CountyError(f"{file}: line {i}: service_post: an employed party member reports a 为民奉献岗 (一员双岗)")
        rows.append({"id": _cell(r, "id"), "name": _cell(r, "name"), "kind": kind, "community": _cell(r, "community"),
                     "line": _cell(r, "line") or None, "grid": _cell(r, "grid") or None,
                     "block": _cell(r, "block") or None, "roles": roles,
                     "work_post": _cell(r, "work_post") or None, "service_post": _cell(r, "service_post") or None,
                     "created_at": _created_at(county, r, f"{file}: line {i}", now)
                     or _kept_created(county, "shequ365_members", "id", _cell(r, "id")) or now.isoformat()})
    with county.store.transaction():
        for row in rows:
            county.store.upsert("shequ365_members", row, pk="id")
    emit({"imported": len(rows)}, as_json, lambda d: click.echo(f"{len(rows)} members imported"))


@group.command("links")
@click.option("--community")
@county_command()
def links(county, as_json, community):
    """The three links of a community with the standards of L377 checked: each social worker's
    line (管线), grid (包片, households vs 250) and linked households (联户, ≥ 25); party
    members and volunteers counted."""
    ctx = _ctx(county)
    if community:
        _unknown_community(county, community)
    s = ctx.settings
    comms = [community] if community else sorted({r["community"] for r in county.store.query(
        "select community from shequ365_grids union select community from shequ365_members")})
    out = []
    for c in comms:
        workers = {}
        for m in county.store.query("select * from shequ365_members where community = ? and kind = 'social_worker'", [c]):
            workers[m["id"]] = {"id": m["id"], "name": m["name"], "line": m["line"], "grids": [], "linked": 0}
        for g in data.grids_in(county.store, [c]):
            if g["worker"]:
                w = workers.setdefault(g["worker"], {"id": g["worker"], "name": county.people[g["worker"]].name,
                                                     "line": None, "grids": [], "linked": 0})
                n = county.store.query("select count(*) n from shequ365_households where grid = ?", [g["code"]])[0]["n"]
                w["grids"].append({"code": g["code"], "households": n})
        for h in data.linked_households(county.store, [c]):
            workers.setdefault(h["worker"], {"id": h["worker"], "name": county.people[h["worker"]].name,
                                             "line": None, "grids": [], "linked": 0})["linked"] += 1
        for w in workers.values():
            problems = []
            if not w["line"]:
                problems.append("no line of business (管线)")
            if not w["grids"]:
                problems.append("no grid (包片)")
            if w["linked"] < int(s["linked_households_min"]):
                problems.append(f"{w['linked']} linked households < {s['linked_households_min']} (联户)")
            w["problems"] = problems
        counts = {k: county.store.query("select count(*) n from shequ365_members where community = ? and kind = ?",
                                        [c, k])[0]["n"] for k in MEMBER_KINDS if k != "social_worker"}
        out.append({"community": c, "social_workers": list(workers.values()), **counts})

    def human(rows):
        for r in rows:
            click.echo(f"{r['community']}: {len(r['social_workers'])} social workers, "
                       f"{r['registered_party_member']} registered + {r['employed_party_member']} employed party members, "
                       f"{r['volunteer']} volunteers")
            for w in r["social_workers"]:
                grids_txt = ", ".join(f"{g['code']} {g['households']}户" for g in w["grids"]) or "-"
                click.echo(f"  {w['id']:<10} {w['name']:<6} 管线 {w['line'] or '-':<8} 包片 {grids_txt:<16} "
                           f"联户 {w['linked']}  {'; '.join(w['problems']) or 'ok'}")

    emit(out, as_json, human)


# -- visits and patrols -------------------------------------------------------------------------------


def _take_in(county, unit, title, channel, category, fields, at, household=None):
    """Take a case in from a visit or patrol; a visited household's head is the requester (so
    public boards mask the head's name, phone and address)."""
    from framework.models import Requester

    req = Requester(household.get("head"), household.get("phone"), None, household.get("address")) if household else None
    return county.add_case(METHOD, unit, title, channel=channel, category=category, fields=fields, created_at=at,
                           requester=req)


def _not_before_household(h: dict, now: dt.datetime, what: str) -> None:
    """Refusal (exit 1) when ``now`` is before the household was imported (``created_at``; rows
    from before it was kept have none and are not checked)."""
    if h.get("created_at") and now < dt.datetime.fromisoformat(h["created_at"]):
        raise Refusal(f"household {h['id']} was imported at {h['created_at']}; "
                      f"it cannot be {what} at {now.isoformat()} (check --now)")


@group.group("visit")
def visit():
    """Household visits (联户走访, 五访, 五问)."""


@visit.command("record")
@click.argument("household_id")
@click.option("--worker", required=True, help="The social worker who visited (person id).")
@click.option("--reason", type=click.Choice(list(FIVE_VISITS)), help="A mandatory visit's reason (五访).")
@click.option("--note")
@click.option("--issue", help="Take in a case found on this visit, with this title.")
@click.option("--category", help="The case's category (its handling form follows from it).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Case fields (form, committed_date, …).")
@county_command()
def visit_record(county, as_json, household_id, worker, reason, note, issue, category, sets):
    """Record a visit at --now. It fulfils every open mandatory visit task of the household
    triggered on or before that day; the five questions due for the household's kinds are
    recorded as asked (五问). ``--issue`` takes a case in from the visit: channel
    ``mandatory_visit`` with ``--reason``, ``five_questions`` with ``--set resident_kind=…``,
    else ``linked_visit``."""
    ctx = _ctx(county)
    _person(county, worker, "--worker")
    h = data.household(county.store, household_id)
    if h is None:
        raise NotFound(f"household {household_id!r}: unknown (see `county shequ365 households list`)")
    g = data.grid(county.store, h["grid"])
    now = county.now()
    _not_before_household(h, now, "visited")
    day = now.date().isoformat()
    questions = [FIVE_QUESTIONS[k][1] for k in h["kinds"]]
    case = None
    with county.store.transaction():
        vid = county.store.insert("shequ365_visits", {
            "household": household_id, "grid": h["grid"], "community": g["community"], "worker": worker,
            "visited_on": day, "visited_at": now.isoformat(), "reason": reason, "questions": questions,
            "note": note, "case_id": None})
        fulfilled = [t["id"] for t in county.store.query(
            "select id from shequ365_visit_tasks where household = ? and visited_on is null and triggered_on <= ?",
            [household_id, day])]
        for tid in fulfilled:
            county.store.update("shequ365_visit_tasks", tid, {"visited_on": day, "visit_id": vid})
        if issue:
            fields = {"household": household_id, "visit_id": str(vid), **parse_sets(sets)}
            if reason:
                fields.setdefault("visit_reason", reason)
            channel = ("mandatory_visit" if reason else "five_questions" if fields.get("resident_kind")
                       else "linked_visit")
            case = _take_in(county, g["community"], issue, channel, category, fields, now, household=h)
            county.store.update("shequ365_visits", vid, {"case_id": case.id})
    res = {"visit": vid, "household": household_id, "worker": worker, "visited_on": day,
           "questions": questions, "tasks_fulfilled": fulfilled, "case": case_json(case, events=False) if case else None}
    emit(res, as_json, lambda d: click.echo(
        f"visit {vid}: household {household_id} by {worker} on {day}"
        + (f"; {len(fulfilled)} mandatory visit(s) fulfilled" if fulfilled else "")
        + (f"; case {case.id} ({case.level}, handler {case.handler or '-'}, due {case.due_at.isoformat() if case.due_at else '-'})" if case else "")))


@group.group("patrol")
def patrol():
    """The two daily patrols (一日两巡, L381)."""


@patrol.command("record")
@click.argument("area")
@click.option("--shift", required=True, type=click.Choice(list(SHIFTS)), help="morning (早巡) or evening (晚巡)")
@click.option("--worker", required=True, help="Who patrolled (person id).")
@click.option("--note")
@click.option("--issue", help="Take in a case found on this patrol, with this title.")
@click.option("--category")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE")
@county_command()
def patrol_record(county, as_json, area, shift, worker, note, issue, category, sets):
    """Record a patrol at --now of AREA: a grid code (the grid's social worker, 包片区域必巡) or a
    community unit code (the community leader's main roads and crowded places)."""
    ctx = _ctx(county)
    _person(county, worker, "--worker")
    g = data.grid(county.store, area)
    if g is None and area not in county.units:
        raise NotFound(f"patrol area {area!r}: neither a grid nor a unit (see `county shequ365 grids list`)")
    community = g["community"] if g else area
    now = county.now()
    day = now.date().isoformat()
    case = None
    with county.store.transaction():
        pid = county.store.insert("shequ365_patrols", {
            "area": area, "community": community, "shift": shift, "worker": worker, "patrolled_on": day,
            "patrolled_at": now.isoformat(), "note": note, "case_id": None})
        if issue:
            fields = {"patrol_id": str(pid), **({"grid": area} if g else {}), **parse_sets(sets)}
            case = _take_in(county, community, issue, f"{shift}_patrol", category, fields, now)
            county.store.update("shequ365_patrols", pid, {"case_id": case.id})
    res = {"patrol": pid, "area": area, "shift": shift, "worker": worker, "patrolled_on": day,
           "case": case_json(case, events=False) if case else None}
    emit(res, as_json, lambda d: click.echo(
        f"patrol {pid}: {SHIFTS[shift]} {area} by {worker} on {day}" + (f"; case {case.id}" if case else "")))


# -- meetings ---------------------------------------------------------------------------------------


@group.group("meeting")
def meeting():
    """The analysis cadence and coordination (日碰头、周研判、月会商、季恳谈、动态听证, L381)."""


@meeting.command("record")
@click.option("--community", required=True)
@click.option("--kind", required=True, type=click.Choice(list(MEETINGS)),
              help="huddle, weekly, joint (两委联席会), forum, hearing (民主听证会), coordination, review, assembly")
@click.option("--title")
@click.option("--resolution", help="What was resolved (hearing, coordination).")
@click.option("--case", "case_ids", multiple=True, help="A case discussed (passed, for joint/hearing).")
@click.option("--item", "items", multiple=True, help="A non-case matter passed (joint meeting).")
@click.option("--note")
@county_command()
def meeting_record(county, as_json, community, kind, title, resolution, case_ids, items, note):
    """Record a meeting held at --now. Cases given get an event ``shequ365_<kind>``; items and
    cases passed by a joint meeting, and hearing resolutions, go on the community board."""
    _ctx(county)
    if community not in county.units:
        raise NotFound(f"--community {community!r}: unknown unit (see `county units list`)")
    if kind == "hearing" and not (resolution or "").strip():
        raise CountyError("--resolution: a democratic hearing (民主听证会) records its resolution")
    cases = []
    now = county.now()
    for cid in case_ids:
        c = county.get_case(cid)
        if c.method != METHOD:
            raise CountyError(f"--case {cid}: a {c.method} case, not {METHOD}")
        if c.created_at and now < c.created_at:
            raise Refusal(f"--case {cid}: case {cid} was taken in at {c.created_at.isoformat()}; "
                          f"a meeting at {now.isoformat()} cannot discuss it (check --now)")
        cases.append(c)
    zh = MEETINGS[kind][1]
    with county.store.transaction():
        mid = county.store.insert("shequ365_meetings", {
            "community": community, "kind": kind, "held_on": now.date().isoformat(), "held_at": now.isoformat(),
            "title": title or zh, "resolution": resolution, "note": note})
        passed = 1 if kind in ("joint", "hearing") else 0
        for c in cases:
            county.store.insert("shequ365_meeting_items", {"meeting_id": mid, "case_id": c.id, "title": c.title,
                                                           "passed": passed, "note": resolution})
            county.record_event(c.id, f"shequ365_{kind}", note=f"{zh}{'通过' if passed else ''}" +
                                (f"：{resolution}" if resolution else ""), data={"meeting": mid})
        for text in items:
            county.store.insert("shequ365_meeting_items", {"meeting_id": mid, "case_id": None, "title": text,
                                                           "passed": passed, "note": None})
    res = {"meeting": mid, "community": community, "kind": kind, "held_on": now.date().isoformat(),
           "cases": [c.id for c in cases], "items": list(items)}
    emit(res, as_json, lambda d: click.echo(f"meeting {mid}: {zh} at {community} on {d['held_on']}"))


# -- duties -------------------------------------------------------------------------------------------


@group.command("duties")
@click.option("--date", "on_date", help="YYYY-MM-DD: duties due that day and what is missed.")
@click.option("--month", help="YYYY-MM: each day's duties summarised, and what was missed at month end.")
@click.option("--unit")
@county_command()
def duties(county, as_json, on_date, month, unit):
    """Patrols, visits and meetings due (L377, L381): ``--date`` lists them with done/due and
    the missed list (linked households not visited in the month before — a month's visits are
    due by its last day —, mandatory visits overdue); ``--month`` gives per-day counts and the
    missed list once the month is over (so far, while it is not)."""
    from plugins.shequ365 import county_duties, missed

    ctx = _ctx(county)
    u = county.unit(unit) if unit else None
    if bool(on_date) == bool(month):
        raise CountyError("shequ365 duties: give exactly one of --date YYYY-MM-DD or --month YYYY-MM")
    if on_date:
        day = data.parse_date(on_date, "--date")
        ds = county_duties(ctx, u, day)
        res = {"date": day.isoformat(), "duties": ds, "missed": missed(ds, day)}

        def human(d):
            for x in ds:
                state = "done" if x.done else "MISS" if x in res["missed"] else "DUE "
                click.echo(f"{state}  {x.unit:<14} {x.kind:<16} {x.title}")
            click.echo(f"missed ({len(res['missed'])}):")
            for x in res["missed"]:
                click.echo(f"  {x.kind:<16} {x.subject or '':<10} {_missed_text(x)}")

        emit(res, as_json, human)
        return
    try:
        start, end = period_dates(month)
    except CountyError:
        raise CountyError(f"--month: {month!r} is not a month (YYYY-MM)") from None
    if len(month.strip()) != 7:
        raise CountyError(f"--month: {month!r} is not a month (YYYY-MM)")
    days, day = [], start
    while day < end:
        # the month's own duties: last month's missed visits are not duties of these days
        ds = [x for x in county_duties(ctx, u, day) if not (x.kind == "linked_visit" and x.due_on < start)]
        kinds: dict[str, list[int]] = {}
        for x in ds:
            k = kinds.setdefault(x.kind, [0, 0])
            k[0] += 1
            k[1] += int(x.done)
        days.append({"date": day.isoformat(), "due": len(ds), "done": sum(x.done for x in ds),
                     "by_kind": {k: {"due": v[0], "done": v[1]} for k, v in sorted(kinds.items())}})
        day += dt.timedelta(days=1)
    # missed: as on the day after the month (or today, while the month is not over), of this
    # month's visits and of mandatory visits due by its end
    today = county.now().date()
    ended = end <= today
    as_of = end if ended else max(start, today)
    gone = [x for x in missed(county_duties(ctx, u, as_of), as_of)
            if x.due_on < end and not (x.kind == "linked_visit" and x.due_on < start)]
    res = {"month": month, "days": days, "ended": ended, "missed": gone}

    def human_month(d):
        for r in days:
            click.echo(f"{r['date']}  {r['done']}/{r['due']} done  " +
                       ", ".join(f"{k} {v['done']}/{v['due']}" for k, v in r["by_kind"].items()))
        click.echo(f"missed {'at month end' if ended else f'so far ({as_of})'} ({len(res['missed'])}):")
        for x in res["missed"]:
            click.echo(f"  {x.kind:<16} {x.subject or '':<10} {_missed_text(x)}")

    emit(res, as_json, human_month)


def _missed_text(x) -> str:
    if x.kind == "linked_visit":
        return f"{x.subject} not visited in {x.due_on:%Y-%m} — {x.title}"
    return f"{x.title} (due {x.due_on})"


# -- appraisal ----------------------------------------------------------------------------------------


@group.command("assess")
@click.option("--community", required=True)
@click.option("--kind", required=True, type=click.Choice(list(ASSESS_KINDS)),
              help="quarterly (社区工作评议会) or annual (年底社区成员代表大会测评)")
@click.option("--period", required=True, help="2026Q4 for quarterly, 2026 for annual")
@click.option("--subject", help="A social worker's person id (default: the community itself).")
@click.option("--satisfied", type=click.IntRange(0), default=0, help="Representatives' 满意 votes.")
@click.option("--basically", type=click.IntRange(0), default=0, help="基本满意 votes.")
@click.option("--unsatisfied", type=click.IntRange(0), default=0, help="不满意 votes.")
@click.option("--score", type=float, help="A score, if the assembly gives one.")
@click.option("--note")
@county_command()
def assess(county, as_json, community, kind, period, subject, satisfied, basically, unsatisfied, score, note):
    """Record the quarterly review or the year-end assessment by member representatives of the
    community or of one social worker (L381). Shown by ``county appraise``."""
    _ctx(county)
    if community not in county.units:
        raise NotFound(f"--community {community!r}: unknown unit (see `county units list`)")
    p = period.strip()
    period_dates(p)
    if kind == "annual" and not (len(p) == 4 and p.isdigit()):
        raise CountyError(f"--period: the annual assessment takes a year (e.g. 2026), not {period!r}")
    if kind == "quarterly" and not (len(p) == 6 and p[4] in "Qq"):
        raise CountyError(f"--period: the quarterly review takes a quarter (e.g. 2026Q4), not {period!r}")
    p = p.upper()
    if subject:
        _person(county, subject, "--subject")
    if satisfied + basically + unsatisfied == 0 and score is None:
        raise CountyError("assess: give the representatives' votes (--satisfied/--basically/--unsatisfied) or --score")
    row = {"community": community, "kind": kind, "period": p, "subject_kind": "person" if subject else "unit",
           "subject": subject or community, "satisfied": satisfied, "basically": basically,
           "unsatisfied": unsatisfied, "score": score, "note": note, "held_on": county.now().date().isoformat()}
    with county.store.transaction():
        aid = county.store.insert("shequ365_assessments", row)
    votes = satisfied + basically + unsatisfied
    res = {"assessment": aid, **row, "rating": ((satisfied + basically) / votes) if votes else None}
    emit(res, as_json, lambda d: click.echo(
        f"{ASSESS_KINDS[kind]} {p}: {row['subject']}" +
        (f" {satisfied + basically}/{votes} satisfied" if votes else "") + (f", score {score:g}" if score is not None else "")))


@group.command("figures")
@click.option("--period", required=True, help="2026-11, 2026Q4 or 2026")
@click.option("--unit")
@county_command()
def figures(county, as_json, period, unit):
    """shequ365's own appraisal figures (visit coverage, patrols, cadence, ratings) for a
    period — the method's part of ``county appraise``."""
    from plugins.shequ365 import county_appraisal

    ctx = _ctx(county)
    ms = county_appraisal(ctx, county.unit(unit) if unit else None, period)
    for m in ms:
        m.method, m.period = METHOD, m.period or period

    def human(rows):
        for m in rows:
            if m.denominator is not None:
                val = "—" if m.value is None else f"{m.value:.2%}"
                click.echo(f"{m.subject:<12} {m.label or m.metric:<28} {val} ({m.numerator:g}/{m.denominator:g})")
            else:
                click.echo(f"{m.subject:<12} {m.label or m.metric:<28} {m.value:g}")

    emit(ms, as_json, human)
