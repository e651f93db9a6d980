"""sanquan (Xihu 三全十服务): who handles a matter — A/B posts (AB岗兼容制, L371), the 24-hour
duty roster (24小时值班制, L359), one-to-one contacts and grid teams (网组片, L363) — and the
star tiers' priority (五星级服务, L363), on the sample deployment through the CLI.

The records (set up once for the module, at 2024-10-01 08:00):

* households at 东山弄社区: H1 five stars in grid 1, contact 葛某 (dsn-ge), a call device by
  default; H2 four stars in grid 2, no contact, no device; H3 three stars, contact 俞某 (dsn-yu);
  LS1 two stars at 灵山村;
* grid 1's team: 林某 (dsn-lin, leader), 葛某; grid 2's: 方某 (dsn-fang, leader), 袁某 (bs-yuan);
* 社保 line: A 林某, B 方某; 林某 on leave 2024-10-14 00:00 until 2024-10-16 00:00;
* duty roster: 10-11 俞某, 10-14 林某 (on leave that night).
"""

from __future__ import annotations

import pytest
from test_sanquan_time import TOML, add

from framework.testing import CountyRunner


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("sanquan-assign") / "county.db").init(TOML)
    at = ("--now", "2024-10-01T08:00")
    hh = ("sanquan", "household", "add")
    run(*hh, "H1", "--unit", "xh.bs.dsn", "--name", "张某某", "--star", 5, "--grid", "xh.bs.dsn.g1",
        "--contact", "dsn-ge", *at)
    run(*hh, "H2", "--unit", "xh.bs.dsn", "--name", "李某某", "--star", 4, "--grid", "xh.bs.dsn.g2", *at)
    run(*hh, "H3", "--unit", "xh.bs.dsn", "--name", "赵某某", "--star", 3, "--grid", "xh.bs.dsn.g1",
        "--contact", "dsn-yu", *at)
    run(*hh, "LS1", "--unit", "xh.sp.ls", "--name", "钱某某", "--star", 2, *at)
    for grid, person, kind, leader in (("g1", "dsn-lin", "community_cadre", True), ("g1", "dsn-ge", "party_volunteer", False),
                                       ("g2", "dsn-fang", "community_cadre", True), ("g2", "bs-yuan", "township_cadre", False)):
        run("sanquan", "team", "add", "--grid", f"xh.bs.dsn.{grid}", "--person", person, "--kind", kind,
            *(("--leader",) if leader else ()), *at)
    run("sanquan", "post", "set", "--unit", "xh.bs.dsn", "--line", "社保", "--a", "dsn-lin", "--b", "dsn-fang", *at)
    run("sanquan", "leave", "add", "--person", "dsn-lin", "--from", "2024-10-14", "--until", "2024-10-16",
        "--reason", "病假", *at)
    run("sanquan", "roster", "set", "--unit", "xh.bs.dsn", "--date", "2024-10-11", "--person", "dsn-yu", *at)
    run("sanquan", "roster", "set", "--unit", "xh.bs.dsn", "--date", "2024-10-14", "--person", "dsn-lin", *at)
    return run


def who(c):
    return c["handler"], c["extra"]["assigned_as"]


@pytest.mark.parametrize("now, handler, post", [
    ("2024-10-11T10:00", "dsn-lin", "A"),     # A on duty
    ("2024-10-14T10:00", "dsn-fang", "B"),    # A on leave: B (L371; S-07)
    # Sunday 18:00 is out of hours: the matter waits for Monday 08:00, when A is on leave
    ("2024-10-13T18:00", "dsn-fang", "B"),
    ("2024-10-16T08:00", "dsn-lin", "A"),     # the leave ended at 00:00
    # Tuesday 21:30, out of hours: timed from Wednesday 08:00, A is back
    ("2024-10-15T21:30", "dsn-lin", "A"),
])
def test_a_b_posts(run, now, handler, post):
    c = add(run, now, "line=社保", title="社保卡补办")
    assert who(c) == (handler, post) and c["status"] == "assigned"


def test_the_b_post_is_named_on_the_assigned_event(run):
    c = add(run, "2024-10-15T09:00", "line=社保", title="养老保险转移")
    notes = [e["note"] for e in run("case", "show", c["id"], "--json").data["events"] if e["type"] == "assigned"]
    assert notes == ["社保条线A岗林某不在岗，由B岗方某办理（AB岗兼容制, L371）"]
    d = run("sanquan", "post", "who", "--unit", "xh.bs.dsn", "--line", "社保", "--at", "2024-10-15T09:00",
            "--json").data
    assert (d["person"], d["post"]) == ("dsn-fang", "B")


