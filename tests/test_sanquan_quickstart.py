"""sanquan's README quick start runs as written (every command exit 0), and its comments hold:
the matter taken in Fri 2024-10-11 21:30 (out of hours) is timed from the 调休 Saturday 10-12
08:00 and due 2024-10-16 23:59:59 (3 working days, L367), handled by the B post while A is on
leave (L371); the sweep at 10-17 08:00 sends it to 北山街道 due 2024-10-24 23:59:59 (5 working
days after Thu 10-17); the October appraisal gives 错时以外受理占比 1/1, 星级户上门服务完成率 1/31
(a five-star household, daily windows 10-01..10-31, one visit) and 按期办结率 0/1."""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.sanquan
from framework.testing import run_quick_start

README = Path(plugins.contrib.sanquan.__file__).parent / "README.md"
ROOT = Path(plugins.contrib.sanquan.__file__).parents[3]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return run_quick_start(README, tmp_path_factory.mktemp("sanquan_qs"), ROOT)


def test_quick_start_commands(quick):
    _, commands, results = quick
    assert len(commands) == 11 and commands[0][:2] == ["county", "init"]
    assert all("--now" in c for c in commands)
    # the method's own commands as the operator reads them (in Chinese)
    assert [results[i].output for i in (1, 2, 3, 4, 6)] == [
        "H1：五星级，自2024-10-01起\n", "xh.bs.dsn 社保：A岗 dsn-lin，B岗 dsn-fang\n",
        "dsn-lin：请假 2024-10-12T00:00:00+08:00 — 2024-10-16T00:00:00+08:00\n",
        "2024-10-11 工作日：08:00—21:00\n2024-10-11T21:30:00+08:00：错时以外，计时起点 2024-10-12T08:00:00+08:00\n",
        "H1：2024-10-14 葛某上门服务\n"]
    assert ("xh-000001  时限已逾期：complete（社区（村）3个工作日内办结，逾期转镇（街道）），期限 2024-10-16T23:59:59+08:00；"
            "上报 社区（村） community → 镇（街道） subdistrict\n") in results[7].output
    assert "| xh-000001 | 2024-10-11 21:30 | 窗口服务 | 社保卡补办 |" in results[9].output


def test_matter_times_and_handlers(quick):
    run = quick[0]
    case = run("case", "show", "xh-000001", "--json", "--now", "2024-11-01").data
    assert (case["status"], case["level"], case["handler"], case["due_at"]) == (
        "resolved", "subdistrict", "bs-yuan", "2024-10-24T23:59:59+08:00")
    assert case["extra"]["in_hours"] is False
    events = run("case", "show", "xh-000001", "--json", "--now", "2024-11-01").data["events"]
    first = next(e for e in events if e["type"] == "assigned")
    assert "由B岗方某办理" in (first.get("note") or "")


def test_appraisal_values(quick):
    run = quick[0]
    rows = run("appraise", "--unit", "xh.bs.dsn", "--period", "2024-10", "--now", "2024-11-01", "--json").data
    mine = {(r["metric"], r["tier"]): (r["numerator"], r["denominator"], r["value"])
            for r in rows if r["subject"] == "xh.bs.dsn" and r["method"] == "sanquan"}
    assert mine[("out_of_hours_share", None)] == (1, 1, 1.0)
    assert mine[("star_visit_rate", None)] == (1, 31, 1 / 31)
    assert mine[("on_time_rate", None)] == (0, 1, 0.0)
    assert mine[("tier_on_time_rate", "subdistrict")] == (1, 1, 1.0)
