"""shequhua (松山区农村社区化管理, casebook L266–290): the fourth quarter of 2024 on the sample
deployment (songshan.toml) through the CLI — matters filed by service area and handled by the
area's organisation (L282), pairing with its caps (L273), the organisation department's checks,
the spot-check draw and model villages (L276), promotion (L276), the employment station (L280),
duties and appraisal. Every figure is worked out by hand below.

Pilot villages (a centre each): 鸭子河村 ss.mj.yzh (the five organisations of L282), 大兴隆庄村
ss.dp.dxlz (mediation, public welfare), 敖包村 ss.wf.ab (none). Pairs from the file: 向阳街道 with
穆家营子镇 and 当铺地满族乡 (2 = 14 / 7), 园林社区 with 鸭子河村, 清河社区 with 大兴隆庄村 (1 = 30 / 30).
"""

from __future__ import annotations

import pytest
from test_shequhua_time import add, county_from

from plugins.contrib.shequhua.rules import SOURCE_FIGURES


@pytest.fixture(scope="module")
def q4(tmp_path_factory):
    run = county_from(tmp_path_factory, "shequhua-records")
    ids = {}
    # November's matters
    ids["A"] = add(run, "2024-11-04T09:00", "大棚蔬菜技术指导", "ss.mj.yzh", category="production")
    run("case", "add", "--method", "shequhua", "--unit", "ss.mj.yzh", "--title", "邻里宅基地纠纷", "--channel", "hall",
        "--requester-name", "王长贵", "--requester-phone", "13812345678", "--now", "2024-11-04T10:00")
    ids["B"] = run("case", "show", "ss-000002", "--json").data
    ids["C"] = add(run, "2024-11-05T09:00", "村民婚事简办", "ss.mj.yzh", "kind=problem", category="ceremony")
    ids["D"] = add(run, "2024-11-04T15:00", "看望住院老人", "ss.mj.yzh", "six_one=visit", "member=yzh-04",
                   category=None, channel="six_ones")
    ids["E"] = add(run, "2024-11-06T09:00", "自来水管漏水", "ss.mj.xt", category="public_welfare")
    ids["F"] = add(run, "2024-11-06T10:00", "修路申请", "ss.dp.dxlz", category=None)
    for cid, now in (("ss-000001", "2024-11-06T16:00"), ("ss-000002", "2024-11-08T16:00"),
                     ("ss-000003", "2024-11-09T16:00"), ("ss-000004", "2024-11-04T18:00")):
        run("case", "resolve", cid, "--note", "已办结", "--now", now)
    # pairing (L273)
    ids["pair_wf"] = run("shequhua", "pair", "ss.wf", "--partner", "ss.zx", "--now", "2024-10-02T09:00", "--json").data
    ids["pair_ab"] = run("shequhua", "pair", "ss.wf.ab", "--partner", "ss.zx.xh", "--now", "2024-10-02T09:00",
                         "--json").data
    # checks (L276)
    ids["draw"] = run("shequhua", "draw", "--quarter", "2024Q4", "--now", "2024-10-10T09:00", "--json").data
    for village, kind, result, now in (("ss.mj.yzh", "regular", "good", "2024-10-15T10:00"),
                                       ("ss.dp.dxlz", "regular", "pass", "2024-11-10T10:00"),
                                       ("ss.mj.yzh", "spot", "improve", "2024-11-12T10:00"),
                                       ("ss.mj.yzh", "year_end", "good", "2024-12-20T10:00"),
                                       ("ss.wf.ab", "year_end", "pass", "2024-12-20T15:00")):
        run("shequhua", "inspect", village, "--kind", kind, "--result", result, "--inspector", "zzb-01",
            "--now", now)
    ids["model"] = run("shequhua", "model", "ss.mj.yzh", "--now", "2024-12-21T09:00", "--json").data
    run("shequhua", "promote", "--kind", "column", "--outlet", "website", "--title", "鸭子河村服务中心见闻",
        "--village", "ss.mj.yzh", "--now", "2024-12-22T09:00")
    run("shequhua", "promote", "--kind", "observation", "--title", "鸭子河村现场观摩会", "--village", "ss.mj.yzh",
        "--now", "2024-12-23T09:00")
    # the employment station (L280)
    ids["r1"] = run("shequhua", "reimburse", "ss.mj.yzh", "--cost", "2400", "--now", "2024-12-02T09:00", "--json").data
    ids["r2"] = run("shequhua", "reimburse", "ss.mj.yzh", "--cost", "1500.5", "--now", "2024-12-03T09:00", "--json").data
    run("shequhua", "file", "open", "ss.mj.yzh", "--file", "F-01", "--name", "刘失地", "--now", "2024-12-01T09:00")
    ids["p1"] = run("shequhua", "pension", "ss.mj.yzh", "--file", "F-01", "--premium", "1200",
                    "--now", "2024-12-05T09:00", "--json").data
    return run, ids


