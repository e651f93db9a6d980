"""CLI commands for bulk input and interchange: ``county case import``, ``county export``,
``county triage``, ``county demo`` (issue: real input). Registered on
:data:`framework.cli.core.cli` at import.

批量导入、对外导出、留言分类与演示命令。
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from framework.cli.cases import check_filters
from framework.cli.core import case, check_out, cli, county_command, emit, parse_sets, write_out
from framework.demo.run import run_demo
from framework.errors import CountyError
from framework.interchange import (
    FORMATS, ImportReport, KeywordRule, TextClassifier, builtin_mappings, import_file, load_labelled, load_taxonomy,
    open311,
)
from framework.interchange.triage import require_ml
from framework.publish.outputs import protected


def _progress_bar(enabled: bool):
    """A rich progress bar on stderr (``None`` when disabled, e.g. with ``--json``, or when stderr
    is not a terminal: a script's log gets no bar and no stray blank line).
    Returns ``(callback(done, total), close())``."""
    if not enabled or not sys.stderr.isatty():
        return None, lambda: None
    # rich (~25 ms) is loaded by the commands that show a bar, not by every `county` command
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    prog = Progress(TextColumn("导入 importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True)
    state = {"task": None}

    def cb(done, total):
        if state["task"] is None:
            prog.start()
            state["task"] = prog.add_task("import", total=total)
        prog.update(state["task"], completed=done)

    def close():
        if state["task"] is not None:
            prog.stop()

    return cb, close


@case.command("import")
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Default: from the mapping or the file suffix.")
@click.option("--method", help="The method that takes every row in (default: the mapping's; for an Open311 file, "
              "each request's service in the county file's [open311], else its default_method — docs/open311.md).")
@click.option("--mapping", help=f"A column-mapping TOML file or a built-in name "
                                f"({', '.join(builtin_mappings())}).")
@click.option("--encoding", help="CSV text encoding (default: detected; utf-8, utf-8-sig, gbk, gb18030).")
@click.option("--unit", help="Put every row at this unit (overrides the mapping's [units] rules and, for an "
              "Open311 file, the [open311] service's unit and default_unit).")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE",
              help="A fixed value for every row, over the mapping (e.g. category=livelihood, extra.KEY=V).")
@click.option("--taxonomy", "taxonomy_file", type=click.Path(dir_okay=False),
              help="A 3-level taxonomy (一级/二级/三级分类, e.g. 附件1.xlsx) whose names the topic proposals "
                   "use (mappings with topic = \"classify\").")
@click.option("--all-or-nothing", is_flag=True, help="Take no row when any row is refused.")
@click.option("--replay-sweeps", is_flag=True,
              help="Take historical rows in time order with the nightly sweeps between them, so cases "
                   "answered late are escalated before their reply, as they would have been.")
@county_command()
def case_import(county, as_json, file, fmt, method, mapping, encoding, unit, sets, taxonomy_file, all_or_nothing,
                replay_sweeps):
    """Bulk intake from CSV, XLSX, JSON or Open311 (JSON/XML), historical instants kept.

    Every good row is taken; every refused row is reported with its line and reason (exit 2
    when any was refused). Rows whose source id was taken before are skipped."""
    cb, close = _progress_bar(not as_json)
    try:
        rep = import_file(county, file, fmt=fmt, method=method, mapping=mapping, encoding=encoding, unit=unit,
                          constants=parse_sets(sets) or None, all_or_nothing=all_or_nothing, taxonomy=taxonomy_file,
                          replay_sweeps=replay_sweeps, progress=cb)
    finally:
        close()
    _report(rep, as_json)
    if rep.refused:
        sys.exit(2)


SHOW_REFUSED = 50


#: Refused rows sharing one field and reason at least this often are told in one line.
SAME_REASON_ROWS = 5


def _refusal_lines(rep: ImportReport) -> list[str]:
    """The refused rows' lines without --json: a reason shared by :data:`SAME_REASON_ROWS` rows
    or more (a file-level problem, e.g. no ``--unit`` for any row) once, naming how many rows
    and the first lines (``FILE: 52 rows (lines 2, 3, 4, … 53): unit: …``), at its first row's
    place; every other row on its own line."""
    groups: dict[tuple, list] = {}
    for r in rep.refused:
        groups.setdefault((r.field, r.reason), []).append(r)
    out, told = [], set()
    for r in rep.refused:
        key = (r.field, r.reason)
        rows = groups[key]
        if len(rows) < SAME_REASON_ROWS:
            out.append(r.message(rep.file))
        elif key not in told:
            told.add(key)
            records = all(x.item for x in rows)  # a JSON file: one line, its records numbered
            where = [x.item if records else x.line for x in rows]
            shown = ", ".join(str(w) for w in where[:5]) + (f", … {where[-1]}" if len(where) > 5 else "")
            out.append(f"{rep.file}: {len(rows)} rows ({'records' if records else 'lines'} {shown}): "
                       + (f"{r.field}: " if r.field else "") + r.reason)
    return out


def _report(rep: ImportReport, as_json: bool) -> None:
    """Refused rows on stderr (one line each, a reason shared by many rows once; the first 50
    lines without --json, every row with it), then the summary."""
    if as_json:
        emit(rep.to_dict(), True)
        lines = [r.message(rep.file) for r in rep.refused]
    else:
        lines = _refusal_lines(rep)
    for line in lines[:SHOW_REFUSED] if not as_json else lines:
        click.echo(f"error: {line}", err=True)
    if not as_json and len(lines) > SHOW_REFUSED:
        click.echo(f"error: … and {len(lines) - SHOW_REFUSED} more line(s) of refused rows; --json lists every row",
                   err=True)
    if as_json:
        return
    enc = f"，编码 {rep.encoding}" if rep.encoding and rep.format == "csv" else ""
    if rep.services:
        click.echo(f"{rep.file}：已保存 Open311 服务 {rep.services} 项（格式 {rep.format}{enc}）")
        return
    took = "未受理（--all-or-nothing：有拒收行则一行不收）" if rep.all_or_nothing and rep.refused else f"受理 {rep.taken}"
    click.echo(f"{rep.file}：共 {rep.rows} 行，{took} 行为 {rep.method} 事项（其中历史办结 {rep.resolved}），"
               f"跳过已导入 {rep.skipped}" + (f"（其中 {rep.resumed} 件未办结，已按来源补记答复）" if rep.resumed else "")
               + f"，拒收 {len(rep.refused)} — 格式 {rep.format}{enc}，映射 {rep.mapping}，"
               f"{rep.seconds:.1f} 秒")
    if rep.first_case:
        click.echo(f"事项 {rep.first_case} … {rep.last_case}")


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["open311", "csv"]), required=True)
@click.option("--what", type=click.Choice(["requests", "services"]), default="requests", show_default=True,
              help="open311 only: the cases (requests) or the stored Open311 services list.")
@click.option("--method", help="Only cases of this method (enabled in the deployment).")
@click.option("--status", help="Only cases with this status: a code or its Chinese name (resolved or 已办结, …).")
@click.option("--public", is_flag=True, help="Mask personal data as on boards (conventions §3).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists (never the database).")
@county_command()
def export(county, as_json, fmt, what, method, status, public, out, force):
    """Interchange: cases as Open311 GeoReport v2 JSON (our tiers, events and satisfaction in
    extended_attributes.county) or as CSV."""
    method, status = check_filters(county, method, status)  # a bad filter is refused, not an empty file
    if out:
        check_out(out, force=force, db=county.store.path)  # a bad path fails before the work
    if fmt == "open311":
        data = open311.export_services(county) if what == "services" else \
            open311.export_open311(county, method=method, status=status, public=public)
        text = json.dumps(data, ensure_ascii=False, indent=2)
        n = len(data)
    else:
        if what == "services":
            raise CountyError("--what services: only with --format open311")
        text = open311.export_csv(county, method=method, status=status, public=public)
        n = len(county.list_cases(method=method, status=status))
    if out:
        write_out(out, text, force=force, db=county.store.path)
        msg = f"已写入 {out}（{'服务' if what == 'services' else '事项'} {n} {'项' if what == 'services' else '件'}，{fmt}）"
        if as_json:
            emit({"out": out, "count": n, "format": fmt}, True)
        else:
            click.echo(msg)
    elif fmt == "csv" and as_json:
        emit({"format": "csv", "count": n, "csv": text}, True)
    else:
        click.echo(text, nl=False) if fmt == "csv" else click.echo(text)


@cli.command("demo")
@click.option("--out", "out_dir", default="demo-out", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the database, boards and appraisal.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="The real-data folder (default: env COUNTY_DATA, else ../shared/data/real next to the repo).")
@click.option("--sample", is_flag=True, help="Use the small built-in sample even when real data are present.")
@click.option("--limit", type=int, help="Load only the first N messages (quick look).")
@click.option("--force", is_flag=True, help="Rebuild over an earlier demo in --out (its demo.db, county.toml, boards).")
@county_command(needs_county=False)
def demo(db, now, as_json, out_dir, data_dir, sample, limit, force):
    """Build a demo county with every installed method, load real citizen messages as taizhang
    cases (arrival = 留言时间, resolution = 答复时间), replay the nightly sweeps month by month,
    and write boards and the appraisal to --out."""
    check_demo_out(out_dir, force=force, db=db)
    summary = run_demo(out_dir, data_dir=data_dir, use_sample=sample, limit=limit,
                       progress=not as_json)
    emit(summary, as_json, lambda s: click.echo(s["text"]))


#: What ``county demo`` writes (or deletes) directly in its --out folder.
DEMO_FILES = ("county.toml", "demo.db", "demo.db-wal", "demo.db-shm", "summary.txt", "appraisal.json",
              "appraisal.txt", "boards")


def check_demo_out(out_dir: str, *, force: bool, db: str | None) -> None:
    """Refuse a ``county demo --out`` folder before any work: a file where the folder should be;
    any file the demo writes there (:data:`DEMO_FILES`: an earlier demo, or an operator's own
    county.toml) unless ``force``; and, even with ``force``, a demo file that is the database
    ``--db``/``COUNTY_DB`` names or one of its -wal/-shm (symlinks followed). CountyError (exit
    2) naming the path and --force."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise CountyError(f"--out {out_dir}: is a file, not a folder")
    guard = set(protected(db) if db and Path(db).exists() else [])
    for name in DEMO_FILES:
        p = out / name
        if os.path.realpath(p) in guard:
            raise CountyError(f"--out {out_dir}: {p} is the database --db {db}; choose another folder")
        if (p.exists() or p.is_symlink()) and not force:
            raise CountyError(f"--out {out_dir}: {p} exists (an earlier demo?); give --force to rebuild over it")


@cli.group()
def triage():
    """Category triage on message text (留言分类): the official taxonomy and level-1 proposals."""


@triage.command("taxonomy")
@click.argument("file")
@county_command(needs_county=False)
def triage_taxonomy(db, now, as_json, file):
    """Load a 3-level taxonomy (一级/二级/三级分类, e.g. 附件1.xlsx) and show it as a tree."""
    tree = load_taxonomy(file)

    def human(t):
        for a, subs in t.tree.items():
            click.echo(f"{a}  ({len(subs)} 二级, {sum(len(v) for v in subs.values())} 三级)")
            for b, leaves in subs.items():
                click.echo(f"  {b}: {'、'.join(leaves)}")
        click.echo(f"一级 {len(t.level1)} 类，二级 {sum(len(s) for s in t.tree.values())} 类，三级 {len(t.leaves())} 类")

    emit(tree.tree, as_json, lambda d: human(tree))


@triage.command("propose")
@click.option("--title", required=True)
@click.option("--body", default="")
@click.option("--taxonomy", "taxonomy_file", help="Add this taxonomy's level-2/3 names to the keyword rule.")
@click.option("--train", "train_file", help="Train the scikit-learn classifier on this labelled file "
                                            "(留言主题, 留言详情, 一级分类; e.g. 附件2.xlsx) instead of keyword rules "
                                            "(needs the ml extra: pip install 'county-methods[ml]').")
@county_command(needs_county=False)
def triage_propose(db, now, as_json, title, body, taxonomy_file, train_file):
    """Propose a level-1 category for one message from its title and body."""
    if train_file:
        require_ml("county triage propose --train")  # before reading the file
        t, b, y = load_labelled(train_file)
        rule = TextClassifier().fit(t, b, y)
    else:
        rule = KeywordRule(taxonomy=load_taxonomy(taxonomy_file) if taxonomy_file else None)
    p = rule.propose(title, body)
    out = {"label": p.label, "score": round(p.score, 4), "matched": p.matched, "rule": rule.name}
    emit(out, as_json, lambda d: click.echo(
        f"{d['label'] or '（未能分类）'}  得分 {d['score']:.2f}  规则 {d['rule']}"
        + (f"  命中 {'、'.join(d['matched'])}" if d["matched"] else "")))
