"""sanzhuanbian's README quick start runs as written (every command exit 0), and its comments
hold: the problem taken in Fri 2024-09-27 with `limit=+10wd` is due 2024-10-16 23:59:59 (China's
calendar: Sun 09-29 and Sat 10-12 worked, 10-01..07 off), handled by the household's cadre with
the paired department as joint unit (L110); the sweep at 10-17 08:00 flags it without moving it;
struck off by the supervisor; the October appraisal of the village gives coverage 1/1, visit
days 1/1, strike-offs 1/1, the 80 % line 1/1 and the team's satisfaction 40/50."""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.sanzhuanbian
from framework.testing import run_quick_start

README = Path(plugins.contrib.sanzhuanbian.__file__).parent / "README.md"
ROOT = Path(plugins.contrib.sanzhuanbian.__file__).parents[3]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return run_quick_start(README, tmp_path_factory.mktemp("sanzhuanbian_qs"), ROOT)


def test_quick_start_commands(quick):
    _, commands, results = quick
    assert len(commands) == 12 and commands[0][:2] == ["county", "init"]
    assert all("--now" in c for c in commands)
    assert "ws-000001  时限已逾期：close（限时办结，逾期督办），期限 2024-10-16T23:59:59+08:00；督办（无上报层级）\n" in results[6].output
    # the method's own commands as the operator reads them (in Chinese)
    assert [results[i].output for i in (1, 2, 3, 5, 8, 9)] == [
        "户 c1-h1：阿合雅镇一村（困难户）\n", "c1-h1 → 艾某（干部联系农户）\n", "县农业局 对口帮扶 阿合雅镇一村\n",
        "走访 1：艾某 → c1-h1\n", "ws-000001：已销号\n", "阿合雅镇一村：“两委”班子满意度 80.00%，达80%以上\n"]
    assert "| ws-000001 | 房屋漏雨 | 艾某 | 2024-10-18 | 已销号 |" in results[10].output


def test_problem(quick):
    run = quick[0]
    case = run("case", "show", "ws-000001", "--json", "--now", "2024-11-01").data
    assert (case["status"], case["priority"], case["handler"], case["joint_unit"], case["level"]) == (
        "resolved", "high", "nyj-01", "ws.nyj", None)
    assert case["due_at"] == case["extra"]["limit_due_at"] == "2024-10-16T23:59:59+08:00"
    assert [e["type"] for e in case["events"]].count("overdue") == 1


def test_appraisal_values(quick):
    run = quick[0]
    rows = run("appraise", "--unit", "ws.ahy.c1", "--period", "2024-10", "--now", "2024-11-01", "--json").data
    mine = {r["metric"]: (r["numerator"], r["denominator"], r["value"])
            for r in rows if r["subject"] == "ws.ahy.c1" and r["method"] == "sanzhuanbian"}
    assert mine["household_coverage"] == (1, 1, 1.0)
    assert mine["visit_day_rate"] == (1, 1, 1.0)
    assert mine["struck_off_rate"] == (1, 1, 1.0)
    assert mine["team_threshold_share"] == (1, 1, 1.0)
    assert mine["team_satisfaction"] == (40, 50, 0.8)
