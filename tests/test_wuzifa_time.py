"""wuzifa's time limits through the CLI, on the sample deployment (plugins/contrib/wuzifa/data/jiahe.toml).
The casebook gives none (L61: 数月); the defaults are the settings', every instant computed by hand:

* a project / large-sum matter taken in Tue 2024-10-08 10:00 (after the National Day holiday
  10-01..07) has 5 working days to be fed back: 10-09, 10-10, 10-11, **Sat 10-12 (调休 make-up
  working day)**, Mon 10-14 → due 2024-10-14T23:59:59+08:00 (10-15 without the make-up day);
  the sweep of 10-15 00:00:01 passes it to the higher level, 15 working days from Tue 10-15:
  10-16..18 (3), 10-21..25 (8), 10-28..31 (12), 11-01 (13), 11-04 (14), 11-05 (15) → 2024-11-05T23:59:59;
* a small matter taken in Tue 2024-02-27 15:00 has 3 calendar days: 02-28, **02-29** (leap year),
  03-01 → due 2024-03-01T23:59:59+08:00 (month end crossed); one taken in Fri 2024-10-11 → Sat, Sun,
  Mon → 2024-10-14T23:59:59 (calendar days count weekends);
* a collective dispute taken in 2024-10-08 09:00 has 90 calendar days: 23 days to 10-31, 30 in
  November, 31 in December, 6 in January → 2025-01-06T23:59:59+08:00, then 督办 (flag, stays);
* a project fed back in time meets its milestone; 15 working days from Thu 2024-09-26 (the 9-29
  Sunday make-up day counted, the holiday not) — see test_feedback_before_the_limit.
"""

from pathlib import Path

import pytest

TOML = Path(__file__).resolve().parents[1] / "plugins" / "contrib" / "wuzifa" / "data" / "jiahe.toml"


def add(run, now, *args):
    return run("case", "add", "--method", "wuzifa", "--unit", "jc.jh.zh", "--now", now, "--json", *args).data


@pytest.fixture(scope="module")
def county(county_module):
    run = county_module(TOML)
    run.cases = {
        "project": add(run, "2024-10-08T10:00", "--title", "村组道路硬化缺资金", "--set", "amount=200000",
                       "--set", "department=jc.zjj"),
        "leap": add(run, "2024-02-27T15:00", "--title", "灌溉沟渠堵塞"),
        "weekend": add(run, "2024-10-11T15:00", "--title", "路灯不亮", "--category", "small_matter"),
        "dispute": add(run, "2024-10-08T09:00", "--title", "土地租赁纠纷", "--category", "collective_dispute",
                       "--channel", "work_group"),
        "early": add(run, "2024-09-26T10:00", "--title", "危房改造", "--set", "project=yes"),
    }
    return run


def test_project_matter_counts_the_make_up_saturday(county):
    c = county.cases["project"]
    assert (c["category"], c["level"], c["unit"], c["handler"], c["status"]) == (
        "project_funding", "work_group", "jc.jh", "jh-bai", "assigned")
    assert c["due_at"] == "2024-10-14T23:59:59+08:00"


def test_small_matter_crosses_the_leap_day_and_the_month_end(county):
    c = county.cases["leap"]
    assert (c["category"], c["due_at"]) == ("small_matter", "2024-03-01T23:59:59+08:00")
    assert county.cases["weekend"]["due_at"] == "2024-10-14T23:59:59+08:00"
    assert county("sweep", "--now", "2024-03-01T23:59:59", "--json").data["actions"] == []
    acts = county("sweep", "--now", "2024-03-02T00:00:01", "--json").data["actions"]
    assert [(a["case"], a["milestone"], a["due_at"], a["to"]) for a in acts] == [
        (c["id"], "help", "2024-03-01T23:59:59+08:00", "higher_level")]
    # 15 working days from Sat 03-02: 03-04..08 (5), 03-11..15 (10), 03-18..22 (15)
    up = county("case", "show", c["id"], "--now", "2024-03-02T00:00:01", "--json").data
    assert (up["level"], up["unit"], up["due_at"]) == ("higher_level", "jc", "2024-03-22T23:59:59+08:00")


