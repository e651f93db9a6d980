"""The plugin's own tables (``county_migrations``), each named ``sanzhuanbian_…``; only ``ctx.db``
touches them. Instants are ISO 8601 with offset plus a Unix timestamp (``*_ts``) for ``ctx.scope``.

* ``sanzhuanbian_households`` — the households of the contact network (户): id, unit (a village
  or community: 农户 or 居民), label (a door number, never a name), flags (JSON list of
  ``needy``/``petitioner``/``key_person``, L110 困难户、上访户和重点人员).
* ``sanzhuanbian_links`` — who is responsible for a household (L110 每户群众都有1名党员干部联系
  负责): cadre, household, kind ``contact`` (每名干部联系1-5户农户) or ``mutual_aid`` (机关党员干部
  各直接联系1户村民和1户居民), linked/unlinked instants. At most one open link per household.
* ``sanzhuanbian_pairs`` — a county department paired with one village (县直单位对口帮扶1个行政村).
* ``sanzhuanbian_visits`` — a cadre's visit to a household (走访), on a local day.
* ``sanzhuanbian_strikes`` — a solved problem struck off (销号) by a supervisor (督办销号).
* ``sanzhuanbian_ratings`` — one 四比一测评 ballot on a cadre by the masses or a party org.
* ``sanzhuanbian_team_ratings`` — a satisfaction round on a village's two-committee team (the
  tallies of 满意 / 基本满意 / 不满意).
"""

from __future__ import annotations


def register(migrations) -> None:
    """Add the sanzhuanbian migrations to ``migrations`` (a sqlite_utils ``Migrations`` set)."""

    @migrations()
    def m001_sanzhuanbian_tables(db):
        db["sanzhuanbian_households"].create({"id": str, "unit": str, "label": str, "flags": str,
                                              "added_at": str, "added_ts": float}, pk="id")
        db["sanzhuanbian_links"].create({"id": int, "cadre": str, "cadre_unit": str, "household": str, "unit": str,
                                         "kind": str, "linked_at": str, "linked_ts": float, "unlinked_at": str,
                                         "unlinked_ts": float}, pk="id")
        db["sanzhuanbian_links"].create_index(["household"])
        db["sanzhuanbian_links"].create_index(["cadre"])
        db["sanzhuanbian_pairs"].create({"department": str, "village": str, "paired_at": str}, pk="department")
        db["sanzhuanbian_visits"].create({"id": int, "cadre": str, "cadre_unit": str, "household": str, "unit": str,
                                          "day": str, "note": str, "at": str, "at_ts": float}, pk="id")
        db["sanzhuanbian_visits"].create_index(["cadre", "at_ts"])
        db["sanzhuanbian_strikes"].create({"case_id": str, "unit": str, "by": str, "note": str, "at": str,
                                           "at_ts": float}, pk="case_id")
        db["sanzhuanbian_ratings"].create({"id": int, "cadre": str, "cadre_unit": str, "unit": str, "rater": str,
                                           "feeling": str, "stance": str, "development": str, "contribution": str,
                                           "effect": str, "satisfaction": str, "at": str, "at_ts": float}, pk="id")
        db["sanzhuanbian_team_ratings"].create({"id": int, "unit": str, "satisfied": int, "basically": int,
                                                "unsatisfied": int, "at": str, "at_ts": float}, pk="id")
