"""taizhang 结账: the whole escalation chain (L29) through the CLI with --now.

Every date is methods.md §4 S-01 (received at the village 2013-03-04, every tier fails), worked
out by hand from conventions §2: "N天内" is due at 23:59:59 local on the Nth calendar day after
the day the case reached the tier; the sweep acts on the first instant after that.
"""

from pathlib import Path

import pytest

import plugins.taizhang

TOML = (Path(plugins.taizhang.__file__).parent / "data" / "zhongjiang.toml").read_text(encoding="utf-8")


def add(county_cli, now, unit="zj.fx.llg", title="山坪塘蓄水不足", category="livelihood", *more):
    return county_cli("case", "add", "--method", "taizhang", "--unit", unit, "--title", title,
                      "--category", category, "--channel", "letters_visits", "--now", now, *more, "--json").data


def show(county_cli, case_id):
    return county_cli("case", "show", case_id, "--json").data


def sweep(county_cli, now):
    return [(a["case"], a["milestone"], a["action"], a["from"], a["to"])
            for a in county_cli("sweep", "--now", now, "--json").data["actions"]]


def test_s01_a_sweep_every_date(county_cli, init_county):
    """S-01, column A-sweep: each tier's clock starts when the sweep moves the case there."""
    init_county(TOML)
    c = add(county_cli, "2013-03-04T09:00")
    cid = c["id"]
    assert (c["level"], c["unit"], c["handler"], c["status"]) == ("village", "zj.fx.llg", "llg-sj", "assigned")
    assert c["due_at"] == "2013-03-09T23:59:59+08:00"  # village due (5 d)

    assert sweep(county_cli, "2013-03-09T23:59:59") == []  # not yet overdue at the due instant
    assert sweep(county_cli, "2013-03-10T00:00:00") == [(cid, "close", "escalate", "village", "township")]
    s = show(county_cli, cid)
    assert (s["level"], s["unit"], s["handler"], s["status"]) == ("township", "zj.fx", "fx-gb", "escalated")
    assert s["tier_arrived_at"] == "2013-03-10T00:00:00+08:00"  # township reached 03-10 (sweep)
    assert s["extra"]["reply_due_at"] == "2013-03-20T23:59:59+08:00"  # reply due (10 d)
    assert s["due_at"] == "2013-03-25T23:59:59+08:00"  # report-up due (15 d)

    # the missed 10-day reply is flagged (督办) without moving the case
    assert sweep(county_cli, "2013-03-21T00:00:00") == [(cid, "reply", "flag", "township", "township")]
    assert show(county_cli, cid)["level"] == "township"
    assert sweep(county_cli, "2013-03-21T00:00:00") == []  # idempotent

    assert sweep(county_cli, "2013-03-26T00:00:00") == [(cid, "report_up", "escalate", "township", "ledger_office")]
    s = show(county_cli, cid)
    assert (s["level"], s["unit"], s["handler"]) == ("ledger_office", "zj.sza", "sza-gz")
    assert s["tier_arrived_at"] == "2013-03-26T00:00:00+08:00"  # county office reached 03-26
    assert s["due_at"] == "2013-03-31T23:59:59+08:00"  # register + assign due (5 d)

    # the office hands it to a department on its last day (交办)
    s = county_cli("case", "assign", cid, "--unit", "zj.nyj", "--now", "2013-03-31T16:00", "--json").data
    assert (s["level"], s["unit"]) == ("department", "zj.nyj")
    assert s["due_at"] == "2013-04-15T23:59:59+08:00"  # completion due (15 d)
    assert s["extra"]["report_due_at"] == "2013-04-18T23:59:59+08:00"  # written report due (18 d)
    assert sweep(county_cli, "2013-04-01T00:00:00") == []  # the office's milestone was met by the assignment

    assert sweep(county_cli, "2013-04-16T00:00:00") == [(cid, "finish", "flag", "department", "department")]
    assert sweep(county_cli, "2013-04-18T23:59:59") == []
    assert sweep(county_cli, "2013-04-19T00:00:00") == [(cid, "written_report", "escalate", "department", "joint_meeting")]
    s = show(county_cli, cid)
    assert (s["level"], s["unit"], s["due_at"]) == ("joint_meeting", "zj.lxhy", None)
    assert sweep(county_cli, "2013-12-31T00:00:00") == []  # the joint meeting has no time limit

    # the joint meeting cannot settle it: the operator reports it to the county committee and government
    s = county_cli("case", "escalate", cid, "--reason", "联席会议仍不能处理", "--now", "2013-05-06T10:00", "--json").data
    assert (s["level"], s["unit"], s["due_at"], s["status"]) == ("county_leadership", "zj", None, "escalated")
    r = county_cli("case", "escalate", cid, "--now", "2013-05-07T10:00", ok=1)
    assert "last tier" in r.stderr

    moves = [(e["type"], e["level"], e["at"]) for e in show(county_cli, cid)["events"]
             if e["type"] in ("escalated", "assigned")]
    assert moves == [
        ("assigned", "village", "2013-03-04T09:00:00+08:00"),
        ("escalated", "township", "2013-03-10T00:00:00+08:00"),
        ("assigned", "township", "2013-03-10T00:00:00+08:00"),
        ("escalated", "ledger_office", "2013-03-26T00:00:00+08:00"),
        ("assigned", "ledger_office", "2013-03-26T00:00:00+08:00"),
        ("assigned", "department", "2013-03-31T16:00:00+08:00"),
        ("assigned", "department", "2013-03-31T16:00:00+08:00"),  # the department's 责任人 the hook picked (L25)
        ("escalated", "joint_meeting", "2013-04-19T00:00:00+08:00"),
        ("assigned", "joint_meeting", "2013-04-19T00:00:00+08:00"),
        ("escalated", "county_leadership", "2013-05-06T10:00:00+08:00"),
        ("assigned", "county_leadership", "2013-05-06T10:00:00+08:00"),
    ]
    overdue = [(e["data"]["milestone"], e["data"]["due_at"]) for e in show(county_cli, cid)["events"] if e["type"] == "overdue"]
    assert overdue == [("close", "2013-03-09T23:59:59+08:00"), ("reply", "2013-03-20T23:59:59+08:00"),
                       ("report_up", "2013-03-25T23:59:59+08:00"), ("finish", "2013-04-15T23:59:59+08:00"),
                       ("written_report", "2013-04-18T23:59:59+08:00")]


