"""The Open311 GeoReport v2 endpoint's logic, independent of any web framework
(``county open311 serve``, docs/open311.md): what each call answers, as a :class:`Reply`.

Open311 GeoReport v2 接口的业务逻辑：服务目录、提交诉求、查询诉求（不含任何个人信息）。

Calls (https://wiki.open311.org/GeoReport_v2), each also as ``.xml``:

* ``GET services.json`` — :meth:`GeoReport.services`, from the county file's ``[open311]``
  services (:mod:`framework.kernel.open311_config`);
* ``GET services/CODE.json`` — :meth:`GeoReport.definition`: the attributes a client may fill,
  the service's ``attributes`` (fields of the method's ``Case.extra``);
* ``POST requests.json`` — :meth:`GeoReport.submit`: the spec's form fields through the same
  intake as ``county case add`` (``County.add_case``: bound stages, validation); the key's name
  is the actor of every event; idempotent by the client's ``token`` (or ``Idempotency-Key``
  header) as the kernel's key ``extra.request_id = "open311:KEYNAME:TOKEN"`` (issue 14, the one
  ``county case add --request-id`` takes): the same token again answers the same request (HTTP
  200 instead of 201), another form under a used token is refused (409). Kept as an Open311 source row
  (``imported_rows``, format ``open311``) so ``county export --format open311`` gives it back;
* ``GET requests.json`` — :meth:`GeoReport.requests`: the cases of the methods ``[open311]``
  names, filtered by ``service_request_id`` (overrides the rest), ``service_code``,
  ``start_date``/``end_date`` (on ``requested_datetime``; default the last 90 days, a span of at
  most 90 days, as the spec says), ``status`` (open, closed), newest first, paged with ``page``
  (from 1) and ``page_size`` (default ``[open311] page_size``, at most 1000);
* ``GET requests/ID.json`` and ``GET tokens/TOKEN.json``.

Every request a GET returns is the public Open311 export's
(:func:`framework.interchange.open311.export_open311` with ``public=True``: requester data and
e-mail left out, texts masked, coordinates to 3 decimals, addresses to the village/street), live:
``status`` is ``closed`` once an operator resolves or confirms the case, ``agency_responsible``
and ``expected_datetime`` follow escalation. Our own data (``extended_attributes.county``) only
with ``extensions=true``. Errors are the spec's ``[{"code": 400, "description": …}]`` with
that HTTP status (400 bad argument, 403 bad api_key, 404 unknown service/request/token).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from typing import Any

import attrs

from framework.errors import CountyError, PluginError, Refusal
from framework.interchange.open311 import export_open311
from framework.interchange.rows import ImportRow, open311_requester, parse_time
from framework.interchange.schema import IMPORTED_ROWS
from framework.interchange.take import ensure_table, imported_record
from framework.kernel.guards import same_request
from framework.kernel.lifecycle import MAX_TITLE
from framework.kernel.open311_config import MAX_PAGE_SIZE, Open311Settings, Service, parse_open311
from framework.models import DONE_STATUSES, OPEN_STATUSES, Case, Requester
from framework.store.apikeys import list_keys
from framework.store.rows import placeholders

#: The source id of a request filed through the endpoint: ``georeport:KEYNAME:TOKEN``.
SOURCE_PREFIX = "georeport:"
#: The kernel idempotency key (``extra.request_id``) of a POST: ``open311:KEYNAME:TOKEN``.
REQUEST_PREFIX = "open311:"
#: The spec's default and longest window of ``GET requests`` (calendar days).
WINDOW_DAYS = 90
#: POST form fields the spec defines (and ours: ``token``); anything else is refused.
FORM_FIELDS = ("api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id",
               "email", "device_id", "account_id", "first_name", "last_name", "phone", "description", "media_url",
               "token")
TITLE_EXCERPT = 60


@attrs.define
class Reply:
    """One answer: HTTP ``status``, the JSON ``body``, and the XML element names of the list
    (``root``) and of each item (``item``); ``headers`` to add (``X-Total-Count``)."""

    status: int
    body: Any
    root: str = "service_requests"
    item: str = "request"
    headers: dict[str, str] = attrs.Factory(dict)


def error(status: int, description: str) -> Reply:
    """The spec's error shape: ``[{"code": status, "description": …}]`` with that HTTP status."""
    return Reply(status, [{"code": status, "description": description}], "errors", "error")