def test_matters_go_to_the_organisation_of_their_area(q4):
    _, ids = q4
    got = {k: (c["category"], c["extra"]["kind"], c["handler"], c["status"]) for k, c in ids.items() if k in "ABCDEF"}
    assert got == {
        "A": ("production", "errand", "yzh-02", "assigned"),        # 生产技术服务队's leader
        "B": ("mediation", "dispute", "yzh-01", "assigned"),        # 纠纷 in the title → mediation, a dispute
        "C": ("ceremony", "problem", "yzh-01", "assigned"),         # no 红白理事会: the centre's director
        "D": ("public_welfare", "errand", "yzh-04", "assigned"),    # 访一访 → public welfare; the member named
        "E": ("public_welfare", "errand", None, "registered"),      # 小庄村: no centre, no cadre
        "F": ("public_welfare", "errand", "dxlz-01", "assigned"),   # 修路 → public welfare at 大兴隆庄村
    }
    assert ids["D"]["extra"]["six_one"] == "visit" and ids["D"]["channel"] == "six_ones"


@pytest.mark.parametrize("unit, sets, channel, code, words", [
    ("ss.mj.yzh.g1", [], "hall", 2, "--unit ss.mj.yzh.g1: a shequhua matter is taken in by a village's service centre"),
    ("ss.mj.yzh", ["member=yzh-05"], "hall", 2, "--set member yzh-05: 周村民 holds none of the roles"),
    ("ss.mj.yzh", ["member=dxlz-02"], "hall", 2, "--set member dxlz-02: 郑党员 is not of 鸭子河村"),
    ("ss.mj.yzh", [], "six_ones", 2, "--set six_one: a matter from the 六个一 activity says which one"),
    ("ss.mj.yzh", ["kind=complaint"], "hall", 2, "--set kind=complaint: use one of errand"),
    ("ss.mj.yzh", ["six_one=sing"], "six_ones", 2, "--set six_one=sing: use one of policy"),
])
def test_bad_matters_are_refused_in_one_line(q4, unit, sets, channel, code, words):
    run, _ = q4
    args = ["case", "add", "--method", "shequhua", "--unit", unit, "--title", "测试", "--channel", channel,
            "--now", "2024-11-20T09:00"]
    for kv in sets:
        args += ["--set", kv]
    r = run(*args, ok=code)
    assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, code, words", [
    (["pair", "ss.aq", "--partner", "ss.xy"], 1,
     "向阳街道 already guides 2 (ss.dp, ss.mj); [plugins.shequhua] townships_per_subdistrict = 2"),
    (["pair", "ss.mj.xt", "--partner", "ss.xy.qh"], 1, "小庄村 (ss.mj.xt) is not a pilot village"),
    (["pair", "ss.wf.ab", "--partner", "ss.xy.yl"], 1, "敖包村 (ss.wf.ab) is already paired with 新华社区"),
    (["pair", "ss.zx", "--partner", "ss.xy"], 1, "振兴街道 is an urban subdistrict guiding townships"),
    (["pair", "ss.wf", "--partner", "ss.xy"], 1, "王府镇 (ss.wf) is already paired with 振兴街道 (ss.zx)"),
    (["pair", "ss.mj.yzh", "--partner", "ss.zx"], 2, "a pilot village pairs with an urban community"),
    (["org", "set", "ss.mj.xt", "--area", "mediation", "--leader", "yzh-01"], 1, "小庄村 (ss.mj.xt) has no 社区化管理服务中心"),
    (["org", "set", "ss.dp.dxlz", "--area", "production", "--leader", "yzh-02"], 2, "钱党员 is not of 大兴隆庄村"),
    (["inspect", "ss.dp.dxlz", "--kind", "spot", "--result", "good", "--inspector", "zzb-01"], 1,
     "大兴隆庄村 (ss.dp.dxlz) was not drawn for the spot check of 2024Q4"),
    (["inspect", "ss.mj.yzh", "--kind", "year_end", "--result", "good", "--inspector", "zzb-01"], 1,
     "a year-end check (年末检查, L276) is made in month 12, not on 2024-11-20"),
    (["inspect", "ss.mj.yzh", "--kind", "regular", "--result", "good", "--inspector", "yzh-01"], 2,
     "赵书记 is not 区委组织部工作人员"),
    (["draw", "--quarter", "2024Q4"], 1, "ss.mj.yzh already drawn for this quarter"),
    (["draw", "--quarter", "2024Q3"], 1, "the quarter is over"),
    (["model", "ss.dp.dxlz"], 1, "大兴隆庄村 (ss.dp.dxlz) has no check rated 好"),
    (["model", "ss.mj.yzh"], 1, "鸭子河村 (ss.mj.yzh) is already a model village"),
    (["promote", "--kind", "observation", "--title", "观摩", "--village", "ss.dp.dxlz"], 1,
     "大兴隆庄村 is not a model village"),
    (["promote", "--kind", "column", "--title", "专栏"], 2, "--outlet None: a column report runs in"),
    (["pension", "ss.mj.yzh", "--file", "F-02", "--premium", "1000"], 1, "no land-lost farmer's file"),
    (["reimburse", "ss.mj.yzh", "--cost", "-5"], 2, "--cost '-5': more than 0 yuan"),
])
def test_the_rules_refuse(q4, args, code, words):
    run, _ = q4
    r = run("shequhua", *args, "--now", "2024-11-20T09:00", ok=code)
    assert words in r.stderr, r.stderr


