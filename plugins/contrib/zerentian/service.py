"""zerentian's records and actions, shared by the commands, the county file's loader and the demo.
Each function takes ``ctx`` (the method's context) and acts at ``ctx.now``; errors name the field
and its value (``CountyError``, exit 2) or refuse (``Refusal``, exit 1).

* responsibility fields with their party branch and service team (责任田+党支部+服务团, L314);
* PDA reports with photos and video by reference and checksum (信息平台+PDA手机, L316);
* the district centre's transfer to a department (交转到职能部门终端, L316);
* the June review: pledges, fulfilment, the meeting, reports and the people's rating
  (承诺、践诺、述职、测评, L312).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from framework import CountyError, NotFound, Refusal, Requester

from .rules import ACTIVITY_KINDS, MEMBER_KINDS, NAME, REVIEW_MONTH
from .stages import field_row

ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
SHA256_RE = re.compile(r"^[0-9a-fA-F]{64}$")


def _stamp(ctx) -> tuple[str, float]:
    return ctx.now.isoformat(), ctx.now.timestamp()


# -- responsibility fields (L314) ---------------------------------------------------------------
def save_field(ctx, field_id: str, name: str, unit: str, branch: str | None = None,
               secretary: str | None = None) -> dict:
    """Add or update responsibility field ``field_id`` (责任田, L314) of village or community
    ``unit``, with its party branch's name (default 〈name〉党支部) and secretary (a person id,
    given the role ``field_secretary`` if the person lacks it). Returns the row.
    CountyError: a bad id, an empty name, a unit that is not a village or community; NotFound:
    an unknown unit or person."""
    if not ID_RE.match(field_id or ""):
        raise CountyError(f"id {field_id!r}: letters, digits, '.', '_' or '-', at most 40")
    if not (name or "").strip():
        raise CountyError(f"field {field_id}: name is empty")
    u = ctx.unit(unit)
    if u.level not in ("village", "community"):
        raise CountyError(f"unit {unit!r}: a responsibility field subdivides a village or community (L314), "
                          f"not {u.name} ({u.level})")
    if secretary:
        p = ctx.person(secretary)
        if "field_secretary" not in p.roles:
            ctx.actions.import_people([{"id": p.id, "name": p.name, "unit": p.unit, "roles": p.roles + ["field_secretary"],
                                        "skills": p.skills, "phone": p.phone}], f"{NAME} field {field_id}")
    at, ts = _stamp(ctx)
    before = field_row(ctx, field_id)
    row = {"id": field_id, "name": name.strip(), "unit": unit, "branch": (branch or f"{name.strip()}党支部"),
           "secretary": secretary or None,
           "created_at": before["created_at"] if before else at, "created_ts": before["created_ts"] if before else ts}
    ctx.db.upsert("zerentian_fields", row, pk="id")
    return row


def fields(ctx, unit: str | None = None) -> list[dict]:
    """The fields in ``unit``'s subtree (all when None), by id."""
    rows = ctx.db.query("select * from zerentian_fields order by id")
    if unit is None:
        return rows
    codes = set(ctx.subtree(ctx.unit(unit).code))
    return [r for r in rows if r["unit"] in codes]


def need_field(ctx, field_id: str) -> dict:
    """The field row; CountyError naming ``field`` when unknown."""
    row = field_row(ctx, field_id)
    if row is None:
        raise CountyError(f"field {field_id!r}: no such responsibility field (county zerentian field add)")
    return row


def add_member(ctx, field_id: str, name: str, kind: str, person: str | None = None) -> int:
    """A service-team member (服务团成员, L314) of ``field_id``, joining at ``ctx.now``: ``kind``
    one of rules.MEMBER_KINDS, ``person`` an optional person id. Returns the member's id.
    CountyError names ``kind``, ``name`` or ``field``; Refusal when the same name is already
    an active member of the field."""
    need_field(ctx, field_id)
    if kind not in MEMBER_KINDS:
        raise CountyError(f"kind {kind!r}: one of {', '.join(MEMBER_KINDS)}")
    if not (name or "").strip():
        raise CountyError("name: empty")
    if person:
        ctx.person(person)
    if ctx.db.count("zerentian_members", "field = ? and name = ? and left_at is null", [field_id, name.strip()]):
        raise Refusal(f"field {field_id}: {name.strip()} is already on its service team")
    at, ts = _stamp(ctx)
    return ctx.db.insert("zerentian_members", {"field": field_id, "name": name.strip(), "kind": kind,
                                               "person": person, "joined_at": at, "joined_ts": ts,
                                               "left_at": None, "left_ts": None})


def members(ctx, field_id: str, on: dt.datetime | None = None) -> list[dict]:
    """The members of ``field_id`` on the team at ``on`` (default ``ctx.now``), by id."""
    ts = (on or ctx.now).timestamp()
    return ctx.db.query("select * from zerentian_members where field = ? and joined_ts <= ? and "
                        "(left_ts is null or left_ts > ?) order by id", [field_id, ts, ts])


