"""``county shequ365 …``: the three links, visits, patrols, meetings, duties, assessment and
the year-end rating's awards.

A thin click layer over :mod:`plugins.shequ365.service` (and :mod:`~plugins.shequ365.duties`,
:mod:`~plugins.shequ365.appraisal`, :mod:`~plugins.shequ365.awards`): every command gets the
method's ``ctx`` from ``county_command(method="shequ365")`` and takes ``--db``, ``--now`` (the
instant of a visit, patrol or meeting: its local date is the day it counts for), ``--json``.
Imports take all rows or none and name file, line and column on bad input. What an operator
reads — duty kinds and states, handling forms, award statuses — is Chinese; ``--json`` keeps
the codes.
"""

from __future__ import annotations

import click

from framework import CountyError, case_json, county_command, emit, parse_sets, read_table
from plugins.shequ365 import appraisal, awards as award_rules, duties as duty_rules, service
from plugins.shequ365.rules import ASSESS_KINDS, FIVE_VISITS, FORMS, MEETINGS, METHOD, SHIFTS, parse_date
from plugins.shequ365.stages import communities_in, person_name


@click.group(name=METHOD)
def group():
    """宁波“365社区服务工作法”: grids, households, visits, patrols, meetings, duties (L373–381)."""


def _form(level: str | None) -> str:
    """A tier (handling form) as an operator reads it: its Chinese name, then its code."""
    return f"{FORMS[level]} {level}" if level in FORMS else (level or "-")


def _who(ctx, pid: str | None) -> str:
    """A person as an operator reads it: the name, then the id ('-' for none)."""
    return f"{person_name(ctx, pid)} {pid}" if pid and pid in ctx.people else (pid or "-")


def _with_case(res: dict) -> dict:
    """A service result whose ``case`` (a Case or None) is shown as JSON, without events."""
    return {**res, "case": case_json(res["case"], events=False) if res["case"] else None}


# -- grids ------------------------------------------------------------------------------------------


@group.group("grids")
def grids():
    """包片 grid areas (standard 250 households, L377)."""


@grids.command("import")
@click.argument("file")
@county_command(method=METHOD)
def grids_import(ctx, as_json, file):
    """Load grids from CSV/JSON: code, name, community (unit code), worker (person id of the
    grid's social worker), planned_households (optional), created_at (optional date or time
    the grid was set up; default the import's --now; a re-import keeps the first one)."""
    n = service.import_grids(ctx, read_table(file), file)
    emit({"imported": n}, as_json, lambda d: click.echo(f"导入网格 {n} 个"))


@grids.command("list")
@click.option("--community")
@county_command(method=METHOD)
def grids_list(ctx, as_json, community):
    """Grids with their worker and household count against the 250-household standard."""
    rows = service.list_grids(ctx, community)
    std = int(ctx.settings["grid_households"])
    emit(rows, as_json, lambda rs: [click.echo(
        f"{r['code']:<12} {r['name']:<10} {r['community']:<14} {r['worker'] or '-':<10} {r['households']}/{std}户")
        for r in rs])


# -- households -------------------------------------------------------------------------------------


@group.group("households")
def households():
    """Households of the grids, their 五问 kinds and linked social worker (联户)."""


@households.command("import")
@click.argument("file")
@county_command(method=METHOD)
def households_import(ctx, as_json, file):
    """Load households from CSV/JSON: id, grid, address, head, phone, kinds (五问 kinds separated
    by ';': needy, elderly_alone, unemployed, retiree, correction), worker (linked social
    worker), moved_in (YYYY-MM-DD; raises a 新迁入家庭必访 task from that date), created_at
    (optional; default the import's --now; a re-import keeps the first one). A household
    imported with a worker is linked from its created_at; one whose worker changes, from --now."""
    res = service.import_households(ctx, read_table(file), file)
    emit(res, as_json, lambda d: click.echo(
        f"导入住户 {d['imported']} 户，生成必访任务 {d['visit_tasks']} 项"))


@households.command("link")
@click.option("--worker", required=True, help="The social worker's person id.")
@click.argument("household_ids", nargs=-1, required=True)
@county_command(method=METHOD)
def households_link(ctx, as_json, worker, household_ids):
    """Link households to a social worker (联户, L377: each worker links 25+ households). A
    household newly linked to this worker counts for the worker's monthly visits from --now's
    month on; one already linked to the worker keeps its date."""
    res = service.link_households(ctx, worker, household_ids)
    emit(res, as_json, lambda d: click.echo(
        f"{worker}：联系住户 {d['linked']} 户（{'达到' if d['meets_standard'] else '未达'}每人联系"
        f"{d['minimum']}户的标准）"))


@households.command("event")
@click.argument("household_id")
@click.option("--reason", required=True, type=click.Choice(list(FIVE_VISITS)),
              help="moved_in, major_change, petitioner, unemployed, hospitalised")
