"""Hostile import files (issue 15): refused with a clear one-line error, never a hang, a crash or
garbage stored.

* Open311 XML with any ``<!DOCTYPE …>`` (an external SYSTEM id too) is refused;
* one size limit set for every format (framework/interchange/limits.py): a header of a million
  columns is refused (the duplicate check is linear), a field over 131,072 characters refuses
  its row in csv, xlsx, json and Open311 json/xml alike (naming line, column and limit), a
  JSON record nested 100k deep is refused instead of "unexpected RecursionError";
* Big5 read as GB18030 is refused and asks for ``--encoding``; with ``--encoding big5`` it imports.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from framework.errors import CountyError
from framework.interchange import read_records
from framework.interchange.encodings import check_plausible, decode_text
from framework.interchange.limits import MAX_COLUMNS, MAX_FIELD_CHARS, MAX_JSON_DEPTH

from deployments import mini_zhongjiang

LIMIT_TEXT = "131,072"
HEADER = "source_id,title,unit,category,channel,created_at\n"


def _errors(src):
    return [(r.line, r.data.get("__error__")) for r in src.records]


# -- DOCTYPE -----------------------------------------------------------------------------------

REQUEST = "<service_requests><request><service_request_id>1</service_request_id></request></service_requests>"


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">',
    '<!DOCTYPE service_requests PUBLIC "-//X//DTD X//EN" "http://127.0.0.1:9/x.dtd">',
    "<!DOCTYPE service_requests>",
    '<!DOCTYPE service_requests [<!ENTITY e "x">]>',
])
def test_open311_xml_with_any_doctype_is_refused(tmp_path, doctype):
    f = tmp_path / "requests.xml"
    f.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n{REQUEST}', encoding="utf-8")
    with pytest.raises(CountyError) as e:
        read_records(f)
    message = str(e.value)
    assert message.startswith(f"{f}: refused XML: a <!DOCTYPE ") and "is not allowed" in message
    assert "\n" not in message
    f.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{REQUEST}', encoding="utf-8")  # without: read
    assert [r.data["service_request_id"] for r in read_records(f).records] == ["1"]


# -- columns -----------------------------------------------------------------------------------


def test_a_header_of_a_million_columns_is_refused(tmp_path):
    f = tmp_path / "wide.csv"
    n = 10 ** 6
    f.write_text(",".join(f"c{i}" for i in range(n)) + "\n" + ",".join("x" for _ in range(n)) + "\n", encoding="utf-8")
    with pytest.raises(CountyError, match=f"the header has 1,000,000 columns, more than the {MAX_COLUMNS:,}"):
        read_records(f)


def test_the_column_limit_and_the_duplicate_check(tmp_path):
    f = tmp_path / "cols.csv"
    f.write_text(",".join(f"c{i}" for i in range(MAX_COLUMNS)) + "\n" + "x\n", encoding="utf-8")
    assert len(read_records(f).columns) == MAX_COLUMNS  # exactly the limit is read
    f.write_text(",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\nx\n", encoding="utf-8")
    with pytest.raises(CountyError, match="the header has 1,001 columns"):
        read_records(f)
    # a repeated name far apart is still found (one pass over a set)
    f.write_text(",".join([f"c{i}" for i in range(999)] + ["c3"]) + "\nx\n", encoding="utf-8")
    with pytest.raises(CountyError, match="the header repeats column 'c3'"):
        read_records(f)


def test_json_records_using_too_many_keys_are_refused(tmp_path):
    f = tmp_path / "keys.json"
    f.write_text(json.dumps([{f"k{i}": 1 for i in range(MAX_COLUMNS + 1)}]), encoding="utf-8")
    with pytest.raises(CountyError, match="the records use 1,001 columns"):
        read_records(f)


# -- one field limit for every format ----------------------------------------------------------

BIG = "长" * (MAX_FIELD_CHARS + 1)
FULL = "满" * MAX_FIELD_CHARS


def _field_refusal(column: str) -> str:
    return f"column {column!r} holds {MAX_FIELD_CHARS + 1:,} characters, over the limit of {LIMIT_TEXT} characters per field"


def test_csv_field_over_the_limit_refuses_its_row_only(tmp_path):
    f = tmp_path / "big.csv"
    f.write_text(HEADER + f"1,{BIG},zj,x,y,2026-11-02\n2,{FULL},zj,x,y,2026-11-02\n3,短,zj,x,y,2026-11-02\n",
                 encoding="utf-8")
    src = read_records(f)
    assert _errors(src) == [(2, _field_refusal("title")), (3, None), (4, None)]
    assert src.records[1].data["title"] == FULL  # exactly the limit is taken


def test_json_xlsx_and_open311_fields_over_the_limit_are_refused_alike(tmp_path):
    j = tmp_path / "big.json"
    j.write_text(json.dumps([{"title": BIG}, {"title": FULL}, {"title": "短", "extra": {"a": BIG}}],
                            ensure_ascii=False), encoding="utf-8")
    errors = [e for _, e in _errors(read_records(j))]
    assert errors[0] == _field_refusal("title") and errors[1] is None
    assert errors[2].startswith("column 'extra' holds ") and errors[2].endswith(f"over the limit of {LIMIT_TEXT} characters per field")

    o = tmp_path / "requests.json"
    o.write_text(json.dumps([{"service_request_id": "1", "description": BIG},
                             {"service_request_id": "2", "description": "ok"}]), encoding="utf-8")
    assert [e for _, e in _errors(read_records(o, "open311"))] == [_field_refusal("description"), None]

    x = tmp_path / "requests.xml"
    x.write_text(f"<service_requests>\n<request><service_request_id>1</service_request_id>"
                 f"<description>{BIG}</description></request>\n"
                 f"<request><service_request_id>2</service_request_id></request>\n</service_requests>", encoding="utf-8")
    assert _errors(read_records(x)) == [(2, _field_refusal("description")), (3, None)]

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["title", "unit"])
    ws.append(["短", "zj"])
    ws.append([FULL[:32767], "zj"])  # Excel's own cell limit: read as it is
    ws.append([None, "zj"])
    big = ws["A4"]  # a hostile tool writes more than Excel would (openpyxl's writer truncates to 32,767)
    big._value, big.data_type = "x" * (MAX_FIELD_CHARS + 1), "s"
    book = tmp_path / "big.xlsx"
    wb.save(book)
    assert [(line, e) for line, e in _errors(read_records(book))] == [(2, None), (3, None), (4, _field_refusal("title"))]


# -- JSON nesting ------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("doc", [
    "[" + _nested(100_000) + "]",                              # the records' list holds a deep list
    '[{"a": 1},\n{"title": "x", "extra": ' + _nested(100_000) + "}]",  # one deep record, line 2
    '{"meta": ' + _nested(100_000) + ', "requests": []}',   # deep beside the records
])
def test_json_nested_100k_deep_is_refused_not_a_recursion_error(tmp_path, doc):
    f = tmp_path / "deep.json"
    f.write_text(doc, encoding="utf-8")
    with pytest.raises(CountyError) as e:
        read_records(f)
    assert f"JSON nested more than {MAX_JSON_DEPTH} levels deep" in str(e.value)
    assert "RecursionError" not in str(e.value)


def test_json_depth_limit_is_exact(tmp_path):
    f = tmp_path / "d.json"
    # a record (level 1) holding lists down to level MAX_JSON_DEPTH: read
    f.write_text('[{"a": ' + _nested(MAX_JSON_DEPTH - 1) + "}]", encoding="utf-8")
    assert len(read_records(f).records) == 1
    f.write_text('[{"a": 1},\n{"a": ' + _nested(MAX_JSON_DEPTH) + "}]", encoding="utf-8")
    with pytest.raises(CountyError, match=f"{f}: line 2: JSON nested more than {MAX_JSON_DEPTH} levels deep"):
        read_records(f)


# -- encodings ---------------------------------------------------------------------------------

TRADITIONAL = ("source_id,title,unit,category,channel,created_at,description\n"
               "b1,道路損壞,zj.fx.llg,livelihood,hotline,2026-11-02 10:00,村民反映產業路損壞，請儘快派員處理。\n"
               "b2,路燈故障,zj.fx.llg,livelihood,hotline,2026-11-03 09:00,鄉鎮已經收到陳情，將於三日內回覆。\n")


def test_big5_is_refused_without_encoding_and_imported_with_it(init_county, tmp_path):
    cli = init_county(mini_zhongjiang(("taizhang",)))
    f = tmp_path / "big5.csv"
    f.write_bytes(TRADITIONAL.encode("big5"))
    r = cli("case", "import", f, "--method", "taizhang", "--now", "2026-11-10T08:00", ok=2)
    assert r.stderr.startswith(f"error: {f}: line 2: read as gb18030, the text holds private-use characters")
    assert "--encoding big5" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert cli("case", "list", "--json").data == []  # nothing stored
    rep = cli("case", "import", f, "--method", "taizhang", "--encoding", "big5", "--now", "2026-11-10T08:00",
              "--json").data
    assert (rep["taken"], rep["refused"], rep["encoding"]) == (2, [], "big5")
    c = cli("case", "show", "zj-000001", "--json").data
    assert c["title"] == "道路損壞" and c["description"] == "村民反映產業路損壞，請儘快派員處理。"


def test_plausibility_keeps_real_gbk_and_utf8_traditional():
    simplified = "标题,内容\n路灯,王堃反映路灯坏了，朱镕基路段村道破损，请尽快处理。\n"
    assert decode_text(simplified.encode("gbk"), "f.csv") == (simplified, "gb18030")  # two rare names: fine
    assert decode_text(TRADITIONAL.encode("utf-8"), "f.csv")[1] == "utf-8"  # Traditional in UTF-8 is UTF-8
    with pytest.raises(CountyError, match="f.csv: line 2: the text read as utf-8 holds replacement characters"):
        decode_text("a\n损坏\ufffd\n".encode("utf-8"), "f.csv")
    with pytest.raises(CountyError, match="holds replacement characters \\(锟斤拷\\)"):
        check_plausible("标题\n锟斤拷锟斤拷\n", "f.csv", "gb18030")
    # Shift-JIS read as GB18030 is refused too
    with pytest.raises(CountyError, match="rare"):
        decode_text("件名,内容\n道路の破損,村の道路が壊れています。早急に対応してください。\n".encode("shift_jis"), "f.csv")


def test_plain_tables_refuse_deep_json_the_same_way(tmp_path):
    from framework.interchange import read_table

    f = tmp_path / "units.json"
    f.write_text('{"rows": [{"code": "a", "x": ' + _nested(MAX_JSON_DEPTH - 1) + "}]}", encoding="utf-8")
    assert [r.data["code"] for r in read_table(f)] == ["a"]
    for depth in (MAX_JSON_DEPTH, 100_000):
        f.write_text('{"rows": [{"code": "a", "x": ' + _nested(depth) + "}]}", encoding="utf-8")
        with pytest.raises(CountyError, match=f"{f}: JSON nested more than {MAX_JSON_DEPTH} levels deep"):
            read_table(f)
