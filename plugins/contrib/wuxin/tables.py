"""wuxin's own tables (``county_migrations``): the left-behind files (留守儿童/老人档案, L432) and
their change log, the care pairs (爱心妈妈 / 关爱对子, L432), the care log (六个一 / 六必须
carried out, L432) and the community work log (环境卫生周检查、月评比、年考核, L437). Each instant
is stored as ISO 8601 with a Unix timestamp beside it (``*_ts``) for ``ctx.scope``."""

from __future__ import annotations


def register(migrations):
    """Register the migrations on ``migrations`` (the method's migration set)."""

    @migrations()
    def m001_records(db):
        """Files, their change log, pairs, the care log and the work log (``db``: sqlite_utils)."""
        # 分类建立专项台账 (L432): one row per left-behind child or elder; ``unit`` is where they
        # live (a building, grid or community); ``keeper`` the named person (落实专人).
        db["wuxin_files"].create({
            "id": int, "kind": str, "name": str, "unit": str, "birthday": str, "health": str, "living": str,
            "away_where": str, "away_contact": str, "keeper": str, "empty_nest": int,
            "illnesses": str, "medicines": str, "allergies": str, "haunts": str, "hobbies": str,
            "family_phone": str, "card": int, "one_touch": str, "note": str,
            "opened_at": str, "opened_ts": float, "closed_at": str, "closed_ts": float,
            "updated_at": str, "updated_ts": float}, pk="id")
        # 动态管理 (L432): every change of a file, never deleted.
        db["wuxin_file_log"].create({"id": int, "file": int, "fields": str, "actor": str, "at": str,
                                     "at_ts": float}, pk="id")
        # 结成对子 (L432): a carer (a person) and a file, one-to-one while active.
        db["wuxin_pairs"].create({
            "id": int, "file": int, "kind": str, "carer": str, "unit": str, "started_at": str, "started_ts": float,
            "ended_at": str, "ended_ts": float, "note": str}, pk="id")
        # 六个一 / 六必须 carried out (L432).
        db["wuxin_care"].create({"id": int, "pair": int, "kind": str, "minutes": int, "note": str, "actor": str,
                                 "unit": str, "at": str, "at_ts": float}, pk="id")
        # 周检查、月评比、年考核 (L437) at a community.
        db["wuxin_work"].create({"id": int, "kind": str, "unit": str, "note": str, "actor": str, "at": str,
                                 "at_ts": float}, pk="id")
        db["wuxin_care"].create_index(["pair", "kind", "at_ts"])
        db["wuxin_work"].create_index(["kind", "unit", "at_ts"])
        db["wuxin_pairs"].create_index(["file"])
