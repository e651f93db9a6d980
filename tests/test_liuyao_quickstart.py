"""liuyao's README quick start runs as written (every command exit 0), and its comments hold:
the report taken in Fri 2026-11-20 is due 2026-12-11 23:59:59 (15 working days, L193), the sweep
at 12-12 08:00 flags it (no tier above), the late answer shows 否（逾期） on the November board,
and the 2026Q4 appraisal gives 15个工作日内答复率 0/1 and one matter decided by the
representative meeting (户代表会议, L191)."""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.liuyao
from framework.testing import run_quick_start

README = Path(plugins.contrib.liuyao.__file__).parent / "README.md"
ROOT = Path(plugins.contrib.liuyao.__file__).parents[3]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return run_quick_start(README, tmp_path_factory.mktemp("liuyao_qs"), ROOT)


def test_quick_start_commands(quick):
    _, commands, results = quick
    assert len(commands) == 12 and commands[0][:2] == ["county", "init"]
    assert all("--now" in c for c in commands)
    assert "yp-000002  时限已逾期：reply（15个工作日内予以答复），期限 2026-12-11T23:59:59+08:00；督办（无上报层级）\n" in results[8].output
    # the method's own commands as the operator reads them (in Chinese)
    assert [results[i].output for i in (2, 5, 6, 9)] == [
        "yp-000001：村党组织集体研究提议\n", "yp-000001：村民代表会议（联户代表会议、户代表会议）讨论决策，通过\n",
        "yp.xq.kb 其他重大事项（经村“两委”确定后公开） yp-000001：公开栏、户代表（达标）\n",
        "yp-000002：已答复（逾期），期限 2026-12-11T23:59:59+08:00\n"]
    assert "| yp-000002 | 2026-11-20 | 鱼塘承包费去向 | 村某 | 2026-12-11 | 2026-12-14 | 否（逾期） |" in results[10].output


def test_report_due_and_matter(quick):
    run = quick[0]
    report = run("case", "show", "yp-000002", "--json", "--now", "2027-01-02").data
    assert (report["due_at"], report["extra"]["reply_due_at"], report["status"], report["handler"]) == (
        "2026-12-11T23:59:59+08:00", "2026-12-11T23:59:59+08:00", "resolved", "kb-jd")
    matter = run("case", "show", "yp-000001", "--json", "--now", "2027-01-02").data
    assert (matter["due_at"], matter["extra"]["decision_body"]) == (None, "rep_meeting")


def test_appraisal_values(quick):
    run = quick[0]
    rows = run("appraise", "--unit", "yp.xq.kb", "--period", "2026Q4", "--now", "2027-01-02", "--json").data
    mine = {(r["metric"], r["tier"]): r for r in rows if r["subject"] == "yp.xq.kb" and r["method"] == "liuyao"}
    reply = mine[("reply_on_time_rate", None)]
    assert (reply["numerator"], reply["denominator"], reply["value"]) == (0, 1, 0.0)
    assert mine[("matters_decided", "rep_meeting")]["value"] == 1
    assert mine[("matters_decided", "villager_assembly")]["value"] == 0
