"""``county shell``: an interactive admin shell over the same commands.

交互式管理命令行。
"""

from __future__ import annotations

import os

import click

from framework.cli.core import cli, county_command


@cli.command()
@county_command(needs_county=False)
def shell(db, now, as_json):
    """Interactive admin shell over the same commands (type `case list`, `sweep`, `:q`)."""
    from click_repl import repl  # optional heavy dependency (prompt_toolkit): loaded only for the shell

    ctx = click.get_current_context()
    click.echo("county shell — commands as on the command line; --db is remembered; :q to quit")
    os.environ["COUNTY_DB"] = db
    if now:
        os.environ["COUNTY_NOW"] = now
    repl(ctx.parent or ctx)
