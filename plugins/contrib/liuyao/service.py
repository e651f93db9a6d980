"""The method's actions on its cases and records, taking ``ctx`` (commands, demo and tests share
them): the decision path and the decision of a matter (L191), the reply to a report (L193),
supervision results (L193) and the rating rounds (L195)."""

from __future__ import annotations

import datetime as dt

from framework import CountyError, NotFound, Refusal
from plugins.contrib.liuyao.rules import (
    BODIES, BODY_RANK, CATEGORIES, GRADES, MEETING_KINDS, METHOD, PROCEDURE, RATING_KINDS, conf, period_span,
)


def _case(ctx, case_id: str, kind: str):
    case = ctx.cases.get(case_id)
    if case.method != METHOD:
        raise CountyError(f"case {case_id} is a {case.method} case, not {METHOD}")
    if case.extra.get("kind") != kind:
        what = "a major matter (--set kind=matter)" if kind == "matter" else "a report (--set kind=report)"
        raise CountyError(f"case {case_id}: not {what}")
    return case


def _open(case):
    if not case.is_open:
        raise Refusal(f"{case.id} is {case.status}: no longer open")


def steps_done(case) -> list[str]:
    """The decision-path steps recorded on ``case`` (``procedure`` events), in order."""
    return [e.data.get("step") for e in case.events if e.type == "procedure"]


def procedure(ctx, case_id: str, step: str, note: str | None = None):
    """Record one step of the path of a major matter (L191), in order: ``proposed`` 村党组织
    集体研究提议 → ``discussed`` 村“两委”会讨论商议 → ``reviewed`` 党员大会讨论审议. Returns the
    case. CountyError for an unknown step or a case that is not a matter; Refusal for a step out
    of order, repeated, on a decided or closed matter."""
    if step not in PROCEDURE:
        raise CountyError(f"--step {step!r}: use {', '.join(f'{k} ({v})' for k, v in PROCEDURE.items())}")
    case = _case(ctx, case_id, "matter")
    _open(case)
    if case.extra.get("decided_at"):
        raise Refusal(f"{case_id}: already decided on {case.extra['decided_at'][:10]}")
    done = steps_done(case)
    if step in done:
        raise Refusal(f"{case_id}: {PROCEDURE[step]} already recorded")
    expected = list(PROCEDURE)[len(done)]
    if step != expected:
        raise Refusal(f"{case_id}: {PROCEDURE[step]} comes after {PROCEDURE[expected]} (L191: 提议 → 两委会 → 党员大会)")
    return ctx.actions.record_event(case_id, "procedure", note or PROCEDURE[step], data={"step": step},
                                    status="in_progress")


def outcome_of(votes_for: int, against: int, abstain: int) -> str:
    """``adopted`` when more than half of the votes cast are for (到会人员的过半数通过: the
    Organic Law of Villagers' Committees art. 22, the "法定程序" of L191), else ``rejected``."""
    return "adopted" if 2 * votes_for > votes_for + against + abstain else "rejected"


