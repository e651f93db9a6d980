"""The appraisal report's HTML table bodies, written in Python (framework.publish.render_appraisal,
issue 13), are what the template's loops over ``report.rows`` and ``scores`` wrote: an
operator's appraisal.html that still loops gives the same page; each value is escaped once."""

from pathlib import Path

import pytest

from framework.publish import render, render_appraisal, reports
from test_board_fixture import build_month, new_county

#: the loops of appraisal.html before issue 13 (an operator's copy of the template may hold them)
LOOPS = {
    "{{ summary_rows }}": """{% for r in report.rows %}
    <tr data-unit="{{ r.unit }}" data-method="{{ r.method }}">
      <td>{{ r.unit_name }}</td><td>{{ r.level_title }}</td><td>{{ r.method_title }}</td>
      <td class="num">{{ fmt_num(r.cases) }}</td><td class="num">{{ fmt_num(r.resolved) }}</td>
      <td class="num">{{ fmt_num(r.on_time) }}</td>
      <td class="num">{{ fmt_rate(r.resolution_rate) }}</td><td class="num">{{ fmt_rate_of(r.on_time_rate, r.on_time, r.on_time_den) }}</td>
      <td class="num">{{ fmt_rate(r.satisfaction_rate) }}</td>
      <td class="{{ 'num' if r.rank is not none else 'unranked' }}">{{ fmt_rank(r) }}</td>
    </tr>
  {% else %}
    <tr><td colspan="{{ summary_header | length }}">本期无受理事项</td></tr>
  {% endfor %}""",
    "{{ tier_rows }}": """{% for r in report.rows %}{% for ts in r.tiers %}
    <tr data-unit="{{ r.unit }}" data-method="{{ r.method }}" data-tier="{{ ts.tier }}">
      <td>{{ r.unit_name }}</td><td>{{ r.method_title }}</td><td>{{ ts.title }}</td>
      <td class="num">{{ fmt_num(ts.settled) }}</td><td class="num">{{ fmt_rate(ts.share) }}</td>
      <td class="num">{{ fmt_rate_of(ts.on_time_rate, ts.on_time_num, ts.on_time_den) }}</td>
    </tr>
  {% endfor %}{% endfor %}""",
    "{{ score_rows }}": """{% for cells in scores %}<tr>{% for c in cells %}<td>{{ c }}</td>{% endfor %}</tr>
  {% endfor %}""",
}


@pytest.fixture(scope="module")
def month():
    county = new_county()
    build_month(county)
    return county


@pytest.fixture(scope="module")
def looping(tmp_path_factory):
    shipped = (Path(render.__file__).parent / "templates" / "appraisal.html").read_text(encoding="utf-8")
    for placeholder, loop in LOOPS.items():
        assert shipped.count(placeholder) == 1, placeholder
        shipped = shipped.replace(placeholder, loop)
    d = tmp_path_factory.mktemp("looping")
    (d / "appraisal.html").write_text(shipped, encoding="utf-8")
    return str(d)


@pytest.mark.parametrize("period, unit", [("2026-11", None), ("2026-11", "zj.fx"), ("2026Q4", None),
                                          ("2020-01", None)])  # 2020-01: no cases, the "本期无受理事项" row
def test_the_page_the_loops_wrote(month, looping, period, unit):
    rep = reports.build_report(month, period, unit, trend=True)
    page = reports.render_html(rep, month)
    assert page == reports.render_html(rep, month, [looping])
    assert ("本期无受理事项" in page) == (period == "2020-01")


def test_rows_by_hand(month):
    rep = reports.build_report(month, "2026-11", "zj.fx")
    body = render_appraisal.summary_rows(rep.rows, len(reports.SUMMARY_HEADER), reports.fmt_rank)
    # 柳林沟村: 6 cases, 4 resolved, 3 on time of 5, 2 of 3 satisfied; the one ranked village of 富兴镇
    # (大桥村 has 1 case): 1/1
    assert ('\n    <tr data-unit="zj.fx.llg" data-method="testboard">\n      <td>柳林沟村</td><td>村</td>'
            '<td>测试公示法</td>\n      <td class="num">6</td><td class="num">4</td>\n      <td class="num">3</td>\n'
            '      <td class="num">66.7%</td><td class="num">60.0%（3/5）</td>\n      <td class="num">66.7%</td>\n'
            '      <td class="num">1/1</td>\n    </tr>\n  ') in body
    tiers = render_appraisal.tier_rows(rep.rows)
    assert ('<tr data-unit="zj.fx.llg" data-method="testboard" data-tier="township">\n      <td>柳林沟村</td>'
            '<td>测试公示法</td><td>乡镇</td>\n      <td class="num">1</td><td class="num">25.0%</td>\n'
            '      <td class="num">50.0%（1/2）</td>\n    </tr>') in tiers
    assert render_appraisal.summary_rows([], 10, reports.fmt_rank) == (
        '\n    <tr><td colspan="10">本期无受理事项</td></tr>\n  ')


def test_every_value_escaped():
    rows = render_appraisal.score_rows([["<b>村</b>", "A&B", "it's \"x\"", "", "1", "1/2"]])
    assert rows == ("<tr><td>&lt;b&gt;村&lt;/b&gt;</td><td>A&amp;B</td><td>it&#39;s &#34;x&#34;</td><td></td>"
                    "<td>1</td><td>1/2</td></tr>\n  ")
    assert render_appraisal.score_rows([[]]) == "<tr></tr>\n  "  # as the loop wrote a row without cells
