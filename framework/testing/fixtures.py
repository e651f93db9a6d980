"""pytest fixtures for county plugins. Opt-in: a plugin's ``conftest.py`` says
``pytest_plugins = ["framework.testing"]`` (or run ``pytest -p framework.testing``); nothing is
loaded into other pytest sessions of the environment.

Every fixture is per test and works on one database, ``tmp_path / "county.db"``:

* ``county_db`` — that path;
* ``county_cli`` — ``run(*args, ok=True, input=None)``: invoke the ``county`` CLI on it and get
  click's Result, with ``.data`` the parsed JSON of a successful ``--json`` command;
* ``init_county`` — ``init(toml_text, name="county.toml")``: write the TOML, ``county init``
  it through ``county_cli``, get ``county_cli`` back;
* ``make_county`` — ``make(toml_text, now=None, registry=None)``: initialise the deployment
  without the CLI and get the kernel's ``County`` on it;
* ``cli_registry`` — ``use(registry)``: the CLI uses ``registry`` (e.g. a plugin registered in
  code) for the rest of the test.

Built once per test **module** (or session), for the many tests that read one county:

* :class:`CountyRunner` — ``CountyRunner(db, registry=None, actor="tester")``: the same
  ``run(*args, ok=True, input=None)`` on any database path, with no monkeypatching, so it
  works in fixtures of any scope; ``.init(toml_text_or_path, now=None)`` runs ``county init``;
  ``.ctx(method, now=None)`` opens the County for a method's ``ctx``;
* ``county_module`` — module-scoped: ``init(toml_text_or_path, name="county.toml",
  registry=None, now=None)`` → a :class:`CountyRunner` on a fresh database of its own, initialised.

See each fixture's docstring, and docs/hooks.md §9.4.
"""

from __future__ import annotations

import json
import sqlite3
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from framework.cli.core import registry as cli_registry_in_use
from framework.cli.core import use_registry
from framework.cli.main import cli
from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.store import Store
from framework.timerules import parse_instant


def _checked(result, args: list[str], ok):
    """``result`` (click's Result of ``county *args``) checked against ``ok`` — True: exit 0, an
    int: that exit code, False: anything — with ``.data`` set: the parsed JSON of stdout when
    ``--json`` is among ``args`` and the exit code is 0, else None."""
    if ok is True:
        assert result.exit_code == 0, f"county {' '.join(args)} -> {result.exit_code}\n{result.output}"
    elif isinstance(ok, int) and ok is not False:
        assert result.exit_code == ok, f"county {' '.join(args)} -> {result.exit_code} (wanted {ok})\n{result.output}"
    result.data = None
    if "--json" in args and result.exit_code == 0:
        result.data = json.loads(result.stdout)
    return result


@pytest.fixture
def county_db(tmp_path) -> Path:
    """The test's database file, ``tmp_path / "county.db"`` (a :class:`~pathlib.Path`; not
    created: ``county init``, ``init_county`` or ``make_county`` create it). ``county_cli``,
    ``init_county`` and ``make_county`` all use this file."""
    return tmp_path / "county.db"


@pytest.fixture
def county_cli(county_db, monkeypatch):
    """A function ``run(*args, ok=True, input=None)`` that invokes the ``county`` CLI
    in-process (click's ``CliRunner``) on ``county_db`` and returns click's
    :class:`~click.testing.Result`.

    * ``args``: the command line after ``county`` (``"case", "add", "--method", …``); each is
      passed through ``str()``, so paths and numbers may be given as they are.
    * The environment for the call: ``COUNTY_DB`` = ``county_db`` (no ``--db`` needed),
      ``COUNTY_ACTOR=tester`` (the operator on every event), ``COUNTY_NOW`` unset (give
      ``--now`` for a fixed instant; the clock otherwise).
    * ``ok``: ``True`` (default) asserts exit code 0, showing the command and its output when it
      is not; an ``int`` asserts that exit code (``ok=2`` for bad input, ``ok=1`` for a
      refusal); ``False`` asserts nothing.
    * ``input``: text fed to the command's stdin (e.g. for ``county shell``), or None.

    The Result has ``.exit_code``, ``.stdout``, ``.stderr`` and ``.output`` (both, as a
    terminal shows them), and ``.data``: the parsed JSON document of stdout when ``--json`` is
    among ``args`` and the exit code is 0, else None. The CLI's own errors are exit codes and
    one-line messages; any other exception propagates to the test (``catch_exceptions=False``).
    Plugins come from the CLI's registry: the installed entry points, or the one given to
    ``cli_registry``.
    """
    monkeypatch.delenv("COUNTY_NOW", raising=False)
    monkeypatch.setenv("COUNTY_DB", str(county_db))
    monkeypatch.setenv("COUNTY_ACTOR", "tester")
    runner = CliRunner()

    def run(*args, ok=True, input=None):
        args = [str(a) for a in args]
        result = runner.invoke(cli, args, input=input, catch_exceptions=False)
        return _checked(result, args, ok)

    return run


