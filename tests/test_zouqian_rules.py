"""zouqian's time rules and refusals, worked out by hand (times +08:00).

Calendar days (``day_unit = "calendar_days"``; the casebook gives no day counts, so the unit and
the counts are settings), each ending 23:59:59 local on the Nth day after the arrival date:

* X at 联洋社区, 2024-01-29 10:00, 居村 5 days → 2024-02-03 23:59:59 (across the month end);
* Y at 连民村, 2024-02-24 10:00 → 2024-02-29 23:59:59 (leap year); the sweep of 03-01 00:00
  reports it up to 川沙新镇, arriving 03-01 00:00, 10 days → 2024-03-11 23:59:59;
* Z at 区教育局 (a department: the district tier), 2024-12-27 10:00, 15 days → 2025-01-11
  23:59:59 (across the year end), handled by the platform office (no 街镇 above, so no paired
  leader).

Working days (the default): W at 界龙村, Wed 2024-11-27 10:00 → 11-28, 11-29, 12-02, 12-03,
12-04 → 2024-12-04 23:59:59; V at 花木街道 (the 街镇 tier), Fri 2024-09-27 09:00, 10 working days
→ 09-29 (make-up Sunday), 09-30, 10-08, 09, 10, 11, 12 (make-up Saturday), 14, 15, 16 → 2024-10-16
23:59:59.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_zouqian_month import TOML, add

from framework.testing import CountyRunner


@pytest.fixture(scope="module")
def calendar_run(tmp_path_factory):
    d = tmp_path_factory.mktemp("zouqian-calendar")
    toml = Path(TOML).read_text(encoding="utf-8").replace('day_unit = "working_days"', 'day_unit = "calendar_days"')
    run = CountyRunner(d / "county.db").init(toml)
    return run


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("zouqian-rules") / "county.db").init(TOML)
    run("zouqian", "pair", "add", "--kind", "cadre_juncun", "--a", "gu", "--b", "pd.hm.ly", "--now", "2024-09-01")
    run("zouqian", "round", "add", 1, "--start", "2024-09-23", "--end", "2024-09-30", "--now", "2024-09-01")
    return run


def test_calendar_days_across_month_leap_day_and_year_end(calendar_run):
    run = calendar_run
    x = add(run, "2024-01-29T10:00", "pd.hm.ly", "楼道堆物")
    assert (x["level"], x["due_at"], x["extra"]["time_limit"]) == ("juncun", "2024-02-03T23:59:59+08:00", "5天")
    y = add(run, "2024-02-24T10:00", "pd.cs.lm", "河道保洁")
    assert y["due_at"] == "2024-02-29T23:59:59+08:00"
    moved = run("sweep", "--now", "2024-03-01T00:00", "--json").data["actions"]
    assert [(a["case"], a["from"], a["to"]) for a in moved] == [(x["id"], "juncun", "jiezhen"),
                                                                (y["id"], "juncun", "jiezhen")]
    y2 = run("case", "show", y["id"], "--json").data
    assert (y2["level"], y2["unit"], y2["handler"], y2["due_at"]) == ("jiezhen", "pd.cs", "cs1",
                                                                      "2024-03-11T23:59:59+08:00")
    z = add(run, "2024-12-27T10:00", "pd.jyj", "学区划分意见", category="policy")
    assert (z["level"], z["unit"], z["handler"], z["due_at"]) == ("district", "pd", "office",
                                                                  "2025-01-11T23:59:59+08:00")


def test_working_days_across_month_end_and_the_make_up_days(run):
    w = add(run, "2024-11-27T10:00", "pd.cs.jl", "村道破损")
    assert (w["level"], w["handler"], w["joint_handler"], w["due_at"]) == ("juncun", "jl1", None,
                                                                          "2024-12-04T23:59:59+08:00")
    v = add(run, "2024-09-27T09:00", "pd.hm", "街道菜场改造")
    assert (v["level"], v["unit"], v["handler"], v["due_at"], v["extra"]["time_limit"]) == (
        "jiezhen", "pd.hm", "hm1", "2024-10-16T23:59:59+08:00", "10个工作日")


@pytest.mark.parametrize("args, code, message", [
    (("case", "add", "--method", "zouqian", "--unit", "pd.hm.ly", "--title", "t", "--set", "visit=99",
      "--now", "2024-10-08T09:00"), 2, "error: --set visit: no visit 99 (record it with county zouqian visit)"),
    (("zouqian", "pair", "add", "--kind", "cadre_juncun", "--a", "gu", "--b", "pd.hm", "--now", "2024-10-08"), 2,
     "error: --b pd.hm: a cadre_juncun pairing needs a unit of level village or community, not township (L329)"),
    (("zouqian", "pair", "add", "--kind", "friends", "--a", "gu", "--b", "pd.hm", "--now", "2024-10-08"), 2,
     "error: --kind 'friends': use one of cadre_juncun, bureau_town, branch_juncun, member_needy, cadre_deputy, "
     "leader_town (六个结对, L329)"),
    (("zouqian", "pair", "add", "--kind", "cadre_juncun", "--a", "gu", "--b", "pd.hm.ly", "--now", "2024-10-08"), 1,
     "error: cadre_juncun gu ↔ pd.hm.ly: already paired"),
    (("zouqian", "visit", "--cadre", "gu", "--unit", "pd.hm.ly", "--round", 1, "--now", "2024-10-08T09:00"), 2,
     "error: --round 1: runs 2024-09-23..2024-09-30, not on 2024-10-08"),
    (("zouqian", "visit", "--cadre", "gu", "--unit", "pd.hm", "--now", "2024-10-08T09:00"), 2,
     "error: --unit pd.hm: visits go to a 居村 (village or community), not a township"),
    (("zouqian", "round", "add", 2, "--start", "2024-10-08", "--end", "2024-10-01", "--now", "2024-10-08"), 2,
     "error: --end 2024-10-01: before --start 2024-10-08"),
])
def test_bad_input_is_one_line(run, args, code, message):
    r = run(*args, ok=code)
    assert r.stderr.strip() == message


def test_a_batch_needs_a_topic_and_a_rating_a_solved_problem(run):
    c = add(run, "2024-10-08T09:00", "pd.hm.dc", "小区停车难")
    r = run("zouqian", "batch", "open", c["id"], "--now", "2024-10-08T10:00", ok=2)
    assert r.stderr.strip() == f"error: --topic: {c['id']} has no --set topic; name the common problem"
    r = run("zouqian", "rate", c["id"], "--level", "满意", "--now", "2024-10-08T10:00", ok=1)
    assert r.stderr.strip() == f"error: case {c['id']} is assigned; only a resolved case can be confirmed"
    assert run("zouqian", "batch", "list", "--json").data == []


def test_a_setting_outside_its_choices_is_refused_at_init(tmp_path):
    toml = Path(TOML).read_text(encoding="utf-8").replace('day_unit = "working_days"', 'day_unit = "hours"')
    (tmp_path / "county.toml").write_text(toml, encoding="utf-8")
    r = CountyRunner(tmp_path / "county.db")("init", "--config", tmp_path / "county.toml", ok=2)
    assert "[plugins.zouqian] day_unit = 'hours': must be one of 'working_days', 'calendar_days'" in r.stderr


def test_an_ended_pairing_no_longer_assigns(run):
    """After 顾某's pairing with 东城社区 ends (2024-10-10), a problem there has no joint cadre."""
    p = run("zouqian", "pair", "add", "--kind", "cadre_juncun", "--a", "gu", "--b", "pd.hm.dc", "--now",
            "2024-10-01T09:00", "--json").data
    assert add(run, "2024-10-09T09:00", "pd.hm.dc", "绿化带破损")["joint_handler"] == "gu"
    assert run("zouqian", "pair", "end", p["id"], "--now", "2024-10-10T09:00", "--json").data["ended"] == \
        "2024-10-10T09:00:00+08:00"
    assert add(run, "2024-10-11T09:00", "pd.hm.dc", "井盖缺失")["joint_handler"] is None
    assert [x["id"] for x in run("zouqian", "pair", "list", "--unit", "pd.hm.dc", "--json").data] == []
    assert [x["id"] for x in run("zouqian", "pair", "list", "--unit", "pd.hm.dc", "--all", "--json").data] == [p["id"]]
    r = run("zouqian", "pair", "end", p["id"], "--now", "2024-10-12T09:00", ok=1)
    assert r.stderr.strip() == f"error: pairing {p['id']}: ended on 2024-10-10"


