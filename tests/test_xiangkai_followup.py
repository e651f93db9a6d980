"""After the meeting (高频高效跟踪督查, casebook Jingning L253):

    凡是经“乡会村开”研究过的事项，一律下发督办通知书，实行“三定”管理……组织专门人员有针对性地
    开展回访工作，对问题落实情况定期进行反馈，并进一步征求意见。

* every studied matter (settled at a held meeting) gets its 三定 notice or a recorded reason
  (`notice waive`), checked by `notice check` and the `notice_or_reason` duty;
* return visits on a cadence: 定期 with no number, so a setting (`callback_every_days`,
  default 7): due issue day + 7k while open, and once more after resolution;
* what villagers and operators see: boards without casebook line numbers, Chinese labels in
  the human output with the codes in --json.

Dates below are counted by hand on the 2026 calendar (2026-11-05 is a Thursday)."""

import json
import re

import pytest

from test_xiangkai_cli import TOML, topic

NUMBER = "景宁县乡会村开督办〔2026〕1号"


def _meeting(run):
    """Three topics at 岗头村; M-0001 on Thursday 2026-11-05 19:30, held 21:30: t1 and t2
    settled (studied), t3 deferred (另行研究: to be studied again, so not yet studied)."""
    ids = [topic(run, "jn.hx.gt", title, "visit", "livelihood")["id"] for title in ("康庄公路", "村道路灯", "文化礼堂")]
    run("xiangkai", "meeting", "add", "--village", "jn.hx.gt", "--type", "theme_briefing", "--at", "2026-11-05T19:30",
        *[x for t in ids for x in ("--topic", t)], "--now", "2026-11-03T09:00")
    run("xiangkai", "meeting", "hold", "M-0001", "--resolution", f"{ids[0]}=乡财政补助", "--resolution",
        f"{ids[1]}=会上当场答复", "--defer", ids[2], "--now", "2026-11-05T21:30")
    return ids


def _duties(run, day, kind):
    return [(d["subject"], d["done"]) for d in run("duties", "--date", day, "--json").data if d["kind"] == kind]


@pytest.fixture
def xk(init_county):
    return init_county(TOML)


def test_every_studied_topic_gets_a_notice_or_a_recorded_reason(xk):
    t1, t2, t3 = _meeting(xk)
    # right after the meeting: two studied topics, neither with a notice or a reason
    r = xk("xiangkai", "notice", "check", "--now", "2026-11-05T22:00", ok=1)
    assert r.stdout.splitlines() == [
        f"{t1}（M-0001，2026-11-05 21:30议定）未下发督办通知书，也未记录不下发的理由",
        f"{t2}（M-0001，2026-11-05 21:30议定）未下发督办通知书，也未记录不下发的理由",
        "经乡会研究议定 2 项：下发督办通知书 0 项，记录不下发理由 0 项，两者皆无 2 项"]
    assert f"({t1}, {t2})" in r.stderr
    # the duty falls the day after the meeting (notice_due_days = 1): 11-06, not 11-05
    assert _duties(xk, "2026-11-05", "notice_or_reason") == []
    assert _duties(xk, "2026-11-06", "notice_or_reason") == [(t1, False), (t2, False)]

    xk("xiangkai", "notice", "issue", t1, "--responsible", "hx-02", "--within-days", "30", "--standard", "路面硬化",
       "--now", "2026-11-06T09:00")
    w = xk("xiangkai", "notice", "waive", t2, "--reason", "会上当场答复，无需督办", "--now", "2026-11-06T10:00", "--json").data
    assert (w["case_id"], w["meeting_id"], w["reason"], w["recorded_at"]) == (
        t2, "M-0001", "会上当场答复，无需督办", "2026-11-06T10:00:00+08:00")
    assert xk("case", "show", t2, "--json").data["events"][-1]["type"] == "notice_waived"
    # one or the other, once; a deferred topic is not studied yet
    assert "already has a recorded reason" in xk("xiangkai", "notice", "waive", t2, "--reason", "x", ok=1).stderr
    assert "recorded reason for no supervision notice" in xk(
        "xiangkai", "notice", "issue", t2, "--responsible", "hx-02", "--due", "2026-12-01", "--standard", "x",
        "--now", "2026-11-06T11:00", ok=1).stderr
    assert f"already has supervision notice {NUMBER}" in xk("xiangkai", "notice", "waive", t1, "--reason", "x", ok=1).stderr
    assert "not settled at a held meeting" in xk("xiangkai", "notice", "waive", t3, "--reason", "x", ok=1).stderr
    assert "--reason" in xk("xiangkai", "notice", "waive", t1, "--reason", " ", ok=2).stderr

    ok = xk("xiangkai", "notice", "check", "--json").data
    assert (ok["ok"], ok["studied"], ok["with_notice"], ok["with_reason"], ok["missing"]) == (True, 2, 1, 1, [])
    assert _duties(xk, "2026-11-06", "notice_or_reason") == [(t1, True), (t2, True)]

    # the board says what became of each studied topic
    board = [b for b in xk("board", "--unit", "jn.hx.gt", "--period", "2026-11", "--json").data
             if b["method"] == "xiangkai"][1]
    results = board["sections"][0]
    assert ("supervision", "督办") in [tuple(c) for c in results["columns"]]
    assert [(r["case_id"], r["outcome"], r["supervision"]) for r in results["rows"]] == [
        (t1, "议定", NUMBER), (t2, "议定", "不下发督办通知书：会上当场答复，无需督办"), (t3, "另行研究", "")]


