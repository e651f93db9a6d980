"""zhihui's own tables (``county_migrations``). Each instant is stored as ISO 8601 with a Unix
timestamp beside it (``*_ts``) so that ``ctx.scope`` selects a subtree and a period."""

from __future__ import annotations


def register(migrations):
    """Register the migrations on ``migrations`` (the method's migration set)."""

    @migrations()
    def m001_tables(db):
        # 社区人口资源数据库 (L404): one row per person, entered once (key: the 身份证号).
        db["zhihui_residents"].create({
            "id_number": str, "name": str, "grid": str, "house": str, "flags": str,
            "entered_at": str, "entered_ts": float, "actor": str}, pk="id_number")
        # 以房管人 (L406): a house belongs to one grid.
        db["zhihui_houses"].create({"house": str, "grid": str}, pk="house")
        # 4+4+1+6 (L406): who fills which post of which grid (or community).
        db["zhihui_staff"].create({
            "id": int, "unit": str, "post": str, "person": str, "since": str, "since_ts": float}, pk="id")
        db["zhihui_staff"].create_index(["unit", "post", "person"], unique=True)
        # 大专以上文化水平 (L408): a worker's education, latest entry wins.
        db["zhihui_education"].create({"person": str, "level": str, "at": str, "at_ts": float}, pk="person")
        # 盈利收入20%返还社区 (L410): one row per community, provider and month; amounts in fen.
        db["zhihui_revenue"].create({
            "id": int, "unit": str, "provider": str, "month": str, "profit_fen": int, "returned_fen": int,
            "percent": int, "month_ts": float, "at": str}, pk="id")
        db["zhihui_revenue"].create_index(["unit", "provider", "month"], unique=True)
