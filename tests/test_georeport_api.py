"""Issue 17: the GeoReport v2 endpoint's rules, in-process (Falcon's test client): the spec's
errors with their HTTP codes, idempotent POSTs, intake through the kernel (events by the key's
name), no personal data on GET, keys managed by the CLI and stored hashed, operators' changes
shown at once, the rate limit (429) and the body limit (413), the county file's [open311]
checked with lines, and ``county case import --format open311`` routed by it.

Times: taizhang's village limit is 5 days to the end of the day (casebook L29), so a request
filed 2013-03-04 10:00 is due 2013-03-09 23:59:59 +08:00.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from urllib.parse import urlencode

import pytest
from deployments import OPEN311_UNITS
from falcon import testing

from framework.interchange.georeport_web import make_app
from framework.kernel.county import County
from framework.kernel.deployment_check import check_config
from framework.kernel.registry import Registry
from framework.store.apikeys import add_key, digest
from framework.store.db import Store
from framework.timerules import parse_instant

NOW = "2013-03-04T10:00"
UNITS = OPEN311_UNITS
TOML = UNITS + """
[open311]
default_method = "taizhang"
default_unit = "zj.fx.llg"
rate_limit = 5
max_body = 2048

[open311.services.road]
name = "道路破损"
category = "livelihood"
attributes = { topic = "问题类别", on_the_spot = "已当场处理" }

