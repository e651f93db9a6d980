"""Kept counts (计数留存, issue 13, :mod:`framework.store.tallies`): a count over a period's cases
is kept in ``county_tallies`` and read back next time, and every kind of write drops it — the
next appraisal always equals a fresh recount. ``county check`` names a missing trigger and a
kept count that differs from a recount (kind ``tallies``).

One small Zhongjiang county (mini_zhongjiang, taizhang) built once through the CLI; each test
works on a copy of it. Due instants: taizhang's village limit is 5 days (casebook L29), so a
case taken in 2026-11-03 13:00 is due 2026-11-08 23:59:59 (+08:00).

* zj-000001 taken in 2026-11-02 10:00, resolved 11-03 10:00, confirmed 满意 11-03 12:00;
* zj-000002 taken in 2026-11-03 13:00, open at the village, due 11-08 23:59:59;
* zj-000003 taken in 2026-10-12 10:00 (October), resolved 10-13 10:00.

At --now 2026-11-06 12:00 November's appraisal of 柳林沟村 is: cases 2, resolved 1, 办结率
1/2, 按期办结率 1/1 (zj-000002 open, not yet due: in neither), 满意率 1/1, the village's
按期率 1/1 (zj-000001's primary milestone met).

The two tests at the end are ways a first version let a kept count outlive its cases (a case
row replaced with ``insert or replace``) or keep the clock (``due_before=ctx.now``).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from deployments import mini_zhongjiang

from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.publish.appraisal import common_metrics
from framework.store import tallies
from framework.store.db import Store
from framework.testing import CountyRunner

LLG = "zj.fx.llg"
ADD = ("case", "add", "--method", "taizhang", "--unit", LLG, "--category", "livelihood")
EARLY, LATE = "2026-11-06T12:00", "2026-11-10T12:00"  # zj-000002 due 2026-11-08 23:59:59 between them
NOV_START = dt.datetime(2026, 11, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()  # 1793462400.0
#: the figures followed, as (numerator, denominator) or value: the village's row of the appraisal
FIGURES = ("cases", "resolved", "resolution_rate", "on_time_rate", "satisfaction_rate", "tier_on_time_rate")
BASE = {"cases": 2.0, "resolved": 1.0, "resolution_rate": (1.0, 2.0), "on_time_rate": (1.0, 1.0),
        "satisfaction_rate": (1.0, 1.0), "tier_on_time_rate": (1.0, 1.0)}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The county above, built once; its kept counts dropped (each test starts with none)."""
    run = CountyRunner(tmp_path_factory.mktemp("kept") / "county.db").init(mini_zhongjiang())
    run(*ADD, "--title", "路灯", "--now", "2026-11-02T10:00")
    run("case", "resolve", "zj-000001", "--note", "修好", "--now", "2026-11-03T10:00")
    run("case", "confirm", "zj-000001", "--satisfaction", "satisfied", "--now", "2026-11-03T12:00")
    run(*ADD, "--title", "水渠", "--now", "2026-11-03T13:00")
    run(*ADD, "--title", "旧路", "--now", "2026-10-12T10:00")
    run("case", "resolve", "zj-000003", "--note", "修好", "--now", "2026-10-13T10:00")
    with sqlite3.connect(run.db) as con:
        con.execute("delete from county_tallies")
    con.close()
    return run.db


@pytest.fixture
def run(base, tmp_path):
    """A CountyRunner on a fresh copy of the base county."""
    return CountyRunner(base).copy(tmp_path / "county.db")


def _raw(run) -> sqlite3.Connection:
    return sqlite3.connect(run.db, isolation_level=None)


def kept(run) -> set[tuple[str, str, float]]:
    """The kept counts' (key, dim, start_ts)."""
    con = _raw(run)
    try:
        return {tuple(r) for r in con.execute("select key, dim, start_ts from county_tallies")}
    finally:
        con.close()


