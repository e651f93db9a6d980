"""Finding plugins: the ``county`` entry-point group, the pluggy manager, method metadata.

Built-in methods and third-party ones are found the same way: each distribution declares
``[project.entry-points.county] NAME = "module"`` and the module holds ``@hookimpl`` functions.
A plugin whose import fails does not stop the CLI: it is listed in :attr:`Registry.broken`
and named when a deployment enables it.
"""

from __future__ import annotations

import importlib.metadata
from typing import Any

import attrs
import pluggy

from framework import hookspecs
from framework.errors import CountyError, PluginError
from framework.models import STAGES, MethodInfo

GROUP = "county"


class Registry:
    """All method plugins found on this machine, keyed by method name."""

    def __init__(self, extra_plugins: dict[str, Any] | None = None, *, entry_points: bool = True):
        self.pm = pluggy.PluginManager(GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.methods: dict[str, MethodInfo] = {}
        self.modules: dict[str, Any] = {}
        self.dists: dict[str, str] = {}
        self.broken: dict[str, str] = {}
        if entry_points:
            for ep in importlib.metadata.entry_points(group=GROUP):
                if ep.name in self.modules or ep.name in self.broken:
                    continue
                try:
                    module = ep.load()
                except Exception as e:  # a broken plugin must not stop the CLI
                    self.broken[ep.name] = f"import failed: {type(e).__name__}: {e}"
                    continue
                self._add(ep.name, module, dist=(ep.dist.name if ep.dist else "?"))
        for name, module in (extra_plugins or {}).items():
            self._add(name, module, dist="(registered in code)")

    def _add(self, name: str, module: Any, dist: str) -> None:
        try:
            self.pm.register(module, name=name)
        except Exception as e:
            self.broken[name] = f"hook validation failed: {e}"
            return
        impl = getattr(module, "county_method", None)
        try:
            info = impl() if impl else None
        except Exception as e:
            self.pm.unregister(module)
            self.broken[name] = f"county_method raised {type(e).__name__}: {e}"
            return
        problem = validate_method(name, info)
        if problem:
            self.pm.unregister(module)
            self.broken[name] = problem
            return
        self.methods[name] = info
        self.modules[name] = module
        self.dists[name] = dist

    # -- calling hooks -----------------------------------------------------------------------
    def implements(self, name: str, hook: str) -> bool:
        return hasattr(self.modules.get(name), f"county_{hook}")

    def call_one(self, name: str, hook: str, **kwargs) -> Any:
        """Call plugin ``name``'s implementation of ``county_<hook>`` only (a bound stage).
        Arguments the implementation does not take are dropped, as pluggy does. A raising
        implementation becomes :class:`PluginError` naming plugin and hook (domain errors the
        plugin raises on purpose, :class:`CountyError`, pass through unchanged)."""
        hook_caller = getattr(self.pm.hook, f"county_{hook}")
        for impl in hook_caller.get_hookimpls():
            if impl.plugin_name == name:
                try:
                    return impl.function(*[kwargs[a] for a in impl.argnames])
                except CountyError:
                    raise
                except Exception as e:
                    raise PluginError(name, f"county_{hook}", e) from e
        return None

    def call_each(self, names, hook: str, **kwargs) -> list[tuple[str, Any]]:
        """Call ``county_<hook>`` on each plugin of ``names`` that implements it; returns
        ``[(name, result), …]`` in the order of ``names``."""
        out = []
        for name in names:
            if self.implements(name, hook):
                out.append((name, self.call_one(name, hook, **kwargs)))
        return out


def validate_method(name: str, info: Any) -> str | None:
    """One-line problem with a plugin's MethodInfo, or None when it is well-formed."""
    if not isinstance(info, MethodInfo):
        return "county_method must return a framework.models.MethodInfo"
    if info.name != name:
        return f"county_method names the method {info.name!r} but its entry point is {name!r}"
    bad = [s for s in info.stages if s not in STAGES]
    if bad:
        return f"unknown stages {bad} (stages are {', '.join(STAGES)})"
    tiers = [t.name for t in info.tiers]
    if len(set(tiers)) != len(tiers):
        return f"tier names repeat in the chain: {tiers}"
    if info.extra_type is not None and not attrs.has(info.extra_type):
        return "extra_type must be an attrs class"
    return None
