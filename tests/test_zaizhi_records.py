"""zaizhi's own records through the CLI on the sample deployment (youyilu.toml, initialised
2024-09-01): the register, claims, the activity log with the “8小时内/外” rule on China's
calendar, duties with exact dates, the 三比三争 figures and the boards — October 2024 (10-01..07
National Day, Saturday 10-12 a make-up working day), every figure worked out by hand:

* visits (agency cadres m1, m2; work_hours 09:00-17:00): m1 Sat 10-12 10:00 (调休: counted),
  Mon 10-14 16:59, Tue 10-15 09:00 (友谊新村), Wed 10-16 11:00 → 4; refused: Sun 10-13 10:00,
  holiday Thu 10-03 10:00, Mon 10-14 17:00 (the end is exclusive); m2 Tue 10-08, Wed 10-09 → 2;
* volunteer service (8小时外): m3 Sun 10-13 10:00 at 宝林三村, m4 Mon 10-14 19:30 at 友谊新村;
  refused: m3 Sat 10-12 10:00 (a working day, in hours);
* post 3 (法律咨询, 宝林三村, day 28) claimed by agency cadre m1 on 10-20 (m4 refused: lives in
  友谊新村); served: post 1 on Sat 10-05 19:00 (holiday evening), post 3 on 10-28; post 2 (day 25)
  not served;
* study held 10-10 14:00; group day 11-15 held, 12-15 not; a forum at 宝林三村 10-09 with one
  request answered 10-11; zone z2 visited 10-20; m3 commended 10-30; brand 楼中情 at 宝林三村.
"""

import json
import sqlite3

import pytest

from plugins.contrib.zaizhi import rules
from test_zaizhi_time import make


def activity_count(run):
    with sqlite3.connect(run.db) as db:
        return db.execute("select count(*) from zaizhi_activities").fetchone()[0]


def rec(run, kind, now, *args, ok=0):
    return run("zaizhi", "record", kind, *args, "--now", now, "--json", ok=ok)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = make(tmp_path_factory, "zaizhi-records")
    for now in ("2024-10-12T10:00", "2024-10-14T16:59", "2024-10-16T11:00"):
        rec(run, "visit", now, "--unit", "bs.yyl.bl3", "--person", "m1")
    rec(run, "visit", "2024-10-15T09:00", "--unit", "bs.yyl.yx", "--person", "m1")
    for now in ("2024-10-08T10:00", "2024-10-09T10:00"):
        rec(run, "visit", now, "--unit", "bs.yyl.yx", "--person", "m2")
    rec(run, "volunteer", "2024-10-13T10:00", "--unit", "bs.yyl.bl3", "--person", "m3")
    rec(run, "volunteer", "2024-10-14T19:30", "--unit", "bs.yyl.yx", "--person", "m4")
    run("zaizhi", "post", "claim", 3, "--member", "m1", "--now", "2024-10-20T10:00")
    rec(run, "post_service", "2024-10-05T19:00", "--post", 1)
    rec(run, "post_service", "2024-10-28T19:00", "--post", 3)
    rec(run, "study", "2024-10-10T14:00", "--unit", "bs.yyl", "--persons", 2)
    rec(run, "group_day", "2024-11-15T14:00", "--unit", "bs.yyl", "--persons", 2)
    rec(run, "forum", "2024-10-09T19:00", "--unit", "bs.yyl.bl3", "--person", "yyl-01", "--persons", 15)
    c = run("case", "add", "--method", "zaizhi", "--unit", "bs.yyl.bl3", "--title", "加装电梯政策咨询", "--channel",
            "forum", "--category", "community_policy", "--requester-name", "王长贵", "--requester-phone",
            "13812345678", "--now", "2024-10-09T19:30", "--json").data
    run("case", "resolve", c["id"], "--note", "已明确答复", "--now", "2024-10-11T10:00")
    rec(run, "zone_visit", "2024-10-20T15:00", "--unit", "bs.yyl.bl3.z2", "--person", "bl3-01")
    run("zaizhi", "commend", "--member", "m3", "--award", "touching_citizen", "--now", "2024-10-30T10:00")
    run("zaizhi", "brand", "--unit", "bs.yyl.bl3", "--name", "楼中情", "--now", "2024-10-30T10:00")
    return run


