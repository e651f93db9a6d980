"""zouqian's README quick start runs as written (every command exit 0), and its comments hold:
the problem is due 2024-10-12 23:59:59 (5 working days after Mon 09-30 over National Day, with the
make-up Saturday 10-12), the sweep of 10-13 reports it up to 花木街道, 一般 sends it back and
很满意 lets it leave the platform."""

from __future__ import annotations

import shlex
from pathlib import Path

import plugins.contrib.zouqian
from test_zouqian_month import Run

README = Path(plugins.contrib.zouqian.__file__).parent / "README.md"


def quick_start() -> list[list[str]]:
    text = README.read_text(encoding="utf-8").split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands, current = [], ""
    for line in text.splitlines():
        if not (line.startswith("    county ") or current and line.startswith("    ")):
            continue
        current += line.strip().split("   #")[0].rstrip("\\").strip() + " "
        if not line.rstrip().endswith("\\"):
            commands.append(shlex.split(current))
            current = ""
    return commands


def test_quick_start_runs(tmp_path):
    root = Path(plugins.contrib.zouqian.__file__).parents[3]
    run = Run(tmp_path / "county.db")
    commands = quick_start()
    assert [c[:2] for c in commands][:3] == [["county", "init"], ["county", "zouqian"], ["county", "zouqian"]]
    for args in commands:
        assert args[0] == "county"
        args = [str(root / a) if a.endswith(".toml") else a for a in args[1:]]
        run(*args)
    case = run("case", "show", "pd-000001", "--json").data
    assert (case["status"], case["satisfaction"], case["level"], case["unit"]) == (
        "confirmed", "very_satisfied", "jiezhen", "pd.hm")
    types = [e["type"] for e in case["events"]]
    assert types.count("escalated") == 1 and types.count("reopened") == 1
    due = [e for e in case["events"] if e["type"] == "overdue"][0]
    assert due["data"]["due_at"] == "2024-10-12T23:59:59+08:00"
