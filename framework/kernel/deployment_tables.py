"""A method's own tables in the county file (issue 17): ``[[dianti.members]]``, ``[[shequ365.grids]]``…

A method declares them with the registration hook ``county_deployment_tables()`` (docs/hooks.md
§3): a list of :class:`DeploymentTable`, each with its :class:`Column` s and a ``load`` function
that writes one row through the method's own service functions (the ones its ``county <method> …``
register and import commands use). The kernel

* checks every row against the declared columns in ``county config check`` and ``county init``
  (:func:`table_problems`: unknown and missing keys, types, choices, unit codes, repeated keys —
  every problem at once, each with file:line);
* loads the rows in ``county init``, inside the init transaction, in the order of
  ``[deployment] methods`` and of each method's declaration (:func:`load_tables`), each row in a
  savepoint: a row that fails is a :class:`~framework.kernel.config_check.Problem` and, after the
  others have been tried, the whole init is rolled back;
* counts what each row did (``added``, ``changed``, ``unchanged``) for ``county init`` and
  ``county init --update``.

The file's spelling (docs/deployment.md): an array of tables ``[[METHOD.TABLE]]``, one row each,
for a method named in ``[deployment] methods``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from framework.errors import CountyError, PluginError
from framework.kernel.config_check import ConfigError, Lines, Problem, suggest

#: what a table's ``load`` returns for one row
LOAD_RESULTS = ("added", "changed", "unchanged")
#: the column types a table may declare, as an operator reads them in messages and docs
TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false", list: "a list of text"}


@attrs.frozen
class Column:
    """One key of a method's table row. ``type``: ``str`` (text), ``int`` (whole number),
    ``float`` (number), ``bool`` (true/false) or ``list`` (a list of text). ``required``: the
    row must give it (a non-empty value); otherwise ``default`` applies (None: the key left out,
    the stored value kept). ``choices``: the allowed values (empty: any). ``unit``: the value
    (each value of a list) is a unit code of the deployment (``[[units]]`` or the database).
    ``description``: what it means, shown in docs/deployment.md."""

    name: str
    type: type = str
    required: bool = False
    default: Any = None
    description: str = ""
    choices: tuple = ()
    unit: bool = False


@attrs.define
class DeploymentTable:
    """A method's own table in the county file, ``[[METHOD.NAME]]``.

    ``name``: the table's name after the method's (``members``); ``description``: what a row is,
    with its casebook line; ``columns``: the :class:`Column` s of a row; ``key``: the columns that
    identify a row (repeated in the file: a problem); ``load(ctx, row) -> str``: writes one row
    (a dict of the row's keys with the defaults filled in) through the method's service
    functions, on the method's ``ctx`` (``ctx.db``, ``ctx.actions``) at the init's ``ctx.now``,
    and returns ``"added"``, ``"changed"`` or ``"unchanged"``; it raises CountyError (or Refusal,
    NotFound) with a one-line reason — the kernel adds the file, the line and the table.
    ``method`` is filled by the kernel."""

    name: str
    description: str
    columns: list[Column]
    load: Callable[..., str]
    key: tuple[str, ...] = ()
    method: str = ""

    def column(self, name: str) -> Column | None:
        """The column called ``name``, or None."""
        return next((c for c in self.columns if c.name == name), None)


def declared_tables(registry, methods) -> dict[str, dict[str, DeploymentTable]]:
    """``{method: {table name: DeploymentTable}}`` of the installed ``methods`` that implement
    ``county_deployment_tables`` (a method without tables is left out). PluginError when a
    method returns something else than DeploymentTables or repeats a table name."""
    out: dict[str, dict[str, DeploymentTable]] = {}
    for name, table in registry.collect([m for m in methods if m in registry.methods], "deployment_tables",
                                        DeploymentTable):
        mine = out.setdefault(name, {})
        problem = _declaration_problem(table)
        if table.name in mine:
            problem = f"table {table.name!r} is declared twice"
        if problem:
            raise PluginError(name, "county_deployment_tables", problem)
        mine[table.name] = table
    return out


def _declaration_problem(table: DeploymentTable) -> str | None:
    """What is wrong with a declared table, or None: a name that is not a TOML bare key, columns
    that are not Columns, repeat, or have a type other than str/int/float/bool/list, a ``key``
    naming no column, a ``load`` that cannot be called."""
    if not isinstance(table.name, str) or not table.name.replace("_", "").isalnum() or not table.name.isascii():
        return f"table name {table.name!r} must be letters, digits and _"
    if not all(isinstance(c, Column) for c in table.columns):
        return f"table {table.name!r}: columns must be framework.Column records"
    names = [c.name for c in table.columns]
    bad = [c.name for c in table.columns if c.type not in TYPE_NAMES]
    if bad or len(set(names)) != len(names):
        return (f"table {table.name!r}: column {bad[0]!r} has a type other than str, int, float, bool, list" if bad
                else f"table {table.name!r}: a column name repeats")
    missing = [k for k in table.key if k not in names]
    if missing:
        return f"table {table.name!r}: key column {missing[0]!r} is not one of its columns"
    if not callable(table.load):
        return f"table {table.name!r}: load must be a function load(ctx, row)"
    return None


def parse_tables(raw: dict, methods: list[str], lines: Lines) -> tuple[dict, dict, list[Problem]]:
    """The ``[[METHOD.TABLE]]`` rows of the parsed TOML for the enabled ``methods``:
    ``(tables, table_lines, problems)`` with ``tables = {"dianti.members": [row, …]}`` and the
    1-based line of each row's header in ``table_lines`` (None without the TOML text)."""
    tables: dict[str, list[dict]] = {}
    where: dict[str, list[int | None]] = {}
    problems: list[Problem] = []
    for method in methods:
        block = raw.get(method)
        if block is None:
            continue
        if not isinstance(block, dict):
            problems.append(Problem(f"[{method}]", None, f"must hold the method's tables as [[{method}.TABLE]] "
                                    f"(settings go in [plugins.{method}])", lines.of(method)))
            continue
        for name, rows in block.items():
            label = f"[[{method}.{name}]]"
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                problems.append(Problem(f"[{method}]", name, f"must be an array of tables: write each row as {label} "
                                        f"(settings go in [plugins.{method}])", lines.of(method, name)))
                continue
            tables[f"{method}.{name}"] = rows
            where[f"{method}.{name}"] = [lines.of(f"{method}.{name}", index=i) for i in range(len(rows))]
    return tables, where, problems


def table_problems(dep, declared: dict[str, dict[str, DeploymentTable]], lines: Lines,
                   units: set[str], methods: set[str] | None = None) -> list[Problem]:
    """Every problem of the deployment's ``[[METHOD.TABLE]]`` rows against the methods'
    declarations (``declared``, from :func:`declared_tables`): an undeclared table, unknown or
    missing keys, a value of the wrong type or not among the choices, a unit code that is not in
    ``units``, a key repeated between rows. Each names the row (``[[dianti.members]] #3``), the
    key and the line. ``methods``: the enabled methods that loaded (the tables of the others are
    not looked at: their method is the problem, named elsewhere)."""
    out: list[Problem] = []
    for full, rows in dep.tables.items():
        method, _, name = full.partition(".")
        if methods is not None and method not in methods:
            continue
        mine = declared.get(method, {})
        table = mine.get(name)
        if table is None:
            known = ", ".join(f"[[{method}.{t}]]" for t in mine) or "none"
            out.append(Problem(f"[[{full}]]", None, f"{method} has no table {name!r}{suggest(name, mine)} "
                               f"(its tables: {known})", lines.of(full)))
            continue
        seen: dict[tuple, int] = {}
        for i, row in enumerate(rows):
            label, at = f"[[{full}]] #{i + 1}", (lambda key, i=i: lines.of(full, key, index=i))
            out += [Problem(label, key, reason, at(key)) for key, reason in row_problems(table, row, units)]
            if table.key and all(row.get(k) not in (None, "") for k in table.key):
                ident = tuple(str(row[k]) for k in table.key)
                if ident in seen:
                    shown = ", ".join(f"{k} = {row[k]!r}" for k in table.key)
                    out.append(Problem(label, table.key[0], f"{shown} is also row #{seen[ident] + 1}: each row "
                                       f"of [[{full}]] needs its own {' + '.join(table.key)}", at(table.key[0])))
                else:
                    seen[ident] = i
    return out


def row_problems(table: DeploymentTable, row: dict, units: set[str]) -> list[tuple[str | None, str]]:
    """``(key, reason)`` for each problem of one row against ``table``'s columns."""
    out: list[tuple[str | None, str]] = []
    names = [c.name for c in table.columns]
    for key in row:
        if key not in names:
            out.append((key, f"unknown key{suggest(key, names)} (keys: {', '.join(names)})"))
    for col in table.columns:
        value = row.get(col.name)
        if value is None or (isinstance(value, (str, list)) and not value):
            if col.required:
                out.append((col.name, f"missing: each row needs {col.name} ({col.description or TYPE_NAMES[col.type]})"))
            continue
        if not _is(value, col.type):
            out.append((col.name, f"= {value!r}: must be {TYPE_NAMES[col.type]}"))
            continue
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if col.choices and v not in col.choices]
        if bad:
            shown = ", ".join(str(c) if c != "" else '""' for c in col.choices)
            out.append((col.name, f"= {bad[0]!r}: must be one of {shown}"))
        missing = [v for v in values if col.unit and v not in units]
        if missing:
            out.append((col.name, f"= {missing[0]!r}: not a unit of this deployment{suggest(missing[0], units)}"))
    return out


