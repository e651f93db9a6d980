"""The operator CLI, ``county`` (conventions §4).

Every command takes ``--db`` (env ``COUNTY_DB``), ``--now`` (env ``COUNTY_NOW``), ``--json`` and
``--debug``; errors are one line on stderr with exit 2 (bad input) or 1 (domain refusal).
Plugins add groups through ``county_register_commands``; they decorate their commands with
:func:`county_command` and receive a :class:`framework.kernel.county.County` as first argument.
"""

from __future__ import annotations

import functools
import io
import json
import os
import sys
from pathlib import Path

import click

from framework.kernel.config import load_config
from framework.kernel.county import County, case_json
from framework.errors import CountyError
from framework.models import STATUSES, Requester, to_json
from framework.kernel.registry import Registry
from framework.store.db import Store
from framework.timerules import parse_instant

_registry: Registry | None = None


def registry() -> Registry:
    global _registry
    if _registry is None:
        _registry = Registry()
    return _registry


def _utf8_streams() -> None:
    for s in (sys.stdout, sys.stderr):
        try:
            s.reconfigure(encoding="utf-8")
        except Exception:
            pass


#: Whether the running command has printed its JSON document (so an error after it, e.g. a
#: report followed by a refusal, does not print a second one).
_json_printed = False


def emit(data, as_json: bool, human=None) -> None:
    """Print ``data`` as exactly one JSON document (``--json``) or via ``human(data)``."""
    global _json_printed
    if as_json:
        click.echo(json.dumps(to_json(data), ensure_ascii=False, indent=2, default=str))
        _json_printed = True
    elif human is not None:
        human(data)
    else:
        click.echo(data)


def fail(message: str, exit_code: int, as_json: bool) -> None:
    """End a command with an error: one line ``error: …`` on stderr, plus (``--json``, unless
    the command has already printed its JSON document) exactly one JSON document
    ``{"error": message, "exit_code": N}`` on stdout; exit ``exit_code``."""
    if as_json and not _json_printed:
        click.echo(json.dumps({"error": message, "exit_code": exit_code}, ensure_ascii=False))
    click.echo(f"error: {message}", err=True)
    sys.exit(exit_code)


def _os_error_message(e: OSError) -> str:
    """One line for a failed file operation, naming the path and what is wrong."""
    what = e.strerror or str(e)
    return f"{e.filename}: {what}" if e.filename else what


def check_out(out: str, option: str = "--out") -> None:
    """Refuse an output path that cannot be written (before any work is done): a missing
    folder, a file where the folder should be, a folder given as the file. CountyError (exit 2)
    naming the option and the path."""
    p = Path(out)
    parent = p.parent
    if not parent.exists():
        raise CountyError(f"{option} {out}: folder does not exist")
    if not parent.is_dir():
        raise CountyError(f"{option} {out}: {parent} is not a folder")
    if p.is_dir():
        raise CountyError(f"{option} {out}: is a folder; give a file name")


def write_out(out: str, data, option: str = "--out") -> None:
    """Write ``data`` (str or bytes) to the file ``out`` (checked by :func:`check_out`); an
    OS error is a CountyError naming the option and the path."""
    check_out(out, option)
    p = Path(out)
    try:
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    except OSError as e:
        raise CountyError(f"{option} {out}: cannot write: {e.strerror or e}") from None


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
                    store = Store(db)
                    county = County(store, registry())
                    if now:
                        county.clock.fixed = parse_instant(now, county.calendar.tz, what="--now")
                    if method is not None:
                        if method not in county.deployment.methods:
                            raise CountyError(f"{method} is not enabled in this deployment (enabled: "
                                              f"{', '.join(county.deployment.methods) or 'none'}); add it to [deployment] methods")
                        return fn(county.ctx(method), as_json=as_json, **kw)
                    return fn(county, as_json=as_json, **kw)
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
            except Exception as e:  # never a traceback for operators (conventions §4)
                if debug:
                    raise
                fail(f"unexpected {type(e).__name__}: {e} (run again with --debug for details)", 2, as_json)

        return wrapper

    return deco


