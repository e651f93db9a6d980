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
    units: list[Unit] = attrs.Factory(list)
    people: list[Person] = attrs.Factory(list)

    def bound(self, method: str, stage: str) -> str:
        """The method whose rules run ``stage`` for cases taken in by ``method``."""
        return self.bindings.get(f"{method}.{stage}", method)


def load_config(path: str | Path) -> Deployment:
    """Read and validate a deployment TOML file. Raises CountyError (exit 2)."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CountyError(f"--config {path}: file not found") from None
    except UnicodeDecodeError:
        raise CountyError(f"--config {path}: not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise CountyError(f"{path}: malformed TOML: {e}") from None
    return deployment_from_dict(raw, where=str(path))


def deployment_from_dict(raw: dict, where: str = "config") -> Deployment:
    dep = raw.get("deployment")
    if not isinstance(dep, dict):
        raise CountyError(f"{where}: missing the [deployment] table")
    for key in ("name", "code"):
        if not isinstance(dep.get(key), str) or not dep[key].strip():
            raise CountyError(f"{where}: [deployment] {key} must be a non-empty string")
    methods = dep.get("methods", [])
    if not isinstance(methods, list) or not all(isinstance(m, str) for m in methods):
        raise CountyError(f"{where}: [deployment] methods must be a list of plugin names")
    bindings = {}
    for key, value in _flatten(raw.get("bindings", {})).items():
        parts = key.split(".")
        if len(parts) != 2 or parts[1] not in BINDABLE:
            raise CountyError(f"{where}: [bindings] {key}: use METHOD.STAGE with a stage of {', '.join(BINDABLE)} "
                              f"(publicity and appraisal always gather from every enabled method)")
        if not isinstance(value, str):
            raise CountyError(f"{where}: [bindings] {key}: the value must be a method name")
        bindings[key] = value
    cal = raw.get("calendar", {}) or {}
    units, people = [], []
    for i, u in enumerate(raw.get("units", []) or []):
        unit = _structure(Unit, u, f"{where}: [[units]] #{i + 1}")
        if not unit.code.strip() or any(c.isspace() for c in unit.code):
            raise CountyError(f"{where}: [[units]] #{i + 1}: code {unit.code!r} must be non-empty with no spaces (e.g. zj.fx.llg)")
        units.append(unit)
    for i, p in enumerate(raw.get("people", []) or []):
        people.append(_structure(Person, p, f"{where}: [[people]] #{i + 1}"))
    plugins = raw.get("plugins", {}) or {}
    if not isinstance(plugins, dict):
        raise CountyError(f"{where}: [plugins] must be a table of tables")
    areas = _parse_where(raw.get("where", {}), where)
    return Deployment(
        name=dep["name"], code=dep["code"], timezone=dep.get("timezone", "Asia/Shanghai"),
        methods=list(methods), bindings=bindings, plugins=plugins,
        extra_holidays=[str(d) for d in cal.get("extra_holidays", [])],
        extra_workdays=[str(d) for d in cal.get("extra_workdays", [])],
        actor=str(dep.get("actor", "operator")), units=units, people=people,
        templates=(str(dep["templates"]) if dep.get("templates") else None),
        min_cases_to_rank=_int_or_none(dep.get("min_cases_to_rank"), f"{where}: [deployment] min_cases_to_rank", least=1),
        where=areas,
    )


def _parse_where(raw, where: str) -> dict[str, Where]:
    """``[where]``: ``METHOD = ["unit", …]`` (subtrees) or ``METHOD = {units = […], levels = […]}``."""
    if not isinstance(raw, dict):
        raise CountyError(f"{where}: [where] must be a table of METHOD = [unit codes] or METHOD = {{units = […], levels = […]}}")
    out = {}
    for method, value in raw.items():
        key = f"{where}: [where] {method}"
        if isinstance(value, list):
            value = {"units": value}
        if not isinstance(value, dict):
            raise CountyError(f"{key}: give a list of unit codes, or a table with units and/or levels")
        unknown = sorted(set(value) - {"units", "levels"})
        if unknown:
            raise CountyError(f"{key}: unknown key(s) {', '.join(unknown)} (known: units, levels)")
        lists = {}
        for k in ("units", "levels"):
            v = value.get(k, [])
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                raise CountyError(f"{key}: {k} must be a list of non-empty strings")
            lists[k] = [x.strip() for x in v]
        if not lists["units"] and not lists["levels"]:
            raise CountyError(f"{key}: names no unit and no level; leave {method} out of [where] to apply it "
                              f"everywhere, or out of [deployment] methods to apply it nowhere")
        out[method] = Where(**lists)
    return out


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


def _structure(cls, data, where):
    if not isinstance(data, dict):
        raise CountyError(f"{where}: must be a table")
    fields = {f.name for f in attrs.fields(cls)}
    unknown = set(data) - fields
    if unknown:
        raise CountyError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(fields))})")
    try:
        return converter.structure(data, cls)
    except Exception as e:
        missing = [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING and f.name not in data]
        if missing:
            raise CountyError(f"{where}: missing key(s) {', '.join(missing)}") from None
        raise CountyError(f"{where}: {e}") from None


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in (d or {}).items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out
