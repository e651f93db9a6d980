"""``county dianti …``: the three centres, the register, the service steps, evaluation, awards.

A thin click layer over :mod:`plugins.dianti.service` and :mod:`plugins.dianti.appraisal`.
Every command takes ``--db``, ``--now``, ``--json`` (``county_command(method="dianti")``, which
hands it the method's ``ctx``). Bad input exits 2 with one line; a domain refusal (rating an
open case…) exits 1.
"""

from __future__ import annotations

import click

from framework import CountyError, county_command, emit, period_dates, read_table
from plugins.dianti import appraisal, service, tables
from plugins.dianti.rules import (
    CENTRE_ROLES_ZH,
    CENTRES,
    CULTIVATION_STATUSES,
    CULTIVATIONS,
    SUPERVISION_CAPACITIES,
    WEEKDAYS_ZH,
    parse_weekday,
)

#: The evaluation's subject kinds as an operator reads them (``--json`` keeps the code).
KINDS_ZH = {"village": "村", "group": "服务小组", "member": "成员"}


def _float(x):
    return float(x) if x is not None else None


@click.group(name="dianti")
def group():
    """点题服务 (Sinan, L63–103): centres, register (能人档案), ratings, evaluation, awards."""


# -- service groups (能人服务中心) ------------------------------------------------------------


@group.group("group")
def group_cmd():
    """Service groups (服务小组) of a village's skilled-people service centre (L79)."""


@group_cmd.command("add")
@click.option("--unit", required=True, help="The village (村) the group belongs to.")
@click.option("--code", required=True, help="technical, legal, mediation, patrol, poverty, or your own code.")
@click.option("--name", help="Chinese name (needed for a village-defined group, e.g. 畜牧技术服务小组).")
@click.option("--skills", help="Skill keywords the group covers, comma separated (畜牧,生猪,养殖).")
@click.option("--leader", help="Person id of the leader: a party member of the register (L79).")
@county_command(method="dianti")
def group_add(ctx, as_json, unit, code, name, skills, leader):
    """Create or update a service group."""
    with ctx.transaction():
        row = service.save_group(ctx, unit, code, name, skills, leader, where=f"--code {code}")
    emit(row, as_json, lambda r: click.echo(f"group {r['id']} {r['name']} leader {r['leader'] or '-'}"))


@group_cmd.command("list")
@click.option("--unit")
@county_command(method="dianti")
def group_list(ctx, as_json, unit):
    """List service groups in register order."""
    rows = service.groups_with_counts(ctx, unit)
    emit(rows, as_json, lambda rs: [click.echo(
        f"{r['unit']:<16} {r['code']:<14} {r['name']:<12} leader {r['leader'] or '-':<10} "
        f"{r['members']} member(s)  skills: {','.join(r['skills'])}") for r in rs])


# -- the register (能人档案) ------------------------------------------------------------------------


@group.group("member")
def member_cmd():
    """The skilled-people register (能人档案, L79) with the three cultivations (三个培养)."""


def member_options(fn):
    for opt in reversed([
        click.option("--name"), click.option("--unit", help="The member's village."),
        click.option("--group", "group_code", help="Service group code."),
        click.option("--group-name", help="Chinese name when the group is new and not standard."),
        click.option("--skills", help="Comma separated skills (生猪养殖,兽医)."),
        click.option("--party-member", type=click.Choice(["yes", "no"]), help="Party member (党员)?"),
        click.option("--cultivation", type=click.Choice(["", *CULTIVATIONS]),
                     help="三个培养 track: activist, capable, reserve_cadre (empty: none)."),
        click.option("--cultivation-status", type=click.Choice(list(CULTIVATION_STATUSES))),
        click.option("--phone"), click.option("--leader", is_flag=True, help="Make this member the group's leader."),
        click.option("--active/--inactive", default=None, help="Whether the member takes services."),
    ]):
        fn = opt(fn)
    return fn


