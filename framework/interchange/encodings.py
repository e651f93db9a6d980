"""Text encodings of imported files: strict UTF-8 (with or without BOM), else strict GB18030
(which reads GBK and GB2312), or the encoding the operator gives.

A detected decoding must also be plausible (:func:`check_plausible`): Big5 (Traditional
Chinese) or Shift-JIS bytes are mostly valid GB18030 too, and would be stored as nonsense
characters. Text with a replacement character (U+FFFD, or its GBK mojibake 锟斤拷), or whose
non-ASCII characters are too often rare (outside the GB2312 repertoire, or kana, box drawing,
Greek, Cyrillic: what Big5 becomes when read as GB18030), is refused with a request for
``--encoding``; an encoding the operator gives is taken as it is.

文件编码：UTF-8（含 BOM）或 GB18030/GBK，或 ``--encoding`` 指定。
"""

from __future__ import annotations

import codecs

from collections import Counter

from framework.errors import CountyError

#: What detection tries, in order (``--encoding`` reads any other). GB18030 is a superset of
#: GBK and GB2312, so a GBK file is read exactly; nothing else is guessed (a guesser once took a
#: short GBK file for Korean cp949 and stored garbage).
DETECTED_ENCODINGS = ("utf-8", "gb18030")


def decode_text(data: bytes, where: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode file bytes. With ``encoding`` given, use it (an error names the byte offset and
    line). Otherwise UTF-16 when the file starts with its byte-order mark (what Excel saves as
    "Unicode text"), strict UTF-8 (``utf-8-sig`` when the file starts with a BOM), else strict
    GB18030 (which reads GBK and GB2312 too); nothing else is guessed, and a detected decoding
    must pass :func:`check_plausible`. Returns ``(text, encoding name)``; raises CountyError
    naming the file when nothing fits or the detected text is implausible (e.g. Big5)."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise CountyError(f"--encoding {encoding!r}: unknown encoding (try utf-8, gbk, gb18030)") from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise CountyError(f"{where}: line {line}: not valid {encoding} (byte {e.start}); "
                              f"check --encoding") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise CountyError(f"{where}: starts with a UTF-16 byte-order mark but is not valid UTF-16 "
                              f"(byte {e.start}); give --encoding") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise CountyError(f"{where}: line {line}: starts with a UTF-8 BOM but is not valid UTF-8; "
                              f"give --encoding") from None
        check_plausible(text, where, "utf-8-sig")
        return text, "utf-8-sig"
    first_error = None
    for enc in DETECTED_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            first_error = first_error or e
            continue
        check_plausible(text, where, enc)
        return text, enc
    line = data[: first_error.start].count(b"\n") + 1
    raise CountyError(f"{where}: line {line}: neither UTF-8 nor GB18030/GBK text (byte {first_error.start}); "
                      f"give --encoding with the file's encoding (e.g. --encoding big5)")


#: Non-ASCII characters a plausibility check reads (the start of the file).
SAMPLE_CHARS = 1 << 20

#: Text is implausible when more than this share of its non-ASCII characters is rare …
RARE_SHARE = 0.15

#: … and at least this many are (a short file with a rare name or two is fine).
RARE_MIN = 5

#: Blocks that GB2312 holds but Chinese case files do not use; Big5 hanzi read as GB18030 land
#: here (kana, box drawing, Greek, Cyrillic).
_ODD_BLOCKS = ((0x3040, 0x30FF), (0x2500, 0x257F), (0x0370, 0x03FF), (0x0400, 0x04FF))


