"""daiban (Xupu 村民事务代办): the agent network and its coverage (L225), who carries an
errand in each mode (L227), the requester's signature on the tracking card and real-name
complaints with a rectification deadline (L229), and the monthly ledger board (L231)."""

from pathlib import Path

import plugins.daiban

import pytest

TOML = (Path(plugins.daiban.__file__).parent / "data" / "xupu.toml").read_text(encoding="utf-8")


@pytest.fixture
def cli(init_county):
    return init_county(TOML)


def add(cli, unit, *sets, now="2013-03-04T09:00+08:00", title="代办户口簿", name="刘某某", phone="13812345678"):
    args = ["case", "add", "--method", "daiban", "--unit", unit, "--title", title, "--now", now, "--json",
            "--requester-name", name, "--requester-phone", phone,
            "--allow-duplicate"]  # the same requester's errands at one instant (issue 14's duplicate check)
    for kv in sets:
        args += ["--set", kv]
    return cli(*args).data


def test_coverage_lists_groups_without_an_agent(cli):
    rep = cli("daiban", "coverage", "--json").data
    assert rep["groups"] == 4 and rep["groups_covered"] == 2
    assert [(g["code"], g["village_name"], g["township_name"]) for g in rep["uncovered_groups"]] == [
        ("xp.fsw.lh.g2", "莲花村", "袱水湾乡"), ("xp.fsw.lh.g3", "莲花村", "袱水湾乡")]
    assert [v["code"] for v in rep["villages_without_office_agent"]] == ["xp.dz.yx"]
    towns = {t["code"]: t for t in rep["townships"]}
    assert towns["xp.fsw"]["ok"] and towns["xp.fsw"]["director"] == ["wang"]
    assert towns["xp.fsw"]["agents"] == ["c1", "c2", "c3"]
    assert not towns["xp.dz"]["ok"] and towns["xp.dz"]["findings"] == [
        {"code": "no_director", "message": "未设乡代办中心主任（应由1名乡镇党政领导担任）"},
        {"code": "too_few_agents", "message": "代办员0名，少于3名（应抽调3—4名乡镇工作人员）"}]
    one = cli("daiban", "coverage", "--unit", "xp.dz", "--json").data
    assert one["groups"] == 1 and one["uncovered_groups"] == []
    human = cli("daiban", "coverage").output
    assert "无代办员  xp.fsw.lh.g2" in human and "无代办员  xp.fsw.lh.g3" in human


def test_assignment_by_mode(cli):
    # door-to-door: the requester's group agent (L227 电话联系代办员，上门受理)
    assert add(cli, "xp.fsw.lh.g1", "mode=home_visit", "special_group=seriously_ill")["handler"] == "li"
    # the group has no agent: the village agency room comes
    c = add(cli, "xp.fsw.lh.g2", "mode=home_visit")
    assert c["handler"] == "zhang"
    shown = cli("case", "show", c["id"], "--json").data
    assert shown["events"][1]["note"] == "本组无代办员，由村代办室上门受理"
    # phoned in at the village: the group must be named
    r = cli("case", "add", "--method", "daiban", "--unit", "xp.fsw.lh", "--title", "x", "--set", "mode=home_visit", ok=2)
    assert "--set group" in r.stderr
    assert add(cli, "xp.fsw.lh", "mode=home_visit", "group=xp.fsw.lh.g1")["handler"] == "li"
    # fixed point at the township centre: the least-loaded staff agent
    assert add(cli, "xp.fsw", "mode=fixed_point")["handler"] == "c1"
    assert add(cli, "xp.fsw")["handler"] == "c2"
    assert add(cli, "xp.fsw", "mode=fixed_point")["handler"] == "c3"
    # mobile: the township's service team
    assert add(cli, "xp.fsw.lh.g3", "mode=mobile")["handler"] == "team1"
    # a named agent wins; a non-agent is refused
    assert add(cli, "xp.fsw.lh.g2", "mode=home_visit", "agent=c2")["handler"] == "c2"
    r = cli("case", "add", "--method", "daiban", "--unit", "xp.fsw", "--title", "x", "--set", "agent=wang", ok=2)
    assert "no role 'agent'" in r.stderr
    # mode and channel must agree
    r = cli("case", "add", "--method", "daiban", "--unit", "xp.fsw", "--title", "x", "--channel", "mobile",
            "--set", "mode=home_visit", ok=2)
    assert "contradicts --channel" in r.stderr
    r = cli("case", "add", "--method", "daiban", "--unit", "xp.fsw", "--title", "x", "--channel", "hotline", ok=2)
    assert "--channel" in r.stderr
    assert cli("case", "add", "--method", "daiban", "--unit", "xp.fsw", "--title", "x", "--channel", "mobile",
               "--json").data["extra"]["mode"] == "mobile"


