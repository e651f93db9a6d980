"""dianti: the centres against the casebook's stated make-up, the year-end awards duty, and what
people see (issue 16).

Casebook (original, seeds/000):

* L81 服务协调中心: "以推行村干部轮流坐班制度为基础，建立群众服务需求登记窗口" — the window is
  staffed in turn by the village's cadres: a rota entry takes only a cadre (role village_cadre,
  or village_party_secretary) whose unit lies in that village.
* L83 服务监督中心: "以村监事会成员为主体，吸收部分知名人士参加" — members of the village
  supervisory board (role supervisor, of that village) as its main body (read: more than half
  of its members) plus some notables (role notable). And "每年度通过召开党员大会、村民代表大会
  的方式…进行一次…评选表彰" — the yearly awards, a duty on 31 December.
* Public boards carry no casebook line numbers; operator labels are Chinese, codes in --json.

Fixture: the 华丰村 register of test_dianti_assignment (cadres c1 王坐班 on Mondays, c2 刘坐班 on
Tuesdays; 赵监督 s1, supervisory board, leading the supervision centre) plus the people below.
"""

from __future__ import annotations

import json
import re

try:
    from tests.test_dianti_assignment import TOML, setup_county
    from tests.test_dianti_evaluation import build
except ImportError:  # tests/ not a package on sys.path
    from test_dianti_assignment import TOML, setup_county
    from test_dianti_evaluation import build

PEOPLE = """
[[people]]
id = "d1"
name = "孙坐班"
unit = "sn.th.dgx"
roles = ["village_cadre"]
[[people]]
id = "t1"
name = "钱镇干"
unit = "sn.th"
roles = ["township_cadre"]
[[people]]
id = "p1"
name = "牟书记"
unit = "sn.th.hf"
roles = ["village_party_secretary"]
[[people]]
id = "s2"
name = "周监事"
unit = "sn.th.dgx"
roles = ["supervisor"]
[[people]]
id = "s3"
name = "吴监事"
unit = "sn.th.hf"
roles = ["supervisor"]
[[people]]
id = "n1"
name = "冯老师"
unit = "sn.th"
roles = ["notable"]
"""

ROTA_TAIL = "; the window rota takes only the village's own cadres (村干部轮流坐班, L81)\n"
CENTRE_TAIL = ("; the centre is made of the village's supervisory board members with some notables "
               "(以村监事会成员为主体，吸收部分知名人士参加, L83)\n")
NO_LINE_NUMBERS = re.compile(r"L\d{2,3}")


def test_window_rota_takes_only_cadres_of_that_village(county_cli, init_county, tmp_path):
    """L81: each refusal is one line naming the person, the village and what is wrong (both
    when both are); nothing is recorded."""
    setup_county(init_county, tmp_path, TOML + PEOPLE)
    r = county_cli("dianti", "rota", "--unit", "sn.th.hf", "--weekday", "wed", "--person", "s1", ok=2)
    assert r.stderr == "error: --person s1: 赵监督 is not a cadre of 华丰村 (sn.th.hf): has no role village_cadre" + ROTA_TAIL
    r = county_cli("dianti", "rota", "--unit", "sn.th.hf", "--weekday", "wed", "--person", "d1", ok=2)
    assert r.stderr == ("error: --person d1: 孙坐班 is not a cadre of 华丰村 (sn.th.hf): belongs to 东瓜溪村 (sn.th.dgx)"
                        + ROTA_TAIL)
    r = county_cli("dianti", "rota", "--unit", "sn.th.hf", "--weekday", "wed", "--person", "t1", ok=2)
    assert r.stderr == ("error: --person t1: 钱镇干 is not a cadre of 华丰村 (sn.th.hf): belongs to 塘头镇 (sn.th) "
                        "and has no role village_cadre" + ROTA_TAIL)
    centres = county_cli("dianti", "centre", "show", "--unit", "sn.th.hf", "--json").data
    assert [(x["weekday"], x["person"]) for x in centres["rota"]] == [(0, "c1"), (1, "c2")]
    assert [m["person"] for m in centres["coordination"]] == ["c1", "c2"]  # nobody joined
    # the village's party secretary is one of its cadres; 孙坐班 sits at his own village's window
    county_cli("dianti", "rota", "--unit", "sn.th.hf", "--weekday", "wed", "--person", "p1")
    county_cli("dianti", "rota", "--unit", "sn.th.dgx", "--weekday", "mon", "--person", "d1")
    got = county_cli("dianti", "centre", "show", "--unit", "sn.th.hf", "--json").data["rota"]
    assert [(x["weekday"], x["person"]) for x in got] == [(0, "c1"), (1, "c2"), (2, "p1")]


