"""``county yijiasi …``: teams and members, the annual agreement, contacts, work days, events,
posts, checks and the layered appraisal — a thin click layer over service.py and layered.py."""

from __future__ import annotations

import click

from framework import county_command, emit

from . import layered, service
from .rules import (
    APPRAISERS,
    AREAS,
    CHECK_MODES,
    MEMBER_KINDS,
    NAME,
    OPINIONS,
    PURPOSES,
    RESULTS,
)

#: The two cadence records of a member (L455).
PARTICIPATION_ZH = {"contact": "联系社区", "workday": "到社区工作一天"}
ON = click.option("--on", "on", default=None, help="The local day YYYY-MM-DD (default: the day of --now).")


def _line(ctx, fmt):
    """A human printer for a row or a list of rows: ``fmt(ctx, row)`` gives one row's line."""
    return lambda d: click.echo(fmt(ctx, d) if isinstance(d, dict) else "\n".join(fmt(ctx, r) for r in d))


def _unit(ctx, code) -> str:
    """A unit's name, its code when unknown."""
    u = ctx.units.get(code) if code else None
    return u.name if u else (code or "—")


def _person(ctx, pid) -> str:
    """A person's name and id (``何某（wjw-he）``), the id alone when unknown."""
    p = ctx.people.get(pid) if pid else None
    return f"{p.name}（{pid}）" if p else (pid or "—")


def _team_line(ctx, r) -> str:
    return (f"{r['code']} {r['name']}：团长 {_person(ctx, r['leader'])}，共建社区 "
            + "、".join(_unit(ctx, c) for c in r["communities"]))


def _post_line(ctx, r) -> str:
    kinds = service.post_kinds(ctx)
    return f"{r['holder']}：认领{_unit(ctx, r['community'])}{kinds.get(r['post'], r['post'])}岗位"


@click.group(name=NAME)
def group():
    """社区“1+4”组团服务 (yijiasi): service teams, cadence records, layered appraisal (L447–457)."""


@group.group("team")
def team():
    """服务团 (L449): one per co-built community (or several)."""


@team.command("add")
@click.option("--code", required=True, help="编号: The team's code.")
@click.option("--name", required=True, help="服务团名称.")
@click.option("--leader", required=True, help="服务团团长, a person id (L457).")
@click.option("--home", required=True, help="团长所在社区: the leader's community (a unit code).")
@click.option("--community", "communities", multiple=True, help="社区: Another co-built community (repeatable).")
@click.option("--formed-on", default=None, help="组建日期: YYYY-MM-DD (default: today).")
@county_command(method=NAME)
def team_add(ctx, as_json, code, name, leader, home, communities, formed_on):
    """建立或更新服务团: Add or update a service team."""
    with ctx.transaction():
        row = service.save_team(ctx, code, name, leader, home, communities, formed_on)
    emit(row, as_json, _line(ctx, _team_line))


@team.command("list")
@click.option("--unit", default=None, help="单位: Only teams with a community in this unit's subtree.")
@county_command(method=NAME)
def team_list(ctx, as_json, unit):
    """服务团列表: The teams and their communities."""
    emit(service.teams(ctx, unit), as_json, _line(ctx, _team_line))


@group.group("member")
def member():
    """The "4" (L449): 市直部门、党建工作指导员、大学生党员义工、律师党员志愿者."""


@member.command("add")
@click.option("--person", required=True, help="人员: A person id.")
@click.option("--team", "team_code", required=True, help="服务团: The team's code.")
@click.option("--kind", required=True, type=click.Choice(list(MEMBER_KINDS)), help="类别: The member's kind.")
@click.option("--partner", default=None, help="The sending unit (市直部门, 高校, 律师事务所).")
@click.option("--joined-on", default=None, help="加入日期: YYYY-MM-DD (default: today).")
@county_command(method=NAME)
def member_add(ctx, as_json, person, team_code, kind, partner, joined_on):
    """服务团成员加入: Add a member to a team."""
    emit(service.add_member(ctx, person, team_code, kind, partner, joined_on), as_json,
         _line(ctx, lambda ctx, r: f"{_person(ctx, r['person'])}：{r['joined_on']} 起加入服务团 {r['team']}"
                                   f"（{MEMBER_KINDS[r['kind']]}）"))


