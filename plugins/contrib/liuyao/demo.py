"""``county demo``: a small fixed month of 六要 at 西芹镇坑布村 — the village of the casebook's
forest tender (L205: 3,108 mu of collective forest tendered through the town's centre, watched by
video from the village meeting room). The demo county has neither, so they are added with
``ctx.actions.import_units`` / ``import_people`` (a township ``demo.xq`` and its village
``demo.xq.kb``; four people named by surname only).

Days and hours are fixed; only the month follows the demo:

* three matters, routed by type (L191): the forest tender (集体财产处置 → 户代表会议, path
  2nd–8th, decided on the 10th 52/3/2, disclosed on the 11th through 公开栏 and 户代表, supervised
  on the 20th, implemented on the 25th, rated on the 27th 48/5/1); the committee election
  (换届选举 → 村民会议, path 7th–12th, voted on the 14th 610/25/15, still being carried out);
  the award list (评先评优 → 两委, decided on the 16th, posted on the 17th on the 公开栏 alone:
  one form, short of two);
* three reports (real message titles when the month has some): one answered on the 10th (on
  time), one made on the 1st and answered on the 28th (late in a month without holidays: past
  its 15 working days), one made on the 18th still open (due the next month);
* the month's 村财收支 disclosed on its last day through 公开栏 and 联户代表;
* the nightly sweep at 00:00 after the month (flags nothing left open past due: the late report
  was answered; the open one is not due).
"""

from __future__ import annotations

import datetime as dt

from framework import CountyError, Requester, period_dates
from plugins.contrib.liuyao import disclosure, service
from plugins.contrib.liuyao.rules import METHOD

TOWNSHIP, VILLAGE = "demo.xq", "demo.xq.kb"
UNITS = [{"code": TOWNSHIP, "name": "西芹镇", "level": "township", "parent": "demo"},
         {"code": VILLAGE, "name": "坑布村", "level": "village", "parent": TOWNSHIP}]
PEOPLE = [
    {"id": "xq-kb-01", "name": "林某", "unit": VILLAGE, "roles": ["village_party_secretary", "village_cadre"]},
    {"id": "xq-kb-02", "name": "黄某", "unit": VILLAGE, "roles": ["village_cadre"]},
    {"id": "xq-kb-03", "name": "范某", "unit": VILLAGE, "roles": ["supervision_member"]},
    {"id": "xq-01", "name": "詹某", "unit": TOWNSHIP, "roles": ["township_cadre"]},
]
REPORT_TITLES = ["村道边沟堵塞雨天积水", "低保评定名单有疑问", "村集体鱼塘承包费去向"]
DEMO_PHONE = "13905990123"


