"""docs/deployment.md is the county file's reference (issue 17), checked against the code both ways:

* every table the kernel accepts (``config_check.TABLES``) has its section, and the keys of
  ``[deployment]``, ``[calendar]``, ``[[units]]``, ``[[people]]``, ``[where]`` and ``[bindings]``
  are exactly the ones the code reads;
* ``[operators]``, ``[open311]`` and ``[open311.services.CODE]`` list exactly the keys the code
  reads (``config.OPERATOR_KEYS``, ``open311_config.KEYS`` / ``SERVICE_KEYS``), with the
  defaults of ``open311_config``;
* **every installed method's** settings are listed under ``[plugins.METHOD]`` with their
  defaults, and each table a method declares (``county_deployment_tables``) under
  ``[[METHOD.TABLE]]`` with exactly its columns, which are marked required when they are; no
  method, table or setting is documented that the code does not have;
* the five core methods' sections are written by hand (their settings and column rows must
  still be what :func:`method_section` generates); the contributed methods' sections, between
  ``<!-- generated: begin -->`` and ``<!-- generated: end -->``, are generated from the
  declarations — ``python tests/test_deployment_doc.py --write`` rewrites them, and a test fails
  when they are not current;
* each annotated example passes ``county config check`` (the examples are loaded by
  ``county init`` in tests/test_deployment_tables.py and below).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from framework import Person, Unit
from framework.cli.main import cli
from framework.kernel import open311_config
from framework.kernel.config import OPERATOR_KEYS
from framework.kernel.config_check import CALENDAR_KEYS, DEPLOYMENT_KEYS, TABLES
from framework.kernel.deployment_tables import TYPE_NAMES, declared_tables
from framework.kernel.registry import Registry

PATH = Path(__file__).resolve().parents[1] / "docs" / "deployment.md"
DOC = PATH.read_text(encoding="utf-8")
CORE = ("taizhang", "daiban", "dianti", "xiangkai", "shequ365")
REGISTRY = Registry()
INSTALLED = sorted(REGISTRY.methods)
#: the contributed methods documented in the generated block: those with settings or tables
CONTRIB = [m for m in INSTALLED if m not in CORE
           and (REGISTRY.methods[m].settings or declared_tables(REGISTRY, [m]).get(m))]
BEGIN, END = "<!-- generated: begin -->\n", "<!-- generated: end -->\n"


def sections() -> dict[str, list[list[str]]]:
    """``{heading's backticked name: [table row cells, …]}`` for headings like ``### `[deployment]```."""
    out: dict[str, list[list[str]]] = {}
    name = None
    for line in DOC.splitlines():
        m = re.match(r"^#{3,4} `([^`]+)`", line)
        if m:
            name = m.group(1)
            out[name] = []
        elif line.startswith("#"):
            name = None
        elif name and line.startswith("| `"):
            out[name].append([c.strip() for c in line.strip("|").split("|")])
    return out


SECTIONS = sections()


def keys(section: str) -> list[str]:
    assert section in SECTIONS, f"docs/deployment.md has no section `{section}`"
    return [re.match(r"`([^`]+)`", row[0]).group(1) for row in SECTIONS[section]]


def test_every_kernel_table_has_its_section():
    for table in TABLES:
        shown = f"[[{table}]]" if table in ("units", "people") else (
            "[plugins.METHOD]" if table == "plugins" else f"[{table}]")
        assert shown in SECTIONS, f"docs/deployment.md does not document {shown}"


@pytest.mark.parametrize("section, want", [
    ("[deployment]", list(DEPLOYMENT_KEYS)),
    ("[calendar]", list(CALENDAR_KEYS)),
    ("[[units]]", [f.name for f in attrs.fields(Unit)]),
    ("[[people]]", [f.name for f in attrs.fields(Person)]),
    ("[where]", ["METHOD", "units", "levels"]),
    ("[bindings]", ["METHOD.STAGE"]),
])
def test_kernel_keys_are_documented_both_ways(section, want):
    assert sorted(keys(section)) == sorted(want)


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


def test_operators_and_open311_keys_are_documented_both_ways():
    assert keys("[operators]") == list(OPERATOR_KEYS)
    assert keys("[open311]") == list(open311_config.KEYS)
    assert keys("[open311.services.CODE]") == list(open311_config.SERVICE_KEYS)
    defaults = {re.match(r"`([^`]+)`", r[0]).group(1): r[2] for r in SECTIONS["[open311]"]}
    assert (defaults["rate_limit"], defaults["max_body"], defaults["page_size"]) == (
        f"`{open311_config.DEFAULT_RATE_LIMIT}`", f"`{open311_config.DEFAULT_MAX_BODY}`",
        f"`{open311_config.DEFAULT_PAGE_SIZE}`")
    assert "≤ 1000" in SECTIONS["[open311]"][4][1] and open311_config.MAX_PAGE_SIZE == 1000


def setting_type(s) -> str:
    """A setting's type as the tables show it: ``a whole number (≥ 0, ≤ 100000)``, ``text: a, b``,
    ``true or false or a list``."""
    kinds = tuple(s.types) or (type(s.default),)
    text = " or ".join({**TYPE_NAMES, list: "a list", dict: "a table"}.get(k, k.__name__) for k in kinds)
    if s.choices:
        return f"{text}: {choices(s.choices)}"
    if kinds in ((int,), (float,)):
        return f"{text} (≥ {s.minimum}, ≤ {s.maximum})"
    return text


def choices(values) -> str:
    """``"", activist, capable``: the allowed values, the empty text shown as ``""``."""
    return ", ".join('""' if v == "" else str(v) for v in values)


def column_type(c) -> str:
    """A table column's type: ``text, required, a unit code``, ``a list of text: a, b``."""
    return (TYPE_NAMES[c.type] + (", required" if c.required else "") + (", a unit code" if c.unit else "")
            + (f": {choices(c.choices)}" if c.choices else ""))


def setting_rows(method: str) -> list[str]:
    return [f"| `{s.name}` | {setting_type(s)} | `{_toml(s.default)}` | {s.description} |"
            for s in REGISTRY.methods[method].settings]


def column_rows(table) -> list[str]:
    return [f"| `{c.name}` | {column_type(c)} | "
            f"{'—' if c.required else (f'`{_toml(c.default)}`' if c.default is not None else 'kept / none')} | "
            f"{c.description} |" for c in table.columns]


def method_section(method: str) -> str:
    """The generated reference of one installed method: a heading with its name, Chinese title
    and source (county, casebook lines), its ``[plugins.METHOD]`` settings and each declared
    ``[[METHOD.TABLE]]`` with its description, key and columns (type, default, meaning)."""
    info = REGISTRY.methods[method]
    head = "| key | type | default | meaning |\n|---|---|---|---|\n"
    out = [(f"### {method} {info.title_zh or info.title or ''} ({info.source_county or '-'}, "
            f"{info.source_lines or '-'})\n")]
    if info.settings:
        out.append(f"#### `[plugins.{method}]`\n\n" + head + "\n".join(setting_rows(method)) + "\n")
    else:
        out.append(f"No settings (`[plugins.{method}]` takes none).\n")
    tables = declared_tables(REGISTRY, [method]).get(method, {})
    for name, table in tables.items():
        key = f" Key: {', '.join(f'`{k}`' for k in table.key)}." if table.key else ""
        out.append(f"#### `[[{method}.{name}]]`\n\n{table.description}.{key}\n\n" + head
                   + "\n".join(column_rows(table)) + "\n")
    if not tables:
        out.append(f"No tables of its own in the county file (`county plugins show {method}`, `county {method} --help`).\n")
    return "\n".join(out)


def generated() -> str:
    """The text between the generated markers: every contributed method's section."""
    return "\n".join(method_section(m) for m in CONTRIB)


def test_every_installed_method_is_documented_and_nothing_else():
    documented = {m.group(1) for m in re.finditer(r"^### (\w+) ", DOC, re.MULTILINE)}  # ### NAME 中文名 (source)
    shown = sorted({n[len("[plugins."):-1] for n in SECTIONS if n.startswith("[plugins.") and n != "[plugins.METHOD]"}
                   | {n[2:].split(".")[0] for n in SECTIONS if n.startswith("[[") and "." in n})
    assert shown == sorted(set(CORE) | set(CONTRIB)), "[plugins.X] / [[X.T]] sections of methods not installed"
    assert set(CORE) | set(CONTRIB) <= documented
    silent = [m for m in INSTALLED if m not in CORE and m not in CONTRIB]
    assert not silent, f"methods with neither settings nor tables, not shown: {silent}"


def test_the_generated_sections_are_current():
    assert DOC.count(BEGIN) == 1 and DOC.count(END) == 1
    have = DOC.split(BEGIN, 1)[1].split(END, 1)[0]
    assert have == generated(), "docs/deployment.md is stale: run python tests/test_deployment_doc.py --write"
    assert len(CONTRIB) >= 10 and "sanzhuanbian" in CONTRIB and "wuxin" in CONTRIB


@pytest.mark.parametrize("method", CORE)
def test_core_rows_are_what_the_declarations_say(method):
    """The hand-written core sections' rows are the generated ones (type, default, meaning)."""
    assert all(row in DOC for row in setting_rows(method)), f"[plugins.{method}] rows"
    for name, table in declared_tables(REGISTRY, [method]).get(method, {}).items():
        assert all(row in DOC for row in column_rows(table)), f"[[{method}.{name}]] rows"


@pytest.mark.parametrize("method", [*CORE, *CONTRIB])
def test_settings_are_documented_with_their_defaults(method):
    info = REGISTRY.methods[method]
    rows = {re.match(r"`([^`]+)`", r[0]).group(1): r for r in SECTIONS.get(f"[plugins.{method}]", [])}
    assert sorted(rows) == sorted(s.name for s in info.settings)
    for s in info.settings:
        assert rows[s.name][2] == f"`{_toml(s.default)}`", f"[plugins.{method}] {s.name}: default"


@pytest.mark.parametrize("method", [*CORE, *CONTRIB])
def test_method_tables_are_documented_both_ways(method):
    declared = declared_tables(REGISTRY, [method]).get(method, {})
    documented = sorted(n[len(f"[[{method}."):-2] for n in SECTIONS if n.startswith(f"[[{method}.")
                        and n.endswith("]]"))
    assert documented == sorted(declared)
    for name, table in declared.items():
        rows = {re.match(r"`([^`]+)`", r[0]).group(1): r for r in SECTIONS[f"[[{method}.{name}]]"]}
        assert list(rows) == [c.name for c in table.columns], f"[[{method}.{name}]] columns, in order"
        for c in table.columns:
            assert ("required" in rows[c.name][1]) == c.required, f"[[{method}.{name}]] {c.name}: required"
            if c.default is not None:
                assert rows[c.name][2] == f"`{_toml(c.default)}`", f"[[{method}.{name}]] {c.name}: default"


def test_every_core_method_has_a_complete_example():
    names = re.findall(r"<!-- example: (\w+) -->", DOC)
    assert sorted(names) == sorted(CORE)


@pytest.mark.parametrize("method", CORE)
def test_each_example_passes_config_check_and_fills_every_table(method, tmp_path):
    text = re.search(r"<!-- example: " + method + r" -->\s*\n```toml\n(.*?)\n```", DOC, re.S).group(1)
    cfg = tmp_path / "county.toml"
    cfg.write_text(text + "\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["config", "check", str(cfg), "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["ok"] is True
    used = set(re.findall(r"^\[\[" + method + r"\.(\w+)\]\]", text, re.M))
    assert used == set(declared_tables(REGISTRY, [method]).get(method, {})), "the example shows every table"


#: One fault in every table of the document (the kernel's and a method's), one line each.
EVERY_TABLE_WRONG = """\
[deployment]
name = "新县"
code = "xx"
methods = ["taizhang", "daiban"]
timezon = "Asia/Shanghai"

[calendar]
extra_holiday = ["2026-10-09"]

[bindings]
daiban.deadline = "dianti"

[plugins.taizhang]
village_day = 5

[where]
taizhang = ["xx.nowhere"]

[operators]
zhang = {name = "张某", unit = "xx.nowher"}

[open311]
default_methd = "taizhang"

[open311.services.road]
name = "道路"
colour = "红"

[[units]]
code = "xx"
name = "新县"
levl = "county"

[[people]]
id = "p1"
name = "李"
unit = "xx.none"

[[daiban.agents]]
id = "a1"
name = "王"
unit = "xx"
role = "boss"
"""


def test_config_check_names_a_fault_in_every_documented_table(tmp_path):
    """`county config check` reports a fault in each kernel table (``TABLES``) and in a method's
    table, all at once, each as FILE:LINE: [table] key, and writes nothing."""
    cfg = tmp_path / "bad.toml"
    cfg.write_text(EVERY_TABLE_WRONG, encoding="utf-8")
    db = tmp_path / "county.db"
    r = CliRunner().invoke(cli, ["config", "check", str(cfg), "--db", str(db)], catch_exceptions=False)
    assert r.exit_code == 2 and not db.exists()
    got = sorted((int(m.group(1)), m.group(2)) for m in
                 re.finditer(r"^error: .*bad\.toml:(\d+): (\[\[?[\w.]+\]\]?(?: #1)? \S+)", r.stderr, re.MULTILINE))
    assert got == [(5, "[deployment] timezon:"), (8, "[calendar] extra_holiday:"), (11, "[bindings] daiban.deadline"),
                   (14, "[plugins.taizhang] village_day:"), (17, "[where] taizhang:"), (20, "[operators] zhang:"),
                   (23, "[open311] default_methd:"), (25, "[open311.services.road] method:"),
                   (27, "[open311.services.road] colour:"), (32, "[[units]] #1 levl:"), (37, "[[people]] #1 unit:"),
                   (43, "[[daiban.agents]] #1 role")]  # its unit xx is the unit with the misspelt key: named once
    assert len(r.stderr.splitlines()) == 12  # the service's method is missing too: default_method is misspelt
    assert {t for t in TABLES} <= {re.match(r"\[\[?(\w+)", g).group(1) for _, g in got}
    assert "bad.toml:43: [[daiban.agents]] #1 role = 'boss': must be one of agent, centre_director, service_team" in r.stderr
    assert "bad.toml:20: [operators] zhang: unit 'xx.nowher' is not a unit of this deployment" in r.stderr


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:  # regenerate the contributed methods' sections
    before, rest = DOC.split(BEGIN, 1)
    PATH.write_text(before + BEGIN + generated() + END + rest.split(END, 1)[1], encoding="utf-8")
    print(f"wrote {PATH}: {len(CONTRIB)} generated method section(s)")


def test_the_dianti_example_prints_what_the_page_quotes(tmp_path, monkeypatch):
    """The `$ county init …` blocks after the dianti example (init, then --update) are what the
    commands print on stdout, exactly (in Chinese: 已初始化/已更新, 载入, 新增/变更/未变)."""
    text = re.search(r"<!-- example: dianti -->\s*\n```toml\n(.*?)\n```", DOC, re.DOTALL).group(1)
    (tmp_path / "county.toml").write_text(text + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    quoted = re.findall(r"^    \$ (county init [^\n]*)\n((?:    [^$\n][^\n]*\n)+)", DOC, re.MULTILINE)
    assert [c for c, _ in quoted] == [
        "county init --config county.toml --db county.db --now 2026-12-01T09:00",
        "county init --config county.toml --db county.db --update --now 2026-12-02T09:00"]
    for command, lines in quoted:
        r = CliRunner().invoke(cli, command.split()[1:], env={"COUNTY_ACTOR": "tester"}, catch_exceptions=False)
        assert r.exit_code == 0, r.output
        assert r.stdout == "".join(line[4:] + "\n" for line in lines.splitlines()), command
