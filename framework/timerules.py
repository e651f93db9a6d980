"""Time rules of conventions §2: the clock, calendar days, working days and hours.

Every due instant in the project is computed here. Day rules work on local dates in the
deployment's time zone (default ``Asia/Shanghai``); the end of a day is 23:59:59 local.
Working days come from the maintained ``holidays`` library (China, with the make-up working
days 调休) plus the deployment's ``[calendar]`` overrides. A year the library has no official
schedule for is a warning (``Calendar.warnings``), never a crash.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo


from framework.errors import CountyError

DEFAULT_TZ = "Asia/Shanghai"


def parse_instant(text: str | dt.datetime, tz: ZoneInfo | str = DEFAULT_TZ, *, what: str = "time") -> dt.datetime:
    """Parse ISO 8601 (``2026-11-02T10:00``, ``2026-11-02 10:00+08:00``, ``2026-11-02``).

    A time without an offset is deployment-local (``tz``); a bare date means 00:00 local.
    Returns an aware datetime. Raises :class:`CountyError` naming ``what`` on bad input.
    """
    if isinstance(tz, str):
        tz = ZoneInfo(tz)
    if isinstance(text, dt.datetime):
        value = text
    else:
        s = str(text).strip()
        try:
            value = dt.datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
        except ValueError:
            raise CountyError(f"{what}: {text!r} is not an ISO 8601 time (e.g. 2026-11-02T10:00+08:00)") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value


class Clock:
    """The injectable clock. ``Clock(fixed)`` always answers ``fixed``; ``Clock()`` reads
    ``COUNTY_NOW`` or, failing that, the wall clock (the only place in the project that does)."""

    def __init__(self, fixed: dt.datetime | None = None, tz: str = DEFAULT_TZ):
        self.fixed, self.tz = fixed, ZoneInfo(tz)

    def now(self) -> dt.datetime:
        if self.fixed is not None:
            return self.fixed
        env = os.environ.get("COUNTY_NOW")
        if env:
            return parse_instant(env, self.tz, what="COUNTY_NOW")
        return dt.datetime.now(self.tz)


class Calendar:
    """Calendar days, working days and hours for one deployment.

    :param timezone: IANA zone name of the deployment.
    :param extra_holidays: dates (ISO strings or dates) to treat as rest days.
    :param extra_workdays: dates to treat as working days (make-up days not yet in the library).
    """

    def __init__(self, timezone: str = DEFAULT_TZ, extra_holidays=(), extra_workdays=()):
        try:
            self.tz = ZoneInfo(timezone)
        except Exception:
            raise CountyError(f"[deployment] timezone: unknown time zone {timezone!r}") from None
        self.extra_holidays = {_as_date(d, "[calendar] extra_holidays") for d in extra_holidays}
        self.extra_workdays = {_as_date(d, "[calendar] extra_workdays") for d in extra_workdays}
        self._years: dict[int, tuple[set, set]] = {}
        self.warnings: list[str] = []  # every year warning met so far, in order
        self._year_warnings: dict[int, str] = {}
        #: Years whose statutory schedule was consulted since the caller last cleared it (the
        #: kernel clears it around each deadline hook to know which years a due instant used).
        self.touched: set[int] = set()

    # -- the statutory calendar ----------------------------------------------------------
    def _year(self, year: int) -> tuple[set, set]:
        self.touched.add(year)
        if year not in self._years:
            import holidays  # ~10 ms of start-up: loaded on the first calendar question, not by `county --help`

            cn = holidays.China(years=year)
            rest = set(cn.keys())
            work = {d for d in cn.weekend_workdays if d.year == year}
            if not work:
                msg = (f"the holiday library has no official China schedule for {year}: working days "
                       f"that year use weekends and the fixed festivals only; add [calendar] overrides")
                self._year_warnings[year] = msg
                self.warnings.append(msg)
            self._years[year] = (rest, work)
        return self._years[year]

    def year_warning(self, year: int) -> str | None:
        """The one-line warning for ``year`` when the holiday library has no official schedule
        for it (its working days are then a guess), else None. Never a Python warning: the CLI
        prints it as ``warning: …`` and the kernel records it on the cases it affects."""
        if year not in self._years:
            self._year(year)
        return self._year_warnings.get(year)

    def is_working_day(self, day: dt.date) -> bool:
        """True if ``day`` is a working day: a weekday that is no statutory holiday, or a
        make-up working day (调休), after the deployment's overrides. A datetime is first read
        as its local date in the deployment's zone (a naive one is deployment-local, as
        :meth:`local`), so ``is_working_day(datetime(2018, 4, 8, 8))`` is True like the date
        (2018-04-08, a Sunday, was the 清明 make-up day) and an ``extra_holidays`` date is a
        rest day at any hour (issue 14)."""
        if isinstance(day, dt.datetime):
            day = self.local(day).date()
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        rest, work = self._year(day.year)
        if day in work:
            return True
        return day.weekday() < 5 and day not in rest

    # -- rules -----------------------------------------------------------------------------
    def local(self, instant: dt.datetime) -> dt.datetime:
        """``instant`` in the deployment's zone; a naive datetime is read as deployment-local
        (never in the host's zone — the one rule for naive datetimes handed to the Python API,
        docs/hooks.md §6, conventions §2). An ambiguous or missing wall time of a zone with
        daylight saving takes ``fold=0``: the first occurrence (zoneinfo's default)."""
        if not isinstance(instant, dt.datetime):
            raise CountyError(f"time: {instant!r} is not a datetime")
        if instant.tzinfo is None:
            return instant.replace(tzinfo=self.tz)
        return instant.astimezone(self.tz)

    @staticmethod
    def _count(days, what: str) -> None:
        if days < 0:
            raise CountyError(f"{what}: {days!r} is negative; a time limit counts forward (0 or more)")

    def end_of_day(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=self.tz)

    def calendar_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """"N天内": 23:59:59 local on the Nth calendar day after the local date of ``start``.

        2026-11-02T10:00+08:00, 5 -> 2026-11-07T23:59:59+08:00. ``start`` naive: deployment-local.
        CountyError for a negative ``days``.
        """
        self._count(days, "calendar_days")
        return self.end_of_day(self.local(start).date() + dt.timedelta(days=days))

    def working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """"N个工作日": 23:59:59 local on the Nth working day after the local date of ``start``
        (statutory China calendar with make-up working days and the deployment's overrides).
        ``start`` naive: deployment-local. CountyError for a negative ``days``."""
        self._count(days, "working_days")
        day = self.local(start).date()
        left = days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return self.end_of_day(day)

    def hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """"N小时": exactly ``hours`` hours after ``start`` (kept in the deployment's zone).
        ``start`` naive: deployment-local (not the host's zone). CountyError for negative ``hours``."""
        self._count(hours, "hours")
        utc = self.local(start).astimezone(dt.timezone.utc) + dt.timedelta(hours=hours)  # elapsed time, whatever the zone's DST
        return self.local(utc)

    def due(self, start: dt.datetime, amount: float, unit: str) -> dt.datetime:
        """Dispatch on ``unit``: ``calendar_days``/``days``, ``working_days``, ``hours``."""
        if unit in ("days", "calendar_days"):
            return self.calendar_days(start, int(amount))
        if unit == "working_days":
            return self.working_days(start, int(amount))
        if unit == "hours":
            return self.hours(start, amount)
        raise CountyError(f"unknown deadline unit {unit!r} (use calendar_days, working_days or hours)")

    # -- periods -------------------------------------------------------------------------
    def period_bounds(self, period: str) -> tuple[dt.datetime, dt.datetime]:
        """``2026-11`` / ``2026Q4`` / ``2026H2`` / ``2026`` / ``2026-11-02`` -> [start, end): aware
        instants at 00:00 deployment-local (``2026H1`` -> 2026-01-01T00:00 to 2026-07-01T00:00).
        CountyError for a bad period."""
        start, end = period_dates(period)
        return (dt.datetime.combine(start, dt.time(), tzinfo=self.tz),
                dt.datetime.combine(end, dt.time(), tzinfo=self.tz))

    def shift_period(self, period: str, steps: int = 0, *, years: int = 0) -> str:
        """:func:`shift_period`: ``period`` moved by ``steps`` periods of its own kind and by
        ``years`` years (``years=-1``: the same period a year before, 同比)."""
        return shift_period(period, steps, years=years)


def shift_period(period: str, steps: int = 0, *, years: int = 0) -> str:
    """The period of the same kind as ``period``, ``steps`` periods later (negative: earlier)
    and ``years`` years later: ``shift_period("2026-03", years=-1)`` → ``2025-03`` (同比, the
    same month a year before); ``shift_period("2026Q1", -1)`` → ``2025Q4`` (环比, the quarter
    before); ``2026H1`` -1 → ``2025H2``; ``2026`` -1 → ``2025``; a day moves by days, and a
    29 February moved by whole years becomes the 28th. Returns the canonical spelling
    (``2026Q4``, ``2026H2``). CountyError (as :func:`period_dates`) for a bad period."""
    start, end = period_dates(period)
    p = str(period).strip()
    if len(p) == 10:  # a day
        d = start + dt.timedelta(days=steps)
        try:
            d = d.replace(year=d.year + years)
        except ValueError:  # 29 February in a common year
            d = d.replace(year=d.year + years, day=28)
        return d.isoformat()
    if len(p) == 4:
        return str(start.year + steps + years)
    months = {6: 6 if p[4] in "Hh" else 3, 7: 1}[len(p)]
    index = (start.year + years) * 12 + start.month - 1 + steps * months
    y, m = divmod(index, 12)
    if months == 1:
        return f"{y:04d}-{m + 1:02d}"
    return f"{y:04d}{'H' if months == 6 else 'Q'}{m // months + 1}"


def period_dates(period: str) -> tuple[dt.date, dt.date]:
    """Parse a period into [first day, day after last): ``2026`` (year), ``2026H1`` /
    ``2026H2`` (half-year: 01-01..07-01, 07-01..next 01-01), ``2026Q4`` (quarter), ``2026-11``
    (month), ``2026-11-02`` (day); ``h``/``q`` also accepted. Raises CountyError (one line
    naming the forms) on bad input."""
    p = str(period).strip()
    try:
        if len(p) == 4 and p.isdigit():
            y = int(p)
            return dt.date(y, 1, 1), dt.date(y + 1, 1, 1)
        if len(p) == 6 and p[4] in "Hh" and p[:4].isdigit() and p[5] in "12":  # half-year (上/下半年)
            y = int(p[:4])
            return (dt.date(y, 1, 1), dt.date(y, 7, 1)) if p[5] == "1" else (dt.date(y, 7, 1), dt.date(y + 1, 1, 1))
        if len(p) == 6 and p[4] in "Qq" and p[:4].isdigit() and p[5] in "1234":
            y, q = int(p[:4]), int(p[5])
            start = dt.date(y, 3 * q - 2, 1)
            end = dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)
            return start, end
        if len(p) == 7 and p[4] == "-":
            y, m = int(p[:4]), int(p[5:])
            start = dt.date(y, m, 1)
            return start, (dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1))
        if len(p) == 10:
            d = dt.date.fromisoformat(p)
            return d, d + dt.timedelta(days=1)
    except ValueError:
        pass
    raise CountyError(f"--period: {period!r} is not a period (use 2026-11, 2026Q4, 2026H1, 2026H2, 2026 or 2026-11-02)")


