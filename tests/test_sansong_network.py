"""sansong's contact network and records (赣州三送, casebook L137–L142) through the CLI on the
sample deployment (default settings: calendar days), every figure worked out by hand:

* 禾坑村 has 40 households (HK-01…15 in 一组, 16…30 in 二组, 31…40 in 三组; HK-05 a veteran Red
  Army soldier), 上溪村 one (SX-01). 县住建局 is paired with 禾坑村 from 2024-03-01 (L137: 1 village).
  Point cadres: zjj-01 HK-01…10 (10: 10户以上 met), zjj-02 HK-11…19 (9: short). Township cadre
  lt-01, area contact HK-01…30 (2 groups, 30 households: 2–3 groups and 30–50 households met).
  zjj-01 (new staff, must stay 1 year: L142) and zjj-02 (other) stationed from 2024-03-01: a team
  of 2 (2–3, L137). So on 2024-03-31 the gaps are zjj-02's 9 households, HK-31…40 and SX-01
  without a cadre (群众一户不漏), jtj-01 and zjj-03 without households (干部一人不落).
* 5 years (L142): 县住建局 may change village from 2029-03-01, not 2029-02-28; zjj-01's stationing
  may end from 2025-03-01, not 2025-02-28; zjj-02 (other kind) leaves 2024-06-01, its households
  stay its own (挂职结束后，联系户保持稳定).
* Presence (20天以上, L142): 2024-03 zjj-01 22, zjj-02 19; 2024-04 zjj-01 20, zjj-02 none.
* Consultations (L140): 03-20 by zjj-01 with 5 / 2 / 8 (valid), 03-25 by zjj-02 without deputies
  (not valid); none later.
* Diary (L140): 03-05 zjj-01 at HK-01 signed, 03-06 zjj-01 at HK-02 unsigned.
* Cases: 03-04 10:00 HK-05 (priority high) by its cadre → 7 days → 03-11, solved 03-08 at tier
  cadre; 03-29 09:00 96333 at 禾坑村 → village (肖支书, zjj-01 joint) → 04-05 (over the month end),
  fed back 03-29 20:00, solved 04-02 at the village. 02-26 09:00 by zjj-01 promised for 02-29
  (leap day) → 02-29; 02-26 09:00 without a promise → 03-04.
* Ratings 2024 (每年度, L140): zjj-01 40/6/4, lt-01 30/10/10.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import plugins.contrib.sansong
from framework.testing import CountyRunner

#: The sample deployment without its contact network (this module builds its own).
TOML = (Path(plugins.contrib.sansong.__file__).parent / "data" / "ganzhou.toml").read_text(
    encoding="utf-8").split("# -- the contact network")[0]
HK = "gz.yd.lt.hk"


def hh(n):
    return f"HK-{n:02d}"


@pytest.fixture(scope="module")
def s(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sansong-network")
    run = CountyRunner(tmp / "county.db").init(TOML)
    at = "2024-03-01T08:00"
    for n in range(1, 41):
        grp = f"{HK}.g{1 if n <= 15 else 2 if n <= 30 else 3}"
        kind = ["--kind", "red_army_veteran"] if n == 5 else []
        run("sansong", "household", "add", hh(n), "--village", HK, "--head", f"钟户主{n}", "--group", grp, *kind,
            "--now", at)
    run("sansong", "household", "add", "SX-01", "--village", "gz.yd.lt.sx", "--head", "黄户主", "--now", at)
    r = {"run": run}
    r["c_promise"] = run("case", "add", "--method", "sansong", "--unit", HK, "--title", "危房漏雨", "--channel",
                         "cadre_contact", "--set", "cadre=zjj-01", "--set", "promised_on=2024-02-29",
                         "--now", "2024-02-26T09:00", "--json").data
    r["c_plain"] = run("case", "add", "--method", "sansong", "--unit", HK, "--title", "政策咨询", "--channel",
                       "cadre_contact", "--set", "cadre=zjj-01", "--now", "2024-02-26T09:00", "--json").data
    r["c_early"] = run("case", "add", "--method", "sansong", "--unit", HK, "--title", "政策咨询", "--channel",
                       "cadre_contact", "--set", "cadre=zjj-01", "--set", "promised_on=2024-02-25",
                       "--now", "2024-02-26T09:00", ok=2)
    run("sansong", "point", "gz.yd.zjj", "--village", HK, "--since", "2024-03-01", "--now", at)
    run("sansong", "link", "add", "zjj-01", *[hh(n) for n in range(1, 11)], "--mode", "point", "--since",
        "2024-03-01", "--now", at)
    run("sansong", "link", "add", "zjj-02", *[hh(n) for n in range(11, 20)], "--mode", "point", "--since",
        "2024-03-01", "--now", at)
    run("sansong", "link", "add", "lt-01", *[hh(n) for n in range(1, 31)], "--mode", "area", "--since",
        "2024-03-01", "--now", at)
    r["link_wrong_role"] = run("sansong", "link", "add", "jtj-01", hh(31), "--mode", "area", "--now", at, ok=2)
    run("sansong", "station", "add", "zjj-01", "--agency", "gz.yd.zjj", "--village", HK, "--kind", "new_staff",
        "--since", "2024-03-01", "--now", at)
    run("sansong", "station", "add", "zjj-02", "--agency", "gz.yd.zjj", "--village", HK, "--since", "2024-03-01",
        "--now", at)
    r["A"] = run("case", "add", "--method", "sansong", "--unit", HK, "--title", "老红军住房维修", "--channel",
                 "cadre_contact", "--set", "household=HK-05", "--requester-name", "钟户主5", "--requester-phone",
                 "13812345678", "--now", "2024-03-04T10:00", "--json").data
    d1 = run("sansong", "diary", "add", "--cadre", "zjj-01", "--household", "HK-01", "--text", "户主反映道路坑洼",
             "--now", "2024-03-05T10:00", "--json").data["id"]
    run("sansong", "diary", "sign", d1, "--by", "钟户主1", "--now", "2024-03-05T10:30")
    r["sign_again"] = run("sansong", "diary", "sign", d1, "--by", "钟户主1", "--now", "2024-03-05T10:40", ok=1)
    run("sansong", "diary", "add", "--cadre", "zjj-01", "--household", "HK-02", "--text", "了解春耕用工",
        "--now", "2024-03-06T10:00")
    r["diary_not_mine"] = run("sansong", "diary", "add", "--cadre", "zjj-02", "--household", "HK-01", "--text", "x",
                              "--now", "2024-03-06T11:00", ok=2)
    run("case", "resolve", r["A"]["id"], "--note", "已修缮", "--now", "2024-03-08T16:00")
    r["meet1"] = run("sansong", "consult", "--village", HK, "--convener", "zjj-01", "--committee", 5, "--deputies", 2,
                     "--reps", 8, "--now", "2024-03-20T19:30", "--json").data
    r["meet2"] = run("sansong", "consult", "--village", HK, "--convener", "zjj-02", "--committee", 4, "--deputies", 0,
                     "--reps", 6, "--now", "2024-03-25T19:30", "--json").data
    r["meet_bad"] = run("sansong", "consult", "--village", HK, "--convener", "zjj-03", "--committee", 5,
                        "--deputies", 2, "--reps", 8, "--now", "2024-03-26T19:30", ok=2)
    r["B"] = run("case", "add", "--method", "sansong", "--unit", HK, "--title", "村道照明", "--channel",
                 "hotline_96333", "--now", "2024-03-29T09:00", "--json").data
    run("sansong", "feedback", r["B"]["id"], "--note", "已告知", "--now", "2024-03-29T20:00")
    run("sansong", "presence", "zjj-01", "--month", "2024-03", "--days", 22, "--now", "2024-03-31T18:00")
    r["p19"] = run("sansong", "presence", "zjj-02", "--month", "2024-03", "--days", 19, "--now", "2024-03-31T18:00",
                   "--json").data
    r["p20"] = run("sansong", "presence", "zjj-01", "--month", "2024-04", "--days", 20, "--now", "2024-04-30T18:00",
                   "--json").data
    r["p_bad"] = run("sansong", "presence", "zjj-01", "--month", "2024-04", "--days", 31, "--now", "2024-04-30T18:00",
                     ok=2)
    r["p_none"] = run("sansong", "presence", "zjj-03", "--month", "2024-04", "--days", 20,
                      "--now", "2024-04-30T18:00", ok=1)
    run("case", "resolve", r["B"]["id"], "--note", "路灯已修", "--now", "2024-04-02T10:00")
    r["check_0331"] = run("sansong", "check", "--on", "2024-03-31", "--now", "2024-04-01T09:00", "--json", ok=1)
    r["check_0331"].data = json.loads(r["check_0331"].stdout)  # the gap report, printed with exit 1
    r["duties_0331"] = run("duties", "--date", "2024-03-31", "--unit", HK, "--now", "2024-04-01T09:00", "--json").data
    r["appraise_03"] = run("appraise", "--unit", HK, "--period", "2024-03", "--now", "2024-04-10T09:00",
                           "--json").data
    r["appraise_04"] = run("appraise", "--unit", HK, "--period", "2024-04", "--now", "2024-05-10T09:00",
                           "--json").data
    r["appraise_2024_may"] = run("appraise", "--unit", HK, "--period", "2024", "--now", "2024-05-10T09:00",
                                 "--json").data  # the year while it runs: the months and quarter come so far
    r["board_03"] = run("board", "--unit", HK, "--period", "2024-03", "--format", "json",
                        "--now", "2024-04-10T09:00").stdout
    r["point_early"] = run("sansong", "point", "gz.yd.zjj", "--village", "gz.yd.lt.sx", "--since", "2029-02-28",
                           "--now", at, ok=1)
    r["station_early"] = run("sansong", "station", "end", "zjj-01", "--on", "2025-02-28", "--now", at, ok=1)
    run("sansong", "station", "end", "zjj-02", "--on", "2024-06-01", "--now", "2024-06-01T09:00")
    r["households_0601"] = run("sansong", "household", "list", "--unit", HK, "--now", "2024-06-01T10:00",
                               "--json").data
    r["duties_0630"] = run("duties", "--date", "2024-06-30", "--unit", HK, "--now", "2024-07-01T09:00", "--json").data
    run("sansong", "rating", "zjj-01", "--year", 2024, "--satisfied", 40, "--basically", 6, "--unsatisfied", 4,
        "--now", "2024-12-20T09:00")
    r["rating_lt"] = run("sansong", "rating", "lt-01", "--year", 2024, "--satisfied", 30, "--basically", 10,
                         "--unsatisfied", 10, "--now", "2024-12-20T09:00", "--json").data
    r["duties_1231"] = run("duties", "--date", "2024-12-31", "--unit", HK, "--now", "2025-01-01T09:00",
                           "--json").data
    r["appraise_2024"] = run("appraise", "--unit", HK, "--period", "2024", "--now", "2025-01-10T09:00",
                             "--json").data
    r["point_later"] = run("sansong", "point", "gz.yd.zjj", "--village", "gz.yd.lt.sx", "--since", "2029-03-01",
                           "--now", at, "--json").data
    r["points_0228"] = run("sansong", "points", "--on", "2029-02-28", "--now", at, "--json").data
    r["points_0301"] = run("sansong", "points", "--on", "2029-03-01", "--now", at, "--json").data
    r["station_later"] = run("sansong", "station", "end", "zjj-01", "--on", "2025-03-01", "--now", at, "--json").data
    return r


def metric(rows, name, subject=HK):
    m = next(m for m in rows if m["metric"] == name and m["subject"] == subject and m.get("method") == "sansong")
    return m["numerator"], m["denominator"], m["value"]


def test_quotas_and_coverage_reported(s):
    gaps = sorted((g["kind"], g["subject"]) for g in s["check_0331"].data)
    assert gaps == sorted([("point_households", "zjj-02"), ("cadre_without_households", "jtj-01"),
                           ("cadre_without_households", "zjj-03"), ("household_uncovered", "SX-01")]
                          + [("household_uncovered", hh(n)) for n in range(31, 41)])
    assert next(g for g in s["check_0331"].data if g["kind"] == "point_households")["households"] == 9
    assert s["check_0331"].stderr == "error: 联系网络有 14 处缺口（干部一人不落、群众一户不漏, L142）\n"  # exit 1 while a gap remains
    assert "township_cadre" in s["link_wrong_role"].stderr


def test_five_years_and_one_year(s):
    assert "2029-03-01" in s["point_early"].stderr and "5" in s["point_early"].stderr
    assert s["point_later"]["result"] == "changed"
    # one village per unit (L137): the new pairing ends the old one the day it starts
    assert [(p["agency"], p["unit"], p["until"]) for p in s["points_0228"]] == [("gz.yd.zjj", HK, "2029-03-01")]
    assert [(p["agency"], p["unit"], p["until"]) for p in s["points_0301"]] == [("gz.yd.zjj", "gz.yd.lt.sx", None)]
    assert "2025-03-01" in s["station_early"].stderr
    assert s["station_later"]["until"] == "2025-03-01"
    hk11 = next(h for h in s["households_0601"] if h["id"] == "HK-11")
    assert hk11["cadres"] == ["zjj-02", "lt-01"]  # zjj-02 left the village 06-01, its pairing stays (L142)


def test_case_instants_in_calendar_days(s):
    assert s["c_promise"]["due_at"] == "2024-02-29T23:59:59+08:00"
    assert s["c_plain"]["due_at"] == "2024-03-04T23:59:59+08:00"
    assert "--set promised_on=2024-02-25" in s["c_early"].stderr
    a = s["A"]
    assert (a["level"], a["handler"], a["priority"], a["due_at"]) == ("cadre", "zjj-01", "high",
                                                                       "2024-03-11T23:59:59+08:00")
    b = s["B"]
    assert (b["level"], b["unit"], b["handler"], b["joint_handler"], b["due_at"]) == (
        "village", HK, "hk-01", "zjj-01", "2024-04-05T23:59:59+08:00")


def test_records(s):
    assert "signed" in s["sign_again"].stderr
    assert "not a contact cadre" in s["diary_not_mine"].stderr
    assert (s["meet1"]["valid"], s["meet2"]["valid"]) == (1, 0)
    assert "stationed" in s["meet_bad"].stderr
    assert (s["p19"]["met"], s["p20"]["met"]) == (False, True)  # 20天以上: 20 meets it
    assert "--days 31" in s["p_bad"].stderr and "not stationed" in s["p_none"].stderr
    assert s["rating_lt"]["rate"] == 0.8


def test_duties(s):
    d = sorted((x["kind"], x["subject"], x["done"]) for x in s["duties_0331"] if x["method"] == "sansong")
    assert d == [("consultation", "2024Q1", True), ("presence", "zjj-01", True), ("presence", "zjj-02", False)]
    d = sorted((x["kind"], x["subject"], x["done"]) for x in s["duties_0630"] if x["method"] == "sansong")
    assert d == [("consultation", "2024Q2", False), ("presence", "zjj-01", False)]
    d = sorted((x["kind"], x["subject"], x["done"]) for x in s["duties_1231"]
               if x["method"] == "sansong" and x["kind"] == "rating")
    assert d == [("rating", "lt-01", True), ("rating", "zjj-01", True), ("rating", "zjj-02", False)]


def test_appraisal(s):
    m = s["appraise_03"]
    assert metric(m, "cadre_solved_share") == (1, 1, 1.0)
    assert metric(m, "feedback_rate") == (1, 1, 1.0)
    assert metric(m, "household_coverage") == (30, 40, 0.75)
    assert metric(m, "cadre_quota_rate") == (2, 3, 2 / 3)
    assert metric(m, "team_size_rate") == (1, 1, 1.0)
    assert metric(m, "presence_rate") == (1, 2, 0.5)
    assert metric(m, "diary_signed_rate") == (1, 2, 0.5)
    assert metric(m, "consultation_rate") == (1, 1, 1.0)
    assert metric(m, "mass_work_satisfaction") == (0, 0, None)
    m = s["appraise_04"]
    assert metric(m, "cadre_solved_share") == (0, 1, 0.0)
    assert metric(m, "presence_rate") == (1, 2, 0.5)
    assert metric(m, "consultation_rate") == (0, 0, None)  # no quarter ends in April
    # on 2024-05-10 the year has had two stationed months (March, April: 2 cadres each; 22 and 20
    # days for zjj-01, 19 and none for zjj-02) and one quarter (Q1, held): May…December are not due
    # yet (a fresh inspector found 2/20 and 1/4: every month and quarter of the year counted)
    running = s["appraise_2024_may"]
    assert metric(running, "presence_rate") == (2, 4, 0.5)
    assert metric(running, "consultation_rate") == (1, 1, 1.0)
    y = s["appraise_2024"]
    assert metric(y, "cadre_solved_share") == (1, 2, 0.5)
    assert metric(y, "team_size_rate") == (0, 1, 0.0)  # zjj-01 alone from June
    assert metric(y, "consultation_rate") == (1, 4, 0.25)
    assert metric(y, "mass_work_satisfaction") == (86, 100, 0.86)
    assert metric(y, "mass_work_satisfaction", "zjj-01") == (46, 50, 0.92)


def test_board(s):
    doc = s["board_03"]
    boards = json.loads(doc)
    board = next(b for b in (boards if isinstance(boards, list) else boards["boards"]) if b["method"] == "sansong")
    sections = {sec["title"]: sec["rows"] for sec in board["sections"]}
    assert [r["case_id"] for r in sections["问题办理与公开承诺"]] == [
        s["c_promise"]["id"], s["c_plain"]["id"], s["A"]["id"], s["B"]["id"]]
    assert sections["问题办理与公开承诺"][0]["promised"] == "2024-02-29（公开承诺）"
    assert len(sections["联系牌"]) == 10 + 9 + 30
    assert [r["signed"] for r in sections["民情日记"]] == ["已签字（钟某）", "未签字"]
    assert [r["valid"] for r in sections["民意恳谈会"]] == ["有效", "人员不齐"]
    assert "钟户主5" not in doc and "13812345678" not in doc and "13900000001" not in doc


def test_the_casebook_quotas():
    """L137's numbers, at and beyond each bound: point 10户以上; area 2—3个村民小组、30—50户; the
    team 2—3名; L142's 5 years, 1 year, 20 days."""
    from plugins.contrib.sansong import rules
    from plugins.contrib.sansong.network import quota_ok

    def load(households, groups):
        return {"households": households, "groups": {f"g{i}" for i in range(groups)}, "units": set()}

    assert [quota_ok("point", load(n, 0)) for n in (9, 10, 11, 60)] == [False, True, True, True]
    assert [quota_ok("area", load(n, 2)) for n in (29, 30, 50, 51)] == [False, True, True, False]
    assert [quota_ok("area", load(40, g)) for g in (1, 2, 3, 4)] == [False, True, True, False]
    assert (rules.POINT_VILLAGES_PER_UNIT, rules.TEAM_MIN, rules.TEAM_MAX) == (1, 2, 3)
    assert (rules.STABLE_YEARS, rules.MANDATORY_STATION_YEARS, rules.PRESENCE_DAYS_MIN) == (5, 1, 20)
    # 村乡县市四级联动 after the contact cadre (L140); 五促进 (L138); L137's five groups; three modes
    assert [(t.name, t.level) for t in rules.TIERS] == [("cadre", "village"), ("village", "village"),
                                                       ("township", "township"), ("county", "county"),
                                                       ("city", "city_linkage")]
    assert list(rules.CATEGORIES.values()) == ["促进创业致富", "促进环境提升", "促进民生改善", "促进社会和谐", "促进基层党建"]
    assert list(rules.PRIORITY_GROUPS.values()) == ["在乡老红军", "红军失散人员", "贫困户", "信访户", "产业大户"]
    assert list(rules.MODE_ZH.values()) == ["挂点联系", "分片联系", "驻村联系"]
