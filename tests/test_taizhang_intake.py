"""taizhang 建账 and 议账: ledgers, channels, the five visits, the ledger sheet, deliberation,
return visits, and the conformance suite."""

import json
from pathlib import Path

import pytest

from click.testing import CliRunner

import plugins.taizhang
from framework.cli.main import cli as county_root
from framework.errors import CountyError
from framework.testing.conformance import MethodConformance

TOML = (Path(plugins.taizhang.__file__).parent / "data" / "zhongjiang.toml").read_text(encoding="utf-8")


class TestConformance(MethodConformance):
    method = "taizhang"


def add(run, *args, ok=True, now="2026-11-02T10:00"):
    return run("case", "add", "--method", "taizhang", "--now", now, *args, ok=ok)


# -- WE-03: ledger classification (L9, L35) -------------------------------------------------

WE03 = {
    # 民生台账 (L35)
    "经济发展": "livelihood", "土地流转": "livelihood", "产业结构调整": "livelihood", "危房改造": "livelihood",
    "养老保险": "livelihood", "医疗保险": "livelihood", "农电改造": "livelihood", "基础设施建设": "livelihood",
    # 困难群众台账 (L35)
    "低保": "needy", "五保": "needy", "重度残疾人": "needy", "其他低收入困难户": "needy",
    # 稳定工作台账 (L35)
    "劳教释放人员": "stability", "因迁移引发纠纷": "stability",
    # L9 ranges; ASSUMPTIONS (WE-03, not stated in the text): dispute and repeated petitioner -> stability,
    # road / water / bridge building -> livelihood
    "邻里纠纷": "stability", "老上访": "stability", "修路": "livelihood", "引水": "livelihood", "架桥": "livelihood",
}


def test_we03_topics_are_filed_in_their_ledger(make_county):
    county = make_county(TOML, now="2026-11-02T10:00")
    for topic, ledger in WE03.items():
        c = county.add_case("taizhang", "zj.nh.sq", f"{topic}问题", channel="contact_card", fields={"topic": topic})
        assert c.category == ledger, topic
        assert [e.type for e in c.events][:2] == ["registered", "triaged"]
    # one village's books (L35): 56 livelihood, 146 needy, 2 stability
    books_l35 = {"livelihood": 56, "needy": 146, "stability": 2}
    topics = {"livelihood": "土地流转", "needy": "低保", "stability": "因迁移引发纠纷"}
    for ledger, n in books_l35.items():
        for i in range(n):
            county.add_case("taizhang", "zj.fx.llg", f"{ledger}{i}", fields={"topic": topics[ledger]})
    r = CliRunner().invoke(county_root, ["taizhang", "ledger", "--unit", "zj.fx.llg", "--json", "--db", county.store.path])
    assert r.exit_code == 0, r.output
    books = {b["ledger"]: b["count"] for b in json.loads(r.stdout)["ledgers"]}
    assert books == {"livelihood": 56, "needy": 146, "stability": 2}
    assert sum(books.values()) == 204


def test_explicit_category_wins_and_is_required(make_county):
    county = make_county(TOML, now="2026-11-02T10:00")
    c = county.add_case("taizhang", "zj.fx.llg", "x", category="needy", fields={"topic": "土地流转"})
    assert c.category == "needy" and "triaged" not in [e.type for e in c.events]
    with pytest.raises(CountyError, match="--category: a taizhang case goes into one ledger"):
        county.add_case("taizhang", "zj.fx.llg", "x")
    with pytest.raises(CountyError, match="--set topic=打麻将: no ledger is known"):
        county.add_case("taizhang", "zj.fx.llg", "x", fields={"topic": "打麻将"})


def test_left_behind_ledgers_are_off_by_default(init_county):
    run = init_county(TOML)
    r = add(run, "--unit", "zj.fx.llg", "--title", "留守儿童无人照看", "--category", "left_behind_children", ok=2)
    assert "left-behind ledger 留守儿童台账 is off" in r.stderr
    r = add(run, "--unit", "zj.fx.llg", "--title", "x", "--set", "topic=留守老人", ok=2)
    assert "left_behind_ledgers = true" in r.stderr


