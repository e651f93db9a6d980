"""The API the contrib authors found missing (issue 19, "if the docs were not enough, fix the
docs"): one test per API change, on one county built once for the module with the kit's
``county_module`` fixture (gap 6). Every due instant, count and shape below is computed by hand.

The deployment: 示例县 with 东溪镇 (河上村 under it), 南溪镇 (no village) and a department. Two
methods registered in code: ``gaps`` (village: 5 calendar days, escalate; township: 10
calendar days, flagged) and ``lender``, which has no chain of its own and whose deadline is
bound to gaps (``[bindings] lender.deadline = "gaps"``).
"""

from __future__ import annotations

import datetime as dt
import json
import types

import pytest

import framework
from framework import (
    Board, BoardSection, CountyError, Deadline, MethodInfo, Milestone, Refusal, Tier, hookimpl, shift_period,
)
from framework.kernel.registry import Registry
from framework.testing import CountyRunner

TZ = dt.timezone(dt.timedelta(hours=8))

TOML = """
[deployment]
name = "示例县"
code = "sl"
methods = ["gaps", "lender"]

[bindings]
lender.deadline = "gaps"

[[units]]
code = "sl"
name = "示例县"
level = "county"

[[units]]
code = "sl.dx"
name = "东溪镇"
level = "township"
parent = "sl"

[[units]]
code = "sl.dx.hs"
name = "河上村"
level = "village"
parent = "sl.dx"

[[units]]
code = "sl.nx"
name = "南溪镇"
level = "township"
parent = "sl"

[[units]]
code = "sl.gj"
name = "供水站"
level = "department"
parent = "sl"

[[people]]
id = "hs-wang"
name = "王村干"
unit = "sl.dx.hs"
roles = ["cadre"]
phone = "13900001111"
"""


def _gaps_plugin() -> types.ModuleType:
    mod = types.ModuleType("gaps_plugin")

    @hookimpl
    def county_method():
        """Village 5 calendar days, then the township 10, flagged."""
        return MethodInfo(name="gaps", title_zh="五日办结法", title="Five days", source_county="示例县",
                          source_lines="n/a", stages=("deadline", "publicity"), roles={"cadre": "村干部"},
                          tiers=[Tier("village", "村", "village"), Tier("township", "乡镇", "township")])

    @hookimpl
    def county_migrations(migrations):
        """One table of its own, with a JSON list column."""

        @migrations()
        def m001_items(db):
            db["gaps_items"].create({"id": int, "tags": str}, pk="id")

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        """Five calendar days at the village (escalate), ten at the township (flag)."""
        if level == "village":
            return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 5), primary=True)])
        return Deadline([Milestone("reply", ctx.calendar.calendar_days(arrived_at, 10), action="flag", primary=True)])

    @hookimpl
    def county_publicity(ctx, unit, period, cases):
        """One board listing the period's cases with their requester."""
        rows = [{"case_id": c.id, "title": c.title, "requester": c.requester.name} for c in cases()]
        return [Board(ctx.method.name, f"{unit.name}公示", unit.code, period,
                      [BoardSection("本期事项", [("case_id", "编号"), ("title", "事项"), ("requester", "诉求人")], rows)])]

    for f in (county_method, county_migrations, county_deadline, county_publicity):
        setattr(mod, f.__name__, f)
    return mod


def _lender_plugin() -> types.ModuleType:
    mod = types.ModuleType("lender_plugin")

    @hookimpl
    def county_method():
        """No chain of its own: its deadline is bound to gaps."""
        return MethodInfo(name="lender", title_zh="借用法", title="Lender", source_county="示例县", source_lines="n/a")

    mod.county_method = county_method
    return mod


REGISTRY = Registry(extra_plugins={"gaps": _gaps_plugin(), "lender": _lender_plugin()}, entry_points=False)