def figures(run, now: str, period: str = "2026-11") -> dict:
    """The village's row of ``county appraise --json``: FIGURES, a rate as (numerator,
    denominator), a count as its value; the tier figure of the village tier."""
    out = {}
    for m in run("appraise", "--period", period, "--now", now, "--json").data:
        if m["subject"] != LLG or m["metric"] not in FIGURES or m["method"] != "taizhang":
            continue
        if m["tier"] not in (None, "village"):
            continue
        out[m["metric"]] = (m["numerator"], m["denominator"]) if m["denominator"] is not None else m["value"]
    return out


def appraisal(run, now: str, period: str = "2026-11") -> list[dict]:
    return run("appraise", "--period", period, "--now", now, "--json").data


def recount(run, now: str, period: str = "2026-11") -> list[dict]:
    """The appraisal counted afresh: every kept count dropped first."""
    con = _raw(run)
    tallies.forget_all(con)
    con.close()
    return appraisal(run, now, period)


def county_on(run, now: str | None = None, **store) -> County:
    county = County(Store(str(run.db), **store), Registry(), actor="tester")
    if now:
        county.clock.fixed = county.calendar.local(dt.datetime.fromisoformat(now))
    return county


# -- kept and read back --------------------------------------------------------------------
def test_an_appraisal_run_twice_reads_its_kept_counts(run):
    first = appraisal(run, EARLY)
    assert figures(run, EARLY) == BASE
    keys = kept(run)
    # the common metrics' two statements and taizhang's two (its tiers, its departments' cases),
    # all over the cases taken in during November
    assert len(keys) == 4 and {(d, s) for _, d, s in keys} == {("c", NOV_START)}
    assert appraisal(run, EARLY) == first
    assert kept(run) == keys  # nothing counted anew, nothing dropped
    # the second run read the kept rows: the common metrics' period statement no longer runs
    county = county_on(run, EARLY)
    statements: list[str] = []
    county.store.db.conn.set_trace_callback(statements.append)
    try:
        again = common_metrics(county, "2026-11")
    finally:
        county.store.db.conn.set_trace_callback(None)
        county.store.db.conn.close()
    counted = [s for s in statements if "group by origin_unit, method, satisfaction, resolved_level" in s]
    assert counted == []
    assert any("select rows from county_tallies" in s for s in statements)
    assert [m for m in again if m.subject == LLG and m.metric == "cases"][0].value == 2.0


def test_the_kept_rows_are_what_the_appraisal_reads(run):
    """Shown the other way: kept rows changed by hand (not by a write to the cases) are read
    back as they are — which is what ``county check`` exists to catch (below)."""
    appraisal(run, EARLY)
    key = _forge_open_cases(run, 7)
    assert figures(run, EARLY)["cases"] == 8.0  # 7 open + 1 resolved
    con = _raw(run)
    sql = con.execute("select sql from county_tallies where key = ?", [key]).fetchone()[0]
    assert tallies.stale(con) == [(key, sql)]
    con.close()


def _forge_open_cases(run, n: int) -> str:
    """Set the village's open cases in the common metrics' kept rows to ``n``; its key."""
    con = _raw(run)
    [(key, rows)] = con.execute("select key, rows from county_tallies where sql like "
                                "'%group by origin_unit, method, satisfaction, resolved_level%'").fetchall()
    forged = [[*r[:4], n, *r[5:]] if r[0] == LLG and r[3] is None else r for r in json.loads(rows)]
    assert forged != json.loads(rows)
    con.execute("update county_tallies set rows = ? where key = ?", [json.dumps(forged), key])
    con.close()
    return key


# -- every kind of write drops what it changes ---------------------------------------------
def _november(run) -> set:
    return {k for k in kept(run) if k[1] == "c" and k[2] == NOV_START}


def _after(run, now: str = EARLY) -> dict:
    """The village's figures after a write: the next appraisal, which must equal a fresh
    recount (its own kept counts then dropped again for the recount)."""
    got = appraisal(run, now)
    assert got == recount(run, now)
    return figures(run, now)


def test_a_case_taken_in_during_the_period(run):
    appraisal(run, EARLY)
    assert _november(run)
    run(*ADD, "--title", "井盖", "--now", "2026-11-05T09:00")
    assert _november(run) == set()
    assert _after(run) == {**BASE, "cases": 3.0, "resolution_rate": (1.0, 3.0)}


