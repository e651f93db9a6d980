"""``county restore`` (found by a fresh data steward: there was no restore, and the obvious
one — ``cp backup.db live.db`` with a stale ``live.db-wal`` left by a killed sweep — gave a
corrupt database: ``btreeInitPage() returns error code 11``, 100 findings).

The county: mini Zhongjiang with taizhang; two cases taken in 2026-11-02, backed up, then a
third taken in and the database left with a write-ahead log that a killed process never
checkpointed.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from deployments import mini_zhongjiang


def add(run, title, now):
    return run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", title, "--category",
               "livelihood", "--now", now, "--json").data["id"]


@pytest.fixture
def county(init_county, county_db, tmp_path):
    run = init_county(mini_zhongjiang(("taizhang",)))
    add(run, "修路", "2026-11-02T09:00")
    add(run, "饮水", "2026-11-02T10:00")
    run("backup", tmp_path / "bk.db")
    add(run, "路灯", "2026-11-03T09:00")
    return run


def ids(path):
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return [r[0] for r in conn.execute("select id from cases order by id")]


def test_restore_puts_the_backup_back_and_verifies_it(county, county_db, tmp_path):
    r = county("restore", tmp_path / "bk.db", ok=2)  # the database exists: --force, after a backup
    assert r.stderr == (f"error: restore: --db {county_db} exists; give --force to replace its content with "
                        f"{tmp_path / 'bk.db'} (a copy of it is kept beside it)\n")
    assert ids(county_db) == ["zj-000001", "zj-000002", "zj-000003"]
    r = county("restore", tmp_path / "bk.db", "--force", "--json")
    kept = r.data["replaced"]["kept"]
    assert kept.startswith(f"{county_db}.replaced-") and ids(kept) == ["zj-000001", "zj-000002", "zj-000003"]
    assert (r.data["replaced"]["cases"], r.data["deployment"], r.data["cases"], r.data["events"]) == (3, "zj", 2, 2)
    county("restore", tmp_path / "bk.db", "--force")  # and once more, to read the line
    r2 = county("restore", tmp_path / "bk.db", "--force")
    # two cases, one ``registered`` event each (taken in at the village's own unit: no ``assigned``)
    assert r2.stdout.startswith(f"已从 {tmp_path / 'bk.db'} 恢复 {county_db}（中江县）：事项 2 件，事件 2 条（替换了原事项 2 件，"
                                f"已另存为 {county_db}.replaced-")
    assert r2.stdout.endswith("）；审计链核验通过\n")
    assert ids(county_db) == ["zj-000001", "zj-000002"]
    assert county("verify").exit_code == 0 and county("check").exit_code == 0
    # the county goes on from there: the next case is number 3 again
    assert add(county, "路灯", "2026-11-03T09:00") == "zj-000003"


def test_restore_over_a_stale_write_ahead_log_is_whole(county, county_db, tmp_path):
    # a process writes a case row's worth of pages to the log and dies before any checkpoint
    code = (f"import os, sqlite3; c = sqlite3.connect({str(county_db)!r}); c.execute('pragma wal_autocheckpoint=0');"
            "c.execute(\"update cases set title = '改过' where id = 'zj-000003'\"); c.commit(); os._exit(0)")
    subprocess.run([sys.executable, "-c", code], check=True)
    wal = county_db.parent / (county_db.name + "-wal")
    assert wal.stat().st_size > 0
    county("restore", tmp_path / "bk.db", "--force")
    with sqlite3.connect(county_db) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    assert ids(county_db) == ["zj-000001", "zj-000002"]  # the log's committed change is gone with its case
    assert county("verify").exit_code == 0 and county("check").exit_code == 0


def test_a_bad_backup_is_refused_and_the_database_kept(county, county_db, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    r = county("restore", junk, "--force", ok=2)
    assert r.stderr.startswith(f"error: restore {junk}: not a readable SQLite database (")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)").connection.commit()
    assert county("restore", other, "--force", ok=2).stderr == (
        f"error: restore {other}: not a county database (no cases, events, milestones table)\n")
    assert county("restore", tmp_path / "none.db", "--force", ok=2).stderr == (
        f"error: restore {tmp_path / 'none.db'}: no such file\n")
    assert county("restore", county_db, "--force", ok=2).stderr == (
        f"error: restore {county_db}: that is the database itself; give the backup file\n")
    assert ids(county_db) == ["zj-000001", "zj-000002", "zj-000003"]


def test_verify_writes_nothing_beside_a_copy_it_inspects(county, tmp_path):
    """Found by a fresh data steward: `county verify --db bk.db` left bk.db-wal and bk.db-shm
    beside the inspector's copy (and switched it to WAL): now it reads it read-only."""
    before = (tmp_path / "bk.db").read_bytes()
    assert county("verify", "--db", tmp_path / "bk.db").stdout.startswith("已核验事项 2 件")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("bk.db")) == ["bk.db"]
    assert (tmp_path / "bk.db").read_bytes() == before


def test_restore_refuses_a_database_another_process_holds_open(county, county_db, tmp_path):
    """Found by a fresh tester: a restore while an import ran let the import's later writes
    vanish (the file replaced under its connection). Another connection holding the database
    open — here an idle one of another process — makes the restore refuse, changing nothing."""
    holder = subprocess.Popen([sys.executable, "-c", f"import sqlite3, sys, time; c = sqlite3.connect({str(county_db)!r}); "
                               "c.execute('select count(*) from cases').fetchone(); print('open', flush=True); "
                               "sys.stdin.readline()"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        r = county("restore", tmp_path / "bk.db", "--force", ok=2)
        assert r.stderr == (f"error: restore: --db {county_db} is in use by another process (an import, a sweep, "
                            f"county serve …); stop it, then restore\n")
    finally:
        holder.communicate("\n")
    assert ids(county_db) == ["zj-000001", "zj-000002", "zj-000003"]
    assert not list(tmp_path.glob("county.db.replaced-*"))


def test_a_backup_without_the_append_only_triggers_is_refused(county, tmp_path):
    edited = tmp_path / "edited.db"
    with sqlite3.connect(tmp_path / "bk.db") as src, sqlite3.connect(edited) as dst:
        src.backup(dst)
    with sqlite3.connect(edited) as conn:
        conn.execute("drop trigger events_no_delete")
    r = county("restore", edited, "--force", ok=2)
    assert r.stderr == (f"error: restore {edited}: the events' append-only trigger events_no_delete is missing "
                        f"(an edited copy?); use another backup\n")


def test_restore_onto_a_folder_is_refused(county, tmp_path):
    (tmp_path / "adir").mkdir()
    r = county("restore", tmp_path / "bk.db", "--db", tmp_path / "adir", "--force", ok=2)
    assert r.stderr == f"error: restore: --db {tmp_path / 'adir'} is a folder; give the database file\n"


def test_check_names_a_missing_append_only_trigger(county, county_db):
    with sqlite3.connect(county_db) as conn:
        conn.execute("drop trigger events_no_update")
    r = county("check", ok=1)
    assert r.stdout == ("schema: the events' append-only trigger events_no_update is missing: events can be "
                        "changed or deleted unseen (restore a backup)\n")
