"""dianti's service layer: what ``county dianti …`` and the demo do, on a ``ctx``.

* the register and its groups (能人服务中心, L79): :func:`save_group`, :func:`save_member`,
  :func:`add_member`, :func:`update_member`, :func:`import_members`;
* the coordination and supervision centres (L81, L83): :func:`save_centre_member`,
  :func:`set_rota` (each refusing people the source does not put there), :func:`centres`,
  :func:`centre_check` (the centres against their stated make-up);
* the service steps on a case: :func:`route_case`, :func:`record_measure`,
  :func:`record_supervision`, :func:`record_rating`;
* the supervision centre's reviews: :func:`record_reviews`, :func:`record_awards`.

Every write to a case goes through ``ctx.actions`` (an appended event at ``ctx.now``); the
plugin's own rows through ``ctx.db``; several writes are one ``ctx.transaction()``. Errors:
CountyError (bad input, exit 2), Refusal (not allowed now, exit 1), NotFound.
"""

from __future__ import annotations

import datetime as dt
import json

from framework import DONE_STATUSES, Case, CountyError, Refusal
from plugins.dianti import tables
from plugins.dianti.rules import (
    CULTIVATION_STATUSES,
    CULTIVATIONS,
    STANDARD_GROUPS,
    WEEKDAYS_ZH,
    cadre_problem,
    parse_bool,
    require_village,
    split_list,
    supervision_capacity,
    supervision_problem,
    village_of,
    villages_in,
)
from plugins.dianti.stages import responsible, route

# -- the register and its groups (能人服务中心) --------------------------------------------------


def save_group(ctx, unit: str, code: str, name: str | None = None, skills=None, leader: str | None = None,
               *, where: str = "group", name_from: str = "--name") -> dict:
    """Create or update a service group of ``unit``'s skilled-people service centre. A standard
    code (:data:`~plugins.dianti.rules.STANDARD_GROUPS`) gets its Chinese name by default; any
    other code needs ``name`` (a village-defined group, e.g. 畜牧技术服务小组, L97); ``name_from``
    says where the operator gives it (``--name``, ``--group-name``, the import's ``group_name``
    column). ``skills``: a list or comma-separated text (None: keep). ``leader`` must be a party
    member of the register in the same unit (能人党员担任组长, L79). Returns the row
    (``id, unit, code, name, skills, leader, seq``)."""
    code = (code or "").strip()
    if not code:
        raise CountyError(f"{where}: a group needs a code (e.g. technical, livestock)")
    require_village(ctx, unit, where)
    old = tables.group(ctx, unit, code)
    name = (name or "").strip() or (old["name"] if old else STANDARD_GROUPS.get(code))
    if not name:
        raise CountyError(f"{where}: group {code!r} is not one of the standard groups "
                          f"({', '.join(STANDARD_GROUPS)}); give its Chinese name ({name_from})")
    row = {"id": f"{unit}:{code}", "unit": unit, "code": code, "name": name,
           "skills": split_list(skills) if skills is not None else (old["skills"] if old else []),
           "leader": old["leader"] if old else None,
           "seq": old["seq"] if old else tables.next_seq(ctx, "dianti_groups", "unit = ?", [unit])}
    if leader:
        m = tables.member(ctx, leader)
        if m is None or m["unit"] != unit:
            raise CountyError(f"{where}: leader {leader!r} is not in the skilled-people register of {unit}")
        if not m["party_member"]:
            raise CountyError(f"{where}: leader {leader!r} is not a party member; each group is led by a "
                              f"capable party member (能人党员担任组长, L79)")
        row["leader"] = leader
    ctx.db.upsert("dianti_groups", row, pk="id")
    return row


def _cultivation(row: dict, old: dict | None, party: bool, where: str) -> tuple[str, str]:
    """The three-cultivations track and status (L79) of a register entry, checked: ``activist``
    is for capable people who are not party members; ``capable`` and ``reserve_cadre`` for
    party members."""
    track = str(row.get("cultivation") if row.get("cultivation") is not None else (old["cultivation"] if old else "") or "").strip()
    status = str(row.get("cultivation_status") or (old["cultivation_status"] if old else "") or "").strip()
    if not track:
        return "", ""
    if track not in CULTIVATIONS:
        raise CountyError(f"{where}: cultivation {track!r} (use {', '.join(CULTIVATIONS)} or empty)")
    needs_party = CULTIVATIONS[track][1]
    if needs_party != party:
        raise CountyError(f"{where}: cultivation {track} ({CULTIVATIONS[track][0]}) is for "
                          f"{'party members' if needs_party else 'capable people who are not party members'} (三个培养, L79)")
    status = status or "in_training"
    if status not in CULTIVATION_STATUSES:
        raise CountyError(f"{where}: cultivation_status {status!r} (use {', '.join(CULTIVATION_STATUSES)})")
    return track, status


