"""shequ365's ``county_demo``: 和平社区's month on a deployment like the demo county's (its
城关街道 part: the community, its two grid units, the leader and the two grid workers).

December 2019 (the demo month on 附件4), 31 days: two social workers, two grids, six linked
households; five visited (hp-203 not), two cases raised on visits (a broken stair light at
hp-101, resolved the next day; a job-training request at hp-202, committed for the 20th); two
patrols a day per grid less three days each (g1 on the 8th, 17th, 26th; g2 on the 5th, 14th,
23rd): 112 of 124; the month-end joint meeting passes two items and the first case.
"""

from __future__ import annotations

import datetime as dt

import pytest

from plugins.shequ365 import duties

TOML = """
[deployment]
name = "示范县（演示）"
code = "demo"
timezone = "Asia/Shanghai"
methods = ["shequ365"]
actor = "demo"
extra_roles = ["community_secretary"]

[[units]]
code = "demo"
name = "示范县"
level = "county"
[[units]]
code = "demo.cg"
name = "城关街道"
level = "township"
parent = "demo"
[[units]]
code = "demo.cg.hp"
name = "和平社区"
level = "community"
parent = "demo.cg"
[[units]]
code = "demo.cg.hp.g1"
name = "和平社区第一网格"
level = "grid"
parent = "demo.cg.hp"
[[units]]
code = "demo.cg.hp.g2"
name = "和平社区第二网格"
level = "grid"
parent = "demo.cg.hp"

[[people]]
id = "cg-hp-01"
name = "郑某"
unit = "demo.cg.hp"
roles = ["community_secretary", "village_cadre", "community_leader"]
[[people]]
id = "cg-hp-g1"
name = "孙某"
unit = "demo.cg.hp.g1"
roles = ["grid_worker"]
[[people]]
id = "cg-hp-g2"
name = "钱某"
unit = "demo.cg.hp.g2"
roles = ["grid_worker"]
"""


@pytest.fixture
def seeded(make_county):
    county = make_county(TOML, now="2020-01-01T09:00")
    ctx = county.ctx("shequ365")
    line = county.registry.call_one("shequ365", "demo", ctx=ctx, period="2019-12", titles=["某条真实留言标题"])
    return county, ctx, line


def _count(county, table):
    return county.store.query(f"select count(*) n from shequ365_{table}")[0]["n"]


def test_demo_seeds_the_month(seeded):
    county, ctx, line = seeded
    assert line == "shequ365 和平社区：联系户 6 户，已走访 5 户，一日两巡 112/124 次，事项 2 件"
    # acting_at restored the clock and ctx.now
    assert ctx.now.isoformat() == "2020-01-01T09:00:00+08:00"
    assert county.now().isoformat() == "2020-01-01T09:00:00+08:00"
    assert {t: _count(county, t) for t in ("members", "grids", "households", "visits", "visit_tasks", "patrols",
                                            "meetings", "meeting_items", "assessments")} == {
        "members": 2, "grids": 2, "households": 6, "visits": 5, "visit_tasks": 0, "patrols": 112,
        "meetings": 1, "meeting_items": 3, "assessments": 0}
    patrols = {(r["area"], r["n"]) for r in county.store.query(
        "select area, count(*) n from shequ365_patrols group by area")}
    assert patrols == {("demo.cg.hp.g1", 56), ("demo.cg.hp.g2", 56)}
    missed_days = {(r["area"], r["patrolled_on"][-2:]) for r in county.store.query(
        "select area, patrolled_on from shequ365_patrols")}
    assert [d for d in range(1, 32) if ("demo.cg.hp.g1", f"{d:02d}") not in missed_days] == [8, 17, 26]
    assert [d for d in range(1, 32) if ("demo.cg.hp.g2", f"{d:02d}") not in missed_days] == [5, 14, 23]
    visits = [(r["household"], r["worker"], r["visited_at"]) for r in county.store.query(
        "select * from shequ365_visits order by id")]
    assert visits == [("hp-101", "cg-hp-g1", "2019-12-03T10:00:00+08:00"),
                      ("hp-102", "cg-hp-g1", "2019-12-05T10:00:00+08:00"),
                      ("hp-103", "cg-hp-g1", "2019-12-10T10:00:00+08:00"),
                      ("hp-201", "cg-hp-g2", "2019-12-04T10:00:00+08:00"),
                      ("hp-202", "cg-hp-g2", "2019-12-12T10:00:00+08:00")]
    created = {r["created_at"] for t in ("grids", "households", "members")
               for r in county.store.query(f"select created_at from shequ365_{t}")}
    assert created == {"2019-12-01T00:00:00+08:00"}


