"""乡会村开's ``county_demo``: the demo month at 新建村 on the demo county (its units and people,
only xiangkai enabled), with exact counts, times and board rows; and the same month run through
the CLI, as ``county demo`` used to seed it, leaves the same cases, events and boards."""

import datetime as dt
from pathlib import Path

import pytest

import framework
from framework.demo.run import deployment_toml
from framework import parse_instant
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.store import Store

DEMO_TOML = (Path(framework.__file__).parent / "demo" / "data" / "county.toml").read_text(encoding="utf-8")
TOML = deployment_toml(["xiangkai"])  # the demo county with xiangkai only (its [where] entry only)
# the second holds a phone number: never a topic title; the third is padded with a made-up one
TITLES = ["村里自来水经常停水", "反映问题请回电13812345678", "村口道路坑洼积水"]
TOPICS = ["村里自来水经常停水", "村口道路坑洼积水", "村道路灯损坏夜间出行不便"]


def test_the_demo_toml_is_the_demo_county():
    assert TOML != DEMO_TOML and 'code = "demo.ts.xj"' in TOML


def _demo(make_county, titles, period="2019-12"):
    county = make_county(TOML, now="2020-01-05T09:00")
    line = county.registry.call_one("xiangkai", "demo", ctx=county.ctx("xiangkai"), period=period, titles=titles)
    return county, line


def _at(county, text):
    return parse_instant(text, county.calendar.tz)


def _board_rows(county, period):
    """Rows per board of the county's xiangkai boards, as the demo writes them (clock: the
    period's end + 9 hours)."""
    county.clock.fixed = county.calendar.period_bounds(period)[1] + dt.timedelta(hours=9)
    return [[sec.rows for sec in b.sections] for b in county.boards("demo", period) if b.method == "xiangkai"]


