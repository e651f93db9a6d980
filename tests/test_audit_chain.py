"""Issue 14, tamper evidence: the hash chain of events, the seal of case rows, the triggers that
refuse UPDATE and DELETE on events, and `county verify` naming each forgery made with raw
sqlite3 after dropping the triggers (as an attacker holding the file would)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from deployments import mini_zhongjiang
from framework.kernel import audit
from framework.kernel.audit import Finding
from framework.kernel.bulk import CaseSpec
from framework.store.db import Store

LLG = dict(method="taizhang", unit="zj.fx.llg", category="livelihood")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """Three cases written by the kernel (ids and events as in the comments), the database
    file closed: zj-000001 resolved and confirmed (events 1 registered, 2 resolved, 3
    confirmed); zj-000002 and zj-000003 taken in (4, 5) and escalated to the township by the
    sweep of 11-20 (6–8 and 9–11: overdue, escalated, assigned)."""
    import tomllib

    from framework.kernel.config import deployment_from_dict
    from framework.kernel.county import County
    from framework.kernel.registry import Registry
    from framework.timerules import parse_instant

    path = tmp_path_factory.mktemp("audit") / "base.db"
    county = County.init(Store(str(path)), deployment_from_dict(tomllib.loads(mini_zhongjiang())), Registry(),
                         actor="tester")

    def at(text):
        county.clock.fixed = parse_instant(text, county.calendar.tz)

    at("2026-11-02T10:00")
    county.add_case(title="路灯", **LLG)
    at("2026-11-03T10:00")
    county.resolve("zj-000001", "修好")
    at("2026-11-03T12:00")
    county.confirm("zj-000001", "satisfied")
    at("2026-11-03T13:00")
    county.add_case(title="水渠", **LLG)
    county.add_case(title="道路", **LLG)
    at("2026-11-20T00:00")
    county.sweep()
    county.store.db.conn.close()
    return path


@pytest.fixture
def forged(base, tmp_path):
    """A copy of the base database and a raw sqlite3 connection to it with the triggers dropped."""
    path = tmp_path / "forged.db"
    with sqlite3.connect(base) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("drop trigger events_no_update")
    con.execute("drop trigger events_no_delete")
    yield path, con
    con.close()


def findings(path) -> list[Finding]:
    store = Store(str(path))
    try:
        return audit.verify(store)
    finally:
        store.db.conn.close()


def test_the_kernels_own_writes_verify_clean_and_chain_by_case(base):
    assert findings(base) == []
    con = sqlite3.connect(base)
    rows = con.execute("select id, case_id, type, prev_hash, hash from events order by id").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (1, "zj-000001", "registered"), (2, "zj-000001", "resolved"), (3, "zj-000001", "confirmed"),
        (4, "zj-000002", "registered"), (5, "zj-000003", "registered"),
        (6, "zj-000002", "overdue"), (7, "zj-000002", "escalated"), (8, "zj-000002", "assigned"),
        (9, "zj-000003", "overdue"), (10, "zj-000003", "escalated"), (11, "zj-000003", "assigned")]
    h = {r[0]: r[4] for r in rows}
    # each event links to the one before of its own case; a case's first links to ""
    assert [r[3] for r in rows] == ["", h[1], h[2], "", "", h[4], h[6], h[7], h[5], h[9], h[10]]
    assert all(len(x) == 64 for x in h.values())
    # the row is sealed at its last event
    assert dict(con.execute("select id, head_hash from cases")) == {"zj-000001": h[3], "zj-000002": h[8],
                                                                     "zj-000003": h[11]}
    con.close()


def test_the_file_refuses_update_and_delete_on_events(base, tmp_path):
    path = tmp_path / "copy.db"
    with sqlite3.connect(base) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="events are append-only"):
        con.execute("update events set note = '没修' where id = 2")
    with pytest.raises(sqlite3.IntegrityError, match="nothing is deleted"):
        con.execute("delete from events where type = 'confirmed'")
    assert con.execute("select note from events where id = 2").fetchone() == ("修好",)
    con.close()


def test_an_edited_note_is_named(forged):
    path, con = forged
    con.execute("update events set note = '未修好' where id = 2")
    assert findings(path) == [Finding("edited", "zj-000001", 2, "case zj-000001: event 2 (resolved at "
                                      "2026-11-03T10:00:00+08:00) was edited: its content no longer gives its hash")]


def test_a_deleted_confirmed_event_is_named(forged):
    path, con = forged
    con.execute("delete from events where type = 'confirmed'")
    assert findings(path) == [Finding("tail", "zj-000001", None, "case zj-000001: its last event(s) after event 2 "
                                      "(resolved at 2026-11-03T10:00:00+08:00) were deleted (the row was sealed "
                                      "after an event that is gone)")]


def test_a_deleted_event_in_the_middle_and_the_row_put_back_are_named(forged):
    path, con = forged
    con.execute("delete from events where id = 2")  # the resolution, and the row made to match
    con.execute("update cases set status = 'registered', resolved_at = null where id = 'zj-000001'")
    got = findings(path)
    assert [(f.kind, f.case, f.event) for f in got] == [("deleted", "zj-000001", 3), ("row", "zj-000001", None)]
    assert got[0].message == ("case zj-000001: event(s) deleted before event 3 (confirmed at "
                              "2026-11-03T12:00:00+08:00) (after event 1 (registered at 2026-11-02T10:00:00+08:00))")
    assert got[1].message.startswith("case zj-000001: its row was changed without an event (status registered, ")
    assert "status registered but the last of its status events is event 3 (confirmed" in got[1].message


def test_two_swapped_events_are_named(forged):
    path, con = forged
    cols = "case_id, at, type, actor, level, unit, note, data, prev_hash, hash"
    a, b = (con.execute(f"select {cols} from events where id = ?", [i]).fetchone() for i in (7, 8))
    sets = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
    con.execute(f"update events set {sets} where id = 7", b)
    con.execute(f"update events set {sets} where id = 8", a)
    assert findings(path) == [
        Finding("reordered", "zj-000002", 7, "case zj-000002: event 7 (assigned at 2026-11-20T00:00:00+08:00) is out "
                "of place: it stands after event 6 (overdue at 2026-11-20T00:00:00+08:00) but was appended after "
                "event 8 (escalated at 2026-11-20T00:00:00+08:00) (events moved or swapped)"),
        Finding("reordered", "zj-000002", 8, "case zj-000002: event 8 (escalated at 2026-11-20T00:00:00+08:00) was "
                "appended right after event 6 (overdue at 2026-11-20T00:00:00+08:00), not after event 7 (assigned "
                "at 2026-11-20T00:00:00+08:00) (events moved)")]


def test_a_row_changed_without_an_event_is_named(forged):
    path, con = forged
    con.execute("update cases set status = 'resolved' where id = 'zj-000002'")
    con.execute("update cases set handler = 'fx-99' where id = 'zj-000003'")
    got = findings(path)
    assert [(f.kind, f.case) for f in got] == [("row", "zj-000002"), ("row", "zj-000003")]
    assert got[0].message == ("case zj-000002: its row was changed without an event (status resolved, handler -, "
                              "unit zj.fx; status resolved but no resolved/confirmed/closed event says so; resolved_at "
                              "- but no resolved event): it is not the state sealed with its events")
    assert got[1].message == ("case zj-000003: its row was changed without an event (status escalated, handler "
                              "fx-99, unit zj.fx; handler fx-99 but event 11 (assigned at 2026-11-20T00:00:00+08:00) "
                              "says -): it is not the state sealed with its events")


def test_a_deleted_case_and_an_appended_forged_event_are_named(forged):
    path, con = forged
    con.execute("delete from cases where id = 'zj-000002'")
    con.execute("insert into events (case_id, at, type, actor, note, data) values "
                "('zj-000003', '2026-11-21T09:00:00+08:00', 'resolved', 'tester', '补记', '{}')")
    got = findings(path)
    assert [(f.kind, f.case, f.event) for f in got] == [
        ("orphan", "zj-000002", 4), ("unsealed", "zj-000003", 12), ("tail", "zj-000003", None), ("gap", None, None)]
    assert got[3].message == "case number 2 is missing (cases run 1–3): a case row was deleted"


def test_county_verify_exits_1_naming_each_problem_and_0_with_a_summary(forged, base, county_cli):
    path, con = forged
    r = county_cli("verify", "--db", base)
    assert r.stdout == "已核验事项 3 件、事件 11 条：审计链与每件事项的记录一致\n"
    con.execute("update events set note = '未修好' where id = 2")
    con.execute("update cases set status = 'resolved' where id = 'zj-000002'")
    r = county_cli("verify", "--db", path, ok=1)
    assert r.stdout.splitlines() == [
        "edited: case zj-000001: event 2 (resolved at 2026-11-03T10:00:00+08:00) was edited: its content no longer "
        "gives its hash",
        "row: case zj-000002: its row was changed without an event (status resolved, handler -, unit zj.fx; status "
        "resolved but no resolved/confirmed/closed event says so; resolved_at - but no resolved event): it is not the "
        "state sealed with its events"]
    assert r.stderr == "发现问题 2 处\n"
    r = county_cli("verify", "--db", path, "--json", ok=1)
    doc = json.loads(r.stdout)
    assert (doc["ok"], doc["cases"], doc["events"]) == (False, 3, 11)
    assert [(p["kind"], p["case"], p["event"]) for p in doc["problems"]] == [("edited", "zj-000001", 2),
                                                                            ("row", "zj-000002", None)]


def test_bulk_intake_writes_the_same_chain(base, tmp_path):
    path = tmp_path / "bulk.db"
    with sqlite3.connect(base) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    from framework.kernel.county import County
    from framework.kernel.registry import Registry
    from framework.timerules import parse_instant

    county = County(Store(str(path)), Registry(), actor="tester")
    county.clock.fixed = parse_instant("2026-11-21T09:00", county.calendar.tz)
    got = list(county.add_cases([
        CaseSpec(title="桥", **LLG), CaseSpec(title="井", created_at=parse_instant("2026-11-05T09:00", "Asia/Shanghai"),
                                             resolved_at=parse_instant("2026-11-06T09:00", "Asia/Shanghai"),
                                             resolution_note="修好", satisfaction="satisfied", **LLG)]))
    assert [t.case.id for t in got] == ["zj-000004", "zj-000005"]
    county.store.db.conn.close()
    assert findings(path) == []
    con = sqlite3.connect(path)
    rows = con.execute("select id, type, prev_hash, hash from events where case_id = 'zj-000005' order by id").fetchall()
    assert [r[1] for r in rows] == ["registered", "resolved", "confirmed"]
    assert [r[2] for r in rows] == ["", rows[0][3], rows[1][3]]
    con.close()


def test_the_migration_back_fills_an_older_database(base, tmp_path):
    """A database from before the chain (schema 2): the upgrade chains and seals what is there,
    records it, and says that a back-filled chain proves nothing about before."""
    path = tmp_path / "old.db"
    with sqlite3.connect(base) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    con = sqlite3.connect(path, isolation_level=None)
    for sql in ("drop trigger events_no_update", "drop trigger events_no_delete",
                "alter table events drop column prev_hash", "alter table events drop column hash",
                "alter table cases drop column head_hash", "alter table cases drop column state_hash",
                "delete from _sqlite_migrations where name = 'm003_audit_chain'", "delete from meta where key = 'audit_backfill'"):
        con.execute(sql)
    con.close()
    store = Store(str(path))
    store.migrate([])
    assert store.get_meta("audit_backfill") == {"events": 11, "cases": 3, "last_event_id": 11}
    assert audit.verify(store) == []
    assert audit.backfill_note(store) == ("11 event(s) up to id 11 were chained when the database was upgraded "
                                          "(back-filled): their hashes prove nothing about changes before the upgrade, "
                                          "only since")
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("delete from events where id = 1")
    # the back-filled chain is the one the kernel writes
    old = sqlite3.connect(base).execute("select hash from events order by id").fetchall()
    assert store.db.execute("select hash from events order by id").fetchall() == old
    store.db.conn.close()


def test_verify_reads_one_committed_state_while_another_writer_is_mid_transaction(forged):
    path, con = forged
    con.execute("begin immediate")
    con.execute("insert into events (case_id, at, type, actor, data) values "
                "('zj-000003', '2026-11-21T09:00:00+08:00', 'note', 'tester', '{}')")
    assert findings(path) == []  # the uncommitted event is not seen
    con.execute("commit")
    assert [(f.kind, f.event) for f in findings(path)] == [("unsealed", 12), ("tail", None)]


def test_a_recomputed_chain_passes_alone_but_not_against_an_earlier_copy(forged, base, county_cli):
    """The hashes are not keyed: a forger who knows the scheme rewrites the chain and the seal;
    the fold over every event (meta.events_fold) shows that something changed, an earlier copy
    kept elsewhere which events."""
    from framework.store.chain import EVENT_FIELDS, event_hash, row_digester

    path, con = forged
    con.execute("update events set note = '未修好' where id = 2")
    prev = con.execute("select hash from events where id = 1").fetchone()[0]
    for eid in (2, 3):
        row = con.execute(f"select {', '.join(EVENT_FIELDS)} from events where id = ?", [eid]).fetchone()
        prev = event_hash(prev, row)
        con.execute("update events set prev_hash = (select hash from events where id = ?), hash = ? where id = ?",
                    [eid - 1, prev, eid])
    cur = con.execute("select * from cases where id = 'zj-000001'")
    cols = [d[0] for d in cur.description]
    values = list(cur.fetchone())
    values[cols.index("head_hash")] = prev
    con.execute("update cases set head_hash = ?, state_hash = ? where id = 'zj-000001'",
                [prev, row_digester(cols)(values)])
    assert [f.kind for f in findings(path)] == ["fold"]  # alone: only the fold over every event shows it
    r = county_cli("verify", "--db", path, "--against", base, ok=1)
    assert r.stdout.splitlines()[1:] == [
        f"rewritten: case zj-000001: event 2 (resolved at 2026-11-03T10:00:00+08:00) is not the one in the copy "
        f"{base.name}: rewritten since",
        f"rewritten: case zj-000001: event 3 (confirmed at 2026-11-03T12:00:00+08:00) is not the one in the copy "
        f"{base.name}: rewritten since"]
    assert county_cli("verify", "--db", base, "--against", base).exit_code == 0


def test_concurrent_writers_leave_a_chain_that_verifies(base, tmp_path):
    """Four connections (threads) adding, resolving and sweeping on one file at once: every
    transaction chains to the head it reads under its write lock, so the chain verifies."""
    import threading

    from framework.kernel.county import County
    from framework.kernel.registry import Registry
    from framework.timerules import parse_instant

    path = tmp_path / "busy.db"
    with sqlite3.connect(base) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    errors = []

    def work(k):
        try:
            county = County(Store(str(path)), Registry(), actor="tester")
            county.clock.fixed = parse_instant(f"2026-11-21T09:0{k}", county.calendar.tz)
            for i in range(5):
                case = county.add_case(title=f"事项{k}-{i}", **LLG)
                county.resolve(case.id, "修好")
                county.sweep()
            county.store.db.conn.close()
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = Store(str(path))
    assert store.db.execute("select count(*) from cases").fetchone() == (23,)
    assert audit.verify(store) == []
    store.db.conn.close()


def test_a_plugin_cannot_drop_the_kernels_triggers(base, tmp_path):
    from framework.errors import CountyError
    from framework.kernel.county import County
    from framework.kernel.registry import Registry

    path = tmp_path / "p.db"
    with sqlite3.connect(base) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    county = County(Store(str(path)), Registry(), actor="tester")
    ctx = county.ctx("taizhang")
    for sql in ("drop trigger events_no_update", "drop trigger main.events_no_delete"):
        with pytest.raises(CountyError, match=r"^plugin taizhang may use only its own tables \(taizhang_…\); 'events'"):
            ctx.db.execute(sql)
    from framework.store.tallies import TRIGGERS
    names = {r[0] for r in county.store.db.execute("select name from sqlite_master where type = 'trigger'")}
    assert names - set(TRIGGERS) == {"events_no_update", "events_no_delete"}  # (the kept counts' come and go)
    county.store.db.conn.close()
