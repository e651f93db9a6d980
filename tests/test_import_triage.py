"""Category triage on real text: the official taxonomy (附件1) as a tree, the keyword rule, and
the scikit-learn classifier trained only on the labelled sample (附件2). Accuracy is reported
by benchmarks/triage_accuracy.py, not held to a threshold here."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from framework.interchange.triage import CategoryTree, KeywordRule, TextClassifier, load_labelled, load_taxonomy
from framework.errors import CountyError
from framework.testing import real_data

def real(rel: str) -> Path:
    return real_data(Path("taidi2020c-zhihuizhengwu") / rel)


def test_official_taxonomy_loads_as_a_three_level_tree():
    tree = load_taxonomy(real("full/附件1.xlsx"))
    assert len(tree.level1) == 15 and len(tree.leaves()) == 517
    assert sum(len(subs) for subs in tree.tree.values()) == 118
    per_class = Counter(a for a, _, _ in tree.leaves())
    assert per_class["城乡建设"] == 65 and per_class["科技与信息产业"] == 15 and per_class["国土资源"] == 19
    assert tree.path("事故处理") == ("城乡建设", "安全生产", "事故处理")
    assert tree.path("城乡建设") == ("城乡建设",) and tree.path("不存在") is None
    # the sample's copy is not byte-identical but holds the same taxonomy
    assert load_taxonomy(real("sample/附件1.xlsx")) == tree


def test_taxonomy_with_an_empty_level_is_a_line_error(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("一级分类,二级分类,三级分类\n城乡建设,安全生产,事故处理\n城乡建设,,物业\n", encoding="utf-8")
    with pytest.raises(CountyError, match=r"t.csv: line 3: 二级分类: empty"):
        load_taxonomy(f)


def test_keyword_rule_proposes_a_level1_class_with_its_evidence():
    rule = KeywordRule()
    p = rule.propose("小区物业乱收停车费", "业主委员会没有同意，物业按天收费")
    assert p.label == "城乡建设" and set(p.matched) == {"小区", "物业", "业主"}
    assert rule.propose("孩子入学难", "学校说学位已满").label == "教育文体"
    assert rule.propose("", "").label is None
    tree = CategoryTree({"国土资源": {"矿产资源": ["非法开采"]}})
    assert KeywordRule(keywords={}, taxonomy=tree).propose("有人非法开采", "").label == "国土资源"


def test_classifier_trained_on_the_labelled_sample_only():
    titles, bodies, labels = load_labelled(real("sample/附件2.xlsx"))
    # 495 rows, 留言编号 37042 twice: kept once
    assert len(labels) == 494
    assert Counter(labels) == {"劳动和社会保障": 103, "城乡建设": 101, "教育文体": 96, "卫生计生": 58,
                               "交通运输": 55, "商贸旅游": 48, "环境保护": 33}
    clf = TextClassifier().fit(titles, bodies, labels)
    assert clf.propose("孩子上小学的学位问题", "学校招生划片不合理").label == "教育文体"
    assert clf.propose("拖欠农民工工资", "包工头半年没发工资").label == "劳动和社会保障"
    # a training message comes back with its own label
    p = clf.propose(titles[0], bodies[0])
    assert (titles[0], p.label) == ("A市西湖建筑集团占道施工有安全隐患", "城乡建设") and 0.2 < p.score <= 1


def test_triage_cli(county_cli):
    r = county_cli("triage", "propose", "--title", "化工厂夜间排放刺鼻废气", "--json")
    assert r.data["label"] == "环境保护" and r.data["rule"] == "keywords"
    r = county_cli("triage", "taxonomy", real("full/附件1.xlsx"), "--json")
    assert len(r.data) == 15 and r.data["城乡建设"]["安全生产"][0] == "事故处理"
    r = county_cli("triage", "taxonomy", "/nonexistent.xlsx", ok=2)
    assert r.stderr.strip() == "error: /nonexistent.xlsx: file not found"
