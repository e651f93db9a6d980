"""``county demo``: a demo county on real citizen messages.

演示：按案例县的结构建一个示范县，启用五个工作法，把真实的网络问政留言（泰迪杯 2020C 附件4，
2,816 条有答复的留言）作为台账事项导入（到达 = 留言时间，办结 = 答复时间），逐月重放每晚的督办
扫描，然后把公示栏和考评写到输出目录。

What it does, step by step:

1. Finds the real data (:func:`find_real_data`: ``--data``, env ``COUNTY_DATA``, or
   ``shared/data/real`` next to the repository); without it, uses the small made-up sample
   ``framework/interchange/data/sample_messages.csv`` (same columns as 附件4) and says so.
2. Writes ``county.toml`` (``framework/demo/data/county.toml``: a county modelled on the
   casebook — a Zhongjiang-style township with villages and a villager group, a Ningbo-style
   subdistrict with a community and grids, a second rural township; the county ledger office,
   joint meeting and departments; village cadres, agents, skilled members and grid workers) and
   initialises ``demo.db`` with the method the messages are loaded as (the mapping's: taizhang)
   and every installed method that implements ``county_demo``.
3. Reads the messages with the built-in ``taidi-replied`` mapping (docs/importing.md): each
   becomes a case of the mapping's method at one of the villages, chosen by a stable hash of
   留言编号.
4. Replays history in time order, month by month: arrivals are taken in at 留言时间, replies
   resolve the case at 答复时间, and the nightly sweep (督办) runs at 00:00 after every day on
   which a milestone fell due — so a case not answered within the village's 5 days is
   escalated to the township, then the county ledger office, exactly as it would have been.
5. Picks the demo period (:func:`_demo_period`: 2019 and 2019-12 on 附件4) and asks every other
   method for a small, fixed month of work in it through its ``county_demo`` hook
   (:func:`seed_methods`), handing it the first real message titles of that month. The demo
   knows no method by name: each plugin writes its month on its own service layer.
6. Writes boards (``County.boards`` rendered to html, md and csv) for the county and each
   township, the appraisal (``appraisal.json`` and ``appraisal.txt``) for every year, and
   prints where they are and a short summary.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import tomllib
from collections import Counter
from importlib import resources
from pathlib import Path

import attrs

from framework.errors import CountyError
from framework.interchange import (
    RowContext, RowError, default_classifier, ensure_table, load_mapping, prepare_row, read_records, replay,
)
from framework.kernel.config import load_config
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.publish import render
from framework.publish.outputs import write_file
from framework.publish.plain_table import aligned_lines, cell_width
from framework.publish.report_labels import fmt_fraction, fmt_num, fmt_rate
from framework.publish.reports import public_metrics
from framework.store import Store
from framework.demo.sources import TAIDI_REPLIED, TAIDI_TAXONOMY, find_real_data, sample_path

def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def deployment_toml(methods: list[str]) -> str:
    """The demo county (``framework/demo/data/county.toml``) as TOML text, enabling ``methods``."""
    d = tomllib.loads(resources.files("framework.demo").joinpath("data", "county.toml").read_text(encoding="utf-8"))
    lines = ["# county demo: a county modelled on the casebook's counties (all people fictional)", "[deployment]"]
    for k, v in {**d["deployment"], "methods": methods}.items():
        lines.append(f"{k} = {_toml_value(v)}")
    for table in ("units", "people"):
        for row in d[table]:
            lines += ["", f"[[{table}]]"] + [f"{k} = {_toml_value(v)}" for k, v in row.items()]
    areas = {m: a for m, a in d.get("where", {}).items() if m in methods}  # for the methods enabled only
    if areas:
        lines += ["", "[where]"]
        for m, a in areas.items():
            value = (_toml_value(a) if isinstance(a, list) else
                     "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in a.items()) + " }")
            lines.append(f"{m} = {value}")
    return "\n".join(lines) + "\n"


def run_demo(out_dir: str | Path, *, data_dir: str | Path | None = None, use_sample: bool = False,
             limit: int | None = None, progress: bool = False) -> dict:
    """Build the demo in ``out_dir`` (created; an earlier ``demo.db`` there is replaced: ``county
    demo`` refuses an earlier demo's folder without ``--force``, :func:`framework.cli.io.check_demo_out`).
    Every file is written atomically (:func:`framework.publish.outputs.write_file`).

    Returns a summary dict: ``data`` (``real`` or ``sample``), ``source`` (file), ``methods``,
    ``cases``, ``resolved``, ``sweeps``, ``escalations``, ``months``, ``on_time_rate`` (over
    all years, county level), ``share_settled`` (tier -> share), ``files`` (what was written),
    ``seeded`` (per method, what :func:`seed_methods` did), ``board_month``/``board_year``,
    ``method_rows`` (method -> period -> rows on the county's boards), ``seconds`` and
    ``text`` (the printed summary). Raises CountyError on unusable data.
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    real = None if use_sample else find_real_data(data_dir)
    source = real / TAIDI_REPLIED if real is not None else None
    if source is not None and not source.exists():
        source = None
    kind = "real" if source is not None else "sample"
    if source is None:
        source = sample_path()

    registry = Registry()
    mapping = load_mapping("taidi-replied")
    loaded_as = mapping.method
    if loaded_as not in registry.methods:
        raise CountyError(f"county demo: the messages are loaded as {loaded_as} cases, but the {loaded_as} plugin is "
                          f"not installed or broken ({registry.broken.get(loaded_as, 'not found')}); see `county plugins list`")
    # the method the messages are loaded as first, then every installed method with a demo month
    # by name (a fixed order, whatever order the entry points are found in)
    methods = [loaded_as] + sorted(m for m in registry.methods if m != loaded_as and registry.implements(m, "demo"))
    cfg = out / "county.toml"
    write_file(cfg, deployment_toml(methods), force=True)
    db_path = out / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    county = County.init(Store(str(db_path)), load_config(cfg), registry, actor="demo")
    ensure_table(county)

    if kind == "sample":
        mapping = attrs.evolve(mapping, format=None)
    src = read_records(source, mapping=mapping)
    records = src.records[:limit] if limit else src.records
    # the official taxonomy's names (附件1) join the keyword rule when the real data carry it
    taxonomy = real / TAIDI_TAXONOMY if real is not None and (real / TAIDI_TAXONOMY).exists() else None
    rc = RowContext(county, mapping, method=loaded_as, classifier=default_classifier(taxonomy))
    rows, refused = [], []
    for rec in records:
        try:
            rows.append(prepare_row(rec, rc))
        except RowError as e:
            refused.append(f"{source.name}: line {rec.line}: {e}")

    summary = _replay(county, rows, source.name, mapping.name, progress=progress)
    year, month = _demo_period(county)
    titles = _real_topics(rows, month, county.calendar.tz) if year is not None else []
    seeded = seed_methods(county, month, titles) if year is not None else {}
    summary["real_titles"] = len(titles)
    files, board_year = _write_outputs(county, out, year, month, loaded_as)
    summary["seeded"] = seeded
    summary["board_month"] = month
    summary["method_rows"] = _board_rows(county, year, month) if year is not None else {}
    summary["board_year"] = board_year
    years = summary.pop("years")
    tot = _totals(county, years, loaded_as)
    summary.update(tot)
    summary.update({
        "data": kind, "source": str(source), "methods": methods, "refused": refused,
        "out": str(out), "db": str(db_path), "config": str(cfg), "files": files,
        "seconds": round(time.perf_counter() - t0, 1),
    })
    topics = Counter(r.topic or "未分类" for r in rows)
    summary["topics"] = dict(topics.most_common())
    chain = county.chain_method(methods[0])
    summary["text"] = _summary_text(summary, {t.name: t.title_zh for t in chain.tiers if t.title_zh})
    write_file(out / "summary.txt", summary["text"] + "\n", force=True)
    return summary


def _replay(county, rows, file: str, mapping: str, *, progress: bool) -> dict:
    """Replay the rows in time order with the nightly sweeps (:func:`framework.interchange.replay`)."""
    bar = _bar(progress, 2 * len(rows))
    try:
        return replay(county, rows, file=file, fmt="xlsx", mapping=mapping,
                      progress=(lambda done, total: bar[0](done)) if bar else None)
    finally:
        if bar:
            bar[1]()


def _bar(enabled: bool, total: int):
    if not enabled or not total:
        return None
    from rich.console import Console  # only the progress bar needs it
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    prog = Progress(TextColumn("重放 replaying history"), BarColumn(), MofNCompleteColumn(),
                    console=Console(stderr=True), transient=True)
    prog.start()
    task = prog.add_task("replay", total=total)
    return (lambda n: prog.update(task, completed=n)), prog.stop


def _totals(county, years: list[int], method: str) -> dict:
    """Cases, resolved, on-time rate and tier shares at the county level over all years, and
    per-year rates; summed from ``County.appraise`` year by year."""
    root = county.roots()[0].code
    per_year = {}
    tot = Counter()
    shares = Counter()
    for y in years:
        ms = [m for m in county.appraise(str(y), root) if m.subject == root and m.method == method]
        by = {(m.metric, m.tier): m for m in ms}
        ot = by.get(("on_time_rate", None))
        cases = by.get(("cases", None))
        res = by.get(("resolved", None))
        per_year[str(y)] = {"cases": int(cases.value) if cases else 0,
                            "on_time_rate": ot.value if ot else None}
        if ot and ot.denominator:
            tot["on_time"] += ot.numerator
            tot["on_time_den"] += ot.denominator
        tot["cases"] += cases.value if cases else 0
        tot["resolved"] += res.value if res else 0
        for m in ms:
            if m.metric == "share_settled":
                shares[m.tier] += m.numerator or 0
    return {
        "resolved": int(tot["resolved"]),
        "on_time_rate": (tot["on_time"] / tot["on_time_den"]) if tot["on_time_den"] else None,
        "on_time": int(tot["on_time"]), "on_time_denominator": int(tot["on_time_den"]),
        "share_settled": {k: (v / tot["resolved"] if tot["resolved"] else None) for k, v in shares.items()},
        "per_year": per_year,
    }


def _demo_period(county) -> tuple[int | None, str | None]:
    """The demo's year and month: the last year with at least a tenth of the cases of the
    busiest year (附件4: 2019, not 2020's 4) and its last month with cases (附件4: 2019-12)."""
    if county.store.db.execute("select count(*) from cases").fetchone()[0] == 0:
        return None, None
    # the last year with at least a tenth of the cases of the busiest year (附件4: 2019, not 2020's 4)
    counts = Counter(dt.datetime.fromtimestamp(r[0], county.calendar.tz).year
                     for r in county.store.db.execute("select created_ts from cases"))
    busy = max(counts.values())
    year = max(y for y, n in counts.items() if n * 10 >= busy)
    month = max(dt.datetime.fromtimestamp(r[0], county.calendar.tz).strftime("%Y-%m")
                for r in county.store.db.execute("select created_ts from cases")
                if dt.datetime.fromtimestamp(r[0], county.calendar.tz).year == year)
    return year, month


def _write_outputs(county, out: Path, year: int | None, month: str | None, method: str) -> tuple[list[str], int | None]:
    """Boards (html, md, csv) for the county and each township for the demo year and month
    (:func:`_demo_period`), and the appraisal for every year (json and a text table)."""
    files: list[str] = []
    if year is None:
        return files, None
    row = county.store.db.execute("select min(created_ts), max(created_ts) from cases").fetchone()
    first = dt.datetime.fromtimestamp(row[0], county.calendar.tz)
    last = dt.datetime.fromtimestamp(row[1], county.calendar.tz)
    boards_dir = out / "boards"
    boards_dir.mkdir(exist_ok=True)
    root = county.roots()[0]
    units = [root] + [u for u in county.units.values() if u.level == "township"]
    for u in units:
        for period in (str(year), month):
            # posted the day after the period ends (公示日期), not on the day the demo runs
            county.clock.fixed = county.calendar.period_bounds(period)[1] + dt.timedelta(hours=9)
            boards = county.boards(u.code, period)
            for fmt in ("html", "md", "csv"):
                p = boards_dir / f"{u.code}_{period}.{fmt}"
                data = render.render(boards, fmt, county=county)
                write_file(p, data, force=True)
                files.append(str(p))
    metrics = []
    lines = [f"考评 — {county.deployment.name}，{first.year}–{last.year}年（县及各乡镇）", "",
             f"{method}（载入的留言）：逐年的共同指标；演示年 {year}：每个工作法的自有指标和共同指标。", ""]
    header = ["期间", "单位", "工作法", "指标", "层级", "数值", "分子/分母"]
    table: list[list[str]] = []
    keep = {root.code} | {u.code for u in units}
    common = ("cases", "resolved", "on_time_rate", "share_settled", "tier_on_time_rate")
    for y in range(first.year, last.year + 1):
        ms = public_metrics(county.appraise(str(y)))  # labels masked, as `county appraise --json`
        metrics += [attrs.asdict(m) for m in ms]
        shown = [m for m in ms if m.subject in keep and m.method == method and m.metric in common]
        if y == year:  # every other method, all its figures where it has any
            shown += [m for m in ms if m.subject in keep and m.method != method and m.method]
        table += [_appraisal_line(county, y, m) for m in shown]
    head, *body = aligned_lines(table, header, right=(5,))  # columns by display width: Chinese lines up
    lines += [head, "-" * cell_width(head), *body]
    write_file(out / "appraisal.json", json.dumps(metrics, ensure_ascii=False, indent=2, default=str), force=True)
    write_file(out / "appraisal.txt", "\n".join(lines) + "\n", force=True)
    files += [str(out / "appraisal.json"), str(out / "appraisal.txt")]
    return files, year


def _appraisal_line(county: County, year: int, m) -> list[str]:
    """One metric as a row of ``appraisal.txt``: period, unit and tier by their Chinese names,
    method, metric, value, numerator/denominator."""
    name = county.units[m.subject].name if m.subject in county.units else m.subject
    tier = m.tier or ""
    if tier and m.method in county.registry.methods:
        t = county.chain_method(m.method).tier(tier)
        tier = t.title_zh if t is not None and t.title_zh else tier
    if m.denominator is not None:
        val, nd = fmt_rate(m.value), fmt_fraction(m.numerator, m.denominator)
    else:
        val, nd = fmt_num(m.value), ""  # a score rounded as the appraisal report shows it (4.54, not 4.54167)
    info = county.registry.methods.get(m.method) if m.method else None
    method = info.title_zh if info is not None and info.title_zh else (m.method or "")
    return [str(year), name, method, m.label or m.metric, tier, val, nd]



def _seeded_lines(s: dict) -> list[str]:
    """Each other method's line of the summary (what its ``county_demo`` seeded) and the board rows."""
    seeded, month = s.get("seeded") or {}, s.get("board_month")
    rows = s.get("method_rows") or {}
    year = str(s.get("board_year"))
    lines = [f"各工作法的演示月 {month}（county_demo；所播种的事项为虚构，人员均为虚构）:"]
    lines += [f"  {line}" for line in seeded.values() if line] or ["  无（没有其他工作法提供演示月）"]
    lines.append(f"{'真实数据' if s['data'] == 'real' else '样例数据（虚构）'}：{s['cases']} 件 {s['methods'][0]} 事项，"
                 f"另把 {month} 的 {s.get('real_titles', 0)} 条留言标题提供给其他工作法；其余均为播种")
    lines.append(f"公示栏行数（县级，{month} / {year}）：" + ", ".join(
        f"{m} {rows.get(m, {}).get(month, 0)}/{rows.get(m, {}).get(year, 0)}" for m in s["methods"]))
    return lines


def _summary_text(s: dict, tier_zh: dict[str, str] | None = None) -> str:
    """The demo's summary (summary.txt, the human output): tiers by their Chinese titles
    (``tier_zh``: tier name -> title, e.g. ``village`` -> 村级; a tier without one by its name)."""
    tier_zh = tier_zh or {}
    which = ("真实数据：" if s["data"] == "real" else
             "未找到真实数据（已查 --data、COUNTY_DATA、../shared/data/real），使用内置样例：")
    rate = "—" if s["on_time_rate"] is None else f"{s['on_time_rate']:.1%}"
    shares = "、".join(f"{tier_zh.get(k, k)} {v:.1%}" for k, v in sorted(s["share_settled"].items(), key=lambda kv: -(kv[1] or 0))
                       if v) or "—"
    lines = [
        f"county demo — {which}{s['source']}",
        f"启用的工作法：{', '.join(s['methods'])}",
        f"载入 {s['cases']} 条留言为 {s['methods'][0]} 事项（{s['resolved']} 件按答复时间办结），拒收 {len(s['refused'])} 条",
        f"重放 {s['months']} 个月（{s['first_month']} … {s['last_month']}）：夜间督办 {s['sweeps']} 次，"
        f"上报 {s['escalations']} 次，督办提示 {s['flags']} 次",
        f"按期办结率（{s['methods'][0]} 链）：{rate}（{s['on_time']}/{s['on_time_denominator']}）",
        f"各层级办结：{shares}",
        "分类建议（关键词规则）：" + ", ".join(f"{k} {v}" for k, v in list(s["topics"].items())[:6]),
        *_seeded_lines(s),
        f"已写入 {s['out']}/：demo.db、county.toml、boards/（{sum('/boards/' in f for f in s['files'])} 个文件）、"
        f"appraisal.json、appraisal.txt、summary.txt",
        f"查看：county appraise --db {s['db']} --period {s['board_year'] or ''}；"
        f"county board --db {s['db']} --unit demo --period {s['board_year'] or ''}",
        f"用时 {s['seconds']} 秒",
    ]
    return "\n".join(lines)


# -- every other method: its own demo month (county_demo) ------------------------------------


def seed_methods(county: County, month: str, titles: list[str]) -> dict[str, str]:
    """Call ``county_demo(ctx, period, titles)`` on every enabled method that implements it, in
    the deployment's order, each with its own context on the demo county; returns ``{method:
    its summary line}``. The kernel knows no method here by name."""
    out: dict[str, str] = {}
    for name in county.deployment.methods:
        if county.registry.implements(name, "demo"):
            try:
                line = county.registry.call_one(name, "demo", ctx=county.ctx(name), period=month, titles=list(titles))
            except CountyError as e:  # a plugin's own refusal: say whose
                raise type(e)(f"county demo: {name}'s county_demo: {e}") from e
            if line is not None and not isinstance(line, str):
                raise CountyError(f"county demo: {name}'s county_demo returned {type(line).__name__}, not a line of text")
            out[name] = line or ""
    return out

def _real_topics(rows, month: str, tz, n: int = 3) -> list[str]:
    """The first ``n`` real messages (title, requester) taken in during ``month``, in time order
    then by 留言编号, whose title holds no run of digits (never a phone or ID in a topic)."""
    picked = []
    for r in sorted((r for r in rows if r.created_at is not None), key=lambda r: (r.created_at, str(r.source_id or ""))):
        if r.created_at.astimezone(tz).strftime("%Y-%m") != month or re.search(r"\d{5,}", r.title or ""):
            continue
        picked.append(r.title)
        if len(picked) == n:
            break
    return picked


def _board_rows(county, year: int, month: str) -> dict[str, dict[str, int]]:
    """Rows per method on the county's boards for the demo month and year (as written)."""
    root = county.roots()[0].code
    out: dict[str, dict[str, int]] = {}
    for period in (month, str(year)):
        county.clock.fixed = county.calendar.period_bounds(period)[1] + dt.timedelta(hours=9)
        for b in county.boards(root, period):
            d = out.setdefault(b.method, {month: 0, str(year): 0})
            d[period] += sum(len(sec.rows) for sec in b.sections)
    return out
