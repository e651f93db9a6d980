"""The registry uses pluggy as pluggy: misspelt hooks fail to load (``check_pending``), duplicate
entry-point names are an error naming both distributions, bound stages go through pluggy
(``firstresult``, wrappers, ``tryfirst``), collecting hooks are type-checked and tagged with
their method, and ``COUNTY_LOAD_PLUGINS`` / ``COUNTY_DISABLE_PLUGINS`` filter what loads."""

import datetime as dt
import importlib.metadata
import types

import pytest

from framework import hookimpl
from framework.errors import CountyError, PluginError
from framework.kernel.registry import Registry
from framework.kernel.stages import require_method
from framework.models import Board, Deadline, Duty, MethodInfo, Metric, Milestone, Tier
from deployments import three_levels



def deployment(*methods):
    return three_levels(methods)


def plugin(name="mini", stages=("deadline",), **hooks):
    """A plugin module declaring method ``name`` with ``stages`` and one village tier, plus
    ``hooks`` (functions already decorated with ``@hookimpl``, keyed by attribute name)."""
    mod = types.ModuleType(f"test_registry_{name}")

    @hookimpl
    def county_method():
        return MethodInfo(name=name, title_zh="测试法", title="Test method", source_county="测试县",
                          source_lines="L0", stages=tuple(stages), tiers=[Tier("village", "村", "village")])

    mod.county_method = county_method
    for attr, fn in hooks.items():
        setattr(mod, attr, fn)
    return mod


def three_days(ctx, case, level, arrived_at):
    return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 3), "flag", None, True)])


# -- 1. a misspelt hook: check_pending, per plugin ------------------------------------------


def test_misspelt_hook_is_a_broken_plugin_with_one_line_naming_plugin_and_hook(make_county):
    @hookimpl
    def county_deadlin(ctx, case, level, arrived_at):
        return None

    good = plugin("good", county_deadline=hookimpl(three_days))
    reg = Registry({"mini": plugin("mini", county_deadlin=county_deadlin), "good": good}, entry_points=False)
    assert reg.broken == {
        "mini": "plugin 'mini' implements unknown hook 'county_deadlin' (did you mean 'county_deadline'?)"}
    assert "mini" not in reg.methods and "mini" not in reg.modules
    assert reg.pm.get_plugin("mini") is None
    # one bad plugin hides no other: the one registered after it loaded
    assert list(reg.methods) == ["good"] and reg.implements("good", "deadline")
    reg.pm.check_pending()  # nothing unknown is left registered

    # a deployment enabling it gets the one-line error, as for every broken plugin
    with pytest.raises(CountyError) as e:
        make_county(deployment("mini"), registry=reg)
    assert str(e.value) == ("[deployment] methods: method 'mini' is installed but broken: plugin 'mini' implements unknown hook "
                            "'county_deadlin' (did you mean 'county_deadline'?)")
    assert "\n" not in str(e.value)


def test_several_unknown_hooks_are_named_together():
    @hookimpl
    def county_publicty(ctx, unit, period, cases):
        return []

    @hookimpl
    def county_whatever(ctx):
        return None

    reg = Registry({"mini": plugin(county_publicty=county_publicty, county_whatever=county_whatever)},
                   entry_points=False)
    assert reg.broken["mini"] == ("plugin 'mini' implements unknown hooks 'county_publicty' "
                                  "(did you mean 'county_publicity'?), 'county_whatever'")


def test_undecorated_functions_are_not_hooks_and_optionalhook_is_allowed():
    @hookimpl(optionalhook=True)
    def county_someday(ctx):
        return None

    def county_deadline(ctx, case, level, arrived_at):  # no @hookimpl: pluggy does not see it
        raise AssertionError("never called")

    reg = Registry({"mini": plugin(county_someday=county_someday, county_deadline=county_deadline)},
                   entry_points=False)
    assert reg.broken == {} and "mini" in reg.methods
    assert not reg.implements("mini", "deadline")
    assert reg.call_one("mini", "deadline", ctx=None, case=None, level="village", arrived_at=None) is None