def test_pairs_draw_model_and_the_employment_station(q4):
    run, ids = q4
    assert (ids["pair_wf"]["change"], ids["pair_ab"]["change"]) == ("added", "added")
    assert [(p["kind"], p["unit"], p["partner"]) for p in run("shequhua", "pairs", "--now", "2024-12-31",
                                                               "--json").data] == [
        ("village", "ss.dp.dxlz", "ss.xy.qh"), ("village", "ss.mj.yzh", "ss.xy.yl"), ("village", "ss.wf.ab", "ss.zx.xh"),
        ("township", "ss.dp", "ss.xy"), ("township", "ss.mj", "ss.xy"), ("township", "ss.wf", "ss.zx")]
    # ceil(0.2 × 3 pilot villages) = 1, seeded by (ss, 2024Q4)
    assert ids["draw"] == {"quarter": "2024Q4", "villages": ["ss.mj.yzh"]}
    assert ids["model"]["village"] == "ss.mj.yzh" and ids["model"]["designated_at"] == "2024-12-21T09:00:00+08:00"
    # 2000元以内实报实销 (L280): 2,400 → 2,000 (the cap); 1,500.50 → all of it
    assert [(r["amount"], r["village_part"], r["person_part"]) for r in (ids["r1"], ids["r2"])] == [
        (2400.0, 2000.0, 400.0), (1500.5, 1500.5, 0.0)]
    # 村里、个人各负担一半 (L280)
    assert (ids["p1"]["amount"], ids["p1"]["village_part"], ids["p1"]["person_part"]) == (1200.0, 600.0, 600.0)


