"""shequ365's month for ``county demo`` (``county_demo``): 和平社区 of 城关街道.

The same data, times and outcome as the CLI seeding it replaces (``framework/demo`` before
plugins had ``county_demo``): two social workers (members), their two grids, six households
linked to them, the month's visits (one household never visited: missed) with two cases
raised, two patrols a day per grid with a fixed few missed, the first case resolved, and the
month-end two-committee joint meeting passing two items and that case. Everything goes
through :mod:`plugins.shequ365.service` and ``ctx.actions`` at the step's instant
(``ctx.acting_at``). The units and people (``demo.cg.hp``, its grid units, ``cg-hp-01`` the
community leader, ``cg-hp-g1``/``cg-hp-g2`` the grid workers) are the demo county's own.
"""

from __future__ import annotations

import datetime as dt

from plugins.shequ365 import service

#: The community and its two grids (grid codes = the demo county's grid unit codes).
COMMUNITY = "demo.cg.hp"
GRIDS = (("demo.cg.hp.g1", "和平社区第一网格", "cg-hp-g1"), ("demo.cg.hp.g2", "和平社区第二网格", "cg-hp-g2"))
#: Social workers: id, name, line of business (管线).
MEMBERS = (("cg-hp-g1", "孙某", "民政"), ("cg-hp-g2", "钱某", "综治"))
#: Households: id, grid, address, head, 五问 kind, linked worker. Heads and addresses are made up.
HOUSEHOLDS = (("hp-101", "demo.cg.hp.g1", "和平路1号101", "住户甲", "elderly_alone", "cg-hp-g1"),
              ("hp-102", "demo.cg.hp.g1", "和平路1号102", "住户乙", "", "cg-hp-g1"),
              ("hp-103", "demo.cg.hp.g1", "和平路3号201", "住户丙", "needy", "cg-hp-g1"),
              ("hp-201", "demo.cg.hp.g2", "新华街8号101", "住户丁", "retiree", "cg-hp-g2"),
              ("hp-202", "demo.cg.hp.g2", "新华街8号302", "住户戊", "unemployed", "cg-hp-g2"),
              ("hp-203", "demo.cg.hp.g2", "新华街10号102", "住户己", "", "cg-hp-g2"))
#: A made-up phone on every household, to show that no board prints it (masking).
DEMO_PHONE = "13907450123"
#: Day of the month each household is visited; hp-203 is not visited (a missed visit).
VISITS = {"hp-101": 3, "hp-102": 5, "hp-103": 10, "hp-201": 4, "hp-202": 12}
#: Cases raised on a visit: household -> (title, category, extra fields with {ym} for YYYY-MM).
ISSUES = {"hp-101": ("楼道声控灯损坏", "repair", {}),
          "hp-202": ("失业人员再就业培训申请", "employment", {"committed_date": "{ym}-20"})}
PATROL_TIMES = (("morning", "07:30"), ("evening", "19:30"))
JOINT_ITEMS = ("冬季消防安全检查安排", "困难家庭春节慰问名单")


def patrol_missed(day: int, grid: str, shift: str) -> bool:
    """The fixed few patrols the demo leaves out: (day × 7 + len(shift) + 3 for grid 2) % 9 == 0."""
    return (day * 7 + len(shift) + (grid[-1] == "2") * 3) % 9 == 0


def seed(ctx, period: str, titles: list[str] | None = None) -> str:
    """Seed 和平社区's ``period`` (``YYYY-MM``, deployment-local) on the demo county (``titles``
    are not used: every matter here is a household's). Returns the summary line, e.g.
    ``"shequ365 和平社区：联系户 6 户，已走访 5 户，一日两巡 112/124 次，事项 2 件"``."""
    y, m = (int(x) for x in period.split("-"))
    ym = f"{y:04d}-{m:02d}"
    first = dt.date(y, m, 1)
    last = ((first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)).day
    tz = ctx.calendar.tz

    def at(day: int, hm: str = "09:00") -> dt.datetime:
        h, mi = (int(x) for x in hm.split(":"))
        return dt.datetime(y, m, day, h, mi, tzinfo=tz)

    created = f"{ym}-01"
    with ctx.acting_at(at(1, "08:00")):
        service.import_members(ctx, [
            {"id": pid, "name": name, "kind": "social_worker", "community": COMMUNITY, "line": line,
             "created_at": created} for pid, name, line in MEMBERS], "demo members")
        service.import_grids(ctx, [
            {"code": code, "name": name, "community": COMMUNITY, "worker": worker, "planned_households": "250",
             "created_at": created} for code, name, worker in GRIDS], "demo grids")
        service.import_households(ctx, [
            {"id": h, "grid": g, "address": a, "head": head, "phone": DEMO_PHONE, "kinds": k, "worker": w,
             "moved_in": "", "created_at": created} for h, g, a, head, k, w in HOUSEHOLDS], "demo households")
    worker_of = {h: w for h, *_, w in HOUSEHOLDS}
    cases = []
    for h, day in VISITS.items():
        title, category, fields = ISSUES.get(h, (None, None, {}))
        with ctx.acting_at(at(day, "10:00")):
            res = service.record_visit(ctx, h, worker_of[h], note="每月联户走访", issue=title, category=category,
                                       fields={k: v.format(ym=ym) for k, v in fields.items()} if title else None)
        if res["case"] is not None:
            cases.append(res["case"].id)
    patrols = 0
    for day in range(1, last + 1):
        for grid, _, worker in GRIDS:
            for shift, hm in PATROL_TIMES:
                if patrol_missed(day, grid, shift):
                    continue
                with ctx.acting_at(at(day, hm)):
                    service.record_patrol(ctx, grid, shift, worker)
                patrols += 1
    with ctx.acting_at(at(4, "15:00")):
        ctx.actions.resolve(cases[0], "已更换声控灯")
    with ctx.acting_at(at(last, "16:00")):
        service.record_meeting(ctx, COMMUNITY, "joint", items=JOINT_ITEMS, case_ids=[cases[0]])
    due = 2 * len(GRIDS) * last
    return (f"shequ365 和平社区：联系户 {len(HOUSEHOLDS)} 户，已走访 {len(VISITS)} 户，"
            f"一日两巡 {patrols}/{due} 次，事项 {len(cases)} 件")