@pytest.mark.parametrize("kind, now, args, code, words", [
    ("visit", "2024-10-13T10:00", ("--unit", "bs.yyl.bl3", "--person", "m1"), 1, "8 working hours"),   # Sunday
    ("visit", "2024-10-03T10:00", ("--unit", "bs.yyl.bl3", "--person", "m1"), 1, "8 working hours"),   # holiday
    ("visit", "2024-10-14T17:00", ("--unit", "bs.yyl.bl3", "--person", "m1"), 1, "8 working hours"),   # end
    ("visit", "2024-10-14T10:00", ("--unit", "bs.yyl.bl3", "--person", "m3"), 1, "not an agency cadre"),
    ("visit", "2024-10-14T10:00", ("--unit", "bs.yyl", "--person", "m1"), 2, "residential area"),
    ("volunteer", "2024-10-12T10:00", ("--unit", "bs.yyl.bl3", "--person", "m3"), 1, "outside working hours"),
    ("volunteer", "2024-10-13T10:00", ("--unit", "bs.yyl.yx", "--person", "m3"), 2, "home area"),
    ("study", "2024-10-10T14:00", ("--unit", "bs.yyl.bl3",), 2, "agency branch"),
    ("post_service", "2024-10-25T19:00", ("--post", 9), 2, "no such service post"),
    ("volunteer", "2024-10-13T10:00", ("--unit", "bs.yyl.bl3", "--person", "m3", "--persons", 0), 2, "--persons"),
])
def test_refused_records_name_the_rule_and_write_nothing(run, kind, now, args, code, words):
    before = activity_count(run)
    r = rec(run, kind, now, *args, ok=code)
    assert words in r.stderr and r.stderr.count("\n") == 1
    assert activity_count(run) == before == 14  # 6 visits, 2 volunteer, 2 post, study, group day, forum, zone


def test_claims(run):
    r = run("zaizhi", "post", "claim", 3, "--member", "m3", "--now", "2024-10-21T10:00", ok=1)
    assert "already claimed by m1" in r.stderr
    r = run("zaizhi", "post", "claim", 9, "--member", "m3", "--now", "2024-10-21T10:00", ok=2)
    assert "post 9" in r.stderr
    posts = run("zaizhi", "post", "list", "--unit", "bs.yyl.bl3", "--json").data
    assert [(p["id"], p["kind"], p["service_day"], p["member"]) for p in posts] == [
        (1, "appliance", 5, "m3"), (3, "legal", 28, "m1")]


def test_claim_refused_outside_home_area(tmp_path_factory):
    run = make(tmp_path_factory, "zaizhi-claim")
    r = run("zaizhi", "post", "claim", 3, "--member", "m4", "--now", "2024-10-20T10:00", ok=1)
    assert "m4 lives in 友谊新村" in r.stderr
    strict = make(tmp_path_factory, "zaizhi-skill", (rules_toml := run_toml()).replace(
        "claim_needs_skill = false", "claim_needs_skill = true"))
    r = strict("zaizhi", "post", "claim", 3, "--member", "m3", "--now", "2024-10-20T10:00", ok=1)
    assert "no skill 'legal'" in r.stderr
    assert strict("zaizhi", "post", "claim", 3, "--member", "m1", "--now", "2024-10-20T10:00", "--json").data[
        "member"] == "m1"
    assert "claim_needs_skill = false" in rules_toml


def run_toml():
    from test_zaizhi_time import TOML
    return TOML


@pytest.mark.parametrize("day, want", [
    ("2024-10-10", [("study", "bs.yyl", "2024-10-10", True)]),
    ("2024-10-05", [("post_service", "bs.yyl.bl3", "1", True)]),
    ("2024-10-25", [("post_service", "bs.yyl.yx", "2", False)]),
    ("2024-10-28", [("post_service", "bs.yyl.bl3", "3", True)]),
    ("2024-10-31", [("monthly_visits", "bs.yyl", "m1", True), ("monthly_visits", "bs.yyl", "m2", False)]),
    ("2024-11-05", [("post_service", "bs.yyl.bl3", "1", False)]),
    ("2024-11-15", [("group_day", "bs.yyl", "2024-11-15", True)]),
    ("2024-12-15", [("group_day", "bs.yyl", "2024-12-15", False)]),
    ("2024-10-15", []),
])
def test_duties_on_their_exact_dates(run, day, want):
    got = run("duties", "--date", day, "--json").data
    assert [(d["kind"], d["unit"], d["subject"], d["done"]) for d in got if d["method"] == "zaizhi"] == want


