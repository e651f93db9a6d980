"""The rows of the appraisal report's three HTML tables (考评报告：各单位办理情况、分层级办结情况、
各工作法自有指标), written in Python for :func:`framework.publish.reports.render_html`.

A year's report has tens of thousands of cells; the template wrote each one through Jinja2 (a
call per figure, an escape and a ``Markup`` per value: ~0.1 s of a year's report at 1 M cases,
issue 13). Here each distinct value is escaped once (:func:`markupsafe.escape`, the function
the template's autoescaping uses) and the rows are joined as text, character for character
what the template's loops wrote (the default ``appraisal.html`` prints ``summary_rows``,
``tier_rows`` and ``score_rows``; an operator's own template may still loop over ``report.rows``
and ``scores`` with the ``fmt_*`` helpers: both are passed).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from framework.publish.report_labels import fmt_num, fmt_rate, fmt_rate_of


class _Escaped(dict):
    """``{value: its escaped text}``, filled on first use (a value is escaped once)."""

    def __missing__(self, value: str) -> str:
        text = self[value] = str(escape(value))
        return text


def summary_rows(rows: Sequence, header_len: int, fmt_rank) -> Markup:
    """The summary table's body (one ``<tr>`` per :class:`~framework.publish.reports.UnitRow`,
    cells of :data:`~framework.publish.reports.SUMMARY_HEADER`), or its one "本期无受理事项" row
    spanning ``header_len`` columns when there are none. ``fmt_rank``: the rank cell's text."""
    e = _Escaped()
    if not rows:
        return Markup(f'\n    <tr><td colspan="{e[header_len]}">本期无受理事项</td></tr>\n  ')
    out = []
    for r in rows:
        out.append(
            f'\n    <tr data-unit="{e[r.unit]}" data-method="{e[r.method]}">\n'
            f'      <td>{e[r.unit_name]}</td><td>{e[r.level_title]}</td><td>{e[r.method_title]}</td>\n'
            f'      <td class="num">{e[fmt_num(r.cases)]}</td><td class="num">{e[fmt_num(r.resolved)]}</td>\n'
            f'      <td class="num">{e[fmt_num(r.on_time)]}</td>\n'
            f'      <td class="num">{e[fmt_rate(r.resolution_rate)]}</td>'
            f'<td class="num">{e[fmt_rate_of(r.on_time_rate, r.on_time, r.on_time_den)]}</td>\n'
            f'      <td class="num">{e[fmt_rate(r.satisfaction_rate)]}</td>\n'
            f'      <td class="{"num" if r.rank is not None else "unranked"}">{e[fmt_rank(r)]}</td>\n'
            f'    </tr>\n  ')
    return Markup("".join(out))


def tier_rows(rows: Sequence) -> Markup:
    """The tier table's body: one ``<tr>`` per tier of each row (cells of
    :data:`~framework.publish.reports.TIER_HEADER`); empty without tiers."""
    e = _Escaped()
    out = []
    for r in rows:
        for ts in r.tiers:
            out.append(
                f'\n    <tr data-unit="{e[r.unit]}" data-method="{e[r.method]}" data-tier="{e[ts.tier]}">\n'
                f'      <td>{e[r.unit_name]}</td><td>{e[r.method_title]}</td><td>{e[ts.title]}</td>\n'
                f'      <td class="num">{e[fmt_num(ts.settled)]}</td><td class="num">{e[fmt_rate(ts.share)]}</td>\n'
                f'      <td class="num">{e[fmt_rate_of(ts.on_time_rate, ts.on_time_num, ts.on_time_den)]}</td>\n'
                f'    </tr>\n  ')
    return Markup("".join(out))


def score_rows(scores: Sequence[Sequence[str]]) -> Markup:
    """The scores table's body: one ``<tr>`` of ``<td>`` cells per row of ``scores`` (the
    cells of :data:`~framework.publish.reports.SCORE_HEADER`, as text)."""
    esc = _Escaped().__getitem__
    return Markup("".join("<tr>" + ("<td>" + "</td><td>".join(map(esc, cells)) + "</td>" if cells else "")
                          + "</tr>\n  " for cells in scores))
