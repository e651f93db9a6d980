"""The example of plugins/contrib/shequhua/README.md runs as written (on a throw-away database),
and what its comments say is what the commands answer."""

from __future__ import annotations

from pathlib import Path

import plugins.contrib.shequhua
from framework.testing import CountyRunner, readme_commands, run_commands

README = Path(plugins.contrib.shequhua.__file__).parent / "README.md"
ROOT = Path(plugins.contrib.shequhua.__file__).resolve().parents[3]


def test_the_readme_example_runs(tmp_path):
    run = CountyRunner(tmp_path / "county.db")
    commands = readme_commands(README, "An example")
    assert [c[:3] for c in commands][:2] == [["county", "init", "--config"], ["county", "case", "add"]]
    out = [r.data for r in run_commands(run, [c + ["--json"] for c in commands], cwd=ROOT)]
    by = {" ".join(c[1:3]): d for c, d in zip(commands, out)}
    assert (out[1]["id"], out[1]["handler"]) == ("ss-000001", "yzh-02")
    assert (out[2]["category"], out[2]["extra"]["kind"], out[2]["handler"]) == ("mediation", "dispute", "yzh-01")
    assert by["shequhua draw"]["villages"] == ["ss.mj.yzh"]
    assert by["shequhua reimburse"]["village_part"] == 2000.0
    assert {(d["kind"], d["unit"], d["done"]) for d in by["duties --date"] if d["method"] == "shequhua"} >= {
        ("regular_check", "ss.mj.yzh", True), ("regular_check", "ss.dp.dxlz", False)}
    assert [m["value"] for m in by["appraise --unit"] if m["metric"] == "model_villages" and m["subject"] == "ss"] == [1]
