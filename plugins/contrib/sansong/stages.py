"""The four bound stages of sansong: intake, triage, assignment, deadline (docs/hooks.md §4).

Every rule names its casebook line (the Chinese original, L137–L142). Due instants come from
``ctx.calendar`` only: calendar days end 23:59:59 local on the Nth day after the local day of
arrival; working days follow China's statutory calendar with its make-up days (调休); hours
are exact.
"""

from __future__ import annotations

from framework import (
    Assignment, CountyError, Deadline, IntakeResult, Milestone, NotFound, TriageResult, parse_date, structure_extra,
)

from . import network
from .rules import (
    CADRE_CHANNELS, CATEGORIES, CITY_LEVEL, CATEGORY_WORDS, GRADE_OF_LEVEL, GRADES, LEAD_ROLE, NAME, PRIORITY_GROUPS,
    TIER_NAMES, TIER_ZH, code_list,
)


def _contact_cadre(ctx, hid: str, on) -> str | None:
    """The household's contact cadre on ``on``: its stationed-mode link first, then point, then
    area, each the oldest (the cadre who lives in the village hears it first, L137)."""
    order = {"stationed": 0, "point": 1, "area": 2}
    rows = [r for r in network.links(ctx, on=on) if r["household"] == hid]
    rows.sort(key=lambda r: (order[r["mode"]], r["id"]))
    return rows[0]["person"] if rows else None


def intake(ctx, case, fields):
    """受理 (L140). ``fields`` (``--set``): ``household`` (a registered household of the unit's
    village, 群众信息库), ``cadre`` (its contact cadre, a person id; default: the household's),
    ``grade`` (96333 分级承办: village / township / county / city), ``promised_on`` (the publicly
    promised completion date, 明确办结时限，作出公开承诺), ``diary`` (the diary entry it came from).

    The starting tier: channels ``cadre_contact`` / ``contact_plate`` (and a case with a cadre
    or household but no channel) start at tier ``cadre`` (直接联系的干部能解决的问题必须及时解决);
    the 96333 hotline and anything else start at its grade (分级承办), by default the level of
    the unit taking it in (a village or below → village, a township → township, the county or a
    department → county, the city → city); a consultation meeting's case at the village. A
    grade below the unit (a village grade for a case taken in at the county) is refused.
    Returns an ``IntakeResult``; ``CountyError`` naming ``--unit`` or the ``--set`` key."""
    unit = ctx.unit(case.unit)
    if unit.level not in GRADE_OF_LEVEL:
        raise CountyError(f"--unit {case.unit}: {unit.name} is a {unit.level}; a {NAME} case is taken in by a "
                          f"village, community, group, township, county or city (四级, L140)")
    extra = {k: v for k, v in structure_extra(ctx.method, fields).items() if v is not None}
    created = ctx.calendar.local(case.created_at).date()
    hh = None
    if extra.get("household"):
        hh = network.household(ctx, extra["household"])
        if hh is None:
            raise CountyError(f"--set household={extra['household']}: not registered "
                              f"(see `county {NAME} household list`)")
        if hh["unit"] not in ctx.subtree(case.unit) and case.unit not in ctx.subtree(hh["unit"]):
            raise CountyError(f"--set household={extra['household']}: the household is in "
                              f"{ctx.units[hh['unit']].name}, outside {unit.name}")
        extra["household_kind"] = hh["kind"]
    if extra.get("cadre"):
        try:
            ctx.person(extra["cadre"])
        except NotFound:
            raise CountyError(f"--set cadre={extra['cadre']}: no such person") from None
    if extra.get("diary") is not None and not ctx.db.query("select id from sansong_diary where id = ?",
                                                           [extra["diary"]]):
        raise CountyError(f"--set diary={extra['diary']}: no such diary entry (see `county {NAME} diary list`)")
    cadre_start = case.channel in CADRE_CHANNELS or (case.channel is None and ("cadre" in extra or hh))
    if cadre_start:
        if network.village_of(ctx, case.unit) is None:
            raise CountyError(f"--unit {case.unit}: a contact cadre's case is taken in within a village or "
                              f"community (L137)")
        if "cadre" not in extra and hh:
            cadre = _contact_cadre(ctx, hh["id"], created)
            if cadre:
                extra["cadre"] = cadre
        if "cadre" not in extra:
            raise CountyError("--set cadre: a case heard by a contact cadre names the cadre (or a --set household "
                              "that has one, L137)")
        start = "cadre"
    else:
        grade = extra.get("grade") or ("village" if case.channel == "consultation" else GRADE_OF_LEVEL[unit.level])
        if grade not in GRADES:
            raise CountyError(f"--set grade={grade!r}: use one of {', '.join(GRADES)} (分级承办, L140)")
        if GRADES.index(grade) < GRADES.index(GRADE_OF_LEVEL[unit.level]):
            raise CountyError(f"--set grade={grade}: {unit.name} is a {unit.level}; a case taken in there is "
                              f"handled at its own level or above (分级承办, L140)")
        extra["grade"] = grade
        start = grade
    if extra.get("promised_on"):
        promised = parse_date(extra["promised_on"], "--set promised_on")
        if promised < created:
            raise CountyError(f"--set promised_on={promised}: before the day the case is taken in ({created})")
        extra["promised_on"] = promised.isoformat()
        extra["promise_level"] = start
    elif ctx.settings["promise_required"]:
        raise CountyError("--set promised_on: every problem gets a publicly promised completion date "
                          f"(明确办结时限，作出公开承诺, L140; [plugins.{NAME}] promise_required)")
    extra["start_level"] = start
    return IntakeResult(extra=extra, level=start)


