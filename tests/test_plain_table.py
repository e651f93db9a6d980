"""framework.publish.plain_table: the same characters rich prints for a plain table, or nothing."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from framework.publish.plain_table import write_table

HEADERS = ["单位", "层级", "受理数", "按期办结率", "排名"]
RIGHT = [False, False, True, True, False]
ROWS = [["基准县", "县", "1800", "85.6%", "1/1"],
        ["安金镇人民政府", "乡镇", "7", "—", "不足5件"],
        ["x", "村", "123456789", "100.0%", "10/16（并列）"]]


def by_rich(title, rows, width=160, headers=HEADERS, right=RIGHT) -> str:
    buf = io.StringIO()
    t = Table(title=Text(title))
    for h, r in zip(headers, right):
        t.add_column(h, justify="right" if r else "left")
    for cells in rows:
        t.add_row(*(Text(c) for c in cells))
    Console(file=buf, width=width).print(t)
    return buf.getvalue()


def by_us(title, rows, width=160, headers=HEADERS, right=RIGHT) -> tuple[bool, str]:
    buf = io.StringIO()
    ok = write_table(Console(file=buf, width=width), title, headers, right, rows)
    return ok, buf.getvalue()


def test_the_same_characters_as_rich():
    for title in ("考评 基准县 2025年（排名需受理满5件）", "t", "各工作法自有指标"):
        ok, text = by_us(title, ROWS)
        assert ok and text == by_rich(title, ROWS)
    # a header wider than its right-justified cells, and the reverse
    headers, right = ["很长很长的表头", "n"], [True, True]
    rows = [["1", "123456"], ["22", "7"]]
    ok, text = by_us("标题", rows, headers=headers, right=right)
    assert ok and text == by_rich("标题", rows, headers=headers, right=right)
    assert text.splitlines()[2] == "┃ 很长很长的表头 ┃      n ┃"
    assert text.splitlines()[4] == "│              1 │ 123456 │"


def test_nothing_written_when_rich_must_lay_it_out():
    too_wide = by_rich("t", ROWS, width=30)
    assert "…" in too_wide or len(too_wide.splitlines()) > 7  # rich wraps or cuts; we leave it to rich
    for rows, width in (([], 160), (ROWS, 30), ([["a\nb", "", "", "", ""]], 160), ([[" a", "", "", "", ""]], 160),
                        ([["a\tb", "", "", "", ""]], 160)):
        ok, text = by_us("t", rows, width=width)
        assert (ok, text) == (False, "")
    ok, text = by_us("一个比整张表还宽得多得多得多得多得多得多得多得多得多得多的标题", [["a", "b", "1", "2", "c"]])
    assert (ok, text) == (False, "")
    coloured = Console(file=io.StringIO(), width=160, force_terminal=True, color_system="standard")
    assert write_table(coloured, "t", HEADERS, RIGHT, ROWS) is False
