"""Issue 14, "Time order": events stay in time order, naive datetimes are deployment-local,
the calendar's datetime form honours make-up days and overrides, negative counts are refused,
and an ambiguous GeoReport wall time (the repeated hour when daylight saving ends) is read by
fold=0 (docs/importing.md).

Dates by hand (conventions §2, taizhang L29: village 5 calendar days, township reply 10 days):
a case taken in at 柳林沟村 2024-02-26 10:00 is due 2024-03-02 23:59:59; the sweep at 03-03 01:00
moves it to the township (reply due 03-13 23:59:59, flag); the sweep at 03-14 01:00 flags it.
"""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from deployments import mini_zhongjiang

from framework import CountyError, Refusal, hookimpl
from framework.models import MethodInfo
from framework.timerules import Calendar

FLAGGED = "2024-03-14T01:00:00+08:00"


@pytest.fixture
def flagged(init_county):
    """A taizhang case flagged (超期督办) by the sweep at 2024-03-14 01:00 at the township."""
    run = init_county(mini_zhongjiang())
    run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯", "--category",
        "livelihood", "--now", "2024-02-26T10:00")
    assert [a["action"] for a in run("sweep", "--now", "2024-03-03T01:00", "--json").data["actions"]] == ["escalate"]
    assert [a["action"] for a in run("sweep", "--now", "2024-03-14T01:00", "--json").data["actions"]] == ["flag"]
    return run


@pytest.mark.parametrize("args", [
    ("case", "resolve", "zj-000001", "--note", "办结"),
    ("case", "escalate", "zj-000001"),
    ("case", "assign", "zj-000001", "--unit", "zj.sza"),
    ("taizhang", "reply", "zj-000001", "--note", "已答复"),  # record_event(meet="reply")
])
def test_an_action_before_the_latest_event_is_refused(flagged, args):
    r = flagged(*args, "--now", "2024-03-13T09:00", ok=1)
    assert r.stderr.strip() == (
        f"error: case zj-000001: its latest event is 'overdue' at {FLAGGED}; cannot "
        f"{ {'resolve': 'resolve', 'escalate': 'escalate', 'assign': 'assign', 'reply': 'record ' + repr('replied') + ' on'}[args[1]] } "
        f"it at 2024-03-13T09:00:00+08:00, before that (event 5; events stay in time order: use a --now at or after it, and for a late entry put the real date in the note)")
    assert flagged("case", "show", "zj-000001", "--json").data["status"] == "escalated"  # nothing written


def test_the_same_through_ctx_actions_and_the_latest_instant_is_allowed(flagged, county_db):
    from framework.kernel.county import County
    from framework.kernel.registry import Registry
    from framework.store.db import Store

    county = County(Store(str(county_db)), Registry(), now=dt.datetime(2024, 3, 13, 9, 0), actor="tester")
    ctx = county.ctx("taizhang")
    with pytest.raises(Refusal, match="latest event is 'overdue' at 2024-03-14T01:00:00"):
        ctx.actions.set_due("zj-000001", "report_up", dt.datetime(2024, 3, 20, 12, 0))
    with pytest.raises(Refusal, match="cannot record 'visited' on it"):
        ctx.actions.record_event("zj-000001", "visited")
    county.clock.fixed = dt.datetime(2024, 3, 15, 9, 0)
    with pytest.raises(Refusal, match="cannot resolve it at 2024-03-13T09:00:00"):
        ctx.actions.resolve("zj-000001", "办结", at=dt.datetime(2024, 3, 13, 9, 0))
    c = ctx.actions.resolve("zj-000001", "办结", at=dt.datetime(2024, 3, 14, 1, 0))  # the same instant: in order
    assert c.resolved_at.isoformat() == FLAGGED
    with pytest.raises(Refusal, match="cannot be confirmed earlier"):
        ctx.actions.confirm("zj-000001", "satisfied", at=dt.datetime(2024, 3, 13, 9, 0))


# -- naive datetimes: deployment-local everywhere ------------------------------------------------

SCRIPT = """
import datetime as dt, sys, tomllib, time
sys.path.insert(0, {tests!r})
from deployments import mini_zhongjiang
from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.store.db import Store
county = County.init(Store({db!r}), deployment_from_dict(tomllib.loads(mini_zhongjiang())), Registry(),
                     now=dt.datetime(2024, 3, 5, 12, 0), actor="tester")
c = county.add_case("taizhang", "zj.fx.llg", "路灯", category="livelihood", created_at=dt.datetime(2024, 3, 1, 23, 30))
print(time.tzname[0], c.created_at.isoformat(), c.due_at.isoformat(), county.calendar.hours(dt.datetime(2024, 3, 1, 23, 30), 24).isoformat())
"""


