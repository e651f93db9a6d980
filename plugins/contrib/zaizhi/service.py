"""zaizhi's records, shared by the commands, the county-file tables and the demo: the member
register (L389), service posts and their claims (L397), the activity log (the quarterly
calendar, visits, volunteer service, post service, forums, zone visits — L389, L393, L397),
commendations (L393) and 一居一特 brands (L397). Every function takes ``ctx`` and writes at
``ctx.now``; bad input is a ``CountyError`` (exit 2) naming the option, an unknown record a
``NotFound``, a disallowed step a ``Refusal`` (exit 1)."""

from __future__ import annotations

from framework import CountyError, NotFound, Refusal

from .rules import ACTIVITIES, AWARDS, METHOD, POST_KINDS, TIERS, within_work_hours

SUBDISTRICT_LEVEL = TIERS[1].level


def _split(values) -> list[str]:
    """A list of text from a list or a ``;``/``,``/、-separated string (None: empty)."""
    if values is None:
        return []
    if isinstance(values, str):
        values = values.replace("；", ";").replace("，", ",").replace("、", ",").replace(";", ",").split(",")
    return [v.strip() for v in values if str(v).strip()]


def area_levels(settings: dict) -> list[str]:
    """The ``area_levels`` setting as a list of level names; CountyError naming
    ``[plugins.zaizhi] area_levels`` when it is not a non-empty list of text."""
    levels = settings.get("area_levels")
    if not isinstance(levels, list) or not levels or not all(isinstance(v, str) and v for v in levels):
        raise CountyError(f"[plugins.zaizhi] area_levels={levels!r}: a list of unit levels, e.g. [\"community\"]")
    return levels


def is_area(ctx, code: str) -> bool:
    """True when unit ``code`` is a residential area (居民区): its level is among the
    ``area_levels`` setting (default community, residential_area)."""
    return ctx.units[code].level in area_levels(ctx.settings)


def area_of(ctx, code: str):
    """The residential area holding unit ``code`` (itself or its nearest ancestor), or None."""
    for c in ctx.ancestors(code):
        if is_area(ctx, c):
            return ctx.units[c]
    return None


def areas(ctx, code: str | None = None) -> list[str]:
    """Codes of the residential areas in ``code``'s subtree (None: the deployment), sorted,
    where the method takes part."""
    codes = ctx.subtree(code) if code else list(ctx.units)
    return sorted(c for c in codes if is_area(ctx, c) and ctx.takes_part(c))


def _area(ctx, code: str, what: str):
    unit = ctx.unit(code)
    if not is_area(ctx, code):
        raise CountyError(f"{what} {code}: {unit.name} is a {unit.level}, not a residential area (居民区; levels "
                          f"{', '.join(area_levels(ctx.settings))})")
    return unit


# -- the register (L389) ----------------------------------------------------------------------
def register_member(ctx, pid: str, name: str | None, home: str, *, employer=None, occupation=None, skills=None,
                    habits=None, group=None, economic=None, needs=None, branch=None) -> dict:
    """Enter an employed party member in the 《在职党员登记台帐》 (L389: 向居民区报到; classed by
    职业特点、爱好特长和生活习惯, L389, and by 经济状况、现实诉求, L397). ``home`` is the
    residential area they live in; ``branch`` (optional) the subdistrict whose agency party
    branch they belong to (then they are an agency cadre owing the quarterly calendar and the 4
    monthly visits, L389). The person is added (or their roles merged) through
    ``ctx.actions.import_people`` with role ``in_service_party_member`` (+ ``agency_cadre``) and
    ``skills``. Registering again updates the row and keeps the first registration instant.
    Returns the register row (dict). CountyError for a home that is not a residential area, a
    branch that is not a subdistrict, a new person without ``name``."""
    _area(ctx, home, "--home")
    if branch is not None and ctx.unit(branch).level != SUBDISTRICT_LEVEL:
        raise CountyError(f"--branch {branch}: an agency party branch belongs to a subdistrict (街道, level "
                          f"{SUBDISTRICT_LEVEL}), not a {ctx.units[branch].level}")
    skills = _split(skills)
    person = ctx.people.get(pid)
    if person is None and not name:
        raise CountyError(f"--name: {pid} is not a person yet; give their name")
    roles = list(person.roles) if person else []
    for role in ["in_service_party_member"] + (["agency_cadre"] if branch else []):
        if role not in roles:
            roles.append(role)
    row_skills = list(dict.fromkeys([*(person.skills if person else []), *skills]))
    before = ctx.db.query("select registered_at, registered_ts from zaizhi_members where id = ?", [pid])
    with ctx.transaction():
        ctx.actions.import_people([{"id": pid, "name": name or person.name, "unit": home, "roles": roles,
                                    "skills": row_skills, "phone": person.phone if person else None}],
                                  "zaizhi member register")
        row = {"id": pid, "name": name or person.name, "home": home, "employer": employer, "occupation": occupation,
               "skills": ",".join(skills), "habits": habits, "grp": group, "economic": economic, "needs": needs,
               "branch": branch,
               "registered_at": before[0]["registered_at"] if before else ctx.now.isoformat(),
               "registered_ts": before[0]["registered_ts"] if before else ctx.now.timestamp()}
        ctx.db.upsert("zaizhi_members", row, "id")
    return member(ctx, pid)


