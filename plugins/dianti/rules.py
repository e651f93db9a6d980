"""dianti's constants and source facts (casebook L63–103): settings, channels, the standard
groups, the three cultivations, the three centres, the window rota's weekdays, and the rule
that the centres belong to a village (L77).
"""

from __future__ import annotations

import attrs

from framework import CountyError, Setting


def _scores_problem(scores: dict) -> str | None:
    """Why a ``satisfaction_scores`` table is wrong: its keys must be the kernel's satisfaction
    levels (satisfied, basically, unsatisfied) and its scores whole numbers 1–5, the scale of
    ``dianti rate``; None when it is right."""
    unknown = [k for k in scores if k not in ("satisfied", "basically", "unsatisfied")]
    if unknown:
        return f"keys must be satisfaction levels (satisfied, basically, unsatisfied): {', '.join(map(repr, unknown))}"
    bad = [k for k, v in scores.items() if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 5]
    if bad:
        return f"scores must be whole numbers 1–5: {', '.join(f'{k} = {scores[k]!r}' for k in bad)}"
    return None


SETTINGS = [
    Setting("board_period", "month",
            "cadence of the 点题服务公开栏: month, quarter or year (L83 says only 定期 'regularly')",
            choices=("month", "quarter", "year")),
    Setting("satisfaction_scores", {"satisfied": 5, "basically": 3, "unsatisfied": 1},
            "score (1–5) a kernel confirmation counts as when a service has no `dianti rate` rating",
            check=_scores_problem),
    Setting("good_score", 4, "a service scored at least this (1–5) counts as well rated (好评) in the quarterly evaluation",
            minimum=1, maximum=5),
    Setting("award_min_group_services", 3, "优质服务小组: a group needs at least N rated services in the year"),
    Setting("award_min_project_ratings", 3, "优秀服务项目: a service needs at least N villagers' ratings"),
    Setting("award_min_star_services", 3, "服务明星: a member needs at least N rated services in the year"),
]

ROLES = {"skilled_member": "能人服务中心成员（能人）", "party_member": "党员",
         "group_leader": "服务小组组长（能人党员）", "village_cadre": "村干部（协调中心窗口坐班）",
         "supervisor": "村监事会成员（服务监督中心的主体）",
         "notable": "知名人士（吸收参加服务监督中心）"}

#: Who may sit on the coordination centre's window rota (村干部轮流坐班, L81): a cadre of the
#: village itself. ``village_party_secretary`` (taizhang's role) is a village cadre too.
CADRE_ROLES = ("village_cadre", "village_party_secretary")
#: The supervision centre's stated make-up (L83: 以村监事会成员为主体，吸收部分知名人士参加):
#: members of the village's supervisory board (role ``supervisor``, of that village) as its
#: main body — more than half of its members — and some notables (role ``notable``).
SUPERVISION_CAPACITIES = {"board": "村监事会成员", "notable": "知名人士"}
#: A centre member's role, as an operator reads it.
CENTRE_ROLES_ZH = {"leader": "负责人", "member": "成员"}

CHANNELS = {
    "window": "群众服务需求登记窗口",  # L81: fixed-place window, village cadres on rota
    "letters_visits": "群众来信来访登记",  # L103
}

#: The five standard groups of L79 (codes used as ``--category`` / ``group``).
STANDARD_GROUPS = {
    "technical": "技术服务小组",
    "legal": "法律咨询小组",
    "mediation": "纠纷调解小组",
    "patrol": "治安巡逻小组",
    "poverty": "扶贫帮困小组",
}