def record_activity(ctx, field_id: str, kind: str, title: str, participants: int = 0) -> int:
    """An activity the field held at ``ctx.now`` (开展文体活动, L314). Returns its id."""
    row = need_field(ctx, field_id)
    if kind not in ACTIVITY_KINDS:
        raise CountyError(f"kind {kind!r}: one of {', '.join(ACTIVITY_KINDS)}")
    if participants < 0:
        raise CountyError(f"participants {participants}: not negative")
    at, ts = _stamp(ctx)
    return ctx.db.insert("zerentian_activities", {"field": field_id, "unit": row["unit"], "kind": kind,
                                                  "title": title, "participants": participants, "at": at,
                                                  "at_ts": ts})


# -- PDA reports (L316) -------------------------------------------------------------------------
def pda_report(ctx, unit: str, title: str, officer: str, media: list[tuple[str, str | None]], *,
               category: str | None = None, description: str | None = None, field: str | None = None,
               requester: Requester | None = None, captions: list[str | None] | None = None):
    """An information officer's PDA report from the spot (L316: 民情信息员通过手持PDA终端，实时
    拍摄上传图片和视频信息): a request of channel ``pda`` at ``unit`` with each item of ``media``
    — ``(uri, sha256 or None)``, an http(s) URL or an absolute path — attached by reference and
    checksum (never the file), all in one transaction. The media type is guessed from the
    extension (.jpg/.jpeg/.png → image, .mp4/.mov → video). Returns the case afterwards.
    CountyError: no media (L316: the report carries photos or video), a bad checksum; the
    intake's errors (officer, unit, field)."""
    if not media:
        raise CountyError("media: a PDA report uploads at least one photo or video (L316)")
    items = [media_item(uri, sha) for uri, sha in media]
    fields = {"officer": officer}
    if field:
        fields["field"] = field
    captions = list(captions or []) + [None] * len(items)
    with ctx.transaction():
        case = ctx.actions.add_case(NAME, unit, title, channel="pda", category=category, description=description,
                                    requester=requester, fields=fields)
        for (uri, sha, size), caption in zip(items, captions):
            case = ctx.actions.attach(case.id, uri, sha256=sha, media_type=media_type(uri), size=size,
                                      caption=caption)
    return case


def media_item(uri: str, sha: str | None) -> tuple[str, str | None, int | None]:
    """``(uri, sha256, size)`` of one medium: an http(s) URL as given (with ``sha``, or None); a
    local file by its absolute path, its sha256 and size computed (a given ``sha`` must match).
    CountyError: a checksum that is not 64 hex digits or does not match, a path that is not a
    file."""
    if sha is not None and not SHA256_RE.match(sha):
        raise CountyError(f"sha256 {sha!r} of {uri}: 64 hex digits")
    if uri.startswith(("http://", "https://")):
        return uri, sha.lower() if sha else None, None
    path = Path(uri).expanduser()
    if not path.is_file():
        raise CountyError(f"media {uri!r}: not a file (a photo or video path, or an http(s) URL)")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if sha is not None and sha.lower() != digest:
        raise CountyError(f"sha256 of {uri}: given {sha.lower()[:12]}…, the file's is {digest[:12]}…")
    return str(path.resolve()), digest, path.stat().st_size


def media_type(uri: str) -> str | None:
    """``image/jpeg``, ``image/png``, ``video/mp4``, ``video/quicktime`` by the extension, else None."""
    ext = uri.lower().rsplit(".", 1)[-1] if "." in uri.rsplit("/", 1)[-1] else ""
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "mp4": "video/mp4",
            "mov": "video/quicktime"}.get(ext)


# -- the district centre's transfer (L316) -------------------------------------------------------
def transfer(ctx, case_id: str, department: str | None = None, note: str | None = None):
    """The district centre transfers a request it sorted to the responsible department's terminal
    (交转到职能部门终端办理解决, L316): ``department`` (a unit of level department), else the setting
    ``category_departments`` for the case's category. The department's one ``department_staff``
    becomes the handler (assignment hook). Open cases linked to it (汇总, ``county case link``)
    at the centre go with it. Returns the case afterwards. CountyError: another method's case, no
    department, a unit that is not a department; Refusal: the case is not open or not at the
    district centre."""
    case = ctx.cases.get(case_id, events=False)
    if case.method != NAME:
        raise CountyError(f"case {case_id} is a {case.method} case, not {NAME}")
    if not case.is_open:
        raise Refusal(f"case {case_id} is {case.status}: only an open request is transferred")
    if case.level != "district_centre":
        raise Refusal(f"case {case_id} is at {case.level}: the district centre transfers (L316); report it up first")
    if department is None:
        mapping = ctx.settings["category_departments"]
        department = mapping.get(case.category) if isinstance(mapping, dict) else None
        if not department:
            raise CountyError(f"department: none given and [plugins.{NAME}] category_departments has none for "
                              f"{case.category!r}")
    try:
        dept = ctx.unit(department)
    except NotFound:
        raise CountyError(f"department {department!r}: not a unit of this deployment") from None
    if dept.level != "department":
        raise CountyError(f"department {department!r}: {dept.name} is a {dept.level}, not a department")
    linked = [c for c in ctx.cases.find(lead=case_id, open=True, level="district_centre")]
    with ctx.transaction():
        for c in [case] + linked:
            ctx.actions.record_event(c.id, "transferred", note or f"交转{dept.name}", data={"department": dept.code})
            ctx.actions.assign(c.id, unit=dept.code, note=f"区民事办理中心交转{dept.name}")
    return ctx.cases.get(case_id)