class CountyGroup(click.Group):
    """The root group: loads plugin commands lazily so that a broken plugin never stops it."""

    _loaded_for = None  # the registry whose plugins' commands are loaded

    def _load(self):
        reg = registry()
        if self._loaded_for is not reg:
            self._loaded_for = reg
            for name in reg.methods:
                try:
                    reg.call_one(name, "register_commands", cli=self)
                except CountyError as e:
                    reg.broken.setdefault(name, str(e))

    def list_commands(self, ctx):
        self._load()
        return super().list_commands(ctx)

    def get_command(self, ctx, name):
        self._load()
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        """Usage errors click finds itself (a missing option, a bad choice, an unknown command)
        become one line on stderr naming the command, plus one JSON document on stdout when
        ``--json`` was given (conventions §4); exit 2."""
        protected = getattr(ctx, "_protected_args", None)
        if protected is None:  # click < 8.2
            protected = ctx.protected_args
        rest = [*protected, *ctx.args]
        try:
            return super().invoke(ctx)
        except click.ClickException as e:
            if "--" in rest:
                rest = rest[:rest.index("--")]
            path = e.ctx.command_path if getattr(e, "ctx", None) is not None else "county"
            message = f"{path}: {e.format_message()}"
            if isinstance(e, click.exceptions.NoArgsIsHelpError):  # `county case`: its help, then one line
                if "--json" not in rest:
                    click.echo(e.ctx.get_help())
                message = f"{path}: missing command"
            if "--json" in rest:
                click.echo(json.dumps({"error": message, "exit_code": e.exit_code}, ensure_ascii=False))
            # one line, as every other error (conventions §4), with where to look for help
            click.echo(f"error: {message} (see `{path} --help`)", err=True)
            sys.exit(e.exit_code)


@click.group(cls=CountyGroup)
@click.version_option(package_name="county-methods", prog_name="county")
def cli():
    """county: run a county's citizen-service work methods (工作法) as plugins."""


# -- init, plugins --------------------------------------------------------------------------


@cli.command()
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="Deployment TOML file.")
@county_command(needs_county=False)
def init(db, now, as_json, config_path):
    """Create or update the database from a deployment file (county.toml)."""
    dep = load_config(config_path)
    county = County.init(Store(db), dep, registry())
    summary = {"db": db, "deployment": dep.name, "methods": dep.methods, "units": len(county.units),
               "people": len(county.people), "bindings": dep.bindings}
    emit(summary, as_json, lambda s: click.echo(
        f"initialised {s['db']}: {s['deployment']}, methods {', '.join(s['methods'])}, "
        f"{s['units']} units, {s['people']} people"))


@cli.group()
def plugins():
    """Method plugins found on this machine."""


def _enabled_methods(db: str) -> list[str] | None:
    if not Path(db).exists():
        return None
    try:
        dep = Store(db).get_meta("deployment")
    except CountyError:
        return None
    return dep.get("methods") if dep else None


@plugins.command("list")
@county_command(needs_county=False)
def plugins_list(db, now, as_json):
    """Every method found (built-in and installed): version, stages, enabled or not."""
    reg = registry()
    enabled = _enabled_methods(db)
    rows = []
    for name, info in sorted(reg.methods.items()):
        rows.append({"name": name, "title_zh": info.title_zh, "title": info.title, "version": info.version,
                     "source": " ".join(str(x) for x in (info.source_county, info.source_lines) if x) or "-",
                     "stages": list(info.stages),
                     "tiers": [t.name for t in info.tiers], "distribution": reg.dists.get(name),
                     "enabled": (name in enabled) if enabled is not None else None, "broken": None})
    for name, why in sorted(reg.broken.items()):
        rows.append({"name": name, "broken": why, "enabled": (name in enabled) if enabled is not None else None})

    def human(rows):
        for r in rows:
            if r.get("broken"):
                click.echo(f"{r['name']:<12} BROKEN: {r['broken']}")
                continue
            flag = {True: "enabled", False: "-", None: ""}[r["enabled"]]
            click.echo(f"{r['name']:<12} {r['version'] or '-':<8} {r['title_zh'] or r['title'] or '-'}（{r['source']}） "
                       f"stages: {', '.join(r['stages'])} {flag}")

    emit(rows, as_json, human)