@pytest.fixture
def make_county(tmp_path, county_db, monkeypatch):
    """A function ``make(toml_text, now=None, registry=None)`` that initialises the deployment
    described by ``toml_text`` (a ``county.toml`` as text; no file is written) in ``county_db``
    — as ``county init`` does, without the CLI — and returns the kernel's
    :class:`~framework.kernel.county.County` opened on it.

    * ``now``: an ISO 8601 instant (text; no offset = deployment-local) at which the County's
      clock is fixed; None leaves the wall clock.
    * ``registry``: the :class:`~framework.kernel.registry.Registry` holding the plugins (e.g.
      ``Registry(extra_plugins={"mine": module}, entry_points=False)``); None finds the
      installed entry points.

    ``COUNTY_ACTOR`` is ``tester``. The County is the kernel's facade, for tests of the kernel
    and of a plugin's hooks end to end (``county.add_case``, ``county.sweep()``,
    ``county.ctx("mine")`` for the method's ``ctx``); a plugin's own code only ever gets ``ctx``.
    A bad TOML or deployment raises :class:`framework.CountyError`.
    """
    monkeypatch.setenv("COUNTY_ACTOR", "tester")

    def make(toml_text: str, now=None, registry: Registry | None = None):
        dep = deployment_from_dict(tomllib.loads(toml_text))
        county = County.init(Store(str(county_db)), dep, registry or Registry())
        if now:
            county.clock.fixed = parse_instant(now, county.calendar.tz)
        return county

    return make


@pytest.fixture
def init_county(tmp_path, county_cli):
    """A function ``init(toml_text, name="county.toml")`` that writes ``toml_text`` to
    ``tmp_path / name``, runs ``county init --config`` on it through ``county_cli`` (asserting
    exit 0) and returns ``county_cli``, ready for the test's next commands::

        run = init_county(TOML)
        case = run("case", "add", "--method", "mine", "--unit", "v1", "--title", "路灯", "--json").data
    """

    def init(toml_text: str, name: str = "county.toml"):
        cfg = tmp_path / name
        cfg.write_text(toml_text, encoding="utf-8")
        county_cli("init", "--config", cfg)
        return county_cli

    return init


@pytest.fixture
def cli_registry():
    """A function ``use(registry)`` that makes the CLI — ``county_cli``, and the ``county``
    console script's code run in-process — use ``registry`` (a
    :class:`~framework.kernel.registry.Registry`) for the rest of the test, and returns it.
    For a plugin registered in code, e.g. ``use(Registry(extra_plugins={"mine": module},
    entry_points=False))``, whose commands the test then runs. Call it before the first CLI
    call that should see the plugin; the registry the CLI used before the first ``use`` is
    restored when the test ends."""
    saved = []

    def use(registry: Registry) -> Registry:
        saved.append(use_registry(registry))
        return registry

    yield use
    if saved:
        use_registry(saved[0])