def parse_date(value, what: str = "date") -> dt.date:
    """A calendar date from a command option, a ``--set`` field or a county-file value: ``value``
    a :class:`datetime.date` (returned as it is) or ``YYYY-MM-DD`` text (spaces around it
    ignored). ``what`` names the input in the error (``"--since"``, ``"[plugins.m] start"``).
    Raises :class:`CountyError` ``{what} {value!r}: not a date (YYYY-MM-DD)`` for anything
    else — a datetime too (a date-time where a day is meant is bad input, not a day)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        if isinstance(value, str):
            return dt.date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise CountyError(f"{what} {value!r}: not a date (YYYY-MM-DD)")


def parse_month(value, what: str = "month") -> tuple[int, int]:
    """``(year, month)`` from ``YYYY-MM`` text (spaces around it ignored): a ``--month`` option,
    a demo period (``county_demo``'s ``period``). ``what`` names the input in the error. Raises
    :class:`CountyError` ``{what} {value!r}: not a month (YYYY-MM)`` for anything else
    (``2019``, ``2019-13``, ``2019-1``)."""
    text = value.strip() if isinstance(value, str) else ""
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
        return int(text[:4]), int(text[5:])
    raise CountyError(f"{what} {value!r}: not a month (YYYY-MM)")


def _as_date(value, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CountyError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None
