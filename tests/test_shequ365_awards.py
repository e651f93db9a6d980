"""shequ365 民情评议 (L381): the year-end rating linked to the social workers' awards.

L381, read exactly: "年底召开社区成员代表大会对社区整体工作和社工表现进行测评，测评结果与社工评优评先挂钩，
作为社区改进工作的重要依据". Encoded: the representatives rate the community and each of its social
workers (`assess --kind annual`); a worker's rating is (满意 + 基本满意) / votes; the rated workers
are ranked (rating, then 满意 / votes, then score); the first `award_places` (default 1) whose
rating reaches `award_min_rating` (default: no floor) are recommended for 评优评先; the
community's own rating is shown as the basis for improving its work.

Hand computation for 和平社区 (nb.c1), year-end 2026, 50 representatives:
  w1 孙丽 40 / 8 / 2  → (40 + 8) / 50 = 0.96, 满意 40/50 = 0.80
  w3 李娜 45 / 3 / 2  → (45 + 3) / 50 = 0.96, 满意 45/50 = 0.90  → ahead of w1 on 满意
  w4 周平 30 / 10 / 10 → (30 + 10) / 50 = 0.80
  w5 吴敏 not rated
  ranks: w3 1, w1 2, w4 3; one place → w3 recommended; the community 35 / 10 / 5 → 45/50 = 0.90.
"""

from __future__ import annotations

import pytest

TOML = """
[deployment]
name = "宁波市"
code = "nb"
methods = ["shequ365"]
{plugin}
[[units]]
code = "nb"
name = "宁波市"
level = "county"
[[units]]
code = "nb.c1"
name = "和平社区"
level = "community"
parent = "nb"
[[units]]
code = "nb.c2"
name = "安宁社区"
level = "community"
parent = "nb"

[[people]]
id = "w1"
name = "孙丽"
unit = "nb.c1"
roles = ["social_worker"]
[[people]]
id = "w3"
name = "李娜"
unit = "nb.c1"
roles = ["social_worker"]
[[people]]
id = "w4"
name = "周平"
unit = "nb.c1"
roles = ["social_worker"]
[[people]]
id = "w5"
name = "吴敏"
unit = "nb.c1"
roles = ["social_worker"]
[[people]]
id = "w2"
name = "高强"
unit = "nb.c2"
roles = ["social_worker"]
[[people]]
id = "boss"
name = "马主任"
unit = "nb.c1"
roles = ["community_leader"]
"""

NOW = "2026-12-28T10:00"


@pytest.fixture
def setup(init_county):
    def make(plugin: str = ""):
        run = init_county(TOML.replace("{plugin}", plugin))
        for who, s, b, u in (("w1", 40, 8, 2), ("w3", 45, 3, 2), ("w4", 30, 10, 10)):
            run("shequ365", "assess", "--community", "nb.c1", "--kind", "annual", "--period", "2026", "--subject", who,
                "--satisfied", str(s), "--basically", str(b), "--unsatisfied", str(u), "--now", NOW)
        run("shequ365", "assess", "--community", "nb.c1", "--kind", "annual", "--period", "2026",
            "--satisfied", "35", "--basically", "10", "--unsatisfied", "5", "--now", NOW)
        return run

    return make


def awards(run, *more):
    (a,) = run("shequ365", "awards", "--year", "2026", "--community", "nb.c1", "--now", NOW, "--json", *more).data
    return a


