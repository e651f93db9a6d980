"""Conventions §3, names given after a cue, second round: what a fresh tester found missed or
over-masked (exact strings), and an anonymous requester's phone in every spelling. Each expected
value worked out by hand from the rules (framework/publish/masking_names.py, "Names a citizen
gives after a cue"; masking.py, ``_anonymous_phone_re``)."""

from __future__ import annotations

import pytest

from framework.publish.masking import SecretMap, mask_text, mask_value, requester_secrets
from framework.publish.masking_names import CUE_WORDS, NAME_GOES_ON, SURNAMES

MISSED = [
    # real 附件4 replies: a name after a kin or self cue, then a function character or a verb
    ("你妻子易文君于2018年", "你妻子易某于2018年"),
    ("其父亲曹欣召属贫困户", "其父亲曹某属贫困户"),
    ("父亲杨金圣与大儿子", "父亲杨某与大儿子"),
    ("徐飞鹏儿子徐波迎结婚后", "徐某儿子徐某结婚后"),  # 儿子 after a name is a strong after-cue
    # the name is 苏军欠 (the same reply: 其父亲苏军欠住院), 临时 goes on after it
    ("父亲苏军欠临时救助", "父亲苏某临时救助"),
    ("其父亲苏军欠住院", "其父亲苏某住院"),
    ("父亲苏军欠款三万", "父亲苏某欠款三万"),  # 欠 after a two-character name
    ("母亲严贵玉答道", "母亲严某答道"),
    ("本人陈可实名举报", "本人陈某实名举报"),
    ("姐姐何全金年龄", "姐姐何某年龄"),
    ("哥哥符州权由妈赵秀卵抚", "哥哥符某由妈赵秀卵抚"),  # 赵秀卵抚 runs on: no end after it
    ("哥哥符州权由妈赵秀卵抚养，", "哥哥符某由妈赵某抚养，"),
    # through mask_text
    ("本人王建国和妻子刘芳", "本人王某和妻子刘某"),
    ("本人李娜于2019年", "本人李某于2019年"),
    ("丈夫王强于2019年", "丈夫王某于2019年"),
    ("本人：高明；", "本人：高某；"),
    ("我是高明。", "我是高某。"),
    ("爱人钱芳，", "爱人钱某，"),
    ("本人：高俅；", "本人：高某；"),
    ("我叫“李娜”", "我叫“李某”"),
    ("我叫 赵 敏，", "我叫 赵某，"),
    ("丈夫端木赐出差了", "丈夫端木某出差了"),
    ("本人杨过 今天来访", "本人杨某 今天来访"),
    ("本人是高俅。", "本人是高某。"),
    ("爱人钱多多，", "爱人钱某，"),
    # the kind: other function characters, verbs and titles after the name
    ("儿子吴辉雄多年在广东", "儿子吴某多年在广东"),
    ("儿媳张花道系江西户口", "儿媳张某系江西户口"),
    ("哥哥李培东在协调期间", "哥哥李某在协调期间"),
    ("联系刘芳经理，", "联系刘某经理，"),
    ("我爸赵早宝生前", "我爸赵某生前"),
    ("本人王五说", "本人王某说"),
    # a name found once is masked wherever else it stands in the text
    ("徐飞鹏儿子徐波迎结婚后，徐波迎与妻子", "徐某儿子徐某结婚后，徐某与妻子"),
    ("本人王莉，找王莉办理", "本人王某，找王某办理"),
]

KEPT = [
    ("母亲高血压，", "母亲高血压，"),
    ("我是毕业生，", "我是毕业生，"),
    ("我是应届生，", "我是应届生，"),
    ("我是高中生，", "我是高中生，"),
    ("我是左撇子，", "我是左撇子，"),
    ("本人王府井，", "本人王府井，"),
    ("我叫李娜住在柳林沟", "我叫李某住在柳林沟"),  # the name goes, 住 stays
    # ordinary words of the 附件4 texts after a cue, then a character that may go on after a name
    ("本人房屋是空置的", "本人房屋是空置的"),
    ("本人房产属于南区", "本人房产属于南区"),
    ("本人连续24个月", "本人连续24个月"),
    ("母亲常年重病，", "母亲常年重病，"),
    ("本人曾在K2区", "本人曾在K2区"),
    ("联系车主。", "联系车主。"),
    ("本人成绩。", "本人成绩。"),
    ("本人周一至周五", "本人周一至周五"),
    ("维护妇女儿童权益，", "维护妇女儿童权益，"),
    ("我是安沙镇居民", "我是安沙镇居民"),
    ("联系王先生，", "联系王先生，"),
    ("我是方圆。方圆十里", "我是方某。方圆十里"),  # a weak surname's two-character name is not repeated
    ("邻居欧阳反映；欧阳某电话", "邻居欧某反映；欧阳某电话"),
]


@pytest.mark.parametrize("raw, masked", MISSED + KEPT)
def test_the_testers_strings(raw, masked):
    assert mask_text(raw) == masked
    assert mask_text(masked) == masked  # idempotent


def test_the_word_lists_hold_what_the_rule_says():
    assert {"于", "和", "属", "欠", "答", "实名", "年龄", "结婚", "出差", "今天"} <= set(NAME_GOES_ON)
    assert all(w[0] in SURNAMES for w in CUE_WORDS)  # a word that cannot look like a name need not be listed


ANONYMOUS_SPELLINGS = [
    ("电话（138）12342222。", "电话***********。"),
    ("(138) 1234-2222", "***********"),
    ("138-1234-2222", "***********"),
    ("１３８－１２３４－２２２２", "***********"),
    ("（１３８）１２３４２２２２", "***********"),
    ("一三八一二三四二二二二", "***********"),
    ("1 3 8 1 2 3 4 2 2 2 2", "***********"),
    ("+86 13812342222", "+86 ***********"),
    ("138、1234、2222", "***********"),
    ("（138）12345555", "（138）****5555"),  # another number: 3 + 4 as for anyone
]


@pytest.mark.parametrize("raw, masked", ANONYMOUS_SPELLINGS)
def test_an_anonymous_requesters_phone_in_any_spelling(raw, masked):
    secrets = requester_secrets("王小明", "13812342222", None, None, True)
    assert mask_value(raw, secrets) == masked
    # many requesters in one map (a board's title and notes): the same
    others = [requester_secrets("李四", f"1390000{i:04d}", None, None, True) for i in range(50)]
    assert mask_value(raw, SecretMap.union([*others, secrets])) == masked


def test_an_anonymous_landline_in_brackets():
    secrets = requester_secrets("王小明", "0838-1234567", None, None, True)
    assert mask_value("回访（0838）1234567", secrets) == "回访***********"
    assert mask_value("回访0838 1234567", secrets) == "回访***********"
    # not anonymous: the landline keeps its area code and last 4
    assert mask_value("回访（0838）1234567", requester_secrets("王小明", "0838-1234567", None, None, False)) \
        == "回访（0838）***4567"