@plugins.command("show")
@click.argument("name")
@county_command(needs_county=False)
def plugins_show(db, now, as_json, name):
    """One method's declaration: channels, categories, tiers, roles, settings."""
    reg = registry()
    from framework.kernel.stages import require_method

    info = require_method(reg, name)

    def human(i):
        click.echo(f"{i.name}: {i.title_zh or '-'} — {i.title or '-'} ({i.source_county or '-'}, {i.source_lines or '-'}), "
                   f"v{i.version or '-'}")
        click.echo(f"stages: {', '.join(i.stages) or '-'}")
        if not i.tiers:
            click.echo(f"tiers: none ({i.name} has no escalation chain; its cases are not escalated)")
        click.echo("channels: " + ", ".join(f"{k}={v}" for k, v in i.channels.items()))
        click.echo("categories: " + ", ".join(f"{k}={v}" for k, v in i.categories.items()))
        for t in i.tiers:
            click.echo(f"tier {t.name} ({t.title_zh or '-'}, units of level {t.level or '-'}): {t.rule or '-'} [{t.source or '-'}]")
        for s in i.settings:
            click.echo(f"setting {s.name} = {s.default!r}: {s.description}")

    emit(info, as_json, human)


# -- units and people ---------------------------------------------------------------------------


def read_table(path: str, encoding: str | None = None) -> list[dict]:
    """Rows of a CSV, XLSX or JSON list file (for plugin commands), read as ``county case
    import`` reads files: UTF-8 (with or without BOM) or GB18030/GBK detected, or ``encoding``.
    Values are text (a JSON list stays a list). For line numbers too, use
    :func:`framework.interchange.importers.read_table`, which this wraps."""
    from framework.interchange.importers import read_table as _read_table

    return [r.data for r in _read_table(path, encoding=encoding)]


@cli.group()
def units():
    """The unit tree (单位)."""


@units.command("import")
@click.argument("file")
@click.option("--encoding", default=None, help="Text encoding of a CSV/JSON file (default: UTF-8 or GB18030/GBK, detected).")
@county_command()
def units_import(county, as_json, file, encoding):
    """Load units from CSV/XLSX/JSON with columns code, name, level, parent."""
    from framework.interchange.importers import read_table as _read_table

    rows = _read_table(file, encoding=encoding, required=("code", "name", "level"))
    n = county.import_units([r.data for r in rows], file, [r.line for r in rows])
    emit({"imported": n}, as_json, lambda d: click.echo(f"{n} units imported"))


@units.command("list")
@county_command()
def units_list(county, as_json):
    """List the unit tree."""
    rows = list(county.units.values())

    def human(rows):
        def walk(code, depth):
            u = county.units[code]
            click.echo(f"{'  ' * depth}{u.code}  {u.name}  ({u.level or '-'})")
            for c in sorted(county.children(code)):
                walk(c, depth + 1)

        for r in county.roots():
            walk(r.code, 0)

    emit(rows, as_json, human)


@cli.group()
def people():
    """People who handle cases (责任人)."""


@people.command("import")
@click.argument("file")
@click.option("--encoding", default=None, help="Text encoding of a CSV/JSON file (default: UTF-8 or GB18030/GBK, detected).")
@county_command()
def people_import(county, as_json, file, encoding):
    """Load people from CSV/XLSX/JSON with columns id, name, unit, roles, skills, phone."""
    from framework.interchange.importers import read_table as _read_table

    rows = _read_table(file, encoding=encoding, required=("id", "name", "unit"))
    n = county.import_people([r.data for r in rows], file, [r.line for r in rows])
    emit({"imported": n}, as_json, lambda d: click.echo(f"{n} people imported"))


