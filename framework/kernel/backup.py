"""``county backup`` and ``county restore`` (备份与恢复): a consistent copy of the database, and
that copy put back, both through SQLite's online backup API (``sqlite3.Connection.backup``).

Copying the files by hand is what goes wrong: ``cp`` over a live database whose ``-wal`` is still
there (a process killed mid-write leaves one) mixes the copy's pages with the old log's frames,
and SQLite then reads a corrupt file. :func:`restore` writes the backup's pages through a
connection to the database itself, so SQLite recovers or replaces that log on the way.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

from framework.errors import CountyError
from framework.publish.outputs import atomic_target, protected
from framework.store.chain import APPEND_ONLY_TRIGGERS

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


def _describe(conn: sqlite3.Connection) -> dict:
    """``{"deployment": code or None, "name": …, "cases": n, "events": n}`` of an open county
    database (its ``meta`` deployment record and counts)."""
    dep = {}
    try:
        row = conn.execute("select value from meta where key = 'deployment'").fetchone()
        dep = json.loads(row[0]) if row else {}
    except (sqlite3.Error, ValueError):
        pass
    return {"deployment": dep.get("code"), "name": dep.get("name"),
            **{t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in ("cases", "events")}}


def check_backup(source: str | Path) -> dict:
    """Open backup ``source`` read-only (nothing written beside it) and check that it is a
    whole county database: SQLite's integrity check ``ok``, the tables of
    :data:`COUNTY_TABLES` and the events' append-only triggers (:data:`APPEND_ONLY_TRIGGERS`: a
    copy without them would let the restored database's events be rewritten unseen). Returns
    :func:`_describe`'s dict. CountyError (one line) for a missing file, a file SQLite cannot
    read, a damaged one (its first finding), another kind of database, missing triggers."""
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
        names = {(r[0], r[1]) for r in conn.execute("select type, name from sqlite_master")}
        missing = [t for t in COUNTY_TABLES if ("table", t) not in names]
        if missing:
            raise CountyError(f"restore {source}: not a county database (no {', '.join(missing)} table)")
        gone = [t for t in APPEND_ONLY_TRIGGERS if ("trigger", t) not in names]
        if gone:
            raise CountyError(f"restore {source}: the events' append-only trigger {gone[0]} is missing (an edited "
                              f"copy?); use another backup")
        return _describe(conn)
    except sqlite3.DatabaseError as e:
        raise CountyError(f"restore {source}: not a readable SQLite database ({e})") from None
    finally:
        conn.close()


def restore(source: str | Path, db: str | Path, *, force: bool = False, keep: bool = True) -> dict:
    """Put backup ``source`` (a file ``county backup`` wrote, or any copy of a county database)
    back as the database ``db``, page for page, with SQLite's online backup API written
    through a connection to ``db``: a ``-wal`` left beside ``db`` by a killed process is
    recovered or replaced, never mixed with the backup's pages (as ``cp`` would). The backup is
    checked first (:func:`check_backup`) and is never written to.

    An existing ``db`` needs ``force``; it must not be open in another process (an import, a
    sweep, ``county serve`` — their later writes would land in a database replaced under them):
    it is taken out of WAL mode first, which SQLite allows only to its one user, else refused.
    With ``keep`` (the default) the database replaced is first copied to
    ``DB.replaced-YYYYMMDDTHHMMSS.db`` beside it. The restored file is in the backup's
    rollback-journal mode; the next ``county`` command sets WAL again.

    Refuses (CountyError, exit 2, one line): ``source`` being ``db`` or one of its
    -wal/-shm/-journal files; an existing ``db`` without ``force``; ``db`` a folder, or in a
    missing one; ``db`` in use; a missing, damaged, foreign or edited backup. Returns
    ``{"restored": real path of db, "from": real path of source, "cases", "events",
    "deployment", "name"}`` (the backup's) and ``"replaced"``: what ``db`` held (its dict, with
    ``"kept"``: the safety copy's path) or None. Check the result with ``county verify``."""
    src_real = os.path.realpath(source)
    if src_real in protected(db):
        raise CountyError(f"restore {source}: that is the database itself; give the backup file")
    info = check_backup(source)
    target = Path(db)
    if target.is_dir():
        raise CountyError(f"restore: --db {db} is a folder; give the database file")
    if not target.parent.is_dir():
        raise CountyError(f"restore: --db {db}: no folder {target.parent}")
    if target.exists() and not force:
        raise CountyError(f"restore: --db {db} exists; give --force to replace its content with {source} "
                          f"(a copy of it is kept beside it)")
    existed = target.exists()
    dst = sqlite3.connect(str(target), timeout=1)
    try:
        replaced = None
        if existed:
            try:
                mode = dst.execute("pragma journal_mode").fetchone()[0]
                if mode == "wal":
                    dst.execute("pragma journal_mode=delete")  # only its one user may: nobody else has it open
            except sqlite3.OperationalError:
                raise CountyError(f"restore: --db {db} is in use by another process (an import, a sweep, "
                                  f"county serve …); stop it, then restore") from None
            try:
                replaced = _describe(dst)
            except sqlite3.Error:
                replaced = {"deployment": None, "name": None, "cases": None, "events": None}
            if keep:
                stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
                kept = target.with_name(f"{target.name}.replaced-{stamp}.db")
                copy = sqlite3.connect(str(kept))
                try:
                    dst.backup(copy)
                finally:
                    copy.close()
                replaced["kept"] = str(kept.resolve())
        src = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
        try:
            src.backup(dst, pages=1024)  # the journal mode is the backup's; the next Store sets WAL again
        finally:
            src.close()
    finally:
        dst.close()
    return {"restored": os.path.realpath(db), "from": src_real, **info, "replaced": replaced}


__all__ = ["APPEND_ONLY_TRIGGERS", "COUNTY_TABLES", "backup", "check_backup", "restore"]
