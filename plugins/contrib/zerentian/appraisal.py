"""zerentian's figures (``county_appraisal``), beside the kernel's common ones, per unit asked
for (each root for the whole deployment):

* ``completion_rate`` (办结率, L316: 上报民情信息4586件，已办理4369件，办结率达95.3%): requests
  handled (resolved, confirmed or closed) by the period's end over requests reported —
  cumulatively up to the period's end (L316's 目前), or taken in during the period
  (setting ``completion_basis``);
* ``media_share`` (图像视频上报占比, L316): requests taken in during the period carrying at
  least one photo or video, over those taken in;
* ``field_coverage`` (责任田覆盖率, L314: 75个村（社区）下细化554块责任田): villages and
  communities with at least one field, over those of the subtree; ``fields`` (a count);
  ``field_members`` (service-team members at the period's end; ``tier`` = kind), L314;
* ``field_problems_solved``, ``field_disputes_resolved``, ``field_activities`` (counts for the
  period, L314: 解决各类民生问题、化解矛盾、开展文体活动);
* ``pledge_fulfilment_rate`` (践诺率, L312: 每年6月…述职测评大会…承诺、践诺、述职、测评): of the
  pledges made in the period, those fulfilled (by now, whenever: before or after the period's
  end) over those fulfilled plus those whose term is over unfulfilled. A pledge's term runs to
  the next June review (:func:`pledge_term_end`); a pending pledge whose term runs beyond now
  counts for neither side;
* ``review_rating`` (群众测评满意率, L312): satisfied + basically over the votes of the
  ratings given in the period, for the unit's subtree and for each rated organisation
  (subject a field id, ``subject_kind`` ``field``, or a unit).
"""

from __future__ import annotations

import datetime as dt

from framework import DONE_STATUSES, Metric, chunks, rate

from . import service
from .rules import MEMBER_KINDS, NAME, REVIEW_MONTH, WORKSTATION_LEVELS


def pledge_term_end(ctx, pledged_at: str | dt.datetime) -> dt.datetime:
    """The end of a pledge's term (承诺 → 践诺 → 述职, L312: 每年6月召开…述职测评大会): 23:59:59
    deployment-local on the last day of the review month (``REVIEW_MONTH``, June) of the first
    review on or after the pledge's local date — a pledge made January–June of year Y is
    reported at Y's review (06-30 Y), one made July–December at Y+1's. ``pledged_at``: ISO
    text with offset or an aware datetime. Returns an aware datetime."""
    day = ctx.calendar.local(dt.datetime.fromisoformat(pledged_at) if isinstance(pledged_at, str) else pledged_at).date()
    year = day.year if day.month <= REVIEW_MONTH else day.year + 1
    last = dt.date(year + (REVIEW_MONTH == 12), REVIEW_MONTH % 12 + 1, 1) - dt.timedelta(days=1)
    return ctx.calendar.end_of_day(last)


def metrics(ctx, unit, period: str) -> list[Metric]:
    """The figures of the module doc for ``unit`` (a Unit, or None: each root) and ``period``."""
    out = []
    for u in [unit] if unit else ctx.roots():
        out += unit_metrics(ctx, u, period)
    return out


def completion(ctx, code: str, period: str) -> tuple[int, int]:
    """(handled, reported) for ``completion_rate`` at ``code``'s subtree."""
    start, end = ctx.calendar.period_bounds(period)
    created = (None, end) if ctx.settings["completion_basis"] == "cumulative" else (start, end)
    cases = ctx.cases.find(method=NAME, origin=code, created=created)
    done = sum(c.status in DONE_STATUSES and c.resolved_at is not None and c.resolved_at < end for c in cases)
    return done, len(cases)


def unit_metrics(ctx, u, period: str) -> list[Metric]:
    """Every figure for one unit ``u``."""
    end = ctx.calendar.period_bounds(period)[1]
    out = [rate("completion_rate", u.code, *completion(ctx, u.code, period), label="办结率")]
    taken = ctx.cases.find(method=NAME, origin=u.code, created=period)
    media = {}
    for chunk in chunks([c.id for c in taken]):
        media.update(ctx.attachments.of(chunk))
    out.append(rate("media_share", u.code, len(media), len(taken), label="图像视频上报占比"))

    subtree = ctx.subtree(u.code)
    stations = [c for c in subtree if ctx.units[c].level in WORKSTATION_LEVELS and ctx.takes_part(c)]
    fields = [f for f in service.fields(ctx, u.code) if f["created_ts"] < end.timestamp()]
    covered = {f["unit"] for f in fields}
    out.append(rate("field_coverage", u.code, len([s for s in stations if s in covered]), len(stations),
                    label="责任田覆盖率"))
    out.append(Metric("fields", u.code, value=len(fields), label="责任田"))
    team = [m for f in fields for m in service.members(ctx, f["id"], on=end)]
    for kind, label in MEMBER_KINDS.items():
        out.append(Metric("field_members", u.code, value=sum(m["kind"] == kind for m in team),
                          label=f"服务团：{label}", tier=kind))

    solved = [c for c in ctx.cases.find(method=NAME, origin=u.code, resolved=period) if c.extra.get("field")]
    out.append(Metric("field_problems_solved", u.code, value=len(solved), label="责任田解决民生问题"))
    out.append(Metric("field_disputes_resolved", u.code, value=sum(c.category == "dispute" for c in solved),
                      label="责任田化解矛盾"))
    where, params = ctx.scope(u.code, period, unit_cols=("unit",), ts_cols=("at_ts",))
    n = ctx.db.query("select count(*) as n from zerentian_activities where " + " and ".join(where), params)[0]["n"]
    out.append(Metric("field_activities", u.code, value=n, label="责任田开展活动"))

    where, params = ctx.scope(u.code, period, unit_cols=("unit",), ts_cols=("pledged_ts",))
    pledges = ctx.db.query("select pledged_at, fulfilled_ts from zerentian_pledges where " + " and ".join(where),
                           params)
    kept = owed = 0
    for p in pledges:
        if p["fulfilled_ts"] is not None and p["fulfilled_ts"] <= ctx.now.timestamp():
            kept += 1
            owed += 1
        elif pledge_term_end(ctx, p["pledged_at"]) < ctx.now:
            owed += 1
    out.append(rate("pledge_fulfilment_rate", u.code, kept, owed, label="践诺率"))

    where, params = ctx.scope(u.code, period, unit_cols=("unit",), ts_cols=("rated_ts",))
    ratings = ctx.db.query("select * from zerentian_ratings where " + " and ".join(where) + " order by id", params)
    good = sum(r["satisfied"] + r["basically"] for r in ratings)
    votes = sum(r["satisfied"] + r["basically"] + r["unsatisfied"] for r in ratings)
    out.append(rate("review_rating", u.code, good, votes, label="群众测评满意率"))
    for r in ratings:
        kind = "unit" if r["org"] in ctx.units else "field"
        out.append(rate("review_rating", r["org"], r["satisfied"] + r["basically"],
                        r["satisfied"] + r["basically"] + r["unsatisfied"], subject_kind=kind,
                        label=f"群众测评满意率：{service.org_name(ctx, r['org'])}"))
    return out
