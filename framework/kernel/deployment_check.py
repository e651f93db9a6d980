"""The deployment checked against the installed methods, whole (``county init``, ``county
config check``): methods, units, people, settings, bindings, where — every problem at once
(:class:`~framework.kernel.config_check.Problem`), before anything is written.

:func:`check_config` reads a file: the TOML's own problems (:func:`check_raw`, the records'
keys and types) and these, in one list, each with its line.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import attrs

from framework.errors import CountyError
from framework.kernel.config import Deployment, binding_problem, parse_deployment
from framework.kernel.config_check import (
    KNOWN_LEVELS,
    KNOWN_ROLES,
    TERRITORIAL_RANK,
    Lines,
    Problem,
    setting_problems,
    suggest,
)
from framework.kernel.deployment_tables import declared_tables, table_problems
from framework.kernel.open311_config import open311_problems
from framework.kernel.stages import require_method
from framework.models import MethodInfo, converter


def check_config(path: str | Path, registry, known_units: dict[str, tuple[str, str | None]] | None = None,
                 *, option: str = "--config") -> tuple[Deployment | None, list[Problem]]:
    """Read the deployment file at ``path`` and check it whole: ``(deployment, problems)``;
    the deployment is None when the file cannot be read or parsed at all. Raises nothing for
    the file's content (a missing or unreadable file is a CountyError, exit 2, naming it as
    ``option`` gave it: ``--config county.toml: file not found``, or ``FILE county.toml: …``
    for ``county config check``'s argument)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CountyError(f"{option} {path}: file not found") from None
    except UnicodeDecodeError:
        raise CountyError(f"{option} {path}: not UTF-8 text; save it as UTF-8") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        return None, [Problem("malformed TOML", None, str(e), int(m.group(1)) if m else None)]
    lines = Lines(text)
    dep, problems = parse_deployment(raw, lines)
    if dep is not None:
        problems += check_deployment(dep, registry, lines, known_units)
    return dep, problems


def check_deployment(dep, registry, lines: Lines | None = None,
                     known_units: dict[str, tuple[str, str | None]] | None = None) -> list[Problem]:
    """Problems of a parsed :class:`~framework.kernel.config.Deployment` against the installed
    methods (``registry``): methods, units (with ``known_units``: code -> (level, parent) of
    units already in the database, which count as parents), people, settings, bindings, where,
    and each enabled method's ``[[METHOD.TABLE]]`` rows against its declared columns."""
    lines = lines or Lines(None)
    out: list[Problem] = []
    installed: dict[str, MethodInfo] = dict(registry.methods)
    for m in dep.methods:
        if m not in installed:
            try:
                require_method(registry, m)
            except CountyError as e:  # broken, skipped (COUNTY_DISABLE_PLUGINS) or not installed: its own words
                out.append(Problem("[deployment]", "methods", f"{e}{suggest(m, installed) if 'not installed' in str(e) else ''}",
                                   lines.of("deployment", "methods")))
    enabled = {m: installed[m] for m in dep.methods if m in installed}
    out += _unit_problems(dep, installed, lines, known_units or {})
    out += _people_problems(dep, installed, lines, known_units or {})
    for name, values in dep.plugins.items():
        table = f"[plugins.{name}]"
        if name not in dep.methods:
            out.append(Problem(table, None, f"{name!r} is not enabled in [deployment] methods{suggest(name, dep.methods)}",
                               lines.of(f"plugins.{name}")))
        elif name in enabled and isinstance(values, dict):
            out += [Problem(table, key, reason, lines.of(f"plugins.{name}", key))
                    for key, reason in setting_problems(enabled[name], values)]
    out += _binding_problems(dep, enabled, lines)
    out += _where_problems(dep, lines, known_units or {})
    if dep.tables:  # [[METHOD.TABLE]] rows against the columns each method declares
        out += table_problems(dep, declared_tables(registry, list(enabled)), lines,
                              set(known_units or {}) | {u.code for u in dep.units} | set(dep.unparsed_units), set(enabled))
    out += open311_problems(dep, installed, lines, known_units)  # [open311] (framework.kernel.open311_config)
    out += _operator_problems(dep, lines, known_units or {})  # [operators] (issue 14)
    return out


def _operator_problems(dep, lines, known) -> list[Problem]:
    """``[operators]``: each operator's unit, when given, is a unit of the deployment."""
    units = set(known) | {u.code for u in dep.units} | set(dep.unparsed_units)
    return [Problem("[operators]", o.id, f"unit {o.unit!r} is not a unit of this deployment{suggest(o.unit, units)}",
                    lines.of("operators", o.id))
            for o in getattr(dep, "operators", []) if o.unit is not None and o.unit not in units]


