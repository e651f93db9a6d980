"""dianti: the register, the three centres, routing and the responsible member (L79–L81).

Fixture register of 华丰村 (sn.th.hf), in register order:

====  ======  ==========  ================  =====  =====================
id    name    group       skills            party  三个培养
====  ======  ==========  ================  =====  =====================
m1    牟仕林  livestock   生猪,养殖,兽医     yes    reserve_cadre (leader)
m2    罗永文  livestock   生猪,饲料          no     activist
m3    田大勇  livestock   牛,养殖            yes    capable, achieved
m4    旷宗秀  market      市场,销售          yes    — (leader)
m5    张明    mediation   调解,纠纷          yes    — (leader)
m6    李华    mediation   调解               no     —
====  ======  ==========  ================  =====  =====================

Groups (register order): livestock 畜牧技术服务小组 (skills 生猪,养殖,畜牧), market
市场信息服务小组 (no skills: keyword 市场信息), mediation 纠纷调解小组 (standard; keyword 纠纷调解).
"""

from __future__ import annotations

import pytest

TOML = """
[deployment]
name = "思南县"
code = "sn"
methods = ["dianti"]

[[units]]
code = "sn"
name = "思南县"
level = "county"
[[units]]
code = "sn.th"
name = "塘头镇"
level = "township"
parent = "sn"
[[units]]
code = "sn.th.hf"
name = "华丰村"
level = "village"
parent = "sn.th"
[[units]]
code = "sn.th.dgx"
name = "东瓜溪村"
level = "village"
parent = "sn.th"

[[people]]
id = "c1"
name = "王坐班"
unit = "sn.th.hf"
roles = ["village_cadre"]
[[people]]
id = "c2"
name = "刘坐班"
unit = "sn.th.hf"
roles = ["village_cadre"]
[[people]]
id = "s1"
name = "赵监督"
unit = "sn.th.hf"
roles = ["supervisor"]
"""

REGISTER = """id,name,unit,group,group_name,skills,party_member,cultivation,cultivation_status,phone,leader
m1,牟仕林,sn.th.hf,livestock,畜牧技术服务小组,"生猪,养殖,兽医",yes,reserve_cadre,in_training,13800000001,yes
m2,罗永文,sn.th.hf,livestock,,"生猪,饲料",no,activist,in_training,,
m3,田大勇,sn.th.hf,livestock,,"牛,养殖",yes,capable,achieved,,
m4,旷宗秀,sn.th.hf,market,市场信息服务小组,"市场,销售",yes,,,,yes
m5,张明,sn.th.hf,mediation,,"调解,纠纷",yes,,,,yes
m6,李华,sn.th.hf,mediation,,调解,no,,,,
"""


def setup_county(init_county, tmp_path, toml: str = TOML):
    """init + register import + group skills + rota + supervision centre, through the CLI."""
    county_cli = init_county(toml)
    reg = tmp_path / "register.csv"
    reg.write_text(REGISTER, encoding="utf-8")
    assert county_cli("dianti", "member", "import", reg, "--json").data == {"imported": 6}
    county_cli("dianti", "group", "add", "--unit", "sn.th.hf", "--code", "livestock", "--skills", "生猪,养殖,畜牧")
    county_cli("dianti", "rota", "--unit", "sn.th.hf", "--weekday", "mon", "--person", "c1")
    county_cli("dianti", "rota", "--unit", "sn.th.hf", "--weekday", "周二", "--person", "c2")
    county_cli("dianti", "centre", "add", "--unit", "sn.th.hf", "--centre", "supervision", "--person", "s1",
               "--role", "leader")


def add(county_cli, title, *sets, now="2026-03-02T10:00", **opts):
    args = ["case", "add", "--method", "dianti", "--unit", opts.pop("unit", "sn.th.hf"), "--title", title,
            "--now", now, "--json"]
    for k, v in opts.items():
        args += [f"--{k.replace('_', '-')}", v]
    for s in sets:
        args += ["--set", s]
    return county_cli(*args).data


