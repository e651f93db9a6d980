"""One deployment composing three methods (docs/hooks.md §11) end to end through the CLI:
zouqian's problems (浦东走千听万) are routed by jieti (墨江阶梯式解决: triage picks the tier the
problem's scope covers, assignment the zone leader with the paired department at the village,
L306), timed by taizhang's chain (中江台账: village 5 days → township reply 10 / report up 15
days → 三账办, calendar days, L29), and closed by zouqian's five-level satisfaction gate (only
很满意 or 满意 let a problem leave the platform; 一般, 不满意, 很不满意 send it back into handling,
L331).

    [bindings]
    zouqian.triage = "jieti"
    zouqian.assignment = "jieti"
    zouqian.deadline = "taizhang"

Every binding is allowed by both sides' ``stage_rules``: zouqian keeps none of the three (its
casebook gives no day counts and does not say who a problem is dispatched to) and asks only that
the chain's first tier be served by a 居村 (taizhang's village is); jieti lends its triage and
assignment, taizhang its deadline. At taizhang's later tiers jieti's chain has the township
(jieti assigns it) but not the 三账办 (taizhang would).

October 2024, times +08:00, calendar days ending 23:59:59 local:

* P1 at 碧溪村, Tue 10-08 10:00: jieti → tier village (scope 村), 碧溪村 zone leader bx1 with the
  paired 县住建局 jointly; taizhang → close due 10-13 23:59:59. Sweep 10-13 23:59:59: nothing;
  sweep 10-14 00:00: up to the township (taizhang's chain), jieti's township zone leader lz1, the
  joint pair cleared; reply due 10-24 23:59:59 (flag), report_up 10-29 23:59:59 (primary).
  Resolved 10-16 10:00; ``county case confirm --satisfaction 一般`` 10-17 09:00 → reopened at the
  township with lz1, arrival 10-17 09:00: reply 10-27 23:59:59, report_up 11-01 23:59:59. Sweep
  10-28 00:00: the reply flagged (督办), the case stays. Resolved 10-29 15:00; ``county zouqian
  rate --level 满意`` 10-30 10:00 → confirmed.
* P2 at 碧溪村, 10-09 09:00: due 10-14 23:59:59; resolved 10-11 10:00 at the village; rated 很满意
  10-12 → confirmed.
* P3 at 碧溪村, 10-21 09:00: due 10-26 23:59:59; resolved 10-22 10:00; rated 不满意 10-23 09:00 →
  reopened at the village, due 10-28 23:59:59, left open.
* Board of 联洋镇 2024-10: 碧溪村's zouqian board — P1 乡镇 已确认 满意 reopened 1, P2 村(社区) 已确认
  很满意 0, P3 村(社区) 办理中 不满意 1.
* Appraisal of 联洋镇 2024-10 (zouqian): ratings 一般, 很满意, 不满意, 满意 → rating_pass_rate 2 / 4;
  the kernel's reopened 2 (P1 10-17, P3 10-23), reopened_cases 2, satisfaction_rate 2 / 3 (latest
  ratings: P1 满意, P2 很满意, P3 不满意).
"""

from __future__ import annotations

import pytest

from framework.testing import CountyRunner

TOML = """
[deployment]
name = "组合县"
code = "zh"
timezone = "Asia/Shanghai"
methods = ["zouqian", "taizhang", "jieti"]

[bindings]
zouqian.triage = "jieti"
zouqian.assignment = "jieti"
zouqian.deadline = "taizhang"

[[units]]
code = "zh"
name = "组合县"
level = "county"

[[units]]
code = "zh.sza"
name = "县三账办"
level = "ledger_office"
parent = "zh"

[[units]]
code = "zh.lxh"
name = "县联席会议"
level = "joint_meeting"
parent = "zh"

[[units]]
code = "zh.zjj"
name = "县住建局"
level = "department"
parent = "zh"

[[units]]
code = "zh.ly"
name = "联洋镇"
level = "township"
parent = "zh"

[[units]]
code = "zh.ly.bx"
name = "碧溪村"
level = "village"
parent = "zh.ly"

[[people]]
id = "cl"
name = "段某"
unit = "zh"
roles = ["county_leader"]

[[people]]
id = "lz1"
name = "白某"
unit = "zh.ly"
roles = ["township_leader"]

[[people]]
id = "bx1"
name = "罗某"
unit = "zh.ly.bx"
roles = ["people_servant"]
"""


def add(run, now, title):
    return run("case", "add", "--method", "zouqian", "--unit", "zh.ly.bx", "--title", title, "--category",
               "livelihood", "--channel", "visit", "--requester-name", "王建国", "--now", now, "--json").data


