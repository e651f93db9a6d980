"""daiban (Xupu 村民事务代办, casebook L229): the promised time limits — 24 hours by the clock
at the township, 4 calendar days (to 23:59:59 local) when the county seat is needed — the
kernel sweep flagging a missed promise, and the monthly card check's overdue register."""

from pathlib import Path

import plugins.daiban

import pytest

TOML = (Path(plugins.daiban.__file__).parent / "data" / "xupu.toml").read_text(encoding="utf-8")


@pytest.fixture
def cli(init_county):
    return init_county(TOML)


def add(cli, now, scope=None, unit="xp.fsw.lh.g1", title="代办户口簿", extra=()):
    args = ["case", "add", "--method", "daiban", "--unit", unit, "--title", title, "--now", now, "--json"]
    if scope:
        args += ["--set", f"scope={scope}"]
    for kv in extra:
        args += ["--set", kv]
    return cli(*args).data


@pytest.mark.parametrize("now, scope, due, limit", [
    # L229: 在乡镇能够办理的事项，24小时必须办结回复 — exactly 24 hours
    ("2013-03-04T09:00+08:00", "township", "2013-03-05T09:00:00+08:00", "24小时"),
    # L229: 需到县城办理的事项，4天内必须办结回复 — end of the 4th calendar day
    ("2013-03-04T09:00+08:00", "county", "2013-03-08T23:59:59+08:00", "4天"),
    ("2013-03-04T09:00+08:00", "county_seat", "2013-03-08T23:59:59+08:00", "4天"),
    # taken at 23:30: the 24 hours run to 23:30 the next day, not to the end of a day
    ("2013-03-04T23:30+08:00", "township", "2013-03-05T23:30:00+08:00", "24小时"),
    ("2013-03-04T23:30+08:00", "county", "2013-03-08T23:59:59+08:00", "4天"),
    # across month ends (March has 31 days, February 2013 has 28)
    ("2013-03-31T15:00+08:00", "township", "2013-04-01T15:00:00+08:00", "24小时"),
    ("2013-03-29T10:00+08:00", "county", "2013-04-02T23:59:59+08:00", "4天"),
    ("2013-02-28T16:00+08:00", "county", "2013-03-04T23:59:59+08:00", "4天"),
    ("2013-12-31T20:00+08:00", "township", "2014-01-01T20:00:00+08:00", "24小时"),
    # a UTC --now: the calendar rule uses the local (Asia/Shanghai) date, 2013-03-05
    ("2013-03-04T20:00+00:00", "county", "2013-03-09T23:59:59+08:00", "4天"),
    ("2013-03-04T20:00+00:00", "township", "2013-03-06T04:00:00+08:00", "24小时"),
    # no scope given: the default (the stricter 24-hour promise)
    ("2013-03-04T09:00+08:00", None, "2013-03-05T09:00:00+08:00", "24小时"),
])
def test_promised_due_instant(cli, now, scope, due, limit):
    c = add(cli, now, scope)
    assert c["due_at"] == due
    assert c["extra"]["time_limit"] == limit
    assert c["extra"]["scope"] == ("county" if scope in ("county", "county_seat") else "township")
    assert c["level"] is None and c["status"] == "assigned" and c["handler"] == "li"


def test_bad_scope_and_system_fields_are_refused(cli):
    r = cli("case", "add", "--method", "daiban", "--unit", "xp.fsw.lh.g1", "--title", "x", "--set", "scope=city", ok=2)
    assert "--set scope" in r.stderr and "Traceback" not in r.output
    r = cli("case", "add", "--method", "daiban", "--unit", "xp.fsw.lh.g1", "--title", "x", "--set", "signed_by=张某", ok=2)
    assert "--set signed_by" in r.stderr
    r = cli("case", "add", "--method", "daiban", "--unit", "xp.fsw.lh.g1", "--title", "x", "--set", "mode=bus", ok=2)
    assert "--set mode" in r.stderr


