"""``county jieti …``: a thin click layer over :mod:`.service` and :mod:`.zones`.

Every command takes ``--db``, ``--now``, ``--json`` (county_command); the human output is in
Chinese, ``--json`` keeps the codes.
"""

from __future__ import annotations

import click

from framework import Refusal, case_json, county_command, emit

from . import service, zones
from .rules import BODIES, NAME, QUOTA_KINDS, TIER_ZH, ZONE_KINDS


@click.group(name=NAME)
def group():
    """“三种方式”(jieti, 墨江): zones, selection meetings, inspections, quotas, the ladder's top."""


@group.group("zone")
def zone():
    """民情责任区 and who holds them (L298)."""


@zone.command("add")
@click.argument("zone_id")
@click.option("--kind", required=True, help="类别: " + ", ".join(ZONE_KINDS))
@click.option("--unit", required=True, help="单位: The unit the zone covers.")
@click.option("--leader", required=True, help="The zone leader (责任人), a person id.")
@click.option("--paired", default=None, help="A village zone's paired department (挂钩联系部门, L306).")
@click.option("--name", default=None)
@county_command(method=NAME)
def zone_add(ctx, as_json, zone_id, kind, unit, leader, paired, name):
    """登记或更新责任区: Register or update a zone (L298)."""
    with ctx.transaction():
        row = zones.add_zone(ctx, zone_id, kind, unit, leader, name=name, paired=paired)
    emit(row, as_json, lambda d: click.echo(f"{d['id']}：{d['name']}，责任人{ctx.people[d['leader']].name}"
                                            + (f"，挂钩部门{ctx.units[d['paired_unit']].name}" if d["paired_unit"] else "")))


@zone.command("contact")
@click.argument("person")
@click.argument("zone_ids", nargs=-1, required=True)
@county_command(method=NAME)
def zone_contact(ctx, as_json, person, zone_ids):
    """A station head's area contact for group zones (分片联系3—5个组级责任区, L298)."""
    with ctx.transaction():
        got = zones.add_contacts(ctx, person, list(zone_ids))
    emit({"person": person, "zones": got}, as_json,
         lambda d: click.echo(f"{ctx.people[person].name}分片联系{len(got)}个组级责任区：{'、'.join(got)}"))


@zone.command("list")
@click.option("--unit", default=None)
@county_command(method=NAME)
def zone_list(ctx, as_json, unit):
    """责任区列表: The zones under a unit."""
    rows = zones.zones(ctx, unit)

    def human(rows):
        for r in rows:
            click.echo(f"{r['id']}\t{ZONE_KINDS[r['kind']]}\t{ctx.units[r['unit']].name}\t"
                       f"{ctx.people[r['leader']].name if r['leader'] in ctx.people else r['leader']}")
    emit(rows, as_json, human)


@zone.command("check")
@click.option("--unit", default=None)
@county_command(method=NAME)
def zone_check(ctx, as_json, unit):
    """检查责任区缺口: Every gap in the pyramid (L298); exit 1 while there is one."""
    found = zones.check(ctx, unit)
    emit({"findings": found}, as_json,
         lambda d: [click.echo(f"{f['subject']}\t{f['detail']}") for f in found] or click.echo("责任区无缺口"))
    if found:
        raise Refusal(f"责任区检查：{len(found)} 处缺口（村村都有责任区、区区都有责任人, L298）")


@group.command("meeting")
@click.option("--body", required=True, help="决策主体: " + ", ".join(BODIES))
@click.option("--unit", required=True)
@click.option("--date", "held_on", default=None, help="日期: YYYY-MM-DD (default today)")
@click.option("--case", "items", multiple=True, help="事项: A matter the meeting collected or selected (repeatable).")
@click.option("--note", default=None)
@county_command(method=NAME)
def meeting(ctx, as_json, body, unit, held_on, items, note):
    """Record a selection body's joint meeting (民情联席会议, L302)."""
    row = service.record_meeting(ctx, body, unit, held_on, list(items), note)
    emit(row, as_json, lambda d: click.echo(f"#{d['id']} {d['held_on']} {ctx.units[unit].name}"
                                            f"{BODIES[body][0]}联席会议，遴选事项{len(d['items'])}件"))