@pytest.mark.parametrize("reading, toml_setting, dates", [
    # A-manual: township 03-09, reply 03-19, report 03-24; office 03-24 -> 03-29; department 03-29 -> 04-13 / 04-16
    ("A", 'township_clock = "arrival"',
     ["2013-03-09", "2013-03-19", "2013-03-24", "2013-03-29", "2013-04-13", "2013-04-16"]),
    # B-manual: the township's 15 days start after its 10-day reply window: report 04-03; office -> 04-08; 04-23 / 04-26
    ("B", 'township_clock = "after_reply"',
     ["2013-03-09", "2013-03-19", "2013-04-03", "2013-04-08", "2013-04-23", "2013-04-26"]),
])
def test_s01_manual_every_date(county_cli, init_county, reading, toml_setting, dates):
    """S-01, columns A-manual and B-manual: each tier passes the case on, by hand, at 17:00 on
    its last allowed day."""
    init_county(TOML.replace('township_clock = "arrival"', toml_setting))
    village_due, reply_due, report_due, office_due, finish_due, written_due = [d + "T23:59:59+08:00" for d in dates]
    cid = add(county_cli, "2013-03-04T09:00")["id"]
    assert show(county_cli, cid)["due_at"] == village_due

    s = county_cli("case", "escalate", cid, "--reason", "村里解决不了", "--now", dates[0] + "T17:00", "--json").data
    assert (s["level"], s["unit"]) == ("township", "zj.fx")
    assert s["extra"]["reply_due_at"] == reply_due
    assert s["due_at"] == report_due

    s = county_cli("case", "escalate", cid, "--now", dates[2] + "T17:00", "--json").data
    assert (s["level"], s["unit"], s["due_at"]) == ("ledger_office", "zj.sza", office_due)

    s = county_cli("case", "assign", cid, "--unit", "zj.nyj", "--now", dates[3] + "T17:00", "--json").data
    assert (s["level"], s["unit"], s["due_at"]) == ("department", "zj.nyj", finish_due)
    assert s["extra"]["report_due_at"] == written_due

    # the department reports in writing on day 18: the case goes to the joint meeting
    s = county_cli("case", "escalate", cid, "--reason", "书面报县三账办", "--now", dates[5] + "T17:00", "--json").data
    assert (s["level"], s["unit"], s["due_at"]) == ("joint_meeting", "zj.lxhy", None)
    s = county_cli("case", "escalate", cid, "--now", dates[5] + "T18:00", "--json").data
    assert (s["level"], s["unit"]) == ("county_leadership", "zj")
    # the manual escalations happened on the last allowed day, except the township's reply
    # (never given) and the department's completion (not done in 15 days)
    overdue = county_cli("sweep", "--now", "2013-12-31T00:00", "--json").data["actions"]
    assert overdue == []


