"""Inspectors' and operators' commands (issue 14): ``county verify``, ``county check``,
``county backup FILE``.

审计命令：核验哈希链（verify）、检查数据库与业务不变量（check）、在线备份（backup）。

``verify`` and ``check`` print one line per problem and exit 1 when there is any (0 and a
one-line summary otherwise); ``--json`` prints one document ``{"ok", "problems": [{kind, case,
event, message}], …}`` either way. ``verify`` and ``backup`` open the database file alone (no
plugin needed: an inspector can run them on a copy).
"""

from __future__ import annotations

import contextlib
import gc
import sqlite3
import sys
from pathlib import Path

import click

from framework.cli.core import busy_timeout_ms, cli, county_command, emit, registry
from framework.errors import CountyError
from framework.kernel import audit
from framework.kernel import backup as backups
from framework.kernel.county import County
from framework.store.db import Store


@contextlib.contextmanager
def _closing(store: Store):
    """``store`` for the block, its connection closed after it (an exit through ``_report``
    too): a command leaves no connection open behind it (``county shell``; ``restore`` refuses
    a database another connection holds)."""
    try:
        yield store
    finally:
        store.db.conn.close()


def _open(db: str) -> Store:
    """The database to verify, opened read-only when SQLite can (nothing written beside a copy
    under inspection: no -wal/-shm, its journal mode kept), else as usual."""
    if not Path(db).exists():
        raise CountyError(f"--db {db}: no such database")
    try:
        store = Store(db, read_only=True)
        store.db.conn.execute("select count(*) from sqlite_master").fetchone()
    except (CountyError, sqlite3.OperationalError):  # e.g. a WAL file whose -shm SQLite may not create
        store = Store(db)
    cols = {r[1] for r in store.db.conn.execute("pragma table_info(events)")}
    if not cols:
        raise CountyError(f"--db {db}: not a county database (no events table)")
    if "hash" not in cols:
        raise CountyError(f"--db {db}: this database predates the audit chain; open it once with this "
                          f"county-methods (e.g. `county check --db {db}`) to upgrade it, then verify")
    return store


def _report(problems: list, as_json: bool, summary: str, extra: dict) -> None:
    doc = {"ok": not problems, "problems": [{"kind": p.kind, "case": p.case, "event": p.event, "message": p.message}
                                           for p in problems], **extra}

    def human(d):
        for p in problems:
            click.echo(f"{p.kind}: {p.message}")
        for note in d.get("notes", []):
            click.echo(f"note: {note}", err=True)
        click.echo(summary if not problems else f"发现问题 {len(problems)} 处", err=bool(problems))

    emit(doc, as_json, human)
    if problems:
        sys.exit(1)


@cli.command()
@click.option("--against", "copy", type=click.Path(dir_okay=False),
              help="An earlier copy (county backup): its events must all still be here, unchanged.")
@county_command(needs_county=False)
def verify(db, now, as_json, copy):
    """Verify the audit chain (核验): every event against its hash and the event before it,
    every case row against the state sealed with its events.

    Names, one line each, every edited, deleted or reordered event and every case whose row
    disagrees with its events (changed without an event, or changed and re-sealed: status,
    satisfaction, resolved_at, handler, unit, lead_id against what the events say), every
    milestone, sign-off or attachment that disagrees with its events, a deleted top case (the
    case counter) and an edited deployment log; and exits 1 when any is found. A damaged file
    (SQLite's quick check) is reported as damage first, advising `county check`. With
    --against COPY, also every event of that earlier copy that is gone or rewritten since, and
    every case row of the copy changed since without an event (a whole chain recomputed after an
    edit shows only this way)."""
    if Path(db).exists():  # a damaged file is damage, not deletion (issue 14): reported first, nothing else read
        damage = audit.integrity(db)
        if damage:
            _report(damage, as_json, "", {"notes": []})
    with _closing(_open(db)) as store:
        problems = audit.verify(store) + (audit.compare(store, copy) if copy else [])
        counts = {t: store.db.conn.execute(f"select count(*) from {t}").fetchone()[0] for t in ("cases", "events")}
        note = audit.backfill_note(store)
        _report(problems, as_json, f"已核验事项 {counts['cases']} 件、事件 {counts['events']} 条：审计链与每件事项的记录一致",
                {**counts, "notes": [note] if note else []})


@cli.command()
@county_command(needs_county=False)
def check(db, now, as_json):
    """Check the database (检查): SQLite's integrity check and the domain's invariants — every
    open case has a tier and a handler (or its tier's unit, or a recorded reason), due instants
    follow arrival, each case's events are in time order, milestones agree with the case's tier
    and status, the kept counts equal a recount. One line per problem; exit 1 when any."""
    if not Path(db).exists():
        raise CountyError(f"--db {db}: no such database; run `county init --config county.toml --db {db}` first")
    damage = audit.integrity(db, quick=False)
    with _closing(Store(db, busy_timeout_ms=busy_timeout_ms())) as store:
        try:
            county = County(store, registry())
            problems = audit.check(county)
        except sqlite3.DatabaseError as e:  # too damaged to read: SQLite's findings, one line each, exit 1
            _report(damage or [audit.Finding("integrity", None, None, f"SQLite: {e}")], as_json, "", {})
        problems = damage + [p for p in problems if p.kind != "integrity"]
        n = store.db.conn.execute("select count(*) from cases").fetchone()[0]
        _report(problems, as_json, f"已检查事项 {n} 件：数据库完整，业务约束无一违反", {"cases": n})


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace FILE if it exists (never the database itself).")
@county_command(needs_county=False)
def backup(db, now, as_json, file, force):
    """Back the database up to FILE (备份) with SQLite's online backup: a consistent copy while
    others keep writing. Refuses an existing FILE without --force, and the database itself."""
    if not Path(db).exists():
        raise CountyError(f"--db {db}: no such database")
    with _closing(Store(db)) as store:
        res = backups.backup(store, file, force=force)
    emit(res, as_json, lambda r: click.echo(f"已备份 {db} 至 {r['backup']}：事项 {r['cases']} 件，"
                                            f"事件 {r['events']} 条，{r['bytes']} 字节"))


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the content of an existing --db (back it up first).")
@county_command(needs_county=False)
def restore(db, now, as_json, file, force):
    """Restore the database from backup FILE (恢复) with SQLite's online backup: page for page,
    through SQLite, so a -wal left by a killed process is never mixed in (copying with cp can
    corrupt the database). FILE is checked first and never written; an existing --db needs
    --force, must not be in use by another process, and is kept as DB.replaced-TIME.db; the
    result is then verified (exit 1 when verify finds a problem)."""
    # an earlier command's connection in this process (county shell) that only a cycle still
    # holds: thawed first — the CLI froze what was alive when this command began (cli/root.py)
    gc.unfreeze()
    gc.collect()
    res = backups.restore(file, db, force=force)
    with _closing(_open(db)) as store:
        problems = audit.verify(store)
    old = res["replaced"]
    was = ""
    if old:
        other = old.get("deployment") != res["deployment"]
        was = (f"（替换了{'另一部署 ' + str(old.get('name') or old.get('deployment')) + ' 的' if other else '原'}"
               f"事项 {old.get('cases')} 件，已另存为 {old.get('kept')}）" if old.get("kept")
               else f"（替换了原事项 {old.get('cases')} 件）")
    _report(problems, as_json, f"已从 {res['from']} 恢复 {res['restored']}（{res['name'] or res['deployment']}）："
                               f"事项 {res['cases']} 件，事件 {res['events']} 条{was}；审计链核验通过", res)
