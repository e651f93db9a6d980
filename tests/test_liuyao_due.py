"""liuyao (Nanping 六要): a disclosure obligation (党务村务公开目录, casebook L187) not yet due is
待公开（未到期）, not a failure: due on D, it is owed once D is over (conventions §2: a day's limit
is 23:59:59). On the sample deployment (坑布村 yp.xq.kb; 村财收支 monthly with
periodic_grace_days 10): the village starts with the disclosure of 2026-09's finance on
2026-10-05 (公开栏、户代表), so October's finance is due 11-10 and November's 12-10. By hand:

* at 10-28 09:00 and 11-10 23:00 both are 待公开（未到期）; at 11-11 00:00 October's is
  未按要求公开 (was 未按要求公开 at 10-28 already);
* the board of 2026-11 at 11-05 lists October's finance (due 11-10) as 待公开（未到期） (was
  未公开), at 11-11 as 未公开.
"""

from __future__ import annotations

import json

import pytest
from test_liuyao_work import KB, TOML

from framework.testing import CountyRunner


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("liuyao-due") / "county.db").init(TOML, now="2026-09-01T09:00")
    run("liuyao", "disclose", "--unit", KB, "--item", "finance", "--form", "board", "--form", "household_rep",
        "--period", "2026-09", "--now", "2026-10-05T09:00")
    return run


@pytest.mark.parametrize("now, want", [
    ("2026-10-28T09:00", ["2026-11-10 村财收支 2026-10：待公开（未到期）", "2026-12-10 村财收支 2026-11：待公开（未到期）"]),
    ("2026-11-10T23:00", ["2026-11-10 村财收支 2026-10：待公开（未到期）", "2026-12-10 村财收支 2026-11：待公开（未到期）"]),
    ("2026-11-11T00:00", ["2026-11-10 村财收支 2026-10：未按要求公开", "2026-12-10 村财收支 2026-11：待公开（未到期）"]),
])
def test_obligations_not_yet_due_are_pending(run, now, want):
    out = run("liuyao", "disclosures", "--unit", KB, "--due-from", "2026-09-01", "--due-to", "2026-12-31",
              "--now", now).stdout
    assert out.splitlines() == want
    rows = run("liuyao", "disclosures", "--unit", KB, "--due-from", "2026-09-01", "--due-to", "2026-12-31",
               "--now", now, "--json").data
    assert [(r["key"], r["done"], r["state"]) for r in rows] == [
        ("2026-10", False, "pending" if now < "2026-11-11" else "missed"), ("2026-11", False, "pending")]


@pytest.mark.parametrize("now, state", [("2026-11-05T00:00", "待公开（未到期）"), ("2026-11-11T00:00", "未公开")])
def test_board_shows_pending_until_the_due_day_is_over(run, now, state):
    boards = json.loads(run("board", "--unit", KB, "--period", "2026-11", "--format", "json", "--now", now).stdout)
    boards = boards["boards"] if isinstance(boards, dict) else boards
    sec = {s["title"].split("（")[0]: s["rows"] for s in boards[0]["sections"]}
    assert [(r["item"], r["key"], r["forms"], r["due_on"], r["state"]) for r in sec["党务村务公开目录"]] == [
        ("村财收支", "2026-10", "—", "2026-11-10", state)]
    md = run("board", "--unit", KB, "--period", "2026-11", "--format", "md", "--now", now).stdout
    assert f"| 村财收支 | 每月公开 | 2026-10 | — | 2026-11-10 | {state} |" in md
