"""``county demo``: a small, fixed month of 三全十服务 at 北山街道东山弄社区 — two Xihu names of
the casebook (北山街道, L363; 东山弄社区, L361) — which the demo county lacks, so the demo adds
them (``ctx.actions.import_units`` / ``import_people``): the subdistrict ``demo.bs``, the
community ``demo.bs.dsn`` with two grids, four community workers, a subdistrict hotline worker and
a district hotline worker (all fictional, named by surname only).

In the month (days and hours fixed; only the month follows the demo):

* three star households: 五星级 ``BS-H1`` (visited daily except on the 15th), 四星级 ``BS-H2``
  (weekly windows from the 1st, visited on the 3rd, 10th, 17th and 24th), 三星级 ``BS-H3``
  (visited on the 20th);
* grid teams, the 社保/民政 A/B posts, a duty roster for every day (the two workers in turn),
  and the 社保 A holder on leave from the 9th 00:00 to the 14th 00:00;
* six matters: 社保 at the window on the 2nd at 10:00 (A post); 社保 on the 10th at 20:30 (A on
  leave: B post); a call from BS-H1's call device at 02:10 on the 16th (on-call: the duty of the
  15th); a hotline matter at 22:15 on the 6th (out of hours: timed from the next opening, grid
  team, first answered at 09:30 the next morning); an appointment for BS-H2 on the 20th at 18:30; a matter on the 23rd at 09:00 left open;
* every matter answered (``responded``) 30 minutes after arrival, but the one out of hours;
* the nightly sweep at 00:00 after the month: the open matter past its limit goes up to 北山街道.
"""

from __future__ import annotations

import datetime as dt

from framework import CountyError, Requester, period_dates
from plugins.contrib.sanquan import service
from plugins.contrib.sanquan.rules import METHOD

SUBDISTRICT, COMMUNITY = "demo.bs", "demo.bs.dsn"
GRIDS = ("demo.bs.dsn.g1", "demo.bs.dsn.g2")
UNITS = [
    {"code": SUBDISTRICT, "name": "北山街道", "level": "township", "parent": "demo"},
    {"code": COMMUNITY, "name": "东山弄社区", "level": "community", "parent": SUBDISTRICT},
    {"code": GRIDS[0], "name": "东山弄社区第一网格", "level": "grid", "parent": COMMUNITY},
    {"code": GRIDS[1], "name": "东山弄社区第二网格", "level": "grid", "parent": COMMUNITY},
]
PEOPLE = [
    {"id": "bs-dsn-01", "name": "林某", "unit": COMMUNITY, "roles": "two_committee_member;social_worker"},
    {"id": "bs-dsn-02", "name": "方某", "unit": COMMUNITY, "roles": "two_committee_member;social_worker"},
    {"id": "bs-dsn-03", "name": "葛某", "unit": COMMUNITY, "roles": "party_volunteer"},
    {"id": "bs-dsn-04", "name": "俞某", "unit": COMMUNITY, "roles": "social_worker;community_cadre"},
    {"id": "bs-01", "name": "袁某", "unit": SUBDISTRICT, "roles": "subdistrict_staff;township_cadre"},
    {"id": "xh-01", "name": "蔡某", "unit": "demo", "roles": "district_staff"},
]
#: day, time, unit, title, category, channel, fields
MATTERS = [
    (2, "10:00", COMMUNITY, "咨询城乡居民养老保险缴费", "window", "window", {"line": "社保"}),
    (10, "20:30", COMMUNITY, "办理医保关系转移", "window", "window", {"line": "社保"}),
    (16, "02:10", GRIDS[0], "独居老人夜间呼叫身体不适", "emergency", "call_device", {"household": "BS-H1"}),
    (6, "22:15", GRIDS[0], "楼道照明损坏", "routine", "hotline", {}),
    (20, "18:30", GRIDS[1], "预约上门理发", "appointment", "contact_card", {"household": "BS-H2"}),
    (23, "09:00", COMMUNITY, "小区停车位划线", "routine", "hotline", {"line": "民政"}),
]
#: matter index -> hours until it is resolved (None: left open)
RESOLVE_AFTER = {0: 3, 1: 40, 2: 2, 3: 30, 4: 48, 5: None}


