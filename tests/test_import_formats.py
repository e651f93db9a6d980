"""`county case import` on the formats a county office has: CSV in UTF-8, UTF-8 with BOM, GBK
and GB18030 (detected or given), XLSX (empty rows, text and Excel datetimes, numeric ids),
JSON, and column-mapping TOML files. Ids and phone numbers stay text; every refused row is
reported with its line and reason; a re-import takes nothing twice."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from framework.errors import CountyError
from framework.interchange import load_mapping, parse_time, read_records
from zoneinfo import ZoneInfo

from deployments import mini_zhongjiang  # noqa: E402

TOML = mini_zhongjiang(("taizhang",))

HEADER = "source_id,title,unit,category,channel,created_at,resolved_at,resolution_note,requester_name,requester_phone\n"
ROWS = (
    "007,土地撂荒,zj.fx.llg,livelihood,hotline,2026-11-02 10:00,2026-11-05 09:00,已协调流转,张三丰,01381234567\n"
    "008,低保申请,zj.fx.llg,needy,contact_card,2026/11/3 8:05:00,,,李四,13912345678\n"
)


@pytest.fixture
def cli(init_county):
    return init_county(TOML)


@pytest.mark.parametrize("encoding, given", [
    ("utf-8", None), ("utf-8-sig", None), ("gbk", None), ("gb18030", None), ("gbk", "gbk"), ("gb18030", "gb18030"),
])
def test_csv_encodings_detected_or_given_and_ids_stay_text(cli, tmp_path, encoding, given):
    f = tmp_path / "cases.csv"
    f.write_bytes((HEADER + ROWS).encode(encoding))
    args = ["case", "import", f, "--method", "taizhang", "--now", "2026-11-10T08:00", "--json"]
    if given:
        args += ["--encoding", given]
    rep = cli(*args).data
    assert (rep["rows"], rep["taken"], rep["resolved"], rep["refused"]) == (2, 2, 1, [])
    assert rep["encoding"] in ({"utf-8", "utf-8-sig"} if encoding.startswith("utf") else {"gb18030", given})
    c1 = cli("case", "show", "zj-000001", "--json").data
    assert c1["source_id"] == "007" and c1["title"] == "土地撂荒" and c1["status"] == "resolved"
    assert c1["requester"]["phone"] == "01381234567" and c1["requester"]["name"] == "张三丰"
    assert c1["created_at"] == "2026-11-02T10:00:00+08:00" and c1["resolved_at"] == "2026-11-05T09:00:00+08:00"
    assert [e["type"] for e in c1["events"]][-1] == "resolved" and c1["events"][-1]["note"] == "已协调流转"
    c2 = cli("case", "show", "zj-000002", "--json").data
    assert c2["status"] != "resolved" and c2["created_at"] == "2026-11-03T08:05:00+08:00"
    assert c2["due_at"] == "2026-11-08T23:59:59+08:00"
    # re-import: nothing twice
    again = cli(*args).data
    assert (again["taken"], again["skipped"]) == (0, 2)


def test_wrong_encoding_given_is_a_one_line_error(cli, tmp_path):
    f = tmp_path / "cases.csv"
    f.write_bytes((HEADER + ROWS).encode("gbk"))
    r = cli("case", "import", f, "--method", "taizhang", "--encoding", "utf-8", ok=2)
    assert r.stderr.strip() == f"error: {f}: line 2: not valid utf-8 (byte {len(HEADER) + 4}); check --encoding"


def test_bad_rows_are_reported_with_line_and_reason_and_good_rows_taken(cli, tmp_path):
    f = tmp_path / "cases.csv"
    f.write_text(HEADER + ROWS
                 + "009,,zj.fx.llg,livelihood,hotline,2026-11-02 10:00,,,,\n"           # line 4: no title
                 + "010,道路,zj.fx.nowhere,livelihood,hotline,2026-11-02 10:00,,,,\n"   # line 5: unknown unit
                 + "011,路灯,zj.fx.llg,livelihood,hotline,2026-13-02 10:00,,,,\n"      # line 6: impossible date
                 + "012,路灯,zj.fx.llg,livelihood,hotline,2026-11-05 10:00,2026-11-04 10:00,,,\n"  # line 7: reply first
                 + "007,重复,zj.fx.llg,livelihood,hotline,2026-11-02 10:00,,,,\n"       # line 8: repeats line 2
                 + "013,水渠,zj.fx.llg,nonsense,hotline,2026-11-02 10:00,,,,\n",        # line 9: plugin refuses
                 encoding="utf-8")
    r = cli("case", "import", f, "--method", "taizhang", "--now", "2026-11-10T08:00", ok=2)
    err = r.stderr.strip().splitlines()
    assert [e.split(": ", 3)[2] for e in err] == [f"line {n}" for n in (4, 5, 6, 7, 8, 9)]
    assert err[0] == f"error: {f}: line 4: title (column title): empty: a case needs a title"
    assert err[1] == f"error: {f}: line 5: unit (column unit): 'zj.fx.nowhere' is not a known unit (see `county units list`)"
    assert "created_at (column created_at): '2026-13-02 10:00' is not a real date/time" in err[2]
    assert "resolved_at (column resolved_at): 2026-11-04T10:00:00+08:00 is before the arrival" in err[3]
    assert err[4] == f"error: {f}: line 8: source_id: '007' repeats line 2 of this file; taken once"
    # the kernel's --category refusal named as the import's field and column (found by a fresh integrator)
    assert err[5].startswith(f"error: {f}: line 9: category (column category): ")
    assert "共 8 行，受理 2 行为" in r.stdout and "拒收 6 — " in r.stdout
    assert len(cli("case", "list", "--json").data) == 2


def test_all_or_nothing_takes_none_when_a_row_is_refused(cli, tmp_path):
    f = tmp_path / "cases.csv"
    f.write_text(HEADER + ROWS + "013,水渠,zj.fx.llg,nonsense,hotline,2026-11-02 10:00,,,,\n", encoding="utf-8")
    r = cli("case", "import", f, "--method", "taizhang", "--all-or-nothing", "--json", ok=2)
    assert json.loads(r.stdout)["taken"] == 0
    assert cli("case", "list", "--json").data == []
    assert cli("case", "import", f, "--method", "taizhang", ok=2)  # without the flag: two taken
    assert len(cli("case", "list", "--json").data) == 2


def test_all_or_nothing_reports_every_refused_row_the_methods_too(cli, tmp_path):
    """A row the method refuses (line 2: no such ledger) is reported beside the rows refused for
    their fields (line 3: no title) — before, --all-or-nothing listed only the latter."""
    f = tmp_path / "cases.csv"
    f.write_text(HEADER + "013,水渠,zj.fx.llg,nonsense,hotline,2026-11-02 10:00,,,,\n"
                 + "014,,zj.fx.llg,livelihood,hotline,2026-11-02 10:00,,,,\n" + ROWS, encoding="utf-8")
    r = cli("case", "import", f, "--method", "taizhang", "--all-or-nothing", "--json", ok=2)
    doc = json.loads(r.stdout)
    assert doc["taken"] == 0 and [x["line"] for x in doc["refused"]] == [2, 3]
    assert cli("case", "list", "--json").data == []


def test_a_misspelt_title_column_is_named_with_the_field_it_should_be(cli, tmp_path):
    f = tmp_path / "cases.csv"
    f.write_text(HEADER.replace(",title,", ",titel,") + ROWS, encoding="utf-8")
    r = cli("case", "import", f, "--method", "taizhang", ok=2)
    assert r.stderr == (f"error: {f}: no column for title (columns: source_id, titel, unit, category, channel, "
                        "created_at, resolved_at, resolution_note, requester_name, requester_phone); did you mean to "
                        "name 'titel' title?; give a --mapping, or --set title=VALUE\n")


def test_an_import_into_a_log_writes_no_progress_bar_and_no_stray_line(cli, tmp_path):
    """stderr not a terminal (a script, a log file, this test): no bar, nothing on stderr."""
    f = tmp_path / "cases.csv"
    f.write_text(HEADER + ROWS, encoding="utf-8")
    r = cli("case", "import", f, "--method", "taizhang", "--now", "2026-11-10T08:00")
    assert r.stderr == "" and r.stdout.startswith(f"{f}：共 2 行，受理 2 行为 taizhang 事项")


def test_xlsx_with_mapping_empty_rows_excel_datetimes_and_numeric_ids(cli, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "主题", "详情", "来信时间", "办结时间", "电话"])
    ws.append([1024, "村道破损", "三社路段", "2026/11/2 10:00:00", dt.datetime(2026, 11, 4, 16, 30), "08381234567"])
    ws.append([None, None, None, None, None, None])
    ws.append([])
    ws.append([1025, "饮水困难", "二组", dt.datetime(2026, 11, 3, 9, 15), None, 13812345678])
    ws.cell(row=40, column=1, value=None)  # a declared but empty range, like 附件2
    f = tmp_path / "台账.xlsx"
    wb.save(f)
    m = tmp_path / "m.toml"
    m.write_text("""
