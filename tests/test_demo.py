"""`county demo`: builds the demo county, loads the real 附件4 messages (or the built-in sample
when the real data are absent), replays the nightly sweeps, and writes boards and appraisal."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from framework.demo import TAIDI_REPLIED
from framework.testing import real_data

BJ = dt.timezone(dt.timedelta(hours=8))


def _t(v) -> dt.datetime:
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=BJ)
    y, mo, d, h, mi, s = (int(x or 0) for x in re.match(
        r"^(\d{4})/(\d{1,2})/(\d{1,2})(?: (\d{1,2}):(\d{1,2}):(\d{1,2}))?$", str(v).strip()).groups())
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=BJ)


def _village_on_time(pairs) -> int:
    return sum(rep <= dt.datetime.combine(arr.date() + dt.timedelta(days=5), dt.time(23, 59, 59), tzinfo=BJ)
               for arr, rep in pairs)


def _check_outputs(out: Path, summary: dict) -> None:
    for name in ("demo.db", "county.toml", "appraisal.json", "appraisal.txt", "summary.txt"):
        assert (out / name).is_file(), name
    boards = sorted(p.name for p in (out / "boards").iterdir())
    assert len(boards) == 24  # county + 3 townships, 2 periods, html/md/csv
    html = next((out / "boards").glob("demo_*.html")).read_text(encoding="utf-8")
    assert "<html" in html.lower() and "台账" in html
    metrics = json.loads((out / "appraisal.json").read_text(encoding="utf-8"))
    assert any(m["metric"] == "on_time_rate" and m["subject"] == "demo" for m in metrics)
    assert "按期办结率" in (out / "appraisal.txt").read_text(encoding="utf-8")
    assert summary["methods"][0] == "taizhang" and set(summary["methods"]) <= {
        "taizhang", "dianti", "daiban", "xiangkai", "shequ365"}


def test_demo_on_the_built_in_sample_when_real_data_are_absent(county_cli, tmp_path, monkeypatch):
    empty = tmp_path / "no-real-data"
    empty.mkdir()
    monkeypatch.setenv("COUNTY_DATA", str(empty))
    out = tmp_path / "out"
    r = county_cli("demo", "--out", out, "--json")
    s = r.data
    assert s["data"] == "sample" and s["source"].endswith("sample_messages.csv")
    rows = list(csv.DictReader(Path(s["source"]).open(encoding="utf-8")))
    pairs = [(_t(x["留言时间"]), _t(x["答复时间"])) for x in rows]
    assert (s["cases"], s["resolved"], s["refused"]) == (len(rows), len(rows), [])
    assert (s["on_time"], s["on_time_denominator"]) == (_village_on_time(pairs), len(rows))
    assert s["escalations"] > 0 and s["sweeps"] > 0
    _check_outputs(out, s)
    human = county_cli("demo", "--out", out).stdout
    assert "built-in sample" in human and f"wrote {out}/" in human
    # the written database is a working deployment
    cases = county_cli("case", "list", "--db", out / "demo.db", "--json").data
    assert len(cases) == len(rows) and all(c["status"] == "resolved" for c in cases)


def test_demo_on_the_real_replied_messages(county_cli, tmp_path):
    src = real_data(TAIDI_REPLIED)
    import openpyxl

    wb = openpyxl.load_workbook(src, read_only=True)
    rows = [r for r in wb.active.iter_rows(values_only=True) if any(c is not None for c in r)]
    head = list(rows[0])
    pairs = [(_t(r[head.index("留言时间")]), _t(r[head.index("答复时间")])) for r in rows[1:]]
    out = tmp_path / "out"
    s = county_cli("demo", "--out", out, "--data", real_data(), "--json").data
    assert s["data"] == "real" and s["source"] == str(src)
    assert (s["cases"], s["resolved"], s["refused"]) == (2816, 2816, [])
    # sweeps or not, a reply after the village's 5 days is a missed milestone
    assert (s["on_time"], s["on_time_denominator"]) == (_village_on_time(pairs), 2816)
    assert (s["first_month"], s["last_month"]) == ("2011-04", "2020-01")
    # escalated cases were resolved at the tier they had reached by the reply
    shares = s["share_settled"]
    assert shares["village"] == pytest.approx(s["on_time"] / 2816)
    assert shares["township"] > 0 and shares["ledger_office"] > 0
    _check_outputs(out, s)


def test_demo_with_a_missing_data_folder_is_a_one_line_error(county_cli, tmp_path):
    r = county_cli("demo", "--out", tmp_path / "o", "--data", tmp_path / "nowhere", ok=2)
    assert r.stderr.strip() == f"error: --data {tmp_path / 'nowhere'}: no such folder"
