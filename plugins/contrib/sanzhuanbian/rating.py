"""四比一测评 and the two-committee teams' satisfaction (casebook L110): recording the ballots and rounds,
and the method's appraisal figures (``county_appraisal``)."""

from __future__ import annotations

import datetime as dt
import re

from framework import CountyError, Metric, rate

from . import duties, ledger, network
from .rules import COMPARISONS, GRADES, INTAKE_LEVELS, LEVELS, NAME, RATERS


def good_grades(ctx):
    """The setting ``good_grades`` (default good, fair: 好/较好) as a tuple of grade codes.
    ``CountyError`` naming ``[plugins.sanzhuanbian] good_grades`` for an item not a grade."""
    got = ctx.settings["good_grades"]
    bad = [g for g in got if g not in GRADES]
    if bad:
        raise CountyError(f"[plugins.{NAME}] good_grades: {bad[0]!r} is not a grade (use {', '.join(GRADES)})")
    return tuple(got)


def _level(value, table, what):
    for code, label in table.items():
        if value in (code, label):
            return code
    raise CountyError(f"{what} {value!r}: use one of {', '.join(f'{k} {v}' for k, v in table.items())}")


def record_rating(ctx, cadre, rater, unit, grades, satisfaction):
    """One 四比一测评 ballot on ``cadre`` at ``ctx.now`` (L110): ``rater`` ``masses`` (群众) or
    ``party_org`` (基层党组织) — 考核权交给群众和基层党组织, no one else rates; ``unit`` where it was
    cast (a village or community); ``grades`` ``{feeling, stance, development, contribution, effect:
    grade}`` (好/较好/一般/差, codes or labels); ``satisfaction`` 满意/基本满意/不满意. Returns the
    ballot's id. ``CountyError`` naming the option at fault; ``NotFound`` for unknowns."""
    rater = _level(rater, RATERS, "--rater")
    ctx.person(cadre)
    u = ctx.unit(unit)
    if network.home_unit(ctx, unit) != unit:
        raise CountyError(f"--unit {unit}: a rating is cast in a village or community, not {u.name} ({u.level})")
    row = {k: _level(grades.get(k), GRADES, f"--{k}") for k in (*COMPARISONS, "effect")}
    row["satisfaction"] = _level(satisfaction, LEVELS, "--satisfaction")
    row.update({"cadre": cadre, "cadre_unit": ctx.people[cadre].unit, "unit": unit, "rater": rater,
                "at": ctx.now, "at_ts": ctx.now.timestamp()})
    with ctx.transaction():
        return ctx.db.insert("sanzhuanbian_ratings", row)


def record_team_rating(ctx, village, satisfied, basically, unsatisfied):
    """A satisfaction round on the two-committee team (“两委”班子, L110) of ``village`` — a village, or
    a community (the original says 两委 without 村) — at ``ctx.now``:
    the tallies of 满意, 基本满意, 不满意 (whole numbers ≥ 0, at least one ballot). Returns
    ``{"id", "rate", "reached"}`` (``reached``: the rate is at least ``team_threshold``).
    ``CountyError`` for a unit that is neither a village nor a community, or bad tallies."""
    v = ctx.unit(village)
    if v.level not in INTAKE_LEVELS:
        raise CountyError(f"--unit {village}: {v.name} is a {v.level}; the two-committee (两委) rating is per village "
                          f"or community (L110)")
    counts = {"satisfied": satisfied, "basically": basically, "unsatisfied": unsatisfied}
    for k, n in counts.items():
        if not isinstance(n, int) or n < 0:
            raise CountyError(f"--{k} {n!r}: a whole number of ballots, not negative")
    if sum(counts.values()) == 0:
        raise CountyError("--satisfied/--basically/--unsatisfied: a round has at least one ballot")
    with ctx.transaction():
        rid = ctx.db.insert("sanzhuanbian_team_ratings", {"unit": village, **counts, "at": ctx.now,
                                                          "at_ts": ctx.now.timestamp()})
    good, total = team_good(ctx, counts)
    return {"id": rid, "rate": good / total, "reached": good >= ctx.settings["team_threshold"] * total}


def team_good(ctx, row):
    """``(good, ballots)`` of a round: 满意, plus 基本满意 when ``basically_counts``."""
    good = row["satisfied"] + (row["basically"] if ctx.settings["basically_counts"] else 0)
    return good, row["satisfied"] + row["basically"] + row["unsatisfied"]


def _year_before(period):
    m = re.match(r"^(\d{4})(.*)$", period)
    return f"{int(m.group(1)) - 1}{m.group(2)}" if m else None


def team_share(ctx, code, period):
    """``(reached, rated, per_village)`` for ``period`` in ``code``'s subtree: the villages and
    communities whose round in the period (the latest, or all pooled: ``team_round``) reaches
    ``team_threshold`` (80%以上, L110), those rated, and ``{unit: (good, ballots)}``."""
    where, params = ctx.scope(code, period, unit_cols=("unit",), ts_cols=("at_ts",))
    rounds = {}
    for r in ctx.db.query("select * from sanzhuanbian_team_ratings where " + " and ".join(where) +
                          " order by at_ts, id", params):
        rounds.setdefault(r["unit"], []).append(r)
    if ctx.settings["team_round"] == "pooled":
        rounds = {v: [{k: sum(r[k] for r in rs) for k in ("satisfied", "basically", "unsatisfied")}]
                  for v, rs in rounds.items()}
    per = {v: team_good(ctx, rs[-1]) for v, rs in rounds.items()}
    reached = sum(good >= ctx.settings["team_threshold"] * total for good, total in per.values())
    return reached, len(per), per


