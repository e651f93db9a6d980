"""yijiasi's records: service teams and members (L449), annual agreements (L453), contacts, work
days, concentrated events and posts (L455), the organisation department's checks (L457).

Each function takes ``ctx`` (the method's ``MethodContext``; ``ctx.now`` is the instant
recorded) and is shared by the commands, ``[[yijiasi.teams]]`` / ``[[yijiasi.members]]`` and the
demo. Bad input is a ``CountyError`` naming the field; a request not allowed now is a
``Refusal``; an unknown unit or person is ``NotFound``. Dates are local days (``datetime.date``
or ``YYYY-MM-DD`` text).
"""

from __future__ import annotations

import datetime as dt
import json
import re

from framework import CountyError, NotFound, Refusal, parse_instant

from .rules import AREAS, CHECK_MODES, MEMBER_KINDS, NAMED_POSTS, POST_KINDS_TOTAL


def day(ctx, value, what: str) -> dt.date:
    """``value`` (a ``date``, ``datetime`` or ISO text) as a local date; ``CountyError`` naming
    ``what`` when it is not one."""
    if isinstance(value, dt.datetime):
        return ctx.calendar.local(value).date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise CountyError(f"{what}: a date YYYY-MM-DD is needed, got {value!r}")
    return ctx.calendar.local(parse_instant(value.strip(), ctx.calendar.tz, what=what)).date()


def _today(ctx) -> dt.date:
    return ctx.calendar.local(ctx.now).date()


def _not_future(ctx, on: dt.date, what: str) -> None:
    if on > _today(ctx):
        raise Refusal(f"{what} {on}: after today ({_today(ctx)}); record what has happened")


def _community(ctx, code: str, what: str = "community"):
    unit = ctx.unit(code)
    if unit.level != "community":
        raise CountyError(f"{what} {code!r}: {unit.name} is a {unit.level}, not a community (社区, L449)")
    return unit


# --- teams and members (L449) -------------------------------------------------------------------

def _team_row(row: dict) -> dict:
    return {**row, "communities": json.loads(row["communities"])}


def team(ctx, code: str) -> dict:
    """The team ``code`` as a dict (``communities`` a list). ``NotFound`` when unknown."""
    rows = ctx.db.query("select * from yijiasi_teams where code = ?", [code])
    if not rows:
        raise NotFound(f"team {code!r}: no such service team (see `county yijiasi team list`)")
    return _team_row(rows[0])


def teams(ctx, unit: str | None = None) -> list[dict]:
    """Every team (by code) with a co-built community in ``unit``'s subtree (all when None)."""
    rows = [_team_row(r) for r in ctx.db.query("select * from yijiasi_teams order by code")]
    if unit is None:
        return rows
    inside = set(ctx.subtree(unit))
    return [t for t in rows if inside.intersection(t["communities"])]


def team_of(ctx, community: str) -> dict | None:
    """The team co-building with ``community`` (a community code), or None."""
    for t in teams(ctx):
        if community in t["communities"]:
            return t
    return None


def save_team(ctx, code: str, name: str, leader: str, home: str, communities=(), formed_on=None) -> dict:
    """Add or update the service team ``code`` (服务团, L449): ``leader`` its 服务团团长 (a person
    id, L457), ``home`` the leader's community (团长所在社区), ``communities`` the co-built
    communities (``home`` always among them). ``CountyError`` for a bad code or a unit that is
    not a community, ``Refusal`` for a community already paired with another team. Returns the
    team."""
    if not code or not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", code):
        raise CountyError(f"code {code!r}: a team code is 1-40 letters, digits, '.', '_' or '-'")
    if not name or not name.strip():
        raise CountyError(f"name: team {code} needs a name")
    ctx.person(leader)
    _community(ctx, home, "home")
    codes = [home] + [c for c in dict.fromkeys(communities or ()) if c != home]
    for c in codes:
        _community(ctx, c)
        other = team_of(ctx, c)
        if other and other["code"] != code:
            raise Refusal(f"community {c!r}: already co-built with team {other['code']} ({other['name']})")
    formed = day(ctx, formed_on, "formed_on") if formed_on else _today(ctx)
    row = {"code": code, "name": name.strip(), "leader": leader, "home": home,
           "communities": json.dumps(codes, ensure_ascii=False), "formed_on": formed.isoformat()}
    ctx.db.upsert("yijiasi_teams", row, pk="code")
    return team(ctx, code)


