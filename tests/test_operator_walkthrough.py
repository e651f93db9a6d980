"""What a first-time operator found (CLI and admin), each with its exact new behaviour: a bad
``--method``/``--status`` filter is refused alike by ``case list`` and ``export`` (and a
Chinese status name is a status); ``init --update`` says why the file's actor does not count;
``init`` names a missing ``--db`` folder; ``config check`` names its argument; ``plugins
show|list`` in Chinese and TOML spelling; ``board --format xlsx --json`` is refused; ``plugins
new`` hides ``--db``/``--now``; the scaffold cites the casebook by title."""

from __future__ import annotations

import json

import pytest

from deployments import mini_zhongjiang

from framework.testing import CountyRunner

NOW = "2026-11-02T10:00"
KNOWN_STATUSES = ("registered 已登记, assigned 已交办, in_progress 办理中, escalated 已上报, resolved 已办结, "
                  "confirmed 已确认, closed 已关闭, rejected 不予受理")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A taizhang county with two cases: one resolved (已办结), one registered (已登记: the file has no people)."""
    county = CountyRunner(tmp_path_factory.mktemp("walk") / "county.db").init(mini_zhongjiang())
    ids = []
    for title in ("路灯不亮", "3组门前积水"):
        ids.append(county("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--category", "livelihood",
                          "--title", title, "--now", NOW, "--json").data["id"])
    county("case", "resolve", ids[0], "--note", "已修好", "--now", "2026-11-03T10:00")
    county.ids = ids
    county.rows = county.db.parent / "rows.csv"  # a file `case import` could read
    county.rows.write_text("title\n路灯\n", encoding="utf-8")
    return county


@pytest.mark.parametrize("args, line", [
    (("case", "list", "--method", "nosuch"),
     "--method: 'nosuch' is not enabled in this deployment (enabled: taizhang)"),
    (("export", "--format", "csv", "--method", "nosuch"),
     "--method: 'nosuch' is not enabled in this deployment (enabled: taizhang)"),
    (("case", "list", "--status", "bogus"), f"--status: 'bogus' is not a status (known: {KNOWN_STATUSES})"),
    (("export", "--format", "csv", "--status", "bogus"), f"--status: 'bogus' is not a status (known: {KNOWN_STATUSES})"),
    (("case", "import", "ROWS", "--method", "nosuch"),
     "--method: 'nosuch' is not enabled in this deployment (enabled: taizhang)"),
    (("export", "--format", "open311", "--status", "办完了"),
     f"--status: '办完了' is not a status (known: {KNOWN_STATUSES})"),
])
def test_an_unknown_filter_is_refused_alike_everywhere(run, args, line):
    """One line, exit 2, naming the option and the known values — as `case import --method` says."""
    args = [run.rows if a == "ROWS" else a for a in args]
    r = run(*args, ok=2)
    assert (r.stdout, r.stderr) == ("", f"error: {line}\n")
    r = run(*args, "--json", ok=2)
    assert json.loads(r.stdout) == {"error": line, "exit_code": 2}  # one JSON object


def test_a_chinese_status_name_filters_as_its_code(run):
    resolved, registered = run.ids
    assert [c["id"] for c in run("case", "list", "--status", "已办结", "--json").data] == [resolved]
    assert [c["id"] for c in run("case", "list", "--status", "registered", "--json").data] == [registered]
    assert run("case", "list", "--status", "已登记").stdout.splitlines()[-1] == "共 1 件"
    text = run("export", "--format", "csv", "--status", "已办结").stdout
    assert len(text.splitlines()) == 2 and "路灯不亮" in text and "积水" not in text
    assert run("export", "--format", "csv", "--status", "已办结", "--method", "taizhang", "--json").data["count"] == 1


def test_board_xlsx_with_json_but_no_out_is_refused_as_without_json(run, tmp_path):
    args = ("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "xlsx")
    r = run(*args, "--json", ok=2)
    assert json.loads(r.stdout) == {"error": "--format xlsx is binary; give --out FILE.xlsx", "exit_code": 2}
    assert r.stderr == "error: --format xlsx is binary; give --out FILE.xlsx\n"
    out = tmp_path / "b.xlsx"
    r = run(*args, "--out", out, "--json")
    assert r.data == {"out": str(out), "format": "xlsx", "boards": 1}
    assert out.read_bytes()[:2] == b"PK"


def test_plugins_show_speaks_chinese_stages_and_toml_values(run):
    lines = run("plugins", "show", "taizhang").stdout.splitlines()
    assert lines[1] == "环节：受理、分类、交办、时限、公示、考评"
    assert any(line.startswith("设置 left_behind_ledgers = false：") for line in lines)
    dianti = run("plugins", "show", "dianti").stdout.splitlines()
    assert "设置 board_period = \"month\"：" in "\n".join(dianti)
    assert any(line.startswith("设置 satisfaction_scores = {satisfied = 5, basically = 3, unsatisfied = 1}：")
               for line in dianti)
    assert run("plugins", "show", "taizhang", "--json").data["stages"][:2] == ["intake", "triage"]  # codes


def test_config_check_names_its_argument_and_init_names_a_missing_folder(run, tmp_path):
    r = run("config", "check", tmp_path / "nofile.toml", ok=2)
    assert r.stderr == f"error: FILE {tmp_path / 'nofile.toml'}: file not found\n"
    cfg = tmp_path / "county.toml"
    cfg.write_text(mini_zhongjiang(), encoding="utf-8")
    db = tmp_path / "nope" / "x.db"
    r = run("init", "--config", cfg, "--db", db, ok=2)
    assert r.stderr == (f"error: --db {db}: the folder {tmp_path / 'nope'} does not exist; create it first "
                        f"(mkdir -p {tmp_path / 'nope'})\n")
    assert not (tmp_path / "nope").exists()


def test_init_update_says_why_the_files_actor_does_not_count(tmp_path):
    """docs/design.md "Audit": changing the deployment needs COUNTY_ACTOR; the file's
    [deployment] actor (here an operator) does not count, anyone may edit the file."""
    toml = mini_zhongjiang().replace('[deployment]\n', '[deployment]\nactor = "fx-zhang"\n', 1) + \
        '\n[operators]\nfx-zhang = {name = "张某", unit = "zj.fx"}\n'
    anyone = CountyRunner(tmp_path / "county.db", actor=None).init(toml)
    r = anyone("init", "--config", tmp_path / "county.toml", "--update", ok=1)
    assert r.stderr == (
        "error: init: this database's deployment lists operators (fx-zhang) and no COUNTY_ACTOR is set: set "
        "COUNTY_ACTOR to one of them to change the deployment (who does is logged); the file's [deployment] actor "
        "= 'fx-zhang' does not count: anyone may edit the file, so changing the deployment takes the operator's "
        "own COUNTY_ACTOR\n")
    ok = CountyRunner(tmp_path / "county.db", actor="fx-zhang")("init", "--config", tmp_path / "county.toml",
                                                                 "--update", "--json")
    assert ok.data["deployment"] == "中江县"


def test_plugins_new_hides_db_and_now_and_cites_the_casebook_by_title(run, tmp_path):
    help_text = run("plugins", "new", "--help").stdout
    assert "--db " not in help_text and "--now " not in help_text and "--force" in help_text
    run("plugins", "new", "xiaoshi", "--dir", tmp_path)
    root = tmp_path / "county-xiaoshi"
    readme = (root / "README.md").read_text(encoding="utf-8")
    rules = next(root.rglob("rules.py")).read_text(encoding="utf-8")
    for text in (readme, rules):
        assert "seeds/" not in text and "四川中江：用“台账工作法”解决群众问题" in text