@pytest.fixture(scope="module")
def county(county_module) -> CountyRunner:
    """The county, initialised once for the module (gap 6: ``county_module`` + ``CountyRunner``),
    with three cases: sl-000001 (gaps, escalated by the sweep of 11-08, its village ``close`` missed),
    sl-000002 (lender, on gaps' chain), sl-000003 (gaps, resolved on 11-03)."""
    run = county_module(TOML, registry=REGISTRY)
    run("case", "add", "--method", "gaps", "--unit", "sl.dx.hs", "--title", "路灯不亮", "--requester-name", "张三丰",
        "--requester-phone", "13812345678", "--now", "2026-11-02T10:00")
    run("case", "add", "--method", "lender", "--unit", "sl.dx.hs", "--title", "借用的事项", "--now", "2026-11-02T11:00")
    run("case", "add", "--method", "gaps", "--unit", "sl.dx.hs", "--title", "水管漏水", "--now", "2026-11-02T12:00")
    run("case", "resolve", "sl-000003", "--note", "已修复", "--now", "2026-11-03T09:00")
    return run


@pytest.fixture(scope="module")
def swept(county):
    """The first sweep after the village's due instant (2026-11-07T23:59:59), as ``--json``."""
    return county("sweep", "--now", "2026-11-08T09:00", "--json").data


# -- gap 6: the module-scoped runner ----------------------------------------------------------

def test_county_runner_is_module_scoped_and_opens_a_ctx(county, tmp_path):
    assert county.db.name == "county.db" and county.db.exists()
    assert county("case", "list", "--json").data[0]["id"] == "sl-000001"
    ctx = county.ctx("gaps", now="2026-11-02T10:00")
    assert (ctx.now.isoformat(), ctx.method.name) == ("2026-11-02T10:00:00+08:00", "gaps")
    # a runner on a database that was never initialised says so in one line (exit 2)
    r = CountyRunner(tmp_path / "none.db", registry=REGISTRY)("case", "list", ok=2)
    assert "no such database" in r.output


# -- gap 1: the chain a case follows ----------------------------------------------------------

def test_chain_of_names_the_method_whose_tiers_govern_the_case(county):
    ctx = county.ctx("lender")
    lent = ctx.cases.get("sl-000002")
    assert ctx.chain_of(lent).name == "gaps"
    assert [t.name for t in ctx.chain_of(lent).tiers] == ["village", "township"]
    assert ctx.chain_of("gaps").name == "gaps"
    village = ctx.milestones.of("sl-000002", level="village")
    assert [(m.name, m.due_at.isoformat()) for m in village] == [("close", "2026-11-07T23:59:59+08:00")]


# -- gap 2: ancestor's fallback and its strict form -------------------------------------------

def test_ancestor_strict_does_not_fall_back_to_another_subtree(county):
    ctx = county.ctx("gaps")
    # 南溪镇 has no village; the deployment's only village is 东溪镇's 河上村
    assert ctx.ancestor("sl.nx", "village").code == "sl.dx.hs"
    assert ctx.ancestor("sl.nx", "village", strict=True) is None
    assert ctx.ancestor("sl.dx.hs", "township", strict=True).code == "sl.dx"
    assert ctx.ancestor("sl.gj", "township") is None  # two townships: no fallback either way
    assert ctx.ancestor("nowhere", "village", strict=True) is None


# -- gap 3: the --json shapes of sweep, duties, appraise, board ------------------------------

def test_sweep_json_is_now_and_actions(swept, county):
    assert swept == {"now": "2026-11-08T09:00:00+08:00", "actions": [
        {"case": "sl-000001", "milestone": "close", "due_at": "2026-11-07T23:59:59+08:00", "action": "escalate",
         "from": "village", "to": "township"},
        {"case": "sl-000002", "milestone": "close", "due_at": "2026-11-07T23:59:59+08:00", "action": "escalate",
         "from": "village", "to": "township"}]}
    assert county("sweep", "--now", "2026-11-08T09:00", "--json").data == {"now": "2026-11-08T09:00:00+08:00",
                                                                            "actions": []}


