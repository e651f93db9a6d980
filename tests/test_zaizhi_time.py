"""zaizhi's due instants through the CLI on the sample deployment (plugins/contrib/zaizhi/data/
youyilu.toml), every one worked out by hand (times +08:00). Calendar facts used: 2024-10-01..07
National Day holiday, Sunday 09-29 and Saturday 10-12 make-up working days; 2024-02-10..17
Spring Festival, Sunday 02-18 a make-up working day; 2024-09-15..17 Mid-Autumn holiday.

* a request for a claimed post (post 1, 家电维修 at 宝林三村, served monthly on the 5th, L397) is
  due at the end of the post's next service day — a calendar date, holiday or not;
* any other request: the residential area's answer within 7 calendar days (``answer_days``),
  then the subdistrict's within 10 working days (``subdistrict_days``), then flagged.
"""

from pathlib import Path

import pytest

import plugins.contrib.zaizhi
from framework.testing import CountyRunner

TOML = (Path(plugins.contrib.zaizhi.__file__).parent / "data" / "youyilu.toml").read_text(encoding="utf-8")


def make(tmp_path_factory, name, toml=TOML):
    return CountyRunner(tmp_path_factory.mktemp(name) / "county.db").init(toml, now="2024-09-01T09:00")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return make(tmp_path_factory, "zaizhi-time")


def add(run, now, unit="bs.yyl.bl3", category="appliance", *sets, channel="service_point", title="洗衣机不转"):
    args = ["case", "add", "--method", "zaizhi", "--unit", unit, "--title", title, "--channel", channel,
            "--category", category, "--now", now, "--json"]
    for kv in sets:
        args += ["--set", kv]
    return run(*args).data


@pytest.mark.parametrize("now, due", [
    ("2024-09-30T10:00", "2024-10-05T23:59:59+08:00"),   # Mon → Sat 10-05, a holiday: the date stands
    ("2024-10-05T21:00", "2024-10-05T23:59:59+08:00"),   # on the service day itself
    ("2024-10-26T10:00", "2024-11-05T23:59:59+08:00"),   # past the 5th: next month
    ("2024-12-06T08:00", "2025-01-05T23:59:59+08:00"),   # over the year's end
])
def test_a_post_request_is_due_on_the_posts_next_service_day(run, now, due):
    c = add(run, now, "bs.yyl.bl3", "appliance", "post=1")
    assert (c["level"], c["unit"], c["handler"], c["due_at"]) == ("area", "bs.yyl.bl3", "m3", due)


def test_a_post_kind_request_finds_the_claimed_post(run):
    # no --set post: triage finds 宝林三村's claimed 家电维修 post (1), its member m3 serves it
    c = add(run, "2024-10-28T20:00", "bs.yyl.bl3.z1", "appliance")
    assert (c["extra"]["post"], c["handler"], c["unit"], c["due_at"]) == (1, "m3", "bs.yyl.bl3",
                                                                          "2024-11-05T23:59:59+08:00")
    # 法律咨询 at 宝林三村 is unclaimed: the area's secretary answers within 7 days (month end)
    c = add(run, "2024-10-28T15:00", "bs.yyl.bl3", "legal", title="物业合同咨询")
    assert (c.get("extra", {}).get("post"), c["handler"], c["due_at"]) == (None, "bl3-01", "2024-11-04T23:59:59+08:00")


def test_answer_then_subdistrict_then_flag(run):
    # Sat 09-28 (a rest day; 09-29 is the make-up day) + 7 calendar days → Sat 10-05
    c = add(run, "2024-09-28T10:00", "bs.yyl.yx", "tutor_carer", channel="forum", title="为老人找保姆")
    assert (c["handler"], c["due_at"]) == ("yx-01", "2024-10-05T23:59:59+08:00")
    run("sweep", "--now", "2024-10-05T23:00")
    assert run("case", "show", c["id"], "--json").data["level"] == "area"
    run("sweep", "--now", "2024-10-06T00:30")
    s = run("case", "show", c["id"], "--json").data
    # 10 working days after Sun 10-06: 10-08, 09, 10, 11, 12 (Sat, 调休), 14, 15, 16, 17, 18
    assert (s["level"], s["unit"], s["handler"], s["due_at"]) == ("subdistrict", "bs.yyl", "yyl-01",
                                                                  "2024-10-18T23:59:59+08:00")
    run("sweep", "--now", "2024-10-19T00:30")
    s = run("case", "show", c["id"], "--json").data
    assert (s["level"], s["status"]) == ("subdistrict", "escalated")
    assert [e["data"]["milestone"] for e in s["events"] if e["type"] == "overdue"] == ["answer", "answer"]