def test_the_three_contests_in_october(run):
    got = {m["metric"]: (m["numerator"], m["denominator"]) if m["denominator"] is not None else m["value"]
           for m in run("appraise", "--unit", "bs.yyl", "--period", "2024-10", "--now", "2024-11-01", "--json").data
           if m["method"] == "zaizhi" and m["subject"] == "bs.yyl"}
    assert {k: got[k] for k in (
        "members_registered", "member_grouped_rate", "post_claim_rate", "forums", "forum_answer_rate",
        "commendations", "volunteer_person_times", "visit_quota_rate", "schedule_held_rate", "post_service_rate",
        "zone_visit_coverage", "brand_coverage")} == {
        "members_registered": 4, "member_grouped_rate": (3, 4), "post_claim_rate": (3, 3), "forums": 1,
        "forum_answer_rate": (1, 1), "commendations": 1, "volunteer_person_times": 4, "visit_quota_rate": (1, 2),
        "schedule_held_rate": (1, 1), "post_service_rate": (2, 3), "zone_visit_coverage": (1, 2),
        "brand_coverage": (1, 2)}
    # the quarter so far at 12-31: study 10-10 and group day 11-15 held, 12-15 not → 2 / 3
    q = {m["metric"]: (m["numerator"], m["denominator"])
         for m in run("appraise", "--unit", "bs.yyl", "--period", "2024Q4", "--now", "2024-12-31T20:00", "--json").data
         if m["method"] == "zaizhi" and m["subject"] == "bs.yyl" and m["denominator"] is not None}
    # visits: October m1 met, m2 not; November none → 1 / 4 — December's are due 12-31 and owed once
    # that day is over (at 2025-01-01 00:00: 1 / 6)
    assert (q["schedule_held_rate"], q["visit_quota_rate"]) == ((2, 3), (1, 4))
    q = {m["metric"]: (m["numerator"], m["denominator"])
         for m in run("appraise", "--unit", "bs.yyl", "--period", "2024Q4", "--now", "2025-01-01T00:00", "--json").data
         if m["method"] == "zaizhi" and m["subject"] == "bs.yyl" and m["denominator"] is not None}
    assert (q["schedule_held_rate"], q["visit_quota_rate"]) == ((2, 3), (1, 6))


def test_the_boards(run):
    boards = run("board", "--unit", "bs.yyl", "--period", "2024-10", "--format", "json", "--now", "2024-11-01").stdout
    boards = [b for b in json.loads(boards) if b["method"] == "zaizhi"]
    assert [b["title"] for b in boards] == ["友谊路街道在职党员“三比三争”（2024-10）", "宝林三村在职党员服务公示（2024-10）",
                                            "友谊新村在职党员服务公示（2024-10）"]
    honours, days = boards[0]["sections"]
    assert honours["rows"] == [{"member": "贺某", "area": "宝林三村", "award": "感动友谊好市民", "on": "2024-10-30"}]
    assert days["rows"] == [{"on": "2024-10-10", "kind": "集中学习会", "held": "已举行"}]
    posts, requests = boards[1]["sections"]
    assert [(r["post"], r["member"], r["service"]) for r in posts["rows"]] == [
        ("家电维修", "贺某", "每月5日 18:30-20:30"), ("法律咨询", "施某", "每月28日")]
    row = requests["rows"][0]
    assert (row["title"], row["status"]) == ("加装电梯政策咨询", "已办结")
    assert [(r["post"], r["member"], r["service"]) for r in boards[2]["sections"][0]["rows"]] == [
        ("理发磨刀", "严某", "每月25日 18:30-20:30")]
    assert boards[2]["sections"][1]["rows"] == []
    assert "王长贵" not in json.dumps(requests, ensure_ascii=False) and "13812345678" not in json.dumps(requests)


