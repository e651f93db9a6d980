"""wuxin's tiers and due instants through the CLI on the sample deployment (杨文社区, data/yangwen.toml),
every instant worked out by hand on China's calendar (the casebook gives no limit, L420: the
settings' defaults are grid 3 calendar days → community 5 working days → subdistrict 10 working
days, flagged there — 矛盾不上交):

* A — 1号楼, Thu 2024-09-26 10:00 (environment): grid 第一网格, its branch secretary, jointly (会办) with
  1号楼's 卫生员; 3 calendar days → Sun 09-29 23:59:59 (a 调休 working day, not that it matters for
  calendar days). Sweep Mon 09-30 00:30 → community; 5 working days after 09-30: 10-01..07 is the
  National Day holiday, so 10-08, 09, 10, 11 and Sat 10-12 (调休) → 10-12 23:59:59. Sweep Sun 10-13
  08:00 → subdistrict; 10 working days: 10-14..18, 10-21..25 → Fri 10-25 23:59:59. Sweep 10-26:
  flagged, the case stays at the subdistrict (the chain's end).
* B — 杨文社区, Wed 2024-01-31 15:00 (hotline): community; 02-01, 02-02, Sun 02-04 (调休), 02-05,
  02-06 → Tue 2024-02-06 23:59:59 (over the month end).
* C — 第二网格, Mon 2024-12-30 22:00 (dispute): grid head (no branch secretary there), 3 calendar days
  over the year end → Thu 2025-01-02 23:59:59; scope dispute, target subdistrict.
* D — 杨文街道, Tue 2024-04-30 16:00: subdistrict; Labour Day 05-01..05 off, Sat 05-11 a make-up
  day: 05-06..10, 05-11, 05-13..16 → Thu 2024-05-16 23:59:59.
* E — 1号楼, Mon 2024-06-03 17:00, about left-behind child file 1: priority high, jointly with the
  building head (left_behind maps to no officer), → Thu 06-06 23:59:59.
"""

from pathlib import Path

import pytest

from framework.testing import CountyRunner

TOML = Path(__file__).resolve().parents[1] / "plugins/contrib/wuxin/data/yangwen.toml"
G1, G2, B1 = "ly.yw.yw.g1", "ly.yw.yw.g2", "ly.yw.yw.g1.b1"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("wuxin-time") / "county.db").init(TOML, now="2024-01-01T09:00")
    return run


def add(county, unit, title, now, *extra):
    return county("case", "add", "--method", "wuxin", "--unit", unit, "--title", title, "--now", now, "--json",
                  *extra).data


def test_a_building_matter_up_the_three_tiers(county):
    a = add(county, B1, "楼道杂物乱堆放", "2024-09-26T10:00", "--channel", "building_officer",
            "--category", "environment", "--requester-name", "张三丰", "--requester-phone", "13812345678")
    assert (a["id"], a["level"], a["unit"], a["handler"], a["joint_unit"], a["joint_handler"], a["status"]) == (
        "yw-000001", "grid", G1, "yw-g1", B1, "yw-b1-3", "assigned")
    assert a["due_at"] == "2024-09-29T23:59:59+08:00"
    assert (a["extra"]["scope"], a["extra"]["target_tier"]) == ("nearby", "grid")
    assert county("sweep", "--now", "2024-09-29T23:59:59", "--json").data["actions"] == []
    assert county("sweep", "--now", "2024-09-30T00:30", "--json").data["actions"] == [
        {"case": "yw-000001", "milestone": "close", "due_at": "2024-09-29T23:59:59+08:00", "action": "escalate",
         "from": "grid", "to": "community"}]
    up = county("case", "show", "yw-000001", "--json").data
    assert (up["level"], up["unit"], up["handler"], up["joint_unit"], up["status"], up["due_at"]) == (
        "community", "ly.yw.yw", "yw-c01", None, "escalated", "2024-10-12T23:59:59+08:00")
    assert county("sweep", "--now", "2024-10-12T23:59:59", "--json").data["actions"] == []
    assert county("sweep", "--now", "2024-10-13T08:00", "--json").data["actions"][0]["to"] == "subdistrict"
    top = county("case", "show", "yw-000001", "--json").data
    assert (top["level"], top["unit"], top["handler"], top["due_at"]) == (
        "subdistrict", "ly.yw", "yw-01", "2024-10-25T23:59:59+08:00")
    # 矛盾不上交: the chain ends at the subdistrict, so the miss is a flag (督办), not a move
    assert county("sweep", "--now", "2024-10-26T08:00", "--json").data["actions"] == [
        {"case": "yw-000001", "milestone": "close", "due_at": "2024-10-25T23:59:59+08:00", "action": "flag",
         "from": "subdistrict", "to": "subdistrict"}]
    assert county("case", "escalate", "yw-000001", "--now", "2024-10-26T09:00", ok=1).exit_code == 1
    county("case", "resolve", "yw-000001", "--note", "街道协调清运", "--now", "2024-10-28T10:00")


