"""zhihui's README quick start runs as written (every command exit 0) and its comments hold:
3 grids of 92 planned, one meeting 4+4+1+6; the caller case taken in at 阳光社区's hall goes to
第一网格 (w1, high) due Mon 2024-09-30 23:59:59, the sweep of 10-01 08:00 sends it to the
community (c3) due 10-06 23:59:59; 8650.50 元 returns 1730.10 元 (20%, L410)."""

from __future__ import annotations

from pathlib import Path

from framework.testing import CountyRunner, readme_commands, run_commands

README = Path(__file__).resolve().parents[1] / "plugins/contrib/zhihui/README.md"
ROOT = README.parents[3]


def test_quick_start_runs(tmp_path):
    run = CountyRunner(tmp_path / "county.db")
    commands = readme_commands(README, "Quick start")
    assert len(commands) == 12 and commands[0][:2] == ["county", "init"]
    outputs = run_commands(run, commands, cwd=ROOT)
    assert outputs[1].stdout.startswith("网格 3/92，社区 2/8，“4+4+1+6”达标 1/3\n")
    added = run("case", "show", "yn-000001", "--json").data
    assert (added["priority"], added["events"][2]["data"]["handler"]) == ("high", "w1")
    case = run("case", "show", "yn-000001", "--json").data
    assert (case["status"], case["level"], case["handler"], case["due_at"]) == (
        "resolved", "community", "c3", "2024-10-06T23:59:59+08:00")
    # the method's own commands as the operator reads them (in Chinese; the register masks, L404)
    assert [outputs[i].stdout for i in (2, 7, 8)] == [
        "640121********0026 白某：已录入阳光社区第一网格\n", "阳光服务站 2024-09：盈利 8650.50 元，返还社区 1730.10 元（20%）\n",
        "w1：大专（达标）\n"]
    # the second entry the README quotes
    again = run("zhihui", "resident", "add", "--id-number", "640121194503120026", "--name", "白桂兰", "--grid",
                "yn.yh.yg.w1", "--house", "阳光小区3号楼2单元301", "--now", "2024-09-03T10:00", ok=1)
    assert again.stderr.strip().removeprefix("error: ") in README.read_text(encoding="utf-8").replace("\n", " ").replace("`", "")