def test_on_call_out_of_hours_goes_to_the_duty_roster(run):
    # Saturday 02:00 belongs to Friday 10-11's duty (before Saturday's opening)
    c = add(run, "2024-10-12T02:00", "urgent=yes", "line=社保", title="独居老人求助")
    assert who(c) == ("dsn-yu", "duty") and c["priority"] == "urgent"
    # a five-star household's call device at 23:00: on-call by its channel
    c = add(run, "2024-10-11T23:00", "household=H1", channel="call_device", unit="xh.bs.dsn.g1", title="呼叫器求助")
    assert who(c) == ("dsn-yu", "duty") and c["extra"]["on_call"] is True and c["extra"]["star"] == 5
    # Tuesday 02:00 is Monday 10-14's duty, 林某, on leave: no duty person; no line, no household
    c = add(run, "2024-10-15T02:00", "urgent=yes", title="夜间漏水")
    assert who(c) == (None, "none") and c["status"] == "registered"
    # on-call inside service hours: not the roster, the line's A post
    c = add(run, "2024-10-11T10:00", "urgent=yes", "line=社保", title="紧急求助")
    assert who(c) == ("dsn-lin", "A")


@pytest.mark.parametrize("household, handler, how, priority, star, joint", [
    ("H1", "dsn-ge", "contact", "high", 5, None),      # one-to-one contact (L363); 5 ≥ 4 stars
    # no contact: grid 2's team leader, with the team's 镇街干部 jointly (组团式服务, L363)
    ("H2", "dsn-fang", "grid_team", "high", 4, ("xh.bs", "bs-yuan")),
    ("H3", "dsn-yu", "contact", None, 3, None),         # 3 stars: no priority
])
def test_households_contacts_teams_and_star_priority(run, household, handler, how, priority, star, joint):
    c = add(run, "2024-10-10T10:00", f"household={household}", title="上门服务需求")
    assert who(c) == (handler, how)
    assert (c["priority"], c["extra"]["star"]) == (priority, star)
    assert ((c["joint_unit"], c["joint_handler"]) if c["joint_handler"] else None) == joint


def test_grid_team_skips_a_member_on_leave(run):
    c = add(run, "2024-10-14T10:00", unit="xh.bs.dsn.g1", title="网格内垃圾清运")
    assert who(c) == ("dsn-ge", "grid_team") and c["extra"]["grid"] == "xh.bs.dsn.g1"


def test_village_intake(run):
    c = add(run, "2024-10-10T10:00", "household=LS1", unit="xh.sp.ls", title="村道破损")
    assert (c["level"], c["unit"], c["extra"]["star"], c["priority"]) == ("community", "xh.sp.ls", 2, None)


@pytest.mark.parametrize("args, fragment", [
    (("--unit", "xh.bs.dsn", "--channel", "call_device"), "--channel call_device"),
    (("--unit", "xh.bs.dsn", "--channel", "call_device", "--set", "household=H2"), "--channel call_device"),
    (("--unit", "xh.sp.ls", "--set", "household=H1"), "--set household=H1"),
    (("--unit", "xh.bs.dsn", "--set", "household=H9"), "--set household=H9"),
    (("--unit", "xh.bs", "--channel", "hotline"), "--unit xh.bs"),
    (("--unit", "xh.bs.dsn", "--set", "urgent=maybe"), "--set urgent"),
])
def test_bad_intake_is_one_line_and_stores_nothing(run, args, fragment):
    before = len(run("case", "list", "--json").data)
    r = run("case", "add", "--method", "sanquan", "--title", "x", "--category", "routine", *args,
            "--now", "2024-10-10T10:00", ok=2)
    assert fragment in r.stderr and "Traceback" not in r.output and len(r.stderr.strip().splitlines()) == 1
    assert len(run("case", "list", "--json").data) == before


@pytest.mark.parametrize("args, fragment", [
    (("household", "add", "H7", "--unit", "xh.bs.dsn", "--name", "x", "--star", 6), "--star 6"),
    (("household", "add", "H1", "--unit", "xh.bs.dsn", "--name", "x", "--star", 3), "household 'H1'"),
    (("household", "add", "H8", "--unit", "xh.bs.dsn.g1", "--name", "x", "--star", 3), "--unit xh.bs.dsn.g1"),
    (("household", "add", "H8", "--unit", "xh.sp.ls", "--name", "x", "--star", 3, "--grid", "xh.bs.dsn.g1"),
     "--grid xh.bs.dsn.g1"),
    (("post", "set", "--unit", "xh.bs.dsn", "--line", "民政", "--a", "dsn-yu", "--b", "dsn-yu"), "--b dsn-yu"),
    (("post", "set", "--unit", "xh.bs.dsn", "--line", "民政", "--a", "nobody", "--b", "dsn-yu"), "--a nobody"),
    (("leave", "add", "--person", "dsn-yu", "--from", "2024-10-20", "--until", "2024-10-19"), "--until"),
    (("team", "add", "--grid", "xh.bs.dsn", "--person", "dsn-yu", "--kind", "community_cadre"), "--grid xh.bs.dsn"),
    (("roster", "set", "--unit", "xh.bs.dsn", "--date", "2024-13-01", "--person", "dsn-yu"), "--date"),
    (("visit", "H9", "--person", "dsn-ge"), "household H9"),
])
def test_bad_records_are_refused(run, args, fragment):
    r = run("sanquan", *args, "--now", "2024-10-10T10:00", ok=2)
    assert fragment in r.stderr and "Traceback" not in r.output