def _rare(ch: str) -> bool:
    """Whether a non-ASCII character is rare in Chinese case files: outside GB2312 (the common
    6,763 hanzi and the symbols) or in one of :data:`_ODD_BLOCKS`."""
    code = ord(ch)
    if any(lo <= code <= hi for lo, hi in _ODD_BLOCKS):
        return True
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def check_plausible(text: str, where: str, encoding: str) -> None:
    """Refuse a detected decoding that gives implausible text. ``text``: the decoded text (its
    first :data:`SAMPLE_CHARS` characters are read); ``where``: the file, for the message;
    ``encoding``: the detected encoding's name. Raises CountyError (one line naming the file,
    the line and ``--encoding``) when the text holds U+FFFD or 锟斤拷 (bytes already damaged), or,
    read as GB18030, when more than :data:`RARE_SHARE` of its non-ASCII characters, and at least
    :data:`RARE_MIN`, are rare (:func:`_rare`): Big5 or Shift-JIS read as GB18030 (strict UTF-8
    that decodes is taken: Traditional Chinese in UTF-8 is fine). Returns None otherwise."""
    sample = text[:SAMPLE_CHARS]
    for mark in ("\ufffd", "锟斤拷"):
        at = sample.find(mark)
        if at >= 0:
            line = sample.count("\n", 0, at) + 1
            raise CountyError(f"{where}: line {line}: the text read as {encoding} holds replacement characters "
                              f"({mark}): the file was damaged by an earlier conversion, or is in another "
                              f"encoding; give --encoding with the file's encoding (e.g. --encoding big5)")
    if encoding.replace("-", "").lower() not in ("gb18030", "gbk", "gb2312"):
        return  # strict UTF-8 that decodes is UTF-8 (Traditional Chinese in UTF-8 is fine)
    counts = Counter(ch for ch in sample if ch > "\x7f")
    total = sum(counts.values())
    rare = sum(n for ch, n in counts.items() if _rare(ch))
    private = next((ch for ch in counts if 0xE000 <= ord(ch) <= 0xF8FF), None)
    if private:
        at = sample.index(private)
        raise CountyError(f"{where}: line {sample.count(chr(10), 0, at) + 1}: read as {encoding}, the text holds "
                          f"private-use characters (U+{ord(private):04X}): not GB18030/GBK text (Big5?); give "
                          f"--encoding with the file's encoding (e.g. --encoding big5)")
    if not (rare >= RARE_MIN and rare > RARE_SHARE * total):
        big5 = _big5_reading(sample, counts)
        if big5 is not None:
            at = next(i for i, ch in enumerate(sample) if ch > "\x7f")
            b_at = next(i for i, ch in enumerate(big5) if ch > "\x7f")
            raise CountyError(f"{where}: line {sample.count(chr(10), 0, at) + 1}: read as {encoding} the text is "
                              f"unlikely ({sample[at:at + 8].split(chr(10))[0]!r}), read as Big5 it is "
                              f"{big5[b_at:b_at + 8].split(chr(10))[0]!r}; give "
                              f"--encoding with the file's encoding (e.g. --encoding big5)")
    else:
        raise CountyError(f"{where}: read as {encoding}, {rare} of its {total} non-ASCII characters are rare "
                          f"(Traditional Chinese Big5 or another encoding read as {encoding}?); give --encoding "
                          f"with the file's encoding (e.g. --encoding big5)")


def _common(ch: str, codec: str, leads: tuple[tuple[int, int], ...]) -> bool:
    try:
        lead = ch.encode(codec)[0]
    except UnicodeEncodeError:
        return False
    return any(lo <= lead <= hi for lo, hi in leads)


#: The lead bytes of each encoding's symbols and frequent hanzi (GB2312 level 1: B0–D7; Big5
#: frequent: A4–C6).
_GB_COMMON = ((0xA1, 0xA3), (0xB0, 0xD7))
_BIG5_COMMON = ((0xA1, 0xA3), (0xA4, 0xC6))


def _big5_reading(sample: str, counts: Counter) -> str | None:
    """Whether the bytes of ``sample`` (text read as GB18030; ``counts``: its non-ASCII
    characters) are also strict Big5 whose reading has a larger share of frequent characters
    (Big5 symbols and frequent hanzi) than the GB18030 reading has of its own (GB2312 symbols
    and level-1 hanzi). Catches a Big5 file of a few characters that the rare-share rule lets
    through (``事項`` read as GB18030 is ``ㄆ兜``); a GBK file is never read better as Big5: its
    frequent hanzi are Big5's rare ones or invalid Big5. Returns the Big5 reading when it reads
    better, else None."""
    try:
        big5 = sample.encode("gb18030").decode("big5")
    except (UnicodeError, LookupError):
        return None
    b_counts = Counter(ch for ch in big5 if ch > "\x7f")
    b_total, total = sum(b_counts.values()), sum(counts.values())
    if not b_total or not total:
        return None
    gb_share = sum(n for ch, n in counts.items() if _common(ch, "gb2312", _GB_COMMON)) / total
    big5_share = sum(n for ch, n in b_counts.items() if _common(ch, "big5", _BIG5_COMMON)) / b_total
    return big5 if big5_share > gb_share else None
