"""``county sansong …``: the method's own records and actions, a thin click layer over
``network`` and ``service``. Every command takes ``--db``, ``--now``, ``--json``; errors are one
line, exit 2 for bad input and 1 for a refusal (``check`` exits 1 while a gap remains).
"""

from __future__ import annotations

import click

from framework import Refusal, case_json, county_command, emit, parse_date

from . import network, service
from .rules import MODE_ZH, NAME, PRIORITY_GROUPS, STATION_KINDS, TIER_ZH


#: What a write did (network's ``added`` / ``changed`` / ``unchanged``), as the operator reads it.
RESULT_ZH = {"added": "已登记", "changed": "已变更", "unchanged": "无变化"}
#: The kinds of gap ``county sansong check`` finds (network.check), by the rule each breaks.
GAP_ZH = {"point_villages": "挂点村数", "point_households": "挂点联系户数", "area_groups": "分片联系组数",
          "area_households": "分片联系户数", "team_size": "驻村工作队人数", "team_not_at_point": "常驻挂点村",
          "household_uncovered": "群众一户不漏", "cadre_without_households": "干部一人不落"}


def _since(ctx, text, what="--since"):
    return network.parse_on(ctx, text, what)


@click.group(name=NAME)
def group():
    """三送工作法 (sansong, 赣州): contact network, diary, consultations, ratings, promises."""


# -- households -----------------------------------------------------------------------------------
@group.group("household")
def household_group():
    """群众信息库 (L140): the households."""


@household_group.command("add")
@click.argument("household_id")
@click.option("--village", required=True, help="村: The village or community (unit code).")
@click.option("--head", required=True, help="户主: The household head's name (masked on boards).")
@click.option("--group", "grp", default=None, help="小组: Its villager group (a unit under the village).")
@click.option("--kind", default=None, help="类别: Priority kind (L137): " + ", ".join(PRIORITY_GROUPS))
@county_command(method=NAME)
def household_add(ctx, as_json, household_id, village, head, grp, kind):
    """登记或更新农户: Register or update a household."""
    with ctx.transaction():
        result = network.add_household(ctx, household_id, village, head, grp, kind)
    emit({"household": household_id, "result": result}, as_json,
         lambda d: click.echo(f"{household_id}：群众信息库{RESULT_ZH[result]}"))


@household_group.command("list")
@click.option("--unit", default=None, help="单位: Only this unit's subtree.")
@county_command(method=NAME)
def household_list(ctx, as_json, unit):
    """农户及联系干部: The households with their contact cadres today."""
    today = network.parse_on(ctx, None)
    cadres: dict = {}
    for r in network.links(ctx, on=today):
        cadres.setdefault(r["household"], []).append(r["person"])
    rows = [{**h, "cadres": cadres.get(h["id"], [])} for h in network.households(ctx, unit)]
    emit(rows, as_json, lambda rs: [click.echo(f"{r['id']}  {ctx.units[r['unit']].name}  "
                                               f"{PRIORITY_GROUPS.get(r['kind'], '')}  联系干部 "
                                               f"{'、'.join(r['cadres']) or '无'}") for r in rs])


# -- the network ----------------------------------------------------------------------------------
@group.command("point")
@click.argument("agency")
@click.option("--village", required=True, help="村: The paired village (unit code).")
@click.option("--since", default=None, help="起始日期: YYYY-MM-DD (default: --now's day).")
@click.option("--reason", default=None, help="原因: Why the pairing changes within its 5 years (L142).")
@county_command(method=NAME)
def point(ctx, as_json, agency, village, since, reason):
    """挂点联系: pair an agency unit with its one village (L137; 5 years, L142)."""
    with ctx.transaction():
        result = network.set_point(ctx, agency, village, _since(ctx, since), reason)
    emit({"agency": agency, "village": village, "result": result}, as_json,
         lambda d: click.echo(f"{ctx.units[agency].name} 挂点 {ctx.units[village].name}：{RESULT_ZH[result]}"))


@group.command("points")
@click.option("--on", default=None, help="日期: YYYY-MM-DD (default: --now's day).")
@county_command(method=NAME)
def points_cmd(ctx, as_json, on):
    """The point pairings (挂点联系) active on a day: each agency unit and its village."""
    rows = network.points(ctx, on=_since(ctx, on, "--on"))
    emit(rows, as_json, lambda rs: [click.echo(f"{ctx.units[r['agency']].name} 挂点 {ctx.units[r['unit']].name}  "
                                               f"自 {r['since']} 起") for r in rs])