def _is(value: Any, kind: type) -> bool:
    if kind is list:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def with_defaults(table: DeploymentTable, row: dict) -> dict:
    """``row`` with each left-out column that has a default set to it."""
    out = dict(row)
    for col in table.columns:
        if col.default is not None and out.get(col.name) in (None, ""):
            out[col.name] = col.default
    return out


def load_tables(county, dep, source: str = "") -> dict[str, dict[str, dict[str, int]]]:
    """Load the deployment's ``[[METHOD.TABLE]]`` rows through each method's ``load`` (inside the
    caller's transaction; each row in a savepoint). Returns ``{method: {table: {"added": n,
    "changed": n, "unchanged": n}}}`` in load order. Raises
    :class:`~framework.kernel.config_check.ConfigError` naming every row that failed (after
    trying the rest), PluginError when a ``load`` raises anything else than a CountyError or
    returns something else than one of :data:`LOAD_RESULTS`."""
    if not dep.tables:
        return {}
    declared = declared_tables(county.registry, dep.methods)
    report: dict[str, dict[str, dict[str, int]]] = {}
    problems: list[Problem] = []
    # a method's row may add roles or skills to a person of [[people]], never rename or move one
    county.people_guard = {p.id: p for p in dep.people}
    try:
        _load_rows(county, dep, declared, report, problems)
    finally:
        county.people_guard = None
    if problems:
        raise ConfigError(source, problems)
    return report


