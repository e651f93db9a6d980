"""Composition (issue 16): which ``[bindings]`` a method allows (``MethodInfo.stage_rules``, checked
by ``county init`` for every method alike) and where a method applies (``[where]``).

Every due instant below is computed by hand: calendar days end at 23:59:59 local (+08:00) on
the Nth day after the local day of arrival (conventions §2); the sweep moves a case at its own
instant, which starts the next tier's clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import types

import pytest

from framework import Deadline, MethodInfo, Milestone, StageRule, Tier, hookimpl
from framework.errors import CountyError
from framework.kernel.registry import Registry
from deployments import three_levels

FIVE = ("taizhang", "dianti", "daiban", "xiangkai", "shequ365")
BINDABLE = ("intake", "triage", "assignment", "deadline")

# -- part 1: bindings ----------------------------------------------------------------------

#: What each method keeps, as county init words it (the tail after "SRC keeps its own STAGE — ").
KEEPS = {
    ("taizhang", "intake"): "建账 is the ledger sheet (一事、一记、一档) kept by the village or community that "
                            "collected the matter (L25, L29)",
    ("taizhang", "triage"): "议账 files each matter in one of the three ledgers by the topic on its ledger sheet (L35)",
    ("taizhang", "assignment"): "each tier of 村、乡、县三级分层处置 has its responsible person: the village party "
                                "secretary, a township cadre, the 三账办, the department (L25, L29)",
    ("taizhang", "deadline"): "限时结账: the village 5 days, the township 10 days to reply and 15 to report up, the "
                              "三账办 5 days, the department 15 and 18 days (L29)",
    ("dianti", "intake"): "点题 is taken in at the coordination centre's window in the village, staffed on the village "
                          "cadres' rota (L75, L81)",
    ("dianti", "triage"): "the coordination centre routes each request, by its service and skill, to a service group "
                          "of the village's register (L79, L81)",
    ("dianti", "assignment"): "the member of the routed service group with the skill is the request's 服务责任人 (L79, L81)",
    ("daiban", "intake"): "an errand is taken in on its tracking card (为民代办服务跟踪卡) with its mode and scope (L227, L229)",
    ("daiban", "triage"): "an errand is entrusted as it is, with no sorting step: its mode and scope decide who "
                          "carries it and its time limit (L225–L229)",
    ("daiban", "assignment"): "the card's mode decides the agent: the requester's group agent at the door, the mobile "
                              "service team, or an agent of the place (L225, L227)",
    ("daiban", "deadline"): "the agent promises 24 hours for an errand the township can do and 4 days for one that "
                            "needs the county seat (L229)",
    ("xiangkai", "intake"): "征集议题: a topic is gathered on visits, by hotline, opinion box or online, with its "
                            "urgency and importance (L246)",
    ("xiangkai", "triage"): "梳理议题: topics are sorted into 民生民本、经济建设、基层组织建设 and by 轻重缓急 (L246)",
    ("xiangkai", "assignment"): "a topic stays with the unit that took it in until its supervision notice names the "
                                "responsible person (定责任人, L253)",
    ("xiangkai", "deadline"): "a topic waits at its own tier topic, with no limit, and only an open topic at tier topic "
                              "can go on a meeting's agenda (L246, L252); a settled topic is due by its supervision "
                              "notice's completion deadline (定完成时限, L253)",
    ("shequ365", "intake"): "民情收集: a matter comes from the grid's two patrols, the five visits and the five "
                            "questions, by household and grid (L381)",
    ("shequ365", "triage"): "民情处置 by the nature of the matter: 限时办结, 归口办理 or 多方协调 is the tier it starts at (L381)",
    ("shequ365", "assignment"): "by handling form: the grid's social worker, the individual, unit or team that takes "
                                "it up, or the community's coordination meeting (L377, L381)",
    ("shequ365", "deadline"): "the three handling forms are its own tiers: 限时办结 within the deployment's limit, "
                              "归口办理 by the committed date, 多方协调 at the community's meeting (L381)",
}
DIANTI_DEADLINE = ("the source names no time limit, so a chain that starts at the village, where the request is "
                   "taken in, may time it (L75, L81); dianti's own due instant is the committed service date of its "
                   "own requests")
#: dianti's deadline is the one stage of the five that may be bound: to a chain starting at the village.
OTHER_REFUSALS = {
    ("dianti", "deadline", "daiban"): "dianti needs a chain whose first tier is served by a village, and daiban has "
                                      "no tier chain — " + DIANTI_DEADLINE,
    ("dianti", "deadline", "shequ365"): "dianti needs a chain whose first tier is served by a village, and "
                                        "shequ365's first tier time_limited is served by a community — " + DIANTI_DEADLINE,
    ("dianti", "deadline", "xiangkai"): "xiangkai's deadline serves only xiangkai's own cases, not dianti's — "
                                        + KEEPS[("xiangkai", "deadline")],
}
ALLOWED = {("dianti", "deadline", "taizhang")}



def small(methods, bindings: dict[str, str] | None = None, extra: str = "") -> str:
    text = three_levels(methods)
    if bindings:
        text += "\n[bindings]\n" + "".join(f'{k} = "{v}"\n' for k, v in bindings.items())
    return text + extra


def expected_refusal(src, stage, tgt) -> str | None:
    if (src, stage, tgt) in ALLOWED:
        return None
    tail = OTHER_REFUSALS.get((src, stage, tgt)) or f"{src} keeps its own {stage} — {KEEPS[(src, stage)]}"
    return f"[bindings] {src}.{stage} = '{tgt}': {tail}"


def assert_config_error(stderr: str, cfg, message: str, line_starts: str) -> None:
    """One line ``error: FILE:LINE: MESSAGE`` whose LINE is the file's line starting with ``line_starts``
    (the key at fault)."""
    m = re.fullmatch(rf"error: {re.escape(str(cfg))}:(\d+): {re.escape(message)}\n", stderr)
    assert m, stderr
    assert cfg.read_text(encoding="utf-8").splitlines()[int(m.group(1)) - 1].startswith(line_starts)


MATRIX = [(s, st, t) for s, st, t in itertools.product(FIVE, BINDABLE, FIVE) if s != t]


@pytest.mark.parametrize("src,stage,tgt", MATRIX, ids=[f"{s}.{st}={t}" for s, st, t in MATRIX])
def test_county_init_refuses_every_binding_that_breaks_one_of_the_five(src, stage, tgt, county_cli, tmp_path):
    """All 80 cross-bindings of the five methods: one is sound (dianti.deadline = taizhang, docs/hooks.md §2),
    every other is refused by `county init` with one line naming both methods and the casebook rule."""
    cfg = tmp_path / "county.toml"
    cfg.write_text(small(FIVE, {f"{src}.{stage}": tgt}), encoding="utf-8")
    want = expected_refusal(src, stage, tgt)
    r = county_cli("init", "--config", cfg, ok=0 if want is None else 2)
    if want is not None:
        assert_config_error(r.stderr, cfg, want, f"{src}.{stage} = ")


def test_the_issues_two_examples_word_for_word(county_cli, tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(small(FIVE, {"xiangkai.deadline": "taizhang"}), encoding="utf-8")
    r = county_cli("init", "--config", cfg, "--json", ok=2)
    doc = json.loads(r.stdout)
    doc["error"] = doc["error"].split(": ", 1)[1]  # after "FILE:LINE"
    assert doc == {
        "error": "[bindings] xiangkai.deadline = 'taizhang': xiangkai keeps its own deadline — a topic waits at its "
                 "own tier topic, with no limit, and only an open topic at tier topic can go on a meeting's agenda "
                 "(L246, L252); a settled topic is due by its supervision notice's completion deadline "
                 "(定完成时限, L253)",
        "exit_code": 2}
    cfg.write_text(small(FIVE, {"daiban.deadline": "taizhang"}), encoding="utf-8")
    r = county_cli("init", "--config", cfg, ok=2)
    assert_config_error(r.stderr, cfg, "[bindings] daiban.deadline = 'taizhang': daiban keeps its own deadline — the "
                        "agent promises 24 hours for an errand the township can do and 4 days for one that needs the "
                        "county seat (L229)", "daiban.deadline = ")


# -- the one sound binding of the five runs as documented --------------------------------

SINAN = """
[deployment]
name = "思南县"
code = "sn"
methods = ["dianti", "taizhang"]

