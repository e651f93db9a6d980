"""The public-opinion database (民情库, L124) and the heart-link card (连心卡, L128).

一村一册、一户一页: each village has a book (``wugeyi_villages``: 村情) and one page per household
(``wugeyi_households``: 户情), kept up to date by the village's 1–2 public-opinion liaisons
(民情联络员, L124); every update is logged (``wugeyi_profile_log``). Villagers are sorted into
four segments (一般村民、致富能手、贫困户、信访户, L124). Every household gets a card printed
with the township party secretary, the township head, the convenience-centre staff and the
village two-committee members (name, post, contact), the 96096 hotline and the local centre's
hotline (L128).

Service functions take ``ctx`` (the method's ``MethodContext``); commands, the demo and tests
call them alike.
"""

from __future__ import annotations

import json

from framework import CountyError, mask_phone, read_table

from .rules import (
    CARD_ROLES, CARD_SERVICES, HOUSEHOLD_FIELDS, LIAISONS_MAX, LIAISONS_MIN, NAME, SEGMENTS, VILLAGE_FIELDS,
    choice, mask_name,
)


def _village(ctx, code: str, what: str = "--unit"):
    """The unit ``code``, which must be a village; ``NotFound`` / ``CountyError`` naming ``what``."""
    unit = ctx.unit(code)
    if unit.level != "village":
        raise CountyError(f"{what} {code}: {unit.name} is a {unit.level}; the opinion database keeps one book "
                          f"per administrative village (一村一册, L124)")
    return unit


def _log(ctx, unit: str, household: str | None, fields: list[str]) -> None:
    ctx.db.insert("wugeyi_profile_log", {"unit": unit, "household": household, "fields": json.dumps(fields),
                                         "at": ctx.now.isoformat(), "ts": ctx.now.timestamp(), "actor": ctx.actor})


def set_village(ctx, unit: str, values: dict) -> dict:
    """Write the village page (村情档案, L124) of village ``unit``: ``values`` maps keys of
    ``VILLAGE_FIELDS`` (basic, committee, economy, party_building, stability) to text; keys left
    out keep their text. Logs the update. Returns the page. ``CountyError`` for another unit
    level, an unknown key or nothing to write."""
    _village(ctx, unit)
    bad = [k for k in values if k not in VILLAGE_FIELDS]
    if bad:
        raise CountyError(f"village page: unknown field {bad[0]!r} (fields: {', '.join(VILLAGE_FIELDS)})")
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        raise CountyError("village page: give at least one of --" + ", --".join(
            k.replace("_", "-") for k in VILLAGE_FIELDS))
    row = {**(village_page(ctx, unit) or {}), **given, "unit": unit, "updated_at": ctx.now.isoformat(),
           "updated_ts": ctx.now.timestamp(), "updated_by": ctx.actor}
    with ctx.transaction():
        ctx.db.upsert("wugeyi_villages", row, pk="unit")
        _log(ctx, unit, None, sorted(given))
    return village_page(ctx, unit)


def village_page(ctx, unit: str) -> dict | None:
    """The village page of ``unit`` (a dict of the row), or None when not written yet."""
    rows = ctx.db.query("select * from wugeyi_villages where unit = ?", [unit])
    return rows[0] if rows else None


def household(ctx, hid: str) -> dict | None:
    """The household page ``hid`` (a dict of the row), or None."""
    rows = ctx.db.query("select * from wugeyi_households where id = ?", [str(hid)])
    return rows[0] if rows else None


