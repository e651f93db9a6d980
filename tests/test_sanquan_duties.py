"""sanquan (Xihu 三全十服务): star-household visit duties (五星级 每天上门服务, L363; the other
tiers' cadences are settings: 4 stars every 7 days, 3 stars every 30, 1–2 stars none), the
24-hour duty roster duty (L359), the method's appraisal figures and its board, on the sample
deployment with ``response_hours = 2.0`` (an ordinary matter answered within 2 hours of its
start; on-call ones within 1 hour of arrival), through the CLI. Every value below is counted by hand from the records:

* households since 2024-10-01: D5 (5 stars, grid 1), D4 (4 stars, grid 2), D3 (3 stars), D1
  (1 star); visits: D5 on 10-02 and 10-04, D4 on 10-05;
* roster: 10-02 俞某, 10-03 林某 — on leave 10-03 00:00..10-04 00:00 and 10-09 00:00..10-10 00:00;
* matters: c1 10-08 10:00 社保 (A 林某), responded 11:00 (due 12:00: met); c3 10-08 22:00
  out of hours (timed from 10-09 08:00), resolved 10-09 09:00 (respond due 10:00: met);
  c2 10-09 10:00 社保 (A on leave: B 方某), responded 13:00 (due 12:00: missed); c4 10-09 23:00
  urgent (on-call, no duty person that night), responded 10-10 00:30 (due 00:00: missed).
"""

from __future__ import annotations

import pytest
from test_sanquan_time import TOML, add

from framework import STATUS_ZH
from framework.testing import CountyRunner

# a deployment with a 2-hour response limit for ordinary matters (setting response_hours)
TOML_TEXT = TOML.read_text(encoding="utf-8").replace("# response_hours = 2.0", "response_hours = 2.0")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    d = tmp_path_factory.mktemp("sanquan-duties")
    run = CountyRunner(d / "county.db").init(TOML_TEXT)
    at = ("--now", "2024-10-01T08:00")
    for hid, star, grid in (("D5", 5, "g1"), ("D4", 4, "g2"), ("D3", 3, "g1"), ("D1", 1, "g2")):
        run("sanquan", "household", "add", hid, "--unit", "xh.bs.dsn", "--name", f"住户{hid}", "--star", star,
            "--grid", f"xh.bs.dsn.{grid}", *at)
    run("sanquan", "post", "set", "--unit", "xh.bs.dsn", "--line", "社保", "--a", "dsn-lin", "--b", "dsn-fang", *at)
    run("sanquan", "roster", "set", "--unit", "xh.bs.dsn", "--date", "2024-10-02", "--person", "dsn-yu", *at)
    run("sanquan", "roster", "set", "--unit", "xh.bs.dsn", "--date", "2024-10-03", "--person", "dsn-lin", *at)
    run("sanquan", "leave", "add", "--person", "dsn-lin", "--from", "2024-10-03", "--until", "2024-10-04", *at)
    run("sanquan", "leave", "add", "--person", "dsn-lin", "--from", "2024-10-09", "--until", "2024-10-10", *at)
    for hid, when in (("D5", "2024-10-02T10:00"), ("D5", "2024-10-04T09:00"), ("D4", "2024-10-05T15:00")):
        run("sanquan", "visit", hid, "--person", "dsn-ge", "--now", when)
    # 灵山村: R1 one star from 10-01 (no visit duty), re-rated five stars from 10-20
    run("sanquan", "household", "add", "R1", "--unit", "xh.sp.ls", "--name", "住户R1", "--star", 1, *at)
    run("sanquan", "household", "rate", "R1", "--star", 5, "--since", "2024-10-20", "--reason", "独居", *at)
    run("sanquan", "visit", "R1", "--person", "ls-zhu", "--now", "2024-10-21T09:00")
    ids = {}
    ids["c1"] = add(run, "2024-10-08T10:00", "line=社保", title="社保卡补办")["id"]
    run("sanquan", "respond", ids["c1"], "--note", "已电话联系", "--now", "2024-10-08T11:00")
    ids["c3"] = add(run, "2024-10-08T22:00", title="楼道灯不亮")["id"]
    run("case", "resolve", ids["c3"], "--note", "已更换灯泡", "--now", "2024-10-09T09:00")
    ids["c2"] = add(run, "2024-10-09T10:00", "line=社保", title="医保转移")["id"]
    run("sanquan", "respond", ids["c2"], "--note", "已受理", "--now", "2024-10-09T13:00")
    ids["c4"] = add(run, "2024-10-09T23:00", "urgent=yes", title="水管爆裂")["id"]
    run("sanquan", "respond", ids["c4"], "--note", "已到场", "--now", "2024-10-10T00:30")
    run.ids = ids
    return run


