"""The plugin API is the only way in: every plugin under ``plugins/`` (core and contrib) reads
the kernel through ``ctx`` and imports only the ``framework`` package root; ``ctx.db`` refuses
SQL on kernel tables; the read API answers with records."""

import datetime as dt
import re
from pathlib import Path

import pytest

import framework
from framework import CountyError, LoggedEvent, MethodContext, MilestoneRecord, Refusal
from framework.testing.conformance import public_api_problems

from deployments import mini_zhongjiang

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"


def _problems(root: Path) -> list[str]:
    return public_api_problems(sorted(root.rglob("*.py")), relative_to=root.parent)


def test_plugins_use_only_the_public_api():
    assert _problems(PLUGINS) == []


def test_the_scan_catches_sql_on_kernel_tables_and_private_imports(tmp_path):
    bad = tmp_path / "plugins" / "bad"
    bad.mkdir(parents=True)
    (bad / "__init__.py").write_text(
        '"""Built from events of the case (prose, not SQL)."""\n'
        "import importlib\n"
        "from framework.store import Store\n"
        "from framework import Case, kernel\n"
        "def f(ctx):\n"
        "    county = ctx._county\n"
        "    importlib.import_module('framework.kernel.county')\n"
        "    return ctx.db.query('select t.* from bad_topics t join cases c on c.id = t.case_id')\n",
        encoding="utf-8")
    assert sorted(_problems(tmp_path / "plugins")) == sorted([
        "plugins/bad/__init__.py:3: imports framework.store (plugins import from `framework` only)",
        "plugins/bad/__init__.py:4: imports framework.kernel (plugins import the public names of `framework` only)",
        "plugins/bad/__init__.py:6: uses ctx._county (private: use the documented ctx API)",
        "plugins/bad/__init__.py:7: names the module framework.kernel.county (plugins import from `framework` only)",
        "plugins/bad/__init__.py:8: SQL names the kernel table 'cases'",
    ])


def test_every_public_name_is_importable_from_the_root():
    for name in framework.__all__:
        assert hasattr(framework, name), name


@pytest.fixture
def ctx(make_county) -> MethodContext:
    county = make_county(mini_zhongjiang(), now="2026-11-02T10:00:00+08:00")
    ctx = county.ctx("taizhang")
    ctx.actions.add_case("taizhang", "zj.fx.llg", "修路", category="livelihood")
    with ctx.acting_at(dt.datetime(2026, 11, 3, 9, 0)):
        ctx.actions.add_case("taizhang", "zj.fx.llg", "饮水", category="livelihood")
        ctx.actions.resolve("zj-000002", "已修复")
    return ctx


def test_ctx_db_refuses_kernel_tables_however_spelt(ctx):
    """SQLite's authorizer checks every table a statement touches (bypasses found by a new user:
    ``main.cases``, a comment between words, ``count(*)``, a sub-query, another plugin's table)."""
    attempts = ["select * from cases", "SELECT * FROM [events]", "update milestones set state = 'met'",
                "insert into people (id) values ('x')", "select id, requester_phone from main.cases",
                "update main.cases set status='closed' where id='zj-000001'",
                "delete from/**/events where case_id='zj-000001'", "select count(*) from cases",
                "select 1 where exists (select 1 from main.events)", "pragma table_info(cases)",
                "attach database ':memory:' as other"]
    for sql in attempts[:1] + attempts[7:8]:  # prepared by the kernel first: the cached statement is checked again
        ctx._county.store.db.execute(sql).fetchall()
    for sql in attempts:
        with pytest.raises(CountyError) as e:
            ctx.db.execute(sql)
        assert str(e.value).startswith("plugin taizhang may use only its own tables (taizhang_…); "), sql
    for table in ("cases", "main.cases", "[events]", "dianti_members"):
        with pytest.raises(CountyError, match=f"{re.escape(repr(table))} is not one of them"):
            ctx.db.insert(table, {"id": "x"})
    # nothing was changed, and the kernel's own reads still work after a refusal
    assert ctx.cases.get("zj-000001", events=False).status == "registered"
    assert ctx.events.exists("zj-000001", "registered")


def test_ctx_db_knows_a_table_made_after_its_first_statement(ctx):
    """The guard keeps the schema's table names until SQLite's schema cookie moves (issue 13):
    a table another connection creates later is known at once, so a pragma naming it is refused."""
    import sqlite3

    assert ctx.db.execute("select 1").fetchone() == (1,)  # the names read once here
    other = sqlite3.connect(ctx._county.store.path)
    other.execute("create table zz_secret (x)")
    other.commit()
    other.close()
    with pytest.raises(CountyError, match="'zz_secret' is not one of them"):
        ctx.db.execute("pragma table_info(zz_secret)")
    ctx.db.execute("create table taizhang_late (x)")  # its own, made after: allowed, pragma too
    assert [r[1] for r in ctx.db.execute("pragma table_info(taizhang_late)")] == ["x"]


