"""taizhang 考评 (L37, L41): rates over a fixture of cases, every figure worked out by hand."""

from pathlib import Path

import pytest

import plugins.taizhang

TOML = (Path(plugins.taizhang.__file__).parent / "data" / "zhongjiang.toml").read_text(encoding="utf-8")


@pytest.fixture
def run(init_county):
    return init_county(TOML)


def add(run, now, title="事项", unit="zj.fx.llg", *more):
    return run("case", "add", "--method", "taizhang", "--unit", unit, "--title", title, "--category", "livelihood",
               "--now", now, *more, "--json").data["id"]


def metrics(run, period, unit=None, now="2026-12-31T12:00"):
    args = ["appraise", "--period", period, "--now", now, "--json"] + (["--unit", unit] if unit else [])
    out = {}
    for m in run(*args).data:
        if m["method"] != "taizhang":
            continue
        key = (m["subject"], m["metric"], m["tier"])
        out[key] = (m["numerator"], m["denominator"], m["value"]) if m["denominator"] is not None else m["value"]
    return out


def r(num, den):
    return (num, den, num / den if den else None)


@pytest.fixture
def november(run):
    """柳林沟村, November 2026: 10 cases — 8 settled at the village (one on the spot), 1 settled at
    the township after the village's 5 days ran out, 1 still open at the township; plus one case
    of 石墙村 settled at its village."""
    v = [add(run, "2026-11-02T10:00", "当场调解", "zj.fx.llg", "--set", "on_the_spot=yes")]
    for i in range(7):
        cid = add(run, "2026-11-02T10:00", f"村级事项{i}")
        run("case", "resolve", cid, "--note", "已办结", "--now", "2026-11-04T10:00")
        v.append(cid)
    t1 = add(run, "2026-11-02T10:00", "山坪塘")
    o1 = add(run, "2026-11-02T10:00", "修桥")
    run("case", "escalate", o1, "--now", "2026-11-03T10:00")
    run("sweep", "--now", "2026-11-08T00:00")  # t1: the village's 5 days (due 11-07) missed -> township
    run("case", "resolve", t1, "--note", "镇党委协调资金建成蓄水池", "--now", "2026-11-10T10:00")
    s1 = add(run, "2026-11-05T10:00", "石墙村事项", "zj.nh.sq")
    run("case", "resolve", s1, "--note", "已办结", "--now", "2026-11-06T10:00")
    # signed confirmations (kernel satisfaction): satisfied x2, basically, unsatisfied
    for cid, sat in ((v[0], "satisfied"), (v[1], "satisfied"), (v[2], "basically"), (v[3], "unsatisfied")):
        run("case", "confirm", cid, "--satisfaction", sat, "--now", "2026-11-12T10:00")
    # return visits (回访): v1 satisfied; v3 unsatisfied then satisfied (the latest counts); t1 unsatisfied
    run("taizhang", "callback", v[1], "--satisfaction", "satisfied", "--now", "2026-11-20T10:00")
    run("taizhang", "callback", v[3], "--satisfaction", "unsatisfied", "--now", "2026-11-20T10:00")
    run("taizhang", "callback", v[3], "--satisfaction", "satisfied", "--now", "2026-11-25T10:00")
    run("taizhang", "callback", t1, "--satisfaction", "unsatisfied", "--now", "2026-11-20T10:00")
    return v, t1, o1, s1


def test_village_rates_by_hand(run, november):
    m = metrics(run, "2026-11", now="2026-11-30T12:00")
    llg = "zj.fx.llg"
    # kernel common metrics
    assert m[(llg, "cases", None)] == 10
    assert m[(llg, "resolution_rate", None)] == r(9, 10)  # 办结率
    # t1 settled after a missed limit; o1, open at the township since 11-03, is past its 15 days
    # (11-18 23:59:59) at the clock 11-30 12:00: late, though no sweep has flagged it
    assert m[(llg, "on_time_rate", None)] == r(8, 10)
    assert m[(llg, "satisfaction_rate", None)] == r(3, 4)  # satisfied + basically / rated
    assert m[(llg, "share_settled", "village")] == r(8, 9)
    assert m[(llg, "share_settled", "township")] == r(1, 9)
    assert m[(llg, "share_settled", "ledger_office")] == r(0, 9)
    # village tier primary milestones: 7 met by resolution, o1 met by an escalation before due, t1 missed
    assert m[(llg, "tier_on_time_rate", "village")] == r(8, 9)
    # taizhang's own: 小事不出村、大事不出镇、难事不出县
    assert m[(llg, "slogan_share", "village")] == r(8, 9)
    assert m[(llg, "slogan_share", "township")] == r(1, 9)
    assert m[(llg, "slogan_share", "county")] == r(0, 9)
    assert m[(llg, "reached_county", None)] == 0
    assert m[(llg, "reached_county_rate", None)] == r(0, 10)
    assert m[(llg, "callback_rate", None)] == r(3, 9)  # 回访率
    assert m[(llg, "callback_satisfaction_rate", None)] == r(2, 3)  # 回访满意率: v1, v3 (latest) good; t1 not


