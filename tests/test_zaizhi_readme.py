"""zaizhi's README quick start runs as written (every command exit 0), and its comments hold:
the post request taken in Mon 2024-09-30 is due Sat 10-05 23:59:59 (post 1's service day, a
holiday), the 调休 Saturday visit counts, and at 10-31 each agency cadre's 4 visits are owed
(m1 has 1, m2 none)."""

from __future__ import annotations

from pathlib import Path

import plugins.contrib.zaizhi
from framework.testing import CountyRunner, readme_commands, run_commands

README = Path(plugins.contrib.zaizhi.__file__).parent / "README.md"


def test_quick_start_runs(tmp_path):
    root = Path(plugins.contrib.zaizhi.__file__).parents[3]
    run = CountyRunner(tmp_path / "county.db")
    commands = readme_commands(README, "Quick start")
    assert len(commands) == 13 and commands[0][:2] == ["county", "init"]
    results = run_commands(run, commands, cwd=root)
    # the operator's lines, in Chinese (skills and posts by their 服务岗位 names, L397)
    assert results[1].stdout.splitlines()[3] == "m4\t严某\tbs.yyl.yx\t\t理发磨刀、健康检查\t"
    assert results[2].stdout.splitlines()[2] == "3\tbs.yyl.bl3\t法律咨询\t每月28日\t（待认领）"
    assert [results[i].stdout for i in (4, 6, 8)] == [
        "机关干部下居民区 #1：宝林三村，已记录\n", "集中学习会 #3：友谊路街道，已记录\n", "服务点岗位服务 #4：宝林三村，已记录\n"]
    case = run("case", "show", "yyl-000001", "--json").data
    assert (case["status"], case["handler"], case["due_at"]) == ("resolved", "m3", "2024-10-05T23:59:59+08:00")
    duties = run("duties", "--date", "2024-10-31", "--json").data
    assert [(d["subject"], d["done"], d["title"]) for d in duties] == [
        ("m1", False, "机关干部8小时内下居民区4次（施某，已1次）"), ("m2", False, "机关干部8小时内下居民区4次（韦某，已0次）")]
    # a new post's life, a commendation and a brand, as the operator reads them (in Chinese)
    now = ("--now", "2024-11-02T09:00")
    assert [run(*args, *now).stdout for args in (
        ("zaizhi", "post", "add", "--unit", "bs.yyl.bl3", "--kind", "counselling", "--service-day", "12"),
        ("zaizhi", "post", "claim", "4", "--member", "m1"), ("zaizhi", "post", "release", "4"),
        ("zaizhi", "commend", "--member", "m1", "--award", "touching_citizen"),
        ("zaizhi", "brand", "--unit", "bs.yyl.bl3", "--name", "楼中情"))] == [
        "服务岗位 4：宝林三村心理咨询，每月12日定时服务\n", "服务岗位 4：施某（m1）已认领\n", "服务岗位 4：已解除认领，待认领\n",
        "施某（m1）：评选表彰 感动友谊好市民\n", "宝林三村：一居一特品牌 楼中情\n"]