def save_member(ctx, row: dict, *, where: str = "member", group_name_from: str = "--group-name") -> dict:
    """Create or update one register entry (能人档案). ``row`` keys: id, name, unit, group,
    skills, party_member, cultivation, cultivation_status, phone, active, leader, group_name
    (text as in the import file; missing or empty: keep the old value). Validates the
    three-cultivations rule (L79). Also upserts the kernel person through
    ``ctx.actions.import_people`` (roles gain ``skilled_member``, ``party_member``; other roles
    kept). A new non-standard group needs ``group_name``; ``group_name_from`` names where it is
    given in errors (the option ``--group-name``, or the import's column). Returns the register
    row as stored (without ``name``)."""
    pid = str(row.get("id") or "").strip()
    if not pid:
        raise CountyError(f"{where}: missing id")
    old = tables.member(ctx, pid)
    unit = str(row.get("unit") or (old["unit"] if old else "")).strip()
    if not unit:
        raise CountyError(f"{where}: missing unit")
    if unit not in ctx.units:
        raise CountyError(f"{where}: unit {unit!r} is not a known unit")
    require_village(ctx, unit, where)
    person = ctx.people.get(pid)
    name = str(row.get("name") or (person.name if person else "")).strip()
    if not name:
        raise CountyError(f"{where}: missing name")
    gcode = str(row.get("group") or (old["group_code"] if old else "")).strip()
    if not gcode:
        raise CountyError(f"{where}: missing group (the service group the member is placed in, L79)")
    if tables.group(ctx, unit, gcode) is None:
        save_group(ctx, unit, gcode, row.get("group_name"), where=where, name_from=group_name_from)
    party = (parse_bool(row["party_member"], f"{where}: party_member") if row.get("party_member") not in (None, "")
             else bool(old["party_member"]) if old else False)
    track, status = _cultivation(row, old, party, where)
    for g in (g for g in tables.groups(ctx) if g["leader"] == pid):
        if not party:
            raise CountyError(f"{where}: {pid} leads {g['name']} ({g['id']}); a leader must be a party member "
                              f"(L79) — give the group another leader first")
        moving = old is not None and (unit, gcode) != (old["unit"], old["group_code"])
        if moving and (g["unit"] != unit or g["code"] == old["group_code"]):
            raise CountyError(f"{where}: {pid} leads {g['name']} ({g['id']}); give the group another leader "
                              f"before moving the member")
    skills = split_list(row["skills"]) if row.get("skills") is not None else (old["skills"] if old else [])
    active = (parse_bool(row["active"], f"{where}: active") if row.get("active") not in (None, "")
              else bool(old["active"]) if old else True)
    new = {"person": pid, "unit": unit, "group_code": gcode, "skills": skills, "party_member": int(party),
           "cultivation": track, "cultivation_status": status, "active": int(active),
           "seq": old["seq"] if old else tables.next_seq(ctx, "dianti_members"),
           "note": row.get("note") or (old["note"] if old else None)}
    ctx.db.upsert("dianti_members", new, pk="person")
    roles = list(person.roles) if person else []
    for r in ["skilled_member"] + (["party_member"] if party else []):
        if r not in roles:
            roles.append(r)
    if not party and "party_member" in roles:
        roles.remove("party_member")
    phone = str(row.get("phone") or "").strip() or (person.phone if person else None)
    # through the kernel's own people import (it validates and reloads the people it holds)
    ctx.actions.import_people([{"id": pid, "name": name, "unit": unit, "roles": roles,
                                "skills": skills, "phone": phone}], where)
    if row.get("leader") not in (None, "") and parse_bool(row["leader"], f"{where}: leader"):
        save_group(ctx, unit, gcode, leader=pid, where=where)
    return new


