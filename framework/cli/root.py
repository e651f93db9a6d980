"""The root of the ``county`` CLI: its groups, loaded lazily (issue 13: lean start-up).

``county --help`` imports this module, click and :mod:`framework.discovery` — no kernel, no
plugin, not even pluggy or sqlite-utils: the kernel's commands are listed from
:data:`LAZY_COMMANDS` (each command's family module and the first sentence of its help, kept
equal to the command's own by tests/test_cli_lazy.py), the methods' command groups from the
installed plugins' entry points (each plugin adds one group named after its method, hook
``county_register_commands``). A command's module is imported when the command is looked up
(``county init …`` imports :mod:`framework.cli.admin` only); a name that is no kernel command
loads the plugins of the registry in use and their commands (``county taizhang …``).

This module also holds the registry the CLI uses (:func:`use_registry`; the registry itself
is built by :func:`framework.cli.core.registry`), so that listing the methods follows a
registry set in code (tests, ``framework.testing.cli_registry``).
"""

from __future__ import annotations

import gc
import importlib
import json
import sys
from typing import Any

import click

from framework.discovery import method_entry_points
from framework.errors import CountyError

#: The kernel's commands of the root group: name -> (the modules whose import registers it on
#: :data:`cli` — for ``case``, its subcommands on :data:`case` —, the first sentence of its help,
#: which ``county --help`` shows without importing them).
LAZY_COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "appraise": (("framework.cli.publish",),
                 "Appraisal (考评) per unit, method and tier, plus each method's own scores."),
    "backup": (("framework.cli.audit",),
               "Back the database up to FILE (备份) with SQLite's online backup: a consistent copy while "
               "others keep writing."),
    "restore": (("framework.cli.audit",),
                "Restore the database from backup FILE (恢复) with SQLite's online backup: page for page, through "
                "SQLite, so a -wal left by a killed process is never mixed in (copying with cp can corrupt the "
                "database)."),
    "board": (("framework.cli.publish",),
              "Publicity output (公示栏/晒账) for a unit and period, personal data masked."),
    "case": (("framework.cli.cases", "framework.cli.io"), "Cases (事项): take in, read, act."),
    "check": (("framework.cli.audit",),
              "Check the database (检查): SQLite's integrity check and the domain's invariants — every open case has "
              "a tier and a handler (or its tier's unit, or a recorded reason), due instants follow arrival, each "
              "case's events are in time order, milestones agree with the case's tier and status, the kept "
              "counts equal a recount."),
    "config": (("framework.cli.admin",), "The deployment file (county.toml): check it before `county init`."),
    "demo": (("framework.cli.io",),
             "Build a demo county with every installed method, load real citizen messages as taizhang cases (arrival = "
             "留言时间, resolution = 答复时间), replay the nightly sweeps month by month, and write boards and the "
             "appraisal to --out."),
    "duties": (("framework.cli.publish",),
               "Recurring duties due on a date across enabled methods (patrols, visits, meetings)."),
    "export": (("framework.cli.io",),
               "Interchange: cases as Open311 GeoReport v2 JSON (our tiers, events and satisfaction in "
               "extended_attributes.county) or as CSV."),
    "init": (("framework.cli.admin",), "Create or update the database from a deployment file (county.toml)."),
    "open311": (("framework.cli.open311",),
                "Open311 GeoReport v2 endpoint: API keys and the server (docs/open311.md)."),
    "people": (("framework.cli.admin",), "People who handle cases (责任人)."),
    "plugins": (("framework.cli.admin",), "Method plugins found on this machine."),
    "serve": (("framework.cli.publish",),
              "Read-only web board (datasette) over a masked snapshot of this database."),
    "shell": (("framework.cli.shell",), "Interactive admin shell over the same commands (type `case list`, "
              "`sweep`; `help`; `exit`, `quit` or `:q` to leave)."),
    "sweep": (("framework.cli.cases",),
              "Find overdue cases and escalate or flag them per their method's chain (督办)."),
    "triage": (("framework.cli.io",),
               "Category triage on message text (留言分类): the official taxonomy and level-1 proposals."),
    "units": (("framework.cli.admin",), "The unit tree (单位)."),
    "verify": (("framework.cli.audit",),
               "Verify the audit chain (核验): every event against its hash and the event before it, every case row "
               "against the state sealed with its events."),
}

#: The module that builds the registry and loads the plugins' commands (imported when a name
#: is no kernel command).
LAZY_CORE = "framework.cli.core"

_registry: Any = None


def use_registry(registry: Any) -> Any:
    """Make the CLI use ``registry`` (a :class:`framework.kernel.registry.Registry`, e.g. one
    holding a plugin registered in code, for its tests); None: find the plugins again on next
    use. Returns the registry used before."""
    global _registry
    previous, _registry = _registry, registry
    return previous


def current_registry() -> Any:
    """The registry in use, or None when none has been built or set yet."""
    return _registry


def _load(modules: tuple[str, ...]) -> None:
    for module in modules:
        importlib.import_module(module)


