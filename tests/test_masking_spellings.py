"""Property: personal data written in any of its usual spellings (issue 15) — separators of every
kind, full-width digits, Chinese numerals, groups of four, ＠ — embedded in Chinese text, does not
survive :func:`mask_text`, and every character around it does.

Each test builds ``prefix + written + suffix`` from a filler that holds no digit, numeral, cue
word or place word, and asserts the exact digits left (what the rule keeps: a mobile's first 3
and last 4, an ID's first 6 and last 4, a landline's area code and last 4, a card's first and
last 4), the exact text around it, and that masking again changes nothing.
"""

import re

from hypothesis import given, settings, strategies as st

from framework.publish.masking import mask_text
from framework.publish.masking_normalise import digits_of

FILLER = st.text("的在是修理水费用问题请尽快处谢积灯坏门前后清扫垃圾噪音扰，。；！？ abc", max_size=8)
HAN_FILLER = st.text("的在是修理水费用问题请尽快处谢积灯坏门前后清扫垃圾噪音扰，。；！？", max_size=8)
SEPARATORS = ["-", "－", "—", "–", "_", " ", "\u3000", ".", "‐", " - "]
FULL = str.maketrans("0123456789Xx", "０１２３４５６７８９ＸＸ")
PROPS = settings(max_examples=80, deadline=None)


def chinese(digits: str, zero: str, one: str) -> str:
    return "".join({"0": zero, "1": one}.get(d, "〇一二三四五六七八九"[int(d)]) for d in digits)


@st.composite
def spelled(draw, digits: str, layouts: list[list[int]]):
    """``digits`` in one layout (group sizes), each gap with a separator drawn on its own, the
    whole number in ASCII, full-width or Chinese numerals (〇/零 for 0, 一/幺 for 1)."""
    layout = draw(st.sampled_from(layouts))
    groups, i = [], 0
    for size in layout:
        groups.append(digits[i:i + size])
        i += size
    style = draw(st.sampled_from(["ascii", "full", "chinese"]))
    if style == "full":
        groups = [g.translate(FULL) for g in groups]
    elif style == "chinese":
        zero, one = draw(st.sampled_from("〇零")), draw(st.sampled_from("一幺"))
        groups = [chinese(g, zero, one) for g in groups]
    out = groups[0]
    for g in groups[1:]:
        out += draw(st.sampled_from(SEPARATORS)) + g
    return out


def check(prefix: str, written: str, suffix: str, kept_digits: str) -> str:
    text = prefix + written + suffix
    out = mask_text(text)
    assert out.startswith(prefix) and out.endswith(suffix), (text, out)
    assert digits_of(out, check_x=True) == kept_digits, (text, out)
    assert mask_text(out) == out
    return out


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
MOBILE_LAYOUTS = [[11], [3, 4, 4], [3, 8], [7, 4], [1] * 11]


@PROPS
@given(FILLER, st.data(), mobiles, FILLER)
def test_mobile_in_any_spelling(prefix, data, mobile, suffix):
    written = data.draw(spelled(mobile, MOBILE_LAYOUTS))
    lead = data.draw(st.sampled_from(["", "+86 ", "+86-"]))
    out = check(prefix, lead + written, suffix, ("86" if lead else "") + mobile[:3] + mobile[-4:])
    assert "****" in out


def id_number(area: str, year: int, month: int, day: int, seq: str) -> str:
    body = f"{area}{year}{month:02d}{day:02d}{seq}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


ids = st.builds(id_number, st.from_regex(r"[1-6][0-9]{5}", fullmatch=True), st.integers(1930, 2010),
                st.integers(1, 12), st.integers(1, 28), st.from_regex(r"[0-9]{3}", fullmatch=True))


@PROPS
@given(FILLER, st.data(), ids, FILLER)
def test_id_number_in_any_spelling(prefix, data, number, suffix):
    # groups of four (5106 2319 9001 0112 3X), 6-8-4, bare; ASCII, full-width or Chinese numerals
    written = data.draw(spelled(number[:17], [[17], [4, 4, 4, 4, 1], [6, 8, 3]]))
    check_char = number[17]
    if check_char == "X":
        check_char = data.draw(st.sampled_from(["X", "x", "Ｘ"]))
    elif not written[-1].isascii():
        check_char = check_char.translate(FULL) if "０" <= written[-1] <= "９" else chinese(check_char, "〇", "一")
    check(prefix, written + check_char, suffix, number[:6] + number[-4:])


