"""zerentian's June review (L312: 每年6月召开全区党组织服务民生述职测评大会; 承诺、践诺、述职、测评;
民生好不好群众测评，工作实不实百姓评说), its duties, boards and figures, and the responsibility
fields' records (L314), on the sample deployment (plugins/contrib/zerentian/data/lvyuan.toml),
2025. Worked out by hand:

* pledges: 正阳一号责任田 (zy-1) on 01-10, fulfilled 05-20; 开元村 (the unit ly.xx.ky) on 01-12,
  not fulfilled → 践诺率 at 2026-01-02 (both terms over at the 2025 June review, 06-30): 2025:
  1 / 2; 2025H1 and 2025-01 the same (a pledge fulfilled counts as kept whenever fulfilled).
* the review may only be held in June: 05-31 refused (exit 1); held 06-26 10:00; a second one
  refused. Ratings on 06-26: zy-1 40 satisfied, 8 basically, 2 unsatisfied → 48 / 50 = 0.96;
  开元村 30, 10, 10 → 40 / 50 = 0.8; the district 88 / 100 = 0.88.
* duties on 06-30: the district's ``review`` done; ``report`` for zy-1 done (rated), for ky-1
  not done (开元村 was rated as a unit, not its field's branch). On 06-29: none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.zerentian
from framework.testing import CountyRunner
from plugins.contrib.zerentian import rules

TOML = Path(plugins.contrib.zerentian.__file__).parent / "data" / "lvyuan.toml"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The sample deployment from 2025-01-02 and the year's pledges, the review and ratings."""
    run = CountyRunner(tmp_path_factory.mktemp("zerentian_review") / "county.db").init(TOML, now="2025-01-02T08:00")
    run.p1 = run("zerentian", "pledge", "zy-1", "--text", "为辖区独居老人每月上门服务", "--now", "2025-01-10T09:00",
                 "--json").data
    run.p2 = run("zerentian", "pledge", "ly.xx.ky", "--text", "年内硬化村道2公里", "--now", "2025-01-12T09:00",
                 "--json").data
    run("zerentian", "fulfil", run.p1["id"], "--note", "已服务36户次", "--now", "2025-05-20T09:00")
    run.early = run("zerentian", "review", "hold", "--now", "2025-05-31T09:00", ok=1)
    run("zerentian", "review", "hold", "--now", "2025-06-26T10:00")
    run.again = run("zerentian", "review", "hold", "--now", "2025-06-27T10:00", ok=1)
    run("zerentian", "review", "rate", "zy-1", "--satisfied", 40, "--basically", 8, "--unsatisfied", 2,
        "--report", "承诺1项，已践诺", "--now", "2025-06-26T11:00")
    run("zerentian", "review", "rate", "ly.xx.ky", "--satisfied", 30, "--basically", 10, "--unsatisfied", 10,
        "--now", "2025-06-26T11:30")
    return run


def test_review_only_in_june_and_once(county):
    assert county.early.stderr.strip() == "error: the review is held every June (L312: 每年6月), not on 2025-05-31"
    assert county.again.stderr.strip() == "error: the 2025 review was already held"
    r = county("zerentian", "review", "rate", "zy-1", "--satisfied", 1, "--basically", 0, "--unsatisfied", 0,
               "--now", "2025-06-28T09:00", ok=1)
    assert "already rated" in r.stderr
    r = county("zerentian", "fulfil", county.p1["id"], "--now", "2025-06-28T09:00", ok=1)
    assert "was fulfilled at 2025-05-20T09:00:00+08:00" in r.stderr
    assert rules.REVIEW_MONTH == 6


def test_june_duties(county):
    duties = county("duties", "--date", "2025-06-30", "--json").data
    got = sorted((d["unit"], d["kind"], d["subject"], d["done"]) for d in duties if d["method"] == "zerentian")
    assert got == [("ly", "review", "2025", True), ("ly.xx.ky", "report", "ky-1", False),
                   ("ly.zy.zysq", "report", "zy-1", True)]
    assert [d for d in county("duties", "--date", "2025-06-29", "--json").data if d["method"] == "zerentian"] == []
    # the next year's review is due again, and not yet held
    got = [(d["kind"], d["done"]) for d in county("duties", "--date", "2026-06-30", "--json").data
           if d["kind"] == "review"]
    assert got == [("review", False)]


