"""zaizhi's own tables (``county_migrations``): the member register, service posts and their
claims, the activity log, commendations and 一居一特 brands. Each instant is stored as ISO
8601 with a Unix timestamp beside it (``*_ts``) for ``ctx.scope``."""

from __future__ import annotations


def register(migrations):
    """Register the migrations on ``migrations`` (the method's migration set)."""

    @migrations()
    def m001_register(db):
        # 《在职党员登记台帐》 (L389): by occupation, skills and living habits; economic situation and
        # current needs (L397); ``branch`` = the subdistrict of an agency party branch member.
        db["zaizhi_members"].create({
            "id": str, "name": str, "home": str, "employer": str, "occupation": str, "skills": str,
            "habits": str, "grp": str, "economic": str, "needs": str, "branch": str,
            "registered_at": str, "registered_ts": float}, pk="id")
        # 服务岗位 (L397): one per kind and residential area, served monthly on ``service_day``.
        db["zaizhi_posts"].create({
            "id": int, "unit": str, "kind": str, "title": str, "service_day": int, "service_time": str,
            "created_at": str}, pk="id")
        db["zaizhi_claims"].create({
            "id": int, "post": int, "member": str, "claimed_at": str, "claimed_ts": float,
            "released_at": str, "released_ts": float}, pk="id")
        db["zaizhi_activities"].create({
            "id": int, "kind": str, "unit": str, "person": str, "post": int, "persons": int, "note": str,
            "at": str, "at_ts": float}, pk="id")
        db["zaizhi_commendations"].create({
            "id": int, "member": str, "unit": str, "award": str, "note": str, "at": str, "at_ts": float}, pk="id")
        db["zaizhi_brands"].create({"unit": str, "name": str, "note": str, "at": str}, pk="unit")
        db["zaizhi_activities"].create_index(["kind", "at_ts"])
