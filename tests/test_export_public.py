"""Public exports (``county export --public``) mask personal data like boards do (conventions §3).

Regressions found by a reviewer:

* ``--format open311 --public`` gave back every raw key of an imported Open311 request, so the
  POST fields some dumps carry (``first_name``, ``last_name``, ``email``, ``phone``,
  ``device_id``) came out raw; only description/status_notes/address were masked. Now a public
  request has the GeoReport v2 request fields and ``extended_attributes.county`` only, every
  string masked with the case's requester secrets; the importer takes the requester from
  ``first_name``/``last_name``/``phone`` so those are known secrets.
* the public CSV wrote ``extra`` raw (a taizhang ``requester_profile`` with a phone number).
"""

import csv
import io
import json

import pytest

from deployments import mini_zhongjiang
from framework.interchange import GEOREPORT_REQUEST_FIELDS, open311_requester

NOW = "2026-11-05T10:00:00+08:00"

REQUEST = {
    "service_request_id": "638344", "status": "closed",
    "status_notes": "已回电王小明（138-1234-5678），已修复", "service_name": "道路破损", "service_code": "006",
    "description": "路面塌陷，联系人王小明 13812345678，身份证 510623 19900101 1234，邮箱 wxm@example.com",
    "agency_responsible": "zj.fx.llg", "service_notice": None, "requested_datetime": "2026-11-02T09:00:00+08:00",
    "updated_datetime": "2026-11-03T16:00:00+08:00", "expected_datetime": None,
    "address": "富兴镇柳林沟村3组12号", "address_id": None, "zipcode": None, "lat": 30.812345, "long": 104.712345,
    "media_url": None,
    # GeoReport v2 POST fields a city's dump may carry: personal data
    "first_name": "小明", "last_name": "王", "email": "wxm@example.com", "phone": "13812345678",
    "device_id": "ios-5f3a9c", "account_id": "acct-77",
    "extended_attributes": {"caller_phone": "13812345678"},
}

RAW_SECRETS = ["13812345678", "138-1234-5678", "王小明", "小明", "wxm@example.com", "ios-5f3a9c", "acct-77",
               "19900101", "3组12号", "caller_phone", "first_name", "last_name", "device_id"]


@pytest.fixture
def run(init_county):
    return init_county(mini_zhongjiang())


def import_request(run, tmp_path):
    f = tmp_path / "requests.json"
    f.write_text(json.dumps([REQUEST], ensure_ascii=False), encoding="utf-8")
    rep = run("case", "import", f, "--method", "taizhang", "--set", "category=livelihood", "--set", "channel=hotline",
              "--now", NOW, "--json").data
    assert (rep["taken"], rep["resolved"], rep["refused"]) == (1, 1, [])


def test_open311_importer_takes_the_requester_from_the_post_fields(run, tmp_path):
    import_request(run, tmp_path)
    [case] = run("case", "list", "--json", "--now", NOW).data
    shown = run("case", "show", case["id"], "--json", "--now", NOW).data
    assert shown["requester"] == {"name": "王小明", "phone": "13812345678", "id_number": None,
                                  "address": "富兴镇柳林沟村3组12号", "anonymous": False}


@pytest.mark.parametrize("data, requester", [
    ({"first_name": "小明", "last_name": "王", "phone": "13812345678", "email": "wxm@example.com"},
     {"name": "王小明", "phone": "13812345678", "email": "wxm@example.com"}),
    ({"first_name": "John", "last_name": "Smith", "phone": "812-349-3400"},
     {"name": "John Smith", "phone": "812-349-3400"}),
    # a phone intake would refuse as written is kept as its digits (the row is not refused for it)
    ({"last_name": "Smith", "phone": "812.349.3400"}, {"name": "Smith", "phone": "8123493400"}),
    ({"first_name": "Ann", "phone": "(812) 349-3400"}, {"name": "Ann", "phone": "8123493400"}),
    ({"first_name": "", "phone": "n/a", "email": None}, {}),
    ({"service_request_id": "1"}, {}),
])
def test_open311_requester(data, requester):
    assert open311_requester(data) == requester


