"""乡会村开's rules in isolation: 轻重缓急 priorities, meeting types by situation (L250),
invitees by type (L248), the schedule preference (L250) and the notice deadlines (L253)."""

import datetime as dt

import pytest

from framework.errors import CountyError, Refusal
from framework.timerules import Calendar
from plugins.xiangkai import rules, service

SETTINGS = {"slack_months": [1, 2, 11, 12], "evening_from": "18:00", "evening_until": "23:59"}
CAL = Calendar("Asia/Shanghai")
TZ = CAL.tz

TOML = """
[deployment]
name = "景宁县"
code = "jn"
methods = ["xiangkai"]
[[units]]
code = "jn"
name = "景宁县"
level = "county"
[[units]]
code = "jn.hx"
name = "鹤溪镇"
level = "township"
parent = "jn"
[[units]]
code = "jn.hx.gt"
name = "岗头村"
level = "village"
parent = "jn.hx"
[[people]]
id = "hx-02"
name = "雷干部"
unit = "jn.hx"
"""


@pytest.mark.parametrize("urgency, importance, priority", [
    ("urgent", "major", "high"), ("急", "重", "high"), ("urgent", "minor", "medium"),
    ("normal", "major", "medium"), ("缓", "轻", "low"), ("normal", "normal", "low"),
])
def test_priority_by_urgency_and_importance(urgency, importance, priority):
    assert rules.priority_of(rules.normalise_urgency(urgency), rules.normalise_importance(importance)) == priority


def test_situation_gives_type():
    assert {s: rules.resolve_type(None, s) for s in rules.SITUATIONS} == {
        "major_decision": "consultation", "major_policy": "situation_analysis",
        "industry_difficulty": "development_planning", "project_resistance": "project_promotion",
        "dispute": "relationship_coordination"}
    assert rules.resolve_type("theme_briefing", None) == "theme_briefing"
    assert rules.resolve_type("project_promotion", "project_resistance") == "project_promotion"
    with pytest.raises(CountyError, match="disagrees"):
        rules.resolve_type("theme_briefing", "dispute")
    with pytest.raises(CountyError, match="give --type TYPE or --situation"):
        rules.resolve_type(None, None)


def test_invitees_follow_l248():
    assert [rules.ROLES[r] for r in rules.invitees_for("theme_briefing")] == [
        "乡镇班子", "乡镇干部", "村“两委”成员", "党员", "村民代表", "在家群众"]
    assert [rules.ROLES[r] for r in rules.invitees_for("consultation")] == [
        "乡镇班子", "乡镇干部", "人大代表", "党代表", "村民代表", "村民小组长"]
    assert [rules.ROLES[r] for r in rules.invitees_for("project_promotion", ["contractor", "expert"])] == [
        "乡镇班子", "乡镇干部", "村“两委”成员", "利益相关人", "施工方", "村中有威望的群众", "专家"]
    assert rules.invitees_for("relationship_coordination") == ["township_leadership", "township_cadre"]
    with pytest.raises(CountyError, match="--invite mayor"):
        rules.invitees_for("theme_briefing", ["mayor"])


@pytest.mark.parametrize("at, rainy, fits, why", [
    (dt.datetime(2026, 6, 10, 10, 0, tzinfo=TZ), False, False, None),
    (dt.datetime(2026, 6, 10, 10, 0, tzinfo=TZ), True, True, "雨天"),
    (dt.datetime(2026, 6, 10, 18, 0, tzinfo=TZ), False, True, "晚上"),
    (dt.datetime(2026, 6, 10, 17, 59, tzinfo=TZ), False, False, None),
    (dt.datetime(2026, 11, 10, 9, 0, tzinfo=TZ), False, True, "农闲"),
    (dt.datetime(2026, 2, 3, 14, 0, tzinfo=TZ), False, True, "农闲"),
])
def test_schedule_fits_slack_season_rainy_days_evenings(at, rainy, fits, why):
    ok, reason = rules.schedule_fits(SETTINGS, at, rainy)
    assert ok is fits
    if fits:
        assert reason == why
    else:
        assert "不在农闲" in reason


