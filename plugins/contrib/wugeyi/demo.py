"""``county demo``'s month of 五个一 (the ``county_demo`` hook). Adds, when the demo county
lacks them, a Chengde-style township 双峰寺镇 (``demo.sf``) with two villages, 峰北村
(``demo.sf.fb``) and 南沟村 (``demo.sf.ng``), and the people the method needs (made up, named
by surname only): the township's party secretary, head and centre staff, two village cadres and
a liaison, and a chief representative of 县卫健局 (``demo.wjj``). Then, each step at its fixed
instant of the month (``ctx.acting_at``):

* day 1 09:00: the centre's hotline; both village pages; six household pages (峰北村 one of
  each segment, 南沟村 two); 10:00: cards issued to 峰北村's four households;
* day 6 19:00: a monthly talk at 峰北村 (household FB-03, a poor household) by the centre
  staff 高某; 19:20 a matter answered on the spot; 19:30 a minimum-living-allowance matter
  (priority high) led by the proxy agent 孟某 with 高某 as joint handler, due day 9 23:59:59;
  resolved day 8 16:00, fed back day 9 10:00;
* day 12 10:00: a rural-medical-insurance matter by heart-link card to the liaison 武某,
  routed to the county centre (县卫健局's chief representative 秦某, 武某 joint), resolved day 20;
* day 15 10:00: a certificate at 南沟村 taken by its cadre 段某 himself, due day 18 23:59:59,
  escalated day 19 08:00 to the township centre (高某 leads, 段某 joint), resolved day 22
  11:00, fed back 15:00;
* day 25 09:00: 高某 commended (群众反映较好).

南沟村 has no talk, so its monthly-talk duty on the month's last day is open. The same period
gives the same data every run.
"""

from __future__ import annotations

import datetime as dt

from framework import Requester, parse_month

from . import profiles, service
from .rules import NAME

TOWN, FB, NG, DEPT = "demo.sf", "demo.sf.fb", "demo.sf.ng", "demo.wjj"
UNITS = [{"code": TOWN, "name": "双峰寺镇", "level": "township", "parent": "demo"},
         {"code": FB, "name": "峰北村", "level": "village", "parent": TOWN},
         {"code": NG, "name": "南沟村", "level": "village", "parent": TOWN}]
PEOPLE = [
    {"id": "sf-01", "name": "韩某", "unit": TOWN, "roles": ["township_party_secretary", "township_cadre"],
     "phone": "13900311001"},
    {"id": "sf-02", "name": "曲某", "unit": TOWN, "roles": ["township_head", "township_cadre"], "phone": "13900311002"},
    {"id": "sf-03", "name": "高某", "unit": TOWN, "roles": ["centre_staff", "township_cadre"], "phone": "13900311003"},
    {"id": "sf-fb-01", "name": "孟某", "unit": FB, "roles": ["two_committee_member", "village_cadre", "proxy_agent"],
     "phone": "13900311011"},
    {"id": "sf-fb-02", "name": "武某", "unit": FB, "roles": ["two_committee_member", "opinion_liaison"],
     "phone": "13900311012"},
    {"id": "sf-ng-01", "name": "段某", "unit": NG,
     "roles": ["two_committee_member", "village_cadre", "proxy_agent", "opinion_liaison"], "phone": "13900311021"},
    {"id": "wjj-01", "name": "秦某", "unit": DEPT, "roles": ["chief_representative"], "phone": "13900311031"},
]
HOUSEHOLDS = [
    ("FB-01", FB, "田某", "ordinary", 4, {"employment_income": "务农，年收入约3万元"}),
    ("FB-02", FB, "方某", "wealth_expert", 5, {"employment_income": "食用菌种植大户"}),
    ("FB-03", FB, "石某", "poor", 2, {"hardship_disputes": "老人多病，缺劳动力"}),
    ("FB-04", FB, "葛某", "petitioner", 3, {"hardship_disputes": "宅基地边界纠纷"}),
    ("NG-01", NG, "邵某", "ordinary", 4, {"housing": "砖瓦房"}),
    ("NG-02", NG, "祁某", "poor", 1, {"social_security": "五保"}),
]
MADE_UP = ("惠农补贴政策咨询", "申请低保", "新农合报销咨询", "开具家庭收入证明")


