"""wugeyi (承德“五个一”, casebook L116–128): every due instant and every holder, through the CLI
on the sample deployment (plugins/contrib/wugeyi/data/chengde.toml), computed by hand in
Asia/Shanghai (+08:00). 2024: 10-01..07 National Day holiday; Sunday 09-29 and Saturday 10-12
make-up working days (调休).

Defaults (settings; L122's 限时办结 gives no number): the village station 3 calendar days, then
up to the township centre (领办); the township centre 5 working days, then flagged; the county
centre 10 working days, then flagged. The first receiver (首问受理人, L126) handles the matter
when they belong to the tier's unit, else the tier's lead handles it with the first receiver as
joint handler — at every tier the matter reaches.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.wugeyi
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.wugeyi.__file__).parent / "data" / "chengde.toml"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("wugeyi-time") / "county.db").init(TOML)
    run("wugeyi", "household", "set", "FB-03", "--unit", "cd.sf.fb", "--head", "石长贵", "--segment", "贫困户",
        "--now", "2024-09-01T09:00")
    run("wugeyi", "household", "set", "FB-02", "--unit", "cd.sf.fb", "--head", "方大成", "--segment",
        "wealth_expert", "--now", "2024-09-01T09:00")
    return run


def add(run, now, unit, receiver, *sets, channel="village_station", category="formalities", title="开具证明"):
    args = ["case", "add", "--method", "wugeyi", "--unit", unit, "--title", title, "--channel", channel,
            "--category", category, "--set", f"receiver={receiver}", "--now", now, "--json"]
    for kv in sets:
        args += ["--set", kv]
    return run(*args).data


def holders(case):
    return (case["level"], case["unit"], case["handler"], case.get("joint_handler"), case["due_at"])


@pytest.mark.parametrize("now, due", [
    # Friday 09-27 10:00: 3 calendar days are 09-28, 09-29, 09-30
    ("2024-09-27T10:00", "2024-09-30T23:59:59+08:00"),
    # across a month end, weekends count: Thursday 10-31 → Sunday 11-03
    ("2024-10-31T15:00", "2024-11-03T23:59:59+08:00"),
    # inside the holiday, calendar days count on: Wednesday 10-02 23:30 → Saturday 10-05
    ("2024-10-02T23:30", "2024-10-05T23:59:59+08:00"),
])
def test_village_station_three_calendar_days_first_receiver_handles(run, now, due):
    # 孟村干 of 峰北村 received it himself: he handles it, nobody joint (第一时间办结, L126)
    case = add(run, now, "cd.sf.fb", "fb-01")
    assert holders(case) == ("village_station", "cd.sf.fb", "fb-01", None, due)
    assert case["status"] == "assigned"


def test_a_group_takes_in_for_its_village_station(run):
    case = add(run, "2024-09-27T10:00", "cd.sf.fb.g1", "fb-01")
    assert holders(case) == ("village_station", "cd.sf.fb", "fb-01", None, "2024-09-30T23:59:59+08:00")


def test_township_cadre_at_a_talk_the_proxy_agent_leads_and_the_receiver_stays_joint(run):
    # 高干事 (township) heard it at 峰北村: its one proxy agent 孟村干 runs the errand, 高干事 joint
    case = add(run, "2024-09-27T19:30", "cd.sf.fb", "sf-03", "household=FB-03", "matter=civil_affairs",
               channel="monthly_talk", category="hardship", title="申请低保")
    assert holders(case) == ("village_station", "cd.sf.fb", "fb-01", "sf-03", "2024-09-30T23:59:59+08:00")
    # a poor household (贫困户, L124): priority high, the segment kept on the case
    assert (case["priority"], case["extra"]["segment"]) == ("high", "poor")


def test_escalation_keeps_the_first_receiver_answerable_then_flags(run):
    case = add(run, "2024-09-27T10:00", "cd.sf.fb", "fb-01", title="代办林权证明")
    cid = case["id"]
    # the module's county is shared: other matters move at the same sweeps, ours is checked
    acts = run("sweep", "--now", "2024-09-30T23:59:59", "--json").data["actions"]
    assert [a for a in acts if a["case"] == cid] == []
    acts = run("sweep", "--now", "2024-10-01T00:00", "--json").data["actions"]
    assert {"case": cid, "milestone": "close", "due_at": "2024-09-30T23:59:59+08:00", "action": "escalate",
            "from": "village_station", "to": "township_centre"} in acts
    up = run("case", "show", cid, "--json").data
    # arrived 10-01 (holiday); 5 working days: 10-08, 10-09, 10-10, 10-11, 10-12 (Saturday, 调休)
    assert holders(up) == ("township_centre", "cd.sf", "sf-03", "fb-01", "2024-10-12T23:59:59+08:00")
    assert up["status"] == "escalated"
    acts = run("sweep", "--now", "2024-10-12T23:59:59", "--json").data["actions"]
    assert [a for a in acts if a["case"] == cid] == []
    acts = run("sweep", "--now", "2024-10-13T08:00", "--json").data["actions"]
    assert {"case": cid, "milestone": "close", "due_at": "2024-10-12T23:59:59+08:00", "action": "flag",
            "from": "township_centre", "to": "township_centre"} in acts
    # the operator sends it on to the county centre: the county unit itself has no chief
    # representative, so the first receiver 孟村干 holds it alone (负责到底)
    top = run("case", "escalate", cid, "--reason", "需县级审批", "--now", "2024-10-14T09:00", "--json").data
    # 10 working days after Monday 10-14: 10-15 … 10-18, 10-21 … 10-25, 10-28
    assert holders(top) == ("county_centre", "cd", "fb-01", None, "2024-10-28T23:59:59+08:00")


def test_township_centre_five_working_days_over_the_make_up_saturday(run):
    # 韩书记 of 双峰寺镇 received it at the township: he handles it. Friday 10-11 →
    # 10-12 (Saturday, 调休), 10-14, 10-15, 10-16, 10-17
    case = add(run, "2024-10-11T16:00", "cd.sf", "sf-01", channel="township_centre")
    assert holders(case) == ("township_centre", "cd.sf", "sf-01", None, "2024-10-17T23:59:59+08:00")
    # the last working day before the holiday: Monday 09-30 → 10-08 … 10-12
    case = add(run, "2024-09-30T09:00", "cd.sf", "sf-01", channel="township_centre")
    assert case["due_at"] == "2024-10-12T23:59:59+08:00"


def test_county_matter_goes_to_the_departments_chief_representative(run):
    # a rural medical insurance matter (新农合, L122) taken in at the township on Friday 09-27 by
    # 高干事: triage sends it to the county centre (分流承办, L126), 县卫健局's 首席代表 leads and
    # 高干事 stays joint; 10 working days: 09-29 (Sunday, 调休), 09-30, 10-08 … 10-12 (Saturday,
    # 调休), 10-14, 10-15, 10-16
    case = add(run, "2024-09-27T11:00", "cd.sf", "sf-03", "matter=新农合", "department=cd.wjj",
               "household=FB-02", channel="hotline_96096", title="新农合报销")
    assert holders(case) == ("county_centre", "cd.wjj", "wjj-01", "sf-03", "2024-10-16T23:59:59+08:00")
    # a wealth-expert household (致富能手) keeps the default priority
    assert (case["extra"]["segment"], case["priority"]) == ("wealth_expert", None)
    events = run("case", "show", case["id"], "--json").data["events"]
    assert any(e["type"] == "triaged" and "分流承办" in (e["note"] or "") for e in events)


def test_settled_on_the_spot(run):
    case = add(run, "2024-10-12T19:00", "cd.sf.fb", "sf-03", "on_the_spot=yes", channel="monthly_talk",
               category="policy", title="惠农补贴政策咨询")
    assert (case["status"], case["due_at"], case["level"]) == ("resolved", None, "village_station")


@pytest.mark.parametrize("unit, sets, words", [
    ("cd.sf.fb", [], "--set receiver"),
    ("cd.sf.fb", ["household=NG-99"], "--set household=NG-99"),
    ("cd.sf.fb", ["matter=taxes"], "--set matter='taxes'"),
    ("cd.sf.fb", ["department=cd.sf"], "--set department=cd.sf"),
    ("cd.sf.fb", ["talk=7"], "--set talk=7"),
])
def test_bad_input_is_one_line_naming_the_key(run, unit, sets, words):
    args = ["case", "add", "--method", "wugeyi", "--unit", unit, "--title", "x", "--now", "2024-10-10T10:00"]
    if sets or words != "--set receiver":
        args += ["--set", "receiver=fb-01"]
    for kv in sets:
        args += ["--set", kv]
    r = run(*args, ok=2)
    assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_household_of_another_village_is_refused(run):
    run("wugeyi", "household", "set", "NG-01", "--unit", "cd.sf.ng", "--head", "邵长顺", "--now", "2024-09-01T09:00")
    r = run("case", "add", "--method", "wugeyi", "--unit", "cd.sf.fb", "--title", "x", "--set", "receiver=fb-01",
            "--set", "household=NG-01", "--now", "2024-10-10T10:00", ok=2)
    assert "南沟村" in r.stderr and "峰北村" in r.stderr
