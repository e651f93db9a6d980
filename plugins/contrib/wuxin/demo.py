"""wuxin's month in ``county demo`` (``county_demo``): 杨文街道 with 杨文社区 (L414), its two grids and
three buildings, the buildings' 两长四员 (one complete, L418), four left-behind files with their
carers (L432), a month of care steps (one child and one elder cared for in full, the others in
part), the environment's weekly inspections and monthly ranking (L437), the daily watch and a
leader on duty on holidays (L445) and three cases along the slogan's tiers (L420) — fixed, so the
same period gives the same data.

Each step at its own instant of ``period`` (days 1–28 only, so every month works):

* day 1 09:00 the units, people and files; 10:00 the four pairs;
* child A (caring mother 爱心妈妈 1): contact 5th, letter 12th, teacher 20th, guardian 22nd,
  birthday 15th (born 2015-MM-15); child B: one contact on the 8th;
* elder C (volunteer 1): a greeting every day 08:30, 60-minute chats every Wednesday and
  Saturday, an activity on the 18th; elder D (volunteer 2): greetings on working days only,
  60-minute chats on Wednesdays only, no activity;
* inspections every Friday 16:00 from the 1st to the 28th, the ranking on the 28th 16:30; the
  watch (值班, L445) every evening 20:00 from the 1st to the 28th, with a leader (领导带班) on the
  days off of a statutory holiday among them;
* case 1 at building 1 (environment; titled after the month's first real message when there is
  one) on the 3rd 09:00, resolved the 4th 10:00 at the grid and fed back (工作反馈) at 18:00;
* case 2 at grid 2 (dispute) on the 8th 10:00, escalated on the 12th 00:30 to the community,
  resolved the 16th 15:00;
* case 3 at the community (hotline, consultation) on the 10th 09:00, resolved the 11th 10:00.
"""

from __future__ import annotations

import datetime as dt

from framework import parse_month

from . import service
from .rules import METHOD, is_major_holiday

SUB, COM = "demo.yw", "demo.yw.yw"
G1, G2 = f"{COM}.g1", f"{COM}.g2"
B1, B2, B3 = f"{G1}.b1", f"{G1}.b2", f"{G2}.b3"
UNITS = [
    {"code": SUB, "name": "杨文街道", "level": "township", "parent": "demo"},
    {"code": COM, "name": "杨文社区", "level": "community", "parent": SUB},
    {"code": G1, "name": "杨文社区第一网格", "level": "grid", "parent": COM},
    {"code": G2, "name": "杨文社区第二网格", "level": "grid", "parent": COM},
    {"code": B1, "name": "1号楼", "level": "building", "parent": G1},
    {"code": B2, "name": "2号楼", "level": "building", "parent": G1},
    {"code": B3, "name": "3号楼", "level": "building", "parent": G2},
]
PEOPLE = [
    {"id": "yw-01", "name": "王某", "unit": SUB, "roles": ["subdistrict_cadre"]},
    {"id": "yw-c01", "name": "李某", "unit": COM, "roles": ["community_branch_secretary", "file_keeper"]},
    {"id": "yw-g1", "name": "张某", "unit": G1, "roles": ["grid_branch_secretary"]},
    {"id": "yw-g2", "name": "刘某", "unit": G2, "roles": ["grid_head"]},
    {"id": "yw-b1-1", "name": "陈某", "unit": B1, "roles": ["party_group_leader"]},
    {"id": "yw-b1-2", "name": "杨某", "unit": B1, "roles": ["building_head"]},
    {"id": "yw-b1-3", "name": "赵某", "unit": B1, "roles": ["sanitation_officer"]},
    {"id": "yw-b1-4", "name": "黄某", "unit": B1, "roles": ["security_officer"]},
    {"id": "yw-b1-5", "name": "周某", "unit": B1, "roles": ["proxy_agent"]},
    {"id": "yw-b1-6", "name": "吴某", "unit": B1, "roles": ["property_officer"]},
    {"id": "yw-b2-1", "name": "徐某", "unit": B2, "roles": ["party_group_leader", "building_head"]},
    {"id": "yw-b2-2", "name": "孙某", "unit": B2, "roles": ["sanitation_officer", "security_officer"]},
    {"id": "yw-b3-1", "name": "胡某", "unit": B3, "roles": ["building_head"]},
    {"id": "yw-m1", "name": "朱某", "unit": B1, "roles": ["caring_mother"]},
    {"id": "yw-m2", "name": "高某", "unit": G2, "roles": ["caring_mother"]},
    {"id": "yw-v1", "name": "林某", "unit": B2, "roles": ["party_volunteer"]},
    {"id": "yw-v2", "name": "何某", "unit": B3, "roles": ["party_volunteer"]},
]
AWAY = {"away_where": "在外地施工（中铁二十局）", "away_contact": "父亲电话 13900001111"}
CASE_TITLES = ["楼道杂物乱堆放", "邻里漏水纠纷", "咨询临时救助政策"]


def _at(ctx, y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=ctx.calendar.tz)


