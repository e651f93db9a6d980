"""liuyao (Nanping 六要): a month and a half of one village's work through the CLI — decision
routing (L191), the decision path and the vote, the disclosure catalogue with its forms and
cadences (L187), supervision results and replies (L193), the three rating rounds (L195) —
then its board, duties and appraisal, each value computed by hand.

The deployment is plugins/contrib/liuyao/data/nanping.toml (坑布村 yp.xq.kb: secretary kb-sj,
village head kb-zr, supervisory committee member kb-jd; rep_meeting_kind = household;
finance monthly, cadre_allowance / min_living / family_planning quarterly; anytime_days 5,
periodic_grace_days 10). November–December 2026 has no statutory holiday.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import plugins.contrib.liuyao
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.liuyao.__file__).parent / "data" / "nanping.toml"
KB = "yp.xq.kb"


def metric(data, name, subject, tier=None):
    rows = data["metrics"] if isinstance(data, dict) else data
    found = [m for m in rows if m["metric"] == name and m["subject"] == subject and m.get("tier") == tier]
    assert len(found) == 1, (name, subject, tier, found)
    return found[0]


@pytest.fixture(scope="module")
def v(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("liuyao_work") / "county.db").init(TOML)
    out = {"run": run, "errors": {}}

    def add(title, at, *extra, unit=KB, ok=0):
        r = run("case", "add", "--method", "liuyao", "--unit", unit, "--title", title, "--now", at, *extra,
                "--json", ok=ok)
        return r.data if ok == 0 else r

    def err(name, *args, ok):
        out["errors"][name] = run(*args, ok=ok).stderr.strip()

    m = out["m"] = {
        "road": add("村道修建", "2026-11-02T09:00", "--channel", "party_proposal", "--set", "kind=matter"),
        "awards": add("2026年度评先评优名单", "2026-11-03T09:00", "--set", "kind=matter"),
        "election": add("村委会换届选举", "2026-11-04T09:00", "--set", "kind=matter"),
        "unfiled": add("村里的一件事", "2026-11-05T09:00", "--set", "kind=matter"),
        "building": add("村部旧楼处置", "2026-11-05T10:00", "--category", "集体财产处置", "--set", "kind=matter"),
    }
    out["errors"]["township"] = add("镇里的事", "2026-11-05T11:00", "--set", "kind=matter", unit="yp.xq", ok=2).stderr
    out["errors"]["kind"] = add("x", "2026-11-05T11:00", "--set", "kind=petition", ok=2).stderr
    out["errors"]["system"] = add("x", "2026-11-05T11:00", "--set", "decision_body=two_committees", ok=2).stderr
    out["errors"]["reporter"] = add("x", "2026-11-05T11:00", "--set", "kind=matter", "--set", "reporter=villager",
                                    ok=2).stderr
    out["errors"]["item"] = add("x", "2026-11-05T11:00", "--set", "item=finance", ok=2).stderr
    road, awards, election = m["road"]["id"], m["awards"]["id"], m["election"]["id"]
    err("early_decide", "liuyao", "decide", road, "--now", "2026-11-06T09:00", ok=1)
    err("order", "liuyao", "procedure", road, "--step", "discussed", "--now", "2026-11-06T09:00", ok=1)
    for day, step in ((6, "proposed"), (7, "discussed"), (8, "reviewed")):
        run("liuyao", "procedure", road, "--step", step, "--now", f"2026-11-0{day}T15:00")
    err("lower_body", "liuyao", "decide", road, "--body", "two_committees", "--now", "2026-11-09T19:00", ok=1)
    out["road_decided"] = run("liuyao", "decide", road, "--for", 30, "--against", 10, "--abstain", 5,
                              "--now", "2026-11-09T19:30", "--json").data
    err("again", "liuyao", "decide", road, "--now", "2026-11-10T09:00", ok=1)
    err("undecided_disclosure", "liuyao", "disclose", "--unit", KB, "--item", "major_matter", "--case",
        m["unfiled"]["id"], "--form", "board", "--now", "2026-11-10T09:00", ok=1)
    out["d1"] = run("liuyao", "disclose", "--unit", KB, "--item", "public_projects", "--case", road, "--form", "board",
                    "--now", "2026-11-10T10:00", "--json").data
    out["d2"] = run("liuyao", "disclose", "--unit", KB, "--item", "public_projects", "--case", road,
                    "--form", "household_rep", "--now", "2026-11-13T10:00", "--json").data
    run("liuyao", "decide", awards, "--now", "2026-11-16T15:00")
    run("liuyao", "disclose", "--unit", KB, "--item", "awards", "--case", awards, "--form", "board",
        "--now", "2026-11-17T10:00")
    for day, step in ((17, "proposed"), (18, "discussed"), (19, "reviewed")):
        run("liuyao", "procedure", election, "--step", step, "--now", f"2026-11-{day}T15:00")
    err("no_vote", "liuyao", "decide", election, "--now", "2026-11-23T09:00", ok=2)
    out["election_decided"] = run("liuyao", "decide", election, "--for", 300, "--against", 200, "--abstain", 100,
                                  "--now", "2026-11-23T09:00", "--json").data
    err("no_body", "liuyao", "decide", m["unfiled"]["id"], "--now", "2026-11-23T10:00", ok=2)
    err("not_begun", "liuyao", "disclose", "--unit", KB, "--item", "finance", "--period", "2026-12",
        "--form", "board", "--form", "household_rep", "--now", "2026-11-20T09:00", ok=1)
    err("quarter_for_month", "liuyao", "disclose", "--unit", KB, "--item", "finance", "--period", "2026Q4",
        "--form", "board", "--now", "2026-11-20T09:00", ok=2)
    run("liuyao", "supervise", road, "--result", "路基压实度经监督合格", "--now", "2026-11-20T16:00")
    out["r1"] = add("村集体鱼塘承包费去向", "2026-11-20T10:00", "--channel", "supervisory_committee",
                    "--requester-name", "村民甲", "--requester-phone", "13905990123")
    out["r2"] = add("低保评定名单有疑问", "2026-11-30T09:00", "--channel", "higher_department",
                    "--set", "reporter=party_member", unit="yp.mzj")
    run("case", "resolve", road, "--note", "村道建成通车", "--now", "2026-11-25T10:00")
    err("open_matter_rating", "liuyao", "rate", "--kind", "matter", "--case", awards, "--satisfied", 10,
        "--now", "2026-11-28T19:00", ok=1)
    out["rating"] = run("liuyao", "rate", "--kind", "matter", "--case", road, "--satisfied", 40, "--basically", 6,
                        "--unsatisfied", 4, "--now", "2026-11-28T19:30", "--json").data
    err("rated_twice", "liuyao", "rate", "--kind", "matter", "--case", road, "--satisfied", 1,
        "--now", "2026-11-28T19:31", ok=1)
    out["h1_sj"] = run("liuyao", "rate", "--kind", "half_year", "--subject", "kb-sj", "--period", "2026H1",
                       "--satisfied", 20, "--basically", 10, "--unsatisfied", 20, "--now", "2026-11-28T19:40",
                       "--json").data
    out["h1_zr"] = run("liuyao", "rate", "--kind", "half_year", "--subject", "kb-zr", "--period", "2026H1",
                       "--satisfied", 20, "--basically", 9, "--unsatisfied", 21, "--now", "2026-11-28T19:45",
                       "--json").data
    err("h2", "liuyao", "rate", "--kind", "half_year", "--subject", "kb-sj", "--period", "2026H2",
        "--satisfied", 1, "--now", "2026-11-28T19:50", ok=2)
    err("annual_early", "liuyao", "rate", "--kind", "annual", "--subject", KB, "--period", "2026",
        "--satisfied", 1, "--now", "2026-11-28T19:50", ok=1)
    out["finance"] = run("liuyao", "disclose", "--unit", KB, "--item", "finance", "--period", "2026-11",
                         "--form", "board", "--form", "discussion_point", "--now", "2026-12-01T10:00", "--json").data
    out["r1_reply"] = run("liuyao", "reply", out["r1"]["id"], "--text", "承包费已入村集体账户，账目已公开",
                          "--now", "2026-12-11T17:00", "--json").data
    out["annual"] = run("liuyao", "rate", "--kind", "annual", "--subject", KB, "--period", "2026", "--satisfied", 30,
                        "--basically", 10, "--unsatisfied", 15, "--now", "2026-12-28T19:30", "--json").data
    return out


def test_routing_by_matter_type(v):
    """S-04 and L191: the category (code or label) or a word of the title gives the body."""
    got = {k: (c["category"], c["extra"].get("decision_body"), c["extra"].get("vote_required"),
               c["extra"].get("routed_by"), c["extra"].get("item")) for k, c in v["m"].items()}
    assert got == {
        "road": ("infrastructure", "rep_meeting", False, "keyword:村道", "public_projects"),
        "awards": ("awards", "two_committees", False, "keyword:评先", "awards"),
        "election": ("committee_election", "villager_assembly", True, "keyword:换届", "major_matter"),
        "unfiled": (None, None, False, "none", "major_matter"),
        "building": ("collective_property", "rep_meeting", False, "category", "collective_assets"),
    }
    road = v["m"]["road"]
    assert (road["handler"], road["extra"]["supervisor"], road["extra"]["meeting_kind"], road["due_at"]) == (
        "kb-sj", "kb-jd", "household", None)
    r = v["run"]("liuyao", "route", "村民小组土地征用补偿分配", "--json").data
    assert (r["category"], r["body"], r["vote_required"]) == ("vital_interest", "villager_assembly", True)


def test_intake_errors_name_what_is_wrong(v):
    e = v["errors"]
    assert "--unit yp.xq: a liuyao matter is a village's" in e["township"]
    assert "--set kind='petition'" in e["kind"]
    assert "--set decision_body: not a field of liuyao" in e["system"]
    assert "--set reporter: only a report" in e["reporter"]
    assert "--set item: only a matter" in e["item"]


def test_the_decision_path_and_the_vote(v):
    e = v["errors"]
    assert "before the decision record 村党组织集体研究提议、村“两委”会讨论商议、党员大会讨论审议" in e["early_decide"]
    assert "村“两委”会讨论商议 comes after 村党组织集体研究提议" in e["order"]
    assert "基础设施建设 is decided by 村民代表会议" in e["lower_body"]
    assert "already decided on 2026-11-09" in e["again"]
    assert "formal vote" in e["no_vote"]
    assert "--body:" in e["no_body"]
    road = v["road_decided"]
    assert (road["status"], road["extra"]["decided_body"], road["extra"]["decided_outcome"],
            road["extra"]["decided_at"]) == ("in_progress", "rep_meeting", "adopted", "2026-11-09T19:30:00+08:00")
    # 300 of 600 votes is not more than half (到会人员的过半数): rejected
    assert v["election_decided"]["extra"]["decided_outcome"] == "rejected"


def test_disclosure_needs_two_forms(v):
    """S-04: an item posted through one form only does not count; a second form completes it."""
    assert (v["d1"]["forms"], v["d1"]["complete"], v["d1"]["due_on"]) == (["board"], False, "2026-11-14")
    assert (v["d2"]["forms"], v["d2"]["complete"], v["d2"]["on_time"], v["d2"]["complete_at"]) == (
        ["board", "household_rep"], True, True, "2026-11-13T10:00:00+08:00")
    f = v["finance"]
    assert (f["key"], f["cadence"], f["due_on"], f["complete"], f["on_time"]) == (
        "2026-11", "monthly", "2026-12-10", True, True)
    e = v["errors"]
    assert "not decided yet" in e["undecided_disclosure"]
    assert "--period 2026-12: not begun on 2026-11-20" in e["not_begun"]
    assert "give a month like 2026-11" in e["quarter_for_month"]


def test_ratings_and_grades(v):
    assert (v["rating"]["votes"], v["rating"]["share"], v["rating"]["grade"]) == (50, 0.92, "reward")
    assert (v["h1_sj"]["share"], v["h1_sj"]["grade"]) == (0.6, "pass")      # 30/50: not below 0.6
    assert (v["h1_zr"]["share"], v["h1_zr"]["grade"]) == (0.58, "adjust")   # 29/50
    assert (v["annual"]["share"], v["annual"]["grade"]) == (40 / 55, "pass")
    e = v["errors"]
    assert "once implemented" in e["open_matter_rating"]
    assert "already recorded" in e["rated_twice"]
    assert "2026H1" in e["h2"]
    assert "held from 2026-12-01 on" in e["annual_early"]


def test_replies_by_the_receiving_body(v):
    r1, r2 = v["r1"], v["r2"]
    # Friday 11-20: 11-23..27, 11-30..12-04, 12-07..11 → the 15th working day is 12-11
    assert (r1["handler"], r1["due_at"]) == ("kb-jd", "2026-12-11T23:59:59+08:00")
    # a party member's report to the district civil-affairs bureau: its one staff member
    assert (r2["handler"], r2["due_at"], r2["extra"]["reporter"]) == ("mzj-01", "2026-12-21T23:59:59+08:00",
                                                                      "party_member")
    assert v["r1_reply"]["reply"] == {"due_at": "2026-12-11T23:59:59+08:00", "state": "met"}


@pytest.mark.parametrize("day,expected", [
    ("2026-11-14", [("disclose", "public_projects", True)]),
    ("2026-11-21", [("disclose", "awards", False)]),
    ("2026-11-28", [("disclose", "major_matter", False)]),        # the election, decided 11-23
    ("2026-12-10", [("disclose", "finance", True)]),
    ("2026-12-25", [("matter_rating", None, True)]),             # resolved 11-25 + 30 days
    ("2027-01-10", [("disclose", "cadre_allowance", False), ("disclose", "family_planning", False),
                    ("disclose", "finance", False), ("disclose", "min_living", False)]),
    ("2027-01-15", [("annual_rating", None, True)]),
    ("2026-11-13", []),
])
def test_duties(v, day, expected):
    rows = v["run"]("duties", "--date", day, "--unit", KB, "--now", "2027-01-20T09:00", "--json").data
    rows = [r for r in rows if r["method"] == "liuyao"]
    items = {"公开公益性项目及工程招投标": "public_projects", "公开评先评优": "awards", "公开其他重大事项": "major_matter",
             "公开村财收支": "finance", "公开村干补贴": "cadre_allowance", "公开计划生育": "family_planning",
             "公开农村低保": "min_living"}
    got = [(r["kind"], next((c for t, c in items.items() if r["title"].startswith(t)), None), r["done"]) for r in rows]
    assert got == expected


def test_appraisal_2026(v):
    data = v["run"]("appraise", "--period", "2026", "--unit", KB, "--now", "2027-01-20T09:00", "--json").data
    pairs = {name: (metric(data, name, KB)["numerator"], metric(data, name, KB)["denominator"])
             for name in ("reply_on_time_rate", "disclosure_rate", "matter_rating_rate", "matter_rated_share")}
    # replies: r1 on time (r2 went to the district bureau, outside the village); disclosures due
    # in 2026: the road (done), the awards (one form), the election (none), November's finance (done)
    assert pairs == {"reply_on_time_rate": (1, 1), "disclosure_rate": (2, 4), "matter_rating_rate": (46, 50),
                     "matter_rated_share": (1, 1)}
    whole = v["run"]("appraise", "--period", "2026", "--unit", "yp", "--now", "2027-01-20T09:00", "--json").data
    # the district: r2 unanswered past 12-21 as well; 西芹村 never used the method, so owes nothing
    assert [(metric(whole, n, "yp")["numerator"], metric(whole, n, "yp")["denominator"])
            for n in ("reply_on_time_rate", "disclosure_rate")] == [(1, 2), (2, 4)]
    assert [metric(data, "matters_decided", KB, b)["value"] for b in ("two_committees", "rep_meeting",
                                                                       "villager_assembly")] == [1, 1, 1]
    sj = metric(data, "half_year_rating_rate", "kb-sj", "pass")
    zr = metric(data, "half_year_rating_rate", "kb-zr", "adjust")
    an = metric(data, "annual_rating_rate", KB, "pass")
    assert [(x["numerator"], x["denominator"], x["subject_kind"]) for x in (sj, zr, an)] == [
        (30, 50, "person"), (29, 50, "person"), (40, 55, "unit")]


def test_appraisal_half_year_and_quarter(v):
    h1 = v["run"]("appraise", "--period", "2026H1", "--unit", KB, "--now", "2027-01-20T09:00", "--json").data
    assert metric(h1, "half_year_rating_rate", "kb-sj", "pass")["value"] == 0.6
    assert not [m for m in (h1["metrics"] if isinstance(h1, dict) else h1) if m["metric"] == "annual_rating_rate"]
    q = v["run"]("appraise", "--period", "2027Q1", "--unit", KB, "--now", "2027-01-20T09:00", "--json").data
    d = metric(q, "disclosure_rate", KB)  # December's finance and Q4's three quarterly items, due 01-10
    assert (d["numerator"], d["denominator"]) == (0, 4)


def test_board_of_november(v):
    out = v["run"]("board", "--unit", KB, "--period", "2026-11", "--format", "json", "--now", "2026-12-01T09:00").stdout
    boards = json.loads(out)
    boards = boards["boards"] if isinstance(boards, dict) else boards
    assert [b["title"] for b in boards] == ["坑布村党务村务公开栏（2026-11）"]
    sec = {s["title"].split("（")[0]: s["rows"] for s in boards[0]["sections"]}
    m = v["m"]
    assert [(r["case_id"], r["route"], r["decision"]) for r in sec["重大事项决策"]] == [
        (m["road"]["id"], "村民代表会议", "2026-11-09 村民代表会议（户代表会议） 赞成30/反对10/弃权5，通过"),
        (m["awards"]["id"], "村“两委”讨论决策", "2026-11-16 村“两委”讨论决策，通过"),
        (m["election"]["id"], "村民会议讨论决策", "2026-11-23 村民会议讨论决策 赞成300/反对200/弃权100，未通过"),
        (m["unfiled"]["id"], "由村“两委”确定", "待决策"),
        (m["building"]["id"], "村民代表会议", "待决策"),
    ]
    assert [(r["item"], r["key"], r["forms"], r["state"]) for r in sec["党务村务公开目录"]] == [
        ("公益性项目及工程招投标", m["road"]["id"], "公开栏、户代表", "已公开"),
        ("评先评优", m["awards"]["id"], "公开栏", "形式不足（1种，应2种以上）"),
        ("其他重大事项（经村“两委”确定后公开）", m["election"]["id"], "—", "未公开"),
    ]
    assert [(r["by"], r["result"]) for r in sec["监督结果公布"]] == [("范某", "路基压实度经监督合格")]
    assert [(r["kind"], r["votes"], r["share"], r["grade"]) for r in sec["测评考评结果"]] == [
        ("一事一测评", "40/6/4", "92.0%", "优秀（奖励）"),
        ("半年初评 2026H1", "20/10/20", "60.0%", "称职"),
        ("半年初评 2026H1", "20/9/21", "58.0%", "不满意（扣减报酬、调整职务）"),
    ]
    assert [r["case_id"] for r in sec["党员群众反映问题答复"]] == [v["r1"]["id"]]
    assert "村民甲" not in out and "13905990123" not in out


def test_a_bad_catalogue_setting_is_named(init_county):
    bad = TOML.read_text(encoding="utf-8").replace('finance = "monthly"', 'finance = "weekly"')
    run = init_county(bad)
    r = run("liuyao", "catalogue", ok=2)
    assert r.stderr.strip() == ("error: [plugins.liuyao] catalogue.finance: 'weekly' is not a cadence "
                                "(anytime, monthly, quarterly)")


def test_route_and_catalogue_in_chinese(v):
    assert v["run"]("liuyao", "route", "评先评优名单").stdout.strip() == "评先评优名单：评先评优 → 村“两委”讨论决策"
    out = v["run"]("liuyao", "catalogue").stdout.splitlines()
    assert out[0] == "每件事务以2种以上形式公开：公开栏、议事点、联户代表、户代表、信息栏"
    assert [line.split()[-1] for line in out[1:4]] == ["随时公开", "每月公开", "季度公开"]