@PROPS
@given(FILLER, st.data(), st.sampled_from(["010", "021", "028", "0838", "0731", "0746"]),
       st.from_regex(r"[2-8][0-9]{6,7}", fullmatch=True), FILLER)
def test_landline_in_any_spelling(prefix, data, area, local, suffix):
    sep = data.draw(st.sampled_from(SEPARATORS + ["", "(", "（"]))
    number = f"({area}){local}" if sep == "(" else f"（{area}）{local}" if sep == "（" else area + sep + local
    if data.draw(st.booleans()):
        number = number.translate(FULL)
    check(prefix, number, suffix, area + local[-4:])


@PROPS
@given(HAN_FILLER, st.sampled_from(["电话", "联系", "联系电话：", "手机 ", "拨打", "座机号码"]),
       st.from_regex(r"[2-9][0-9]{6}", fullmatch=True), st.sampled_from(["", "-", "－", " "]),
       st.booleans(), HAN_FILLER)
def test_local_number_after_a_phone_cue(prefix, cue, local, sep, full, suffix):
    written = local[:3] + sep + local[3:]
    check(prefix + cue, written.translate(FULL) if full else written, suffix, local[-4:])


def luhn(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


cards = st.one_of(st.from_regex(r"62[0-9]{13}", fullmatch=True), st.from_regex(r"62[0-9]{16}", fullmatch=True)).map(luhn)


@PROPS
@given(FILLER, st.data(), cards, FILLER)
def test_bank_card_in_any_spelling(prefix, data, card, suffix):
    layouts = [[len(card)], [4] * (len(card) // 4) + ([len(card) % 4] if len(card) % 4 else [])]
    written = data.draw(spelled(card, layouts))
    check(prefix, written, suffix, card[:4] + card[-4:])


@PROPS
@given(HAN_FILLER, st.from_regex(r"[a-z0-9][a-z0-9._]{2,11}", fullmatch=True),
       st.sampled_from(["example.com", "qq.com", "163.com", "mail.example.cn"]), st.booleans(), HAN_FILLER)
def test_email_in_any_spelling(prefix, local, domain, full, suffix):
    written = f"{local}@{domain}"
    if full:
        written = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in written)
    out = mask_text(prefix + written + suffix)
    assert out == prefix + written[0] + "***" + written[len(local):] + suffix
    assert mask_text(out) == out


PLACES = ["柳林沟村", "凯江镇南街", "幸福路", "城东社区", "南湖小区", "建设巷"]
DOORS = ["{a}组{b}号", "{b}号{c}栋{d}单元{e}室", "{b}号{c}栋{d}单元{e}", "{a}社{b}号", "{c}栋{d}单元{e}室",
         "{b}号院{c}号楼{e}室"]
CHINESE_SMALL = "一二三四五六七八九十"


@PROPS
@given(HAN_FILLER, st.sampled_from(PLACES), st.sampled_from(DOORS), st.lists(st.integers(1, 999), min_size=5, max_size=5),
       st.sampled_from(["ascii", "full", "chinese"]), HAN_FILLER)
def test_door_number_after_the_place_is_masked(prefix, place, door, numbers, style, suffix):
    def write(n):
        if style == "full":
            return str(n).translate(FULL)
        if style == "chinese" and n <= 10:
            return CHINESE_SMALL[n - 1]
        return str(n)
    values = dict(zip("abcde", (write(n) for n in numbers)))
    written = door.format(**values)
    out = mask_text(prefix + place + written + suffix)
    assert out == prefix + place + door.format(**dict.fromkeys("abcde", "*")) + suffix, (written, out)
    assert not re.search(r"[0-9０-９]", out)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱郭何罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁沈任姚卢傅钟"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华玉平刚桂辉鑫建红霞兰凤梅琴云莲珍荣林燕萍雪琳晶婷颖慧倩"
TEMPLATES = ["{n}反映", "村民{n}家", "户主{n}，", "{n}等人", "业主{n}说", "{n}之子", "居民{n}。", "{n}来电称"]


@PROPS
@given(HAN_FILLER, st.sampled_from(SURNAMES), st.text(GIVEN, min_size=1, max_size=2), st.sampled_from(TEMPLATES),
       HAN_FILLER)
def test_third_party_name_a_cue_marks(prefix, surname, given_name, template, suffix):
    text = prefix + "。" + template.format(n=surname + given_name) + suffix
    out = mask_text(text)
    assert out == prefix + "。" + template.format(n=surname + "某") + suffix, (text, out)
    assert mask_text(out) == out
