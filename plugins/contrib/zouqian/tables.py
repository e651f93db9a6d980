"""zouqian's own tables (``county_migrations``); used only through ``ctx.db``.

* ``zouqian_pairings`` — the six pairings (六个结对, L329): kind (rules.PAIRINGS), side A and B
  (a person id, a unit code or a name), ``unit`` (the 居村 or 街镇 the pairing serves, for scope;
  the person's unit for a pairing without one), since / ended.
* ``zouqian_rounds`` — the concentrated visiting rounds (集中走访批次, L320: five so far):
  no, title, start and end dates.
* ``zouqian_visits`` — visits and daily contacts (走访、日常联系, L329, L337) with the visit diary
  (走访日记, L329): cadre, unit (the 居村), kind, round, problems found, diary.
* ``zouqian_batches`` — common problems solved in bulk (集中研究、政策破题、批量解决, L337): a lead
  case, topic, the policy (e.g. 《关于农民建房问题的答复口径》), opened / solved and how many
  problems the solve closed.
* ``zouqian_ratings`` — every 群众评议 (L331, L335): case, level (rules.SCALE code), rater kind,
  whether it closed the case or sent it back (``closes``/``reopens``).

Dated rows keep an ISO text column and a Unix-timestamp ``…_ts`` column (for ``ctx.scope``).
"""

from __future__ import annotations


def migrations(m) -> None:
    """Register zouqian's migrations on ``m`` (sqlite_utils Migrations named ``zouqian``)."""

    @m()
    def m001_tables(db):
        db["zouqian_pairings"].create({"id": int, "kind": str, "a": str, "b": str, "unit": str, "since": str,
                                       "since_ts": float, "ended": str, "note": str}, pk="id")
        db["zouqian_rounds"].create({"no": int, "title": str, "start_on": str, "end_on": str, "start_ts": float,
                                     "end_ts": float}, pk="no")
        db["zouqian_visits"].create({"id": int, "cadre": str, "unit": str, "kind": str, "round": int, "at": str,
                                     "at_ts": float, "problems": int, "diary": str, "recorded_by": str}, pk="id")
        db["zouqian_batches"].create({"id": int, "lead": str, "unit": str, "topic": str, "policy": str,
                                      "opened_at": str, "opened_ts": float, "solved_at": str, "solved_ts": float,
                                      "solved_count": int, "note": str}, pk="id")
        db["zouqian_ratings"].create({"id": int, "case_id": str, "unit": str, "level": str, "rater": str,
                                      "outcome": str, "note": str, "at": str, "at_ts": float,
                                      "recorded_by": str}, pk="id")
