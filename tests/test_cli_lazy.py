"""Start-up loads only what a command uses (issue 13: ``county --help`` within 1.3× of importing
click, pluggy, sqlite-utils, attrs and cattrs — the figure is in benchmarks/README.md; these
tests hold the behaviour behind it, never a time).

* ``import framework`` imports no framework module: the plugin API's names load their module
  on first use (:data:`framework.LAZY_API`);
* ``county --help`` imports no plugin, no kernel, not even pluggy or sqlite-utils, and lists the
  kernel's commands with the first sentence of their own help and the enabled methods by name;
* a kernel command imports its family module and no plugin; a method's command loads the plugins.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import click
import pytest

import framework
from framework.cli import root
from framework.discovery import method_entry_points

PROBE = textwrap.dedent("""
    import json, sys
    from framework.cli.main import main
    sys.argv = ["county", *ARGS]
    try:
        main()
    except SystemExit:
        pass
    mods = sorted(sys.modules)
    sys.stderr.write("\\nMODULES " + json.dumps(mods) + "\\n")
""")


def run_probe(args, env=None):
    """Run ``county ARGS`` in a fresh interpreter; (stdout, the modules it had imported)."""
    code = f"ARGS = {args!r}\n" + PROBE
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                       env={**os.environ, **(env or {}), "PYTHONIOENCODING": "utf-8"}, timeout=120)
    line = [ln for ln in r.stderr.splitlines() if ln.startswith("MODULES ")][-1]
    return r.stdout, set(json.loads(line[len("MODULES "):]))


@pytest.fixture(scope="module")
def help_run():
    return run_probe(["--help"])


def test_county_help_imports_no_plugin_no_kernel_no_library_it_does_not_use(help_run):
    _, mods = help_run
    assert {"click", "framework", "framework.cli", "framework.cli.main", "framework.cli.root",
            "framework.discovery", "framework.errors"} <= mods
    ours = sorted(m for m in mods if m.startswith(("framework", "plugins")))
    assert ours == ["framework", "framework.cli", "framework.cli.main", "framework.cli.root",
                    "framework.discovery", "framework.errors"]
    assert not {"pluggy", "sqlite_utils", "attrs", "cattrs", "sqlite3", "holidays", "rich", "jinja2"} & mods


def test_county_help_lists_every_kernel_command_with_its_own_first_sentence_and_the_methods(help_run):
    out, _ = help_run
    commands = out[out.index("Commands:"):out.index("Methods (")]
    listed = [line.split()[0] for line in commands.splitlines()[1:] if line.strip()]
    assert listed == sorted(root.LAZY_COMMANDS)
    assert "  init      Create or update the database from a deployment file..." in commands
    assert "  units     The unit tree (单位)." in commands
    methods = out[out.index("Methods ("):].splitlines()[1:]
    assert " ".join(methods).split() == sorted(method_entry_points()[0])
    assert {"taizhang", "dianti", "daiban", "xiangkai", "shequ365", "jieti", "zouqian"} <= set(" ".join(methods).split())


def test_the_methods_listed_follow_load_and_disable():
    out, _ = run_probe(["--help"], {"COUNTY_LOAD_PLUGINS": "taizhang,jieti,daiban", "COUNTY_DISABLE_PLUGINS": "daiban"})
    assert out[out.index("Methods ("):].splitlines()[1:] == ["  jieti  taizhang"]
    out, _ = run_probe(["--help"], {"COUNTY_LOAD_PLUGINS": ""})
    assert "Methods (" not in out and "Commands:" in out


def test_lazy_table_says_what_each_command_says():
    """Each entry's modules register the command, and its text is the command's own first
    sentence: ``county --help`` shows the same line whether or not the module is imported."""
    for name, (modules, sentence) in root.LAZY_COMMANDS.items():
        command = root.cli.get_command(click.Context(root.cli), name)
        assert command is not None and command is root.cli.commands[name], name
        assert command.callback is None or command.callback.__module__ in modules or name == "case", name
        for limit in (30, 45, 70, 10_000):
            assert click.Command(name, help=sentence).get_short_help_str(limit) == command.get_short_help_str(limit), \
                (name, limit)
    kernel = {n for n, c in root.cli.commands.items() if n not in root.cli._from_plugins and not c.hidden}
    assert kernel == set(root.LAZY_COMMANDS)


def test_a_kernel_command_loads_its_family_only_and_no_plugin():
    out, mods = run_probe(["init", "--help"])
    assert "Create or update the database" in out
    assert "framework.cli.admin" in mods
    assert not {m for m in mods if m.startswith("plugins")}
    assert not {"framework.cli.publish", "framework.cli.io", "framework.cli.open311"} & mods


def test_a_method_command_loads_the_plugins():
    out, mods = run_probe(["taizhang", "--help"])
    assert out.startswith("Usage: county taizhang [OPTIONS] COMMAND [ARGS]...")
    assert "plugins.taizhang.commands" in mods


def test_import_framework_loads_the_api_on_first_use():
    code = ("import sys, framework; before = sorted(m for m in sys.modules if m.startswith('framework'));"
            "from framework import hookimpl; after = sorted(m for m in sys.modules if m.startswith('framework'));"
            "print(before); print('framework.kernel.county' in after, 'framework.hookspecs' in after)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.splitlines() == ["['framework']", "False True"]


def test_every_api_name_resolves_and_unknown_names_do_not():
    assert set(framework.LAZY_API) == set(framework.__all__) - {"__version__"}
    for name in framework.__all__:
        assert getattr(framework, name) is not None, name
    assert framework.MethodInfo.__module__ == "framework.models.method" or \
        framework.MethodInfo.__module__.startswith("framework.models")
    with pytest.raises(AttributeError, match="module 'framework' has no attribute 'nothing_here'"):
        framework.nothing_here  # noqa: B018
    assert {"hookimpl", "MethodContext", "Calendar"} <= set(dir(framework))


# -- a command on a county loads the methods it enables ----------------------------------------

@pytest.fixture(scope="module")
def two_method_db(tmp_path_factory):
    """A county enabling taizhang and dianti (dianti's deadline bound to taizhang), of the 20
    methods installed."""
    from tests.deployments import mini_zhongjiang

    folder = tmp_path_factory.mktemp("lazy")
    cfg = folder / "county.toml"
    cfg.write_text(mini_zhongjiang(("taizhang", "dianti")) + '\n[bindings]\ndianti.deadline = "taizhang"\n',
                   encoding="utf-8")
    db = folder / "c.db"
    r = subprocess.run([sys.executable, "-m", "framework.cli", "init", "--config", str(cfg), "--db", str(db)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return str(db)


def _plugins(mods):
    return sorted(m for m in mods if m.startswith("plugins.") and m.count(".") == (2 if m.startswith("plugins.contrib.") else 1)
                  and m != "plugins.contrib")


def test_a_command_on_a_county_imports_only_the_methods_it_enables(two_method_db):
    out, mods = run_probe(["case", "list", "--db", two_method_db, "--json"])
    assert json.loads(out) == []
    assert _plugins(mods) == ["plugins.dianti", "plugins.taizhang"]


def test_a_methods_command_group_loads_that_method_then_what_the_county_needs(two_method_db):
    _, mods = run_probe(["taizhang", "--help"])
    assert _plugins(mods) == ["plugins.taizhang"]
    out, mods = run_probe(["dianti", "group", "list", "--db", two_method_db, "--json"])
    assert json.loads(out) == []
    assert _plugins(mods) == ["plugins.dianti", "plugins.taizhang"]
    _, mods = run_probe(["plugins", "list"])
    assert len(_plugins(mods)) == len(method_entry_points()[0])


def test_methods_needed_reads_enabled_and_bound_methods():
    from framework.kernel.config import methods_needed

    assert methods_needed({"methods": ["dianti", "zouqian"], "bindings": {"dianti.deadline": "taizhang"}}) == \
        ["dianti", "zouqian", "taizhang"]
    assert methods_needed({"methods": ["taizhang"], "bindings": {"x.deadline": "taizhang"}}) == ["taizhang"]
    assert methods_needed(None) is None and methods_needed({"name": "x"}) is None


def test_a_registry_of_some_methods_names_the_rest_unloaded_and_says_what_it_covers():
    from framework.kernel.registry import Registry

    reg = Registry(only=["taizhang", "jieti"])
    assert sorted(reg.methods) == ["jieti", "taizhang"]
    assert reg.unloaded == set(method_entry_points()[0]) - {"taizhang", "jieti"}
    assert reg.covers(["taizhang"]) and not reg.covers(["dianti"]) and not reg.covers(None)
    full = Registry()
    assert full.covers(["dianti"]) and full.covers(None) and full.unloaded == set()


# -- what the operator is told about methods left out ------------------------------------------

def _county(args, env):
    return subprocess.run([sys.executable, "-m", "framework.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", env={**os.environ, **env, "PYTHONIOENCODING": "utf-8"}, timeout=120)


def test_a_disabled_methods_command_says_why_not_no_such_command():
    r = _county(["dianti", "--help"], {"COUNTY_DISABLE_PLUGINS": "dianti"})
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == ("error: county: method 'dianti' is installed but not loaded: named in COUNTY_DISABLE_PLUGINS "
                        "(`county plugins list` shows every method) (see `county --help`)\n")


def test_a_misspelt_plugin_name_in_the_environment_is_warned_with_the_closest_one(monkeypatch):
    from framework.discovery import unknown_env_names

    monkeypatch.setenv("COUNTY_DISABLE_PLUGINS", "dainti, taizhang")
    monkeypatch.setenv("COUNTY_LOAD_PLUGINS", "qqq")
    assert unknown_env_names({"dianti", "taizhang"}) == [
        "COUNTY_LOAD_PLUGINS names 'qqq', which no installed plugin has",
        "COUNTY_DISABLE_PLUGINS names 'dainti', which no installed plugin has (did you mean 'dianti'?)"]
    monkeypatch.delenv("COUNTY_LOAD_PLUGINS")
    r = _county(["plugins", "list"], {"COUNTY_DISABLE_PLUGINS": "dainti"})
    assert r.returncode == 0
    assert r.stderr == ("warning: COUNTY_DISABLE_PLUGINS names 'dainti', which no installed plugin has "
                        "(did you mean 'dianti'?)\n")


def test_a_usage_error_click_writes_on_several_lines_is_one_line():
    r = _county(["export", "--public"], {})
    assert r.returncode == 2
    assert r.stderr == ("error: county export: Missing option '--format'. Choose from: open311, csv "
                        "(see `county export --help`)\n")


def test_help_lists_every_method_while_a_registry_of_some_is_in_use(cli_registry):
    from framework.kernel.registry import Registry

    cli_registry(Registry(only=["taizhang"]))
    assert root.cli.method_names() == sorted(method_entry_points()[0])


def test_plugins_list_says_in_chinese_why_a_method_was_left_out():
    r = _county(["plugins", "list"], {"COUNTY_DISABLE_PLUGINS": "taizhang"})
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("taizhang "))
    assert line.split() == ["taizhang", "未加载：COUNTY_DISABLE_PLUGINS", "中已停用"]
    r = _county(["plugins", "list", "--json"], {"COUNTY_DISABLE_PLUGINS": "taizhang"})
    assert next(p for p in json.loads(r.stdout) if p["name"] == "taizhang")["skipped"] == \
        "named in COUNTY_DISABLE_PLUGINS"  # --json keeps the reason as the registry gives it