def operator_warning(dep) -> str | None:
    """The one-line warning for a deployment without ``[operators]`` (issue 14): its events
    carry whatever name ``COUNTY_ACTOR`` or ``[deployment] actor`` gives. None when it lists
    operators."""
    if getattr(dep, "operators", None):
        return None
    return (f"[operators]: none listed, so events record any name COUNTY_ACTOR gives (else [deployment] actor = "
            f"{dep.actor!r}); list the operators (docs/deployment.md) so every event names a known operator")


def tier_warnings(dep, registry, known_units: dict[str, tuple[str, str | None]] | None = None) -> list[str]:
    """Warnings, not problems (issue 14): one line per enabled method and tier of its chain
    (the tiers of the method bound to its ``deadline`` stage) whose unit level no unit of the
    deployment (or of ``known_units``, code -> (level, parent) already in the database) has —
    a case escalated there would have no handler, e.g. ``taizhang's tier ledger_office
    (县三账办) has no unit of level ledger_office: escalations there will have no handler``.
    ``county init`` prints them; at run time such a case records why it has nobody
    (:meth:`framework.kernel.lifecycle.CaseLifecycle._arrive_stages`)."""
    levels = {u.level for u in dep.units} | {lv for lv, _ in (known_units or {}).values()}
    out: list[str] = []
    for m in dep.methods:
        try:
            chain = registry.methods[dep.bound(m, "deadline")]
        except (KeyError, CountyError):
            continue  # not installed: a problem of its own
        for t in chain.tiers:
            if t.level not in levels:
                out.append(f"{m}'s tier {t.name} ({t.title_zh}) has no unit of level {t.level}: "
                           f"escalations there will have no handler")
    return out


def holder_warnings(county) -> list[str]:
    """Warnings, not problems: for each enabled method assigning by its own chain, each tier
    with a ``holder`` role (:class:`~framework.models.Tier`) and each unit of that tier's level
    where the method applies, one line when the unit has no person or several holding the role —
    its cases there are then taken in with no handler and the operator assigns one (a fresh
    integrator moved a village secretary and new cases went unassigned, silently), e.g.
    ``taizhang's tier village (村(社区)): 和头村 qs.hx.ht has no village_party_secretary — its
    cases there get no handler``. ``county`` is the County after the file is applied."""
    out: list[str] = []
    holders: dict[tuple[str, str], int] = {}
    for p in county.people.values():
        for role in p.roles or ():
            holders[(p.unit, role)] = holders.get((p.unit, role), 0) + 1
    for m in county.deployment.methods:
        if county.deployment.bound(m, "assignment") != m or county.deployment.bound(m, "deadline") != m:
            continue  # another method's rules pick the handler or the tiers
        info = county.registry.methods.get(m)
        for t in info.tiers if info is not None else ():
            if not t.holder:
                continue
            for u in county.units.values():
                if u.level != t.level or not county.applies_at(m, u.code):
                    continue
                n = holders.get((u.code, t.holder), 0)
                if n != 1:
                    out.append(f"{m}'s tier {t.name} ({t.title_zh}): {u.name} {u.code} has "
                               f"{'no' if n == 0 else n} {t.holder} — its cases there get no handler "
                               f"(the operator assigns one)")
    return out