[bindings]
dianti.deadline = "taizhang"

[[units]]
code = "sn"
name = "思南县"
level = "county"
[[units]]
code = "sn.sza"
name = "县三账办"
level = "ledger_office"
parent = "sn"
[[units]]
code = "sn.zjj"
name = "县住建局"
level = "department"
parent = "sn"
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

[[people]]
id = "c1"
name = "王坐班"
unit = "sn.th.hf"
roles = ["village_cadre"]
[[people]]
id = "th1"
name = "周镇干"
unit = "sn.th"
roles = ["township_cadre"]
[[people]]
id = "sza1"
name = "何办员"
unit = "sn.sza"
roles = ["ledger_office_staff"]
"""
REGISTER = """id,name,unit,group,group_name,skills,party_member,leader
m1,牟仕林,sn.th.hf,livestock,畜牧技术服务小组,"生猪,养殖",yes,yes
"""


def test_dianti_bound_to_taizhang_deadlines_runs_taizhangs_chain(init_county, tmp_path):
    """dianti routes and assigns the request (L81); taizhang's chain (L29) times it and carries it up:
    village 5 days → township (reply 10, report up 15) → 三账办 5 → a department 15/18."""
    run = init_county(SINAN)
    (tmp_path / "register.csv").write_text(REGISTER, encoding="utf-8")
    run("dianti", "member", "import", tmp_path / "register.csv")
    run("dianti", "group", "add", "--unit", "sn.th.hf", "--code", "livestock", "--skills", "生猪,养殖")
    a = run("case", "add", "--method", "dianti", "--unit", "sn.th.hf", "--title", "生猪防疫", "--channel", "window",
            "--now", "2026-03-02T10:00", "--json").data
    # dianti's own intake, triage and assignment: the livestock group's member m1
    assert (a["method"], a["category"], a["handler"], a["unit"]) == ("dianti", "livestock", "m1", "sn.th.hf")
    # taizhang's village tier: 03-02 + 5 calendar days
    assert (a["level"], a["due_at"]) == ("village", "2026-03-07T23:59:59+08:00")
    assert run("sweep", "--now", "2026-03-07T23:59:59", "--json").data["actions"] == []
    acts = run("sweep", "--now", "2026-03-08T00:00", "--json").data["actions"]
    assert [(x["case"], x["milestone"], x["action"], x["from"], x["to"]) for x in acts] == [
        (a["id"], "close", "escalate", "village", "township")]
    c = run("case", "show", a["id"], "--json").data
    # taizhang's assignment at the township: the township and its one cadre; reply 03-08 + 10, report up 03-08 + 15
    assert (c["level"], c["unit"], c["handler"], c["status"]) == ("township", "sn.th", "th1", "escalated")
    assert c["due_at"] == "2026-03-23T23:59:59+08:00"
    assert c["extra"]["reply_due_at"] == "2026-03-18T23:59:59+08:00"
    acts = run("sweep", "--now", "2026-03-19T00:00", "--json").data["actions"]
    assert [(x["milestone"], x["action"]) for x in acts] == [("reply", "flag")]
    acts = run("sweep", "--now", "2026-03-24T00:00", "--json").data["actions"]
    assert [(x["milestone"], x["action"], x["to"]) for x in acts] == [("report_up", "escalate", "ledger_office")]
    c = run("case", "show", a["id"], "--json").data
    # the 三账办: register and hand over within 5 days of 03-24
    assert (c["level"], c["unit"], c["handler"], c["due_at"]) == (
        "ledger_office", "sn.sza", "sza1", "2026-03-29T23:59:59+08:00")
    run("case", "assign", a["id"], "--unit", "sn.zjj", "--now", "2026-03-25T09:00")
    c = run("case", "show", a["id"], "--json").data
    # the department: finish within 15 days of 03-25, written report within 18
    assert (c["level"], c["unit"], c["due_at"], c["extra"]["report_due_at"]) == (
        "department", "sn.zjj", "2026-04-09T23:59:59+08:00", "2026-04-12T23:59:59+08:00")
    run("case", "resolve", a["id"], "--note", "已完成防疫", "--now", "2026-04-08T16:00")
    assert run("sweep", "--now", "2026-04-13T00:00", "--json").data["actions"] == []
    c = run("case", "show", a["id"], "--json").data
    assert (c["status"], c["resolved_level"]) == ("resolved", "department")


def test_the_township_replies_to_a_bound_dianti_request_as_to_a_ledger_case(init_county, tmp_path):
    """A dianti request on taizhang's chain owes the township's 10-day reply (L29) like a ledger
    case: `county taizhang reply` meets it, so the sweep does not flag it (before: refused as "a
    dianti case", and the 督办 flag could not be avoided; found by a fresh integrator)."""
    run = init_county(SINAN)
    (tmp_path / "register.csv").write_text(REGISTER, encoding="utf-8")
    run("dianti", "member", "import", tmp_path / "register.csv")
    run("dianti", "group", "add", "--unit", "sn.th.hf", "--code", "livestock", "--skills", "生猪,养殖")
    a = run("case", "add", "--method", "dianti", "--unit", "sn.th.hf", "--title", "生猪防疫", "--channel", "window",
            "--now", "2026-03-02T10:00", "--json").data
    run("sweep", "--now", "2026-03-08T00:00")
    c = run("taizhang", "reply", a["id"], "--note", "镇畜牧站已安排", "--now", "2026-03-12T09:00", "--json").data
    assert (c["method"], c["level"], c["status"]) == ("dianti", "township", "in_progress")
    acts = run("sweep", "--now", "2026-03-19T00:00", "--json").data["actions"]
    assert acts == []  # the reply milestone was met on 03-12, before its 03-18 23:59:59
    r = run("taizhang", "reply", a["id"], "--note", "再答复", "--now", "2026-03-20T09:00", ok=1)
    assert r.stderr == f"error: case {a['id']} has no pending milestone 'reply' at tier township\n"


# -- the declaration is the kernel's, for any method ------------------------------------------


def asker(rule: StageRule, name: str = "ask"):
    """A method with no chain of its own whose deadline stage asks ``rule`` of the method bound there."""
    mod = types.ModuleType(f"test_plugin_{name}")

    @hookimpl
    def county_method():
        return MethodInfo(name=name, title_zh="问答法", title="Ask", source_county="测试县", source_lines="L0",
                          stage_rules={"deadline": rule})

    mod.county_method = county_method
    return mod


def chain2(lend_assignment: bool = True, name: str = "two"):
    """A two-tier method (village 48 hours, township 3 days); its assignment may serve only its own cases."""
    mod = types.ModuleType(f"test_plugin_{name}")

    @hookimpl
    def county_method():
        rules = {} if lend_assignment else {
            "assignment": StageRule("its handler is named on its own request form (example rule 2)", lend=False)}
        return MethodInfo(name=name, title_zh="两级法", title="Two tiers", source_county="测试县", source_lines="L0",
                          stages=("deadline",), tiers=[Tier("village", "村", "village"), Tier("township", "镇", "township")],
                          stage_rules=rules)

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        if level == "village":
            return Deadline([Milestone("close", ctx.calendar.hours(arrived_at, 48), "escalate", "township", True)])
        return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 3), "flag", None, True)])

    mod.county_method, mod.county_deadline = county_method, county_deadline
    return mod


