"""``county xiangkai …``: the operator's commands for 乡会村开, a thin click layer over
:mod:`plugins.xiangkai.service`.

Every command takes ``--db``, ``--now`` and ``--json`` (``framework.county_command``) and
receives the method's ``ctx``; errors are one line, exit 2 for bad input and 1 for a refusal.
"""

from __future__ import annotations

import click

from framework import SATISFACTION, STATUS_ZH, CountyError, Refusal, county_command, emit
from plugins.xiangkai import followup, network, rules, service


@click.group(name="xiangkai")
def group():
    """乡会村开 (Jingning): topics, meetings in villages, supervision notices, the monthly plan."""


def _warn(warnings) -> None:
    for w in warnings:
        click.echo(f"warning: {w}", err=True)


def _print_meeting(m: dict) -> None:
    click.echo(f"{m['id']}  {m['type_zh']}  {m['village_name']}  {m['scheduled_at']}  @ {m['place']}  "
               f"[{rules.MEETING_STATUS_ZH.get(m['status'], m['status'])}]")
    if m.get("title"):
        click.echo(f"  主题: {m['title']}")
    click.echo(f"  参会: {'、'.join(m['invitees_zh'])}")
    for t in m["topics"]:
        out = rules.OUTCOME_ZH.get(t["outcome"], t["outcome"])
        click.echo(f"  {t['case_id']}  {out}  {t['title']}" + (f" — {t['resolution']}" if t["resolution"] else ""))


# -- types -----------------------------------------------------------------------------------
@group.command("types")
@county_command(needs_county=False)
def types_cmd(db, now, as_json):
    """Meeting types, the situation that calls for each (L250), invitees (L248), place (L250)."""
    rows = []
    for code, zh in rules.MEETING_TYPES.items():
        situation = next((s for s, (_, t) in rules.SITUATIONS.items() if t == code), None)
        rows.append({"type": code, "type_zh": zh, "situation": situation,
                     "situation_zh": rules.SITUATIONS[situation][0] if situation else None,
                     "invitees": rules.invitees_for(code),
                     "suggested": rules.SUGGESTED_INVITEES.get(code, []),
                     "default_place": rules.DEFAULT_PLACES.get(code)})

    def human(rs):
        for r in rs:
            click.echo(f"{r['type']:<26} {r['type_zh']}  {r['situation_zh'] or '按月主题'}"
                       f"  参会: {'、'.join(rules.ROLES[x] for x in r['invitees'])}"
                       + (f"  地点: {r['default_place']}" if r["default_place"] else ""))

    emit(rows, as_json, human)


# -- meetings ----------------------------------------------------------------------------------
@group.group()
def meeting():
    """Meetings (乡会): schedule, hold, cancel, list, show."""


@meeting.command("add")
@click.option("--village", required=True, help="Unit code of the village where the meeting is held.")
@click.option("--type", "meeting_type", type=click.Choice(list(rules.MEETING_TYPES)))
@click.option("--situation", type=click.Choice(list(rules.SITUATIONS)), help="The situation; implies the type (L250).")
@click.option("--at", "at", required=True, help="Start time, ISO 8601 (local unless an offset is given).")
@click.option("--place", help="Where (default by type, L250).")
@click.option("--title", help="Theme of the meeting (主题).")
@click.option("--topic", "topics", multiple=True, metavar="CASE", help="A topic (case id) for the agenda; repeat.")
@click.option("--invite", multiple=True, metavar="ROLE", help="Another invitee role; repeat.")
@click.option("--invitee", multiple=True, metavar="NAME", help="A named invitee (e.g. 施工方 XX公司); repeat.")
@click.option("--rainy", is_flag=True, help="Scheduled for a rainy day (雨天).")
@click.option("--announce", "announce", multiple=True, type=click.Choice(list(rules.ANNOUNCE_CHANNELS)),
              help="How the notice is published (default: all of broadcast, publicity_column, notice_board; L252).")
@county_command(method="xiangkai")
def meeting_add(ctx, as_json, village, meeting_type, situation, at, place, title, topics, invite, invitee, rainy,
                announce):
    """Schedule a meeting in a village: type by situation, invitees by type, topics."""
    m = service.add_meeting(ctx, village=village, at=at, meeting_type=meeting_type, situation=situation,
                            place=place, title=title, topics=topics, invite=invite, invitee_names=invitee, rainy=rainy,
                            announced_via=announce)
    if not as_json:
        _warn(m["warnings"])
    emit(m, as_json, _print_meeting)