@people.command("list")
@county_command()
def people_list(county, as_json):
    """List people (phone numbers masked)."""
    from framework.publish.masking import mask_phone

    rows = [{"id": p.id, "name": p.name, "unit": p.unit, "roles": p.roles, "skills": p.skills,
             "phone": mask_phone(p.phone)} for p in county.people.values()]
    emit(rows, as_json, lambda rs: [click.echo(f"{r['id']:<10} {r['name'] or '-':<6} {r['unit'] or '-':<14} "
                                                f"{','.join(r['roles'] or []) or '-'}") for r in rs])


# -- cases --------------------------------------------------------------------------------------


@cli.group()
def case():
    """Cases (事项): take in, read, act."""


def _print_case(c) -> None:
    click.echo(f"{c.id}  [{c.method}] {c.title}")
    click.echo(f"  status {c.status}, tier {c.level or '-'}, unit {c.unit or '-'}, handler {c.handler or '-'}")
    click.echo(f"  created {c.created_at.isoformat() if c.created_at else '-'}, due {c.due_at.isoformat() if c.due_at else '-'}"
               + (f", resolved {c.resolved_at.isoformat()}" + (f" at {c.resolved_level}" if c.resolved_level else "")
                  if c.resolved_at else ""))
    for e in c.events:
        click.echo(f"    {e.at.isoformat()}  {e.type:<10} {e.level or '':<14} {e.note or ''}")


def parse_sets(pairs) -> dict[str, str]:
    """``("KEY=VALUE", …)`` from ``--set`` options -> dict; CountyError on a pair without ``=``."""
    out = {}
    for p in pairs:
        if "=" not in p:
            raise CountyError(f"--set {p!r}: use KEY=VALUE")
        k, v = p.split("=", 1)
        out[k.strip()] = v
    return out


@case.command("add")
@click.option("--method", required=True)
@click.option("--unit", required=True)
@click.option("--title", required=True)
@click.option("--channel")
@click.option("--category")
@click.option("--description")
@click.option("--requester-name")
@click.option("--requester-phone")
@click.option("--requester-id-number")
@click.option("--requester-address")
@click.option("--anonymous", is_flag=True, help="The requester asks not to be named on any public output.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Method-specific field (lands in extra).")
@county_command()
def case_add(county, as_json, method, unit, title, channel, category, description, requester_name,
             requester_phone, requester_id_number, requester_address, anonymous, sets):
    """Take one case in (intake -> triage -> assignment -> deadline)."""
    c = county.add_case(method, unit, title, channel=channel, category=category, description=description,
                        requester=Requester(requester_name, requester_phone, requester_id_number, requester_address, anonymous),
                        fields=parse_sets(sets))
    emit(case_json(c), as_json, lambda d: _print_case(c))


@case.command("show")
@click.argument("case_id")
@county_command()
def case_show(county, as_json, case_id):
    """One case with its events."""
    c = county.get_case(case_id)
    emit(case_json(c), as_json, lambda d: _print_case(c))


@case.command("list")
@click.option("--status", type=click.Choice(STATUSES))
@click.option("--unit")
@click.option("--method")
@click.option("--overdue", is_flag=True, help="Open cases past their due instant at --now.")
@click.option("--limit", type=int)
@county_command()
def case_list(county, as_json, status, unit, method, overdue, limit):
    """List cases."""
    cases = county.list_cases(status=status, unit=unit, method=method, overdue=overdue, limit=limit)

    def human(_):
        for c in cases:
            click.echo(f"{c.id}  {c.status:<10} {c.level or '-':<14} due {c.due_at.isoformat() if c.due_at else '-':<25} {c.title}")
        click.echo(f"{len(cases)} case(s)")

    emit([case_json(c, events=False) for c in cases], as_json, human)


