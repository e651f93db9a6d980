"""The contact network of 乡会村开 (casebook, Jingning L246):

    每个乡镇班子成员联系1个村、1个基层党组织和1名书记，每个村确定1名驻村干部，
    每位乡镇干部联系1名以上困难群众

— recorded with `county xiangkai network link|unlink|list`, checked with `network check`
(every gap with its exact message, exit 1) and, on the 1st of each month, as duties. Every
expected gap below is read off that sentence by hand for the deployment in TOML: two townships,
three villages, one leader (蓝书记), two cadres (雷干部 resident cadre, 吴干部 township cadre)."""

import json

import pytest

from deployments import JINGNING

TOML = JINGNING + """
[[people]]
id = "hx-03"
name = "吴干部"
unit = "jn.hx"
roles = ["township_cadre"]
[[people]]
id = "gt-01"
name = "梅支书"
unit = "jn.hx.gt"
roles = []
"""

#: the empty network's gaps, by the rule's three clauses: 3 villages (by code) without a
#: stationed cadre; the one leader missing all three links; the three cadres (蓝书记 is a
#: leadership member, hence a cadre too) without a needy person
EMPTY = [
    "大地乡莲湖村（jn.dd.lh）没有驻村干部",
    "鹤溪镇安亭村（jn.hx.at）没有驻村干部",
    "鹤溪镇岗头村（jn.hx.gt）没有驻村干部",
    "班子成员蓝书记（hx-01）未联系村",
    "班子成员蓝书记（hx-01）未联系基层党组织",
    "班子成员蓝书记（hx-01）未联系书记",
    "乡镇干部蓝书记（hx-01）未联系困难群众",
    "乡镇干部雷干部（hx-02）未联系困难群众",
    "乡镇干部吴干部（hx-03）未联系困难群众",
]
NOW = "2026-11-10T09:00"


@pytest.fixture
def xk(init_county):
    return init_county(TOML)


def link(run, *args, ok=True):
    return run("xiangkai", "network", "link", *args, "--now", NOW, "--json", ok=ok)


def test_empty_network_every_gap_with_its_message(xk):
    r = xk("xiangkai", "network", "check", "--now", NOW, ok=1)
    assert r.stdout.splitlines()[:-1] == EMPTY
    assert r.stdout.splitlines()[-1] == "村 3 个，有驻村干部 0 个；班子成员 1 名，三项联系齐全 0 名；乡镇干部 3 名，联系困难群众 0 名"
    assert "network check: 9 gap(s)" in r.stderr
    data = json.loads(xk("xiangkai", "network", "check", "--now", NOW, "--json", ok=1).stdout)
    assert data["ok"] is False
    assert [p["kind"] for p in data["problems"]] == (
        ["village_without_stationed_cadre"] * 3
        + ["leader_without_village", "leader_without_party_org", "leader_without_secretary"]
        + ["cadre_without_needy"] * 3)
    assert [p["subject"] for p in data["problems"]] == [
        "jn.dd.lh", "jn.hx.at", "jn.hx.gt", "hx-01", "hx-01", "hx-01", "hx-01", "hx-02", "hx-03"]
    # a township's subtree: its own villages and people only
    dd = xk("xiangkai", "network", "check", "--unit", "jn.dd", "--now", NOW, ok=1)
    assert dd.stdout.splitlines()[:-1] == ["大地乡莲湖村（jn.dd.lh）没有驻村干部"]


def test_links_one_of_each_per_leader_one_cadre_per_village(xk):
    v = link(xk, "hx-01", "village", "jn.hx.gt").data
    assert (v["id"], v["kind_zh"], v["target"], v["target_name"], v["linked_at"]) == (
        1, "联系村", "jn.hx.gt", "岗头村", "2026-11-10T09:00:00+08:00")
    link(xk, "hx-01", "party_org", "岗头村党支部", "--village", "jn.hx.gt")
    s = link(xk, "hx-01", "secretary", "gt-01").data
    assert (s["target"], s["target_name"]) == ("gt-01", "梅支书")  # a person of the register: named from it
    # exactly one of each (1个村、1个基层党组织、1名书记): a second one is refused until the first ends
    r = link(xk, "hx-01", "village", "jn.hx.at", ok=1)
    assert "already has village link 1 (岗头村)" in r.stderr
    # only a leadership member holds these three links
    assert "not a township leadership member" in link(xk, "hx-02", "village", "jn.hx.at", ok=2).stderr
    # one stationed cadre per village (每个村确定1名驻村干部), of the cadre's township
    link(xk, "hx-02", "stationed", "jn.hx.gt")
    assert "岗头村 already has a stationed cadre, 雷干部" in link(xk, "hx-03", "stationed", "jn.hx.gt", ok=1).stderr
    assert "not in 雷干部's township 鹤溪镇" in link(xk, "hx-02", "stationed", "jn.dd.lh", ok=2).stderr
    assert "not a village" in link(xk, "hx-02", "stationed", "jn.hx", ok=2).stderr
    # needy people: one or more per cadre (1名以上), not the same one twice
    link(xk, "hx-02", "needy", "王某", "--village", "jn.hx.gt")
    link(xk, "hx-02", "needy", "李某")
    assert "already links needy person 王某" in link(xk, "hx-02", "needy", "王某", ok=1).stderr
    assert "not a township cadre" in link(xk, "gt-01", "needy", "赵某", ok=2).stderr

    rows = xk("xiangkai", "network", "list", "--now", NOW, "--json").data
    assert [(r["person"], r["kind"], r["target_name"]) for r in rows] == [
        ("hx-01", "village", "岗头村"), ("hx-01", "party_org", "岗头村党支部"), ("hx-01", "secretary", "梅支书"),
        ("hx-02", "stationed", "岗头村"), ("hx-02", "needy", "王某"), ("hx-02", "needy", "李某")]
    human = xk("xiangkai", "network", "list", "--kind", "stationed", "--now", NOW).stdout.splitlines()
    assert human == ["#4  雷干部（hx-02）  驻村  岗头村  自 2026-11-10 09:00", "共1条联系"]

    # left: 2 villages without a stationed cadre; 蓝书记 and 吴干部 without a needy person
    r = xk("xiangkai", "network", "check", "--now", NOW, ok=1)
    assert r.stdout.splitlines()[:-1] == [
        "大地乡莲湖村（jn.dd.lh）没有驻村干部", "鹤溪镇安亭村（jn.hx.at）没有驻村干部",
        "乡镇干部蓝书记（hx-01）未联系困难群众", "乡镇干部吴干部（hx-03）未联系困难群众"]
    assert r.stdout.splitlines()[-1] == "村 3 个，有驻村干部 1 个；班子成员 1 名，三项联系齐全 1 名；乡镇干部 3 名，联系困难群众 1 名"


