"""``county wuzifa …``: a thin click layer over :mod:`.service`.

Every command takes ``--db``, ``--now``, ``--json`` (county_command); the human output is in
Chinese, ``--json`` keeps the codes.
"""

from __future__ import annotations

import click

from framework import case_json, county_command, emit, read_table

from . import service
from .rules import (
    CARE_KINDS,
    DIFFICULTIES,
    DIFFICULTY_ZH,
    DRAWN_FROM,
    DRAWN_ZH,
    NAME,
    RELATION_ZH,
    RELATIONS,
    TECHNIQUE_ZH,
    TECHNIQUES,
    TIER_ZH,
)


@click.group(name=NAME)
def group():
    """情感攻势·五字法与粘盯靠 (wuzifa, 普洱): work group, households, relations, techniques, signing."""


# -- the work group ------------------------------------------------------------------------------
@group.group("team")
def team():
    """工作组 (L49): members drawn from city, county and township."""


@team.command("add")
@click.argument("case_id")
@click.option("--person", required=True, help="人员: A person id.")
@click.option("--from", "drawn_from", required=True, help="自: " + ", ".join(DRAWN_FROM) + " (市、县、乡).")
@click.option("--note", default=None)
@county_command(method=NAME)
def team_add(ctx, as_json, case_id, person, drawn_from, note):
    """加入工作组: Put a person on the dispute's work group."""
    row = service.add_member(ctx, case_id, person, drawn_from, note)
    missing = service.missing_levels(ctx, case_id)
    emit({**row, "missing_levels": missing}, as_json, lambda d: click.echo(
        f"{case_id}：{ctx.people[person].name}（{DRAWN_ZH[drawn_from]}）加入工作组"
        + (f"；尚缺{'、'.join(DRAWN_ZH.get(x, x) for x in missing)}" if missing else "；市县乡齐备")))


@team.command("list")
@click.argument("case_id")
@county_command(method=NAME)
def team_list(ctx, as_json, case_id):
    """工作组: The dispute's work group."""
    rows = service.members(ctx, case_id)
    emit(rows, as_json, lambda data: [click.echo(f"{d['person']}\t{ctx.people[d['person']].name}\t"
                                                 f"{DRAWN_ZH[d['drawn_from']]}\t{d['at'][:10]}") for d in data])


# -- households ------------------------------------------------------------------------------------
@group.group("household")
def household_group():
    """签约农户: the parties who must sign, with difficulty, influence and key persons (L57)."""


def _echo_household(d):
    key = "，关键农户" if d["is_key"] else ""
    rank = f"，影响力第{d['influence_rank']}" if d["influence_rank"] else ""
    click.echo(f"{d['household']} {d['name']}（{DIFFICULTY_ZH[d['difficulty']]}{key}{rank}）"
               + (f" 随{d['follows']}" if d["follows"] else "")
               + (f" 已签 {d['signed_at'][:16]}" if d["signed_at"] else " 未签"))


@household_group.command("add")
@click.argument("case_id")
@click.option("--id", "hid", required=True, help="编号: The household's id (e.g. h01).")
@click.option("--name", required=True, help="The household's name (e.g. 张三户).")
@click.option("--unit", default=None, help="单位: Its village or villager group (default: the case's unit).")
@click.option("--group", "group_name", default=None, help="村民小组 name.")
@click.option("--difficulty", default="ordinary", help="难度: " + ", ".join(DIFFICULTIES))
@click.option("--rank", default=None, help="影响力排名: Influence rank, 1 = the household most others follow.")
@click.option("--key", is_flag=True, help="A key household (关键农户, L57).")
@click.option("--follows", default=None, help="随从: The listed household it follows (e.g. its group leader).")
@click.option("--tapped", default=None, help="已开割亩数: Leased mu where rubber is tapped.")
@click.option("--untapped", default=None, help="未开割亩数: Leased mu where rubber is not yet tapped.")
@county_command(method=NAME)
def household_add(ctx, as_json, case_id, hid, name, unit, group_name, difficulty, rank, key, follows, tapped,
                  untapped):
    """列入签约农户: List a household who must sign (a party of the case's sign-off)."""
    row = service.add_household(ctx, case_id, hid, name, unit=unit, group=group_name, difficulty=difficulty,
                                rank=rank, key=key, follows=follows, tapped=tapped, untapped=untapped)
    emit(row, as_json, _echo_household)


