"""zouqian's README quick start runs as written (every command exit 0), and its comments hold:
the problem is due 2024-10-12 23:59:59 (5 working days after Mon 09-30 over National Day, with the
make-up Saturday 10-12), the sweep of 10-13 reports it up to 花木街道, 一般 sends it back and
很满意 lets it leave the platform."""

from __future__ import annotations

from pathlib import Path

import plugins.contrib.zouqian
from framework.testing import CountyRunner, readme_commands, run_commands

README = Path(plugins.contrib.zouqian.__file__).parent / "README.md"


def test_quick_start_runs(tmp_path):
    root = Path(plugins.contrib.zouqian.__file__).parents[3]
    run = CountyRunner(tmp_path / "county.db")
    commands = readme_commands(README, "Quick start")
    assert [c[:2] for c in commands][:3] == [["county", "init"], ["county", "zouqian"], ["county", "zouqian"]]
    run_commands(run, commands, cwd=root)
    case = run("case", "show", "pd-000001", "--json").data
    assert (case["status"], case["satisfaction"], case["level"], case["unit"]) == (
        "confirmed", "very_satisfied", "jiezhen", "pd.hm")
    types = [e["type"] for e in case["events"]]
    assert types.count("escalated") == 1 and types.count("reopened") == 1
    due = [e for e in case["events"] if e["type"] == "overdue"][0]
    assert due["data"]["due_at"] == "2024-10-12T23:59:59+08:00"
