"""``county zouqian …``: a thin click layer over :mod:`.service`.

Every command takes ``--db``, ``--now``, ``--json`` (county_command); the human output is in
Chinese, ``--json`` keeps the codes.
"""

from __future__ import annotations

import click

from framework import case_json, county_command, emit, parse_date

from . import service
from .rules import NAME, PAIRING_ZH, PAIRINGS, RATERS, SCALE, TIER_ZH, VISIT_KINDS


def side_name(ctx, value: str) -> str:
    """A pairing side for people: a person's or a unit's name, else the text itself."""
    if value in ctx.people:
        return ctx.people[value].name
    return ctx.units[value].name if value in ctx.units else value


@click.group(name=NAME)
def group():
    """走千听万 (zouqian, 浦东): pairings, visiting rounds, visits, batch solving, 群众评议."""


# -- pairings -----------------------------------------------------------------------------------
@group.group("pair")
def pair():
    """六个结对: who is paired with whom (L329)."""


@pair.command("add")
@click.option("--kind", required=True, help="类别: " + ", ".join(PAIRINGS))
@click.option("--a", "side_a", required=True, help="结对一方: Side A: a person id, a unit code or a name (by kind).")
@click.option("--b", "side_b", required=True, help="结对另一方: Side B: a unit code, a person id or a name (by kind).")
@click.option("--note", default=None)
@county_command(method=NAME)
def pair_add(ctx, as_json, kind, side_a, side_b, note):
    """结对: Record a pairing from --now (L329)."""
    with ctx.transaction():
        row = service.add_pairing(ctx, kind, side_a, side_b, note)
    emit(row, as_json, lambda d: click.echo(
        f"结对{d['id']}：{PAIRING_ZH[d['kind']]}（{side_name(ctx, d['a'])} ↔ {side_name(ctx, d['b'])}）"))


@pair.command("end")
@click.argument("pairing_id", type=int)
@county_command(method=NAME)
def pair_end(ctx, as_json, pairing_id):
    """结束结对: End a pairing at --now."""
    with ctx.transaction():
        row = service.end_pairing(ctx, pairing_id)
    emit(row, as_json, lambda d: click.echo(f"结对{d['id']}：{d['ended'][:10]}结束"))


@pair.command("list")
@click.option("--unit", default=None, help="单位: Pairings serving this unit's subtree.")
@click.option("--kind", default=None, help="类别: " + ", ".join(PAIRINGS))
@click.option("--all", "show_all", is_flag=True, help="全部: Ended pairings too.")
@county_command(method=NAME)
def pair_list(ctx, as_json, unit, kind, show_all):
    """结对列表: List pairings, oldest first."""
    rows = service.pairings(ctx, unit, kind, active=not show_all)

    def human(data):
        for d in data:
            click.echo(f"{d['id']}\t{PAIRING_ZH[d['kind']]}\t{side_name(ctx, d['a'])} ↔ {side_name(ctx, d['b'])}\t"
                       f"{d['since'][:10]}"
                       + (f"\t{d['ended'][:10]}结束" if d["ended"] else ""))
    emit(rows, as_json, human)


# -- rounds and visits --------------------------------------------------------------------------
@group.group("round")
def round_group():
    """集中走访批次 (L320)."""


@round_group.command("add")
@click.argument("no", type=int)
@click.option("--start", required=True, help="开始: First day, YYYY-MM-DD (local).")
@click.option("--end", required=True, help="结束: Last day, YYYY-MM-DD (local).")
@click.option("--title", default=None)
@county_command(method=NAME)
def round_add(ctx, as_json, no, start, end, title):
    """集中走访批次: Record visiting round NO."""
    with ctx.transaction():
        row = service.add_round(ctx, no, parse_date(start, "--start"), parse_date(end, "--end"),
                                title)
    emit(row, as_json, lambda d: click.echo(f"{d['title']}：{d['start_on']}至{d['end_on']}"))