def _parse_resolutions(pairs) -> dict[str, str]:
    out = {}
    for p in pairs:
        if "=" not in p:
            raise CountyError(f"--resolution {p!r}: use CASE=TEXT")
        k, v = p.split("=", 1)
        k = k.strip()
        if k in out:
            raise CountyError(f"--resolution {k}: given twice")
        out[k] = v
    return out


@meeting.command("hold")
@click.argument("meeting_id")
@click.option("--resolution", "resolutions", multiple=True, metavar="CASE=TEXT", help="A topic settled (议定); repeat.")
@click.option("--defer", "deferred", multiple=True, metavar="CASE", help="A topic not settled (另行研究); repeat.")
@click.option("--attended", type=int, help="Number of people who attended.")
@click.option("--rainy/--not-rainy", default=None, help="Whether it rained that day.")
@county_command(method="xiangkai")
def meeting_hold(ctx, as_json, meeting_id, resolutions, deferred, attended, rainy):
    """Hold a planned meeting at --now: settle or defer every topic on the agenda (一事一议)."""
    m = service.hold_meeting(ctx, meeting_id, resolutions=_parse_resolutions(resolutions), deferred=deferred,
                             attended=attended, rainy=rainy)
    emit(m, as_json, _print_meeting)


@meeting.command("cancel")
@click.argument("meeting_id")
@click.option("--reason", required=True)
@county_command(method="xiangkai")
def meeting_cancel(ctx, as_json, meeting_id, reason):
    """Cancel a planned meeting; its topics can go on another meeting."""
    emit(service.cancel_meeting(ctx, meeting_id, reason=reason), as_json, _print_meeting)


@meeting.command("list")
@click.option("--unit", help="A village or township (its subtree).")
@click.option("--period", help="2026-11, 2026Q4, 2026H1/2026H2 or 2026 (by scheduled time).")
@county_command(method="xiangkai")
def meeting_list(ctx, as_json, unit, period):
    """List meetings."""
    ms = service.list_meetings(ctx, unit=unit, period=period)

    def human(rows):
        for m in rows:
            _print_meeting(m)
        click.echo(f"共{len(rows)}场乡会")

    emit(ms, as_json, human)


@meeting.command("show")
@click.argument("meeting_id")
@county_command(method="xiangkai")
def meeting_show(ctx, as_json, meeting_id):
    """One meeting with its agenda and outcomes."""
    emit(service.show_meeting(ctx, meeting_id), as_json, _print_meeting)


# -- notices -------------------------------------------------------------------------------------
def _print_notice(n: dict) -> None:
    click.echo(f"{n['number']}  {n['case_id']}  {n['title']}")
    click.echo(f"  定责任人 {n['responsible_name']}；定完成时限 {n['due_at']}；定质量标准 {n['quality_standard']}")
    click.echo(f"  落实情况 {n['state_zh']}；办理状态 {STATUS_ZH.get(n['status'], n['status'])}"
               + (f"；办结时间 {n['resolved_at']}" if n["resolved_at"] else "") + f"；回访 {n['callbacks']} 次")


@group.group()
def notice():
    """Supervision notices (督办通知书, 三定)."""


@notice.command("issue")
@click.argument("case_id")
@click.option("--responsible", required=True, metavar="PERSON", help="定责任人: person id (becomes the handler).")
@click.option("--due", help="定完成时限: YYYY-MM-DD (end of that day, 23:59:59 local) or an ISO date-time.")
@click.option("--within-days", type=int, help="…or N calendar days from now.")
@click.option("--within-working-days", type=int, help="…or N working days from now.")
@click.option("--standard", required=True, help="定质量标准: the quality standard.")
@county_command(method="xiangkai")
def notice_issue(ctx, as_json, case_id, responsible, due, within_days, within_working_days, standard):
    """Issue the supervision notice of a topic settled at a meeting; its deadline is the case's due."""
    n = service.issue_notice(ctx, case_id, responsible=responsible, standard=standard, due=due,
                             within_days=within_days, within_working_days=within_working_days)
    emit(n, as_json, _print_notice)


@notice.command("list")
@click.option("--unit")
@click.option("--period", help="By issue time: 2026-11, 2026Q4, 2026H1/2026H2, 2026.")
@county_command(method="xiangkai")
def notice_list(ctx, as_json, unit, period):
    """List supervision notices."""
    ns = service.list_notices(ctx, unit=unit, period=period)

    def human(rows):
        for n in rows:
            _print_notice(n)
        click.echo(f"共{len(rows)}份督办通知书")

    emit(ns, as_json, human)


