"""Issue 18, the kernel capabilities the contrib methods use (docs/hooks.md §12): satisfaction
scales and the close gate (reopening), linked cases with a cascading resolution, joint handling,
and milestones timed before an event. Every instant below is computed by hand (Asia/Shanghai;
2026-03-02 is a Monday).

The test method ``gate``: a village tier (5 calendar days, then escalate) and a township tier
(10 calendar days, flagged); a five-level scale that closes only on 非常满意/满意; at the village
its assignment names 王村干 and, for the category ``joint``, the county 水利局 and 赵科员 jointly
(会办); a case whose field ``meeting`` is set gets a notice milestone three days before the
meeting (``anchor="before"``) and the meeting as its primary milestone. ``plain`` is the same
with the default scale.
"""

from __future__ import annotations

import datetime as dt
import json
import types
from zoneinfo import ZoneInfo

import pytest

from framework import (
    Assignment, CountyError, Deadline, MethodInfo, Milestone, PluginError, Refusal, SatisfactionScale, Tier,
    hookimpl,
)
from framework.kernel.bulk import CaseSpec
from framework.kernel.registry import Registry
from framework.testing.conformance import MethodConformance

TZ = ZoneInfo("Asia/Shanghai")
FIVE = SatisfactionScale(
    levels=(("very_satisfied", "非常满意"), ("satisfied", "满意"), ("basically", "基本满意"),
            ("unsatisfied", "不满意"), ("very_unsatisfied", "非常不满意")),
    closes=("very_satisfied", "satisfied"))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


class Gate:
    def __init__(self, name: str, scale: SatisfactionScale | None):
        self.name, self.scale = name, scale

    @hookimpl
    def county_method(self):
        """The test method (see the module)."""
        kw = {"satisfaction": self.scale} if self.scale else {}
        return MethodInfo(name=self.name, title_zh="测试闸", title="Gate", source_county="测试县", source_lines="L1",
                          stages=("assignment", "deadline"),
                          tiers=[Tier("village", "村", "village"), Tier("township", "乡镇", "township")], **kw)

    @hookimpl
    def county_assignment(self, ctx, case, level):
        """Village: 王村干 (and 水利局/赵科员 jointly for ``joint``); township: 李镇干, no joint pair."""
        if level == "village":
            if case.category == "joint":
                return Assignment(handler="v-wang", joint_unit="g.sj", joint_handler="sj-zhao")
            if case.category == "jointp":
                return Assignment(handler="v-wang", joint_handler="sj-zhao")
            return Assignment(handler="v-wang")
        return Assignment(unit="g.t", handler="t-li")

    @hookimpl
    def county_deadline(self, ctx, case, level, arrived_at):
        """Village 5 calendar days (escalate), township 10 (flag); a meeting: notice 3 days before."""
        meeting = case.extra.get("meeting")
        if meeting and level == "village":
            m = dt.datetime.fromisoformat(meeting)
            anchor = "arrival" if case.extra.get("undeclared") else "before"
            return Deadline([Milestone("notice", m - dt.timedelta(days=3), action="flag", anchor=anchor),
                             Milestone("meeting", m, action="flag", primary=True)])
        if level == "village":
            return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 5), primary=True)])
        return Deadline([Milestone("reply", ctx.calendar.calendar_days(arrived_at, 10), action="flag", primary=True)])


def as_module(plugin: Gate) -> types.ModuleType:
    """The plugin as a module (the conformance suite reads a plugin's source file)."""
    mod = types.ModuleType(f"gate_{plugin.name}")
    mod.__file__ = __file__
    for name in ("county_method", "county_assignment", "county_deadline"):
        setattr(mod, name, getattr(plugin, name))
    return mod


GATE, PLAIN = as_module(Gate("gate", FIVE)), as_module(Gate("plain", None))

