"""The kernel's hooks (marker name ``county``, like the entry-point group and ``COUNTY_`` env).

Two kinds:

* **Bound stage hooks** (``county_intake``, ``county_triage``, ``county_assignment``,
  ``county_deadline``; ``firstresult=True``): for a given case the kernel calls exactly one
  plugin's implementation, the one the deployment binds to ``(case.method, stage)`` (default:
  the case's own method; ``[bindings]`` can give the stage to another method). A plugin never
  checks "is this case mine?". A bound plugin that does not implement the stage, or returns
  None, gets the kernel's default (documented per hook). They run inside the case's
  transaction: a hook that raises rolls the whole operation back.
* **Collecting hooks** (``county_method``, ``county_migrations``, ``county_register_commands``,
  ``county_deployment_tables``, ``county_publicity``, ``county_appraisal``, ``county_duties``, ``county_demo``): called on
  every enabled method that implements them (``county_method`` and
  ``county_register_commands``: on every *installed* one), one after the other in the
  deployment's ``methods`` order. Those returning records return a list (or None); the kernel
  checks each item's type (anything else is a PluginError), fills an empty ``method`` with the
  plugin's name and concatenates the lists.

Every hook except ``county_method``, ``county_migrations``, ``county_register_commands`` and
``county_deployment_tables`` receives ``ctx``: a :class:`framework.MethodContext` bound to the implementing plugin's method
(``ctx.method``, ``ctx.settings``, ``ctx.now``, ``ctx.calendar`` — the only source of due
instants —, the unit tree and people, the read API ``ctx.cases`` / ``ctx.events`` /
``ctx.milestones``, the write API ``ctx.actions``, the plugin's own tables ``ctx.db``).

An implementation may take any subset of a hook's arguments, by name (the kernel passes only
those it takes). Errors: raise :class:`framework.CountyError` (exit 2) or
:class:`framework.Refusal` (exit 1) with a one-line message naming the ``--set`` key or setting
at fault; they reach the operator unchanged. Any other exception becomes a
:class:`framework.PluginError` naming the plugin and the hook (exit 2).

Times: every datetime a hook receives or returns is aware, in the deployment's zone
(``[deployment] timezone``, default ``Asia/Shanghai``); periods are ``2026-11`` (month),
``2026Q4`` (quarter), ``2026H1`` / ``2026H2`` (half-year: 01-01 to 07-01, 07-01 to the next
01-01), ``2026`` (year) or ``2026-11-02`` (day), deployment-local, end exclusive.

The full reference, with examples and what each built-in method returns, is ``docs/hooks.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # annotations only (the kernel's registry imports this module)
    import datetime as dt
    from collections.abc import Callable

    import click
    from sqlite_utils.migrations import Migrations

    from framework.kernel.context import MethodContext
    from framework.kernel.deployment_tables import DeploymentTable
    from framework.models import (
        Assignment, Board, Case, Deadline, Duty, IntakeResult, MethodInfo, Metric, TriageResult, Unit,
    )

hookspec = pluggy.HookspecMarker("county")
hookimpl = pluggy.HookimplMarker("county")


# -- registration ----------------------------------------------------------------------


@hookspec
def county_method() -> MethodInfo:
    """Declare the method this plugin implements.

    Collecting; called once when the plugin is loaded (``county`` start-up, ``Registry()``),
    before any deployment is open, so it takes no ``ctx``. The kernel validates the result:
    it must be a :class:`framework.MethodInfo` whose ``name`` equals the entry-point name,
    whose ``stages`` are among ``framework.STAGES``, whose tier names do not repeat and whose
    ``extra_type`` is an attrs class or None. A plugin that fails (or raises) is listed as
    broken by ``county plugins list`` and refused by a deployment that enables it; it never
    stops the CLI. ``county plugins show NAME`` prints the declaration; ``county init``
    checks ``[plugins.NAME]`` against its ``settings``.

    :returns: the :class:`framework.MethodInfo` (name, Chinese and English titles, source
        county and casebook lines, version, stages implemented, channels and categories
        ``{code: Chinese label}``, tier chain lowest first, roles, settings with defaults,
        ``extra_type``).
    """


@hookspec
def county_migrations(migrations: Migrations) -> None:
    """Add the plugin's own tables.

    Collecting over enabled methods; called by ``county init`` and each time a deployment is
    opened (so a newer plugin version brings its pending migrations with it). Takes no
    ``ctx``. Register each migration with ``@migrations()`` on a function taking the
    ``sqlite_utils.Database``; the set is named after the method and applied in registration
    order, each migration once, recorded in ``_sqlite_migrations``. Name tables after the
    method (``mymethod_things``); never touch the kernel's tables.

    :param migrations: a ``sqlite_utils.migrations.Migrations`` set named after the method.
    :returns: nothing (the kernel applies the registered migrations).
    """


@hookspec
def county_register_commands(cli: click.Group) -> None:
    """Add the plugin's CLI commands.

    Collecting over every *installed* method, the first time the CLI meets a name that is no
    kernel command (it does not know the deployment yet); takes no ``ctx``. Add one click
    group named after the method (``county mymethod …``): ``county --help`` lists the methods
    by their entry-point names without importing them (:mod:`framework.cli.root`). Decorate each command with
    ``framework.county_command(method="NAME")``: it adds ``--db``, ``--now``, ``--json`` and
    ``--debug``, refuses a deployment that does not enable the method (exit 2), turns errors
    into one line, and calls the function with the method's ``ctx`` (``ctx.now`` from
    ``--now``) and ``as_json``. A plugin whose hook raises is listed as broken; the CLI goes on.

    :param cli: the root ``click.Group`` of ``county``.
    :returns: nothing.
    """


@hookspec
def county_deployment_tables() -> list[DeploymentTable]:
    """Declare the method's own tables in the county file (``[[METHOD.TABLE]]``, docs/deployment.md).

    Collecting over enabled methods; called by ``county config check`` and ``county init``
    before anything is written, so it takes no ``ctx``. Each :class:`framework.DeploymentTable`
    names a table (``members`` → ``[[dianti.members]]``), what a row is (with its casebook
    line), its :class:`framework.Column` s (name, type ``str``/``int``/``float``/``bool``/``list``,
    required or a default, choices, whether it is a unit code), the ``key`` columns that
    identify a row, and ``load(ctx, row) -> str``. The kernel checks every row against the
    columns (all problems at once, each with file:line); ``county init`` then calls ``load``
    once per row, in the order of ``[deployment] methods`` and of the returned list, inside the
    init transaction and at the init's ``ctx.now``; ``load`` writes through the method's own
    service functions (``ctx.db``, ``ctx.actions``: the ones its register/import commands use),
    must be idempotent (``county init --update`` re-applies the file) and returns
    ``"added"``, ``"changed"`` or ``"unchanged"``; it raises CountyError (or Refusal, NotFound)
    with a one-line reason, to which the kernel adds the file, line and table.

    :returns: a list of :class:`framework.DeploymentTable` (or None: no tables); the kernel
        fills each one's ``method``. Anything else is a PluginError naming the plugin.
    """


@hookspec
def county_duties(ctx: MethodContext, unit: Unit | None, on_date: dt.date) -> list[Duty]:
    """The recurring duties (patrols, visits, meetings, checks) due on a day, and whether each
    was carried out (design-notes §4).

    Collecting over enabled methods; called by ``county duties --date D [--unit U]``. Duties
    are computed, not stored: read the plugin's own tables and ``ctx.cases`` to decide
    ``done``.

    :param ctx: the method's context.
    :param unit: the unit whose subtree is asked about, or None for the whole deployment.
    :param on_date: the local calendar day (a ``datetime.date``, deployment-local).
    :returns: a list (or None) of :class:`framework.Duty` (``method``, ``unit``, ``kind``,
        ``title``, ``due_on``, ``done``, ``subject``); the kernel concatenates the methods'
        lists.
    """


@hookspec
def county_demo(ctx: MethodContext, period: str, titles: list[str]) -> str | None:
    """Seed a small, fixed month of this method's work for ``county demo``.

    Collecting over enabled methods, called once on the demo county after the real messages
    are replayed. Write through the plugin's own service layer and ``ctx.actions`` (never the
    CLI), each step at its own instant with ``with ctx.acting_at(instant): …``; add any units
    or people the method needs with ``ctx.actions.import_units`` / ``import_people``. The
    same period must give the same data every run.

    :param ctx: the method's context on the demo county (``framework/demo/data/county.toml``:
        units, people).
    :param period: the demo month, ``YYYY-MM``, deployment-local.
    :param titles: real message titles of that month (str; may be empty), usable as case
        titles.
    :returns: one line (str) for the demo's summary, e.g.
        ``"dianti at 观音村: 5 requests, 4 rated"``, or None; anything else stops the demo
        with a CountyError.
    """


# -- the six stages ----------------------------------------------------------------------


@hookspec(firstresult=True)
def county_intake(ctx: MethodContext, case: Case, fields: dict[str, Any]) -> IntakeResult | None:
    """Intake (建账/点题/受理): validate and type a new case's method-specific fields.

    Bound (one plugin: the method bound to ``(case.method, "intake")``). Called first by
    ``county case add``, ``county case import`` and ``ctx.actions.add_case``, inside the
    transaction that creates the case; the case is not stored yet (``ctx.cases.get(case.id)``
    does not find it). Default (not implemented, or None returned): ``fields`` structured
    into the method's ``extra_type`` (an unknown or ill-typed key is exit 2), first tier.
    After intake and triage the kernel checks ``--channel`` / ``--category`` against the
    case's method's declared codes (when it declares any).

    :param ctx: the bound method's context (``ctx.now`` is when the case is taken in, which
        for an import of history is later than ``case.created_at``).
    :param case: the :class:`framework.Case` being built: ``id``, ``method``, ``title``,
        ``unit`` (the unit taking it in), ``channel``, ``category``, ``description``,
        ``requester``, ``source_id``, ``created_at`` (aware) are set; ``level`` is None and
        ``extra`` is empty.
    :param fields: the method-specific fields, ``{key: value}``: the raw ``--set KEY=VALUE``
        strings from the CLI and import mappings, any JSON-like values from
        ``ctx.actions.add_case(fields=…)``.
    :returns: :class:`framework.IntakeResult`: ``extra`` (the validated fields, stored in
        ``case.extra``), ``level`` (the starting tier; None or a name not in the chain = the
        first tier), ``settled`` (True: resolved at once, 当场办结, no deadline) and ``note``
        (the resolution note when settled); or None for the default.
    :raises CountyError: for bad input, naming the ``--set`` key (exit 2; nothing is stored).
    """


@hookspec(firstresult=True)
def county_triage(ctx: MethodContext, case: Case) -> TriageResult | None:
    """Triage (议账/梳理): decide category, priority and possibly the starting tier.

    Bound. Called once, right after intake, in the same transaction (the case is still not
    stored). Default: nothing changes. When the result has a ``note`` or a ``category`` the
    kernel appends a ``triaged`` event.

    :param ctx: the bound method's context.
    :param case: the case as intake left it (``extra`` holds intake's fields, ``level`` the
        starting tier or None for a method without a chain).
    :returns: :class:`framework.TriageResult`: ``category`` and ``priority`` (None keeps the
        case's), ``level`` (a tier of the chain to start at; None or an unknown name keeps
        it), ``extra`` (merged into ``case.extra``), ``note``; or None (keep everything).
    :raises CountyError: for bad input (exit 2; nothing is stored).
    """


@hookspec(firstresult=True)
def county_assignment(ctx: MethodContext, case: Case, level: str | None) -> Assignment | None:
    """Assignment (交办): which unit and person handle ``case`` at tier ``level``.

    Bound. Called after triage (the case is stored by then, in the open transaction) and
    again each time the case enters a tier by escalation (the sweep, ``county case escalate``,
    ``ctx.actions.escalate``); not when ``county case assign --unit`` moves it up (the
    operator has chosen). At a later tier the kernel asks the method bound to ``assignment``
    if that method's chain has the tier, else the chain's own method. Default (not
    implemented, or None): if the tier's unit level differs from the case unit's level, the
    nearest ancestor at that level (or the only unit at that level), no handler; otherwise
    unchanged. The kernel checks that the unit and person exist (exit 2), clears the handler
    when the unit changes without one, sets ``status`` ``assigned`` when a handler is set on a
    ``registered`` case, and appends an ``assigned`` event when something changed.

    :param ctx: the context of the method asked (the one bound to ``assignment``, or at a
        tier outside its chain the chain's own method).
    :param case: the case; on escalation ``case.level`` is still the tier being left,
        ``case.unit`` / ``case.handler`` the current holder and ``status`` ``escalated``.
    :param level: the tier being entered (a tier name of the case's chain), or None for a
        method without a chain.
    :returns: :class:`framework.Assignment`: ``unit`` (a unit code) and/or ``handler`` (a
        person id), None keeping the current one; ``extra`` merged into ``case.extra``;
        ``note`` on the ``assigned`` event; ``joint_unit`` / ``joint_handler``: who handles the
        case jointly (会办) beside the lead, replacing the case's pair (None clears it, so
        escalation drops a joint pair the hook does not name again). Or None for the default.
    :raises CountyError: when the case cannot be assigned (rolls the operation back).
    """


@hookspec(firstresult=True)
def county_deadline(ctx: MethodContext, case: Case, level: str | None, arrived_at: dt.datetime) -> Deadline | None:
    """Deadline (时限): the due instants of tier ``level`` for a case that arrived there at
    ``arrived_at``, and what missing each means.

    Bound to the method whose chain the case follows (``[bindings] METHOD.deadline``, default
    its own). Called at intake (unless settled) and after every change of tier: escalation,
    or ``county case assign --unit`` to a unit whose level is a later tier. The kernel stores
    each milestone as ``pending``; ``county sweep`` marks a pending one past due ``missed``
    and applies its action: ``escalate`` (an ``overdue`` event, then the case moves to
    ``to_level`` or the next tier, at the sweep's instant; at the chain's end it is a flag),
    ``flag`` (an ``overdue`` event, 督办; the case stays) or ``none`` (only recorded).
    Leaving the tier or resolving marks the pending ones ``met`` (or ``missed`` when already
    past due); ``ctx.actions.record_event(…, meet=NAME)`` closes one by name. The primary
    milestone's instant becomes ``case.due_at``; ``extra`` is merged into ``case.extra``
    (datetimes as ISO 8601 strings). Default (not implemented, or None): no due instant.

    Compute every instant with ``ctx.calendar`` from ``arrived_at`` (never ``ctx.now``, which
    for an import of history is later): ``calendar_days(arrived_at, n)`` and
    ``working_days(arrived_at, n)`` end at 23:59:59 local on the Nth calendar / working day
    after the local day of arrival (working days follow the statutory China calendar with
    make-up days and the deployment's ``[calendar]`` overrides); ``hours(arrived_at, h)`` is
    exact. Chains must end: the conformance suite walks them.

    :param ctx: the context of the method that owns the chain.
    :param case: the case; ``case.level`` is already ``level``.
    :param level: the tier entered (a tier name of the chain), or None for a method without
        a chain.
    :param arrived_at: when the case entered the tier (aware, deployment-local): its
        ``created_at`` at intake, the sweep's or operator's instant afterwards.
    :returns: :class:`framework.Deadline` with ``milestones`` (each an aware ``due_at`` after
        ``arrived_at`` — or, with ``anchor="before"``, timed before a later event and allowed
        at or before it, then due at once —, an ``action`` among ``escalate`` / ``flag`` /
        ``none``, an optional ``to_level`` in the chain; exactly one ``primary`` when there are
        any) and ``extra``; an empty Deadline or None means no due instant at this tier.
    :raises CountyError: for a bad setting, naming it; a malformed result (naive instant,
        zero or two primaries, unknown action or tier) is a PluginError.
    """


@hookspec
def county_publicity(ctx: MethodContext, unit: Unit, period: str, cases: Callable[..., list[Case]]) -> list[Board]:
    """Publicity (晒账/公开栏/张榜): the boards this method posts for ``unit`` and ``period``.

    Collecting over enabled methods; called by ``county board``, ``county serve`` and
    ``county demo``, outside any transaction (read only). The kernel masks
    every board before any renderer sees it (conventions §3): each row's ``case_id`` finds
    that case's requester, whose name, phone, ID number and address are masked wherever they
    appear; keys such as ``requester``, ``phone``, ``address`` are masked by field rule. So
    rows are RAW, and every row about a case must carry its ``case_id``. Plugins never mask.

    :param ctx: the method's context.
    :param unit: the :class:`framework.Unit` the boards are for (any level; the plugin
        decides which of its subtree's units post boards).
    :param period: ``2026-11``, ``2026Q4``, ``2026H2``, ``2026`` or ``2026-11-02`` (already validated).
    :param cases: a callable; ``cases()`` returns this method's cases (list of
        :class:`framework.Case`, without events, intake order) taken in or held now in
        ``unit``'s subtree and created or resolved in ``period`` — the same as
        ``ctx.cases.find(method=ctx.method.name, unit=unit.code, active=period)``.
    :returns: a list (possibly empty, or None) of :class:`framework.Board` with raw rows.
    """


@hookspec
def county_appraisal(ctx: MethodContext, unit: Unit | None, period: str) -> list[Metric]:
    """Appraisal (考评): this method's own figures for ``unit``'s subtree and ``period``.

    Collecting over enabled methods; called by ``county appraise`` (and its reports),
    ``county serve`` and ``county demo``, outside any transaction. The kernel adds the common
    metrics itself (cases, resolution rate, on-time rate, share settled and on-time rate per
    tier, satisfaction by the scale's ``good`` levels, and reopenings for a method whose
    ``SatisfactionScale`` reopens cases), fills ``Metric.method`` and ``Metric.period`` when left None, and
    ranks units in reports.

    :param ctx: the method's context.
    :param unit: the :class:`framework.Unit` whose subtree is appraised, or None for the
        whole deployment (then report per root, ``ctx.roots()``, or per unit as the method
        ranks).
    :param period: ``2026-11``, ``2026Q4``, ``2026H2``, ``2026`` or ``2026-11-02``.
    :returns: a list (or None) of :class:`framework.Metric`; make rates with ``framework.rate``
        (numerator and denominator kept; value None when the denominator is 0; a rate must
        lie in [0, 1]).
    """
