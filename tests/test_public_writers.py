"""Issue 15's "Done when", as one matrix: every kind of hostile value, run through every public
writer, through the CLI as an operator runs it.

Writers: ``county board --format html|md|csv|xlsx|json``, ``county export --format open311 --public``
and ``--format csv --public``, the ``county serve --no-run`` snapshot (every table of public.db),
and the appraisal report ``county appraise --format html|xlsx`` and ``--json``.

The county (built once for the module, in a file database) has one test method, ``matrix``, whose
board rows carry — raw, as a careless plugin would — each case's title, description, note, unit
name, handler name and requester fields, and whose appraisal score is labelled with its settings
value. The hostile values (:data:`PERSONAL`) are every spelling of issue 15, plus spellings
generated from seeded random digits in every style the masker tests use (ASCII, full-width,
Chinese numerals; separators of every kind, :data:`SEPARATORS`); they sit in requester fields,
titles, descriptions, notes and the settings value; the injection values (:data:`FORMULAS`,
markup) sit in titles, notes, unit names and person names.

For each writer and each kind: the personal digits / e-mail local part / door number / third
party's name do not appear in any spelling (the output is read through the masker's normaliser
and separators between digits are dropped before searching), while what the rule keeps (the last
4 digits, the domain, the village) did reach the writer; no CSV/XLSX text cell starts with
``= + - @``, tab or CR; no raw markup in html/md, no value starts a markdown line.
"""

from __future__ import annotations

import csv
import html
import io
import json
import random
import re
import sqlite3

import openpyxl
import pytest
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
from framework.publish.masking_normalise import normalise
from framework.publish.outputs import FORMULA_START
from framework.store.db import Store

NOW = "2026-11-30T12:00:00+08:00"
RNG = random.Random(15)
FULL = str.maketrans("0123456789Xx", "０１２３４５６７８９ＸＸ")
CHINESE = str.maketrans("0123456789", "〇一二三四五六七八九")
SEPARATORS = ["-", "－", "—", "_", " ", "\u3000", ".", " - ", "、", "～", "/"]


def _digits(n: int, first: str = "") -> str:
    return first + "".join(RNG.choice("0123456789") for _ in range(n - len(first)))


def _spell(digits: str, layout: list[int], style: str, sep: str) -> str:
    groups, i = [], 0
    for size in layout:
        groups.append(digits[i:i + size])
        i += size
    table = {"ascii": None, "full": FULL, "chinese": CHINESE}[style]
    return sep.join(g.translate(table) if table else g for g in groups)


def _mobile() -> str:
    return "1" + RNG.choice("3456789") + _digits(9)


def _id18() -> str:
    return (f"{RNG.randint(110000, 659999)}{RNG.randint(1940, 2005)}{RNG.randint(1, 12):02d}{RNG.randint(1, 28):02d}"
            f"{_digits(3)}{RNG.choice('0123456789Xx')}")


class Secret:
    """One hostile personal value: ``kind``, the ``written`` spelling, ``hidden``: strings
    (normalised, separators between digits dropped, lower case) that must not appear in any
    output, ``kept``: one that must (what the rule keeps: proof the value reached the writer)."""

    def __init__(self, kind: str, written: str, hidden: list[str], kept: str):
        self.kind, self.written, self.hidden, self.kept = kind, written, hidden, kept

    def __repr__(self):
        return f"{self.kind}:{self.written!r}"


def _number(kind: str, digits: str, written: str, head: int, tail: int) -> Secret:
    d = digits.upper()
    # the kept head with the first hidden digit (the hidden digits and the first kept one when
    # nothing is kept ahead), the last hidden digit with the kept tail, the hidden run when long
    first = d[:head + 1] if head else d[:len(d) - tail + 1]
    masked = d[:head] + "*" * (len(d) - head - tail) + d[-tail:]  # a window inside it proves nothing
    windows = [first, d[-tail - 1:], d[head:-tail] if len(d) - head - tail >= 5 else d]
    return Secret(kind, written, [w for w in windows if w not in masked], d[-tail:])


