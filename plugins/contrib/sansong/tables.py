"""The plugin's own tables (created through ``county_migrations``), each named ``sansong_…``:

* ``sansong_households`` — the household register (群众信息库, L140): village, villager group,
  household head (personal data: masked on public outputs), priority kind (L137).
* ``sansong_points`` — 挂点联系 (L137): an agency unit paired with one village, since / until
  (5 years stable, L142), the reason of an early change.
* ``sansong_links`` — a cadre ↔ household pairing (干部联系户, L137/L142): mode (point / area /
  stationed), since / until.
* ``sansong_stations`` — a cadre stationed in a village (驻村联系, L137): sending unit, kind
  (new staff / long away / reserve must stay 1 year+, L142), since / until.
* ``sansong_presence`` — a stationed cadre's days in the village per month (20天以上, L142).
* ``sansong_diary`` — 民情日记 entries (L140): cadre, household, what was heard, signed by the
  villager (群众签字认可) or not yet.
* ``sansong_consultations`` — quarterly 民意恳谈会 (L140): village, convener (a stationed cadre),
  who attended.
* ``sansong_ratings`` — the annual mass-work satisfaction rating of a cadre (每年度群众工作满意度
  测评, L140), filed to the cadre's personal file.

Dates are ISO ``YYYY-MM-DD``; instants ISO 8601 with offset plus a Unix timestamp (``*_ts``)
for ``ctx.scope``. Only ``ctx.db`` touches these tables.
"""

from __future__ import annotations


def register(migrations) -> None:
    """Add the sansong migration functions to ``migrations`` (a sqlite_utils Migrations set)."""

    @migrations()
    def m001_sansong_tables(db):
        db["sansong_households"].create({"id": str, "unit": str, "grp": str, "head": str, "kind": str,
                                         "created_at": str}, pk="id")
        db["sansong_households"].create_index(["unit"])
        db["sansong_points"].create({"id": int, "agency": str, "unit": str, "since": str, "until": str,
                                     "reason": str, "at": str}, pk="id")
        db["sansong_links"].create({"id": int, "person": str, "household": str, "unit": str, "mode": str,
                                    "since": str, "until": str, "reason": str, "at": str}, pk="id")
        db["sansong_links"].create_index(["person"])
        db["sansong_links"].create_index(["household"])
        db["sansong_stations"].create({"id": int, "person": str, "agency": str, "unit": str, "kind": str,
                                       "since": str, "until": str, "at": str}, pk="id")
        db["sansong_presence"].create({"person": str, "month": str, "unit": str, "days": int, "at": str},
                                      pk=("person", "month"))
        db["sansong_diary"].create({"id": int, "person": str, "household": str, "unit": str, "text": str,
                                    "case_id": str, "at": str, "ts": float, "signed_by": str, "signed_at": str},
                                   pk="id")
        db["sansong_diary"].create_index(["unit", "ts"])
        db["sansong_consultations"].create({"id": int, "unit": str, "convener": str, "committee": int,
                                            "deputies": int, "reps": int, "note": str, "at": str, "ts": float,
                                            "valid": int}, pk="id")
        db["sansong_consultations"].create_index(["unit", "ts"])
        db["sansong_ratings"].create({"person": str, "year": int, "unit": str, "satisfied": int, "basically": int,
                                      "unsatisfied": int, "at": str}, pk=("person", "year"))
