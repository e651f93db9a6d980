"""``county daiban …``: the network coverage report, signing and printing a tracking card, the
monthly card check and overdue register, real-name complaints, democratic appraisal sheets and
the 100-point score. A thin click layer over :mod:`plugins.daiban.service` and
:mod:`plugins.daiban.appraisal`; every command takes ``--db``, ``--now`` and ``--json``
(``county_command``) and receives the method's ``ctx``."""

from __future__ import annotations

import click

from framework import (
    SATISFACTION,
    SATISFACTION_ZH,
    case_json,
    county_command,
    emit,
    mask_phone,
)
from plugins.daiban import network, service
from plugins.daiban.appraisal import score_rows
from plugins.daiban.rules import (
    CARD_LABELS,
    COMPLAINT_KINDS,
    COMPLAINT_STATUS_ZH,
    INDICATORS,
    METHOD,
    MODES,
    REVIEWER_KINDS,
    SEVERITIES,
)


@click.group(name=METHOD)
def group():
    """村民事务代办 (Xupu, L221–231): errand agents, tracking cards, complaints, scores."""


@group.command("coverage")
@click.option("--unit", help="Only this unit's subtree (default: the whole deployment).")
@county_command(method=METHOD)
def coverage_cmd(ctx, as_json, unit):
    """The agent network (L225): villager groups without an agent (每个村民小组至少1名代办员),
    villages without an agency-room agent, townships' centres checked both ways (exactly one
    director, 3–4 staff agents). In Chinese; --json keeps the finding codes."""

    def human(r):
        click.echo(f"村民小组{r['groups']}个，有代办员的{r['groups_covered']}个")
        for g in r["uncovered_groups"]:
            click.echo(f"  无代办员  {g['code']}  {g['township_name'] or ''}{g['village_name'] or ''}{g['name']}")
        for v in r["villages_without_office_agent"]:
            click.echo(f"  村代办室无代办员  {v['code']}  {v['name']}")
        for t in r["townships"]:
            state = "符合" if t["ok"] else "不符合：" + "；".join(f["message"] for f in t["findings"])
            click.echo(f"  乡代办中心 {t['code']} {t['name']}：主任 {'、'.join(t['director']) or '—'}，"
                       f"代办员{len(t['agents'])}名 — {state}")

    emit(network.coverage(ctx, unit), as_json, human)


@group.command("sign")
@click.argument("case_id")
@click.option("--satisfaction", required=True, type=click.Choice(list(SATISFACTION)))
@click.option("--outcome", help="办结情况 (required when the card is still open: it is completed now).")
@click.option("--signed-by", help="Who signs (default: the requester's name).")
@click.option("--hours", type=float, help="The agent's hours on the errand (投入).")
@county_command(method=METHOD)
def sign_cmd(ctx, as_json, case_id, satisfaction, outcome, signed_by, hours):
    """The requester signs the tracking card on completion (办结时由委托人签字确认, L229):
    completes the card now if still open (kernel resolve), then confirms it with the rating
    (kernel confirm) and records outcome, signer and time on the card."""
    c = service.sign(ctx, case_id, satisfaction=satisfaction, outcome=outcome, signed_by=signed_by, hours=hours)
    emit(case_json(c), as_json, lambda d: click.echo(
        f"{c.id} signed by {c.extra['signed_by']} ({satisfaction}); completed {c.resolved_at.isoformat()}, "
        f"due {c.due_at.isoformat() if c.due_at else '-'}"))


@group.command("promise")
@click.argument("case_id")
@click.option("--time", "text", required=True,
              help="The promise: hours 6h, calendar days 2d, a date 2013-03-06 (to its end) or a time "
                   "2013-03-06T17:00; at most the scope's limit (24 hours / 4 days from acceptance).")
@county_command(method=METHOD)
def promise_cmd(ctx, as_json, case_id, text):
    """The agent's time-limit promise (限时办结承诺, L229) on an open card that has none yet:
    shorter than the limit if the agent says so, and the card is held to it (ledger, card
    check, complaints, score)."""
    c = service.promise(ctx, case_id, text)
    emit(case_json(c, events=False), as_json, lambda d: click.echo(
        f"{c.id}：代办员承诺{c.extra['time_limit']}办结回复，至{c.extra['promised_due_at']}"
        f"（规定时限{c.extra.get('time_cap') or '—'}）"))


