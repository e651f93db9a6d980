"""zerentian (绿园区, casebook L310–316) on its sample deployment (plugins/contrib/zerentian/data/
lvyuan.toml, default settings: workstation 3, sub-centre 3, centre 2, department 10 working days)
through the CLI, autumn 2024. Every value is worked out by hand (times +08:00; 2024: Sunday 09-29
and Saturday 10-12 are make-up working days 调休, 10-01..07 the National Day holiday):

* D — 开元村 terminal, Fri 09-27 16:00, "低保申请无人答复" → triage 低保 → livelihood. Working
  days after 09-27: 09-29 (make-up Sunday), 09-30, 10-08 → due 10-08 23:59:59. Sweep 10-08
  23:59:59: nothing; sweep 10-09 08:00: up to 西新镇 (胡某 xx-01); arrival Wed 10-09 → 10-10, 11,
  12 (make-up Saturday) → due 10-12 23:59:59. Sweep 10-13 10:00 (Sunday): up to the district
  centre (曹某 ly-zx); arrival Sun 10-13 → 10-14, 15 → due 10-15 23:59:59. Sweep 10-16 09:00:
  the transfer is late: flagged (督办), stays at the centre. Transferred 10-16 10:00 without
  --department: category_departments livelihood → 区民政局 (袁某 mzj-01); arrival Wed 10-16 →
  10-17, 18, 21..25, 28, 29, 30 → due 10-30 23:59:59. Sweep 11-01 00:00: flagged again.
* A — PDA at 正阳社区第一网格 (a grid: the workstation is 正阳社区), Mon 09-30 10:00, field zy-1:
  handler 梁某 zysq-01, jointly the field's secretary 郭某 zy-f1; a photo file (b"abc": sha256
  ba7816bf…, 3 bytes) and a video URL with its checksum; 10-08, 09, 10 → due 10-10 23:59:59.
  Resolved 10-09 15:00.
* B — 开元村 terminal, Thu 10-10 09:00, "村道路灯不亮" → infrastructure. 10-11, 10-12 (make-up),
  10-14 → due 10-14 23:59:59 (without 调休 10-15). Sweep 10-14 23:59:59: nothing; sweep 10-15
  08:00: up to 西新镇, arrival Tue 10-15 → 10-16, 17, 18 → 10-18 23:59:59; sweep 10-19 09:00
  (Saturday): up to the centre, arrival Sat 10-19 → 10-21, 22 → 10-22 23:59:59; transferred
  Mon 10-21 10:00 to 区交通运输局 (彭某 jtj-01) → 10-22..25, 28..31, 11-01, 11-04 → due 11-04
  23:59:59 (across the month end). Resolved 10-31 16:00.
* C — 开元村, Mon 10-28 10:00, field ky-1, category dispute: 10-29, 30, 31 → due 10-31 23:59:59
  (the month's last day). Sweep 11-01 00:00: up to 西新镇, arrival Fri 11-01 → 11-04, 05, 06 →
  due 11-06 23:59:59. Resolved 11-05 10:00.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins.contrib.zerentian
from framework import rate
from framework.testing import CountyRunner
from plugins.contrib.zerentian import appraisal, rules

TOML = Path(plugins.contrib.zerentian.__file__).parent / "data" / "lvyuan.toml"
VIDEO_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def add(county, unit, title, now, *extra):
    return county("case", "add", "--method", "zerentian", "--unit", unit, "--title", title, *extra,
                  "--now", now, "--json").data


def sweep(county, now):
    return county("sweep", "--now", now, "--json").data["actions"]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The sample deployment, initialised on 2024-09-01, and the autumn's timeline; what each
    step printed is kept in ``county.seen``."""
    base = tmp_path_factory.mktemp("zerentian")
    run = CountyRunner(base / "county.db").init(TOML, now="2024-09-01T08:00")
    photo = base / "jg.jpg"
    photo.write_bytes(b"abc")
    seen = run.seen = {}
    seen["D"] = add(run, "ly.xx.ky", "低保申请无人答复", "2024-09-27T16:00", "--channel", "terminal",
                    "--requester-name", "王长贵", "--requester-phone", "13812345678")
    seen["A"] = run("zerentian", "pda", "--unit", "ly.zy.zysq.g1", "--title", "小区井盖缺失", "--officer", "zy-pda",
                    "--media", photo, "--media", "https://media.example.org/zy/jg.mp4", "--sha256", VIDEO_SHA,
                    "--caption", "现场照片", "--field", "zy-1", "--requester-name", "陶金花",
                    "--now", "2024-09-30T10:00", "--json").data
    seen["s1008"] = sweep(run, "2024-10-08T23:59:59")
    seen["s1009"] = sweep(run, "2024-10-09T08:00")
    run("case", "resolve", seen["A"]["id"], "--note", "已补装井盖", "--now", "2024-10-09T15:00")
    seen["B"] = add(run, "ly.xx.ky", "村道路灯不亮", "2024-10-10T09:00", "--channel", "talk_point")
    seen["s1013"] = sweep(run, "2024-10-13T10:00")
    seen["s1014"] = sweep(run, "2024-10-14T23:59:59")
    seen["s1015"] = sweep(run, "2024-10-15T08:00")
    seen["s1016"] = sweep(run, "2024-10-16T09:00")
    seen["D_transfer"] = run("zerentian", "transfer", seen["D"]["id"], "--now", "2024-10-16T10:00", "--json").data
    seen["s1019"] = sweep(run, "2024-10-19T09:00")
    seen["B_transfer"] = run("zerentian", "transfer", seen["B"]["id"], "--department", "ly.jtj",
                             "--now", "2024-10-21T10:00", "--json").data
    seen["C"] = add(run, "ly.xx.ky", "邻里纠纷：宅基地界址", "2024-10-28T10:00", "--channel", "talk_day",
                    "--category", "dispute", "--set", "field=ky-1")
    run("case", "resolve", seen["B"]["id"], "--note", "路灯已修复", "--now", "2024-10-31T16:00")
    seen["s1101"] = sweep(run, "2024-11-01T00:00")
    run("case", "resolve", seen["C"]["id"], "--note", "责任田党支部调解成功", "--now", "2024-11-05T10:00")
    return run