def test_hookimpl_not_matching_its_spec_is_one_line():
    @hookimpl
    def county_deadline(ctx, case, level, arrived_at, extra_arg):
        return None

    reg = Registry({"mini": plugin(county_deadline=county_deadline)}, entry_points=False)
    msg = reg.broken["mini"]
    assert msg.startswith("hook validation failed: Plugin 'mini' for hook 'county_deadline'")
    assert "extra_arg" in msg and "\n" not in msg


# -- 2. the same entry-point name from two distributions ----------------------------------


class FakeEntryPoint:
    def __init__(self, name, dist, module=None, group="county"):
        self.name, self.group, self.module = name, group, module
        self.dist = types.SimpleNamespace(name=dist)
        self.loaded = False

    def load(self):
        self.loaded = True
        if self.module is None:
            raise ImportError(f"no module for {self.name}")
        return self.module


@pytest.fixture
def fake_entry_points(monkeypatch):
    """Replace ``importlib.metadata.entry_points`` with one returning the given fakes."""

    def install(*eps):
        def entry_points(group=None, **kw):
            return [ep for ep in eps if group is None or ep.group == group]

        monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
        return eps

    monkeypatch.delenv("COUNTY_LOAD_PLUGINS", raising=False)
    monkeypatch.delenv("COUNTY_DISABLE_PLUGINS", raising=False)
    return install


def test_duplicate_entry_point_names_an_error_naming_both_distributions(fake_entry_points, make_county):
    a, b, other = fake_entry_points(FakeEntryPoint("mini", "county-mini", plugin("mini")),
                                    FakeEntryPoint("mini", "mini-fork", plugin("mini")),
                                    FakeEntryPoint("other", "county-other", plugin("other")))
    reg = Registry()
    assert reg.broken == {"mini": "entry point 'mini' (group 'county') is declared by two distributions, "
                                  "'county-mini' and 'mini-fork'; neither is loaded (uninstall one of them)"}
    assert not a.loaded and not b.loaded  # neither shadows the other
    assert "mini" not in reg.methods and reg.pm.get_plugin("mini") is None
    assert list(reg.methods) == ["other"] and reg.dists["other"] == "county-other"
    with pytest.raises(CountyError, match="'county-mini' and 'mini-fork'"):
        make_county(deployment("mini"), registry=reg)


def test_three_distributions_with_one_name(fake_entry_points):
    fake_entry_points(*(FakeEntryPoint("mini", d, plugin("mini")) for d in ("d1", "d2", "d3")))
    assert Registry().broken["mini"] == ("entry point 'mini' (group 'county') is declared by 3 distributions, "
                                         "'d1', 'd2', 'd3'; none is loaded (uninstall all but one)")


def test_a_plugin_registered_in_code_wins_over_an_entry_point_of_its_name(fake_entry_points):
    (ep,) = fake_entry_points(FakeEntryPoint("mini", "county-mini", plugin("mini")))
    mine = plugin("mini")
    reg = Registry({"mini": mine})
    assert not ep.loaded and reg.modules["mini"] is mine and reg.broken == {}
    assert reg.dists["mini"] == "(registered in code)"


# -- 3. bound stages through pluggy ------------------------------------------------------------


def wrapped_plugin(name="mini", calls=None):
    """A plugin whose deadline stage has a plain implementation, a ``tryfirst`` one and a
    new-style wrapper, the three under one hook name (pluggy's ``specname``)."""
    calls = calls if calls is not None else []

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        calls.append("plain")
        return three_days(ctx, case, level, arrived_at)

    @hookimpl(tryfirst=True, specname="county_deadline")
    def first_deadline(ctx, case, level, arrived_at):
        calls.append("tryfirst")
        return Deadline([Milestone("close", ctx.calendar.hours(arrived_at, 24), "flag", None, True)])

    @hookimpl(wrapper=True, specname="county_deadline")
    def wrap_deadline(ctx, case, level, arrived_at):
        calls.append("wrapper in")
        result = yield
        calls.append("wrapper out")
        result.extra["wrapped"] = True
        return result

    return plugin(name, county_deadline=county_deadline, first_deadline=first_deadline, wrap_deadline=wrap_deadline)


