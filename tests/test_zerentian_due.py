"""zerentian (Lüyuan 六有一评 / 责任田): 践诺率 counts a pledge once its term is over (casebook
L312: 每年6月召开全区党组织服务民生述职测评大会 … 承诺、践诺、述职、测评 — a yearly cycle reviewed
each June). A pledge's term runs to the next June review: 06-30 23:59:59 of its year when made
January–June, of the next year when made July–December. Fulfilled pledges count as kept whenever
fulfilled; a pending pledge whose term runs beyond now counts for neither side. By hand, on the
sample deployment:

* A: 正阳一号责任田 (zy-1) pledged 2026-01-10 09:00 (term to 2026-06-30), fulfilled 2026-08-01;
* B: 开元村 (ly.xx.ky) pledged 2026-07-15 09:00 (term to 2027-06-30), never fulfilled.

2026Q1 at 03-01: A pending, term running → none (was 0/1); at 07-01: A owed, unfulfilled → 0/1;
2026 at 06-30 23:00: A's term not over yet → none; 2026 at 09-01: A kept, B running → 1/1;
2026 at 2027-07-01: 1/2; 2026Q1 at 09-01: A kept after its term → 1/1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.zerentian
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.zerentian.__file__).parent / "data" / "lvyuan.toml"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("zerentian-due") / "county.db").init(TOML, now="2026-01-02T08:00")
    a = run("zerentian", "pledge", "zy-1", "--text", "为辖区独居老人每月上门服务", "--now", "2026-01-10T09:00",
            "--json").data
    run("zerentian", "pledge", "ly.xx.ky", "--text", "年内硬化村道2公里", "--now", "2026-07-15T09:00")
    run("zerentian", "fulfil", a["id"], "--note", "已服务36户次", "--now", "2026-08-01T09:00")
    return run


@pytest.mark.parametrize("period, now, want", [
    ("2026Q1", "2026-03-01T00:00", (0, 0)),
    ("2026Q1", "2026-07-01T00:00", (0, 1)),
    ("2026", "2026-06-30T23:00", (0, 0)),
    ("2026", "2026-09-01T00:00", (1, 1)),
    ("2026", "2027-07-01T00:00", (1, 2)),
    ("2026Q1", "2026-09-01T00:00", (1, 1)),
])
def test_a_pledge_is_owed_once_its_term_is_over(run, period, now, want):
    rows = run("appraise", "--unit", "ly", "--period", period, "--now", now, "--json").data
    got = [(m["numerator"], m["denominator"]) for m in rows
           if m["method"] == "zerentian" and m["subject"] == "ly" and m["metric"] == "pledge_fulfilment_rate"]
    assert got == [want]
