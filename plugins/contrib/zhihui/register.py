"""The population register (社区人口资源数据库, L404): every person entered **once**, at a house of a
grid (以房管人, L406), with the civil-affairs, family-planning and minimum-living markers entered
in the same stroke (民政、计生、低保等各类数据一次输入) and summed up per grid (自动分析汇总)."""

from __future__ import annotations

import json
import re

from framework import CountyError, NotFound, Refusal, mask_name

from .rules import FLAGS, NAME

_ID = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_id_number(id_number) -> str:
    """The 18-character resident ID number (身份证号, GB 11643: 17 digits and a check character),
    upper-cased. Returns it; ``CountyError`` naming ``id_number`` when malformed or its check
    character is wrong (the number itself is not echoed: it is personal data)."""
    text = str(id_number or "").strip().upper()
    if not _ID.match(text):
        raise CountyError("id_number: an 18-character 身份证号 (17 digits, then a digit or X) is needed")
    check = "10X98765432"[sum(int(d) * w for d, w in zip(text, _WEIGHTS)) % 11]
    if text[-1] != check:
        raise CountyError("id_number: the check character does not match (身份证号校验位错误)")
    return text


def masked_id(id_number: str) -> str:
    """``640121********1234``: the region code and the last four kept (for operators' lines)."""
    return f"{id_number[:6]}{'*' * 8}{id_number[-4:]}"


def _grid(ctx, code):
    unit = ctx.unit(code)
    if unit.level != "grid":
        raise CountyError(f"grid {code!r}: {unit.name} is a {unit.level}, not a grid (网格)")
    return unit


def _row(r: dict) -> dict:
    return {**r, "flags": json.loads(r["flags"] or "[]")}


def resident(ctx, id_number) -> dict:
    """The register row of ``id_number``: ``id_number``, ``name``, ``grid``, ``house``, ``flags``
    (list), ``entered_at`` (ISO). ``NotFound`` when the person is not entered."""
    key = check_id_number(id_number)
    rows = ctx.db.query("select * from zhihui_residents where id_number = ?", [key])
    if not rows:
        raise NotFound(f"resident {masked_id(key)}: not in the population register (county {NAME} resident add)")
    return _row(rows[0])


def _flags(flags) -> list[str]:
    if isinstance(flags, str):
        flags = [f for f in re.split(r"[;,，；\s]+", flags) if f]
    flags = list(dict.fromkeys(flags or ()))
    unknown = [f for f in flags if f not in FLAGS]
    if unknown:
        raise CountyError(f"flags: {unknown[0]!r} is not one of " + ", ".join(f"{k} {v}" for k, v in FLAGS.items()))
    if "caller" in flags and "empty_nest" not in flags:
        raise CountyError("flags: a one-button caller (caller) goes to empty-nest elderly (empty_nest) only (L404)")
    return flags


def enter(ctx, id_number, name, grid, house, flags=()) -> dict:
    """Enter one person into the register at ``ctx.now``: ``name``, the ``grid`` (a unit code of
    level grid) and the ``house`` (门牌, e.g. 阳光小区3号楼2单元301) where the person lives,
    ``flags`` among ``FLAGS`` (民政, 计生, 低保, 空巢老人, 一键式呼叫器; a list or a ``;``/``,``
    separated text). Returns the new row (``resident``'s shape).

    Refusals, nothing written: the same 身份证号 a second time (``Refusal``: 一次输入, L404);
    a house already in another grid (``CountyError``: 以房管人, L406); a caller for someone not
    marked empty-nest (L404: 为空巢老人安装); an unknown flag, an empty name or house, a unit that
    is not a grid (``CountyError`` naming the field)."""
    key = check_id_number(id_number)
    name = (name or "").strip()
    house = (house or "").strip()
    if not name or len(name) > 50:
        raise CountyError("name: 1 to 50 characters")
    if not house or len(house) > 100:
        raise CountyError("house: the door address (门牌), 1 to 100 characters")
    unit = _grid(ctx, grid)
    flags = _flags(flags)
    with ctx.transaction():
        before = ctx.db.query("select name, grid, entered_at from zhihui_residents where id_number = ?", [key])
        if before:
            b = before[0]
            raise Refusal(f"resident {masked_id(key)} ({mask_name(b['name'])}): already entered on "
                          f"{b['entered_at'][:10]} in {ctx.units[b['grid']].name if b['grid'] in ctx.units else b['grid']}"
                          f" — population data are entered once (一次输入, L404)")
        home = ctx.db.query("select grid from zhihui_houses where house = ?", [house])
        if home and home[0]["grid"] != unit.code:
            raise CountyError(f"house {house!r}: belongs to grid {home[0]['grid']}, not {unit.code} (以房管人, L406)")
        if not home:
            ctx.db.insert("zhihui_houses", {"house": house, "grid": unit.code})
        ctx.db.insert("zhihui_residents", {
            "id_number": key, "name": name, "grid": unit.code, "house": house, "flags": json.dumps(flags),
            "entered_at": ctx.now.isoformat(), "entered_ts": ctx.now.timestamp(), "actor": ctx.actor})
    return resident(ctx, key)


def set_flags(ctx, id_number, flags) -> dict:
    """Replace the markers of a person already entered (the record is kept up to date, never
    entered twice, L404): ``flags`` as for ``enter``. Returns the row. ``NotFound`` for a person
    not entered, ``CountyError`` for a bad flag."""
    row = resident(ctx, id_number)
    flags = _flags(flags)
    with ctx.transaction():
        ctx.db.update("zhihui_residents", row["id_number"], {"flags": json.dumps(flags)})
    return resident(ctx, row["id_number"])


def summary(ctx, unit=None) -> list[dict]:
    """自动分析汇总 (L404): one row per grid of ``unit``'s subtree (a unit code; None: every grid)
    that the method takes part in, in code order, then a total row (``grid`` None): ``grid``,
    ``name``, ``houses``, ``residents`` and one count per flag of ``FLAGS``. ``NotFound`` for an
    unknown unit."""
    codes = ctx.subtree(ctx.unit(unit).code) if unit else sorted(ctx.units)
    grids = sorted(c for c in codes if ctx.units[c].level == "grid" and ctx.takes_part(c))
    counts = {g: {"houses": 0, "residents": 0, **{f: 0 for f in FLAGS}} for g in grids}
    if grids:
        marks = ctx.db.placeholders(grids)
        for r in ctx.db.query(f"select grid, count(*) as n from zhihui_houses where grid in ({marks}) group by grid",
                              grids):
            counts[r["grid"]]["houses"] = r["n"]
        for r in ctx.db.query(f"select grid, flags from zhihui_residents where grid in ({marks})", grids):
            counts[r["grid"]]["residents"] += 1
            for f in json.loads(r["flags"] or "[]"):
                counts[r["grid"]][f] += 1
    rows = [{"grid": g, "name": ctx.units[g].name, **counts[g]} for g in grids]
    total = {"grid": None, "name": "合计", "houses": 0, "residents": 0, **{f: 0 for f in FLAGS}}
    for r in rows:
        for k in total:
            if k not in ("grid", "name"):
                total[k] += r[k]
    return rows + [total]