[open311.services.water]
name = "饮水困难"
category = "needy"
unit = "zj.fx.qh"
channel = "hotline"
"""
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PLACE = {"lat": "31.1", "long": "104.6"}


class Ticks:
    """A monotonic clock for the rate limiter: each reading moves ``step`` seconds on."""

    def __init__(self, step: float = 61.0):
        self.t, self.step = 0.0, step

    def __call__(self) -> float:
        self.t += self.step
        return self.t


@pytest.fixture
def served(init_county, county_db):
    """``county init`` of TOML through the CLI, a key, and the app on the same database."""
    run = init_county(TOML)
    key = run("open311", "keys", "add", "app-1", "--json").data["key"]
    county = County(Store(str(county_db)), Registry(), now=parse_instant(NOW, "Asia/Shanghai"))
    return run, county, key, testing.TestClient(make_app(lambda: county, clock=Ticks()))


def post(client, key, path="/requests.json", headers=FORM, **fields):
    return client.simulate_post(path, body=urlencode({"api_key": key, **fields}), headers=headers)


def test_bad_posts_are_the_specs_errors_and_take_nothing(served):
    run, county, key, client = served
    cases = [
        ({"service_code": "road", **PLACE}, "o311_nope", 403,
         "api_key: missing, unknown or revoked (ask the county for a key)"),
        ({**PLACE}, key, 400, "service_code: missing (see services.json)"),
        ({"service_code": "nope", **PLACE}, key, 400, "service_code 'nope': not a service of this county (see services.json)"),
        ({"service_code": "road"}, key, 400, "a location is required: lat and long, address_string or address_id"),
        ({"service_code": "road", "lat": "31.1"}, key, 400, "lat and long: give both or neither"),
        ({"service_code": "road", "lat": "91", "long": "104"}, key, 400, "lat/long 91, 104: out of range (lat -90…90, long -180…180)"),
        ({"service_code": "road", "lat": "北纬", "long": "104"}, key, 400, "lat/long '北纬', '104': not numbers (decimal degrees, WGS84)"),
        ({"service_code": "road", "attribute[colour]": "红", **PLACE}, key, 400,
         "attribute[colour]: not an attribute of service road (attributes: topic, on_the_spot)"),
        ({"service_code": "road", "foo": "1", **PLACE}, key, 400,
         "foo: not a GeoReport v2 field (fields: api_key, jurisdiction_id, service_code, lat, long, address_string, "
         "address_id, email, device_id, account_id, first_name, last_name, phone, description, media_url, token, "
         "attribute[CODE])"),
        ({"service_code": "road", "phone": "12", **PLACE}, key, 400,
         "phone '12': not a phone number (7–15 digits) to call the requester back"),
    ]
    for fields, k, status, description in cases:
        r = post(client, k, **fields)
        assert r.status_code == status, (fields, r.text)
        assert len(r.json) == 1 and r.json[0]["code"] == status
        if description:
            assert r.json[0]["description"] == description
    r = client.simulate_post("/requests.json", body=json.dumps({"api_key": key, "service_code": "road"}),
                             headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json[0]["description"]) == (
        400, "Content-Type 'application/json': send the form as application/x-www-form-urlencoded (media as media_url)")
    gbk = "村口道路塌陷".encode("gbk")
    r = client.simulate_post("/requests.json", headers=FORM, body=urlencode({"api_key": key, "service_code": "road",
                                                                             "description": gbk, **PLACE}))
    assert (r.status_code, r.json[0]["description"]) == (
        400, "the form is not UTF-8 (percent-encode its UTF-8 bytes; GBK is not read)")
    r = client.simulate_delete("/requests.xml")
    assert r.status_code == 405 and r.text.endswith(
        "<errors><error><code>405</code><description>405 Method Not Allowed</description></error></errors>")
    assert r.headers["allow"] == "GET, POST, OPTIONS"
    r = client.simulate_get("/requests.txt")
    assert (r.status_code, r.json) == (404, [{"code": 404, "description": "format 'txt': use .json or .xml"}])
    r = post(client, key, path="/requests.xml", service_code="road")
    assert r.status_code == 400 and r.text.endswith(
        "<errors><error><code>400</code><description>a location is required: lat and long, address_string or "
        "address_id</description></error></errors>")
    assert run("case", "list", "--json").data == []


def test_a_post_is_a_kernel_intake_by_the_keys_name_and_idempotent(served):
    run, county, key, client = served
    form = {"service_code": "road", "description": "村口道路塌陷", "first_name": "长贵", "last_name": "王",
            "phone": "13812345678", "email": "wcg@example.org", "attribute[topic]": "基础设施建设", **PLACE}
    first = post(client, key, token="app-1-0001", **form)
    assert first.status_code == 201 and first.json[0]["service_request_id"] == "zj-000001"
    again = post(client, key, token="app-1-0001", **form)
    assert (again.status_code, again.json) == (200, first.json)
    other = post(client, key, token="app-1-0001", **{**form, "description": "另一件事"})
    assert (other.status_code, other.json[0]["description"]) == (
        409, "token 'app-1-0001' already filed request zj-000001 with another form; use a new token for a new request")
    by_header = post(client, key, headers={**FORM, "Idempotency-Key": "h-7"}, service_code="water",
                     address_string="清河村")
    assert by_header.status_code == 201 and by_header.json[0]["token"] == "h-7"
    assert post(client, key, headers={**FORM, "Idempotency-Key": "h-7"}, service_code="water",
                address_string="清河村").status_code == 200
    assert [c["id"] for c in run("case", "list", "--json").data] == ["zj-000001", "zj-000002"]

    case = county.get_case("zj-000001")
    assert (case.method, case.category, case.unit, case.title) == ("taizhang", "livelihood", "zj.fx.llg", "道路破损：村口道路塌陷")
    assert (case.requester.name, case.requester.phone, case.extra["topic"]) == ("王长贵", "13812345678", "基础设施建设")
    assert case.due_at.isoformat() == "2013-03-09T23:59:59+08:00"
    assert {e.actor for e in case.events} == {"app-1"} and case.events[0].type == "registered"
    water = county.get_case("zj-000002")
    assert (water.category, water.unit, water.channel) == ("needy", "zj.fx.qh", "hotline")
    tokens = client.simulate_get("/tokens/app-1-0001.json")
    assert tokens.json == [{"service_request_id": "zj-000001", "token": "app-1-0001"}]
    assert client.simulate_get("/tokens/none.json").status_code == 404
    # the operator's own export has the whole request back, e-mail included; the public one not
    full = run("export", "--format", "open311", "--json").data
    assert full[0]["email"] == "wcg@example.org" and full[0]["attribute" + "s"] == {"topic": "基础设施建设"}


def test_get_never_returns_personal_data(served):
    run, county, key, client = served
    post(client, key, service_code="road", description="王长贵家门口塌陷，电话13812345678，身份证510623198001011234",
         first_name="长贵", last_name="王", phone="13812345678", email="wcg@example.org",
         address_string="四川省中江县冯店镇龙老沟村3组15号", lat="31.123456", long="104.654321",
         device_id="dev-99", account_id="acct-5")
    for path in ("/requests.json", "/requests.xml", "/requests/zj-000001.json", "/requests/zj-000001.xml"):
        for params in ({}, {"extensions": "true"}):
            text = client.simulate_get(path, params=params).text
            for secret in ("长贵", "13812345678", "510623198001011234", "wcg@", "3组15号", "31.123456", "dev-99", "acct-5"):
                assert secret not in text, (path, params, secret)
    one = client.simulate_get("/requests/zj-000001.json").json[0]
    assert (one["description"], one["address"], one["lat"], one["long"]) == (
        "王某家门口塌陷，电话138****5678，身份证510623********1234", "四川省中江县冯店镇龙老沟村", 31.123, 104.654)
    assert "extended_attributes" not in one
    ext = client.simulate_get("/requests/zj-000001.json", params={"extensions": "true"}).json[0]["extended_attributes"]
    assert (ext["county"]["case_id"], ext["county"]["tier"], ext["county"]["unit_name"]) == ("zj-000001", "village", "龙老沟村")
    # the key is kept as its SHA-256 only
    rows = sqlite3.connect(county.store.path).execute("select name, sha256, prefix from api_keys").fetchall()
    assert rows == [("app-1", digest(key), key[:8])] and key not in json.dumps(rows)


def test_operators_changes_show_and_revoked_keys_stop(served):
    run, county, key, client = served
    post(client, key, service_code="road", **PLACE)
    post(client, key, service_code="water", address_string="清河村")
    run("case", "resolve", "zj-000001", "--note", "已修复，电话13812345678", "--now", "2013-03-06T09:00")
    run("case", "confirm", "zj-000001", "--satisfaction", "satisfied", "--now", "2013-03-07T09:00")
    got = {r["service_request_id"]: r for r in client.simulate_get("/requests.json").json}
    assert (got["zj-000001"]["status"], got["zj-000001"]["status_notes"]) == ("closed", "已修复，电话138****5678")
    assert got["zj-000001"]["updated_datetime"] == "2013-03-07T09:00:00+08:00"
    assert got["zj-000002"]["status"] == "open"
    assert [r["service_request_id"] for r in client.simulate_get("/requests.json", params={"status": "open"}).json] \
        == ["zj-000002"]
    # escalation moves agency_responsible and expected_datetime (taizhang: village 5 d -> township 10 d)
    run("sweep", "--now", "2013-03-10T08:00")
    moved = client.simulate_get("/requests/zj-000002.json").json[0]
    assert moved["agency_responsible"] == "冯店镇" and moved["expected_datetime"] != "2013-03-09T23:59:59+08:00"
    listed = run("open311", "keys", "list", "--json").data
    assert [(k["name"], k["prefix"], k["revoked_at"]) for k in listed] == [("app-1", key[:8], None)]
    run("open311", "keys", "revoke", "app-1", "--now", "2013-03-08T09:00")
    assert post(client, key, service_code="road", **PLACE).status_code == 403
    r = run("open311", "keys", "revoke", "app-1", ok=2)
    assert r.stderr.startswith("error: NAME 'app-1': revoked already at 2013-03-08T09:00:00+08:00")
    r = run("open311", "keys", "add", "app-1", ok=2)
    assert "a key of that name exists" in r.stderr
    assert run("open311", "keys", "add", "bad name", ok=2).stderr.startswith("error: NAME 'bad name': 1–64 letters")


def test_rate_limit_and_body_limit(init_county, county_db):
    init_county(TOML)
    county = County(Store(str(county_db)), Registry(), now=parse_instant(NOW, "Asia/Shanghai"))
    key = add_key(county.store, "app-2", now=county.now(), actor="operator")
    clock = Ticks(step=0.0)
    client = testing.TestClient(make_app(lambda: county, clock=clock))
    codes = [client.simulate_get("/services.json", params={"api_key": key}).status_code for _ in range(6)]
    assert codes == [200, 200, 200, 200, 200, 429]
    r = client.simulate_get("/services.json", params={"api_key": key})
    assert (r.headers["retry-after"], r.json[0]["description"]) == ("60", "rate limit: 5 requests a minute; retry in 60 s")
    assert client.simulate_get("/services.json").status_code == 200  # another caller: its own window
    clock.t += 60.0
    assert client.simulate_get("/services.json", params={"api_key": key}).status_code == 200
    guesses = [post(client, f"o311_guess{i}", service_code="road", **PLACE) for i in range(6)]
    assert [g.status_code for g in guesses] == [403, 403, 403, 403, 403, 429]  # guessing keys is limited too
    assert guesses[-1].headers["retry-after"] == "60"
    big = client.simulate_post("/requests.json", body=urlencode({"api_key": key, "service_code": "road",
                                                                 "description": "坑" * 700, **PLACE}), headers=FORM)
    assert (big.status_code, big.json[0]["description"]) == (413, f"request body of {len(urlencode({'api_key': key, 'service_code': 'road', 'description': '坑' * 700, **PLACE}))} bytes; at most 2048")


def test_get_filters_are_checked(served):
    _, _, _, client = served
    for params, description in [
        ({"start_date": "2012-01-01T00:00:00Z", "end_date": "2013-01-01T00:00:00Z"},
         "start_date to end_date spans 366 days; at most 90"),
        ({"start_date": "yesterday"}, "start_date: 'yesterday' is not a date/time (e.g. 2019/4/25 9:32:09 or "
                                      "2019-04-25T09:32:09+08:00)"),
        ({"status": "pending"}, "status 'pending': use open or closed (comma-separated for both)"),
        ({"page_size": "1001"}, "page_size 1001: at most 1000"),
        ({"page": "0"}, "page '0': a whole number from 1"),
    ]:
        r = client.simulate_get("/requests.json", params=params)
        assert (r.status_code, r.json) == (400, [{"code": 400, "description": description}]), params
    r = client.simulate_get("/requests.json", params={"start_date": "2012-12-01T00:00:00+08:00"})
    assert (r.status_code, r.json, r.headers["x-total-count"]) == (200, [], "0")


def test_the_county_files_open311_table_is_checked_with_lines(tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(UNITS + """
[open311]
default_method = "taizang"
rate_limit = 0

