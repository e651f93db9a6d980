"""sansong's month in ``county demo`` (``county_demo``). The demo county lacks what 三送 needs,
so the demo adds it (``ctx.actions.import_units`` / ``import_people``): the township 莲塘镇
(``demo.lt``) with the village 禾坑村 (``demo.lt.hk``) and its three villager groups, a city
unit for the fourth linkage level (``demo.city``, 市级联动), two cadres of 县住建局 stationed in
禾坑村, a township cadre, a two-committee member and a linkage desk person at the county and the
city (all fictional, surname only).

Days and hours are fixed; only the month follows the demo:

* 1st: 36 households (HK-01…HK-36, groups of 12; HK-03 a poor household, HK-07 a veteran Red
  Army soldier), 县住建局 paired with 禾坑村, both cadres stationed (a new staff member and a
  reserve cadre), point links HK-01…10 (10: the quota) and HK-11…19 (9: one short), the township
  cadre's area links HK-01…36 (3 groups, 36 households);
* 2nd 09:00: HK-03's housing request heard by its cadre, promised for the 10th, solved on the
  8th at tier cadre; a diary entry signed by the household head;
* 3rd 10:00: a 96333 call graded to the township, fed back at 15:00, solved on the 16th;
* 5th 09:00: HK-12's canal leak heard by its cadre (7 days: due the 12th), missed: the sweep of
  the 13th 08:00 moves it to 村级联动 (the village committee, the work team joint), solved on
  the 18th; its diary entry is left unsigned;
* 25th: the quarter's consultation meeting (5 committee members, 2 deputies, 8 representatives);
* last day: presence 22 and 18 days, the first cadre's annual rating 40/6/4.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt

from framework import Requester, parse_month

from . import network, service
from .rules import NAME, TIER_ZH

TOWN, VILLAGE, CITY, AGENCY = "demo.lt", "demo.lt.hk", "demo.city", "demo.zjj"
GROUPS = [f"{VILLAGE}.g{i}" for i in (1, 2, 3)]
UNITS = [
    {"code": CITY, "name": "市级联动（演示）", "level": "city_linkage", "parent": "demo"},
    {"code": TOWN, "name": "莲塘镇", "level": "township", "parent": "demo"},
    {"code": VILLAGE, "name": "禾坑村", "level": "village", "parent": TOWN},
    *({"code": g, "name": f"禾坑村{n}组", "level": "group", "parent": VILLAGE} for g, n in zip(GROUPS, "一二三")),
]
PEOPLE = [
    {"id": "ss-zjj-01", "name": "钟某", "unit": AGENCY, "roles": ["agency_cadre", "stationed_cadre"],
     "phone": "13900000001"},
    {"id": "ss-zjj-02", "name": "曾某", "unit": AGENCY, "roles": ["agency_cadre", "stationed_cadre"],
     "phone": "13900000002"},
    {"id": "ss-lt-01", "name": "谢某", "unit": TOWN, "roles": ["township_cadre"], "phone": "13900000003"},
    {"id": "ss-hk-01", "name": "肖某", "unit": VILLAGE, "roles": ["two_committees"]},
    {"id": "ss-county-01", "name": "邱某", "unit": "demo", "roles": ["linkage_staff"]},
    {"id": "ss-city-01", "name": "温某", "unit": CITY, "roles": ["linkage_staff"]},
]
KINDS = {"HK-03": "poor", "HK-07": "red_army_veteran"}
DEFAULT_TITLES = ["危旧土坯房改造申请", "村组道路硬化", "水渠渗漏影响灌溉"]


def county_demo(ctx, period: str, titles: list[str]) -> str:
    """Seed the month ``period`` (``YYYY-MM``) as the module docstring says; ``titles`` (real
    message titles, may be empty) name the first two cases. Returns the summary line."""
    year, month = parse_month(period, "demo period")
    first = dt.date(year, month, 1)
    last = dt.date(year, month, _cal.monthrange(year, month)[1])

    def at(day: int, hm: str = "09:00") -> dt.datetime:
        h, m = (int(x) for x in hm.split(":"))
        return ctx.calendar.local(dt.datetime(year, month, day, h, m))

    with ctx.acting_at(at(1, "08:00")):
        missing = [u for u in UNITS if u["code"] not in ctx.units]
        if missing:
            ctx.actions.import_units(missing, f"{NAME} demo units")
        people = [p for p in PEOPLE if p["id"] not in ctx.people]
        if people:
            ctx.actions.import_people(people, f"{NAME} demo people")
        with ctx.transaction():
            for i in range(1, 37):
                hid = f"HK-{i:02d}"
                network.add_household(ctx, hid, VILLAGE, f"{'钟曾谢肖刘黄'[i % 6]}户主{i}", GROUPS[(i - 1) // 12],
                                      KINDS.get(hid))
            network.set_point(ctx, AGENCY, VILLAGE, first)
            network.station(ctx, "ss-zjj-01", AGENCY, VILLAGE, "new_staff", first)
            network.station(ctx, "ss-zjj-02", AGENCY, VILLAGE, "reserve", first)
            network.link(ctx, "ss-zjj-01", [f"HK-{i:02d}" for i in range(1, 11)], "point", first)
            network.link(ctx, "ss-zjj-02", [f"HK-{i:02d}" for i in range(11, 20)], "point", first)
            network.link(ctx, "ss-lt-01", [f"HK-{i:02d}" for i in range(1, 37)], "area", first)
    picked = (list(titles) + DEFAULT_TITLES)[:2] + DEFAULT_TITLES[2:]
    add = ctx.actions.add_case
    with ctx.acting_at(at(2)):
        a = add(NAME, VILLAGE, picked[0], channel="cadre_contact", requester=Requester(name="钟户主3"),
                fields={"household": "HK-03", "promised_on": dt.date(year, month, 10).isoformat()}).id
        d1 = service.diary_add(ctx, "ss-zjj-01", "HK-03", "上门走访，户主反映住房漏雨", a)
    with ctx.acting_at(at(2, "09:30")):
        service.diary_sign(ctx, d1, "钟户主3")
    with ctx.acting_at(at(3, "10:00")):
        b = add(NAME, VILLAGE, picked[1], channel="hotline_96333", fields={"grade": "township"}).id
    with ctx.acting_at(at(3, "15:00")):
        service.feedback(ctx, b, "已告知：乡镇干部三日内到现场查看")
    with ctx.acting_at(at(5)):
        c = add(NAME, VILLAGE, picked[2], channel="cadre_contact", fields={"household": "HK-12"}).id
        service.diary_add(ctx, "ss-zjj-02", "HK-12", "户主反映水渠渗漏", c)
    with ctx.acting_at(at(8, "16:00")):
        ctx.actions.resolve(a, "联系干部协调危房改造指标，已开工")
    with ctx.acting_at(at(13, "08:00")):
        moved = [r for r in ctx.actions.sweep() if r["case"] == c]
    with ctx.acting_at(at(16, "11:00")):
        ctx.actions.resolve(b, "道路已列入硬化计划")
    with ctx.acting_at(at(18, "15:00")):
        ctx.actions.resolve(c, "村两委与工作队组织修复水渠")
    with ctx.acting_at(at(25, "19:30")):
        service.consult(ctx, VILLAGE, "ss-zjj-01", 5, 2, 8, "通报三送工作，听取意见")
    with ctx.acting_at(ctx.calendar.local(dt.datetime(year, month, last.day, 17, 0))):
        with ctx.transaction():
            network.record_presence(ctx, "ss-zjj-01", period, 22)
            network.record_presence(ctx, "ss-zjj-02", period, 18)
            service.rate_cadre(ctx, "ss-zjj-01", year, 40, 6, 4)
    up = f"{c} 上报{TIER_ZH.get(moved[0]['to'], moved[0]['to'])}" if moved else f"{c} 未上报"
    return (f"{NAME} 禾坑村：问题 3 件（{a} 由联系干部解决，{b} 经96333转乡镇，{up}），"
            f"群众信息库 36 户，民情日记 2 篇（已签字 1），民意恳谈会 1 次")