def test_ctx_db_refuses_another_plugins_tables(make_county):
    ctx = make_county(mini_zhongjiang(("taizhang", "daiban")), now="2026-11-02T10:00:00+08:00").ctx("taizhang")
    for sql in ("select * from daiban_checks", "delete from main.daiban_complaints"):
        with pytest.raises(CountyError, match="'daiban_"):
            ctx.db.execute(sql)
    assert ctx.method_info("daiban").name == "daiban"


def test_ctx_db_works_on_the_plugins_own_tables(ctx):
    ctx.db.execute("create table taizhang_notes (id integer primary key, note text)")
    ctx.db.insert("taizhang_notes", {"id": 1, "note": "台账"})
    assert ctx.db.query("select note from taizhang_notes") == [{"note": "台账"}]
    assert ctx.db.count("taizhang_notes") == 1 and ctx.db.exists("taizhang_notes")
    assert ctx.db.execute("select count(*) from sqlite_master where name = 'taizhang_notes'").fetchone() == (1,)


MIGRATING_PLUGIN = """
from framework import MethodInfo, hookimpl


@hookimpl
def county_method():
    return MethodInfo(name="sly", title_zh="试", title="sly", source_county="-", source_lines="-", version="1")


@hookimpl
def county_migrations(migrations):
    @migrations()
    def m001(db):
        db["sly_things"].create({"id": int}, pk="id")
        db.execute("delete from events")
"""


def test_a_plugins_migration_may_not_touch_kernel_tables(tmp_path, make_county):
    import types
    from framework.kernel.registry import Registry

    module = types.ModuleType("sly")
    exec(MIGRATING_PLUGIN, module.__dict__)
    reg = Registry({"sly": module}, entry_points=False)
    toml = mini_zhongjiang(("sly",))
    with pytest.raises(CountyError) as e:
        make_county(toml, registry=reg)
    assert str(e.value).startswith("plugin sly's migrations may use only its own tables (sly_…); 'events' is not one of them")


def test_the_read_api_returns_records(ctx):
    assert [c.id for c in ctx.cases.find(method="taizhang", unit="zj.fx")] == ["zj-000001", "zj-000002"]
    assert ctx.cases.ids(open=True) == ["zj-000001"]
    assert ctx.cases.ids(resolved="2026-11") == ["zj-000002"]
    assert ctx.cases.ids(created=(None, dt.datetime(2026, 11, 3, tzinfo=ctx.calendar.tz))) == ["zj-000001"]
    assert ctx.cases.count(by="status") == {"resolved": 1, "registered": 1}
    assert ctx.cases.count(origin="zj.fx.llg") == 2
    # the first village due instant: 5 calendar days after 11-02, end of day (casebook: Zhongjiang L29)
    assert ctx.cases.ids(due_before=dt.datetime(2026, 11, 8, tzinfo=ctx.calendar.tz)) == ["zj-000001"]
    assert ctx.cases.ids(due_before=dt.datetime(2026, 11, 7, 23, 0, tzinfo=ctx.calendar.tz)) == []
    got = ctx.cases.get_many(["zj-000002", "nope", "zj-000001"])
    assert sorted(got) == ["zj-000001", "zj-000002"] and got["zj-000002"].origin_unit == "zj.fx.llg"
    ev = ctx.events.latest(["zj-000001", "zj-000002"], "resolved")
    assert list(ev) == ["zj-000002"] and isinstance(ev["zj-000002"], LoggedEvent)
    assert ev["zj-000002"].at == dt.datetime(2026, 11, 3, 9, 0, tzinfo=ctx.calendar.tz)
    assert ctx.events.exists("zj-000001", "registered") and not ctx.events.exists("zj-000001", "resolved")
    assert [e.case_id for e in ctx.events.find("resolved", at="2026-11", method="taizhang")] == ["zj-000002"]
    ms = ctx.milestones.of("zj-000001", state="pending")
    assert ms and all(isinstance(m, MilestoneRecord) for m in ms)
    primary = next(m for m in ms if m.primary)
    assert (primary.level, primary.due_at) == ("village", dt.datetime(2026, 11, 7, 23, 59, 59, tzinfo=ctx.calendar.tz))
    assert ctx.milestones.of("zj-000002", state="pending") == []


def test_acting_at_restores_the_clock(ctx):
    before = ctx.clock()
    with ctx.acting_at(dt.datetime(2026, 11, 20, 8, 0)) as c:
        assert c.now == dt.datetime(2026, 11, 20, 8, 0, tzinfo=ctx.calendar.tz) == ctx.clock()
    assert ctx.clock() == before


