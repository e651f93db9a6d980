"""``county taizhang …``: what the generic ``county case …`` commands do not cover.

A thin click layer over :mod:`plugins.taizhang.service`:

* ``deliberate ID --decision TEXT`` — 议账 (L27): the village two committees with party members
  and villager representatives decide; a ``deliberated`` event, status ``in_progress``, and the
  decision becomes the sheet's handling opinion (处理意见).
* ``reply ID --note TEXT`` — the township's reply (乡镇10天内答复, L29): a ``replied`` event that
  fulfils the township's 10-day ``reply`` milestone, so the sweep does not flag it.
* ``callback ID --satisfaction S`` — 回访 (L41): a return visit to the requester of a settled
  case; a ``callback`` event that feeds the callback satisfaction rate.
* ``update ID --set KEY=VALUE …`` — 动态更新 (L25): fill in or change the ledger sheet
  (result, work measures, requester's opinion …); a ``ledger_updated`` event.
* ``ledger --unit U`` — the village's (or a township's) books: counts and entries per ledger.
* ``handover ID --department DEPT [--handler P]`` — 三账办交办 (L29): the case goes to the
  department tier with the department's responsible person (责任人, L25) from the assignment rule.
* ``post --unit U --month M`` — 每月上墙公示 (L35): the month's board was put on the wall; the
  ``board`` duty of ``county duties`` is then done.
"""

from __future__ import annotations

import click

from framework import SATISFACTION, STATUS_ZH, case_json, county_command, emit
from plugins.taizhang import service
from plugins.taizhang.rules import ALL_LEDGERS, SHEET_FIELDS, TIER_ZH

METHOD = service.METHOD


#: Chinese names of taizhang's own event types (the kernel's are its EVENT_ZH).
EVENT_ZH = {"deliberated": "议账", "replied": "乡镇答复", "callback": "回访", "ledger_updated": "更新台账",
            "assigned": "交办", "escalated": "上报", "resolved": "办结", "confirmed": "签字确认"}


def _print(ctx, case) -> None:
    """The human view: status, tier, unit and handler by their Chinese names first, the code
    after (as ``county case show``); ``--json`` carries the codes only."""
    unit = ctx.units.get(case.unit)
    handler = ctx.people.get(case.handler) if case.handler else None
    click.echo(f"{case.id}  [{ALL_LEDGERS.get(case.category, case.category)}] {case.title}")
    tier = f"{TIER_ZH.get(case.level, case.level)} {case.level}" if case.level else "-"
    click.echo(f"  状态 {STATUS_ZH.get(case.status, case.status)} {case.status}，层级 {tier}，"
               f"单位 {unit.name + ' ' if unit else ''}{case.unit}，"
               f"责任人 {handler.name + ' ' + case.handler if handler else (case.handler or '-')}")
    if case.events:
        e = case.events[-1]
        kind = f"{EVENT_ZH[e.type]} {e.type}" if e.type in EVENT_ZH else e.type
        click.echo(f"  {e.at.isoformat()}  {kind}  {e.note or ''}")


def _emit_case(ctx, case, as_json: bool) -> None:
    emit(case_json(case), as_json, lambda d: _print(ctx, case))


@click.group(name=METHOD)
def group():
    """台账工作法 (Zhongjiang, L1–45): 议账, township reply, 交办, 回访, ledger sheets, the books, wall posting."""


@group.command("deliberate")
@click.argument("case_id")
@click.option("--decision", required=True, help="The collective decision (集体决议), becomes the handling opinion.")
@click.option("--participants", default=service.PARTICIPANTS, show_default=True,
              help="Who deliberated (L27: the two committees with party members and villager representatives).")
@click.option("--measures", help="Work measures decided (工作措施).")
@county_command(method=METHOD)
def deliberate(ctx, as_json, case_id, decision, participants, measures):
    """议账: record the two committees' deliberation of an open case (status in_progress)."""
    _emit_case(ctx, service.deliberate(ctx, case_id, decision, participants, measures), as_json)


