"""What bulk intake's hook context remembers within a batch (issue 13, third import pass):
``ctx.calendar.calendar_days`` once per local arrival day and count (the calendar's own due
instant, one object for the day's cases, its errors as the calendar gives them) and
``ctx.people.find`` once per unit and role (a fresh list each time)."""

import datetime as dt

import pytest

from framework.errors import CountyError
from framework.kernel.bulk_context import DayCalendar, IndexedPeople
from framework.models import Person
from framework.timerules import Calendar

TZ8 = dt.timezone(dt.timedelta(hours=8))


def test_calendar_days_once_per_local_day():
    cal = Calendar("Asia/Shanghai")
    day = DayCalendar(cal)
    a = dt.datetime(2025, 1, 1, 7, 4, 48, tzinfo=TZ8)
    b = dt.datetime(2025, 1, 1, 23, 50, tzinfo=TZ8)
    c = dt.datetime(2024, 12, 31, 16, 30, tzinfo=dt.UTC)  # 2025-01-01 00:30 in Shanghai
    d = dt.datetime(2025, 1, 1, 16, 30, tzinfo=dt.UTC)  # 2025-01-02 00:30 in Shanghai
    due = day.calendar_days(a, 5)
    assert due.isoformat() == "2025-01-06T23:59:59+08:00" and due == cal.calendar_days(a, 5)
    assert day.calendar_days(b, 5) is due and day.calendar_days(c, 5) is due
    assert day.calendar_days(d, 5).isoformat() == "2025-01-07T23:59:59+08:00"
    assert day.calendar_days(dt.datetime(2025, 1, 1, 9), 10).isoformat() == "2025-01-11T23:59:59+08:00"  # naive: local
    assert day.tz is cal.tz and day.working_days(a, 1) == cal.working_days(a, 1)  # the rest is the calendar's
    with pytest.raises(CountyError, match="calendar_days: -1 is negative"):
        day.calendar_days("not a time", -1)
    with pytest.raises(CountyError, match="is not a datetime"):
        day.calendar_days("2025-01-01", 5)


def test_people_found_once_a_fresh_list_each_time():
    people = {p.id: p for p in (Person("p1", "甲", "u1", ["secretary"]), Person("p2", "乙", "u1", ["cadre", "secretary"]),
                                Person("p3", "丙", "u2", ["secretary"]))}
    idx = IndexedPeople(people)
    first = idx.find(unit="u1", role="secretary")
    assert [p.id for p in first] == ["p1", "p2"]
    first.clear()
    assert [p.id for p in idx.find(unit="u1", role="secretary")] == ["p1", "p2"]
    assert [p.id for p in idx.find(unit="u1")] == ["p1", "p2"] and idx.find(unit="u3") == []
    assert [p.id for p in idx.find(role="secretary")] == ["p1", "p2", "p3"]  # no unit: the scan of everyone
