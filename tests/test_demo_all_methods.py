"""`county demo` shows every installed method (issues 18, 19): each method with a demo month
(``county_demo``) is enabled, seeds its month, has its line in the summary, its metrics in the
appraisal and its rows in the boards — core and contrib alike, written only on the plugin API.
Run once on the built-in sample (fast); tests/test_demo.py checks the real-data run of the five
core methods value by value."""

from __future__ import annotations

import json

import pytest

from framework.kernel.registry import Registry

#: The methods of the casebook that ship with the project (core and plugins/contrib); every one
#: has a demo month. A method is added here when its plugin is written.
CORE = ("taizhang", "dianti", "daiban", "xiangkai", "shequ365")
CONTRIB = ("yetanhui", "liuyao", "jieti", "zouqian", "sanquan",  # part 1 (issue 18)
           "wuzifa", "sanzhuanbian", "wugeyi", "sansong", "shequhua", "zerentian", "zaizhi", "zhihui", "wuxin",
           "yijiasi")  # part 2 (issue 19): every method of the casebook


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One `county demo --sample` with every installed method (no COUNTY_LOAD_PLUGINS)."""
    from click.testing import CliRunner

    from framework.cli.main import cli

    out = tmp_path_factory.mktemp("demo-all") / "out"
    mp = pytest.MonkeyPatch()
    for var in ("COUNTY_LOAD_PLUGINS", "COUNTY_DISABLE_PLUGINS", "COUNTY_NOW", "COUNTY_DB"):
        mp.delenv(var, raising=False)
    try:
        r = CliRunner().invoke(cli, ["demo", "--sample", "--out", str(out), "--json"], catch_exceptions=False)
    finally:
        mp.undo()
    assert r.exit_code == 0, r.output
    return out, json.loads(r.stdout)


def demo_methods() -> list[str]:
    reg = Registry()
    return sorted(m for m in reg.methods if reg.implements(m, "demo"))


def test_every_method_with_a_demo_month_is_enabled_and_seeded(demo):
    out, summary = demo
    methods = demo_methods()
    assert set(CONTRIB) <= set(methods) and set(CORE) <= set(methods)
    assert sorted(summary["seeded"]) == methods
    for m in methods:  # each line names its method first (the demo's summary reads per method)
        assert summary["seeded"][m].startswith(m), (m, summary["seeded"][m])
        assert m in summary["methods"]


def test_every_method_is_appraised_and_shown_in_the_summary(demo):
    out, summary = demo
    metrics = json.loads((out / "appraisal.json").read_text(encoding="utf-8"))
    assert {m["method"] for m in metrics if m.get("method")} >= set(demo_methods())
    text = (out / "summary.txt").read_text(encoding="utf-8")
    for m in demo_methods():
        assert summary["seeded"][m] in text


def test_plugins_list_shows_the_twenty_methods_of_the_casebook_none_broken(demo):
    """`county plugins list`: the casebook's twenty methods, each loaded (none BROKEN), and the
    demo's deployment (which replays the nightly sweeps) enabled every one of them."""
    from click.testing import CliRunner

    from framework.cli.main import cli

    out, summary = demo
    r = CliRunner().invoke(cli, ["plugins", "list", "--json", "--db", str(out / "demo.db")], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    rows = {row["name"]: row for row in json.loads(r.stdout)}
    assert set(CORE + CONTRIB) <= set(rows)
    for name in CORE + CONTRIB:
        assert not rows[name].get("broken"), (name, rows[name])
        assert rows[name]["enabled"], name
    assert summary["sweeps"] > 0
