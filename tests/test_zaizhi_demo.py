"""zaizhi's ``county_demo`` on the demo county (only zaizhi enabled), October 2024 — National
Day holiday 10-01..07, Saturday 10-12 a make-up working day — with every instant, tier and
figure worked out by hand from plugins/contrib/zaizhi/demo.py:

* working days from the 2nd: 10-08, 09, 10, 11, 12 (Sat, 调休) …: cadre yyl-m1 visits on the
  first four (08 宝林三村, 09 友谊新村, 10 宝林三村, 11 友谊新村, 10:00), yyl-m2 on the first three
  (15:00) → 4 and 3 visits: the quota of 4 (L389) met by one cadre of two;
* the first non-working day from the 2nd is 10-02 (holiday): yyl-m3's volunteer service there
  at 10:00 is “8小时外”; yyl-m4's at Sat 10-12 19:00 too (a working day, after 17:00);
* Q4's study day is 10-10 (L389), held; group days 11-15 and 12-15;
* request A (post 1, 家电维修, service day 5) taken in Thu 10-03 10:00 → due Sat 10-05 23:59:59,
  served and resolved 10-05 19:00; B at the forum Tue 10-08 19:30 → 7 calendar days → Tue 10-15
  23:59:59, answered 10-12; C relayed by yyl-m2 Thu 10-10 09:00 → Thu 10-17 23:59:59, open,
  escalated by the sweep of 10-18 00:30 to the subdistrict → 10 working days: 10-21..25, 28..31,
  11-01 → Fri 11-01 23:59:59.
"""

import datetime as dt

import pytest

from framework.testing import demo_county


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_county(tmp_path_factory.mktemp("zaizhi-demo") / "county.db", "zaizhi", "2024-10",
                       now="2024-11-05T09:00", titles=["小区路灯不亮"])


def test_the_demo_month(demo):
    county, line = demo
    assert line == ("zaizhi 友谊路街道：在职党员 4 名（机关干部 2 名：下居民区 4 次、3 次），服务岗位 3 个（认领 2、服务 2），"
                    "固定活动日开展 1 次，座谈会 1 次，诉求 3 件（答复 2），表彰 1 名，一居一特品牌 楼中情")
    cases = county.list_cases(method="zaizhi")
    assert [(c.title, c.unit, c.level, c.handler, c.status, c.due_at.isoformat()) for c in cases] == [
        ("家里洗衣机不转", "demo.yyl.bl3", "area", "yyl-m3", "resolved", "2024-10-05T23:59:59+08:00"),
        ("小区路灯不亮", "demo.yyl.bl3", "area", "yyl-bl3-01", "resolved", "2024-10-15T23:59:59+08:00"),
        ("楼道堆物影响通行", "demo.yyl.yx", "area", "yyl-yx-01", "assigned", "2024-10-17T23:59:59+08:00")]
    visits = county.store.query("select person, unit, at from zaizhi_activities where kind = 'visit' order by id")
    assert [(v["person"], v["unit"], v["at"][:16]) for v in visits] == [
        ("yyl-m1", "demo.yyl.bl3", "2024-10-08T10:00"), ("yyl-m1", "demo.yyl.yx", "2024-10-09T10:00"),
        ("yyl-m1", "demo.yyl.bl3", "2024-10-10T10:00"), ("yyl-m1", "demo.yyl.yx", "2024-10-11T10:00"),
        ("yyl-m2", "demo.yyl.yx", "2024-10-08T15:00"), ("yyl-m2", "demo.yyl.yx", "2024-10-09T15:00"),
        ("yyl-m2", "demo.yyl.yx", "2024-10-10T15:00")]
    vol = county.store.query("select person, at from zaizhi_activities where kind = 'volunteer' order by id")
    assert [(v["person"], v["at"][:16]) for v in vol] == [("yyl-m3", "2024-10-02T10:00"),
                                                          ("yyl-m4", "2024-10-12T19:00")]


def test_the_demo_figures_and_duties(demo):
    county, _ = demo
    got = {m.metric: (m.numerator, m.denominator) if m.denominator is not None else m.value
           for m in county.appraise("2024-10", "demo.yyl") if m.method == "zaizhi" and m.subject == "demo.yyl"}
    want = {"members_registered": 4, "member_grouped_rate": (4, 4), "post_claim_rate": (2, 3), "forums": 1,
                   "forum_answer_rate": (1, 1), "commendations": 1, "volunteer_person_times": 4,
                   "visit_quota_rate": (1, 2), "schedule_held_rate": (1, 1), "post_service_rate": (2, 2),
                   "zone_visit_coverage": (1, 2), "brand_coverage": (1, 2),
            # the kernel's: A and B on time; C, open at its area, was due 10-17 23:59:59: late at 11-05
            "resolution_rate": (2, 3), "on_time_rate": (2, 3)}
    assert {k: got[k] for k in want} == want
    month_end = [(d.kind, d.subject, d.done) for d in county.duties(dt.date(2024, 10, 31), "demo.yyl")
                 if d.method == "zaizhi"]
    assert month_end == [("monthly_visits", "yyl-m1", True), ("monthly_visits", "yyl-m2", False)]
    study = [(d.kind, d.unit, d.done) for d in county.duties(dt.date(2024, 10, 10), "demo.yyl")]
    assert study == [("study", "demo.yyl", True)]


def test_the_open_request_goes_to_the_subdistrict(demo):
    county, _ = demo
    county.clock.fixed = county.clock.fixed.replace(year=2024, month=10, day=18, hour=0, minute=30)
    county.sweep()
    c = county.list_cases(method="zaizhi")[2]
    assert (c.level, c.unit, c.handler, c.due_at.isoformat()) == (
        "subdistrict", "demo.yyl", "yyl-01", "2024-11-01T23:59:59+08:00")
