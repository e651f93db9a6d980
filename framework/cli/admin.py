"""Deployment commands: ``county init``, ``county plugins list|show``, ``county units
import|list``, ``county people import|list``.

部署与名册：初始化、插件、单位、人员。
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from pathlib import Path

import click

from framework.cli.core import cli, county_command, echo_table, emit, registry
from framework.cli.scaffold import new as plugins_new
from framework.discovery import DISABLE_ENV, LOAD_ENV
from framework.errors import CountyError, Refusal
from framework.interchange import read_table as read_file_table
from framework.kernel.audit_log import init_operator, log_init
from framework.kernel.config_check import ConfigError
from framework.kernel.county import FORCE_HINT, County
from framework.kernel.deployment_check import (
    check_config,
    operator_warning,
    holder_warnings,
    tier_warnings,
)
from framework.kernel.deployment_tables import describe_report
from framework.kernel.stages import require_method
from framework.publish.masking import mask_phone
from framework.publish.report_labels import level_title
from framework.store.db import Store
from framework.timerules import parse_instant


@cli.command()
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="Deployment TOML file.")
@click.option("--update", is_flag=True, help="Re-apply the file to an existing database and say, per table, "
              "what was added, changed and unchanged.")
@click.option("--force", is_flag=True, help="Apply a change the existing cases cannot follow (a new id prefix "
              "or time zone while cases exist, a method dropped with open cases).")
@county_command(needs_county=False)
def init(db, now, as_json, config_path, update, force):
    """Create or update the database from a deployment file (county.toml).

    The file is checked whole first (as `county config check`): every problem is one line
    naming file:line, table, key and reason (exit 2), and nothing is written — a new database
    file is not even created. Then units, people and settings are written and each method's
    own tables ([[METHOD.TABLE]], docs/deployment.md) loaded through the method, all in one
    transaction; the output says what each method loaded. With --update (an existing
    database only) it says what the file added, changed and left unchanged, table by table."""
    fresh = not Path(db).exists()
    folder = Path(db).expanduser().parent
    if fresh and not folder.is_dir():  # else SQLite's "unable to open database file"
        raise CountyError(f"--db {db}: the folder {folder} does not exist; create it first (mkdir -p {folder})"
                          if not folder.exists() else f"--db {db}: {folder} is not a folder")
    if update and fresh:
        raise CountyError(f"--update: {db} does not exist; run `county init --config {config_path}` first")
    dep = _checked(config_path, None if fresh else db)
    before = {} if fresh else _records(Store(db))
    who = None if fresh else _init_operator(db, dep)  # issue 14: who may change a deployment
    try:
        county = County.init(Store(db), dep, registry(), source=config_path, force=force,
                             now=parse_instant(now, dep.timezone, what="--now") if now else None)
    except BaseException:
        if fresh:  # a refused init leaves no database behind
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(db + suffix).unlink(missing_ok=True)
        raise
    loaded = getattr(county, "loaded", {})
    if who is not None:
        log_init(county, who, config_path)
    for warning in _warnings(dep, county):
        click.echo(f"warning: {warning}", err=True)
    summary = {"db": db, "deployment": dep.name, "methods": dep.methods, "units": len(county.units),
               "people": len(county.people), "bindings": dep.bindings, "loaded": loaded,
               "deployment_changes": county.deployment_changes}
    if update:
        after = _records(county.store)
        summary["changes"] = {
            what: {"added": sum(k not in before.get(what, {}) for k in mine),
                   "changed": sum(k in before.get(what, {}) and before[what][k] != v for k, v in mine.items()),
                   "unchanged": sum(before.get(what, {}).get(k) == v for k, v in mine.items())}
            for what, mine in ((w, {k: after[w][k] for k in keys}) for w, keys in
                               (("units", [u.code for u in dep.units]), ("people", [p.id for p in dep.people])))}

    def human(s):
        click.echo(f"{'已初始化' if fresh else '已更新'} {s['db']}：{s['deployment']}，工作法 "
                   f"{'、'.join(s['methods'])}，单位 {s['units']} 个，人员 {s['people']} 名")
        for line in s["deployment_changes"]:
            click.echo(f"  变更 {line}")
        for what, c in s.get("changes", {}).items():
            click.echo(f"  {_TABLE_ZH.get(what, what)}（部署文件）：新增 {c['added']}，变更 {c['changed']}，"
                       f"未变 {c['unchanged']}")
        for line in _method_lines(dep, s["loaded"], changes=update):
            click.echo(f"  {line}" if update else f"  载入 {line}")

    emit(summary, as_json, human)


def _warnings(dep, county) -> list[str]:
    """The one-line warnings ``county init`` (and ``county config check``, on its trial run)
    gives for ``dep`` applied to ``county`` (or, for a check without a trial, None: the file's
    units only): no ``[operators]`` (events carry any name, issue 14), then each tier of an
    enabled method's chain with no unit of its level (:func:`tier_warnings`)."""
    out = [w for w in [operator_warning(dep)] if w]
    out += tier_warnings(dep, registry(), _known_units(county) if county is not None else None)
    if county is not None:
        out += holder_warnings(county)
    return out