def test_on_taizhang_chain_zouqian_assigns_by_the_tier_level(tmp_path):
    """``zouqian.deadline = "taizhang"`` alone: taizhang's village tier (5 calendar days, L29) is
    served by a village, so zouqian's own assignment treats it as its 居村 tier — 连民村's cadre
    lm1 with the paired district cadre shen jointly; 2024-10-08 10:00 + 5 days → 10-13 23:59:59.
    The sweep of 10-14 00:00 moves it to taizhang's township tier; zouqian's chain has no tier of
    that name, so the kernel asks taizhang's assignment (docs/hooks.md §2): 川沙新镇, and no
    handler (nobody there holds a taizhang role)."""
    toml = Path(TOML).read_text(encoding="utf-8").replace('methods = ["zouqian"]', 'methods = ["zouqian", "taizhang"]')
    run = CountyRunner(tmp_path / "county.db").init(toml + '\n[bindings]\nzouqian.deadline = "taizhang"\n')
    run("zouqian", "pair", "add", "--kind", "cadre_juncun", "--a", "shen", "--b", "pd.cs.lm", "--now", "2024-10-01")
    c = add(run, "2024-10-08T10:00", "pd.cs.lm", "河道保洁")
    assert (c["level"], c["unit"], c["handler"], c["joint_handler"], c["due_at"]) == (
        "village", "pd.cs.lm", "lm1", "shen", "2024-10-13T23:59:59+08:00")
    run("sweep", "--now", "2024-10-14T00:00")
    c = run("case", "show", c["id"], "--json").data
    assert (c["level"], c["unit"], c["handler"], c["joint_handler"]) == ("township", "pd.cs", None, None)


