"""wuzifa's README quick start runs as written, and its settings table matches the declaration."""

import re
from pathlib import Path

from framework.testing import readme_commands, run_commands
from plugins.contrib.wuzifa import rules

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "plugins" / "contrib" / "wuzifa" / "README.md").read_text(encoding="utf-8")


def test_quick_start_runs(county_cli):
    commands = readme_commands(ROOT / "plugins" / "contrib" / "wuzifa" / "README.md", "Quick start")
    assert len(commands) == 7
    run_commands(county_cli, commands, cwd=ROOT)
    shown = county_cli("case", "show", "jc-000001", "--now", "2024-10-15T10:00", "--json").data
    assert (shown["status"], shown["due_at"], shown["signoff"]["signed"]) == (
        "resolved", "2025-01-06T23:59:59+08:00", 1)


def test_settings_table_matches_the_declaration():
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+?) \|", README.split("## Settings", 1)[1].split("## Commands")[0], re.MULTILINE))
    declared = {s.name: s.default for s in rules.SETTINGS}
    assert set(rows) == set(declared)
    for name, default in declared.items():
        shown = rows[name].strip("`")
        assert shown == (str(default).lower() if isinstance(default, bool) else
                         str(default).replace("'", '"') if isinstance(default, list) else str(default)), name
