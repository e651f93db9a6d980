"""The matters after the talk (L176): the township party committee's collective study
(集中研究), the problem-handling result report (问题办理结果报告单) that resolves a matter and
says how the result was fed back to the villagers, and inspections (督查记录簿).

Functions take ``ctx`` and return plain dicts or Cases; they write the kernel only through
``ctx.actions`` and their own tables through ``ctx.db``. CountyError (exit 2) for bad input,
Refusal (exit 1) for a step not allowed now, NotFound for an unknown case, unit or talk.
"""

from __future__ import annotations

import json

from framework import CountyError, Refusal
from plugins.contrib.yetanhui import rules, stages, talks
from plugins.contrib.yetanhui.rules import METHOD


def matter(ctx, case_id: str):
    """The yetanhui case ``case_id`` (without events); CountyError for another method's case."""
    case = ctx.cases.get(case_id, events=False)
    if case.method != METHOD:
        raise CountyError(f"case {case_id} is a {case.method} case, not {METHOD}")
    return case


def study(ctx, township: str, case_ids: list[str], note: str | None = None) -> dict:
    """The township party committee studies ``case_ids`` together now (由乡镇党委集中研究,
    L176): each must be an open yetanhui matter at tier ``township`` held by ``township``. Each
    gets a ``studied`` event and moves to tier ``township_reply``, whose ``reply`` is due 10
    calendar days later (23:59:59 local). All or none. Returns the study row with ``cases``
    (list) and ``reply_due`` ({case id: ISO instant})."""
    unit = ctx.unit(township)
    if unit.level != "township":
        raise CountyError(f"--township {township}: {unit.name} is a {unit.level}, not a township")
    if not case_ids:
        raise CountyError("CASE_ID: name the matters studied")
    cases = [matter(ctx, cid) for cid in dict.fromkeys(case_ids)]
    for c in cases:
        if not c.is_open or c.level != "township":
            raise Refusal(f"case {c.id} is at tier {c.level} ({c.status}); only a matter awaiting the township's "
                          f"study (tier township) is studied")
        if c.unit not in ctx.subtree(township):
            raise Refusal(f"case {c.id} is held by {c.unit}, not by {unit.name}")
    due = {}
    with ctx.transaction():
        sid = ctx.db.insert("yetanhui_studies", {
            "township": township, "studied_at": ctx.now.isoformat(), "studied_ts": ctx.now.timestamp(),
            "note": note, "cases": json.dumps([c.id for c in cases]), "actor": ctx.actor})
        for c in cases:
            ctx.actions.record_event(c.id, "studied", note or "乡镇党委集中研究", data={"study": sid})
            done = ctx.actions.escalate(c.id, reason="乡镇党委集中研究后10天内答复", to_level="township_reply")
            due[c.id] = done.due_at.isoformat()
    return {"id": sid, "township": township, "studied_at": ctx.now.isoformat(), "cases": list(due),
            "reply_due": due, "note": note}


def decide(ctx, case_id: str, outcome: str, *, handler: str | None = None, promised: str | None = None,
           answer: str | None = None, joint_handler: str | None = None, note: str | None = None):
    """Record what the talk decided on a matter from its agenda (会上现场解答；当场解决不了的，
    承诺答复或解决问题的时间；需要由乡镇解决的报乡镇, L176), now: ``spot`` resolves it with
    ``answer``; ``promised`` moves it to tier ``village`` with its handler (and joint handler)
    and the promised time counted from now; ``township`` moves it to tier ``township``. The
    ``talk`` milestone is met (or missed when past the talk's day) while still pending. Only for an open matter at
    tier ``agenda`` whose talk was held (and began by now) or cancelled. Returns the Case."""
    case = matter(ctx, case_id)
    if not case.is_open or case.level != "agenda":
        raise Refusal(f"case {case.id} is at tier {case.level} ({case.status}); only a matter on a talk's agenda "
                      f"is decided")
    talk = talks.talk(ctx, case.extra["talk"])
    if talk["status"] == "scheduled":
        raise Refusal(f"case {case.id}: its talk #{talk['id']} ({talk['scheduled_at']}) has not been held "
                      f"(county yetanhui talk hold)")
    fields = {k: v for k, v in {"outcome": outcome, "handler": handler, "promised": promised, "answer": answer,
                                "joint_handler": joint_handler}.items() if v is not None}
    stages.check_decision(ctx, case.origin_unit, {**case.extra, **fields}, ctx.now, what="--")
    with ctx.transaction():
        pending = ctx.milestones.of(case.id, state="pending", name="talk")
        ctx.actions.record_event(case.id, "decided", note or rules.OUTCOMES[outcome], data=fields, extra=fields,
                                 meet="talk" if pending else None)
        if outcome == "spot":
            return ctx.actions.resolve(case.id, answer)
        return ctx.actions.escalate(case.id, reason=rules.OUTCOMES[outcome],
                                    to_level="village" if outcome == "promised" else "township")


