"""Any stdout encoding (issue 15): ``county --help`` and every subcommand's ``--help`` (the whole
click command tree, the plugins' commands included), and commands that print Chinese, exit 0
under a latin-1 (or ascii) stdout instead of crashing with UnicodeEncodeError.

One subprocess walks the tree and calls the console script's ``main()`` for each command path,
the process's real stdout and stderr set back to the hostile encoding before each call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent('''
    import json, sys
    import click
    from framework.cli.main import cli, main

    ENCODING, OUT = sys.argv[1], sys.argv[0] + ".json"

    def paths(group, prefix, ctx):
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            if cmd is None or getattr(cmd, "hidden", False):
                continue
            yield prefix + [name]
            if isinstance(cmd, click.Group):
                yield from paths(cmd, prefix + [name], click.Context(cmd, parent=ctx, info_name=name))

    runs = [["--help"]] + [p + ["--help"] for p in paths(cli, [], click.Context(cli, info_name="county"))]
    runs += [["triage", "propose", "--title", "村道路灯坏了", "--body", "请尽快修复"],
             ["triage", "propose", "--title", "村道路灯坏了", "--json"]]
    codes = {}
    for argv in runs:
        for s in (sys.stdout, sys.stderr):
            s.flush()
            s.reconfigure(encoding=ENCODING, errors="strict")
        sys.argv = ["county"] + argv
        try:
            main()
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException as e:  # a crash: recorded, the walk goes on
            code = f"{type(e).__name__}: {e}"
        codes[" ".join(argv)] = code
    sys.stdout.flush()
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(codes, f, ensure_ascii=False)
''')


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_every_help_and_chinese_output_survives_a_non_cjk_stdout(tmp_path, encoding):
    script = tmp_path / "walk.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COUNTY_DB": str(tmp_path / "none.db")}
    env.pop("PYTHONUTF8", None)
    proc = subprocess.run([sys.executable, str(script), encoding], env=env, capture_output=True, timeout=300,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    codes = json.loads((tmp_path / "walk.py.json").read_text(encoding="utf-8"))
    assert len(codes) > 40  # the whole tree: kernel commands, groups and the plugins' commands
    for cmd in ("--help", "board --help", "case import --help", "serve --help", "taizhang --help"):
        assert cmd in codes, cmd
    assert {k: v for k, v in codes.items() if v != 0} == {}
    out = proc.stdout.decode("utf-8")  # what was printed is UTF-8 Chinese, not mojibake
    assert "county: run a county's citizen-service work methods (工作法) as plugins." in out
    assert '"rule":' in out and "score" in out
