"""shequ365 acceptance: a small community for November 2026 (issue 7 "done when", S-08).

幸福社区 has two grids: 一网格 (social worker sw1 王芳, 25 linked households h101–h125 and five
unlinked ones) and 二网格 (sw2 李娜, 4 linked households h201–h204); the community leader ld1
陈明 patrols the main roads. Settings are the defaults: time-limited 3 calendar days, misses
flagged, mandatory visits due 7 calendar days after the trigger, weekly analysis on Fridays.

What happens in November 2026 (every instant +08:00):

* visits: sw1 visits h101–h120 (h101 twice), and h203 (sw2's household, so it does not count
  for sw2); sw2 visits h201 (11-22) and h202 (11-09);
* mandatory visits: h102 moved in 11-03 (due 11-10, visited 11-04: on time); h201 in
  hospital 11-12 (due 11-19, visited 11-22: late); h204 major change 11-20 (due 11-27, never
  visited: missed);
* patrols: sw1 patrols 一网格 morning and evening 11-02..11-06 (10); sw2 patrols 二网格 on the
  morning of 11-02 (1) and finds a neighbour dispute;
* meetings: huddles 11-02..11-06 (5), weekly analysis 11-06 and 11-13 (2 of the 4 Fridays),
  a coordination meeting 11-10, a hearing 11-18, the two-committee joint meeting 11-30.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

TOML = """
[deployment]
name = "宁波市海曙区"
code = "hs"
methods = ["shequ365"]

[[units]]
code = "hs"
name = "海曙区"
level = "county"
[[units]]
code = "hs.gl"
name = "鼓楼街道"
level = "township"
parent = "hs"
[[units]]
code = "hs.gl.xf"
name = "幸福社区"
level = "community"
parent = "hs.gl"
[[units]]
code = "hs.rsj"
name = "区人社局"
level = "department"
parent = "hs"

