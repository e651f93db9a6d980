"""``Registry.call_one``'s cached way into pluggy (issue 13): a plugin's single plain
implementation is called directly, anything else (wrappers, several implementations, tracing)
through pluggy's executor, with the same results, warnings and errors either way; the cache
follows plugins coming and going."""

import warnings

import pytest

from framework import hookimpl
from framework.errors import CountyError, PluginError
from framework.kernel.registry import Registry
from framework.models import IntakeResult, MethodInfo
from tests.test_kernel_registry import plugin as registry_plugin


def plugin(name="mini", **hooks):
    """A plugin declaring the intake stage (tests/test_kernel_registry.py's helper)."""
    return registry_plugin(name, stages=("intake",), **hooks)


def intake_plugin(seen):
    @hookimpl
    def county_intake(ctx, case, fields):
        seen.append((ctx, case, dict(fields)))
        if fields.get("fail") == "domain":
            raise CountyError("--set x: bad value")
        if fields.get("fail") == "bug":
            raise KeyError("level")  # a plugin's own KeyError is its failure, not a missing argument
        return None if fields.get("none") else IntakeResult(level="village", extra={"n": len(seen)})

    return plugin(county_intake=county_intake)


def traced(reg):
    """Install pluggy's hook-call monitoring on ``reg``: returns the hook names it saw."""
    names = []
    reg.pm.add_hookcall_monitoring(lambda hook_name, impls, kw: names.append(hook_name), lambda *a: None)
    return names


@pytest.mark.parametrize("tracing", [False, True])
def test_single_plain_implementation_same_results_with_and_without_pluggys_executor(tracing):
    seen = []
    reg = Registry({"mini": intake_plugin(seen)}, entry_points=False)
    names = traced(reg) if tracing else None
    assert reg._bounds.get(("mini", "intake")) is None
    res = reg.call_one("mini", "intake", ctx="C", case="K", fields={"a": "1"})
    assert res == IntakeResult(level="village", extra={"n": 1})
    assert seen == [("C", "K", {"a": "1"})]
    assert reg._bounds[("mini", "intake")].direct is not None  # the single plain implementation
    # firstresult: a None answer is None
    assert reg.call_one("mini", "intake", ctx="C", case="K", fields={"none": "1"}) is None
    # errors: a domain error passes, anything else names plugin and hook
    with pytest.raises(CountyError, match=r"^--set x: bad value$") as e:
        reg.call_one("mini", "intake", ctx="C", case="K", fields={"fail": "domain"})
    assert not isinstance(e.value, PluginError)
    with pytest.raises(PluginError) as e:
        reg.call_one("mini", "intake", ctx="C", case="K", fields={"fail": "bug"})
    assert str(e.value) == "plugin 'mini' failed in county_intake: KeyError: 'level'"
    # a missing argument: pluggy's warning and pluggy's HookCallError, either way
    with pytest.warns(UserWarning, match=r"Argument\(s\) 'fields' which are declared in the hookspec"):
        with pytest.raises(PluginError) as e:
            reg.call_one("mini", "intake", ctx="C", case="K")
    assert str(e.value) == "plugin 'mini' failed in county_intake: HookCallError: hook call must provide argument 'fields'"
    # with tracing installed every call went through pluggy's executor (the monitor saw each)
    assert names == (["county_intake"] * 5 if tracing else None)
    assert len(seen) == 4


def test_non_firstresult_hook_gives_the_one_result_or_none():
    reg = Registry({"mini": plugin()}, entry_points=False)
    info = reg.call_one("mini", "method")
    assert isinstance(info, MethodInfo) and info.name == "mini"
    assert reg.call_one("mini", "deployment_tables") is None  # not implemented
    assert reg.call_one("nobody", "method") is None  # not registered


def test_the_cache_follows_plugins_coming_and_going():
    seen = []
    reg = Registry({"mini": plugin()}, entry_points=False)
    assert reg.call_one("mini", "intake", ctx=None, case=None, fields={}) is None  # no intake hook yet
    assert reg.call_one("new", "intake", ctx=None, case=None, fields={}) is None  # not registered yet
    reg.pm.unregister(name="mini")
    reg.pm.register(intake_plugin(seen), name="mini")
    reg.pm.register(intake_plugin(seen), name="new")
    assert reg.call_one("mini", "intake", ctx=None, case=None, fields={}).extra == {"n": 1}
    assert reg.call_one("new", "intake", ctx=None, case=None, fields={}).extra == {"n": 2}
    reg.pm.unregister(name="new")
    assert reg.call_one("new", "intake", ctx=None, case=None, fields={}) is None
    assert len(seen) == 2


def test_wrappers_and_several_implementations_go_through_pluggy():
    calls = []

    @hookimpl(wrapper=True, specname="county_intake")
    def wrap(ctx, case, fields):
        calls.append("in")
        res = yield
        calls.append("out")
        return IntakeResult(level=res.level, extra={**res.extra, "wrapped": True})

    @hookimpl(specname="county_intake")
    def plain(ctx, case, fields):
        calls.append("plain")
        return IntakeResult(level="village")

    @hookimpl(trylast=True, specname="county_intake")
    def last(ctx, case, fields):
        calls.append("last")
        return IntakeResult(level="township")

    reg = Registry({"mini": plugin(wrap=wrap, plain=plain, last=last)}, entry_points=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = reg.call_one("mini", "intake", ctx=None, case=None, fields={})
    assert res == IntakeResult(level="village", extra={"wrapped": True})
    assert calls == ["in", "plain", "out"]  # firstresult: the trylast one never ran
    assert reg._bounds[("mini", "intake")].direct is None
