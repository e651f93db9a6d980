"""dianti publicity: the 点题服务公开栏 (L83, L93) — requests, measures, results — per village."""

from __future__ import annotations

try:
    from tests.test_dianti_assignment import TOML, add, setup_county
except ImportError:  # tests/ not a package on sys.path
    from test_dianti_assignment import TOML, add, setup_county


def test_monthly_board_contents_masked(county_cli, init_county, tmp_path):
    setup_county(init_county, tmp_path)
    c = add(county_cli, "市场信息咨询", now="2026-02-27T09:00", requester_name="王五")
    county_cli("case", "resolve", c["id"], "--note", "提供本周生猪价格", "--now", "2026-03-01T10:00")
    a = add(county_cli, "降低生猪养殖成本", "requirement=联系饲料公司直购", now="2026-03-02T10:00",
            requester_name="张三丰", requester_phone="13912345678")
    county_cli("dianti", "measure", a["id"], "--note", "组织养殖户从遵义饲料公司直接购买饲料，联系13912345678",
               "--now", "2026-03-04T15:00")
    county_cli("dianti", "supervise", a["id"], "--note", "已核实落实", "--person", "s1", "--now", "2026-03-06T09:00")
    county_cli("case", "resolve", a["id"], "--note", "每吨饲料比市场价低400多元", "--now", "2026-03-10T17:00")
    assert county_cli("dianti", "rate", a["id"], "--score", "5", "--rater", "张三丰", "--now", "2026-03-11T09:00",
                      "--json").data == {"id": a["id"], "score": 5, "ratings": 1, "mean": 5.0}
    county_cli("dianti", "rate", a["id"], "--score", "4", "--now", "2026-03-11T10:00")
    b = county_cli("case", "add", "--method", "dianti", "--unit", "sn.th.hf", "--title", "宅基地纠纷", "--set", "skill=调解",
                   "--requester-name", "李四", "--anonymous", "--now", "2026-03-03T11:00", "--json").data

    boards = county_cli("board", "--unit", "sn.th.hf", "--period", "2026-03", "--json").data
    assert len(boards) == 1
    bd = boards[0]
    assert (bd["method"], bd["title"], bd["unit"], bd["period"]) == ("dianti", "华丰村点题服务公开栏（2026-03）", "sn.th.hf", "2026-03")
    req, meas, res = bd["sections"]
    assert [s["title"] for s in bd["sections"]] == ["群众点题", "服务措施落实", "服务结果"]
    assert req["rows"] == [
        {"case_id": a["id"], "date": "2026-03-02", "requester": "张某", "service": "降低生猪养殖成本",
         "group": "畜牧技术服务小组", "requirement": "联系饲料公司直购", "handler": "牟仕林", "status": "已办结"},
        {"case_id": b["id"], "date": "2026-03-03", "requester": "匿名", "service": "宅基地纠纷",
         "group": "纠纷调解小组", "requirement": "", "handler": "张明", "status": "已交办"},
    ]
    assert meas["rows"] == [
        {"case_id": a["id"], "date": "2026-03-04", "service": "降低生猪养殖成本", "handler": "牟仕林",
         "measure": "组织养殖户从遵义饲料公司直接购买饲料，联系139****5678"},
    ]
    assert res["rows"] == [
        {"case_id": c["id"], "date": "2026-03-01", "service": "市场信息咨询", "group": "市场信息服务小组",
         "handler": "旷宗秀", "result": "提供本周生猪价格", "score": None, "ratings": 0},
        {"case_id": a["id"], "date": "2026-03-10", "service": "降低生猪养殖成本", "group": "畜牧技术服务小组",
         "handler": "牟仕林", "result": "每吨饲料比市场价低400多元", "score": 4.5, "ratings": 2},
    ]
    assert bd["notes"][1] == "服务监督中心：赵监督"
    text = county_cli("board", "--unit", "sn.th.hf", "--period", "2026-03", "--format", "md").stdout
    assert "张三丰" not in text and "13912345678" not in text and "李四" not in text and "张某" in text

    # February: only c's request. A quarter with the monthly cadence: one board per month.
    feb = county_cli("board", "--unit", "sn.th", "--period", "2026-02", "--json").data
    assert [(x["unit"], x["period"], [len(s["rows"]) for s in x["sections"]]) for x in feb] == [("sn.th.hf", "2026-02", [1, 0, 0])]
    q1 = county_cli("board", "--unit", "sn.th", "--period", "2026Q1", "--json").data
    assert [(x["period"], [len(s["rows"]) for s in x["sections"]]) for x in q1] == [("2026-02", [1, 0, 0]), ("2026-03", [2, 1, 2])]
    # 东瓜溪村 has neither groups nor requests: no board
    assert county_cli("board", "--unit", "sn.th.dgx", "--period", "2026-03", "--json").data == []


