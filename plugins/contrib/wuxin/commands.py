"""``county wuxin …``: a thin click layer over service.py and duties.py — left-behind files, care
pairs and their schedule, care steps, environment steps and the building check (L418, L432, L437)."""

from __future__ import annotations

import click

from framework import CountyError, case_json, county_command, emit, parse_date, parse_sets

from . import duties as duty_rules
from . import service
from .rules import BUILDING_ROLES, CARE_KINDS, FILE_FIELDS, FILE_KINDS, METHOD, SIX_KNOWS, WORK

#: A care step's Chinese name (六个一 / 六必须, L432), child's and elder's kinds together.
CARE_ZH = {k: label for kinds in CARE_KINDS.values() for k, (label, _period) in kinds.items()}
#: A file's field's Chinese name (L432: 档案 fields and an elder's 六知道).
FIELD_ZH = {**FILE_FIELDS, **SIX_KNOWS}


@click.group(name=METHOD)
def group():
    """“五心”工程 (wuxin, 洛阳杨文社区 L412–445): left-behind files, care pairs (爱心妈妈六个一, 党员志愿者
    六必须), care steps, environment checks and the buildings' 两长四员."""


def _file_line(ctx, r: dict) -> str:
    missing = service.missing_fields(r) + (service.missing_knows(r) if r["kind"] == "elder" else [])
    pair = service.active_pair(ctx, r["id"])
    return (f"{r['id']}\t{FILE_KINDS[r['kind']]}\t{r['name']}\t{ctx.units[r['unit']].name}\t"
            f"{'结对 ' + ctx.people[pair['carer']].name if pair else '未结对'}\t"
            f"{'缺 ' + '、'.join(FIELD_ZH.get(m, m) for m in missing) if missing else '齐全'}"
            f"{'  已关闭' if r['closed_at'] else ''}")


@group.group("file")
def file_group():
    """留守儿童、留守老人档案 (L432)."""


@file_group.command("open")
@click.option("--kind", required=True, type=click.Choice(list(FILE_KINDS)), help="child 留守儿童 or elder 留守老人.")
@click.option("--name", required=True, help="姓名.")
@click.option("--unit", required=True, help="单位: Where they live: a building, grid or community (unit code).")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE",
              help="字段: birthday, health, living, away_where, away_contact, keeper, empty_nest, card, one_touch, "
                   + ", ".join(SIX_KNOWS) + ", note.")
@county_command(method=METHOD)
def file_open(ctx, as_json, kind, name, unit, sets):
    """Open a left-behind file (建立档案, L432)."""
    row = service.open_file(ctx, kind, name, unit, **parse_sets(sets))
    emit(row, as_json, lambda d: click.echo(f"档案{d['id']}：{FILE_KINDS[d['kind']]}{d['name']}，已建档"))


@file_group.command("update")
@click.argument("file_id", type=int)
@click.option("--set", "sets", multiple=True, required=True, metavar="FIELD=VALUE", help="字段: Fields to change.")
@county_command(method=METHOD)
def file_update(ctx, as_json, file_id, sets):
    """Change a file's fields (动态管理, L432); the change is logged."""
    row = service.update_file(ctx, file_id, **parse_sets(sets))
    emit(row, as_json, lambda d: click.echo(f"档案{d['id']}：已更新"))


@file_group.command("close")
@click.argument("file_id", type=int)
@click.option("--note", required=True, help="备注: Why (grown up, moved, family back home).")
@county_command(method=METHOD)
def file_close(ctx, as_json, file_id, note):
    """关闭档案: Close a file; its pair ends too."""
    row = service.close_file(ctx, file_id, note)
    emit(row, as_json, lambda d: click.echo(f"档案{d['id']}：已关闭"))


@file_group.command("list")
@click.option("--unit", default=None, help="单位: Only files living in this subtree.")
@click.option("--kind", default=None, type=click.Choice(list(FILE_KINDS)))
@county_command(method=METHOD)
def file_list(ctx, as_json, unit, kind):
    """档案列表: Open files (an operator's view: names shown), with their pair and missing fields."""
    rows = service.files(ctx, unit, kind)
    for r in rows:
        r["missing"] = service.missing_fields(r)
        if r["kind"] == "elder":
            r["missing_knows"] = service.missing_knows(r)
            r["standing_musts"] = service.standing_musts(ctx, r)
    emit(rows, as_json, lambda d: [click.echo(_file_line(ctx, r)) for r in d] or click.echo("（无档案）"))


@group.group("pair")
def pair_group():
    """Care pairs: 爱心妈妈 with a left-behind child, 党员志愿者 with an elder (L432)."""


