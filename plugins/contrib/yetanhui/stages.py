"""The four bound stages for a matter (问题) raised at, or surveyed before, an evening talk
(L176).

* intake — the matter's fields: the talk, oral or written, and what the cadres decided
  (``outcome``): answered on the spot (settled), a named handler with a promised date, or the
  township party committee. A matter without a decision is taken in only onto the agenda of a
  scheduled talk (会前调查摸底, L176); any other is refused (五个不准：不准推托不解决或不回复).
* triage — the outcome decides the starting tier (agenda, village or township); a major
  matter (村镇规划、新上项目) gets priority ``high``.
* assignment — village: the named handler (承办人) and, when named, a joint handler of the
  other level (乡镇、村干部共同研究); township: the township, and its deputy party secretary
  who leads the work (牵头负责) when it has exactly one.
* deadline — agenda: the talk's notice three days before it (``anchor="before"``) and the
  talk's day; village: the promised date (flag, or escalate with ``promise_miss``);
  township: none unless ``study_days``; township_reply: 10 calendar days after the collective
  study (flag). Every instant from ``ctx.calendar``.
"""

from __future__ import annotations

import datetime as dt

from framework import Assignment, CountyError, Deadline, IntakeResult, Milestone, TriageResult, structure_extra
from plugins.contrib.yetanhui import rules, tables


def township_code(ctx, village: str) -> str | None:
    """The township above ``village`` (its code), or None."""
    t = ctx.ancestor(village, "township")
    return t.code if t else None


def check_decision(ctx, village: str, extra: dict, at: dt.datetime, what: str = "--set ") -> None:
    """Check the decision taken on a matter of ``village`` at ``at`` (L176): ``outcome`` one
    of spot / promised / township; spot needs ``answer``; promised needs ``handler`` and
    ``promised`` (a time after ``at``); a handler or joint handler is a cadre of the village or
    of its township, the two different. CountyError naming ``what KEY``."""
    outcome = extra.get("outcome")
    if outcome not in rules.OUTCOMES:
        raise CountyError(f"{what}outcome={outcome!r}: every matter raised gets a decision — spot (当场解决), "
                          f"promised (承诺时间) or township (报乡镇) (不准推托不解决或不回复, L176)")
    if outcome == "spot" and not extra.get("answer"):
        raise CountyError(f"{what}answer: a matter settled on the spot records the answer given (现场解答, L176)")
    if outcome == "promised" and (not extra.get("handler") or not extra.get("promised")):
        raise CountyError(f"{what}handler / {what}promised: a matter not settled on the spot gets a named handler "
                          f"and a promised date (明确具体承办人和办理时限, L176)")
    name = ctx.units[village].name
    for key in ("handler", "joint_handler"):
        if extra.get(key):
            person = ctx.person(extra[key])
            if person.unit not in (village, township_code(ctx, village)):
                raise CountyError(f"{what}{key}={extra[key]}: {person.name} is neither of {name} nor of its township "
                                  f"(乡镇、村干部共同研究, L176)")
    if extra.get("joint_handler") and extra.get("joint_handler") == extra.get("handler"):
        raise CountyError(f"{what}joint_handler: a second cadre, not the handler again")
    if outcome == "promised":
        rules.promised_due(ctx.calendar, at, extra["promised"], what=f"{what}promised")


def intake(ctx, case, fields: dict) -> IntakeResult:
    """Validate a matter's ``--set`` fields (:class:`rules.YetanhuiExtra`) and return its
    IntakeResult: ``settled`` for an answer on the spot (``note`` = the answer). Raises
    CountyError naming the field: a unit that is not a village; a talk field naming no talk of
    this village, or a cancelled one; a matter raised at a talk (channel ``talk``) before the
    talk was held; no decision, unless the matter goes onto a scheduled talk's agenda; a bad
    decision (:func:`check_decision`)."""
    extra = structure_extra(ctx.method, fields)
    unit = ctx.unit(case.unit)
    if unit.level != "village":
        raise CountyError(f"--unit {case.unit}: a matter is taken in at the village it concerns (L176), not a {unit.level}")
    if extra.get("form") not in (None, *rules.FORMS):
        raise CountyError(f"--set form={extra['form']!r}: oral (口头) or written (书面) (L176)")
    talk_id = extra.get("talk")
    if case.channel == "talk" and talk_id is None:
        raise CountyError("--set talk: a matter raised at a talk names the talk (county yetanhui talk list)")
    talk = None
    if talk_id is not None:
        talk = tables.get_talk(ctx.db, talk_id)
        if talk is None or talk["village"] != case.unit:
            raise CountyError(f"--set talk={talk_id}: no talk of {unit.name} with that number")
        if talk["status"] == "cancelled":
            raise CountyError(f"--set talk={talk_id}: that talk was cancelled")
        if case.channel == "talk" and (talk["status"] != "held" or case.created_at.timestamp() < talk["held_ts"]):
            raise CountyError(f"--set talk={talk_id}: a matter raised at a talk is taken in after the talk was held "
                              f"(status {talk['status']}, {talk['scheduled_at']})")
    if case.channel == "talk":
        extra.setdefault("form", "oral")
    if extra.get("outcome") is None:
        if talk is None or talk["status"] != "scheduled":
            raise CountyError("--set outcome: every matter raised gets a decision — spot, promised or township — "
                              "unless it goes onto a scheduled talk's agenda (--set talk=N) (L176)")
        return IntakeResult(extra=extra, level="agenda")
    check_decision(ctx, case.unit, extra, case.created_at)
    if extra["outcome"] == "spot":
        return IntakeResult(extra=extra, settled=True, note=extra["answer"])
    return IntakeResult(extra=extra)


