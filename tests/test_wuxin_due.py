"""wuxin's duty rates count a duty only once it is due and its day is over (conventions §2: a day's
limit is 23:59:59), the inspector's cases on the sample deployment (data/yangwen.toml, initialised
on 2026-09-01: two child pairs, two elder pairs, 杨文社区's watch), every figure by hand:

* 过一次生日 (L432) is due when the ±``birthday_window_days`` (7) window closes — 甲某某's birthday
  10-15 is due 10-22 and owed from 10-23, not missed on 10-16 while it can still be done;
* 每天问候一次 (L432) and 24小时有人值班 (L445), due every day, count the days before today: at
  10-20 09:00, 10-01..10-19 (19 days), not 10-20.
"""

import json
from pathlib import Path

import pytest

from framework.testing import CountyRunner

TOML = Path(__file__).resolve().parents[1] / "plugins/contrib/wuxin/data/yangwen.toml"
COM = "ly.yw.yw"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return CountyRunner(tmp_path_factory.mktemp("wuxin-due") / "county.db").init(TOML, now="2026-09-01T09:00")


def figures(county, now, *names):
    got = {m["metric"]: (m["numerator"], m["denominator"]) for m in
           county("appraise", "--unit", COM, "--period", "2026-10", "--now", now, "--json").data
           if m["method"] == "wuxin" and m["subject"] == COM}
    return tuple(got[n] for n in names)


def test_daily_duties_count_the_days_that_are_over(county):
    # two elder pairs × 19 days (10-01..10-19); one community × 19 days (was 0/40 and 0/20)
    assert figures(county, "2026-10-20T09:00", "care_greeting_rate", "security_watch_rate") == ((0, 38), (0, 19))
    # the board's 六必须 row the same: 38 greetings + the chats of the weeks ending 10-04, 10-11, 10-18 (2 × 3)
    out = county("board", "--unit", COM, "--period", "2026-10", "--format", "json", "--now", "2026-10-20T09:00").stdout
    (board,) = [b for b in json.loads(out) if b["method"] == "wuxin"]
    (care,) = [s["rows"] for s in board["sections"] if s["title"] == "留守关爱结对落实情况"]
    assert [(r["item"], r["done"], r["due"]) for r in care] == [("留守儿童（六个一）", 0, 0), ("留守老人（六必须）", 0, 44)]
    # a greeting made today is counted tomorrow, with its day
    county("wuxin", "care", 3, "--kind", "greeting", "--now", "2026-10-20T08:00")
    assert figures(county, "2026-10-20T23:59", "care_greeting_rate") == ((0, 38),)
    assert figures(county, "2026-10-21T00:00", "care_greeting_rate") == ((1, 40),)


def test_a_birthday_is_owed_once_its_window_has_closed(county):
    # 甲某某 (pair 1) was born on 10-15: nothing owed on 10-16 (was 0/1), nor on 10-22 at 23:00
    assert figures(county, "2026-10-16T09:00", "care_birthday_rate") == ((0, 0),)
    assert figures(county, "2026-10-22T23:00", "care_birthday_rate") == ((0, 0),)
    assert figures(county, "2026-10-23T00:00", "care_birthday_rate") == ((0, 1),)
    # celebrated on 10-20, within 7 days of the birthday: done
    county("wuxin", "care", 1, "--kind", "birthday", "--now", "2026-10-20T18:00")
    assert figures(county, "2026-10-23T00:00", "care_birthday_rate") == ((1, 1),)


def test_a_late_december_birthday_is_due_in_january(county):
    # 乙某某 (file 2, pair 2) re-dated to a birthday of 12-28: its window closes 2027-01-04
    county("wuxin", "file", "update", 2, "--set", "birthday=2014-12-28", "--now", "2026-11-01T09:00")
    rows = county("wuxin", "pair", "schedule", 2, "--from", "2026-12-01", "--to", "2027-01-31", "--now", "2027-02-01",
                  "--json").data
    assert [(r["due_on"], r["title"]) for r in rows if r["kind"] == "birthday"] == [
        ("2027-01-04", "给孩子过一次生日（生日2026-12-28前后7天内；高某，档案2）")]
