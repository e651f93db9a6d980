"""Responsibility zones (民情责任区) and who holds them: the “pyramid” (金字塔式联系群众, L298).

County and township zones are drawn by unit (机关、站所、学校、医院、企业、街道、小区、楼院), village
and group zones by administrative boundary (L298). Leaders hold zones by rank (领导分级包干,
L298): a county-level leader one township zone and one county-department zone; a county
department head one county-level zone and one village zone; a township leadership member one
township zone and one village zone; a township station or school head one group zone, plus area
contact for 3–5 group zones. Goal: 村村都有责任区、区区都有责任人 (L298).
"""

from __future__ import annotations

from framework import CountyError, NotFound, Refusal

from .rules import (
    AREA_CONTACT_MAX,
    AREA_CONTACT_MIN,
    HOLDING,
    ROLES,
    ZONE_KINDS,
    village_levels,
)


def zone_of(ctx, kind: str, unit: str) -> dict | None:
    """The zone row of ``kind`` covering ``unit`` (the first by id), or None."""
    rows = ctx.db.query("select * from jieti_zones where kind = ? and unit = ? order by id", [kind, unit])
    return rows[0] if rows else None


def zone_levels(ctx, kind: str) -> tuple[str, ...] | None:
    """Unit levels a zone of ``kind`` may cover; None = drawn by unit at county level (any
    unit that is not a township, village or group)."""
    return {"group": ("group",), "village": village_levels(ctx), "township": ("township",),
            "county_department": ("department",)}.get(kind)


def add_zone(ctx, zone_id: str, kind: str, unit: str, leader: str, name: str | None = None,
             paired: str | None = None) -> dict:
    """Register (or update, by ``zone_id``) a zone of ``kind`` over ``unit`` held by ``leader``
    (a person id), with ``paired`` (a department) for a village zone (挂钩联系部门, L306).
    Returns the row. CountyError names the bad argument; Refusal when another zone of the kind
    already covers the unit (one zone, one leader: 区区都有责任人, L298)."""
    if kind not in ZONE_KINDS:
        raise CountyError(f"--kind {kind!r}: use one of {', '.join(ZONE_KINDS)}")
    if unit not in ctx.units:
        raise NotFound(f"--unit {unit!r}: no such unit")
    levels = zone_levels(ctx, kind)
    level = ctx.units[unit].level
    if levels is not None and level not in levels:
        raise CountyError(f"--unit {unit}: a {ZONE_KINDS[kind]} covers a unit of level {'/'.join(levels)}, "
                          f"not {level} (L298)")
    if levels is None and level in ("township", "group", *village_levels(ctx)):
        raise CountyError(f"--unit {unit}: a {ZONE_KINDS[kind]} is drawn by county-level unit, not a {level} (L298)")
    if ctx.people.get(leader) is None:
        raise NotFound(f"--leader {leader!r}: no such person")
    if paired is not None:
        if kind != "village":
            raise CountyError(f"--paired: only a village zone has a paired department (L306), not a {kind} zone")
        if paired not in ctx.units or ctx.units[paired].level != "department":
            raise CountyError(f"--paired {paired!r}: not a department (a unit of level department)")
    other = zone_of(ctx, kind, unit)
    if other is not None and other["id"] != zone_id:
        raise Refusal(f"{ctx.units[unit].name} already has {ZONE_KINDS[kind]} {other['id']} "
                      f"held by {ctx.people[other['leader']].name}")
    row = {"id": zone_id, "kind": kind, "unit": unit, "name": name or f"{ctx.units[unit].name}{ZONE_KINDS[kind]}",
           "leader": leader, "paired_unit": paired, "created_at": ctx.now.isoformat(),
           "created_ts": ctx.now.timestamp()}
    old = ctx.db.query("select created_at, created_ts from jieti_zones where id = ?", [zone_id])
    if old:
        row.update(old[0])
    ctx.db.upsert("jieti_zones", row, "id")
    return row