def test_response_limit_from_the_service_start(run):
    """With ``response_hours = 2.0`` an ordinary matter out of hours must be answered by 2 hours
    after the next opening: c3 (22:00) by 10-09 10:00; c4 (on-call) by 10-10 00:00."""
    due = {k: run("case", "show", v, "--json").data["extra"]["respond_due_at"] for k, v in run.ids.items()}
    assert due == {"c1": "2024-10-08T12:00:00+08:00", "c3": "2024-10-09T10:00:00+08:00",
                   "c2": "2024-10-09T12:00:00+08:00", "c4": "2024-10-10T00:00:00+08:00"}
    ms = run("case", "show", run.ids["c2"], "--json").data
    assert ms["status"] == "in_progress"


def duties(run, day, unit="xh.bs.dsn"):
    return sorted((d["kind"], d["subject"], d["done"]) for d in run("duties", "--date", day, "--unit", unit,
                                                                  "--json").data if d["method"] == "sanquan")


@pytest.mark.parametrize("day, want", [
    ("2024-10-19", []),                              # one star: no visit duty
    ("2024-10-20", [("star_visit", "R1", False)]),   # five stars from 10-20: daily
    ("2024-10-21", [("star_visit", "R1", True)]),
])
def test_a_re_rating_starts_its_cadence_on_its_date(run, day, want):
    assert [d for d in duties(run, day, "xh.sp.ls") if d[0] == "star_visit"] == want


def test_matters_carry_the_rating_in_force(run):
    c = add(run, "2024-10-15T10:00", "household=R1", unit="xh.sp.ls", title="代购药品")
    assert (c["extra"]["star"], c["priority"]) == (1, None)
    c = add(run, "2024-10-21T10:00", "household=R1", unit="xh.sp.ls", title="代购药品")
    assert (c["extra"]["star"], c["priority"]) == (5, "high")


@pytest.mark.parametrize("day, want", [
    ("2024-09-30", []),  # before the community's records begin
    ("2024-10-02", [("on_call_duty", "2024-10-02", True), ("star_visit", "D5", True)]),
    # 林某 holds the roster of 10-03 but is on leave at its opening
    ("2024-10-03", [("on_call_duty", "2024-10-03", False), ("star_visit", "D5", False)]),
    ("2024-10-04", [("on_call_duty", "2024-10-04", False), ("star_visit", "D5", True)]),
    # D4's first 7-day window 10-01..10-07 holds the visit of 10-05
    ("2024-10-07", [("on_call_duty", "2024-10-07", False), ("star_visit", "D4", True), ("star_visit", "D5", False)]),
    ("2024-10-14", [("on_call_duty", "2024-10-14", False), ("star_visit", "D4", False), ("star_visit", "D5", False)]),
    # D3's 30-day window 10-01..10-30 without a visit; 1-star D1 never has a duty
    ("2024-10-30", [("on_call_duty", "2024-10-30", False), ("star_visit", "D3", False), ("star_visit", "D5", False)]),
])
def test_visit_and_roster_duties(run, day, want):
    assert duties(run, day) == want


def test_duty_titles_and_units(run):
    d = [x for x in run("duties", "--date", "2024-10-07", "--json").data if x["subject"] == "D4"][0]
    assert (d["unit"], d["title"], d["due_on"]) == ("xh.bs.dsn.g2", "四星级服务户每7天上门服务", "2024-10-07")