@group.command("card")
@click.argument("case_id")
@county_command(method=METHOD)
def card_cmd(ctx, as_json, case_id):
    """Print one tracking card (为民代办服务跟踪卡, L229) with its Chinese field labels.
    An operator's view: the requester's contact is shown in full."""
    view = service.card_view(ctx, service.get_card(ctx, case_id, events=False))

    def human(v):
        click.echo("为民代办服务跟踪卡")
        for key, label in CARD_LABELS:
            val = v.get(key)
            if key == "mode":
                val = MODES.get(val, val)
            if key == "satisfaction":
                val = SATISFACTION_ZH.get(val, val)
            click.echo(f"  {label}：{'' if val is None else val}")

    emit(view, as_json, human)


@group.command("check")
@click.option("--month", required=True, help="YYYY-MM: the month whose cards fall due.")
@click.option("--unit", help="The township checking (default: the whole deployment).")
@county_command(method=METHOD)
def check_cmd(ctx, as_json, month, unit):
    """The monthly card check (每月检查"跟踪卡"): every card due in the month and past its time
    limit goes into the overdue register (登记在案) for the year-end deduction."""

    def human(r):
        for e in r["entries"]:
            click.echo(f"{e['case_id']}  agent {e['agent'] or '-'}  due {e['due_at']}  {e['state']}")
        click.echo(f"{r['month']}: {r['cards']} card(s) past due checked, {r['overdue']} overdue "
                   f"({r['new']} newly registered)")

    emit(service.check_month(ctx, month, unit), as_json, human)


@group.command("overdue")
@click.option("--month")
@click.option("--year")
@click.option("--unit")
@click.option("--agent")
@county_command(method=METHOD)
def overdue_cmd(ctx, as_json, month, year, unit, agent):
    """The overdue register (超过办理期限登记), as filled by `county daiban check`."""
    rows = service.overdue_entries(ctx, month=month, year=year, unit=unit, agent=agent)
    emit(rows, as_json, lambda rs: [click.echo(f"{r['month']}  {r['case_id']}  {r['agent'] or '-'}  due {r['due_at']}  "
                                               f"{r['state']}") for r in rs] or click.echo("0 entries"))


# -- complaints ------------------------------------------------------------------------------


@group.group("complaint")
def complaint():
    """Real-name complaints (实名投诉, L229): add → investigate → rectify → close."""


def show_complaint(c: dict) -> None:
    """Print one complaint row (the complainant's phone masked)."""
    click.echo(f"complaint {c['id']} [{c['status']}] {COMPLAINT_STATUS_ZH.get(c['status'], '')}: "
               f"{COMPLAINT_KINDS.get(c['kind'], c['kind'])}, agent {c['agent']}, card {c['case_id'] or '-'}")
    click.echo(f"  by {c['complainant']} ({mask_phone(c['complainant_phone']) or '-'}) at {c['filed_at']}: {c['text']}")
    if c["finding"]:
        click.echo(f"  finding: {c['finding']} (severity {c['severity'] or '-'})")
    if c["measure"]:
        click.echo(f"  rectification: {c['measure']} by {c['rectify_due_at']}")
    if c["closed_at"]:
        click.echo(f"  closed {c['closed_at']} ({'on time' if c['on_time'] else 'late'}): {c['result']}")


@complaint.command("add")
@click.option("--complainant", required=True, help="The villager's real name (实名).")
@click.option("--phone")
@click.option("--kind", required=True, type=click.Choice(list(COMPLAINT_KINDS)))
@click.option("--text", required=True)
@click.option("--case", "case_id", help="The tracking card (needed for --kind overdue).")
@click.option("--agent", help="The agent complained about (default: the card's handler).")
@county_command(method=METHOD)
def complaint_add(ctx, as_json, complainant, phone, kind, text, case_id, agent):
    """File a real-name complaint with the township government."""
    c = service.add_complaint(ctx, complainant=complainant, kind=kind, text=text, agent=agent, case_id=case_id,
                              phone=phone)
    emit(c, as_json, show_complaint)


@complaint.command("investigate")
@click.argument("complaint_id", type=int)
@click.option("--upheld/--not-upheld", required=True, help="Whether the complaint was found true (查实).")
@click.option("--finding", required=True)
@click.option("--severity", type=click.Choice(list(SEVERITIES)), help="按情节轻重 (upheld only).")
@click.option("--accountability", help="The responsibility pursued (追究责任).")
@county_command(method=METHOD)
def complaint_investigate(ctx, as_json, complaint_id, upheld, finding, severity, accountability):
    """Record the investigation's finding."""
    c = service.investigate(ctx, complaint_id, upheld=upheld, finding=finding, severity=severity,
                            accountability=accountability)
    emit(c, as_json, show_complaint)


