"""The deployment file (conventions §7): ``county init --config county.toml``.

Parsed into :class:`Deployment`; stored in the database at init, so later commands need only
``--db``. Every problem is a one-line :class:`CountyError` naming the file and the key.

Composition (docs/hooks.md §11): :func:`binding_problem` says why a ``[bindings]`` entry breaks
one of the two methods, from their :class:`~framework.models.StageRule` declarations;
:class:`Where` and :func:`area_of` say where a method applies (``[where]``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import attrs

from framework.errors import CountyError
from framework.kernel.config_check import (
    ConfigError,
    Lines,
    Problem,
    check_raw,
    suggest,
)
from framework.kernel.deployment_tables import parse_tables
from framework.models import BINDABLE_STAGES, MethodInfo, Person, Unit, converter

BINDABLE = BINDABLE_STAGES


@attrs.define
class Where:
    """Where a method applies (``[where] METHOD = …``): the subtrees of ``units`` (unit codes;
    empty: the whole tree), narrowed by ``levels`` to the subtrees of the units of those levels
    inside them (empty: no narrowing). A method left out of ``[where]`` applies everywhere."""

    units: list[str] = attrs.Factory(list)
    levels: list[str] = attrs.Factory(list)

    def describe(self) -> str:
        """The entry as TOML, for messages: ``["zj.fx"]`` or ``{units = ["zj.fx"], levels = ["village"]}``."""
        def show(xs):
            return "[" + ", ".join(f'"{x}"' for x in xs) + "]"
        if not self.levels:
            return show(self.units)
        parts = ([f"units = {show(self.units)}"] if self.units else []) + [f"levels = {show(self.levels)}"]
        return "{" + ", ".join(parts) + "}"


@attrs.define
class Operator:
    """One operator (操作员) of the deployment (``[operators]``, issue 14): the identity every
    event they write carries (``COUNTY_ACTOR`` = ``id``). ``unit``: the office they work in
    (optional, a unit code)."""

    id: str
    name: str
    unit: str | None = None


@attrs.define
class Deployment:
    """One county's configuration: name, id prefix, zone, enabled methods, bindings, plugin
    settings, calendar overrides, operator name (``actor``) and its unit tree and people."""

    name: str
    code: str
    timezone: str = "Asia/Shanghai"
    methods: list[str] = attrs.Factory(list)
    bindings: dict[str, str] = attrs.Factory(dict)  # "dianti.deadline" -> "taizhang"
    plugins: dict[str, dict[str, Any]] = attrs.Factory(dict)
    extra_holidays: list[str] = attrs.Factory(list)
    extra_workdays: list[str] = attrs.Factory(list)
    actor: str = "operator"
    templates: str | None = None  # a folder of Jinja2 templates overriding the boards' (docs/boards.md)
    min_cases_to_rank: int | None = None  # appraisal: fewer cases and a unit is not ranked (default 5)
    where: dict[str, Where] = attrs.Factory(dict)  # "shequ365" -> Where(levels=["community"]); absent: everywhere
    extra_levels: list[str] = attrs.Factory(list)  # unit levels beyond conventions §1's and the methods' tiers
    extra_roles: list[str] = attrs.Factory(list)  # people's roles beyond the installed methods'
    unparsed_units: list[str] = attrs.Factory(list)  # codes of [[units]] with a problem of their own (not stored)
    units: list[Unit] = attrs.Factory(list)
    people: list[Person] = attrs.Factory(list)
    open311: dict[str, Any] = attrs.Factory(dict)  # [open311] as parsed TOML (framework.kernel.open311_config)
    operators: list[Operator] = attrs.Factory(list)  # [operators]: who may act (issue 14); empty: the free `actor`
    # the methods' own tables: "dianti.members" -> its [[dianti.members]] rows, and each row's line
    # (framework/kernel/deployment_tables.py); loaded by init, never stored in the database's meta
    tables: dict[str, list[dict]] = attrs.Factory(dict)
    table_lines: dict[str, list[int | None]] = attrs.Factory(dict)

    def bound(self, method: str, stage: str) -> str:
        """The method whose rules run ``stage`` for cases taken in by ``method``."""
        return self.bindings.get(f"{method}.{stage}", method)


def methods_needed(stored: Any) -> list[str] | None:
    """The methods a stored deployment needs loaded: those ``[deployment] methods`` enables and
    those ``[bindings]`` lend a stage to (``dianti.deadline = "taizhang"``), in that order.

    :param stored: the deployment as the database keeps it (``store.get_meta("deployment")``:
        a dict with ``methods`` and ``bindings``), or None.
    :returns: the names, or None when ``stored`` is not such a dict (then load every installed
        method and let the County say what is wrong).
    """
    if not isinstance(stored, dict) or not isinstance(stored.get("methods"), list):
        return None
    bindings = stored.get("bindings") if isinstance(stored.get("bindings"), dict) else {}
    return list(dict.fromkeys([*map(str, stored["methods"]), *map(str, bindings.values())]))


def load_config(path: str | Path) -> Deployment:
    """Read a deployment TOML file and check what the file alone shows (tables, keys, types,
    dates, time zone, records). Raises CountyError for an unreadable file and
    :class:`~framework.kernel.config_check.ConfigError` (exit 2) with every problem, each
    naming file, line, table and key. The checks against the installed methods run in
    ``County.init`` (and ``county config check``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CountyError(f"--config {path}: file not found") from None
    except UnicodeDecodeError:
        raise CountyError(f"--config {path}: not UTF-8 text; save it as UTF-8") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CountyError(f"{path}: malformed TOML: {e}") from None
    dep, problems = parse_deployment(raw, Lines(text))
    if problems:
        raise ConfigError(str(path), problems)
    return dep


def deployment_from_dict(raw: dict, where: str = "config") -> Deployment:
    """:func:`parse_deployment` for a dict (tests, the Python API): the Deployment, or
    ConfigError naming every problem."""
    dep, problems = parse_deployment(raw, Lines(None))
    if problems:
        raise ConfigError(where, problems)
    return dep


def parse_deployment(raw: dict, lines: Lines) -> tuple[Deployment | None, list[Problem]]:
    """The parsed TOML as a :class:`Deployment` and every problem the file alone shows
    (:func:`~framework.kernel.config_check.check_raw`, then each ``[[units]]`` / ``[[people]]``
    record's keys and types, ``[bindings]``, ``[where]`` and the shape of each enabled method's
    ``[[METHOD.TABLE]]`` rows — their columns are checked against the method's declaration in
    :func:`~framework.kernel.deployment_check.check_deployment`). The Deployment holds the records
    that parsed (so later checks see them) and is None when ``[deployment]`` is unusable."""
    problems = check_raw(raw, lines)
    dep = raw.get("deployment") if isinstance(raw.get("deployment"), dict) else {}
    bindings = {}
    for key, value in _flatten(raw.get("bindings", {}) if isinstance(raw.get("bindings"), dict) else {}).items():
        parts = key.split(".")
        if len(parts) != 2 or parts[1] not in BINDABLE:
            problems.append(Problem("[bindings]", key, f"use METHOD.STAGE with a stage of {', '.join(BINDABLE)} "
                                    f"(publicity and appraisal always gather from every enabled method)",
                                    lines.of("bindings", key)))
        elif not isinstance(value, str):
            problems.append(Problem("[bindings]", key, "the value must be a method name", lines.of("bindings", key)))
        else:
            bindings[key] = value
    records, unparsed = {}, []
    for name, cls in (("units", Unit), ("people", Person)):
        records[name] = []
        items = raw.get(name, [])
        for i, item in enumerate(items if isinstance(items, list) else []):
            obj, problem = _structure(cls, item, f"[[{name}]] #{i + 1}")
            if problem:
                key, reason = problem
                problems.append(Problem(f"[[{name}]] #{i + 1}", key, reason, lines.of(name, key, index=i)))
                if name == "units" and isinstance(item, dict) and isinstance(item.get("code"), str):
                    unparsed.append(item["code"])  # its children and people are not told it is unknown
            else:
                records[name].append(obj)
    areas, where_problems = _parse_where(raw.get("where", {}))
    problems += [Problem("[where]", method, reason, lines.of("where", method)) for method, reason in where_problems]
    try:
        rank = _int_or_none(dep.get("min_cases_to_rank"), "must be a whole number >= 1", least=1)
    except CountyError as e:
        problems.append(Problem("[deployment]", "min_cases_to_rank", str(e), lines.of("deployment", "min_cases_to_rank")))
        rank = None
    tables, table_lines, table_problems = parse_tables(raw, _names(dep.get("methods")), lines)
    problems += table_problems
    operators, operator_problems = parse_operators(raw.get("operators", {}), lines)
    problems += operator_problems
    if operators and "actor" in dep and dep["actor"] not in {o.id for o in operators}:
        problems.append(Problem("[deployment]", "actor", f"= {dep['actor']!r}: not an operator of [operators] "
                                f"(operators: {', '.join(o.id for o in operators)})", lines.of("deployment", "actor")))
    if not all(isinstance(dep.get(k), str) and dep[k].strip() for k in ("name", "code")):
        return None, problems
    cal = raw.get("calendar", {}) if isinstance(raw.get("calendar"), dict) else {}
    plugins = raw.get("plugins", {}) if isinstance(raw.get("plugins"), dict) else {}

    def names(key):
        value = dep.get(key, [])
        return [m for m in value if isinstance(m, str)] if isinstance(value, list) else []

    return Deployment(
        name=dep["name"], code=dep["code"], timezone=str(dep.get("timezone", "Asia/Shanghai")),
        methods=names("methods"), bindings=bindings, plugins={k: v for k, v in plugins.items() if isinstance(v, dict)},
        extra_holidays=[str(d) for d in cal.get("extra_holidays", []) if isinstance(cal.get("extra_holidays"), list)],
        extra_workdays=[str(d) for d in cal.get("extra_workdays", []) if isinstance(cal.get("extra_workdays"), list)],
        actor=str(dep.get("actor", "operator")), units=records["units"], people=records["people"],
        templates=(str(dep["templates"]) if dep.get("templates") else None),
        min_cases_to_rank=rank, where=areas, extra_levels=names("extra_levels"), extra_roles=names("extra_roles"),
        unparsed_units=unparsed,
        open311=raw["open311"] if isinstance(raw.get("open311"), dict) else {},
        tables=tables, table_lines=table_lines, operators=operators,
    ), problems


#: The keys of one ``[operators]`` entry.
OPERATOR_KEYS = ("name", "unit")


def parse_operators(raw: Any, lines: Lines) -> tuple[list[Operator], list[Problem]]:
    """``[operators]``: ``ID = {name = "张某", unit = "zj.fx"}`` (or ``[operators.ID]`` with
    ``name`` and ``unit`` keys) — the operator list (issue 14). Returns the operators that parse
    and one Problem per bad entry (id with spaces, not a table, unknown key, missing or empty
    name, a unit that is not text); whether the unit exists is checked in
    :func:`~framework.kernel.deployment_check.check_deployment`."""
    if not isinstance(raw, dict):
        return [], [Problem("[operators]", None, "must be a table of ID = {name = \"…\", unit = \"…\"}",
                            lines.of("operators"))]
    out, problems = [], []
    for op_id, value in raw.items():
        line = lines.of("operators", op_id)
        if not op_id.strip() or any(c.isspace() for c in op_id):
            problems.append(Problem("[operators]", op_id, "an operator id is non-empty with no spaces (e.g. fx-zhang)", line))
            continue
        if not isinstance(value, dict):
            problems.append(Problem("[operators]", op_id, f"= {value!r}: give a table {{name = \"…\", unit = \"…\"}}", line))
            continue
        unknown = sorted(set(value) - set(OPERATOR_KEYS))
        if unknown:
            problems.append(Problem("[operators]", op_id, f"unknown key(s) {', '.join(unknown)}"
                                    f"{suggest(unknown[0], OPERATOR_KEYS)} (known: {', '.join(OPERATOR_KEYS)})", line))
            continue
        name, unit = value.get("name"), value.get("unit")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem("[operators]", op_id, "name: must be non-empty text (the operator's name)", line))
        elif unit is not None and (not isinstance(unit, str) or not unit.strip()):
            problems.append(Problem("[operators]", op_id, f"unit = {unit!r}: must be a unit code", line))
        else:
            out.append(Operator(op_id, name.strip(), unit))
    return out, problems


