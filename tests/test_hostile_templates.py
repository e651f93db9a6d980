"""Nothing injected (issue 15): hostile unit names, person names, method settings values and
case titles/notes reach every template (html and md boards, the appraisal html report and its
svg charts) only escaped.

The ``hostile`` test method puts each of them on its board (title, rows, notes) and in its own
appraisal score label; the county is built once for the module. ``HOSTILE_COUNTY`` and
``hostile_county`` are shared with tests/test_hostile_spreadsheets.py.
"""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from framework import hookimpl
from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.models import Board, BoardSection, Deadline, MethodInfo, Metric, Milestone, Requester, Setting, Tier
from framework.publish import render, reports
from framework.store.db import Store

TOWN = "<script>alert(1)</script>镇"
VILLAGE = '=HYPERLINK("http://x")村'
VILLAGE2 = "|管|</td><img src=x onerror=alert(2)>村[/]"
PERSON = "<b onmouseover=alert(3)>王五</b>"
RICH = "[link=http://x]点我[/link][bold]"  # rich markup in a settings value
SETTING = "</p><script>alert(4)</script>"
TITLE = '<iframe src="javascript:alert(5)"></iframe>|a|b|\n## 注入标题'
NOTE = "[点我](javascript:alert(6)) `x` <svg onload=alert(7)>\n# 注入\n- 列表"
FORMULAS = ["-2+3+cmd|' /C calc'!A0", '+1+HYPERLINK("http://x")', '=HYPERLINK("http://x","y")', "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]

#: The raw markup that must never reach an HTML or Markdown page.
DANGER = ["<script", "<img", "<iframe", "<svg onload", "<b onmouseover", "</td><img"]

HOSTILE_COUNTY = {
    "deployment": {"name": "中江县", "code": "zj", "methods": ["hostile"]},
    "units": [
        {"code": "zj", "name": "中江县", "level": "county"},
        {"code": "zj.t", "name": TOWN, "level": "township", "parent": "zj"},
        {"code": "zj.t.v", "name": VILLAGE, "level": "village", "parent": "zj.t"},
        {"code": "zj.t.w", "name": VILLAGE2, "level": "village", "parent": "zj.t"},
    ],
    "people": [{"id": "p1", "name": PERSON, "unit": "zj.t.v", "roles": ["cadre"]}],
    "plugins": {"hostile": {"hotline": SETTING + RICH}},
}

COLUMNS = [("case_id", "编号"), ("title", "事项"), ("unit_name", "单位"), ("handler", "承办人"),
           ("description", "情况"), ("amount", "金额")]


class HostilePlugin:
    """The ``hostile`` method (test only): a village -> township chain, a board carrying every
    hostile value, one own score labelled with the settings value."""

    __name__ = "hostile"

    @staticmethod
    @hookimpl
    def county_method():
        return MethodInfo(
            name="hostile", title_zh="测试法", title="Hostile test method", source_county="测试县", source_lines="L0",
            stages=("deadline", "publicity", "appraisal"), roles={"cadre": "村干部"},
            settings=[Setting("hotline", "0838-1234567", "监督电话")],
            tiers=[Tier("village", "村", "village", "5天内办结"), Tier("township", "乡镇", "township", "10天内办结")])

    @staticmethod
    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 5), "flag", None, True)])

    @staticmethod
    @hookimpl
    def county_publicity(ctx, unit, period, cases):
        rows = []
        for c in cases():
            rows.append({"case_id": c.id, "title": c.title, "unit_name": ctx.units[c.unit].name,
                         "handler": ctx.people[c.handler].name if c.handler in ctx.people else "",
                         "description": c.description, "amount": c.extra.get("amount", -3)})
        return [Board(method="hostile", title=f"{unit.name}公示", unit=unit.code, period=period,
                      sections=[BoardSection(f"{unit.name}事项", COLUMNS, rows)],
                      notes=[f"监督电话：{ctx.settings['hotline']}", NOTE])]

    @staticmethod
    @hookimpl
    def county_appraisal(ctx, unit, period):
        return [Metric("score", unit.code if unit else "zj", value=-1.5, label=f"{ctx.settings['hotline']}得分")]


def hostile_registry() -> Registry:
    return Registry(extra_plugins={"hostile": HostilePlugin()}, entry_points=False)


def build_hostile(path: str = ":memory:") -> County:
    """The hostile county with November 2026's cases: one per hostile title/description (and
    each spreadsheet formula), all at the village named like a formula, assigned to the person
    with markup in the name; the first two resolved (so the appraisal has tier shares)."""
    import datetime as dt

    county = County.init(Store(path), deployment_from_dict(HOSTILE_COUNTY), hostile_registry())
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-02T10:00:00+08:00")
    ids = []
    for unit, title in [("zj.t.v", TITLE), ("zj.t.w", "路灯"), *[("zj.t.v", f) for f in FORMULAS]]:
        c = county.add_case("hostile", unit, title, description=NOTE, requester=Requester(name="张三丰"))
        ids.append(c.id)
    county.assign(ids[0], handler="p1")
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-03T10:00:00+08:00")
    county.resolve(ids[0], NOTE)
    county.resolve(ids[1], "已修复")
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-30T12:00:00+08:00")
    return county