def test_supervision_centre_make_up_refused_and_checked(county_cli, init_county, tmp_path):
    """L83: only the village's supervisory board members and notables sit on it (refused
    otherwise); the board members must be more than half of it (checked: 1 of 2 is not, 2 of 3
    is)."""
    setup_county(init_county, tmp_path, TOML + PEOPLE)
    add = ("dianti", "centre", "add", "--unit", "sn.th.hf", "--centre", "supervision", "--person")
    r = county_cli(*add, "c1", ok=2)
    assert r.stderr == ("error: --person c1: 王坐班 cannot sit on the supervision centre of 华丰村 (sn.th.hf): has neither "
                        "role supervisor (村监事会成员) nor role notable (知名人士)" + CENTRE_TAIL)
    r = county_cli(*add, "s2", ok=2)
    assert r.stderr == ("error: --person s2: 周监事 cannot sit on the supervision centre of 华丰村 (sn.th.hf): is on the "
                        "supervisory board of 东瓜溪村 (sn.th.dgx), not of 华丰村 (sn.th.hf), and has no role notable"
                        + CENTRE_TAIL)
    # the coordination centre has no such rule
    county_cli("dianti", "centre", "add", "--unit", "sn.th.hf", "--centre", "coordination", "--person", "p1")

    def check(*args):
        return county_cli("dianti", "centre", "check", *args, "--json").data

    # s1 alone: 1 board member of 1 → matches; 东瓜溪村 runs nothing yet, so it is not listed
    assert [(r["unit"], r["board"], r["notables"], r["ok"], r["findings"]) for r in check()] == [
        ("sn.th.hf", 1, 0, True, [])]
    # a notable joins (from the township: a notable may come from anywhere): 1 of 2 is no majority
    out = county_cli(*add, "n1").output
    assert out == "冯老师（n1）加入华丰村服务监督中心（成员）\n"
    not_main = {"code": "board_not_main_body", "message": "服务监督中心2人中村监事会成员1人，未过半数（应以村监事会成员为主体）"}
    assert [(r["board"], r["notables"], r["ok"], r["findings"]) for r in check()] == [(1, 1, False, [not_main])]
    # a second board member: 2 of 3
    county_cli(*add, "s3")
    hf = check("--unit", "sn.th.hf")[0]
    assert (hf["board"], hf["notables"], hf["ok"], [m["capacity"] for m in hf["supervision"]]) == (
        2, 1, True, ["board", "notable", "board"])
    assert county_cli("dianti", "centre", "check", "--unit", "sn.th.hf").output == (
        "华丰村（sn.th.hf）服务监督中心：赵监督（村监事会成员，负责人）、冯老师（知名人士）、吴监事（村监事会成员）；"
        "坐班：周一王坐班、周二刘坐班 — 符合\n")
    # what changed since: 吴监事 is no longer on the board, 刘坐班 no longer a cadre
    people = tmp_path / "people.csv"
    people.write_text("id,name,unit,roles\ns3,吴监事,sn.th.hf,\nc2,刘坐班,sn.th.hf,\n", encoding="utf-8")
    county_cli("people", "import", people)
    hf = check("--unit", "sn.th.hf")[0]
    assert (hf["board"], hf["notables"], hf["ok"]) == (1, 1, False)
    assert hf["findings"] == [
        {"code": "supervision_member_ineligible", "message": "服务监督中心成员吴监事（s3）既不是本村村监事会成员，也不是知名人士"},
        {"code": "board_not_main_body", "message": "服务监督中心3人中村监事会成员1人，未过半数（应以村监事会成员为主体）"},
        {"code": "rota_not_cadre", "message": "周二坐班的刘坐班（c2）不是本村村干部"},
    ]
    assert county_cli("dianti", "centre", "check", "--unit", "sn.th.hf").output == (
        "华丰村（sn.th.hf）服务监督中心：赵监督（村监事会成员，负责人）、冯老师（知名人士）、吴监事（不符合条件）；"
        "坐班：周一王坐班、周二刘坐班 — 不符合：服务监督中心成员吴监事（s3）既不是本村村监事会成员，也不是知名人士；"
        "服务监督中心3人中村监事会成员1人，未过半数（应以村监事会成员为主体）；周二坐班的刘坐班（c2）不是本村村干部\n")
    # 东瓜溪村 starts a service group: no supervision centre, nobody on the window
    county_cli("dianti", "group", "add", "--unit", "sn.th.dgx", "--code", "technical")
    dgx = check("--unit", "sn.th")[0]
    assert (dgx["unit"], dgx["ok"], [f["code"] for f in dgx["findings"]]) == (
        "sn.th.dgx", False, ["no_supervision_centre", "no_rota"])
    assert dgx["findings"][0]["message"] == "未建立服务监督中心（应以村监事会成员为主体，吸收部分知名人士参加）"
    assert dgx["findings"][1]["message"] == "服务需求登记窗口未排村干部轮流坐班"


