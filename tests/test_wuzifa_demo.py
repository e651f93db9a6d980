"""wuzifa's ``county_demo`` on the demo county, October 2024, worked out by hand from
plugins/contrib/wuzifa/demo.py and the default settings (2024-10-01..07 National Day holiday,
Saturday 10-12 a make-up working day):

* the dispute demo-000001 is taken in Wed 10-02 09:00 at 柳林沟村, held by 富兴镇's work-group
  leader 白某 (wzf-01); 90 calendar days: 29 to 10-31, 30 in November, 31 in December → due
  2024-12-31T23:59:59; every household signs (h05 10-08, h01 10-10 10:00 and his three followers
  that afternoon, the holdout h06 last on 10-18) and it is resolved 10-21 16:00;
* demo-000002, a small matter, is settled on the spot (10-05 14:00): no due instant;
* demo-000003, 80,000 yuan, taken in Sun 10-06 14:00 during the holiday: 5 working days 10-08,
  09, 10, 11, 12 (the make-up Saturday) → 2024-10-12T23:59:59; fed back Mon 10-07 09:00 to
  县住建局 (许某): 15 working days 10-08..11 (4), 10-12 (5), 10-14..18 (10), 10-21..25 (15) →
  2024-10-25T23:59:59;
* rents paid on 10-20 (50 yuan a tapped mu, 30 an untapped one): 690 + 460 + 400 + 500 + 420 + 620.
"""


import pytest

from framework.testing import demo_county
from plugins.contrib.wuzifa import service

LINE = ("wuzifa 柳林沟村 2024-10：土地租赁纠纷 1 件（demo-000001），市县乡工作组 3 人，6 户经“笑、问、听、析、讲”，"
        "对组长“粘、盯”（3 户随其签字），经 2 名同学“靠”；签字 6/6，兑付 6 户；"
        "收集问题 2 件（demo-000002 当场解决，demo-000003 反馈至县住建局）")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """One demo county for the module, its month seeded once."""
    county, county.line = demo_county(tmp_path_factory.mktemp("wuzifa_demo") / "county.db", "wuzifa", "2024-10",
                                      now="2024-11-05T12:00")
    return county


def test_summary_line(county):
    assert county.line == LINE


def test_cases_of_the_month(county):
    ctx = county.ctx("wuzifa")
    got = [(c.id, c.category, c.status, c.level, c.unit, c.handler, c.due_at.isoformat() if c.due_at else None)
           for c in ctx.cases.find(method="wuzifa")]
    assert got == [
        ("demo-000001", "collective_dispute", "resolved", "work_group", "demo.fx", "wzf-01",
         "2024-12-31T23:59:59+08:00"),
        ("demo-000002", "small_matter", "resolved", "work_group", "demo.fx.llg", None, None),
        ("demo-000003", "project_funding", "escalated", "higher_level", "demo.zjj", "zjj-01",
         "2024-10-25T23:59:59+08:00"),
    ]
    feedback = ctx.milestones.of("demo-000003", name="feedback")
    assert [(m.due_at.isoformat(), m.state) for m in feedback] == [("2024-10-12T23:59:59+08:00", "met")]


def test_households_signed_in_the_casebooks_order(county):
    ctx = county.ctx("wuzifa")
    so = ctx.cases.get("demo-000001").signoff
    order = sorted(so.parties, key=lambda p: p.signed_at)
    assert [p.id for p in order] == ["h05", "h01", "h02", "h03", "h04", "h06"]
    assert order[-1].signed_at.isoformat() == "2024-10-18T10:00:00+08:00"
    paid = [r["amount"] for r in ctx.db.query("select amount from wuzifa_payments order by household")]
    assert paid == [690, 460, 400, 500, 420, 620]
    assert service.progress(ctx, "demo-000001")["missing_levels"] == []


def test_month_figures(county):
    ctx = county.ctx("wuzifa")
    got = {m.metric: (m.numerator, m.denominator, m.value)
           for m in county.registry.call_one("wuzifa", "appraisal", ctx=ctx, unit=ctx.unit("demo.fx"),
                                             period="2024-10")}
    assert got["signing_rate"] == (6, 6, 1.0)
    assert got["payment_rate"] == (6, 6, 1.0)
    assert got["contracts_signed"][2] == 6
    assert got["verified_area"][2] == 69.0
    assert got["five_char_rate"] == (6, 6, 1.0)
    assert (got["escalated_stick"][2], got["escalated_fix_on"][2], got["escalated_lean_on"][2]) == (2, 1, 1)
    assert got["on_the_spot_rate"] == (1, 1, 1.0)
