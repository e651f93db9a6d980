"""Names citizens give after a cue (我叫, 本人, 丈夫, 已联系 …), a mobile written ``（138）12345678``,
a QQ number and an anonymous requester's phone, through every public writer as an operator
runs it (conventions §3): ``county board`` in md, html, csv, json and xlsx, ``county export
--public`` as csv and open311, the ``county serve --no-run`` snapshot, the appraisal's labels
(``county appraise --json``) and the Open311 server's responses (GET, and the answer to a POST).

Each writer must show the exact masked strings below, worked out by hand from the rules, and
none of the raw names or digits. The county is built once for the module (one test method,
``cuetest``, whose board rows carry each case's description, note and raw requester fields)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import sqlite3
from urllib.parse import urlencode

import openpyxl
import pytest
from deployments import OPEN311_UNITS
from click.testing import CliRunner

from framework import hookimpl
from framework.cli.core import use_registry
from framework.cli.main import cli
from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.models import (
    Board,
    BoardSection,
    Deadline,
    MethodInfo,
    Metric,
    Milestone,
    Requester,
    Setting,
    Tier,
)
from framework.store.db import Store

NOW = "2026-11-30T12:00:00+08:00"
DESC = "我叫诸葛亮，丈夫端木赐，电话（138）12345678，QQ 123456789"
DESC_MASKED = "我叫诸葛某，丈夫端木某，电话（138）****5678，QQ *****6789"
NOTE = "已联系司马光（13812345678）"
NOTE_MASKED = "已联系司马某（138****5678）"
SELF = "本人唐铁有，是K市K1区居民，qq号：987654321，电话（138）12342222"
SELF_MASKED = "本人唐某，是K市K1区居民，qq号：*****4321，电话***********"
#: The second round (a fresh tester's misses in ``export --format open311 --public``, and words
#: after a cue that stay): masked in every writer as mask_text masks them.
ROUND2 = ("你妻子易文君于2018年，其父亲曹欣召属贫困户，父亲杨金圣与大儿子，徐飞鹏儿子徐波迎结婚后，"
          "母亲严贵玉答道，本人陈可实名举报，姐姐何全金年龄，丈夫端木赐出差了，本人杨过 今天来访，"
          "本人是高俅。爱人钱多多，母亲高血压，我是毕业生，我叫李娜住在柳林沟")
ROUND2_MASKED = ("你妻子易某于2018年，其父亲曹某属贫困户，父亲杨某与大儿子，徐某儿子徐某结婚后，"
                 "母亲严某答道，本人陈某实名举报，姐姐何某年龄，丈夫端木某出差了，本人杨某 今天来访，"
                 "本人是高某。爱人钱某，母亲高血压，我是毕业生，我叫李某住在柳林沟")
ANON_PHONE = "13812342222"
LABEL = "联系人司马光13812345678"
LABEL_MASKED = "联系人司马某138****5678得分"
RAW = ("诸葛亮", "端木赐", "司马光", "唐铁有", "12345678", "123456789", "987654321", "王小明", "1234222", "138****2222",
       "****2222", "易文君", "曹欣召", "杨金圣", "徐飞鹏", "徐波迎", "严贵玉", "陈可", "何全金", "杨过", "高俅", "钱多多",
       "李娜")

DEPLOYMENT = {
    "deployment": {"name": "中江县", "code": "zj", "methods": ["cuetest"]},
    "units": [{"code": "zj", "name": "中江县", "level": "county"},
              {"code": "zj.t", "name": "富兴镇", "level": "township", "parent": "zj"},
              {"code": "zj.t.v", "name": "柳林沟村", "level": "village", "parent": "zj.t"}],
    "plugins": {"cuetest": {"contact": LABEL}},
}
COLUMNS = [("case_id", "编号"), ("description", "情况"), ("note", "办理情况"), ("requester_name", "诉求人"),
           ("requester_phone", "联系电话")]


class CuePlugin:
    """The ``cuetest`` method (test only): a village tier of 5 calendar days, a board carrying
    each case's description, note and raw requester fields, a score labelled with a setting."""

    __name__ = "cuetest"

    @staticmethod
    @hookimpl
    def county_method():
        return MethodInfo(name="cuetest", title_zh="线索测试法", title="Cue test method", source_county="测试县",
                          source_lines="L0", stages=("deadline", "publicity", "appraisal"),
                          settings=[Setting("contact", "联系人", "联系人")],
                          tiers=[Tier("village", "村", "village", "5天内办结")])

    @staticmethod
    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 5), "flag", None, True)])

    @staticmethod
    @hookimpl
    def county_publicity(ctx, unit, period, cases):
        rows = [{"case_id": c.id, "description": c.description, "note": c.extra.get("note"),
                 "requester_name": c.requester.name, "requester_phone": c.requester.phone} for c in cases()]
        return [Board(method="cuetest", title=f"{unit.name}公示", unit=unit.code, period=period,
                      sections=[BoardSection("事项", COLUMNS, rows)])]

    @staticmethod
    @hookimpl
    def county_appraisal(ctx, unit, period):
        return [Metric("score", unit.code if unit else "zj", value=90.0, label=f"{ctx.settings['contact']}得分")]


