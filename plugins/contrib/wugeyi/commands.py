"""``county wugeyi …``: a thin click layer over ``profiles`` and ``service`` (docs/hooks.md §9.3).

Every command takes ``--db``, ``--now``, ``--json`` (one JSON document) through
``county_command``; the human output is Chinese.
"""

from __future__ import annotations

import click

from framework import case_json, county_command, emit

from . import profiles, service
from .rules import CONDUCT, CONDUCT_ZH, HOUSEHOLD_FIELDS, NAME, SEGMENTS, TALK_KINDS, VILLAGE_FIELDS


@click.group(name=NAME)
def group():
    """五个一 (wugeyi): the opinion database, monthly talks, heart-link cards, feedback, supervision."""


# -- 民情库 (L124) --------------------------------------------------------------------------------
@group.group("village")
def village():
    """Village pages (村情档案, 一村一册)."""


def _village_options(fn):
    for key, label in reversed(list(VILLAGE_FIELDS.items())):
        fn = click.option(f"--{key.replace('_', '-')}", key, default=None, help=f"{label} (text).")(fn)
    return fn


@village.command("set")
@click.argument("unit")
@_village_options
@county_command(method=NAME)
def village_set(ctx, as_json, unit, **values):
    """村情档案（一村一册）: Write the village page of UNIT (a village code); fields left out keep their text."""
    page = profiles.set_village(ctx, unit, values)
    emit(page, as_json, lambda d: click.echo(f"{ctx.units[unit].name}：村情档案已更新"))


@group.command("book")
@click.argument("unit")
@county_command(method=NAME)
def book(ctx, as_json, unit):
    """Print the book of village UNIT: its page, then one page per household (一村一册、一户一页)."""
    data = profiles.book(ctx, unit)

    def human(d):
        click.echo(f"【{d['name']}民情档案】")
        page = d["village"] or {}
        for key, label in VILLAGE_FIELDS.items():
            click.echo(f"  {label}：{page.get(key) or '—'}")
        click.echo("  户类：" + "，".join(f"{SEGMENTS[s]}{n}户" for s, n in d["segments"].items())
                   + f"；民情联络员 {len(d['liaisons'])} 名")
        for h in d["households"]:
            click.echo(f"  — {h['id']} 户主{h['head']}（{SEGMENTS[h['segment']]}，{h['members'] or '?'}人）")
            for key, label in HOUSEHOLD_FIELDS.items():
                if h.get(key):
                    click.echo(f"      {label}：{h[key]}")

    emit(data, as_json, human)


@group.command("liaisons")
@click.option("--unit", default=None, help="单位: Only villages within this unit's subtree.")
@county_command(method=NAME)
def liaisons(ctx, as_json, unit):
    """Check each village against 每个行政村设民情联络员1—2名 (L124): ok, none, too_many."""
    rows = profiles.liaison_check(ctx, unit)
    zh = {"ok": "符合", "none": "未设民情联络员", "too_many": "超过2名"}
    emit(rows, as_json, lambda rs: [click.echo(f"{r['name']}：民情联络员{r['liaisons']}名，{zh[r['finding']]}")
                                    for r in rs] or click.echo("无村"))


@group.group("household")
def household():
    """Household pages (户情档案, 一户一页)."""


def _household_options(fn):
    for key, label in reversed(list(HOUSEHOLD_FIELDS.items())):
        fn = click.option(f"--{key.replace('_', '-')}", key, default=None, help=f"{label} (text).")(fn)
    return fn


@household.command("set")
@click.argument("hid")
@click.option("--unit", default=None, help="单位: The village (required for a new page).")
@click.option("--head", default=None, help="户主 (required for a new page).")
@click.option("--phone", default=None)
@click.option("--address", default=None)
@click.option("--members", default=None, help="家庭人口 (a whole number).")
@click.option("--segment", default=None, help="ordinary, wealth_expert, poor, petitioner (or 一般村民…).")
@_household_options
@county_command(method=NAME)
def household_set(ctx, as_json, hid, **values):
    """户情档案（一户一页）: Create or update household page HID."""
    page = profiles.set_household(ctx, hid, values)
    emit(page, as_json, lambda d: click.echo(f"{d['id']}：户情档案已更新（{SEGMENTS[d['segment']]}）"))


@household.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@county_command(method=NAME)
def household_import(ctx, as_json, path):
    """导入户情档案: Load household pages from a CSV/XLSX/JSON file (columns id, unit, head, …), all or none."""
    n = profiles.import_households(ctx, path)
    emit({"households": n}, as_json, lambda d: click.echo(f"已导入户情档案 {d['households']} 户"))


@household.command("list")
@click.option("--unit", default=None)
@click.option("--segment", default=None)
@county_command(method=NAME)
def household_list(ctx, as_json, unit, segment):
    """户情档案列表: The household pages, optionally of a unit's subtree and one segment."""
    rows = profiles.households(ctx, unit, segment)
    emit(rows, as_json, lambda rs: [click.echo(f"{r['id']}  {ctx.units[r['unit']].name}  户主{r['head']}  "
                                               f"{SEGMENTS[r['segment']]}") for r in rs] or click.echo("无"))