def test_demo_cases_and_meeting(seeded):
    county, ctx, _ = seeded
    light, job = ctx.cases.find(method="shequ365")
    assert (light.title, light.channel, light.level, light.handler, light.status) == (
        "楼道声控灯损坏", "linked_visit", "time_limited", "cg-hp-g1", "resolved")
    assert (light.created_at.isoformat(), light.due_at.isoformat(), light.resolved_at.isoformat()) == (
        "2019-12-03T10:00:00+08:00", "2019-12-06T23:59:59+08:00", "2019-12-04T15:00:00+08:00")
    assert (light.extra["household"], light.extra["grid"], light.extra["community"]) == (
        "hp-101", "demo.cg.hp.g1", "demo.cg.hp")
    assert light.requester.name == "住户甲" and light.requester.phone == "13907450123"
    assert (job.title, job.level, job.handler, job.status, job.due_at.isoformat()) == (
        "失业人员再就业培训申请", "follow_up", "cg-hp-g2", "assigned", "2019-12-20T23:59:59+08:00")
    assert job.extra["follow_up_by"] == "individual" and job.extra["committed_date"] == "2019-12-20"
    assert [e.type for e in ctx.events.of([light.id, job.id], None)] == [
        "registered", "triaged", "assigned", "registered", "triaged", "assigned", "resolved", "shequ365_joint"]
    meeting = county.store.query("select * from shequ365_meetings")[0]
    assert (meeting["kind"], meeting["held_at"]) == ("joint", "2019-12-31T16:00:00+08:00")
    items = [(r["case_id"], r["title"], r["passed"]) for r in county.store.query(
        "select * from shequ365_meeting_items order by id")]
    assert items == [(light.id, "楼道声控灯损坏", 1), (None, "冬季消防安全检查安排", 1), (None, "困难家庭春节慰问名单", 1)]


def test_demo_board_duties_and_figures(seeded):
    county, ctx, _ = seeded
    for period in ("2019-12", "2019"):
        boards = [b for b in county.boards("demo", period) if b.method == "shequ365"]
        assert [b.title for b in boards] == [f"和平社区居务公开栏（{period}）"]
        assert [len(s.rows) for s in boards[0].sections] == [3, 0, 2]  # 5 rows, as the CLI seeding showed
        assert "13907450123" not in repr(boards) and "住户甲" not in repr(boards)
    missed = duties.day_report(ctx, None, dt.date(2020, 1, 1))["missed"]
    assert [(x.kind, x.subject, x.due_on.isoformat()) for x in missed] == [("linked_visit", "hp-203", "2019-12-31")]
    got = {(m.metric, m.subject): (m.numerator, m.denominator, m.value)
           for m in county.appraise("2019-12", "demo") if m.method == "shequ365"}
    assert got[("linked_households", "cg-hp-g1")] == (None, None, 3.0)
    assert got[("visit_coverage", "cg-hp-g1")][:2] == (3, 3)
    assert got[("visit_coverage", "cg-hp-g2")][:2] == (2, 3)
    assert got[("patrol_rate", "cg-hp-g1")][:2] == (56, 62)
    assert got[("patrol_rate", "cg-hp-g2")][:2] == (56, 62)
    assert got[("cadence_joint", "demo.cg.hp")][:2] == (1, 1)
    assert got[("cadence_huddle", "demo.cg.hp")][:2] == (0, 31)
    assert got[("mandatory_visit_on_time", "demo.cg.hp")][:2] == (0, 0)
