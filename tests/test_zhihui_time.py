"""zhihui's due instants through the CLI on the sample deployment (plugins/contrib/zhihui/data/
yongning.toml), every instant worked out by hand. The source states no limit (L399–410): the
limits are the settings grid_days 3, community_days 5, subdistrict_days 10, counted in calendar
days (the sample) or, with day_kind = "working", on China's calendar — 2024: National Day
10-01..07, make-up working days Sunday 09-29 and Saturday 10-12 (调休)."""

from pathlib import Path

import pytest

SAMPLE = (Path(__file__).resolve().parents[1] / "plugins/contrib/zhihui/data/yongning.toml").read_text(encoding="utf-8")
WORKING = SAMPLE.replace('day_kind = "calendar"', 'day_kind = "working"')
W1, W2, YG = "yn.yh.yg.w1", "yn.yh.yg.w2", "yn.yh.yg"


def add(county, unit, title, now, *sets, category="repair", channel="grid"):
    args = ["case", "add", "--method", "zhihui", "--unit", unit, "--title", title, "--channel", channel,
            "--category", category, "--now", now, "--json"]
    for s in sets:
        args += ["--set", s]
    return county(*args).data


@pytest.fixture(scope="module")
def calendar_county(county_module):
    return county_module(SAMPLE)


@pytest.fixture(scope="module")
def working_county(county_module):
    return county_module(WORKING, name="working.toml")


def test_calendar_days_over_month_end_and_national_day(calendar_county):
    county = calendar_county
    # Fri 2024-09-27 10:00 in 第一网格: 3 calendar days 09-28, 29, 30 → the month's last second
    a = add(county, W1, "楼道灯不亮", "2024-09-27T10:00")
    assert (a["id"], a["level"], a["unit"], a["handler"], a["status"], a["due_at"]) == (
        "yn-000001", "grid", W1, "w1", "assigned", "2024-09-30T23:59:59+08:00")
    assert county("sweep", "--now", "2024-09-30T23:59:59", "--json").data["actions"] == []
    # 事不出格 missed: the sweep of 10-01 08:00 sends it to 阳光社区's grid management centre (网格管理员 c3);
    # 5 calendar days from 10-01 count through the holiday: 10-02 … 10-06
    assert county("sweep", "--now", "2024-10-01T08:00", "--json").data["actions"] == [
        {"case": "yn-000001", "milestone": "close", "due_at": "2024-09-30T23:59:59+08:00", "action": "escalate",
         "from": "grid", "to": "community"}]
    up = county("case", "show", "yn-000001", "--json").data
    assert (up["level"], up["unit"], up["handler"], up["due_at"]) == ("community", YG, "c3", "2024-10-06T23:59:59+08:00")
    # then the subdistrict (杨和街道, the community's 督导员 c1): 10 days from 10-07 08:00 → 10-17
    county("sweep", "--now", "2024-10-07T08:00")
    up = county("case", "show", "yn-000001", "--json").data
    assert (up["level"], up["unit"], up["handler"], up["due_at"]) == ("subdistrict", "yn.yh", "c1",
                                                                      "2024-10-17T23:59:59+08:00")
    # the end of the chain: flagged (督办), the case stays
    assert county("sweep", "--now", "2024-10-18T08:00", "--json").data["actions"] == [
        {"case": "yn-000001", "milestone": "close", "due_at": "2024-10-17T23:59:59+08:00", "action": "flag",
         "from": "subdistrict", "to": "subdistrict"}]


def test_calendar_days_over_a_weekend(calendar_county):
    # Thu 2024-10-31 09:00: 11-01, 02 (Sat), 03 (Sun) → Sunday 23:59:59
    b = add(calendar_county, W2, "下水道堵塞", "2024-10-31T09:00")
    assert (b["handler"], b["due_at"]) == ("w5", "2024-11-03T23:59:59+08:00")


def test_working_days_with_the_make_up_sunday_and_saturday(working_county):
    county = working_county
    # Fri 09-27 10:00: Sat 09-28 off, Sun 09-29 worked (调休) = 1, Mon 09-30 = 2, 10-01..07 holiday, Tue 10-08 = 3
    a = add(county, W1, "楼道灯不亮", "2024-09-27T10:00")
    assert (a["id"], a["due_at"]) == ("yn-000001", "2024-10-08T23:59:59+08:00")
    assert county("sweep", "--now", "2024-10-08T23:59:59", "--json").data["actions"] == []
    county("sweep", "--now", "2024-10-09T08:00")
    # community: 10-10 (1), 10-11 (2), Sat 10-12 worked (3), 10-14 (4), 10-15 (5)
    up = county("case", "show", "yn-000001", "--json").data
    assert (up["level"], up["due_at"]) == ("community", "2024-10-15T23:59:59+08:00")
    county("sweep", "--now", "2024-10-16T08:00")
    # subdistrict: 10-17, 18, 21, 22, 23, 24, 25, 28, 29, 30 → Wed 10-30
    up = county("case", "show", "yn-000001", "--json").data
    assert (up["level"], up["due_at"]) == ("subdistrict", "2024-10-30T23:59:59+08:00")


def test_working_days_over_a_month_end_weekend(working_county):
    # Thu 10-31 09:00: Fri 11-01 (1), Mon 11-04 (2), Tue 11-05 (3)
    b = add(working_county, W2, "下水道堵塞", "2024-10-31T09:00")
    assert b["due_at"] == "2024-11-05T23:59:59+08:00"


def test_a_hall_case_routed_to_its_grid_keeps_the_grid_chain(calendar_county):
    # taken in at 阳光社区's hall on Sat 2024-11-30 15:00 for 第二网格: 12-01, 02, 03 → Tue 12-03
    c = add(calendar_county, YG, "门前积水", "2024-11-30T15:00", f"grid={W2}", channel="hall")
    assert (c["origin_unit"], c["unit"], c["level"], c["due_at"]) == (
        YG, W2, "grid", "2024-12-03T23:59:59+08:00")
    # a hall case without a grid starts at the community's centre: 5 days → Thu 12-05
    d = add(calendar_county, YG, "社区活动室开放时间咨询", "2024-11-30T15:00", channel="hall", category="other")
    assert (d["unit"], d["level"], d["handler"], d["due_at"]) == (YG, "community", "c3", "2024-12-05T23:59:59+08:00")