@group.command("inspect")
@click.option("--month", required=True, help="月份: YYYY-MM")
@click.option("--unit", default=None, help="单位: The county (default: the county root).")
@click.option("--summary", default=None, help="汇总 (default: the month's figures).")
@click.option("--not-circulated", is_flag=True, help="Recorded but not yet circulated (通报).")
@click.option("--note", default=None)
@county_command(method=NAME)
def inspect(ctx, as_json, month, unit, summary, not_circulated, note):
    """The inspection centre's monthly 督查、汇总、通报 (L306)."""
    row = service.record_inspection(ctx, month, unit, summary, not not_circulated, note)
    emit(row, as_json, lambda d: click.echo(f"{d['month']} 督查：{d['summary']}"
                                            f"{'，已通报' if d['circulated'] else '，未通报'}"))


@group.command("liaison")
@click.option("--unit", required=True, help="单位: The township.")
@click.option("--kind", required=True, help="类别: monthly or quarterly")
@click.option("--period", required=True, help="期间: YYYY-MM or YYYYQn")
@click.option("--to", "to", required=True, help="至: The paired units or leaders reported to.")
@click.option("--note", default=None)
@county_command(method=NAME)
def liaison(ctx, as_json, unit, kind, period, to, note):
    """联络员报告: The township liaison cadre's report to the paired units / leaders (L302)."""
    row = service.record_liaison_report(ctx, unit, kind, period, to, note)
    emit(row, as_json, lambda d: click.echo(f"{ctx.units[unit].name} {d['period']} 报告{d['reported_to']}"))


@group.command("report-up")
@click.argument("case_id")
@click.option("--reason", required=True)
@county_command(method=NAME)
def report_up(ctx, as_json, case_id, reason):
    """说明原因、报告县委政府: A listed case beyond the departments' powers: explained, reported to the county (L306)."""
    case = service.report_up(ctx, case_id, reason)
    emit(case_json(case, events=False), as_json,
         lambda d: click.echo(f"{d['id']}：已向群众说明原因，报告{TIER_ZH['county_leadership']}"))


@group.command("feasibility")
@click.argument("case_id")
@click.option("--report", required=True, help="报告: The feasibility report's conclusion.")
@county_command(method=NAME)
def feasibility(ctx, as_json, case_id, report):
    """可行性调查报告: The leading-group office's feasibility report, submitted to the county (L306)."""
    case = service.feasibility(ctx, case_id, report)
    emit(case_json(case, events=False), as_json,
         lambda d: click.echo(f"{d['id']}：可行性调查报告已提交{TIER_ZH['county_leadership']}"))


@group.group("quota")
def quota():
    """年度任务: Annual quotas: days at the grassroots, practical things (L306)."""


@quota.command("log")
@click.argument("person")
@click.option("--kind", required=True, help="类别: " + ", ".join(QUOTA_KINDS))
@click.option("--days", default=1.0, type=float, help="天数: grassroots_days: days spent (default 1).")
@click.option("--case", "case_id", default=None, help="事项: deed: the resolved matter it was.")
@click.option("--date", "on_date", default=None)
@click.option("--note", default=None)
@county_command(method=NAME)
def quota_log(ctx, as_json, person, kind, days, case_id, on_date, note):
    """记录下基层天数或办实事: Log days at the grassroots or a practical thing done."""
    row = service.log_quota(ctx, person, kind, days, on_date, case_id, note)
    emit(row, as_json, lambda d: click.echo(f"{ctx.people[person].name} {d['on_date']} {QUOTA_KINDS[kind]}"
                                            + (f" {d['amount']:g}天" if kind == "grassroots_days" else "")))


@quota.command("show")
@click.option("--year", required=True)
@click.option("--unit", default=None)
@county_command(method=NAME)
def quota_show(ctx, as_json, year, unit):
    """年度任务完成情况: Each person's annual quota and what was logged."""
    rows = service.quota_status(ctx, year, unit)

    def human(rows):
        for r in rows:
            days = "—" if r["days_required"] is None else f"{r['days']:g}/{r['days_required']}天"
            deeds = "—" if r["deeds_required"] is None else f"{r['deeds']}/{r['deeds_required']}件"
            click.echo(f"{r['name']}\t下基层{days}\t办实事{deeds}")
    emit(rows, as_json, human)


@group.command("reception")
@click.option("--leader", required=True)
@click.option("--place", required=True)
@click.option("--schedule", required=True, help="e.g. 每周一9:00—12:00")
@click.option("--published-in", default=None, help="公布媒体: The newspaper or medium (L302).")
@county_command(method=NAME)
def reception(ctx, as_json, leader, place, schedule, published_in):
    """A county leader's fixed reception place and hours (定点定时坐班接待, L302)."""
    row = service.add_reception(ctx, leader, place, schedule, published_in)
    emit(row, as_json, lambda d: click.echo(f"{ctx.people[leader].name}：{d['place']}，{d['schedule']}"))
