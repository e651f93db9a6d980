"""yetanhui's README quick start runs as written (every command exit 0, in a throw-away folder),
and its comments hold: talk #1 on Sat 2024-10-12 has its notice due 10-09 23:59:59 (提前三天,
casebook L176), missed at the 10-10 sweep; the matter studied Mon 10-14 owes its reply by
10-24 23:59:59 (集中研究后10天内, L176), missed at the 10-25 sweep; the half-year appraisal's
rates are the ones the README states."""

from __future__ import annotations

from pathlib import Path

import plugins.contrib.yetanhui
from framework.testing import CountyRunner, readme_commands, run_commands

README = Path(plugins.contrib.yetanhui.__file__).parent / "README.md"
ROOT = Path(plugins.contrib.yetanhui.__file__).resolve().parents[3]


def test_quick_start_runs(tmp_path):
    run = CountyRunner(tmp_path / "county.db")
    commands = readme_commands(README, "Quick start")
    assert len(commands) == 12 and commands[0][:3] == ["county", "init", "--config"]
    assert all("--now" in c for c in commands)
    human = {1, 2, 5, 6, 8}  # the method's own commands as the operator reads them (in Chinese)
    results = run_commands(run, [c if i in human else c + ["--json"] for i, c in enumerate(commands)], cwd=ROOT)
    out = [r.stdout if i in human else r.data for i, r in enumerate(results)]
    assert [out[i] for i in sorted(human)] == [
        "东张村：包村干部 赵某（wz-01）\n",
        "夜谈会 #1：定于 2024-10-12T19:30:00+08:00 召开，应于 2024-10-09T23:59:59+08:00 前告知群众\n",
        "夜谈会 #1：2024-10-10T09:00:00+08:00 已告知群众（逾期，应于 2024-10-09T23:59:59+08:00 前）\n",
        "夜谈会 #1：已召开，参会 30 人，普通群众占 40%\n",
        "jl-000001：乡镇党委集中研究，应于 2024-10-24T23:59:59+08:00 前答复\n"]
    assert out[3]["id"] == "jl-000001" and (out[3]["level"], out[3]["due_at"]) == ("agenda", "2024-10-12T23:59:59+08:00")
    assert out[4]["actions"] == [{"case": "jl-000001", "milestone": "notice", "due_at": "2024-10-09T23:59:59+08:00",
                                  "action": "flag", "from": "agenda", "to": "agenda"}]
    assert (out[7]["level"], out[7]["handler"]) == ("township", "wz-03")
    case = run("case", "show", "jl-000001", "--json").data
    assert case["extra"]["reply_due_at"] == "2024-10-24T23:59:59+08:00"
    assert out[9]["actions"] == [{"case": "jl-000001", "milestone": "reply", "due_at": "2024-10-24T23:59:59+08:00",
                                  "action": "flag", "from": "township_reply", "to": "township_reply"}]
    notice, books = out[10][0], out[10][1]
    assert notice["sections"][0]["rows"][0]["notice"] == "2024-10-10 广播（逾期）"
    inspections = [s for s in books["sections"] if s["title"] == "督查记录簿"][0]["rows"]
    assert [(r["date"], r["finding"], r["note"]) for r in inspections] == [
        ("2024-10-10", "督办", "议题未提前三天告知群众"), ("2024-10-25", "督办", "集中研究后10天内未答复")]
    got = {(m["metric"], m["subject"]): (m["numerator"], m["denominator"], m["value"]) for m in out[11]}
    assert got[("talk_month_rate", "jl.wz.dz")] == (1, 3, 1 / 3)
    assert got[("notice_on_time_rate", "jl.wz.dz")] == (0, 1, 0.0)
    assert got[("ordinary_share_rate", "jl.wz.dz")] == (1, 1, 1.0)
    assert got[("reply_on_time_rate", "jl.wz.dz")] == (0, 1, 0.0)
    assert got[("leader_not_advanced", "jl.wz.dz")][2] == 1
    assert got[("talk_month_rate", "jl.wz.xz")] == (0, 3, 0.0)
    # a second talk postponed and called off, talk #1's history, the result report and an inspection,
    # as the operator reads them (in Chinese)
    lines = [run("yetanhui", *args).stdout for args in (
        ("talk", "add", "--village", "jl.wz.dz", "--at", "2024-11-20T19:30", "--topic", "冬季防火", "--now", "2024-11-01T10:00"),
        ("talk", "postpone", "2", "--to", "2024-11-22T19:30", "--reason", "暴雨", "--now", "2024-11-10T10:00"),
        ("talk", "cancel", "2", "--reason", "镇里统一安排", "--now", "2024-11-12T10:00"),
        ("talk", "list", "--unit", "jl.wz.xz", "--now", "2024-11-12T10:00"),
        ("report", "jl-000001", "--result", "路灯已修复", "--now", "2024-11-13T10:00"),
        ("inspect", "--village", "jl.wz.dz", "--finding", "ok", "--note", "会议记录齐全", "--now", "2024-11-14T10:00"))]
    assert lines == [
        "夜谈会 #2：定于 2024-11-20T19:30:00+08:00 召开，应于 2024-11-17T23:59:59+08:00 前告知群众\n",
        "夜谈会 #2：推迟至 2024-11-22T19:30:00+08:00\n", "夜谈会 #2：已取消\n", "（无夜谈会）\n",
        "jl-000001：问题办理结果报告单已填，已办结\n", "督查 #1（东张村）：符合要求\n"]
    assert run("yetanhui", "talk", "show", "1").stdout.splitlines()[3:] == [
        "  2024-09-28T10:00:00+08:00  排定  2024-10-12T19:30:00+08:00 秋收与秸秆禁烧",
        "  2024-10-10T09:00:00+08:00  告知  广播", "  2024-10-12T21:00:00+08:00  召开  30人（普通群众12人）",
        "  问题: jl-000001"]
