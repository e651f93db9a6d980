"""Issue 14: `county check` (SQLite's integrity check and the domain's invariants, each problem
one line, exit 1) and `county backup FILE` (SQLite's online backup, safe while others write)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from deployments import mini_zhongjiang
from framework.kernel import audit

ADD = ("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--category", "livelihood")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """Built once through the CLI: zj-000001 resolved and confirmed (events 1–3); zj-000002
    (event 4) escalated to the township by the sweep of 11-20 (events 6–8; at zj.fx, milestones
    reply and report_up pending); zj-000003 (event 5) taken in on 11-18, open at the village,
    milestone close due 11-23 23:59:59."""
    from click.testing import CliRunner

    from framework.cli.main import cli

    folder = tmp_path_factory.mktemp("check")
    (folder / "county.toml").write_text(mini_zhongjiang(), encoding="utf-8")
    db = folder / "county.db"
    env = {"COUNTY_DB": str(db), "COUNTY_ACTOR": "tester"}

    def run(*args):
        r = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r

    run("init", "--config", folder / "county.toml")
    run(*ADD, "--title", "路灯", "--now", "2026-11-02T10:00")
    run("case", "resolve", "zj-000001", "--note", "修好", "--now", "2026-11-03T10:00")
    run("case", "confirm", "zj-000001", "--satisfaction", "satisfied", "--now", "2026-11-03T12:00")
    run(*ADD, "--title", "水渠", "--now", "2026-11-03T13:00")
    run(*ADD, "--title", "道路", "--now", "2026-11-18T09:00")
    run("sweep", "--now", "2026-11-20T00:00")
    return db


@pytest.fixture
def copy(base, tmp_path, county_db):
    """A copy of the base database at ``county_db`` (the CLI fixtures' file) and a raw connection."""
    with sqlite3.connect(base) as src, sqlite3.connect(county_db) as dst:
        src.backup(dst)
    con = sqlite3.connect(county_db, isolation_level=None)
    yield con
    con.close()


def test_a_sound_database_checks_clean(copy, county_cli):
    r = county_cli("check")
    assert r.stdout == "已检查事项 3 件：数据库完整，业务约束无一违反\n"
    assert county_cli("check", "--json").data == {"ok": True, "problems": [], "cases": 3}


def test_each_broken_invariant_is_one_line_and_exit_1(copy, county_cli):
    # an open case at the township, held by no one: no handler, the village's unit, no reason
    copy.execute("update cases set unit = 'zj.fx.llg' where id = 'zj-000002'")
    # a milestone due before the case arrived
    copy.execute("update milestones set due_ts = due_ts - 30 * 86400, due_at = '2026-10-08T23:59:59+08:00' "
                 "where case_id = 'zj-000003'")
    # an event dated before the one appended before it
    copy.execute("insert into events (case_id, at, type, actor, data) values "
                 "('zj-000001', '2026-11-02T09:00:00+08:00', 'note', 'tester', '{}')")
    # a confirmed case with a pending milestone; the missed count off by one
    copy.execute("update milestones set state = 'pending' where case_id = 'zj-000001'")
    r = county_cli("check", ok=1)
    assert r.stdout.splitlines() == [
        "holder: case zj-000002: open at tier township with no handler, held by zj.fx.llg (village, not a township) "
        "and no recorded reason",
        "due: case zj-000003: milestone 'close' of tier village is due 2026-10-08T23:59:59+08:00, not after the case "
        "arrived",
        "order: case zj-000001: event 9 (note at 2026-11-02T09:00:00+08:00) is dated before event 3 (confirmed at "
        "2026-11-03T12:00:00+08:00) appended before it",
        "milestone: case zj-000001 is confirmed but milestone 'close' of tier village is still pending",
        "milestone: case zj-000003: due 2026-11-23T23:59:59+08:00, but its pending primary milestone 'close' is due "
        "2026-10-08T23:59:59+08:00",
    ]
    doc = json.loads(county_cli("check", "--json", ok=1).stdout)
    assert [(p["kind"], p["case"], p["event"]) for p in doc["problems"]] == [
        ("holder", "zj-000002", None), ("due", "zj-000003", None), ("order", "zj-000001", 9),
        ("milestone", "zj-000001", None), ("milestone", "zj-000003", None)]
    assert r.stderr == "发现问题 5 处\n"


def test_an_open_case_whose_milestones_were_deleted_is_named(copy, county_cli):
    """Found by a fresh data steward: deleting an open case's pending milestones stopped its
    escalation and no command said so (verify, verify --against, check were clean). zj-000002
    reached the township 2026-11-20: report_up due 15 days on, 12-05 23:59:59 (L29)."""
    assert county_cli("check").stdout.endswith("业务约束无一违反\n")
    copy.execute("delete from milestones where case_id = 'zj-000002' and state = 'pending'")
    r = county_cli("check", ok=1)
    assert r.stdout.splitlines() == [
        "milestone: case zj-000002 is due 2026-12-05T23:59:59+08:00 at tier township but has no primary milestone "
        "due then (deleted? the sweep cannot act on it)"]


def test_a_recorded_reason_answers_for_a_missing_handler(copy, make_county, county_db):
    from framework.kernel.county import County
    from framework.kernel.registry import Registry
    from framework.store.db import Store

    copy.execute("update cases set unit = 'zj.fx.llg' where id = 'zj-000002'")
    county = County(Store(str(county_db)), Registry(), actor="tester")
    assert [(f.kind, f.case) for f in audit.check(county)] == [("holder", "zj-000002")]
    copy.execute("insert into events (case_id, at, type, actor, data) values ('zj-000002', '2026-11-19T00:00:00+08:00',"
                 " 'no_handler', 'tester', '{}')")  # before its arrival at the township: no answer (and out of order)
    assert [(f.kind, f.case) for f in audit.check(county)] == [("holder", "zj-000002"), ("order", "zj-000002")]
    copy.execute("insert into events (case_id, at, type, actor, data) values ('zj-000002', '2026-11-20T00:00:00+08:00',"
                 " 'no_handler', 'tester', '{\"reason\": \"no_unit\", \"level\": \"township\"}')")
    assert [(f.kind, f.case) for f in audit.check(county)] == [("order", "zj-000002")]
    copy.execute("update cases set overdue_count = 0 where id = 'zj-000002'")
    assert [f.message for f in audit.check(county) if f.kind == "milestone"] == [
        "case zj-000002: overdue_count 0 but 1 missed milestone(s)"]


def test_backup_copies_the_committed_state_while_another_writer_holds_the_lock(copy, county_cli, county_db, tmp_path):
    other = sqlite3.connect(county_db, isolation_level=None)
    other.execute("begin immediate")
    other.execute("insert into units (code, name, level, parent) values ('zj.fx.new', '新村', 'village', 'zj.fx')")
    out = tmp_path / "backup.db"
    r = county_cli("backup", out, "--json")
    other.execute("commit")
    other.close()
    assert r.data == {"backup": str(out.resolve()), "bytes": out.stat().st_size, "cases": 3, "events": 8}
    b = sqlite3.connect(out)
    assert b.execute("select count(*) from units").fetchone() == (4,)  # not the uncommitted fifth
    assert b.execute("pragma journal_mode").fetchone() == ("delete",)
    b.close()
    r = county_cli("verify", "--db", out)
    assert r.stdout == "已核验事项 3 件、事件 8 条：审计链与每件事项的记录一致\n"


def test_backup_refuses_an_existing_file_and_the_database_itself(copy, county_cli, county_db, tmp_path):
    out = tmp_path / "b.db"
    out.write_bytes(b"keep")
    r = county_cli("backup", out, ok=2)
    assert r.stderr == f"error: FILE {out}: file exists; give --force to replace it\n"
    assert out.read_bytes() == b"keep"
    county_cli("backup", out, "--force")
    assert sqlite3.connect(out).execute("select count(*) from cases").fetchone() == (3,)
    for target in (county_db, f"{county_db}-wal"):
        r = county_cli("backup", target, "--force", ok=2)
        assert r.stderr.startswith(f"error: FILE {target}: is the open database or one of its files")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