def test_appraisal_figures(run):
    data = run("appraise", "--period", "2024-10", "--unit", "xh.bs.dsn", "--now", "2024-10-10T12:00", "--json").data
    rows = data["metrics"] if isinstance(data, dict) else data
    got = {m["metric"]: (m["numerator"], m["denominator"], m["value"]) for m in rows
           if m["method"] == "sanquan" and m["subject"] == "xh.bs.dsn" and m["metric"] in (
               "star_visit_rate", "respond_on_time_rate", "out_of_hours_share", "on_call_cases", "backup_share")}
    assert got == {
        # D5: 9 daily windows owed 10-01..10-09 (10-10 is today, not yet over, not visited: not
        # owed), 2 visited; D4: the window ending 10-07, visited
        "star_visit_rate": (3, 10, 0.3),
        "respond_on_time_rate": (2, 4, 0.5),   # c1, c3 met; c2, c4 missed
        "out_of_hours_share": (2, 4, 0.5),     # c3 at 22:00, c4 at 23:00
        "on_call_cases": (None, None, 1),      # c4
        "backup_share": (1, 2, 0.5),           # c2 of c1, c2
    }


def test_half_year_period(run):
    """2024H2 (07-01..12-31): the same figures as October, the records beginning 10-01."""
    data = run("appraise", "--period", "2024H2", "--unit", "xh.bs.dsn", "--now", "2024-10-10T12:00", "--json").data
    rows = data["metrics"] if isinstance(data, dict) else data
    got = {m["metric"]: (m["numerator"], m["denominator"]) for m in rows
           if m["method"] == "sanquan" and m["subject"] == "xh.bs.dsn" and m["metric"] in ("star_visit_rate", "respond_on_time_rate", "out_of_hours_share", "backup_share")}
    assert got == {"star_visit_rate": (3, 10), "respond_on_time_rate": (2, 4), "out_of_hours_share": (2, 4),
                   "backup_share": (1, 2)}
    boards = run("board", "--unit", "xh.bs.dsn", "--period", "2024H2", "--now", "2024-10-10T12:00", "--json").data
    assert [b["title"] for b in boards] == ["东山弄社区“三全十服务”公示（2024H2）"]
    assert [len(sec["rows"]) for sec in boards[0]["sections"]] == [3, 2, 1, 4]  # no roster for a half-year


def test_board_rows(run):
    boards = run("board", "--unit", "xh.bs.dsn", "--period", "2024-10", "--now", "2024-10-10T12:00", "--json").data
    assert [b["title"] for b in boards] == ["东山弄社区“三全十服务”公示（2024-10）"]
    sections = {s["title"]: s["rows"] for s in boards[0]["sections"]}
    assert list(sections) == ["服务时间（错时工作制）", "民情联系卡·“两委”班子成员", "民情联系卡·AB岗", "本期服务事项",
                              "本月24小时值班安排"]
    assert sections["服务时间（错时工作制）"][0] == {"days": "工作日（含调休上班日）", "hours": "08:00—21:00",
                                                 "form": "朝八晚九"}
    assert sections["民情联系卡·“两委”班子成员"] == [{"name": "方某", "post": "社区“两委”班子成员"},
                                                  {"name": "林某", "post": "社区“两委”班子成员"}]
    assert sections["民情联系卡·AB岗"] == [{"line": "社保", "a": "林某", "b": "方某"}]
    assert sections["本月24小时值班安排"] == [{"date": "2024-10-02", "person": "俞某"},
                                            {"date": "2024-10-03", "person": "林某"}]
    rows = {r["case_id"]: r for r in sections["本期服务事项"]}
    ids = run.ids
    want = {
        # 3 working days after the start's date (10-12, a Saturday, is a make-up working day)
        ids["c1"]: ("2024-10-08 10:00", "服务时间内受理", "2024-10-08 10:00", "2024-10-11", "林某（A岗）", "in_progress"),
        ids["c3"]: ("2024-10-08 22:00", "错时以外·次日开门计时", "2024-10-09 08:00", "2024-10-12", "—（待指定）",
                    "resolved"),
        ids["c2"]: ("2024-10-09 10:00", "服务时间内受理", "2024-10-09 10:00", "2024-10-12", "方某（B岗（A岗不在岗））",
                    "in_progress"),
        ids["c4"]: ("2024-10-09 23:00", "错时以外·值班即办", "2024-10-09 23:00", "2024-10-12", "—（待指定）",
                    "in_progress"),
    }
    assert {k: (r["received"], r["intake"], r["timed_from"], r["due_on"], r["handled_by"], r["status"])
            for k, r in rows.items()} == {k: (*v[:5], STATUS_ZH[v[5]]) for k, v in want.items()}
    assert rows[ids["c1"]]["service"] == "常规服务"