def _init_operator(db: str, dep):
    """:func:`framework.kernel.audit_log.init_operator` on ``db``; its refusal (exit 1) says,
    when the file names a ``[deployment] actor`` that is one of the operators, why that is not
    enough: changing the deployment needs the operator's own identity from the environment
    (``COUNTY_ACTOR``), since the file could be edited by anyone (docs/design.md "Audit")."""
    try:
        return init_operator(Store(db), registry())
    except Refusal as e:
        if os.environ.get("COUNTY_ACTOR") or dep.actor not in {o.id for o in dep.operators}:
            raise
        raise Refusal(f"{e}; the file's [deployment] actor = {dep.actor!r} does not count: anyone may edit "
                      f"the file, so changing the deployment takes the operator's own COUNTY_ACTOR") from None


#: The Chinese names of the tables ``county init --update`` counts.
_TABLE_ZH = {"units": "单位", "people": "人员"}


def _method_lines(dep, loaded: dict, changes: bool) -> list[str]:
    """One line per enabled method, in ``[deployment] methods`` order, in Chinese: what its
    tables loaded (:func:`describe_report`: ``dianti：groups 1 条；members 2 条``) or, for a method
    without tables of its own, ``taizhang：无自有表；[plugins.taizhang] 设定了 8 项设置中的 2 项``
    (``8 项设置均取默认值`` when none is set, ``无设置`` without any); a stage bound to another
    method follows (``；deadline 环节由 taizhang 承担``) — so that ``init`` says what each method
    took from the file (issue 17)."""
    described = {line.split("：", 1)[0]: line for line in describe_report(loaded, changes=changes)}
    out = []
    for method in dep.methods:
        bound = "".join(f"；{key.split('.', 1)[1]} 环节由 {target} 承担" for key, target in dep.bindings.items()
                        if key.split(".", 1)[0] == method and target != method)  # [bindings]
        if method in described:
            out.append(described[method] + bound)
            continue
        info = registry().methods.get(method)
        total, given = (len(info.settings) if info else 0), len(dep.plugins.get(method) or {})
        settings = (f"[plugins.{method}] 设定了 {total} 项设置中的 {given} 项" if given
                    else f"{total} 项设置均取默认值" if total else "无设置")
        out.append(f"{method}：无自有表；{settings}{bound}")
    return out


def _records(store) -> dict[str, dict[str, tuple]]:
    """``{"units": {code: row}, "people": {id: row}}`` as stored (for ``init --update``)."""
    out: dict[str, dict[str, tuple]] = {"units": {}, "people": {}}
    for table, pk in (("units", "code"), ("people", "id")):
        if store.db[table].exists():
            out[table] = {r[pk]: tuple(sorted(r.items())) for r in store.query(f"select * from {table}")}
    return out


