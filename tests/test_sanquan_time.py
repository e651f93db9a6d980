"""sanquan (Xihu 三全十服务): the service-hours calendar (错时工作制, L359) and the completion
limits (限时办结, L367) on the sample deployment, through the CLI. Every instant is computed by
hand from the rules, in Asia/Shanghai (+08:00):

* service hours: a working day of the statutory calendar 08:00–21:00 (朝八晚九), weekends and
  public holidays 09:00–17:00 (朝九晚五), closing exclusive; 2024: 10-01..07 National Day
  holiday, Sunday 09-29 and Saturday 10-12 make-up working days (调休);
* a non-urgent matter arriving out of hours is timed from the next opening; an on-call one
  (``urgent=yes``, 应急服务, 呼叫器) from its arrival;
* ``respond``: 1 hour after arrival for an on-call matter, none for an ordinary one
  (``response_hours`` 0: the casebook sets no response limit); ``complete``: 23:59:59 on the 3rd
  working day after the start's date at the community, 5th at the subdistrict, 10th at the
  district (setting defaults; the casebook gives no number).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.sanquan
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.sanquan.__file__).parent / "data" / "xihu.toml"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("sanquan-time") / "county.db").init(TOML)
    return run


def add(run, now, *sets, unit="xh.bs.dsn", category="routine", channel="hotline", title="楼道灯不亮"):
    args = ["case", "add", "--method", "sanquan", "--unit", unit, "--title", title, "--category", category,
            "--channel", channel, "--now", now, "--json"]
    for kv in sets:
        args += ["--set", kv]
    return run(*args).data


@pytest.mark.parametrize("now, sets, in_hours, start, respond, due", [
    # Friday 21:30, after 朝八晚九: timed from Saturday 10-12 08:00 — a make-up working day, so it
    # opens at 08:00, not 09:00; 3 working days after 10-12: 10-14, 10-15, 10-16
    ("2024-10-11T21:30", (), False, "2024-10-12T08:00:00+08:00", None,
     "2024-10-16T23:59:59+08:00"),
    # the same instant given in UTC
    ("2024-10-11T13:30+00:00", (), False, "2024-10-12T08:00:00+08:00", None,
     "2024-10-16T23:59:59+08:00"),
    # on-call: timed from arrival at any hour, 1 hour to respond; 3 working days after Friday 10-11:
    # 10-12 (make-up Saturday), 10-14, 10-15
    ("2024-10-11T21:30", ("urgent=yes",), False, "2024-10-11T21:30:00+08:00", "2024-10-11T22:30:00+08:00",
     "2024-10-15T23:59:59+08:00"),
    # the make-up Saturday at 20:30 is inside 08:00–21:00 (a working day)
    ("2024-10-12T20:30", (), True, "2024-10-12T20:30:00+08:00", None,
     "2024-10-16T23:59:59+08:00"),
    # a plain Sunday at 18:00 is outside 09:00–17:00 (S-07): timed from Monday 08:00
    ("2024-10-13T18:00", (), False, "2024-10-14T08:00:00+08:00", None,
     "2024-10-17T23:59:59+08:00"),
    ("2024-10-13T16:59", (), True, "2024-10-13T16:59:00+08:00", None,
     "2024-10-16T23:59:59+08:00"),
    # the eve of National Day, 21:15: the next opening is 10-01 09:00 (a holiday: 朝九晚五); the
    # working days after 10-01 are 10-08, 10-09, 10-10
    ("2024-09-30T21:15", (), False, "2024-10-01T09:00:00+08:00", None,
     "2024-10-10T23:59:59+08:00"),
    # a holiday at 17:30: next opening 10-04 09:00, still the holiday
    ("2024-10-03T17:30", (), False, "2024-10-04T09:00:00+08:00", None,
     "2024-10-10T23:59:59+08:00"),
    # the make-up Sunday 09-29 is a working day: 08:00–21:00; then 09-30, 10-08, 10-09
    ("2024-09-29T20:00", (), True, "2024-09-29T20:00:00+08:00", None,
     "2024-10-09T23:59:59+08:00"),
    # month end: 21:00 exactly is closed (closing exclusive) → Friday 11-01 08:00 → 11-04..11-06
    ("2024-10-31T21:00", (), False, "2024-11-01T08:00:00+08:00", None,
     "2024-11-06T23:59:59+08:00"),
    # one minute earlier it is inside: 11-01, 11-04, 11-05
    ("2024-10-31T20:59", (), True, "2024-10-31T20:59:00+08:00", None,
     "2024-11-05T23:59:59+08:00"),
    # before opening on a Monday: timed from 08:00 the same day
    ("2024-11-04T07:30", (), False, "2024-11-04T08:00:00+08:00", None,
     "2024-11-07T23:59:59+08:00"),
])
def test_timed_from_the_service_start(run, now, sets, in_hours, start, respond, due):
    c = add(run, now, *sets)
    assert (c["extra"]["in_hours"], c["extra"]["timed_from"], c["extra"]["respond_due_at"]) == (in_hours, start, respond)
    assert c["due_at"] == c["extra"]["complete_due_at"] == due
    assert c["level"] == "community" and c["unit"] == "xh.bs.dsn"


def test_emergency_service_and_on_call_priority(run):
    # 应急服务 is an on-call category by default: timed from arrival, priority urgent
    c = add(run, "2024-10-05T23:10", category="emergency", title="老人夜间摔倒")
    assert c["extra"]["on_call"] is True and c["priority"] == "urgent"
    assert (c["extra"]["timed_from"], c["extra"]["respond_due_at"]) == (
        "2024-10-05T23:10:00+08:00", "2024-10-06T00:10:00+08:00")
    assert c["due_at"] == "2024-10-10T23:59:59+08:00"  # 10-08, 10-09, 10-10


def test_hours_command(run):
    d = run("sanquan", "hours", "--date", "2024-10-12", "--json").data
    assert d == {"date": "2024-10-12", "day_kind": "working", "opens": "2024-10-12T08:00:00+08:00",
                 "closes": "2024-10-12T21:00:00+08:00"}
    d = run("sanquan", "hours", "--at", "2024-10-05T08:30", "--json").data
    assert (d["day_kind"], d["in_hours"], d["timed_from"]) == ("rest", False, "2024-10-05T09:00:00+08:00")
    assert "2024-10-13 双休日/节假日：09:00—17:00" in run("sanquan", "hours", "--date", "2024-10-13").output


def test_escalation_up_the_hotline_network(run):
    """community 3 working days → 北山街道 5 → 区 10, flagged there (miss_action escalate)."""
    c = add(run, "2024-10-11T21:30", title="小区路面塌陷")
    cid = c["id"]

    def mine(now):
        acts = run("sweep", "--now", now, "--json").data["actions"]
        return sorted((a["milestone"], a["action"], a["from"], a["to"]) for a in acts if a["case"] == cid)

    assert mine("2024-10-16T23:59:59") == []  # due at 23:59:59: not yet past
    assert mine("2024-10-17T00:00") == [("complete", "escalate", "community", "subdistrict")]
    s = run("case", "show", cid, "--json").data
    # arrived at the subdistrict 10-17 00:00, out of hours: timed from Thursday 08:00; the 5
    # working days after 10-17: 10-18, 10-21, 10-22, 10-23, 10-24
    assert (s["level"], s["unit"], s["handler"], s["status"]) == ("subdistrict", "xh.bs", "bs-yuan", "escalated")
    assert s["extra"]["timed_from"] == "2024-10-17T08:00:00+08:00"
    assert s["due_at"] == "2024-10-24T23:59:59+08:00"
    assert mine("2024-10-25T00:00") == [("complete", "escalate", "subdistrict", "district")]
    s = run("case", "show", cid, "--json").data
    # 10 working days after Friday 10-25: 10-28..31, 11-01, 11-04..08
    assert (s["level"], s["unit"], s["handler"], s["due_at"]) == ("district", "xh", "xh-cai",
                                                                   "2024-11-08T23:59:59+08:00")
    assert mine("2024-11-09T00:00") == [("complete", "flag", "district", "district")]
    assert run("case", "show", cid, "--json").data["level"] == "district"
    assert mine("2024-11-09T00:00") == []  # idempotent
