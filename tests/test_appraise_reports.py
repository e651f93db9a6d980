"""Appraisal reports for the fixture month, every figure computed by hand from the case list in
tests/test_board_fixture.py.

November 2026 (cases taken in during the month; A was taken in in October, so it is not counted):

* 柳林沟村: c1 c2 c3 c4 c6 c5 = 6 cases; resolved c1 c2 c3 c4 = 4; on time (resolved, never
  overdue) c1 c2 c3 = 3; late and still open: c6 -> on-time rate 3 / (4 + 1); rated c1 c2 c3,
  good c1 c2 -> 2/3; settled at village 3 (c1 c2 c3), township 1 (c4); village primary
  milestones met c1 c2 c3, missed c4 c6 -> 3/5; township met c4, missed c6 -> 1/2.
* 大桥村: c7 = 1 case, resolved on time, satisfied -> 100 % everywhere but not ranked (< 5).
* 双桥村: s1-s5 = 5 cases; s1-s4 resolved on time at village; s5 open, not late; nobody rated
  -> satisfaction "—" (0/0), never 100 %.
* 富兴镇 = 柳林沟村 + 大桥村, 回龙镇 = 双桥村, 中江县 = all.
"""

import io

import openpyxl
import pytest

import framework.cli.root
from framework.publish import reports
from test_board_fixture import build_month, new_county, registry

NOW = "2026-11-30T12:00:00+08:00"
# unit: (cases, resolved, on time, on-time denominator, resolution rate, on-time rate, satisfaction, rank, of)
EXPECTED = {
    "zj": (12, 9, 8, 10, 9 / 12, 8 / 10, 3 / 4, 1, 1),
    "zj.fx": (7, 5, 4, 6, 5 / 7, 4 / 6, 3 / 4, 2, 2),
    "zj.hx": (5, 4, 4, 4, 4 / 5, 1.0, None, 1, 2),
    "zj.fx.dq": (1, 1, 1, 1, 1.0, 1.0, 1.0, None, None),
    "zj.fx.llg": (6, 4, 3, 5, 4 / 6, 3 / 5, 2 / 3, 2, 2),
    "zj.hx.sq": (5, 4, 4, 4, 4 / 5, 1.0, None, 1, 2),
}


@pytest.fixture(scope="module")
def month():
    county = new_county()
    build_month(county)
    return county


@pytest.fixture
def cli_month(county_db, county_cli, monkeypatch):
    monkeypatch.setattr(framework.cli.root, "_registry", registry())
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("COUNTY_MIN_CASES_TO_RANK", raising=False)
    build_month(new_county(str(county_db)))
    return lambda *args, **kw: county_cli(*args, "--now", NOW, **kw)


def figures(r):
    return (r.cases, r.resolved, r.on_time, r.on_time_den, r.resolution_rate, r.on_time_rate, r.satisfaction_rate,
            r.rank, r.rank_of)


def test_common_figures_by_hand(month):
    rep = reports.build_report(month, "2026-11")
    assert rep.min_cases == 5
    assert [r.unit for r in rep.rows] == ["zj", "zj.fx", "zj.hx", "zj.fx.dq", "zj.fx.llg", "zj.hx.sq"]
    got = {r.unit: figures(r) for r in rep.rows}
    assert got.keys() == EXPECTED.keys()
    for unit, expected in EXPECTED.items():
        assert got[unit] == pytest.approx(expected), unit
    assert {r.unit: r.rank_note for r in rep.rows}["zj.fx.dq"] == "不足5件，不排名"
    assert [r.level_title for r in rep.rows] == ["县", "乡镇", "乡镇", "村", "村", "村"]


def test_tiers_by_hand(month):
    rep = reports.build_report(month, "2026-11")
    tiers = {(r.unit, t.tier): (t.title, t.settled, t.share, t.on_time_num, t.on_time_den, t.on_time_rate)
             for r in rep.rows for t in r.tiers}
    assert tiers[("zj.fx.llg", "village")] == pytest.approx(("村(社区)", 3, 0.75, 3, 5, 0.6))
    assert tiers[("zj.fx.llg", "township")] == pytest.approx(("乡镇", 1, 0.25, 1, 2, 0.5))
    assert tiers[("zj", "village")] == pytest.approx(("村(社区)", 8, 8 / 9, 8, 10, 0.8))
    assert tiers[("zj", "township")] == pytest.approx(("乡镇", 1, 1 / 9, 1, 2, 0.5))
    # nothing reached 回龙镇's township tier: 0 settled of 4 is 0 %, its on-time rate is 0/0 -> None
    assert tiers[("zj.hx", "township")] == ("乡镇", 0, 0.0, 0, 0, None)


