"""The masker's normalising tables (framework.publish.masking_normalise._tables), built from one
NFKC of the whole BMP since issue 13, are the tables a walk over every character builds."""

from framework.publish import masking_normalise as mn


def test_tables_are_the_character_by_character_ones():
    table, pattern = mn._tables()
    ref_table, ref_odd = mn._tables_by_character()
    assert table == ref_table and list(table) == list(ref_table)
    assert pattern.pattern == "[" + "".join(ref_odd) + "]"
    # a few by hand: full-width digit and sign, ideographic space, a dash; ⑩ and ½ expand
    assert table[ord("１")] == "1" and table[ord("＠")] == "@" and table[0x3000] == " " and table[ord("—")] == "-"
    assert table[ord("①")] == "1" and pattern.search("⑩") and pattern.search("½") and pattern.search("\u200b")
    assert not pattern.search("…")  # three dots: no letter, digit or @
    assert ord("三") not in table  # numerals are mapped by runs, not by the table