def county_demo(ctx, period: str, titles: list[str]) -> str:
    """Seed the month ``period`` (``YYYY-MM``) at 东山弄社区 (see the module); ``titles`` are not
    used (the matters are fixed). Returns the summary line. CountyError for a period that is not
    a month or a deployment without the county ``demo``."""
    if len(str(period).strip()) != 7:
        raise CountyError(f"sanquan 演示：期间 {period!r} 不是月份（应为 YYYY-MM）")
    if "demo" not in ctx.units:
        raise CountyError("sanquan 演示：部署中没有单位 demo（演示县）")
    first, end = period_dates(period)
    last_day = (end - dt.timedelta(days=1)).day

    def at(day: int, hm: str = "09:00") -> dt.datetime:
        h, mi = (int(x) for x in hm.split(":"))
        return ctx.calendar.local(dt.datetime(first.year, first.month, day, h, mi))

    with ctx.acting_at(at(1, "08:00")):
        ctx.actions.import_units([u for u in UNITS if u["code"] not in ctx.units], "sanquan demo")
        ctx.actions.import_people([p for p in PEOPLE if p["id"] not in ctx.people], "sanquan demo")
        with ctx.transaction():
            for hid, name, star, grid, contact in (("BS-H1", "户主甲", 5, GRIDS[0], "bs-dsn-03"),
                                                   ("BS-H2", "户主乙", 4, GRIDS[1], "bs-dsn-04"),
                                                   ("BS-H3", "户主丙", 3, GRIDS[0], None)):
                if service.household(ctx, hid) is None:
                    service.add_household(ctx, hid, COMMUNITY, name, star, grid=grid, contact=contact, since=first,
                                          kinds="高龄;独居" if star == 5 else None)
            service.add_team_member(ctx, GRIDS[0], "bs-dsn-01", "community_cadre", leader=True)
            service.add_team_member(ctx, GRIDS[0], "bs-dsn-03", "party_volunteer")
            service.add_team_member(ctx, GRIDS[1], "bs-dsn-02", "community_cadre", leader=True)
            service.add_team_member(ctx, GRIDS[1], "bs-01", "township_cadre")
            service.set_post(ctx, COMMUNITY, "社保", "bs-dsn-01", "bs-dsn-02")
            service.set_post(ctx, COMMUNITY, "民政", "bs-dsn-02", "bs-dsn-01")
            for day in range(1, last_day + 1):
                service.set_roster(ctx, COMMUNITY, first.replace(day=day), ("bs-dsn-01", "bs-dsn-02")[day % 2])
            service.add_leave(ctx, "bs-dsn-01", at(9, "00:00"), at(14, "00:00"), "年休假")
    visits = [("BS-H1", d, "bs-dsn-03") for d in range(1, last_day + 1) if d != 15]
    visits += [("BS-H2", d, "bs-dsn-04") for d in (3, 10, 17, 24)] + [("BS-H3", 20, "bs-dsn-01")]
    for hid, day, person in visits:
        with ctx.acting_at(at(day, "10:00")):
            service.record_visit(ctx, hid, person, "上门服务")
    ids = []
    for i, (day, hm, unit, title, category, channel, fields) in sorted(enumerate(MATTERS), key=lambda x: x[1][:2]):
        requester = Requester("居民" + "甲乙丙丁戊己"[i])
        with ctx.acting_at(at(day, hm)):
            c = ctx.actions.add_case(METHOD, unit, title, category=category, channel=channel, requester=requester,
                                     fields=fields)
        ids.append(c.id)
        respond = at(day + 1, "09:30") if i == 3 else at(day, hm) + dt.timedelta(minutes=30)
        with ctx.acting_at(respond):
            service.respond(ctx, c.id, "已联系服务对象")
        hours = RESOLVE_AFTER[i]
        if hours is not None:
            with ctx.acting_at(at(day, hm) + dt.timedelta(hours=hours)):
                ctx.actions.resolve(c.id, "已办结")
    with ctx.acting_at(ctx.calendar.local(dt.datetime.combine(end, dt.time()))):
        swept = ctx.actions.sweep()
    cases = ctx.cases.find(method=METHOD, ids=ids)
    out_of_hours = sum(not c.extra.get("in_hours") for c in cases)
    backup = sum(c.extra.get("assigned_as") == "B" for c in cases)
    up = sum(1 for a in swept if a.get("case") in ids and a.get("action") == "escalate")
    return (f"sanquan 东山弄社区：服务事项 {len(cases)} 件（错时以外 {out_of_hours} 件，B岗承办 {backup} 件，"
            f"上报北山街道 {up} 件），星级户上门服务 {len(visits)} 次")