def test_method_scores_and_trend(month):
    rep = reports.build_report(month, "2026-11")
    assert [(m.metric, m.subject, m.value, reports.fmt_metric(m)) for m in rep.scores] == [
        ("patrol_score", "zj", 92.5, "92.5"), ("visit_rate", "zj", None, "—")]
    assert rep.trend_unit == "zj"
    assert rep.trend == {"testboard": [("2026-06", None), ("2026-07", None), ("2026-08", None),
                                       ("2026-09", None), ("2026-10", 1.0), ("2026-11", 0.8)]}


def test_quarter_counts_october_too(month):
    rep = reports.build_report(month, "2026Q4", "zj.fx")
    got = {r.unit: figures(r)[:7] for r in rep.rows}
    assert got["zj.fx.llg"] == pytest.approx((7, 5, 4, 6, 5 / 7, 4 / 6, 2 / 3))  # case A joins
    assert set(got) == {"zj.fx", "zj.fx.dq", "zj.fx.llg"}
    assert [m for m, _ in rep.trend["testboard"]] == ["2026-10", "2026-11", "2026-12"]
    assert [v for _, v in rep.trend["testboard"]] == pytest.approx([1.0, 4 / 6, None], nan_ok=True)


@pytest.mark.parametrize("min_cases, ranks", [
    (1, {"zj.fx.dq": (1, 3), "zj.hx.sq": (2, 3), "zj.fx.llg": (3, 3), "zj.hx": (1, 2), "zj.fx": (2, 2)}),
    (6, {"zj.fx.dq": (None, None), "zj.hx.sq": (None, None), "zj.fx.llg": (1, 1), "zj.hx": (None, None),
         "zj.fx": (1, 1)}),
])
def test_minimum_cases_before_ranking(month, min_cases, ranks):
    rep = reports.build_report(month, "2026-11", min_cases=min_cases)
    got = {r.unit: (r.rank, r.rank_of) for r in rep.rows if r.unit in ranks}
    assert got == ranks


def test_rates_format():
    assert reports.fmt_rate(None) == "—" and reports.fmt_rate(0.0) == "0.0%" and reports.fmt_rate(2 / 3) == "66.7%"


def test_cli_table(cli_month):
    out = cli_month("appraise", "--period", "2026-11").output
    lines = out.splitlines()
    # 按期办结率 with its numerator / denominator (柳林沟村: c1 c2 c3 on time / 4 resolved + c6 late)
    assert "│ 柳林沟村 │ 村   │ 测试公示法 │      6 │      4 │          3 │  66.7% │  60.0%（3/5） │  66.7% │ 2/2             │" in lines
    assert "│ 双桥村   │ 村   │ 测试公示法 │      5 │      4 │          4 │  80.0% │ 100.0%（4/4） │      — │ 1/2             │" in lines
    assert "│ 大桥村   │ 村   │ 测试公示法 │      1 │      1 │          1 │ 100.0% │ 100.0%（1/1） │ 100.0% │ 不足5件，不排名 │" in lines
    # the footnote right under the summary table, then the tier table with its own
    end = lines.index("└──────────┴──────┴────────────┴────────┴────────┴────────────┴────────┴───────────────┴────────┴─────────────────┘")
    assert lines[end + 1:end + 3] == [
        "注：按期办结率 = 未超期办结数 /（办结数 + 已超期仍未办结数），括号内为分子/分母；",
        "未到期的在办事项不计入，所以按期办结率可以高于办结率（办结率 = 办结数 / 受理数）。"]
    assert "│ 柳林沟村 │ 测试公示法 │ 村(社区) │ 3            │ 75.0%    │ 60.0%（3/5）  │" in lines
    assert "│ 回龙镇   │ 测试公示法 │ 乡镇     │ 0            │ 0.0%     │ —             │" in lines
    end = lines.index("└──────────┴────────────┴──────────┴──────────────┴──────────┴───────────────┘")
    assert lines[end + 1:end + 3] == [
        "注：该层级按期率 = 该层级主时限按期数 /（按期数 + 超期数，到期未办的计为超期），括号内为分子/分母；",
        "事项在该层级时限内办结或上移都算按期，所以在该层级办结为0时该层级按期率仍可有值。"]
    assert "│ 中江县 │ 测试公示法 │ 巡查得分 │      │ 92.5 │           │" in lines
    assert "排名需受理满5件" in out


def test_cli_min_cases_option_and_env(cli_month, monkeypatch):
    out = cli_month("appraise", "--period", "2026-11", "--min-cases", "1").output
    assert "不足" not in out and "排名需受理满1件" in out
    monkeypatch.setenv("COUNTY_MIN_CASES_TO_RANK", "6")
    assert "排名需受理满6件" in cli_month("appraise", "--period", "2026-11").output
    r = cli_month("appraise", "--period", "2026-11", "--min-cases", "0", ok=2)
    assert r.stderr == "error: --min-cases: 0 is not a whole number of cases >= 1\n"


