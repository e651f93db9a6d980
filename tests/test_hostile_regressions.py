"""Issue 15, tried again as a hostile citizen or file would (after the masker and the output/input
safety were built): each spelling or file below leaked or broke something; each test pins the fix.

* a phone/ID/card split by a list or range separator (``、``, ``～``, ``/``) was shown raw;
* door numbers with a floor and a room (``12号楼3层302户``, ``3号楼502``, ``5栋302户``) kept the room;
* an e-mail whose domain is written with ``。`` kept its local part;
* a third party's name after ``联系人``/``举报人：``, or before ``先生反映`` or ``（138…）反映``, stayed;
* ``county appraise --json`` printed a plugin's metric label raw (a settings value with a phone);
* a Big5 file of a few characters (``事項``, ``電話``) was imported as GB18030 mojibake;
* ``--out`` on a dangling symbolic link wrote a new file wherever the link pointed, without --force.

Also pinned (they held): an ID with a lowercase x, an e-mail with a ``+`` tag, a phone inside a URL,
a UTF-8 BOM on a header of 1,001 columns, a unit code with ``../`` (no writer makes a path of it).
"""

from __future__ import annotations

import pytest
from deployments import mini_zhongjiang

from framework.errors import CountyError
from framework.interchange.encodings import decode_text
from framework.models import Metric
from framework.publish.masking import mask_text
from framework.publish.masking_text import find_personal_data
from framework.publish.outputs import check_target
from framework.publish.reports import public_metrics


@pytest.mark.parametrize("text, masked", [
    ("电话138、1234、5678请回电", "电话138****5678请回电"),
    ("电话138～1234～5678", "电话138****5678"),
    ("电话１３８～１２３４～５６７８", "电话１３８****５６７８"),
    ("电话138/1234/5678", "电话138****5678"),
    ("电话一三八、一二三四、五六七八", "电话一三八****五六七八"),
    ("电话１３８1234、５６７８", "电话１３８****５６７８"),  # mixed full-width and ASCII
    ("身份证510623、19900101、1234", "身份证510623、********、1234"),
    ("卡号6222/0212/3456/7890", "卡号6222/****/****/7890"),
    ("座机0838/1234567", "座机0838/***4567"),
    ("13812345678、13987654321", "138****5678、139****4321"),
    # a run of 22 digits in a list is still masked whole; the list around it is read part by part
    ("138-1234-5678、1381234567813987654321", "138****5678、138***************4321"),
])
def test_list_and_range_separators_do_not_hide_a_number(text, masked):
    assert mask_text(text) == masked
    assert mask_text(masked) == masked


@pytest.mark.parametrize("text", ["2019、2020、2021年", "123、204、808、809、202、206、208、210路等", "3000/4000/5000/6000",
                                  "1、2、3、4、5、6、7、8、9、10、11", "2026/11/02", "100～200元", "1～3天"])
def test_lists_of_ordinary_numbers_stay(text):
    assert mask_text(text) == text