def test_a_case_resolved_then_rated(run):
    appraisal(run, EARLY)
    run("case", "resolve", "zj-000002", "--note", "清淤", "--now", "2026-11-05T10:00")
    assert _november(run) == set()
    # resolved at the village before its due instant: on time, its primary milestone met
    assert _after(run) == {**BASE, "resolved": 2.0, "resolution_rate": (2.0, 2.0), "on_time_rate": (2.0, 2.0),
                           "tier_on_time_rate": (2.0, 2.0)}
    assert _november(run)
    run("case", "confirm", "zj-000002", "--satisfaction", "unsatisfied", "--now", "2026-11-05T12:00")
    assert _november(run) == set()
    assert _after(run) == {**BASE, "resolved": 2.0, "resolution_rate": (2.0, 2.0), "on_time_rate": (2.0, 2.0),
                           "tier_on_time_rate": (2.0, 2.0), "satisfaction_rate": (1.0, 2.0)}


def test_a_sweep_flagging_an_open_case_of_the_period(run):
    """zj-000002's village limit (11-08 23:59:59) missed: the sweep of 11-10 flags it and moves
    it up to the township. Appraised at 11-06 (the clock before its due instant) it now counts
    late — flagged — where before the sweep it counted in neither."""
    assert figures(run, EARLY)["on_time_rate"] == (1.0, 1.0)
    run("sweep", "--now", "2026-11-10T00:00")
    assert _november(run) == set()
    assert _after(run) == {**BASE, "on_time_rate": (1.0, 2.0), "tier_on_time_rate": (1.0, 2.0)}


def test_a_case_of_another_period_leaves_the_periods_counts(run):
    appraisal(run, EARLY)
    keys = kept(run)
    assert _november(run)
    run(*ADD, "--title", "桥", "--now", "2026-10-20T09:00")  # taken in in October
    run("case", "resolve", "zj-000004", "--note", "修好", "--now", "2026-10-21T09:00")
    con = _raw(run)
    con.execute("update cases set title = '旧路（改）' where id = 'zj-000003'")  # an October case, raw
    con.close()
    assert kept(run) == keys
    assert figures(run, EARLY) == BASE
    assert appraisal(run, EARLY) == recount(run, EARLY)


def test_an_event_appended_to_a_settled_case_drops_its_periods_counts(run):
    appraisal(run, EARLY)
    assert _november(run)
    run("case", "attach", "zj-000001", "https://example.org/a.jpg", "--sha256", "ab" * 32,
        "--media-type", "image/jpeg", "--now", "2026-11-07T09:00")
    assert _november(run) == set()
    appraisal(run, EARLY)
    assert _november(run)
    con = _raw(run)  # only an event (no change to the case row): the events' trigger alone
    con.execute("insert into events (case_id, at, type, actor, data) values "
                "('zj-000001', '2026-11-07T10:00:00+08:00', 'note', 'tester', '{}')")
    con.close()
    assert _november(run) == set()
    assert _after(run) == BASE


def test_raw_sql_on_cases_and_milestones_drops_them_too(run):
    appraisal(run, EARLY)
    con = _raw(run)
    con.execute("update cases set status = 'resolved' where id = 'zj-000002'")
    assert _november(run) == set()
    assert _after(run) == {**BASE, "resolved": 2.0, "resolution_rate": (2.0, 2.0), "on_time_rate": (2.0, 2.0)}
    con.execute("update milestones set state = 'missed' where case_id = 'zj-000001'")
    assert _november(run) == set()
    assert _after(run)["tier_on_time_rate"] == (0.0, 1.0)
    con.execute("delete from milestones where case_id = 'zj-000001'")
    assert _november(run) == set()
    assert _after(run)["tier_on_time_rate"] == (0.0, 0.0)
    con.close()