@pytest.mark.parametrize("received, village_due, township_arrival, reply_due, report_due", [
    # across a month end: 01-28 + 5 = 02-02
    ("2026-01-28T15:00", "2026-02-02T23:59:59+08:00", "2026-02-03T00:00", "2026-02-13T23:59:59+08:00",
     "2026-02-18T23:59:59+08:00"),
    # across a year end; the Spring Festival does not stop calendar days
    ("2026-12-29T08:30", "2027-01-03T23:59:59+08:00", "2027-01-04T00:00", "2027-01-14T23:59:59+08:00",
     "2027-01-19T23:59:59+08:00"),
    # across the end of February of a leap year
    ("2028-02-26T11:00", "2028-03-02T23:59:59+08:00", "2028-03-03T00:00", "2028-03-13T23:59:59+08:00",
     "2028-03-18T23:59:59+08:00"),
    # received late in the evening: the day of arrival is the local date
    ("2026-03-31T23:30", "2026-04-05T23:59:59+08:00", "2026-04-06T00:00", "2026-04-16T23:59:59+08:00",
     "2026-04-21T23:59:59+08:00"),
])
def test_month_end_crossing(county_cli, init_county, received, village_due, township_arrival, reply_due, report_due):
    init_county(TOML)
    c = add(county_cli, received)
    assert c["due_at"] == village_due
    assert [a[3:] for a in sweep(county_cli, township_arrival)] == [("village", "township")]
    s = show(county_cli, c["id"])
    assert (s["extra"]["reply_due_at"], s["due_at"]) == (reply_due, report_due)


def test_utc_instant_is_taken_in_local_time(county_cli, init_county):
    """2026-03-31T16:30Z is 2026-04-01 00:30 in Zhongjiang: the 5 days count from 04-01."""
    init_county(TOML)
    assert add(county_cli, "2026-03-31T16:30:00Z")["due_at"] == "2026-04-06T23:59:59+08:00"


def test_township_reply_meets_the_reply_milestone(county_cli, init_county):
    init_county(TOML)
    cid = add(county_cli, "2013-03-04T09:00")["id"]
    r = county_cli("taizhang", "reply", cid, "--note", "已答复", "--now", "2013-03-05T09:00", ok=1)
    assert "township tier" in r.stderr
    county_cli("case", "escalate", cid, "--now", "2013-03-09T17:00")
    s = county_cli("taizhang", "reply", cid, "--note", "镇党委协调一事一议资金，建蓄水池", "--now", "2013-03-15T10:00", "--json").data
    assert s["status"] == "in_progress" and s["events"][-1]["type"] == "replied"
    assert sweep(county_cli, "2013-03-20T00:00:00") == []  # no reply flag: it was given
    r = county_cli("taizhang", "reply", cid, "--note", "再答复", "--now", "2013-03-16T10:00", ok=1)
    assert "no pending milestone 'reply'" in r.stderr
    # the township still owes the 15-day report: resolved on day 12 (WE-02), settled at the township
    s = county_cli("case", "resolve", cid, "--note", "建成3口蓄水池", "--now", "2013-03-21T10:00", "--json").data
    assert (s["status"], s["resolved_level"]) == ("resolved", "township")
    assert sweep(county_cli, "2013-04-30T00:00:00") == []


