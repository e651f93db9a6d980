"""``county check``'s look at the kept counts (计数留存, issue 13, :mod:`framework.store.tallies`):
findings of kind ``tallies``.

A kept count is only as good as the triggers that drop it when one of its cases changes (made
with the first count kept, dropped with the last): a trigger missing while counts are kept (or
a missing table, which the triggers name) is named, and every kept count is recounted and named
when its rows differ from the recount. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from typing import Any

from framework.store.tallies import TABLE, TRIGGERS, WATCHES, stale

#: What restores the table: migration m008 applied again by the next command.
_REINSTALL = ("`delete from _sqlite_migrations where name = 'm008_kept_counts'`, then any county command "
              "re-creates it (dropping every kept count)")

def tally_problems(conn: sqlite3.Connection, tz: Any = None) -> list[tuple[str, str]]:
    """``[("tallies", message)]`` for ``county check`` (``conn``: an open connection, read only;
    ``tz``: the deployment's time zone, a ``tzinfo``, for the spans named — None: UTC):

    * a trigger of :data:`framework.store.tallies.TRIGGERS` missing while counts are kept —
      "kept counts could go stale: …" (a write to its table would leave the kept counts it
      changes in place; `delete from county_tallies`, and the next count kept makes them again);
    * the table ``county_tallies`` missing while its triggers are there — every write to a case
      then fails (the triggers read the table) —, or without them after migration m008 — nothing
      is kept;
    * each kept count whose rows differ from a recount now (:func:`framework.store.tallies.stale`)
      — "a kept count differs from a recount: …; `delete from county_tallies` and re-run",
      naming its key (first 12 hex digits), the span of cases it counted and its statement's
      start (whitespace folded, at most 80 characters).

    [] when all is sound. Raises what SQLite raises when the database cannot be read."""
    out: list[tuple[str, str]] = []
    names = {r[0]: r[1] for r in conn.execute("select name, type from sqlite_master where type in ('table', 'trigger')")}
    kept = names.get(TABLE) == "table" and conn.execute(f"select exists (select 1 from {TABLE})").fetchone()[0]
    for t in TRIGGERS if kept else ():
        if names.get(t) != "trigger":
            table = WATCHES[t]
            out.append(("tallies", f"kept counts could go stale: the trigger {t} is missing (a write to {table} "
                                   f"would leave the kept counts it changes in place); `delete from {TABLE}` "
                                   f"(the next count kept makes the triggers again)"))
    if names.get(TABLE) != "table":
        if any(names.get(t) == "trigger" for t in TRIGGERS):
            out.append(("tallies", f"the kept counts' table {TABLE} is missing: every write to a case fails "
                                   f"(its triggers read it); restore it: {_REINSTALL}"))
        elif names.get("_sqlite_migrations") == "table" and conn.execute(
                "select 1 from _sqlite_migrations where name = 'm008_kept_counts'").fetchone():
            out.append(("tallies", f"the kept counts' table {TABLE} is missing: nothing is kept (every appraisal "
                                   f"counts its period anew); restore it: {_REINSTALL}"))
        return out
    for key, sql in stale(conn):
        dim, start, end = conn.execute(f"select dim, start_ts, end_ts from {TABLE} where key = ?", [key]).fetchone()
        what = "created" if dim == "c" else "resolved"
        head = re.sub(r"\s+", " ", sql).strip()
        head = head if len(head) <= 80 else head[:79] + "…"
        out.append(("tallies", f"a kept count differs from a recount: key {key[:12]}, cases {what} in "
                               f"[{_instant(start, tz)}, {_instant(end, tz)}), `{head}`; "
                               f"`delete from {TABLE}` and re-run"))
    return out


def _instant(ts: float, tz: Any) -> str:
    return dt.datetime.fromtimestamp(ts, tz or dt.timezone.utc).isoformat()
