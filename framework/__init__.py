"""county-methods: six pluggable stages for county citizen-service work methods (工作法).

This package root is **the plugin API**: everything a method plugin imports comes from here,
and nothing else of ``framework`` is public to plugins (a test enforces it for ``plugins/``)::

    from framework import hookimpl, MethodInfo, Tier, Deadline, Milestone

    @hookimpl
    def county_method():
        return MethodInfo(name="mymethod", ...)

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        return Deadline([Milestone("limit", ctx.calendar.calendar_days(arrived_at, 5), primary=True)])

What a hook receives as ``ctx`` is a :class:`MethodContext` (read API ``ctx.cases`` /
``ctx.events`` / ``ctx.milestones``, write API ``ctx.actions``, the plugin's own tables
``ctx.db``); every hook is documented in ``docs/hooks.md`` and :mod:`framework.hookspecs`.

The rest of the package is the kernel's own: ``kernel/`` (the county facade, stages, sweep,
registry, deployment config), ``store/`` (schema, rows), ``publish/`` (masking, boards,
appraisal, reports, serve), ``interchange/`` (readers, mappings, Open311, importer, triage),
``cli/``, ``demo/`` and ``testing/`` (the conformance suite and pytest fixtures).
"""

from framework.cli.core import county_command, emit, parse_sets, read_table
from framework.errors import CountyError, NotFound, PluginError, Refusal
from framework.hookspecs import hookimpl, hookspec
from framework.kernel.context import (
    Actions, AttachmentQuery, MethodContext, People, PluginTables, SignOffQuery,
)
from framework.kernel.queries import (
    CaseQuery, EventQuery, LoggedEvent, MilestoneQuery, MilestoneRecord, chunks,
)
from framework.kernel.county import case_json
from framework.kernel.deployment_tables import Column, DeploymentTable, row_change
from framework.kernel.stages import structure_extra
from framework.models import (
    DONE_STATUSES, OPEN_STATUSES, SATISFACTION, SATISFACTION_ZH, STAGES, STATUS_ZH, STATUSES, Assignment, Board,
    BoardSection, Case, Deadline, Duty, Event, IntakeResult, MethodInfo, Metric, Milestone, Person, Requester,
    SatisfactionScale, Setting, SignOff, SignOffParty, Attachment, StageRule, Tier, TriageResult, Unit, rate,
)
from framework.publish.masking import mask_address, mask_name, mask_phone
from framework.publish.masking_text import mask_text
from framework.timerules import Calendar, parse_date, parse_instant, parse_month, period_dates, shift_period

__version__ = "0.2.0"
__all__ = [
    # hooks
    "hookimpl", "hookspec",
    # the context and its read/write API
    "MethodContext", "CaseQuery", "EventQuery", "MilestoneQuery", "Actions", "PluginTables", "People",
    "LoggedEvent", "MilestoneRecord", "chunks", "SignOffQuery", "AttachmentQuery",
    # records
    "Case", "Event", "Requester", "Unit", "Person", "MethodInfo", "Tier", "Setting", "StageRule", "SatisfactionScale",
    "SignOff", "SignOffParty", "Attachment", "IntakeResult", "DeploymentTable", "Column", "row_change",
    "TriageResult", "Assignment", "Deadline", "Milestone", "Board", "BoardSection", "Metric", "Duty", "rate",
    "STAGES", "STATUSES", "OPEN_STATUSES", "DONE_STATUSES", "SATISFACTION", "SATISFACTION_ZH", "STATUS_ZH",
    # errors
    "CountyError", "NotFound", "Refusal", "PluginError",
    # time
    "Calendar", "parse_date", "parse_instant", "parse_month", "period_dates", "shift_period",
    # helpers for plugins' intake and commands
    "structure_extra", "case_json", "county_command", "emit", "parse_sets", "read_table", "mask_phone",
    "mask_name", "mask_address", "mask_text",
    "__version__",
]