@pytest.mark.parametrize("text, masked", [
    ("住幸福小区12号楼3层302户", "住幸福小区*号楼*层*户"),
    ("住幸福小区12号楼3层", "住幸福小区*号楼*层"),
    ("住南街45号3层302户", "住南街*号*层*户"),
    ("我住3号楼502", "我住*号楼*"),
    ("住5栋302室", "住*栋*室"),
    ("2单元301户", "*单元*户"),
    ("10栋602房的业主", "*栋*房的业主"),
    ("和平社区5幢703室", "和平社区*幢*室"),
    ("南街88号7栋1单元602", "南街*号*栋*单元*"),
])
def test_door_numbers_with_floor_and_room(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize("text", ["5栋30户", "3栋2人", "1号楼2019年建成", "2栋100平方米", "3号文件", "新建村一组",
                                  # found in the 附件4 texts: counts, areas and buildings described
                                  "共有10栋460户", "共计68栋5000余户", "3栋105m2户型", "至今还保持二栋二层楼房",
                                  "小区由11栋18层小高层", "住5栋302户"])
def test_counts_years_and_areas_after_a_building_stay(text):
    """(``5栋302户`` reads like ``10栋460户``, a count of households: 户 is a room only after an
    entrance or a floor, ``2单元301户``, ``3层302户``.)"""
    assert mask_text(text) == text


@pytest.mark.parametrize("text, masked", [
    ("邮箱abc@qq。com", "邮箱a***@qq。com"),
    ("邮箱zhangsf+tax@example.org谢谢", "邮箱z***@example.org谢谢"),
    ("邮箱Wang.XM+tax@Example.COM", "邮箱W***@Example.COM"),
    ("身份证510623199001011234x号", "身份证510623********1234x号"),
    ("见 https://wx.example.cn/call?tel=13812345678&a=1", "见 https://wx.example.cn/call?tel=138****5678&a=1"),
])
def test_emails_ids_and_urls(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize("text, masked", [
    ("联系人李四光，电话13812345678", "联系人李某，电话138****5678"),
    ("举报人：李四光", "举报人：李某"),
    ("申请人 姚香菊", "申请人 姚某"),
    ("李四光先生反映", "李某先生反映"),
    ("李四光同志来访", "李某同志来访"),
    ("李四光（13812345678）反映", "李某（138****5678）反映"),
    # stay: a title is no given name, 全 is a word before 国
    ("联系人：张科长", "联系人：张科长"), ("全国反映", "全国反映"), ("受理人员张伟", "受理人员张伟"),
])
def test_third_party_names_after_a_colon_or_before_a_title_or_bracket(text, masked):
    assert mask_text(text) == masked


def test_found_kinds_of_the_new_spellings():
    assert find_personal_data("电话138、1234、5678，住3号楼502") == [("mobile", "138、1234、5678"), ("door", "3号楼502")]


def test_appraise_json_labels_are_masked(init_county):
    m = Metric("score", "zj", value=1.0, label="监督电话138、1234、5678得分")
    assert [x.label for x in public_metrics([m, Metric("n", "zj", value=2.0)])] == ["监督电话138****5678得分", None]
    assert m.label == "监督电话138、1234、5678得分"  # the caller's metric is not changed


@pytest.mark.parametrize("text, gb, big5", [("事項\n", "ㄆ兜", "事項"), ("電話", "筿杠", "電話"), ("標題\n", "夹肈", "標題")])
def test_a_big5_file_of_a_few_characters_is_refused(text, gb, big5):
    with pytest.raises(CountyError) as e:
        decode_text(text.encode("big5"), "f.csv")
    assert str(e.value) == (f"f.csv: line 1: read as gb18030 the text is unlikely ({gb!r}), read as Big5 it is "
                            f"{big5!r}; give --encoding with the file's encoding (e.g. --encoding big5)")
    assert decode_text(text.encode("big5"), "f.csv", "big5") == (text, "big5")


def test_big5_with_private_use_characters_is_refused_naming_the_line():
    with pytest.raises(CountyError, match=r"^f.csv: line 2: read as gb18030, the text holds private-use characters "
                                          r"\(U\+E5EC\)"):
        decode_text("title\n路燈壞了\n".encode("big5"), "f.csv")


@pytest.mark.parametrize("text", ["电话", "王喆", "柳林沟村", "邛崃", "张三丰反映", "淼淼", "赟", "ā声调", "①号"])
def test_short_gbk_files_are_still_read(text):
    assert decode_text(text.encode("gbk"), "f.csv") == (text, "gb18030")


def test_a_dangling_symlink_is_refused_without_force(tmp_path):
    link = tmp_path / "board.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(CountyError, match=r"--out .*board.md: is a symbolic link to .*elsewhere.md; give --force"):
        check_target(link)
    assert check_target(link, force=True) == tmp_path / "elsewhere.md"


def test_bom_header_of_1001_columns_and_a_unit_code_with_dotdot(init_county, tmp_path):
    cli = init_county(mini_zhongjiang(("taizhang",)))
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(["title", "unit"] + [f"c{i}" for i in range(999)]) + "\n路灯,zj.fx.llg" + "," * 999 + "\n",
                    encoding="utf-8-sig")
    r = cli("case", "import", wide, "--method", "taizhang", ok=2)
    assert r.stderr == (f"error: {wide}: the header has 1,001 columns, more than the 1,000 an import reads; "
                        f"remove the extra columns\n")
    units = tmp_path / "units.csv"
    units.write_text("code,name,level,parent\n../../evil,恶意村,village,zj.fx\n", encoding="utf-8")
    cli("units", "import", units)
    out = tmp_path / "out" / "b.md"
    out.parent.mkdir()
    cli("board", "--unit", "../../evil", "--period", "2026-11", "--out", out)
    assert [p.name for p in out.parent.iterdir()] == ["b.md"] and not (tmp_path.parent / "evil").exists()


def test_xlsx_cells_drop_control_characters_and_keep_to_excels_limit(tmp_path):
    """A vertical tab pasted from Word crashed every xlsx writer (openpyxl's
    IllegalCharacterError); a cell over 32,767 characters is one Excel cannot open."""
    import io

    import openpyxl

    from framework.models import Board, BoardSection
    from framework.publish import render

    rows = [{"t": "ok\x01\x02bad\x0bline"}, {"t": "\x01=HYPERLINK(1)"}, {"t": "长" * 40_000}, {"t": -2.5}]
    b = Board("x", "公示", "zj", "2026-11", [BoardSection("表", [("t", "事项")], rows)])
    ws = openpyxl.load_workbook(io.BytesIO(render.render([b], "xlsx"))).worksheets[0]
    got = [c.value for row in ws.iter_rows(min_row=4) for c in row]
    assert got[:2] == ["okbad\nline", "'=HYPERLINK(1)"] and got[3] == -2.5
    assert len(got[2]) == 32_766 and got[2] == "长" * (32_766 - len(render.XLSX_CUT)) + "…（超出单元格上限，已截断）"


def test_utf16_with_its_bom_is_read(init_county, tmp_path):
    """Excel's "Unicode text" (UTF-16 with a byte-order mark, tab-separated) was refused as
    "neither UTF-8 nor GB18030 … (e.g. --encoding big5)"."""
    assert decode_text("标题\n路灯\n".encode("utf-16"), "f.csv") == ("标题\n路灯\n", "utf-16")
    cli = init_county(mini_zhongjiang(("taizhang",)))
    f = tmp_path / "unicode.txt"
    f.write_bytes("title\tunit\tcategory\n路灯坏了\tzj.fx.llg\tlivelihood\n".encode("utf-16"))
    rep = cli("case", "import", f, "--format", "csv", "--method", "taizhang", "--now", "2026-11-10T08:00",
              "--json").data
    assert (rep["taken"], rep["refused"], rep["encoding"]) == (1, [], "utf-16")
    assert [c["title"] for c in cli("case", "list", "--json").data] == ["路灯坏了"]


def test_serve_snapshot_masks_category_and_channel(tmp_path):
    """The kernel takes any text as a case's category and channel (an import may carry a phone
    there); the public exports masked them, the serve snapshot's cases table did not."""
    import datetime as dt
    import sqlite3

    from framework.kernel.config import deployment_from_dict
    from framework.kernel.county import County
    from framework.models import Requester
    from framework.publish import serve
    from framework.store.db import Store
    from test_public_writers import DEPLOYMENT, _registry

    county = County.init(Store(":memory:"), deployment_from_dict(DEPLOYMENT), _registry())
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-02T10:00:00+08:00")
    county.add_case("matrix", "zj.t.v", "路灯", channel="电话13812345678", category="王小明13987654321",
                    requester=Requester(name="王小明"))
    serve.build_public_db(county, tmp_path / "p.db", ["2026-11"])
    db = sqlite3.connect(tmp_path / "p.db")
    assert db.execute("select channel, category from cases").fetchall() == [("电话138****5678", "王某139****4321")]
