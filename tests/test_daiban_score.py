"""daiban (Xupu 村民事务代办, L229–231): one agent's 100-point quantitative score for a
fixture year computed by hand, the overdue deduction from the register, the democratic
appraisal, and the year-end ranking board."""

from pathlib import Path

import plugins.daiban

import pytest

from framework.timerules import parse_instant
from plugins.daiban import service as svc

TOML = (Path(plugins.daiban.__file__).parent / "data" / "xupu.toml").read_text(encoding="utf-8")


def at(county, when):
    county.clock.fixed = parse_instant(when, county.calendar.tz)


def ctx(county):
    """The daiban context on ``county`` at its clock's now (the plugin's service takes a ctx)."""
    return county.ctx("daiban")


def card(county, when, title, scope="township", unit="xp.fsw.lh.g1"):
    at(county, when)
    return county.add_case("daiban", unit, title, fields={"scope": scope}).id


@pytest.fixture
def year2013(make_county):
    """Agent li (group 1, 莲花村) in 2013, count_target = 10:

    A township 03-04 09:00, done 03-04 15:00, satisfied        on time
    B county   04-01 10:00 (due 04-05 23:59:59), done 04-03, basically   on time
    C township 05-06 09:00 (due 05-07 09:00), done 05-07 12:00, unsatisfied   late -> register (May check)
    D township 06-03 09:00, done 06-03 17:00, not signed       on time
    E township 11-04 09:00 (due 11-05 09:00), never done       late -> register (November check)
    complaints: about E upheld (11-10); a service one not upheld (12-01)
    agent zhang (village): one card F, done on time, satisfied.
    """
    county = make_county(TOML)
    a = card(county, "2013-03-04T09:00", "代办户口簿")
    at(county, "2013-03-04T15:00"); county.resolve(a, "已办")
    at(county, "2013-03-04T18:00"); county.confirm(a, "satisfied")
    b = card(county, "2013-04-01T10:00", "申请大病医疗救助", "county")
    at(county, "2013-04-03T11:00"); county.resolve(b, "已办")
    county.confirm(b, "basically")
    c = card(county, "2013-05-06T09:00", "代领救济物资")
    at(county, "2013-05-07T12:00"); county.resolve(c, "已办")
    county.confirm(c, "unsatisfied")
    d = card(county, "2013-06-03T09:00", "收发包裹")
    at(county, "2013-06-03T17:00"); county.resolve(d, "已办")
    e = card(county, "2013-11-04T09:00", "代办低保材料")
    f = card(county, "2013-07-01T09:00", "代办农保", unit="xp.fsw.lh")
    at(county, "2013-07-01T10:00"); county.resolve(f, "已办"); county.confirm(f, "satisfied")
    at(county, "2013-06-01T09:00"); svc.check_month(ctx(county), "2013-05")
    at(county, "2013-11-10T09:00")
    k = svc.add_complaint(ctx(county), complainant="刘某某", kind="overdue", case_id=e, text="逾期未办")
    svc.investigate(ctx(county), k["id"], upheld=True, finding="属实", severity="ordinary")
    at(county, "2013-12-01T09:00"); svc.check_month(ctx(county), "2013-11")
    s = svc.add_complaint(ctx(county), complainant="王某某", kind="service", agent="li", text="态度不好")
    svc.investigate(ctx(county), s["id"], upheld=False, finding="不属实")
    # democratic appraisal sheets
    svc.add_review(ctx(county), agent="li", year=2013, reviewer_kind="party_member", attitude=90, efficiency=80, results=85)
    svc.add_review(ctx(county), agent="li", year=2013, reviewer_kind="villager_rep", attitude=70, efficiency=80, results=90)
    svc.add_review(ctx(county), agent="li", year=2012, reviewer_kind="villager_rep", attitude=10, efficiency=10, results=10)
    at(county, "2014-01-05T09:00")
    return county, dict(a=a, b=b, c=c, d=d, e=e, f=f)


def metrics_of(county, subject, period="2013", unit=None):
    return {m.metric: m for m in county.appraise(period, unit) if m.subject == subject and m.method == "daiban"}


def test_hundred_point_score_by_hand(year2013):
    county, ids = year2013
    assert [e["case_id"] for e in svc.overdue_entries(ctx(county), year="2013", agent="li")] == [ids["c"], ids["e"]]
    m = metrics_of(county, "li")
    assert all(x.subject_kind == "person" for x in m.values())
    assert m["daiban_cards"].value == 5
    # count: 30 x min(1, 5/10) = 15
    assert m["daiban_points_count"].value == 15.0
    # effectiveness: 20 x 4 completed / 5 = 16
    assert m["daiban_points_effectiveness"].value == 16.0
    # satisfaction: 20 x (satisfied A + basically B) / 3 rated = 13.33
    assert m["daiban_points_satisfaction"].value == 13.33
    # timeliness: 15 x 3 on time (A, B, D) / 5 (C late, E open past due) = 9
    assert m["daiban_points_timeliness"].value == 9.0
    assert (m["daiban_on_time_rate"].numerator, m["daiban_on_time_rate"].denominator) == (3, 5)
    # conduct: 15 - 5 x 1 upheld complaint = 10 (the one not upheld costs nothing)
    assert m["daiban_points_conduct"].value == 10.0
    assert m["daiban_complaints_upheld"].value == 1
    # two cards in the overdue register x 2 points
    assert m["daiban_overdue_registered"].value == 2 and m["daiban_deduction"].value == 4.0
    # 15 + 16 + 40/3 + 9 + 10 - 4 = 59.333...
    assert m["daiban_score"].value == 59.33
    # democratic appraisal 2013: (90+80+85)/3 = 85 and (70+80+90)/3 = 80 -> 82.5; 2012's sheet ignored
    assert m["daiban_review_score"].value == 82.5 and m["daiban_review_sheets"].value == 2
    assert m["daiban_review_score_party_member"].value == 85.0
    assert m["daiban_review_score_villager_rep"].value == 80.0
    # agent zhang: 1 card -> 30 x 0.1 = 3, + 20 + 20 + 15 + 15 = 73
    assert metrics_of(county, "zhang")["daiban_score"].value == 73.0
    # an agent with no cards: no evidence for any indicator, conduct included -> 0 on each, score 0
    yang = metrics_of(county, "yang")
    assert yang["daiban_cards"].value == 0
    assert {k: yang[f"daiban_points_{k}"].value for k in ("count", "effectiveness", "satisfaction", "timeliness",
                                                           "conduct")} == dict.fromkeys(
        ("count", "effectiveness", "satisfaction", "timeliness", "conduct"), 0.0)
    assert (yang["daiban_deduction"].value, yang["daiban_score"].value) == (0.0, 0.0)
    # coverage per unit: 2 of 4 groups have an agent
    cov = {m.subject: m for m in county.appraise("2013") if m.metric == "daiban_group_coverage"}
    assert (cov["xp"].numerator, cov["xp"].denominator, cov["xp"].value) == (2, 4, 0.5)


