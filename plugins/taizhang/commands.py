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
"""

from __future__ import annotations

import click

from framework import SATISFACTION, STATUS_ZH, case_json, county_command, emit
from plugins.taizhang import service
from plugins.taizhang.rules import ALL_LEDGERS, SHEET_FIELDS, TIER_ZH

METHOD = service.METHOD


def _print(case) -> None:
    click.echo(f"{case.id}  [{ALL_LEDGERS.get(case.category, case.category)}] {case.title}")
    click.echo(f"  status {case.status} ({STATUS_ZH.get(case.status, case.status)}), tier {case.level} "
               f"({TIER_ZH.get(case.level, case.level)}), unit {case.unit}, handler {case.handler or '-'}")
    if case.events:
        e = case.events[-1]
        click.echo(f"  {e.at.isoformat()}  {e.type}  {e.note or ''}")


def _emit_case(case, as_json: bool) -> None:
    emit(case_json(case), as_json, lambda d: _print(case))


@click.group(name=METHOD)
def group():
    """台账工作法 (Zhongjiang, L1–45): 议账, township reply, 回访, ledger sheets, the books."""


@group.command("deliberate")
@click.argument("case_id")
@click.option("--decision", required=True, help="The collective decision (集体决议), becomes the handling opinion.")
@click.option("--participants", default=service.PARTICIPANTS, show_default=True,
              help="Who deliberated (L27: the two committees with party members and villager representatives).")
@click.option("--measures", help="Work measures decided (工作措施).")
@county_command(method=METHOD)
def deliberate(ctx, as_json, case_id, decision, participants, measures):
    """议账: record the two committees' deliberation of an open case (status in_progress)."""
    _emit_case(service.deliberate(ctx, case_id, decision, participants, measures), as_json)


@group.command("reply")
@click.argument("case_id")
@click.option("--note", required=True, help="The township's reply to the village / requester.")
@county_command(method=METHOD)
def reply(ctx, as_json, case_id, note):
    """The township's reply (10天内答复, L29): fulfils the 10-day reply milestone."""
    _emit_case(service.reply(ctx, case_id, note), as_json)


@group.command("callback")
@click.argument("case_id")
@click.option("--satisfaction", required=True, type=click.Choice(SATISFACTION))
@click.option("--note", help="What the requester said.")
@county_command(method=METHOD)
def callback(ctx, as_json, case_id, satisfaction, note):
    """回访 (L41): a return visit to the requester of a settled case, with their rating."""
    _emit_case(service.callback(ctx, case_id, satisfaction, note), as_json)


@group.command("update")
@click.argument("case_id")
@click.option("--set", "sets", multiple=True, required=True, metavar="KEY=VALUE",
              help=f"A ledger sheet field: {', '.join(SHEET_FIELDS)}.")
@county_command(method=METHOD)
def update(ctx, as_json, case_id, sets):
    """动态更新 (L25): fill in or change fields of the ledger sheet (one event per update)."""
    _emit_case(service.update_sheet(ctx, case_id, service.parse_sheet(sets)), as_json)


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