def members(ctx, team_code: str | None = None, active_on: dt.date | None = None) -> list[dict]:
    """Members (by team, then person), of one team or all; with ``active_on`` only those active
    that day (joined on or before it, not yet left)."""
    rows = ctx.db.query("select * from yijiasi_members" + (" where team = ?" if team_code else "")
                        + " order by team, person, id", [team_code] if team_code else [])
    if active_on is not None:
        d = active_on.isoformat()
        rows = [r for r in rows if r["joined_on"] <= d and (r["left_on"] is None or r["left_on"] > d)]
    return rows


def active_over(member: dict, first: dt.date, last: dt.date) -> bool:
    """The member was in the team for the whole window ``first``..``last`` (both included)."""
    return member["joined_on"] <= first.isoformat() and (member["left_on"] is None
                                                        or member["left_on"] > last.isoformat())


def add_member(ctx, person: str, team_code: str, kind: str, partner: str | None = None, joined_on=None) -> dict:
    """Add ``person`` to team ``team_code`` as one of the "4" (L449): ``kind`` department,
    instructor, student or lawyer; ``partner`` the sending unit (市直部门, 高校, 律师事务所).
    ``Refusal`` when the person is already an active member of the team. Returns the row."""
    if kind not in MEMBER_KINDS:
        raise CountyError(f"kind {kind!r}: use one of " + ", ".join(f"{k} {v}" for k, v in MEMBER_KINDS.items()))
    ctx.person(person)
    team(ctx, team_code)
    joined = day(ctx, joined_on, "joined_on") if joined_on else _today(ctx)
    if any(m["person"] == person and m["left_on"] is None for m in members(ctx, team_code)):
        raise Refusal(f"person {person}: already a member of team {team_code}")
    rid = ctx.db.insert("yijiasi_members", {"person": person, "team": team_code, "kind": kind, "partner": partner,
                                            "joined_on": joined.isoformat(), "left_on": None, "left_note": None})
    return ctx.db.query("select * from yijiasi_members where id = ?", [rid])[0]


def remove_member(ctx, person: str, team_code: str, note: str, left_on=None) -> dict:
    """End ``person``'s membership of ``team_code`` (个别工作不积极、成效不明显的志愿者被及时调整,
    L457) on ``left_on`` (default today); a reason is required. Returns the row."""
    if not note or not note.strip():
        raise CountyError("note: say why the member leaves (调整的原因)")
    active = [m for m in members(ctx, team_code) if m["person"] == person and m["left_on"] is None]
    if not active:
        raise Refusal(f"person {person}: not an active member of team {team_code}")
    left = day(ctx, left_on, "left_on") if left_on else _today(ctx)
    if left.isoformat() < active[0]["joined_on"]:
        raise CountyError(f"left_on {left}: before the member joined ({active[0]['joined_on']})")
    ctx.db.update("yijiasi_members", active[0]["id"], {"left_on": left.isoformat(), "left_note": note.strip()})
    return ctx.db.query("select * from yijiasi_members where id = ?", [active[0]["id"]])[0]


def memberships(ctx, person: str, first: dt.date, last: dt.date) -> list[dict]:
    """``person``'s memberships that overlap ``first``..``last``."""
    return [m for m in ctx.db.query("select * from yijiasi_members where person = ? order by id", [person])
            if m["joined_on"] <= last.isoformat() and (m["left_on"] is None or m["left_on"] > first.isoformat())]


# --- the annual agreement (L453) -----------------------------------------------------------------

