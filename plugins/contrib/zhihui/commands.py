"""``county zhihui …``: the population register, the 4+4+1+6 posts and their check, the profit
share and education records — a thin click layer over register.py, staffing.py and service.py."""

from __future__ import annotations

import click

from framework import county_command, emit, mask_name

from . import register, service, staffing
from .rules import EDUCATION, FLAGS, NAME, POSTS


@click.group(name=NAME)
def group():
    """智慧社区 (zhihui): population register, 4+4+1+6 grid staffing, profit share, education."""


@group.group("resident")
def resident():
    """社区人口资源数据库 (L404): each person entered once."""


@resident.command("add")
@click.option("--id-number", required=True, help="身份证号 (18 characters): the key; a second entry is refused.")
@click.option("--name", required=True, help="姓名.")
@click.option("--grid", required=True, help="网格: The grid (a unit code) of the person's house.")
@click.option("--house", required=True, help="门牌 (e.g. 阳光小区3号楼2单元301); a house lies in one grid.")
@click.option("--flags", default="", help="标记: Markers, ';'-separated: " + ", ".join(f"{k} {v}" for k, v in FLAGS.items()))
@county_command(method=NAME)
def resident_add(ctx, as_json, id_number, name, grid, house, flags):
    """Enter a person into the population register at --now (一次输入, L404)."""
    row = register.enter(ctx, id_number, name, grid, house, flags)
    out = {**row, "id_number": register.masked_id(row["id_number"]), "name": mask_name(row["name"])}
    emit(out, as_json, lambda d: click.echo(f"{d['id_number']} {d['name']}：已录入{ctx.units[d['grid']].name}"))


@resident.command("flags")
@click.option("--id-number", required=True, help="身份证号 of a person already entered.")
@click.option("--flags", required=True, help="标记: The full new set of markers, ';'-separated ('' for none).")
@county_command(method=NAME)
def resident_flags(ctx, as_json, id_number, flags):
    """Replace a registered person's markers (民政、计生、低保…) without a second entry (L404)."""
    row = register.set_flags(ctx, id_number, flags)
    out = {**row, "id_number": register.masked_id(row["id_number"]), "name": mask_name(row["name"])}
    emit(out, as_json, lambda d: click.echo(f"{d['id_number']} {d['name']}：" + ("、".join(
        FLAGS[f] for f in d["flags"]) or "无标记")))


@group.command("summary")
@click.option("--unit", default=None, help="单位: Only grids of this unit's subtree (a unit code).")
@county_command(method=NAME)
def summary(ctx, as_json, unit):
    """自动分析汇总 (L404): houses, residents and each marker per grid, then the total."""
    rows = register.summary(ctx, unit)

    def human(rows):
        click.echo("网格\t户\t人\t" + "\t".join(FLAGS.values()))
        for r in rows:
            click.echo(f"{r['name']}\t{r['houses']}\t{r['residents']}\t" + "\t".join(str(r[f]) for f in FLAGS))

    emit(rows, as_json, human)


@group.group("staff")
def staff():
    """网格“4+4+1+6”配备 (L406): who fills which post."""


@staff.command("add")
@click.option("--unit", required=True, help="单位: The grid (or community for the first 4) posted to.")
@click.option("--post", required=True, type=click.Choice(list(POSTS)), help="岗位: The post.")
@click.option("--person", required=True, help="人员: A person id.")
@county_command(method=NAME)
def staff_add(ctx, as_json, unit, post, person):
    """配备人员: Post a person; quotas and who may serve are checked (L406)."""
    row = staffing.add(ctx, unit, post, person)
    emit(row, as_json, lambda d: click.echo(
        f"{d['person']}：{ctx.units[d['unit']].name}{POSTS[d['post']]}" + ("" if d["added"] else "（原已配备）")))


@staff.command("remove")
@click.option("--unit", required=True)
@click.option("--post", required=True, type=click.Choice(list(POSTS)))
@click.option("--person", required=True)
@county_command(method=NAME)
def staff_remove(ctx, as_json, unit, post, person):
    """免去岗位: Take a person off a post."""
    gone = staffing.remove(ctx, unit, post, person)
    emit({"removed": gone}, as_json, lambda d: click.echo(
        f"{person}：" + (f"已免去{ctx.units[unit].name}{POSTS[post]}" if gone
                        else f"并非{ctx.units[unit].name}{POSTS[post]}，无需免去")))


@group.command("staffing")
@click.option("--unit", default=None, help="单位: Only grids of this unit's subtree (a unit code).")
@county_command(method=NAME)
def staffing_check(ctx, as_json, unit):
    """“4+4+1+6”配备检查: The 4+4+1+6 check (L406): every grid that misses the model, with what it misses, and the
    grids and communities against the plan (92 grids, L406; 8 communities, L402)."""
    grids = staffing.check(ctx, unit)
    data = {**staffing.division(ctx, unit), "complete": sum(g["complete"] for g in grids),
            "incomplete": [{"grid": g["grid"], "name": g["name"], "missing": g["missing"]}
                           for g in grids if not g["complete"]]}

    def human(d):
        click.echo(f"网格 {d['grids']}/{d['planned_grids']}，社区 {d['communities']}/{d['planned_communities']}，"
                   f"“4+4+1+6”达标 {d['complete']}/{d['grids']}")
        for g in d["incomplete"]:
            click.echo(f"{g['grid']} {g['name']}：缺 " + "、".join(g["missing"]))

    emit(data, as_json, human)


@group.command("revenue")
@click.option("--unit", required=True, help="单位: The community (a unit code).")
@click.option("--provider", required=True, help="The service station or provider (e.g. 阳光服务站).")
@click.option("--month", required=True, help="月份: YYYY-MM.")
@click.option("--profit", required=True, help="The month's profit in yuan (元).")
@county_command(method=NAME)
def revenue(ctx, as_json, unit, provider, month, profit):
    """盈利返还社区: Record a month's profit and the share returned to the community (20%, L410)."""
    row = service.record_revenue(ctx, unit, provider, month, profit)
    emit(row, as_json, lambda d: click.echo(
        f"{d['provider']} {d['month']}：盈利 {d['profit_fen'] / 100:.2f} 元，返还社区 {d['returned_fen'] / 100:.2f} 元"
        f"（{d['percent']}%）"))


@group.command("education")
@click.option("--person", required=True, help="人员: A community worker (a person id).")
@click.option("--level", required=True, type=click.Choice(list(EDUCATION)), help="学历: The education level.")
@county_command(method=NAME)
def education(ctx, as_json, person, level):
    """Record a community worker's education (大专以上 within 3-5 years, L408)."""
    row = service.record_education(ctx, person, level)
    emit(row, as_json, lambda d: click.echo(f"{d['person']}：{EDUCATION[d['level']]}"
                                            + ("（达标）" if d["qualified"] else "（未达大专）")))
