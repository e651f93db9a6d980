"""A tier the sweep pushes up for a missed milestone missed its primary limit too (found by a
fresh plugin author: a 12345-style method whose ``reply`` limit escalates before its primary
``settle`` is due counted the tier as on time, 3/3, after two of its cases were pushed up).

One method ``relay`` defined here (tiers: village, township). At the village, from the arrival:
``reply`` after 24 hours (escalate to the township, not primary) and ``settle`` after 5
calendar days (flag, primary). At the township ``settle`` after 3 calendar days (flag,
primary). Cases taken in 2024-03-01 10:00: ``reply`` due 2024-03-02 10:00, the village's
``settle`` 2024-03-06 23:59:59. A case titled 缺 makes the township's deadline hook raise a
:class:`CountyError` on purpose (the plugin's own message, e.g. a unit the deployment lacks).

Also found by that author, on the sweep's failures: a CountyError raised on purpose by a hook
was recorded as plugin ``kernel``, hook ``sweep``; and the same sweep run again wrote the same
``sweep_failed`` event again.
"""

import datetime as dt
import types

import pytest
from deployments import three_levels

from framework import hookimpl
from framework.errors import CountyError
from framework.kernel.audit import verify
from framework.kernel.registry import Registry
from framework.models import Deadline, MethodInfo, Milestone, Tier
from framework.publish.appraisal import common_metrics


def relay_plugin():
    mod = types.ModuleType("test_sweep_forced_tier_relay")

    @hookimpl
    def county_method():
        return MethodInfo(name="relay", title_zh="接力", title="relay", source_county="测试县", source_lines="L0",
                          stages=("deadline",),
                          tiers=[Tier("village", "村", "village"), Tier("township", "镇", "township")])

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        if level == "village":
            return Deadline([Milestone("reply", ctx.calendar.hours(arrived_at, 24), "escalate", "township", False),
                             Milestone("settle", ctx.calendar.calendar_days(arrived_at, 5), "flag", None, True)])
        if "缺" in case.title:
            raise CountyError("[plugins.relay] no 12345 centre unit in this deployment")
        return Deadline([Milestone("settle", ctx.calendar.calendar_days(arrived_at, 3), "flag", None, True)])

    mod.county_method, mod.county_deadline = county_method, county_deadline
    return mod


@pytest.fixture
def county(make_county):
    c = make_county(three_levels(["relay"]), now="2024-03-01T10:00",
                    registry=Registry(extra_plugins={"relay": relay_plugin()}, entry_points=False))
    for title in ("路灯", "水渠", "电线"):
        c.add_case("relay", "cs.t1.v1", title)
    return c


def village(c, case_id):
    return [tuple(r.values()) for r in c.store.query(
        "select name, state, closed_at from milestones where case_id = ? and level = 'village' order by id", [case_id])]


def tier_rate(c, level):
    [m] = [m for m in common_metrics(c, "2024-03") if m.metric == "tier_on_time_rate" and m.tier == level
           and m.subject == "cs"]
    return m.numerator, m.denominator


def test_a_case_pushed_up_for_a_missed_reply_missed_the_tiers_primary_limit(county):
    c = county
    c.clock.fixed = dt.datetime(2024, 3, 1, 12, 0)  # cs-000003 moved up by the operator in time
    c.escalate("cs-000003", "村里解决不了")
    c.clock.fixed = dt.datetime(2024, 3, 2, 11, 0)  # reply due 10:00 passed for the other two
    acts = c.sweep()
    assert [(a["case"], a["milestone"], a["action"], a["to"]) for a in acts] == [
        ("cs-000001", "reply", "escalate", "township"), ("cs-000002", "reply", "escalate", "township")]
    swept = [("reply", "missed", "2024-03-02T11:00:00+08:00"), ("settle", "missed", "2024-03-02T11:00:00+08:00")]
    assert village(c, "cs-000001") == village(c, "cs-000002") == swept
    assert village(c, "cs-000003") == [("reply", "met", "2024-03-01T12:00:00+08:00"),
                                       ("settle", "met", "2024-03-01T12:00:00+08:00")]
    counts = dict(c.store.db.execute("select id, overdue_count from cases").fetchall())
    assert counts == {"cs-000001": 2, "cs-000002": 2, "cs-000003": 0}
    assert tier_rate(c, "village") == (1, 3)  # the operator's move in time; the two pushed up missed
    assert verify(c.store) == []
    assert c.sweep() == []  # the same now again: nothing more


def test_a_county_error_a_hook_raises_in_the_sweep_names_the_plugin_and_is_recorded_once(make_county):
    c = make_county(three_levels(["relay"]), now="2024-03-01T10:00",
                    registry=Registry(extra_plugins={"relay": relay_plugin()}, entry_points=False))
    c.add_case("relay", "cs.t1.v1", "缺中心")
    c.clock.fixed = dt.datetime(2024, 3, 2, 11, 0)
    failure = {"case": "cs-000001", "milestone": "reply", "plugin": "relay", "hook": "county_deadline",
               "error": "CountyError: [plugins.relay] no 12345 centre unit in this deployment"}
    for _ in range(3):  # the same now three times: reported each time, recorded once
        c.sweep_failures = []
        assert c.sweep() == [] and c.sweep_failures == [failure]
    failed = c.store.query("select at, note from events where case_id = 'cs-000001' and type = 'sweep_failed'")
    assert failed == [{"at": "2024-03-02T11:00:00+08:00",
                       "note": "插件 'relay' 在 county_deadline 中出错：CountyError: [plugins.relay] no 12345 centre "
                               "unit in this deployment"}]
    c.clock.fixed = dt.datetime(2024, 3, 2, 12, 0)  # a later sweep tries again and records its own failure
    c.sweep_failures = []
    c.sweep()
    assert len(c.store.query("select id from events where case_id = 'cs-000001' and type = 'sweep_failed'")) == 2
    assert verify(c.store) == []
