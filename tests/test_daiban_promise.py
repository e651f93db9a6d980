"""daiban (Xupu, casebook L229): the agent's time-limit promise, shorter than the cap and held to.

L229: "实行限时办结承诺制度，代办员承办事项时，要向委托代办的群众作出限时办结承诺，并规定，在乡镇
能够办理的事项，24小时必须办结回复；需到县城办理的事项，4天内必须办结回复。" The agent promises a
time; the rule caps it (24 hours exact for a township errand; the end of the 4th calendar day
for one that needs the county seat). Every due instant below is computed by hand from the
acceptance instant (Asia/Shanghai):

* township errand accepted Mon 2013-03-04 09:00: cap 2013-03-05 09:00:00 (+24 h);
  ``6h`` → 03-04 15:00:00; the date ``2013-03-04`` → its end 03-04 23:59:59 (≤ cap);
  ``2013-03-05`` → 03-05 23:59:59 (beyond); ``25h`` → 03-05 10:00 (beyond); ``24h`` = the cap.
* township errand accepted 2013-03-04 23:30: cap 03-05 23:30; ``2013-03-05T08:00`` → that.
* county errand accepted 2013-03-04 09:00: cap 03-08 23:59:59 (03-05, 06, 07, 08);
  ``2d`` → 03-06 23:59:59; ``96h`` → 03-08 09:00; ``5d`` → 03-09 23:59:59 (beyond);
  ``2013-03-08`` → 03-08 23:59:59 = the cap; accepted 2013-03-29 10:00, ``2013-04-02`` → the cap
  04-02 23:59:59.
"""

from pathlib import Path

import pytest

import plugins.daiban

TOML = (Path(plugins.daiban.__file__).parent / "data" / "xupu.toml").read_text(encoding="utf-8")


@pytest.fixture
def cli(init_county):
    return init_county(TOML)


def add(cli, now, *sets, ok=True, unit="xp.fsw.lh.g1", title="代办户口簿"):
    args = ["case", "add", "--method", "daiban", "--unit", unit, "--title", title, "--now", now, "--json"]
    for kv in sets:
        args += ["--set", kv]
    return cli(*args, ok=ok)


@pytest.mark.parametrize("now, scope, promise, due, limit, cap", [
    ("2013-03-04T09:00", "township", "6h", "2013-03-04T15:00:00+08:00", "6小时", "24小时"),
    ("2013-03-04T09:00", "township", "6小时", "2013-03-04T15:00:00+08:00", "6小时", "24小时"),
    ("2013-03-04T09:00", "township", "1.5h", "2013-03-04T10:30:00+08:00", "1.5小时", "24小时"),
    ("2013-03-04T09:00", "township", "24h", "2013-03-05T09:00:00+08:00", "24小时", "24小时"),
    ("2013-03-04T09:00", "township", "2013-03-04", "2013-03-04T23:59:59+08:00", "2013-03-04前", "24小时"),
    ("2013-03-04T23:30", "township", "2013-03-05T08:00", "2013-03-05T08:00:00+08:00", "2013-03-05 08:00前", "24小时"),
    ("2013-03-04T09:00", "county", "2d", "2013-03-06T23:59:59+08:00", "2天", "4天"),
    ("2013-03-04T09:00", "county", "2天", "2013-03-06T23:59:59+08:00", "2天", "4天"),
    ("2013-03-04T09:00", "county", "96h", "2013-03-08T09:00:00+08:00", "96小时", "4天"),
    ("2013-03-04T09:00", "county", "2013-03-08", "2013-03-08T23:59:59+08:00", "2013-03-08前", "4天"),
    ("2013-03-29T10:00", "county", "2013-04-02", "2013-04-02T23:59:59+08:00", "2013-04-02前", "4天"),
])
def test_a_promise_at_intake_moves_the_deadline(cli, now, scope, promise, due, limit, cap):
    c = add(cli, now, f"scope={scope}", f"promise={promise}").data
    assert c["due_at"] == due
    assert (c["extra"]["time_limit"], c["extra"]["time_cap"], c["extra"]["promised_due_at"]) == (limit, cap, due)
    card = cli("daiban", "card", c["id"], "--json").data
    assert (card["due_at"], card["time_limit"], card["time_cap"]) == (due, limit, cap)