def test_month_end_and_a_sunday_make_up_day(county):
    b = add(county, "ly.yw.yw", "咨询临时救助政策", "2024-01-31T15:00", "--channel", "hotline",
            "--category", "consultation")
    assert (b["id"], b["level"], b["unit"], b["handler"], b["due_at"]) == (
        "yw-000002", "community", "ly.yw.yw", "yw-c01", "2024-02-06T23:59:59+08:00")
    assert (b["extra"]["scope"], b["extra"]["target_tier"]) == ("small", "community")
    county("case", "resolve", "yw-000002", "--note", "已答复", "--now", "2024-02-05T10:00")
    fed = county("wuxin", "feedback", "yw-000002", "--note", "已电话告知", "--now", "2024-02-06T09:00", "--json").data
    assert fed["status"] == "resolved"


def test_year_end_and_a_dispute(county):
    c = add(county, G2, "邻里漏水纠纷", "2024-12-30T22:00", "--channel", "home_visit", "--category", "dispute")
    assert (c["id"], c["level"], c["unit"], c["handler"], c["joint_unit"], c["due_at"]) == (
        "yw-000003", "grid", G2, "yw-g2", None, "2025-01-02T23:59:59+08:00")
    assert (c["extra"]["scope"], c["extra"]["target_tier"]) == ("dispute", "subdistrict")
    r = county("wuxin", "feedback", "yw-000003", "--note", "x", "--now", "2024-12-31T09:00", ok=1)
    assert "case yw-000003 is still open (assigned); feed back once it is resolved" in r.stderr


def test_a_big_matter_at_the_subdistrict_over_labour_day(county):
    d = add(county, "ly.yw", "老旧小区改造", "2024-04-30T16:00", "--channel", "service_hall", "--category", "hardship")
    assert (d["id"], d["level"], d["unit"], d["handler"], d["due_at"]) == (
        "yw-000004", "subdistrict", "ly.yw", "yw-01", "2024-05-16T23:59:59+08:00")
    assert (d["extra"]["scope"], d["extra"]["target_tier"], d["priority"]) == ("big", "subdistrict", None)
    county("case", "resolve", "yw-000004", "--note", "纳入改造计划", "--now", "2024-05-10T10:00")


def test_a_left_behind_childs_matter_goes_first(county):
    e = add(county, "ly.yw.yw.g1.b1", "留守儿童放学无人接", "2024-06-03T17:00", "--set", "file=1",
            "--category", "left_behind", "--channel", "care_pair")
    assert (e["id"], e["priority"], e["extra"]["file"], e["joint_handler"]) == ("yw-000005", "high", 1, "yw-b1-2")
    assert e["due_at"] == "2024-06-06T23:59:59+08:00"  # Mon 06-03 + 3 calendar days


def test_bad_input_is_refused_in_one_line(county):
    r = county("case", "add", "--method", "wuxin", "--unit", "ly", "--title", "x", "--now", "2024-06-03T10:00", ok=2)
    assert "a wuxin case is taken in by a building, grid or community" in r.stderr and r.stderr.count("\n") == 1
    r = county("case", "add", "--method", "wuxin", "--unit", G1, "--title", "x", "--set", "scope=huge",
               "--now", "2024-06-03T10:00", ok=2)
    assert "--set scope=huge: one of nearby, small, big, dispute" in r.stderr
    r = county("case", "add", "--method", "wuxin", "--unit", G1, "--title", "x", "--set", "file=99",
               "--now", "2024-06-03T10:00", ok=2)
    assert "file 99: no such left-behind file" in r.stderr
    assert county("case", "list", "--method", "wuxin", "--json").data[-1]["id"] == "yw-000005"


def test_the_slogan_kept_in_2024(county):
    """Resolved in 2024: A at the subdistrict (target grid: not kept), B at the community (kept), D at
    the subdistrict (a big matter: kept) → 2 / 3; C is still open. Of the three, B was fed back."""
    metrics = county("appraise", "--unit", "ly.yw", "--period", "2024", "--now", "2025-01-05T09:00", "--json").data
    kept = next(m for m in metrics if m["metric"] == "slogan_kept_rate" and m["subject"] == "ly.yw")
    assert (kept["numerator"], kept["denominator"]) == (2, 3)
    fed = next(m for m in metrics if m["metric"] == "feedback_rate" and m["subject"] == "ly.yw")
    assert (fed["numerator"], fed["denominator"]) == (1, 3)  # B was fed back (工作反馈, L418)
    share = {m["tier"]: (m["numerator"], m["denominator"]) for m in metrics
             if m["metric"] == "share_settled" and m["subject"] == "ly.yw" and m["method"] == "wuxin"}
    assert share["subdistrict"] == (2, 3) and share["community"] == (1, 3)
