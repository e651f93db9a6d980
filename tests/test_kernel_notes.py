"""The kernel's own human text is Chinese (framework/kernel/notes.py): the notes of the events
it writes — the sweep's 督办 and 上报, an operator's 上报, the intake channel — as `county case
show` and `county export --public` show them, and the sweep's own lines. Events written before
keep their English notes as written (the audit chain hashes them; nothing parses a note).

taizhang on the mini 中江 deployment: a case taken in Mon 2026-11-02 10:00 at the village has
5 calendar days (casebook L29: "村级5天内办结") → ``close`` due 2026-11-07 23:59:59+08:00; the
sweep of 11-08 00:00 escalates it to the township, whose limits run from then: reply 10 days
(11-18 23:59:59), report_up 15 days (11-23 23:59:59, L31).
"""

import datetime as dt
import json
import sqlite3
from zoneinfo import ZoneInfo

import pytest
from deployments import mini_zhongjiang

from framework.kernel.county import County
from framework.store.db import Store
from framework.testing import CountyRunner

OVERDUE = "时限已逾期：close（5天内办结，解决不了的上报乡镇），期限 2026-11-07T23:59:59+08:00"
ESCALATED = "时限逾期：close（5天内办结，解决不了的上报乡镇），督办上报至乡镇 township"


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """One county for the module: zj-000001 swept and escalated, zj-000002 escalated by hand
    (no --reason), zj-000003 still at its village; with the outputs read once."""
    folder = tmp_path_factory.mktemp("notes")
    (folder / "county.toml").write_text(mini_zhongjiang(), encoding="utf-8")
    run = CountyRunner(str(folder / "county.db"))
    run("init", "--config", folder / "county.toml")
    for title, channel in (("村口路灯不亮", "hotline"), ("3组水渠堵塞", None)):
        run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", title, "--category",
            "livelihood", *(["--channel", channel] if channel else []), "--now", "2026-11-02T10:00")
    run("case", "escalate", "zj-000002", "--now", "2026-11-03T09:00")
    run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "修桥", "--category", "livelihood",
        "--now", "2026-11-05T10:00")  # due 11-10: not yet
    sweep = run("sweep", "--now", "2026-11-08T00:00")
    return {"run": run, "db": str(folder / "county.db"), "sweep": sweep.stdout,
            "show": run("case", "show", "zj-000001", "--now", "2026-11-08T09:00").stdout,
            "json": run("case", "show", "zj-000001", "--now", "2026-11-08T09:00", "--json").data,
            "open311": json.loads(run("export", "--format", "open311", "--public", "--now", "2026-11-08T09:00").stdout)}


def test_the_swept_case_shows_the_chinese_overdue_and_escalation_notes(swept):
    notes = [(e["type"], e["level"], e["note"]) for e in swept["json"]["events"]]
    assert notes == [("registered", None, "受理渠道 民情电话 hotline"),
                     ("overdue", "village", OVERDUE),
                     ("escalated", "township", ESCALATED),
                     ("assigned", "township", None)]
    lines = swept["show"].splitlines()
    assert lines[1] == "  状态 已上报 escalated，层级 乡镇 township，单位 富兴镇 zj.fx，责任人 -"
    assert lines[2] == "  受理 2026-11-02T10:00:00+08:00，期限 2026-11-23T23:59:59+08:00"
    assert any(line.split()[1:3] == ["超期督办", "overdue"] and line.endswith(OVERDUE) for line in lines)
    assert any(line.split()[1:3] == ["上报", "escalated"] and line.endswith(ESCALATED) for line in lines)
    assert "missed" not in swept["show"] and "sweep" not in swept["show"]


def test_the_public_export_carries_the_chinese_notes(swept):
    [req] = [r for r in swept["open311"] if r["extended_attributes"]["county"]["case_id"] == "zj-000001"]
    events = req["extended_attributes"]["county"]["events"]
    assert [(e["type"], e["note"]) for e in events if e["type"] in ("overdue", "escalated")] == [
        ("overdue", OVERDUE), ("escalated", ESCALATED)]


def test_the_sweep_says_what_it_did_in_chinese_and_an_operator_escalation_names_the_tier(swept):
    assert swept["sweep"] == (f"zj-000001  {OVERDUE}；上报 村(社区) village → 乡镇 township\n"
                              "2026-11-08T00:00:00+08:00 督办：1 项\n")
    by_hand = swept["run"]("case", "show", "zj-000002", "--json", "--now", "2026-11-08T09:00").data["events"]
    assert [(e["type"], e["note"]) for e in by_hand][:3] == [("registered", None), ("escalated", "人工上报至乡镇 township"),
                                                              ("assigned", None)]


def test_an_old_english_note_is_kept_as_written_and_the_chain_still_holds(swept, tmp_path):
    """A database written before keeps its English notes: the kernel never rewrites them and
    nothing reads them (``county verify`` finds the chain whole)."""
    copy = tmp_path / "old.db"
    with sqlite3.connect(swept["db"]) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    old = "close due 2026-11-10T23:59:59+08:00 missed"  # as the kernel wrote a 督办 note before
    county = County(Store(str(copy)), actor="tester", now=dt.datetime(2026, 11, 11, tzinfo=ZoneInfo("Asia/Shanghai")))
    county.record_event("zj-000003", "overdue", note=old, data={"milestone": "close"})  # written with the old text
    county.store.db.close()
    run = CountyRunner(str(copy))
    shown = run("case", "show", "zj-000003", "--now", "2026-11-11T10:00", "--json").data["events"]
    assert (shown[-1]["type"], shown[-1]["note"]) == ("overdue", old)
    assert run("case", "show", "zj-000003", "--now", "2026-11-11T10:00").stdout.rstrip().endswith(old)
    assert run("verify", "--now", "2026-11-11T10:00", "--json").data["ok"] is True
