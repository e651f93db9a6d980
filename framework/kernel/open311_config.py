"""The county file's ``[open311]`` table: which method, category and unit an Open311 GeoReport v2
service code files to (``county open311 serve``, ``county case import --format open311``).

Open311 服务目录：服务代码 → 工作法 / 类别 / 受理单位。

::

    [open311]
    default_method = "taizhang"        # a request whose service names no method
    default_unit = "zj.fx.llg"         # a request whose service names no unit
    rate_limit = 60                    # requests a minute per API key (429 beyond)
    max_body = 65536                   # bytes a POST may carry (413 beyond)
    page_size = 100                    # GET requests: default page size (at most 1000)

    [open311.services.road]
    name = "道路破损"
    description = "路面坑洼、塌陷"
    method = "taizhang"                # default: default_method
    category = "livelihood"            # one of the method's categories
    unit = "zj.fx.llg"                 # default: default_unit
    group = "市政"
    keywords = ["道路", "坑洼"]
    channel = "hotline"                # one of the method's channels (optional)
    attributes = { topic = "问题类别" } # method fields (Case.extra) a client may fill: attribute[topic]

The Deployment keeps the table as parsed TOML (``Deployment.open311``); :func:`parse_open311`
reads it and :func:`open311_problems` checks it against the deployment and the installed
methods (``county init``, ``county config check``: one :class:`Problem` per fault, with line).
"""

from __future__ import annotations

from typing import Any

import attrs

from framework.kernel.config_check import Lines, Problem, suggest

KEYS = ("default_method", "default_unit", "rate_limit", "max_body", "page_size", "services")
SERVICE_KEYS = ("name", "description", "method", "category", "unit", "group", "keywords", "channel", "attributes")
#: requests a minute per API key (and per client address for GETs) — the documented default.
DEFAULT_RATE_LIMIT = 60
#: bytes one POST body may carry (a form of a few fields and a long description fits easily).
DEFAULT_MAX_BODY = 64 * 1024
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@attrs.frozen
class Service:
    """One ``[open311.services.CODE]``: the GeoReport v2 service (``code``, ``name``,
    ``description``, ``group``, ``keywords``) and where its requests go (``method``,
    ``category``, ``unit``, ``channel``; None: the table's defaults). ``attributes``: method
    field (``Case.extra`` key) -> its description, in order; a client fills them as
    ``attribute[KEY]``."""

    code: str
    name: str
    description: str = ""
    method: str | None = None
    category: str | None = None
    unit: str | None = None
    group: str | None = None
    keywords: tuple[str, ...] = ()
    channel: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Open311Settings:
    """The ``[open311]`` table parsed: defaults, limits and the services by code."""

    default_method: str | None = None
    default_unit: str | None = None
    rate_limit: int = DEFAULT_RATE_LIMIT
    max_body: int = DEFAULT_MAX_BODY
    page_size: int = DEFAULT_PAGE_SIZE
    services: dict[str, Service] = attrs.Factory(dict)

    def method_of(self, service: Service) -> str | None:
        """The method a request of ``service`` is taken in by: its own, else ``default_method``."""
        return service.method or self.default_method

    def unit_of(self, service: Service) -> str | None:
        """The unit a request of ``service`` is taken in at: its own, else ``default_unit``."""
        return service.unit or self.default_unit

    def methods(self) -> list[str]:
        """Every method the table names (default first), once each: the methods whose cases
        ``GET requests`` lists."""
        out = [self.default_method] if self.default_method else []
        for s in self.services.values():
            m = self.method_of(s)
            if m and m not in out:
                out.append(m)
        return out


def _int(table: dict, key: str, default: int, least: int, most: int | None, problems: list) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < least or (most is not None and value > most):
        span = f"from {least} to {most}" if most is not None else f">= {least}"
        problems.append((None, key, f"= {value!r}: must be a whole number {span}"))
        return default
    return value


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_open311(table: Any) -> tuple[Open311Settings, list[tuple[str | None, str | None, str]]]:
    """``[open311]`` as :class:`Open311Settings` and what the table alone shows wrong:
    ``(service code or None, key, reason)`` each (unknown keys with did-you-mean, types,
    ranges: ``rate_limit`` >= 1 a minute, ``max_body`` 1 KiB–16 MiB, ``page_size`` 1–1000).
    A service with a problem is left out of the settings. Raises nothing."""
    problems: list[tuple[str | None, str | None, str]] = []
    if not isinstance(table, dict):
        return Open311Settings(), [(None, None, "must be a table: [open311]")]
    for key in table:
        if key not in KEYS:
            problems.append((None, key, f"unknown key{suggest(key, KEYS)} (known: {', '.join(KEYS)})"))
    for key in ("default_method", "default_unit"):
        if key in table and _text(table[key]) is None:
            problems.append((None, key, f"= {table[key]!r}: must be a non-empty name"))
    rate = _int(table, "rate_limit", DEFAULT_RATE_LIMIT, 1, None, problems)
    body = _int(table, "max_body", DEFAULT_MAX_BODY, 1024, 16 * 1024 * 1024, problems)
    page = _int(table, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, problems)
    services: dict[str, Service] = {}
    raw = table.get("services", {})
    if not isinstance(raw, dict):
        problems.append((None, "services", "must hold one table per service code: [open311.services.CODE]"))
        raw = {}
    for code, entry in raw.items():
        service, found = _service(str(code), entry)
        problems += found
        if service is not None:
            services[service.code] = service
    return Open311Settings(_text(table.get("default_method")), _text(table.get("default_unit")), rate, body, page,
                           services), problems