def triage(ctx, case):
    """分类 (L137, L138). Without ``--category`` the title and description are filed under one
    of the five tasks (五促进, L138) by its words (``CATEGORY_WORDS``), else 促进民生改善. A
    household of a kind in the setting ``priority_groups`` (L137: 老红军、红军失散人员、贫困户、
    信访户…) makes the case priority ``high``. Returns a ``TriageResult`` or None."""
    category = None
    if not case.category:
        text = f"{case.title} {case.description or ''}"
        category = next((code for code, words in CATEGORY_WORDS if any(w in text for w in words)), "livelihood")
    kind = (case.extra or {}).get("household_kind")
    groups = code_list(ctx.settings, "priority_groups", PRIORITY_GROUPS)
    priority = "high" if kind in groups else None
    if category is None and priority is None:
        return None
    notes = []
    if category:
        notes.append(f"归入五促进：{CATEGORIES[category]}")
    if priority:
        notes.append(f"重点联系对象：{PRIORITY_GROUPS[kind]}")
    return TriageResult(category=category, priority=priority, note="；".join(notes))


def _one(ctx, unit: str, role: str) -> str | None:
    people = ctx.people.find(unit=unit, role=role)
    return people[0].id if len(people) == 1 else None


def _city_desk(ctx, origin: str):
    """The unit serving tier ``city`` for a case taken in at ``origin``: the city linkage desk
    (level ``city_linkage``) directly under the ``city`` unit above ``origin``, else that city
    unit itself, else the deployment's only city linkage desk (a county deployment), else None."""
    city = next((ctx.units[c] for c in ctx.ancestors(origin) if ctx.units[c].level == "city"), None)
    if city is not None:
        desks = sorted(c for c in ctx.children(city.code) if ctx.units[c].level == CITY_LEVEL)
        return ctx.units[desks[0]] if desks else city
    return ctx.ancestor(origin, CITY_LEVEL)


