"""wuxin's records and care schedules (L418, L432, L437) through the CLI, every date and figure
worked out by hand.

The sample deployment (data/yangwen.toml) is initialised on Sun 2024-09-01 09:00: its four files
open and their pairs form then. A pair owes every **whole** period it exists: greetings (每天问候一次)
from 09-01, the first chat week (每周两小时) Mon 09-02..Sun 09-08, the first month September, the first
half-year 2025H1 (2024H2 began before the pair); a birthday once formed on or before it.
"""

import datetime as dt
import json
from pathlib import Path

import pytest

from framework.testing import CountyRunner
from plugins.contrib.wuxin import rules

TOML = Path(__file__).resolve().parents[1] / "plugins/contrib/wuxin/data/yangwen.toml"
COM = "ly.yw.yw"
MONTH_ENDS = ["2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31", "2025-01-31", "2025-02-28", "2025-03-31",
              "2025-04-30", "2025-05-31", "2025-06-30"]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("wuxin-care") / "county.db").init(TOML, now="2024-09-01T09:00")
    steps = [(1, "contact", "2024-09-10T19:00"), (1, "letter", "2024-09-12T19:00"), (1, "teacher", "2024-09-20T17:00"),
             (1, "birthday", "2024-10-12T18:00"), (3, "greeting", "2024-09-02T08:30"),
             (3, "greeting", "2024-09-03T08:30"), (3, "activity", "2024-09-18T15:00")]
    for pair, kind, now in steps:
        run("wuxin", "care", pair, "--kind", kind, "--now", now)
    for now, minutes in (("2024-09-04T15:00", 60), ("2024-09-07T15:00", 60), ("2024-09-11T15:00", 90)):
        run("wuxin", "care", 3, "--kind", "chat", "--minutes", minutes, "--now", now)
    run("wuxin", "work", "inspection", "--unit", COM, "--now", "2024-09-06T16:00")
    return run


def test_the_casebook_numbers():
    """六个一, 六必须, 六知道, 两长四员, 四级管理 and the figures of L418–L445."""
    assert len(rules.SIX_ONES) == 6 and len(rules.SIX_MUSTS_STANDING) + len(rules.SIX_MUSTS) == 6
    assert len(rules.SIX_KNOWS) == 6 and len(rules.BUILDING_ROLES) == 6 and len(rules.FOUR_LEVELS) == 4
    assert [p for _, p in rules.SIX_MUSTS.values()] == ["day", "week", "month"]
    assert rules.SIX_ONES["contact"][1] == "month" and rules.SIX_ONES["festival"][1] == "half"
    assert rules.CHAT_MINUTES_PER_WEEK == 120 and rules.CARING_MOTHER_FOUNDERS == 10
    assert (rules.LEFT_BEHIND_PEOPLE, rules.LEFT_BEHIND_SHARE) == (10_000, (2, 3))
    assert (rules.CENTRE_M2, rules.CENTRE_SINCE, rules.SERVICE_CIRCLE_MINUTES, rules.ROOMS) == (500, 2009, 10, (18, 1, 1))
    assert (rules.GREENING_PEOPLE, rules.TECH_SECURITY_COVERAGE, rules.DUTY_HOURS) == (200, 0.99, 24)
    assert [p for _, p in rules.ENVIRONMENT.values()] == ["week", "month", "year"]
    assert {k: t for k, (_, t) in rules.SCOPES.items()} == {
        "nearby": "grid", "small": "community", "big": "subdistrict", "dispute": "subdistrict"}


def test_periods_and_birthdays():
    d = dt.date(2024, 10, 12)  # a Saturday
    assert rules.period_of("week", d) == (dt.date(2024, 10, 7), dt.date(2024, 10, 13))
    assert rules.period_of("week", d, week_ends_on=5) == (dt.date(2024, 10, 12), dt.date(2024, 10, 18))
    assert rules.period_of("month", dt.date(2024, 2, 3)) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert rules.period_of("quarter", d) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    assert rules.period_of("half", dt.date(2025, 3, 1)) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert rules.birthday_in(dt.date(2016, 2, 29), 2025) == dt.date(2025, 2, 28)
    assert rules.birthday_in(dt.date(2016, 2, 29), 2028) == dt.date(2028, 2, 29)
    assert rules.age_on(dt.date(2015, 10, 15), dt.date(2024, 10, 14)) == 8