def test_sweep_flags_missed_promise_and_never_escalates(cli):
    c = add(cli, "2013-03-04T09:00+08:00", "township")
    assert cli("sweep", "--now", "2013-03-05T09:00:00+08:00", "--json").data["actions"] == []
    acts = cli("sweep", "--now", "2013-03-05T09:00:01+08:00", "--json").data["actions"]
    assert [(a["case"], a["milestone"], a["action"], a["due_at"]) for a in acts] == [
        (c["id"], "complete_and_reply", "flag", "2013-03-05T09:00:00+08:00")]
    assert cli("sweep", "--now", "2013-03-05T09:00:01+08:00", "--json").data["actions"] == []
    shown = cli("case", "show", c["id"], "--json").data
    assert shown["status"] == "assigned" and shown["handler"] == "li"
    assert [e["type"] for e in shown["events"]] == ["registered", "assigned", "overdue"]
    # no escalation tier in the source
    r = cli("case", "escalate", c["id"], "--now", "2013-03-05T10:00", ok=1)
    assert "cannot be escalated" in r.stderr


def test_monthly_check_fills_the_overdue_register(cli):
    late_open = add(cli, "2013-03-04T09:00+08:00", "township", title="代领救济物资")   # due 03-05 09:00, never done
    late_done = add(cli, "2013-03-11T10:00+08:00", "county", title="办理医疗救助")      # due 03-15 23:59:59
    on_time = add(cli, "2013-03-12T08:00+08:00", "township", title="寄包裹")           # due 03-13 08:00
    april = add(cli, "2013-03-31T15:00+08:00", "township", title="办户口簿")           # due 04-01 15:00
    cli("case", "resolve", late_done["id"], "--note", "已办结回复", "--now", "2013-03-16T00:00:00+08:00")
    cli("case", "resolve", on_time["id"], "--note", "已寄出", "--now", "2013-03-13T08:00:00+08:00")
    cli("sweep", "--now", "2013-03-20T00:00+08:00")  # flags the open one
    res = cli("daiban", "check", "--month", "2013-03", "--now", "2013-04-01T09:00+08:00", "--json").data
    assert res["cards"] == 3 and res["overdue"] == 2 and res["new"] == 2
    assert [(e["case_id"], e["agent"], e["due_at"], e["state"], e["swept"], e["month"]) for e in res["entries"]] == [
        (late_open["id"], "li", "2013-03-05T09:00:00+08:00", "open", True, "2013-03"),
        (late_done["id"], "li", "2013-03-15T23:59:59+08:00", "completed_late", False, "2013-03"),
    ]
    # running the check again registers nothing twice
    again = cli("daiban", "check", "--month", "2013-03", "--now", "2013-04-02T09:00+08:00", "--json").data
    assert again["new"] == 0 and again["overdue"] == 2
    assert [e["case_id"] for e in cli("daiban", "overdue", "--year", "2013", "--json").data] == [late_open["id"], late_done["id"]]
    # the April card is not due in March; the April check at 04-01 15:00 exactly finds it not yet late
    assert cli("daiban", "check", "--month", "2013-04", "--now", "2013-04-01T15:00:00+08:00", "--json").data["overdue"] == 0
    assert cli("daiban", "check", "--month", "2013-04", "--now", "2013-04-01T15:00:01+08:00", "--json").data["entries"][0]["case_id"] == april["id"]
    shown = cli("case", "show", late_open["id"], "--json").data
    assert [e["type"] for e in shown["events"]][-1] == "overdue_registered"


def test_check_refuses_a_month_not_begun_and_bad_month(cli):
    assert "not begun" in cli("daiban", "check", "--month", "2013-05", "--now", "2013-04-20", ok=1).stderr
    assert "--month" in cli("daiban", "check", "--month", "2013", "--now", "2013-04-20", ok=2).stderr


def test_duty_of_the_monthly_check(cli):
    d = cli("duties", "--date", "2013-04-01", "--now", "2013-04-01T08:00", "--json").data
    mine = sorted((x["unit"], x["kind"], x["done"], x["subject"]) for x in d if x["method"] == "daiban")
    assert mine == [("xp.dz", "card_check", False, "2013-03"), ("xp.fsw", "card_check", False, "2013-03")]
    cli("daiban", "check", "--month", "2013-03", "--unit", "xp.fsw", "--now", "2013-04-01T09:00")
    d = cli("duties", "--date", "2013-04-01", "--now", "2013-04-01T10:00", "--json").data
    mine = sorted((x["unit"], x["done"]) for x in d if x["method"] == "daiban")
    assert mine == [("xp.dz", False), ("xp.fsw", True)]
    assert [x for x in cli("duties", "--date", "2013-04-02", "--json").data if x["method"] == "daiban"] == []
