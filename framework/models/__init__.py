"""The kernel's records (attrs) and the one cattrs converter that turns them into JSON and back.

Every instant is an aware :class:`datetime.datetime`; the converter writes it as ISO 8601 with
its offset (conventions §2). Method-specific case fields live in ``Case.extra``: a plain dict in
storage, validated and typed by the owning plugin's ``MethodInfo.extra_type`` (an attrs class).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import cattrs

from framework.models.rules import BINDABLE_STAGES, StageRule, _check_stage_rules, _names  # noqa: F401
from framework.models.signoff import Attachment, SignOff, SignOffParty, attachments_label, signoff_label  # noqa: F401

STATUSES = ("registered", "assigned", "in_progress", "escalated", "resolved", "confirmed", "closed", "rejected")
OPEN_STATUSES = ("registered", "assigned", "in_progress", "escalated")
DONE_STATUSES = ("resolved", "confirmed", "closed")
SATISFACTION = ("satisfied", "basically", "unsatisfied")
SATISFACTION_ZH = {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"}
#: Level codes the 满意率 counts as satisfied when a scale does not say (``SatisfactionScale.good``).
GOOD_SATISFACTION = ("very_satisfied", "satisfied", "basically")
#: How a milestone's instant is timed (``Milestone.anchor``): from the arrival at the tier (the
#: default, due after it), or before a later event (a notice N days before a meeting).
ANCHORS = ("arrival", "before")
STATUS_ZH = {
    "registered": "已登记",
    "assigned": "已交办",
    "in_progress": "办理中",
    "escalated": "已上报",
    "resolved": "已办结",
    "confirmed": "已确认",
    "closed": "已关闭",
    "rejected": "不予受理",
}
STAGES = ("intake", "triage", "assignment", "deadline", "publicity", "appraisal")
MISS_ACTIONS = ("escalate", "flag", "none")


@attrs.frozen
class Unit:
    """A node of the administrative tree (单位). ``level`` is one of conventions §1's levels
    or a method-specific one (e.g. ``ledger_office``). Frozen, so hashable: a unit may be put
    in a set or used as a dict key (nothing changes a Unit; the tree is re-read on import)."""

    code: str
    name: str
    level: str
    parent: str | None = None


@attrs.define
class Person:
    """A person who can handle cases (责任人/承办人): cadre, agent, skilled member, grid worker."""

    id: str
    name: str
    unit: str
    roles: list[str] = attrs.Factory(list)
    skills: list[str] = attrs.Factory(list)
    phone: str | None = None


@attrs.define
class Requester:
    """Who raised the case (诉求人/委托人). Stored in full, masked on every public output
    (conventions §3). ``anonymous`` is the requester's wish not to be named anywhere public."""

    name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    address: str | None = None
    anonymous: bool = False


@attrs.define
class Event:
    """One appended change to a case. ``type`` is e.g. ``registered``, ``assigned``,
    ``escalated``, ``overdue``, ``resolved``, ``confirmed``, or a plugin's own (``deliberated``)."""

    at: dt.datetime
    type: str
    actor: str
    level: str | None = None
    note: str | None = None
    data: dict[str, Any] = attrs.Factory(dict)


@attrs.define
class Case:
    """One tracked item (事项/诉求): a ledger entry, a service request, an errand, a topic.

    ``level`` is the case's current tier (a tier name of its method's chain). ``due_at`` is the
    primary due instant of that tier, or None when the rule gives none. ``satisfaction`` is the
    requester's latest rating (a level code of the method's :class:`SatisfactionScale`; it
    stays on a case its rating reopened). ``lead_id``: the lead case it is linked to;
    ``joint_unit`` / ``joint_handler``: who handles it jointly with ``unit`` / ``handler``.
    """

    id: str
    method: str
    title: str
    unit: str
    level: str | None = None
    status: str = "registered"
    channel: str | None = None
    category: str | None = None
    description: str | None = None
    handler: str | None = None
    priority: str | None = None
    created_at: dt.datetime | None = None
    tier_arrived_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    resolved_level: str | None = None
    satisfaction: str | None = None
    requester: Requester = attrs.Factory(Requester)
    source_id: str | None = None
    extra: dict[str, Any] = attrs.Factory(dict)
    events: list[Event] = attrs.Factory(list)
    #: The unit that took the case in (kept by the kernel; ``unit`` is where it is now).
    origin_unit: str | None = None
    #: The lead case this one is linked to (批量办理: ``ctx.actions.link``), or None.
    lead_id: str | None = None
    #: The joint unit and person (会办) beside ``unit``/``handler`` (``Assignment.joint_*``).
    joint_unit: str | None = None
    joint_handler: str | None = None
    #: Sign-off progress and attachments (§12.6/§12.7): filled by ``ctx.cases.get`` only.
    signoff: SignOff | None = None
    attachments: list[Attachment] = attrs.Factory(list)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@attrs.define