TOML = """
[deployment]
name = "测试县"
code = "g"
methods = ["gate", "plain"]

[[units]]
code = "g"
name = "测试县"
level = "county"

[[units]]
code = "g.t"
name = "东镇"
level = "township"
parent = "g"

[[units]]
code = "g.t.v"
name = "西村"
level = "village"
parent = "g.t"

[[units]]
code = "g.sj"
name = "水利局"
level = "department"
parent = "g"

[[people]]
id = "v-wang"
name = "王村干"
unit = "g.t.v"

[[people]]
id = "t-li"
name = "李镇干"
unit = "g.t"

[[people]]
id = "sj-zhao"
name = "赵科员"
unit = "g.sj"
"""


@pytest.fixture
def registry():
    return Registry(extra_plugins={"gate": GATE, "plain": PLAIN}, entry_points=False)


@pytest.fixture
def county(make_county, registry):
    return make_county(TOML, now="2026-03-02T09:30", registry=registry)


def ms(county, case_id):
    return [(m.level, m.name, m.due_at, m.state, m.anchor) for m in county.ctx("gate").milestones.of(case_id)]


# -- 12.2 satisfaction scales and the close gate ----------------------------------------------


def test_a_rating_outside_closes_reopens_at_the_resolving_tier_with_a_new_deadline(county):
    a = county.add_case("gate", "g.t.v", "路灯不亮")
    assert (a.id, a.level, a.handler, a.due_at) == ("g-000001", "village", "v-wang", at("2026-03-07T23:59:59"))
    county.clock.fixed = at("2026-03-03T10:00")
    county.resolve(a.id, "已修")
    county.clock.fixed = at("2026-03-04T08:00")
    a = county.confirm(a.id, "不满意", note="还是不亮")  # the Chinese label
    assert (a.status, a.level, a.unit, a.handler, a.satisfaction) == ("in_progress", "village", "g.t.v", "v-wang",
                                                                      "unsatisfied")
    assert (a.resolved_at, a.resolved_level, a.tier_arrived_at) == (None, None, at("2026-03-04T08:00"))
    # five calendar days after the confirmation's day: 03-09 23:59:59
    assert a.due_at == at("2026-03-09T23:59:59")
    assert [e.type for e in a.events] == ["registered", "assigned", "resolved", "reopened"]
    reopened = a.events[-1]
    assert (reopened.at, reopened.level, reopened.note) == (at("2026-03-04T08:00"), "village", "还是不亮")
    assert reopened.data == {"satisfaction": "unsatisfied", "level": "village", "unit": "g.t.v", "handler": "v-wang",
                             "joint_unit": None, "joint_handler": None}
    assert ms(county, a.id) == [
        ("village", "close", at("2026-03-07T23:59:59"), "met", "arrival"),
        ("village", "close", at("2026-03-09T23:59:59"), "pending", "arrival")]
    # the new milestone drives the sweep: escalation once it passes
    county.clock.fixed = at("2026-03-10T00:00:01")
    assert [(x["milestone"], x["from"], x["to"]) for x in county.sweep()] == [("close", "village", "township")]
    a = county.get_case(a.id)
    assert (a.level, a.unit, a.handler, a.due_at) == ("township", "g.t", "t-li", at("2026-03-20T23:59:59"))
    # the next cycle works as the first: 满意 closes
    county.clock.fixed = at("2026-03-11T09:00")
    county.resolve(a.id, "换了灯杆")
    a = county.confirm(a.id, "satisfied")
    assert (a.status, a.satisfaction, a.resolved_level) == ("confirmed", "satisfied", "township")
    assert a.events[-1].type == "confirmed" and a.events[-1].data == {"satisfaction": "satisfied"}


