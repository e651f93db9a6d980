"""sanzhuanbian (乌什“三个转变”, casebook L110): the contact network, the monthly visit day and the
appraisal's coverage and visit figures, through the CLI on the sample deployment
(plugins/contrib/sanzhuanbian/data/wushi.toml). One county for the module; every figure by hand.

The rules asserted: 每名干部联系1-5户农户 (the 6th household refused, a cadre with 0 a gap);
确保每户群众都有1名党员干部联系负责 (a second cadre refused, a household without one a gap);
机关党员干部各直接联系1户村民和1户居民 (a second village household refused, the missing urban one a
gap); 县直单位对口帮扶1个行政村 (a second village refused); 每月至少1天走访联系的困难户、上访户和重点
人员 (the duty on the month's last day)."""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.sanzhuanbian
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.sanzhuanbian.__file__).parent / "data" / "wushi.toml"
SET_UP = "2024-09-01T09:00"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("sanzhuanbian-network") / "county.db").init(TOML)
    households = [("c1-h1", "ws.ahy.c1", "needy"), ("c1-h2", "ws.ahy.c1", "petitioner")]
    households += [(f"c1-h{i}", "ws.ahy.c1", None) for i in range(3, 7)]
    households += [("c2-h1", "ws.ahy.c2", "key_person"), ("c2-h2", "ws.ahy.c2", None), ("cb-h1", "ws.wsz.cb", None)]
    for hid, unit, flag in households:
        run("sanzhuanbian", "household", "add", hid, "--unit", unit, *(["--flag", flag] if flag else []),
            "--now", SET_UP)
    for i in range(1, 6):
        run("sanzhuanbian", "link", "--cadre", "nyj-01", "--household", f"c1-h{i}", "--now", SET_UP)
    return run


def test_five_households_per_cadre_and_one_cadre_per_household(run):
    # L110 每名干部联系1-5户农户: 艾某 has 5, the 6th is refused (exit 1)
    r = run("sanzhuanbian", "link", "--cadre", "nyj-01", "--household", "c1-h6", "--now", SET_UP, ok=1)
    assert "already keeps contact with 5 households" in r.stderr and "1-5户" in r.stderr
    # L110 每户群众都有1名党员干部联系负责: c1-h1 has 艾某, 吐某 is refused
    r = run("sanzhuanbian", "link", "--cadre", "slj-01", "--household", "c1-h1", "--now", SET_UP, ok=1)
    assert "already has its one responsible cadre, nyj-01" in r.stderr
    # an urban household is not a contact household (农户): exit 2
    r = run("sanzhuanbian", "link", "--cadre", "slj-01", "--household", "cb-h1", "--now", SET_UP, ok=2)
    assert "--kind mutual_aid" in r.stderr
    # a person without a cadre role (the village cadre 买某) cannot be linked
    r = run("sanzhuanbian", "link", "--cadre", "c1-01", "--household", "c1-h6", "--now", SET_UP, ok=2)
    assert "neither contact_cadre nor agency_party_cadre" in r.stderr
    # 吐某 takes the 6th household
    assert run("sanzhuanbian", "link", "--cadre", "slj-01", "--household", "c1-h6", "--now", SET_UP,
               "--json").data["kind"] == "contact"


def test_agency_party_cadre_one_village_and_one_urban_household(run):
    # L110 机关党员干部各直接联系1户村民和1户居民: 米某 takes c2-h1, a second village household is refused
    run("sanzhuanbian", "link", "--cadre", "nyj-02", "--household", "c2-h1", "--kind", "mutual_aid", "--now", SET_UP)
    r = run("sanzhuanbian", "link", "--cadre", "nyj-02", "--household", "c2-h2", "--kind", "mutual_aid",
            "--now", SET_UP, ok=1)
    assert "1 村民 household(s)" in r.stderr
    # 艾某 is not an agency party cadre
    r = run("sanzhuanbian", "link", "--cadre", "nyj-01", "--household", "cb-h1", "--kind", "mutual_aid",
            "--now", SET_UP, ok=2)
    assert "not an agency party cadre" in r.stderr


def test_pairs_and_the_gaps_of_the_network(run):
    run("sanzhuanbian", "pair", "--department", "ws.nyj", "--village", "ws.ahy.c1", "--now", SET_UP)
    # L110 县直单位对口帮扶1个行政村: a second village for 县农业局 is refused
    r = run("sanzhuanbian", "pair", "--department", "ws.nyj", "--village", "ws.ahy.c3", "--now", SET_UP, ok=1)
    assert "already paired with ws.ahy.c1" in r.stderr
    run("sanzhuanbian", "pair", "--department", "ws.slj", "--village", "ws.ahy.c2", "--now", SET_UP)
    gaps = run("sanzhuanbian", "network", "--now", SET_UP, "--json").data
    # c2-h2 and cb-h1 have no cadre; 米某 lacks the urban household; both departments are paired
    assert [(g["kind"], g["subject"]) for g in gaps] == [
        ("household_without_cadre", "c2-h2"), ("household_without_cadre", "cb-h1"), ("agency_urban", "nyj-02")]
    run("sanzhuanbian", "link", "--cadre", "nyj-02", "--household", "cb-h1", "--kind", "mutual_aid",
        "--now", "2024-09-02T09:00")
    assert [g["subject"] for g in run("sanzhuanbian", "network", "--unit", "ws.ahy", "--now", "2024-09-02T09:00",
                                      "--json").data] == ["c2-h2"]


