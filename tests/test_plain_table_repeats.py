"""framework.publish.plain_table with the repeats of a big appraisal table (issue 13: each
column's distinct cells measured and padded once): the same characters as rich, a value that
recurs in columns of other widths and justifications padded for each, and a bad cell however
late it comes still leaves the table to rich."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from framework.publish.plain_table import write_table

HEADERS = ["单位", "n", "率", "名"]
RIGHT = [False, True, True, False]


def _rich(rows) -> str:
    buf = io.StringIO()
    t = Table(title=Text("考评"))
    for h, r in zip(HEADERS, RIGHT):
        t.add_column(h, justify="right" if r else "left")
    for cells in rows:
        t.add_row(*(Text(c) for c in cells))
    Console(file=buf, width=160).print(t)
    return buf.getvalue()


def _ours(rows) -> tuple[bool, str]:
    buf = io.StringIO()
    return write_table(Console(file=buf, width=160), "考评", HEADERS, RIGHT, rows), buf.getvalue()


def test_repeated_values_padded_per_column_as_rich_does():
    # "7" in a right-justified column 6 wide and in a left-justified one 4 wide; "—" and
    # "柳营村" (two cells a character) in several rows and columns
    rows = [["柳营村", "7", "—", "7"], ["石河村", "123456", "85.6%", "柳营村"], ["柳营村", "7", "—", "x"]] * 50
    ok, text = _ours(rows)
    assert ok and text == _rich(rows)
    lines = text.splitlines()
    assert lines[2] == "┃ 单位   ┃      n ┃    率 ┃ 名     ┃"
    assert lines[4] == "│ 柳营村 │      7 │     — │ 7      │"
    assert lines[5] == "│ 石河村 │ 123456 │ 85.6% │ 柳营村 │"
    assert len(lines) == 3 + 150 + 2


def test_a_bad_cell_in_the_last_row_leaves_it_to_rich():
    rows = [["柳营村", "7", "—", "x"]] * 100
    for bad in (["柳营村", "7", "—", "a\nb"], ["柳营村", "7", " —", "x"], ["柳营村", "7", "—"]):
        buf = io.StringIO()
        assert write_table(Console(file=buf, width=160), "考评", HEADERS, RIGHT, [*rows, bad]) is False
        assert buf.getvalue() == ""
