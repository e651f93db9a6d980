"""yetanhui (巨鹿干群夜谈会, casebook L167–176): October 2024 at 王虎寨镇 (julu.toml) through
the CLI — talks, notices, attendance, matters decided at the talks, the township's study and
replies, the 一单三簿 board, duties and appraisal — every figure worked out by hand.

The month (times +08:00; 10-01..07 holiday, Saturday 10-12 a make-up working day):

* talk #1 at 东张村 (jl.wz.dz), Sat 10-12 19:30, scheduled 09-28: notice due 10-09 23:59:59,
  posted 10-09 20:00 (on time); held, 30 attended, 12 ordinary (40 %: enough), chaired by the
  party secretary dz-01;
* talk #2 at 西张村 (jl.wz.xz), Tue 10-15 19:00: notice due 10-12 23:59:59, posted 10-14
  (late); held, 25 attended, 8 ordinary (32 %): refused, then recorded with a reason;
* A (dz, surveyed 09-29, on talk #1's agenda): notice milestone (before the talk) met by the
  notice; decided at the talk 10-12 21:10: promised, dz-02 with wz-01 jointly, +3wd → 10-14,
  10-15, 10-16 → due 10-16 23:59:59; reported 10-16 10:00 (on time);
* B (xz, surveyed 09-30, on talk #2's agenda): its notice milestone flagged by the sweep of
  10-13 00:00; decided at talk #2: township; studied 10-18 09:00 → reply due 10-28 23:59:59;
  never reported → flagged by the sweep of 10-29;
* C (dz, raised at talk #1, 21:20): answered on the spot (settled);
* D (dz, raised at talk #1, 21:30, major): township (deputy secretary wz-03), studied with B;
  its report needs a majority: 60 of 120 refused, 61 of 120 accepted on 10-25 (on time);
* inspection of 西张村 10-20: perfunctory (走过场) → 西张村 and its contact cadre wz-02 barred.
"""

from __future__ import annotations

import pytest
from test_yetanhui_time import TOML

from framework.testing import CountyRunner


def add(run, now, unit, title, *sets, channel="survey"):
    args = ["case", "add", "--method", "yetanhui", "--unit", unit, "--title", title, "--channel", channel,
            "--category", "opinion", "--now", now, "--json"]
    for kv in sets:
        args += ["--set", kv]
    return run(*args).data["id"]


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    run = CountyRunner(tmp_path_factory.mktemp("yetanhui-month") / "county.db").init(TOML)
    run("yetanhui", "contact", "jl.wz.dz", "--person", "wz-01", "--now", "2024-09-01T09:00")
    run("yetanhui", "contact", "jl.wz.xz", "--person", "wz-02", "--now", "2024-09-01T09:00")
    run("yetanhui", "contact", "jl.gj.nl", "--person", "gj-01", "--now", "2024-09-01T09:00")
    run("yetanhui", "contact", "jl.wz.xz", "--person", "wz-03", "--kind", "leader", "--now", "2024-09-01T09:00")
    t1 = run("yetanhui", "talk", "add", "--village", "jl.wz.dz", "--at", "2024-10-12T19:30", "--topic", "秋收与秸秆禁烧",
             "--topic", "村道修缮", "--now", "2024-09-28T10:00", "--json").data["id"]
    t2 = run("yetanhui", "talk", "add", "--village", "jl.wz.xz", "--at", "2024-10-15T19:00", "--topic", "惠农补贴",
             "--format", "lecture", "--now", "2024-09-28T11:00", "--json").data["id"]
    a = add(run, "2024-09-29T10:00", "jl.wz.dz", "村东路灯不亮", f"talk={t1}")
    b = add(run, "2024-09-30T09:00", "jl.wz.xz", "宅基地审批慢", f"talk={t2}")
    ids = {"t1": t1, "t2": t2, "A": a, "B": b}
    ids["notice1"] = run("yetanhui", "talk", "notice", t1, "--channel", "broadcast", "--now", "2024-10-09T20:00",
                         "--json").data
    run("yetanhui", "talk", "hold", t1, "--attendees", 30, "--ordinary", 12, "--chair", "dz-01", "--minutes",
        "宣讲秸秆禁烧政策，群众提出问题三件", "--now", "2024-10-12T21:00")
    ids["decideA"] = run("yetanhui", "decide", a, "--outcome", "promised", "--handler", "dz-02", "--joint-handler",
                         "wz-01", "--promised", "+3wd", "--now", "2024-10-12T21:10", "--json").data
    c = add(run, "2024-10-12T21:20", "jl.wz.dz", "低保政策咨询", f"talk={t1}", "outcome=spot", "answer=已现场解答",
            channel="talk")
    d = add(run, "2024-10-12T21:30", "jl.wz.dz", "村内新上养殖项目", f"talk={t1}", "outcome=township", "major=yes",
            "form=written", channel="talk")
    ids |= {"C": c, "D": d}
    ids["sweep13"] = run("sweep", "--now", "2024-10-13T00:00", "--json").data["actions"]
    run("yetanhui", "talk", "notice", t2, "--channel", "board", "--now", "2024-10-14T08:00")
    ids["refused_share"] = run("yetanhui", "talk", "hold", t2, "--attendees", 25, "--ordinary", 8, "--chair", "wz-02",
                               "--minutes", "讲解补贴政策", "--now", "2024-10-15T21:00", ok=1).stderr
    run("yetanhui", "talk", "hold", t2, "--attendees", 25, "--ordinary", 8, "--chair", "wz-02", "--minutes",
        "讲解补贴政策", "--share-reason", "秋收农忙", "--leader-absent", "县里开会", "--now", "2024-10-15T21:00")
    run("yetanhui", "decide", b, "--outcome", "township", "--now", "2024-10-15T21:30")
    run("yetanhui", "report", a, "--result", "路灯已修复", "--feedback", "board", "--now", "2024-10-16T10:00")
    ids["study"] = run("yetanhui", "study", d, b, "--township", "jl.wz", "--now", "2024-10-18T09:00", "--json").data
    run("yetanhui", "inspect", "--village", "jl.wz.xz", "--finding", "perfunctory", "--note", "会议流于形式",
        "--talk", t2, "--now", "2024-10-20T10:00")
    ids["no_consent"] = run("yetanhui", "report", d, "--result", "项目实施", "--now", "2024-10-25T10:00", ok=1).stderr
    ids["half"] = run("yetanhui", "report", d, "--result", "项目实施", "--consent-for", 60, "--consent-of", 120,
                      "--now", "2024-10-25T10:00", ok=1).stderr
    run("yetanhui", "report", d, "--result", "村民代表会议同意，项目实施", "--consent-for", 61, "--consent-of", 120,
        "--feedback", "talk", "--now", "2024-10-25T10:00")
    ids["sweep29"] = run("sweep", "--now", "2024-10-29T00:00", "--json").data["actions"]
    return run, ids