def _personal() -> list[Secret]:
    out = []
    # the issue's own spellings (every value fictional)
    for written in ["１３８-１２３４-５６７８", "138－1234－5679", "138—1234—5670", "138_1234_5671",
                    "138\u30001234\u30005672", "1 3 8 1 2 3 4 5 6 7 3", "一三八一二三四五六七四"]:
        d = "".join(normalise(written)[0].split()).replace("-", "").replace("_", "")
        out.append(_number("mobile", d, written, 3, 4))
    # generated: every style and separator, mobiles in groups 3-4-4, 3-8, 7-4
    for style in ("ascii", "full", "chinese"):
        for sep in SEPARATORS:
            m = _mobile()
            out.append(_number("mobile", m, _spell(m, RNG.choice([[3, 4, 4], [3, 8], [7, 4]]), style, sep), 3, 4))
    # the new spellings tried as a hostile citizen (issue 15 step 2): mixed widths, 、 and ～,
    # a phone inside a URL
    m = _mobile()
    out.append(_number("mobile", m, m[:3] + m[3:7].translate(FULL) + "、" + m[7:], 3, 4))
    m = _mobile()
    out.append(_number("mobile", m, f"https://wx.example.cn/call?tel={m}&from=board", 3, 4))
    out.append(_number("landline", "08381234567", "0838－1234567", 4, 4))
    area, local = "028", _digits(8, "8")
    out.append(_number("landline", area + local, f"（{area}）{local[:4]}－{local[4:]}", 3, 4))
    out.append(_number("local", "7654321", "联系电话：765 4321", 0, 4))
    out.append(_number("id", "51062319900101123X", "5106 2319 9001 0112 3X", 6, 4))
    for style, sep in (("ascii", " "), ("full", "－"), ("ascii", "")):
        i = _id18()
        out.append(_number("id", i, _spell(i, [6, 8, 4] if sep else [18], style, sep), 6, 4))
    out.append(_number("card", "6222021234567890123", "6222 0212 3456 7890 123", 4, 4))
    out.append(_number("card", "6222021234567891", "6222-0212-3456-7891", 4, 4))
    c = _digits(19, "62")
    out.append(_number("card", c, _spell(c, [4, 4, 4, 4, 3], "full", "\u3000"), 4, 4))
    for local, domain in (("wang.xiaoming", "example.com"), ("zhangsf+tax", "example.org"),
                          ("ｌｉｓｉｇｕａｎｇ", "ｅｘａｍｐｌｅ.ｃｎ")):
        out.append(Secret("email", f"{local}@{domain}", [normalise(local)[0][1:].lower() + "@"],
                          "@" + normalise(domain)[0].lower()))
    for written, hidden, kept in [
            ("柳林沟村3组17号", ["17号", "3组17"], "柳林沟村"),
            ("凯江镇南街45号2单元301室", ["45号", "301室", "2单元"], "凯江镇南街"),
            ("幸福小区12号楼3层302户", ["12号楼", "302户", "3层302"], "幸福小区"),
            ("南街88号7栋1单元602", ["88号", "7栋", "1单元602"], "南街"),
            ("和平社区5幢703室", ["5幢", "703室"], "和平社区")]:
        out.append(Secret("door", written, hidden, kept))
    out.append(Secret("name", "邻居李四光反映", ["李四光", "四光反映"], "李某反映"))
    return out


PERSONAL = _personal()
KINDS = sorted({s.kind for s in PERSONAL})
FORMULAS = ['=HYPERLINK("http://x","点我")', '+1+HYPERLINK("http://x")', "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)"]
TOWN = "<script>alert(1)</script>镇"
VILLAGE = '=HYPERLINK("http://x")村'
PERSON = "@SUM(1+1)*cmd|' /C calc'!A0<img src=x onerror=alert(2)>"
MARKDOWN = "路灯\n## 注入标题\n- 列表项\n| a | b |\n[点我](javascript:alert(3))"
CONTROL = "路灯\x0b坏了\x01\x00=HYPERLINK(\"http://x\")\x0c"
SETTING = "监督电话" + "；".join(s.written for s in PERSONAL if s.kind not in ("door", "name"))
DANGER = ["<script", "<img", "<iframe", 'href="javascript']