def test_a_caring_mothers_schedule(county):
    rows = county("wuxin", "pair", "schedule", 1, "--from", "2024-09-01", "--to", "2025-06-30",
                  "--now", "2025-07-01T09:00", "--json").data
    monthly = [(r["due_on"], r["kind"]) for r in rows if r["kind"] in ("contact", "letter", "teacher", "guardian")]
    assert monthly == [(d, k) for d in MONTH_ENDS for k in ("contact", "letter", "teacher", "guardian")]
    assert [(r["due_on"], r["kind"], r["done"]) for r in rows if r["kind"] in ("birthday", "festival")] == [
        ("2024-10-22", "birthday", True), ("2025-06-30", "festival", False)]  # birthday 10-15 + 7 days
    sept = {r["kind"]: r["done"] for r in rows if r["due_on"] == "2024-09-30"}
    assert sept == {"contact": True, "letter": True, "teacher": True, "guardian": False}
    # 乙某某 was born on 29 February: in 2025 the birthday falls on the 28th, its window closes 03-07
    two = county("wuxin", "pair", "schedule", 2, "--from", "2025-02-01", "--to", "2025-03-07", "--now", "2025-03-08",
                 "--json").data
    assert [(r["due_on"], r["kind"]) for r in two if r["due_on"] < "2025-03-31"] == [
        ("2025-02-28", "contact"), ("2025-02-28", "letter"), ("2025-02-28", "teacher"), ("2025-02-28", "guardian"),
        ("2025-03-07", "birthday")]
    assert [r["title"] for r in two if r["kind"] == "birthday"] == ["给孩子过一次生日（生日2025-02-28前后7天内；高某，档案2）"]


def test_the_duties_of_a_week_end_and_a_month_end(county):
    week = county("duties", "--date", "2024-09-08", "--unit", COM, "--json").data
    assert sorted((d["kind"], d["subject"], d["done"]) for d in week if d["method"] == "wuxin") == [
        ("chat", "pair 3", True), ("chat", "pair 4", False), ("greeting", "pair 3", False),
        ("greeting", "pair 4", False), ("inspection", "2024-09-02..2024-09-08", True),
        ("watch", "2024-09-08..2024-09-08", False)]
    month = county("duties", "--date", "2024-09-30", "--unit", COM, "--json").data
    assert sorted((d["kind"], d["subject"], d["done"]) for d in month if d["method"] == "wuxin") == [
        ("activity", "pair 3", True), ("activity", "pair 4", False),
        ("contact", "pair 1", True), ("contact", "pair 2", False), ("greeting", "pair 3", False),
        ("greeting", "pair 4", False), ("guardian", "pair 1", False), ("guardian", "pair 2", False),
        ("letter", "pair 1", True), ("letter", "pair 2", False), ("ranking", "2024-09-01..2024-09-30", False),
        ("teacher", "pair 1", True), ("teacher", "pair 2", False), ("watch", "2024-09-30..2024-09-30", False)]
    # Mid-Autumn 2024: Sun 09-15..Tue 09-17 off (Sat 09-14 a make-up day): a leader on duty (L445)
    holiday = county("duties", "--date", "2024-09-16", "--unit", COM, "--json").data
    assert sorted(d["kind"] for d in holiday if d["method"] == "wuxin" and d["unit"] == COM) == ["leader_watch", "watch"]
    county("wuxin", "work", "leader_watch", "--unit", COM, "--now", "2024-09-16T09:00")
    holiday = county("duties", "--date", "2024-09-16", "--unit", COM, "--json").data
    assert [d["done"] for d in holiday if d["kind"] == "leader_watch"] == [True]
    assert [d["kind"] for d in county("duties", "--date", "2024-09-14", "--unit", COM, "--json").data
            if d["unit"] == COM] == ["watch"]
    year = county("duties", "--date", "2024-12-31", "--unit", COM, "--json").data
    assert {d["kind"] for d in year if d["method"] == "wuxin" and d["unit"] == COM} == {"assessment", "ranking", "watch"}


def test_septembers_figures(county):
    metrics = county("appraise", "--unit", COM, "--period", "2024-09", "--now", "2024-10-01T09:00", "--json").data
    got = {m["metric"]: (m["numerator"], m["denominator"]) for m in metrics
           if m["method"] == "wuxin" and m["subject"] == COM and m["metric"] not in ("cases", "resolved")}
    assert {k: v for k, v in got.items() if not k.endswith(("on_time_rate", "resolution_rate", "satisfaction_rate"))
            } == {
        "slogan_kept_rate": (0, 0), "feedback_rate": (0, 0), "building_roles_complete_rate": (1, 3), "party_group_coverage": (2, 3),
        "grid_branch_coverage": (1, 2), "pair_rate_child": (2, 2), "pair_rate_elder": (2, 2),
        "file_complete_rate": (2, 4), "file_keeper_rate": (4, 4), "six_knows_rate": (1, 2), "six_musts_standing_rate": (1, 2),
        "care_contact_rate": (1, 2), "care_letter_rate": (1, 2), "care_teacher_rate": (1, 2),
        "care_guardian_rate": (0, 2), "care_birthday_rate": (0, 0), "care_festival_rate": (0, 0),
        "care_greeting_rate": (2, 60), "care_chat_rate": (1, 8), "care_activity_rate": (1, 2),
        "environment_inspection_rate": (1, 5), "environment_ranking_rate": (0, 1),
        "environment_assessment_rate": (0, 0), "security_watch_rate": (0, 30), "security_leader_watch_rate": (1, 3)}