def sign_agreement(ctx, team_code: str, year: int, signed_on=None, community: str | None = None,
                   areas=None, note: str | None = None) -> list[dict]:
    """Record the 《共建协议书》 of ``year`` between team ``team_code``'s units and ``community``
    (default: each of its communities) signed on ``signed_on`` (default today), fixing duties in
    ``areas`` (default all four of L453). ``Refusal`` for a second agreement of that year or a
    signing date in the future or after the year. Returns the rows."""
    t = team(ctx, team_code)
    signed = day(ctx, signed_on, "signed_on") if signed_on else _today(ctx)
    _not_future(ctx, signed, "signed_on")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise CountyError(f"year {year!r}: a year such as 2025")
    if signed.year > year:
        raise Refusal(f"signed_on {signed}: after the year {year} the agreement is for (每年初签订, L453)")
    picked = list(areas) if areas else list(AREAS)
    bad = [a for a in picked if a not in AREAS]
    if bad:
        raise CountyError(f"areas {bad[0]!r}: use " + ", ".join(f"{k} {v}" for k, v in AREAS.items()))
    targets = [community] if community else t["communities"]
    for c in targets:
        if c not in t["communities"]:
            raise CountyError(f"community {c!r}: not a co-built community of team {team_code}")
        if ctx.db.count("yijiasi_agreements", "team = ? and community = ? and year = ?", [team_code, c, year]):
            raise Refusal(f"team {team_code}: the {year} agreement with {ctx.units[c].name} is already signed")
    with ctx.transaction():
        for c in targets:
            ctx.db.insert("yijiasi_agreements", {"team": team_code, "community": c, "year": year,
                                                 "signed_on": signed.isoformat(), "areas": json.dumps(picked),
                                                 "note": note, "actor": ctx.actor, "at": ctx.now.isoformat()})
    return agreements(ctx, team_code, year)


def agreements(ctx, team_code: str, year: int) -> list[dict]:
    """The agreements of ``team_code`` for ``year`` (by community)."""
    return ctx.db.query("select * from yijiasi_agreements where team = ? and year = ? order by community",
                        [team_code, year])


# --- contacts, work days, events (L455) ------------------------------------------------------------

def record_participation(ctx, kind: str, person: str, on=None, community: str | None = None,
                         note: str | None = None) -> dict:
    """A member's ``contact`` with the community (每周主动与社区联系, L455) or ``workday`` in community
    work (每两周参与社区工作不少于一天, L455) on ``on`` (default today) at ``community`` (default: the
    home community of the member's team). ``Refusal`` when ``person`` is not an active member
    that day, for a second work day on one day, or a future day. Returns the row."""
    if kind not in ("contact", "workday"):
        raise CountyError(f"kind {kind!r}: contact or workday")
    on_date = day(ctx, on, "on") if on else _today(ctx)
    _not_future(ctx, on_date, "on")
    ctx.person(person)
    active = memberships(ctx, person, on_date, on_date)
    if not active:
        raise Refusal(f"person {person}: not a member of a service team on {on_date} (county yijiasi member add)")
    t = team(ctx, active[0]["team"])
    where = community or t["home"]
    if where not in t["communities"]:
        raise CountyError(f"community {where!r}: not a co-built community of team {t['code']}")
    if kind == "workday" and ctx.db.count("yijiasi_participation", "kind = 'workday' and person = ? and on_date = ?",
                                          [person, on_date.isoformat()]):
        raise Refusal(f"person {person}: a work day on {on_date} is already recorded")
    rid = ctx.db.insert("yijiasi_participation", {"kind": kind, "person": person, "team": t["code"],
                                                  "community": where, "on_date": on_date.isoformat(), "note": note,
                                                  "actor": ctx.actor, "at": ctx.now.isoformat()})
    return ctx.db.query("select * from yijiasi_participation where id = ?", [rid])[0]


def record_activity(ctx, team_code: str, title: str, on=None, community: str | None = None,
                    participants: int | None = None) -> dict:
    """A concentrated service event (集中服务活动, L455) of team ``team_code`` at ``community``
    (default its home) on ``on`` (default today). Returns the row."""
    t = team(ctx, team_code)
    if not title or not title.strip():
        raise CountyError("title: the event needs a title (e.g. 法律咨询进社区)")
    on_date = day(ctx, on, "on") if on else _today(ctx)
    _not_future(ctx, on_date, "on")
    where = community or t["home"]
    if where not in t["communities"]:
        raise CountyError(f"community {where!r}: not a co-built community of team {team_code}")
    if participants is not None and (not isinstance(participants, int) or participants < 0):
        raise CountyError(f"participants {participants!r}: a whole number, 0 or more")
    rid = ctx.db.insert("yijiasi_activities", {"team": team_code, "community": where, "on_date": on_date.isoformat(),
                                               "title": title.strip(), "participants": participants,
                                               "actor": ctx.actor, "at": ctx.now.isoformat()})
    return ctx.db.query("select * from yijiasi_activities where id = ?", [rid])[0]