def holders(c):
    return (c["level"], c["unit"], c["handler"], c["joint_unit"], c["status"], c["due_at"])


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    d = tmp_path_factory.mktemp("contrib-composition")
    (d / "county.toml").write_text(TOML, encoding="utf-8")
    run = CountyRunner(d / "county.db")
    run("init", "--config", d / "county.toml")
    run("jieti", "zone", "add", "bx", "--kind", "village", "--unit", "zh.ly.bx", "--leader", "bx1",
        "--paired", "zh.zjj", "--now", "2024-10-01T09:00")
    run("jieti", "zone", "add", "ly", "--kind", "township", "--unit", "zh.ly", "--leader", "lz1",
        "--now", "2024-10-01T09:00")
    s = {"P1": add(run, "2024-10-08T10:00", "村道破损")}
    s["P2"] = add(run, "2024-10-09T09:00", "路灯不亮")
    run("case", "resolve", s["P2"]["id"], "--note", "已修复", "--now", "2024-10-11T10:00")
    run("zouqian", "rate", s["P2"]["id"], "--level", "很满意", "--now", "2024-10-12T10:00")
    s["sweep_1013"] = run("sweep", "--now", "2024-10-13T23:59:59", "--json").data
    s["sweep_1014"] = run("sweep", "--now", "2024-10-14T00:00", "--json").data
    s["P1_township"] = run("case", "show", s["P1"]["id"], "--json").data
    run("case", "resolve", s["P1"]["id"], "--note", "已修补", "--now", "2024-10-16T10:00")
    s["P1_reopened"] = run("case", "confirm", s["P1"]["id"], "--satisfaction", "一般", "--now", "2024-10-17T09:00",
                           "--json").data
    s["P3"] = add(run, "2024-10-21T09:00", "垃圾清运不及时")
    run("case", "resolve", s["P3"]["id"], "--note", "已清运", "--now", "2024-10-22T10:00")
    s["P3_reopened"] = run("zouqian", "rate", s["P3"]["id"], "--level", "不满意", "--now", "2024-10-23T09:00",
                           "--json").data
    s["sweep_1028"] = run("sweep", "--now", "2024-10-28T00:00", "--json").data
    run("case", "resolve", s["P1"]["id"], "--note", "重新铺设路面", "--now", "2024-10-29T15:00")
    s["P1_closed"] = run("zouqian", "rate", s["P1"]["id"], "--level", "满意", "--now", "2024-10-30T10:00",
                         "--json").data
    return run, s


def test_jieti_routes_and_taizhang_times_a_zouqian_problem(county):
    run, s = county
    assert holders(s["P1"]) == ("village", "zh.ly.bx", "bx1", "zh.zjj", "assigned", "2024-10-13T23:59:59+08:00")
    assert s["P1"]["extra"]["ladder_scope"] == "village"
    assert s["sweep_1013"]["actions"] == []
    assert s["sweep_1014"]["actions"] == [{"case": s["P1"]["id"], "milestone": "close",
                                           "due_at": "2024-10-13T23:59:59+08:00", "action": "escalate",
                                           "from": "village", "to": "township"}]
    assert holders(s["P1_township"]) == ("township", "zh.ly", "lz1", None, "escalated", "2024-10-29T23:59:59+08:00")
    assert s["P1_township"]["extra"]["reply_due_at"] == "2024-10-24T23:59:59+08:00"


def test_the_gate_reopens_on_taizhang_chain_and_the_sweep_flags_the_reply(county):
    run, s = county
    assert holders(s["P1_reopened"]) == ("township", "zh.ly", "lz1", None, "in_progress", "2024-11-01T23:59:59+08:00")
    assert s["P1_reopened"]["extra"]["reply_due_at"] == "2024-10-27T23:59:59+08:00"
    assert s["sweep_1028"]["actions"] == [{"case": s["P1"]["id"], "milestone": "reply",
                                           "due_at": "2024-10-27T23:59:59+08:00", "action": "flag",
                                           "from": "township", "to": "township"}]
    assert (s["P1_closed"]["status"], s["P1_closed"]["satisfaction"], s["P1_closed"]["outcome"]) == (
        "confirmed", "satisfied", "closes")
    assert (s["P3_reopened"]["status"], s["P3_reopened"]["level"], s["P3_reopened"]["due_at"],
            s["P3_reopened"]["outcome"]) == ("in_progress", "village", "2024-10-28T23:59:59+08:00", "reopens")


def test_board_and_appraisal(county):
    run, s = county
    boards = [b for b in run("board", "--unit", "zh.ly", "--period", "2024-10", "--format", "json", "--json").data
              if b["method"] == "zouqian"]
    assert [b["title"] for b in boards] == ["碧溪村“走千听万”问题办理反馈（2024-10）"]
    assert [(r["case_id"], r["tier"], r["status"], r["rating"], r["reopened"])
            for r in boards[0]["sections"][0]["rows"]] == [
        (s["P1"]["id"], "乡镇", "已确认", "满意", 1), (s["P2"]["id"], "村(社区)", "已确认", "很满意", 0),
        (s["P3"]["id"], "村(社区)", "办理中", "不满意", 1)]
    m = {x["metric"]: x for x in run("appraise", "--unit", "zh.ly", "--period", "2024-10", "--json").data
         if x["method"] == "zouqian" and x["subject"] == "zh.ly"}
    assert (m["rating_pass_rate"]["numerator"], m["rating_pass_rate"]["denominator"]) == (2, 4)
    assert (m["reopened"]["value"], m["reopened_cases"]["value"]) == (2, 2)
    assert (m["satisfaction_rate"]["numerator"], m["satisfaction_rate"]["denominator"]) == (2, 3)