[open311.services.road]
name = "道路破损"
category = "roads"
unit = "zj.fx.xx"
atributes = ["topic"]

[open311.services.water]
name = "饮水困难"
method = "taizhang"
category = "needy"
attributes = ["topic", "colour"]
""", encoding="utf-8")
    _, problems = check_config(cfg, Registry())
    assert [p.render("county.toml") for p in problems] == [
        "county.toml:32: [open311] rate_limit = 0: must be a whole number >= 1",
        "county.toml:38: [open311.services.road] atributes: unknown key (did you mean attributes?) (known: name, "
        "description, method, category, unit, group, keywords, channel, attributes)",
        "county.toml:31: [open311] default_method: 'taizang' is not enabled in [deployment] methods (did you mean taizhang?)",
        "county.toml:37: [open311.services.road] unit: 'zj.fx.xx' is not a unit of this deployment (did you mean zj.fx?)",
        "county.toml:44: [open311.services.water] attributes: 'colour' is not a field of taizhang (fields: "
        "requester_profile, request_and_cause, handling_opinion, work_measures, result, requester_feedback, "
        "responsible_person, topic, visit_type, visit_question, on_the_spot, reply_due_at, report_due_at)",
    ]


def test_import_takes_method_category_and_unit_from_the_services(served, tmp_path):
    run, county, key, client = served
    src = tmp_path / "requests.json"
    src.write_text(json.dumps([
        {"service_request_id": "A1", "status": "open", "service_code": "road", "service_name": "道路破损",
         "description": "路面坑洼", "requested_datetime": "2013-03-01T09:00:00+08:00"},
        {"service_request_id": "A2", "status": "closed", "service_code": "water", "service_name": "饮水困难",
         "requested_datetime": "2013-03-01T10:00:00+08:00", "updated_datetime": "2013-03-02T10:00:00+08:00"},
        {"service_request_id": "A3", "status": "open", "service_code": "gas", "service_name": "燃气",
         "requested_datetime": "2013-03-01T11:00:00+08:00"},
    ], ensure_ascii=False), encoding="utf-8")
    r = run("case", "import", src, "--format", "open311", "--now", NOW, "--json", ok=2)
    assert (r.data, r.exit_code) == (None, 2)
    report = json.loads(r.stdout)
    assert (report["taken"], report["resolved"], [x["record"] for x in report["refused"]]) == (2, 1, [3])
    refused = report["refused"][0]  # gas: no service, so no category — the field named as an import names it
    assert (refused["field"], refused["reason"].startswith("a taizhang case goes into one ledger")) == ("category", True)
    got = [(c["source_id"], c["method"], c["category"], c["unit"], c["status"]) for c in run("case", "list", "--json").data]
    assert got == [("open311:A1", "taizhang", "livelihood", "zj.fx.llg", "registered"),
                   ("open311:A2", "taizhang", "needy", "zj.fx.qh", "resolved")]
    # what the command line gives still wins over the services
    src.write_text(json.dumps([{"service_request_id": "B1", "status": "open", "service_code": "road",
                                "service_name": "道路破损", "requested_datetime": "2013-03-02T09:00:00+08:00"}]),
                   encoding="utf-8")
    run("case", "import", src, "--format", "open311", "--unit", "zj.fx.qh", "--set", "category=stability", "--now", NOW)
    b1 = run("case", "list", "--json").data[-1]
    assert (b1["source_id"], b1["unit"], b1["category"]) == ("open311:B1", "zj.fx.qh", "stability")
    # imported requests are the endpoint's too, under their own ids and codes
    assert client.simulate_get("/requests/A2.json", params={"start_date": "2013-02-01T00:00:00+08:00"}).json[0][
        "service_code"] == "water"
    listed = client.simulate_get("/requests.json", params={"service_code": "road"}).json
    assert [x["service_request_id"] for x in listed] == ["B1", "A1"]  # by the code the request named


def test_serve_needs_services(init_county):
    run = init_county(UNITS)
    r = run("open311", "serve", "--port", "0", ok=2)
    assert r.stderr.startswith("error: the county file has no usable [open311] services")


HIDE_EXTRA = """
import sys