def test_the_check_and_duty_of_a_unit_cover_its_meetings_only(xk):
    _meeting(xk)
    report = json.loads(xk("xiangkai", "notice", "check", "--unit", "jn.hx", "--json", ok=1).stdout)
    assert [m["case_id"] for m in report["missing"]] == ["jn-000001", "jn-000002"]
    assert xk("xiangkai", "notice", "check", "--unit", "jn.dd", "--json").data["studied"] == 0
    assert [d for d in xk("duties", "--date", "2026-11-06", "--unit", "jn.dd", "--json").data
            if d["method"] == "xiangkai"] == []


def test_return_visits_every_seven_days_until_the_closing_one(xk):
    t1, _t2, _t3 = _meeting(xk)
    xk("xiangkai", "notice", "issue", t1, "--responsible", "hx-02", "--within-days", "30", "--standard", "路面硬化",
       "--now", "2026-11-06T09:00")
    # issued Friday 11-06: D1 = 11-13, D2 = 11-20, D3 = 11-27, D4 = 12-04, D5 = 12-11
    xk("xiangkai", "callback", t1, "--note", "已开工", "--now", "2026-11-12T10:00")      # in [11-06, 11-13]
    xk("xiangkai", "callback", t1, "--note", "路基完成", "--now", "2026-11-27T10:00")    # in (11-20, 11-27]
    xk("case", "resolve", t1, "--note", "硬化完工", "--now", "2026-11-30T16:00")
    xk("xiangkai", "callback", t1, "--note", "群众满意", "--satisfaction", "satisfied", "--now", "2026-12-03T10:00")
    want = {
        "2026-11-12": [],                 # not a cadence day
        "2026-11-13": [(t1, True)],       # callback of 11-12
        "2026-11-20": [(t1, False)],      # none in (11-13, 11-20]
        "2026-11-27": [(t1, True)],       # callback of 11-27
        "2026-12-04": [(t1, True)],       # closing visit: resolved 11-30, not before D3 = 11-27; callback 12-03
        "2026-12-11": [],                 # resolved 11-30 is before D4 = 12-04: no more visits
    }
    for day, duties in want.items():
        assert _duties(xk, day, "callback") == duties, day
    title = [d["title"] for d in xk("duties", "--date", "2026-11-20", "--json").data if d["kind"] == "callback"][0]
    assert title == f"回访{t1}（{NUMBER}，第2次，每7天）：反馈落实情况，征求意见"


