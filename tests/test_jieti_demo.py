"""jieti's ``county_demo`` on the demo county: a fixed month at 太平镇 (zones, a matter of each
scope, the selection bodies' meetings, the inspection, the month-end sweep). Values for
October 2024 worked out by hand from plugins/contrib/jieti/demo.py and the default tier times."""

import datetime as dt

import pytest

from framework.testing import demo_county
from plugins.contrib.jieti import duties

LINE = ("jieti 太平镇：民情责任区 9 个（太平镇尚缺 0 处），按范围分级事项 5 件（户级解决 1 件，月末督办 1 件，"
        "报告县委、政府 1 件，可行性调查报告 1 份），民情联席会议 10 次，2024-10 督查·汇总·通报")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """One demo county for the module, its month seeded once."""
    county, county.line = demo_county(tmp_path_factory.mktemp("jieti_demo") / "county.db", "jieti", "2024-10",
                                      now="2024-11-05T12:00", titles=["村道路灯损坏"])
    return county


def test_summary_line_and_clock(county):
    assert county.line == LINE
    assert county.now().isoformat() == "2024-11-05T12:00:00+08:00"


def test_matters_by_scope(county):
    ctx = county.ctx("jieti")
    cases = ctx.cases.find(method="jieti")
    got = [(c.title, c.extra["ladder_scope"], c.level, c.status, c.unit, c.handler, c.joint_unit) for c in cases]
    assert got == [
        ("村道路灯损坏", "household", "household", "resolved", "demo.ts.xj.g1", "jieti-st1", "demo.ts"),
        ("二组饮水管道破损", "group", "group", "assigned", "demo.ts.xj.g2", "jieti-st2", None),  # flagged, stays
        ("一组二组之间机耕路损毁", "village", "county_leadership", "escalated", "demo", None, None),
        ("新建村观音村水利纠纷", "township", "township", "assigned", "demo.ts", "jieti-cl", None),
        ("全县农村饮水安全改造", "county", "county_leadership", "escalated", "demo", "jieti-ofc", None),
    ]
    # the group matter: 10-03 + 7 days, missed; the sweep at 11-01 00:00 flags it (督办) where it is
    # (L306 routes by scope, nothing climbs by time: miss_action = "flag", the default)
    assert cases[1].due_at.isoformat() == "2024-10-10T23:59:59+08:00"
    assert cases[3].due_at.isoformat() == "2024-11-05T23:59:59+08:00"      # 10-06 + 30
    assert cases[0].resolved_at.isoformat() == "2024-10-05T16:00:00+08:00"
    assert cases[4].extra["feasibility_report"] == "农村饮水安全改造可行，建议分三年实施"


def test_meeting_duties_of_the_month(county):
    ctx = county.ctx("jieti")
    got = duties.county_duties(ctx, ctx.unit("demo.ts"), dt.date(2024, 10, 6))
    assert [(d.unit, d.kind, d.done) for d in got] == [
        ("demo.ts.xj.g1", "meeting_group", True), ("demo.ts.xj.g2", "meeting_group", False)]
    got = duties.county_duties(ctx, ctx.unit("demo.ts"), dt.date(2024, 10, 31))
    assert [(d.unit, d.kind, d.done) for d in got] == [
        ("demo.ts.gy", "meeting_village", False), ("demo.ts.xj", "meeting_village", True),
        ("demo.ts", "meeting_township", True), ("demo.ts", "liaison_monthly", True)]


def test_boards_and_appraisal(county):
    county.clock.fixed = dt.datetime.fromisoformat("2024-11-01T09:00+08:00")
    boards = [b for b in county.boards("demo.ts", "2024-10") if b.method == "jieti"]
    assert [b.title for b in boards] == ["太平镇阶梯式解决民困公示（2024-10）"]
    assert len(boards[0].sections[0].rows) == 4 and len(boards[0].sections[1].rows) == 10
    metrics = {(m.metric, m.subject): m for m in county.appraise("2024-10", unit="demo.ts") if m.method == "jieti"}
    # 4 Sundays x 2 groups, 新建村一组 4 + 二组 3
    assert (metrics["meeting_rate_group", "demo.ts"].numerator, metrics["meeting_rate_group", "demo.ts"].denominator) \
        == (7, 8)
    assert metrics["settled_in_village_rate", "demo.ts"].value == 1.0