def test_the_notice_milestone_before_the_talk(month):
    run, ids = month
    assert ids["notice1"]["notice_on_time"] is True
    # B's talk was announced late: its notice milestone (anchored before the talk) is flagged
    assert ids["sweep13"] == [{"case": ids["B"], "milestone": "notice", "due_at": "2024-10-12T23:59:59+08:00",
                               "action": "flag", "from": "agenda", "to": "agenda"}]
    events = [e["type"] for e in run("case", "show", ids["A"], "--json").data["events"]]
    assert events == ["registered", "triaged", "noticed", "decided", "escalated", "assigned", "resolved"]


def test_decisions_at_the_talk(month):
    run, ids = month
    a = ids["decideA"]
    assert (a["level"], a["handler"], a["joint_handler"], a["due_at"]) == (
        "village", "dz-02", "wz-01", "2024-10-16T23:59:59+08:00")
    c = run("case", "show", ids["C"], "--json").data
    assert (c["status"], c["extra"]["form"], c["resolved_at"]) == ("resolved", "oral", "2024-10-12T21:20:00+08:00")
    d = run("case", "show", ids["D"], "--json").data
    assert (d["status"], d["level"], d["handler"], d["priority"]) == ("resolved", "township_reply", "wz-03", "high")
    assert ids["study"]["reply_due"] == {ids["D"]: "2024-10-28T23:59:59+08:00", ids["B"]: "2024-10-28T23:59:59+08:00"}
    assert ids["sweep29"] == [{"case": ids["B"], "milestone": "reply", "due_at": "2024-10-28T23:59:59+08:00",
                               "action": "flag", "from": "township_reply", "to": "township_reply"}]


