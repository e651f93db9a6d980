"""The plugin's own tables (created through ``county_migrations``) and the reads over them.

* ``xiangkai_meetings`` — one row per meeting (乡会): village, township, type, time, place,
  invitees (JSON list of role codes and free names), status ``planned``/``held``.
* ``xiangkai_meeting_topics`` — the agenda: (meeting, case) with the outcome at the meeting
  (``settled`` 议定 / ``deferred`` 另行研究) and the resolution text.
* ``xiangkai_notices`` — supervision notices (督办通知书) with the three fixes (三定).
* ``xiangkai_callbacks`` — callback visits (回访).
* ``xiangkai_plan`` / ``xiangkai_plan_villages`` — the monthly plan: a theme per month and the
  villages to visit (月月有主题、村村有安排).
* ``xiangkai_ratings`` — satisfaction ratings (满意度评议) of the party organisation, the
  villager committee and the township leadership.

All instants are ISO 8601 with offset (``*_at``) plus a UTC epoch (``*_ts``) for range queries.
"""

from __future__ import annotations

import json


def register(migrations) -> None:
    """Add the xiangkai migration functions to ``migrations`` (a sqlite_utils Migrations set)."""

    @migrations()
    def m001_xiangkai_tables(db):
        db["xiangkai_meetings"].create({
            "id": str, "seq": int, "village": str, "township": str, "type": str, "situation": str,
            "title": str, "scheduled_at": str, "scheduled_ts": float, "place": str, "invitees": str,
            "invitee_names": str, "rainy": int, "status": str, "held_at": str, "held_ts": float,
            "attended": int, "warnings": str, "created_at": str,
        }, pk="id")
        db["xiangkai_meetings"].create_index(["village", "scheduled_ts"])
        db["xiangkai_meeting_topics"].create({
            "meeting_id": str, "case_id": str, "position": int, "outcome": str, "resolution": str,
        }, pk=("meeting_id", "case_id"))
        db["xiangkai_meeting_topics"].create_index(["case_id"])
        db["xiangkai_notices"].create({
            "id": str, "seq": int, "number": str, "case_id": str, "meeting_id": str, "responsible": str,
            "quality_standard": str, "due_spec": str, "due_at": str, "due_ts": float,
            "issued_at": str, "issued_ts": float,
        }, pk="id")
        db["xiangkai_notices"].create_index(["case_id"], unique=True)
        db["xiangkai_callbacks"].create({
            "id": int, "case_id": str, "at": str, "ts": float, "visitor": str, "note": str, "satisfaction": str,
        }, pk="id")
        db["xiangkai_callbacks"].create_index(["case_id"])
        db["xiangkai_plan"].create({"year": int, "month": int, "theme": str}, pk=("year", "month"))
        db["xiangkai_plan_villages"].create({"year": int, "month": int, "village": str},
                                            pk=("year", "month", "village"))
        db["xiangkai_ratings"].create({
            "id": int, "unit": str, "subject": str, "period": str, "start_ts": float, "end_ts": float,
            "satisfied": int, "basically": int, "unsatisfied": int, "note": str, "recorded_at": str,
        }, pk="id")

    @migrations()
    def m002_meeting_announced_via(db):
        # how the notice was published before the meeting (广播、宣传栏、公开栏, L252)
        db["xiangkai_meetings"].add_column("announced_via", str)


def meeting_row(store, meeting_id: str) -> dict | None:
    rows = store.query("select * from xiangkai_meetings where id = ?", [meeting_id])
    return decode_meeting(rows[0]) if rows else None


def decode_meeting(r: dict) -> dict:
    r = dict(r)
    for k in ("invitees", "invitee_names", "warnings", "announced_via"):
        r[k] = json.loads(r[k] or "[]")
    r["rainy"] = bool(r["rainy"])
    return r


def agenda(store, meeting_id: str) -> list[dict]:
    """The meeting's topics in agenda order, each with the case's title, unit and status."""
    return store.query(
        "select t.*, c.title, c.unit, c.status, c.level from xiangkai_meeting_topics t "
        "join cases c on c.id = t.case_id where t.meeting_id = ? order by t.position", [meeting_id])


def notice_for(store, case_id: str) -> dict | None:
    rows = store.query("select * from xiangkai_notices where case_id = ?", [case_id])
    return rows[0] if rows else None


def next_seq(store, table: str) -> int:
    return (store.db.execute(f"select max(seq) from {table}").fetchone()[0] or 0) + 1
