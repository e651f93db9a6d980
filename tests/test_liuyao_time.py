"""liuyao (Nanping 六要): a report is answered within 15 working days (L193 15个工作日内予以答复),
driven through the CLI on the sample deployment (plugins/contrib/liuyao/data/nanping.toml).

Every due instant below was counted by hand on China's statutory calendar: 23:59:59 local on
the 15th working day after the local day the report was made (conventions §2). The 2024
schedule: 春节 2月10日–17日 off, Sundays 2月4日 and 2月18日 worked; 国庆 10月1日–7日 off,
Sunday 9月29日 and Saturday 10月12日 worked.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import plugins.contrib.liuyao
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.liuyao.__file__).parent / "data" / "nanping.toml"
VILLAGE = "yp.xq.kb"


#: (name, made at, the reply's due instant, the working days counted — by hand)
REPORTS = [
    # S-04 (methods.md §4): Monday 2013-03-04, no holiday nor make-up day in the window
    ("s04", "2013-03-04T09:00", "2013-03-25T23:59:59+08:00"),
    # a month end into the Spring Festival: 02-01, 02, 04 (Sun, worked), 05..09, (10..17 off),
    # 18 (Sun, worked), 19..23, 26
    ("spring", "2024-01-31T09:00", "2024-02-26T23:59:59+08:00"),
    # a Sunday at a month end: 07-01..05, 08..12, 15..19
    ("june", "2024-06-30T16:00", "2024-07-19T23:59:59+08:00"),
    # Friday before National Day: 09-29 (Sun, worked), 09-30, 10-08..11, 10-12 (Sat, worked),
    # 10-14..18, 10-21, 22, 23
    ("friday", "2024-09-27T10:00", "2024-10-23T23:59:59+08:00"),
    # the last working day before the holiday, late: 10-08..11, 12 (Sat), 14..18, 21..25
    ("monday", "2024-09-30T17:00", "2024-10-25T23:59:59+08:00"),
    # in the holiday: counting starts on 10-08, the same 15 days as above
    ("holiday", "2024-10-05T10:00", "2024-10-25T23:59:59+08:00"),
    # on the make-up Saturday itself: the day of arrival does not count; 10-14..18, 21..25,
    # 28..31, 11-01
    ("makeup", "2024-10-12T08:00", "2024-11-01T23:59:59+08:00"),
]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    d = tmp_path_factory.mktemp("liuyao_time")
    run = CountyRunner(d / "county.db").init(TOML)
    ids = {}
    for name, at, _due in REPORTS:
        c = run("case", "add", "--method", "liuyao", "--unit", VILLAGE, "--title", f"反映问题{name}",
                "--channel", "party_org", "--set", "reporter=villager", "--requester-name", "王长贵",
                "--requester-phone", "13812345678", "--now", at, "--json").data
        ids[name] = c
    out = {"run": run, "cases": ids, "replies": {}}
    out["replies"]["s04"] = run("liuyao", "reply", ids["s04"]["id"], "--text", "已书面答复",
                                "--now", "2013-03-25T20:00", "--json").data
    out["replies"]["spring"] = run("liuyao", "reply", ids["spring"]["id"], "--text", "已答复",
                                   "--now", "2024-02-27T08:00", "--json").data
    out["replies"]["june"] = run("liuyao", "reply", ids["june"]["id"], "--text", "已答复", "--keep-open",
                                 "--now", "2024-07-19T23:00", "--json").data
    out["sweep_edge"] = run("sweep", "--now", "2024-10-23T23:59:59", "--json").data
    out["sweep_after"] = run("sweep", "--now", "2024-10-24T00:00:01", "--json").data
    out["replies"]["friday"] = run("liuyao", "reply", ids["friday"]["id"], "--text", "已答复",
                                   "--now", "2024-10-24T09:00", "--json").data
    out["replies"]["monday"] = run("liuyao", "reply", ids["monday"]["id"], "--text", "已答复",
                                   "--now", "2024-10-25T18:00", "--json").data
    return out


@pytest.mark.parametrize("name,at,due", REPORTS, ids=[r[0] for r in REPORTS])
def test_reply_due_in_15_working_days(county, name, at, due):
    c = county["cases"][name]
    assert (c["created_at"][:16], c["due_at"], c["extra"]["reply_due_at"]) == (at, due, due)
    assert (c["status"], c["handler"], c["extra"]["kind"], c["extra"]["reporter"]) == (
        "assigned", "kb-sj", "report", "villager")  # party_org → the village's one party secretary


def test_reply_on_time_and_late(county):
    r = county["replies"]
    assert (r["s04"]["reply"]["state"], r["s04"]["status"]) == ("met", "resolved")
    assert (r["spring"]["reply"]["state"], r["spring"]["status"]) == ("missed", "resolved")
    # answered at 23:00 on the last day, handling goes on
    assert (r["june"]["reply"]["state"], r["june"]["status"]) == ("met", "in_progress")
    assert r["june"]["extra"]["replied_at"] == "2024-07-19T23:00:00+08:00"
    assert (r["monday"]["reply"]["state"], r["friday"]["reply"]["state"]) == ("met", "missed")


def test_sweep_flags_a_missed_reply_after_its_last_second(county):
    edge = county["sweep_edge"]
    assert [a["case"] for a in (edge if isinstance(edge, list) else edge["actions"])] == []
    after = county["sweep_after"]
    acts = after if isinstance(after, list) else after["actions"]
    assert [(a["case"], a["milestone"], a["due_at"], a["action"]) for a in acts] == [
        (county["cases"]["friday"]["id"], "reply", "2024-10-23T23:59:59+08:00", "flag")]


def test_a_second_reply_is_refused(county):
    r = county["run"]("liuyao", "reply", county["cases"]["june"]["id"], "--text", "再次答复",
                      "--now", "2024-07-22T09:00", ok=1)
    assert "already answered on 2024-07-19" in r.stderr


def test_the_board_shows_each_reply_and_whether_on_time(county):
    b = county["run"]("board", "--unit", VILLAGE, "--period", "2024-10", "--format", "json",
                      "--now", "2024-11-04T09:00").stdout
    boards = json.loads(b)
    boards = boards["boards"] if isinstance(boards, dict) else boards
    section = next(s for s in boards[0]["sections"] if s["title"].startswith("党员群众反映问题答复"))
    rows = {r["case_id"]: (r["due_on"], r["replied_on"], r["on_time"]) for r in section["rows"]}
    ids = county["cases"]
    assert rows == {  # made in October, or made in September and answered (resolved) in October
        ids["friday"]["id"]: ("2024-10-23", "2024-10-24", "否（逾期）"),
        ids["monday"]["id"]: ("2024-10-25", "2024-10-25", "是"),
        ids["holiday"]["id"]: ("2024-10-25", None, "否（逾期未答复）"),
        ids["makeup"]["id"]: ("2024-11-01", None, "否（逾期未答复）"),
    }
    assert "王长贵" not in b and "13812345678" not in b
    sep = json.loads(county["run"]("board", "--unit", VILLAGE, "--period", "2024-09", "--format", "json",
                                   "--now", "2024-11-04T09:00").stdout)
    sep = sep["boards"] if isinstance(sep, dict) else sep
    section = next(s for s in sep[0]["sections"] if s["title"].startswith("党员群众反映问题答复"))
    assert {r["case_id"]: (r["replied_on"], r["on_time"]) for r in section["rows"]} == {
        ids["friday"]["id"]: ("2024-10-24", "否（逾期）"), ids["monday"]["id"]: ("2024-10-25", "是")}


def test_reply_on_time_rate(county):
    """The six reports made in 2024 — spring (late), june (on time), friday (late), monday (on
    time), holiday and makeup (open past due at 2024-11-04) → 2 / 6."""
    data = county["run"]("appraise", "--period", "2024", "--unit", VILLAGE, "--now", "2024-11-04T09:00",
                         "--json").data
    metrics = data["metrics"] if isinstance(data, dict) else data
    m = next(m for m in metrics if m["metric"] == "reply_on_time_rate" and m["subject"] == VILLAGE)
    assert (m["numerator"], m["denominator"]) == (2, 6)
