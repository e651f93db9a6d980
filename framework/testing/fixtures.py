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

See each fixture's docstring, and docs/hooks.md §9.4.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from framework.cli.core import use_registry
from framework.cli.main import cli
from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.store import Store
from framework.timerules import parse_instant


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
        if ok is True:
            assert result.exit_code == 0, f"county {' '.join(args)} -> {result.exit_code}\n{result.output}"
        elif isinstance(ok, int) and ok is not False:
            assert result.exit_code == ok, f"county {' '.join(args)} -> {result.exit_code} (wanted {ok})\n{result.output}"
        result.data = None
        if "--json" in args and result.exit_code == 0:
            result.data = json.loads(result.stdout)
        return result

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
