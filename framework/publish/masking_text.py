"""Personal data inside free text (conventions §3, issue 15): phone, ID-card and bank-card
numbers in any spelling, e-mail addresses, door numbers of addresses; third-party names are
found by :mod:`framework.publish.masking_names`. :func:`mask_text` is the entry point.

How: the text is normalised (:mod:`framework.publish.masking_normalise`: NFKC, Chinese numerals
-> digits, dashes -> ``-``) with an index map back to the original; rules match on the normalised
text; the ORIGINAL characters are masked, the rest of the original is kept as written.

Numbers. A *digit chain* is a run of digits in which two neighbours may be separated by up to 3
separator characters (space of any width, ``-`` of any kind, ``.``, ``_``; ``)`` only after an
area code in brackets), so ``１３８－１２３４－５６７８``, ``138　1234　5678``,
``1 3 8 1 2 3 4 5 6 7 8``, ``(028)12345678``, ``5106 2319 9001 0112 3X`` and
``6222-0212-3456-7890`` are each one chain. A list or range separator (:data:`WEAK_SEPARATORS`:
``、``, ``～``/``~``/``〜``, ``/``) joins a chain too, but only a number laid out as numbers are
written (:func:`_weak_layout`: ``138、1234、5678``, ``510623、19900101、1234``, a card 62… in
fours) is read across it; each part between them is read on its own as before, so
``2019、2020、2021年`` and ``808、809、202、206、208、210路`` stay. Dates and times (``2026-11-02``, ``2019.12.3``,
``10:00:00``) and e-mail addresses are taken out first and never join a chain. A chain followed
by 元/万/亿/块/美元 (not 元旦/元宵) or after ¥/￥/$/ISBN is an amount (a number) and stays, unless a
phone cue (:data:`PHONE_CUES`: 电话, 联系, 手机 …) comes just before it (``13800000000元`` stays).
Otherwise the chain is read left to right, as written in groups, as the longest known numbers:

1. a mobile (``1[3-9]`` + 9 digits, also after 86 / 0086): first 3 and last 4 kept, what lies
   between becomes ``****`` (``138-1234-5678`` -> ``138****5678``);
2. 18 characters (the last may be X) or 15 digits that read as an ID-card number (area code
   1–8, a birth year 18xx–20xx, a valid month and day): first 6 and last 4 kept, every other
   digit a ``*`` (``5106 23** **** **12 3X``);
3. a landline (starts with 0; area code of 3 digits for 010/02x, else 4, or the first group when
   written in groups; 7–8 local digits): the area code and last 4 kept (``0838-***4567``); a
   service hotline after a cue (``0731-12345``, 5–6 local digits) stays;
4. a bank card (16–19 digits starting 3–6, bare or in groups of four): first and last 4 kept;
5. 7–8 digits, the whole chain, that a phone cue introduces within 8 characters
   (``联系5123456``, ``电话：817-7025``): last 4 kept.

What follows a known number and has 4 digits or fewer stays (a year, an extension:
``0746-8219007 2019年``); any other chain of 11 digits or more — unknown groups first, longer
rests, numbers run together (``1381234567813912345678``) — is masked whole: first 3 and last 4
kept. Shorter chains (case ids, counts, amounts) stay.

Not found (benchmarks/README.md, "Masking recall", lists them): a number split by line breaks,
one written in financial capitals (壹叁捌), an e-mail written ``name(at)example.com``.

E-mail: ``name@example.com`` (also ``＠``, full-width letters) keeps the first character of the
local part: ``n***@example.com``.

Door numbers: after a place word (村, 社区, 小区, 街, 路, 巷, 弄, 苑, 园, 花园, 大厦, 公寓, 院, 湾,
沟, 坝, 坪, 庄, 寨, 屯 …) one or more door tokens — a number (digits, Chinese numerals, 十/百/两)
followed by 组/社/队/号/号院/号楼/栋/幢/座/单元/室, or ``3-2-501``; numbers of 1–4 digits — then a
floor (``12号楼3层``) and a bare room number after 单元/栋/楼/层 (not a count, an area or a time:
``一楼``, ``7-8年``, ``3栋2人``, ``105m2``, ``5000余户``), or a room of 3–4 digits with 室/号, or with
户 after an entrance or a floor (``3层302户``; ``10栋460户`` is a count); without a place word, two
tokens or more (``3组12号``, ``2单元301室``), or a building with a room of 3–4 digits (``3号楼502``,
``5栋302室``; a building with a floor only, ``一栋五层楼房``, is a description), and a room of 3–4
digits with 室 after a building word without a number (``北栋504室``, ``A座1203室``). Each number
becomes one ``*``: ``凯江镇南街45号2单元301室`` -> ``凯江镇南街*号*单元*室``. A single token without a
place word (``12月3号``, ``3号文件``, ``第3组``) is left alone, as are 号线/号文/号令/号召, and village
groups without a door after them (``新建村一组``, ``我们村六组``, ``25组24组``): a 村民小组 is a unit
of the administration, named on boards; with a door it goes too (``柳林沟村3组12号`` ->
``柳林沟村*组*号``, as the address field keeps the village only).
"""

