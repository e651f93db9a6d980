"""Issue 13: the sweep's cost per escalation — chunk reads, one context per method, the
savepoint of a step only when needed, fewer statements — with every behaviour kept.

One method ``probe`` defined here (tiers: village, township). At the village three milestones
from the arrival: ``visit`` after 24 hours (flag), ``close`` after 48 hours (escalate to the
township, primary) and ``report`` after 5 calendar days (none). At the township ``close``
after 3 calendar days (flag). A case taken in at 2024-03-01 10:00 thus has ``visit`` due
2024-03-02 10:00, ``close`` 2024-03-03 10:00, ``report`` 2024-03-06 23:59:59; the sweep at
2024-03-04 09:00 flags ``visit``, then escalates on ``close`` (``report`` is met: not due yet)
and the township's ``close`` falls due 2024-03-07 23:59:59.

What a case's title holds steers the township's hooks: 查 — the assignment hook reads the case's
events and milestones (and keeps what it saw); 坏 — the deadline hook raises; 记 — the deadline
hook records an event through ``ctx.actions``; 表 — the deadline hook writes a row of its own
table.
"""

import datetime as dt
import types

import pytest
from deployments import three_levels

from framework import hookimpl
from framework.kernel.audit import verify
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.models import Deadline, MethodInfo, Milestone, Tier
from framework.store.chain import FOLD_KEY, fold_problem
from framework.store.db import Store

SWEEP_AT = dt.datetime(2024, 3, 4, 9, 0)


def probe_plugin(seen: dict):
    mod = types.ModuleType("test_sweep_batch_probe")

    @hookimpl
    def county_method():
        return MethodInfo(name="probe", title_zh="探针", title="probe", source_county="测试县", source_lines="L0",
                          stages=("assignment", "deadline"),
                          tiers=[Tier("village", "村", "village"), Tier("township", "镇", "township")])

    @hookimpl
    def county_migrations(migrations):
        @migrations()
        def m001_probe_log(db):
            db["probe_log"].create({"id": int, "case_id": str}, pk="id")

    @hookimpl
    def county_assignment(ctx, case, level):
        if level == "township" and "查" in case.title:
            seen[case.id] = ([e.type for e in ctx.events.of(case.id)],
                             [(m.level, m.name, m.state) for m in ctx.milestones.of(case.id)])
        # None: the kernel's default, the tier's unit

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        if level == "village":
            return Deadline([Milestone("visit", ctx.calendar.hours(arrived_at, 24), "flag"),
                             Milestone("close", ctx.calendar.hours(arrived_at, 48), "escalate", "township", True),
                             Milestone("report", ctx.calendar.calendar_days(arrived_at, 5), "none")])
        if "表" in case.title:
            ctx.db.insert("probe_log", {"case_id": case.id})
        if "记" in case.title:
            ctx.actions.record_event(case.id, "noted", "镇级期限前的记录")
        if "坏" in case.title:
            raise RuntimeError("township rules missing")
        return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 3), "flag", None, True)])

    for name, fn in list(locals().items()):
        if name.startswith("county_"):
            setattr(mod, name, fn)
    return mod


@pytest.fixture
def county(make_county):
    seen: dict = {}

    def make(*titles):
        c = make_county(three_levels(["probe"]), now="2024-03-01T10:00",
                        registry=Registry(extra_plugins={"probe": probe_plugin(seen)}, entry_points=False))
        for t in titles:
            c.add_case("probe", "cs.t1.v1", t)
        c.clock.fixed = SWEEP_AT
        c.seen = seen
        return c

    return make


def milestones(c, case_id):
    return [tuple(r.values()) for r in c.store.query(
        "select level, name, due_at, state, closed_at from milestones where case_id = ? order by id", [case_id])]


def events(c, case_id):
    return [(r["type"], r["level"], r["note"]) for r in c.store.query(
        "select type, level, note from events where case_id = ? order by id", [case_id])]


def overdue_count(c, case_id):
    return c.store.db.execute("select overdue_count from cases where id = ?", [case_id]).fetchone()[0]