def add_contacts(ctx, person: str, zone_ids: list[str]) -> list[str]:
    """A station head's area contact (分片联系) for group zones ``zone_ids``; returns all the
    person's contact zones. CountyError for an unknown or non-group zone."""
    if ctx.people.get(person) is None:
        raise NotFound(f"{person!r}: no such person")
    for z in zone_ids:
        rows = ctx.db.query("select kind from jieti_zones where id = ?", [z])
        if not rows:
            raise NotFound(f"zone {z!r}: no such zone")
        if rows[0]["kind"] != "group":
            raise CountyError(f"zone {z}: area contact is for villager-group zones (L298), not {rows[0]['kind']}")
        ctx.db.upsert("jieti_area_contacts", {"person": person, "zone": z, "created_at": ctx.now.isoformat()},
                      ("person", "zone"))
    return [r["zone"] for r in ctx.db.query("select zone from jieti_area_contacts where person = ? order by zone",
                                            [person])]


def zones(ctx, unit: str | None = None) -> list[dict]:
    """Zones covering units in ``unit``'s subtree (all when None), by id."""
    rows = ctx.db.query("select * from jieti_zones order by id")
    if unit is None:
        return rows
    inside = set(ctx.subtree(unit))
    return [r for r in rows if r["unit"] in inside]


def check(ctx, unit: str | None = None) -> list[dict]:
    """Every gap in the pyramid under ``unit`` (the deployment when None), one dict each
    (``finding``, ``subject``, ``detail``):

    * ``no_zone`` — a group, village or township without its zone (村村都有责任区, L298);
    * ``holding`` — a person holding other zones than their role says (L298; several roles add up);
    * ``area_contact`` — a station head contacting fewer than 3 or more than 5 group zones (L298).
    Only units and people jieti takes part in are checked."""
    codes = ctx.subtree(unit) if unit else list(ctx.units)
    codes = [c for c in codes if ctx.takes_part(c)]
    findings = []
    kind_of_level = {"group": "group", "township": "township"}
    kind_of_level.update({lv: "village" for lv in village_levels(ctx)})
    for c in sorted(codes):
        kind = kind_of_level.get(ctx.units[c].level)
        if kind and zone_of(ctx, kind, c) is None:
            findings.append({"finding": "no_zone", "subject": c,
                             "detail": f"{ctx.units[c].name}没有{ZONE_KINDS[kind]}（村村都有责任区）"})
    held = {}
    for r in ctx.db.query("select leader, kind from jieti_zones"):
        held.setdefault(r["leader"], {}).setdefault(r["kind"], 0)
        held[r["leader"]][r["kind"]] += 1
    contacts = {}
    for r in ctx.db.query("select person, count(*) as n from jieti_area_contacts group by person"):
        contacts[r["person"]] = r["n"]
    inside = set(codes)
    for p in sorted(ctx.people.values(), key=lambda p: p.id):
        if p.unit not in inside:
            continue
        need = {}
        for role in p.roles:
            for kind, n in HOLDING.get(role, {}).items():
                need[kind] = need.get(kind, 0) + n
        if not need:
            continue
        has = held.get(p.id, {})
        wrong = [f"{ZONE_KINDS[k]} {has.get(k, 0)}/{need.get(k, 0)}" for k in sorted(set(need) | set(has))
                 if has.get(k, 0) != need.get(k, 0)]
        if wrong:
            roles = "、".join(ROLES[r] for r in p.roles if r in HOLDING)
            findings.append({"finding": "holding", "subject": p.id,
                             "detail": f"{p.name}（{roles}）负责：" + "；".join(wrong)})
        if "station_head" in p.roles and not AREA_CONTACT_MIN <= contacts.get(p.id, 0) <= AREA_CONTACT_MAX:
            findings.append({"finding": "area_contact", "subject": p.id,
                             "detail": f"{p.name}分片联系{contacts.get(p.id, 0)}个组级责任区（应为3—5个）"})
    return findings
