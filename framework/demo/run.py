"""``county demo``: a demo county on real citizen messages.

演示：按案例县的结构建一个示范县，启用五个工作法，把真实的网络问政留言（泰迪杯 2020C 附件4，
2,816 条有答复的留言）作为台账事项导入（到达 = 留言时间，办结 = 答复时间），逐月重放每晚的督办
扫描，然后把公示栏和考评写到输出目录。

What it does, step by step:

1. Finds the real data (:func:`find_real_data`: ``--data``, env ``COUNTY_DATA``, or
   ``shared/data/real`` next to the repository); without it, uses the small made-up sample
   ``framework/interchange/data/sample_messages.csv`` (same columns as 附件4) and says so.
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
5. Picks the demo period (:func:`_demo_period`: 2019 and 2019-12 on 附件4) and gives the
   other four methods a small, fixed month of work in it (:func:`seed_methods`): dianti's
   register, requests and ratings at 观音村; daiban's tracking cards, card check and a
   complaint at 新建村; a xiangkai meeting at 新建村 on real message titles, with notices and a
   callback; shequ365's grids, households, visits, patrols and cases at 和平社区 — each through
   the plugin's own CLI commands run in-process (click's CliRunner, ``--db``/``--now``).
6. Writes boards (``County.boards`` rendered to html, md and csv) for the county and each
   township, the appraisal (``appraisal.json`` and ``appraisal.txt``) for every year, and
   prints where they are and a short summary.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
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
    return Path(__file__).resolve().parents[2]


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
        # villager groups (村民小组) of 新建村 with their volunteer agents (组代办员, daiban)
        _unit("demo.ts.xj.g1", "新建村一组", "group", "demo.ts.xj"),
        _unit("demo.ts.xj.g2", "新建村二组", "group", "demo.ts.xj"),
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
        {"id": "ts-02", "name": "邓某", "unit": "demo.ts", "roles": ["centre_director"]},
        {"id": "ts-xj-g1", "name": "唐某", "unit": "demo.ts.xj.g1", "roles": ["agent"]},
        {"id": "ts-xj-g2", "name": "蒋某", "unit": "demo.ts.xj.g2", "roles": ["agent"]},
        {"id": "cg-hp-01", "name": "郑某", "unit": "demo.cg.hp",
         "roles": ["community_secretary", "village_cadre", "community_leader"]},
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

    return Path(str(resources.files("framework.interchange") / "data" / "sample_messages.csv"))


def run_demo(out_dir: str | Path, *, data_dir: str | Path | None = None, use_sample: bool = False,
             limit: int | None = None, progress: bool = False) -> dict:
    """Build the demo in ``out_dir`` (created; an earlier ``demo.db`` there is replaced).

    Returns a summary dict: ``data`` (``real`` or ``sample``), ``source`` (file), ``methods``,
    ``cases``, ``resolved``, ``sweeps``, ``escalations``, ``months``, ``on_time_rate`` (over
    all years, county level), ``share_settled`` (tier -> share), ``files`` (what was written),
    ``seeded`` (per method, what :func:`seed_methods` did), ``board_month``/``board_year``,
    ``method_rows`` (method -> period -> rows on the county's boards), ``seconds`` and
    ``text`` (the printed summary). Raises CountyError on unusable data.
    """
    from framework.publish import render
    from framework.kernel.config import load_config
    from framework.kernel.county import County
    from framework.interchange.importers import RowContext, RowError, ensure_table, load_mapping, prepare_row, read_records
    from framework.kernel.registry import Registry
    from framework.store.db import Store

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
    year, month = _demo_period(county)
    seeded = {}
    if year is not None and len(methods) == len(FIVE_METHODS):
        seeded = seed_methods(db_path, month, _real_topics(rows, month, county.calendar.tz))
        county = County(Store(str(db_path)), registry)  # the seeding wrote through its own connections
    files, board_year = _write_outputs(county, out, render, year, month)
    summary["seeded"] = seeded
    summary["board_month"] = month
    summary["method_rows"] = _board_rows(county, year, month) if year is not None else {}
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
    from framework.interchange.triage import default_classifier

    return default_classifier()


def _replay(county, rows, file: str, mapping: str, *, progress: bool) -> dict:
    """Replay the rows in time order with the nightly sweeps (:func:`framework.interchange.importers.replay`)."""
    from framework.interchange.importers import replay

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


def _write_outputs(county, out: Path, render, year: int | None, month: str | None) -> tuple[list[str], int | None]:
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


def _seeded_lines(s: dict) -> list[str]:
    """The four other methods' lines of the summary: what was seeded, what is real, board rows."""
    x, month = s.get("seeded") or {}, s.get("board_month")
    if not x:
        return ["dianti, daiban, xiangkai, shequ365: no data seeded (all five plugins are needed)"]
    d, b, k, q = x["dianti"], x["daiban"], x["xiangkai"], x["shequ365"]
    rows = s.get("method_rows") or {}
    year = str(s.get("board_year"))
    return [
        f"seeded in {month} (made up, people fictional) through each plugin's CLI: "
        f"dianti at 观音村 {d['requests']} requests to {d['groups']} groups of {d['members']} members, "
        f"{d['resolved']} served, {d['ratings']} ratings; "
        f"daiban at 新建村 {b['cards']} cards ({b['late']} late, {b['open']} open past due), card check, "
        f"{b['complaints']} complaint rectified; "
        f"xiangkai at 新建村 1 meeting, {k['topics']} topics, {k['notices']} notices, {k['callbacks']} callback; "
        f"shequ365 at 和平社区 {q['households']} households, {q['visits']} visited, "
        f"{q['patrols']}/{q['patrols_due']} patrols, {q['cases']} cases",
        f"{'real data' if s['data'] == 'real' else 'sample data (made up)'}: the {s['cases']} taizhang cases and {k['real_topics']} xiangkai topic titles "
        f"(the first messages of {month}); all else of the four methods is seeded",
        f"board rows (county, {month} / {year}): " + ", ".join(
            f"{m} {rows.get(m, {}).get(month, 0)}/{rows.get(m, {}).get(year, 0)}" for m in FIVE_METHODS),
    ]


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
        "topics proposed (keyword rule): " + ", ".join(f"{k} {v}" for k, v in list(s["topics"].items())[:6]),
        *_seeded_lines(s),
        f"wrote {s['out']}/: demo.db, county.toml, boards/ ({sum('/boards/' in f for f in s['files'])} files), "
        f"appraisal.json, appraisal.txt, summary.txt",
        f"look: county appraise --db {s['db']} --period {s['board_year'] or ''}; "
        f"county board --db {s['db']} --unit demo --period {s['board_year'] or ''}",
        f"done in {s['seconds']}s",
    ]
    return "\n".join(lines)