def _checked(config_path: str, db: str | None, option: str = "--config"):
    """The deployment of ``config_path`` checked whole against the installed methods (and the
    units already in ``db``); ConfigError with every problem. ``option`` names the file in the
    one-line error for a missing or unreadable file (``--config F``, or ``FILE F`` for
    ``county config check``'s argument)."""
    known = {}
    if db:
        store = Store(db)
        if store.db["units"].exists():
            known = {r["code"]: (r["level"], r["parent"]) for r in store.query("select code, level, parent from units")}
    dep, problems = check_config(config_path, registry(), known, option=option)
    if problems:
        raise ConfigError(config_path, problems)
    return dep


@cli.group()
def config():
    """The deployment file (county.toml): check it before `county init`."""


@config.command("check")
@click.argument("config_path", metavar="FILE", type=click.Path(dir_okay=False))
@county_command(needs_county=False)
def config_check(db, now, as_json, config_path):
    """Check a deployment file without writing anything: every problem at once, one line each
    (FILE:LINE: [table] key: reason), exit 2 when there is any. With --db, units already in
    that database count as parents. The file is then applied in a trial run (at --now) on a
    throw-away database — a copy of --db when it exists — so that the rows a method's rules
    refuse ([[METHOD.TABLE]]) and the changes existing cases cannot follow are named too, as
    `county init` would; --db itself is never written. The warnings `county init` would give
    (no [operators], a tier with no unit of its level) are printed too, one ``warning: …`` line
    each on stderr (``warnings`` in the JSON); they do not fail the check."""
    existing = Path(db).exists()
    dep = _checked(config_path, db if existing else None, option="FILE")
    summary = {"file": config_path, "ok": True, "deployment": dep.name, "methods": dep.methods,
               "units": len(dep.units), "people": len(dep.people)}
    # the trial run, always: its warnings (a unit without its tier's holder) need the applied county
    with tempfile.TemporaryDirectory(prefix="county-check-") as folder:
        trial_path = Path(folder) / "trial.db"
        if existing:  # over an existing database: the trial runs on a copy of it (SQLite's backup)
            source = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
            copy = sqlite3.connect(trial_path)
            source.backup(copy)
            source.close()
            copy.close()
        try:
            trial = County.init(Store(str(trial_path)), dep, registry(), source=config_path,
                                now=parse_instant(now, dep.timezone, what="--now") if now else None)
        except Refusal as e:  # init's refusal names its own --force, which config check has not
            raise Refusal(str(e).replace(FORCE_HINT, f"(--db unchanged; `county init --config {config_path} "
                                                     f"--update --force` would apply the file anyway)")) from None
        summary["loaded"] = trial.loaded
        # what `county init` would then hold (the method tables may add people, --db has its own)
        summary["units"], summary["people"] = len(trial.units), len(trial.people)
        if trial.deployment_changes:
            summary["deployment_changes"] = trial.deployment_changes
        warnings = _warnings(dep, trial)
        trial.store.db.close()
    if warnings:
        summary["warnings"] = warnings

    def human(s):
        click.echo(f"{s['file']}：检查通过 — {s['deployment']}，工作法 {'、'.join(s['methods']) or '无'}，"
                   f"单位 {s['units']} 个，人员 {s['people']} 名")
        for line in s.get("deployment_changes", []):  # the trial run over a copy of --db
            click.echo(f"  将变更 {line}")
        if "loaded" in s:  # the trial run
            for line in _method_lines(dep, s["loaded"], changes=False):
                click.echo(f"  将载入 {line}")

    emit(summary, as_json, human)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


#: The six kernel stages (环节) by their Chinese names, for the human views (``county plugins
#: list|show``); ``--json`` keeps the codes.
STAGE_ZH = {"intake": "受理", "triage": "分类", "assignment": "交办", "deadline": "时限", "publicity": "公示",
            "appraisal": "考评"}