ESCALATED = [("overdue", "village", "时限已逾期：visit，期限 2024-03-02T10:00:00+08:00"),
             ("overdue", "village", "时限已逾期：close，期限 2024-03-03T10:00:00+08:00"),
             ("escalated", "township", "时限逾期：close，督办上报至镇 township"),
             ("assigned", "township", None)]
CLOSED_VILLAGE = [("village", "visit", "2024-03-02T10:00:00+08:00", "missed", "2024-03-04T09:00:00+08:00"),
                  ("village", "close", "2024-03-03T10:00:00+08:00", "missed", "2024-03-04T09:00:00+08:00"),
                  ("village", "report", "2024-03-06T23:59:59+08:00", "met", "2024-03-04T09:00:00+08:00")]
TOWNSHIP = ("township", "close", "2024-03-07T23:59:59+08:00", "pending", None)


def test_a_flag_then_an_escalation_write_the_events_milestones_and_counts_of_each(county):
    c = county("路灯", "水渠")
    acts = c.sweep()
    assert [(a["case"], a["milestone"], a["action"], a["from"], a["to"]) for a in acts] == [
        ("cs-000001", "visit", "flag", "village", "village"), ("cs-000002", "visit", "flag", "village", "village"),
        ("cs-000001", "close", "escalate", "village", "township"),
        ("cs-000002", "close", "escalate", "village", "township")]
    for cid in ("cs-000001", "cs-000002"):
        assert events(c, cid)[-4:] == ESCALATED
        assert milestones(c, cid) == CLOSED_VILLAGE + [TOWNSHIP]
        assert overdue_count(c, cid) == 2  # visit and close missed; report met
        case = c.get_case(cid)
        assert (case.status, case.level, case.unit, case.due_at.isoformat()) == (
            "escalated", "township", "cs.t1", "2024-03-07T23:59:59+08:00")
    assert verify(c.store) == []  # every event chained, every row sealed, the fold extended
    assert c.sweep() == []  # the same now again: nothing pending and due


def test_an_escalation_writes_in_six_statements_and_reads_nothing_of_its_own(county):
    c = county("路灯", "水渠", "电线")
    with c.store.transaction():  # visit met beforehand, so that the sweep only escalates
        c.store.db.execute("update milestones set state = 'met' where name = 'visit'")
    sql: list[str] = []
    c.store.db.conn.set_trace_callback(sql.append)
    assert [a["action"] for a in c.sweep()] == ["escalate"] * 3
    shapes: list[str] = []
    for s in sql:  # verb and table; a statement traced again (its trigger, executemany's rows) counted once
        w = s.replace("or ignore ", "").split()
        shape = f"insert {w[2]}" if w[0] == "insert" else f"update {w[1]}" if w[0] == "update" else w[0]
        if not shapes or shapes[-1] != shape or shape == "select":
            shapes.append(shape)
    start = shapes.index("insert temp.county_dirty")
    # the transaction reads its milestones, their cases and their events once (3 selects);
    # then per case: the dirty note, the overdue event, the village closed (one UPDATE …
    # RETURNING), the township's milestone, the case row, the escalated and assigned events
    assert shapes[:start] == ["select", "BEGIN", "delete", "select", "select", "select"]
    assert shapes[start:start + 18] == ["insert temp.county_dirty", "insert events", "update milestones",
                                        "insert milestones", "update cases", "insert events"] * 3
    assert shapes[start + 18] == "select"  # the seal, once per transaction


def test_a_hook_reading_the_kernel_sees_the_overdue_event_and_the_closed_tier(county):
    c = county("查路灯")
    c.sweep()
    assert c.seen["cs-000001"] == (
        ["registered", "overdue", "overdue"],  # taken in at the village's own unit: no assigned event
        [("village", "visit", "missed"), ("village", "close", "missed"), ("village", "report", "met")])
    assert events(c, "cs-000001")[-4:] == ESCALATED and overdue_count(c, "cs-000001") == 2
    assert verify(c.store) == []