def add_member(ctx, row: dict) -> dict:
    """Add a new member (``row`` as :func:`save_member`; ``id``, ``name``, ``unit``, ``group``
    required) in one transaction. Refusal when ``id`` is already in the register. Returns the
    register row with ``name``."""
    pid = str(row.get("id") or "").strip()
    if tables.member(ctx, pid):
        raise Refusal(f"member {pid} is already in the register; use `county dianti member set {pid}`")
    for key in ("name", "unit", "group"):
        if not row.get(key):
            raise CountyError(f"--{key}: required to add a member")
    with ctx.transaction():
        save_member(ctx, row, where=f"member {pid}")
    return tables.member(ctx, pid)


def update_member(ctx, row: dict) -> dict:
    """Change a member's entry (``row`` as :func:`save_member`) in one transaction; CountyError
    when ``id`` is not in the register. Returns the register row with ``name``."""
    pid = str(row.get("id") or "").strip()
    if not tables.member(ctx, pid):
        raise CountyError(f"member {pid}: not in the register (see `county dianti member list`)")
    with ctx.transaction():
        save_member(ctx, row, where=f"member {pid}")
    return tables.member(ctx, pid)


def import_members(ctx, rows: list[dict], source: str) -> int:
    """Load register rows (dicts with the columns of :func:`save_member`; text stripped), all
    or none; errors name ``source`` and the line (first data row = line 2). Returns the count."""
    with ctx.transaction():
        for i, r in enumerate(rows, start=2):
            save_member(ctx, {k: (v.strip() if isinstance(v, str) else v) for k, v in r.items()},
                        where=f"{source}: line {i}", group_name_from="the group_name column")
    return len(rows)


# -- the coordination and supervision centres -------------------------------------------------------


def save_centre_member(ctx, unit: str, centre: str, person: str, role: str = "member") -> dict:
    """Add ``person`` (a person id) to the coordination (服务协调中心, L81) or supervision
    (服务监督中心, L83) centre of village ``unit``. ``role``: leader or member. The supervision
    centre takes only the village's supervisory board members (role ``supervisor``) and
    notables (role ``notable``): anyone else is a CountyError naming the person and the village.
    (That the board members are its main body is checked by :func:`centre_check`.) Returns the
    row (``id, unit, centre, person, role, seq``)."""
    if centre not in ("coordination", "supervision"):
        raise CountyError(f"--centre: {centre!r} (use coordination or supervision; the skilled-people "
                          f"centre is the register: `county dianti member add`)")
    if role not in ("leader", "member"):
        raise CountyError(f"--role: {role!r} (use leader or member)")
    require_village(ctx, unit, "--unit")
    p = ctx.person(person)
    if centre == "supervision" and supervision_capacity(ctx, unit, p) is None:
        raise CountyError(f"--person {person}: {p.name} cannot sit on the supervision centre of "
                          f"{ctx.units[unit].name} ({unit}): {supervision_problem(ctx, unit, p)}; the centre is "
                          f"made of the village's supervisory board members with some notables "
                          f"(以村监事会成员为主体，吸收部分知名人士参加, L83)")
    rid = f"{unit}:{centre}:{person}"
    old = tables.centre_member_row(ctx, rid)
    row = {"id": rid, "unit": unit, "centre": centre, "person": person, "role": role,
           "seq": old["seq"] if old else tables.next_seq(ctx, "dianti_centre_members", "unit = ? and centre = ?",
                                                         [unit, centre])}
    ctx.db.upsert("dianti_centre_members", row, pk="id")
    return row


def set_rota(ctx, unit: str, weekday: int, person: str) -> dict:
    """Put ``person`` on the coordination centre's window on ``weekday`` (0 = Monday) at
    village ``unit`` (村干部轮流坐班, L81). Only a cadre of that village may: the person's unit
    lies in the village and they hold a cadre role (:data:`~plugins.dianti.rules.CADRE_ROLES`);
    otherwise a CountyError naming the person, the village and what is wrong. The person joins
    the coordination centre if not yet in it. Returns the rota row (``id, unit, weekday,
    person``)."""
    require_village(ctx, unit, "--unit")
    p = ctx.person(person)
    why = cadre_problem(ctx, unit, p)
    if why:
        raise CountyError(f"--person {person}: {p.name} is not a cadre of {ctx.units[unit].name} ({unit}): {why}; "
                          f"the window rota takes only the village's own cadres (村干部轮流坐班, L81)")
    row = {"id": f"{unit}:{weekday}", "unit": unit, "weekday": weekday, "person": person}
    ctx.db.upsert("dianti_rota", row, pk="id")
    if tables.centre_member_row(ctx, f"{unit}:coordination:{person}") is None:
        save_centre_member(ctx, unit, "coordination", person)
    return row


