"""Issue 17: a third-party GeoReport v2 client reads what clients filed, over a real localhost port.

The client is PyPI's ``georeport`` (0.3.1, the only GeoReport v2 client that installs and runs on
Python 3.11: ``open311`` 1.1 and ``three`` 0.8 are Python 2 code). It reads only — services,
service definitions, requests, one request, in JSON and XML — so requests are filed with a plain
HTTP POST of the spec's form fields (``requests``, which ``georeport`` itself uses). The server
is the one ``county open311 serve`` runs (waitress), on 127.0.0.1 and a free port, in a thread.
Times follow taizhang's village limit: filed 2013-03-04 10:00, due 5 days later at the end of
the day (casebook L29: village 5 days).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import threading
import tomllib

import pytest
import requests
import xmltodict
from deployments import OPEN311_UNITS
from georeport import GeoReport

from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.store.apikeys import add_key
from framework.store.db import Store
from framework.timerules import parse_instant

NOW = "2013-03-04T10:00"
TOML = OPEN311_UNITS + """
[open311]
default_method = "taizhang"
default_unit = "zj.fx.llg"

[open311.services.road]
name = "道路破损"
description = "路面坑洼、塌陷"
category = "livelihood"
group = "市政"
keywords = ["道路", "坑洼"]
attributes = { topic = "问题类别" }