def test_rollup_to_township_and_county(run, november):
    m = metrics(run, "2026-11", now="2026-11-30T12:00")
    assert m[("zj.fx", "slogan_share", "village")] == r(8, 9)  # 富兴镇 = 柳林沟村 only
    assert m[("zj.nh.sq", "slogan_share", "village")] == r(1, 1)
    assert m[("zj.nh", "callback_rate", None)] == r(0, 1)
    assert m[("zj.nh", "callback_satisfaction_rate", None)] == (0, 0, None)  # no callbacks: no value
    assert m[("zj", "slogan_share", "village")] == r(9, 10)
    assert m[("zj", "slogan_share", "township")] == r(1, 10)
    assert m[("zj", "reached_county_rate", None)] == r(0, 11)
    # one township: only its subtree
    fx = metrics(run, "2026-11", unit="zj.fx", now="2026-11-30T12:00")
    assert {k[0] for k in fx} == {"zj.fx", "zj.fx.llg"}
    # another period: nothing taken in
    assert metrics(run, "2026-10", now="2026-11-30T12:00") == {}


@pytest.fixture
def december(run):
    """December 2026: A and B handed to 农业农村局 (A settled in 8 days, B after its 15), C handed to
    民政局 and passed to the joint meeting by the sweep, D settled at the village."""
    a, b = add(run, "2026-12-01T09:00", "A"), add(run, "2026-12-01T09:00", "B")
    c = add(run, "2026-12-01T09:00", "C", "zj.nh.sq")
    d = add(run, "2026-12-01T09:00", "D")
    for cid, dept in ((a, "zj.nyj"), (b, "zj.nyj"), (c, "zj.mzj")):
        run("case", "escalate", cid, "--now", "2026-12-01T10:00")
        run("case", "escalate", cid, "--now", "2026-12-01T11:00")
        run("case", "assign", cid, "--unit", dept, "--now", "2026-12-02T10:00")  # finish due 12-17, report 12-20
    run("case", "resolve", d, "--note", "村级办结", "--now", "2026-12-01T12:00")
    run("case", "resolve", a, "--note", "部门办结", "--now", "2026-12-10T10:00")
    acts = run("sweep", "--now", "2026-12-18T00:00", "--json").data["actions"]
    assert sorted((x["case"], x["milestone"], x["action"]) for x in acts) == [(b, "finish", "flag"), (c, "finish", "flag")]
    run("case", "resolve", b, "--note", "部门办结（超期）", "--now", "2026-12-18T10:00")
    acts = run("sweep", "--now", "2026-12-21T00:00", "--json").data["actions"]
    assert [(x["case"], x["to"]) for x in acts] == [(c, "joint_meeting")]
    return a, b, c, d


def test_department_rates_by_hand(run, december):
    m = metrics(run, "2026-12")
    assert m[("zj.nyj", "dept_cases", "department")] == 2
    assert m[("zj.nyj", "dept_resolution_rate", "department")] == r(2, 2)
    assert m[("zj.nyj", "dept_on_time_rate", "department")] == r(1, 2)  # 接件后15日内办理完毕: A yes, B no
    assert m[("zj.nyj", "dept_to_joint_meeting", "department")] == 0
    assert m[("zj.mzj", "dept_cases", "department")] == 1
    assert m[("zj.mzj", "dept_resolution_rate", "department")] == r(0, 1)
    assert m[("zj.mzj", "dept_on_time_rate", "department")] == r(0, 1)
    assert m[("zj.mzj", "dept_to_joint_meeting", "department")] == 1
    # the villages' view of the same cases
    assert m[("zj.fx.llg", "slogan_share", "county")] == r(2, 3)
    assert m[("zj.fx.llg", "slogan_share", "village")] == r(1, 3)
    assert m[("zj.fx.llg", "reached_county", None)] == 2
    assert m[("zj.fx.llg", "reached_county_rate", None)] == r(2, 3)
    assert m[("zj.nh.sq", "reached_county_rate", None)] == r(1, 1)
    assert m[("zj.nh.sq", "slogan_share", "county")] == (0, 0, None)  # nothing settled yet
    assert m[("zj", "reached_county_rate", None)] == r(3, 4)
    assert m[("zj", "share_settled", "department")] == r(2, 3)  # kernel, per tier
    # appraisal of one department only
    nyj = metrics(run, "2026-12", unit="zj.nyj")
    assert {k[0] for k in nyj} == {"zj.nyj"}


def test_the_on_time_figures_do_not_wait_for_the_sweep(run, november):
    """The same clock gives the same 按期办结率 and tier rates before and after `county sweep`
    (before: an open case past due counted as late only once a sweep had flagged it; found by a
    fresh integrator on shequhua)."""
    keys = [("zj.fx.llg", "on_time_rate", None), ("zj.fx.llg", "tier_on_time_rate", "township")]
    before = metrics(run, "2026-11", now="2026-11-30T12:00")
    run("sweep", "--now", "2026-11-30T12:00")
    after = metrics(run, "2026-11", now="2026-11-30T12:00")
    # township: t1 resolved there within its 15 days (met), o1 past them (missed)
    assert [before[k] for k in keys] == [after[k] for k in keys] == [r(8, 10), r(1, 2)]
