"""zerentian's month in ``county demo`` (``county_demo``): at 和平社区 (城关街道) and 新建村 (太平镇)
of the demo county, two responsibility fields with their branches and teams, a PDA report with a
photo and a video, a request registered at the village terminal that climbs the platform to the
district centre and is transferred to 县交通运输局, a dispute settled in a field, a field's
activity, a pledge fulfilled — and, when the month is June, the review with its ratings.
"""

from __future__ import annotations

import datetime as dt

from framework import Requester, parse_month

from . import service
from .rules import NAME

PEOPLE = [
    ("zrt-hp", "韩某", "demo.cg.hp", ["workstation_staff"]),
    ("zrt-xj", "罗某", "demo.ts.xj", ["workstation_staff"]),
    ("zrt-cg", "魏某", "demo.cg", ["subcentre_staff"]),
    ("zrt-ts", "严某", "demo.ts", ["subcentre_staff"]),
    ("zrt-zx", "金某", "demo", ["centre_staff"]),
    ("zrt-jt", "石某", "demo.jtj", ["department_staff"]),
    ("zrt-pda", "葛某", "demo.cg.hp", ["opinion_info_officer"]),
    ("zrt-f1", "邹某", "demo.cg.hp", ["field_secretary"]),
    ("zrt-f2", "谢某", "demo.ts.xj", ["field_secretary"]),
]
PHOTO_SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def seed(ctx, period: str, titles: list[str]) -> str:
    """Seed ``period`` (``YYYY-MM``); the same period gives the same data. Returns the line."""
    year, month = parse_month(period, "demo period")
    tz = ctx.calendar.tz

    def at(day, hour=9, minute=0):
        return ctx.acting_at(dt.datetime(year, month, day, hour, minute, tzinfo=tz))

    with at(1, 8):
        ctx.actions.import_people([{"id": i, "name": n, "unit": u, "roles": r} for i, n, u, r in PEOPLE
                                   if i not in ctx.people], f"{NAME} demo")
        service.save_field(ctx, "hp-1", "和平社区一号责任田", "demo.cg.hp", secretary="zrt-f1")
        service.save_field(ctx, "xj-1", "新建村东片责任田", "demo.ts.xj", secretary="zrt-f2")
        for field, name, kind in [("hp-1", "老党员甲", "veteran_party_member"), ("hp-1", "在职党员乙", "in_service_party_member"),
                                  ("hp-1", "驻区单位党员丙", "unit_party_member"), ("hp-1", "志愿者丁", "volunteer"),
                                  ("xj-1", "老党员戊", "veteran_party_member"), ("xj-1", "热心人己", "helper")]:
            service.add_member(ctx, field, name, kind)
        pledge = service.pledge(ctx, "hp-1", "本月为辖区独居老人每户上门服务一次")
    with at(3, 9):
        pda = service.pda_report(ctx, "demo.cg.hp.g1", "小区井盖缺失", "zrt-pda",
                                 [("https://media.example.org/hp/jg-1.jpg", PHOTO_SHA),
                                  ("https://media.example.org/hp/jg-1.mp4", None)], field="hp-1",
                                 requester=Requester(name="陶金花", phone="13912345678"),
                                 captions=["现场照片", "现场视频"])
    title = next((t for t in titles if t), None) or "村道路灯不亮"
    with at(3, 10):
        road = ctx.actions.add_case(NAME, "demo.ts.xj", title, channel="terminal", category="infrastructure",
                                    fields={"field": "xj-1"})
    with at(4, 16):
        ctx.actions.resolve(pda.id, "已补装井盖")
    with at(5, 19):
        dispute = ctx.actions.add_case(NAME, "demo.cg.hp", "邻里纠纷：楼道堆物", channel="talk_day",
                                       fields={"field": "hp-1"})
    with at(6, 15):
        ctx.actions.resolve(dispute.id, "责任田党支部调解，双方签字")
    with at(7, 9):
        ctx.actions.escalate(road.id, reason="村工作站无法解决，层层上报")
    with at(8, 9):
        ctx.actions.escalate(road.id, reason="镇分中心上报区民事办理中心")
    with at(9, 10):
        service.transfer(ctx, road.id, "demo.jtj")
    with at(12, 18):
        service.record_activity(ctx, "hp-1", "culture_sport", "社区广场文艺演出", 60)
    with at(15, 16):
        ctx.actions.resolve(road.id, "县交通运输局已修复路灯")
    with at(20, 10):
        service.fulfil(ctx, pledge, "已上门服务12户")
    review = ""
    if month == 6:
        with at(28, 14):
            service.hold_review(ctx, "全区党组织服务民生述职测评大会")
            service.rate_org(ctx, "hp-1", 40, 8, 2, "述职：本年承诺1项，已践诺")
            service.rate_org(ctx, "xj-1", 30, 10, 10)
        review = "，6月述职测评大会（测评党组织 2 个）"
    return (f"{NAME} 和平社区、新建村：责任田 2 块（服务团 6 人），诉求 3 件（PDA上报 1 件附件 2 件，"
            f"交转县交通运输局 1 件），活动 1 次，践诺 1 项{review}")