@pytest.mark.parametrize("spec, start, due", [
    ("2026-11-20", "2026-11-06T09:00", "2026-11-20T23:59:59+08:00"),
    ("2026-11-20T17:30", "2026-11-06T09:00", "2026-11-20T17:30:00+08:00"),
    ("2026-11-20T09:30:00Z", "2026-11-06T09:00", "2026-11-20T17:30:00+08:00"),
    ("+10d", "2026-11-06T09:00", "2026-11-16T23:59:59+08:00"),
    ("+5wd", "2026-11-06T09:00", "2026-11-13T23:59:59+08:00"),
    # National Day 2026: 1–7 October off, Saturday 10 October a make-up working day (调休)
    ("+3wd", "2026-09-30T09:00", "2026-10-10T23:59:59+08:00"),
])
def test_notice_due_instants(spec, start, due):
    got = rules.due_from_spec(CAL, spec, dt.datetime.fromisoformat(start).replace(tzinfo=TZ))
    assert got.isoformat() == due


def test_due_spec_needs_exactly_one_form():
    assert rules.due_spec("2026-11-20", None, None) == "2026-11-20"
    assert rules.due_spec(None, 7, None) == "+7d" and rules.due_spec(None, None, 2) == "+2wd"
    for args in ((None, None, None), ("2026-11-20", 3, None), (None, 0, None)):
        with pytest.raises(CountyError):
            rules.due_spec(*args)
    with pytest.raises(CountyError, match="not a date"):
        rules.due_from_spec(CAL, "2026-13-40", dt.datetime(2026, 1, 1, tzinfo=TZ))


def _settled_topic(county):
    county.clock.fixed = dt.datetime(2026, 11, 2, 10, tzinfo=TZ)
    case = county.add_case("xiangkai", "jn.hx.gt", "村道硬化", channel="visit", category="livelihood")
    service.add_meeting(county.ctx("xiangkai"), village="jn.hx.gt", at="2026-11-05T19:30", meeting_type="project_promotion",
                        topics=[case.id])
    county.clock.fixed = dt.datetime(2026, 11, 5, 21, tzinfo=TZ)
    service.hold_meeting(county.ctx("xiangkai"), "M-0001", resolutions={case.id: "年内完工"})
    return case.id


def test_notice_due_must_be_after_now_and_nothing_half_written(make_county):
    county = make_county(TOML)
    cid = _settled_topic(county)
    county.clock.fixed = dt.datetime(2026, 11, 6, 9, tzinfo=TZ)
    with pytest.raises(CountyError, match="not after now"):
        service.issue_notice(county.ctx("xiangkai"), cid, responsible="hx-02", standard="验收合格", due="2026-11-05")
    with pytest.raises(CountyError, match="unknown person"):
        service.issue_notice(county.ctx("xiangkai"), cid, responsible="nobody", standard="验收合格", due="2026-11-30")
    assert county.store.query("select count(*) n from xiangkai_notices")[0]["n"] == 0
    assert county.get_case(cid).level == "topic"
    n = service.issue_notice(county.ctx("xiangkai"), cid, responsible="hx-02", standard="验收合格", due="2026-11-30T12:00")
    assert n["due_at"] == "2026-11-30T12:00:00+08:00"
    assert county.get_case(cid).due_at.isoformat() == "2026-11-30T12:00:00+08:00"


def test_schedule_check_refuse_setting(make_county):
    county = make_county(TOML + '\n[plugins.xiangkai]\nschedule_check = "refuse"\nslack_months = [12]\n',
                         now="2026-11-01T09:00")
    with pytest.raises(Refusal, match="L250"):
        service.add_meeting(county.ctx("xiangkai"), village="jn.hx.gt", at="2026-11-10T10:00", meeting_type="theme_briefing")
    # November is no longer slack season here, but an evening meeting is fine
    m = service.add_meeting(county.ctx("xiangkai"), village="jn.hx.gt", at="2026-11-10T19:00", meeting_type="theme_briefing")
    assert m["warnings"] == [] and m["place"] == "农户庭院"