def test_ledger_office_overdue_is_flagged_and_stays(county_cli, init_county):
    init_county(TOML)
    cid = add(county_cli, "2013-03-04T09:00")["id"]
    county_cli("case", "escalate", cid, "--now", "2013-03-05T10:00")
    county_cli("case", "escalate", cid, "--now", "2013-03-06T10:00")
    assert show(county_cli, cid)["due_at"] == "2013-03-11T23:59:59+08:00"
    assert sweep(county_cli, "2013-03-12T00:00:00") == [(cid, "register_and_assign", "flag", "ledger_office", "ledger_office")]
    assert sweep(county_cli, "2013-06-01T00:00:00") == []  # stays with the office until it is assigned
    s = show(county_cli, cid)
    assert (s["level"], s["unit"]) == ("ledger_office", "zj.sza")
    # an operator escalation without naming a department leaves the case with the office
    s = county_cli("case", "escalate", cid, "--now", "2013-06-02T10:00", "--json").data
    assert (s["level"], s["unit"], s["due_at"]) == ("department", "zj.sza", "2013-06-17T23:59:59+08:00")
    s = county_cli("case", "assign", cid, "--unit", "zj.mzj", "--now", "2013-06-03T10:00", "--json").data
    assert (s["level"], s["unit"]) == ("department", "zj.mzj")


def test_settled_on_the_spot(county_cli, init_county):
    init_county(TOML)
    c = add(county_cli, "2013-03-04T09:00", "zj.fx.llg", "邻里纠纷", "stability",
            "--set", "on_the_spot=yes", "--set", "result=当场调解，赔偿苞谷")
    assert (c["status"], c["resolved_level"], c["due_at"]) == ("resolved", "village", None)
    assert c["resolved_at"] == "2013-03-04T09:00:00+08:00"
    assert c["events"][-1]["note"] == "当场办结 settled on the spot：当场调解，赔偿苞谷"
    assert sweep(county_cli, "2013-04-01T00:00:00") == []


def test_handover_gives_the_department_its_responsible_person(county_cli, init_county):
    """三账办交办 (L29 "县“三账办”5日内完成登记，并向相关部门交办") with the 责任人 of every sheet
    (L25): the department tier gets the department's one department_staff (nyj-cb) through the
    assignment rule. Dates by hand: handed over 03-07 10:00 → finish +15 d = 03-22 23:59:59,
    written report +18 d = 03-25 23:59:59."""
    init_county(TOML)
    cid = add(county_cli, "2013-03-04T09:00")["id"]
    # only a case that reached the 三账办 is handed to a department
    r = county_cli("taizhang", "handover", cid, "--department", "zj.nyj", "--now", "2013-03-04T10:00", ok=1)
    assert "村(社区)" in r.stderr
    county_cli("case", "escalate", cid, "--now", "2013-03-05T10:00")
    county_cli("case", "escalate", cid, "--now", "2013-03-06T10:00")
    assert "not a department" in county_cli("taizhang", "handover", cid, "--department", "zj.sza", ok=2).stderr
    # 县民政局 has no department_staff: the office must name the responsible person
    r = county_cli("taizhang", "handover", cid, "--department", "zj.mzj", "--now", "2013-03-07T10:00", ok=2)
    assert "--handler: 县民政局 has 0 department_staff" in r.stderr
    r = county_cli("taizhang", "handover", cid, "--department", "zj.mzj", "--handler", "nyj-cb", ok=2)
    assert "not of 县民政局" in r.stderr
    s = county_cli("taizhang", "handover", cid, "--department", "zj.nyj", "--now", "2013-03-07T10:00", "--json").data
    assert (s["level"], s["unit"], s["handler"], s["status"]) == ("department", "zj.nyj", "nyj-cb", "assigned")
    assert (s["due_at"], s["extra"]["report_due_at"]) == ("2013-03-22T23:59:59+08:00", "2013-03-25T23:59:59+08:00")
    e = s["events"][-1]
    assert (e["type"], e["level"], e["note"]) == ("assigned", "department", "三账办交办县农业农村局，责任人农业农村局承办人")
    # the office's 5-day milestone was met by the handover
    assert sweep(county_cli, "2013-03-12T00:00:00") == []


def test_handover_names_the_handler_when_the_rule_cannot(county_cli, init_county):
    """Two department_staff at 县农业农村局: the rule finds no single person, --handler names one."""
    init_county(TOML + '\n[[people]]\nid = "nyj-b"\nname = "农业农村局承办人二"\nunit = "zj.nyj"\n'
                       'roles = ["department_staff"]\n')
    cid = add(county_cli, "2013-03-04T09:00")["id"]
    county_cli("case", "escalate", cid, "--now", "2013-03-05T10:00")
    county_cli("case", "escalate", cid, "--now", "2013-03-06T10:00")
    r = county_cli("taizhang", "handover", cid, "--department", "zj.nyj", "--now", "2013-03-07T10:00", ok=2)
    assert "has 2 department_staff (nyj-cb, nyj-b)" in r.stderr
    s = county_cli("taizhang", "handover", cid, "--department", "zj.nyj", "--handler", "nyj-b",
                   "--now", "2013-03-07T10:00").stdout
    assert s.splitlines()[1] == ("  状态 已交办 assigned，层级 相关部门 department，单位 县农业农村局 zj.nyj，"
                                 "责任人 农业农村局承办人二 nyj-b")