def test_settings_move_the_cadence_and_the_notice_duty(init_county):
    run = init_county(TOML + "\n[plugins.xiangkai]\ncallback_every_days = 30\nnotice_due_days = 2\n")
    t1, t2, _t3 = _meeting(run)
    # the notice duty two days after Thursday 11-05: Saturday 11-07
    assert _duties(run, "2026-11-06", "notice_or_reason") == []
    assert _duties(run, "2026-11-07", "notice_or_reason") == [(t1, False), (t2, False)]
    run("xiangkai", "notice", "issue", t1, "--responsible", "hx-02", "--within-days", "60", "--standard", "x",
        "--now", "2026-11-06T09:00")
    # every 30 days from 11-06: 12-06, 2027-01-05
    assert _duties(run, "2026-11-13", "callback") == []
    assert _duties(run, "2026-12-06", "callback") == [(t1, False)]
    assert _duties(run, "2027-01-05", "callback") == [(t1, False)]


def test_boards_carry_no_casebook_line_numbers(xk):
    t1, _t2, _t3 = _meeting(xk)
    xk("xiangkai", "notice", "issue", t1, "--responsible", "hx-02", "--within-days", "30", "--standard", "x",
       "--now", "2026-11-06T09:00")
    boards = [b for b in xk("board", "--unit", "jn.hx", "--period", "2026-11", "--json").data if b["method"] == "xiangkai"]
    assert len(boards) == 2
    texts = []
    for b in boards:
        texts += [b["title"], *b["notes"]]
        for s in b["sections"]:
            texts += [s["title"], *[label for _key, label in s["columns"]]]
    assert [t for t in texts if re.search(r"L\d+|casebook|景宁 L", t)] == []
    assert boards[1]["notes"] == ["凡是经“乡会村开”研究过的事项，一律下发督办通知书，实行“三定”管理；未下发的，记明理由",
                                  "组织专门人员开展回访，对问题落实情况定期进行反馈，并进一步征求意见"]
    md = xk("board", "--unit", "jn.hx", "--period", "2026-11", "--format", "md").stdout
    assert "乡会村开" in md and not re.search(r"\bL\d{2,3}\b", md)


def test_operators_read_chinese_labels_and_json_keeps_the_codes(xk):
    t1, _t2, _t3 = _meeting(xk)
    assert xk("xiangkai", "meeting", "show", "M-0001").stdout.splitlines()[0].endswith("[已召开]")
    assert xk("xiangkai", "meeting", "show", "M-0001", "--json").data["status"] == "held"
    assert xk("xiangkai", "meeting", "list").stdout.splitlines()[-1] == "共1场乡会"
    xk("xiangkai", "notice", "issue", t1, "--responsible", "hx-02", "--due", "2026-11-20", "--standard", "x",
       "--now", "2026-11-06T09:00")
    cb = xk("xiangkai", "callback", t1, "--note", "已开工", "--now", "2026-11-12T10:00").stdout.strip()
    assert cb.endswith("已开工（办理状态 办理中）")
    # after the due instant with the topic open: 逾期未办结 (code overdue)
    lines = xk("xiangkai", "notice", "list", "--now", "2026-11-21T09:00").stdout.splitlines()
    assert lines[2] == "  落实情况 逾期未办结；办理状态 办理中；回访 1 次" and lines[-1] == "共1份督办通知书"
    n = xk("xiangkai", "notice", "list", "--now", "2026-11-21T09:00", "--json").data[0]
    assert (n["status"], n["state"], n["state_zh"]) == ("in_progress", "overdue", "逾期未办结")
    xk("case", "resolve", t1, "--note", "完工", "--now", "2026-11-25T09:00")
    n = xk("xiangkai", "notice", "list", "--json").data[0]
    assert (n["status"], n["state"]) == ("resolved", "late")
    assert "落实情况 逾期办结；办理状态 已办结；办结时间 2026-11-25T09:00:00+08:00" in xk("xiangkai", "notice", "list").stdout
    # the plan check's verdict
    plan = xk("xiangkai", "plan", "--year", "2026", ok=1).stdout.splitlines()
    assert plan[12:] == ["jn.dd.lh         莲湖村  计划月份 -  乡会 -  ← 无乡会",
                         "jn.hx.at         安亭村  计划月份 -  乡会 -  ← 无乡会",
                         "jn.hx.gt         岗头村  计划月份 -  乡会 M-0001",
                         "未通过"]
