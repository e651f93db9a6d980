"""taizhang's own table (the ``county_migrations`` migrations) and the reads over it.

* ``taizhang_posts`` — the monthly wall postings (每月上墙公示, L35): one row per village (or
  community) and month whose board was put on the wall, recorded by ``county taizhang post``:
  ``id`` (``UNIT|YYYY-MM``), ``unit``, ``month``, ``posted_at`` (ISO instant) and ``posted_ts``
  (Unix time), ``posted_by`` (the operator), ``new_cases`` and ``settled_cases`` (the two
  sections' row counts on the board as posted), ``note``.

Every read takes the method's ``ctx`` and goes through ``ctx.db``.
"""

from __future__ import annotations

import datetime as dt

from framework import chunks


def register_migrations(migrations) -> None:
    """Register taizhang's migrations on ``migrations`` (a sqlite-utils Migrations set)."""

    @migrations()
    def m001_taizhang_posts(db):
        db["taizhang_posts"].create({"id": str, "unit": str, "month": str, "posted_at": str, "posted_ts": float,
                                     "posted_by": str, "new_cases": int, "settled_cases": int, "note": str},
                                    pk="id")
        db["taizhang_posts"].create_index(["unit", "month"], unique=True)


def post_id(unit: str, month: str) -> str:
    """The primary key of the posting of ``unit``'s board for ``month``."""
    return f"{unit}|{month}"


def posting(ctx, unit: str, month: str) -> dict | None:
    """The posting row of ``unit``'s board for ``month`` (``YYYY-MM``), or None."""
    rows = ctx.db.query("select * from taizhang_posts where id = ?", [post_id(unit, month)])
    return rows[0] if rows else None


def posted_by(ctx, units: list[str], month: str, until: dt.datetime) -> set[str]:
    """The units among ``units`` whose board for ``month`` was posted before ``until`` (aware)."""
    out: set[str] = set()
    for part in chunks(units):
        rows = ctx.db.query(f"select unit from taizhang_posts where month = ? and posted_ts < ? "
                            f"and unit in ({ctx.db.placeholders(part)})", [month, until.timestamp(), *part])
        out.update(r["unit"] for r in rows)
    return out


def data_start(ctx) -> dt.date | None:
    """The first local date the deployment has taizhang data: its earliest taizhang case or
    wall posting, whichever is first; None when there is neither (no board is due yet)."""
    cal = ctx.calendar
    days = []
    first = ctx.cases.find(method=ctx.method.name, created=(None, None), order="created", limit=1)
    if first:
        days.append(cal.local(first[0].created_at).date())
    row = ctx.db.query("select min(posted_ts) ts from taizhang_posts")[0]
    if row["ts"] is not None:
        days.append(dt.datetime.fromtimestamp(row["ts"], cal.tz).date())
    return min(days) if days else None
