"""A lean start-up and install (issue 13): behaviour, not timing.

* ``import framework`` (the plugin API) and ``import framework.cli.main`` (the console script)
  load none of the heavy optional modules — they are imported inside the functions that use
  them (``tests/test_architecture.py``'s ``LAZY_ALLOWED``) — nor numpy, whatever else is
  installed: sqlite-utils imports numpy and pandas when they are there, so the check runs as
  in a lean install, where they are not;
* ``county --help`` and a kernel command's ``--help`` load none of them either, and a kernel
  command's help does not import the plugins;
* ``pip install -e .`` pulls no numpy, scipy, matplotlib, scikit-learn (the declared
  dependencies; ``.ci/run`` installs into a fresh environment and checks what arrived);
* a feature whose extra is missing says in one line which extra to install (exit 2), checked
  by hiding the package from the import system in a subprocess.

The timings themselves are printed by ``python benchmarks/startup.py``, never asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Modules neither the plugin API nor the CLI may load at import time.
HEAVY = ("openpyxl", "jinja2", "rich", "defusedxml", "sklearn", "matplotlib", "numpy", "scipy", "pandas",
         "datasette", "click_repl", "prompt_toolkit")

#: Put first on ``sys.meta_path`` in a subprocess: ``HIDE`` (top-level names) cannot be found,
#: as when they are not installed; ``HIDE_FROM`` hides names only from the given importer
#: module (sqlite-utils' optional numpy/pandas).
FINDER = textwrap.dedent("""
    import sys

    class Hide:
        def __init__(self, names, only_from=None):
            self.names, self.only_from = set(names), only_from

        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] not in self.names:
                return None
            if self.only_from is not None:
                frame = sys._getframe(1)
                while frame is not None and frame.f_globals.get("__name__", "").startswith(
                        ("importlib", "_frozen_importlib")):
                    frame = frame.f_back
                caller = frame.f_globals.get("__name__", "") if frame is not None else ""
                if not caller.startswith(self.only_from):
                    return None
            raise ModuleNotFoundError(f"No module named {name!r} (hidden by the test)", name=name)

    sys.meta_path[:0] = [Hide(HIDE), Hide(("numpy", "pandas"), only_from="sqlite_utils")]
""")


def run_python(code: str, hide=(), args=(), cwd=None) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter with :data:`FINDER` installed hiding ``hide``."""
    prog = f"HIDE = {tuple(hide)!r}\n{FINDER}\n{textwrap.dedent(code)}"
    return subprocess.run([sys.executable, "-c", prog, *args], capture_output=True, text=True, cwd=cwd or ROOT,
                          timeout=120, env=_env())


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("COUNTY_")} | {"COLUMNS": "100"}


def loaded_after(code: str) -> dict:
    """Which of :data:`HEAVY` and which ``plugins`` modules are in ``sys.modules`` after
    ``code``."""
    r = run_python(code + textwrap.dedent(f"""
        import json, sys
        print("\\n" + json.dumps({{"heavy": [m for m in {HEAVY!r} if m in sys.modules],
                                   "plugins": sorted(m for m in sys.modules if m.startswith("plugins"))}}))
    """))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def check_heavy(heavy: list[str], what: str) -> None:
    """No module of :data:`HEAVY` loaded by ``what``."""
    assert heavy == [], f"{what} loads {heavy}: import them inside the functions that use them"


@pytest.mark.parametrize("module", ["framework", "framework.cli.main"])
def test_importing_loads_no_heavy_module(module):
    check_heavy(loaded_after(f"import {module}")["heavy"], f"`import {module}`")


HELP = """
    import sys
    from framework.cli.main import cli
    try:
        cli.main(args=ARGS, prog_name="county", standalone_mode=True)
    except SystemExit as e:
        assert e.code == 0, e.code
"""


def test_county_help_loads_no_heavy_module():
    check_heavy(loaded_after("ARGS = ['--help']\n" + textwrap.dedent(HELP))["heavy"], "`county --help`")


