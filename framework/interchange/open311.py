"""Interchange out of the county: ``county export --format open311|csv``.

对外交换：导出 Open311 GeoReport v2 JSON 或 CSV。

**Open311 (GeoReport v2 JSON).** One object per case, in the spec's field order
(:data:`framework.interchange.schema.GEOREPORT_REQUEST_FIELDS`):

* A case imported from Open311 gives back every field of its source request exactly as it came
  (strings, numbers and nulls alike), so import-then-export is lossless. Only when the case's
  state changed here afterwards (e.g. resolved in this county) are ``status`` (``open`` /
  ``closed``), ``status_notes`` and ``updated_datetime`` replaced by ours.
* Any other case is written from our record: ``service_request_id`` = source id or case id,
  ``status`` open/closed, ``status_notes`` = resolution note, ``service_name``/``service_code``
  = category label/code, ``description``, ``agency_responsible`` = the unit holding the case,
  ``requested_datetime`` = arrival, ``updated_datetime`` = last event, ``expected_datetime`` =
  the due instant, ``address`` = requester address, ``media_url`` = the first http(s)
  attachment (an image first; docs/hooks.md §12.7) or null, ``address_id``/``zipcode``/
  ``lat``/``long`` null. A public export never carries a ``media_url``.
* Our own data ride in the documented extension object ``extended_attributes`` →
  ``county`` (GeoReport v2 allows ``extended_attributes`` on a request):
  ``case_id``, ``method``, ``status`` (our status word), ``tier`` (current tier) and
  ``tier_title``, ``unit``, ``unit_name``, ``handler``, ``category``, ``channel``, ``due_at``,
  ``resolved_at``, ``resolved_tier``, ``overdue_count``, ``satisfaction`` (satisfied /
  basically / unsatisfied), ``topic`` (proposed level-1 category), ``events`` (each
  ``at``, ``type``, ``tier``, ``note``), and when the case has them ``attachments`` (``附件 N
  件``) and ``signoff`` (``签字 N/M``).

**CSV.** One row per case, UTF-8 with BOM (Excel/WPS read Chinese correctly): the columns of
:data:`CSV_COLUMNS`.

``public=True`` masks personal data as boards do (conventions §3): requester fields by their
rule, and every other string (titles, descriptions, notes, ``extra`` values, an imported
request's fields) through the kernel's masking with the case's requester secrets (phone/ID
numbers inside text too). A public Open311 export carries only the GeoReport v2 request fields
and ``extended_attributes.county``: an imported request's other keys (``first_name``,
``last_name``, ``email``, ``phone``, ``device_id``…) are left out. The Open311 importer takes
the requester from ``first_name``/``last_name``/``phone`` so that they are known secrets.
Coordinates in a public export are rounded to 3 decimals (about 100 m), so that they locate the
area, not the home (as the address keeps the village/community only).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from framework.interchange.schema import (
    GEOREPORT_REQUEST_FIELDS, GEOREPORT_SERVICE_FIELDS, IMPORTED_ROWS, SERVICES_TABLE,
)
from framework.models import DONE_STATUSES, attachments_label
from framework.publish.masking import (
    SecretMap, mask_record, mask_value, public_requester, requester_secrets,
)
from framework.publish.outputs import neutralise
from framework.store.rows import row_to_case

CSV_COLUMNS = (
    "id", "source_id", "method", "status", "tier", "unit", "unit_name", "handler", "category", "channel",
    "title", "description", "created_at", "due_at", "resolved_at", "resolved_tier", "overdue_count",
    "satisfaction", "topic", "requester_name", "requester_phone", "requester_id_number", "requester_address",
    "extra",
)


def store_services(county, services: list[dict], file: str) -> int:
    """Keep an Open311 services list (``GET services``) in the ``open311_services`` table,
    keyed by service_code (a later file replaces an earlier entry). Returns the count."""
    db = county.store.db
    if not db[SERVICES_TABLE].exists():
        db[SERVICES_TABLE].create({"service_code": str, "service_name": str, "group": str, "raw": str, "file": str},
                                  pk="service_code", if_not_exists=True)
    with county.store.transaction():
        for s in services:
            if "__error__" in s or s.get("service_code") is None:
                continue
            db.execute(f"insert or replace into {SERVICES_TABLE} (service_code, service_name, \"group\", raw, file)"
                       f" values (?,?,?,?,?)",
                       [str(s["service_code"]), s.get("service_name"), s.get("group"),
                        json.dumps(s, ensure_ascii=False), file])
    return len([s for s in services if s.get("service_code") is not None])


def export_services(county) -> list[dict]:
    """The stored Open311 services, each as it came (GeoReport v2 field order first)."""
    db = county.store.db
    if not db[SERVICES_TABLE].exists():
        return []
    out = []
    for (raw,) in db.execute(f"select raw from {SERVICES_TABLE} order by rowid"):
        s = json.loads(raw)
        out.append({**{k: s[k] for k in GEOREPORT_SERVICE_FIELDS if k in s}, **s})
    return out


def _load(county, method: str | None, status: str | None, ids: list[str] | None = None):
    """The cases (all of ``method``/``status``, or exactly ``ids`` in that order), their events
    and imported source rows; with ``ids`` only theirs are read (the GeoReport endpoint's pages)."""
    db = county.store.db
    where = ""
    if ids is None:
        cases = county.list_cases(method=method, status=status)
    else:
        rows = {r["id"]: r for r in county.store.query(
            "select * from cases where id in (select value from json_each(?))", [json.dumps(ids)])}
        cases = [row_to_case(rows[i]) for i in ids if i in rows]
        where = " where case_id in (select value from json_each(?))"
    args = [json.dumps([c.id for c in cases])] if where else []
    events: dict[str, list[dict]] = {c.id: [] for c in cases}
    for r in db.execute(f"select case_id, at, type, level, note from events{where} order by id", args):
        if r[0] in events:
            events[r[0]].append({"at": r[1], "type": r[2], "tier": r[3], "note": r[4]})
    imported: dict[str, dict] = {}
    if db[IMPORTED_ROWS].exists():
        for sid, fmt, raw, topic in db.execute(f"select source_id, format, raw, topic from {IMPORTED_ROWS}{where}", args):
            imported[sid] = {"format": fmt, "raw": json.loads(raw) if raw else {}, "topic": topic}
    return cases, events, imported


def _secrets(case, raw: dict | None = None):
    """The case's requester secrets (raw -> masked), plus the e-mail address an imported Open311
    request carries (``j***@example.org``), for public exports."""
    r = case.requester
    secrets = requester_secrets(r.name, r.phone, r.id_number, r.address, r.anonymous)
    email = str((raw or {}).get("email") or "").strip()
    if "@" in email and len(email) >= 3:
        user, _, domain = email.partition("@")
        secrets = SecretMap.union([secrets, SecretMap.of({email: f"{user[:1]}***@{domain}"})])
    return secrets


PUBLIC_COORD_DECIMALS = 3


def _masker(county, public: bool):
    if not public:
        return lambda case, v: v

    def mask(case, v):
        return mask_value(v, _secrets(case))

    return mask


def _mask_public(case, record: dict, secrets, keep: tuple[str, ...] = ()) -> dict:
    """Every value of ``record`` masked by the kernel (:func:`framework.publish.masking.mask_record`:
    personal-data keys by their rule, every string's phone/ID numbers and the requester's
    secrets), except the identifier keys in ``keep``."""
    out = mask_record(record, secrets, anonymous=case.requester.anonymous)
    for k in keep:
        if k in record:
            out[k] = record[k]
    return out


def _requester(case, public: bool) -> dict:
    r = case.requester
    if not public:
        return {"requester_name": r.name, "requester_phone": r.phone, "requester_id_number": r.id_number,
                "requester_address": r.address}
    p = public_requester(r)  # the kernel's rule: an anonymous requester's name and phone hidden (§3)
    return {"requester_name": p["name"], "requester_phone": p["phone"], "requester_id_number": p["id_number"],
            "requester_address": p["address"]}


def _iso(v):
    return v.isoformat() if v is not None else None


def export_open311(county, *, method: str | None = None, status: str | None = None, public: bool = False,
                   ids: list[str] | None = None) -> list[dict]:
    """Every case (optionally of one method / status; or the cases ``ids``, in that order) as a
    GeoReport v2 request dict, with our data under ``extended_attributes.county`` (see the
    module docstring)."""
    cases, events, imported = _load(county, method, status, ids)
    mask = _masker(county, public)
    media = county.attachments_of([c.id for c in cases])  # docs/hooks.md §12.7
    signoffs = county.signoffs_of([c.id for c in cases])
    out = []
    for c in cases:
        evs = events.get(c.id, [])
        done = c.status in DONE_STATUSES
        ours_status = "closed" if done else "open"
        note = next((e["note"] for e in reversed(evs) if e["type"] == "resolved"), None)
        last = evs[-1]["at"] if evs else _iso(c.created_at)
        src = imported.get(c.source_id or "")
        chain = county.chain_or_none(c.method)  # None: a method no longer installed whose cases remain
        tier = chain.tier(c.level) if chain else None
        info = county.registry.methods.get(c.method)
        if src and src["format"] == "open311":
            raw = src["raw"]
            req = {k: raw[k] for k in GEOREPORT_REQUEST_FIELDS if k in raw}
            req.update({k: v for k, v in raw.items() if k not in req})
            if str(raw.get("status") or "").lower() != ours_status:
                req["status"] = ours_status
                req["updated_datetime"] = last  # its last event, as for every other case (GeoReport v2: last modified)
                if done:
                    req["status_notes"] = note
        else:
            unit = county.units.get(c.unit)
            req = {
                "service_request_id": c.source_id or c.id,
                "status": ours_status,
                "status_notes": mask(c, note) if done else None,
                "service_name": (info.categories.get(c.category, c.category) if info and c.category else c.category),
                "service_code": c.category,
                "description": mask(c, c.description) if c.description is not None else mask(c, c.title),
                "agency_responsible": unit.name if unit else c.unit,
                "service_notice": None,
                "requested_datetime": _iso(c.created_at),
                "updated_datetime": last,
                "expected_datetime": _iso(c.due_at) if not done else None,
                "address": _requester(c, public)["requester_address"],
                "address_id": None, "zipcode": None, "lat": None, "long": None, "media_url": None,
            }
        ext = {
            "case_id": c.id, "method": c.method, "status": c.status, "tier": c.level,
            "tier_title": tier.title_zh if tier else None, "unit": c.unit,
            "unit_name": county.units[c.unit].name if c.unit in county.units else None,
            "handler": c.handler, "category": c.category, "channel": c.channel, "title": mask(c, c.title),
            "due_at": _iso(c.due_at), "resolved_at": _iso(c.resolved_at), "resolved_tier": c.resolved_level,
            "overdue_count": _overdue(county, c.id), "satisfaction": c.satisfaction,
            "topic": src["topic"] if src else None,
            "events": [{**e, "note": mask(c, e["note"]) if e["note"] else e["note"]} for e in evs],
        }
        if media.get(c.id):  # a count only: never a uri in the extension
            ext["attachments"] = attachments_label(len(media[c.id]))
        if c.id in signoffs:
            ext["signoff"] = signoffs[c.id].label
        if not public and req.get("media_url") is None:
            req["media_url"] = media_url(media.get(c.id, []))
        if public:
            # only the GeoReport v2 request fields and our documented extension: whatever else the
            # source request carried (first_name, last_name, email, phone, device_id, account_id, its
            # own extended_attributes…) stays out, and every string is masked with this case's secrets
            secrets = _secrets(c, src["raw"] if src and src["format"] == "open311" else None)
            req = _mask_public(c, {k: req[k] for k in GEOREPORT_REQUEST_FIELDS if k in req}, secrets,
                               keep=("service_request_id",))
            req["extended_attributes"] = {"county": _mask_public(c, ext, secrets, keep=("case_id",))}
            req["media_url"] = None  # never an attachment's URL on a public output (§12.7)
            for key in ("lat", "long"):  # 3 decimals ≈ 100 m: the area, not the door (like the address rule)
                if isinstance(req.get(key), (int, float)) and not isinstance(req.get(key), bool):
                    req[key] = round(req[key], PUBLIC_COORD_DECIMALS)
        else:
            attrs_ = dict(req["extended_attributes"]) if isinstance(req.get("extended_attributes"), dict) else {}
            attrs_["county"] = ext
            req["extended_attributes"] = attrs_
        out.append(req)
    return out


def media_url(attachments: list) -> str | None:
    """GeoReport's ``media_url`` of a case (non-public exports only): its first attachment
    with an http(s) URL, an ``image/…`` one first; None when none maps (a local path does not)."""
    urls = [a for a in attachments if a.is_url]
    images = [a for a in urls if (a.media_type or "").startswith("image/")]
    return (images or urls)[0].uri if urls else None


def _overdue(county, case_id: str) -> int:
    row = county.store.db.execute("select overdue_count from cases where id = ?", [case_id]).fetchone()
    return int(row[0] or 0) if row else 0


def export_csv(county, *, method: str | None = None, status: str | None = None, public: bool = False) -> str:
    """Every case as one CSV row (:data:`CSV_COLUMNS`), UTF-8 with BOM. Every text cell goes
    through :func:`framework.publish.outputs.neutralise` (a title ``=HYPERLINK(…)`` is written
    ``'=HYPERLINK(…)``; numbers stay numbers), public or not. Returns the text."""
    cases, events, imported = _load(county, method, status)
    mask = _masker(county, public)
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for c in cases:
        src = imported.get(c.source_id or "")
        row: dict[str, Any] = {
            "id": c.id, "source_id": c.source_id, "method": c.method, "status": c.status, "tier": c.level,
            "unit": c.unit, "unit_name": county.units[c.unit].name if c.unit in county.units else "",
            "handler": c.handler, "category": c.category, "channel": c.channel, "title": mask(c, c.title),
            "description": mask(c, c.description) if c.description else c.description,
            "created_at": _iso(c.created_at), "due_at": _iso(c.due_at), "resolved_at": _iso(c.resolved_at),
            "resolved_tier": c.resolved_level, "overdue_count": _overdue(county, c.id),
            "satisfaction": c.satisfaction, "topic": src["topic"] if src else None,
            **_requester(c, public),
            "extra": c.extra or "",
        }
        if public:
            # every text column (extra's values included) masked by the kernel; the requester
            # columns were masked by their field rule above, ids are ours
            requester_cols = tuple(k for k in CSV_COLUMNS if k.startswith("requester_"))
            secrets = _secrets(c, src["raw"] if src and src["format"] == "open311" else None)
            masked = _mask_public(c, {k: v for k, v in row.items() if k not in requester_cols}, secrets,
                                  keep=("id", "source_id"))
            row.update(masked)
        if row["extra"]:
            row["extra"] = json.dumps(row["extra"], ensure_ascii=False, sort_keys=True)
        w.writerow(["" if row[k] is None else neutralise(row[k]) for k in CSV_COLUMNS])
    return buf.getvalue()
