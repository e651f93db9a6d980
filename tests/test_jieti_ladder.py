"""jieti (墨江“阶梯式”解决民困, casebook L306), driven through the CLI on the sample deployment
plugins/contrib/jieti/data/mojiang.toml: the starting tier by the matter's scope (methods.md
S-06), the zone leaders with the servant or paired department handling jointly, and each tier's
time through the calendar — the ladder climbing over the 2024 National Day holiday (10-01..07
off, Sunday 09-29 and Saturday 10-12 make-up working days), a leap-year month end, working days.
Every instant below is computed by hand from the settings' defaults (7 / 7 / 15 / 30 / 90 days)."""

from pathlib import Path

import pytest

import plugins.contrib.jieti

TOML = (Path(plugins.contrib.jieti.__file__).parent / "data" / "mojiang.toml").read_text(encoding="utf-8")
ZONES = [("bx-g1", "group", "mj.lz.bx.g1", "st1", None), ("bx-g2", "group", "mj.lz.bx.g2", "st2", None),
         ("bx", "village", "mj.lz.bx", "zjj", "mj.zjj"), ("lz", "township", "mj.lz", "cl", None),
         ("xh", "village", "mj.lz.xh", "lzld", "mj.jtj")]


def setup(init_county, toml=TOML):
    cli = init_county(toml)
    for zid, kind, unit, leader, paired in ZONES:
        args = ["jieti", "zone", "add", zid, "--kind", kind, "--unit", unit, "--leader", leader,
                "--now", "2024-01-02T09:00"]
        cli(*args, *(["--paired", paired] if paired else []))
    return cli


@pytest.fixture
def cli(init_county):
    return setup(init_county)


def add(cli, unit, now, *sets, title="群众反映事项"):
    args = ["case", "add", "--method", "jieti", "--unit", unit, "--title", title, "--now", now, "--json"]
    for kv in sets:
        args += ["--set", kv]
    return cli(*args).data


def show(cli, cid, now):
    return cli("case", "show", cid, "--now", now, "--json").data


@pytest.mark.parametrize("unit, sets, level, scope, ladder_unit, handler", [
    # S-06: one household → the group zone leader (with the servant)
    ("mj.lz.bx.g1", ["scope=household"], "household", "household", "mj.lz.bx.g1", "st1"),
    ("mj.lz.bx.g1", ["households=1"], "household", "household", "mj.lz.bx.g1", "st1"),
    ("mj.lz.bx", ["scope=农户", "group=mj.lz.bx.g2"], "household", "household", "mj.lz.bx.g2", "st2"),
    # several people in one group → the group zone leader
    ("mj.lz.bx.g2", [], "group", "group", "mj.lz.bx.g2", "st2"),
    ("mj.lz.bx.g2", ["households=4"], "group", "group", "mj.lz.bx.g2", "st2"),
    # groups of one village → the village zone leader (+ paired department)
    ("mj.lz.bx", ["affected=mj.lz.bx.g1;mj.lz.bx.g2"], "village", "village", "mj.lz.bx", "zjj"),
    ("mj.lz.bx", [], "village", "village", "mj.lz.bx", "zjj"),
    ("mj.lz.bx.g1", ["scope=village"], "village", "village", "mj.lz.bx", "zjj"),
    # villages of one township → the township zone leader
    ("mj.lz.bx", ["affected=mj.lz.bx.g1,mj.lz.xh.g1"], "township", "township", "mj.lz", "cl"),
    ("mj.lz", [], "township", "township", "mj.lz", "cl"),
    # county-wide → the leading-group office
    ("mj.lz", ["affected=mj.lz.bx;mj.tg.sj"], "county_office", "county", "mj", "ofc"),
    ("mj.lz.bx.g1", ["scope=county"], "county_office", "county", "mj", "ofc"),
])
def test_starting_tier_by_scope(cli, unit, sets, level, scope, ladder_unit, handler):
    c = add(cli, unit, "2024-03-04T10:00", *sets)
    assert (c["level"], c["extra"]["ladder_scope"], c["extra"]["ladder_unit"], c["handler"]) == (
        level, scope, ladder_unit, handler)
    assert c["unit"] == ladder_unit and c["status"] == "assigned"


