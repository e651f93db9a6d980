"""Rich's table look without rich's layout engine, for big tables printed without colour.

``county appraise`` prints tables of a thousand rows and more (one per unit, method and tier);
rich measures, wraps and styles every cell on its way, seconds of work for a table that fits
the console as it is. :func:`write_table` writes exactly the characters ``rich`` writes for a
``Table`` of plain ``Text`` cells in the default box (``HEAVY_HEAD``) with the default padding
(one space each side), when nothing needs rich: no colour (a file, a pipe), every cell one line
of printable characters without surrounding blanks, the table and its title within the
console's width. Otherwise it writes nothing and says so, and the caller lets rich print.

:class:`FileConsole` stands in for ``rich.console.Console(file=…, width=…)`` where a report is
written to a file (``county appraise --out FILE``): it writes these tables and plain lines
itself and loads rich's console only when something needs it, into a :class:`TextParts`.
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Sequence


def _plain(text: str) -> bool:
    return text == text.strip() and text.isprintable()


#: Printable ASCII (1 cell each) and characters rich measures 2 cells wide in every Unicode
#: version it knows from 5.2 on: CJK punctuation 、。〃…〩, the CJK unified ideographs, the
#: full-width forms ！…｠ (tests/test_plain_table_widths.py checks each version).
_ASCII_OR_WIDE = re.compile("[\x20-\x7e\u3001-\u3029\u4e00-\u9fff\uff01-\uff60]*")


class CharWidths(dict):
    """``{character: its width in terminal cells}`` (``rich.cells.get_character_cell_size``: 2
    for a Chinese character, 0 for a combining mark), each character looked up on first use.
    ``ranges``: :data:`_ASCII_OR_WIDE` may be trusted — rich measures with its latest Unicode
    table (no ``UNICODE_VERSION`` in the environment; before 5.2 some ideographs were 1 wide)."""

    def __init__(self) -> None:
        super().__init__()
        self.ranges = "UNICODE_VERSION" not in os.environ

    def __missing__(self, ch: str) -> int:
        from rich.cells import get_character_cell_size  # rich is loaded by the commands that print with it

        width = self[ch] = get_character_cell_size(ch)
        return width


def text_width(text: str, sizes: CharWidths) -> int:
    """``text``'s width in terminal cells, as ``rich.cells.cell_len`` measures it: the sum of
    its characters' widths (``sizes``: one :class:`CharWidths` per table, so a table's
    thousands of distinct Chinese cells measure each character once), or at once for a text
    of :data:`_ASCII_OR_WIDE` characters (2 per character, 1 per ASCII); a text rich measures
    otherwise (a zero-width joiner or variation selector 16 in it, 512 characters or more) by
    ``cell_len`` itself. tests/test_plain_table_widths.py checks the two agree on every BMP
    character."""
    if "\u200d" in text or "\ufe0f" in text or len(text) >= 512:
        from rich.cells import cell_len  # rich is loaded by the commands that print with it

        return cell_len(text)
    if sizes.ranges and _ASCII_OR_WIDE.fullmatch(text):  # ASCII 1 cell, the rest 2 (a year's labels)
        return 2 * len(text) - len(text.encode("ascii", "ignore"))
    return sum(map(sizes.__getitem__, text))


def write_table(console, title: str, headers: Sequence[str], right: Sequence[bool],
                rows: Sequence[Sequence[str]]) -> bool:
    """Write a table to ``console`` (a ``rich.console.Console``) as rich would print
    ``Table(title=Text(title))`` with ``headers`` as columns (``right[i]``: column ``i`` is
    right-justified, else left) and ``rows`` of ``Text`` cells (strings).

    Returns True when written; False (nothing written) when rich must lay the table out: a
    console with colour or recording, no rows, a cell or title that is not one line of
    printable characters without leading or trailing blanks, or a table (widths in terminal
    cells: a Chinese character is two) wider than ``console.width``, or a title wider than
    the table."""
    from rich.cells import cell_len  # rich is loaded by the commands that print with it

    if console.color_system is not None or console.record or not rows:
        return False
    if not all(_plain(t) for t in (title, *headers)) or set(map(len, rows)) != {len(headers)}:
        return False
    # each column's distinct cells checked, measured and padded once (a table of 17 k rows
    # repeats its numbers, rates and names); a printable ASCII text is as wide as it is long
    sizes = CharWidths()
    columns = list(zip(*rows))  # the cells column by column
    distinct = [list(set(col)) for col in columns]
    measured, widths = [], []
    for h, values in zip(headers, distinct):
        if not (all(map(str.isprintable, values)) and all(map(str.__eq__, values, map(str.strip, values)))):
            return False  # a cell that is not one line of printable characters without surrounding blanks
        known = {c: len(c) if c.isascii() else text_width(c, sizes) for c in values}
        measured.append(known)
        widths.append(max(cell_len(h), max(known.values())))
    total = sum(widths) + 3 * len(widths) + 1
    tw = cell_len(title)
    if total > console.width or tw > total:
        return False

    def padded(c: str, n: int, w: int, r: bool) -> str:
        """A cell padded to its column's width ``w`` (``n``: its own), one space each side."""
        return f" {' ' * (w - n)}{c} " if r else f" {c}{' ' * (w - n)} "

    # {cell: its padded text and the border after it} per column (the first column's left
    # border too); the body is one list filled column by column (a slice per column: C loops,
    # not a Python step per row and cell) and joined once
    last = len(widths) - 1
    ncol = last + 1
    flat: list[str] = [""] * (len(rows) * ncol)
    for i, (known, col, w, r) in enumerate(zip(measured, columns, widths, right)):
        lead, border = ("│" if i == 0 else ""), ("│\n" if i == last else "│")
        pad = {c: lead + padded(c, n, w, r) + border for c, n in known.items()}
        flat[i::ncol] = map(pad.__getitem__, col)
    left = (total - tw) // 2
    head = [" " * left + title + " " * (total - tw - left),
            "┏" + "┳".join("━" * (w + 2) for w in widths) + "┓",
            "┃" + "┃".join(padded(h, cell_len(h), w, r) for h, w, r in zip(headers, widths, right)) + "┃",
            "┡" + "╇".join("━" * (w + 2) for w in widths) + "┩", ""]
    write = console.file.write  # in three pieces: the body (megabytes) is not copied again
    write("\n".join(head))
    write("".join(flat))
    write("└" + "┴".join("─" * (w + 2) for w in widths) + "┘\n")
    return True


