"""shequhua (Songshan 农村社区化管理): 定期督查覆盖率 counts the check periods of
``inspection_every`` (a quarter in the sample deployment) that have ended within the period by
now (casebook L273 定期深入试点村进行指导检查, L276 定期督查): pilots × ended check periods, done
when a regular check fell in that check period; a check period ending on D is owed once D is
over. The sample deployment's three pilots (鸭子河村, 大兴隆庄村, 敖包村):
their centres opened at ``county init`` on 2026-01-01; one regular check of 鸭子河村 on
2026-11-16 10:00. By hand:

* 2026-10 at 11-16 11:00: no quarter ends in October → 0 of 0 (was 0/3);
* 2026Q4 at 11-15 (the check not yet made), 11-16 11:00, and 12-31 23:00 (Q4's last day, not
  over; the check made counts): 0/0, 0/0, 1/1; at 2027-01-01: 1/3;
* 2026 at 2027-01-01: Q1..Q4 ended, 3 pilots × 4 = 12 owed, 1 done;
* 2026 at 11-16 11:00: Q1..Q3 ended → 9 owed, none done (the check lies in Q4).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.shequhua
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.shequhua.__file__).parent / "data" / "songshan.toml"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("shequhua-due") / "county.db").init(TOML, now="2026-01-01T09:00")
    run("shequhua", "inspect", "ss.mj.yzh", "--kind", "regular", "--result", "good", "--inspector", "zzb-01",
        "--now", "2026-11-16T10:00")
    return run


@pytest.mark.parametrize("period, now, want", [
    ("2026-10", "2026-11-16T11:00", (0, 0)),
    ("2026Q4", "2026-11-15T00:00", (0, 0)),
    ("2026Q4", "2026-11-16T11:00", (0, 0)),
    ("2026Q4", "2026-12-31T23:00", (1, 1)),
    ("2026Q4", "2027-01-01T00:00", (1, 3)),
    ("2026", "2027-01-01T00:00", (1, 12)),
    ("2026", "2026-11-16T11:00", (0, 9)),
])
def test_regular_check_coverage_per_check_period(run, period, now, want):
    rows = run("appraise", "--unit", "ss", "--period", period, "--now", now, "--json").data
    got = [(m["numerator"], m["denominator"]) for m in rows
           if m["method"] == "shequhua" and m["subject"] == "ss" and m["metric"] == "regular_check_coverage"]
    assert got == [want]