def test_a_naive_created_at_is_deployment_local_whatever_the_host_zone(tmp_path):
    """23:30 on 1 March in 中江 (+08:00) + 5 days: due 03-06 23:59:59; read in Los Angeles it
    would be 2 March 15:30 here, due 03-07. ``hours`` from the same naive instant: +24 h."""
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(tests=str(Path(__file__).parent),
                                                               db=str(tmp_path / "c.db"))],
                         env={"TZ": "America/Los_Angeles", "COUNTY_ACTOR": "tester", "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["PST", "2024-03-01T23:30:00+08:00", "2024-03-06T23:59:59+08:00", "2024-03-02T23:30:00+08:00"]


def test_calendar_datetimes_honour_make_up_days_and_overrides(monkeypatch):
    import time
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        cal = Calendar("Asia/Shanghai", extra_holidays=["2024-10-14"])
        assert cal.is_working_day(dt.datetime(2018, 4, 8, 8, 0)) is True  # Sunday, 清明 make-up day
        assert cal.is_working_day(dt.date(2018, 4, 8)) is True
        assert cal.is_working_day(dt.datetime(2024, 10, 14, 10, 0)) is False  # a Monday, overridden
        assert cal.is_working_day(dt.datetime(2024, 10, 15, 10, 0)) is True
        # an aware instant is read at its local date here: 2018-04-08 01:00 in Shanghai is Saturday 17:00 UTC
        assert cal.is_working_day(dt.datetime(2018, 4, 7, 17, 0, tzinfo=dt.UTC)) is True
        assert cal.is_working_day(dt.datetime(2018, 4, 7, 15, 0, tzinfo=dt.UTC)) is False  # 04-07 23:00 local: Saturday
        # hours from a naive start: deployment-local, not the host's (PST) zone
        assert cal.hours(dt.datetime(2024, 3, 1, 23, 30), 24).isoformat() == "2024-03-02T23:30:00+08:00"
        assert cal.working_days(dt.datetime(2024, 10, 11, 9, 0), 1).isoformat() == "2024-10-12T23:59:59+08:00"  # 调休 Saturday
        assert cal.working_days(dt.datetime(2024, 10, 12, 9, 0), 1).isoformat() == "2024-10-15T23:59:59+08:00"  # 14th overridden
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.parametrize("call, message", [
    (lambda c: c.calendar_days(dt.datetime(2024, 3, 1), -1), "calendar_days: -1 is negative"),
    (lambda c: c.working_days(dt.datetime(2024, 3, 1), -3), "working_days: -3 is negative"),
    (lambda c: c.hours(dt.datetime(2024, 3, 1), -0.5), "hours: -0.5 is negative"),
    (lambda c: c.due(dt.datetime(2024, 3, 1), -2, "days"), "calendar_days: -2 is negative"),
])
def test_a_negative_count_is_an_error(call, message):
    with pytest.raises(CountyError, match=message):
        call(Calendar())
    assert Calendar().calendar_days(dt.datetime(2024, 3, 1, 10), 0).isoformat() == "2024-03-01T23:59:59+08:00"


# -- the repeated hour when daylight saving ends (docs/importing.md) -------------------------------


class Plain:
    """A plain service desk (no tiers, no categories) for GeoReport rows."""

    @hookimpl
    def county_method(self):
        return MethodInfo(name="plain", title_zh="受理", title="plain desk", source_county="test", source_lines="-")


def test_a_georeport_row_in_the_repeated_hour_is_read_in_order(tmp_path):
    """2010-11-07, America/Los_Angeles: 01:00–02:00 happens twice (PDT -07:00, then PST -08:00).
    Created 01:30 (first occurrence: 08:30 UTC), updated 01:10 — the first occurrence (08:10 UTC)
    would be before the arrival, the second (09:10 UTC) is not: it is read as the second. Updated
    00:50 is not ambiguous and is before: refused. Created 01:30-08:00 (09:30 UTC) and updated
    01:10 is before either way: refused, naming the ambiguity."""
    import json

    from framework.interchange import import_file
    from framework.kernel.config import deployment_from_dict
    from framework.kernel.county import County
    from framework.kernel.registry import Registry
    from framework.store.db import Store

    raw = {"deployment": {"name": "Springfield", "code": "sp", "methods": ["plain"], "timezone": "America/Los_Angeles"},
           "units": [{"code": "sp", "name": "City", "level": "county"}]}
    county = County.init(Store(str(tmp_path / "c.db")), deployment_from_dict(raw), Registry(extra_plugins={"plain": Plain()}),
                         now=dt.datetime(2010, 11, 8, 12, 0), actor="tester")
    rows = [{"service_request_id": rid, "service_name": "Pothole", "status": "closed",
             "requested_datetime": req, "updated_datetime": upd}
            for rid, req, upd in (("r1", "2010-11-07T01:30:00", "2010-11-07T01:10:00"),
                                  ("r2", "2010-11-07T01:30:00", "2010-11-07T00:50:00"),
                                  ("r3", "2010-11-07T01:30:00-08:00", "2010-11-07T01:10:00"))]
    path = tmp_path / "requests.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    rep = import_file(county, path, method="plain", unit="sp")
    assert (rep.taken, rep.resolved) == (1, 1)
    assert [(r.item, r.field, r.reason) for r in rep.refused] == [
        (2, "resolved_at (column updated_datetime)",
         "2010-11-07T00:50:00-07:00 is before the arrival 2010-11-07T01:30:00-07:00"),
        (3, "resolved_at (column updated_datetime)",
         ("2010-11-07T01:10:00 is ambiguous in America/Los_Angeles (the hour repeated when daylight saving ends) and "
         "before the arrival 2010-11-07T01:30:00-08:00 either way (2010-11-07T01:10:00-07:00 or "
         "2010-11-07T01:10:00-08:00)"))]
    c = county.get_case("sp-000001")
    assert (c.created_at.isoformat(), c.resolved_at.isoformat(), c.status) == (
        "2010-11-07T01:30:00-07:00", "2010-11-07T01:10:00-08:00", "resolved")
