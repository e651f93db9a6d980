"""yijiasi's README quick start runs as written (every command exit 0) and its comments hold: the
matter taken in Fri 2024-09-27 at 东区社区 is led by dq-shu with law-zhou (会办), due 10-04
23:59:59 (7 calendar days); the sweep of 10-05 08:00 sends it to the leader zzb-lin, due 10-12
23:59:59 (5 working days over National Day, 10-12 a 调休 Saturday); the refusal the README quotes
is the CLI's."""

from __future__ import annotations

import shlex
from pathlib import Path

from framework.testing import CountyRunner

README = Path(__file__).resolve().parents[1] / "plugins/contrib/yijiasi/README.md"
ROOT = README.parents[3]


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
    run = CountyRunner(tmp_path / "county.db")
    commands = quick_start()
    assert len(commands) == 14 and commands[0][:2] == ["county", "init"]
    outputs = [run(*[str(ROOT / a) if a.endswith(".toml") else a for a in args[1:]]) for args in commands]
    # the method's own commands as the operator reads them (in Chinese: names, not codes)
    assert outputs[1].stdout == "dq 东区“1+4”服务团：团长 林团长（zzb-lin），共建社区 东区社区、西区社区\n"
    assert [outputs[i].stdout for i in (4, 5, 6, 8, 9, 11)] == [
        "何某（wjw-he）：2024-10-09 联系社区（东区社区）\n", "何某（wjw-he）：2024-10-10 到社区工作一天（东区社区）\n",
        "dq：2024-10-12 集中服务活动 法律援助进社区（东区社区）\n",
        "dq × 东区社区：2025年《共建协议书》2025-01-20 签订\ndq × 西区社区：2025年《共建协议书》2025-01-20 签订\n",
        "东区社区对李某（stu-li）的2025年考核意见：同意\n", "李某（stu-li）2025年考核：称职（高校）\n"]
    case = run("case", "show", "ha-000001", "--json").data
    assigned = [e["data"] for e in case["events"] if e["type"] == "assigned"]
    assert [(d["handler"], d.get("joint_handler")) for d in assigned] == [("dq-shu", "law-zhou"), ("zzb-lin", "law-zhou")]
    assert (case["level"], case["handler"], case["due_at"]) == ("leader", "zzb-lin", "2024-10-12T23:59:59+08:00")
    assert "done  yijiasi  ha.sd.dq  何某（市直部门）每周联系社区（2024-10-07起）" in outputs[7].stdout
    refused = run("yijiasi", "assess", "--person", "wjw-he", "--year", "2025", "--appraiser", "partner_unit",
                  "--result", "competent", "--now", "2025-12-22T10:00", ok=1)
    assert refused.stderr.strip().removeprefix("error: ") in README.read_text(encoding="utf-8").replace("`", "")
