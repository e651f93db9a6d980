"""sanzhuanbian (乌什“三个转变”, casebook L110): 四比一测评 and the village two-committee teams'
satisfaction against the 80 % line, through the CLI on the sample deployment; every figure by hand.

L110: 2012年经测评，群众对“两委”班子满意度达80%以上的46个，占40.71%，同比上升2个百分点 — a team
reaches the line at 80 % or more (以上 read as inclusive, ``team_threshold`` 0.8); the share is
over the villages rated in the period (each village's latest round); 同比 in percentage points.
“四比一测评”: 比感情、比立场、比发展、比贡献, and the one rating of the contact work's 成效 and
满意度; 考核权交给群众和基层党组织 — only those two rate."""

from __future__ import annotations

from pathlib import Path

import pytest

import framework
import plugins.contrib.sanzhuanbian
from framework.testing import CountyRunner
from plugins.contrib.sanzhuanbian import rating

TOML = Path(plugins.contrib.sanzhuanbian.__file__).parent / "data" / "wushi.toml"
M = "sanzhuanbian"


def team(run, unit, now, s, b, u, ok=0):
    return run(M, "team-rate", "--unit", unit, "--satisfied", s, "--basically", b, "--unsatisfied", u,
               "--now", now, "--json", ok=ok).data


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("sanzhuanbian-rating") / "county.db").init(TOML)
    team(run, "ws.ahy.c1", "2023-12-10T10:00", 30, 10, 10)     # 40/50 = 80 %: reached
    team(run, "ws.ahy.c2", "2023-12-10T11:00", 20, 10, 20)     # 30/50 = 60 %
    return run


def figures(run, period, unit, now="2025-01-05T09:00"):
    return {(m["metric"], m["subject"]): m for m in
            run("appraise", "--period", period, "--unit", unit, "--now", now, "--json").data if m["method"] == M}


def test_the_80_percent_line_per_village_team(run):
    assert team(run, "ws.ahy.c1", "2024-12-10T10:00", 40, 8, 2) == {"id": 3, "rate": 0.96, "reached": True}
    # exactly 80 %: 达80%以上 includes the line
    assert team(run, "ws.ahy.c2", "2024-12-10T11:00", 35, 5, 10) == {"id": 4, "rate": 0.8, "reached": True}
    assert team(run, "ws.ahy.c3", "2024-12-10T15:00", 30, 9, 11) == {"id": 5, "rate": 0.78, "reached": False}
    # the day of the rounds: 2 of 3 teams; a year before, the same day: 1 of 2 → +16.67 percentage points
    day = figures(run, "2024-12-10", "ws.ahy")
    share = day[("team_threshold_share", "ws.ahy")]
    assert (share["numerator"], share["denominator"]) == (2, 3)
    assert day[("team_threshold_change", "ws.ahy")]["value"] == 16.67
    # a later round of 三村 in the year: 41 + 5 of 50 = 92 %; the year counts each village's latest round
    team(run, "ws.ahy.c3", "2024-12-20T15:00", 41, 5, 4)
    year = figures(run, "2024", "ws")
    assert [(year[("team_satisfaction", v)]["numerator"], year[("team_satisfaction", v)]["denominator"])
            for v in ("ws.ahy.c1", "ws.ahy.c2", "ws.ahy.c3")] == [(48, 50), (40, 50), (46, 50)]
    share = year[("team_threshold_share", "ws")]
    assert (share["numerator"], share["denominator"], share["value"]) == (3, 3, 1.0)
    assert year[("team_threshold_change", "ws")]["value"] == 50.0      # 3/3 − 1/2
    # no change figure without a year before
    assert ("team_threshold_change", "ws") not in figures(run, "2023", "ws")


@pytest.mark.parametrize("unit, counts, message", [
    ("ws.wsz", (1, 0, 0), "the two-committee (两委) rating is per village or community"),
    ("ws.ahy.c1", (0, 0, 0), "at least one ballot"),
    ("ws.ahy.c1", (-1, 2, 0), "--satisfied -1"),
])
def test_bad_team_rounds(run, unit, counts, message):
    r = run(M, "team-rate", "--unit", unit, "--satisfied", counts[0], "--basically", counts[1],
            "--unsatisfied", counts[2], "--now", "2024-12-11T09:00", ok=2)
    assert message in r.stderr