# -- 月月谈, 结果反馈, 监督奖惩 (L126) ------------------------------------------------------------------
@group.group("talk")
def talk():
    """Monthly talks (月月谈)."""


@talk.command("add")
@click.option("--unit", required=True, help="单位: The village.")
@click.option("--cadre", required=True, help="干部: The township or village cadre who went (a person id).")
@click.option("--household", default=None, help="农户: The household page visited.")
@click.option("--kind", default="scheduled", help="scheduled (定期) or random (随机).")
@click.option("--note", default=None, help="备注: What was heard.")
@county_command(method=NAME)
def talk_add(ctx, as_json, unit, cadre, household, kind, note):
    """记录月月谈: Record a monthly talk held at --now."""
    row = service.record_talk(ctx, unit, cadre, household, kind, note)
    emit(row, as_json, lambda d: click.echo(f"月月谈 #{d['id']}：{ctx.units[unit].name}，{TALK_KINDS[d['kind']]}"))


@talk.command("list")
@click.option("--unit", default=None)
@click.option("--period", default=None)
@county_command(method=NAME)
def talk_list(ctx, as_json, unit, period):
    """月月谈列表: The monthly talks, with the matters raised at each."""
    rows = service.talks(ctx, unit, period)
    emit(rows, as_json, lambda rs: [click.echo(f"#{r['id']}  {r['at'][:16]}  {ctx.units[r['unit']].name}  "
                                               f"{TALK_KINDS[r['kind']]}  事项 {len(r['matters'])} 件")
                                    for r in rs] or click.echo("无"))


@group.command("feedback")
@click.argument("case_id")
@click.option("--text", required=True, help="内容: How it was handled and the result, as told to the requester.")
@county_command(method=NAME)
def feedback(ctx, as_json, case_id, text):
    """Feed the result of a resolved matter back to its requester (结果反馈制)."""
    case = service.feed_back(ctx, case_id, text)
    emit(case_json(case, events=False), as_json, lambda d: click.echo(f"{d['id']}：结果已反馈"))


@group.group("conduct")
def conduct():
    """Supervision with rewards and penalties (监督奖惩制)."""


@conduct.command("add")
@click.option("--person", required=True, help="人员: The cadre (a person id).")
@click.option("--reason", required=True, help="bribe (吃拿卡要), buck_passing (推诿扯皮) or praised (群众反映较好).")
@click.option("--case", "case_id", default=None, help="事项: The matter it concerns.")
@click.option("--note", default=None)
@county_command(method=NAME)
def conduct_add(ctx, as_json, person, reason, case_id, note):
    """通报批评或表彰奖励: Record a public criticism or a commendation at --now."""
    row = service.record_conduct(ctx, person, reason, case_id, note)
    emit(row, as_json, lambda d: click.echo(f"{CONDUCT_ZH[d['kind']]}：{ctx.people[person].name}"
                                            f"（{CONDUCT[d['reason']][1]}）"))


# -- 连心卡 (L128) ---------------------------------------------------------------------------------
@group.group("card")
def card():
    """Heart-link cards (连心卡)."""


@card.command("show")
@click.argument("hid")
@click.option("--public", is_flag=True, help="公开打印: Mask the household head and the phone numbers.")
@county_command(method=NAME)
def card_show(ctx, as_json, hid, public):
    """打印连心卡: Print household HID's card, ready to print."""
    data = profiles.card(ctx, hid, public=public)

    def human(d):
        click.echo(f"【连心卡】{d['township'] or ''}{d['village']} {d['household']}号 户主：{d['head']}")
        for c in d["contacts"]:
            click.echo(f"  {c['post']}：{c['name']}  {c['phone'] or '—'}")
        click.echo(f"  便民服务热线：{d['hotline']}")
        click.echo(f"  便民服务中心服务热线：{d['centre_hotline'] or '—'}")
        click.echo(f"  服务：{d['services']}")

    emit(data, as_json, human)


@card.command("issue")
@click.option("--household", "hid", default=None, help="农户: One household page.")
@click.option("--unit", default=None, help="单位: Every household of this village without a card.")
@county_command(method=NAME)
def card_issue(ctx, as_json, hid, unit):
    """发放连心卡: Issue heart-link cards at --now (one per household)."""
    ids = profiles.issue_cards(ctx, unit, hid)
    emit({"issued": ids}, as_json, lambda d: click.echo(f"发放连心卡 {len(d['issued'])} 张"))


@group.command("centre")
@click.option("--unit", required=True, help="单位: The township.")
@click.option("--hotline", required=True, help="热线: Its convenience centre's hotline.")
@county_command(method=NAME)
def centre(ctx, as_json, unit, hotline):
    """便民服务中心热线: Set a township centre's own hotline, printed on its villages' cards."""
    row = profiles.set_centre_hotline(ctx, unit, hotline)
    emit(row, as_json, lambda d: click.echo(f"{ctx.units[unit].name}便民服务中心热线：{d['hotline']}"))
