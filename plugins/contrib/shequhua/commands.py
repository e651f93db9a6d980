"""``county shequhua …``: a thin click layer over ``service``, ``checks`` and ``employment``.
Every command takes ``--db``, ``--now``, ``--json`` (``county_command``); the human output is
Chinese, ``--json`` keeps the codes."""

from __future__ import annotations

import click

from framework import county_command, emit

from . import checks, employment, service
from .rules import (
    INSPECTION_KINDS,
    NAME,
    ORG_AREAS,
    OUTLETS,
    PROMOTIONS,
    RESULTS,
    SOURCE_FIGURES,
    TITLE_ZH,
)


@click.group(name=NAME)
def group():
    """农村社区化管理 (shequhua, 松山区 L266–290): service centres, organisations, pairing, checks."""


@group.group("centre")
def centre():
    """村社区化管理服务中心 (L282)."""


@centre.command("open")
@click.argument("village")
@click.option("--director", required=True, help="负责人: The village cadre leading the centre (a person id).")
@click.option("--note", default=None)
@county_command(method=NAME)
def centre_open(ctx, as_json, village, director, note):
    """建立社区化管理服务中心: Register VILLAGE as a pilot village with its service centre (L282)."""
    row, change = service.open_centre(ctx, village, director, note)
    emit({**row, "change": change}, as_json,
         lambda d: click.echo(f"{ctx.units[village].name} 社区化管理服务中心：{ {'added': '已建立', 'changed': '已更新', 'unchanged': '无变化'}[change]}"))


@centre.command("list")
@click.option("--unit", default=None, help="单位: Only this unit's subtree.")
@county_command(method=NAME)
def centre_list(ctx, as_json, unit):
    """试点村及服务中心: The pilot villages and their centres."""
    rows = [{**r, "orgs": [o["area"] for o in service.orgs(ctx, r["village"])],
             "partner": service.partner_of(ctx, r["village"])} for r in service.centres(ctx, unit)]

    def human(rows):
        for r in rows:
            click.echo(f"{r['village']}  {ctx.units[r['village']].name}  负责人 {r['director']}  "
                       f"服务组织 {len(r['orgs'])} 个  帮联 {ctx.units[r['partner']].name if r['partner'] else '—'}")
    emit(rows, as_json, human)


@group.group("org")
def org():
    """服务类组织 (L282)."""


@org.command("set")
@click.argument("village")
@click.option("--area", required=True, type=click.Choice(list(ORG_AREAS)), help="领域: The service area.")
@click.option("--leader", required=True, help="负责人: Its leader (a person id of the village).")
@click.option("--name", default=None, help="Its name (default 〈area〉服务队).")
@click.option("--member", "members", multiple=True, help="成员: A member (repeatable).")
@county_command(method=NAME)
def org_set(ctx, as_json, village, area, leader, name, members):
    """建立或更新服务组织: Set up or update the service organisation of an area at a pilot village (L282)."""
    row, change = service.set_org(ctx, village, area, leader, name, members)
    emit({**row, "change": change}, as_json,
         lambda d: click.echo(f"{ctx.units[village].name} {d['name']}：负责人 {leader}，成员 {len(d['members'])} 人"))


@org.command("list")
@click.argument("village")
@county_command(method=NAME)
def org_list(ctx, as_json, village):
    """服务组织列表: A village's service organisations."""
    rows = service.orgs(ctx, service.village(ctx, village).code)
    emit(rows, as_json, lambda rows: [click.echo(f"{ORG_AREAS[r['area']]}  {r['name']}  负责人 {r['leader']}  "
                                                 f"成员 {', '.join(r['members'])}") for r in rows])


@group.command("pair")
@click.argument("unit")
@click.option("--partner", required=True, help="帮联单位: The urban subdistrict (for a township) or community (for a village).")
@county_command(method=NAME)
def pair(ctx, as_json, unit, partner):
    """Pair a township with a subdistrict or a pilot village with a community (帮联对子, L273)."""
    row, change = service.pair(ctx, unit, partner)
    emit({**row, "change": change}, as_json,
         lambda d: click.echo(f"帮联对子：{ctx.units[partner].name} — {ctx.units[unit].name}"))


@group.command("pairs")
@click.option("--unit", default=None)
@county_command(method=NAME)
def pairs(ctx, as_json, unit):
    """The pairs (帮联对子, L273)."""
    emit(service.pairs(ctx, unit), as_json, lambda rows: [
        click.echo(f"{ctx.units[r['partner']].name} — {ctx.units[r['unit']].name}") for r in rows])


@group.command("draw")
@click.option("--quarter", required=True, help="季度: The quarter, e.g. 2024Q4.")
@click.option("--unit", default=None, help="单位: Draw within this unit's subtree.")
@county_command(method=NAME)
def draw(ctx, as_json, quarter, unit):
    """Draw the pilot villages of a quarter's random spot check (随机抽查, L276)."""
    picked = checks.draw(ctx, quarter, unit)
    emit({"quarter": quarter, "villages": picked}, as_json,
         lambda d: click.echo(f"{quarter} 随机抽查：{'、'.join(ctx.units[v].name for v in picked)}"))


