"""Issue 17: one county file holds each method's own tables ([[dianti.members]], [[daiban.agents]],
[[shequ365.grids]], [[xiangkai.contacts]]…), checked whole with file:line by `county config check`
and `county init`, loaded by `county init` through the methods' own service functions, and
re-applied by `county init --update`, which says per table what was added, changed, unchanged.

The new county of the issue (taizhang + daiban + dianti, dianti.deadline = "taizhang") is the
annotated example of docs/deployment.md, read from the page."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from framework.cli.main import cli

DOC = (Path(__file__).resolve().parents[1] / "docs" / "deployment.md").read_text(encoding="utf-8")


def example(name: str) -> str:
    m = re.search(r"<!-- example: " + name + r" -->\s*\n```toml\n(.*?)\n```", DOC, re.S)
    assert m, name
    return m.group(1) + "\n"


def county(*args, ok=0):
    """``county ARGS`` in-process: (exit code, stdout, stderr); asserts the exit code ``ok``."""
    r = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, env={"COUNTY_ACTOR": "tester"})
    assert r.exit_code == ok, f"county {' '.join(map(str, args))} -> {r.exit_code}\n{r.output}"
    return r.stdout, r.stderr


@pytest.fixture(scope="module")
def new_county(tmp_path_factory):
    """The issue's county, initialised once from docs/deployment.md's example: (folder, db, init stdout)."""
    folder = tmp_path_factory.mktemp("new-county")
    (folder / "county.toml").write_text(example("dianti"), encoding="utf-8")
    db = folder / "county.db"
    out, _ = county("init", "--config", folder / "county.toml", "--db", db, "--now", "2026-12-01T09:00")
    return folder, db, out


def test_init_says_what_each_method_loaded(new_county):
    folder, db, out = new_county
    assert out.splitlines() == [
        f"已初始化 {db}：新县，工作法 taizhang、daiban、dianti，单位 6 个，人员 8 名",
        "  载入 taizhang：无自有表；8 项设置均取默认值",
        "  载入 daiban：agents 2 条",
        "  载入 dianti：groups 1 条；members 2 条；centres 3 条；rota 1 条；deadline 环节由 taizhang 承担",
    ]


def test_config_check_says_what_init_would_load(tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(example("dianti"), encoding="utf-8")
    out, _ = county("config", "check", cfg, "--db", tmp_path / "none.db", "--now", "2026-12-01T09:00")
    assert out.splitlines() == [f"{cfg}：检查通过 — 新县，工作法 taizhang、daiban、dianti，单位 6 个，人员 8 名",  # as init says (the method tables add 4)
                                "  将载入 taizhang：无自有表；8 项设置均取默认值",
                                "  将载入 daiban：agents 2 条",
                                "  将载入 dianti：groups 1 条；members 2 条；centres 3 条；rota 1 条；deadline 环节由 taizhang 承担"]
    assert list(tmp_path.iterdir()) == [cfg]  # nothing written beside it


def test_no_register_command_needed(new_county):
    """The centres, the register and the agents are in the database as the commands would put them."""
    _, db, _ = new_county
    centres = json.loads(county("dianti", "centre", "show", "--unit", "xx.hx.sl", "--db", db, "--json")[0])
    assert [(g["code"], g["name"], g["leader"], g["members"]) for g in centres["skilled"]] == [
        ("technical", "技术服务小组", "sl-m1", ["sl-m1"]), ("livestock", "畜牧技术服务小组", None, ["sl-m2"])]
    assert [(m["person"], m["role"]) for m in centres["supervision"]] == [("sl-js", "leader"), ("sl-js2", "member"), ("sl-ms", "member")]
    assert [(m["person"], m["role"]) for m in centres["coordination"]] == [("sl-sj", "member")]  # the rota's cadre joins
    assert [(r["weekday_zh"], r["person"]) for r in centres["rota"]] == [("周一", "sl-sj")]
    members = json.loads(county("dianti", "member", "list", "--db", db, "--json")[0])
    assert [(m["person"], m["party_member"], m["cultivation"], m["cultivation_status"]) for m in members] == [
        ("sl-m1", 1, "reserve_cadre", "in_training"), ("sl-m2", 0, "activist", "in_training")]
    people = {p["id"]: p for p in json.loads(county("people", "list", "--db", db, "--json")[0])}
    assert people["hx-zr"]["roles"] == ["centre_director"] and people["sl-g1"]["roles"] == ["agent"]
    assert people["sl-m1"]["roles"] == ["skilled_member", "party_member"]
    assert people["sl-m1"]["skills"] == ["生猪养殖"]


def test_a_dianti_request_follows_taizhangs_chain(new_county):
    """[bindings] dianti.deadline = "taizhang": the village's 5 calendar days (L29), to the end of
    the 5th day: taken in 2026-12-01 10:00 → due 2026-12-06 23:59:59 local."""
    _, db, _ = new_county
    case = json.loads(county("case", "add", "--db", db, "--method", "dianti", "--unit", "xx.hx.sl", "--title", "修水渠",
                             "--now", "2026-12-01T10:00", "--json")[0])
    assert (case["level"], case["due_at"]) == ("village", "2026-12-06T23:59:59+08:00")


def test_update_says_added_changed_unchanged(new_county, tmp_path):
    folder, db, _ = new_county
    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:  # the database and its WAL, whole
        src.backup(dst)
    cfg = tmp_path / "county.toml"
    cfg.write_text(example("dianti"), encoding="utf-8")
    out, _ = county("init", "--update", "--config", cfg, "--db", copy, "--now", "2026-12-02T09:00")
    assert out.splitlines()[1:] == [
        "  单位（部署文件）：新增 0，变更 0，未变 6",
        "  人员（部署文件）：新增 0，变更 0，未变 4",
        "  taizhang：无自有表；8 项设置均取默认值",
        "  daiban：agents 新增 0，变更 0，未变 2",
        "  dianti：groups 新增 0，变更 0，未变 1；members 新增 0，变更 0，未变 2；"
        "centres 新增 0，变更 0，未变 3；rota 新增 0，变更 0，未变 1；deadline 环节由 taizhang 承担",
    ]
    text = example("dianti").replace('skills = ["种植", "养殖"]', 'skills = ["种植", "养殖", "农机"]')  # group changed
    text = text.replace('id = "sl-g1"\nname = "孙组长"', 'id = "sl-g1"\nname = "孙组长"\nphone = "13800000099"')  # agent
    text += '\n[[dianti.rota]]\nunit = "xx.hx.sl"\nweekday = "周三"\nperson = "sl-sj"\n'  # a second day: added
    text += '\n[[daiban.agents]]\nid = "sl-room"\nname = "大学生村官"\nunit = "xx.hx.sl"\n'  # a village room agent
    cfg.write_text(text, encoding="utf-8")
    data = json.loads(county("init", "--update", "--config", cfg, "--db", copy, "--now", "2026-12-03T09:00", "--json")[0])
    assert data["loaded"] == {
        "daiban": {"agents": {"added": 1, "changed": 1, "unchanged": 1}},
        "dianti": {"groups": {"added": 0, "changed": 1, "unchanged": 0},
                   "members": {"added": 0, "changed": 0, "unchanged": 2},
                   "centres": {"added": 0, "changed": 0, "unchanged": 3},
                   "rota": {"added": 1, "changed": 0, "unchanged": 1}}}
    assert data["changes"] == {"units": {"added": 0, "changed": 0, "unchanged": 6},
                               "people": {"added": 0, "changed": 0, "unchanged": 4}}
    rota = json.loads(county("dianti", "centre", "show", "--unit", "xx.hx.sl", "--db", copy, "--json")[0])["rota"]
    assert [(r["weekday"], r["person"]) for r in rota] == [(0, "sl-sj"), (2, "sl-sj")]


def test_update_needs_a_database(tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(example("dianti"), encoding="utf-8")
    _, err = county("init", "--update", "--config", cfg, "--db", tmp_path / "none.db", ok=2)
    assert err.strip() == (f"error: --update: {tmp_path / 'none.db'} does not exist; "
                           f"run `county init --config {cfg}` first")
    assert not (tmp_path / "none.db").exists()


#: one file with a mistake in every method table (and the tables around them); lines counted below
BAD = """[deployment]
name = "坏县"
code = "hx"
methods = ["taizhang", "daiban", "dianti", "xiangkai", "shequ365"]
schema = 2