def test_bound_stage_honours_firstresult_tryfirst_and_wrappers(make_county):
    calls = []
    reg = Registry({"mini": wrapped_plugin(calls=calls)}, entry_points=False)
    county = make_county(deployment("mini"), now="2026-11-02T10:00", registry=reg)
    case = county.add_case("mini", "cs.t1.v1", "路灯坏了")
    # firstresult: the tryfirst implementation answered, the plain one was never called
    assert calls == ["wrapper in", "tryfirst", "wrapper out"]
    assert case.due_at.isoformat() == "2026-11-03T10:00:00+08:00"
    assert case.extra["wrapped"] is True


def test_bound_stage_calls_only_the_bound_plugin(make_county):
    calls = []

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        raise AssertionError("another plugin's implementation must not run")

    @hookimpl(hookwrapper=True)
    def county_triage(ctx, case):  # an old-style wrapper of another plugin must not run either
        raise AssertionError("another plugin's wrapper must not run")
        yield

    reg = Registry({"mini": wrapped_plugin(calls=calls),
                    "other": plugin("other", county_deadline=county_deadline, county_triage=county_triage)},
                   entry_points=False)
    county = make_county(deployment("mini", "other"), now="2026-11-02T10:00", registry=reg)
    county.add_case("mini", "cs.t1.v1", "路灯坏了")
    assert calls == ["wrapper in", "tryfirst", "wrapper out"]
    assert not reg.implements("other", "triage")  # a wrapper alone implements nothing
    # the per-plugin callers are cached, and rebuilt when plugins come and go
    assert reg._caller("mini", "deadline") is reg._caller("mini", "deadline")
    before = reg._caller("mini", "deadline")
    reg.pm.unregister(name="other")
    assert reg._caller("mini", "deadline") is not before


def test_call_one_error_behaviour():
    class Domain(CountyError):
        pass

    @hookimpl
    def county_triage(ctx, case):
        if case == "domain":
            raise Domain("--set x: bad value")
        raise ValueError("boom")

    reg = Registry({"mini": plugin(county_triage=county_triage)}, entry_points=False)
    with pytest.raises(PluginError) as e:
        reg.call_one("mini", "triage", ctx=None, case="other")
    assert str(e.value) == "plugin 'mini' failed in county_triage: ValueError: boom"
    assert (e.value.plugin, e.value.hook) == ("mini", "county_triage")
    with pytest.raises(Domain, match="--set x: bad value"):
        reg.call_one("mini", "triage", ctx=None, case="domain")
    # a plugin that is not there, or does not implement the hook: None
    assert reg.call_one("nobody", "triage", ctx=None, case=None) is None
    assert reg.call_one("mini", "intake", ctx=None, case=None, fields={}) is None
    # call_each skips plugins that do not implement the hook (or are not there)
    assert reg.call_each(["mini", "nobody"], "assignment", ctx=None, case=None, level=None) == []


def test_non_firstresult_call_one_returns_the_plugins_one_result():
    @hookimpl
    def county_demo(ctx, period, titles):
        return f"mini: {period}"

    reg = Registry({"mini": plugin(county_demo=county_demo), "quiet": plugin("quiet")}, entry_points=False)
    assert reg.call_one("mini", "demo", ctx=None, period="2026-11", titles=[]) == "mini: 2026-11"
    assert reg.call_each(["quiet", "mini"], "demo", ctx=None, period="2026-11", titles=[]) == [
        ("mini", "mini: 2026-11")]


# -- 4. collecting hooks: type-checked, tagged with their method ------------------------------


def test_publicity_returning_a_non_board_is_a_plugin_error_naming_the_plugin(make_county):
    @hookimpl
    def county_publicity(ctx, unit, period, cases):
        return ["not a board"]

    reg = Registry({"mini": plugin(county_deadline=hookimpl(three_days), county_publicity=county_publicity)},
                   entry_points=False)
    county = make_county(deployment("mini"), now="2026-11-02T10:00", registry=reg)
    # isolated per plugin (issue 14): the method posts nothing, the failure is kept for the CLI
    assert county.boards("cs", "2026-11") == []
    assert [f["error"] for f in county.board_failures] == [
        "plugin 'mini' failed in county_publicity: item 0 of the returned list is str, expected Board"]
    with pytest.raises(PluginError) as e:  # collect without on_error: the PluginError itself
        county.registry.collect(["mini"], "publicity", Board, unit=county.unit("cs"), period="2026-11",
                                ctx=county.ctx("mini"), cases=lambda: [])
    assert str(e.value) == ("plugin 'mini' failed in county_publicity: "
                            "item 0 of the returned list is str, expected Board")