def test_requester_signs_the_card(cli):
    c = add(cli, "xp.fsw.lh.g1", "scope=county", "proxy=县公安局户籍窗口")
    r = cli("daiban", "sign", c["id"], "--satisfaction", "satisfied", "--now", "2013-03-06T10:00", ok=2)
    assert "--outcome" in r.stderr
    s = cli("daiban", "sign", c["id"], "--satisfaction", "satisfied", "--outcome", "户口簿已办好送达",
            "--hours", "3", "--now", "2013-03-06T10:00", "--json").data
    assert s["status"] == "confirmed" and s["satisfaction"] == "satisfied"
    assert s["resolved_at"] == "2013-03-06T10:00:00+08:00" and s["due_at"] == "2013-03-08T23:59:59+08:00"
    assert s["extra"]["signed_by"] == "刘某某" and s["extra"]["outcome"] == "户口簿已办好送达"
    assert s["extra"]["signed_at"] == "2013-03-06T10:00:00+08:00" and s["extra"]["input_hours"] == 3
    assert s["extra"]["proxy"] == "县公安局户籍窗口"
    assert [e["type"] for e in s["events"]] == ["registered", "assigned", "resolved", "confirmed", "card_signed"]
    view = cli("daiban", "card", c["id"], "--json").data
    assert (view["agent_name"], view["proxy"], view["requester"], view["time_limit"], view["due_at"],
            view["completed_at"], view["on_time"], view["outcome"], view["signed_by"]) == (
        "李党代表", "县公安局户籍窗口", "刘某某", "4天", "2013-03-08T23:59:59+08:00",
        "2013-03-06T10:00:00+08:00", True, "户口簿已办好送达", "刘某某")
    assert "代办事项内容：代办户口簿" in cli("daiban", "card", c["id"]).output
    assert "confirmed" in cli("daiban", "sign", c["id"], "--satisfaction", "satisfied", ok=1).stderr
    # a card completed through the kernel first is signed afterwards, keeping its outcome
    d = add(cli, "xp.fsw.lh.g1")
    cli("case", "resolve", d["id"], "--note", "包裹已代领", "--now", "2013-03-04T17:00")
    s = cli("daiban", "sign", d["id"], "--satisfaction", "basically", "--signed-by", "刘某某之子",
            "--now", "2013-03-05T08:00", "--json").data
    assert s["extra"]["outcome"] == "包裹已代领" and s["extra"]["signed_by"] == "刘某某之子"


