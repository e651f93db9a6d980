"""plain_table.text_width's shortcut for texts of printable ASCII and wide CJK characters (issue
13: a year's 3,400 labels measured at once, not a character at a time): the width rich gives,
in every Unicode version rich knows from 5.2 on, and not taken where UNICODE_VERSION is set."""

from __future__ import annotations

import random

from rich._unicode_data._versions import VERSIONS
from rich.cells import cell_len, get_character_cell_size

from framework.publish.plain_table import _ASCII_OR_WIDE, CharWidths, text_width

WIDE = [c for lo, hi in ((0x3001, 0x302A), (0x4E00, 0xA000), (0xFF01, 0xFF61)) for c in range(lo, hi)]


def test_the_wide_ranges_are_wide_in_every_version_from_5_2():
    chars = "".join(map(chr, WIDE))
    assert _ASCII_OR_WIDE.fullmatch(chars) and not _ASCII_OR_WIDE.fullmatch("\u3000") \
        and not _ASCII_OR_WIDE.fullmatch("\uff61") and not _ASCII_OR_WIDE.fullmatch("\x7f")
    recent = [v for v in VERSIONS if tuple(map(int, v.split("."))) >= (5, 2)]
    assert len(recent) >= 15
    for version in recent:
        assert {get_character_cell_size(chr(c), version) for c in WIDE} == {2}, version
    assert get_character_cell_size("\u9fbc", "5.0.0") == 1  # why UNICODE_VERSION turns the shortcut off


def test_mixed_texts_as_rich_measures_them():
    rng = random.Random(13)
    pool = "abc 019%/.-（）：，、。村民张三好评率服务完成数·—é\u0301ｶ"
    sizes = CharWidths()
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 20)))
        assert text_width(text, sizes) == cell_len(text), text
    assert text_width("85.6%（1541/1800）", sizes) == 18 and text_width("好评率（石娟俊）", sizes) == 16


def test_no_shortcut_where_unicode_version_is_set(monkeypatch):
    monkeypatch.setenv("UNICODE_VERSION", "5.0.0")
    sizes = CharWidths()
    assert sizes.ranges is False and text_width("村民", sizes) == 4 and sizes == {"村": 2, "民": 2}