def _unit_problems(dep, installed, lines, known) -> list[Problem]:
    out: list[Problem] = []
    levels = set(KNOWN_LEVELS) | {t.level for info in installed.values() for t in info.tiers} | set(dep.extra_levels)
    first: dict[str, int] = {}
    for i, u in enumerate(dep.units):
        table, at = f"[[units]] #{i + 1}", lambda key, i=i: lines.of("units", key, index=i)
        if not u.code.strip() or any(c.isspace() for c in u.code):
            out.append(Problem(table, "code", f"{u.code!r} must be non-empty with no spaces (e.g. zj.fx.llg)", at("code")))
        if u.code in first:
            out.append(Problem(table, "code", f"{u.code!r} is also unit #{first[u.code] + 1}: codes must be unique", at("code")))
        else:
            first[u.code] = i
        if u.level not in levels:
            out.append(Problem(table, "level", f"{u.level!r} is not a known level{suggest(u.level, levels)} (known: "
                               f"{', '.join(sorted(levels))}; add it to [deployment] extra_levels)", at("level")))
    parent = {c: p for c, (_, p) in known.items()} | {u.code: u.parent for u in dep.units}
    level = {c: lv for c, (lv, _) in known.items()} | {u.code: u.level for u in dep.units}
    reported: set[str] = set()
    for i, u in enumerate(dep.units):
        table, at = f"[[units]] #{i + 1}", lines.of("units", "parent", index=i)
        if first.get(u.code) != i or not u.parent or u.code in reported:  # a cycle is named once
            continue
        if u.parent == u.code:
            out.append(Problem(table, "parent", f"{u.code!r} is its own parent", at))
            continue
        if u.parent not in parent and u.parent not in dep.unparsed_units:
            out.append(Problem(table, "parent", f"{u.parent!r} is not a unit of this deployment"
                               f"{suggest(u.parent, [c for c in parent if c != u.code])}", at))
            continue
        path, c = [u.code], u.parent
        while c and c not in path and c in parent:
            path.append(c)
            c = parent[c]
        if c == u.code and u.code not in reported:
            reported.update(path)
            out.append(Problem(table, "parent", "a cycle: " + " → ".join(path + [u.code]) + " (a unit cannot be its own ancestor)", at))
            continue
        mine, theirs = TERRITORIAL_RANK.get(u.level), TERRITORIAL_RANK.get(level.get(u.parent))
        if mine is not None and theirs is not None and mine >= theirs:
            out.append(Problem(table, "level", f"a {u.level} cannot sit under the {level[u.parent]} {u.parent!r} "
                               f"(methods.md §1.1: city > county > township > village, community > group, grid > building > household)", lines.of("units", "level", index=i)))
    return out


def _people_problems(dep, installed, lines, known) -> list[Problem]:
    out: list[Problem] = []
    roles = set(KNOWN_ROLES) | {r for info in installed.values() for r in info.roles} | set(dep.extra_roles)
    units = set(known) | {u.code for u in dep.units} | set(dep.unparsed_units)
    first: dict[str, int] = {}
    for i, p in enumerate(dep.people):
        table = f"[[people]] #{i + 1}"
        if p.id in first:
            out.append(Problem(table, "id", f"{p.id!r} is also person #{first[p.id] + 1}: ids must be unique",
                               lines.of("people", "id", index=i)))
        else:
            first[p.id] = i
        if p.unit not in units:
            out.append(Problem(table, "unit", f"{p.unit!r} is not a unit of this deployment{suggest(p.unit, units)}",
                               lines.of("people", "unit", index=i)))
        unknown = [r for r in p.roles if r not in roles]
        if unknown:
            out.append(Problem(table, "roles", f"unknown role(s) {', '.join(map(repr, unknown))}"
                               f"{suggest(unknown[0], roles)} (methods.md §1.3's roles and the installed methods', or add them to "
                               f"[deployment] extra_roles)", lines.of("people", "roles", index=i)))
    return out


def _binding_problems(dep, enabled, lines) -> list[Problem]:
    out: list[Problem] = []
    for key, target in dep.bindings.items():
        src, stage = key.split(".")
        missing = [(name, what) for name, what in ((src, "bound method"), (target, "binding target"))
                   if name not in dep.methods]
        line = lines.of("bindings", key)
        for name, what in missing:
            out.append(Problem("[bindings]", key, f"= {target!r}: {what} {name!r} is not enabled in [deployment] methods", line))
        if not missing and src in enabled and target in enabled:
            problem = binding_problem(enabled[src], stage, enabled[target])
            if problem:
                out.append(Problem("[bindings]", key, f"= {target!r}: {problem}", line))
    return out


def _where_problems(dep, lines, known) -> list[Problem]:
    out: list[Problem] = []
    levels_of = {c: lv for c, (lv, _) in known.items()} | {u.code: u.level for u in dep.units}
    for method, w in dep.where.items():
        line = lines.of("where", method)
        if method not in dep.methods:
            out.append(Problem("[where]", method, f"method {method!r} is not enabled in [deployment] methods", line))
        for code in w.units:
            if code not in levels_of:
                out.append(Problem("[where]", method, f"unit {code!r} is not a unit of this deployment{suggest(code, levels_of)}", line))
        for level in w.levels:
            if level not in levels_of.values():
                out.append(Problem("[where]", method, f"no unit has level {level!r} (levels: "
                                   f"{', '.join(sorted(set(levels_of.values()))) or 'none'})", line))
    return out