def decide(ctx, case_id: str, body: str | None = None, *, meeting_kind: str | None = None,
           votes: tuple[int, int, int] | None = None, outcome: str | None = None, note: str | None = None):
    """The collective decision of a major matter (L191) at ``ctx.now``, by ``body`` (default:
    the body triage routed it to).

    * A body lower than the routing is refused; a higher one only with ``allow_higher_body``.
      An unfiled matter (category ``other``) needs ``body``: the two committees choose the form
      by the matter's nature (L191).
    * The representative meeting, the villager assembly (and the two committees with
      ``daily_needs_procedure``) need the path 提议 → 两委会 → 党员大会 recorded first.
    * The villager assembly votes (票决): ``votes`` = (for, against, abstain) is required and
      decides the outcome (:func:`outcome_of`); elsewhere ``votes`` is optional, else
      ``outcome`` (default ``adopted``).

    Writes a ``liuyao_decisions`` row and a ``decided`` event (status ``in_progress``: the
    tasks are then split and carried out, L185). Returns the case. CountyError for bad input,
    Refusal when the rule forbids it now."""
    s = conf(ctx)
    case = _case(ctx, case_id, "matter")
    _open(case)
    if case.extra.get("decided_at"):
        raise Refusal(f"{case_id}: already decided on {case.extra['decided_at'][:10]}")
    routed = case.extra.get("decision_body")
    body = body or routed
    if body is None:
        raise CountyError(f"--body: {case_id} is not filed by type; the two committees choose the form "
                          f"({', '.join(BODIES)})")
    if body not in BODIES:
        raise CountyError(f"--body {body!r}: use one of {', '.join(BODIES)}")
    if routed and body != routed:
        label = CATEGORIES.get(case.category, case.category)
        if BODY_RANK[body] < BODY_RANK[routed] or not s["allow_higher_body"]:
            raise Refusal(f"{case_id}: {label} is decided by {BODIES[routed]} (L191), not {BODIES[body]}")
    needed = list(PROCEDURE) if (body != "two_committees" or s["daily_needs_procedure"]) else []
    missing = [k for k in needed if k not in steps_done(case)]
    if missing:
        raise Refusal(f"{case_id}: before the decision record {'、'.join(PROCEDURE[k] for k in missing)} "
                      f"(county {METHOD} procedure {case_id} --step {missing[0]}; L191)")
    if meeting_kind is not None and meeting_kind not in MEETING_KINDS:
        raise CountyError(f"--meeting {meeting_kind!r}: use one of {', '.join(MEETING_KINDS)}")
    if body == "rep_meeting":
        meeting_kind = meeting_kind or case.extra.get("meeting_kind") or s["rep_meeting_kind"]
    elif meeting_kind is not None:
        raise CountyError(f"--meeting: only a representative meeting has a kind, not {BODIES[body]}")
    if votes is not None:
        if any(not isinstance(v, int) or v < 0 for v in votes) or sum(votes) == 0:
            raise CountyError(f"--for/--against/--abstain: whole numbers, not negative, at least one vote ({votes})")
        computed = outcome_of(*votes)
        if outcome is not None and outcome != computed:
            raise CountyError(f"--outcome {outcome}: the vote {votes[0]}/{votes[1]}/{votes[2]} gives {computed}")
        outcome = computed
    elif body == "villager_assembly":
        raise CountyError("--for/--against/--abstain: the villager assembly decides by a formal vote "
                          "(依照法定程序进行票决, L191)")
    outcome = outcome or "adopted"
    if outcome not in ("adopted", "rejected"):
        raise CountyError(f"--outcome {outcome!r}: adopted or rejected")
    now = ctx.now
    v = votes or (None, None, None)
    with ctx.transaction():
        ctx.db.insert("liuyao_decisions", {
            "case_id": case_id, "unit": case.origin_unit, "category": case.category, "routed_body": routed,
            "body": body, "meeting_kind": meeting_kind, "votes_for": v[0], "votes_against": v[1],
            "votes_abstain": v[2], "outcome": outcome, "note": note, "decided_at": now,
            "decided_ts": now.timestamp(), "actor": ctx.actor})
        text = BODIES[body] + (f"（{MEETING_KINDS[meeting_kind]}）" if meeting_kind else "")
        if votes is not None:
            text += f"，赞成{v[0]}、反对{v[1]}、弃权{v[2]}"
        text += "，通过" if outcome == "adopted" else "，未通过"
        return ctx.actions.record_event(
            case_id, "decided", text + (f"：{note}" if note else ""),
            data={"body": body, "meeting_kind": meeting_kind, "votes": list(votes) if votes else None,
                  "outcome": outcome},
            extra={"decided_body": body, "decided_at": now.isoformat(), "decided_outcome": outcome}, status="in_progress")