def centres(ctx, unit: str) -> dict:
    """The three centres of ``unit``: ``skilled`` (groups with their ``members``' person ids),
    ``coordination`` and ``supervision`` (centre members with names), ``rota`` (with
    ``weekday_zh``). NotFound for an unknown unit."""
    ctx.unit(unit)
    return {"unit": unit,
            "skilled": [{**g, "members": [m["person"] for m in tables.members(ctx, unit, g["code"])]}
                        for g in tables.groups(ctx, unit)],
            "coordination": tables.centre_members(ctx, unit, "coordination"),
            "rota": [{**r, "weekday_zh": WEEKDAYS_ZH[r["weekday"]]} for r in tables.rota(ctx, unit)],
            "supervision": tables.centre_members(ctx, unit, "supervision")}


def centre_check(ctx, unit: str | None = None) -> list[dict]:
    """Each village of ``unit``'s subtree (all villages when None) that runs 点题服务 (it has
    service groups, centre members or a rota; ``unit`` itself when it is a village) checked
    against the centres' stated make-up:

    * the supervision centre (服务监督中心, L83: 以村监事会成员为主体，吸收部分知名人士参加) exists;
      each member is a supervisory board member of the village (role ``supervisor``) or a
      notable (role ``notable``); the board members are its main body: more than half of it;
    * the coordination centre's window rota (村干部轮流坐班, L81) exists and each person on it
      is a cadre of the village (:func:`~plugins.dianti.rules.cadre_problem`).

    ``centre add`` and ``rota`` refuse ineligible people; this check finds what changed since
    (a role taken away, a person moved) and what a centre still lacks. Returns one dict per
    village, by code: ``unit``, ``name``, ``supervision`` (members with ``capacity``: board /
    notable / None), ``board``, ``notables`` (counts), ``rota`` (rows with ``weekday_zh`` and
    ``eligible``), ``ok`` and ``findings`` (``[{"code", "message"}]``; codes
    ``no_supervision_centre``, ``supervision_member_ineligible``, ``board_not_main_body``,
    ``no_rota``, ``rota_not_cadre``; messages in Chinese). NotFound for an unknown unit."""
    if unit:
        ctx.unit(unit)
    out = []
    for v in villages_in(ctx, unit):
        sup, rota = tables.centre_members(ctx, v, "supervision"), tables.rota(ctx, v)
        if not (sup or rota or tables.groups(ctx, v) or tables.centre_members(ctx, v) or v == unit):
            continue
        findings = []
        for m in sup:
            p = ctx.people.get(m["person"])
            m["capacity"] = supervision_capacity(ctx, v, p) if p is not None else None
            if m["capacity"] is None:
                findings.append({"code": "supervision_member_ineligible",
                                 "message": f"服务监督中心成员{m['name'] or m['person']}（{m['person']}）"
                                            f"既不是本村村监事会成员，也不是知名人士"})
        board = sum(m["capacity"] == "board" for m in sup)
        notables = sum(m["capacity"] == "notable" for m in sup)
        if not sup:
            findings.insert(0, {"code": "no_supervision_centre",
                                "message": "未建立服务监督中心（应以村监事会成员为主体，吸收部分知名人士参加）"})
        elif 2 * board <= len(sup):
            findings.append({"code": "board_not_main_body",
                             "message": f"服务监督中心{len(sup)}人中村监事会成员{board}人，未过半数"
                                        f"（应以村监事会成员为主体）"})
        for r in rota:
            p = ctx.people.get(r["person"])
            r["weekday_zh"] = WEEKDAYS_ZH[r["weekday"]]
            r["eligible"] = p is not None and cadre_problem(ctx, v, p) is None
            if not r["eligible"]:
                findings.append({"code": "rota_not_cadre",
                                 "message": f"{r['weekday_zh']}坐班的{r['name'] or r['person']}（{r['person']}）"
                                            f"不是本村村干部"})
        if not rota:
            findings.append({"code": "no_rota", "message": "服务需求登记窗口未排村干部轮流坐班"})
        out.append({"unit": v, "name": ctx.units[v].name, "supervision": sup, "board": board, "notables": notables,
                    "rota": rota, "ok": not findings, "findings": findings})
    return out