def _registry() -> Registry:
    return Registry(extra_plugins={"cuetest": CuePlugin()}, entry_points=False)


def _build(path: str) -> None:
    county = County.init(Store(path), deployment_from_dict(DEPLOYMENT), _registry())
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-02T10:00:00+08:00")
    a = county.add_case("cuetest", "zj.t.v", "路灯坏了", description=DESC, fields={"note": NOTE},
                        requester=Requester(name="赵大海", phone="13900001111"))
    b = county.add_case("cuetest", "zj.t.v", "邻里纠纷", description=SELF, fields={"note": "已调解"},
                        requester=Requester(name="王小明", phone=ANON_PHONE, anonymous=True))
    c = county.add_case("cuetest", "zj.t.v", "低保", description=ROUND2, fields={"note": "已回复"},
                        requester=Requester(name="钱小二", phone="13700003333"))
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-03T10:00:00+08:00")
    county.resolve(a.id, NOTE)
    county.resolve(b.id, "已调解")
    county.resolve(c.id, "已回复")
    county.store.db.conn.close()


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if value is not None else []


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, list[str]]:
    """writer -> the strings (cells, JSON strings, table values) it wrote; each run once."""
    folder = tmp_path_factory.mktemp("cues")
    db = folder / "county.db"
    _build(str(db))
    previous = use_registry(_registry())
    runner = CliRunner()

    def run(*args) -> str:
        r = runner.invoke(cli, [*map(str, args), "--db", str(db), "--now", NOW], catch_exceptions=False)
        assert r.exit_code == 0, (args, r.output)
        return r.stdout

    out: dict[str, list[str]] = {}
    try:
        for fmt in ("md", "html", "csv", "json", "xlsx"):
            path = folder / f"board.{fmt}"
            run("board", "--unit", "zj.t.v", "--period", "2026-11", "--format", fmt, "--out", path)
            if fmt == "xlsx":
                wb = openpyxl.load_workbook(path)
                out[fmt] = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
            elif fmt == "csv":
                out[fmt] = [c for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))) for c in row]
            elif fmt == "json":
                out[fmt] = _strings(json.loads(path.read_text(encoding="utf-8")))
            else:
                out[fmt] = [html.unescape(path.read_text(encoding="utf-8"))]
        out["export-open311"] = _strings(json.loads(run("export", "--format", "open311", "--public")))
        text = run("export", "--format", "csv", "--public").lstrip("\ufeff")
        out["export-csv"] = [c for row in csv.reader(io.StringIO(text)) for c in row]
        served = run("serve", "--period", "2026-11", "--out-dir", folder / "pub", "--no-run")
        assert "个人信息均已脱敏" in served
        snap = sqlite3.connect(folder / "pub" / "public.db")
        tables = [r[0] for r in snap.execute("select name from sqlite_master where type = 'table'")]
        out["serve"] = [str(v) for t in tables for row in snap.execute(f'select * from "{t}"') for v in row if v]
        snap.close()
        out["appraise"] = _strings(json.loads(run("appraise", "--period", "2026-11", "--json", "--min-cases", "1")))
    finally:
        use_registry(previous)
    return out