DEPLOYMENT = {
    "deployment": {"name": "中江县", "code": "zj", "methods": ["matrix"]},
    "units": [
        {"code": "zj", "name": "中江县", "level": "county"},
        {"code": "zj.t", "name": TOWN, "level": "township", "parent": "zj"},
        {"code": "zj.t.v", "name": VILLAGE, "level": "village", "parent": "zj.t"},
    ],
    "people": [{"id": "p1", "name": PERSON, "unit": "zj.t.v", "roles": ["cadre"]}],
    "plugins": {"matrix": {"hotline": SETTING}},
}
COLUMNS = [("case_id", "编号"), ("title", "事项"), ("description", "情况"), ("note", "备注"), ("unit_name", "单位"),
           ("handler", "承办人"), ("requester_name", "诉求人"), ("requester_phone", "联系电话"),
           ("requester_id_number", "身份证号"), ("requester_address", "住址"), ("amount", "金额"),
           ("media", "附件"), ("signoff", "签字")]


class MatrixPlugin:
    """The ``matrix`` method (test only): one village tier of 5 calendar days; a board whose rows
    carry every case field raw; one score labelled with the ``hotline`` setting."""

    __name__ = "matrix"

    @staticmethod
    @hookimpl
    def county_method():
        return MethodInfo(name="matrix", title_zh="矩阵测试法", title="Matrix test method", source_county="测试县",
                          source_lines="L0", stages=("deadline", "publicity", "appraisal"), roles={"cadre": "村干部"},
                          settings=[Setting("hotline", "0838-1234567", "监督电话")],
                          tiers=[Tier("village", "村", "village", "5天内办结")])

    @staticmethod
    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 5), "flag", None, True)])

    @staticmethod
    @hookimpl
    def county_publicity(ctx, unit, period, cases):
        rows = []
        listed = cases()
        media = ctx.attachments.of([c.id for c in listed])  # raw Attachment records (issue 19)
        signoffs = ctx.signoffs.of([c.id for c in listed])
        for c in listed:
            r = c.requester
            rows.append({"case_id": c.id, "title": c.title, "description": c.description,
                         "note": c.extra.get("note"), "unit_name": ctx.units[c.unit].name,
                         "handler": ctx.people[c.handler].name if c.handler in ctx.people else "",
                         "requester_name": r.name, "requester_phone": r.phone, "requester_id_number": r.id_number,
                         "requester_address": r.address, "amount": -3,
                         "media": media.get(c.id, []), "signoff": signoffs.get(c.id)})
        return [Board(method="matrix", title=f"{unit.name}公示", unit=unit.code, period=period,
                      sections=[BoardSection(f"{unit.name}事项", COLUMNS, rows)],
                      notes=[ctx.settings["hotline"], MARKDOWN])]

    @staticmethod
    @hookimpl
    def county_appraisal(ctx, unit, period):
        return [Metric("score", unit.code if unit else "zj", value=-1.5, label=f"{ctx.settings['hotline']}得分")]


def _registry() -> Registry:
    return Registry(extra_plugins={"matrix": MatrixPlugin()}, entry_points=False)


def _accepted(**field) -> bool:
    """Whether the kernel takes this spelling in a requester field (it checks phones and IDs)."""
    from framework.errors import CountyError
    from framework.kernel.stages import check_requester

    try:
        check_requester(Requester(**field))
    except CountyError:
        return False
    return True


