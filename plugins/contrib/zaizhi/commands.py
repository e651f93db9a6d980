"""``county zaizhi …``: a thin click layer over service.py, duties.py and rules.py."""

from __future__ import annotations

import click

from framework import CountyError, county_command, emit

from . import duties as duty_rules
from . import service
from .rules import ACTIVITIES, AWARDS, METHOD, POST_KINDS


def _who(ctx, person: str) -> str:
    """A member's name and id (``王某（bs-01）``); the id alone when the person is unknown."""
    p = ctx.people.get(person)
    return f"{p.name}（{person}）" if p else person


@click.group(name=METHOD)
def group():
    """在职党员“三比三争” (zaizhi): the member register, service posts, the quarterly calendar,
    visits, volunteer service, commendations and brands (宝山友谊路, L383–397)."""


@group.group("member")
def member_group():
    """《在职党员登记台帐》 (L389)."""


@member_group.command("register")
@click.option("--id", "pid", required=True, help="编号: Person id (new or existing).")
@click.option("--name", default=None, help="姓名 (required for a new person).")
@click.option("--home", required=True, help="The residential area they live in (居住地, a unit code).")
@click.option("--employer", default=None, help="所在单位.")
@click.option("--occupation", default=None, help="职业特点.")
@click.option("--skills", default=None, help="爱好特长, comma-separated (e.g. appliance,legal).")
@click.option("--habits", default=None, help="生活习惯.")
@click.option("--group", "grp", default=None, help="分组 (the group they are classed in).")
@click.option("--economic", default=None, help="经济状况 class (L397).")
@click.option("--needs", default=None, help="现实诉求 (L397).")
@click.option("--branch", default=None, help="The subdistrict of their agency party branch (机关干部).")
@county_command(method=METHOD)
def register(ctx, as_json, pid, name, home, employer, occupation, skills, habits, grp, economic, needs, branch):
    """Register an employed party member with their residential area (向居民区报到, L389)."""
    row = service.register_member(ctx, pid, name, home, employer=employer, occupation=occupation, skills=skills,
                                  habits=habits, group=grp, economic=economic, needs=needs, branch=branch)
    emit(row, as_json, lambda d: click.echo(f"{d['id']} {d['name']}：已向{ctx.units[d['home']].name}报到登记"))


@member_group.command("list")
@click.option("--unit", default=None, help="单位: Only members living or serving in this subtree.")
@county_command(method=METHOD)
def member_list(ctx, as_json, unit):
    """在职党员登记台帐: The register, by id."""
    rows = service.members(ctx, unit)
    emit(rows, as_json, lambda d: [click.echo(f"{r['id']}\t{r['name']}\t{r['home']}\t{r['grp'] or ''}\t"
                                              f"{'、'.join(POST_KINDS.get(s, s) for s in r['skills'])}\t"
                                              f"{r['branch'] or ''}") for r in d])


@group.group("post")
def post_group():
    """Service posts (服务岗位, 小修小补, L397)."""


@post_group.command("add")
@click.option("--unit", required=True, help="单位: The residential area (a unit code).")
@click.option("--kind", required=True, type=click.Choice(list(POST_KINDS)), help="类别: The post's kind.")
@click.option("--service-day", required=True, type=int, help="服务日: Day of the month it is served (1–28).")
@click.option("--title", default=None, help="标题: Its name (default: the kind's).")
@click.option("--service-time", default=None, help="服务时间: When on that day, e.g. 18:30-20:30.")
@county_command(method=METHOD)
def post_add(ctx, as_json, unit, kind, service_day, title, service_time):
    """设立服务岗位: Set up a service post at a residential area."""
    row = service.add_post(ctx, unit, kind, service_day, title, service_time)
    emit(row, as_json, lambda d: click.echo(f"服务岗位 {d['id']}：{ctx.units[d['unit']].name}{d['title']}，"
                                            f"每月{d['service_day']}日定时服务"))


@post_group.command("claim")
@click.argument("post_id", type=int)
@click.option("--member", required=True, help="The member claiming it (认领).")
@county_command(method=METHOD)
def post_claim(ctx, as_json, post_id, member):
    """A registered member claims a post (认领, L397)."""
    row = service.claim(ctx, post_id, member)
    emit(row, as_json, lambda d: click.echo(f"服务岗位 {d['id']}：{_who(ctx, d['member'])}已认领"))


