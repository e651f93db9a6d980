"""``county demo``: a small, fixed month of 点题服务 at 观音村 (demo.ts.gy) of the demo county.

A register of three groups led by party members, the window rota, the supervision centre (two
members of the village supervisory board and one notable, L83), eight requests routed and
served, villagers' ratings and one supervision finding — written through
:mod:`plugins.dianti.service` and ``ctx.actions``, each step at its own instant
(``ctx.acting_at``). Days are fixed; only the month follows the demo. The units and people of
the demo county (观音村, its cadre ``ts-gy-01``) are the kernel's demo deployment; the members are
made up here (fictional, surname only). Requester contacts are made up too, to show that no board
prints them.
"""

from __future__ import annotations

import datetime as dt

from framework import Requester
from plugins.dianti import service
from plugins.dianti.rules import parse_weekday

#: The village of the demo county where dianti is seeded, and its cadre on the window.
VILLAGE = "demo.ts.gy"
CADRE = "ts-gy-01"
#: Made-up phone put on the first request, to show that no board prints it (masking).
DEMO_PHONE = "13907450123"

GROUPS = [  # code, skills
    ("technical", "planting,livestock,fruit_trees,种植,养殖"),
    ("legal", "legal_aid,contract,法律,合同"),
    ("mediation", "mediation,纠纷,调解"),
]
REGISTER = [  # id, name, group, skills, party member, leader
    ("gy-n1", "罗某", "technical", "planting,livestock", "yes", True),
    ("gy-n2", "梁某", "technical", "planting,fruit_trees", "no", False),
    ("gy-n3", "宋某", "technical", "livestock", "no", False),
    ("gy-n4", "韩某", "legal", "legal_aid,contract", "yes", True),
    ("gy-n5", "唐某", "legal", "legal_aid", "no", False),
    ("gy-n6", "曹某", "mediation", "mediation", "yes", True),
    ("gy-n7", "邓某", "mediation", "mediation,neighbourhood", "no", False),
]
#: The supervision centre (L83: 以村监事会成员为主体，吸收部分知名人士参加): id, name, role, centre role.
SUPERVISION = [
    ("gy-j1", "孔某", "supervisor", "leader"),   # 村监事会成员
    ("gy-j2", "孟某", "supervisor", "member"),   # 村监事会成员
    ("gy-z1", "严某", "notable", "member"),      # 知名人士 (a retired teacher)
]
SUPERVISOR = "gy-j1"
ROTA = ("mon", "wed", "fri")
REQUESTS = [  # day, title, skill, resolved day (None: open), villagers' scores
    (2, "柑橘树冬季修剪指导", "planting", 4, (5, 5, 4)),
    (3, "生猪冬季防疫", "livestock", 5, (5, 4)),
    (5, "土地流转合同审查", "legal_aid", 9, (4, 5, 5)),
    (9, "蔬菜大棚保温技术", "planting", 12, (4,)),
    (10, "邻里宅基地界址纠纷调解", "mediation", 16, (3, 4)),
    (12, "山羊养殖技术咨询", "livestock", 13, (5, 5, 5)),
    (16, "外出务工工资拖欠法律咨询", "legal_aid", 20, (5,)),
    (23, "果树病虫害防治", "planting", None, ()),
]
REQUIREMENTS = {"planting": "上门现场指导", "livestock": "入户技术服务", "legal_aid": "一周内书面意见",
                "mediation": "双方到场调解"}
REQUESTERS = "甲乙丙丁戊己庚辛"


def seed(ctx, period: str) -> dict:
    """Seed the month ``period`` (``YYYY-MM``) at :data:`VILLAGE`. Returns counts
    ``{"requests", "resolved", "ratings", "members", "groups", "ids"}`` (ids: the case ids in
    request order)."""
    y, m = (int(x) for x in period.split("-"))
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    tz = ctx.calendar.tz

    def at(day: int, hm: str = "09:00") -> dt.datetime:
        h, mi = (int(x) for x in hm.split(":"))
        return dt.datetime(y, m, day, h, mi, tzinfo=tz)

    v = VILLAGE
    with ctx.acting_at(at(1, "08:00")):
        for code, skills in GROUPS:
            with ctx.transaction():
                service.save_group(ctx, v, code, None, skills, None, where=f"--code {code}")
        for pid, name, group, skills, party, leader in REGISTER:
            service.add_member(ctx, {"id": pid, "name": name, "unit": v, "group": group, "skills": skills,
                                     "party_member": party, "leader": "yes" if leader else None})
        ctx.actions.import_people([{"id": pid, "name": name, "unit": v, "roles": [role]}
                                   for pid, name, role, _ in SUPERVISION], "dianti demo")
        with ctx.transaction():
            for pid, _, _, centre_role in SUPERVISION:
                service.save_centre_member(ctx, v, "supervision", pid, centre_role)
        for wd in ROTA:
            with ctx.transaction():
                service.set_rota(ctx, v, parse_weekday(wd), CADRE)
    ids = []
    for i, (day, title, skill, done, scores) in enumerate(REQUESTS):
        with ctx.acting_at(at(day, "10:00")):
            c = ctx.actions.add_case(
                "dianti", v, title, channel="window",
                requester=Requester("村民" + REQUESTERS[i], DEMO_PHONE if i == 0 else None),
                fields={"skill": skill, "requirement": REQUIREMENTS[skill],
                        "service_date": f"{y:04d}-{m:02d}-{min(day + 5, last):02d}"})
        ids.append(c.id)
        with ctx.acting_at(at(day, "15:00")):
            service.record_measure(ctx, c.id, "服务小组上门服务")
        if done:
            with ctx.acting_at(at(done, "17:00")):
                ctx.actions.resolve(c.id, f"{title}：已完成")
            with ctx.acting_at(at(done, "18:00")):
                for k, score in enumerate(scores):
                    service.record_rating(ctx, c.id, score, f"村民{k + 1}")
    with ctx.acting_at(at(last, "10:00")):
        service.record_supervision(ctx, ids[-1], "服务监督中心督促按期服务", SUPERVISOR)
    return {"requests": len(REQUESTS), "resolved": sum(1 for r in REQUESTS if r[3]),
            "ratings": sum(len(r[4]) for r in REQUESTS), "members": len(REGISTER), "groups": len(GROUPS), "ids": ids}


def county_demo(ctx, period: str, titles) -> str | None:
    """The ``county_demo`` hook's work: seed ``period`` (``YYYY-MM``) by :func:`seed` when the
    deployment has 观音村 and its cadre; ``titles`` is not used (the requests are fixed). Returns
    the summary line, or None when the demo county's village is missing."""
    if VILLAGE not in ctx.units or CADRE not in ctx.people:
        return None
    n = seed(ctx, period)
    name = ctx.units[VILLAGE].name
    return (f"dianti {name}：点题 {n['requests']} 件交 {n['groups']} 个服务小组（成员 {n['members']} 名），"
            f"已服务 {n['resolved']} 件，群众评价 {n['ratings']} 次")
