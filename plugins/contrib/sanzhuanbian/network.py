"""The contact network (直接联系群众全覆盖, casebook L110): households, who is responsible for
each, the departments' paired villages, the visits, and the network's gaps. Every function
takes the method's ``ctx``; instants are ``ctx.now`` (aware, deployment-local)."""

from __future__ import annotations

import json

from framework import CountyError, NotFound, Refusal

from .rules import FLAGS, INTAKE_LEVELS, NAME

KINDS = {"contact": "干部联系农户", "mutual_aid": "城乡互帮互助"}


def home_unit(ctx, code):
    """The village or community (``INTAKE_LEVELS``) at or above unit ``code``, or None."""
    for c in ctx.ancestors(code):
        if ctx.units[c].level in INTAKE_LEVELS:
            return c
    return None


def household(ctx, hid):
    """The household row ``hid`` (dict: id, unit, label, flags as a list). ``NotFound`` naming
    ``--household`` when it is not in the network."""
    rows = ctx.db.query("select * from sanzhuanbian_households where id = ?", [hid])
    if not rows:
        raise NotFound(f"--household {hid}: no such household in the {NAME} contact network "
                       f"(add it with `county {NAME} household add`)")
    row = rows[0]
    row["flags"] = json.loads(row["flags"] or "[]")
    return row


def add_household(ctx, hid, unit, label=None, flags=()):
    """Add household ``hid`` of village/community ``unit`` (农户 in a village, 居民 in a community,
    L110), or update its label and flags (``needy``, ``petitioner``, ``key_person``: 困难户、上访户、
    重点人员, L110); an update keeps the instant it was first added. Returns the row. ``CountyError`` for a unit of another level, a household of
    another unit, an unknown flag; ``NotFound`` for an unknown unit."""
    u = ctx.unit(unit)
    if u.level not in INTAKE_LEVELS:
        raise CountyError(f"--unit {unit}: a household belongs to a village or a community, not to {u.name} "
                          f"({u.level}) (L110 村民、居民)")
    bad = [f for f in flags if f not in FLAGS]
    if bad:
        raise CountyError(f"--flag {bad[0]}: use one of {', '.join(f'{k} {v}' for k, v in FLAGS.items())}")
    old = ctx.db.query("select unit from sanzhuanbian_households where id = ?", [hid])
    if old and old[0]["unit"] != unit:
        raise CountyError(f"--household {hid}: already a household of {old[0]['unit']}, not {unit}")
    row = {"id": hid, "unit": unit, "label": label, "flags": sorted(set(flags))}
    if not old:  # an update keeps the day the household joined the network
        row.update({"added_at": ctx.now, "added_ts": ctx.now.timestamp()})
    with ctx.transaction():
        ctx.db.upsert("sanzhuanbian_households", row, pk="id")
    return household(ctx, hid)


def open_links(ctx, *, cadre=None, household_id=None, at=None):
    """The links open at ``at`` (aware; default ``ctx.now``), optionally of one cadre or one
    household: list of dicts (cadre, cadre_unit, household, unit, kind, linked_at…)."""
    ts = (at or ctx.now).timestamp()
    where, params = ["linked_ts <= ?", "(unlinked_ts is null or unlinked_ts > ?)"], [ts, ts]
    if cadre:
        where.append("cadre = ?")
        params.append(cadre)
    if household_id:
        where.append("household = ?")
        params.append(household_id)
    return ctx.db.query("select * from sanzhuanbian_links where " + " and ".join(where) + " order by id", params)


def responsible_of(ctx, hid):
    """The person id responsible for household ``hid`` now, or None."""
    rows = open_links(ctx, household_id=hid)
    return rows[0]["cadre"] if rows else None


def link(ctx, cadre, hid, kind="contact"):
    """Make ``cadre`` (a person id) responsible for household ``hid`` (L110). ``kind``:
    ``contact`` — 每名干部联系1-5户农户: a village household, at most ``households_max`` (5) open per
    cadre; ``mutual_aid`` — 机关党员干部各直接联系1户村民和1户居民: the cadre holds the role
    ``agency_party_cadre``, at most ``agency_rural`` (1) village and ``agency_urban`` (1) urban
    households. Returns the new link's id. ``Refusal`` (exit 1) when the household already has its
    one cadre (每户…1名党员干部联系负责) or the quota is full; ``CountyError`` for a bad kind, a
    person without a cadre role, a household of the wrong kind; ``NotFound`` for unknowns."""
    if kind not in KINDS:
        raise CountyError(f"--kind {kind}: use contact (干部联系农户) or mutual_aid (城乡互帮互助)")
    person = ctx.person(cadre)
    h = household(ctx, hid)
    level = ctx.units[h["unit"]].level
    holder = responsible_of(ctx, hid)
    if holder is not None:
        raise Refusal(f"household {hid} already has its one responsible cadre, {holder} "
                      f"(L110 每户群众都有1名党员干部联系负责); unlink it first")
    mine = open_links(ctx, cadre=cadre)
    if kind == "contact":
        if "contact_cadre" not in person.roles and "agency_party_cadre" not in person.roles:
            raise CountyError(f"--cadre {cadre}: {person.name} holds neither contact_cadre nor agency_party_cadre")
        if level != "village":
            raise CountyError(f"--household {hid}: a contact household is a village household (农户, L110); "
                              f"an urban one is linked with --kind mutual_aid")
        top = ctx.settings["households_max"]
        if sum(r["kind"] == "contact" for r in mine) >= top:
            raise Refusal(f"--cadre {cadre}: {person.name} already keeps contact with {top} households "
                          f"(L110 每名干部联系1-5户农户)")
    else:
        if "agency_party_cadre" not in person.roles:
            raise CountyError(f"--cadre {cadre}: {person.name} is not an agency party cadre (机关党员干部, L110)")
        key, word = ("agency_rural", "村民") if level == "village" else ("agency_urban", "居民")
        top = ctx.settings[key]
        if sum(r["kind"] == "mutual_aid" and ctx.units[r["unit"]].level == level for r in mine) >= top:
            raise Refusal(f"--cadre {cadre}: {person.name} already keeps direct contact with {top} {word} "
                          f"household(s) (L110 各直接联系1户村民和1户居民)")
    with ctx.transaction():
        return ctx.db.insert("sanzhuanbian_links", {"cadre": cadre, "cadre_unit": person.unit, "household": hid,
                                                    "unit": h["unit"], "kind": kind, "linked_at": ctx.now,
                                                    "linked_ts": ctx.now.timestamp()})


