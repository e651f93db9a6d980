"""dianti's README quick start runs as written (every command exit 0) on the shipped sample
deployment plugins/dianti/data/sinan.toml, and its comments hold: 华丰村's supervision centre
(two 村监事会成员 of three, L83) passes `centre check`; 降低生猪养殖成本 goes by skill to
畜牧技术服务小组 and 罗某, 果树修剪 by keyword to 技术服务小组 and 曹某 (L81); each is due at 23:59:59
on its committed service date — a calendar date, 2026-04-05 (清明, a Sunday) included —; the
sweep of 04-04 08:00 flags (督办, never escalates) the one promised for 04-03; the scores are
(5 + 4) / 2 = 4.5 and a 基本满意 confirmation counted as 3, the village's (4.5 + 3) / 2 = 3.75,
好评 1/2, 按期办结率 1/2."""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.dianti
from framework.testing import CountyRunner, run_quick_start

HERE = Path(plugins.dianti.__file__).parent
README = HERE / "README.md"
ROOT = HERE.parents[1]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return run_quick_start(README, tmp_path_factory.mktemp("dianti_qs"), ROOT)


def test_sample_deployment_ships_with_the_package():
    assert (HERE / "data" / "sinan.toml").is_file()


def test_quick_start_commands(quick):
    _, commands, results = quick
    assert len(commands) == 14 and commands[0][:2] == ["county", "init"]
    assert all("--now" in c for c in commands)
    assert "\n  载入 dianti：groups 6 条；members 7 条；centres 9 条；rota 7 条\n" in results[0].output
    assert results[1].output == ("华丰村（sn.tt.hf）服务监督中心：冉某（村监事会成员，负责人）、安某（村监事会成员）、杜某（知名人士）；"
                                 "坐班：周一牟某、周二田某、周三牟某、周四田某、周五牟某 — 符合\n")
    assert "  受理 2026-04-01T10:00:00+08:00，期限 2026-04-05T23:59:59+08:00\n" in results[2].output
    assert "  受理 2026-04-01T11:00:00+08:00，期限 2026-04-03T23:59:59+08:00\n" in results[3].output
    assert results[5].output == (
        "sn-000002  时限已逾期：service_date（承诺服务日期 committed service date），期限 2026-04-03T23:59:59+08:00；督办（无上报层级）\n"
        "2026-04-04T08:00:00+08:00 督办：1 项\n")
    assert [results[i].output for i in (7, 8)] == ["sn-000001: 5 分（共 1 人评价，平均 5.00）\n",
                                                  "sn-000001: 4 分（共 2 人评价，平均 4.50）\n"]
    assert results[11].output.splitlines()[:3] == [
        "村 华丰村：服务完成 2 件，群众评价 2 件，评分 3.75，好评 1 件",
        "服务小组 技术服务小组：服务完成 1 件，群众评价 1 件，评分 3.00，好评 0 件",
        "服务小组 畜牧技术服务小组：服务完成 1 件，群众评价 1 件，评分 4.50，好评 1 件"]
    board = results[12].output
    assert "| sn-000002 | 2026-04-01 | 张某 | 果树修剪 | 技术服务小组 |  | 曹某 | 已确认 |" in board
    assert ("| sn-000001 | 2026-04-05 | 降低生猪养殖成本 | 畜牧技术服务小组 | 罗某 | 养殖户直购饲料，每吨比市场价低400多元 | 4.5 | 2 |"
            in board) and "罗永文" not in board and "张三丰" not in board


def test_routing_and_due_instants(quick):
    run = quick[0]
    one, two = (run("case", "show", i, "--json", "--now", "2026-05-01").data for i in ("sn-000001", "sn-000002"))
    assert (one["handler"], one["extra"]["group"], one["extra"]["routed_by"], one["extra"]["window_cadre"]) == (
        "hf-luo", "livestock", "skill", "hf-sj")
    assert (two["handler"], two["extra"]["group"], two["extra"]["routed_by"], two["extra"]["matched_skill"]) == (
        "hf-cao", "technical", "keyword", "果树")
    assert (one["due_at"], one["level"], two["due_at"], two["level"]) == (
        "2026-04-05T23:59:59+08:00", None, "2026-04-03T23:59:59+08:00", None)
    assert [e["type"] for e in two["events"]].count("overdue") == 1


def test_appraisal_values(quick):
    run = quick[0]
    rows = run("appraise", "--unit", "sn.tt.hf", "--period", "2026-04", "--now", "2026-05-01", "--json").data
    mine = {(r["metric"], r["subject"]): (r["numerator"], r["denominator"], r["value"])
            for r in rows if r["method"] == "dianti"}
    assert mine[("service_score", "sn.tt.hf")][2] == 3.75
    assert mine[("good_rate", "sn.tt.hf")] == (1, 2, 0.5)
    assert mine[("service_score", "sn.tt.hf:livestock")][2] == 4.5
    assert mine[("service_score", "hf-cao")][2] == 3.0
    assert mine[("services_done", "sn.tt.hf")][2] == 2
    assert mine[("on_time_rate", "sn.tt.hf")] == (1, 2, 0.5)


YEAR = """[deployment]
name = "县"
code = "x"
methods = ["dianti"]
[plugins.dianti]
award_min_group_services = 1
award_min_star_services = 1
[[units]]
code = "x"
name = "县"
level = "county"
[[units]]
code = "x.t"
name = "镇"
level = "township"
parent = "x"
[[units]]
code = "x.t.v"
name = "村"
level = "village"
parent = "x.t"
[[dianti.groups]]
unit = "x.t.v"
code = "technical"
[[dianti.members]]
id = "m1"
name = "甲某"
unit = "x.t.v"
group = "technical"
party_member = true
leader = true
"""


def test_yearly_service_score_is_not_the_awards_annual_score(tmp_path):
    """README "Scores and awards": one service scored 5 in Q1, three scored 3 in Q2 — the year's
    service_score is (5 + 3 + 3 + 3) / 4 = 3.5 (each service weighs the same), the award's value
    the annual score (5 + 3) / 2 = 4.0 (each quarter weighs the same)."""
    (tmp_path / "c.toml").write_text(YEAR, encoding="utf-8")
    run = CountyRunner(tmp_path / "c.db")
    run("init", "--config", str(tmp_path / "c.toml"), "--now", "2026-01-02")
    for i, (day, score) in enumerate([("2026-02-02", 5), ("2026-05-04", 3), ("2026-05-05", 3), ("2026-05-06", 3)], 1):
        run("case", "add", "--method", "dianti", "--unit", "x.t.v", "--title", f"服务{i}", "--set", "group=technical",
            "--now", f"{day}T10:00")
        run("case", "resolve", f"x-00000{i}", "--note", "已服务", "--now", f"{day}T12:00")
        run("dianti", "rate", f"x-00000{i}", "--score", str(score), "--now", f"{day}T13:00")
    rows = run("appraise", "--unit", "x.t.v", "--period", "2026", "--now", "2026-12-31", "--json").data
    got = {(r["metric"], r["subject"]): r["value"] for r in rows if r["method"] == "dianti"}
    assert got[("service_score", "x.t.v:technical")] == got[("service_score", "m1")] == 3.5
    assert got[("award_best_group", "x.t.v:technical")] == got[("award_service_star", "m1")] == 4.0