def _names(value) -> list[str]:
    return [m for m in value if isinstance(m, str)] if isinstance(value, list) else []


def _parse_where(raw) -> tuple[dict[str, Where], list[tuple[str | None, str]]]:
    """``[where]``: ``METHOD = ["unit", …]`` (subtrees) or ``METHOD = {units = […], levels = […]}``.
    Returns the entries that parse and ``(method, reason)`` for each that does not."""
    if not isinstance(raw, dict):
        return {}, [(None, "must be a table of METHOD = [unit codes] or METHOD = {units = […], levels = […]}")]
    out, problems = {}, []
    for method, value in raw.items():
        if isinstance(value, list):
            value = {"units": value}
        if not isinstance(value, dict):
            problems.append((method, "give a list of unit codes, or a table with units and/or levels"))
            continue
        unknown = sorted(set(value) - {"units", "levels"})
        if unknown:
            problems.append((method, f"unknown key(s) {', '.join(unknown)} (known: units, levels)"))
            continue
        lists = {}
        for k in ("units", "levels"):
            v = value.get(k, [])
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                problems.append((method, f"{k} must be a list of non-empty strings"))
                break
            lists[k] = [x.strip() for x in v]
        else:
            if not lists["units"] and not lists["levels"]:
                problems.append((method, f"names no unit and no level; leave {method} out of [where] to apply it "
                                         f"everywhere, or out of [deployment] methods to apply it nowhere"))
            else:
                out[method] = Where(**lists)
    return out, problems


