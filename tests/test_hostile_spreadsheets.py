"""No formula injection (issue 15): every CSV and XLSX text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a CR is written with a leading ``'`` (OWASP) by the one function
:func:`framework.publish.outputs.neutralise` — board csv/xlsx, ``county export --format csv``
(public or not), the appraisal report's xlsx; numbers written as numbers stay numbers."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.cli.core import use_registry
from framework.publish import render, reports
from framework.publish.outputs import FORMULA_START, neutralise

from test_hostile_templates import FORMULAS, VILLAGE, VILLAGE2, build_hostile, hostile_registry

TRIGGERS = tuple(FORMULA_START)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TRIGGERS), st.text())
def test_neutralise_prefixes_every_text_that_a_spreadsheet_would_run(first, rest):
    assert neutralise(first + rest) == "'" + first + rest


@settings(max_examples=200, deadline=None)
@given(st.text().filter(lambda t: not t.startswith(TRIGGERS)))
def test_neutralise_leaves_other_text_alone(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-3, -1.5, 0, 2.25, None, True])
def test_numbers_and_other_values_are_not_text(value):
    assert neutralise(value) is value


NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _unsafe(values) -> list:
    """Text cells that a spreadsheet would run as a formula (in CSV a number such as ``-3`` is
    written as its digits: a spreadsheet reads it as the number)."""
    return [v for v in values if isinstance(v, str) and v.startswith(TRIGGERS) and not NUMBER.fullmatch(v)]


def test_tab_and_cr_cells_are_neutralised_in_csv_and_xlsx(tmp_path):
    from framework.models import Board, BoardSection

    b = Board("x", "公示", "zj", "2026-11", [BoardSection("表", [("t", "事项"), ("n", "数")],
                                                       [{"t": f, "n": -2.5} for f in FORMULAS])])
    rows = list(csv.reader(io.StringIO(render.render([b], "csv").lstrip("\ufeff"))))
    assert [r[4:] for r in rows[1:]] == [["'" + f, "-2.5"] for f in FORMULAS]
    path = tmp_path / "x.xlsx"
    path.write_bytes(render.render([b], "xlsx"))
    ws = openpyxl.load_workbook(path)["表"]
    # (XML reads a stored CR back as LF)
    assert [(row[0].value, row[1].value) for row in ws.iter_rows(min_row=4)] == [
        ("'" + f.replace("\r", "\n"), -2.5) for f in FORMULAS]


@pytest.fixture(scope="module")
def county():
    return build_hostile()


@pytest.fixture(scope="module")
def boards(county):
    return county.boards("zj.t", "2026-11")


def test_board_csv_neutralises_every_text_cell_and_keeps_numbers(county, boards):
    rows = list(csv.reader(io.StringIO(render.render(boards, "csv", county=county).lstrip("\ufeff"))))
    cells = [c for r in rows for c in r]
    assert _unsafe(cells) == []
    data = [r for r in rows[1:] if r]
    titles = [r[5] for r in data]
    for f in FORMULAS:  # (the kernel strips a title's leading tab or CR: "=1+1" is left)
        assert "'" + f.strip() in titles, f
    assert {r[1] for r in data} == {"<script>alert(1)</script>镇"}  # the board's unit: not a formula start
    assert ["'" + VILLAGE] == sorted({r[6] for r in data} - {VILLAGE2})
    assert {r[-1] for r in data} == {"-3"}  # the number -3 is a number, not neutralised


def test_board_xlsx_has_no_formula_and_keeps_numbers(county, boards, tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(render.render(boards, "xlsx", county=county))
    ws = openpyxl.load_workbook(path).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert _unsafe([c.value for c in cells]) == []
    assert ws["A1"].value == "<script>alert(1)</script>镇公示"  # the title row, text
    values = [c.value for c in cells]
    for f in FORMULAS:
        assert "'" + f.strip() in values, f
    assert "'" + VILLAGE in values
    amounts = [row[5].value for row in ws.iter_rows(min_row=4) if str(row[0].value).startswith("zj-")]
    assert len(amounts) == 8 and set(amounts) == {-3} and all(isinstance(a, int) for a in amounts)


def test_appraisal_xlsx_neutralises_unit_names_and_keeps_rates_numbers(county, tmp_path):
    report = reports.build_report(county, "2026-11", None, min_cases=1)
    path = tmp_path / "a.xlsx"
    path.write_bytes(reports.render_xlsx(report, county))
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert _unsafe([c.value for c in cells]) == []
    summary = wb["汇总"]
    names = [row[0].value for row in summary.iter_rows(min_row=4)]
    assert "'" + VILLAGE in names
    scores = [row[4].value for row in wb["工作法指标"].iter_rows(min_row=4)]
    assert -1.5 in scores  # a negative figure stays a number


@pytest.mark.parametrize("public", [False, True])
def test_export_csv_neutralises_public_or_not(tmp_path, county_cli, county_db, public):
    build_hostile(str(county_db))
    previous = use_registry(hostile_registry())
    try:
        r = county_cli("export", "--format", "csv", *(["--public"] if public else []), "--now", "2026-11-30T12:00")
    finally:
        use_registry(previous)
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert _unsafe([v for row in rows for v in row.values()]) == []
    assert sorted(row["title"] for row in rows if row["title"].startswith("'")) == sorted("'" + f.strip() for f in FORMULAS)
    assert {row["unit_name"] for row in rows} == {"'" + VILLAGE, VILLAGE2}
