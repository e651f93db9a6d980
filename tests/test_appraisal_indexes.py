"""Migration m007 (issue 13, a year's appraisal): the ``cases (resolved_ts, method)`` and
``events (case_id, level)`` indexes, made on a new database and on an old one when it is
opened, and the reads by resolution period they serve (the same rows as before: the cases
resolved in the period, whatever period they were taken in)."""

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

import plugins.taizhang
from framework.testing import CountyRunner

TOML = (Path(plugins.taizhang.__file__).parent / "data" / "zhongjiang.toml").read_text(encoding="utf-8")
LLG = "zj.fx.llg"  # 柳林沟村
INDEXES = {"idx_cases_resolved_ts_method", "idx_events_case_id_level"}


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """Taken in 2026-10-30 and resolved 11-02 (a); taken in 11-02, resolved 11-04 (b) and
    12-01 (c); taken in 11-03, open (d)."""
    run = CountyRunner(tmp_path_factory.mktemp("m007") / "county.db").init(TOML)

    def add(now):
        return run("case", "add", "--method", "taizhang", "--unit", LLG, "--title", "事项", "--category",
                   "livelihood", "--now", now, "--json").data["id"]

    a = add("2026-10-30T10:00")
    b, c = add("2026-11-02T10:00"), add("2026-11-02T11:00")
    d = add("2026-11-03T10:00")
    for cid, now in ((a, "2026-11-02T09:00"), (b, "2026-11-04T10:00"), (c, "2026-12-01T08:00")):
        run("case", "resolve", cid, "--note", "已办结", "--now", now)
    return run, {"a": a, "b": b, "c": c, "d": d}


def _indexes(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("select name from sqlite_master where type = 'index'")} & INDEXES


def test_new_database_has_the_indexes(county):
    run, _ = county
    assert _indexes(run.db) == INDEXES


def test_an_old_database_gets_them_when_opened(county, tmp_path):
    run, ids = county
    old = tmp_path / "old.db"
    with sqlite3.connect(run.db) as src, sqlite3.connect(old) as dst:
        src.backup(dst)
    with sqlite3.connect(old) as conn:  # as a database written before m007
        conn.execute("drop index idx_cases_resolved_ts_method")
        conn.execute("drop index idx_events_case_id_level")
        conn.execute("delete from _sqlite_migrations where name = 'm007_appraisal_indexes'")
    assert _indexes(old) == set()
    ctx = CountyRunner(old).ctx("taizhang", now="2026-12-05T12:00")
    assert _indexes(old) == INDEXES
    assert ctx.cases.count(method="taizhang", resolved="2026-11") == 2
    assert {r[0] for r in ctx.cases.values("id", method="taizhang", resolved="2026-11")} == {ids["a"], ids["b"]}


def test_reads_by_resolution_period_use_the_index(county):
    run, ids = county
    ctx = run.ctx("taizhang", now="2026-12-05T12:00")
    # a: taken in October, resolved 11-02 (+08:00); c: resolved in December; d: open
    assert ctx.cases.values("id", "resolved_at", method="taizhang", resolved="2026-11") == [
        (ids["a"], ctx.calendar.local(dt.datetime(2026, 11, 2, 9, 0))),
        (ids["b"], ctx.calendar.local(dt.datetime(2026, 11, 4, 10, 0)))]
    assert ctx.cases.count(by="status", method="taizhang", resolved="2026-12") == {"resolved": 1}
    assert ctx.cases.count(method="taizhang", resolved="2026-10") == 0
    where, params = ctx.cases._where(method="taizhang", resolved="2026-11", _period_first=True)
    plan = " ".join(r[3] for r in ctx.cases._county.store.db.execute(
        f"explain query plan select id from cases where {' and '.join(where)}", params).fetchall())
    assert "idx_cases_resolved_ts_method" in plan, plan


def test_tier_counts_read_the_events_index(county):
    run, ids = county
    ctx = run.ctx("taizhang", now="2026-12-05T12:00")
    # every case arrived at the village: one event each at that tier at least
    counts = ctx.events.count(by="case_id", level=["village"], method="taizhang", created="2026-11",
                              distinct_cases=True)
    assert counts == {ids["b"]: 1, ids["c"]: 1, ids["d"]: 1}
