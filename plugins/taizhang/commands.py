"""``county taizhang …``: what the generic ``county case …`` commands do not cover.

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

from framework import (
    DONE_STATUSES,
    SATISFACTION,
    SATISFACTION_ZH,
    STATUS_ZH,
    CountyError,
    Refusal,
    case_json,
    county_command,
    emit,
)
from framework.kernel.county import row_to_case
from plugins.taizhang.ledgers import ALL_LEDGERS, SHEET_FIELDS, TIER_ZH, enabled_ledgers

METHOD = "taizhang"


def _taizhang_case(county, case_id):
    case = county.get_case(case_id)
    if case.method != METHOD:
        raise Refusal(f"case {case_id} is a {case.method} case, not a taizhang (台账) case")
    return case


def _print(case) -> None:
    click.echo(f"{case.id}  [{ALL_LEDGERS.get(case.category, case.category)}] {case.title}")
    click.echo(f"  status {case.status} ({STATUS_ZH.get(case.status, case.status)}), tier {case.level} "
               f"({TIER_ZH.get(case.level, case.level)}), unit {case.unit}, handler {case.handler or '-'}")
    if case.events:
        e = case.events[-1]
        click.echo(f"  {e.at.isoformat()}  {e.type}  {e.note or ''}")


def register(cli) -> None:
    """Add the ``taizhang`` group to the root CLI group ``cli``."""

    @cli.group(name=METHOD)
    def taizhang():
        """台账工作法 (Zhongjiang, L1–45): 议账, township reply, 回访, ledger sheets, the books."""

    @taizhang.command("deliberate")
    @click.argument("case_id")
    @click.option("--decision", required=True, help="The collective decision (集体决议), becomes the handling opinion.")
    @click.option("--participants", default="村两委、党员、村民代表", show_default=True,
                  help="Who deliberated (L27: the two committees with party members and villager representatives).")
    @click.option("--measures", help="Work measures decided (工作措施).")
    @county_command()
    def deliberate(county, as_json, case_id, decision, participants, measures):
        """议账: record the two committees' deliberation of an open case (status in_progress)."""
        if not decision.strip():
            raise CountyError("--decision: say what was decided")
        case = _taizhang_case(county, case_id)
        if not case.is_open:
            raise Refusal(f"case {case_id} is {case.status}; only an open case is deliberated")
        extra = {"handling_opinion": decision.strip()}
        if measures:
            extra["work_measures"] = measures.strip()
        c = county.record_event(case_id, "deliberated", note=decision.strip(),
                                data={"decision": decision.strip(), "participants": participants,
                                      **({"measures": measures.strip()} if measures else {})},
                                extra=extra, status="in_progress")
        emit(case_json(c), as_json, lambda d: _print(c))

    @taizhang.command("reply")
    @click.argument("case_id")
    @click.option("--note", required=True, help="The township's reply to the village / requester.")
    @county_command()
    def reply(county, as_json, case_id, note):
        """The township's reply (10天内答复, L29): fulfils the 10-day reply milestone."""
        if not note.strip():
            raise CountyError("--note: give the reply")
        case = _taizhang_case(county, case_id)
        if case.level != "township" or not case.is_open:
            raise Refusal(f"case {case_id} is {case.status} at tier {case.level}; only an open case at the "
                          f"township tier owes a reply")
        c = county.record_event(case_id, "replied", note=note.strip(), meet="reply",
                                status="in_progress")
        emit(case_json(c), as_json, lambda d: _print(c))

    @taizhang.command("callback")
    @click.argument("case_id")
    @click.option("--satisfaction", required=True, type=click.Choice(SATISFACTION))
    @click.option("--note", help="What the requester said.")
    @county_command()
    def callback(county, as_json, case_id, satisfaction, note):
        """回访 (L41): a return visit to the requester of a settled case, with their rating."""
        case = _taizhang_case(county, case_id)
        if case.status not in DONE_STATUSES:
            raise Refusal(f"case {case_id} is {case.status}; a return visit (回访) follows a settled case")
        c = county.record_event(case_id, "callback", note=note or SATISFACTION_ZH[satisfaction],
                                data={"satisfaction": satisfaction})
        emit(case_json(c), as_json, lambda d: _print(c))

    @taizhang.command("update")
    @click.argument("case_id")
    @click.option("--set", "sets", multiple=True, required=True, metavar="KEY=VALUE",
                  help=f"A ledger sheet field: {', '.join(SHEET_FIELDS)}.")
    @county_command()
    def update(county, as_json, case_id, sets):
        """动态更新 (L25): fill in or change fields of the ledger sheet (one event per update)."""
        changes = {}
        for p in sets:
            if "=" not in p:
                raise CountyError(f"--set {p!r}: use KEY=VALUE")
            k, v = (x.strip() for x in p.split("=", 1))
            if k not in SHEET_FIELDS:
                raise CountyError(f"--set {k}: not a ledger sheet field (fields: {', '.join(SHEET_FIELDS)})")
            changes[k] = v
        _taizhang_case(county, case_id)
        c = county.record_event(case_id, "ledger_updated", note="更新台账：" + "、".join(changes),
                                data=changes, extra=changes)
        emit(case_json(c), as_json, lambda d: _print(c))

    @taizhang.command("ledger")
    @click.option("--unit", required=True, help="A village/community (its books) or a township/county (all below).")
    @click.option("--category", "ledger", help="One ledger only (livelihood, needy, stability, …).")
    @click.option("--open", "only_open", is_flag=True, help="Only cases still open.")
    @county_command()
    def ledger(county, as_json, unit, ledger, only_open):
        """The books (三本台账) of the cases a unit's villages took in: counts and entries per ledger."""
        books = enabled_ledgers(county.settings(METHOD))
        if ledger and ledger not in books:
            raise CountyError(f"--category {ledger!r}: not a ledger of this deployment ({', '.join(books)})")
        codes = county.subtree(county.unit(unit).code)
        rows = county.store.query(f"select * from cases where method = ? and origin_unit in ({','.join('?' * len(codes))})"
                                  " order by seq", [METHOD, *codes])
        out = {code: {"ledger": code, "title_zh": title, "count": 0, "cases": []}
               for code, title in books.items() if not ledger or code == ledger}
        for r in rows:
            c, origin = row_to_case(r), r["origin_unit"]
            if c.category not in out or (only_open and not c.is_open):
                continue
            book = out[c.category]
            book["count"] += 1
            book["cases"].append({"id": c.id, "title": c.title, "unit": origin, "status": c.status,
                                  "level": c.level, "due_at": c.due_at, "created_at": c.created_at})
        data = {"unit": unit, "ledgers": list(out.values())}

        def human(d):
            for b in d["ledgers"]:
                click.echo(f"{b['title_zh']}（{b['ledger']}）: {b['count']}件")
                for c in b["cases"]:
                    click.echo(f"  {c['id']}  {STATUS_ZH.get(c['status'], c['status'])}  "
                               f"{TIER_ZH.get(c['level'], c['level'] or '-')}  {c['title']}")

        emit(data, as_json, human)
