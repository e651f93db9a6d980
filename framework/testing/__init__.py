"""Testing helpers for method plugins, built-in or third-party.

* :mod:`framework.testing.pytest_plugin` (auto-loaded through the ``pytest11`` entry point)
  gives the fixtures ``county_cli`` and ``make_county``.
* :class:`framework.testing.conformance.MethodConformance` is the conformance suite: one line
  in a plugin's tests runs it against that plugin.
"""
