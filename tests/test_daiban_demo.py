"""daiban's ``county_demo``: a fixed month at the demo county's 新建村 (Xupu 村民事务代办,
L225–231) — ten tracking cards, nine signed (two late), one open past due, the township's card
check and a complaint rectified — written on the plugin's service and ``ctx.actions``."""

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

import plugins.daiban
from framework import CountyError, parse_instant
from framework.demo.run import deployment_toml
from plugins.daiban import appraisal, service

XUPU = (Path(plugins.daiban.__file__).parent / "data" / "xupu.toml").read_text(encoding="utf-8")
LINE = ("daiban 新建村：为民代办服务跟踪卡 10 张（超时办结 2 张，逾期未办 1 张），{month} 跟踪卡检查超期登记 3 张，"
        "实名投诉 1 件限期整改后办结")


def run_demo(county, period, titles=()):
    return county.registry.call_one("daiban", "demo", ctx=county.ctx("daiban"), period=period, titles=list(titles))


@pytest.fixture
def county(make_county):
    return make_county(deployment_toml(["daiban"]), now="2027-01-05T12:00")


def test_demo_month_at_xinjian(county):
    assert county.registry.implements("daiban", "demo")
    assert run_demo(county, "2026-11", titles=["村道路灯损坏"]) == LINE.format(month="2026-11")
    # the clock is back where it was
    assert county.now() == parse_instant("2027-01-05T12:00", county.calendar.tz)
    county.clock.fixed = parse_instant("2026-12-01T09:00", county.calendar.tz)
    ctx = county.ctx("daiban")
    cards = ctx.cases.find(method="daiban")
    assert len(cards) == 10 and {c.origin_unit for c in cards} == {"demo.ts.xj.g1", "demo.ts.xj.g2"}
    assert ctx.cases.count(by="status", method="daiban") == {"confirmed": 9, "assigned": 1}
    assert Counter(c.handler for c in cards) == {"ts-xj-g1": 5, "ts-xj-g2": 5}
    assert Counter(c.extra["scope"] for c in cards) == {"township": 6, "county": 4}
    assert Counter(c.extra["mode"] for c in cards) == {"home_visit": 6, "fixed_point": 4}
    assert sum(c.requester.phone is not None for c in cards) == 4
    first = cards[0]
    assert (first.created_at.isoformat(), first.due_at.isoformat(), first.resolved_at.isoformat()) == (
        "2026-11-02T09:00:00+08:00", "2026-11-06T23:59:59+08:00", "2026-11-04T11:00:00+08:00")
    assert (first.extra["signed_by"], first.extra["outcome"], first.extra["input_hours"]) == ("户主子", "已办结并送达", 2.0)
    types = Counter(e.type for e in ctx.events.of([c.id for c in cards]))
    assert types == {"registered": 10, "overdue": 1, "assigned": 10, "resolved": 9, "confirmed": 9, "card_signed": 9,
                     "overdue_registered": 3, "complaint_filed": 1, "complaint_investigated": 1,
                     "complaint_rectification": 1, "complaint_closed": 1}
    # the card check on 12-01 09:00: two completed late, one still open (due 11-28 09:00)
    assert [(e["case_id"], e["agent"], e["due_at"], e["state"], e["found_at"]) for e in service.overdue_entries(ctx)] == [
        ("demo-000005", "ts-xj-g1", "2026-11-10T11:00:00+08:00", "completed_late", "2026-12-01T09:00:00+08:00"),
        ("demo-000008", "ts-xj-g2", "2026-11-18T10:00:00+08:00", "completed_late", "2026-12-01T09:00:00+08:00"),
        ("demo-000010", "ts-xj-g2", "2026-11-28T09:00:00+08:00", "open", "2026-12-01T09:00:00+08:00"),
    ]
    # the nightly sweep at 12-01 00:00 flagged only the open card, before the check
    assert [e["swept"] for e in service.overdue_entries(ctx)] == [False, False, True]
    assert [(c["month"], c["unit"], c["cards"], c["overdue"], c["new"]) for c in service.checks_done(ctx, "2026-11")] == [
        ("2026-11", "demo.ts", 10, 3, 3)]
    [k] = service.complaints(ctx)
    assert (k["case_id"], k["agent"], k["unit"], k["status"], k["severity"], k["filed_at"], k["rectify_due_at"],
            k["closed_at"], k["on_time"]) == (
        "demo-000005", "ts-xj-g1", "demo.ts", "closed", "minor", "2026-11-12T09:00:00+08:00",
        "2026-11-20T23:59:59+08:00", "2026-11-18T10:00:00+08:00", 1)
    # the 100-point score for the month: 30 x 5/(100/12) = 18 count points each
    stats = appraisal.agent_stats(ctx, "2026-11", "demo.ts.xj")
    assert {pid: (s["cards"], s["on_time"], s["late"], s["overdue"], s["upheld"], s["score"])
            for pid, s in stats.items() if s["cards"]} == {
        "ts-xj-g1": (5, 4, 1, 1, 1, 78.0),   # 18 + 20 + 20 + 12 + (15 - 5) - 2
        "ts-xj-g2": (5, 3, 2, 2, 0, 74.0),   # 18 + 16 + 20 + 9 + 15 - 4
    }
    # the township's ledger board for the month
    boards = county.boards("demo.ts", "2026-11")
    [ledger] = [b for b in boards if b.method == "daiban"]
    cards_rows, register_rows = (s.rows for s in ledger.sections)
    assert len(cards_rows) == 10 and len(register_rows) == 3
    assert Counter(r["on_time"] for r in cards_rows) == {"是": 7, "否（逾期）": 2, "否（逾期未办结）": 1}
    assert Counter(r["signed"] for r in cards_rows) == {"已签字": 9, "未签字": 1}
    assert [r["requester"] for r in cards_rows] == ["户某"] * 10   # masked by the kernel


@pytest.mark.parametrize("period, check_day", [("2026-12", "2027-01-01"), ("2027-02", "2027-03-01")])
def test_demo_month_follows_the_period(county, period, check_day):
    county.clock.fixed = parse_instant("2027-03-05T12:00", county.calendar.tz)
    assert run_demo(county, period) == LINE.format(month=period)
    ctx = county.ctx("daiban")
    assert ctx.cases.count(method="daiban", created=period) == 10
    assert {e["found_at"] for e in service.overdue_entries(ctx, month=period)} == {f"{check_day}T09:00:00+08:00"}


def test_demo_needs_the_demo_county_and_a_month(make_county):
    county = make_county(XUPU, now="2013-04-01T09:00")
    with pytest.raises(CountyError, match=r"^daiban 演示：部署中没有单位 demo\.ts（内核的演示县）$"):
        run_demo(county, "2013-03")
    assert county.ctx("daiban").cases.count() == 0


def test_demo_period_is_a_month(county):
    with pytest.raises(CountyError, match=r"^daiban 演示：期间 '2026' 不是月份（应为 YYYY-MM）$"):
        run_demo(county, "2026")
    assert county.ctx("daiban").cases.count() == 0


def test_demo_time_travel_leaves_now_alone(county):
    before = county.ctx("daiban").clock()
    run_demo(county, "2026-11")
    assert county.ctx("daiban").clock() == before == parse_instant("2027-01-05T12:00", county.calendar.tz)
    assert dt.datetime.fromisoformat(service.checks_done(county.ctx("daiban"), "2026-11")[0]["checked_at"]) < before