def _files(ctx, y, m):
    """The four files (A, B children; C, D elders) and their pairs; returns the pair ids."""
    a = service.open_file(ctx, "child", "甲某某", B1, birthday=f"2015-{m:02d}-15", health="良好", living="与祖母同住",
                          keeper="yw-c01", **AWAY)
    b = service.open_file(ctx, "child", "乙某某", B3, birthday="2014-02-10", health="良好", living="与外祖父母同住",
                          keeper="yw-c01", **AWAY)
    c = service.open_file(ctx, "elder", "丙某某", B2, birthday="1946-05-01", health="高血压", living="独居",
                          away_where="子女在外地施工", away_contact="儿子电话 13900002222", keeper="yw-c01",
                          illnesses="高血压", medicines="降压药", allergies="青霉素", haunts="社区日间照料室",
                          hobbies="下象棋", family_phone="13900002222", card="yes", one_touch="13900002222")
    d = service.open_file(ctx, "elder", "丁某某", B3, birthday="1950-09-09", health="糖尿病", living="老两口同住",
                          keeper="yw-c01", illnesses="糖尿病", medicines="胰岛素", haunts="广场", hobbies="唱戏")
    return a, b, c, d


def county_demo(ctx, period: str, titles) -> str:
    """Seed ``period`` (``YYYY-MM``) as the module docstring says; returns the summary line.
    CountyError for a period of another form."""
    y, m = parse_month(period, "wuxin demo period")
    with ctx.acting_at(_at(ctx, y, m, 1, 9)):
        ctx.actions.import_units(UNITS, "wuxin demo")
        ctx.actions.import_people(PEOPLE, "wuxin demo")
        files = _files(ctx, y, m)
    with ctx.acting_at(_at(ctx, y, m, 1, 10)):
        pa, pb, pc, pd = (service.make_pair(ctx, f["id"], carer)["id"]
                          for f, carer in zip(files, ("yw-m1", "yw-m2", "yw-v1", "yw-v2")))
    steps = [(5, 19, pa, "contact", None), (12, 19, pa, "letter", None), (15, 18, pa, "birthday", None),
             (20, 17, pa, "teacher", None), (22, 10, pa, "guardian", None), (8, 19, pb, "contact", None),
             (18, 15, pc, "activity", None)]
    for day in range(1, 29):
        date = dt.date(y, m, day)
        steps.append((day, 8, pc, "greeting", None))
        if ctx.calendar.is_working_day(date):
            steps.append((day, 9, pd, "greeting", None))
        if date.weekday() in (2, 5):
            steps.append((day, 15, pc, "chat", 60))
        if date.weekday() == 2:
            steps.append((day, 16, pd, "chat", 60))
    for day, hour, pair, kind, minutes in sorted(steps, key=lambda s: (s[0], s[1], s[2])):
        if day == 1 and hour < 10:
            hour = 11  # after the pairs were formed
        with ctx.acting_at(_at(ctx, y, m, day, hour, 30 if kind == "greeting" else 0)):
            service.record_care(ctx, pair, kind, minutes)
    work = 0
    for day in range(1, 29):
        if dt.date(y, m, day).weekday() == 4:
            with ctx.acting_at(_at(ctx, y, m, day, 16)):
                service.record_work(ctx, "inspection", COM, "楼道、小广告清理检查")
                work += 1
    with ctx.acting_at(_at(ctx, y, m, 28, 16, 30)):
        service.record_work(ctx, "ranking", COM, "各楼栋环境卫生评比")
        work += 1
    for day in range(1, 29):
        date = dt.date(y, m, day)
        with ctx.acting_at(_at(ctx, y, m, day, 20)):
            service.record_work(ctx, "watch", COM, "社区值班室")
            work += 1
            if is_major_holiday(ctx.calendar, date):
                service.record_work(ctx, "leader_watch", COM, "领导带班")
                work += 1
    picked = [titles[0] if titles else CASE_TITLES[0], *CASE_TITLES[1:]]
    with ctx.acting_at(_at(ctx, y, m, 3, 9)):
        c1 = ctx.actions.add_case(METHOD, B1, picked[0], channel="building_officer", category="environment")
    with ctx.acting_at(_at(ctx, y, m, 4, 10)):
        ctx.actions.resolve(c1.id, "卫生员组织清理")
    with ctx.acting_at(_at(ctx, y, m, 4, 18)):
        service.feed_back(ctx, c1.id, "楼栋长告知住户已清理")
    with ctx.acting_at(_at(ctx, y, m, 8, 10)):
        c2 = ctx.actions.add_case(METHOD, G2, picked[1], channel="home_visit", category="dispute")
    with ctx.acting_at(_at(ctx, y, m, 10, 9)):
        c3 = ctx.actions.add_case(METHOD, COM, picked[2], channel="hotline", category="consultation")
    with ctx.acting_at(_at(ctx, y, m, 11, 10)):
        ctx.actions.resolve(c3.id, "已电话答复")
    with ctx.acting_at(_at(ctx, y, m, 12, 0, 30)):
        ctx.actions.escalate(c2.id, "网格未能调解")
    with ctx.acting_at(_at(ctx, y, m, 16, 15)):
        ctx.actions.resolve(c2.id, "社区调解，双方签字")
    return (f"{METHOD} 杨文社区：楼栋 3 栋（两长四员配齐 1 栋），档案 4 份（留守儿童 2、留守老人 2），结对 4 对，"
            f"关爱记录 {len(steps)} 次，工作记录 {work} 次，事项 3 件（1 件上报社区）")