def test_solved_on_the_spot_still_passes_the_gate(run):
    """直接解决问题 (L333): taken in resolved at 东城社区 on Wed 2024-10-09 10:00; rated 一般 on
    10-10 09:00 it goes back to the 居村 with the tier's full time: 10-11, 10-12 (make-up
    Saturday), 10-14, 10-15, 10-16 → due 2024-10-16 23:59:59."""
    c = add(run, "2024-10-09T10:00", "pd.hm.dc", "路灯报修", "on_the_spot=是")
    assert (c["status"], c["resolved_level"], c["extra"]["on_the_spot"], c["due_at"]) == ("resolved", "juncun", True,
                                                                                          None)
    back = run("zouqian", "rate", c["id"], "--level", "一般", "--now", "2024-10-10T09:00", "--json").data
    assert (back["status"], back["level"], back["due_at"]) == ("in_progress", "juncun", "2024-10-16T23:59:59+08:00")


def test_a_batch_links_all_or_none(run):
    """Linking an open problem together with a solved one is refused whole (exit 1): neither is linked."""
    lead = add(run, "2024-10-21T09:00", "pd.cs.lm", "农房翻建审批", "topic=农房翻建")
    ok = add(run, "2024-10-21T10:00", "pd.cs.lm", "农房翻建审批慢", "topic=农房翻建")
    done = add(run, "2024-10-21T11:00", "pd.cs.lm", "翻建手续咨询", "topic=农房翻建", "on_the_spot=yes")
    b = run("zouqian", "batch", "open", lead["id"], "--now", "2024-10-22T09:00", "--json").data
    assert (b["topic"], b["lead"], b["solved_at"]) == ("农房翻建", lead["id"], None)
    r = run("zouqian", "batch", "add", b["id"], ok["id"], done["id"], "--now", "2024-10-22T09:30", ok=1)
    assert r.stderr.strip() == f"error: case {done['id']} is resolved; cannot link it"
    assert run("case", "list", "--lead", lead["id"], "--json").data == []
    assert "batch" not in run("case", "show", ok["id"], "--json").data["extra"]