@pair_group.command("add")
@click.argument("file_id", type=int)
@click.option("--carer", required=True, help="关爱人: The caring mother or party volunteer (a person id).")
@click.option("--note", default=None)
@county_command(method=METHOD)
def pair_add(ctx, as_json, file_id, carer, note):
    """Pair a carer with a file at --now (结成对子, 就近包保、责任到人, L432)."""
    row = service.make_pair(ctx, file_id, carer, note)
    emit(row, as_json, lambda d: click.echo(f"结对{d['id']}：{ctx.people[carer].name} ↔ 档案{file_id}"))


@pair_group.command("end")
@click.argument("pair_id", type=int)
@click.option("--note", default=None)
@county_command(method=METHOD)
def pair_end(ctx, as_json, pair_id, note):
    """结束结对: End a pair at --now."""
    row = service.end_pair(ctx, pair_id, note)
    emit(row, as_json, lambda d: click.echo(f"结对{d['id']}：已结束"))


@pair_group.command("list")
@click.option("--unit", default=None)
@county_command(method=METHOD)
def pair_list(ctx, as_json, unit):
    """结对列表: Every pair, active or ended."""
    rows = service.pairs(ctx, unit)
    emit(rows, as_json, lambda d: [click.echo(f"{r['id']}\t档案{r['file']}\t{ctx.people[r['carer']].name}\t"
                                              f"{r['started_at'][:10]}–{(r['ended_at'] or '')[:10]}") for r in d])


@pair_group.command("schedule")
@click.argument("pair_id", type=int)
@click.option("--from", "first", required=True, help="自: First local date (YYYY-MM-DD).")
@click.option("--to", "last", required=True, help="至: Last local date (YYYY-MM-DD).")
@county_command(method=METHOD)
def pair_schedule(ctx, as_json, pair_id, first, last):
    """The pair's care duties due from --from to --to (六个一 / 六必须, L432), with done or not."""
    a, b = parse_date(first, "--from"), parse_date(last, "--to")
    if b < a or (b - a).days > 366:
        raise CountyError(f"--to {last}：须不早于 --from {first}，且至多晚 366 天")
    pair = service.pair_row(ctx, pair_id)
    rows = [{"kind": d.kind, "title": d.title, "due_on": d.due_on.isoformat(), "done": d.done}
            for d in duty_rules.pair_duties(ctx, pair, service.file(ctx, pair["file"]), a, b)]
    emit(rows, as_json, lambda d: [click.echo(f"{r['due_on']}\t{CARE_ZH.get(r['kind'], r['kind'])}\t"
                                              f"{'已做' if r['done'] else '未做'}") for r in d])


@group.command("care")
@click.argument("pair_id", type=int)
@click.option("--kind", required=True,
              type=click.Choice([*CARE_KINDS["child"], *CARE_KINDS["elder"]]), help="类别: The care step.")
@click.option("--minutes", type=int, default=None, help="A chat's length (每周两小时, L432).")
@click.option("--note", default=None)
@county_command(method=METHOD)
def care(ctx, as_json, pair_id, kind, minutes, note):
    """Record a care step of a pair at --now (六个一 / 六必须, L432)."""
    row = service.record_care(ctx, pair_id, kind, minutes, note)
    emit(row, as_json, lambda d: click.echo(f"结对{pair_id}：{CARE_ZH[kind]}"
                                            + (f"（{minutes}分钟）" if minutes else "") + "，已记录"))


@group.command("work")
@click.argument("kind", type=click.Choice(list(WORK)))
@click.option("--unit", required=True, help="单位: The community (unit code).")
@click.option("--note", default=None)
@county_command(method=METHOD)
def work(ctx, as_json, kind, unit, note):
    """Record a community's work step at --now: 周检查、月评比、年考核 (L437), 值班、领导带班 (L445)."""
    row = service.record_work(ctx, kind, unit, note)
    emit(row, as_json, lambda d: click.echo(f"{ctx.units[unit].name}：{WORK[kind][0]}，已记录"))


@group.command("buildings")
@click.option("--unit", default=None, help="单位: Only buildings in this subtree.")
@county_command(method=METHOD)
def buildings(ctx, as_json, unit):
    """Each building's 两长四员 (L418): held or missing."""
    rows = service.building_check(ctx, unit)
    emit(rows, as_json, lambda d: [click.echo(
        f"{r['unit']}\t{r['name']}\t{'配齐' if r['complete'] else '缺 ' + '、'.join(BUILDING_ROLES[m] for m in r['missing'])}")
        for r in d] or click.echo("（无楼栋）"))


@group.command("feedback")
@click.argument("case_id")
@click.option("--note", required=True, help="备注: What the resident was told.")
@county_command(method=METHOD)
def feedback(ctx, as_json, case_id, note):
    """Feed the result of a resolved case back to the resident (工作反馈, L418)."""
    case = service.feed_back(ctx, case_id, note)
    emit(case_json(case, events=False), as_json, lambda d: click.echo(f"{d['id']}：工作反馈已记录"))
