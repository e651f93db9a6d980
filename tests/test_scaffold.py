"""`county plugins new NAME` (issue 18): the skeleton it writes installs on its own and passes
its own tests.

One plugin is generated per session into a temporary folder and installed editable
(``pip install --no-deps --no-build-isolation -e``) into a fresh virtual environment that sees
the already-installed project (``python -m venv --system-site-packages``, plus a ``.pth`` adding
this environment's site-packages when it is itself a venv — nothing is downloaded). In it the
generated tests (the conformance suite and one CLI scenario) pass and ``county plugins list``
lists the new method. The refusals are checked in-process.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from framework.cli.main import cli
from framework.testing.conformance import MethodConformance

#: the conformance suite's checks (each a test of the generated plugin's test class)
CHECKS = [n for n in dir(MethodConformance) if n.startswith("test_")]

NAME = "wuri"
FILES = ["README.md", "conftest.py", "county.toml", "county_wuri/__init__.py", "county_wuri/board.py",
         "county_wuri/commands.py", "county_wuri/demo.py", "county_wuri/rules.py", "county_wuri/stages.py",
         "pyproject.toml", "tests/test_cli.py", "tests/test_conformance.py"]


def county(*args):
    """``county ARGS`` in-process: (exit code, stdout, stderr)."""
    r = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def run(cmd, cwd, env):
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The generated folder, and the python of a fresh venv into which it is installed."""
    root = tmp_path_factory.mktemp("scaffold")
    code, out, err = county("plugins", "new", NAME, "--dir", root, "--title-zh", "五日办结法", "--county", "示例县",
                            "--json")
    assert code == 0, err
    made = json.loads(out)
    target = root / f"county-{NAME}"
    assert made == {"name": NAME, "path": str(target), "package": "county_wuri", "distribution": "county-wuri",
                    "files": FILES}

    venv = root / "venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUNTY_", "PYTHON"))}
    run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], root, env)
    python = venv / "bin" / "python"
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], root, env).stdout.strip()
    # this environment's site-packages (a venv's are not the base interpreter's "system" ones),
    # with their .pth files (the project's editable install)
    ours = [p for p in dict.fromkeys([*site.getsitepackages(), sysconfig.get_path("purelib")]) if Path(p).is_dir()]
    Path(purelib, "_county_outer.pth").write_text(
        "".join(f"import site; site.addsitedir({p!r})\n" for p in ours), encoding="utf-8")
    run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-e", target], root, env)
    return target, python, env


def test_the_generated_tests_pass_in_a_fresh_venv(installed):
    target, python, env = installed
    done = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], target, env)
    # the checks of the conformance suite, the CLI scenario and the demo month
    assert f"{len(CHECKS) + 2} passed" in done.stdout, done.stdout[-2000:]


def test_county_plugins_list_in_the_venv_lists_the_new_method(installed):
    target, python, env = installed
    done = run([python, "-m", "framework.cli", "plugins", "list", "--json"], target.parent, env)
    row = {r["name"]: r for r in json.loads(done.stdout)}[NAME]
    assert (row["title_zh"], row["version"], row["distribution"], row["source"], row["broken"]) == (
        "五日办结法", "0.1.0", "county-wuri", "示例县 L29, L35", None)
    assert row["stages"] == ["intake", "triage", "assignment", "deadline", "publicity", "appraisal"]
    assert row["tiers"] == ["village", "township"]


def test_the_skeleton_names_its_method_and_entry_point(installed):
    target, _, _ = installed
    pyproject = (target / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.county]\nwuri = "county_wuri"' in pyproject
    assert 'dependencies = ["county-methods"]' in pyproject
    rules = (target / "county_wuri" / "rules.py").read_text(encoding="utf-8")
    assert 'TITLE_ZH = "五日办结法"' in rules and 'SOURCE_COUNTY = "示例县"' in rules


@pytest.mark.parametrize("name, message", [
    ("Wuri", "error: NAME 'Wuri': use a lowercase identifier (a-z, 0-9, _; a letter first), e.g. wuri\n"),
    ("wu-ri", "error: NAME 'wu-ri': use a lowercase identifier (a-z, 0-9, _; a letter first), e.g. wuri\n"),
    ("class", "error: NAME 'class': use a lowercase identifier (a-z, 0-9, _; a letter first), e.g. wuri\n"),
    ("taizhang", "error: NAME 'taizhang': an installed method has that name (plugins.taizhang); choose another "
                 "(`county plugins list` shows them)\n"),
    ("board", "error: NAME 'board': `county board` is a kernel command; choose another name\n"),
])
def test_a_bad_or_taken_name_is_refused_in_one_line(tmp_path, name, message):
    assert county("plugins", "new", name, "--dir", tmp_path) == (2, "", message)
    assert list(tmp_path.iterdir()) == []


def test_a_non_empty_folder_is_refused_without_force_and_loses_nothing(tmp_path):
    target = tmp_path / "county-shiri"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    (target / "README.md").write_text("my readme", encoding="utf-8")
    assert county("plugins", "new", "shiri", "--dir", tmp_path) == (
        2, "", f"error: --dir {tmp_path}: {target} exists and is not empty; give --force to write the skeleton "
               f"into it\n")
    assert sorted(p.name for p in target.iterdir()) == ["README.md", "notes.txt"]
    assert (target / "README.md").read_text(encoding="utf-8") == "my readme"
    code, out, _ = county("plugins", "new", "shiri", "--dir", tmp_path, "--force")
    assert code == 0 and out.startswith(f"已创建 {target}：12 个文件，工作法 shiri（包 county_shiri）\n"
                                        f"中文名暂为 shiri工作法：用 --title-zh 指定，或改 county_shiri/rules.py 的 TITLE_ZH\n")
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (target / "README.md").read_text(encoding="utf-8").startswith("# shiri — shiri工作法\n")


def test_a_title_on_two_lines_is_refused(tmp_path):
    assert county("plugins", "new", "shiri", "--dir", tmp_path, "--title-zh", "五日\n办结") == (
        2, "", "error: --title-zh '五日\\n办结': give one line of text\n")
