"""The contact network of 三送 (三联系, L137; 联系全覆盖 and 工作常态化, L142): households, each
agency unit's paired village, cadre ↔ household links, stationed work teams, the stationed
cadres' days in the village, and the quota check.

Dates are local calendar dates (``datetime.date``); a pairing is active on day D when
``since <= D`` and (``until`` is empty or ``D < until``). Errors: ``CountyError`` (exit 2) for
bad input naming the option, ``Refusal`` (exit 1) for a change the rules forbid now (a pairing
changed within its 5 years without a reason, a mandatory stationing ended before 1 year).
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt

from framework import CountyError, NotFound, Refusal, parse_date, parse_month

from .rules import (
    AREA_GROUPS_MAX, AREA_GROUPS_MIN, AREA_HOUSEHOLDS_MAX, AREA_HOUSEHOLDS_MIN, MANDATORY_KINDS,
    MANDATORY_STATION_YEARS, MODES, NAME, POINT_HOUSEHOLDS_MIN, POINT_VILLAGES_PER_UNIT, PRESENCE_DAYS_MIN,
    PRIORITY_GROUPS, STABLE_YEARS, STATION_KINDS, TEAM_MAX, TEAM_MIN, add_years,
)

VILLAGE_LEVELS = ("village", "community")
#: The role a cadre needs for each contact mode (L137).
MODE_ROLES = {"point": ("agency_cadre", "stationed_cadre"), "area": ("township_cadre",),
              "stationed": ("stationed_cadre",)}


def village_of(ctx, code: str):
    """The nearest unit at level village or community from ``code`` up (itself included), or None."""
    for c in ctx.ancestors(code):
        if ctx.units[c].level in VILLAGE_LEVELS:
            return ctx.units[c]
    return None


def _village(ctx, code: str, what: str):
    unit = ctx.unit(code)
    if unit.level not in VILLAGE_LEVELS:
        raise CountyError(f"{what} {code}: {unit.name} is a {unit.level}, not a village or community (L137)")
    return unit


def _person(ctx, pid: str, what: str):
    try:
        return ctx.person(pid)
    except NotFound:
        raise CountyError(f"{what} {pid}: no such person (see `county people list`)") from None


def active(row: dict, on: dt.date) -> bool:
    """Whether the pairing ``row`` (``since``/``until`` ISO dates) is active on ``on``."""
    return row["since"] <= on.isoformat() and (not row["until"] or on.isoformat() < row["until"])


def in_scope(ctx, unit_code: str | None, scope: str | None) -> bool:
    """Whether ``unit_code`` lies in ``scope``'s subtree (everything when ``scope`` is None)."""
    return scope is None or (unit_code is not None and unit_code in set(ctx.subtree(scope)))


# -- households (群众信息库, L140) ---------------------------------------------------------------
def household(ctx, hid: str) -> dict | None:
    """The household row ``hid`` of ``sansong_households``, or None."""
    rows = ctx.db.query("select * from sansong_households where id = ?", [hid])
    return rows[0] if rows else None


def add_household(ctx, hid: str, unit: str, head: str, grp: str | None = None, kind: str | None = None) -> str:
    """Register or update household ``hid`` in village/community ``unit``, in villager group
    ``grp`` (a unit below ``unit``; needed for 分片联系, which counts groups) with head ``head``
    and priority ``kind`` (L137: 老红军、红军失散人员、贫困户、信访户、产业大户). Returns
    ``"added"``, ``"changed"`` or ``"unchanged"``."""
    if not hid or not str(hid).strip():
        raise CountyError("household id: empty")
    village = _village(ctx, unit, "--village")
    if grp:
        g = ctx.unit(grp)
        if g.parent != village.code:
            raise CountyError(f"--group {grp}: {g.name} is not a villager group of {village.name}")
    if kind and kind not in PRIORITY_GROUPS:
        raise CountyError(f"--kind {kind!r}: use one of {', '.join(PRIORITY_GROUPS)} (L137)")
    row = {"id": hid, "unit": village.code, "grp": grp or None, "head": head, "kind": kind or None}
    before = household(ctx, hid)
    if before and all(before[k] == v for k, v in row.items()):
        return "unchanged"
    ctx.db.upsert("sansong_households", {**row, "created_at": (before or {}).get("created_at") or ctx.now}, pk="id")
    return "changed" if before else "added"


