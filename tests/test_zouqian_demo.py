"""zouqian's ``county_demo`` on the demo county, October 2024, worked out by hand from
plugins/contrib/zouqian/demo.py and the default settings (居村 5 working days; 10-01..07
holiday, Saturday 10-12 a make-up working day):

* A, B, C at 和平社区 on 10-03 10:00/11:00/12:00 and D at 新建村 on 10-04 10:00 are all due
  10-12 23:59:59 (10-08, 09, 10, 11, 12);
* the batch (lead A, B and C linked) is solved Saturday 10-12 15:00, before that instant;
* 10-13 10:00: A 很满意 and C 满意 close, B 一般 reopens at 居村 (arrival Sunday 10-13 → 10-14..18
  → due 10-18 23:59:59); B resolved 10-18 16:00, rated 满意 10-19 → closed;
* D is still open at the sweep of 11-01 00:00: up to 太平镇 (孙某, zq-ts), arriving Friday 11-01 →
  11-04..08, 11-11..15 → due 11-15 23:59:59.
"""

import datetime as dt

import pytest

from framework.testing import demo_county

LINE = ("zouqian 和平社区、新建村 2024-10：结对 5 对，第 1 轮走访（2 次），问题 4 件，"
        "12 日批量解决 3 件（《专收农民工同住子女幼儿园的设园标准》），1 件评议“一般”退回后“满意”退出，"
        "问题D月末督办上报太平镇")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """One demo county for the module, its month seeded once."""
    county, county.line = demo_county(tmp_path_factory.mktemp("zouqian_demo") / "county.db", "zouqian", "2024-10",
                                      now="2024-11-05T12:00")
    return county


def test_summary_line(county):
    assert county.line == LINE


def test_problems_of_the_month(county):
    ctx = county.ctx("zouqian")
    got = [(c.title, c.status, c.level, c.unit, c.handler, c.joint_handler, c.satisfaction,
            c.due_at.isoformat()) for c in ctx.cases.find(method="zouqian")]
    assert got == [
        ("农民工子女入园难", "confirmed", "juncun", "demo.cg.hp", "zq-hp", "zq-gu", "very_satisfied", "2024-10-12T23:59:59+08:00"),
        ("小区附近缺少幼儿园", "confirmed", "juncun", "demo.cg.hp", "zq-hp", "zq-gu", "satisfied",
         "2024-10-18T23:59:59+08:00"),
        ("外来务工人员子女看护点不足", "confirmed", "juncun", "demo.cg.hp", "zq-hp", "zq-gu", "satisfied",
         "2024-10-12T23:59:59+08:00"),
        ("村道破损需修缮", "escalated", "jiezhen", "demo.ts", "zq-ts", None, None, "2024-11-15T23:59:59+08:00"),
    ]
    b = ctx.cases.find(method="zouqian")[1]
    reopened = ctx.events.of(b.id, types="reopened")
    assert [(e.at.isoformat(), e.data["level"]) for e in reopened] == [("2024-10-13T10:00:00+08:00", "juncun")]
    due = [(m.due_at.isoformat(), m.state) for m in ctx.milestones.of(b.id)]
    assert due == [("2024-10-12T23:59:59+08:00", "met"), ("2024-10-18T23:59:59+08:00", "met")]


def test_board_appraisal_and_duties(county):
    boards = [b for b in county.boards("demo.cg.hp", "2024-10") if b.method == "zouqian"]
    assert [b.title for b in boards] == ["和平社区“走千听万”问题办理反馈（2024-10）"]
    assert [(r["status"], r["rating"], r["reopened"], r["batch"]) for r in boards[0].sections[0].rows] == [
        ("已确认", "很满意", 0, 1), ("已确认", "满意", 1, 1), ("已确认", "满意", 0, 1)]
    m = {x.metric: x for x in county.appraise("2024-10", unit="demo.cg") if x.method == "zouqian"
         and x.subject == "demo.cg"}
    assert (m["rating_pass_rate"].numerator, m["rating_pass_rate"].denominator) == (3, 4)
    assert (m["visit_coverage"].numerator, m["visit_coverage"].denominator) == (1, 1)
    assert m["batch_solved"].value == 3
    assert (m["reopened"].value, m["reopened_cases"].value) == (1, 1)
    ctx = county.ctx("zouqian")
    from plugins.contrib.zouqian import duties

    assert [(d.unit, d.kind, d.done) for d in duties.duties(ctx, None, dt.date(2024, 10, 10))] == [
        ("demo.cg.hp", "round_visit", True), ("demo.ts.xj", "round_visit", True)]
    assert [(d.unit, d.kind, d.done) for d in duties.duties(ctx, None, dt.date(2024, 10, 31))] == [
        ("demo.cg.hp", "contact", True), ("demo.ts.xj", "contact", True)]
