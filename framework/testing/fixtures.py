"""pytest fixtures for county plugins. Opt-in: a plugin's ``conftest.py`` says
``pytest_plugins = ["framework.testing"]`` (or run ``pytest -p framework.testing``); nothing is
loaded into other pytest sessions of the environment.

``county_cli(tmp_path)``: a function ``run(*args, ok=True)`` that invokes the ``county`` CLI on
a database in ``tmp_path`` and returns the click Result; with ``--json`` in args,
``result.data`` holds the parsed JSON. ``ok=True`` asserts exit code 0; pass ``ok=False`` to
inspect failures, or an int to assert that exit code.

``make_county(toml_text, now=None)``: writes the TOML, runs ``county init``, returns a
:class:`framework.kernel.county.County` opened on it (clock fixed at ``now`` when given).

``cli_registry(registry)``: the CLI (``county_cli`` and the console script in-process) uses
``registry`` for the rest of the test, e.g. ``Registry({"mine": module}, entry_points=False)``
for a plugin registered in code; the registry found before is restored afterwards.

``init_county(toml_text)``: writes the TOML to ``tmp_path/county.toml``, runs ``county init
--config`` through ``county_cli`` (asserting exit 0) and returns ``county_cli`` for the test's
next commands.
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
    return tmp_path / "county.db"


@pytest.fixture
def county_cli(county_db, monkeypatch):
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
    def init(toml_text: str, name: str = "county.toml"):
        cfg = tmp_path / name
        cfg.write_text(toml_text, encoding="utf-8")
        county_cli("init", "--config", cfg)
        return county_cli

    return init


@pytest.fixture
def cli_registry():
    saved = []

    def use(registry: Registry) -> Registry:
        saved.append(use_registry(registry))
        return registry

    yield use
    if saved:
        use_registry(saved[0])
