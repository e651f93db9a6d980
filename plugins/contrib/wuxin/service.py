"""wuxin's records, shared by the commands, the county-file tables and the demo: left-behind files
(L432), care pairs and the care log (六个一 / 六必须, L432), the community work log (周检查、月评比、
年考核, L437) and the building check (两长四员, L418). Every function takes ``ctx`` and writes at
``ctx.now``; bad input is a ``CountyError`` (exit 2) naming the field, an unknown record a
``NotFound``, a step not allowed now a ``Refusal`` (exit 1). Nothing is deleted: a file or a pair
is closed, a change is logged."""

from __future__ import annotations

import datetime as dt

from framework import CountyError, NotFound, Refusal, parse_date

from .rules import (
    BUILDING_ROLES,
    CARE_KINDS,
    CHAT_MINUTES_PER_WEEK,
    FILE_FIELDS,
    FILE_KINDS,
    METHOD,
    PAIR_KINDS,
    SIX_KNOWS,
    WORK,
)

HOME_LEVELS = ("building", "grid", "community")
TEXT_FIELDS = ("name", "health", "living", "away_where", "away_contact", "note", "one_touch", *SIX_KNOWS)


def local_day(ctx, iso: str | None) -> dt.date | None:
    """The deployment-local date of a stored ISO instant (None for None)."""
    return ctx.calendar.local(dt.datetime.fromisoformat(iso)).date() if iso else None


def community_of(ctx, code: str):
    """The community (社区) holding unit ``code`` (itself or its nearest ancestor), or None."""
    return ctx.ancestor(code, "community", strict=True)


def _home(ctx, code: str) -> None:
    unit = ctx.unit(code)
    if unit.level not in HOME_LEVELS or community_of(ctx, code) is None:
        raise CountyError(f"unit {code!r}: {unit.name} is a {unit.level}; a left-behind file lives at a building, "
                          f"grid or community of a community (社区, L432)")


def _date(value, what: str) -> str | None:
    if value in (None, ""):
        return None
    return parse_date(value, what).isoformat()


def _text(value, what: str, limit: int = 200) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > limit or any(ord(ch) < 32 for ch in text):
        raise CountyError(f"{what}: at most {limit} characters, no control characters")
    return text or None


def _bool(value, what: str) -> int:
    if isinstance(value, bool) or value in (0, 1):
        return int(value)
    text = str(value).strip().lower()
    if text in ("yes", "true", "1", "是", "y"):
        return 1
    if text in ("no", "false", "0", "否", "n", ""):
        return 0
    raise CountyError(f"{what} {value!r}: yes or no")


def _clean(ctx, fields: dict) -> dict:
    """Validated file fields (any subset)."""
    out = {}
    for key, value in fields.items():
        if key == "birthday":
            out[key] = _date(value, "birthday")
            if out[key] and dt.date.fromisoformat(out[key]) > ctx.calendar.local(ctx.now).date():
                raise CountyError(f"birthday {value}: after today")
        elif key in ("empty_nest", "card"):
            out[key] = _bool(value, key)
        elif key == "keeper":
            if value:
                ctx.person(value)
            out[key] = value or None
        elif key in TEXT_FIELDS:
            out[key] = _text(value, key, 50 if key == "name" else 200)
        else:
            raise CountyError(f"field {key!r}: not a field of a left-behind file (fields: "
                              f"{', '.join(['birthday', 'empty_nest', 'card', 'keeper', *TEXT_FIELDS])})")
    return out