def _row(pid, name, unit, group_code, group_name, skills, party_member, cultivation, cultivation_status,
         phone, leader, active):
    return {"id": pid, "name": name, "unit": unit, "group": group_code, "group_name": group_name,
            "skills": skills, "party_member": party_member, "cultivation": cultivation,
            "cultivation_status": cultivation_status, "phone": phone, "leader": "yes" if leader else None,
            "active": None if active is None else ("yes" if active else "no")}


def _show_member(m):
    track = CULTIVATIONS.get(m["cultivation"], ("",))[0]
    click.echo(f"{m['person']:<10} {m.get('name') or '':<6} {m['unit']:<16} {m['group_code']:<12} "
               f"{'党员' if m['party_member'] else '群众'} {'在册' if m['active'] else '停用'} "
               f"skills: {','.join(m['skills'])}"
               + (f"  三个培养: {track}（{CULTIVATION_STATUSES.get(m['cultivation_status'], '')}）" if track else ""))


@member_cmd.command("add")
@click.option("--id", "pid", required=True, help="Person id (also the kernel person).")
@member_options
@county_command(method="dianti")
def member_add(ctx, as_json, pid, **kw):
    """Add one member to the register (and to the people)."""
    emit(service.add_member(ctx, _row(pid, **kw)), as_json, _show_member)


@member_cmd.command("set")
@click.argument("pid")
@member_options
@county_command(method="dianti")
def member_set(ctx, as_json, pid, **kw):
    """Change a member's entry (group, skills, party membership, cultivation, active)."""
    emit(service.update_member(ctx, _row(pid, **kw)), as_json, _show_member)


@member_cmd.command("list")
@click.option("--unit")
@click.option("--group", "group_code")
@county_command(method="dianti")
def member_list(ctx, as_json, unit, group_code):
    """List the register in register order."""
    emit(tables.members(ctx, unit, group_code), as_json, lambda rs: [_show_member(m) for m in rs])


@member_cmd.command("import")
@click.argument("file")
@county_command(method="dianti")
def member_import(ctx, as_json, file):
    """Load the register from CSV/JSON: id, name, unit, group, group_name, skills, party_member,
    cultivation, cultivation_status, phone, leader, active. All rows or none."""
    n = service.import_members(ctx, read_table(file), file)
    emit({"imported": n}, as_json, lambda d: click.echo(f"{n} member(s) imported"))


# -- coordination and supervision centres -----------------------------------------------------------


@group.group("centre")
def centre_cmd():
    """The coordination (服务协调中心, L81) and supervision (服务监督中心, L83) centres."""


@centre_cmd.command("add")
@click.option("--unit", required=True)
@click.option("--centre", required=True, type=click.Choice(["coordination", "supervision"]))
@click.option("--person", required=True)
@click.option("--role", default="member", type=click.Choice(["leader", "member"]), show_default=True)
@county_command(method="dianti")
def centre_add(ctx, as_json, unit, centre, person, role):
    """Add a person to a centre of a village. The supervision centre (L83) takes only the
    village's supervisory board members (role supervisor) and notables (role notable)."""
    with ctx.transaction():
        row = service.save_centre_member(ctx, unit, centre, person, role)
    emit(row, as_json, lambda r: click.echo(f"{ctx.people[person].name}（{person}）加入{ctx.units[unit].name}"
                                            f"{CENTRES[centre]}（{CENTRE_ROLES_ZH[role]}）"))


@centre_cmd.command("show")
@click.option("--unit", required=True)
@county_command(method="dianti")
def centre_show(ctx, as_json, unit):
    """The three centres of a village: groups and leaders, coordination members and the
    window rota, supervision members."""

    def human(d):
        click.echo(f"{CENTRES['skilled']}:")
        for g in d["skilled"]:
            click.echo(f"  {g['name']}（{g['code']}）组长 {g['leader'] or '-'}，成员 {', '.join(g['members']) or '-'}")
        click.echo(f"{CENTRES['coordination']}: " + ", ".join(
            f"{m['name']}（{CENTRE_ROLES_ZH.get(m['role'], m['role'])}）" for m in d["coordination"]))
        click.echo("  坐班: " + ", ".join(f"{r['weekday_zh']} {r['name']}" for r in d["rota"]))
        click.echo(f"{CENTRES['supervision']}: " + ", ".join(
            f"{m['name']}（{CENTRE_ROLES_ZH.get(m['role'], m['role'])}）" for m in d["supervision"]))

    emit(service.centres(ctx, unit), as_json, human)


