"""``county liuyao …``: routing, the catalogue, the decision path and decision of a matter, the
reply to a report, supervision results, disclosures and ratings. A thin click layer over
:mod:`.service` and :mod:`.disclosure`; every command takes ``--db``, ``--now``, ``--json``."""

from __future__ import annotations

import click

from framework import CountyError, case_json, county_command, emit, parse_date
from plugins.contrib.liuyao import disclosure, service
from plugins.contrib.liuyao.rules import (
    BODIES, CADENCES, CATALOGUE, CATEGORIES, FORMS, MEETING_KINDS, METHOD, PROCEDURE, RATING_KINDS, cadence_of,
    conf, route,
)


@click.group(name=METHOD)
def group():
    """“六要”群众工作法 (Nanping, L178–219): decision routing, replies, disclosures, ratings."""


@group.command("route")
@click.argument("title")
@click.option("--category", help="类别: A matter type (code or Chinese label); default: filed from the title.")
@county_command(method=METHOD)
def route_cmd(ctx, as_json, title, category):
    """决策形式查询: Which body decides a matter (L191), without taking it in."""
    code, body, how = route(category, title)
    data = {"title": title, "category": code, "category_zh": CATEGORIES.get(code), "body": body,
            "body_zh": BODIES.get(body), "vote_required": body == "villager_assembly", "routed_by": how}
    emit(data, as_json, lambda d: click.echo(
        f"{title}：{d['category_zh'] or '未归类'} → {d['body_zh'] or '由村“两委”根据村务性质确定决策形式'}"))


@group.command("catalogue")
@county_command(method=METHOD)
def catalogue_cmd(ctx, as_json):
    """The disclosure catalogue (公开目录, L187) with each item's cadence in this deployment."""
    s = conf(ctx)
    rows = [{"item": k, "item_zh": v, "cadence": cadence_of(ctx, k), "cadence_zh": CADENCES[cadence_of(ctx, k)]}
            for k, v in CATALOGUE.items()]

    def human(d):
        click.echo(f"每件事务以{s['min_forms']}种以上形式公开：" + "、".join(FORMS.values()))
        for r in d["items"]:
            click.echo(f"  {r['item']:<18} {r['item_zh']}  {r['cadence_zh']}")

    emit({"min_forms": s["min_forms"], "forms": FORMS, "items": rows}, as_json, human)


@group.command("procedure")
@click.argument("case_id")
@click.option("--step", required=True, type=click.Choice(list(PROCEDURE)))
@click.option("--note")
@county_command(method=METHOD)
def procedure_cmd(ctx, as_json, case_id, step, note):
    """决策程序: One step of a matter's path (L191): proposed → discussed → reviewed."""
    c = service.procedure(ctx, case_id, step, note)
    emit(case_json(c), as_json, lambda d: click.echo(f"{case_id}：{PROCEDURE[step]}"))


@group.command("decide")
@click.argument("case_id")
@click.option("--body", type=click.Choice(list(BODIES)), help="决策主体: Default: the body the matter is routed to.")
@click.option("--meeting", "meeting_kind", type=click.Choice(list(MEETING_KINDS)), help="会议: Representative meeting kind.")
@click.option("--for", "votes_for", type=int, help="Votes for (required at the villager assembly: 票决).")
@click.option("--against", type=int, default=None)
@click.option("--abstain", type=int, default=None)
@click.option("--outcome", type=click.Choice(["adopted", "rejected"]))
@click.option("--note")
@county_command(method=METHOD)
def decide_cmd(ctx, as_json, case_id, body, meeting_kind, votes_for, against, abstain, outcome, note):
    """集体决策: The collective decision of a major matter (L191)."""
    votes = None
    if votes_for is not None or against is not None or abstain is not None:
        votes = (votes_for or 0, against or 0, abstain or 0)
    c = service.decide(ctx, case_id, body, meeting_kind=meeting_kind, votes=votes, outcome=outcome, note=note)
    emit(case_json(c), as_json, lambda d: click.echo(
        f"{case_id}：{BODIES[c.extra['decided_body']]}，{'通过' if c.extra['decided_outcome'] == 'adopted' else '未通过'}"))


@group.command("reply")
@click.argument("case_id")
@click.option("--text", required=True, help="内容: The answer given to the reporter.")
@click.option("--keep-open", is_flag=True, help="继续办理: Answered, but handling goes on (not resolved).")
@county_command(method=METHOD)
def reply_cmd(ctx, as_json, case_id, text, keep_open):
    """答复反映问题: Answer a report (L193, within 15 working days)."""
    c = service.reply(ctx, case_id, text, keep_open=keep_open)
    m = ctx.milestones.of(case_id, name="reply")
    reply = {"due_at": m[-1].due_at.isoformat(), "state": m[-1].state} if m else None
    state = {"met": "按期", "missed": "逾期"}.get(reply["state"], reply["state"]) if reply else "—"
    emit({**case_json(c), "reply": reply}, as_json,
         lambda d: click.echo(f"{case_id}：已答复（{state}），期限 {reply['due_at'] if reply else '—'}"))


