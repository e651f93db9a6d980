"""Appraisal reports (考评报告): the metrics of :meth:`County.appraise` laid out for people.

:func:`build_report` turns the metric rows into one :class:`AppraisalReport`:

* one :class:`UnitRow` per unit and method — cases (受理数), resolved (办结数), on time
  (按期办结数), resolution rate, on-time rate, satisfaction rate, and one :class:`TierShare` per
  tier of the method's chain (settled there, share of resolved, the tier's on-time rate);
* a rank (排名) among units of the same level for the same method, by on-time rate, then
  resolution rate, then satisfaction rate (equal figures share a rank). A unit with fewer than
  ``min_cases`` cases is not ranked (so one case cannot top a league);
* each method's own scores (metrics its ``county_appraisal`` hook returned);
* the monthly on-time trend of the report's top unit(s): the months of the period, or the six
  months up to it when the period is a single month.

A rate whose denominator is 0 has value None and is shown as "—", never as 100 %.
Renderers: :func:`render_table` (rich, terminal), :func:`render_xlsx`, :func:`render_html`
(standalone page; the charts are inline SVG written by :mod:`framework.publish.charts`, so the
file opens anywhere and needs no plotting library).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from typing import Any

import attrs

from framework.errors import CountyError
from framework.models import Metric
from framework.publish import charts, render_appraisal
from framework.publish.appraisal import on_time_by_month
from framework.publish.plain_table import print_text, write_table
from framework.publish.masking import mask_text
from framework.publish.render import RenderContext, _render_template, append_row, period_label, write_sheet
from framework.publish.report_labels import (DASH, Labeller, fmt_fraction, fmt_num, fmt_rate, fmt_rate_of, level_title,
                                             score_table)
from framework.timerules import period_dates

COMMON = {"cases", "resolved", "resolution_rate", "on_time_rate", "satisfaction_rate", "share_settled",
          "tier_on_time_rate"}
DEFAULT_MIN_CASES = 5


@attrs.define
class TierShare:
    """One tier of a unit's method: cases settled there, their share of resolved cases, and
    the tier's on-time rate (primary milestones met / met + missed)."""

    tier: str
    title: str
    settled: float = 0
    share: float | None = None
    on_time_rate: float | None = None
    on_time_num: float | None = None
    on_time_den: float | None = None


@attrs.define
class UnitRow:
    """The common figures of one unit for one method in the period."""

    unit: str
    unit_name: str
    level: str
    method: str
    method_title: str
    level_title: str = ""
    cases: float = 0
    resolved: float = 0
    on_time: float = 0
    on_time_den: float = 0
    rated: float = 0
    good: float = 0
    resolution_rate: float | None = None
    on_time_rate: float | None = None
    satisfaction_rate: float | None = None
    tiers: list[TierShare] = attrs.Factory(list)
    rank: int | None = None
    rank_of: int | None = None
    rank_note: str = ""


@attrs.define
class AppraisalReport:
    """Everything a report shows. ``trend`` maps method -> [(month, on-time rate or None)]
    for ``trend_unit``."""

    county_name: str
    period: str
    period_label: str
    unit: str | None
    unit_name: str
    min_cases: int
    rows: list[UnitRow] = attrs.Factory(list)
    scores: list[Metric] = attrs.Factory(list)
    trend_unit: str | None = None
    trend_unit_name: str = ""
    trend: dict[str, list[tuple[str, float | None]]] = attrs.Factory(dict)
    method_titles: dict[str, str] = attrs.Factory(dict)
    generated_at: str = ""