def months_of(ctx, period):
    """The ``YYYY-MM`` months of ``period`` that have ended by ``ctx.now`` (local calendar months of
    the deployment's zone). The visit day of a month (L110 每月至少1天走访) is due on its last day and
    owed once that day is over (conventions §2: a day's limit is 23:59:59), so a running month is
    not counted yet, even when its visit is already made: a month counts from its next day's 00:00."""
    start, end = ctx.calendar.period_bounds(period)
    out, day = [], start.date().replace(day=1)
    while day < end.date():
        following = (day + dt.timedelta(days=32)).replace(day=1)
        if dt.datetime.combine(following, dt.time(), ctx.calendar.tz) > ctx.now:
            break
        out.append(day.strftime("%Y-%m"))
        day = following
    return out


def metrics(ctx, unit, period):
    """The method's figures for ``unit``'s subtree (each root for None) and ``period`` (L110):
    ``household_coverage`` 联系覆盖率 (households with their one cadre at the period's end, or now);
    ``visit_day_rate`` 每月至少1天走访达标率 (cadre-months of the period owing a visit day, done —
    the months that have ended by now, :func:`months_of`);
    ``struck_off_rate`` 督办销号率 (problems resolved in the period, struck off);
    ``team_threshold_share`` 两委班子满意度达标占比 (villages and communities rated in the period reaching
    ``team_threshold``) and ``team_threshold_change`` (同比, percentage points, when the same period
    a year before has a share); per village or community rated ``team_satisfaction``; per cadre rated
    (subject_kind ``person``) ``cadre_ballots`` and the good shares ``cadre_feeling_rate``,
    ``cadre_stance_rate``, ``cadre_development_rate``, ``cadre_contribution_rate`` (四比, ``good_grades``),
    ``cadre_effect_rate`` (成效) and ``cadre_satisfaction_rate`` (满意度). Returns ``[Metric]``."""
    out = []
    for u in [unit] if unit else ctx.roots():
        code = u.code
        codes = set(ctx.subtree(code))
        end = ctx.calendar.period_bounds(period)[1]
        at = min(end - dt.timedelta(seconds=1), ctx.now)
        homes = [h["id"] for h in ctx.db.query("select id, unit, added_ts from sanzhuanbian_households")
                 if h["unit"] in codes and h["added_ts"] <= at.timestamp()]
        linked = {r["household"] for r in network.open_links(ctx, at=at)}
        out.append(rate("household_coverage", code, sum(h in linked for h in homes), len(homes),
                        label="户有党员干部联系负责覆盖率"))
        owed = done = 0
        need = ctx.settings["visit_days_per_month"]
        for month in months_of(ctx, period):
            for cadre, households in duties.owing(ctx, month, code).items():
                owed += 1
                done += duties.visit_days(ctx, cadre, households, month) >= need
        out.append(rate("visit_day_rate", code, done, owed, label=f"每月至少{need}天走访达标率"))
        solved = ctx.cases.find(method=NAME, origin=code, resolved=period)
        struck = len(ledger.strikes(ctx, [c.id for c in solved]))
        out.append(rate("struck_off_rate", code, struck, len(solved), label="督办销号率"))
        reached, rated, per = team_share(ctx, code, period)
        out.append(rate("team_threshold_share", code, reached, rated, label="“两委”班子满意度达80%以上占比"))
        before = _year_before(period)
        if rated and before:
            r0, n0, _ = team_share(ctx, code, before)
            if n0:
                out.append(Metric("team_threshold_change", code, value=round((reached / rated - r0 / n0) * 100, 2),
                                  label="达标占比同比（百分点）"))
        for v in sorted(per):
            good, total = per[v]
            out.append(rate("team_satisfaction", v, good, total, label="群众对“两委”班子满意度"))
        out += cadre_metrics(ctx, code, period)
    return out


def cadre_metrics(ctx, code, period):
    """Per cadre with ballots in ``period`` cast within ``code``'s subtree or belonging to it:
    ``cadre_ballots`` and the good shares of 四比一测评 (see :func:`metrics`)."""
    where, params = ctx.scope(code, period, unit_cols=("unit", "cadre_unit"), ts_cols=("at_ts",))
    by = {}
    for r in ctx.db.query("select * from sanzhuanbian_ratings where " + " and ".join(where) + " order by id", params):
        by.setdefault(r["cadre"], []).append(r)
    good_levels = ("satisfied", "basically") if ctx.settings["basically_counts"] else ("satisfied",)
    good = good_grades(ctx)
    out = []
    for cadre in sorted(by):
        rows = by[cadre]
        out.append(Metric("cadre_ballots", cadre, subject_kind="person", value=len(rows), label="测评票数"))
        for k, label in COMPARISONS.items():
            out.append(rate(f"cadre_{k}_rate", cadre, sum(r[k] in good for r in rows), len(rows),
                            label=f"{label}好评率", subject_kind="person"))
        out.append(rate("cadre_effect_rate", cadre, sum(r["effect"] in good for r in rows), len(rows),
                        label="联系农户工作成效好评率", subject_kind="person"))
        out.append(rate("cadre_satisfaction_rate", cadre, sum(r["satisfaction"] in good_levels for r in rows),
                        len(rows), label="联系农户工作满意度", subject_kind="person"))
    return out
