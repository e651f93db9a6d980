"""Kept counts (计数留存, issue 13) tried by a fresh inspector: paths by which a kept count could
outlive its cases, or change a figure or an error, checked against the figure computed by hand
(and against a recount: ``framework.store.tallies.forget_all`` then the same command).

The promise (framework/store/tallies.py, docs/hooks.md §6.5, docs/deployment.md "Kept counts in
the database"): an appraisal computed with kept counts always equals the same computed after
``delete from county_tallies``, whatever was done to the database in between, by whichever path.

One small Zhongjiang county (mini_zhongjiang, taizhang: its village limit is 5 days, casebook
L29), built once through the CLI; each test works on a copy:

* zj-000001 taken in at 柳林沟村 2026-11-02 10:00 (+08:00), resolved 11-03 10:00;
* zj-000002 taken in 2026-11-03 13:00, open;
* zj-000003 imported from the hotline's export (source id ``12345``), taken in 2026-11-04 09:00, open;
* zj-000004 taken in 2026-11-01 01:00 (+08:00) — in November at Shanghai's clock, on
  2026-10-31 at Urumqi's (UTC+6) — resolved 11-01 09:00;
* zj-000005 taken in 2026-12-01 10:00, open.

November's appraisal of the village (--now 2026-11-06 12:00): cases 4, resolved 2.

Four of the tests are problems the inspector found, fixed since (a case removed by a REPLACE
conflict on ``seq`` or ``source_id``; ``forget_all`` not one transaction; a ``date`` among a
count's filters; a kept row that is not JSON); the rest are scenarios that held and guard the
promise.
"""

from __future__ import annotations

import datetime as dt
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
NOW = "2026-11-06T12:00"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The county above, built once, with no count kept."""
    folder = tmp_path_factory.mktemp("kept_break")
    run = CountyRunner(folder / "county.db").init(mini_zhongjiang())
    run(*ADD, "--title", "路灯", "--now", "2026-11-02T10:00")
    run("case", "resolve", "zj-000001", "--note", "修好", "--now", "2026-11-03T10:00")
    run(*ADD, "--title", "水渠", "--now", "2026-11-03T13:00")
    hotline = folder / "hotline.csv"
    hotline.write_text("source_id,title,unit,category,channel,created_at\n"
                       "12345,井盖,zj.fx.llg,livelihood,hotline,2026-11-04 09:00\n", encoding="utf-8")
    assert run("case", "import", hotline, "--method", "taizhang", "--json").data["first_case"] == "zj-000003"
    run(*ADD, "--title", "夜里的电线", "--now", "2026-11-01T01:00")
    run("case", "resolve", "zj-000004", "--note", "修好", "--now", "2026-11-01T09:00")
    run(*ADD, "--title", "渠边护栏", "--now", "2026-12-01T10:00")
    con = _raw(run.db)
    tallies.forget_all(con)
    con.close()
    return run.db


@pytest.fixture
def run(base, tmp_path):
    """A CountyRunner on a fresh copy of the base county."""
    return CountyRunner(base).copy(tmp_path / "county.db")


def _raw(db) -> sqlite3.Connection:
    return sqlite3.connect(db, isolation_level=None)


def village(run, now: str = NOW, period: str = "2026-11") -> dict[str, float]:
    """The village's taizhang ``cases`` and ``resolved`` in ``county appraise --json``."""
    return {m["metric"]: m["value"] for m in run("appraise", "--period", period, "--now", now, "--json").data
            if m["subject"] == LLG and m["method"] == "taizhang" and m["metric"] in ("cases", "resolved")}


def n_kept(run) -> int:
    con = _raw(run.db)
    try:
        return con.execute("select count(*) from county_tallies").fetchone()[0]
    finally:
        con.close()


def forget(run) -> None:
    """Drop every kept count (the recount's first step)."""
    con = _raw(run.db)
    tallies.forget_all(con)
    con.close()


# -- problems found ------------------------------------------------------------------------
#: Raw SQL that deletes zj-000003 (hotline 12345, seq 3, taken in 11-04) through a UNIQUE index
#: other than the id: a REPLACE conflict deletes it with no delete trigger (recursive triggers off).
REPLACING = {
    # re-entered under a new id with its real date in October: the source id collides
    "insert, source_id": ("insert", {"id": "zj-000009", "seq": 9}),
    # a row copied in under a new id, its number (seq) kept: the seq collides
    "insert, seq": ("insert", {"id": "zj-000009", "source_id": None}),
    # December's zj-000005 given the hotline number of zj-000003 (a duplicate "fixed" in place)
    "update, source_id": ("update or replace cases set source_id = '12345' where id = 'zj-000005'", {}),
}


