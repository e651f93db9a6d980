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
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.store import Store

#: The made-up contacts the demo months put on seeded cases (plugins' demo.py), never on a board.
DEMO_PHONE = "13907450123"
DEMO_ID_NUMBER = "431229196803150017"
from framework.testing import real_data

BJ = dt.timezone(dt.timedelta(hours=8))


def _t(v) -> dt.datetime:
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=BJ)
    y, mo, d, h, mi, s = (int(x or 0) for x in re.match(
        r"^(\d{4})/(\d{1,2})/(\d{1,2})(?: (\d{1,2}):(\d{1,2}):(\d{1,2}))?$", str(v).strip()).groups())
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=BJ)


@pytest.fixture(autouse=True)
def five_methods_only(monkeypatch, cli_registry):
    """The demo enables every installed method with a demo month: these tests count the five
    built-in ones, whatever else a developer's environment has installed."""
    monkeypatch.setenv("COUNTY_LOAD_PLUGINS", "taizhang,dianti,daiban,xiangkai,shequ365")
    cli_registry(Registry())


def _village_on_time(pairs) -> int:
    return sum(rep <= dt.datetime.combine(arr.date() + dt.timedelta(days=5), dt.time(23, 59, 59), tzinfo=BJ)
               for arr, rep in pairs)


#: board title -> method (the csv's first column names the board)
BOARD_KEYS = (("点题服务公开栏", "dianti"), ("代办", "daiban"), ("乡会村开", "xiangkai"), ("居务公开栏", "shequ365"),
              ("晒账", "taizhang"))
#: rows of the four seeded methods on the county's boards, demo month 2019-12 / year 2019 (verified:
#: 8 dianti requests + 8 measures + 7 results; 10 daiban cards + 3 overdue-register entries, and for
#: the year the ranking of the 4 agents where daiban applies ([where] daiban = 新建村: its two group
#: agents and village agent, and the township's agent above it; the 5 agents of 富兴镇 and 观音村 take no
#: part); 3 agenda rows + 3 outcomes + 2 notices; 2 cases + 3 joint items)
SEEDED_ROWS = {"2019-12": {"dianti": 23, "daiban": 13, "xiangkai": 8, "shequ365": 5},
               "2019": {"dianti": 23, "daiban": 17, "xiangkai": 8, "shequ365": 5}}


def _board_rows(path: Path) -> dict[str, int]:
    """Rows per method in a written csv board file (sections repeat their header line)."""
    out = {m: 0 for _, m in BOARD_KEYS}
    for r in csv.reader(path.open(encoding="utf-8-sig")):
        if r and r[0] != "公示栏":
            out[next(m for k, m in BOARD_KEYS if k in r[0])] += 1
    return out