def test_register_import_and_centres(county_cli, init_county, tmp_path):
    setup_county(init_county, tmp_path)
    groups = county_cli("dianti", "group", "list", "--unit", "sn.th.hf", "--json").data
    assert [(g["code"], g["name"], g["leader"], g["seq"], g["members"]) for g in groups] == [
        ("livestock", "畜牧技术服务小组", "m1", 1, 3),
        ("market", "市场信息服务小组", "m4", 2, 1),
        ("mediation", "纠纷调解小组", "m5", 3, 2),
    ]
    assert groups[0]["skills"] == ["生猪", "养殖", "畜牧"]
    members = county_cli("dianti", "member", "list", "--unit", "sn.th.hf", "--json").data
    assert [(m["person"], m["name"], m["group_code"], m["party_member"], m["cultivation"], m["cultivation_status"])
            for m in members] == [
        ("m1", "牟仕林", "livestock", 1, "reserve_cadre", "in_training"),
        ("m2", "罗永文", "livestock", 0, "activist", "in_training"),
        ("m3", "田大勇", "livestock", 1, "capable", "achieved"),
        ("m4", "旷宗秀", "market", 1, "", ""),
        ("m5", "张明", "mediation", 1, "", ""),
        ("m6", "李华", "mediation", 0, "", ""),
    ]
    # every member is a kernel person too (so the kernel can make them the handler)
    people = {p["id"]: p for p in county_cli("people", "list", "--json").data}
    assert people["m1"]["roles"] == ["skilled_member", "party_member"]
    assert people["m2"]["roles"] == ["skilled_member"]
    assert people["m1"]["phone"] == "138****0001"
    centres = county_cli("dianti", "centre", "show", "--unit", "sn.th.hf", "--json").data
    assert [(r["weekday"], r["person"]) for r in centres["rota"]] == [(0, "c1"), (1, "c2")]
    assert [(m["person"], m["centre"]) for m in centres["coordination"]] == [("c1", "coordination"), ("c2", "coordination")]
    assert [(m["person"], m["role"]) for m in centres["supervision"]] == [("s1", "leader")]
    assert [g["members"] for g in centres["skilled"]] == [["m1", "m2", "m3"], ["m4"], ["m5", "m6"]]


def test_register_rules_are_enforced(county_cli, init_county, tmp_path):
    setup_county(init_county, tmp_path)
    # 三个培养: activist track is for capable people who are not (yet) party members
    r = county_cli("dianti", "member", "set", "m1", "--cultivation", "activist", ok=2)
    assert "party members" in r.stderr and "L79" in r.stderr
    # a group leader must be a party member (能人党员担任组长)
    r = county_cli("dianti", "group", "add", "--unit", "sn.th.hf", "--code", "livestock", "--leader", "m2", ok=2)
    assert r.stderr.startswith("error: ") and "not a party member" in r.stderr
    # a leader stays a party member of its group until the group gets another leader
    r = county_cli("dianti", "member", "set", "m5", "--party-member", "no", ok=2)
    assert "m5 leads 纠纷调解小组" in r.stderr
    r = county_cli("dianti", "member", "set", "m5", "--group", "livestock", ok=2)
    assert "before moving the member" in r.stderr
    # the centres belong to a village
    r = county_cli("dianti", "group", "add", "--unit", "sn.th", "--code", "technical", ok=2)
    assert "sn.th" in r.stderr and "village" in r.stderr
    # a village-defined group needs its Chinese name
    r = county_cli("dianti", "group", "add", "--unit", "sn.th.hf", "--code", "children", ok=2)
    assert "--name" in r.stderr
    county_cli("dianti", "group", "add", "--unit", "sn.th.hf", "--code", "children", "--name", "留守儿童关爱小组")
    # the import is all-or-nothing and names the line
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,unit,group,party_member,cultivation\n"
                   "m7,周一,sn.th.hf,children,no,\n"
                   "m8,吴二,sn.th.hf,children,no,reserve_cadre\n", encoding="utf-8")
    r = county_cli("dianti", "member", "import", bad, ok=2)
    assert "bad.csv: line 3" in r.stderr and "reserve_cadre" in r.stderr
    assert [m["person"] for m in county_cli("dianti", "member", "list", "--json").data] == ["m1", "m2", "m3", "m4", "m5", "m6"]
    # promoting a member along the track
    m = county_cli("dianti", "member", "set", "m2", "--cultivation-status", "achieved", "--json").data
    assert (m["cultivation"], m["cultivation_status"]) == ("activist", "achieved")
    assert county_cli("dianti", "member", "add", "--id", "m2", "--name", "罗永文", "--unit", "sn.th.hf",
                      "--group", "livestock", ok=1).exit_code == 1


