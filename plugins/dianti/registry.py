"""dianti's own data: the three centres (三个中心) of each village, as tables.

* ``dianti_groups`` — the service groups (服务小组) of a village's skilled-people service centre
  (能人服务中心, casebook L79): code, Chinese name, skill keywords, leader (a party member,
  能人党员担任组长 L79/L97) and registry order.
* ``dianti_members`` — the skilled-people register (能人档案, L79): one row per member with
  skills, group, party membership and the "three cultivations" track (三个培养, L79/L87).
  Every member is also a kernel person (``people``), so the kernel can make them the handler.
* ``dianti_centre_members`` — members of the coordination centre (服务协调中心, L81) and the
  supervision centre (服务监督中心, L83).
* ``dianti_rota`` — the coordination centre's window rota (村干部轮流坐班, L81): weekday → cadre.
* ``dianti_ratings`` — villagers' ratings of a service (群众评价, L83), score 1–5.
* ``dianti_reviews`` — postings of the board and held quarterly evaluations (for duties).
"""

from __future__ import annotations

import json

from framework import CountyError

#: The five standard groups of L79 (codes used as ``--category`` / ``group``).
STANDARD_GROUPS = {
    "technical": "技术服务小组",
    "legal": "法律咨询小组",
    "mediation": "纠纷调解小组",
    "patrol": "治安巡逻小组",
    "poverty": "扶贫帮困小组",
}

