"""wugeyi's README quick start runs as written (every command exit 0, in a throw-away folder),
and its comments hold: the proxy errand taken in Fri 2024-09-27 at 峰北村's station is due
09-30 23:59:59 (village_days 3 calendar days, the sample's choice for 限时办结, casebook L122),
goes up to the township centre at the 10-01 sweep, and is due there on the make-up Saturday
10-12 23:59:59 (5 working days past the National Day holiday); the appraisal's rates are the
README's."""

from __future__ import annotations

from pathlib import Path

import plugins.contrib.wugeyi
from framework.testing import CountyRunner, readme_commands, run_commands

README = Path(plugins.contrib.wugeyi.__file__).parent / "README.md"
ROOT = Path(plugins.contrib.wugeyi.__file__).resolve().parents[3]


def test_quick_start_runs(tmp_path):
    run = CountyRunner(tmp_path / "county.db")
    commands = readme_commands(README, "Quick start")
    assert len(commands) == 11 and commands[0][:3] == ["county", "init", "--config"]
    assert all("--now" in c for c in commands)
    out = [r.data for r in run_commands(run, [c + ["--json"] for c in commands], cwd=ROOT)]
    case = out[5]
    assert (case["id"], case["level"], case["priority"], case["handler"], case["joint_handler"]) == (
        "cd-000001", "village_station", "high", "fb-01", "sf-02")
    assert (case["due_at"], case["extra"]["proxy"], case["extra"]["segment"]) == ("2024-09-30T23:59:59+08:00", True, "poor")
    assert [(a["case"], a["from"], a["to"], a["due_at"]) for a in out[6]["actions"]] == [
        ("cd-000001", "village_station", "township_centre", "2024-09-30T23:59:59+08:00")]
    assert (out[7]["status"], out[7]["level"], out[7]["handler"], out[7]["due_at"]) == (
        "resolved", "township_centre", "sf-02", "2024-10-12T23:59:59+08:00")
    assert [b["title"] for b in out[9]] == ["双峰寺镇五个一乡镇便民服务体系事项办理台账（2024-10）", "峰北村连心卡"]
    # escalated, the proxy errand is led by the township centre: its tier reads 领办, not 代办 (L122)
    assert [(r["case_id"], r["receiver"], r["tier"], r["due_on"], r["status"], r["feedback"])
            for r in out[9][0]["sections"][0]["rows"]] == [
        ("cd-000001", "曲镇长", "乡镇便民服务中心（领办）", "2024-10-12", "已办结", "已反馈")]
    got = {m["metric"]: (m["numerator"], m["denominator"], m["value"]) for m in out[10]
           if m["method"] == "wugeyi" and m["subject"] == "cd.sf"}
    assert got["completion_rate"] == (1, 1, 1.0) and got["completion_target_met"][2] == 1
    assert got["proxy_share"] == (0, 1, 0.0) and got["first_receiver_rate"] == (1, 1, 1.0)
    assert got["feedback_rate"] == (1, 1, 1.0) and got["card_coverage"] == (1, 1, 1.0)
    # 每月 (L126): 3 villages × the 6 months of 2024H2, all come by 2025-01-05; one talk (峰北村, 09-26)
    assert got["talk_coverage"] == (1, 18, 1 / 18) and got["liaison_rate"] == (1, 3, 1 / 3)
