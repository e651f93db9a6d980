"""`county serve`: the web board reads a masked snapshot, never the working database."""

import json
import sqlite3

import pytest

import framework.cli.root
from framework.publish import serve
from framework.errors import CountyError
from test_board_fixture import build_month, new_county, registry

RAW = ["13812345678", "13987654321", "0838-2345678", "510623199001011234", "51062319850202222X",
       "510623850202222", "13900001111", "510623197001011111", "13700002222", "13600003333", "13500004444",
       "13400005555", "13300006666", "张三丰", "王小明", "赵大海", "李四", "陈红", "富兴镇柳林沟村5组3号", "3组12号"]


def test_snapshot_holds_only_masked_data(tmp_path):
    county = new_county()
    build_month(county)
    path = tmp_path / "public.db"
    counts = serve.build_public_db(county, path, ["2026-11"])
    # every unit's boards: 6 units x 1 board, 13 cases; rows: 柳林沟村 7+3, 大桥村 1+1, 双桥村 5,
    # 富兴镇 8+4, 回龙镇 5, 中江县 13+4 (each board lists its subtree's cases)
    assert counts == {"boards": 6, "board_rows": 51, "cases": 13, "appraisal": 6 * 9 + 2}
    data = path.read_bytes()
    for raw in RAW:
        assert raw.encode("utf-8") not in data, raw
    db = sqlite3.connect(path)
    content = json.loads(db.execute(
        "select content from board_rows r join boards b on b.id = r.board_id "
        "where b.unit = 'zj.fx.llg' and r.case_id = 'zj-000004' and r.section = '事项办理情况'").fetchone()[0])
    assert content["诉求人"] == "匿名" and content["联系电话"] == "***********" and content["受理时间"] == "2026-11-03 09:00"
    assert db.execute("select title, status_zh, resolved_level from cases where id = 'zj-000005'").fetchone() == (
        "产业路硬化", "已办结", "township")
    assert {r[0] for r in db.execute("select name from sqlite_master where type = 'table'")} == {
        "boards", "board_rows", "cases", "appraisal"}
    assert "requester_phone" not in {r[1] for r in db.execute("pragma table_info(cases)")}


def test_cli_builds_snapshot_and_datasette_command(county_db, county_cli, monkeypatch, tmp_path):
    monkeypatch.setattr(framework.cli.root, "_registry", registry())
    build_month(new_county(str(county_db)))
    out = tmp_path / "pub"
    r = county_cli("serve", "--period", "2026-11", "--out-dir", out, "--no-run", "--port", "8123", "--json",
                   "--now", "2026-11-30T12:00")
    assert r.data["counts"]["cases"] == 13
    cmd = r.data["command"]
    assert cmd[1:5] == ["-m", "datasette", "serve", "-i"] and cmd[5] == str(out / "public.db")
    assert cmd[-3:] == ["--setting", "default_allow_sql", "off"] and "8123" in cmd
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["title"] == "中江县公开栏" and meta["databases"]["public"]["tables"]["cases"]["title"] == "事项办理进度"


def test_missing_datasette_is_a_clear_error(monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(CountyError, match="county serve needs datasette: pip install datasette"):
        serve.run_datasette(["true"])