@group.command("inspect")
@click.argument("village")
@click.option("--kind", required=True, type=click.Choice(list(INSPECTION_KINDS)))
@click.option("--result", required=True, type=click.Choice(list(RESULTS)))
@click.option("--inspector", required=True, help="检查人: The organisation department's staff member (a person id).")
@click.option("--note", default=None)
@county_command(method=NAME)
def inspect(ctx, as_json, village, kind, result, inspector, note):
    """指导检查: Record a check of a pilot village at --now (L273, L276)."""
    row = checks.inspect(ctx, village, kind, result, inspector, note)
    emit(row, as_json, lambda d: click.echo(
        f"{ctx.units[village].name} {INSPECTION_KINDS[kind]}：{RESULTS[result]}"))


@group.command("checks")
@click.option("--unit", default=None)
@click.option("--period", default=None)
@county_command(method=NAME)
def checks_list(ctx, as_json, unit, period):
    """检查记录: The checks recorded (of a unit's subtree, in a period)."""
    emit(checks.inspections(ctx, unit, period), as_json, lambda rows: [
        click.echo(f"{r['at'][:10]}  {ctx.units[r['village']].name}  {INSPECTION_KINDS[r['kind']]}  "
                   f"{RESULTS[r['result']]}") for r in rows])


@group.command("model")
@click.argument("village")
@click.option("--note", default=None)
@county_command(method=NAME)
def model(ctx, as_json, village, note):
    """Designate a pilot village a model village (示范村, L276)."""
    row = service.designate(ctx, village, note)
    emit(row, as_json, lambda d: click.echo(f"{ctx.units[village].name}：确定为农村社区化管理示范村"))


@group.command("promote")
@click.option("--kind", required=True, type=click.Choice(list(PROMOTIONS)))
@click.option("--title", required=True)
@click.option("--outlet", default=None, type=click.Choice(list(OUTLETS)), help="媒体: A column report's outlet.")
@click.option("--village", default=None, help="村: The model village featured or visited.")
@click.option("--unit", default=None, help="单位: The unit that held it (default the village, else the root).")
@county_command(method=NAME)
def promote(ctx, as_json, kind, title, outlet, village, unit):
    """宣传推广: Record a column report, an observation or exchange meeting, a study tour (L273, L276)."""
    row = service.promote(ctx, kind, title, unit, village, outlet)
    emit(row, as_json, lambda d: click.echo(f"{PROMOTIONS[kind]}：{title}"))


@group.group("file")
def file_group():
    """失地农民个人档案 (L280)."""


@file_group.command("open")
@click.argument("village")
@click.option("--file", "file_no", required=True, help="档案: The file number.")
@click.option("--name", required=True, help="名称: The farmer's name (never shown on a board).")
@click.option("--note", default=None)
@county_command(method=NAME)
def file_open(ctx, as_json, village, file_no, name, note):
    """建立失地农民档案: Open a land-lost farmer's personal file (L280)."""
    row = employment.open_file(ctx, village, file_no, name, note)
    emit(row, as_json, lambda d: click.echo(f"{ctx.units[village].name} 失地农民档案 {file_no} 已建立"))


@group.command("reimburse")
@click.argument("village")
@click.option("--cost", required=True, help="费用: The training cost in yuan.")
@click.option("--file", "file_no", default=None)
@click.option("--note", default=None)
@county_command(method=NAME)
def reimburse(ctx, as_json, village, cost, file_no, note):
    """Reimburse a training cost at actual cost up to the cap (2000元以内实报实销, L280)."""
    row = employment.reimburse(ctx, village, cost, file_no, note)
    emit(row, as_json, lambda d: click.echo(f"培训费用 {d['amount']:.2f} 元，报销 {d['village_part']:.2f} 元"))


@group.command("pension")
@click.argument("village")
@click.option("--file", "file_no", required=True)
@click.option("--premium", required=True, help="保费: The contribution in yuan.")
@click.option("--note", default=None)
@county_command(method=NAME)
def pension(ctx, as_json, village, file_no, premium, note):
    """失地农民养老保险缴费: Pay a land-lost farmer's pension contribution, half by the village (L280)."""
    row = employment.pension(ctx, village, file_no, premium, note)
    emit(row, as_json, lambda d: click.echo(f"养老保险 {d['amount']:.2f} 元：村负担 {d['village_part']:.2f} 元，"
                                            f"个人负担 {d['person_part']:.2f} 元"))


@group.command("figures")
@county_command(method=NAME)
def figures(ctx, as_json):
    """The figures the source states (松山区, L273–286), with their lines."""
    rows = [{"figure": k, "value": v, "line": line, "text": text} for k, (v, line, text) in SOURCE_FIGURES.items()]
    emit(rows, as_json, lambda rows: [click.echo(f"{r['line']}  {r['text']}  ({r['value']})") for r in rows]
         + [click.echo(f"— {TITLE_ZH}")])