def show(county, case_id):
    return county("case", "show", case_id, "--json").data


def test_pda_report_with_media_and_the_field_branch(county):
    a = county.seen["A"]
    assert (a["id"], a["channel"], a["category"], a["level"], a["unit"], a["handler"], a["joint_handler"],
            a["due_at"]) == ("ly-000002", "pda", "safety", "workstation", "ly.zy.zysq", "zysq-01", "zy-f1",
                             "2024-10-10T23:59:59+08:00")
    assert a["extra"]["workstation"] == "ly.zy.zysq" and a["extra"]["officer"] == "zy-pda"
    media = [(m["n"], m["sha256"], m["media_type"], m["size"], m["caption"]) for m in a["attachments"]]
    assert media == [(1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "image/jpeg", 3, "现场照片"),
                     (2, VIDEO_SHA, "video/mp4", None, None)]
    assert show(county, a["id"])["status"] == "resolved"


def test_terminal_request_climbs_over_national_day(county):
    d, s = county.seen["D"], county.seen
    assert (d["id"], d["category"], d["level"], d["handler"], d["due_at"]) == (
        "ly-000001", "livelihood", "workstation", "ky-01", "2024-10-08T23:59:59+08:00")
    assert s["s1008"] == []
    assert [(x["case"], x["action"], x["from"], x["to"]) for x in s["s1009"]] == [
        ("ly-000001", "escalate", "workstation", "subcentre")]
    assert [(x["case"], x["due_at"], x["to"]) for x in s["s1013"]] == [
        ("ly-000001", "2024-10-12T23:59:59+08:00", "district_centre")]
    assert [(x["case"], x["milestone"], x["action"], x["due_at"]) for x in s["s1016"]] == [
        ("ly-000001", "transfer", "flag", "2024-10-15T23:59:59+08:00")]
    t = s["D_transfer"]
    assert (t["level"], t["unit"], t["handler"], t["status"], t["due_at"]) == (
        "department", "ly.mzj", "mzj-01", "assigned", "2024-10-30T23:59:59+08:00")
    d = show(county, "ly-000001")
    assert [(e["type"], e["level"]) for e in d["events"] if e["type"] in ("escalated", "overdue", "transferred")] == [
        ("overdue", "workstation"), ("escalated", "subcentre"), ("overdue", "subcentre"),
        ("escalated", "district_centre"), ("overdue", "district_centre"), ("transferred", "district_centre"),
        ("overdue", "department")]
    assert (d["status"], d["level"]) == ("assigned", "department")