def county_demo(ctx, period: str, titles) -> str:
    """Seed ``period`` (``YYYY-MM``) as the module doc says; ``titles`` are real message titles
    (may be empty), used for the four matters before the made-up ones. Returns the summary line.
    ``CountyError`` for a bad period; ``NotFound`` when the demo county lacks 县卫健局."""
    year, month = parse_month(period, "period")

    def at(day: int, hm: str) -> dt.datetime:
        h, m = (int(x) for x in hm.split(":"))
        return dt.datetime(year, month, day, h, m, tzinfo=ctx.calendar.tz)

    ctx.unit(DEPT)
    picked = [t.strip() for t in titles or () if t and t.strip()][:4]
    picked += list(MADE_UP[len(picked):])
    with ctx.transaction():
        missing = [u for u in UNITS if u["code"] not in ctx.units]
        if missing:
            ctx.actions.import_units(missing, f"{NAME} demo units")
        people = [p for p in PEOPLE if p["id"] not in ctx.people]
        if people:
            ctx.actions.import_people(people, f"{NAME} demo people")
        with ctx.acting_at(at(1, "09:00")):
            profiles.set_centre_hotline(ctx, TOWN, "0314-2345678")
            profiles.set_village(ctx, FB, {"basic": "山区村，8个村民组", "committee": "两委班子7人",
                                           "economy": "食用菌、林果", "party_building": "党员46名",
                                           "stability": "一户宅基地纠纷在调处"})
            profiles.set_village(ctx, NG, {"basic": "浅山村，5个村民组", "economy": "玉米、养殖"})
            for hid, unit, head, seg, members, more in HOUSEHOLDS:
                profiles.set_household(ctx, hid, {"unit": unit, "head": head, "segment": seg, "members": members,
                                                  **more})
        with ctx.acting_at(at(1, "10:00")):
            cards = profiles.issue_cards(ctx, unit=FB)
        with ctx.acting_at(at(6, "19:00")):
            talk = service.record_talk(ctx, FB, "sf-03", "FB-03", "scheduled", "上门了解低保户生活情况")
        with ctx.acting_at(at(6, "19:20")):
            ctx.actions.add_case(NAME, FB, picked[0], channel="monthly_talk", category="policy",
                                 requester=Requester(name="石老汉"),
                                 fields={"receiver": "sf-03", "household": "FB-03", "talk": talk["id"],
                                         "on_the_spot": True})
        with ctx.acting_at(at(6, "19:30")):
            b = ctx.actions.add_case(NAME, FB, picked[1], channel="monthly_talk", category="hardship",
                                     requester=Requester(name="石老汉"),
                                     fields={"receiver": "sf-03", "household": "FB-03", "talk": talk["id"],
                                             "matter": "civil_affairs"})
        with ctx.acting_at(at(8, "16:00")):
            ctx.actions.resolve(b.id, "代办员到镇便民服务中心办妥低保手续")
        with ctx.acting_at(at(9, "10:00")):
            service.feed_back(ctx, b.id, "已上门告知低保办理结果")
        with ctx.acting_at(at(12, "10:00")):
            c = ctx.actions.add_case(NAME, FB, picked[2], channel="heart_card", category="formalities",
                                     requester=Requester(name="方大成"),
                                     fields={"receiver": "sf-fb-02", "household": "FB-02", "matter": "rural_medical",
                                             "department": DEPT})
        with ctx.acting_at(at(15, "10:00")):
            d = ctx.actions.add_case(NAME, NG, picked[3], channel="village_station", category="formalities",
                                     requester=Requester(name="邵长顺"),
                                     fields={"receiver": "sf-ng-01", "household": "NG-01", "matter": "certificate"})
        with ctx.acting_at(at(19, "08:00")):
            ctx.actions.escalate(d.id, "代办逾期，转镇便民服务中心领办")
        with ctx.acting_at(at(20, "15:00")):
            ctx.actions.resolve(c.id, "县卫健局首席代表审核报销")
        with ctx.acting_at(at(22, "11:00")):
            ctx.actions.resolve(d.id, "镇便民服务中心出具证明")
        with ctx.acting_at(at(22, "15:00")):
            service.feed_back(ctx, d.id, "电话告知证明已开具")
        with ctx.acting_at(at(25, "09:00")):
            service.record_conduct(ctx, "sf-03", "praised", b.id, "群众反映较好")
    return (f"{NAME} 双峰寺镇：户情档案 6 户，连心卡 {len(cards)} 张，月月谈 1 次，事项 4 件"
            f"（当场办结 1、代办 1、县政务服务中心承办 1、上报乡镇便民服务中心领办 1），结果反馈 2 件")