def activities(ctx, team_code: str, first: dt.date, last: dt.date) -> list[dict]:
    """The team's events from ``first`` to ``last`` (both included), by date."""
    return ctx.db.query("select * from yijiasi_activities where team = ? and on_date between ? and ? "
                        "order by on_date, id", [team_code, first.isoformat(), last.isoformat()])


def post_kinds(ctx) -> dict[str, str]:
    """The post kinds (code → label): the 4 named (L455) and the setting ``other_posts`` (at most
    8 more: 12种岗位). ``CountyError`` naming the setting when it is not a list of at most 8 names."""
    other = ctx.settings["other_posts"]
    if not isinstance(other, list) or not all(isinstance(p, str) and p.strip() for p in other):
        raise CountyError("[plugins.yijiasi] other_posts: a list of post names")
    if len(NAMED_POSTS) + len(other) > POST_KINDS_TOTAL:
        raise CountyError(f"[plugins.yijiasi] other_posts: at most {POST_KINDS_TOTAL - len(NAMED_POSTS)} "
                          f"(12种岗位, L455), got {len(other)}")
    return {**NAMED_POSTS, **{p.strip(): p.strip() for p in other}}


def claim_post(ctx, community: str, holder: str, post: str) -> dict:
    """A community party member ``holder`` (a name) claims ``post`` at ``community`` today
    (主动认领岗位, L455). ``Refusal`` for the same post claimed twice by one holder. Returns the row."""
    _community(ctx, community)
    kinds = post_kinds(ctx)
    code = post if post in kinds else next((k for k, v in kinds.items() if v == post), None)
    if code is None:
        raise CountyError(f"post {post!r}: use one of " + ", ".join(f"{k} {v}" if k != v else k
                                                                      for k, v in kinds.items()))
    if not holder or not holder.strip():
        raise CountyError("holder: the party member's name")
    if ctx.db.count("yijiasi_posts", "community = ? and holder = ? and post = ?", [community, holder.strip(), code]):
        raise Refusal(f"holder {holder}: already holds post {kinds[code]} at {ctx.units[community].name}")
    rid = ctx.db.insert("yijiasi_posts", {"community": community, "holder": holder.strip(), "post": code,
                                          "claimed_on": _today(ctx).isoformat(), "actor": ctx.actor,
                                          "at": ctx.now.isoformat()})
    return ctx.db.query("select * from yijiasi_posts where id = ?", [rid])[0]


def record_check(ctx, team_code: str, mode: str, finding: str, on=None, community: str | None = None) -> dict:
    """The city organisation department's check of a team (现场观摩、临时抽查, L457) on ``on``
    (default today) at ``community`` (default the home). Returns the row."""
    if mode not in CHECK_MODES:
        raise CountyError(f"mode {mode!r}: use " + ", ".join(f"{k} {v}" for k, v in CHECK_MODES.items()))
    t = team(ctx, team_code)
    on_date = day(ctx, on, "on") if on else _today(ctx)
    _not_future(ctx, on_date, "on")
    where = community or t["home"]
    if where not in t["communities"]:
        raise CountyError(f"community {where!r}: not a co-built community of team {team_code}")
    if not finding or not finding.strip():
        raise CountyError("finding: what the check found")
    rid = ctx.db.insert("yijiasi_checks", {"team": team_code, "community": where, "on_date": on_date.isoformat(),
                                           "mode": mode, "finding": finding.strip(), "actor": ctx.actor,
                                           "at": ctx.now.isoformat()})
    return ctx.db.query("select * from yijiasi_checks where id = ?", [rid])[0]