from __future__ import annotations

import re
from typing import Any

from framework.publish.masking_names import name_spans
from framework.publish.masking_normalise import normalise

#: The kinds of personal data :func:`find_personal_data` reports.
KINDS = ("id", "mobile", "landline", "card", "number", "local", "qq", "email", "door", "name")
_DIGITS = frozenset("0123456789")
_AREA_IN_PARENS = re.compile(r"\((0\d{2,3}|1[3-9]\d)\)(?= ?\d)")  # (028)12345678, （138）12345678, (138) 1234
MAX_SEPARATOR_RUN = 3
#: Words that say the number after them is a phone number (rule 6 and the amount exception).
PHONE_CUES = ("电话", "联系", "手机", "热线", "致电", "拨打", "号码", "座机", "微信", "tel", "phone")
_CUE_RE = re.compile("|".join(PHONE_CUES), re.IGNORECASE)
_AMOUNT_AFTER = re.compile(r" ?(?:元(?![旦宵])|万|亿|块钱|块|美元|余元|多元|千元|百元)")
_AMOUNT_BEFORE = re.compile(r"(?:[¥$]|人民币|RMB|ISBN:?) ?$", re.IGNORECASE)
_EMAIL_RE = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*)@([A-Za-z0-9-]+(?:[.。][A-Za-z0-9-]+)*[.。][A-Za-z]{2,})")
_DATE_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}([-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?!\d)"
                      r"|(?<!\d)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?!\d)")
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")

_NUM = r"(?:(?<![0-9])[0-9]{1,4}(?![0-9])|[〇零一二三四五六七八九十百两]{1,4})"
_UNIT = r"(?:号院|号楼|号(?![线文令召称码])|组|社|队|栋|幢|座|单元|室)"
_TOKEN = rf"(?:第?{_NUM}{_UNIT}|附{_NUM}号)"
_PLACE = r"(?:社区|小区|花园|大厦|公寓|新村|街道|胡同|村|街|路|巷|弄|苑|园|院|湾|沟|坝|坪|庄|寨|屯)"
_NOT_DOOR_AFTER = r"(?![0-9-]|[年月日天个点时分秒岁元万人户次期批楼层平米㎡mM余多])"
#: A floor after a building or entrance (``12号楼3层``), and a room: a bare number after a
#: building, entrance or floor, or one of 3–4 digits with 室/号, or with 户 after an entrance or
#: a floor (``3层302户``; ``10栋460户`` and ``5栋30户`` are counts of households and stay).
_FLOOR = rf"(?:(?:(?<=单元)|(?<=[栋幢楼座号])){_NUM}层)"
_ROOM = (rf"(?:(?:(?<=单元)|(?<=层))[0-9]{{3,4}}(?:户|室|号)(?![0-9])|(?<=[栋幢楼座])[0-9]{{3,4}}(?:室|号)(?![0-9])"
         rf"|(?:(?<=单元)|(?<=[栋幢楼座层])){_NUM}{_NOT_DOOR_AFTER})")
