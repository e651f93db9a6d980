"""Issue 15's matrix with generated values (hypothesis): each example draws 1–4 personal values —
mobiles, ID numbers, landlines, cards (62…, Luhn), e-mails (with a ``+tag``), door-level
addresses — each in a drawn style (ASCII, full-width, Chinese numerals) and separator (every one
of :data:`test_public_writers.SEPARATORS`, the list/range separators 、 ～ / included), puts them in
the titles, descriptions and notes of an in-memory county's cases and in the method's settings
value, and runs every public writer's function as the CLI does (boards html/md/csv/xlsx/json,
the public Open311 and CSV exports, the serve snapshot, the appraisal html/xlsx/json). No hidden
digit, local part or door number may survive in any spelling; what the rule keeps must arrive.
tests/test_public_writers.py runs the fixed list through the CLI itself.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_public_writers import (
    DEPLOYMENT,
    SEPARATORS,
    Secret,
    _json_strings,
    _number,
    _registry,
    _spell,
    _xlsx_cells,
    searchable,
)

from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.models import Requester, to_json
from framework.store.db import Store

SPELLING = st.tuples(st.sampled_from(["ascii", "full", "chinese"]), st.sampled_from(SEPARATORS))


def _digit_run(pattern: str):
    """Digits matching ``pattern`` with no digit four times in a row (so that the windows
    searched for are the value's own, not zeros of a date elsewhere)."""
    return st.from_regex(pattern, fullmatch=True).filter(lambda d: not re.search(r"(\d)\1\1\1", d))


def _luhn(body: str) -> str:
    """``body`` with its Luhn check digit (bank cards)."""
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


@st.composite
def generated_secret(draw) -> Secret:
    """One personal value of a drawn kind, in a drawn style and separator (:data:`SEPARATORS`)."""
    kind = draw(st.sampled_from(["mobile", "id", "landline", "card", "email", "door"]))
    style, sep = draw(SPELLING)
    if kind == "mobile":
        d = draw(_digit_run(r"1[3-9][0-9]{9}"))
        return _number(kind, d, _spell(d, draw(st.sampled_from([[3, 4, 4], [3, 8], [7, 4], [11]])), style, sep), 3, 4)
    if kind == "id":
        d = (draw(st.from_regex(r"[1-6][0-9]{5}", fullmatch=True)) + str(draw(st.integers(1940, 2005)))
             + f"{draw(st.integers(1, 12)):02d}{draw(st.integers(1, 28)):02d}" + draw(_digit_run(r"[0-9]{4}")))
        return _number(kind, d, _spell(d, draw(st.sampled_from([[6, 8, 4], [4, 4, 4, 4, 2], [18]])),
                                       "full" if style == "chinese" else style, sep), 6, 4)
    if kind == "landline":
        area = draw(st.sampled_from(["028", "0838", "0731"]))
        d = area + draw(_digit_run(r"[2-8][0-9]{6}"))
        return _number(kind, d, _spell(d, [len(area), len(d) - len(area)], "ascii" if style == "chinese" else style,
                                       sep if sep.strip() not in "、～/" else "-"), len(area), 4)
    if kind == "card":
        d = _luhn("62" + draw(_digit_run(r"[0-9]{13}")))
        return _number(kind, d, _spell(d, [4, 4, 4, 4], "ascii" if style == "chinese" else style, sep), 4, 4)
    if kind == "email":
        local = draw(st.from_regex(r"[a-z][a-z0-9]{3,8}(\+[a-z]{2,4})?", fullmatch=True))
        written = f"{local}@example.com"
        if style == "full":
            written = written.replace("@", "＠")
        return Secret(kind, written, [local[1:] + "@"], "@example.com")
    group, door, room = draw(st.integers(1, 30)), draw(st.integers(1, 300)), draw(st.integers(101, 2505))
    written = draw(st.sampled_from([f"柳林沟村{group}组{door}号", f"南街{door}号{group}栋{room}室",
                                    f"幸福小区{group}号楼{room}", f"和平社区{group}幢{room}室"]))
    # the hidden number with the word it belongs to (a bare 3-digit room could be any date's digits:
    # "261" is inside the board's data-period 2026-11 once separators are dropped)
    hidden = (f"{door}号" if "号" in written and "号楼" not in written
              else f"{room}室" if written.endswith("室") else f"楼{room}")
    return Secret(kind, written, [hidden], written[:2])


def _all_writer_texts(county, folder) -> dict[str, str]:
    """Every public writer's output as searchable text, called as the CLI calls them."""
    from framework.interchange import open311
    from framework.publish import render, reports, serve

    boards = county.boards("zj.t", "2026-11") + county.boards("zj.t.v", "2026-11")
    out = {f"board-{fmt}": render.render(boards, fmt, county=county) for fmt in ("html", "md", "csv", "json")}
    (folder / "b.xlsx").write_bytes(render.render(boards, "xlsx", county=county))
    out["board-xlsx"] = "\n".join(map(str, _xlsx_cells(folder / "b.xlsx")))
    out["board-json"] = "\n".join(_json_strings(json.loads(out["board-json"])))
    out["export-open311"] = "\n".join(_json_strings(open311.export_open311(county, public=True)))
    out["export-csv"] = open311.export_csv(county, public=True)
    path = folder / "public.db"
    serve.build_public_db(county, path, ["2026-11"])
    snap = sqlite3.connect(path)
    out["serve"] = "\n".join(str(v) for t in ("boards", "board_rows", "cases", "appraisal")
                             for row in snap.execute(f'select * from "{t}"') for v in row if v is not None)
    snap.close()
    report = reports.build_report(county, "2026-11", None, min_cases=1, trend=False)
    out["appraise-html"] = reports.render_html(report, county)
    (folder / "a.xlsx").write_bytes(reports.render_xlsx(report, county))
    out["appraise-xlsx"] = "\n".join(map(str, _xlsx_cells(folder / "a.xlsx")))
    out["appraise-json"] = "\n".join(_json_strings([to_json(m) for m in reports.public_metrics(county.appraise("2026-11"))]))
    return {w: searchable(html.unescape(t)) for w, t in out.items()}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(generated_secret(), min_size=1, max_size=4))
def test_generated_spellings_leave_no_trace_in_any_writer(secrets):
    deployment = {**DEPLOYMENT, "plugins": {"matrix": {"hotline": "监督" + "；".join(
        s.written for s in secrets if s.kind != "door")}}}
    county = County.init(Store(":memory:"), deployment_from_dict(deployment), _registry())
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-02T10:00:00+08:00")
    for i, s in enumerate(secrets):
        text = f"反映：{s.written}，请处理"
        c = county.add_case("matrix", "zj.t.v", text if i % 3 == 0 else f"事项{i}",
                            description=text if i % 3 == 1 else "无", fields={"note": text if i % 3 == 2 else "无"},
                            requester=Requester(name="王小明"))
        county.resolve(c.id, text)
    with tempfile.TemporaryDirectory() as d:
        texts = _all_writer_texts(county, Path(d))
    for writer, text in texts.items():
        for s in secrets:
            if writer.startswith("appraise") and s.kind == "door":
                continue  # (the appraisal shows the settings value, which holds no door)
            assert [h for h in s.hidden if searchable(h) in text] == [], (writer, s)
            assert searchable(s.kept) in text, (writer, s, "never reached the output")