def member(ctx, pid: str) -> dict:
    """The register row of ``pid`` (dict, ``skills`` a list); NotFound when not registered."""
    rows = ctx.db.query("select * from zaizhi_members where id = ?", [pid])
    if not rows:
        raise NotFound(f"--member {pid}: not in the employed-party-member register (county zaizhi member register)")
    row = rows[0]
    row["skills"] = _split(row["skills"])
    return row


def members(ctx, unit: str | None = None) -> list[dict]:
    """Register rows whose home area or branch lies in ``unit``'s subtree (None: all), by id."""
    rows = ctx.db.query("select * from zaizhi_members order by id")
    sub = set(ctx.subtree(unit)) if unit else None
    out = []
    for r in rows:
        if sub is None or r["home"] in sub or (r["branch"] and r["branch"] in sub):
            r["skills"] = _split(r["skills"])
            out.append(r)
    return out


def agency_cadres(ctx, subdistrict: str | None = None) -> list[dict]:
    """Register rows of agency party branch members (``branch`` set), of ``subdistrict`` when
    given, by id (L389: 街道机关党支部在职党员)."""
    return [m for m in members(ctx) if m["branch"] and (subdistrict is None or m["branch"] == subdistrict)]


# -- service posts and claims (L397) ----------------------------------------------------------
def check_post(ctx, unit: str, kind: str, service_day) -> None:
    """CountyError unless ``unit`` is a residential area, ``kind`` a post kind (L397) and
    ``service_day`` a day of the month 1–28."""
    _area(ctx, unit, "--unit")
    if kind not in POST_KINDS:
        raise CountyError(f"--kind {kind!r}: one of {', '.join(POST_KINDS)} (小修小补, L397)")
    if not isinstance(service_day, int) or isinstance(service_day, bool) or not 1 <= service_day <= 28:
        raise CountyError(f"--service-day {service_day!r}: a day of the month 1–28")


def add_post(ctx, unit: str, kind: str, service_day: int, title: str | None = None,
             service_time: str | None = None) -> dict:
    """Set up a service post (服务岗位, 小修小补, L397) at residential area ``unit``: ``kind`` one
    of the six post kinds, served every month on ``service_day`` (1–28, 每月定时; the source
    names no day) at ``service_time`` (free text, e.g. 18:30-20:30). Returns the post (dict).
    CountyError for an unknown kind, a day outside 1–28 or a unit that is not an area."""
    check_post(ctx, unit, kind, service_day)
    with ctx.transaction():
        pid = ctx.db.insert("zaizhi_posts", {"unit": unit, "kind": kind, "title": title or POST_KINDS[kind],
                                             "service_day": service_day, "service_time": service_time,
                                             "created_at": ctx.now.isoformat()})
    return post(ctx, pid)


def post(ctx, post_id) -> dict:
    """Post ``post_id`` with its current claimant (``member``, or None) and ``claimed_at``;
    NotFound when unknown."""
    try:
        post_id = int(post_id)
    except (TypeError, ValueError):
        raise CountyError(f"post {post_id!r}: a post number") from None
    rows = ctx.db.query("select * from zaizhi_posts where id = ?", [post_id])
    if not rows:
        raise NotFound(f"post {post_id}: no such service post (county zaizhi post list)")
    row = rows[0]
    claim = ctx.db.query("select member, claimed_at from zaizhi_claims where post = ? and released_at is null",
                         [post_id])
    row["member"] = claim[0]["member"] if claim else None
    row["claimed_at"] = claim[0]["claimed_at"] if claim else None
    return row


