"""dianti's ``county_demo``: a fixed month of 点题服务 at 观音村 (demo.ts.gy) of the demo county,
written through the plugin's service layer and ``ctx.actions`` (no CLI).

The month (2019-12, the demo's month on the real data): 3 groups, 7 members (3 party members
leading them), the supervision centre (L83: two supervisory board members 孔某 gy-j1, leading it,
and 孟某 gy-j2, and one notable 严某 gy-z1), the window rota Mon/Wed/Fri (周某 ts-gy-01, a cadre of
观音村);
8 requests, each with one measure, 7 resolved and rated (15 ratings), one supervision finding
on the open one. Boards: 8 requests + 8 measures + 7 results = 23 rows in the month and the year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

import framework
from framework.demo.run import deployment_toml
from framework import parse_instant
from plugins.dianti.appraisal import evaluate

try:
    from tests.test_dianti_assignment import TOML as SINAN
except ImportError:  # tests/ not a package on sys.path
    from test_dianti_assignment import TOML as SINAN

DEMO_TOML = (Path(framework.__file__).parent / "demo" / "data" / "county.toml").read_text(encoding="utf-8")


def demo_toml(methods=("dianti",)) -> str:
    """The kernel's demo county with ``methods`` enabled (its ``[where]`` for those only)."""
    assert "methods = []" in DEMO_TOML
    return deployment_toml(list(methods))


@pytest.fixture
def seeded(make_county):
    county = make_county(demo_toml(), now="2020-01-15T09:00")
    line = county.registry.call_one("dianti", "demo", ctx=county.ctx("dianti"), period="2019-12",
                                    titles=["村道路灯损坏"])
    return county, line


def test_demo_line_and_cases(seeded):
    county, line = seeded
    assert county.registry.implements("dianti", "demo")
    assert line == "dianti 观音村：点题 8 件交 3 个服务小组（成员 7 名），已服务 7 件，群众评价 15 次"
    ctx = county.ctx("dianti")
    cases = ctx.cases.find(method="dianti")
    assert [c.id for c in cases] == [f"demo-{i:06d}" for i in range(1, 9)]
    assert {c.origin_unit for c in cases} == {"demo.ts.gy"}
    assert [(c.category, c.handler, c.status) for c in cases] == [
        ("technical", "gy-n1", "resolved"), ("technical", "gy-n1", "resolved"), ("legal", "gy-n4", "resolved"),
        ("technical", "gy-n1", "resolved"), ("mediation", "gy-n6", "resolved"), ("technical", "gy-n1", "resolved"),
        ("legal", "gy-n4", "resolved"), ("technical", "gy-n1", "in_progress")]
    tz = ctx.calendar.tz
    assert cases[0].created_at == dt.datetime(2019, 12, 2, 10, 0, tzinfo=tz)
    assert cases[0].resolved_at == dt.datetime(2019, 12, 4, 17, 0, tzinfo=tz)
    assert cases[0].due_at == dt.datetime(2019, 12, 7, 23, 59, 59, tzinfo=tz)
    assert cases[-1].due_at == dt.datetime(2019, 12, 28, 23, 59, 59, tzinfo=tz)
    # the window cadre on Mondays, Wednesdays and Fridays (12-02, 12-09, 12-16… are Mondays)
    assert [c.extra.get("window_cadre") for c in cases] == [
        "ts-gy-01", None, None, "ts-gy-01", None, None, "ts-gy-01", "ts-gy-01"]
    assert {c.extra["routed_by"] for c in cases} == {"skill"}
    assert cases[0].requester.name == "村民甲" and cases[0].requester.phone == "13907450123"
    assert cases[1].requester.phone is None