class GeoReport:
    """The endpoint on one opened :class:`~framework.kernel.county.County` (one per thread)."""

    def __init__(self, county):
        self.county = county
        self.settings: Open311Settings = parse_open311(county.deployment.open311 or {})[0]

    # -- services ---------------------------------------------------------------------------
    def services(self) -> Reply:
        """``GET services``: every ``[open311.services.CODE]`` in the file's order, as the spec's
        service objects (``metadata`` true when it has attributes, ``type`` realtime,
        ``keywords`` comma-separated)."""
        out = [{"service_code": s.code, "service_name": s.name, "description": s.description,
                "metadata": bool(s.attributes), "type": "realtime", "keywords": ",".join(s.keywords),
                "group": s.group or ""} for s in self.settings.services.values()]
        return Reply(200, out, "services", "service")

    def definition(self, code: str) -> Reply:
        """``GET services/CODE``: ``{"service_code", "attributes": [...]}``, each attribute a
        field of the method's ``extra_type`` (``datatype`` string/number/datetime/
        singlevaluelist for yes/no, ``required`` when the field has no default, ``order`` from
        1). 404 for an unknown code."""
        service = self.settings.services.get(code)
        if service is None:
            return error(404, f"service_code {code!r} not found (see services.json)")
        info = self.county.registry.methods.get(self.settings.method_of(service))
        fields = {f.name: f for f in attrs.fields(info.extra_type)} if info and info.extra_type else {}
        attributes = []
        for order, (name, description) in enumerate(service.attributes, 1):
            f = fields.get(name)
            kind = _datatype(f.type if f is not None else str)
            attr = {"variable": True, "code": name, "datatype": kind, "required": bool(f is not None and f.default is attrs.NOTHING),
                    "datatype_description": None, "order": order, "description": description}
            if kind == "singlevaluelist":
                attr["values"] = [{"key": "true", "name": "是"}, {"key": "false", "name": "否"}]
            attributes.append(attr)
        return Reply(200, {"service_code": code, "attributes": attributes}, "service_definition", "")

    # -- POST requests ----------------------------------------------------------------------
    def submit(self, form: list[tuple[str, str]], key_name: str, idempotency_key: str | None = None) -> Reply:
        """``POST requests``: ``form`` the decoded pairs (``attribute[CODE]`` included),
        ``key_name`` the name of the caller's (checked) API key. Returns 201 with
        ``[{"service_request_id", "token", "service_notice", "account_id"}]``, 200 with the
        same for a token used before with the same form, 409 for a used token with another form,
        400 for a bad argument or what intake refuses (its one-line message), 500 when a
        method's hook fails. The case carries ``extra.request_id`` = :func:`request_key`
        (issue 14): one taken in by ``county case add --request-id open311:KEYNAME:TOKEN``
        with the same method, unit, title and category is that request (200), else 409. Check
        and filing are one ``BEGIN IMMEDIATE`` transaction: two threads, one token, one case."""
        values, attributes, problem = _read_form(form)
        if problem:
            return error(400, problem)
        code = values.get("service_code")
        if not code:
            return error(400, "service_code: missing (see services.json)")
        service = self.settings.services.get(code)
        if service is None:
            return error(400, f"service_code {code!r}: not a service of this county (see services.json)")
        where, problem = _location(values)
        if problem:
            return error(400, problem)
        for name in attributes:
            if name not in dict(service.attributes):
                known = ", ".join(n for n, _ in service.attributes) or "none"
                return error(400, f"attribute[{name}]: not an attribute of service {code} (attributes: {known})")
        method, unit = self.settings.method_of(service), self.settings.unit_of(service)
        if not method or not unit:
            return error(400, f"service_code {code!r}: the county file names no {'method' if not method else 'unit'} "
                              f"for it ([open311] default_{'method' if not method else 'unit'})")
        token = (idempotency_key or "").strip() or values.get("token") or uuid.uuid4().hex
        if len(token) > 100 or not token.isprintable():
            return error(400, "token: at most 100 printable characters")
        source_id, request_id = f"{SOURCE_PREFIX}{key_name}:{token}", request_key(key_name, token)
        digest = hashlib.sha256(json.dumps(sorted((k, v) for k, v in form if k != "api_key"),
                                           ensure_ascii=False).encode("utf-8")).hexdigest()
        description = values.get("description")
        title = (service.name + (f"：{_excerpt(description)}" if description else ""))[:MAX_TITLE]
        filed = {"method": method, "unit": unit, "title": title, "category": service.category}
        who = open311_requester(values)
        if values.get("phone") and not who.get("phone"):  # refused, never dropped
            return error(400, f"phone {values['phone']!r}: not a phone number (7–15 digits) to call the requester back")
        requester = Requester(who.get("name"), who.get("phone"))
        county = self.county
        with county.acting_as(key_name):  # the key's name on every event, operators listed or not
            try:
                ensure_table(county)
                with county.store.transaction():
                    repeat = self._repeat(source_id, request_id, token, digest, values.get("account_id"), filed)
                    if repeat is not None:
                        return repeat
                    case = county.add_case(method, unit, title, channel=service.channel,
                                           category=service.category, description=description, requester=requester,
                                           fields=attributes, source_id=source_id, request_id=request_id)
                    raw = self._raw(case, service, values, where, attributes, token, key_name, digest)
                    row = ImportRow(line=0, source_id=source_id, method=method, unit=unit, title=case.title,
                                    created_at=case.created_at, raw=raw)
                    county.store.db.execute(*imported_record(county, row, file=f"POST requests ({key_name})",
                                                             fmt="open311", mapping="georeport")(case))
            except PluginError as e:
                return error(500, f"intake failed: {e}")
            except CountyError as e:
                return error(400, re.sub(r"--set (\w+)", r"attribute[\1]", str(e)).replace("--", ""))
        return Reply(201, [self._receipt(case, token, values.get("account_id"))])

    def _repeat(self, source_id: str, request_id: str, token: str, digest: str, account_id: str | None,
                filed: dict) -> Reply | None:
        """A POST under a used token: the request filed here with it (its Open311 source row,
        compared by the form's SHA-256; rows from before issue 14 too), else the case taken in
        with the kernel key ``request_id`` (``county case add --request-id``, compared by
        ``filed``: method, unit, title, category). 200 with its receipt for the same, 409 for
        other content, None when the token is new."""
        seen = self._seen(source_id)
        if seen is not None:
            case_id, raw = seen
            same, account_id = raw.get("form_sha256") == digest, raw.get("account_id")
        else:
            case_id = self.county.find_request(request_id)
            if case_id is None:
                return None
            try:
                same_request(self.county, case_id, request_id, **filed)
                same = True
            except Refusal:
                same = False
        if not same:
            return error(409, f"token {token!r} already filed request {case_id} with another form; "
                              f"use a new token for a new request")
        return Reply(200, [self._receipt(case_id, token, account_id)])

    def _seen(self, source_id: str) -> tuple[str, dict] | None:
        db = self.county.store.db
        if not db[IMPORTED_ROWS].exists():
            return None
        row = db.execute(f"select case_id, raw from {IMPORTED_ROWS} where source_id = ?", [source_id]).fetchone()
        return (row[0], json.loads(row[1] or "{}")) if row else None

    def _receipt(self, case_id: str | Case, token: str, account_id) -> dict:
        """The POST answer for a request (its case or case id): id, token, a Chinese notice
        naming the unit and, while open, the due instant."""
        case = self.county.get_case(case_id) if isinstance(case_id, str) else case_id
        case_id = case.id
        unit = self.county.units.get(case.unit)
        due = f"，办理期限 {case.due_at.isoformat()}" if case.due_at and case.is_open else ""
        return {"service_request_id": case_id, "token": token,
                "service_notice": f"已受理：{unit.name if unit else case.unit}{due}", "account_id": account_id}

    def _raw(self, case, service: Service, values: dict, where: dict, attributes: dict, token: str,
             key_name: str, digest: str) -> dict:
        """The request as an Open311 source row: the GeoReport v2 fields first (what a public
        export may show, masked), then what stays private (names, phone, e-mail, device)."""
        unit = self.county.units.get(case.unit)
        at = case.created_at.isoformat()
        raw = {"service_request_id": case.id, "status": "open", "status_notes": None, "service_name": service.name,
               "service_code": service.code, "description": values.get("description"),
               "agency_responsible": unit.name if unit else case.unit, "service_notice": None,
               "requested_datetime": at, "updated_datetime": at,
               "expected_datetime": case.due_at.isoformat() if case.due_at else None,
               **where, "zipcode": None, "media_url": values.get("media_url")}
        for k in ("first_name", "last_name", "phone", "email", "device_id", "account_id", "jurisdiction_id"):
            if values.get(k):
                raw[k] = values[k]
        raw.update({"attributes": attributes, "token": token, "api_key_name": key_name, "form_sha256": digest})
        return raw

    # -- GET requests -----------------------------------------------------------------------
    def requests(self, params: dict[str, str]) -> Reply:
        """``GET requests`` with the spec's filters (see the module docstring); ``X-Total-Count``
        says how many match over all pages. 400 for a bad filter."""
        try:
            ids, total = self._find(params)
        except ValueError as e:
            return error(400, str(e))
        extensions = str(params.get("extensions", "")).lower() == "true"
        return Reply(200, self._public(ids, extensions), headers={"X-Total-Count": str(total)})

    def request(self, request_id: str, extensions: bool = False) -> Reply:
        """``GET requests/ID``: a one-item list; 404 when no case of the endpoint's methods has
        that id (our case id, or the ``service_request_id`` of an imported Open311 request)."""
        ids = self._ids_of([request_id])
        if not ids:
            return error(404, f"service_request_id {request_id!r} not found")
        return Reply(200, self._public(ids[:1], extensions))

    def token(self, token: str) -> Reply:
        """``GET tokens/TOKEN``: ``[{"service_request_id", "token"}]`` for each request filed
        with that token (by any key), and each case taken in by ``county case add --request-id
        open311:KEYNAME:TOKEN`` for a key's name, in intake order; 404 when none."""
        db = self.county.store.db
        ids = []
        if db[IMPORTED_ROWS].exists():
            ids = [r[0] for r in db.execute(f"select case_id, source_id from {IMPORTED_ROWS} where source_id like ? "
                                            f"escape '\\' order by rowid", [f"{SOURCE_PREFIX}%:{_like(token)}"])
                   if r[1].split(":", 2)[2] == token]
        ids += [c for k in list_keys(self.county.store) if (c := self.county.find_request(request_key(k["name"], token)))]
        ids = [r[0] for r in db.execute(f"select id from cases where id in ({placeholders(ids)}) order by seq", ids)] \
            if ids else []
        if not ids:
            return error(404, f"token {token!r} not found")
        return Reply(200, [{"service_request_id": i, "token": token} for i in ids])

    def _find(self, params: dict[str, str]) -> tuple[list[str], int]:
        methods = self.settings.methods()
        where, args = [f"method in ({placeholders(methods)})"], list(methods)
        page, size = _positive(params.get("page"), "page", 1), _positive(params.get("page_size"), "page_size",
                                                                         self.settings.page_size)
        if size > MAX_PAGE_SIZE:
            raise ValueError(f"page_size {size}: at most {MAX_PAGE_SIZE}")
        if params.get("service_request_id"):  # overrides every other filter; in the order asked
            ids = self._ids_of(_split(params["service_request_id"]))
            return ids[(page - 1) * size:page * size], len(ids)
        else:
            start, end = self._window(params.get("start_date"), params.get("end_date"))
            where.append("created_ts >= ? and created_ts <= ?")
            args += [start.timestamp(), end.timestamp()]
            statuses = _split(params.get("status", ""))
            bad = [s for s in statuses if s.lower() not in ("open", "closed")]
            if bad:
                raise ValueError(f"status {bad[0]!r}: use open or closed (comma-separated for both)")
            words = {s.lower() for s in statuses}
            if words and words != {"open", "closed"}:
                chosen = OPEN_STATUSES if "open" in words else DONE_STATUSES
                where.append(f"status in ({placeholders(chosen)})")
                args += list(chosen)
            if params.get("service_code"):
                cond, more = self._service_filter(_split(params["service_code"]))
                where.append(cond)
                args += more
        sql = " from cases where " + " and ".join(where)
        total = self.county.store.db.execute("select count(*)" + sql, args).fetchone()[0]
        ids = [r[0] for r in self.county.store.db.execute(
            "select id" + sql + " order by seq desc limit ? offset ?", [*args, size, (page - 1) * size])]
        return ids, total

    def _window(self, start_s: str | None, end_s: str | None) -> tuple[dt.datetime, dt.datetime]:
        tz = self.county.calendar.tz
        try:
            start = parse_time(start_s, tz) if start_s else None
        except ValueError as e:
            raise ValueError(f"start_date: {e}") from None
        try:
            end = parse_time(end_s, tz) if end_s else None
        except ValueError as e:
            raise ValueError(f"end_date: {e}") from None
        span = dt.timedelta(days=WINDOW_DAYS)
        if start is None and end is None:
            end = self.county.now()
        if start is None:
            start = end - span
        if end is None:
            end = start + span
        if end < start:
            raise ValueError(f"end_date {end.isoformat()} is before start_date {start.isoformat()}")
        if end - start > span:
            raise ValueError(f"start_date to end_date spans {(end - start).days} days; at most {WINDOW_DAYS}")
        return start, end

    def _service_filter(self, codes: list[str]) -> tuple[str, list]:
        """Cases whose Open311 request named one of ``codes``, and cases taken in otherwise
        whose method and category a service of ``codes`` names."""
        db = self.county.store.db
        parts, args = [], []
        if db[IMPORTED_ROWS].exists():
            parts.append(f"id in (select case_id from {IMPORTED_ROWS} where cast(json_extract(raw, '$.service_code') "
                         f"as text) in ({placeholders(codes)}))")
            args += codes
        pairs = [(self.settings.method_of(s), s.category) for c in codes if (s := self.settings.services.get(c))]
        if pairs:
            not_imported = (f"id not in (select case_id from {IMPORTED_ROWS} where case_id is not null)"
                            if db[IMPORTED_ROWS].exists() else "1")
            match = " or ".join("(method = ? and category is ?)" for _ in pairs)
            parts.append(f"({not_imported} and ({match}))")
            args += [x for p in pairs for x in p]
        return ("(" + " or ".join(parts) + ")" if parts else "0"), args

    def _ids_of(self, wanted: list[str]) -> list[str]:
        """Our case ids for request ids (case ids, or imported requests' service_request_id), of
        the endpoint's methods, in the order asked."""
        methods = self.settings.methods()
        db = self.county.store.db
        found = dict(db.execute(f"select id, id from cases where id in ({placeholders(wanted)}) "
                                f"and method in ({placeholders(methods)})", [*wanted, *methods]).fetchall())
        rest = [w for w in wanted if w not in found]
        if rest and db[IMPORTED_ROWS].exists():
            for rid, cid in db.execute(
                    f"select cast(json_extract(i.raw, '$.service_request_id') as text), i.case_id from {IMPORTED_ROWS} i "
                    f"join cases c on c.id = i.case_id where cast(json_extract(i.raw, '$.service_request_id') as text) "
                    f"in ({placeholders(rest)}) and c.method in ({placeholders(methods)})", [*rest, *methods]):
                found.setdefault(rid, cid)
        return list(dict.fromkeys(found[w] for w in wanted if w in found))

    def _public(self, ids: list[str], extensions: bool) -> list[dict]:
        """The public export of ``ids`` with the services' codes and names, live
        ``agency_responsible``/``expected_datetime``/``updated_datetime`` for requests filed
        here, ``extended_attributes`` only with ``extensions``."""
        if not ids:
            return []
        db = self.county.store.db
        sources = {}
        if db[IMPORTED_ROWS].exists():
            sources = dict(db.execute(f"select case_id, source_id from {IMPORTED_ROWS} where case_id in "
                                      f"({placeholders(ids)})", ids).fetchall())
        by_pair = {}
        for s in self.settings.services.values():
            by_pair.setdefault((self.settings.method_of(s), s.category), s)
        out = []
        for req in export_open311(self.county, public=True, ids=ids):
            ext = req["extended_attributes"]["county"]
            source = sources.get(ext["case_id"])
            if source is None:  # taken in at the counter or by `county case add`: its service by method/category
                s = by_pair.get((ext["method"], ext["category"]))
                if s is not None:
                    req["service_code"], req["service_name"] = s.code, s.name
            elif source.startswith(SOURCE_PREFIX):
                open_ = ext["status"] not in DONE_STATUSES
                req["agency_responsible"] = ext["unit_name"] or ext["unit"]
                req["expected_datetime"] = ext["due_at"] if open_ else None
                if ext["events"]:
                    req["updated_datetime"] = ext["events"][-1]["at"]
            if not extensions:
                req.pop("extended_attributes", None)
            out.append(req)
        return out


