"""jieti's own tables (``county_migrations``); used only through ``ctx.db``.

* ``jieti_zones`` — 民情责任区 (L298): id, kind (rules.ZONE_KINDS), unit (the unit it covers),
  name, leader (责任人, person id), paired_unit (a village zone's 挂钩联系部门, L306).
* ``jieti_area_contacts`` — a station head's area contact for 3–5 group zones (L298).
* ``jieti_meetings`` — the selection bodies' joint meetings (民情联席会议, L302): body (group /
  village / township / county), unit, held_on (local date), items (case ids sent up, JSON).
* ``jieti_inspections`` — the inspection centre's monthly 督查·汇总·通报 (L306).
* ``jieti_liaison_reports`` — the township liaison cadre's monthly / quarterly reports (L302).
* ``jieti_quota_log`` — days at the grassroots and practical things done per person (L306).
* ``jieti_receptions`` — county leaders' fixed reception hours and places (坐班接待, L302).

Every dated row keeps an ISO text column and a Unix-timestamp ``…_ts`` column (for ``ctx.scope``).
"""

from __future__ import annotations


def migrations(m) -> None:
    """Register jieti's migrations on ``m`` (sqlite_utils Migrations named ``jieti``)."""

    @m()
    def m001_tables(db):
        db["jieti_zones"].create({"id": str, "kind": str, "unit": str, "name": str, "leader": str,
                                  "paired_unit": str, "created_at": str, "created_ts": float}, pk="id")
        db["jieti_area_contacts"].create({"person": str, "zone": str, "created_at": str}, pk=("person", "zone"))
        db["jieti_meetings"].create({"id": int, "body": str, "unit": str, "held_on": str, "held_ts": float,
                                     "items": str, "note": str, "recorded_by": str}, pk="id")
        db["jieti_inspections"].create({"month": str, "unit": str, "inspected_on": str, "inspected_ts": float,
                                        "summary": str, "circulated": int, "note": str, "recorded_by": str},
                                       pk=("month", "unit"))
        db["jieti_liaison_reports"].create({"id": int, "unit": str, "kind": str, "period": str, "reported_on": str,
                                            "reported_ts": float, "reported_to": str, "note": str,
                                            "recorded_by": str}, pk="id")
        db["jieti_quota_log"].create({"id": int, "person": str, "unit": str, "kind": str, "amount": float,
                                      "on_date": str, "on_ts": float, "case_id": str, "note": str,
                                      "recorded_by": str}, pk="id")
        db["jieti_receptions"].create({"id": int, "leader": str, "place": str, "schedule": str,
                                       "published_in": str, "created_at": str}, pk="id")
