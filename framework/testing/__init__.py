"""Testing helpers for method plugins, built-in or third-party.

* :mod:`framework.testing.pytest_plugin` (auto-loaded through the ``pytest11`` entry point)
  gives the fixtures ``county_cli`` and ``make_county``.
* :class:`framework.testing.conformance.MethodConformance` is the conformance suite: one line
  in a plugin's tests runs it against that plugin.
"""

from __future__ import annotations

from pathlib import Path


def real_data(rel: str | Path = "") -> Path:
    """``rel`` inside the real data (env ``COUNTY_DATA``, else ``../shared/data/real`` beside the
    repository; :func:`framework.demo.run.require_real_data`). When it is missing the calling test
    *fails* (never skips) with a message naming both options."""
    import pytest

    from framework.demo.run import require_real_data
    from framework.errors import CountyError

    try:
        return require_real_data(rel)
    except CountyError as e:
        pytest.fail(str(e), pytrace=False)