def test_yearly_awards_are_a_year_end_duty(county_cli, make_county):
    """L83 (每年度…评选表彰): on 31 December each village with service groups owes its awards;
    `county dianti awards --year Y --record` records them as decided (not before 1 December).
    Winners from the fixture year of test_dianti_evaluation, computed there by hand:
    livestock 37/9, m1 38/9, s11 (5.0, four ratings)."""
    county, ids = build(make_county)

    def duties(now):
        d = county_cli("duties", "--date", "2026-12-31", "--now", now, "--json").data
        return [(x["unit"], x["kind"], x["title"], x["subject"], x["done"]) for x in d]

    # 华丰村 has groups; 东瓜溪村 none, so it owes nothing. The fixture year posts no board, so
    # November's is still owed (逾期未公示, listed first, every day of December)
    overdue = ("sn.th.hf", "board", "更新点题服务公开栏（逾期未公示） 2026-11", "2026-11", False)
    assert duties("2026-12-31T08:00") == [
        overdue,
        ("sn.th.hf", "evaluation", "点题服务季度效果评价 2026Q4", "2026Q4", False),
        ("sn.th.hf", "board", "更新点题服务公开栏 2026-12", "2026-12", False),
        ("sn.th.hf", "awards", "点题服务年度评选表彰（优质服务小组、优秀服务项目、服务明星） 2026", "2026", False),
    ]
    assert [(x["kind"], x["title"], x["due_on"], x["done"])
            for x in county_cli("duties", "--date", "2026-12-30", "--json").data] == [
        ("board", "更新点题服务公开栏（逾期未公示） 2026-11", "2026-11-30", False)]
    r = county_cli("dianti", "awards", "--year", "2026", "--record", "--now", "2026-11-30T23:59", ok=1)
    assert r.stderr == ("error: --record: the 2026 awards are chosen at the year-end assemblies (党员大会、村民代表大会); "
                        "they cannot be recorded before 2026-12-01 (now 2026-11-30T23:59:00+08:00)\n")
    assert not any(x["recorded"] for x in county_cli("dianti", "awards", "--year", "2026", "--json").data)
    got = county_cli("dianti", "awards", "--year", "2026", "--unit", "sn.th.hf", "--record",
                     "--now", "2026-12-31T09:00", "--json").data
    assert [(a["award"], a["subject"], a["score"], a["recorded"]) for a in got] == [
        ("best_group", "sn.th.hf:livestock", 37 / 9, True), ("service_star", "m1", 38 / 9, True),
        ("best_project", ids["s11"], 5.0, True)]
    assert [x[-1] for x in duties("2026-12-31T10:00")] == [False, False, False, True]
    row = county.ctx("dianti").db.query("select * from dianti_reviews where kind = 'awards'")
    assert [(r["id"], r["period"], r["at"], r["actor"]) for r in row] == [
        ("sn.th.hf:awards:2026", "2026", "2026-12-31T09:00:00+08:00", "tester")]
    assert json.loads(row[0]["note"]) == [
        {"award": "best_group", "subject": "sn.th.hf:livestock", "name": "畜牧技术服务小组", "score": 37 / 9},
        {"award": "service_star", "subject": "m1", "name": "牟仕林", "score": 38 / 9},
        {"award": "best_project", "subject": ids["s11"], "name": "服务s11", "score": 5.0}]
    assert "华丰村 服务明星: 牟仕林（m1），4.22 分（已记录）" in county_cli(
        "dianti", "awards", "--year", "2026", "--unit", "sn.th.hf").output


