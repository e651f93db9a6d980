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

from framework.cli import admin, cases, io, publish, shell  # noqa: F401  (registers the command families)
from framework.cli.core import cli

__all__ = ["cli", "main"]


def main():
    """The ``county`` console script. Errors click finds before any command runs (an unknown
    root option) are one line too (conventions §4)."""
    try:
        rv = cli.main(prog_name="county", standalone_mode=False)
    except click.ClickException as e:
        click.echo(f"error: county: {e.format_message()} (see `county --help`)", err=True)
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("error: aborted", err=True)
        sys.exit(1)
    sys.exit(rv if isinstance(rv, int) and not isinstance(rv, bool) else 0)