@household_group.command("import")
@click.argument("case_id")
@click.argument("path", type=click.Path())
@county_command(method=NAME)
def household_import(ctx, as_json, case_id, path):
    """导入签约农户: List the households of a CSV/XLSX/JSON file (columns id, name, unit, group, difficulty, rank,
    key, follows, tapped, untapped); all or none, errors name the row."""
    rows = read_table(path)
    done = []
    with ctx.transaction():
        for n, r in enumerate(rows, start=2):
            try:
                done.append(service.add_household(
                    ctx, case_id, r.get("id"), r.get("name"), unit=r.get("unit") or None,
                    group=r.get("group") or None, difficulty=r.get("difficulty") or "ordinary",
                    rank=r.get("rank"), key=str(r.get("key") or "").lower() in ("1", "yes", "true", "是"),
                    follows=r.get("follows") or None, tapped=r.get("tapped"), untapped=r.get("untapped")))
            except Exception as e:  # name the row, keep the error's kind
                e.args = (f"{path}:{n}: {e.args[0] if e.args else e}",)
                raise
    emit({"case": case_id, "listed": len(done)}, as_json, lambda d: click.echo(f"{case_id}：列入{d['listed']}户"))


@household_group.command("set")
@click.argument("case_id")
@click.argument("hid")
@click.option("--difficulty", default=None, help="难度: " + ", ".join(DIFFICULTIES))
@click.option("--rank", default=None)
@click.option("--key/--not-key", default=None, help="Mark (or unmark) a key household.")
@click.option("--follows", default=None, help="随从: The household it follows ('' to clear).")
@county_command(method=NAME)
def household_set(ctx, as_json, case_id, hid, difficulty, rank, key, follows):
    """修改农户情况: Change a household's difficulty, rank, key flag or whom it follows."""
    emit(service.set_household(ctx, case_id, hid, difficulty=difficulty, rank=rank, key=key, follows=follows),
         as_json, _echo_household)


# -- relations, steps, signing, payment, care ------------------------------------------------------
@group.group("relation")
def relation():
    """关系 (L57): kin, friends, classmates, colleagues of a household, whom 靠 sends."""


@relation.command("add")
@click.argument("case_id")
@click.option("--household", "hid", required=True)
@click.option("--person", required=True, help="人员: A person id (a cadre or helper).")
@click.option("--kind", required=True, help="类别: " + ", ".join(RELATIONS))
@click.option("--note", default=None)
@county_command(method=NAME)
def relation_add(ctx, as_json, case_id, hid, person, kind, note):
    """记录亲戚朋友同学同事关系: Record a relationship between a household and a person."""
    row = service.add_relation(ctx, case_id, hid, person, kind, note)
    emit(row, as_json, lambda d: click.echo(f"{hid}：{ctx.people[person].name}是其{RELATION_ZH[kind]}"))


@group.command("step")
@click.argument("case_id")
@click.option("--household", "hid", required=True)
@click.option("--technique", required=True, help="方法: " + ", ".join(f"{t} {TECHNIQUE_ZH[t]}" for t in TECHNIQUES))
@click.option("--by", default=None, help="工作组成员: The work-group member (a person id).")
@click.option("--via", default=None, help="靠: the relative, friend, classmate or colleague sent (a person id).")
@click.option("--when", default=None, help="时间: When it was done (ISO; default --now).")
@click.option("--note", default=None)
@county_command(method=NAME)
def step(ctx, as_json, case_id, hid, technique, by, via, when, note):
    """Record a technique worked on a household: 笑问听析讲 in order (L53), then 粘盯靠 (L57)."""
    row = service.record_step(ctx, case_id, hid, technique, by=by, via=via, note=note, at=when)
    emit(row, as_json, lambda d: click.echo(f"{case_id} {hid}：{TECHNIQUE_ZH[technique]}（{d['at'][:16]}）"))


