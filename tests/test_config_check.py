"""A deployment is checked whole before anything is written (issue 14 "Configuration that cannot
poison the database", issue 17 `county config check`): every problem at once, one line each naming
file:line, table, key and reason; exit 2; no database file left behind."""

import json
from pathlib import Path

import pytest

from deployments import mini_zhongjiang

from framework.kernel import config_check
from framework.kernel.config_check import TABLES
from framework.kernel.registry import Registry

KNOWN_TABLES = ", ".join(TABLES)
#: conventions' and the glossary's levels and every installed method's tier levels (the check's list)
KNOWN_LEVELS = ", ".join(sorted(set(config_check.KNOWN_LEVELS)
                                | {t.level for info in Registry().methods.values() for t in info.tiers}))

GOOD = mini_zhongjiang() + """
[[people]]
id = "p1"
name = "王书记"
unit = "zj.fx.llg"
roles = ["village_party_secretary"]
"""

#: one file with thirteen mistakes, each on its own line (numbers checked below)
BAD = """[deployment]
name = "中江县"
code = "zj"
timezone = "Asia/Chongqing_Nowhere"
methods = ["taizhang", "taizhang"]
method = ["daiban"]

[plugins.taizhang]
village_days = 99999999999
township_clock = "whenever"

[plugin.taizhang]
village_days = 3

[[units]]
code = "zj"
name = "中江县"
level = "county"
[[units]]
code = "zj.fx"
name = "富兴镇"
level = "township"
parent = "zj.fx"
[[units]]
code = "zj.a"
name = "甲村"
level = "village"
parent = "zj.b"
[[units]]
code = "zj.b"
name = "乙村"
level = "village"
parent = "zj.a"
[[units]]
code = "zj.xx"
name = "某镇"
level = "county"
parent = "zj"
[[units]]
code = "zj.xx"
name = "某镇二"
level = "township"
parent = "zj"
[[units]]
code = "zj.h"
name = "某户"
level = "houshold"
parent = "zj"

[[peopel]]
id = "p1"

[[people]]
id = "p1"
name = "甲"
unit = "zj"
roles = ["wizard"]
[[people]]
id = "p1"
name = "乙"
unit = "zj.none"
"""

EXPECTED = [  # (line, message after "FILE:LINE: ")
    (4, "[deployment] timezone: 'Asia/Chongqing_Nowhere' is not a time zone (an IANA name such as Asia/Shanghai)"),
    (5, "[deployment] methods: 'taizhang' is listed more than once"),
    (6, "[deployment] method: unknown key (did you mean methods?) (known: name, code, timezone, methods, actor, "
        "templates, min_cases_to_rank, extra_levels, extra_roles, schema)"),
    (12, f"[plugin]: unknown table (did you mean plugins?) (known: {KNOWN_TABLES})"),
    (50, f"[peopel]: unknown table (did you mean people?) (known: {KNOWN_TABLES})"),
    (47, f"[[units]] #7 level: 'houshold' is not a known level (did you mean household?) (known: {KNOWN_LEVELS}; "
         "add it to [deployment] extra_levels)"),
    (40, "[[units]] #6 code: 'zj.xx' is also unit #5: codes must be unique"),
    (23, "[[units]] #2 parent: 'zj.fx' is its own parent"),
    (28, "[[units]] #3 parent: a cycle: zj.a → zj.b → zj.a (a unit cannot be its own ancestor)"),
    (37, "[[units]] #5 level: a county cannot sit under the county 'zj' (methods.md §1.1: city > county > township "
         "> village, community > group, grid > building > household)"),
    (57, "[[people]] #1 roles: unknown role(s) 'wizard' (methods.md §1.3's roles and the installed methods', "
         "or add them to [deployment] extra_roles)"),
    (59, "[[people]] #2 id: 'p1' is also person #1: ids must be unique"),
    (61, "[[people]] #2 unit: 'zj.none' is not a unit of this deployment"),
    (9, "[plugins.taizhang] village_days = 99999999999: must be at most 100000"),
    (10, "[plugins.taizhang] township_clock = 'whenever': must be one of 'arrival', 'after_reply'"),
]


