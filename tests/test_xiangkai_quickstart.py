"""xiangkai's README quick start runs as written (every command exit 0) on the shipped sample
deployment plugins/xiangkai/data/jingning.toml, and its comments hold: the contact network of
L246 has no gap; 村道硬化 (急、重) is `high`, 茶叶加工厂选址 (defaults 缓、轻) `low`; the notice of
`--within-working-days 5` issued Tue 2026-09-29 is due Mon 2026-10-12 23:59:59 (09-30, 10-08,
10-09, the make-up Saturday 10-10, 10-12: National Day 10-01..07 skipped), the one of
`--within-days 10` 2026-10-09 23:59:59 (calendar days); the sweep of 10-10 08:00 flags the
second (督办, it stays supervised); 大地乡's 2026Q3 appraisal: 2 notices, on time 1/2, coverage 1/2."""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.xiangkai
from framework.testing import run_quick_start

HERE = Path(plugins.xiangkai.__file__).parent
README = HERE / "README.md"
ROOT = HERE.parents[1]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return run_quick_start(README, tmp_path_factory.mktemp("xiangkai_qs"), ROOT)


def test_quick_start_commands(quick):
    _, commands, results = quick
    assert len(commands) == 14 and commands[0][:2] == ["county", "init"]
    assert all("--now" in c for c in commands)
    assert "\n  载入 xiangkai：contacts 18 条\n" in results[0].output
    assert results[1].output == "村 3 个，有驻村干部 3 个；班子成员 3 名，三项联系齐全 3 名；乡镇干部 6 名，联系困难群众 6 名\n"
    assert "轻重缓急：急、重 → high（重且急）" in results[3].output
    assert "轻重缓急：缓、轻 → low（轻且缓）" in results[4].output
    assert results[5].output.splitlines()[0] == "M-0001  主题宣讲会  莲湖村  2026-09-28T19:30:00+08:00  @ 农户庭院  [待召开]"
    assert "warning" not in results[5].output  # an evening meeting (L250): no schedule warning
    assert "  定责任人 钟某；定完成时限 2026-10-12T23:59:59+08:00；定质量标准 完成1.2公里村道硬化\n" in results[7].output
    assert "  定责任人 蓝某；定完成时限 2026-10-09T23:59:59+08:00；定质量标准 完成选址论证并公示\n" in results[8].output
    assert results[9].output == (
        "jn-000002  时限已逾期：completion（督办通知书：定完成时限），期限 2026-10-09T23:59:59+08:00；督办 督办（三定） supervised\n"
        "2026-10-10T08:00:00+08:00 督办：1 项\n")
    board = results[12].output
    assert "| jn-000001 | 村道硬化 | 钟某 | 2026-10-12 23:59 | 完成1.2公里村道硬化 | 按期办结 | 1 |" in board
    assert "| jn-000002 | 茶叶加工厂选址 | 蓝某 | 2026-10-09 23:59 | 完成选址论证并公示 | 逾期未办结 | 0 |" in board
    assert "蓝小明" not in board and "潘阿婆" not in board


def test_topics_after_the_sweep(quick):
    run = quick[0]
    one, two = (run("case", "show", i, "--json", "--now", "2026-10-13T12:00").data for i in ("jn-000001", "jn-000002"))
    assert (one["status"], one["level"], one["handler"], one["priority"]) == ("confirmed", "supervised", "dd-zhong", "high")
    assert (two["status"], two["level"], two["handler"], two["priority"]) == ("in_progress", "supervised", "dd-lan", "low")
    assert [e["type"] for e in two["events"]].count("overdue") == 1


def test_appraisal_values(quick):
    run = quick[0]
    rows = run("appraise", "--unit", "jn.dd", "--period", "2026Q3", "--now", "2026-10-13T12:00", "--json").data
    mine = {(r["metric"], r["subject"]): (r["numerator"], r["denominator"], r["value"])
            for r in rows if r["method"] == "xiangkai" and r["tier"] is None}
    assert mine[("topics_collected", "jn.dd")][2] == 2
    assert mine[("meetings_held", "jn.dd")][2] == 1
    assert mine[("notices_issued", "jn.dd")][2] == 2
    assert mine[("notice_on_time_rate", "jn.dd")] == (1, 2, 0.5)
    assert mine[("village_coverage", "jn.dd")] == (1, 2, 0.5)
    assert mine[("village_coverage", "jn.dd.sx")] == (0, 1, 0.0)
