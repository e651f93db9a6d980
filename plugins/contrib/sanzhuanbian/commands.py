"""``county sanzhuanbian …``: a thin click layer over network.py, ledger.py and rating.py."""

from __future__ import annotations

import click

from framework import case_json, county_command, emit, parse_date

from . import ledger, network, rating
from .rules import FLAGS, LEDGERS, LEVELS, NAME, RATERS


def _name(ctx, person: str) -> str:
    """A person's name, their id when unknown."""
    p = ctx.people.get(person)
    return p.name if p else person


@click.group(name=NAME)
def group():
    """三个转变 (sanzhuanbian, Wushi L110): contact network, visits, the three ledgers, 四比一测评."""


@group.group("household")
def household_group():
    """Households of the contact network (户)."""


@household_group.command("add")
@click.argument("household_id")
@click.option("--unit", required=True, help="The village (农户) or community (居民).")
@click.option("--label", default=None, help="门牌: A door number or description (no names).")
@click.option("--flag", "flags", multiple=True, type=click.Choice(list(FLAGS)),
              help="needy 困难户, petitioner 上访户, key_person 重点人员 (repeatable).")
@county_command(method=NAME)
def household_add(ctx, as_json, household_id, unit, label, flags):
    """登记或更新户: Add a household, or update its label and flags (L110)."""
    row = network.add_household(ctx, household_id, unit, label, flags)
    emit(row, as_json, lambda d: click.echo(f"户 {d['id']}：{ctx.units[d['unit']].name}"
                                            f"{'（' + '、'.join(FLAGS[f] for f in d['flags']) + '）' if d['flags'] else ''}"))


@group.command("link")
@click.option("--cadre", required=True, help="干部: The responsible cadre (a person id).")
@click.option("--household", "household_id", required=True, help="农户: The household id.")
@click.option("--kind", default="contact", type=click.Choice(list(network.KINDS)),
              help="contact (干部联系1-5户农户) or mutual_aid (机关党员干部联系1户村民和1户居民).")
@county_command(method=NAME)
def link(ctx, as_json, cadre, household_id, kind):
    """Make a cadre responsible for a household (L110 每户群众都有1名党员干部联系负责)."""
    link_id = network.link(ctx, cadre, household_id, kind)
    emit({"link": link_id, "cadre": cadre, "household": household_id, "kind": kind}, as_json,
         lambda d: click.echo(f"{household_id} → {ctx.people[cadre].name}（{network.KINDS[kind]}）"))


@group.command("unlink")
@click.option("--household", "household_id", required=True, help="农户: The household id.")
@county_command(method=NAME)
def unlink(ctx, as_json, household_id):
    """解除联系: End a household's link to its cadre."""
    cadre = network.unlink(ctx, household_id)
    emit({"household": household_id, "cadre": cadre}, as_json,
         lambda d: click.echo(f"{household_id}：不再由{_name(ctx, cadre)}联系负责"))


@group.command("pair")
@click.option("--department", required=True, help="The county department (县直单位).")
@click.option("--village", required=True, help="村: Its one administrative village.")
@county_command(method=NAME)
def pair(ctx, as_json, department, village):
    """Pair a county department with one village (L110 县直单位对口帮扶1个行政村)."""
    network.pair(ctx, department, village)
    emit({"department": department, "village": village}, as_json,
         lambda d: click.echo(f"{ctx.units[department].name} 对口帮扶 {ctx.units[village].name}"))


@group.command("network")
@click.option("--unit", default=None, help="单位: Only this unit's subtree.")
@county_command(method=NAME)
def network_cmd(ctx, as_json, unit):
    """The gaps of the contact network now (直接联系群众全覆盖, L110)."""
    if unit:
        ctx.unit(unit)
    rows = network.gaps(ctx, unit)

    def human(rows):
        if not rows:
            click.echo("联系网络无缺口")
        for r in rows:
            click.echo(f"{r['subject']}  {r['note']}")

    emit(rows, as_json, human)


@group.command("visit")
@click.option("--cadre", required=True, help="干部: The cadre (a person id).")
@click.option("--household", "household_id", required=True, help="农户: The household visited, linked to the cadre.")
@click.option("--note", default=None)
@county_command(method=NAME)
def visit(ctx, as_json, cadre, household_id, note):
    """Record a visit at --now (走访, L110 每月至少1天)."""
    visit_id = network.record_visit(ctx, cadre, household_id, note)
    emit({"visit": visit_id, "cadre": cadre, "household": household_id, "at": ctx.now}, as_json,
         lambda d: click.echo(f"走访 {visit_id}：{ctx.people[cadre].name} → {household_id}"))


