"""The appraisal report's two charts as inline SVG, drawn without a plotting library.

考评报告的两张图：直接写成 SVG，不依赖绘图库。

* :func:`stacked_bars` — one horizontal bar per row, stacked from 0 to 100 % (the share of
  resolved cases settled at each tier, per unit); a segment wide enough carries its figure;
* :func:`lines` — one line per series over a run of categories (the monthly on-time rate per
  method); a None value is a gap in its line, not a zero.

Both lay the figure out here (label widths estimated from the text: a CJK character is one
em, anything else about 0.6 em) and write it through a template on the board template path
(``chart_bars.svg``, ``chart_lines.svg``: an operator's ``--templates`` directory can restyle
them). The text stays text in the CJK font stack of the boards, so the browser draws the
Chinese with its own fonts; nothing random or dated is written (the same report gives the
same bytes). Colours are those of the earlier matplotlib charts (its ``tab10`` cycle).
"""

from __future__ import annotations

import math
import unicodedata
from typing import Sequence

from markupsafe import Markup

from framework.publish.render import CJK_FONTS, RenderContext, _render_template

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")
WIDTH = 720  # px; the report's figures shrink to the page (max-width: 100%)
FONT = 13  # px: tick labels, axis labels, legend
TITLE_FONT = 16
PAD = 12
SWATCH = 14  # legend key width


def text_width(text: str, size: float = FONT) -> float:
    """The estimated width of ``text`` at font size ``size`` (px)."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.6 * size for ch in str(text))


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _legend(labels: Sequence[str], top: float, left: float, width: float) -> tuple[list[dict], float]:
    """Legend entries laid out in rows under ``top`` across ``width``: ``([{x, y, color,
    label}], bottom)``."""
    items, x, y = [], left, top
    for i, label in enumerate(labels):
        w = SWATCH + 6 + text_width(label) + 18
        if x > left and x + w > left + width:
            x, y = left, y + FONT + 8
        items.append({"x": x, "y": y, "color": color(i), "label": label})
        x += w
    return items, (y + FONT if labels else top)


def _centre_legend(items: list[dict], left: float, width: float) -> None:
    """Centre each legend row within ``left`` … ``left + width``."""
    rows: dict[float, list[dict]] = {}
    for it in items:
        rows.setdefault(it["y"], []).append(it)
    for row in rows.values():
        last = row[-1]
        used = last["x"] + SWATCH + 6 + text_width(last["label"]) - row[0]["x"]
        shift = left + (width - used) / 2 - row[0]["x"]
        for it in row:
            it["x"] += shift


def stacked_bars(title: str, rows: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], xlabel: str,
                 ctx: RenderContext | None = None) -> Markup:
    """A horizontal stacked bar per entry of ``rows`` (top to bottom), each ``series`` being
    ``(label, one value per row)`` in percent, stacked left to right in order over a 0–100
    axis with ticks every 20. Returns the ``<svg>`` element."""
    label_w = max((text_width(r) for r in rows), default=0)
    left = PAD + label_w + 8
    plot_w = WIDTH - left - PAD - 8
    top = PAD + TITLE_FONT + 10
    pitch, bar_h = 32, 24
    plot_h = pitch * len(rows) + (pitch - bar_h)

    def x(v: float) -> float:
        return left + plot_w * max(0.0, min(100.0, v)) / 100

    bars = []
    for i, name in enumerate(rows):
        y = top + (pitch - bar_h) + i * pitch
        start, segments = 0.0, []
        for j, (label, values) in enumerate(series):
            v = float(values[i] or 0)
            if v > 0:
                x0, x1 = x(start), x(start + v)
                figure = f"{v:.0f}%"
                segments.append({"x": x0, "w": x1 - x0, "color": color(j), "tip": f"{name}　{label}：{v:.1f}%",
                                 "text": figure if x1 - x0 >= text_width(figure, FONT - 2) + 6 else ""})
            start += v
        bars.append({"y": y, "h": bar_h, "label": name, "segments": segments})
    ticks = [{"x": x(v), "label": f"{v:g}"} for v in range(0, 101, 20)]
    axis_y = top + plot_h
    xlabel_y = axis_y + 6 + FONT + 6 + FONT
    legend, bottom = _legend([label for label, _ in series], xlabel_y + FONT + 14, left, plot_w)
    _centre_legend(legend, left, plot_w)
    return Markup(_render_template(
        "chart_bars.svg", ctx or RenderContext(), False, title=title, width=WIDTH, height=bottom + PAD,
        font=Markup(CJK_FONTS.replace('"', "'")), font_size=FONT, title_font=TITLE_FONT, swatch=SWATCH,
        left=left, top=top, plot_w=plot_w, plot_h=plot_h, axis_y=axis_y, bars=bars, ticks=ticks, xlabel=xlabel,
        xlabel_y=xlabel_y, legend=legend).strip())


def lines(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
          ylabel: str, ctx: RenderContext | None = None, ymax: float = 105) -> Markup:
    """One line with round markers per ``series`` (``(label, one value per category)`` in
    percent; None: a gap) over ``categories`` (x labels, slanted 30°), on a 0–``ymax`` axis
    with ticks and light grid lines every 20. Returns the ``<svg>`` element."""
    left = PAD + FONT + 8 + text_width("100") + 8
    plot_w = WIDTH - left - PAD - 8
    top = PAD + TITLE_FONT + 10
    plot_h = 200
    axis_y = top + plot_h
    n = len(categories)
    margin = plot_w * 0.05

    def x(i: int) -> float:
        return left + plot_w / 2 if n < 2 else left + margin + (plot_w - 2 * margin) * i / (n - 1)

    def y(v: float) -> float:
        return axis_y - plot_h * max(0.0, min(ymax, v)) / ymax

    ticks_x = [{"x": x(i), "label": c} for i, c in enumerate(categories)]
    ticks_y = [{"y": y(v), "label": f"{v:g}"} for v in range(0, int(ymax) + 1, 20)]
    drawn = []
    for j, (label, values) in enumerate(series):
        runs, run, points = [], [], []
        for i, v in enumerate(values):
            if v is None:
                if run:
                    runs.append(run)
                run = []
                continue
            p = {"x": x(i), "y": y(float(v)), "tip": f"{categories[i]}　{label}：{float(v):.1f}%"}
            run.append(p)
            points.append(p)
        if run:
            runs.append(run)
        drawn.append({"color": color(j), "label": label, "points": points,
                      "runs": [" ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in r) for r in runs if len(r) > 1]})
    slant = max((text_width(c) for c in categories), default=0) * math.sin(math.radians(30)) + FONT
    legend, bottom = _legend([label for label, _ in series], axis_y + 8 + slant + 14, left, plot_w)
    _centre_legend(legend, left, plot_w)
    return Markup(_render_template(
        "chart_lines.svg", ctx or RenderContext(), False, title=title, width=WIDTH, height=bottom + PAD,
        font=Markup(CJK_FONTS.replace('"', "'")), font_size=FONT, title_font=TITLE_FONT, swatch=SWATCH,
        left=left, top=top, plot_w=plot_w, plot_h=plot_h, axis_y=axis_y, ticks_x=ticks_x, ticks_y=ticks_y,
        series=drawn, ylabel=ylabel, legend=legend).strip())