def min_cases_setting(county, option: int | None = None) -> int:
    """The minimum number of cases before a unit is ranked: the CLI option, else the
    environment variable ``COUNTY_MIN_CASES_TO_RANK``, else the deployment's
    ``min_cases_to_rank`` when it carries one, else 5. Raises CountyError on a bad value."""
    value: Any = option
    src = "--min-cases"
    if value is None and os.environ.get("COUNTY_MIN_CASES_TO_RANK"):
        value, src = os.environ["COUNTY_MIN_CASES_TO_RANK"], "COUNTY_MIN_CASES_TO_RANK"
    if value is None:
        value, src = getattr(getattr(county, "deployment", None), "min_cases_to_rank", None), "[deployment] min_cases_to_rank"
    if value is None:
        return DEFAULT_MIN_CASES
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = -1
    if n < 1:
        raise CountyError(f"{src}: {value!r} is not a whole number of cases >= 1")
    return n


def months_for_trend(period: str, count: int = 6) -> list[str]:
    """Months (``YYYY-MM``) of the trend: every month of a quarter or year, or the ``count``
    months up to and including a single month (or the month of a single day)."""
    start, end = period_dates(period)
    months = []
    y, m = start.year, start.month
    while dt.date(y, m, 1) < end:
        months.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if len(months) == 1:
        y, m = start.year, start.month
        months = []
        for _ in range(count):
            months.append(f"{y}-{m:02d}")
            y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        months.reverse()
    return months


def public_metrics(metrics: list[Metric]) -> list[Metric]:
    """The metrics as published (``county appraise --json``, the report's own-score tables):
    each :class:`~framework.models.Metric` with its ``label`` — free text a plugin wrote,
    which may quote a case or a setting — masked by :func:`framework.publish.masking.mask_text`
    (conventions §3: phones, ID and card numbers, e-mails, door numbers, cue-marked names;
    issue 15). Returns a new list: a new Metric where masking changed the label, else the same
    one; figures, subjects and keys are unchanged."""
    masked: dict[str, str] = {}  # a label repeats once per unit: masked once
    out = []
    for m in metrics:
        if m.label:
            label = masked.get(m.label)
            if label is None:
                label = masked[m.label] = mask_text(m.label)
            if label != m.label:
                m = attrs.evolve(m, label=label)
        out.append(m)
    return out