def test_the_yearly_team_rating_duty(run):
    # on 31 December each village of the network owes its round; 2024: all three rated
    duties = run("duties", "--date", "2024-12-31", "--json").data
    assert sorted((d["unit"], d["done"]) for d in duties if d["kind"] == "team_rating") == [
        ("ws.ahy.c1", True), ("ws.ahy.c2", True), ("ws.ahy.c3", True)]
    duties = run("duties", "--date", "2025-12-31", "--json").data
    assert sorted((d["unit"], d["done"]) for d in duties if d["kind"] == "team_rating") == [
        ("ws.ahy.c1", False), ("ws.ahy.c2", False), ("ws.ahy.c3", False)]
    # 2023: only the villages rated by then are of the network
    duties = run("duties", "--date", "2023-12-31", "--json").data
    assert sorted(d["unit"] for d in duties if d["kind"] == "team_rating") == ["ws.ahy.c1", "ws.ahy.c2"]


def test_four_comparisons_one_rating(run):
    ballots = [("masses", "good", "good", "good", "good", "good", "satisfied"),
               ("masses", "较好", "好", "一般", "差", "一般", "基本满意"),
               ("party_org", "average", "average", "good", "good", "poor", "unsatisfied")]
    for rater, feeling, stance, development, contribution, effect, satisfaction in ballots:
        run(M, "rate", "--cadre", "nyj-01", "--rater", rater, "--unit", "ws.ahy.c1", "--feeling", feeling,
            "--stance", stance, "--development", development, "--contribution", contribution, "--effect", effect,
            "--satisfaction", satisfaction, "--now", "2024-10-10T15:00")
    got = figures(run, "2024-10", "ws.ahy.c1")
    assert got[("cadre_ballots", "nyj-01")]["value"] == 3
    rates = {m: (got[(m, "nyj-01")]["numerator"], got[(m, "nyj-01")]["denominator"]) for m in (
        "cadre_feeling_rate", "cadre_stance_rate", "cadre_development_rate", "cadre_contribution_rate",
        "cadre_effect_rate", "cadre_satisfaction_rate")}
    # 好/较好 are good; 满意 and 基本满意 satisfied
    assert rates == {"cadre_feeling_rate": (2, 3), "cadre_stance_rate": (2, 3), "cadre_development_rate": (2, 3),
                     "cadre_contribution_rate": (2, 3), "cadre_effect_rate": (1, 3),
                     "cadre_satisfaction_rate": (2, 3)}
    assert got[("cadre_effect_rate", "nyj-01")]["subject_kind"] == "person"
    # the department sees its cadre too; another month has no ballots
    assert ("cadre_ballots", "nyj-01") in figures(run, "2024-10", "ws.nyj")
    assert ("cadre_ballots", "nyj-01") not in figures(run, "2024-11", "ws.ahy.c1")


@pytest.mark.parametrize("args, message", [
    (("--rater", "township"), "'township' is not one of"),       # 考核权交给群众和基层党组织
    (("--rater", "masses", "--unit", "ws.ahy"), "a rating is cast in a village or community"),
    (("--rater", "masses", "--feeling", "great"), "--feeling 'great'"),
])
def test_bad_ballots(run, args, message):
    base = {"--cadre": "nyj-01", "--unit": "ws.ahy.c1", "--feeling": "good", "--stance": "good",
            "--development": "good", "--contribution": "good", "--effect": "good", "--satisfaction": "satisfied"}
    base.update(dict(zip(args[::2], args[1::2])))
    r = run(M, "rate", *[a for kv in base.items() for a in kv], "--now", "2024-10-11T09:00", ok=2)
    assert message in r.stderr


def test_basically_satisfied_need_not_count(init_county):
    """``basically_counts = false``: 40 满意 + 8 基本满意 of 50 is 80 % only with 基本满意; without, 40/50
    still reaches the line and 35/50 does not. A community's team is rated like a village's."""
    county = init_county(TOML.read_text(encoding="utf-8").replace("basically_counts = true", "basically_counts = false"))
    assert team(county, "ws.ahy.c1", "2024-12-10T10:00", 40, 8, 2) == {"id": 1, "rate": 0.8, "reached": True}
    assert team(county, "ws.ahy.c2", "2024-12-10T11:00", 35, 5, 10) == {"id": 2, "rate": 0.7, "reached": False}
    # a community's 两委 is rated too (the original says 两委, not 村两委): 45 of 50
    assert team(county, "ws.wsz.cb", "2024-12-10T15:00", 45, 3, 2) == {"id": 3, "rate": 0.9, "reached": True}


