"""zhihui's own records through the CLI on the sample deployment (plugins/contrib/zhihui/data/
yongning.toml), one county for the module, tests in file order; every figure worked out by hand
from the casebook's numbers (L402 8 communities, L406 92 grids and 4+4+1+6, L408 3-5 years,
L410 20%) and the sample's posts: 阳光社区第一网格 complete, 第二网格 with 2 workers and its
assistant, 祥和社区第一网格 with one worker."""

import json
from pathlib import Path

import pytest

from plugins.contrib.zhihui import rules

SAMPLE = (Path(__file__).resolve().parents[1] / "plugins/contrib/zhihui/data/yongning.toml").read_text(encoding="utf-8")
W1, W2, XW1, YG, XH = "yn.yh.yg.w1", "yn.yh.yg.w2", "yn.yh.xh.w1", "yn.yh.yg", "yn.yh.xh"
R1, R2, R3, R4 = "64012119400101002X", "640121195506060019", "640121198812120028", "640121197007070035"
NOW = ["--now", "2024-12-01T09:00"]


@pytest.fixture(scope="module")
def county(county_module):
    return county_module(SAMPLE)


def test_the_casebook_numbers_are_the_declared_ones():
    assert (len(rules.COMMUNITY_POSTS), rules.GRID_WORKERS_PER_GRID, rules.GRID_ASSISTANTS_PER_GRID,
            len(rules.SIX_POSTS)) == (4, 4, 1, 6)                         # L406: 4+4+1+6
    defaults = {s.name: s.default for s in rules.SETTINGS}
    assert (defaults["planned_grids"], defaults["planned_communities"]) == (92, 8)  # L406, L402
    assert defaults["profit_share_percent"] == 20                               # L410
    q = next(s for s in rules.SETTINGS if s.name == "qualification_years")
    assert (q.default, q.minimum, q.maximum) == (5, 3, 5)                       # L408: 3-5年


def test_the_population_register_refuses_a_second_entry(county):
    a = county("zhihui", "resident", "add", "--id-number", R1.lower(), "--name", "白桂兰", "--grid", W1,
               "--house", "阳光小区3号楼2单元301", "--flags", "empty_nest;caller;civil_affairs", *NOW, "--json").data
    assert (a["id_number"], a["name"], a["grid"], a["flags"]) == (
        "640121********002X", "白某", W1, ["empty_nest", "caller", "civil_affairs"])
    county("zhihui", "resident", "add", "--id-number", R2, "--name", "马秀英", "--grid", W1, "--house",
           "阳光小区3号楼2单元302", "--flags", "min_living", *NOW)
    county("zhihui", "resident", "add", "--id-number", R3, "--name", "李建国", "--grid", W2, "--house",
           "阳光小区7号楼1单元101", "--flags", "family_planning,min_living", *NOW)
    # the same person again, even under another name and grid: refused (exit 1), nothing written
    again = county("zhihui", "resident", "add", "--id-number", R1, "--name", "白桂蘭", "--grid", W2, "--house",
                   "阳光小区7号楼1单元102", "--now", "2024-12-05T09:00", ok=1)
    assert again.stderr.strip() == ("error: resident 640121********002X (白某): already entered on 2024-12-01 in "
                                    "阳光社区第一网格 — population data are entered once (一次输入, L404)")
    # a house lies in one grid (以房管人); a caller goes to empty-nest elderly; the check character counts
    house = county("zhihui", "resident", "add", "--id-number", R4, "--name", "王某某", "--grid", W2, "--house",
                   "阳光小区3号楼2单元301", *NOW, ok=2)
    assert "house '阳光小区3号楼2单元301': belongs to grid yn.yh.yg.w1, not yn.yh.yg.w2" in house.stderr
    caller = county("zhihui", "resident", "add", "--id-number", R4, "--name", "王某某", "--grid", W2, "--house",
                    "阳光小区7号楼1单元102", "--flags", "caller", *NOW, ok=2)
    assert "empty-nest elderly (empty_nest) only" in caller.stderr
    bad = county("zhihui", "resident", "add", "--id-number", R4[:-1] + "6", "--name", "王某某", "--grid", W2,
                 "--house", "x", *NOW, ok=2)
    assert bad.stderr.strip() == "error: id_number: the check character does not match (身份证号校验位错误)"
    # 自动分析汇总: per grid, then the total
    rows = county("zhihui", "summary", "--unit", YG, *NOW, "--json").data
    assert [(r["grid"], r["houses"], r["residents"], r["min_living"], r["empty_nest"], r["caller"],
             r["family_planning"], r["civil_affairs"]) for r in rows] == [
        (W1, 2, 2, 1, 1, 1, 0, 1), (W2, 1, 1, 1, 0, 0, 1, 0), (None, 3, 3, 2, 1, 1, 1, 1)]