def test_register_and_list(run):
    a = run("zaizhi", "member", "register", "--id", "m5", "--name", "陶某", "--home", "bs.yyl.yx", "--skills",
            "legal、counselling", "--group", "法律服务组", "--employer", "某律师事务所", "--now", "2024-11-02T10:00",
            "--json").data
    b = run("zaizhi", "member", "register", "--id", "m5", "--home", "bs.yyl.yx", "--group", "心理服务组",
            "--now", "2024-11-09T10:00", "--json").data
    assert (a["skills"], b["grp"], b["registered_at"]) == (["legal", "counselling"], "心理服务组",
                                                           "2024-11-02T10:00:00+08:00")
    assert [m["id"] for m in run("zaizhi", "member", "list", "--unit", "bs.yyl.yx", "--json").data] == ["m2", "m4", "m5"]
    r = run("zaizhi", "member", "register", "--id", "m6", "--home", "bs.yyl.yx", "--now", "2024-11-02T10:00", ok=2)
    assert "--name" in r.stderr
    r = run("zaizhi", "member", "register", "--id", "m6", "--name", "x", "--home", "bs.yyl", "--now",
            "2024-11-02T10:00", ok=2)
    assert "--home bs.yyl" in r.stderr


def test_the_source_numbers():
    """Every number the casebook states for Baoshan (L385–397)."""
    assert (rules.OUTCOME_MEMBERS, rules.OUTCOME_PERSON_TIMES) == (1031, 2000)   # L389
    assert (rules.RESIDENTIAL_AREAS, rules.RESPONSIBILITY_ZONES) == (36, 294)      # L397
    assert len(rules.CONTESTS) == 3 and len(rules.TWO_WAY) == 3 and len(rules.FIVE_LEADS) == 5   # L385, L393, L389
    assert list(rules.POST_KINDS.values()) == ["家电维修", "修伞修鞋", "理发磨刀", "健康检查", "心理咨询", "法律咨询"]
    defaults = {s.name: s.default for s in rules.SETTINGS}
    assert (defaults["study_day"], defaults["group_day"], defaults["visits_per_month"]) == (10, 15, 4)  # L389


def test_the_county_file_tables_update_idempotently(tmp_path_factory, tmp_path):
    run = make(tmp_path_factory, "zaizhi-update")
    toml = run_toml()
    changed = toml.replace('kind = "legal"\nservice_day = 28', 'kind = "legal"\nservice_day = 27\nmember = "m1"').replace(
        'skills = ["haircut_knife", "health_check"]', 'skills = ["haircut_knife", "health_check"]\ngroup = "技能服务组"')
    assert changed.count("service_day = 27") == 1 and changed.count('group = "技能服务组"') == 2
    cfg = tmp_path / "county.toml"
    cfg.write_text(changed, encoding="utf-8")
    out = run("init", "--update", "--config", cfg, "--now", "2024-10-01T09:00").stdout
    assert "zaizhi：members 新增 0，变更 1，未变 3；posts 新增 0，变更 1，未变 2" in out
    out = run("init", "--update", "--config", cfg, "--now", "2024-10-02T09:00").stdout
    assert "zaizhi：members 新增 0，变更 0，未变 4；posts 新增 0，变更 0，未变 3" in out
    post = run("zaizhi", "post", "list", "--json").data[2]
    assert (post["service_day"], post["member"], post["claimed_at"]) == (27, "m1", "2024-10-01T09:00:00+08:00")
    cfg.write_text(toml.replace('kind = "legal"', 'kind = "plumbing"'), encoding="utf-8")
    r = run("init", "--update", "--config", cfg, "--now", "2024-10-03T09:00", ok=2)
    assert "[[zaizhi.posts]]" in r.stderr and "plumbing" in r.stderr


def test_a_group_day_is_owed_once_it_is_over(run):
    """L389 第二、三个月的15日: the group day of Fri 2024-11-15 (held that day) is owed, and counted, once
    the day is over — not at 09:00 on it (an inspector found 1/2 then); the study of 10-10 is held."""
    def held(now):
        return next((m["numerator"], m["denominator"]) for m in
                    run("appraise", "--unit", "bs.yyl", "--period", "2024Q4", "--now", now, "--json").data
                    if m["method"] == "zaizhi" and m["subject"] == "bs.yyl" and m["metric"] == "schedule_held_rate")
    assert held("2024-11-14T23:00") == (1, 1)
    assert held("2024-11-15T09:00") == (1, 1)
    assert held("2024-11-15T23:59") == (1, 1)
    assert held("2024-11-16T00:00") == (2, 2)