def test_which_member_gets_each_request(county_cli, init_county, tmp_path):
    """Routing (triage) and the member rule: skill match → fewest open cases → register order."""
    setup_county(init_county, tmp_path)
    # A: keyword 生猪 → livestock; members with 生猪: m1, m2, both 0 open → register order → m1
    a = add(county_cli, "降低生猪养殖成本", requester_name="张三丰", requester_phone="13912345678")
    assert (a["category"], a["handler"], a["status"]) == ("livestock", "m1", "assigned")
    assert a["extra"]["routed_by"] == "keyword" and a["extra"]["matched_skill"] == "生猪"
    assert a["extra"]["window_cadre"] == "c1"  # Monday 2026-03-02: c1 on the window
    assert a["extra"]["service"] == "降低生猪养殖成本"
    assert a["due_at"] is None and a["level"] is None  # no time limit in the source
    # B: skill 生猪 → livestock (group skills); m1 has 1 open, m2 0 → m2
    b = add(county_cli, "饲料采购", "skill=生猪", now="2026-03-03T09:00")
    assert (b["category"], b["handler"]) == ("livestock", "m2")
    assert b["extra"]["window_cadre"] == "c2"  # Tuesday
    # C: group given, skill 兽医: only m1 has it, so m1 although m1 has most open cases
    c = add(county_cli, "母猪生病", "group=livestock", "skill=兽医")
    assert (c["category"], c["handler"]) == ("livestock", "m1")
    # D: keyword 纠纷调解 (standard group name) → mediation; nobody has that skill → all; 0 open → m5
    d = add(county_cli, "邻里纠纷调解")
    assert (d["category"], d["handler"], d["extra"]["routed_by"]) == ("mediation", "m5", "keyword")
    # E: skill 调解: no group lists it → the group with most members having it (mediation);
    #    members with 调解 m5 (1 open), m6 (0) → m6
    e = add(county_cli, "宅基地纠纷", "skill=调解", "requirement=一周内上门调解")
    assert (e["category"], e["handler"], e["extra"]["routed_by"]) == ("mediation", "m6", "skill")
    # F0: no group keyword in "耕牛生病", but m3 (livestock) has the skill 牛 → livestock, m3
    f0 = add(county_cli, "耕牛生病")
    assert (f0["category"], f0["handler"], f0["extra"]["routed_by"], f0["extra"]["matched_skill"]) == (
        "livestock", "m3", "member_skill", "牛")
    # F: nothing matches: the case waits at the coordination centre
    f = add(county_cli, "想学电脑")
    assert (f["category"], f["handler"], f["status"]) == (None, None, "registered")
    # the coordination centre routes it by hand: market has only m4
    routed = county_cli("dianti", "route", f["id"], "--group", "market", "--json").data
    assert routed == {"id": f["id"], "group": "market", "handler": "m4"}
    # the operator overrides a member with the kernel's assign
    over = county_cli("case", "assign", a["id"], "--handler", "m3", "--json").data
    assert over["handler"] == "m3"
    # G: with A moved to m3, m1 and m2 both have 1 open case (C, B) → register order → m1
    g = add(county_cli, "生猪防疫")
    assert g["handler"] == "m1"
    # an unknown group is bad input naming the field
    r = county_cli("case", "add", "--method", "dianti", "--unit", "sn.th.hf", "--title", "x", "--set", "group=nope", ok=2)
    assert "--set group=nope" in r.stderr and "livestock, market, mediation" in r.stderr
    # inactive members get nothing
    county_cli("dianti", "member", "set", "m6", "--inactive")
    h = add(county_cli, "调解家庭矛盾", "skill=调解")
    assert h["handler"] == "m5"