class Hide:  # falcon and waitress cannot be found, as without the open311 extra
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("falcon", "waitress"):
            raise ModuleNotFoundError(f"No module named {name!r} (hidden by the test)", name=name)

sys.meta_path.insert(0, Hide())
import framework.cli.main
assert not {"falcon", "waitress"} & set(sys.modules), "the CLI imported the open311 extra at start-up"
sys.argv = ["county", "open311", "serve", "--db", sys.argv[1], "--port", "0"]
framework.cli.main.main()
"""


def test_serve_without_the_extra_says_which_to_install(init_county, county_db):
    init_county(TOML)
    r = subprocess.run([sys.executable, "-c", HIDE_EXTRA, str(county_db)], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stderr) == (
        2, "error: county open311 serve needs the open311 extra: pip install 'county-methods[open311]'\n")


def test_attributes_are_the_methods_fields_with_their_types(served):
    run, county, key, client = served
    assert client.simulate_get("/services/road.json").json == {"service_code": "road", "attributes": [
        {"variable": True, "code": "topic", "datatype": "string", "required": False, "datatype_description": None,
         "order": 1, "description": "问题类别"},
        {"variable": True, "code": "on_the_spot", "datatype": "singlevaluelist", "required": False,
         "datatype_description": None, "order": 2, "description": "已当场处理",
         "values": [{"key": "true", "name": "是"}, {"key": "false", "name": "否"}]}]}
    # taizhang settles a request handled on the spot at intake (L29): no deadline, closed at once
    r = post(client, key, service_code="road", description="路灯已换", **{"attribute[on_the_spot]": "true"}, **PLACE)
    assert (r.status_code, r.json[0]["service_notice"]) == (201, "已受理：龙老沟村")
    got = client.simulate_get("/requests/zj-000001.json").json[0]
    assert (got["status"], got["expected_datetime"]) == ("closed", None)
    assert county.get_case("zj-000001").status == "resolved"
    r = post(client, key, service_code="road", **{"attribute[on_the_spot]": "maybe"}, **PLACE)
    assert (r.status_code, r.json[0]["description"]) == (
        400, "attribute[on_the_spot]='maybe': must be yes or no (true/false, 1/0) (taizhang)")  # the kernel's check


def test_a_post_files_under_the_keys_name_when_the_county_lists_operators(init_county, county_db, monkeypatch):
    """With an [operators] list and no COUNTY_ACTOR the server still files (the key's name is the
    actor, not an operator), and the operators' identity is asked again after the request."""
    run = init_county(TOML + '\n[operators]\ntester = { name = "测试员" }\nop1 = { name = "张某" }\n')
    key = run("open311", "keys", "add", "app-1", "--json").data["key"]
    monkeypatch.delenv("COUNTY_ACTOR", raising=False)
    county = County(Store(str(county_db)), Registry(), now=parse_instant(NOW, "Asia/Shanghai"))
    client = testing.TestClient(make_app(lambda: county, clock=Ticks()))
    r = post(client, key, token="t-1", service_code="road", description="村口道路塌陷", **PLACE)
    assert r.status_code == 201, r.json
    assert {e.actor for e in county.get_case("zj-000001").events} == {"app-1"}
    monkeypatch.setenv("COUNTY_ACTOR", "op1")
    assert county.actor == "op1"


