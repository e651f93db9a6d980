"""The fixture month shared by the board, masking and appraisal tests.

``BoardFixturePlugin`` is a tiny test-only method (``testboard``): a village -> township chain
(village: 5 calendar days, then escalate; township: 10 days, flagged when missed), a board
whose rows carry the requester's RAW name, phone, ID number and address (as a careless plugin
would) plus free text, and one method-specific score. ``build_month(county)`` fills November
2026 with the cases below; the appraisal figures in ``tests/test_appraise_reports.py`` are
computed by hand from this list.

=====  =========  ==========================  ==================================================
case   unit       created (2026, +08:00)      what happens
=====  =========  ==========================  ==================================================
A  01  柳林沟村    10-28 10:00                  resolved 11-01 at village (created in October)
c1 02  柳林沟村    11-02 10:00                  resolved 11-04, confirmed satisfied
c2 03  柳林沟村    11-02 10:00                  resolved 11-06, confirmed basically satisfied
c3 04  柳林沟村    11-03 09:00 (anonymous)      resolved 11-05, confirmed unsatisfied
c4 05  柳林沟村    11-03 09:00                  village missed (sweep 11-09) -> township, resolved 11-12
c6 06  柳林沟村    11-04 09:00                  village missed (sweep 11-10) -> township, flagged 11-21, open
c7 07  大桥村      11-05 09:00                  resolved 11-06, confirmed satisfied
s1-4   双桥村      11-16 09:00                  resolved 11-17 at village, not rated
c5 12  柳林沟村    11-26 09:00                  open, due 12-01 (not late at 11-30)
s5 13  双桥村      11-27 09:00                  open, due 12-02
=====  =========  ==========================  ==================================================
"""

from __future__ import annotations

import datetime as dt

from framework import hookimpl
from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.models import STATUS_ZH, Board, BoardSection, Deadline, MethodInfo, Metric, Milestone, Requester, Tier
from framework.kernel.registry import Registry
from framework.store.db import Store

TOML = {
    "deployment": {"name": "中江县", "code": "zj", "methods": ["testboard"]},
    "units": [
        {"code": "zj", "name": "中江县", "level": "county"},
        {"code": "zj.fx", "name": "富兴镇", "level": "township", "parent": "zj"},
        {"code": "zj.fx.llg", "name": "柳林沟村", "level": "village", "parent": "zj.fx"},
        {"code": "zj.fx.dq", "name": "大桥村", "level": "village", "parent": "zj.fx"},
        {"code": "zj.hx", "name": "回龙镇", "level": "township", "parent": "zj"},
        {"code": "zj.hx.sq", "name": "双桥村", "level": "village", "parent": "zj.hx"},
    ],
}

COLUMNS = [("case_id", "编号"), ("title", "事项"), ("description", "情况"), ("requester_name", "诉求人"),
           ("requester_phone", "联系电话"), ("requester_id_number", "身份证号"), ("requester_address", "住址"),
           ("status", "状态"), ("created_at", "受理时间"), ("amount", "金额")]


class BoardFixturePlugin:
    """The ``testboard`` method (test only)."""

    __name__ = "testboard"

    @staticmethod
    @hookimpl
    def county_method():
        return MethodInfo(
            name="testboard", title_zh="测试公示法", title="Board test method", source_county="测试县",
            source_lines="L0", stages=("deadline", "publicity", "appraisal"),
            tiers=[Tier("village", "村(社区)", "village", "5天内办结"), Tier("township", "乡镇", "township", "10天内办结")])

    @staticmethod
    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        if level == "village":
            return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 5), "escalate", "township", True)])
        return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 10), "flag", None, True)])

    @staticmethod
    @hookimpl
    def county_publicity(ctx, unit, period, cases):
        rows, rated = [], []
        for c in cases():
            r = c.requester
            rows.append({
                "case_id": c.id, "title": c.title, "description": c.description,
                "requester_name": r.name, "requester_phone": r.phone, "requester_id_number": r.id_number,
                "requester_address": r.address, "status": STATUS_ZH.get(c.status, c.status),
                "created_at": c.created_at.isoformat(), "amount": c.extra.get("amount", ""),
                "note": f"诉求人{r.name or ''}（{r.phone or ''}）反映", "requester": {
                    "name": r.name, "phone": r.phone, "id_number": r.id_number, "address": r.address,
                    "anonymous": r.anonymous},
            })
            if c.satisfaction:
                rated.append({"case_id": c.id, "title": c.title, "requester_name": r.name,
                              "satisfaction": {"satisfied": "满意", "basically": "基本满意",
                                               "unsatisfied": "不满意"}[c.satisfaction]})
        return [Board(method="testboard", title=f"{unit.name}事项公示", unit=unit.code, period=period,
                      sections=[BoardSection("事项办理情况", COLUMNS, rows),
                                BoardSection("群众评价", [("case_id", "编号"), ("title", "事项"),
                                                        ("requester_name", "评价人"), ("satisfaction", "评价")], rated)],
                      notes=["监督电话：0838-1234567", f"本期共{len(rows)}件"])]

    @staticmethod
    @hookimpl
    def county_appraisal(ctx, unit, period):
        return [Metric("patrol_score", unit.code if unit else "zj", value=92.5, label="巡查得分"),
                Metric("visit_rate", unit.code if unit else "zj", numerator=0, denominator=0, value=None,
                       label="走访率")]


