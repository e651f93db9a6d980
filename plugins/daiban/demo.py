"""``county demo``: a small, fixed month of 村民事务代办 at 太平镇新建村 (the demo county's
``demo.ts.xj``, whose villager groups ``demo.ts.xj.g1`` / ``.g2`` each have a group agent).

Ten tracking cards taken in at the two groups (both scopes, door-to-door and fixed-point), nine
signed by the requester on completion (two of them late), one still open past its due instant;
the month's card check by the township (太平镇) at 09:00 the day after the month, and a
real-name complaint about the first late card investigated, rectified and closed. Days and hours are fixed; only the month follows the demo.
All of it goes through :mod:`plugins.daiban.service` and ``ctx.actions`` inside
``ctx.acting_at(instant)``; the people and units are the kernel's demo deployment's.

The nightly sweep (督办) runs at 00:00 the day after the month (``ctx.actions.sweep()``), before
the card check, as a county's night run would: the open card is flagged overdue and its
register entry says ``swept``.
"""

from __future__ import annotations

import datetime as dt

from framework import CountyError, MethodContext, Requester, period_dates
from plugins.daiban import service
from plugins.daiban.rules import METHOD

TOWNSHIP = "demo.ts"
VILLAGE = "demo.ts.xj"
GROUPS = ("demo.ts.xj.g1", "demo.ts.xj.g2")
#: Made-up contact details shown (masked) on the boards.
DEMO_PHONE = "13907450123"
DEMO_ID_NUMBER = "431229196803150017"

#: day, time, group, errand, scope, mode, category, hours to completion (None: still open)
ERRANDS = [
    (2, "09:00", "demo.ts.xj.g1", "代办新生儿户口登记", "county", "home_visit", "household_register", 50),
    (3, "10:00", "demo.ts.xj.g1", "代领养老保险资格认证表", "township", "fixed_point", "other", 5),
    (4, "14:00", "demo.ts.xj.g2", "代取邮政包裹", "township", "home_visit", "mail_parcel", 3),
    (6, "09:30", "demo.ts.xj.g2", "代办医疗救助申请", "county", "home_visit", "medical_aid", 73),
    (9, "11:00", "demo.ts.xj.g1", "代缴新农合参保费", "township", "fixed_point", "other", 30),
    (11, "15:00", "demo.ts.xj.g2", "代办残疾人证年审", "county", "home_visit", "other", 66),
    (13, "08:30", "demo.ts.xj.g1", "代购化肥种子", "township", "fixed_point", "collect_goods", 6),
    (17, "10:00", "demo.ts.xj.g2", "代办低保年审材料", "township", "home_visit", "other", 30),
    (20, "16:00", "demo.ts.xj.g1", "代办身份证换领", "county", "home_visit", "household_register", 66),
    (27, "09:00", "demo.ts.xj.g2", "代领高龄补贴", "township", "fixed_point", "other", None),
]


def _is_late(scope: str, hours: int) -> bool:
    return (scope == "township" and hours > 24) or (scope == "county" and hours > 96)


def county_demo(ctx: MethodContext, period: str, titles: list[str]) -> str:
    """Seed the month ``period`` (``YYYY-MM``) at 新建村 (see the module); ``titles`` are not
    used (the errands are fixed). Returns the summary line. CountyError when the deployment
    lacks the demo's village, groups or township."""
    for code in (TOWNSHIP, VILLAGE, *GROUPS):
        if code not in ctx.units:
            raise CountyError(f"daiban 演示：部署中没有单位 {code}（内核的演示县）")
    if len(str(period).strip()) != 7:
        raise CountyError(f"daiban 演示：期间 {period!r} 不是月份（应为 YYYY-MM）")
    first, end = period_dates(period)
    month = f"{first.year:04d}-{first.month:02d}"

    def at(day: int, hm: str = "09:00") -> dt.datetime:
        h, mi = (int(x) for x in hm.split(":"))
        return ctx.calendar.local(dt.datetime(first.year, first.month, day, h, mi))

    cards, late = [], []
    for i, (day, hm, grp, title, scope, mode, category, hours) in enumerate(ERRANDS):
        when = at(day, hm)
        fields = {"scope": scope, "mode": mode, "group": grp}
        if mode == "home_visit":
            fields["special_group"] = "elderly"
        requester = Requester("户主" + "子丑寅卯辰巳午未申酉"[i], DEMO_PHONE if i % 3 == 0 else None,
                              DEMO_ID_NUMBER if i == 1 else None)
        with ctx.acting_at(when):
            cid = ctx.actions.add_case(METHOD, grp, title, category=category, requester=requester, fields=fields).id
        cards.append(cid)
        if hours is None:
            continue
        with ctx.acting_at(ctx.calendar.hours(when, hours)):
            service.sign(ctx, cid, satisfaction="satisfied" if hours < 48 or scope == "county" else "basically",
                         outcome="已办结并送达", hours=2.0)
        if _is_late(scope, hours):
            late.append(cid)
    next_day = ctx.calendar.local(dt.datetime.combine(end, dt.time()))
    open_late = ctx.cases.count(method=METHOD, unit=VILLAGE, created=month, due_before=next_day)
    with ctx.acting_at(at(12, "09:00")):
        comp = service.add_complaint(ctx, complainant="户主巳", kind="overdue", case_id=late[0],
                                     text="缴费代办超过24小时才回复")
    with ctx.acting_at(at(13, "09:00")):
        service.investigate(ctx, comp["id"], upheld=True, finding="代办员未按时回复", severity="minor",
                            accountability="批评教育")
    with ctx.acting_at(at(13, "10:00")):
        service.rectify(ctx, comp["id"], measure="代办员当面致歉并建立回复提醒", days=7)
    with ctx.acting_at(at(18, "10:00")):
        service.close(ctx, comp["id"], result="已整改，群众满意")
    # the month-end sweep and card check after the month's complaint: events stay in time order (issue 14)
    with ctx.acting_at(next_day):
        ctx.actions.sweep()
    with ctx.acting_at(next_day.replace(hour=9)):
        check = service.check_month(ctx, month, TOWNSHIP)
    return (f"daiban 新建村：为民代办服务跟踪卡 {len(cards)} 张（超时办结 {len(late)} 张，逾期未办 {open_late} 张），"
            f"{month} 跟踪卡检查超期登记 {check['overdue']} 张，实名投诉 1 件限期整改后办结")
