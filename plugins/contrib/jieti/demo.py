"""``county demo``: a small, fixed month of Mojiang's three ways at 太平镇 (``demo.ts``).

Made up, people fictional (named by surname only). It adds the people jieti needs when the demo
county lacks them (``ctx.actions.import_people``): a county-level leader, a county department
head (县住建局), a 太平镇 leadership member who is also its liaison cadre, three station heads,
a people's servant, the leading-group office and the inspection centre. Then, each step at its
own instant (``ctx.acting_at``):

* the pyramid (L298): nine zones by the holding rules, 新建村's zone paired with 县住建局, each
  station head contacting the three group zones; a reception schedule (L302);
* five matters, one per scope (L306): a household's at 新建村一组 (settled on the 5th), a group's
  at 新建村二组 (not settled in 7 days: the month-end sweep moves it up to the village), a
  village's (新建村一组 and 二组: a listed case with 县住建局, reported to the county committee
  on the 12th as beyond the department's powers), a township's (新建村 and 观音村), and a
  county-wide one (the office's feasibility report on the 20th);
* the selection bodies' meetings (L302): 新建村一组 every Sunday, 新建村二组 every Sunday but the
  first (one missed duty), 新建村 on the 15th and the last day, 太平镇 on the 25th, the county on
  the 28th of a quarter's last month;
* the liaison report and the inspection (督查·汇总·通报) on the month's last day; quotas logged;
* the nightly sweep at 00:00 the day after the month.
"""

from __future__ import annotations

import datetime as dt

from framework import Requester, period_dates

from . import cadence, service, zones
from .rules import NAME

PEOPLE = [
    {"id": "jieti-cl", "name": "段某", "unit": "demo", "roles": "county_leader;section_leader;people_servant"},
    {"id": "jieti-zjj", "name": "罗某", "unit": "demo.zjj", "roles": "department_head;section_leader;people_servant"},
    {"id": "jieti-ts1", "name": "白某", "unit": "demo.ts",
     "roles": "township_leader;liaison_cadre;section_leader;people_servant"},
    {"id": "jieti-st1", "name": "普某", "unit": "demo.ts", "roles": "station_head;people_servant;agency_cadre"},
    {"id": "jieti-st2", "name": "龙某", "unit": "demo.ts", "roles": "station_head;people_servant;agency_cadre"},
    {"id": "jieti-st3", "name": "者某", "unit": "demo.fx", "roles": "station_head;people_servant;agency_cadre"},
    {"id": "jieti-sv1", "name": "李某", "unit": "demo.ts", "roles": "people_servant;agency_cadre"},
    {"id": "jieti-ofc", "name": "杨某", "unit": "demo", "roles": "mass_work_office;people_servant"},
    {"id": "jieti-ins", "name": "张某", "unit": "demo", "roles": "inspection_centre;people_servant"},
]
#: zone id, kind, unit, leader, paired department
ZONES = [
    ("ts", "township", "demo.ts", "jieti-cl", None),
    ("zjj", "county_department", "demo.zjj", "jieti-cl", None),
    ("jyj", "county", "demo.jyj", "jieti-zjj", None),
    ("xj", "village", "demo.ts.xj", "jieti-zjj", "demo.zjj"),
    ("fx", "township", "demo.fx", "jieti-ts1", None),
    ("gy", "village", "demo.ts.gy", "jieti-ts1", "demo.jtj"),
    ("xj-g1", "group", "demo.ts.xj.g1", "jieti-st1", None),
    ("xj-g2", "group", "demo.ts.xj.g2", "jieti-st2", None),
    ("llg-s3", "group", "demo.fx.llg.s3", "jieti-st3", None),
]
#: day, unit, fallback title, fields
MATTERS = [
    (3, "demo.ts.xj.g1", "独居老人房屋漏雨", {"scope": "household", "servant": "jieti-sv1"}, "hardship"),
    (3, "demo.ts.xj.g2", "二组饮水管道破损", {"scope": "group", "households": 6}, "hardship"),
    (4, "demo.ts.xj", "一组二组之间机耕路损毁", {"affected": "demo.ts.xj.g1;demo.ts.xj.g2"}, "reform_development"),
    (6, "demo.ts", "新建村观音村水利纠纷", {"affected": "demo.ts.xj;demo.ts.gy"}, "dispute"),
    (8, "demo", "全县农村饮水安全改造", {"scope": "county"}, "reform_development"),
]


