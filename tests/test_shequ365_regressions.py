"""shequ365 regressions from a new user's test run: unknown grid/community, the missed-visit
list across a month end, year figures counted from when the data began."""

from __future__ import annotations

import pytest

TOML = """
[deployment]
name = "宁波市"
code = "nb"
methods = ["shequ365"]

[[units]]
code = "nb"
name = "宁波市"
level = "county"
[[units]]
code = "nb.c1"
name = "和平社区"
level = "community"
parent = "nb"

[[people]]
id = "w1"
name = "孙丽"
unit = "nb.c1"
roles = ["social_worker"]
[[people]]
id = "w2"
name = "高强"
unit = "nb.c1"
roles = ["social_worker"]
"""


@pytest.fixture
def run(init_county, tmp_path):
    """和平社区 set up on 2026-11-10: grid g1 (w1) with households a1–a3 linked to w1 and a4
    unlinked (linked to w1 on 12-02); grid g2 (w2) whose file says it was set up 11-01.
    Activity: g1 patrolled on the morning of 11-10, a huddle on 11-10; w1 visits a1 on 11-12
    and a2 on 12-03."""
    county_cli = init_county(TOML)
    county_cli("shequ365", "grids", "import", _write(tmp_path / "g.csv", "code,name,community,worker,created_at\n"
               "g1,和平一片,nb.c1,w1,\ng2,和平二片,nb.c1,w2,2026-11-01\n"), "--now", "2026-11-10T09:00")
    county_cli("shequ365", "households", "import", _write(tmp_path / "h.csv", "id,grid,worker\n"
               "a1,g1,w1\na2,g1,w1\na3,g1,w1\na4,g1,\n"), "--now", "2026-11-10T09:30")
    county_cli("shequ365", "patrol", "record", "g1", "--shift", "morning", "--worker", "w1", "--now", "2026-11-10T10:00")
    county_cli("shequ365", "meeting", "record", "--community", "nb.c1", "--kind", "huddle", "--now", "2026-11-10T17:00")
    county_cli("shequ365", "visit", "record", "a1", "--worker", "w1", "--now", "2026-11-12T10:00")
    county_cli("shequ365", "households", "link", "--worker", "w1", "a4", "--now", "2026-12-02T09:00")
    county_cli("shequ365", "visit", "record", "a2", "--worker", "w1", "--now", "2026-12-03T10:00")
    return county_cli


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_grid_or_community_is_an_error_naming_it(run):
    for args, name in ((("households", "list", "--grid", "nosuch"), "--grid 'nosuch': unknown grid"),
                       (("links", "--community", "nosuch"), "--community 'nosuch': unknown community"),
                       (("grids", "list", "--community", "nosuch"), "--community 'nosuch': unknown community"),
                       (("households", "list", "--worker", "nosuch"), "--worker: unknown person 'nosuch'")):
        r = run("shequ365", *args, ok=2)
        assert r.stdout == ""
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0], r.stderr
    # a known grid or community still lists
    assert [h["id"] for h in run("shequ365", "households", "list", "--grid", "g1", "--json").data] == [
        "a1", "a2", "a3", "a4"]
    assert [c["community"] for c in run("shequ365", "links", "--community", "nb.c1", "--json").data] == ["nb.c1"]


def test_created_and_linked_times_are_stored_and_kept(run, tmp_path):
    rows = {r["code"]: r for r in run("shequ365", "grids", "list", "--json").data}
    assert (rows["g1"]["created_at"], rows["g2"]["created_at"]) == ("2026-11-10T09:00:00+08:00", "2026-11-01T00:00:00+08:00")
    # a re-import keeps the first created_at
    run("shequ365", "grids", "import", _write(tmp_path / "g2.csv", "code,name,community,worker\ng1,和平一片,nb.c1,w1\n"),
        "--now", "2026-12-20T09:00")
    assert run("shequ365", "grids", "list", "--json").data[0]["created_at"] == "2026-11-10T09:00:00+08:00"
    r = run("shequ365", "grids", "import", _write(tmp_path / "g3.csv", "code,name,community,created_at\n"
            "g3,三片,nb.c1,2027-01-01\n"), "--now", "2026-12-20T09:00", ok=2)
    assert "line 2: created_at: '2027-01-01' is after the import time" in r.stderr


