"""dianti's case stages: 点题 intake, coordination triage, group/member assignment, deadline.

Times are aware datetimes in the deployment's zone; the one due instant (a committed service
date) comes from ``ctx.calendar`` (end of that local day, 23:59:59, conventions §2). The
hooks in ``__init__`` delegate to :func:`intake`, :func:`triage`, :func:`assignment` and
:func:`deadline`.
"""

from __future__ import annotations

import datetime as dt

from framework import (
    Assignment,
    CountyError,
    Deadline,
    IntakeResult,
    Milestone,
    TriageResult,
    parse_instant,
    structure_extra,
)
from plugins.dianti import tables
from plugins.dianti.rules import ASSIGNMENT_RULE, COMPUTED, VILLAGE_LEVELS, village_of


def parse_service_date(ctx, text: str, created_at: dt.datetime) -> dt.date:
    """``service_date`` as a local date (``YYYY-MM-DD``; an ISO time gives its local date); not
    before the day the request was taken in. CountyError naming the field otherwise."""
    s = str(text).strip()
    try:
        day = dt.date.fromisoformat(s) if len(s) == 10 else None
    except ValueError:
        day = None
    if day is None:
        try:  # a full ISO time is accepted too: its local date counts
            day = ctx.calendar.local(parse_instant(s, ctx.calendar.tz, what="service_date")).date()
        except CountyError:
            raise CountyError(f"service_date: {text!r} is not a date (YYYY-MM-DD)") from None
    if day < ctx.calendar.local(created_at).date():
        raise CountyError(f"--set service_date={text}: before the day the request was taken in "
                          f"({ctx.calendar.local(created_at).date().isoformat()})")
    return day


def intake(ctx, case, fields) -> IntakeResult:
    """点题 (L75, L81): a villager's request at the coordination centre's window.

    ``fields``: raw ``--set`` strings of :class:`~plugins.dianti.rules.DiantiExtra` (channel
    ``window`` or ``letters_visits``). ``service`` defaults to the title. ``service_date``
    (committed date) is checked and kept as ``YYYY-MM-DD``. The cadre on window duty that
    weekday (rota, L81) is recorded as ``window_cadre``. Returns IntakeResult (no starting tier:
    the method has no chain). Raises CountyError naming the field.
    """
    bad = sorted(set(fields) & set(COMPUTED))
    if bad:
        raise CountyError(f"--set {bad[0]}: set by the dianti method itself, not by hand")
    extra = structure_extra(ctx.method, fields)
    extra.setdefault("service", case.title)
    if extra.get("service_date"):
        extra["service_date"] = parse_service_date(ctx, extra["service_date"], case.created_at).isoformat()
    village = village_of(ctx, case.unit)
    if ctx.unit(village).level not in VILLAGE_LEVELS:
        unit = ctx.unit(case.unit)
        raise CountyError(f"--unit {case.unit}: dianti takes requests in at a village's coordination centre (L81) "
                          f"or a unit below a village; {unit.name} is a {unit.level}")
    cadre = tables.on_duty(ctx, village, ctx.calendar.local(case.created_at).weekday())
    if cadre:
        extra["window_cadre"] = cadre
    return IntakeResult(extra=extra)


