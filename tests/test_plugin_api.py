"""The plugin API is the only way in: every plugin under ``plugins/`` (core and contrib) reads
the kernel through ``ctx`` and imports only the ``framework`` package root; ``ctx.db`` refuses
SQL on kernel tables; the read API answers with records."""

import ast
import datetime as dt
from pathlib import Path

import pytest

import framework
from framework import CountyError, LoggedEvent, MethodContext, MilestoneRecord
from framework.kernel.queries import names_kernel_table

from deployments import mini_zhongjiang

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"


def _problems(root: Path) -> list[str]:
    out = []
    for f in sorted(root.rglob("*.py")):
        tree = ast.parse(f.read_text(encoding="utf-8"), filename=str(f))
        rel = f.relative_to(root.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                table = names_kernel_table(node.value)
                if table:
                    out.append(f"{rel}:{node.lineno}: SQL names the kernel table {table!r}")
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("framework."):
                out.append(f"{rel}:{node.lineno}: imports {node.module}")
            elif isinstance(node, ast.Import):
                out += [f"{rel}:{node.lineno}: imports {a.name}" for a in node.names if a.name.startswith("framework.")]
    return out


def test_plugins_use_only_the_public_api():
    assert _problems(PLUGINS) == []


def test_the_scan_catches_sql_on_kernel_tables_and_private_imports(tmp_path):
    bad = tmp_path / "plugins" / "bad"
    bad.mkdir(parents=True)
    (bad / "__init__.py").write_text(
        '"""Built from events of the case (prose, not SQL)."""\n'
        "from framework.store import Store\n"
        "def f(ctx):\n"
        "    return ctx.db.query('select t.* from bad_topics t join cases c on c.id = t.case_id')\n",
        encoding="utf-8")
    assert _problems(tmp_path / "plugins") == [
        "plugins/bad/__init__.py:2: imports framework.store",
        "plugins/bad/__init__.py:4: SQL names the kernel table 'cases'",
    ]


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


def test_ctx_db_refuses_kernel_tables(ctx):
    for sql in ("select * from cases", "SELECT * FROM [events]", "update milestones set state = 'met'",
                "insert into people (id) values ('x')"):
        with pytest.raises(CountyError) as e:
            ctx.db.query(sql)
        assert str(e.value).startswith("plugin taizhang: ctx.db is for the plugin's own tables;")
    with pytest.raises(CountyError):
        ctx.db.insert("cases", {"id": "x"})


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