# -- the other four methods: a small, fixed month of work in the demo month ----------------------

#: Made-up contacts put on seeded cases, to show that no board prints them (masking).
DEMO_PHONE = "13907450123"
DEMO_ID_NUMBER = "431229196803150017"


class _Cli:
    """``county …`` run in-process (click's CliRunner against :data:`framework.cli.core.cli`) on the
    demo database at a given ``--now``; returns the ``--json`` document, raises on failure."""

    def __init__(self, db: Path):
        from click.testing import CliRunner

        from framework.cli.main import cli

        self.db, self.cli, self.runner, self.calls = str(db), cli, CliRunner(), 0

    def __call__(self, *args, now: str):
        args = [str(a) for a in args] + ["--db", self.db, "--now", now, "--json"]
        r = self.runner.invoke(self.cli, args, catch_exceptions=False, env={"COUNTY_ACTOR": "demo"})
        self.calls += 1
        if r.exit_code != 0:
            raise CountyError(f"county demo: seeding failed: county {' '.join(args)} -> exit {r.exit_code}: "
                              f"{(r.stderr or r.output).strip()}")
        return json.loads(r.stdout) if r.stdout.strip() else None


def _real_topics(rows, month: str, tz, n: int = 3) -> list[tuple[str, str | None]]:
    """The first ``n`` real messages (title, requester) taken in during ``month``, in time order
    then by 留言编号, whose title holds no run of digits (never a phone or ID in a topic)."""
    picked = []
    for r in sorted((r for r in rows if r.created_at is not None), key=lambda r: (r.created_at, str(r.source_id or ""))):
        if r.created_at.astimezone(tz).strftime("%Y-%m") != month or re.search(r"\d{5,}", r.title or ""):
            continue
        picked.append((r.title, r.requester.name))
        if len(picked) == n:
            break
    return picked