def test_make_up_saturday_and_the_transfer_across_the_month_end(county):
    b, s = county.seen["B"], county.seen
    assert (b["id"], b["category"], b["due_at"]) == ("ly-000003", "infrastructure", "2024-10-14T23:59:59+08:00")
    assert s["s1013"] == [x for x in s["s1013"] if x["case"] != "ly-000003"] and s["s1014"] == []
    assert [(x["case"], x["to"]) for x in s["s1015"]] == [("ly-000003", "subcentre")]
    assert [(x["case"], x["due_at"], x["to"]) for x in s["s1019"]] == [
        ("ly-000003", "2024-10-18T23:59:59+08:00", "district_centre")]
    t = s["B_transfer"]
    assert (t["unit"], t["handler"], t["due_at"]) == ("ly.jtj", "jtj-01", "2024-11-04T23:59:59+08:00")
    b = show(county, "ly-000003")
    assert (b["status"], b["resolved_at"]) == ("resolved", "2024-10-31T16:00:00+08:00")


def test_month_end_limit_and_the_sweep_of_november(county):
    c, s = county.seen["C"], county.seen
    assert (c["id"], c["handler"], c["joint_handler"], c["due_at"]) == (
        "ly-000004", "ky-01", "ky-f1", "2024-10-31T23:59:59+08:00")
    assert sorted((x["case"], x["action"], x["to"]) for x in s["s1101"]) == [
        ("ly-000001", "flag", "department"), ("ly-000004", "escalate", "subcentre")]
    c = show(county, "ly-000004")
    assert (c["joint_handler"], c["handler"], c["status"]) == (None, "xx-01", "resolved")
    ms = county.ctx("zerentian").milestones.of("ly-000004")
    assert [(m.level, m.due_at.isoformat(), m.state) for m in ms] == [
        ("workstation", "2024-10-31T23:59:59+08:00", "missed"), ("subcentre", "2024-11-06T23:59:59+08:00", "met")]


def test_transfer_refusals(county):
    r = county("zerentian", "transfer", "ly-000004", "--department", "ly.jtj", "--now", "2024-11-06T09:00", ok=1)
    assert "only an open request" in r.stderr
    a = add(county, "ly.xx.hx", "排水沟堵塞", "2024-11-06T09:00", "--channel", "terminal")
    r = county("zerentian", "transfer", a["id"], "--department", "ly.jtj", "--now", "2024-11-06T10:00", ok=1)
    assert "the district centre transfers" in r.stderr
    county("case", "escalate", a["id"], "--now", "2024-11-06T11:00")
    county("case", "escalate", a["id"], "--now", "2024-11-06T12:00")
    r = county("zerentian", "transfer", a["id"], "--department", "ly.xx", "--now", "2024-11-06T13:00", ok=2)
    assert r.stderr.strip() == "error: department 'ly.xx': 西新镇 is a township, not a department"
    r = county("zerentian", "transfer", a["id"], "--now", "2024-11-06T13:00", ok=2)
    assert "category_departments has none for 'infrastructure'" in r.stderr
    r = county("case", "escalate", a["id"], "--now", "2024-11-06T14:00", ok=False)
    assert r.exit_code == 1 and "reached only through zerentian's own command" in r.stderr
    assert show(county, a["id"])["level"] == "district_centre"
    # 汇总 (L316): a second request on the same drain linked to the first; the transfer takes both
    b = add(county, "ly.xx.hx", "排水沟堵塞（二）", "2024-11-06T09:30", "--channel", "talk_point")
    county("case", "escalate", b["id"], "--now", "2024-11-06T11:30")
    county("case", "escalate", b["id"], "--now", "2024-11-06T12:30")
    county("case", "link", b["id"], "--to", a["id"], "--now", "2024-11-06T14:30")
    t = county("zerentian", "transfer", a["id"], "--department", "ly.jtj", "--now", "2024-11-06T15:00", "--json").data
    assert (t["level"], t["unit"], t["handler"], t["due_at"]) == ("department", "ly.jtj", "jtj-01",
                                                                 "2024-11-20T23:59:59+08:00")
    b = show(county, b["id"])
    assert (b["level"], b["unit"], b["handler"], b["lead_id"], b["due_at"]) == (
        "department", "ly.jtj", "jtj-01", a["id"], "2024-11-20T23:59:59+08:00")


