"""zouqian's bound stages: intake (the three-level platform takes a problem at any hour),
triage (common problems by topic, L337), assignment (the 居村 / 街镇 / district with the paired
cadre, bureau or leader, L329) and deadline (each tier's time, then 上报; the district flags).
Casebook L329–L337.
"""

from __future__ import annotations

from framework import Assignment, CountyError, Deadline, IntakeResult, Milestone, TriageResult, structure_extra

from .rules import JUNCUN_LEVELS, LEVEL_TIER, NAME, TIER_ZH

DAY_UNIT_ZH = {"calendar_days": "天", "working_days": "个工作日"}


def level_ancestor(ctx, code: str, levels) -> str | None:
    """The nearest unit at one of ``levels`` from ``code`` up (itself included), else None."""
    for c in ctx.ancestors(code):
        if ctx.units[c].level in levels:
            return c
    return None


def active_pairings(ctx, kind: str, *, a: str | None = None, b: str | None = None) -> list[dict]:
    """Pairings of ``kind`` not ended, optionally with side ``a`` / ``b``, oldest first."""
    sql, params = "select * from zouqian_pairings where kind = ? and ended is null", [kind]
    if a is not None:
        sql, params = sql + " and a = ?", params + [a]
    if b is not None:
        sql, params = sql + " and b = ?", params + [b]
    return ctx.db.query(sql + " order by id", params)


def first_person(ctx, unit: str | None, role: str) -> str | None:
    """The id of the first person (by id) of ``unit`` holding ``role``, else None."""
    if unit is None:
        return None
    people = sorted(p.id for p in ctx.people.find(unit=unit, role=role))
    return people[0] if people else None


# -- intake ---------------------------------------------------------------------------------
def intake(ctx, case, fields: dict) -> IntakeResult:
    """The three-level platform takes a problem in at any hour (接收问题全天候, L335) at a 居村
    (village, community, or a group/grid under one), a 街镇 or the district (county, department).

    Fields (rules.ZouqianExtra): ``topic`` (text, trimmed; groups recurring problems, L337),
    ``visit`` (the id of a recorded visit that found it, 直接发现问题 L333), ``on_the_spot``
    (yes/no: solved there by the visiting cadre, 直接解决问题 L333 — the case is settled at its
    starting tier and awaits its rating). The starting tier is the intake unit's level
    (rules.LEVEL_TIER). Returns IntakeResult(extra, level, settled);
    CountyError (exit 2) names ``--set visit`` when the visit is unknown, ``--unit`` for a unit
    of a level the platform does not span."""
    extra = structure_extra(ctx.method, fields)
    if extra.get("topic") is not None:
        extra["topic"] = str(extra["topic"]).strip() or None
        if extra["topic"] is None:
            del extra["topic"]
    if extra.get("visit") is not None and not ctx.db.query("select id from zouqian_visits where id = ?",
                                                           [extra["visit"]]):
        raise CountyError(f"--set visit: no visit {extra['visit']} (record it with county zouqian visit)")
    level = LEVEL_TIER.get(ctx.unit(case.unit).level)
    if level is None:
        raise CountyError(f"--unit {case.unit}: the 走千听万 platform spans 居村, 街镇 and the district "
                          f"(L335), not a unit of level {ctx.unit(case.unit).level!r}")
    spot = bool(extra.pop("on_the_spot", False))
    if spot:
        extra["on_the_spot"] = True
    return IntakeResult(extra=extra, level=level, settled=spot,
                        note="走访中当场解决（直接解决问题，L333）" if spot else None)


# -- triage ---------------------------------------------------------------------------------
def triage(ctx, case) -> TriageResult | None:
    """个别解决与批量解决相结合 (L337): a problem whose ``topic`` is shared by at least
    ``batch_threshold`` (3) open zouqian problems, itself included, is a common problem
    (共性问题): extra ``common`` = True and a note; when an open batch (county zouqian batch) has
    that topic, extra ``batch`` = its id, so the operator links it (``batch add``). None for a
    problem without a topic or below the threshold and without a batch."""
    topic = (case.extra or {}).get("topic")
    if not topic:
        return None
    same = ctx.cases.count(method=NAME, open=True, extra={"topic": topic}) + 1
    batch = ctx.db.query("select id, policy from zouqian_batches where topic = ? and solved_at is null "
                         "order by id limit 1", [topic])
    extra, notes = {}, []
    if same >= ctx.settings["batch_threshold"]:
        extra["common"] = True
        notes.append(f"共性问题：话题“{topic}”已有{same}件未办结，宜集中研究、政策破题、批量解决（L337）")
    if batch:
        extra["batch"] = batch[0]["id"]
        notes.append(f"已有批量解决批次{batch[0]['id']}（{batch[0]['policy'] or topic}）")
    if not extra:
        return None
    return TriageResult(note="；".join(notes), extra=extra)


