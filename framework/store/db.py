"""SQLite storage through sqlite-utils: schema, migrations, transactions, events.

* WAL mode and a busy timeout: two operators on one database wait rather than fail.
* Writers take the write lock up front (``BEGIN IMMEDIATE``) in :meth:`Store.transaction`;
  sqlite-utils' own writes nest inside it as savepoints, so a hook that raises rolls back the
  case row, its events and any plugin table rows together.
* Every change to a case is an appended row of ``events`` in the same transaction.
* Tamper evidence (:mod:`framework.store.chain`): each event carries the hash chaining it to
  the case's event before; each case row a digest of its state and its last event, sealed
  just before every commit; the file refuses UPDATE and DELETE on ``events`` (triggers).
* The kernel schema is the ``county`` migration set; each plugin adds its own set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from typing import Any, Iterator

import sqlite_utils
from sqlite_utils.migrations import Migrations

from framework.errors import CountyError
from framework.store.chain import (
    APPEND_ONLY_SQL,
    EVENT_FIELDS,
    GENESIS,
    chain_rows,
    dirty_sql,
    event_hash,
    row_digester,
    seal,
)
from framework.store.guard import TableNames, own_tables_only, plugin_owns
from framework.store.mounts import wal_unsafe
from framework.store.tallies import forget_all

SCHEMA_VERSION = 3
kernel_migrations = Migrations("county")


@kernel_migrations()
def m001_initial(db: sqlite_utils.Database):
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["units"].create({"code": str, "name": str, "level": str, "parent": str}, pk="code")
    db["units"].create_index(["parent"])
    db["units"].create_index(["level"])
    db["people"].create(
        {"id": str, "name": str, "unit": str, "roles": str, "skills": str, "phone": str}, pk="id"
    )
    db["people"].create_index(["unit"])
    db["cases"].create(
        {
            "id": str, "seq": int, "method": str, "channel": str, "category": str, "title": str,
            "description": str, "unit": str, "level": str, "status": str, "handler": str,
            "priority": str, "created_at": str, "created_ts": float, "resolved_ts": float, "tier_arrived_at": str, "due_at": str,
            "due_ts": float, "resolved_at": str, "resolved_level": str, "satisfaction": str,
            "origin_unit": str, "overdue_count": int,
            "requester_name": str, "requester_phone": str, "requester_id_number": str,
            "requester_address": str, "requester_anonymous": int, "source_id": str,
            "extra": str, "updated_at": str,
        },
        pk="id",
    )
    db["cases"].create_index(["seq"], unique=True)
    db["cases"].create_index(["status", "due_ts"])  # --overdue
    db["cases"].create_index(["origin_unit", "method", "created_ts"])  # reports
    db["cases"].create_index(["created_ts"])
    db["cases"].create_index(["handler", "status"])
    db["cases"].create_index(["source_id"], unique=True)
    db["events"].create(
        {"id": int, "case_id": str, "at": str, "type": str, "actor": str, "level": str,
         "unit": str, "note": str, "data": str},
        pk="id",
    )
    db["events"].create_index(["case_id", "id"])
    db["events"].create_index(["type", "at"])
    # Milestones: every due instant of every tier a case visited, with its state
    # (pending / met / missed). The sweep reads pending ones past due by index.
    db["milestones"].create(
        {"id": int, "case_id": str, "level": str, "name": str, "due_at": str, "due_ts": float,
         "action": str,
         "to_level": str, "is_primary": int, "state": str, "closed_at": str, "note": str},
        pk="id",
    )
    db["milestones"].create_index(["state", "due_ts"])  # the sweep
    db["milestones"].create_index(["case_id", "state"])
    db["meta"].insert({"key": "schema_version", "value": "1"})


@kernel_migrations()
def m002_links_joint_anchor(db: sqlite_utils.Database):
    """Issue 18: a case's lead case (``lead_id``, 批量办理) and joint unit/person (会办), and a
    milestone's ``anchor`` (``arrival``, or ``before`` a later event)."""
    for col in ("lead_id", "joint_unit", "joint_handler"):
        db["cases"].add_column(col, str)
    db["cases"].create_index(["lead_id"])
    db["cases"].create_index(["joint_unit"])
    db["milestones"].add_column("anchor", str, not_null_default="arrival")
    db["meta"].upsert({"key": "schema_version", "value": "2"}, pk="key")