def test_every_problem_at_once_with_its_line_and_no_database_left(county_cli, tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(BAD, encoding="utf-8")
    db = tmp_path / "fresh.db"
    r = county_cli("init", "--config", cfg, "--db", db, ok=2)
    got = r.stderr.splitlines()
    want = [f"error: {cfg}:{line}: {message}" for line, message in EXPECTED]
    assert sorted(got) == sorted(want)
    for line, message in EXPECTED:  # each line number points at the key (or table) at fault
        text = BAD.splitlines()[line - 1]
        head = message.split(":")[0]
        words = [w for w in head.split("] ", 1)[-1].split(" ") if not w.startswith("#")]
        key = words[0] if "] " in head and words else head.strip("[]")
        assert text.startswith((key, f"[{key}", f"[[{key}")), (line, text, key)
    assert not db.exists() and not Path(f"{db}-wal").exists()


def test_config_check_writes_nothing_and_says_ok(county_cli, tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "never.db"
    r = county_cli("config", "check", cfg, "--db", db, "--json")
    # the warnings `county init` gives for this file (no [operators]; two tiers with no unit)
    warnings = [
        "[operators]: none listed, so events record any name COUNTY_ACTOR gives (else [deployment] actor = "
        "'operator'); list the operators (docs/deployment.md) so every event names a known operator",
        "taizhang's tier department (相关部门) has no unit of level department: escalations there will have no handler",
        "taizhang's tier joint_meeting (联席会议) has no unit of level joint_meeting: escalations there will have "
        "no handler",
        # the one person is 龙老沟村's secretary: the township and the 三账办 have nobody to hand cases to
        "taizhang's tier township (乡镇): 富兴镇 zj.fx has no township_cadre — its cases there get no handler "
        "(the operator assigns one)",
        "taizhang's tier ledger_office (县三账办): 县三账办 zj.sza has no ledger_office_staff — its cases there get "
        "no handler (the operator assigns one)"]
    assert r.data == {"file": str(cfg), "ok": True, "deployment": "中江县", "methods": ["taizhang"],
                      "units": 4, "people": 1, "warnings": warnings, "loaded": {}}
    assert not db.exists()
    r = county_cli("config", "check", cfg, "--db", db)
    assert r.stdout == (f"{cfg}：检查通过 — 中江县，工作法 taizhang，单位 4 个，人员 1 名\n"
                        f"  将载入 taizhang：无自有表；8 项设置均取默认值\n")
    assert r.stderr == "".join(f"warning: {w}\n" for w in warnings)
    assert county_cli("init", "--config", cfg, "--db", db).stderr == r.stderr  # the same as init's


def test_config_check_json_lists_every_error(county_cli, tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(BAD, encoding="utf-8")
    r = county_cli("config", "check", cfg, "--json", ok=2)
    doc = json.loads(r.stdout)
    assert doc["exit_code"] == 2 and len(doc["errors"]) == len(EXPECTED)
    assert doc["error"] == "\n".join(doc["errors"])


@pytest.mark.parametrize("extra,at,message", [
    ('\n[plugins.taizhang]\nleft_behind_ledgers = "yes"\n', "left_behind_ledgers",
     "[plugins.taizhang] left_behind_ledgers = 'yes': must be true or false or a list, like the default False"),
    ('\n[plugins.taizhang]\nvillage_days = -1\n', "village_days", "[plugins.taizhang] village_days = -1: must not be negative"),
    ('\n[plugins.taizhang]\nvillage_dayz = 4\n', "village_dayz",
     "[plugins.taizhang] village_dayz: not a setting of taizhang (did you mean village_days?) (settings: "
     "village_days, township_reply_days, township_days, office_days, department_days, department_report_days, "
     "township_clock, left_behind_ledgers)"),
    ('\n[plugins.daiban]\ncounty_days = 4\n', "[plugins.daiban]", "[plugins.daiban]: 'daiban' is not enabled in [deployment] methods"),
    ('\n[calendar]\nextra_holidays = ["2024-10-32"]\n', "extra_holidays",
     "[calendar] extra_holidays: must be a list of dates like 2024-10-12; not a date: '2024-10-32'"),
])
def test_one_setting_or_table_wrong(county_cli, tmp_path, extra, at, message):
    """One problem: one line, whose number is the line of the key (or table) at fault."""
    cfg = tmp_path / "county.toml"
    cfg.write_text(GOOD + extra, encoding="utf-8")
    line = next(n for n, text in enumerate((GOOD + extra).splitlines(), 1) if text.startswith(at))
    r = county_cli("config", "check", cfg, ok=2)
    assert r.stderr == f"error: {cfg}:{line}: {message}\n"


def test_a_valid_choice_and_a_list_pass(county_cli, tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(GOOD + '\n[plugins.taizhang]\ntownship_clock = "after_reply"\nleft_behind_ledgers = ["left_behind_children"]\n',
                   encoding="utf-8")
    county_cli("config", "check", cfg)


def test_a_unit_already_in_the_database_counts_as_a_parent(county_cli, tmp_path):
    """`county init` over an existing database: its units (imported before) are parents too."""
    cfg = tmp_path / "county.toml"
    cfg.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "earlier.db"
    county_cli("init", "--config", cfg, "--db", db)
    more = ('[deployment]\nname = "中江县"\ncode = "zj"\nmethods = ["taizhang"]\n\n'
            '[[units]]\ncode = "zj.fx.llg.s3"\nname = "三社"\nlevel = "group"\nparent = "zj.fx.llg"\n')
    cfg.write_text(more, encoding="utf-8")
    county_cli("init", "--config", cfg, "--db", db)
    r = county_cli("config", "check", cfg, ok=2)  # without the database the parent is unknown
    assert r.stderr == f"error: {cfg}:10: [[units]] #1 parent: 'zj.fx.llg' is not a unit of this deployment\n"
    county_cli("config", "check", cfg, "--db", db)


# -- imports of units and people merge, and are checked like the county file (issue 14) -------


def test_a_partial_people_import_keeps_roles_and_skills_and_says_what_changed(county_cli, tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(GOOD.replace('roles = ["village_party_secretary"]',
                                'roles = ["village_party_secretary"]\nskills = ["水利"]\nphone = "13800000001"'),
                   encoding="utf-8")
    county_cli("init", "--config", cfg)
    f = tmp_path / "people.csv"
    f.write_text("id,name,unit,phone\np1,王书记,zj.fx.llg,13800000002\np2,李会计,zj.fx.llg,\n", encoding="utf-8")
    r = county_cli("people", "import", f, "--json")
    assert r.data == {"imported": 2, "added": ["p2"], "changed": {"p1": ["phone"]}, "unchanged": 0}
    people = {p["id"]: p for p in county_cli("people", "list", "--json").data}
    assert (people["p1"]["roles"], people["p1"]["skills"]) == (["village_party_secretary"], ["水利"])
    assert (people["p2"]["roles"], people["p2"]["skills"]) == ([], [])
    r = county_cli("people", "import", f)
    assert r.stdout == "导入人员 2 条：新增 0，变更 0，未变 2\n"


def test_a_partial_units_import_keeps_the_parent(county_cli, tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(GOOD, encoding="utf-8")
    county_cli("init", "--config", cfg)
    f = tmp_path / "units.csv"
    f.write_text("code,name\nzj.fx.llg,柳林沟村（新）\n", encoding="utf-8")
    r = county_cli("units", "import", f)
    assert r.stdout == "导入单位 1 条：新增 0，变更 1（zj.fx.llg: name），未变 0\n"
    units = {u["code"]: u for u in county_cli("units", "list", "--json").data}
    assert (units["zj.fx.llg"]["name"], units["zj.fx.llg"]["parent"], units["zj.fx.llg"]["level"]) == (
        "柳林沟村（新）", "zj.fx", "village")


def test_an_import_that_would_poison_the_tree_is_refused_whole(county_cli, tmp_path):
    """A cycle through the stored tree, a level out of order, an unknown role: every problem at
    once, each with its line, and nothing taken."""
    cfg = tmp_path / "county.toml"
    cfg.write_text(GOOD, encoding="utf-8")
    county_cli("init", "--config", cfg)
    f = tmp_path / "units.csv"
    f.write_text("code,name,level,parent\nzj.fx,富兴镇,township,zj.fx.llg\nzj.x,某村,village,zj.x\n"
                 "zj.fx.llg.s1,一社,township,zj.fx.llg\n", encoding="utf-8")
    r = county_cli("units", "import", f, ok=2)
    assert r.stderr.splitlines() == [
        f"error: {f}: line 2: parent: a cycle: zj.fx → zj.fx.llg → zj.fx (a unit cannot be its own ancestor)",
        f"error: {f}: line 3: parent: 'zj.x' is its own parent",
        f"error: {f}: line 4: level: a township cannot sit under the village 'zj.fx.llg' (methods.md §1.1: "
        "city > county > township > village, community > group, grid > building > household)"]
    assert "zj.x" not in {u["code"] for u in county_cli("units", "list", "--json").data}
    p = tmp_path / "people.csv"
    p.write_text("id,name,unit,roles\np9,某人,zj.fx,wizard\n", encoding="utf-8")
    r = county_cli("people", "import", p, ok=2)
    assert r.stderr == (f"error: {p}: line 2: roles: unknown role(s) 'wizard' (methods.md §1.3's roles and the "
                        "installed methods', or add them to [deployment] extra_roles)\n")


def test_a_method_row_cannot_rename_or_move_a_person_of_the_file(county_cli, tmp_path):
    """A `[[daiban.agents]]` row reusing the id of a `[[people]]` entry with another name and unit
    would overwrite the village's secretary (found trying the county file as an integrator): refused
    naming the row's line; the same id with the same name and unit only adds the agent's role."""
    base = GOOD.replace('methods = ["taizhang"]', 'methods = ["taizhang", "daiban"]') + """
[[units]]
code = "zj.fx.llg.g1"
name = "一组"
level = "group"
parent = "zj.fx.llg"
"""
    cfg = tmp_path / "county.toml"
    bad = base + '\n[[daiban.agents]]\nid = "p1"\nname = "孙组长"\nunit = "zj.fx.llg.g1"\n'
    cfg.write_text(bad, encoding="utf-8")
    line = bad.splitlines().index("[[daiban.agents]]") + 1
    r = county_cli("config", "check", cfg, "--db", tmp_path / "none.db", ok=2)
    assert r.stderr == (f"error: {cfg}:{line}: [[daiban.agents]] #1: id 'p1' is 王书记 at zj.fx.llg in [[people]]; "
                        "a method's row may add roles or skills to a person, not change their name or unit "
                        "(use another id)\n")
    cfg.write_text(base + '\n[[daiban.agents]]\nid = "p1"\nname = "王书记"\nunit = "zj.fx.llg"\n', encoding="utf-8")
    county_cli("init", "--config", cfg)
    people = {p["id"]: p for p in county_cli("people", "list", "--json").data}
    assert (people["p1"]["name"], people["p1"]["unit"]) == ("王书记", "zj.fx.llg")
    assert "village_party_secretary" in people["p1"]["roles"]


def test_init_over_a_database_says_what_the_file_changes_and_refuses_what_cases_cannot_follow(county_cli, tmp_path):
    """Re-applying a county file (found by a fresh integrator: a new code, time zone, dropped
    method or another county's file all reported "0 changed"): every change to [deployment] and
    the settings is listed; the id prefix or time zone while cases exist, or dropping a method with
    open cases, is refused (exit 1, nothing written) unless --force."""
    cfg = tmp_path / "county.toml"
    cfg.write_text(GOOD, encoding="utf-8")
    county_cli("init", "--config", cfg)
    cfg.write_text(GOOD.replace('name = "中江县"', 'name = "中江县（新）"', 1)
                   + '\n[plugins.taizhang]\nvillage_days = 7\n', encoding="utf-8")
    r = county_cli("init", "--config", cfg, "--update")
    assert r.stdout.startswith("已更新 ")
    assert r.stdout.splitlines()[0].endswith("county.db：中江县（新），工作法 taizhang，单位 4 个，人员 1 名")
    assert r.stdout.splitlines()[1:3] == [
        "  变更 [deployment] name: '中江县' → '中江县（新）'",
        "  变更 [plugins.taizhang] village_days: '(default)' → 7"]
    county_cli("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯不亮",
               "--category", "livelihood", "--now", "2026-11-02T10:00")
    moved = GOOD.replace('code = "zj"\nmethods', 'code = "yy"\ntimezone = "America/New_York"\nmethods', 1)
    cfg.write_text(moved, encoding="utf-8")
    r = county_cli("init", "--config", cfg, "--update", ok=1)
    assert r.stderr.splitlines() == [
        "error: [deployment] code: 'zj' → 'yy' with 1 case(s) in the database — the case ids' prefix (zj-000001 → "
        "yy-…): existing and new cases would be numbered apart",
        "error: [deployment] timezone: 'Asia/Shanghai' → 'America/New_York' with 1 case(s) in the database — the due "
        "instants of the existing cases were computed in Asia/Shanghai; new ones would be in America/New_York",
        "error: (nothing written; give --force to apply the file anyway)"]
    assert county_cli("case", "list", "--json").data[0]["id"] == "zj-000001"
    # config check names the same changes, and the command that would apply them (it has no --force)
    r = county_cli("config", "check", cfg, ok=1)
    assert r.stderr.splitlines()[-1] == (f"error: (--db unchanged; `county init --config {cfg} --update --force` "
                                         f"would apply the file anyway)")
    r = county_cli("init", "--config", cfg, "--update", "--force", "--json")
    assert r.data["deployment_changes"] == [
        "[deployment] name: '中江县（新）' → '中江县'", "[deployment] code: 'zj' → 'yy'",
        "[deployment] timezone: 'Asia/Shanghai' → 'America/New_York'", "[plugins.taizhang] village_days: 7 → '(default)'"]


def test_dropping_a_method_with_open_cases_is_refused(county_cli, tmp_path):
    cfg = tmp_path / "county.toml"
    two = GOOD.replace('methods = ["taizhang"]', 'methods = ["taizhang", "xiangkai"]')
    cfg.write_text(two, encoding="utf-8")
    county_cli("init", "--config", cfg)
    county_cli("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯不亮",
               "--category", "livelihood", "--now", "2026-11-02T10:00")
    cfg.write_text(two.replace('"taizhang", "xiangkai"', '"xiangkai"'), encoding="utf-8")
    r = county_cli("init", "--config", cfg, ok=1)
    assert r.stderr.splitlines()[0] == (
        "error: [deployment] methods: dropping taizhang with 1 open case(s) — no board, sweep or appraisal would "
        "show them; resolve or close them first")


@pytest.mark.parametrize("value,reason", [
    ('{satisfied = 9, basicaly = 3}',
     "= {'satisfied': 9, 'basicaly': 3}: keys must be satisfaction levels (satisfied, basically, unsatisfied): 'basicaly'"),
    ('{satisfied = 9}', "= {'satisfied': 9}: scores must be whole numbers 1–5: satisfied = 9"),
])
def test_a_setting_checks_what_its_type_cannot_say(county_cli, tmp_path, value, reason):
    """Setting.check: dianti's satisfaction scores are keyed by the satisfaction levels and lie in
    1–5 (a typo'd key silently left 'basically' unrated; a 9 showed a 9.00 on the 1–5 scale)."""
    cfg = tmp_path / "county.toml"
    text = GOOD.replace('methods = ["taizhang"]', 'methods = ["taizhang", "dianti"]') + \
        f"\n[plugins.dianti]\nsatisfaction_scores = {value}\n"
    cfg.write_text(text, encoding="utf-8")
    r = county_cli("config", "check", cfg, "--db", tmp_path / "none.db", ok=2)
    assert r.stderr == f"error: {cfg}:{len(text.splitlines())}: [plugins.dianti] satisfaction_scores {reason}\n"


def test_a_unit_with_a_problem_of_its_own_is_named_once(county_cli, tmp_path):
    """A unit missing its level is one problem; its children and people are not also told that
    their unit does not exist (found by a fresh integrator)."""
    text = GOOD.replace('code = "zj.fx.llg"\nname = "柳林沟村"\nlevel = "village"\n', 'code = "zj.fx.llg"\nname = "柳林沟村"\n')
    assert text != GOOD
    cfg = tmp_path / "county.toml"
    cfg.write_text(text, encoding="utf-8")
    r = county_cli("config", "check", cfg, "--db", tmp_path / "none.db", ok=2)
    line = text.splitlines().index('code = "zj.fx.llg"')
    assert r.stderr == f"error: {cfg}:{line}: [[units]] #4: missing key(s) level\n"


def test_config_check_over_an_existing_database_tries_the_file_on_a_copy(county_cli, tmp_path):
    """With the database present, `config check` applies the file to a copy of it: what `init`
    would refuse is named (before: skipped, "ok", and the next init refused; found by a fresh
    integrator) and the database itself is not touched."""
    cfg = tmp_path / "county.toml"
    cfg.write_text(GOOD, encoding="utf-8")
    county_cli("init", "--config", cfg)
    county_cli("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯不亮",
               "--category", "livelihood", "--now", "2026-11-02T10:00")
    cfg.write_text(GOOD.replace('code = "zj"\nmethods', 'code = "yy"\nmethods', 1), encoding="utf-8")
    r = county_cli("config", "check", cfg, ok=1)
    assert r.stderr.splitlines()[0] == (
        "error: [deployment] code: 'zj' → 'yy' with 1 case(s) in the database — the case ids' prefix (zj-000001 → "
        "yy-…): existing and new cases would be numbered apart")
    cfg.write_text(GOOD.replace('name = "中江县"', 'name = "中江"', 1), encoding="utf-8")
    r = county_cli("config", "check", cfg)
    assert "  将变更 [deployment] name: '中江县' → '中江'" in r.stdout.splitlines()
    assert county_cli("case", "list", "--json").data[0]["id"] == "zj-000001"
    r = county_cli("init", "--config", cfg, "--update")  # the check changed nothing: init still has the change to make
    assert "  变更 [deployment] name: '中江县' → '中江'" in r.stdout.splitlines()


def test_a_village_left_without_its_secretary_or_with_two_is_warned(county_cli, tmp_path):
    """Found by a fresh integrator: a person moved from one village to another left the first
    without a village_party_secretary and the second with two; init said only 人员：变更 1, and
    new cases in both were taken in with no handler, silently. taizhang's village tier names the
    role it assigns by (Tier.holder), so init and config check warn of each such village."""
    moved = GOOD.replace('unit = "zj.fx.llg"', 'unit = "zj.fx.qh"') + """
[[units]]
code = "zj.fx.qh"
name = "清河村"
level = "village"
parent = "zj.fx"

[[people]]
id = "p2"
name = "李书记"
unit = "zj.fx.qh"
roles = ["village_party_secretary"]
"""
    cfg = tmp_path / "county.toml"
    cfg.write_text(moved, encoding="utf-8")
    warnings = county_cli("config", "check", cfg, "--json").data["warnings"]
    assert [w for w in warnings if "village_party_secretary" in w] == [
        "taizhang's tier village (村(社区)): 柳林沟村 zj.fx.llg has no village_party_secretary — its cases there get "
        "no handler (the operator assigns one)",
        "taizhang's tier village (村(社区)): 清河村 zj.fx.qh has 2 village_party_secretary — its cases there get no "
        "handler (the operator assigns one)"]
    r = county_cli("init", "--config", cfg)
    assert "柳林沟村 zj.fx.llg has no village_party_secretary" in r.stderr