def test_intake_errors_name_the_field(county):
    r = county("case", "add", "--method", "zerentian", "--unit", "ly.xx", "--title", "t", "--now", "2024-11-07", ok=2)
    assert "registered at the terminal of a village or community (L316)" in r.stderr
    r = county("case", "add", "--method", "zerentian", "--unit", "ly.xx.hx", "--title", "t", "--set", "field=zy-1",
               "--now", "2024-11-07", ok=2)
    assert r.stderr.strip() == "error: --set field=zy-1: the field belongs to 正阳社区, not to 和兴村"
    r = county("case", "add", "--method", "zerentian", "--unit", "ly.xx.hx", "--title", "t", "--channel", "pda",
               "--now", "2024-11-07", ok=2)
    assert "--set officer" in r.stderr
    r = county("zerentian", "pda", "--unit", "ly.xx.hx", "--title", "t", "--officer", "zy-pda",
               "--media", "/nonexistent/x.jpg", "--now", "2024-11-07", ok=2)
    assert "not a file" in r.stderr
    assert [c["title"] for c in county("case", "list", "--unit", "ly.xx.hx", "--json").data] == [
        "排水沟堵塞", "排水沟堵塞（二）"]     # nothing taken in by the refused commands


def test_board_shows_media_as_a_count(county):
    boards = county("board", "--unit", "ly.zy", "--period", "2024-09", "--json", "--now", "2024-10-01T09:00").data
    mine = [b for b in boards if b["method"] == "zerentian"]
    assert [b["title"] for b in mine] == ["正阳社区民情信息平台公示（2024-09）"]
    cases, fields = mine[0]["sections"]
    row = cases["rows"][0]
    assert (row["case_id"], row["requester"], row["media"], row["field"], row["tier"], row["status"]) == (
        "ly-000002", "陶某", "附件 2 件", "正阳一号责任田", "村（社区）工作站", "已办结")
    text = str(boards)
    assert "media.example.org" not in text and "ba7816bf" not in text and "陶金花" not in text
    assert fields["rows"] == [{"field": "正阳一号责任田", "branch": "正阳一号责任田党支部", "team": 3, "backbone": 2}]


def test_completion_rate_and_media_share(county):
    def got(period, unit="ly"):
        ms = county("appraise", "--period", period, "--unit", unit, "--now", "2025-01-02", "--json").data
        return {(m["metric"], m["subject"]): (m["numerator"], m["denominator"]) for m in ms
                if m["method"] == "zerentian" and m["numerator"] is not None}

    # cumulative up to 11-01 00:00: D, A, B, C reported; A (10-09) and B (10-31) handled
    assert got("2024-10")["completion_rate", "ly"] == (2, 4)
    # to the year's end: and C (11-05); the two drain requests of 11-06 are open
    assert got("2024")["completion_rate", "ly"] == (3, 6)
    assert got("2024-09")["media_share", "ly"] == (1, 2)
    assert got("2024-09")["field_coverage", "ly"] == (2, 3)
    ctx = county.ctx("zerentian", now="2025-01-02")
    ctx.settings["completion_basis"] = "period"
    m = {x.metric: x for x in appraisal.metrics(ctx, ctx.unit("ly"), "2024-10")}
    assert (m["completion_rate"].numerator, m["completion_rate"].denominator) == (1, 2)    # B and C; B handled
    m = {(x.metric, x.tier): x.value for x in appraisal.metrics(ctx, ctx.unit("ly.xx"), "2024-11")}
    assert (m["field_problems_solved", None], m["field_disputes_resolved", None]) == (1, 1)   # C, in ky-1
    assert (m["field_members", "unit_party_member"], m["field_members", "helper"], m["fields", None]) == (1, 1, 1)


def test_the_casebook_completion_rate():
    """L316: 4,586 reported, 4,369 handled, 办结率 95.3%."""
    m = rate("completion_rate", "绿园区", rules.PLATFORM_HANDLED, rules.PLATFORM_REPORTED)
    assert (rules.PLATFORM_REPORTED, rules.PLATFORM_HANDLED) == (4586, 4369)
    assert round(m.value * 100, 1) == rules.PLATFORM_RATE_PCT == 95.3
