"""wuzifa's own tables (``county_migrations``); used only through ``ctx.db``.

* ``wuzifa_members`` — the work group of a dispute (工作组, L49): person, the level they were
  drawn from (``city``/``county``/``township``: 市、县、乡及时抽调工作队员).
* ``wuzifa_households`` — the households of a dispute, the parties who must sign (L57, L61):
  household id and name (the kernel's sign-off party), unit (village or villager group) and
  group name, difficulty (rules.DIFFICULTIES), influence rank (1 = the most followed),
  key-person flag (关键农户, L57), the household it follows (e.g. its group leader, L57), the
  leased area tapped / untapped in mu (L53, L61).
* ``wuzifa_relations`` — relationships between a household and a cadre or other helper
  (亲戚、朋友、同学、同事, L57), used by 靠.
* ``wuzifa_steps`` — each technique worked on a household: 笑问听析讲 (L53) and 粘盯靠 (L57),
  by whom, through whom (靠), when.
* ``wuzifa_payments`` — the lease money paid to a signed household (土地租赁资金兑付, L61).
* ``wuzifa_care`` — care visits beside the mediation (送温暖、送爱心、送医疗、送文艺, L61).

Dated rows keep an ISO text column and a Unix-timestamp ``…_ts`` column (for ``ctx.scope``).
"""

from __future__ import annotations


def migrations(m) -> None:
    """Register wuzifa's migrations on ``m`` (sqlite_utils Migrations named ``wuzifa``)."""

    @m()
    def m001_tables(db):
        db["wuzifa_members"].create({"id": int, "case_id": str, "person": str, "drawn_from": str, "unit": str,
                                     "at": str, "at_ts": float, "note": str}, pk="id")
        db["wuzifa_households"].create({"case_id": str, "household": str, "name": str, "unit": str,
                                        "group_name": str, "difficulty": str, "influence_rank": int,
                                        "is_key": int, "follows": str, "area_tapped": float,
                                        "area_untapped": float, "listed_at": str, "listed_ts": float},
                                       pk=("case_id", "household"))
        db["wuzifa_relations"].create({"id": int, "case_id": str, "household": str, "person": str, "kind": str,
                                       "note": str, "at": str, "at_ts": float}, pk="id")
        db["wuzifa_steps"].create({"id": int, "case_id": str, "household": str, "technique": str,
                                   "by_person": str, "via_person": str, "unit": str, "at": str, "at_ts": float,
                                   "note": str, "recorded_by": str}, pk="id")
        db["wuzifa_payments"].create({"case_id": str, "household": str, "unit": str, "amount": float,
                                      "at": str, "at_ts": float}, pk=("case_id", "household"))
        db["wuzifa_care"].create({"id": int, "case_id": str, "household": str, "kind": str, "unit": str,
                                  "at": str, "at_ts": float, "note": str}, pk="id")
