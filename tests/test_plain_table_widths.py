"""plain_table.text_width measures a cell as rich.cells.cell_len does (issue 13: a table's
thousands of distinct Chinese cells measured a character at a time, each character once)."""

from rich.cells import _SINGLE_CELLS, cell_len, get_character_cell_size

from framework.publish.plain_table import CharWidths, text_width


def test_every_bmp_character_as_rich_measures_it():
    sizes = CharWidths()
    bad = [hex(c) for c in range(0x20, 0x10000) if not 0xD800 <= c <= 0xDFFF
           and text_width(chr(c), sizes) != cell_len(chr(c))]
    assert bad == []
    # rich measures a text of "single-cell" characters by its length: each of them is 1 wide
    assert {get_character_cell_size(ch) for ch in _SINGLE_CELLS} == {1}


def test_texts_by_hand():
    sizes = CharWidths()
    assert text_width("柳林沟村", sizes) == 8 and text_width("60.0%（3/5）", sizes) == 12  # 5 + 2 + 3 + 2
    assert text_width("e\u0301", sizes) == 1  # a combining accent takes no cell
    assert text_width("👨\u200d👩", sizes) == cell_len("👨\u200d👩")  # a joined emoji: rich's own rule
    assert text_width("村" * 600, sizes) == 1200