def test_left_behind_ledgers_switched_on_by_list(init_county):
    run = init_county(TOML.replace("left_behind_ledgers = false", 'left_behind_ledgers = ["left_behind_elderly"]'))
    c = add(run, "--unit", "zj.fx.llg", "--title", "独居老人", "--set", "topic=留守老人", "--json").data
    assert c["category"] == "left_behind_elderly"
    add(run, "--unit", "zj.fx.llg", "--title", "x", "--category", "left_behind_women", ok=2)
    books = run("taizhang", "ledger", "--unit", "zj.fx", "--json").data["ledgers"]
    assert [(b["ledger"], b["title_zh"], b["count"]) for b in books] == [
        ("livelihood", "民生台账", 0), ("needy", "困难群众台账", 0), ("stability", "稳定工作台账", 0),
        ("left_behind_elderly", "留守老人台账", 1)]


# -- channels and the five visits (L25) -------------------------------------------------------

@pytest.mark.parametrize("visit, question", [
    ("capable_person", "问发展"), ("veteran", "问良策"), ("petitioner", "问情由"),
    ("poor_household", "问所难"), ("villager", "问民需"),
])
def test_five_visits_record_the_question(init_county, visit, question):
    run = init_county(TOML)
    c = add(run, "--unit", "zj.fx.llg", "--title", "走访", "--category", "livelihood", "--channel", "five_visits",
            "--set", f"visit_type={visit}", "--json").data
    assert c["channel"] == "five_visits"
    assert (c["extra"]["visit_type"], c["extra"]["visit_question"]) == (visit, question)


def test_channel_rules(init_county):
    run = init_county(TOML)
    for ch in ("contact_card", "hotline", "mailbox", "info_board", "letters_visits"):
        assert add(run, "--unit", "zj.fx.llg", "--title", ch, "--category", "needy", "--channel", ch, "--json").data["channel"] == ch
    r = add(run, "--unit", "zj.fx.llg", "--title", "x", "--category", "needy", "--channel", "five_visits", ok=2)
    assert "--set visit_type" in r.stderr and "capable_person=能人" in r.stderr
    r = add(run, "--unit", "zj.fx.llg", "--title", "x", "--category", "needy", "--channel", "hotline",
            "--set", "visit_type=veteran", ok=2)
    assert "only for --channel five_visits" in r.stderr
    r = add(run, "--unit", "zj.fx.llg", "--title", "x", "--category", "needy", "--channel", "wechat", ok=2)
    assert "'wechat' is not a channel of taizhang" in r.stderr
    r = add(run, "--unit", "zj.fx.llg", "--title", "x", "--category", "needy", "--set", "visit_question=问发展", ok=2)
    assert "set by the taizhang method itself" in r.stderr


def test_taken_in_only_by_a_village_or_community(init_county):
    run = init_county(TOML)
    r = add(run, "--unit", "zj.fx", "--title", "x", "--category", "needy", ok=2)
    assert "--unit zj.fx: taizhang cases are taken in by a village or community" in r.stderr
    c = add(run, "--unit", "zj.fx.jq", "--title", "社区事项", "--category", "needy", "--json").data
    assert (c["level"], c["unit"], c["handler"]) == ("village", "zj.fx.jq", None)  # no secretary in the community


