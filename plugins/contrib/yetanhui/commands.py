"""``county yetanhui …``: the operator's commands for 干群夜谈会, a thin click layer over
:mod:`.talks` (talks and contact cadres) and :mod:`.service` (study, report, inspect).

Every command takes ``--db``, ``--now`` and ``--json`` (``framework.county_command``) and
receives the method's ``ctx``; errors are one line, exit 2 for bad input and 1 for a refusal.
"""

from __future__ import annotations

import click

from framework import STATUS_ZH as STATUS_ZH_CASE
from framework import case_json, county_command, emit, parse_instant
from plugins.contrib.yetanhui import rules, service, talks
from plugins.contrib.yetanhui.publicity import TIER_ZH

STATUS_ZH = {"scheduled": "待召开", "held": "已召开", "cancelled": "已取消"}
#: A talk's log entries (talks.log_of ``action``) as the operator reads them.
ACTION_ZH = {"scheduled": "排定", "noticed": "告知", "postponed": "推迟", "cancelled": "取消", "held": "召开"}
CONTACT_ZH = {"contact_cadre": "包村干部", "leader": "联系该村的乡镇班子成员"}


def _who(ctx, person: str | None) -> str:
    """A person's name and id (``李某（jl-01）``), the id alone when unknown, — when none."""
    if not person:
        return "—"
    p = ctx.people.get(person)
    return f"{p.name}（{person}）" if p else person


@click.group(name="yetanhui")
def group():
    """干群夜谈会 (Julu): evening talks in villages, their notices, attendance and minutes; the
    township's collective study; result reports; inspections (一单三簿)."""


def _print_talk(t: dict) -> None:
    click.echo(f"#{t['id']}  {t['village']}  {t['scheduled_at']}  {rules.KINDS[t['kind']]}·{rules.FORMATS[t['format']]}"
               f"  [{STATUS_ZH[t['status']]}]  议题: {'；'.join(t['topics'])}")
    notice = t["notice_at"] or "未告知"
    click.echo(f"  告知: {notice}（应于 {t['notice_due_at']} 前）  包村干部: {t['contact_cadre']}")
    if t["status"] == "held":
        click.echo(f"  主持: {t['chair']}  参会 {t['attendees']} 人，普通群众 {t['ordinary']} 人  记录: {t['minutes']}")


@group.command("contact")
@click.argument("village")
@click.option("--person", required=True, help="人员: Person id of a township cadre.")
@click.option("--kind", type=click.Choice(["contact_cadre", "leader"]), default="contact_cadre", show_default=True,
              help="contact_cadre 包村干部 (L172) or leader 联系该村的乡镇班子成员 (L176).")
@county_command(method=rules.METHOD)
def contact_cmd(ctx, as_json, village, person, kind):
    """包村干部、联系村的班子成员: Link a township cadre to VILLAGE as its contact cadre or linked leader."""
    row = talks.set_contact(ctx, village, person, kind)
    emit(row, as_json, lambda r: click.echo(f"{ctx.units[r['village']].name}：{CONTACT_ZH[r['kind']]} {_who(ctx, r['person'])}"))


@group.group("talk")
def talk_group():
    """夜谈会: Evening talks: add, notice, postpone, cancel, hold, list, show."""


@talk_group.command("add")
@click.option("--village", required=True, help="村: Unit code of the village.")
@click.option("--at", "at", required=True, help="时间: Start, ISO 8601 (local unless an offset is given); an evening.")
@click.option("--topic", "topics", multiple=True, required=True, help="A topic (议题); repeat.")
@click.option("--format", "fmt", default="forum", show_default=True, help="chat 漫谈, forum 座谈, debate 辩论, lecture 授课.")
@click.option("--kind", default="regular", show_default=True, help="regular 例会 or extra 重大事项随时召开.")
@click.option("--contact-cadre", help="包村干部: Person id of the contact cadre (default: the village's linked one).")
@county_command(method=rules.METHOD)
def talk_add(ctx, as_json, village, at, topics, fmt, kind, contact_cadre):
    """Schedule a talk (村党支部研究确定议题、时间、参会人员, L176)."""
    when = parse_instant(at, ctx.calendar.tz, what="--at")
    row = talks.schedule(ctx, village, when, list(topics), fmt, kind, contact_cadre)
    emit(row, as_json, lambda r: click.echo(f"夜谈会 #{r['id']}：定于 {r['scheduled_at']} 召开，应于 "
                                            f"{r['notice_due_at']} 前告知群众"))