@complaint.command("rectify")
@click.argument("complaint_id", type=int)
@click.option("--measure", required=True)
@click.option("--days", type=int, help="Calendar days to rectify (default: setting rectify_days).")
@county_command(method=METHOD)
def complaint_rectify(ctx, as_json, complaint_id, measure, days):
    """Order a rectification with its own deadline (限期整改)."""
    emit(service.rectify(ctx, complaint_id, measure=measure, days=days), as_json, show_complaint)


@complaint.command("close")
@click.argument("complaint_id", type=int)
@click.option("--result", required=True, help="How the rectification was carried out (整改到位).")
@county_command(method=METHOD)
def complaint_close(ctx, as_json, complaint_id, result):
    """Close a complaint; refused (exit 1) without a rectification."""
    emit(service.close(ctx, complaint_id, result=result), as_json, show_complaint)


@complaint.command("show")
@click.argument("complaint_id", type=int)
@county_command(method=METHOD)
def complaint_show(ctx, as_json, complaint_id):
    """One complaint."""
    emit(service.get_complaint(ctx, complaint_id), as_json, show_complaint)


@complaint.command("list")
@click.option("--agent")
@click.option("--status", type=click.Choice(list(COMPLAINT_STATUS_ZH)))
@click.option("--overdue", is_flag=True, help="Only rectifications past their deadline at --now.")
@county_command(method=METHOD)
def complaint_list(ctx, as_json, agent, status, overdue):
    """Complaints, oldest first."""
    rows = service.complaints(ctx, agent=agent, status=status, overdue=overdue)
    emit(rows, as_json, lambda rs: [show_complaint(r) for r in rs] or click.echo("0 complaints"))


# -- democratic appraisal and score ------------------------------------------------------------


@group.group("review")
def review():
    """Year-end democratic appraisal (民主评议, L231) by party members and villager representatives."""


@review.command("add")
@click.option("--agent", required=True)
@click.option("--year", required=True, type=int)
@click.option("--reviewer-kind", required=True, type=click.Choice(list(REVIEWER_KINDS)))
@click.option("--reviewer", help="The reviewer's name (optional).")
@click.option("--attitude", required=True, type=float, help="服务态度, 0–100")
@click.option("--efficiency", required=True, type=float, help="办事效率, 0–100")
@click.option("--results", required=True, type=float, help="效果, 0–100")
@county_command(method=METHOD)
def review_add(ctx, as_json, agent, year, reviewer_kind, reviewer, attitude, efficiency, results):
    """Enter one appraisal sheet."""
    r = service.add_review(ctx, agent=agent, year=year, reviewer_kind=reviewer_kind, reviewer=reviewer,
                           attitude=attitude, efficiency=efficiency, results=results)
    emit(r, as_json, lambda r: click.echo(f"sheet {r['id']}: {r['agent']} {r['year']} ({r['reviewer_kind']}) "
                                          f"{r['attitude']:g}/{r['efficiency']:g}/{r['results']:g}"))


@review.command("list")
@click.option("--year", type=int)
@click.option("--agent")
@county_command(method=METHOD)
def review_list(ctx, as_json, year, agent):
    """Appraisal sheets entered."""
    rows = service.reviews(ctx, year=year, agent=agent)
    emit(rows, as_json, lambda rs: [click.echo(f"{r['id']}  {r['agent']}  {r['year']}  {r['reviewer_kind']}  "
                                               f"{r['attitude']:g}/{r['efficiency']:g}/{r['results']:g}") for r in rs]
         or click.echo("0 sheets"))


@group.command("score")
@click.option("--period", required=True, help="Usually the year (2013); 2013Q1 and 2013-03 also work.")
@click.option("--unit")
@click.option("--agent")
@county_command(method=METHOD)
def score_cmd(ctx, as_json, period, unit, agent):
    """Each agent's 100-point score (量化考核) with its five indicators and the overdue
    deduction, and for a year the democratic appraisal mean (民主评议)."""

    def human(rs):
        head = ["agent", "name", "cards"] + [k for k, _ in INDICATORS] + ["deduction", "score", "review"]
        click.echo("  ".join(head))
        for r in rs:
            click.echo("  ".join("-" if r[h] is None else (f"{r[h]:g}" if isinstance(r[h], float) else str(r[h]))
                                 for h in head))

    emit(score_rows(ctx, period, unit, agent), as_json, human)
