"""Issue 14, the inspector's second round (纪检, /tmp attack scripts): holes in ``county verify``
closed — each test reproduces one attack made with raw sqlite3 (or the CLI) and fails without
its fix.

Dates by hand (taizhang L29: village 5 calendar days): a case taken in at 柳林沟村 on
2024-02-26 10:00 is due 2024-03-02 23:59:59; the sweep at 03-03 01:00 escalates it to the
township (events 1 registered, 2 assigned, 3 overdue, 4 escalated, 5 assigned)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from deployments import mini_zhongjiang


def test_the_sweep_refuses_to_write_before_the_latest_event(init_county, county_db):
    run = init_county(mini_zhongjiang())
    run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯", "--category",
        "livelihood", "--now", "2024-02-26T10:00")
    run("case", "assign", "zj-000001", "--unit", "zj.fx.llg", "--note", "村里接手", "--now", "2024-03-04T09:00")  # event 2 (event 1: registered)
    r = run("sweep", "--now", "2024-03-03T01:00", ok=1)  # village limit missed, but 03-04 is recorded
    assert r.stderr.splitlines()[0] == (
        "error: sweep: zj-000001 close: plugin 'kernel' failed in time order: case zj-000001: its latest event is "
        "'assigned' at 2024-03-04T09:00:00+08:00; cannot sweep it at 2024-03-03T01:00:00+08:00, before that "
        "(event 2; events stay in time order; check --now)")
    con = sqlite3.connect(county_db)
    assert con.execute("select count(*), max(id) from events").fetchone() == (2, 2)  # nothing written
    assert con.execute("select state from milestones").fetchall() == [("pending",)]
    con.close()
    assert run("sweep", "--now", "2024-03-05T01:00", "--json").data["actions"][0]["action"] == "escalate"
