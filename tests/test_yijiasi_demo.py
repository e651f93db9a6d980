"""yijiasi's ``county_demo`` on the demo county (only yijiasi enabled), October 2024 — National Day
10-01..07 off, Saturday 10-12 a make-up working day — every figure worked out by hand from
plugins/contrib/yijiasi/demo.py:

* the team joins on Tue 10-01; Wednesdays 10-02, 09, 16, 23 → 4 × 4 contacts but the student's
  of 10-09 = 15; work days 10-10 (4) and 10-24 (3) = 7;
* matter 1 at 水渡口社区 Sat 10-05 10:00 (a holiday; calendar days all the same) → 10-12 23:59:59,
  resolved 10-08 at the team; matter 2 at 运河社区 Sun 10-06 10:00 → 10-13 23:59:59, escalated
  Mon 10-14 09:00 to the leader: 5 working days 10-15, 16, 17, 18, 21 → 10-21 23:59:59;
* weeks owed (the member in the team all week): to 10-13, 10-20, 10-27 (the week to 10-06 began
  before 10-01) → 3 × 4 = 12, done 11; fortnights (14-day windows from 2024-01-01, Tue 10-01 is
  day 274 = 19 × 14 + 8, so they end 10-06, 10-20, 11-03): the one 10-07..20 → 4 owed, 4 done.
"""

import pytest

from framework.demo.run import deployment_toml
from framework.testing import CountyRunner
from plugins.contrib.yijiasi import county_demo


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("yijiasi-demo") / "county.db").init(deployment_toml(["yijiasi"]))
    ctx = run.ctx("yijiasi", now="2024-11-05T09:00")
    line = county_demo(ctx, "2024-10", [])
    return run, ctx, line


def test_the_summary_line(seeded):
    assert seeded[2] == ("yijiasi 水渡口社区、运河社区：“1+4”服务团 1 个，联系社区 15 次，到社区工作 7 天，"
                         "集中服务活动 2 次，事项 2 件（demo-000001 服务团办结，demo-000002 经团长协调），表彰 1 名")


def test_the_demo_matters(seeded):
    _, ctx, _ = seeded
    got = [(c.id, c.level, c.unit, c.handler, c.joint_handler, c.status, c.due_at.isoformat())
           for c in ctx.cases.find(method="yijiasi")]
    assert got == [
        ("demo-000001", "team", "demo.qh.sdk", "yjs-s1", "yjs-law", "resolved", "2024-10-12T23:59:59+08:00"),
        ("demo-000002", "leader", "demo.qh.yh", "yjs-lead", "yjs-stu", "resolved", "2024-10-21T23:59:59+08:00")]


def test_octobers_duties_and_figures(seeded):
    run = seeded[0]
    contacts = sorted((d["subject"], d["done"]) for d in run("duties", "--date", "2024-10-13", "--json").data
                      if d["kind"] == "contact")
    assert contacts == [("yjs-dept", True), ("yjs-ins", True), ("yjs-law", True), ("yjs-stu", False)]
    workdays = [d["done"] for d in run("duties", "--date", "2024-10-20", "--json").data if d["kind"] == "workday"]
    assert workdays == [True] * 4
    metrics = run("appraise", "--unit", "demo.qh", "--period", "2024-10", "--now", "2024-11-05T09:00", "--json").data
    got = {m["metric"]: (m["numerator"], m["denominator"], m["value"]) for m in metrics
           if m["method"] == "yijiasi" and m["subject"] == "demo.qh"}
    assert got["weekly_contact_rate"][:2] == (11, 12)
    assert got["fortnight_workday_rate"][:2] == (4, 4)
    assert got["quarterly_event_rate"] == (0, 0, None)
    assert (got["service_events"][2], got["checks"][2], got["posts_claimed"][2]) == (2, 1, 4)
    assert got["on_time_rate"][:2] == (1, 2)


def test_the_board_masks_the_requester_and_lists_the_team(seeded):
    run = seeded[0]
    boards = run("board", "--unit", "demo.qh.sdk", "--period", "2024-10", "--format", "json",
                 "--now", "2024-11-05T09:00", "--json").data
    mine = [b for b in boards if b["method"] == "yijiasi"]
    assert [b["title"] for b in mine] == ["水渡口社区“1+4”组团服务公示（2024-10）"]
    sections = {s["title"]: s["rows"] for s in mine[0]["sections"]}
    assert [r["kind"] for r in sections["服务团成员"]] == ["市直部门", "社区党建工作指导员", "律师党员志愿者",
                                                       "大学生党员义工"]
    assert [(r["on_date"], r["participants"]) for r in sections["集中服务活动"]] == [("2024-10-12", 120)]
    assert [(r["case_id"], r["requester"], r["tier"]) for r in sections["本期事项"]] == [
        ("demo-000001", "马某", "服务团办理")]