# -- assignment -----------------------------------------------------------------------------
def own_tier(ctx, level: str | None) -> str | None:
    """``level`` as one of zouqian's tiers: itself, else by the unit level serving that tier in an
    enabled method's chain (rules.LEVEL_TIER; departments excepted), else None."""
    if level is None or level in TIER_ZH:
        return level
    for name in ctx.methods:
        tier = ctx.method_info(name).tier(level)
        if tier is not None:
            return LEVEL_TIER.get(tier.level) if tier.level != "department" else None
    return None


def assign(ctx, case, level) -> Assignment | None:
    """Who handles the problem at ``level`` (L329 六个结对, L335 三级平台):

    * ``juncun``: the 居村 (the intake unit's nearest village/community), its first person with
      role ``juncun_cadre``; jointly (会办) the district cadre paired with that 居村
      (``cadre_juncun``, oldest pairing) — 直接解决问题 (L333);
    * ``jiezhen``: the 街镇 above, its first ``town_cadre``; jointly the bureau paired with the
      街镇 (``bureau_town``);
    * ``district``: the county, handled by the member of the four leadership bodies paired with
      the 街镇 (``leader_town``), else the county's first ``platform_office`` person.

    On another method's chain (``[bindings] zouqian.deadline``) the kernel asks this hook at intake
    (and at later tiers only when zouqian's chain has a tier of that name): the tier is read by the
    unit level that serves it (village/community → ``juncun``, township → ``jiezhen``, county →
    ``district``).
    Returns Assignment (unit, handler, joint pair), or None for a tier served by another level
    (the kernel's default)."""
    level = own_tier(ctx, level)
    if level == "juncun":
        unit = level_ancestor(ctx, case.unit, JUNCUN_LEVELS) or case.unit
        cadre = active_pairings(ctx, "cadre_juncun", b=unit)
        return Assignment(unit=unit, handler=first_person(ctx, unit, "juncun_cadre"),
                          joint_handler=cadre[0]["a"] if cadre else None,
                          note="居村办理" + (f"，结对干部{ctx.people[cadre[0]['a']].name}会办" if cadre else ""))
    if level == "jiezhen":
        unit = level_ancestor(ctx, case.unit, ("township",))
        if unit is None:
            return None
        bureau = active_pairings(ctx, "bureau_town", b=unit)
        return Assignment(unit=unit, handler=first_person(ctx, unit, "town_cadre"),
                          joint_unit=bureau[0]["a"] if bureau else None,
                          note="上报街镇" + (f"，结对部门{ctx.units[bureau[0]['a']].name}会办" if bureau else ""))
    if level == "district":
        unit = level_ancestor(ctx, case.unit, ("county",)) or ctx.roots()[0].code
        town = level_ancestor(ctx, case.unit, ("township",))
        leader = active_pairings(ctx, "leader_town", b=town) if town else []
        handler = leader[0]["a"] if leader else first_person(ctx, unit, "platform_office")
        return Assignment(unit=unit, handler=handler, note="上报区级平台" + ("，结对区领导督办" if leader else ""))
    return None


# -- deadline -------------------------------------------------------------------------------
def tier_days(ctx, level: str) -> int:
    """The setting holding ``level``'s day count (``juncun_days``, ``jiezhen_days``, ``district_days``)."""
    return ctx.settings[f"{level}_days"]


def deadline(ctx, case, level, arrived_at) -> Deadline | None:
    """The tier's time limit from ``arrived_at`` (aware, local), in ``day_unit`` (working days
    by default: China's calendar with 调休; both units end 23:59:59 local on the Nth day after
    the local arrival date): ``juncun`` ``juncun_days`` (5) then escalate to the 街镇 (上报问题,
    L331); ``jiezhen`` ``jiezhen_days`` (10) then escalate to the district; ``district``
    ``district_days`` (15) then flagged (督办, L335). One primary milestone ``solve``; extra
    ``time_limit`` (e.g. "5个工作日"). None for a level that is not zouqian's. CountyError names a
    bad ``day_unit``."""
    if level not in TIER_ZH:
        return None
    unit = ctx.settings["day_unit"]
    if unit not in DAY_UNIT_ZH:
        raise CountyError(f"[plugins.{NAME}] day_unit = {unit!r}: use one of {', '.join(DAY_UNIT_ZH)}")
    n = tier_days(ctx, level)
    due = ctx.calendar.due(arrived_at, n, unit)
    limit = f"{n}{DAY_UNIT_ZH[unit]}"
    if level == "district":
        return Deadline([Milestone("solve", due, action="flag", primary=True, note=f"区级平台{limit}内办结，逾期督办")],
                        extra={"time_limit": limit})
    up = "jiezhen" if level == "juncun" else "district"
    return Deadline([Milestone("solve", due, action="escalate", to_level=up, primary=True,
                               note=f"{TIER_ZH[level]}{limit}内办结，解决不了的上报{TIER_ZH[up]}")],
                    extra={"time_limit": limit})
