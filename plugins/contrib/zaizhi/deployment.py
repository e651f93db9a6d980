"""zaizhi's own tables in the county file (``county_deployment_tables``, docs/hooks.md §3):

* ``[[zaizhi.members]]`` — the register (L389): ``id``, ``name``, ``home`` (a residential area),
  ``employer``, ``occupation``, ``skills``, ``habits``, ``group``, ``branch`` (a subdistrict:
  an agency cadre); key ``id``;
* ``[[zaizhi.posts]]`` — service posts (L397): ``unit``, ``kind``, ``service_day``, ``title``,
  ``service_time``, ``member`` (who claimed it); key (``unit``, ``kind``).

Rows load through the same service functions as ``county zaizhi member register`` and ``county
zaizhi post add/claim``; loading the file again changes nothing (``county init --update``).
"""

from __future__ import annotations

from framework import Column, DeploymentTable, NotFound

from . import service
from .rules import POST_KINDS

MEMBER_KEYS = ("name", "home", "employer", "occupation", "skills", "habits", "grp", "branch")


def load_member(ctx, row: dict) -> str:
    """One ``[[zaizhi.members]]`` row. Returns "added", "changed" or "unchanged"."""
    try:
        before = service.member(ctx, row["id"])
    except NotFound:
        before = None
    after = service.register_member(ctx, row["id"], row["name"], row["home"], employer=row.get("employer"),
                                    occupation=row.get("occupation"), skills=row.get("skills"),
                                    habits=row.get("habits"), group=row.get("group"), branch=row.get("branch"))
    if before is None:
        return "added"
    return "unchanged" if all(before[k] == after[k] for k in MEMBER_KEYS) else "changed"


def load_post(ctx, row: dict) -> str:
    """One ``[[zaizhi.posts]]`` row: the post of (unit, kind), claimed by ``member`` when given.
    Returns "added", "changed" or "unchanged"."""
    found = service.posts(ctx, row["unit"], kind=row["kind"])
    found = [p for p in found if p["unit"] == row["unit"]]
    if not found:
        p = service.add_post(ctx, row["unit"], row["kind"], row["service_day"], row.get("title"),
                             row.get("service_time"))
        if row.get("member"):
            service.claim(ctx, p["id"], row["member"])
        return "added"
    p = found[0]
    changed = False
    values = {"service_day": row["service_day"], "title": row.get("title") or POST_KINDS[row["kind"]],
              "service_time": row.get("service_time")}
    if any(p[k] != v for k, v in values.items()):
        service.check_post(ctx, row["unit"], row["kind"], row["service_day"])
        ctx.db.update("zaizhi_posts", p["id"], values)
        changed = True
    if (row.get("member") or None) != p["member"]:
        if p["member"]:
            service.release(ctx, p["id"])
        if row.get("member"):
            service.claim(ctx, p["id"], row["member"])
        changed = True
    return "changed" if changed else "unchanged"


def tables() -> list[DeploymentTable]:
    """The two tables' declarations."""
    return [
        DeploymentTable("members", "在职党员登记台帐 (L389)", [
            Column("id", required=True, description="person id"),
            Column("name", required=True, description="姓名"),
            Column("home", required=True, unit=True, description="居住地: the residential area"),
            Column("employer", description="所在单位"),
            Column("occupation", description="职业特点"),
            Column("skills", list, default=[], description="爱好特长"),
            Column("habits", description="生活习惯"),
            Column("group", description="分组"),
            Column("branch", unit=True, description="the subdistrict of their agency party branch (机关干部)"),
        ], load_member, key=("id",)),
        DeploymentTable("posts", "服务岗位（小修小补）(L397)", [
            Column("unit", required=True, unit=True, description="the residential area"),
            Column("kind", required=True, choices=tuple(POST_KINDS), description="岗位类别"),
            Column("service_day", int, required=True, description="每月定时: day of the month, 1–28"),
            Column("title", description="岗位名称"),
            Column("service_time", description="服务时段, e.g. 18:30-20:30"),
            Column("member", description="认领党员 (a member id)"),
        ], load_post, key=("unit", "kind")),
    ]
