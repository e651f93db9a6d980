"""The operator CLI, ``county`` (conventions §4): what every command shares, and the root.

Every command takes ``--db`` (env ``COUNTY_DB``), ``--now`` (env ``COUNTY_NOW``), ``--json`` and
``--debug``; errors are one line on stderr with exit 2 (bad input) or 1 (domain refusal).
Plugins add groups through ``county_register_commands``; they decorate their commands with
:func:`county_command` and receive a :class:`framework.kernel.county.County` as first argument.

This module holds the shared pieces — :func:`registry`, :func:`county_command`, :func:`emit`,
:func:`fail`, :func:`echo_table`, :func:`check_out`, :func:`write_out`, :func:`parse_sets`, :func:`read_table` —
and passes on the root group :data:`cli` and the ``case`` group of :mod:`framework.cli.root`.
The commands live in one module per family (:mod:`~framework.cli.admin`,
:mod:`~framework.cli.cases`, :mod:`~framework.cli.publish`, :mod:`~framework.cli.io`,
:mod:`~framework.cli.audit`, :mod:`~framework.cli.open311`, :mod:`~framework.cli.shell`);
importing one registers its commands on :data:`cli`, which the root does the first time one
of them is looked up (:data:`framework.cli.root.LAZY_COMMANDS`).
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from framework.cli.root import (  # noqa: F401  (the families and plugins import the groups from here)
    CountyGroup, LazyGroup, case, cli, current_registry, use_registry,
)
from framework.errors import CountyError
from framework.interchange import read_table as read_file_table
from framework.kernel.config import methods_needed
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.models import to_json
from framework.publish.json_text import dumps_indented  # json.dumps(indent=2, default=str) byte for byte, at C speed
from framework.publish.outputs import check_target, protected, write_file
from framework.publish.plain_table import aligned_lines
from framework.store.db import Store
from framework.timerules import parse_instant

def registry(needed: Iterable[str] | None = None) -> Registry:
    """The registry the CLI uses: the one set by :func:`use_registry` (tests, plugins
    registered in code), else the installed plugins found once — only the methods ``needed``
    (a county's enabled and bound methods, a method's command group), or every one when
    ``needed`` is None (``county plugins list``, ``county init``, ``county --help``'s completion).
    A registry that does not cover ``needed`` is replaced by one that loads what both need
    (:meth:`framework.kernel.registry.Registry.covers`); modules already imported are not
    imported again."""
    reg = current_registry()
    if reg is None or not reg.covers(needed):
        if needed is not None and reg is not None:
            needed = set(needed) | set(reg.only)
        reg = Registry(only=needed)
        use_registry(reg)
        for warning in reg.warnings:  # a misspelt COUNTY_DISABLE_PLUGINS name, said once
            click.echo(f"warning: {warning}", err=True)
    return reg


def _utf8_streams() -> None:
    for s in (sys.stdout, sys.stderr):
        try:
            s.reconfigure(encoding="utf-8", errors="backslashreplace")
        except Exception:
            pass


#: Whether the running command has printed its JSON document (so an error after it, e.g. a
#: report followed by a refusal, does not print a second one).
_json_printed = False


#: The calendar of the deployment the running command opened: its year warnings go with the output.
_calendar = None


def emit(data, as_json: bool, human=None) -> None:
    """Print ``data`` as exactly one JSON document (``--json``) or via ``human(data)``. A JSON
    object gains ``warnings`` (list of one-line texts) when the command met any, e.g. a year
    without an official holiday schedule; the county_command wrapper prints them on stderr."""
    global _json_printed
    if as_json:
        doc = to_json(data)
        if isinstance(doc, dict) and _calendar is not None and _calendar.warnings:
            doc = {**doc, "warnings": list(_calendar.warnings)}
        click.echo(dumps_indented(doc))
        _json_printed = True
    elif human is not None:
        human(data)
    else:
        click.echo(data)


def echo_table(rows, header=None, *, gap: int = 2) -> None:
    """Print ``rows`` (sequences of cells; None prints as ``-``) as columns aligned by terminal
    display width, so that Chinese text (two cells a character) lines up (issue 17: 人员、事项、
    单位、插件列表). ``header``: an optional first row. Columns are ``gap`` spaces apart; the
    last cell of each row is not padded (a shorter row — e.g. a BROKEN plugin's — simply ends
    early); tabs and line breaks inside a cell print as spaces
    (:func:`framework.publish.plain_table.aligned_lines`). Nothing is printed for no rows and
    no header."""
    for line in aligned_lines(rows, header, gap=gap):
        click.echo(line)


def fail(message: str, exit_code: int, as_json: bool) -> None:
    """End a command with an error: one line ``error: …`` on stderr, plus (``--json``, unless
    the command has already printed its JSON document) exactly one JSON document
    ``{"error": message, "exit_code": N}`` on stdout; exit ``exit_code``. A message of several
    lines (a deployment's problems, one per line) gives one ``error:`` line each, and the JSON
    document lists them under ``errors``."""
    lines = message.splitlines() or [message]
    if as_json and not _json_printed:
        doc = {"error": message, "exit_code": exit_code}
        if len(lines) > 1:
            doc["errors"] = lines
        click.echo(json.dumps(doc, ensure_ascii=False))
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(exit_code)


def _os_error_message(e: OSError) -> str:
    """One line for a failed file operation, naming the path and what is wrong."""
    what = e.strerror or str(e)
    return f"{e.filename}: {what}" if e.filename else what


def check_out(out: str, option: str = "--out", *, force: bool = False, db: str | None = None) -> None:
    """Refuse an output path before any work is done (:func:`framework.publish.outputs.check_target`):
    a missing folder, a folder given as the file, the database ``db`` or its -wal/-shm (symlinks
    followed), an existing file without ``force`` (``--force``). CountyError (exit 2) naming the
    option and the path."""
    check_target(out, force=force, protect=protected(db), option=option)


def write_out(out: str, data, option: str = "--out", *, force: bool = False, db: str | None = None) -> None:
    """Write ``data`` (str as UTF-8, or bytes) to the file ``out`` through
    :func:`framework.publish.outputs.write_file`: checked as :func:`check_out`, written to a
    temporary file in the same folder and renamed (atomic). CountyError naming the option and
    the path."""
    write_file(out, data, force=force, protect=protected(db), option=option)


#: Exit code of a write that timed out waiting for the database lock (another writer held it):
#: retryable, ``EX_TEMPFAIL`` of sysexits.h (conventions §4, issue 14).
EXIT_BUSY = 75


def busy_timeout_ms() -> int:
    """How long a command waits for another writer's lock, in milliseconds: ``COUNTY_BUSY_TIMEOUT``
    (seconds, default 30), then exit :data:`EXIT_BUSY`. CountyError for a value that is not a
    number of seconds >= 0."""
    raw = os.environ.get("COUNTY_BUSY_TIMEOUT", "30")
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1
    if not seconds >= 0:
        raise CountyError(f"COUNTY_BUSY_TIMEOUT: {raw!r} is not a number of seconds (0 or more, e.g. 30)")
    return int(seconds * 1000)


def is_lock_timeout(e: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database is busy" (the busy timeout ran out)."""
    text = str(e).lower()
    return isinstance(e, sqlite3.OperationalError) and ("database is locked" in text or "database is busy" in text
                                                         or "database table is locked" in text)


def county_command(*, method: str | None = None, needs_county: bool = True):
    """Decorator for a ``county`` command: adds ``--db``, ``--now``, ``--json``, ``--debug``,
    opens the deployment and turns errors into one-line messages (conventions §4).

    A plugin's command passes ``method="NAME"``: its function then receives the method's
    :class:`framework.MethodContext` as first argument (``ctx``, with ``ctx.now`` from
    ``--now``) and ``as_json``; a deployment that does not enable the method is refused with
    exit 2. Kernel commands (no ``method``) receive the County. ``needs_county=False``: the
    function receives ``db``, ``now`` and ``as_json`` and opens nothing.
    """

    def deco(fn):
        @click.option("--debug", is_flag=True, hidden=True, help="Show tracebacks.")
        @click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
        @click.option("--now", envvar="COUNTY_NOW", help="The current time, ISO 8601 (default: the clock).")
        @click.option("--db", envvar="COUNTY_DB", default="county.db", show_default=True, help="Database file.")
        @functools.wraps(fn)
        def wrapper(db, now, as_json, debug, **kw):
            global _json_printed
            _utf8_streams()
            _json_printed = False
            try:
                if needs_county:
                    if not Path(db).exists():
                        raise CountyError(f"--db {db}: no such database; run `county init --config county.toml --db {db}` first")
                    store = Store(db, busy_timeout_ms=busy_timeout_ms())
                    for warning in store.warnings:  # e.g. WAL refused on a network file system (issue 14)
                        click.echo(f"warning: {warning}", err=True)
                    county = County(store, registry(methods_needed(store.get_meta("deployment"))))
                    if now:
                        county.clock.fixed = parse_instant(now, county.calendar.tz, what="--now")
                    global _calendar
                    _calendar = county.calendar
                    try:
                        if method is not None:
                            if method not in county.deployment.methods:
                                raise CountyError(f"{method} is not enabled in this deployment (enabled: "
                                                  f"{', '.join(county.deployment.methods) or 'none'}); add it to [deployment] methods")
                            return fn(county.ctx(method), as_json=as_json, **kw)
                        return fn(county, as_json=as_json, **kw)
                    finally:
                        for warning in county.calendar.warnings:  # one line each, never a Python warning
                            click.echo(f"warning: {warning}", err=True)
                        _calendar = None
                        store.db.conn.close()  # one command, one connection: none lingers (county shell, restore)
                return fn(db=db, now=now, as_json=as_json, **kw)
            except CountyError as e:
                if debug:
                    raise
                fail(str(e), e.exit_code, as_json)
            except BrokenPipeError:  # output piped into `head` and the like: stop quietly
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                sys.exit(0)
            except OSError as e:
                if debug:
                    raise
                fail(_os_error_message(e), 2, as_json)
            except UnicodeError as e:
                if debug:
                    raise
                fail(str(e), 2, as_json)
            except sqlite3.OperationalError as e:
                if debug:
                    raise
                if is_lock_timeout(e):  # retryable, not bad input (issue 14; conventions §4)
                    fail(f"database busy: another writer held {db} longer than the busy timeout ({e}); nothing was "
                         f"written — try again", EXIT_BUSY, as_json)
                fail(f"unexpected {type(e).__name__}: {e} (run again with --debug for details)", 2, as_json)
            except Exception as e:  # never a traceback for operators (conventions §4)
                if debug:
                    raise
                fail(f"unexpected {type(e).__name__}: {e} (run again with --debug for details)", 2, as_json)

        return wrapper

    return deco


def parse_sets(pairs) -> dict[str, str]:
    """``("KEY=VALUE", …)`` from ``--set`` options -> dict; CountyError on a pair without ``=``."""
    out = {}
    for p in pairs:
        if "=" not in p:
            raise CountyError(f"--set {p!r}: use KEY=VALUE")
        k, v = p.split("=", 1)
        out[k.strip()] = v
    return out


def read_table(path: str, encoding: str | None = None) -> list[dict]:
    """Rows of a CSV, XLSX or JSON list file (for plugin commands), read as ``county case
    import`` reads files: UTF-8 (with or without BOM) or GB18030/GBK detected, or ``encoding``.
    Values are text (a JSON list stays a list). For line numbers too, use
    :func:`framework.interchange.read_table`, which this wraps."""
    return [r.data for r in read_file_table(path, encoding=encoding)]