class _RowLines:
    """The line of each row of an imported file, in :class:`Lines`' shape."""

    def __init__(self, lines: list[int]):
        self.lines = lines

    def of(self, table: str, key: str | None = None, index: int | None = None) -> int | None:
        return self.lines[index] if index is not None and index < len(self.lines) else None


def tree_problems(dep: Deployment, registry, units_now: dict, units=(), people=(), lines=(), where: str = "") -> list[str]:
    """The unit and people rules of :func:`check_deployment` for the rows of an imported file
    (``county units import`` / ``people import``, ``ctx.actions.import_units``): ``units`` /
    ``people`` are the merged records of the file's rows, ``units_now`` the tree loaded
    before; one ``FILE:LINE: key: reason`` string per problem."""
    codes = {u.code for u in units}
    known = {c: (u.level, u.parent) for c, u in units_now.items() if c not in codes}
    view = attrs.evolve(dep, units=list(units), people=list(people))
    installed = dict(registry.methods)
    found = (_unit_problems(view, installed, _RowLines(list(lines)), known) if units else []) + \
            (_people_problems(view, installed, _RowLines(list(lines)), known) if people else [])
    out = []
    for p in found:
        sep = " " if p.reason.startswith("= ") else ": "
        out.append(f"{where}: line {p.line}: {p.key}{sep}{p.reason}" if p.key else f"{where}: line {p.line}: {p.reason}")
    return out


#: [deployment] fields an existing database's cases depend on: changing them is refused while
#: cases exist (``county init --force`` accepts it)
_BOUND_TO_CASES = {
    "code": "the case ids' prefix ({old}-000001 → {new}-…): existing and new cases would be numbered apart",
    "timezone": "the due instants of the existing cases were computed in {old}; new ones would be in {new}",
}


def deployment_changes(old: dict | None, new: Deployment, store) -> tuple[list[str], list[str]]:
    """What re-applying ``new`` to a database whose stored deployment is ``old`` (the meta
    record, a dict; None for a new database) changes — ``(changes, refusals)``, one line each.

    ``changes`` name every changed field of the county file's own tables: name, code, time
    zone, methods added or dropped, each setting ``[plugins.M] KEY`` old → new, bindings, where,
    calendar, operators, actor. ``refusals`` are the changes that would leave existing cases
    inconsistent: the code or the time zone while cases exist, a method dropped while it has
    open cases (its cases would be swept and shown by no one)."""
    if not old:
        return [], []
    changes, refusals = [], []
    cases = store.db["cases"].exists() and store.db.execute("select count(*) from cases").fetchone()[0] or 0
    for key in ("name", "code", "timezone", "actor"):
        before, after = old.get(key), getattr(new, key)
        if before is not None and before != after:
            changes.append(f"[deployment] {key}: {before!r} → {after!r}")
            if key in _BOUND_TO_CASES and cases:
                refusals.append(f"[deployment] {key}: {before!r} → {after!r} with {cases} case(s) in the database — "
                                + _BOUND_TO_CASES[key].format(old=before, new=after))
    was, now = list(old.get("methods") or []), list(new.methods)
    added, dropped = [m for m in now if m not in was], [m for m in was if m not in now]
    if added:
        changes.append(f"[deployment] methods: + {', '.join(added)}")
    if dropped:
        changes.append(f"[deployment] methods: − {', '.join(dropped)}")
        if store.db["cases"].exists():
            for m in dropped:
                n = store.db.execute("select count(*) from cases where method = ? and status not in "
                                     "('resolved', 'confirmed', 'closed', 'rejected')", [m]).fetchone()[0]
                if n:
                    refusals.append(f"[deployment] methods: dropping {m} with {n} open case(s) — no board, sweep "
                                    f"or appraisal would show them; resolve or close them first")
    old_plugins, new_plugins = old.get("plugins") or {}, new.plugins
    for m in sorted(set(old_plugins) | set(new_plugins)):
        a, b = old_plugins.get(m, {}), new_plugins.get(m, {})
        for k in sorted(set(a) | set(b)):
            if a.get(k, "(default)") != b.get(k, "(default)"):
                changes.append(f"[plugins.{m}] {k}: {a.get(k, '(default)')!r} → {b.get(k, '(default)')!r}")
    for key, label in (("bindings", "[bindings]"), ("where", "[where]"), ("operators", "[operators]"),
                       ("extra_holidays", "[calendar] extra_holidays"), ("extra_workdays", "[calendar] extra_workdays")):
        before = old.get(key)
        after = converter.unstructure(getattr(new, key, None))
        if before is not None and before != after:
            changes.append(f"{label} 已变更")
    return changes, refusals