@notice.command("waive")
@click.argument("case_id")
@click.option("--reason", required=True, help="Why this studied topic gets no supervision notice.")
@county_command(method="xiangkai")
def notice_waive(ctx, as_json, case_id, reason):
    """Record why a topic settled at a meeting gets no supervision notice (L253: 一律下发 — or a reason)."""
    w = followup.waive(ctx, case_id, reason=reason)
    emit(w, as_json, lambda d: click.echo(f"{d['case_id']}（{d['meeting_id']}议定）不下发督办通知书：{d['reason']}"))


@notice.command("check")
@click.option("--unit", help="Only meetings of this unit's subtree.")
@county_command(method="xiangkai")
def notice_check(ctx, as_json, unit):
    """List the topics settled at meetings that have neither a supervision notice nor a recorded
    reason. Exit 1 when there is one (the report is printed first)."""
    r = followup.check(ctx, unit)

    def human(d):
        for m in d["missing"]:
            click.echo(m["message"])
        click.echo(f"经乡会研究议定 {d['studied']} 项：下发督办通知书 {d['with_notice']} 项，"
                   f"记录不下发理由 {d['with_reason']} 项，两者皆无 {len(d['missing'])} 项")

    emit(r, as_json, human)
    if not r["ok"]:
        raise Refusal(f"notice check: {len(r['missing'])} studied topic(s) without a supervision notice or a recorded "
                      f"reason ({', '.join(m['case_id'] for m in r['missing'])}) (一律下发督办通知书, L253)")


# -- the contact network (L246) -------------------------------------------------------------------
@group.group("network")
def network_group():
    """The contact network (L246): leaders' village, party organisation and secretary; one
    stationed cadre per village; each cadre's needy people."""


def _print_link(r: dict) -> None:
    where = f"（{r['village']}）" if r["village"] and r["village"] != r["target"] else ""
    click.echo(f"#{r['id']}  {r['person_name']}（{r['person']}）  {r['kind_zh']}  {r['target_name']}{where}  "
               f"自 {rules.minutes(r['linked_at'])}" + (f" 至 {rules.minutes(r['unlinked_at'])}" if r["unlinked_at"] else ""))


@network_group.command("link")
@click.argument("person")
@click.argument("kind", type=click.Choice(list(rules.LINK_KINDS)))
@click.argument("target")
@click.option("--village", metavar="UNIT", help="The village a party organisation, secretary or needy person belongs to.")
@click.option("--note")
@county_command(method="xiangkai")
def network_link(ctx, as_json, person, kind, target, village, note):
    """Link PERSON to TARGET: a leader's village (unit code), party_org (name), secretary
    (person id or name); a cadre stationed in a village (unit code); a cadre's needy person (name)."""
    emit(network.link(ctx, person, kind, target, village=village, note=note), as_json, _print_link)


@network_group.command("unlink")
@click.argument("link_id", type=int)
@county_command(method="xiangkai")
def network_unlink(ctx, as_json, link_id):
    """End a link at --now."""
    emit(network.unlink(ctx, link_id), as_json, _print_link)


@network_group.command("list")
@click.option("--unit", help="People sitting in, or villages of, this unit's subtree.")
@click.option("--person", metavar="PERSON")
@click.option("--kind", type=click.Choice(list(rules.LINK_KINDS)))
@county_command(method="xiangkai")
def network_list(ctx, as_json, unit, person, kind):
    """The links active at --now."""
    rows = network.list_links(ctx, unit=unit, person=person, kind=kind)

    def human(rs):
        for r in rs:
            _print_link(r)
        click.echo(f"共{len(rs)}条联系")

    emit(rows, as_json, human)


@network_group.command("check")
@click.option("--unit", help="Only this unit's subtree (default: the whole deployment).")
@county_command(method="xiangkai")
def network_check(ctx, as_json, unit):
    """Every village without a stationed cadre, every leader missing a village, party
    organisation or secretary, every cadre without a needy person (L246). Exit 1 when there is
    a gap (the report is printed first)."""
    r = network.check(ctx, unit)

    def human(d):
        for p in d["problems"]:
            click.echo(p["message"])
        click.echo(f"村 {d['villages']} 个，有驻村干部 {d['villages_with_stationed_cadre']} 个；"
                   f"班子成员 {d['leaders']} 名，三项联系齐全 {d['leaders_fully_linked']} 名；"
                   f"乡镇干部 {d['cadres']} 名，联系困难群众 {d['cadres_with_needy']} 名")

    emit(r, as_json, human)
    if not r["ok"]:
        raise Refusal(f"network check: {len(r['problems'])} gap(s) (每个乡镇班子成员联系1个村、1个基层党组织和1名书记；"
                      f"每个村1名驻村干部；每位乡镇干部联系1名以上困难群众, L246)")