@group.group("link")
def link_group():
    """干部联系户 (L137, L142)."""


@link_group.command("add")
@click.argument("cadre")
@click.argument("households", nargs=-1, required=True)
@click.option("--mode", required=True, help="point (挂点), area (分片) or stationed (驻村).")
@click.option("--since", default=None, help="起始日期: YYYY-MM-DD (default: --now's day).")
@county_command(method=NAME)
def link_add(ctx, as_json, cadre, households, mode, since):
    """干部联系户: Pair a cadre with households."""
    with ctx.transaction():
        result = network.link(ctx, cadre, list(households), mode, _since(ctx, since))
    emit({"cadre": cadre, **result}, as_json,
         lambda d: click.echo(f"{cadre}（{MODE_ZH[mode]}）：新联系 {d['added']} 户，原有 {d['unchanged']} 户"))


@link_group.command("end")
@click.argument("cadre")
@click.argument("household")
@click.option("--on", default=None, help="日期: YYYY-MM-DD (default: --now's day).")
@click.option("--reason", default=None, help="原因: Why, within the pairing's 5 years (L142).")
@county_command(method=NAME)
def link_end(ctx, as_json, cadre, household, on, reason):
    """结束联系: End a cadre's link with a household."""
    with ctx.transaction():
        row = network.unlink(ctx, cadre, household, _since(ctx, on, "--on"), reason)
    emit(row, as_json, lambda d: click.echo(f"{cadre} – {household}：联系至 {d['until']} 结束"))


@group.group("station")
def station_group():
    """驻村联系: stationed work teams (L137, L142)."""


@station_group.command("add")
@click.argument("cadre")
@click.option("--agency", required=True, help="派出单位: The sending unit (unit code).")
@click.option("--village", required=True, help="村: The village or community (unit code).")
@click.option("--kind", default="other", show_default=True, help="类别: One of " + ", ".join(STATION_KINDS))
@click.option("--since", default=None, help="起始日期: YYYY-MM-DD (default: --now's day).")
@county_command(method=NAME)
def station_add(ctx, as_json, cadre, agency, village, kind, since):
    """驻村: Station a cadre in a village."""
    with ctx.transaction():
        result = network.station(ctx, cadre, agency, village, kind, _since(ctx, since))
    emit({"cadre": cadre, "village": village, "result": result}, as_json,
         lambda d: click.echo(f"{cadre} 驻 {ctx.units[village].name}：{RESULT_ZH[result]}"))


@station_group.command("end")
@click.argument("cadre")
@click.option("--on", default=None, help="日期: YYYY-MM-DD (default: --now's day).")
@county_command(method=NAME)
def station_end(ctx, as_json, cadre, on):
    """结束驻村: End a stationing (1 year at least for the mandatory kinds, L142)."""
    with ctx.transaction():
        row = network.end_station(ctx, cadre, _since(ctx, on, "--on"))
    emit(row, as_json, lambda d: click.echo(f"{cadre}：驻村至 {d['until']} 结束"))


@group.command("presence")
@click.argument("cadre")
@click.option("--month", required=True, help="月份: YYYY-MM.")
@click.option("--days", required=True, type=int, help="天数: Days lived in the village that month.")
@county_command(method=NAME)
def presence(ctx, as_json, cadre, month, days):
    """驻村天数: Record a stationed cadre's days in the village (20+ a month, L142)."""
    with ctx.transaction():
        row = network.record_presence(ctx, cadre, month, days)
    emit(row, as_json, lambda d: click.echo(f"{cadre} {month}：{days} 天（{'达标' if d['met'] else '不足20天'}）"))


@group.command("check")
@click.option("--unit", default=None, help="单位: Only this unit's subtree.")
@click.option("--on", default=None, help="日期: YYYY-MM-DD (default: --now's day).")
@county_command(method=NAME)
def check(ctx, as_json, unit, on):
    """联系网络检查: The quotas and coverage (L137, L142): every gap; exit 1 while there is one."""
    if unit:
        ctx.unit(unit)
    rows = network.check(ctx, unit, _since(ctx, on, "--on"))
    emit(rows, as_json, lambda rs: [click.echo(f"{GAP_ZH.get(r['kind'], r['kind'])}  {r['subject']}  {ctx.units[r['unit']].name}  "
                                               f"{r['detail']}") for r in rs] or click.echo("无缺口"))
    if rows:
        raise Refusal(f"联系网络有 {len(rows)} 处缺口（干部一人不落、群众一户不漏, L142）")