@centre_cmd.command("check")
@click.option("--unit", help="A village, or a township/county for each of its villages (default: all).")
@county_command(method="dianti")
def centre_check(ctx, as_json, unit):
    """Check each village's centres against their stated make-up: the supervision centre is
    made of the village's supervisory board members (its main body: more than half) with some
    notables (L83); the window rota takes only the village's own cadres (L81). Prints the
    findings (--json: codes and messages); exit 0 either way."""

    def member(m):
        role = "，负责人" if m["role"] == "leader" else ""
        return f"{m['name'] or m['person']}（{SUPERVISION_CAPACITIES.get(m['capacity'], '不符合条件')}{role}）"

    def human(rows):
        for r in rows:
            members = "、".join(member(m) for m in r["supervision"]) or "—"
            rota = "、".join(f"{x['weekday_zh']}{x['name'] or x['person']}" for x in r["rota"]) or "—"
            verdict = "符合" if r["ok"] else "不符合：" + "；".join(f["message"] for f in r["findings"])
            click.echo(f"{r['name']}（{r['unit']}）{CENTRES['supervision']}：{members}；坐班：{rota} — {verdict}")

    emit(service.centre_check(ctx, unit), as_json, human)


@group.command("rota")
@click.option("--unit", required=True)
@click.option("--weekday", required=True, help="mon..sun, 周一..周日 or 1..7")
@click.option("--person", required=True)
@county_command(method="dianti")
def rota_set(ctx, as_json, unit, weekday, person):
    """Put a village cadre on the window on a weekday (村干部轮流坐班, L81)."""
    wd = parse_weekday(weekday)
    with ctx.transaction():
        row = service.set_rota(ctx, unit, wd, person)
    emit(row, as_json, lambda r: click.echo(f"{unit}: {WEEKDAYS_ZH[wd]} {person} 坐班"))


# -- the service steps ---------------------------------------------------------------------------------


@group.command("route")
@click.argument("case_id")
@click.option("--group", "group_code", required=True, help="Service group code of the case's village.")
@click.option("--requirement", help="The service requirement (服务要求).")
@county_command(method="dianti")
def route_cmd(ctx, as_json, case_id, group_code, requirement):
    """The coordination centre (re)routes an open request to a group; the member is chosen
    by the assignment rule (skill match → fewest open cases → register order). When the
    new group has nobody responsible, the previous 服务责任人 is cleared (an ``assigned``
    event with handler none) and an ``assigned`` request goes back to ``registered``."""
    r = service.route_case(ctx, case_id, group_code, requirement)
    emit({"id": r["id"], "group": r["group"], "handler": r["handler"]}, as_json,
         lambda d: click.echo(f"{r['id']} → {r['group_name']}, 服务责任人 {r['handler'] or '-'}"
                              + ("" if r["handler"] else f"（{r['why']}）")))


@group.command("measure")
@click.argument("case_id")
@click.option("--note", required=True, help="The service measure taken (服务措施).")
@county_command(method="dianti")
def measure_cmd(ctx, as_json, case_id, note):
    """Record a service measure (服务措施) on an open request; it shows on the board."""
    c = service.record_measure(ctx, case_id, note)
    emit({"id": c.id, "status": c.status, "measure": note}, as_json, lambda d: click.echo(f"{c.id}: 措施已记录"))


@group.command("supervise")
@click.argument("case_id")
@click.option("--note", required=True, help="What the supervision centre found (监督情况).")
@click.option("--person", help="The supervision centre member reporting.")
@county_command(method="dianti")
def supervise_cmd(ctx, as_json, case_id, note, person):
    """The supervision centre's check of how a service is carried out, fed back to the
    coordination centre (L83)."""
    c = service.record_supervision(ctx, case_id, note, person)
    emit({"id": c.id, "supervised": note}, as_json, lambda d: click.echo(f"{c.id}: 监督情况已记录"))