@group.command("callback")
@click.argument("case_id")
@click.option("--note", required=True, help="What the visit found (落实情况、意见).")
@click.option("--visitor", metavar="PERSON", help="Who visited (person id).")
@click.option("--satisfaction", type=click.Choice(list(SATISFACTION)),
              help="The requester's view; on a resolved topic it is also the confirmation.")
@county_command(method="xiangkai")
def callback_cmd(ctx, as_json, case_id, note, visitor, satisfaction):
    """Record a callback visit (回访) on a supervised topic."""
    r = service.callback(ctx, case_id, note=note, visitor=visitor, satisfaction=satisfaction)
    emit(r, as_json, lambda d: click.echo(f"回访 #{d['id']} {d['case_id']} {d['at']}：{d['note']}"
                                          f"（办理状态 {STATUS_ZH.get(d['case_status'], d['case_status'])}）"))


# -- the plan --------------------------------------------------------------------------------------
@group.command("month")
@click.argument("month", metavar="YYYY-MM")
@click.option("--theme", required=True, help="The month's theme (月月有主题).")
@click.option("--village", "villages", multiple=True, metavar="UNIT", help="A village to visit that month; repeat.")
@county_command(method="xiangkai")
def month_cmd(ctx, as_json, month, theme, villages):
    """Set one month of the plan: theme and villages to visit (replaces the month's villages)."""
    r = service.set_month(ctx, month, theme=theme, villages=villages)
    emit(r, as_json, lambda d: click.echo(f"{d['year']}-{d['month']:02d} {d['theme']}: {', '.join(d['villages']) or '-'}"))


@group.command("plan")
@click.option("--year", required=True, type=int)
@click.option("--unit", help="Check only this township's (or county's) villages.")
@county_command(method="xiangkai")
def plan_cmd(ctx, as_json, year, unit):
    """Check the year's plan: every month has a theme and every village at least one meeting.
    Exit 1 when the check fails (the report is printed first)."""
    r = service.check_plan(ctx, year, unit)

    def human(d):
        for m in d["months"]:
            click.echo(f"{year}-{m['month']:02d}  {m['theme'] or '（无主题）'}  {', '.join(m['villages'])}")
        for v in d["villages"]:
            n = len(v["planned_months"]) + len(v["meetings"])
            months = "、".join(f"{x}月" for x in v["planned_months"]) or "-"
            click.echo(f"{v['village']:<16} {v['name']}  计划月份 {months}  "
                       f"乡会 {', '.join(v['meetings']) or '-'}" + ("  ← 无乡会" if not n else ""))
        click.echo("通过" if d["ok"] else "未通过")

    emit(r, as_json, human)
    if not r["ok"]:
        parts = []
        if r["villages_without_meeting"]:
            parts.append(f"{len(r['villages_without_meeting'])} village(s) without a meeting "
                         f"({', '.join(r['villages_without_meeting'])})")
        if r["months_without_theme"]:
            parts.append(f"{len(r['months_without_theme'])} month(s) without a theme "
                         f"({', '.join(str(m) for m in r['months_without_theme'])})")
        raise Refusal(f"plan {year}: " + "; ".join(parts) + " (月月有主题、村村有安排, L246)")


@group.command("rating")
@click.option("--unit", required=True)
@click.option("--subject", required=True, type=click.Choice(list(rules.RATING_SUBJECTS)))
@click.option("--satisfied", type=int, default=0, show_default=True, help="满意 votes")
@click.option("--basically", type=int, default=0, show_default=True, help="基本满意 votes")
@click.option("--unsatisfied", type=int, default=0, show_default=True, help="不满意 votes")
@click.option("--period", help="The period rated (default: the year of --now).")
@click.option("--note")
@county_command(method="xiangkai")
def rating_cmd(ctx, as_json, unit, subject, satisfied, basically, unsatisfied, period, note):
    """Record a satisfaction evaluation (满意度评议) of a party organisation, villager
    committee or township leadership (L262)."""
    r = service.record_rating(ctx, unit=unit, subject=subject, satisfied=satisfied, basically=basically,
                              unsatisfied=unsatisfied, period=period or str(ctx.now.year), note=note)
    emit(r, as_json, lambda d: click.echo(
        f"{d['unit']} {d['label']} {d['period']}: {d['rate']:.2%} "
        f"(景宁2011年参考 {d['reference']:.0%}以上, L262)"))