_TAIL = rf"(?:{_FLOOR}?{_ROOM}|{_FLOOR})"
_DASHED = rf"(?:{_NUM}(?:-{_NUM}){{1,3}}{_NOT_DOOR_AFTER})"
#: After a place word: any door tokens (or a dashed 3-2-501); without one: two tokens or more.
_DOOR_RE = re.compile(rf"((?:{_TOKEN})+)({_TAIL}|-?{_DASHED})?|({_DASHED})")
_TOKEN_RE = re.compile(_TOKEN)
_GROUP_UNITS = ("组", "社", "队")
_PLACE_BEFORE = re.compile(rf"{_PLACE}$")
_NUM_RE = re.compile(_NUM)
_TAIL_RE = re.compile(_TAIL)
_BUILDING_END = ("号楼", "栋", "幢", "座", "单元")


class _Edits:
    """Masks to apply to the original text: characters replaced by ``*`` one for one, and spans
    replaced by a given string (spans do not overlap; the first one wins)."""

    def __init__(self):
        self.stars: set[int] = set()
        self.spans: list[tuple[int, int, str]] = []
        self.found: list[tuple[str, int, int]] = []  # (kind, start, end) in the original

    def span(self, start: int, end: int, repl: str) -> None:
        if start < end:
            self.spans.append((start, end, repl))

    def apply(self, text: str) -> str:
        if not self.stars and not self.spans:
            return text
        out, pos = [], 0
        for start, end, repl in sorted(self.spans):
            if start < pos:
                continue
            out.append(self._star(text, pos, start))
            out.append(repl)
            pos = end
        out.append(self._star(text, pos, len(text)))
        return "".join(out)

    def _star(self, text: str, start: int, end: int) -> str:
        return "".join("*" if i in self.stars else text[i] for i in range(start, end))


def _chain_view(norm: str) -> tuple[str, list[tuple[int, int]]]:
    """``norm`` as the digit-chain finder reads it — dates, times and e-mail addresses blanked
    out (never part of a chain), a ``)`` closing an area code written in brackets
    (``(028)12345678``) made a separator (nowhere else: ``0000-00000000）2017`` is two
    numbers) — and the e-mails' local parts as (start, end) in ``norm``."""
    emails, blanks = [], []
    if "@" in norm:
        for m in _EMAIL_RE.finditer(norm):
            emails.append(m.span(1))
            blanks.append(m.span())
    blanks += [m.span() for m in _DATE_RE.finditer(norm)]
    closers = [m.end() - 1 for m in _AREA_IN_PARENS.finditer(norm)] if ")" in norm else []
    if not blanks and not closers:
        return norm, emails
    view = list(norm)
    for start, end in blanks:
        view[start:end] = "\0" * (end - start)
    for i in closers:
        view[i] = "-"
    return "".join(view), emails


#: Separators that also write lists and ranges (``、``, ``~``/``～``/``〜``, ``/``): a chain holding
#: one is masked only where it reads as known numbers (``138、1234、5678``), never as a whole
#: unknown number (``2019、2020、2021年`` stays), and not as a card unless it starts 62.
WEAK_SEPARATORS = "、~〜/"
_CHAIN_RE = re.compile(r"[0-9](?:[ \-._%s]{0,%d}[0-9])*" % (WEAK_SEPARATORS, MAX_SEPARATOR_RUN))


def _chains(view: str):
    """Each digit chain of ``view`` (:func:`_chain_view`) of 7 digits or more: the list of its
    digits' positions (an ID's final X too)."""
    for m in _CHAIN_RE.finditer(view):
        if m.end() - m.start() < 7:
            continue
        pos = [i for i in range(m.start(), m.end()) if view[i] in _DIGITS]
        if len(pos) == 17 and m.end() < len(view) and view[m.end()] in "Xx":
            pos.append(m.end())
        if len(pos) >= 7:
            yield pos


def _is_id(d: str) -> bool:
    """``d`` (18 characters or 15 digits) reads as an ID-card number: area code starting 1–8,
    a birth year 18xx–20xx (18 characters), a month 01–12 and a day 01–31."""
    if len(d) == 18:
        year, month, day = d[6:10], d[10:12], d[12:14]
        if year[:2] not in ("18", "19", "20"):
            return False
    else:
        month, day = d[8:10], d[10:12]
    return d[0] in "12345678" and d[:17].isdigit() and "01" <= month <= "12" and "01" <= day <= "31"


