"""yijiasi's matters through the CLI on the sample deployment (data/huaian.toml): the team's 7
calendar days, the leader's 5 working days (China's calendar with 调休), the lead (party secretary)
and the joint member (会办), triage's default area, refusals. Every instant computed by hand."""

from pathlib import Path

import pytest

TOML = Path(__file__).resolve().parents[1] / "plugins" / "contrib" / "yijiasi" / "data" / "huaian.toml"
KEYS = ("id", "level", "unit", "handler", "joint_handler", "status", "due_at")


@pytest.fixture(scope="module")
def county(county_module):
    return county_module(TOML)


def add(county, unit, title, now, *sets, category=None):
    args = ["case", "add", "--method", "yijiasi", "--unit", unit, "--title", title, "--channel", "contact"]
    if category:
        args += ["--category", category]
    for s in sets:
        args += ["--set", s]
    return county(*args, "--now", now, "--json").data


def pick(d):
    return tuple(d[k] for k in KEYS)


def test_over_national_day_2024_to_the_10_12_make_up_day(county):
    # Fri 2024-09-27 10:00: 7 calendar days 09-28 … 10-04 (holidays count as calendar days)
    a = add(county, "ha.sd.dq", "劳动合同纠纷", "2024-09-27T10:00", "service=legal_aid")
    # the community's party secretary leads (以社区党组织为主体, L449), the lawyer handles jointly
    assert pick(a) == ("ha-000001", "team", "ha.sd.dq", "dq-shu", "law-zhou", "assigned", "2024-10-04T23:59:59+08:00")
    # no category given: the default area 服务社区居民 (L453); the team recorded
    assert (a["category"], a["extra"]["team"], a["extra"]["service"]) == ("residents", "dq", "legal_aid")
    assert county("sweep", "--now", "2024-10-04T23:59:59", "--json").data["actions"] == []
    assert county("sweep", "--now", "2024-10-05T08:00", "--json").data["actions"] == [
        {"case": "ha-000001", "milestone": "close", "due_at": "2024-10-04T23:59:59+08:00", "action": "escalate",
         "from": "team", "to": "leader"}]
    # at the leader from Sat 10-05 (holiday): 10-06, 10-07 holidays; 10-08, 09, 10, 11 and the
    # make-up Saturday 10-12 are the 5 working days; the lawyer stays with it
    up = county("case", "show", "ha-000001", "--json").data
    assert pick(up) == ("ha-000001", "leader", "ha.sd.dq", "zzb-lin", "law-zhou", "escalated",
                        "2024-10-12T23:59:59+08:00")
    assert county("sweep", "--now", "2024-10-12T23:59:59", "--json").data["actions"] == []
    assert county("sweep", "--now", "2024-10-13T00:00:01", "--json").data["actions"] == [
        {"case": "ha-000001", "milestone": "close", "due_at": "2024-10-12T23:59:59+08:00", "action": "flag",
         "from": "leader", "to": "leader"}]


def test_over_a_month_end_from_a_grid(county):
    # Mon 2024-10-28 15:00 at a grid: held by its community; 7 days → Mon 11-04
    b = add(county, "ha.sd.dq.g1", "困难家庭子女课业辅导", "2024-10-28T15:00", "service=tutoring",
            category="vulnerable")
    assert pick(b) == ("ha-000002", "team", "ha.sd.dq", "dq-shu", "stu-li", "assigned", "2024-11-04T23:59:59+08:00")
    assert (b["origin_unit"], b["category"]) == ("ha.sd.dq.g1", "vulnerable")
    # a second tutoring matter goes to the other student (fewer open cases: 0 against stu-li's 1)
    c = add(county, "ha.sd.xq", "老人子女辅导", "2024-10-31T09:00", "service=tutoring")
    assert pick(c) == ("ha-000003", "team", "ha.sd.xq", "xq-shu", "stu-wang", "assigned",
                       "2024-11-07T23:59:59+08:00")
    county("sweep", "--now", "2024-11-05T00:00:01")
    # from Tue 11-05: 11-06, 07, 08, 11, 12
    assert county("case", "show", "ha-000002", "--json").data["due_at"] == "2024-11-12T23:59:59+08:00"
    county("case", "resolve", "ha-000002", "--note", "已安排每周两次辅导", "--now", "2024-11-12T16:00")
    county("case", "resolve", "ha-000003", "--note", "已辅导", "--now", "2024-11-06T16:00")


def test_spring_festival_2025_with_the_sunday_make_up_day(county):
    # Fri 2025-01-17 09:00 → 7 calendar days → Fri 01-24; the sweep of Sat 01-25 09:00 sends it up
    d = add(county, "ha.sd.xq", "社区财务公开咨询", "2025-01-17T09:00", "service=health",
            category="democracy")
    assert pick(d) == ("ha-000004", "team", "ha.sd.xq", "xq-shu", "wjw-he", "assigned", "2025-01-24T23:59:59+08:00")
    county("sweep", "--now", "2025-01-25T09:00")
    # from Sat 01-25: Sun 01-26 a make-up working day (1), Mon 01-27 (2), 01-28 … 02-04 Spring
    # Festival, 02-05 (3), 02-06 (4), 02-07 (5)
    assert county("case", "show", "ha-000004", "--json").data["due_at"] == "2025-02-07T23:59:59+08:00"


def test_a_named_member_and_refusals(county):
    e = add(county, "ha.sd.dq", "文艺演出排练场地", "2025-03-03T09:00", "service=performance", "member=wjw-he")
    assert pick(e)[3:5] == ("dq-shu", "wjw-he")
    bad = county("case", "add", "--method", "yijiasi", "--unit", "ha.sd.dq", "--title", "x", "--set",
                 "member=dq-shu", "--now", "2025-03-03T09:00", ok=2)
    assert "--set member=dq-shu: not an active member of the service team of 东区社区" in bad.stderr
    bad = county("case", "add", "--method", "yijiasi", "--unit", "ha.sd.dq", "--title", "x", "--set",
                 "service=repair", "--now", "2025-03-03T09:00", ok=2)
    assert "--set service=repair: use one of legal_aid 法律援助" in bad.stderr
    bad = county("case", "add", "--method", "yijiasi", "--unit", "ha.sd", "--title", "x",
                 "--now", "2025-03-03T09:00", ok=2)
    assert "does not apply at 水渡口街道" in bad.stderr
