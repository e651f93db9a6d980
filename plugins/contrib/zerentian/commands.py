"""``county zerentian …``: a thin click layer over :mod:`.service`.

Every command takes ``--db``, ``--now``, ``--json`` (county_command); the human output is in
Chinese, ``--json`` keeps the codes.
"""

from __future__ import annotations

import click

from framework import Requester, case_json, county_command, emit

from . import service
from .rules import (
    ACTIVITY_KINDS, CHANNELS_TOTAL, COVERAGE, FIELD_DISPUTES, FIELD_EVENTS, FIELD_PARTICIPANTS, FIELD_SOLVED_MIN,
    FIELD_VILLAGES, FIELDS_TOTAL, MECHANISMS, MEMBER_KINDS, NAME, ONE_REVIEW, ORG_GROWTH, PLATFORM_HANDLED,
    PLATFORM_LEVELS, PLATFORM_REPORTED, PROGRAMMES, SIX_HAVES, TIER_ZH,
)


@click.group(name=NAME)
def group():
    """六有一评·责任田·信息平台+PDA手机 (zerentian, 绿园区): fields, PDA reports, transfers, the June review."""


# -- responsibility fields (L314) ---------------------------------------------------------------
@group.group("field")
def field():
    """责任田+党支部+服务团 (L314)."""


@field.command("add")
@click.argument("field_id")
@click.option("--name", required=True, help="责任田名称.")
@click.option("--unit", required=True, help="单位: The village or community it subdivides.")
@click.option("--branch", default=None, help="党支部名称 (default 〈name〉党支部).")
@click.option("--secretary", default=None, help="党支部书记 (a person id).")
@county_command(method=NAME)
def field_add(ctx, as_json, field_id, name, unit, branch, secretary):
    """建立或更新责任田: Add (or update) a responsibility field with its party branch."""
    with ctx.transaction():
        row = service.save_field(ctx, field_id, name, unit, branch, secretary)
    emit(row, as_json, lambda d: click.echo(f"责任田{d['id']}：{d['name']}（{ctx.units[d['unit']].name}，{d['branch']}）"))


@field.command("list")
@click.option("--unit", default=None, help="单位: Fields in this unit's subtree.")
@county_command(method=NAME)
def field_list(ctx, as_json, unit):
    """责任田列表: The fields, their branch and service team now."""
    rows = [dict(r, team=service.members(ctx, r["id"])) for r in service.fields(ctx, unit)]

    def human(data):
        for r in data:
            click.echo(f"{r['id']}  {r['name']}  {ctx.units[r['unit']].name}  {r['branch']}  服务团{len(r['team'])}人")
    emit(rows, as_json, human)


@group.group("member")
def member():
    """服务团成员 (L314)."""


@member.command("add")
@click.argument("field_id")
@click.option("--name", required=True)
@click.option("--kind", required=True, help="类别: " + ", ".join(MEMBER_KINDS))
@click.option("--person", default=None, help="人员: A person id, when the member is one.")
@county_command(method=NAME)
def member_add(ctx, as_json, field_id, name, kind, person):
    """服务团成员: Add a member to a field's service team from --now."""
    with ctx.transaction():
        member_id = service.add_member(ctx, field_id, name, kind, person)
    emit({"id": member_id, "field": field_id, "name": name, "kind": kind}, as_json,
         lambda d: click.echo(f"服务团成员{d['id']}：{d['name']}（{MEMBER_KINDS[kind]}）"))


@group.command("activity")
@click.argument("field_id")
@click.option("--kind", required=True, help="类别: " + ", ".join(ACTIVITY_KINDS))
@click.option("--title", required=True)
@click.option("--participants", type=int, default=0)
@county_command(method=NAME)
def activity(ctx, as_json, field_id, kind, title, participants):
    """责任田活动: Record an activity a field held at --now (L314)."""
    with ctx.transaction():
        act = service.record_activity(ctx, field_id, kind, title, participants)
    emit({"id": act, "field": field_id, "kind": kind, "title": title}, as_json,
         lambda d: click.echo(f"活动{d['id']}：{title}（{ACTIVITY_KINDS[kind]}）"))


# -- PDA reports and the centre's transfer (L316) ------------------------------------------------
@group.command("pda")
@click.option("--unit", required=True, help="单位: The village or community (or a unit below one).")
@click.option("--title", required=True)
@click.option("--officer", required=True, help="The 民情信息员 (a person id).")
@click.option("--media", "media", multiple=True, required=True, help="照片视频: A photo or video: an http(s) URL or a file.")
@click.option("--sha256", "shas", multiple=True, help="校验值: The checksum of the n-th --media URL (a file's own is computed).")
@click.option("--caption", "captions", multiple=True, help="说明: The caption of the n-th --media.")
@click.option("--category", default=None)
@click.option("--field", "field_id", default=None, help="责任田: The responsibility field.")
@click.option("--description", default=None)
@click.option("--requester-name", default=None)
@click.option("--requester-phone", default=None)
@county_command(method=NAME)
def pda(ctx, as_json, unit, title, officer, media, shas, captions, category, field_id, description,
        requester_name, requester_phone):
    """PDA手机上报: A PDA report from the spot with its photos and video (L316)."""
    urls = [m for m in media if m.startswith(("http://", "https://"))]
    if len(shas) > len(urls):
        raise click.UsageError(f"--sha256 给了 {len(shas)} 个，--media 网址只有 {len(urls)} 个：第 n 个 --sha256 对应第 n 个网址")
    given = dict(zip(urls, shas))
    pairs = [(m, given.get(m)) for m in media]
    requester = Requester(name=requester_name, phone=requester_phone) if requester_name or requester_phone else None
    case = service.pda_report(ctx, unit, title, officer, pairs, category=category, description=description,
                              field=field_id, requester=requester, captions=list(captions))
    emit(case_json(case, events=False), as_json, lambda d: click.echo(
        f"{d['id']}：PDA上报，附件{len(d['attachments'])}件，{TIER_ZH[d['level']]}，期限{d['due_at']}"))