@pytest.fixture(scope="module")
def hostile_county() -> County:
    return build_hostile()


def _boards(county):
    return county.boards("zj.t", "2026-11") + county.boards("zj.t.w", "2026-11")


def _no_danger(text: str) -> None:
    for d in DANGER:
        assert d not in text, d


def test_html_board_escapes_every_value(hostile_county):
    html = render.render(_boards(hostile_county), "html", county=hostile_county)
    _no_danger(html)
    assert 'src="javascript' not in html  # quotes are escaped too (attributes cannot be closed)
    # each value did reach the page, escaped: titles, headings, cells, notes, the settings value
    assert f"<h1>{escape(TOWN)}公示</h1>" in html and f"<h2>{escape(TOWN)}事项</h2>" in html
    assert f"<title>{escape(TOWN)}公示 等2项公示</title>" in html
    assert str(escape(VILLAGE)) in html and str(escape(VILLAGE2)) in html
    assert str(escape(PERSON)) in html and f"监督电话：{escape(SETTING)}" in html
    assert str(escape(TITLE)) in html


def test_markdown_board_escapes_headings_lines_and_cells(hostile_county):
    md = render.render(_boards(hostile_county), "md", county=hostile_county)
    _no_danger(md)
    assert "<" not in md  # the md templates write no HTML of their own
    lines = md.splitlines()
    assert lines[0] == "# &lt;script&gt;alert(1)&lt;/script&gt;镇公示"
    assert "## &lt;script&gt;alert(1)&lt;/script&gt;镇事项" in lines
    # no value starts a line, a heading or a table row of its own
    assert not any(ln.startswith(("## 注入", "# 注入", "- 列表")) for ln in lines)
    assert [ln for ln in lines if ln.startswith("#")] == [
        "# &lt;script&gt;alert(1)&lt;/script&gt;镇公示", "## &lt;script&gt;alert(1)&lt;/script&gt;镇事项",
        "# \\|管\\|&lt;/td&gt;&lt;img src=x onerror=alert(2)&gt;村\\[/\\]公示",
        "## \\|管\\|&lt;/td&gt;&lt;img src=x onerror=alert(2)&gt;村\\[/\\]事项"]
    # every table row has exactly the columns' cells: unescaped pipes = columns + 1
    rows = [ln for ln in lines if ln.startswith("| ")]
    assert rows and all(len(re.findall(r"(?<!\\)\|", ln)) == len(COLUMNS) + 1 for ln in rows)
    # links and code cannot form
    assert "\\[点我\\](javascript:alert(6)) \\`x\\`" in md and "](javascript" not in md.replace("\\]", "")
    assert "> 监督电话：&lt;/p&gt;&lt;script&gt;alert(4)&lt;/script&gt;\\[link=http://x\\]点我\\[/link\\]\\[bold\\]" in lines


def test_appraisal_html_report_and_its_svg_charts_escape_every_value(hostile_county):
    report = reports.build_report(hostile_county, "2026-11", None, min_cases=1, trend=True)
    html = reports.render_html(report, hostile_county)
    _no_danger(html)
    assert html.count('<svg role="img"') == 2  # both charts drawn: the names went through them
    bars = html[html.index('<svg role="img"'):]
    for name in (TOWN, VILLAGE, VILLAGE2):  # the bar labels of the tier-share chart
        assert f">{escape(name)}</text>" in bars, name
    assert f"<td>{escape(TOWN)}</td>" in html and f"<td>{escape(VILLAGE)}</td>" in html
    assert f"{escape(SETTING + RICH)}得分" in html


def test_appraisal_terminal_table_prints_markup_as_text(hostile_county):
    import io

    from rich.console import Console

    report = reports.build_report(hostile_county, "2026-11", None, min_cases=1)
    buf = io.StringIO()
    reports.render_table(report, hostile_county, Console(file=buf, width=400))
    text = buf.getvalue()
    # "[/]" in a unit name would raise rich's MarkupError; a [link=…] would become a hyperlink
    assert f"{VILLAGE2}" in text and f"{SETTING}{RICH}得分" in text


def test_every_html_template_autoescapes_and_none_marks_data_safe():
    from pathlib import Path

    env = render.template_env()
    for name in ("board.html", "board_body.html", "appraisal.html", "chart_bars.svg", "chart_lines.svg"):
        assert env.autoescape is True or env.autoescape(name), name
    templates = Path(render.__file__).parent / "templates"
    for f in templates.iterdir():
        assert "|safe" not in f.read_text(encoding="utf-8").replace(" ", ""), f.name