@kernel_migrations()
def m003_audit_chain(db: sqlite_utils.Database):
    """Issue 14: ``events.prev_hash``/``hash`` (the chain), ``cases.head_hash``/``state_hash``
    (the seal), and the triggers refusing UPDATE and DELETE on ``events``.

    Events already in the database are chained here, in ``(case_id, id)`` order, and every case
    row sealed: a back-filled chain proves nothing about what happened before this migration —
    only that nothing changed after it. ``meta.audit_backfill`` records how many events and
    cases were back-filled and the last event id then (``county verify`` says so)."""
    db["events"].add_column("prev_hash", str)
    db["events"].add_column("hash", str)
    db["cases"].add_column("head_hash", str)
    db["cases"].add_column("state_hash", str)
    conn = db.conn
    # computed hashes go to a temporary table in batches, then one UPDATE … FROM: memory stays
    # flat however many events there are, and the table being read is not the one written
    conn.execute("create temp table m003_chain (id integer primary key, prev text, hash text)")
    batch, last, prev_case, n_events = [], GENESIS, None, 0
    for row in conn.execute(f"select id, {', '.join(EVENT_FIELDS)} from events order by case_id, id"):
        if row[1] != prev_case:
            prev_case, last = row[1], GENESIS
        h = event_hash(last, row[1:])
        batch.append((row[0], last, h))
        last = h
        if len(batch) >= 20_000:
            conn.executemany("insert into temp.m003_chain values (?,?,?)", batch)
            n_events, batch = n_events + len(batch), []
    conn.executemany("insert into temp.m003_chain values (?,?,?)", batch)
    n_events += len(batch)
    conn.execute("update events set prev_hash = c.prev, hash = c.hash from temp.m003_chain c where events.id = c.id")
    conn.execute("drop table temp.m003_chain")
    conn.execute("create temp table m003_seal (id text primary key, head text, state text)")
    cur = conn.execute("select c.*, (select e.hash from events e where e.case_id = c.id order by e.id desc limit 1) "
                       "from cases c")
    cols = [d[0] for d in cur.description][:-1]
    digest = row_digester(cols)
    at_id, at_head = cols.index("id"), cols.index("head_hash")
    n_cases = 0
    while True:
        rows = cur.fetchmany(20_000)
        if not rows:
            break
        sealed = []
        for values in rows:
            values = list(values)
            values[at_head] = values.pop() or GENESIS  # the case's last event's hash
            sealed.append((values[at_id], values[at_head], digest(values)))
        conn.executemany("insert into temp.m003_seal values (?,?,?)", sealed)
        n_cases += len(sealed)
    conn.execute("update cases set head_hash = s.head, state_hash = s.state from temp.m003_seal s where cases.id = s.id")
    conn.execute("drop table temp.m003_seal")
    for sql in APPEND_ONLY_SQL:
        conn.execute(sql)
    last_id = conn.execute("select max(id) from events").fetchone()[0]
    db["meta"].upsert({"key": "audit_backfill", "value": json.dumps(
        {"events": n_events, "cases": n_cases, "last_event_id": last_id})}, pk="key")
    db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")


#: One appended event: (case_id, at, type, actor, level, unit, note, data as JSON), then its
#: chain (prev_hash, hash) from :func:`framework.store.chain.chain_rows` — the one writer.
INSERT_EVENT = ("insert into events (case_id, at, type, actor, level, unit, note, data, prev_hash, hash)"
                " values (?,?,?,?,?,?,?,?,?,?)")


