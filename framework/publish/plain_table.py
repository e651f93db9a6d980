"""Rich's table look without rich's layout engine, for big tables printed without colour.

``county appraise`` prints tables of a thousand rows and more (one per unit, method and tier);
rich measures, wraps and styles every cell on its way, seconds of work for a table that fits
the console as it is. :func:`write_table` writes exactly the characters ``rich`` writes for a
``Table`` of plain ``Text`` cells in the default box (``HEAVY_HEAD``) with the default padding
(one space each side), when nothing needs rich: no colour (a file, a pipe), every cell one line
of printable characters without surrounding blanks, the table and its title within the
console's width. Otherwise it writes nothing and says so, and the caller lets rich print.
"""

from __future__ import annotations

from collections.abc import Sequence


def _plain(text: str) -> bool:
    return text == text.strip() and text.isprintable()


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
    if not all(_plain(t) for t in (title, *headers)) or not all(_plain(c) for r in rows for c in r):
        return False
    if any(len(r) != len(headers) for r in rows):
        return False
    widths = [cell_len(h) for h in headers]
    for r in rows:
        for i, c in enumerate(r):
            n = cell_len(c)
            if n > widths[i]:
                widths[i] = n
    total = sum(widths) + 3 * len(widths) + 1
    tw = cell_len(title)
    if total > console.width or tw > total:
        return False

    def line(cells: Sequence[str], edge: str, sep: str) -> str:
        """One row: each cell padded to its column's width, one space each side."""
        parts = []
        for c, w, r in zip(cells, widths, right):
            pad = " " * (w - cell_len(c))
            parts.append(f" {pad}{c} " if r else f" {c}{pad} ")
        return edge + sep.join(parts) + edge

    left = (total - tw) // 2
    out = [" " * left + title + " " * (total - tw - left),
           "┏" + "┳".join("━" * (w + 2) for w in widths) + "┓",
           line(headers, "┃", "┃"),
           "┡" + "╇".join("━" * (w + 2) for w in widths) + "┩"]
    out.extend(line(r, "│", "│") for r in rows)
    out.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    console.file.write("\n".join(out) + "\n")
    return True
