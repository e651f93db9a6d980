"""Schema and rows of issue 19's generic case capabilities (docs/hooks.md §12.6, §12.7): the
parties who must sign a case (``signoffs``) and its media attachments by reference
(``attachments``: uri, sha256, media type, size — never the file); and later kernel
migrations: ``m005`` (the idempotency key's index), ``m006`` (the fold over every event,
issue 13), ``m007`` (the appraisal's indexes: cases by resolution instant, events by case
and tier; issue 13) and ``m008`` (the kept counts' table and triggers, :mod:`framework.store.tallies`).

The kernel migration ``m004_signoffs_attachments`` is registered on the ``county`` set when
:mod:`framework.store` is imported (after :mod:`framework.store.db`'s own migrations, so it
runs after them on a fresh database). Kernel-internal: plugins read these through
``ctx.cases.get`` / ``ctx.signoffs`` / ``ctx.attachments``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterable

import sqlite_utils

from framework.models import Attachment, SignOff, SignOffParty
from framework.store.chain import extend_fold
from framework.store.db import iso, kernel_migrations
from framework.store.rows import placeholders
from framework.store.tallies import install

#: The schema version this migration brings (kept when a later one is higher).
CASEWORK_SCHEMA = 4


@kernel_migrations()
def m004_signoffs_attachments(db: sqlite_utils.Database):
    """Issue 19: ``signoffs`` (one row per party of a case: listed order, name, signature) and
    ``attachments`` (one row per attachment: its number on the case, uri, sha256, media type,
    size in bytes, caption, when and by whom)."""
    db["signoffs"].create(
        {"id": int, "case_id": str, "party_id": str, "name": str, "listed_at": str, "signed_at": str,
         "note": str, "actor": str}, pk="id")
    db["signoffs"].create_index(["case_id", "party_id"], unique=True)
    db["attachments"].create(
        {"id": int, "case_id": str, "n": int, "uri": str, "sha256": str, "media_type": str, "size": int,
         "caption": str, "added_at": str, "actor": str}, pk="id")
    db["attachments"].create_index(["case_id", "n"], unique=True)
    row = db.execute("select value from meta where key = 'schema_version'").fetchone()
    if row is None or int(row[0]) < CASEWORK_SCHEMA:
        db["meta"].upsert({"key": "schema_version", "value": str(CASEWORK_SCHEMA)}, pk="key")


def _t(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _chunks(ids: list[str], size: int = 900) -> Iterable[list[str]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def signoffs_of(conn: sqlite3.Connection, case_ids: Iterable[str]) -> dict[str, SignOff]:
    """``{case_id: SignOff}`` for the cases among ``case_ids`` that list parties (parties in
    the order listed)."""
    parties: dict[str, list[SignOffParty]] = {}
    for chunk in _chunks(list(dict.fromkeys(case_ids))):
        for cid, pid, name, signed_at, note, actor in conn.execute(
                f"select case_id, party_id, name, signed_at, note, actor from signoffs "
                f"where case_id in ({placeholders(chunk)}) order by id", chunk):
            parties.setdefault(cid, []).append(SignOffParty(pid, name, _t(signed_at), note, actor))
    return {cid: SignOff(len(ps), sum(p.signed for p in ps), ps) for cid, ps in parties.items()}


def add_parties(conn: sqlite3.Connection, case_id: str, parties: list[tuple[str, str]], at: dt.datetime) -> None:
    """Append ``(party_id, name)`` rows to ``case_id``'s sign-off (the caller checked them)."""
    conn.executemany("insert into signoffs (case_id, party_id, name, listed_at) values (?,?,?,?)",
                     [(case_id, pid, name, iso(at)) for pid, name in parties])


def mark_signed(conn: sqlite3.Connection, case_id: str, party_id: str, at: dt.datetime, note: str | None,
                actor: str) -> None:
    """Record ``party_id``'s signature on ``case_id`` at ``at``."""
    conn.execute("update signoffs set signed_at = ?, note = ?, actor = ? where case_id = ? and party_id = ?",
                 [iso(at), note, actor, case_id, party_id])