def test_duties_appraise_board_json_are_lists(county, swept):
    assert county("duties", "--date", "2026-11-30", "--json").data == []
    metrics = county("appraise", "--period", "2026-11", "--unit", "sl.dx", "--now", "2026-12-01", "--json").data
    by = {(m["method"], m["metric"], m["tier"]): m for m in metrics if m["subject"] == "sl.dx"}
    assert set(metrics[0]) == {"metric", "subject", "subject_kind", "method", "period", "numerator", "denominator",
                               "value", "label", "tier"}
    res = by[("gaps", "resolution_rate", None)]
    assert (res["subject"], res["numerator"], res["denominator"], res["value"]) == ("sl.dx", 1, 2, 0.5)
    boards = json.loads(county("board", "--unit", "sl.dx.hs", "--period", "2026-11", "--format", "json").stdout)
    assert [(b["method"], b["title"], b["unit"], b["period"], b["notes"]) for b in boards] == [
        ("gaps", "河上村公示", "sl.dx.hs", "2026-11", [])]
    section = boards[0]["sections"][0]
    assert section["columns"] == [["case_id", "编号"], ["title", "事项"], ["requester", "诉求人"]]
    assert section["rows"][0] == {"case_id": "sl-000001", "title": "路灯不亮", "requester": "张某"}


# -- gap 4: meet after the sweep marked the milestone missed ----------------------------------

def test_meet_is_refused_once_the_sweep_marked_the_milestone_missed(county, swept):
    ctx = county.ctx("gaps", now="2026-11-08T10:00")
    assert ctx.milestones.of("sl-000001", state="pending", level="village", name="close") == []
    with pytest.raises(Refusal, match="has no pending milestone 'close' at tier township"):
        ctx.actions.record_event("sl-000001", "checked", meet="close")


# -- gaps 10 and 17: a fresh limit at the same tier after a missed one ------------------------

def test_add_milestone_after_a_missed_flag(county, swept):
    # sl-000001 at the township since 11-08 09:00: reply due 11-18T23:59:59, flagged by the sweep of 11-19
    flagged = county("sweep", "--now", "2026-11-19T08:00", "--json").data["actions"]
    assert [(a["case"], a["milestone"], a["action"]) for a in flagged] == [
        ("sl-000001", "reply", "flag"), ("sl-000002", "reply", "flag")]
    ctx = county.ctx("gaps", now="2026-11-19T09:00")
    due = ctx.calendar.calendar_days(ctx.now, 3)  # 11-22T23:59:59
    case = ctx.actions.add_milestone("sl-000001", Milestone("reply_again", due, action="flag", primary=True),
                                     note="督办后再限时3天")
    assert (case.level, case.status, case.due_at.isoformat()) == ("township", "escalated", "2026-11-22T23:59:59+08:00")
    last = case.events[-1]
    assert (last.type, last.note, last.data) == ("milestone_added", "督办后再限时3天", {
        "milestone": "reply_again", "due_at": "2026-11-22T23:59:59+08:00", "action": "flag", "primary": True})
    pending = ctx.milestones.of("sl-000001", state="pending")
    assert [(m.level, m.name, m.primary) for m in pending] == [("township", "reply_again", True)]
    # the same name while pending, a second primary, a due instant before the arrival at the tier
    with pytest.raises(Refusal, match="already has a pending milestone 'reply_again'"):
        ctx.actions.add_milestone("sl-000001", Milestone("reply_again", due, action="flag"))
    with pytest.raises(Refusal, match="already has a pending primary milestone at tier township"):
        ctx.actions.add_milestone("sl-000001", Milestone("other", due, action="flag", primary=True))
    with pytest.raises(CountyError, match="not after the case arrived at its tier"):
        ctx.actions.add_milestone("sl-000001", Milestone("early", dt.datetime(2026, 11, 8, 8, tzinfo=TZ)))
    with pytest.raises(CountyError, match="action 'shout' is not one of"):
        ctx.actions.add_milestone("sl-000001", Milestone("bad", due, action="shout"))
    # the sweep applies it like any other: flagged once, on 11-23
    again = county("sweep", "--now", "2026-11-23T08:00", "--json").data["actions"]
    assert [(a["case"], a["milestone"], a["due_at"]) for a in again] == [
        ("sl-000001", "reply_again", "2026-11-22T23:59:59+08:00")]
    with pytest.raises(Refusal, match="cannot add a milestone to it"):
        county.ctx("gaps").actions.add_milestone("sl-000003", Milestone("x", due))