def seed_methods(db: Path, month: str, real_topics: list[tuple[str, str | None]]) -> dict:
    """Give dianti, daiban, xiangkai and shequ365 a small, fixed month of work in ``month``
    (YYYY-MM, the demo month), each through its own CLI commands (and the kernel's ``county
    case …``) run in-process. Days are fixed; only the month follows the data. Returns counts
    per method for the summary."""
    run = _Cli(db)
    y, m = (int(x) for x in month.split("-"))
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    nxt = dt.date(y, m, last) + dt.timedelta(days=1)

    def at(day: int, hm: str = "09:00") -> str:
        return f"{y:04d}-{m:02d}-{day:02d}T{hm}:00+08:00"

    def add(method, unit, title, when, *sets, channel=None, category=None, name=None, phone=None, id_number=None):
        args = ["case", "add", "--method", method, "--unit", unit, "--title", title]
        args += ["--channel", channel] if channel else []
        args += ["--category", category] if category else []
        args += ["--requester-name", name] if name else []
        args += ["--requester-phone", phone] if phone else []
        args += ["--requester-id-number", id_number] if id_number else []
        for kv in sets:
            args += ["--set", kv]
        return run(*args, now=when)["id"]

    counts: dict[str, dict] = {}

    # dianti 点题服务 at 观音村: a register of three groups led by party members, the window rota,
    # the supervision centre, eight requests routed and served, villagers' ratings
    v = "demo.ts.gy"
    register = [  # id, name, group, skills, party member, leader
        ("gy-n1", "罗某", "technical", "planting,livestock", "yes", True),
        ("gy-n2", "梁某", "technical", "planting,fruit_trees", "no", False),
        ("gy-n3", "宋某", "technical", "livestock", "no", False),
        ("gy-n4", "韩某", "legal", "legal_aid,contract", "yes", True),
        ("gy-n5", "唐某", "legal", "legal_aid", "no", False),
        ("gy-n6", "曹某", "mediation", "mediation", "yes", True),
        ("gy-n7", "邓某", "mediation", "mediation,neighbourhood", "no", False),
    ]
    start = at(1, "08:00")
    for code, skills in (("technical", "planting,livestock,fruit_trees,种植,养殖"), ("legal", "legal_aid,contract,法律,合同"),
                         ("mediation", "mediation,纠纷,调解")):
        run("dianti", "group", "add", "--unit", v, "--code", code, "--skills", skills, now=start)
    for pid, name, group, skills, party, leader in register:
        run("dianti", "member", "add", "--id", pid, "--name", name, "--unit", v, "--group", group, "--skills", skills,
            "--party-member", party, *(["--leader"] if leader else []), now=start)
    run("dianti", "centre", "add", "--unit", v, "--centre", "supervision", "--person", "gy-n6", "--role", "leader", now=start)
    for wd in ("mon", "wed", "fri"):
        run("dianti", "rota", "--unit", v, "--weekday", wd, "--person", "ts-gy-01", now=start)
    requests = [  # day, title, skill, resolved day, ratings
        (2, "柑橘树冬季修剪指导", "planting", 4, (5, 5, 4)),
        (3, "生猪冬季防疫", "livestock", 5, (5, 4)),
        (5, "土地流转合同审查", "legal_aid", 9, (4, 5, 5)),
        (9, "蔬菜大棚保温技术", "planting", 12, (4,)),
        (10, "邻里宅基地界址纠纷调解", "mediation", 16, (3, 4)),
        (12, "山羊养殖技术咨询", "livestock", 13, (5, 5, 5)),
        (16, "外出务工工资拖欠法律咨询", "legal_aid", 20, (5,)),
        (23, "果树病虫害防治", "planting", None, ()),
    ]
    dianti_ids = []
    for i, (day, title, skill, done, ratings) in enumerate(requests):
        req = {"planting": "上门现场指导", "livestock": "入户技术服务", "legal_aid": "一周内书面意见", "mediation": "双方到场调解"}[skill]
        cid = add("dianti", v, title, at(day, "10:00"), f"skill={skill}", f"requirement={req}", f"service_date={y:04d}-{m:02d}-{min(day + 5, last):02d}",
                  channel="window", name=("村民" + "甲乙丙丁戊己庚辛"[i]), phone=DEMO_PHONE if i == 0 else None)
        dianti_ids.append(cid)
        run("dianti", "measure", cid, "--note", "服务小组上门服务", now=at(day, "15:00"))
        if done:
            run("case", "resolve", cid, "--note", f"{title}：已完成", now=at(done, "17:00"))
            for k, score in enumerate(ratings):
                run("dianti", "rate", cid, "--score", score, "--rater", f"村民{k + 1}", now=at(done, "18:00"))
    run("dianti", "supervise", dianti_ids[-1], "--note", "服务监督中心督促按期服务", "--person", "gy-n6", now=at(last, "10:00"))
    counts["dianti"] = {"requests": len(requests), "resolved": sum(1 for r in requests if r[3]),
                        "ratings": sum(len(r[4]) for r in requests), "members": len(register), "groups": 3}

    # daiban 村民事务代办 at 太平镇新建村: group agents, ten tracking cards (both scopes, two
    # completed late, one still open past due), the month's card check, a complaint rectified
    errands = [  # day, hour, group, title, scope, mode, category, hours to completion (None: open)
        (2, "09:00", "demo.ts.xj.g1", "代办新生儿户口登记", "county", "home_visit", "household_register", 50),
        (3, "10:00", "demo.ts.xj.g1", "代领养老保险资格认证表", "township", "fixed_point", "other", 5),
        (4, "14:00", "demo.ts.xj.g2", "代取邮政包裹", "township", "home_visit", "mail_parcel", 3),
        (6, "09:30", "demo.ts.xj.g2", "代办医疗救助申请", "county", "home_visit", "medical_aid", 73),
        (9, "11:00", "demo.ts.xj.g1", "代缴新农合参保费", "township", "fixed_point", "other", 30),
        (11, "15:00", "demo.ts.xj.g2", "代办残疾人证年审", "county", "home_visit", "other", 66),
        (13, "08:30", "demo.ts.xj.g1", "代购化肥种子", "township", "fixed_point", "collect_goods", 6),
        (17, "10:00", "demo.ts.xj.g2", "代办低保年审材料", "township", "home_visit", "other", 30),
        (20, "16:00", "demo.ts.xj.g1", "代办身份证换领", "county", "home_visit", "household_register", 66),
        (27, "09:00", "demo.ts.xj.g2", "代领高龄补贴", "township", "fixed_point", "other", None),
    ]
    cards, late = [], []
    for i, (day, hm, grp, title, scope, mode, cat, hours) in enumerate(errands):
        when = at(day, hm)
        cid = add("daiban", grp, title, when, f"scope={scope}", f"mode={mode}", f"group={grp}",
                  *(["special_group=elderly"] if mode == "home_visit" else []), category=cat,
                  name=("户主" + "子丑寅卯辰巳午未申酉"[i]), phone=DEMO_PHONE if i % 3 == 0 else None,
                  id_number=DEMO_ID_NUMBER if i == 1 else None)
        cards.append(cid)
        if hours is not None:
            done = dt.datetime.fromisoformat(when) + dt.timedelta(hours=hours)
            run("daiban", "sign", cid, "--satisfaction", "satisfied" if hours < 48 or scope == "county" else "basically",
                "--outcome", "已办结并送达", "--hours", 2, now=done.isoformat())
            if (scope == "township" and hours > 24) or (scope == "county" and hours > 96):
                late.append(cid)
    run("sweep", now=f"{nxt.isoformat()}T00:00:00+08:00")
    run("daiban", "check", "--month", month, "--unit", "demo.ts", now=f"{nxt.isoformat()}T09:00:00+08:00")
    comp = run("daiban", "complaint", "add", "--complainant", "户主巳", "--kind", "overdue", "--case", late[0],
               "--text", "缴费代办超过24小时才回复", now=at(12, "09:00"))
    comp_id = str(comp.get("id") or comp.get("complaint", {}).get("id"))
    run("daiban", "complaint", "investigate", comp_id, "--upheld", "--finding", "代办员未按时回复",
        "--severity", "minor", "--accountability", "批评教育", now=at(13, "09:00"))
    run("daiban", "complaint", "rectify", comp_id, "--measure", "代办员当面致歉并建立回复提醒", "--days", 7, now=at(13, "10:00"))
    run("daiban", "complaint", "close", comp_id, "--result", "已整改，群众满意", now=at(18, "10:00"))
    counts["daiban"] = {"cards": len(cards), "late": len(late), "open": sum(1 for e in errands if e[7] is None),
                        "complaints": 1}

    # xiangkai 乡会村开 at 新建村: topics (real message titles where the data have them), one
    # evening meeting in the slack month, two settled with supervision notices (三定), one callback
    xv = "demo.ts.xj"
    topics = list(real_topics) or []
    seeded_topics = [("村道路灯损坏夜间出行不便", None), ("村小学校车接送安排", None), ("集中居住点污水处理", None)]
    topics = (topics + seeded_topics)[:3]
    run("xiangkai", "month", month, "--theme", "冬季民生实事", "--village", xv, now=at(1, "08:00"))
    tids = [add("xiangkai", xv, title, at(2, f"{9 + k:02d}:00"), "platform=forum", "urgency=urgent" if k == 0 else "urgency=normal",
                "importance=major", "collector=ts-xj-01", channel="online", category="livelihood", name=who)
            for k, (title, who) in enumerate(topics)]
    mt = run("xiangkai", "meeting", "add", "--village", xv, "--type", "theme_briefing", "--at", at(10, "19:00"),
             "--title", "冬季民生实事议事会", *sum((["--topic", t] for t in tids), []), now=at(3, "09:00"))
    mid = mt.get("id") or mt.get("meeting", {}).get("id")
    run("xiangkai", "meeting", "hold", mid, "--resolution", f"{tids[0]}=由村委会牵头限期办理",
        "--resolution", f"{tids[1]}=报乡镇协调相关部门办理", "--defer", tids[2], "--attended", 46, now=at(10, "21:00"))
    run("xiangkai", "notice", "issue", tids[0], "--responsible", "ts-xj-01", "--standard", "办结并答复留言群众",
        "--within-days", 7, now=at(11, "09:00"))
    run("xiangkai", "notice", "issue", tids[1], "--responsible", "ts-01", "--standard", "协调方案落实",
        "--due", f"{y:04d}-{m:02d}-20", now=at(11, "09:30"))
    run("case", "resolve", tids[0], "--note", "已按议定事项办结", now=at(16, "16:00"))
    run("xiangkai", "callback", tids[0], "--note", "回访群众，反映问题已解决", "--visitor", "ts-01",
        "--satisfaction", "satisfied", now=at(18, "10:00"))
    counts["xiangkai"] = {"topics": len(tids), "real_topics": min(len(real_topics), 3), "meetings": 1, "notices": 2,
                          "callbacks": 1}

    # shequ365 at 和平社区: its two grids, six households linked to the two social workers, the
    # month's visits and patrols (some missed), two cases from visits, the month-end joint meeting
    hp = "demo.cg.hp"
    tmpdir = tempfile.TemporaryDirectory(prefix="county-demo-")
    tmp = Path(tmpdir.name)
    created = f"{y:04d}-{m:02d}-01"
    members = [("cg-hp-g1", "孙某", "social_worker", "民政"), ("cg-hp-g2", "钱某", "social_worker", "综治")]
    (tmp / "members.csv").write_text(
        "id,name,kind,community,line,grid,block,roles,work_post,service_post,created_at\n" + "".join(
            f"{pid},{n},{k},{hp},{line},,,,,,{created}\n" for pid, n, k, line in members), encoding="utf-8")
    (tmp / "grids.csv").write_text(
        "code,name,community,worker,planned_households,created_at\n"
        f"demo.cg.hp.g1,和平社区第一网格,{hp},cg-hp-g1,250,{created}\n"
        f"demo.cg.hp.g2,和平社区第二网格,{hp},cg-hp-g2,250,{created}\n", encoding="utf-8")
    households = [("hp-101", "demo.cg.hp.g1", "和平路1号101", "住户甲", "elderly_alone", "cg-hp-g1"),
                  ("hp-102", "demo.cg.hp.g1", "和平路1号102", "住户乙", "", "cg-hp-g1"),
                  ("hp-103", "demo.cg.hp.g1", "和平路3号201", "住户丙", "needy", "cg-hp-g1"),
                  ("hp-201", "demo.cg.hp.g2", "新华街8号101", "住户丁", "retiree", "cg-hp-g2"),
                  ("hp-202", "demo.cg.hp.g2", "新华街8号302", "住户戊", "unemployed", "cg-hp-g2"),
                  ("hp-203", "demo.cg.hp.g2", "新华街10号102", "住户己", "", "cg-hp-g2")]
    (tmp / "households.csv").write_text(
        "id,grid,address,head,phone,kinds,worker,moved_in,created_at\n" + "".join(
            f"{h},{g},{a},{head},{DEMO_PHONE},{k},{w},,{created}\n" for h, g, a, head, k, w in households),
        encoding="utf-8")
    run("shequ365", "members", "import", tmp / "members.csv", now=at(1, "08:00"))
    run("shequ365", "grids", "import", tmp / "grids.csv", now=at(1, "08:00"))
    run("shequ365", "households", "import", tmp / "households.csv", now=at(1, "08:00"))
    tmpdir.cleanup()
    visits = {"hp-101": 3, "hp-102": 5, "hp-103": 10, "hp-201": 4, "hp-202": 12}  # hp-203 not visited: missed
    issues = {"hp-101": ("楼道声控灯损坏", "repair", ()),
              "hp-202": ("失业人员再就业培训申请", "employment", (f"committed_date={y:04d}-{m:02d}-20",))}
    shequ_cases = []
    for h, day in visits.items():
        worker = next(w for hh, *_, w in households if hh == h)
        extra = []
        if h in issues:
            title, cat, sets = issues[h]
            extra = ["--issue", title, "--category", cat] + sum((["--set", s] for s in sets), [])
        r = run("shequ365", "visit", "record", h, "--worker", worker, "--note", "每月联户走访", *extra, now=at(day, "10:00"))
        if h in issues:
            cid = (r.get("case") or {}).get("id") if isinstance(r.get("case"), dict) else r.get("case_id") or r.get("case")
            shequ_cases.append(cid)
    patrols = 0
    for day in range(1, last + 1):
        for grid, worker in (("demo.cg.hp.g1", "cg-hp-g1"), ("demo.cg.hp.g2", "cg-hp-g2")):
            for shift, hm in (("morning", "07:30"), ("evening", "19:30")):
                if (day * 7 + len(shift) + (grid[-1] == "2") * 3) % 9 == 0:  # a fixed few missed
                    continue
                run("shequ365", "patrol", "record", grid, "--shift", shift, "--worker", worker, now=at(day, hm))
                patrols += 1
    run("case", "resolve", shequ_cases[0], "--note", "已更换声控灯", now=at(4, "15:00"))
    run("shequ365", "meeting", "record", "--community", hp, "--kind", "joint", "--item", "冬季消防安全检查安排",
        "--item", "困难家庭春节慰问名单", "--case", shequ_cases[0], now=at(last, "16:00"))
    counts["shequ365"] = {"households": len(households), "visits": len(visits), "patrols": patrols,
                          "patrols_due": 2 * 2 * last, "cases": len(shequ_cases)}
    counts["cli_calls"] = run.calls
    return counts


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