VILLAGE_THEN_TOWNSHIP = StageRule("a request is answered by its village, else by its township (example rule 1)",
                                  tiers=("village", "township"), first_tier="village")


def test_a_requirement_met_binds_and_runs(make_county):
    """ask.deadline asks for a chain village → … township …: taizhang's has it, and runs."""
    reg = Registry({"ask": asker(VILLAGE_THEN_TOWNSHIP)})
    county = make_county(small(["ask", "taizhang"], {"ask.deadline": "taizhang"}), now="2026-11-02T10:00", registry=reg)
    case = county.add_case("ask", "cs.t1.v1", "路灯不亮")
    assert (case.level, case.due_at.isoformat()) == ("village", "2026-11-07T23:59:59+08:00")
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-08T00:00:00+08:00")
    assert [(a["from"], a["to"]) for a in county.sweep()] == [("village", "township")]
    case = county.get_case(case.id)
    # taizhang's township: report up within 15 days of 11-08
    assert (case.level, case.unit, case.due_at.isoformat()) == ("township", "cs.t1", "2026-11-23T23:59:59+08:00")


@pytest.mark.parametrize("rule,tgt,tail", [
    (VILLAGE_THEN_TOWNSHIP, "xiangkai",
     "ask needs tier village, township in the chain of the method running its deadline, and xiangkai's chain is "
     "topic → supervised — a request is answered by its village, else by its township (example rule 1)"),
    (VILLAGE_THEN_TOWNSHIP, "daiban",
     "ask needs tier village, township in the chain of the method running its deadline, and daiban has no tier "
     "chain — a request is answered by its village, else by its township (example rule 1)"),
    (StageRule("the village answers first (example rule 3)", first_tier="village"), "shequ365",
     "ask needs a chain starting at tier village, and shequ365's starts at time_limited — the village answers "
     "first (example rule 3)"),
    (StageRule("the village answers first (example rule 3)", first_level="village"), "shequ365",
     "ask needs a chain whose first tier is served by a village, and shequ365's first tier time_limited is served "
     "by a community — the village answers first (example rule 3)"),
    (StageRule("its own limit is the law (example rule 4)", keep=True), "taizhang",
     "ask keeps its own deadline — its own limit is the law (example rule 4)"),
])
def test_a_requirement_not_met_is_refused(make_county, rule, tgt, tail):
    reg = Registry({"ask": asker(rule)})
    with pytest.raises(CountyError) as e:
        make_county(small(["ask", tgt], {"ask.deadline": tgt}), registry=reg)
    assert str(e.value) == f"[bindings] ask.deadline = '{tgt}': {tail}"


