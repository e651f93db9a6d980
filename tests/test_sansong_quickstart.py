"""sansong's README quick start runs as written (every command exit 0), and its comments hold:
the contact cadre's case taken in 2024-10-08 is due 2024-10-15 23:59:59 (cadre_days 7, calendar
days); the sweep at 10-16 08:00 moves it to 村级联动 (hk-01, the stationed zjj-01 joint, L155),
due 2024-10-23 23:59:59; the public promise moves that to 2024-10-20 23:59:59 (L140); the 2024Q4
appraisal gives 联系干部直接解决率 0/1, 民情日记签字认可率 1/1, 民意恳谈会按季召开率 1/1 and
驻村工作队人数达标率 1/1."""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.sansong
from framework.testing import CountyRunner, readme_commands, run_commands

README = Path(plugins.contrib.sansong.__file__).parent / "README.md"
ROOT = Path(plugins.contrib.sansong.__file__).parents[3]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("sansong_qs") / "county.db")
    commands = readme_commands(README, "Quick start")
    states = {}
    results = run_commands(run, commands[:3], cwd=ROOT)
    states["taken"] = run("case", "show", "gz-000001", "--json", "--now", "2024-10-08T10:00").data
    results += run_commands(run, commands[3:6], cwd=ROOT)
    states["swept"] = run("case", "show", "gz-000001", "--json", "--now", "2024-10-16T08:00").data
    results += run_commands(run, commands[6:], cwd=ROOT)
    return run, commands, results, states


def test_quick_start_commands(quick):
    _, commands, results, _ = quick
    assert len(commands) == 11 and commands[0][:2] == ["county", "init"]
    assert all("--now" in c for c in commands)
    assert ("gz-000001  时限已逾期：close（联系干部：7天），期限 2024-10-15T23:59:59+08:00；"
            "上报 联系干部直接解决 cadre → 村级联动 village\n") in results[5].output
    # the method's own commands as the operator reads them (in Chinese)
    assert [results[i].output for i in (1, 3, 4, 6, 8)] == [
        "zjj-02 驻 禾坑村：已登记\n", "民情日记 1：已记录，待群众签字\n", "民情日记 1：钟大明 已签字认可\n",
        "gz-000001：公开承诺，村，限 2024-10-20T23:59:59+08:00 前办结\n", "民意恳谈会 1：有效\n"]
    assert "| gz-000001 | 2024-10-08 | 组里路灯不亮 |  | 钟干部 | 2024-10-20（公开承诺） | 村 | 已办结 |" in results[9].output


def test_due_instants(quick):
    run, _, _, states = quick
    taken, swept = states["taken"], states["swept"]
    assert (taken["level"], taken["handler"], taken["priority"], taken["due_at"]) == (
        "cadre", "zjj-01", "high", "2024-10-15T23:59:59+08:00")
    assert (swept["level"], swept["handler"], swept["joint_handler"], swept["due_at"]) == (
        "village", "hk-01", "zjj-01", "2024-10-23T23:59:59+08:00")
    final = run("case", "show", "gz-000001", "--json", "--now", "2024-11-01").data
    assert (final["status"], final["due_at"]) == ("resolved", "2024-10-20T23:59:59+08:00")


def test_appraisal_values(quick):
    run = quick[0]
    rows = run("appraise", "--unit", "gz.yd.lt.hk", "--period", "2024Q4", "--now", "2025-01-02", "--json").data
    mine = {r["metric"]: (r["numerator"], r["denominator"], r["value"])
            for r in rows if r["subject"] == "gz.yd.lt.hk" and r["method"] == "sansong" and r["tier"] is None}
    assert mine["cadre_solved_share"] == (0, 1, 0.0)
    assert mine["diary_signed_rate"] == (1, 1, 1.0)
    assert mine["consultation_rate"] == (1, 1, 1.0)
    assert mine["team_size_rate"] == (1, 1, 1.0)


def test_the_network_commands_read_in_chinese(quick):
    """After the quick start: a household registered (then unchanged), linked, the pairing, a
    month's presence, a rating and the network check, each line as the operator reads it."""
    run = quick[0]
    now = ("--now", "2024-11-02T09:00")
    lines = [run("sansong", *args, *now).stdout for args in (
        ("household", "add", "HK-09", "--village", "gz.yd.lt.hk", "--head", "钟某"),
        ("household", "add", "HK-09", "--village", "gz.yd.lt.hk", "--head", "钟某"),
        ("link", "add", "zjj-01", "HK-09", "HK-01", "--mode", "point"), ("points",),
        ("presence", "zjj-01", "--month", "2024-10", "--days", "22"),
        ("rating", "zjj-01", "--year", "2024", "--satisfied", "40", "--basically", "6", "--unsatisfied", "4"))]
    assert lines == ["HK-09：群众信息库已登记\n", "HK-09：群众信息库无变化\n", "zjj-01（挂点联系）：新联系 1 户，原有 1 户\n",
                     "县住建局 挂点 禾坑村  自 2024-09-01 起\n", "zjj-01 2024-10：22 天（达标）\n", "zjj-01 2024年：满意度 92.00%\n"]
    gaps = run("sansong", "check", "--unit", "gz.yd.lt.hk", *now, ok=1)
    assert (gaps.stdout, gaps.stderr) == ("挂点联系户数  zjj-01  禾坑村  挂点联系3户（应10户以上, L137）\n",
                                          "error: 联系网络有 1 处缺口（干部一人不落、群众一户不漏, L142）\n")