@pytest.mark.parametrize("title", ["坏", "查坏", "表坏"])
def test_a_hook_raising_leaves_its_case_as_before_the_step_and_the_others_swept(county, title):
    c = county("路灯", title, "水渠")
    acts = c.sweep()
    assert [(a["case"], a["action"]) for a in acts] == [
        ("cs-000001", "flag"), ("cs-000002", "flag"), ("cs-000003", "flag"),
        ("cs-000001", "escalate"), ("cs-000003", "escalate")]
    assert c.sweep_failures == [{"case": "cs-000002", "milestone": "close", "plugin": "probe",
                                 "hook": "county_deadline", "error": "RuntimeError: township rules missing"}]
    # the flag of visit stays (its own step); close and report are still pending, nothing escalated
    assert milestones(c, "cs-000002") == [CLOSED_VILLAGE[0], ("village", "close", "2024-03-03T10:00:00+08:00",
                                                              "pending", None),
                                          ("village", "report", "2024-03-06T23:59:59+08:00", "pending", None)]
    assert events(c, "cs-000002")[-2:] == [
        ESCALATED[0], ("sweep_failed", "village",
                       "插件 'probe' 在 county_deadline 中出错：RuntimeError: township rules missing")]
    assert overdue_count(c, "cs-000002") == 1
    assert (c.get_case("cs-000002").status, c.get_case("cs-000002").level) == ("registered", "village")
    assert c.store.query("select count(*) as n from probe_log") == [{"n": 0}]  # the hook's own row undone too
    for cid in ("cs-000001", "cs-000003"):
        assert events(c, cid)[-4:] == ESCALATED and milestones(c, cid) == CLOSED_VILLAGE + [TOWNSHIP]
    assert verify(c.store) == []


def test_a_hook_writing_through_actions_keeps_the_order_of_events_and_the_row(county):
    c = county("记路灯", "水渠", "表电线")
    c.sweep()
    assert events(c, "cs-000001")[-5:] == [ESCALATED[0], ESCALATED[1], ("noted", "village", "镇级期限前的记录"),
                                           ESCALATED[2], ESCALATED[3]]
    for cid in ("cs-000001", "cs-000002", "cs-000003"):  # the later cases read again after the write
        assert milestones(c, cid) == CLOSED_VILLAGE + [TOWNSHIP]
        assert overdue_count(c, cid) == 2
        assert (c.get_case(cid).status, c.get_case(cid).level) == ("escalated", "township")
    assert c.store.query("select case_id from probe_log") == [{"case_id": "cs-000003"}]
    assert verify(c.store) == []


def test_a_database_older_than_the_fold_is_folded_when_opened(county, county_db):
    c = county("路灯", "水渠")
    registry = c.registry
    last = c.store.db.execute("select max(id) from events").fetchone()[0]
    with c.store.transaction():  # as a database from before the fold (and its migration) was
        c.store.db.execute("delete from meta where key = ?", [FOLD_KEY])
        c.store.db.execute("delete from _sqlite_migrations where name = 'm006_events_fold'")
    c.store.db.conn.close()
    store = Store(str(county_db))
    County(store, registry, now=SWEEP_AT)  # opening it upgrades it: every event folded, nothing else written
    assert store.get_meta(FOLD_KEY)["id"] == last == 2  # the registered event of each case
    assert fold_problem(store.db.conn) is None


def test_a_case_with_a_later_event_is_skipped_from_the_chunks_read_and_the_others_swept(county):
    c = county("路灯", "水渠")
    c.clock.fixed = dt.datetime(2024, 3, 5, 10, 0)
    c.record_event("cs-000002", "noted", "次日的记录")  # event 3, after the sweep's now below
    c.clock.fixed = SWEEP_AT
    assert [(a["case"], a["action"]) for a in c.sweep()] == [("cs-000001", "flag"), ("cs-000001", "escalate")]
    assert c.sweep_failures == [{
        "case": "cs-000002", "milestone": "visit", "plugin": "kernel", "hook": "time order",
        "error": "case cs-000002: its latest event is 'noted' at 2024-03-05T10:00:00+08:00; cannot sweep it at "
                 "2024-03-04T09:00:00+08:00, before that (event 3; events stay in time order: use a --now at or after it, and for a late entry put the real date in the note)"}]
    assert [e[0] for e in events(c, "cs-000002")] == ["registered", "noted"]  # nothing written to it
    assert [m[3] for m in milestones(c, "cs-000002")] == ["pending"] * 3 and overdue_count(c, "cs-000002") == 0
    assert verify(c.store) == []
