"""The ``county`` console script: the root group with every command family registered.

Importing a family module registers its commands on :data:`framework.cli.core.cli`:
:mod:`~framework.cli.admin` (init, plugins, units, people), :mod:`~framework.cli.cases` (case
add/show/list/assign/resolve/confirm/escalate, sweep), :mod:`~framework.cli.publish` (board,
appraise, serve, duties), :mod:`~framework.cli.io` (case import, export, triage, demo) and
:mod:`~framework.cli.shell`. Plugins add theirs when the root group lists its commands.
"""

from __future__ import annotations

import sys

import click

from framework.cli import admin, audit, cases, io, open311, publish, shell  # noqa: F401  (registers the command families)
from framework.cli.core import cli

__all__ = ["cli", "main"]


def safe_streams(streams=None) -> None:
    """Make stdout and stderr able to print anything (conventions §4: Chinese whatever the
    locale; issue 15: ``--help`` crashed under a latin-1 stdout). A stream whose encoding
    cannot encode Chinese (latin-1, ascii, …) is switched to UTF-8 — what every command's output
    uses; any stream keeps going with ``errors="backslashreplace"`` for a character it cannot
    encode instead of raising UnicodeEncodeError. A stream that cannot be reconfigured (not a
    text file) is left alone. ``streams``: default ``(sys.stdout, sys.stderr)``."""
    for s in streams if streams is not None else (sys.stdout, sys.stderr):
        reconfigure = getattr(s, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            "中文公示栏".encode(s.encoding or "ascii")
            fits = True
        except (UnicodeEncodeError, LookupError):
            fits = False
        try:
            if fits:
                reconfigure(errors="backslashreplace")
            else:
                reconfigure(encoding="utf-8", errors="backslashreplace")
        except (ValueError, OSError, LookupError):  # a closed or detached stream: nothing to do
            continue


def main():
    """The ``county`` console script. Errors click finds before any command runs (an unknown
    root option) are one line too (conventions §4). Output survives any stdout encoding
    (:func:`safe_streams`)."""
    safe_streams()
    try:
        rv = cli.main(prog_name="county", standalone_mode=False)
    except click.ClickException as e:
        click.echo(f"error: county: {e.format_message()} (see `county --help`)", err=True)
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("error: aborted", err=True)
        sys.exit(1)
    sys.exit(rv if isinstance(rv, int) and not isinstance(rv, bool) else 0)
