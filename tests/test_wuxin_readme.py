"""The README's quick start runs as written (each `county …` line, in order, on a fresh database),
and the values its comments state are the ones the CLI gives; a binding that would take wuxin off
its tiers is refused with wuxin's reason (L420)."""

import re
from pathlib import Path

from framework.testing import CountyRunner, readme_commands, run_commands

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "plugins/contrib/wuxin/README.md"


def test_the_quick_start_runs_as_written(tmp_path):
    run = CountyRunner(tmp_path / "county.db")
    commands = readme_commands(README, "Quick start")
    assert [c[1] for c in commands] == ["init", "wuxin", "wuxin", "case", "sweep", "wuxin", "wuxin", "wuxin", "wuxin",
                                        "duties", "appraise", "board"]
    results = run_commands(run, [c + ["--json"] if c[1] in ("case", "sweep") else c for c in commands], cwd=ROOT)
    case = results[3].data
    assert (case["unit"], case["joint_handler"], case["due_at"]) == (
        "ly.yw.yw.g1", "yw-b1-3", "2024-09-29T23:59:59+08:00")
    assert results[4].data["actions"][0]["to"] == "community"
    assert run("case", "show", case["id"], "--json").data["due_at"] == "2024-10-12T23:59:59+08:00"
    # the operator's lines, in Chinese (care steps by their 六个一 / 六必须 names, L432)
    assert results[5].stdout == "结对3：志愿者必须每天问候一次，已记录\n"
    assert results[6].stdout == "结对3：必须每周有两小时的聊天谈心（60分钟），已记录\n"
    assert results[7].stdout.splitlines()[3:6] == [
        "2024-09-30\t向家中临时监护人了解一次孩子的近况\t未做", "2024-10-22\t给孩子过一次生日\t未做",
        "2024-10-31\t每月至少与留守儿童联系一次\t未做"]  # the birthday 10-15: due when its 7-day window closes
    assert results[8].stdout == "杨文社区：环境卫生周检查，已记录\n"
    assert re.search(r"done\s+wuxin\s+ly\.yw\.yw\s+环境卫生周检查", results[9].stdout)
    # the rest of a file's and a pair's life, as the operator reads it
    assert file_and_pair_lines(run) == [
        "档案5：留守儿童戊某某，已建档", "2\t留守儿童\t乙某某\t3号楼\t结对 高某\t缺 父母或子女在外地打工的去向、联系方式",
        "档案5：已更新", "结对1：已结束", "1\t档案1\t朱某\t2024-09-01–2024-11-02", "档案5：已关闭"]


def file_and_pair_lines(run) -> list[str]:
    """Open, list, update a file; end a pair and list it; close the file — each command's lines."""
    out = [run("wuxin", "file", "open", "--kind", "child", "--name", "戊某某", "--unit", "ly.yw.yw.g1.b1",
               "--now", "2024-11-02T09:00").stdout.strip()]
    out.append(run("wuxin", "file", "list", "--kind", "child").stdout.splitlines()[1])
    out.append(run("wuxin", "file", "update", "5", "--set", "health=良好", "--now", "2024-11-02T09:10").stdout.strip())
    out.append(run("wuxin", "pair", "end", "1", "--now", "2024-11-02T09:20").stdout.strip())
    out.append(run("wuxin", "pair", "list").stdout.splitlines()[0])
    out.append(run("wuxin", "file", "close", "5", "--note", "随父母外出", "--now", "2024-11-02T09:30").stdout.strip())
    return out


def test_a_binding_off_the_slogans_tiers_is_refused(tmp_path):
    toml = (ROOT / "plugins/contrib/wuxin/data/yangwen.toml").read_text(encoding="utf-8").replace(
        'methods = ["wuxin"]', 'methods = ["wuxin", "taizhang"]\n\n[bindings]\nwuxin.deadline = "taizhang"')
    (tmp_path / "c.toml").write_text(toml, encoding="utf-8")
    r = CountyRunner(tmp_path / "county.db")("init", "--config", tmp_path / "c.toml", ok=2)
    assert ("wuxin needs tier grid, community, subdistrict in the chain of the method running its deadline, and "
            "taizhang's chain is village → township") in r.stderr
    assert r.stderr.rstrip().endswith("矛盾不上交 (L420)")


def test_bad_settings_are_named_in_one_line(tmp_path):
    toml = (ROOT / "plugins/contrib/wuxin/data/yangwen.toml").read_text(encoding="utf-8").replace(
        "week_ends_on = 7 ", 'week_ends_on = 7\nsensitive_dates = ["2024-13-01"]\n'
                             'officer_by_category = { environment = "janitor" }\n# ')
    run = CountyRunner(tmp_path / "county.db").init(toml, name="c.toml", now="2024-09-01T09:00")
    r = run("duties", "--date", "2024-09-08", ok=2)
    assert "[plugins.wuxin] sensitive_dates = ['2024-13-01']: a list of dates" in r.stderr
    r = run("case", "add", "--method", "wuxin", "--unit", "ly.yw.yw.g1.b1", "--title", "楼道堆物", "--category",
            "environment", "--now", "2024-09-02T10:00", ok=2)
    assert "[plugins.wuxin] officer_by_category.environment = 'janitor': one of party_group_leader" in r.stderr
    assert run("case", "list", "--json").data == []
