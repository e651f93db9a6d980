"""三送's ``county_demo``: the demo month at 禾坑村 (added to the demo county, only sansong
enabled), with exact instants, holders, figures and duties worked out from
plugins/contrib/sansong/demo.py (October 2024, default settings, calendar days: case a on the 2nd
promised for the 10th → 10-10 23:59:59; case b (the second default title), 96333 graded township on the 3rd 10:00 → 15 days
→ 10-18, feedback 24 hours → 10-04 10:00, met at 15:00 on the 3rd; case c on the 5th 09:00 → 7
days → 10-12, missed, the sweep of the 13th 08:00 moves it to the village → 10-20 23:59:59)."""

import datetime as dt

import pytest

from framework.testing import demo_county
from plugins.contrib.sansong import appraisal, duties


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo month, seeded once for the module."""
    county, line = demo_county(tmp_path_factory.mktemp("sansong-demo") / "county.db", "sansong", "2024-10",
                               now="2024-11-05T09:00", titles=["村里路灯不亮"])
    return county, county.ctx("sansong"), line


def test_the_summary_line_and_the_cases(demo):
    county, ctx, line = demo
    assert line == ("sansong 禾坑村：问题 3 件（demo-000001 由联系干部解决，demo-000002 经96333转乡镇，demo-000003 上报村），"
                    "群众信息库 36 户，民情日记 2 篇（已签字 1），民意恳谈会 1 次")
    assert county.now().isoformat() == "2024-11-05T09:00:00+08:00"  # the clock is given back
    cases = ctx.cases.find(method="sansong")
    assert [(c.title, c.status, c.resolved_level, c.unit, c.handler, c.joint_handler, c.priority) for c in cases] == [
        ("村里路灯不亮", "resolved", "cadre", "demo.lt.hk", "ss-zjj-01", None, "high"),
        ("危旧土坯房改造申请", "resolved", "township", "demo.lt", "ss-lt-01", None, None),
        ("水渠渗漏影响灌溉", "resolved", "village", "demo.lt.hk", "ss-hk-01", "ss-zjj-01", None)]
    assert [c.due_at.isoformat() for c in cases] == [
        "2024-10-10T23:59:59+08:00", "2024-10-18T23:59:59+08:00", "2024-10-20T23:59:59+08:00"]
    assert [c.category for c in cases] == ["environment", "livelihood", "environment"]  # 路灯, —, 水渠


def test_the_figures_and_duties(demo):
    _, ctx, _ = demo
    metrics = {(m.metric, m.subject): (m.numerator, m.denominator)
               for m in appraisal.appraisal(ctx, ctx.unit("demo.lt.hk"), "2024-10")}
    assert metrics[("cadre_solved_share", "demo.lt.hk")] == (1, 3)
    assert metrics[("feedback_rate", "demo.lt.hk")] == (1, 1)
    assert metrics[("household_coverage", "demo.lt.hk")] == (36, 36)
    assert metrics[("cadre_quota_rate", "demo.lt.hk")] == (2, 3)  # ss-zjj-02 has 9 households
    assert metrics[("team_size_rate", "demo.lt.hk")] == (1, 1)
    assert metrics[("presence_rate", "demo.lt.hk")] == (1, 2)  # 22 and 18 days
    assert metrics[("diary_signed_rate", "demo.lt.hk")] == (1, 2)
    assert metrics[("mass_work_satisfaction", "demo.lt.hk")] == (0, 0)  # the annual rating counts in a year
    year = {(m.metric, m.subject): (m.numerator, m.denominator)
            for m in appraisal.appraisal(ctx, ctx.unit("demo.lt.hk"), "2024")}
    assert year[("mass_work_satisfaction", "ss-zjj-01")] == (46, 50)
    d = sorted((x.kind, x.subject, x.done) for x in duties.duties(ctx, ctx.unit("demo.lt.hk"), dt.date(2024, 10, 31)))
    assert d == [("presence", "ss-zjj-01", True), ("presence", "ss-zjj-02", False)]
    d = sorted((x.kind, x.subject, x.done) for x in duties.duties(ctx, None, dt.date(2024, 12, 31))
               if x.kind == "consultation")
    assert d == [("consultation", "2024Q4", True)]
