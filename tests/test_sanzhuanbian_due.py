"""sanzhuanbian's 每月至少1天走访达标率 (casebook L110 每月至少1天走访联系的困难户、上访户和重点人员)
counts only the months that have ended by --now: a month's visit day is due on its last day and
owed once that day is over (conventions §2), never a month merely begun. The inspector's case on
the sample deployment (plugins/contrib/sanzhuanbian/data/wushi.toml), every figure by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.sanzhuanbian
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.sanzhuanbian.__file__).parent / "data" / "wushi.toml"


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("sanzhuanbian-due") / "county.db").init(TOML)
    run("sanzhuanbian", "household", "add", "c1-h1", "--unit", "ws.ahy.c1", "--flag", "needy",
        "--now", "2026-09-01T09:00")
    run("sanzhuanbian", "link", "--cadre", "nyj-01", "--household", "c1-h1", "--now", "2026-09-01T09:00")
    run("sanzhuanbian", "visit", "--cadre", "nyj-01", "--household", "c1-h1", "--now", "2026-09-10T10:00")

    def figures(period, now):
        return next((m["numerator"], m["denominator"]) for m in
                    run("appraise", "--unit", "ws.ahy.c1", "--period", period, "--now", now, "--json").data
                    if m["method"] == "sanzhuanbian" and m["metric"] == "visit_day_rate")
    return figures


def test_a_running_month_owes_nothing_yet(figures):
    # October at 10-20: its visit day is due 10-31 — nothing owed yet (was 0/1)
    assert figures("2026-10", "2026-10-20T09:00") == (0, 0)
    # September's visit (09-10) is made, but September counts only once 09-30 is over
    assert figures("2026-09", "2026-09-30T23:59") == (0, 0)
    assert figures("2026-09", "2026-10-01T00:00") == (1, 1)


def test_a_running_quarter_owes_its_ended_months(figures):
    # Q4 at 11-20: October ended without a visit (0 of 1); November runs, December not begun (was 0/2)
    assert figures("2026Q4", "2026-11-20T09:00") == (0, 1)
    # at 12-01 00:00 November has ended too: 0 of 2
    assert figures("2026Q4", "2026-12-01T00:00") == (0, 2)