def stages_zh(stages) -> str:
    """``受理、分类、交办``: stage codes by their Chinese names (:data:`STAGE_ZH`; an unknown code
    as it is), in the given order, joined by 、; empty text for none."""
    return "、".join(STAGE_ZH.get(s, s) for s in stages)


def toml_value(value) -> str:
    """A setting's default as it is spelled in county.toml (``[plugins.METHOD]``): ``false``,
    ``5``, ``"month"``, ``["a", "b"]``, ``{k = 1}``; ``（无默认值）`` for None (TOML has no null)."""
    if value is None:
        return "（无默认值）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k if re.fullmatch(r'[A-Za-z0-9_-]+', str(k)) else toml_value(str(k))} = "
                               f"{toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string (same escapes)


@cli.group()
def plugins():
    """Method plugins found on this machine."""


plugins.add_command(plugins_new)  # county plugins new NAME (framework/cli/scaffold.py)


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
    """Every method found (built-in and installed): version, 已启用 or not, 环节 (stages), its
    Chinese title and source; a plugin that failed to load ``BROKEN 无法加载：why``."""
    cli.load_plugin_commands()  # a plugin whose county_register_commands raises is BROKEN
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
    for name, why in sorted(reg.skipped.items()):
        rows.append({"name": name, "skipped": why, "broken": None,
                     "enabled": (name in enabled) if enabled is not None else None})

    def human(rows):
        def line(r):
            if r.get("broken"):
                return [r["name"], f"BROKEN 无法加载：{r['broken']}"]
            if r.get("skipped"):
                return [r["name"], f"未加载：{_skipped_zh(r['skipped'])}"]
            flag = {True: "已启用", False: "-", None: ""}[r["enabled"]]
            return [r["name"], r["version"] or "-", flag, f"环节：{stages_zh(r['stages'])}",
                    f"{r['title_zh'] or r['title'] or '-'}（{r['source']}）"]

        echo_table([line(r) for r in rows])  # aligned by display width (Chinese titles)

    emit(rows, as_json, human)


@plugins.command("show")
@click.argument("name")
@county_command(needs_county=False)
def plugins_show(db, now, as_json, name):
    """One method's declaration (in Chinese: 环节, 层级, 渠道, 类别, 设置; codes as they are):
    channels, categories, tiers, roles, settings."""
    info = require_method(registry(), name)

    def human(i):
        click.echo(f"{i.name}：{i.title_zh or '-'} — {i.title or '-'}（{i.source_county or '-'}，{i.source_lines or '-'}），"
                   f"v{i.version or '-'}")
        click.echo(f"环节：{stages_zh(i.stages) or '-'}")
        if not i.tiers:
            click.echo(f"层级：无（{i.name} 没有上报链，其事项不上报）")
        click.echo("渠道：" + ", ".join(f"{k}={v}" for k, v in i.channels.items()))
        click.echo("类别：" + ", ".join(f"{k}={v}" for k, v in i.categories.items()))
        for t in i.tiers:
            click.echo(f"层级 {t.name}（{t.title_zh or '-'}，承接单位层级 {t.level or '-'}）：{t.rule or '-'} [{t.source or '-'}]")
        for s in i.settings:
            click.echo(f"设置 {s.name} = {toml_value(s.default)}：{s.description}")

    emit(info, as_json, human)


@cli.group()
def units():
    """The unit tree (单位)."""


@units.command("import")
@click.argument("file")
@click.option("--encoding", default=None, help="Text encoding of a CSV/JSON file (default: UTF-8 or GB18030/GBK, detected).")
@county_command()
def units_import(county, as_json, file, encoding):
    """Load or update units from CSV/XLSX/JSON with columns code, name, level, parent (a
    known unit keeps what the file has no column for), and say what changed."""
    rows = read_file_table(file, encoding=encoding, required=("code",))
    report: dict = {}
    n = county.import_units([r.data for r in rows], file, [r.line for r in rows], report=report)
    emit({"imported": n, **report}, as_json, lambda d: _say_changes(d, "units"))