@pytest.mark.parametrize("args", [["case", "add", "--help"], ["appraise", "--help"], ["triage", "propose", "--help"]])
def test_a_kernel_commands_help_loads_neither_heavy_modules_nor_plugins(args):
    got = loaded_after(f"ARGS = {args!r}\n" + textwrap.dedent(HELP))
    assert got["plugins"] == [], f"`county {' '.join(args)}` imports the plugins"
    check_heavy(got["heavy"], f"`county {' '.join(args)}`")


def test_the_base_install_pulls_no_numpy_scipy_matplotlib_or_sklearn():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(reqs):
        return {r.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].split("~")[0].strip().lower()
                for r in reqs}

    assert names(project["dependencies"]) & {"numpy", "scipy", "matplotlib", "scikit-learn", "pandas"} == set()
    extras = project["optional-dependencies"]
    assert "scikit-learn" in names(extras["ml"]) and "datasette" in names(extras["serve"])


ML_MESSAGE = "needs the ml extra: pip install 'county-methods[ml]'"


def test_training_without_the_ml_extra_says_which_extra_to_install(tmp_path):
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("留言编号,留言主题,留言详情,一级分类\n1,路灯坏了,晚上很黑,城乡建设\n", encoding="utf-8")
    r = run_python("""
        import sys
        from framework.cli.main import main
        sys.argv = ["county", *sys.argv[1:]]
        main()
    """, hide=["sklearn"], args=["triage", "propose", "--title", "路灯坏了", "--train", str(labelled)])
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == f"error: county triage propose --train {ML_MESSAGE}\n"


def test_the_classifier_without_the_ml_extra_is_a_county_error():
    r = run_python("""
        from framework.errors import CountyError
        from framework.interchange.triage import TextClassifier
        try:
            TextClassifier()
        except CountyError as e:
            print(e.exit_code, e)
    """, hide=["sklearn"])
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"2 the scikit-learn classifier {ML_MESSAGE}\n"


def test_the_keyword_triage_and_the_html_report_need_no_extra(tmp_path):
    # hidden: every optional extra and the plotting stack the charts used to need
    r = run_python("""
        from framework.interchange.triage import KeywordRule
        from framework.publish import charts
        print(KeywordRule().propose("化工厂夜间排放刺鼻废气").label)
        svg = charts.stacked_bars("图", ["甲村"], [("村", [60.0]), ("乡镇", [40.0])], "办结占比（%）")
        svg += charts.lines("线", ["2026年1月", "2026年2月"], [("台账工作法", [50.0, None])], "按期办结率（%）")
        print(svg.count("<svg "), svg.count("<rect "), svg.count("<circle "))
    """, hide=["sklearn", "matplotlib", "numpy", "scipy", "datasette"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["环境保护", "2 5 1"]


def test_serve_without_the_serve_extra_says_which_extra_to_install():
    # run_datasette asks importlib.util.find_spec, which reports a module that is None in
    # sys.modules as not installed (a finder that raises would escape find_spec instead)
    r = run_python("""
        import sys
        sys.modules["datasette"] = None
        from framework.errors import CountyError
        from framework.publish.serve import run_datasette
        try:
            run_datasette(["datasette"])
        except CountyError as e:
            print(e.exit_code, e)
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("2 county serve needs datasette: pip install datasette (or the serve extra: "
                               "pip install 'county-methods[serve]')")


def test_county_serve_without_the_extra_writes_nothing_and_claims_nothing(tmp_path, make_county):
    """Found by a first-time operator: it printed "serving …" and left a snapshot folder."""
    from deployments import mini_zhongjiang

    make_county(mini_zhongjiang())
    db = tmp_path / "county.db"
    r = run_python(f"""
        import sys, os
        sys.modules["datasette"] = None
        os.chdir({str(tmp_path)!r})
        from framework.cli.main import main
        sys.argv = ["county", "serve", "--db", {str(db)!r}, "--period", "2026", "--out-dir", "snap"]
        main()
    """)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.startswith("error: county serve needs datasette: pip install datasette")
    assert not (tmp_path / "snap").exists()