def test_the_building_check(county):
    rows = county("wuxin", "buildings", "--json").data
    assert [(r["unit"], r["missing"]) for r in rows] == [
        ("ly.yw.yw.g1.b1", []), ("ly.yw.yw.g1.b2", ["proxy_agent", "property_officer"]),
        ("ly.yw.yw.g2.b3", ["party_group_leader", "sanitation_officer", "security_officer", "proxy_agent",
                            "property_officer"])]


def test_the_board_posts_counts_not_names(county):
    out = county("board", "--unit", COM, "--period", "2024-09", "--format", "json", "--now", "2024-10-01").stdout
    (board,) = [b for b in json.loads(out) if b["method"] == "wuxin"]
    assert board["title"] == "杨文社区“五心”工程（杨文社区）服务公开屏（2024-09）"
    procedure, cases, care, buildings = board["sections"]
    assert [r["limit"] for r in procedure["rows"]] == ["3天内办结", "5个工作日内办结", "10个工作日内办结"]
    assert (cases["title"], cases["rows"]) == ("本期事项（合不合规、能不能办、办得好不好）", [])
    assert care["rows"] == [
        {"item": "留守儿童（六个一）", "files": 2, "paired": 2, "done": 3, "due": 8},
        {"item": "留守老人（六必须）", "files": 2, "paired": 2, "done": 4, "due": 70}]
    assert [r["complete"] for r in buildings["rows"]] == ["配齐", "未配齐", "未配齐"]
    assert "甲某某" not in out and "13900001111" not in out


def test_records_refused_in_one_line(county):
    f = county("wuxin", "file", "open", "--kind", "child", "--name", "戊某某", "--unit", "ly.yw.yw.g1.b2",
               "--set", "birthday=2017-03-01", "--now", "2024-09-10T10:00", "--json").data
    assert (f["id"], f["kind"], f["empty_nest"]) == (5, "child", 0)
    assert "already paired" in county("wuxin", "pair", "add", 1, "--carer", "yw-m2", "--now", "2024-09-10", ok=1).stderr
    assert "一对一帮扶" in county("wuxin", "pair", "add", 5, "--carer", "yw-m1", "--now", "2024-09-10T11:00", ok=1).stderr
    assert "is not a 爱心妈妈" in county("wuxin", "pair", "add", 5, "--carer", "yw-v1", "--now", "2024-09-10", ok=2).stderr
    assert "a 爱心妈妈 records one of" in county("wuxin", "care", 1, "--kind", "chat", "--minutes", 30,
                                               "--now", "2024-09-10", ok=2).stderr
    assert "gives its length in minutes" in county("wuxin", "care", 3, "--kind", "chat", "--now", "2024-09-10",
                                                   ok=2).stderr
    assert "not active at" in county("wuxin", "care", 1, "--kind", "contact", "--now", "2024-08-30", ok=1).stderr
    assert "birthday '2017-13-01'" in county("wuxin", "file", "update", 5, "--set", "birthday=2017-13-01",
                                              "--now", "2024-09-10", ok=2).stderr
    assert "is a city" in county("wuxin", "file", "open", "--kind", "elder", "--name", "x", "--unit", "ly",
                                 "--now", "2024-09-10", ok=2).stderr
    assert "the environment and the watch are a community's" in county("wuxin", "work", "ranking", "--unit", "ly.yw",
                                                                 "--now", "2024-09-10", ok=2).stderr


S09 = """
[deployment]
name = "示例"
code = "s9"
methods = ["wuxin"]

[[units]]
code = "s9"
name = "杨文街道"
level = "township"

[[units]]
code = "s9.c"
name = "杨文社区"
level = "community"
parent = "s9"

[[people]]
id = "m1"
name = "朱某"
unit = "s9.c"
roles = ["caring_mother"]

[[people]]
id = "v1"
name = "林某"
unit = "s9.c"
roles = ["party_volunteer"]

[[wuxin.files]]
kind = "child"
name = "甲某某"
unit = "s9.c"
birthday = "2006-07-20"
carer = "m1"

[[wuxin.files]]
kind = "elder"
name = "丙某某"
unit = "s9.c"
carer = "v1"
"""


