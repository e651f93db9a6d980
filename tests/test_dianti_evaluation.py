"""dianti appraisal: quarterly service-effect evaluation and the yearly awards (L83).

Fixture year 2026 at 华丰村 (register of test_dianti_assignment). Each service: quarter of
resolution, group, member, villagers' ratings → score (mean):

====  ==  ==========  ==  ==============  =======
svc   Q   group       by  ratings         score
====  ==  ==========  ==  ==============  =======
s1    1   livestock   m1  5,5,4           14/3
s2    1   livestock   m2  4               4
s3    1   mediation   m5  5               5
s4    2   livestock   m1  3               3
s5    2   mediation   m5  4,4,4           4
s6    2   mediation   m6  (confirm 满意)   5
s7    3   market      m4  5,5,5           5
s8    3   livestock   m2  —               unrated
s11   3   market      m4  5,5,5,5         5
s9    4   mediation   m5  2               2
s10   4   livestock   m1  5               5
====  ==  ==========  ==  ==============  =======

Annual scores (mean of quarterly means, over quarters with a rated service):
livestock (13/3 + 3 + 5)/3 = 37/9, 4 rated; mediation (5 + 9/2 + 2)/3 = 23/6, 4 rated; market
5 but only 2 rated (< 3). m1 (14/3 + 3 + 5)/3 = 38/9 (3 rated); m5 (5 + 4 + 2)/3 = 11/3 (3
rated); m2, m4, m6 < 3 rated. Projects with ≥ 3 ratings: s1 14/3, s5 4, s7 5 (3), s11 5 (4).
"""

from __future__ import annotations

import csv
import io

from plugins.dianti.appraisal import awards, evaluate
from plugins.dianti.service import record_rating, save_member

try:
    from tests.test_dianti_assignment import REGISTER, TOML
except ImportError:  # tests/ not a package on sys.path
    from test_dianti_assignment import REGISTER, TOML

SERVICES = [
    # name, created, resolved, group, member, ratings, satisfaction
    ("s1", "2026-01-05T09:00", "2026-01-08T17:00", "livestock", "m1", [5, 5, 4], None),
    ("s2", "2026-02-02T09:00", "2026-02-03T17:00", "livestock", "m2", [4], None),
    ("s3", "2026-03-02T09:00", "2026-03-04T17:00", "mediation", "m5", [5], None),
    ("s4", "2026-04-06T09:00", "2026-04-08T17:00", "livestock", "m1", [3], None),
    ("s5", "2026-05-04T09:00", "2026-05-06T17:00", "mediation", "m5", [4, 4, 4], None),
    ("s6", "2026-06-01T09:00", "2026-06-03T17:00", "mediation", "m6", [], "satisfied"),
    ("s7", "2026-07-06T09:00", "2026-07-08T17:00", "market", "m4", [5, 5, 5], None),
    ("s8", "2026-08-03T09:00", "2026-08-05T17:00", "livestock", "m2", [], None),
    ("s11", "2026-09-07T09:00", "2026-09-09T17:00", "market", "m4", [5, 5, 5, 5], None),
    ("s9", "2026-10-05T09:00", "2026-10-07T17:00", "mediation", "m5", [2], None),
    ("s10", "2026-11-02T09:00", "2026-11-04T17:00", "livestock", "m1", [5], None),
    # resolved in 2027: never counts for 2026
    ("s12", "2026-12-28T09:00", "2027-01-04T17:00", "livestock", "m1", [1, 1, 1], None),
]


def build(make_county, toml=TOML):
    from framework.timerules import parse_instant

    county = make_county(toml, now="2026-01-01T08:00")
    ctx = county.ctx("dianti")
    with ctx.transaction():
        for row in csv.DictReader(io.StringIO(REGISTER)):
            save_member(ctx, row)
    ids = {}
    for name, created, resolved, group, member, ratings, sat in SERVICES:
        county.clock.fixed = parse_instant(created, county.calendar.tz)
        c = county.add_case("dianti", "sn.th.hf", f"服务{name}", fields={"group": group})
        if c.handler != member:
            county.assign(c.id, handler=member)
        county.clock.fixed = parse_instant(resolved, county.calendar.tz)
        county.resolve(c.id, f"{name}办结")
        for r in ratings:
            record_rating(county.ctx("dianti"), c.id, r)
        if sat:
            county.confirm(c.id, sat)
        ids[name] = c.id
    return county, ids


def by_subject(rows):
    return {r["subject"]: (r["services"], r["rated"], r["score"], r["good"]) for r in rows}