def _cases() -> list[dict]:
    """One case per personal value (in its title, description or note, in turn), the requester
    fields of the first cases carrying the phone, ID and door-level address spellings; and one
    case per formula and for the markdown value."""
    phones = [s.written for s in PERSONAL if s.kind == "mobile" and _accepted(phone=s.written)]
    ids = [s.written for s in PERSONAL if s.kind == "id" and _accepted(id_number=s.written)]
    addresses = [s.written for s in PERSONAL if s.kind == "door"]
    out = []
    for i, s in enumerate(PERSONAL):
        text = f"反映情况：{s.written}，请处理"
        where = ("title", "description", "note")[i % 3]
        out.append({"title": text if where == "title" else f"事项{i}", "description": text if where == "description"
                    else "无", "note": text if where == "note" else "已受理",
                    # category and channel are free text to the kernel (an import may carry anything)
                    "category": s.written if where == "title" else None,
                    "channel": s.written if where == "description" else None,
                    "requester": Requester(name="王小明", phone=phones[i % len(phones)], id_number=ids[i % len(ids)],
                                           address=addresses[i % len(addresses)])})
    for f in [*FORMULAS, MARKDOWN]:
        out.append({"title": f, "description": f, "note": f, "requester": Requester(name="赵大海")})
    # control characters pasted from Word (XML cannot hold them: the xlsx writers crashed)
    out.append({"title": "控制字符", "description": CONTROL, "note": CONTROL, "requester": Requester(name="赵大海")})
    return out


def _build(path: str) -> None:
    import datetime as dt

    county = County.init(Store(path), deployment_from_dict(DEPLOYMENT), _registry())
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-02T10:00:00+08:00")
    ids = []
    for spec in _cases():
        c = county.add_case("matrix", "zj.t.v", spec["title"], description=spec["description"],
                            requester=spec["requester"], fields={"note": spec["note"]},
                            category=spec.get("category"), channel=spec.get("channel"))
        ids.append(c.id)
    county.assign(ids[0], handler="p1")
    for ref in ATTACHMENTS:  # issue 19: references, a checksum and a caption no public writer may show
        county.attach(ids[0], ref, sha256=ATTACHMENT_SHA, media_type="image/jpeg", caption=ATTACHMENT_CAPTION)
    county.require_signoff(ids[0], [("h1", PARTY), ("h2", "上官婉儿户")])
    county.sign(ids[0], "h1")
    county.sign(ids[0], "h2")  # the close gate: every party signs before the resolution below
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-03T10:00:00+08:00")
    for i, spec in zip(ids, _cases()):  # every note reaches Open311's status_notes too
        county.resolve(i, spec["note"])
    county.store.db.conn.close()


#: Issue 19: two attachments of the first case and one of its parties who must sign.
ATTACHMENTS = ("https://media.example.cn/zerentian/13912345678.jpg", "/srv/county/media/王小明家.mp4")
ATTACHMENT_SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
ATTACHMENT_CAPTION = "拍摄于欧阳锋家门口"
PARTY = "欧阳锋户"

WRITERS = ["board-html", "board-md", "board-csv", "board-xlsx", "board-json", "export-open311", "export-csv",
           "serve", "appraise-html", "appraise-xlsx", "appraise-json"]