def posts(ctx, unit: str | None = None, kind: str | None = None) -> list[dict]:
    """The posts of the residential areas in ``unit``'s subtree (None: all), optionally of
    ``kind``, by id, each with its claimant."""
    sub = set(ctx.subtree(unit)) if unit else None
    ids = [r["id"] for r in ctx.db.query("select id, unit, kind from zaizhi_posts order by id")
           if (sub is None or r["unit"] in sub) and (kind is None or r["kind"] == kind)]
    return [post(ctx, i) for i in ids]


def claim(ctx, post_id, member_id: str) -> dict:
    """Member ``member_id`` claims post ``post_id`` (认领, L397). The post must be at their home
    area or, for an agency cadre, in their subdistrict; with ``claim_needs_skill`` the post's
    kind must be among their skills. Returns the post. Refusal when the post is already
    claimed; NotFound for an unknown post or member."""
    p, m = post(ctx, post_id), member(ctx, member_id)
    if p["member"]:
        raise Refusal(f"post {p['id']}: already claimed by {p['member']} (release it first)")
    if p["unit"] != m["home"] and not (m["branch"] and p["unit"] in ctx.subtree(m["branch"])):
        raise Refusal(f"post {p['id']} at {ctx.units[p['unit']].name}: {member_id} lives in "
                      f"{ctx.units[m['home']].name} (members serve where they live, L389)")
    if ctx.settings["claim_needs_skill"] and p["kind"] not in m["skills"]:
        raise Refusal(f"post {p['id']} ({POST_KINDS[p['kind']]}): {member_id} has no skill {p['kind']!r} "
                      f"([plugins.zaizhi] claim_needs_skill)")
    with ctx.transaction():
        ctx.db.insert("zaizhi_claims", {"post": p["id"], "member": member_id, "claimed_at": ctx.now.isoformat(),
                                        "claimed_ts": ctx.now.timestamp()})
    return post(ctx, p["id"])


def release(ctx, post_id) -> dict:
    """End the current claim of post ``post_id`` at ``ctx.now``; Refusal when unclaimed."""
    p = post(ctx, post_id)
    if not p["member"]:
        raise Refusal(f"post {p['id']}: not claimed")
    with ctx.transaction():
        ctx.db.execute("update zaizhi_claims set released_at = ?, released_ts = ? where post = ? and released_at "
                       "is null", [ctx.now.isoformat(), ctx.now.timestamp(), p["id"]])
    return post(ctx, p["id"])


