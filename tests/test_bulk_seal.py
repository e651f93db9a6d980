"""Bulk intake seals its new case rows from the values in hand (:mod:`framework.kernel.bulk_seal`,
issue 13): the digest must be the one the generic seal (:func:`framework.store.chain.seal`)
computes from the stored row, value for value, and anything SQLite might not store as given is
left to the generic seal. (End to end — every table byte for byte against ``add_case``, and
``county verify`` — in tests/test_bulk_intake.py.)"""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.kernel.bulk import _CASE_INSERTED, _INSERT_CASE_SEALED
from framework.kernel.bulk_seal import Sealer, affinity, fast_digester
from framework.store.chain import DIRTY_TABLE, dirty_sql, row_digester, seal

SCHEMA = """create table cases ("id" TEXT PRIMARY KEY, "seq" INTEGER, "method" TEXT, "channel" TEXT, "category" TEXT,
 "title" TEXT, "description" TEXT, "unit" TEXT, "level" TEXT, "status" TEXT, "handler" TEXT, "priority" TEXT,
 "created_at" TEXT, "created_ts" REAL, "resolved_ts" REAL, "tier_arrived_at" TEXT, "due_at" TEXT, "due_ts" REAL,
 "resolved_at" TEXT, "resolved_level" TEXT, "satisfaction" TEXT, "origin_unit" TEXT, "overdue_count" INTEGER,
 "requester_name" TEXT, "requester_phone" TEXT, "requester_id_number" TEXT, "requester_address" TEXT,
 "requester_anonymous" INTEGER, "source_id" TEXT, "extra" TEXT, "updated_at" TEXT, "lead_id" TEXT,
 "joint_unit" TEXT, "joint_handler" TEXT, "head_hash" TEXT, "state_hash" TEXT);
create table events (id integer primary key, case_id text, hash text);
create table meta (key text primary key, value text);"""


def db(extra_sql: str = "") -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SCHEMA + extra_sql)
    return conn


def row(**over):
    """A case row as bulk intake inserts it (:data:`_CASE_INSERTED`), with ``over`` changed."""
    values = {c: None for c in _CASE_INSERTED}
    values.update(id="tc-000001", seq=1, method="taizhang", title="道路破损", unit="tc.t.v1", level="village",
                  status="assigned", created_at="2026-03-02T09:00:00+08:00", created_ts=1772413200.0,
                  overdue_count=0, requester_anonymous=0, extra="{}", updated_at="2026-06-01T12:00:00+08:00")
    values.update(over)
    return tuple(values[c] for c in _CASE_INSERTED)


def generic(conn: sqlite3.Connection, r: tuple, head: str) -> str:
    """Insert ``r`` unsealed, note it, and let the chain's own seal digest it from the stored row."""
    for sql in dirty_sql(conn):
        conn.execute(sql)
    conn.execute("insert into events (case_id, hash) values (?, ?)", [r[0], head])
    conn.execute(_INSERT_CASE_SEALED, [*r, None, None])
    conn.execute("insert into temp.county_dirty values (?)", [r[0]])
    assert seal(conn) == 1
    return conn.execute("select state_hash from cases where id = ?", [r[0]]).fetchone()[0]


HEAD = "ab" * 32

# values SQLite stores as given: each row's digest from the values in hand must be the seal's
AS_GIVEN = [
    {},
    dict(description='引号"、反斜杠\\、换行\n、制表\t、控制\x01、NUL\x00、emoji 🚧、全角　空格', priority="high"),
    dict(extra='{"a": 1.5, "b": [1, 2], "c": "三"}', requester_name="王长贵", requester_phone="13812340000",
         requester_anonymous=1, overdue_count=3, source_id="imp:0"),
    dict(due_ts=0.1, resolved_ts=1e16, created_ts=-1.5, due_at="2026-03-09T23:59:59+08:00"),
    dict(seq=2 ** 62, overdue_count=-7),
    dict(title="", description="", joint_unit="tc.t.v2", joint_handler="p1", lead_id="tc-000009"),
]


@pytest.mark.parametrize("over", AS_GIVEN, ids=range(len(AS_GIVEN)))
def test_the_digest_from_the_values_in_hand_is_the_generic_seals(over):
    r = row(**over)
    sealer = Sealer(db(), _CASE_INSERTED)
    assert sealer.usable
    mine = sealer.state_hash(r, HEAD)
    assert mine is not None and len(mine) == 64
    assert mine == generic(db(), r, HEAD)
    assert sealer.state_hash(r, "") == generic(db(), r, "")  # the chain's start as head: "" is not NULL


# values SQLite may store otherwise (type affinity, NaN as NULL): left to the generic seal
NOT_AS_GIVEN = [
    dict(priority=1),                  # an integer in a TEXT column becomes '1'
    dict(title=1.5),                   # a float in a TEXT column becomes '1.5'
    dict(overdue_count="3"),           # text in an INTEGER column becomes 3
    dict(overdue_count=True),          # a bool is stored as 1 (JSON 1, not true)
    dict(overdue_count=2.0),           # a whole float in an INTEGER column becomes 2
    dict(created_ts=1772413200),       # an integer in a REAL column becomes 1772413200.0
    dict(due_ts=float("nan")),         # NaN is stored as NULL
    dict(due_ts=float("inf")),
    dict(extra=b"{}"),                 # bytes stay a BLOB
]


