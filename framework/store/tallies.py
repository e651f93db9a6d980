"""Kept counts (计数留存, issue 13): the rows of a count over a period's cases, kept in the
database until one of those cases changes.

A year's appraisal counts the same closed period again and again — the terminal table, the
html report, the workbook, ``county serve``'s snapshot, next week's look at last year — and
each count reads every case of the period (a hundred thousand, with their events and
milestones). :func:`kept_rows` runs such a count once and keeps its rows in
``county_tallies``, keyed by its statement and parameters, with the span of the cases it
counted: ``dim`` ``c`` (cases created in ``[start_ts, end_ts)``) or ``r`` (cases resolved in
it). The next identical count reads the kept rows.

**Never stale.** Triggers on ``cases`` (insert — a replaced row's old instants too —, update,
delete), ``events`` (insert; the log is append-only) and ``milestones`` (insert, update,
delete) drop every kept count whose span holds the touched case's creation or resolution
instant (before and after an update) — in the same statement, so in the same transaction as
the change, whoever writes (the kernel, an import, a migration, raw SQL). The triggers are
made with the first count kept and dropped with the last (:func:`forget_all`), so a county
that keeps none — a bulk import — pays nothing for them. A count is kept only when its rows depend on nothing else:
the cases of its span and their events and milestones, through its own statement and
parameters (the clock is never a parameter of a kept count; the appraisal counts "late at
``--now``" apart, :mod:`framework.publish.appraisal`). Applying any migration drops them
all. ``county check`` recounts every kept count and names one that differs (kind
``tallies``).

**Never in the way.** Nothing is kept inside a caller's open transaction, on a read-only
store, or when another process writes at that moment (the rows are still returned; the next
count keeps them); the triggers do nothing while no count is kept (one look at an empty
table), a bulk intake drops every kept count and the triggers when it starts (its writes would
drop most of them anyway, one trigger at a time), and only the newest :data:`KEEP_AT_MOST` are kept.

Kernel-internal: the read API's counts (:mod:`framework.kernel.aggregates`) and the common
appraisal metrics use it; plugins get its speed through ``ctx.cases.count`` and the like.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any, Sequence

TABLE = "county_tallies"
#: At most this many counts are kept, the newest (a year's appraisal of the five core methods
#: keeps 8; a month's, a quarter's and a year's of twenty methods a few hundred).
KEEP_AT_MOST = 1000

def _forget(created: str, resolved: str) -> str:
    """Trigger statements dropping the counts whose span holds ``created`` / ``resolved``
    (SQL expressions; a NULL matches nothing)."""
    return (f"delete from {TABLE} where dim = 'c' and end_ts > ({created}) and start_ts <= ({created}); "
            f"delete from {TABLE} where dim = 'r' and end_ts > ({resolved}) and start_ts <= ({resolved}); ")


def _of_case(ref: str, col: str = "id") -> tuple[str, str]:
    return (f"select created_ts from cases where {col} = {ref}", f"select resolved_ts from cases where {col} = {ref}")


#: The rows an INSERT OR REPLACE of NEW would replace: one per unique key of ``cases`` (``id``,
#: ``seq``, ``source_id``; recursive triggers being off, no delete trigger sees them go).
_REPLACED = "".join(_forget(*_of_case(f"NEW.{col}", col)) for col in ("id", "seq", "source_id"))


_KEPT = f"exists (select 1 from {TABLE})"

#: The table and its span index (migration m008).
TABLE_SQL = (
    f"create table if not exists {TABLE} (key text primary key, dim text not null, start_ts real not null, "
    f"end_ts real not null, sql text not null, params text not null, rows text not null)",
    f"create index if not exists idx_{TABLE}_dim_end_ts on {TABLE} (dim, end_ts)",
)
#: The triggers, made with the first count kept: name -> (its table and moment, its body).
#: "insert or replace" (and "update or replace", on seq or source_id) deletes the rows it
#: replaces without a delete trigger (recursive triggers are off): their instants are read first.
_TRIGGER_PARTS = {
    "county_tallies_case_replace": ("before insert on cases", _REPLACED),
    "county_tallies_case_rekey": ("before update of seq, source_id on cases",
                                  _forget(*_of_case("NEW.seq", "seq")) + _forget(*_of_case("NEW.source_id", "source_id"))),
    "county_tallies_case_insert": ("after insert on cases", _forget("NEW.created_ts", "NEW.resolved_ts")),
    "county_tallies_case_update": ("after update on cases", _forget("OLD.created_ts", "OLD.resolved_ts")
                                   + _forget("NEW.created_ts", "NEW.resolved_ts")),
    "county_tallies_case_delete": ("after delete on cases", _forget("OLD.created_ts", "OLD.resolved_ts")),
    "county_tallies_event_insert": ("after insert on events", _forget(*_of_case("NEW.case_id"))),
    "county_tallies_milestone_insert": ("after insert on milestones", _forget(*_of_case("NEW.case_id"))),
    "county_tallies_milestone_update": ("after update on milestones", _forget(*_of_case("OLD.case_id"))
                                        + _forget(*_of_case("NEW.case_id"))),
    "county_tallies_milestone_delete": ("after delete on milestones", _forget(*_of_case("OLD.case_id"))),
}
#: The trigger names (``county check`` names one missing while counts are kept: they could go stale).
TRIGGERS = tuple(_TRIGGER_PARTS)
#: Each trigger's table (``county check`` says what a missing one lets through).
WATCHES = {name: on.rsplit(" on ", 1)[1] for name, (on, _) in _TRIGGER_PARTS.items()}
#: The triggers' statements (``create … if not exists``: run again, nothing changes).
TRIGGER_SQL = tuple(f"create trigger if not exists {name} {on} when {_KEPT} begin {body} end"
                    for name, (on, body) in _TRIGGER_PARTS.items())


def install(conn: sqlite3.Connection) -> None:
    """Create the table on ``conn`` (idempotent; the kernel's migration m008). Its triggers come
    with the first count kept (:func:`kept_rows`)."""
    for sql in TABLE_SQL:
        conn.execute(sql)


def forget_all(conn: sqlite3.Connection) -> None:
    """Drop every kept count and the triggers (a migration applied, a bulk intake starting), in
    one transaction (the caller's, else its own: another process keeping a count between the
    two would otherwise keep it without triggers). Nothing when the table is not there (a
    database not yet migrated)."""
    own = not conn.in_transaction
    if own:
        conn.execute("begin immediate")
    try:
        try:
            conn.execute(f"delete from {TABLE}")
        except sqlite3.OperationalError:
            return
        for name in TRIGGERS:
            conn.execute(f"drop trigger if exists {name}")
    except BaseException:
        if own and conn.in_transaction:
            conn.execute("rollback")
            own = False
        raise
    finally:
        if own and conn.in_transaction:
            conn.execute("commit")


def _key(sql: str, params: Sequence[Any]) -> tuple[str, str]:
    text = json.dumps(list(params), ensure_ascii=False)
    return hashlib.sha256(f"{sql}\x00{text}".encode("utf-8", "surrogatepass")).hexdigest(), text


def kept_rows(store, sql: str, params: Sequence[Any], dim: str, start_ts: float, end_ts: float) -> list[tuple]:
    """The rows of ``sql`` run with ``params`` on ``store`` (a :class:`framework.store.Store`),
    from ``county_tallies`` when kept, else counted now and kept (see the module for when not).

    The caller vouches that the rows depend only on the cases created (``dim`` ``"c"``) or
    resolved (``"r"``) in ``[start_ts, end_ts)`` (POSIX seconds) and on their events and
    milestones, through ``sql`` and ``params`` (JSON values: text, numbers, None; no clock).
    Returns a list of tuples, as ``fetchall`` gives them (numbers as SQLite gave them: an
    integer stays an int, a real a float). Raises what SQLite raises for ``sql``."""
    conn = store.db.conn
    try:
        key, text = _key(sql, params)
    except (TypeError, ValueError):  # a parameter JSON cannot hold (a date SQLite binds itself): not kept
        return conn.execute(sql, params).fetchall()
    try:
        hit = conn.execute(f"select rows from {TABLE} where key = ?", [key]).fetchone()
    except sqlite3.OperationalError:  # no table: a database not migrated (a read-only look at an old file)
        return conn.execute(sql, params).fetchall()
    if hit is not None:
        try:
            return [tuple(r) for r in json.loads(hit[0])]
        except (TypeError, ValueError):  # damaged (a hand edit, a bad page): counted again and kept anew
            pass
    if getattr(store, "read_only", False) or conn.in_transaction:
        return conn.execute(sql, params).fetchall()
    # one snapshot for the count and its keeping: a write by another process after the count
    # began makes the keeping fail (SQLITE_BUSY_SNAPSHOT, or busy at once: no waiting here)
    conn.execute("begin")
    try:
        rows = conn.execute(sql, params).fetchall()
        timeout = conn.execute("pragma busy_timeout").fetchone()[0]
        conn.execute("pragma busy_timeout = 0")
        try:
            for trigger in TRIGGER_SQL:  # the first count kept makes them (in this transaction)
                conn.execute(trigger)
            conn.execute(f"insert or replace into {TABLE} (key, dim, start_ts, end_ts, sql, params, rows) "
                         f"values (?, ?, ?, ?, ?, ?, ?)",
                         [key, dim, start_ts, end_ts, sql, text, json.dumps(rows, ensure_ascii=False)])
            # the newest KEEP_AT_MOST only (a count whose parameters change from run to run,
            # e.g. a plugin's "due before now", would otherwise pile up entries never read again)
            conn.execute(f"delete from {TABLE} where rowid <= (select max(rowid) from {TABLE}) - ?", [KEEP_AT_MOST])
            conn.execute("commit")
        except sqlite3.OperationalError:  # another writer: counted, not kept
            pass
        finally:
            conn.execute(f"pragma busy_timeout = {int(timeout)}")
    finally:
        if conn.in_transaction:
            conn.execute("rollback")
    return rows


def stale(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """``[(key, sql)]`` of every kept count whose rows differ from a recount now (``county
    check``); [] when none is kept or the table is not there."""
    try:
        kept = conn.execute(f"select key, sql, params, rows from {TABLE}").fetchall()
    except sqlite3.OperationalError:
        return []
    out = []
    for key, sql, params, rows in kept:
        try:
            was = json.loads(rows)
            now = [list(r) for r in conn.execute(sql, json.loads(params)).fetchall()]
        except (TypeError, ValueError, sqlite3.Error):  # unreadable: it differs from any recount
            out.append((key, sql))
            continue
        if not isinstance(was, list) or sorted(map(repr, now)) != sorted(map(repr, was)):
            out.append((key, sql))
    return out