def assignment(ctx, case, level):
    """交办 at tier ``level`` (L137, L140, L155):

    * ``cadre``: the case's contact cadre (``extra.cadre``) in the household's village;
    * ``village``: the village (community) and its one ``two_committees`` member, with the
      village's stationed cadre (the oldest stationing) as joint handler — 驻村不取代、帮扶不
      包办 (L155): the village committee leads, the work team helps;
    * ``township`` / ``county``: the unit at that level above the case (or the deployment's only
      one) and its one ``township_cadre`` / ``linkage_staff``;
    * ``city``: the city linkage desk (unit level ``city_linkage``) of the ``city`` unit above
      the case, else that city unit, else the deployment's only desk (:func:`_city_desk`), and
      its one ``linkage_staff``; no such unit: the case stays, with a note.

    Returns an ``Assignment``."""
    origin = case.origin_unit or case.unit
    if level == "cadre":
        village = network.village_of(ctx, origin)
        return Assignment(unit=village.code if village else None, handler=(case.extra or {}).get("cadre"),
                          note="联系干部直接解决（L140）")
    if level == "village":
        village = network.village_of(ctx, origin)
        if village is None:
            return Assignment(note="无所属村（社区）：留在原单位（L140）")
        today = ctx.calendar.local(ctx.now).date()
        team = [r["person"] for r in network.stations(ctx, on=today) if r["unit"] == village.code]
        return Assignment(unit=village.code, handler=_one(ctx, village.code, LEAD_ROLE["village"]),
                          joint_handler=team[0] if team else None,
                          note="村级联动：村“两委”承办，驻村工作队会办（L140, L155）")
    if level in ("township", "county", "city"):
        target = ctx.ancestor(origin, level) if level != "city" else _city_desk(ctx, origin)
        if target is None:
            return Assignment(note=f"本部署无{TIER_ZH[level]}级单位：留在原单位（L140）")
        return Assignment(unit=target.code, handler=_one(ctx, target.code, LEAD_ROLE[level]),
                          note=f"{TIER_ZH[level]}级联动（L140）")
    return None


def deadline(ctx, case, level, arrived_at):
    """时限 at tier ``level`` from ``arrived_at`` (aware). The source gives no day counts (L140):
    each tier has its setting (``cadre_days`` 7, ``village_days`` 7, ``township_days`` 15,
    ``county_days`` 30, ``city_days`` 30), counted as ``day_kind`` says. A public promise
    (``extra.promised_on`` made at this tier, 公开承诺, L140) replaces the tier's limit when it
    ends after the arrival. Milestone ``close`` (primary): missed below the city → the
    setting ``miss_action`` (escalate to the next level, 四级联动; or flag); at the city → flag
    (督办). A 96333 case gets ``feedback`` at its starting tier, ``feedback_hours`` (24) exact
    hours after intake, flagged when missed (限时反馈). Returns a ``Deadline``."""
    if level not in TIER_NAMES:
        return None
    extra = case.extra or {}
    days = ctx.settings[f"{level}_days"]
    kind = ctx.settings["day_kind"]
    if kind not in ("calendar", "working"):
        raise CountyError(f"[plugins.{NAME}] day_kind = {kind!r}: use 'calendar' or 'working'")
    due = ctx.calendar.working_days(arrived_at, days) if kind == "working" else ctx.calendar.calendar_days(
        arrived_at, days)
    note = f"{TIER_ZH[level]}：{days}{'个工作日' if kind == 'working' else '天'}"
    if extra.get("promised_on") and extra.get("promise_level") == level:
        promised = ctx.calendar.end_of_day(parse_date(extra["promised_on"], "promised_on"))
        if promised > arrived_at:
            due, note = promised, f"公开承诺 {extra['promised_on']} 前办结"
    action = "flag" if level == "city" else ctx.settings["miss_action"]
    milestones = [Milestone("close", due, action=action, primary=True, note=note)]
    if (case.channel == "hotline_96333" and level == extra.get("start_level")
            and arrived_at == case.created_at):
        milestones.append(Milestone("feedback", ctx.calendar.hours(arrived_at, ctx.settings["feedback_hours"]),
                                    action="flag", note="96333限时反馈"))
    return Deadline(milestones)