#: 三个培养 (L79, L87): track -> (Chinese, who may be on it: party member?)
CULTIVATIONS = {
    "activist": ("能人培养为入党积极分子", False),
    "capable": ("党员培养为致富能人", True),
    "reserve_cadre": ("能人党员培养为村级后备干部", True),
}
CULTIVATION_STATUSES = {"in_training": "培养中", "achieved": "已培养成"}
CENTRES = {
    "skilled": "能人服务中心",
    "coordination": "服务协调中心",
    "supervision": "服务监督中心",
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def add_migrations(migrations) -> None:
    """Register dianti's tables on the ``migrations`` set (sqlite_utils Migrations)."""

    @migrations()
    def m001_dianti_tables(db):
        db["dianti_groups"].create(
            {"id": str, "unit": str, "code": str, "name": str, "skills": str, "leader": str, "seq": int},
            pk="id")
        db["dianti_groups"].create_index(["unit", "seq"])
        db["dianti_members"].create(
            {"person": str, "unit": str, "group_code": str, "skills": str, "party_member": int,
             "cultivation": str, "cultivation_status": str, "active": int, "seq": int, "note": str},
            pk="person")
        db["dianti_members"].create_index(["unit", "group_code", "seq"])
        db["dianti_centre_members"].create(
            {"id": str, "unit": str, "centre": str, "person": str, "role": str, "seq": int}, pk="id")
        db["dianti_rota"].create({"id": str, "unit": str, "weekday": int, "person": str}, pk="id")
        db["dianti_ratings"].create(
            {"id": int, "case_id": str, "score": int, "rater": str, "rated_at": str, "note": str}, pk="id")
        db["dianti_ratings"].create_index(["case_id"])
        db["dianti_reviews"].create(
            {"id": str, "unit": str, "kind": str, "period": str, "at": str, "actor": str, "note": str}, pk="id")


# -- reading ------------------------------------------------------------------------------


def village_of(county, unit_code: str) -> str:
    """The village (村) a unit belongs to: its nearest ``village`` or ``community`` ancestor
    (itself included); the unit itself when there is none."""
    for level in ("village", "community"):
        cur = county.units.get(unit_code)
        while cur is not None:
            if cur.level == level:
                return cur.code
            cur = county.units.get(cur.parent) if cur.parent else None
    return unit_code


def groups(db, unit: str | None = None) -> list[dict]:
    """Service groups, in registry order (unit, seq). ``skills`` decoded to a list."""
    sql = "select * from dianti_groups" + (" where unit = ?" if unit else "") + " order by unit, seq"
    rows = db.query(sql, [unit] if unit else [])
    for r in rows:
        r["skills"] = json.loads(r["skills"] or "[]")
    return rows


def group(db, unit: str, code: str) -> dict | None:
    return next((g for g in groups(db, unit) if g["code"] == code), None)


def members(db, unit: str | None = None, group_code: str | None = None, *, active_only: bool = False) -> list[dict]:
    """Register rows in registry order (seq), ``skills`` decoded, joined with the person's name."""
    where, params = [], []
    if unit:
        where.append("m.unit = ?")
        params.append(unit)
    if group_code:
        where.append("m.group_code = ?")
        params.append(group_code)
    if active_only:
        where.append("m.active = 1")
    sql = ("select m.*, p.name as name from dianti_members m left join people p on p.id = m.person"
           + (" where " + " and ".join(where) if where else "") + " order by m.seq")
    rows = db.query(sql, params)
    for r in rows:
        r["skills"] = json.loads(r["skills"] or "[]")
    return rows


def member(db, person: str) -> dict | None:
    rows = [m for m in members(db) if m["person"] == person]
    return rows[0] if rows else None


def centre_members(db, unit: str, centre: str | None = None) -> list[dict]:
    sql = ("select c.*, p.name as name from dianti_centre_members c left join people p on p.id = c.person "
           "where c.unit = ?" + (" and c.centre = ?" if centre else "") + " order by c.centre, c.seq")
    return db.query(sql, [unit, centre] if centre else [unit])


def rota(db, unit: str) -> list[dict]:
    return db.query("select r.*, p.name as name from dianti_rota r left join people p on p.id = r.person "
                    "where r.unit = ? order by r.weekday", [unit])


def on_duty(db, unit: str, weekday: int) -> str | None:
    """The cadre on window duty (坐班) at ``unit`` on ``weekday`` (0 = Monday), or None."""
    row = db.db.execute("select person from dianti_rota where unit = ? and weekday = ?", [unit, weekday]).fetchone()
    return row[0] if row else None


# -- parsing helpers ------------------------------------------------------------------------


def split_list(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(x).strip() for x in value if str(x).strip()]
    text = str(value or "")
    for sep in ("；", "，", "、", ";"):
        text = text.replace(sep, ",")
    return [x.strip() for x in text.split(",") if x.strip()]


def parse_bool(value, what: str) -> bool:
    s = str(value if value is not None else "").strip().lower()
    if s in ("1", "true", "yes", "y", "是", "党员"):
        return True
    if s in ("0", "false", "no", "n", "否", "", "群众"):
        return False
    raise CountyError(f"{what}: {value!r} is not yes/no")


def parse_weekday(value: str) -> int:
    s = str(value).strip().lower()
    if s[:3] in WEEKDAYS:
        return WEEKDAYS.index(s[:3])
    if s in WEEKDAYS_ZH:
        return WEEKDAYS_ZH.index(s)
    if s.isdigit() and 1 <= int(s) <= 7:
        return int(s) - 1
    raise CountyError(f"--weekday: {value!r} (use mon..sun, 周一..周日 or 1..7)")


# -- writing (through the county's store, inside a transaction) --------------------------------


def _village(county, unit: str, what: str) -> str:
    """``unit`` if it is a village (村) or community (社区): the centres are the village's (L77)."""
    u = county.unit(unit)
    if u.level not in ("village", "community"):
        raise CountyError(f"{what}: unit {unit!r} is a {u.level}; the service centres belong to a village or community")
    return unit


def _next_seq(db, table: str, where: str = "", params=()) -> int:
    row = db.db.execute(f"select max(seq) from {table}" + (f" where {where}" if where else ""), list(params)).fetchone()
    return (row[0] or 0) + 1


def save_group(county, unit: str, code: str, name: str | None = None, skills=None, leader: str | None = None,
               *, where: str = "group", name_from: str = "--name") -> dict:
    """Create or update a service group of ``unit``'s skilled-people service centre. A standard
    code (:data:`STANDARD_GROUPS`) gets its Chinese name by default; any other code needs
    ``name`` (a village-defined group, e.g. 畜牧技术服务小组, L97); ``name_from`` says where the
    operator gives it (``--name``, ``--group-name``, the import's ``group_name`` column). ``leader`` must be a party
    member of the register in the same unit (能人党员担任组长, L79). Returns the row."""
    db = county.store
    code = (code or "").strip()
    if not code:
        raise CountyError(f"{where}: a group needs a code (e.g. technical, livestock)")
    _village(county, unit, where)
    old = group(db, unit, code)
    name = (name or "").strip() or (old["name"] if old else STANDARD_GROUPS.get(code))
    if not name:
        raise CountyError(f"{where}: group {code!r} is not one of the standard groups "
                          f"({', '.join(STANDARD_GROUPS)}); give its Chinese name ({name_from})")
    row = {"id": f"{unit}:{code}", "unit": unit, "code": code, "name": name,
           "skills": split_list(skills) if skills is not None else (old["skills"] if old else []),
           "leader": old["leader"] if old else None,
           "seq": old["seq"] if old else _next_seq(db, "dianti_groups", "unit = ?", [unit])}
    if leader:
        m = member(db, leader)
        if m is None or m["unit"] != unit:
            raise CountyError(f"{where}: leader {leader!r} is not in the skilled-people register of {unit}")
        if not m["party_member"]:
            raise CountyError(f"{where}: leader {leader!r} is not a party member; each group is led by a "
                              f"capable party member (能人党员担任组长, L79)")
        row["leader"] = leader
    db.upsert("dianti_groups", row, pk="id")
    return row


def save_member(county, row: dict, *, where: str = "member", group_name_from: str = "--group-name") -> dict:
    """Create or update one register entry (能人档案). ``row`` keys: id, name, unit, group,
    skills, party_member, cultivation, cultivation_status, phone, active, leader, group_name.
    Validates the three-cultivations rule (L79): track ``activist`` is for capable people who
    are not party members; ``capable`` and ``reserve_cadre`` are for party members. Also
    upserts the kernel person (roles gain ``skilled_member``, ``party_member``). A new
    non-standard group needs ``group_name``; ``group_name_from`` names where it is given in
    errors (the option ``--group-name``, or the import's column). Returns the row."""
    db = county.store
    pid = str(row.get("id") or "").strip()
    if not pid:
        raise CountyError(f"{where}: missing id")
    old = member(db, pid)
    unit = str(row.get("unit") or (old["unit"] if old else "")).strip()
    if not unit:
        raise CountyError(f"{where}: missing unit")
    if unit not in county.units:
        raise CountyError(f"{where}: unit {unit!r} is not a known unit")
    _village(county, unit, where)
    person = county.people.get(pid)
    name = str(row.get("name") or (person.name if person else "")).strip()
    if not name:
        raise CountyError(f"{where}: missing name")
    gcode = str(row.get("group") or (old["group_code"] if old else "")).strip()
    if not gcode:
        raise CountyError(f"{where}: missing group (the service group the member is placed in, L79)")
    if group(db, unit, gcode) is None:
        save_group(county, unit, gcode, row.get("group_name"), where=where, name_from=group_name_from)
    party = (parse_bool(row["party_member"], f"{where}: party_member") if row.get("party_member") not in (None, "")
             else bool(old["party_member"]) if old else False)
    track = str(row.get("cultivation") if row.get("cultivation") is not None else (old["cultivation"] if old else "") or "").strip()
    status = str(row.get("cultivation_status") or (old["cultivation_status"] if old else "") or "").strip()
    if track:
        if track not in CULTIVATIONS:
            raise CountyError(f"{where}: cultivation {track!r} (use {', '.join(CULTIVATIONS)} or empty)")
        needs_party = CULTIVATIONS[track][1]
        if needs_party != party:
            raise CountyError(f"{where}: cultivation {track} ({CULTIVATIONS[track][0]}) is for "
                              f"{'party members' if needs_party else 'capable people who are not party members'} (三个培养, L79)")
        status = status or "in_training"
        if status not in CULTIVATION_STATUSES:
            raise CountyError(f"{where}: cultivation_status {status!r} (use {', '.join(CULTIVATION_STATUSES)})")
    else:
        status = ""
    led = [g for g in groups(db) if g["leader"] == pid]
    for g in led:
        if not party:
            raise CountyError(f"{where}: {pid} leads {g['name']} ({g['id']}); a leader must be a party member "
                              f"(L79) — give the group another leader first")
        moving = old is not None and (unit, gcode) != (old["unit"], old["group_code"])
        if moving and (g["unit"] != unit or g["code"] == old["group_code"]):
            raise CountyError(f"{where}: {pid} leads {g['name']} ({g['id']}); give the group another leader "
                              f"before moving the member")
    skills = split_list(row["skills"]) if row.get("skills") is not None else (old["skills"] if old else [])
    active = parse_bool(row["active"], f"{where}: active") if row.get("active") not in (None, "") else (bool(old["active"]) if old else True)
    new = {"person": pid, "unit": unit, "group_code": gcode, "skills": skills, "party_member": int(party),
           "cultivation": track, "cultivation_status": status, "active": int(active),
           "seq": old["seq"] if old else _next_seq(db, "dianti_members"), "note": row.get("note") or (old["note"] if old else None)}
    db.upsert("dianti_members", new, pk="person")
    roles = list(person.roles) if person else []
    for r in ["skilled_member"] + (["party_member"] if party else []):
        if r not in roles:
            roles.append(r)
    if not party and "party_member" in roles:
        roles.remove("party_member")
    phone = str(row.get("phone") or "").strip() or (person.phone if person else None)
    # through the kernel's own people import (it validates and reloads the people it holds)
    county.import_people([{"id": pid, "name": name, "unit": unit, "roles": roles,
                           "skills": skills, "phone": phone}], where)
    if row.get("leader") not in (None, "") and parse_bool(row["leader"], f"{where}: leader"):
        save_group(county, unit, gcode, leader=pid, where=where)
    return new


def save_centre_member(county, unit: str, centre: str, person: str, role: str = "member") -> dict:
    """Add ``person`` to the coordination (服务协调中心, L81) or supervision (服务监督中心, L83)
    centre of ``unit``. ``role``: leader or member."""
    if centre not in ("coordination", "supervision"):
        raise CountyError(f"--centre: {centre!r} (use coordination or supervision; the skilled-people "
                          f"centre is the register: `county dianti member add`)")
    if role not in ("leader", "member"):
        raise CountyError(f"--role: {role!r} (use leader or member)")
    _village(county, unit, "--unit")
    county.person(person)
    db = county.store
    rid = f"{unit}:{centre}:{person}"
    old = db.query("select seq from dianti_centre_members where id = ?", [rid])
    row = {"id": rid, "unit": unit, "centre": centre, "person": person, "role": role,
           "seq": old[0]["seq"] if old else _next_seq(db, "dianti_centre_members", "unit = ? and centre = ?", [unit, centre])}
    db.upsert("dianti_centre_members", row, pk="id")
    return row


def set_rota(county, unit: str, weekday: int, person: str) -> dict:
    """Put ``person`` on the coordination centre's window on ``weekday`` (0 = Monday) at ``unit``
    (村干部轮流坐班, L81). The person joins the coordination centre if not yet in it."""
    _village(county, unit, "--unit")
    county.person(person)
    db = county.store
    row = {"id": f"{unit}:{weekday}", "unit": unit, "weekday": weekday, "person": person}
    db.upsert("dianti_rota", row, pk="id")
    if not db.query("select 1 from dianti_centre_members where id = ?", [f"{unit}:coordination:{person}"]):
        save_centre_member(county, unit, "coordination", person)
    return row


def group_of(case) -> str | None:
    """The service group a case is credited to: the one the coordination centre routed it to
    (``extra.group``, set by triage or ``county dianti route``), else its category."""
    return case.extra.get("group") or case.category