def test_county_demo_seeds_the_month_at_xinjian(make_county):
    county, line = _demo(make_county, TITLES)
    assert line == ("xiangkai 新建村：议题 3 个（2 个取自真实留言标题），召开会议 1 次（M-0001），"
                    "督办通知书 2 份，回访 1 次")
    assert county.now() == _at(county, "2020-01-05T09:00")  # the clock is given back
    cases = county.list_cases(method="xiangkai")
    assert [(c.id, c.title, c.unit, c.priority) for c in cases] == [
        ("demo-000001", TOPICS[0], "demo.ts.xj", "high"), ("demo-000002", TOPICS[1], "demo.ts.xj", "medium"),
        ("demo-000003", TOPICS[2], "demo.ts.xj", "medium")]
    assert [c.created_at.isoformat() for c in cases] == [
        "2019-12-02T09:00:00+08:00", "2019-12-02T10:00:00+08:00", "2019-12-02T11:00:00+08:00"]
    assert [(c.status, c.level, c.handler, c.satisfaction) for c in cases] == [
        ("confirmed", "supervised", "ts-xj-01", "satisfied"), ("in_progress", "supervised", "ts-01", None),
        ("registered", "topic", None, None)]
    assert [c.due_at and c.due_at.isoformat() for c in cases] == [
        "2019-12-18T23:59:59+08:00", "2019-12-20T23:59:59+08:00", None]
    assert cases[0].resolved_at.isoformat() == "2019-12-16T16:00:00+08:00"
    t1 = county.get_case("demo-000001")
    assert [(e.type, e.at.isoformat()) for e in t1.events] == [
        ("registered", "2019-12-02T09:00:00+08:00"), ("triaged", "2019-12-02T09:00:00+08:00"),
        ("scheduled", "2019-12-03T09:00:00+08:00"), ("settled_at_meeting", "2019-12-10T21:00:00+08:00"),
        ("escalated", "2019-12-11T09:00:00+08:00"), ("assigned", "2019-12-11T09:00:00+08:00"),
        ("supervision_notice", "2019-12-11T09:00:00+08:00"), ("resolved", "2019-12-16T16:00:00+08:00"),
        ("callback", "2019-12-18T10:00:00+08:00"), ("confirmed", "2019-12-18T10:00:00+08:00")]
    assert [e.type for e in county.get_case("demo-000003").events][-1] == "deferred_at_meeting"

    q = county.store.query
    assert q("select id, village, type, status, scheduled_at, held_at, attended, warnings from xiangkai_meetings") == [
        {"id": "M-0001", "village": "demo.ts.xj", "type": "theme_briefing", "status": "held",
         "scheduled_at": "2019-12-10T19:00:00+08:00", "held_at": "2019-12-10T21:00:00+08:00", "attended": 46,
         "warnings": "[]"}]
    assert q("select case_id, outcome from xiangkai_meeting_topics order by position") == [
        {"case_id": "demo-000001", "outcome": "settled"}, {"case_id": "demo-000002", "outcome": "settled"},
        {"case_id": "demo-000003", "outcome": "deferred"}]
    assert q("select number, case_id, responsible, due_spec, issued_at from xiangkai_notices order by seq") == [
        {"number": "示范县（演示）乡会村开督办〔2019〕1号", "case_id": "demo-000001", "responsible": "ts-xj-01",
         "due_spec": "+7d", "issued_at": "2019-12-11T09:00:00+08:00"},
        {"number": "示范县（演示）乡会村开督办〔2019〕2号", "case_id": "demo-000002", "responsible": "ts-01",
         "due_spec": "2019-12-20", "issued_at": "2019-12-11T09:30:00+08:00"}]
    assert q("select case_id, at, visitor, satisfaction from xiangkai_callbacks") == [
        {"case_id": "demo-000001", "at": "2019-12-18T10:00:00+08:00", "visitor": "ts-01", "satisfaction": "satisfied"}]
    assert q("select * from xiangkai_plan") == [{"year": 2019, "month": 12, "theme": "冬季民生实事"}]
    assert q("select village from xiangkai_plan_villages") == [{"village": "demo.ts.xj"}]

    # the boards the demo writes: 3 topics announced, 3 outcomes, 2 notices (month and year alike)
    for period in ("2019-12", "2019"):
        boards = _board_rows(county, period)
        assert [[len(rows) for rows in b] for b in boards] == [[3], [3, 2]], period
    notices = _board_rows(county, "2019-12")[1][1]
    assert [(r["case_id"], r["responsible"], r["state"], r["callbacks"]) for r in notices] == [
        ("demo-000001", "李某", "按期办结", 1), ("demo-000002", "吴某", "逾期未办结", 0)]

    county.clock.fixed = _at(county, "2020-01-01T09:00")
    got = {m.metric: (m.numerator, m.denominator, m.value)
           for m in county.appraise("2019-12", "demo.ts") if m.method == "xiangkai" and m.subject == "demo.ts.xj"}
    assert got["topics_collected"][2] == 3 and got["meetings_held"][2] == 1
    assert got["topics_settled"][2] == 2 and got["notices_issued"][2] == 2
    assert got["notice_on_time_rate"] == (1, 2, 0.5) and got["village_coverage"] == (1, 1, 1.0)


def test_county_demo_without_real_titles_uses_made_up_ones(make_county):
    county, line = _demo(make_county, [])
    assert line == "xiangkai 新建村：议题 3 个（0 个取自真实留言标题），召开会议 1 次（M-0001），督办通知书 2 份，回访 1 次"
    assert [c.title for c in county.list_cases(method="xiangkai")] == [
        "村道路灯损坏夜间出行不便", "村小学校车接送安排", "集中居住点污水处理"]


def test_county_demo_refuses_a_bad_period_and_writes_nothing(make_county):
    county = make_county(TOML, now="2020-01-05T09:00")
    with pytest.raises(framework.CountyError, match="MONTH 2019"):
        county.registry.call_one("xiangkai", "demo", ctx=county.ctx("xiangkai"), period="2019", titles=[])
    assert county.list_cases() == []


