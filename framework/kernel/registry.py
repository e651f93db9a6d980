"""Finding plugins: the ``county`` entry-point group, the pluggy manager, method metadata.

Built-in methods and third-party ones are found the same way: each distribution declares
``[project.entry-points.county] NAME = "module"`` and the module holds ``@hookimpl`` functions.
A plugin that cannot be loaded does not stop the CLI: it is listed in :attr:`Registry.broken`
with a one-line reason and named when a deployment enables it. Reasons a plugin is broken:
its import fails; two distributions declare its entry-point name; a hook implementation does
not match its hookspec, or names no hook at all (a misspelt ``county_deadlin``:
``pm.check_pending()``); its ``county_method`` raises or returns a bad MethodInfo.

Which entry points are loaded (:mod:`framework.discovery`): ``COUNTY_LOAD_PLUGINS`` (comma-separated names: only these; set
to the empty string: none) and ``COUNTY_DISABLE_PLUGINS`` (comma-separated names: not these).
Plugins registered in code (``extra_plugins``) are always loaded.

Hooks are called through pluggy, one plugin at a time (``pm.subset_hook_caller`` with every
other plugin removed), so ``firstresult``, hookwrappers and ``tryfirst``/``trylast`` inside a
plugin mean what pluggy says. What a plugin implements of a hook (its implementations in
pluggy's order, the spec's ``firstresult`` flag and defaults) is worked out once and cached
until plugins come or go (:class:`_Bound`): a stage call is then pluggy's own ``_multicall`` on
that list or, for the usual single plain implementation with no tracing installed, the
function itself called as ``_multicall`` would call it (issue 13: four stage calls a case in a
bulk import).
"""

from __future__ import annotations

import difflib
import traceback
import warnings
from operator import itemgetter
from typing import Any, Callable, Iterable

import attrs
import pluggy
from pluggy import HookCallError

import framework.hookspecs as hookspecs
from framework.discovery import GROUP, method_entry_points, unknown_env_names
from framework.errors import CountyError, PluginError
from framework.models import STAGES, Board, BoardSection, MethodInfo, Metric

try:  # pluggy's default hook executor: a stage may skip it only while no tracing replaced it
    from pluggy._callers import _multicall as _PLUGGY_MULTICALL
except ImportError:  # pragma: no cover - another pluggy layout: always the full path
    _PLUGGY_MULTICALL = None


class _Manager(pluggy.PluginManager):
    """A PluginManager that tells the registry when plugins come and go (the per-plugin
    subset callers are snapshots of who implements what, so they are rebuilt then)."""

    def __init__(self, project_name: str, on_change: Callable[[], None]):
        super().__init__(project_name)
        self._on_change = on_change

    def register(self, plugin, name=None):
        try:
            return super().register(plugin, name)
        finally:
            self._on_change()

    def unregister(self, plugin=None, name=None):
        try:
            return super().unregister(plugin, name)
        finally:
            self._on_change()

    def add_hookspecs(self, module_or_class) -> None:
        try:
            super().add_hookspecs(module_or_class)
        finally:
            self._on_change()


class _Bound:
    """One plugin's implementation(s) of one hook, worked out once (:meth:`Registry._bound`):
    ``impls`` in pluggy's order, ``firstresult`` and the spec's defaults; ``direct`` the
    ``(function, its arguments picked from the call's keywords)`` of a single plain implementation (no wrapper, no keyword
    arguments), which :meth:`Registry.call_one` calls as pluggy's ``_multicall`` would; ``spec_args``
    the hookspec's argument names (a call missing one warns, as pluggy does)."""

    __slots__ = ("defaults", "direct", "firstresult", "hook_name", "hookexec", "impls", "spec_args", "spec_set")

    def __init__(self, pm: pluggy.PluginManager, caller: Any):
        self.hook_name = caller.name
        self.impls = list(caller.get_hookimpls())  # our own copy: pluggy copies before each call for the same reason
        spec = caller.spec
        self.firstresult = bool(spec is not None and spec.opts.get("firstresult"))
        self.defaults = dict(getattr(spec, "kwargdefaults", None) or {}) if spec is not None else {}
        self.spec_args = tuple(spec.argnames) if spec is not None else ()
        self.spec_set = frozenset(self.spec_args)
        self.hookexec = pm._hookexec
        only = self.impls[0] if len(self.impls) == 1 else None
        plain = (only is not None and not only.hookwrapper and not getattr(only, "wrapper", False)
                 and not only.kwargnames)
        self.direct = (only.function, _args_of(tuple(only.argnames))) if plain and _PLUGGY_MULTICALL is not None else None