def test_counts_by_resolution_period_are_kept_and_dropped_before_and_after(run):
    """dim ``r``: a count over the cases resolved in a period. zj-000001 resolved in November,
    zj-000003 in October."""
    oct_start = NOV_START - 31 * 86400

    def spans():
        return sorted(s for _, d, s in kept(run) if d == "r")

    def resolved(period):
        return run.ctx("taizhang", now=EARLY).cases.count(method="taizhang", resolved=period)

    assert (resolved("2026-11"), resolved("2026-10")) == (1, 1)
    assert spans() == [oct_start, NOV_START]
    run("case", "resolve", "zj-000002", "--note", "清淤", "--now", "2026-11-05T10:00")
    assert spans() == [oct_start]  # resolved now in November: November's dropped
    assert (resolved("2026-11"), resolved("2026-10")) == (2, 1)
    con = _raw(run)  # zj-000003's resolution moved from October into November: both dropped
    con.execute("update cases set resolved_ts = resolved_ts + 30 * 86400 where id = 'zj-000003'")
    con.close()
    assert spans() == []
    assert (resolved("2026-11"), resolved("2026-10")) == (3, 0)


# -- the clock is never kept -----------------------------------------------------------------
def test_the_clock_moves_the_figures_over_kept_counts(run):
    """zj-000002 is due 11-08 23:59:59: at 11-06 it counts in neither side of 按期办结率, at
    11-10 (no sweep ran) it is late — counted at the clock, not from the kept rows."""
    assert figures(run, EARLY) == BASE
    keys = kept(run)
    assert figures(run, LATE) == {**BASE, "on_time_rate": (1.0, 2.0), "tier_on_time_rate": (1.0, 2.0)}
    assert kept(run) == keys  # the same kept counts served both clocks
    assert figures(run, EARLY) == BASE


# -- when nothing is kept --------------------------------------------------------------------
def test_a_read_only_store_counts_without_writing(run):
    county = county_on(run, EARLY, read_only=True)
    try:
        metrics = common_metrics(county, "2026-11")
        ctx = county.ctx("taizhang")
        assert ctx.cases.count(by="status", method="taizhang", created="2026-11") == {"confirmed": 1, "registered": 1}
    finally:
        county.store.db.conn.close()
    assert [m.value for m in metrics if m.subject == LLG and m.metric in ("cases", "resolved")] == [2.0, 1.0]
    assert kept(run) == set()


def test_nothing_is_kept_inside_an_open_transaction(run):
    county = county_on(run, EARLY)
    try:
        with county.store.transaction():
            common_metrics(county, "2026-11")
            assert county.ctx("taizhang").cases.count(method="taizhang", created="2026-11") == 2
            assert county.store.db.execute("select count(*) from county_tallies").fetchone() == (0,)
        assert county.ctx("taizhang").cases.count(method="taizhang", created="2026-11") == 2  # now kept
    finally:
        county.store.db.conn.close()
    assert len(kept(run)) == 2  # the origin plan's two statements (units, and cases without one)


def test_a_writer_committing_during_the_count_stops_its_keeping(run):
    """Another connection commits (a case of the period resolved) after the count's snapshot
    was taken and before its rows are kept: the rows counted are returned, nothing is kept
    (the keeping fails on the stale snapshot, SQLITE_BUSY_SNAPSHOT); the next count keeps."""
    store = Store(str(run.db))
    other = _raw(run)

    def write_now() -> int:  # runs inside the count, its snapshot already taken
        other.execute("update cases set status = 'resolved' where id = 'zj-000002'")
        return 0

    store.db.conn.create_function("write_now", 0, write_now)
    sql = ("select status, count(*) + write_now() from cases where created_ts >= ? and created_ts < ? "
           "group by status order by status")
    span = [NOV_START, NOV_START + 30 * 86400]
    try:
        assert tallies.kept_rows(store, sql, span, "c", *span) == [("confirmed", 1), ("registered", 1)]
        assert kept(run) == set()
        assert not store.db.conn.in_transaction
        other.execute("update cases set status = 'registered' where id = 'zj-000002'")
        store.db.conn.create_function("write_now", 0, lambda: 0)
        assert tallies.kept_rows(store, sql, span, "c", *span) == [("confirmed", 1), ("registered", 1)]
        assert len(kept(run)) == 1
    finally:
        other.close()
        store.db.conn.close()


