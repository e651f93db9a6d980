"""Issue 19, media attachments (附件, docs/hooks.md §12.7): metadata by reference and checksum
(Lüyuan's 责任田: photos and video on intake), never the file, and never unmasked on a public
output — boards, ``export --public`` and the serve snapshot show ``附件 N 件`` only.

The sha256 of the three bytes ``abc`` is the FIPS 180-2 test vector ba7816bf…15ad.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import types
from zoneinfo import ZoneInfo

import pytest

from framework import (
    Attachment,
    Board,
    BoardSection,
    CountyError,
    Deadline,
    MethodInfo,
    Milestone,
    Refusal,
    Tier,
    case_json,
    hookimpl,
)
from framework.interchange.open311 import export_open311
from framework.kernel.registry import Registry
from framework.publish.serve import build_public_db

TZ = ZoneInfo("Asia/Shanghai")
ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
URL_SHA = "0" * 63 + "1"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


@hookimpl
def county_method():
    """A one-tier test method with a board listing each case's attachments."""
    return MethodInfo(name="tian", title_zh="责任田", title="Field", source_county="测试县", source_lines="L1",
                      stages=("deadline", "publicity"), tiers=[Tier("village", "村", "village")])


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Village: 5 calendar days."""
    return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 5), primary=True)])


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """One row per case: its id, title and — raw, for the kernel to mask — its attachments."""
    listed = cases(method="tian")
    media = ctx.attachments.of([c.id for c in listed])
    rows = [{"case_id": c.id, "title": c.title, "media": media.get(c.id, []),
             "attachments": [{"uri": a.uri} for a in media.get(c.id, [])]} for c in listed]
    return [Board("tian", "责任田公示", unit.code, period,
                  [BoardSection("事项", [("case_id", "编号"), ("title", "事项"), ("media", "附件")], rows)])]


TIAN = types.ModuleType("tian_plugin")
TIAN.county_method, TIAN.county_deadline, TIAN.county_publicity = county_method, county_deadline, county_publicity

TOML = """
[deployment]
name = "测试县"
code = "t"
methods = ["tian"]

[[units]]
code = "t"
name = "测试县"
level = "county"