@group.command("rate")
@click.argument("case_id")
@click.option("--score", required=True, type=int, help="Whole score 1 (poor) to 5 (excellent).")
@click.option("--rater", help="Who rated (kept private, never on the board).")
@click.option("--note")
@county_command(method="dianti")
def rate_cmd(ctx, as_json, case_id, score, rater, note):
    """A villager's rating of a resolved service (群众评价, L83); several villagers may rate one."""
    n = service.record_rating(ctx, case_id, score, rater, note)
    emit({"id": case_id, "score": score, "ratings": n["ratings"], "mean": n["mean"]}, as_json,
         lambda d: click.echo(f"{case_id}: {score} 分（共 {d['ratings']} 人评价，平均 {d['mean']:.2f}）"))


# -- evaluation, awards, posting -------------------------------------------------------------------------


@group.command("evaluate")
@click.option("--quarter", required=True, help="2026Q3 (any period works: 2026-11, 2026).")
@click.option("--unit")
@click.option("--record", is_flag=True, help="Record that the evaluation was held (for `county duties`).")
@county_command(method="dianti")
def evaluate_cmd(ctx, as_json, quarter, unit, record):
    """服务效果评价 (L83): services done, rated, mean score and well-rated count per village,
    group and member for the quarter."""
    try:
        period_dates(quarter)
    except CountyError:
        raise CountyError(f"--quarter: {quarter!r} is not a quarter (use 2026Q3; a month 2026-11 or "
                          f"a year 2026 works too)") from None
    if unit:
        ctx.unit(unit)
    rows = appraisal.evaluate(ctx, unit, quarter)
    if record:
        service.record_reviews(ctx, unit, "evaluation", quarter)

    def human(rs):
        for r in rs:
            score = "—" if r["score"] is None else f"{float(r['score']):.2f}"
            click.echo(f"{KINDS_ZH.get(r['kind'], r['kind'])} {r['name'] or r['subject']}：服务完成 {r['services']} 件，"
                       f"群众评价 {r['rated']} 件，评分 {score}，好评 {r['good']} 件")

    emit([{**r, "score": _float(r["score"])} for r in rows], as_json, human)


@group.command("awards")
@click.option("--year", required=True, type=int)
@click.option("--unit")
@click.option("--record", is_flag=True,
              help="Record these awards as decided by the year-end assemblies (for `county duties`); "
                   "not before 1 December of the year.")
@county_command(method="dianti")
def awards_cmd(ctx, as_json, year, unit, record):
    """The yearly awards (L83): 优质服务小组, 优秀服务项目, 服务明星, per village. With --record,
    the year-end awards duty of each village is done."""
    if unit:
        ctx.unit(unit)
    rows = appraisal.awards(ctx, unit, year)
    if record:
        service.record_awards(ctx, year, rows)
    out = [{**a, "score": _float(a["score"]), "recorded": tables.reviewed(ctx, a["village"], "awards", str(year))}
           for a in rows]

    def human(rs):
        for a in rs:
            who = f"{a['name']}（{a['subject']}），{float(a['score']):.2f} 分" if a["subject"] else "空缺（无符合条件者）"
            click.echo(f"{a['village_name']} {a['title_zh']}: {who}" + ("（已记录）" if a["recorded"] else ""))

    emit(out, as_json, human)


@group.command("post")
@click.option("--unit", required=True)
@click.option("--period", required=True)
@county_command(method="dianti")
def post_cmd(ctx, as_json, unit, period):
    """Record that the service board of a village was posted for a period (for `county duties`);
    print it with `county board --unit U --period P`."""
    ctx.unit(unit)
    period_dates(period)
    service.record_reviews(ctx, unit, "board", period)
    emit({"unit": unit, "period": period, "posted": True}, as_json, lambda d: click.echo(f"{unit} {period}: 公开栏已公开"))