def test_visits_are_missed_only_after_their_month(run):
    # 11-12: a2 and a3 not visited yet, but due by 11-30 — nothing missed
    d = run("shequ365", "duties", "--date", "2026-11-12", "--json").data
    assert [(x["subject"], x["due_on"], x["done"]) for x in d["duties"] if x["kind"] == "linked_visit"] == [
        ("a1", "2026-11-30", True), ("a2", "2026-11-30", False), ("a3", "2026-11-30", False)]
    assert d["missed"] == []
    assert run("shequ365", "duties", "--date", "2026-11-30", "--json").data["missed"] == []
    # 12-01: November's misses (a4 was not linked in November); December's visits are due by 12-31
    d = run("shequ365", "duties", "--date", "2026-12-01", "--json").data
    assert [(x["subject"], x["due_on"], x["title"]) for x in d["missed"]] == [
        ("a2", "2026-11-30", "联户走访：户 a2（孙丽）2026-11未走访"),
        ("a3", "2026-11-30", "联户走访：户 a3（孙丽）2026-11未走访")]
    assert [(x["subject"], x["due_on"], x["done"]) for x in d["duties"] if x["kind"] == "linked_visit"] == [
        ("a2", "2026-11-30", False), ("a3", "2026-11-30", False),
        ("a1", "2026-12-31", False), ("a2", "2026-12-31", False), ("a3", "2026-12-31", False)]
    text = run("shequ365", "duties", "--date", "2026-12-01").output
    assert "漏办（2）：\n  联户走访  a2         联户走访：户 a2（孙丽）2026-11未走访\n" in text
    assert "待办  nb.c1          早巡  早巡：" in text
    # the kernel's duties carry the same misses
    assert run("duties", "--date", "2026-12-01", "--json").data == d["duties"]
    # still listed during December; gone in January, when December's are
    assert [x["subject"] for x in run("shequ365", "duties", "--date", "2026-12-31", "--json").data["missed"]] == ["a2", "a3"]
    jan = run("shequ365", "duties", "--date", "2027-01-01", "--json").data["missed"]
    assert [(x["subject"], x["due_on"]) for x in jan] == [("a1", "2026-12-31"), ("a3", "2026-12-31"), ("a4", "2026-12-31")]
    # the month view: none while November runs, a2 and a3 once it is over
    m = run("shequ365", "duties", "--month", "2026-11", "--now", "2026-11-30T20:00", "--json").data
    assert (m["ended"], m["missed"]) == (False, [])
    m = run("shequ365", "duties", "--month", "2026-11", "--now", "2026-12-01T08:00", "--json").data
    assert (m["ended"], [x["subject"] for x in m["missed"]]) == (True, ["a2", "a3"])
    # December's per-day counts are December's duties: 2 patrols x 2 grids, huddle, 3 visits
    dec = run("shequ365", "duties", "--month", "2026-12", "--now", "2026-12-05T08:00", "--json").data
    assert dec["days"][0]["by_kind"]["linked_visit"] == {"due": 3, "done": 0}
    assert dec["days"][1]["by_kind"]["linked_visit"] == {"due": 4, "done": 0}  # a4 linked 12-02
    assert (dec["ended"], dec["missed"]) == (False, [])


def test_nothing_is_due_before_the_data(run):
    assert run("duties", "--date", "2026-10-31", "--json").data == []
    kinds = [x["kind"] for x in run("duties", "--date", "2026-11-10", "--json").data]
    # g2 (created 11-01 by its file) and g1 (created 11-10) patrols, huddle, 3 visits
    assert kinds == ["patrol_morning", "patrol_evening"] * 2 + ["huddle"] + ["linked_visit"] * 3
    kinds = [x["kind"] for x in run("duties", "--date", "2026-11-05", "--json").data]
    assert kinds == ["patrol_morning", "patrol_evening", "huddle"]  # the community's data begins with g2


def _figures(run, now):
    ms = run("appraise", "--period", "2026", "--now", now, "--json").data
    return {(m["metric"], m["subject"]): (m["numerator"], m["denominator"]) for m in ms if m["method"] == "shequ365"}


