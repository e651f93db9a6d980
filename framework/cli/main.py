"""The ``county`` console script over the root group of :mod:`framework.cli.root`.

The command families register their commands on :data:`framework.cli.root.cli` when the root
first looks one of them up: :mod:`~framework.cli.admin` (init, config, plugins, units,
people), :mod:`~framework.cli.cases` (case add/show/list/assign/resolve/confirm/escalate/…,
sweep), :mod:`~framework.cli.publish` (board, appraise, serve, duties), :mod:`~framework.cli.io`
(case import, export, triage, demo), :mod:`~framework.cli.audit` (verify, check, backup),
:mod:`~framework.cli.open311` and :mod:`~framework.cli.shell`; the plugins add theirs when a
name is no kernel command. So ``county --help`` and ``county init`` import only what they use
(issue 13).
"""

from __future__ import annotations

import sys

import click

from framework.cli.root import cli

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