[mapping]
name = "县台账表"
method = "taizhang"
source_prefix = "fx:"
[fields]
source_id = "编号"
title = "主题"
description = "详情"
created_at = "来信时间"
resolved_at = "办结时间"
requester_phone = "电话"
[constants]
category = "livelihood"
channel = "letters_visits"
[units]
default = "zj.fx.llg"
""", encoding="utf-8")
    rep = cli("case", "import", f, "--mapping", m, "--now", "2026-11-10T08:00", "--json").data
    assert (rep["format"], rep["rows"], rep["taken"], rep["resolved"], rep["mapping"]) == ("xlsx", 2, 2, 1, "县台账表")
    c1 = cli("case", "show", "zj-000001", "--json").data
    assert c1["source_id"] == "fx:1024" and c1["resolved_at"] == "2026-11-04T16:30:00+08:00"
    assert c1["requester"]["phone"] == "08381234567" and c1["channel"] == "letters_visits"
    c2 = cli("case", "show", "zj-000002", "--json").data
    assert c2["requester"]["phone"] == "13812345678" and c2["created_at"] == "2026-11-03T09:15:00+08:00"
    rows = read_records(f).records
    assert [r.line for r in rows] == [2, 5]


def test_json_list_with_line_numbers(cli, tmp_path):
    f = tmp_path / "cases.json"
    f.write_text(json.dumps([
        {"source_id": "a1", "title": "路灯不亮", "unit": "zj.fx.llg", "category": "livelihood", "created_at": "2026-11-02T10:00+08:00"},
        {"source_id": "a2", "title": "", "unit": "zj.fx.llg", "category": "livelihood"},
    ], ensure_ascii=False, indent=1), encoding="utf-8")
    r = cli("case", "import", f, "--method", "taizhang", "--now", "2026-11-10T08:00", ok=2)
    assert r.stderr.strip() == f"error: {f}: line 9 (record 2): title (column title): empty: a case needs a title"
    c = cli("case", "show", "zj-000001", "--json").data
    assert c["title"] == "路灯不亮" and c["created_at"] == "2026-11-02T10:00:00+08:00"


def test_file_level_errors_are_one_line(cli, tmp_path):
    r = cli("case", "import", tmp_path / "nope.csv", "--method", "taizhang", ok=2)
    assert r.stderr.strip() == f"error: {tmp_path / 'nope.csv'}: file not found"
    bad = tmp_path / "bad.json"
    bad.write_text('[{"title": "a"},\n{"title": }]', encoding="utf-8")
    r = cli("case", "import", bad, "--method", "taizhang", ok=2)
    assert r.stderr.strip() == f"error: {bad}: line 2: malformed JSON: Expecting value"
    f = tmp_path / "c.csv"
    f.write_text(HEADER + ROWS, encoding="utf-8")
    r = cli("case", "import", f, ok=2)
    assert r.stderr.strip().startswith("error: --method: give the method")
    r = cli("case", "import", f, "--method", "taizhang", "--mapping", "no-such-mapping", ok=2)
    assert "no such file or built-in mapping (built-in: boston311, open311, sf-open311, taidi-messages, taidi-replied)" in r.stderr
    m = tmp_path / "m.toml"
    m.write_text('[fields]\ntitel = "主题"\n', encoding="utf-8")
    r = cli("case", "import", f, "--method", "taizhang", "--mapping", m, ok=2)
    assert r.stderr.strip().startswith(f"error: {m}: [fields] titel: not a case field")


def test_builtin_mappings_load():
    for name in ("taidi-replied", "taidi-messages", "open311", "sf-open311", "boston311"):
        m = load_mapping(name)
        assert m.name == name and m.fields["source_id"]


@pytest.mark.parametrize("text, iso", [
    ("2019/4/25 9:32:09", "2019-04-25T09:32:09+08:00"),
    ("2018/4/24", "2018-04-24T00:00:00+08:00"),
    ("2010-11-14 19:09:29.08", "2010-11-14T19:09:29.080000+08:00"),
    ("2012-05-23T15:55:28-04:00", "2012-05-23T15:55:28-04:00"),
    ("2019年4月25日 9:32", "2019-04-25T09:32:00+08:00"),
    ("2026-11-02T02:00:00Z", "2026-11-02T02:00:00+00:00"),
])
def test_parse_time(text, iso):
    assert parse_time(text, ZoneInfo("Asia/Shanghai")).isoformat() == iso


def test_parse_time_refuses_nonsense():
    with pytest.raises(ValueError, match="is not a date/time"):
        parse_time("yesterday", ZoneInfo("Asia/Shanghai"))
    with pytest.raises(ValueError, match="is not a real date/time"):
        parse_time("2019/2/30", ZoneInfo("Asia/Shanghai"))


def test_boston_csv_with_builtin_mapping(cli):
    from framework.testing import real_data

    path = real_data("boston311-qsv-sample/boston311-100.csv")
    rep = cli("case", "import", path, "--mapping", "boston311", "--method", "taizhang", "--unit", "zj.fx.llg",
              "--set", "category=livelihood", "--now", "2022-05-01T00:00", "--json").data
    assert (rep["rows"], rep["taken"], rep["resolved"], rep["refused"]) == (100, 100, 85, [])
    c = cli("case", "show", "zj-000001", "--json").data
    assert c["source_id"].startswith("boston311:") and c["created_at"].endswith("+08:00")


def test_rows_without_an_id_column_are_keyed_by_content(cli, tmp_path):
    f = tmp_path / "no-ids.csv"
    f.write_text("title,unit,category,created_at\n路灯不亮,zj.fx.llg,livelihood,2026-11-02 10:00\n"
                 "渠道堵塞,zj.fx.llg,livelihood,2026-11-02 11:00\n", encoding="utf-8")
    first = cli("case", "import", f, "--method", "taizhang", "--json").data
    assert (first["taken"], first["skipped"]) == (2, 0)
    again = cli("case", "import", f, "--method", "taizhang", "--json").data
    assert (again["taken"], again["skipped"]) == (0, 2)
    sid = cli("case", "show", "zj-000001", "--json").data["source_id"]
    assert sid.startswith("row:") and len(sid) == 20


def test_replay_sweeps_escalates_before_the_late_reply(cli, tmp_path):
    f = tmp_path / "history.csv"
    f.write_text(HEADER
                 + "a,准时,zj.fx.llg,livelihood,hotline,2026-11-02 10:00,2026-11-06 09:00,已办,,\n"
                 + "b,迟复,zj.fx.llg,livelihood,hotline,2026-11-02 10:00,2026-11-12 09:00,已办,,\n", encoding="utf-8")
    plain = cli("case", "import", f, "--method", "taizhang", "--json").data
    assert (plain["taken"], plain["resolved"]) == (2, 2)
    late = cli("case", "show", "zj-000002", "--json").data
    assert late["resolved_level"] == "village"  # no sweep ran: it never left the village
    assert [e["type"] for e in late["events"]] == ["registered", "resolved"]

    f2 = tmp_path / "history2.csv"
    f2.write_text(f.read_text(encoding="utf-8").replace("\na,", "\nc,").replace("\nb,", "\nd,"), encoding="utf-8")
    rep = cli("case", "import", f2, "--method", "taizhang", "--replay-sweeps", "--json").data
    assert (rep["taken"], rep["resolved"], rep["refused"]) == (2, 2, [])
    on_time = cli("case", "show", "zj-000003", "--json").data
    assert on_time["resolved_level"] == "village" and on_time["resolved_at"] == "2026-11-06T09:00:00+08:00"
    late = cli("case", "show", "zj-000004", "--json").data
    # village due 2026-11-07 23:59:59 missed; the nightly sweep at 2026-11-08 00:00 escalated it
    assert late["resolved_level"] == "township" and late["unit"] == "zj.fx"
    assert [(e["type"], e["at"]) for e in late["events"]] == [
        ("registered", "2026-11-02T10:00:00+08:00"), ("overdue", "2026-11-08T00:00:00+08:00"),
        ("escalated", "2026-11-08T00:00:00+08:00"), ("assigned", "2026-11-08T00:00:00+08:00"),
        ("resolved", "2026-11-12T09:00:00+08:00")]


def test_a_mapping_reads_us_style_times_through_datetime_formats(cli, tmp_path):
    """Found by a fresh operator: NYC 311's `03/08/2019 05:52:00 PM` was refused on every row
    and the mapping had no way round it. 17:52 New York (EST, UTC−5) is 06:52 next day in
    Beijing (UTC+8)."""
    f = tmp_path / "nyc.csv"
    f.write_text("id,what,opened\n1,Noise,03/08/2019 05:52:00 PM\n", encoding="utf-8")
    m = tmp_path / "nyc.toml"
    m.write_text('[mapping]\nname = "nyc"\ntimezone = "America/New_York"\n'
                 'datetime_formats = ["%m/%d/%Y %I:%M:%S %p"]\n'
                 '[fields]\nsource_id = "id"\ntitle = "what"\ncreated_at = "opened"\n', encoding="utf-8")
    rep = cli("case", "import", f, "--mapping", m, "--method", "taizhang", "--unit", "zj.fx.llg",
              "--set", "category=livelihood", "--json").data
    assert (rep["taken"], rep["refused"]) == (1, [])
    assert cli("case", "show", "zj-000001", "--json").data["created_at"] == "2019-03-09T06:52:00+08:00"
    m.write_text(m.read_text(encoding="utf-8").replace('datetime_formats = ["%m/%d/%Y %I:%M:%S %p"]\n', ""),
                 encoding="utf-8")
    f.write_text("id,what,opened\n2,Noise,03/08/2019 05:52:00 PM\n", encoding="utf-8")
    r = cli("case", "import", f, "--mapping", m, "--method", "taizhang", "--unit", "zj.fx.llg",
            "--set", "category=livelihood", ok=2)
    assert r.stderr.splitlines()[0] == (
        f"error: {f}: line 2: created_at (column opened): '03/08/2019 05:52:00 PM' is not a date/time "
        "(e.g. 2019/4/25 9:32:09 or 2019-04-25T09:32:09+08:00); a mapping's datetime_formats reads other "
        'spellings, e.g. ["%m/%d/%Y %I:%M:%S %p"]')


@pytest.mark.parametrize("formats, reason", [
    ('["mm/dd/yyyy"]', "'mm/dd/yyyy' has no % directive (strptime formats: %Y year, %m month, %d day, %H:%M:%S …)"),
    ('["%Q/%d"]', "'%Q/%d': 'Q' is a bad directive in format '%Q/%d'"),
    ('["%m/%d %H:%M"]', "'%m/%d %H:%M' reads no year (%Y %y); every row would get a made-up one"),
])
def test_a_datetime_format_that_cannot_read_a_whole_date_is_refused(tmp_path, formats, reason):
    """Found by a fresh tester: `%m/%d %H:%M` imported every row in 1900, `mm/dd/yyyy` was
    called "not a list", `%Q` was taken and refused every row instead."""
    m = tmp_path / "m.toml"
    m.write_text(f"[mapping]\ndatetime_formats = {formats}\n[fields]\ntitle = \"t\"\n", encoding="utf-8")
    with pytest.raises(CountyError) as e:
        load_mapping(str(m))
    assert str(e.value) == f"{m}: [mapping] datetime_formats: {reason}"