def test_unknown_level_is_one_line_listing_the_methods_levels_and_changes_nothing(county):
    a = county.add_case("gate", "g.t.v", "路灯")
    county.resolve(a.id, "已修")
    with pytest.raises(CountyError) as e:
        county.confirm(a.id, "ok")
    assert str(e.value) == ("--satisfaction: 'ok' is not a level of gate (use very_satisfied 非常满意, satisfied 满意, "
                            "basically 基本满意, unsatisfied 不满意, very_unsatisfied 非常不满意)")
    assert county.get_case(a.id).status == "resolved"
    p = county.add_case("plain", "g.t.v", "路灯")
    county.resolve(p.id, "已修")
    with pytest.raises(CountyError, match=r"not a level of plain \(use satisfied 满意, basically 基本满意, "
                                          r"unsatisfied 不满意\)"):
        county.confirm(p.id, "very_satisfied")


def test_the_default_scale_closes_on_every_level(county):
    p = county.add_case("plain", "g.t.v", "路灯")
    county.resolve(p.id, "已修")
    p = county.confirm(p.id, "不满意")
    assert (p.status, p.satisfaction, p.events[-1].type) == ("confirmed", "unsatisfied", "confirmed")


def test_bulk_intake_reopens_through_the_same_writer(county):
    (taken,) = list(county.add_cases([CaseSpec(
        method="gate", unit="g.t.v", title="历史诉求", created_at=at("2026-03-01T09:00"),
        resolved_at=at("2026-03-01T15:00"), resolution_note="已办", satisfaction="基本满意")]))
    assert taken.error is None
    c = county.get_case(taken.case.id)
    assert (c.status, c.satisfaction, c.level, c.handler) == ("in_progress", "basically", "village", "v-wang")
    # reopened at the confirmation (the resolution instant of the row): 03-01 + 5 days
    assert (c.tier_arrived_at, c.due_at) == (at("2026-03-01T15:00"), at("2026-03-06T23:59:59"))
    assert [e.type for e in c.events] == ["registered", "assigned", "resolved", "reopened"]
    assert ms(county, c.id) == [
        ("village", "close", at("2026-03-06T23:59:59"), "met", "arrival"),
        ("village", "close", at("2026-03-06T23:59:59"), "pending", "arrival")]
    (bad,) = list(county.add_cases([CaseSpec(method="gate", unit="g.t.v", title="坏评价", resolved_at=at("2026-03-02T09:00"),
                                             created_at=at("2026-03-02T08:00"), resolution_note="已办",
                                             satisfaction="meh")]))
    assert bad.case is None and "'meh' is not a level of gate" in str(bad.error)


def test_appraisal_counts_reopenings_and_the_scales_good_levels(county):
    a = county.add_case("gate", "g.t.v", "甲")
    b = county.add_case("gate", "g.t.v", "乙")
    for rating in ("unsatisfied", "非常不满意", "满意"):  # a: reopened twice, then closed
        county.resolve(a.id, "办")
        county.confirm(a.id, rating)
    county.resolve(b.id, "办")
    county.confirm(b.id, "very_unsatisfied")  # b: reopened once, still open
    got = {m.metric: (m.numerator, m.denominator, m.value) for m in county.appraise("2026-03", "g")
           if m.subject == "g" and m.method == "gate" and m.tier is None}
    assert got["reopened"] == (None, None, 3) and got["reopened_cases"] == (None, None, 2)
    assert got["satisfaction_rate"] == (1, 2, 0.5)  # a 满意 (good), b 非常不满意
    assert got["resolution_rate"] == (1, 2, 0.5)
    # the half-year and the next month: by the reopen events' instants
    h1 = {m.metric: m.value for m in county.appraise("2026H1", "g") if m.subject == "g" and m.method == "gate"}
    assert (h1["reopened"], h1["reopened_cases"]) == (3, 2)
    april = {m.metric: m.value for m in county.appraise("2026-04", "g") if m.subject == "g" and m.method == "gate"}
    assert april == {}
    # a method whose scale closes on every level has no reopen figures
    assert not [m for m in county.appraise("2026-03", "g") if m.method == "plain" and m.metric.startswith("reopen")]


