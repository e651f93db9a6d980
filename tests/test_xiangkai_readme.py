"""plugins/xiangkai/README.md against the code: every command it lists exists, every table it
names is created, every setting it tables is declared with that default, and the "Source facts
encoded" section claims nothing the code lacks (the facts it claims for a casebook line are
cited by that line in the code; what is not encoded is marked so)."""

import re
import sqlite3
from pathlib import Path

import click

from plugins.xiangkai import commands, rules
from test_xiangkai_network import TOML

PLUGIN = Path(__file__).resolve().parents[1] / "plugins" / "xiangkai"
README = (PLUGIN / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_every_listed_command_exists():
    listed = re.findall(r"county xiangkai ((?:[a-z]+ ?)+)", _section("CLI"))
    assert len(listed) >= 18
    for words in listed:
        cmd: click.Command = commands.group
        for w in words.split():
            if not isinstance(cmd, click.Group) or w not in cmd.commands:
                break
            cmd = cmd.commands[w]
        assert not isinstance(cmd, click.Group), f"`county xiangkai {words.strip()}` is not a command"


def test_every_named_table_is_created(init_county, county_db):
    init_county(TOML)
    named = set(re.findall(r"`(xiangkai_[a-z_]+)`", _section("Own tables")))
    with sqlite3.connect(county_db) as db:
        made = {r[0] for r in db.execute("select name from sqlite_master where type = 'table' and name like 'xiangkai_%'")}
    assert named == made
    assert {"xiangkai_links", "xiangkai_notice_waivers"} <= made


def test_the_settings_table_is_the_declaration():
    rows = re.findall(r"^\| `([a-z_]+)`(?: / `([a-z_]+)`)? \| (.+?) \|", _section("Settings (`[plugins.xiangkai]`)"), re.M)
    named = {n for a, b, _d in rows for n in (a, b) if n}
    assert named == {s.name for s in rules.SETTINGS}
    defaults = {s.name: s.default for s in rules.SETTINGS}
    assert (defaults["notice_due_days"], defaults["callback_every_days"]) == (1, 7)
    for a, _b, default in rows:
        if a in ("notice_due_days", "callback_every_days", "village_levels", "slack_months"):
            assert default.strip("`") == str(defaults[a]).replace("'", '"'), a


def test_encoded_facts_are_cited_in_the_code_and_the_rest_is_marked_not_encoded():
    facts = _section("Source facts encoded")
    code = "\n".join(p.read_text(encoding="utf-8") for p in PLUGIN.glob("*.py"))
    for line in re.findall(r"^\* (L\d+):", facts, re.M):
        assert re.search(rf"\b{line}\b", code), f"README claims {line} is encoded; no code cites it"
    # corrected claims: 按项目 themes and the network's visits are not in the code
    assert "themes by month, village and project" not in facts
    assert "**Not encoded:** themes by project" in facts
    # the network and the notice-or-reason rule are (their modules cite L246 / L253)
    assert "L246" in (PLUGIN / "network.py").read_text(encoding="utf-8")
    assert "L253" in (PLUGIN / "followup.py").read_text(encoding="utf-8")
