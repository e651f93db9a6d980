"""A plugin touches only its own tables: SQLite's authorizer, not a parse of the SQL text.

While :func:`own_tables_only` is active on a connection, every statement SQLite prepares is
checked table by table (reads, writes, schema changes, pragmas naming a table, ATTACH): a table
whose name does not belong to the plugin (``<method>_…``) is refused, however the SQL spells
it (``main.cases``, comments, sub-queries, ``count(*)``). A plugin creates no triggers (their
bodies would run later, unchecked). SQLite's own schema tables may be read (sqlite-utils
introspects through them), and so may the table-valued functions ``json_each`` / ``json_tree``;
scalar and aggregate functions (``json_extract``, ``date``, ``count``…) are never refused;
temporary tables are the connection's scratch space. A refusal becomes a :class:`CountyError`
naming the plugin and the table.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator

from framework.errors import CountyError

#: SQLite's schema: written only by DDL, whose objects are checked themselves (CREATE TABLE,
#: CREATE INDEX ON, DROP … name their table); readable for introspection.
SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"})
#: SQLite's bookkeeping: readable, never writable by a plugin (AUTOINCREMENT counters of every table).
BOOK_TABLES = frozenset({"sqlite_sequence", "sqlite_stat1"})
#: SQLite's built-in table-valued JSON functions: readable (they read only the values passed to
#: them; a sub-query inside their arguments is checked table by table like any other).
FUNCTION_TABLES = frozenset({"json_each", "json_tree"})

# authorizer action codes (sqlite3 module constants) -> which argument names the table
_ARG1_TABLE = {sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_CREATE_TEMP_TABLE, sqlite3.SQLITE_DELETE,
               sqlite3.SQLITE_DROP_TABLE, sqlite3.SQLITE_DROP_TEMP_TABLE, sqlite3.SQLITE_INSERT, sqlite3.SQLITE_READ,
               sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_ANALYZE, sqlite3.SQLITE_CREATE_VTABLE,
               sqlite3.SQLITE_DROP_VTABLE, sqlite3.SQLITE_CREATE_VIEW, sqlite3.SQLITE_DROP_VIEW,
               sqlite3.SQLITE_CREATE_TEMP_VIEW, sqlite3.SQLITE_DROP_TEMP_VIEW}
_ARG2_TABLE = {sqlite3.SQLITE_CREATE_INDEX, sqlite3.SQLITE_DROP_INDEX, sqlite3.SQLITE_CREATE_TEMP_INDEX,
               sqlite3.SQLITE_DROP_TEMP_INDEX, sqlite3.SQLITE_CREATE_TRIGGER, sqlite3.SQLITE_DROP_TRIGGER,
               sqlite3.SQLITE_CREATE_TEMP_TRIGGER, sqlite3.SQLITE_DROP_TEMP_TRIGGER, sqlite3.SQLITE_ALTER_TABLE}
_NEVER = {sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH}
_TRIGGERS = {sqlite3.SQLITE_CREATE_TRIGGER, sqlite3.SQLITE_CREATE_TEMP_TRIGGER}
_READS = {sqlite3.SQLITE_READ}


def plugin_owns(method: str) -> Callable[[str], bool]:
    """The naming rule: plugin ``method``'s tables are called ``<method>_…``."""
    prefix = f"{method}_".lower()
    return lambda table: table.lower().startswith(prefix)


class TableNames:
    """The names (lower case) of a database's tables and views, read from ``sqlite_master``
    again only when SQLite's schema cookie (``PRAGMA schema_version``, raised by every schema
    change from any connection) has moved: one cheap read per guarded statement instead of a
    scan of the schema (issue 13: ~75 µs of every plugin query)."""

    def __init__(self) -> None:
        self._version: int | None = None
        self._names: frozenset[str] = frozenset()

    def __call__(self, conn: sqlite3.Connection) -> frozenset[str]:
        version = conn.execute("pragma schema_version").fetchone()[0]
        if version != self._version:
            self._names = frozenset(r[0].lower() for r in conn.execute(
                "select name from sqlite_master where type in ('table', 'view')"))
            self._version = version
        return self._names


@contextlib.contextmanager
def own_tables_only(conn: sqlite3.Connection, owns: Callable[[str], bool], who: str, prefix: str,
                    also: frozenset[str] = frozenset(), names: TableNames | None = None) -> Iterator[None]:
    """Inside the block, statements prepared on ``conn`` may touch only tables ``owns``
    accepts (plus ``also``, and SQLite's schema). ``who`` names the caller in the error (e.g.
    ``plugin dianti``), ``prefix`` the naming rule (``dianti_``); ``names``: the connection's
    :class:`TableNames` to reuse (None: the schema is read for this block). Raises CountyError
    naming the refused table."""
    existing = (names or TableNames())(conn)
    refused: list[str] = []

    def allowed(table: str | None, action: int) -> bool:
        if not table:
            return True
        name = table.lower()
        if name in SCHEMA_TABLES:
            return True
        if name in BOOK_TABLES or name in FUNCTION_TABLES:
            return action in _READS
        return owns(name) or name in also

    def authorizer(action, arg1, arg2, db_name, _source):
        if db_name == "temp":
            return sqlite3.SQLITE_OK  # connection-local scratch: holds only what was readable
        if action in _NEVER:
            refused.append("ATTACH/DETACH")
            return sqlite3.SQLITE_DENY
        if action in _TRIGGERS:  # a trigger's body would run later, outside this check
            refused.append(f"a trigger ({arg1})")
            return sqlite3.SQLITE_DENY
        table = arg1 if action in _ARG1_TABLE else arg2 if action in _ARG2_TABLE else None
        if action == sqlite3.SQLITE_PRAGMA and arg2 and arg2.lower() in existing:
            table = arg2
        if table is not None and not allowed(table, action):
            refused.append(table)
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    conn.set_authorizer(authorizer)
    try:
        yield
    except sqlite3.DatabaseError as e:
        if refused and ("not authorized" in str(e) or "prohibited" in str(e)):
            what = refused[-1] if refused[-1].startswith(("a trigger", "ATTACH")) else repr(refused[-1])
            raise CountyError(f"{who} may use only its own tables ({prefix}…); "
                              f"{what} is not one of them (read the kernel's data through ctx.cases, "
                              f"ctx.events, ctx.milestones, ctx.units and ctx.people)") from None
        raise
    finally:
        conn.set_authorizer(None)
