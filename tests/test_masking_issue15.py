"""Issue 15, part 1: personal data that leaked in other spellings, by the issue's own examples
(all values fictional) — in free text, in requester fields, and through a public writer
(``county export --format csv --public``) — and the ordinary text that must stay as written."""

import csv
import io

import pytest

from deployments import mini_zhongjiang
from framework.publish.masking import (
    mask_address, mask_email, mask_id_number, mask_phone, mask_record, mask_text, mask_value, requester_secrets,
)
from framework.publish.masking_text import find_personal_data

NOW = "2026-11-05T10:00:00+08:00"


@pytest.mark.parametrize("raw, masked", [
    # phones: full-width digits and separators, every dash, underscore, ideographic space, spaced digits
    ("电话１３８-１２３４-５６７８请回电", "电话１３８****５６７８请回电"),
    ("电话138－1234－5678。", "电话138****5678。"),
    ("电话138—1234—5678。", "电话138****5678。"),
    ("电话138_1234_5678。", "电话138****5678。"),
    ("手机138　1234　5678，", "手机138****5678，"),
    ("号码是1 3 8 1 2 3 4 5 6 7 8。", "号码是1 3 8****5 6 7 8。"),
    # Chinese numerals, with 〇/零 for 0 and 幺 for 1
    ("手机一三八一二三四五六七八", "手机一三八****五六七八"),
    ("一三八〇二三四五六七八", "一三八****五六七八"),
    ("幺三八零二三四五六七八", "幺三八****五六七八"),
    # a landline with a full-width hyphen; a 7-digit local number a cue introduces
    ("座机0838－1234567", "座机0838－***4567"),
    ("电话5123456", "电话***3456"),
    ("请联系５１２３４５６", "请联系***３４５６"),
    # an ID number in groups of four, full-width too
    ("身份证5106 2319 9001 0112 3X。", "身份证5106 23** **** **12 3X。"),
    ("身份证５１０６ ２３１９ ９００１ ０１１２ ３Ｘ。", "身份证５１０６ ２３** **** **１２ ３Ｘ。"),
    # e-mail, full-width ＠ too
    ("邮箱wxm@example.com。", "邮箱w***@example.com。"),
    ("邮箱ｗｘｍ＠example.com。", "邮箱ｗ***＠example.com。"),
    # bank cards in groups: first 4 and last 4 kept
    ("卡号6222 0212 3456 7890 123。", "卡号6222 **** **** ***0 123。"),
    ("卡号6222-0212-3456-7890。", "卡号6222-****-****-7890。"),
    # addresses down to the door: the place stays, each number becomes one *
    ("住柳林沟村3组12号，", "住柳林沟村*组*号，"),
    ("住凯江镇南街45号2单元301室。", "住凯江镇南街*号*单元*室。"),
    ("住幸福路88号3栋2单元501。", "住幸福路*号*栋*单元*。"),
    ("住三组十二号。", "住*组*号。"),
    # third parties a cue marks
    ("李四光反映路灯不亮", "李某反映路灯不亮"),
    ("村民张三丰家门口积水", "村民张某家门口积水"),
    ("户主王五，住柳林沟村", "户主王某，住柳林沟村"),
    ("欧阳明华等人来访", "欧阳某等人来访"),
    # names listed with one a cue marks (、/和/与/及)
    ("张三、李四光反映", "张某、李某反映"),
    ("村民王五和赵六家", "村民王某和赵某家"),
    ("承包商贺良、陈勇国等人最近", "承包商贺某、陈某等人最近"),
    # one numeral typed among digits
    ("手机18二08023002。", "手机18二****3002。"),
    # two numbers joined by a space: each masked by its own rule, the year after a number stays
    ("电话0746-8219007 2019年", "电话0746-***9007 2019年"),
    ("13812345678 2019年", "138****5678 2019年"),
])
def test_issue_examples_in_free_text(raw, masked):
    assert mask_text(raw) == masked
    assert mask_text(masked) == masked