def test_a_scale_that_names_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="SatisfactionScale.closes: 'great' is not a level"):
        SatisfactionScale(levels=(("good", "好"), ("bad", "差")), closes=("great",))
    with pytest.raises(ValueError, match="repeats"):
        SatisfactionScale(levels=(("good", "好"), ("good", "差")))
    assert (FIVE.code("满意"), FIVE.code("satisfied"), FIVE.code("满"), FIVE.reopens) == ("satisfied", "satisfied", None,
                                                                                          True)
    assert SatisfactionScale().good == ("satisfied", "basically") and not SatisfactionScale().reopens


# -- 12.3 linked cases ---------------------------------------------------------------------------


def test_link_then_cascade_resolves_the_open_linked_cases(county):
    a, b, c, d = (county.add_case("gate", "g.t.v", t) for t in ("水渠堵塞", "水渠堵塞二", "水渠堵塞三", "别的事"))
    county.clock.fixed = at("2026-03-02T10:00")
    linked = county.link([b.id, c.id], a.id, note="同一水渠")
    assert [(x.id, x.lead_id) for x in linked] == [("g-000002", "g-000001"), ("g-000003", "g-000001")]
    assert [(e.type, e.data, e.note) for e in linked[0].events if e.type == "linked"] == [
        ("linked", {"lead": "g-000001"}, "同一水渠")]
    lead = county.get_case(a.id)
    assert [e.data for e in lead.events if e.type == "linked"] == [{"case": "g-000002"}, {"case": "g-000003"}]
    ctx = county.ctx("gate")
    assert ctx.cases.ids(lead=a.id) == ["g-000002", "g-000003"] and county.list_cases(lead=a.id)[1].id == c.id
    # refusals, each leaving everything as it was
    for ids, to, msg in (([a.id], a.id, "g-000001 cannot be linked to itself"),
                         ([d.id], b.id, "case g-000002 is itself linked to lead g-000001"),
                         ([a.id], d.id, "case g-000001 is the lead of linked cases"),
                         ([b.id], d.id, "case g-000002 is already linked to lead g-000001")):
        with pytest.raises(Refusal, match=msg):
            county.link(ids, to)
    assert county.get_case(d.id).lead_id is None and county.get_case(a.id).lead_id is None
    # c on its own first; then the lead with cascade: b follows at the lead's instant
    county.clock.fixed = at("2026-03-03T09:00")
    county.resolve(c.id, "自行疏通")
    county.clock.fixed = at("2026-03-04T16:00")
    county.resolve(a.id, "统一清淤", cascade=True)
    b = county.get_case(b.id)
    assert (b.status, b.resolved_at, b.resolved_level) == ("resolved", at("2026-03-04T16:00"), "village")
    assert [(e.note, e.data) for e in b.events if e.type == "resolved"] == [
        ("统一清淤（随牵头事项 g-000001 办结）", {"lead": "g-000001"})]
    c = county.get_case(c.id)
    assert (c.resolved_at, [e.note for e in c.events if e.type == "resolved"]) == (at("2026-03-03T09:00"), ["自行疏通"])
    # a resolved lead takes no more cases
    with pytest.raises(Refusal, match="lead case g-000001 is resolved; cases are linked only to an open lead"):
        county.link([d.id], a.id)


def test_cascade_refuses_whole_when_a_linked_case_cannot_be_resolved_then(county):
    lead = county.add_case("gate", "g.t.v", "牵头")
    county.clock.fixed = at("2026-03-05T09:00")
    late = county.add_case("gate", "g.t.v", "后来的")
    county.link(late.id, lead.id)
    with pytest.raises(Refusal, match="case g-000002 was taken in at 2026-03-05T09:00:00"):
        county.resolve(lead.id, "办", at=at("2026-03-04T09:00"), cascade=True)
    assert (county.get_case(lead.id).status, county.get_case(late.id).status) == ("assigned", "assigned")
    # without cascade only the lead is resolved
    county.resolve(lead.id, "办")
    assert (county.get_case(lead.id).status, county.get_case(late.id).status) == ("resolved", "assigned")


