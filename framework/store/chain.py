"""Tamper evidence (issue 14): every event chained by hash to the one before of its case, and
every case row sealed by a digest of its state and its last event.

* **Events.** ``events.hash = sha256(canonical(prev_hash, case_id, at, type, actor, level,
  unit, note, data))`` with ``prev_hash`` the ``hash`` of the case's previous event (by ``id``)
  or ``""`` for its first. :func:`chain_rows` is the one writer's hashing: ``Store.append_event``
  and bulk intake (:mod:`framework.kernel.bulk`) both pass their rows through it.
* **Case rows.** ``cases.head_hash`` is the hash of the case's last event when the row was last
  written by the kernel, ``cases.state_hash = sha256(canonical(every other column, by name))``.
  Every case a Store's connection changes in a transaction is noted — by the event writer
  (:func:`chain_rows`) and a temporary ``UPDATE OF`` trigger on ``cases`` (:func:`dirty_sql`:
  connection-local, never in the file) — and the rows noted are sealed (:func:`seal`) just
  before the transaction commits, whatever kernel code wrote them.
* **The case counter.** ``meta.case_counter`` (JSON ``{"seq", "id"}``) holds the highest case
  number ever sealed, raised by :func:`seal` in the same transaction as the case: deleting the
  highest-numbered case (row, events, milestones) leaves the counter above every remaining
  case, ``county verify`` names the missing top case, and :func:`next_seq` never hands its
  number out again. (A forger who also lowers the counter is seen only against a backup.)
* **The fold.** ``meta.events_fold`` (JSON ``{"id", "fold"}``): every event's hash folded in id
  order (``fold = sha256("fold-v1" + fold + hash)``) up to the last event sealed, extended by
  :func:`seal` in each transaction. A chain of one case recomputed after an edit or a deleted
  event (the inspector's careful forger) changes the fold: ``county verify`` names it
  (:func:`fold_problem`) unless the forger recomputes this too — a copy is the last word.
* **The deployment log.** ``deployment_log`` (created on first use): one chained row per
  ``county init --update`` of a database with operators — when, by whom, what changed
  (:func:`append_log`); ``county verify`` walks its chain (:func:`log_problems`).
* **The file refuses** UPDATE and DELETE on ``events`` (:data:`APPEND_ONLY_SQL`, created by the
  kernel's migration).

The canonical encoding is compact JSON (no ASCII escaping, UTF-8) of the values as SQLite
returns them — the writer's seal, the migration and ``county verify`` all read them back, so
SQLite's type affinity cannot make them differ: an event as ``"event-v1"`` + ``[prev_hash,
case_id, at, type, actor, level, unit, note, data]``, a case row as ``"case-v1"`` + ``[[column,
value], …]`` sorted by column name, NULL columns left out (a column a later migration adds, NULL
in old rows, leaves their digest unchanged). sha256 hex digests.

What it proves, and what not: an edit made outside the kernel (another program with the file:
``UPDATE``, ``DELETE``, reordering) breaks a hash or the seal and ``county verify`` names it.
The hashes are not keyed: someone who knows this scheme can recompute a whole forged chain;
keeping copies (``county backup``) and comparing lets inspectors (纪检) see that too.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from json.encoder import encode_basestring
from collections.abc import Iterable, Sequence
from typing import Any

#: ``prev_hash`` of a case's first event.
GENESIS = ""
#: The columns of ``events`` an event's hash covers, in order (after ``prev_hash``).
EVENT_FIELDS = ("case_id", "at", "type", "actor", "level", "unit", "note", "data")
#: Columns of ``cases`` the state digest leaves out: the digest itself.
UNSEALED_COLUMNS = frozenset({"state_hash"})

#: Temporary (connection-local) bookkeeping: which cases this connection changed in the open
#: transaction — every event appended (:func:`chain_rows`' callers note theirs) and, by a
#: temporary trigger, every UPDATE of a case row's columns (``{columns}``: all but the seal's
#: own, so that sealing does not note the row again). A case row is never inserted without its
#: ``registered`` event in the same transaction. Created on a connection once the kernel's tables
#: exist (``Store.transaction``); never in the file.
DIRTY_TABLE = "create temp table if not exists county_dirty (id text primary key)"
DIRTY_TRIGGER = ("create temp trigger if not exists county_dirty_case_update after update of {columns} on main.cases "
                 "begin insert or ignore into county_dirty values (new.id); end")
#: Note the cases of appended events (one parameter row per event: its case id).
NOTE_DIRTY = "insert or ignore into temp.county_dirty values (?)"


def dirty_sql(conn: sqlite3.Connection) -> list[str]:
    """The statements creating the temporary bookkeeping on ``conn`` (its ``cases`` columns
    read now)."""
    cols = [r[1] for r in conn.execute("pragma main.table_info(cases)") if r[1] not in ("head_hash", "state_hash")]
    return [DIRTY_TABLE, DIRTY_TRIGGER.format(columns=", ".join(f'"{c}"' for c in cols))]


#: The triggers that keep ``events`` append-only (:data:`APPEND_ONLY_SQL` creates them).
APPEND_ONLY_TRIGGERS = ("events_no_update", "events_no_delete")
#: The file's own rule: events are appended, never changed or removed (conventions §6).
APPEND_ONLY_SQL = (
    "create trigger if not exists events_no_update before update on events begin "
    "select raise(abort, 'events are append-only (conventions §6): a correction is a new event, "
    "not an UPDATE'); end",
    "create trigger if not exists events_no_delete before delete on events begin "
    "select raise(abort, 'events are append-only (conventions §6): nothing is deleted'); end",
)


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_string = encode_basestring  # what _dumps writes for a str (the C version when there is one)


def _not_json(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


#: The compact encoder's C writer of a list, made once (``_dumps`` makes one per call); None
#: where the json module has none.
_c_list = (json.encoder.c_make_encoder(None, _not_json, encode_basestring, None, ":", ",", False, False, True)
           if json.encoder.c_make_encoder is not None else None)


def event_hash(prev: str, fields: Sequence[Any]) -> str:
    """The hash of one event: ``prev`` (the previous event's hash, :data:`GENESIS` for the
    first) and ``fields`` — the values of :data:`EVENT_FIELDS` as stored (text or NULL).
    Returns 64 hex characters. (The text is what ``_dumps([prev, *fields])`` writes, by the
    json module's C writer made once; any value it does not write goes through ``_dumps``,
    its error included. tests/test_bulk_seal.py compares the two.)"""
    try:
        text = "".join(_c_list((prev, *fields), 0))
    except TypeError:  # a value that is not JSON as it is (or no C writer): the encoder itself
        text = _dumps([prev, *fields])
    return hashlib.sha256(("event-v1" + text).encode("utf-8", "surrogatepass")).hexdigest()


def state_digest(row: dict[str, Any]) -> str:
    """The digest of a case row as SQLite returns it: every column but
    :data:`UNSEALED_COLUMNS`, by name, NULLs left out (``head_hash`` included: it ties the row to
    its last event). 64 hex characters."""
    pairs = [[k, row[k]] for k in sorted(row) if row[k] is not None and k not in UNSEALED_COLUMNS]
    return hashlib.sha256(("case-v1" + _dumps(pairs)).encode("utf-8", "surrogatepass")).hexdigest()


def row_digester(cols: Sequence[str]):
    """:func:`state_digest` for rows given as value sequences in the order of ``cols`` (the
    column names, as a cursor describes them): the column order is sorted once."""
    order = [(name, i) for name, i in sorted((c, i) for i, c in enumerate(cols)) if name not in UNSEALED_COLUMNS]
    sha = hashlib.sha256

    def digest(values: Sequence[Any]) -> str:
        pairs = [[name, values[i]] for name, i in order if values[i] is not None]
        return sha(("case-v1" + _dumps(pairs)).encode("utf-8", "surrogatepass")).hexdigest()

    return digest


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


def chain_rows(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]], *, known: dict[str, str] | None = None,
               note: bool = True) -> list[tuple[Any, ...]]:
    """Events about to be appended, in order: each row the values of :data:`EVENT_FIELDS` (as
    stored: ``at`` ISO text, ``data`` JSON text). Returns the rows with ``prev_hash`` and
    ``hash`` added (for :data:`framework.store.db.INSERT_EVENT`), chained to the last event
    each case has in the database (read in one query) and to each other. Notes the cases for
    :func:`seal` when the connection keeps the bookkeeping.

    ``known``: ``{case_id: hash of its last event}`` (:data:`GENESIS` for none) that the caller
    holds as the database has it now (the sweep reads them once per transaction); those cases
    are not read again. ``note=False``: the caller noted these cases already in this
    transaction."""
    last = dict(known) if known else {}
    unknown = {r[0] for r in rows if r[0] not in last}
    if unknown:
        last.update(heads(conn, unknown))
    if note:
        try:
            conn.executemany(NOTE_DIRTY, [(cid,) for cid in {r[0] for r in rows}])
        except sqlite3.OperationalError:  # no bookkeeping on this connection (outside a Store transaction)
            pass
    out = []
    append, get, sha = out.append, last.get, hashlib.sha256
    for r in rows:  # event_hash, inline (66 k events per 20 k imported rows)
        cid = r[0]
        prev = get(cid, GENESIS)
        try:
            text = "".join(_c_list((prev, *r), 0))
        except TypeError:
            text = _dumps([prev, *r])
        h = last[cid] = sha(("event-v1" + text).encode("utf-8", "surrogatepass")).hexdigest()
        append((*r, prev, h))
    return out


#: The ``meta`` key of the case counter (the module docstring).
COUNTER_KEY = "case_counter"


def counter(conn: sqlite3.Connection) -> tuple[int, str | None]:
    """The case counter: ``(highest case number sealed, its case id)``; ``(0, None)`` when the
    database has none yet (older than the counter, or no case)."""
    try:
        row = conn.execute("select value from main.meta where key = ?", [COUNTER_KEY]).fetchone()
    except sqlite3.OperationalError:  # no meta table
        return 0, None
    try:
        value = json.loads(row[0]) if row else {}
        return int(value.get("seq") or 0), value.get("id")
    except (TypeError, ValueError, AttributeError):
        return 0, None


def next_seq(conn: sqlite3.Connection) -> int:
    """The number of the next case: one above both the highest case present and the case
    counter (a deleted top case's number is not handed out again)."""
    top = conn.execute("select max(seq) from main.cases").fetchone()[0] or 0
    return max(top, counter(conn)[0]) + 1


#: Write one ``meta`` value, keeping the row's rowid (``insert or replace`` would move it).
UPSERT_META = "insert into main.meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value"

#: The ``meta`` key of the fold over every event (the module docstring).
FOLD_KEY = "events_fold"


def _fold(prev: str, h: str | None) -> str:
    return hashlib.sha256(("fold-v1" + prev + (h or "")).encode("ascii")).hexdigest()


def _read_fold(conn: sqlite3.Connection) -> tuple[int, str] | None:
    row = conn.execute("select value from main.meta where key = ?", [FOLD_KEY]).fetchone()
    try:
        value = json.loads(row[0]) if row else None
        return (int(value["id"]), str(value["fold"])) if value else None
    except (TypeError, ValueError, KeyError):
        return -1, ""


def extend_fold(conn: sqlite3.Connection) -> None:
    """Fold the events appended since the fold was last written (all of them the first time)
    into ``meta.events_fold``: called by :func:`seal` in every transaction, and once by the
    migration ``m006_events_fold`` (:mod:`framework.store.casework`), so that the events of a
    database older than the fold are folded when it is upgraded, not by whichever write
    transaction comes first (a sweep of a few cases once folded 470,000)."""
    last, fold = _read_fold(conn) or (0, GENESIS)
    if last < 0:
        return  # a damaged fold record: left for county verify to name
    new, sha = last, hashlib.sha256
    for new, h in conn.execute("select id, hash from main.events where id > ? order by id", [last]):
        fold = sha(("fold-v1" + fold + (h or "")).encode("ascii")).hexdigest()  # _fold, inline
    if new != last:
        conn.execute(UPSERT_META,
                     [FOLD_KEY, _dumps({"id": new, "fold": fold})])


def fold_appended(conn: sqlite3.Connection, first_id: int, hashes: Sequence[str | None]) -> bool:
    """Extend ``meta.events_fold`` over events just appended with ids ``first_id`` … in order,
    from their ``hashes`` in hand (bulk intake: the 99 k events of a 30 k import are not read
    back at commit), exactly as :func:`extend_fold` would from the table. Only when the fold
    reaches the event before ``first_id`` and the table's highest id is the last of them (every
    event after the fold is one of these, in id order); otherwise nothing is done and
    :func:`extend_fold` reads them at commit, as before. Returns whether the fold was
    extended."""
    if not hashes:
        return False
    last, fold = _read_fold(conn) or (0, GENESIS)
    if last != first_id - 1:
        return False  # events not folded yet before these (another writer), or a damaged record
    top = conn.execute("select max(id) from main.events").fetchone()[0]
    if top != first_id + len(hashes) - 1:
        return False
    sha = hashlib.sha256
    for h in hashes:
        fold = sha(("fold-v1" + fold + (h or "")).encode("ascii")).hexdigest()  # _fold, inline
    conn.execute(UPSERT_META, [FOLD_KEY, _dumps({"id": top, "fold": fold})])
    return True


def fold_problem(conn: sqlite3.Connection) -> str | None:
    """One line when the events up to the fold's last id no longer fold to it (an event edited,
    deleted or inserted among them, even with its case's chain recomputed), else None (None too
    for a database without a fold yet)."""
    try:
        rec = _read_fold(conn)
    except sqlite3.OperationalError:
        return None
    if rec is None:
        return None
    last, want = rec
    fold, n = GENESIS, 0
    for (h,) in conn.execute("select hash from main.events where id <= ? order by id", [max(last, 0)]):
        fold, n = _fold(fold, h), n + 1
    if last >= 0 and fold == want:
        return None
    return (f"the events up to id {last} are not the ones sealed ({n} there now; their hashes no longer fold to "
            f"meta.events_fold): events were edited, deleted or inserted and a case's chain recomputed — compare "
            f"with a backup (county verify --against COPY) to see which")


def seal(conn: sqlite3.Connection) -> int:
    """Seal every case row this connection changed in the open transaction (the temporary
    ``county_dirty`` table): ``head_hash`` := its last event's hash, ``state_hash`` := the
    digest of the row; the case counter raised to the highest case number among them. Called by
    ``Store.transaction`` just before COMMIT. Returns how many."""
    ids = [r[0] for r in conn.execute("select id from temp.county_dirty")]
    if not ids:
        return 0
    last = heads(conn, ids)
    cur = conn.execute("select * from main.cases where id in (select id from temp.county_dirty)")
    cols = [d[0] for d in cur.description]
    digest = row_digester(cols)
    at_id, at_head = cols.index("id"), cols.index("head_hash")
    updates = []
    rows = cur.fetchall()
    for values in rows:
        values = list(values)
        values[at_head] = head = last.get(values[at_id], GENESIS)
        updates.append((head, digest(values), values[at_id]))
    conn.executemany("update main.cases set head_hash = ?, state_hash = ? where id = ?", updates)
    conn.execute("delete from temp.county_dirty")
    extend_fold(conn)
    if "seq" in cols:  # the case counter only rises (the module docstring)
        at_seq = cols.index("seq")
        top = max(((v[at_seq], v[at_id]) for v in rows if v[at_seq] is not None), default=None)
        if top is not None and top[0] > counter(conn)[0]:
            conn.execute(UPSERT_META,
                         [COUNTER_KEY, _dumps({"seq": top[0], "id": top[1]})])
    return len(updates)


#: The deployment log's table (created on first use) and its hash's columns, in order.
LOG_SQL = ("create table if not exists deployment_log (id integer primary key, at text, actor text, note text, "
           "prev_hash text, hash text)")
LOG_FIELDS = ("at", "actor", "note")


def log_hash(prev: str, fields: Sequence[Any]) -> str:
    """The hash of one deployment-log row: ``prev`` (the previous row's hash, :data:`GENESIS`
    for the first) and the values of :data:`LOG_FIELDS`. 64 hex characters."""
    return hashlib.sha256(("log-v1" + _dumps([prev, *fields])).encode("utf-8", "surrogatepass")).hexdigest()


def append_log(conn: sqlite3.Connection, at: str, actor: str, note: str) -> None:
    """Append one row to the deployment log (``at``: ISO instant, ``actor``: the operator's id,
    ``note``: one line saying what changed), chained to the row before."""
    conn.execute(LOG_SQL)
    row = conn.execute("select hash from deployment_log order by id desc limit 1").fetchone()
    prev = row[0] if row else GENESIS
    conn.execute("insert into deployment_log (at, actor, note, prev_hash, hash) values (?,?,?,?,?)",
                 [at, actor, note, prev, log_hash(prev, [at, actor, note])])


def log_problems(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """``(row id, text)`` per deployment-log row whose content no longer gives its hash or
    whose link is not the row before (edited, deleted, reordered). Empty without a log."""
    if not conn.execute("select 1 from sqlite_master where name = 'deployment_log'").fetchone():
        return []
    out, expect = [], GENESIS
    for rid, at, actor, note, prev, h in conn.execute(
            "select id, at, actor, note, prev_hash, hash from deployment_log order by id"):
        if log_hash(prev or GENESIS, [at, actor, note]) != h:
            out.append((rid, f"deployment log row {rid} ({at}, by {actor}) was edited: its content no longer gives "
                             f"its hash"))
        elif (prev or GENESIS) != expect:
            out.append((rid, f"deployment log row {rid} ({at}, by {actor}) does not follow the row before it "
                             f"(rows deleted or moved)"))
        expect = h
    return out