def _has_cue(before: str) -> bool:
    """A phone cue in ``before`` (the up-to-8 characters ahead of a chain) with no digit after it."""
    m = None
    for m in _CUE_RE.finditer(before):
        pass
    return m is not None and not any(c in _DIGITS for c in before[m.end():])


def _recognise(d: str, groups: list[int], cue: bool, whole: bool = False, weak: bool = False):
    """The number a segment of a chain is (``d``: its digits, ``groups``: their group lengths as
    written, ``cue``: a phone cue comes just before it, ``whole``: the segment is the whole
    chain — a local number is only ever a whole chain), as ``(kind, plan)`` — plan ``("stars",
    digit indexes)``, ``("mobile", index of its first digit)`` or ``None`` for a number that is
    kept (a service hotline ``0731-12345``) — or None: not a number this module knows. ``weak``:
    the chain holds a list or range separator (:data:`WEAK_SEPARATORS`): only the layouts a
    number is written in count (:func:`_weak_layout`: ``138、1234、5678`` is a mobile,
    ``808、809、202、206、208、210`` — bus routes — is no ID)."""
    if weak and not _weak_layout(d, groups):
        return None
    n = len(d)
    bounds = {sum(groups[:i]) for i in range(1, len(groups))}
    for lead in ("", "86", "0086"):
        if n == 11 + len(lead) and d.startswith(lead) and _MOBILE_RE.fullmatch(d[len(lead):]):
            return "mobile", ("mobile", len(lead))
    if (n == 18 or (n == 15 and len(groups) in (1, 3))) and _is_id(d.upper()):
        if not (11 in bounds and _MOBILE_RE.fullmatch(d[:11])):  # a mobile written against 7 digits
            return "id", ("stars", range(6, n - 4))
    if d[0] == "0" and len(groups) > 1 and groups[0] in (3, 4) and n - groups[0] in (5, 6) and cue:
        return "landline", None  # a service hotline with its area code: 0731-12345, 0731-96111
    if d[0] == "0" and 10 <= n <= 12:
        area = groups[0] if len(groups) > 1 else (3 if d[1] in "12" else 4)
        if area in (3, 4) and n - area in (7, 8):
            return "landline", ("stars", range(area, n - 4))
    if 16 <= n <= 19 and d[0] in "3456" and (len(groups) == 1 or all(g == 4 for g in groups[:-1])):
        return "card", ("stars", range(4, n - 4))
    if cue and whole and 7 <= n <= 8:
        return "local", ("stars", range(0, n - 4))
    return None


def _weak_layout(d: str, groups: list[int]) -> bool:
    """Whether digits ``d`` in ``groups`` (a segment that crosses a list or range separator) are
    laid out as a number is written: a mobile 3-4-4, 3-8 or 7-4; an ID 6-8-4, 6-12 or in fours
    (the last group shorter); a landline 3 or 4 digits then the rest; a card starting 62 in fours."""
    n, g = len(d), tuple(groups)
    if d[0] == "0":
        return 10 <= n <= 12 and len(g) == 2 and g[0] in (3, 4)
    if n == 11:
        return g in ((3, 4, 4), (3, 8), (7, 4))
    if n == 18:
        return g in ((6, 8, 4), (6, 12)) or all(x == 4 for x in g[:-1])
    return d.startswith("62") and all(x == 4 for x in g[:-1])


