"""sansong (赣州三送, casebook L130–165) through the CLI on its sample deployment
(plugins/contrib/sansong/data/ganzhou.toml) with ``day_kind = "working"``: the contact cadre,
then the four-level linkage 村 → 乡 → 县 → 市 (L140), the 96333 hotline's grades and feedback,
the public promise. Every instant is worked out by hand (+08:00; 2024: Sunday 09-29 and
Saturday 10-12 are make-up working days, 10-01..07 the National Day holiday; 2025: 01-01 off,
Sunday 01-26 and Saturday 02-08 make-up days, 01-28..02-04 the Spring Festival):

* A — HK-01 (a poor household, L137: priority high), Mon 09-30 10:00 by its point cadre zjj-01,
  "村组道路硬化" (→ 促进环境提升, L138). cadre 7 working days: 10-08, 09, 10, 11, 12 (make-up), 14,
  15 → due 10-15 23:59:59. Sweep at that instant: nothing; sweep 10-16 08:00 → village: 肖支书
  (hk-01), jointly the stationed cadre zjj-01 (驻村不取代, L155); 7 working days 10-17, 18, 21..25
  → 10-25. Sweep Sat 10-26 09:00 → township 谢干部 (lt-01), joint pair cleared; 15 working days
  10-28..31, 11-01, 11-04..08, 11-11..15 → 11-15. Sweep Sat 11-16 09:00 → county 邱干部 (yd-01); 30
  working days 11-18 … 12-27 → 12-27. Sweep Sat 12-28 09:00 → city: the linkage desk 市级联动办
  (gz.sdb), 温干部 (gz-01); 30 working days 12-30, 31, 01-02, 03, 01-06..10, 13..17, 20..24, 26
  (make-up Sunday), 27, 02-05, 06, 07, 08 (make-up Saturday), 02-10..14 → 2025-02-14. Sweep
  2025-02-15 09:00: flagged (督办), the end of the chain.
* B — 96333 at the township 莲塘镇, Sat 10-12 16:30 (a make-up working day), "邻里宅基地纠纷"
  (→ 促进社会和谐): graded township (分级承办), lt-01; 15 working days 10-14..18, 21..25,
  10-28..31, 11-01 → 11-01; feedback 24 hours → 10-13 16:30 exactly; fed back 10-13 09:00: met.
  B2, the same call unanswered: its feedback flagged by a sweep at 16:31, not at 16:30.
* C — 96333 at 禾坑村 graded county, Tue 10-08 09:00: yd-01; 30 working days 10-09 … 11-18 →
  11-18; no feedback: due 10-09 09:00, flagged by the first sweep after (10-13 16:30).
* E — HK-02 Fri 09-27 16:00 promised for 10-08 (公开承诺, L140): due 10-08 (without the promise
  7 working days 09-29 (make-up Sunday), 09-30, 10-08, 09, 10, 11, 12 → 10-12, as F shows);
  re-promised 10-08 09:00 for 10-10 → due 10-10; resolved 10-10 15:00 at tier cadre.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import plugins.contrib.sansong
from framework.testing import CountyRunner

TOML = (Path(plugins.contrib.sansong.__file__).parent / "data" / "ganzhou.toml").read_text(encoding="utf-8")


def add(run, now, unit, title, *sets, channel="cadre_contact", ok=0):
    args = ["case", "add", "--method", "sansong", "--unit", unit, "--title", title, "--channel", channel,
            "--requester-name", "钟大明", "--requester-phone", "13800000001", "--now", now, "--json"]
    for kv in sets:
        args += ["--set", kv]
    return run(*args, ok=ok)


def show(run, case_id):
    return run("case", "show", case_id, "--json").data


def sweep(run, now, case_id):
    return [a for a in run("sweep", "--now", now, "--json").data["actions"] if a["case"] == case_id]


@pytest.fixture(scope="module")
def s(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sansong-time")
    run = CountyRunner(tmp / "county.db").init(TOML.replace('day_kind = "calendar"', 'day_kind = "working"'))
    at = "2024-09-01T09:00"
    listed = run("sansong", "household", "list", "--now", at, "--json").data
    checked = json.loads(run("sansong", "check", "--unit", "gz.yd.lt.hk", "--now", at, "--json", ok=1).stdout)  # exit 1: gaps
    # the same network again through the commands: nothing changes
    run("sansong", "household", "add", "HK-01", "--village", "gz.yd.lt.hk", "--head", "钟大明",
        "--group", "gz.yd.lt.hk.g1", "--kind", "poor", "--now", at)
    run("sansong", "household", "add", "HK-02", "--village", "gz.yd.lt.hk", "--head", "曾小花",
        "--group", "gz.yd.lt.hk.g1", "--now", at)
    run("sansong", "link", "add", "zjj-01", "HK-01", "HK-02", "--mode", "point", "--since", "2024-09-01", "--now", at)
    run("sansong", "station", "add", "zjj-01", "--agency", "gz.yd.zjj", "--village", "gz.yd.lt.hk",
        "--kind", "new_staff", "--since", "2024-09-01", "--now", at)
    r = {"run": run, "listed": listed, "checked": checked}
    r["E"] = add(run, "2024-09-27T16:00", "gz.yd.lt.hk", "危房漏雨", "household=HK-02", "promised_on=2024-10-08").data
    r["F"] = add(run, "2024-09-27T16:00", "gz.yd.lt.hk", "低保政策咨询", "household=HK-02").data
    r["A"] = add(run, "2024-09-30T10:00", "gz.yd.lt.hk", "村组道路硬化", "household=HK-01").data
    r["C"] = add(run, "2024-10-08T09:00", "gz.yd.lt.hk", "跨县客运班线", "grade=county", channel="hotline_96333").data
    r["E_promise"] = run("sansong", "promise", r["E"]["id"], "--on", "2024-10-10", "--now", "2024-10-08T09:00",
                         "--json").data
    run("case", "resolve", r["E"]["id"], "--note", "已修缮", "--now", "2024-10-10T15:00")
    r["B"] = add(run, "2024-10-12T16:30", "gz.yd.lt", "邻里宅基地纠纷", channel="hotline_96333").data
    r["B_fed"] = run("sansong", "feedback", r["B"]["id"], "--note", "已告知调解安排", "--now", "2024-10-13T09:00",
                     "--json").data
    r["B_fed_again"] = run("sansong", "feedback", r["B"]["id"], "--note", "again", "--now", "2024-10-13T10:00", ok=1)
    r["B2"] = add(run, "2024-10-12T16:30", "gz.yd.lt", "村道照明", channel="hotline_96333").data
    r["sweep_1013_at"] = run("sweep", "--now", "2024-10-13T16:30", "--json").data["actions"]
    r["sweep_1013_after"] = run("sweep", "--now", "2024-10-13T16:31", "--json").data["actions"]
    r["sweep_1015"] = sweep(run, "2024-10-15T23:59:59", r["A"]["id"])
    r["sweep_1016"] = run("sweep", "--now", "2024-10-16T08:00", "--json").data["actions"]
    r["A_village"] = show(run, r["A"]["id"])
    r["sweep_1026"] = sweep(run, "2024-10-26T09:00", r["A"]["id"])
    r["A_township"] = show(run, r["A"]["id"])
    r["sweep_1116"] = sweep(run, "2024-11-16T09:00", r["A"]["id"])
    r["A_county"] = show(run, r["A"]["id"])
    r["sweep_1228"] = sweep(run, "2024-12-28T09:00", r["A"]["id"])
    r["A_city"] = show(run, r["A"]["id"])
    r["sweep_0215"] = sweep(run, "2025-02-15T09:00", r["A"]["id"])
    r["A_end"] = show(run, r["A"]["id"])
    return r


def test_the_county_file_loads_the_network(s):
    """[[sansong.households]], points, links, stations of data/ganzhou.toml, loaded by county init."""
    assert [(h["id"], h["kind"], h["cadres"]) for h in s["listed"]] == [("HK-01", "poor", ["zjj-01"]),
                                                                        ("HK-02", None, ["zjj-01"])]
    # zjj-01's 2 point households are short of 10户以上 (L137); a team of 1 is short of 2—3名
    assert sorted((g["kind"], g["subject"]) for g in s["checked"]) == [("point_households", "zjj-01"),
                                                                       ("team_size", "gz.yd.zjj")]


def test_a_contact_cadre_case_starts_at_its_cadre(s):
    a = s["A"]
    assert (a["level"], a["unit"], a["handler"], a["priority"], a["category"], a["status"]) == (
        "cadre", "gz.yd.lt.hk", "zjj-01", "high", "environment", "assigned")
    assert a["due_at"] == "2024-10-15T23:59:59+08:00"  # 10-12 (调休 Saturday) counts; 10-01..07 do not
    assert s["F"]["due_at"] == "2024-10-12T23:59:59+08:00"  # 09-29 (调休 Sunday) is the first working day


def test_four_level_linkage_exact_instants(s):
    assert s["sweep_1015"] == []  # not past due at the due instant itself
    a_up = [x for x in s["sweep_1016"] if x["case"] == s["A"]["id"]]
    assert a_up == [{"case": s["A"]["id"], "milestone": "close", "due_at": "2024-10-15T23:59:59+08:00",
                     "action": "escalate", "from": "cadre", "to": "village"}]
    v = s["A_village"]
    assert (v["level"], v["unit"], v["handler"], v["joint_handler"], v["due_at"]) == (
        "village", "gz.yd.lt.hk", "hk-01", "zjj-01", "2024-10-25T23:59:59+08:00")
    assert [(x["from"], x["to"]) for x in s["sweep_1026"]] == [("village", "township")]
    t = s["A_township"]
    assert (t["unit"], t["handler"], t["joint_handler"], t["due_at"]) == (
        "gz.yd.lt", "lt-01", None, "2024-11-15T23:59:59+08:00")
    assert [(x["from"], x["to"]) for x in s["sweep_1116"]] == [("township", "county")]
    c = s["A_county"]
    assert (c["unit"], c["handler"], c["due_at"]) == ("gz.yd", "yd-01", "2024-12-27T23:59:59+08:00")
    assert [(x["from"], x["to"]) for x in s["sweep_1228"]] == [("county", "city")]
    city = s["A_city"]
    assert (city["level"], city["unit"], city["handler"], city["due_at"]) == (
        "city", "gz.sdb", "gz-01", "2025-02-14T23:59:59+08:00")
    assert s["sweep_0215"] == [{"case": s["A"]["id"], "milestone": "close", "due_at": "2025-02-14T23:59:59+08:00",
                                "action": "flag", "from": "city", "to": "city"}]
    assert (s["A_end"]["level"], s["A_end"]["status"]) == ("city", "escalated")


def test_hotline_grades_and_feedback(s):
    b = s["B"]
    assert (b["level"], b["unit"], b["handler"], b["category"], b["extra"]["grade"]) == (
        "township", "gz.yd.lt", "lt-01", "harmony", "township")
    assert b["due_at"] == "2024-11-01T23:59:59+08:00"
    assert [e["type"] for e in show(s["run"], b["id"])["events"]].count("fed_back") == 1
    assert "feedback" in s["B_fed_again"].stderr  # met already: nothing pending (exit 1)
    # B2, not fed back: due 24 hours after 10-12 16:30 exactly; B (fed back) is never flagged
    c = s["C"]
    assert sorted(s["sweep_1013_at"], key=lambda x: x["case"]) == [
        {"case": s["F"]["id"], "milestone": "close", "due_at": "2024-10-12T23:59:59+08:00", "action": "escalate",
         "from": "cadre", "to": "village"},  # F: the make-up Saturday was its 7th working day
        {"case": c["id"], "milestone": "feedback", "due_at": "2024-10-09T09:00:00+08:00", "action": "flag",
         "from": "county", "to": "county"}]
    assert s["sweep_1013_after"] == [
        {"case": s["B2"]["id"], "milestone": "feedback", "due_at": "2024-10-13T16:30:00+08:00", "action": "flag",
         "from": "township", "to": "township"}]
    assert (c["level"], c["unit"], c["handler"], c["due_at"]) == ("county", "gz.yd", "yd-01",
                                                                  "2024-11-18T23:59:59+08:00")


def test_a_grade_below_the_unit_is_refused(s):
    r = add(s["run"], "2024-10-14T09:00", "gz.yd", "路灯", "grade=village", channel="hotline_96333", ok=2)
    assert "--set grade=village" in r.stderr and "于都县" in r.stderr
    r = add(s["run"], "2024-10-14T09:00", "gz.yd.lt.hk", "路灯", "grade=province", channel="hotline_96333", ok=2)
    assert "--set grade='province'" in r.stderr
    r = add(s["run"], "2024-10-14T09:00", "gz.yd.lt.hk", "路灯", "household=HK-01", "diary=99", ok=2)
    assert "--set diary=99: no such diary entry" in r.stderr
    r = add(s["run"], "2024-10-14T09:00", "gz.yd", "路灯", "cadre=zjj-01", ok=2)  # not within a village
    assert "--unit gz.yd" in r.stderr


def test_the_public_promise(s):
    e = s["E"]
    assert (e["level"], e["due_at"], e["extra"]["promised_on"]) == ("cadre", "2024-10-08T23:59:59+08:00",
                                                                      "2024-10-08")
    p = s["E_promise"]
    assert (p["due_at"], p["extra"]["promised_on"]) == ("2024-10-10T23:59:59+08:00", "2024-10-10")
    done = show(s["run"], e["id"])
    assert (done["status"], done["resolved_level"]) == ("resolved", "cadre")
    types = [ev["type"] for ev in done["events"]]
    assert (types.count("promised"), types.count("due_changed"), types.count("overdue")) == (1, 1, 0)