def test_the_source_figures(q4):
    run, _ = q4
    figures = {r["figure"]: (r["value"], r["line"]) for r in run("shequhua", "figures", "--json").data}
    assert {k: figures[k] for k in ("paired_subdistricts", "paired_townships", "paired_communities",
                                    "paired_pilot_villages", "model_villages", "service_areas", "six_ones",
                                    "training_cap_yuan")} == {
        "paired_subdistricts": (7, "L273"), "paired_townships": (14, "L273"), "paired_communities": (30, "L273"),
        "paired_pilot_villages": (30, "L273"), "model_villages": (15, "L276"), "service_areas": (5, "L282"),
        "six_ones": (6, "L282"), "training_cap_yuan": (2000, "L280")}
    assert {k: v[0] for k, v in SOURCE_FIGURES.items() if v[1] in ("L282", "L286") and k not in (
        "service_areas", "six_ones")} == {
        "errands_done": 23000, "labour_moved": 50000, "reemployment_posts": 800, "disputes_resolved": 736,
        "problems_solved": 4216, "pilot_cooperatives": 12, "pilot_associations": 8, "specialised_villages": 18,
        "district_cooperatives": 290, "district_associations": 236, "protected_agriculture_mu": 170000,
        "pigs_per_year": 930000, "beef_cattle": 250000, "dairy_cows": 30000, "laying_hens": 10000000,
        "income_per_head_2010_yuan": 6335}


def test_duties_of_the_checks(q4):
    run, _ = q4

    def duties(day):
        return sorted((d["kind"], d["unit"], d["done"], d["subject"]) for d in run(
            "duties", "--date", day, "--now", day + "T23:00", "--json").data if d["method"] == "shequhua")

    assert duties("2024-11-30") == []  # neither a quarter's end nor the year-end month's
    assert duties("2024-12-31") == [
        ("regular_check", "ss.dp.dxlz", True, "2024Q4"), ("regular_check", "ss.mj.yzh", True, "2024Q4"),
        ("regular_check", "ss.wf.ab", False, "2024Q4"),
        ("spot_check", "ss.mj.yzh", True, "2024Q4"),
        ("year_end_check", "ss.dp.dxlz", False, "2024"), ("year_end_check", "ss.mj.yzh", True, "2024"),
        ("year_end_check", "ss.wf.ab", True, "2024")]


def figures(run, unit, period):
    """shequhua's own metrics for ``unit`` → {metric: (numerator, denominator) or value}."""
    out = {}
    for m in run("appraise", "--unit", unit, "--period", period, "--now", "2025-01-02", "--json").data:
        if m["method"] == "shequhua" and m["subject"] == unit:
            out[m["metric"]] = (m["numerator"], m["denominator"]) if m["denominator"] is not None else m["value"]
    return out


def test_appraisal_of_the_quarter(q4):
    run, _ = q4
    got = figures(run, "ss", "2024Q4")
    assert {k: got[k] for k in (
        "pilot_villages", "org_coverage", "pairing_coverage", "township_pairing_coverage", "model_villages",
        "model_target_rate", "regular_check_coverage", "spot_check_rate", "year_end_check_rate", "check_good_rate",
        "errands_done", "disputes_resolved", "problems_solved", "six_ones_services", "column_reports",
        "observation_meetings", "exchange_meetings", "training_reimbursed_yuan", "pension_village_yuan")} == {
        "pilot_villages": 3,
        "org_coverage": (1, 3),               # only 鸭子河村 has the five of L282
        "pairing_coverage": (3, 3),           # 园林, 清河, 新华社区
        "township_pairing_coverage": (3, 3),  # 穆家营子镇, 当铺地满族乡 → 向阳街道; 王府镇 → 振兴街道
        "model_villages": 1,
        "model_target_rate": (1, 15),         # L276: 15 model villages
        "regular_check_coverage": (2, 3),     # 鸭子河村 10-15, 大兴隆庄村 11-10
        "spot_check_rate": (1, 1),
        "year_end_check_rate": (2, 3),        # 鸭子河村, 敖包村
        "check_good_rate": (2, 5),            # good, pass, improve, good, pass
        "errands_done": 2, "disputes_resolved": 1, "problems_solved": 1,  # A, D; B; C (L282's three counts)
        "six_ones_services": 1, "column_reports": 1, "observation_meetings": 1, "exchange_meetings": 0,
        "training_reimbursed_yuan": 3500.5, "pension_village_yuan": 600.0}
    village = figures(run, "ss.dp.dxlz", "2024-11")
    # the quarterly regular check (inspection_every) is owed on 12-31, not within November: 0 of 0
    assert (village["pilot_villages"], village["org_coverage"], village["regular_check_coverage"],
            village["errands_done"]) == (1, (0, 1), (0, 0), 0)
    assert "model_target_rate" not in village  # the district's target, at the root only