[open311.services.water]
name = "饮水困难"
category = "livelihood"
unit = "zj.fx.qh"
channel = "hotline"
"""
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The deployment and a key, made here; the server is ``county open311 serve --port 0`` in
    its own process (waitress on 127.0.0.1, a free port read from its ready line), stopped by
    its pid when the module is done."""
    db = str(tmp_path_factory.mktemp("georeport") / "county.db")
    county = County.init(Store(db), deployment_from_dict(tomllib.loads(TOML)), Registry(), actor="operator")
    county.clock.fixed = parse_instant(NOW, county.calendar.tz)
    key = add_key(county.store, "hotline-12345", now=county.now(), actor="operator")
    env = {k: v for k, v in os.environ.items() if k not in ("COUNTY_NOW", "COUNTY_DB")}
    proc = subprocess.Popen([sys.executable, "-m", "framework.cli", "open311", "serve", "--db", db, "--port", "0",
                             "--threads", "2", "--now", NOW], stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stderr.readline()
        match = re.search(r"GeoReport v2 at (http://127\.0\.0\.1:\d+)/", line)
        assert match, line + proc.stderr.read() if proc.poll() is not None else line
        log: list[str] = []  # the server's later lines, read so that its stderr never fills up
        threading.Thread(target=lambda: log.extend(proc.stderr), daemon=True).start()
        yield county, key, match.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_georeport_client_files_and_reads_back(served):
    county, key, url = served
    client = GeoReport(url)
    assert client.get_service_list() == [
        {"service_code": "road", "service_name": "道路破损", "description": "路面坑洼、塌陷", "metadata": True,
         "type": "realtime", "keywords": "道路,坑洼", "group": "市政"},
        {"service_code": "water", "service_name": "饮水困难", "description": "", "metadata": False,
         "type": "realtime", "keywords": "", "group": ""},
    ]
    assert client.get_service_definition("road") == {"service_code": "road", "attributes": [
        {"variable": True, "code": "topic", "datatype": "string", "required": False, "datatype_description": None,
         "order": 1, "description": "问题类别"}]}

    # two requests filed as any GeoReport v2 client files them: form fields, api_key
    r1 = requests.post(f"{url}/requests.json", data={
        "api_key": key, "service_code": "road", "lat": "31.0312345", "long": "104.6798765",
        "description": "村口道路塌陷，联系电话13812345678", "first_name": "长贵", "last_name": "王",
        "phone": "13812345678", "email": "wcg@example.org", "attribute[topic]": "基础设施建设"}, timeout=10)
    assert r1.status_code == 201
    assert r1.json() == [{"service_request_id": "zj-000001", "token": r1.json()[0]["token"],
                          "service_notice": "已受理：龙老沟村，办理期限 2013-03-09T23:59:59+08:00", "account_id": None}]
    r2 = requests.post(f"{url}/requests.json", data={
        "api_key": key, "service_code": "water", "address_string": "四川省中江县冯店镇清河村5组12号",
        "description": "自来水停了三天"}, timeout=10)
    assert r2.status_code == 201 and r2.json()[0]["service_request_id"] == "zj-000002"
    assert r2.json()[0]["service_notice"] == "已受理：清河村，办理期限 2013-03-09T23:59:59+08:00"

    listed = client.get_service_requests()
    assert [r["service_request_id"] for r in listed] == ["zj-000002", "zj-000001"]  # newest first
    assert listed[1] == {
        "service_request_id": "zj-000001", "status": "open", "status_notes": None, "service_name": "道路破损",
        "service_code": "road", "description": "村口道路塌陷，联系电话138****5678", "agency_responsible": "龙老沟村",
        "service_notice": None, "requested_datetime": "2013-03-04T10:00:00+08:00",
        "updated_datetime": "2013-03-04T10:00:00+08:00", "expected_datetime": "2013-03-09T23:59:59+08:00",
        "address": None, "address_id": None, "zipcode": None, "lat": 31.031, "long": 104.68, "media_url": None}
    assert listed[0]["address"] == "四川省中江县冯店镇清河村" and listed[0]["lat"] is None
    text = requests.get(f"{url}/requests.json", timeout=10).text
    for secret in ("王", "长贵", "13812345678", "wcg@", "5组12号"):
        assert secret not in text

    # the operator resolves one: the client sees it closed, with the (masked) note
    county.resolve("zj-000002", "已抢修管道，恢复供水")
    one = client.get_service_request("zj-000002")
    assert (one["status"], one["status_notes"], one["expected_datetime"]) == ("closed", "已抢修管道，恢复供水", None)
    assert [r["service_request_id"] for r in client.get_service_requests(status="closed")] == ["zj-000002"]
    assert [r["service_request_id"] for r in client.get_service_requests(service_code="road")] == ["zj-000001"]
    assert [r["service_request_id"] for r in client.get_service_requests(service_request_id="zj-000001,zj-000002")] \
        == ["zj-000001", "zj-000002"]

    # the same through XML, as the client parses it
    xml_client = GeoReport(url, output_format="xml")
    assert [s["service_code"] for s in xml_client.get_service_list()] == ["road", "water"]
    closed = xml_client.get_service_request("zj-000002")
    assert (closed["service_request_id"], closed["status"], closed["address_id"]) == ("zj-000002", "closed", None)
    tokens = requests.get(f"{url}/tokens/{r1.json()[0]['token']}.xml", timeout=10)
    assert xmltodict.parse(tokens.content) == {"service_requests": {"request": {
        "service_request_id": "zj-000001", "token": r1.json()[0]["token"]}}}


def test_errors_reach_the_client_in_the_spec_shape(served):
    _, key, url = served
    client = GeoReport(url)
    with pytest.raises(requests.HTTPError) as e:
        client.get_service_definition("nope")
    assert e.value.response.status_code == 404
    assert e.value.response.json() == [{"code": 404, "description": "service_code 'nope' not found (see services.json)"}]
    r = requests.post(f"{url}/requests.xml", data={"api_key": "o311_wrong", "service_code": "road", "lat": "1",
                                                   "long": "2"}, timeout=10)
    assert r.status_code == 403
    assert xmltodict.parse(r.content) == {"errors": {"error": {
        "code": "403", "description": "api_key: missing, unknown or revoked (ask the county for a key)"}}}
    assert dt.datetime.fromisoformat(GeoReport(url).get_service_request("zj-000001")["requested_datetime"]) == \
        dt.datetime(2013, 3, 4, 2, tzinfo=dt.timezone.utc)
