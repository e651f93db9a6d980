"""SQLite speed of the kernel on a large county: intake, sweeps and appraisal.

    python benchmarks/sqlite_speed.py [--n 100000] [--villages 200] [--db PATH]

Builds a taizhang deployment (a county, its ledger office, 10 townships and ``--villages``
villages) in a fresh database, takes ``--n`` cases in through ``County.add_case`` with arrivals
spread evenly over 2025 (1,000 cases per transaction), resolves every third case 3 days after
arrival (``County.resolve`` with a historical instant), then runs the sweep at the end of each
month (escalations to township and ledger office) and the yearly appraisal. Prints cases/s
for intake, cases/s for resolution, milestones/s for the sweeps, and seconds for appraisal
and the database size. Numbers depend on the machine; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--villages", type=int, default=200)
    ap.add_argument("--db", help="database file (default: a temporary one, removed afterwards)")
    a = ap.parse_args(argv)

    from framework.kernel.config import deployment_from_dict
    from framework.kernel.county import County
    from framework.kernel.registry import Registry
    from framework.store.db import Store

    tmp = None
    if a.db:
        db = Path(a.db)
        for s in ("", "-wal", "-shm"):
            Path(str(db) + s).unlink(missing_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory()
        db = Path(tmp.name) / "bench.db"
    units = [{"code": "b", "name": "基准县", "level": "county"},
             {"code": "b.sza", "name": "县三账办", "level": "ledger_office", "parent": "b"}]
    towns = 10
    for t in range(towns):
        units.append({"code": f"b.t{t}", "name": f"第{t}镇", "level": "township", "parent": "b"})
    villages = [f"b.t{v % towns}.v{v}" for v in range(a.villages)]
    for v, code in enumerate(villages):
        units.append({"code": code, "name": f"第{v}村", "level": "village", "parent": f"b.t{v % towns}"})
    dep = deployment_from_dict({"deployment": {"name": "基准县", "code": "b", "methods": ["taizhang"]}, "units": units})
    tz = dt.timezone(dt.timedelta(hours=8))
    county = County.init(Store(str(db)), dep, Registry(), now=dt.datetime(2025, 1, 1, tzinfo=tz), actor="bench")
    start = dt.datetime(2025, 1, 1, 8, tzinfo=tz)
    step = dt.timedelta(days=365) / a.n
    print(f"{a.n:,} cases, {a.villages} villages, database {db}", flush=True)

    t0 = time.perf_counter()
    ids = []
    for i0 in range(0, a.n, 1000):
        with county.store.transaction():
            for i in range(i0, min(a.n, i0 + 1000)):
                at = start + step * i
                county.clock.fixed = at
                c = county.add_case("taizhang", villages[i % len(villages)], f"基准事项{i}", category="livelihood",
                                    channel="hotline", created_at=at, source_id=f"bench:{i}")
                ids.append((c.id, at))
    t_in = time.perf_counter() - t0
    print(f"intake   {a.n / t_in:10,.0f} cases/s   ({t_in:.1f}s)")

    county.clock.fixed = start + dt.timedelta(days=400)  # historical resolutions: all before now
    t0 = time.perf_counter()
    resolved = 0
    for i0 in range(0, len(ids), 3000):
        with county.store.transaction():
            for cid, at in ids[i0:i0 + 3000:3]:
                county.resolve(cid, "已办结", at=at + dt.timedelta(days=3))
                resolved += 1
    t_res = time.perf_counter() - t0
    print(f"resolve  {resolved / t_res:10,.0f} cases/s   ({t_res:.1f}s, {resolved:,} cases)")

    t0 = time.perf_counter()
    actions = 0
    for month in range(2, 14):
        y, m = (2025, month) if month <= 12 else (2026, month - 12)
        county.clock.fixed = dt.datetime(y, m, 1, tzinfo=tz)
        actions += len(county.sweep())
    t_sw = time.perf_counter() - t0
    print(f"sweeps   {actions / t_sw:10,.0f} milestones/s ({t_sw:.1f}s, 12 monthly sweeps, {actions:,} actions)")

    t0 = time.perf_counter()
    metrics = county.appraise("2025")
    t_ap = time.perf_counter() - t0
    print(f"appraise {t_ap:10.2f} s for 2025 ({len(metrics):,} metrics)")
    size = sum(os.path.getsize(str(db) + s) for s in ("", "-wal") if os.path.exists(str(db) + s))
    print(f"database {size / 1e6:10.1f} MB")
    if tmp:
        county.store.db.conn.close()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
