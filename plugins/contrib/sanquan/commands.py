"""``county sanquan …``: the service-hours calendar, responses, star households, grid teams,
A/B posts, leave, the duty roster and visits. A thin click layer over
:mod:`plugins.contrib.sanquan.service`; every command takes ``--db``, ``--now`` and ``--json``
(``county_command``) and receives the method's ``ctx``. Human output in Chinese."""

from __future__ import annotations

import click

from framework import CountyError, case_json, county_command, emit, parse_date, parse_instant
from plugins.contrib.sanquan import service
from plugins.contrib.sanquan.rules import METHOD, TEAM_KINDS, day_hours, in_service_hours, next_opening


@click.group(name=METHOD)
def group():
    """三全十服务 (Xihu, L353–371): service hours, star households, grid teams, A/B posts, duty."""


@group.command("hours")
@click.option("--date", "day", help="日期: A date YYYY-MM-DD (default: today).")
@click.option("--at", "at", help="时间: An instant: is it inside service hours, and when would a matter be timed from?")
@county_command(method=METHOD)
def hours_cmd(ctx, as_json, day, at):
    """The service window of a day (工作日 08:00–21:00, 双休日和节假日 09:00–17:00, L359), or where
    an instant falls and the instant a non-urgent matter arriving then is timed from."""
    if at:
        t = ctx.calendar.local(parse_instant(at, ctx.calendar.tz, what="--at"))
    else:
        t = None
    d = t.date() if t else (parse_date(day, "--date") if day else ctx.calendar.local(ctx.now).date())
    opening, closing, kind = day_hours(ctx, d)
    out = {"date": d.isoformat(), "day_kind": kind, "opens": opening.isoformat(), "closes": closing.isoformat()}
    if t is not None:
        out.update(at=t.isoformat(), in_hours=in_service_hours(ctx, t), timed_from=next_opening(ctx, t).isoformat())

    def human(o):
        click.echo(f"{o['date']} {'工作日' if kind == 'working' else '双休日/节假日'}："
                   f"{o['opens'][11:16]}—{o['closes'][11:16]}")
        if t is not None:
            click.echo(f"{o['at']}：{'服务时间内' if o['in_hours'] else '错时以外'}，计时起点 {o['timed_from']}")

    emit(out, as_json, human)


@group.command("respond")
@click.argument("case_id")
@click.option("--note", required=True, help="What was done first (已联系、已上门…).")
@county_command(method=METHOD)
def respond_cmd(ctx, as_json, case_id, note):
    """首次响应: Record the first response to a matter and set it in progress; closes its pending
    ``respond`` milestone when it has one (met, or missed when past due)."""
    c = service.respond(ctx, case_id, note)
    emit(case_json(c, events=False), as_json, lambda d: click.echo(f"{d['id']}：已响应"))


@group.command("visit")
@click.argument("household")
@click.option("--person", required=True, help="人员: Who visited (a person id).")
@click.option("--note")
@county_command(method=METHOD)
def visit_cmd(ctx, as_json, household, person, note):
    """Record a visit to a star household at --now (每天上门服务, L363)."""
    v = service.record_visit(ctx, household, person, note)
    emit(v, as_json, lambda r: click.echo(f"{r['household']}：{r['day']} {ctx.people[person].name}上门服务"))


# -- households ----------------------------------------------------------------------------

@group.group("household")
def household_group():
    """Service households and their star tiers (五星级服务, L363)."""


@household_group.command("add")
@click.argument("household_id")
@click.option("--unit", required=True, help="单位: The community or village.")
@click.option("--name", required=True, help="The household (户主).")
@click.option("--star", required=True, type=int, help="1–5 (五星级: 高龄、独居、鳏寡老人和重残人员).")
@click.option("--grid", help="Its grid (网格) in the community.")
@click.option("--contact", help="联系人: Its one-to-one contact (a person id).")
@click.option("--call-device/--no-call-device", default=None, help="Has a call device (default: five stars).")
@click.option("--address")
@click.option("--kinds", help="What makes life hard (高龄;独居…), free text.")
@click.option("--since", help="起始日期: The date the tier applies from (default today).")
@county_command(method=METHOD)
def household_add(ctx, as_json, household_id, unit, name, star, grid, contact, call_device, address, kinds, since):
    """登记服务户: Register a household with its star tier."""
    r = service.add_household(ctx, household_id, unit, name, star, grid=grid, contact=contact,
                              call_device=call_device, address=address, kinds=kinds, since=since)
    emit(r, as_json, lambda r: click.echo(f"{r['id']}：{service.star_label(r['star'])}，自{r['star_since']}起"))


@household_group.command("rate")
@click.argument("household_id")
@click.option("--star", required=True, type=int)
@click.option("--reason")
@click.option("--since", help="起始日期: The date the new tier applies from (default today).")
@county_command(method=METHOD)
def household_rate(ctx, as_json, household_id, star, reason, since):
    """重新评定星级: Re-rate a household; its visit cadence restarts on --since."""
    r = service.rate_household(ctx, household_id, star, reason=reason, since=since)
    emit(r, as_json, lambda r: click.echo(f"{r['id']}：{service.star_label(r['star'])}，自{r['star_since']}起"))


@household_group.command("list")
@click.option("--unit")
@click.option("--star", type=int)
@county_command(method=METHOD)
def household_list(ctx, as_json, unit, star):
    """服务户列表: Households (of a subtree, of a tier)."""
    rows = service.households(ctx, unit, star)
    emit(rows, as_json, lambda rs: [click.echo(
        f"{r['id']}  {service.star_label(r['star'])}  {r['unit']} {r['grid'] or ''}  联系人 {r['contact'] or '—'}"
        f"{'  呼叫器' if r['call_device'] else ''}") for r in rs])


