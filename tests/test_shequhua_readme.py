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


def test_quick_start_runs(tmp_path):
    """The README's Quick start, every command with --now, and its comments: the matter taken in
    Mon 2024-11-04 at 鸭子河村's centre is due 11-11 23:59:59 (centre_days 7 calendar days, the
    plugin's choice: the source sets no limit), goes up at the 11-12 08:00 sweep with 向阳街道
    joining (帮联对子, casebook L273) and is due at the township 11-22 23:59:59 (township_days 10);
    the quarter's appraisal gives the README's figures (示范村15个 → 1/15, L276)."""
    run = CountyRunner(tmp_path / "county.db")
    commands = readme_commands(README, "Quick start")
    assert len(commands) == 11 and commands[0][:3] == ["county", "init", "--config"]
    assert all("--now" in c for c in commands)
    out = [r.data for r in run_commands(run, [c + ["--json"] for c in commands], cwd=ROOT)]
    assert out[2]["villages"] == ["ss.mj.yzh"]
    case = out[3]
    assert (case["id"], case["level"], case["handler"], case["due_at"]) == (
        "ss-000001", "centre", "yzh-03", "2024-11-11T23:59:59+08:00")
    assert [(a["case"], a["from"], a["to"], a["due_at"]) for a in out[4]["actions"]] == [
        ("ss-000001", "centre", "township", "2024-11-11T23:59:59+08:00")]
    done = out[5]
    assert (done["status"], done["level"], done["handler"], done["joint_unit"], done["due_at"]) == (
        "resolved", "township", "mj-01", "ss.xy", "2024-11-22T23:59:59+08:00")
    village = [b for b in out[9] if b["unit"] == "ss.mj.yzh"][0]
    matters = [s for s in village["sections"] if s["title"] == "本期服务事项"][0]["rows"]
    assert [(r["case_id"], r["due_on"], r["status"]) for r in matters] == [("ss-000001", "2024-11-22", "已办结")]
    got = {m["metric"]: (m["numerator"], m["denominator"], m["value"]) for m in out[10]
           if m["method"] == "shequhua" and m["subject"] == "ss"}
    assert got["pilot_villages"][2] == 3 and got["model_villages"][2] == 1
    assert got["org_coverage"] == (1, 3, 1 / 3) and got["pairing_coverage"] == (2, 3, 2 / 3)
    assert got["township_pairing_coverage"] == (3, 3, 1.0) and got["model_target_rate"] == (1, 15, 1 / 15)
    assert got["spot_check_rate"] == (1, 1, 1.0) and got["check_good_rate"] == (1, 1, 1.0)
    assert got["regular_check_coverage"] == (0, 3, 0.0)
    assert got["errands_done"][2] == 1 and got["column_reports"][2] == 1