@group.command("defer")
@click.argument("case_id")
@click.option("--reason", required=True, help="What was explained to the masses (解释工作).")
@click.option("--until", default=None, help="截止: A new time limit, YYYY-MM-DD.")
@county_command(method=NAME)
def defer(ctx, as_json, case_id, reason, until):
    """Move a problem to 待解决问题 with the explanation given (L110)."""
    day = parse_date(until, "--until") if until else None
    case = ledger.defer(ctx, case_id, reason, day)
    emit(case_json(case, events=False), as_json, lambda d: click.echo(f"{d['id']}：列入待解决问题"))


@group.command("strike")
@click.argument("case_id")
@click.option("--by", "by", required=True, help="督办人: The supervisor striking it off (a person id).")
@click.option("--note", default=None)
@county_command(method=NAME)
def strike(ctx, as_json, case_id, by, note):
    """Strike a solved problem off (督办销号, L110)."""
    case = ledger.strike_off(ctx, case_id, by, note)
    emit(case_json(case, events=False), as_json, lambda d: click.echo(f"{d['id']}：已销号"))


@group.command("ledger")
@click.option("--unit", default=None, help="单位: Problems taken in within this unit's subtree.")
@click.option("--period", default=None, help="期间: Solved problems resolved in this period (default: all).")
@county_command(method=NAME)
def ledger_cmd(ctx, as_json, unit, period):
    """The three ledgers now (三本台账: 需解决问题, 待解决问题, 已解决问题, L110)."""
    if unit:
        ctx.unit(unit)
    if period:
        ctx.calendar.period_bounds(period)
    books = ledger.ledgers(ctx, unit, period)

    def human(books):
        for key, title in LEDGERS.items():
            click.echo(f"{title}（{len(books[key])}）")
            for r in books[key]:
                flags = ("逾期督办 " if r["overdue"] else "") + ("已销号" if r["struck_off"] else "")
                click.echo(f"  {r['case_id']}  {r['title']}  {r['handler'] or '-'}  {flags}".rstrip())

    emit(books, as_json, human)


@group.command("rate")
@click.option("--cadre", required=True, help="干部: The cadre rated (a person id).")
@click.option("--rater", required=True, type=click.Choice(list(RATERS)), help="masses 群众 or party_org 基层党组织.")
@click.option("--unit", required=True, help="单位: Where the ballot was cast (a village or community).")
@click.option("--feeling", required=True, help="比感情: good/fair/average/poor (好/较好/一般/差).")
@click.option("--stance", required=True, help="比立场.")
@click.option("--development", required=True, help="比发展.")
@click.option("--contribution", required=True, help="比贡献.")
@click.option("--effect", required=True, help="一测评: the contact work's effect (成效).")
@click.option("--satisfaction", required=True, help="一测评: " + ", ".join(f"{k} {v}" for k, v in LEVELS.items()))
@county_command(method=NAME)
def rate_cmd(ctx, as_json, cadre, rater, unit, feeling, stance, development, contribution, effect, satisfaction):
    """Record one 四比一测评 ballot on a cadre (L110); grades good/fair/average/poor (好/较好/一般/差)."""
    grades = {"feeling": feeling, "stance": stance, "development": development, "contribution": contribution,
              "effect": effect}
    rid = rating.record_rating(ctx, cadre, rater, unit, grades, satisfaction)
    emit({"rating": rid, "cadre": cadre}, as_json,
         lambda d: click.echo(f"四比一测评 {rid}：{ctx.people[cadre].name}，{RATERS[rater]}测评已记录"))


@group.command("team-rate")
@click.option("--unit", required=True, help="单位: The village.")
@click.option("--satisfied", type=int, required=True, help="满意 ballots.")
@click.option("--basically", type=int, required=True, help="基本满意 ballots.")
@click.option("--unsatisfied", type=int, required=True, help="不满意 ballots.")
@county_command(method=NAME)
def team_rate(ctx, as_json, unit, satisfied, basically, unsatisfied):
    """“两委”班子满意度测评: Record a round of the masses' satisfaction with a village's two-committee team (L110)."""
    got = rating.record_team_rating(ctx, unit, satisfied, basically, unsatisfied)
    emit(got, as_json, lambda d: click.echo(f"{ctx.units[unit].name}：“两委”班子满意度 {d['rate']:.2%}"
                                            f"{'，达80%以上' if d['reached'] else '，未达标'}"))
