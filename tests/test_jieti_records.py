"""jieti's own records (casebook L298, L302, L306) on the sample deployment, through the
plugin's service functions and the CLI: the four selection bodies' meeting duties (weekly,
half-monthly, monthly, quarterly), the monthly inspection and liaison reports, the meeting and
inspection rates, the slogan's shares (小事不出村、大事不出乡), the annual quotas, the zone-holding
check and the board. Counts and rates are worked out by hand in the comments."""

import datetime as dt
from pathlib import Path

import pytest

import plugins.contrib.jieti
from framework import CountyError, Requester
from plugins.contrib.jieti import appraisal, duties, publicity, service, zones

TOML = (Path(plugins.contrib.jieti.__file__).parent / "data" / "mojiang.toml").read_text(encoding="utf-8")
ZONES = [("bx-g1", "group", "mj.lz.bx.g1", "st1", None), ("bx-g2", "group", "mj.lz.bx.g2", "st2", None),
         ("bx", "village", "mj.lz.bx", "zjj", "mj.zjj"), ("lz", "township", "mj.lz", "cl", None),
         ("xh", "village", "mj.lz.xh", "lzld", "mj.jtj")]


def at(ctx, text):
    return ctx.acting_at(dt.datetime.fromisoformat(text))


@pytest.fixture
def ctx(make_county):
    county = make_county(TOML, now="2024-11-01T09:00")
    ctx = county.ctx("jieti")
    with at(ctx, "2024-10-01T08:00"):
        for zid, kind, unit, leader, paired in ZONES:
            zones.add_zone(ctx, zid, kind, unit, leader, paired=paired)
    return ctx


def october(ctx):
    """The selection bodies' October 2024, the inspection and the liaison report."""
    for d in (6, 13, 20, 27):
        with at(ctx, f"2024-10-{d:02d}T19:00"):
            service.record_meeting(ctx, "group", "mj.lz.bx.g1", f"2024-10-{d:02d}")
            if d in (13, 27):
                service.record_meeting(ctx, "group", "mj.lz.bx.g2", f"2024-10-{d:02d}")
    with at(ctx, "2024-10-15T20:00"):
        service.record_meeting(ctx, "village", "mj.lz.bx", "2024-10-15")
    with at(ctx, "2024-10-25T15:00"):
        service.record_meeting(ctx, "township", "mj.lz", "2024-10-25")
    with at(ctx, "2024-10-31T17:00"):
        service.record_inspection(ctx, "2024-10")
        service.record_liaison_report(ctx, "mj.lz", "monthly", "2024-10", "县住建局")


def test_meeting_duties_by_cadence(ctx):
    october(ctx)
    assert duties.county_duties(ctx, None, dt.date(2024, 9, 29)) == []      # before jieti was in use
    got = duties.county_duties(ctx, None, dt.date(2024, 10, 6))             # a Sunday: weekly group meetings
    assert [(d.unit, d.kind, d.done, d.subject) for d in got] == [
        ("mj.lz.bx.g1", "meeting_group", True, "2024-W40"), ("mj.lz.bx.g2", "meeting_group", False, "2024-W40"),
        ("mj.lz.xh.g1", "meeting_group", False, "2024-W40")]
    assert duties.county_duties(ctx, None, dt.date(2024, 10, 7)) == []      # a Monday: nothing due
    got = duties.county_duties(ctx, None, dt.date(2024, 10, 15))            # the first half-month
    assert [(d.unit, d.kind, d.done, d.subject) for d in got] == [
        ("mj.lz.bx", "meeting_village", True, "2024-10上半月"), ("mj.lz.xh", "meeting_village", False, "2024-10上半月"),
        ("mj.tg.sj", "meeting_village", False, "2024-10上半月")]
    got = duties.county_duties(ctx, None, dt.date(2024, 10, 31))
    assert [(d.unit, d.kind, d.done) for d in got] == [
        ("mj.lz.bx", "meeting_village", False), ("mj.lz.xh", "meeting_village", False),
        ("mj.tg.sj", "meeting_village", False), ("mj.lz", "meeting_township", True),
        ("mj.tg", "meeting_township", False), ("mj", "inspection", True),
        ("mj.lz", "liaison_monthly", True), ("mj.tg", "liaison_monthly", False)]
    got = duties.county_duties(ctx, None, dt.date(2024, 12, 31))            # a quarter's end, a Tuesday
    kinds = [d.kind for d in got]
    assert kinds.count("meeting_county") == 1 and kinds.count("liaison_quarterly") == 2
    # the year's quotas (L306): days for cl, zjj, lzld, st1, st2, ofc; deeds for all but ofc
    assert (kinds.count("quota_days"), kinds.count("quota_deeds"), len(got)) == (6, 5, 22)
    assert not any(d.done for d in got)


