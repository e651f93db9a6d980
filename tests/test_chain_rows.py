"""chain_rows hashes each event as event_hash does (issue 13: the hash written inline), chained per
case, and extend_fold folds them in id order as _fold does."""

import hashlib
import sqlite3

from framework.store.chain import GENESIS, _fold, chain_rows, event_hash, extend_fold

ROWS = [("c1", "2026-03-02T09:00:00+08:00", "registered", "tester", None, "u1", "受理渠道 热线", "{}"),
        ("c2", "2026-03-02T09:05:00+08:00", "registered", "tester", None, "u1", None, "{}"),
        ("c1", "2026-03-02T09:00:00+08:00", "assigned", "tester", "village", "u1", '引号"\\', '{"unit": "u1"}'),
        ("c1", "2026-03-03T10:00:00+08:00", "note", "tester", 3, "u1", 1.5, "{}")]  # not text: the encoder's way


def test_chain_rows_is_event_hash_chained_per_case():
    conn = sqlite3.connect(":memory:")
    conn.execute("create table events (id integer primary key, case_id, hash)")
    out = chain_rows(conn, ROWS, note=False)
    h1 = event_hash(GENESIS, ROWS[0])
    h2 = event_hash(GENESIS, ROWS[1])
    h3 = event_hash(h1, ROWS[2])
    h4 = event_hash(h3, ROWS[3])
    assert out == [(*ROWS[0], GENESIS, h1), (*ROWS[1], GENESIS, h2), (*ROWS[2], h1, h3), (*ROWS[3], h3, h4)]
    text = 'event-v1["","c1","2026-03-02T09:00:00+08:00","registered","tester",null,"u1","受理渠道 热线","{}"]'
    assert h1 == hashlib.sha256(text.encode()).hexdigest() == (
        "fadd9fea398dc5529c994e441f5ee20a2b5ea339d575bab99f1136ac7ac50404")


def test_extend_fold_folds_in_id_order():
    conn = sqlite3.connect(":memory:")
    conn.execute("create table events (id integer primary key, case_id, hash)")
    conn.execute("create table meta (key text primary key, value)")
    conn.executemany("insert into events (id, case_id, hash) values (?, ?, ?)",
                     [(1, "c1", "a" * 64), (2, "c2", None), (5, "c1", "b" * 64)])
    extend_fold(conn)
    want = _fold(_fold(_fold(GENESIS, "a" * 64), None), "b" * 64)
    assert conn.execute("select value from meta where key = 'events_fold'").fetchone()[0] == f'{{"id":5,"fold":"{want}"}}'
    conn.execute("insert into events (id, case_id, hash) values (7, 'c3', ?)", ["c" * 64])
    extend_fold(conn)
    assert conn.execute("select value from meta").fetchone()[0] == f'{{"id":7,"fold":"{_fold(want, "c" * 64)}"}}'