def test_collecting_hook_must_return_a_list(make_county):
    @hookimpl
    def county_appraisal(ctx, unit, period):
        return Metric("score", "cs")  # one Metric, not a list of them

    reg = Registry({"mini": plugin(county_deadline=hookimpl(three_days), county_appraisal=county_appraisal)},
                   entry_points=False)
    county = make_county(deployment("mini"), now="2026-11-02T10:00", registry=reg)
    with pytest.raises(PluginError) as e:
        county.appraise("2026-11")
    assert str(e.value) == ("plugin 'mini' failed in county_appraisal: "
                            "returned Metric, expected a list of Metric (or None)")


def test_collected_items_are_tagged_with_their_method(make_county):
    seen = {}

    @hookimpl
    def county_publicity(ctx, unit, period, cases):
        seen["cases"] = cases()
        return [Board("", "公示", unit.code, period)]

    @hookimpl
    def county_appraisal(ctx, unit, period):
        return [Metric("score", "cs", value=1.0), Metric("theirs", "cs", method="elsewhere", value=2.0)]

    @hookimpl
    def county_duties(ctx, unit, on_date):
        return [Duty("", "cs.t1.v1", "patrol", "巡查", on_date)]

    @hookimpl
    def county_duties_none(ctx, unit, on_date):
        return None

    mini = plugin(county_deadline=hookimpl(three_days), county_publicity=county_publicity,
                  county_appraisal=county_appraisal, county_duties=county_duties)
    quiet = plugin("quiet", county_duties=hookimpl(specname="county_duties")(county_duties_none))
    reg = Registry({"mini": mini, "quiet": quiet}, entry_points=False)
    county = make_county(deployment("quiet", "mini"), now="2026-11-02T10:00", registry=reg)
    county.add_case("mini", "cs.t1.v1", "路灯坏了")

    boards = county.boards("cs", "2026-11")
    assert [b.method for b in boards] == ["mini"]
    assert [c.title for c in seen["cases"]] == ["路灯坏了"]
    own = [m for m in county.appraise("2026-11") if m.metric in ("score", "theirs")]
    assert [(m.metric, m.method, m.period) for m in own] == [("score", "mini", "2026-11"),
                                                             ("theirs", "elsewhere", "2026-11")]
    duties = county.duties(dt.date(2026, 11, 2))
    assert [(d.method, d.kind) for d in duties] == [("mini", "patrol")]
    assert reg.collect(["quiet", "mini", "absent"], "duties", Duty, ctx=None, unit=None,
                       on_date=dt.date(2026, 11, 2))[0][0] == "mini"


def test_duties_of_the_wrong_type_are_refused():
    @hookimpl
    def county_duties(ctx, unit, on_date):
        return [{"kind": "patrol"}]

    reg = Registry({"mini": plugin(county_duties=county_duties)}, entry_points=False)
    with pytest.raises(PluginError, match=r"^plugin 'mini' failed in county_duties: item 0 of the returned "
                                          r"list is dict, expected Duty$"):
        reg.collect(["mini"], "duties", Duty, ctx=None, unit=None, on_date=dt.date(2026, 11, 2))


# -- 5. COUNTY_LOAD_PLUGINS and COUNTY_DISABLE_PLUGINS -------------------------------------------


def three_entry_points(fake_entry_points):
    return fake_entry_points(*(FakeEntryPoint(n, f"county-{n}", plugin(n)) for n in ("a", "b", "c")))


def test_load_plugins_loads_only_the_named(fake_entry_points, monkeypatch):
    a, b, c = three_entry_points(fake_entry_points)
    monkeypatch.setenv("COUNTY_LOAD_PLUGINS", " a, c ,")
    reg = Registry()
    assert sorted(reg.methods) == ["a", "c"] and reg.broken == {}
    assert not b.loaded  # not even imported
    assert reg.skipped == {"b": "not named in COUNTY_LOAD_PLUGINS"}