def test_duties_through_the_cli(ctx, county_cli):
    october(ctx)
    r = county_cli("duties", "--date", "2024-10-31", "--unit", "mj.tg", "--now", "2024-11-01T09:00", "--json").data
    rows = r if isinstance(r, list) else r["duties"]
    assert sorted((d["kind"], d["done"]) for d in rows if d["method"] == "jieti") == [
        ("liaison_monthly", False), ("meeting_township", False), ("meeting_village", False)]


def test_meeting_and_inspection_rates(ctx):
    october(ctx)
    m = {x.metric: x for x in appraisal.cadence_metrics(ctx, "mj", "2024-10")}
    # 4 Sundays x 3 groups = 12 due; bx.g1 4 + bx.g2 2 held
    assert (m["meeting_rate_group"].numerator, m["meeting_rate_group"].denominator) == (6, 12)
    # the 15th and the 31st x 3 villages = 6 due; 碧溪村 on the 15th
    assert (m["meeting_rate_village"].numerator, m["meeting_rate_village"].denominator) == (1, 6)
    assert (m["meeting_rate_township"].numerator, m["meeting_rate_township"].denominator) == (1, 2)
    assert (m["meeting_rate_county"].denominator, m["meeting_rate_county"].value) == (0, None)
    assert m["inspection_rate"].value == 1.0
    # the half-year 2024H2 holds the same occurrences: jieti began 10-01, today is 11-01
    h2 = {x.metric: (x.numerator, x.denominator) for x in appraisal.cadence_metrics(ctx, "mj", "2024H2")}
    assert (h2["meeting_rate_group"], h2["meeting_rate_village"], h2["inspection_rate"]) == ((6, 12), (1, 6), (1, 1))
    m = {x.metric: x for x in appraisal.cadence_metrics(ctx, "mj.lz", "2024-10")}
    assert (m["meeting_rate_village"].numerator, m["meeting_rate_village"].denominator) == (1, 4)
    assert (m["meeting_rate_township"].numerator, m["meeting_rate_township"].denominator) == (1, 1)
    assert m["inspection_rate"].denominator == 0
    # on 10-31 itself the month's second village meeting (due 10-31) and October's inspection are
    # not owed yet — a duty due on D is owed once D is over (conventions §8): 3 due, 碧溪村's held
    with at(ctx, "2024-10-31T20:00"):
        d31 = {x.metric: (x.numerator, x.denominator) for x in appraisal.cadence_metrics(ctx, "mj", "2024-10")}
    assert (d31["meeting_rate_village"], d31["inspection_rate"]) == ((1, 3), (0, 0))
    with at(ctx, "2024-11-02T09:00"), pytest.raises(CountyError, match="inspected already"):
        service.record_inspection(ctx, "2024-10")
    with at(ctx, "2024-10-31T09:00"), pytest.raises(CountyError, match="村级民情遴选机构 sits at a village/community, not a group"):
        service.record_meeting(ctx, "village", "mj.lz.bx.g1", "2024-10-31")


def add(ctx, when, unit, title, **fields):
    with at(ctx, when):
        return ctx.actions.add_case("jieti", unit, title, requester=Requester("王大山", "13812345678"),
                                    fields=fields).id


