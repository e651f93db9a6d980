"""wuzifa's own records through the CLI on the sample deployment: the work group (L49), the
households as sign-off parties with key persons and followers (L57), the five characters in order
(L53) then 粘盯靠 (L57), the close gate, payments, the settlement's rent (L53), the figures (L61),
the duties and the board. Every value below is worked out by hand from the casebook's rules and
the default settings (plugins/contrib/wuzifa/README.md).

Timeline (2024): dispute jc-000001 taken in Tue 10-08 09:00 at 中会村; work group 白某 (乡) and
高某 (县) on 10-08, 马某 (市) on 10-09; households h1 组长户 (key, rank 1, 竜山组, 10 mu tapped + 4
untapped), h2 随组长 (5 + 5), h3 钉子户 (20 tapped); 笑问听析讲 with all three on 10-09..10-13 at
10:00; 粘 and 盯 on h1 10-13 15:00; 靠 on h3 through the classmate 林某 10-14 20:00; h1 signs 10-14
10:00, h2 10-14 15:00, h3 11-02 10:00; h1 paid 10-20; resolved 11-03.
"""

from pathlib import Path

import pytest

from plugins.contrib.wuzifa import rules

TOML = Path(__file__).resolve().parents[1] / "plugins" / "contrib" / "wuzifa" / "data" / "jiahe.toml"
D = "jc-000001"


@pytest.fixture(scope="module")
def county(county_module):
    run = county_module(TOML)
    run("case", "add", "--method", "wuzifa", "--unit", "jc.jh.zh", "--title", "土地租赁纠纷：还我土地",
        "--category", "collective_dispute", "--channel", "work_group", "--requester-name", "罗大山",
        "--requester-phone", "13812345678", "--now", "2024-10-08T09:00")
    run("wuzifa", "team", "add", D, "--person", "jh-bai", "--from", "township", "--now", "2024-10-08T10:00")
    run("wuzifa", "team", "add", D, "--person", "jc-gao", "--from", "county", "--now", "2024-10-08T10:00")
    run("wuzifa", "household", "add", D, "--id", "h1", "--name", "罗组长户", "--unit", "jc.jh.zh.ls",
        "--group", "竜山组", "--key", "--rank", "1", "--tapped", "10", "--untapped", "4", "--now", "2024-10-08T11:00")
    run("wuzifa", "household", "add", D, "--id", "h2", "--name", "罗二户", "--unit", "jc.jh.zh.ls", "--group", "竜山组",
        "--follows", "h1", "--tapped", "5", "--untapped", "5", "--now", "2024-10-08T11:00")
    run("wuzifa", "household", "add", D, "--id", "h3", "--name", "大牯牛户", "--difficulty", "holdout",
        "--tapped", "20", "--now", "2024-10-08T11:00")
    return run


def step(run, hid, technique, when, *more, ok=True):
    return run("wuzifa", "step", D, "--household", hid, "--technique", technique, "--when", when,
               "--now", when, *more, ok=ok)  # recorded when done: events stay in time order (issue 14)


def test_declaration_carries_the_casebooks_numbers():
    d = {s.name: s.default for s in rules.SETTINGS}
    assert (d["lease_years"], d["rent_untapped"], d["rent_tapped"], d["dividend_share"]) == (50, 30, 50, 0.05)  # L53
    assert rules.LEASE_YEARS_BEFORE == 80  # L53: 从80年改为50年
    assert rules.OUTCOME == {"area_mu": 7762.36, "contracts": 213, "signing_rate": 1.0, "payment_rate": 1.0}  # L61
    assert rules.FIVE == ("smile", "ask", "listen", "analyse", "explain")  # L53 笑问听析讲
    assert [rules.TECHNIQUE_ZH[t] for t in rules.ESCALATED] == ["粘", "盯", "靠"]  # L57
    assert [rules.RELATION_ZH[k] for k in rules.RELATIONS] == ["亲戚", "朋友", "同学", "同事"]  # L57
    assert d["work_group_levels"] == ["city", "county", "township"]  # L49 市、县、乡


def test_rent_of_the_settlement(county):
    r = county("wuzifa", "rent", "--tapped", "10", "--untapped", "4", "--now", "2024-10-08T12:00", "--json").data
    assert (r["rent"], r["lease_years"], r["dividend_share"], r["dividend_area"]) == (620, 50, 0.05, 10)


