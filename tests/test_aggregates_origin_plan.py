"""``ctx.cases.count`` over one or more methods' cases created in a period, grouped by nothing,
``origin_unit`` and/or ``method`` (issue 13, the appraisal's per-method tallies): answered by the
(origin_unit, method, created_ts) index alone — every origin unit sought in turn, no case row
read — with the same counts as the general plan, the cases without an origin unit included.
Counts worked out by hand on one small county (built once for the module)."""

import sqlite3
from pathlib import Path

import pytest

import plugins.taizhang
from framework.testing import CountyRunner

TOML = (Path(plugins.taizhang.__file__).parent / "data" / "zhongjiang.toml").read_text(encoding="utf-8")
LLG, SQ = "zj.fx.llg", "zj.nh.sq"  # 柳林沟村 (富兴镇), 石墙村
NOV = {"method": "taizhang", "created": "2026-11"}


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """November 2026: 柳林沟村 three cases (the third's origin unit then emptied in the database,
    as a case from before origin units were kept would be), 石墙村 one; October: 柳林沟村 one."""
    run = CountyRunner(tmp_path_factory.mktemp("origin_plan") / "county.db").init(TOML)

    def add(now, unit=LLG):
        return run("case", "add", "--method", "taizhang", "--unit", unit, "--title", "事项", "--category",
                   "livelihood", "--now", now, "--json").data["id"]

    add("2026-10-12T10:00")
    add("2026-11-02T10:00")
    add("2026-11-03T10:00")
    bare = add("2026-11-04T10:00")
    add("2026-11-05T10:00", SQ)
    with sqlite3.connect(run.db) as db:
        db.execute("update cases set origin_unit = null where id = ?", [bare])
    return run.ctx("taizhang", now="2026-11-30T12:00")


def test_counts_by_origin_and_method_from_the_index(county):
    ctx = county
    assert ctx.cases.count(**NOV) == 4
    assert ctx.cases.count(by="origin_unit", **NOV) == {LLG: 2, SQ: 1, None: 1}
    assert ctx.cases.count(by=("origin_unit", "method"), **NOV) == {
        (LLG, "taizhang"): 2, (SQ, "taizhang"): 1, (None, "taizhang"): 1}
    assert ctx.cases.count(by="method", **NOV) == {"taizhang": 4}  # the null origin's group merged in
    assert ctx.cases.count(by="origin_unit", method="taizhang", created="2026-10") == {LLG: 1}
    assert ctx.cases.count(by="origin_unit", method=["taizhang", "dianti"], created="2026-11") == {LLG: 2, SQ: 1, None: 1}
    assert ctx.cases.count(by="origin_unit", method="dianti", created="2026-11") == {}
    assert ctx.cases.count(method="taizhang", created="2026-12") == 0
    assert ctx.cases.count(by="origin_unit", method=[], created="2026-11") == {}
    # the general plan (another filter present) counts the same
    assert ctx.cases.count(by="origin_unit", status=None, **NOV) == {LLG: 2, SQ: 1, None: 1}


def test_the_origin_plan_reads_only_the_index(county):
    ctx = county
    db = ctx.cases._county.store.db
    from framework.store.tallies import forget_all
    forget_all(db.conn)  # the counts of the test before are kept: counted again here
    plans: list[str] = []
    db.conn.set_trace_callback(plans.append)
    try:
        ctx.cases.count(by="origin_unit", **NOV)
    finally:
        db.conn.set_trace_callback(None)
    # the two counts (the first time: counted, then kept — framework.store.tallies)
    [indexed, bare] = [p for p in plans if p.lstrip().lower().startswith(("with recursive", "select"))
                       and "county_tallies" not in p and "busy_timeout" not in p]
    detail = " ".join(r[3] for r in db.execute("explain query plan " + indexed).fetchall())
    assert "SEARCH c USING COVERING INDEX idx_cases_origin_unit_method_created_ts (origin_unit=? AND method=?" in detail
    detail = " ".join(r[3] for r in db.execute("explain query plan " + bare).fetchall())
    assert "COVERING INDEX idx_cases_origin_unit_method_created_ts (origin_unit=? AND method=?" in detail