def county_demo(ctx, period: str, titles: list[str]) -> str:
    """Seed the month ``period`` (``YYYY-MM``) at 坑布村 (see the module); the first three of
    ``titles`` name the reports. Returns the summary line. CountyError when ``period`` is not
    a month or the demo county's root ``demo`` is missing."""
    if len(str(period).strip()) != 7:
        raise CountyError(f"{METHOD} 演示：期间 {period!r} 不是月份（应为 YYYY-MM）")
    if "demo" not in ctx.units:
        raise CountyError(f"{METHOD} 演示：部署中没有单位 demo（内核的演示县）")
    first, end = period_dates(period)
    with ctx.acting_at(ctx.calendar.local(dt.datetime.combine(first, dt.time(8, 0)))):
        if VILLAGE not in ctx.units:
            ctx.actions.import_units(UNITS, f"{METHOD} demo")
        if any(p["id"] not in ctx.people for p in PEOPLE):
            ctx.actions.import_people(PEOPLE, f"{METHOD} demo")

    def at(day: int, hm: str = "09:00") -> dt.datetime:
        h, m = (int(x) for x in hm.split(":"))
        return ctx.calendar.local(dt.datetime(first.year, first.month, day, h, m))

    def step(day, hm, fn, *args, **kw):
        with ctx.acting_at(at(day, hm)):
            return fn(*args, **kw)

    add = ctx.actions.add_case
    names = ([t for t in titles if t][:3] + REPORT_TITLES)[:3]
    reports = [
        step(1, "09:00", add, METHOD, VILLAGE, names[0], channel="direct", fields={"reporter": "villager"},
             requester=Requester("村民甲", DEMO_PHONE)).id,
        step(4, "10:00", add, METHOD, VILLAGE, names[1], channel="supervisory_committee",
             fields={"reporter": "party_member"}, requester=Requester("党员乙")).id,
        step(18, "09:30", add, METHOD, VILLAGE, names[2], channel="party_org", fields={"reporter": "villager"},
             requester=Requester("村民丙", DEMO_PHONE)).id,
    ]
    forest = step(2, "09:00", add, METHOD, VILLAGE, "坑布村3108亩集体山林公开招投标", channel="party_proposal",
                  category="collective_property", fields={"kind": "matter", "meeting_kind": "household"}).id
    election = step(6, "09:00", add, METHOD, VILLAGE, "村委会换届选举", channel="party_proposal",
                    fields={"kind": "matter"}).id
    awards = step(15, "09:00", add, METHOD, VILLAGE, "年度评先评优名单", channel="party_proposal",
                  fields={"kind": "matter"}).id
    for day, s in ((3, "proposed"), (5, "discussed"), (8, "reviewed")):
        step(day, "15:00", service.procedure, ctx, forest, s)
    step(10, "16:00", service.reply, ctx, reports[1], "已核实名单，评定程序符合规定，书面答复")
    step(10, "19:30", service.decide, ctx, forest, votes=(52, 3, 2), note="委托镇招投标中心公开招标")
    step(11, "10:00", disclosure.disclose, ctx, VILLAGE, "collective_assets", ["board", "household_rep"],
         case_id=forest, title="集体山林公开招投标方案")
    for day, s in ((7, "proposed"), (9, "discussed"), (12, "reviewed")):
        step(day, "15:00", service.procedure, ctx, election, s)
    step(14, "09:00", service.decide, ctx, election, votes=(610, 25, 15), note="选举办法")
    step(16, "15:00", service.decide, ctx, awards)
    step(17, "10:00", disclosure.disclose, ctx, VILLAGE, "awards", ["board"], case_id=awards, title="评先评优名单")
    step(20, "16:00", service.supervise, ctx, forest, "村民在村会议室视频远程监督开标，中标价高于评估价200万元")
    step(25, "10:00", ctx.actions.resolve, forest, "招投标完成，合同签订，收益入村集体账户")
    step(27, "19:30", service.rate, ctx, "matter", 48, 5, 1, case_id=forest, meeting_kind="household")
    step(28, "11:00", service.reply, ctx, reports[0], "已组织疏通边沟，雨季前完成")
    last = (end - dt.timedelta(days=1)).day
    step(last, "16:00", disclosure.disclose, ctx, VILLAGE, "finance", ["board", "joint_household_rep"],
         period=f"{first.year:04d}-{first.month:02d}")
    with ctx.acting_at(ctx.calendar.local(dt.datetime.combine(end, dt.time()))):
        flagged = len(ctx.actions.sweep())
    replies = ctx.milestones.of(reports, name="reply")
    on_time = sum(m.state == "met" for m in replies)
    late = sum(m.state == "missed" and m.closed_at is not None for m in replies)
    return (f"liuyao 坑布村：事务 3 件按决策形式办理（户代表会议 52/3/2、村民会议 610/25/15、村“两委”），"
            f"反映问题 3 件（按期答复 {on_time}、逾期 {late}、未答复 1），公开 3 次（1 次形式不足2种），"
            f"监督结果 1 条，一事一测评 1 次，督办提示 {flagged} 件")