@talk_group.command("notice")
@click.argument("talk_id")
@click.option("--channel", required=True, help="broadcast 广播, blackboard 板报, board 公开栏.")
@county_command(method=rules.METHOD)
def talk_notice(ctx, as_json, talk_id, channel):
    """Post the talk's topics and time now (提前三天, L176)."""
    row = talks.notice(ctx, talk_id, channel)
    emit(row, as_json, lambda r: click.echo(f"夜谈会 #{r['id']}：{r['notice_at']} 已告知群众"
                                            f"（{'按时' if r['notice_on_time'] else '逾期'}，应于 {r['notice_due_at']} 前）"))


@talk_group.command("postpone")
@click.argument("talk_id")
@click.option("--to", "to", required=True, help="至: The new start, ISO 8601.")
@click.option("--reason", required=True, help="Why (不准无故推迟, L176).")
@county_command(method=rules.METHOD)
def talk_postpone(ctx, as_json, talk_id, to, reason):
    """推迟夜谈会: Move a talk to a later evening, with the reason."""
    row = talks.postpone(ctx, talk_id, parse_instant(to, ctx.calendar.tz, what="--to"), reason)
    emit(row, as_json, lambda r: click.echo(f"夜谈会 #{r['id']}：推迟至 {r['scheduled_at']}"))


@talk_group.command("cancel")
@click.argument("talk_id")
@click.option("--reason", required=True, help="Why (不准无故不召开, L176).")
@county_command(method=rules.METHOD)
def talk_cancel(ctx, as_json, talk_id, reason):
    """取消夜谈会: Call a talk off, with the reason (the month still owes its talk)."""
    row = talks.cancel(ctx, talk_id, reason)
    emit(row, as_json, lambda r: click.echo(f"夜谈会 #{r['id']}：已取消"))


@talk_group.command("hold")
@click.argument("talk_id")
@click.option("--attendees", type=int, required=True, help="参会人数: How many attended.")
@click.option("--ordinary", type=int, required=True, help="How many of them are ordinary villagers (普通群众).")
@click.option("--chair", required=True, help="主持人: Person id: the contact cadre or the village party secretary.")
@click.option("--minutes", required=True, help="The record of the talk (会议记录).")
@click.option("--share-reason", help="Why ordinary villagers were under 40 % (一般不低于40%, L176).")
@click.option("--contact-absent", help="Why the contact cadre was absent (必须参加, L176).")
@click.option("--leader-absent", help="班子成员缺席原因: Why the village's linked leadership member was absent (L176).")
@county_command(method=rules.METHOD)
def talk_hold(ctx, as_json, talk_id, attendees, ordinary, chair, minutes, share_reason, contact_absent, leader_absent):
    """召开夜谈会: Record that a talk was held, with its attendance and minutes."""
    row = talks.hold(ctx, talk_id, attendees=attendees, ordinary=ordinary, chair=chair, minutes=minutes,
                     share_reason=share_reason, contact_absent=contact_absent, leader_absent=leader_absent)
    emit(row, as_json, lambda r: click.echo(f"夜谈会 #{r['id']}：已召开，参会 {r['attendees']} 人，普通群众占 "
                                            f"{r['ordinary_share']:.0%}"))


@talk_group.command("list")
@click.option("--unit", help="单位: A unit code (its subtree).")
@click.option("--period", help="期间: 2026-11, 2026Q4, 2026 …")
@county_command(method=rules.METHOD)
def talk_list(ctx, as_json, unit, period):
    """夜谈会列表: Talks by time."""
    rows = talks.list_talks(ctx, unit, period)
    emit(rows, as_json, lambda rs: [_print_talk(t) for t in rs] or click.echo("（无夜谈会）"))