[[units]]
code = "hx"
name = "坏县"
level = "county"
[[units]]
code = "hx.a"
name = "甲镇"
level = "township"
parent = "hx"
[[units]]
code = "hx.a.v"
name = "乙村"
level = "village"
parent = "hx.a"

[[daiban.agents]]
id = "a1"
unit = "hx.a"
role = "director"
[[daiban.agents]]
id = "a1"
name = "乙"
unit = "hx.b"

[[dianti.groups]]
unit = "hx.a.v"
code = "technical"
skills = "种植"
[[dianti.member]]
id = "m1"
[[dianti.members]]
id = "m1"
name = "周"
unit = "hx.a.v"
group = "technical"
party_member = "yes"
cultivation = "genius"
skils = ["x"]
[[dianti.centres]]
unit = "hx.a.v"
centre = "kitchen"
person = "m1"
[[dianti.rota]]
unit = "hx.a.v"
weekday = 1
person = "m1"

[[xiangkai.contacts]]
person = "p"
kind = "friend"
target = "x"
village = "hx.zz"

[[shequ365.grids]]
code = "g1"
name = "一"
community = "hx.a.v"
planned_households = "many"
[[shequ365.members]]
id = "s1"
name = "社工"
kind = "social_worker"
community = "hx.a.v"
roles = ["boss"]
[[shequ365.households]]
grid = "g1"
kinds = ["rich"]