@group.command("transfer")
@click.argument("case_id")
@click.option("--department", default=None, help="部门: The department (a unit code); else by category.")
@click.option("--note", default=None)
@county_command(method=NAME)
def transfer(ctx, as_json, case_id, department, note):
    """The district centre transfers a request to a department (交转, L316)."""
    case = service.transfer(ctx, case_id, department, note)
    emit(case_json(case, events=False), as_json, lambda d: click.echo(
        f"{d['id']}：交转{ctx.units[d['unit']].name}，期限{d['due_at']}"))


# -- the June review (L312) ----------------------------------------------------------------------
@group.command("pledge")
@click.argument("org")
@click.option("--text", required=True, help="What the organisation pledges (承诺).")
@county_command(method=NAME)
def pledge(ctx, as_json, org, text):
    """年度承诺: A party organisation's pledge for this year (a field id or a unit code)."""
    with ctx.transaction():
        pid = service.pledge(ctx, org, text)
    emit({"id": pid, "org": org, "year": ctx.now.year, "text": text}, as_json,
         lambda d: click.echo(f"承诺{d['id']}：{service.org_name(ctx, org)}（{d['year']}年）"))


@group.command("fulfil")
@click.argument("pledge_id", type=int)
@click.option("--note", default=None)
@county_command(method=NAME)
def fulfil(ctx, as_json, pledge_id, note):
    """A pledge fulfilled at --now (践诺)."""
    with ctx.transaction():
        row = service.fulfil(ctx, pledge_id, note)
    emit(row, as_json, lambda d: click.echo(f"承诺{d['id']}：已践诺（{d['fulfilled_at'][:10]}）"))


@group.group("review")
def review():
    """The June review: 述职测评 (L312)."""


@review.command("hold")
@click.option("--note", default=None)
@county_command(method=NAME)
def review_hold(ctx, as_json, note):
    """服务民生述职测评大会: The year's review meeting, held at --now (in June)."""
    with ctx.transaction():
        row = service.hold_review(ctx, note)
    emit(row, as_json, lambda d: click.echo(f"{d['year']}年服务民生述职测评大会：{d['held_at'][:10]}"))


@review.command("rate")
@click.argument("org")
@click.option("--satisfied", type=int, required=True)
@click.option("--basically", type=int, required=True)
@click.option("--unsatisfied", type=int, required=True)
@click.option("--report", default=None, help="The organisation's report (述职).")
@county_command(method=NAME)
def review_rate(ctx, as_json, org, satisfied, basically, unsatisfied, report):
    """The people's rating of an organisation at this year's review (测评)."""
    with ctx.transaction():
        rid = service.rate_org(ctx, org, satisfied, basically, unsatisfied, report)
    votes = satisfied + basically + unsatisfied
    emit({"id": rid, "org": org, "good": satisfied + basically, "votes": votes}, as_json,
         lambda d: click.echo(f"{service.org_name(ctx, org)}：满意和基本满意{d['good']}/{d['votes']}"))


@group.command("facts")
@county_command(method=NAME)
def facts(ctx, as_json):
    """绿园区数据: The casebook's figures for Lüyuan (L310–316), as this plugin encodes them."""
    data = {"six_haves": list(SIX_HAVES), "one_review": ONE_REVIEW, "platform_levels": list(PLATFORM_LEVELS),
            "channels_total": CHANNELS_TOTAL, "programmes": PROGRAMMES, "mechanisms": MECHANISMS,
            "org_growth": ORG_GROWTH, "fields_total": FIELDS_TOTAL, "field_villages": FIELD_VILLAGES,
            "field_participants": FIELD_PARTICIPANTS, "field_solved_min": FIELD_SOLVED_MIN,
            "field_disputes": FIELD_DISPUTES, "field_events": FIELD_EVENTS, "coverage": COVERAGE,
            "platform_reported": PLATFORM_REPORTED, "platform_handled": PLATFORM_HANDLED,
            "platform_rate": round(PLATFORM_HANDLED / PLATFORM_REPORTED, 3)}
    emit(data, as_json, lambda d: click.echo(
        f"六有：{'、'.join(d['six_haves'])}；一评：{d['one_review']}\n"
        f"六级服务平台：{' → '.join(d['platform_levels'])}\n"
        f"责任田{d['fields_total']}块（{d['field_villages']}个村、社区）；平台上报{d['platform_reported']}件，"
        f"已办理{d['platform_handled']}件，办结率{d['platform_rate']:.1%}"))
