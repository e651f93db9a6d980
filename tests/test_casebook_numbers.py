"""The casebook's stated numbers (issue 19 "Done when": each method's stated numbers asserted in
its tests) that the contrib methods encode but their own suites assert on one side of the bound
only, or through a unit function instead of the CLI. Each is driven here through the CLI on the
method's sample deployment (plugins/contrib/<name>/data/*.toml; a few units, people or register
rows appended where the sample has too few to reach the bound), one county per method, at exact
instants; every expected value worked out by hand from the Chinese original
(/work/shared/seeds/000_5340bcb6e23e3aa1.txt, which wins over methods.md):

* jieti, L298: 乡镇站所、院校负责人……分片联系3—5个组级责任区 — 2 and 6 are gaps, 3 and 5 are not;
* sansong, L137: 每名干部联系10户以上 (9 a gap, 10 not); 每名乡镇干部按片区联系2—3个村民小组、30—50户
  (1 and 4 groups, 29 and 51 households gaps; 2–3 groups, 30 and 50 households not); 2—3名干部组建
  工作队 (1 and 4 gaps, 2 and 3 not);
* wugeyi, L124: 每个行政村设民情联络员1—2名 (2 is ``ok``); L118: 办结率保持在98％以上 (49 of 50 = 98 %
  meets it, 49 of 51 does not);
* shequhua, L280: 2000元以内费用实报实销 (2,000.00 wholly reimbursed, 2,000.01 capped at 2,000);
* wuxin, L432: 必须每周有两小时的聊天谈心 (119 minutes in a Monday–Sunday week do not meet it, 120 do;
  a chat at Monday 00:30 counts for the new week).

The audit's table of every stated fact and where it is asserted is in the report of this file's
author (git log); the facts found not encoded, or encoded otherwise than the original, are bugs
for the plugins' owners and are not asserted here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framework.testing import CountyRunner

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "plugins" / "contrib"


def sample(name: str, file: str) -> str:
    return (DATA / name / "data" / file).read_text(encoding="utf-8")


def unit(code: str, name: str, level: str, parent: str) -> str:
    return f'\n[[units]]\ncode = "{code}"\nname = "{name}"\nlevel = "{level}"\nparent = "{parent}"\n'


def person(pid: str, name: str, at: str, roles: list[str]) -> str:
    return f'\n[[people]]\nid = "{pid}"\nname = "{name}"\nunit = "{at}"\nroles = {json.dumps(roles)}\n'


def findings(result) -> list[dict]:
    """The JSON findings a check prints before it exits 1 while there is a gap (``.data`` is
    only parsed on exit 0)."""
    return json.loads(result.stdout)


# --- jieti (墨江“三种方式”), L298: a station head's area contact covers 3—5 group zones ----------

@pytest.fixture(scope="module")
def jieti(tmp_path_factory):
    # mojiang.toml has three villager groups; four more under 新华村 give seven group zones
    extra = "".join(unit(f"mj.lz.xh.g{i}", f"新华村{i}组", "group", "mj.lz.xh") for i in range(2, 6))
    run = CountyRunner(tmp_path_factory.mktemp("jieti") / "county.db").init(sample("jieti", "mojiang.toml") + extra)
    groups = ["mj.lz.bx.g1", "mj.lz.bx.g2", "mj.lz.xh.g1"] + [f"mj.lz.xh.g{i}" for i in range(2, 6)]
    for i, g in enumerate(groups):
        run("jieti", "zone", "add", f"z{i}", "--kind", "group", "--unit", g, "--leader", "st2",
            "--now", "2024-10-01T09:00")
    return run


def area_contact(run) -> list[tuple]:
    r = run("jieti", "zone", "check", "--json", "--now", "2024-10-02T09:00", ok=1)  # other gaps remain
    return [(f["subject"], f["detail"]) for f in findings(r)["findings"] if f["finding"] == "area_contact"]


def test_jieti_area_contact_three_to_five_group_zones(jieti):
    # st1 (普某) and st2 (龙某) are the sample's two station heads; neither contacts a zone yet
    assert area_contact(jieti) == [("st1", "普某分片联系0个组级责任区（应为3—5个）"),
                                   ("st2", "龙某分片联系0个组级责任区（应为3—5个）")]
    jieti("jieti", "zone", "contact", "st1", "z0", "z1", "--now", "2024-10-02T09:00")
    assert ("st1", "普某分片联系2个组级责任区（应为3—5个）") in area_contact(jieti)
    jieti("jieti", "zone", "contact", "st1", "z2", "--now", "2024-10-02T09:00")           # 3: the floor
    assert [s for s, _ in area_contact(jieti)] == ["st2"]
    jieti("jieti", "zone", "contact", "st1", "z3", "z4", "--now", "2024-10-02T09:00")     # 5: the ceiling
    assert [s for s, _ in area_contact(jieti)] == ["st2"]
    got = jieti("jieti", "zone", "contact", "st1", "z5", "--now", "2024-10-02T09:00", "--json").data
    assert got["zones"] == ["z0", "z1", "z2", "z3", "z4", "z5"]
    assert area_contact(jieti) == [("st1", "普某分片联系6个组级责任区（应为3—5个）"),
                                   ("st2", "龙某分片联系0个组级责任区（应为3—5个）")]


# --- sansong (赣州“三送”), L137: 10户以上; 2—3个村民小组、30—50户; 2—3名干部组建工作队 -------------

def _sansong_group(n: int) -> int:
    return 1 if n <= 30 else 3 if n == 60 else 4 if n == 63 else 2


@pytest.fixture(scope="module")
def sansong(tmp_path_factory):
    # ganzhou.toml registers HK-01, HK-02 (group 1) with zjj-01 their point cadre and zjj-01 the
    # only stationed cadre of 县住建局 at 黄坑村; appended: HK-03..HK-30 in group 1, HK-31..HK-62 in
    # group 2 but HK-60 in group 3, HK-63 in a fourth group, and a fourth stationed cadre zjj-04
    households = "".join(
        f'\n[[sansong.households]]\nid = "HK-{n:02d}"\nvillage = "gz.yd.lt.hk"\nhead = "户主{n}"\n'
        f'group = "gz.yd.lt.hk.g{_sansong_group(n)}"\n' for n in range(3, 64))
    extra = (unit("gz.yd.lt.hk.g4", "黄坑村四组", "group", "gz.yd.lt.hk")
             + person("zjj-04", "肖某", "gz.yd.zjj", ["agency_cadre", "stationed_cadre"]) + households)
    return CountyRunner(tmp_path_factory.mktemp("sansong") / "county.db").init(
        sample("sansong", "ganzhou.toml") + extra, now="2024-09-01T08:00")


def quota_gaps(run) -> list[tuple]:
    r = run("sansong", "check", "--json", "--now", "2024-09-02T09:00", ok=1)   # uncovered households remain
    return sorted((g["kind"], g["subject"], g["detail"]) for g in findings(r)
                  if g["kind"] in ("point_households", "area_groups", "area_households", "team_size"))


def link(run, cadre, mode, *numbers):
    run("sansong", "link", "add", cadre, *[f"HK-{n:02d}" for n in numbers], "--mode", mode,
        "--now", "2024-09-02T09:00")


TEAM_1 = ("team_size", "gz.yd.zjj", "驻村工作队1人（应2—3名, L137）")


def test_sansong_point_cadre_ten_households_or_more(sansong):
    link(sansong, "zjj-01", "point", *range(3, 10))                                   # 9 households
    assert ("point_households", "zjj-01", "挂点联系9户（应10户以上, L137）") in quota_gaps(sansong)
    link(sansong, "zjj-01", "point", 10)                                              # 10: 以上 includes it
    assert quota_gaps(sansong) == [TEAM_1]


def test_sansong_area_cadre_two_to_three_groups_thirty_to_fifty_households(sansong):
    link(sansong, "lt-01", "area", *range(11, 31))                  # 20 households, all of group 1
    assert quota_gaps(sansong) == [("area_groups", "lt-01", "分片联系1个村民小组（应2—3个, L137）"),
                                   ("area_households", "lt-01", "分片联系20户（应30—50户, L137）"), TEAM_1]
    link(sansong, "lt-01", "area", *range(31, 40))                  # 29 households in 2 groups
    assert quota_gaps(sansong) == [("area_households", "lt-01", "分片联系29户（应30—50户, L137）"), TEAM_1]
    link(sansong, "lt-01", "area", 40)                              # 30
    assert quota_gaps(sansong) == [TEAM_1]
    link(sansong, "lt-01", "area", *range(41, 61))                  # 50 households, HK-60 in group 3
    assert quota_gaps(sansong) == [TEAM_1]
    link(sansong, "lt-01", "area", 61)                              # 51
    assert quota_gaps(sansong) == [("area_households", "lt-01", "分片联系51户（应30—50户, L137）"), TEAM_1]
    link(sansong, "lt-01", "area", 63)                              # a fourth group, 52 households
    assert quota_gaps(sansong) == [("area_groups", "lt-01", "分片联系4个村民小组（应2—3个, L137）"),
                                   ("area_households", "lt-01", "分片联系52户（应30—50户, L137）"), TEAM_1]


def test_sansong_stationed_team_of_two_to_three(sansong):
    def team():
        return [g for g in quota_gaps(sansong) if g[0] == "team_size"]

    assert team() == [TEAM_1]
    for cadre, want in (("zjj-02", []), ("zjj-03", []),
                        ("zjj-04", [("team_size", "gz.yd.zjj", "驻村工作队4人（应2—3名, L137）")])):
        sansong("sansong", "station", "add", cadre, "--agency", "gz.yd.zjj", "--village", "gz.yd.lt.hk",
                "--since", "2024-09-02", "--now", "2024-09-02T09:00")
        assert team() == want, cadre


# --- wugeyi (承德“五个一”), L124: 民情联络员1—2名; L118: 办结率保持在98％以上 ----------------------

@pytest.fixture(scope="module")
def wugeyi(tmp_path_factory):
    # chengde.toml: 东营村 has no liaison, 峰北村 one, 南沟村 three; two appended at 东营村
    extra = "".join(person(f"dy-l{i}", name, "cd.sf.dy", ["opinion_liaison"]) for i, name in ((1, "毛某"), (2, "冯某")))
    return CountyRunner(tmp_path_factory.mktemp("wugeyi") / "county.db").init(sample("wugeyi", "chengde.toml") + extra)


def test_wugeyi_two_liaisons_are_within_one_to_two(wugeyi):
    rows = wugeyi("wugeyi", "liaisons", "--unit", "cd.sf", "--json").data
    assert [(r["unit"], r["liaisons"], r["finding"]) for r in rows] == [
        ("cd.sf.dy", 2, "ok"), ("cd.sf.fb", 1, "ok"), ("cd.sf.ng", 3, "too_many")]


def test_wugeyi_completion_rate_of_98_percent_meets_the_target(wugeyi):
    def march():
        return {m["metric"]: (m["numerator"], m["denominator"], m["value"]) for m in wugeyi(
            "appraise", "--unit", "cd.sf.dy", "--period", "2025-03", "--now", "2025-04-01T09:00", "--json").data
            if m["method"] == "wugeyi" and m["subject"] == "cd.sf.dy" and m["metric"].startswith("completion")}

    # 49 matters settled on the spot (能当场解决的当场解决, L126) and one approval left open
    for i in range(49):
        wugeyi("case", "add", "--method", "wugeyi", "--unit", "cd.sf.dy", "--title", f"政策咨询{i + 1}",
               "--set", "receiver=dy-01", "--set", "on_the_spot=yes", "--now", "2025-03-03T10:00")
    wugeyi("case", "add", "--method", "wugeyi", "--unit", "cd.sf.dy", "--title", "宅基地审批",
           "--set", "receiver=dy-01", "--now", "2025-03-04T10:00")
    assert march() == {"completion_rate": (49, 50, 0.98), "completion_target": (None, None, 0.98),
                       "completion_target_met": (None, None, 1.0)}              # 98 % is 98％以上
    wugeyi("case", "add", "--method", "wugeyi", "--unit", "cd.sf.dy", "--title", "林权登记",
           "--set", "receiver=dy-01", "--now", "2025-03-05T10:00")
    got = march()
    assert got["completion_rate"][:2] == (49, 51) and got["completion_target_met"][2] == 0.0   # 96.1 %


# --- shequhua (松山农村社区化管理), L280: 2000元以内费用实报实销 -----------------------------------

def test_shequhua_training_cost_of_exactly_2000_yuan_is_wholly_reimbursed(tmp_path):
    run = CountyRunner(tmp_path / "county.db").init(sample("shequhua", "songshan.toml"), now="2024-09-01T08:00")

    def reimburse(cost):
        r = run("shequhua", "reimburse", "ss.mj.yzh", "--cost", cost, "--now", "2024-12-02T09:00", "--json").data
        return r["amount"], r["village_part"], r["person_part"]

    assert reimburse("2000") == (2000.0, 2000.0, 0.0)          # 以内: the cap itself is covered
    assert reimburse("2000.01") == (2000.01, 2000.0, 0.01)     # one fen above: the cap (training_over_cap = cap)


# --- wuxin (洛阳杨文“五心工程”), L432: 必须每周有两小时的聊天谈心 -----------------------------------

def test_wuxin_two_hours_of_chat_a_week(tmp_path):
    # yangwen.toml initialised Sun 2024-09-01 09:00: pairs 3 and 4 (empty-nest elders) formed then;
    # their first whole week is Mon 09-02..Sun 09-08, its chat duty due on 09-08
    run = CountyRunner(tmp_path / "county.db")
    run("init", "--config", DATA / "wuxin" / "data" / "yangwen.toml", "--now", "2024-09-01T09:00")

    def chats(day):
        return sorted((d["subject"], d["done"]) for d in run("duties", "--date", day, "--unit", "ly.yw.yw",
                                                               "--json").data if d["kind"] == "chat")

    run("wuxin", "care", 4, "--kind", "chat", "--minutes", 60, "--now", "2024-09-02T15:00")
    run("wuxin", "care", 4, "--kind", "chat", "--minutes", 59, "--now", "2024-09-08T23:00")
    run("wuxin", "care", 3, "--kind", "chat", "--minutes", 120, "--now", "2024-09-09T00:30")   # Monday: next week
    assert chats("2024-09-08") == [("pair 3", False), ("pair 4", False)]          # 119 minutes: short
    run("wuxin", "care", 4, "--kind", "chat", "--minutes", 1, "--now", "2024-09-08T23:59")
    assert chats("2024-09-08") == [("pair 3", False), ("pair 4", True)]           # 120 minutes: two hours
    assert chats("2024-09-15") == [("pair 3", True), ("pair 4", False)]


@pytest.mark.parametrize("premium,village,person", [(0.01, 0.01, 0.0), (1000.01, 500.01, 500.0), (1200, 600.0, 600.0)])
def test_shequhua_pension_halves_keep_the_odd_fen_with_the_village(premium, village, person):
    """村里、个人各负担一半 (L280) in whole fen, one rule for the odd fen (the village's), not float
    rounding (0.01 went to the village, 1000.01's odd fen to the person; found by the audit)."""
    from plugins.contrib.shequhua.employment import _split_fen

    assert _split_fen(premium, 0.5) == (village, person)


def test_sansong_a_large_producer_household_is_priority_like_the_other_four_groups(sansong):
    """L137 names five groups contacted first — 在乡老红军、红军失散人员、贫困户、信访户、产业大户:
    a case of a 产业大户 household is priority high like the other four (the default left it out)."""
    sansong("sansong", "household", "add", "HK-70", "--village", "gz.yd.lt.hk", "--head", "户主70",
            "--group", "gz.yd.lt.hk.g1", "--kind", "large_producer", "--now", "2024-09-02T09:00")
    c = sansong("case", "add", "--method", "sansong", "--unit", "gz.yd.lt.hk", "--title", "产业路修缮",
                "--set", "household=HK-70", "--set", "cadre=zjj-01", "--now", "2024-09-02T10:00", "--json").data
    assert c["priority"] == "high"
