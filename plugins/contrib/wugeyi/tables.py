"""The plugin's own tables (created through ``county_migrations``), each named ``wugeyi_…``:

* ``wugeyi_villages`` — the village book's first page, 村情档案 (一村一册, L124): basic facts,
  the two committees, economy, party building, social stability.
* ``wugeyi_households`` — one page per household, 户情档案 (一户一页, L124): the village, the
  household head (户主, personal data: masked on every public output), members, the six record
  fields and the segment (一般村民 / 致富能手 / 贫困户 / 信访户).
* ``wugeyi_profile_log`` — every update of a village or household page (及时更新、定期维护, L124):
  who, when, which fields.
* ``wugeyi_talks`` — monthly talks (月月谈, L126): village, cadre, household, kind (定期 / 随机),
  what was heard.
* ``wugeyi_cards`` — heart-link cards issued (发放一张“连心卡”, L128): household, when, by whom.
* ``wugeyi_centres`` — each township centre's own hotline (当地便民服务中心的服务热线, L128).
* ``wugeyi_conduct`` — supervision with rewards and penalties (监督奖惩制, L126): a cadre
  criticised by public notice (通报批评) or commended (表彰奖励), the reason, the matter.

Instants are ISO 8601 with offset (``*_at``) plus a Unix timestamp (``*_ts``) for
``ctx.scope``. Only ``ctx.db`` touches these tables.
"""

from __future__ import annotations


def register(migrations) -> None:
    """Add the wugeyi migration functions to ``migrations`` (a sqlite_utils Migrations set)."""

    @migrations()
    def m001_wugeyi_tables(db):
        db["wugeyi_villages"].create({
            "unit": str, "basic": str, "committee": str, "economy": str, "party_building": str, "stability": str,
            "updated_at": str, "updated_ts": float, "updated_by": str,
        }, pk="unit")
        db["wugeyi_households"].create({
            "id": str, "unit": str, "head": str, "phone": str, "address": str, "members": int, "segment": str,
            "family": str, "employment_income": str, "housing": str, "social_security": str,
            "family_planning": str, "hardship_disputes": str, "created_ts": float,
            "updated_at": str, "updated_ts": float, "updated_by": str,
        }, pk="id")
        db["wugeyi_households"].create_index(["unit"])
        db["wugeyi_profile_log"].create({
            "id": int, "unit": str, "household": str, "fields": str, "at": str, "ts": float, "actor": str,
        }, pk="id")
        db["wugeyi_profile_log"].create_index(["unit", "ts"])
        db["wugeyi_talks"].create({
            "id": int, "unit": str, "cadre": str, "household": str, "kind": str, "note": str,
            "at": str, "ts": float, "actor": str,
        }, pk="id")
        db["wugeyi_talks"].create_index(["unit", "ts"])
        db["wugeyi_cards"].create({
            "household": str, "unit": str, "issued_at": str, "issued_ts": float, "issued_by": str,
        }, pk="household")
        db["wugeyi_centres"].create({"unit": str, "hotline": str, "updated_at": str}, pk="unit")
        db["wugeyi_conduct"].create({
            "id": int, "person": str, "unit": str, "kind": str, "reason": str, "case_id": str, "note": str,
            "at": str, "ts": float, "actor": str,
        }, pk="id")
        db["wugeyi_conduct"].create_index(["unit", "ts"])