# -- 12.4 joint handling ---------------------------------------------------------------------------


def test_joint_pair_is_stored_shown_found_and_dropped_on_escalation(county):
    j = county.add_case("gate", "g.t.v", "河堤渗水", category="joint")
    plain = county.add_case("gate", "g.t.v", "路灯")
    assert (j.unit, j.handler, j.joint_unit, j.joint_handler) == ("g.t.v", "v-wang", "g.sj", "sj-zhao")
    assert j.due_at == at("2026-03-07T23:59:59")  # the lead's deadline, unchanged
    assert [e.data for e in j.events if e.type == "assigned"] == [
        {"unit": "g.t.v", "handler": "v-wang", "joint_unit": "g.sj", "joint_handler": "sj-zhao"}]
    assert [e.data for e in plain.events if e.type == "assigned"] == [{"unit": "g.t.v", "handler": "v-wang"}]
    ctx = county.ctx("gate")
    assert ctx.cases.ids(handling_unit="g.sj") == [j.id]
    assert ctx.cases.ids(handling_unit="g") == [j.id, plain.id]
    assert ctx.cases.ids(holder="g.sj") == [] and ctx.cases.ids(unit="g.sj") == []
    assert [c.id for c in county.list_cases(unit="g.sj")] == [j.id]
    # a joint handler alone brings their own unit
    p = county.add_case("gate", "g.t.v", "堰塘", category="jointp")
    assert (p.joint_unit, p.joint_handler) == ("g.sj", "sj-zhao")
    # escalation: the township's assignment names no joint pair, so it is dropped
    county.clock.fixed = at("2026-03-03T09:00")
    j = county.escalate(j.id, "村里办不了")
    assert (j.level, j.unit, j.handler, j.joint_unit, j.joint_handler) == ("township", "g.t", "t-li", None, None)
    assert j.events[-1].type == "assigned" and j.events[-1].data == {
        "unit": "g.t", "handler": "t-li", "joint_unit": None, "joint_handler": None}
    assert county.ctx("gate").cases.ids(handling_unit="g.sj") == [p.id]


# -- 12.5 milestones due before an event -------------------------------------------------------------


def test_a_milestone_timed_before_an_event_may_fall_before_arrival_and_is_due_at_once(county):
    # arrival Mon 03-02 09:30; meeting Wed 03-04 09:00; notice three days before: Sun 03-01 09:00
    c = county.add_case("gate", "g.t.v", "议事会", fields={"meeting": "2026-03-04T09:00:00+08:00"})
    assert c.due_at == at("2026-03-04T09:00")
    assert ms(county, c.id) == [("village", "notice", at("2026-03-01T09:00"), "pending", "before"),
                                ("village", "meeting", at("2026-03-04T09:00"), "pending", "arrival")]
    assert county.sweep() == [{"case": c.id, "milestone": "notice", "due_at": "2026-03-01T09:00:00+08:00",
                               "action": "flag", "from": "village", "to": "village"}]
    assert county.sweep() == []
    # due exactly at the arrival: the sweep at that same instant applies it
    d = county.add_case("gate", "g.t.v", "议事会二", fields={"meeting": "2026-03-05T09:30:00+08:00"})
    assert [x["milestone"] for x in county.sweep()] == ["notice"] and d.id == "g-000002"
    # set_due may move a "before" milestone to before the arrival, not an undeclared one
    e = county.add_case("gate", "g.t.v", "议事会三", fields={"meeting": "2026-03-09T09:00:00+08:00"})
    county.set_due(e.id, "notice", at("2026-03-02T08:00"))
    with pytest.raises(CountyError, match="meeting due 2026-03-02T08:00:00"):
        county.set_due(e.id, "meeting", at("2026-03-02T08:00"))


