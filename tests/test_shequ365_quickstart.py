"""shequ365's README quick start runs as written (every command exit 0) on the shipped sample
deployment plugins/shequ365/data/haishu.toml, and its comments hold: a 限时办结 matter raised on
a visit Thu 2026-10-01 09:00 is due 2026-10-04 23:59:59 (3 calendar days, the National Day
holiday counted, L375/L381) and flagged by the sweep of 10-05 08:00 (it stays 限时办结); the
归口办理 matter is due on its committed date 2026-10-20 23:59:59; the 五访 of 10-02 is due 10-09
and met on 10-08; October's figures: 林某's 联户走访覆盖率 2/3 and 两巡完成率 1/62 (31 days × 2),
望京社区's 五访按期率 1/1, 日碰头 0/31, 周研判 0/5 (five Fridays), 月会商 1/1, 按期办结率 1/2."""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.shequ365
from framework.testing import run_quick_start

HERE = Path(plugins.shequ365.__file__).parent
README = HERE / "README.md"
ROOT = HERE.parents[1]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return run_quick_start(README, tmp_path_factory.mktemp("shequ365_qs"), ROOT)


def test_quick_start_commands(quick):
    _, commands, results = quick
    assert len(commands) == 14 and commands[0][:2] == ["county", "init"]
    assert all("--now" in c for c in commands)
    assert "\n  载入 shequ365：grids 4 条；members 7 条；households 6 条\n" in results[0].output
    assert "  wj-lin     林某     管线 民政       包片 wj-1 3户          联户 3  联户3户，不足25户\n" in results[1].output
    assert results[3].output == ("走访 1：wj-lin 2026-10-01 走访住户 wj-h1；事项 hs-000001"
                                 "（限时办结 time_limited，承办人 林某 wj-lin，限 2026-10-04T23:59:59+08:00）\n")
    assert results[4].output == "生病住院居民必访：住户 wj-h3，限 2026-10-09 前走访\n"
    assert results[5].output == (
        "hs-000001  时限已逾期：time_limited（包片社工限时办结（3天，部署设定）），期限 2026-10-04T23:59:59+08:00；"
        "督办 包片社工限时办结 time_limited\n2026-10-05T08:00:00+08:00 督办：1 项\n")
    assert results[8].output == "走访 2：wj-lin 2026-10-08 走访住户 wj-h3；完成必访 1 项\n"
    assert "  受理 2026-10-08T16:00:00+08:00，期限 2026-10-20T23:59:59+08:00\n" in results[9].output
    board = results[12].output
    assert "| 2026-10-31 | 楼道照明改造纳入年度计划 |  |  |" in board
    assert "| hs-000001 | 楼道灯坏 | 限时办结 | 望京社区第一网格 | 林某 | 已确认 | 2026-10-04 23:59 | 2026-10-05 10:00 |" in board
    assert "| hs-000002 | 失业再就业培训 | 归口办理 | 望京社区第一网格 | 林某 | 已办结 | 2026-10-20 23:59 | 2026-10-16 11:00 |" in board


def test_matters_after_the_sweep(quick):
    run = quick[0]
    one, two = (run("case", "show", i, "--json", "--now", "2026-11-01").data for i in ("hs-000001", "hs-000002"))
    assert (one["status"], one["level"], one["handler"], one["due_at"]) == (
        "confirmed", "time_limited", "wj-lin", "2026-10-04T23:59:59+08:00")
    assert [e["type"] for e in one["events"]].count("overdue") == 1
    assert (two["status"], two["level"], two["handler"], two["due_at"]) == (
        "resolved", "follow_up", "wj-lin", "2026-10-20T23:59:59+08:00")


def test_appraisal_values(quick):
    run = quick[0]
    rows = run("appraise", "--unit", "hs.xm.wj", "--period", "2026-10", "--now", "2026-11-01", "--json").data
    mine = {(r["metric"], r["subject"]): (r["numerator"], r["denominator"], r["value"])
            for r in rows if r["method"] == "shequ365" and r["tier"] is None}
    assert mine[("visit_coverage", "wj-lin")][:2] == (2, 3)
    assert mine[("patrol_rate", "wj-lin")][:2] == (1, 62)
    assert mine[("patrol_rate", "wj-shen")][:2] == (0, 62)
    assert mine[("mandatory_visit_on_time", "hs.xm.wj")] == (1, 1, 1.0)
    assert mine[("cadence_huddle", "hs.xm.wj")][:2] == (0, 31)
    assert mine[("cadence_weekly", "hs.xm.wj")][:2] == (0, 5)
    assert mine[("cadence_joint", "hs.xm.wj")] == (1, 1, 1.0)
    assert mine[("on_time_rate", "hs.xm.wj")] == (1, 2, 0.5)
    assert mine[("resolution_rate", "hs.xm.wj")] == (2, 2, 1.0)