class TextParts:
    """A text file in memory that keeps what is written as it came, joined once by
    :meth:`getvalue` (``io.StringIO`` copies each write into one buffer of 4 bytes a
    character: ~12 MB and a copy more for a year's appraisal table; issue 13)."""

    encoding = None  # as io.StringIO's: rich takes it for UTF-8

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        """Keep ``text``; returns its length, as a file does."""
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        """Nothing to flush."""

    def isatty(self) -> bool:
        """Not a terminal."""
        return False

    def getvalue(self) -> str:
        """Everything written, in order."""
        return "".join(self.parts)


class FileConsole:
    """A stand-in for ``rich.console.Console(file=file, width=width)`` that prints
    :func:`write_table`'s tables and plain one-line texts without loading ``rich.console``
    (and the modules it brings: 10–25 ms of ``county appraise --out FILE``; issue 13), the
    same characters.

    Where the environment could give that console colour or a terminal — ``FORCE_COLOR`` or
    ``TTY_COMPATIBLE`` set, an IPython/Jupyter shell (``get_ipython``), a ``file`` that is a
    terminal — every question and every print goes to the real console (created on first
    use, :attr:`rich`), as they do for anything this class does not print itself (a rich
    ``Table``, a line that is not one line of printable characters within ``width`` cells).
    Otherwise rich's console would have no colour system, no recording and ``width`` columns:
    the answers below."""

    record = False

    def __init__(self, file, width: int) -> None:
        self.file, self._width, self._rich = file, width, None
        isatty = getattr(file, "isatty", None)
        self.plain = ("FORCE_COLOR" not in os.environ and "TTY_COMPATIBLE" not in os.environ
                      and not hasattr(builtins, "get_ipython") and not (isatty is not None and isatty()))

    @property
    def rich(self):
        """The real ``rich.console.Console(file=file, width=width)``, made on first use."""
        if self._rich is None:
            from rich.console import Console  # only when something needs rich's own console

            self._rich = Console(file=self.file, width=self._width)
        return self._rich

    @property
    def color_system(self) -> str | None:
        """None (no colour: a file) unless the environment may say otherwise; then rich's."""
        return None if self.plain else self.rich.color_system

    @property
    def width(self) -> int:
        """The width in terminal cells (rich's, where the environment is not plain)."""
        return self._width if self.plain else self.rich.width

    def __getattr__(self, name: str):  # is_terminal, options, size …: the real console's
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.rich, name)

    def print(self, *objects, **kwargs) -> None:
        """``rich.console.Console.print``: everything goes to the real console."""
        self.rich.print(*objects, **kwargs)

    def print_text(self, text: str) -> None:
        """Print ``text`` as ``print(rich.text.Text(text))`` would (no markup read): written
        with a line break when it is one line of printable characters without surrounding
        blanks within the width and the environment is plain, else by rich."""
        if self.plain and _plain(text) and cell_width(text) <= self._width:
            self.file.write(text + "\n")
            return
        from rich.text import Text

        self.rich.print(Text(text))


