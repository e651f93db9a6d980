"""``county demo``: a small, fixed month of 走千听万 at 城关街道 和平社区 and 太平镇 新建村.

Made up, people fictional (named by surname only). It adds the people zouqian needs when the
demo county lacks them (``ctx.actions.import_people``): two district agency cadres, a member of
the district's four leadership bodies, the platform office, a cadre of each 街镇 and of each
居村. Then, each step at its own instant (``ctx.acting_at``), in the demo month:

* day 1: five pairings (L329): 顾某 ↔ 和平社区, 沈某 ↔ 新建村, 县教育局 ↔ 城关街道, 陆某 ↔ 城关街道,
  沈某 ↔ 区人大代表; visiting round 1 from day 2 to day 10 (L320);
* day 3: 顾某 visits 和平社区 (three problems on one topic, 农民工子女入园: A, B, C — the third
  is marked a common problem, L337); day 4: 沈某 visits 新建村 (problem D);
* day 5: a batch led by A with the policy 《专收农民工同住子女幼儿园的设园标准》 (L337), B and C
  linked; day 12: the batch solved (A, B, C resolved at once);
* day 13: 群众评议 (L331): A 很满意 and C 满意 leave the platform, B 一般 goes back to handling;
  day 18 B resolved again, day 19 rated 满意;
* day 25: 顾某's daily contact with 和平社区 (L337); D is left open: the nightly sweep at 00:00
  the day after the month reports it up to 太平镇 when its 5 working days have passed.
"""

from __future__ import annotations

import datetime as dt

from framework import Requester, period_dates

from . import service
from .rules import NAME

PEOPLE = [
    {"id": "zq-gu", "name": "顾某", "unit": "demo", "roles": "district_cadre;party_member"},
    {"id": "zq-shen", "name": "沈某", "unit": "demo", "roles": "district_cadre"},
    {"id": "zq-lu", "name": "陆某", "unit": "demo", "roles": "leader"},
    {"id": "zq-office", "name": "朱某", "unit": "demo", "roles": "platform_office"},
    {"id": "zq-cg", "name": "钱某", "unit": "demo.cg", "roles": "town_cadre"},
    {"id": "zq-ts", "name": "孙某", "unit": "demo.ts", "roles": "town_cadre"},
    {"id": "zq-hp", "name": "蒋某", "unit": "demo.cg.hp", "roles": "juncun_cadre"},
    {"id": "zq-xj", "name": "韩某", "unit": "demo.ts.xj", "roles": "juncun_cadre"},
]
PAIRS = [("cadre_juncun", "zq-gu", "demo.cg.hp"), ("cadre_juncun", "zq-shen", "demo.ts.xj"),
         ("bureau_town", "demo.jyj", "demo.cg"), ("leader_town", "zq-lu", "demo.cg"),
         ("cadre_deputy", "zq-shen", "区人大代表（新建村选区）")]
TOPIC = "农民工子女入园"
POLICY = "《专收农民工同住子女幼儿园的设园标准》"
FALLBACK = ["农民工子女入园难", "小区附近缺少幼儿园", "外来务工人员子女看护点不足", "村道破损需修缮"]
REQUESTERS = [("王建国", "13800000001"), ("李秀英", "13800000002"), ("张伟", "13800000003"),
              ("刘芳", "13800000004")]


def county_demo(ctx, period: str, titles: list[str]) -> str:
    """Seed the month (see the module's docstring) for ``period`` (``YYYY-MM``); ``titles``
    (real message titles, may be empty) name the problems, else FALLBACK. Returns one line."""
    first, after = period_dates(period)
    tz = ctx.calendar.tz

    def at(day, hour, minute=0):
        return dt.datetime.combine(first.replace(day=day), dt.time(hour, minute), tzinfo=tz)

    names = (list(titles) + FALLBACK)[:4] if titles else FALLBACK
    with ctx.acting_at(at(1, 8)):
        ctx.actions.import_people([p for p in PEOPLE if p["id"] not in ctx.people], "zouqian demo")
    with ctx.acting_at(at(1, 9)):
        for kind, a, b in PAIRS:
            if not any(p["a"] == a and p["b"] == b for p in service.pairings(ctx, kind=kind)):
                service.add_pairing(ctx, kind, a, b)
        round_no = (ctx.db.query("select coalesce(max(no), 0) + 1 as n from zouqian_rounds")[0]["n"])
        service.add_round(ctx, round_no, first.replace(day=2), first.replace(day=10))
    with ctx.acting_at(at(3, 9)):
        v1 = service.record_visit(ctx, "zq-gu", "demo.cg.hp", "visit", round_no, 3, "与居民座谈，入园难反映集中")
    ids = []
    for i in range(3):
        with ctx.acting_at(at(3, 10 + i)):
            name, phone = REQUESTERS[i]
            ids.append(ctx.actions.add_case(NAME, "demo.cg.hp", names[i], channel="visit", category="childcare",
                                            requester=Requester(name=name, phone=phone),
                                            fields={"topic": TOPIC, "visit": v1["id"]}).id)
    with ctx.acting_at(at(4, 9)):
        v2 = service.record_visit(ctx, "zq-shen", "demo.ts.xj", "visit", round_no, 1, "走访村民，反映村道破损")
    with ctx.acting_at(at(4, 10)):
        name, phone = REQUESTERS[3]
        d = ctx.actions.add_case(NAME, "demo.ts.xj", names[3], channel="visit", category="livelihood",
                                 requester=Requester(name=name, phone=phone), fields={"visit": v2["id"]}).id
    a, b, c = ids
    with ctx.acting_at(at(5, 9)):
        batch = service.open_batch(ctx, a, policy=POLICY)
        service.add_to_batch(ctx, batch["id"], [b, c])
    with ctx.acting_at(at(12, 15)):
        service.solve_batch(ctx, batch["id"], "出台设园标准，新增幼儿园学位")
    with ctx.acting_at(at(13, 10)):
        service.rate_case(ctx, a, "很满意")
        service.rate_case(ctx, b, "一般", note="学位离家较远")
        service.rate_case(ctx, c, "满意", rater="party_member")
    with ctx.acting_at(at(18, 16)):
        ctx.actions.resolve(b, "协调就近幼儿园插班")
    with ctx.acting_at(at(19, 10)):
        service.rate_case(ctx, b, "满意")
    with ctx.acting_at(at(25, 15)):
        service.record_visit(ctx, "zq-gu", "demo.cg.hp", "contact", diary="电话回访入园情况")
    with ctx.acting_at(dt.datetime.combine(after, dt.time(), tzinfo=tz)):
        moved = [s for s in ctx.actions.sweep() if s["case"] == d]
    return (f"{NAME} 和平社区、新建村 {period}：结对 5 对，第 {round_no} 轮走访（2 次），问题 4 件，"
            f"12 日批量解决 3 件（{POLICY}），1 件评议“一般”退回后“满意”退出，"
            f"问题D{'月末督办上报太平镇' if moved else '仍在新建村办理'}")
