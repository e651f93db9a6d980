"""五个一's ``county_demo``: the demo month at 双峰寺镇 (added to the demo county, only wugeyi
enabled), with exact instants, holders and duties worked out from plugins/contrib/wugeyi/demo.py
(December 2019: Thursday 12-12 + 10 working days = 12-26; Thursday 12-19 + 5 working days =
12-26; Sunday 12-15 + 3 calendar days = 12-18)."""

import datetime as dt

import pytest

import framework
from framework.demo.run import deployment_toml
from framework.testing import demo_county

TOML = deployment_toml(["wugeyi"])
TITLES = ["村里自来水经常停水", "村口道路坑洼积水"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo month, seeded once for the module."""
    return demo_county(tmp_path_factory.mktemp("wugeyi-demo") / "county.db", "wugeyi", "2019-12",
                       now="2020-01-05T09:00", titles=TITLES)


def test_the_demo_month_at_shuangfengsi(demo):
    county, line = demo
    assert line == ("wugeyi 双峰寺镇：户情档案 6 户，连心卡 4 张，月月谈 1 次，事项 4 件"
                    "（当场办结 1、代办 1、县政务服务中心承办 1、上报乡镇便民服务中心领办 1），结果反馈 2 件")
    assert county.now().isoformat() == "2020-01-05T09:00:00+08:00"  # the clock is given back
    cases = county.list_cases(method="wugeyi")
    assert [(c.title, c.status, c.level, c.unit, c.handler, c.joint_handler) for c in cases] == [
        ("村里自来水经常停水", "resolved", "village_station", "demo.sf.fb", None, None),
        ("村口道路坑洼积水", "resolved", "village_station", "demo.sf.fb", "sf-fb-01", "sf-03"),
        ("新农合报销咨询", "resolved", "county_centre", "demo.wjj", "wjj-01", "sf-fb-02"),
        ("开具家庭收入证明", "resolved", "township_centre", "demo.sf", "sf-03", "sf-ng-01")]
    assert [c.due_at and c.due_at.isoformat() for c in cases] == [
        None, "2019-12-09T23:59:59+08:00", "2019-12-26T23:59:59+08:00", "2019-12-26T23:59:59+08:00"]
    assert [c.resolved_at.isoformat() for c in cases] == [
        "2019-12-06T19:20:00+08:00", "2019-12-08T16:00:00+08:00", "2019-12-20T15:00:00+08:00",
        "2019-12-22T11:00:00+08:00"]
    assert (cases[1].priority, cases[1].extra["segment"], cases[1].extra["proxy"]) == ("high", "poor", True)
    assert "proxy" not in cases[2].extra and "proxy" not in cases[0].extra
    got = {m.metric: (m.numerator, m.denominator) for m in county.appraise("2019-12", "demo.sf")
           if m.method == "wugeyi" and m.subject == "demo.sf"}
    # proxy: only the allowance errand (the certificate went up to the township centre)
    assert (got["proxy_share"], got["completion_rate"], got["feedback_rate"]) == ((1, 4), (4, 4), (2, 3))
    d = county.ctx("wugeyi").milestones.of(cases[3].id)
    assert [(m.level, m.due_at.isoformat(), m.state) for m in d] == [
        ("village_station", "2019-12-18T23:59:59+08:00", "missed"),
        ("township_centre", "2019-12-26T23:59:59+08:00", "met")]


def test_the_demo_duties(demo):
    county, _ = demo
    ctx = county.ctx("wugeyi")
    got = county.registry.call_one("wugeyi", "duties", ctx=ctx, unit=ctx.unit("demo.sf"), on_date=dt.date(2019, 12, 31))
    assert sorted((d.unit, d.kind, d.done) for d in got) == [
        ("demo.sf.fb", "monthly_talk", True), ("demo.sf.fb", "profile_review", True),
        ("demo.sf.ng", "monthly_talk", False), ("demo.sf.ng", "profile_review", True)]


def test_a_bad_period_writes_nothing(make_county):
    county = make_county(TOML, now="2020-01-05T09:00")
    with pytest.raises(framework.CountyError, match="YYYY-MM"):
        county.registry.call_one("wugeyi", "demo", ctx=county.ctx("wugeyi"), period="2019-13", titles=[])
    assert county.list_cases(method="wugeyi") == [] and "demo.sf" not in county.units
