"""Bulk intake extends the events fold over the hashes in hand (:func:`framework.store.chain.fold_appended`,
issue 13) instead of reading its events back at commit: the fold must be the one
:func:`framework.store.chain.extend_fold` computes from the table, and it must step aside whenever
the events after the fold are not exactly the ones handed in."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from framework.kernel.bulk_sqlite import insert_events
from framework.store.chain import FOLD_KEY, GENESIS, extend_fold, fold_appended

SCHEMA = """create table events (id integer primary key, case_id text, at text, type text, actor text, level text,
 unit text, note text, data text, prev_hash text, hash text);
create table meta (key text primary key, value text);"""


def db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SCHEMA)
    return conn


def chained(case_id: str, hashes: list[str]) -> list[tuple]:
    """Event rows as chain_rows returns them (the 8 fields, prev_hash, hash)."""
    out, prev = [], GENESIS
    for i, h in enumerate(hashes):
        out.append((case_id, f"2026-03-02T09:0{i}:00+08:00", "registered", "tester", None, "tc.t.v1", None, "{}", prev, h))
        prev = h
    return out


def by_hand(hashes: list[str], fold: str = GENESIS) -> str:
    """The fold's definition (chain.py's docstring): fold = sha256("fold-v1" + fold + hash), in id order."""
    for h in hashes:
        fold = hashlib.sha256(("fold-v1" + fold + h).encode("ascii")).hexdigest()
    return fold


def meta_fold(conn: sqlite3.Connection) -> dict:
    return json.loads(conn.execute("select value from meta where key = ?", [FOLD_KEY]).fetchone()[0])


A, B, C, D = "a" * 64, "b" * 64, "c" * 64, "d" * 64


def test_the_fold_from_the_hashes_in_hand_is_the_tables():
    conn = db()
    insert_events(conn, chained("tc-000001", [A, B]))  # ids 1, 2: folded from the start
    assert meta_fold(conn) == {"id": 2, "fold": by_hand([A, B])}
    insert_events(conn, chained("tc-000002", [C]))  # id 3: extends the fold of 1–2
    assert meta_fold(conn) == {"id": 3, "fold": by_hand([A, B, C])}
    extend_fold(conn)  # the commit's own: nothing left to fold, the same record
    assert meta_fold(conn) == {"id": 3, "fold": by_hand([A, B, C])}
    # the table's fold, read back, is the same
    other = db()
    other.executemany("insert into events values (?,?,?,?,?,?,?,?,?,?,?)",
                      [(i + 1, *r) for i, r in enumerate(chained("tc-000001", [A, B]) + chained("tc-000002", [C]))])
    extend_fold(other)
    assert meta_fold(other) == meta_fold(conn)


def test_events_not_folded_before_them_are_left_to_the_commit():
    conn = db()
    conn.execute("insert into events (case_id, hash) values ('tc-000009', ?)", [D])  # id 1, another writer's, unfolded
    conn.execute("insert into events (case_id, hash) values ('tc-000001', ?)", [A])  # id 2
    assert fold_appended(conn, 2, [A]) is False  # the fold does not reach id 1
    assert conn.execute("select count(*) from meta").fetchone()[0] == 0
    extend_fold(conn)
    assert meta_fold(conn) == {"id": 2, "fold": by_hand([D, A])}


def test_an_event_after_them_is_left_to_the_commit():
    conn = db()
    conn.executemany("insert into events (case_id, hash) values ('tc-000001', ?)", [(A,), (B,)])  # ids 1, 2
    conn.execute("insert into events (case_id, hash) values ('tc-000009', ?)", [C])  # id 3: not handed in
    assert fold_appended(conn, 1, [A, B]) is False  # the highest id is 3, not 2
    assert conn.execute("select count(*) from meta").fetchone()[0] == 0
    assert fold_appended(conn, 1, []) is False


def test_a_damaged_fold_record_is_left_as_it_is():
    conn = db()
    conn.execute("insert into meta values (?, 'not json')", [FOLD_KEY])
    conn.execute("insert into events (case_id, hash) values ('tc-000001', ?)", [A])
    assert fold_appended(conn, 1, [A]) is False
    assert conn.execute("select value from meta").fetchone()[0] == "not json"