@talk_group.command("show")
@click.argument("talk_id")
@county_command(method=rules.METHOD)
def talk_show(ctx, as_json, talk_id):
    """夜谈会详情: One talk, its history and the matters raised at it."""
    row = talks.talk(ctx, talk_id)
    row["log"] = talks.log_of(ctx, talk_id)
    row["matters"] = [c.id for c in ctx.cases.find(method=rules.METHOD, extra={"talk": row["id"]})]

    def human(r):
        _print_talk(r)
        for entry in r["log"]:
            click.echo(f"  {entry['at']}  {ACTION_ZH.get(entry['action'], entry['action'])}  {entry['note'] or ''}")
        click.echo(f"  问题: {'、'.join(r['matters']) or '—'}")

    emit(row, as_json, human)


@group.command("decide")
@click.argument("case_id")
@click.option("--outcome", required=True, help="spot 当场解决, promised 承诺时间, township 报乡镇党委.")
@click.option("--answer", help="答复: spot: the answer given at the talk.")
@click.option("--handler", help="promised: the handler's person id (承办人).")
@click.option("--promised", help="承诺时间: promised: 2024-10-15, 2024-10-15T18:00, +Nd or +Nwd.")
@click.option("--joint-handler", help="A second cadre of the other level (乡镇、村干部共同研究).")
@click.option("--note", help="备注: What the talk said.")
@county_command(method=rules.METHOD)
def decide_cmd(ctx, as_json, case_id, outcome, answer, handler, promised, joint_handler, note):
    """夜谈会研究确定: Record what the talk decided on a matter from its agenda (L176)."""
    case = service.decide(ctx, case_id, outcome, handler=handler, promised=promised, answer=answer,
                          joint_handler=joint_handler, note=note)
    emit(case_json(case, events=False), as_json,
         lambda d: click.echo(f"{d['id']}：{rules.OUTCOMES[outcome]}，层级 {TIER_ZH.get(d['level'], d['level'])}，"
                              f"期限 {d['due_at'] or '—'}"))


@group.command("study")
@click.argument("case_ids", nargs=-1, required=True)
@click.option("--township", required=True, help="乡镇: Unit code of the township.")
@click.option("--note", help="备注: What the party committee decided.")
@county_command(method=rules.METHOD)
def study_cmd(ctx, as_json, case_ids, township, note):
    """乡镇党委集中研究: The township party committee studied these matters together now; each is due a reply
    within 10 days (L176)."""
    row = service.study(ctx, township, list(case_ids), note)
    emit(row, as_json, lambda r: [click.echo(f"{cid}：乡镇党委集中研究，应于 {due} 前答复") for cid, due in r["reply_due"].items()])


@group.command("report")
@click.argument("case_id")
@click.option("--result", required=True, help="The result (办理结果).")
@click.option("--feedback", default="talk", show_default=True, help="talk, board, visit or broadcast (向群众反馈).")
@click.option("--consent-for", type=int, help="同意人数: A major matter: villagers who agreed.")
@click.option("--consent-of", type=int, help="征求人数: A major matter: villagers asked.")
@county_command(method=rules.METHOD)
def report_cmd(ctx, as_json, case_id, result, feedback, consent_for, consent_of):
    """Fill in the matter's result report (问题办理结果报告单) and resolve it."""
    case = service.report(ctx, case_id, result, feedback, consent_for, consent_of)
    emit(case_json(case, events=False), as_json,
         lambda d: click.echo(f"{d['id']}：问题办理结果报告单已填，{STATUS_ZH_CASE.get(d['status'], d['status'])}"))


@group.command("inspect")
@click.option("--village", required=True, help="村: Unit code of the village inspected.")
@click.option("--finding", required=True, help="发现问题: ok, perfunctory, or a prohibition: postpone, interrupt, talk_back, "
                                               "evade, replace_assembly.")
@click.option("--note", required=True, help="备注: What was found.")
@click.option("--talk", "talk_id", help="夜谈会: The talk inspected.")
@click.option("--case", "case_id", help="事项: The matter inspected.")
@county_command(method=rules.METHOD)
def inspect_cmd(ctx, as_json, village, finding, note, talk_id, case_id):
    """Record an inspection in the inspection record book (督查记录簿, L176)."""
    row = service.inspect(ctx, village, finding, note, talk_id, case_id)
    emit(row, as_json, lambda r: click.echo(f"督查 #{r['id']}（{ctx.units[r['village']].name}）：{rules.FINDINGS[r['finding']]}"))
