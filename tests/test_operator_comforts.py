"""Issue 17, operator comforts: the human tables of the core CLI line up by display width (a
Chinese character takes two terminal cells), ``--json`` keeps its shape; ``county shell``
understands ``exit``, ``quit`` and ``help``; the GeoReport XML stays well-formed whatever a
description holds.

Times: taizhang's village limit is 5 calendar days to the end of the day (casebook L29): a case
taken in 2026-11-02 09:00 is due 2026-11-07 23:59:59 +08:00.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from rich.cells import cell_len

from framework.interchange.georeport import Reply
from framework.interchange.georeport_web import to_xml, xml_text
from framework.testing import CountyRunner

TOML = """
[deployment]
name = "东风县"
code = "df"
methods = ["taizhang"]

[[units]]
code = "df"
name = "东风县"
level = "county"

[[units]]
code = "df.hx"
name = "红星镇"
level = "township"
parent = "df"

[[units]]
code = "df.hx.sl"
name = "双龙村"
level = "village"
parent = "df.hx"

[[units]]
code = "df.hx.b"
name = "Bay"
level = "village"
parent = "df.hx"

[[people]]
id = "p1"
name = "欧阳明月"
unit = "df.hx.sl"
roles = ["village_party_secretary"]
phone = "13812345678"

[[people]]
id = "p22"
name = "Li"
unit = "df.hx.b"
roles = ["village_party_secretary"]

[open311]
default_method = "taizhang"
default_unit = "df.hx.sl"

[open311.services.road]
name = "道路破损"
category = "livelihood"
"""
NOW = "2026-11-02T09:00"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    runner = CountyRunner(tmp_path_factory.mktemp("comforts") / "county.db").init(TOML)
    for unit, title in (("df.hx.sl", "村口道路塌陷需修补"), ("df.hx.b", "road")):
        runner("case", "add", "--method", "taizhang", "--unit", unit, "--title", title, "--category", "livelihood",
               "--now", NOW)
    return runner


def columns(line: str) -> list[tuple[int, str]]:
    """(display column where it starts, text) of each cell of a printed row: cells are runs of
    words separated by single spaces, two or more spaces apart."""
    return [(cell_len(line[:m.start()]), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]


def assert_aligned(lines: list[str], first: int = 0) -> list[list[str]]:
    """Every row has the same cells count and each column (from ``first``) starts at the same
    display column in every row; returns the rows' cell texts."""
    rows = [columns(line) for line in lines]
    assert len({len(r) for r in rows}) == 1, lines
    for i in range(first, len(rows[0])):
        assert len({r[i][0] for r in rows}) == 1, f"column {i} starts at {[r[i][0] for r in rows]}:\n" + "\n".join(lines)
    return [[text for _, text in r] for r in rows]


def test_people_list_lines_up_chinese_names(run):
    lines = run("people", "list").stdout.splitlines()
    assert assert_aligned(lines) == [["id", "姓名", "单位", "角色", "电话"],
                                     ["p1", "欧阳明月", "df.hx.sl", "village_party_secretary", "138****5678"],
                                     ["p22", "Li", "df.hx.b", "village_party_secretary", "-"]]
    assert columns(lines[2])[2][0] == len("p22  ") + cell_len("欧阳明月") + 2  # the name column is 8 cells wide
    assert run("people", "list", "--json").data == [
        {"id": "p1", "name": "欧阳明月", "unit": "df.hx.sl", "roles": ["village_party_secretary"], "skills": [],
         "phone": "138****5678"},
        {"id": "p22", "name": "Li", "unit": "df.hx.b", "roles": ["village_party_secretary"], "skills": [], "phone": None}]


def test_case_list_lines_up_status_tier_unit_and_due(run):
    lines = run("case", "list", "--now", "2026-11-03T09:00").stdout.splitlines()
    assert lines[-1] == "共 2 件"
    due = "2026-11-07T23:59:59+08:00"
    assert assert_aligned(lines[:-1]) == [
        ["id", "状态", "层级", "单位", "期限", "标题"],
        ["df-000001", "已交办 assigned", "村(社区) village", "双龙村", due, "村口道路塌陷需修补"],
        ["df-000002", "已交办 assigned", "村(社区) village", "Bay", due, "road"]]
    data = run("case", "list", "--json", "--now", "2026-11-03T09:00").data
    assert [(c["id"], c["status"], c["level"], c["unit"], c["due_at"]) for c in data] == [
        ("df-000001", "assigned", "village", "df.hx.sl", due), ("df-000002", "assigned", "village", "df.hx.b", due)]
    assert "events" not in data[0]


