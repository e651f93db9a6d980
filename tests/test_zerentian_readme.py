"""zerentian's README quick start runs as written (every command exit 0) and its comments hold;
and methods.md S-13 (L316) with ``start_tier = "district_centre"``: an information officer's
photo of a broken facility, registered at the community terminal, goes straight to the district
centre, which classifies it and transfers it to the department.

Worked out by hand: the quick start's PDA report (Mon 2024-09-30 10:00) is due 10-08, 09, 10 →
10-10 23:59:59; the road request (Thu 10-10 09:00) 10-11, 10-12 (make-up Saturday), 10-14 →
10-14 23:59:59; transferred Mon 10-21 10:00 → 10 working days → 11-04 23:59:59. S-13: Tue
2024-11-05 09:00 at the centre: 11-06, 11-07 → due 11-07 23:59:59; transferred 11-06 10:00 to
区交通运输局: 11-07, 08, 11..15, 18, 19, 20 → 11-20 23:59:59.
"""

from __future__ import annotations

from pathlib import Path

import plugins.contrib.zerentian
from framework.testing import CountyRunner, readme_commands, run_commands

README = Path(plugins.contrib.zerentian.__file__).parent / "README.md"
TOML = Path(plugins.contrib.zerentian.__file__).parent / "data" / "lvyuan.toml"


def test_quick_start_runs(tmp_path):
    root = Path(plugins.contrib.zerentian.__file__).parents[3]
    run = CountyRunner(tmp_path / "county.db")
    commands = readme_commands(README, "Quick start")
    assert len(commands) == 15 and commands[0][:2] == ["county", "init"]
    run_commands(run, commands, cwd=root)
    a = run("case", "show", "ly-000001", "--json").data
    b = run("case", "show", "ly-000002", "--json").data
    assert (a["status"], a["joint_handler"], [m["n"] for m in a["attachments"]]) == ("resolved", "zy-f1", [1])
    assert [e["data"]["due_at"] for e in b["events"] if e["type"] == "overdue"] == [
        "2024-10-14T23:59:59+08:00", "2024-10-18T23:59:59+08:00"]
    assert (b["status"], b["unit"], b["handler"]) == ("resolved", "ly.jtj", "jtj-01")
    duties = run("duties", "--date", "2025-06-30", "--json").data
    assert sorted((d["kind"], d["subject"], d["done"]) for d in duties) == [
        ("report", "ky-1", False), ("report", "zy-1", True), ("review", "2025", True)]


def test_s13_straight_to_the_centre(tmp_path):
    text = TOML.read_text(encoding="utf-8").replace('start_tier = "workstation"', 'start_tier = "district_centre"')
    run = CountyRunner(tmp_path / "county.db").init(text)
    photo = tmp_path / "broken.png"
    photo.write_bytes(b"\x89PNG")
    c = run("zerentian", "pda", "--unit", "ly.zy.zysq", "--title", "健身器材损坏", "--officer", "zy-pda",
            "--media", photo, "--now", "2024-11-05T09:00", "--json").data
    assert (c["level"], c["unit"], c["handler"], c["joint_handler"], c["category"], c["due_at"]) == (
        "district_centre", "ly", "ly-zx", None, "other", "2024-11-07T23:59:59+08:00")
    assert (c["extra"]["workstation"], c["attachments"][0]["media_type"], c["attachments"][0]["size"]) == (
        "ly.zy.zysq", "image/png", 4)
    t = run("zerentian", "transfer", c["id"], "--department", "ly.jtj", "--now", "2024-11-06T10:00", "--json").data
    assert (t["level"], t["unit"], t["handler"], t["due_at"]) == ("department", "ly.jtj", "jtj-01",
                                                                 "2024-11-20T23:59:59+08:00")
    events = run("case", "show", c["id"], "--json").data["events"]
    assert [e["type"] for e in events if e["type"] in ("transferred", "assigned")][-3:] == ["transferred", "assigned", "assigned"]  # the hook's 责任人 an event too


def test_calendar_days_and_a_bad_keyword_setting(tmp_path):
    """``day_kind = "calendar"``: Thu 2024-10-10 09:00 + 3 days → Sunday 10-13 23:59:59 (working
    days would give 10-14). A ``keywords`` key that is not a category is refused by triage, one
    line naming the setting, and nothing is taken in."""
    text = TOML.read_text(encoding="utf-8").replace('day_kind = "working"', 'day_kind = "calendar"').replace(
        "[plugins.zerentian.category_departments]", '[plugins.zerentian.keywords]\nroads = ["路"]\n\n'
                                                    "[plugins.zerentian.category_departments]")
    run = CountyRunner(tmp_path / "county.db").init(text)
    c = run("case", "add", "--method", "zerentian", "--unit", "ly.xx.ky", "--title", "村道路灯不亮", "--category",
            "infrastructure", "--now", "2024-10-10T09:00", "--json").data
    assert c["due_at"] == "2024-10-13T23:59:59+08:00"
    r = run("case", "add", "--method", "zerentian", "--unit", "ly.xx.ky", "--title", "村道路灯不亮",
            "--now", "2024-10-10T09:00", ok=2)
    assert r.stderr.startswith("error: [plugins.zerentian] keywords: 'roads' is not a category (livelihood, ")
    assert len(run("case", "list", "--json").data) == 1
