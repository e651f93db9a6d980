"""yijiasi's month in ``county demo`` (``county_demo``): 清河街道 with 水渡口社区 (the leader's
community) and 运河社区, co-built with one service team of four members — fixed, so the same
period gives the same data. Each step at its own instant of ``period`` (days 1–28 only):

* day 1 09:00 the units, people, the team and its four members (joined on day 1);
* day 2 10:00 the year's agreement with both communities (late: due 01-31, L453);
* day 3 09:00 four party members claim posts (民情收集, 文化娱乐, 矛盾调解, 财务监督, L455);
* every Wednesday 15:00 each member's weekly contact — the student misses the second Wednesday;
* work days on the 10th (all four) and the 24th (all but the lawyer);
* events: the 12th at 水渡口社区 (the home), the 20th at 运河社区 (L455);
* matter 1 (legal aid, 水渡口社区; the month's first real title when there is one) the 5th 10:00,
  handled with the lawyer, resolved the 8th 16:00; matter 2 (tutoring, 运河社区) the 6th 10:00,
  with the student, up to the team leader on the 14th 09:00 (its 7 days ended the 13th),
  resolved the 16th 11:00;
* the organisation department's spot check on the 15th; on the 25th the community agrees to
  commend the instructor, who is commended by 市委组织部.
"""

from __future__ import annotations

import datetime as dt

from framework import Requester

from . import layered, service
from .rules import NAME

SUB, HOME, OTHER = "demo.qh", "demo.qh.sdk", "demo.qh.yh"
UNITS = [{"code": SUB, "name": "清河街道", "level": "township", "parent": "demo"},
         {"code": HOME, "name": "水渡口社区", "level": "community", "parent": SUB},
         {"code": OTHER, "name": "运河社区", "level": "community", "parent": SUB}]
PEOPLE = [{"id": "yjs-s1", "name": "韩某", "unit": HOME, "roles": ["party_secretary"]},
          {"id": "yjs-s2", "name": "钱某", "unit": OTHER, "roles": ["party_secretary"]},
          {"id": "yjs-lead", "name": "沈某", "unit": "demo.rsj", "roles": ["team_leader", "department_member"]},
          {"id": "yjs-dept", "name": "宋某", "unit": "demo.wjj", "roles": ["department_member"]},
          {"id": "yjs-ins", "name": "唐某", "unit": SUB, "roles": ["instructor_member"]},
          {"id": "yjs-stu", "name": "许某", "unit": HOME, "roles": ["student_member"]},
          {"id": "yjs-law", "name": "冯某", "unit": HOME, "roles": ["lawyer_member"]}]
MEMBERS = [("yjs-dept", "department", "县卫健局"), ("yjs-ins", "instructor", "市委组织部"),
           ("yjs-stu", "student", "淮阴师范学院"), ("yjs-law", "lawyer", "某律师事务所")]
POSTS = [("孙某", "opinion_collection"), ("周某", "culture"), ("吴某", "mediation"), ("郑某", "finance_oversight")]


def seed(ctx, period: str, titles) -> str:
    """Seed ``period`` (``YYYY-MM``) as the module says. Returns the summary line."""
    year, month = map(int, period.split("-"))
    tz = ctx.calendar.tz

    def at(d, h, m=0):
        return ctx.acting_at(dt.datetime(year, month, d, h, m, tzinfo=tz))

    with at(1, 9):
        ctx.actions.import_units([u for u in UNITS if u["code"] not in ctx.units], "yijiasi demo")
        ctx.actions.import_people(PEOPLE, "yijiasi demo")
        service.save_team(ctx, "qh-1", "清河街道“1+4”服务团", "yjs-lead", HOME, [OTHER])
        for person, kind, partner in MEMBERS:
            service.add_member(ctx, person, "qh-1", kind, partner)
    with at(2, 10):
        service.sign_agreement(ctx, "qh-1", year)
    with at(3, 9):
        for holder, post in POSTS:
            service.claim_post(ctx, HOME, holder, post)
    wednesdays = [d for d in range(1, 29) if dt.date(year, month, d).weekday() == 2]
    for i, d in enumerate(wednesdays):
        with at(d, 15):
            for person, _, _ in MEMBERS:
                if not (person == "yjs-stu" and i == 1):
                    service.record_participation(ctx, "contact", person)
    for d, who in ((10, [m[0] for m in MEMBERS]), (24, [m[0] for m in MEMBERS if m[0] != "yjs-law"])):
        with at(d, 14):
            for person in who:
                service.record_participation(ctx, "workday", person)
    first_title = (list(titles) + ["劳动合同纠纷法律咨询"])[0]
    with at(5, 10):
        a = ctx.actions.add_case(NAME, HOME, first_title, channel="contact", category="residents",
                                 requester=Requester(name="马某某"), fields={"service": "legal_aid"})
    with at(6, 10):
        b = ctx.actions.add_case(NAME, OTHER, "困难家庭子女课业辅导", channel="post", category="vulnerable",
                                 fields={"service": "tutoring", "post": "opinion_collection"})
    with at(8, 16):
        ctx.actions.resolve(a.id, "律师党员志愿者已提供法律援助")
    with at(12, 9):
        service.record_activity(ctx, "qh-1", "法律援助、健康咨询进社区", participants=120)
    with at(14, 9):
        ctx.actions.escalate(b.id, "服务团7日内未办结，报团长协调")
    with at(15, 10):
        service.record_check(ctx, "qh-1", "spot_check", "成员联系记录完整")
    with at(16, 11):
        ctx.actions.resolve(b.id, "已安排大学生党员义工每周两次辅导")
    with at(20, 9):
        service.record_activity(ctx, "qh-1", "文艺演出进社区", community=OTHER, participants=80)
    with at(25, 10):
        for c in (HOME, OTHER):
            layered.give_opinion(ctx, "yjs-ins", year, "commendation", "agree", community=c)
        layered.record(ctx, "yjs-ins", year, "commendation", "org_dept", note="优秀社区党建工作指导员")
    return (f"{NAME} 水渡口社区、运河社区：“1+4”服务团 1 个，联系社区 {len(wednesdays) * 4 - 1} 次，"
            f"到社区工作 7 天，集中服务活动 2 次，事项 2 件（{a.id} 服务团办结，{b.id} 经团长协调），表彰 1 名")
