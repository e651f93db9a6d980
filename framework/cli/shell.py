"""``county shell``: an interactive admin shell over the same commands.

交互式管理命令行：``exit`` / ``quit`` 退出，``help`` 帮助（也可用 click-repl 的 ``:q`` / ``:h``）。
"""

from __future__ import annotations

import os
import shlex
import sys

import click

from framework.cli.core import cli, county_command

#: Words the shell understands besides the county commands (issue 17), and click-repl's own.
SHELL_WORDS = {"exit": "leave the shell (also quit, :q)", "quit": "leave the shell (also exit, :q)",
               "help": "list the commands; help COMMAND … shows one command's help (also :h)"}


def _shell_commands(exit_repl) -> dict[str, click.Command]:
    """The hidden commands ``exit``, ``quit`` and ``help [COMMAND …]`` that exist only while the
    shell runs (never as ``county exit`` on the command line). ``exit_repl``: the exception
    class that ends click-repl's loop."""

    def leave():
        raise exit_repl()

    @click.command("help", hidden=True, context_settings={"ignore_unknown_options": True})
    @click.argument("words", nargs=-1)
    def shell_help(words):
        ctx = click.get_current_context().find_root()
        command, sub = cli, ctx
        for word in words:  # help case list -> the help of `case list`
            found = command.get_command(sub, word) if isinstance(command, click.Group) else None
            if found is None:
                raise click.UsageError(f"help: no command {' '.join(words)!r} (type help for the list)")
            command, sub = found, click.Context(found, info_name=word, parent=sub)
        click.echo(sub.get_help())
        if not words:
            click.echo("\nIn the shell: " + "; ".join(f"{k}: {v}" for k, v in SHELL_WORDS.items()))

    return {"exit": click.Command("exit", callback=leave, hidden=True, help=SHELL_WORDS["exit"]),
            "quit": click.Command("quit", callback=leave, hidden=True, help=SHELL_WORDS["quit"]),
            "help": shell_help}


class _Leave(Exception):
    """``exit`` / ``quit`` / ``:q`` in input read line by line."""


def run_lines(lines) -> int:
    """Run ``county`` commands from ``lines`` (a file or list of text lines: input that is not a
    terminal), one command a line as on the command line (blank lines and ``# …`` skipped;
    ``exit``, ``quit`` or ``:q`` stop; ``:h`` is ``help``). A command that fails prints its own
    ``error: …`` line and then ``error: shell: line N: `COMMAND` failed (exit C)``; the rest still
    run. Returns the exit code of the first command that failed (0: none did) — what ``county
    shell`` exits with, so a script fed to it can tell."""
    first_failure = 0
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            args = shlex.split(line)
        except ValueError as e:  # shlex: "No closing quotation", "No escaped character"
            click.echo(f"error: shell: line {n}: {e} (close the quote, or escape it with \\)", err=True)
            first_failure = first_failure or 2
            continue
        if args[0] in (":q", "exit", "quit"):
            break
        if args[0] == ":h":
            args = ["help", *args[1:]]
        try:
            code = _run_one(args)
        except _Leave:
            break
        if code:
            click.echo(f"error: shell: line {n}: `{line}` failed (exit {code})", err=True)
            first_failure = first_failure or code
    return first_failure


def _run_one(args: list[str]) -> int:
    try:
        cli.main(args, prog_name="county", standalone_mode=False)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Abort:
        return 1
    return 0


@cli.command()
@county_command(needs_county=False)
def shell(db, now, as_json):
    """Interactive admin shell over the same commands (type `case list`, `sweep`; `help`;
    `exit`, `quit` or `:q` to leave). Input that is not a terminal is read line by line, without
    the greeting: a command that fails is named with its line, and the shell exits with the first
    failure's code."""
    os.environ["COUNTY_DB"] = db
    if now:
        os.environ["COUNTY_NOW"] = now
    if not sys.stdin.isatty():
        extra = {k: v for k, v in _shell_commands(_Leave).items() if k not in cli.commands}
        cli.commands.update(extra)
        try:
            code = run_lines(sys.stdin)
        finally:
            for name in extra:
                cli.commands.pop(name, None)
        sys.exit(code)
    from click_repl import repl  # optional heavy dependency (prompt_toolkit): loaded only for the shell
    from click_repl.exceptions import ExitReplException

    ctx = click.get_current_context()
    click.echo("county shell — commands as on the command line; --db is remembered; help for help; "
               "exit or quit (:q) to leave")
    extra = {k: v for k, v in _shell_commands(ExitReplException).items() if k not in cli.commands}
    cli.commands.update(extra)
    try:
        repl(ctx.parent or ctx)
    finally:
        for name in extra:
            cli.commands.pop(name, None)