def test_the_staffing_check_names_every_grid_that_misses(county):
    data = county("zhihui", "staffing", *NOW, "--json").data
    assert (data["grids"], data["planned_grids"], data["communities"], data["planned_communities"],
            data["complete"]) == (3, 92, 2, 8, 1)
    six = ["矛盾纠纷调解员 0/1", "社情民意采集员 0/1", "环境卫生监督员 0/1", "计划生育信息员 0/1", "政策法规宣传员 0/1",
           "民主议政监督员 0/1"]
    assert data["incomplete"] == [
        {"grid": XW1, "name": "祥和社区第一网格", "missing": [
            "网格督导员 0/1", "网格指导员 0/1", "网格管理员 0/1", "社区警员 0/1", "专职网格员 1/4", "网格助理员 0/1", *six]},
        {"grid": W2, "name": "阳光社区第二网格", "missing": ["专职网格员 2/4", *six]}]


def test_the_quotas_and_who_may_serve(county):
    # a fifth full-time worker in 第一网格 (4 allowed), a second assistant, a second supervisor: refused (exit 1)
    fifth = county("zhihui", "staff", "add", "--unit", W1, "--post", "grid_worker", "--person", "w5", *NOW, ok=1)
    assert fifth.stderr.strip() == ("error: unit 'yn.yh.yg.w1': 阳光社区第一网格 already has 4 专职网格员 "
                                    "(w1, w2, w3, w4); 4+4+1+6 allows 4 (L406)")
    county("zhihui", "staff", "add", "--unit", W1, "--post", "grid_assistant", "--person", "a2", *NOW, ok=1)
    county("zhihui", "staff", "add", "--unit", YG, "--post", "grid_supervisor", "--person", "c5", *NOW, ok=1)
    # the assistant is a residents' group leader; the first four are subdistrict cadres, in the community
    assert "residents' group leader" in county("zhihui", "staff", "add", "--unit", XW1, "--post", "grid_assistant",
                                               "--person", "w7", *NOW, ok=2).stderr
    assert "由街道包居干部担任" in county("zhihui", "staff", "add", "--unit", XH, "--post", "grid_supervisor",
                                           "--person", "w7", *NOW, ok=2).stderr
    assert "posted to a community" in county("zhihui", "staff", "add", "--unit", XW1, "--post", "grid_supervisor",
                                             "--person", "c5", *NOW, ok=2).stderr
    ok = county("zhihui", "staff", "add", "--unit", XH, "--post", "grid_supervisor", "--person", "c5", *NOW,
                "--json").data
    assert (ok["unit"], ok["post"], ok["person"], ok["added"]) == (XH, "grid_supervisor", "c5", True)
    again = county("zhihui", "staff", "add", "--unit", XH, "--post", "grid_supervisor", "--person", "c5", *NOW,
                   "--json").data
    assert again["added"] is False
    # the operator's lines (in Chinese): posted again, taken off, not posted there
    assert county("zhihui", "staff", "add", "--unit", XH, "--post", "grid_supervisor", "--person", "c5",
                  *NOW).stdout == "c5：祥和社区网格督导员（原已配备）\n"
    assert county("zhihui", "staff", "remove", "--unit", XH, "--post", "grid_supervisor", "--person", "c5",
                  *NOW).stdout == "c5：已免去祥和社区网格督导员\n"
    assert county("zhihui", "staff", "remove", "--unit", XH, "--post", "grid_supervisor", "--person", "c5",
                  *NOW).stdout == "c5：并非祥和社区网格督导员，无需免去\n"
    county("zhihui", "staff", "add", "--unit", XH, "--post", "grid_supervisor", "--person", "c5", *NOW)
    missing = next(g for g in county("zhihui", "staffing", "--unit", XH, *NOW, "--json").data["incomplete"])
    assert missing["missing"][:3] == ["网格指导员 0/1", "网格管理员 0/1", "社区警员 0/1"]