def _check_five_methods(out: Path, summary: dict, taizhang: dict[str, int], taken: int) -> None:
    """Every method has rows on the written county boards of the demo month and year, with the
    exact counts; each township's boards together carry the same rows; no raw phone or ID."""
    assert (summary["board_month"], summary["board_year"]) == ("2019-12", 2019)
    for period, want in SEEDED_ROWS.items():
        want = {"taizhang": taizhang[period], **want}
        assert _board_rows(out / "boards" / f"demo_{period}.csv") == want, period
        towns = [_board_rows(out / "boards" / f"{t}_{period}.csv") for t in ("demo.fx", "demo.ts", "demo.cg")]
        assert {m: sum(t[m] for t in towns) for m in want} == want, period
        assert {m: summary["method_rows"][m][period] for m in want} == want
    # each method's county_demo line, exactly (made-up month, fixed days)
    seeded = summary["seeded"]
    assert list(seeded) == ["taizhang", "daiban", "dianti", "shequ365", "xiangkai"]
    assert seeded["dianti"] == "dianti 观音村：点题 8 件交 3 个服务小组（成员 7 名），已服务 7 件，群众评价 15 次"
    assert seeded["daiban"] == ("daiban 新建村：为民代办服务跟踪卡 10 张（超时办结 2 张，逾期未办 1 张），"
                                "2019-12 跟踪卡检查超期登记 3 张，实名投诉 1 件限期整改后办结")
    assert seeded["xiangkai"] == (f"xiangkai 新建村：议题 3 个（{summary['real_titles']} 个取自真实留言标题），"
                                  "召开会议 1 次（M-0001），督办通知书 2 份，回访 1 次")
    assert seeded["shequ365"] == "shequ365 和平社区：联系户 6 户，已走访 5 户，一日两巡 112/124 次，事项 2 件"
    for p in [*(out / "boards").iterdir(), out / "summary.txt", out / "appraisal.txt"]:
        text = p.read_text(encoding="utf-8")
        assert DEMO_PHONE not in text and DEMO_ID_NUMBER not in text, p.name
        assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text), p.name  # a mobile number
        if p.parent.name == "boards":  # casebook line numbers are for READMEs, not for villagers
            # (as plugins cited them: "（L83、L93）", "（casebook L381）"; the real messages' anonymised
            # place names such as "L2县" are text, not citations)
            assert not re.search(r"[（(、]\s*L\d{1,3}(?!\d)|casebook", text), p.name
        assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", text), p.name  # an ID number
    metrics = json.loads((out / "appraisal.json").read_text(encoding="utf-8"))
    awards = {m["metric"]: m["subject"] for m in metrics if m["metric"].startswith("award_") and m["period"] == "2019"}
    assert sorted(awards) == ["award_best_group", "award_best_project", "award_service_star"]
    assert (awards["award_best_group"], awards["award_service_star"]) == ("demo.ts.gy:technical", "gy-n1")
    # [where]: the urban community's board carries only the 365 method, a village's only the ledgers
    db = out / "demo.db"
    county = County(Store(str(db)), Registry())
    county.clock.fixed = county.calendar.period_bounds("2019-12")[1]
    assert [b.title for b in county.boards("demo.cg.hp", "2019-12")] == ["和平社区居务公开栏（2019-12）"]
    assert [b.method for b in county.boards("demo.fx.llg", "2019-12")] == ["taizhang"]
    county.store.db.conn.close()
    # appraisal.txt shows every method for the demo year: cases taken in at the county level
    appraisal = (out / "appraisal.txt").read_text(encoding="utf-8")
    taken_in = dict(re.findall(r"^2019 +示范县 +(\w+) +受理数 +(\d+) *$", appraisal, re.M))
    assert taken_in == {"台账工作法": str(taken), "村民事务代办": "10", "点题服务": "8", "365社区服务工作法": "2",
                        "乡会村开": "3"}  # each method by its Chinese title
    text = (out / "summary.txt").read_text(encoding="utf-8")
    assert "各工作法的演示月 2019-12" in text and "公示栏行数（县级，2019-12 / 2019）：" in text


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
    # taizhang confirms every third case resolved in the demo month (a documented, made-up share)
    seeded = -(-sum(1 for _, reply in pairs if reply.strftime("%Y-%m") == "2019-12") // 3)
    assert (s["cases"], s["resolved"], s["refused"]) == (len(rows), len(rows), [])
    assert (s["on_time"], s["on_time_denominator"]) == (_village_on_time(pairs), len(rows))
    assert s["escalations"] > 0 and s["sweeps"] > 0
    _check_outputs(out, s)
    human = county_cli("demo", "--out", out, "--force").stdout  # the same folder again: --force (issue 15)
    assert "使用内置样例" in human and f"已写入 {out}/" in human
    # tiers by their Chinese titles, largest share first: 22, 18 and 8 of the 48 sample cases
    assert "\n各层级办结：乡镇 45.8%、村(社区) 37.5%、县三账办 16.7%\n" in human
    # the written database is a working deployment
    cases = county_cli("case", "list", "--db", out / "demo.db", "--method", "taizhang", "--json").data
    assert len(cases) == len(rows) and {c["status"] for c in cases} == {"resolved", "confirmed"}
    assert sum(c["status"] == "confirmed" for c in cases) == seeded
    # the four other methods get the same seeded month as on the real data
    _check_five_methods(out, s, {"2019-12": 2 + seeded, "2019": len(rows) + seeded}, len(rows))
    assert "样例数据（虚构）：48 件 taizhang 事项，另把 2019-12 的 2 条留言标题提供给其他工作法" in human


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
    seeded = -(-sum(1 for _, reply in pairs if reply.strftime("%Y-%m") == "2019-12") // 3)
    _check_five_methods(out, s, {"2019-12": 76 + seeded, "2019": 886 + seeded}, 886)
    assert s["real_titles"] == 3
    assert "真实数据：2816 件 taizhang 事项，另把 2019-12 的 3 条留言标题提供给其他工作法" in s["text"]


def test_demo_is_deterministic(county_cli, tmp_path):
    """Two runs write the same boards and appraisal (the sample keeps it quick)."""
    empty = tmp_path / "no-real-data"
    empty.mkdir()
    runs = []
    for name in ("a", "b"):
        county_cli("demo", "--out", tmp_path / name, "--data", empty, "--json")
        runs.append({p.name: p.read_bytes() for p in [*(tmp_path / name / "boards").iterdir(), tmp_path / name / "appraisal.json"]})
    assert runs[0] == runs[1]


def test_demo_with_a_missing_data_folder_is_a_one_line_error(county_cli, tmp_path):
    r = county_cli("demo", "--out", tmp_path / "o", "--data", tmp_path / "nowhere", ok=2)
    assert r.stderr.strip() == f"error: --data {tmp_path / 'nowhere'}: no such folder"
