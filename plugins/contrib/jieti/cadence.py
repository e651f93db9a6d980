"""The recurring calendar (L302, L306): when a selection body's joint meeting, the monthly
inspection and the liaison cadre's reports fall due, and which days each occurrence covers.

A cadence occurrence is ``(due_on, window_start)``: the duty falls due on ``due_on`` (a local
date) and is done by a record dated in ``[window_start, due_on]``.

* ``week`` — due on the weekday ``group_meeting_weekday`` (1 = Monday … 7 = Sunday, default
  Sunday), covering the 7 days ending that day (每周, L302);
* ``half_month`` — due on the 15th (covering the 1st–15th) and on the month's last day
  (covering the 16th to the end) (每半个月, L302);
* ``month`` — due on the month's last day, covering the month (每月, L302, L306);
* ``quarter`` — due on the quarter's last day (03-31, 06-30, 09-30, 12-31), covering the
  quarter (每季度, L302).
"""

from __future__ import annotations

import datetime as dt


def month_end(d: dt.date) -> dt.date:
    """The last day of ``d``'s month."""
    first_next = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first_next - dt.timedelta(days=1)


def occurrence(cadence: str, d: dt.date, weekday: int = 7) -> tuple[dt.date, dt.date] | None:
    """``(due_on, window_start)`` when an occurrence of ``cadence`` falls due on ``d``, else None.
    ValueError for an unknown cadence."""
    if cadence == "week":
        return (d, d - dt.timedelta(days=6)) if d.isoweekday() == weekday else None
    if cadence == "half_month":
        if d.day == 15:
            return d, d.replace(day=1)
        return (d, d.replace(day=16)) if d == month_end(d) else None
    if cadence == "month":
        return (d, d.replace(day=1)) if d == month_end(d) else None
    if cadence == "quarter":
        if d.month % 3 == 0 and d == month_end(d):
            return d, dt.date(d.year, d.month - 2, 1)
        return None
    raise ValueError(f"unknown cadence {cadence!r}")


def occurrences(cadence: str, first: dt.date, last: dt.date, weekday: int = 7) -> list[tuple[dt.date, dt.date]]:
    """Every occurrence due on a day of ``[first, last]``, in order."""
    out, d = [], first
    while d <= last:
        o = occurrence(cadence, d, weekday)
        if o:
            out.append(o)
        d += dt.timedelta(days=1)
    return out


def period_label(cadence: str, due_on: dt.date) -> str:
    """The period an occurrence is for: ``2024-W41``, ``2024-10上半月``/``下半月``, ``2024-10``, ``2024Q4``."""
    if cadence == "week":
        y, w, _ = due_on.isocalendar()
        return f"{y}-W{w:02d}"
    if cadence == "half_month":
        return f"{due_on:%Y-%m}{'上半月' if due_on.day == 15 else '下半月'}"
    if cadence == "month":
        return f"{due_on:%Y-%m}"
    return f"{due_on.year}Q{(due_on.month - 1) // 3 + 1}"