def test_a_hook_that_serves_only_its_own_cases_is_not_lent(make_county):
    """A method without any rule may bind its stages to taizhang or to a plain method, not to a stage
    declared `lend=False` — nor, for a deadline, to a chain whose assignment is not lent."""
    reg = Registry({"ask": asker(StageRule("any chain (example)")), "two": chain2(lend_assignment=False)})
    with pytest.raises(CountyError) as e:
        make_county(small(["ask", "daiban"], {"ask.deadline": "daiban"}), registry=reg)
    assert str(e.value) == ("[bindings] ask.deadline = 'daiban': daiban's deadline serves only daiban's own cases, "
                            "not ask's — " + KEEPS[("daiban", "deadline")])
    with pytest.raises(CountyError) as e:
        make_county(small(["ask", "two"], {"ask.deadline": "two"}), registry=reg)
    assert str(e.value) == ("[bindings] ask.deadline = 'two': two's chain brings its assignment at the later tiers, "
                            "which serves only two's own cases, not ask's — its handler is named on its own request "
                            "form (example rule 2)")
    # a chain that lends its assignment too binds and runs: 48 hours at the village, then 3 days
    reg = Registry({"ask": asker(StageRule("any chain (example)")), "two": chain2()})
    county = make_county(small(["ask", "two"], {"ask.deadline": "two"}), now="2026-11-02T10:00", registry=reg)
    case = county.add_case("ask", "cs.t1.v1", "路灯不亮")
    assert (case.level, case.due_at.isoformat()) == ("village", "2026-11-04T10:00:00+08:00")