def groups_with_counts(ctx, unit: str | None) -> list[dict]:
    """Groups (as :func:`~plugins.dianti.tables.groups`) each with ``members``: its count of
    active members."""
    rows = tables.groups(ctx, unit)
    for r in rows:
        r["members"] = len(tables.members(ctx, r["unit"], r["code"], active_only=True))
    return rows


# -- the service steps on a case ---------------------------------------------------------------------


def dianti_case(ctx, case_id: str) -> Case:
    """The case ``case_id`` (with events); NotFound when unknown, CountyError when it is not a
    dianti case."""
    c = ctx.cases.get(case_id)
    if c.method != "dianti":
        raise CountyError(f"case {case_id} is a {c.method} case, not a dianti (点题服务) case")
    return c


def require_taken_in(ctx, case: Case, what: str) -> None:
    """Refusal (exit 1) when ``ctx.now`` is before the case was taken in: nothing is done
    to a request before it existed. ``what``: the action, for the message (e.g. "route")."""
    now = ctx.now
    if case.created_at and now < case.created_at:
        raise Refusal(f"case {case.id} was taken in at {case.created_at.isoformat()}; "
                      f"cannot {what} it at {now.isoformat()} (check --now)")


def route_case(ctx, case_id: str, group_code: str, requirement: str | None = None) -> dict:
    """The coordination centre (re)routes an open request to ``group_code`` of its village (L81):
    a ``routed`` event updating ``extra`` (group, group_name, group_leader, routed_by=operator,
    requirement), then the responsible member by the assignment rule
    (:func:`~plugins.dianti.stages.responsible`) assigned. When the new group has nobody
    responsible, the previous 服务责任人 is cleared (an ``assigned`` event, handler none) and an
    ``assigned`` request goes back to ``registered``. One transaction. Refusal for a closed
    request or one not yet taken in at ``ctx.now``. Returns ``{"id", "group", "group_name",
    "handler" (person id or None), "why" (the assignment note)}``."""
    c = dianti_case(ctx, case_id)
    if not c.is_open:
        raise Refusal(f"case {case_id} is {c.status}; only an open request can be routed")
    require_taken_in(ctx, c, "route")
    village = village_of(ctx, c.unit)
    with ctx.transaction():
        g, _, _ = route(ctx, village, group=group_code, skill=c.extra.get("skill"), text="", option="--group")
        person, why = responsible(ctx, village, g["code"], c.extra.get("skill"))
        extra = {"group": g["code"], "group_name": g["name"], "group_leader": g["leader"], "routed_by": "operator"}
        if requirement:
            extra["requirement"] = requirement
        status = None
        if person is None and c.handler:
            # the old group's member does not stay in charge: the kernel's assign with the
            # case's own unit and no handler clears the handler
            c = ctx.actions.assign(case_id, unit=c.unit, note=why)
        if person is None and c.status == "assigned":
            status = "registered"  # nobody assigned: it waits at the coordination centre
        ctx.actions.record_event(case_id, "routed", note=f"服务协调中心：交{g['name']}" + ("" if person else f"；{why}"),
                                 data={"group": g["code"]}, extra=extra, status=status)
        if person is not None:
            ctx.actions.assign(case_id, handler=person, note=why)
    c = ctx.cases.get(case_id, events=False)
    return {"id": c.id, "group": g["code"], "group_name": g["name"], "handler": c.handler, "why": why}


def record_measure(ctx, case_id: str, note: str) -> Case:
    """Record a service measure (服务措施) on an open request: a ``measure`` event (shown on the
    board); a ``registered`` or ``assigned`` request goes ``in_progress``. Refusal for a closed
    request or one not yet taken in. Returns the case afterwards."""
    c = dianti_case(ctx, case_id)
    if not c.is_open:
        raise Refusal(f"case {case_id} is {c.status}; measures are recorded on open requests")
    require_taken_in(ctx, c, "record a measure on")
    return ctx.actions.record_event(case_id, "measure", note=note,
                                    status="in_progress" if c.status in ("registered", "assigned") else None)