def _chain_plans(d: str, groups: list[int], before: str, after: str, weak: bool = False):
    """What to mask in a chain of digits ``d`` (``groups``: its group lengths as written;
    ``before``/``after``: the normalised text around it): a list of ``(offset, kind, plan)``.

    The chain is read left to right as the longest known numbers its groups make, so a number
    written against a year or an extension (``0746-8219007 2019``, ``0838-1234567-6105``) is
    masked as that number and the short rest (4 digits or fewer after a known number) stays.
    Anything else left over — unknown groups first, or longer ones — and the whole chain, when
    it has 11 digits or more, is masked as one ``number`` (first 3 and last 4 kept) — unless
    ``weak`` (a list or range separator in the chain): then only the known numbers are masked."""
    cue = _has_cue(before)
    if not cue and (_AMOUNT_AFTER.match(after) or _AMOUNT_BEFORE.search(before)):
        return []
    out, gi, offset, known, doubtful = [], 0, 0, False, False
    while gi < len(groups):
        for k in range(len(groups) - gi, 0, -1):
            size = sum(groups[gi:gi + k])
            found = _recognise(d[offset:offset + size], groups[gi:gi + k], cue and gi == 0, k == len(groups), weak)
            if found:
                kind, plan = found
                if plan:
                    out.append((offset, kind, plan))
                gi, offset, known = gi + k, offset + size, True
                break
        else:
            doubtful = doubtful or not known or groups[gi] > 4
            offset += groups[gi]
            gi += 1
    if doubtful and len(d) >= 11 and not weak:
        return [(0, "number", ("stars", range(3, len(d) - 4)))]
    return out


def _mask_numbers(norm: str, index: list[int], edits: _Edits) -> None:
    if "@" not in norm and sum(map(norm.count, "0123456789")) < 7:
        return
    view, emails = _chain_view(norm)
    for start, end in emails:
        edits.span(index[start] + 1, index[end - 1] + 1, "***")
        edits.found.append(("email", index[start], index[end - 1] + 1))
    for pos in _chains(view):
        if not any(c in WEAK_SEPARATORS for c in norm[pos[0]:pos[-1]]):
            _mask_chain(norm, index, edits, pos, weak=False)
            continue
        # a list or range separator inside: the known numbers that cross one (138、1234、5678),
        # then each part not inside such a number read on its own as usual
        covered = _mask_chain(norm, index, edits, pos, weak=True)
        parts, part = [], [pos[0]]
        for a, b in zip(pos, pos[1:]):
            if any(c in WEAK_SEPARATORS for c in norm[a + 1:b]):
                parts.append(part)
                part = []
            part.append(b)
        for part in [*parts, part]:
            if len(part) >= 7 and not covered.issuperset(part):
                _mask_chain(norm, index, edits, part, weak=False)


def _mask_chain(norm: str, index: list[int], edits: _Edits, pos: list[int], weak: bool) -> set[int]:
    """Mask the numbers of one chain (``pos``: its digits' positions in ``norm``). ``weak``: the
    chain holds a list separator; only numbers that cross one are masked (the parts are read
    on their own). Returns the positions of the digits of the numbers masked."""
    covered: set[int] = set()
    d = "".join(norm[p] for p in pos)
    groups, size = [], 1
    for a, b in zip(pos, pos[1:]):
        if b == a + 1:
            size += 1
        else:
            groups.append(size)
            size = 1
    groups.append(size)
    for offset, kind, (how, what) in _chain_plans(d, groups, norm[max(0, pos[0] - 8):pos[0]],
                                                  norm[pos[-1] + 1:pos[-1] + 5], weak):
        seg = pos[offset:]
        length = what.stop + 4 if how == "stars" else what + 11
        if weak and not any(c in WEAK_SEPARATORS for c in norm[seg[0]:seg[length - 1]]):
            continue
        covered.update(seg[:length])
        if how == "stars":
            edits.stars.update(index[seg[i]] for i in what)
            edits.found.append((kind, index[seg[0]], index[seg[what.stop + 3]] + 1))
        else:
            start = seg[what + 2] + 1  # the 3rd digit's end; a bracket after it stays: （138）****5678
            bracket = norm.find(")", start, seg[what + 3])
            edits.span(index[bracket if bracket >= 0 else start - 1] + 1, index[seg[what + 7]], "****")
            edits.found.append((kind, index[seg[0]], index[seg[what + 10]] + 1))
    return covered


_DOOR_HINT = re.compile(r"[0-9〇零一二三四五六七八九十百两](?:号|组|社|队|栋|幢|座|单元|室|-[0-9])")
_NUMERAL_CHARS = frozenset("0123456789〇零一二三四五六七八九十百两")