@pytest.mark.parametrize("rules,reason", [
    ({"publicity": StageRule("x")}, "ValueError: stage_rules: 'publicity' is not a bindable stage "
                                    "(intake, triage, assignment, deadline)"),
    ({"deadline": "keep"}, "TypeError: stage_rules['deadline'] must be a StageRule, not str"),
])
def test_a_bad_declaration_makes_the_plugin_broken(rules, reason):
    mod = types.ModuleType("test_plugin_bad")

    @hookimpl
    def county_method():
        return MethodInfo(name="bad", title_zh="坏", title="Bad", source_county="-", source_lines="-",
                          stage_rules=rules)

    mod.county_method = county_method
    assert Registry({"bad": mod}, entry_points=False).broken["bad"] == f"county_method raised {reason}"


def test_a_rule_needs_its_reason():
    with pytest.raises(ValueError, match="StageRule needs a reason"):
        StageRule(" ", keep=True)


# -- part 2: where each method applies ----------------------------------------------------------

MIXED = """
[deployment]
name = "示范县"
code = "sf"
methods = ["taizhang", "dianti", "daiban", "xiangkai", "shequ365"]

[[units]]
code = "sf"
name = "示范县"
level = "county"
[[units]]
code = "sf.sza"
name = "县三账办"
level = "ledger_office"
parent = "sf"
[[units]]
code = "sf.ts"
name = "太平镇"
level = "township"
parent = "sf"
[[units]]
code = "sf.ts.xj"
name = "新建村"
level = "village"
parent = "sf.ts"
[[units]]
code = "sf.ts.xj.g1"
name = "新建村一组"
level = "group"
parent = "sf.ts.xj"
[[units]]
code = "sf.cg"
name = "城关街道"
level = "township"
parent = "sf"
[[units]]
code = "sf.cg.hp"
name = "和平社区"
level = "community"
parent = "sf.cg"
[[units]]
code = "sf.cg.hp.g1"
name = "和平社区第一网格"
level = "grid"
parent = "sf.cg.hp"

[[people]]
id = "xj-01"
name = "李某"
unit = "sf.ts.xj"
roles = ["village_party_secretary", "agent"]
[[people]]
id = "g1-01"
name = "唐某"
unit = "sf.ts.xj.g1"
roles = ["agent"]
[[people]]
id = "hp-01"
name = "郑某"
unit = "sf.cg.hp"
roles = ["community_leader", "social_worker"]
"""
WHERE = """
[where]
taizhang = { levels = ["village"] }
dianti = { levels = ["village"] }
daiban = ["sf.ts"]
xiangkai = { units = ["sf.ts"], levels = ["village"] }
shequ365 = { levels = ["community"] }
"""
COMMUNITY_BOARD = "和平社区居务公开栏（2026-11）"