def test_what_people_see(county_cli, init_county, tmp_path):
    """The public board carries no casebook line numbers; the operator's roles and evaluation
    kinds are Chinese, the codes stay in --json."""
    setup_county(init_county, tmp_path)
    county_cli("case", "add", "--method", "dianti", "--unit", "sn.th.hf", "--title", "生猪防疫",
               "--now", "2026-03-02T10:00")
    board = county_cli("board", "--unit", "sn.th.hf", "--period", "2026-03", "--json").data[0]
    assert board["notes"] == ["由服务监督中心定期公开点题服务项目及措施落实情况，接受群众监督", "服务监督中心：赵监督"]
    for fmt in ("md", "html", "csv"):
        text = county_cli("board", "--unit", "sn.th.hf", "--period", "2026-03", "--format", fmt).output
        assert not NO_LINE_NUMBERS.search(text), fmt
    duties = county_cli("duties", "--date", "2026-12-31", "--json").data
    assert duties and not any(NO_LINE_NUMBERS.search(d["title"]) for d in duties)
    labels = [m["label"] or "" for m in county_cli("appraise", "--period", "2026", "--json").data if m["method"] == "dianti"]
    assert labels and not any(NO_LINE_NUMBERS.search(x) for x in labels)
    shown = county_cli("dianti", "centre", "show", "--unit", "sn.th.hf").output
    assert "服务协调中心: 王坐班（成员）, 刘坐班（成员）\n" in shown and "服务监督中心: 赵监督（负责人）\n" in shown
    assert county_cli("dianti", "centre", "show", "--unit", "sn.th.hf", "--json").data["supervision"][0]["role"] == "leader"
    county_cli("case", "resolve", "sn-000001", "--note", "已防疫", "--now", "2026-03-03T10:00")
    county_cli("dianti", "rate", "sn-000001", "--score", "5", "--now", "2026-03-03T11:00")
    text = county_cli("dianti", "evaluate", "--quarter", "2026Q1", "--unit", "sn.th.hf").output
    assert text.splitlines()[:2] == ["村 华丰村：服务完成 1 件，群众评价 1 件，评分 5.00，好评 1 件",
                                     "服务小组 畜牧技术服务小组：服务完成 1 件，群众评价 1 件，评分 5.00，好评 1 件"]
    data = county_cli("dianti", "evaluate", "--quarter", "2026Q1", "--unit", "sn.th.hf", "--json").data
    assert [r["kind"] for r in data[:2]] == ["village", "group"]