@pytest.mark.parametrize("how", list(REPLACING))
def test_a_case_deleted_by_a_replace_conflict_drops_its_counts(run, how):
    """zj-000003 is deleted by a REPLACE conflict on another unique index than the id (raw SQL,
    as an operator fixing a duplicate might write it); the new row, when one is inserted, is
    dated October. November's village then has 3 cases (zj-000001, -002, -004), 2 resolved."""
    assert village(run) == {"cases": 4.0, "resolved": 2.0}  # kept
    sql, changes = REPLACING[how]
    con = _raw(run.db)
    if sql == "insert":
        cur = con.execute("select * from cases where id = 'zj-000003'")
        cols, row = [d[0] for d in cur.description], list(cur.fetchone())
        changes = {**changes, "created_at": "2026-10-04T09:00:00+08:00", "created_ts": row[cols.index("created_ts")] - 31 * 86400}
        for col, value in changes.items():
            row[cols.index(col)] = value
        con.execute(f"insert or replace into cases ({', '.join(cols)}) values ({', '.join('?' * len(cols))})", row)
    else:
        con.execute(sql)
    assert con.execute("select count(*) from cases where id = 'zj-000003'").fetchone() == (0,)
    con.close()
    assert village(run) == {"cases": 3.0, "resolved": 2.0}  # kept counts: still 4


def test_a_count_kept_while_a_migration_forgets_them_all_goes_stale(run):
    """A migration is applied (here m008 again, as after an upgrade; Store.migrate then calls
    forget_all) while another process appraises November: it keeps its counts between
    forget_all's ``delete from county_tallies`` and its ``drop trigger`` statements (the trace
    callback runs it exactly there). zj-000002 is then resolved at the village: November has 3
    resolved cases — the kept counts still say 2 (`county check` names the two stale counts by
    its recount; the triggers are back by then, made again by the next count kept)."""
    con = _raw(run.db)
    con.execute("delete from _sqlite_migrations where name = 'm008_kept_counts'")
    con.close()
    store = Store(str(run.db))
    seen: list[float] = []

    def other_process_appraises(statement: str) -> None:
        if statement == "drop trigger if exists county_tallies_case_replace" and not seen:
            other = County(Store(str(run.db)), Registry(), actor="tester")
            other.clock.fixed = other.calendar.local(dt.datetime.fromisoformat(NOW))
            try:
                seen.extend(m.value for m in common_metrics(other, "2026-11") if m.subject == LLG and m.metric == "resolved")
            finally:
                other.store.db.conn.close()

    store.db.conn.set_trace_callback(other_process_appraises)
    try:
        store.migrate([])
    finally:
        store.db.conn.set_trace_callback(None)
        store.db.conn.close()
    assert seen == [2.0]
    run("case", "resolve", "zj-000002", "--note", "清淤", "--now", "2026-11-05T10:00")
    assert village(run) == {"cases": 4.0, "resolved": 3.0}


def test_a_date_among_a_counts_filters_counts_over_a_closed_period_too(run):
    """A plugin notes a visit's day on the case (``record_event(extra=…)``: stored as
    ``"2026-11-05"``, the kernel's JSON encoder) and counts the month's cases visited that day
    with the same ``date``: one case (zj-000001). Counted over an open-ended period it is 1;
    over the closed month it must be 1 as well."""
    ctx = run.ctx("taizhang", now=NOW)
    day = dt.date(2026, 11, 5)
    ctx.actions.record_event("zj-000001", "note", "回访", extra={"visit_date": day})
    assert ctx.cases.get("zj-000001").extra["visit_date"] == "2026-11-05"
    start = ctx.calendar.period_bounds("2026-11")[0]
    assert ctx.cases.count(created=(start, None), extra={"visit_date": day}) == 1  # not kept: fine
    assert ctx.cases.count(created="2026-11", extra={"visit_date": day}) == 1


# -- scenarios that held -------------------------------------------------------------------
def test_a_restored_backup_brings_its_own_counts_both_ways(run, tmp_path):
    """`county restore` of an older backup over a database with kept counts, and of a backup
    holding kept counts over a database changed since: each appraisal equals the cases of the
    file restored (and a recount)."""
    older = tmp_path / "older.db"
    run("backup", older)  # no count kept in it
    run(*ADD, "--title", "桥", "--now", "2026-11-05T09:00")
    assert village(run) == {"cases": 5.0, "resolved": 2.0}
    assert n_kept(run)
    run("restore", older, "--force")
    assert village(run) == {"cases": 4.0, "resolved": 2.0}
    keeping = tmp_path / "keeping.db"
    run("backup", keeping)  # the counts just kept go with it
    run("case", "resolve", "zj-000002", "--note", "清淤", "--now", "2026-11-05T10:00")
    assert village(run) == {"cases": 4.0, "resolved": 3.0}
    run("restore", keeping, "--force")
    assert n_kept(run)
    assert village(run) == {"cases": 4.0, "resolved": 2.0}
    forget(run)
    assert village(run) == {"cases": 4.0, "resolved": 2.0}
    assert run("check").stdout == "已检查事项 5 件：数据库完整，业务约束无一违反\n"