def reply(ctx, case_id: str, text: str, *, keep_open: bool = False):
    """The answer to a report (L193 予以答复) at ``ctx.now``: a ``replied`` event meeting the
    ``reply`` milestone (on time when by its due instant), ``extra.replied_at``; the case is
    resolved with the answer unless ``keep_open`` (handling goes on). Returns the case.
    CountyError for a case that is not a report or an empty text; Refusal when closed or
    already answered."""
    if not text or not text.strip():
        raise CountyError("--text: the answer is required")
    case = _case(ctx, case_id, "report")
    _open(case)
    if case.extra.get("replied_at"):
        raise Refusal(f"{case_id}: already answered on {case.extra['replied_at'][:10]}")
    pending = ctx.milestones.of(case_id, state="pending", name="reply")
    with ctx.transaction():
        ctx.actions.record_event(case_id, "replied", text, data={"by": ctx.actor}, extra={"replied_at": ctx.now.isoformat()},
                                 status="in_progress", meet="reply" if pending else None)
        if not keep_open:
            return ctx.actions.resolve(case_id, f"答复：{text}")
    return ctx.cases.get(case_id)


def supervise(ctx, case_id: str, result: str, by: str | None = None):
    """A supervision result on a case (L193 全程跟踪监督…公布监督结果), by ``by`` (default the
    matter's supervisor, else the operator): a ``supervised`` event, posted on the village's
    board. Returns the case. CountyError for another method's case, an unknown person or an
    empty result."""
    if not result or not result.strip():
        raise CountyError("--result: the supervision result is required")
    case = ctx.cases.get(case_id)
    if case.method != METHOD:
        raise CountyError(f"case {case_id} is a {case.method} case, not {METHOD}")
    by = by or case.extra.get("supervisor")
    if by is not None:
        ctx.person(by)
    return ctx.actions.record_event(case_id, "supervised", result, data={"by": by or ctx.actor},
                                    extra={"supervision_result": result})


def grade(share: float | None, s: dict) -> str | None:
    """The rating's grade (L195 与奖惩、报酬和职务调整挂钩): ``reward`` at or above
    ``reward_rate``, ``adjust`` below ``adjust_rate``, else ``pass``; None without votes."""
    if share is None:
        return None
    return "reward" if share >= s["reward_rate"] else "adjust" if share < s["adjust_rate"] else "pass"


