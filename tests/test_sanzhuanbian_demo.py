"""三个转变's ``county_demo`` on the demo county (only sanzhuanbian enabled), December 2019: the
instants, ledgers, duties and figures worked out by hand from plugins/contrib/sanzhuanbian/demo.py.

The problems: 石泉村's heavy and urgent one taken in Tuesday 12-03 10:00 with ``+5d`` → 12-08
23:59:59, resolved 12-07 and struck off 12-09; the dispute taken in 12-03 11:00 with the default
15 calendar days → 12-18 23:59:59, deferred on 12-10 to 12-25 23:59:59; 柳林沟村's taken in
12-12 09:00 → 12-27 23:59:59."""

import datetime as dt

import pytest

import framework
from framework.demo.run import deployment_toml
from framework.testing import demo_county

TOML = deployment_toml(["sanzhuanbian"])
TITLES = ["村里自来水经常停水", "反映问题请回电13812345678"]  # two: the third title is the first default


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo month, seeded once for the module."""
    return demo_county(tmp_path_factory.mktemp("sanzhuanbian-demo") / "county.db", "sanzhuanbian", "2019-12",
                       now="2020-01-05T09:00", titles=TITLES)


def test_the_demo_month(demo):
    county, line = demo
    assert line == ("sanzhuanbian 富兴镇、和平社区：5 户由 2 名干部联系负责，每月走访日 2 人中 1 人落实；问题 "
                    "demo-000001（已解决、已销号）、demo-000002（待解决，已解释）、demo-000003（需解决）；四比一测评 4 票；"
                    "“两委”班子满意度 石泉村 92%、柳林沟村 76%（2 个村中 1 个达80%以上）")
    assert county.now().isoformat() == "2020-01-05T09:00:00+08:00"
    cases = county.list_cases(method="sanzhuanbian")
    assert [(c.title, c.status, c.handler, c.joint_unit, c.priority) for c in cases] == [
        ("村里自来水经常停水", "resolved", "szb-zjj-1", "demo.zjj", "high"),
        ("反映问题请回电13812345678", "in_progress", "szb-zjj-1", "demo.zjj", "normal"),
        ("低保户住房漏雨", "assigned", "szb-rsj-1", "demo.rsj", "normal")]
    assert [c.due_at.isoformat() for c in cases] == [
        "2019-12-08T23:59:59+08:00", "2019-12-25T23:59:59+08:00", "2019-12-27T23:59:59+08:00"]


def test_the_demo_duties_and_figures(demo):
    county, _ = demo
    duties = [d for d in county.duties(dt.date(2019, 12, 31)) if d.method == "sanzhuanbian"]
    # 韩某 never visited his key person (重点人员); the villages of the network were rated on 12-20, 和平社区
    # (a community with a household of the network) was not
    assert sorted((d.kind, d.unit, d.subject, d.done) for d in duties) == [
        ("monthly_visit_day", "demo.rsj", "szb-rsj-1 2019-12", False),
        ("monthly_visit_day", "demo.zjj", "szb-zjj-1 2019-12", True),
        ("team_rating", "demo.cg.hp", "2019", False), ("team_rating", "demo.fx.llg", "2019", True),
        ("team_rating", "demo.fx.sq", "2019", True)]
    got = {(m.metric, m.subject): (m.numerator, m.denominator) for m in county.appraise("2019-12", "demo")
           if m.method == "sanzhuanbian"}
    assert got[("household_coverage", "demo")] == (5, 5)
    assert got[("visit_day_rate", "demo")] == (1, 2)
    assert got[("struck_off_rate", "demo")] == (1, 1)
    assert got[("team_threshold_share", "demo")] == (1, 2)
    assert got[("cadre_satisfaction_rate", "szb-zjj-1")] == (4, 4)
    boards = [b for b in county.boards("demo.fx.sq", "2019-12") if b.method == "sanzhuanbian"]
    assert [(b.title, [len(s.rows) for s in b.sections]) for b in boards] == [
        ("石泉村“三本台账”（2019-12）", [0, 1, 1])]


def test_a_bad_period_writes_nothing(make_county):
    county = make_county(TOML, now="2020-01-05T09:00")
    with pytest.raises(framework.CountyError, match="YYYY-MM"):
        county.registry.call_one("sanzhuanbian", "demo", ctx=county.ctx("sanzhuanbian"), period="2019", titles=[])
    assert county.list_cases() == []