def _xlsx_cells(path) -> list:
    wb = openpyxl.load_workbook(path)
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def _json_strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_json_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return [str(value)] if value is not None else []


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, dict]:
    """writer -> {"text": everything it wrote as one text, "cells": its CSV/XLSX text cells or
    None}; each writer run once, through the CLI."""
    folder = tmp_path_factory.mktemp("matrix")
    db = folder / "county.db"
    _build(str(db))
    previous = use_registry(_registry())
    runner = CliRunner()

    def run(*args) -> str:
        r = runner.invoke(cli, [*map(str, args), "--db", str(db), "--now", NOW], catch_exceptions=False)
        assert r.exit_code == 0, (args, r.output)
        return r.stdout

    out: dict[str, dict] = {}
    try:
        units = ("--unit", "zj.t", "--unit", "zj.t.v", "--period", "2026-11")
        for fmt in ("html", "md", "csv", "xlsx", "json"):
            path = folder / f"board.{fmt}"
            run("board", *units, "--format", fmt, "--out", path)
            if fmt == "xlsx":
                cells = _xlsx_cells(path)
                out["board-xlsx"] = {"text": "\n".join(map(str, cells)), "cells": cells}
            elif fmt == "csv":
                text = path.read_text(encoding="utf-8-sig")
                out["board-csv"] = {"text": text, "cells": [c for row in csv.reader(io.StringIO(text)) for c in row]}
            elif fmt == "json":
                out["board-json"] = {"text": "\n".join(_json_strings(json.loads(path.read_text(encoding="utf-8")))),
                                     "cells": None}
            else:
                out[f"board-{fmt}"] = {"text": html.unescape(path.read_text(encoding="utf-8")), "cells": None,
                                       "raw": path.read_text(encoding="utf-8")}
        data = json.loads(run("export", "--format", "open311", "--public"))
        out["export-open311"] = {"text": "\n".join(_json_strings(data)), "cells": None}
        text = run("export", "--format", "csv", "--public").lstrip("\ufeff")
        out["export-csv"] = {"text": text, "cells": [c for row in csv.reader(io.StringIO(text)) for c in row]}
        run("serve", "--period", "2026-11", "--out-dir", folder / "pub", "--no-run")
        snap = sqlite3.connect(folder / "pub" / "public.db")
        tables = [r[0] for r in snap.execute("select name from sqlite_master where type = 'table'")]
        values = [str(v) for t in tables for row in snap.execute(f'select * from "{t}"') for v in row if v is not None]
        snap.close()
        out["serve"] = {"text": "\n".join(values), "cells": values,
                        "raw": (folder / "pub" / "public.db").read_bytes().decode("utf-8", "replace")}
        run("appraise", "--period", "2026-11", "--format", "html", "--out", folder / "a.html", "--min-cases", "1")
        raw = (folder / "a.html").read_text(encoding="utf-8")
        out["appraise-html"] = {"text": html.unescape(raw), "cells": None, "raw": raw}
        run("appraise", "--period", "2026-11", "--format", "xlsx", "--out", folder / "a.xlsx", "--min-cases", "1")
        cells = _xlsx_cells(folder / "a.xlsx")
        out["appraise-xlsx"] = {"text": "\n".join(map(str, cells)), "cells": cells}
        data = json.loads(run("appraise", "--period", "2026-11", "--json", "--min-cases", "1"))
        out["appraise-json"] = {"text": "\n".join(_json_strings(data)), "cells": None}
    finally:
        use_registry(previous)
    return out


_BETWEEN_DIGITS = re.compile(r"(?<=[0-9*Xx])[ \t\-_.、～~/，,()（）]{1,3}(?=[0-9*Xx])")  # not \n: cells apart


def searchable(text: str) -> str:
    """``text`` as the masker reads it (NFKC, Chinese numerals, dashes), separators between
    digits dropped, lower case: a number leaks in any spelling if its digits are in here."""
    return _BETWEEN_DIGITS.sub("", normalise(text)[0]).lower()


@pytest.fixture(scope="module")
def searched(outputs) -> dict[str, str]:
    return {w: searchable(o["text"]) for w, o in outputs.items()}


def _reaches(writer: str, secret: Secret) -> bool:
    """Whether the writer publishes the fields this value sits in: the appraisal report shows the
    settings value (numbers and e-mails), not the cases; everything else shows every case."""
    if writer.startswith("appraise"):
        return secret.kind not in ("door", "name")
    return True


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("writer", WRITERS)
def test_no_personal_data_of_any_kind_in_any_spelling(outputs, searched, writer, kind):
    text = searched[writer]
    secrets = [s for s in PERSONAL if s.kind == kind and _reaches(writer, s)]
    if writer.startswith("appraise"):
        assert (kind in ("door", "name")) == (secrets == [])
    leaks = [(s, h) for s in secrets for h in s.hidden if searchable(h) in text]
    assert leaks == [], f"{writer}: {leaks}"
    missing = [s for s in secrets if searchable(s.kept) not in text]
    assert missing == [], f"{writer}: these never reached the output (the test would prove nothing): {missing}"
    # the requester's own name is masked by the field rule, everywhere
    assert "王小明" not in outputs[writer]["text"] and "小明" not in text