def _cli_month(run, db, titles):
    """The xiangkai part of the old CLI-driven demo seeding (framework/demo/run.py:seed_methods
    before county_demo), on ``db``, for 2019-12."""
    def at(day, hm="09:00"):
        return f"2019-12-{day:02d}T{hm}:00+08:00"

    def cli(*args, now):
        return run(*args, "--db", db, "--now", now, "--json").data

    xv = "demo.ts.xj"
    cli("xiangkai", "month", "2019-12", "--theme", "冬季民生实事", "--village", xv, now=at(1, "08:00"))
    tids = [cli("case", "add", "--method", "xiangkai", "--unit", xv, "--title", title, "--channel", "online",
                "--category", "livelihood", "--set", "platform=forum",
                "--set", "urgency=urgent" if k == 0 else "urgency=normal", "--set", "importance=major",
                "--set", "collector=ts-xj-01", now=at(2, f"{9 + k:02d}:00"))["id"]
            for k, title in enumerate(titles)]
    mid = cli("xiangkai", "meeting", "add", "--village", xv, "--type", "theme_briefing", "--at", at(10, "19:00"),
              "--title", "冬季民生实事议事会", *[a for t in tids for a in ("--topic", t)], now=at(3, "09:00"))["id"]
    cli("xiangkai", "meeting", "hold", mid, "--resolution", f"{tids[0]}=由村委会牵头限期办理",
        "--resolution", f"{tids[1]}=报乡镇协调相关部门办理", "--defer", tids[2], "--attended", 46, now=at(10, "21:00"))
    cli("xiangkai", "notice", "issue", tids[0], "--responsible", "ts-xj-01", "--standard", "办结并答复留言群众",
        "--within-days", 7, now=at(11, "09:00"))
    cli("xiangkai", "notice", "issue", tids[1], "--responsible", "ts-01", "--standard", "协调方案落实",
        "--due", "2019-12-20", now=at(11, "09:30"))
    cli("case", "resolve", tids[0], "--note", "已按议定事项办结", now=at(16, "16:00"))
    cli("xiangkai", "callback", tids[0], "--note", "回访群众，反映问题已解决", "--visitor", "ts-01",
        "--satisfaction", "satisfied", now=at(18, "10:00"))


def _snapshot(county):
    cases = []
    for c in county.list_cases(method="xiangkai"):
        c = county.get_case(c.id)
        cases.append((c.id, c.title, c.unit, c.level, c.status, c.handler, c.priority, c.category, c.channel,
                      c.created_at, c.due_at, c.resolved_at, c.satisfaction, c.extra,
                      [(e.at, e.type, e.level, e.note, e.data) for e in c.events]))
    tables = {t: county.store.query(f"select * from {t}") for t in (
        "xiangkai_meetings", "xiangkai_meeting_topics", "xiangkai_notices", "xiangkai_callbacks", "xiangkai_plan",
        "xiangkai_plan_villages", "xiangkai_ratings")}
    return cases, tables, _board_rows(county, "2019-12"), _board_rows(county, "2019")


def test_county_demo_matches_the_cli_seeding(make_county, county_cli, tmp_path):
    county, _ = _demo(make_county, TITLES)
    cfg = tmp_path / "cli.toml"
    cfg.write_text(TOML, encoding="utf-8")
    cli_db = tmp_path / "cli.db"
    county_cli("init", "--config", cfg, "--db", cli_db)
    _cli_month(county_cli, cli_db, TOPICS)
    by_cli = County(Store(str(cli_db)), Registry())
    ours, theirs = _snapshot(county), _snapshot(by_cli)
    assert ours[0] == theirs[0]  # cases and their events
    assert ours[1] == theirs[1]  # the plugin's rows
    assert ours[2:] == theirs[2:]  # the boards of the month and the year
    assert sum(len(rows) for b in ours[2] for rows in b) == 8