def build_report(county, period: str, unit: str | None = None, *, min_cases: int = DEFAULT_MIN_CASES,
                 metrics: list[Metric] | None = None, trend: bool = True) -> AppraisalReport:
    """Build the report for ``period`` (``2026-11``, ``2026Q4``, ``2026``) over ``unit``'s
    subtree (None: the whole deployment).

    ``metrics``: the output of ``county.appraise(period, unit)`` when the caller already has
    it; ``trend``: compute the monthly on-time trend (one appraisal per month). Raises
    CountyError/NotFound for a bad period or unit.
    """
    if metrics is None:
        metrics = county.appraise(period, unit)
    titles = {name: info.title_zh for name, info in county.registry.methods.items()}
    rows: dict[tuple[str, str], UnitRow] = {}
    tiers: dict[tuple[str, str, str], TierShare] = {}
    scores: list[Metric] = []

    def row(code: str, method: str) -> UnitRow:
        u = county.units.get(code)
        r = rows[(code, method)] = UnitRow(code, u.name if u else code, u.level if u else "", method,
                                           titles.get(method, method))
        r.level_title = level_title(r.level)
        return r

    def tier_title(method: str, tier: str | None) -> str:
        chain = county.chain_or_none(method)
        t = chain.tier(tier) if chain else None
        title = tier_titles[(method, tier)] = t.title_zh if t else level_title(tier)
        return title

    masked: dict[str, str] = {}  # a label repeats once per unit: masked once
    tier_titles: dict[tuple[str, str | None], str] = {}  # a method's tier named once, not once per unit
    add_score = scores.append
    for m in metrics:
        metric = m.metric
        if metric not in COMMON or m.subject_kind != "unit" or not m.method:
            label = masked.get(m.label)
            if label is None:
                label = masked[m.label] = mask_text(m.label)
            add_score(m if label == m.label else attrs.evolve(m, label=label))
            continue
        r = rows.get((m.subject, m.method)) or row(m.subject, m.method)
        if metric == "cases":
            r.cases = m.value or 0
        elif metric == "resolved":
            r.resolved = m.value or 0
        elif metric == "resolution_rate":
            r.resolution_rate = m.value
        elif metric == "on_time_rate":
            r.on_time_rate, r.on_time, r.on_time_den = m.value, m.numerator or 0, m.denominator or 0
        elif metric == "satisfaction_rate":
            r.satisfaction_rate, r.good, r.rated = m.value, m.numerator or 0, m.denominator or 0
        else:
            key = (m.subject, m.method, m.tier or "")
            ts = tiers.get(key)
            if ts is None:
                title = tier_titles.get((m.method, m.tier)) or tier_title(m.method, m.tier)
                ts = tiers[key] = TierShare(m.tier or "", title)
                r.tiers.append(ts)
            if metric == "share_settled":
                ts.settled, ts.share = m.numerator or 0, m.value
            else:
                ts.on_time_rate, ts.on_time_num, ts.on_time_den = m.value, m.numerator, m.denominator
    depths = {code: _depth(county, code) for code in {r.unit for r in rows.values()}}  # once a unit, not a row
    ordered = sorted(rows.values(), key=lambda r: (r.method, depths[r.unit], r.unit))
    rank_rows(ordered, min_cases)

    scope = county.unit(unit) if unit else None
    roots = [scope] if scope else county.roots()
    trend_unit = roots[0].code if len(roots) == 1 else None
    report = AppraisalReport(
        county_name=county.deployment.name, period=period, period_label=period_label(period),
        unit=unit, unit_name=scope.name if scope else county.deployment.name, min_cases=min_cases,
        rows=ordered, scores=scores, trend_unit=trend_unit,
        trend_unit_name=county.units[trend_unit].name if trend_unit else "", method_titles=titles,
        generated_at=county.now().strftime("%Y年%m月%d日 %H:%M"))
    if trend and trend_unit:
        methods = sorted({r.method for r in ordered}) or list(county.deployment.methods)
        series: dict[str, list[tuple[str, float | None]]] = {m: [] for m in methods}
        months = months_for_trend(period)
        by_month = on_time_by_month(county, months, trend_unit)  # one query, not one appraisal a month
        for month in months:
            got = by_month[month]
            for method in methods:
                series[method].append((month, got.get(method)))
        report.trend = series
    return report


def rank_rows(rows: list[UnitRow], min_cases: int) -> None:
    """Set ``rank``/``rank_of``/``rank_note`` on ``rows`` in place: within each (method, unit
    level), units with at least ``min_cases`` cases are ranked by on-time rate, resolution
    rate, satisfaction rate (None counts lowest); equal keys share a rank."""
    groups: dict[tuple[str, str], list[UnitRow]] = {}
    for r in rows:
        if r.cases >= min_cases:
            groups.setdefault((r.method, r.level), []).append(r)
        else:
            r.rank, r.rank_of, r.rank_note = None, None, f"不足{min_cases}件，不排名"

    def key(r: UnitRow):
        return tuple(-1.0 if v is None else v for v in (r.on_time_rate, r.resolution_rate, r.satisfaction_rate))

    for group in groups.values():
        keys = {id(r): key(r) for r in group}  # each row's key once
        group.sort(key=lambda r: keys[id(r)], reverse=True)
        prev, rank = None, 0
        for i, r in enumerate(group, start=1):
            k = keys[id(r)]
            if k != prev:
                rank, prev = i, k
            r.rank, r.rank_of, r.rank_note = rank, len(group), ""


def _depth(county, code: str) -> int:
    d, u = 0, county.units.get(code)
    while u is not None and u.parent and d < 64:
        d, u = d + 1, county.units.get(u.parent)
    return d


# -- display helpers ------------------------------------------------------------------------------


def fmt_rank(r: UnitRow) -> str:
    """``2/5`` or the reason the unit is not ranked."""
    return f"{r.rank}/{r.rank_of}" if r.rank is not None else r.rank_note


def fmt_metric(m: Metric) -> str:
    """A method's own metric: a rate as a percentage (or —), a score as a number."""
    if m.denominator is not None:
        return fmt_rate(m.value)
    return fmt_num(m.value)