@pytest.mark.parametrize("text", [
    "共计13800000000元", "补助13800000000.50元", "￥13800000000", "总投资2000万元，补助1800元",
    "2019年12月3日", "2019-12-03 13:45:00受理", "2019.12.3", "2026-11-02T10:00:00+08:00",
    "案件zj-000123、zj-1000000已办结", "单位zj.fx.llg", "全村120户、3组5户受灾", "12月3号到场", "3号文件",
    "第3组", "三组道路损毁", "新建村一组公示", "拆迁只拆我们村六组", "东路村25组24组23组田垅", "地铁3号线", "服务热线0731-12345", "ISBN 978-7-80552-263-0",
    "全国反映强烈", "向企业反映", "简单说", "符合国家规定", "王家湾修路", "王书记说", "李主任反映", "张某反映",
    "大家反映", "联系我们2019年",
])
def test_ordinary_text_stays(text):
    assert mask_text(text) == text
    assert find_personal_data(text) == []


def test_what_was_found_is_reported_by_kind():
    assert find_personal_data("李四光反映：电话138-1234-5678，住柳林沟村3组12号，邮箱wxm@example.com") == [
        ("name", "李四光"), ("mobile", "138-1234-5678"), ("door", "3组12号"), ("email", "wxm")]


@pytest.mark.parametrize("raw, masked", [
    ("１３８－１２３４－５６７８", "138****5678"), ("一三八一二三四五六七八", "138****5678"),
    ("138　1234　5678", "138****5678"), ("0838－1234567", "0838-***4567"), ("+86 138-1234-5678", "138****5678"),
])
def test_phone_field_in_any_spelling(raw, masked):
    assert mask_phone(raw) == masked


def test_id_email_and_address_fields():
    assert mask_id_number("5106 2319 9001 0112 3X") == "510623********123X"
    assert mask_id_number("５１０６２３１９９００１０１１２３Ｘ") == "510623********123X"
    assert mask_email("wxm@example.com") == "w***@example.com"
    assert mask_email("ｗｘｍ＠example.com") == "w***@example.com"
    assert mask_email("不是邮箱13812345678") == "不是邮箱138****5678"
    assert mask_address("凯江镇南街45号2单元301室") == "凯江镇南街"
    assert mask_address("旌阳区幸福路88号3栋2单元501") == "旌阳区幸福路"
    assert mask_address("富兴镇柳林沟村3组12号") == "富兴镇柳林沟村"
    assert mask_record({"email": "wxm@example.com", "requester_phone": "１３８－１２３４－５６７８",
                        "note": "另一联系人ｌｉ＠example.com"}, {}) == {
        "email": "w***@example.com", "requester_phone": "138****5678", "note": "另一联系人ｌ***＠example.com"}


def test_an_anonymous_requesters_name_becomes_anonymous_not_a_surname():
    # the name rule (张三丰反映 -> 张某反映) runs after the requester's own secrets are replaced
    secrets = requester_secrets("张三丰", None, None, None, True)
    assert mask_value("张三丰反映路灯，邻居李四光反映同样问题", secrets) == "匿名反映路灯，邻居李某反映同样问题"


def test_public_csv_export_masks_every_spelling(init_county):
    run = init_county(mini_zhongjiang())
    run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "李四光反映路灯，电话１３８－１２３４－５６７８",
        "--category", "livelihood", "--channel", "five_visits", "--requester-name", "赵大海",
        "--requester-address", "凯江镇南街45号2单元301室",
        "--description", "身份证5106 2319 9001 0112 3X，卡号6222-0212-3456-7890，邮箱wxm＠example.com，"
                         "住柳林沟村3组12号，手机一三八〇二三四五六七八，座机0838－1234567，联系5123456，补助13800000000元",
        "--set", "requester_profile=村民张三丰家，电话138_1234_5678", "--set", "visit_type=villager", "--now", "2026-11-02T10:00", "--json")
    text = run("export", "--format", "csv", "--public", "--now", NOW).stdout
    [row] = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["title"] == "李某反映路灯，电话１３８****５６７８"
    assert row["description"] == ("身份证5106 23** **** **12 3X，卡号6222-****-****-7890，邮箱w***＠example.com，"
                                  "住柳林沟村*组*号，手机一三八****五六七八，座机0838－***4567，联系***3456，补助13800000000元")
    assert row["requester_name"] == "赵某" and row["requester_address"] == "凯江镇南街"
    assert '"requester_profile": "村民张某家，电话138****5678"' in row["extra"]
    for raw in ("李四光", "1234", "2319 9001", "0212-3456", "wxm", "3组12号", "二三四", "5123", "张三丰", "45号"):
        assert raw not in text, raw