@pytest.mark.parametrize("joint_unit, holder", [(True, "zj.lxhy"), (False, "zj.sza")])
def test_missed_written_report_goes_to_the_joint_meeting_through_the_office(county_cli, init_county, joint_unit, holder):
    """L29: "相关部门接件后，15日内办理完毕；不能处理的，18日内书面报县“三账办”，提交联席会议研究处理".
    Handed over 03-07 10:00: the 15 days end 03-22 23:59:59 (a flag), the 18 days 03-25 23:59:59;
    the sweep of 03-26 00:00 moves the case to the next tier of the chain, joint_meeting (rules.py
    TIERS: department → joint_meeting), held by the joint-meeting unit (or the 三账办 when the
    deployment has none) with the 三账办's staff member (sza-gz), who received the report and
    submits it, as the responsible person."""
    toml = TOML if joint_unit else TOML.replace(
        '[[units]]\ncode = "zj.lxhy"\nname = "县三本台账联席会议"\nlevel = "joint_meeting"\nparent = "zj"\n', "")
    init_county(toml)
    cid = add(county_cli, "2013-03-04T09:00")["id"]
    county_cli("case", "escalate", cid, "--now", "2013-03-05T10:00")
    county_cli("case", "escalate", cid, "--now", "2013-03-06T10:00")
    county_cli("taizhang", "handover", cid, "--department", "zj.nyj", "--now", "2013-03-07T10:00")
    assert sweep(county_cli, "2013-03-23T00:00:00") == [(cid, "finish", "flag", "department", "department")]
    assert sweep(county_cli, "2013-03-25T23:59:59") == []
    assert sweep(county_cli, "2013-03-26T00:00:00") == [(cid, "written_report", "escalate", "department", "joint_meeting")]
    s = show(county_cli, cid)
    assert (s["level"], s["unit"], s["handler"], s["due_at"]) == ("joint_meeting", holder, "sza-gz", None)
    assigned = [e for e in s["events"] if e["type"] == "assigned"][-1]
    assert (assigned["level"], assigned["note"]) == ("joint_meeting", "书面报县三账办，提交联席会议研究处理")


def test_the_kernels_assign_to_a_department_runs_the_assignment_rule(county_cli, init_county):
    """`county case assign --unit DEPT` (the kernel's path) gives the department its 责任人 (L25)
    through the same rule as `taizhang handover`: 县农业农村局's one department_staff, nyj-cb;
    the department's deadlines count from the assignment (03-07 10:00 → 03-22 / 03-25 23:59:59)."""
    init_county(TOML)
    cid = add(county_cli, "2013-03-04T09:00")["id"]
    county_cli("case", "escalate", cid, "--now", "2013-03-05T10:00")
    county_cli("case", "escalate", cid, "--now", "2013-03-06T10:00")
    s = county_cli("case", "assign", cid, "--unit", "zj.nyj", "--now", "2013-03-07T10:00", "--json").data
    assert (s["level"], s["unit"], s["handler"], s["status"]) == ("department", "zj.nyj", "nyj-cb", "assigned")
    assert (s["due_at"], s["extra"]["report_due_at"]) == ("2013-03-22T23:59:59+08:00", "2013-03-25T23:59:59+08:00")
    # a department the rule cannot staff (县民政局 has no department_staff): nobody is picked, and the
    # operator names the person
    other = add(county_cli, "2013-03-04T09:00")["id"]
    county_cli("case", "escalate", other, "--now", "2013-03-05T10:00")
    county_cli("case", "escalate", other, "--now", "2013-03-06T10:00")
    s = county_cli("case", "assign", other, "--unit", "zj.mzj", "--now", "2013-03-07T10:00", "--json").data
    assert (s["level"], s["unit"], s["handler"]) == ("department", "zj.mzj", None)
