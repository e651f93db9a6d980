"""`county board` in every format for the fixture month (tests/test_board_fixture.py)."""

import csv
import io
import json
import re
import types
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

import framework.cli.root
from framework.publish import render
from framework.kernel.registry import Registry
from test_board_fixture import BoardFixturePlugin, build_month, new_county, registry

NOW = "2026-11-30T12:00:00+08:00"
# the masked rows of 柳林沟村's first section, as every human format shows them
ROWS = [
    ["zj-000001", "十月的排水沟清淤", "", "赵某", "139****1111", "510623********1111", "富兴镇柳林沟村", "已办结",
     "2026-10-28 10:00", ""],
    ["zj-000002", "修复村道路灯", "张某反映：路灯坏了，电话138****5678，另一联系人139****4321，座机0838-***5678",
     "张某", "138****5678", "510623********1234", "富兴镇柳林沟村", "已确认", "2026-11-02 10:00", ""],
    ["zj-000003", "申请低保复核", "身份证510623********222X，老证510623*****2222，补助1800元", "李某", "137****2222",
     "510623********222X", "富兴镇柳林沟村", "已确认", "2026-11-02 10:00", ""],
    ["zj-000004", "邻里纠纷调解", "匿名不愿公开姓名，请勿张贴", "匿名", "***********", "510623********3333", "富兴镇柳林沟村",
     "已确认", "2026-11-03 09:00", ""],
    ["zj-000005", "产业路硬化", "项目总投资2000万元，案件zj-000123相关，2026-11-02T10:00:00+08:00已现场查看", "陈某",
     "135****4444", "", "富兴镇柳林沟村", "已办结", "2026-11-03 09:00", ""],
    ["zj-000006", "灌溉水渠渗漏", "", "周某", "134****5555", "", "", "已上报", "2026-11-04 09:00", ""],
    ["zj-000012", "月底新诉求", "", "冯某", "", "", "", "已登记", "2026-11-26 09:00", ""],
]
HEADER = ["编号", "事项", "情况", "诉求人", "联系电话", "身份证号", "住址", "状态", "受理时间", "金额"]
RATED = [["zj-000002", "修复村道路灯", "张某", "满意"], ["zj-000003", "申请低保复核", "李某", "基本满意"],
         ["zj-000004", "邻里纠纷调解", "匿名", "不满意"]]


@pytest.fixture(scope="module")
def month():
    county = new_county()
    build_month(county)
    return county


@pytest.fixture
def cli_month(county_db, county_cli, monkeypatch):
    """The fixture month in the CLI's database; the CLI sees only the test method."""
    monkeypatch.setattr(framework.cli.root, "_registry", registry())
    build_month(new_county(str(county_db)))
    return lambda *args, **kw: county_cli(*args, "--now", NOW, **kw)


