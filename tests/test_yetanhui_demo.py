"""干群夜谈会's ``county_demo``: the demo month at 黄石村 on the demo county (only yetanhui
enabled), with exact instants, tiers and board rows worked out from plugins/contrib/yetanhui/demo.py
(December 2019: the talk on Sunday 12-08 19:30, its notice due 12-05 23:59:59)."""

import datetime as dt

import pytest

import framework
from framework.demo.run import deployment_toml
from framework.testing import demo_county

TOML = deployment_toml(["yetanhui"])
TITLES = ["村里自来水经常停水", "反映问题请回电13812345678", "村口道路坑洼积水"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo month, seeded once for the module."""
    return demo_county(tmp_path_factory.mktemp("yetanhui-demo") / "county.db", "yetanhui", "2019-12",
                       now="2020-01-05T09:00", titles=TITLES)


def test_the_demo_month_at_huangshi(demo):
    county, line = demo
    assert line == ("yetanhui 黄石村：夜谈会 1 次（#1，参会 40 人，普通群众占 45%），"
                    "问题 3 件（2 件取自真实留言标题：当场解决 1、承诺办理 1、报乡镇党委 1），结果报告单 2 份")
    assert county.now().isoformat() == "2020-01-05T09:00:00+08:00"  # the clock is given back
    cases = county.list_cases(method="yetanhui")
    assert [(c.title, c.status, c.level, c.handler) for c in cases] == [
        ("村里自来水经常停水", "resolved", "village", None),
        ("村口道路坑洼积水", "resolved", "village", "fx-hs-01"),
        ("村道硬化规划", "resolved", "township_reply", "fx-yt-02")]
    # +7d from 12-08 21:41 → 12-15 23:59:59; the study 12-10 15:00 + 10 days → 12-20 23:59:59
    assert [c.due_at and c.due_at.isoformat() for c in cases] == [
        None, "2019-12-15T23:59:59+08:00", "2019-12-20T23:59:59+08:00"]
    assert [c.resolved_at.isoformat() for c in cases] == [
        "2019-12-08T21:40:00+08:00", "2019-12-14T16:00:00+08:00", "2019-12-18T10:00:00+08:00"]
    assert {p: county.people[p].name for p in ("fx-yt-01", "fx-yt-02", "fx-hs-yt")} == {
        "fx-yt-01": "钱某", "fx-yt-02": "孔某", "fx-hs-yt": "曹某"}
    talk = county.store.query("select notice_at, notice_due_at, attendees, ordinary, chair from yetanhui_talks")
    assert talk == [{"notice_at": "2019-12-04T09:00:00+08:00", "notice_due_at": "2019-12-05T23:59:59+08:00",
                     "attendees": 40, "ordinary": 18, "chair": "fx-yt-01"}]


def test_the_demo_boards_and_figures(demo):
    county, _ = demo
    county.clock.fixed = dt.datetime(2020, 1, 1, 9, tzinfo=county.calendar.tz)
    boards = [b for b in county.boards("demo.fx", "2019-12") if b.method == "yetanhui"]
    assert [(b.title, [len(s.rows) for s in b.sections]) for b in boards] == [
        ("黄石村干群夜谈会预告（2019-12）", [1]), ("富兴镇干群夜谈会“一单三簿”（2019-12）", [3, 1, 3, 1])]
    got = {m.metric: (m.numerator, m.denominator, m.value)
           for m in county.appraise("2019-12", "demo.fx") if m.method == "yetanhui" and m.subject == "demo.fx.hs"}
    assert got["talk_month_rate"] == (1, 1, 1.0) and got["spot_share"][:2] == (1, 3)
    assert got["promise_kept_rate"] == (1, 1, 1.0) and got["reply_on_time_rate"] == (1, 1, 1.0)
    assert got["leader_not_advanced"][2] == 0.0


def test_a_bad_period_writes_nothing(make_county):
    county = make_county(TOML, now="2020-01-05T09:00")
    with pytest.raises(framework.CountyError, match="YYYY-MM"):
        county.registry.call_one("yetanhui", "demo", ctx=county.ctx("yetanhui"), period="2019", titles=[])
    assert county.list_cases() == []