# -- grid teams ------------------------------------------------------------------------------

@group.group("team")
def team_group():
    """Grid service teams (网组片, L363)."""


@team_group.command("add")
@click.option("--grid", required=True)
@click.option("--person", required=True)
@click.option("--kind", required=True, type=click.Choice(list(TEAM_KINDS)))
@click.option("--leader", is_flag=True, help="负责人: The team's leader.")
@county_command(method=METHOD)
def team_add(ctx, as_json, grid, person, kind, leader):
    """加入网格服务团队: Put a person on a grid's service team."""
    r = service.add_team_member(ctx, grid, person, kind, leader)
    emit(r, as_json, lambda r: click.echo(f"{grid}：{ctx.people[person].name}（{TEAM_KINDS[kind]}）"
                                          + ("，组长" if leader else "")))


@team_group.command("list")
@click.option("--grid", required=True)
@county_command(method=METHOD)
def team_list(ctx, as_json, grid):
    """网格服务团队: A grid's team, leader first."""
    rows = service.team(ctx, grid)
    emit(rows, as_json, lambda rs: [click.echo(
        f"{r['person']}  {TEAM_KINDS.get(r['kind'], r['kind'])}{'  组长' if r['leader'] else ''}") for r in rs])


# -- A/B posts, leave, roster ----------------------------------------------------------------

@group.group("post")
def post_group():
    """A/B posts per work line (AB岗兼容制, L371)."""


@post_group.command("set")
@click.option("--unit", required=True)
@click.option("--line", required=True, help="The work line (条线), e.g. 社保.")
@click.option("--a", "a_person", required=True, help="A岗: The A holder (person id).")
@click.option("--b", "b_person", required=True, help="B岗: The B holder (person id).")
@county_command(method=METHOD)
def post_set(ctx, as_json, unit, line, a_person, b_person):
    """设置A/B岗: Set a line's A and B holders."""
    r = service.set_post(ctx, unit, line, a_person, b_person)
    emit(r, as_json, lambda r: click.echo(f"{unit} {r['line']}：A岗 {r['a_person']}，B岗 {r['b_person']}"))


@post_group.command("list")
@click.option("--unit")
@county_command(method=METHOD)
def post_list(ctx, as_json, unit):
    """A/B岗列表: The A/B posts of a subtree."""
    emit(service.posts(ctx, unit), as_json, lambda rs: [click.echo(
        f"{r['unit']}  {r['line']}  A岗 {r['a_person']}  B岗 {r['b_person']}") for r in rs])


@post_group.command("who")
@click.option("--unit", required=True)
@click.option("--line", required=True)
@click.option("--at", "at", help="时间: The instant (default --now).")
@county_command(method=METHOD)
def post_who(ctx, as_json, unit, line, at):
    """谁在岗: Who holds a line at an instant: A, or B while A is on leave."""
    t = parse_instant(at, ctx.calendar.tz, what="--at") if at else ctx.now
    p = service.post(ctx, unit, line)
    if p is None:
        raise CountyError(f"--line {line}：{unit} 没有该条线的A/B岗（先用 county sanquan post set 设置）")
    a_off = service.on_leave(ctx, p["a_person"], t)
    b_off = service.on_leave(ctx, p["b_person"], t)
    who, role = (p["a_person"], "A") if not a_off else ((p["b_person"], "B") if not b_off else (None, None))
    out = {"unit": unit, "line": line, "at": ctx.calendar.local(t).isoformat(), "person": who, "post": role}
    emit(out, as_json, lambda o: click.echo(f"{line}：{role + '岗 ' + who if who else 'A、B岗均不在岗'}"))


@group.group("leave")
def leave_group():
    """请假: Leave and days off: who is off duty when."""


@leave_group.command("add")
@click.option("--person", required=True)
@click.option("--from", "start", required=True, help="自: From (instant or date).")
@click.option("--until", required=True, help="截止: Until, exclusive (instant or date).")
@click.option("--reason")
@county_command(method=METHOD)
def leave_add(ctx, as_json, person, start, until, reason):
    """登记请假: Record a person's leave."""
    r = service.add_leave(ctx, person, start, until, reason)
    emit(r, as_json, lambda r: click.echo(f"{person}：请假 {r['start']} — {r['until']}"))


@leave_group.command("list")
@click.option("--person")
@county_command(method=METHOD)
def leave_list(ctx, as_json, person):
    """请假记录: Leave rows."""
    emit(service.leaves(ctx, person), as_json, lambda rs: [click.echo(
        f"{r['person']}  {r['start']} — {r['until']}  {r['reason'] or ''}") for r in rs])


@group.group("roster")
def roster_group():
    """The 24-hour duty roster (24小时值班制, L359)."""


@roster_group.command("set")
@click.option("--unit", required=True)
@click.option("--date", "day", required=True)
@click.option("--person", required=True)
@county_command(method=METHOD)
def roster_set(ctx, as_json, unit, day, person):
    """排班（24小时值班）: Who is on duty at a unit on a date (from its opening to the next day's)."""
    r = service.set_roster(ctx, unit, day, person)
    emit(r, as_json, lambda r: click.echo(f"{unit} {r['date']}：值班 {person}"))


@roster_group.command("list")
@click.option("--unit")
@click.option("--month", help="月份: YYYY-MM")
@county_command(method=METHOD)
def roster_list(ctx, as_json, unit, month):
    """值班安排: Roster rows."""
    emit(service.roster(ctx, unit, month), as_json, lambda rs: [click.echo(
        f"{r['date']}  {r['unit']}  {r['person']}") for r in rs])