# -- the June review (L312) ----------------------------------------------------------------------
def org_unit(ctx, org: str) -> str:
    """The unit an organisation belongs to: a field's village/community, or the unit itself.
    CountyError naming ``org`` when it is neither a field nor a unit."""
    row = field_row(ctx, org)
    if row:
        return row["unit"]
    if org in ctx.units:
        return org
    raise CountyError(f"org {org!r}: neither a responsibility field nor a unit")


def org_name(ctx, org: str) -> str:
    """A field's party branch, or the unit's name with 党组织."""
    row = field_row(ctx, org)
    return row["branch"] if row else f"{ctx.units[org].name}党组织"


def pledge(ctx, org: str, text: str) -> int:
    """A pledge (承诺, L312) of party organisation ``org`` (a field's branch or a unit) for the
    year of ``ctx.now``. Returns its id. CountyError: empty text, unknown org."""
    if not (text or "").strip():
        raise CountyError("text: a pledge says what is promised")
    unit = org_unit(ctx, org)
    at, ts = _stamp(ctx)
    return ctx.db.insert("zerentian_pledges", {"year": ctx.now.year, "org": org, "unit": unit, "text": text.strip(),
                                               "pledged_at": at, "pledged_ts": ts, "fulfilled_at": None,
                                               "fulfilled_ts": None, "fulfil_note": None})


def fulfil(ctx, pledge_id: int, note: str | None = None) -> dict:
    """Pledge ``pledge_id`` fulfilled (践诺, L312) at ``ctx.now``. Returns the row.
    NotFound for an unknown pledge; Refusal when already fulfilled or before it was made."""
    rows = ctx.db.query("select * from zerentian_pledges where id = ?", [pledge_id])
    if not rows:
        raise NotFound(f"pledge {pledge_id}: no such pledge")
    row = rows[0]
    if row["fulfilled_at"]:
        raise Refusal(f"pledge {pledge_id} was fulfilled at {row['fulfilled_at']}")
    if ctx.now.timestamp() < row["pledged_ts"]:
        raise Refusal(f"pledge {pledge_id}: fulfilled before it was made ({row['pledged_at']})")
    at, ts = _stamp(ctx)
    ctx.db.update("zerentian_pledges", pledge_id, {"fulfilled_at": at, "fulfilled_ts": ts, "fulfil_note": note})
    return ctx.db.query("select * from zerentian_pledges where id = ?", [pledge_id])[0]


def hold_review(ctx, note: str | None = None) -> dict:
    """The district's review meeting (全区党组织服务民生述职测评大会, L312) held at ``ctx.now``,
    which must fall in June (每年6月). Returns the row. Refusal: not June, or already held that
    year."""
    if ctx.now.month != REVIEW_MONTH:
        raise Refusal(f"the review is held every June (L312: 每年6月), not on {ctx.now.date().isoformat()}")
    if ctx.db.count("zerentian_reviews", "year = ?", [ctx.now.year]):
        raise Refusal(f"the {ctx.now.year} review was already held")
    at, ts = _stamp(ctx)
    row = {"year": ctx.now.year, "unit": ctx.roots()[0].code, "held_at": at, "held_ts": ts, "note": note}
    ctx.db.insert("zerentian_reviews", row)
    return row


def rate_org(ctx, org: str, satisfied: int, basically: int, unsatisfied: int, report: str | None = None) -> int:
    """``org``'s report (述职) and the people's rating (测评: 民生好不好群众测评，工作实不实百姓评说,
    L312) at this year's review: the votes per level. Returns its id. Refusal: the review was
    not held yet this year, or ``org`` was already rated; CountyError: negative votes, none."""
    year = ctx.now.year
    if not ctx.db.count("zerentian_reviews", "year = ?", [year]):
        raise Refusal(f"the {year} review has not been held (county zerentian review hold, in June)")
    votes = (satisfied, basically, unsatisfied)
    if any(v < 0 for v in votes) or sum(votes) == 0:
        raise CountyError(f"votes {votes}: whole numbers, not negative, at least one")
    unit = org_unit(ctx, org)
    if ctx.db.count("zerentian_ratings", "year = ? and org = ?", [year, org]):
        raise Refusal(f"{org} was already rated at the {year} review")
    at, ts = _stamp(ctx)
    return ctx.db.insert("zerentian_ratings", {"year": year, "org": org, "unit": unit, "report": report,
                                               "satisfied": satisfied, "basically": basically,
                                               "unsatisfied": unsatisfied, "rated_at": at, "rated_ts": ts})

