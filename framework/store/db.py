"""SQLite storage through sqlite-utils: schema, migrations, transactions, events.

* WAL mode and a busy timeout: two operators on one database wait rather than fail.
* Writers take the write lock up front (``BEGIN IMMEDIATE``) in :meth:`Store.transaction`;
  sqlite-utils' own writes nest inside it as savepoints, so a hook that raises rolls back the
  case row, its events and any plugin table rows together.
* Every change to a case is an appended row of ``events`` in the same transaction.
* The kernel schema is the ``county`` migration set; each plugin adds its own set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from typing import Any, Iterator

import sqlite_utils
from sqlite_utils.migrations import Migrations

from framework.errors import CountyError
from framework.store.guard import own_tables_only, plugin_owns

SCHEMA_VERSION = 2
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
    db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")


#: One appended event: (case_id, at, type, actor, level, unit, note, data as JSON).
INSERT_EVENT = "insert into events (case_id, at, type, actor, level, unit, note, data) values (?,?,?,?,?,?,?,?)"


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class Store:
    """The database handle a deployment works through. ``path`` may be ``:memory:``."""

    def __init__(self, path: str, *, busy_timeout_ms: int = 30_000):
        self.path = str(path)
        try:
            conn = sqlite3.connect(self.path, timeout=busy_timeout_ms / 1000, isolation_level=None)
        except sqlite3.Error as e:
            raise CountyError(f"--db {self.path}: cannot open database: {e}") from None
        self.db = sqlite_utils.Database(conn)
        try:
            if self.path != ":memory:":
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
            self.db.execute("PRAGMA foreign_keys=off")
        except sqlite3.DatabaseError as e:
            raise CountyError(f"--db {self.path}: not a county database ({e})") from None
        self._depth = 0

    # -- schema ----------------------------------------------------------------------------
    def migrate(self, sets: list[Migrations]) -> None:
        """Apply the kernel's and then each plugin's pending migrations. A plugin's set (named
        after the plugin) may create and change only its own tables (``<name>_…``), checked by
        SQLite's authorizer (:mod:`framework.store.guard`); the record of applied migrations
        (``_sqlite_migrations``) is the kernel's to write."""
        kernel_migrations.apply(self.db)
        for m in sets:
            with own_tables_only(self.db.conn, plugin_owns(m.name), f"plugin {m.name}'s migrations", f"{m.name}_",
                                 also=frozenset({"_sqlite_migrations"})):
                m.apply(self.db)

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
            yield self
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            self._depth = 0

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
        """Append one event (conventions §6: every change to a case is an appended event)."""
        self.db.execute(
            INSERT_EVENT,
            [case_id, iso(at), type, actor, level, unit, note,
             json.dumps(data or {}, ensure_ascii=False, default=str)],
        )


def _jsonable(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        if isinstance(v, (dt.datetime, dt.date)):
            v = v.isoformat()
        elif isinstance(v, (dict, list, tuple)):
            v = json.dumps(v, ensure_ascii=False, default=str)
        out[k] = v
    return out