@click.option("--date", "on_date", help="Local date it happened (default: --now's date).")
@click.option("--note")
@county_command(method=METHOD)
def households_event(ctx, as_json, household_id, reason, on_date, note):
    """Record a household event that makes a visit mandatory (五访, L381)."""
    service.require_household(ctx, household_id)
    task = service.household_event(ctx, household_id, reason, parse_date(on_date, "--date"), note)
    emit(task, as_json, lambda t: click.echo(
        f"{FIVE_VISITS[reason]}：住户 {household_id}，限 {t['due_on']} 前走访"))


@households.command("list")
@click.option("--grid")
@click.option("--worker")
@county_command(method=METHOD)
def households_list(ctx, as_json, grid, worker):
    """Households (no personal data: id, grid, kinds, linked worker)."""
    rows = service.list_households(ctx, grid, worker)
    emit(rows, as_json, lambda rs: [click.echo(
        f"{r['id']:<10} {r['grid']:<10} {r['worker'] or '-':<10} {','.join(r['kinds'])}") for r in rs])


# -- the three links ---------------------------------------------------------------------------------


@group.group("members")
def members():
    """The three links (三联, L377): social workers, party members, volunteers."""


@members.command("import")
@click.argument("file")
@county_command(method=METHOD)
def members_import(ctx, as_json, file):
    """Load members from CSV/JSON: id, name, kind (social_worker | registered_party_member |
    employed_party_member | volunteer), community, line (管线, social workers), grid, block
    (墙门/楼道), roles (一代四员: block_representative;publicity;sanitation;safety;mediator),
    work_post and service_post (一员双岗), created_at (optional; default the import's --now; a
    re-import keeps the first one)."""
    n = service.import_members(ctx, read_table(file), file)
    emit({"imported": n}, as_json, lambda d: click.echo(f"导入成员 {n} 人"))


@group.command("links")
@click.option("--community")
@county_command(method=METHOD)
def links(ctx, as_json, community):
    """The three links of a community with the standards of L377 checked: each social worker's
    line (管线), grid (包片, households vs 250) and linked households (联户, ≥ 25); party
    members and volunteers counted."""
    out = service.links(ctx, community)

    def human(rows):
        for r in rows:
            click.echo(f"{r['community']}：社工 {len(r['social_workers'])} 人，在册党员 "
                       f"{r['registered_party_member']} 人、在职党员 {r['employed_party_member']} 人，"
                       f"志愿者 {r['volunteer']} 人")
            for w in r["social_workers"]:
                grids_txt = ", ".join(f"{g['code']} {g['households']}户" for g in w["grids"]) or "-"
                click.echo(f"  {w['id']:<10} {w['name']:<6} 管线 {w['line'] or '-':<8} 包片 {grids_txt:<16} "
                           f"联户 {w['linked']}  {'；'.join(w['problems_zh']) or '达标'}")

    emit(out, as_json, human)


# -- visits and patrols -------------------------------------------------------------------------------


@group.group("visit")
def visit():
    """Household visits (联户走访, 五访, 五问)."""


@visit.command("record")
@click.argument("household_id")
@click.option("--worker", required=True, help="The social worker who visited (person id).")
@click.option("--reason", type=click.Choice(list(FIVE_VISITS)), help="A mandatory visit's reason (五访).")
@click.option("--note")
@click.option("--issue", help="Take in a case found on this visit, with this title.")
@click.option("--category", help="The case's category (its handling form follows from it).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Case fields (form, committed_date, …).")
@county_command(method=METHOD)
def visit_record(ctx, as_json, household_id, worker, reason, note, issue, category, sets):
    """Record a visit at --now. It fulfils every open mandatory visit task of the household
    triggered on or before that day; the five questions due for the household's kinds are
    recorded as asked (五问). ``--issue`` takes a case in from the visit: channel
    ``mandatory_visit`` with ``--reason``, ``five_questions`` with ``--set resident_kind=…``,
    else ``linked_visit``."""
    res = service.record_visit(ctx, household_id, worker, reason=reason, note=note, issue=issue,
                               category=category, fields=parse_sets(sets) if issue else None)
    case, fulfilled = res["case"], res["tasks_fulfilled"]
    emit(_with_case(res), as_json, lambda d: click.echo(
        f"走访 {d['visit']}：{worker} {d['visited_on']} 走访住户 {household_id}"
        + (f"；完成必访 {len(fulfilled)} 项" if fulfilled else "")
        + (f"；事项 {case.id}（{_form(case.level)}，承办人 {_who(ctx, case.handler)}，"
           f"限 {case.due_at.isoformat() if case.due_at else '-'}）" if case else "")))


@group.group("patrol")
def patrol():
    """The two daily patrols (一日两巡, L381)."""