def test_household_climbs_the_ladder_over_national_day(cli):
    """Calendar days: 7 / 7 / 15 / 30 / 90, each from the sweep that moved the matter up."""
    c = add(cli, "mj.lz.bx.g1", "2024-09-27T10:00", "scope=household")
    # household: the group zone leader st1 and the group's one people's servant sv1 (L306)
    assert (c["level"], c["handler"], c["joint_handler"], c["joint_unit"]) == ("household", "st1", "sv1", "mj.lz.bx.g1")
    assert c["due_at"] == "2024-10-04T23:59:59+08:00"          # 09-27 + 7 calendar days; holidays count
    assert cli("sweep", "--now", "2024-10-04T23:59:59", "--json").data["actions"] == []
    r = cli("sweep", "--now", "2024-10-05T08:00", "--json").data["actions"]
    assert [(a["case"], a["action"], a["from"], a["to"]) for a in r] == [(c["id"], "escalate", "household", "group")]
    c = show(cli, c["id"], "2024-10-05T08:00")
    # group: the same group's zone leader; the servant's joint handling ends with the household tier
    assert (c["level"], c["unit"], c["handler"], c["joint_handler"], c["joint_unit"]) == (
        "group", "mj.lz.bx.g1", "st1", None, None)
    assert c["due_at"] == "2024-10-12T23:59:59+08:00"
    cli("sweep", "--now", "2024-10-13T09:00")
    c = show(cli, c["id"], "2024-10-13T09:00")
    # village: a listed case (挂牌办理) of the village zone leader with the paired 县住建局
    assert (c["level"], c["unit"], c["handler"], c["joint_unit"], c["extra"]["listed"]) == (
        "village", "mj.lz.bx", "zjj", "mj.zjj", True)
    assert c["due_at"] == "2024-10-28T23:59:59+08:00"          # 10-13 + 15
    cli("sweep", "--now", "2024-10-29T09:00")
    c = show(cli, c["id"], "2024-10-29T09:00")
    assert (c["level"], c["unit"], c["handler"], c["joint_unit"]) == ("township", "mj.lz", "cl", None)
    assert c["due_at"] == "2024-11-28T23:59:59+08:00"          # 10-29 + 30
    cli("sweep", "--now", "2024-11-29T09:00")
    c = show(cli, c["id"], "2024-11-29T09:00")
    assert (c["level"], c["unit"], c["handler"]) == ("county_office", "mj", "ofc")
    assert c["due_at"] == "2025-02-27T23:59:59+08:00"          # 11-29 + 90: 1 + 31 + 31 + 27
    # the office's report missed: flagged (督办), the matter stays with the office
    r = cli("sweep", "--now", "2025-02-28T09:00", "--json").data["actions"]
    assert [(a["milestone"], a["action"]) for a in r] == [("feasibility_report", "flag")]
    assert show(cli, c["id"], "2025-02-28T09:00")["level"] == "county_office"
    done = cli("jieti", "feasibility", c["id"], "--report", "可行，建议列入明年计划", "--now", "2025-03-03T10:00",
               "--json").data
    # submitted to 县委、政府: no due instant; the unit stays the county, so the office keeps following it
    assert (done["level"], done["due_at"], done["unit"], done["handler"]) == ("county_leadership", None, "mj", "ofc")
    c = show(cli, c["id"], "2025-03-03T10:00")
    assert [e["type"] for e in c["events"]].count("escalated") == 5
    assert c["extra"]["feasibility_report"] == "可行，建议列入明年计划"


def test_leap_year_month_end_and_resolving_in_time(cli):
    c = add(cli, "mj.lz", "2024-01-31T15:00")
    assert c["due_at"] == "2024-03-01T23:59:59+08:00"          # 01-31 + 30 days in a leap year
    c2 = add(cli, "mj.lz.bx.g2", "2023-02-28T16:00")
    assert c2["due_at"] == "2023-03-07T23:59:59+08:00"         # 02-28 + 7, February 2023 has 28 days
    cli("case", "resolve", c["id"], "--note", "乡级责任人协调水利站修复", "--now", "2024-03-01T23:00")
    r = cli("sweep", "--now", "2024-03-02T09:00", "--json").data["actions"]
    assert [a["case"] for a in r] == [c2["id"]]                 # the resolved one is not swept
    c = show(cli, c["id"], "2024-03-02T09:00")
    assert (c["status"], c["resolved_level"]) == ("resolved", "township")


@pytest.fixture
def working(init_county):
    toml = TOML.replace('day_unit = "calendar_days"', 'day_unit = "working_days"')
    return setup(init_county, toml)