def test_an_undeclared_milestone_before_arrival_is_still_refused(county):
    with pytest.raises(PluginError, match="falls due at 2026-03-01T09:00:00.*anchor='before'"):
        county.add_case("gate", "g.t.v", "议事会", fields={"meeting": "2026-03-04T09:00:00+08:00", "undeclared": True})
    assert county.list_cases() == []


class TestGateConformance(MethodConformance):
    """The conformance suite accepts a declared "before" milestone (here due before arrival)."""

    method = "gate"
    plugin = GATE
    extra_methods = ("plain",)
    case_fields = {"meeting": "2026-03-04T09:00:00+08:00"}
    publicity_shows_case = False

    def registry(self):
        cls = type(self)
        if cls._registry is None:
            cls._registry = Registry(extra_plugins={"gate": GATE, "plain": PLAIN}, entry_points=False)
        return cls._registry

    def deployment(self, info):
        dep = super().deployment(info)
        dep.people.append(type(dep.people[0])("v-wang", "王村干", "t.tn.v1"))
        dep.people.append(type(dep.people[0])("t-li", "李镇干", "t.tn"))
        return dep


# -- the CLI ------------------------------------------------------------------------------------------


def test_cli_confirm_link_cascade_list_and_show(county, county_cli, cli_registry, registry):
    cli_registry(registry)
    county.add_case("gate", "g.t.v", "河堤渗水", category="joint")
    county.add_case("gate", "g.t.v", "河堤渗水二")
    now = ["--now", "2026-03-02T11:00"]
    out = county_cli("case", "link", "g-000002", "--to", "g-000001", "--json", *now).data
    assert [(c["id"], c["lead_id"]) for c in out] == [("g-000002", "g-000001")]
    assert county_cli("case", "list", "--lead", "g-000001", "--json", *now).data[0]["id"] == "g-000002"
    listed = county_cli("case", "list", "--unit", "g.sj", *now).stdout
    assert "g-000001" in listed and "[会办]" in listed and "g-000002" not in listed
    shown = county_cli("case", "show", "g-000001", *now).stdout
    assert "  会办单位 水利局 g.sj，会办责任人 赵科员 sj-zhao\n" in shown
    assert "  关联事项 1 件：g-000002 (已交办)\n" in shown
    assert "  牵头事项 g-000001\n" in county_cli("case", "show", "g-000002", *now).stdout
    county_cli("case", "resolve", "g-000001", "--note", "加固", "--cascade", *now)
    again = county_cli("case", "confirm", "g-000002", "--satisfaction", "不满意", "--json", *now).data
    assert (again["status"], again["satisfaction"], again["due_at"]) == ("in_progress", "unsatisfied",
                                                                         "2026-03-07T23:59:59+08:00")
    bad = county_cli("case", "confirm", "g-000001", "--satisfaction", "ok", *now, ok=False)
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "not a level of gate" in bad.stderr


def test_county_case_import_rates_rows_on_the_methods_scale(county, tmp_path):
    from framework.interchange import import_file

    path = tmp_path / "rows.csv"
    path.write_text("source_id,title,unit,created_at,resolved_at,resolution_note,satisfaction\n"
                    "r1,甲,g.t.v,2026-03-01T09:00,2026-03-01T15:00,已办,非常满意\n"
                    "r2,乙,g.t.v,2026-03-01T09:00,2026-03-01T15:00,已办,basically\n"
                    "r3,丙,g.t.v,2026-03-01T09:00,2026-03-01T15:00,已办,好\n", encoding="utf-8")
    rep = import_file(county, path, method="gate")
    assert (rep.taken, len(rep.refused)) == (2, 1) and "'好' is not a level of gate" in str(rep.refused[0])
    got = {c.source_id: (c.status, c.satisfaction) for c in county.list_cases()}
    assert got == {"r1": ("confirmed", "very_satisfied"), "r2": ("in_progress", "basically")}
