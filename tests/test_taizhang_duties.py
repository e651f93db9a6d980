"""taizhang 每月上墙公示 (L35) as a duty: "‘建账’、‘结账’情况要月办月结，每月上墙公示，接受群众监督".

Read by hand: the month's building and closing are done within the month (月办月结), so the
month's board is due on the month's last day, for every village and community (the units that
keep the three books, L9 "全县每个村庄、每个社区"). It is done when `county taizhang post` records
the posting by the end of that day; a board not posted stays on the duty list, overdue, all
through the next month. The sample deployment has three such units, by code: zj.fx.jq 金桥社区,
zj.fx.llg 柳林沟村, zj.nh.sq 石墙村.
"""

from pathlib import Path

import pytest

import plugins.taizhang

TOML = (Path(plugins.taizhang.__file__).parent / "data" / "zhongjiang.toml").read_text(encoding="utf-8")
VILLAGES = ["zj.fx.jq", "zj.fx.llg", "zj.nh.sq"]


@pytest.fixture
def run(init_county):
    return init_county(TOML)


def duties(run, day):
    return [(d["unit"], d["kind"], d["subject"], d["due_on"], d["done"])
            for d in run("duties", "--date", day, "--json").data if d["method"] == "taizhang"]


@pytest.fixture
def november(run):
    """One case at 柳林沟村 taken in on 11-02 (the deployment's first taizhang data), settled on
    11-05 and signed for on 11-06: November's board there has 1 row in each section."""
    cid = run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "山坪塘蓄水不足",
              "--category", "livelihood", "--requester-name", "王长贵", "--now", "2026-11-02T10:00", "--json").data["id"]
    run("case", "resolve", cid, "--note", "建成蓄水池", "--now", "2026-11-05T10:00")
    run("case", "confirm", cid, "--satisfaction", "satisfied", "--now", "2026-11-06T10:00")
    return cid


def test_nothing_is_due_before_the_data(run):
    assert duties(run, "2026-11-30") == []


def test_board_due_on_the_last_day_of_the_month(run, november):
    # 11-29 is not a month end, and October ended before the first case (11-02): nothing due
    assert duties(run, "2026-11-29") == []
    # 11-30, the last day of November: the three boards of 2026-11, none posted yet
    assert duties(run, "2026-11-30") == [(v, "board", "2026-11", "2026-11-30", False) for v in VILLAGES]
    titles = [d["title"] for d in run("duties", "--date", "2026-11-30", "--json").data]
    assert titles[1] == "每月上墙公示：富兴镇柳林沟村“三本台账”晒账公示（2026年11月）"


def test_post_records_the_board_and_the_duty_is_done(run, november):
    # before the month's last day the month is not closed (月办月结): refused, exit 1
    r = run("taizhang", "post", "--unit", "zj.fx.llg", "--month", "2026-11", "--now", "2026-11-29T16:00", ok=1)
    assert "from 2026-11-30 on" in r.stderr
    rows = run("taizhang", "post", "--unit", "zj.fx.llg", "--month", "2026-11", "--now", "2026-11-30T16:00",
               "--json").data
    assert [(r["unit"], r["month"], r["posted_at"], r["new_cases"], r["settled_cases"], r["already"]) for r in rows] == [
        ("zj.fx.llg", "2026-11", "2026-11-30T16:00:00+08:00", 1, 1, False)]
    assert duties(run, "2026-11-30") == [
        ("zj.fx.jq", "board", "2026-11", "2026-11-30", False),
        ("zj.fx.llg", "board", "2026-11", "2026-11-30", True),
        ("zj.nh.sq", "board", "2026-11", "2026-11-30", False)]
    # 12-01: the two boards not posted are overdue (due 11-30), listed again; 柳林沟村's is not
    assert duties(run, "2026-12-01") == [("zj.fx.jq", "board", "2026-11", "2026-11-30", False),
                                         ("zj.nh.sq", "board", "2026-11", "2026-11-30", False)]
    titles = [d["title"] for d in run("duties", "--date", "2026-12-01", "--json").data]
    assert titles[0] == "每月上墙公示（逾期未公示）：富兴镇金桥社区“三本台账”晒账公示（2026年11月）"
    # the township records its villages' walls on 12-03: 金桥社区 now, 柳林沟村 already posted
    rows = run("taizhang", "post", "--unit", "zj.fx", "--month", "2026-11", "--now", "2026-12-03T09:00", "--json").data
    assert [(r["unit"], r["posted_at"], r["new_cases"], r["already"]) for r in rows] == [
        ("zj.fx.jq", "2026-12-03T09:00:00+08:00", 0, False), ("zj.fx.llg", "2026-11-30T16:00:00+08:00", 1, True)]
    # asked about 12-02 the posting of 12-03 had not happened; about 12-03 it had
    assert [d[0] for d in duties(run, "2026-12-02")] == ["zj.fx.jq", "zj.nh.sq"]
    assert [d[0] for d in duties(run, "2026-12-03")] == ["zj.nh.sq"]
    # 12-31: November's still missing at 石墙村, and the three December boards
    assert duties(run, "2026-12-31") == [("zj.nh.sq", "board", "2026-11", "2026-11-30", False)] + [
        (v, "board", "2026-12", "2026-12-31", False) for v in VILLAGES]
    # 2027-01-01: only the previous month (December) is listed
    assert duties(run, "2027-01-01") == [(v, "board", "2026-12", "2026-12-31", False) for v in VILLAGES]
    # the human line of the command is Chinese
    out = run("taizhang", "post", "--unit", "zj.fx.llg", "--month", "2026-11", "--now", "2026-12-05T09:00").stdout
    assert out == "柳林沟村 zj.fx.llg  2026-11  此前已公示 2026-11-30 16:00  本期建账1件，结账1件\n"


def test_post_refuses_bad_input(run, november):
    assert "--month" in run("taizhang", "post", "--unit", "zj.fx.llg", "--month", "2026Q4", ok=2).stderr
    assert "no village or community" in run("taizhang", "post", "--unit", "zj.nyj", "--month", "2026-11",
                                            "--now", "2026-12-01T09:00", ok=2).stderr
    run("taizhang", "post", "--unit", "zj.nope", "--month", "2026-11", ok=2)