def attachments_of(conn: sqlite3.Connection, case_ids: Iterable[str]) -> dict[str, list[Attachment]]:
    """``{case_id: [Attachment, …]}`` (numbered order) for the cases among ``case_ids`` that have any."""
    out: dict[str, list[Attachment]] = {}
    for chunk in _chunks(list(dict.fromkeys(case_ids))):
        for r in conn.execute(
                f"select case_id, n, uri, sha256, media_type, size, caption, added_at, actor from attachments "
                f"where case_id in ({placeholders(chunk)}) order by case_id, n", chunk):
            out.setdefault(r[0], []).append(Attachment(r[1], r[2], r[3], r[4], r[5], r[6], _t(r[7]), r[8]))
    return out


def attachment_counts(conn: sqlite3.Connection, case_ids: Iterable[str]) -> dict[str, int]:
    """``{case_id: number of attachments}`` for the cases that have any (what public outputs show)."""
    out: dict[str, int] = {}
    for chunk in _chunks(list(dict.fromkeys(case_ids))):
        out.update(conn.execute(f"select case_id, count(*) from attachments where case_id in "
                                f"({placeholders(chunk)}) group by case_id", chunk).fetchall())
    return out


def ref_digest(text: str | None) -> str | None:
    """The digest an ``attached`` event carries for an attachment's uri or caption (issue 14:
    ``county verify`` checks the row against it; the uri itself never goes into an event, which
    public outputs may show): sha256 hex of ``"ref-v1:" + text``, None for None."""
    return None if text is None else hashlib.sha256(("ref-v1:" + text).encode("utf-8", "surrogatepass")).hexdigest()


def add_attachment(conn: sqlite3.Connection, case_id: str, a: Attachment) -> int:
    """Store ``a`` as the case's next attachment; returns its number (from 1)."""
    n = conn.execute("select coalesce(max(n), 0) + 1 from attachments where case_id = ?", [case_id]).fetchone()[0]
    conn.execute("insert into attachments (case_id, n, uri, sha256, media_type, size, caption, added_at, actor) "
                 "values (?,?,?,?,?,?,?,?,?)",
                 [case_id, n, a.uri, a.sha256, a.media_type, a.size, a.caption, iso(a.added_at), a.actor])
    return n


@kernel_migrations()
def m005_request_id_index(db: sqlite_utils.Database):
    """Issue 14: an index on the idempotency key (``county case add --request-id``, kept in
    ``extra.request_id``), so a retried add finds its case without reading every case (a partial
    index on the expression the lookup uses: only cases that have a key are in it)."""
    db.execute("create index if not exists idx_cases_request_id on cases (json_extract(extra, '$.request_id')) "
               "where json_extract(extra, '$.request_id') is not null")


@kernel_migrations()
def m006_events_fold(db: sqlite_utils.Database):
    """Issue 13: fold the events already in the database into ``meta.events_fold``
    (:func:`framework.store.chain.extend_fold`) when it is upgraded, as m003 back-filled the
    chain — otherwise the first write transaction after the upgrade (a sweep, a case added)
    would fold the whole history while holding the write lock. A database that has its fold
    already only folds the events since (none, when the kernel wrote them all)."""
    extend_fold(db.conn)


@kernel_migrations()
def m007_appraisal_indexes(db: sqlite_utils.Database):
    """Issue 13 (a year's appraisal): two indexes, made when a database is created or first
    opened after the upgrade (nothing else changes; minutes on a database of millions of events):

    * ``idx_cases_resolved_ts_method`` on ``cases (resolved_ts, method)``: cases by resolution
      period (``ctx.cases.…(resolved=…)``, e.g. dianti's year of resolved services) are read
      from it, a method's among them picked in the index, not from every ``resolved`` event of
      the period, each case looked up (method first would lure every ``method = ?`` query);
    * ``idx_events_case_id_level`` on ``events (case_id, level)``: counting a period's cases'
      events by tier (``ctx.events.count(level=…)``, taizhang's tiers reached) reads the index
      alone, not each event row (0.13 → 0.07 s for a year of 100 k cases)."""
    db.execute("create index if not exists idx_cases_resolved_ts_method on cases (resolved_ts, method)")
    db.execute("create index if not exists idx_events_case_id_level on events (case_id, level)")


@kernel_migrations()
def m008_kept_counts(db: sqlite_utils.Database):
    """Issue 13 (an appraisal of a closed period as fast as a count): the kept counts' table
    and the triggers that drop a kept count when one of its cases changes
    (:mod:`framework.store.tallies`). Nothing else changes."""
    install(db.conn)