class CountyRunner:
    """The ``county`` CLI in-process on one database, usable from a fixture of **any** scope
    (module, session): the environment of each call is given to click, not monkeypatched.

    ``CountyRunner(db, registry=None, actor="tester")``: ``db`` the database path (created by
    :meth:`init`); ``registry`` a :class:`~framework.kernel.registry.Registry` for plugins
    registered in code (used for each call, the CLI's previous one restored after it; None:
    the CLI's own, the installed entry points); ``actor`` the operator on every event.

    ``runner(*args, ok=True, input=None)`` is :func:`county_cli`'s ``run``: each call sees
    ``COUNTY_DB`` = ``db``, ``COUNTY_ACTOR`` = ``actor`` and no ``COUNTY_NOW`` (give
    ``--now``); ``ok=True`` asserts exit 0, an int that exit code, False nothing; the Result has
    ``.data``, the parsed JSON of a successful ``--json`` call. Example (one county for the
    whole module)::

        @pytest.fixture(scope="module")
        def county(tmp_path_factory):
            return CountyRunner(tmp_path_factory.mktemp("mine") / "county.db").init(TOML)

        def test_one(county):
            case = county("case", "add", "--method", "mine", …, "--json").data
    """

    def __init__(self, db, registry: Registry | None = None, actor: str = "tester"):
        self.db = Path(db)
        self.registry = registry
        self.actor = actor
        self._runner = CliRunner()

    def __call__(self, *args, ok=True, input=None):
        args = [str(a) for a in args]
        env = {"COUNTY_DB": str(self.db), "COUNTY_ACTOR": self.actor, "COUNTY_NOW": None}
        saved = use_registry(self.registry) if self.registry is not None else None
        try:
            result = self._runner.invoke(cli, args, input=input, env=env, catch_exceptions=False)
        finally:
            if self.registry is not None:
                use_registry(saved)
        return _checked(result, args, ok)

    def init(self, toml, name: str = "county.toml", now: str | None = None) -> "CountyRunner":
        """``county init --config`` on ``toml`` — a :class:`~pathlib.Path` to a county file, or
        its text (written to ``name`` beside the database) — asserting exit 0. ``now``: ISO
        text given as ``init --now`` (no offset = deployment-local), for a county whose file
        dates things (centres, members, pairings) before the wall clock; None: the clock.
        Returns self."""
        if isinstance(toml, Path):
            cfg = toml
        else:
            cfg = self.db.parent / name
            cfg.write_text(toml, encoding="utf-8")
        self("init", "--config", cfg, *(("--now", now) if now else ()))
        return self

    def copy(self, db) -> "CountyRunner":
        """A runner (same registry and actor) on a copy of this database at path ``db`` — made
        through SQLite's online backup, so a consistent one even with a ``-wal`` beside it: a
        county built once per module, each test given its own copy to change. Returns it."""
        with sqlite3.connect(self.db) as src, sqlite3.connect(db) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        return CountyRunner(db, registry=self.registry, actor=self.actor)

    def ctx(self, method: str, now=None):
        """The :class:`~framework.MethodContext` of ``method`` on this database (a County
        opened on it, with this runner's registry, else the CLI's), its clock fixed at ``now``
        (ISO text, no offset = deployment-local) when given: for calling a plugin's service
        functions and hooks directly between CLI calls. CountyError when not initialised."""
        county = County(Store(str(self.db)), self.registry or cli_registry_in_use(), actor=self.actor)
        if now:
            county.clock.fixed = parse_instant(now, county.calendar.tz)
        return county.ctx(method)


@pytest.fixture(scope="module")
def county_module(tmp_path_factory):
    """Module-scoped: a function ``init(toml, name="county.toml", registry=None, now=None)`` that
    makes a fresh database in a directory of its own, runs ``county init`` on ``toml`` (a county
    file's :class:`~pathlib.Path`, or its text; ``now`` as ``init --now``) and returns the
    :class:`CountyRunner` on it. Build the
    county once for the module in a module-scoped fixture of your own::

        @pytest.fixture(scope="module")
        def county(county_module):
            return county_module(TOML)
    """

    def init(toml, name: str = "county.toml", registry: Registry | None = None, now: str | None = None) -> CountyRunner:
        return CountyRunner(tmp_path_factory.mktemp("county") / "county.db", registry=registry).init(toml, name, now)

    return init
