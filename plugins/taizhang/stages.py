"""taizhang's case stages: 建账 (intake), 议账 (triage), assignment, 结账 (deadline).

Plain functions on ``ctx``; the ``@hookimpl`` wrappers in :mod:`plugins.taizhang` delegate
here. All times are aware datetimes in the deployment's zone; every due instant comes from
``ctx.calendar`` (calendar days end at 23:59:59 local, conventions §2).
"""

from __future__ import annotations

from framework import (
    Assignment,
    CountyError,
    Deadline,
    IntakeResult,
    Milestone,
    TriageResult,
    structure_extra,
)
from plugins.taizhang.rules import (
    ALL_LEDGERS,
    FIVE_VISITS,
    INTAKE_LEVELS,
    LEFT_BEHIND,
    TIER_ROLES,
    TOWNSHIP_CLOCKS,
    enabled_ledgers,
    ledger_for_topic,
)

_COMPUTED = ("visit_question", "reply_due_at", "report_due_at")
_COMPUTED_SET = frozenset(_COMPUTED)


def intake(ctx, case, fields) -> IntakeResult:
    """建账 (L25, L29): validate one ledger sheet.

    ``fields`` are the raw ``--set`` strings of :class:`~plugins.taizhang.rules.TaizhangExtra`.
    Rules: the case is taken in by a village or community (``--unit``); it goes into one ledger —
    ``--category`` or a ``topic`` that 议账 can file (:data:`~plugins.taizhang.rules.TOPICS`);
    a left-behind ledger only when the deployment switched it on; a ``five_visits`` case names its
    ``visit_type`` (and gets the question asked, e.g. 问发展). ``on_the_spot=yes`` settles the
    case at intake (能现场处理的立即处理, L29): resolved at the village tier, no deadline.
    Returns IntakeResult(level="village"). Raises CountyError naming the option.
    """
    if not _COMPUTED_SET.isdisjoint(fields):
        bad = sorted(set(fields) & _COMPUTED_SET)
        raise CountyError(f"--set {bad[0]}: set by the taizhang method itself, not by hand")
    extra = structure_extra(ctx.method, fields)
    unit = ctx.unit(case.unit)
    if unit.level not in INTAKE_LEVELS:
        raise CountyError(f"--unit {case.unit}: taizhang cases are taken in by a village or community "
                          f"(村(社区), L29); {unit.name} is a {unit.level}")
    ledger = case.category or ledger_for_topic(extra.get("topic"))
    if ledger is None:
        if extra.get("topic"):
            raise CountyError(f"--set topic={extra['topic']}: no ledger is known for this topic; "
                              f"give --category ({', '.join(enabled_ledgers(ctx.settings))})")
        raise CountyError("--category: a taizhang case goes into one ledger: "
                          + ", ".join(f"{k}={v}" for k, v in enabled_ledgers(ctx.settings).items())
                          + " (or --set topic=… for 议账 to file it)")
    if ledger in LEFT_BEHIND and ledger not in enabled_ledgers(ctx.settings):
        raise CountyError(f"--category {ledger}: the left-behind ledger {ALL_LEDGERS[ledger]} is off in this "
                          f"deployment; set [plugins.taizhang] left_behind_ledgers = true")
    visit = extra.get("visit_type")
    if case.channel == "five_visits":
        if visit not in FIVE_VISITS:
            raise CountyError(f"--set visit_type: a five_visits (五访五问) case names who was visited: "
                              f"{', '.join(f'{k}={v[0]}' for k, v in FIVE_VISITS.items())}")
        extra["visit_question"] = FIVE_VISITS[visit][1]
    elif visit is not None:
        raise CountyError(f"--set visit_type: only for --channel five_visits (this case came by {case.channel or 'no channel'})")
    settled = bool(extra.get("on_the_spot"))
    note = None
    if settled:
        note = "当场办结 settled on the spot" + (f"：{extra['result']}" if extra.get("result") else "")
    return IntakeResult(extra=extra, level="village", settled=settled, note=note)


def triage(ctx, case) -> TriageResult | None:
    """议账 filing (L35): a case taken in with a ``topic`` and no ``--category`` is filed in the
    topic's ledger (WE-03). Returns TriageResult(category=ledger) or None (keep the category).
    The village two committees' deliberation itself is ``county taizhang deliberate``."""
    if case.category:
        return None
    topic = case.extra.get("topic")
    ledger = ledger_for_topic(topic)
    if ledger is None:
        return None
    return TriageResult(category=ledger, note=f"议账归类：{topic} → {ALL_LEDGERS[ledger]}")


def _the_person(ctx, unit: str, role: str) -> str | None:
    """The one person of ``unit`` holding ``role``, or None when there is none or several (the
    operator then names the handler with ``county case assign ID --handler P``)."""
    people = ctx.people.find(unit=unit, role=role)
    return people[0].id if len(people) == 1 else None


def department_person(ctx, case, department: str) -> str | None:
    """The responsible person (责任人, L25) of department unit ``department`` for ``case``: the
    sheet's ``responsible_person`` when it is a person id of that department, else the one
    person of the department holding ``department_staff``; None when there is none or several
    (``county taizhang handover`` then asks for ``--handler``)."""
    rp = case.extra.get("responsible_person")
    if rp and rp in ctx.people and ctx.people[rp].unit == department:
        return rp
    return _the_person(ctx, department, TIER_ROLES["department"])


