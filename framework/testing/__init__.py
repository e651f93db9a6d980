"""Testing kit for method plugins, built-in or third-party.

* Fixtures (opt-in): put ``pytest_plugins = ["framework.testing"]`` in your ``conftest.py`` (or
  run ``pytest -p framework.testing``) to get ``county_cli``, ``make_county``, ``init_county``,
  ``cli_registry`` and ``county_db`` (per test) and ``county_module`` (per module), and the
  class :class:`CountyRunner` for a county built once per module or session
  (:mod:`framework.testing.fixtures`).
* :class:`framework.testing.conformance.MethodConformance` is the conformance suite: one line
  in a plugin's tests runs it against that plugin. It needs only pytest (hypothesis, when
  installed, generates more personal-data spellings).
* :func:`real_data` finds the shared real data for tests that need it.
* :func:`readme_commands` and :func:`run_commands` run a README's shell example as written
  (:func:`run_quick_start`: both on a fresh county, a quick-start test's fixture in one call);
  :func:`demo_county` seeds one method's ``county_demo`` month on the demo county
  (:mod:`framework.testing.scenarios`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.demo import require_real_data
from framework.errors import CountyError
from framework.testing.fixtures import (
    CountyRunner, cli_registry, county_cli, county_db, county_module, init_county, make_county,
)
from framework.testing.scenarios import demo_county, readme_commands, run_commands, run_quick_start

__all__ = ["CountyRunner", "cli_registry", "county_cli", "county_db", "county_module", "demo_county", "init_county",
           "make_county", "readme_commands", "real_data", "run_commands", "run_quick_start"]


def real_data(rel: str | Path = "") -> Path:
    """``rel`` inside the real data (env ``COUNTY_DATA``, else ``../shared/data/real`` beside the
    repository; :func:`framework.demo.require_real_data`). When it is missing the calling test
    *fails* (never skips) with a message naming both options."""
    try:
        return require_real_data(rel)
    except CountyError as e:
        pytest.fail(str(e), pytrace=False)
