"""A third-party method plugin, installed with pip from a separate directory, is found through
the ``county`` entry point and passes the conformance suite with one line of its own tests."""

import json
import os
import subprocess
import sys
import textwrap

from framework.testing.conformance import MethodConformance

PLUGIN = '''
"""A tiny third-party method: requests answered within 3 working days, else flagged."""
from framework import Board, BoardSection, Deadline, MethodInfo, Metric, Milestone, Tier, hookimpl, rate


@hookimpl
def county_method():
    """Declare the method."""
    return MethodInfo(name="thirdparty", title_zh="三日答复法", title="Three-day reply", source_county="示例县",
                      source_lines="n/a", version="1.2.3", stages=("deadline", "publicity", "appraisal"),
                      channels={"hotline": "热线"}, categories={"roads": "道路"},
                      tiers=[Tier("village", "村", "village", "3个工作日内答复")])


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """3 working days from arrival, flagged when missed."""
    return Deadline([Milestone("reply", ctx.calendar.working_days(arrived_at, 3), "flag", None, True)])


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """One table of every case with its requester (raw: the kernel masks)."""
    rows = [{"case_id": c.id, "title": c.title, "who": c.requester.name, "phone": c.requester.phone}
            for c in cases()]
    return [Board("thirdparty", f"{unit.name}{period}答复公示", unit.code, period,
                  [BoardSection("答复", [("case_id", "编号"), ("title", "事项"), ("who", "诉求人"), ("phone", "电话")], rows)])]


@hookimpl
def county_appraisal(ctx, unit, period):
    """Share of cases with a handler."""
    return [rate("handled_share", unit.code if unit else "all", 0, 0, label="有承办人占比")]
'''

PYPROJECT = '''
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "county-thirdparty"
version = "1.2.3"

[project.entry-points.county]
thirdparty = "county_thirdparty"

[tool.setuptools]
packages = ["county_thirdparty"]
'''

CONFORMANCE = '''
from framework.testing.conformance import MethodConformance


class TestThirdParty(MethodConformance):
    method = "thirdparty"
'''


def test_thirdparty_plugin_installed_from_separate_directory(tmp_path):
    src = tmp_path / "src"
    (src / "county_thirdparty").mkdir(parents=True)
    (src / "county_thirdparty" / "__init__.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    (src / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    site = tmp_path / "site"
    cmd = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(src)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]

    env = dict(os.environ, PYTHONPATH=str(site))
    # found through the entry point by the CLI
    listed = subprocess.run([sys.executable, "-m", "framework.cli", "plugins", "list", "--json"], env=env,
                            capture_output=True, text=True, check=True, cwd=tmp_path)
    by_name = {r["name"]: r for r in json.loads(listed.stdout)}
    assert by_name["thirdparty"]["version"] == "1.2.3"
    assert by_name["thirdparty"]["distribution"] == "county-thirdparty"
    assert by_name["thirdparty"]["stages"] == ["deadline", "publicity", "appraisal"]

    # and it passes the conformance suite with one line in its own tests
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_conformance.py").write_text(CONFORMANCE, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)], env=env,
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    checks = [n for n in dir(MethodConformance) if n.startswith("test_")]
    assert f"{len(checks)} passed" in run.stdout  # every check of MethodConformance