def test_a_token_is_the_kernels_request_id_shared_with_case_add(served):
    """Issue 14 / 17: a POST's token is the kernel's idempotency key ``open311:KEYNAME:TOKEN``
    (``extra.request_id``), so ``county case add --request-id`` with it and the same content is
    the same request, either way round; other content under it is still 409."""
    run, county, key, client = served
    r = post(client, key, token="t-1", service_code="road", description="村口道路塌陷", **PLACE)
    assert (r.status_code, r.json[0]["service_request_id"]) == (201, "zj-000001")
    assert county.get_case("zj-000001").extra["request_id"] == "open311:app-1:t-1"
    assert run("case", "show", "zj-000001", "--json").data["extra"]["request_id"] == "open311:app-1:t-1"
    assert "  幂等键 open311:app-1:t-1\n" in run("case", "show", "zj-000001").stdout
    road = ("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--category", "livelihood", "--json")
    again = run(*road, "--title", "道路破损：村口道路塌陷", "--request-id", "open311:app-1:t-1").data
    assert (again["id"], again["existing"]) == ("zj-000001", True)
    # taken in at the counter first (title as the endpoint makes it: service name：description)
    counter = run(*road, "--title", "道路破损：路灯不亮", "--request-id", "open311:app-1:t-2").data
    assert counter["id"] == "zj-000002"
    r = post(client, key, token="t-2", service_code="road", description="路灯不亮", **PLACE)
    assert (r.status_code, r.json[0]["service_request_id"], r.json[0]["token"]) == (200, "zj-000002", "t-2")
    r = post(client, key, token="t-2", service_code="road", description="另一件事", **PLACE)
    assert (r.status_code, r.json[0]["description"]) == (
        409, "token 't-2' already filed request zj-000002 with another form; use a new token for a new request")
    assert client.simulate_get("/tokens/t-2.json").json == [{"service_request_id": "zj-000002", "token": "t-2"}]
    assert [c["id"] for c in run("case", "list", "--json").data] == ["zj-000001", "zj-000002"]
