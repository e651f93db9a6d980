"""shequhua's own tables (``county_migrations``), all named ``shequhua_…`` and used only through
``ctx.db``. Every instant is stored as ISO 8601 with a Unix timestamp beside it (``…_ts``) so
that ``ctx.scope`` can select a unit's subtree and a period.

* ``shequhua_centres`` — a pilot village's 社区化管理服务中心 and its director (L282);
* ``shequhua_orgs`` / ``shequhua_org_members`` — its service organisations, one per area,
  with leader and members (L282);
* ``shequhua_pairs`` — 帮联对子 (L273): a township with an urban subdistrict, a pilot village
  with an urban community;
* ``shequhua_inspections`` / ``shequhua_draws`` — the district organisation department's
  regular checks, random spot checks (and the draws that pick them) and year-end checks (L276);
* ``shequhua_models`` — the model villages (示范村, L276);
* ``shequhua_promotions`` — the special column, on-site observation and experience-exchange
  meetings, study tours (L273, L276);
* ``shequhua_files`` / ``shequhua_support`` — land-lost farmers' personal files, training
  reimbursements and pension contributions of the village's employment station (L280).
"""

from __future__ import annotations


def register(migrations):
    """Register the migrations on ``migrations`` (the method's ``sqlite_utils`` migration set)."""

    @migrations()
    def m001_records(db):
        db["shequhua_centres"].create({"village": str, "director": str, "note": str, "opened_at": str,
                                       "opened_ts": float}, pk="village")
        db["shequhua_orgs"].create({"id": int, "village": str, "area": str, "name": str, "leader": str,
                                    "created_at": str, "created_ts": float}, pk="id")
        db["shequhua_orgs"].create_index(["village", "area"], unique=True)
        db["shequhua_org_members"].create({"org_id": int, "person": str, "added_at": str}, pk=("org_id", "person"))
        db["shequhua_pairs"].create({"id": int, "kind": str, "unit": str, "partner": str, "paired_at": str,
                                     "paired_ts": float}, pk="id")
        db["shequhua_pairs"].create_index(["kind", "unit"], unique=True)
        db["shequhua_inspections"].create({"id": int, "village": str, "kind": str, "result": str, "inspector": str,
                                           "note": str, "at": str, "at_ts": float}, pk="id")
        db["shequhua_draws"].create({"id": int, "quarter": str, "village": str, "drawn_at": str, "drawn_ts": float},
                                    pk="id")
        db["shequhua_draws"].create_index(["quarter", "village"], unique=True)
        db["shequhua_models"].create({"village": str, "note": str, "designated_at": str, "designated_ts": float},
                                     pk="village")
        db["shequhua_promotions"].create({"id": int, "kind": str, "unit": str, "village": str, "outlet": str,
                                          "title": str, "at": str, "at_ts": float}, pk="id")
        db["shequhua_files"].create({"id": int, "village": str, "file_no": str, "name": str, "note": str,
                                     "opened_at": str, "opened_ts": float}, pk="id")
        db["shequhua_files"].create_index(["village", "file_no"], unique=True)
        db["shequhua_support"].create({"id": int, "kind": str, "village": str, "file_no": str, "amount": float,
                                       "village_part": float, "person_part": float, "note": str, "at": str,
                                       "at_ts": float}, pk="id")
