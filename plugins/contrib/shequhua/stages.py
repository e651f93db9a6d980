"""The four bound stages of shequhua (docs/hooks.md §4): a matter is taken in by a village's
社区化管理服务中心 (L282), filed by the service organisation of its area (L282), handled by that
organisation (the forces the centre draws on, L282), with the urban partner joining when it goes
up (帮联对子, L273), and timed by settings (the source gives no limit).
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

from . import service
from .rules import (
    CATEGORIES,
    KINDS,
    NAME,
    ORG_AREAS,
    SIX_ONE_AREA,
    SIX_ONES,
    day_due,
    keywords,
)


def intake(ctx, case, fields):
    """A matter is taken in at a village (its service centre, L282); ``fields`` are the ``--set``
    keys of ``ShequhuaExtra``: ``kind`` (errand/dispute/problem, L282), ``six_one`` (one of the
    六个一, L282; required with channel ``six_ones``), ``member`` (the centre's member taking it
    on: a person of the village holding a pool role, L282). With ``centre_required`` a village
    without a centre is refused. Returns an ``IntakeResult`` at tier ``centre``. ``CountyError``
    naming ``--unit`` / ``--set KEY``; ``Refusal`` without a required centre."""
    unit = ctx.unit(case.unit)
    if unit.level != "village":
        raise CountyError(f"--unit {case.unit}: a {NAME} matter is taken in by a village's service centre "
                          f"(社区化管理服务中心, L282), not by {unit.name} ({unit.level})")
    if ctx.settings["centre_required"]:
        service.need_centre(ctx, case.unit)
    extra = structure_extra(ctx.method, fields)
    if extra.get("kind") is not None and extra["kind"] not in KINDS:
        raise CountyError(f"--set kind={extra['kind']}: use one of {', '.join(f'{k} {v}' for k, v in KINDS.items())} (L282)")
    if extra.get("six_one") is not None and extra["six_one"] not in SIX_ONES:
        raise CountyError(f"--set six_one={extra['six_one']}: use one of "
                          f"{', '.join(f'{k} {v}' for k, v in SIX_ONES.items())} (六个一, L282)")
    if case.channel == "six_ones" and not extra.get("six_one"):
        raise CountyError("--set six_one: a matter from the 六个一 activity says which one (policy, dispute, behaviour, "
                          "visit, help, culture; L282)")
    if extra.get("member"):
        service.pool_person(ctx, case.unit, extra["member"], "--set member")
    return IntakeResult(extra=extra, level="centre")


def area_of(ctx, case) -> str:
    """The service area a matter belongs to: its category when given, else the area of its
    ``six_one``, else the first area of the ``keywords`` setting with a word in the title,
    else ``other``."""
    if case.category:
        return case.category
    if case.extra.get("six_one"):
        return SIX_ONE_AREA[case.extra["six_one"]]
    for area, words in keywords(ctx.settings).items():
        if any(w in case.title for w in words):
            return area
    return "other"


def triage(ctx, case):
    """File the matter by service area (L282): a matter without a category gets
    :func:`area_of`'s; its ``kind`` defaults to ``dispute`` (矛盾纠纷) for the mediation area and
    ``errand`` (代办服务事项) otherwise (L282's outcome counts). Returns a ``TriageResult``
    (with a note when the category was chosen here)."""
    area = area_of(ctx, case)
    kind = case.extra.get("kind") or ("dispute" if area == "mediation" else "errand")
    if case.category:
        return TriageResult(extra={"kind": kind})
    return TriageResult(category=area, extra={"kind": kind}, note=f"按服务领域归口：{CATEGORIES[area]}")


def assignment(ctx, case, level):
    """``centre``: the village; handler the ``member`` named at intake, else the leader of the
    village's organisation of the matter's area, else the centre's director, else the village's
    one ``village_cadre`` (L282); with ``pair_joint = "always"`` the village's paired urban
    community joins (会办, L273). ``township``: the village's township and its one
    ``township_cadre`` (乡镇党委政府领导, L270); unless ``pair_joint = "never"``, the township's
    paired subdistrict joins. Returns an ``Assignment`` (None outside the two tiers)."""
    joint = ctx.settings["pair_joint"]
    if level == "centre":
        village = case.origin_unit or case.unit
        handler = case.extra.get("member")
        if not handler and case.category in ORG_AREAS:
            org = service.org(ctx, village, case.category)
            handler = org["leader"] if org else None
        if not handler:
            row = service.centre(ctx, village)
            handler = row["director"] if row else None
        if not handler:
            cadres = ctx.people.find(unit=village, role="village_cadre")
            handler = cadres[0].id if len(cadres) == 1 else None
        partner = service.partner_of(ctx, village) if joint == "always" else None
        return Assignment(unit=village, handler=handler, joint_unit=partner,
                          note="服务中心归口服务组织办理" if handler else None)
    if level == "township":
        township = ctx.ancestor(case.origin_unit or case.unit, "township")
        if township is None:
            return None
        cadres = ctx.people.find(unit=township.code, role="township_cadre")
        partner = service.partner_of(ctx, township.code) if joint != "never" else None
        return Assignment(unit=township.code, handler=cadres[0].id if len(cadres) == 1 else None,
                          joint_unit=partner, note="报乡镇党委政府，帮联街道会办" if partner else "报乡镇党委政府")
    return None


def deadline(ctx, case, level, arrived_at):
    """``centre``: ``centre_days`` (7) days from arrival, milestone ``close``, on a miss up to
    the township at the next sweep. ``township``: ``township_days`` (10) days from its arrival
    (the sweep's instant), milestone ``reply``, then flagged 督办. Days by ``day_kind``
    (calendar, or working days with 调休), ending 23:59:59 local, through ``ctx.calendar``
    only. The source sets no limit (methods.md §2.11): both numbers are the plugin's. A
    setting of 0: no milestone (None). Returns a ``Deadline``."""
    if level == "centre":
        days = ctx.settings["centre_days"]
        if not days:
            return None
        due = day_due(ctx, arrived_at, days)
        return Deadline([Milestone("close", due, action="escalate", to_level="township", primary=True,
                                   note="服务中心限时办结（本插件设定）")])
    if level == "township":
        days = ctx.settings["township_days"]
        if not days:
            return None
        due = day_due(ctx, arrived_at, days)
        return Deadline([Milestone("reply", due, action="flag", primary=True, note="乡镇限时办结（本插件设定）")])
    return None