def mixed_month(run):
    """A ledger case at 新建村, a tracking card at its group, a repair at 和平社区 (November 2026)."""
    run("case", "add", "--method", "taizhang", "--unit", "sf.ts.xj", "--title", "村道破损", "--category", "livelihood",
        "--requester-name", "王某", "--now", "2026-11-02T10:00")
    run("case", "add", "--method", "daiban", "--unit", "sf.ts.xj.g1", "--title", "代办户口簿", "--requester-name",
        "张某", "--now", "2026-11-03T09:00")
    run("case", "add", "--method", "shequ365", "--unit", "sf.cg.hp", "--title", "楼道灯坏", "--category", "repair",
        "--requester-name", "赵某", "--now", "2026-11-04T09:00")


def titles(run, unit):
    return [b["title"] for b in run("board", "--unit", unit, "--period", "2026-11", "--format", "json",
                                    "--now", "2026-12-01", "--json").data]


def by_method(rows, key):
    out: dict[str, set] = {}
    for r in rows:
        out.setdefault(r["method"], set()).add(r[key])
    return out


def test_without_where_every_method_posts_everywhere(init_county):
    """Today's behaviour, kept as the default: the community also prints an empty 三本台账 and an empty
    代办 ledger."""
    run = init_county(MIXED)
    mixed_month(run)
    assert titles(run, "sf.cg.hp") == ["城关街道和平社区“三本台账”晒账公示（2026年11月）",
                                       "和平社区村民事务代办管理台账（2026-11）", COMMUNITY_BOARD]
    metrics = run("appraise", "--period", "2026-11", "--unit", "sf.cg.hp", "--json", "--now", "2026-12-01").data
    assert set(by_method(metrics, "subject")) == {"dianti", "daiban", "xiangkai", "shequ365"}