class Tier:
    """One step of a method's escalation chain (层级).

    ``level`` is the unit level whose units serve this tier (``village``, ``township``,
    ``ledger_office``…); ``rule`` is the source rule in words; ``source`` the casebook line.
    ``by_command_only``: the operator's plain ``county case escalate`` and the sweep never move a
    case into this tier; only the method's own command does (by naming the tier).
    ``holder``: the role of the one person of a unit of this level who handles the tier's cases
    (taizhang's village: ``village_party_secretary``), when the method assigns that way —
    ``county init`` and ``county config check`` then warn of a unit with none or several.
    """

    name: str
    title_zh: str
    level: str
    rule: str = ""
    source: str = ""
    by_command_only: bool = False  # reached only through the method's own command (xiangkai's 督办通知书)
    holder: str = ""


@attrs.define
class Setting:
    """A plugin setting with its default and what it means (shown by ``county plugins show``).

    ``county init`` and ``county config check`` check a deployment's value against it:
    ``choices`` (the allowed values, e.g. ``("arrival", "after_reply")``; empty: any value of
    the right type); ``types`` (the allowed Python types; empty: the default's type — a whole
    number for an int default, a number for a float one, text, true/false, a list, a table);
    ``minimum`` / ``maximum`` for numbers (defaults 0 and 100,000: no rule of the casebook
    counts further, and a day count past that would overflow every due date); ``check``, for
    what those cannot say (a table's keys, a list's items): a function of the value returning
    None when it is good, else the reason as one line (``"keys must be satisfaction levels:
    'basicaly'"``), run after the type check."""

    name: str
    default: Any
    description: str = ""
    choices: tuple = ()
    types: tuple = ()
    minimum: float | None = 0
    maximum: float | None = 100_000
    check: Any = None  # Callable[[value], str | None]


def _levels(value) -> tuple[tuple[str, str], ...]:
    return tuple((str(code), str(label)) for code, label in value)


@attrs.frozen
class SatisfactionScale:
    """A method's satisfaction scale (满意度) and which ratings close a resolved case.

    ``levels``: ``((code, Chinese label), …)``, best first; ``closes``: the codes whose
    confirmation closes the case (default: every level — conventions §1's rule); a rating not
    in ``closes`` **reopens** the case at the tier, unit and handler that resolved it, with a new
    deadline (``reopened`` event). ``good``: the codes the common 满意率 counts as satisfied
    (default: those among ``very_satisfied``, ``satisfied``, ``basically``). The default scale
    is conventions §1's three levels, all closing, 满意率 = (satisfied + basically) / rated.
    Raises ValueError (the plugin is then broken) for no levels, a repeated code or label, or a
    ``closes``/``good`` code that is not a level.
    """

    levels: tuple[tuple[str, str], ...] = attrs.field(default=tuple(SATISFACTION_ZH.items()), converter=_levels)
    closes: tuple[str, ...] = attrs.field(
        default=attrs.Factory(lambda s: tuple(c for c, _ in s.levels), takes_self=True), converter=_names)
    good: tuple[str, ...] = attrs.field(
        default=attrs.Factory(lambda s: tuple(c for c, _ in s.levels if c in GOOD_SATISFACTION), takes_self=True),
        converter=_names)

    def __attrs_post_init__(self):
        codes, labels = self.codes, [lb for _, lb in self.levels]
        if not codes:
            raise ValueError("SatisfactionScale needs at least one level (code, Chinese label)")
        if len(set(codes)) != len(codes) or len(set(labels)) != len(labels):
            raise ValueError(f"SatisfactionScale: a level code or label repeats ({', '.join(codes)})")
        for what, names in (("closes", self.closes), ("good", self.good)):
            for n in names:
                if n not in codes:
                    raise ValueError(f"SatisfactionScale.{what}: {n!r} is not a level ({', '.join(codes)})")

    @property
    def codes(self) -> tuple[str, ...]:
        """The level codes, best first."""
        return tuple(c for c, _ in self.levels)

    @property
    def reopens(self) -> bool:
        """Whether some rating of this scale reopens a case (``closes`` leaves a level out)."""
        return set(self.closes) != set(self.codes)

    def label(self, code: str) -> str:
        """The Chinese label of level ``code`` (the code itself when unknown)."""
        return dict(self.levels).get(code, code)

    def code(self, value: str) -> str | None:
        """The level code of ``value`` given as its code or its Chinese label (满意), else None."""
        v = str(value).strip()
        return next((c for c, lb in self.levels if v in (c, lb)), None)

    def closing(self, code: str) -> bool:
        """Whether a confirmation rated ``code`` closes the case (False: it reopens it)."""
        return code in self.closes