def _service(code: str, entry: Any) -> tuple[Service | None, list[tuple[str | None, str | None, str]]]:
    out: list[tuple[str | None, str | None, str]] = []
    if not code.strip() or any(c in code for c in "/?#") or code != code.strip():
        out.append((code, None, "a service code is non-empty text without /, ? or # and without outer spaces"))
    if not isinstance(entry, dict):
        return None, out + [(code, None, "must be a table with name, method, category…")]
    unknown = [(code, key, f"unknown key{suggest(key, SERVICE_KEYS)} (known: {', '.join(SERVICE_KEYS)})")
               for key in entry if key not in SERVICE_KEYS]  # reported; the service is still checked
    if _text(entry.get("name")) is None:
        out.append((code, "name", "missing: every service needs a name (service_name)"))
    for key in ("description", "method", "category", "unit", "group", "channel"):
        if key in entry and not isinstance(entry[key], str):
            out.append((code, key, f"= {entry[key]!r}: must be text"))
    keywords = entry.get("keywords", [])
    if isinstance(keywords, str):
        keywords = [k.strip() for k in keywords.split(",") if k.strip()]
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        out.append((code, "keywords", "must be a list of words (or one comma-separated text)"))
        keywords = []
    attributes = entry.get("attributes", {})
    if isinstance(attributes, list):
        attributes = {a: a for a in attributes if isinstance(a, str)} if all(isinstance(a, str) for a in attributes) else None
    if not isinstance(attributes, dict) or not all(isinstance(v, str) for v in attributes.values()):
        out.append((code, "attributes", "must be a list of method fields or a table FIELD = \"description\""))
        attributes = {}
    if out:
        return None, out + unknown
    return Service(code=code, name=entry["name"].strip(), description=entry.get("description", "").strip(),
                   method=_text(entry.get("method")), category=_text(entry.get("category")),
                   unit=_text(entry.get("unit")), group=_text(entry.get("group")), keywords=tuple(keywords),
                   channel=_text(entry.get("channel")), attributes=tuple(attributes.items())), unknown


def open311_problems(dep, installed: dict, lines: Lines | None = None,
                     known_units: dict[str, tuple[str, str | None]] | None = None) -> list[Problem]:
    """Problems of a deployment's ``[open311]`` table (``dep.open311``, parsed TOML) against the
    deployment and the installed methods (``installed``: name -> MethodInfo): its own
    (:func:`parse_open311`), then per service a method that is enabled (its own or
    ``default_method``), a category and a channel of that method (when it declares them), a unit
    of the deployment (its own or ``default_unit``; ``known_units`` from the database count too)
    and attributes that are fields of the method's ``extra_type``. Empty for no table."""
    table = getattr(dep, "open311", None)
    if not table:
        return []
    lines = lines or Lines(None)
    settings, found = parse_open311(table)
    out = [_problem(code, key, reason, lines) for code, key, reason in found]
    units = set(known_units or {}) | {u.code for u in dep.units}
    if settings.default_method and settings.default_method not in dep.methods:
        out.append(_problem(None, "default_method", f"{settings.default_method!r} is not enabled in [deployment] methods"
                            f"{suggest(settings.default_method, dep.methods)}", lines))
    if settings.default_unit and settings.default_unit not in units:
        out.append(_problem(None, "default_unit", f"{settings.default_unit!r} is not a unit of this deployment"
                            f"{suggest(settings.default_unit, sorted(units))}", lines))
    for s in settings.services.values():
        method = settings.method_of(s)
        if method is None:
            out.append(_problem(s.code, "method", "missing: name the method, or set [open311] default_method", lines))
        elif s.method and s.method not in dep.methods:
            out.append(_problem(s.code, "method", f"{s.method!r} is not enabled in [deployment] methods"
                                f"{suggest(s.method, dep.methods)}", lines))
        if s.unit and s.unit not in units:
            out.append(_problem(s.code, "unit", f"{s.unit!r} is not a unit of this deployment{suggest(s.unit, sorted(units))}", lines))
        info = installed.get(method) if method in dep.methods else None
        if info is None:
            continue
        for key, value, known in (("category", s.category, info.categories), ("channel", s.channel, info.channels)):
            if value and known and value not in known:
                out.append(_problem(s.code, key, f"{value!r} is not a {key} of {method}{suggest(value, known)} "
                                    f"(use one of: {', '.join(known)})", lines))
        fields = [f.name for f in attrs.fields(info.extra_type)] if info.extra_type is not None else None
        for name, _ in s.attributes:
            if fields is not None and name not in fields:
                out.append(_problem(s.code, "attributes", f"{name!r} is not a field of {method}{suggest(name, fields)} "
                                    f"(fields: {', '.join(fields) or 'none'})", lines))
    return out


def _problem(code: str | None, key: str | None, reason: str, lines: Lines) -> Problem:
    if code is None:
        return Problem("[open311]", key, reason, lines.of("open311", key))
    return Problem(f"[open311.services.{code}]", key, reason,
                   lines.of(f"open311.services.{code}", key) or lines.of("open311", f"services.{code}"))