def test_score_for_a_month_prorates_the_count_target(year2013):
    county, _ = year2013
    m = metrics_of(county, "li", "2013-03")
    # one card in March, target 10/12: full count weight; everything on time; no deductions
    assert m["daiban_points_count"].value == 30.0
    assert m["daiban_score"].value == 30 + 20 + 20 + 15 + 15
    assert "daiban_review_score" not in m


def test_unit_filter_limits_agents(year2013):
    county, _ = year2013
    subjects = {m.subject for m in county.appraise("2013", "xp.dz") if m.method == "daiban" and m.subject_kind == "person"}
    assert subjects == {"yang"}


def test_score_command_and_ranking_board(year2013, county_cli):
    rows = county_cli("daiban", "score", "--period", "2013", "--now", "2014-01-05T09:00", "--json").data
    li = next(r for r in rows if r["agent"] == "li")
    assert (li["cards"], li["count"], li["effectiveness"], li["satisfaction"], li["timeliness"], li["conduct"],
            li["deduction"], li["score"], li["review"]) == (5, 15.0, 16.0, 13.33, 9.0, 10.0, 4.0, 59.33, 82.5)
    assert [r["agent"] for r in county_cli("daiban", "score", "--period", "2013", "--agent", "zhang", "--json").data] == ["zhang"]
    boards = county_cli("board", "--unit", "xp.fsw", "--period", "2013", "--now", "2014-01-05T09:00", "--json").data
    ranking = next(b for b in boards if b["title"] == "袱水湾乡2013年代办员代办事务统计排名")
    rows = ranking["sections"][0]["rows"]
    # by count, then quality (satisfaction), then input
    assert [(r["rank"], r["agent"], r["cards"], r["quality"]) for r in rows[:2]] == [
        (1, "李党代表", 5, "66.7%"), (2, "张村主任", 1, "100.0%")]
    assert rows[0]["node"] == "组代办员" and rows[1]["node"] == "村代办室"
    ledger = next(b for b in boards if b["title"] == "袱水湾乡村民事务代办管理台账（2013）")
    assert len(ledger["sections"][0]["rows"]) == 6
    assert [r["state"] for r in ledger["sections"][1]["rows"]] == ["逾期办结", "未办结"]
    assert "刘某某" not in county_cli("board", "--unit", "xp.fsw", "--period", "2013", "--format", "md").output


def test_review_validation(year2013, county_cli):
    r = county_cli("daiban", "review", "add", "--agent", "li", "--year", "2013", "--reviewer-kind", "party_member",
                   "--attitude", "101", "--efficiency", "80", "--results", "80", ok=2)
    assert "--attitude" in r.stderr
    r = county_cli("daiban", "review", "add", "--agent", "wang", "--year", "2013", "--reviewer-kind", "party_member",
                   "--attitude", "90", "--efficiency", "80", "--results", "80", ok=2)
    assert "not an agent" in r.stderr
    assert len(county_cli("daiban", "review", "list", "--year", "2013", "--json").data) == 2


def test_year_end_review_duty(year2013):
    county, _ = year2013
    import datetime as dt

    duties = sorted((d.unit, d.kind, d.done) for d in county.duties(dt.date(2013, 12, 31)) if d.method == "daiban")
    assert duties == [("xp.dz", "democratic_review", False), ("xp.fsw", "democratic_review", True)]


def test_review_of_a_future_year_is_refused(year2013, county_cli):
    """Regression: `county daiban review add --year 2030` was accepted in 2026."""
    sheet = ["--agent", "li", "--reviewer-kind", "villager_rep", "--attitude", "90", "--efficiency", "80",
             "--results", "80"]
    r = county_cli("daiban", "review", "add", "--year", "2030", *sheet, "--now", "2026-11-29T10:00", ok=2)
    assert r.stderr == ("error: --year: 2030 is after the current year (2026); "
                        "a year is appraised at its end or later\n")
    r = county_cli("daiban", "review", "add", "--year", "2014", *sheet, "--now", "2013-12-31T23:59", ok=2)
    assert r.stderr.startswith("error: --year: 2014 is after the current year (2013)")
    assert len(county_cli("daiban", "review", "list", "--json").data) == 3
    # the current year and past years are fine
    assert county_cli("daiban", "review", "add", "--year", "2013", *sheet, "--now", "2013-12-31T23:59",
                      "--json").data["year"] == 2013
    assert county_cli("daiban", "review", "add", "--year", "2012", *sheet, "--now", "2013-01-05T09:00",
                      "--json").data["year"] == 2012
