"""shequhua's month in ``county demo`` (``county_demo``): two pilot villages of the demo county
with their service centres, organisations and urban partners, a month of matters, the
organisation department's checks, a model village and its promotion. Everything is made up and
fixed: the same period gives the same data.
"""

from __future__ import annotations

import datetime as dt

from framework import parse_month

from . import checks, employment, service
from .rules import NAME

#: The demo county's units used (framework/demo/data/county.toml) and the one added.
PILOTS = ("demo.fx.sq", "demo.fx.hs")  # 石泉村, 黄石村 (富兴镇)
UNITS = [{"code": "demo.cg.xh", "name": "新华社区", "level": "community", "parent": "demo.cg"}]
PEOPLE = [
    {"id": "shq-sq-1", "name": "苏某", "unit": "demo.fx.sq", "roles": "village_cadre;party_member"},
    {"id": "shq-sq-2", "name": "石某", "unit": "demo.fx.sq", "roles": "party_member"},
    {"id": "shq-sq-3", "name": "叶某", "unit": "demo.fx.sq", "roles": "reserve_cadre"},
    {"id": "shq-sq-4", "name": "程某", "unit": "demo.fx.sq", "roles": "party_activist"},
    {"id": "shq-hs-1", "name": "黄某", "unit": "demo.fx.hs", "roles": "village_cadre"},
    {"id": "shq-hs-2", "name": "杜某", "unit": "demo.fx.hs", "roles": "party_member"},
    {"id": "shq-zzb-1", "name": "魏某", "unit": "demo", "roles": "inspector"},
]
ORGS = [("demo.fx.sq", "production", "shq-sq-2", ["shq-sq-3"]), ("demo.fx.sq", "sanitation", "shq-sq-3", []),
        ("demo.fx.sq", "mediation", "shq-sq-1", ["shq-sq-2"]), ("demo.fx.sq", "public_welfare", "shq-sq-4", []),
        ("demo.fx.sq", "culture_sports", "shq-sq-4", ["shq-sq-2"]), ("demo.fx.hs", "mediation", "shq-hs-2", [])]
MATTERS = [  # (village, title, category, fields, day, resolved on day or None)
    ("demo.fx.sq", "大棚蔬菜病虫害防治咨询", "production", {}, 3, 4),
    ("demo.fx.sq", "邻里宅基地界址纠纷", None, {}, 5, 9),
    ("demo.fx.sq", "村口垃圾点清运", "sanitation", {"kind": "problem"}, 6, None),
    ("demo.fx.sq", "看望住院的独居老人", None, {"six_one": "visit", "member": "shq-sq-2"}, 10, 10),
    ("demo.fx.hs", "申请失地农民技能培训", "employment", {}, 11, 12),
]


def seed(ctx, period: str, titles) -> str:
    """Seed ``period`` (``YYYY-MM``) on the demo county: on the 1st 新华社区 and the people are
    added, 石泉村 and 黄石村 open their centres (石泉村 with the five organisations, 黄石村 with
    mediation), 富兴镇 pairs with 城关街道 and the two villages with 和平社区 and 新华社区; five
    matters from the 3rd to the 11th (four resolved; 村口垃圾点清运 goes up to 富兴镇 at the sweep
    of the 14th, 城关街道 joining); on the 15th the quarter's spot check is drawn and a regular
    check rates 石泉村 好; on the 20th it is made a model village, on the 22nd an on-site
    observation meeting and a column report; on the 25th a training cost of 2,400 yuan is
    reimbursed 2,000. ``titles`` are not used (the matters are the method's own). Returns the
    summary line."""
    y, m = parse_month(period, "demo period")
    at = lambda day, hour=9: dt.datetime(y, m, day, hour, 0, tzinfo=ctx.calendar.tz)
    with ctx.acting_at(at(1, 8)):
        if "demo.cg.xh" not in ctx.units:
            ctx.actions.import_units(UNITS, f"{NAME} demo")
        ctx.actions.import_people(PEOPLE, f"{NAME} demo")
        service.open_centre(ctx, "demo.fx.sq", "shq-sq-1")
        service.open_centre(ctx, "demo.fx.hs", "shq-hs-1")
        for village, area, leader, members in ORGS:
            service.set_org(ctx, village, area, leader, members=members)
        service.pair(ctx, "demo.fx", "demo.cg")
        service.pair(ctx, "demo.fx.sq", "demo.cg.hp")
        service.pair(ctx, "demo.fx.hs", "demo.cg.xh")
    ids = []
    for village, title, category, fields, day, done in MATTERS:
        with ctx.acting_at(at(day)):
            case = ctx.actions.add_case(NAME, village, title, channel="six_ones" if "six_one" in fields else "hall",
                                        category=category, fields=fields)
            ids.append(case.id)
        if done:
            with ctx.acting_at(at(done, 16)):
                ctx.actions.resolve(case.id, "已办结")
    with ctx.acting_at(at(14, 1)):  # as the nightly sweep would (only this case: the demo's other methods untouched)
        ctx.actions.escalate(ids[2], "服务中心7天内未办结，报乡镇")
    quarter = checks.quarter_of(ctx, at(15))
    with ctx.acting_at(at(15)):
        drawn = checks.draw(ctx, quarter)
        checks.inspect(ctx, "demo.fx.sq", "regular", "good", "shq-zzb-1", "服务中心运行规范")
    with ctx.acting_at(at(16)):
        checks.inspect(ctx, drawn[0], "spot", "pass", "shq-zzb-1", "随机抽查")
    with ctx.acting_at(at(20)):
        service.designate(ctx, "demo.fx.sq", "五类服务组织齐全")
    with ctx.acting_at(at(22)):
        service.promote(ctx, "observation", "石泉村农村社区化管理现场观摩会", village_code="demo.fx.sq")
        service.promote(ctx, "column", "石泉村：服务中心办实事", village_code="demo.fx.sq", outlet="website")
    with ctx.acting_at(at(25)):
        employment.reimburse(ctx, "demo.fx.hs", 2400)
    return (f"{NAME} 富兴镇：试点村 2 个（石泉村、黄石村）分别与和平社区、新华社区帮联，富兴镇与城关街道帮联；"
            f"事项 {len(ids)} 件，办结 4 件，1 件上报富兴镇；{quarter} 随机抽查抽中"
            f"{ctx.units[drawn[0]].name}；石泉村确定为农村社区化管理示范村")
