"""wugeyi's settings for what the casebook leaves open (L122: 限时办结 without a number or a
consequence): the day counts, their kind and the action on a miss, through the CLI on the
sample deployment with ``[plugins.wugeyi]`` changed; and a bad value refused at ``county init``."""

from __future__ import annotations

from tests.test_wugeyi_time import TOML

BASE = TOML.read_text(encoding="utf-8")


def with_settings(**kw) -> str:
    text = BASE
    for key, value in kw.items():
        lines = [ln for ln in text.splitlines() if ln.split("=")[0].strip() == key]
        assert len(lines) == 1, key
        text = text.replace(lines[0], f"{key} = {value}")
    return text


def test_working_days_at_the_village_then_flagged_and_calendar_days_at_the_township(init_county):
    county = init_county(with_settings(village_days=2, village_day_kind='"working"', village_miss='"flag"',
                                       township_days=3, centre_day_kind='"calendar"', township_miss='"escalate"'))
    # Friday 2024-10-11: 2 working days are Saturday 10-12 (调休) and Monday 10-14; a miss is flagged
    a = county("case", "add", "--method", "wugeyi", "--unit", "cd.sf.fb", "--title", "代办证明", "--set",
               "receiver=fb-01", "--now", "2024-10-11T10:00", "--json").data
    assert (a["level"], a["due_at"]) == ("village_station", "2024-10-14T23:59:59+08:00")
    assert county("sweep", "--now", "2024-10-15T08:00", "--json").data["actions"] == [
        {"case": a["id"], "milestone": "close", "due_at": "2024-10-14T23:59:59+08:00", "action": "flag",
         "from": "village_station", "to": "village_station"}]
    # the township: 3 calendar days over a month end (Thursday 10-31 → Sunday 11-03), then up to
    # the county centre, where 韩书记 (the first receiver) keeps it: the county unit has no 首席代表;
    # 10 calendar days from the sweep on Monday 11-04 → 11-14
    b = county("case", "add", "--method", "wugeyi", "--unit", "cd.sf", "--title", "林地纠纷", "--set",
               "receiver=sf-01", "--now", "2024-10-31T10:00", "--json").data
    assert (b["level"], b["handler"], b["due_at"]) == ("township_centre", "sf-01", "2024-11-03T23:59:59+08:00")
    acts = county("sweep", "--now", "2024-11-04T08:00", "--json").data["actions"]
    assert {"case": b["id"], "milestone": "close", "due_at": "2024-11-03T23:59:59+08:00", "action": "escalate",
            "from": "township_centre", "to": "county_centre"} in acts
    up = county("case", "show", b["id"], "--json").data
    assert (up["level"], up["unit"], up["handler"], up["due_at"]) == (
        "county_centre", "cd", "sf-01", "2024-11-14T23:59:59+08:00")


def test_a_county_matter_setting_and_no_priority_segments(init_county):
    county = init_county(with_settings(county_matters='["forestry"]', priority_segments="[]"))
    county("wugeyi", "household", "set", "FB-03", "--unit", "cd.sf.fb", "--head", "石长贵", "--segment", "poor",
           "--now", "2024-10-08T09:00")
    c = county("case", "add", "--method", "wugeyi", "--unit", "cd.sf.fb", "--title", "采伐许可", "--set",
               "receiver=fb-01", "--set", "matter=林业", "--set", "household=FB-03", "--now", "2024-10-08T10:00",
               "--json").data
    # forestry now needs the county centre; the county unit has no chief representative, so the
    # proxy agent who received it keeps it; the poor household is not prioritised any more
    assert (c["level"], c["unit"], c["handler"], c["extra"]["segment"]) == ("county_centre", "cd", "fb-01", "poor")
    assert c["priority"] is None
    # 10 working days after Tuesday 10-08: 10-09 … 10-12 (Saturday, 调休), 10-14 … 10-18, 10-21
    assert c["due_at"] == "2024-10-21T23:59:59+08:00"


def test_a_bad_setting_is_refused_at_init(county_cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(with_settings(village_miss='"later"'), encoding="utf-8")
    r = county_cli("init", "--config", path, ok=2)
    assert "village_miss" in r.stderr and "later" in r.stderr