def report(ctx, case_id: str, result: str, feedback: str = "talk", consent_for: int | None = None,
           consent_of: int | None = None):
    """Fill in the matter's result report (问题办理结果报告单) now and resolve it: the result
    and how it is fed back to the villagers (将落实情况向群众反馈, L176: ``talk``, ``board``,
    ``visit`` or ``broadcast``). A major matter (村镇规划、新上项目) needs the villagers'
    majority consent first (征得多数群众同意后再付诸实施, L176): ``consent_for`` > half of
    ``consent_of``. Refused for a matter still awaiting the township's collective study (the
    reply follows the study) and for a closed one. Returns the resolved Case."""
    case = matter(ctx, case_id)
    if not (result or "").strip():
        raise CountyError(f"--result: the report states the result (不准推托不解决或不回复, L176)")
    if feedback not in rules.FEEDBACK:
        raise CountyError(f"--feedback {feedback!r}: one of {', '.join(rules.FEEDBACK)} (向群众反馈, L176)")
    if not case.is_open:
        raise Refusal(f"case {case.id} is {case.status}; its report is already in")
    if case.level == "agenda":
        raise Refusal(f"case {case.id} is on a talk's agenda; record the talk's decision first (county yetanhui decide)")
    if case.level == "township":
        raise Refusal(f"case {case.id} awaits the township party committee's collective study "
                      f"(county yetanhui study); the reply follows it (L176)")
    if case.extra.get("major"):
        if consent_for is None or consent_of is None:
            raise Refusal(f"case {case.id} is a major matter: give --consent-for and --consent-of "
                          f"(征得多数群众同意后再付诸实施, L176)")
        if consent_of < 1 or not 0 <= consent_for <= consent_of:
            raise CountyError(f"--consent-for {consent_for} --consent-of {consent_of}: 0 ≤ for ≤ of, of ≥ 1")
        if 2 * consent_for <= consent_of:
            raise Refusal(f"case {case.id}: {consent_for} of {consent_of} agreed, not a majority "
                          f"(征得多数群众同意, L176)")
    on_time = None if case.due_at is None else int(ctx.now <= case.due_at)
    with ctx.transaction():
        done = ctx.actions.resolve(case.id, result)
        ctx.db.upsert("yetanhui_reports", {
            "case_id": case.id, "village": case.origin_unit, "talk_id": case.extra.get("talk"), "level": case.level,
            "result": result, "feedback": feedback, "consent_for": consent_for, "consent_of": consent_of,
            "on_time": on_time, "reported_at": ctx.now.isoformat(), "reported_ts": ctx.now.timestamp(),
            "actor": ctx.actor}, pk="case_id")
    return done


def inspect(ctx, village: str, finding: str, note: str, talk_id=None, case_id: str | None = None) -> dict:
    """Record an inspection (督查, L176) of ``village`` now in the inspection record book:
    ``finding`` one of the five prohibitions' codes (五个不准: postpone, interrupt, talk_back,
    evade, replace_assembly), ``perfunctory`` (走过场、敷衍了事 — bars the village and its
    contact cadre from awards) or ``ok``; optionally about one talk or matter of the village.
    Returns the row."""
    unit = talks.village_of(ctx, village)
    if finding not in rules.FINDINGS:
        raise CountyError(f"--finding {finding!r}: one of {', '.join(rules.FINDINGS)} (五个不准、走过场, L176)")
    if not (note or "").strip():
        raise CountyError("--note: an inspection records what was found")
    tid = None
    if talk_id is not None:
        t = talks.talk(ctx, talk_id)
        if t["village"] != village:
            raise CountyError(f"--talk {talk_id}: a talk of {t['village']}, not of {unit.name}")
        tid = t["id"]
    if case_id is not None:
        c = matter(ctx, case_id)
        if c.origin_unit != village:
            raise CountyError(f"--case {case_id}: a matter of {c.origin_unit}, not of {unit.name}")
    row = {"village": village, "talk_id": tid, "case_id": case_id, "finding": finding, "note": note,
           "inspector": ctx.actor, "at": ctx.now.isoformat(), "ts": ctx.now.timestamp()}
    with ctx.transaction():
        row["id"] = ctx.db.insert("yetanhui_inspections", row)
    return row
