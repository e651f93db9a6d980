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
    assert outputs[1].stdout == "dq 东区“1+4”服务团: leader zzb-lin, communities ['ha.sd.dq', 'ha.sd.xq']\n"
    case = run("case", "show", "ha-000001", "--json").data
    assigned = [e["data"] for e in case["events"] if e["type"] == "assigned"]
    assert [(d["handler"], d.get("joint_handler")) for d in assigned] == [("dq-shu", "law-zhou"), ("zzb-lin", "law-zhou")]
    assert (case["level"], case["handler"], case["due_at"]) == ("leader", "zzb-lin", "2024-10-12T23:59:59+08:00")
    assert "done  yijiasi  ha.sd.dq  何某（市直部门）每周联系社区（2024-10-07起）" in outputs[7].stdout
    refused = run("yijiasi", "assess", "--person", "wjw-he", "--year", "2025", "--appraiser", "partner_unit",
                  "--result", "competent", "--now", "2025-12-22T10:00", ok=1)
    assert refused.stderr.strip().removeprefix("error: ") in README.read_text(encoding="utf-8").replace("`", "")