def test_exact_filters_due_periods_and_milestone_names(ctx):
    # zj-000001: village due 2026-11-07 23:59:59 (5 calendar days, casebook: Zhongjiang L29)
    assert ctx.cases.ids(due="2026-11-07") == ["zj-000001"]
    # zj-000002 (taken in 11-03 09:00) was due 11-08 23:59:59; resolved, it keeps that instant
    assert ctx.cases.ids(due="2026-11-08") == ["zj-000002"]
    assert ctx.cases.ids(due="2026-11-08", open=True) == []
    assert ctx.cases.ids(ids=["zj-000002", "nope"]) == ["zj-000002"]
    assert ctx.cases.ids(origin_unit="zj.fx.llg", category="livelihood") == ["zj-000001", "zj-000002"]
    assert ctx.cases.ids(origin_unit="zj.fx") == []  # exact, not the subtree
    assert ctx.cases.ids(current_unit=["zj.fx.llg"], open=True) == ["zj-000001"]
    assert [m.name for m in ctx.milestones.of("zj-000001", name="nope")] == []
    first = ctx.milestones.of("zj-000001")[0]
    assert ctx.milestones.of("zj-000001", name=first.name) == [first]


def test_events_find_compares_instants_across_offsets(ctx):
    """Event times are stored with their offset; the period filter compares instants, so an
    event at 2026-11-03 09:00+08:00 is in 2026-11-03 (local) but not in 2026-11-02 even when
    the bounds are given in another zone."""
    utc = dt.timezone.utc
    got = ctx.events.find("resolved", at=(dt.datetime(2026, 11, 3, 0, 59, tzinfo=utc), dt.datetime(2026, 11, 3, 1, 1, tzinfo=utc)))
    assert [e.case_id for e in got] == ["zj-000002"]
    assert ctx.events.find("resolved", at=(dt.datetime(2026, 11, 3, 1, 0, 1, tzinfo=utc), None)) == []
    assert [e.case_id for e in ctx.events.find("resolved", at="2026-11-03")] == ["zj-000002"]
    assert ctx.events.find("resolved", at="2026-11-02") == []
    assert [e.case_id for e in ctx.events.find("registered", at="2026-11", ids=["zj-000001"])] == ["zj-000001"]


def test_actions_sweep_escalates_at_the_clock(ctx):
    with ctx.acting_at(dt.datetime(2026, 11, 8, 0, 0)):
        acts = ctx.actions.sweep()
    assert [(a["case"], a["action"], a["from"], a["to"]) for a in acts] == [
        ("zj-000001", "escalate", "village", "township")]
    assert ctx.cases.get("zj-000001", events=False).level == "township"


def test_bad_filters_and_periods_are_county_errors_naming_the_api(ctx):
    with pytest.raises(CountyError) as e:
        ctx.cases.count(colour="red")
    assert str(e.value).startswith("ctx.cases: no filter 'colour' (filters: method, ids, unit,")
    with pytest.raises(CountyError) as e:
        ctx.cases.find(created="2026H3")  # half-years are H1 and H2 (issue 18)
    assert str(e.value).startswith("ctx.cases: bad period '2026H3' (use 2026-11-05, 2026-11, 2026Q4, 2026H2 or 2026")


def test_a_plugin_creates_no_trigger(ctx):
    """A trigger's body would run later, when some statement fires it, outside the check: a
    plugin may create none (raw SQL or migrations alike)."""
    ctx.db.execute("create table taizhang_sly (id integer primary key)")
    with pytest.raises(CountyError) as e:
        ctx.db.execute("create trigger taizhang_sly_t after insert on taizhang_sly "
                       "begin update cases set status = 'closed'; end")
    assert str(e.value).startswith("plugin taizhang may use only its own tables (taizhang_…); a trigger (taizhang_sly_t)")
    ctx.db.insert("taizhang_sly", {"id": 1})
    ctx.db.upsert("taizhang_sly", {"id": 1}, pk="id")
    assert ctx.cases.count(status="closed") == 0 and ctx.db.count("taizhang_sly") == 1


def test_set_due_moves_a_pending_milestone_of_the_current_tier(ctx):
    primary = next(m for m in ctx.milestones.of("zj-000001", state="pending") if m.primary)
    with ctx.acting_at(dt.datetime(2026, 11, 3, 8, 0)):
        case = ctx.actions.set_due("zj-000001", primary.name, dt.datetime(2026, 11, 5, 18, 0), note="承诺提前")
    assert case.due_at == dt.datetime(2026, 11, 5, 18, 0, tzinfo=ctx.calendar.tz)
    assert (case.events[-1].type, case.events[-1].data) == ("due_changed", {
        "milestone": primary.name, "from": "2026-11-07T23:59:59+08:00", "to": "2026-11-05T18:00:00+08:00"})
    with pytest.raises(Refusal, match="has no pending milestone 'nope' at tier village"):
        ctx.actions.set_due("zj-000001", "nope", dt.datetime(2026, 11, 5, 18, 0))
    with pytest.raises(CountyError, match="not after the case arrived at its tier"):
        ctx.actions.set_due("zj-000001", primary.name, dt.datetime(2026, 11, 2, 9, 0))
    with pytest.raises(Refusal, match="is resolved; cannot re-time it"):
        ctx.actions.set_due("zj-000002", primary.name, dt.datetime(2026, 11, 5, 18, 0))
    with ctx.acting_at(dt.datetime(2026, 11, 5, 18, 0, 1)):
        assert [a["case"] for a in ctx.actions.sweep()] == ["zj-000001"]
