"""Scenario helpers of the testing kit: run a README's shell example as written, and seed one
method's demo month (``county_demo``) on the demo county. Plain functions (no fixtures), so they
work from a fixture of any scope; see docs/hooks.md §9.4.

* :func:`readme_commands` — the command lines of a README section's shell block;
* :func:`run_commands` — run them, in order, through a :class:`CountyRunner` (or ``county_cli``);
* :func:`demo_county` — the demo county with one method, its ``county_demo`` run for a period.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from framework.demo.run import deployment_toml
from framework.errors import CountyError
from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.store import Store
from framework.testing.fixtures import CountyRunner
from framework.timerules import parse_instant

_FENCE = re.compile(r"^\s*(```|~~~)")


def _section(text: str, section: str, where: str) -> str:
    """The body of the first ``## {section}…`` heading of ``text`` up to the next ``## `` heading."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("## ") and line[3:].strip().startswith(section):
            body = []
            for rest in lines[i + 1:]:
                if rest.startswith("## "):
                    break
                body.append(rest)
            return "\n".join(body)
    raise CountyError(f"{where}: no section '## {section}'")


def _first_block(body: str) -> list[str]:
    """The lines of the first code block of a Markdown section: a fenced one (```sh … ```) or an
    indented one (four spaces; blank lines inside it kept out), whichever comes first."""
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            block = []
            for rest in lines[i + 1:]:
                if _FENCE.match(rest):
                    return block
                block.append(rest)
            return block
        if line.startswith("    ") and line.strip():
            block = []
            for rest in lines[i:]:
                if rest.startswith("    "):
                    block.append(rest[4:])
                elif rest.strip():
                    break
            return block
    return []


def readme_commands(path: str | Path, section: str = "Quick start") -> list[list[str]]:
    """The shell commands of a README's example, as argument lists, in order.

    ``path``: the Markdown file; ``section``: the start of its ``## `` heading (``"Quick start"``
    matches ``## Quick start (sample deployment …)``). The example is the section's **first**
    code block — fenced (```sh) or indented by four spaces; a later block (a TOML sample, say) is
    not read. Lines ending in ``\\`` are joined to the next; comment lines and trailing ``# …``
    comments are dropped; each command is split as the shell would (:func:`shlex.split`, so
    ``"a;b"`` stays one argument). Returns e.g. ``[["county", "init", "--config", "x.toml"], …]``.

    Raises :class:`framework.CountyError` naming the file when the section is missing or has no
    code block, and naming the line when a line cannot be split (an open quote)."""
    path = Path(path)
    block = _first_block(_section(path.read_text(encoding="utf-8"), section, str(path)))
    lines, current = [], ""
    for line in block:
        text = line.strip()
        if not current and (not text or text.startswith("#")):
            continue
        current += text
        if current.endswith("\\"):
            current = current[:-1].rstrip() + " "
            continue
        lines.append(current)
        current = ""
    if current.strip():
        lines.append(current)
    commands = []
    for line in lines:
        try:
            commands.append(shlex.split(line, comments=True))
        except ValueError as e:
            raise CountyError(f"{path} ## {section}: cannot split {line!r}: {e}") from None
    commands = [c for c in commands if c]
    if not commands:
        raise CountyError(f"{path} ## {section}: no code block with commands")
    return commands


def run_commands(run, commands: list[list[str]], cwd: str | Path | None = None, ok=True) -> list:
    """Run README commands (:func:`readme_commands`) in order through ``run`` — a
    :class:`~framework.testing.CountyRunner`, or the ``county_cli`` fixture's function — and
    return click's Results, one per command.

    Each command must start with ``county`` (the rest is passed to ``run``; another program
    fails the test naming the line). ``cwd``: the directory the commands' relative paths are
    read from (a README's ``--config plugins/…/data/x.toml`` means the repository root); None
    keeps the current one. ``ok`` is ``run``'s: True asserts exit 0 for every command."""
    results = []
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        for args in commands:
            if not args or args[0] != "county":
                pytest.fail(f"not a county command: {shlex.join(args)}", pytrace=False)
            results.append(run(*args[1:], ok=ok))
    return results


def run_quick_start(readme: str | Path, folder: str | Path, cwd: str | Path | None = None,
                    section: str = "Quick start") -> tuple[CountyRunner, list[list[str]], list]:
    """A README's example run as written on a fresh county: a :class:`CountyRunner` on
    ``folder/county.db``, the section's commands (:func:`readme_commands`) and their Results
    (:func:`run_commands`, every one asserted exit 0, relative paths read from ``cwd`` — for a
    plugin's README, the repository root). Returns ``(runner, commands, results)``: a
    quick-start test's module fixture in one call, e.g.
    ``run_quick_start(README, tmp_path_factory.mktemp("mine_qs"), ROOT)``."""
    run = CountyRunner(Path(folder) / "county.db")
    commands = readme_commands(readme, section)
    return run, commands, run_commands(run, commands, cwd=cwd)


def demo_county(db: str | Path, method: str, period: str, now: str, titles=(), toml: str | None = None,
                registry: Registry | None = None, actor: str = "tester") -> tuple[County, str | None]:
    """The demo county with ``method``, its demo month seeded: the way ``county demo`` calls a
    method's ``county_demo`` hook, for testing it value by value.

    * ``db``: the database file to create (e.g. ``tmp_path_factory.mktemp("m") / "county.db"``);
    * ``method``: the method name; ``period``: the period handed to the hook (``"2024-10"``);
    * ``now``: ISO 8601 text (no offset = deployment-local, Asia/Shanghai in the demo county):
      the County's clock is fixed there before the hook runs (the hook moves it through its
      month and gives it back);
    * ``titles``: the hook's ``titles`` (real message titles; ``()`` for its own);
    * ``toml``: a county file's text instead of the demo county
      (``framework/demo/data/county.toml``) with ``[deployment] methods = [method]`` and that
      method's ``[where]``;
    * ``registry``: a :class:`~framework.kernel.registry.Registry` for a plugin registered in
      code (None: the installed entry points); ``actor``: the operator on every event.

    Returns ``(county, line)``: the kernel's :class:`~framework.kernel.county.County` (``.ctx(m)``,
    ``.boards(unit, period)``, ``.appraise(period, unit)``, ``.sweep()``, ``.clock.fixed``,
    ``.store``) and the hook's summary line (None when the method has no ``county_demo``).
    Raises :class:`framework.CountyError` for a bad county file or a period the hook refuses."""
    text = toml if toml is not None else deployment_toml([method])
    county = County.init(Store(str(db)), deployment_from_dict(tomllib.loads(text)), registry or Registry(),
                         actor=actor)
    county.clock.fixed = parse_instant(now, county.calendar.tz)
    line = county.registry.call_one(method, "demo", ctx=county.ctx(method), period=period, titles=list(titles))
    return county, line