def test_year_end_rating_ranks_the_workers_and_recommends_the_first(setup):
    run = setup()
    a = awards(run)
    assert (a["places"], a["min_rating"]) == (1, 0.0)
    c = a["community_rating"]
    assert (c["satisfied"], c["basically"], c["unsatisfied"], c["votes"], c["rating"]) == (35, 10, 5, 50, 0.9)
    assert [(w["worker"], w["rank"], w["rating"], w["satisfied_share"], w["status"]) for w in a["workers"]] == [
        ("w3", 1, 0.96, 0.9, "recommended"),
        ("w1", 2, 0.96, 0.8, "not_placed"),
        ("w4", 3, 0.8, 0.6, "not_placed"),
        ("w5", None, None, None, "not_rated")]
    # the same as figures of the year: rank per rated worker, the award for the recommended one
    ms = run("appraise", "--period", "2026", "--now", "2026-12-31T12:00", "--json").data
    got = {(m["metric"], m["subject"]): m for m in ms if m["method"] == "shequ365"}
    assert {s: got[("year_end_rank", s)]["value"] for s in ("w1", "w3", "w4")} == {"w3": 1, "w1": 2, "w4": 3}
    assert ("year_end_rank", "w5") not in got
    award = got[("award_recommended", "w3")]
    assert (award["subject_kind"], award["numerator"], award["denominator"], award["value"]) == ("person", 48, 50, 0.96)
    assert award["label"] == "评优评先推荐（和平社区年底测评第1名，满意率）"
    assert [k for k in got if k[0] == "award_recommended"] == [("award_recommended", "w3")]
    # not in a month's or a quarter's figures: the rating is a year's
    ms = run("appraise", "--period", "2026Q4", "--now", "2026-12-31T12:00", "--json").data
    assert not [m for m in ms if m["metric"] in ("year_end_rank", "award_recommended")]
    # what the operator reads: Chinese, the codes only in --json
    out = run("shequ365", "awards", "--year", "2026", "--community", "nb.c1", "--now", NOW).stdout.splitlines()
    assert out == [
        "和平社区 nb.c1 2026年 年底社区成员代表大会测评",
        "  社区整体工作：满意+基本满意 45/50（90.0%），作为社区改进工作的重要依据",
        "  评优评先：名额 1，评优线 无",
        "  第1名   李娜 w3  满意+基本满意 48/50（96.0%），满意 45  推荐评优评先",
        "  第2名   孙丽 w1  满意+基本满意 48/50（96.0%），满意 40  未进入评优名额",
        "  第3名   周平 w4  满意+基本满意 40/50（80.0%），满意 30  未进入评优名额",
        "  —     吴敏 w5  未测评（不参加评优评先）"]


def test_places_floor_and_ties(setup):
    # two places: w3 and w1
    a = awards(setup('[plugins.shequ365]\naward_places = 2\n'))
    assert [w["worker"] for w in a["workers"] if w["status"] == "recommended"] == ["w3", "w1"]


def test_floor_excludes_a_worker_below_it(setup):
    # floor 0.97: 0.96 < 0.97, nobody is recommended
    a = awards(setup('[plugins.shequ365]\naward_min_rating = 0.97\n'))
    assert [w["status"] for w in a["workers"]] == ["below_floor", "below_floor", "below_floor", "not_rated"]


def test_tied_workers_share_the_place_and_a_rerecorded_rating_replaces_the_first(setup):
    run = setup()
    # w1 re-rated 45 / 3 / 2: the same as w3 (0.96, 满意 0.90): both first, both recommended
    run("shequ365", "assess", "--community", "nb.c1", "--kind", "annual", "--period", "2026", "--subject", "w1",
        "--satisfied", "45", "--basically", "3", "--unsatisfied", "2", "--now", "2026-12-29T10:00")
    a = awards(run)
    assert [(w["worker"], w["rank"], w["status"]) for w in a["workers"]][:3] == [
        ("w1", 1, "recommended"), ("w3", 1, "recommended"), ("w4", 3, "not_placed")]


def test_the_rated_subject_is_a_social_worker_of_the_community(setup):
    run = setup()
    r = run("shequ365", "assess", "--community", "nb.c1", "--kind", "annual", "--period", "2026", "--subject", "boss",
            "--satisfied", "1", ok=2)
    assert "--subject boss: not a social worker of nb.c1" in r.stderr
    r = run("shequ365", "assess", "--community", "nb.c1", "--kind", "annual", "--period", "2026", "--subject", "w2",
            "--satisfied", "1", ok=2)
    assert "not a social worker of nb.c1" in r.stderr
    out = run("shequ365", "assess", "--community", "nb.c2", "--kind", "annual", "--period", "2026", "--subject", "w2",
              "--satisfied", "9", "--basically", "1", "--now", NOW).stdout
    assert out == "年底社区成员代表大会测评 2026：高强 w2，满意+基本满意 10/10\n"
    # a community without a year-end rating of its own
    (b,) = run("shequ365", "awards", "--year", "2026", "--community", "nb.c2", "--json").data
    assert b["community_rating"] is None and [(w["worker"], w["status"]) for w in b["workers"]] == [("w2", "recommended")]
