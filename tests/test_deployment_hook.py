"""The ``county_deployment_tables`` hook as a plugin author meets it (docs/hooks.md §3): the page's
example, run as written in a plugin registered in code; what the kernel refuses of a declaration
and of a ``load``, each as a PluginError naming the plugin and the table."""

from __future__ import annotations

import re
import tomllib
import types
from pathlib import Path

import pytest

from framework import Column, DeploymentTable, MethodInfo, PluginError, hookimpl
from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.kernel.deployment_check import check_deployment
from framework.kernel.registry import Registry
from framework.store import Store

HOOKS = (Path(__file__).resolve().parents[1] / "docs" / "hooks.md").read_text(encoding="utf-8")

FILE = """
[deployment]
name = "示例县"
code = "sl"
methods = ["visits"]
[[units]]
code = "sl"
name = "示例县"
level = "county"
[[units]]
code = "sl.a"
name = "甲村"
level = "village"
parent = "sl"
[[visits.visitors]]
id = "v1"
name = "张三"
unit = "sl.a"
[[visits.visitors]]
id = "v2"
name = "李四"
unit = "sl.a"
"""


def plugin(tables_hook=None) -> types.ModuleType:
    """A plugin ``visits``: the county_method below and docs/hooks.md's county_deployment_tables
    example as written (or ``tables_hook`` instead)."""
    module = types.ModuleType("visits_plugin")
    m = re.search(r"### `county_deployment_tables\(\)`.*?```python\n(.*?)\n```", HOOKS, re.S)
    exec(m.group(1), module.__dict__)  # noqa: S102 — the page's example, run as written

    @hookimpl
    def county_method():
        return MethodInfo(name="visits", title_zh="走访", title="Visits",
                          source_county="示例县", source_lines="L9", roles={"visitor": "走访人员"})

    module.county_method = county_method
    if tables_hook is not None:
        module.county_deployment_tables = tables_hook
    return module


def init(tmp_path, module, text=FILE, db="c.db"):
    registry = Registry(extra_plugins={"visits": module}, entry_points=False)
    return County.init(Store(str(tmp_path / db)), deployment_from_dict(tomllib.loads(text)), registry)


def test_the_pages_example_loads_and_reloads(tmp_path):
    county = init(tmp_path, plugin())
    assert county.loaded == {"visits": {"visitors": {"added": 2, "changed": 0, "unchanged": 0}}}
    assert [(p.id, p.name, p.unit, p.roles) for p in county.people.values()] == [
        ("v1", "张三", "sl.a", ["visitor"]), ("v2", "李四", "sl.a", ["visitor"])]
    again = init(tmp_path, plugin(), FILE.replace('name = "李四"', 'name = "李四光"'))
    assert again.loaded == {"visits": {"visitors": {"added": 0, "changed": 1, "unchanged": 1}}}


def test_the_pages_example_row_refused_names_the_row(tmp_path):
    module = plugin()
    text = FILE.replace('name = "李四"\nunit = "sl.a"', 'name = "李四"\nunit = "sl.b"')
    registry = Registry(extra_plugins={"visits": module}, entry_points=False)
    dep = deployment_from_dict(tomllib.loads(text))
    problems = check_deployment(dep, registry)
    assert [p.render("") for p in problems] == [
        "[[visits.visitors]] #2 unit = 'sl.b': not a unit of this deployment (did you mean sl.a?)"]


def _declaring(*tables):
    @hookimpl
    def county_deployment_tables():
        return list(tables)
    return county_deployment_tables


def _ok(ctx, row):
    return "added"


@pytest.mark.parametrize("tables, message", [
    ([DeploymentTable("visitors", "", [Column("id", dict)], _ok)],
     "table 'visitors': column 'id' has a type other than str, int, float, bool, list"),
    ([DeploymentTable("visitors", "", [Column("id")], _ok, key=("code",))],
     "table 'visitors': key column 'code' is not one of its columns"),
    ([DeploymentTable("visitors", "", [Column("id"), Column("id")], _ok)], "table 'visitors': a column name repeats"),
    ([DeploymentTable("visitors", "", [Column("id")], _ok), DeploymentTable("visitors", "", [Column("id")], _ok)],
     "table 'visitors' is declared twice"),
    ([DeploymentTable("my table", "", [Column("id")], _ok)], "table name 'my table' must be letters, digits and _"),
])
def test_a_bad_declaration_is_a_plugin_error(tmp_path, tables, message):
    with pytest.raises(PluginError) as e:
        init(tmp_path, plugin(_declaring(*tables)))
    assert str(e.value) == f"plugin 'visits' failed in county_deployment_tables: {message}"
    assert not Store(str(tmp_path / "c.db")).initialised


@pytest.mark.parametrize("load, message", [
    (lambda ctx, row: "ok", "returned 'ok', expected one of added, changed, unchanged"),
    (lambda ctx, row: 1 / 0, "ZeroDivisionError: division by zero"),
])
def test_a_bad_load_is_a_plugin_error_and_nothing_is_written(tmp_path, load, message):
    table = DeploymentTable("visitors", "", [Column("id"), Column("name"), Column("unit")], load)
    with pytest.raises(PluginError) as e:
        init(tmp_path, plugin(_declaring(table)))
    assert str(e.value) == f"plugin 'visits' failed in county_deployment_tables (visitors.load): {message}"
    store = Store(str(tmp_path / "c.db"))
    assert not store.db["units"].exists() or store.query("select count(*) as n from units")[0]["n"] == 0