def households(ctx, scope: str | None = None) -> list[dict]:
    """The households of ``scope``'s subtree (all when None), by id."""
    rows = ctx.db.query("select * from sansong_households order by id")
    return [r for r in rows if in_scope(ctx, r["unit"], scope)]


# -- 挂点联系: each agency unit ↔ 1 village (L137), 5 years (L142) --------------------------------
def points(ctx, on: dt.date | None = None) -> list[dict]:
    """Every point pairing (active on ``on`` when given), by id."""
    rows = ctx.db.query("select * from sansong_points order by id")
    return [r for r in rows if on is None or active(r, on)]


def set_point(ctx, agency: str, village: str, since: dt.date, reason: str | None = None) -> str:
    """Pair agency unit ``agency`` with ``village`` from ``since``: a unit has exactly
    ``POINT_VILLAGES_PER_UNIT`` (1) village (L137), so a new village ends the old pairing that
    day — refused (``Refusal``) within its ``STABLE_YEARS`` (5) years unless ``reason`` says why
    (原则上5年不变, L142). Returns ``"added"``, ``"changed"`` or ``"unchanged"``."""
    ag = ctx.unit(agency)
    if ag.level in VILLAGE_LEVELS + ("group", "grid"):
        raise CountyError(f"--unit {agency}: {ag.name} is a {ag.level}; 挂点联系 pairs a city or county agency "
                          f"unit with a village (L137)")
    _village(ctx, village, "--village")
    current = [r for r in points(ctx) if r["agency"] == agency and not r["until"]]
    if current and current[0]["unit"] == village:
        return "unchanged"
    if current:
        old = current[0]
        stable_until = add_years(dt.date.fromisoformat(old["since"]), STABLE_YEARS)
        if since < stable_until and not reason:
            raise Refusal(f"{ag.name} has been paired with {ctx.units[old['unit']].name} since {old['since']}: "
                          f"a unit's contact village stays {STABLE_YEARS} years in principle (原则上5年不变, L142), "
                          f"until {stable_until}; give --reason to change it earlier")
        if since.isoformat() <= old["since"]:
            raise CountyError(f"--since {since}: not after the current pairing's start {old['since']}")
        ctx.db.update("sansong_points", old["id"], {"until": since.isoformat(), "reason": reason})
    ctx.db.insert("sansong_points", {"agency": agency, "unit": village, "since": since.isoformat(), "until": None,
                                     "reason": None, "at": ctx.now})
    return "changed" if current else "added"


# -- 干部联系户 (L137), stable 5 years (L142) -----------------------------------------------------
def links(ctx, on: dt.date | None = None, person: str | None = None) -> list[dict]:
    """Cadre ↔ household links (active on ``on`` when given; of ``person`` when given), by id."""
    rows = ctx.db.query("select * from sansong_links order by id")
    return [r for r in rows if (on is None or active(r, on)) and (person is None or r["person"] == person)]


