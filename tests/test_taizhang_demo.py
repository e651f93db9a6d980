"""taizhang's ``county_demo``: its demo cases are the real messages the kernel imports itself, so
it only reports on the demo month — counted here on a demo-like month taken in, swept and
settled as the demo's replay does (arrival, reply = resolution, nightly sweep)."""

from pathlib import Path

import pytest

import plugins.taizhang
from framework import parse_instant

TOML = (Path(plugins.taizhang.__file__).parent / "data" / "zhongjiang.toml").read_text(encoding="utf-8")


@pytest.fixture
def county(make_county):
    """November 2026 at four villages: a settled at 柳林沟村 in 2 days; b not answered in the
    village's 5 days, swept up to 富兴镇 and settled there; c settled on the spot at 石墙村; d at
    金桥社区 still open (village limit 11-25); e at 柳林沟村 still open (limit 12-03); f taken in in
    October and settled in November (not the month's)."""
    county = make_county(TOML, now="2026-10-30T10:00")

    def at(when):
        county.clock.fixed = parse_instant(when, county.calendar.tz)

    f = county.add_case("taizhang", "zj.fx.llg", "十月事项", category="livelihood")
    at("2026-11-02T10:00")
    a = county.add_case("taizhang", "zj.fx.llg", "村道修补", category="livelihood")
    at("2026-11-03T09:00")
    b = county.add_case("taizhang", "zj.fx.llg", "山坪塘蓄水", category="livelihood")
    at("2026-11-04T10:00")
    county.resolve(a.id, "已修补")
    county.resolve(f.id, "已办结")
    at("2026-11-09T00:00")
    county.sweep()  # b's village limit (11-08 23:59:59) passed: up to the township
    assert county.get_case(b.id).level == "township"
    at("2026-11-10T10:00")
    county.add_case("taizhang", "zj.nh.sq", "邻里纠纷当场调解", category="stability", fields={"on_the_spot": "yes"})
    at("2026-11-12T10:00")
    county.resolve(b.id, "镇协调资金")
    at("2026-11-20T10:00")
    county.add_case("taizhang", "zj.fx.jq", "申请低保", category="needy")
    at("2026-11-28T10:00")
    county.add_case("taizhang", "zj.fx.llg", "危房改造", category="livelihood")
    return county


def demo_line(county, now, period="2026-11", titles=()):
    ctx = county.ctx("taizhang", now=parse_instant(now, county.calendar.tz))
    return county.registry.call_one("taizhang", "demo", ctx=ctx, period=period, titles=list(titles))


def test_demo_line_counts_the_month(county):
    assert county.registry.implements("taizhang", "demo")
    assert demo_line(county, "2026-11-30T12:00") == (
        "taizhang 2026-11：台账事项 5 件（3 个村（社区）受理），办结 3 件（村(社区) 2、乡镇 1），逾期未办结 1 件；"
        "演示播种群众签字确认 2 件（当月每三件答复取一件，虚构）")
    # resolved in November, by resolution then intake: f and a (11-04 10:00), the on-the-spot case
    # (11-10), b (11-12); every third is confirmed two hours after: f (11-04 12:00) and b (11-12 12:00)
    confirmed = county.ctx("taizhang").cases.find(status="confirmed")
    assert [(c.title, c.satisfaction) for c in confirmed] == [("十月事项", "satisfied"), ("山坪塘蓄水", "satisfied")]
    assert [e.at.isoformat() for e in county.ctx("taizhang").events.find("confirmed")] == [
        "2026-11-04T12:00:00+08:00", "2026-11-12T12:00:00+08:00"]
    # ten days later e's limit (12-03) has passed too; titles are not used
    assert demo_line(county, "2026-12-10T12:00", titles=["村道路灯损坏"]) == (
        "taizhang 2026-11：台账事项 5 件（3 个村（社区）受理），办结 3 件（村(社区) 2、乡镇 1），逾期未办结 2 件；"
        "演示播种群众签字确认 2 件（当月每三件答复取一件，虚构）")  # a second call confirms nothing more
    assert len(county.ctx("taizhang").cases.find(status="confirmed")) == 2
    assert demo_line(county, "2026-11-30T12:00", period="2026-10") == (
        "taizhang 2026-10：台账事项 1 件（1 个村（社区）受理），办结 1 件（村(社区) 1），逾期未办结 0 件；"
        "演示播种群众签字确认 0 件（当月每三件答复取一件，虚构）")


def test_demo_line_on_an_empty_month_and_writes_nothing(county):
    before = county.ctx("taizhang").cases.count()
    events = len(county.ctx("taizhang").events.find(["created", "resolved", "escalated"]))
    assert demo_line(county, "2026-12-31T12:00", period="2026-12") == (
        "taizhang 2026-12：台账事项 0 件（0 个村（社区）受理），办结 0 件，逾期未办结 0 件；"
        "演示播种群众签字确认 0 件（当月每三件答复取一件，虚构）")
    assert county.ctx("taizhang").cases.count() == before == 6
    assert len(county.ctx("taizhang").events.find(["created", "resolved", "escalated"])) == events
