"""sanquan (Xihu 三全十服务): what is owed when, on the sample deployment, through the CLI
(the inspector's findings of 2026-11-30). Every value is computed by hand, Asia/Shanghai:

* 24小时随叫随到 (L359; README: an on-call matter answered "within 1 hour of its arrival"): one
  response limit per matter, set at its first arrival; an escalation re-times ``complete`` only.
  c1 应急 2026-10-18 (Sunday) 02:00, never answered: respond due 03:00; c2 应急 03:00, answered
  03:30 (due 04:00: met). Both escalate at the sweep of 10-22 08:00 (community: 3 working days
  10-19..21, due 10-21 23:59:59) and 10-30 08:00 (subdistrict: 5 working days 10-23, 26..29).
  响应及时率 per matter: c2 met, c1 missed → 1/2 (was 2/5: a new 1-hour limit at every tier).
* 星级户上门服务完成率 (每天上门服务, L363): a daily window ending on D is owed once D is over
  (conventions §2: a day's limit is 23:59:59); one visited on D counts that day. H5 (东山弄社区)
  and R5 (灵山村), five stars from 2026-10-01, both visited 10-05, H5 also 10-20 08:30.
"""

from __future__ import annotations

import pytest
from test_sanquan_time import TOML, add

from framework.testing import CountyRunner


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("sanquan-due") / "county.db").init(TOML)
    at = ("--now", "2026-10-01T08:00")
    run("sanquan", "household", "add", "H5", "--unit", "xh.bs.dsn", "--name", "住户H5", "--star", 5, *at)
    run("sanquan", "household", "add", "R5", "--unit", "xh.sp.ls", "--name", "住户R5", "--star", 5, *at)
    for hid, person, when in (("H5", "dsn-ge", "2026-10-05T10:00"), ("R5", "ls-zhu", "2026-10-05T10:00"),
                              ("H5", "dsn-ge", "2026-10-20T08:30")):
        run("sanquan", "visit", hid, "--person", person, "--now", when)
    run.c1 = add(run, "2026-10-18T02:00", category="emergency", title="水管爆裂")["id"]
    run.c2 = add(run, "2026-10-18T03:00", category="emergency", title="燃气泄漏")["id"]
    run("sanquan", "respond", run.c2, "--note", "已到场", "--now", "2026-10-18T03:30")
    run.sweeps = [run("sweep", "--now", t).stdout for t in
                  ("2026-10-22T08:00", "2026-10-22T10:00", "2026-10-30T08:00", "2026-10-30T10:00")]
    return run


def figure(run, metric, unit, now, period="2026-10"):
    rows = run("appraise", "--unit", unit, "--period", period, "--now", now, "--json").data
    rows = rows["metrics"] if isinstance(rows, dict) else rows
    return next((m["numerator"], m["denominator"]) for m in rows
                if m["method"] == "sanquan" and m["subject"] == unit and m["metric"] == metric)


def test_one_response_limit_per_matter(run):
    c2 = run("case", "show", run.c2, "--json").data
    assert (c2["level"], c2["extra"]["respond_due_at"]) == ("district", "2026-10-18T04:00:00+08:00")
    flagged = [line.split()[0] for s in run.sweeps for line in s.splitlines() if "respond" in line]
    assert flagged == [run.c1]  # c1's one limit, flagged once (not again at 镇（街道） and 区)
    assert [s.splitlines()[-1] for s in run.sweeps] == [
        "2026-10-22T08:00:00+08:00 督办：3 项", "2026-10-22T10:00:00+08:00 督办：0 项",
        "2026-10-30T08:00:00+08:00 督办：2 项", "2026-10-30T10:00:00+08:00 督办：0 项"]
    assert figure(run, "respond_on_time_rate", "xh.bs.dsn", "2026-10-31T09:00") == (1, 2)
    # a later answer still records the response; it meets no new limit
    run("sanquan", "respond", run.c1, "--note", "已到场", "--now", "2026-10-31T10:00")
    assert figure(run, "respond_on_time_rate", "xh.bs.dsn", "2026-10-31T11:00") == (1, 2)


@pytest.mark.parametrize("unit, now, want", [
    # 10-20 09:00: 10-01..10-19 owed (19 days), 10-20 visited at 08:30 counts: 2 of 20
    ("xh.bs.dsn", "2026-10-20T09:00", (2, 20)),
    # R5 not yet visited on 10-20: owed 10-01..10-19 only, visited 10-05: 1 of 19
    ("xh.sp.ls", "2026-10-20T09:00", (1, 19)),
    ("xh.sp.ls", "2026-10-20T23:59", (1, 19)),
    # 10-21: 10-20 is over, 20 owed
    ("xh.sp.ls", "2026-10-21T00:00", (1, 20)),
    ("xh.bs.dsn", "2026-10-21T09:00", (2, 20)),
])
def test_a_daily_visit_is_owed_once_its_day_is_over(run, unit, now, want):
    assert figure(run, "star_visit_rate", unit, now) == want