def test_demo_events_tables_and_boards(seeded):
    county, _ = seeded
    ctx = county.ctx("dianti")
    ids = ctx.cases.ids(method="dianti")
    events = ctx.events.of(ids)
    assert Counter(e.type for e in events) == {"registered": 8, "triaged": 8, "assigned": 8, "measure": 8,
                                               "resolved": 7, "rated": 15, "supervised": 1}
    assert {e.actor for e in events} == {ctx.actor} == {"tester"}  # the operator (make_county sets COUNTY_ACTOR)
    sup = ctx.events.latest(ids, "supervised")
    assert list(sup) == ["demo-000008"]
    assert (sup["demo-000008"].at, sup["demo-000008"].data) == (
        dt.datetime(2019, 12, 31, 10, 0, tzinfo=ctx.calendar.tz), {"supervisor": "gy-j1"})
    assert Counter(m.state for m in ctx.milestones.of(ids)) == {"met": 6, "missed": 1, "pending": 1}
    # the plugin's own tables
    assert [(g["code"], g["leader"], g["seq"]) for g in ctx.db.query("select * from dianti_groups order by seq")] == [
        ("technical", "gy-n1", 1), ("legal", "gy-n4", 2), ("mediation", "gy-n6", 3)]
    assert ctx.db.count("dianti_members") == 7 and ctx.db.count("dianti_members", "party_member = 1") == 3
    assert [(r["weekday"], r["person"]) for r in ctx.db.query("select * from dianti_rota order by weekday")] == [
        (0, "ts-gy-01"), (2, "ts-gy-01"), (4, "ts-gy-01")]
    assert sorted((r["centre"], r["person"], r["role"]) for r in ctx.db.query("select * from dianti_centre_members")) == [
        ("coordination", "ts-gy-01", "member"), ("supervision", "gy-j1", "leader"), ("supervision", "gy-j2", "member"),
        ("supervision", "gy-z1", "member")]
    # the centres match their stated make-up: 2 board members of 3 (more than half), a cadre on the window
    from plugins.dianti.service import centre_check
    assert [(r["unit"], r["board"], r["notables"], r["ok"], r["findings"]) for r in centre_check(ctx)] == [
        ("demo.ts.gy", 2, 1, True, [])]
    assert [ctx.people[p].roles for p in ("gy-j1", "gy-j2", "gy-z1")] == [["supervisor"], ["supervisor"], ["notable"]]
    assert ctx.db.count("dianti_ratings") == 15
    assert ctx.db.query("select sum(score) s from dianti_ratings")[0]["s"] == 68
    assert ctx.people["gy-n1"].roles == ["skilled_member", "party_member"]
    # boards: the month and the year show the same 23 rows
    for period in ("2019-12", "2019"):
        county.clock.fixed = county.calendar.period_bounds(period)[1] + dt.timedelta(hours=9)
        boards = [b for b in county.boards("demo", period) if b.method == "dianti"]
        assert [b.unit for b in boards] == ["demo.ts.gy"]
        assert [len(s.rows) for s in boards[0].sections] == [8, 8, 7]
    # the quarterly evaluation's numbers for the month: 7 services done, all rated
    village = next(r for r in evaluate(ctx, "demo.ts.gy", "2019-12") if r["kind"] == "village")
    assert (village["services"], village["rated"], village["score"], village["good"]) == (7, 7, Fraction(94, 21), 6)


def test_demo_without_the_demo_village_seeds_nothing(make_county):
    county = make_county(SINAN, now="2026-03-01T09:00")
    ctx = county.ctx("dianti")
    assert county.registry.call_one("dianti", "demo", ctx=ctx, period="2026-03", titles=[]) is None
    assert ctx.cases.count() == 0 and ctx.db.count("dianti_groups") == 0


def test_demo_in_another_month_keeps_days_and_clamps_service_dates(make_county):
    """February 2026: same days; the last request (day 23) is committed to the 28th (not day 28+)."""
    county = make_county(demo_toml(), now="2026-03-15T09:00")
    county.registry.call_one("dianti", "demo", ctx=county.ctx("dianti"), period="2026-02", titles=[])
    cases = county.ctx("dianti").cases.find(method="dianti")
    assert [c.extra["service_date"] for c in cases] == [
        "2026-02-07", "2026-02-08", "2026-02-10", "2026-02-14", "2026-02-15", "2026-02-17", "2026-02-21", "2026-02-28"]
    assert county.ctx("dianti").cases.count(created="2026-02", resolved="2026-02") == 7
    assert county.clock.fixed == parse_instant("2026-03-15T09:00", county.calendar.tz)  # acting_at restored it
