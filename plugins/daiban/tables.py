"""The plugin's own tables (``county_migrations``). Times are stored as ISO 8601 text with
offset; ``*_ts`` columns hold the same instant as a Unix timestamp for range queries.

* ``daiban_overdue`` — the overdue register (L229 超过办理期限的登记在案): one row per card
  (``case_id`` unique), with the agent, the unit that took the card in, the month of the check,
  the due instant, ``state`` (``open`` / ``completed_late`` at the check), whether the kernel
  sweep had flagged it (``swept``), when and by whom it was found;
* ``daiban_checks`` — each monthly card check (month, unit checked or ``""`` for all, counts);
* ``daiban_complaints`` — real-name complaints and their investigation and rectification;
* ``daiban_reviews`` — democratic-appraisal sheets (L231 民主评议).
"""

from __future__ import annotations


def migrations(m) -> None:
    """Register the plugin's tables on the ``sqlite_utils`` Migrations set ``m``."""

    @m()
    def m001_tables(db):
        db["daiban_overdue"].create({
            "id": int, "case_id": str, "agent": str, "unit": str, "month": str, "due_at": str,
            "due_ts": float, "state": str, "resolved_at": str, "swept": int, "found_at": str,
            "checked_by": str,
        }, pk="id")
        db["daiban_overdue"].create_index(["case_id"], unique=True)
        db["daiban_overdue"].create_index(["agent", "due_ts"])
        db["daiban_checks"].create({
            "id": int, "month": str, "unit": str, "checked_at": str, "actor": str, "cards": int,
            "overdue": int, "new": int,
        }, pk="id")
        db["daiban_complaints"].create({
            "id": int, "case_id": str, "agent": str, "unit": str, "kind": str, "complainant": str,
            "complainant_phone": str, "text": str, "filed_at": str, "filed_ts": float, "status": str,
            "finding": str, "upheld": int, "severity": str, "accountability": str, "investigated_at": str,
            "measure": str, "rectify_due_at": str, "rectified_at": str, "result": str, "closed_at": str,
            "on_time": int,
        }, pk="id")
        db["daiban_complaints"].create_index(["agent", "filed_ts"])
        db["daiban_reviews"].create({
            "id": int, "agent": str, "year": int, "reviewer_kind": str, "reviewer": str,
            "attitude": float, "efficiency": float, "results": float, "entered_at": str, "actor": str,
        }, pk="id")
        db["daiban_reviews"].create_index(["agent", "year"])