def link(ctx, person: str, household_ids: list[str], mode: str, since: dt.date) -> dict:
    """Pair cadre ``person`` with each household of ``household_ids`` in contact ``mode``
    (``point`` 挂点 / ``area`` 分片 / ``stationed`` 驻村, L137) from ``since``. The cadre needs the
    mode's role (agency_cadre or stationed_cadre / township_cadre / stationed_cadre); an area
    household needs its villager group (分片 counts groups). Returns ``{"added": n,
    "unchanged": n}``; the quotas are reported by :func:`check`, not refused here (a cadre is
    paired household by household)."""
    if mode not in MODES:
        raise CountyError(f"--mode {mode!r}: use one of {', '.join(MODES)} (L137)")
    p = _person(ctx, person, "--cadre")
    if not set(MODE_ROLES[mode]) & set(p.roles):
        raise CountyError(f"--cadre {person}: {p.name} has none of the roles {', '.join(MODE_ROLES[mode])} "
                          f"that {mode} contact needs (L137)")
    rows = []
    for hid in household_ids:
        hh = household(ctx, hid)
        if hh is None:
            raise CountyError(f"household {hid}: not registered (see `county {NAME} household add`)")
        if mode == "area" and not hh["grp"]:
            raise CountyError(f"household {hid}: 分片联系 counts villager groups (L137); register its --group")
        rows.append(hh)
    out = {"added": 0, "unchanged": 0}
    mine = {r["household"] for r in links(ctx, person=person) if not r["until"]}
    for hh in rows:
        if hh["id"] in mine:
            out["unchanged"] += 1
            continue
        ctx.db.insert("sansong_links", {"person": person, "household": hh["id"], "unit": hh["unit"], "mode": mode,
                                        "since": since.isoformat(), "until": None, "reason": None, "at": ctx.now})
        mine.add(hh["id"])
        out["added"] += 1
    return out


def unlink(ctx, person: str, hid: str, on: dt.date, reason: str | None = None) -> dict:
    """End cadre ``person``'s link with household ``hid`` on ``on``. Within ``STABLE_YEARS`` (5)
    years of its start only with ``reason`` (干部联系户原则上5年不变, L142), else ``Refusal``.
    Returns the ended row. A cadre's stationing ending does not end its links (L142)."""
    rows = [r for r in links(ctx, person=person) if r["household"] == hid and not r["until"]]
    if not rows:
        raise Refusal(f"{person} has no open link with household {hid}")
    row = rows[0]
    stable_until = add_years(dt.date.fromisoformat(row["since"]), STABLE_YEARS)
    if on < stable_until and not reason:
        raise Refusal(f"{person} has contacted household {hid} since {row['since']}: the pairing stays "
                      f"{STABLE_YEARS} years in principle (原则上5年不变, L142), until {stable_until}; give --reason")
    if on.isoformat() <= row["since"]:
        raise CountyError(f"--on {on}: not after the link's start {row['since']}")
    ctx.db.update("sansong_links", row["id"], {"until": on.isoformat(), "reason": reason})
    return {**row, "until": on.isoformat(), "reason": reason}


# -- 驻村联系: 2–3 cadres per unit (L137), mandatory kinds 1 year+ (L142) -------------------------
def stations(ctx, on: dt.date | None = None) -> list[dict]:
    """Every stationing (active on ``on`` when given), by id."""
    rows = ctx.db.query("select * from sansong_stations order by id")
    return [r for r in rows if on is None or active(r, on)]


def station(ctx, person: str, agency: str, village: str, kind: str, since: dt.date) -> str:
    """Station cadre ``person`` of agency unit ``agency`` in ``village`` from ``since``;
    ``kind`` is new_staff / long_away / reserve (must stay 1 year+, L142) or other. One open
    stationing per cadre. Returns ``"added"`` or ``"unchanged"``."""
    p = _person(ctx, person, "--cadre")
    if "stationed_cadre" not in p.roles:
        raise CountyError(f"--cadre {person}: {p.name} lacks the role stationed_cadre (驻村干部, L137)")
    if kind not in STATION_KINDS:
        raise CountyError(f"--kind {kind!r}: use one of {', '.join(STATION_KINDS)} (L142)")
    ctx.unit(agency)
    _village(ctx, village, "--village")
    open_rows = [r for r in stations(ctx) if r["person"] == person and not r["until"]]
    if open_rows:
        if open_rows[0]["unit"] == village and open_rows[0]["agency"] == agency:
            return "unchanged"
        raise Refusal(f"{p.name} is stationed in {ctx.units[open_rows[0]['unit']].name} since "
                      f"{open_rows[0]['since']}: end that stationing first")
    ctx.db.insert("sansong_stations", {"person": person, "agency": agency, "unit": village, "kind": kind,
                                       "since": since.isoformat(), "until": None, "at": ctx.now})
    return "added"


