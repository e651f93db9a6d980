"""What the READMEs' examples quote a command printing is what it prints now, exactly.

In a README's example (the first code block of a ``## `` section: ``## Quick start``, the top
README's ``## Operator quick start``, shequhua's ``## An example``…), a comment line
``# ⇒ TEXT`` below a command quotes one line the command prints (stdout or stderr), character
for character but for the line's leading indentation: the sweep's ``时限已逾期：…；上报 A → B``
lines, a method's confirmations. Every quick start quotes some. The commands are run in order in a
throw-away database, from the repository root (the READMEs' relative ``--config`` paths), up
to the last command that has a quote; each quoted line must be one of that command's output
lines. Other comments (why a due date falls where it does) are the README's own words and are
not checked here: the per-method quick-start tests assert those values from ``--json``.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from framework.testing import CountyRunner, readme_commands, run_commands

ROOT = Path(__file__).resolve().parents[1]
QUOTE = "# ⇒ "


def _sections(path: Path) -> list[str]:
    """The ``## `` headings of ``path`` whose text, up to the next heading, quotes output."""
    out, heading = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
        elif heading and line.strip().startswith(QUOTE) and heading not in out:
            out.append(heading)
    return out


READMES = [(p, s) for p in [ROOT / "README.md", *sorted(ROOT.glob("plugins/**/README.md"))] for s in _sections(p)]


def quoted(path: Path, section: str) -> list[list[str]]:
    """The quoted lines of each command of the block, in order (``[]`` for a command that
    quotes nothing); the commands are counted as :func:`readme_commands` splits them."""
    text = path.read_text(encoding="utf-8")
    start = text.index("\n## " + section)
    lines = text[start + 1:].splitlines()[1:]  # after the heading
    block, inside = [], False
    for line in lines:
        if line.startswith("## "):
            break
        if line.startswith("    ") or (inside and not line.strip()):
            inside = True
            block.append(line)
        elif inside:
            break
    quotes: list[list[str]] = []
    joining = False
    for line in block:
        text = line.strip()
        if not joining and text.startswith(QUOTE):
            assert quotes, f"{path.name}: a quote before any command"
            quotes[-1].append(text[len(QUOTE):])
        elif not joining and (not text or text.startswith("#")):
            continue
        else:
            if not joining:
                quotes.append([])
            joining = text.endswith("\\")
    return quotes


def test_every_quick_start_quotes_output():
    assert {p for p, _ in READMES} >= {p for p in ROOT.glob("plugins/**/README.md")
                                        if "\n## Quick start" in p.read_text(encoding="utf-8")}
    assert (ROOT / "README.md", "Operator quick start") in READMES


@pytest.mark.parametrize(("path", "section"), READMES,
                         ids=[f"{p.relative_to(ROOT)}:{s}" for p, s in READMES])
def test_quoted_lines_are_printed(path, section, tmp_path):
    commands = readme_commands(path, section)
    quotes = quoted(path, section)
    assert len(quotes) == len(commands), f"{path}: {len(quotes)} commands parsed, {len(commands)} run"
    last = max((i for i, q in enumerate(quotes) if q), default=-1)
    assert last >= 0, f"{path}: the quick start quotes no output (`{QUOTE}…` below a command)"
    results = run_commands(CountyRunner(tmp_path / "county.db"), commands[:last + 1], cwd=ROOT, ok=False)
    for command, result, want in zip(commands, results, quotes):
        got = [line.strip() for line in result.output.splitlines()]
        for line in want:
            assert line in got, f"{path.name}: `{shlex.join(command)}` printed:\n{result.output}"
