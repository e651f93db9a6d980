"""农村社区化管理's ``county_demo``: the demo month (December 2019) at 石泉村 and 黄石村 of 富兴镇 on
the demo county with only shequhua enabled; every instant, handler and figure worked out from
plugins/contrib/shequhua/demo.py (centre limit 7 calendar days, township 10)."""

import datetime as dt

import pytest

from framework.testing import demo_county


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_county(tmp_path_factory.mktemp("shequhua-demo") / "county.db", "shequhua", "2019-12",
                       now="2020-01-05T09:00")


def test_the_demo_month(demo):
    county, line = demo
    assert line == ("shequhua 富兴镇：试点村 2 个（石泉村、黄石村）分别与和平社区、新华社区帮联，富兴镇与城关街道帮联；"
                    "事项 5 件，办结 4 件，1 件上报富兴镇；2019Q4 随机抽查抽中石泉村；石泉村确定为农村社区化管理示范村")
    assert county.now().isoformat() == "2020-01-05T09:00:00+08:00"  # the clock is given back
    got = [(c.title, c.category, c.extra["kind"], c.status, c.level, c.unit, c.handler, c.joint_unit,
            c.due_at.isoformat(), c.resolved_at and c.resolved_at.isoformat())
           for c in county.list_cases(method="shequhua")]
    assert got == [
        ("大棚蔬菜病虫害防治咨询", "production", "errand", "resolved", "centre", "demo.fx.sq", "shq-sq-2", None,
         "2019-12-10T23:59:59+08:00", "2019-12-04T16:00:00+08:00"),
        ("邻里宅基地界址纠纷", "mediation", "dispute", "resolved", "centre", "demo.fx.sq", "shq-sq-1", None,
         "2019-12-12T23:59:59+08:00", "2019-12-09T16:00:00+08:00"),
        # 12-06 + 7 → 12-13; up at 12-14 01:00 → + 10 → 12-24; 城关街道 joins (富兴镇's partner)
        ("村口垃圾点清运", "sanitation", "problem", "escalated", "township", "demo.fx", "fx-01", "demo.cg",
         "2019-12-24T23:59:59+08:00", None),
        ("看望住院的独居老人", "public_welfare", "errand", "resolved", "centre", "demo.fx.sq", "shq-sq-2", None,
         "2019-12-17T23:59:59+08:00", "2019-12-10T16:00:00+08:00"),
        ("申请失地农民技能培训", "employment", "errand", "resolved", "centre", "demo.fx.hs", "shq-hs-1", None,
         "2019-12-18T23:59:59+08:00", "2019-12-12T16:00:00+08:00")]
    assert county.units["demo.cg.xh"].name == "新华社区"


def test_the_demo_boards_figures_and_duties(demo):
    county, _ = demo
    county.clock.fixed = dt.datetime(2020, 1, 1, 9, tzinfo=county.calendar.tz)
    boards = [b for b in county.boards("demo.fx", "2019-12") if b.method == "shequhua"]
    assert [(b.title, [len(s.rows) for s in b.sections]) for b in boards] == [
        ("富兴镇农村社区化管理专题专栏（2019-12）", [1, 3, 2]),
        ("黄石村农村社区化管理服务中心公开栏（2019-12）", [1, 1, 0]),
        ("石泉村农村社区化管理服务中心公开栏（2019-12）", [5, 4, 2])]
    m = {x.metric: (x.numerator, x.denominator) if x.denominator is not None else x.value
         for x in county.appraise("2019-12", "demo") if x.method == "shequhua" and x.subject == "demo"}
    assert {k: m[k] for k in ("pilot_villages", "org_coverage", "pairing_coverage", "model_target_rate",
                              "regular_check_coverage", "spot_check_rate", "year_end_check_rate", "errands_done",
                              "disputes_resolved", "problems_solved", "six_ones_services",
                              "training_reimbursed_yuan")} == {
        "pilot_villages": 2, "org_coverage": (1, 2), "pairing_coverage": (2, 2), "model_target_rate": (1, 15),
        "regular_check_coverage": (1, 2), "spot_check_rate": (1, 1), "year_end_check_rate": (0, 2),
        "errands_done": 3, "disputes_resolved": 1, "problems_solved": 0, "six_ones_services": 1,
        "training_reimbursed_yuan": 2000.0}  # 2,400 yuan reimbursed up to 2,000 (L280)
    duties = sorted((d.kind, d.unit, d.done) for d in county.duties(dt.date(2019, 12, 31)) if d.method == "shequhua")
    assert duties == [("regular_check", "demo.fx.hs", False), ("regular_check", "demo.fx.sq", True),
                      ("spot_check", "demo.fx.sq", True),
                      ("year_end_check", "demo.fx.hs", False), ("year_end_check", "demo.fx.sq", False)]