def test_a_full_network_passes_and_unlinking_opens_a_gap(xk):
    for args in (("hx-01", "village", "jn.hx.gt"), ("hx-01", "party_org", "岗头村党支部"), ("hx-01", "secretary", "梅支书"),
                 ("hx-01", "needy", "张某"), ("hx-02", "stationed", "jn.hx.gt"), ("hx-02", "needy", "王某"),
                 ("hx-03", "stationed", "jn.hx.at"), ("hx-03", "needy", "李某")):
        link(xk, *args)
    ok = xk("xiangkai", "network", "check", "--unit", "jn.hx", "--now", NOW)
    assert ok.stdout.splitlines() == ["村 2 个，有驻村干部 2 个；班子成员 1 名，三项联系齐全 1 名；乡镇干部 3 名，联系困难群众 3 名"]
    # a secretary not in the register is recorded by name
    assert xk("xiangkai", "network", "list", "--kind", "secretary", "--now", NOW, "--json").data[0]["target"] == "梅支书"

    # 雷干部 leaves 岗头村 on 11-20: from then on the village has a gap; before, none
    end = xk("xiangkai", "network", "unlink", "5", "--now", "2026-11-20T09:00", "--json").data
    assert (end["kind"], end["unlinked_at"]) == ("stationed", "2026-11-20T09:00:00+08:00")
    assert "ended at" in xk("xiangkai", "network", "unlink", "5", "--now", "2026-11-21T09:00", ok=1).stderr
    xk("xiangkai", "network", "check", "--unit", "jn.hx", "--now", "2026-11-19T09:00")
    r = xk("xiangkai", "network", "check", "--unit", "jn.hx", "--now", "2026-11-20T09:00", ok=1)
    assert r.stdout.splitlines()[0] == "鹤溪镇岗头村（jn.hx.gt）没有驻村干部"
    # the rule is one cadre per village, not one village per cadre: 吴干部 may take 岗头村 too
    xk("xiangkai", "network", "link", "hx-03", "stationed", "jn.hx.gt", "--now", "2026-11-21T09:00")
    xk("xiangkai", "network", "check", "--unit", "jn.hx", "--now", "2026-11-21T09:00")


def test_gaps_as_duties_on_the_first_of_each_month(xk):
    # links made on 2026-11-10: 鹤溪镇 complete, 大地乡's 莲湖村 still without a stationed cadre
    for args in (("hx-01", "village", "jn.hx.gt"), ("hx-01", "party_org", "岗头村党支部"), ("hx-01", "secretary", "gt-01"),
                 ("hx-01", "needy", "张某"), ("hx-02", "stationed", "jn.hx.gt"), ("hx-02", "needy", "王某"),
                 ("hx-03", "stationed", "jn.hx.at"), ("hx-03", "needy", "李某")):
        link(xk, *args)

    def duties(day, *more):
        return [(d["kind"], d["unit"], d["subject"], d["title"], d["done"])
                for d in xk("duties", "--date", day, *more, "--json").data if d["method"] == "xiangkai"]

    dec = duties("2026-12-01")
    assert [(k, u, s, done) for k, u, s, _t, done in dec] == [
        ("contact_network", "jn.dd.lh", "jn.dd.lh", False), ("contact_network", "jn.hx", "jn.hx", True)]
    assert dec[0][3] == "大地乡莲湖村（jn.dd.lh）没有驻村干部"
    assert dec[1][3].startswith("鹤溪镇联系网络齐全")
    # not the 1st: no network duty
    assert duties("2026-12-02") == []
    # on 11-01 (before any link) every gap of the empty network, each a duty not done
    nov = duties("2026-11-01")
    assert [t for _k, _u, _s, t, _d in nov] == EMPTY and not any(d for *_x, d in nov)
    # a unit's duties: its subtree only
    assert [(s, done) for _k, _u, s, _t, done in duties("2026-12-01", "--unit", "jn.hx")] == [("jn.hx", True)]
