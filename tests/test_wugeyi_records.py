"""wugeyi's own records, boards, duties and figures through the CLI on the sample deployment
(plugins/contrib/wugeyi/data/chengde.toml): the opinion database (一村一册、一户一页 and the four
segments, L124), the 1–2 liaisons per village (L124), the heart-link card with the 96096 hotline
(L128), monthly talks (月月谈, L126), result feedback (结果反馈制, L126), supervision notices
(监督奖惩制, L126) and the 98 % completion target (L118). Every figure is counted by hand from
the October 2024 story built once for the module.
"""

from __future__ import annotations

import json

import pytest

from framework.testing import CountyRunner
from tests.test_wugeyi_time import TOML


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wugeyi-records")
    run = CountyRunner(tmp / "county.db").init(TOML)
    # 南沟村's two households come from a file in Q3 (2024-09-20)
    (tmp / "ng.csv").write_text("id,unit,head,segment,members,housing\nNG-01,cd.sf.ng,邵长顺,一般村民,4,砖瓦房\n"
                                "NG-02,cd.sf.ng,祁老汉,poor,1,\n", encoding="utf-8")
    run("wugeyi", "household", "import", tmp / "ng.csv", "--now", "2024-09-20T09:00")
    # 峰北村's book in Q4: its page and one household of each segment
    run("wugeyi", "village", "set", "cd.sf.fb", "--basic", "山区村，8个村民组", "--committee", "两委班子7人",
        "--stability", "一户宅基地纠纷在调处", "--now", "2024-10-01T09:00")
    for hid, head, seg in (("FB-01", "田有福", "ordinary"), ("FB-02", "方大成", "wealth_expert"),
                           ("FB-03", "石长贵", "poor"), ("FB-04", "葛宝山", "petitioner")):
        run("wugeyi", "household", "set", hid, "--unit", "cd.sf.fb", "--head", head, "--segment", seg,
            "--phone", "13712345678", "--now", "2024-10-01T09:00")
    run("wugeyi", "centre", "--unit", "cd.sf", "--hotline", "0314-2345678", "--now", "2024-10-01T09:00")
    run("wugeyi", "card", "issue", "--unit", "cd.sf.fb", "--now", "2024-10-08T10:00")
    run("wugeyi", "talk", "add", "--unit", "cd.sf.fb", "--cadre", "sf-03", "--household", "FB-03",
        "--note", "了解低保户生活情况", "--now", "2024-10-09T19:00")

    def add(now, unit, receiver, *sets, title="事项"):
        args = ["case", "add", "--method", "wugeyi", "--unit", unit, "--title", title, "--requester-name", "石长贵",
                "--requester-phone", "13712345678", "--set", f"receiver={receiver}", "--now", now, "--json"]
        for kv in sets:
            args += ["--set", kv]
        return run(*args).data["id"]

    a = add("2024-10-09T19:20", "cd.sf.fb", "sf-03", "talk=1", "on_the_spot=yes", title="政策咨询")
    b = add("2024-10-09T19:30", "cd.sf.fb", "sf-03", "talk=1", "household=FB-03", "matter=civil_affairs",
            title="申请低保")
    c = add("2024-10-10T10:00", "cd.sf.fb", "fb-01", "matter=certificate", title="开具证明")
    d = add("2024-10-14T10:00", "cd.sf", "sf-01", title="林权登记")
    e = add("2024-10-20T10:00", "cd.sf.ng", "ng-01", title="宅基地审批")
    run("case", "resolve", b, "--note", "代办员办妥", "--now", "2024-10-11T16:00")
    run("case", "resolve", c, "--note", "已开具", "--now", "2024-10-11T17:00")
    run("case", "resolve", d, "--note", "已登记", "--now", "2024-10-16T11:00")
    run("wugeyi", "feedback", b, "--text", "已上门告知", "--now", "2024-10-12T09:00")
    run("wugeyi", "feedback", d, "--text", "电话告知", "--now", "2024-10-17T09:00")
    run("wugeyi", "conduct", "add", "--person", "ng-01", "--reason", "buck_passing", "--case", e,
        "--now", "2024-10-25T09:00")
    run("wugeyi", "conduct", "add", "--person", "sf-03", "--reason", "群众反映较好", "--now", "2024-10-26T09:00")
    run.ids = dict(zip("abcde", (a, b, c, d, e)))
    return run


def test_the_book_one_page_per_household_and_four_segments(run):
    bk = run("wugeyi", "book", "cd.sf.fb", "--json").data
    assert bk["village"]["basic"] == "山区村，8个村民组" and bk["village"]["economy"] is None
    assert [h["id"] for h in bk["households"]] == ["FB-01", "FB-02", "FB-03", "FB-04"]
    assert bk["segments"] == {"ordinary": 1, "wealth_expert": 1, "poor": 1, "petitioner": 1}
    assert bk["liaisons"] == ["fb-02"]
    poor = run("wugeyi", "household", "list", "--unit", "cd.sf", "--segment", "贫困户", "--json").data
    assert [(h["id"], h["members"]) for h in poor] == [("FB-03", None), ("NG-02", 1)]
    human = run("wugeyi", "book", "cd.sf.ng").stdout
    assert "一般村民1户，致富能手0户，贫困户1户，信访户0户；民情联络员 3 名" in human