SUMMARY_HEADER = ["单位", "层级", "工作法", "受理数", "办结数", "按期办结数", "办结率", "按期办结率", "满意率", "排名"]
TIER_HEADER = ["单位", "工作法", "层级", "在该层级办结", "办结占比", "该层级按期率"]
SCORE_HEADER = ["对象", "工作法", "指标", "层级", "值", "分子/分母"]
#: The footnote under the summary table (text and HTML, one line each): why 按期办结率 may top 办结率.
SUMMARY_NOTE = ("注：按期办结率 = 未超期办结数 /（办结数 + 已超期仍未办结数），括号内为分子/分母；",
                "未到期的在办事项不计入，所以按期办结率可以高于办结率（办结率 = 办结数 / 受理数）。")
#: The footnote under the tier table: a tier's on-time rate counts its deadlines, not what it settled.
TIER_NOTE = ("注：该层级按期率 = 该层级主时限按期数 /（按期数 + 超期数，到期未办的计为超期），括号内为分子/分母；",
             "事项在该层级时限内办结或上移都算按期（因逾期被督办上报的计为超期），所以在该层级办结为0时该层级按期率仍可有值。")


def summary_cells(r: UnitRow) -> list[str]:
    """The summary table's cells of one row (:data:`SUMMARY_HEADER`), as text: counts whole,
    rates as percentages, the on-time rate with its numerator and denominator
    (``50.0%（1/2）``: its denominator is no other column)."""
    return [r.unit_name, r.level_title, r.method_title, fmt_num(r.cases), fmt_num(r.resolved), fmt_num(r.on_time),
            fmt_rate(r.resolution_rate), fmt_rate_of(r.on_time_rate, r.on_time, r.on_time_den),
            fmt_rate(r.satisfaction_rate), fmt_rank(r)]


def tier_cells(r: UnitRow, ts: TierShare) -> list[str]:
    """The tier table's cells of one tier of a row (:data:`TIER_HEADER`), the tier's on-time
    rate with its numerator and denominator (``100.0%（1/1）``)."""
    return [r.unit_name, r.method_title, ts.title, fmt_num(ts.settled), fmt_rate(ts.share),
            fmt_rate_of(ts.on_time_rate, ts.on_time_num, ts.on_time_den)]


def render_table(report: AppraisalReport, county, console=None) -> None:
    """Print the report as rich tables (summary, tiers, the methods' own scores) on
    ``console`` (a ``rich.console.Console`` or a :class:`~framework.publish.plain_table.FileConsole`;
    default: the terminal), each of the first two with its footnote (:data:`SUMMARY_NOTE`,
    :data:`TIER_NOTE`). Every cell and title is a plain ``rich.text.Text``: a unit or metric
    named ``[link=…]…`` or ``[/]`` is printed as it is, never read as rich markup (issue 15).
    A table :func:`~framework.publish.plain_table.write_table` can write is written without
    rich's layout (and, on a ``FileConsole``, without loading rich's console at all)."""
    if console is None:
        from rich.console import Console  # rich (~25 ms) is loaded by the commands that print with it

        console = Console()
        if not console.is_terminal and "COLUMNS" not in os.environ:
            console = Console(width=160)  # piped to a file or a pager: don't truncate the Chinese headers

    def table(title: str, headers, right, rows, note: tuple[str, ...] = ()) -> None:
        # a big table without colour (a file, a pipe): the same characters, without rich's layout
        if not write_table(console, title, headers, right, rows):
            from rich.table import Table
            from rich.text import Text

            t = Table(title=Text(title) if title is summary_title else title)
            for h, r in zip(headers, right):
                t.add_column(h, justify="right" if r else "left")
            for cells in rows:
                t.add_row(*(Text(str(c)) for c in cells))
            console.print(t)
        for line in note:
            print_text(console, line)

    summary_title = f"考评 {report.unit_name} {report.period_label}（排名需受理满{report.min_cases}件）"
    table(summary_title, SUMMARY_HEADER, [3 <= i <= 8 for i in range(len(SUMMARY_HEADER))],
          [summary_cells(r) for r in report.rows], SUMMARY_NOTE if report.rows else ())
    tiers = [(r, ts) for r in report.rows for ts in r.tiers]
    if tiers:
        table("分层级办结（小事不出村…）", TIER_HEADER, [False] * len(TIER_HEADER),
              [tier_cells(r, ts) for r, ts in tiers], TIER_NOTE)
    if report.scores:
        labels = Labeller(county, report.scores)
        table("各工作法自有指标", SCORE_HEADER, [False] * len(SCORE_HEADER), score_table(labels, report.scores))
    if not report.rows and not report.scores:
        print_text(console, f"{report.period_label}无考评数据")