def triage(ctx, case) -> TriageResult:
    """Start an undecided matter at ``agenda``, a matter for the township at ``township``
    (需要由乡镇解决的问题, L176), the others at ``village``; a major matter (重大事项, L176) has
    priority ``high``."""
    outcome = case.extra.get("outcome")
    level = {None: "agenda", "township": "township"}.get(outcome, "village")
    priority = "high" if case.extra.get("major") else None
    note = rules.OUTCOMES.get(outcome, "列入夜谈会议题") + ("；重大事项，须征得多数群众同意" if priority else "")
    return TriageResult(level=level, priority=priority, note=note)


def assignment(ctx, case, level) -> Assignment | None:
    """Village: the matter's named handler (承办人, L176) and joint handler, if any. Township:
    the township above the village, and its one ``deputy_secretary`` (牵头负责, L176) as
    handler when it has exactly one. agenda, township_reply: unchanged."""
    if level == "village":
        handler = case.extra.get("handler")
        if not handler:
            return None
        return Assignment(handler=handler, joint_handler=case.extra.get("joint_handler"),
                          note="承办人（夜谈会上明确）")
    if level == "township":
        township = ctx.ancestor(case.unit, "township")
        if township is None:
            return None
        leads = ctx.people.find(unit=township.code, role="deputy_secretary")
        return Assignment(unit=township.code, handler=leads[0].id if len(leads) == 1 else None,
                          note="报乡镇党委集中研究")
    return None


def deadline(ctx, case, level, arrived_at) -> Deadline | None:
    """agenda: ``talk`` (primary, flag) at 23:59:59 local on the talk's day (answered at the
    talk, L176) and, while the talk's notice is not yet posted, ``notice`` (flag,
    ``anchor="before"``) at the talk's notice due instant — 23:59:59 local three calendar days
    before the talk's date (提前三天, L176). village: ``promise`` at the promised instant
    (``rules.promised_due``), ``flag`` or — with ``promise_miss = "escalate"`` — escalate to
    the township. township: ``study`` after ``study_days`` calendar days (flag) when that
    setting is > 0, else no due instant (methods.md §6 item 14). township_reply: ``reply``
    23:59:59 local on the 10th calendar day after the study's local date (集中研究后10天内,
    L176), flag; ``extra.reply_due_at``. CountyError for a bad ``promise_miss``."""
    if level == "agenda":
        talk = tables.get_talk(ctx.db, case.extra["talk"]) if case.extra.get("talk") is not None else None
        if talk is None:
            return None
        day_end = ctx.calendar.end_of_day(ctx.calendar.local(dt.datetime.fromisoformat(talk["scheduled_at"])).date())
        ms = [Milestone("talk", day_end, action="flag", primary=True, note="夜谈会上现场解答或承诺")]
        if not talk["notice_at"]:
            ms.append(Milestone("notice", dt.datetime.fromisoformat(talk["notice_due_at"]), action="flag",
                                anchor="before", note="提前三天告知议题"))
        return Deadline(ms)
    if level == "village":
        spec = case.extra.get("promised")
        if not spec:
            return None
        action = ctx.settings["promise_miss"]
        if action not in ("flag", "escalate"):
            raise CountyError(f"[plugins.yetanhui] promise_miss={action!r}: flag or escalate")
        due = rules.promised_due(ctx.calendar, arrived_at, spec)
        return Deadline([Milestone("promise", due, action=action, primary=True, note="承诺时间")],
                        extra={"promised_due_at": due})
    if level == "township":
        days = ctx.settings["study_days"]
        if days <= 0:
            return None
        due = ctx.calendar.calendar_days(arrived_at, days)
        return Deadline([Milestone("study", due, action="flag", primary=True, note="乡镇党委集中研究")])
    if level == "township_reply":
        due = ctx.calendar.calendar_days(arrived_at, ctx.settings["township_reply_days"])
        return Deadline([Milestone("reply", due, action="flag", primary=True, note="集中研究后10天内答复")],
                        extra={"reply_due_at": due})
    return None