def _door_matches(norm: str):
    """The door-number candidates of ``norm`` (:data:`_DOOR_RE` matches), found from where a
    number meets a unit word rather than by trying the pattern at every character."""
    last = 0
    for h in _DOOR_HINT.finditer(norm):
        start = h.start()
        while start > last and norm[start - 1] in _NUMERAL_CHARS:
            start -= 1
        if start > last and norm[start - 1] in "第附":
            start -= 1
        if start < last:
            continue
        m = _DOOR_RE.match(norm, start)
        if m:
            last = m.end()
            yield m


def _mask_doors(norm: str, index: list[int], edits: _Edits) -> None:
    for m in _door_matches(norm):
        if not (m.group(2) or m.group(3)) and all(t.endswith(_GROUP_UNITS) for t in _TOKEN_RE.findall(m.group(1))):
            continue  # 新建村一组, 我们村六组: a village group (村民小组) is a unit, not a door
        place = _PLACE_BEFORE.search(norm, max(0, m.start() - 4), m.start())
        if place:
            end = m.end()
        elif m.group(1) and (len(_TOKEN_RE.findall(m.group(1))) >= 2 or (
                m.group(1).endswith(_BUILDING_END) and m.group(2) and _TAIL_RE.fullmatch(norm, m.start(2), m.end(2))
                and not m.group(2).endswith("层") and sum(c in _DIGITS for c in m.group(2)) >= 3)):
            # two tokens (3组12号), or a building with a room of 3–4 digits (3号楼502, 5栋3层302);
            # a building with a floor only is a description (一栋五层楼房, 11栋18层小高层)
            end = m.end() if m.group(2) and not m.group(2).startswith("-") and _TAIL_RE.fullmatch(
                norm, m.start(2), m.end(2)) else m.end(1)
        else:
            continue
        edits.found.append(("door", index[m.start()], index[end - 1] + 1))
        for num in _NUM_RE.finditer(norm, m.start(), end):
            edits.span(index[num.start()], index[num.end() - 1] + 1, "*")


#: A room of 3–4 digits with 室 right after a building word that has no number of its own
#: (``北栋504室``, ``A座1203室``, ``东单元302室``): the room is a door whatever precedes it.
_BARE_ROOM_RE = re.compile(r"(?:(?<=[栋幢楼座])|(?<=单元))[0-9]{3,4}(?=室)")


def _mask_bare_rooms(norm: str, index: list[int], edits: _Edits) -> None:
    for m in _BARE_ROOM_RE.finditer(norm):
        if any(s <= index[m.start()] < e for kind, s, e in edits.found if kind == "door"):
            continue  # inside a door already found (5栋302室)
        edits.found.append(("door", index[m.start()], index[m.end()] + 1))  # the room and its 室
        edits.span(index[m.start()], index[m.end() - 1] + 1, "*")


#: A QQ number after its cue (``QQ 123456789``, ``qq号：123456789``, ``扣扣``): 5–11 digits.
_QQ_RE = re.compile(r"(?:qq|扣扣)(?:号码|号|群)?[ :是为]{0,3}([1-9][0-9]{4,10})(?![0-9])", re.IGNORECASE)


