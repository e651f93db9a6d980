"""dianti deadlines: none in the source; a committed service date; or bound to taizhang."""

from __future__ import annotations

try:
    from tests.test_dianti_assignment import TOML, add, setup_county
except ImportError:  # tests/ not a package on sys.path
    from test_dianti_assignment import TOML, add, setup_county

BOUND = TOML.replace('methods = ["dianti"]', 'methods = ["dianti", "taizhang"]') + """
[bindings]
dianti.deadline = "taizhang"
"""


def test_no_service_date_no_due_instant(county_cli, init_county, tmp_path):
    setup_county(init_county, tmp_path)
    a = add(county_cli, "降低生猪养殖成本")
    assert a["due_at"] is None and a["level"] is None
    assert county_cli("sweep", "--now", "2027-01-01T00:00", "--json").data["actions"] == []
    assert county_cli("case", "list", "--overdue", "--now", "2027-01-01T00:00", "--json").data == []


def test_committed_service_date_is_due_at_end_of_that_day_and_flagged(county_cli, init_county, tmp_path):
    setup_county(init_county, tmp_path)
    a = add(county_cli, "降低生猪养殖成本", "service_date=2026-03-05", now="2026-03-02T10:00")
    assert a["extra"]["service_date"] == "2026-03-05"
    assert a["due_at"] == "2026-03-05T23:59:59+08:00"
    assert county_cli("sweep", "--now", "2026-03-05T23:59:59", "--json").data["actions"] == []
    acts = county_cli("sweep", "--now", "2026-03-06T00:00:00", "--json").data["actions"]
    assert [(x["case"], x["milestone"], x["action"]) for x in acts] == [(a["id"], "service_date", "flag")]
    assert county_cli("sweep", "--now", "2026-03-06T00:00:00", "--json").data["actions"] == []
    shown = county_cli("case", "show", a["id"], "--json").data
    assert shown["status"] == "assigned" and shown["handler"] == "m1"  # flagged (督办), stays
    assert [e["type"] for e in shown["events"]] == ["registered", "triaged", "assigned", "overdue"]
    # a same-day commitment is due that evening; a date before intake is refused
    b = add(county_cli, "生猪防疫", "service_date=2026-03-02T15:00", now="2026-03-02T10:00")
    assert b["due_at"] == "2026-03-02T23:59:59+08:00"
    r = county_cli("case", "add", "--method", "dianti", "--unit", "sn.th.hf", "--title", "x", "--now", "2026-03-02T10:00",
                   "--set", "service_date=2026-03-01", ok=2)
    assert "service_date=2026-03-01" in r.stderr and "2026-03-02" in r.stderr
    r = county_cli("case", "add", "--method", "dianti", "--unit", "sn.th.hf", "--title", "x", "--set",
                   "service_date=next week", ok=2)
    assert "service_date" in r.stderr


def test_bound_to_taizhang_deadlines(county_cli, init_county, tmp_path):
    """[bindings] dianti.deadline = "taizhang": the case follows taizhang's chain (L29) — village
    5 calendar days, then the township's 15 — while dianti still routes it to a member."""
    setup_county(init_county, tmp_path, BOUND)
    a = add(county_cli, "降低生猪养殖成本", now="2026-03-02T10:00")
    assert (a["method"], a["category"], a["handler"]) == ("dianti", "livestock", "m1")
    assert a["level"] == "village"
    assert a["due_at"] == "2026-03-07T23:59:59+08:00"
    # a service date does not replace the bound method's limit
    b = add(county_cli, "生猪防疫", "service_date=2026-03-20", now="2026-03-03T16:30")
    assert b["due_at"] == "2026-03-08T23:59:59+08:00" and b["extra"]["service_date"] == "2026-03-20"
    assert county_cli("sweep", "--now", "2026-03-07T23:59:59", "--json").data["actions"] == []
    acts = county_cli("sweep", "--now", "2026-03-08T00:00:00", "--json").data["actions"]
    assert [(x["case"], x["from"], x["to"]) for x in acts] == [(a["id"], "village", "township")]
    shown = county_cli("case", "show", a["id"], "--json").data
    assert (shown["level"], shown["unit"]) == ("township", "sn.th")
    assert shown["due_at"] == "2026-03-23T23:59:59+08:00"  # 15 days from 2026-03-08
    # resolved in time at the village: no escalation
    county_cli("case", "resolve", b["id"], "--note", "已防疫", "--now", "2026-03-08T12:00")
    assert county_cli("sweep", "--now", "2026-03-09T00:00:00", "--json").data["actions"] == []
    assert county_cli("case", "show", b["id"], "--json").data["resolved_at"] == "2026-03-08T12:00:00+08:00"