class LazyGroup(click.Group):
    """A group whose subcommands are registered by importing ``modules`` the first time one is
    listed or looked up (``county case …`` imports the case commands' modules only then)."""

    def __init__(self, *args, modules: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.modules = modules

    def list_commands(self, ctx):
        _load(self.modules)
        return super().list_commands(ctx)

    def get_command(self, ctx, name):
        if name not in self.commands:
            _load(self.modules)
        return super().get_command(ctx, name)


class CountyGroup(click.Group):
    """The root group: the kernel's commands imported when used, the plugins' commands added
    lazily, so that a broken plugin never stops it and a kernel command does not wait for them.

    A kernel command's module is imported when the command is looked up (:data:`LAZY_COMMANDS`).
    The plugins' commands (hook ``county_register_commands``) are added the first time they are
    needed for the registry in use: to find a name that is not a kernel command (``county
    taizhang …``), to complete one in the shell, or by :meth:`load_plugin_commands` (``county
    plugins list``, which names a plugin whose hook raised). ``county --help`` lists the kernel's
    commands from :data:`LAZY_COMMANDS` and the methods by name (:meth:`method_names`),
    importing neither.
    """

    _loaded_for = None  # the registry whose plugins' commands are loaded
    _from_plugins: frozenset = frozenset()  # the command names the plugins' hooks added

    def load_plugin_commands(self, needed: list[str] | None = None) -> None:
        """Add the commands of the plugins of the registry in use (once per registry) — one
        that loads at least the methods ``needed`` (None: every installed one); a plugin whose
        hook raises is listed in ``registry().broken``."""
        reg = importlib.import_module(LAZY_CORE).registry(needed)
        if self._loaded_for is not reg:
            self._loaded_for = reg
            before = set(self.commands)
            for name in reg.methods:
                try:
                    reg.call_one(name, "register_commands", cli=self)
                except CountyError as e:
                    reg.broken.setdefault(name, str(e))
            self._from_plugins = self._from_plugins | (set(self.commands) - before)

    def method_names(self) -> list[str]:
        """The methods whose command groups ``county --help`` lists, without importing them:
        the registry's when one is in use (those it loaded and those it left unloaded, not being
        needed yet), else the enabled entry points' (:func:`framework.discovery.method_entry_points`),
        plus any command a loaded plugin added."""
        reg = current_registry()
        names = set(reg.methods) | set(getattr(reg, "unloaded", ())) if reg is not None else set(method_entry_points()[0])
        if self._loaded_for is not None and self._loaded_for is reg:
            names |= set(self._from_plugins)
        return sorted(names - set(LAZY_COMMANDS))

    def list_commands(self, ctx):
        self.load_plugin_commands()
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx, name):
        if name in self.commands and name not in self._from_plugins:
            return self.commands[name]  # a kernel command already imported: no plugin needed
        if name in LAZY_COMMANDS:
            _load(LAZY_COMMANDS[name][0])
            return self.commands.get(name)
        self.load_plugin_commands([name])  # `county taizhang …`: the method named, not all twenty
        if name not in self.commands:
            self.load_plugin_commands()  # a plugin may name its group otherwise: look in all
            reg = current_registry()
            why = (reg.skipped.get(name) or reg.broken.get(name)) if reg is not None else None
            if name not in self.commands and why:  # the method's reason, not "no such command"
                state = "broken" if name in reg.broken else "not loaded"
                raise click.UsageError(f"method {name!r} is installed but {state}: {why} "
                                       f"(`county plugins list` shows every method)", ctx)
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        """``county --help``: the kernel's commands with the first sentence of their help (from
        :data:`LAZY_COMMANDS` for those not imported yet), then the methods' command groups by
        name. Nothing is imported."""
        names = sorted(set(LAZY_COMMANDS) | {n for n in self.commands if n not in self._from_plugins})
        stubs = {n: click.Command(n, help=LAZY_COMMANDS[n][1]) for n in names if n not in self.commands}
        commands = [(n, self.commands.get(n) or stubs[n]) for n in names]
        commands = [(n, c) for n, c in commands if not c.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(n) for n, _ in commands)
            rows = [(n, c.get_short_help_str(limit)) for n, c in commands]
            with formatter.section("Commands"):
                formatter.write_dl(rows)
        methods = self.method_names()
        if methods:
            with formatter.section("Methods (工作法; `county METHOD --help`, `county plugins list`)"):
                formatter.write_text("  ".join(methods))

    def invoke(self, ctx):
        """Usage errors click finds itself (a missing option, a bad choice, an unknown command)
        become one line on stderr naming the command, plus one JSON document on stdout when
        ``--json`` was given (conventions §4); exit 2."""
        protected = getattr(ctx, "_protected_args", None)
        if protected is None:  # click < 8.2
            protected = ctx.protected_args
        rest = [*protected, *ctx.args]
        # What the imports and click made lives as long as the process: frozen, the cyclic
        # collector's full passes during the command (a county opened, an appraisal's tens of
        # thousands of records) walk only what the command makes — 10–30 ms a command at 1 M
        # cases (issue 13). Thawed after, so a long-lived caller (tests, `county shell`) frees
        # its cycles as before.
        gc.freeze()
        try:
            return super().invoke(ctx)
        except click.ClickException as e:
            if "--" in rest:
                rest = rest[:rest.index("--")]
            path = e.ctx.command_path if getattr(e, "ctx", None) is not None else "county"
            # one line even where click writes several (a bad choice lists its values a line each)
            message = f"{path}: {' '.join(e.format_message().split())}"
            if isinstance(e, click.exceptions.NoArgsIsHelpError):  # `county case`: its help, then one line
                if "--json" not in rest:
                    click.echo(e.ctx.get_help())
                message = f"{path}: missing command"
            if "--json" in rest:
                click.echo(json.dumps({"error": message, "exit_code": e.exit_code}, ensure_ascii=False))
            # one line, as every other error (conventions §4), with where to look for help
            click.echo(f"error: {message} (see `{path} --help`)", err=True)
            sys.exit(e.exit_code)
        finally:
            gc.unfreeze()


@click.group(cls=CountyGroup)
@click.version_option(package_name="county-methods", prog_name="county")
def cli():
    """county: run a county's citizen-service work methods (工作法) as plugins."""


@cli.group(cls=LazyGroup, modules=LAZY_COMMANDS["case"][0])
def case():
    """Cases (事项): take in, read, act."""