def test_worked_example_s09(tmp_path):
    """methods.md S-09: pairs formed on Mon 2013-03-04 (the whole-period rule: no March month)."""
    run = CountyRunner(tmp_path / "county.db").init(S09, name="s9.toml", now="2013-03-04T10:00")
    child = run("wuxin", "pair", "schedule", 1, "--from", "2013-03-01", "--to", "2013-12-31", "--now", "2014-01-01",
                "--json").data
    months = ["04-30", "05-31", "06-30", "07-31", "08-31", "09-30", "10-31", "11-30", "12-31"]
    assert [(r["due_on"][5:], r["kind"]) for r in child if r["kind"] in ("contact", "guardian")] == [
        (m, k) for m in months for k in ("contact", "guardian")]
    assert [(r["due_on"], r["kind"]) for r in child if r["kind"] in ("birthday", "festival")] == [
        ("2013-07-27", "birthday"), ("2013-12-31", "festival")]  # the birthday 07-20 + 7 days
    assert len(child) == 38
    elder = run("wuxin", "pair", "schedule", 2, "--from", "2013-03-01", "--to", "2013-04-30", "--now", "2014-01-01",
                "--json").data
    greetings = [r["due_on"] for r in elder if r["kind"] == "greeting"]
    assert (greetings[0], greetings[-1], len(greetings)) == ("2013-03-04", "2013-04-30", 58)
    assert [r["due_on"] for r in elder if r["kind"] == "chat"] == [
        "2013-03-10", "2013-03-17", "2013-03-24", "2013-03-31", "2013-04-07", "2013-04-14", "2013-04-21", "2013-04-28"]
    assert [r["due_on"] for r in elder if r["kind"] == "activity"] == ["2013-04-30"]


def test_a_file_changes_is_paired_nearby_and_closes(county, tmp_path):
    f = county("wuxin", "file", "open", "--kind", "elder", "--name", "己某某", "--unit", "ly.yw.yw.g2",
               "--set", "birthday=1948-03-03", "--set", "empty_nest=no", "--now", "2024-09-20T10:00", "--json").data
    assert (f["empty_nest"], f["card"]) == (0, 0)
    # 就近包保 (L432): a volunteer of another community is refused
    (tmp_path / "u.csv").write_text("code,name,level,parent\nly.yw.hp,和平社区,community,ly.yw\n", encoding="utf-8")
    (tmp_path / "p.csv").write_text("id,name,unit,roles\nhp-v1,郑某,ly.yw.hp,party_volunteer\n", encoding="utf-8")
    county("units", "import", tmp_path / "u.csv")
    county("people", "import", tmp_path / "p.csv")
    assert "就近包保" in county("wuxin", "pair", "add", f["id"], "--carer", "hp-v1", "--now", "2024-09-20T11:00",
                               ok=2).stderr
    p = county("wuxin", "pair", "add", f["id"], "--carer", "yw-v2", "--now", "2024-09-20T11:00", "--json").data
    # not empty-nest: the 六必须 schedule does not apply (six_musts_for = empty_nest)
    assert county("wuxin", "pair", "schedule", p["id"], "--from", "2024-09-21", "--to", "2024-09-30",
                  "--now", "2024-10-01", "--json").data == []
    g = county("wuxin", "file", "update", f["id"], "--set", "empty_nest=yes", "--set", "card=yes",
               "--now", "2024-09-21T09:00", "--json").data
    assert (g["empty_nest"], g["card"], g["updated_at"]) == (1, 1, "2024-09-21T09:00:00+08:00")
    sched = county("wuxin", "pair", "schedule", p["id"], "--from", "2024-09-21", "--to", "2024-09-30",
                   "--now", "2024-10-01", "--json").data
    # greetings every day asked for; the week 09-16..22 began before the pair (Fri 09-20), so its first chat
    # week is 09-23..29; September's activity is not owed either
    assert [(r["due_on"], r["kind"]) for r in sched] == [
        ("2024-09-21", "greeting"), ("2024-09-22", "greeting"), ("2024-09-23", "greeting"),
        ("2024-09-24", "greeting"), ("2024-09-25", "greeting"), ("2024-09-26", "greeting"),
        ("2024-09-27", "greeting"), ("2024-09-28", "greeting"), ("2024-09-29", "greeting"), ("2024-09-29", "chat"),
        ("2024-09-30", "greeting")]
    closed = county("wuxin", "file", "close", f["id"], "--note", "随子女迁居", "--now", "2024-09-25T10:00",
                    "--json").data
    assert closed["closed_at"] == "2024-09-25T10:00:00+08:00"
    (ended,) = [r for r in county("wuxin", "pair", "list", "--json").data if r["id"] == p["id"]]
    assert ended["ended_at"] == "2024-09-25T10:00:00+08:00"
    assert "not active at" in county("wuxin", "care", p["id"], "--kind", "greeting", "--now", "2024-09-26T08:00",
                                     ok=1).stderr
    assert "already closed" in county("wuxin", "file", "close", f["id"], "--note", "x", "--now", "2024-09-26",
                                      ok=1).stderr