def print_text(console, text: str) -> None:
    """Print ``text`` on ``console`` as a plain ``rich.text.Text`` (never read as markup): by
    :meth:`FileConsole.print_text` on a :class:`FileConsole`, else ``console.print(Text(text))``."""
    if isinstance(console, FileConsole):
        console.print_text(text)
        return
    from rich.text import Text  # rich is loaded by the commands that print with it

    console.print(Text(text))


def aligned_lines(rows: Sequence[Sequence], header: Sequence | None = None, *, gap: int = 2,
                  right: Sequence[int] = ()) -> list[str]:
    """``rows`` (sequences of cells; None shows as ``-``) as text lines whose columns line up by
    terminal display width (``rich.cells.cell_len``: a Chinese character is two cells), for the
    CLI's plain tables (:func:`framework.cli.core.echo_table`) and the demo's appraisal.txt.
    ``header``: an optional first row. Columns are ``gap`` spaces apart; the columns in
    ``right`` (indices) are right-justified; the last cell of each row is not padded (a shorter
    row simply ends early) and trailing blanks are dropped; tabs, line breaks and other control
    characters inside a cell show as spaces. No rows and no header: no lines."""
    from rich.cells import cell_len  # rich is loaded by the commands that print with it

    def cell(value) -> str:
        text = "-" if value is None else str(value)
        return "".join(ch if " " <= ch != "\x7f" else " " for ch in text)  # a control character: a space

    table = [[cell(c) for c in r] for r in ([list(header)] if header else []) + [list(r) for r in rows]]
    widths: list[int] = []
    for r in table:
        for i, c in enumerate(r[:-1]):
            if i >= len(widths):
                widths.append(0)
            widths[i] = max(widths[i], cell_len(c))

    def pad(i: int, c: str) -> str:
        gap_ = " " * (widths[i] - cell_len(c))
        return gap_ + c if i in right else c + gap_

    return [(" " * gap).join([pad(i, c) for i, c in enumerate(r[:-1])] + r[-1:]).rstrip() for r in table]


def cell_width(text: str) -> int:
    """``text``'s width in terminal cells (a Chinese character is two): ``rich.cells.cell_len``."""
    from rich.cells import cell_len  # rich is loaded by the commands that print with it

    return cell_len(text)
