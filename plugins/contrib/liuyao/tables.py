"""The plugin's own tables (``county_migrations``). Instants are ISO 8601 text with offset;
``*_ts`` columns hold the same instant as a Unix timestamp for ``ctx.scope`` period filters.

* ``liuyao_decisions`` — one row per decided matter (L191): the body that decided, the
  representative meeting's kind, the vote (票决) and its outcome;
* ``liuyao_disclosures`` — the disclosure register (L187): one row per village, catalogue item
  and disclosure key (the month ``2026-11``, the quarter ``2026Q4``, or for an item disclosed at
  any time the matter's case id or the day), with the forms used so far (a JSON list) and when
  the item first reached the required number of forms (``complete_at``);
* ``liuyao_ratings`` — rating rounds (L195 一事一测评、半年初评、年度考评): kind, subject (a case,
  a person or the village), period, the meeting and its votes.
"""

from __future__ import annotations


def migrations(m) -> None:
    """Register the tables on the ``sqlite_utils`` Migrations set ``m``."""

    @m()
    def m001_tables(db):
        db["liuyao_decisions"].create({
            "case_id": str, "unit": str, "category": str, "routed_body": str, "body": str, "meeting_kind": str,
            "votes_for": int, "votes_against": int, "votes_abstain": int, "outcome": str, "note": str,
            "decided_at": str, "decided_ts": float, "actor": str,
        }, pk="case_id")
        db["liuyao_decisions"].create_index(["unit", "decided_ts"])
        db["liuyao_disclosures"].create({
            "id": int, "unit": str, "item": str, "cadence": str, "key": str, "case_id": str, "title": str,
            "content": str, "forms": str, "first_at": str, "first_ts": float, "complete_at": str,
            "complete_ts": float, "due_on": str, "actor": str,
        }, pk="id")
        db["liuyao_disclosures"].create_index(["unit", "item", "key"], unique=True)
        db["liuyao_ratings"].create({
            "id": int, "kind": str, "unit": str, "subject_kind": str, "subject": str, "period": str,
            "meeting_kind": str, "satisfied": int, "basically": int, "unsatisfied": int, "note": str,
            "rated_at": str, "rated_ts": float, "actor": str,
        }, pk="id")
        db["liuyao_ratings"].create_index(["kind", "subject", "period"], unique=True)