def test_quarterly_scores(make_county):
    from fractions import Fraction as F

    county, ids = build(make_county)
    ctx = county.ctx("dianti")
    q1 = by_subject(evaluate(ctx, "sn.th.hf", "2026Q1"))
    assert q1["sn.th.hf"] == (3, 3, F(41, 9), 3)  # mean(14/3, 4, 5)
    assert q1["sn.th.hf:livestock"] == (2, 2, F(13, 3), 2)
    assert q1["sn.th.hf:mediation"] == (1, 1, F(5), 1)
    assert q1["sn.th.hf:market"] == (0, 0, None, 0)
    assert q1["m1"] == (1, 1, F(14, 3), 1) and q1["m2"] == (1, 1, F(4), 1) and q1["m3"] == (0, 0, None, 0)
    q2 = by_subject(evaluate(ctx, "sn.th.hf", "2026Q2"))
    assert q2["sn.th.hf"] == (3, 3, F(4), 2)  # 3, 4, 5 (s6: 满意 counts as 5)
    assert q2["sn.th.hf:mediation"] == (2, 2, F(9, 2), 2)
    assert q2["m6"] == (1, 1, F(5), 1)
    q3 = by_subject(evaluate(ctx, "sn.th.hf", "2026Q3"))
    assert q3["sn.th.hf"] == (3, 2, F(5), 2)  # s8 done but unrated
    assert q3["m2"] == (1, 0, None, 0)
    q4 = by_subject(evaluate(ctx, "sn.th.hf", "2026Q4"))
    assert q4["sn.th.hf"] == (2, 2, F(7, 2), 1)  # 2 and 5; s12 resolved in 2027
    year = by_subject(evaluate(ctx, "sn.th", "2026"))
    assert year["m1"][:2] == (3, 3) and year["sn.th.hf"][:2] == (11, 10)
    assert year["sn.th.dgx"] == (0, 0, None, 0)


def test_appraise_metrics_through_the_kernel(county_cli, make_county):
    build(make_county)
    ms = county_cli("appraise", "--period", "2026Q1", "--unit", "sn.th.hf", "--json").data
    mine = {(m["metric"], m["subject"]): m for m in ms if m["method"] == "dianti" and m["metric"] in
            ("services_done", "rated_services", "service_score", "good_rate")}
    assert mine[("service_score", "sn.th.hf")]["value"] == 41 / 9
    assert mine[("service_score", "sn.th.hf:livestock")]["value"] == 13 / 3
    assert mine[("service_score", "sn.th.hf:market")]["value"] is None
    assert mine[("services_done", "m1")]["value"] == 1 and mine[("services_done", "m1")]["subject_kind"] == "person"
    gr = mine[("good_rate", "sn.th.hf")]
    assert (gr["numerator"], gr["denominator"], gr["value"]) == (3, 3, 1.0)
    q4 = county_cli("appraise", "--period", "2026Q4", "--unit", "sn.th.hf", "--json").data
    gr = next(m for m in q4 if m["metric"] == "good_rate" and m["subject"] == "sn.th.hf")
    assert (gr["numerator"], gr["denominator"], gr["value"]) == (1, 2, 0.5)
    # the year's appraisal carries the awards
    yr = county_cli("appraise", "--period", "2026", "--json").data
    got = {m["metric"]: (m["subject"], m["subject_kind"], m["value"]) for m in yr if m["metric"].startswith("award_")}
    assert got == {"award_best_group": ("sn.th.hf:livestock", "group", 37 / 9),
                   "award_service_star": ("m1", "person", 38 / 9),
                   "award_best_project": ("sn-000009", "case", 5.0)}


def test_award_winners_for_the_fixture_year(county_cli, make_county):
    county, ids = build(make_county)
    data = county_cli("dianti", "awards", "--year", "2026", "--json").data
    hf = {a["award"]: a for a in data if a["village"] == "sn.th.hf"}
    assert (hf["best_group"]["subject"], hf["best_group"]["name"], hf["best_group"]["score"],
            hf["best_group"]["candidates"]) == ("sn.th.hf:livestock", "畜牧技术服务小组", 37 / 9, 2)
    assert (hf["service_star"]["subject"], hf["service_star"]["name"], hf["service_star"]["score"],
            hf["service_star"]["candidates"]) == ("m1", "牟仕林", 38 / 9, 2)
    # s7 and s11 both score 5: s11 has more ratings (4 > 3)
    assert (hf["best_project"]["subject"], hf["best_project"]["score"], hf["best_project"]["rated"],
            hf["best_project"]["candidates"]) == (ids["s11"], 5.0, 4, 4)
    dgx = {a["award"]: a["subject"] for a in data if a["village"] == "sn.th.dgx"}
    assert dgx == {"best_group": None, "service_star": None, "best_project": None}  # 空缺
    text = county_cli("dianti", "awards", "--year", "2026", "--unit", "sn.th.hf").stdout
    assert "华丰村 优质服务小组: 畜牧技术服务小组（sn.th.hf:livestock），4.11 分" in text
    assert "华丰村 服务明星: 牟仕林（m1），4.22 分" in text


