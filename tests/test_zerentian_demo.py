"""zerentian's ``county_demo`` on the demo county (framework/demo/data/county.toml with only
zerentian enabled), June 2024, worked out by hand from plugins/contrib/zerentian/demo.py and the
default settings (working days; 2024-06-10, Monday, is the Dragon Boat Festival holiday):

* PDA report at 和平社区第一网格, Mon 06-03 09:00 → 和平社区 (韩某 zrt-hp, jointly 邹某 zrt-f1),
  safety (井盖); 06-04, 05, 06 → due 06-06 23:59:59; resolved 06-04 16:00.
* The road request at 新建村, 06-03 10:00 (the month's first real title): due 06-06; reported
  up Fri 06-07 09:00 to 太平镇 (严某 zrt-ts: 06-11, 12, 13 → 06-13, the holiday skipped), Sat
  06-08 09:00 to the district centre (金某 zrt-zx: 06-11, 12 → 06-12), transferred Sun 06-09
  10:00 to 县交通运输局 (石某 zrt-jt: 06-11..14, 17..21, 24 → 06-24 23:59:59); resolved 06-15.
* The dispute at 和平社区, Wed 06-05 19:00 (triage: 纠纷 → dispute): 06-06, 07, 11 → due 06-11
  23:59:59; resolved 06-06 15:00.
* June: the review on 06-28, 正阳… hp-1 48 / 50, xj-1 40 / 50 → the county 88 / 100.
"""

from __future__ import annotations

import datetime as dt

import pytest

from framework.testing import CountyRunner, demo_county
from plugins.contrib.zerentian import duties

LINE = ("zerentian 和平社区、新建村：责任田 2 块（服务团 6 人），诉求 3 件（PDA上报 1 件附件 2 件，"
        "交转县交通运输局 1 件），活动 1 次，践诺 1 项，6月述职测评大会（测评党组织 2 个）")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The demo county with zerentian alone, its June 2024 seeded once."""
    db = tmp_path_factory.mktemp("zerentian_demo") / "county.db"
    _, line = demo_county(db, "zerentian", "2024-06", now="2024-07-02T12:00", titles=["村道路灯损坏"])
    run = CountyRunner(db)
    run.line = line
    return run


def test_summary_line(county):
    assert county.line == LINE


def test_requests_of_the_month(county):
    ctx = county.ctx("zerentian", now="2024-07-02T12:00")
    got = [(c.title, c.category, c.level, c.status, c.unit, c.handler, c.joint_handler)
           for c in ctx.cases.find(method="zerentian")]
    assert got == [
        ("小区井盖缺失", "safety", "workstation", "resolved", "demo.cg.hp", "zrt-hp", "zrt-f1"),
        ("村道路灯损坏", "infrastructure", "department", "resolved", "demo.jtj", "zrt-jt", None),
        ("邻里纠纷：楼道堆物", "dispute", "workstation", "resolved", "demo.cg.hp", "zrt-hp", "zrt-f1"),
    ]
    pda, road, dispute = ctx.cases.find(method="zerentian")
    due = [(m.level, m.due_at.isoformat(), m.state) for m in ctx.milestones.of(road.id)]
    assert due == [("workstation", "2024-06-06T23:59:59+08:00", "missed"),
                   ("subcentre", "2024-06-13T23:59:59+08:00", "met"),
                   ("district_centre", "2024-06-12T23:59:59+08:00", "met"),
                   ("department", "2024-06-24T23:59:59+08:00", "met")]
    assert [m.due_at.isoformat() for m in ctx.milestones.of(pda.id)] == ["2024-06-06T23:59:59+08:00"]
    assert [m.due_at.isoformat() for m in ctx.milestones.of(dispute.id)] == ["2024-06-11T23:59:59+08:00"]
    assert [(a.n, a.media_type) for a in ctx.cases.get(pda.id).attachments] == [(1, "image/jpeg"), (2, "video/mp4")]


def test_review_duties_and_figures(county):
    ctx = county.ctx("zerentian", now="2024-07-02T12:00")
    got = [(d.unit, d.kind, d.subject, d.done) for d in duties.duties(ctx, None, dt.date(2024, 6, 30))]
    assert got == [("demo", "review", "2024", True), ("demo.cg.hp", "report", "hp-1", True),
                   ("demo.ts.xj", "report", "xj-1", True)]
    ms = county("appraise", "--period", "2024-06", "--unit", "demo", "--now", "2024-07-02", "--json").data
    got = {m["metric"]: (m["numerator"], m["denominator"]) for m in ms
           if m["method"] == "zerentian" and m["subject"] == "demo" and m["tier"] is None}
    assert got["completion_rate"] == (3, 3) and got["media_share"] == (1, 3)
    assert got["review_rating"] == (88, 100) and got["pledge_fulfilment_rate"] == (1, 1)
