"""bulk_pragmas (issue 13): a 16 MiB page cache and a WAL checkpoint every 10,000 pages while bulk
intake runs, each only raised, the connection's own values back afterwards."""

import sqlite3

from framework.kernel.bulk import bulk_pragmas


def _values(conn):
    return (conn.execute("pragma cache_size").fetchone()[0], conn.execute("pragma wal_autocheckpoint").fetchone()[0])


def test_raised_for_the_block_and_restored():
    conn = sqlite3.connect(":memory:")
    assert _values(conn) == (-2000, 1000)  # SQLite's defaults
    with bulk_pragmas(conn):
        assert _values(conn) == (-16384, 10000)
    assert _values(conn) == (-2000, 1000)


def test_restored_when_the_block_raises():
    conn = sqlite3.connect(":memory:")
    try:
        with bulk_pragmas(conn):
            raise KeyError("x")
    except KeyError:
        pass
    assert _values(conn) == (-2000, 1000)


def test_never_lowered_and_a_disabled_checkpoint_stays_off():
    conn = sqlite3.connect(":memory:")
    conn.execute("pragma cache_size = 5000")  # pages: 5,000 × 4 KiB = 20,000 KiB, more than 16 MiB
    conn.execute("pragma wal_autocheckpoint = 0")
    with bulk_pragmas(conn):
        assert _values(conn) == (5000, 0)
    conn.execute("pragma cache_size = -65536")
    conn.execute("pragma wal_autocheckpoint = 20000")
    with bulk_pragmas(conn):
        assert _values(conn) == (-65536, 20000)
    assert _values(conn) == (-65536, 20000)