def test_quarterly_cadence_setting(county_cli, init_county, tmp_path):
    setup_county(init_county, tmp_path, TOML + '\n[plugins.dianti]\nboard_period = "quarter"\n')
    add(county_cli, "市场价格咨询", now="2026-02-27T09:00")
    add(county_cli, "生猪防疫", now="2026-03-02T09:00")
    add(county_cli, "生猪出栏", now="2026-04-02T09:00")
    year = county_cli("board", "--unit", "sn.th.hf", "--period", "2026", "--json").data
    assert [(x["period"], len(x["sections"][0]["rows"])) for x in year] == [("2026Q1", 2), ("2026Q2", 1)]
    q1 = county_cli("board", "--unit", "sn.th.hf", "--period", "2026Q1", "--json").data
    assert [x["title"] for x in q1] == ["华丰村点题服务公开栏（2026Q1）"]


def test_board_and_evaluation_duties(county_cli, init_county, tmp_path):
    setup_county(init_county, tmp_path)
    assert county_cli("duties", "--date", "2026-03-30", "--json").data == []
    d = county_cli("duties", "--date", "2026-03-31", "--json").data
    assert [(x["unit"], x["kind"], x["title"], x["done"]) for x in d] == [
        ("sn.th.hf", "evaluation", "点题服务季度效果评价 2026Q1", False),
        ("sn.th.hf", "board", "更新点题服务公开栏 2026-03", False),
    ]
    county_cli("dianti", "post", "--unit", "sn.th", "--period", "2026-03")
    county_cli("dianti", "evaluate", "--quarter", "2026Q1", "--unit", "sn.th.hf", "--record")
    d = county_cli("duties", "--date", "2026-03-31", "--json").data
    assert [x["done"] for x in d] == [True, True]
    d = county_cli("duties", "--date", "2026-04-30", "--json").data
    assert [(x["kind"], x["title"], x["done"]) for x in d] == [("board", "更新点题服务公开栏 2026-04", False)]


def test_a_missed_board_stays_listed_as_overdue_until_posted(county_cli, init_county, tmp_path):
    """L83 (定期…公开): November's board is due on 30 November; from 1 December, while it is not
    posted, it is listed as 逾期未公示 (due 2026-11-30, not done) every day of December, as
    taizhang's wall board is; `county dianti post` ends it. October owes nothing: the dianti
    data begin on 10 November."""
    setup_county(init_county, tmp_path)
    add(county_cli, "市场信息咨询", now="2026-11-10T09:00")

    def duties(*args):
        return [(x["unit"], x["kind"], x["title"], x["due_on"], x["done"])
                for x in county_cli("duties", *args, "--json").data]

    assert duties("--now", "2026-11-30T20:00") == [
        ("sn.th.hf", "board", "更新点题服务公开栏 2026-11", "2026-11-30", False)]
    overdue = [("sn.th.hf", "board", "更新点题服务公开栏（逾期未公示） 2026-11", "2026-11-30", False)]
    assert duties("--now", "2026-12-01T08:00") == overdue
    assert duties("--date", "2026-12-30") == overdue
    assert duties("--date", "2026-11-15") == []  # October: before the data began
    county_cli("dianti", "post", "--unit", "sn.th", "--period", "2026-11", "--now", "2026-12-02T09:00")
    assert duties("--date", "2026-12-03") == []
    # December not posted: on 1 January it is overdue (the year's awards are due on 31 December only)
    assert duties("--date", "2027-01-01") == [
        ("sn.th.hf", "board", "更新点题服务公开栏（逾期未公示） 2026-12", "2026-12-31", False)]


def test_a_missed_quarterly_board_is_overdue_through_the_next_quarter(county_cli, init_county, tmp_path):
    setup_county(init_county, tmp_path, TOML + '\n[plugins.dianti]\nboard_period = "quarter"\n')
    add(county_cli, "生猪防疫", now="2026-02-27T09:00")
    got = county_cli("duties", "--date", "2026-06-29", "--json").data
    assert [(x["title"], x["due_on"], x["subject"], x["done"]) for x in got] == [
        ("更新点题服务公开栏（逾期未公示） 2026Q1", "2026-03-31", "2026Q1", False)]
