"""Time rules of conventions §2, with dates checked by hand against the 2026 China schedule."""

import datetime as dt
import warnings

import pytest

from framework.errors import CountyError
from framework.timerules import Calendar, parse_date, parse_instant, parse_month, period_dates

CN = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def cal():
    return Calendar("Asia/Shanghai")


def test_calendar_days_end_of_nth_day(cal):
    # conventions §2: received Monday 2026-11-02 10:00, 5 days -> 2026-11-07 23:59:59+08:00
    due = cal.calendar_days(dt.datetime(2026, 11, 2, 10, 0, tzinfo=CN), 5)
    assert due.isoformat() == "2026-11-07T23:59:59+08:00"


def test_calendar_days_across_month_and_year_end(cal):
    assert cal.calendar_days(dt.datetime(2026, 12, 29, 8, 0, tzinfo=CN), 5).isoformat() == "2027-01-03T23:59:59+08:00"
    assert cal.calendar_days(dt.datetime(2013, 1, 30, 23, 30, tzinfo=CN), 4).isoformat() == "2013-02-03T23:59:59+08:00"


def test_calendar_days_use_local_date_of_a_utc_instant(cal):
    # 2026-11-01T20:00Z is 2026-11-02 04:00 in Shanghai: the local date counts
    due = cal.calendar_days(dt.datetime(2026, 11, 1, 20, 0, tzinfo=dt.timezone.utc), 1)
    assert due.isoformat() == "2026-11-03T23:59:59+08:00"


def test_hours_are_exact(cal):
    assert cal.hours(dt.datetime(2013, 3, 4, 23, 30, tzinfo=CN), 24).isoformat() == "2013-03-05T23:30:00+08:00"
    assert cal.hours(dt.datetime(2026, 1, 31, 9, 0, tzinfo=dt.timezone.utc), 24).isoformat() == "2026-02-01T17:00:00+08:00"


def test_working_days_plain_weeks(cal):
    # methods.md S-04: Monday 2013-03-04, 15 working days -> Monday 2013-03-25 23:59:59+08:00
    assert cal.working_days(dt.datetime(2013, 3, 4, 9, 0, tzinfo=CN), 15).isoformat() == "2013-03-25T23:59:59+08:00"


def test_working_days_skip_spring_festival_and_count_makeup_saturday(cal):
    # 2026: Spring Festival rest 2026-02-15..02-23; make-up working days Sat 02-14 and Sat 02-28.
    assert cal.is_working_day(dt.date(2026, 2, 14))
    assert not cal.is_working_day(dt.date(2026, 2, 16))
    assert cal.is_working_day(dt.date(2026, 2, 28))
    # From Friday 2026-02-13: 1st working day is Sat 02-14 (make-up), then 02-24, 02-25
    assert cal.working_days(dt.datetime(2026, 2, 13, 10, 0, tzinfo=CN), 1).date() == dt.date(2026, 2, 14)
    assert cal.working_days(dt.datetime(2026, 2, 13, 10, 0, tzinfo=CN), 3).date() == dt.date(2026, 2, 25)


def test_working_days_national_day_2026(cal):
    # 2026 National Day rest 10-01..10-07, make-up working day Sat 10-10.
    # From Wed 2026-09-30: 10-08 (1), 10-09 (2), 10-10 Sat make-up (3)
    assert cal.working_days(dt.datetime(2026, 9, 30, 17, 0, tzinfo=CN), 3).isoformat() == "2026-10-10T23:59:59+08:00"


def test_deployment_overrides(cal):
    c = Calendar("Asia/Shanghai", extra_holidays=["2026-11-04"], extra_workdays=["2026-11-07"])
    assert not c.is_working_day(dt.date(2026, 11, 4))
    assert c.is_working_day(dt.date(2026, 11, 7))  # a Saturday made a working day
    # Mon 11-02 +3 working days: 11-03, (11-04 off), 11-05, 11-06 -> 11-06
    assert c.working_days(dt.datetime(2026, 11, 2, 9, tzinfo=CN), 3).date() == dt.date(2026, 11, 6)


def test_unknown_year_is_one_warning_line_not_a_crash_nor_a_python_warning(cal):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a Python warning would raise here
        due = cal.working_days(dt.datetime(2031, 6, 2, 9, tzinfo=CN), 1)
    assert due.date() == dt.date(2031, 6, 3)
    want = ("the holiday library has no official China schedule for 2031: working days that year use "
            "weekends and the fixed festivals only; add [calendar] overrides")
    assert cal.warnings == [want] and cal.year_warning(2031) == want and cal.year_warning(2026) is None


def test_parse_instant_defaults_to_deployment_zone():
    assert parse_instant("2026-11-02T10:00").isoformat() == "2026-11-02T10:00:00+08:00"
    assert parse_instant("2026-11-02T10:00Z").isoformat() == "2026-11-02T10:00:00+00:00"
    with pytest.raises(CountyError, match="--now"):
        parse_instant("next tuesday", what="--now")


def test_parse_date_names_the_input():
    assert parse_date(" 2024-10-12 ", "--since") == dt.date(2024, 10, 12)
    assert parse_date(dt.date(2024, 2, 29), "since") == dt.date(2024, 2, 29)   # a TOML date as it is
    for bad, shown in [("2024-13-01", "'2024-13-01'"), (None, "None"),
                       (dt.datetime(2024, 10, 12, 9, 0), "datetime.datetime(2024, 10, 12, 9, 0)")]:
        with pytest.raises(CountyError) as e:
            parse_date(bad, "--since")
        assert str(e.value) == f"--since {shown}: not a date (YYYY-MM-DD)"


def test_parse_month_names_the_input():
    assert parse_month(" 2024-10 ", "--month") == (2024, 10)
    for bad in ("2019", "2019-13", "2019-1", "2019-00", None):
        with pytest.raises(CountyError) as e:
            parse_month(bad, "demo period")
        assert str(e.value) == f"demo period {bad!r}: not a month (YYYY-MM)"


def test_periods():
    assert period_dates("2026-11") == (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert period_dates("2026Q4") == (dt.date(2026, 10, 1), dt.date(2027, 1, 1))
    assert period_dates("2026") == (dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    with pytest.raises(CountyError, match="period"):
        period_dates("2026-13")


def test_hours_are_elapsed_time_across_a_dst_change():
    ny = Calendar("America/New_York")
    start = parse_instant("2026-03-07T12:00", "America/New_York")  # EST, the day before clocks go forward
    assert ny.hours(start, 24).isoformat() == "2026-03-08T13:00:00-04:00"