def _one_line(text: str) -> str:
    return "; ".join(line.strip() for line in str(text).splitlines() if line.strip())


class Registry:
    """All method plugins found on this machine, keyed by method name.

    ``methods`` (name -> MethodInfo), ``modules`` (name -> plugin object) and ``dists``
    (name -> distribution) hold the plugins that loaded; ``broken`` (name -> one-line reason)
    those that did not; ``skipped`` (name -> reason) the entry points left out by
    ``COUNTY_LOAD_PLUGINS`` / ``COUNTY_DISABLE_PLUGINS``.

    ``only`` (names; default None: every installed method) loads only those entry points — what
    a deployment enables and binds (:func:`framework.kernel.config.methods_needed`), so that a
    command on a county of five methods does not import the twenty installed (issue 13: start-
    up). The others are named in ``unloaded`` (not imported, not checked: neither methods nor
    broken); :meth:`covers` says whether a registry serves a set of names. Plugins registered in
    code are always loaded. ``warnings``: one-line texts, e.g. a name in ``COUNTY_LOAD_PLUGINS``
    that no installed plugin has (:func:`framework.discovery.unknown_env_names`).
    """

    def __init__(self, extra_plugins: dict[str, Any] | None = None, *, entry_points: bool = True,
                 only: Iterable[str] | None = None):
        self.only: frozenset[str] | None = frozenset(only) if only is not None else None
        self.unloaded: set[str] = set()
        self.warnings: list[str] = []  # e.g. a name in COUNTY_DISABLE_PLUGINS no plugin has
        self._callers: dict[tuple[str, str], Any] = {}
        self._bounds: dict[tuple[str, str], _Bound | None] = {}
        self.pm = _Manager(GROUP, self._forget)
        self.pm.add_hookspecs(hookspecs)
        self.methods: dict[str, MethodInfo] = {}
        self.modules: dict[str, Any] = {}
        self.dists: dict[str, str] = {}
        self.broken: dict[str, str] = {}
        self.skipped: dict[str, str] = {}
        extra = dict(extra_plugins or {})
        if entry_points:
            self._load_entry_points(skip=set(extra))
        for name, module in extra.items():
            self._add(name, module, dist="(registered in code)")
        while True:  # each plugin was checked as it registered (_unknown_hooks); this is the backstop
            try:
                self.pm.check_pending()
                break
            except pluggy.PluginValidationError as e:
                self._drop(self.pm.get_name(e.plugin), f"hook validation failed: {_one_line(e)}")

    def covers(self, names: Iterable[str] | None) -> bool:
        """Whether this registry serves ``names`` (None: every installed method): it loaded every
        entry point, or every one of ``names`` was asked for."""
        return self.only is None or (names is not None and set(names) <= self.only)

    # -- loading -----------------------------------------------------------------------------
    def _load_entry_points(self, skip: set[str]) -> None:
        by_name, skipped = method_entry_points(skip)
        self.skipped.update(skipped)
        self.warnings.extend(unknown_env_names(set(by_name) | set(skipped) | set(skip)))
        for name, eps in by_name.items():
            if self.only is not None and name not in self.only:
                self.unloaded.add(name)
                continue
            self._load_one(name, eps)

    def _load_one(self, name: str, eps: list) -> None:
        dists = list(dict.fromkeys(_dist_name(ep) for ep in eps))
        if len(dists) > 1:
            self.broken[name] = duplicate_message(name, dists)
            return
        try:
            module = eps[0].load()
        except Exception as e:  # a broken plugin must not stop the CLI
            self.broken[name] = f"import failed: {type(e).__name__}: {_one_line(e)}{_where(e)}"
            return
        self._add(name, module, dist=dists[0])

    def load(self, name: str) -> bool:
        """Load installed method ``name`` that ``only`` left out (``unloaded``), now — e.g. the
        cases of a method since removed from the deployment, read by an appraisal or a sweep.
        Returns whether ``name`` is a loaded method afterwards (a broken one lands in
        ``broken``, as at start)."""
        if name in self.unloaded:
            self.unloaded.discard(name)
            self.only = self.only | {name} if self.only is not None else None
            eps = method_entry_points(set())[0].get(name)
            if eps:
                self._load_one(name, eps)
                try:
                    self.pm.check_pending()
                except pluggy.PluginValidationError as e:
                    self._drop(self.pm.get_name(e.plugin), f"hook validation failed: {_one_line(e)}")
        return name in self.methods

    def _add(self, name: str, module: Any, dist: str) -> None:
        try:
            self.pm.register(module, name=name)
        except Exception as e:
            self.broken[name] = f"hook validation failed: {_one_line(e)}"
            return
        problem = self._unknown_hooks(name, module)
        if problem:
            self.pm.unregister(module)
            self.broken[name] = problem
            return
        if not self.implements(name, "method"):
            self.pm.unregister(module)
            self.broken[name] = "no county_method hook (a function decorated with framework.hookimpl)"
            return
        try:
            info = self._caller(name, "method")()
        except Exception as e:
            self.pm.unregister(module)
            self.broken[name] = f"county_method raised {type(e).__name__}: {_one_line(e)}"
            return
        info = info[0] if len(info) == 1 else info
        problem = validate_method(name, info)
        if problem:
            self.pm.unregister(module)
            self.broken[name] = problem
            return
        self.methods[name] = info
        self.modules[name] = module
        self.dists[name] = dist

    def _drop(self, name: str, problem: str) -> None:
        """Unload plugin ``name`` and list it as broken with ``problem``."""
        self.pm.unregister(name=name)
        for d in (self.methods, self.modules, self.dists):
            d.pop(name, None)
        self.broken[name] = problem

    def _unknown_hooks(self, name: str, plugin: Any) -> str | None:
        """``pm.check_pending()`` for the plugin just registered: a one-line problem naming the
        plugin and each ``@hookimpl`` of it that matches no hookspec, or None."""
        try:
            self.pm.check_pending()
            return None
        except pluggy.PluginValidationError:
            pass
        unknown = sorted(hook_name for hook_name, caller in vars(self.pm.hook).items()
                         if not hook_name.startswith("_") and not caller.has_spec()
                         and any(i.plugin is plugin and not i.optionalhook for i in caller.get_hookimpls()))
        if not unknown:  # another plugin's (cannot happen: each one is checked as it registers)
            return None
        known = [n for n in vars(self.pm.hook) if not n.startswith("_") and getattr(self.pm.hook, n).has_spec()]
        parts = []
        for hook_name in unknown:
            close = difflib.get_close_matches(hook_name, known, n=1, cutoff=0.8)
            parts.append(f"{hook_name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        return f"plugin {name!r} implements unknown hook{'s' if len(parts) > 1 else ''} {', '.join(parts)}"

    # -- calling hooks -----------------------------------------------------------------------
    def _caller(self, name: str, hook: str):
        """Plugin ``name``'s own caller of ``county_<hook>`` (every other plugin removed),
        cached until plugins are registered or unregistered."""
        key = (name, hook)
        caller = self._callers.get(key)
        if caller is None:
            plugin = self.pm.get_plugin(name)
            others = [p for p in self.pm.get_plugins() if p is not plugin]
            caller = self._callers[key] = self.pm.subset_hook_caller(f"county_{hook}", remove_plugins=others)
        return caller

    def _call(self, name: str, hook: str, kwargs: dict) -> Any:
        try:
            return self._caller(name, hook)(**kwargs)
        except CountyError as e:
            _attribute(e, name, hook)
            raise
        except Exception as e:
            raise PluginError(name, f"county_{hook}", e) from e

    def implements(self, name: str, hook: str) -> bool:
        """Whether plugin ``name`` has a (non-wrapper) ``@hookimpl`` of ``county_<hook>``."""
        caller = getattr(self.pm.hook, f"county_{hook}", None)
        if caller is None or self.pm.get_plugin(name) is None:
            return False
        return any(i.plugin_name == name and not (i.hookwrapper or getattr(i, "wrapper", False)) for i in caller.get_hookimpls())

    def call_one(self, name: str, hook: str, **kwargs) -> Any:
        """Call plugin ``name``'s implementation of ``county_<hook>`` only (a bound stage),
        through pluggy: hookwrappers, ``tryfirst``/``trylast`` and ``firstresult`` of the
        plugin's own implementations apply. Arguments an implementation does not take are
        dropped, as pluggy does; a hookspec argument left out warns, as pluggy does.

        Returns what pluggy returns for ``firstresult`` hooks (the stages); for other hooks the
        plugin's one result (None when it returned None or does not implement the hook; the
        list of results if it has several implementations). A raising implementation becomes
        :class:`PluginError` naming plugin and hook (domain errors the plugin raises on
        purpose, :class:`CountyError`, pass through with their message unchanged; they carry
        ``.plugin`` and ``.hook`` as a PluginError does, so that the sweep names who raised).

        What the plugin implements is looked up once per plugin and hook (:class:`_Bound`,
        forgotten when plugins are registered or unregistered); a single plain implementation
        is called directly while pluggy's default executor is in place (no
        ``add_hookcall_monitoring``), with the same arguments, result and errors."""
        bound = self._bounds.get((name, hook), _UNBOUND)
        if bound is _UNBOUND:
            bound = self._bound(name, hook)
        if bound is None:
            return None
        if bound.defaults:
            kwargs = {**bound.defaults, **kwargs}
        if not bound.spec_set <= kwargs.keys():
            _warn_missing(bound, kwargs)
        try:
            direct = bound.direct
            if direct is not None and self.pm._inner_hookexec is _PLUGGY_MULTICALL:
                function, args_of = direct
                try:
                    args = args_of(kwargs)
                except KeyError as e:
                    raise HookCallError(f"hook call must provide argument {e.args[0]!r}") from e
                result = function(*args)
                if not bound.firstresult:
                    result = [] if result is None else [result]
            else:
                result = bound.hookexec(bound.hook_name, bound.impls, kwargs, bound.firstresult)
        except CountyError as e:
            _attribute(e, name, hook)
            raise
        except Exception as e:
            raise PluginError(name, f"county_{hook}", e) from e
        if bound.firstresult:
            return result
        return None if not result else result[0] if len(result) == 1 else result

    def _bound(self, name: str, hook: str) -> _Bound | None:
        """:class:`_Bound` of plugin ``name`` and ``county_<hook>`` (None when the plugin is not
        registered), cached until plugins come or go."""
        bound = None
        if self.pm.get_plugin(name) is not None:
            bound = _Bound(self.pm, self._caller(name, hook))
        self._bounds[(name, hook)] = bound
        return bound

    def _forget(self) -> None:
        """Plugins came or went (or hookspecs were added): the cached callers are stale."""
        self._callers.clear()
        self._bounds.clear()

    def call_each(self, names: Iterable[str], hook: str, **kwargs) -> list[tuple[str, Any]]:
        """Call ``county_<hook>`` on each plugin of ``names`` that implements it; returns
        ``[(name, result), …]`` in the order of ``names``."""
        out = []
        for name in names:
            if self.implements(name, hook):
                out.append((name, self.call_one(name, hook, **kwargs)))
        return out

    def collect(self, names: Iterable[str], hook: str, item_type: type, *,
                per_plugin: Callable[[str], dict] | None = None,
                on_error: Callable[[PluginError], None] | None = None, **kwargs) -> list[tuple[str, Any]]:
        """Call collecting hook ``county_<hook>`` on each plugin of ``names`` that implements it
        and return ``[(name, item), …]`` in the order of ``names``.

        Each implementation must return a list (or None) of ``item_type``; anything else is a
        :class:`PluginError` naming plugin, hook and the bad value's type. An item whose
        ``method`` is empty gets the plugin's name. ``per_plugin(name)`` gives arguments that
        differ per plugin (its ``ctx``), merged over ``kwargs``.

        ``on_error`` (issue 14, isolation per plugin): when given, a plugin that raises or
        returns a bad item contributes nothing and its :class:`PluginError` (``.plugin``,
        ``.hook``) is handed to ``on_error``; the other plugins proceed. Without it the first
        PluginError propagates. A :class:`CountyError` the plugin raises on purpose propagates
        in both cases."""
        out = []
        for name in names:
            if not self.implements(name, hook):
                continue
            if on_error is None:
                out.extend(self._collect_one(name, hook, item_type, per_plugin, kwargs))
                continue
            try:
                out.extend(self._collect_one(name, hook, item_type, per_plugin, kwargs))
            except PluginError as e:
                on_error(e)
        return out

    def _collect_one(self, name: str, hook: str, item_type: type, per_plugin, kwargs: dict) -> list[tuple[str, Any]]:
        """:meth:`collect` for plugin ``name`` alone."""
        out = []
        args = {**kwargs, **(per_plugin(name) if per_plugin else {})}
        for result in self._call(name, hook, args):  # one result per implementation (pluggy)
            if not isinstance(result, (list, tuple)):
                raise PluginError(name, f"county_{hook}",
                                  f"returned {type(result).__name__}, expected a list of {item_type.__name__} (or None)")
            for i, item in enumerate(result):
                if not isinstance(item, item_type):
                    raise PluginError(name, f"county_{hook}",
                                      f"item {i} of the returned list is {type(item).__name__}, expected {item_type.__name__}")
                problem = item_problem(item)
                if problem:
                    raise PluginError(name, f"county_{hook}", f"item {i} of the returned list: {problem}")
                if hasattr(item, "method") and not item.method:
                    item.method = name
                out.append((name, item))
        return out


_UNBOUND = object()


def _args_of(names: tuple[str, ...]) -> Callable[[dict], tuple]:
    """The positional arguments ``names`` picked from a call's keywords, as a tuple (KeyError
    naming the first one missing, as pluggy's ``_multicall`` looks them up)."""
    if len(names) >= 2:
        return itemgetter(*names)
    if len(names) == 1:
        name = names[0]
        return lambda kwargs: (kwargs[name],)
    return lambda kwargs: ()


def _warn_missing(bound: _Bound, kwargs: dict) -> None:
    """pluggy's warning for a hook call that leaves out hookspec arguments."""
    missing = ", ".join(repr(a) for a in bound.spec_args if a not in kwargs)
    warnings.warn(f"Argument(s) {missing} which are declared in the hookspec cannot be found in this hook call",
                  stacklevel=3)


def item_problem(item: Any) -> str | None:
    """What is wrong with a collected record, or None: a rate (a Metric with a denominator)
    lies in [0, 1] with ``value`` = numerator / denominator (None when the denominator is 0);
    a Board's sections are BoardSections whose columns are ``(key, label)`` pairs of text and
    whose rows are dicts."""
    if isinstance(item, Metric) and item.denominator is not None:
        num, den = item.numerator, item.denominator
        if num is None or num < 0 or den < 0 or num > den:
            return f"metric {item.metric!r} of {item.subject!r} is a rate {num}/{den}: it needs 0 <= numerator <= denominator"
        want = None if den == 0 else num / den
        if (want is None) != (item.value is None) or (want is not None and abs(item.value - want) > 1e-9):
            return f"metric {item.metric!r} of {item.subject!r}: value {item.value} is not {num}/{den}"
    if isinstance(item, Board):
        for s in item.sections:
            if not isinstance(s, BoardSection):
                return f"board {item.title!r}: a section is {type(s).__name__}, expected BoardSection"
            bad = [c for c in s.columns if not (isinstance(c, (tuple, list)) and len(c) == 2
                                                and all(isinstance(x, str) for x in c))]
            if bad:
                return f"board {item.title!r}, section {s.title!r}: column {bad[0]!r} is not a (key, label) pair of text"
            rows = [r for r in s.rows if not isinstance(r, dict)]
            if rows:
                return f"board {item.title!r}, section {s.title!r}: a row is {type(rows[0]).__name__}, expected a dict"
    return None


def duplicate_message(name: str, dists: list[str]) -> str:
    """The one-line reason an entry-point name declared by several distributions is broken."""
    if len(dists) == 2:
        return (f"entry point {name!r} (group {GROUP!r}) is declared by two distributions, {dists[0]!r} and "
                f"{dists[1]!r}; neither is loaded (uninstall one of them)")
    return (f"entry point {name!r} (group {GROUP!r}) is declared by {len(dists)} distributions, "
            f"{', '.join(repr(d) for d in dists)}; none is loaded (uninstall all but one)")


def _where(e: BaseException) -> str:
    """`` (file:line)`` of the plugin's line that raised while importing (the innermost frame
    outside Python's import machinery), or ``""``; a SyntaxError names its own place."""
    if isinstance(e, SyntaxError):
        return ""
    frames = [f for f in traceback.extract_tb(e.__traceback__)
              if "importlib" not in f.filename and not f.filename.startswith("<frozen")]
    return f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""


def _dist_name(ep) -> str:
    dist = getattr(ep, "dist", None)
    return getattr(dist, "name", None) or "?"


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
    bad = [k for k, v in info.event_labels.items() if not (isinstance(k, str) and isinstance(v, str))]
    if bad:
        return f"event_labels maps event types to text; {bad[0]!r} does not"
    return None


def _attribute(error: CountyError, plugin: str, hook: str) -> None:
    """Mark a :class:`CountyError` a hook raised (its message kept for the operator) with the
    plugin and hook it came from, as :class:`PluginError` carries them — the innermost hook
    wins (a PluginError, or an error already marked, keeps what it names)."""
    if getattr(error, "plugin", None) is None:
        error.plugin, error.hook = plugin, f"county_{hook}"
