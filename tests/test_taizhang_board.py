"""taizhang 晒账 (L35): the monthly village board, posted only after the requester signed."""

import json
import re
from pathlib import Path

import pytest

import plugins.taizhang

TOML = (Path(plugins.taizhang.__file__).parent / "data" / "zhongjiang.toml").read_text(encoding="utf-8")


@pytest.fixture
def run(init_county):
    return init_county(TOML)


def add(run, now, title, category, *more, unit="zj.fx.llg"):
    return run("case", "add", "--method", "taizhang", "--unit", unit, "--title", title, "--category", category,
               "--now", now, *more, "--json").data["id"]


@pytest.fixture
def november(run):
    """c3 taken in in October and confirmed in November; c1 taken in, settled and confirmed in
    November; c2 settled in November but not confirmed; c4 taken in in November and escalated;
    c5 belongs to another village."""
    c3 = add(run, "2026-10-25T09:00", "迁坟纠纷", "stability", "--channel", "letters_visits",
             "--requester-name", "李四", "--requester-phone", "13900001111")
    run("case", "resolve", c3, "--note", "调解达成协议", "--now", "2026-10-30T10:00")
    run("case", "confirm", c3, "--satisfaction", "basically", "--note", "基本满意", "--now", "2026-11-03T10:00")
    c1 = add(run, "2026-11-02T10:00", "王长贵反映三社土地撂荒，电话13812345678", "livelihood",
             "--channel", "five_visits", "--set", "visit_type=capable_person",
             "--requester-name", "王长贵", "--requester-phone", "13812345678",
             "--requester-id-number", "510623196501011234")
    run("case", "resolve", c1, "--note", "引进业主种植瓜蒌", "--now", "2026-11-05T16:00")
    run("taizhang", "update", c1, "--set", "result=土地流转，建设瓜蒌基地", "--now", "2026-11-05T17:00")
    run("case", "confirm", c1, "--satisfaction", "satisfied", "--note", "王长贵签字：满意", "--now", "2026-11-06T09:00")
    c2 = add(run, "2026-11-10T10:00", "申请低保", "needy", "--channel", "hotline", "--requester-name", "赵五")
    run("case", "resolve", c2, "--note", "已纳入低保", "--now", "2026-11-20T10:00")
    c4 = add(run, "2026-11-28T10:00", "山坪塘蓄水不足", "livelihood", "--channel", "mailbox")
    run("case", "escalate", c4, "--now", "2026-11-29T10:00")
    c5 = add(run, "2026-11-12T10:00", "修路", "livelihood", unit="zj.nh.sq")
    return c1, c2, c3, c4, c5


def boards(run, unit, period):
    return run("board", "--unit", unit, "--period", period, "--json").data


def test_village_board_for_the_month(run, november):
    c1, c2, c3, c4, c5 = november
    (b,) = boards(run, "zj.fx.llg", "2026-11")
    assert b["title"] == "富兴镇柳林沟村“三本台账”晒账公示（2026年11月）"
    assert (b["method"], b["unit"], b["period"]) == ("taizhang", "zj.fx.llg", "2026-11")
    new, settled = b["sections"]
    assert new["title"] == "本期建账（新登记事项）"
    assert [r["case_id"] for r in new["rows"]] == [c1, c2, c4]
    assert new["rows"][0] == {
        "case_id": c1, "created_on": "2026-11-02", "ledger": "民生台账",
        "title": "王某反映三社土地撂荒，电话138****5678",  # masked by the kernel
        "requester": "王某", "channel": "五访五问（访能人问发展）", "level": "村(社区)", "status": "已确认"}
    assert new["rows"][2]["level"] == "乡镇" and new["rows"][2]["status"] == "已上报"
    assert new["rows"][2]["requester"] is None
    assert settled["title"] == "本期结账（当事群众已签字确认）"
    # c2 was settled but not signed for: not posted. c3 was taken in in October, signed in November.
    assert settled["rows"] == [
        {"case_id": c3, "ledger": "稳定工作台账", "title": "迁坟纠纷", "requester": "李某", "settled_tier": "村(社区)",
         "resolved_on": "2026-10-30", "result": "调解达成协议", "feedback": "基本满意", "satisfaction": "基本满意",
         "confirmed_on": "2026-11-03"},
        {"case_id": c1, "ledger": "民生台账", "title": "王某反映三社土地撂荒，电话138****5678", "requester": "王某",
         "settled_tier": "村(社区)", "resolved_on": "2026-11-05", "result": "土地流转，建设瓜蒌基地",
         "feedback": "王某签字：满意", "satisfaction": "满意", "confirmed_on": "2026-11-06"},
    ]
    assert b["notes"][0] == "本期建账3件（民生台账2件、困难群众台账1件），结账并经当事群众签字确认2件。"


