"""wuzifa's month in ``county demo`` (``county_demo``): a small land-lease dispute at 柳林沟村
(富兴镇), worked the way the casebook tells Jiahe's (L49–61), on fixed days of the demo month.

* day 2: the dispute is taken in; the work group is drawn from city, county and township (L49);
  six households are listed — the 三社 group leader (key, rank 1) and three households who follow
  him, one ordinary household, one holdout (钉子户) whose classmates are recorded (L57);
* days 3–7: 笑、问、听、析、讲 with every household, one character a day at 10:00 (L53);
* day 5: a small matter collected and solved on the spot; day 6: a large-sum house-repair matter,
  fed back to 县住建局 on day 7 (L61);
* day 8: the ordinary household signs; 粘 (day 8) and 盯 (day 9) on the group leader, who signs on
  day 10, his three followers the same afternoon (L57);
* the holdout: 粘 on day 9, 靠 through the township leader (a classmate) on days 11, 13, 15 and
  another classmate on day 17; it signs the last agreement on day 18 (L57); care visits on day 12;
* day 20: the lease money paid to all six; day 21: the dispute resolved (签定率 100%, L61).
"""

from __future__ import annotations

import datetime as dt

from framework import Requester, parse_month

from . import service
from .rules import NAME

PEOPLE = [
    {"id": "wzf-01", "name": "白某", "unit": "demo.fx", "roles": ["work_group_leader", "work_group_member"]},
    {"id": "wzf-02", "name": "马某", "unit": "demo", "roles": ["work_group_member"]},
    {"id": "wzf-03", "name": "高某", "unit": "demo", "roles": ["work_group_member"]},
    {"id": "wzf-04", "name": "林某", "unit": "demo.fx", "roles": []},
    {"id": "wzf-05", "name": "罗某", "unit": "demo.fx.llg", "roles": []},
]
TEAM = [("wzf-01", "township"), ("wzf-02", "city"), ("wzf-03", "county")]
# id, name, unit, group, difficulty, rank, key, follows, tapped, untapped
HOUSEHOLDS = [
    ("h01", "李某甲户", "demo.fx.llg.s3", "三社", "key", 1, True, None, 12, 3),
    ("h02", "王某乙户", "demo.fx.llg.s3", "三社", "ordinary", None, False, "h01", 8, 2),
    ("h03", "陈某丙户", "demo.fx.llg.s3", "三社", "ordinary", None, False, "h01", 5, 5),
    ("h04", "刘某丁户", "demo.fx.llg.s3", "三社", "ordinary", None, False, "h01", 10, 0),
    ("h05", "赵某戊户", "demo.fx.llg", None, "ordinary", None, False, None, 6, 4),
    ("h06", "周某己户", "demo.fx.llg", None, "holdout", 2, False, None, 10, 4),
]


def seed(ctx, period, titles):
    """Seed the month ``period`` (``YYYY-MM``) as the module says; ``titles`` are not used (the
    dispute is the casebook's, not a message's). Deterministic. Returns the summary line."""
    y, m = parse_month(period, "demo period")

    def at(day, hour, minute=0):
        return dt.datetime(y, m, day, hour, minute, tzinfo=ctx.calendar.tz)

    missing = [p for p in PEOPLE if p["id"] not in ctx.people]
    if missing:
        ctx.actions.import_people(missing, "wuzifa demo")
    with ctx.acting_at(at(2, 9)):
        case = ctx.actions.add_case(NAME, "demo.fx.llg", "土地租赁纠纷：群众要求“还我土地”", channel="work_group",
                                    category="collective_dispute",
                                    requester=Requester(name="李某甲", address="富兴镇柳林沟村三社"))
    cid = case.id
    with ctx.acting_at(at(2, 10)):
        for person, level in TEAM:
            service.add_member(ctx, cid, person, level)
    with ctx.acting_at(at(2, 11)):
        for hid, name, unit, grp, diff, rank, key, follows, tapped, untapped in HOUSEHOLDS:
            service.add_household(ctx, cid, hid, name, unit=unit, group=grp, difficulty=diff, rank=rank, key=key,
                                  follows=follows, tapped=tapped, untapped=untapped)
        service.add_relation(ctx, cid, "h06", "wzf-04", "classmate", "乡领导，户主的同学")
        service.add_relation(ctx, cid, "h06", "wzf-05", "classmate", "户主的另一位同学")
    for day, technique in zip(range(3, 8), ("smile", "ask", "listen", "analyse", "explain")):
        with ctx.acting_at(at(day, 10)):
            for hid, *_ in HOUSEHOLDS:
                service.record_step(ctx, cid, hid, technique, by="wzf-01")
    with ctx.acting_at(at(5, 14)):
        spot = ctx.actions.add_case(NAME, "demo.fx.llg", "自来水管破裂", channel="mediation",
                                    fields={"on_the_spot": True, "dispute": cid})
    with ctx.acting_at(at(6, 14)):
        big = ctx.actions.add_case(NAME, "demo.fx.llg", "危房改造缺资金", channel="household_visit",
                                   fields={"amount": 80000, "dispute": cid})
    with ctx.acting_at(at(7, 9)):
        service.feed_back(ctx, big.id, "涉及大额资金，反馈县住建局争取危房改造项目", department="demo.zjj")
    with ctx.acting_at(at(8, 10)):
        service.sign(ctx, cid, "h05")
    with ctx.acting_at(at(8, 15)):
        service.record_step(ctx, cid, "h01", "stick", by="wzf-02", note="跟到地里一起劳动")
    with ctx.acting_at(at(9, 15)):
        service.record_step(ctx, cid, "h01", "fix_on", by="wzf-01", note="组长威望较高，重点说服")
        service.record_step(ctx, cid, "h06", "stick", by="wzf-03")
    with ctx.acting_at(at(10, 10)):
        service.sign(ctx, cid, "h01", note="组长带头签订协议")
    for n, hid in enumerate(("h02", "h03", "h04")):
        with ctx.acting_at(at(10, 14 + n)):
            service.sign(ctx, cid, hid)
    for day, via in ((11, "wzf-04"), (13, "wzf-04"), (15, "wzf-04"), (17, "wzf-05")):
        if day == 13:  # the care on the 12th, between two visits: events stay in time order (issue 14)
            with ctx.acting_at(at(12, 9)):
                service.add_care(ctx, cid, "free_clinic", "h06", "义诊")
                service.add_care(ctx, cid, "warmth", None, "送大米、猪肉、食用油")
        with ctx.acting_at(at(day, 19)):
            service.record_step(ctx, cid, "h06", "lean_on", via=via)
    with ctx.acting_at(at(18, 10)):
        service.sign(ctx, cid, "h06", note="最后一份协议")
    with ctx.acting_at(at(20, 10)):
        for hid, *_ in HOUSEHOLDS:
            service.pay(ctx, cid, hid)
    with ctx.acting_at(at(21, 16)):
        ctx.actions.resolve(cid, "签定协议6份，签定率100%，土地租赁资金兑付率100%")
    p = service.progress(ctx, cid)
    return (f"{NAME} 柳林沟村 {period}：土地租赁纠纷 1 件（{cid}），市县乡工作组 3 人，6 户经“笑、问、听、析、讲”，"
            f"对组长“粘、盯”（3 户随其签字），经 2 名同学“靠”；签字 {p['signed']}/{p['required']}，兑付 {p['paid']} 户；"
            f"收集问题 2 件（{spot.id} 当场解决，{big.id} 反馈至县住建局）")
