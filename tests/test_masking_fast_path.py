"""masking_text's fast path (issue 13): a text whose characters and digits show that the
number, QQ, door and room rules cannot find anything is not normalised; what mask_text and
find_personal_data return is the same as without the fast path, for every text."""

from __future__ import annotations

import random

import pytest

from framework.publish import masking_text as mt
from framework.publish.masking_normalise import NUMERALS, normalise, normalise_char

# characters the rules turn on: digits of all spellings, numerals, units, place words, cues,
# e-mail and QQ signs, dashes, spaces, brackets; surnames, given names and name cues
ALPHABET = list("0123456789１２３〇零一幺二三四五六七八九十百两号组社队栋幢座单元室楼层户村路街小区院"
                "@＠qQ扣-—－ ()（）：:，、。·“”/~" "电话联系手机王李张欧阳三丰伟芳娜反映村民群众本人我叫投诉"
                "好评率服务完成数效果评分（）巡访") + ["138", "1381234", "5678", "0838-", "qq", "扣扣", "3组12号",
                                                        "单元", "号楼", "栋302室", "联系人", "举报人",
                                                        "138 1234 5678", "一三八一二三四五六七八", "0838-1234567"]


def _slow(monkeypatch, f, text):
    with monkeypatch.context() as m:
        m.setattr(mt, "_no_number_or_door", lambda text: False)
        return f(text)


def test_vouched_characters_normalise_as_the_proof_says():
    for ch in "（），：；、。·“”‘’《》！？≥≤":
        n = normalise_char(ch)
        assert len(n) == 1 and not n.isalnum() and n not in "@-", ch
    for code in range(0x4E00, 0xA000):
        ch = chr(code)
        assert ch in NUMERALS or normalise_char(ch) == ch
    assert normalise("优质服务小组（东长村：治安巡逻小组）")[0] == "优质服务小组(东长村:治安巡逻小组)"


@pytest.mark.parametrize("text, vouched", [
    ("服务完成数（吴超）", True), ("优质服务小组（东长村：治安巡逻小组）", True), ("联户数（标准≥25户）", True),
    ("两巡完成率（早巡+晚巡/应巡）", True), ("按期办结率（溆浦县报告96%）", True),
    ("量化考核·群众满意度", True), ("村民张三丰家", True),  # names are still looked for
    ("报告965", False), ("一三八", False), ("3组", False), ("三号楼", False), ("五-", False),
    ("a@b", False), ("qq", False), ("扣扣", False), ("１", False), ("x\ty", False), ("ǅ", False),
])
def test_which_texts_are_vouched_for(text, vouched):
    assert mt._no_number_or_door(text) is vouched


def test_the_same_as_the_rules_on_random_texts(monkeypatch):
    rng = random.Random(13)
    vouched = changed = 0
    for _ in range(6000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 14)))
        fast = (mt.mask_text(text), mt.find_personal_data(text))
        assert fast == (_slow(monkeypatch, mt.mask_text, text), _slow(monkeypatch, mt.find_personal_data, text)), text
        if mt._no_number_or_door(text):
            vouched += 1
            changed += fast[0] != text
    assert vouched > 1000 and changed > 0  # the fast path ran, names masked on it too


def test_a_name_on_the_fast_path_is_masked():
    assert mt._no_number_or_door("村民张三丰家反映")
    assert mt.mask_text("村民张三丰家反映") == "村民张某家反映"
    assert mt.find_personal_data("举报人：李四光") == [("name", "李四光")]