def test_route_refuses_closed_and_foreign_cases(county_cli, init_county, tmp_path):
    setup_county(init_county, tmp_path)
    a = add(county_cli, "生猪养殖")
    county_cli("case", "resolve", a["id"], "--note", "已上门指导")
    r = county_cli("dianti", "route", a["id"], "--group", "market", ok=1)
    assert "resolved" in r.stderr
    r = county_cli("dianti", "measure", a["id"], "--note", "x", ok=1)
    assert r.exit_code == 1
    b = add(county_cli, "果树修剪")
    r = county_cli("dianti", "route", b["id"], "--group", "nosuch", ok=2)  # named as given (found by an integrator)
    assert r.stderr.startswith("error: --group=nosuch: no such service group in ")


@pytest.mark.parametrize("weekday,expected", [("mon", 0), ("周日", 6), ("3", 2)])
def test_weekday_parsing(weekday, expected):
    from plugins.dianti.rules import parse_weekday

    assert parse_weekday(weekday) == expected


def test_group_without_members_falls_back_to_its_leader_else_a_note(county_cli, init_county, tmp_path):
    """Regression: a request routed to a group with a leader but no (active) members got no
    handler and no note. Now: the leader is the responsible person; no leader → a note."""
    setup_county(init_county, tmp_path)
    # 东瓜溪村: m9 is a party member of its mediation group and also leads the livestock group,
    # which has no members of its own; the children group has neither members nor a leader
    county_cli("dianti", "member", "add", "--id", "m9", "--name", "杨兽医", "--unit", "sn.th.dgx",
               "--group", "mediation", "--party-member", "yes")
    county_cli("dianti", "group", "add", "--unit", "sn.th.dgx", "--code", "livestock", "--name", "畜牧技术服务小组",
               "--skills", "兽医,生猪", "--leader", "m9")
    county_cli("dianti", "group", "add", "--unit", "sn.th.dgx", "--code", "children", "--name", "留守儿童关爱小组")
    a = add(county_cli, "猪生病了请兽医看看", unit="sn.th.dgx")
    assert (a["category"], a["handler"], a["status"]) == ("livestock", "m9", "assigned")
    shown = county_cli("case", "show", a["id"], "--json").data
    assert [(e["type"], e["note"]) for e in shown["events"]] == [
        ("registered", None),
        ("triaged", "服务协调中心：交畜牧技术服务小组"),
        ("assigned", "服务责任人：组长杨兽医（畜牧技术服务小组暂无在册能人成员，由组长负责）"),
    ]
    # no member, no leader: nobody is responsible yet, and `case show` says so
    b = add(county_cli, "留守儿童关爱", unit="sn.th.dgx")
    assert (b["category"], b["handler"], b["status"]) == ("children", None, "registered")
    nobody = "留守儿童关爱小组暂无在册能人成员，也无组长：暂无服务责任人，待服务协调中心协调 (nobody responsible yet)"
    shown = county_cli("case", "show", b["id"], "--json").data
    assert [(e["type"], e["note"]) for e in shown["events"]][1:] == [
        ("triaged", "服务协调中心：交留守儿童关爱小组"), ("assigned", nobody)]
    assert nobody in county_cli("case", "show", b["id"]).output
    # the coordination centre's re-routing follows the same rule
    assert county_cli("dianti", "route", b["id"], "--group", "livestock", "--json").data == {
        "id": b["id"], "group": "livestock", "handler": "m9"}
    # a deactivated leader is nobody too
    county_cli("dianti", "member", "set", "m9", "--inactive")
    c = add(county_cli, "母猪难产", "group=livestock", unit="sn.th.dgx")
    assert (c["handler"], c["status"]) == (None, "registered")
    shown = county_cli("case", "show", c["id"], "--json").data
    assert shown["events"][-1]["note"] == ("畜牧技术服务小组暂无在册能人成员，组长杨兽医已停用：暂无服务责任人，"
                                           "待服务协调中心协调 (nobody responsible yet)")