@case.command("assign")
@click.argument("case_id")
@click.option("--handler")
@click.option("--unit")
@click.option("--note")
@county_command()
def case_assign(county, as_json, case_id, handler, unit, note):
    """Give a case to a person or a unit (a unit at a later tier moves it there)."""
    c = county.assign(case_id, handler=handler, unit=unit, note=note)
    emit(case_json(c), as_json, lambda d: _print_case(c))


@case.command("resolve")
@click.argument("case_id")
@click.option("--note", required=True)
@county_command()
def case_resolve(county, as_json, case_id, note):
    """Mark a case resolved (办结) at --now."""
    c = county.resolve(case_id, note)
    emit(case_json(c), as_json, lambda d: _print_case(c))


@case.command("confirm")
@click.argument("case_id")
@click.option("--satisfaction", required=True, type=click.Choice(["satisfied", "basically", "unsatisfied"]))
@click.option("--note")
@county_command()
def case_confirm(county, as_json, case_id, satisfaction, note):
    """The requester's signed confirmation and rating (签字确认)."""
    c = county.confirm(case_id, satisfaction, note)
    emit(case_json(c), as_json, lambda d: _print_case(c))


@case.command("escalate")
@click.argument("case_id")
@click.option("--reason")
@county_command()
def case_escalate(county, as_json, case_id, reason):
    """Move a case to the next tier of its chain now (上报)."""
    c = county.escalate(case_id, reason)
    emit(case_json(c), as_json, lambda d: _print_case(c))


# -- sweep, board, appraise, duties -------------------------------------------------------------


@cli.command()
@county_command()
def sweep(county, as_json):
    """Find overdue cases and escalate or flag them per their method's chain (督办)."""
    actions = county.sweep()

    def human(acts):
        for a in acts:
            if a["action"] == "escalate":
                arrow = f"{a['from'] or '-'} -> {a['to'] or '-'}"
            else:
                arrow = f"flagged at {a['from']}" if a["from"] else "flagged (no escalation chain)"
            click.echo(f"{a['case']}  {a['milestone']} (due {a['due_at'] or '-'}) missed: {arrow}")
        click.echo(f"{len(acts)} action(s) at {county.now().isoformat()}")

    emit({"now": county.now().isoformat(), "actions": actions}, as_json, lambda d: human(actions))


@cli.command()
@click.option("--unit", "units_", required=True, multiple=True,
              help="Unit code; repeat for several units (each starts on a new printed page).")
@click.option("--period", required=True, help="2026-11, 2026Q4 or 2026")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "csv", "json", "xlsx"]), default="md", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--templates", "template_dirs", multiple=True, type=click.Path(),
              help="Directory of Jinja2 templates searched before the plugins' and the kernel's (repeatable; env COUNTY_TEMPLATES).")
@county_command()
def board(county, as_json, units_, period, fmt, out, template_dirs):
    """Publicity output (公示栏/晒账) for a unit and period, personal data masked."""
    from framework.publish import render

    if out:
        check_out(out)  # a bad path fails before the work
    boards = [b for u in units_ for b in county.boards(u, period)]
    if as_json and not out:
        fmt = "json"  # the boards themselves are the one JSON document
    data = render.render(boards, fmt, county=county, template_dirs=template_dirs)
    if out:
        write_out(out, data)
        emit({"out": out, "format": fmt, "boards": len(boards)}, as_json,
             lambda d: click.echo(f"wrote {out} ({len(boards)} board(s), {fmt})"))
    elif isinstance(data, bytes):
        raise CountyError(f"--format {fmt} is binary; give --out FILE.{fmt}")
    else:
        click.echo(data, nl=not data.endswith("\n"))


@cli.command()
@click.option("--period", required=True, help="2026-11, 2026Q4 or 2026")
@click.option("--unit", help="Limit to this unit's subtree (default: the whole deployment).")
@click.option("--format", "fmt", type=click.Choice(["table", "xlsx", "html"]), default="table", show_default=True,
              help="table: terminal; xlsx: workbook; html: standalone report with charts.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--min-cases", type=int, default=None,
              help="Cases a unit needs before it is ranked (default: env COUNTY_MIN_CASES_TO_RANK, "
                   "[deployment] min_cases_to_rank, else 5).")