def record_supervision(ctx, case_id: str, note: str, person: str | None = None) -> Case:
    """The supervision centre's check of how a service is carried out, fed back to the
    coordination centre (L83): a ``supervised`` event (data ``supervisor``: ``person``, a person
    id, when given; NotFound when unknown). Returns the case afterwards."""
    require_taken_in(ctx, dianti_case(ctx, case_id), "supervise")
    if person:
        ctx.person(person)
    return ctx.actions.record_event(case_id, "supervised", note=note, data={"supervisor": person} if person else {})


def record_rating(ctx, case_id: str, score: int, rater: str | None = None, note: str | None = None) -> dict:
    """Record one villager's rating (群众评价, L83) of a resolved service: a whole score 1–5,
    stored in ``dianti_ratings`` with a ``rated`` event on the case, in one transaction, at
    ``ctx.now``, which must be at or after the resolution time. ``rater`` is kept private.
    Returns {"ratings": count so far, "mean": float mean so far}.
    Raises CountyError for a bad score, Refusal for a service not yet resolved (or rated at a
    time before it was resolved)."""
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise CountyError(f"--score {score}: use a whole score from 1 to 5")
    c = dianti_case(ctx, case_id)
    if c.status not in DONE_STATUSES:
        raise Refusal(f"case {case_id} is {c.status}; only a resolved service can be rated")
    now = ctx.now
    require_taken_in(ctx, c, "rate")
    if c.resolved_at and now < c.resolved_at:
        raise Refusal(f"case {case_id} was resolved at {c.resolved_at.isoformat()}; only a resolved service "
                      f"can be rated, so not at {now.isoformat()} (check --now)")
    with ctx.transaction():
        ctx.db.insert("dianti_ratings", {"case_id": case_id, "score": score, "rater": rater,
                                         "rated_at": now.isoformat(), "note": note})
        ctx.actions.record_event(case_id, "rated", note=f"群众评价 {score} 分", data={"score": score})
    return tables.rating_summary(ctx, case_id)


# -- the supervision centre's reviews ------------------------------------------------------------------


def record_reviews(ctx, unit: str | None, kind: str, period: str) -> list[str]:
    """Record that review ``kind`` (``evaluation`` or ``board``) was held for ``period`` in each
    village of ``unit``'s subtree (all villages when None), at ``ctx.now`` by ``ctx.actor``, in
    one transaction (for ``county duties``). Returns the village codes."""
    villages = villages_in(ctx, unit)
    with ctx.transaction():
        for v in villages:
            ctx.db.upsert("dianti_reviews", {"id": tables.review_id(v, kind, period), "unit": v, "kind": kind,
                                             "period": period, "at": ctx.now.isoformat(), "actor": ctx.actor}, pk="id")
    return villages


def record_awards(ctx, year: int, rows: list[dict]) -> list[str]:
    """Record the yearly awards (L83) of ``year`` as decided, for each village of ``rows`` (the
    award rows of :func:`plugins.dianti.appraisal.awards`): a ``dianti_reviews`` row of kind
    ``awards`` per village, at ``ctx.now`` by ``ctx.actor``, keeping the winners (``note``:
    JSON ``[{award, subject, name, score}]``, score a float, subject None when vacant), in one
    transaction; recording again replaces it. This is what marks the year-end ``awards`` duty
    done. The awards are chosen at the year-end assemblies, so a record before 1 December of
    ``year`` (local) is a Refusal. Returns the village codes."""
    today = ctx.calendar.local(ctx.now).date()
    if today < dt.date(year, 12, 1):
        raise Refusal(f"--record: the {year} awards are chosen at the year-end assemblies (党员大会、村民代表大会); "
                      f"they cannot be recorded before {year}-12-01 (now {ctx.now.isoformat()})")
    by_village: dict[str, list[dict]] = {}
    for a in rows:
        by_village.setdefault(a["village"], []).append(
            {"award": a["award"], "subject": a["subject"], "name": a["name"],
             "score": float(a["score"]) if a["score"] is not None else None})
    with ctx.transaction():
        for v, winners in by_village.items():
            ctx.db.upsert("dianti_reviews", {"id": tables.review_id(v, "awards", str(year)), "unit": v, "kind": "awards",
                                             "period": str(year), "at": ctx.now.isoformat(), "actor": ctx.actor,
                                             "note": json.dumps(winners, ensure_ascii=False)}, pk="id")
    return list(by_village)