def test_a_cadre_with_no_household_is_below_the_quota(run):
    # households_min = 1 (L110 1-5户): unlinking 吐某's only household leaves him with 0
    assert run("sanzhuanbian", "unlink", "--household", "c1-h6", "--now", "2024-09-03T09:00",
               "--json").data["cadre"] == "slj-01"
    gaps = run("sanzhuanbian", "network", "--now", "2024-09-03T09:00", "--json").data
    assert ("cadre_below_quota", "slj-01") in [(g["kind"], g["subject"]) for g in gaps]
    run("sanzhuanbian", "link", "--cadre", "slj-01", "--household", "c1-h6", "--now", "2024-09-03T10:00")


def test_the_monthly_visit_day(run):
    # a visit to a household not linked to the cadre is refused
    run("sanzhuanbian", "visit", "--cadre", "slj-01", "--household", "c1-h1", "--now", "2024-09-27T10:00", ok=1)
    run("sanzhuanbian", "visit", "--cadre", "nyj-01", "--household", "c1-h1", "--now", "2024-09-27T10:00")
    # L110 每月至少1天: on 09-30 艾某 (困难户 c1-h1, 上访户 c1-h2) has visited on one day, 米某 (重点人员 c2-h1)
    # not; 吐某's c1-h6 is not flagged, so he owes nothing
    duties = run("duties", "--date", "2024-09-30", "--json", "--now", "2024-10-01T08:00").data
    assert sorted((d["subject"], d["unit"], d["done"]) for d in duties if d["kind"] == "monthly_visit_day") == [
        ("nyj-01 2024-09", "ws.nyj", True), ("nyj-02 2024-09", "ws.nyj", False)]
    # no duty before the month's last day
    assert [d for d in run("duties", "--date", "2024-09-29", "--json").data if d["method"] == "sanzhuanbian"] == []
    # October: 艾某 on Saturday 10-12 (a make-up working day: any day counts), 米某 on 10-31 at 23:30 local
    run("sanzhuanbian", "visit", "--cadre", "nyj-01", "--household", "c1-h2", "--now", "2024-10-12T09:00")
    run("sanzhuanbian", "visit", "--cadre", "nyj-02", "--household", "c2-h1", "--now", "2024-10-31T23:30")
    duties = run("duties", "--date", "2024-10-31", "--unit", "ws.ahy.c2", "--json", "--now", "2024-11-01T08:00").data
    assert [(d["subject"], d["done"]) for d in duties if d["kind"] == "monthly_visit_day"] == [("nyj-02 2024-10", True)]


def test_coverage_and_visit_day_rate(run):
    # a household of 三村 added in November has no cadre; c2-h2's flag set in November keeps it in September
    run("sanzhuanbian", "household", "add", "c3-h1", "--unit", "ws.ahy.c3", "--now", "2024-11-05T09:00")
    run("sanzhuanbian", "household", "add", "c2-h2", "--unit", "ws.ahy.c2", "--flag", "needy", "--now",
        "2024-11-06T09:00")

    def figures(period, unit, now):
        return {m["metric"]: (m["numerator"], m["denominator"]) for m in
                run("appraise", "--period", period, "--unit", unit, "--now", now, "--json").data
                if m["method"] == "sanzhuanbian" and m["subject"] == unit}

    # September at the county: 9 households at 09-30, all but c2-h2 linked; visit days 1 of 2 cadre-months
    sep = figures("2024-09", "ws", "2024-12-01T09:00")
    assert sep["household_coverage"] == (8, 9) and sep["visit_day_rate"] == (1, 2)
    # Q4 up to 11-30 noon: October 2 of 2; November not over yet (its visit day is owed once 11-30 has
    # ended), December not begun; 10 households, 8 linked
    q4 = figures("2024Q4", "ws", "2024-11-30T12:00")
    assert q4["household_coverage"] == (8, 10) and q4["visit_day_rate"] == (2, 2)
    # 阿合雅镇: c1-h1..h6 (linked), c2-h1 (linked), c2-h2 and c3-h1 (not): 7 of 9
    town = figures("2024Q4", "ws.ahy", "2024-11-30T12:00")
    assert town["household_coverage"] == (7, 9)
