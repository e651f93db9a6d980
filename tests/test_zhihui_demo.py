"""zhihui's ``county_demo`` on the demo county (only zhihui enabled), October 2024, every value
worked out by hand from plugins/contrib/zhihui/demo.py with calendar days (the default):

* A: 阳光社区's hall, Thu 10-03 09:00, for 马秀英 (registered in 第一网格) → grid 第一网格, worker
  zh-w1 (all four hold no case; ties by id), due 10-03 + 3 = Sun 10-06 23:59:59; resolved in the
  grid Fri 10-04 16:00;
* B: a dispute in 第二网格 10-03 10:00 → zh-w5, no 调解员 posted there (no joint officer), due
  10-06 23:59:59; escalated Mon 10-07 09:00 → 阳光社区, 网格管理员 zh-c3, due 10-12 23:59:59;
  resolved 10-09 at the community;
* C: on the spot in the hall Sat 10-05 → resolved at the community, no due instant;
* D: a one-button call Sun 10-06 20:00 from 白桂兰 (第一网格) → priority high, zh-w1 again (A is
  resolved: nobody holds an open case), due Wed 10-09 23:59:59, left open.
"""

import pytest

from framework.testing import CountyRunner, demo_county


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo month through the hook, as ``county demo`` seeds it; then the CLI on that county."""
    db = tmp_path_factory.mktemp("zhihui-demo") / "county.db"
    _, line = demo_county(db, "zhihui", "2024-10", now="2024-11-05T09:00")
    return CountyRunner(db), line


def test_the_summary_line(demo):
    _, line = demo
    assert line == ("zhihui 杨和街道：网格 3 个（“4+4+1+6”达标 1 个），人口库录入 3 人（重复录入被拒 1 次），"
                    "2024-10-03 至 06 受理事项 4 件，盈利返还社区 1730.10 元")


def test_the_four_matters(demo):
    run, _ = demo
    cases = run("case", "list", "--method", "zhihui", "--now", "2024-11-05T09:00", "--json").data
    assert [(c["title"], c["unit"], c["level"], c["handler"], c["status"], c["priority"], c["due_at"])
            for c in cases] == [
        ("楼道灯不亮", "demo.yh.yg.w1", "grid", "zh-w1", "resolved", None, "2024-10-06T23:59:59+08:00"),
        ("邻里噪音纠纷", "demo.yh.yg", "community", "zh-c3", "resolved", None, "2024-10-12T23:59:59+08:00"),
        ("低保政策咨询", "demo.yh.yg", "community", None, "resolved", None, None),
        ("空巢老人一键呼叫：身体不适", "demo.yh.yg.w1", "grid", "zh-w1", "assigned", "high",
         "2024-10-09T23:59:59+08:00")]


def test_the_demo_figures(demo):
    run, _ = demo
    m = {x["metric"]: x for x in run("appraise", "--unit", "demo.yh", "--period", "2024-10", "--now",
                                     "2024-11-05T09:00", "--json").data
         if x["method"] == "zhihui" and x["subject"] == "demo.yh"}
    assert (m["settled_in_grid_rate"]["numerator"], m["settled_in_grid_rate"]["denominator"]) == (1, 3)
    assert (m["staffing_complete_rate"]["numerator"], m["staffing_complete_rate"]["denominator"]) == (1, 3)
    # zh-w1..w6 are community workers; w1 大专, w2 本科, w3 大专, w4 高中
    assert (m["qualified_rate"]["numerator"], m["qualified_rate"]["denominator"]) == (3, 6)
    assert (m["residents_entered"]["value"], m["grids"]["value"], m["returned_to_community"]["value"]) == (
        3, 3, 1730.1)
    staffing = run("zhihui", "staffing", "--unit", "demo.yh", "--now", "2024-11-05T09:00", "--json").data
    assert [g["grid"] for g in staffing["incomplete"]] == ["demo.yh.xh.w1", "demo.yh.yg.w2"]