def test_validations_are_one_line(month):
    run, ids = month
    assert "8/25 = 32% < 40%" in ids["refused_share"]
    assert "major matter" in ids["no_consent"] and "60 of 120 agreed, not a majority" in ids["half"]
    for text in (ids["refused_share"], ids["no_consent"], ids["half"]):
        assert len(text.strip().splitlines()) == 1
    t = run("yetanhui", "talk", "add", "--village", "jl.wz.dz", "--at", "2024-11-20T19:30", "--topic", "冬季取暖",
            "--now", "2024-11-01T09:00", "--json").data["id"]
    assert "集资" in run("yetanhui", "talk", "add", "--village", "jl.wz.dz", "--at", "2024-11-21T19:30", "--topic",
                       "修路集资", "--now", "2024-11-01T09:00", ok=1).stderr
    assert "17:00" in run("yetanhui", "talk", "add", "--village", "jl.wz.dz", "--at", "2024-11-21T10:00", "--topic",
                          "修路", "--now", "2024-11-01T09:00", ok=2).stderr
    assert "--reason" in run("yetanhui", "talk", "postpone", t, "--to", "2024-11-22T19:30", "--reason", " ",
                             "--now", "2024-11-02T09:00", ok=2).stderr
    assert "record it afterwards" in run("yetanhui", "talk", "hold", t, "--attendees", 10, "--ordinary", 5, "--chair",
                                         "wz-01", "--minutes", "x", "--now", "2024-11-20T19:00", ok=1).stderr
    assert "亲自主持" in run("yetanhui", "talk", "hold", t, "--attendees", 10, "--ordinary", 5, "--chair", "dz-02",
                         "--minutes", "x", "--now", "2024-11-20T22:00", ok=1).stderr
    assert "ordinary ≤ attendees" in run("yetanhui", "talk", "hold", t, "--attendees", 10, "--ordinary", 11, "--chair",
                                         "wz-01", "--minutes", "x", "--now", "2024-11-20T22:00", ok=2).stderr
    assert "after the talk began" in run("yetanhui", "talk", "notice", t, "--channel", "board", "--now",
                                         "2024-11-20T20:00", ok=1).stderr
    assert "only a matter awaiting the township's study" in run(
        "yetanhui", "study", ids["A"], "--township", "jl.wz", "--now", "2024-11-02T09:00", ok=1).stderr
    r = run("yetanhui", "contact", "jl.gj.nl", "--person", "wz-01", "--now", "2024-11-02T09:00", ok=2)
    assert "not of the township" in r.stderr
    run("yetanhui", "contact", "jl.wz.dz", "--person", "wz-01", "--kind", "leader", "--now", "2024-11-02T09:00")
    assert "links one village" in run("yetanhui", "contact", "jl.wz.xz", "--person", "wz-01", "--kind", "leader",
                                      "--now", "2024-11-02T09:00", ok=1).stderr
    # postponed with a reason: the notice due follows the new date (11-22 − 3 = 11-19)
    p = run("yetanhui", "talk", "postpone", t, "--to", "2024-11-22T19:30", "--reason", "村里办丧事",
            "--now", "2024-11-02T09:00", "--json").data
    assert p["notice_due_at"] == "2024-11-19T23:59:59+08:00"


def _board(run, unit):
    boards = run("board", "--unit", unit, "--period", "2024-10", "--format", "json", "--now", "2024-11-05T09:00",
                 "--json").data
    return {b["title"]: {s["title"]: s["rows"] for s in b["sections"]} for b in boards if b["method"] == "yetanhui"}


def test_one_form_three_books(month):
    run, ids = month
    boards = _board(run, "jl.wz")
    assert sorted(boards) == ["东张村干群夜谈会预告（2024-10）", "王虎寨镇干群夜谈会“一单三簿”（2024-10）",
                              "西张村干群夜谈会预告（2024-10）"]
    books = boards["王虎寨镇干群夜谈会“一单三簿”（2024-10）"]
    assert list(books) == ["问题办理结果报告单", "会议记录簿", "问题解决公示簿", "督查记录簿"]
    assert [(r["case_id"], r["reported_on"], r["on_time"], r["due_on"]) for r in books["问题办理结果报告单"]] == [
        (ids["A"], "2024-10-16", "是", "2024-10-16"), (ids["D"], "2024-10-25", "是", "2024-10-28"),
        (ids["C"], "2024-10-12", "是", None)]
    assert [(r["talk"], r["attendance"], r["notice"], r["chair"], r["leader"]) for r in books["会议记录簿"]] == [
        (ids["t1"], "30人（普通群众12人，40%）", "2024-10-09", "李某", None),
        (ids["t2"], "25人（普通群众8人，32%）；不足40%：秋收农忙", "2024-10-14（未提前三天）", "钱某", "孙某（缺席：县里开会）")]
    assert [r["case_id"] for r in books["问题解决公示簿"]] == [ids["A"], ids["B"], ids["C"], ids["D"]]
    assert [(r["date"], r["village"], r["finding"], r["note"]) for r in books["督查记录簿"]] == [
        ("2024-10-13", "西张村", "督办", "议题未提前三天告知群众"),
        ("2024-10-20", "西张村", "走过场、敷衍了事", "会议流于形式"),
        ("2024-10-29", "西张村", "督办", "集中研究后10天内未答复")]
    assert _board(run, "jl.gj") == {}  # 官亭镇 held no talk and took no matter in: no board
    notice = boards["西张村干群夜谈会预告（2024-10）"]["会前预告：会议时间、议题"]
    assert notice == [{"talk": ids["t2"], "time": "2024-10-15 19:00", "kind": "例会", "format": "授课",
                       "topics": "惠农补贴", "notice": "2024-10-14 公开栏（逾期）", "status": "已召开"}]