def assignment(ctx, case, level: str) -> Assignment | None:
    """Who handles the case at tier ``level`` (L29):

    * ``village`` — the collecting unit itself (信息收集单位); handler: the sheet's
      ``responsible_person`` when it is a person id of that unit, else the village party
      secretary (村支书, L27);
    * ``township`` — the case's township; handler: a township cadre;
    * ``ledger_office`` — the county 三账办 (the nearest/only unit of level ``ledger_office``);
    * ``department`` — the department the 三账办 names when it hands the case over (交办, ``county
      taizhang handover ID --department DEPT``, which applies :func:`department_person`); a case
      already held by a department gets that department's 责任人 (L25) the same way; an escalation
      without naming a department leaves the case with the 三账办 and its staff;
    * ``joint_meeting`` — the unit of level ``joint_meeting`` if the deployment has one, else the
      三账办; the handler is the 三账办's staff member, who received the department's written
      report and submits the case to the meeting (18日内书面报县三账办，提交联席会议, L29);
    * ``county_leadership`` — the county (县委县政府).

    Returns Assignment (unit None = keep). The handler is the one person of the unit holding the
    tier's role (:data:`~plugins.taizhang.rules.TIER_ROLES`); with none or several, no handler
    is set and the operator assigns one.
    """
    if level == "village":
        rp = case.extra.get("responsible_person")
        if rp and rp in ctx.people and ctx.people[rp].unit == case.unit:
            return Assignment(handler=rp)
        return Assignment(handler=_the_person(ctx, case.unit, TIER_ROLES["village"]))
    if level in ("township", "ledger_office"):
        u = ctx.ancestor(case.unit, level)
        if u is None:
            return Assignment(note=f"no unit of level {level} in the deployment; the case stays with {case.unit}")
        return Assignment(unit=u.code, handler=_the_person(ctx, u.code, TIER_ROLES[level]),
                          note=None if level == "township" else "报县三账办")
    if level == "department":
        if ctx.unit(case.unit).level == "department":
            return Assignment(handler=department_person(ctx, case, case.unit))
        return Assignment(note="三账办交办：name the department with `county taizhang handover ID --department DEPT`")
    if level == "joint_meeting":
        office = ctx.ancestor(case.unit, "ledger_office")
        u = ctx.ancestor(case.unit, "joint_meeting") or office
        staff = _the_person(ctx, u.code, TIER_ROLES["ledger_office"]) if u else None
        if staff is None and office is not None:
            staff = _the_person(ctx, office.code, TIER_ROLES["ledger_office"])
        return Assignment(unit=u.code if u else None, handler=staff, note="书面报县三账办，提交联席会议研究处理")
    if level == "county_leadership":
        u = ctx.ancestor(case.unit, "county")
        return Assignment(unit=u.code if u else None, note="报县委、县政府研究处理")
    return None


def deadline(ctx, case, level: str, arrived_at) -> Deadline:
    """结账 time limits (L29), in calendar days from ``arrived_at`` (conventions §2: due at
    23:59:59 local on the Nth day after the day of arrival):

    * village: ``close`` +5 d (primary) → escalate to the township;
    * township: ``reply`` +10 d → flag (督办) only; ``report_up`` +15 d (primary) → escalate to
      the 三账办. Reading A counts the 15 d from arrival; setting ``township_clock =
      "after_reply"`` (reading B) from the end of the reply window (= +25 d). Extra:
      ``reply_due_at``;
    * ledger_office: ``register_and_assign`` +5 d (primary) → flag; the case stays until the
      office assigns it to a department;
    * department: ``finish`` +15 d (primary) → flag; ``written_report`` +18 d → escalate to the
      joint meeting. Extra: ``report_due_at``;
    * joint_meeting, county_leadership: no limit in the source → empty Deadline.

    The day counts are the settings ``village_days`` … ``department_report_days``.
    """
    s, cal = ctx.settings, ctx.calendar
    if level == "village":
        return Deadline([Milestone("close", cal.calendar_days(arrived_at, s["village_days"]), "escalate", "township",
                                   True, "5天内办结，解决不了的上报乡镇")])
    if level == "township":
        clock = s.get("township_clock", "arrival")
        if clock not in TOWNSHIP_CLOCKS:
            raise CountyError(f"[plugins.taizhang] township_clock = {clock!r}: use 'arrival' (reading A) or "
                              f"'after_reply' (reading B)")
        reply = cal.calendar_days(arrived_at, s["township_reply_days"])
        start = reply if clock == "after_reply" else arrived_at
        report = cal.calendar_days(start, s["township_days"])
        return Deadline([Milestone("reply", reply, "flag", None, False, "10天内答复"),
                         Milestone("report_up", report, "escalate", "ledger_office", True, "15日内上报县三账办")],
                        extra={"reply_due_at": reply})
    if level == "ledger_office":
        return Deadline([Milestone("register_and_assign", cal.calendar_days(arrived_at, s["office_days"]), "flag", None,
                                   True, "5日内完成登记并向相关部门交办")])
    if level == "department":
        finish = cal.calendar_days(arrived_at, s["department_days"])
        report = cal.calendar_days(arrived_at, s["department_report_days"])
        return Deadline([Milestone("finish", finish, "flag", None, True, "接件后15日内办理完毕"),
                         Milestone("written_report", report, "escalate", "joint_meeting", False,
                                   "18日内书面报县三账办，提交联席会议")],
                        extra={"report_due_at": report})
    return Deadline()  # joint meeting, county leadership: no limit in the source
