"""wuxin's appraisal figures (``county_appraisal``), per unit asked for (each root for the whole
deployment), beside the kernel's common metrics (which already give the share settled per tier):

* ``slogan_kept_rate`` 口号达成率 (L420): of the cases resolved in the period, those closed at or
  below the tier their scope must not leave (身边事不出格、小事不出社区、大事不出街道、矛盾不上交);
  ``feedback_rate`` 工作反馈率 (L418): of those, the ones fed back (``county wuxin feedback``);
* ``building_roles_complete_rate`` 两长四员配齐率 (L418): buildings with all six posts held;
  ``party_group_coverage`` 楼栋有党小组 (L420): buildings with a party group leader;
  ``grid_branch_coverage`` 网格有支部 (L420): grids with a grid party branch secretary;
* ``pair_rate_child`` / ``pair_rate_elder`` 结对率 (L432): files open on the period's last day with an
  active pair; ``file_complete_rate`` 档案齐全率 (L432's five fields); ``file_keeper_rate`` (落实专人,
  a keeper named); ``six_knows_rate`` 六知道齐全率;
  ``six_musts_standing_rate`` (a pair, a contact card and a one-touch contact, L432);
* ``care_<kind>_rate`` (六个一 / 六必须, L432), ``environment_<kind>_rate`` (周检查、月评比、年考核,
  L437), ``security_watch_rate`` and ``security_leader_watch_rate`` (值班、领导带班, L445): the duties
  due in the period that have fallen due by now, done. A duty due on day D is owed once D is over
  (conventions §2: a day's limit is 23:59:59), so today's greeting or watch (每天问候, 24小时有人值班)
  is not counted before tomorrow, even when already done — the same rule as yijiasi and zaizhi.
"""

from __future__ import annotations

import datetime as dt

from framework import rate

from . import duties as duty_rules
from . import service
from .rules import CARE_KINDS, ENVIRONMENT, FILE_KINDS, METHOD, SECURITY, TIER_RANK

LABELS = {"contact": "六个一·每月联系", "letter": "六个一·指导写信", "teacher": "六个一·联系班主任",
          "guardian": "六个一·了解近况", "birthday": "六个一·过生日", "festival": "六个一·陪过节日",
          "greeting": "六必须·每天问候", "chat": "六必须·每周两小时谈心", "activity": "六必须·每月爱心活动",
          "inspection": "环境卫生周检查", "ranking": "环境卫生月评比", "assessment": "环境卫生年考核",
          "watch": "24小时有人值班", "leader_watch": "重大节日、重要时期领导带班"}


def bounds(ctx, period: str) -> tuple[dt.date, dt.date]:
    """The period's first and last local dates."""
    start, end = ctx.calendar.period_bounds(period)
    return ctx.calendar.local(start).date(), ctx.calendar.local(end - dt.timedelta(seconds=1)).date()


def slogan(ctx, code: str, period: str):
    """``slogan_kept_rate`` and ``feedback_rate`` of unit ``code`` for ``period`` (see the module
    docstring)."""
    done = ctx.cases.find(method=METHOD, origin=code, resolved=period)
    kept = sum(TIER_RANK.get(c.resolved_level, 9) <= TIER_RANK.get(c.extra.get("target_tier"), -1) for c in done)
    fed = ctx.events.latest([c.id for c in done], "fed_back") if done else {}
    return [rate("slogan_kept_rate", code, kept, len(done), label="身边事不出格、小事不出社区、大事不出街道（达成率）"),
            rate("feedback_rate", code, len(fed), len(done), label="工作反馈率")]


def structure(ctx, code: str):
    """Building and grid figures of unit ``code`` (L418, L420)."""
    checks = service.building_check(ctx, code)
    grids = service.units_at(ctx, "grid", code)
    with_branch = sum(bool(ctx.people.find(unit=g, role="grid_branch_secretary")) for g in grids)
    return [rate("building_roles_complete_rate", code, sum(c["complete"] for c in checks), len(checks),
                 label="楼栋两长四员配齐率"),
            rate("party_group_coverage", code, sum(bool(c["posts"]["party_group_leader"]) for c in checks),
                 len(checks), label="楼栋有党小组"),
            rate("grid_branch_coverage", code, with_branch, len(grids), label="网格有支部")]


def care_files(ctx, code: str, last: dt.date):
    """File figures of unit ``code`` on the local date ``last`` (L432)."""
    out = []
    open_files = service.files(ctx, code, at=last)
    for kind, label in FILE_KINDS.items():
        some = [f for f in open_files if f["kind"] == kind]
        paired = sum(service.active_pair(ctx, f["id"], last) is not None for f in some)
        out.append(rate(f"pair_rate_{kind}", code, paired, len(some), label=f"{label}结对率"))
    out.append(rate("file_complete_rate", code, sum(not service.missing_fields(f) for f in open_files),
                    len(open_files), label="留守档案齐全率"))
    out.append(rate("file_keeper_rate", code, sum(bool(f["keeper"]) for f in open_files), len(open_files),
                    label="留守档案落实专人率"))
    elders = [f for f in open_files if f["kind"] == "elder"]
    out.append(rate("six_knows_rate", code, sum(not service.missing_knows(f) for f in elders), len(elders),
                    label="六知道齐全率"))
    owed = [f for f in elders if service.musts_apply(ctx, f)]
    standing = 0
    for f in owed:
        pair = service.active_pair(ctx, f["id"], last)
        standing += pair is not None and bool(f["card"]) and bool(f["one_touch"])
    out.append(rate("six_musts_standing_rate", code, standing, len(owed), label="六必须·对子、联系卡、一键通齐备"))
    return out


def duty_rates(ctx, unit, first: dt.date, last: dt.date):
    """``care_<kind>_rate`` and ``environment_<kind>_rate`` of ``unit`` over ``first``..``last``."""
    code = unit.code if unit else None
    due = duty_rules.duties_between(ctx, unit, first, last) if first <= last else []
    out = []
    kinds = [*CARE_KINDS["child"], *CARE_KINDS["elder"]]
    for kind in [*kinds, *ENVIRONMENT, *SECURITY]:
        some = [d for d in due if d.kind == kind]
        group = "care" if kind in kinds else "environment" if kind in ENVIRONMENT else "security"
        name = f"{group}_{kind}_rate"
        out.append(rate(name, code, sum(d.done for d in some), len(some), label=LABELS[kind]))
    return out


def appraisal(ctx, unit, period: str):
    """Every figure of the module docstring for ``unit`` (a ``Unit``, or None: each root) and
    ``period``. Returns a list of ``Metric``."""
    first, last = bounds(ctx, period)
    today = ctx.calendar.local(ctx.now).date()
    out = []
    for u in [unit] if unit else ctx.roots():
        if not ctx.takes_part(u.code):
            continue
        out.extend(slogan(ctx, u.code, period))
        out.extend(structure(ctx, u.code))
        out.extend(care_files(ctx, u.code, min(last, today)))
        out.extend(duty_rates(ctx, u, first, min(last, today - dt.timedelta(days=1))))  # owed once D is over
    return out