# -- left-behind files (L432) ------------------------------------------------------------------
def open_file(ctx, kind: str, name: str, unit: str, **fields) -> dict:
    """Open a left-behind file (建立留守儿童、留守老人档案, L432): ``kind`` child or elder, ``name``,
    ``unit`` (where they live: a building, grid or community). ``fields``: ``birthday``
    (YYYY-MM-DD), ``health``, ``living``, ``away_where``, ``away_contact`` (L432's fields),
    ``keeper`` (the named person, 专人, a person id), for an elder ``empty_nest`` (default yes),
    the 六知道 ``illnesses medicines allergies haunts hobbies family_phone``, ``card`` (爱心联系卡
    issued) and ``one_touch`` (一键通 contact). Returns the file row. CountyError for a bad kind,
    unit, date or field; NotFound for an unknown unit or keeper."""
    if kind not in FILE_KINDS:
        raise CountyError(f"kind {kind!r}: child (留守儿童) or elder (留守老人)")
    if not name or not str(name).strip():
        raise CountyError("name: required")
    _home(ctx, unit)
    row = {"kind": kind, "unit": unit, "empty_nest": 1 if kind == "elder" else 0, "card": 0,
           **_clean(ctx, {"name": name, **fields})}
    if kind == "child":
        row["empty_nest"] = 0
    now = ctx.now
    row.update(opened_at=now.isoformat(), opened_ts=now.timestamp(), updated_at=now.isoformat(),
               updated_ts=now.timestamp())
    with ctx.transaction():
        fid = ctx.db.insert("wuxin_files", row)
        ctx.db.insert("wuxin_file_log", {"file": fid, "fields": sorted(k for k in row if not k.endswith(("_at", "_ts"))),
                                         "actor": ctx.actor, "at": now.isoformat(), "at_ts": now.timestamp()})
    return file(ctx, fid)


def file(ctx, file_id) -> dict:
    """The file row of ``file_id``; NotFound when there is none."""
    try:
        fid = int(file_id)
    except (TypeError, ValueError):
        raise CountyError(f"file {file_id!r}: a file number") from None
    rows = ctx.db.query("select * from wuxin_files where id = ?", [fid])
    if not rows:
        raise NotFound(f"file {fid}: no such left-behind file (county wuxin file list)")
    return rows[0]


def update_file(ctx, file_id, **fields) -> dict:
    """Change fields of an open file (动态管理, L432); the change is logged in ``wuxin_file_log``.
    Returns the row. Refusal for a closed file; CountyError as ``open_file``."""
    row = file(ctx, file_id)
    if row["closed_at"]:
        raise Refusal(f"file {row['id']}: closed on {row['closed_at'][:10]}")
    if "unit" in fields or "kind" in fields:
        raise CountyError("unit, kind: a file keeps its home and kind; close it and open another")
    values = _clean(ctx, fields)
    changed = {k: v for k, v in values.items() if row.get(k) != v}
    if not changed:
        return row
    now = ctx.now
    with ctx.transaction():
        ctx.db.update("wuxin_files", row["id"], {**changed, "updated_at": now.isoformat(),
                                                 "updated_ts": now.timestamp()})
        ctx.db.insert("wuxin_file_log", {"file": row["id"], "fields": sorted(changed), "actor": ctx.actor,
                                         "at": now.isoformat(), "at_ts": now.timestamp()})
    return file(ctx, row["id"])


def close_file(ctx, file_id, note: str) -> dict:
    """Close a file (grown up, moved, family back home) at ``ctx.now``; its active pair ends too.
    Returns the row. CountyError without a note; Refusal when already closed."""
    row = file(ctx, file_id)
    if not note or not note.strip():
        raise CountyError("note: say why the file is closed")
    if row["closed_at"]:
        raise Refusal(f"file {row['id']}: already closed on {row['closed_at'][:10]}")
    with ctx.transaction():
        active = active_pair(ctx, row["id"])
        if active:
            end_pair(ctx, active["id"], note)
        ctx.db.update("wuxin_files", row["id"], {"closed_at": ctx.now.isoformat(), "closed_ts": ctx.now.timestamp(),
                                                 "note": _text(note, "note")})
    return file(ctx, row["id"])


def files(ctx, unit: str | None = None, kind: str | None = None, at: dt.date | None = None) -> list[dict]:
    """Files living in ``unit``'s subtree (None: all), of ``kind`` when given, open on the local
    date ``at`` (None: open now), by id, where the method takes part."""
    sub = set(ctx.subtree(unit)) if unit else None
    day = at or ctx.calendar.local(ctx.now).date()
    out = []
    for r in ctx.db.query("select * from wuxin_files order by id"):
        if (sub is not None and r["unit"] not in sub) or (kind and r["kind"] != kind):
            continue
        closed = local_day(ctx, r["closed_at"])
        if local_day(ctx, r["opened_at"]) > day or (closed is not None and closed <= day):
            continue
        if ctx.takes_part(r["unit"]):
            out.append(r)
    return out