@group.command("reply")
@click.argument("case_id")
@click.option("--note", required=True, help="The township's reply to the village / requester.")
@county_command(method=METHOD)
def reply(ctx, as_json, case_id, note):
    """The township's reply (10天内答复, L29): fulfils the 10-day reply milestone."""
    _emit_case(ctx, service.reply(ctx, case_id, note), as_json)


@group.command("callback")
@click.argument("case_id")
@click.option("--satisfaction", required=True, type=click.Choice(SATISFACTION))
@click.option("--note", help="What the requester said.")
@county_command(method=METHOD)
def callback(ctx, as_json, case_id, satisfaction, note):
    """回访 (L41): a return visit to the requester of a settled case, with their rating."""
    _emit_case(ctx, service.callback(ctx, case_id, satisfaction, note), as_json)


@group.command("update")
@click.argument("case_id")
@click.option("--set", "sets", multiple=True, required=True, metavar="KEY=VALUE",
              help=f"A ledger sheet field: {', '.join(SHEET_FIELDS)}.")
@county_command(method=METHOD)
def update(ctx, as_json, case_id, sets):
    """动态更新 (L25): fill in or change fields of the ledger sheet (one event per update)."""
    _emit_case(ctx, service.update_sheet(ctx, case_id, service.parse_sheet(sets)), as_json)


@group.command("handover")
@click.argument("case_id")
@click.option("--department", required=True, help="The department unit (相关部门) the 三账办 hands the case to.")
@click.option("--handler", help="Its responsible person (责任人); default: the assignment rule's (the sheet's "
                                "responsible_person of that department, else its one department_staff).")
@click.option("--note", help="What the office asks of the department.")
@county_command(method=METHOD)
def handover(ctx, as_json, case_id, department, handler, note):
    """三账办交办 (L29): hand a case at the 三账办 to a department, with its responsible person (L25)."""
    _emit_case(ctx, service.handover(ctx, case_id, department, handler, note), as_json)


@group.command("post")
@click.option("--unit", required=True, help="A village/community (its board) or a township/county (each village below).")
@click.option("--month", required=True, help="YYYY-MM: the month whose board was put on the wall.")
@click.option("--note", help="Where or how it was posted.")
@county_command(method=METHOD)
def post(ctx, as_json, unit, month, note):
    """每月上墙公示 (L35): record that a month's board was put on the wall (the `county duties`
    board duty is then done); print the board with `county board --unit U --period M`."""
    rows = service.post_board(ctx, unit, month, note)

    def human(rs):
        for r in rs:
            name = ctx.units[r["unit"]].name
            state = "此前已公示" if r["already"] else "已上墙公示"
            click.echo(f"{name} {r['unit']}  {r['month']}  {state} {r['posted_at'][:16].replace('T', ' ')}  "
                       f"本期建账{r['new_cases']}件，结账{r['settled_cases']}件")

    emit(rows, as_json, human)


@group.command("ledger")
@click.option("--unit", required=True, help="A village/community (its books) or a township/county (all below).")
@click.option("--category", "ledger", help="One ledger only (livelihood, needy, stability, …).")
@click.option("--open", "only_open", is_flag=True, help="Only cases still open.")
@county_command(method=METHOD)
def ledger(ctx, as_json, unit, ledger, only_open):
    """The books (三本台账) of the cases a unit's villages took in: counts and entries per ledger."""
    data = service.books(ctx, unit, ledger, only_open)

    def human(d):
        for b in d["ledgers"]:
            click.echo(f"{b['title_zh']}（{b['ledger']}）: {b['count']}件")
            for c in b["cases"]:
                click.echo(f"  {c['id']}  {STATUS_ZH.get(c['status'], c['status'])}  "
                           f"{TIER_ZH.get(c['level'], c['level'] or '-')}  {c['title']}")

    emit(data, as_json, human)