def test_error_messages_name_the_right_option(county_cli, init_county, tmp_path):
    """Regression: messages named --period / --name / an ISO time instead of the option given."""
    setup_county(init_county, tmp_path)
    r = county_cli("dianti", "evaluate", "--quarter", "2026Q5", ok=2)
    assert r.stderr == "error: --quarter: '2026Q5' is not a quarter (use 2026Q3; a month 2026-11 or a year 2026 works too)\n"
    bad = tmp_path / "new.csv"
    bad.write_text("id,name,unit,group\nm7,周一,sn.th.hf,kids\n", encoding="utf-8")
    r = county_cli("dianti", "member", "import", bad, ok=2)
    assert r.stderr == (f"error: {bad}: line 2: group 'kids' is not one of the standard groups "
                        "(technical, legal, mediation, patrol, poverty); give its Chinese name (the group_name column)\n")
    r = county_cli("dianti", "member", "add", "--id", "m7", "--name", "周一", "--unit", "sn.th.hf", "--group", "kids", ok=2)
    assert r.stderr.endswith("give its Chinese name (--group-name)\n")
    r = county_cli("case", "add", "--method", "dianti", "--unit", "sn.th.hf", "--title", "x", "--now", "2026-02-02T10:00",
                   "--set", "service_date=2026-02-30", ok=2)
    assert r.stderr == "error: service_date: '2026-02-30' is not a date (YYYY-MM-DD)\n"


def _dgx_legal_and_empty_mediation(county_cli):
    """东瓜溪村: the legal group led by dm1 (its only member); the mediation group has neither
    members nor a leader."""
    county_cli("dianti", "member", "add", "--id", "dm1", "--name", "陈律", "--unit", "sn.th.dgx",
               "--group", "legal", "--party-member", "yes", "--leader")
    county_cli("dianti", "group", "add", "--unit", "sn.th.dgx", "--code", "mediation")


NOBODY_MEDIATION = "纠纷调解小组暂无在册能人成员，也无组长：暂无服务责任人，待服务协调中心协调 (nobody responsible yet)"