@member.command("remove")
@click.option("--person", required=True, help="人员: A person id.")
@click.option("--team", "team_code", required=True, help="服务团: The team's code.")
@click.option("--note", required=True, help="Why (个别工作不积极、成效不明显的志愿者被及时调整, L457).")
@click.option("--left-on", default=None, help="调整日期: YYYY-MM-DD (default: today).")
@county_command(method=NAME)
def member_remove(ctx, as_json, person, team_code, note, left_on):
    """End a membership (调整, L457)."""
    emit(service.remove_member(ctx, person, team_code, note, left_on), as_json,
         _line(ctx, lambda ctx, r: f"{_person(ctx, r['person'])}：{r['left_on']} 调整出服务团 {r['team']}"
                                   f"（{r['left_note']}）"))


@member.command("list")
@click.option("--team", "team_code", default=None, help="服务团: One team's members only.")
@county_command(method=NAME)
def member_list(ctx, as_json, team_code):
    """服务团成员列表: Members, active and former."""
    emit(service.members(ctx, team_code), as_json,
         _line(ctx, lambda ctx, r: f"{r['team']} {_person(ctx, r['person'])} {MEMBER_KINDS[r['kind']]} "
                                   f"{r['partner'] or ''} {r['joined_on']}–{r['left_on'] or ''}"))


@group.command("agreement")
@click.option("--team", "team_code", required=True, help="服务团: The team's code.")
@click.option("--year", required=True, type=int, help="年度: The year the agreement is for.")
@click.option("--signed-on", default=None, help="签订日期: YYYY-MM-DD (default: today).")
@click.option("--community", default=None, help="社区: One co-built community (default: each).")
@click.option("--area", "areas", multiple=True, type=click.Choice(list(AREAS)), help="领域: Duties fixed (default: all four).")
@click.option("--note", default=None)
@county_command(method=NAME)
def agreement(ctx, as_json, team_code, year, signed_on, community, areas, note):
    """Record the year's 《共建协议书》 (每年初, L453)."""
    emit(service.sign_agreement(ctx, team_code, year, signed_on, community, areas, note), as_json,
         _line(ctx, lambda ctx, r: f"{r['team']} × {_unit(ctx, r['community'])}：{r['year']}年《共建协议书》"
                                   f"{r['signed_on']} 签订"))


def _participation(kind):
    @click.option("--person", required=True, help="人员: The member (a person id).")
    @ON
    @click.option("--community", default=None, help="社区: The community (default: the team's home).")
    @click.option("--note", default=None)
    @county_command(method=NAME)
    def command(ctx, as_json, person, on, community, note):
        emit(service.record_participation(ctx, kind, person, on, community, note), as_json,
             _line(ctx, lambda ctx, r: f"{_person(ctx, r['person'])}：{r['on_date']} "
                                       f"{PARTICIPATION_ZH[kind]}（{_unit(ctx, r['community'])}）"))
    return command


group.command("contact", help="A member's contact with the community (每周不少于一次, L455).")(_participation("contact"))
group.command("workday", help="A member's day of community work (每两周不少于一天, L455).")(_participation("workday"))


@group.command("event")
@click.option("--team", "team_code", required=True, help="服务团: The team's code.")
@click.option("--title", required=True, help="标题: What the event was.")
@ON
@click.option("--community", default=None, help="社区: Where (default: the team's home).")
@click.option("--participants", type=int, default=None, help="参加人数: How many took part.")
@county_command(method=NAME)
def event(ctx, as_json, team_code, title, on, community, participants):
    """A concentrated service event (每季度至少一次, L455)."""
    emit(service.record_activity(ctx, team_code, title, on, community, participants), as_json,
         _line(ctx, lambda ctx, r: f"{r['team']}：{r['on_date']} 集中服务活动 {r['title']}（{_unit(ctx, r['community'])}）"))


