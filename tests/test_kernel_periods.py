"""Half-year periods (issue 18, docs/hooks.md §12.1): ``2026H1`` is 2026-01-01 00:00 to
2026-07-01 00:00 local, ``2026H2`` 2026-07-01 00:00 to 2027-01-01 00:00, wherever a period is
taken (timerules, the read API, county appraise, county board, the boards' labels)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from framework import Calendar, CountyError, period_dates
from framework.publish.render import period_label

TZ = ZoneInfo("Asia/Shanghai")

TOML = """
[deployment]
name = "测试县"
code = "h"
methods = ["taizhang"]

[[units]]
code = "h"
name = "测试县"
level = "county"

[[units]]
code = "h.t"
name = "东镇"
level = "township"
parent = "h"

[[units]]
code = "h.t.v"
name = "西村"
level = "village"
parent = "h.t"
"""


def test_half_year_dates_bounds_and_labels():
    assert period_dates("2026H1") == (dt.date(2026, 1, 1), dt.date(2026, 7, 1))
    assert period_dates("2026h2") == (dt.date(2026, 7, 1), dt.date(2027, 1, 1))
    assert Calendar().period_bounds("2026H2") == (dt.datetime(2026, 7, 1, tzinfo=TZ), dt.datetime(2027, 1, 1, tzinfo=TZ))
    assert (period_label("2026H1"), period_label("2026H2")) == ("2026年上半年", "2026年下半年")
    for bad in ("2026H3", "2026H", "26H1"):
        with pytest.raises(CountyError, match=r"is not a period \(use 2026-11, 2026Q4, 2026H1, 2026H2, 2026"):
            period_dates(bad)


def test_half_years_in_the_read_api_appraise_and_board(make_county, county_cli):
    county = make_county(TOML, now="2026-06-30T23:59:59")
    a = county.add_case("taizhang", "h.t.v", "上半年最后一刻", category="livelihood")
    county.clock.fixed = dt.datetime(2026, 7, 1, tzinfo=TZ)
    b = county.add_case("taizhang", "h.t.v", "下半年第一刻", category="livelihood")
    ctx = county.ctx("taizhang")
    assert ctx.cases.ids(created="2026H1") == [a.id] and ctx.cases.ids(created="2026H2") == [b.id]
    assert ctx.cases.ids(created="2026") == [a.id, b.id]
    assert [e.case_id for e in ctx.events.find("registered", at="2026H2")] == [b.id]
    cases = {p: m.value for p in ("2026H1", "2026H2") for m in county.appraise(p, "h")
             if m.metric == "cases" and m.subject == "h" and m.method == "taizhang"}
    assert cases == {"2026H1": 1, "2026H2": 1}
    out = county_cli("appraise", "--period", "2026H2", "--unit", "h", "--json", "--now", "2026-07-02").data
    assert [m["value"] for m in out if m["metric"] == "cases" and m["subject"] == "h"] == [1]
    board = county_cli("board", "--unit", "h.t.v", "--period", "2026H2", "--format", "md", "--now", "2026-07-02")
    assert "西村“三本台账”晒账公示（2026年下半年）" in board.stdout
    bad = county_cli("board", "--unit", "h.t.v", "--period", "2026H3", "--now", "2026-07-02", ok=False)
    assert bad.exit_code == 2 and "'2026H3' is not a period (use 2026-11, 2026Q4, 2026H1, 2026H2" in bad.stderr