def test_pooled_rounds_and_strict_grades(init_county):
    """``team_round = "pooled"``: 一村's rounds 35/50 (70 %) and 42/50 (84 %) pool to 77/100, under the
    line (the latest alone reaches it); ``good_grades = ["good"]``: a 较好 is no longer good."""
    text = TOML.read_text(encoding="utf-8").replace('team_round = "latest"', 'team_round = "pooled"')
    county = init_county(text.replace('good_grades = ["good", "fair"]', 'good_grades = ["good"]'))
    team(county, "ws.ahy.c1", "2024-12-10T10:00", 30, 5, 15)
    team(county, "ws.ahy.c1", "2024-12-20T10:00", 42, 0, 8)
    for effect in ("good", "fair"):
        county(M, "rate", "--cadre", "nyj-01", "--rater", "masses", "--unit", "ws.ahy.c1", "--feeling", "good",
               "--stance", "good", "--development", "good", "--contribution", "good", "--effect", effect,
               "--satisfaction", "satisfied", "--now", "2024-12-20T11:00")
    got = figures(county, "2024", "ws.ahy.c1")
    assert (got[("team_satisfaction", "ws.ahy.c1")]["numerator"], got[("team_satisfaction", "ws.ahy.c1")]["denominator"],
            got[("team_threshold_share", "ws.ahy.c1")]["numerator"]) == (77, 100, 0)
    assert (got[("cadre_effect_rate", "nyj-01")]["numerator"], got[("cadre_effect_rate", "nyj-01")]["denominator"]) \
        == (1, 2)


def test_a_bad_grade_setting_is_one_line(init_county):
    county = init_county(TOML.read_text(encoding="utf-8").replace('good_grades = ["good", "fair"]',
                                                                  'good_grades = ["great"]'))
    county(M, "rate", "--cadre", "nyj-01", "--rater", "masses", "--unit", "ws.ahy.c1", "--feeling", "good",
           "--stance", "good", "--development", "good", "--contribution", "good", "--effect", "good",
           "--satisfaction", "satisfied", "--now", "2024-12-20T11:00")
    r = county("appraise", "--period", "2024", "--unit", "ws", "--now", "2025-01-05", ok=2)
    assert "[plugins.sanzhuanbian] good_grades: 'great' is not a grade" in r.stderr


def test_the_casebook_numbers_are_the_defaults():
    """L110's numbers, as the method declares them (the sample deployment repeats them)."""
    info = plugins.contrib.sanzhuanbian.county_method()
    defaults = info.defaults()
    assert {k: defaults[k] for k in ("households_min", "households_max", "agency_rural", "agency_urban",
                                     "visit_days_per_month", "team_threshold")} == {
        "households_min": 1, "households_max": 5, "agency_rural": 1, "agency_urban": 1,
        "visit_days_per_month": 1, "team_threshold": 0.8}
    assert set(info.roles) >= {"contact_cadre", "agency_party_cadre", "supervisor"}


def test_46_teams_of_113_is_40_71_percent(make_county):
    """L110: 满意度达80%以上的46个，占40.71% — with the share over the teams rated, 46 of the 113
    teams the figure implies (46 / 0.4071 ≈ 113, methods.md §6.23) gives 40.71 %."""
    villages = "".join(f'\n[[units]]\ncode = "ws.ahy.v{i:03d}"\nname = "{i}村"\nlevel = "village"\nparent = "ws.ahy"\n'
                       for i in range(113))
    county = make_county(TOML.read_text(encoding="utf-8") + villages, now="2013-01-05T09:00")
    ctx = county.ctx(M)
    with ctx.acting_at(framework.parse_instant("2012-12-10T10:00", ctx.calendar.tz)):
        for i in range(113):
            rating.record_team_rating(ctx, f"ws.ahy.v{i:03d}", *((40, 1, 9) if i < 46 else (30, 9, 11)))
    share = next(m for m in county.appraise("2012", "ws.ahy") if m.metric == "team_threshold_share")
    assert (share.numerator, share.denominator, round(share.value * 100, 2)) == (46, 113, 40.71)