def _score_cells(labels: Labeller, m: Metric) -> list[str]:
    """The cells of a method's own score (对象, 工作法, 指标, 层级, 值, 分子/分母) as text, names by
    ``labels`` (one :class:`~framework.publish.report_labels.Labeller` per report)."""
    return [labels.subject(m), labels.method(m.method), m.label or m.metric, labels.tier(m), fmt_metric(m),
            fmt_fraction(m.numerator, m.denominator)]


def render_xlsx(report: AppraisalReport, county) -> bytes:
    """The report as an .xlsx workbook: sheets 汇总, 分层级, 工作法指标, 说明. Rates are numbers
    formatted as percentages; a rate with zero denominator is the text ``—``. Every text cell
    (unit, person and method names included) is neutralised against formula injection
    (:func:`framework.publish.render.append_row`)."""
    from openpyxl import Workbook  # optional heavy dependency: loaded only for .xlsx output

    wb = Workbook()
    wb.remove(wb.active)
    title = f"{report.county_name}{'' if report.unit_name == report.county_name else report.unit_name} {report.period_label}考评汇总"
    sub = f"期间：{report.period_label}　排名需受理满{report.min_cases}件　生成：{report.generated_at}"

    def rate(v):
        return DASH if v is None else v

    labels = Labeller(county, report.scores)

    write_sheet(wb.create_sheet("汇总"), title, sub, SUMMARY_HEADER,
                [[r.unit_name, r.level_title, r.method_title, r.cases, r.resolved, r.on_time, rate(r.resolution_rate),
                  rate(r.on_time_rate), rate(r.satisfaction_rate), fmt_rank(r)] for r in report.rows],
                number_formats={3: "0", 4: "0", 5: "0", 6: "0.0%", 7: "0.0%", 8: "0.0%"})
    write_sheet(wb.create_sheet("分层级"), title, sub, TIER_HEADER,
                [[r.unit_name, r.method_title, ts.title, ts.settled, rate(ts.share), rate(ts.on_time_rate)]
                 for r in report.rows for ts in r.tiers],
                number_formats={3: "0", 4: "0.0%", 5: "0.0%"})
    write_sheet(wb.create_sheet("工作法指标"), title, sub, SCORE_HEADER,
                [[labels.subject(m), labels.method(m.method), m.label or m.metric, labels.tier(m),
                  (DASH if m.value is None else m.value), fmt_fraction(m.numerator, m.denominator)]
                 for m in report.scores])
    ws = wb.create_sheet("说明")
    for line in NOTES(report):
        append_row(ws, [line])
    ws.column_dimensions["A"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def NOTES(report: AppraisalReport) -> list[str]:  # noqa: N802 - a constant-like list builder
    """The rules printed under every report."""
    return [
        "办结率 = 办结数 / 受理数（期内受理的事项）。",
        "按期办结率 = 未超期办结数 / （办结数 + 已超期仍未办结数）；未到期的在办事项不计入，"
        "所以按期办结率可以高于办结率。",
        "办结占比 = 在该层级办结的事项 / 办结数；该层级按期率 = 该层级主时限按期数 / （按期 + 超期）："
        "事项在该层级时限内办结或上移都算按期（因逾期被督办上报的计为超期）。",
        "满意率 = （满意 + 基本满意）/ 已评价数。",
        f"分母为0的比率显示为“{DASH}”，不是100%。受理不足{report.min_cases}件的单位不参与排名；"
        "同一工作法、同一层级的单位之间按按期办结率、办结率、满意率依次排名。",
    ]


# -- charts ---------------------------------------------------------------------------------------


def chart_tier_share(report: AppraisalReport, method: str, max_units: int = 12,
                     ctx: RenderContext | None = None) -> str | None:
    """Inline SVG: a horizontal stacked bar per unit of ``method`` (the top units by cases)
    showing the share of resolved cases settled at each tier. None when nothing was
    resolved."""
    rows = [r for r in report.rows if r.method == method and r.resolved > 0 and r.tiers][:max_units]
    if not rows:
        return None
    tiers = [ts.tier for ts in rows[0].tiers]
    titles = {ts.tier: ts.title for r in rows for ts in r.tiers}
    series = [(titles.get(tier, tier), [100 * next((ts.share or 0 for ts in r.tiers if ts.tier == tier), 0)
                                        for r in rows]) for tier in tiers]
    return charts.stacked_bars(f"{report.method_titles.get(method, method)}：各层级办结占比",
                               [r.unit_name for r in rows], series, "办结占比（%）", ctx)


def chart_on_time_trend(report: AppraisalReport, ctx: RenderContext | None = None) -> str | None:
    """Inline SVG: the monthly on-time rate of the report's top unit, one line per method;
    months with a zero denominator are gaps, not zeros. None without a trend."""
    if not report.trend or not any(v is not None for s in report.trend.values() for _, v in s):
        return None
    months = [mo for mo, _ in next(iter(report.trend.values()))]
    series = [(report.method_titles.get(method, method), [None if v is None else 100 * v for _, v in s])
              for method, s in report.trend.items()]
    return charts.lines(f"{report.trend_unit_name}：按月按期办结率", [period_label(mo) for mo in months], series,
                        "按期办结率（%）", ctx)


def render_html(report: AppraisalReport, county, template_dirs=()) -> str:
    """A standalone HTML report (template ``appraisal.html`` on the board template path) with
    the summary and tier tables (each with its footnote, :data:`SUMMARY_NOTE`, :data:`TIER_NOTE`),
    the methods' scores (names by :class:`~framework.publish.report_labels.Labeller`), the rules,
    and inline SVG charts (share by tier per method, monthly on-time trend). The tables' bodies
    are written by :mod:`framework.publish.render_appraisal` (``summary_rows``, ``tier_rows``,
    ``score_rows``); the rows and helpers they come from are passed too, for an operator's
    template."""
    ctx = RenderContext(county, list(template_dirs))
    methods = sorted({r.method for r in report.rows})
    figures = []
    for m in methods:
        svg = chart_tier_share(report, m, ctx=ctx)
        if svg:
            figures.append((f"{report.method_titles.get(m, m)}：各层级办结占比", svg))
    trend = chart_on_time_trend(report, ctx)
    if trend:
        figures.append((f"{report.trend_unit_name}：按月按期办结率", trend))
    labels = Labeller(county, report.scores)
    scores = score_table(labels, report.scores)
    return _render_template("appraisal.html", ctx, False, report=report, charts=figures, scores=scores,
                            notes=NOTES(report), fmt_rate=fmt_rate, fmt_num=fmt_num, fmt_rank=fmt_rank,
                            fmt_rate_of=fmt_rate_of, summary_note=SUMMARY_NOTE if report.rows else (),
                            tier_note=TIER_NOTE if any(r.tiers for r in report.rows) else (),
                            summary_header=SUMMARY_HEADER, tier_header=TIER_HEADER, score_header=SCORE_HEADER,
                            summary_rows=render_appraisal.summary_rows(report.rows, len(SUMMARY_HEADER), fmt_rank),
                            tier_rows=render_appraisal.tier_rows(report.rows),
                            score_rows=render_appraisal.score_rows(scores))