def test_the_kernels_three_codes_stay_valid(run):
    """methods.md S-05: through ``county case confirm`` the conventions' ``basically`` (= 一般)
    reopens a zouqian problem; ``satisfied`` closes it. 界龙村, Mon 2024-11-04 09:00, resolved
    11-05 10:00, ``basically`` 11-06 09:00 → back at the 居村: 11-07, 08, 11, 12, 13 → due 11-13
    23:59:59."""
    c = add(run, "2024-11-04T09:00", "pd.cs.jl", "垃圾箱破损")
    run("case", "resolve", c["id"], "--note", "已更换", "--now", "2024-11-05T10:00")
    back = run("case", "confirm", c["id"], "--satisfaction", "basically", "--now", "2024-11-06T09:00", "--json").data
    assert (back["status"], back["satisfaction"], back["due_at"]) == ("in_progress", "basically",
                                                                      "2024-11-13T23:59:59+08:00")
    run("case", "resolve", c["id"], "--note", "已更换并加固", "--now", "2024-11-07T10:00")
    done = run("case", "confirm", c["id"], "--satisfaction", "satisfied", "--now", "2024-11-08T09:00", "--json").data
    assert (done["status"], done["satisfaction"]) == ("confirmed", "satisfied")


ROWS = """
[[zouqian.pairings]]
kind = "cadre_juncun"
a = "gu"
b = "pd.hm.ly"

[[zouqian.pairings]]
kind = "bureau_town"
a = "pd.jyj"
b = "pd.hm"
note = "入园难"

[[zouqian.rounds]]
no = 1
start = "2024-09-23"
end = "2024-09-30"
"""


def test_pairings_and_rounds_in_the_county_file(tmp_path):
    """[[zouqian.pairings]] and [[zouqian.rounds]] load at init through the same services; a second
    init --update changes nothing; a pairing with a 街镇 as a 居村 is refused naming the line."""
    run = CountyRunner(tmp_path / "county.db").init(Path(TOML).read_text(encoding="utf-8") + ROWS, now="2024-09-01T09:00")
    listed = run("zouqian", "pair", "list", "--json").data
    assert [(p["kind"], p["a"], p["b"], p["note"], p["since"]) for p in listed] == [
        ("cadre_juncun", "gu", "pd.hm.ly", None, "2024-09-01T09:00:00+08:00"),
        ("bureau_town", "pd.jyj", "pd.hm", "入园难", "2024-09-01T09:00:00+08:00")]
    c = add(run, "2024-09-30T10:00", "pd.hm.ly", "小区加装电梯")
    assert (c["joint_handler"], c["due_at"]) == ("gu", "2024-10-12T23:59:59+08:00")
    run("zouqian", "visit", "--cadre", "gu", "--unit", "pd.hm.ly", "--round", 1, "--now", "2024-09-30T11:00")
    again = run("init", "--config", tmp_path / "county.toml", "--update", "--now", "2024-10-01T09:00")
    assert "zouqian：pairings 新增 0，变更 0，未变 2；rounds 新增 0，变更 0，未变 1" in again.stdout
    assert len(run("zouqian", "pair", "list", "--json").data) == 2
    bad = tmp_path / "bad.toml"
    bad.write_text(Path(TOML).read_text(encoding="utf-8") + ROWS.replace('b = "pd.hm.ly"', 'b = "pd.hm"'),
                   encoding="utf-8")
    r = CountyRunner(tmp_path / "bad.db")("init", "--config", bad, ok=2)
    line = Path(TOML).read_text(encoding="utf-8").count("\n") + 2   # the row's [[…]] line
    assert r.stderr.strip() == (f"error: {bad}:{line}: [[zouqian.pairings]] #1: --b pd.hm: a cadre_juncun pairing "
                                "needs a unit of level village or community, not township (L329)")
