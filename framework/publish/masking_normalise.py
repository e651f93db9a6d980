"""A normalised view of free text with an index map back to the original (personal-data masking,
conventions §3; issue 15).

Masking matches on the normalised text and masks the ORIGINAL characters, so a number written
``１３８－１２３４－５６７８`` or ``一三八一二三四五六七八`` is found like ``138-1234-5678`` while
the output keeps the writer's own characters around what is hidden.

What normalising does, one original character at a time:

* Unicode NFKC: full-width digits, letters and signs become ASCII (``１`` -> ``1``, ``＠`` -> ``@``,
  ``－`` -> ``-``, ``（`` -> ``(``), the ideographic space U+3000 and other spaces become ``' '``;
* Chinese numerals as read out in phone and ID numbers become digits: 〇/零 -> 0, 一/幺 -> 1,
  二 -> 2 … 九 -> 9, when three or more of them are written in a row (separators between them
  allowed: ``一三八 一二三四``) or right against a digit (``18二08023002``); one or two on their
  own stay as they are (张三, 李四, 三三两两), so a name before ``（138…）`` does not become a digit. 十/百/两 are not digits of a written-out number;
* every dash-like character (‐ ‑ ‒ – — ― − ─ ━ ﹣ －) becomes ``-``;
* zero-width characters (U+200B/C/D, U+2060, U+FEFF) are dropped, so they cannot split a number.

Financial capitals (壹贰叁…) are not mapped: they write amounts, not phone numbers.
"""

from __future__ import annotations

import array
import itertools
import operator
import re
import sys
import unicodedata
from collections.abc import Sequence

#: Chinese numerals read out digit by digit (phone numbers, ID numbers).
NUMERALS = {"〇": "0", "零": "0", "一": "1", "幺": "1", "二": "2", "三": "3", "四": "4", "五": "5",
            "六": "6", "七": "7", "八": "8", "九": "9"}
_DASHES = "‐‑‒–—―−─━﹘﹣－"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_CACHE: dict[str, str] = {}
_NUMERAL_RUN = re.compile(r"[〇零一幺二三四五六七八九](?:[\s\-‐‑‒–—―−─━﹘﹣－_＿.．()（）]{0,3}[〇零一幺二三四五六七八九]){2,}"
                          r"|(?<=[0-9０-９])[〇零一幺二三四五六七八九]+|[〇零一幺二三四五六七八九]+(?=[0-9０-９])")


def normalise_char(ch: str) -> str:
    """The normalised form of one character (see the module docstring; a Chinese numeral is
    mapped here whether or not it stands in a run): ``'１'`` -> ``'1'``,
    ``'三'`` -> ``'3'``, ``'—'`` -> ``'-'``, ``'\\u3000'`` -> ``' '``, ``'\\u200b'`` -> ``''``.
    Usually one character; NFKC may give several (``'½'`` -> ``'1⁄2'``) or none. (:func:`normalise`
    keeps a character whose several give no letter, digit or ``@`` as written: ``…``.)"""
    if ch.isascii():
        return ch
    out = _CACHE.get(ch)
    if out is None:
        if ch in NUMERALS:
            out = NUMERALS[ch]
        elif ch in _DASHES:
            out = "-"
        elif ch in _ZERO_WIDTH:
            out = ""
        else:
            out = unicodedata.normalize("NFKC", ch)
            if out.isspace():
                out = " "
        _CACHE[ch] = out
    return out


_ONE_TO_ONE: dict[int, str] | None = None  # ord -> its normalised character, where that differs
_NOT_ONE_TO_ONE: re.Pattern | None = None  # characters normalised to none or several