[[units]]
code = "t.v"
name = "东村"
level = "village"
parent = "t"
"""


@pytest.fixture
def registry():
    return Registry(extra_plugins={"tian": TIAN}, entry_points=False)


@pytest.fixture
def county(make_county, registry):
    return make_county(TOML, now="2026-03-02T09:00", registry=registry)


def test_attach_stores_metadata_numbered_and_an_event_without_the_uri(county):
    c = county.add_case("tian", "t.v", "水渠堵塞")
    c = county.ctx("tian").actions.attach(c.id, "https://img.example.cn/a.jpg", ABC.upper(), "image/jpeg", 3,
                                          caption="现场照片")
    c = county.attach(c.id, "/srv/media/b.mp4", media_type="video/mp4", size=1048576)
    assert c.attachments == [
        Attachment(1, "https://img.example.cn/a.jpg", ABC, "image/jpeg", 3, "现场照片", at("2026-03-02T09:00"), "tester"),
        Attachment(2, "/srv/media/b.mp4", None, "video/mp4", 1048576, None, at("2026-03-02T09:00"), "tester")]
    assert (c.attachments[0].is_url, c.attachments[1].is_url) == (True, False)
    attached = [e for e in c.events if e.type == "attached"]
    from framework.store.casework import ref_digest  # the uri and caption as digests only (issue 14: verify)
    assert [e.data for e in attached] == [
        {"attachment": 1, "media_type": "image/jpeg", "size": 3, "sha256": ABC,
         "uri_digest": ref_digest("https://img.example.cn/a.jpg"), "caption_digest": ref_digest("现场照片")},
        {"attachment": 2, "media_type": "video/mp4", "size": 1048576, "sha256": None,
         "uri_digest": ref_digest("/srv/media/b.mp4"), "caption_digest": None}]
    assert "img.example.cn" not in json.dumps([e.data for e in c.events])
    other = county.add_case("tian", "t.v", "无附件")
    assert list(county.ctx("tian").attachments.of([c.id, other.id])) == [c.id]
    assert case_json(c)["attachments"][1]["uri"] == "/srv/media/b.mp4"


@pytest.mark.parametrize("kw, error", [
    ({"uri": ""}, "the uri is empty"),
    ({"uri": "photos/a.jpg"}, "'photos/a.jpg' is neither an http\\(s\\) URL nor an absolute file path"),
    ({"uri": "https://x.cn/a\nb"}, "control characters"),
    ({"uri": "https://x.cn/a", "sha256": "abc"}, "--sha256: 'abc' is not 64 hex digits"),
    ({"uri": "https://x.cn/a", "media_type": "jpeg"}, "--media-type: 'jpeg' is not type/subtype"),
    ({"uri": "https://x.cn/a", "size": -1}, "size -1 is not a whole number of bytes"),
    ({"uri": "https://x.cn/a", "caption": "图" * 201}, "--caption: 201 characters, at most 200"),
])
def test_bad_attachment_fields_are_one_line_errors(county, kw, error):
    c = county.add_case("tian", "t.v", "水渠堵塞")
    with pytest.raises(CountyError, match=error):
        county.attach(c.id, **kw)
    assert county.get_case(c.id).attachments == []


def test_the_same_uri_twice_and_a_future_instant_are_refused(county):
    c = county.add_case("tian", "t.v", "水渠堵塞")
    county.attach(c.id, "https://x.cn/a.jpg")
    with pytest.raises(Refusal, match=f"case {c.id}: this file or URL is already attachment 1"):
        county.attach(c.id, "https://x.cn/a.jpg")
    with pytest.raises(Refusal, match="after now"):
        county.attach(c.id, "https://x.cn/b.jpg", at=at("2026-03-02T09:05"))


def test_cli_add_with_a_file_and_a_url_then_attach_and_show(county, county_cli, cli_registry, registry, tmp_path):
    cli_registry(registry)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"abc")
    now = ["--now", "2026-03-02T10:00"]
    out = county_cli("case", "add", "--method", "tian", "--unit", "t.v", "--title", "田埂塌方",
                     "--attach", photo, "--attach", "https://v.example.cn/1.mp4", "--sha256", URL_SHA,
                     "--json", *now).data
    assert [(a["n"], a["uri"], a["sha256"], a["media_type"], a["size"]) for a in out["attachments"]] == [
        (1, str(photo.resolve()), ABC, "image/jpeg", 3),
        (2, "https://v.example.cn/1.mp4", URL_SHA, None, None)]
    county_cli("case", "attach", out["id"], "https://v.example.cn/2.png", "--caption", "补拍", *now)
    shown = county_cli("case", "show", out["id"], *now).stdout
    assert f"附件 1：image/jpeg 3 B sha256 {ABC[:12]}…  {photo.resolve()}" in shown
    assert "附件 3：- - B sha256 -  https://v.example.cn/2.png  补拍" in shown
    bad = county_cli("case", "add", "--method", "tian", "--unit", "t.v", "--title", "x",
                     "--attach", tmp_path / "none.jpg", *now, ok=2)
    assert f"--attach {tmp_path / 'none.jpg'}: no such file" in bad.output
    wrong = county_cli("case", "attach", out["id"], photo, "--sha256", URL_SHA, *now, ok=2)
    assert f"does not match the file's ({ABC})" in wrong.output
    assert county.ctx("tian").cases.count() == 1  # the refused add took nothing in


def test_open311_media_url_only_when_not_public(county):
    c = county.add_case("tian", "t.v", "水渠堵塞")
    county.attach(c.id, "/srv/media/a.jpg", media_type="image/jpeg")
    county.attach(c.id, "https://v.example.cn/1.mp4", media_type="video/mp4")
    county.attach(c.id, "https://img.example.cn/2.png", media_type="image/png")
    plain = county.add_case("tian", "t.v", "无附件")
    private = {r["extended_attributes"]["county"]["case_id"]: r for r in export_open311(county)}
    assert private[c.id]["media_url"] == "https://img.example.cn/2.png"
    assert private[c.id]["extended_attributes"]["county"]["attachments"] == "附件 3 件"
    assert private[plain.id]["media_url"] is None
    public = export_open311(county, public=True)
    assert [r["media_url"] for r in public] == [None, None]
    assert "example.cn" not in json.dumps(public, ensure_ascii=False)


def test_boards_public_json_and_the_serve_snapshot_show_a_count_only(county, tmp_path):
    c = county.add_case("tian", "t.v", "水渠堵塞")
    county.attach(c.id, "https://img.example.cn/a.jpg", ABC, "image/jpeg", 3, caption="张三家门口")
    county.attach(c.id, "/srv/media/b.mp4")
    [board] = county.boards("t.v", "2026-03")
    row = board.sections[0].rows[0]
    assert (row["media"], row["attachments"]) == ("附件 2 件", "附件 2 件")
    pub = case_json(county.get_case(c.id), public=True)
    assert pub["attachments"] == "附件 2 件"
    assert [e["data"] for e in pub["events"] if e["type"] == "attached"] == [
        {"attachment": 1, "media_type": "image/jpeg", "size": 3}, {"attachment": 2, "media_type": None, "size": None}]
    for secret in ("example.cn", "/srv/media", ABC, "张三家门口"):
        assert secret not in json.dumps(pub, ensure_ascii=False)
    snap = tmp_path / "public.db"
    build_public_db(county, snap, ["2026-03"])
    conn = sqlite3.connect(snap)
    assert conn.execute("select id, attachments, signoff from cases").fetchall() == [(c.id, "附件 2 件", None)]
    dump = "\n".join(conn.iterdump())
    for secret in ("example.cn", "/srv/media", ABC, "张三家门口"):
        assert secret not in dump