def registry() -> Registry:
    """A registry holding only the test method (other plugins in the tree are not loaded)."""
    return Registry(extra_plugins={"testboard": BoardFixturePlugin()}, entry_points=False)


def new_county(path: str = ":memory:", now: str = "2026-10-28T10:00:00+08:00") -> County:
    """A fresh deployment with the unit tree above, clock fixed at ``now``."""
    county = County.init(Store(path), deployment_from_dict(TOML), registry())
    at(county, now)
    return county


def at(county: County, when: str) -> dt.datetime:
    county.clock.fixed = dt.datetime.fromisoformat(when)
    return county.clock.fixed


def add(county: County, unit: str, title: str, when: str, **requester) -> str:
    at(county, when)
    desc = requester.pop("description", None)
    c = county.add_case("testboard", unit, title, description=desc, requester=Requester(**requester))
    return c.id


def build_month(county: County) -> dict[str, str]:
    """Fill the fixture month; returns the case ids by the names of the module docstring."""
    ids = {}
    ids["A"] = add(county, "zj.fx.llg", "十月的排水沟清淤", "2026-10-28T10:00:00+08:00",
                   name="赵大海", phone="13900001111", id_number="510623197001011111",
                   address="富兴镇柳林沟村5组3号")
    at(county, "2026-11-01T09:00:00+08:00")
    county.resolve(ids["A"], "已清淤")
    ids["c1"] = add(county, "zj.fx.llg", "修复村道路灯", "2026-11-02T10:00:00+08:00",
                    name="张三丰", phone="13812345678", id_number="510623199001011234",
                    address="富兴镇柳林沟村3组12号",
                    description="张三丰反映：路灯坏了，电话13812345678，另一联系人13987654321，座机0838-2345678")
    ids["c2"] = add(county, "zj.fx.llg", "申请低保复核", "2026-11-02T10:00:00+08:00",
                    name="李四", phone="13700002222", id_number="51062319850202222X",
                    address="富兴镇柳林沟村1组8号",
                    description="身份证51062319850202222X，老证510623850202222，补助1800元")
    ids["c3"] = add(county, "zj.fx.llg", "邻里纠纷调解", "2026-11-03T09:00:00+08:00",
                    name="王小明", phone="13600003333", id_number="510623199303033333",
                    address="富兴镇柳林沟村2组1号", anonymous=True,
                    description="王小明不愿公开姓名，请勿张贴")
    ids["c4"] = add(county, "zj.fx.llg", "产业路硬化", "2026-11-03T09:00:00+08:00",
                    name="陈红", phone="13500004444", address="富兴镇柳林沟村4组",
                    description="项目总投资2000万元，案件zj-000123相关，2026-11-02T10:00:00+08:00已现场查看")
    ids["c6"] = add(county, "zj.fx.llg", "灌溉水渠渗漏", "2026-11-04T09:00:00+08:00",
                    name="周六", phone="13400005555")
    at(county, "2026-11-04T15:00:00+08:00")
    county.resolve(ids["c1"], "已修复")
    county.confirm(ids["c1"], "satisfied")
    ids["c7"] = add(county, "zj.fx.dq", "河堤护栏", "2026-11-05T09:00:00+08:00", name="吴七", phone="13300006666")
    at(county, "2026-11-05T16:00:00+08:00")
    county.resolve(ids["c3"], "已调解")
    county.confirm(ids["c3"], "unsatisfied")
    at(county, "2026-11-06T10:00:00+08:00")
    county.resolve(ids["c2"], "已复核")
    county.confirm(ids["c2"], "basically")
    county.resolve(ids["c7"], "已安装")
    county.confirm(ids["c7"], "satisfied")
    at(county, "2026-11-09T00:00:00+08:00")
    assert [a["case"] for a in county.sweep()] == [ids["c4"]]
    at(county, "2026-11-10T00:00:00+08:00")
    assert [a["case"] for a in county.sweep()] == [ids["c6"]]
    at(county, "2026-11-12T10:00:00+08:00")
    county.resolve(ids["c4"], "乡镇已硬化")
    for i in range(1, 5):
        ids[f"s{i}"] = add(county, "zj.hx.sq", f"双桥村事项{i}", "2026-11-16T09:00:00+08:00", name="郑八")
    at(county, "2026-11-17T09:00:00+08:00")
    for i in range(1, 5):
        county.resolve(ids[f"s{i}"], "已办结")
    at(county, "2026-11-21T00:00:00+08:00")
    acts = county.sweep()
    assert [(a["case"], a["action"]) for a in acts] == [(ids["c6"], "flag")]
    ids["c5"] = add(county, "zj.fx.llg", "月底新诉求", "2026-11-26T09:00:00+08:00", name="冯九")
    ids["s5"] = add(county, "zj.hx.sq", "双桥村月底诉求", "2026-11-27T09:00:00+08:00", name="郑八")
    at(county, "2026-11-30T12:00:00+08:00")
    return ids


def test_fixture_month_builds_the_documented_cases():
    county = new_county()
    ids = build_month(county)
    assert ids["A"] == "zj-000001" and ids["c5"] == "zj-000012" and ids["s5"] == "zj-000013"
    assert county.get_case(ids["c4"]).resolved_level == "township"
    c6 = county.get_case(ids["c6"])
    assert (c6.status, c6.level, c6.unit) == ("escalated", "township", "zj.fx")