def request_key(key_name: str, token: str) -> str:
    """The kernel idempotency key (``County.add_case(request_id=…)``, ``extra.request_id``) of
    the request an API key named ``key_name`` (e.g. ``app-1``) posts with ``token`` (e.g.
    ``t-1``): ``"open311:app-1:t-1"`` — what ``county case add --request-id`` takes for the same
    submission taken in at the counter (issue 14 / 17)."""
    return f"{REQUEST_PREFIX}{key_name}:{token}"


def _read_form(form: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str], str | None]:
    """The form's fields, its ``attribute[CODE]`` values and the first problem (an unknown or
    repeated field), or None."""
    values: dict[str, str] = {}
    attributes: dict[str, str] = {}
    for k, v in form:
        v = v.strip()
        if k.startswith("attribute[") and k.endswith("]"):
            name = k[len("attribute["):-1]
            if name in attributes:
                return {}, {}, f"{k}: given twice"
            if v:
                attributes[name] = v
            continue
        if k not in FORM_FIELDS:
            return {}, {}, f"{k}: not a GeoReport v2 field (fields: {', '.join(FORM_FIELDS)}, attribute[CODE])"
        if k in values:
            return {}, {}, f"{k}: given twice"
        if v:
            values[k] = v
    return values, attributes, None


