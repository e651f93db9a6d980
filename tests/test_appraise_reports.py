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
        "事项在该层级时限内办结或上移都算按期（因逾期被督办上报的计为超期），所以在该层级办结为0时该层级按期率仍可有值。"]
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


def _score_rows(text: str) -> list[list[str]]:
    """The cells of the own-scores table (各工作法自有指标) of a printed report."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "各工作法自有指标")
    return [[c.strip() for c in ln.split("│")[1:-1]] for ln in lines[start:] if ln.startswith("│")]


def test_own_scores_by_name(month):
    """A group subject by unit and group name, a score to 2 decimals, a count whole, a tier by the
    chain's title or the level's name, a tier code left out where the label names it and shown
    where two share one label."""
    from rich.console import Console

    from framework.models import Metric, rate

    kw = {"method": "testboard"}
    extra = [
        Metric("service_score", "zj.fx.llg:technical", subject_kind="group", value=109 / 24,
               label="服务效果评分（技术服务小组）", **kw),
        Metric("best_group", "zj.fx.llg:livestock", subject_kind="group", value=29 / 6,
               label="优质服务小组（柳林沟村：畜牧小组）", **kw),
        Metric("decided", "zj", value=1, label="决策数：村“两委”讨论决策", tier="two_committees", **kw),
        Metric("votes", "zj", value=2, label="票数", tier="a_body", **kw),
        Metric("votes", "zj", value=3, label="票数", tier="b_body", **kw),
        rate("slogan", "zj", 1, 4, label="难事不出县", tier="county", **kw),
        rate("settled_tw", "zj", 1, 3, label="乡镇办结", tier="township", **kw),
        Metric("households", "zj", value=1200000.0, label="户数", **kw),
    ]
    rep = reports.build_report(month, "2026-11", metrics=month.appraise("2026-11") + extra, trend=False)
    buf = io.StringIO()
    reports.render_table(rep, month, Console(file=buf, width=200))
    assert _score_rows(buf.getvalue())[2:] == [
        ["柳林沟村·技术服务小组", "测试公示法", "服务效果评分（技术服务小组）", "", "4.54", ""],
        ["柳林沟村·畜牧小组", "测试公示法", "优质服务小组（柳林沟村：畜牧小组）", "", "4.83", ""],
        ["中江县", "测试公示法", "决策数：村“两委”讨论决策", "", "1", ""],
        ["中江县", "测试公示法", "票数", "a_body", "2", ""],
        ["中江县", "测试公示法", "票数", "b_body", "3", ""],
        ["中江县", "测试公示法", "难事不出县", "县", "25.0%", "1/4"],
        ["中江县", "测试公示法", "乡镇办结", "乡镇", "33.3%", "1/3"],
        ["中江县", "测试公示法", "户数", "", "1200000", ""],
    ]
    page = reports.render_html(rep, month)
    assert ("<tr><td>柳林沟村·技术服务小组</td><td>测试公示法</td><td>服务效果评分（技术服务小组）</td><td></td>"
            "<td>4.54</td><td></td></tr>") in page
    assert "<tr><td>中江县</td><td>测试公示法</td><td>难事不出县</td><td>县</td><td>25.0%</td><td>1/4</td></tr>" in page
    assert "zj.fx.llg:technical" not in page and "two_committees" not in page


def test_labeller_names_from_the_method():
    """Roles and categories of the method's MethodInfo, unit levels, a person, a method, a case."""
    from types import SimpleNamespace

    from framework.models import MethodInfo, Metric, Tier
    from framework.publish.report_labels import Labeller, fmt_num, fmt_rate_of, level_title

    info = MethodInfo(name="m", title_zh="某法", title="m", source_county="-", source_lines="-",
                      roles={"helper": "社会热心人士"}, categories={"technical": "技术服务小组"},
                      tiers=[Tier("village", "村级", "village")])
    county = SimpleNamespace(registry=SimpleNamespace(methods={"m": info}), chain_method=lambda name: info,
                             units={"v": SimpleNamespace(name="观音村")}, people={"p1": SimpleNamespace(name="罗某")})
    labels = Labeller(county, [])
    tier = [labels.tier(Metric("x", "v", method="m", tier=t, label="x")) for t in ("helper", "village", "building", "zzz")]
    assert tier == ["社会热心人士", "村级", "楼栋", ""]
    assert labels.tier(Metric("x", "v", method="m", tier="zzz")) == "zzz"  # no label names it: the code
    subjects = [Metric("x", "v:technical", subject_kind="group", method="m", label="服务完成数（别名）"),
                Metric("x", "v:goats", subject_kind="group", method="m", label="服务完成数（养羊小组）"),
                Metric("x", "v:goats", subject_kind="group", method="m"),
                Metric("x", "p1", subject_kind="person", method="m"),
                Metric("x", "m", subject_kind="method"),
                Metric("x", "demo-000001", subject_kind="case", method="m")]
    assert [labels.subject(m) for m in subjects] == ["观音村·技术服务小组", "观音村·养羊小组", "观音村·goats", "罗某",
                                                     "某法", "demo-000001"]
    assert [fmt_num(v) for v in (4.541666, 4.833333, 3.5, 92.5, 886.0, 1e6, 1730.1, -0.001, None)] == [
        "4.54", "4.83", "3.5", "92.5", "886", "1000000", "1730.1", "0", "—"]
    assert [fmt_rate_of(0.5, 1, 2), fmt_rate_of(None, 0, 0), fmt_rate_of(1.0, 1, 1)] == ["50.0%（1/2）", "—", "100.0%（1/1）"]
    assert [level_title(lv) for lv in ("building", "county", "zone9", None)] == ["楼栋", "县", "zone9", ""]