def missing_fields(row: dict) -> list[str]:
    """L432's file fields (生日、健康情况、家庭生活状况、外出去向、联系方式) still empty on ``row``."""
    return [k for k in FILE_FIELDS if not row.get(k)]


def missing_knows(row: dict) -> list[str]:
    """六知道 (L432) still empty on an elder's file ``row``."""
    return [k for k in SIX_KNOWS if not row.get(k)]


def standing_musts(ctx, row: dict) -> dict:
    """The three standing 六必须 of an elder's file (L432): ``pair`` (an active volunteer pair),
    ``card`` (爱心联系卡), ``one_touch`` (一键通 contact) → {name: bool}."""
    return {"pair": active_pair(ctx, row["id"]) is not None, "card": bool(row["card"]),
            "one_touch": bool(row["one_touch"])}


def musts_apply(ctx, row: dict) -> bool:
    """True when 六必须 apply to the file: an elder, empty-nest unless ``six_musts_for`` = all."""
    return row["kind"] == "elder" and (bool(row["empty_nest"]) or ctx.settings["six_musts_for"] == "all")


# -- pairs (L432) ------------------------------------------------------------------------------
def active_pair(ctx, file_id, day: dt.date | None = None) -> dict | None:
    """The pair of the file active on local date ``day`` (None: now), or None."""
    day = day or ctx.calendar.local(ctx.now).date()
    for r in ctx.db.query("select * from wuxin_pairs where file = ? order by id", [int(file_id)]):
        ended = local_day(ctx, r["ended_at"])
        if local_day(ctx, r["started_at"]) <= day and (ended is None or ended > day):
            return r
    return None


def pair_row(ctx, pair_id) -> dict:
    """The pair row of ``pair_id``; NotFound when there is none."""
    try:
        pid = int(pair_id)
    except (TypeError, ValueError):
        raise CountyError(f"pair {pair_id!r}: a pair number") from None
    rows = ctx.db.query("select * from wuxin_pairs where id = ?", [pid])
    if not rows:
        raise NotFound(f"pair {pid}: no such care pair (county wuxin pair list)")
    return rows[0]


def pairs(ctx, unit: str | None = None) -> list[dict]:
    """Every pair (active or ended) of the files living in ``unit``'s subtree, by id."""
    sub = set(ctx.subtree(unit)) if unit else None
    return [r for r in ctx.db.query("select * from wuxin_pairs order by id")
            if (sub is None or r["unit"] in sub) and ctx.takes_part(r["unit"])]


def make_pair(ctx, file_id, carer: str, note: str | None = None) -> dict:
    """Pair a carer with a file at ``ctx.now`` (结成对子, L432): a child with a caring mother (role
    ``caring_mother``), one to one (一对一帮扶); an elder with a party volunteer (role
    ``party_volunteer``). 就近包保: the carer's unit must lie in the file's community. Returns
    the pair row. CountyError for a carer without the role or from another community; Refusal
    for a closed file, a file already paired, a caring mother already paired with a child."""
    row = file(ctx, file_id)
    role, label = PAIR_KINDS[row["kind"]]
    person = ctx.person(carer)
    if role not in person.roles:
        raise CountyError(f"carer {carer!r}: {person.name} is not a {label} (role {role}, L432)")
    home = community_of(ctx, row["unit"])
    if community_of(ctx, person.unit) is None or community_of(ctx, person.unit).code != home.code:
        raise CountyError(f"carer {carer!r}: {person.name} is not of {home.name}; 就近包保 (L432) pairs a carer of "
                          f"the file's community")
    if row["closed_at"]:
        raise Refusal(f"file {row['id']}: closed on {row['closed_at'][:10]}")
    if ctx.now.timestamp() < row["opened_ts"]:
        raise Refusal(f"file {row['id']}: opened at {row['opened_at']}, after {ctx.now.isoformat()}")
    current = active_pair(ctx, row["id"])
    if current:
        raise Refusal(f"file {row['id']}: already paired with {ctx.people[current['carer']].name} "
                      f"(pair {current['id']}); end that pair first")
    if row["kind"] == "child":
        for other in ctx.db.query("select * from wuxin_pairs where carer = ? and kind = 'child' and ended_at is null",
                                  [carer]):
            raise Refusal(f"carer {carer!r}: {person.name} already cares for a child (pair {other['id']}); "
                          f"一对一帮扶 (L432)")
    with ctx.transaction():
        pid = ctx.db.insert("wuxin_pairs", {"file": row["id"], "kind": row["kind"], "carer": carer,
                                            "unit": row["unit"], "started_at": ctx.now.isoformat(),
                                            "started_ts": ctx.now.timestamp(), "note": _text(note, "note")})
    return pair_row(ctx, pid)


