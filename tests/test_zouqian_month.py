"""zouqian (浦东走千听万, casebook L318–351): October 2024 in 浦东新区 (plugins/contrib/zouqian/data/
pudong.toml, default settings: 居村 5, 街镇 10, district 15 working days) through the CLI —
pairings, a visiting round, the three-level platform's escalation over National Day, the
satisfaction gate (L331), a batch of common problems (L337), boards, appraisal and duties.
Every value is worked out by hand (times +08:00; 2024: 09-29 Sunday and 10-12 Saturday are
make-up working days, 10-01..07 the National Day holiday):

* A — 联洋社区 (community), Mon 09-30 10:00: 居村 5 working days after 09-30 are 10-08, 09, 10,
  11 and 10-12 (the make-up Saturday) → due 10-12 23:59:59 (without 调休 it would be 10-14).
  Handler ly1, jointly the paired district cadre gu. Sweep 10-12 23:59:59: nothing; sweep
  10-13 00:00: up to 花木街道 (hm1, jointly the paired bureau 区教育局); arrival Sunday 10-13 →
  10-14..18, 10-21..25 → due 10-25 23:59:59. Sweep 10-26 08:00 (Saturday): up to the district,
  handled by the paired leader lu, joint pair cleared; 10-28..31, 11-01, 11-04..08, 11-11..15 →
  due 11-15 23:59:59. Sweep 11-16 00:00: flagged (督办), stays at the district.
* B — 连民村 (village), Fri 09-27 16:00: 09-29 (make-up Sunday), 09-30, 10-08, 09, 10 → due
  10-10 23:59:59. Resolved 10-09 10:00; rated 一般 10-10 09:00 → reopened at 居村, arrival 10-10
  09:00: 10-11, 10-12 (make-up), 10-14, 15, 16 → due 10-16 23:59:59. Resolved 10-15 10:00, rated
  非常满意 (alias of 很满意) 10-16 09:00 → confirmed.
* C1, C2, C3 — 界龙村, 10-14 09:00/10:00/11:00, topic 农民建房: the third makes three open
  problems on the topic → common (batch_threshold 3). Batch 1 led by C1 (10-15 09:00), C2 and C3
  linked; C4 (10-16 09:00, same topic) is named batch 1 by triage (four open: common). Batch
  solved 10-18 15:00: C1, C2, C3 resolved at once (solved_count 3); C4 stays open. Rated 10-21
  10:00: C1 很满意, C2 很不满意 (reopened: 10-22, 23, 24, 25, 28 → due 10-28 23:59:59), C3 满意.
  C4 is due 10-17, 18, 21, 22, 23 → 10-23 23:59:59: the sweep of 10-26 08:00 reports it up to
  川沙新镇 (due 11-08), the sweep of 11-16 00:00 to the district (11-18..22, 11-25..29, 12-02..06
  → 12-06 23:59:59); that sweep also reports the reopened C2 up to 川沙新镇 (11-18..22, 11-25..29
  → 11-29 23:59:59), still linked to C1. On the board both read 已上报.
* Appraisal 2024-10 of 川沙新镇: ratings 5 (B 一般, B 很满意, C1 很满意, C2 很不满意, C3 满意), 3 pass
  → 0.6; visits: shen at 连民村 in round 2 → coverage 1 of 2 居村; cadres paired there shen and gu
  (界龙村), both visited or contacted in October → 2 / 2; batch_solved 3; the kernel's reopened 2
  (B 10-10, C2 10-21), reopened_cases 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.zouqian
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.zouqian.__file__).parent / "data" / "pudong.toml"


def add(run, now, unit, title, *sets, category="livelihood", channel="visit", requester="王建国"):
    args = ["case", "add", "--method", "zouqian", "--unit", unit, "--title", title, "--category", category,
            "--channel", channel, "--requester-name", requester, "--requester-phone", "13800000001",
            "--now", now, "--json"]
    for kv in sets:
        args += ["--set", kv]
    return run(*args).data


def show(run, case_id):
    return run("case", "show", case_id, "--json").data


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("zouqian-month") / "county.db").init(TOML)
    at = "2024-09-01T09:00"
    for kind, a, b in (("cadre_juncun", "gu", "pd.hm.ly"), ("bureau_town", "pd.jyj", "pd.hm"),
                       ("leader_town", "lu", "pd.hm"), ("cadre_juncun", "shen", "pd.cs.lm"),
                       ("cadre_juncun", "gu", "pd.cs.jl"), ("member_needy", "jyj1", "困难户甲")):
        run("zouqian", "pair", "add", "--kind", kind, "--a", a, "--b", b, "--now", at)
    run("zouqian", "round", "add", 1, "--start", "2024-09-23", "--end", "2024-09-30", "--now", at)
    run("zouqian", "round", "add", 2, "--start", "2024-10-08", "--end", "2024-10-18", "--now", at)
    s = {"visit1": run("zouqian", "visit", "--cadre", "gu", "--unit", "pd.hm.ly", "--round", 1, "--problems", 1,
                       "--diary", "居民座谈", "--now", "2024-09-30T09:00", "--json").data}
    s["A"] = add(run, "2024-09-30T10:00", "pd.hm.ly", "小区加装电梯", f"visit={s['visit1']['id']}")
    s["B"] = add(run, "2024-09-27T16:00", "pd.cs.lm", "村道积水", "topic=道路积水", channel="platform")
    run("case", "resolve", s["B"]["id"], "--note", "已疏通", "--now", "2024-10-09T10:00")
    s["rate_B1"] = run("zouqian", "rate", s["B"]["id"], "--level", "一般", "--now", "2024-10-10T09:00", "--json").data
    run("zouqian", "visit", "--cadre", "shen", "--unit", "pd.cs.lm", "--round", 2, "--now", "2024-10-11T09:00")
    s["sweep_1012"] = run("sweep", "--now", "2024-10-12T23:59:59", "--json").data
    s["sweep_1013"] = run("sweep", "--now", "2024-10-13T00:00", "--json").data
    s["A_jiezhen"] = show(run, s["A"]["id"])
    for i, key in enumerate(("C1", "C2", "C3")):
        s[key] = add(run, f"2024-10-14T{9 + i:02d}:00", "pd.cs.jl", f"宅基地建房审批{i + 1}", "topic=农民建房",
                     category="housing", requester="李秀英")
    s["batch"] = run("zouqian", "batch", "open", s["C1"]["id"], "--policy", "《关于农民建房问题的答复口径》",
                     "--now", "2024-10-15T09:00", "--json").data
    run("zouqian", "batch", "add", s["batch"]["id"], s["C2"]["id"], s["C3"]["id"], "--now", "2024-10-15T09:30")
    run("case", "resolve", s["B"]["id"], "--note", "已重新铺设排水管", "--now", "2024-10-15T10:00")
    s["rate_B2"] = run("zouqian", "rate", s["B"]["id"], "--level", "非常满意", "--now", "2024-10-16T08:00",
                       "--json").data
    s["C4"] = add(run, "2024-10-16T09:00", "pd.cs.jl", "翻建农房手续", "topic=农民建房", category="housing",
                  requester="张伟")
    s["solved"] = run("zouqian", "batch", "solve", s["batch"]["id"], "--note", "出台答复口径",
                      "--now", "2024-10-18T15:00", "--json").data
    for key, level, rater in (("C1", "很满意", "resident"), ("C2", "很不满意", "resident"),
                              ("C3", "满意", "party_member")):
        s["rate_" + key] = run("zouqian", "rate", s[key]["id"], "--level", level, "--rater", rater,
                               "--now", "2024-10-21T10:00", "--json").data
    run("zouqian", "visit", "--cadre", "gu", "--unit", "pd.cs.jl", "--kind", "contact", "--now", "2024-10-25T15:00")
    s["sweep_1026"] = run("sweep", "--now", "2024-10-26T08:00", "--json").data
    s["A_district"] = show(run, s["A"]["id"])
    s["sweep_1116"] = run("sweep", "--now", "2024-11-16T00:00", "--json").data
    return run, s


def holders(case):
    return (case["level"], case["unit"], case["handler"], case["joint_unit"], case["joint_handler"], case["due_at"],
            case["status"])


def test_a_climbs_the_three_level_platform_over_national_day(month):
    run, s = month
    assert holders(s["A"]) == ("juncun", "pd.hm.ly", "ly1", "pd", "gu", "2024-10-12T23:59:59+08:00", "assigned")
    assert s["A"]["extra"] == {"visit": 1, "time_limit": "5个工作日"}
    assert s["sweep_1012"]["actions"] == []
    assert s["sweep_1013"]["actions"] == [{"case": s["A"]["id"], "milestone": "solve",
                                           "due_at": "2024-10-12T23:59:59+08:00", "action": "escalate",
                                           "from": "juncun", "to": "jiezhen"}]
    assert holders(s["A_jiezhen"]) == ("jiezhen", "pd.hm", "hm1", "pd.jyj", None, "2024-10-25T23:59:59+08:00",
                                       "escalated")
    up = [a for a in s["sweep_1026"]["actions"] if a["case"] == s["A"]["id"]]
    assert up == [{"case": s["A"]["id"], "milestone": "solve", "due_at": "2024-10-25T23:59:59+08:00",
                   "action": "escalate", "from": "jiezhen", "to": "district"}]
    assert holders(s["A_district"]) == ("district", "pd", "lu", None, None, "2024-11-15T23:59:59+08:00", "escalated")
    flagged = [a for a in s["sweep_1116"]["actions"] if a["case"] == s["A"]["id"]]
    assert flagged == [{"case": s["A"]["id"], "milestone": "solve", "due_at": "2024-11-15T23:59:59+08:00",
                        "action": "flag", "from": "district", "to": "district"}]
    assert show(run, s["A"]["id"])["level"] == "district"


def test_the_gate_reopens_on_yiban_and_closes_on_very_satisfied(month):
    run, s = month
    assert s["B"]["due_at"] == "2024-10-10T23:59:59+08:00"
    assert (s["rate_B1"]["outcome"], s["rate_B1"]["status"], s["rate_B1"]["level"], s["rate_B1"]["satisfaction"],
            s["rate_B1"]["due_at"]) == ("reopens", "in_progress", "juncun", "basically", "2024-10-16T23:59:59+08:00")
    assert (s["rate_B2"]["outcome"], s["rate_B2"]["status"], s["rate_B2"]["satisfaction"]) == \
        ("closes", "confirmed", "very_satisfied")
    types = [e["type"] for e in show(run, s["B"]["id"])["events"]]
    assert types.count("reopened") == 1 and types.count("confirmed") == 1 and types.count("resolved") == 2


def test_a_bad_level_names_the_five(month):
    run, s = month
    r = run("zouqian", "rate", s["C3"]["id"], "--level", "好", "--now", "2024-10-22T09:00", ok=2)
    assert r.stderr.strip() == ("error: --level: '好' is not a level of zouqian (use very_satisfied 很满意, "
                                "satisfied 满意, basically 一般, unsatisfied 不满意, very_unsatisfied 很不满意)")


def test_common_problems_and_the_batch(month):
    run, s = month
    assert "common" not in s["C1"]["extra"] and "common" not in s["C2"]["extra"]
    assert s["C3"]["extra"]["common"] is True
    assert (s["C4"]["extra"]["common"], s["C4"]["extra"]["batch"]) == (True, s["batch"]["id"])
    assert (s["solved"]["solved_count"], s["solved"]["solved_at"]) == (3, "2024-10-18T15:00:00+08:00")
    c4, c2 = show(run, s["C4"]["id"]), show(run, s["C2"]["id"])
    assert (c4["status"], c4["lead_id"], c4["level"], c4["due_at"]) == (
        "escalated", None, "district", "2024-12-06T23:59:59+08:00")
    assert (c2["status"], c2["lead_id"], c2["level"], c2["unit"], c2["due_at"]) == (
        "escalated", s["C1"]["id"], "jiezhen", "pd.cs", "2024-11-29T23:59:59+08:00")
    assert [(s["rate_" + k]["outcome"], s["rate_" + k]["status"]) for k in ("C1", "C2", "C3")] == [
        ("closes", "confirmed"), ("reopens", "in_progress"), ("closes", "confirmed")]
    assert s["rate_C2"]["due_at"] == "2024-10-28T23:59:59+08:00"
    listed = run("case", "list", "--lead", s["C1"]["id"], "--json").data
    ids = sorted(c["id"] for c in listed)
    assert ids == sorted([s["C2"]["id"], s["C3"]["id"]])


def test_board_of_the_village(month):
    run, s = month
    boards = run("board", "--unit", "pd.cs.jl", "--period", "2024-10", "--format", "json", "--json").data
    mine = [b for b in boards if b["method"] == "zouqian"]
    assert [b["title"] for b in mine] == ["界龙村“走千听万”问题办理反馈（2024-10）"]
    rows = mine[0]["sections"][0]["rows"]
    got = [(r["case_id"], r["status"], r["rating"], r["reopened"], r["batch"], r["requester"]) for r in rows]
    assert got == [(s["C1"]["id"], "已确认", "很满意", 0, 1, "李某"), (s["C2"]["id"], "已上报", "很不满意", 1, 1, "李某"),
                   (s["C3"]["id"], "已确认", "满意", 0, 1, "李某"), (s["C4"]["id"], "已上报", None, 0, 1, "张某")]
    pairs = mine[0]["sections"][1]["rows"]
    assert pairs == [{"kind": "区级机关干部与居村结对", "partner": "顾某", "since": "2024-09-01", "visits": 1}]


def metrics(run, unit, period):
    rows = run("appraise", "--unit", unit, "--period", period, "--json").data
    return {m["metric"]: m for m in rows if m["method"] == "zouqian" and m["subject"] == unit}


def test_appraisal_of_the_town(month):
    run, s = month
    m = metrics(run, "pd.cs", "2024-10")
    assert (m["rating_pass_rate"]["numerator"], m["rating_pass_rate"]["denominator"], m["rating_pass_rate"]["value"]) \
        == (3, 5, 0.6)
    assert [m["rating_" + c]["value"] for c in ("very_satisfied", "satisfied", "basically", "unsatisfied",
                                                 "very_unsatisfied")] == [2, 1, 1, 0, 1]
    assert (m["visit_coverage"]["numerator"], m["visit_coverage"]["denominator"]) == (1, 2)
    assert (m["cadre_participation"]["numerator"], m["cadre_participation"]["denominator"]) == (2, 2)
    assert m["batch_solved"]["value"] == 3
    assert (m["reopened"]["value"], m["reopened_cases"]["value"]) == (2, 2)


def test_duties_round_end_and_month_end(month):
    run, s = month
    rows = run("duties", "--date", "2024-10-18", "--json").data
    assert sorted((d["unit"], d["kind"], d["done"]) for d in rows if d["method"] == "zouqian") == [
        ("pd.cs.jl", "round_visit", False), ("pd.cs.lm", "round_visit", True), ("pd.hm.ly", "round_visit", False)]
    rows = run("duties", "--date", "2024-10-31", "--json").data
    assert sorted((d["unit"], d["kind"], d["done"]) for d in rows if d["method"] == "zouqian") == [
        ("pd.cs.jl", "contact", True), ("pd.cs.lm", "contact", True), ("pd.hm.ly", "contact", False)]
    assert run("duties", "--date", "2024-10-30", "--json").data == []


def test_board_of_the_town_lists_its_villages_and_the_batch(month):
    run, s = month
    boards = [b for b in run("board", "--unit", "pd.cs", "--period", "2024-10", "--format", "json", "--json").data
              if b["method"] == "zouqian"]
    assert [b["title"] for b in boards] == ["界龙村“走千听万”问题办理反馈（2024-10）", "连民村“走千听万”问题办理反馈（2024-10）",
                                            "川沙新镇共性问题批量解决（2024-10）"]
    assert [(r["case_id"], r["status"], r["rating"], r["reopened"]) for r in boards[1]["sections"][0]["rows"]] == [
        (s["B"]["id"], "已确认", "很满意", 1)]
    assert boards[2]["sections"][0]["rows"] == [
        {"batch": 1, "topic": "农民建房", "policy": "《关于农民建房问题的答复口径》", "case_id": s["C1"]["id"],
         "linked": 2, "solved_on": "2024-10-18", "solved_count": 3}]


def test_kernel_satisfaction_rate_counts_only_the_closing_levels(month):
    """满意率 by the scale's good levels (很满意, 满意): of the problems taken in at 川沙新镇 in October
    and rated, C1 很满意 and C3 满意 count, C2 很不满意 does not → 2 / 3."""
    run, s = month
    m = metrics(run, "pd.cs", "2024-10")
    assert (m["satisfaction_rate"]["numerator"], m["satisfaction_rate"]["denominator"]) == (2, 3)


def test_half_year_board_and_appraisal(month):
    """2024H2 (07-01..12-31) holds all of October's figures and B's September intake: the
    川沙新镇 ratings 3 of 5, and per person who had a problem sent back: jl1 (C2, 界龙村) and lm1
    (B, 连民村) once each."""
    run, s = month
    boards = [b for b in run("board", "--unit", "pd.cs", "--period", "2024H2", "--format", "json", "--json").data
              if b["method"] == "zouqian"]
    assert [b["title"] for b in boards] == ["界龙村“走千听万”问题办理反馈（2024年下半年）",
                                            "连民村“走千听万”问题办理反馈（2024年下半年）",
                                            "川沙新镇共性问题批量解决（2024年下半年）"]
    data = run("appraise", "--unit", "pd.cs", "--period", "2024H2", "--json").data
    m = {x["metric"]: x for x in data if x["method"] == "zouqian" and x["subject"] == "pd.cs"}
    assert (m["rating_pass_rate"]["numerator"], m["rating_pass_rate"]["denominator"]) == (3, 5)
    people = sorted((x["subject"], x["value"]) for x in data if x["metric"] == "reopened_by_handler")
    assert people == [("jl1", 1), ("lm1", 1)]


def test_pairings_and_batches_listed(month):
    run, s = month
    listed = run("zouqian", "pair", "list", "--unit", "pd.cs", "--json").data
    assert [(p["kind"], p["a"], p["b"]) for p in listed] == [("cadre_juncun", "shen", "pd.cs.lm"),
                                                              ("cadre_juncun", "gu", "pd.cs.jl")]
    batches = run("zouqian", "batch", "list", "--unit", "pd.cs", "--json").data
    assert [(b["id"], b["lead"], b["solved_count"]) for b in batches] == [(1, s["C1"]["id"], 3)]
    r = run("zouqian", "batch", "solve", 1, "--note", "again", "--now", "2024-11-20T09:00", ok=1)
    assert r.stderr.strip() == "error: batch 1: solved on 2024-10-18"