class Tables(HTMLParser):
    """Collects h1 texts and every table as a list of rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.h1, self.tables, self._cell, self._tag = [], [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""
        self._tag = tag

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append(self._cell.strip())
            self._cell = None
        self._tag = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._tag == "h1":
            self.h1.append(data.strip())


def parse_html(text):
    p = Tables()
    p.feed(text)
    return p


def test_markdown(month):
    md = render.render(month.boards("zj.fx.llg", "2026-11"), "md", county=month)
    lines = md.splitlines()
    assert lines[0] == "# 柳林沟村事项公示"
    assert "单位：柳林沟村　期间：2026年11月　工作法：测试公示法" in lines
    assert "| " + " | ".join(HEADER) + " |" in lines
    table = [ln for ln in lines if ln.startswith("| zj-")]
    assert table[:7] == ["| " + " | ".join(r) + " |" for r in ROWS]
    assert table[7:] == ["| " + " | ".join(r) + " |" for r in RATED]
    assert "> 监督电话：0838-***4567" in lines and "> 本期共7件" in lines
    assert lines[-1] == "公示日期：2026年11月30日"


def test_csv_opens_in_excel(cli_month, tmp_path):
    out = tmp_path / "board.csv"
    cli_month("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "csv", "--out", out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel/WPS read the Chinese right
    assert b"\r\n" in data and data.decode("utf-8-sig").count("\r\n") == data.decode("utf-8-sig").count("\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["公示栏", "单位", "期间", "栏目"] + HEADER
    assert rows[1:8] == [["柳林沟村事项公示", "柳林沟村", "2026年11月", "事项办理情况"] + r for r in ROWS]
    assert rows[8] == []
    assert rows[9] == ["公示栏", "单位", "期间", "栏目", "编号", "事项", "评价人", "评价"]
    assert rows[10:] == [["柳林沟村事项公示", "柳林沟村", "2026年11月", "群众评价"] + r for r in RATED]


def test_xlsx(cli_month, tmp_path):
    out = tmp_path / "board.xlsx"
    r = cli_month("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "xlsx", "--out", out)
    assert r.output == f"已写入 {out}（公示栏 1 块，xlsx）\n"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["事项办理情况", "群众评价"]
    ws = wb["事项办理情况"]
    values = [[("" if v is None else v) for v in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "柳林沟村事项公示"
    assert values[1][0] == "单位：柳林沟村　期间：2026年11月　工作法：测试公示法"
    assert values[2] == HEADER
    assert values[3:10] == ROWS
    assert values[10:] == [["监督电话：0838-***4567"] + [""] * 9, ["本期共7件"] + [""] * 9]
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9" and ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "A4"


def test_json(cli_month):
    data = cli_month("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--json").data
    assert [(b["method"], b["unit"], b["period"], b["title"]) for b in data] == [
        ("testboard", "zj.fx.llg", "2026-11", "柳林沟村事项公示")]
    rows = data[0]["sections"][0]["rows"]
    assert [r["case_id"] for r in rows] == [r[0] for r in ROWS]
    c2, c3 = rows[1], rows[3]
    assert c2["created_at"] == "2026-11-02T10:00:00+08:00"  # dates are not damaged
    assert c2["note"] == "诉求人张某（138****5678）反映"
    assert c2["requester"] == {"name": "张某", "phone": "138****5678", "id_number": "510623********1234",
                               "address": "富兴镇柳林沟村", "anonymous": False}
    assert c3["requester"]["name"] == "匿名" and c3["note"] == "诉求人匿名（***********）反映"
    assert data[0]["sections"][0]["columns"][0] == ["case_id", "编号"]


def test_html_tables_and_page_breaks(cli_month):
    page = cli_month("board", "--unit", "zj.fx.llg", "--unit", "zj.hx.sq", "--period", "2026-11",
                     "--format", "html").output
    p = parse_html(page)
    assert p.h1 == ["柳林沟村事项公示", "双桥村事项公示"]
    assert len(p.tables) == 4
    assert p.tables[0][0] == HEADER and p.tables[0][1:] == ROWS
    assert p.tables[1][1:] == RATED
    assert [r[0] for r in p.tables[2][1:]] == ["zj-000008", "zj-000009", "zj-000010", "zj-000011", "zj-000013"]
    assert p.tables[3][1:] == [["（无）"]]  # nobody rated in 双桥村
    assert "section.board + section.board { break-before: page; page-break-before: always; }" in page
    assert "@page { size: A4" in page and '"Noto Sans CJK SC"' in page and "Microsoft YaHei" in page
    assert page.count('<section class="board"') == 2


def test_operator_template_overrides_one_method(cli_month, tmp_path):
    tdir = tmp_path / "tpl"
    (tdir / "testboard").mkdir(parents=True)
    (tdir / "testboard" / "board.html").write_text(
        "<h1>{{ v.unit_name }}公开栏（{{ v.period_label }}）</h1>"
        "{% for r in v.board.sections[0].rows %}<p>{{ r.case_id }} {{ r.requester_phone }}</p>{% endfor %}",
        encoding="utf-8")
    page = cli_month("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "html",
                     "--templates", tdir).output
    assert "<h1>柳林沟村公开栏（2026年11月）</h1>" in page
    assert "<p>zj-000002 138****5678</p>" in page  # a custom template still gets masked rows only
    assert "<title>柳林沟村事项公示</title>" in page  # the page frame is still the kernel's
    (tdir / "board.md").write_text("{% for v in views %}{{ v.board.title }}={{ v.board.sections | length }}\n{% endfor %}",
                                   encoding="utf-8")
    assert cli_month("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--templates", tdir).output == "柳林沟村事项公示=2\n"


def test_plugin_ships_its_own_template(tmp_path, make_county):
    pkg = tmp_path / "boardplug"
    (pkg / "templates").mkdir(parents=True)
    (pkg / "templates" / "board.md").write_text("插件模板：{{ v.board.title }}\n", encoding="utf-8")
    module = types.ModuleType("boardplug")
    module.__file__ = str(pkg / "__init__.py")
    for name in ("county_method", "county_deadline", "county_publicity", "county_appraisal"):
        setattr(module, name, getattr(BoardFixturePlugin, name))
    reg = Registry(extra_plugins={"testboard": module}, entry_points=False)
    county = make_county(
        '[deployment]\nname = "中江县"\ncode = "zj"\nmethods = ["testboard"]\n'
        '[[units]]\ncode = "zj"\nname = "中江县"\nlevel = "county"\n', now="2026-11-05T09:00", registry=reg)
    county.add_case("testboard", "zj", "县城路灯")
    md = render.render(county.boards("zj", "2026-11"), "md", county=county)
    assert md == "插件模板：中江县事项公示\n"
    tdir = tmp_path / "ops" / "testboard"
    tdir.mkdir(parents=True)
    (tdir / "board.md").write_text("部署模板优先\n", encoding="utf-8")
    assert render.render(county.boards("zj", "2026-11"), "md", county=county,
                         template_dirs=[tmp_path / "ops"]) == "部署模板优先\n"


def test_spreadsheet_formulas_are_text(tmp_path):
    from framework.models import Board, BoardSection

    b = Board("testboard", "公示", "zj", "2026-11", [BoardSection("表", [("t", "事项"), ("n", "数")], [
        {"t": '=HYPERLINK("http://x","点我")', "n": -3}, {"t": "-2000元", "n": 1.5}, {"t": "@SUM(A1)", "n": None}])])
    rows = list(csv.reader(io.StringIO(render.render([b], "csv").lstrip("\ufeff"))))
    # OWASP: every text cell starting with = + - @ tab CR gets a leading ' (issue 15); numbers stay numbers
    assert [r[4:] for r in rows[1:]] == [["'=HYPERLINK(\"http://x\",\"点我\")", "-3"], ["'-2000元", "1.5"],
                                         ["'@SUM(A1)", ""]]
    path = tmp_path / "f.xlsx"
    path.write_bytes(render.render([b], "xlsx"))
    ws = openpyxl.load_workbook(path)["表"]
    assert ws["A4"].value == '\'=HYPERLINK("http://x","点我")' and ws["A4"].data_type == "s"
    assert ws["B4"].value == -3 and ws["B5"].value == 1.5


@pytest.mark.parametrize("args, message", [
    (["--unit", "nowhere", "--period", "2026-11"], "unknown unit 'nowhere'"),
    (["--unit", "zj.fx", "--period", "2026-13"], "--period: '2026-13' is not a period"),
    (["--unit", "zj.fx", "--period", "2026-11", "--format", "xlsx"], "--format xlsx is binary; give --out"),
    (["--unit", "zj.fx", "--period", "2026-11", "--templates", "/no/such/dir"], "--templates /no/such/dir: no such directory"),
])
def test_bad_input_is_one_line_exit_2(cli_month, args, message):
    r = cli_month("board", *args, ok=2)
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output


def test_broken_template_is_one_line_exit_2(cli_month, tmp_path):
    (tmp_path / "board.html").write_text("<h1>{{ views[0].board.title </h1>", encoding="utf-8")
    r = cli_month("board", "--unit", "zj.fx", "--period", "2026-11", "--format", "html", "--templates", tmp_path, ok=2)
    assert r.stderr == f"error: template {tmp_path / 'board.html'}: line 1: unexpected '/'\n"
    assert len(r.stderr.strip().splitlines()) == 1


def test_empty_period_renders_in_every_format(month, tmp_path):
    boards = month.boards("zj.fx.dq", "2026-01")
    assert [len(s.rows) for b in boards for s in b.sections] == [0, 0]
    assert "| （无） | | | | | | | | | |" in render.render(boards, "md", county=month)
    assert parse_html(render.render([], "html")).tables == []
    assert "本期无公示内容" in render.render([], "html")
    assert json.loads(render.render([], "json")) == []
    path = tmp_path / "e.xlsx"
    path.write_bytes(render.render([], "xlsx"))
    assert openpyxl.load_workbook(path)["公示"]["A1"].value == "本期无公示内容"


def test_wide_boards_print_landscape():
    from framework.models import Board, BoardSection

    narrow = Board("m", "窄表", "zj", "2026-11", [BoardSection("表", [(f"c{i}", f"列{i}") for i in range(10)])])
    wide = Board("m", "宽表", "zj", "2026-11", [BoardSection("表", [(f"c{i}", f"列{i}") for i in range(11)])])
    page = render.render([narrow, wide], "html")
    assert re.findall(r'<section class="([^"]+)"', page) == ["board", "board wide"]
    assert "@page wide { size: A4 landscape;" in page and "section.board.wide { page: wide; }" in page
