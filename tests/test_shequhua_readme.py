"""The example of plugins/contrib/shequhua/README.md runs as written (on a throw-away database),
and what its comments say is what the commands answer."""

from __future__ import annotations

import shlex
from pathlib import Path

from test_shequhua_time import Run

import plugins.contrib.shequhua

README = Path(plugins.contrib.shequhua.__file__).parent / "README.md"
ROOT = Path(plugins.contrib.shequhua.__file__).resolve().parents[3]


def example_commands() -> list[list[str]]:
    """The commands of the README's example block, continuation lines joined, comments dropped."""
    text = README.read_text(encoding="utf-8").split("## An example", 1)[1].split("\n\n", 2)[1]
    joined = text.replace("\\\n", " ")
    return [shlex.split(line, comments=True) for line in joined.splitlines() if line.strip()]


def test_the_readme_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    run = Run(tmp_path / "county.db")
    commands = example_commands()
    assert [c[:3] for c in commands][:2] == [["county", "init", "--config"], ["county", "case", "add"]]
    out = [run(*c[1:], "--json").data for c in commands]
    by = {" ".join(c[1:3]): d for c, d in zip(commands, out)}
    assert (out[1]["id"], out[1]["handler"]) == ("ss-000001", "yzh-02")
    assert (out[2]["category"], out[2]["extra"]["kind"], out[2]["handler"]) == ("mediation", "dispute", "yzh-01")
    assert by["shequhua draw"]["villages"] == ["ss.mj.yzh"]
    assert by["shequhua reimburse"]["village_part"] == 2000.0
    assert {(d["kind"], d["unit"], d["done"]) for d in by["duties --date"] if d["method"] == "shequhua"} >= {
        ("regular_check", "ss.mj.yzh", True), ("regular_check", "ss.dp.dxlz", False)}
    assert [m["value"] for m in by["appraise --unit"] if m["metric"] == "model_villages" and m["subject"] == "ss"] == [1]