def end_pair(ctx, pair_id, note: str | None = None) -> dict:
    """End an active pair at ``ctx.now``. Returns the row. Refusal when it has ended."""
    row = pair_row(ctx, pair_id)
    if row["ended_at"]:
        raise Refusal(f"pair {row['id']}: ended on {row['end'][:10]}")
    if ctx.now.timestamp() < row["started_ts"]:
        raise Refusal(f"pair {row['id']}: cannot end before it started ({row['started_at']})")
    ctx.db.update("wuxin_pairs", row["id"], {"ended_at": ctx.now.isoformat(), "ended_ts": ctx.now.timestamp(),
                                             "note": _text(note, "note") or row["note"]})
    return pair_row(ctx, row["id"])


def record_care(ctx, pair_id, kind: str, minutes=None, note: str | None = None) -> dict:
    """Record a care step of an active pair at ``ctx.now`` (L432): for a child's caring mother
    ``contact letter teacher guardian birthday festival`` (六个一), for an elder's volunteer
    ``greeting chat activity`` (六必须; a ``chat`` gives its ``minutes``, 1–1440). Returns the
    row. CountyError for a kind of the other schedule or bad minutes; Refusal for a pair not
    active at ``ctx.now``."""
    row = pair_row(ctx, pair_id)
    kinds = CARE_KINDS[row["kind"]]
    if kind not in kinds:
        raise CountyError(f"kind {kind!r}: a {PAIR_KINDS[row['kind']][1]} records one of {', '.join(kinds)} (L432)")
    if kind == "chat":
        try:
            minutes = int(minutes)
        except (TypeError, ValueError):
            raise CountyError(f"minutes {minutes!r}: a chat gives its length in minutes (每周两小时, "
                              f"{CHAT_MINUTES_PER_WEEK} minutes, L432)") from None
        if not 1 <= minutes <= 1440:
            raise CountyError(f"minutes {minutes}: 1–1440")
    elif minutes is not None:
        raise CountyError(f"minutes: only a chat has minutes, not a {kind}")
    ts = ctx.now.timestamp()
    if ts < row["started_ts"] or (row["ended_ts"] and ts >= row["ended_ts"]):
        raise Refusal(f"pair {row['id']}: not active at {ctx.now.isoformat()} (from {row['started_at']}"
                      f"{' to ' + row['ended_at'] if row['ended_at'] else ''})")
    with ctx.transaction():
        cid = ctx.db.insert("wuxin_care", {"pair": row["id"], "kind": kind, "minutes": minutes,
                                           "note": _text(note, "note"), "actor": ctx.actor, "unit": row["unit"],
                                           "at": ctx.now.isoformat(), "at_ts": ts})
    return ctx.db.query("select * from wuxin_care where id = ?", [cid])[0]


def care_between(ctx, pair_id: int, kind: str, first: dt.date, last: dt.date) -> list[dict]:
    """Care rows of ``kind`` of the pair on local dates ``first``..``last`` (inclusive)."""
    a = dt.datetime.combine(first, dt.time(), tzinfo=ctx.calendar.tz).timestamp()
    b = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=ctx.calendar.tz).timestamp()
    return ctx.db.query("select * from wuxin_care where pair = ? and kind = ? and at_ts >= ? and at_ts < ? "
                        "order by at_ts", [pair_id, kind, a, b])


