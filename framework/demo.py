"""``county demo``: a demo county on real citizen messages.

演示：按案例县的结构建一个示范县，启用五个工作法，把真实的网络问政留言（泰迪杯 2020C 附件4，
2,816 条有答复的留言）作为台账事项导入（到达 = 留言时间，办结 = 答复时间），逐月重放每晚的督办
扫描，然后把公示栏和考评写到输出目录。

What it does, step by step:

1. Finds the real data (:func:`find_real_data`: ``--data``, env ``COUNTY_DATA``, or
   ``shared/data/real`` next to the repository); without it, uses the small made-up sample
   ``framework/data/sample_messages.csv`` (same columns as 附件4) and says so.
2. Writes ``county.toml`` (:data:`DEMO_DEPLOYMENT`: a county modelled on the casebook — a
   Zhongjiang-style township with villages and a villager group, a Ningbo-style subdistrict
   with a community and grids, a second rural township; the county ledger office, joint
   meeting and departments; village cadres, agents, skilled members and grid workers) and
   initialises ``demo.db`` with every one of the five methods whose plugin imports.
3. Reads the messages with the built-in ``taidi-replied`` mapping (docs/importing.md): each
   becomes a taizhang case at one of the villages, chosen by a stable hash of 留言编号.
4. Replays history in time order, month by month: arrivals are taken in at 留言时间, replies
   resolve the case at 答复时间, and the nightly sweep (督办) runs at 00:00 after every day on
   which a milestone fell due — so a case not answered within the village's 5 days is
   escalated to the township, then the county ledger office, exactly as it would have been.
5. Writes boards (``County.boards`` rendered to html, md and csv) for the county and each
   township, the appraisal (``appraisal.json`` and ``appraisal.txt``) for every year, and
   prints where they are and a short summary.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import attrs

from framework.errors import CountyError

FIVE_METHODS = ("taizhang", "dianti", "daiban", "xiangkai", "shequ365")
TAIDI_REPLIED = Path("taidi2020c-zhihuizhengwu") / "full" / "附件4.xlsx"


def repo_root() -> Path:
    """The folder holding ``framework/`` (the repository in a clone or editable install)."""
    return Path(__file__).resolve().parents[1]


def find_real_data(explicit: str | Path | None = None) -> Path | None:
    """The real-data folder: ``explicit``, else env ``COUNTY_DATA``, else
    ``<repo>/../shared/data/real``, else ``./../shared/data/real``. Returns the first that
    exists, or None. An explicit folder or COUNTY_DATA that does not exist is a CountyError."""
    for label, value in (("--data", explicit), ("COUNTY_DATA", os.environ.get("COUNTY_DATA"))):
        if value:
            p = Path(value).expanduser()
            if not p.is_dir():
                raise CountyError(f"{label} {value}: no such folder")
            return p
    for p in (repo_root().parent / "shared" / "data" / "real", Path.cwd().parent / "shared" / "data" / "real"):
        if p.is_dir():
            return p
    return None


def require_real_data(rel: str | Path = "") -> Path:
    """``rel`` inside the real-data folder, for tests and benchmarks that need the real files:
    the folder is env ``COUNTY_DATA`` when set, else ``../shared/data/real`` beside the
    repository (:func:`find_real_data`). Raises CountyError naming both options when the
    folder or the file is missing — a test calling this fails, it never skips."""
    how = ("set COUNTY_DATA to the real-data folder, or put it at "
           f"{repo_root().parent / 'shared' / 'data' / 'real'} (../shared/data/real beside the repository)")
    try:
        base = find_real_data()
    except CountyError as e:
        raise CountyError(f"real data missing: {e}; {how}") from None
    if base is None:
        raise CountyError(f"real data missing: no COUNTY_DATA and no ../shared/data/real; {how}")
    p = base / rel
    if not p.exists():
        raise CountyError(f"real data missing: {p} (from {'COUNTY_DATA' if os.environ.get('COUNTY_DATA') else base}); {how}")
    return p


def _unit(code, name, level, parent=None):
    return {"code": code, "name": name, "level": level, **({"parent": parent} if parent else {})}


#: The demo deployment (written to ``county.toml`` in the output folder). Names of places are
#: modelled on the casebook's counties; every person is fictional and named only by surname.
DEMO_DEPLOYMENT: dict[str, Any] = {
    "deployment": {"name": "示范县（演示）", "code": "demo", "timezone": "Asia/Shanghai", "methods": list(FIVE_METHODS),
                   "actor": "demo"},
    "units": [
        _unit("demo", "示范县", "county"),
        _unit("demo.sza", "县三账办", "ledger_office", "demo"),
        _unit("demo.lxh", "县联席会议", "joint_meeting", "demo"),
        _unit("demo.zjj", "县住建局", "department", "demo"),
        _unit("demo.rsj", "县人社局", "department", "demo"),
        _unit("demo.jyj", "县教育局", "department", "demo"),
        _unit("demo.wjj", "县卫健局", "department", "demo"),
        _unit("demo.jtj", "县交通运输局", "department", "demo"),
        _unit("demo.hbj", "县生态环境局", "department", "demo"),
        # a Zhongjiang-style rural township (台账工作法): villages and a villager group (社)
        _unit("demo.fx", "富兴镇", "township", "demo"),
        _unit("demo.fx.llg", "柳林沟村", "village", "demo.fx"),
        _unit("demo.fx.llg.s3", "柳林沟村三社", "group", "demo.fx.llg"),
        _unit("demo.fx.sq", "石泉村", "village", "demo.fx"),
        _unit("demo.fx.hs", "黄石村", "village", "demo.fx"),
        # a second rural township (Xupu-style 代办, Jingning-style 乡会村开, Sinan-style 点题)
        _unit("demo.ts", "太平镇", "township", "demo"),
        _unit("demo.ts.xj", "新建村", "village", "demo.ts"),
        _unit("demo.ts.gy", "观音村", "village", "demo.ts"),
        # a Ningbo-style urban subdistrict (365社区服务): a community and its grids
        _unit("demo.cg", "城关街道", "township", "demo"),
        _unit("demo.cg.hp", "和平社区", "community", "demo.cg"),
        _unit("demo.cg.hp.g1", "和平社区第一网格", "grid", "demo.cg.hp"),
        _unit("demo.cg.hp.g2", "和平社区第二网格", "grid", "demo.cg.hp"),
    ],
    "people": [
        {"id": "fx-llg-01", "name": "杨某", "unit": "demo.fx.llg", "roles": ["village_party_secretary", "village_cadre"]},
        {"id": "fx-llg-02", "name": "刘某", "unit": "demo.fx.llg", "roles": ["village_cadre", "agent"],
         "skills": ["social_security"]},
        {"id": "fx-sq-01", "name": "陈某", "unit": "demo.fx.sq", "roles": ["village_cadre", "agent"]},
        {"id": "fx-hs-01", "name": "王某", "unit": "demo.fx.hs", "roles": ["village_cadre", "agent"]},
        {"id": "fx-01", "name": "赵某", "unit": "demo.fx", "roles": ["township_cadre", "agent"]},
        {"id": "ts-xj-01", "name": "李某", "unit": "demo.ts.xj", "roles": ["village_cadre", "agent", "skilled_member"],
         "skills": ["livestock", "planting"]},
        {"id": "ts-gy-01", "name": "周某", "unit": "demo.ts.gy", "roles": ["village_cadre", "agent", "skilled_member"],
         "skills": ["electrician", "legal_aid"]},
        {"id": "ts-01", "name": "吴某", "unit": "demo.ts", "roles": ["township_cadre", "agent"]},
        {"id": "cg-hp-01", "name": "郑某", "unit": "demo.cg.hp", "roles": ["community_secretary", "village_cadre"]},
        {"id": "cg-hp-g1", "name": "孙某", "unit": "demo.cg.hp.g1", "roles": ["grid_worker"]},
        {"id": "cg-hp-g2", "name": "钱某", "unit": "demo.cg.hp.g2", "roles": ["grid_worker"]},
        {"id": "cg-01", "name": "冯某", "unit": "demo.cg", "roles": ["township_cadre"]},
        {"id": "sza-01", "name": "何某", "unit": "demo.sza", "roles": ["ledger_office_staff"]},
        {"id": "zjj-01", "name": "许某", "unit": "demo.zjj", "roles": ["department_staff"]},
        {"id": "rsj-01", "name": "沈某", "unit": "demo.rsj", "roles": ["department_staff"]},
    ],
}


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def deployment_toml(methods: list[str]) -> str:
    """The demo deployment as TOML text, enabling ``methods``."""
    d = DEMO_DEPLOYMENT
    lines = ["# county demo: a county modelled on the casebook's counties (all people fictional)", "[deployment]"]
    for k, v in {**d["deployment"], "methods": methods}.items():
        lines.append(f"{k} = {_toml_value(v)}")
    for table in ("units", "people"):
        for row in d[table]:
            lines += ["", f"[[{table}]]"] + [f"{k} = {_toml_value(v)}" for k, v in row.items()]
    return "\n".join(lines) + "\n"


def _sample_path() -> Path:
    from importlib import resources

    return Path(str(resources.files("framework") / "data" / "sample_messages.csv"))


def run_demo(out_dir: str | Path, *, data_dir: str | Path | None = None, use_sample: bool = False,
             limit: int | None = None, progress: bool = False) -> dict:
    """Build the demo in ``out_dir`` (created; an earlier ``demo.db`` there is replaced).

    Returns a summary dict: ``data`` (``real`` or ``sample``), ``source`` (file), ``methods``,
    ``cases``, ``resolved``, ``sweeps``, ``escalations``, ``months``, ``on_time_rate`` (over
    all years, county level), ``share_settled`` (tier -> share), ``files`` (what was written),
    ``seconds`` and ``text`` (the printed summary). Raises CountyError on unusable data.
    """
    from framework import render
    from framework.config import load_config
    from framework.engine import County
    from framework.importers import RowContext, RowError, ensure_table, load_mapping, prepare_row, read_records
    from framework.registry import Registry
    from framework.store import Store

    t0 = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    real = None if use_sample else find_real_data(data_dir)
    source = real / TAIDI_REPLIED if real is not None else None
    if source is not None and not source.exists():
        source = None
    kind = "real" if source is not None else "sample"
    if source is None:
        source = _sample_path()

    registry = Registry()
    methods = [m for m in FIVE_METHODS if m in registry.methods]
    if "taizhang" not in methods:
        raise CountyError("county demo: the taizhang plugin is not installed or broken "
                          f"({registry.broken.get('taizhang', 'not found')}); see `county plugins list`")
    cfg = out / "county.toml"
    cfg.write_text(deployment_toml(methods), encoding="utf-8")
    db_path = out / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    county = County.init(Store(str(db_path)), load_config(cfg), registry, actor="demo")
    ensure_table(county)

    mapping = load_mapping("taidi-replied")
    if kind == "sample":
        mapping = attrs.evolve(mapping, format=None)
    src = read_records(source, mapping=mapping)
    records = src.records[:limit] if limit else src.records
    rc = RowContext(county, mapping, method="taizhang", classifier=_classifier())
    rows, refused = [], []
    for rec in records:
        try:
            rows.append(prepare_row(rec, rc))
        except RowError as e:
            refused.append(f"{source.name}: line {rec.line}: {e}")

    summary = _replay(county, rows, source.name, mapping.name, progress=progress)
    files, board_year = _write_outputs(county, out, render)
    summary["board_year"] = board_year
    years = summary.pop("years")
    tot = _totals(county, years)
    summary.update(tot)
    summary.update({
        "data": kind, "source": str(source), "methods": methods, "refused": refused,
        "out": str(out), "db": str(db_path), "config": str(cfg), "files": files,
        "seconds": round(time.perf_counter() - t0, 1),
    })
    topics = Counter(r.topic or "未分类" for r in rows)
    summary["topics"] = dict(topics.most_common())
    summary["text"] = _summary_text(summary)
    (out / "summary.txt").write_text(summary["text"] + "\n", encoding="utf-8")
    return summary


def _classifier():
    from framework.classify import default_classifier

    return default_classifier()


def _replay(county, rows, file: str, mapping: str, *, progress: bool) -> dict:
    """Replay the rows in time order with the nightly sweeps (:func:`framework.importers.replay`)."""
    from framework.importers import replay

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
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    prog = Progress(TextColumn("重放 replaying history"), BarColumn(), MofNCompleteColumn(),
                    console=Console(stderr=True), transient=True)
    prog.start()
    task = prog.add_task("replay", total=total)
    return (lambda n: prog.update(task, completed=n)), prog.stop


def _totals(county, years: list[int]) -> dict:
    """Cases, resolved, on-time rate and tier shares at the county level over all years, and
    per-year rates; summed from ``County.appraise`` year by year."""
    root = county.roots()[0].code
    per_year = {}
    tot = Counter()
    shares = Counter()
    for y in years:
        ms = [m for m in county.appraise(str(y), root) if m.subject == root and m.method == "taizhang"]
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


def _write_outputs(county, out: Path, render) -> tuple[list[str], int | None]:
    """Boards (html, md, csv) for the county and each township for the last year and last
    month with cases, and the appraisal for every year (json and a text table)."""
    files: list[str] = []
    row = county.store.db.execute("select min(created_ts), max(created_ts) from cases").fetchone()
    if row[0] is None:
        return files, None
    first = dt.datetime.fromtimestamp(row[0], county.calendar.tz)
    last = dt.datetime.fromtimestamp(row[1], county.calendar.tz)
    # the last year with at least a tenth of the cases of the busiest year (附件4: 2019, not 2020's 4)
    counts = Counter(dt.datetime.fromtimestamp(r[0], county.calendar.tz).year
                     for r in county.store.db.execute("select created_ts from cases"))
    busy = max(counts.values())
    year = max(y for y, n in counts.items() if n * 10 >= busy)
    month = max(dt.datetime.fromtimestamp(r[0], county.calendar.tz).strftime("%Y-%m")
                for r in county.store.db.execute("select created_ts from cases")
                if dt.datetime.fromtimestamp(r[0], county.calendar.tz).year == year)
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
                p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
                files.append(str(p))
    metrics = []
    lines = [f"考评 appraisal — {county.deployment.name}, {first.year}–{last.year} (county and townships)", ""]
    header = f"{'period':<8} {'unit':<10} {'method':<10} {'metric':<26} {'tier':<14} {'value':>8}  n/d"
    lines.append(header)
    lines.append("-" * len(header))
    keep = {root.code} | {u.code for u in units}
    for y in range(first.year, last.year + 1):
        for m in county.appraise(str(y)):
            d = attrs.asdict(m)
            metrics.append(d)
            if m.subject in keep and m.method == "taizhang" and m.metric in (
                    "cases", "resolved", "on_time_rate", "share_settled", "tier_on_time_rate"):
                name = county.units[m.subject].name if m.subject in county.units else m.subject
                if m.denominator is not None:
                    val = "—" if m.value is None else f"{m.value:.1%}"
                    nd = f"{m.numerator:g}/{m.denominator:g}"
                else:
                    val, nd = ("—" if m.value is None else f"{m.value:g}"), ""
                lines.append(f"{y:<8} {name:<10} {m.method or '':<10} {(m.label or m.metric):<26} "
                             f"{m.tier or '':<14} {val:>8}  {nd}")
    (out / "appraisal.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    (out / "appraisal.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    files += [str(out / "appraisal.json"), str(out / "appraisal.txt")]
    return files, year


def _summary_text(s: dict) -> str:
    which = ("real data: " if s["data"] == "real" else
             "no real data found (looked at --data, COUNTY_DATA and ../shared/data/real): built-in sample ")
    rate = "—" if s["on_time_rate"] is None else f"{s['on_time_rate']:.1%}"
    shares = ", ".join(f"{k} {v:.1%}" for k, v in sorted(s["share_settled"].items(), key=lambda kv: -(kv[1] or 0))
                       if v) or "—"
    lines = [
        f"county demo — {which}{s['source']}",
        f"methods enabled: {', '.join(s['methods'])}",
        f"loaded {s['cases']} messages as taizhang cases ({s['resolved']} resolved at their reply time), "
        f"{len(s['refused'])} refused",
        f"replayed {s['months']} months ({s['first_month']} … {s['last_month']}): {s['sweeps']} nightly sweeps, "
        f"{s['escalations']} escalations, {s['flags']} flags",
        f"on-time rate (taizhang chain, 5 days at the village): {rate} ({s['on_time']}/{s['on_time_denominator']})",
        f"resolved at tier: {shares}",
        f"topics proposed (keyword rule): " + ", ".join(f"{k} {v}" for k, v in list(s["topics"].items())[:6]),
        f"wrote {s['out']}/: demo.db, county.toml, boards/ ({sum('/boards/' in f for f in s['files'])} files), "
        f"appraisal.json, appraisal.txt, summary.txt",
        f"look: county appraise --db {s['db']} --period {s['board_year'] or ''}; "
        f"county board --db {s['db']} --unit demo --period {s['board_year'] or ''}",
        f"done in {s['seconds']}s",
    ]
    return "\n".join(lines)