def test_case_show_lines_up_its_events(tmp_path):
    run = CountyRunner(tmp_path / "county.db").init(TOML)
    run("case", "add", "--method", "taizhang", "--unit", "df.hx.sl", "--title", "土地撂荒", "--category",
        "livelihood", "--now", NOW)
    run("taizhang", "deliberate", "df-000001", "--decision", "发展瓜蒌产业", "--now", "2026-11-04T10:00")
    run("case", "resolve", "df-000001", "--note", "已修好", "--now", "2026-11-05T10:00")
    events = run("case", "show", "df-000001").stdout.splitlines()[3:]
    assert events[0] == "    2026-11-02T09:00:00+08:00  登记 registered"
    assert assert_aligned(events[2:]) == [
        ["2026-11-04T10:00:00+08:00", "议账 deliberated", "村(社区) village", "发展瓜蒌产业"],
        ["2026-11-05T10:00:00+08:00", "办结 resolved", "村(社区) village", "已修好"]]
    # 31 = 4 + 25 + 2; the 交办 line says to whom (a fresh operator could not see a case's move)
    assert columns(events[1])[1:] == [(31, "交办 assigned"), (49, "村(社区) village"), (67, "交给 双龙村 df.hx.sl，欧阳明月 p1")]


def test_units_list_is_an_indented_tree_with_aligned_names(run):
    lines = run("units", "list").stdout.splitlines()
    cells = assert_aligned(lines, first=1)
    assert cells == [["df", "东风县", "县 county"], ["df.hx", "红星镇", "乡镇 township"],
                     ["df.hx.b", "Bay", "村 village"], ["df.hx.sl", "双龙村", "村 village"]]
    assert [columns(line)[0][0] for line in lines] == [0, 2, 4, 4]  # two spaces a level
    assert [u["code"] for u in run("units", "list", "--json").data] == ["df", "df.hx", "df.hx.sl", "df.hx.b"]


def test_plugins_list_lines_up_whatever_the_title(run):
    lines = run("plugins", "list").stdout.splitlines()
    full = [line for line in lines if "BROKEN" not in line and "未加载" not in line]
    cells = assert_aligned(full)
    mine = next(c for c in cells if c[0] == "taizhang")
    assert mine[2:4] == ["已启用", "环节：受理、分类、交办、时限、公示、考评"]
    assert mine[4].startswith("台账工作法（")
    assert sum(c[2] == "已启用" for c in cells) == 1
    assert "taizhang" in [r["name"] for r in run("plugins", "list", "--json").data]


def _shell(db, text: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "framework.cli", "shell", "--db", str(db), "--now", "2026-11-03T09:00"],
                          input=text, capture_output=True, text=True, timeout=60, check=False)


def test_shell_understands_exit_quit_and_help(run):
    r = _shell(run.db, "help\nhelp case list\n:h\ncase list\nquit\ncase list\n")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Usage: county [OPTIONS] COMMAND [ARGS]..." in out and "  people " in out
    assert "In the shell: exit: leave the shell (also quit, :q)" in out
    assert "Usage: county case list [OPTIONS]" in out and "--overdue" in out
    assert out.count("共 2 件") == 1  # quit ended the shell: the second `case list` never ran
    r = _shell(run.db, "exit\ncase list\n")
    assert r.returncode == 0 and "共 " not in r.stdout
    r = _shell(run.db, "help nosuch\ncase list\nexit\n")
    assert "help: no command 'nosuch' (type help for the list)" in r.stderr and "共 2 件" in r.stdout
    assert "No such command 'exit'" in run("exit", ok=2).stderr  # only inside the shell


def test_a_script_fed_to_the_shell_names_the_failing_line_and_exits_with_its_code(run):
    """Input that is not a terminal (a script): no greeting; a failing command is named with its
    line and the shell exits with the first failure's code, after running the rest."""
    r = _shell(run.db, "# a script\ncase show zj-999\n\ncase list\ncase list --status bogus\n")
    assert r.returncode == 2  # an unknown case (NotFound) is exit 2, the first failure
    assert "county shell —" not in r.stdout and r.stdout.count("共 ") == 1  # case list ran in between
    assert r.stderr.splitlines()[1] == "error: shell: line 2: `case show zj-999` failed (exit 2)"
    assert r.stderr.splitlines()[-1] == "error: shell: line 5: `case list --status bogus` failed (exit 2)"
    r = _shell(run.db, "case list\nexit\n")
    assert (r.returncode, r.stderr) == (0, "")


def test_xml_text_replaces_what_xml_forbids():
    assert xml_text("a\x07b\x00c\x1fd\ud800e\uffff") == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffd"
    assert xml_text("tab\tline\nret\r 全角\u3000<&>") == "tab\tline\nret\r 全角\u3000<&>"  # allowed: kept
    doc = to_xml(Reply(200, [{"description": "灯坏了\x07\x0b<b>", "n": 1, "ok": True, "none": None}]))
    item = ET.fromstring(doc).find("request")
    assert [(e.tag, e.text) for e in item] == [("description", "灯坏了\ufffd\ufffd<b>"), ("n", "1"), ("ok", "true"),
                                               ("none", None)]


