"""``county demo``'s month of 乡会村开 (the ``county_demo`` hook): at 新建村 (``demo.ts.xj``) of
the demo county, the month's plan, three topics (real message titles where the data have
them), one evening meeting held with two topics settled and one deferred, two supervision
notices (三定), one topic resolved and its callback.

Written on the plugin's service layer and ``ctx.actions``, each step at its fixed instant of
the demo month (``ctx.acting_at``), all in one transaction. Days and times are fixed; only the
month follows the data. The units and people used (``demo.ts.xj``; ``ts-xj-01`` 李某,
``ts-01`` 吴某) are the kernel's demo deployment's.
"""

from __future__ import annotations

import datetime as dt
import re

from framework import MethodContext, Requester
from plugins.xiangkai import service
from plugins.xiangkai.rules import METHOD

VILLAGE = "demo.ts.xj"
COLLECTOR = "ts-xj-01"  # 李某, village cadre of 新建村: collects the topics, answers for the first notice
TOWNSHIP_CADRE = "ts-01"  # 吴某, township cadre: answers for the second notice, makes the callback
#: Topic titles used when the data give fewer than three real ones (made up).
MADE_UP_TITLES = ("村道路灯损坏夜间出行不便", "村小学校车接送安排", "集中居住点污水处理")
_DIGIT_RUN = re.compile(r"\d{5,}")


def pick_topics(titles, n: int = 3) -> tuple[list[tuple[str, str | None]], int]:
    """The demo's ``n`` topics as ``(title, requester name or None)``: the first real titles
    (str, or ``(title, name)`` pairs) that are not empty and hold no run of five or more digits
    (never a phone or ID number in a topic), then :data:`MADE_UP_TITLES`. Returns the topics
    and how many are real."""
    real: list[tuple[str, str | None]] = []
    for t in titles or ():
        title, who = (t[0], t[1]) if isinstance(t, (tuple, list)) else (t, None)
        title = (title or "").strip()
        if title and not _DIGIT_RUN.search(title):
            real.append((title, who))
        if len(real) == n:
            break
    return (real + [(t, None) for t in MADE_UP_TITLES])[:n], len(real)


def county_demo(ctx: MethodContext, period: str, titles) -> str:
    """Seed ``period`` (``YYYY-MM``, deployment-local) with a month of 乡会村开 at 新建村:

    * day 1 08:00: the month's plan, theme 冬季民生实事, village 新建村;
    * day 2 09:00, 10:00, 11:00: three topics taken in online (forum), class livelihood,
      importance major, the first urgent (priority high, the others medium), collected by 李某;
    * day 3 09:00: a 主题宣讲会 scheduled for day 10 19:00 (an evening: no schedule warning)
      with the three topics;
    * day 10 21:00: held, 46 attended; topics 1 and 2 settled, topic 3 deferred;
    * day 11 09:00 / 09:30: notices for topic 1 (李某, within 7 days) and topic 2 (吴某, due
      day 20 end of day);
    * day 16 16:00: topic 1 resolved; day 18 10:00: 吴某's callback, satisfied (it confirms).

    ``titles``: real message titles of the month (str; may be empty; see :func:`pick_topics`).
    Returns the summary line. CountyError for a bad period; NotFound when the deployment lacks
    the demo unit or people (nothing is written then)."""
    year, month = service.year_month(period)
    tz = ctx.calendar.tz

    def at(day: int, hm: str = "09:00") -> dt.datetime:
        h, m = (int(x) for x in hm.split(":"))
        return dt.datetime(year, month, day, h, m, tzinfo=tz)

    village = ctx.unit(VILLAGE)
    ctx.person(COLLECTOR)
    ctx.person(TOWNSHIP_CADRE)
    topics, real = pick_topics(titles)
    with ctx.transaction():
        with ctx.acting_at(at(1, "08:00")):
            service.set_month(ctx, period, theme="冬季民生实事", villages=[VILLAGE])
        tids = []
        for k, (title, who) in enumerate(topics):
            with ctx.acting_at(at(2, f"{9 + k:02d}:00")):
                case = ctx.actions.add_case(
                    METHOD, VILLAGE, title, channel="online", category="livelihood",
                    requester=Requester(name=who) if who else None,
                    fields={"platform": "forum", "urgency": "urgent" if k == 0 else "normal",
                            "importance": "major", "collector": COLLECTOR})
            tids.append(case.id)
        with ctx.acting_at(at(3, "09:00")):
            meeting = service.add_meeting(ctx, village=VILLAGE, meeting_type="theme_briefing", at=at(10, "19:00"),
                                          title="冬季民生实事议事会", topics=tids)
        with ctx.acting_at(at(10, "21:00")):
            service.hold_meeting(ctx, meeting["id"], resolutions={tids[0]: "由村委会牵头限期办理",
                                                                  tids[1]: "报乡镇协调相关部门办理"},
                                 deferred=[tids[2]], attended=46)
        with ctx.acting_at(at(11, "09:00")):
            service.issue_notice(ctx, tids[0], responsible=COLLECTOR, standard="办结并答复留言群众", within_days=7)
        with ctx.acting_at(at(11, "09:30")):
            service.issue_notice(ctx, tids[1], responsible=TOWNSHIP_CADRE, standard="协调方案落实",
                                 due=f"{year:04d}-{month:02d}-20")
        with ctx.acting_at(at(16, "16:00")):
            ctx.actions.resolve(tids[0], "已按议定事项办结")
        with ctx.acting_at(at(18, "10:00")):
            service.callback(ctx, tids[0], note="回访群众，反映问题已解决", visitor=TOWNSHIP_CADRE,
                             satisfaction="satisfied")
    return (f"xiangkai {village.name}：议题 {len(tids)} 个（{real} 个取自真实留言标题），"
            f"召开会议 1 次（{meeting['id']}），督办通知书 2 份，回访 1 次")