def test_year_figures_count_from_when_the_data_began(run):
    got = _figures(run, "2026-12-15T12:00")
    # daily patrols and meetings are owed once their day is over (conventions §8): 12-15 not yet
    # g1 from 11-10 to 12-14: 35 days x 2 patrols; g2 (created 11-01) 44 days x 2
    assert got[("patrol_rate", "w1")] == (1, 70)
    assert got[("patrol_rate", "w2")] == (0, 88)
    # the community's data begins 11-01 (g2): 44 huddles to 12-14, Fridays 11-06…12-11, the 11-30 joint meeting
    assert got[("cadence_huddle", "nb.c1")] == (1, 44)
    assert got[("cadence_weekly", "nb.c1")] == (0, 6)
    assert got[("cadence_joint", "nb.c1")] == (0, 1)
    assert got[("cadence_forum", "nb.c1")] == (0, 0)
    # November (ended): a1, a2, a3 due, a1 visited; December (running): a2 visited so far
    assert got[("visit_coverage", "w1")] == (2, 4)
    got = _figures(run, "2027-01-05T12:00")
    assert got[("patrol_rate", "w1")] == (1, 104)  # 11-10 … 12-31: 52 days
    assert got[("cadence_huddle", "nb.c1")] == (1, 61)  # 11-01 … 12-31
    # November 1 of 3; December 1 of 4 (a4 linked 12-02)
    assert got[("visit_coverage", "w1")] == (2, 7)
    month = _figures(run, "2026-11-20T12:00")
    # November running, a1 visited: 1/1; patrols 10 days of g1 (11-10 … 11-19; 11-20 not over)
    assert month[("visit_coverage", "w1")] == (1, 1)
    assert month[("patrol_rate", "w1")] == (1, 20)


def test_rows_from_before_created_at_count_from_the_first_activity(run, county_db):
    import sqlite3

    con = sqlite3.connect(county_db)
    con.execute("update shequ365_grids set created_at = null")
    con.execute("update shequ365_households set created_at = null, linked_at = null")
    con.commit()
    con.close()
    got = _figures(run, "2026-12-15T12:00")
    # the community's first activity is the patrol and huddle of 11-10: 35 days to 12-14
    assert (got[("patrol_rate", "w1")], got[("patrol_rate", "w2")]) == ((1, 70), (0, 70))
    assert got[("cadence_huddle", "nb.c1")] == (1, 35)
    # links without a date count from then too: November a1 of a1–a4, December a2 so far
    assert got[("visit_coverage", "w1")] == (2, 5)


def test_acting_before_the_household_or_case_existed_is_refused(init_county, tmp_path):
    """Regression: `visit record h3 --now 2026-09-01` for a household imported on 2026-10-05
    was accepted (and so were a link before the import and a meeting about a later case)."""
    county_cli = init_county(TOML)
    county_cli("shequ365", "grids", "import", _write(tmp_path / "g.csv", "code,name,community,worker\n"
               "g1,和平一片,nb.c1,w1\n"), "--now", "2026-10-05T09:00")
    county_cli("shequ365", "households", "import", _write(tmp_path / "h.csv", "id,grid,worker\nh3,g1,w1\n"),
               "--now", "2026-10-05T09:00")
    r = county_cli("shequ365", "visit", "record", "h3", "--worker", "w1", "--issue", "漏水", "--category", "repair",
                   "--now", "2026-09-01", ok=1)
    assert r.stderr == ("error: household h3 was imported at 2026-10-05T09:00:00+08:00; it cannot be visited "
                        "at 2026-09-01T00:00:00+08:00 (check --now)\n")
    r = county_cli("shequ365", "households", "link", "--worker", "w2", "h3", "--now", "2026-10-04T09:00", ok=1)
    assert r.stderr == ("error: household h3 was imported at 2026-10-05T09:00:00+08:00; it cannot be linked "
                        "at 2026-10-04T09:00:00+08:00 (check --now)\n")
    assert county_cli("case", "list", "--json").data == []
    assert county_cli("shequ365", "households", "list", "--json").data[0]["worker"] == "w1"
    assert county_cli("shequ365", "duties", "--date", "2026-09-30", "--json").data["duties"] == []
    v = county_cli("shequ365", "visit", "record", "h3", "--worker", "w1", "--issue", "漏水", "--category", "repair",
                   "--now", "2026-10-05T09:00", "--json").data
    case = v["case"]["id"]
    r = county_cli("shequ365", "meeting", "record", "--community", "nb.c1", "--kind", "weekly", "--case", case,
                   "--now", "2026-10-04T17:00", ok=1)
    assert r.stderr == (f"error: --case {case}: case {case} was taken in at 2026-10-05T09:00:00+08:00; "
                        f"a meeting at 2026-10-04T17:00:00+08:00 cannot discuss it (check --now)\n")
    assert [e["type"] for e in county_cli("case", "show", case, "--json").data["events"]] == [
        "registered", "triaged", "assigned"]