def test_work_group_duty_needs_city_county_and_township(county):
    duties = county("duties", "--date", "2024-10-08", "--now", "2024-10-09T09:00", "--json").data
    assert [(d["kind"], d["subject"], d["done"]) for d in duties if d["method"] == "wuzifa"] == [
        ("work_group", D, False)]
    out = county("wuzifa", "team", "add", D, "--person", "pe-ma", "--from", "city", "--now", "2024-10-09T09:00",
                 "--json").data
    assert out["missing_levels"] == []
    assert [d for d in county("duties", "--date", "2024-10-09", "--now", "2024-10-09T10:00", "--json").data
            if d["method"] == "wuzifa"] == []
    bad = county("wuzifa", "team", "add", D, "--person", "zh-luo", "--from", "province", "--now", "2024-10-09T10:00",
                 ok=2)
    assert "drawn_from 'province'" in bad.stderr


def test_five_characters_in_order_then_the_escalated_ones(county):
    r = step(county, "h2", "listen", "2024-10-09T10:00", ok=1)
    assert "“听” before “笑”" in r.stderr and "(L53)" in r.stderr
    step(county, "h1", "smile", "2024-10-09T10:00")
    r = step(county, "h1", "stick", "2024-10-09T11:00", ok=1)
    assert "work “问” first (L57)" in r.stderr
    for day, t in zip(range(9, 14), rules.FIVE):
        for hid in ("h1", "h2", "h3"):
            if (hid, t) != ("h1", "smile"):
                step(county, hid, t, f"2024-10-{day:02d}T10:00", "--by", "jh-bai")
    r = step(county, "h2", "fix_on", "2024-10-13T15:00", ok=1)
    assert "is not a key household" in r.stderr
    r = step(county, "h1", "stick", "2024-10-13T15:00", "--by", "zh-luo", ok=1)
    assert "not in the work group" in r.stderr
    step(county, "h1", "stick", "2024-10-13T15:00", "--by", "pe-ma")
    step(county, "h1", "fix_on", "2024-10-13T15:00", "--by", "jh-bai")
    r = step(county, "h3", "lean_on", "2024-10-14T20:00", "--via", "jh-lin", ok=1)
    assert "no relationship recorded" in r.stderr
    county("wuzifa", "relation", "add", D, "--household", "h3", "--person", "jh-lin", "--kind", "classmate",
           "--now", "2024-10-14T19:00")
    step(county, "h3", "lean_on", "2024-10-14T20:00", "--via", "jh-lin")
    p = county("wuzifa", "progress", D, "--now", "2024-10-14T21:00", "--json").data
    assert [(h["household"], "".join(rules.TECHNIQUE_ZH[t] for t in h["techniques"])) for h in p["households"]] == [
        ("h1", "笑问听析讲粘盯"), ("h2", "笑问听析讲"), ("h3", "笑问听析讲靠")]


def test_signing_and_the_close_gate(county):
    s = county("wuzifa", "sign", D, "--household", "h1", "--when", "2024-10-14T10:00", "--now", "2024-10-14T21:00",
               "--json").data
    assert (s["signed"], s["required"], s["followers"]) == (1, 3, ["h2"])
    county("wuzifa", "sign", D, "--household", "h2", "--when", "2024-10-14T15:00", "--now", "2024-10-14T21:00")
    r = step(county, "h2", "explain", "2024-10-15T10:00", ok=1)
    assert "already signed" in r.stderr
    r = county("case", "resolve", D, "--note", "化解", "--now", "2024-10-15T10:00", ok=1)
    assert "1 of 3 parties have not signed (大牯牛户)" in r.stderr
    r = county("wuzifa", "pay", D, "--household", "h3", "--now", "2024-10-20T10:00", ok=1)
    assert "has not signed" in r.stderr
    paid = county("wuzifa", "pay", D, "--household", "h1", "--now", "2024-10-20T10:00", "--json").data
    assert paid["amount"] == 620  # 10 × 50 + 4 × 30 (L53)


def test_october_figures(county):
    got = {m["metric"]: (m["numerator"], m["denominator"], m["value"])
           for m in county("appraise", "--period", "2024-10", "--unit", "jc.jh", "--now", "2024-11-01T09:00",
                           "--json").data if m["method"] == "wuzifa" and m["subject"] == "jc.jh"}
    assert got["signing_rate"] == (2, 3, 2 / 3)
    assert got["contracts_signed"][2] == 2
    assert got["payment_rate"] == (1, 2, 0.5)
    assert got["verified_area"][2] == 24.0  # 10 + 4 + 5 + 5 mu of the two signed
    assert got["five_char_rate"] == (3, 3, 1.0)
    assert (got["escalated_stick"][2], got["escalated_fix_on"][2], got["escalated_lean_on"][2]) == (1, 1, 1)


def test_contact_duties_every_seven_days(county):
    # 10-15 = intake day + 7: h3 unsigned, worked in (10-08, 10-15] → done; 10-22: not worked since → not done
    for day, done in (("2024-10-15", True), ("2024-10-22", False)):
        duties = county("duties", "--date", day, "--now", "2024-10-23T09:00", "--json").data
        assert [(d["kind"], d["subject"], d["unit"], d["done"]) for d in duties if d["method"] == "wuzifa"] == [
            ("contact", f"{D}/h3", "jc.jh.zh", done)]


