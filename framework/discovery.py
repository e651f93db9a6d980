"""Which method plugins this machine offers: entry points, read without importing a plugin.

A method plugin is an entry point of group ``county`` (``[project.entry-points.county]`` in
its ``pyproject.toml``: ``mymethod = "my_package"``); its name is the method's name. Two
environment variables choose among them, for the registry (:mod:`framework.kernel.registry`)
and ``county --help`` (:mod:`framework.cli.root`) alike:

* ``COUNTY_LOAD_PLUGINS`` — comma-separated names: only these (set to the empty string: none);
* ``COUNTY_DISABLE_PLUGINS`` — comma-separated names: not these.

This module imports nothing but the standard library, so that ``county --help`` can list the
methods' command groups (each plugin adds one named after its method, hook
``county_register_commands``) without loading a plugin (issue 13: lean start-up).
"""

from __future__ import annotations

import difflib
import importlib.metadata
import os
from typing import Any

GROUP = "county"
LOAD_ENV = "COUNTY_LOAD_PLUGINS"
DISABLE_ENV = "COUNTY_DISABLE_PLUGINS"


def env_names(env: str) -> set[str] | None:
    """The comma-separated names of environment variable ``env`` (blanks dropped); None when
    the variable is unset."""
    value = os.environ.get(env)
    if value is None:
        return None
    return {n.strip() for n in value.split(",") if n.strip()}


def method_entry_points(skip: set[str] | frozenset = frozenset()) -> tuple[dict[str, list[Any]], dict[str, str]]:
    """The installed method plugins' entry points, chosen by ``COUNTY_LOAD_PLUGINS`` and
    ``COUNTY_DISABLE_PLUGINS``; nothing is loaded.

    :param skip: names to leave out silently (e.g. a plugin of that name registered in code).
    :returns: ``(by_name, skipped)``: method name -> its entry points (more than one when two
        distributions declare the name: the registry refuses that), and method name -> why it
        was left out (``"not named in COUNTY_LOAD_PLUGINS"`` / ``"named in COUNTY_DISABLE_PLUGINS"``).
    """
    load, disable = env_names(LOAD_ENV), env_names(DISABLE_ENV) or set()
    by_name: dict[str, list[Any]] = {}
    skipped: dict[str, str] = {}
    for ep in importlib.metadata.entry_points(group=GROUP):
        if ep.name in skip:
            continue
        if load is not None and ep.name not in load:
            skipped[ep.name] = f"not named in {LOAD_ENV}"
            continue
        if ep.name in disable:
            skipped[ep.name] = f"named in {DISABLE_ENV}"
            continue
        by_name.setdefault(ep.name, []).append(ep)
    return by_name, skipped


def unknown_env_names(installed: set[str] | frozenset[str]) -> list[str]:
    """One warning line per name in ``COUNTY_LOAD_PLUGINS`` / ``COUNTY_DISABLE_PLUGINS`` that no
    installed plugin has (a misspelt ``dainti`` would otherwise load, or leave out, nothing
    without a word), with the closest installed name when there is one.

    :param installed: every installed method's entry-point name.
    :returns: e.g. ``["COUNTY_DISABLE_PLUGINS names 'dainti', which no installed plugin has (did
        you mean 'dianti'?)"]``; empty when every name is known or the variables are unset.
    """
    out = []
    for env in (LOAD_ENV, DISABLE_ENV):
        for name in sorted((env_names(env) or set()) - set(installed)):
            close = difflib.get_close_matches(name, sorted(installed), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(f"{env} names {name!r}, which no installed plugin has{hint}")
    return out
