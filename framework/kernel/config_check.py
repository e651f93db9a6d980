"""Checking a deployment whole, before anything is written (``county init``, ``county config check``).

Every problem is collected, not only the first: each is one :class:`Problem` naming the table,
the key and the reason, and — when the TOML text is at hand — the line. :class:`ConfigError`
carries them all; the CLI prints one ``error:`` line per problem (exit 2) and ``county init``
leaves no database file behind.

What is checked (docs/deployment.md lists every table and key):

* tables and keys: unknown ones are named with the nearest known one (``[[peopel]]`` → did you
  mean ``[[people]]``; ``method`` → ``methods``);
* ``[deployment]``: name and code non-empty, a time zone that exists (IANA name), methods
  installed and not repeated;
* ``[calendar]``: dates as ``YYYY-MM-DD``;
* ``[[units]]``: codes unique and without spaces, parents that exist, no unit its own ancestor,
  levels known (conventions §1's and methods.md §1.1's, the installed methods' tier levels,
  ``[deployment] extra_levels``) and in methods.md §1.1's rank order (a township under a
  village is refused: city > county > township > village, community > group, grid > building >
  household);
* ``[[people]]``: ids unique, a unit that exists, roles known (methods.md §1.3's, the installed
  methods' roles and ``[deployment] extra_roles``);
* ``[plugins.METHOD]``: an enabled method, each key one of its settings, each value of the
  setting's type, choices and range (:class:`framework.models.Setting`);
* ``[bindings]`` and ``[where]``: enabled methods, sound bindings, units and levels that exist;
* ``[deployment] schema``: a format version this kernel reads (:data:`SCHEMAS`);
* ``[[METHOD.TABLE]]``: an enabled method's own tables, each row against the columns the method
  declares (``county_deployment_tables``, :mod:`framework.kernel.deployment_tables`);
* ``[operators]`` (issue 14): ids without spaces, each a table with a non-empty ``name`` and an
  optional ``unit`` that exists; ``[deployment] actor``, when given, one of the ids
  (:func:`framework.kernel.config.parse_operators`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from collections.abc import Iterable
from typing import Any

import attrs

from framework.errors import CountyError
from framework.models import MethodInfo, Setting

#: unit levels: conventions §1's and the casebook glossary's (methods.md §1.1); methods add their
#: tiers' levels (``ledger_office``, ``joint_meeting``…), a deployment its ``extra_levels``.
KNOWN_LEVELS = ("province", "city", "county", "township", "village", "community", "residential_area", "group",
                "grid", "hamlet", "building", "household", "area", "responsibility_zone", "department")
#: methods.md §1.1's rank order (lowest first: household < building < grid | group < village |
#: community < township < county < city): a unit ranks below its parent when both are ranked.
TERRITORIAL_RANK = {"province": 7, "city": 6, "county": 5, "township": 4, "village": 3, "community": 3,
                    "residential_area": 3, "group": 2, "grid": 2, "hamlet": 2, "building": 1, "household": 0}
#: people's roles of the casebook glossary (methods.md §1.3); methods add theirs (MethodInfo.roles),
#: a deployment its ``extra_roles``.
KNOWN_ROLES = ("party_member", "non_post_party_member", "capable_person", "capable_party_member", "party_activist",
               "reserve_cadre", "registered_party_member", "in_service_party_member", "veteran_party_member",
               "party_member_hub_household", "village_party_secretary", "village_head", "village_contact_cadre",
               "stationed_cadre", "graduate_village_official", "agency_cadre", "social_worker", "grid_worker",
               "proxy_agent", "opinion_liaison", "opinion_info_officer", "people_servant", "volunteer")
TABLES = ("deployment", "calendar", "bindings", "plugins", "where", "units", "people", "open311", "operators")
DEPLOYMENT_KEYS = ("name", "code", "timezone", "methods", "actor", "templates", "min_cases_to_rank",
                   "extra_levels", "extra_roles", "schema")
#: the county file's format version (``[deployment] schema``, docs/deployment.md): the ones this
#: kernel reads; a file that leaves it out is read as the newest
SCHEMAS = (1,)
CALENDAR_KEYS = ("extra_holidays", "extra_workdays")


@attrs.frozen
class Problem:
    """One thing wrong with a deployment: ``table`` as written in TOML (``[deployment]``,
    ``[[units]] #3``, ``[plugins.taizhang]``), the ``key`` (or None for the whole table),
    the ``reason`` and the 1-based ``line`` when known."""

    table: str
    key: str | None
    reason: str
    line: int | None = None

    def render(self, source: str) -> str:
        """``county.toml:12: [[units]] #3 level: …`` (the line left out when unknown, the source when
        empty: a deployment handed to the Python API)."""
        where = f"{source}:{self.line}: " if source and self.line else f"{source}: " if source else ""
        key = f" {self.key}" if self.key else ""
        sep = " " if self.reason.startswith("= ") else ": "  # `[plugins.x] days = 9: must be …`
        return f"{where}{self.table}{key}{sep}{self.reason}"


class ConfigError(CountyError):
    """A deployment with problems (exit 2). ``problems`` holds them all; the message has one
    line per problem, each naming file, line, table, key and reason."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source, self.problems = source, list(problems)
        super().__init__("\n".join(p.render(source) for p in self.problems))