def test_public_open311_export_has_georeport_fields_only_all_masked(run, tmp_path):
    import_request(run, tmp_path)
    text = run("export", "--format", "open311", "--public", "--now", NOW).stdout
    for raw in RAW_SECRETS:
        assert raw not in text, raw
    [req] = json.loads(text)
    ext = req.pop("extended_attributes")
    assert req == {
        "service_request_id": "638344", "status": "closed",
        "status_notes": "已回电王某（138****5678），已修复", "service_name": "道路破损", "service_code": "006",
        "description": "路面塌陷，联系人王某 138****5678，身份证 510623 ******** 1234，邮箱 w***@example.com",
        "agency_responsible": "zj.fx.llg", "service_notice": None, "requested_datetime": "2026-11-02T09:00:00+08:00",
        "updated_datetime": "2026-11-03T16:00:00+08:00", "expected_datetime": None,
        "address": "富兴镇柳林沟村", "address_id": None, "zipcode": None, "lat": 30.812, "long": 104.712, "media_url": None,
    }
    assert list(req) == [k for k in GEOREPORT_REQUEST_FIELDS if k in REQUEST]
    assert list(ext) == ["county"]  # the source's own extended_attributes stay out
    county = ext["county"]
    assert (county["case_id"], county["status"], county["title"]) == ("zj-000001", "resolved", "道路破损")
    assert county["events"][-1]["type"] == "resolved"
    assert county["events"][-1]["note"] == "已回电王某（138****5678），已修复"


def test_non_public_open311_export_still_gives_every_field_back(run, tmp_path):
    import_request(run, tmp_path)
    [req] = json.loads(run("export", "--format", "open311", "--now", NOW).stdout)
    assert req["extended_attributes"]["county"]["case_id"] == "zj-000001"
    assert req["extended_attributes"]["caller_phone"] == "13812345678"
    req["extended_attributes"] = {k: v for k, v in req["extended_attributes"].items() if k != "county"}
    assert req == REQUEST


def public_csv(run, *args) -> list[dict]:
    text = run("export", "--format", "csv", "--public", "--now", NOW, *args).stdout
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_public_csv_masks_extra_and_every_text_column(run):
    c = run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "三组道路损毁，联系138-12345678",
            "--category", "livelihood", "--channel", "five_visits", "--requester-name", "张三丰",
            "--requester-phone", "13812345678", "--requester-id-number", "510623199001011234",
            "--requester-address", "富兴镇柳林沟村3组12号", "--description", "张三丰反映，身份证510623 19900101 1234",
            "--set", "requester_profile=张三丰，电话 13812345678，住富兴镇柳林沟村3组12号",
            "--set", "request_and_cause=邻居138.1234.5679反映道路", "--set", "visit_type=capable_person",
            "--now", "2026-11-02T10:00", "--json").data
    [row] = public_csv(run)
    assert row == {
        "id": c["id"], "source_id": "", "method": "taizhang", "status": "registered", "tier": "village",
        "unit": "zj.fx.llg", "unit_name": "柳林沟村", "handler": "", "category": "livelihood",
        "channel": "five_visits", "title": "三组道路损毁，联系138****5678", "description": "张某反映，身份证510623 ******** 1234",
        "created_at": "2026-11-02T10:00:00+08:00", "due_at": "2026-11-07T23:59:59+08:00", "resolved_at": "",
        "resolved_tier": "", "overdue_count": "0", "satisfaction": "", "topic": "",
        "requester_name": "张某", "requester_phone": "138****5678", "requester_id_number": "510623********1234",
        "requester_address": "富兴镇柳林沟村",
        "extra": json.dumps({**c["extra"], "request_and_cause": "邻居138****5679反映道路",
                             "requester_profile": "张某，电话 138****5678，住富兴镇柳林沟村"},
                            ensure_ascii=False, sort_keys=True),
    }
    # the non-public CSV keeps what was written
    text = run("export", "--format", "csv", "--now", NOW).stdout
    assert "张三丰，电话 13812345678，住富兴镇柳林沟村3组12号" in text


def test_public_csv_of_an_imported_open311_request(run, tmp_path):
    import_request(run, tmp_path)
    [row] = public_csv(run)
    assert row["source_id"] == "open311:638344"
    assert row["description"] == "路面塌陷，联系人王某 138****5678，身份证 510623 ******** 1234，邮箱 w***@example.com"
    assert (row["requester_name"], row["requester_phone"], row["requester_address"]) == (
        "王某", "138****5678", "富兴镇柳林沟村")