@post_group.command("release")
@click.argument("post_id", type=int)
@county_command(method=METHOD)
def post_release(ctx, as_json, post_id):
    """解除认领: End a post's current claim."""
    row = service.release(ctx, post_id)
    emit(row, as_json, lambda d: click.echo(f"服务岗位 {d['id']}：已解除认领，待认领"))


@post_group.command("list")
@click.option("--unit", default=None, help="单位: Only posts in this subtree.")
@county_command(method=METHOD)
def post_list(ctx, as_json, unit):
    """服务岗位列表: The posts with their claimants."""
    rows = service.posts(ctx, unit)
    emit(rows, as_json, lambda d: [click.echo(f"{r['id']}\t{r['unit']}\t{r['title']}\t每月{r['service_day']}日\t"
                                              f"{r['member'] or '（待认领）'}") for r in d])


@group.command("record")
@click.argument("kind", type=click.Choice(list(ACTIVITIES)))
@click.option("--unit", default=None, help="单位: Where (a subdistrict for study/group_day, else an area or zone).")
@click.option("--person", default=None, help="人员: Who (a person id): the cadre, member or leader.")
@click.option("--post", "post_id", default=None, type=int, help="岗位: The post served (post_service).")
@click.option("--persons", default=1, type=int, help="人次 / attendance (default 1).")
@click.option("--note", default=None)
@county_command(method=METHOD)
def record(ctx, as_json, kind, unit, person, post_id, persons, note):
    """Record an activity at --now: study, group_day, visit (8小时内), volunteer (8小时外),
    post_service, forum, zone_visit, home_support (L389, L393, L397)."""
    if unit is None and kind != "post_service":
        raise CountyError(f"county zaizhi record {kind}：缺 --unit（在哪里：学习会、党小组活动日为街道，其他为居民区或责任区）")
    row = service.record(ctx, kind, unit, person, post_id, persons, note)
    emit(row, as_json, lambda d: click.echo(f"{ACTIVITIES[d['kind']].split('（')[0]} #{d['id']}："
                                            f"{ctx.units[d['unit']].name}，已记录"))


@group.command("commend")
@click.option("--member", required=True, help="成员: The member commended.")
@click.option("--award", required=True, help=f"奖项: An award ({', '.join(f'{k}={v}' for k, v in AWARDS.items())}) "
                                              f"or any name.")
@click.option("--note", default=None)
@county_command(method=METHOD)
def commend(ctx, as_json, member, award, note):
    """Commend an outstanding employed member (评选表彰, L393)."""
    row = service.commend(ctx, member, award, note)
    emit(row, as_json, lambda d: click.echo(f"{_who(ctx, d['member'])}：评选表彰 {d['award']}"))


@group.command("brand")
@click.option("--unit", required=True, help="单位: The residential area.")
@click.option("--name", required=True, help="The brand (一居一特, e.g. 楼中情).")
@click.option("--note", default=None)
@county_command(method=METHOD)
def brand(ctx, as_json, unit, name, note):
    """Name a residential area's 一居一特 brand (L397)."""
    row = service.set_brand(ctx, unit, name, note)
    emit(row, as_json, lambda d: click.echo(f"{ctx.units[d['unit']].name}：一居一特品牌 {d['name']}"))


@group.command("calendar")
@click.option("--year", required=True, type=int)
@click.option("--quarter", default=None, type=click.IntRange(1, 4), help="季度: One quarter (default: all four).")
@county_command(method=METHOD)
def calendar(ctx, as_json, year, quarter):
    """固定活动日: The agency branch's fixed days (L389): study on the 10th of each quarter's first month,
    party group activity days on the 15th of its second and third months."""
    rows = [{"date": d.isoformat(), "kind": k, "title": ACTIVITIES[k].split("（")[0],
             "working_day": ctx.calendar.is_working_day(d)}
            for q in ([quarter] if quarter else [1, 2, 3, 4]) for d, k in duty_rules.schedule(ctx, year, q)]
    emit(rows, as_json, lambda d: [click.echo(f"{r['date']}\t{r['title']}"
                                              f"{'' if r['working_day'] else '（非工作日）'}") for r in d])