def test_a_new_time_zone_moves_the_period_not_the_kept_rows(run):
    """`county init --update --force` to Asia/Urumqi (UTC+6): November now starts two hours
    later, and zj-000004 (taken in 2026-11-01 01:00 +08:00 = 10-31 23:00 +06:00) falls in
    October — November's counts kept under Shanghai's bounds are not read for Urumqi's."""
    assert village(run) == {"cases": 4.0, "resolved": 2.0}
    toml = mini_zhongjiang().replace('code = "zj"\n', 'code = "zj"\ntimezone = "Asia/Urumqi"\n', 1)
    cfg = run.db.parent / "urumqi.toml"
    cfg.write_text(toml, encoding="utf-8")
    run("init", "--config", cfg, "--update", "--force")
    assert village(run) == {"cases": 3.0, "resolved": 1.0}
    assert village(run, period="2026-10") == {"cases": 1.0, "resolved": 1.0}
    forget(run)
    assert village(run) == {"cases": 3.0, "resolved": 1.0}


def test_a_period_string_and_its_pair_share_one_kept_count(run):
    """``created="2026-11"`` and the pair of its bounds (in another zone) are one count, kept
    once; a case resolved in November moves both the same way; ``resolved=`` likewise."""
    ctx = run.ctx("taizhang", now=NOW)
    start, end = ctx.calendar.period_bounds("2026-11")
    utc = (start.astimezone(dt.UTC), end.astimezone(dt.UTC))
    assert ctx.cases.count(by="status", created="2026-11") == {"registered": 2, "resolved": 2}
    kept = n_kept(run)
    assert ctx.cases.count(by="status", created=utc) == {"registered": 2, "resolved": 2}
    assert ctx.cases.count(resolved=utc) == ctx.cases.count(resolved="2026-11") == 2
    assert n_kept(run) == kept + 1  # the resolved count only
    run("case", "resolve", "zj-000003", "--note", "盖好", "--now", "2026-11-05T10:00")
    ctx = run.ctx("taizhang", now=NOW)
    assert ctx.cases.count(by="status", created=utc) == {"registered": 1, "resolved": 3}
    assert ctx.cases.count(resolved="2026-11") == 3


def test_an_event_count_over_the_periods_cases_follows_their_new_events(run):
    """``ctx.events.count(type, at=…, created=…)``: the notes of November written in November on
    the cases taken in in November. A note on zj-000001 makes it 1 (kept), one on zj-000002 2;
    one on December's zj-000005 leaves November's kept count in place, and one on zj-000001
    dated December is outside ``at``."""
    def notes():
        return run.ctx("taizhang", now=NOW).events.count("note", by="case_id", at="2026-11", created="2026-11")

    assert notes() == {}
    run.ctx("taizhang", now="2026-11-05T09:00").actions.record_event("zj-000001", "note", "回访")
    assert notes() == {"zj-000001": 1}
    kept = n_kept(run)
    assert notes() == {"zj-000001": 1} and n_kept(run) == kept  # read back
    run.ctx("taizhang", now="2026-11-06T09:00").actions.record_event("zj-000002", "note", "回访")
    assert notes() == {"zj-000001": 1, "zj-000002": 1}
    kept = n_kept(run)
    run.ctx("taizhang", now="2026-12-02T09:00").actions.record_event("zj-000005", "note", "回访")
    assert n_kept(run) == kept  # a December case: November's count stays kept
    run.ctx("taizhang", now="2026-12-02T10:00").actions.record_event("zj-000001", "note", "再访")
    assert notes() == {"zj-000001": 1, "zj-000002": 1}
    forget(run)
    assert notes() == {"zj-000001": 1, "zj-000002": 1}


def test_check_names_a_kept_count_that_is_not_json(run):
    """A kept count's rows cut to 10 characters: `county check` names it as a kept count that
    differs from a recount (exit 1, the remedy `delete from county_tallies`)."""
    village(run)
    con = _raw(run.db)
    con.execute("update county_tallies set rows = substr(rows, 1, 10) where sql like '%resolved_level, count(*)%'")
    con.close()
    r = run("check", ok=None)
    assert (r.exit_code, r.stdout.split(":")[0]) == (1, "tallies")
    assert "`delete from county_tallies` and re-run" in r.stdout