def _load_rows(county, dep, declared, report, problems) -> None:
    """The rows of :func:`load_tables`, method by method, table by table."""
    for method in dep.methods:
        for name, table in declared.get(method, {}).items():
            rows = dep.tables.get(f"{method}.{name}")
            if rows is None:
                continue
            counts = report.setdefault(method, {}).setdefault(name, dict.fromkeys(LOAD_RESULTS, 0))
            where = dep.table_lines.get(f"{method}.{name}", [])
            ctx = county.ctx(method)
            for i, row in enumerate(rows):
                line = where[i] if i < len(where) else None
                try:
                    with county.store.transaction():  # a savepoint: a failed row leaves nothing
                        result = table.load(ctx, with_defaults(table, row))
                except CountyError as e:
                    if isinstance(e, PluginError):
                        raise
                    problems.append(Problem(f"[[{method}.{name}]] #{i + 1}", None, str(e), line))
                    county._load_tree()  # people the failed row may have loaded are gone again
                    continue
                except Exception as e:
                    raise PluginError(method, f"county_deployment_tables ({name}.load)", e) from e
                if result not in LOAD_RESULTS:
                    raise PluginError(method, f"county_deployment_tables ({name}.load)",
                                      f"returned {result!r}, expected one of {', '.join(LOAD_RESULTS)}")
                counts[result] += 1


def describe_report(report: dict[str, dict[str, dict[str, int]]], changes: bool) -> list[str]:
    """Lines for the operator (Chinese, table names as they are), one per method: ``dianti：groups
    2 条；members 5 条`` (what was loaded) or, with ``changes``, ``yijiasi：teams 新增 0，变更 0，
    未变 1；…``. ``report``: ``{method: {table: {"added", "changed", "unchanged": counts}}}``."""
    out = []
    for method, tables in report.items():
        if changes:
            parts = [f"{name} 新增 {c['added']}，变更 {c['changed']}，未变 {c['unchanged']}"
                     for name, c in tables.items()]
        else:
            parts = [f"{name} {sum(c.values())} 条" for name, c in tables.items()]
        out.append(f"{method}：" + "；".join(parts))
    return out


def row_change(before: Any, after: Any) -> str:
    """``"added"`` when ``before`` is None, ``"unchanged"`` when it equals ``after``, else
    ``"changed"``: what a ``load`` returns after reading its row before and after writing it."""
    if before is None:
        return "added"
    return "unchanged" if before == after else "changed"