def county_demo(ctx, period: str, titles: list[str]) -> str:
    """Seed the month (see the module doc); returns one summary line. Deterministic for a period."""
    first, after = period_dates(period)
    last = after - dt.timedelta(days=1)

    def at(day: int, hm: str = "09:00") -> dt.datetime:
        h, mi = (int(x) for x in hm.split(":"))
        return ctx.calendar.local(dt.datetime(first.year, first.month, min(day, last.day), h, mi))

    missing = [p for p in PEOPLE if p["id"] not in ctx.people]
    if missing:
        ctx.actions.import_people(missing, "jieti demo")
    with ctx.acting_at(at(1, "08:00")):
        for zid, kind, unit, leader, paired in ZONES:
            zones.add_zone(ctx, f"jieti-{zid}", kind, unit, leader, paired=paired)
        for st in ("jieti-st1", "jieti-st2", "jieti-st3"):
            zones.add_contacts(ctx, st, ["jieti-xj-g1", "jieti-xj-g2", "jieti-llg-s3"])
        if not service.receptions(ctx):
            service.add_reception(ctx, "jieti-cl", "县群众来访接待中心", "每周三9:00—12:00", "《示范县报》")
    ids = []
    for i, (day, unit, fallback, fields, category) in enumerate(MATTERS):
        title = titles[i] if i < len(titles) and i < 2 else fallback
        with ctx.acting_at(at(day, "10:00")):
            c = ctx.actions.add_case(NAME, unit, title, channel="contact_card" if i < 3 else "selection_meeting",
                                     category=category, requester=Requester(f"群众{'甲乙丙丁戊'[i]}"),
                                     fields=dict(fields))
        ids.append(c.id)
    with ctx.acting_at(at(5, "16:00")):
        ctx.actions.resolve(ids[0], "组级责任人和勤务员协调修缮完毕")
    with ctx.acting_at(at(12, "15:00")):
        service.report_up(ctx, ids[2], "机耕路重建超出县住建局权限，已向群众说明原因")
    with ctx.acting_at(at(20, "11:00")):
        service.feasibility(ctx, ids[4], "农村饮水安全改造可行，建议分三年实施")
    meetings = 0
    for d in range(1, last.day + 1):
        day = dt.date(first.year, first.month, d)
        with ctx.acting_at(at(d, "19:00")):
            if day.isoweekday() == 7:
                service.record_meeting(ctx, "group", "demo.ts.xj.g1", day, [ids[0]] if d <= 7 else [])
                meetings += 1
                if d > 7:
                    service.record_meeting(ctx, "group", "demo.ts.xj.g2", day)
                    meetings += 1
            if d == 15 or day == last:
                service.record_meeting(ctx, "village", "demo.ts.xj", day, [ids[2]] if d == 15 else [])
                meetings += 1
            if d == 25:
                service.record_meeting(ctx, "township", "demo.ts", day, [ids[3]])
                meetings += 1
            if d == 28 and cadence.occurrence("quarter", last):
                service.record_meeting(ctx, "county", "demo", day, [ids[4]])
                meetings += 1
    with ctx.acting_at(at(last.day, "17:00")):
        service.record_liaison_report(ctx, "demo.ts", "monthly", period, "县住建局、县交通运输局")
        service.log_quota(ctx, "jieti-sv1", "grassroots_days", 6, last, note="驻新建村一组")
        service.log_quota(ctx, "jieti-st1", "deed", case_id=ids[0], on_date=last)
        service.record_inspection(ctx, period)
    with ctx.acting_at(ctx.calendar.local(dt.datetime.combine(after, dt.time()))):
        swept = ctx.actions.sweep()
    flagged = sum(1 for s in swept if s["case"] in ids and s["action"] == "flag")  # L306: no climbing by time
    gaps = len(zones.check(ctx, "demo.ts"))
    return (f"jieti 太平镇：民情责任区 {len(ZONES)} 个（太平镇尚缺 {gaps} 处），按范围分级事项 5 件"
            f"（户级解决 1 件，月末督办 {flagged} 件，报告县委、政府 1 件，可行性调查报告 1 份），"
            f"民情联席会议 {meetings} 次，{period} 督查·汇总·通报")