# -- dropped all at once ---------------------------------------------------------------------
def test_a_migration_applied_drops_every_kept_count(run):
    appraisal(run, EARLY)
    assert kept(run)
    con = _raw(run)  # as a database from before m008: applied again when next opened
    con.execute("delete from _sqlite_migrations where name = 'm008_kept_counts'")
    con.close()
    assert kept(run)
    run.ctx("taizhang", now=EARLY).cases._county.store.db.conn.close()
    assert kept(run) == set()


def test_a_bulk_import_drops_every_kept_count(run, tmp_path):
    appraisal(run, EARLY)
    assert kept(run)
    f = tmp_path / "old.csv"  # a case of 2025: no kept count holds it, all are dropped anyway
    f.write_text("source_id,title,unit,category,channel,created_at,resolved_at,resolution_note\n"
                 "h1,旧账,zj.fx.llg,livelihood,hotline,2025-03-02 10:00,2025-03-04 09:00,已办\n", encoding="utf-8")
    assert run("case", "import", f, "--method", "taizhang", "--json").data["taken"] == 1
    assert kept(run) == set()
    assert _after(run) == BASE


# -- the recount -----------------------------------------------------------------------------
def test_stale_names_a_kept_count_whose_rows_were_changed(run):
    appraisal(run, EARLY)
    con = _raw(run)
    assert tallies.stale(con) == []
    key, sql = con.execute("select key, sql from county_tallies where sql like '%cross join milestones%'").fetchone()
    con.execute("update county_tallies set rows = '[]' where key = ?", [key])
    assert tallies.stale(con) == [(key, sql)]
    con.close()


# -- county check ----------------------------------------------------------------------------
CLEAN = "已检查事项 3 件：数据库完整，业务约束无一违反\n"
REINSTALL = ("`delete from _sqlite_migrations where name = 'm008_kept_counts'`, then any county command re-creates "
             "it (dropping every kept count)")


def test_check_is_clean_with_kept_counts(run):
    appraisal(run, EARLY)
    assert kept(run)
    assert run("check").stdout == CLEAN
    assert run("check", "--json").data == {"ok": True, "problems": [], "cases": 3}


def test_check_names_a_kept_count_that_differs_from_a_recount(run):
    appraisal(run, EARLY)
    key = _forge_open_cases(run, 7)
    r = run("check", ok=1)
    assert r.stdout.splitlines() == [
        f"tallies: a kept count differs from a recount: key {key[:12]}, cases created in "
        "[2026-11-01T00:00:00+08:00, 2026-12-01T00:00:00+08:00), `select origin_unit, method, satisfaction, "
        "resolved_level, count(*), total(statu…`; `delete from county_tallies` and re-run"]
    doc = json.loads(run("check", "--json", ok=1).stdout)
    assert [(p["kind"], p["case"], p["event"]) for p in doc["problems"]] == [("tallies", None, None)]
    con = _raw(run)
    con.execute("delete from county_tallies")  # the remedy named: nothing lost
    con.close()
    assert run("check").stdout == CLEAN
    assert figures(run, EARLY) == BASE


def test_the_triggers_come_with_the_first_count_kept_and_go_with_the_last(run):
    con = _raw(run)
    armed = "select name from sqlite_master where type = 'trigger' and name like 'county_tallies%'"
    assert con.execute(armed).fetchall() == []  # none kept: a write (a bulk import) fires nothing
    appraisal(run, EARLY)
    assert {r[0] for r in con.execute(armed)} == set(tallies.TRIGGERS)
    tallies.forget_all(con)
    assert con.execute(armed).fetchall() == [] and con.execute("select count(*) from county_tallies").fetchone() == (0,)
    con.close()


