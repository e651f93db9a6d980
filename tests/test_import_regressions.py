"""Regressions from new-user testing of the importers:

1. a short GBK CSV was guessed as Korean cp949 and stored as garbage: detection now tries only
   strict UTF-8 (with or without BOM) and strict GB18030 (a superset of GBK);
2. ``county units import`` / ``county people import`` refused GBK files that ``county case
   import`` read: they share :func:`framework.interchange.read_table` (CSV/XLSX/JSON);
3. a missing ``title`` column was an "empty" error on every line, an unclosed quote a
   ``created_at`` error: now one error naming the column (or the CSV syntax error and line);
4. the real data are found through env ``COUNTY_DATA`` first, then ``../shared/data/real``,
   by one helper (:func:`framework.demo.require_real_data`), and a test without them fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from framework.demo import find_real_data, repo_root, require_real_data
from framework.errors import CountyError
from framework.interchange import decode_text, read_records, read_table
from framework.testing import real_data

from deployments import mini_zhongjiang  # noqa: E402

TOML = mini_zhongjiang(("taizhang",))

IMPORT = ("--method", "taizhang", "--unit", "zj.fx.llg", "--set", "category=livelihood", "--json")


@pytest.fixture
def cli(init_county):
    return init_county(TOML)


def _err(result) -> list[str]:
    assert "Traceback" not in result.output
    return result.stderr.strip().splitlines()


# -- 1. encodings -------------------------------------------------------------------------------


def test_short_gbk_csv_is_read_as_gb18030_not_korean(cli, tmp_path):
    f = tmp_path / "gbk.csv"
    f.write_text("title,requester_name\n水渠堵塞,周八\n", encoding="gbk")
    rep = cli("case", "import", f, *IMPORT).data
    assert (rep["encoding"], rep["rows"], rep["taken"], rep["refused"]) == ("gb18030", 1, 1, [])
    case = cli("case", "show", "zj-000001", "--json").data
    assert case["title"] == "水渠堵塞"
    assert case["requester"]["name"] == "周八"


@pytest.mark.parametrize("data, expected", [
    ("水渠堵塞,周八".encode("gbk"), ("水渠堵塞,周八", "gb18030")),
    ("水渠堵塞,周八".encode("gb18030"), ("水渠堵塞,周八", "gb18030")),
    ("水渠堵塞,周八".encode("utf-8"), ("水渠堵塞,周八", "utf-8")),
    ("\ufeff水渠堵塞,周八".encode("utf-8"), ("水渠堵塞,周八", "utf-8-sig")),
    ("路灯不亮 𠀀".encode("gb18030"), ("路灯不亮 𠀀", "gb18030")),  # 4-byte GB18030
    (b"title\n", ("title\n", "utf-8")),
])
def test_detection_tries_only_utf8_then_gb18030(data, expected):
    assert decode_text(data, "x.csv") == expected


def test_undecodable_file_is_one_line_naming_the_file_and_encoding_option(cli, tmp_path):
    f = tmp_path / "big5.csv"
    f.write_bytes(b"title\n\xff\xfe\x80\n")
    r = cli("case", "import", f, *IMPORT, ok=2)
    assert _err(r) == [f"error: {f}: line 2: neither UTF-8 nor GB18030/GBK text (byte 6); give --encoding "
                       f"with the file's encoding (e.g. --encoding big5)"]
    assert cli("case", "list", "--json").data == []


def test_given_encoding_still_wins(cli, tmp_path):
    f = tmp_path / "gbk.csv"
    f.write_text("title\n水渠堵塞\n", encoding="gbk")
    assert cli("case", "import", f, *IMPORT, "--encoding", "gbk").data["encoding"] == "gbk"
    assert cli("case", "show", "zj-000001", "--json").data["title"] == "水渠堵塞"
    g = tmp_path / "gbk2.csv"
    g.write_text("title\n水渠堵塞\n", encoding="gbk")
    r = cli("case", "import", g, *IMPORT, "--encoding", "utf-8", ok=2)
    assert _err(r) == [f"error: {g}: line 2: not valid utf-8 (byte 8); check --encoding"]


# -- 2. units and people read like cases ------------------------------------------------------------


def test_units_and_people_import_gbk_csv(cli, tmp_path):
    u = tmp_path / "units.csv"
    u.write_text("code,name,level,parent\nzj.fx.ssc,石笋村,village,zj.fx\n", encoding="gbk")
    assert cli("units", "import", u, "--json").data == {"imported": 1, "added": ["zj.fx.ssc"], "changed": {},
                                                        "unchanged": 0}
    p = tmp_path / "people.csv"
    p.write_text("id,name,unit,roles,phone\np1,周八,zj.fx.ssc,volunteer;party_member,01381234567\n", encoding="gbk")
    assert cli("people", "import", p, "--json").data == {"imported": 1, "added": ["p1"], "changed": {}, "unchanged": 0}
    units = {x["code"]: x["name"] for x in cli("units", "list", "--json").data}
    assert units["zj.fx.ssc"] == "石笋村"
    people = cli("people", "list", "--json").data
    assert [(x["id"], x["name"], x["unit"], x["roles"]) for x in people] == [
        ("p1", "周八", "zj.fx.ssc", ["volunteer", "party_member"])]


def test_units_import_given_encoding_and_xlsx_and_json(cli, tmp_path):
    u = tmp_path / "units.csv"
    u.write_text("code,name,level,parent\nzj.fx.a,甲村,village,zj.fx\n", encoding="gbk")
    assert cli("units", "import", u, "--encoding", "gbk", "--json").data == {
        "imported": 1, "added": ["zj.fx.a"], "changed": {}, "unchanged": 0}
    x = tmp_path / "units.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "name", "level", "parent"])
    ws.append([None, None, None, None])
    ws.append(["zj.fx.b", "乙村", "village", "zj.fx"])
    wb.save(x)
    assert cli("units", "import", x, "--json").data["added"] == ["zj.fx.b"]
    j = tmp_path / "people.json"
    j.write_text(json.dumps([{"id": 7, "name": "周八", "unit": "zj.fx.b", "roles": ["volunteer", "party_member"]}],
                            ensure_ascii=False), encoding="gb18030")
    assert cli("people", "import", j, "--json").data == {"imported": 1, "added": ["7"], "changed": {}, "unchanged": 0}
    names = {u["code"]: u["name"] for u in cli("units", "list", "--json").data}
    assert (names["zj.fx.a"], names["zj.fx.b"]) == ("甲村", "乙村")
    assert [(p["id"], p["roles"]) for p in cli("people", "list", "--json").data] == [("7", ["volunteer", "party_member"])]


def test_units_import_errors_name_the_real_line_and_take_nothing(cli, tmp_path):
    u = tmp_path / "units.csv"
    u.write_text("code,name,level,parent\n\nzj.fx.a,甲村,village,zj.fx\n\nzj.fx.b,,village,zj.fx\n", encoding="gbk")
    r = cli("units", "import", u, ok=2)
    assert _err(r) == [f"error: {u}: line 5: missing name"]
    assert "zj.fx.a" not in {x["code"] for x in cli("units", "list", "--json").data}
    m = tmp_path / "people.csv"
    m.write_text("id,name\np1,周八\n", encoding="utf-8")
    r = cli("people", "import", m, ok=2)
    assert _err(r) == [f"error: {m}: line 2: missing unit"]  # p1 is new: it needs its unit


def test_shared_read_table_gives_lines_and_text(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text('code,name,n\n\nzj.a,"两行\n名称",12\n', encoding="gbk")
    rows = read_table(f, required=("code",))
    assert [(r.line, r.data) for r in rows] == [(3, {"code": "zj.a", "name": "两行\n名称", "n": "12"})]


# -- 3. missing columns and CSV syntax --------------------------------------------------------------


def test_missing_title_column_is_one_error_naming_file_and_columns(cli, tmp_path):
    f = tmp_path / "gbk.csv"
    f.write_text("a,b,c\n1,2,3\n4,5,6\n", encoding="gbk")
    r = cli("case", "import", f, *IMPORT, ok=2)
    assert _err(r) == [f"error: {f}: no column for title (columns: a, b, c); give a --mapping, or --set title=VALUE"]
    assert cli("case", "list", "--json").data == []


def test_missing_mapped_column_names_the_mapping(cli, tmp_path):
    m = tmp_path / "m.toml"
    m.write_text('[mapping]\nname = "县表"\n[fields]\ntitle = ["主题", "事项"]\ncreated_at = "来信时间"\n',
                 encoding="utf-8")
    f = tmp_path / "x.csv"
    f.write_text("主题,时间\n路灯不亮,2026-11-02 10:00\n", encoding="utf-8")
    r = cli("case", "import", f, *IMPORT, "--mapping", m, ok=2)
    assert _err(r) == [f"error: {f}: no column for created_at: mapping 县表 reads 来信时间 (columns: 主题, 时间)"]
    g = tmp_path / "y.csv"
    g.write_text("标题,来信时间\n路灯不亮,2026-11-02 10:00\n", encoding="utf-8")
    r = cli("case", "import", g, *IMPORT, "--mapping", m, ok=2)
    assert _err(r) == [f"error: {g}: no column for title: mapping 县表 reads 主题 or 事项 (columns: 标题, 来信时间)"]


def test_default_mapping_without_created_at_column_takes_cases_now(cli, tmp_path):
    f = tmp_path / "now.csv"
    f.write_text("title\n路灯不亮\n", encoding="utf-8")
    rep = cli("case", "import", f, *IMPORT, "--now", "2026-11-02T10:00").data
    assert (rep["taken"], rep["refused"]) == (1, [])
    assert cli("case", "show", "zj-000001", "--json").data["created_at"] == "2026-11-02T10:00:00+08:00"


def test_empty_title_cell_is_still_a_row_error(cli, tmp_path):
    f = tmp_path / "e.csv"
    f.write_text("title,description\n,1\n路灯不亮,2\n", encoding="utf-8")
    r = cli("case", "import", f, *IMPORT[:-1], ok=2)
    assert _err(r) == [f"error: {f}: line 2: title (column title): empty: a case needs a title"]


def test_unclosed_quote_is_a_csv_syntax_error_with_its_line(cli, tmp_path):
    f = tmp_path / "q.csv"
    f.write_text('title,created_at\n路灯不亮,2026-11-02 10:00\n"水渠堵塞,2026-11-02 11:00\n'
                 '围墙,2026-11-02 12:00\n', encoding="utf-8")
    r = cli("case", "import", f, *IMPORT, ok=2)
    assert _err(r) == [f"error: {f}: line 3: CSV syntax error: a quoted field opened on this line is never closed "
                       f"(a missing '\"')"]
    assert cli("case", "list", "--json").data == []


def test_stray_quote_after_a_quoted_field_is_a_csv_syntax_error(tmp_path):
    f = tmp_path / "s.csv"
    f.write_text('title,created_at\n"水渠"堵塞,2026-11-02 10:00\n', encoding="utf-8")
    with pytest.raises(CountyError) as e:
        read_records(f)
    assert str(e.value) == f"{f}: line 2: CSV syntax error: ',' expected after '\"'"


def test_quoted_field_over_two_lines_is_still_one_cell(tmp_path):
    f = tmp_path / "ok.csv"
    f.write_text('title,description\n路灯不亮,"第一行\n第二行"\n围墙,\n', encoding="utf-8")
    src = read_records(f)
    assert [(r.line, r.data) for r in src.records] == [
        (2, {"title": "路灯不亮", "description": "第一行\n第二行"}), (4, {"title": "围墙", "description": ""})]
    assert src.columns == ["title", "description"]


# -- 4. where the real data are -----------------------------------------------------------------------


def test_county_data_is_honoured_first(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f.csv").write_text("x\n", encoding="utf-8")
    monkeypatch.setenv("COUNTY_DATA", str(tmp_path))
    assert find_real_data() == tmp_path
    assert require_real_data("sub/f.csv") == tmp_path / "sub" / "f.csv"
    assert real_data(Path("sub") / "f.csv") == tmp_path / "sub" / "f.csv"


def test_without_county_data_the_folder_beside_the_repository(monkeypatch):
    monkeypatch.delenv("COUNTY_DATA", raising=False)
    beside = repo_root().parent / "shared" / "data" / "real"
    if beside.is_dir():
        assert find_real_data() == beside and require_real_data() == beside
    else:
        with pytest.raises(CountyError, match="no COUNTY_DATA and no ../shared/data/real"):
            require_real_data()


def test_missing_real_data_fails_naming_both_options(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTY_DATA", str(tmp_path / "nowhere"))
    how = (f"set COUNTY_DATA to the real-data folder, or put it at {repo_root().parent / 'shared' / 'data' / 'real'} "
           f"(../shared/data/real beside the repository)")
    with pytest.raises(CountyError) as e:
        require_real_data("a.xlsx")
    assert str(e.value) == f"real data missing: COUNTY_DATA {tmp_path / 'nowhere'}: no such folder; {how}"
    monkeypatch.setenv("COUNTY_DATA", str(tmp_path))
    with pytest.raises(pytest.fail.Exception) as f:  # a failure, not a skip
        real_data("a.xlsx")
    assert str(f.value) == f"real data missing: {tmp_path / 'a.xlsx'} (from COUNTY_DATA); {how}"


def test_a_long_title_is_cut_but_kept_whole_in_the_description(tmp_path, init_county):
    county_cli = init_county(TOML)
    long_title = "村道" * 150  # 300 characters
    f = tmp_path / "long.csv"
    f.write_text(f"title,description\n{long_title},路灯也坏了\n", encoding="utf-8")
    county_cli("case", "import", f, "--method", "taizhang", "--unit", "zj.fx.llg", "--set", "category=livelihood",
               "--now", "2026-11-02T10:00")
    case = county_cli("case", "list", "--json").data[0]
    assert case["title"] == long_title[:199] + "…"
    assert case["description"] == long_title + "\n\n路灯也坏了"


def test_a_misspelt_column_is_refused_not_dropped(cli, tmp_path):
    """Without --mapping the columns are the case fields: `catgory` and `requester_phnoe` are named
    (with the field meant) and nothing is taken; a mapping file without [fields] may skip columns."""
    f = tmp_path / "c.csv"
    f.write_text("title,catgory,requester_phnoe,备注\n路灯不亮,livelihood,13800000000,夜里\n", encoding="utf-8")
    r = cli("case", "import", f, *IMPORT[:-1], ok=2)
    assert _err(r) == [f"error: {f}: unknown column(s) catgory (did you mean category?), requester_phnoe (did you "
                       "mean requester_phone?), 备注; the columns are the case fields (source_id, title, description, "
                       "category, channel, created_at, resolved_at, resolution_note, unit, requester_name, "
                       "requester_phone, requester_id_number, requester_address, requester_anonymous, satisfaction, "
                       "status) and extra.KEY — rename them, or give a --mapping file whose [mapping] ignore_columns "
                       "lists the ones to skip"]
    assert cli("case", "list", "--json").data == []
    m = tmp_path / "skip.toml"
    m.write_text('[mapping]\nname = "skip"\nignore_columns = ["catgory", "requester_phnoe", "备注"]\n', encoding="utf-8")
    r = cli("case", "import", f, *IMPORT[:-1], "--mapping", m, "--json")
    assert r.data["taken"] == 1


def test_a_reason_every_row_shares_is_told_once(cli, tmp_path):
    """Found by a fresh operator: a file without a unit column imported without --unit printed
    one identical line per row (52 of them, then "… and 50 more"); now once, with the count and
    the first lines. --json still lists every row."""
    f = tmp_path / "nounit.csv"
    f.write_text("title\n" + "".join(f"路灯{i}\n" for i in range(60)), encoding="utf-8")
    r = cli("case", "import", f, "--method", "taizhang", "--set", "category=livelihood", ok=2)
    errors = _err(r)
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {f}: 60 rows (lines 2, 3, 4, 5, 6, … 61): unit: ")
    assert r.stdout.startswith(f"{f}：共 60 行，受理 0 行")
    doc = cli("case", "import", f, "--method", "taizhang", "--set", "category=livelihood", "--json", ok=2)
    assert len(json.loads(doc.stdout)["refused"]) == 60


def test_a_shared_reason_in_a_json_file_names_its_records(cli, tmp_path):
    """Found by a fresh integrator: a JSON file's rows all stand on line 1, so the one line read
    `lines 1, 1, 1, 1, 1, … 1`; it names the records instead."""
    f = tmp_path / "rows.json"
    f.write_text(json.dumps([{"title": f"路灯{i}"} for i in range(8)], ensure_ascii=False), encoding="utf-8")
    r = cli("case", "import", f, "--method", "taizhang", "--set", "category=livelihood", ok=2)
    assert _err(r)[0].startswith(f"error: {f}: 8 rows (records 1, 2, 3, 4, 5, … 8): unit: ")