def test_a_community_shows_only_the_methods_that_apply_there(init_county):
    run = init_county(MIXED + WHERE)
    mixed_month(run)
    assert titles(run, "sf.cg.hp") == [COMMUNITY_BOARD]
    assert titles(run, "sf.cg") == [COMMUNITY_BOARD]
    assert titles(run, "sf.ts.xj") == ["太平镇新建村“三本台账”晒账公示（2026年11月）", "新建村村民事务代办管理台账（2026-11）"]
    assert titles(run, "sf") == ["太平镇新建村“三本台账”晒账公示（2026年11月）", "示范县村民事务代办管理台账（2026-11）",
                                 COMMUNITY_BOARD]


def test_duties_follow_where(init_county):
    """On 1 December: daiban's card check only at the township where it applies (not at 城关街道),
    shequ365's only at the community, nothing of taizhang, dianti, daiban or xiangkai at the community."""
    run = init_county(MIXED)
    mixed_month(run)
    everywhere = run("duties", "--date", "2026-12-01", "--now", "2026-12-01", "--json").data
    assert {(d["unit"], d["kind"]) for d in everywhere if d["method"] == "daiban"} == {
        ("sf.ts", "card_check"), ("sf.cg", "card_check")}
    run = init_county(MIXED + WHERE, name="where.toml")
    duties = run("duties", "--date", "2026-12-01", "--now", "2026-12-01", "--json").data
    units = by_method(duties, "unit")
    assert units["daiban"] == {"sf.ts"}
    assert units["shequ365"] == {"sf.cg.hp"}
    assert all(units.get(m, set()) <= {"sf.ts", "sf.ts.xj", "sf.ts.xj.g1"} for m in ("taizhang", "dianti", "xiangkai"))
    community = run("duties", "--date", "2026-12-01", "--unit", "sf.cg.hp", "--now", "2026-12-01", "--json").data
    assert community and {d["method"] for d in community} == {"shequ365"}


def test_appraisal_follows_where(init_county):
    run = init_county(MIXED + WHERE)
    mixed_month(run)
    metrics = run("appraise", "--period", "2026-11", "--unit", "sf.cg.hp", "--json", "--now", "2026-12-01").data
    assert by_method(metrics, "subject") == {"shequ365": {"sf.cg.hp"}}
    every = by_method(run("appraise", "--period", "2026-11", "--json", "--now", "2026-12-01").data, "subject")
    # a method has no metrics about a unit where it takes no part (its people are kept: daiban's agents)
    assert every["taizhang"] == {"sf", "sf.ts", "sf.ts.xj"}
    assert every["xiangkai"] == {"sf", "sf.ts", "sf.ts.xj"}
    assert every["dianti"] == {"sf.ts.xj"}
    assert every["daiban"] == {"sf", "sf.ts", "sf.ts.xj", "sf.ts.xj.g1", "xj-01", "g1-01"}
    assert every["shequ365"] == {"sf", "sf.cg", "sf.cg.hp"}


