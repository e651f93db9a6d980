"""Publishing commands: ``county board`` (公示), ``county appraise`` (考评), ``county serve``
(read-only web board) and ``county duties``.

公示、考评、只读网页公示栏、例行工作。
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import sys

import click

from framework.cli.core import check_out, cli, county_command, echo_table, emit, write_out
from framework.errors import CountyError
from framework.publish import render, reports
from framework.publish import serve as serving
from framework.publish.plain_table import FileConsole, TextParts


def _note_later_records(county) -> None:
    """On stderr, when the database holds cases taken in or resolved after ``--now``: the
    figures count every record, not only what was known at ``--now`` (found by a fresh data
    steward: ``appraise --period 2019-05 --now 2019-05-10`` counted cases of 05-20 silently)."""
    taken, resolved = county.recorded_after_now()
    if taken or resolved:
        click.echo(f"注意：库中有 {taken} 件事项的受理、{resolved} 件的办结晚于 --now {county.now().isoformat()}；"
                   f"以下按库中全部记录计算，并非 --now 当时的情况", err=True)


def _binary_needs_out(fmt: str, out: str | None) -> None:
    """Refuse ``--format xlsx`` without ``--out`` (with or without ``--json``: a workbook cannot
    go to stdout, and ``--json`` alone would silently print something else): CountyError
    (exit 2) naming the option."""
    if fmt == "xlsx" and not out:
        raise CountyError("--format xlsx is binary; give --out FILE.xlsx")


@cli.command()
@click.option("--unit", "units_", required=True, multiple=True,
              help="Unit code; repeat for several units (each starts on a new printed page).")
@click.option("--period", required=True, help="2026-11, 2026Q4, 2026H1/2026H2 or 2026")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "csv", "json", "xlsx"]), default="md", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists (never the database).")
@click.option("--templates", "template_dirs", multiple=True, type=click.Path(),
              help="Directory of Jinja2 templates searched before the plugins' and the kernel's (repeatable; env COUNTY_TEMPLATES).")
@county_command()
def board(county, as_json, units_, period, fmt, out, force, template_dirs):
    """Publicity output (公示栏/晒账) for a unit and period, personal data masked.

    With ``--json`` and no ``--out`` the boards themselves are the JSON document (a text
    ``--format`` gives way); ``--format xlsx`` (binary) needs ``--out`` with or without
    ``--json`` — refused (exit 2) before any work otherwise."""
    _binary_needs_out(fmt, out)
    if out:
        check_out(out, force=force, db=county.store.path)  # a bad path fails before the work
    _note_later_records(county)
    boards = [b for u in units_ for b in county.boards(u, period)]
    if as_json and not out:
        fmt = "json"  # the boards themselves are the one JSON document
    data = render.render(boards, fmt, county=county, template_dirs=template_dirs)
    if out:
        write_out(out, data, force=force, db=county.store.path)
        emit({"out": out, "format": fmt, "boards": len(boards)}, as_json,
             lambda d: click.echo(f"已写入 {out}（公示栏 {len(boards)} 块，{fmt}）"))
    elif isinstance(data, bytes):
        raise CountyError(f"--format {fmt} is binary; give --out FILE.{fmt}")
    else:
        click.echo(data, nl=not data.endswith("\n"))
    if county.board_failures:  # isolation per plugin (issue 14): the rest were posted
        for f in county.board_failures:
            click.echo(f"error: board {f['unit']} {f['period']}: {f['error']}", err=True)
        click.echo(f"error: board: {len(county.board_failures)} method(s) failed; {len(boards)} board(s) posted "
                   f"without them", err=True)
        sys.exit(1)


@cli.command()
@click.option("--period", required=True, help="2026-11, 2026Q4, 2026H1/2026H2 or 2026")
@click.option("--unit", help="Limit to this unit's subtree (default: the whole deployment).")
@click.option("--format", "fmt", type=click.Choice(["table", "xlsx", "html"]), default="table", show_default=True,
              help="table: terminal; xlsx: workbook; html: standalone report with charts.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists (never the database).")
@click.option("--min-cases", type=int, default=None,
              help="Cases a unit needs before it is ranked (default: env COUNTY_MIN_CASES_TO_RANK, "
                   "[deployment] min_cases_to_rank, else 5).")
@click.option("--templates", "template_dirs", multiple=True, type=click.Path(),
              help="Directory of Jinja2 templates searched first (appraisal.html).")
@county_command()
def appraise(county, as_json, period, unit, fmt, out, force, min_cases, template_dirs):
    """Appraisal (考评) per unit, method and tier, plus each method's own scores.

    With ``--json`` and no ``--out`` the metrics are the JSON document; ``--format xlsx``
    (binary) needs ``--out`` with or without ``--json`` — refused (exit 2) before any work."""
    _binary_needs_out(fmt, out)
    if out:
        check_out(out, force=force, db=county.store.path)  # a bad path fails before the work
    threshold = reports.min_cases_setting(county, min_cases)
    _note_later_records(county)
    with _collector_resting():
        _appraise(county, as_json, period, unit, fmt, out, force, threshold, template_dirs)


@contextlib.contextmanager
def _collector_resting():
    """Python's cyclic garbage collector rests inside (and is on again after, if it was):
    an appraisal holds tens of thousands of metrics, rows and cells till it is written, none
    of them in a cycle, and each full collection walks them all for nothing (2–3 of them,
    ~0.1 s of a year's appraisal at 1 M cases; issue 13). Reference counting frees
    everything else as usual."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _appraise(county, as_json, period, unit, fmt, out, force, threshold, template_dirs) -> None:
    """The work of ``county appraise`` once its options are checked (see :func:`appraise`)."""
    metrics = county.appraise(period, unit)
    if as_json and not out:
        emit(reports.public_metrics(metrics), True)  # the metrics, labels masked, are the one JSON document
        return
    report = reports.build_report(county, period, unit, min_cases=threshold, metrics=metrics,
                                  trend=(fmt == "html"))
    if fmt == "table" and not out:
        reports.render_table(report, county)
        return
    if fmt == "table":
        buf = TextParts()  # rich's console is loaded only if a table needs its layout
        reports.render_table(report, county, FileConsole(buf, width=160))
        data = buf.getvalue()
    else:
        data = (reports.render_xlsx(report, county) if fmt == "xlsx"
                else reports.render_html(report, county, template_dirs))
    if out:
        write_out(out, data, force=force, db=county.store.path)
        emit({"out": out, "format": fmt, "rows": len(report.rows), "metrics": len(metrics)}, as_json,
             lambda d: click.echo(f"已写入 {out}（考评 {len(report.rows)} 行，{fmt}）"))
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
@click.option("--force", is_flag=True, help="Replace public.db and metadata.json if they exist (never the database).")
@county_command()
def serve(county, as_json, periods, out_dir, host, port, no_run, force):
    """Read-only web board (datasette) over a masked snapshot of this database."""
    if not no_run:  # the missing extra first: nothing written, nothing claimed
        serving.require_datasette()
    res = serving.serve(county, out_dir, list(periods), host, port, run=False, force=force)
    c = res["counts"]
    emit(res, as_json, lambda r: click.echo(
        f"已写入 {r['db']}：公示栏 {c['boards']} 块、{c['board_rows']} 行，事项 {c['cases']} 件，"
        f"考评指标 {c['appraisal']} 项，个人信息均已脱敏" + ("" if no_run else f"；服务地址 {r['url']}（Ctrl-C 停止）")))
    if not no_run:
        serving.run_datasette(res["command"])


@cli.command()
@click.option("--date", "on_date", help="YYYY-MM-DD (default: the local date of --now)")
@click.option("--unit")
@county_command()
def duties(county, as_json, on_date, unit):
    """Recurring duties due on a date across enabled methods (patrols, visits, meetings)."""
    try:
        day = dt.date.fromisoformat(on_date) if on_date else county.now().date()
    except ValueError:
        raise CountyError(f"--date: {on_date!r} is not a date (YYYY-MM-DD)") from None
    ds = county.duties(day, unit)
    emit(ds, as_json, lambda d: echo_table([["done" if x.done else "DUE", x.method or "-", x.unit or "-", x.title]
                                            for x in d]))  # aligned by display width (issue 17)