# -- records --------------------------------------------------------------------------------------
@group.group("diary")
def diary_group():
    """民情日记, signed by the villager (L140)."""


@diary_group.command("add")
@click.option("--cadre", required=True)
@click.option("--household", required=True)
@click.option("--text", required=True)
@click.option("--case", "case_id", default=None, help="事项: The case this entry raised.")
@county_command(method=NAME)
def diary_add(ctx, as_json, cadre, household, text, case_id):
    """记民情日记: A diary entry of a contact cadre at a household."""
    entry = service.diary_add(ctx, cadre, household, text, case_id)
    emit({"id": entry}, as_json, lambda d: click.echo(f"民情日记 {entry}：已记录，待群众签字"))


@diary_group.command("sign")
@click.argument("entry", type=int)
@click.option("--by", required=True, help="签字群众: The signing villager's name.")
@county_command(method=NAME)
def diary_sign(ctx, as_json, entry, by):
    """The villager signs an entry (群众签字认可)."""
    row = service.diary_sign(ctx, entry, by)
    emit(row, as_json, lambda d: click.echo(f"民情日记 {entry}：{by} 已签字认可"))


@diary_group.command("list")
@click.option("--unit", default=None)
@click.option("--period", default=None)
@county_command(method=NAME)
def diary_list(ctx, as_json, unit, period):
    """民情日记列表: Diary entries."""
    rows = service.diary(ctx, unit, period)
    emit(rows, as_json, lambda rs: [click.echo(f"{r['id']}  {r['at'][:10]}  {r['person']}  {r['household']}  "
                                               f"{'已签字' if r['signed_by'] else '未签字'}  {r['text']}") for r in rs])


@group.command("consult")
@click.option("--village", required=True)
@click.option("--convener", required=True, help="召集人: A cadre stationed in the village.")
@click.option("--committee", type=int, required=True, help="“两委”成员: Two-committee members present.")
@click.option("--deputies", type=int, required=True, help="两代表一委员 present.")
@click.option("--reps", type=int, required=True, help="村民代表: Villager representatives present.")
@click.option("--note", default=None)
@county_command(method=NAME)
def consult(ctx, as_json, village, convener, committee, deputies, reps, note):
    """A quarterly consultation meeting (民意恳谈会, L140), held at --now."""
    with ctx.transaction():
        row = service.consult(ctx, village, convener, committee, deputies, reps, note)
    emit(row, as_json, lambda d: click.echo(f"民意恳谈会 {d['id']}：{'有效' if d['valid'] else '人员不齐'}"))


@group.command("rating")
@click.argument("cadre")
@click.option("--year", type=int, required=True)
@click.option("--satisfied", type=int, required=True)
@click.option("--basically", type=int, required=True)
@click.option("--unsatisfied", type=int, required=True)
@county_command(method=NAME)
def rating(ctx, as_json, cadre, year, satisfied, basically, unsatisfied):
    """A cadre's annual satisfaction rating (每年度群众工作满意度测评, L140)."""
    with ctx.transaction():
        row = service.rate_cadre(ctx, cadre, year, satisfied, basically, unsatisfied)
    emit(row, as_json, lambda d: click.echo(f"{cadre} {year}年：满意度 {d['rate']:.2%}"))


@group.command("promise")
@click.argument("case_id")
@click.option("--on", "on", required=True, help="日期: The promised completion date YYYY-MM-DD.")
@click.option("--note", default=None)
@county_command(method=NAME)
def promise_cmd(ctx, as_json, case_id, on, note):
    """Promise publicly a completion date for a case (公开承诺, L140)."""
    case = service.promise(ctx, case_id, parse_date(on, "--on"), note)
    emit(case_json(case, events=False), as_json,
         lambda d: click.echo(f"{d['id']}：公开承诺，{TIER_ZH.get(d['level'], d['level'])}，限 {d['due_at']} 前办结"))


@group.command("feedback")
@click.argument("case_id")
@click.option("--note", required=True)
@county_command(method=NAME)
def feedback_cmd(ctx, as_json, case_id, note):
    """Report back to a 96333 caller (限时反馈, L140)."""
    case = service.feedback(ctx, case_id, note)
    emit(case_json(case, events=False), as_json, lambda d: click.echo(f"{d['id']}：已向来电群众反馈"))