def test_intake_refuses_a_method_where_it_does_not_apply(init_county):
    run = init_county(MIXED + WHERE)
    r = run("case", "add", "--method", "taizhang", "--unit", "sf.cg.hp", "--title", "社区事", "--category",
            "livelihood", "--now", "2026-11-04T09:00", ok=2)
    assert r.stderr == ("error: --unit sf.cg.hp: taizhang does not apply at 和平社区 (sf.cg.hp); "
                        "[where] taizhang = {levels = [\"village\"]}\n")
    r = run("case", "add", "--method", "daiban", "--unit", "sf.cg.hp.g1", "--title", "代办", "--now",
            "2026-11-04T09:00", ok=2)
    assert r.stderr == ("error: --unit sf.cg.hp.g1: daiban does not apply at 和平社区第一网格 (sf.cg.hp.g1); "
                        "[where] daiban = [\"sf.ts\"]\n")
    r = run("case", "add", "--method", "xiangkai", "--unit", "sf.ts", "--title", "议题", "--channel", "hotline",
            "--now", "2026-11-04T09:00", ok=2)
    assert r.stderr == ("error: --unit sf.ts: xiangkai does not apply at 太平镇 (sf.ts); "
                        "[where] xiangkai = {units = [\"sf.ts\"], levels = [\"village\"]}\n")
    assert run("case", "list", "--json").data == []


@pytest.mark.parametrize("where,error", [
    ('shequ365 = ["cs.t1"]', "[where] shequ365: method 'shequ365' is not enabled in [deployment] methods"),
    ('taizhang = ["cs.nowhere"]', "[where] taizhang: unit 'cs.nowhere' is not a unit of this deployment"),
    ('taizhang = { levels = ["villages"] }',
     "[where] taizhang: no unit has level 'villages' (levels: county, township, village)"),
])
def test_where_is_checked_at_init(county_cli, tmp_path, where, error):
    cfg = tmp_path / "county.toml"
    cfg.write_text(small(["taizhang"], extra=f"\n[where]\n{where}\n"), encoding="utf-8")
    r = county_cli("init", "--config", cfg, ok=2)
    assert_config_error(r.stderr, cfg, error, where.split(" ")[0] + " = ")


@pytest.mark.parametrize("entry,error", [
    ("taizhang = []", "names no unit and no level; leave taizhang out of [where] to apply it everywhere, or out of "
                      "[deployment] methods to apply it nowhere"),
    ('taizhang = { unit = ["sf"] }', "unknown key(s) unit (known: units, levels)"),
    ("taizhang = 5", "give a list of unit codes, or a table with units and/or levels"),
])
def test_where_is_parsed_strictly(county_cli, tmp_path, entry, error):
    cfg = tmp_path / "county.toml"
    cfg.write_text(MIXED + f"\n[where]\n{entry}\n", encoding="utf-8")
    r = county_cli("init", "--config", cfg, ok=2)
    assert_config_error(r.stderr, cfg, f"[where] taizhang: {error}", "taizhang = ")


def test_case_import_refuses_the_rows_where_the_method_does_not_apply(init_county, tmp_path):
    run = init_county(MIXED + WHERE)
    f = tmp_path / "cases.csv"
    f.write_text("source_id,title,unit,category,created_at\n"
                 "1,社区事,sf.cg.hp,livelihood,2026-11-02 10:00\n"
                 "2,村道破损,sf.ts.xj,livelihood,2026-11-02 11:00\n", encoding="utf-8")
    r = run("case", "import", f, "--method", "taizhang", "--now", "2026-11-10T08:00", "--json", ok=False)
    rep = json.loads(r.stdout)
    assert (rep["rows"], rep["taken"]) == (2, 1)
    assert [(x["line"], x["reason"]) for x in rep["refused"]] == [
        (2, "--unit sf.cg.hp: taizhang does not apply at 和平社区 (sf.cg.hp); [where] taizhang = {levels = [\"village\"]}")]
    assert [(c["id"], c["unit"]) for c in run("case", "list", "--json").data] == [("sf-000001", "sf.ts.xj")]