def test_cases_stay_in_the_grid_with_the_fields_officer(county):
    # a dispute in 第一网格: the least-loaded full-time worker (w1), jointly with the grid's 调解员 (v1)
    a = county("case", "add", "--method", "zhihui", "--unit", W1, "--title", "邻里噪音纠纷", "--channel", "grid",
               "--category", "dispute", "--now", "2024-12-02T09:00", "--json").data
    assert (a["id"], a["handler"], a["joint_handler"], a["joint_unit"]) == ("yn-000001", "w1", "v1", W1)
    # a hall case for a registered resident goes to her grid (以房管人); w1 holds one open case → w2
    b = county("case", "add", "--method", "zhihui", "--unit", YG, "--title", "低保复核", "--channel", "hall",
               "--category", "min_living", "--set", f"resident={R2}", "--now", "2024-12-02T10:00", "--json").data
    assert (b["unit"], b["level"], b["handler"], b["extra"]["grid"], b["joint_handler"]) == (
        W1, "grid", "w2", W1, None)
    # settled on the spot in the hall (现场办公)
    c = county("case", "add", "--method", "zhihui", "--unit", YG, "--title", "开具居住证明", "--channel", "hall",
               "--category", "civil_affairs", "--set", "on_the_spot=yes", "--now", "2024-12-03T10:00", "--json").data
    assert (c["status"], c["level"], c["due_at"]) == ("resolved", "community", None)
    # a one-button call of an empty-nest elderly person: priority high
    d = county("case", "add", "--method", "zhihui", "--unit", W1, "--title", "身体不适", "--channel", "caller",
               "--category", "care", "--set", f"resident={R1}", "--now", "2024-12-04T20:00", "--json").data
    assert (d["priority"], d["handler"]) == ("high", "w3")
    county("case", "resolve", "yn-000001", "--note", "调解成功", "--now", "2024-12-03T16:00")
    county("case", "escalate", "yn-000002", "--reason", "需社区复核", "--now", "2024-12-04T09:00")
    county("case", "resolve", "yn-000002", "--note", "已复核", "--now", "2024-12-05T09:00")
    # refusals: the sample's [where] keeps zhihui to communities and grids; a call names a resident with a caller; on the spot only in the hall;
    # a resident of another grid
    base = ["case", "add", "--method", "zhihui", "--title", "x", "--category", "other", "--now", "2024-12-04T09:00"]
    assert "zhihui does not apply at 杨和街道" in county(*base, "--unit", "yn.yh", "--channel", "hall", ok=2).stderr
    assert "no one-button caller" in county(*base, "--unit", W1, "--channel", "caller", "--set",
                                            f"resident={R2}", ok=2).stderr
    assert "one-stop hall" in county(*base, "--unit", W1, "--channel", "grid", "--set", "on_the_spot=yes", ok=2).stderr
    assert "the resident's grid takes it" in county(*base, "--unit", W2, "--channel", "grid", "--set",
                                                    f"resident={R2}", ok=2).stderr


