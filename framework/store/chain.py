"""Tamper evidence (issue 14): every event chained by hash to the one before of its case, and
every case row sealed by a digest of its state and its last event.

* **Events.** ``events.hash = sha256(canonical(prev_hash, case_id, at, type, actor, level,
  unit, note, data))`` with ``prev_hash`` the ``hash`` of the case's previous event (by ``id``)
  or ``""`` for its first. :func:`chain_rows` is the one writer's hashing: ``Store.append_event``
  and bulk intake (:mod:`framework.kernel.bulk`) both pass their rows through it.
* **Case rows.** ``cases.head_hash`` is the hash of the case's last event when the row was last
  written by the kernel, ``cases.state_hash = sha256(canonical(every other column, by name))``.
  Every change to ``cases`` or ``events`` made on a Store's connection is noted by temporary
  triggers (:data:`DIRTY_SQL`: connection-local, never in the file) and the rows noted are
  sealed (:func:`seal`) just before the transaction commits — whatever code wrote them.
* **The file refuses** UPDATE and DELETE on ``events`` (:data:`APPEND_ONLY_SQL`, created by the
  kernel's migration).

The canonical encoding: each value as ``~`` (NULL), ``s<len>:<text>`` (text), ``n<number>`` (a
number: integral values as integers, others by ``repr``, so SQLite's INTEGER/REAL affinity does
not matter) or ``b<hex>`` (a blob); a row's columns sorted by name as ``<len>:<name>=<value>``,
NULL columns left out (a column a later migration adds, NULL in old rows, leaves their digest
unchanged). sha256 hex digests.

What it proves, and what not: an edit made outside the kernel (another program with the file:
``UPDATE``, ``DELETE``, reordering) breaks a hash or the seal and ``county verify`` names it.
The hashes are not keyed: someone who knows this scheme can recompute a whole forged chain;
keeping copies (``county backup``) and comparing lets inspectors (纪检) see that too.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

#: ``prev_hash`` of a case's first event.
GENESIS = ""
#: The columns of ``events`` an event's hash covers, in order (after ``prev_hash``).
EVENT_FIELDS = ("case_id", "at", "type", "actor", "level", "unit", "note", "data")
#: Columns of ``cases`` the state digest leaves out: the digest itself.
UNSEALED_COLUMNS = frozenset({"state_hash"})

#: Temporary (connection-local) bookkeeping: which cases this connection changed in the open
#: transaction. Created on a connection once the kernel's tables exist (``Store.transaction``).
DIRTY_SQL = (
    "create temp table if not exists county_dirty (id text primary key)",
    "create temp trigger if not exists county_dirty_case_insert after insert on main.cases "
    "begin insert or ignore into county_dirty values (new.id); end",
    "create temp trigger if not exists county_dirty_case_update after update on main.cases "
    "begin insert or ignore into county_dirty values (new.id); end",
    "create temp trigger if not exists county_dirty_event_insert after insert on main.events "
    "begin insert or ignore into county_dirty values (new.case_id); end",
)

#: The file's own rule: events are appended, never changed or removed (conventions §6).
APPEND_ONLY_SQL = (
    "create trigger if not exists events_no_update before update on events begin "
    "select raise(abort, 'events are append-only (conventions §6): a correction is a new event, "
    "not an UPDATE'); end",
    "create trigger if not exists events_no_delete before delete on events begin "
    "select raise(abort, 'events are append-only (conventions §6): nothing is deleted'); end",
)


def _enc(value: Any) -> str:
    if value is None:
        return "~"
    if isinstance(value, str):
        return f"s{len(value)}:{value}"
    if isinstance(value, bool):
        return f"n{int(value)}"
    if isinstance(value, int):
        return f"n{value}"
    if isinstance(value, float):
        return f"n{int(value)}" if value.is_integer() else f"n{value!r}"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"b{bytes(value).hex()}"
    raise TypeError(f"cannot hash a {type(value).__name__} column value")


def event_hash(prev: str, fields: Sequence[Any]) -> str:
    """The hash of one event: ``prev`` (the previous event's hash, :data:`GENESIS` for the
    first) and ``fields`` — the values of :data:`EVENT_FIELDS` as stored (text or NULL).
    Returns 64 hex characters."""
    text = "event-v1|" + _enc(prev) + "".join(_enc(v) for v in fields)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def state_digest(row: dict[str, Any]) -> str:
    """The digest of a case row: every column but :data:`UNSEALED_COLUMNS`, by name, NULLs
    left out (``head_hash`` included: it ties the row to its last event). 64 hex characters."""
    parts = [f"{len(k)}:{k}={_enc(v)}" for k, v in sorted(row.items()) if v is not None and k not in UNSEALED_COLUMNS]
    return hashlib.sha256(("case-v1|" + "|".join(parts)).encode("utf-8", "surrogatepass")).hexdigest()


def heads(conn: sqlite3.Connection, case_ids: Iterable[str]) -> dict[str, str]:
    """The hash of the last event (by id) of each of ``case_ids`` that has one."""
    ids = sorted(set(case_ids))
    if len(ids) == 1:
        row = conn.execute("select hash from events where case_id = ? order by id desc limit 1", ids).fetchone()
        return {ids[0]: row[0] or GENESIS} if row else {}
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for cid, h in conn.execute(
                "select e.case_id, e.hash from events e join (select case_id, max(id) as id from events where case_id in "
                f"({','.join('?' * len(chunk))}) group by case_id) last on last.id = e.id", chunk):
            out[cid] = h or GENESIS
    return out


def chain_rows(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Events about to be appended, in order: each row the values of :data:`EVENT_FIELDS` (as
    stored: ``at`` ISO text, ``data`` JSON text). Returns the rows with ``prev_hash`` and
    ``hash`` added (for :data:`framework.store.db.INSERT_EVENT`), chained to the last event
    each case has in the database (read in one query) and to each other."""
    last = heads(conn, (r[0] for r in rows))
    out = []
    for r in rows:
        prev = last.get(r[0], GENESIS)
        h = event_hash(prev, r)
        last[r[0]] = h
        out.append((*r, prev, h))
    return out


def seal(conn: sqlite3.Connection) -> int:
    """Seal every case row this connection changed in the open transaction (the temporary
    ``county_dirty`` table): ``head_hash`` := its last event's hash, ``state_hash`` := the
    digest of the row. Called by ``Store.transaction`` just before COMMIT. Returns how many."""
    ids = [r[0] for r in conn.execute("select id from temp.county_dirty")]
    if not ids:
        return 0
    last = heads(conn, ids)
    cur = conn.execute("select * from main.cases where id in (select id from temp.county_dirty)")
    cols = [d[0] for d in cur.description]
    updates = []
    for values in cur.fetchall():
        row = dict(zip(cols, values))
        row["head_hash"] = last.get(row["id"], GENESIS)
        updates.append((row["head_hash"], state_digest(row), row["id"]))
    conn.executemany("update main.cases set head_hash = ?, state_hash = ? where id = ?", updates)
    conn.execute("delete from temp.county_dirty")
    return len(updates)