@click.option("--templates", "template_dirs", multiple=True, type=click.Path(),
              help="Directory of Jinja2 templates searched first (appraisal.html).")
@county_command()
def appraise(county, as_json, period, unit, fmt, out, min_cases, template_dirs):
    """Appraisal (考评) per unit, method and tier, plus each method's own scores."""
    from framework.publish import reports

    if out:
        check_out(out)  # a bad path fails before the work
    threshold = reports.min_cases_setting(county, min_cases)
    metrics = county.appraise(period, unit)
    if as_json and not out:
        emit(metrics, True)  # the metrics themselves are the one JSON document
        return
    report = reports.build_report(county, period, unit, min_cases=threshold, metrics=metrics,
                                  trend=(fmt == "html"))
    if fmt == "table" and not out:
        reports.render_table(report, county)
        return
    if fmt == "table":
        from rich.console import Console

        buf = io.StringIO()
        reports.render_table(report, county, Console(file=buf, width=160))
        data = buf.getvalue()
    else:
        data = (reports.render_xlsx(report, county) if fmt == "xlsx"
                else reports.render_html(report, county, template_dirs))
    if out:
        write_out(out, data)
        emit({"out": out, "format": fmt, "rows": len(report.rows), "metrics": len(metrics)}, as_json,
             lambda d: click.echo(f"wrote {out} ({len(report.rows)} row(s), {fmt})"))
    elif isinstance(data, bytes):
        raise CountyError(f"--format {fmt} is binary; give --out FILE.{fmt}")
    else:
        click.echo(data)


@cli.command()
@click.option("--period", "periods", required=True, multiple=True, help="Period to publish (repeatable).")
@click.option("--out-dir", default="public-board", show_default=True, type=click.Path(file_okay=False),
              help="Where the masked snapshot (public.db) and datasette metadata are written.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--no-run", is_flag=True, help="Only build the masked snapshot; do not start datasette.")
@county_command()
def serve(county, as_json, periods, out_dir, host, port, no_run):
    """Read-only web board (datasette) over a masked snapshot of this database."""
    from framework.publish import serve as serving

    res = serving.serve(county, out_dir, list(periods), host, port, run=False)
    c = res["counts"]
    emit(res, as_json, lambda r: click.echo(
        f"wrote {r['db']}: {c['boards']} board(s), {c['board_rows']} row(s), {c['cases']} case(s), "
        f"{c['appraisal']} metric(s), all masked" + ("" if no_run else f"; serving {r['url']} (Ctrl-C stops)")))
    if not no_run:
        serving.run_datasette(res["command"])


@cli.command()
@click.option("--date", "on_date", help="YYYY-MM-DD (default: the local date of --now)")
@click.option("--unit")
@county_command()
def duties(county, as_json, on_date, unit):
    """Recurring duties due on a date across enabled methods (patrols, visits, meetings)."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat(on_date) if on_date else county.now().date()
    except ValueError:
        raise CountyError(f"--date: {on_date!r} is not a date (YYYY-MM-DD)") from None
    ds = county.duties(day, unit)
    emit(ds, as_json, lambda d: [click.echo(f"{'done' if x.done else 'DUE '}  {x.method or '-':<10} {x.unit or '-':<14} "
                                            f"{x.title}") for x in d])


@cli.command()
@county_command(needs_county=False)
def shell(db, now, as_json):
    """Interactive admin shell over the same commands (type `case list`, `sweep`, `:q`)."""
    from click_repl import repl

    ctx = click.get_current_context()
    click.echo("county shell — commands as on the command line; --db is remembered; :q to quit")
    os.environ["COUNTY_DB"] = db
    if now:
        os.environ["COUNTY_NOW"] = now
    repl(ctx.parent or ctx)