def test_a_posted_control_character_leaves_the_xml_well_formed(run):
    from falcon import testing

    from framework.interchange.georeport_web import make_app
    from framework.kernel.county import County
    from framework.kernel.registry import Registry
    from framework.store.db import Store
    from framework.timerules import parse_instant

    key = run("open311", "keys", "add", "app-x", "--json").data["key"]
    county = County(Store(str(run.db)), Registry(), now=parse_instant("2026-11-02T10:00", "Asia/Shanghai"))
    client = testing.TestClient(make_app(lambda: county))
    r = client.simulate_post("/requests.xml", headers={"Content-Type": "application/x-www-form-urlencoded"},
                             body=urlencode({"api_key": key, "service_code": "road", "lat": "31.1", "long": "104.6",
                                             "description": "路灯\x07坏了\x1b[31m"}))
    assert r.status_code == 201, r.text
    rid = ET.fromstring(r.content).find("request/service_request_id").text
    assert rid == "df-000003"
    got = client.simulate_get(f"/requests/{rid}.xml")
    assert got.status_code == 200
    assert ET.fromstring(got.content).find("request/description").text == "路灯\ufffd坏了\ufffd[31m"
    assert client.simulate_get(f"/requests/{rid}.json").json[0]["description"] == "路灯\x07坏了\x1b[31m"


def test_an_unclosed_quote_in_a_shell_script_says_how_to_fix_it(tmp_path):
    from click.testing import CliRunner

    from framework.cli.main import cli
    r = CliRunner().invoke(cli, ["shell"], input='units list --db x.db\ncase add --title "路灯\n')
    assert "error: shell: line 2: No closing quotation (close the quote, or escape it with \\)\n" in r.stderr


def test_a_now_before_the_records_is_noted_on_boards_and_appraisals(run):
    """Found by a fresh data steward: `appraise --now` before cases taken in or resolved later
    counted them silently. The fixture's cases: taken in 2026-11-02 09:00, one resolved 11-05."""
    r = run("appraise", "--period", "2026-11", "--now", "2026-11-01T00:00")
    assert r.stderr.startswith("注意：库中有 ")
    assert "晚于 --now 2026-11-01T00:00:00+08:00；以下按库中全部记录计算，并非 --now 当时的情况\n" in r.stderr
    assert "注意" not in run("appraise", "--period", "2026-11", "--now", "2026-12-01T00:00").stderr
    assert run("board", "--unit", "df", "--period", "2026-11", "--now", "2026-11-01T00:00").stderr.startswith("注意：")


def test_a_full_width_phone_is_taken_as_its_ascii_digits(run):
    """Found by a fresh data steward: `--requester-phone '１３８ １２３４ ５６７８'` was refused,
    though masking reads full-width digits in text; now read as ASCII (NFKC) and stored so."""
    import sqlite3

    case = run("case", "add", "--method", "taizhang", "--unit", "df.hx.sl", "--title", "全角电话", "--category",
               "livelihood", "--requester-phone", "１３８　１２３４－５６７８", "--requester-id-number",
               "１１０１０５１９９００１０１１２３Ｘ", "--now", "2026-11-06T09:00", "--json").data
    with sqlite3.connect(run.db) as conn:
        stored = conn.execute("select requester_phone, requester_id_number from cases where id = ?",
                              [case["id"]]).fetchone()
    assert stored == ("138 1234-5678", "11010519900101123X")


def test_case_assign_says_when_the_case_moves_to_another_unit(tmp_path):
    """A fresh operator gave a case to a person of another township's village: the case moved
    there, and its escalation with it, and nothing said so."""
    run = CountyRunner(tmp_path / "county.db").init(TOML)
    run("case", "add", "--method", "taizhang", "--unit", "df.hx.sl", "--title", "土地撂荒", "--category",
        "livelihood", "--now", NOW)
    r = run("case", "assign", "df-000001", "--unit", "df.hx.b", "--now", "2026-11-03T09:00")
    assert r.stderr == "注意：事项 df-000001 由 双龙村 df.hx.sl 转至 Bay df.hx.b，此后逾期按 Bay df.hx.b 逐级上报\n"
    assert "交给 Bay df.hx.b" in r.stdout.splitlines()[-1]
    same = run("case", "assign", "df-000001", "--unit", "df.hx.b", "--now", "2026-11-03T10:00")
    assert same.stderr == ""  # the same unit: nothing to say