def test_complaint_life(cli):
    card = add(cli, "xp.fsw.lh.g1")  # due 2013-03-05T09:00+08:00, never done
    fresh = add(cli, "xp.fsw.lh.g1", now="2013-03-06T08:00+08:00")
    # not overdue yet: an overdue complaint is refused
    r = cli("daiban", "complaint", "add", "--kind", "overdue", "--case", fresh["id"], "--complainant", "刘某某",
            "--text", "还没办", "--now", "2013-03-06T09:00", ok=1)
    assert "not overdue" in r.stderr
    r = cli("daiban", "complaint", "add", "--kind", "overdue", "--case", card["id"], "--complainant", " ",
            "--text", "x", ok=2)
    assert "real-name" in r.stderr
    c = cli("daiban", "complaint", "add", "--kind", "overdue", "--case", card["id"], "--complainant", "刘某某",
            "--phone", "13812345678", "--text", "户口簿逾期未办结", "--now", "2013-03-06T09:00", "--json").data
    cid = c["id"]
    assert (c["status"], c["agent"], c["unit"], c["filed_at"]) == ("filed", "li", "xp.fsw", "2013-03-06T09:00:00+08:00")
    assert "not been investigated" in cli("daiban", "complaint", "close", cid, "--result", "x", ok=1).stderr
    r = cli("daiban", "complaint", "investigate", cid, "--upheld", "--finding", "x", ok=2)
    assert "--severity" in r.stderr
    c = cli("daiban", "complaint", "investigate", cid, "--upheld", "--finding", "代办员外出未及时办理",
            "--severity", "minor", "--accountability", "批评教育", "--now", "2013-03-07T10:00", "--json").data
    assert c["status"] == "upheld" and c["upheld"] == 1
    # closed only with a rectification
    r = cli("daiban", "complaint", "close", cid, "--result", "已办", "--now", "2013-03-07T11:00", ok=1)
    assert "without a rectification" in r.stderr
    c = cli("daiban", "complaint", "rectify", cid, "--measure", "两日内办结并上门致歉", "--now", "2013-03-07T10:30", "--json").data
    # rectify_days = 7 calendar days: end of 2013-03-14 local
    assert c["status"] == "rectifying" and c["rectify_due_at"] == "2013-03-14T23:59:59+08:00"
    c = cli("daiban", "complaint", "close", cid, "--result", "已办结，已致歉", "--now", "2013-03-12T16:00", "--json").data
    assert c["status"] == "closed" and c["on_time"] == 1 and c["closed_at"] == "2013-03-12T16:00:00+08:00"
    assert "already closed" in cli("daiban", "complaint", "close", cid, "--result", "x", ok=1).stderr
    types = [e["type"] for e in cli("case", "show", card["id"], "--json").data["events"]]
    assert types[-4:] == ["complaint_filed", "complaint_investigated", "complaint_rectification", "complaint_closed"]
    # a service complaint not upheld ends at the investigation and cannot be closed
    s = cli("daiban", "complaint", "add", "--kind", "service", "--agent", "zhang", "--complainant", "王某某",
            "--text", "态度生硬", "--now", "2013-03-08T09:00", "--json").data
    cli("daiban", "complaint", "investigate", s["id"], "--not-upheld", "--finding", "经核实态度正常")
    assert "not upheld" in cli("daiban", "complaint", "close", s["id"], "--result", "x", ok=1).stderr
    assert "only an upheld" in cli("daiban", "complaint", "rectify", s["id"], "--measure", "x", ok=1).stderr
    # a late rectification is recorded as late
    t = cli("daiban", "complaint", "add", "--kind", "service", "--agent", "li", "--complainant", "赵某某",
            "--text", "索要钱物", "--now", "2013-03-08T09:00", "--json").data
    cli("daiban", "complaint", "investigate", t["id"], "--upheld", "--severity", "serious", "--finding", "属实",
        "--now", "2013-03-08T15:00")
    cli("daiban", "complaint", "rectify", t["id"], "--measure", "退还并检讨", "--days", "3", "--now", "2013-03-09T09:00")
    assert cli("daiban", "complaint", "list", "--overdue", "--now", "2013-03-12T23:59:59", "--json").data == []
    assert [x["id"] for x in cli("daiban", "complaint", "list", "--overdue", "--now", "2013-03-13T00:00:00",
                                 "--json").data] == [t["id"]]
    late = cli("daiban", "complaint", "close", t["id"], "--result", "已退还", "--now", "2013-03-13T00:00:00", "--json").data
    assert late["rectify_due_at"] == "2013-03-12T23:59:59+08:00" and late["on_time"] == 0
    assert [x["id"] for x in cli("daiban", "complaint", "list", "--agent", "li", "--json").data] == [cid, t["id"]]
    assert "138****5678" in cli("daiban", "complaint", "show", cid).output