# -- the activity log (L389, L393, L397) ----------------------------------------------------------
def record(ctx, kind: str, unit: str, person: str | None = None, post_id=None, persons: int = 1,
           note: str | None = None) -> dict:
    """Record an activity at ``ctx.now``: ``kind`` one of ``ACTIVITIES``. Rules (L389, L393, L397):

    * ``study`` / ``group_day`` — at a subdistrict (its agency party branch); ``persons`` =
      attendance;
    * ``visit`` — an agency cadre (``person``) at a residential area of their own subdistrict,
      on a working day within ``work_hours`` (“8小时内”, China's calendar with 调休);
    * ``volunteer`` — a registered member at their home area, outside ``work_hours`` or on a
      non-working day (“8小时外”, 到居住地);
    * ``post_service`` — the claimant of ``post_id`` (``person`` defaults to them) at its area;
    * ``forum`` — a subdistrict leader's forum at a residential area; ``persons`` attending;
    * ``zone_visit`` / ``home_support`` — at a responsibility zone or residential area.

    Returns the row (dict). CountyError / Refusal naming what breaks the rule."""
    if kind not in ACTIVITIES:
        raise CountyError(f"kind {kind!r}: one of {', '.join(ACTIVITIES)}")
    if not isinstance(persons, int) or persons < 1:
        raise CountyError(f"--persons {persons!r}: a whole number of at least 1")
    if kind == "post_service":
        unit = post(ctx, post_id)["unit"]
    u = ctx.unit(unit)
    if person is not None:
        ctx.person(person)
    if kind in ("study", "group_day"):
        if u.level != SUBDISTRICT_LEVEL:
            raise CountyError(f"--unit {unit}: a {ACTIVITIES[kind]} is held by the subdistrict's agency branch "
                              f"(level {SUBDISTRICT_LEVEL}), not at a {u.level}")
    elif kind == "visit":
        m = member(ctx, person or "")
        if not m["branch"]:
            raise Refusal(f"--person {person}: not an agency cadre (register with --branch)")
        if not is_area(ctx, unit) or unit not in ctx.subtree(m["branch"]):
            raise CountyError(f"--unit {unit}: a visit goes to a residential area of {ctx.units[m['branch']].name}")
        if not within_work_hours(ctx.calendar, ctx.settings, ctx.now):
            raise Refusal(f"--now {ctx.calendar.local(ctx.now).isoformat()}: a visit counts within the 8 working "
                          f"hours of a working day ({ctx.settings['work_hours']}, “8小时内”, L389)")
    elif kind == "volunteer":
        m = member(ctx, person or "")
        if unit != m["home"]:
            raise CountyError(f"--unit {unit}: volunteer service is at the member's home area "
                              f"{m['home']} (到居住地, L389)")
        if within_work_hours(ctx.calendar, ctx.settings, ctx.now):
            raise Refusal(f"--now {ctx.calendar.local(ctx.now).isoformat()}: volunteer service is outside working "
                          f"hours (“8小时外”, L389; work_hours {ctx.settings['work_hours']})")
    elif kind == "post_service":
        p = post(ctx, post_id)
        person = person or p["member"]
        if not person:
            raise Refusal(f"post {p['id']}: not claimed, no one to serve it")
        unit = p["unit"]
        post_id = p["id"]
    elif kind == "forum":
        _area(ctx, unit, "--unit")
    elif area_of(ctx, unit) is None:
        raise CountyError(f"--unit {unit}: a {ACTIVITIES[kind]} is at a residential area or one of its zones")
    with ctx.transaction():
        rid = ctx.db.insert("zaizhi_activities", {"kind": kind, "unit": unit, "person": person,
                                                  "post": int(post_id) if post_id is not None else None,
                                                  "persons": persons, "note": note, "at": ctx.now.isoformat(),
                                                  "at_ts": ctx.now.timestamp()})
    return ctx.db.query("select * from zaizhi_activities where id = ?", [rid])[0]


def activities(ctx, kinds, unit: str | None = None, period=None) -> list[dict]:
    """Activity rows of ``kinds`` (str or list) at units in ``unit``'s subtree and in
    ``period`` (a period string), in time order."""
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    where, params = ctx.scope(unit, period, unit_cols=("unit",), ts_cols=("at_ts",))
    where.append(f"kind in ({ctx.db.placeholders(kinds)})")
    return ctx.db.query("select * from zaizhi_activities where " + " and ".join(where) + " order by at_ts, id",
                        [*params, *kinds])


# -- commendations and brands (L393, L397) ------------------------------------------------------
def commend(ctx, member_id: str, award: str, note: str | None = None) -> dict:
    """Commend a registered member (评选表彰, L393: “两优一先”、“感动友谊好市民”); ``award`` a code
    of ``AWARDS`` or any name. Returns the row."""
    m = member(ctx, member_id)
    if not award or not award.strip():
        raise CountyError("--award: the award's name")
    with ctx.transaction():
        rid = ctx.db.insert("zaizhi_commendations", {"member": member_id, "unit": m["home"],
                                                     "award": AWARDS.get(award, award.strip()), "note": note,
                                                     "at": ctx.now.isoformat(), "at_ts": ctx.now.timestamp()})
    return ctx.db.query("select * from zaizhi_commendations where id = ?", [rid])[0]


def set_brand(ctx, unit: str, name: str, note: str | None = None) -> dict:
    """Name residential area ``unit``'s 一居一特 brand (L397, e.g. 宝林三村“楼中情”); replaces
    an earlier one. Returns the row."""
    _area(ctx, unit, "--unit")
    if not name or not name.strip():
        raise CountyError("--name: the brand's name")
    with ctx.transaction():
        ctx.db.upsert("zaizhi_brands", {"unit": unit, "name": name.strip(), "note": note,
                                        "at": ctx.now.isoformat()}, "unit")
    return ctx.db.query("select * from zaizhi_brands where unit = ?", [unit])[0]


def check_method(ctx, case_id: str):
    """The case ``case_id`` if it is a zaizhi case; CountyError otherwise."""
    case = ctx.cases.get(case_id, events=False)
    if case.method != METHOD:
        raise CountyError(f"case {case_id} is a {case.method} case, not {METHOD}")
    return case
