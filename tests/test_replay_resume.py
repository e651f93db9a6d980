"""An import with ``--replay-sweeps`` killed part-way, then run again, ends where one run
without the kill ends (found by a fresh data steward: 27 of 2,816 real messages stayed open for
good — the arrival's month had been written, the reply's had not, and the second run skipped
the row as already imported).

The file (taizhang, 梨林沟村 zj.fx.llg; the village tier has 5 calendar days, casebook L29):

* A — in 2026-01-05 10:00, replied 2026-01-08 10:00 (on time);
* B — in 2026-01-20 10:00 (due 01-25 23:59:59, so the sweep of 01-26 00:00 sends it to the
  township), replied 2026-02-10 10:00 at the township;
* C — in 2026-02-03 10:00, replied 02-05 10:00; D — in 2026-02-20 10:00, replied 03-20 10:00.

The kill falls in February (the fifth row event, C's reply): January is written (A replied, B
open at the village — the 01-26 sweep runs before February's first row, inside February's
transaction, so it is undone too); February is not.
"""

from __future__ import annotations

import tomllib

import pytest
from deployments import mini_zhongjiang

from framework.interchange import import_file
from framework.kernel.audit import verify
from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.store.db import Store
from framework.timerules import parse_instant

ROWS = [("A", "2026-01-05 10:00", "2026-01-08 10:00"), ("B", "2026-01-20 10:00", "2026-02-10 10:00"),
        ("C", "2026-02-03 10:00", "2026-02-05 10:00"), ("D", "2026-02-20 10:00", "2026-03-20 10:00")]


class Killed(BaseException):
    """Stands for kill -9: nothing after it runs, the open transaction is lost."""


def county_at(path):
    dep = deployment_from_dict(tomllib.loads(mini_zhongjiang(("taizhang",))))
    c = County.init(Store(str(path)), dep, Registry())
    c.clock.fixed = parse_instant("2026-04-01T09:00", c.calendar.tz)
    return c


def run_import(county, csv, progress=None):
    return import_file(county, csv, method="taizhang", unit="zj.fx.llg", constants={"category": "livelihood"},
                       replay_sweeps=True, progress=progress)


def state(county):
    db = county.store.db
    return (db.execute("select id, status, level, resolved_at, resolved_level, overdue_count from cases "
                       "order by id").fetchall(),
            db.execute("select case_id, at, type, level, note, hash from events order by id").fetchall())


@pytest.fixture
def csv(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTY_ACTOR", "tester")
    f = tmp_path / "rows.csv"
    f.write_text("source_id,title,created_at,resolved_at\n"
                 + "".join(f"{sid},{sid}事项,{a},{r}\n" for sid, a, r in ROWS), encoding="utf-8")
    return f


def test_a_killed_replay_run_again_ends_as_one_run_without_the_kill(tmp_path, csv):
    whole = county_at(tmp_path / "whole.db")
    rep = run_import(whole, csv)
    assert (rep.taken, rep.resolved, rep.skipped, rep.resumed) == (4, 4, 0, 0)

    killed = county_at(tmp_path / "killed.db")

    def kill(done, total):
        if done == 5:
            raise Killed()

    with pytest.raises(Killed):
        run_import(killed, csv, progress=kill)
    cases, _ = state(killed)
    assert [(c[0], c[1], c[2]) for c in cases] == [("zj-000001", "resolved", "village"),
                                                   ("zj-000002", "registered", "village")]
    rep = run_import(killed, csv)
    # A and B skipped (taken before); B's reply replayed at 02-10 after the 01-26 sweep; C, D new
    assert (rep.taken, rep.resolved, rep.skipped, rep.resumed) == (2, 2, 2, 1)
    assert (rep.first_case, rep.last_case) == ("zj-000003", "zj-000004")
    assert state(killed) == state(whole)  # every case and event, the chain's hashes too
    b = [c for c in state(killed)[0] if c[0] == "zj-000002"][0]
    assert b[1:5] == ("resolved", "township", "2026-02-10T10:00:00+08:00", "township")
    assert verify(killed.store) == []
    rep = run_import(killed, csv)  # a third run: nothing left to do
    assert (rep.taken, rep.skipped, rep.resumed) == (0, 4, 0)
    assert state(killed) == state(whole)