def test_monthly_ledger_board_is_masked(cli):
    a = add(cli, "xp.fsw.lh.g1", title="代办户口簿（刘某某 13812345678）")
    add(cli, "xp.fsw.lh.g1", "scope=county", name="王小明", phone="13900001111", title="申请大病医疗救助",
        now="2013-03-10T10:00+08:00")
    cli("daiban", "sign", a["id"], "--satisfaction", "satisfied", "--outcome", "已办", "--now", "2013-03-04T18:00")
    boards = cli("board", "--unit", "xp.fsw", "--period", "2013-03", "--now", "2013-03-12T12:00", "--json").data
    ledger = [b for b in boards if b["method"] == "daiban"]
    assert [b["title"] for b in ledger] == ["袱水湾乡村民事务代办管理台账（2013-03）"]
    rows = ledger[0]["sections"][0]["rows"]
    # the county errand (due 03-14 23:59:59) is open and not yet due at the board's time
    assert [(r["case_id"], r["requester"], r["agent"], r["time_limit"], r["on_time"], r["signed"]) for r in rows] == [
        (a["id"], "刘某", "李党代表", "24小时", "是", "已签字"), ("xp-000002", "王某", "李党代表", "4天", "—", "未签字")]
    text = cli("board", "--unit", "xp.fsw", "--period", "2013-03", "--format", "md").output
    assert "刘某某" not in text and "13812345678" not in text and "王小明" not in text
    assert "138****5678" in text


def test_ledger_marks_open_cards_past_due_as_late(cli):
    """Regression: the ledger's 按期 column showed — for an open card already past its due
    instant at the board's time; by the README rule it is late."""
    a = add(cli, "xp.fsw.lh.g1", title="代办户口簿")                                      # due 03-05 09:00
    b = add(cli, "xp.fsw.lh.g1", title="寄包裹", now="2013-03-04T10:00+08:00")            # due 03-05 10:00
    c = add(cli, "xp.fsw.lh.g1", "scope=county", title="申请大病医疗救助", now="2013-03-04T11:00+08:00")  # 03-08 23:59:59

    def on_time(now):
        boards = cli("board", "--unit", "xp.fsw", "--period", "2013-03", "--now", now, "--json").data
        rows = next(x for x in boards if x["method"] == "daiban")["sections"][0]["rows"]
        return [(r["case_id"], r["on_time"]) for r in rows]

    assert on_time("2013-03-05T08:59:59") == [(a["id"], "—"), (b["id"], "—"), (c["id"], "—")]
    assert on_time("2013-03-05T09:00:01") == [(a["id"], "否（逾期未办结）"), (b["id"], "—"), (c["id"], "—")]
    cli("case", "resolve", b["id"], "--note", "已寄出", "--now", "2013-03-05T11:00")         # an hour late
    assert on_time("2013-03-05T12:00") == [(a["id"], "否（逾期未办结）"), (b["id"], "否（逾期）"), (c["id"], "—")]
    assert on_time("2013-03-09T00:00") == [(a["id"], "否（逾期未办结）"), (b["id"], "否（逾期）"),
                                           (c["id"], "否（逾期未办结）")]


def test_check_month_error_names_month(cli):
    """Regression: `daiban check --month 2026-13` named --period."""
    r = cli("daiban", "check", "--month", "2026-13", ok=2)
    assert r.stderr == "error: --month: '2026-13' is not a month (use YYYY-MM, e.g. 2013-03)\n"
    r = cli("daiban", "check", "--month", "2026", ok=2)
    assert r.stderr == "error: --month: '2026' is not a month (use YYYY-MM, e.g. 2013-03)\n"