def test_board_never_shows_raw_personal_data(run, november):
    for fmt in ("md", "csv", "html", "json"):
        out = run("board", "--unit", "zj", "--period", "2026-11", "--format", fmt).stdout
        for raw in ("王长贵", "13812345678", "510623196501011234", "李四", "13900001111", "赵五"):
            assert raw not in out, (fmt, raw)
    md = run("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "md").stdout
    assert "# 富兴镇柳林沟村“三本台账”晒账公示（2026年11月）" in md and "| 满意度 |" in md


def test_confirmation_month_decides_the_posting(run, november):
    c1, c2, c3, c4, c5 = november
    (oct_board,) = boards(run, "zj.fx.llg", "2026-10")
    assert oct_board["title"].endswith("（2026年10月）")
    assert [r["case_id"] for r in oct_board["sections"][0]["rows"]] == [c3]
    assert oct_board["sections"][1]["rows"] == []  # c3 was resolved in October but signed in November
    run("case", "confirm", c2, "--satisfaction", "unsatisfied", "--now", "2026-12-01T09:00")
    (dec_board,) = boards(run, "zj.fx.llg", "2026-12")
    assert dec_board["sections"][0]["rows"] == []
    assert [(r["case_id"], r["satisfaction"], r["settled_tier"]) for r in dec_board["sections"][1]["rows"]] == [
        (c2, "不满意", "村(社区)")]
    assert dec_board["notes"][0] == "本期建账0件，结账并经当事群众签字确认1件。"


def test_township_and_county_boards_per_village(run, november):
    c1, c2, c3, c4, c5 = november
    assert [b["unit"] for b in boards(run, "zj.fx", "2026-11")] == ["zj.fx.llg"]  # 金桥社区 has nothing
    county = boards(run, "zj", "2026-11")
    assert [(b["unit"], b["title"]) for b in county] == [
        ("zj.fx.llg", "富兴镇柳林沟村“三本台账”晒账公示（2026年11月）"),
        ("zj.nh.sq", "南华镇石墙村“三本台账”晒账公示（2026年11月）")]
    assert [r["case_id"] for r in county[1]["sections"][0]["rows"]] == [c5]
    # an empty village still gets its (empty) monthly board
    (jq,) = boards(run, "zj.fx.jq", "2026-11")
    assert jq["title"] == "富兴镇金桥社区“三本台账”晒账公示（2026年11月）"
    assert [s["rows"] for s in jq["sections"]] == [[], []]
    assert boards(run, "zj.nyj", "2026-11") == []


def test_quarter_and_year_periods(run, november):
    (q,) = boards(run, "zj.fx.llg", "2026Q4")
    assert q["title"] == "富兴镇柳林沟村“三本台账”晒账公示（2026年第4季度）"
    assert len(q["sections"][0]["rows"]) == 4 and len(q["sections"][1]["rows"]) == 2
    (y,) = boards(run, "zj.fx.llg", "2026")
    assert y["title"].endswith("（2026年）")


def test_boards_carry_no_casebook_line_numbers(run, november):
    """Villagers read the rules, not the casebook's line numbers (those stay in the README)."""
    for unit, period in (("zj.fx.llg", "2026-11"), ("zj", "2026-11"), ("zj", "2026")):
        data = json.dumps(boards(run, unit, period), ensure_ascii=False)
        md = run("board", "--unit", unit, "--period", period, "--format", "md").stdout
        assert not re.search(r"L\d{1,3}\b|casebook", data + md)