@units.command("list")
@county_command()
def units_list(county, as_json):
    """List the unit tree: code (indented two spaces a level), name, and level by its Chinese
    name then its code (``乡镇 township``; a deployment's own level by its code alone)."""
    rows = list(county.units.values())

    def human(rows):
        lines = []

        def walk(code, depth):
            u = county.units[code]
            zh = level_title(u.level)
            lines.append([f"{'  ' * depth}{u.code}", u.name, f"{zh} {u.level}" if zh and zh != u.level else u.level or "-"])
            for c in sorted(county.children(code)):
                walk(c, depth + 1)

        for r in county.roots():
            walk(r.code, 0)
        echo_table(lines)  # the tree indented in the first column; names aligned by display width

    emit(rows, as_json, human)


@cli.group()
def people():
    """People who handle cases (责任人)."""


@people.command("import")
@click.argument("file")
@click.option("--encoding", default=None, help="Text encoding of a CSV/JSON file (default: UTF-8 or GB18030/GBK, detected).")
@county_command()
def people_import(county, as_json, file, encoding):
    """Load or update people from CSV/XLSX/JSON with columns id, name, unit, roles, skills,
    phone (a known person keeps what the file has no column for), and say what changed."""
    rows = read_file_table(file, encoding=encoding, required=("id",))
    report: dict = {}
    n = county.import_people([r.data for r in rows], file, [r.line for r in rows], report=report)
    emit({"imported": n, **report}, as_json, lambda d: _say_changes(d, "people"))


def _say_changes(d: dict, what: str) -> None:
    """``导入人员 3 条：新增 1（p9），变更 2（p1: phone；p2: unit, roles），未变 0`` (``what``:
    ``units`` or ``people``; ids and column names as they are); a column the file does not carry
    keeps the stored value (merge)."""
    changed = "；".join(f"{k}: {', '.join(v)}" for k, v in d["changed"].items())
    click.echo(f"导入{_TABLE_ZH.get(what, what)} {d['imported']} 条：新增 {len(d['added'])}"
               + (f"（{', '.join(d['added'])}）" if d["added"] else "")
               + f"，变更 {len(d['changed'])}" + (f"（{changed}）" if changed else "")
               + f"，未变 {d['unchanged']}")


@people.command("list")
@county_command()
def people_list(county, as_json):
    """List people (phone numbers masked)."""
    rows = [{"id": p.id, "name": p.name, "unit": p.unit, "roles": p.roles, "skills": p.skills,
             "phone": mask_phone(p.phone)} for p in county.people.values()]
    emit(rows, as_json, lambda rs: echo_table(
        [[r["id"], r["name"] or "-", r["unit"] or "-", ",".join(r["roles"] or []) or "-", r["phone"] or "-"]
         for r in rs], ["id", "姓名", "单位", "角色", "电话"] if rs else None))


def _known_units(county) -> dict[str, tuple[str, str | None]]:
    """code -> (level, parent) of every unit in the database after init (file and earlier imports)."""
    return {u.code: (u.level, u.parent) for u in county.units.values()}


def _skipped_zh(why: str) -> str:
    """Why an installed method was left out, in Chinese for ``county plugins list``
    (:func:`framework.discovery.method_entry_points` gives it in English for ``--json`` and
    errors): ``COUNTY_LOAD_PLUGINS 中未列出`` / ``COUNTY_DISABLE_PLUGINS 中已停用``."""
    for env, zh in ((DISABLE_ENV, "中已停用"), (LOAD_ENV, "中未列出")):
        if why.endswith(env):
            return f"{env} {zh}"
    return why