def _location(values: dict[str, str]) -> tuple[dict, str | None]:
    """The request's place as GeoReport fields (``address``, ``address_id``, ``lat``,
    ``long``), or a problem: the spec needs lat and long, address_string or address_id."""
    lat, lon = values.get("lat"), values.get("long")
    out: dict[str, Any] = {"address": values.get("address_string"), "address_id": values.get("address_id"),
                           "lat": None, "long": None}
    if (lat is None) != (lon is None):
        return out, "lat and long: give both or neither"
    if lat is not None:
        try:
            out["lat"], out["long"] = float(lat), float(lon)
        except ValueError:
            return out, f"lat/long {lat!r}, {lon!r}: not numbers (decimal degrees, WGS84)"
        if not (-90 <= out["lat"] <= 90 and -180 <= out["long"] <= 180) or out["lat"] != out["lat"]:
            return out, f"lat/long {lat}, {lon}: out of range (lat -90…90, long -180…180)"
    elif not out["address"] and not out["address_id"]:
        return out, "a location is required: lat and long, address_string or address_id"
    return out, None


def _datatype(kind) -> str:
    """The GeoReport ``datatype`` of a method field's type (a type or, under postponed
    annotations, its text): yes/no -> singlevaluelist, numbers -> number, dates -> datetime,
    anything else -> string."""
    text = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    parts = {p.rsplit(".", 1)[-1] for p in re.split(r"[|\[\], ]+", text)} - {"", "None", "NoneType", "Optional"}
    if parts == {"bool"}:
        return "singlevaluelist"
    if parts and parts <= {"int", "float"}:
        return "number"
    if parts and parts <= {"date", "datetime"}:
        return "datetime"
    return "string"


def _excerpt(text: str) -> str:
    first = " ".join(text.split())
    return first if len(first) <= TITLE_EXCERPT else first[:TITLE_EXCERPT - 1] + "…"


def _split(value: str) -> list[str]:
    return [v.strip() for v in str(value).split(",") if v.strip()]


def _positive(value: str | None, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        n = int(value)
    except ValueError:
        raise ValueError(f"{name} {value!r}: a whole number from 1") from None
    if n < 1:
        raise ValueError(f"{name} {value!r}: a whole number from 1")
    return n


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
