"""The kernel's hooks (marker name ``county``, like the entry-point group and ``COUNTY_`` env).

Two kinds:

* **Stage hooks** (``county_intake`` … ``county_deadline``) are *bound*: for a given case the
  kernel calls exactly one plugin's implementation, the one the deployment binds to
  ``(case.method, stage)`` (default: the case's own method; ``[bindings]`` can give the stage to
  another method). A plugin never checks "is this case mine?". A bound plugin that does not
  implement the stage gets the kernel's default (documented per hook).
* **Collecting hooks** (publicity, appraisal, registration, duties) are called on every enabled
  method and their results are concatenated.

Every hook receives ``ctx`` (:class:`framework.kernel.county.StageContext`): the deployment's units
and people, the plugin's settings, ``ctx.now`` (aware datetime), ``ctx.calendar``
(:class:`framework.timerules.Calendar`, the only source of due instants) and ``ctx.db`` (the
store, inside the stage's transaction: a hook that raises rolls everything back).
Hooks return values; the kernel writes cases and events. Plugins write only their own tables.

What each of the five built-in methods returns from each hook is tabled in
``docs/hooks.md``.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("county")
hookimpl = pluggy.HookimplMarker("county")


# -- registration ----------------------------------------------------------------------


@hookspec
def county_method():
    """Declare the method this plugin implements.

    Collecting. Returns a :class:`framework.models.MethodInfo` (name, Chinese name, source
    county and casebook lines, version, stages implemented, channels, categories, tier chain,
    roles, settings with defaults, ``extra_type``). Validated at load; ``county plugins list``
    shows it; the conformance suite checks it against the hooks the plugin really implements.
    """


@hookspec
def county_migrations(migrations):
    """Add the plugin's own tables.

    Collecting. ``migrations`` is a ``sqlite_utils.migrations.Migrations`` set named after the
    plugin; register functions with ``@migrations()``; each gets the ``sqlite_utils.Database``.
    Applied in order by ``county init`` (and on open), recorded in ``_sqlite_migrations``.
    Returns nothing.
    """


@hookspec
def county_register_commands(cli):
    """Add CLI commands: ``cli`` is the root ``click.Group``; add a group named after the
    method (``county taizhang …``). Decorate commands with
    :func:`framework.cli.core.county_command` to get ``--db``, ``--now``, ``--json``. Collecting."""


@hookspec
def county_duties(ctx, unit, on_date):
    """What recurring duty is due on ``on_date`` (a ``datetime.date``, local) for ``unit``
    (a :class:`Unit`, or None for the whole deployment): patrols, visits, meetings, checks.

    Collecting over enabled methods. Returns a list of :class:`framework.models.Duty`, each with
    ``done`` telling whether it was carried out (design-notes §4).
    """


@hookspec
def county_demo(ctx, period, titles):
    """Seed a small, fixed month of this method's work for ``county demo``.

    Collecting over enabled methods, called once after the real messages are replayed. ``ctx``
    is the method's context on the demo county (``framework/demo/county.toml``: units, people);
    ``period`` the demo month (``YYYY-MM``, deployment-local); ``titles`` a list of real message
    titles of that month (str; may be empty) a method may use as case titles. Write through the
    plugin's own service layer and ``ctx.actions`` (never the CLI); add any units or people the
    method needs with ``ctx.actions.import_units`` / ``import_people``. Returns one line
    (str) for the demo's summary, e.g. ``"dianti at 观音村: 5 requests, 4 rated"``, or None.
    """


# -- the six stages ----------------------------------------------------------------------


@hookspec(firstresult=True)
def county_intake(ctx, case, fields):
    """Intake (建账/点题/受理): validate and type a new case's method-specific fields.

    Bound (one plugin). ``case`` is the :class:`Case` being built (``id``, ``title``,
    ``unit``, ``channel``, ``category``, ``requester``, ``created_at`` set); ``fields`` is the
    dict of raw ``--set KEY=VALUE`` strings. Returns :class:`IntakeResult` (``extra``, starting
    ``level`` or None for the first tier, ``settled`` for a case settled on the spot).
    Raise :class:`framework.errors.CountyError` naming the field for bad input.
    Default: ``fields`` structured into the method's ``extra_type``; channel and category must
    be among the method's declared ones when it declares any.
    """


@hookspec(firstresult=True)
def county_triage(ctx, case):
    """Triage (议账/梳理): decide category, priority and possibly the starting tier.

    Bound. Returns :class:`TriageResult` or None (keep everything). Runs once, after intake.
    """


@hookspec(firstresult=True)
def county_assignment(ctx, case, level):
    """Assignment: who handles ``case`` at tier ``level`` (a tier name of the case's chain).

    Bound. Called after triage and again after every escalation. Returns :class:`Assignment`
    (unit code and/or person id) or None (keep). Default: if the tier's unit level differs from
    the case unit's level, the nearest ancestor unit at that level; otherwise unchanged.
    """


@hookspec(firstresult=True)
def county_deadline(ctx, case, level, arrived_at):
    """Deadline: the due instants of tier ``level`` for a case that arrived there at
    ``arrived_at`` (aware datetime), and what missing each means.

    Bound. Returns :class:`Deadline` whose milestones are computed with ``ctx.calendar``
    (calendar days end at 23:59:59 local, hours are exact), with one ``primary`` milestone
    (the case's ``due_at``); an empty Deadline or None means no due instant at this tier.
    Called at intake and after every change of tier (escalation, or manual assignment to a
    unit whose level is a later tier). Chains must end: the conformance suite walks them.
    """


@hookspec
def county_publicity(ctx, unit, period, cases):
    """Publicity (晒账/公开栏/张榜): the boards this method posts for ``unit`` (a :class:`Unit`)
    and ``period`` (``2026-11``, ``2026Q4``, ``2026``).

    Collecting over enabled methods. ``cases`` is a callable ``cases()`` returning this method's
    cases (list of :class:`Case`) whose unit that took them in or holds them now is in ``unit``'s
    subtree and that were created or resolved in the period (``County.cases_in``).
    Returns a list of :class:`Board` with RAW rows: the kernel masks personal data (conventions
    §3) before any renderer sees them; plugins never mask.
    """


@hookspec
def county_appraisal(ctx, unit, period):
    """Appraisal (考评): this method's own scores for ``unit``'s subtree and ``period``.

    Collecting over enabled methods. Returns a list of :class:`Metric` (rates carry numerator
    and denominator; value None when the denominator is 0). The kernel adds the common metrics
    (cases, resolution rate, on-time rate, share settled per tier, satisfaction) itself.
    """