def append_events(conn: sqlite3.Connection, rows: list) -> None:
    """Append event rows (each the 8 values of :data:`framework.store.chain.EVENT_FIELDS`, as
    stored), chained (:func:`~framework.store.chain.chain_rows`): the one writer of ``events``,
    used by :meth:`Store.append_event` and bulk intake alike."""
    if rows:
        conn.executemany(INSERT_EVENT, chain_rows(conn, rows))


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def json_default(value: Any) -> Any:
    """The one JSON encoder fallback of every kernel writer (case ``extra``, event ``data``,
    plugin rows): a datetime or date becomes ISO 8601 (``2024-07-19T23:00:00+08:00``), a set or
    tuple a list, anything else its ``str()``. Use as ``json.dumps(…, default=json_default)``."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def json_encoder(default) -> Any:
    """``json.JSONEncoder(ensure_ascii=False, default=default).encode``, its C encoder made once
    (``JSONEncoder.encode`` makes a new one, and a new circular-reference dict, on every call:
    ~40 % of the time for a small dict). Same text, same errors: after an error the
    circular-reference dict is emptied, so a later value is never taken for a cycle. Falls
    back to ``JSONEncoder.encode`` where the json module has no C encoder."""
    plain = json.JSONEncoder(ensure_ascii=False, default=default).encode
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return plain
    markers: dict[int, Any] = {}
    encode = make(markers, default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    string = json.encoder.encode_basestring

    def dumps(value: Any) -> str:
        if isinstance(value, str):
            return string(value)
        try:
            return "".join(encode(value, 0))
        except BaseException:
            markers.clear()
            raise

    return dumps


#: ``json.dumps(…, ensure_ascii=False, default=json_default)``, its encoder made once (:func:`json_encoder`).
encode_json = json_encoder(json_default)


class Store:
    """The database handle a deployment works through. ``path`` may be ``:memory:``."""

    def __init__(self, path: str, *, busy_timeout_ms: int = 30_000, read_only: bool = False):
        """Open ``path``. ``read_only``: through SQLite's ``mode=ro`` (nothing written, the
        journal mode left as it is, no ``-wal``/``-shm`` made beside a file in rollback-journal
        mode — for ``county verify`` of a copy); CountyError when SQLite cannot open it so."""
        self.path = str(path)
        self.read_only = read_only
        try:
            if read_only:
                conn = sqlite3.connect(f"file:{os.path.abspath(self.path)}?mode=ro", uri=True,
                                       timeout=busy_timeout_ms / 1000, isolation_level=None)
            else:
                conn = sqlite3.connect(self.path, timeout=busy_timeout_ms / 1000, isolation_level=None)
        except sqlite3.Error as e:
            raise CountyError(f"--db {self.path}: cannot open database: {e}") from None
        self.db = sqlite_utils.Database(conn)
        #: The schema's table names, read again only when the schema changed (the plugin guard's).
        self.table_names = TableNames()
        #: One-line warnings about this database (the CLI prints them): WAL refused on a network
        #: or FUSE file system, the rollback journal kept instead (issue 14, mounts.py).
        self.warnings: list[str] = []
        try:
            unsafe = wal_unsafe(self.path) if self.path != ":memory:" else None
            if unsafe and read_only:
                pass  # nothing is written: the journal mode stays as the file has it
            elif unsafe:
                self.db.execute("PRAGMA journal_mode=DELETE")
                self.warnings.append(f"--db {self.path}: on a {unsafe} file system, where SQLite's WAL can corrupt "
                                     f"the database; using the rollback journal (slower, safe) — keep the database "
                                     f"on a local disk")
            elif self.path != ":memory:" and not read_only:
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
            self.db.execute("PRAGMA foreign_keys=off")
        except sqlite3.DatabaseError as e:
            raise CountyError(f"--db {self.path}: not a county database ({e})") from None
        self._depth = 0
        self._sealing = False  # the temporary triggers noting changed cases are in place

    # -- schema ----------------------------------------------------------------------------
    def migrate(self, sets: list[Migrations]) -> None:
        """Apply the kernel's and then each plugin's pending migrations. A plugin's set (named
        after the plugin) may create and change only its own tables (``<name>_…``), checked by
        SQLite's authorizer (:mod:`framework.store.guard`); the record of applied migrations
        (``_sqlite_migrations``) is the kernel's to write."""
        before = self._migrations_applied()
        kernel_migrations.apply(self.db)
        for m in sets:
            with own_tables_only(self.db.conn, plugin_owns(m.name), f"plugin {m.name}'s migrations", f"{m.name}_",
                                 also=frozenset({"_sqlite_migrations"})):
                m.apply(self.db)
        if self._migrations_applied() != before:  # a migration may change rows unseen: no kept count survives it
            forget_all(self.db.conn)

    def _migrations_applied(self) -> int:
        try:
            return self.db.execute("select count(*) from _sqlite_migrations").fetchone()[0]
        except sqlite3.OperationalError:
            return 0

    @property
    def initialised(self) -> bool:
        return self.db["meta"].exists()

    def get_meta(self, key: str, default: Any = None) -> Any:
        if not self.db["meta"].exists():
            return default
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_meta(self, key: str, value: Any) -> None:
        self.db["meta"].upsert({"key": key, "value": json.dumps(value, ensure_ascii=False)}, pk="key")

    # -- transactions ----------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator["Store"]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; rollback on any exception. Nested calls join the
        outer transaction (as a savepoint)."""
        if self._depth:
            self._depth += 1
            try:
                with self.db.atomic():
                    yield self
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            self._start_sealing()
            yield self
            if self._sealing:
                seal(self.db.conn)  # every case row changed in this transaction (framework.store.chain)
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            self._sealing = False  # the rollback may have undone the temporary triggers made in it
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            self._depth = 0

    def _start_sealing(self) -> None:
        """Inside a fresh transaction: the temporary triggers noting changed cases (once per
        connection, when the kernel's tables exist), and no note left from writes made outside
        a transaction (those are never sealed: ``county verify`` names them)."""
        conn = self.db.conn
        if not self._sealing:
            tables = {r[0] for r in conn.execute(
                "select name from sqlite_master where type = 'table' and name in ('cases', 'events')")}
            cols = {r[1] for r in conn.execute("pragma table_info(cases)")} if "cases" in tables else set()
            if len(tables) < 2 or "state_hash" not in cols:
                return
            for sql in dirty_sql(conn):
                conn.execute(sql)
            self._sealing = True
        conn.execute("delete from temp.county_dirty")

    # -- small helpers used by the kernel and by plugins inside hooks --------------------
    def query(self, sql: str, params: Any = ()) -> list[dict]:
        return list(self.db.query(sql, params))

    def insert(self, table: str, row: dict, **kw) -> Any:
        """Insert one row into a (plugin) table inside the current transaction; returns its pk."""
        return self.db[table].insert(_jsonable(row), **kw).last_pk

    def upsert(self, table: str, row: dict, pk) -> None:
        self.db[table].upsert(_jsonable(row), pk=pk)

    def update(self, table: str, pk: Any, values: dict) -> None:
        self.db[table].update(pk, _jsonable(values))

    def append_event(self, case_id: str, at: dt.datetime, type: str, actor: str, *,
                     level: str | None = None, unit: str | None = None, note: str | None = None,
                     data: dict | None = None) -> None:
        """Append one event (conventions §6: every change to a case is an appended event),
        chained to the case's last event (:func:`append_events`). ``at`` aware; ``data`` stored
        as JSON."""
        append_events(self.db.conn, [(case_id, iso(at), type, actor, level, unit, note,
                                      json.dumps(data or {}, ensure_ascii=False, default=json_default))])


def _jsonable(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        if isinstance(v, (dt.datetime, dt.date)):
            v = v.isoformat()
        elif isinstance(v, (dict, list, tuple)):
            v = json.dumps(v, ensure_ascii=False, default=json_default)
        out[k] = v
    return out