@pytest.mark.parametrize("now, scope, promise, message", [
    ("2013-03-04T09:00", "township", "25h",
     "--set promise=25h: due 2013-03-05T10:00:00+08:00, beyond the 24小时 limit of an errand the township can do "
     "(due by 2013-03-05T09:00:00+08:00)"),
    ("2013-03-04T09:00", "township", "2013-03-05",
     "--set promise=2013-03-05: due 2013-03-05T23:59:59+08:00, beyond the 24小时 limit of an errand the township "
     "can do (due by 2013-03-05T09:00:00+08:00)"),
    ("2013-03-04T09:00", "county", "5d",
     "--set promise=5d: due 2013-03-09T23:59:59+08:00, beyond the 4天 limit of an errand that needs the county "
     "seat (due by 2013-03-08T23:59:59+08:00)"),
    ("2013-03-04T09:00", "county", "2013-03-09",
     "--set promise=2013-03-09: due 2013-03-09T23:59:59+08:00, beyond the 4天 limit of an errand that needs the "
     "county seat (due by 2013-03-08T23:59:59+08:00)"),
    ("2013-03-04T09:00", "township", "0h",
     "--set promise=0h: due 2013-03-04T09:00:00+08:00, not after the promise is made (2013-03-04T09:00:00+08:00)"),
    ("2013-03-04T09:00", "township", "2013-03-03",
     "--set promise=2013-03-03: due 2013-03-03T23:59:59+08:00, not after the promise is made "
     "(2013-03-04T09:00:00+08:00)"),
    ("2013-03-04T09:00", "township", "soon",
     "--set promise=soon: 'soon' is not a promise (use hours 6h, calendar days 2d, a date 2013-03-06 or a time "
     "2013-03-06T17:00)"),
])
def test_a_promise_beyond_the_cap_is_refused(cli, now, scope, promise, message):
    r = add(cli, now, f"scope={scope}", f"promise={promise}", ok=2)
    assert r.stderr == f"error: {message}\n"
    assert cli("case", "list", "--json").data == []
    r = add(cli, now, "promised_due_at=2013-03-05T09:00", ok=2)
    assert r.stderr.startswith("error: --set promised_due_at: filled in by the system")


def test_the_sweep_and_the_ledger_follow_the_intake_promise(cli):
    """Accepted 09:00 with 6 hours promised: flagged after 15:00, not after the 24-hour cap."""
    c = add(cli, "2013-03-04T09:00", "promise=6h").data
    assert cli("sweep", "--now", "2013-03-04T15:00:00", "--json").data["actions"] == []
    acts = cli("sweep", "--now", "2013-03-04T15:00:01", "--json").data["actions"]
    assert [(a["case"], a["milestone"], a["due_at"], a["action"]) for a in acts] == [
        (c["id"], "complete_and_reply", "2013-03-04T15:00:00+08:00", "flag")]
    cli("case", "resolve", c["id"], "--note", "已办", "--now", "2013-03-04T16:00")
    rows = cli("board", "--unit", "xp.fsw", "--period", "2013-03", "--now", "2013-03-05T08:00", "--json").data
    row = next(b for b in rows if b["method"] == "daiban")["sections"][0]["rows"][0]
    # an hour after the promise, yet within the 24-hour cap: late
    assert (row["time_limit"], row["due_at"], row["on_time"]) == ("6小时", "2013-03-04T15:00:00+08:00", "否（逾期）")