def test_a_running_quarter_does_not_owe_its_year_end_check_yet(q4):
    """2024Q4 asked on 2024-12-20 (found by an inspector for another method: a running period
    counted duties not yet due): the year-end month (December) has not ended, so no year-end
    check figure, nor on 12-31 itself (owed once the day is over, conventions §8); on 2025-01-01
    it is — 2/3, 鸭子河村 and 敖包村 done."""
    run, _ = q4

    def year_end(now):
        return [(m["numerator"], m["denominator"]) for m in run(
            "appraise", "--unit", "ss", "--period", "2024Q4", "--now", now, "--json").data
            if m["method"] == "shequhua" and m["subject"] == "ss" and m["metric"] == "year_end_check_rate"]
    assert year_end("2024-12-20T09:00") == []
    assert year_end("2024-12-31T18:00") == []
    assert year_end("2025-01-01T09:00") == [(2, 3)]


def test_the_village_board_and_the_column(q4):
    run, _ = q4
    text = run("board", "--unit", "ss.mj.yzh", "--period", "2024-11", "--format", "json", "--now", "2024-12-01").stdout
    assert "王某" in text and "王长贵" not in text and "13812345678" not in text
    boards = run("board", "--unit", "ss.mj", "--period", "2024-12", "--format", "json", "--now", "2025-01-01",
                 "--json").data
    mine = [b for b in (boards if isinstance(boards, list) else boards["boards"]) if b["method"] == "shequhua"]
    assert [(b["title"], [len(s["rows"]) for s in b["sections"]]) for b in mine] == [
        ("穆家营子镇农村社区化管理专题专栏（2024-12）", [1, 2, 2]),
        ("鸭子河村农村社区化管理服务中心公开栏（2024-12）", [5, 0, 1])]
    # the model village was designated 2024-12-21: November's column does not list it yet
    boards = run("board", "--unit", "ss.mj", "--period", "2024-11", "--format", "json", "--now", "2025-01-01",
                 "--json").data
    column = [b for b in (boards if isinstance(boards, list) else boards["boards"])
              if b["method"] == "shequhua" and "专题专栏" in b["title"]]
    assert [[len(x["rows"]) for x in b["sections"]] for b in column] == [[0, 2, 0]]  # no model, 2 pairs


def test_the_declaration(q4):
    run, _ = q4
    info = run("plugins", "show", "shequhua", "--json").data
    assert (info["title_zh"], info["source_lines"]) == ("农村社区化管理", "L266–290")
    # the five service organisations of L282, then L280's station, L284's council and L282's 等
    assert list(info["categories"]) == ["production", "sanitation", "mediation", "public_welfare", "culture_sports",
                                        "employment", "ceremony", "other"]
    assert [info["categories"][k] for k in list(info["categories"])[:5]] == [
        "生产技术服务", "环境卫生服务", "纠纷调解服务", "公益事业服务", "文体活动服务"]
    assert [(t["name"], t["level"]) for t in info["tiers"]] == [("centre", "village"), ("township", "township")]
    # L282's pool: 村组干部、农民党员、村级后备干部、入党积极分子
    assert list(info["roles"])[:4] == ["village_cadre", "party_member", "reserve_cadre", "party_activist"]
    defaults = {s["name"]: s["default"] for s in info["settings"]}
    assert {k: defaults[k] for k in ("townships_per_subdistrict", "villages_per_community", "model_villages_target",
                                     "training_cap_yuan", "pension_village_share", "centre_days", "township_days",
                                     "day_kind", "pair_joint", "inspection_every", "spot_check_share")} == {
        "townships_per_subdistrict": 2, "villages_per_community": 1, "model_villages_target": 15,
        "training_cap_yuan": 2000, "pension_village_share": 0.5, "centre_days": 7, "township_days": 10,
        "day_kind": "calendar", "pair_joint": "escalated", "inspection_every": "quarter", "spot_check_share": 0.2}