def test_profit_share_and_education(county):
    r = county("zhihui", "revenue", "--unit", YG, "--provider", "阳光服务站", "--month", "2024-12", "--profit",
               "8650.50", "--now", "2024-12-28T10:00", "--json").data
    assert (r["profit_fen"], r["returned_fen"], r["percent"]) == (865050, 173010, 20)   # 20% (L410)
    small = county("zhihui", "revenue", "--unit", YG, "--provider", "家政加盟商", "--month", "2024-12", "--profit",
                   "0.03", "--now", "2024-12-28T10:00", "--json").data
    assert small["returned_fen"] == 1                                                  # 0.6 分, half up
    county("zhihui", "revenue", "--unit", YG, "--provider", "阳光服务站", "--month", "2024-12", "--profit", "1",
           "--now", "2024-12-28T10:00", ok=1)
    county("zhihui", "revenue", "--unit", W1, "--provider", "x", "--month", "2024-12", "--profit", "1", *NOW, ok=2)
    county("zhihui", "revenue", "--unit", YG, "--provider", "x", "--month", "2024-12", "--profit", "-5", *NOW, ok=2)
    for person, level in (("w1", "junior_college"), ("w2", "bachelor"), ("w3", "secondary")):
        county("zhihui", "education", "--person", person, "--level", level, "--now", "2024-12-10T09:00")


def test_appraisal_of_december(county):
    metrics = {m["metric"]: m for m in county("appraise", "--unit", YG, "--period", "2024-12", "--now",
                                               "2025-01-01T09:00", "--json").data
               if m["method"] == "zhihui" and m["subject"] == YG}
    # resolved: the dispute at the grid, the 低保 review at the community, the hall matter on the spot → 1/3
    assert (metrics["settled_in_grid_rate"]["numerator"], metrics["settled_in_grid_rate"]["denominator"]) == (1, 3)
    # 阳光社区's two grids: 第一网格 complete, 第二网格 not
    assert (metrics["staffing_complete_rate"]["numerator"], metrics["staffing_complete_rate"]["denominator"]) == (1, 2)
    # community workers: w1..w6 and 陈社工 (k1) = 7; w1 大专, w2 本科 qualified
    assert (metrics["qualified_rate"]["numerator"], metrics["qualified_rate"]["denominator"]) == (2, 7)
    assert (metrics["residents_entered"]["value"], metrics["grids"]["value"]) == (3, 2)
    assert metrics["returned_to_community"]["value"] == 1730.11


def test_duties_the_monthly_check_and_the_qualification_goal(county):
    duties = county("duties", "--date", "2025-01-01", "--now", "2025-01-01T09:00", "--json").data
    assert sorted((d["unit"], d["kind"], d["done"]) for d in duties if d["method"] == "zhihui") == [
        (XW1, "staffing", False), (W1, "staffing", True), (W2, "staffing", False)]
    assert county("duties", "--date", "2025-01-02", "--now", "2025-01-02T09:00", "--json").data == []
    # 2014-01-01 + 5 years (L408), less a day: 2018-12-31, per community
    goal = county("duties", "--date", "2018-12-31", "--now", "2025-01-02T09:00", "--json").data
    assert sorted((d["unit"], d["kind"], d["done"], d["subject"]) for d in goal) == [
        (XH, "qualification", False, "0/1"), (YG, "qualification", False, "2/7")]


SHORT_W2 = ("缺：专职网格员 2/4、矛盾纠纷调解员 0/1、社情民意采集员 0/1、环境卫生监督员 0/1、计划生育信息员 0/1、"
            "政策法规宣传员 0/1、民主议政监督员 0/1")