def test_board_counts_without_names(county):
    boards = county("board", "--unit", "jc.jh.zh", "--period", "2024-10", "--format", "json",
                    "--now", "2024-11-01T09:00").stdout
    assert "签字 2/3" in boards and "67%" in boards and "竜山组" in boards
    for name in ("罗组长户", "大牯牛户", "罗大山", "13812345678"):
        assert name not in boards


def test_last_signature_lets_the_dispute_close(county):
    county("wuzifa", "sign", D, "--household", "h3", "--when", "2024-11-02T10:00", "--now", "2024-11-02T10:00")
    c = county("case", "resolve", D, "--note", "签定协议3份", "--now", "2024-11-03T10:00", "--json").data
    assert (c["status"], c["signoff"]["signed"], c["signoff"]["required"]) == ("resolved", 3, 3)
    got = {m["metric"]: (m["numerator"], m["denominator"], m["value"])
           for m in county("appraise", "--period", "2024Q4", "--unit", "jc.jh", "--now", "2024-12-31T09:00",
                           "--json").data if m["method"] == "wuzifa" and m["subject"] == "jc.jh"}
    assert (got["signing_rate"], got["contracts_signed"][2], got["payment_rate"]) == ((3, 3, 1.0), 3, (1, 3, 1 / 3))
    assert got["verified_area"][2] == 44.0


def test_side_problems_on_the_spot_and_by_amount(county):
    spot = county("case", "add", "--method", "wuzifa", "--unit", "jc.jh.zh", "--title", "水管漏水",
                  "--set", "on_the_spot=yes", "--set", f"dispute={D}", "--now", "2024-12-02T10:00", "--json").data
    assert (spot["category"], spot["status"], spot["due_at"]) == ("small_matter", "resolved", None)
    at = county("case", "add", "--method", "wuzifa", "--unit", "jc.jh.zh", "--title", "修缮村小",
                "--set", "amount=10000", "--now", "2024-12-02T11:00", "--json").data
    below = county("case", "add", "--method", "wuzifa", "--unit", "jc.jh.zh", "--title", "修补围墙",
                   "--set", "amount=9999", "--now", "2024-12-02T11:00", "--json").data
    assert (at["category"], below["category"]) == ("project_funding", "small_matter")
    r = county("case", "add", "--method", "wuzifa", "--unit", "jc.jh.zh", "--title", "x", "--set", "amount=50000",
               "--set", "on_the_spot=yes", "--now", "2024-12-02T11:00", ok=2)
    assert "only a small matter is settled on the spot" in r.stderr
    r = county("case", "add", "--method", "wuzifa", "--unit", "jc", "--title", "x", "--now", "2024-12-02T11:00", ok=2)
    assert "under a township" in r.stderr
    got = {m["metric"]: (m["numerator"], m["denominator"])
           for m in county("appraise", "--period", "2024-12", "--unit", "jc.jh", "--now", "2024-12-31T09:00",
                           "--json").data if m["method"] == "wuzifa" and m["subject"] == "jc.jh"}
    assert got["on_the_spot_rate"] == (1, 2)


def test_household_import_is_all_or_none(county, tmp_path):
    d2 = county("case", "add", "--method", "wuzifa", "--unit", "jc.jh.zh", "--title", "第二起纠纷",
                "--category", "collective_dispute", "--now", "2024-12-03T09:00", "--json").data["id"]
    path = tmp_path / "hh.csv"
    path.write_text("id,name,group,key,follows,tapped,untapped\nh1,甲户,竜山组,yes,,10,4\nh2,乙户,竜山组,,h1,5,5\n"
                    "h3,丙户,,,h9,1,1\n", encoding="utf-8")
    r = county("wuzifa", "household", "import", d2, path, "--now", "2024-12-03T10:00", ok=2)
    assert r.stderr.strip() == f"error: {path}:4: follows 'h9': not a household listed on case {d2}"
    assert county("case", "show", d2, "--now", "2024-12-03T10:00", "--json").data["signoff"] is None
    path.write_text(path.read_text(encoding="utf-8").replace("h9", "h1"), encoding="utf-8")
    assert county("wuzifa", "household", "import", d2, path, "--now", "2024-12-03T10:00", "--json").data["listed"] == 3
    p = county("wuzifa", "progress", d2, "--now", "2024-12-03T10:00", "--json").data
    assert [(h["household"], h["is_key"], h["follows"], h["next"]) for h in p["households"]] == [
        ("h1", True, None, "smile"), ("h2", False, "h1", "smile"), ("h3", False, "h1", "smile")]
    assert (p["signed"], p["required"], p["missing_levels"]) == (0, 3, ["city", "county", "township"])