def test_slogan_shares_and_the_climb(ctx):
    a = add(ctx, "2024-10-08T09:00", "mj.lz.bx.g1", "房屋漏雨", scope="household")
    b = add(ctx, "2024-10-08T09:00", "mj.lz.bx.g2", "组道塌方")
    c = add(ctx, "2024-10-08T09:00", "mj.lz.bx.g1", "低保申请", households=1)
    d = add(ctx, "2024-10-08T09:00", "mj.lz", "镇区排水")
    e = add(ctx, "2024-10-08T09:00", "mj", "全县饮水安全", scope="county")
    f = add(ctx, "2024-10-08T09:00", "mj.lz.bx", "村道硬化")
    with at(ctx, "2024-10-09T10:00"):
        ctx.actions.resolve(a, "已修缮")
        service.report_up(ctx, f, "超出部门权限")
    with at(ctx, "2024-10-10T10:00"):
        ctx.actions.resolve(b, "已清理")
        service.feasibility(ctx, e, "可行")
    with at(ctx, "2024-10-16T09:00"):                 # c's 7 days ended 10-15: up to the group
        assert [(s["case"], s["to"]) for s in ctx.actions.sweep()] == [(c, "group")]
    with at(ctx, "2024-10-17T10:00"):
        ctx.actions.resolve(c, "已纳入低保")
    with at(ctx, "2024-10-20T10:00"):
        ctx.actions.resolve(d, "已疏通")
    with at(ctx, "2024-10-30T10:00"):
        ctx.actions.resolve(e, "县委、政府研究决定实施")
    m = {x.metric: x for x in appraisal.ladder_metrics(ctx, "mj", "2024-10")}
    # resolved: a (household), b (group), c (group), d (township), e (county_leadership)
    assert (m["settled_in_village_rate"].numerator, m["settled_in_village_rate"].denominator) == (3, 5)
    assert (m["settled_in_township_rate"].numerator, m["settled_in_township_rate"].denominator) == (4, 5)
    assert (m["climbed_rate"].numerator, m["climbed_rate"].denominator) == (2, 5)   # c and e
    assert m["reported_up"].value == 1
    m = {x.metric: x for x in appraisal.ladder_metrics(ctx, "mj.lz.bx", "2024-10")}
    assert (m["settled_in_village_rate"].numerator, m["settled_in_village_rate"].denominator) == (3, 3)
    # the county board: the village matter was listed with 县住建局 before it went up; requesters masked
    boards = publicity.county_publicity(
        ctx, ctx.unit("mj"), "2024-10", lambda: ctx.cases.find(method="jieti", unit="mj", active="2024-10"))
    rows = {r["case_id"]: r for r in boards[0].sections[0].rows}
    assert rows[a]["joint"] == "勤务员李某" and rows[a]["tier"] == "农户"
    assert rows[f]["tier"] == "县委、政府" and rows[f]["scope"] == "一个村或一个村多个村民小组的事项"
    assert [s.title for s in boards[0].sections] == ["本期民情事项（阶梯式解决）", "民情联席会议",
                                                      "县级领导干部定点定时坐班接待", "督查通报（一月一督查、一汇总、一通报）"]


