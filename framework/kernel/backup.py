"""``county backup`` and ``county restore`` (备份与恢复): a consistent copy of the database, and
that copy put back, both through SQLite's online backup API (``sqlite3.Connection.backup``).

Copying the files by hand is what goes wrong: ``cp`` over a live database whose ``-wal`` is still
there (a process killed mid-write leaves one) mixes the copy's pages with the old log's frames,
and SQLite then reads a corrupt file. :func:`restore` writes the backup's pages through a
connection to the database itself, so SQLite recovers or replaces that log on the way.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from framework.errors import CountyError
from framework.publish.outputs import atomic_target, protected

#: The tables a county database has (what :func:`restore` asks of a backup before using it).
COUNTY_TABLES = ("cases", "events", "milestones")


def backup(store, target: str | Path, *, force: bool = False, option: str = "FILE") -> dict:
    """Copy the database to ``target`` with SQLite's online backup API
    (``sqlite3.Connection.backup``): a consistent snapshot even while other processes write
    (it restarts on their writes, and the copy is of one committed state). The copy goes to a
    temporary file in the target's folder, renamed over the target when whole
    (:func:`framework.publish.outputs.atomic_target`). Refuses (CountyError, exit 2, one line) the
    database itself or its -wal/-shm/-journal, an existing file without ``force``, a missing
    folder. Returns ``{"backup": real path, "bytes": size, "cases": n, "events": n}``."""
    if store.path == ":memory:":
        raise CountyError("backup: the database is in memory; there is no file to back up")
    with atomic_target(target, force=force, protect=protected(store.path), option=option) as tmp:
        dst = sqlite3.connect(str(tmp))
        try:
            store.db.conn.backup(dst, pages=1024)
            counts = {t: dst.execute(f"select count(*) from {t}").fetchone()[0] for t in ("cases", "events")}
            dst.execute("pragma journal_mode=delete")
        except sqlite3.Error as e:
            raise CountyError(f"backup {target}: {e}") from None
        finally:
            dst.close()
    real = Path(target).resolve()
    return {"backup": str(real), "bytes": real.stat().st_size, **counts}


def check_backup(source: str | Path) -> dict:
    """Open backup ``source`` read-only (nothing written beside it) and check that it is a
    whole county database: SQLite's integrity check ``ok`` and the tables of
    :data:`COUNTY_TABLES`. Returns ``{"cases": n, "events": n}``. CountyError (one line) for a
    missing file, a file SQLite cannot read, a damaged one (its first finding), another kind of
    database."""
    path = Path(source)
    if not path.is_file():
        raise CountyError(f"restore {source}: no such file")
    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise CountyError(f"restore {source}: cannot open it: {e}") from None
    try:
        lines = [r[0] for r in conn.execute("pragma integrity_check(5)")]
        if lines != ["ok"]:
            raise CountyError(f"restore {source}: the backup is damaged ({lines[0]}); use another backup")
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        missing = [t for t in COUNTY_TABLES if t not in tables]
        if missing:
            raise CountyError(f"restore {source}: not a county database (no {', '.join(missing)} table)")
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in ("cases", "events")}
    except sqlite3.DatabaseError as e:
        raise CountyError(f"restore {source}: not a readable SQLite database ({e})") from None
    finally:
        conn.close()


def restore(source: str | Path, db: str | Path, *, force: bool = False) -> dict:
    """Put backup ``source`` (a file ``county backup`` wrote, or any copy of a county database)
    back as the database ``db``, page for page, with SQLite's online backup API written
    through a connection to ``db``: a ``-wal`` left beside ``db`` by a killed process is
    recovered or replaced, never mixed with the backup's pages (as ``cp`` would). The backup is
    checked first (:func:`check_backup`) and is never written to.

    Refuses (CountyError, exit 2, one line): ``source`` being ``db`` or one of its
    -wal/-shm/-journal files; an existing ``db`` without ``force`` (its content is replaced:
    back it up first); a missing, damaged or foreign backup. Another process writing ``db``
    keeps it locked: ``sqlite3.OperationalError`` (the CLI's exit 75). Returns ``{"restored":
    real path of db, "from": real path of source, "cases": n, "events": n}``. Check the result
    with ``county verify``."""
    src_real = os.path.realpath(source)
    if src_real in protected(db):
        raise CountyError(f"restore {source}: that is the database itself; give the backup file")
    counts = check_backup(source)
    target = Path(db)
    if target.exists() and not force:
        raise CountyError(f"restore: --db {db} exists; give --force to replace its content with {source} "
                          f"(back it up first: `county backup FILE`)")
    if not target.parent.is_dir():
        raise CountyError(f"restore: --db {db}: no folder {target.parent}")
    src = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target), timeout=30)
    try:
        src.backup(dst, pages=1024)  # the journal mode is the backup's; the next Store sets WAL again
    finally:
        dst.close()
        src.close()
    return {"restored": os.path.realpath(db), "from": src_real, **counts}


__all__ = ["COUNTY_TABLES", "backup", "check_backup", "restore"]