def test_the_community_board(county):
    boards = county("board", "--unit", YG, "--period", "2024-12", "--format", "json", "--now",
                    "2025-01-01T09:00").stdout
    (board,) = [b for b in json.loads(boards) if b["method"] == "zhihui"]
    assert board["title"] == "阳光社区居务公开（2024-12）"
    matters, staff, money = board["sections"]
    assert [r["case_id"] for r in matters["rows"]] == ["yn-000001", "yn-000002", "yn-000003", "yn-000004"]
    assert [(r["grid"], r["complete"]) for r in staff["rows"]] == [
        ("阳光社区第一网格", "达标"), ("阳光社区第二网格", SHORT_W2)]
    assert [(r["provider"], r["returned"]) for r in money["rows"]] == [("阳光服务站", "1730.10"), ("家政加盟商", "0.01")]


def test_the_first_four_per_grid_and_the_six_per_community(county_module):
    """methods.md §6 #21: the first 4 read per community by default; ``four_roles_per = "grid"``
    posts them in each grid, ``six_per = "community"`` counts the six officers per community."""
    toml = SAMPLE.split("[[zhihui.staff]]")[0].replace('four_roles_per = "community"', 'four_roles_per = "grid"')
    toml = toml.replace('six_per = "grid"', 'six_per = "community"')
    run = county_module(toml, name="per-grid.toml")
    assert "posted to a grid" in run("zhihui", "staff", "add", "--unit", YG, "--post", "grid_manager", "--person",
                                     "c3", *NOW, ok=2).stderr
    run("zhihui", "staff", "add", "--unit", W1, "--post", "grid_manager", "--person", "c3", *NOW)
    run("zhihui", "staff", "add", "--unit", YG, "--post", "mediator", "--person", "v1", *NOW)
    missing = {g["grid"]: g["missing"] for g in run("zhihui", "staffing", "--unit", YG, *NOW, "--json").data["incomplete"]}
    # the manager counts for 第一网格 only; the community's 调解员 counts for both grids
    assert "网格管理员 0/1" not in missing[W1] and "网格管理员 0/1" in missing[W2]
    assert "矛盾纠纷调解员 0/1" not in missing[W1] + missing[W2]
    # a community-tier case of 第一网格 goes to that grid's 网格管理员
    run("case", "add", "--method", "zhihui", "--unit", W1, "--title", "x", "--channel", "grid", "--category", "other",
        "--now", "2024-12-02T09:00")
    run("case", "escalate", "yn-000001", "--now", "2024-12-03T09:00")
    assert run("case", "show", "yn-000001", "--json").data["handler"] == "c3"


def test_markers_change_without_a_second_entry(county):
    row = county("zhihui", "resident", "flags", "--id-number", R3, "--flags", "family_planning", *NOW, "--json").data
    assert (row["id_number"], row["flags"]) == ("640121********0028", ["family_planning"])
    assert "empty-nest elderly" in county("zhihui", "resident", "flags", "--id-number", R3, "--flags", "caller",
                                          *NOW, ok=2).stderr
    assert "not in the population register" in county("zhihui", "resident", "flags", "--id-number", R4, "--flags",
                                                       "", *NOW, ok=2).stderr
    county("zhihui", "resident", "flags", "--id-number", R3, "--flags", "family_planning;min_living", *NOW)


@pytest.mark.parametrize("years", [2, 6])
def test_years_outside_three_to_five_are_refused(county_cli, tmp_path, years):
    (tmp_path / "c.toml").write_text(SAMPLE.replace("qualification_years = 5", f"qualification_years = {years}"),
                                     encoding="utf-8")
    r = county_cli("init", "--config", tmp_path / "c.toml", ok=2)
    assert "qualification_years" in r.stderr                                   # L408: 3-5年


def test_three_years_bring_the_goal_to_2016(init_county):
    run = init_county(SAMPLE.replace("qualification_years = 5", "qualification_years = 3"))
    goal = run("duties", "--date", "2016-12-31", "--now", "2025-01-02T09:00", "--json").data
    assert sorted((d["unit"], d["kind"]) for d in goal) == [(XH, "qualification"), (YG, "qualification")]