@group.command("sign")
@click.argument("case_id")
@click.option("--household", "hid", required=True)
@click.option("--when", default=None, help="时间: When it signed (ISO; default --now).")
@click.option("--note", default=None)
@county_command(method=NAME)
def sign(ctx, as_json, case_id, hid, when, note):
    """签订协议: A household signs the agreement (the kernel's sign-off; the case closes only when all have)."""
    out = service.sign(ctx, case_id, hid, when, note)
    emit(out, as_json, lambda d: click.echo(
        f"{case_id}：{d['name']}签订协议，签字 {d['signed']}/{d['required']}"
        + (f"；随其签约的农户：{'、'.join(d['followers'])}" if d["followers"] else "")))


@group.command("pay")
@click.argument("case_id")
@click.option("--household", "hid", required=True)
@click.option("--amount", default=None, help="金额: Yuan (default: a year's rent of its listed area).")
@click.option("--when", default=None)
@county_command(method=NAME)
def pay(ctx, as_json, case_id, hid, amount, when):
    """Record the lease money paid to a signed household (兑付, L61)."""
    row = service.pay(ctx, case_id, hid, amount, when)
    emit(row, as_json, lambda d: click.echo(f"{case_id} {hid}：兑付{d['amount']:g}元"))


@group.command("care")
@click.argument("case_id")
@click.option("--kind", required=True, help="类别: " + ", ".join(CARE_KINDS))
@click.option("--household", "hid", default=None)
@click.option("--note", default=None)
@click.option("--when", default=None)
@county_command(method=NAME)
def care(ctx, as_json, case_id, kind, hid, note, when):
    """Record a care visit beside the mediation (送温暖、送爱心、送医疗、送文艺, L61)."""
    row = service.add_care(ctx, case_id, kind, hid, note, when)
    emit(row, as_json, lambda d: click.echo(f"{case_id}：{CARE_KINDS[kind]}"))


@group.command("feedback")
@click.argument("case_id")
@click.option("--note", required=True, help="备注: What is passed up.")
@click.option("--department", default=None, help="部门: The department unit it goes to.")
@county_command(method=NAME)
def feedback(ctx, as_json, case_id, note, department):
    """反馈问题: Pass a collected problem to the higher levels and departments (L61)."""
    case = service.feed_back(ctx, case_id, note, department)
    emit(case_json(case, events=False), as_json, lambda d: click.echo(
        f"{d['id']}：反馈至{TIER_ZH[d['level']]}（{ctx.units[d['unit']].name}），期限 {d['due_at']}"))


@group.command("progress")
@click.argument("case_id")
@county_command(method=NAME)
def progress(ctx, as_json, case_id):
    """工作进度: Where a dispute stands: each household's techniques, next step, signature and payment."""
    out = service.progress(ctx, case_id)

    def human(d):
        click.echo(f"{d['case']} {d['title']}：签字 {d['signed']}/{d['required']}，兑付 {d['paid']}")
        for h in d["households"]:
            worked = "".join(TECHNIQUE_ZH[t] for t in h["techniques"]) or "—"
            nxt = f"，下一步“{TECHNIQUE_ZH[h['next']]}”" if h["next"] else ""
            click.echo(f"  {h['household']} {h['name']}：{worked}{nxt}" + ("，已签" if h["signed_at"] else ""))
        if d["missing_levels"]:
            click.echo(f"  工作组尚缺：{'、'.join(DRAWN_ZH.get(x, x) for x in d['missing_levels'])}")
    emit(out, as_json, human)


@group.command("rent")
@click.option("--tapped", default="0", help="已开割亩数: Mu where rubber is tapped.")
@click.option("--untapped", default="0", help="未开割亩数: Mu where rubber is not yet tapped.")
@county_command(method=NAME)
def rent(ctx, as_json, tapped, untapped):
    """租金与分红: The settlement's yearly rent (L53): 50 yuan/mu tapped, 30 untapped, 50 years, 5% dividends."""
    out = service.rent(ctx, tapped, untapped)
    emit(out, as_json, lambda d: click.echo(
        f"年租金 {d['rent']:g} 元（租期{d['lease_years']}年），另按{d['dividend_share']:.0%}参与分红"
        f"（{d['dividend_area']:g}亩）"))
