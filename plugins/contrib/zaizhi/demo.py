"""zaizhi's month in ``county demo`` (``county_demo``): 友谊路街道 with two residential areas
(宝林三村, named in L397, and 友谊新村), their members, posts, the quarterly calendar's day,
visits, volunteer service, a forum, three requests and a commendation — fixed, so the same
period gives the same data."""

from __future__ import annotations

import datetime as dt

from framework import parse_month

from . import duties as duty_rules
from . import service
from .rules import METHOD

SUB, BL3, YX = "demo.yyl", "demo.yyl.bl3", "demo.yyl.yx"
UNITS = [
    {"code": SUB, "name": "友谊路街道", "level": "township", "parent": "demo"},
    {"code": BL3, "name": "宝林三村", "level": "community", "parent": SUB},
    {"code": YX, "name": "友谊新村", "level": "community", "parent": SUB},
    {"code": f"{BL3}.z1", "name": "宝林三村第一责任区", "level": "responsibility_zone", "parent": BL3},
    {"code": f"{BL3}.z2", "name": "宝林三村第二责任区", "level": "responsibility_zone", "parent": BL3},
]
PEOPLE = [
    {"id": "yyl-01", "name": "葛某", "unit": SUB, "roles": ["subdistrict_leader"]},
    {"id": "yyl-bl3-01", "name": "姜某", "unit": BL3, "roles": ["area_party_secretary"]},
    {"id": "yyl-yx-01", "name": "邹某", "unit": YX, "roles": ["area_party_secretary"]},
]
MEMBERS = [  # id, name, home, skills, group, branch
    ("yyl-m1", "施某", BL3, "legal", "法律服务组", SUB),
    ("yyl-m2", "韦某", YX, "health_check", "医卫组", SUB),
    ("yyl-m3", "贺某", BL3, "appliance", "技能服务组", None),
    ("yyl-m4", "严某", YX, "haircut_knife", "技能服务组", None),
]
TITLES = ["楼道堆物影响通行", "小区停车难"]


def _at(ctx, y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=ctx.calendar.tz)


def county_demo(ctx, period: str, titles) -> str:
    """Seed ``period`` (``YYYY-MM``) as the module docstring says; returns the summary line.
    CountyError for a period of another form."""
    y, m = parse_month(period, "zaizhi demo period")
    with ctx.acting_at(_at(ctx, y, m, 1, 9)):
        ctx.actions.import_units(UNITS, "zaizhi demo")
        ctx.actions.import_people(PEOPLE, "zaizhi demo")
        for pid, name, home, skills, grp, branch in MEMBERS:
            service.register_member(ctx, pid, name, home, skills=skills, group=grp, branch=branch,
                                    employer="区内某单位", occupation="职工")
        p1 = service.add_post(ctx, BL3, "appliance", 5, service_time="18:30-20:30")["id"]
        p2 = service.add_post(ctx, YX, "haircut_knife", 20, service_time="18:30-20:30")["id"]
        service.add_post(ctx, BL3, "legal", 25)
        service.claim(ctx, p1, "yyl-m3")
        service.claim(ctx, p2, "yyl-m4")
        service.set_brand(ctx, BL3, "楼中情", "楼组活动：近郊一日游、楼组舞会、端午包粽子（L397）")
    held = 0
    for day, kind in duty_rules.schedule(ctx, y, (m - 1) // 3 + 1):
        if day.month == m:
            with ctx.acting_at(_at(ctx, y, m, day.day, 14)):
                service.record(ctx, kind, SUB, persons=2)
                held += 1
    working = [d for d in range(2, 29) if ctx.calendar.is_working_day(dt.date(y, m, d))]
    for i, d in enumerate(working[:4]):
        with ctx.acting_at(_at(ctx, y, m, d, 10)):
            service.record(ctx, "visit", (BL3, YX)[i % 2], "yyl-m1")
    for d in working[:3]:
        with ctx.acting_at(_at(ctx, y, m, d, 15)):
            service.record(ctx, "visit", YX, "yyl-m2")
    rest = next(d for d in range(2, 29) if not ctx.calendar.is_working_day(dt.date(y, m, d)))
    with ctx.acting_at(_at(ctx, y, m, rest, 10)):
        service.record(ctx, "volunteer", BL3, "yyl-m3", note="楼组义务维修")
    with ctx.acting_at(_at(ctx, y, m, 12, 19)):
        service.record(ctx, "volunteer", YX, "yyl-m4", persons=1, note="为老人理发")
    picked = (list(titles) + TITLES)[:2]
    with ctx.acting_at(_at(ctx, y, m, 3, 10)):
        a = ctx.actions.add_case(METHOD, BL3, "家里洗衣机不转", channel="service_point", category="appliance",
                                 fields={"post": p1})
    with ctx.acting_at(_at(ctx, y, m, 5, 19)):
        service.record(ctx, "post_service", BL3, post_id=p1)
        ctx.actions.resolve(a.id, "服务点现场修好")
    with ctx.acting_at(_at(ctx, y, m, 8, 19)):
        service.record(ctx, "forum", BL3, "yyl-01", persons=12, note="班子成员座谈会")
    with ctx.acting_at(_at(ctx, y, m, 8, 19, 30)):
        b = ctx.actions.add_case(METHOD, BL3, picked[0], channel="forum", category="community_policy")
    with ctx.acting_at(_at(ctx, y, m, 9, 15)):
        service.record(ctx, "zone_visit", f"{BL3}.z1", "yyl-bl3-01", note="走访辖区单位和在职党员家庭")
    with ctx.acting_at(_at(ctx, y, m, 10, 9)):
        ctx.actions.add_case(METHOD, YX, picked[1], channel="member", category="employer_help",
                             fields={"member": "yyl-m2", "to_employer": True})
    with ctx.acting_at(_at(ctx, y, m, 12, 10)):
        ctx.actions.resolve(b.id, "座谈会后明确答复")
    with ctx.acting_at(_at(ctx, y, m, 20, 19)):
        service.record(ctx, "post_service", YX, post_id=p2)
    with ctx.acting_at(_at(ctx, y, m, 28, 10)):
        service.commend(ctx, "yyl-m3", "touching_citizen", "楼组义务维修")
    return (f"{METHOD} 友谊路街道：在职党员 4 名（机关干部 2 名：下居民区 4 次、3 次），服务岗位 3 个（认领 2、服务 2），"
            f"固定活动日开展 {held} 次，座谈会 1 次，诉求 3 件（答复 2），表彰 1 名，一居一特品牌 楼中情")