def test_bad_requests_are_refused_naming_what(run):
    r = run("case", "add", "--method", "zaizhi", "--unit", "bs.yyl", "--title", "x", "--now", "2024-10-08T10:00", ok=2)
    assert "--unit bs.yyl" in r.stderr and "residential area" in r.stderr
    r = run("case", "add", "--method", "zaizhi", "--unit", "bs.yyl.yx", "--title", "x", "--set", "post=1",
            "--now", "2024-10-08T10:00", ok=2)
    assert "--set post=1" in r.stderr and "宝林三村" in r.stderr
    r = run("case", "add", "--method", "zaizhi", "--unit", "bs.yyl.yx", "--title", "x", "--set", "to_employer=yes",
            "--now", "2024-10-08T10:00", ok=2)
    assert "--set member" in r.stderr


WORKING = TOML.replace('answer_day_kind = "calendar"', 'answer_day_kind = "working"').replace(
    "answer_days = 7 ", "answer_days = 3 ").replace('holiday_shift = "keep"', 'holiday_shift = "next_working_day"')


def test_working_day_answers_and_shifted_calendar(tmp_path_factory):
    run = make(tmp_path_factory, "zaizhi-working", WORKING)
    # 3 working days after Mon 09-30: 10-08, 10-09, 10-10
    c = add(run, "2024-09-30T10:00", "bs.yyl.yx", "community_policy", channel="forum", title="政策咨询")
    assert c["due_at"] == "2024-10-10T23:59:59+08:00"
    # after Fri 10-11: Sat 10-12 (调休), 10-14, 10-15
    c = add(run, "2024-10-11T16:00", "bs.yyl.yx", "community_policy", channel="forum", title="政策咨询")
    assert c["due_at"] == "2024-10-15T23:59:59+08:00"
    days = run("zaizhi", "calendar", "--year", "2024", "--json").data
    # 02-15 (Spring Festival) → Sun 02-18 (调休); 06-15 Sat → 06-17; 09-15 (Mid-Autumn) → 09-18; 12-15 Sun → 12-16
    assert [d["date"] for d in days] == ["2024-01-10", "2024-02-18", "2024-03-15", "2024-04-10", "2024-05-15",
                                         "2024-06-17", "2024-07-10", "2024-08-15", "2024-09-18", "2024-10-10",
                                         "2024-11-15", "2024-12-16"]
    assert all(d["working_day"] for d in days)


def test_the_calendar_as_the_source_gives_it(run):
    days = run("zaizhi", "calendar", "--year", "2025", "--json").data
    assert [(d["date"], d["kind"]) for d in days] == [
        ("2025-01-10", "study"), ("2025-02-15", "group_day"), ("2025-03-15", "group_day"),
        ("2025-04-10", "study"), ("2025-05-15", "group_day"), ("2025-06-15", "group_day"),
        ("2025-07-10", "study"), ("2025-08-15", "group_day"), ("2025-09-15", "group_day"),
        ("2025-10-10", "study"), ("2025-11-15", "group_day"), ("2025-12-15", "group_day")]
    # 2025-02-15 Sat, 03-15 Sat, 06-15 Sun, 11-15 Sat: kept ('keep'), shown as non-working days
    assert [d["date"] for d in days if not d["working_day"]] == ["2025-02-15", "2025-03-15", "2025-06-15",
                                                                "2025-11-15"]