@group.command("supervise")
@click.argument("case_id")
@click.option("--result", required=True)
@click.option("--by", help="监督人: Person id (default: the matter's supervisor).")
@county_command(method=METHOD)
def supervise_cmd(ctx, as_json, case_id, result, by):
    """监督结果: A supervision result, posted on the board (L193)."""
    c = service.supervise(ctx, case_id, result, by)
    emit(case_json(c), as_json, lambda d: click.echo(f"{case_id}：监督结果已记录"))


@group.command("disclose")
@click.option("--unit", required=True, help="单位: The village.")
@click.option("--item", required=True, type=click.Choice(list(CATALOGUE)))
@click.option("--form", "forms", multiple=True, required=True, type=click.Choice(list(FORMS)),
              help="公开形式: Repeat: board, discussion_point, joint_household_rep, household_rep, info_board.")
@click.option("--period", help="期间: The month (monthly items) or quarter (quarterly items) disclosed.")
@click.option("--case", "case_id", help="事项: The decided matter (items disclosed at any time).")
@click.option("--title")
@click.option("--content")
@county_command(method=METHOD)
def disclose_cmd(ctx, as_json, unit, item, forms, period, case_id, title, content):
    """记录公开: Record a disclosure of a catalogue item (L187); again adds forms."""
    r = disclosure.disclose(ctx, unit, item, list(forms), period=period, case_id=case_id, title=title,
                            content=content)
    emit(r, as_json, lambda d: click.echo(
        f"{unit} {CATALOGUE[item]} {d['key']}：" + "、".join(FORMS[f] for f in d["forms"]) +
        ("（达标）" if d["complete"] else f"（形式不足，应{conf(ctx)['min_forms']}种以上）")))


#: How ``county liuyao disclosures --due-from/--due-to`` names an obligation's state
#: (:func:`disclosure.required`): an obligation due on D is owed once D is over.
DISCLOSURE_STATES = {"done": "已公开", "pending": "待公开（未到期）", "missed": "未按要求公开"}


@group.command("disclosures")
@click.option("--unit")
@click.option("--due-from", help="起: With --due-to: the obligations due in these days (YYYY-MM-DD), done or not.")
@click.option("--due-to")
@county_command(method=METHOD)
def disclosures_cmd(ctx, as_json, unit, due_from, due_to):
    """公开登记: The disclosure register, or the obligations due between two days: 已公开, 待公开（未到期）
    (not done, its due day not over by --now) or 未按要求公开 (its due day over, not done)."""
    if due_from or due_to:
        if not (unit and due_from and due_to):
            raise CountyError("--due-from 与 --due-to 须同时给出，并给出 --unit（哪个村）")
        a, b = parse_date(due_from, "--due-from"), parse_date(due_to, "--due-to")
        disclosure.village_unit(ctx, unit)
        rows = disclosure.required(ctx, unit, a, b)
        emit([{**r, "due_on": r["due_on"].isoformat()} for r in rows], as_json, lambda d: [click.echo(
            f"{r['due_on']} {CATALOGUE[r['item']]} {r['key']}：{DISCLOSURE_STATES[r['state']]}") for r in d])
        return
    rows = disclosure.register(ctx, unit)
    emit(rows, as_json, lambda d: [click.echo(
        f"{r['unit']} {CATALOGUE[r['item']]} {r['key']}：" + "、".join(FORMS[f] for f in r["forms"]) +
        ("" if r["complete"] else "（形式不足）")) for r in d])


@group.command("rate")
@click.option("--kind", required=True, type=click.Choice(list(RATING_KINDS)))
@click.option("--case", "case_id", help="事项: The matter (kind matter).")
@click.option("--subject", help="对象: A cadre (person id) or a village (unit code) (half_year, annual).")
@click.option("--period", help="期间: 2026H1 (half_year) or 2026 (annual).")
@click.option("--satisfied", type=int, required=True)
@click.option("--basically", type=int, default=0)
@click.option("--unsatisfied", type=int, default=0)
@click.option("--meeting", "meeting_kind", type=click.Choice(list(MEETING_KINDS)))
@click.option("--note")
@county_command(method=METHOD)
def rate_cmd(ctx, as_json, kind, case_id, subject, period, satisfied, basically, unsatisfied, meeting_kind, note):
    """Record a rating round (L195): 一事一测评, 半年初评, 年度考评."""
    r = service.rate(ctx, kind, satisfied, basically, unsatisfied, case_id=case_id, subject=subject, period=period,
                     meeting_kind=meeting_kind, note=note)
    emit(r, as_json, lambda d: click.echo(
        " ".join(x for x in (RATING_KINDS[kind], d["subject"], d["period"]) if x) +
        f"：满意率 {d['share']:.1%}，{d['grade_zh']}"))


@group.command("ratings")
@click.option("--unit")
@click.option("--kind", type=click.Choice(list(RATING_KINDS)))
@click.option("--period", help="期间: Rated in: 2026-11, 2026Q4, 2026H1, 2026.")
@county_command(method=METHOD)
def ratings_cmd(ctx, as_json, unit, kind, period):
    """测评记录: The rating rounds with their shares and grades."""
    rows = service.ratings(ctx, unit, kind, period)
    emit(rows, as_json, lambda d: [click.echo(
        " ".join(x for x in (r["rated_at"][:10], RATING_KINDS[r["kind"]], r["subject"], r["period"]) if x) +
        f"：{r['satisfied']}/{r['basically']}/{r['unsatisfied']} 满意率 {r['share']:.1%} {r['grade_zh']}") for r in d])
