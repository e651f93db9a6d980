"""What bulk intake (:mod:`framework.kernel.bulk`) says to SQLite: its statements, built once
from the column lists, and the settings it raises while it runs (:func:`bulk_pragmas`)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from framework.kernel.bulk_seal import SEAL_COLUMNS
from framework.store.chain import fold_appended
from framework.store.db import INSERT_EVENT
from framework.store.rows import CASE_COLUMNS

_MILESTONE_COLS = ("case_id", "level", "name", "due_at", "due_ts", "action", "to_level", "is_primary", "state", "note",
                   "anchor")
#: One pending milestone row (the parameters ``CaseLifecycle._arrive_stages`` returns).
INSERT_MILESTONE = f"insert into milestones ({', '.join(_MILESTONE_COLS)}) values ({','.join('?' * 11)})"
_INSERT_MILESTONE_CLOSED = (f"insert into milestones ({', '.join(_MILESTONE_COLS)}, closed_at)"
                            f" values ({','.join('?' * 12)})")
#: A case row (:data:`~framework.store.rows.CASE_COLUMNS`, ``id`` first), then the kernel's own columns.
_INSERT_CASE = (f"insert into cases ({', '.join(CASE_COLUMNS)}, seq, origin_unit, overdue_count, updated_at)"
                f" values ({','.join('?' * (len(CASE_COLUMNS) + 4))})")
#: The same, sealed from the values in hand (:mod:`framework.kernel.bulk_seal`): then ``head_hash``, ``state_hash``.
_CASE_INSERTED = (*CASE_COLUMNS, "seq", "origin_unit", "overdue_count", "updated_at")
_INSERT_CASE_SEALED = (f"insert into cases ({', '.join(_CASE_INSERTED + SEAL_COLUMNS)})"
                       f" values ({','.join('?' * (len(_CASE_INSERTED) + len(SEAL_COLUMNS)))})")
_AT_SEQ = len(CASE_COLUMNS)
_UPDATE_CASE = (f"update cases set {', '.join(f'{c} = ?' for c in CASE_COLUMNS[1:])}, updated_at = ?,"
                f" overdue_count = overdue_count + ? where id = ?")

#: SQLite settings while :func:`~framework.kernel.bulk.add_cases` runs (restored after), each only raised: a page cache
#: of 16 MiB (with the default 2 MiB, pages spill and are read again every batch: −40 % system
#: CPU of a 100 k import) and a WAL checkpoint every 10,000 pages (the default 1,000 copies the
#: same index pages into the database after every batch). Neither changes what is written, nor
#: when it is durable: a batch is committed whole or not at all, as before.
BULK_CACHE_KIB = 16384
BULK_CHECKPOINT_PAGES = 10000


@contextlib.contextmanager
def bulk_pragmas(conn: sqlite3.Connection) -> Iterator[None]:
    """:data:`BULK_CACHE_KIB` and :data:`BULK_CHECKPOINT_PAGES` on ``conn`` for the block, each
    only when the connection's own is smaller (a disabled checkpoint, 0 or less, stays so); the
    previous values are set again after it."""
    cache = conn.execute("pragma cache_size").fetchone()[0]
    page = conn.execute("pragma page_size").fetchone()[0]
    checkpoint = conn.execute("pragma wal_autocheckpoint").fetchone()[0]
    changed = []
    if (-cache if cache < 0 else cache * page // 1024) < BULK_CACHE_KIB:
        conn.execute(f"pragma cache_size = -{BULK_CACHE_KIB}")
        changed.append(("cache_size", cache))
    if 0 < checkpoint < BULK_CHECKPOINT_PAGES:
        conn.execute(f"pragma wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")
        changed.append(("wal_autocheckpoint", checkpoint))
    try:
        yield
    finally:
        with contextlib.suppress(sqlite3.ProgrammingError):  # the connection closed meanwhile
            for name, value in changed:
                conn.execute(f"pragma {name} = {int(value)}")


def insert_events(conn: sqlite3.Connection, chained: list[tuple]) -> None:
    """Insert event rows as :func:`~framework.store.chain.chain_rows` returns them (``hash``
    last) with :data:`~framework.store.db.INSERT_EVENT`, and extend ``meta.events_fold`` over
    their hashes in hand (:func:`~framework.store.chain.fold_appended`) rather than have the
    commit's seal read the batch's events back (a 30 k import: 99 k events, ~0.05 s of 3.6). No
    id is given, so SQLite numbers them on from the highest id (INTEGER PRIMARY KEY): the first
    is that + 1, which ``fold_appended`` checks against the highest id after the insert."""
    first = (conn.execute("select max(id) from main.events").fetchone()[0] or 0) + 1
    conn.executemany(INSERT_EVENT, chained)
    fold_appended(conn, first, [r[-1] for r in chained])
