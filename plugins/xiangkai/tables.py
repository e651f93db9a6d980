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
* ``xiangkai_links`` — the contact network (L246): a person's link to a village, a party
  organisation, a secretary, a village as its stationed cadre, or a needy person; active from
  ``linked_at`` until ``unlinked_at`` (None: still active).
* ``xiangkai_notice_waivers`` — the recorded reason why a topic settled at a meeting gets no
  supervision notice (L253).

All instants are ISO 8601 with offset (``*_at``) plus a UTC epoch (``*_ts``) for range queries.

The reads below take ``db`` (``ctx.db``, the plugin's own tables) or ``ctx`` when they also
need the topics' cases, which they read through ``ctx.cases`` (never SQL on ``cases``).
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

    @migrations()
    def m003_network_and_waivers(db):
        # the contact network (L246): who links what, from when until when
        db["xiangkai_links"].create({
            "id": int, "person": str, "kind": str, "target": str, "target_name": str, "village": str,
            "note": str, "linked_at": str, "linked_ts": float, "unlinked_at": str, "unlinked_ts": float,
        }, pk="id")
        db["xiangkai_links"].create_index(["person", "kind"])
        db["xiangkai_links"].create_index(["village", "kind"])
        # why a topic studied at a meeting gets no supervision notice (L253: 一律下发 — or a reason)
        db["xiangkai_notice_waivers"].create({
            "case_id": str, "meeting_id": str, "reason": str, "recorded_at": str, "recorded_ts": float, "actor": str,
        }, pk="case_id")


def meeting_row(db, meeting_id: str) -> dict | None:
    """The meeting ``meeting_id`` (decoded, see :func:`decode_meeting`), or None."""
    rows = db.query("select * from xiangkai_meetings where id = ?", [meeting_id])
    return decode_meeting(rows[0]) if rows else None


def decode_meeting(r: dict) -> dict:
    """A ``xiangkai_meetings`` row with its JSON lists (``invitees``, ``invitee_names``,
    ``warnings``, ``announced_via``) decoded and ``rainy`` as a bool."""
    r = dict(r)
    for k in ("invitees", "invitee_names", "warnings", "announced_via"):
        r[k] = json.loads(r[k] or "[]")
    r["rainy"] = bool(r["rainy"])
    return r


def with_cases(ctx, rows: list[dict]) -> list[dict]:
    """``rows`` (each with a ``case_id``) joined with their cases: each gets the case's
    ``title``, ``unit``, ``status``, ``level`` and ``resolved_at`` (aware datetime or None).
    Rows whose case does not exist are left out (as an SQL inner join would); order is kept."""
    cases = ctx.cases.get_many(r["case_id"] for r in rows)
    out = []
    for r in rows:
        c = cases.get(r["case_id"])
        if c is not None:
            out.append({**r, "title": c.title, "unit": c.unit, "status": c.status, "level": c.level,
                        "resolved_at": c.resolved_at})
    return out


def agenda(ctx, meeting_id: str) -> list[dict]:
    """The meeting's topics in agenda order (``xiangkai_meeting_topics`` rows: ``case_id``,
    ``position``, ``outcome``, ``resolution``), each with its case's title, unit, status and
    level (:func:`with_cases`)."""
    return with_cases(ctx, ctx.db.query(
        "select * from xiangkai_meeting_topics where meeting_id = ? order by position", [meeting_id]))


def notice_for(db, case_id: str) -> dict | None:
    """The supervision notice row of ``case_id``, or None."""
    rows = db.query("select * from xiangkai_notices where case_id = ?", [case_id])
    return rows[0] if rows else None


def callbacks_of(db, case_id: str) -> int:
    """How many callback visits (回访) ``case_id`` has had."""
    return db.count("xiangkai_callbacks", "case_id = ?", [case_id])


def waiver_for(db, case_id: str) -> dict | None:
    """The recorded reason why ``case_id`` gets no supervision notice, or None."""
    rows = db.query("select * from xiangkai_notice_waivers where case_id = ?", [case_id])
    return rows[0] if rows else None


def next_seq(db, table: str) -> int:
    """The next ``seq`` of ``xiangkai_meetings`` or ``xiangkai_notices`` (1, 2, …)."""
    return (db.execute(f"select max(seq) from {table}").fetchone()[0] or 0) + 1
