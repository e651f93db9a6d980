"""Nothing overwritten (issue 15): ``--out`` / ``--out-dir`` never write over the open database or
its -wal/-shm (real paths compared, symlinks followed), an existing file is replaced only with
``--force`` (one-line error naming the file and --force, exit 2), and every file is written to
a temporary file in the same folder and renamed (one helper, framework/publish/outputs.py).
Also: ``county serve``'s snapshot publishes exactly the cases the period's boards list."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3

import pytest

import framework.cli.root
from framework.errors import CountyError
from framework.publish import outputs, serve
from test_board_fixture import build_month, new_county, registry

NOW = "2026-11-30T12:00"
COMMANDS = {
    "board": ("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "md"),
    "export": ("export", "--format", "csv"),
    "appraise": ("appraise", "--period", "2026-11", "--format", "html"),
}


@pytest.fixture
def cli(county_db, county_cli, monkeypatch):
    monkeypatch.setattr(framework.cli.root, "_registry", registry())
    county = new_county(str(county_db))
    build_month(county)
    county.store.db.conn.close()
    return county_cli


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.output, r.output
    return lines[0]


def test_no_output_replaces_the_open_database_or_its_journal(cli, county_db, tmp_path):
    link = tmp_path / "link.md"
    link.symlink_to(county_db)
    before = _digest(county_db)
    targets = [county_db, f"{county_db}-wal", f"{county_db}-shm", link, tmp_path / "." / county_db.name]
    for name, args in COMMANDS.items():
        for target in targets:
            r = cli(*args, "--out", target, "--force", "--now", NOW, ok=2)
            real = os.path.basename(os.path.realpath(target))
            assert _one_line(r) == (f"error: --out {target}: is the open database or one of its files ({real}); "
                                    f"choose another file — the database is never written over"), (name, target)
    assert _digest(county_db) == before
    assert len(cli("case", "list", "--json").data) == 13  # the database still works


def test_an_existing_file_is_replaced_only_with_force(cli, tmp_path):
    for name, args in COMMANDS.items():
        out = tmp_path / f"{name}.out"
        out.write_text("operator's own file", encoding="utf-8")
        r = cli(*args, "--out", out, "--now", NOW, ok=2)
        assert _one_line(r) == f"error: --out {out}: file exists; give --force to replace it"
        assert out.read_text(encoding="utf-8") == "operator's own file"
        cli(*args, "--out", out, "--force", "--now", NOW)
        assert out.read_text(encoding="utf-8") != "operator's own file" and out.stat().st_size > 100
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []  # no temporary file left


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(tmp_path, monkeypatch):
    out = tmp_path / "board.csv"
    out.write_text("old", encoding="utf-8")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "replace", broken)
    with pytest.raises(CountyError, match=f"--out {out}: cannot write: No space left on device"):
        outputs.write_file(out, "new", force=True)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["board.csv"]
    monkeypatch.undo()
    outputs.write_file(out, "新", force=True)
    assert out.read_text(encoding="utf-8") == "新" and [p.name for p in tmp_path.iterdir()] == ["board.csv"]
    assert oct(out.stat().st_mode & 0o777) != "0o600"  # not the temporary file's private mode


def test_serve_out_dir_refuses_the_database_and_existing_files_without_force(cli, county_db, tmp_path):
    out = tmp_path / "pub"
    cli("serve", "--period", "2026-11", "--out-dir", out, "--no-run", "--now", NOW)
    first = _digest(out / "public.db")
    r = cli("serve", "--period", "2026-11", "--out-dir", out, "--no-run", "--now", NOW, ok=2)
    assert _one_line(r) == f"error: --out-dir {out / 'public.db'}: file exists; give --force to replace it"
    assert _digest(out / "public.db") == first
    cli("serve", "--period", "2030-01", "--out-dir", out, "--no-run", "--force", "--now", NOW)
    assert _digest(out / "public.db") != first
    # the database itself named public.db, served into its own folder: refused even with --force
    own = tmp_path / "own"
    own.mkdir()
    db = own / "public.db"
    db.write_bytes(county_db.read_bytes())
    before = _digest(db)
    r = cli("serve", "--db", db, "--period", "2026-11", "--out-dir", own, "--no-run", "--force", "--now", NOW, ok=2)
    assert "is the open database or one of its files (public.db)" in _one_line(r)
    assert _digest(db) == before


def test_demo_refuses_an_existing_folder_without_force_and_the_database_always(county_cli, tmp_path):
    out = tmp_path / "demo-out"
    out.mkdir()
    (out / "county.toml").write_text("# the operator's own deployment\n", encoding="utf-8")
    r = county_cli("demo", "--out", out, "--sample", ok=2)
    assert _one_line(r) == (f"error: --out {out}: {out / 'county.toml'} exists (an earlier demo?); "
                            f"give --force to rebuild over it")
    assert (out / "county.toml").read_text(encoding="utf-8") == "# the operator's own deployment\n"
    (out / "county.toml").unlink()
    (out / "demo.db").write_bytes(b"the operator's database")
    r = county_cli("demo", "--out", out, "--sample", "--force", "--db", out / "demo.db", ok=2)
    assert _one_line(r) == f"error: --out {out}: {out / 'demo.db'} is the database --db {out / 'demo.db'}; choose another folder"
    assert (out / "demo.db").read_bytes() == b"the operator's database"


def _snapshot(county, path, period):
    serve.build_public_db(county, path, [period])
    db = sqlite3.connect(path)
    listed = {r[0] for r in db.execute("select case_id from board_rows where case_id is not null")}
    cases = dict(db.execute("select id, title from cases"))
    db.close()
    return listed, cases


def test_serve_snapshot_publishes_exactly_the_periods_board_cases(tmp_path):
    county = new_county()
    ids = build_month(county)
    listed, cases = _snapshot(county, tmp_path / "a.db", "2030-01")
    assert (listed, cases) == (set(), {})  # no board row, no case
    listed, cases = _snapshot(county, tmp_path / "b.db", "2026-10")
    assert set(cases) == listed == {ids["A"]} and cases[ids["A"]] == "十月的排水沟清淤"
    listed, cases = _snapshot(county, tmp_path / "c.db", "2026-11")
    assert set(cases) == listed and len(cases) == 13
    # titles are masked as on the boards (no raw phone number, ID or name of the fixture)
    text = json.dumps(cases, ensure_ascii=False)
    for raw in ("13812345678", "510623199001011234", "张三丰"):
        assert raw not in text
    assert os.path.exists(tmp_path / "c.db")