def suggest(word: str, known: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the nearest of ``known``, else ``""``."""
    match = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean {match[0]}?)" if match else ""


class Lines:
    """Finds the line of a table or key in the TOML text (``None`` without text or when the
    key sits in an inline table). Tables are ``[name]`` / ``[[name]]`` headers; the i-th
    ``[[units]]`` is the i-th such header."""

    _HEADER = re.compile(r"^\s*\[(\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str | None):
        self.headers: list[tuple[int, str, bool]] = []  # (line, name, array)
        self.lines = (text or "").splitlines()
        for i, line in enumerate(self.lines, 1):
            m = self._HEADER.match(line)
            if m:
                self.headers.append((i, m.group(2).replace(" ", ""), bool(m.group(1))))

    def of(self, table: str, key: str | None = None, index: int | None = None) -> int | None:
        """The line of ``key`` in ``table`` (the ``index``-th, 0-based, of an array of tables),
        else of the table's header, else None."""
        found = [(n, i) for i, (n, name, _) in enumerate(self.headers) if name == table]
        if not found and key is None:  # `[plugin]` written only as `[plugin.taizhang]`
            found = [(n, i) for i, (n, name, _) in enumerate(self.headers) if name.startswith(table + ".")]
        if index is not None:
            found = found[index:index + 1]
        if not found:
            if key is not None and "." in key:  # `[bindings.dianti]` / `deadline = …`
                head, _, last = key.rpartition(".")
                return self.of(f"{table}.{head}", last, index)
            return self._top_key(table) if key is None else None
        start, pos = found[0]
        end = self.headers[pos + 1][0] if pos + 1 < len(self.headers) else len(self.lines) + 1
        if key is not None:  # a dotted key (`dianti.deadline = …`) may be written with spaces or quotes
            dotted = r"\s*\.\s*".join(rf"[\"']?{re.escape(part)}[\"']?" for part in key.split("."))
            pattern = re.compile(rf"^\s*{dotted}\s*=")
            for n in range(start + 1, end):
                if pattern.match(self.lines[n - 1]):
                    return n
            if "." in key:
                head, _, last = key.rpartition(".")
                return self.of(f"{table}.{head}", last, index) or start
        return start

    def _top_key(self, key: str) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for n, line in enumerate(self.lines, 1):
            if self.headers and n >= self.headers[0][0]:
                break
            if pattern.match(line):
                return n
        return None


def setting_problems(info: MethodInfo, values: dict[str, Any]) -> list[tuple[str, str]]:
    """``[plugins.NAME]`` against the method's declared :class:`Setting` s: ``(key, reason)``
    for an unknown key, a value of the wrong type, not among the choices, or out of range."""
    declared = {s.name: s for s in info.settings}
    out: list[tuple[str, str]] = []
    for key, value in values.items():
        setting = declared.get(key)
        if setting is None:
            out.append((key, f"not a setting of {info.name}{suggest(key, declared)} "
                             f"(settings: {', '.join(declared) or 'none'})"))
            continue
        reason = _value_problem(setting, value)
        if reason:
            out.append((key, reason))
    return out


_KIND_NAMES = {int: "a whole number", float: "a number", str: "text", bool: "true or false",
               list: "a list", dict: "a table"}


def _value_problem(setting: Setting, value: Any) -> str | None:
    types = tuple(setting.types) or _types_of(setting.default)
    if types and not _is_a(value, types):
        kinds = " or ".join(dict.fromkeys(_KIND_NAMES.get(t, t.__name__) for t in types))
        return f"= {value!r}: must be {kinds}, like the default {setting.default!r}"
    if setting.choices and value not in setting.choices:
        return f"= {value!r}: must be one of {', '.join(map(repr, setting.choices))}"
    if setting.check is not None:
        reason = setting.check(value)
        if reason:
            return f"= {value!r}: {reason}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if setting.minimum is not None and value < setting.minimum:
            return f"= {value!r}: " + ("must not be negative" if setting.minimum == 0 else f"must be at least {setting.minimum:g}")
        if setting.maximum is not None and value > setting.maximum:
            return f"= {value!r}: must be at most {setting.maximum:g}"
    return None


def _types_of(default: Any) -> tuple:
    if default is None:
        return ()
    if isinstance(default, bool):
        return (bool,)
    if isinstance(default, int):
        return (int,)
    if isinstance(default, float):
        return (int, float)
    for t in (str, list, dict):
        if isinstance(default, t):
            return (t,)
    return ()


def _is_a(value: Any, types: tuple) -> bool:
    if isinstance(value, bool):
        return bool in types
    if isinstance(value, int) and float in types:
        return True
    return isinstance(value, types)


def check_raw(raw: dict, lines: Lines) -> list[Problem]:
    """Problems visible in the parsed TOML alone: unknown tables and keys, types, dates, the
    time zone."""
    out: list[Problem] = []
    dep = raw.get("deployment")
    if not isinstance(dep, dict):
        out.append(Problem("[deployment]", None, "missing: the file needs a [deployment] table with name and code"))
        dep = {}
    enabled = [m for m in dep.get("methods", []) if isinstance(m, str)] if isinstance(dep.get("methods"), list) else []
    for name in raw:
        if name in TABLES or name in enabled:  # [[METHOD.TABLE]]: an enabled method's own tables
            continue
        value = raw[name]
        if isinstance(value, dict) and value and all(isinstance(v, list) for v in value.values()):
            first = next(iter(value))
            out.append(Problem(f"[[{name}.{first}]]", None, f"{name!r} is not enabled in [deployment] methods"
                               f"{suggest(name, enabled)}; a method's tables load only when it is enabled",
                               lines.of(f"{name}.{first}")))
            continue
        out.append(Problem(f"[{name}]", None, f"unknown table{suggest(name, [*TABLES, *enabled])} "
                                              f"(known: {', '.join(TABLES)})",
                           lines.of(name)))
    schema = dep.get("schema", SCHEMAS[-1])
    if isinstance(schema, bool) or schema not in SCHEMAS:
        out.append(Problem("[deployment]", "schema", f"= {schema!r}: this county-methods reads schema "
                           f"{' or '.join(map(str, SCHEMAS))} (docs/deployment.md); a newer file needs a newer "
                           f"county-methods", lines.of("deployment", "schema")))
    for key in dep:
        if key not in DEPLOYMENT_KEYS:
            out.append(Problem("[deployment]", key, f"unknown key{suggest(key, DEPLOYMENT_KEYS)} "
                                                    f"(known: {', '.join(DEPLOYMENT_KEYS)})", lines.of("deployment", key)))
    for key in ("name", "code"):
        if not isinstance(dep.get(key), str) or not dep.get(key, "").strip():
            out.append(Problem("[deployment]", key, "must be a non-empty string", lines.of("deployment", key)))
    tz = dep.get("timezone", "Asia/Shanghai")
    if not isinstance(tz, str) or not _zone_exists(tz):
        out.append(Problem("[deployment]", "timezone", f"{tz!r} is not a time zone (an IANA name such as Asia/Shanghai)",
                           lines.of("deployment", "timezone")))
    for key in ("methods", "extra_levels", "extra_roles"):
        value = dep.get(key, [])
        if not isinstance(value, list) or not all(isinstance(m, str) and m.strip() for m in value):
            out.append(Problem("[deployment]", key, "must be a list of names", lines.of("deployment", key)))
    methods = dep.get("methods", [])
    if isinstance(methods, list):
        for m in sorted({m for m in methods if isinstance(m, str) and methods.count(m) > 1}):
            out.append(Problem("[deployment]", "methods", f"{m!r} is listed more than once", lines.of("deployment", "methods")))
    cal = raw.get("calendar", {})
    if isinstance(cal, dict):
        for key, value in cal.items():
            if key not in CALENDAR_KEYS:
                out.append(Problem("[calendar]", key, f"unknown key{suggest(key, CALENDAR_KEYS)} (known: {', '.join(CALENDAR_KEYS)})",
                                   lines.of("calendar", key)))
                continue
            bad = [d for d in (value if isinstance(value, list) else [value]) if _date(d) is None]
            if not isinstance(value, list) or bad:
                out.append(Problem("[calendar]", key, "must be a list of dates like 2024-10-12"
                                   + (f"; not a date: {', '.join(map(repr, bad))}" if bad else ""), lines.of("calendar", key)))
    else:
        out.append(Problem("[calendar]", None, "must be a table", lines.of("calendar")))
    plugins = raw.get("plugins", {})
    if not isinstance(plugins, dict) or not all(isinstance(v, dict) for v in plugins.values()):
        out.append(Problem("[plugins]", None, "must hold one table per method: [plugins.NAME]", lines.of("plugins")))
    for name in ("units", "people"):
        value = raw.get(name, [])
        if not isinstance(value, list):
            out.append(Problem(f"[[{name}]]", None, f"must be an array of tables ([[{name}]])", lines.of(name)))
    return out


def _zone_exists(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None