#: 三个培养 (L79, L87): track -> (Chinese, who may be on it: party member?)
CULTIVATIONS = {
    "activist": ("能人培养为入党积极分子", False),
    "capable": ("党员培养为致富能人", True),
    "reserve_cadre": ("能人党员培养为村级后备干部", True),
}
CULTIVATION_STATUSES = {"in_training": "培养中", "achieved": "已培养成"}
CENTRES = {
    "skilled": "能人服务中心",
    "coordination": "服务协调中心",
    "supervision": "服务监督中心",
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
#: Board cadences (setting ``board_period``).
CADENCES = ("month", "quarter", "year")
#: Unit levels that hold the three centres (L77: the village's).
VILLAGE_LEVELS = ("village", "community")

#: ``extra`` fields the plugin fills in itself (refused in ``--set``).
COMPUTED = ("window_cadre", "group_name", "group_leader", "routed_by", "matched_skill")
ASSIGNMENT_RULE = "技能匹配 → 在办事项最少 → 能人档案顺序 (skill match, then fewest open cases, then register order)"


@attrs.define
class DiantiExtra:
    """The service-need registration (群众服务需求登记, L81/L83). All optional text.

    ``service`` the service asked for (点题内容; default the title); ``skill`` the skill needed;
    ``group`` the service group the coordination centre decides (a group code of the village);
    ``requirement`` the service requirement it sets (服务要求); ``target`` who is to be served
    (服务对象); ``service_date`` the committed service date (YYYY-MM-DD, local) — the only due
    instant the method knows. The rest is filled in by the plugin.
    """

    service: str | None = None
    skill: str | None = None
    group: str | None = None
    requirement: str | None = None
    target: str | None = None
    service_date: str | None = None
    window_cadre: str | None = None  # 坐班村干部 on the window that day (rota)
    group_name: str | None = None
    group_leader: str | None = None
    routed_by: str | None = None  # group / skill / keyword / member_skill / operator
    matched_skill: str | None = None


# -- the village a unit belongs to (the centres are the village's, L77) ------------------------


def village_of(ctx, unit_code: str) -> str:
    """The village (村) a unit belongs to: its nearest ``village`` or ``community`` ancestor
    (itself included); the unit itself when there is none. ``unit_code``: a unit code; returns
    a unit code."""
    units = ctx.units
    for level in VILLAGE_LEVELS:
        cur = units.get(unit_code)
        while cur is not None:
            if cur.level == level:
                return cur.code
            cur = units.get(cur.parent) if cur.parent else None
    return unit_code


def villages_in(ctx, unit: str | None) -> list[str]:
    """Village (or community) codes of ``unit``'s subtree, or its village when ``unit`` lies
    below one; all villages when ``unit`` is None. Sorted by code."""
    units = ctx.units
    codes = ctx.subtree(unit) if unit else list(units)
    out = sorted(c for c in codes if units[c].level in VILLAGE_LEVELS)
    if not out and unit:
        v = village_of(ctx, unit)
        if units[v].level in VILLAGE_LEVELS:
            out = [v]
    return out


def require_village(ctx, unit: str, what: str) -> str:
    """``unit`` if it is a village (村) or community (社区): the centres are the village's (L77).
    NotFound for an unknown unit; CountyError naming ``what`` (the option or source) otherwise."""
    u = ctx.unit(unit)
    if u.level not in VILLAGE_LEVELS:
        raise CountyError(f"{what}: unit {unit!r} is a {u.level}; the service centres belong to a village or community")
    return unit


def _where(ctx, unit_code: str) -> str:
    """``华丰村 (sn.th.hf)``: a unit's name and code, for messages."""
    u = ctx.units.get(unit_code)
    return f"{u.name} ({unit_code})" if u is not None else unit_code


def cadre_problem(ctx, village: str, person) -> str | None:
    """Why ``person`` (a Person) may not sit on ``village``'s window rota (村干部轮流坐班, L81),
    or None when they may: they must be of that village (their unit in its subtree) and hold a
    cadre role (:data:`CADRE_ROLES`). The reason names what is wrong, both when both are."""
    why = []
    home = village_of(ctx, person.unit)
    if home != village:
        why.append(f"belongs to {_where(ctx, home)}")
    if not any(r in person.roles for r in CADRE_ROLES):
        why.append("has no role village_cadre")
    return " and ".join(why) or None


def supervision_capacity(ctx, village: str, person) -> str | None:
    """In what capacity ``person`` (a Person) may sit on ``village``'s supervision centre
    (L83): ``board`` — a member of that village's supervisory board (role ``supervisor``, unit
    in the village); ``notable`` — a notable (role ``notable``, from anywhere); None otherwise."""
    if "supervisor" in person.roles and village_of(ctx, person.unit) == village:
        return "board"
    if "notable" in person.roles:
        return "notable"
    return None


def supervision_problem(ctx, village: str, person) -> str:
    """Why ``person`` may not sit on ``village``'s supervision centre (for when
    :func:`supervision_capacity` is None)."""
    if "supervisor" in person.roles:
        return (f"is on the supervisory board of {_where(ctx, village_of(ctx, person.unit))}, not of "
                f"{_where(ctx, village)}, and has no role notable")
    return "has neither role supervisor (村监事会成员) nor role notable (知名人士)"


def group_of(case) -> str | None:
    """The service group a case is credited to: the one the coordination centre routed it to
    (``extra.group``, set by triage or ``county dianti route``), else its category."""
    return case.extra.get("group") or case.category


# -- parsing helpers ------------------------------------------------------------------------


def split_list(value) -> list[str]:
    """A list of strings from a list, or from text separated by , ; ， ； 、 (blanks dropped)."""
    if isinstance(value, (list, tuple)):
        return [str(x).strip() for x in value if str(x).strip()]
    text = str(value or "")
    for sep in ("；", "，", "、", ";"):
        text = text.replace(sep, ",")
    return [x.strip() for x in text.split(",") if x.strip()]


def parse_bool(value, what: str) -> bool:
    """yes/no, 1/0, true/false, 是/否, 党员/群众 (empty = no); CountyError naming ``what``."""
    s = str(value if value is not None else "").strip().lower()
    if s in ("1", "true", "yes", "y", "是", "党员"):
        return True
    if s in ("0", "false", "no", "n", "否", "", "群众"):
        return False
    raise CountyError(f"{what}: {value!r} is not yes/no")


def parse_weekday(value: str) -> int:
    """mon..sun, 周一..周日 or 1..7 → 0 (Monday) … 6; CountyError otherwise."""
    s = str(value).strip().lower()
    if s[:3] in WEEKDAYS:
        return WEEKDAYS.index(s[:3])
    if s in WEEKDAYS_ZH:
        return WEEKDAYS_ZH.index(s)
    if s.isdigit() and 1 <= int(s) <= 7:
        return int(s) - 1
    raise CountyError(f"--weekday: {value!r} (use mon..sun, 周一..周日 or 1..7)")


#: Chinese names of this method's own event types (``county case show``).
EVENT_LABELS = {"routed": "派单", "measure": "服务措施", "supervised": "服务监督", "rated": "群众评价"}