def _check_scale(_instance, _attribute, value) -> None:
    if not isinstance(value, SatisfactionScale):
        raise TypeError(f"MethodInfo.satisfaction must be a SatisfactionScale, not {type(value).__name__}")


@attrs.define
class MethodInfo:
    """What a method plugin declares up front (design-notes §7).

    ``stages`` are the kernel stages it implements; ``channels`` and ``categories`` map codes
    to Chinese labels; ``tiers`` is its escalation chain, lowest first (may be empty);
    ``extra_type`` is the attrs class of its ``Case.extra`` (or None for free-form);
    ``stage_rules`` says, per bindable stage, how ``[bindings]`` may compose it with other
    methods (:class:`StageRule`; a stage left out: any binding); ``satisfaction`` is its
    :class:`SatisfactionScale` (default: conventions §1's three levels, every one closing).
    """

    name: str
    title_zh: str
    title: str
    source_county: str
    source_lines: str
    version: str = "0.1.0"
    stages: tuple[str, ...] = ()
    channels: dict[str, str] = attrs.Factory(dict)
    categories: dict[str, str] = attrs.Factory(dict)
    tiers: list[Tier] = attrs.Factory(list)
    roles: dict[str, str] = attrs.Factory(dict)
    settings: list[Setting] = attrs.Factory(list)
    extra_type: type | None = None
    stage_rules: dict[str, StageRule] = attrs.field(factory=dict, validator=_check_stage_rules)
    #: Chinese names of the method's own event types (``{"replied": "乡镇答复"}``), shown beside
    #: the code wherever an operator reads a case's events (``county case show``).
    event_labels: dict[str, str] = attrs.Factory(dict)
    #: The requester's rating scale and which ratings close a resolved case (the rest reopen it).
    satisfaction: SatisfactionScale = attrs.field(factory=SatisfactionScale, validator=_check_scale)
    #: False lets a case close with an incomplete sign-off (§12.6; default: the gate holds).
    signoff_gate: bool = True

    def tier(self, name: str | None) -> Tier | None:
        return next((t for t in self.tiers if t.name == name), None)

    def next_tier(self, name: str | None) -> Tier | None:
        names = [t.name for t in self.tiers]
        if name not in names:
            return None
        i = names.index(name)
        return self.tiers[i + 1] if i + 1 < len(self.tiers) else None

    def defaults(self) -> dict[str, Any]:
        return {s.name: s.default for s in self.settings}


# -- stage results -------------------------------------------------------------------


@attrs.define
class IntakeResult:
    """What the intake hook returns: validated ``extra``, the starting tier (``level``; None
    means the first tier of the chain), and ``settled`` when the case was settled on the spot
    (当场办结: it is resolved at intake and gets no deadline)."""

    extra: dict[str, Any] = attrs.Factory(dict)
    level: str | None = None
    settled: bool = False
    note: str | None = None


@attrs.define
class TriageResult:
    """What the triage hook returns: the category (ledger, group, class…), a priority, and
    optionally a tier to start at. None fields leave the case's value as it is."""

    category: str | None = None
    priority: str | None = None
    level: str | None = None
    note: str | None = None
    extra: dict[str, Any] = attrs.Factory(dict)