def _tables() -> tuple[dict[int, str], re.Pattern]:
    """The translation table of every BMP character whose normalised form is one other
    character, and a pattern of those normalised to none or to several that hold a letter, a
    digit or ``@`` (``①``, ``½``, zero-width spaces: the slow path, character by character);
    built on first use, so that most texts are normalised by one ``str.translate``.
    Expansions without any (``…`` -> ``...``) are kept as written: they never matter to a
    match.

    Built in ~12 ms (was ~30 ms, 63 k calls of :func:`normalise_char`; issue 13, an appraisal
    masks its labels): NFKC is applied to the whole BMP at once, each character between NULs
    (a starter that composes with nothing and reorders nothing, so each piece is the
    character's own NFKC), and :func:`normalise_char` is asked only about the characters that
    NFKC changes, the dashes, the zero-width characters and the spaces — every other
    character normalises to itself. The same table and pattern as asking about every
    character (tests/test_masking_tables.py compares them)."""
    global _ONE_TO_ONE, _NOT_ONE_TO_ONE
    if _ONE_TO_ONE is None:
        spaced = _bmp_between_nuls()
        bmp = spaced[0::2]
        nfkc = unicodedata.normalize("NFKC", spaced).split("\x00")
        if len(nfkc) != len(bmp) + 1:  # pragma: no cover - NFKC never makes or eats a NUL
            raise RuntimeError("masking: NFKC of the BMP split into the wrong number of pieces")
        ask = set(itertools.compress(bmp, map(operator.ne, bmp, nfkc)))  # NFKC changes them
        ask.update(re.findall(r"\s", bmp), _DASHES, _ZERO_WIDTH)  # \s: str.isspace's characters
        ask.difference_update(NUMERALS)
        table, odd = {}, []
        for ch in sorted(ask):  # in code order, as a walk over the BMP
            n = normalise_char(ch)
            if len(n) == 1:
                if n != ch:
                    table[ord(ch)] = n
            elif not n or any(c.isalnum() or c == "@" for c in n):
                odd.append(re.escape(ch))
        _NOT_ONE_TO_ONE = re.compile("[" + "".join(odd) + "]")
        _ONE_TO_ONE = table
    return _ONE_TO_ONE, _NOT_ONE_TO_ONE


def _bmp_between_nuls() -> str:
    """Every BMP character from U+0080 but the surrogates, in code order, each followed by a
    NUL (``"\\x80\\x00\\x81\\x00…"``), made from an array of code points (~1 ms; joining 63 k
    ``chr`` results twice took ~7)."""
    codes = array.array("I", itertools.chain(range(0x80, 0xD800), range(0xE000, 0x10000)))
    if codes.itemsize != 4:  # pragma: no cover - a C unsigned int of another size
        return "".join(chr(c) + "\x00" for c in codes)
    spaced = array.array("I", bytes(8 * len(codes)))  # zeros: the NULs
    spaced[0::2] = codes
    return spaced.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


def _tables_by_character() -> tuple[dict[int, str], list[str]]:
    """:func:`_tables`' table and the characters of its pattern, asking :func:`normalise_char`
    about every BMP character one by one (the reference :func:`_tables` is checked against)."""
    table, odd = {}, []
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        if ch in NUMERALS:
            continue
        n = normalise_char(ch)
        if len(n) == 1:
            if n != ch:
                table[code] = n
        elif not n or any(c.isalnum() or c == "@" for c in n):
            odd.append(re.escape(ch))
    return table, odd


def normalise(text: str) -> tuple[str, Sequence[int]]:
    """``text`` normalised, and for each of its characters the index of the original character
    it came from (non-decreasing; a dropped zero-width character has none).

    ``normalise("电话１３８－１２")`` -> ``("电话138-12", range(0, 8))``."""
    if text.isascii():
        return text, range(len(text))
    table, odd = _tables()
    if not odd.search(text):  # one character for one: one translate, the numeral runs, no map
        norm = text.translate(table)
        runs = list(_NUMERAL_RUN.finditer(text))
        if runs:
            chars = list(norm)
            for m in runs:
                for i in range(m.start(), m.end()):
                    chars[i] = NUMERALS.get(text[i], chars[i])
            norm = "".join(chars)
        return norm, range(len(text))
    out: list[str] = []
    index: list[int] = []
    numerals = {i for m in _NUMERAL_RUN.finditer(text) for i in range(m.start(), m.end())}
    for i, ch in enumerate(text):
        n = ch if ch in NUMERALS and i not in numerals else normalise_char(ch)
        if len(n) == 1:
            out.append(n)
            index.append(i)
        else:
            for c in n:
                out.append(c)
                index.append(i)
    return "".join(out), index


def digits_of(text: str, *, check_x: bool = False) -> str:
    """Every digit of ``text`` after normalising (full-width, Chinese numerals), in order:
    ``digits_of("１３８－一二三四")`` -> ``"1381234"``. ``check_x``: keep ``X``/``x`` too (as
    ``X``), the check character of an ID-card number."""
    norm, _ = normalise(str(text))
    keep = "0123456789Xx" if check_x else "0123456789"
    return "".join(c.upper() for c in norm if c in keep)