@patrol.command("record")
@click.argument("area")
@click.option("--shift", required=True, type=click.Choice(list(SHIFTS)), help="morning (早巡) or evening (晚巡)")
@click.option("--worker", required=True, help="Who patrolled (person id).")
@click.option("--note")
@click.option("--issue", help="Take in a case found on this patrol, with this title.")
@click.option("--category")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE")
@county_command(method=METHOD)
def patrol_record(ctx, as_json, area, shift, worker, note, issue, category, sets):
    """Record a patrol at --now of AREA: a grid code (the grid's social worker, 包片区域必巡) or a
    community unit code (the community leader's main roads and crowded places)."""
    res = service.record_patrol(ctx, area, shift, worker, note=note, issue=issue, category=category,
                                fields=parse_sets(sets) if issue else None)
    case = res["case"]
    emit(_with_case(res), as_json, lambda d: click.echo(
        f"巡查 {d['patrol']}：{worker} {d['patrolled_on']} {SHIFTS[shift]} {area}"
        + (f"；事项 {case.id}" if case else "")))


# -- meetings ---------------------------------------------------------------------------------------


@group.group("meeting")
def meeting():
    """The analysis cadence and coordination (日碰头、周研判、月会商、季恳谈、动态听证, L381)."""


@meeting.command("record")
@click.option("--community", required=True)
@click.option("--kind", required=True, type=click.Choice(list(MEETINGS)),
              help="huddle, weekly, joint (两委联席会), forum, hearing (民主听证会), coordination, review, assembly")
@click.option("--title")
@click.option("--resolution", help="What was resolved (hearing, coordination).")
@click.option("--case", "case_ids", multiple=True, help="A case discussed (passed, for joint/hearing).")
@click.option("--item", "items", multiple=True, help="A non-case matter passed (joint meeting).")
@click.option("--note")
@county_command(method=METHOD)
def meeting_record(ctx, as_json, community, kind, title, resolution, case_ids, items, note):
    """Record a meeting held at --now. Cases given get an event ``shequ365_<kind>``; items and
    cases passed by a joint meeting, and hearing resolutions, go on the community board."""
    res = service.record_meeting(ctx, community, kind, title=title, resolution=resolution, case_ids=case_ids,
                                 items=items, note=note)
    emit(res, as_json, lambda d: click.echo(
        f"会议 {d['meeting']}：{community} {d['held_on']} {MEETINGS[kind][1]}"))


# -- duties -------------------------------------------------------------------------------------------


@group.command("duties")
@click.option("--date", "on_date", help="YYYY-MM-DD: duties due that day and what is missed.")
@click.option("--month", help="YYYY-MM: each day's duties summarised, and what was missed at month end.")
@click.option("--unit")
@county_command(method=METHOD)
def duties(ctx, as_json, on_date, month, unit):
    """Patrols, visits and meetings due (L377, L381): ``--date`` lists them with done/due and
    the missed list (linked households not visited in the month before — a month's visits are
    due by its last day —, mandatory visits overdue); ``--month`` gives per-day counts and the
    missed list once the month is over (so far, while it is not)."""
    u = ctx.unit(unit) if unit else None
    if bool(on_date) == bool(month):
        raise CountyError("shequ365 duties: give exactly one of --date YYYY-MM-DD or --month YYYY-MM")
    if on_date:
        res = duty_rules.day_report(ctx, u, parse_date(on_date, "--date"))

        def human(d):
            for x in d["duties"]:
                state = duty_rules.STATE_ZH["done" if x.done else "missed" if x in d["missed"] else "due"]
                click.echo(f"{state}  {x.unit:<14} {duty_rules.KIND_ZH.get(x.kind, x.kind)}  {x.title}")
            _echo_missed("漏办", d["missed"])

        emit(res, as_json, human)
        return
    res = duty_rules.month_report(ctx, u, month)
    as_of = res.pop("as_of")

    def human_month(d):
        for r in d["days"]:
            click.echo(f"{r['date']}  已办 {r['done']}/{r['due']}  " +
                       "，".join(f"{duty_rules.KIND_ZH.get(k, k)} {v['done']}/{v['due']}" for k, v in r["by_kind"].items()))
        _echo_missed("月底漏办" if d["ended"] else f"截至{as_of}漏办", d["missed"])

    emit(res, as_json, human_month)


def _echo_missed(head: str, missed: list) -> None:
    click.echo(f"{head}（{len(missed)}）：")
    for x in missed:
        click.echo(f"  {duty_rules.KIND_ZH.get(x.kind, x.kind)}  {x.subject or '':<10} {duty_rules.missed_text(x)}")


# -- appraisal ----------------------------------------------------------------------------------------


@group.command("assess")
@click.option("--community", required=True)
@click.option("--kind", required=True, type=click.Choice(list(ASSESS_KINDS)),
              help="quarterly (社区工作评议会) or annual (年底社区成员代表大会测评)")