[[people]]
id = "sw1"
name = "王芳"
unit = "hs.gl.xf"
roles = ["social_worker"]
[[people]]
id = "sw2"
name = "李娜"
unit = "hs.gl.xf"
roles = ["social_worker"]
[[people]]
id = "ld1"
name = "陈明"
unit = "hs.gl.xf"
roles = ["community_leader"]
"""


class Run:
    def __init__(self, db):
        from framework.cli.main import cli

        self.db, self.cli, self.runner = str(db), cli, CliRunner()

    def __call__(self, *args, ok=0):
        args = [str(a) for a in args] + ["--db", self.db]
        r = self.runner.invoke(self.cli, args, catch_exceptions=False)
        assert r.exit_code == ok, f"county {' '.join(args)} -> {r.exit_code}\n{r.output}"
        r.data = json.loads(r.stdout) if "--json" in args and r.exit_code == 0 else None
        return r


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    d = tmp_path_factory.mktemp("shequ365")
    (d / "county.toml").write_text(TOML, encoding="utf-8")
    (d / "grids.csv").write_text("code,name,community,worker,planned_households\n"
                                 "g1,一网格,hs.gl.xf,sw1,250\ng2,二网格,hs.gl.xf,sw2,250\n", encoding="utf-8")
    lines = ["id,grid,address,head,phone,kinds,worker,moved_in"]
    for i in range(101, 131):
        head = "张伟" if i == 101 else f"住户{i}"
        moved = "2026-11-03" if i == 102 else ""
        lines.append(f"h{i},g1,幸福社区{i}室,{head},1381234{i:04d},needy,{'sw1' if i <= 125 else ''},{moved}")
    for i in range(201, 205):
        lines.append(f"h{i},g2,幸福社区二区{i}室,李{i},,unemployed;retiree,sw2,")
    (d / "households.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "members.csv").write_text(
        "id,name,kind,community,line,grid,block,roles,work_post,service_post\n"
        "sw1,王芳,social_worker,hs.gl.xf,民政,g1,,,,\n"
        "sw2,李娜,social_worker,hs.gl.xf,就业社保,g2,,,,\n"
        "pm1,周某党员,registered_party_member,hs.gl.xf,,g1,1幢,block_representative;mediator,,\n"
        "pm2,吴某党员,employed_party_member,hs.gl.xf,,,,,区人社局,社区就业指导\n"
        "v1,郑某,volunteer,hs.gl.xf,,,,,,\n", encoding="utf-8")
    run = Run(d / "county.db")
    run("init", "--config", d / "county.toml")
    # the community's data begins on 2026-11-01: grids, households and links are imported then
    run("shequ365", "grids", "import", d / "grids.csv", "--now", "2026-11-01T08:00")
    imp = run("shequ365", "households", "import", d / "households.csv", "--now", "2026-11-01T08:00", "--json").data
    run("shequ365", "members", "import", d / "members.csv", "--now", "2026-11-01T08:00")
    out = {"run": run, "dir": d, "import": imp, "cases": {}}

    def visit(hh, worker, at, *extra):
        return run("shequ365", "visit", "record", hh, "--worker", worker, "--now", at, "--json", *extra).data

    # visits and the cases they raise
    v = visit("h101", "sw1", "2026-11-02T09:00", "--issue", "张伟家水管漏水", "--category", "repair")
    out["cases"]["pipe"] = v["case"]
    out["visit_h102"] = visit("h102", "sw1", "2026-11-04T09:00", "--reason", "moved_in")
    for i in range(103, 121):
        visit(f"h{i}", "sw1", f"2026-11-{(i - 100) // 2 + 3:02d}T15:00")
    visit("h101", "sw1", "2026-11-16T10:00")
    visit("h203", "sw1", "2026-11-16T11:00")
    v = visit("h202", "sw2", "2026-11-09T10:00", "--issue", "求职就业", "--category", "employment",
              "--set", "committed_date=2026-11-25", "--set", "follow_up_by=unit", "--set", "lead=hs.rsj")
    out["cases"]["job"] = v["case"]
    run("shequ365", "households", "event", "h201", "--reason", "hospitalised", "--now", "2026-11-12T08:00")
    out["visit_h201"] = visit("h201", "sw2", "2026-11-22T10:00", "--reason", "hospitalised")
    run("shequ365", "households", "event", "h204", "--reason", "major_change", "--date", "2026-11-20",
        "--now", "2026-11-21T08:00")
    # patrols
    p = run("shequ365", "patrol", "record", "g2", "--shift", "morning", "--worker", "sw2", "--now", "2026-11-02T07:30",
            "--issue", "邻里噪音纠纷", "--category", "civil_dispute", "--json").data
    out["cases"]["dispute"] = p["case"]
    for day in range(2, 7):
        run("shequ365", "patrol", "record", "g1", "--shift", "morning", "--worker", "sw1", "--now", f"2026-11-0{day}T07:00")
        ev = run("shequ365", "patrol", "record", "g1", "--shift", "evening", "--worker", "sw1", "--now", f"2026-11-0{day}T19:00",
                 *(("--issue", "楼道堆物", "--category", "environment", "--json") if day == 3 else ()))
        if day == 3:
            out["cases"]["clutter"] = ev.data["case"]
    # a major matter and its hearing
    major = run("case", "add", "--method", "shequ365", "--unit", "hs.gl.xf", "--title", "老旧小区加装电梯",
                "--category", "other", "--set", "major=yes", "--set", "form=follow_up",
                "--set", "committed_date=2026-12-31", "--set", "follow_up_by=team", "--set", "lead=sw1",
                "--set", "team=王芳、周某党员、区住建局", "--now", "2026-11-10T09:00", "--json").data
    out["cases"]["lift"] = major
    out["duties_before_hearing"] = run("shequ365", "duties", "--date", "2026-11-17", "--json").data
    # meetings
    for day in range(2, 7):
        run("shequ365", "meeting", "record", "--community", "hs.gl.xf", "--kind", "huddle", "--now", f"2026-11-0{day}T17:30")
    for day in ("06", "13"):
        run("shequ365", "meeting", "record", "--community", "hs.gl.xf", "--kind", "weekly", "--now", f"2026-11-{day}T16:00")
    run("shequ365", "meeting", "record", "--community", "hs.gl.xf", "--kind", "coordination",
        "--case", out["cases"]["dispute"]["id"], "--resolution", "双方约定22点后不再装修", "--now", "2026-11-10T15:00")
    run("shequ365", "meeting", "record", "--community", "hs.gl.xf", "--kind", "hearing", "--title", "加装电梯方案听证",
        "--case", major["id"], "--resolution", "同意按方案加装，费用按楼层分摊", "--now", "2026-11-18T19:00")
    # handling
    run("case", "resolve", out["cases"]["pipe"]["id"], "--note", "已更换水管", "--now", "2026-11-04T16:00")
    run("case", "resolve", out["cases"]["dispute"]["id"], "--note", "协调会调解达成协议", "--now", "2026-11-10T16:00")
    out["sweep_1107"] = run("sweep", "--now", "2026-11-07T00:00:00", "--json").data
    out["sweep_1126"] = run("sweep", "--now", "2026-11-26T00:00:00", "--json").data
    run("shequ365", "meeting", "record", "--community", "hs.gl.xf", "--kind", "joint",
        "--case", out["cases"]["dispute"]["id"], "--item", "小区停车位改造方案", "--now", "2026-11-30T16:00")
    return out


def test_cases_taken_in_from_visits_and_patrols_by_grid_and_form(month):
    c = month["cases"]
    pipe, dispute, job, clutter, lift = c["pipe"], c["dispute"], c["job"], c["clutter"], c["lift"]
    # a leaking pipe found on a visit: the grid's social worker, 3 calendar days (setting)
    assert (pipe["channel"], pipe["level"], pipe["handler"]) == ("linked_visit", "time_limited", "sw1")
    assert pipe["due_at"] == "2026-11-05T23:59:59+08:00"
    assert pipe["extra"]["grid"] == "g1" and pipe["extra"]["community"] == "hs.gl.xf"
    # a neighbour dispute on a patrol: the community coordination meeting, no due instant
    assert (dispute["channel"], dispute["level"], dispute["handler"]) == ("morning_patrol", "coordination", "ld1")
    assert dispute["due_at"] is None
    # a job-seeker: unit undertaking by the district HR bureau, due at the end of the committed day
    assert (job["level"], job["unit"], job["handler"]) == ("follow_up", "hs.rsj", None)
    assert job["due_at"] == "2026-11-25T23:59:59+08:00"
    assert clutter["channel"] == "evening_patrol" and clutter["due_at"] == "2026-11-06T23:59:59+08:00"
    assert (lift["level"], lift["handler"], lift["priority"]) == ("follow_up", "sw1", "high")


def test_sweep_flags_missed_limits(month):
    assert [(a["case"], a["action"], a["milestone"]) for a in month["sweep_1107"]["actions"]] == [
        (month["cases"]["clutter"]["id"], "flag", "time_limited")]
    assert [(a["case"], a["action"], a["milestone"]) for a in month["sweep_1126"]["actions"]] == [
        (month["cases"]["job"]["id"], "flag", "committed")]
    shown = month["run"]("case", "show", month["cases"]["clutter"]["id"], "--json").data
    assert shown["level"] == "time_limited" and shown["status"] == "assigned"
    assert [e["type"] for e in shown["events"]][-1] == "overdue"


def test_mandatory_visits_and_hearing_duty(month):
    assert month["import"] == {"imported": 34, "visit_tasks": 1}
    assert month["visit_h102"]["tasks_fulfilled"] and month["visit_h102"]["questions"] == ["必问生活情况"]
    assert month["visit_h201"]["questions"] == ["必问再就业情况", "必问适应情况"]
    before = month["duties_before_hearing"]["duties"]
    hearing = [d for d in before if d["kind"] == "hearing"]
    assert hearing == [{"method": "shequ365", "unit": "hs.gl.xf", "kind": "hearing",
                        "title": f"民主听证会（重大事项实施前）：{month['cases']['lift']['id']}",
                        "due_on": "2026-11-17", "done": False, "subject": month["cases"]["lift"]["id"]}]
    on_day = month["run"]("shequ365", "duties", "--date", "2026-11-18", "--json").data["duties"]
    assert [d["done"] for d in on_day if d["kind"] == "hearing"] == [True]
    after = month["run"]("shequ365", "duties", "--date", "2026-11-19", "--json").data["duties"]
    assert [d for d in after if d["kind"] == "hearing"] == []
    # on 11-17 one mandatory visit is open: h201 (hospitalised 11-12, due 11-19);
    # h102's was made on 11-04 and h204's is not raised yet
    assert [(d["subject"], d["due_on"], d["done"]) for d in before if d["kind"] == "mandatory_visit"] == [
        ("h201", "2026-11-19", False)]


def test_month_of_duties_and_missed_list(month):
    # on 11-30 the month is not over: this month's unvisited households are not missed yet
    so_far = month["run"]("shequ365", "duties", "--month", "2026-11", "--now", "2026-11-30T20:00", "--json").data
    assert so_far["ended"] is False
    assert [(m["kind"], m["subject"], m["due_on"]) for m in so_far["missed"]] == [
        ("mandatory_visit", "h204", "2026-11-27")]
    res = month["run"]("shequ365", "duties", "--month", "2026-11", "--now", "2026-12-01T09:00", "--json").data
    assert res["ended"] is True
    days = {d["date"]: d for d in res["days"]}
    assert len(days) == 30
    # Monday 11-02: 4 grid patrols + 2 leader patrols, 1 huddle, 29 linked households
    assert days["2026-11-02"]["by_kind"] == {
        "huddle": {"due": 1, "done": 1}, "linked_visit": {"due": 29, "done": 1},
        "patrol_evening": {"due": 3, "done": 1}, "patrol_morning": {"due": 3, "done": 2}}
    # the weekly analysis is due on the four Fridays, held on two of them
    weekly = [(d, v["by_kind"]["weekly"]["done"]) for d, v in days.items() if "weekly" in v["by_kind"]]
    assert weekly == [("2026-11-06", 1), ("2026-11-13", 1), ("2026-11-20", 0), ("2026-11-27", 0)]
    # Monday 11-30: month end; the joint meeting is held; 22 linked households visited; h204 overdue
    assert days["2026-11-30"]["by_kind"] == {
        "huddle": {"due": 1, "done": 0}, "joint": {"due": 1, "done": 1},
        "linked_visit": {"due": 29, "done": 22}, "mandatory_visit": {"due": 1, "done": 0},
        "patrol_evening": {"due": 3, "done": 0}, "patrol_morning": {"due": 3, "done": 0}}
    assert (days["2026-11-30"]["due"], days["2026-11-30"]["done"]) == (38, 23)
    # once November is over: h204's mandatory visit, and the 7 linked households not visited
    # by their worker in November (h203 was visited by sw1, not by its worker sw2)
    missed = [(m["kind"], m["subject"], m["due_on"]) for m in res["missed"]]
    assert missed == [("mandatory_visit", "h204", "2026-11-27")] + [
        ("linked_visit", f"h{i}", "2026-11-30") for i in range(121, 126)] + [
        ("linked_visit", "h203", "2026-11-30"), ("linked_visit", "h204", "2026-11-30")]
    # the kernel's command lists the same duties for the day; on 11-30 only h204's 五访 is missed
    kernel = month["run"]("duties", "--date", "2026-11-30", "--json").data
    mine = month["run"]("shequ365", "duties", "--date", "2026-11-30", "--json").data
    assert kernel == mine["duties"] and len(kernel) == 38
    assert [(m["kind"], m["subject"]) for m in mine["missed"]] == [("mandatory_visit", "h204")]
    # on 12-01 November's misses are still listed, December's visits are due by 12-31
    dec1 = month["run"]("shequ365", "duties", "--date", "2026-12-01", "--json").data
    assert [(m["kind"], m["subject"], m["due_on"]) for m in dec1["missed"]] == missed
    assert dec1["missed"][1]["title"] == "联户走访：户 h121（王芳）2026-11未走访"
    dec_visits = [d for d in dec1["duties"] if d["kind"] == "linked_visit" and d["due_on"] == "2026-12-31"]
    assert (len(dec_visits), sum(d["done"] for d in dec_visits)) == (29, 0)
    kernel = month["run"]("duties", "--date", "2026-12-01", "--json").data
    assert kernel == dec1["duties"] and len(kernel) == 6 + 1 + 1 + 7 + 29  # patrols, huddle, 五访, misses, visits
    text = month["run"]("shequ365", "duties", "--date", "2026-12-01").output
    # what the operator reads is Chinese: state 漏办/待办/已办, the duty kind, the missed list
    assert "漏办（8）：" in text and "\n  联户走访  h121       联户走访：户 h121（王芳）2026-11未走访\n" in text
    assert "\n  五访  h204       " in text and "（应于2026-11-27前走访）" in text
    assert "\n漏办  hs.gl.xf       联户走访  联户走访：户 h121（王芳）2026-11未走访\n" in text
    assert "missed" not in text and "patrol_morning" not in text


def test_board_of_the_month(month):
    boards = month["run"]("board", "--unit", "hs.gl.xf", "--period", "2026-11", "--json").data
    assert [b["title"] for b in boards] == ["幸福社区居务公开栏（2026-11）"]
    joint, hearing, handled = boards[0]["sections"]
    ids = {k: v["id"] for k, v in month["cases"].items()}
    assert [(r["held_on"], r["title"], r["case_id"]) for r in joint["rows"]] == [
        ("2026-11-30", "邻里噪音纠纷", ids["dispute"]), ("2026-11-30", "小区停车位改造方案", None)]
    assert [(r["held_on"], r["title"], r["resolution"], r["case_id"]) for r in hearing["rows"]] == [
        ("2026-11-18", "加装电梯方案听证", "同意按方案加装，费用按楼层分摊", ids["lift"])]
    rows = {r["case_id"]: r for r in handled["rows"]}
    assert [r["case_id"] for r in handled["rows"]] == [ids[k] for k in ("pipe", "job", "dispute", "clutter", "lift")]
    # the household head is the requester of a case raised on a visit: masked on the board
    assert rows[ids["pipe"]]["title"] == "张某家水管漏水"
    assert (rows[ids["pipe"]]["form"], rows[ids["pipe"]]["handler"], rows[ids["pipe"]]["status"]) == ("限时办结", "王芳", "已办结")
    # statuses in Chinese (STATUS_ZH), not the kernel's English names
    assert [rows[ids[k]]["status"] for k in ("job", "dispute", "clutter", "lift")] == ["已登记", "已办结", "已交办", "已交办"]
    assert (rows[ids["dispute"]]["form"], rows[ids["dispute"]]["handler"]) == ("多方协调（社区事务协调会）", "陈明")
    assert (rows[ids["job"]]["form"], rows[ids["job"]]["due_at"]) == ("归口办理", "2026-11-25T23:59:59+08:00")
    md = month["run"]("board", "--unit", "hs.gl.xf", "--period", "2026-11").output
    assert "张伟" not in md and "13812340101" not in md
    assert "已交办" in md and "assigned" not in md and "resolved" not in md
    # residents read no casebook line numbers ("（casebook L381）" was on the note)
    assert boards[0]["notes"][0] == ("依据宁波“365社区服务工作法”民情反馈机制：“两委”联席会通过的事项实时公示，"
                                     "民主听证会通过的决议事项全程公开。")
    assert not re.search(r"L\d{2,3}|casebook", md + json.dumps(boards, ensure_ascii=False))


def test_each_workers_figures_for_the_month(month):
    ms = month["run"]("shequ365", "figures", "--period", "2026-11", "--now", "2026-12-01T09:00", "--json").data
    got = {(m["metric"], m["subject"]): (m["numerator"], m["denominator"], m["value"]) for m in ms}
    assert got[("linked_households", "sw1")] == (None, None, 25.0)
    assert got[("linked_households", "sw2")] == (None, None, 4.0)
    assert got[("visit_coverage", "sw1")] == (20, 25, 0.8)  # h101–h120
    assert got[("visit_coverage", "sw2")] == (2, 4, 0.5)  # h201, h202; sw1's visit to h203 does not count
    assert got[("patrol_rate", "sw1")] == (10, 60, 10 / 60)  # 5 days x 2 of 30 days x 2
    assert got[("patrol_rate", "sw2")] == (1, 60, 1 / 60)
    assert got[("mandatory_visit_on_time", "hs.gl.xf")] == (1, 3, 1 / 3)  # h102 on time; h201 late; h204 never
    assert got[("cadence_huddle", "hs.gl.xf")] == (5, 30, 5 / 30)
    assert got[("cadence_weekly", "hs.gl.xf")] == (2, 4, 0.5)
    assert got[("cadence_joint", "hs.gl.xf")] == (1, 1, 1.0)
    assert got[("cadence_forum", "hs.gl.xf")] == (0, 0, None)
    person = {m["subject"] for m in ms if m["subject_kind"] == "person"}
    assert person == {"sw1", "sw2"}
    # the same rows come through the kernel's appraisal
    ap = month["run"]("appraise", "--period", "2026-11", "--now", "2026-12-01T09:00", "--json").data
    assert {(m["metric"], m["subject"]) for m in ap if m["method"] == "shequ365"} >= set(got)


def test_three_links_overview(month):
    links = month["run"]("shequ365", "links", "--json").data
    assert len(links) == 1
    c = links[0]
    assert (c["community"], c["registered_party_member"], c["employed_party_member"], c["volunteer"]) == ("hs.gl.xf", 1, 1, 1)
    workers = {w["id"]: w for w in c["social_workers"]}
    assert (workers["sw1"]["line"], workers["sw1"]["linked"], workers["sw1"]["problems"]) == ("民政", 25, [])
    assert workers["sw1"]["grids"] == [{"code": "g1", "households": 30}]
    assert workers["sw2"]["problems"] == ["4 linked households < 25 (联户)"]
