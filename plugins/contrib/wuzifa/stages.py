"""The four bound stages of wuzifa: intake, triage, assignment, deadline (docs/hooks.md §4).

Every due instant comes from ``ctx.calendar``: calendar days end 23:59:59 local on the Nth day
after the local day of arrival; working days follow China's statutory calendar with its 调休
make-up days. The casebook gives no number for any of them (L61: 数月): the settings do.
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

from .rules import NAME

DISPUTE = "collective_dispute"
SMALL = "small_matter"
PROJECT = "project_funding"


def intake(ctx, case, fields):
    """Intake (受理, L49, L61): a case is taken in by a unit under a township (the work group sits at
    the township: 嘉禾乡, L49) — the township itself, a village or a villager group. ``fields``
    (``--set``): :class:`~.rules.Extra`. ``on_the_spot=yes`` settles a small matter at once (L61:
    能当场解决就立马解决); a collective dispute, a project or a large sum cannot be. ``department``
    must be a department unit; ``dispute`` a wuzifa collective dispute. Returns an
    ``IntakeResult`` at tier ``work_group``. ``CountyError`` naming ``--unit`` or ``--set KEY``."""
    if ctx.ancestor(case.unit, "township", strict=True) is None:
        unit = ctx.unit(case.unit)
        raise CountyError(f"--unit {case.unit}: a {NAME} case is taken in under a township (the work group, L49), "
                          f"not at {unit.name} ({unit.level})")
    extra = structure_extra(ctx.method, fields)
    amount = extra.get("amount")
    if amount is not None and amount < 0:
        raise CountyError(f"--set amount={amount}: yuan, not negative")
    dep = extra.get("department")
    if dep is not None and (dep not in ctx.units or ctx.units[dep].level != "department"):
        raise CountyError(f"--set department={dep}: not a department unit of this deployment")
    if extra.get("dispute"):
        lead = ctx.cases.get(extra["dispute"], events=False)
        if lead.method != NAME or lead.category != DISPUTE:
            raise CountyError(f"--set dispute={extra['dispute']}: not a {NAME} collective dispute")
    if extra.get("on_the_spot"):
        big = extra.get("project") or (amount is not None and amount >= ctx.settings["large_sum_yuan"])
        if case.category in (DISPUTE, PROJECT) or big:
            raise CountyError("--set on_the_spot: only a small matter is settled on the spot (L61: 对一些小事…"
                              "能当场解决就立马解决), not a dispute, a project or a large sum")
        return IntakeResult(extra=extra, level="work_group", settled=True, note="当场解决（L61）")
    return IntakeResult(extra=extra, level="work_group")


def triage(ctx, case):
    """Triage (分类, L49, L61): a collective dispute is priority ``high`` (L49: 形势十分危急…引发严重的
    群体性事件); any other case is a side problem, ``project_funding`` when it involves a project
    (``--set project=yes``) or at least ``large_sum_yuan`` yuan (``--set amount``), else
    ``small_matter`` (L61). Returns a ``TriageResult`` (with a note when the category is set or
    changed) or None."""
    if case.category == DISPUTE:
        return TriageResult(priority="high", note="群体性矛盾纠纷：组成工作组（L49）")
    amount = case.extra.get("amount")
    big = bool(case.extra.get("project")) or (amount is not None and amount >= ctx.settings["large_sum_yuan"])
    want = PROJECT if big else SMALL
    if case.category == want:
        return None
    if case.category == PROJECT and not big:
        return None  # the operator said project: keep it
    why = "涉及项目" if case.extra.get("project") else (f"涉及资金{amount:g}元" if big else "一般小事")
    return TriageResult(category=want, note=f"{why}（L61）")


def assignment(ctx, case, level):
    """Assignment (交办): at ``work_group`` the case's township (strict: its own subtree) and the one
    ``work_group_leader`` there (else its one ``work_group_member``, else none) (L49); at
    ``higher_level`` the department named by ``--set department`` (else the county above) and its
    one ``department_staff`` (L61). Returns an ``Assignment`` or None (the kernel's default)."""
    if level == "work_group":
        unit = ctx.ancestor(case.origin_unit or case.unit, "township", strict=True)
        if unit is None:
            return None
        return Assignment(unit=unit.code, handler=_one(ctx, unit.code, "work_group_leader", "work_group_member"))
    if level == "higher_level":
        code = case.extra.get("department")
        if not code:
            county = ctx.ancestor(case.origin_unit or case.unit, "county", strict=True)
            code = county.code if county else None
        if code is None:
            return None
        return Assignment(unit=code, handler=_one(ctx, code, "department_staff"),
                          note="反馈给上级和相关部门（L61）")
    return None


def _one(ctx, unit, *roles):
    """The one person of ``unit`` holding the first role that someone holds there; None when that
    role has several holders (the operator assigns)."""
    for role in roles:
        people = ctx.people.find(unit=unit, role=role)
        if people:
            return people[0].id if len(people) == 1 else None
    return None


def deadline(ctx, case, level, arrived_at):
    """Deadline (时限) of tier ``level`` entered at ``arrived_at`` (aware). The casebook states none
    (L61: 数月), so each comes from a setting:

    * ``work_group``, a collective dispute: ``settle`` at ``dispute_days`` (90) calendar days, flagged
      督办 (the dispute is never passed up: the work group was formed for it, L49);
    * ``work_group``, a small matter: ``help`` at ``small_matter_days`` (3) calendar days, then up to
      ``higher_level`` (L61: 能帮就帮);
    * ``work_group``, a project / large-sum matter: ``feedback`` at ``feedback_working_days`` (5)
      working days, then up to ``higher_level`` by the sweep (L61: 及时…反馈给上级和各相关部门);
    * ``higher_level``: ``answer`` at ``higher_level_working_days`` (15) working days, flagged 督办.

    Returns a ``Deadline`` with one primary milestone (23:59:59 local), or None off the chain."""
    s = ctx.settings
    if level == "work_group":
        if case.category == DISPUTE:
            due = ctx.calendar.calendar_days(arrived_at, s["dispute_days"])
            return Deadline([Milestone("settle", due, action="flag", primary=True, note="工作组化解纠纷")])
        if case.category == PROJECT:
            due = ctx.calendar.working_days(arrived_at, s["feedback_working_days"])
            return Deadline([Milestone("feedback", due, action="escalate", to_level="higher_level", primary=True,
                                       note="及时反馈给上级和相关部门")])
        due = ctx.calendar.calendar_days(arrived_at, s["small_matter_days"])
        return Deadline([Milestone("help", due, action="escalate", to_level="higher_level", primary=True,
                                   note="小事能帮就帮")])
    if level == "higher_level":
        due = ctx.calendar.working_days(arrived_at, s["higher_level_working_days"])
        return Deadline([Milestone("answer", due, action="flag", primary=True, note="上级和相关部门答复")])
    return None
