"""docs/deployment.md is the county file's reference (issue 17), checked against the code both ways:

* every table the kernel accepts (``config_check.TABLES``) has its section, and the keys of
  ``[deployment]``, ``[calendar]``, ``[[units]]``, ``[[people]]``, ``[where]`` and ``[bindings]``
  are exactly the ones the code reads;
* each of the five core methods' settings is listed under ``[plugins.METHOD]`` with its default,
  and each table a method declares (``county_deployment_tables``) under ``[[METHOD.TABLE]]``
  with exactly its columns, which are marked required when they are; no table or setting is
  documented that the code does not have;
* each annotated example passes ``county config check`` (the examples are loaded by
  ``county init`` in tests/test_deployment_tables.py and below).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from framework import Person, Unit
from framework.cli.main import cli
from framework.kernel.config_check import CALENDAR_KEYS, DEPLOYMENT_KEYS, TABLES
from framework.kernel.deployment_tables import declared_tables
from framework.kernel.registry import Registry

DOC = (Path(__file__).resolve().parents[1] / "docs" / "deployment.md").read_text(encoding="utf-8")
CORE = ("taizhang", "daiban", "dianti", "xiangkai", "shequ365")
REGISTRY = Registry()


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


@pytest.mark.parametrize("method", CORE)
def test_settings_are_documented_with_their_defaults(method):
    info = REGISTRY.methods[method]
    rows = {re.match(r"`([^`]+)`", r[0]).group(1): r for r in SECTIONS[f"[plugins.{method}]"]}
    assert sorted(rows) == sorted(s.name for s in info.settings)
    for s in info.settings:
        assert rows[s.name][2] == f"`{_toml(s.default)}`", f"[plugins.{method}] {s.name}: default"


@pytest.mark.parametrize("method", CORE)
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
