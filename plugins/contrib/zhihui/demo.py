"""zhihui's month in ``county demo`` (``county_demo``): 杨和街道 with 阳光社区 and 祥和社区 (named in
L402), three grids, the 4+4+1+6 posts of one grid complete and another short, three residents
entered (a second entry of one refused), four matters, the service station's profit share and
the workers' education — fixed, so the same period gives the same data."""

from __future__ import annotations

import datetime as dt

from framework import Refusal, parse_month

from . import register, service, staffing
from .rules import NAME

SUB, YG, XH = "demo.yh", "demo.yh.yg", "demo.yh.xh"
W1, W2, XW1 = f"{YG}.w1", f"{YG}.w2", f"{XH}.w1"
UNITS = [
    {"code": SUB, "name": "杨和街道", "level": "township", "parent": "demo"},
    {"code": YG, "name": "阳光社区", "level": "community", "parent": SUB},
    {"code": XH, "name": "祥和社区", "level": "community", "parent": SUB},
    {"code": W1, "name": "阳光社区第一网格", "level": "grid", "parent": YG},
    {"code": W2, "name": "阳光社区第二网格", "level": "grid", "parent": YG},
    {"code": XW1, "name": "祥和社区第一网格", "level": "grid", "parent": XH},
]
FOUR = [("zh-c1", "马某", "grid_supervisor"), ("zh-c2", "杨某", "grid_instructor"),
        ("zh-c3", "丁某", "grid_manager"), ("zh-c4", "周某", "community_police")]
WORKERS = [("zh-w1", "纳某", W1), ("zh-w2", "金某", W1), ("zh-w3", "海某", W1), ("zh-w4", "苏某", W1),
           ("zh-w5", "田某", W2), ("zh-w6", "沙某", W2)]
SIX = [("zh-v1", "冯某", "mediator"), ("zh-v2", "蒋某", "opinion_collector"), ("zh-v3", "韩某", "sanitation_monitor"),
       ("zh-v4", "朱某", "family_planning_officer"), ("zh-v5", "秦某", "policy_publicist"),
       ("zh-v6", "尤某", "democracy_monitor")]
RESIDENTS = [  # fictional 身份证号 with valid check characters (region 640121: 永宁县)
    ("640121194503120026", "白桂兰", W1, "阳光小区3号楼2单元301", "empty_nest;caller;civil_affairs"),
    ("640121195208170041", "马秀英", W1, "阳光小区3号楼2单元302", "min_living"),
    ("640121198011050031", "李建国", W2, "阳光小区7号楼1单元101", "family_planning"),
]
TITLES = ["楼道灯不亮", "邻里噪音纠纷"]


def _at(ctx, y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=ctx.calendar.tz)


def county_demo(ctx, period: str, titles) -> str:
    """Seed ``period`` (``YYYY-MM``) as the module docstring says: on the 1st the units, people and
    posts; on the 2nd the register; matters on the 3rd (hall → grid, resolved on the 4th; a
    dispute in the second grid, escalated to the community on the 7th and resolved on the 9th),
    the 5th (settled on the spot) and the 6th (a one-button call, left open); the month's profit
    share and education on the 28th. Returns the summary line; ``CountyError`` for a period of
    another form."""
    y, m = parse_month(period, "zhihui demo period")
    first, second = (list(titles) + TITLES)[:2]
    with ctx.acting_at(_at(ctx, y, m, 1, 9)):
        ctx.actions.import_units(UNITS, "zhihui demo")
        people = [{"id": i, "name": n, "unit": SUB, "roles": ["subdistrict_cadre"]} for i, n, _ in FOUR]
        people += [{"id": i, "name": n, "unit": g, "roles": ["grid_worker", "community_worker"]} for i, n, g in WORKERS]
        people += [{"id": "zh-a1", "name": "罗某", "unit": W1, "roles": ["residents_group_leader"]}]
        people += [{"id": i, "name": n, "unit": YG, "roles": [post]} for i, n, post in SIX]  # the community's 6员 (L406)
        ctx.actions.import_people(people, "zhihui demo")
        for pid, _, post in FOUR:
            staffing.add(ctx, YG, post, pid)
        for pid, _, grid in WORKERS:
            staffing.add(ctx, grid, "grid_worker", pid)
        staffing.add(ctx, W1, "grid_assistant", "zh-a1")
        for pid, _, post in SIX:
            staffing.add(ctx, YG, post, pid)
    refused = 0
    with ctx.acting_at(_at(ctx, y, m, 2, 10)):
        for row in RESIDENTS:
            register.enter(ctx, *row)
        try:
            register.enter(ctx, RESIDENTS[0][0], "白桂兰", W1, "阳光小区3号楼2单元301")
        except Refusal:
            refused += 1
    with ctx.acting_at(_at(ctx, y, m, 3, 9)):
        a = ctx.actions.add_case(NAME, YG, first, channel="hall", category="repair",
                                 fields={"resident": RESIDENTS[1][0]})
    with ctx.acting_at(_at(ctx, y, m, 3, 10)):
        b = ctx.actions.add_case(NAME, W2, second, channel="grid", category="dispute")
    with ctx.acting_at(_at(ctx, y, m, 4, 16)):
        ctx.actions.resolve(a.id, "网格员联系物业更换灯具")
    with ctx.acting_at(_at(ctx, y, m, 5, 15)):
        ctx.actions.add_case(NAME, YG, "低保政策咨询", channel="hall", category="min_living",
                             fields={"on_the_spot": True})
    with ctx.acting_at(_at(ctx, y, m, 6, 20)):
        ctx.actions.add_case(NAME, W1, "空巢老人一键呼叫：身体不适", channel="caller", category="care",
                             fields={"resident": RESIDENTS[0][0]})
    with ctx.acting_at(_at(ctx, y, m, 7, 9)):
        ctx.actions.escalate(b.id, "网格3日内未化解，提交社区网格管理中心")
    with ctx.acting_at(_at(ctx, y, m, 9, 11)):
        ctx.actions.resolve(b.id, "社区人民调解中心调解成功")
    with ctx.acting_at(_at(ctx, y, m, 28, 16)):
        money = service.record_revenue(ctx, YG, "阳光服务站", period, "8650.50")
        for pid, level in (("zh-w1", "junior_college"), ("zh-w2", "bachelor"), ("zh-w3", "junior_college"),
                           ("zh-w4", "secondary")):
            service.record_education(ctx, pid, level)
    grids = staffing.check(ctx, SUB)
    return (f"{NAME} 杨和街道：网格 {len(grids)} 个（“4+4+1+6”达标 {sum(g['complete'] for g in grids)} 个），"
            f"人口库录入 {len(RESIDENTS)} 人（重复录入被拒 {refused} 次），{period}-03 至 06 受理事项 4 件，"
            f"盈利返还社区 {money['returned_fen'] / 100:.2f} 元")