@click.option("--period", required=True, help="2026Q4 for quarterly, 2026 for annual")
@click.option("--subject", help="A social worker's person id (default: the community itself).")
@click.option("--satisfied", type=click.IntRange(0), default=0, help="Representatives' 满意 votes.")
@click.option("--basically", type=click.IntRange(0), default=0, help="基本满意 votes.")
@click.option("--unsatisfied", type=click.IntRange(0), default=0, help="不满意 votes.")
@click.option("--score", type=float, help="A score, if the assembly gives one.")
@click.option("--note")
@county_command(method=METHOD)
def assess(ctx, as_json, community, kind, period, subject, satisfied, basically, unsatisfied, score, note):
    """Record the quarterly review or the year-end assessment by member representatives of the
    community or of one social worker (L381). Shown by ``county appraise``."""
    res = service.record_assessment(ctx, community, kind, period, subject=subject, satisfied=satisfied,
                                    basically=basically, unsatisfied=unsatisfied, score=score, note=note)
    votes = satisfied + basically + unsatisfied
    who = (_who(ctx, res["subject"]) if res["subject_kind"] == "person"
           else f"{ctx.units[community].name} {community}")
    emit(res, as_json, lambda d: click.echo(
        f"{ASSESS_KINDS[kind]} {d['period']}：{who}" +
        (f"，满意+基本满意 {satisfied + basically}/{votes}" if votes else "") + (f"，得分 {score:g}" if score is not None else "")))


@group.command("awards")
@click.option("--year", required=True, type=int, help="The year of the year-end rating, e.g. 2026.")
@click.option("--community", help="One community (default: every community in --unit, or all).")
@click.option("--unit", help="A unit whose communities are listed.")
@county_command(method=METHOD)
def awards_cmd(ctx, as_json, year, community, unit):
    """评优评先 from the year-end rating (L381: 测评结果与社工评优评先挂钩): per community, the
    community's own rating and its social workers ranked by the representatives' votes, each
    recommended or not (settings award_places, award_min_rating)."""
    if community:
        service.require_community(ctx, community)
        comms = [community]
    else:
        comms = communities_in(ctx, ctx.unit(unit) if unit else None)
    rows = award_rules.awards(ctx, comms, year)

    def pct(x):
        return "—" if x is None else f"{float(x):.1%}"

    def human(rs):
        for a in rs:
            click.echo(f"{a['name']} {a['community']} {a['year']}年 年底社区成员代表大会测评")
            c = a["community_rating"]
            if c is None:
                click.echo("  社区整体工作：未测评")
            else:
                click.echo(f"  社区整体工作：满意+基本满意 {c['satisfied'] + c['basically']}/{c['votes']}（{pct(c['rating'])}）"
                           + (f"，得分 {c['score']:g}" if c["score"] is not None else "") + "，作为社区改进工作的重要依据")
            floor = f"{a['min_rating']:.0%}" if a["min_rating"] else "无"
            click.echo(f"  评优评先：名额 {a['places']}，评优线 {floor}")
            for w in a["workers"]:
                rank = f"第{w['rank']}名" if w["rank"] else "—"
                votes = (f"满意+基本满意 {w['satisfied'] + w['basically']}/{w['votes']}（{pct(w['rating'])}），"
                         f"满意 {w['satisfied']}  " if w["votes"] else "")
                click.echo(f"  {rank:<5} {w['name']} {w['worker']}  {votes}{award_rules.STATUS_ZH[w['status']]}")

    def plain(a):
        def f(x):
            return None if x is None else float(x)
        c = a["community_rating"]
        return {**a, "community_rating": {**c, "rating": f(c["rating"])} if c else None,
                "workers": [{**w, "rating": f(w["rating"]), "satisfied_share": f(w["satisfied_share"])}
                            for w in a["workers"]]}

    emit([plain(a) for a in rows], as_json, human)


@group.command("figures")
@click.option("--period", required=True, help="2026-11, 2026Q4, 2026H1/2026H2 or 2026")
@click.option("--unit")
@county_command(method=METHOD)
def figures(ctx, as_json, period, unit):
    """shequ365's own appraisal figures (visit coverage, patrols, cadence, ratings) for a
    period — the method's part of ``county appraise``."""
    ms = appraisal.figures(ctx, unit, period)

    def human(rows):
        for m in rows:
            if m.denominator is not None:
                val = "—" if m.value is None else f"{m.value:.2%}"
                click.echo(f"{m.subject:<12} {m.label or m.metric:<28} {val} ({m.numerator:g}/{m.denominator:g})")
            else:
                click.echo(f"{m.subject:<12} {m.label or m.metric:<28} {m.value:g}")

    emit(ms, as_json, human)
