"""daiban (Xupu, casebook L225): the township agency centre's staffing checked both ways, and
what people see (issue 16).

L225: "在乡镇建立代办中心，安排1名乡镇党政领导担任主任，抽调3—4名乡镇工作人员担任代办员" — exactly
one director (role centre_director) and 3 or 4 staff agents (role agent at the township; the
director is not counted among them even if also an agent). Counted by hand from the sample
deployment (plugins/daiban/data/xupu.toml): 袱水湾乡 xp.fsw has director wang and agents c1,
c2, c3 (3: matches); 低庄镇 xp.dz has neither (no director, 0 agents).
"""

import re
from pathlib import Path

import pytest

import plugins.daiban

TOML = (Path(plugins.daiban.__file__).parent / "data" / "xupu.toml").read_text(encoding="utf-8")
TOO_FEW = "，少于3名（应抽调3—4名乡镇工作人员）"
TOO_MANY = "，多于4名（应抽调3—4名乡镇工作人员）"


@pytest.fixture
def cli(init_county):
    return init_county(TOML)


def people(cli, tmp_path, rows):
    f = tmp_path / "people.csv"
    f.write_text("id,name,unit,roles\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    cli("people", "import", f)


def centres(cli):
    return {t["code"]: (t["director"], t["agents"], t["ok"], t["findings"])
            for t in cli("daiban", "coverage", "--json").data["townships"]}


def test_township_centre_staffing_both_ways(cli, tmp_path):
    got = centres(cli)
    assert got["xp.fsw"] == (["wang"], ["c1", "c2", "c3"], True, [])
    assert got["xp.dz"] == ([], [], False, [
        {"code": "no_director", "message": "未设乡代办中心主任（应由1名乡镇党政领导担任）"},
        {"code": "too_few_agents", "message": "代办员0名" + TOO_FEW}])
    # the director doing errands too is still not one of the 3–4 staff
    people(cli, tmp_path, ["wang,王乡长,xp.fsw,centre_director;agent"])
    assert centres(cli)["xp.fsw"] == (["wang"], ["c1", "c2", "c3"], True, [])
    # a fourth agent: 4 is within 3–4
    people(cli, tmp_path, ["c4,郑干事,xp.fsw,agent"])
    assert centres(cli)["xp.fsw"][1:3] == (["c1", "c2", "c3", "c4"], True)
    # a fifth: more than 4 is a finding too (not only "fewer than 3")
    people(cli, tmp_path, ["c5,孙干事,xp.fsw,agent"])
    assert centres(cli)["xp.fsw"] == (["wang"], ["c1", "c2", "c3", "c4", "c5"], False, [
        {"code": "too_many_agents", "message": "代办员5名" + TOO_MANY}])
    # two directors
    people(cli, tmp_path, ["li2,李副乡长,xp.fsw,centre_director"])
    assert centres(cli)["xp.fsw"][3] == [
        {"code": "several_directors", "message": "乡代办中心主任2名（李副乡长（li2）、王乡长（wang）），应为1名"},
        {"code": "too_many_agents", "message": "代办员5名" + TOO_MANY}]
    # 低庄镇 gets a director and one agent: still too few
    people(cli, tmp_path, ["dz1,刘镇长,xp.dz,centre_director", "dz2,黄干事,xp.dz,agent"])
    assert centres(cli)["xp.dz"] == (["dz1"], ["dz2"], False, [
        {"code": "too_few_agents", "message": "代办员1名" + TOO_FEW}])
    human = cli("daiban", "coverage").output.splitlines()
    assert human[0] == "村民小组4个，有代办员的2个"
    assert "  村代办室无代办员  xp.dz.yx  杨兴村" in human
    assert ("  乡代办中心 xp.fsw 袱水湾乡：主任 li2、wang，代办员5名 — 不符合：乡代办中心主任2名（李副乡长（li2）、"
            "王乡长（wang）），应为1名；代办员5名" + TOO_MANY) in human
    assert "  乡代办中心 xp.dz 低庄镇：主任 dz1，代办员1名 — 不符合：代办员1名" + TOO_FEW in human


def test_boards_carry_no_line_numbers(cli):
    """L229/L231 stay in the README: the ledger, the ranking and the milestone note have none."""
    c = cli("case", "add", "--method", "daiban", "--unit", "xp.fsw.lh.g1", "--title", "代办户口簿",
            "--now", "2013-03-04T09:00", "--requester-name", "刘某某", "--json").data
    cli("daiban", "sign", c["id"], "--satisfaction", "satisfied", "--outcome", "已办", "--now", "2013-03-04T18:00")
    for period in ("2013-03", "2013"):
        boards = [b for b in cli("board", "--unit", "xp.fsw", "--period", period, "--now", "2013-12-31T12:00",
                                 "--json").data if b["method"] == "daiban"]
        assert len(boards) == (1 if period == "2013-03" else 2)
        for fmt in ("md", "csv", "html"):
            text = cli("board", "--unit", "xp.fsw", "--period", period, "--format", fmt,
                       "--now", "2013-12-31T12:00").output
            assert not re.search(r"L\d{2,3}", text), (period, fmt)
    d = cli("case", "add", "--method", "daiban", "--unit", "xp.fsw.lh.g1", "--title", "寄包裹",
            "--now", "2013-03-05T09:00", "--json").data
    acts = cli("sweep", "--now", "2013-03-06T09:00:01", "--json").data["actions"]
    assert [a["case"] for a in acts] == [d["id"]]
    labels = [m["label"] or "" for m in cli("appraise", "--period", "2013", "--now", "2013-12-31T12:00",
                                            "--json").data if m["method"] == "daiban"]
    assert labels and not any(re.search(r"L\d{2,3}", x) for x in labels)


def test_milestone_note_names_the_rule_without_line_numbers(make_county):
    county = make_county(TOML, now="2013-03-04T09:00")
    a = county.add_case("daiban", "xp.fsw.lh.g1", "代办户口簿", fields={"scope": "county"})
    b = county.add_case("daiban", "xp.fsw.lh.g1", "寄包裹", fields={"promise": "6h"})
    ms = county.ctx("daiban").milestones
    assert [m.note for m in ms.of(a.id)] == ["需到县城办理的事项，4天内必须办结回复"]
    assert [(m.note, m.due_at.isoformat()) for m in ms.of(b.id)] == [
        ("代办员承诺6小时办结回复（在乡镇能够办理的事项，24小时必须办结回复）", "2013-03-04T15:00:00+08:00")]