[[taizhang.ledgers]]
id = "x"

[[sanlian.workers]]
id = "y"
"""

EXPECTED = [
    (5, "[deployment] schema = 2: this county-methods reads schema 1 (docs/deployment.md); a newer file needs a "
        "newer county-methods"),
    (78, "[[sanlian.workers]]: 'sanlian' is not enabled in [deployment] methods; a method's tables load only when "
         "it is enabled"),
    (75, "[[taizhang.ledgers]]: taizhang has no table 'ledgers' (its tables: none)"),
    (22, "[[daiban.agents]] #1 name: missing: each row needs name (姓名)"),
    (25, "[[daiban.agents]] #1 role = 'director': must be one of agent, centre_director, service_team"),
    (29, "[[daiban.agents]] #2 unit = 'hx.b': not a unit of this deployment (did you mean hx.a?)"),
    (27, "[[daiban.agents]] #2 id: id = 'a1' is also row #1: each row of [[daiban.agents]] needs its own id"),
    (34, "[[dianti.groups]] #1 skills = '种植': must be a list of text"),
    (35, "[[dianti.member]]: dianti has no table 'member' (did you mean members?) (its tables: [[dianti.groups]], "
         "[[dianti.members]], [[dianti.centres]], [[dianti.rota]])"),
    (44, "[[dianti.members]] #1 skils: unknown key (did you mean skills?) (keys: id, name, unit, group, group_name, "
         "skills, party_member, cultivation, cultivation_status, phone, leader, active)"),
    (42, "[[dianti.members]] #1 party_member = 'yes': must be true or false"),
    (43, "[[dianti.members]] #1 cultivation = 'genius': must be one of \"\", activist, capable, reserve_cadre"),
    (47, "[[dianti.centres]] #1 centre = 'kitchen': must be one of coordination, supervision"),
    (51, "[[dianti.rota]] #1 weekday = 1: must be text"),
    (56, "[[xiangkai.contacts]] #1 kind = 'friend': must be one of village, party_org, secretary, stationed, needy"),
    (58, "[[xiangkai.contacts]] #1 village = 'hx.zz': not a unit of this deployment (did you mean hx.a?)"),
    (64, "[[shequ365.grids]] #1 planned_households = 'many': must be a whole number"),
    (70, "[[shequ365.members]] #1 roles = 'boss': must be one of block_representative, publicity, sanitation, "
         "safety, mediator"),
    (71, "[[shequ365.households]] #1 id: missing: each row needs id (household id)"),
    (73, "[[shequ365.households]] #1 kinds = 'rich': must be one of needy, elderly_alone, unemployed, retiree, "
         "correction"),
]


@pytest.mark.parametrize("command", ["check", "init"])
def test_every_table_checked_at_once_with_its_line(tmp_path, command):
    cfg = tmp_path / "county.toml"
    cfg.write_text(BAD, encoding="utf-8")
    args = ("config", "check", cfg) if command == "check" else ("init", "--config", cfg, "--db", tmp_path / "c.db")
    _, err = county(*args, ok=2)
    assert sorted(err.splitlines()) == sorted(f"error: {cfg}:{line}: {message}" for line, message in EXPECTED)
    assert not (tmp_path / "c.db").exists()


@pytest.mark.parametrize("command", ["init", "check"])
def test_rows_the_method_refuses_are_all_named_and_nothing_is_written(tmp_path, command):
    """Past the columns, the methods' own rules (L79: a group leader is a party member; L81: only
    the village's cadres sit at the window): each refused row with its line, the others tried —
    by `county init`, and by `county config check` in its trial run."""
    text = example("dianti").replace("party_member = true\nleader = true", "party_member = false\nleader = true")
    text = re.sub(r'cultivation = "reserve_cadre".*\n', "", text)
    text = text.replace('weekday = "mon"                  # 周一 at the coordination centre\'s window (L81)\n'
                        'person = "sl-sj"', 'weekday = "mon"\nperson = "sl-js"')
    cfg = tmp_path / "county.toml"
    cfg.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    member_line = lines.index('id = "sl-m1"')  # 1-based line of the header above it
    rota_line = max(i for i, line in enumerate(lines, 1) if line == "[[dianti.rota]]")
    args = ("init", "--config", cfg) if command == "init" else ("config", "check", cfg)
    _, err = county(*args, "--db", tmp_path / "c.db", "--now", "2026-12-01T09:00", ok=2)
    assert err.splitlines() == [
        f"error: {cfg}:{member_line}: [[dianti.members]] #1: member sl-m1: leader 'sl-m1' is not a party member; "
        f"each group is led by a capable party member (能人党员担任组长, L79)",
        f"error: {cfg}:{rota_line}: [[dianti.rota]] #1: --person sl-js: 王监事 is not a cadre of 双龙村 (xx.hx.sl): "
        + err.splitlines()[1].split("(xx.hx.sl): ", 1)[1],
    ]
    assert "村干部轮流坐班, L81" in err.splitlines()[1]
    assert not (tmp_path / "c.db").exists()


def test_a_refused_update_changes_nothing(new_county, tmp_path):
    _, db, _ = new_county
    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:  # the database and its WAL, whole
        src.backup(dst)
    before = county("dianti", "member", "list", "--db", copy, "--json")[0]
    text = example("dianti").replace('group_name = "畜牧技术服务小组"', 'group_name = "畜牧技术服务小组"\nparty_member = true')
    text += '\n[[dianti.centres]]\nunit = "xx.hx.sl"\ncentre = "supervision"\nperson = "sl-sj"\n'  # not a supervisor
    cfg = tmp_path / "county.toml"
    cfg.write_text(text, encoding="utf-8")
    _, err = county("init", "--update", "--config", cfg, "--db", copy, "--now", "2026-12-02T09:00", ok=2)
    assert len(err.splitlines()) == 2 and "[[dianti.members]] #2: member sl-m2: cultivation activist" in err
    assert "[[dianti.centres]] #4: --person sl-sj: 李书记 cannot sit on the supervision centre" in err
    assert county("dianti", "member", "list", "--db", copy, "--json")[0] == before


def test_shequ365_and_xiangkai_tables_update(tmp_path):
    """shequ365's rows keep their first created_at; a leader's party organisation named anew ends
    the old link at --now and starts the new one (L246: exactly one)."""
    cfg = tmp_path / "county.toml"
    db = tmp_path / "c.db"
    both = example("xiangkai").replace('methods = ["xiangkai"]', 'methods = ["xiangkai", "shequ365"]')
    shequ = example("shequ365").split("[[shequ365.grids]]", 1)[1].replace('"hs.xm.wj"', '"jn.dj.hp"')
    both += ('\n[[units]]\ncode = "jn.dj.hp"\nname = "和平社区"\nlevel = "community"\nparent = "jn.dj"\n'
             '[[people]]\nid = "wj-sg1"\nname = "社工小林"\nunit = "jn.dj.hp"\nroles = ["social_worker"]\n'
             "\n[[shequ365.grids]]" + shequ)
    cfg.write_text(both, encoding="utf-8")
    out, _ = county("init", "--config", cfg, "--db", db, "--now", "2026-12-01T09:00")
    assert out.splitlines()[1:] == ["  载入 xiangkai：contacts 5 条", "  载入 shequ365：grids 1 条；members 3 条；households 1 条"]
    cfg.write_text(both.replace('target = "深垟村党支部"', 'target = "深垟村第一党支部"'), encoding="utf-8")
    data = json.loads(county("init", "--update", "--config", cfg, "--db", db, "--now", "2026-12-05T09:00", "--json")[0])
    assert data["loaded"]["xiangkai"] == {"contacts": {"added": 0, "changed": 1, "unchanged": 4}}
    assert data["loaded"]["shequ365"] == {"grids": {"added": 0, "changed": 0, "unchanged": 1},
                                          "members": {"added": 0, "changed": 0, "unchanged": 3},
                                          "households": {"added": 0, "changed": 0, "unchanged": 1}}
    links = json.loads(county("xiangkai", "network", "list", "--db", db, "--now", "2026-12-06", "--json")[0])
    orgs = [(r["target"], r["linked_at"][:16]) for r in links if r["kind"] == "party_org"]
    assert orgs == [("深垟村第一党支部", "2026-12-05T09:00")]


@pytest.mark.parametrize("schema, reason", [
    ("2", "= 2: this county-methods reads schema 1"),
    ('"1"', "= '1': this county-methods reads schema 1"),
    ("true", "= True: this county-methods reads schema 1"),
])
def test_schema_version(tmp_path, schema, reason):
    cfg = tmp_path / "county.toml"
    cfg.write_text(example("taizhang").replace("schema = 1 ", f"schema = {schema} "), encoding="utf-8")
    _, err = county("config", "check", cfg, ok=2)
    assert err.startswith(f"error: {cfg}:3: [deployment] schema {reason} (docs/deployment.md)")


def test_method_table_written_as_a_plain_table(tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(example("daiban") + '\n[daiban]\nagents_file = "agents.csv"\n', encoding="utf-8")
    _, err = county("config", "check", cfg, ok=2)
    line = len(example("daiban").splitlines()) + 3
    assert err.strip() == (f"error: {cfg}:{line}: [daiban] agents_file: must be an array of tables: write each row "
                           f"as [[daiban.agents_file]] (settings go in [plugins.daiban])")
