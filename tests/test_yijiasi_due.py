"""yijiasi's cadence rates owe an obligation once its due day is over (conventions §2: a day's limit
is 23:59:59), not while it runs: the inspector's case (L455 每周不少于一次联系社区, 每两周不少于一天
参与社区工作) on the sample deployment (data/huaian.toml: team 东区 with 5 members; fortnights of
14 days from 2024-01-01, so one ends on Sundays 2026-11-01, 11-15, 11-29). November 2026, every
figure by hand."""

from pathlib import Path

import pytest

from framework.testing import CountyRunner

TOML = Path(__file__).resolve().parents[1] / "plugins" / "contrib" / "yijiasi" / "data" / "huaian.toml"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return CountyRunner(tmp_path_factory.mktemp("yijiasi-due") / "county.db").init(TOML, now="2026-10-01T09:00")


def rates(county, now):
    got = {m["metric"]: (m["numerator"], m["denominator"]) for m in
           county("appraise", "--unit", "ha.sd", "--period", "2026-11", "--now", now, "--json").data
           if m["method"] == "yijiasi" and m["subject"] == "ha.sd"}
    return got["weekly_contact_rate"], got["fortnight_workday_rate"]


def test_a_sunday_is_owed_once_it_is_over(county):
    # Saturday 11-14 23:00: the weeks to Sundays 11-01 and 11-08 (2 × 5), the fortnight to 11-01 (5)
    assert rates(county, "2026-11-14T23:00") == ((0, 10), (0, 5))
    # Sunday 11-15 09:00: the week and the fortnight ending today are not owed yet (were 0/15 and 0/10),
    # even when done already — 何某's contact and work day of this morning count from Monday
    county("yijiasi", "contact", "--person", "wjw-he", "--now", "2026-11-15T08:00")
    county("yijiasi", "workday", "--person", "wjw-he", "--now", "2026-11-15T08:00")
    assert rates(county, "2026-11-15T09:00") == ((0, 10), (0, 5))
    assert rates(county, "2026-11-15T23:59") == ((0, 10), (0, 5))
    # Monday 11-16 00:00: three weeks (15) and two fortnights (10), 何某's done
    assert rates(county, "2026-11-16T00:00") == ((1, 15), (1, 10))