def test_ledger_sheet_fields(init_county):
    """一事、一记、一档 (L25): requester, contact, demand and cause, handling opinion, opinion of the
    result, responsible person."""
    run = init_county(TOML)
    c = add(run, "--unit", "zj.fx.llg", "--title", "三社土地撂荒", "--category", "livelihood",
            "--channel", "five_visits", "--requester-name", "王长贵", "--requester-phone", "13812345678",
            "--set", "visit_type=capable_person", "--set", "requester_profile=三社种田老把式",
            "--set", "request_and_cause=外出务工人员多，土地撂荒严重", "--set", "responsible_person=llg-wy",
            "--json").data
    assert c["requester"]["name"] == "王长贵" and c["requester"]["phone"] == "13812345678"
    assert c["extra"]["request_and_cause"] == "外出务工人员多，土地撂荒严重"
    assert c["handler"] == "llg-wy"  # the sheet's responsible person, a cadre of this village
    cid = c["id"]
    # WE-01: the two committees deliberate two days later (D2), before the 5-day limit
    d = run("taizhang", "deliberate", cid, "--decision", "土地流转、入股、租赁，引进业主种植瓜蒌",
            "--measures", "建设瓜蒌种植基地", "--now", "2026-11-04T19:00", "--json").data
    assert d["status"] == "in_progress"
    assert d["extra"]["handling_opinion"] == "土地流转、入股、租赁，引进业主种植瓜蒌"
    assert d["extra"]["work_measures"] == "建设瓜蒌种植基地"
    ev = d["events"][-1]
    assert (ev["type"], ev["at"], ev["level"]) == ("deliberated", "2026-11-04T19:00:00+08:00", "village")
    assert ev["data"]["participants"] == "村两委、党员、村民代表"
    assert d["due_at"] == "2026-11-07T23:59:59+08:00"  # deliberation does not move the deadline
    u = run("taizhang", "update", cid, "--set", "result=种植近800亩", "--set", "requester_feedback=满意",
            "--now", "2026-11-06T10:00", "--json").data
    assert (u["extra"]["result"], u["extra"]["requester_feedback"]) == ("种植近800亩", "满意")
    assert u["events"][-1]["type"] == "ledger_updated" and u["events"][-1]["data"] == {
        "result": "种植近800亩", "requester_feedback": "满意"}
    r = run("taizhang", "update", cid, "--set", "reply_due_at=2026-12-01", ok=2)
    assert "not a ledger sheet field" in r.stderr


def test_deliberate_and_callback_refusals(init_county):
    run = init_county(TOML)
    cid = add(run, "--unit", "zj.fx.llg", "--title", "x", "--category", "needy", "--json").data["id"]
    r = run("taizhang", "callback", cid, "--satisfaction", "satisfied", ok=1)
    assert "a return visit (回访) follows a settled case" in r.stderr
    run("case", "resolve", cid, "--note", "已纳入低保", "--now", "2026-11-03T10:00")
    r = run("taizhang", "deliberate", cid, "--decision", "x", ok=1)
    assert "only an open case is deliberated" in r.stderr
    r = run("taizhang", "deliberate", "zj-999999", "--decision", "x", ok=2)
    assert "unknown case 'zj-999999'" in r.stderr
    c = run("taizhang", "callback", cid, "--satisfaction", "basically", "--note", "基本满意，希望提高标准",
            "--now", "2026-11-20T10:00", "--json").data
    ev = c["events"][-1]
    assert (ev["type"], ev["data"], ev["note"]) == ("callback", {"satisfaction": "basically"}, "基本满意，希望提高标准")
    assert c["status"] == "resolved"  # a return visit does not change the status
    r = run("taizhang", "callback", cid, "--satisfaction", "great", ok=2)
    assert "great" in r.stderr


def test_command_output_names_status_tier_unit_and_person_in_chinese(init_county):
    """What an operator reads from `county taizhang deliberate`: 状态 办理中, 层级 村(社区), the
    village and the secretary by name, each code after its name; --json keeps the codes only."""
    run = init_county(TOML)
    cid = add(run, "--unit", "zj.fx.llg", "--title", "土地撂荒", "--category", "livelihood", "--json").data["id"]
    out = run("taizhang", "deliberate", cid, "--decision", "发展瓜蒌产业", "--now", "2026-11-04T10:00").stdout
    assert out.splitlines() == [
        f"{cid}  [民生台账] 土地撂荒",
        "  状态 办理中 in_progress，层级 村(社区) village，单位 柳林沟村 zj.fx.llg，责任人 杨书记 llg-sj",
        "  2026-11-04T10:00:00+08:00  议账 deliberated  发展瓜蒌产业"]
    data = run("taizhang", "update", cid, "--set", "result=x", "--now", "2026-11-04T11:00", "--json").data
    assert (data["status"], data["level"], data["unit"], data["handler"]) == ("in_progress", "village", "zj.fx.llg", "llg-sj")


def test_plugin_declares_itself(init_county):
    run = init_county(TOML)
    info = run("plugins", "show", "taizhang", "--json").data
    assert [t["name"] for t in info["tiers"]] == ["village", "township", "ledger_office", "department",
                                                  "joint_meeting", "county_leadership"]
    assert set(info["stages"]) == {"intake", "triage", "assignment", "deadline", "publicity", "appraisal"}
    assert info["categories"]["livelihood"] == "民生台账" and info["channels"]["five_visits"] == "五访五问"
    assert {s["name"]: s["default"] for s in info["settings"]}["township_clock"] == "arrival"