def test_cli_json_is_the_metric_rows(cli_month):
    data = cli_month("appraise", "--period", "2026-11", "--unit", "zj.fx.llg", "--json").data
    on_time = [m for m in data if m["metric"] == "on_time_rate" and m["subject"] == "zj.fx.llg"]
    assert [(m["numerator"], m["denominator"], m["value"]) for m in on_time] == [(3, 5, 0.6)]
    assert {m["subject"] for m in data if m["metric"] == "cases"} == {"zj.fx.llg"}


def test_cli_xlsx(cli_month, tmp_path):
    out = tmp_path / "kp.xlsx"
    cli_month("appraise", "--period", "2026-11", "--format", "xlsx", "--out", out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "分层级", "工作法指标", "说明"]
    ws = wb["汇总"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    by_unit = {r[0]: r for r in rows}
    assert by_unit["柳林沟村"] == ("柳林沟村", "村", "测试公示法", 6, 4, 3, pytest.approx(4 / 6), 0.6,
                                pytest.approx(2 / 3), "2/2")
    assert by_unit["双桥村"][8] == "—"
    assert by_unit["大桥村"][9] == "不足5件，不排名"
    assert ws["H4"].number_format == "0.0%"
    assert ws["A1"].value == "中江县 2026年11月考评汇总"
    tiers = {(r[0], r[2]): r[3:] for r in wb["分层级"].iter_rows(min_row=4, values_only=True)}
    assert tiers[("回龙镇", "乡镇")] == (0, 0, "—")
    scores = list(wb["工作法指标"].iter_rows(min_row=4, values_only=True))
    assert scores == [("中江县", "测试公示法", "巡查得分", None, 92.5, None), ("中江县", "测试公示法", "走访率", None, "—", "0/0")]


def test_cli_html_report_stands_alone(cli_month, tmp_path):
    out = tmp_path / "kp.html"
    cli_month("appraise", "--period", "2026-11", "--unit", "zj.fx", "--format", "html", "--out", out)
    page = out.read_text(encoding="utf-8")
    assert "<h1>中江县富兴镇2026年11月考评报告</h1>" in page
    assert page.count("<svg ") == 2 and "<img" not in page and "<script" not in page
    assert "http" not in page.replace("http://www.w3.org/", "")  # nothing to fetch: the file stands alone
    assert "<metadata>" not in page and "dc:date" not in page  # no wall-clock date in the charts
    assert "图1　测试公示法：各层级办结占比" in page and "图2　富兴镇：按月按期办结率" in page
    assert ('<td class="num">6</td><td class="num">4</td>\n      <td class="num">3</td>\n      '
            '<td class="num">66.7%</td><td class="num">60.0%（3/5）</td>') in page
    assert ('</table>\n<p class="footnote">注：按期办结率 = 未超期办结数 /（办结数 + 已超期仍未办结数），括号内为分子/分母；'
            '未到期的在办事项不计入，所以按期办结率可以高于办结率（办结率 = 办结数 / 受理数）。</p>') in page
    assert ('<td>柳林沟村</td><td>测试公示法</td><td>村(社区)</td>\n      <td class="num">3</td><td class="num">75.0%</td>\n'
            '      <td class="num">60.0%（3/5）</td>') in page
    assert '<p class="footnote">注：该层级按期率 = 该层级主时限按期数 /（按期数 + 超期数，到期未办的计为超期）' in page
    assert '<td class="unranked">不足5件，不排名</td>' in page
    assert "分母为0的比率显示为“—”，不是100%" in page
    assert "柳林沟村" in page and "双桥村" not in page  # --unit limits the report to 富兴镇's subtree


def test_cli_bad_input(cli_month):
    r = cli_month("appraise", "--period", "2026-11", "--format", "xlsx", ok=2)
    assert r.stderr == "error: --format xlsx is binary; give --out FILE.xlsx\n"
    r = cli_month("appraise", "--period", "11/2026", ok=2)
    assert r.stderr.startswith("error: --period: '11/2026' is not a period") and len(r.stderr.splitlines()) == 1
    r = cli_month("appraise", "--period", "2026-11", "--unit", "nowhere", ok=2)
    assert "unknown unit 'nowhere'" in r.stderr


def test_rich_table_with_no_data(month):
    from rich.console import Console

    buf = io.StringIO()
    reports.render_table(reports.build_report(month, "2025-01", trend=False), month, Console(file=buf, width=120))
    assert "2025年1月无考评数据" not in buf.getvalue()  # the method's own scores still show
    assert "巡查得分" in buf.getvalue()
