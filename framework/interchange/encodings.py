"""Text encodings of imported files: strict UTF-8 (with or without BOM), else strict GB18030
(which reads GBK and GB2312), or the encoding the operator gives.

文件编码：UTF-8（含 BOM）或 GB18030/GBK，或 ``--encoding`` 指定。
"""

from __future__ import annotations

import codecs

from framework.errors import CountyError

#: What detection tries, in order (``--encoding`` reads any other). GB18030 is a superset of
#: GBK and GB2312, so a GBK file is read exactly; nothing else is guessed (a guesser once took a
#: short GBK file for Korean cp949 and stored garbage).
DETECTED_ENCODINGS = ("utf-8", "gb18030")


def decode_text(data: bytes, where: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode file bytes. With ``encoding`` given, use it (an error names the byte offset and
    line). Otherwise strict UTF-8 (``utf-8-sig`` when the file starts with a BOM), else strict
    GB18030 (which reads GBK and GB2312 too); nothing else is guessed.
    Returns ``(text, encoding name)``; raises CountyError naming the file when nothing fits."""
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
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise CountyError(f"{where}: line {line}: starts with a UTF-8 BOM but is not valid UTF-8; "
                              f"give --encoding") from None
    first_error = None
    for enc in DETECTED_ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as e:
            first_error = first_error or e
    line = data[: first_error.start].count(b"\n") + 1
    raise CountyError(f"{where}: line {line}: neither UTF-8 nor GB18030/GBK text (byte {first_error.start}); "
                      f"give --encoding with the file's encoding (e.g. --encoding big5)")