def end_station(ctx, person: str, on: dt.date) -> dict:
    """End ``person``'s stationing on ``on``. A new staff member, a cadre long away from rural
    work or a reserve cadre must stay ``MANDATORY_STATION_YEARS`` (1) year or more (必须驻村1年
    以上, L142): earlier is a ``Refusal`` naming the first allowed day. The cadre's household links
    stay (挂职结束后，联系户保持稳定, L142). Returns the ended row."""
    rows = [r for r in stations(ctx) if r["person"] == person and not r["until"]]
    if not rows:
        raise Refusal(f"{person} is not stationed anywhere")
    row = rows[0]
    earliest = add_years(dt.date.fromisoformat(row["since"]), MANDATORY_STATION_YEARS)
    if row["kind"] in MANDATORY_KINDS and on < earliest:
        raise Refusal(f"{person} ({MANDATORY_KINDS[row['kind']]}) must stay stationed 1 year or more "
                      f"(必须驻村1年以上, L142): since {row['since']}, not before {earliest}")
    if on.isoformat() <= row["since"]:
        raise CountyError(f"--on {on}: not after the stationing's start {row['since']}")
    ctx.db.update("sansong_stations", row["id"], {"until": on.isoformat()})
    return {**row, "until": on.isoformat()}


def record_presence(ctx, person: str, month: str, days: int) -> dict:
    """Record that stationed cadre ``person`` lived, ate and worked in the village ``days`` days
    in ``month`` (``YYYY-MM``); ``PRESENCE_DAYS_MIN`` (20) or more meets the rule (同吃、同住、
    同劳动20天以上, L142). The cadre must be stationed on the month's last day. Returns the row
    with ``met``."""
    y, m = parse_month(month, "--month")
    month, last = f"{y:04d}-{m:02d}", dt.date(y, m, _cal.monthrange(y, m)[1])
    if not 0 <= days <= last.day:
        raise CountyError(f"--days {days}: between 0 and {last.day} for {month}")
    rows = [r for r in stations(ctx) if r["person"] == person and r["since"] <= last.isoformat()
            and (not r["until"] or r["until"] > f"{month}-01")]
    if not rows:
        raise Refusal(f"{person} was not stationed in {month}")
    row = {"person": person, "month": month, "unit": rows[-1]["unit"], "days": days, "at": ctx.now}
    ctx.db.upsert("sansong_presence", row, pk=("person", "month"))
    return {**row, "met": days >= PRESENCE_DAYS_MIN}


# -- the quota check (validated and reported) ----------------------------------------------------
def _finding(kind, subject, unit, detail, **numbers):
    return {"kind": kind, "subject": subject, "unit": unit, "detail": detail, **numbers}


def cadre_loads(ctx, on: dt.date) -> dict:
    """``{(person, mode): {"households": n, "groups": n, "units": set}}`` of the links active on ``on``."""
    hh = {r["id"]: r for r in households(ctx)}
    out: dict = {}
    for r in links(ctx, on=on):
        load = out.setdefault((r["person"], r["mode"]), {"households": 0, "groups": set(), "units": set()})
        load["households"] += 1
        load["units"].add(r["unit"])
        if hh.get(r["household"], {}).get("grp"):
            load["groups"].add(hh[r["household"]]["grp"])
    return out


def quota_ok(mode: str, load: dict) -> bool:
    """Whether a cadre's ``load`` in ``mode`` meets L137: point 10+ households; area 2–3 groups
    and 30–50 households; stationed links carry no household quota of their own."""
    if mode == "point":
        return load["households"] >= POINT_HOUSEHOLDS_MIN
    if mode == "area":
        return (AREA_GROUPS_MIN <= len(load["groups"]) <= AREA_GROUPS_MAX
                and AREA_HOUSEHOLDS_MIN <= load["households"] <= AREA_HOUSEHOLDS_MAX)
    return True


def teams(ctx, on: dt.date) -> dict:
    """``{(agency, village): [person, …]}`` of the stationings active on ``on``."""
    out: dict = {}
    for r in stations(ctx, on=on):
        out.setdefault((r["agency"], r["unit"]), []).append(r["person"])
    return out


