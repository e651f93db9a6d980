"""RowContext's one-pass readers (issue 13, third import pass): ``texts`` gives what ``text``
gives for every field ``prepare_row`` reads as text (one column, several, a constant, a
subclass's own ``get``), ``extra_columns`` the ``extra.KEY`` columns in the record's order, and
``level_code`` the method's level code of a satisfaction (None for an unknown one)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from framework.interchange.mappings import Mapping
from framework.interchange.rows import TEXT_FIELDS, RowContext
from framework.models import SatisfactionScale

TZ = ZoneInfo("Asia/Shanghai")


class County:  # what RowContext reads of a county
    deployment = type("D", (), {"methods": ["taizhang"]})()
    calendar = type("C", (), {"tz": TZ})()
    units: dict = {}  # noqa: RUF012  (read only)

    def require_enabled(self, method):
        return method

    def require_method(self, method):
        return type("Info", (), {"satisfaction": SatisfactionScale()})()


MAPPING = Mapping(name="t", fields={"title": ["主题", "标题"], "source_id": "编号", "channel": "渠道",
                                    "requester_phone": "电话", "satisfaction": "评价"},
                  constants={"category": " needy ", "requester_address": ""})
ROWS = [{"编号": " A-1 ", "主题": "  ", "标题": " 路灯坏了 ", "渠道": 12.0, "电话": 13812345678, "评价": "满意"},
        {"编号": "", "主题": "漏水", "渠道": None, "电话": " ", "评价": None}, {}]


def test_texts_are_text_of_each_field():
    rc = RowContext(County(), MAPPING, method="taizhang")
    for data in ROWS:
        assert rc.texts(data) == {f: rc.text(data, f) for f in TEXT_FIELDS}
    assert rc.texts(ROWS[0]) == {
        "source_id": "A-1", "title": "路灯坏了", "requester_anonymous": None, "satisfaction": "满意",
        "resolution_note": None, "channel": "12", "category": "needy", "requester_name": None,
        "requester_phone": "13812345678", "requester_id_number": None, "requester_address": None}
    assert rc.texts(ROWS[1])["title"] == "漏水" and rc.texts(ROWS[1])["source_id"] is None


def test_texts_ask_a_subclass_get():
    class Routed(RowContext):
        def get(self, data, field):
            value, col = super().get(data, field)
            return ("hotline", None) if field == "channel" and value is None else (value, col)

    rc = Routed(County(), MAPPING, method="taizhang")
    assert rc.texts(ROWS[1])["channel"] == "hotline" and rc.texts(ROWS[0])["channel"] == "12"
    assert rc.texts(ROWS[1]) == {f: rc.text(ROWS[1], f) for f in TEXT_FIELDS}


def test_extra_columns_in_the_records_order():
    rc = RowContext(County(), MAPPING, method="taizhang")
    assert rc.extra_columns({"title": "x", "extra.b": "1", "extra.a": "", 3: "y", "extrax": "z"}) == ["extra.b", "extra.a"]
    assert rc.extra_columns({"extra.a": "", "extra.b": "1"}) == ["extra.a", "extra.b"]  # another order, its own


def test_level_code_by_code_or_label():
    rc = RowContext(County(), MAPPING, method="taizhang")
    assert [rc.level_code(v) for v in ("满意", " basically ", "unsatisfied", "很好", "满意")] == [
        "satisfied", "basically", "unsatisfied", None, "satisfied"]


def test_encode_raw_is_json_dumps():
    import datetime as dt
    import json

    from framework.interchange.take import encode_raw

    rows = [{"标题": "路灯\"坏了\"\\", "a%s": "%d%%", "空": ""}, {"标题": "路灯\"坏了\"\\", "a%s": "x", "空": "y"},
            {"n": 12, "t": None, "b": True}, {"at": dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)}, {1: "x"}, {}]
    for raw in rows:
        assert encode_raw(raw) == json.dumps(raw, ensure_ascii=False, default=lambda v: v.isoformat())
    assert encode_raw(rows[0]) == '{"标题": "路灯\\"坏了\\"\\\\", "a%s": "%d%%", "空": ""}'