def test_a_promise_by_command_holds_the_card(cli):
    """Card A (township) accepted Mon 2013-03-04 09:00, cap 03-05 09:00. At 10:00 the agent
    promises 4 hours → 14:00. Completed 15:00: late by the promise (though within the cap)."""
    a = add(cli, "2013-03-04T09:00", title="代领救济物资").data
    r = cli("daiban", "promise", a["id"], "--time", "24h", "--now", "2013-03-04T10:00", ok=2)
    assert r.stderr == ("error: --time 24h: due 2013-03-05T10:00:00+08:00, beyond the 24小时 limit of an errand the "
                        "township can do (due by 2013-03-05T09:00:00+08:00)\n")
    r = cli("daiban", "promise", a["id"], "--time", "4h", "--now", "2013-03-04T08:00", ok=1)
    assert r.stderr.startswith(f"error: case {a['id']} was taken in at 2013-03-04T09:00:00+08:00;")
    out = cli("daiban", "promise", a["id"], "--time", "4h", "--now", "2013-03-04T10:00").output
    assert out == f"{a['id']}：代办员承诺4小时办结回复，至2013-03-04T14:00:00+08:00（规定时限24小时）\n"
    shown = cli("case", "show", a["id"], "--json").data
    assert (shown["extra"]["promise"], shown["extra"]["promised_at"], shown["extra"]["promised_due_at"],
            shown["extra"]["time_limit"]) == ("4h", "2013-03-04T10:00:00+08:00", "2013-03-04T14:00:00+08:00", "4小时")
    assert [(e["type"], e["note"]) for e in shown["events"][-2:]] == [
        ("promised", "代办员承诺4小时办结回复（至2013-03-04T14:00:00+08:00）"), ("due_changed", "代办员承诺4小时办结回复")]
    assert shown["events"][-1]["data"] == {"milestone": "complete_and_reply", "from": "2013-03-05T09:00:00+08:00",
                                           "to": "2013-03-04T14:00:00+08:00"}
    # the kernel holds the card to the promise too: its due instant, and the sweep one second after it
    assert shown["due_at"] == "2013-03-04T14:00:00+08:00"
    assert cli("sweep", "--now", "2013-03-04T14:00:00", "--json").data["actions"] == []
    acts = cli("sweep", "--now", "2013-03-04T14:00:01", "--json").data["actions"]
    assert [(x["case"], x["milestone"], x["due_at"], x["action"]) for x in acts] == [
        (a["id"], "complete_and_reply", "2013-03-04T14:00:00+08:00", "flag")]
    # one promise per card
    r = cli("daiban", "promise", a["id"], "--time", "2h", "--now", "2013-03-04T11:00", ok=1)
    assert r.stderr == (f"error: case {a['id']} already carries the promise 4小时 (due 2013-03-04T14:00:00+08:00); "
                        f"the agent is held to it\n")
    # 14:30, open: an overdue complaint is accepted (the cap has not passed)
    cli("daiban", "complaint", "add", "--kind", "overdue", "--case", a["id"], "--complainant", "刘某某",
        "--text", "说好4小时", "--now", "2013-03-04T14:30")
    cli("case", "resolve", a["id"], "--note", "已代领", "--now", "2013-03-04T15:00")
    card = cli("daiban", "card", a["id"], "--json").data
    assert (card["due_at"], card["on_time"], card["time_limit"], card["time_cap"]) == (
        "2013-03-04T14:00:00+08:00", False, "4小时", "24小时")
    # a promise on a closed card is refused
    assert "a promise is made on an open card" in cli("daiban", "promise", a["id"], "--time", "1h", ok=1).stderr
    # the month's check registers it as completed late, due at the promise
    res = cli("daiban", "check", "--month", "2013-03", "--now", "2013-04-01T09:00", "--json").data
    assert [(e["case_id"], e["due_at"], e["state"]) for e in res["entries"]] == [
        (a["id"], "2013-03-04T14:00:00+08:00", "completed_late")]
    # the score counts it late: timeliness 0 of 1 (weight 15 → 0 points)
    score = cli("daiban", "score", "--period", "2013-03", "--agent", "li", "--now", "2013-04-01T10:00", "--json").data
    assert (score[0]["cards"], score[0]["timeliness"]) == (1, 0.0)
    # a promise at intake cannot be given again by command
    b = add(cli, "2013-03-04T09:00", "promise=6h").data
    assert "already carries the promise 6小时" in cli("daiban", "promise", b["id"], "--time", "2h",
                                                    "--now", "2013-03-04T10:00", ok=1).stderr
    # a date promised by command: its end, within the cap of a county errand (03-08 23:59:59)
    c = add(cli, "2013-03-04T09:00", "scope=county").data
    d = cli("daiban", "promise", c["id"], "--time", "2013-03-06", "--now", "2013-03-05T09:00", "--json").data
    assert (d["extra"]["promised_due_at"], d["extra"]["time_limit"], d["extra"]["time_cap"]) == (
        "2013-03-06T23:59:59+08:00", "2013-03-06前", "4天")
