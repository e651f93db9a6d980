"""framework.publish.plain_table.FileConsole: ``county appraise --out FILE`` writes the table
file without loading rich's console, the same characters as ``Console(file=…, width=160)``
(issue 13); rich's console where the environment may want colour or a table needs its layout."""

from __future__ import annotations

import io
import subprocess
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from framework.publish.plain_table import FileConsole, print_text, write_table

HEADERS = ["单位", "受理数", "按期办结率"]
RIGHT = [False, True, True]
ROWS = [["基准县", "1800", "85.6%（1541/1800）"], ["[bold]x[/]", "7", "—"]]
LINES = ["注：按期办结率 = 未超期办结数 /（办结数 + 已超期仍未办结数）", "[link=http://x]点我[/]",
         "宽" * 100, " 前后有空格 ", "a\tb"]


def _print_all(console) -> None:
    if not write_table(console, "考评 基准县 2025年", HEADERS, RIGHT, ROWS):
        t = Table(title=Text("考评 基准县 2025年"))
        for h, r in zip(HEADERS, RIGHT):
            t.add_column(h, justify="right" if r else "left")
        for cells in ROWS:
            t.add_row(*(Text(c) for c in cells))
        console.print(t)
    for line in LINES:
        print_text(console, line)


def _by_rich() -> str:
    buf = io.StringIO()
    _print_all(Console(file=buf, width=160))
    return buf.getvalue()


def test_the_same_characters_as_a_rich_console_of_width_160(monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    buf = io.StringIO()
    console = FileConsole(buf, width=160)
    _print_all(console)
    assert buf.getvalue() == _by_rich()
    lines = buf.getvalue().splitlines()
    assert lines[5] == "│ [bold]x[/] │      7 │                  — │"  # markup printed as written
    assert lines[8] == "[link=http://x]点我[/]"
    assert lines[9:13] == ["宽" * 80, "宽" * 20, " 前后有空格 ", "a       b"]  # by rich: wrapped, kept, tab
    assert console.plain and console.color_system is None and console.width == 160


def test_rich_decides_where_the_environment_may_want_colour(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    buf = io.StringIO()
    console = FileConsole(buf, width=160)
    assert not console.plain and console.color_system is not None
    assert write_table(console, "t", HEADERS, RIGHT, ROWS) is False  # colour: rich lays it out
    _print_all(console)
    assert buf.getvalue() == _by_rich() and "\x1b[" in buf.getvalue()


def test_rich_console_not_loaded_for_a_plain_file():
    code = ("import io, sys\nfrom framework.publish.plain_table import FileConsole, print_text, write_table\n"
            "c = FileConsole(io.StringIO(), width=160)\n"
            "assert write_table(c, '考评', ['单位', 'n'], [False, True], [['县', '1']])\n"
            "print_text(c, '注：x')\n"
            "print(sorted(m for m in sys.modules if m.startswith('rich.') and m != 'rich.cells' "
            "and not m.startswith('rich._')), repr(c.file.getvalue()[-6:]))\n")
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out == "[] '┘\\n注：x\\n'\n"


def test_text_parts_take_what_a_string_buffer_takes(monkeypatch):
    """TextParts in place of io.StringIO (no copy per write): the same text, rich's own
    layout (a table too wide for write_table) and its colour included."""
    from framework.publish.plain_table import TextParts

    for force_color in (None, "1"):
        if force_color:
            monkeypatch.setenv("FORCE_COLOR", force_color)
        else:
            monkeypatch.delenv("FORCE_COLOR", raising=False)
        texts = []
        for buf in (io.StringIO(), TextParts()):
            console = FileConsole(buf, width=20)  # the table is wider: rich lays it out
            _print_all(console)
            texts.append(buf.getvalue())
        assert texts[0] == texts[1] and "┏" in texts[1] and ("\x1b[" in texts[1]) is bool(force_color)
    parts = TextParts()
    assert parts.write("甲") == 1 and parts.write("乙\n") == 2 and parts.getvalue() == "甲乙\n"
    assert parts.isatty() is False and parts.parts == ["甲", "乙\n"]
