"""Open311 GeoReport v2 in and out on real files: the Bloomington round trip keeps every
GeoReport v2 field; services lists are stored; San Francisco's XML (a leading newline before
the declaration, a stray <request>) gives one-line errors, never a traceback; SF's quirky JSON
dump keeps the first of its repeated keys."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from framework import hookimpl
from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.interchange import GEOREPORT_REQUEST_FIELDS, import_file, read_records
from framework.interchange.open311 import export_csv, export_open311, export_services
from framework.models import MethodInfo
from framework.kernel.registry import Registry
from framework.store.db import Store
from framework.testing import real_data

def real(rel: str) -> Path:
    return real_data(rel)


class Plain:
    """A test-only method with no categories, channels or tiers (a plain service desk)."""

    @hookimpl
    def county_method(self):
        return MethodInfo(name="plain", title_zh="受理", title="plain desk", source_county="test", source_lines="-")


@pytest.fixture
def county(tmp_path):
    raw = {"deployment": {"name": "Bloomington", "code": "bl", "methods": ["plain"]},
           "units": [{"code": "bl", "name": "City of Bloomington", "level": "county"}]}
    return County.init(Store(str(tmp_path / "c.db")), deployment_from_dict(raw), Registry(extra_plugins={"plain": Plain()}),
                       now=dt.datetime(2012, 5, 24, 12, tzinfo=dt.timezone.utc), actor="tester")


def test_bloomington_requests_round_trip_keeps_every_georeport_field(county):
    path = real("open311-bloomington/bloomington_requests.json")
    original = json.loads(path.read_text(encoding="utf-8"))
    rep = import_file(county, path, method="plain", unit="bl")
    assert (rep.format, rep.rows, rep.taken, rep.resolved, rep.refused) == ("open311", 21, 21, 3, [])
    exported = export_open311(county)
    assert len(exported) == 21
    for src, out in zip(original, exported):
        for key in GEOREPORT_REQUEST_FIELDS:
            if key in src:
                assert out[key] == src[key] and type(out[key]) is type(src[key]), (src["service_request_id"], key)
        assert out["extended_attributes"]["county"]["method"] == "plain"
    # 24-hex ids stay opaque text; closed requests were resolved at their updated_datetime
    first = exported[0]["extended_attributes"]["county"]
    assert exported[0]["service_request_id"] == "4fbd40b2b1fe2c4b02000001" and first["status"] == "registered"
    closed = [(o, s) for o, s in zip(exported, original) if s["status"] == "closed"]
    assert len(closed) == 3
    for o, s in closed:
        c = o["extended_attributes"]["county"]
        assert c["status"] == "resolved"
        assert dt.datetime.fromisoformat(c["resolved_at"]) == dt.datetime.fromisoformat(s["updated_datetime"])
        assert c["events"][-1]["type"] == "resolved"
    # importing again takes nothing twice, and exporting again gives the same requests
    again = import_file(county, path, method="plain", unit="bl")
    assert (again.taken, again.skipped) == (0, 21)
    assert export_open311(county) == exported


def test_resolved_here_later_changes_status_and_updated_datetime_only(county):
    import_file(county, real("open311-bloomington/bloomington_requests.json"), method="plain", unit="bl")
    case_id = county.store.db.execute("select id from cases where source_id = 'open311:4fbd3beeb1fe2c9f5c000001'").fetchone()[0]
    county.clock.fixed = dt.datetime(2012, 5, 25, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # resolved before now
    county.resolve(case_id, "graffiti removed", at=dt.datetime(2012, 5, 24, 9, tzinfo=dt.timezone(dt.timedelta(hours=-4))))
    out = next(r for r in export_open311(county) if r["service_request_id"] == "4fbd3beeb1fe2c9f5c000001")
    assert out["status"] == "closed" and out["status_notes"] == "graffiti removed"
    assert dt.datetime.fromisoformat(out["updated_datetime"]) == dt.datetime(2012, 5, 24, 13, tzinfo=dt.timezone.utc)
    assert out["requested_datetime"] == "2012-05-23T15:35:08-04:00" and out["lat"] == 39.146551871103
    # confirmed a day later: updated_datetime is the last event, as for every case (found by a fresh
    # integrator: an Open311-sourced case showed its resolution, a CLI one its confirmation)
    county.confirm(case_id, "satisfied", at=dt.datetime(2012, 5, 25, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    out = next(r for r in export_open311(county) if r["service_request_id"] == "4fbd3beeb1fe2c9f5c000001")
    assert dt.datetime.fromisoformat(out["updated_datetime"]) == dt.datetime(2012, 5, 25, 0, tzinfo=dt.timezone.utc)


def test_services_json_is_stored_and_exported_as_it_came(county):
    path = real("open311-bloomington/bloomington_services.json")
    rep = import_file(county, path)
    assert (rep.services, rep.taken) == (46, 0)
    out = export_services(county)
    assert out == json.loads(path.read_text(encoding="utf-8"))


def test_sf_service_request_xml_and_json_dump(county):
    rep = import_file(county, real("open311-sf-2010/service_request.xml"), mapping="sf-open311", method="plain", unit="bl")
    assert (rep.taken, rep.refused) == (1, [])
    case = county.list_cases()[0]
    assert case.source_id == "sf311:773485" and case.title == "Sidewalk_Cleaning"
    assert case.created_at.isoformat() == "2010-11-17T17:00:56.743000+08:00"  # 01:00:56.743 PST (-08:00)
    raw = export_open311(county)[0]
    assert raw["expected_datetime"] == "2010-11-20 01:00:56.0" and raw["service_code"] == "024"
    assert raw["updated_datetime"] is None  # xsi:nil

    rep = import_file(county, real("open311-sf-2010/ServiceRequests_Complete.json"), mapping="sf-open311",
                      method="plain", unit="bl")
    # 1,000 real requests and one junk entry whose values are all "null"
    assert (rep.rows, rep.taken, rep.resolved) == (1001, 1000, 327)
    assert [(r.field, r.item) for r in rep.refused] == [("source_id (column service_request_id)", 698)]
    # the first of the repeated keys holds the real value: 327 closed ones have their close time
    src = read_records(real("open311-sf-2010/ServiceRequests_Complete.json"), "open311")
    closed = [r.data for r in src.records if r.data.get("status") == "Closed"]
    assert len(closed) == 327 and all(r["updated_datetime"] for r in closed)
    assert sum(1 for r in src.records if r.data.get("expected_datetime")) == 723
    assert "long" in src.records[0].data and "lon" not in src.records[0].data


@pytest.mark.parametrize("name, message", [
    ("service.xml", "service.xml: line 2: malformed XML: the XML declaration <?xml …?> must be the very first "
                    "thing in the file, but 1 blank character(s) come before it; delete them and import again"),
    ("service_requests.xml", "service_requests.xml: line 2, column 3631: malformed XML: mismatched tag (an element "
                             "opened before this point, e.g. a stray <request>, is never closed)"),
])
def test_sf_xml_defects_are_one_line_errors(init_county, name, message):
    county_cli = init_county('[deployment]\nname = "SF"\ncode = "sf"\nmethods = ["taizhang"]\n'
                             '[[units]]\ncode = "sf"\nname = "SF"\nlevel = "village"\n')
    r = county_cli("case", "import", real(f"open311-sf-2010/{name}"), "--mapping", "sf-open311",
                   "--method", "taizhang", "--unit", "sf", ok=2)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.output
    assert lines[0] == f"error: {real(f'open311-sf-2010/{name}')}".replace(name, "") + message
    assert county_cli("case", "list", "--json").data == []


def test_sf_services_xml_after_removing_the_leading_newline(county, tmp_path):
    fixed = tmp_path / "service.xml"
    fixed.write_bytes(real("open311-sf-2010/service.xml").read_bytes().lstrip())
    rep = import_file(county, fixed)
    assert rep.services == 36
    codes = [s["service_code"] for s in export_services(county)]
    assert len(codes) == 36 and all(isinstance(c, str) for c in codes)


def test_csv_export_has_one_row_per_case_and_masks_when_public(county, tmp_path):
    import_file(county, real("open311-bloomington/bloomington_requests.json"), method="plain", unit="bl")
    text = export_csv(county)
    assert text.startswith("\ufeffid,source_id,method,status")
    lines = text.lstrip("\ufeff").splitlines()
    import csv as _csv

    rows = list(_csv.DictReader(lines))
    assert len(rows) == 21 and rows[1]["requester_address"] == "2303-2559 S Olcott Blvd"
    assert rows[1]["source_id"] == "open311:4fbd3beeb1fe2c9f5c000001"
    public = list(_csv.DictReader(export_csv(county, public=True).lstrip("\ufeff").splitlines()))
    assert public[1]["requester_address"] != "2303-2559 S Olcott Blvd"


def test_round_trip_through_the_cli(init_county, tmp_path):
    county_cli = init_county('[deployment]\nname = "B"\ncode = "b"\nmethods = ["taizhang"]\n'
                             '[[units]]\ncode = "b"\nname = "B"\nlevel = "village"\n')
    path = real("open311-bloomington/bloomington_requests.json")
    rep = county_cli("case", "import", path, "--method", "taizhang", "--unit", "b", "--set", "category=livelihood",
                     "--set", "channel=hotline", "--json").data
    assert (rep["taken"], rep["resolved"]) == (21, 3)
    out = tmp_path / "requests.json"
    r = county_cli("export", "--format", "open311", "--out", out, "--json")
    assert r.data == {"out": str(out), "count": 21, "format": "open311"}
    exported = json.loads(out.read_text(encoding="utf-8"))
    for src, got in zip(json.loads(path.read_text(encoding="utf-8")), exported):
        assert {k: got[k] for k in src} == src
        assert got["extended_attributes"]["county"]["category"] == "livelihood"
    csv_doc = county_cli("export", "--format", "csv", "--json").data
    assert csv_doc["count"] == 21 and csv_doc["csv"].startswith("\ufeffid,")