# -- gap 11: scope(None, None), unit=None, a single event type ---------------------------------

def test_no_filter_forms_and_a_single_event_type(county, swept):
    ctx = county.ctx("gaps")
    assert ctx.scope(None, None) == ([], [])
    assert ctx.cases.ids(unit=None) == ctx.cases.ids() == ["sl-000001", "sl-000002", "sl-000003"]
    assert ctx.cases.ids(status=[]) == []  # an empty list matches nothing
    one = ctx.events.find("escalated", at="2026-11")
    assert [(e.case_id, e.data) for e in one] == [("sl-000001", {"from": "village", "to": "township"}),
                                                  ("sl-000002", {"from": "village", "to": "township"})]
    assert [e.seq for e in one] == [e.seq for e in ctx.events.find(["escalated"], at="2026-11")]


# -- gap 12: datetimes in extra and data are ISO 8601 -----------------------------------------

def test_record_event_stores_datetimes_as_iso_8601(county):
    ctx = county.ctx("gaps", now="2026-11-04T08:00")
    when = dt.datetime(2024, 7, 19, 23, 0, tzinfo=TZ)
    case = ctx.actions.record_event("sl-000003", "noted", data={"at": when, "on": when.date()},
                                    extra={"promised_at": when, "said_on": when.date(), "text": "x"})
    assert case.extra == {"promised_at": "2024-07-19T23:00:00+08:00", "said_on": "2024-07-19", "text": "x"}
    assert case.events[-1].data == {"at": "2024-07-19T23:00:00+08:00", "on": "2024-07-19"}
    # and the plugin's own rows, through ctx.db, as before
    ctx.db.insert("gaps_items", {"id": 1, "tags": ["a", "b"]})
    assert ctx.db.query("select tags from gaps_items where id = 1") == [{"tags": '["a", "b"]'}]


# -- gap 13: the masking helpers at the root ---------------------------------------------------

def test_masking_helpers_are_exported():
    for name in ("mask_name", "mask_phone", "mask_address", "mask_text"):
        assert name in framework.__all__
    assert framework.mask_name("张三丰") == "张某"
    assert framework.mask_address("富兴镇柳林沟村3组12号") == "富兴镇柳林沟村"
    assert framework.mask_text("联系电话13812345678") == "联系电话138****5678"


# -- gap 16: closing a resolved case ----------------------------------------------------------

def test_close_takes_a_resolved_case_to_closed_and_nothing_else(county):
    ctx = county.ctx("gaps", now="2026-11-05T10:00")
    with pytest.raises(Refusal, match="sl-000002 is escalated; only a resolved or confirmed case can be closed"):
        ctx.actions.close("sl-000002", "销号")
    with pytest.raises(Refusal, match="its latest event is 'noted' at 2026-11-04T08:00:00\\+08:00; cannot close it"):
        county.ctx("gaps", now="2026-11-04T07:00").actions.close("sl-000003", "太早")
    with pytest.raises(CountyError, match="close: a note is required"):
        ctx.actions.close("sl-000003", " ")
    done = ctx.actions.close("sl-000003", "督办销号")
    assert (done.status, done.is_open, done.events[-1].type, done.events[-1].note, done.events[-1].data) == (
        "closed", False, "closed", "督办销号", {"from": "resolved"})
    with pytest.raises(Refusal, match="sl-000003 is closed"):
        ctx.actions.close("sl-000003", "again")
    with pytest.raises(Refusal):
        ctx.actions.confirm("sl-000003", "satisfied")
    assert ctx.cases.ids(status="closed") == ["sl-000003"]


# -- gap 20: json_each through ctx.db ----------------------------------------------------------