def binding_problem(src: MethodInfo, stage: str, tgt: MethodInfo) -> str | None:
    """Why ``[bindings] SRC.STAGE = "TGT"`` breaks a method, as the tail of a one-line error, or
    None when the binding is sound. Reads both declarations (``MethodInfo.stage_rules``) alike
    for every method: first what ``src`` asks of the method bound there (``keep``, ``tiers``,
    ``first_tier``, ``first_level``), then whether ``tgt``'s hook serves other methods' cases
    (``lend``) — for a deadline binding with more than one tier also ``tgt``'s assignment,
    which the kernel asks at the later tiers of ``tgt``'s chain."""
    if src.name == tgt.name:
        return None
    rule = src.stage_rules.get(stage)
    if rule is not None:
        chain = [t.name for t in tgt.tiers]
        shown = " → ".join(chain)
        if rule.keep:
            return f"{src.name} keeps its own {stage} — {rule.reason}"
        missing = [t for t in rule.tiers if t not in chain]
        if missing:
            return (f"{src.name} needs tier {', '.join(missing)} in the chain of the method running its {stage}, "
                    + (f"and {tgt.name}'s chain is {shown}" if chain else f"and {tgt.name} has no tier chain")
                    + f" — {rule.reason}")
        if rule.first_tier and (not chain or chain[0] != rule.first_tier):
            return (f"{src.name} needs a chain starting at tier {rule.first_tier}, "
                    + (f"and {tgt.name}'s starts at {chain[0]}" if chain else f"and {tgt.name} has no tier chain")
                    + f" — {rule.reason}")
        if rule.first_level and (not chain or tgt.tiers[0].level not in rule.first_level):
            first = tgt.tiers[0] if chain else None
            return (f"{src.name} needs a chain whose first tier is served by a {' or '.join(rule.first_level)}, "
                    + (f"and {tgt.name}'s first tier {first.name} is served by a {first.level}" if first
                       else f"and {tgt.name} has no tier chain")
                    + f" — {rule.reason}")
    own = tgt.stage_rules.get(stage)
    if own is not None and not own.lend:
        return f"{tgt.name}'s {stage} serves only {tgt.name}'s own cases, not {src.name}'s — {own.reason}"
    if stage == "deadline" and len(tgt.tiers) > 1:
        own = tgt.stage_rules.get("assignment")
        if own is not None and not own.lend:
            return (f"{tgt.name}'s chain brings its assignment at the later tiers, which serves only "
                    f"{tgt.name}'s own cases, not {src.name}'s — {own.reason}")
    return None