def set_household(ctx, hid: str, values: dict, where: str = "household") -> dict:
    """Create or update the household page ``hid`` (户情档案, 一户一页, L124). ``values``:
    ``unit`` (its village; required for a new page), ``head`` (户主; required for a new page),
    ``phone``, ``address``, ``members`` (a whole number ≥ 0), ``segment`` (ordinary,
    wealth_expert, poor, petitioner or its Chinese label; default ordinary for a new page) and
    the six fields of ``HOUSEHOLD_FIELDS``; None values keep the old text. Logs the update.
    Returns the page. ``CountyError`` naming ``where`` and the field at fault."""
    hid = str(hid or "").strip()
    if not hid:
        raise CountyError(f"{where}: a household id is required")
    allowed = {"unit", "head", "phone", "address", "members", "segment", *HOUSEHOLD_FIELDS}
    bad = [k for k in values if k not in allowed]
    if bad:
        raise CountyError(f"{where}: unknown field {bad[0]!r} (fields: {', '.join(sorted(allowed))})")
    given = {k: v for k, v in values.items() if v is not None and v != ""}
    old = household(ctx, hid)
    if old is None:
        for key in ("unit", "head"):
            if not given.get(key):
                raise CountyError(f"{where} {hid}: a new household page needs --{key}")
        given.setdefault("segment", "ordinary")
    if "unit" in given:
        _village(ctx, given["unit"], f"{where} {hid} unit")
    if "segment" in given:
        given["segment"] = choice(str(given["segment"]), SEGMENTS, f"{where} {hid} segment")
    if "members" in given:
        try:
            given["members"] = int(given["members"])
        except (TypeError, ValueError):
            raise CountyError(f"{where} {hid} members={given['members']!r}: a whole number") from None
        if given["members"] < 0:
            raise CountyError(f"{where} {hid} members={given['members']}: not negative")
    if not given:
        raise CountyError(f"{where} {hid}: nothing to write")
    row = {**(old or {"created_ts": ctx.now.timestamp()}), **given, "id": hid, "updated_at": ctx.now.isoformat(),
           "updated_ts": ctx.now.timestamp(), "updated_by": ctx.actor}
    with ctx.transaction():
        ctx.db.upsert("wugeyi_households", row, pk="id")
        _log(ctx, row["unit"], hid, sorted(k for k in given if k != "unit") or ["unit"])
    return household(ctx, hid)


def import_households(ctx, path: str) -> int:
    """Load household pages from a CSV/XLSX/JSON file (columns ``id``, ``unit``, ``head`` and
    any of the other fields of :func:`set_household`), all or none. Returns the count.
    ``CountyError`` naming ``FILE:LINE`` and the field of the first bad row."""
    rows = read_table(path)
    with ctx.transaction():
        for i, row in enumerate(rows, start=2):
            values = {k: (str(v).strip() if v is not None else None) for k, v in row.items() if k != "id"}
            set_household(ctx, row.get("id"), values, where=f"{path}:{i}")
    return len(rows)


def households(ctx, unit: str | None = None, segment: str | None = None) -> list[dict]:
    """The household pages within ``unit``'s subtree (all when None), optionally of one
    ``segment`` (code or label), by village then id."""
    codes = set(ctx.subtree(ctx.unit(unit).code)) if unit else None
    sql, params = "select * from wugeyi_households", []
    if segment:
        sql, params = sql + " where segment = ?", [choice(segment, SEGMENTS, "--segment")]
    rows = ctx.db.query(sql + " order by unit, id", params)
    return [r for r in rows if codes is None or r["unit"] in codes]


def book(ctx, unit: str) -> dict:
    """The village's book (一村一册、一户一页, L124): ``{"unit", "name", "village": page or None,
    "households": [pages], "segments": {segment: count}, "liaisons": [person ids]}``."""
    v = _village(ctx, unit)
    pages = households(ctx, unit)
    counts = {s: sum(1 for p in pages if p["segment"] == s) for s in SEGMENTS}
    return {"unit": unit, "name": v.name, "village": village_page(ctx, unit), "households": pages,
            "segments": counts, "liaisons": [p.id for p in ctx.people.find(unit=unit, role="opinion_liaison")]}


def liaison_check(ctx, unit: str | None = None) -> list[dict]:
    """Each village of ``unit``'s subtree (every village when None) where the method takes part,
    against 每个行政村设民情联络员1—2名 (L124): ``{"unit", "name", "liaisons": count, "finding":
    "ok" | "none" | "too_many"}``, by code."""
    codes = ctx.subtree(unit) if unit else list(ctx.units)
    out = []
    for code in sorted(codes):
        u = ctx.units[code]
        if u.level != "village" or not ctx.takes_part(code):
            continue
        n = len(ctx.people.find(unit=code, role="opinion_liaison"))
        finding = "none" if n < LIAISONS_MIN else "too_many" if n > LIAISONS_MAX else "ok"
        out.append({"unit": code, "name": u.name, "liaisons": n, "finding": finding})
    return out


