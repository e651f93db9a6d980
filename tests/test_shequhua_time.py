"""shequhua (松山区农村社区化管理, casebook L266–290): every due instant through the CLI on the
sample deployment (plugins/contrib/shequhua/data/songshan.toml), computed by hand in
Asia/Shanghai (+08:00).

The source gives no time limit (methods.md §2.11 "Deadline: not described"), so the limits are
the plugin's settings: the service centre ``centre_days`` = 7, then up to the township, which
has ``township_days`` = 10, then flagged (督办). Days end 23:59:59 local on the Nth day after
the local day of arrival; ``day_kind = "working"`` counts China's working days with 调休.
2024: 10-01..07 National Day holiday; Sunday 09-29 and Saturday 10-12 make-up working days.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.shequhua
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.shequhua.__file__).parent / "data" / "songshan.toml"


def county_from(tmp_path_factory, name, text=None):
    """A county initialised from songshan.toml (or ``text``) in a fresh folder; returns its ``CountyRunner``."""
    # the county file's centres open on 09-01
    run = CountyRunner(tmp_path_factory.mktemp(name) / "county.db").init(TOML if text is None else text,
                                                                         now="2024-09-01T09:00")
    return run


def add(run, now, title, unit="ss.mj.yzh", *sets, category="production", channel="hall"):
    """``county case add`` of a shequhua matter; returns the case JSON."""
    args = ["case", "add", "--method", "shequhua", "--unit", unit, "--title", title, "--channel", channel,
            "--now", now, "--json"]
    if category:
        args += ["--category", category]
    for kv in sets:
        args += ["--set", kv]
    return run(*args).data


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return county_from(tmp_path_factory, "shequhua-time")


@pytest.fixture(scope="module")
def working(tmp_path_factory):
    text = TOML.read_text(encoding="utf-8").replace('day_kind = "calendar"', 'day_kind = "working"')
    assert 'day_kind = "working"' in text
    return county_from(tmp_path_factory, "shequhua-working", text)


@pytest.mark.parametrize("now, due", [
    ("2024-09-27T10:00", "2024-10-04T23:59:59+08:00"),  # Fri + 7 calendar days, holidays count
    ("2024-10-31T15:00", "2024-11-07T23:59:59+08:00"),  # over the month end
    ("2024-12-28T23:30", "2025-01-04T23:59:59+08:00"),  # Sat late evening, over the year end
    ("2024-02-29T00:00", "2024-03-07T23:59:59+08:00"),  # leap day at midnight: the day of arrival counts 0
])
def test_centre_calendar_days(run, now, due):
    case = add(run, now, "大棚技术指导")
    assert (case["level"], case["unit"], case["handler"], case["due_at"]) == ("centre", "ss.mj.yzh", "yzh-02", due)


@pytest.mark.parametrize("now, due", [
    # 7 working days after Fri 09-27: Sun 09-29 (调休), Mon 09-30, 10-08, 09, 10, 11, Sat 10-12 (调休)
    ("2024-09-27T10:00", "2024-10-12T23:59:59+08:00"),
    # after Thu 10-31: 11-01, 11-04, 05, 06, 07, 08, Mon 11-11
    ("2024-10-31T15:00", "2024-11-11T23:59:59+08:00"),
    # taken in on Saturday 09-28 (not a working day): 09-29, 09-30, 10-08 … 10-12 → 7th is 10-12
    ("2024-09-28T11:00", "2024-10-12T23:59:59+08:00"),
    # taken in on the holiday 10-03: 10-08, 09, 10, 11, 12, 14, 15
    ("2024-10-03T09:00", "2024-10-15T23:59:59+08:00"),
])
def test_centre_working_days_with_make_up_days(working, now, due):
    assert add(working, now, "大棚技术指导")["due_at"] == due


def test_up_to_the_township_with_its_paired_subdistrict(run):
    """A matter at 鸭子河村 (paired: 穆家营子镇 with 向阳街道) missed at the centre goes up at the
    first sweep after its due instant; the township's 10 calendar days count from the sweep."""
    case = add(run, "2024-11-15T09:00", "村里环境卫生整治", category="sanitation")
    cid = case["id"]
    # Fri 11-15 + 7 → Fri 11-22; the sanitation organisation's leader handles it
    assert (case["handler"], case["due_at"], case["joint_unit"]) == ("yzh-03", "2024-11-22T23:59:59+08:00", None)
    swept = run("sweep", "--now", "2024-11-22T23:59:59", "--json").data["actions"]
    assert cid not in [a["case"] for a in swept]
    swept = run("sweep", "--now", "2024-11-23T08:00", "--json").data["actions"]
    assert {"case": cid, "milestone": "close", "due_at": "2024-11-22T23:59:59+08:00", "action": "escalate",
            "from": "centre", "to": "township"} in swept
    up = run("case", "show", cid, "--json").data
    # arrived Sat 11-23 08:00 + 10 → Tue 12-03; 向阳街道 joins (pair_joint = "escalated")
    assert (up["level"], up["unit"], up["handler"], up["joint_unit"], up["status"], up["due_at"]) == (
        "township", "ss.mj", "mj-01", "ss.xy", "escalated", "2024-12-03T23:59:59+08:00")
    flagged = run("sweep", "--now", "2024-12-04T00:00:01", "--json").data["actions"]
    assert {"case": cid, "milestone": "reply", "due_at": "2024-12-03T23:59:59+08:00", "action": "flag",
            "from": "township", "to": "township"} in flagged


def test_working_days_at_the_township(working):
    """Escalated by the sweep of Sunday 2024-10-13 08:00: 10 working days → 10-14 … 10-18,
    10-21 … 10-25 → Fri 10-25 23:59:59."""
    case = add(working, "2024-09-27T10:00", "病虫害防治", unit="ss.dp.dxlz", category="mediation")
    assert (case["handler"], case["due_at"]) == ("dxlz-02", "2024-10-12T23:59:59+08:00")
    working("sweep", "--now", "2024-10-13T08:00")
    up = working("case", "show", case["id"], "--json").data
    assert (up["level"], up["unit"], up["handler"], up["joint_unit"], up["due_at"]) == (
        "township", "ss.dp", "dp-01", "ss.xy", "2024-10-25T23:59:59+08:00")


def test_no_limit_when_the_setting_is_zero(tmp_path_factory):
    text = TOML.read_text(encoding="utf-8").replace("centre_days = 7 ", "centre_days = 0 ")
    run = county_from(tmp_path_factory, "shequhua-nolimit", text)
    case = add(run, "2024-09-27T10:00", "大棚技术指导")
    assert (case["level"], case["status"], case["due_at"]) == ("centre", "assigned", None)
