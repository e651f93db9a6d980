"""``county demo``'s month of evening talks (the ``county_demo`` hook) at 黄石村
(``demo.fx.hs``, 富兴镇) of the demo county. Adds the people it needs when missing (a contact
cadre and a deputy party secretary at 富兴镇, a party secretary at 黄石村; made up, named by
surname only), then, each step at its fixed instant of the month (``ctx.acting_at``):

* day 1 09:00: 钱某 (``fx-yt-01``) linked as 黄石村's contact cadre;
* day 1 10:00: a regular talk scheduled for day 8 19:30, two topics, 座谈;
* day 4 09:00: its notice by broadcast (due day 5 23:59:59: on time);
* day 8 21:30: held, 40 attended, 18 ordinary villagers (45 %), chaired by the contact cadre;
* day 8 21:40–21:42: three matters raised (real message titles when there are any): one
  answered on the spot, one promised to 王某 (``fx-hs-01``) within 7 days (due day 15
  23:59:59), one for the township;
* day 10 15:00: 富兴镇's party committee studies the third (reply due day 20 23:59:59);
* day 14 16:00 and day 18 10:00: both result reports (on time); day 20 09:00: an inspection.

The same period gives the same data every run.
"""

from __future__ import annotations

import datetime as dt
import re

from framework import parse_month
from plugins.contrib.yetanhui import service, talks
from plugins.contrib.yetanhui.rules import METHOD

VILLAGE, TOWNSHIP = "demo.fx.hs", "demo.fx"
CONTACT, DEPUTY, SECRETARY, HANDLER = "fx-yt-01", "fx-yt-02", "fx-hs-yt", "fx-hs-01"
PEOPLE = [
    {"id": CONTACT, "name": "钱某", "unit": TOWNSHIP, "roles": ["village_contact_cadre", "township_leader"]},
    {"id": DEPUTY, "name": "孔某", "unit": TOWNSHIP, "roles": ["deputy_secretary"]},
    {"id": SECRETARY, "name": "曹某", "unit": VILLAGE, "roles": ["village_party_secretary"]},
]
MADE_UP_TITLES = ("村东头排水沟堵塞", "低保申请进度", "村道硬化规划")
_DIGIT_RUN = re.compile(r"\d{5,}")


def county_demo(ctx, period: str, titles) -> str:
    """Seed ``period`` (``YYYY-MM``) as the module doc says; ``titles`` real message titles
    (may be empty; titles holding a run of 5+ digits are skipped). Returns the summary line.
    CountyError for a bad period; NotFound when the demo county lacks 黄石村 or 王某."""
    year, month = parse_month(period, "period")
    tz = ctx.calendar.tz

    def at(day: int, hm: str) -> dt.datetime:
        h, m = (int(x) for x in hm.split(":"))
        return dt.datetime(year, month, day, h, m, tzinfo=tz)

    ctx.unit(VILLAGE)
    ctx.person(HANDLER)
    picked = [t.strip() for t in titles or () if t and t.strip() and not _DIGIT_RUN.search(t)][:3]
    picked += list(MADE_UP_TITLES[len(picked):])
    with ctx.transaction():
        missing = [p for p in PEOPLE if p["id"] not in ctx.people]
        if missing:
            ctx.actions.import_people(missing, "yetanhui demo people")
        with ctx.acting_at(at(1, "09:00")):
            talks.set_contact(ctx, VILLAGE, CONTACT)
        with ctx.acting_at(at(1, "10:00")):
            talk = talks.schedule(ctx, VILLAGE, at(8, "19:30"), ["村内道路与排水", "惠农补贴政策宣讲"], "forum")
        with ctx.acting_at(at(4, "09:00")):
            talks.notice(ctx, talk["id"], "broadcast")
        with ctx.acting_at(at(8, "21:30")):
            talks.hold(ctx, talk["id"], attendees=40, ordinary=18, chair=CONTACT,
                       minutes="宣讲惠农补贴政策；群众提出问题三件，一件当场答复，一件承诺七日内办理，一件报镇党委研究")
        fields = [{"outcome": "spot", "answer": "现场答复：按政策办理"},
                  {"outcome": "promised", "handler": HANDLER, "promised": "+7d"},
                  {"outcome": "township"}]
        ids = []
        for k, (title, f) in enumerate(zip(picked, fields)):
            with ctx.acting_at(at(8, f"21:4{k}")):
                case = ctx.actions.add_case(METHOD, VILLAGE, title, channel="talk", category="opinion",
                                            fields={"talk": talk["id"], "form": "oral", **f})
            ids.append(case.id)
        with ctx.acting_at(at(10, "15:00")):
            service.study(ctx, TOWNSHIP, [ids[2]], "镇党委集中研究，协调解决")
        with ctx.acting_at(at(14, "16:00")):
            service.report(ctx, ids[1], "已清理完毕", "board")
        with ctx.acting_at(at(18, "10:00")):
            service.report(ctx, ids[2], "镇里已列入计划并答复群众", "talk")
        with ctx.acting_at(at(20, "09:00")):
            service.inspect(ctx, VILLAGE, "ok", "会议记录完整，群众参会比例达标", talk_id=talk["id"])
    real = sum(1 for t in picked if t not in MADE_UP_TITLES)
    return (f"yetanhui 黄石村：夜谈会 1 次（#{talk['id']}，参会 40 人，普通群众占 45%），"
            f"问题 3 件（{real} 件取自真实留言标题：当场解决 1、承诺办理 1、报乡镇党委 1），结果报告单 2 份")
