"""``county dianti …``: the three centres, the register, the service steps, evaluation, awards.

Every command takes ``--db``, ``--now``, ``--json`` (framework.cli.core.county_command). Bad input
exits 2 with one line; a domain refusal (rating an open case…) exits 1.
"""

from __future__ import annotations

import click

from framework import (
    CountyError,
    Refusal,
    county_command,
    emit,
    hookimpl,
    period_dates,
    read_table,
)
from plugins.dianti import registry as reg
from plugins.dianti.evaluation import awards as compute_awards
from plugins.dianti.evaluation import dianti_case as _dianti_case
from plugins.dianti.evaluation import evaluate as compute_evaluation
from plugins.dianti.evaluation import (
    record_rating,
    require_taken_in,
    review_id,
    villages_in,
)
from plugins.dianti.stages import responsible
from plugins.dianti.stages import route as route_group


def _float(x):
    return float(x) if x is not None else None


@hookimpl
def county_register_commands(cli):
    """Add the ``county dianti`` group (commands below) to the root ``cli``. Returns nothing."""

    @cli.group("dianti")
    def dianti():
        """点题服务 (Sinan, L63–103): centres, register (能人档案), ratings, evaluation, awards."""

    # -- service groups (能人服务中心) --------------------------------------------------------
    @dianti.group("group")
    def group_cmd():
        """Service groups (服务小组) of a village's skilled-people service centre (L79)."""

    @group_cmd.command("add")
    @click.option("--unit", required=True, help="The village (村) the group belongs to.")
    @click.option("--code", required=True, help="technical, legal, mediation, patrol, poverty, or your own code.")
    @click.option("--name", help="Chinese name (needed for a village-defined group, e.g. 畜牧技术服务小组).")
    @click.option("--skills", help="Skill keywords the group covers, comma separated (畜牧,生猪,养殖).")
    @click.option("--leader", help="Person id of the leader: a party member of the register (L79).")
    @county_command()
    def group_add(county, as_json, unit, code, name, skills, leader):
        """Create or update a service group."""
        with county.store.transaction():
            row = reg.save_group(county, unit, code, name, skills, leader, where=f"--code {code}")
        emit(row, as_json, lambda r: click.echo(f"group {r['id']} {r['name']} leader {r['leader'] or '-'}"))

    @group_cmd.command("list")
    @click.option("--unit")
    @county_command()
    def group_list(county, as_json, unit):
        """List service groups in register order."""
        rows = reg.groups(county.store, unit)
        for r in rows:
            r["members"] = len(reg.members(county.store, r["unit"], r["code"], active_only=True))
        emit(rows, as_json, lambda rs: [click.echo(
            f"{r['unit']:<16} {r['code']:<14} {r['name']:<12} leader {r['leader'] or '-':<10} "
            f"{r['members']} member(s)  skills: {','.join(r['skills'])}") for r in rs])

    # -- the register (能人档案) ----------------------------------------------------------------
    @dianti.group("member")
    def member_cmd():
        """The skilled-people register (能人档案, L79) with the three cultivations (三个培养)."""

    def member_options(fn):
        for opt in reversed([
            click.option("--name"), click.option("--unit", help="The member's village."),
            click.option("--group", "group_code", help="Service group code."),
            click.option("--group-name", help="Chinese name when the group is new and not standard."),
            click.option("--skills", help="Comma separated skills (生猪养殖,兽医)."),
            click.option("--party-member", type=click.Choice(["yes", "no"]), help="Party member (党员)?"),
            click.option("--cultivation", type=click.Choice(["", *reg.CULTIVATIONS]),
                         help="三个培养 track: activist, capable, reserve_cadre (empty: none)."),
            click.option("--cultivation-status", type=click.Choice(list(reg.CULTIVATION_STATUSES))),
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
        track = reg.CULTIVATIONS.get(m["cultivation"], ("",))[0]
        click.echo(f"{m['person']:<10} {m.get('name') or '':<6} {m['unit']:<16} {m['group_code']:<12} "
                   f"{'党员' if m['party_member'] else '群众'} {'在册' if m['active'] else '停用'} "
                   f"skills: {','.join(m['skills'])}"
                   + (f"  三个培养: {track}（{reg.CULTIVATION_STATUSES.get(m['cultivation_status'], '')}）" if track else ""))

    @member_cmd.command("add")
    @click.option("--id", "pid", required=True, help="Person id (also the kernel person).")
    @member_options
    @county_command()
    def member_add(county, as_json, pid, **kw):
        """Add one member to the register (and to the people)."""
        if reg.member(county.store, pid):
            raise Refusal(f"member {pid} is already in the register; use `county dianti member set {pid}`")
        for key in ("name", "unit", "group_code"):
            if not kw.get(key):
                raise CountyError(f"--{key.replace('_code', '')}: required to add a member")
        with county.store.transaction():
            reg.save_member(county, _row(pid, **kw), where=f"member {pid}")
        m = reg.member(county.store, pid)
        emit(m, as_json, _show_member)

    @member_cmd.command("set")
    @click.argument("pid")
    @member_options
    @county_command()
    def member_set(county, as_json, pid, **kw):
        """Change a member's entry (group, skills, party membership, cultivation, active)."""
        if not reg.member(county.store, pid):
            raise CountyError(f"member {pid}: not in the register (see `county dianti member list`)")
        with county.store.transaction():
            reg.save_member(county, _row(pid, **kw), where=f"member {pid}")
        m = reg.member(county.store, pid)
        emit(m, as_json, _show_member)

    @member_cmd.command("list")
    @click.option("--unit")
    @click.option("--group", "group_code")
    @county_command()
    def member_list(county, as_json, unit, group_code):
        """List the register in register order."""
        rows = reg.members(county.store, unit, group_code)
        emit(rows, as_json, lambda rs: [_show_member(m) for m in rs])

    @member_cmd.command("import")
    @click.argument("file")
    @county_command()
    def member_import(county, as_json, file):
        """Load the register from CSV/JSON: id, name, unit, group, group_name, skills, party_member,
        cultivation, cultivation_status, phone, leader, active. All rows or none."""
        rows = read_table(file)
        with county.store.transaction():
            for i, r in enumerate(rows, start=2):
                reg.save_member(county, {k: (v.strip() if isinstance(v, str) else v) for k, v in r.items()},
                                where=f"{file}: line {i}", group_name_from="the group_name column")
        emit({"imported": len(rows)}, as_json, lambda d: click.echo(f"{len(rows)} member(s) imported"))

    # -- coordination and supervision centres ---------------------------------------------------
    @dianti.group("centre")
    def centre_cmd():
        """The coordination (服务协调中心, L81) and supervision (服务监督中心, L83) centres."""

    @centre_cmd.command("add")
    @click.option("--unit", required=True)
    @click.option("--centre", required=True, type=click.Choice(["coordination", "supervision"]))
    @click.option("--person", required=True)
    @click.option("--role", default="member", type=click.Choice(["leader", "member"]), show_default=True)
    @county_command()
    def centre_add(county, as_json, unit, centre, person, role):
        """Add a person to a centre of a village."""
        with county.store.transaction():
            row = reg.save_centre_member(county, unit, centre, person, role)
        emit(row, as_json, lambda r: click.echo(f"{r['person']} joins {reg.CENTRES[centre]} of {unit} as {role}"))

    @centre_cmd.command("show")
    @click.option("--unit", required=True)
    @county_command()
    def centre_show(county, as_json, unit):
        """The three centres of a village: groups and leaders, coordination members and the
        window rota, supervision members."""
        county.unit(unit)
        data = {"unit": unit,
                "skilled": [{**g, "members": [m["person"] for m in reg.members(county.store, unit, g["code"])]}
                            for g in reg.groups(county.store, unit)],
                "coordination": reg.centre_members(county.store, unit, "coordination"),
                "rota": [{**r, "weekday_zh": reg.WEEKDAYS_ZH[r["weekday"]]} for r in reg.rota(county.store, unit)],
                "supervision": reg.centre_members(county.store, unit, "supervision")}

        def human(d):
            click.echo(f"{reg.CENTRES['skilled']}:")
            for g in d["skilled"]:
                click.echo(f"  {g['name']}（{g['code']}）组长 {g['leader'] or '-'}，成员 {', '.join(g['members']) or '-'}")
            click.echo(f"{reg.CENTRES['coordination']}: " + ", ".join(f"{m['name']}({m['role']})" for m in d["coordination"]))
            click.echo("  坐班: " + ", ".join(f"{r['weekday_zh']} {r['name']}" for r in d["rota"]))
            click.echo(f"{reg.CENTRES['supervision']}: " + ", ".join(f"{m['name']}({m['role']})" for m in d["supervision"]))

        emit(data, as_json, human)

    @dianti.command("rota")
    @click.option("--unit", required=True)
    @click.option("--weekday", required=True, help="mon..sun, 周一..周日 or 1..7")
    @click.option("--person", required=True)
    @county_command()
    def rota_set(county, as_json, unit, weekday, person):
        """Put a village cadre on the window on a weekday (村干部轮流坐班, L81)."""
        wd = reg.parse_weekday(weekday)
        with county.store.transaction():
            row = reg.set_rota(county, unit, wd, person)
        emit(row, as_json, lambda r: click.echo(f"{unit}: {reg.WEEKDAYS_ZH[wd]} {person} 坐班"))

    # -- the service steps -------------------------------------------------------------------------
    @dianti.command("route")
    @click.argument("case_id")
    @click.option("--group", "group_code", required=True, help="Service group code of the case's village.")
    @click.option("--requirement", help="The service requirement (服务要求).")
    @county_command()
    def route_cmd(county, as_json, case_id, group_code, requirement):
        """The coordination centre (re)routes an open request to a group; the member is chosen
        by the assignment rule (skill match → fewest open cases → register order). When the
        new group has nobody responsible, the previous 服务责任人 is cleared (an ``assigned``
        event with handler none) and an ``assigned`` request goes back to ``registered``."""
        c = _dianti_case(county, case_id)
        if not c.is_open:
            raise Refusal(f"case {case_id} is {c.status}; only an open request can be routed")
        require_taken_in(county, c, "route")
        village = reg.village_of(county, c.unit)
        with county.store.transaction():
            g, _, skill = route_group(county.store, village, group=group_code, skill=c.extra.get("skill"), text="")
            ctx = county.ctx("dianti")
            person, why = responsible(ctx, village, g["code"], c.extra.get("skill"))
            extra = {"group": g["code"], "group_name": g["name"], "group_leader": g["leader"], "routed_by": "operator"}
            if requirement:
                extra["requirement"] = requirement
            status = None
            if person is None and c.handler:
                # the old group's member does not stay in charge: the kernel's assign with the
                # case's own unit and no handler clears the handler
                c = county.assign(case_id, unit=c.unit, note=why)
            if person is None and c.status == "assigned":
                status = "registered"  # nobody assigned: it waits at the coordination centre
            county.record_event(case_id, "routed", note=f"服务协调中心：交{g['name']}" + ("" if person else f"；{why}"),
                                data={"group": g["code"]}, extra=extra, status=status)
            if person is not None:
                county.assign(case_id, handler=person, note=why)
        c = county.get_case(case_id)
        emit({"id": c.id, "group": g["code"], "handler": c.handler}, as_json,
             lambda d: click.echo(f"{c.id} → {g['name']}, 服务责任人 {c.handler or '-'}"
                                  + ("" if c.handler else f"（{why}）")))

    @dianti.command("measure")
    @click.argument("case_id")
    @click.option("--note", required=True, help="The service measure taken (服务措施).")
    @county_command()
    def measure_cmd(county, as_json, case_id, note):
        """Record a service measure (服务措施) on an open request; it shows on the board."""
        c = _dianti_case(county, case_id)
        if not c.is_open:
            raise Refusal(f"case {case_id} is {c.status}; measures are recorded on open requests")
        require_taken_in(county, c, "record a measure on")
        c = county.record_event(case_id, "measure", note=note,
                                status="in_progress" if c.status in ("registered", "assigned") else None)
        emit({"id": c.id, "status": c.status, "measure": note}, as_json, lambda d: click.echo(f"{c.id}: 措施已记录"))

    @dianti.command("supervise")
    @click.argument("case_id")
    @click.option("--note", required=True, help="What the supervision centre found (监督情况).")
    @click.option("--person", help="The supervision centre member reporting.")
    @county_command()
    def supervise_cmd(county, as_json, case_id, note, person):
        """The supervision centre's check of how a service is carried out, fed back to the
        coordination centre (L83)."""
        require_taken_in(county, _dianti_case(county, case_id), "supervise")
        if person:
            county.person(person)
        c = county.record_event(case_id, "supervised", note=note, data={"supervisor": person} if person else {})
        emit({"id": c.id, "supervised": note}, as_json, lambda d: click.echo(f"{c.id}: 监督情况已记录"))

    @dianti.command("rate")
    @click.argument("case_id")
    @click.option("--score", required=True, type=int, help="Whole score 1 (poor) to 5 (excellent).")
    @click.option("--rater", help="Who rated (kept private, never on the board).")
    @click.option("--note")
    @county_command()
    def rate_cmd(county, as_json, case_id, score, rater, note):
        """A villager's rating of a resolved service (群众评价, L83); several villagers may rate one."""
        n = record_rating(county, case_id, score, rater, note)
        emit({"id": case_id, "score": score, "ratings": n["ratings"], "mean": n["mean"]}, as_json,
             lambda d: click.echo(f"{case_id}: {score} 分（共 {d['ratings']} 人评价，平均 {d['mean']:.2f}）"))

    # -- evaluation, awards, posting ----------------------------------------------------------------
    def _eval_json(rows):
        return [{**r, "score": _float(r["score"])} for r in rows]

    @dianti.command("evaluate")
    @click.option("--quarter", required=True, help="2026Q3 (any period works: 2026-11, 2026).")
    @click.option("--unit")
    @click.option("--record", is_flag=True, help="Record that the evaluation was held (for `county duties`).")
    @county_command()
    def evaluate_cmd(county, as_json, quarter, unit, record):
        """服务效果评价 (L83): services done, rated, mean score and well-rated count per village,
        group and member for the quarter."""
        try:
            period_dates(quarter)
        except CountyError:
            raise CountyError(f"--quarter: {quarter!r} is not a quarter (use 2026Q3; a month 2026-11 or "
                              f"a year 2026 works too)") from None
        if unit:
            county.unit(unit)
        rows = compute_evaluation(county, unit, quarter, county.settings("dianti"))
        if record:
            with county.store.transaction():
                for v in villages_in(county, unit):
                    county.store.upsert("dianti_reviews", {"id": review_id(v, "evaluation", quarter), "unit": v,
                                                           "kind": "evaluation", "period": quarter,
                                                           "at": county.now().isoformat(), "actor": county.actor}, pk="id")

        def human(rs):
            for r in rs:
                score = "—" if r["score"] is None else f"{float(r['score']):.2f}"
                click.echo(f"{r['kind']:<8} {r['name'] or r['subject']:<14} services {r['services']:>3}  "
                           f"rated {r['rated']:>3}  score {score}  good {r['good']}")

        emit(_eval_json(rows), as_json, human)

    @dianti.command("awards")
    @click.option("--year", required=True, type=int)
    @click.option("--unit")
    @county_command()
    def awards_cmd(county, as_json, year, unit):
        """The yearly awards (L83): 优质服务小组, 优秀服务项目, 服务明星, per village."""
        if unit:
            county.unit(unit)
        rows = compute_awards(county, unit, year, county.settings("dianti"))

        def human(rs):
            for a in rs:
                who = f"{a['name']}（{a['subject']}），{float(a['score']):.2f} 分" if a["subject"] else "空缺（无符合条件者）"
                click.echo(f"{a['village_name']} {a['title_zh']}: {who}")

        emit([{**a, "score": _float(a["score"])} for a in rows], as_json, human)

    @dianti.command("post")
    @click.option("--unit", required=True)
    @click.option("--period", required=True)
    @county_command()
    def post_cmd(county, as_json, unit, period):
        """Record that the service board of a village was posted for a period (for `county duties`);
        print it with `county board --unit U --period P`."""
        county.unit(unit)
        period_dates(period)
        with county.store.transaction():
            for v in villages_in(county, unit):
                county.store.upsert("dianti_reviews", {"id": review_id(v, "board", period), "unit": v, "kind": "board",
                                                       "period": period, "at": county.now().isoformat(),
                                                       "actor": county.actor}, pk="id")
        emit({"unit": unit, "period": period, "posted": True}, as_json, lambda d: click.echo(f"{unit} {period}: 公开栏已公开"))
