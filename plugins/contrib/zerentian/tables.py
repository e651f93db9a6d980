"""zerentian's own tables (``county_migrations``), all named ``zerentian_…``:

* ``zerentian_fields`` — the responsibility fields (责任田, L314): id, name, the village or
  community it subdivides, its party branch (党支部) and the branch secretary (a person id);
* ``zerentian_members`` — each field's service team (服务团, L314): person name, kind
  (rules.MEMBER_KINDS), joined/left instants;
* ``zerentian_activities`` — what a field holds (文体活动…, L314);
* ``zerentian_pledges`` — the June review's pledges (承诺) and their fulfilment (践诺) (L312);
* ``zerentian_reviews`` — the June review meetings held (服务民生述职测评大会, L312);
* ``zerentian_ratings`` — each organisation's report (述职) and the people's rating (测评) at a
  review (L312).

Every instant is stored ISO 8601 with a Unix timestamp (``*_ts``) beside it for ``ctx.scope``.
"""

from __future__ import annotations


def migrations(migrations):
    """Register the migrations on ``migrations`` (the method's migration set)."""

    @migrations()
    def m001_fields(db):
        db["zerentian_fields"].create({"id": str, "name": str, "unit": str, "branch": str, "secretary": str,
                                       "created_at": str, "created_ts": float}, pk="id")
        db["zerentian_members"].create({"id": int, "field": str, "name": str, "kind": str, "person": str,
                                        "joined_at": str, "joined_ts": float, "left_at": str, "left_ts": float},
                                       pk="id")
        db["zerentian_activities"].create({"id": int, "field": str, "unit": str, "kind": str, "title": str,
                                           "participants": int, "at": str, "at_ts": float}, pk="id")

    @migrations()
    def m002_review(db):
        db["zerentian_pledges"].create({"id": int, "year": int, "org": str, "unit": str, "text": str,
                                        "pledged_at": str, "pledged_ts": float, "fulfilled_at": str,
                                        "fulfilled_ts": float, "fulfil_note": str}, pk="id")
        db["zerentian_reviews"].create({"year": int, "unit": str, "held_at": str, "held_ts": float, "note": str},
                                       pk="year")
        db["zerentian_ratings"].create({"id": int, "year": int, "org": str, "unit": str, "report": str,
                                        "satisfied": int, "basically": int, "unsatisfied": int,
                                        "rated_at": str, "rated_ts": float}, pk="id")
