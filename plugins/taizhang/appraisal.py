"""taizhang's own appraisal figures (L37, L41), beside the kernel's common metrics.

The kernel already gives, per unit and tier: cases, resolution rate (办结率), on-time rate,
share settled per tier, tier on-time rate, satisfaction from confirmations. This module adds,
over the taizhang cases *taken in* during the period (as the kernel does), rolled up from the
village that took each case in to its township and the county:

* ``slogan_share`` (tier ``village`` / ``township`` / ``county``) — 小事不出村、大事不出镇、难事不出县
  (L37): cases settled at the village, at the township, at any county tier (三账办, department,
  joint meeting, county committee/government), each over all settled cases; the casebook's
  92.04 % / 7.8 % / 0.16 %;
* ``reached_county`` (count) and ``reached_county_rate`` = cases that ever reached a county
  tier / cases (L37: "上报到县上的不超过200件" of 100,000+);
* ``callback_rate`` (回访率) = settled cases with a return visit / settled cases, and
  ``callback_satisfaction_rate`` (回访满意率) = called-back cases whose latest callback says
  satisfied or basically satisfied / called-back cases (L41 台账群众回访及社会满意率测评);
* per department (县直部门, L29, L41 互考互评): ``dept_cases`` (cases handed to it),
  ``dept_resolution_rate`` (settled by it / handed), ``dept_on_time_rate`` (its 15-day
  ``finish`` milestones met / met + missed), ``dept_to_joint_meeting`` (cases it passed to the
  joint meeting).

Every rate's value is None when its denominator is 0. Everything is counted in SQL through the
read API (``ctx.cases.count``, ``ctx.events.count``, ``ctx.milestones.count``) over the period's
taizhang cases, the departments' figures over the cases that reached a county tier.
"""

from __future__ import annotations

from collections import defaultdict

from framework import DONE_STATUSES, Metric, Unit, chunks, rate
from plugins.taizhang.rules import COUNTY_TIERS, GOOD

DONE = DONE_STATUSES
SLOGAN = (("village", "小事不出村（村级办结占比）"), ("township", "大事不出镇（乡镇办结占比）"),
          ("county", "难事不出县（县级办结占比）"))


def metrics(ctx, unit: Unit | None, period: str) -> list[Metric]:
    """Appraisal (考评, L37, L41) for ``unit``'s subtree (a :class:`Unit`, or None for the whole
    deployment) and ``period`` (``2026-11``, ``2026Q4``, ``2026``; deployment-local): the metrics
    listed in the module docstring, one set per village/community, township and county that took
    cases in, and one per department that was handed cases. Returns a list of :class:`Metric`
    (counts as numbers of cases, rates as numerator/denominator)."""
    method = ctx.method.name
    roots = [unit] if unit is not None else ctx.roots()
    keep: set[str] = set()
    for r in roots:
        keep.update(ctx.subtree(r.code))
    # Only departments see cases taken in elsewhere: without one in the subtree, the cases taken
    # in outside it add nothing to the subtree's figures, so they are not read.
    has_department = any(ctx.units[c].level == "department" for c in keep)
    origin = unit.code if unit is not None and not has_department else None
    filters = {"method": method, "created": period, "origin": origin}
    # Counted in SQL through the read API (issue 13): the cases by unit, status and settling
    # tier; the settled cases' latest callback; which cases ever reached a county tier. Only
    # those (a few hundred of a hundred thousand, L37) are read event by event, for the
    # department that handled them.
    agg: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (origin_unit, status, settled), n in ctx.cases.count(by=("origin_unit", "status", "resolved_level"),
                                                            **filters).items():
        group = "county" if settled in COUNTY_TIERS else settled
        for code in ctx.ancestors(origin_unit):
            a = agg[code]
            a["cases"] += n
            if status in DONE:
                a["done"] += n
                a[f"settled_{group}"] += n
    for (origin_unit, satisfaction), n in ctx.events.count(
            "callback", latest=True, by=("case.origin_unit", "data.satisfaction"), status=list(DONE),
            **filters).items():
        for code in ctx.ancestors(origin_unit):
            agg[code]["called"] += n
            agg[code]["called_good"] += n if satisfaction in GOOD else 0
    # the cases that ever reached a county tier, each with the unit that took it in
    reached = ctx.events.count(level=COUNTY_TIERS, by=("case_id", "case.origin_unit"), **filters)
    for _, origin_unit in reached:
        for code in ctx.ancestors(origin_unit):
            agg[code]["reached"] += 1
    # of those (a few in a hundred, L37), per case: its department — the unit of its last
    # department-tier event held by a unit of level department —,
    # with its status and settling tier; whether it went on to the joint meeting; its department
    # tier's 15-day ``finish`` milestones met or missed. Counted by case id, a chunk at a time,
    # with the period's filters too (the same cases), so that these counts are kept as the
    # period's others are (issue 13: 23 → 8 ms CPU at 1 M cases; not over the period's cases
    # without ids: as fast kept, twice as slow counted afresh).
    departments = [c for c, u in ctx.units.items() if u.level == "department"]
    dept: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    finish: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for ids in chunks([case_id for case_id, _ in reached]):
        of_case = ctx.events.count(level="department", unit=departments, latest=True,
                                   by=("case_id", "unit", "case.status", "case.resolved_level"), ids=ids, **filters)
        to_joint = ctx.events.count("escalated", level="joint_meeting", by="case_id", ids=ids, **filters)
        handled_by = {}
        for case_id, d, status, settled in of_case:
            handled_by[case_id] = d
            t = dept[d]
            t["cases"] += 1
            t["resolved"] += status in DONE and settled == "department"
            t["to_joint"] += case_id in to_joint
        for (case_id, state), n in ctx.milestones.count(state=("met", "missed"), level="department", name="finish",
                                                        by=("case_id", "state"), ids=ids, **filters).items():
            d = handled_by.get(case_id)
            if d is not None:
                finish[d][0 if state == "met" else 1] += n

    out: list[Metric] = []
    kw = {"method": method, "period": period}
    for code in sorted(agg):
        if code not in keep:
            continue
        a = agg[code]
        for tier, label in SLOGAN:
            out.append(rate("slogan_share", code, a[f"settled_{tier}"], a["done"], label=label, tier=tier, **kw))
        out.append(Metric("reached_county", code, value=a["reached"], label="上报到县件数", **kw))
        out.append(rate("reached_county_rate", code, a["reached"], a["cases"], label="上报到县比例", **kw))
        out.append(rate("callback_rate", code, a["called"], a["done"], label="回访率", **kw))
        out.append(rate("callback_satisfaction_rate", code, a["called_good"], a["called"], label="回访满意率", **kw))
    for code in sorted(dept):
        if code not in keep:
            continue
        t = dept[code]
        met, missed = finish.get(code, [0.0, 0.0])
        out.append(Metric("dept_cases", code, value=t["cases"], label="部门交办件数", tier="department", **kw))
        out.append(rate("dept_resolution_rate", code, t["resolved"], t["cases"], label="部门办结率", tier="department", **kw))
        out.append(rate("dept_on_time_rate", code, met, met + missed, label="部门15日内办结率", tier="department", **kw))
        out.append(Metric("dept_to_joint_meeting", code, value=t["to_joint"], label="提交联席会议件数",
                          tier="department", **kw))
    return out