def test_ctx_db_reads_json_each_but_not_the_kernel_through_it(county):
    ctx = county.ctx("gaps")
    ctx.db.upsert("gaps_items", {"id": 2, "tags": ["路灯", "供水"]}, pk="id")
    rows = ctx.db.query("select i.id, j.value from gaps_items i, json_each(i.tags) j where i.id = 2 order by j.key")
    assert rows == [{"id": 2, "value": "路灯"}, {"id": 2, "value": "供水"}]
    with pytest.raises(CountyError, match="'cases' is not one of them"):
        ctx.db.query("select * from json_each((select extra from cases limit 1))")
    # CTEs: count(*) straight over one reads as a table of its name (§6.7)
    cte = "with recursive {0}(x) as (select 1 union all select x + 1 from {0} where x < 3) select count({1}) n from {0}"
    assert ctx.db.query(cte.format("r", "x")) == ctx.db.query(cte.format("gaps_r", "*")) == [{"n": 3}]
    with pytest.raises(CountyError, match="'r' is not one of them"):
        ctx.db.query(cte.format("r", "*"))


# -- gap 21: the same period a year before ----------------------------------------------------

@pytest.mark.parametrize("period, steps, years, expected", [
    ("2026-03", 0, -1, "2025-03"), ("2026-01", -1, 0, "2025-12"), ("2026Q1", -1, 0, "2025Q4"),
    ("2026q4", 1, 0, "2027Q1"), ("2026H1", -1, 0, "2025H2"), ("2026H2", 0, -1, "2025H2"), ("2026", -1, 0, "2025"),
    ("2024-02-29", 0, -1, "2023-02-28"), ("2026-12-31", 1, 0, "2027-01-01"),
])
def test_shift_period(period, steps, years, expected, county):
    assert shift_period(period, steps, years=years) == expected
    assert county.ctx("gaps").calendar.shift_period(period, steps, years=years) == expected


def test_shift_period_refuses_a_bad_period():
    with pytest.raises(CountyError, match="'2026-13' is not a period"):
        shift_period("2026-13", years=-1)


# -- gap 9: the conformance suite's generic case's codes --------------------------------------

def test_conformance_generic_case_takes_the_first_codes_unless_told():
    from framework.testing.conformance import MethodConformance

    assert (MethodConformance.case_channel, MethodConformance.case_category) == (None, None)


# -- gap 3: docs/hooks.md §9.4 names exactly the keys the commands print ----------------------

def _json_row(command: str) -> str:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "hooks.md").read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if line.startswith(f"| `{command}"))


def test_section_9_json_table_matches_the_commands(county, swept):
    import re

    def keys(fragment: str) -> set[str]:
        return set(re.findall(r'"(\w+)"', fragment))

    sweep_row = _json_row("county sweep")
    assert {"now", "actions"} <= keys(sweep_row)
    assert keys(sweep_row.split('"actions": [', 1)[1].split("]", 1)[0]) == set(swept["actions"][0])
    metrics = county("appraise", "--period", "2026-11", "--json").data
    assert keys(_json_row("county appraise").split("With `--out", 1)[0]) == set(metrics[0])
    board = json.loads(county("board", "--unit", "sl.dx.hs", "--period", "2026-11", "--format", "json").stdout)[0]
    assert keys(_json_row("county board").split("With `--out", 1)[0]) == (
        set(board) | set(board["sections"][0]))


def test_the_new_writers_keep_the_audit_invariants(county, swept):
    """After add_milestone, close and ISO extras, ``county check`` and ``county verify`` find the
    county whole (one pending primary equal to due_at, misses counted, the event chain sealed)."""
    assert county("check").output.startswith("已检查事项 3 件：数据库完整，业务约束无一违反")
    assert county("verify").output.startswith("已核验事项 3 件")


# -- gap 8: units are hashable ----------------------------------------------------------------

def test_units_are_frozen_and_hashable(county):
    import attrs

    ctx = county.ctx("gaps")
    villages = {ctx.units["sl.dx.hs"], ctx.unit("sl.dx.hs"), ctx.ancestor("sl.dx.hs", "village", strict=True)}
    assert [u.code for u in villages] == ["sl.dx.hs"]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ctx.units["sl.dx"].name = "改名"