def test_dispute_has_ninety_calendar_days_and_priority_high(county):
    c = county.cases["dispute"]
    assert (c["priority"], c["level"], c["unit"], c["handler"]) == ("high", "work_group", "jc.jh", "jh-bai")
    assert c["due_at"] == "2025-01-06T23:59:59+08:00"


def test_feedback_before_the_limit(county):
    # Thu 09-26 10:00 + 5 working days: 09-27 (1), Sun 09-29 make-up (2), 09-30 (3), 10-08 (4), 10-09 (5)
    assert county.cases["early"]["due_at"] == "2024-10-09T23:59:59+08:00"
    c = county("wuzifa", "feedback", county.cases["early"]["id"], "--note", "反馈县住建局争取危房改造项目",
               "--department", "jc.zjj", "--now", "2024-09-27T09:00", "--json").data
    # 15 working days from Fri 09-27: 09-29 (1), 09-30 (2), 10-08..11 (6), 10-12 (7), 10-14..18 (12),
    # 10-21..23 (15) → 10-23
    assert (c["level"], c["unit"], c["handler"], c["status"], c["due_at"]) == (
        "higher_level", "jc.zjj", "zjj-he", "escalated", "2024-10-23T23:59:59+08:00")
    shown = county("case", "show", c["id"], "--now", "2024-09-27T09:00", "--json").data
    assert [e["type"] for e in shown["events"]][-3:] == ["fed_back", "escalated", "assigned"]
    again = county("wuzifa", "feedback", c["id"], "--note", "再次反馈", "--now", "2024-09-28T09:00", ok=1)
    assert "only an open problem at the work group" in again.stderr


def test_sweeps_pass_the_late_project_up_and_flag_nothing_early(county):
    # only the leap-day matter's higher-level answer (due 03-22) is flagged: nothing of October yet
    acts = county("sweep", "--now", "2024-10-14T23:59:59", "--json").data["actions"]
    assert [(a["case"], a["milestone"], a["action"]) for a in acts] == [(county.cases["leap"]["id"], "answer", "flag")]
    acts = county("sweep", "--now", "2024-10-15T00:00:01", "--json").data["actions"]
    assert [(a["case"], a["milestone"], a["action"], a["from"], a["to"]) for a in acts] == [
        (county.cases["project"]["id"], "feedback", "escalate", "work_group", "higher_level"),
        (county.cases["weekend"]["id"], "help", "escalate", "work_group", "higher_level")]
    c = county("case", "show", county.cases["project"]["id"], "--now", "2024-10-15T00:00:01", "--json").data
    assert (c["level"], c["unit"], c["handler"], c["due_at"]) == (
        "higher_level", "jc.zjj", "zjj-he", "2024-11-05T23:59:59+08:00")
    # the small matter has no department: the county above, where nobody holds department_staff
    w = county("case", "show", county.cases["weekend"]["id"], "--now", "2024-10-15T00:00:01", "--json").data
    assert (w["unit"], w["handler"]) == ("jc", None)


def test_dispute_is_flagged_not_passed_up(county):
    dispute = county.cases["dispute"]["id"]
    early = county("sweep", "--now", "2025-01-06T23:59:59", "--json").data["actions"]
    assert [a for a in early if a["case"] == dispute] == []
    acts = county("sweep", "--now", "2025-01-07T00:00:01", "--json").data["actions"]
    mine = [a for a in acts if a["case"] == dispute]
    assert [(a["milestone"], a["action"], a["due_at"]) for a in mine] == [
        ("settle", "flag", "2025-01-06T23:59:59+08:00")]
    c = county("case", "show", county.cases["dispute"]["id"], "--now", "2025-01-07T00:00:01", "--json").data
    assert (c["level"], c["status"]) == ("work_group", "assigned")