@group.command("post")
@click.option("--community", required=True, help="社区: The community (a unit code).")
@click.option("--holder", required=True, help="认领人: The party member's name.")
@click.option("--post", "post_kind", required=True, help="岗位: The post: opinion_collection, culture, mediation, "
                                                         "finance_oversight, or one of [plugins.yijiasi] other_posts.")
@county_command(method=NAME)
def post(ctx, as_json, community, holder, post_kind):
    """A community party member claims a post (12种岗位, L455)."""
    emit(service.claim_post(ctx, community, holder, post_kind), as_json, _line(ctx, _post_line))


@group.command("check")
@click.option("--team", "team_code", required=True, help="服务团: The team's code.")
@click.option("--mode", required=True, type=click.Choice(list(CHECK_MODES)), help="方式: observation or spot_check.")
@click.option("--finding", required=True, help="发现问题: What the check found.")
@ON
@click.option("--community", default=None, help="社区: Where (default: the team's home).")
@county_command(method=NAME)
def check(ctx, as_json, team_code, mode, finding, on, community):
    """The city organisation department's check (现场观摩、临时抽查, L457)."""
    emit(service.record_check(ctx, team_code, mode, finding, on, community), as_json,
         _line(ctx, lambda ctx, r: f"{r['team']}：{r['on_date']} {CHECK_MODES[r['mode']]}"
                                   f"（{_unit(ctx, r['community'])}）：{r['finding']}"))


@group.command("opinion")
@click.option("--person", required=True, help="人员: The member (a person id).")
@click.option("--year", required=True, type=int)
@click.option("--purpose", required=True, type=click.Choice(list(PURPOSES)))
@click.option("--opinion", "opinion_", required=True, type=click.Choice(list(OPINIONS)))
@click.option("--community", default=None, help="社区: The community giving it (default: the only one).")
@click.option("--by", default=None, help="提出人: Who gave it (a person id).")
@click.option("--note", default=None)
@county_command(method=NAME)
def opinion(ctx, as_json, person, year, purpose, opinion_, community, by, note):
    """共建社区意见: The co-built community's opinion before an assessment or commendation (L457)."""
    emit(layered.give_opinion(ctx, person, year, purpose, opinion_, community, by, note), as_json,
         _line(ctx, lambda ctx, r: f"{_unit(ctx, r['community'])}对{_person(ctx, r['person'])}的{r['year']}年"
                                   f"{PURPOSES[r['purpose']]}意见：{OPINIONS[r['opinion']]}"))


@group.command("assess")
@click.option("--person", required=True, help="人员: The member (a person id).")
@click.option("--year", required=True, type=int)
@click.option("--appraiser", required=True, type=click.Choice(list(APPRAISERS)))
@click.option("--result", required=True, type=click.Choice(list(RESULTS)))
@click.option("--note", default=None)
@county_command(method=NAME)
def assess(ctx, as_json, person, year, appraiser, result, note):
    """A member's annual assessment by its layer (分层化考评, L457)."""
    emit(layered.record(ctx, person, year, "assessment", appraiser, result, note), as_json,
         _line(ctx, lambda ctx, r: f"{_person(ctx, r['person'])}{r['year']}年考核：{RESULTS[r['result']]}"
                                   f"（{APPRAISERS[r['appraiser']]}）"))


@group.command("commend")
@click.option("--person", required=True, help="人员: The member (a person id).")
@click.option("--year", required=True, type=int)
@click.option("--appraiser", required=True, type=click.Choice(list(APPRAISERS)), help="考评单位: Who commends.")
@click.option("--note", default=None)
@county_command(method=NAME)
def commend(ctx, as_json, person, year, appraiser, note):
    """A commendation (表彰), after the community's opinion (L457)."""
    emit(layered.record(ctx, person, year, "commendation", appraiser, None, note), as_json,
         _line(ctx, lambda ctx, r: f"{_person(ctx, r['person'])}{r['year']}年受到表彰（{APPRAISERS[r['appraiser']]}）"))
