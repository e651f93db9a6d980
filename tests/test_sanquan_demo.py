"""sanquan's ``county_demo``: the fixed month at 北山街道东山弄社区 on the demo county (its units
and people, only sanquan enabled; the demo adds its subdistrict, community, grids and people).
Values by hand for December 2019 (Monday 12-02 … Tuesday 12-31; no holiday; 2020-01-01 is one)."""

import datetime as dt

import pytest

from framework.testing import demo_county


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo month, seeded once for the module."""
    return demo_county(tmp_path_factory.mktemp("sanquan-demo") / "county.db", "sanquan", "2019-12",
                       now="2020-01-05T09:00")


def test_the_demo_month(demo):
    county, line = demo
    assert line == ("sanquan 东山弄社区：服务事项 6 件（错时以外 2 件，B岗承办 1 件，上报北山街道 1 件），"
                    "星级户上门服务 35 次")
    cases = county.list_cases(method="sanquan")
    got = [(c.created_at.isoformat()[:16], c.unit, c.handler, c.extra["assigned_as"], c.status,
            c.due_at.isoformat()) for c in cases]
    assert got == [
        # Monday 10:00, 社保 A post; 12-03, 12-04, 12-05
        ("2019-12-02T10:00", "demo.bs.dsn", "bs-dsn-01", "A", "resolved", "2019-12-05T23:59:59+08:00"),
        # Friday 22:15: timed from Saturday 09:00; 12-09, 12-10, 12-11; grid 1's team leader
        ("2019-12-06T22:15", "demo.bs.dsn.g1", "bs-dsn-01", "grid_team", "resolved", "2019-12-11T23:59:59+08:00"),
        # Tuesday 20:30 (inside 08:00–21:00): the A holder on leave 12-09..12-13, so B
        ("2019-12-10T20:30", "demo.bs.dsn", "bs-dsn-02", "B", "resolved", "2019-12-13T23:59:59+08:00"),
        # Monday 02:10, call device: the duty of Sunday 12-15 (odd day: bs-dsn-02)
        ("2019-12-16T02:10", "demo.bs.dsn.g1", "bs-dsn-02", "duty", "resolved", "2019-12-19T23:59:59+08:00"),
        # Friday 18:30 appointment for BS-H2: its one-to-one contact
        ("2019-12-20T18:30", "demo.bs.dsn.g2", "bs-dsn-04", "contact", "resolved", "2019-12-25T23:59:59+08:00"),
        # Monday 09:00, due 12-26, swept at 2020-01-01 00:00 to 北山街道: timed from the holiday's
        # opening 09:00, 5 working days 01-02, 01-03, 01-06, 01-07, 01-08
        ("2019-12-23T09:00", "demo.bs", "bs-01", "tier_role", "escalated", "2020-01-08T23:59:59+08:00"),
    ]
    assert cases[-1].extra["timed_from"] == "2020-01-01T09:00:00+08:00"


def test_demo_duties_and_board(demo):
    county, _ = demo
    ds = sorted((d.kind, d.subject, d.done) for d in county.duties(dt.date(2019, 12, 15), "demo.bs"))
    assert ds == [("on_call_duty", "2019-12-15", True), ("star_visit", "BS-H1", False)]  # no visit on the 15th
    ds = sorted((d.kind, d.subject, d.done) for d in county.duties(dt.date(2019, 12, 7), "demo.bs"))
    assert ds == [("on_call_duty", "2019-12-07", True), ("star_visit", "BS-H1", True), ("star_visit", "BS-H2", True)]
    m = {x.metric: (x.numerator, x.denominator) for x in county.appraise("2019-12", "demo.bs.dsn")
         if x.method == "sanquan" and x.subject == "demo.bs.dsn"}
    # BS-H1 31 daily windows (30 visited), BS-H2 4 weekly windows ending in December, BS-H3 one;
    # only the on-call matter has a response limit (1 hour; answered after 30 minutes)
    assert m["star_visit_rate"] == (35, 36) and m["respond_on_time_rate"] == (1, 1) and m["backup_share"] == (1, 3)  # A: 2nd and 23rd (escalated, still counted), B: 10th
    boards = county.boards("demo.bs", "2019-12")
    assert [b.title for b in boards] == ["东山弄社区“三全十服务”公示（2019-12）"]
    assert [len(sec.rows) for sec in boards[0].sections] == [3, 2, 2, 6, 31]  # hours, 两委, A/B, matters, roster
    assert county.boards("demo.cg.hp", "2019-12") == []  # a community without sanquan records posts nothing