def test_annual_quotas(ctx):
    logs = [("cl", "grassroots_days", 20), ("cl", "grassroots_days", 10), ("cl", "deed", 1), ("cl", "deed", 1),
            ("zjj", "grassroots_days", 29), ("zjj", "deed", 1), ("zjj", "deed", 1), ("zjj", "deed", 1),
            ("lzld", "grassroots_days", 30), ("lzld", "grassroots_days", 30), ("lzld", "grassroots_days", 30),
            ("st1", "grassroots_days", 31), ("st1", "grassroots_days", 14), ("st1", "deed", 1)]
    with at(ctx, "2024-12-20T10:00"):
        for person, kind, n in logs:
            service.log_quota(ctx, person, kind, n, "2024-12-20")
    with at(ctx, "2025-01-02T10:00"):
        service.log_quota(ctx, "st2", "grassroots_days", 20, "2025-01-02")        # next year's
    with at(ctx, "2025-01-05T10:00"):
        status = {r["person"]: r for r in service.quota_status(ctx, "2024")}
        metrics = appraisal.quota_metrics(ctx, "mj", "2024")
        assert appraisal.quota_metrics(ctx, "mj", "2024-10") == []
    assert set(status) == {"cl", "zjj", "lzld", "st1", "st2", "ofc"}             # sv1 sits in a group, ins no servant
    assert (status["cl"]["days"], status["cl"]["days_required"], status["cl"]["days_met"]) == (30, 30, True)
    assert (status["cl"]["deeds"], status["cl"]["deeds_required"], status["cl"]["deeds_met"]) == (2, 3, False)
    assert (status["zjj"]["days_met"], status["zjj"]["deeds_met"]) == (False, True)
    assert (status["lzld"]["days"], status["lzld"]["days_required"], status["lzld"]["days_met"]) == (90, 90, True)
    assert (status["st1"]["days"], status["st1"]["days_required"], status["st1"]["deeds_met"]) == (45, 90, True)
    assert (status["ofc"]["days_met"], status["ofc"]["deeds_required"]) == (False, None)
    m = {x.metric: x for x in metrics if x.subject == "mj"}
    assert (m["grassroots_quota_rate"].numerator, m["grassroots_quota_rate"].denominator) == (2, 6)   # cl, lzld
    assert (m["deeds_quota_rate"].numerator, m["deeds_quota_rate"].denominator) == (2, 5)             # zjj, st1
    with at(ctx, "2024-12-20T10:00"), pytest.raises(CountyError, match="--days 40"):
        service.log_quota(ctx, "st1", "grassroots_days", 40)


def test_zone_holding_check(ctx, county_cli):
    found = zones.check(ctx)
    assert [(f["finding"], f["subject"]) for f in found] == [
        ("no_zone", "mj.lz.xh.g1"), ("no_zone", "mj.tg"), ("no_zone", "mj.tg.sj"),
        ("holding", "cl"), ("holding", "lzld"), ("area_contact", "st1"), ("area_contact", "st2"),
        ("holding", "zjj")]
    details = {f["subject"]: f["detail"] for f in found if f["finding"] == "holding"}
    assert details["cl"] == "段某（县级领导干部）负责：县级部门责任区 0/1"
    assert details["lzld"] == "白某（乡（镇）党政领导班子成员）负责：乡（镇）责任区 0/1"
    with at(ctx, "2024-10-02T09:00"):
        zones.add_zone(ctx, "zjj-d", "county_department", "mj.zjj", "cl")
        zones.add_zone(ctx, "jtj", "county", "mj.jtj", "zjj")
        zones.add_zone(ctx, "tg", "township", "mj.tg", "lzld")
        zones.add_contacts(ctx, "st1", ["bx-g1", "bx-g2"])
    found = zones.check(ctx)
    assert sorted((f["finding"], f["subject"]) for f in found) == [
        ("area_contact", "st1"), ("area_contact", "st2"), ("no_zone", "mj.lz.xh.g1"), ("no_zone", "mj.tg.sj")]
    r = county_cli("jieti", "zone", "check", "--unit", "mj.lz", "--now", "2024-10-03", ok=1)
    assert r.stderr == "error: 责任区检查：3 处缺口（村村都有责任区、区区都有责任人, L298）\n"
    assert r.stdout == ("mj.lz.xh.g1\t新华村一组没有村民小组级责任区（村村都有责任区）\n"
                        "st1\t普某分片联系2个组级责任区（应为3—5个）\nst2\t龙某分片联系0个组级责任区（应为3—5个）\n")
    assert county_cli("jieti", "zone", "check", "--unit", "mj.lz.bx", "--now", "2024-10-03").stdout == "责任区无缺口\n"