@attrs.define
class Assignment:
    """What the assignment hook returns: the unit that handles the case at its tier and the
    responsible person (handler id), either may be None to keep the current one.

    ``joint_unit`` / ``joint_handler``: a unit and/or person handling the case jointly (会办,
    e.g. a village paired with a county department) beside the lead ``unit``/``handler``, who
    answers for the deadline. Each time the hook runs they replace the case's (None clears
    them: escalation drops the joint pair unless the hook names one again); a joint handler
    without a joint unit brings their own unit."""

    unit: str | None = None
    handler: str | None = None
    note: str | None = None
    extra: dict[str, Any] = attrs.Factory(dict)
    joint_unit: str | None = None
    joint_handler: str | None = None


@attrs.define
class Milestone:
    """One due instant of a tier and what missing it means.

    ``action``: ``escalate`` (move to ``to_level``), ``flag`` (record an overdue flag, 督办, and
    stay) or ``none``. Exactly one milestone of a deadline is ``primary``: its instant is the
    case's ``due_at``.

    ``anchor``: ``arrival`` (default) — timed from the arrival at the tier, so it must fall
    after it; ``before`` — timed before a later event (a notice N days before a meeting): it may
    fall before the other milestones and even at or before the arrival, in which case it is due
    at once (the next sweep applies it).
    """

    name: str
    due_at: dt.datetime
    action: str = "escalate"
    to_level: str | None = None
    primary: bool = False
    note: str | None = None
    anchor: str = "arrival"


@attrs.define
class Deadline:
    """What the deadline hook returns for a case arriving at a tier: its milestones (empty means
    no due instant) and any ``extra`` fields to record (e.g. ``reply_due_at``)."""

    milestones: list[Milestone] = attrs.Factory(list)
    extra: dict[str, Any] = attrs.Factory(dict)

    @property
    def primary(self) -> Milestone | None:
        return next((m for m in self.milestones if m.primary), None)


@attrs.define
class BoardSection:
    """One table of a board: ``columns`` is a list of ``(key, Chinese label)``; ``rows`` are
    raw dicts (the kernel masks them before any renderer sees them)."""

    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]] = attrs.Factory(list)


@attrs.define
class Board:
    """One public posting (公示栏/晒账) of a method for a unit and a period."""

    method: str
    title: str
    unit: str
    period: str
    sections: list[BoardSection] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)


@attrs.define
class Metric:
    """One appraisal figure: ``value`` is ``numerator/denominator`` for rates (None when the
    denominator is 0), or a score. ``subject`` is a unit code, person id or method name."""

    metric: str
    subject: str
    subject_kind: str = "unit"
    method: str | None = None
    period: str | None = None
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    label: str | None = None
    tier: str | None = None


def rate(metric: str, subject: str, num: float, den: float, **kw) -> Metric:
    """A rate metric; ``value`` is None (shown as "—") when ``den`` is 0."""
    return Metric(metric=metric, subject=subject, numerator=num, denominator=den,
                  value=(num / den if den else None), **kw)


@attrs.define
class Duty:
    """A recurring duty due on a date (design-notes §4): a patrol, a visit, a meeting, a check."""

    method: str
    unit: str
    kind: str
    title: str
    due_on: dt.date
    done: bool = False
    subject: str | None = None


# -- the one converter ---------------------------------------------------------------

converter = cattrs.Converter()
converter.register_unstructure_hook(dt.datetime, lambda v: v.isoformat())
converter.register_structure_hook(
    dt.datetime, lambda v, _: v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v)
)
converter.register_unstructure_hook(dt.date, lambda v: v.isoformat())
converter.register_structure_hook(
    dt.date, lambda v, _: v if isinstance(v, dt.date) else dt.date.fromisoformat(v)
)
converter.register_unstructure_hook(type, lambda v: f"{v.__module__}.{v.__qualname__}")


def _str_to_bool(v, _):
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("1", "true", "yes", "y", "是", "on"):
        return True
    if s in ("0", "false", "no", "n", "否", "off", ""):
        return False
    raise ValueError(f"not a yes/no value: {v!r}")


converter.register_structure_hook(bool, _str_to_bool)


def to_json(obj: Any) -> Any:
    """Unstructure any kernel record (or list/dict of them) to JSON-ready data."""
    return converter.unstructure(obj)
