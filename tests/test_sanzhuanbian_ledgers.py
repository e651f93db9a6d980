"""sanzhuanbian (乌什“三个转变”, casebook L110): problems through the three ledgers, through the
CLI on the sample deployment (plugins/contrib/sanzhuanbian/data/wushi.toml); every instant
computed by hand in Asia/Shanghai (+08:00).

2024: 10-01..07 National Day holiday; Sunday 09-29 and Saturday 10-12 make-up working days (调休);
2024 is a leap year. A limit ends 23:59:59 local: ``+Nd`` on the Nth calendar day after the day
taken in, ``+Nwd`` on the Nth working day, a date on that day; without one, ``limit_days`` (15)
calendar days (明确解决时限 names no number). Missed, it is flagged (督办), never escalated (the
source names no tier)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import plugins.contrib.sanzhuanbian
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.sanzhuanbian.__file__).parent / "data" / "wushi.toml"
M = "sanzhuanbian"


def problem(run, unit, now, *sets, title="房屋漏雨", ok=0, **kw):
    args = ["case", "add", "--method", M, "--unit", unit, "--title", title, "--channel", kw.get("channel", "visit"),
            "--category", kw.get("category", "hardship"), "--now", now, "--json"]
    for kv in sets:
        args += ["--set", kv]
    return run(*args, *kw.get("extra_args", ()), ok=ok).data


def pick(case, *keys):
    return tuple(case[k] for k in keys)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("sanzhuanbian-ledgers") / "county.db").init(TOML)
    now = "2024-09-01T09:00"
    run(M, "household", "add", "c1-h1", "--unit", "ws.ahy.c1", "--flag", "needy", "--now", now)
    run(M, "link", "--cadre", "nyj-01", "--household", "c1-h1", "--now", now)
    run(M, "pair", "--department", "ws.nyj", "--village", "ws.ahy.c1", "--now", now)
    run(M, "pair", "--department", "ws.slj", "--village", "ws.ahy.c2", "--now", now)
    # A: Friday 09-27, the household's cadre; 15 calendar days 09-28 … 10-12 (the holiday counts)
    problem(run, "ws.ahy.c1", "2024-09-27T10:00", "household=c1-h1", "weight=heavy", "urgency=urgent",
            extra_args=("--requester-name", "王长贵", "--requester-phone", "13812345678"))
    # B: Sunday 09-29 (a make-up working day, but counting starts the day after): 09-30, 10-08, 09, 10, 11
    problem(run, "ws.ahy.c1", "2024-09-29T15:00", "limit=+5wd", "responsible=c1-01", "responsible_unit=ws.slj",
            "weight=heavy", title="宅基地纠纷", category="dispute")
    # C: Monday 09-30 at 二村: 10-08, 09, 10, 11, 12 (Saturday, 调休), 14, 15, 16, 17, 18
    problem(run, "ws.ahy.c2", "2024-09-30T09:00", "limit=+10wd", title="灌溉渠堵塞", category="production")
    # D: Wednesday 2024-02-14 at 城北社区, default 15 days: 02-15 … 02-29 (leap day)
    problem(run, "ws.wsz.cb", "2024-02-14T10:00", title="楼道灯不亮", category="livelihood", channel="petition")
    # E: a dated limit at the month's end
    problem(run, "ws.ahy.c2", "2024-10-08T11:00", "limit=2024-10-31", title="低保咨询", category="policy")
    return run


def test_intake_triage_assignment_and_due_instants(run):
    cases = {c["id"]: c for c in run("case", "list", "--method", M, "--json").data}
    assert sorted(cases) == ["ws-000001", "ws-000002", "ws-000003", "ws-000004", "ws-000005"]
    got = {i: run("case", "show", i, "--json").data for i in cases}
    # 明确相关单位和责任人: the household's cadre 艾某 and the paired 县农业局 jointly; 重·急 → high
    assert pick(got["ws-000001"], "handler", "joint_unit", "priority", "status", "due_at") == (
        "nyj-01", "ws.nyj", "high", "assigned", "2024-10-12T23:59:59+08:00")
    assert got["ws-000001"]["extra"]["limit_due_at"] == "2024-10-12T23:59:59+08:00"
    # named person and unit; 重 only → normal
    assert pick(got["ws-000002"], "handler", "joint_unit", "priority", "due_at") == (
        "c1-01", "ws.slj", "normal", "2024-10-11T23:59:59+08:00")
    # no household: 二村's one village cadre, its paired 县水利局; neither 重 nor 急 → low
    assert pick(got["ws-000003"], "handler", "joint_unit", "priority", "due_at") == (
        "c2-01", "ws.slj", "low", "2024-10-18T23:59:59+08:00")
    # 城北社区 has no village cadre and no pairing: nobody yet
    assert pick(got["ws-000004"], "handler", "joint_unit", "status", "due_at") == (
        None, None, "registered", "2024-02-29T23:59:59+08:00")
    assert got["ws-000005"]["due_at"] == "2024-10-31T23:59:59+08:00"


@pytest.mark.parametrize("unit, sets, message", [
    ("ws.ahy", [], "taken in by a village or a community"),
    ("ws.ahy.c2", ["household=c1-h1"], "a household of ws.ahy.c1, not of ws.ahy.c2"),
    ("ws.ahy.c1", ["household=nope"], "no such household"),
    ("ws.ahy.c1", ["limit=+3x"], "use +Nd (calendar days), +Nwd (working days) or YYYY-MM-DD"),
    ("ws.ahy.c1", ["limit=2024-10-08"], "must be after the day the problem was taken in (2024-10-08)"),
    ("ws.ahy.c1", ["weight=middle"], "--set weight=middle"),
    ("ws.ahy.c1", ["responsible=nobody"], "--set responsible=nobody: no such person"),
])
def test_bad_problems_are_refused_in_one_line(run, unit, sets, message):
    before = len(run("case", "list", "--method", M, "--json").data)
    err = run("case", "add", "--method", M, "--unit", unit, "--title", "x", "--now", "2024-10-08T12:00",
              *[a for kv in sets for a in ("--set", kv)], ok=2).stderr
    assert message in err and err.count("\n") == 1
    assert len(run("case", "list", "--method", M, "--json").data) == before


def test_sweep_flags_a_missed_limit_and_never_escalates(run):
    run("case", "resolve", "ws-000004", "--note", "已更换灯泡", "--now", "2024-02-20T10:00")
    # nothing is past due at B's instant itself; D was solved in time
    assert [a["case"] for a in run("sweep", "--now", "2024-10-11T23:59:59", "--json").data["actions"]] == []
    acts = run("sweep", "--now", "2024-10-12T23:59:59", "--json").data["actions"]
    assert [(a["case"], a["milestone"], a["due_at"], a["action"]) for a in acts] == [
        ("ws-000002", "close", "2024-10-11T23:59:59+08:00", "flag")]
    acts = run("sweep", "--now", "2024-10-13T08:00", "--json").data["actions"]
    assert [(a["case"], a["due_at"], a["action"]) for a in acts] == [
        ("ws-000001", "2024-10-12T23:59:59+08:00", "flag")]
    assert run("sweep", "--now", "2024-10-13T08:00", "--json").data["actions"] == []  # idempotent


def test_defer_strike_off_and_the_three_ledgers(run):
    # 对一时解决不了的问题，积极向群众做好解释工作: the reason is required, the new limit the 31st
    run(M, "defer", "ws-000003", "--reason", "  ", "--now", "2024-10-15T09:00", ok=2)
    c = run(M, "defer", "ws-000003", "--reason", "需待春灌前统一清淤，已向群众说明", "--until", "2024-10-31",
            "--now", "2024-10-15T09:00", "--json").data
    assert pick(c, "status", "due_at") == ("in_progress", "2024-10-31T23:59:59+08:00")
    # B's limit was missed and flagged on 10-12: it stays missed, and nothing is written
    r = run(M, "defer", "ws-000002", "--reason", "需协调", "--until", "2024-10-31", "--now", "2024-10-15T09:00", ok=1)
    assert "past its limit (2024-10-11T23:59:59+08:00, flagged 督办)" in r.stderr
    run("case", "resolve", "ws-000001", "--note", "已协调修缮", "--now", "2024-10-14T10:00")
    # 督办销号: not by 艾某 (no supervisor role), not an open problem, once only
    assert "does not hold the role supervisor" in run(M, "strike", "ws-000001", "--by", "nyj-01",
                                                      "--now", "2024-10-15T10:00", ok=2).stderr
    assert "not solved" in run(M, "strike", "ws-000002", "--by", "ws-dc", "--now", "2024-10-15T10:00", ok=1).stderr
    run(M, "strike", "ws-000001", "--by", "ws-dc", "--note", "经核实已修缮", "--now", "2024-10-15T10:00")
    assert "already struck off" in run(M, "strike", "ws-000001", "--by", "ws-dc", "--now", "2024-10-16T10:00",
                                       ok=1).stderr
    books = run(M, "ledger", "--now", "2024-10-20T09:00", "--json").data
    assert {k: [(r["case_id"], r["overdue"], r["struck_off"]) for r in v] for k, v in books.items()} == {
        "to_solve": [("ws-000002", True, False), ("ws-000005", False, False)],
        "pending": [("ws-000003", False, False)],
        "solved": [("ws-000001", False, True), ("ws-000004", False, False)]}
    assert books["pending"][0]["explained"] == "需待春灌前统一清淤，已向群众说明"
    two = run(M, "ledger", "--unit", "ws.ahy.c2", "--now", "2024-10-20T09:00", "--json").data
    assert [len(two[k]) for k in ("to_solve", "pending", "solved")] == [1, 1, 0]
    human = run(M, "ledger", "--unit", "ws.ahy.c1", "--now", "2024-10-20T09:00").stdout
    assert human.splitlines()[0] == "需解决问题（1）" and "已销号" in human


def test_the_ledger_board_and_the_strike_off_rate(run):
    board = json.loads(run("board", "--unit", "ws.ahy.c1", "--period", "2024-10", "--format", "json",
                           "--now", "2024-10-20T09:00").stdout)
    mine = [b for b in (board if isinstance(board, list) else board["boards"]) if b["method"] == M]
    assert [b["title"] for b in mine] == ["阿合雅镇一村“三本台账”（2024-10）"]
    rows = {s["title"]: [(r["case_id"], r.get("struck_off")) for r in s["rows"]] for s in mine[0]["sections"]}
    assert rows == {"需解决问题": [("ws-000002", "待销号")], "待解决问题": [], "已解决问题": [("ws-000001", "已销号")]}
    text = json.dumps(board, ensure_ascii=False)
    assert "王长贵" not in text and "13812345678" not in text

    def struck(period):
        return next((m["numerator"], m["denominator"]) for m in
                    run("appraise", "--period", period, "--unit", "ws", "--now", "2024-12-01", "--json").data
                    if m["method"] == M and m["metric"] == "struck_off_rate" and m["subject"] == "ws")

    assert struck("2024-10") == (1, 1) and struck("2024") == (1, 2)


def test_working_days_setting(init_county):
    """``day_kind = "working"``: 15 working days from Monday 2024-09-30 are 10-08 … 10-12 (Saturday,
    调休), 10-14 … 18, 10-21 … 25."""
    county = init_county(TOML.read_text(encoding="utf-8").replace('day_kind = "calendar"', 'day_kind = "working"'))
    c = county("case", "add", "--method", M, "--unit", "ws.ahy.c2", "--title", "灌溉渠堵塞", "--now",
               "2024-09-30T09:00", "--json").data
    assert c["due_at"] == "2024-10-25T23:59:59+08:00"


def test_a_bad_setting_is_refused(county_cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(TOML.read_text(encoding="utf-8").replace("team_threshold = 0.8", "team_threshold = 1.5"),
                   encoding="utf-8")
    r = county_cli("init", "--config", bad, ok=2)
    assert "team_threshold" in r.stderr
