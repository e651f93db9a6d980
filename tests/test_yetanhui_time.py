"""yetanhui (巨鹿干群夜谈会, casebook L167–176): every due instant, through the CLI on the
sample deployment (plugins/contrib/yetanhui/data/julu.toml), computed by hand in Asia/Shanghai
(+08:00). 2024: 10-01..07 National Day holiday; Sunday 09-29 and Saturday 10-12 make-up
working days (调休).

* a regular talk's notice is due 23:59:59 on the talk's date minus 3 calendar days (提前三天,
  L176); an extra talk's (重大事项随时召开, L172) by its start (setting extra_notice_days 0);
* a promised date (承诺时间, L176): a date → its 23:59:59; ``+Nd`` → 23:59:59 on the Nth
  calendar day after arrival; ``+Nwd`` → the Nth working day;
* the township's reply (L176): 23:59:59 on the 10th calendar day after the collective study.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.yetanhui
from framework.testing import CountyRunner

TOML = Path(plugins.contrib.yetanhui.__file__).parent / "data" / "julu.toml"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("yetanhui-time") / "county.db").init(TOML)
    for village, person in (("jl.wz.dz", "wz-01"), ("jl.wz.xz", "wz-02"), ("jl.gj.nl", "gj-01")):
        run("yetanhui", "contact", village, "--person", person, "--now", "2024-09-01T09:00")
    return run


def matter(run, now, *sets, unit="jl.wz.dz", channel="survey", title="村道路灯不亮"):
    args = ["case", "add", "--method", "yetanhui", "--unit", unit, "--title", title, "--channel", channel,
            "--category", "opinion", "--now", now, "--json"]
    for kv in sets:
        args += ["--set", kv]
    return run(*args).data


@pytest.mark.parametrize("now, at, kind, notice_due", [
    # Saturday 10-12 (a make-up working day) at 19:30: 3 calendar days before → Wednesday 10-09
    ("2024-09-28T10:00", "2024-10-12T19:30", "regular", "2024-10-09T23:59:59+08:00"),
    # Tuesday 10-08, the first day after the holiday: the notice falls inside it, 10-05
    ("2024-09-30T10:00", "2024-10-08T19:30", "regular", "2024-10-05T23:59:59+08:00"),
    # across a month end: Friday 11-01 → Tuesday 10-29
    ("2024-10-20T10:00", "2024-11-01T19:30", "regular", "2024-10-29T23:59:59+08:00"),
    # scheduled exactly on the last day the notice can still be on time (10-11 − 3 = 10-08)
    ("2024-10-08T23:00", "2024-10-11T20:00", "regular", "2024-10-08T23:59:59+08:00"),
    # an extra talk on a major matter: by its start
    ("2024-10-10T10:00", "2024-10-10T19:30", "extra", "2024-10-10T19:30:00+08:00"),
])
def test_notice_due_three_days_before_the_talk(run, now, at, kind, notice_due):
    t = run("yetanhui", "talk", "add", "--village", "jl.wz.xz", "--at", at, "--topic", "秋收与秸秆禁烧",
            "--kind", kind, "--now", now, "--json").data
    assert (t["scheduled_at"], t["notice_due_at"], t["contact_cadre"], t["status"]) == (
        at + ":00+08:00", notice_due, "wz-02", "scheduled")


def test_a_regular_talk_too_soon_to_announce_is_refused(run):
    # at 10-10 a talk on 10-12 could only have been announced by 10-09: refused, 10-13 proposed
    r = run("yetanhui", "talk", "add", "--village", "jl.wz.xz", "--at", "2024-10-12T19:30", "--topic", "村道修缮",
            "--now", "2024-10-10T10:00", ok=2)
    assert "2024-10-09T23:59:59+08:00" in r.stderr and "2024-10-13" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("now, promised, due", [
    # Thursday 10-10 + 3 working days: Fri 10-11, Sat 10-12 (调休), Mon 10-14
    ("2024-10-10T09:00", "+3wd", "2024-10-14T23:59:59+08:00"),
    # Monday 09-30 + 3 working days: the holiday 10-01..07 skipped → 10-08, 10-09, 10-10
    ("2024-09-30T10:00", "+3wd", "2024-10-10T23:59:59+08:00"),
    # Friday 09-27 + 1 working day: Sunday 09-29 is a make-up working day
    ("2024-09-27T20:00", "+1wd", "2024-09-29T23:59:59+08:00"),
    # calendar days run through month ends: 10-29 21:00 + 5 → 11-03
    ("2024-10-29T21:00", "+5d", "2024-11-03T23:59:59+08:00"),
    # a date: its end; a date-time: that instant
    ("2024-10-12T21:00", "2024-10-20", "2024-10-20T23:59:59+08:00"),
    ("2024-10-12T21:00", "2024-10-20T18:00", "2024-10-20T18:00:00+08:00"),
])
def test_promised_date(run, now, promised, due):
    c = matter(run, now, "outcome=promised", "handler=dz-02", f"promised={promised}")
    assert (c["level"], c["status"], c["handler"], c["due_at"]) == ("village", "assigned", "dz-02", due)
    assert c["extra"]["promised_due_at"] == due


@pytest.mark.parametrize("sets, where", [
    (("outcome=promised", "handler=dz-02"), "promised"),
    (("outcome=promised", "promised=+3d"), "handler"),
    (("outcome=promised", "handler=dz-02", "promised=2024-10-01"), "promised"),  # before arrival
    (("outcome=promised", "handler=dz-02", "promised=soon"), "promised"),
    (("outcome=promised", "handler=xz-01", "promised=+3d"), "handler=xz-01"),  # another village's cadre
    (("outcome=later",), "outcome"),
    ((), "outcome"),  # no decision and no talk to put it on
])
def test_a_matter_without_a_proper_decision_is_refused(run, sets, where):
    args = ["case", "add", "--method", "yetanhui", "--unit", "jl.wz.dz", "--title", "x", "--channel", "survey",
            "--category", "opinion", "--now", "2024-10-10T09:00"]
    for kv in sets:
        args += ["--set", kv]
    r = run(*args, ok=2)
    assert where in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("added, studied, due", [
    # study on Friday 10-25 → the 10th calendar day after is Monday 11-04
    ("2024-10-20T20:00", "2024-10-25T09:00", "2024-11-04T23:59:59+08:00"),
    # calendar days, not working days: straight through the National Day holiday
    ("2024-09-29T20:00", "2024-09-30T20:00", "2024-10-10T23:59:59+08:00"),
])
def test_township_replies_within_ten_days_of_its_study(run, added, studied, due):
    c = matter(run, added, "outcome=township", unit="jl.gj.nl")
    # to the township, held by its one deputy secretary; no limit on the study (methods.md §6 item 14)
    assert (c["level"], c["unit"], c["handler"], c["due_at"]) == ("township", "jl.gj", "gj-01", None)
    r = run("yetanhui", "study", c["id"], "--township", "jl.gj", "--note", "镇党委会研究", "--now", studied, "--json")
    assert r.data["reply_due"] == {c["id"]: due}
    shown = run("case", "show", c["id"], "--json").data
    assert (shown["level"], shown["due_at"], shown["extra"]["reply_due_at"]) == ("township_reply", due, due)


def test_the_sweep_flags_a_missed_promise_and_a_missed_reply(tmp_path):
    run = CountyRunner(tmp_path / "county.db").init(TOML)
    a = matter(run, "2024-10-10T09:00", "outcome=promised", "handler=dz-02", "promised=+3wd")["id"]
    b = matter(run, "2024-10-20T20:00", "outcome=township")["id"]
    run("yetanhui", "study", b, "--township", "jl.wz", "--now", "2024-10-25T09:00")
    assert run("sweep", "--now", "2024-10-14T23:59:59", "--json").data["actions"] == []
    acts = run("sweep", "--now", "2024-10-15T00:00", "--json").data["actions"]
    assert acts == [{"case": a, "milestone": "promise", "due_at": "2024-10-14T23:59:59+08:00", "action": "flag",
                     "from": "village", "to": "village"}]
    assert run("sweep", "--now", "2024-10-15T00:00", "--json").data["actions"] == []  # idempotent
    acts = run("sweep", "--now", "2024-11-05T08:00", "--json").data["actions"]
    assert acts == [{"case": b, "milestone": "reply", "due_at": "2024-11-04T23:59:59+08:00", "action": "flag",
                     "from": "township_reply", "to": "township_reply"}]


def test_settings_left_open_by_the_source(tmp_path):
    """study_days (no limit in the source, methods.md §6 item 14) and promise_miss (no
    consequence in the source) as a county may set them."""
    text = TOML.read_text(encoding="utf-8").replace("study_days = 0", "study_days = 2").replace(
        'promise_miss = "flag"', 'promise_miss = "escalate"')
    (tmp_path / "julu.toml").write_text(text, encoding="utf-8")
    run = CountyRunner(tmp_path / "county.db").init(tmp_path / "julu.toml")
    a = matter(run, "2024-10-10T09:00", "outcome=promised", "handler=dz-02", "promised=+1wd")  # due Fri 10-11
    b = matter(run, "2024-10-10T09:00", "outcome=township")
    assert b["due_at"] == "2024-10-12T23:59:59+08:00"  # the study: 2 calendar days
    acts = run("sweep", "--now", "2024-10-12T08:00", "--json").data["actions"]
    assert acts == [{"case": a["id"], "milestone": "promise", "due_at": "2024-10-11T23:59:59+08:00",
                     "action": "escalate", "from": "village", "to": "township"}]
    moved = run("case", "show", a["id"], "--json").data
    # arrived at the township at the sweep's instant: its study is due 2 days after 10-12
    assert (moved["level"], moved["unit"], moved["handler"], moved["due_at"]) == (
        "township", "jl.wz", "wz-03", "2024-10-14T23:59:59+08:00")
    acts = run("sweep", "--now", "2024-10-13T00:00", "--json").data["actions"]
    assert acts == [{"case": b["id"], "milestone": "study", "due_at": "2024-10-12T23:59:59+08:00",
                     "action": "flag", "from": "township", "to": "township"}]