def test_check_names_a_missing_trigger_and_the_remedy_restores_it(run):
    appraisal(run, EARLY)  # counts kept: the triggers made
    con = _raw(run)
    con.execute("drop trigger county_tallies_event_insert")
    con.close()
    r = run("check", ok=1)
    assert r.stdout.splitlines() == [
        "tallies: kept counts could go stale: the trigger county_tallies_event_insert is missing (a write to events "
        "would leave the kept counts it changes in place); `delete from county_tallies` (the next count kept makes "
        "the triggers again)"]
    assert r.stderr == "发现问题 1 处\n"
    # without it, a kept count outlives an event of its case: named by the recount too
    appraisal(run, EARLY)
    con = _raw(run)
    con.execute("insert into events (case_id, at, type, level, actor, data) values "
                "('zj-000001', '2026-11-07T10:00:00+08:00', 'note', 'department', 'tester', '{}')")
    con.close()
    # taizhang counts the period's cases that reached a department by their events (kept):
    # this one is not among them until recounted
    assert figures(run, EARLY) == BASE
    assert [line.split(":")[1] for line in run("check", ok=1).stdout.splitlines()] == [
        " kept counts could go stale", " a kept count differs from a recount"]
    con = _raw(run)
    con.execute("delete from county_tallies")  # the remedy named
    con.close()
    assert run("check").stdout == CLEAN  # nothing kept: no trigger owed
    assert figures(run, EARLY)["cases"] == 2.0  # recounted, and kept again with every trigger
    con = _raw(run)
    assert {r[0] for r in con.execute("select name from sqlite_master where name like 'county_tallies_%'")} == set(
        tallies.TRIGGERS)
    con.close()
    assert run("check").stdout == CLEAN


def test_check_names_a_dropped_table(run):
    appraisal(run, EARLY)  # counts kept: the triggers made
    con = _raw(run)
    con.execute("drop table county_tallies")
    with pytest.raises(sqlite3.OperationalError, match="no such table: main.county_tallies"):
        con.execute("update cases set title = '路灯（改）' where id = 'zj-000001'")
    con.close()
    r = run("check", ok=1)
    assert r.stdout.splitlines() == [
        "tallies: the kept counts' table county_tallies is missing: every write to a case fails (its triggers read "
        f"it); restore it: {REINSTALL}"]


# -- found by a tester: ways a kept count could outlive its cases, or keep the clock --
def test_a_case_row_replaced_drops_the_counts_of_the_row_it_replaces(run):
    """`insert or replace into cases` of zj-000002's row, taken in a month earlier: November's
    kept count must lose it (the insert trigger sees only the new row, in October)."""
    ctx = run.ctx("taizhang", now=EARLY)
    assert ctx.cases.count(by="status", created="2026-11") == {"confirmed": 1, "registered": 1}
    con = _raw(run)
    cur = con.execute("select * from cases where id = 'zj-000002'")
    cols, row = [d[0] for d in cur.description], list(cur.fetchone())
    row[cols.index("created_ts")] -= 30 * 86400
    row[cols.index("created_at")] = "2026-10-04T13:00:00+08:00"
    con.execute(f"insert or replace into cases ({', '.join(cols)}) values ({', '.join('?' * len(cols))})", row)
    stale = tallies.stale(con)
    con.close()
    assert stale == []
    assert run.ctx("taizhang", now=EARLY).cases.count(by="status", created="2026-11") == {"confirmed": 1}


def test_the_clock_is_never_a_parameter_of_a_kept_count(run):
    """framework.store.tallies: "the clock is never a parameter of a kept count". A method's
    count of its period's open cases past due at its clock (taizhang's demo does this) must
    not keep a row per clock."""
    for now in (EARLY, LATE):
        ctx = run.ctx("taizhang", now=now)
        ctx.cases.count(method="taizhang", created="2026-11", due_before=ctx.now)
    assert kept(run) == set()


def test_check_names_the_table_dropped_with_its_triggers(run):
    """Found by a fresh operator: the table and its triggers dropped, `county check` was silent
    and appraisals quietly stopped keeping (migration m008 still recorded)."""
    appraisal(run, EARLY)
    con = _raw(run)
    tallies.forget_all(con)  # the triggers gone, then the table
    con.execute("drop table county_tallies")
    con.close()
    assert figures(run, EARLY) == BASE  # counted anew, nothing kept
    r = run("check", ok=1)
    assert r.stdout.splitlines() == [
        "tallies: the kept counts' table county_tallies is missing: nothing is kept (every appraisal counts its "
        f"period anew); restore it: {REINSTALL}"]
    con = _raw(run)
    con.execute("delete from _sqlite_migrations where name = 'm008_kept_counts'")  # the remedy named
    con.close()
    assert run("check").stdout == CLEAN
    assert figures(run, EARLY) == BASE
    assert kept(run) != set()