def check(ctx, scope: str | None, on: dt.date) -> list[dict]:
    """Every gap on ``on`` in ``scope``'s subtree (everything when None), one dict each
    (``kind``, ``subject``, ``unit``, ``detail`` and the numbers): ``point_villages`` (a unit with
    other than 1 village, L137), ``point_households`` (a point cadre under 10 households, L137),
    ``area_groups`` / ``area_households`` (a township cadre outside 2–3 groups / 30–50
    households, L137), ``team_size`` (a unit's team in its village outside 2–3 cadres, L137),
    ``team_not_at_point`` (a team away from its unit's paired village, L137: 常驻挂点村),
    ``household_uncovered`` (群众一户不漏, L142), ``cadre_without_households`` (干部一人不落,
    L142: a cadre of role agency/township/stationed cadre in scope with no household)."""
    out = []
    by_agency: dict = {}
    for r in points(ctx, on=on):
        by_agency.setdefault(r["agency"], []).append(r["unit"])
    for agency, villages in sorted(by_agency.items()):
        if len(villages) != POINT_VILLAGES_PER_UNIT and any(in_scope(ctx, v, scope) for v in villages):
            out.append(_finding("point_villages", agency, villages[0], f"挂点{len(villages)}个村（应为1个村, L137）",
                                villages=len(villages)))
    for (person, mode), load in sorted(cadre_loads(ctx, on).items(), key=lambda kv: kv[0]):
        if not any(in_scope(ctx, u, scope) for u in load["units"]):
            continue
        unit = sorted(load["units"])[0]
        if mode == "point" and not quota_ok(mode, load):
            out.append(_finding("point_households", person, unit,
                                f"挂点联系{load['households']}户（应10户以上, L137）", households=load["households"]))
        if mode == "area":
            g = len(load["groups"])
            if not AREA_GROUPS_MIN <= g <= AREA_GROUPS_MAX:
                out.append(_finding("area_groups", person, unit, f"分片联系{g}个村民小组（应2—3个, L137）", groups=g))
            n = load["households"]
            if not AREA_HOUSEHOLDS_MIN <= n <= AREA_HOUSEHOLDS_MAX:
                out.append(_finding("area_households", person, unit, f"分片联系{n}户（应30—50户, L137）",
                                    households=n))
    for (agency, village), people in sorted(teams(ctx, on).items()):
        if not in_scope(ctx, village, scope):
            continue
        if not TEAM_MIN <= len(people) <= TEAM_MAX:
            out.append(_finding("team_size", agency, village, f"驻村工作队{len(people)}人（应2—3名, L137）",
                                cadres=len(people)))
        if agency in by_agency and village not in by_agency[agency]:
            out.append(_finding("team_not_at_point", agency, village, "工作队不在本单位挂点村（常驻挂点村, L137）"))
    covered = {r["household"] for r in links(ctx, on=on)}
    for hh in households(ctx, scope):
        if hh["id"] not in covered and hh["created_at"][:10] <= on.isoformat():
            out.append(_finding("household_uncovered", hh["id"], hh["unit"], "无联系干部（群众一户不漏, L142）"))
    linked = {r["person"] for r in links(ctx, on=on)}
    cadre_roles = {"agency_cadre", "township_cadre", "stationed_cadre"}
    for p in sorted(ctx.people.values(), key=lambda p: p.id):
        if cadre_roles & set(p.roles) and p.id not in linked and in_scope(ctx, p.unit, scope) \
                and ctx.takes_part(p.unit):
            out.append(_finding("cadre_without_households", p.id, p.unit, "未联系群众（干部一人不落, L142）"))
    return out


def parse_on(ctx, text, what: str = "--on") -> dt.date:
    """``--on`` / ``--since`` as a date (default: ``ctx.now``'s local date); ``CountyError``
    naming ``what`` for a bad date."""
    return ctx.calendar.local(ctx.now).date() if text in (None, "") else parse_date(text, what)