# -- the community's work log (L437, L445) -----------------------------------------------------------
def record_work(ctx, kind: str, unit: str, note: str | None = None) -> dict:
    """Record a community's work step at ``ctx.now``: ``inspection`` (周检查), ``ranking`` (月评比),
    ``assessment`` (年考核) of the environment (L437); ``watch`` (24小时有人值班) and ``leader_watch``
    (重大节日、重要时期领导带班, L445). Returns the row. CountyError for another kind or a unit that is
    not a community."""
    if kind not in WORK:
        raise CountyError(f"kind {kind!r}: one of {', '.join(WORK)} (周检查、月评比、年考核, L437; 值班、领导带班, L445)")
    u = ctx.unit(unit)
    if u.level != "community":
        raise CountyError(f"unit {unit!r}: {u.name} is a {u.level}; the environment and the watch are a "
                          f"community's (L437, L445)")
    with ctx.transaction():
        wid = ctx.db.insert("wuxin_work", {"kind": kind, "unit": unit, "note": _text(note, "note"),
                                           "actor": ctx.actor, "at": ctx.now.isoformat(),
                                           "at_ts": ctx.now.timestamp()})
    return ctx.db.query("select * from wuxin_work where id = ?", [wid])[0]


def work_between(ctx, kind: str, unit: str, first: dt.date, last: dt.date) -> int:
    """How many ``kind`` steps were recorded at ``unit`` on local dates ``first``..``last``."""
    a = dt.datetime.combine(first, dt.time(), tzinfo=ctx.calendar.tz).timestamp()
    b = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=ctx.calendar.tz).timestamp()
    return ctx.db.query("select count(*) as n from wuxin_work where kind = ? and unit = ? and at_ts >= ? and "
                        "at_ts < ?", [kind, unit, a, b])[0]["n"]


# -- buildings (L418) --------------------------------------------------------------------------
def units_at(ctx, level: str, unit: str | None = None) -> list[str]:
    """Codes of ``level`` in ``unit``'s subtree (None: all) where the method takes part, sorted."""
    codes = ctx.subtree(unit) if unit else list(ctx.units)
    return sorted(c for c in codes if ctx.units[c].level == level and ctx.takes_part(c))


def building_check(ctx, unit: str | None = None) -> list[dict]:
    """Each building of ``unit``'s subtree with its 两长四员 (L418): ``unit``, ``name``, ``grid``
    (its grid's code or None), ``posts`` {role: [person names]}, ``missing`` (roles nobody holds,
    in L418's order), ``complete`` (bool). Roles are the people's of the building unit itself."""
    out = []
    for code in units_at(ctx, "building", unit):
        posts = {role: [p.name for p in ctx.people.find(unit=code, role=role)] for role in BUILDING_ROLES}
        missing = [r for r, names in posts.items() if not names]
        grid = ctx.ancestor(code, "grid", strict=True)
        out.append({"unit": code, "name": ctx.units[code].name, "grid": grid.code if grid else None, "posts": posts,
                    "missing": missing, "complete": not missing})
    return out


def check_case(ctx, case_id: str):
    """The case ``case_id`` if it is a wuxin case; CountyError otherwise."""
    case = ctx.cases.get(case_id, events=False)
    if case.method != METHOD:
        raise CountyError(f"case {case_id} is a {case.method} case, not {METHOD}")
    return case


def feed_back(ctx, case_id: str, note: str):
    """工作反馈 (L418, a task of 两长四员): tell the resident how a resolved case was handled; a
    ``fed_back`` event at ``ctx.now``. Returns the case. CountyError for another method's case or
    an empty note; Refusal while the case is open (nothing to feed back yet)."""
    case = check_case(ctx, case_id)
    if not note or not note.strip():
        raise CountyError("note: what the resident was told")
    if case.is_open:
        raise Refusal(f"case {case_id} is still open ({case.status}); feed back once it is resolved")
    return ctx.actions.record_event(case_id, "fed_back", _text(note, "note"))