def test_review_figures(county):
    def figures(period, unit="ly"):
        ms = county("appraise", "--period", period, "--unit", unit, "--now", "2026-01-02", "--json").data
        return {(m["metric"], m["subject"]): (m["numerator"], m["denominator"], m["value"]) for m in ms
                if m["method"] == "zerentian"}

    year = figures("2025")
    assert year["pledge_fulfilment_rate", "ly"] == (1, 2, 0.5)
    assert year["review_rating", "ly"] == (88, 100, 0.88)
    assert year["review_rating", "zy-1"] == (48, 50, 0.96)
    assert year["review_rating", "ly.xx.ky"] == (40, 50, 0.8)
    assert figures("2025H1")["pledge_fulfilment_rate", "ly"] == (1, 2, 0.5)
    assert figures("2025-01")["pledge_fulfilment_rate", "ly"] == (1, 2, 0.5)
    assert figures("2025", "ly.xx")["review_rating", "ly.xx"] == (40, 50, 0.8)


def test_review_board(county):
    boards = county("board", "--unit", "ly", "--period", "2025H1", "--json", "--now", "2025-07-01").data
    review = [b for b in boards if b["title"] == "绿园区服务民生述职测评（2025年）"]
    assert len(review) == 1
    assert review[0]["sections"][0]["rows"] == [
        {"org": "正阳一号责任田党支部", "pledges": 1, "fulfilled": 1, "votes": 50, "good": 48, "rate": "96.0%"},
        {"org": "开元村党组织", "pledges": 1, "fulfilled": 0, "votes": 50, "good": 40, "rate": "80.0%"}]
    assert not [b for b in county("board", "--unit", "ly", "--period", "2025-05", "--json", "--now",
                                  "2025-07-01").data if "述职测评" in b["title"]]


def test_fields_and_teams(county):
    county("zerentian", "field", "add", "hx-1", "--name", "和兴村南片责任田", "--unit", "ly.xx.hx",
           "--secretary", "hx-01", "--now", "2025-07-01T09:00")
    county("zerentian", "member", "add", "hx-1", "--name", "老党员庚", "--kind", "veteran_party_member",
           "--now", "2025-07-01T09:10")
    r = county("zerentian", "member", "add", "hx-1", "--name", "老党员庚", "--kind", "veteran_party_member",
               "--now", "2025-07-01T09:20", ok=1)
    assert r.stderr.strip() == "error: field hx-1: 老党员庚 is already on its service team"
    r = county("zerentian", "member", "add", "hx-1", "--name", "某", "--kind", "cadre", "--now", "2025-07-01", ok=2)
    assert r.stderr.strip().startswith("error: kind 'cadre': one of veteran_party_member")
    r = county("zerentian", "field", "add", "xx-9", "--name", "镇责任田", "--unit", "ly.xx", "--now", "2025-07-01", ok=2)
    assert "subdivides a village or community (L314)" in r.stderr
    county("zerentian", "activity", "hx-1", "--kind", "culture_sport", "--title", "广场舞比赛", "--participants", 40,
           "--now", "2025-07-05T19:00")
    listed = county("zerentian", "field", "list", "--unit", "ly.xx", "--now", "2025-07-06", "--json").data
    assert [(f["id"], f["secretary"], len(f["team"])) for f in listed] == [("hx-1", "hx-01", 1), ("ky-1", "ky-f1", 2)]
    assert "field_secretary" in county.ctx("zerentian").person("hx-01").roles
    ms = county("appraise", "--period", "2025-07", "--unit", "ly.xx", "--now", "2025-08-01", "--json").data
    got = {m["metric"]: (m["numerator"], m["denominator"], m["value"]) for m in ms
           if m["method"] == "zerentian" and m["subject"] == "ly.xx" and m["tier"] is None}
    assert got["field_coverage"] == (2, 2, 1.0) and got["fields"][2] == 2 and got["field_activities"][2] == 1


def test_the_casebook_figures(county):
    """Every number L310–316 states, as `county zerentian facts` prints it."""
    f = county("zerentian", "facts", "--json").data
    assert len(f["six_haves"]) == 6 and f["one_review"] == "百姓来评说" and len(f["platform_levels"]) == 6
    assert (f["channels_total"], f["programmes"], f["mechanisms"]) == (12, 15, 8)
    assert f["org_growth"] == {"building_branches": 195, "enterprise_branches": 704, "orgs_before": 585,
                               "orgs_after": 1617, "years": 2}
    assert (f["fields_total"], f["field_villages"]) == (554, 75)
    assert f["field_participants"] == {"veteran_party_member": 3012, "in_service_party_member": 1159,
                                       "volunteer": 820, "helper": 4658}
    assert (f["field_solved_min"], f["field_disputes"], f["field_events"]) == (3800, 416, 235)
    assert f["coverage"] == {"department": 48, "township": 11, "village_community": 75}
    assert (f["platform_reported"], f["platform_handled"], f["platform_rate"]) == (4586, 4369, 0.953)
    assert len(rules.CHANNELS) - 1 == 6      # 4 named channels of L312 + PDA + terminal (L316), then 'other'