def test_card_steps_before_their_time_are_refused(cli):
    """Regression: a complaint about a card filed before the card was taken in (and complaint
    steps dated before the step they follow) were accepted."""
    card = add(cli, "xp.fsw.lh.g1", now="2013-03-04T09:00+08:00")
    complaint = ["--kind", "service", "--case", card["id"], "--complainant", "刘某某", "--text", "态度生硬"]
    r = cli("daiban", "complaint", "add", *complaint, "--now", "2013-03-03T09:00", ok=1)
    assert r.stderr == (f"error: case {card['id']} was taken in at 2013-03-04T09:00:00+08:00; a complaint about it "
                        f"cannot be filed at 2013-03-03T09:00:00+08:00 (check --now)\n")
    assert cli("daiban", "complaint", "list", "--json").data == []
    cid = cli("daiban", "complaint", "add", *complaint, "--now", "2013-03-05T09:00", "--json").data["id"]
    r = cli("daiban", "complaint", "investigate", cid, "--upheld", "--severity", "minor", "--finding", "属实",
            "--now", "2013-03-05T08:00", ok=1)
    assert r.stderr == (f"error: complaint {cid} was filed at 2013-03-05T09:00:00+08:00; it cannot be investigated "
                        f"at 2013-03-05T08:00:00+08:00 (check --now)\n")
    cli("daiban", "complaint", "investigate", cid, "--upheld", "--severity", "minor", "--finding", "属实",
        "--now", "2013-03-06T09:00")
    r = cli("daiban", "complaint", "rectify", cid, "--measure", "致歉", "--now", "2013-03-06T08:00", ok=1)
    assert r.stderr == (f"error: complaint {cid} was investigated at 2013-03-06T09:00:00+08:00; its rectification "
                        f"cannot be ordered at 2013-03-06T08:00:00+08:00 (check --now)\n")
    cli("daiban", "complaint", "rectify", cid, "--measure", "致歉", "--now", "2013-03-07T09:00")
    r = cli("daiban", "complaint", "close", cid, "--result", "已致歉", "--now", "2013-03-06T12:00", ok=1)
    assert r.stderr == (f"error: the rectification of complaint {cid} was ordered at 2013-03-07T09:00:00+08:00; "
                        f"it cannot be closed at 2013-03-06T12:00:00+08:00 (check --now)\n")
    assert cli("daiban", "complaint", "show", cid, "--json").data["status"] == "rectifying"
    c = cli("daiban", "complaint", "close", cid, "--result", "已致歉", "--now", "2013-03-07T09:00", "--json").data
    assert (c["status"], c["closed_at"], c["on_time"]) == ("closed", "2013-03-07T09:00:00+08:00", 1)
    # without a card, the rectification counts from the investigation
    s = cli("daiban", "complaint", "add", "--kind", "service", "--agent", "li", "--complainant", "王某某",
            "--text", "x", "--now", "2013-03-08T09:00", "--json").data["id"]
    cli("daiban", "complaint", "investigate", s, "--upheld", "--severity", "minor", "--finding", "属实",
        "--now", "2013-03-08T10:00")
    cli("daiban", "complaint", "rectify", s, "--measure", "检讨", "--now", "2013-03-08T11:00")
    assert cli("daiban", "complaint", "close", s, "--result", "x", "--now", "2013-03-08T09:30", ok=1).stderr.startswith(
        f"error: the rectification of complaint {s} was ordered at 2013-03-08T10:00:00+08:00;")
    # signing the card before it was taken in (or before it was completed) is refused too
    other = add(cli, "xp.fsw.lh.g1", now="2013-03-04T09:00+08:00")
    r = cli("daiban", "sign", other["id"], "--satisfaction", "satisfied", "--outcome", "已办",
            "--now", "2013-03-03T10:00", ok=1)
    assert f"case {other['id']} was taken in at 2013-03-04T09:00:00+08:00" in r.stderr
    cli("case", "resolve", other["id"], "--note", "已办", "--now", "2013-03-05T10:00")
    r = cli("daiban", "sign", other["id"], "--satisfaction", "satisfied", "--now", "2013-03-05T09:00", ok=1)
    assert f"case {other['id']} was resolved at 2013-03-05T10:00:00+08:00" in r.stderr
    assert cli("case", "show", other["id"], "--json").data["status"] == "resolved"