def test_reroute_to_a_group_with_nobody_clears_the_responsible_person(county_cli, init_county, tmp_path):
    """Regression: re-routing a request from the legal group (dm1) to a mediation group with
    nobody in it kept dm1 as handler (`服务责任人 dm1`) while the event said 暂无服务责任人."""
    setup_county(init_county, tmp_path)
    _dgx_legal_and_empty_mediation(county_cli)
    a = add(county_cli, "土地承包合同咨询", "group=legal", unit="sn.th.dgx")
    assert (a["category"], a["handler"], a["status"]) == ("legal", "dm1", "assigned")
    r = county_cli("dianti", "route", a["id"], "--group", "mediation", "--now", "2026-03-03T09:00")
    assert r.output == f"{a['id']} → 纠纷调解小组, 服务责任人 -（{NOBODY_MEDIATION}）\n"
    shown = county_cli("case", "show", a["id"], "--json").data
    assert (shown["handler"], shown["status"], shown["extra"]["group"], shown["extra"]["group_leader"]) == (
        None, "registered", "mediation", None)
    assert [(e["type"], e["note"], e["data"]) for e in shown["events"][3:]] == [
        ("assigned", NOBODY_MEDIATION, {"unit": "sn.th.dgx", "handler": None}),
        ("routed", f"服务协调中心：交纠纷调解小组；{NOBODY_MEDIATION}", {"group": "mediation"}),
    ]
    assert county_cli("case", "show", a["id"], "--json").data["handler"] is None
    # routed back to the legal group, dm1 is in charge again
    assert county_cli("dianti", "route", a["id"], "--group", "legal", "--now", "2026-03-03T10:00", "--json").data == {
        "id": a["id"], "group": "legal", "handler": "dm1"}
    assert county_cli("case", "show", a["id"], "--json").data["status"] == "assigned"
    # a request already being served keeps its status, but not its former member
    b = add(county_cli, "合同纠纷咨询", "group=legal", unit="sn.th.dgx")
    county_cli("dianti", "measure", b["id"], "--note", "已约见", "--now", "2026-03-02T11:00")
    assert county_cli("dianti", "route", b["id"], "--group", "mediation", "--now", "2026-03-02T12:00", "--json").data == {
        "id": b["id"], "group": "mediation", "handler": None}
    shown = county_cli("case", "show", b["id"], "--json").data
    assert (shown["handler"], shown["status"]) == (None, "in_progress")
    # a request that had nobody before gets no extra `assigned` event
    c = add(county_cli, "邻里纠纷", "group=mediation", unit="sn.th.dgx")
    assert (c["handler"], c["status"]) == (None, "registered")
    county_cli("dianti", "route", c["id"], "--group", "mediation", "--now", "2026-03-02T12:00")
    shown = county_cli("case", "show", c["id"], "--json").data
    assert ([e["type"] for e in shown["events"]], shown["handler"], shown["status"]) == (
        ["registered", "triaged", "assigned", "routed"], None, "registered")


def test_service_steps_before_the_request_was_taken_in_are_refused(county_cli, init_county, tmp_path):
    """Regression: supervise/route/measure with a --now before the case existed succeeded."""
    setup_county(init_county, tmp_path)
    a = add(county_cli, "降低生猪养殖成本", now="2026-03-02T10:00")
    before = len(county_cli("case", "show", a["id"], "--json").data["events"])
    taken = f"case {a['id']} was taken in at 2026-03-02T10:00:00+08:00"
    for args, what in ((("supervise", a["id"], "--note", "s"), "supervise"),
                       (("route", a["id"], "--group", "market"), "route"),
                       (("measure", a["id"], "--note", "m"), "record a measure on")):
        r = county_cli("dianti", *args, "--now", "2026-03-01T09:00", ok=1)
        assert r.stderr == f"error: {taken}; cannot {what} it at 2026-03-01T09:00:00+08:00 (check --now)\n"
    shown = county_cli("case", "show", a["id"], "--json").data
    assert (len(shown["events"]), shown["handler"], shown["extra"]["group"], shown["status"]) == (
        before, "m1", "livestock", "assigned")
    # at the intake instant itself they are fine
    county_cli("dianti", "supervise", a["id"], "--note", "s", "--now", "2026-03-02T10:00")
    county_cli("dianti", "measure", a["id"], "--note", "m", "--now", "2026-03-02T10:00")
    assert county_cli("dianti", "route", a["id"], "--group", "market", "--now", "2026-03-02T10:00",
                      "--json").data["handler"] == "m4"


def test_a_request_is_taken_in_at_a_village_not_a_township(county_cli, init_county, tmp_path):
    """点题 happens at a village's coordination centre (L81): a request at the township is refused
    (before: taken in and left with no group and no due date; found by a fresh integrator)."""
    setup_county(init_county, tmp_path)
    run = county_cli
    r = run("case", "add", "--method", "dianti", "--unit", "sn.th", "--title", "修路", "--now", "2026-03-02T10:00", ok=2)
    assert r.stderr == ("error: --unit sn.th: dianti takes requests in at a village's coordination centre (L81) or "
                        "a unit below a village; 塘头镇 is a township\n")
    assert run("case", "list", "--json").data == []