@pytest.mark.parametrize("writer", ["board-csv", "board-xlsx", "export-csv", "serve", "appraise-xlsx"])
def test_no_spreadsheet_cell_starts_a_formula(outputs, writer):
    """CSV and XLSX cells; the serve snapshot's too (datasette offers every table as CSV)."""
    cells = outputs[writer]["cells"]
    number = re.compile(r"-?\d+(\.\d+)?")
    unsafe = [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_START) and not number.fullmatch(c)]
    assert unsafe == []
    texts = [c for c in cells if isinstance(c, str)]
    # the hostile values did reach the cells, neutralised with a leading '
    assert "'" + VILLAGE in texts or any(t.startswith("'" + VILLAGE) for t in texts)
    if writer != "appraise-xlsx":
        for f in FORMULAS:
            assert any(t == "'" + f for t in texts), f
    if writer.startswith("board"):
        assert "'" + PERSON in texts  # the handler's name
    if writer == "board-xlsx":  # control characters dropped, \v and \f as line breaks
        assert '路灯\n坏了=HYPERLINK("http://x")\n' in texts


@pytest.mark.parametrize("writer", ["board-html", "board-md", "appraise-html"])
def test_no_raw_markup_in_html_or_markdown(outputs, writer):
    raw = outputs[writer]["raw"]
    low = raw.lower()
    for d in DANGER:
        assert d not in low, d
    assert "&lt;script&gt;alert(1)&lt;/script&gt;镇" in raw  # the town's name reached the page, escaped
    if writer == "board-md":
        assert "](javascript" not in raw.replace("\\]", "")  # no link can form
        lines = raw.splitlines()
        assert not any(ln.startswith(("## 注入", "- 列表", "| a |", "[点我]")) for ln in lines)
        assert [ln for ln in lines if ln.startswith("#")] == [
            "# &lt;script&gt;alert(1)&lt;/script&gt;镇公示", "## &lt;script&gt;alert(1)&lt;/script&gt;镇事项",
            '# =HYPERLINK("http://x")村公示', '## =HYPERLINK("http://x")村事项']


def test_the_serve_snapshot_file_holds_no_raw_value(outputs):
    """The SQLite file itself (free pages and all), not only its rows. (A record's fields lie
    side by side in the file, so only windows of 7 characters or more are searched: a kept
    tail followed by the next field's date must not count.)"""
    raw = searchable(outputs["serve"]["raw"])
    leaks = [(s, h) for s in PERSONAL for h in s.hidden if (len(h) >= 7 or not h.isdigit()) and searchable(h) in raw]
    assert any(len(h) >= 7 for s in PERSONAL for h in s.hidden)
    assert leaks == []


@pytest.mark.parametrize("writer", WRITERS)
def test_no_attachment_reference_or_party_name_in_any_writer(outputs, writer):
    """Issue 19 (docs/hooks.md §12.6, §12.7): an attachment's URL or path, its checksum and its
    caption, and a signing party's name, reach no public writer — the board rows carry the raw
    records, the kernel shows ``附件 2 件`` and ``签字 2/2``."""
    text = outputs[writer]["text"] + outputs[writer].get("raw", "")  # the snapshot file itself too
    for secret in ("media.example.cn", "/srv/county", "13912345678", ATTACHMENT_SHA, ATTACHMENT_CAPTION,
                   "欧阳锋", "上官婉儿"):
        assert secret not in text, f"{writer}: {secret}"
    if writer.startswith("board") or writer == "serve":
        assert "附件 2 件" in text and "签字 2/2" in text