def rate(ctx, kind: str, satisfied: int, basically: int, unsatisfied: int, *, case_id: str | None = None,
         subject: str | None = None, period: str | None = None, meeting_kind: str | None = None,
         note: str | None = None) -> dict:
    """One rating round (L195), held at a representative meeting (``meeting_kind``, default
    setting ``rep_meeting_kind``) at ``ctx.now``; votes 满意 / 基本满意 / 不满意.

    * ``matter`` (一事一测评): ``case_id`` a matter already implemented (resolved); once.
    * ``half_year`` (半年初评): ``period`` ``YYYYH1``, from 1 June of the year on.
    * ``annual`` (年度考评): ``period`` ``YYYY``, from 1 December on.

    Half-year and annual rounds rate ``subject``: a village cadre (person id) or the village's
    results (a unit code). One round per kind, subject and period. Returns the row with
    ``share`` ((满意 + 基本满意) / votes) and ``grade``. CountyError for bad input, Refusal for a
    round too early or repeated, or a matter not yet implemented."""
    s = conf(ctx)
    if kind not in RATING_KINDS:
        raise CountyError(f"--kind {kind!r}: use {', '.join(f'{k} ({v})' for k, v in RATING_KINDS.items())}")
    votes = (satisfied, basically, unsatisfied)
    if any(not isinstance(v, int) or v < 0 for v in votes) or sum(votes) == 0:
        raise CountyError(f"--satisfied/--basically/--unsatisfied: whole numbers, not negative, at least one vote")
    meeting_kind = meeting_kind or s["rep_meeting_kind"]
    if meeting_kind not in MEETING_KINDS:
        raise CountyError(f"--meeting {meeting_kind!r}: use one of {', '.join(MEETING_KINDS)} (L195)")
    today = ctx.calendar.local(ctx.now).date()
    if kind == "matter":
        if case_id is None:
            raise CountyError("--case: 一事一测评 rates one matter")
        if subject is not None or period is not None:
            raise CountyError("--subject/--period: 一事一测评 rates the matter named by --case")
        case = _case(ctx, case_id, "matter")
        if case.is_open:
            raise Refusal(f"{case_id} is {case.status}: 一事一测评 rates a matter once implemented (resolved)")
        unit, subject_kind, subject, period = case.origin_unit, "case", case_id, ""
    else:
        if case_id is not None:
            raise CountyError(f"--case: {RATING_KINDS[kind]} rates a cadre or a village, not one matter (--subject)")
        if subject is None or period is None:
            raise CountyError(f"--subject and --period: {RATING_KINDS[kind]} rates a cadre (person id) or a village "
                              f"(unit code) for a period")
        p = str(period).strip().upper()
        if kind == "half_year" and not (len(p) == 6 and p[:4].isdigit() and p[4:] == "H1"):
            raise CountyError(f"--period {period!r}: 半年初评 is the first half-year's rating (2026H1); "
                              f"the year's is --kind annual")
        if kind == "annual" and not (len(p) == 4 and p.isdigit()):
            raise CountyError(f"--period {period!r}: 年度考评 rates a year (2026)")
        first, end = period_span(p)
        opens = dt.date(end.year, 6, 1) if kind == "half_year" else dt.date(first.year, 12, 1)
        if today < opens:
            raise Refusal(f"--period {p}: {RATING_KINDS[kind]} is held from {opens.isoformat()} on")
        period = p
        if subject in ctx.units:
            unit, subject_kind = subject, "unit"
        else:
            try:
                unit, subject_kind = ctx.person(subject).unit, "person"
            except NotFound:
                raise CountyError(f"--subject {subject!r}: neither a unit nor a person") from None
    if ctx.db.count("liuyao_ratings", "kind = ? and subject = ? and period = ?", [kind, subject, period]):
        raise Refusal(f"{RATING_KINDS[kind]} of {subject} {period or ''} is already recorded".replace("  ", " "))
    now = ctx.now
    row = {"kind": kind, "unit": unit, "subject_kind": subject_kind, "subject": subject, "period": period,
           "meeting_kind": meeting_kind, "satisfied": satisfied, "basically": basically,
           "unsatisfied": unsatisfied, "note": note, "rated_at": now, "rated_ts": now.timestamp(),
           "actor": ctx.actor}
    with ctx.transaction():
        rid = ctx.db.insert("liuyao_ratings", row)
        if kind == "matter":
            ctx.actions.record_event(case_id, "rated", f"一事一测评：满意{satisfied}、基本满意{basically}、不满意{unsatisfied}",
                                     data={"votes": list(votes), "meeting_kind": meeting_kind})
    return rating_out(ctx.db.query("select * from liuyao_ratings where id = ?", [rid])[0], s)


def rating_out(row: dict, s: dict) -> dict:
    """A ratings row with ``votes``, ``share`` and ``grade`` (:func:`grade`)."""
    votes = row["satisfied"] + row["basically"] + row["unsatisfied"]
    share = (row["satisfied"] + row["basically"]) / votes if votes else None
    return {**row, "votes": votes, "share": share, "grade": grade(share, s),
            "grade_zh": GRADES.get(grade(share, s))}


def ratings(ctx, unit: str | None = None, kind: str | None = None, period: str | None = None) -> list[dict]:
    """Rating rounds of ``unit``'s subtree (all when None), of ``kind``, rated in ``period``
    (any of :func:`period_span`'s forms), in the order held."""
    where, params = [], []
    if unit:
        codes = ctx.subtree(unit)
        where.append(f"unit in ({ctx.db.placeholders(codes)})")
        params += codes
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if period:
        first, end = period_span(period)
        where += ["rated_ts >= ?", "rated_ts < ?"]
        params += [dt.datetime.combine(d, dt.time(), tzinfo=ctx.calendar.tz).timestamp() for d in (first, end)]
    sql = "select * from liuyao_ratings" + (" where " + " and ".join(where) if where else "") + " order by rated_ts, id"
    return [rating_out(r, conf(ctx)) for r in ctx.db.query(sql, params)]


def decisions(ctx, unit: str | None = None) -> list[dict]:
    """The decision register of ``unit``'s subtree (all when None), in the order decided."""
    if unit is None:
        return ctx.db.query("select * from liuyao_decisions order by decided_ts, case_id")
    codes = ctx.subtree(unit)
    return ctx.db.query(f"select * from liuyao_decisions where unit in ({ctx.db.placeholders(codes)}) "
                        "order by decided_ts, case_id", codes)