def area_of(where: Where, units: dict[str, Unit]) -> set[str]:
    """The unit codes where a method with this ``[where]`` applies: the subtrees of its units
    (all roots when none are named), narrowed to the subtrees of the units of ``levels``."""
    children: dict[str | None, list[str]] = {}
    for u in units.values():
        children.setdefault(u.parent, []).append(u.code)
    tops = [c for c in where.units if c in units] if where.units else list(children.get(None, []))
    anchors, stack = [], list(tops)
    seen: set[str] = set()
    while stack:  # the units of ``levels`` inside the named subtrees, highest first
        c = stack.pop()
        if c in seen:
            continue
        seen.add(c)
        if not where.levels or units[c].level in where.levels:
            anchors.append(c)
        else:
            stack.extend(children.get(c, []))
    area: set[str] = set()
    stack = list(anchors)
    while stack:
        c = stack.pop()
        if c not in area:
            area.add(c)
            stack.extend(children.get(c, []))
    return area


def reach_of(area: set[str], units: dict[str, Unit], later_levels: set[str]) -> set[str]:
    """The units a method takes part in: its ``area``, every unit above a unit of it (a township
    or the county whose subtree holds some of it), and the units whose level serves a later tier
    of the method's chain (``later_levels``: cases arrive there by escalation — a township, the
    三账办, a department) with the units above them."""
    out: set[str] = set()
    starts = list(area) + [c for c, u in units.items() if u.level in later_levels]
    for c in starts:
        while c and c not in out:
            out.add(c)
            u = units.get(c)
            c = u.parent if u else None
    return out


def _int_or_none(value, where, least: int = 0):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise CountyError(f"{where}: must be a whole number >= {least}")
    return value


def _structure(cls, data, where) -> tuple[Any, tuple[str | None, str] | None]:
    """``(record, None)`` or ``(None, (key, reason))`` for one ``[[units]]`` / ``[[people]]`` table."""
    if not isinstance(data, dict):
        return None, (None, "must be a table")
    fields = [f.name for f in attrs.fields(cls)]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        return None, (unknown[0], f"unknown key(s) {', '.join(unknown)}{suggest(unknown[0], fields)} (known: {', '.join(fields)})")
    missing = [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING and f.name not in data]
    if missing:
        return None, (None, f"missing key(s) {', '.join(missing)}")
    for f in attrs.fields(cls):
        value = data.get(f.name)
        if f.name in data and f.type in (str, "str") and not isinstance(value, str):
            return None, (f.name, f"= {value!r}: must be text")
        if f.name in data and str(f.type).startswith("list") and not (
                isinstance(value, list) and all(isinstance(x, str) for x in value)):
            return None, (f.name, f"= {value!r}: must be a list of names")
    try:
        return converter.structure(data, cls), None
    except Exception as e:
        return None, (None, str(e))


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in (d or {}).items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out