def test_duties(month):
    run, ids = month

    def duties(day):
        r = run("duties", "--date", day, "--unit", "jl.wz", "--now", "2024-11-05T09:00", "--json").data
        return sorted((d["unit"], d["kind"], d["done"]) for d in r if d["method"] == "yetanhui")

    assert duties("2024-10-09") == [("jl.wz.dz", "notice", True)]
    assert duties("2024-10-12") == [("jl.wz.dz", "talk", True), ("jl.wz.xz", "notice", False)]
    assert duties("2024-10-31") == [("jl.wz.dz", "monthly_talk", True), ("jl.wz.xz", "monthly_talk", True)]


def _metrics(run, period, now, unit=None):
    args = ["appraise", "--period", period, "--now", now, "--json"] + (["--unit", unit] if unit else [])
    rows = run(*args).data
    rows = rows["metrics"] if isinstance(rows, dict) else rows
    return {(m["metric"], m["subject"]): (m["numerator"], m["denominator"], m["value"]) for m in rows
            if m["method"] == "yetanhui"}


def test_appraisal_and_award_bans(month):
    run, ids = month
    m = _metrics(run, "2024-10", "2024-11-05T09:00")
    assert m[("talks_held", "jl.wz.dz")][2] == 1 and m[("matters_raised", "jl.wz.dz")][2] == 2
    assert m[("talk_month_rate", "jl.wz.dz")][:2] == (1, 1)
    assert m[("notice_on_time_rate", "jl.wz.xz")][:2] == (0, 1)
    assert m[("ordinary_share_rate", "jl.wz")][:2] == (1, 2)
    assert m[("spot_share", "jl.wz.dz")][:2] == (1, 2)
    assert m[("leader_attendance_rate", "jl.wz.dz")][:2] == (0, 0)  # no linked leader
    assert m[("leader_attendance_rate", "jl.wz")][:2] == (0, 1)
    assert m[("promise_kept_rate", "jl.wz.dz")][:2] == (1, 1)
    assert m[("reply_on_time_rate", "jl.wz")][:2] == (1, 2)
    assert m[("talk_month_rate", "jl.gj.nl")][:2] == (0, 1)
    # bans: 东张村 clean; 西张村 a missed reply and 走过场; 南李村 no talk in October
    assert [m[("leader_not_advanced", v)][2] for v in ("jl.wz.dz", "jl.wz.xz", "jl.gj.nl")] == [0.0, 1.0, 1.0]
    assert [m[("award_barred", v)][2] for v in ("jl.wz.dz", "jl.wz.xz", "jl.gj.nl")] == [0.0, 1.0, 0.0]
    assert m[("award_barred", "wz-02")][2] == 1.0 and ("award_barred", "wz-01") not in m
    assert m[("correction_required", "jl.wz")][2] == 1.0 and m[("correction_required", "jl.gj")][2] == 0.0


def test_half_year_counts_months_from_the_first_talk(month):
    run, ids = month
    # 2024H2 at 2025-01-05: July–September precede the first talk; October–December ended
    m = _metrics(run, "2024H2", "2025-01-05T09:00", unit="jl.wz")
    assert m[("talk_month_rate", "jl.wz.dz")][:2] == (1, 3)
    assert m[("talk_month_rate", "jl.wz")][:2] == (2, 6)


def test_talk_show_and_list(month):
    run, ids = month
    shown = run("yetanhui", "talk", "show", ids["t1"], "--json").data
    assert [e["action"] for e in shown["log"]] == ["scheduled", "noticed", "held"]
    assert shown["matters"] == [ids["A"], ids["C"], ids["D"]]
    assert (shown["attendees"], shown["ordinary"], shown["chair"], shown["notice_channel"]) == (30, 12, "dz-01",
                                                                                               "broadcast")
    listed = run("yetanhui", "talk", "list", "--unit", "jl.wz", "--period", "2024-10", "--json").data
    assert [(t["id"], t["village"], t["status"]) for t in listed] == [
        (ids["t1"], "jl.wz.dz", "held"), (ids["t2"], "jl.wz.xz", "held")]