def _holds(strings: list[str], expected: str) -> bool:
    return any(expected in s for s in strings)


@pytest.mark.parametrize("writer", ["md", "html", "csv", "json", "xlsx", "export-open311", "export-csv", "serve"])
def test_cue_names_phone_forms_and_qq_masked_in_every_case_writer(outputs, writer):
    strings = outputs[writer]
    assert _holds(strings, DESC_MASKED) and _holds(strings, SELF_MASKED), writer
    assert _holds(strings, ROUND2_MASKED), writer
    leaks = [raw for raw in RAW if _holds(strings, raw)]
    assert leaks == [], writer


@pytest.mark.parametrize("writer", ["md", "html", "csv", "json", "xlsx", "export-open311", "serve"])
def test_resolution_note_after_a_contact_cue(outputs, writer):
    """The note is a board column, Open311's status_notes and an event note, the snapshot's too."""
    assert _holds(outputs[writer], NOTE_MASKED), writer


@pytest.mark.parametrize("writer", ["md", "html", "csv", "json", "xlsx", "export-csv", "serve"])
def test_an_anonymous_requesters_phone_is_hidden_wholly(outputs, writer):
    """(GeoReport's request fields hold no phone: the open311 export shows none at all.)"""
    strings = outputs[writer]
    assert _holds(strings, "***********") and not _holds(strings, "138****2222"), writer
    assert _holds(strings, "匿名") and _holds(strings, "139****1111"), writer  # the other requester: 3 + 4


def test_the_export_csv_requester_columns(outputs):
    cells = outputs["export-csv"]
    assert cells.count("***********") == 1 and cells.count("匿名") == 1 and "赵某" in cells


def test_appraisal_labels(outputs):
    assert _holds(outputs["appraise"], LABEL_MASKED)
    assert not _holds(outputs["appraise"], "司马光")


OPEN311_TOML = OPEN311_UNITS + """
[open311]
default_method = "taizhang"
default_unit = "zj.fx.llg"

[open311.services.road]
name = "道路破损"
category = "livelihood"
"""


def test_the_open311_servers_responses(init_county, county_db):
    """A case added by hand and a request posted through the server come back masked on GET
    (json and xml, with extensions too) and in the POST's own answer."""
    from falcon import testing

    from framework.interchange.georeport_web import make_app
    from framework.timerules import parse_instant

    run = init_county(OPEN311_TOML)
    key = run("open311", "keys", "add", "app-1", "--json").data["key"]
    county = County(Store(str(county_db)), Registry(), now=parse_instant("2013-03-04T10:00", "Asia/Shanghai"))
    county.add_case("taizhang", "zj.fx.llg", "路灯", description="我叫司马光，电话（138）12345678", category="livelihood",
                    requester=Requester(name="赵大海"))
    client = testing.TestClient(make_app(lambda: county, clock=iter(range(0, 10**6, 61)).__next__))
    posted = client.simulate_post("/requests.json", headers={"Content-Type": "application/x-www-form-urlencoded"},
                                  body=urlencode({"api_key": key, "service_code": "road", "lat": "31.1", "long": "104.6",
                                                  "description": "我叫诸葛亮，丈夫端木赐，QQ 123456789"}))
    assert posted.status_code == 201
    assert "诸葛亮" not in posted.text and "端木赐" not in posted.text and "123456789" not in posted.text
    one = client.simulate_get("/requests/zj-000001.json").json[0]
    two = client.simulate_get("/requests/zj-000002.json").json[0]
    assert (one["description"], two["description"]) == ("我叫司马某，电话（138）****5678", "我叫诸葛某，丈夫端木某，QQ *****6789")
    for path in ("/requests.json", "/requests.xml"):
        for params in ({}, {"extensions": "true"}):
            text = client.simulate_get(path, params=params).text
            assert "司马某" in text and "诸葛某" in text, (path, params)
            assert [s for s in ("司马光", "诸葛亮", "端木赐", "12345678", "123456789") if s in text] == [], (path, params)