def unlink(ctx, hid):
    """End household ``hid``'s open link at ``ctx.now``. Returns the cadre it had. ``Refusal``
    when it has none."""
    rows = open_links(ctx, household_id=hid)
    if not rows:
        raise Refusal(f"household {hid} has no responsible cadre to unlink")
    with ctx.transaction():
        ctx.db.update("sanzhuanbian_links", rows[0]["id"], {"unlinked_at": ctx.now,
                                                            "unlinked_ts": ctx.now.timestamp()})
    return rows[0]["cadre"]


def pair(ctx, department, village):
    """Pair county department ``department`` with village ``village`` (县直单位对口帮扶1个行政村,
    L110). ``Refusal`` when the department already has its one village; ``CountyError`` for units
    of the wrong levels; ``NotFound`` for unknowns."""
    d, v = ctx.unit(department), ctx.unit(village)
    if d.level != "department":
        raise CountyError(f"--department {department}: {d.name} is a {d.level}, not a county department (县直单位)")
    if v.level != "village":
        raise CountyError(f"--village {village}: {v.name} is a {v.level}, not an administrative village (行政村)")
    old = ctx.db.query("select village from sanzhuanbian_pairs where department = ?", [department])
    if old:
        raise Refusal(f"--department {department}: {d.name} is already paired with {old[0]['village']} "
                      f"(L110 县直单位对口帮扶1个行政村)")
    with ctx.transaction():
        ctx.db.insert("sanzhuanbian_pairs", {"department": department, "village": village, "paired_at": ctx.now})


def paired_department(ctx, village):
    """The county department paired with ``village`` (the first by code), or None."""
    rows = ctx.db.query("select department from sanzhuanbian_pairs where village = ? order by department", [village])
    return rows[0]["department"] if rows else None


def record_visit(ctx, cadre, hid, note=None):
    """Record that ``cadre`` visited household ``hid`` at ``ctx.now`` (走访, L110). The household
    must be linked to that cadre. Returns the visit's id. ``Refusal`` otherwise; ``NotFound``
    for unknowns."""
    ctx.person(cadre)
    h = household(ctx, hid)
    if responsible_of(ctx, hid) != cadre:
        raise Refusal(f"household {hid} is not linked to {cadre} (L110 走访联系的困难户、上访户和重点人员)")
    local = ctx.calendar.local(ctx.now)
    with ctx.transaction():
        return ctx.db.insert("sanzhuanbian_visits", {"cadre": cadre, "cadre_unit": ctx.people[cadre].unit,
                                                     "household": hid, "unit": h["unit"],
                                                     "day": local.date().isoformat(), "note": note, "at": local,
                                                     "at_ts": local.timestamp()})


def gaps(ctx, unit=None):
    """The gaps of the network now within ``unit``'s subtree (a code; None: everywhere), one dict
    each (``kind``, ``subject``, ``note``): ``household_without_cadre`` (每户…1名党员干部联系负责),
    ``cadre_below_quota`` (a contact cadre with fewer than ``households_min`` contact households),
    ``agency_rural`` / ``agency_urban`` (an agency party cadre missing their village / urban
    household), ``department_unpaired`` (a department without its village). L110."""
    codes = set(ctx.subtree(unit) if unit else ctx.units)
    out = []
    linked = {r["household"] for r in open_links(ctx)}
    for h in ctx.db.query("select id, unit from sanzhuanbian_households order by id"):
        if h["unit"] in codes and h["id"] not in linked:
            out.append({"kind": "household_without_cadre", "subject": h["id"], "note": "户无联系负责的党员干部"})
    by_cadre = {}
    for r in open_links(ctx):
        by_cadre.setdefault(r["cadre"], []).append(r)
    for p in sorted(ctx.people.values(), key=lambda p: p.id):
        if p.unit not in codes:
            continue
        mine = by_cadre.get(p.id, [])
        if "contact_cadre" in p.roles:
            n = sum(r["kind"] == "contact" for r in mine)
            if n < ctx.settings["households_min"]:
                out.append({"kind": "cadre_below_quota", "subject": p.id,
                            "note": f"{p.name}联系{n}户（每名干部联系1-5户农户）"})
        if "agency_party_cadre" in p.roles:
            for key, level, word in (("agency_rural", "village", "村民"), ("agency_urban", "community", "居民")):
                n = sum(r["kind"] == "mutual_aid" and ctx.units[r["unit"]].level == level for r in mine)
                if n < ctx.settings[key]:
                    out.append({"kind": key, "subject": p.id, "note": f"{p.name}未直接联系{word}户"})
    paired = {r["department"] for r in ctx.db.query("select department from sanzhuanbian_pairs")}
    for code in sorted(codes):
        if ctx.units[code].level == "department" and code not in paired:
            out.append({"kind": "department_unpaired", "subject": code,
                        "note": f"{ctx.units[code].name}未对口帮扶行政村"})
    return out
