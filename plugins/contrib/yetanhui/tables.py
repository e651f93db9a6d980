"""The plugin's own tables (created through ``county_migrations``), each named ``yetanhui_…``:

* ``yetanhui_talks`` — one row per evening talk (夜谈会): village, township, kind (例会 /
  重大事项), format, topics (JSON list), scheduled time, the notice (when, how, due), the
  contact cadre (包村干部) and chair, status ``scheduled``/``held``/``cancelled``, attendance
  (attendees, ordinary villagers, the reasons recorded for a low share or an absent contact
  cadre; the village's linked leadership member and the reason if absent) and the minutes
  (会议记录簿, L176).
* ``yetanhui_talk_log`` — every change to a talk (scheduled, noticed, postponed with its
  reason, cancelled with its reason, held): the minutes book's history (五个不准之一, L176).
* ``yetanhui_contacts`` — which township person is a village's contact cadre (包村干部, L172)
  or its linked leadership member (每个班子成员联系一个村, L176).
* ``yetanhui_studies`` — the township party committee's collective studies (集中研究, L176)
  with the matters studied (JSON list of case ids).
* ``yetanhui_reports`` — the problem-handling result report form (问题办理结果报告单, L176):
  one per matter, the result, how it was fed back, the majority consent of a major matter.
* ``yetanhui_inspections`` — the inspection record book (督查记录簿, L176): findings, with a
  prohibition code (五个不准) or ``perfunctory`` (走过场).

Instants are ISO 8601 with offset (``*_at``) plus a Unix timestamp (``*_ts``) for
``ctx.scope`` range queries. Only ``ctx.db`` touches these tables.
"""

from __future__ import annotations

import json


def register(migrations) -> None:
    """Add the yetanhui migration functions to ``migrations`` (a sqlite_utils Migrations set)."""

    @migrations()
    def m001_yetanhui_tables(db):
        db["yetanhui_talks"].create({
            "id": int, "village": str, "township": str, "kind": str, "format": str, "topics": str,
            "scheduled_at": str, "scheduled_ts": float, "notice_due_at": str, "notice_at": str, "notice_ts": float,
            "notice_channel": str, "contact_cadre": str, "chair": str, "status": str, "held_ts": float,
            "attendees": int, "ordinary": int, "share_reason": str, "contact_absent": str, "minutes": str,
            "recorded_at": str, "created_at": str, "created_ts": float,
        }, pk="id")
        db["yetanhui_talks"].create_index(["village", "scheduled_ts"])
        db["yetanhui_talk_log"].create({
            "id": int, "talk_id": int, "at": str, "ts": float, "action": str, "actor": str, "note": str,
        }, pk="id")
        db["yetanhui_talk_log"].create_index(["talk_id"])
        db["yetanhui_contacts"].create({"village": str, "kind": str, "person": str, "since": str},
                                       pk=("village", "kind"))
        db["yetanhui_studies"].create({
            "id": int, "township": str, "studied_at": str, "studied_ts": float, "note": str, "cases": str,
            "actor": str,
        }, pk="id")
        db["yetanhui_reports"].create({
            "case_id": str, "village": str, "talk_id": int, "level": str, "result": str, "feedback": str,
            "consent_for": int, "consent_of": int, "on_time": int, "reported_at": str, "reported_ts": float,
            "actor": str,
        }, pk="case_id")
        db["yetanhui_inspections"].create({
            "id": int, "village": str, "talk_id": int, "case_id": str, "finding": str, "note": str,
            "inspector": str, "at": str, "ts": float,
        }, pk="id")
        db["yetanhui_inspections"].create_index(["village", "ts"])

    @migrations()
    def m002_yetanhui_talk_leader(db):
        # the village's linked leadership member attends its talks (参加夜谈会, L176)
        db["yetanhui_talks"].add_column("leader", str)
        db["yetanhui_talks"].add_column("leader_absent", str)


def talk_row(row: dict | None) -> dict | None:
    """A ``yetanhui_talks`` row with ``topics`` parsed back into a list (None stays None)."""
    if row is None:
        return None
    out = dict(row)
    out["topics"] = json.loads(out["topics"] or "[]")
    return out


def get_talk(db, talk_id: int) -> dict | None:
    """The talk ``talk_id`` (topics parsed), or None."""
    rows = db.query("select * from yetanhui_talks where id = ?", [int(talk_id)])
    return talk_row(rows[0]) if rows else None


def talks(db, where: list[str] | None = None, params: list | None = None) -> list[dict]:
    """Talks matching the SQL conditions ``where`` (joined with *and*), by scheduled time."""
    sql = "select * from yetanhui_talks"
    if where:
        sql += " where " + " and ".join(where)
    return [talk_row(r) for r in db.query(sql + " order by scheduled_ts, id", params or [])]


def contact(db, village: str, kind: str = "contact_cadre") -> str | None:
    """The person id linked to ``village`` as ``kind`` (contact_cadre / leader), or None."""
    rows = db.query("select person from yetanhui_contacts where village = ? and kind = ?", [village, kind])
    return rows[0]["person"] if rows else None


def log(db, talk_id: int, at, action: str, actor: str, note: str | None = None) -> None:
    """Append one line to the talk's history (yetanhui_talk_log)."""
    db.insert("yetanhui_talk_log", {"talk_id": int(talk_id), "at": at.isoformat(), "ts": at.timestamp(),
                                    "action": action, "actor": actor, "note": note})
