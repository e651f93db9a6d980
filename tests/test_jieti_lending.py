"""jieti lends its routing (docs/hooks.md §11): a method without a ladder of its own binds its
triage and assignment to jieti and its deadline to taizhang's chain. jieti's triage starts a
matter at the chain's tier its scope covers (village or township; a group matter starts at the
chain's first tier), jieti's assignment names the zone leaders (with the paired department at the
village) at the tiers both chains share, and taizhang times them (5 days at the village, L29)."""

import types
from pathlib import Path

import pytest

import plugins.contrib.jieti
from framework import MethodInfo, hookimpl
from framework.kernel.registry import Registry

BASE = (Path(plugins.contrib.jieti.__file__).parent / "data" / "mojiang.toml").read_text(encoding="utf-8")
TOML = BASE.replace('methods = ["jieti"]', 'methods = ["lender", "taizhang", "jieti"]') + """
[bindings]
lender.triage = "jieti"
lender.assignment = "jieti"
lender.deadline = "taizhang"
"""


@hookimpl
def county_method():
    """A method that borrows three stages."""
    return MethodInfo(name="lender", title_zh="借用阶梯", title="Borrower", source_county="test", source_lines="n/a")


@pytest.fixture
def county(make_county):
    lender = types.ModuleType("lender")
    lender.county_method = county_method
    county = make_county(TOML, now="2024-09-27T10:00", registry=Registry(extra_plugins={"lender": lender}))
    ctx = county.ctx("jieti")
    for zid, kind, unit, leader, paired in [("bx", "village", "mj.lz.bx", "zjj", "mj.zjj"),
                                            ("lz", "township", "mj.lz", "cl", None)]:
        plugins.contrib.jieti.zones.add_zone(ctx, zid, kind, unit, leader, paired=paired)
    return county


def test_routing_lent_to_a_taizhang_chain(county):
    v = county.add_case("lender", "mj.lz.bx", "村道损毁")
    assert (v.level, v.unit, v.handler, v.joint_unit) == ("village", "mj.lz.bx", "zjj", "mj.zjj")
    assert v.extra["ladder_scope"] == "village" and v.due_at.isoformat() == "2024-10-02T23:59:59+08:00"  # taizhang: 5 d
    g = county.add_case("lender", "mj.lz.bx.g1", "组道塌方")
    # a group matter: jieti's tier 'group' is not in taizhang's chain, so the chain's first tier
    assert (g.level, g.unit, g.handler, g.extra["ladder_scope"]) == ("village", "mj.lz.bx", "zjj", "group")
    t = county.add_case("lender", "mj.lz", "镇区排水")
    assert (t.level, t.unit, t.handler) == ("township", "mj.lz", "cl")
    # taizhang's township: reply in 10 days, report up in 15 (primary), from 09-27
    assert t.due_at.isoformat() == "2024-10-12T23:59:59+08:00"
    county.clock.fixed = county.clock.fixed.replace(month=10, day=3, hour=9)
    acted = county.sweep()
    assert sorted((a["case"], a["to"]) for a in acted) == [(v.id, "township"), (g.id, "township")]
    v = county.ctx("jieti").cases.get(v.id)
    # the township tier is in both chains: jieti names its zone leader; the village's joint pair ends
    assert (v.level, v.unit, v.handler, v.joint_unit) == ("township", "mj.lz", "cl", None)
    assert v.due_at.isoformat() == "2024-10-18T23:59:59+08:00"                # 10-03 + 15