def _mask_qq(norm: str, index: list[int], edits: _Edits) -> None:
    """A QQ number after its cue keeps its last 4 digits (at most half of them: ``QQ 123456789``
    -> ``QQ *****6789``, ``QQ 12345`` -> ``QQ ***45``); one already masked as a mobile stays so."""
    for m in _QQ_RE.finditer(norm):
        start, end = index[m.start(1)], index[m.end(1) - 1] + 1
        if any(s < end and start < e for kind, s, e in edits.found):
            continue
        n = m.end(1) - m.start(1)
        edits.stars.update(index[i] for i in range(m.start(1), m.end(1) - min(4, n // 2)))
        edits.found.append(("qq", start, end))


#: The characters of a text :func:`_no_number_or_door` can vouch for: printable ASCII, the CJK
#: unified ideographs (U+4E00–U+9FFF: NFKC leaves each as it is; of them only the Chinese
#: numerals are normalised, to digits) and punctuation whose normalised form is one character
#: that is no letter, digit, ``@`` or ``-`` (``（`` -> ``(``; tests/test_masking_fast_path.py checks).
_VOUCHED = re.compile("[\x20-\x7e\u4e00-\u9fff（），：；、。·“”‘’《》！？≥≤]*")
#: What may become a digit of the normalised text (:data:`~framework.publish.masking_normalise.NUMERALS`).
_DIGIT_LIKE = "0123456789〇零一幺二三四五六七八九"
_THREE_DIGIT_LIKE = re.compile(f"[{_DIGIT_LIKE}][^{_DIGIT_LIKE}]*[{_DIGIT_LIKE}][^{_DIGIT_LIKE}]*[{_DIGIT_LIKE}]")
#: :data:`_DOOR_HINT` as it could read in a vouched text before normalising (幺 a digit, any ``-``).
_DOOR_HINT_BEFORE = re.compile(r"[0-9〇零一幺二三四五六七八九十百两](?:号|组|社|队|栋|幢|座|单元|室|-)")


def _no_number_or_door(text: str) -> bool:
    """True when the number, QQ, door and room rules cannot find anything in ``text``, known
    without normalising it (an appraisal's 3,400 metric labels, ``服务完成数（吴超）``: ~20 ms of
    normalising and the first normalisation's tables, ~19 ms, saved; issue 13). False says
    nothing. The proof, rule by rule, for a text of :data:`_VOUCHED` characters (normalised
    one for one: ASCII and the ideographs as written but the numerals, the punctuation to
    no letter, digit, ``@`` or ``-``) without ``@``, ``q``, ``Q`` or ``扣扣`` and with fewer than 3
    of :data:`_DIGIT_LIKE`: its normalised text has fewer than 3 digits and no ``@`` — no
    e-mail, no chain of 7 digits (:func:`_mask_numbers` returns at once), no room of 3–4
    digits (:data:`_BARE_ROOM_RE`) —, no QQ cue (:func:`_mask_qq`), and a door hint
    (:data:`_DOOR_HINT`: a numeral then a unit or ``-``; :func:`_door_matches` starts only
    from one) only where :data:`_DOOR_HINT_BEFORE` finds one in the text itself."""
    return (_VOUCHED.fullmatch(text) is not None and "@" not in text and "q" not in text and "Q" not in text
            and "扣扣" not in text and _THREE_DIGIT_LIKE.search(text) is None
            and _DOOR_HINT_BEFORE.search(text) is None)


def _edits(text: str, names: bool) -> _Edits:
    edits = _Edits()
    if not _no_number_or_door(text):
        norm, index = normalise(text)
        _mask_numbers(norm, index, edits)
        if "q" in norm or "Q" in norm or "扣扣" in norm:
            _mask_qq(norm, index, edits)
        _mask_doors(norm, index, edits)
        _mask_bare_rooms(norm, index, edits)
    if names:
        for start, end, repl in name_spans(text):
            edits.span(start, end, repl)
            edits.found.append(("name", start, end))
    return edits


def find_personal_data(text: str, *, names: bool = True) -> list[tuple[str, str]]:
    """What :func:`mask_text` masks in ``text``, for reviews and benchmarks: ``(kind, the
    original substring)`` in order of position, kind one of :data:`KINDS`.
    ``find_personal_data("电话13812345678")`` -> ``[("mobile", "13812345678")]``."""
    found = sorted(_edits(text, names).found, key=lambda f: (f[1], f[2]))
    return [(kind, text[start:end]) for kind, start, end in found]


def mask_text(text: Any, *, names: bool = True) -> Any:
    """Mask personal data inside free text (rules: the module docstring; names:
    :func:`framework.publish.masking_names.name_spans`).

    ``text``: any value; non-strings are returned as they are. ``names``: also mask third-party
    names (False for the numbers-first pass that runs before a requester's own secrets are
    replaced). Returns the masked string, with every character not masked as written.
    Idempotent: masking masked text changes nothing.
    """
    if not isinstance(text, str) or not text:
        return text
    if _no_number_or_door(text) and (not names or not name_spans(text)):
        return text  # nothing any rule masks (an appraisal's labels): no edits to gather and apply
    return _edits(text, names).apply(text)
