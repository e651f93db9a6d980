"""Contributed county methods beyond the five core ones (issue 18, 19).

Each package here is written only against the public plugin API (the ``framework`` root), as
a third party would write it from ``docs/hooks.md`` and ``docs/plugin-guide.md``.
"""