@group.command("visit")
@click.option("--cadre", required=True, help="干部: The visiting cadre (person id).")
@click.option("--unit", required=True, help="The 居村 visited (village or community).")
@click.option("--kind", default="visit", show_default=True, help="visit (集中走访) or contact (日常联系).")
@click.option("--round", "round_no", type=int, default=None, help="轮次: The visiting round.")
@click.option("--problems", type=int, default=0, show_default=True, help="问题数: Problems found.")
@click.option("--diary", default=None, help="The visit diary (走访日记).")
@county_command(method=NAME)
def visit(ctx, as_json, cadre, unit, kind, round_no, problems, diary):
    """走访或日常联系: Record a visit or a daily contact at --now (L329, L337); its id goes on problems as --set visit=ID."""
    with ctx.transaction():
        row = service.record_visit(ctx, cadre, unit, kind, round_no, problems, diary)
    emit(row, as_json, lambda d: click.echo(
        f"走访{d['id']}：{ctx.people[d['cadre']].name}{VISIT_KINDS[d['kind']]}{ctx.units[d['unit']].name}"))


# -- batch solving ------------------------------------------------------------------------------
@group.group("batch")
def batch():
    """集中研究、政策破题、批量解决 (L337): linked problems solved together."""


@batch.command("open")
@click.argument("lead")
@click.option("--topic", default=None, help="主题: The common problem (default: the lead's --set topic).")
@click.option("--policy", default=None, help="The policy that solves it, e.g. 《关于农民建房问题的答复口径》.")
@county_command(method=NAME)
def batch_open(ctx, as_json, lead, topic, policy):
    """批量解决：立批次: Open a batch led by the open problem LEAD."""
    row = service.open_batch(ctx, lead, topic, policy)
    emit(row, as_json, lambda d: click.echo(f"批次{d['id']}：{d['topic']}，牵头问题{d['lead']}"))


@batch.command("add")
@click.argument("batch_id", type=int)
@click.argument("case_ids", nargs=-1, required=True)
@click.option("--note", default=None)
@county_command(method=NAME)
def batch_add(ctx, as_json, batch_id, case_ids, note):
    """批量解决：纳入问题: Link problems to the batch's lead (the kernel's linked cases)."""
    cases = service.add_to_batch(ctx, batch_id, list(case_ids), note)
    emit([case_json(c, events=False) for c in cases], as_json,
         lambda d: click.echo(f"批次{batch_id}：纳入{len(d)}件（{'、'.join(c['id'] for c in d)}）"))


@batch.command("solve")
@click.argument("batch_id", type=int)
@click.option("--note", required=True, help="备注: How the policy solved it.")
@county_command(method=NAME)
def batch_solve(ctx, as_json, batch_id, note):
    """批量解决: Solve the batch: the lead and every open linked problem resolved now (cascade)."""
    row = service.solve_batch(ctx, batch_id, note)
    emit(row, as_json, lambda d: click.echo(f"批次{d['id']}：批量解决{d['solved_count']}件"))


@batch.command("list")
@click.option("--unit", default=None)
@county_command(method=NAME)
def batch_list(ctx, as_json, unit):
    """批次列表: List batches, oldest first."""
    rows = service.batches(ctx, unit)

    def human(data):
        for d in data:
            state = f"{d['solved_at'][:10]}解决{d['solved_count']}件" if d["solved_at"] else "办理中"
            click.echo(f"{d['id']}\t{d['topic']}\t{d['lead']}\t{d['policy'] or ''}\t{state}")
    emit(rows, as_json, human)


# -- the satisfaction gate ----------------------------------------------------------------------
@group.command("rate")
@click.argument("case_id")
@click.option("--level", required=True, help="很满意/满意/一般/不满意/很不满意 or the codes " + ", ".join(SCALE.codes))
@click.option("--rater", default="resident", show_default=True, help="评议人: " + ", ".join(RATERS))
@click.option("--note", default=None)
@county_command(method=NAME)
def rate(ctx, as_json, case_id, level, rater, note):
    """群众评议 of a solved problem (L331): 很满意/满意 close it, the rest send it back."""
    case, outcome = service.rate_case(ctx, case_id, level, rater, note)
    data = {**case_json(case, events=False), "outcome": outcome}
    emit(data, as_json, lambda d: click.echo(
        f"{d['id']}：{SCALE.label(d['satisfaction'])}，"
        + ("退出网上工作平台" if outcome == "closes" else f"重新流转到问题处置环节（{TIER_ZH.get(d['level'], d['level'])}）")))
