"""Speed of ``county case import`` on the real 2,816 replied messages (泰迪杯 2020C 附件4).

    python benchmarks/import_speed.py [--data PATH/TO/shared/data/real]

Reads the workbook, imports it with the built-in ``taidi-replied`` mapping (historical:
add_case at 留言时间, resolve at 答复时间) into a fresh taizhang county, then imports it again
(every row skipped). Prints rows/s for each pass. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data")
    a = ap.parse_args(argv)
    from framework.kernel.config import deployment_from_dict
    from framework.demo import TAIDI_REPLIED, find_real_data
    from framework.kernel.county import County
    from framework.interchange import import_file
    from framework.kernel.registry import Registry
    from framework.store.db import Store

    real = find_real_data(a.data)
    if real is None or not (real / TAIDI_REPLIED).exists():
        print("no real data: give --data or set COUNTY_DATA", file=sys.stderr)
        return 2
    src = real / TAIDI_REPLIED
    units = [{"code": "c", "name": "县", "level": "county"},
             {"code": "c.sza", "name": "县三账办", "level": "ledger_office", "parent": "c"},
             {"code": "c.t", "name": "镇", "level": "township", "parent": "c"}] + [
        {"code": f"c.t.v{i}", "name": f"{i}村", "level": "village", "parent": "c.t"} for i in range(8)]
    with tempfile.TemporaryDirectory() as tmp:
        county = County.init(Store(str(Path(tmp) / "i.db")),
                             deployment_from_dict({"deployment": {"name": "县", "code": "c", "methods": ["taizhang"]},
                                                   "units": units}),
                             Registry(), now=dt.datetime(2020, 6, 1, tzinfo=dt.timezone.utc), actor="bench")
        for label in ("first import", "re-import"):
            t0 = time.perf_counter()
            rep = import_file(county, src, mapping="taidi-replied")
            secs = time.perf_counter() - t0
            print(f"{label:<13} {rep.rows / secs:8,.0f} rows/s  ({secs:.1f}s: {rep.taken} taken, "
                  f"{rep.skipped} skipped, {len(rep.refused)} refused)")
        county.store.db.conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