def test_load_plugins_empty_loads_none_but_code_registered(fake_entry_points, monkeypatch):
    eps = three_entry_points(fake_entry_points)
    monkeypatch.setenv("COUNTY_LOAD_PLUGINS", "")
    reg = Registry({"mini": plugin()})
    assert list(reg.methods) == ["mini"] and not any(ep.loaded for ep in eps)
    assert sorted(reg.skipped) == ["a", "b", "c"]


def test_disable_plugins_skips_the_named(fake_entry_points, monkeypatch):
    a, b, c = three_entry_points(fake_entry_points)
    monkeypatch.setenv("COUNTY_DISABLE_PLUGINS", "b,c")
    reg = Registry()
    assert list(reg.methods) == ["a"] and not b.loaded and not c.loaded
    assert reg.skipped == {"b": "named in COUNTY_DISABLE_PLUGINS", "c": "named in COUNTY_DISABLE_PLUGINS"}


def test_disable_wins_over_load_and_hides_a_broken_or_duplicate_plugin(fake_entry_points, monkeypatch):
    fake_entry_points(FakeEntryPoint("a", "county-a", plugin("a")),
                      FakeEntryPoint("bad", "county-bad", None),
                      FakeEntryPoint("dup", "d1", plugin("dup")), FakeEntryPoint("dup", "d2", plugin("dup")))
    assert sorted(Registry().broken) == ["bad", "dup"]
    monkeypatch.setenv("COUNTY_LOAD_PLUGINS", "a,bad")
    monkeypatch.setenv("COUNTY_DISABLE_PLUGINS", "bad,dup")
    reg = Registry()
    assert list(reg.methods) == ["a"] and reg.broken == {}


def test_a_skipped_method_is_named_as_not_loaded(fake_entry_points, monkeypatch):
    three_entry_points(fake_entry_points)
    monkeypatch.setenv("COUNTY_DISABLE_PLUGINS", "b")
    reg = Registry()
    with pytest.raises(CountyError) as e:
        require_method(reg, "b")
    assert str(e.value) == "method 'b' is installed but not loaded: named in COUNTY_DISABLE_PLUGINS"


def test_collected_records_are_checked_rates_and_board_shapes():
    from framework.kernel.registry import item_problem
    from framework.models import Board, BoardSection, rate

    assert item_problem(rate("r", "u", 2, 3)) is None
    assert item_problem(Metric("r", "u", numerator=3, denominator=2, value=1.5)) == (
        "metric 'r' of 'u' is a rate 3/2: it needs 0 <= numerator <= denominator")
    assert item_problem(Metric("r", "u", numerator=1, denominator=2, value=0.4)) == "metric 'r' of 'u': value 0.4 is not 1/2"
    assert item_problem(Metric("r", "u", numerator=0, denominator=0, value=0.0)) == "metric 'r' of 'u': value 0.0 is not 0/0"
    assert item_problem(Metric("score", "u", value=87.5)) is None  # a score, not a rate
    bad = Board("m", "b", "u", "2026-11", [BoardSection("s", ["case_id", "title"], [])])
    assert item_problem(bad) == "board 'b', section 's': column 'case_id' is not a (key, label) pair of text"
    rows = Board("m", "b", "u", "2026-11", [BoardSection("s", [("case_id", "编号")], ["zj-000001"])])
    assert item_problem(rows) == "board 'b', section 's': a row is str, expected a dict"


def test_an_import_failure_names_the_plugins_file_and_line(fake_entry_points, tmp_path, monkeypatch):
    (tmp_path / "brokenplugin.py").write_text('"""A plugin importing what is not there."""\nimport no_such_module_xyz\n',
                                              encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))

    class Importing(FakeEntryPoint):
        def load(self):
            return importlib.import_module("brokenplugin")

    fake_entry_points(Importing("brk", "county-brk"))
    reg = Registry()
    assert reg.broken["brk"] == (f"import failed: ModuleNotFoundError: No module named 'no_such_module_xyz' "
                                 f"({tmp_path / 'brokenplugin.py'}:2)")