def test_a_bad_import_row_names_file_line_and_loads_nothing(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,unit,head,segment\nDY-01,cd.sf.dy,毛大,ordinary\nDY-02,cd.sf.dy,毛二,rich\n", encoding="utf-8")
    r = run("wugeyi", "household", "import", bad, "--now", "2024-10-02T09:00", ok=2)
    assert f"{bad}:3" in r.stderr and "segment" in r.stderr
    assert run("wugeyi", "household", "list", "--unit", "cd.sf.dy", "--json").data == []


def test_one_to_two_liaisons_per_village(run):
    rows = run("wugeyi", "liaisons", "--unit", "cd.sf", "--json").data
    assert [(r["unit"], r["liaisons"], r["finding"]) for r in rows] == [
        ("cd.sf.dy", 0, "none"), ("cd.sf.fb", 1, "ok"), ("cd.sf.ng", 3, "too_many")]


def test_the_heart_link_card_printed_and_public(run):
    card = run("wugeyi", "card", "show", "FB-01", "--json").data
    assert [(c["post"], c["name"], c["phone"]) for c in card["contacts"]] == [
        ("乡镇党委书记", "韩书记", "13900311001"), ("乡镇长", "曲镇长", "13900311002"),
        ("便民服务中心工作人员", "高干事", "13900311003"), ("村“两委”班子成员", "孟村干", "13900311011"),
        ("村“两委”班子成员", "武联络", "13900311012")]
    assert (card["head"], card["hotline"], card["centre_hotline"], card["issued_on"]) == (
        "田有福", "96096", "0314-2345678", "2024-10-08")
    assert card["services"] == "政策咨询、事务办理、困难帮扶、产业指导、矛盾调解"
    public = run("wugeyi", "card", "show", "FB-01", "--public", "--json").data
    assert (public["head"], public["contacts"][0]["phone"], public["centre_hotline"]) == (
        "田某", "139****1001", "0314-***5678")
    # issuing again gives nobody a second card (一户一张)
    assert run("wugeyi", "card", "issue", "--unit", "cd.sf.fb", "--now", "2024-10-20T10:00", "--json").data == {
        "issued": []}


def test_talks_list_the_matters_raised(run):
    talks = run("wugeyi", "talk", "list", "--unit", "cd.sf", "--period", "2024-10", "--json").data
    assert [(t["id"], t["unit"], t["cadre"], t["kind"], t["matters"]) for t in talks] == [
        (1, "cd.sf.fb", "sf-03", "scheduled", [run.ids["a"], run.ids["b"]])]
    # a cadre of 南沟村 does not talk at 峰北村
    r = run("wugeyi", "talk", "add", "--unit", "cd.sf.fb", "--cadre", "ng-01", "--now", "2024-10-09T20:00", ok=2)
    assert "--cadre ng-01" in r.stderr


def test_feedback_only_once_resolved(run):
    r = run("wugeyi", "feedback", run.ids["e"], "--text", "还在办", "--now", "2024-10-21T09:00", ok=1)
    assert "still" in r.stderr


def test_duties_monthly_talk_and_the_books_upkeep(run):
    duties = run("duties", "--date", "2024-10-31", "--unit", "cd.sf", "--json").data
    assert sorted((d["unit"], d["kind"], d["done"], d["subject"]) for d in duties if d["method"] == "wugeyi") == [
        ("cd.sf.dy", "monthly_talk", False, "2024-10"), ("cd.sf.fb", "monthly_talk", True, "2024-10"),
        ("cd.sf.ng", "monthly_talk", False, "2024-10")]
    # the quarter's last day: each village with a book owes an update in the quarter (东营村 has none)
    q3 = run("duties", "--date", "2024-09-30", "--unit", "cd.sf", "--json").data
    assert [(d["unit"], d["done"], d["subject"]) for d in q3 if d["kind"] == "profile_review"] == [
        ("cd.sf.ng", True, "2024Q3")]
    q4 = run("duties", "--date", "2024-12-31", "--unit", "cd.sf", "--json").data
    assert [(d["unit"], d["done"], d["subject"]) for d in q4 if d["kind"] == "profile_review"] == [
        ("cd.sf.fb", True, "2024Q4"), ("cd.sf.ng", False, "2024Q4")]
    assert run("duties", "--date", "2024-10-30", "--unit", "cd.sf", "--json").data == []


def test_the_figures_of_october(run):
    got = {m["metric"]: (m["numerator"], m["denominator"], m["value"])
           for m in run("appraise", "--unit", "cd.sf", "--period", "2024-10", "--now", "2024-11-01T09:00",
                        "--json").data if m["method"] == "wugeyi" and m["subject"] == "cd.sf"}
    assert got["completion_rate"] == (4, 5, 0.8)  # a, b, c, d of five (L118)
    assert got["completion_target"][2] == 0.98 and got["completion_target_met"][2] == 0.0
    # the proxy errands (a township matter taken in at a village, L122) b and c; a was answered on
    # the spot, d resolved at the township centre
    assert got["proxy_share"] == (2, 4, 0.5)
    assert got["first_receiver_rate"][:2] == (2, 3)  # c and d by their receivers; b by the proxy agent
    assert got["feedback_rate"][:2] == (2, 3)  # b and d
    assert got["talk_coverage"][:2] == (1, 3) and got["book_coverage"][:2] == (1, 3)
    assert got["liaison_rate"][:2] == (1, 3)  # only 峰北村 has 1–2
    assert got["card_coverage"][:2] == (4, 6)
    assert [got[f"households_{s}"][2] for s in ("ordinary", "wealth_expert", "poor", "petitioner")] == [
        2.0, 1.0, 2.0, 1.0]
    assert (got["criticised"][2], got["commended"][2]) == (1.0, 1.0)


def test_talk_coverage_counts_village_months_come_so_far(run):
    """每月 (L126): on 2024-11-30 the year owes January–October (November is owed once its last
    day is over, conventions §2): 3 villages × 10 months, one talk (峰北村, October) — 1/30, not
    1/3 (found by an inspector); on 12-01 November too, 1/33; the month itself 1/3; a day that
    is no month's last day has none due."""
    def coverage(period, now):
        return next((m["numerator"], m["denominator"]) for m in run(
            "appraise", "--unit", "cd.sf", "--period", period, "--now", now, "--json").data
            if m["method"] == "wugeyi" and m["subject"] == "cd.sf" and m["metric"] == "talk_coverage")
    assert coverage("2024", "2024-11-30T12:00") == (1, 30)
    assert coverage("2024", "2024-12-01T00:00") == (1, 33)
    assert coverage("2024-10", "2024-11-30T12:00") == (1, 3)
    assert coverage("2024-10-09", "2024-11-30T12:00") == (0, 0)


def test_boards_masked(run):
    out = run("board", "--unit", "cd.sf", "--period", "2024-10", "--format", "json", "--now", "2024-11-01T09:00")
    boards = [b for b in json.loads(out.stdout) if b["method"] == "wugeyi"]
    assert [(b["title"], [len(s["rows"]) for s in b["sections"]]) for b in boards] == [
        ("双峰寺镇五个一乡镇便民服务体系事项办理台账（2024-10）", [5]), ("双峰寺镇监督奖惩通报（2024-10）", [2]),
        ("峰北村连心卡", [7, 4]), ("南沟村连心卡", [6, 2])]
    # the card's face: 3 township people + the village's two-committee members (峰北村 2, 南沟村 1)
    # + the 96096 line + the centre's line; the register: one row per household page
    ledger = {r["case_id"]: r for r in boards[0]["sections"][0]["rows"]}
    b = ledger[run.ids["b"]]
    assert (b["receiver"], b["tier"], b["handler"], b["segment"], b["feedback"], b["requester"]) == (
        "高干事", "村便民服务站（代办）", "孟村干（会办：高干事）", "贫困户", "已反馈", "石某")
    assert ledger[run.ids["a"]]["feedback"] == "当场解决"
    notices = boards[1]["sections"][0]["rows"]
    assert [(n["person"], n["kind"], n["reason"]) for n in notices] == [
        ("段村干", "通报批评", "推诿扯皮"), ("高干事", "表彰奖励", "群众反映较好")]
    text = out.stdout
    assert "石长贵" not in text and "田有福" not in text and "13712345678" not in text and "13900311001" not in text
    assert "田某" in text and "96096" in text


def test_the_five_village_and_six_household_record_fields(run):
    # 村情: 村庄基本情况、“两委”班子状况、经济发展、党建、社会稳定; 户情: six fields (L124)
    human = run("wugeyi", "book", "cd.sf.fb").stdout
    assert [ln.split("：")[0].strip() for ln in human.splitlines()[1:6]] == [
        "村庄基本情况", "“两委”班子状况", "经济发展", "党建", "社会稳定"]
    page = run("wugeyi", "household", "set", "FB-04", "--family", "三口之家", "--employment-income", "外出务工",
               "--housing", "砖房", "--social-security", "新农保", "--family-planning", "独生子女户",
               "--hardship-disputes", "宅基地纠纷", "--now", "2024-10-02T09:00", "--json").data
    assert [page[k] for k in ("family", "employment_income", "housing", "social_security", "family_planning",
                              "hardship_disputes", "segment", "head")] == [
        "三口之家", "外出务工", "砖房", "新农保", "独生子女户", "宅基地纠纷", "petitioner", "葛宝山"]
