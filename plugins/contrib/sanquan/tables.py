"""The plugin's own tables (``county_migrations``). Instants are ISO 8601 text with offset;
``*_ts`` columns hold the same instant as a Unix timestamp (float) for ranges.

* ``sanquan_households`` — service households with their star tier 1–5 (五星级服务, L363), grid,
  one-to-one contact (一对一联系, L363), call device (呼叫器, L363) and ``star_since`` (the day
  the current tier began: visit cadences count from it);
* ``sanquan_star_changes`` — each rating of a household (kept, never overwritten);
* ``sanquan_team_members`` — the grid service teams (网组片, L363): grid unit, person, kind
  (镇街干部 / 社区干部 / 党员志愿者), leader flag;
* ``sanquan_posts`` — A/B posts (AB岗兼容制, L371): per unit and work line (条线) its A and B holder;
* ``sanquan_leave`` — leave and days off of people ([from, until)): who is off duty when;
* ``sanquan_roster`` — the 24-hour duty roster (24小时值班制, L359): unit, date, person;
* ``sanquan_visits`` — visits to star households (每天上门服务, L363).
"""

from __future__ import annotations


def migrations(m) -> None:
    """Register the tables on the ``sqlite_utils`` Migrations set ``m``."""

    @m()
    def m001_tables(db):
        db["sanquan_households"].create({
            "id": str, "unit": str, "grid": str, "name": str, "address": str, "kinds": str, "star": int,
            "star_since": str, "contact": str, "call_device": int, "created_at": str,
        }, pk="id")
        db["sanquan_households"].create_index(["unit"])
        db["sanquan_star_changes"].create({
            "id": int, "household": str, "star": int, "since": str, "reason": str, "actor": str, "at": str,
        }, pk="id")
        db["sanquan_team_members"].create({
            "grid": str, "person": str, "kind": str, "leader": int, "since": str,
        }, pk=("grid", "person"))
        db["sanquan_posts"].create({
            "unit": str, "line": str, "a_person": str, "b_person": str, "set_at": str,
        }, pk=("unit", "line"))
        db["sanquan_leave"].create({
            "id": int, "person": str, "start": str, "start_ts": float, "until": str, "until_ts": float,
            "reason": str, "actor": str,
        }, pk="id")
        db["sanquan_leave"].create_index(["person", "start_ts"])
        db["sanquan_roster"].create({
            "unit": str, "date": str, "person": str, "set_at": str,
        }, pk=("unit", "date"))
        db["sanquan_visits"].create({
            "id": int, "household": str, "unit": str, "person": str, "at": str, "at_ts": float, "day": str,
            "note": str, "actor": str,
        }, pk="id")
        db["sanquan_visits"].create_index(["household", "day"])
