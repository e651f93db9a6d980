"""sanzhuanbian's month in `county demo` (``county_demo``): the contact network of two county
departments' cadres in 富兴镇, their visits, three problems through the three ledgers, a
strike-off, 四比一测评 ballots and two village teams' satisfaction rounds. Fixed data: the same
period gives the same rows."""

from __future__ import annotations

import datetime as dt

from framework import parse_month

from . import ledger, network, rating
from .rules import NAME

PEOPLE = [
    {"id": "szb-zjj-1", "name": "马某", "unit": "demo.zjj", "roles": "contact_cadre"},
    {"id": "szb-rsj-1", "name": "韩某", "unit": "demo.rsj", "roles": "contact_cadre;agency_party_cadre"},
    {"id": "szb-sup-1", "name": "白某", "unit": "demo", "roles": "supervisor"},
]
HOUSEHOLDS = [("szb-sq-01", "demo.fx.sq", "一组3号", ("needy",)), ("szb-sq-02", "demo.fx.sq", "一组8号", ("petitioner",)),
              ("szb-sq-03", "demo.fx.sq", "二组5号", ()), ("szb-llg-01", "demo.fx.llg", "三社2号", ("key_person",)),
              ("szb-hp-01", "demo.cg.hp", "3栋201", ())]
LINKS = [("szb-zjj-1", "szb-sq-01", "contact"), ("szb-zjj-1", "szb-sq-02", "contact"),
         ("szb-zjj-1", "szb-sq-03", "contact"), ("szb-rsj-1", "szb-llg-01", "mutual_aid"),
         ("szb-rsj-1", "szb-hp-01", "mutual_aid")]
DEFAULT_TITLES = ["低保户住房漏雨", "宅基地边界纠纷", "灌溉渠堵塞"]
BALLOTS = [("masses", "good", "good", "fair", "good", "good", "satisfied"),
           ("masses", "good", "good", "good", "fair", "fair", "satisfied"),
           ("masses", "fair", "good", "average", "average", "average", "basically"),
           ("party_org", "good", "good", "good", "good", "good", "satisfied")]


def seed(ctx, period, titles):
    """The month ``period`` (``YYYY-MM``) on the demo county: on the 1st the network (three
    made-up people, two pairings, five households, five links); on the 3rd 马某 visits 一组3号
    (困难户) and two problems come in at 石泉村 (a heavy and urgent one limited to +5d, a dispute
    with the default 15 days); on the 7th the first is resolved, on the 9th struck off by 白某;
    on the 10th the dispute is deferred with its explanation, new limit the 25th; on the 12th a
    problem at 柳林沟村 (default limit); on the 20th four ballots on 马某 and the two villages'
    team rounds (石泉村 46/50 reaches 80%, 柳林沟村 38/50 does not). 韩某 never visits his key
    person, so his visit day is missed. Titles are the month's real message titles when there are
    any. Returns the summary line; ``CountyError`` for a period that is not ``YYYY-MM``."""
    year, month = parse_month(period, "demo period")
    needed = {"demo.zjj", "demo.rsj", "demo", "demo.fx.sq", "demo.fx.llg", "demo.cg.hp"}
    if not needed <= set(ctx.units):
        return f"{NAME}: the demo county lacks {', '.join(sorted(needed - set(ctx.units)))}"
    tz = ctx.calendar.tz

    def at(day, hour, minute=0):
        return dt.datetime(year, month, day, hour, minute, tzinfo=tz)

    first, second, third = (list(titles) + DEFAULT_TITLES)[:3]
    with ctx.acting_at(at(1, 9)):
        ctx.actions.import_people(PEOPLE, f"{NAME} demo")
        for dept, village in (("demo.zjj", "demo.fx.sq"), ("demo.rsj", "demo.fx.llg")):
            if network.paired_department(ctx, village) is None:
                network.pair(ctx, dept, village)
        for hid, unit, label, flags in HOUSEHOLDS:
            network.add_household(ctx, hid, unit, label, flags)
        for cadre, hid, kind in LINKS:
            if network.responsible_of(ctx, hid) is None:
                network.link(ctx, cadre, hid, kind)
    with ctx.acting_at(at(3, 10)):
        network.record_visit(ctx, "szb-zjj-1", "szb-sq-01", "走访困难户")
        a = ctx.actions.add_case(NAME, "demo.fx.sq", first, channel="visit", category="hardship",
                                 fields={"household": "szb-sq-01", "limit": "+5d", "weight": "heavy",
                                         "urgency": "urgent"})
    with ctx.acting_at(at(3, 11)):
        b = ctx.actions.add_case(NAME, "demo.fx.sq", second, channel="screening", category="dispute",
                                 fields={"household": "szb-sq-02", "weight": "heavy"})
    with ctx.acting_at(at(7, 16)):
        ctx.actions.resolve(a.id, "已协调修缮")
    with ctx.acting_at(at(9, 10)):
        ledger.strike_off(ctx, a.id, "szb-sup-1", "经督办核实，予以销号")
    with ctx.acting_at(at(10, 15)):
        ledger.defer(ctx, b.id, "需待县自然资源局重新测量，已向双方说明", dt.date(year, month, 25))
    with ctx.acting_at(at(12, 9)):
        c = ctx.actions.add_case(NAME, "demo.fx.llg", third, channel="visit", category="production",
                                 fields={"household": "szb-llg-01", "urgency": "urgent"})
    with ctx.acting_at(at(20, 15)):
        for rater, *grades, satisfaction in BALLOTS:
            rating.record_rating(ctx, "szb-zjj-1", rater, "demo.fx.sq",
                                 dict(zip(("feeling", "stance", "development", "contribution", "effect"), grades)),
                                 satisfaction)
        rating.record_team_rating(ctx, "demo.fx.sq", 40, 6, 4)
        rating.record_team_rating(ctx, "demo.fx.llg", 30, 8, 12)
    return (f"{NAME} 富兴镇、和平社区：5 户由 2 名干部联系负责，每月走访日 2 人中 1 人落实；问题 "
            f"{a.id}（已解决、已销号）、{b.id}（待解决，已解释）、{c.id}（需解决）；四比一测评 4 票；"
            f"“两委”班子满意度 石泉村 92%、柳林沟村 76%（2 个村中 1 个达80%以上）")