def test_working_days_follow_the_2024_holiday_schedule(working):
    cli = working
    # household, 7 working days after Fri 09-27: 09-29 (make-up Sunday), 09-30, 10-08, 10-09, 10-10,
    # 10-11, 10-12 (make-up Saturday)
    c = add(cli, "mj.lz.bx.g1", "2024-09-27T10:00", "scope=household")
    assert c["due_at"] == "2024-10-12T23:59:59+08:00"
    # village, 15 working days: … 10-12, 10-14..18, 10-21, 10-22, 10-23
    v = add(cli, "mj.lz.bx", "2024-09-27T10:00")
    assert v["due_at"] == "2024-10-23T23:59:59+08:00"
    # the household matter climbs on 10-13 (a Sunday): the group's 7 working days are 10-14..18, 10-21, 10-22
    cli("sweep", "--now", "2024-10-13T08:00")
    assert show(cli, c["id"], "2024-10-13T08:00")["due_at"] == "2024-10-22T23:59:59+08:00"


def test_flag_instead_of_climbing(init_county):
    cli = setup(init_county, TOML.replace('miss_action = "escalate"', 'miss_action = "flag"'))
    c = add(cli, "mj.lz.bx.g2", "2024-05-06T09:00")
    r = cli("sweep", "--now", "2024-05-14T00:00", "--json").data["actions"]
    assert [(a["action"], a["from"], a["to"]) for a in r] == [("flag", "group", "group")]
    assert show(cli, c["id"], "2024-05-14T00:00")["level"] == "group"


def test_report_up_beyond_the_departments_powers(cli):
    v = add(cli, "mj.lz.bx", "2024-06-03T09:00")
    h = add(cli, "mj.lz.bx.g1", "2024-06-03T09:00", "households=1")
    r = cli("jieti", "report-up", h["id"], "--reason", "超出权限", "--now", "2024-06-04T09:00", ok=1)
    assert "not village" in r.stderr
    done = cli("jieti", "report-up", v["id"], "--reason", "涉及跨县水源，县住建局无权审批", "--now", "2024-06-04T09:00",
               "--json").data
    assert (done["level"], done["due_at"], done["extra"]["reported_up"]) == ("county_leadership", None, True)
    c = show(cli, v["id"], "2024-06-04T09:00")
    ev = [e for e in c["events"] if e["type"] == "reported_up"]
    assert len(ev) == 1 and ev[0]["note"] == "向群众说明原因：涉及跨县水源，县住建局无权审批"
    cli("jieti", "report-up", v["id"], "--reason", "再次", "--now", "2024-06-05T09:00", ok=1)


def test_bad_input_is_one_line(cli):
    r = cli("case", "add", "--method", "jieti", "--unit", "mj.lz.bx", "--title", "x", "--set", "scope=city", ok=2)
    assert "--set scope" in r.stderr and "Traceback" not in r.output
    r = cli("case", "add", "--method", "jieti", "--unit", "mj.lz.bx", "--title", "x", "--set", "scope=household", ok=2)
    assert "--set group" in r.stderr and "碧溪村" in r.stderr
    r = cli("case", "add", "--method", "jieti", "--unit", "mj.lz.bx", "--title", "x", "--set", "group=mj.lz.xh.g1", ok=2)
    assert "--set group" in r.stderr and "not a group of 碧溪村" in r.stderr
    r = cli("case", "add", "--method", "jieti", "--unit", "mj.lz", "--title", "x", "--set", "affected=mj.nowhere", ok=2)
    assert "--set affected: unknown unit 'mj.nowhere'" in r.stderr
    r = cli("jieti", "zone", "add", "z", "--kind", "group", "--unit", "mj.lz.bx", "--leader", "st1", ok=2)
    assert "level group" in r.stderr
    r = cli("jieti", "zone", "add", "z", "--kind", "group", "--unit", "mj.lz.bx.g1", "--leader", "st2", ok=1)
    assert "already has" in r.stderr


def test_bad_settings_name_the_setting(init_county):
    cli = setup(init_county, TOML.replace('day_unit = "calendar_days"', 'day_unit = "weeks"')
                .replace('miss_action = "escalate"', 'miss_action = "escalate"\ngroup_meeting_weekday = 9'))
    r = cli("case", "add", "--method", "jieti", "--unit", "mj.lz", "--title", "x", "--now", "2024-03-04T10:00", ok=2)
    assert r.stderr.strip() == "error: [plugins.jieti] day_unit: 'weeks'; use calendar_days or working_days"
    r = cli("duties", "--date", "2024-03-10", "--now", "2024-03-11", ok=2)
    assert "[plugins.jieti] group_meeting_weekday: 9; 1 (Monday) … 7 (Sunday)" in r.stderr