@pytest.mark.parametrize("over", NOT_AS_GIVEN, ids=[next(iter(o)) + "=" + repr(next(iter(o.values())))
                                                    for o in NOT_AS_GIVEN])
def test_a_value_sqlite_might_change_is_left_to_the_generic_seal(over):
    assert Sealer(db(), _CASE_INSERTED).state_hash(row(**over), HEAD) is None


def test_an_unknown_table_shape_or_a_trigger_leaves_every_row_to_the_generic_seal():
    assert Sealer(db(), _CASE_INSERTED).usable
    # a column a later migration adds (its default would be in the stored row)
    assert not Sealer(db("alter table cases add column flag integer default 0;"), _CASE_INSERTED).usable
    # a trigger of the file's own on cases (it may change the row after the insert)
    trig = "create trigger t after insert on cases begin update cases set priority = 'x' where id = new.id; end;"
    assert not Sealer(db(trig), _CASE_INSERTED).usable
    # the chain's own temporary trigger (an UPDATE one) is expected
    conn = db()
    conn.execute(DIRTY_TABLE)
    for sql in dirty_sql(conn):
        conn.execute(sql)
    assert Sealer(conn, _CASE_INSERTED).usable
    # the kernel's seal columns missing: nothing to seal into
    old = sqlite3.connect(":memory:")
    old.executescript(SCHEMA.replace(', "head_hash" TEXT, "state_hash" TEXT', ""))
    assert not Sealer(old, _CASE_INSERTED).usable


def test_affinity_follows_sqlites_rules():
    assert [affinity(t) for t in ("INTEGER", "BIGINT", "TEXT", "VARCHAR(20)", "CLOB", "BLOB", "", None, "REAL",
                                  "FLOAT", "DOUBLE PRECISION", "NUMERIC", "DECIMAL(10,2)", "BOOLEAN")] == [
        "INTEGER", "INTEGER", "TEXT", "TEXT", "TEXT", "BLOB", "BLOB", "BLOB", "REAL",
        "REAL", "REAL", "NUMERIC", "NUMERIC", "NUMERIC"]


# -- the fast digester: the chain's digester, value for value ----------------------------------------

COLS = [*_CASE_INSERTED, "head_hash", "state_hash"]
_values = st.one_of(st.none(), st.text(), st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1),
                    st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=150, deadline=None)
@given(st.lists(_values, min_size=len(COLS), max_size=len(COLS)))
def test_the_fast_digester_is_the_chains(values):
    assert fast_digester(COLS)(values) == row_digester(COLS)(values)


def test_the_fast_digester_on_chosen_values():
    tricky = ["", '"', "\\", "\n\r\t\b\f", "\x00\x1f\x7f", "\u2028\u2029", "中文，全角", "🚧", "\ud800", "</script>"]
    floats = [0.0, -0.0, 0.1, 1e16, 1e-7, 5e-324, 1.7976931348623157e308, 1735686288.0, -1.5]
    ints = [0, -1, 2 ** 63 - 1, -(2 ** 63), 10 ** 15]
    fast, slow = fast_digester(COLS), row_digester(COLS)
    for pool in (tricky, floats, ints):
        for k in range(len(pool)):
            values = [pool[(k + i) % len(pool)] for i in range(len(COLS))]
            assert fast(values) == slow(values), values
    assert fast([None] * len(COLS)) == slow([None] * len(COLS))


# -- the chain's event hash: text written directly, the encoder for anything else -----------------


def reference_event_hash(prev, fields):
    import hashlib
    import json
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return hashlib.sha256(("event-v1" + dumps([prev, *fields])).encode("utf-8", "surrogatepass")).hexdigest()


@settings(max_examples=150, deadline=None)
@given(st.text(), st.lists(st.one_of(st.none(), st.text(), st.integers(), st.floats(allow_nan=False)),
                           min_size=8, max_size=8))
def test_event_hash_is_the_encoders(prev, fields):
    from framework.store.chain import event_hash
    assert event_hash(prev, fields) == reference_event_hash(prev, fields)


def test_event_hash_on_chosen_values():
    from framework.store.chain import event_hash
    row = ["tc-000001", "2026-03-02T09:00:00+08:00", "assigned", "tester", None, "tc.t.v1", '引号"\\\n\x00🚧\ud800',
           '{"unit": "tc.t.v1"}']
    assert event_hash("", row) == reference_event_hash("", row)
    assert event_hash("ab" * 32, row) == reference_event_hash("ab" * 32, row)
    assert event_hash("", [*row[:4], 3, *row[5:]]) == reference_event_hash("", [*row[:4], 3, *row[5:]])