def _keywords(group: dict) -> list[str]:
    name = group["name"]
    for suffix in ("服务小组", "小组", "服务"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return [k for k in [*group["skills"], name] if k]


def route(ctx, village: str, *, group: str | None, skill: str | None, text: str,
          option: str = "--set group") -> tuple[dict | None, str | None, str | None]:
    """The coordination centre's routing rule (L81), first that applies:

    1. ``group`` given (``--set group=`` or ``--category``): that group of the village;
    2. ``skill`` given: the first group in register order whose code is the skill or whose
       skill list holds it; else the group with most active members having the skill;
    3. the first group in register order one of whose keywords (its skills, its name without
       服务小组) occurs in the request text (title, service, description);
    4. the first group in register order one of whose active members has a skill occurring in
       the text (members in register order, their skills in the order listed);
    5. none: no group (the case waits for the operator: ``county dianti route``).

    Returns (group row or None, how it was routed, the skill matched). CountyError for an
    unknown ``group``, naming it as ``option`` gave it (``--set group`` at intake, ``--group``
    for ``county dianti route``).
    """
    gs = tables.groups(ctx, village)
    if group:
        g = next((x for x in gs if x["code"] == group), None)
        if g is None:
            raise CountyError(f"{option}={group}: no such service group in {village} "
                              f"(groups: {', '.join(x['code'] for x in gs) or 'none yet; `county dianti group add`'})")
        return g, "group", skill
    if skill:
        g = next((x for x in gs if x["code"] == skill or skill in x["skills"]), None)
        if g is not None:
            return g, "skill", skill
        counts = {}
        for m in tables.members(ctx, village, active_only=True):
            if skill in m["skills"]:
                counts[m["group_code"]] = counts.get(m["group_code"], 0) + 1
        if counts:
            best = max(counts.values())
            g = next(x for x in gs if counts.get(x["code"]) == best)
            return g, "skill", skill
    for g in gs:
        for k in _keywords(g):
            if k in text:
                return g, "keyword", skill or k
    active = tables.members(ctx, village, active_only=True)
    for g in gs:
        for m in active:
            if m["group_code"] == g["code"]:
                for k in m["skills"]:
                    if k in text:
                        return g, "member_skill", skill or k
    return None, None, skill


def triage(ctx, case) -> TriageResult:
    """协调 (L81): the coordination centre decides the service group (as the case's category)
    and keeps the requirement. Rule: :func:`route`. Returns TriageResult(category=group code)
    or a TriageResult with only a note when no group matches (the operator routes it with
    ``county dianti route``)."""
    ex = case.extra
    if case.category and ex.get("group") and case.category != ex["group"]:
        raise CountyError(f"--category {case.category} and --set group={ex['group']} disagree; give one")
    village = village_of(ctx, case.unit)
    text = " ".join(x for x in (case.title, ex.get("service"), case.description) if x)
    g, how, skill = route(ctx, village, group=case.category or ex.get("group"), skill=ex.get("skill"), text=text)
    if g is None:
        return TriageResult(note="服务协调中心：未匹配到服务小组，待协调 (no service group matched)")
    note = f"服务协调中心：交{g['name']}" + (f"，服务要求：{ex['requirement']}" if ex.get("requirement") else "")
    return TriageResult(category=g["code"], note=note,
                        extra={"group": g["code"], "group_name": g["name"], "group_leader": g["leader"],
                               "routed_by": how, "matched_skill": skill})


def choose_member(ctx, village: str, group_code: str, skill: str | None) -> dict | None:
    """The responsible member (服务责任人, L81) of ``group_code``: among its active members,
    those having ``skill`` if any do; then fewest open cases (any method); then register order.
    Returns the register row or None."""
    cands = tables.members(ctx, village, group_code, active_only=True)
    if skill:
        matched = [m for m in cands if skill in m["skills"]]
        cands = matched or cands
    if not cands:
        return None
    return min(cands, key=lambda m: (ctx.open_cases_of(m["person"]), m["seq"]))


def responsible(ctx, village: str, group_code: str, skill: str | None) -> tuple[str | None, str]:
    """The responsible person (服务责任人, L81) of a request routed to ``group_code`` and the
    note saying why: the member by :func:`choose_member`; when the group has no active member,
    its leader (组长, L79: each group is led by a party member) unless the leader is deactivated
    in the register; otherwise nobody (person None) and a note that nobody is responsible yet.
    Returns (person id or None, note)."""
    m = choose_member(ctx, village, group_code, skill)
    if m is not None:
        return m["person"], f"服务责任人：{m['name']}（{ASSIGNMENT_RULE}）"
    g = tables.group(ctx, village, group_code)
    gname = g["name"] if g else group_code
    leader = tables.member(ctx, g["leader"]) if g and g["leader"] else None
    if leader is not None and leader["active"]:
        return leader["person"], f"服务责任人：组长{leader['name']}（{gname}暂无在册能人成员，由组长负责）"
    why = f"组长{leader['name']}已停用" if leader is not None else "也无组长"
    return None, f"{gname}暂无在册能人成员，{why}：暂无服务责任人，待服务协调中心协调 (nobody responsible yet)"


def assignment(ctx, case, level) -> Assignment | None:
    """能人服务中心 → 服务小组 → 服务责任人 (L81): the member of the case's group chosen by
    :func:`choose_member` (:data:`~plugins.dianti.rules.ASSIGNMENT_RULE`); a group without
    active members falls back to its leader (:func:`responsible`). The operator overrides with
    ``county case assign ID --handler P``. ``level`` is ignored (no chain of its own).
    Returns Assignment(handler=person id); None when the case has no group (triage left a note);
    when nobody is responsible, an Assignment keeping the case's unit with a note saying so
    (recorded as the ``assigned`` event, handler none)."""
    if case.handler or not case.category:
        return None
    village = village_of(ctx, case.unit)
    person, note = responsible(ctx, village, case.category, case.extra.get("matched_skill") or case.extra.get("skill"))
    if person is None:
        return Assignment(unit=case.unit, note=note)
    return Assignment(handler=person, note=note)


def deadline(ctx, case, level, arrived_at) -> Deadline:
    """No time limit in the source (methods.md §2.3 Deadline). A committed ``service_date``
    gives one primary milestone at 23:59:59 local of that date (a miss is flagged, 督办);
    without it (or when that instant is not after ``arrived_at``) the case has no due instant.
    Returns Deadline."""
    text = case.extra.get("service_date")
    if not text:
        return Deadline()
    day = dt.datetime.fromisoformat(text) if "T" in text else dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
    start = day.replace(tzinfo=ctx.calendar.tz) if day.tzinfo is None else day
    due = ctx.calendar.calendar_days(start, 0)
    if due <= arrived_at:
        return Deadline()
    return Deadline([Milestone("service_date", due, "flag", None, True, "承诺服务日期 committed service date")])
