"""Masking rules of conventions §3 (framework.publish.masking) and County.mask_board, by example."""

import datetime as dt

import pytest

from framework.publish.masking import (
    mask_address, mask_id_number, mask_name, mask_phone, mask_record, mask_text, mask_value, requester_secrets,
)
from framework.models import Board, BoardSection, Requester


def test_field_rules():
    assert mask_name("张三丰") == "张某"
    assert mask_name("Li Lei") == "L***"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "138****5678"
    assert mask_phone("0838-1234567") == "0838-***4567"
    assert mask_phone("(028)12345678") == "028-****5678"
    assert mask_id_number("510623199001011234") == "510623********1234"
    assert mask_id_number("51062319900101123X") == "510623********123X"
    assert mask_id_number("510623900101123") == "510623*****1123"
    assert mask_address("富兴镇柳林沟村3组12号") == "富兴镇柳林沟村"
    assert mask_address("城东社区幸福路8号") == "城东社区"
    assert mask_address("幸福路8号") == "幸福路"
    assert mask_address("凯江镇南街45号2单元301室") == "凯江镇南街"
    assert mask_address("镇上") == "（地址不公开）"
    for f in (mask_name, mask_phone, mask_id_number, mask_address):
        assert f(None) is None and f("") == ""


@pytest.mark.parametrize("raw, masked", [
    # several mobiles in one sentence
    ("请联系13812345678或13987654321，也可找15011112222。",
     "请联系138****5678或139****4321，也可找150****2222。"),
    # separators, country code, and two numbers run together
    ("电话138-1234-5678、138 1234 5678、+86 13812345678、1381234567813987654321",
     "电话138****5678、138****5678、+86 138****5678、138***************4321"),
    # landlines with area code
    ("座机0838-2345678，(028)87654321，（0838）1234567，028 12345678",
     "座机0838-***5678，(028)****4321，（0838）***4567，028 ****5678"),
    # 18-digit (also with X) and 15-digit ID numbers, next to letters and Chinese
    ("身份证510623199001011234，ID11010119900307777X，旧证510623900101123号",
     "身份证510623********1234，ID110101********777X，旧证510623*****1123号"),
    # numbers written against each other: what one mask keeps must not complete another
    ("010-2000000010-2000000，13000000000130-0000-0000",
     # (one chain each: the first 3 and last 4 digits of the whole run survive, nothing between)
     "010-**********-***0000，130***********-****-0000"),
])
def test_free_text(raw, masked):
    assert mask_text(raw) == masked
    assert mask_text(masked) == masked  # idempotent


@pytest.mark.parametrize("text", [
    "案件zj-000123、zj-1000000已办结",
    "2026-11-02受理，2026-11-02T10:00:00+08:00到场，2026-11-07 23:59:59前办结",
    "总投资2000万元，补助1800元，另付1,800.50元，共计3500000元",
    "20261102期第3批，编号No.2026110201",
    "下午3点在村委会，联系人王某",
])
def test_free_text_keeps_ids_dates_amounts(text):
    assert mask_text(text) == text


def test_values_of_every_shape():
    secrets = requester_secrets("张三丰", "13812345678", "510623199001011234", "富兴镇柳林沟村3组12号", False)
    assert mask_value("张三丰住富兴镇柳林沟村3组12号", secrets) == "张某住富兴镇柳林沟村"
    assert mask_value(13812345678, {}) == "138****5678"
    assert mask_value(2000, {}) == 2000
    assert mask_value(["13812345678", {"x": "13987654321"}], {}) == ["138****5678", {"x": "139****4321"}]
    when = dt.datetime(2026, 11, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert mask_value(when, {}) is when
    assert mask_value(Requester("张三丰", "13812345678", None, None, True), {}) == {
        "name": "匿名", "phone": "***********", "id_number": None, "address": None, "anonymous": True}  # anonymous: phone hidden wholly


def test_one_character_name_is_not_replaced_inside_text():
    secrets = requester_secrets("王", None, None, None, False)
    assert secrets == {}
    assert mask_record({"requester_name": "王", "title": "王家湾修路"}, secrets) == {
        "requester_name": "王某", "title": "王家湾修路"}


def test_record_keys_and_anonymity():
    row = {"case_id": "zj-000001", "requester_name": "李四", "requester_phone": "0838-1234567",
           "requester_id_number": "510623199001011234", "requester_address": "柳林沟村2组",
           "requester": {"name": "李四", "phone": "13812345678", "anonymous": False}, "handler": "杨书记"}
    out = mask_record(row, requester_secrets("李四", None, None, None, True), anonymous=True)
    assert out == {"case_id": "zj-000001", "requester_name": "匿名", "requester_phone": "***********",
                   "requester_id_number": "510623********1234", "requester_address": "柳林沟村",
                   "requester": {"name": "匿名", "phone": "***********", "id_number": None, "address": None,
                                 "anonymous": True},
                   "handler": "杨书记"}


def test_mask_board_uses_the_stored_requester_everywhere():
    from test_board_fixture import add, new_county

    county = new_county()
    cid = add(county, "zj.fx.llg", "赵大海家门口修路", "2026-11-02T10:00:00+08:00", name="赵大海",
              phone="13900001111", id_number="510623197001011111", address="富兴镇柳林沟村5组3号", anonymous=True)
    raw = Board("testboard", "赵大海等反映事项", "zj.fx.llg", "2026-11", [
        BoardSection("赵大海的事项", [("case_id", "编号"), ("who", "反映人"), ("text", "内容")], [
            {"case_id": cid, "who": "赵大海", "text": "赵大海（13900001111，510623197001011111）住富兴镇柳林沟村5组3号"}]),
    ], notes=["联系赵大海：13900001111"])
    b = county.mask_board(raw)
    assert b.title == "匿名等反映事项"
    assert b.sections[0].title == "匿名的事项"
    assert b.sections[0].rows == [{"case_id": cid, "who": "匿名",
                                   "text": "匿名（***********，510623********1111）住富兴镇柳林沟村"}]
    assert b.notes == ["联系匿名：***********"]  # an anonymous requester's phone is hidden wholly (§3)


def test_public_case_json():
    from framework.publish.masking import mask_case_json

    r = Requester("张三丰", "13812345678", "510623199001011234", "富兴镇柳林沟村3组12号", False)
    data = {"id": "zj-000001", "title": "张三丰反映路灯", "description": "电话13812345678，身份证510623199001011234",
            "created_at": "2026-11-02T10:00:00+08:00", "events": [{"note": "已联系张三丰（13812345678）"}],
            "extra": {"requester_profile": "张三丰，住富兴镇柳林沟村3组12号"}, "requester": {"name": "张三丰"}}
    assert mask_case_json(data, r) == {
        "id": "zj-000001", "title": "张某反映路灯", "description": "电话138****5678，身份证510623********1234",
        "created_at": "2026-11-02T10:00:00+08:00", "events": [{"note": "已联系张某（138****5678）"}],
        "extra": {"requester_profile": "张某，住富兴镇柳林沟村"},
        "requester": {"name": "张某", "phone": "138****5678", "id_number": "510623********1234",
                      "address": "富兴镇柳林沟村", "anonymous": False}}