def talk(ctx, talk_id) -> dict | None:
    """The monthly talk ``talk_id`` (a ``wugeyi_talks`` row), or None."""
    try:
        rows = ctx.db.query("select * from wugeyi_talks where id = ?", [int(talk_id)])
    except (TypeError, ValueError):
        return None
    return rows[0] if rows else None


def set_centre_hotline(ctx, unit: str, hotline: str) -> dict:
    """Record township ``unit``'s convenience-centre hotline (当地便民服务中心的服务热线,
    L128), printed on its villages' cards. ``CountyError`` for another level or an empty
    number."""
    u = ctx.unit(unit)
    if u.level != "township":
        raise CountyError(f"--unit {unit}: {u.name} is a {u.level}; the convenience centre is the township's (L122)")
    if not str(hotline or "").strip():
        raise CountyError("--hotline: a phone number")
    with ctx.transaction():
        ctx.db.upsert("wugeyi_centres", {"unit": unit, "hotline": str(hotline).strip(),
                                         "updated_at": ctx.now.isoformat()}, pk="unit")
    return {"unit": unit, "hotline": str(hotline).strip()}


def card(ctx, hid: str, public: bool = False) -> dict:
    """The heart-link card of household ``hid`` (连心卡, L128): ``{"household", "village",
    "township", "head", "contacts": [{"post", "name", "phone"}], "hotline", "centre_hotline",
    "services", "issued_on"}``. The contacts are the township's people holding
    ``township_party_secretary``, ``township_head``, ``centre_staff`` and the village's
    ``two_committee_member``, in that order. ``public=True`` masks the household head and every
    phone number (conventions §3). ``CountyError`` for an unknown household."""
    hh = household(ctx, hid)
    if hh is None:
        raise CountyError(f"household {hid}: no such household page (see `county {NAME} household list`)")
    village = ctx.units[hh["unit"]]
    town = ctx.ancestor(village.code, "township")
    contacts = []
    for role, post, level in CARD_ROLES:
        where = town.code if level == "township" and town else village.code
        for p in sorted(ctx.people.find(unit=where, role=role), key=lambda p: p.id):
            contacts.append({"post": post, "name": p.name, "phone": mask_phone(p.phone) if public else p.phone})
    centre = ctx.db.query("select hotline from wugeyi_centres where unit = ?", [town.code]) if town else []
    issued = ctx.db.query("select issued_at from wugeyi_cards where household = ?", [hh["id"]])
    centre_line = centre[0]["hotline"] if centre else None
    return {"household": hh["id"], "village": village.name, "township": town.name if town else None,
            "head": mask_name(hh["head"]) if public else hh["head"], "contacts": contacts,
            "hotline": ctx.settings["hotline"],
            "centre_hotline": (mask_phone(centre_line) if public else centre_line),
            "services": CARD_SERVICES, "issued_on": issued[0]["issued_at"][:10] if issued else None}


def issue_cards(ctx, unit: str | None = None, hid: str | None = None) -> list[str]:
    """Issue the heart-link card (发放一张“连心卡”, L128) to household ``hid``, or to every
    household of village ``unit`` that has none yet, at ``ctx.now``. Returns the household ids
    issued (a card already issued is not issued again). ``CountyError`` without either."""
    if hid:
        hh = household(ctx, hid)
        if hh is None:
            raise CountyError(f"--household {hid}: no such household page")
        pages = [hh]
    elif unit:
        _village(ctx, unit)
        pages = households(ctx, unit)
    else:
        raise CountyError("give --household or --unit (a village)")
    done = {r["household"] for r in ctx.db.query("select household from wugeyi_cards")}
    out = []
    with ctx.transaction():
        for p in pages:
            if p["id"] in done:
                continue
            ctx.db.insert("wugeyi_cards", {"household": p["id"], "unit": p["unit"], "issued_at": ctx.now.isoformat(),
                                           "issued_ts": ctx.now.timestamp(), "issued_by": ctx.actor})
            out.append(p["id"])
    return out