def test_award_tie_breaks_and_minimums(make_county):
    """Lower minimums to 1: market (annual 5, 2 rated) now beats livestock; m4 (5, 2 services)
    ties m6 (5, 1 service) and wins on services done; s7/s11 tie on score, s11 has more ratings.
    Then the remaining tie-breaks: services done, register order, earlier resolution."""
    toml = TOML + "\n[plugins.dianti]\naward_min_group_services = 1\naward_min_star_services = 1\naward_min_project_ratings = 1\n"
    county, ids = build(make_county, toml)
    got = {a["award"]: (a["subject"], a["score"]) for a in awards(county.ctx("dianti"), "sn.th.hf", 2026)}
    assert got["best_group"] == ("sn.th.hf:market", 5)
    assert got["service_star"] == ("m4", 5)
    assert got["best_project"] == (ids["s11"], 5)
    # all ratings withdrawn; then s2 (m2) and s7 (m4) rated 5; s6 keeps its 满意 (= 5).
    with county.store.transaction():
        county.store.db.execute("delete from dianti_ratings")
    record_rating(county.ctx("dianti"), ids["s2"], 5)
    record_rating(county.ctx("dianti"), ids["s7"], 5)
    got = {a["award"]: (a["subject"], a["score"], a["candidates"])
           for a in awards(county.ctx("dianti"), "sn.th.hf", 2026)}
    # groups all at 5: livestock (5 services done) > mediation (3) > market (2)
    assert got["best_group"] == ("sn.th.hf:livestock", 5, 3)
    # m2 and m4 both 5 with 2 services done (m6: 5 but 1 done): register order → m2
    assert got["service_star"] == ("m2", 5, 3)
    # s2, s6, s7 all 5 with 1 rating: resolved earliest → s2 (2026-02-03)
    assert got["best_project"] == (ids["s2"], 5, 3)


def test_rating_rules(county_cli, init_county, tmp_path):
    try:
        from tests.test_dianti_assignment import add, setup_county
    except ImportError:
        from test_dianti_assignment import add, setup_county
    setup_county(init_county, tmp_path)
    a = add(county_cli, "生猪防疫")
    r = county_cli("dianti", "rate", a["id"], "--score", "5", ok=1)  # not resolved yet
    assert "only a resolved service can be rated" in r.stderr
    county_cli("case", "resolve", a["id"], "--note", "已防疫")
    for bad in ("0", "6"):
        assert "1 to 5" in county_cli("dianti", "rate", a["id"], "--score", bad, ok=2).stderr
    assert county_cli("dianti", "rate", a["id"], "--score", "3", "--json").data["ratings"] == 1
    events = county_cli("case", "show", a["id"], "--json").data["events"]
    assert (events[-1]["type"], events[-1]["note"]) == ("rated", "群众评价 3 分")


def test_rating_before_the_resolution_is_refused(county_cli, init_county, tmp_path):
    """Regression: `county dianti rate ID --now <before the resolution>` was accepted."""
    try:
        from tests.test_dianti_assignment import add, setup_county
    except ImportError:
        from test_dianti_assignment import add, setup_county
    setup_county(init_county, tmp_path)
    a = add(county_cli, "生猪防疫", now="2026-03-02T10:00")
    county_cli("case", "resolve", a["id"], "--note", "已防疫", "--now", "2026-03-05T10:00")
    r = county_cli("dianti", "rate", a["id"], "--score", "5", "--now", "2026-03-04T10:00", ok=1)
    assert r.stderr == (f"error: case {a['id']} was resolved at 2026-03-05T10:00:00+08:00; only a resolved service "
                        f"can be rated, so not at 2026-03-04T10:00:00+08:00 (check --now)\n")
    r = county_cli("dianti", "rate", a["id"], "--score", "5", "--now", "2026-03-01T10:00", ok=1)
    assert r.stderr == (f"error: case {a['id']} was taken in at 2026-03-02T10:00:00+08:00; "
                        f"cannot rate it at 2026-03-01T10:00:00+08:00 (check --now)\n")
    assert "rated" not in [e["type"] for e in county_cli("case", "show", a["id"], "--json").data["events"]]
    # at the resolution instant it counts
    assert county_cli("dianti", "rate", a["id"], "--score", "5", "--now", "2026-03-05T10:00", "--json").data == {
        "id": a["id"], "score": 5, "ratings": 1, "mean": 5.0}
